/**
 * Checks an Ignition parameters file for the CNT module before a deployment costs gas:
 * `npx tsx scripts/check-parameters.ts deploy/parameters/sepolia.json`. Every role holder, the treasury and the
 * admin must be addresses (the committed files for public networks hold "REPLACE …" placeholders); `feeBps` at most
 * 1,000; `adminDelay` whole seconds. Prints each problem and exits 1, or prints the holders.
 */
import { readFileSync } from "node:fs";

import { isAddress } from "ethers";

const REQUIRED = ["registrar", "verifier", "regulator", "pauser", "treasurer"] as const;
const OPTIONAL_ADDRESSES = ["treasury", "admin"] as const;

export function checkParameters(parameters: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const cnt = (parameters.CNT ?? {}) as Record<string, unknown>;
  for (const name of REQUIRED) {
    if (cnt[name] === undefined)
      problems.push(`CNT.${name} is missing: the first holder of the ${name.toUpperCase()} role`);
  }
  for (const name of [...REQUIRED, ...OPTIONAL_ADDRESSES]) {
    const value = cnt[name];
    if (value !== undefined && !(typeof value === "string" && isAddress(value))) {
      problems.push(`CNT.${name} is not an address: ${JSON.stringify(value)}`);
    }
  }
  const fee = cnt.feeBps;
  if (fee !== undefined && !(Number.isInteger(fee) && (fee as number) >= 0 && (fee as number) <= 1_000)) {
    problems.push(`CNT.feeBps must be a whole number of basis points from 0 to 1000: ${JSON.stringify(fee)}`);
  }
  const delay = cnt.adminDelay;
  if (delay !== undefined && !(Number.isInteger(delay) && (delay as number) >= 0)) {
    problems.push(`CNT.adminDelay must be whole seconds: ${JSON.stringify(delay)}`);
  }
  return problems;
}

if (process.argv[1]?.endsWith("check-parameters.ts")) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error("Usage: npx tsx scripts/check-parameters.ts <deploy/parameters/network.json>");
    process.exit(1);
  }
  const problems = checkParameters(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>);
  for (const problem of problems) console.error(`${file}: ${problem}`);
  if (problems.length > 0) process.exit(1);
  console.log(`${file}: ready to deploy`);
}
