/**
 * Deployment records: the addresses of one CNT deployment per chain id, in `deployments/<chainId>.json`. Written by
 * `scripts/export-deployment.ts` after an Ignition deployment; read by the CLI tasks and by applications.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";

/** The suite's production contracts, by contract name. */
export const SuiteContracts = [
  "AccessManager",
  "CarbonRegistry",
  "CarbonCredit",
  "RetirementCertificate",
  "RetirementRegistry",
  "CarbonMarketplace",
  "EmissionsLedger",
  "ComplianceRegistry",
  "EmissionAllowance",
  "AllowanceAuction",
] as const;

export type SuiteContractName = (typeof SuiteContracts)[number];

export interface Deployment {
  chainId: number;
  /** The Hardhat network the deployment was recorded from. */
  network: string;
  /** The block of the first contract's deployment: where to start reading events. */
  fromBlock: number;
  contracts: Record<SuiteContractName, string>;
  /** ERC-20s allowed as payment on the marketplace when the deployment was recorded. */
  paymentTokens: string[];
  /** Holders of each named AccessManager role when the deployment was recorded, e.g. `{ "REGISTRAR": ["0x…"] }`. */
  roles: Record<string, string[]>;
}

/**
 * The folder holding the records: `deployments/` next to the nearest `package.json` above this module (the
 * repository's when run from source, the installed package's when run from `dist/`).
 */
export const deploymentsDir: URL = (() => {
  let dir = new URL("./", import.meta.url);
  for (let up = 0; up < 4; up++) {
    if (existsSync(new URL("package.json", dir))) return new URL("deployments/", dir);
    dir = new URL("../", dir);
  }
  return new URL("../deployments/", import.meta.url);
})();

function fileFor(chainId: number | bigint): URL {
  return new URL(`${chainId}.json`, deploymentsDir);
}

/** The recorded deployment on `chainId`, or undefined when none is recorded. */
export async function readDeployment(chainId: number | bigint): Promise<Deployment | undefined> {
  try {
    return JSON.parse(await readFile(fileFor(chainId), "utf8")) as Deployment;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Chain ids that have a recorded deployment. */
export async function recordedChains(): Promise<number[]> {
  const files = await readdir(deploymentsDir).catch(() => [] as string[]);
  return files
    .map((f) => /^(\d+)\.json$/.exec(f)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

/** Writes the record for `deployment.chainId` and returns the file's path. */
export async function writeDeployment(deployment: Deployment): Promise<string> {
  await mkdir(deploymentsDir, { recursive: true });
  const file = fileFor(deployment.chainId);
  await writeFile(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return file.pathname;
}
