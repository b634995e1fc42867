import { expect } from "chai";
import { AbiCoder, Interface, MaxUint256, ZeroAddress, id, type InterfaceAbi, type ParamType } from "ethers";

import {
  AccessManager__factory,
  AllowanceAuction__factory,
  BatchMatching__factory,
  Jurisdictions__factory,
  CarbonCredit__factory,
  CarbonMarketplace__factory,
  CarbonRegistry__factory,
  ComplianceRegistry__factory,
  EmissionAllowance__factory,
  EmissionsLedger__factory,
  RetirementCertificate__factory,
  RetirementRegistry__factory,
  type ERC20Mock,
} from "../../typechain-types/index.js";
import {
  TEMPLATED_ERRORS,
  decodeCntError,
  explainError,
  formatTimestamp,
  formatTonnes,
  type ErrorLabels,
} from "../../sdk/errors.js";
import { cntErrorsAbi } from "../../sdk/generated/abi/index.js";

/** OpenZeppelin's ERC-20 errors (ERC-6093) in the merged errors ABI: a payment token bubbles them up. */
const PAYMENT_TOKEN_ERRORS = cntErrorsAbi.filter((error) => error.name.startsWith("ERC20")) as InterfaceAbi;
import { periodConfig } from "../helpers/compliance.js";
import { approvedProject, deployWorld, issue, type World } from "../helpers/fixtures.js";
import { namespaceId, nestedFixtures, verifiedReport } from "../helpers/registry.js";
import { ClaimType, request } from "../helpers/retirement.js";

/**
 * The production contracts (mocks excluded) and the BatchMatching and Jurisdictions libraries, listed here independently of the SDK so a
 * contract the SDK forgets shows up as missing templates.
 */
const PRODUCTION: Record<string, InterfaceAbi> = {
  AccessManager: AccessManager__factory.abi,
  CarbonRegistry: CarbonRegistry__factory.abi,
  CarbonCredit: CarbonCredit__factory.abi,
  RetirementRegistry: RetirementRegistry__factory.abi,
  RetirementCertificate: RetirementCertificate__factory.abi,
  CarbonMarketplace: CarbonMarketplace__factory.abi,
  EmissionsLedger: EmissionsLedger__factory.abi,
  EmissionAllowance: EmissionAllowance__factory.abi,
  ComplianceRegistry: ComplianceRegistry__factory.abi,
  AllowanceAuction: AllowanceAuction__factory.abi,
  BatchMatching: BatchMatching__factory.abi,
  Jurisdictions: Jurisdictions__factory.abi,
};

/** Unix seconds of a UTC date. */
function utc(year: number, month: number, day: number): bigint {
  return BigInt(Date.UTC(year, month - 1, day) / 1000);
}

type Sample = "small" | "zero" | "max";

/** A value of `param` for encoding: small and typical, all zero, or the largest the type holds. */
function sampleOf(param: ParamType, kind: Sample): unknown {
  switch (param.baseType) {
    case "address":
      return kind === "zero" ? ZeroAddress : "0x00000000000000000000000000000000000000a1";
    case "bool":
      return kind !== "zero";
    case "string":
      return kind === "zero" ? "" : "sample reason";
    case "bytes":
      return kind === "zero" ? "0x" : "0x1234";
    case "array":
      return kind === "zero" ? [] : [sampleOf(param.arrayChildren!, kind)];
    case "tuple":
      return param.components!.map((component) => sampleOf(component, kind));
  }
  const uint = /^uint(\d*)$/.exec(param.type);
  if (uint) {
    const bits = BigInt(uint[1] || "256");
    if (kind === "zero") return 0n;
    if (kind === "max") return 2n ** bits - 1n;
    return bits <= 8n ? 1n : 12_500n;
  }
  const bytesN = /^bytes(\d+)$/.exec(param.type);
  if (bytesN) return kind === "zero" ? "0x" + "00".repeat(Number(bytesN[1])) : "0x" + "ab".repeat(Number(bytesN[1]));
  throw new Error(`no sample for ${param.type}`);
}

