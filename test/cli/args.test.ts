import { expect } from "chai";
import { id } from "ethers";

import { parseDecimal } from "../../sdk/units.js";
import { Args, UsageError } from "../../tasks/lib/args.js";
import { flagName, usage, type TaskSpec } from "../../tasks/lib/spec.js";
import { complianceTasks } from "../../tasks/specs/compliance.js";
import { marketTasks } from "../../tasks/specs/market.js";
import { registryTasks } from "../../tasks/specs/registry.js";

const spec: TaskSpec = {
  id: "cnt:test:task",
  description: "A task for the test",
  role: "anyone",
  options: [
    { name: "amount", value: "<tCO2e>", description: "amount", required: true },
    { name: "batchId", value: "<id>", description: "batch id" },
    { name: "noCertificate", flag: true, description: "a flag" },
  ],
  example: "cnt:test:task --amount 1",
  load: async () => async () => {},
};

function args(raw: Record<string, unknown>, now?: bigint): Args {
  const a = new Args(spec, raw);
  a.now = now;
  return a;
}

function usageError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("CLI option parsing", function () {
  it("parses decimals with at most the allowed fractional digits", function () {
    expect(parseDecimal("12", 3)).to.equal(12_000n);
    expect(parseDecimal("12.5", 3)).to.equal(12_500n);
    expect(parseDecimal("1_000.250", 3)).to.equal(1_000_250n);
    expect(parseDecimal("1,000.250", 3)).to.equal(undefined);
    expect(parseDecimal("0.001", 3)).to.equal(1n);
    expect(parseDecimal("0.0001", 3)).to.equal(undefined);
    expect(parseDecimal("-1", 3)).to.equal(undefined);
    expect(parseDecimal("1e3", 3)).to.equal(undefined);
    expect(parseDecimal("", 3)).to.equal(undefined);
  });

  it("reads tonnes as kg units and refuses zero, negative and sub-kilogram amounts", function () {
    expect(args({ amount: "12.5" }).tonnes("amount")).to.equal(12_500n);
    expect(usageError(() => args({ amount: "0" }).tonnes("amount"))).to.equal(
      '--amount "0": must be more than 0 tCO2e',
    );
    expect(usageError(() => args({ amount: "-3" }).tonnes("amount"))).to.match(/^--amount "-3": expected an amount/);
    expect(usageError(() => args({ amount: "0.0005" }).tonnes("amount"))).to.match(/at most 3 decimals/);
  });

  it("names every missing required option, and camelCase options by their flag", function () {
    expect(usageError(() => args({}).checkRequired())).to.equal("missing option --amount");
    expect(flagName("batchId")).to.equal("--batch-id");
    expect(usageError(() => args({ batchId: "0" }).id("batchId"))).to.equal('--batch-id "0": must be at least 1');
    expect(usageError(() => args({ batchId: "x" }).id("batchId"))).to.equal('--batch-id "x": expected a whole number');
  });

  it("converts a price per tonne to base units per kg, refusing one finer than a base unit per kg", function () {
    expect(args({ amount: "12.5" }).pricePerTonne("amount", 6, "USDCm")).to.equal(12_500n);
    expect(usageError(() => args({ amount: "0.0001" }).pricePerTonne("amount", 6, "USDCm"))).to.equal(
      '--amount "0.0001": must be a multiple of 0.001 USDCm per tCO2e (one base unit per kg)',
    );
    expect(args({ amount: "250.5" }).tokenAmount("amount", 6, "USDCm")).to.equal(250_500_000n);
  });

  it("reads dates, unix seconds, and times relative to the chain's clock", function () {
    expect(args({ amount: "2027-03-31" }).date("amount")).to.equal(BigInt(Date.UTC(2027, 2, 31) / 1000));
    expect(args({ amount: "1800000000" }).date("amount")).to.equal(1_800_000_000n);
    expect(args({ amount: "+90d" }, 1_000n).date("amount")).to.equal(1_000n + 90n * 86_400n);
    expect(usageError(() => args({ amount: "31/03/2027" }).date("amount"))).to.match(/expected a date such as/);
    expect(args({ amount: "36h" }).duration("amount")).to.equal(36n * 3_600n);
    expect(usageError(() => args({ amount: "soon" }).duration("amount"))).to.match(/expected a duration/);
  });

  it("hashes document references, keeps 32-byte hex, refuses other hex", function () {
    expect(args({ amount: "ipfs://report" }).hash("amount")).to.equal(id("ipfs://report"));
    const hex = `0x${"ab".repeat(32)}`;
    expect(args({ amount: hex }).hash("amount")).to.equal(hex);
    expect(usageError(() => args({ amount: "0x1234" }).hash("amount"))).to.match(/must be 32 bytes/);
  });

  it("reads choices, lists, percentages and flags", function () {
    expect(args({ amount: "Removal" }).choice("amount", { removal: 0n, avoidance: 1n })).to.equal(0n);
    expect(usageError(() => args({ amount: "x" }).choice("amount", { removal: 0n }))).to.equal(
      '--amount "x": expected one of removal',
    );
    expect(args({ amount: "1, 2,,5" }).list("amount")).to.deep.equal(["1", "2", "5"]);
    expect(args({ amount: "Removal,avoidance" }).categories("amount")).to.equal(0b11n);
    expect(args({ amount: "avoidance" }).categories("amount")).to.equal(0b10n);
    expect(args({}).categories("amount")).to.equal(0n);
    expect(usageError(() => args({ amount: "removal,other" }).categories("amount"))).to.equal(
      '--amount "removal,other": "other" is not removal or avoidance',
    );
    expect(args({ amount: "2.5" }).percent("amount")).to.equal(250n);
    expect(usageError(() => args({ amount: "101" }).percent("amount"))).to.match(/at most 100%/);
    expect(args({ noCertificate: true }).flag("noCertificate")).to.equal(true);
    expect(args({ noCertificate: false }).has("noCertificate")).to.equal(false);
  });

  it("prints a usage with required and optional options and the example", function () {
    const text = usage(spec);
    expect(text).to.contain(
      "Usage: npx hardhat [--network <name>] cnt:test:task --amount <tCO2e> [--batch-id <id>] [--no-certificate] [--from <account>]",
    );
    expect(text).to.contain("Example: npx hardhat cnt:test:task --amount 1");
  });
});

describe("CLI task specs", function () {
  const all = [...registryTasks, ...marketTasks, ...complianceTasks];

  it("are unique cnt:<area>:<verb> ids with an example each", function () {
    expect(new Set(all.map((s) => s.id)).size).to.equal(all.length);
    for (const s of all) {
      expect(s.id, s.id).to.match(/^cnt:[a-z0-9-]+(:[a-z0-9-]+)?$/);
      expect(s.example, s.id).to.be.a("string");
    }
  });

  it("have examples that use only declared options and every required one", function () {
    for (const s of all) {
      const used = [...s.example!.matchAll(/--([a-z0-9-]+)/g)].map((m) => `--${m[1]}`);
      const declared = new Set([...s.options.map((o) => flagName(o.name)), "--from", "--network"]);
      for (const flag of used) expect(declared.has(flag), `${s.id}: ${flag}`).to.equal(true);
      for (const option of s.options.filter((o) => o.required)) {
        expect(used, `${s.id} example lacks ${flagName(option.name)}`).to.include(flagName(option.name));
      }
    }
  });

  it("load a handler for every task", async function () {
    for (const s of all) expect(await s.load(), s.id).to.be.a("function");
  });
});