/** Asserts a message is a template's sentence: not the generic fallback, nothing undefined or unrendered. */
function expectSentence(message: string, context: string): void {
  expect(message, context).to.be.a("string").and.not.equal("");
  expect(message.startsWith("reverted with "), `${context}: generic fallback "${message}"`).to.equal(false);
  for (const bad of ["undefined", "[object", "NaN", "\n"]) {
    expect(message.includes(bad), `${context}: "${message}" contains ${JSON.stringify(bad)}`).to.equal(false);
  }
}

/** Runs `action`, which must throw, and returns what it threw. */
async function thrownBy(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  return expect.fail("expected the call to revert");
}

describe("sdk/errors", function () {
  // ------------------------------------------------------------------ 1. completeness

  describe("templates", function () {
    const fragments = Object.entries(PRODUCTION).flatMap(([contract, abi]) => {
      const list: { contract: string; iface: Interface; name: string; selector: string }[] = [];
      const iface = new Interface(abi);
      iface.forEachError((fragment) =>
        list.push({ contract, iface, name: fragment.name, selector: fragment.selector }),
      );
      return list;
    });

    it("covers the suite's own errors, the library's and the inherited OpenZeppelin ones", function () {
      const names = new Set(fragments.map((f) => f.name));
      for (const name of [
        "CarbonRegistrySerialOverlap",
        "CriteriaTooManyEntries",
        "AccessManagedUnauthorized",
        "AccessManagerUnauthorizedCall",
        "EnforcedPause",
        "ERC1155InsufficientBalance",
        "ERC721NonexistentToken",
        "ReentrancyGuardReentrantCall",
        "SafeERC20FailedOperation",
      ]) {
        expect(names.has(name), name).to.equal(true);
      }
      expect(names.size).to.be.greaterThan(200);
    });

    for (const kind of ["small", "zero", "max"] as const) {
      it(`gives every error fragment of every production ABI a sentence (${kind} arguments)`, function () {
        for (const { contract, iface, name, selector } of fragments) {
          const fragment = iface.getError(selector)!;
          const data = iface.encodeErrorResult(
            fragment,
            fragment.inputs.map((input) => sampleOf(input, kind)),
          );
          const decoded = decodeCntError(data);
          expect(decoded, `${contract}.${name} does not decode`).to.not.equal(undefined);
          expect(decoded!.name).to.equal(name);
          expect(decoded!.signature).to.equal(fragment.format("sighash"));
          expect(Object.keys(decoded!.args)).to.have.length(fragment.inputs.length);
          expectSentence(decoded!.message, `${contract}.${name}`);
        }
      });
    }

    it("gives the ERC-20 errors a payment token bubbles up a sentence", function () {
      expect(PAYMENT_TOKEN_ERRORS).to.have.length(6);
      const iface = new Interface(PAYMENT_TOKEN_ERRORS);
      iface.forEachError((fragment) => {
        const data = iface.encodeErrorResult(
          fragment,
          fragment.inputs.map((input) => sampleOf(input, "small")),
        );
        expectSentence(decodeCntError(data)!.message, fragment.name);
      });
      const insufficient = iface.encodeErrorResult("ERC20InsufficientAllowance", [
        "0x00000000000000000000000000000000000000a1",
        1_000n,
        1_500_000n,
      ]);
      expect(decodeCntError(insufficient)!.message).to.equal(
        "0x00000000000000000000000000000000000000A1 may spend only 1,000 of the payment token, 1,500,000 needed (approve more first)",
      );
    });

    it("has no template for an error no ABI declares", function () {
      const declared = new Set<string>();
      for (const abi of [...Object.values(PRODUCTION), PAYMENT_TOKEN_ERRORS]) {
        new Interface(abi).forEachError((fragment) => declared.add(fragment.name));
      }
      expect(TEMPLATED_ERRORS.filter((name) => !declared.has(name))).to.deep.equal([]);
      expect(TEMPLATED_ERRORS.length).to.equal(declared.size);
    });

    it("renders values: tonnes, enums, roles, labels, timestamps, basis points", function () {
      const registry = new Interface(CarbonRegistry__factory.abi);
      const manager = new Interface(AccessManager__factory.abi);
      const market = new Interface(CarbonMarketplace__factory.abi);
      const compliance = new Interface(ComplianceRegistry__factory.abi);
      const acme = "0x00000000000000000000000000000000000000a1";
      const labels: ErrorLabels = { names: new Map([[acme, "Acme Corp"]]) };

      const cases: [string, string, ErrorLabels | undefined][] = [
        [
          registry.encodeErrorResult("CarbonRegistryInvalidReportStatus", [4n, 2n]),
          "report 4 is Verified, a status this operation does not accept",
          undefined,
        ],
        [
          registry.encodeErrorResult("CarbonRegistryInvalidProjectStatus", [3n, 4n]),
          "project 3 is Suspended, a status this operation does not accept",
          undefined,
        ],
        [
          registry.encodeErrorResult("CarbonRegistryInvalidBuffer", [12_500n]),
          "buffer share 12,500 bps (125%) is above 100% (10,000 bps)",
          undefined,
        ],
        [
          manager.encodeErrorResult("AccessManagerUnauthorizedAccount", [acme, 3n]),
          "Acme Corp does not hold the REGULATOR role",
          labels,
        ],
        [
          manager.encodeErrorResult("AccessManagerUnauthorizedCall", [acme, acme, id("pause()").slice(0, 10)]),
          "Acme Corp is not allowed to call pause() on Acme Corp",
          labels,
        ],
        [
          market.encodeErrorResult("MarketplaceBatchMismatch", [2n, 5n, 4n]),
          "batch 5 does not match bid 2: it fails the vintage window criterion",
          undefined,
        ],
        [
          market.encodeErrorResult("MarketplaceListingExpired", [1n, utc(2026, 3, 31)]),
          "listing 1 expired at 2026-03-31 00:00 UTC",
          undefined,
        ],
        [
          compliance.encodeErrorResult("ComplianceOffsetLimitExceeded", [1n, 2026n, 12_000_000n, 12_000_250n]),
          "offsets of 12,000.25 tCO2e would exceed installation 1's limit of 12,000 tCO2e for period 2026",
          undefined,
        ],
        [
          compliance.encodeErrorResult("ComplianceIneligibleOffset", [9n, 6n]),
          "batch 9 is not eligible as an offset: it fails the period's Article 6 authorisation criterion",
          undefined,
        ],
      ];
      for (const [data, expected, caseLabels] of cases)
        expect(decodeCntError(data, caseLabels)!.message).to.equal(expected);
    });

    it("decodes Error(string) and Panic(uint256)", function () {
      const coder = AbiCoder.defaultAbiCoder();
      const errorData = "0x08c379a0" + coder.encode(["string"], ["not enough"]).slice(2);
      expect(decodeCntError(errorData)).to.deep.include({ name: "Error", message: "reverted: not enough" });
      const panic = (code: bigint) => "0x4e487b71" + coder.encode(["uint256"], [code]).slice(2);
      expect(decodeCntError(panic(0x11n))!.message).to.equal("panic 0x11: arithmetic overflow or underflow");
      expect(decodeCntError(panic(0x12n))!.message).to.equal("panic 0x12: division or modulo by zero");
      expect(decodeCntError(panic(0x32n))!.message).to.equal("panic 0x32: array index out of bounds");
      expect(decodeCntError(panic(0x99n))!.message).to.equal("panic 0x99: unknown panic code");
    });
  });

  // ------------------------------------------------------------------ 2. real reverts

  describe("real reverts", function () {
    let world: World;
    let load: <T>(fixture: () => Promise<T>) => Promise<T>;

    // "VCS" is standard 1 (added by approvedProject): its namespace is 1 as bytes32.
    const VCS_LABELS: ErrorLabels = { names: new Map([[namespaceId(1n).toLowerCase(), "VCS"]]) };
    const PERIOD = 2030n;
    const START = utc(2030, 1, 1);
    const REPORTING_DEADLINE = utc(2030, 3, 31);
    const BIDDING_START = utc(2030, 2, 1);
    const BIDDING_END = utc(2030, 2, 15);
    const REVEAL_END = utc(2030, 2, 20);

    async function deployed(): Promise<World> {
      return world;
    }

    /** Project 1 approved in the "VCS" namespace (20% buffer) and batch 1: 1,000 units, serials 1000–1999. */
    async function withBatch(): Promise<World> {
      const w = await load(deployed);
      const projectId = await approvedProject(w);
      await issue(w, projectId, 1_000n, 1_000n);
      return w;
    }

    /** withBatch plus an allowed "USDC" payment token held by alice and listing 1: 500 units at 15,000 per unit. */
    async function withListing(): Promise<{ w: World; usdc: ERC20Mock }> {
      const w = await load(withBatch);
      const usdc = await w.ethers.deployContract("ERC20Mock");
      const market = await w.marketplace.getAddress();
      await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(await usdc.getAddress(), true)).wait();
      await (await w.credit.connect(w.proponent).setApprovalForAll(market, true)).wait();
      await (await usdc.mint(w.alice.address, 1_000_000_000_000n)).wait();
      await (await usdc.connect(w.alice).approve(market, MaxUint256)).wait();
      const expiry = BigInt(await w.connection.networkHelpers.time.latest()) + 7n * 86_400n;
      await (
        await w.marketplace
          .connect(w.proponent)
          .list(await w.credit.getAddress(), 1n, 500n, 15_000n, await usdc.getAddress(), 10n, expiry)
      ).wait();
      return { w, usdc };
    }

    /**
     * On 2030-01-01: period 2030 open (reporting deadline 2030-03-31, 100,000 t cap of which 20,000 t auctioned),
     * alice operates installation 1, and auction 1 of 1,000 t bids from 2030-02-01 to 2030-02-15.
     */
    async function withPeriod(): Promise<{ w: World; installationId: bigint }> {
      const { w, usdc } = await load(withListing);
      await w.connection.networkHelpers.time.increaseTo(START);
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, REPORTING_DEADLINE)).wait();
      await (await w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(REPORTING_DEADLINE))).wait();
      await (await w.compliance.connect(w.regulator).registerInstallation(w.alice.address, 1, "DE")).wait();
      await (
        await w.auction
          .connect(w.regulator)
          .openAuction(PERIOD, 1_000_000n, 5n, await usdc.getAddress(), BIDDING_START, BIDDING_END, REVEAL_END)
      ).wait();
      return { w, installationId: await w.compliance.installationCount() };
    }

    before(async function () {
      world = await deployWorld();
      load = nestedFixtures(world);
      await load(deployed);
    });

    it("registry: a serial range overlapping an issued batch, with the namespace labelled", async function () {
      const w = await load(withBatch);
      const { reportId } = await verifiedReport(w, 1n, 500n, 1_500n);
      const error = await thrownBy(() => w.registry.connect(w.registrar).issueBatch(reportId, 0n));
      expect(explainError(error, VCS_LABELS)).to.equal("serial range 1500–1999 overlaps batch 1 (VCS 1000–1999)");
      // Without a label the namespace shows as short hex.
      expect(explainError(error)).to.match(
        /^serial range 1500–1999 overlaps batch 1 \(0x[0-9a-f]{6}…[0-9a-f]{6} 1000–1999\)$/,
      );
    });

    it("credit: a transfer above the sender's balance, the sender labelled", async function () {
      const w = await load(withBatch);
      const error = await thrownBy(() =>
        w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, 1n, 900n, "0x"),
      );
      const labels: ErrorLabels = { names: new Map([[w.proponent.address.toLowerCase(), "Proponent Ltd"]]) };
      expect(explainError(error, labels)).to.equal(
        "Proponent Ltd holds 0.8 tCO2e of token id 1, less than the 0.9 tCO2e needed",
      );
    });

    it("credit: a transfer to a frozen account", async function () {
      const w = await load(withBatch);
      await (await w.credit.connect(w.regulator).freeze(w.alice.address, id("investigation"))).wait();
      const error = await thrownBy(() =>
        w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, 1n, 100n, "0x"),
      );
      expect(explainError(error)).to.equal(`${w.alice.address} is frozen: it can neither send nor receive credits`);
    });

    it("marketplace: buying more than a listing's remainder, and above the buyer's price bound", async function () {
      const { w } = await load(withListing);
      const tooMuch = await thrownBy(() => w.marketplace.connect(w.alice).buy(1n, 600n, 15_000n, w.alice.address));
      expect(explainError(tooMuch)).to.equal("listing 1 has only 0.5 tCO2e left, less than the 0.6 tCO2e asked");
      const tooDear = await thrownBy(() => w.marketplace.connect(w.alice).buy(1n, 100n, 10_000n, w.alice.address));
      expect(explainError(tooDear)).to.equal(
        "listing 1's price of 15,000,000 base units per tCO2e (15,000 per kg) is above the buyer's maximum of " +
          "10,000,000 base units per tCO2e (10,000 per kg)",
      );
    });

    it("retirement: an NDC claim on a batch without Article 6 authorisation", async function () {
      const w = await load(withBatch);
      const error = await thrownBy(() =>
        w.retirement.connect(w.proponent).retire(request({ ids: [1n], amounts: [100n], claimType: ClaimType.NDC })),
      );
      expect(explainError(error)).to.equal(
        "claim type NDC on batch 1 needs NDC authorisation with an Applied adjustment, but the batch has authorisation None and adjustment NotApplicable",
      );
    });

    it("compliance: surrendering before the period's reporting closes", async function () {
      const { w, installationId } = await load(withPeriod);
      const error = await thrownBy(() =>
        w.compliance.connect(w.alice).surrenderAllowances(installationId, PERIOD, [PERIOD], [1_000n]),
      );
      expect(explainError(error)).to.equal(
        "surrender for period 2030 opens at 2030-03-31 00:00 UTC, when its reporting closes",
      );
    });

    it("compliance: allocating more than the cap leaves for free allocation", async function () {
      const { w, installationId } = await load(withPeriod);
      const error = await thrownBy(() =>
        w.compliance.connect(w.regulator).allocate(PERIOD, installationId, 80_000_001n),
      );
      expect(explainError(error)).to.equal(
        "allocating 80,000.001 tCO2e exceeds period 2030's cap: only 80,000 tCO2e is left for free allocation",
      );
    });

    it("auction: a bid committed before the bidding window opens", async function () {
      const { w } = await load(withPeriod);
      const error = await thrownBy(() => w.auction.connect(w.alice).commitBid(1n, id("commitment"), 5_000_000n));
      expect(explainError(error)).to.equal(
        "auction 1 takes bids only from 2030-02-01 00:00 UTC until 2030-02-15 00:00 UTC",
      );
    });

    it("access: a restricted function called without the role", async function () {
      const w = await load(withBatch);
      const error = await thrownBy(() => w.registry.connect(w.outsider).addMethodology("VM0042", 0, "ipfs://vm0042"));
      expect(explainError(error)).to.equal(`${w.outsider.address} is not allowed to call this function (missing role)`);
      const labels: ErrorLabels = { names: new Map([[w.outsider.address.toLowerCase(), "Mallory"]]) };
      expect(explainError(error, labels)).to.equal("Mallory is not allowed to call this function (missing role)");
      const grant = await thrownBy(() => w.manager.connect(w.outsider).grantRole(1n, w.outsider.address, 0));
      expect(explainError(grant, labels)).to.equal("Mallory does not hold the ADMIN role");
    });

    it("pause: the paused registry and the paused marketplace", async function () {
      const { w } = await load(withListing);
      await (await w.registry.connect(w.pauser).pause()).wait();
      const registryError = await thrownBy(() =>
        w.registry.connect(w.registrar).addMethodology("VM0042", 0, "ipfs://vm0042"),
      );
      expect(explainError(registryError)).to.equal("the contract is paused");
      await (await w.marketplace.connect(w.pauser).pause()).wait();
      const marketError = await thrownBy(() => w.marketplace.connect(w.alice).buy(1n, 100n, 15_000n, w.alice.address));
      expect(explainError(marketError)).to.equal("the contract is paused");
    });
  });

  // ------------------------------------------------------------------ 3. explainError on anything thrown

  describe("explainError", function () {
    const registry = new Interface(CarbonRegistry__factory.abi);
    const unknownBatch = registry.encodeErrorResult("CarbonRegistryUnknownBatch", [99n]);

    it("describes a non-revert error in one line", function () {
      expect(explainError(new Error("boom"))).to.equal("boom");
      expect(explainError(new Error("first line\n  at somewhere\n  at elsewhere"))).to.equal("first line");
      const ethersLike = Object.assign(new Error("insufficient funds for intrinsic transaction cost (long dump…)"), {
        shortMessage: "insufficient funds for intrinsic transaction cost",
        code: "INSUFFICIENT_FUNDS",
      });
      expect(explainError(ethersLike)).to.equal("insufficient funds for intrinsic transaction cost");
      expect(explainError("plain text")).to.equal("plain text");
      expect(explainError(undefined)).to.equal("unknown error");
      expect(explainError({})).to.equal("unknown error");
    });

    it("names an unknown selector with the data length", function () {
      const data = "0x12345678" + "00".repeat(32);
      expect(decodeCntError(data)).to.equal(undefined);
      expect(explainError({ data })).to.equal("reverted with unknown error 0x12345678 (36 bytes of data)");
      expect(explainError({ data: "0x12345678" })).to.equal("reverted with unknown error 0x12345678 (4 bytes of data)");
      expect(explainError({ data: "0x" })).to.equal("reverted without a reason");
    });

    it("finds the revert data wherever a provider put it", function () {
      const expected = "batch 99 does not exist";
      const shapes: unknown[] = [
        unknownBatch,
        { data: unknownBatch },
        { info: { error: { code: 3, message: "execution reverted", data: unknownBatch } } },
        { error: { data: { message: "execution reverted", data: unknownBatch } } },
        { error: { error: { data: unknownBatch } } },
        new Error("wrapped", { cause: { data: unknownBatch } }),
        { shortMessage: "execution reverted", data: null, info: { error: { data: { data: unknownBatch } } } },
        new Error(
          `execution reverted (unknown custom error) (action="estimateGas", data="${unknownBatch}", reason=null)`,
        ),
        { message: "call failed", body: JSON.stringify({ error: { code: 3, data: unknownBatch } }) },
      ];
      for (const shape of shapes) expect(explainError(shape)).to.equal(expected);
    });

    it("never takes a transaction's call data for revert data", function () {
      const calldata = registry.encodeFunctionData("getBatch", [99n]);
      const error = Object.assign(new Error("could not coalesce error"), {
        shortMessage: "could not coalesce error",
        transaction: { data: calldata, to: ZeroAddress },
        payload: { params: [{ data: calldata }] },
      });
      expect(explainError(error)).to.equal("could not coalesce error");
    });

    it("uses an error ethers decoded itself when its data is gone", function () {
      const error = {
        revert: { name: "CarbonRegistryUnknownBatch", signature: "CarbonRegistryUnknownBatch(uint256)", args: [99n] },
      };
      expect(explainError(error)).to.equal("batch 99 does not exist");
    });
  });

  // ------------------------------------------------------------------ 4. formatting helpers

  describe("formatTonnes and formatTimestamp", function () {
    it("formats units (kg) as tCO2e", function () {
      const cases: [bigint, string][] = [
        [12_500n, "12.5 tCO2e"],
        [12_000_000n, "12,000 tCO2e"],
        [250n, "0.25 tCO2e"],
        [0n, "0 tCO2e"],
        [1n, "0.001 tCO2e"],
        [1_000n, "1 tCO2e"],
        [1_010n, "1.01 tCO2e"],
        [1_234_567_890n, "1,234,567.89 tCO2e"],
        [-1_500n, "-1.5 tCO2e"],
        [2n ** 128n - 1n, "340,282,366,920,938,463,463,374,607,431,768,211.455 tCO2e"],
      ];
      for (const [units, text] of cases) expect(formatTonnes(units), `${units}`).to.equal(text);
    });

    it("formats unix seconds as UTC dates", function () {
      expect(formatTimestamp(utc(2026, 3, 31))).to.equal("2026-03-31 00:00 UTC");
      expect(formatTimestamp(utc(2026, 3, 31) + 3_600n * 13n + 60n * 7n + 9n)).to.equal("2026-03-31 13:07:09 UTC");
      expect(formatTimestamp(0n)).to.equal("0 (unset)");
      expect(formatTimestamp(2n ** 64n - 1n)).to.equal("timestamp 18446744073709551615");
    });
  });
});
