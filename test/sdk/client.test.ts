import { expect } from "chai";
import { MaxUint256, Wallet, ZeroAddress, ZeroHash, id, type ContractTransactionResponse } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import {
  Category,
  ClaimType,
  CntArgumentError,
  CntClient,
  CntContractError,
  SuiteContracts,
  connect,
  formatTimestamp,
  type Deployment,
  type SuiteContractName,
} from "../../sdk/index.js";
import type { ERC20Mock } from "../../typechain-types/index.js";
import { PERIOD, SECTOR, attest, openPeriod, registerInstallation, timeTo } from "../helpers/compliance.js";
import { ProjectStatus, ReportStatus, code, deployWorld, suiteAddresses, type World } from "../helpers/fixtures.js";
import { namespaceId, nestedFixtures } from "../helpers/registry.js";
import { request } from "../helpers/retirement.js";

const DAY = 86_400n;
const YEAR = 365n * DAY;
// Project 1: the proponent's, in "BR-PA" under methodology 1 (removal), with a 20% buffer.
const PROJECT = {
  methodologyId: 1,
  standard: "VCS",
  externalRef: "VCS-4242",
  jurisdiction: "BR-PA",
  bufferBps: 2_000,
  uri: "ipfs://project-4242",
};
// Report 1 / batch 1: 10,000 units with serials 1 to 10,000; 8,000 to the proponent, 2,000 to the buffer.
const QUANTITY = 10_000n;
const TO_PROPONENT = 8_000n;
const BUFFER = 2_000n;
const REPORT_HASH = id("report 1");
const VERIFICATION_HASH = id("verification 1");
// Every buyer (alice, bob) starts with 1,000,000 USDC (6 decimals) and no allowance for the marketplace.
const FUNDS = 1_000_000_000_000n;
// The marketplace fee of the `market` fixture: 1%, to the treasury (admin).
const FEE_BPS = 100n;
const BPS = 10_000n;
// Listing 1 of the `listed` fixture: 1,000 units of batch 1 at 15,000 base units per unit, at least 10 a purchase.
const LISTED = 1_000n;
const PRICE = 15_000n;
const MIN_FILL = 10n;
// Bid 1 of the `bid` fixture: alice wants 500 units of a removal batch of methodology 1 in Brazil (or Kenya), at
// 20,000 base units per unit.
const BID_QUANTITY = 500n;
const BID_PRICE = 20_000n;
// The neutrality tests: alice's verified emissions for NEUTRAL_PERIOD (no compliance period), in kg.
const NEUTRAL_PERIOD = 2025n;
const NEUTRAL_EMISSIONS = 2_500n;
// The compliance fixture: installation 1 is alice's ("DE"); 5,000 t allocated for PERIOD, 3,000 t verified emissions
// (an offset limit of 300 t at the default 10%); the proponent gives alice 2,000 credits of batch 1.
const INSTALLATION = 1n;
const ALLOCATION = 5_000_000n;
const EMISSIONS = 3_000_000n;
const ALICE_CREDITS = 2_000n;

interface Clients {
  admin: CntClient;
  registrar: CntClient;
  verifier: CntClient;
  regulator: CntClient;
  proponent: CntClient;
  alice: CntClient;
  bob: CntClient;
  outsider: CntClient;
}

interface Market {
  usdc: ERC20Mock;
  pay: string;
  market: string;
}

describe("sdk/client", function () {
  let w: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;
  let chainId: bigint;
  let addresses: Record<SuiteContractName, string>;
  let c: Clients;

  // ------------------------------------------------------------------ helpers

  async function mined(tx: Promise<ContractTransactionResponse>): Promise<void> {
    await (await tx).wait();
  }

  async function now(): Promise<bigint> {
    return BigInt(await w.connection.networkHelpers.time.latest());
  }

  async function nonce(signer: HardhatEthersSigner): Promise<number> {
    return w.ethers.provider.getTransactionCount(signer.address);
  }

  /** Runs `run`, which must reject, and returns what it threw. */
  async function rejection(run: () => Promise<unknown>): Promise<unknown> {
    try {
      await run();
    } catch (error) {
      return error;
    }
    return expect.fail("expected the call to throw");
  }

  /** `run` throws a CntArgumentError naming `argument` with exactly `message`, and `signer` sends nothing. */
  async function expectRefused(
    signer: HardhatEthersSigner,
    run: () => Promise<unknown>,
    argument: string,
    message: string,
  ): Promise<void> {
    const before = await nonce(signer);
    const blockBefore = await w.ethers.provider.getBlockNumber();
    const error = await rejection(run);
    expect(error, String(error)).to.be.instanceOf(CntArgumentError);
    expect((error as CntArgumentError).argument).to.equal(argument);
    expect((error as CntArgumentError).message).to.equal(message);
    expect(await nonce(signer), `${signer.address} sent a transaction`).to.equal(before);
    expect(await w.ethers.provider.getBlockNumber(), "a block was mined").to.equal(blockBefore);
  }

  /** `run` throws a CntContractError for the custom error `name`, whose message is exactly `message`. */
  async function expectContractError(
    run: () => Promise<unknown>,
    name: string,
    message: string,
  ): Promise<CntContractError> {
    const error = await rejection(run);
    expect(error, String(error)).to.be.instanceOf(CntContractError);
    const e = error as CntContractError;
    expect(e).to.be.instanceOf(Error);
    expect(e.name).to.equal("CntContractError");
    expect(e.error.name).to.equal(name);
    expect(e.message).to.equal(message);
    expect(e.error.message).to.equal(message);
    expect(e.cause).to.be.an("error");
    return e;
  }

  /** A report for project 1 from its last issued period end (or a year ago) to now, a day later. */
  async function reportTerms(quantity: bigint, serialStart: bigint, hash: string = REPORT_HASH) {
    await w.connection.networkHelpers.time.increase(DAY);
    const end = await now();
    const project = await w.registry.getProject(1n);
    return {
      projectId: 1n,
      periodStart: project.lastIssuedPeriodEnd || end - YEAR,
      periodEnd: end,
      quantity,
      serialStart,
      reportHash: hash,
      uri: "ipfs://report",
    };
  }

  /** Submits, verifies and issues a report of project 1 through the SDK; returns the issue's result. */
  async function issueThroughSdk(quantity: bigint, serialStart: bigint) {
    const terms = await reportTerms(quantity, serialStart, id(`report ${serialStart}`));
    const { reportId } = await c.proponent.submitReport(terms);
    await c.verifier.verifyReport(reportId, id(`verification ${serialStart}`));
    return c.registrar.issueBatch(reportId);
  }

  /**
   * A retirement of batch 1 (no Article 6 authorisation, so adjustment not applicable) as the SDK's retirementsOf
   * returns it; a claim target (entity, period) only for neutrality and compliance claims.
   */
  function record(
    retirementId: bigint,
    beneficiary: string,
    retiree: string,
    amount: bigint,
    claimType: number,
    certified: boolean,
    firstUnit: bigint,
    target: { claimEntity: string; claimPeriod: bigint } = { claimEntity: ZeroAddress, claimPeriod: 0n },
  ) {
    return {
      retirementId,
      batchId: 1n,
      beneficiary,
      retiree,
      amount,
      firstUnit,
      claimType,
      ...target,
      authorisation: 0,
      adjustment: 0,
      certified,
    };
  }

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<World> {
    return w;
  }

  /** Methodology 1 (removal, "VM0047") with the verifier accredited for it; standards "VCS" (1) and "GS" (2). */
  async function methodology(): Promise<void> {
    await load(deployed);
    await mined(w.registry.connect(w.registrar).addMethodology("VM0047", Category.Removal, "ipfs://vm0047"));
    await mined(w.registry.connect(w.registrar).accreditVerifier(w.verifier.address, 1n));
    await c.registrar.addStandard("VCS", "https://verra.org");
    await c.registrar.addStandard("GS");
  }

  /** Project 1 registered through the SDK by the proponent and approved by the registrar through `contracts`. */
  async function registered(): Promise<void> {
    await load(methodology);
    await c.proponent.registerProject(PROJECT);
    await mined(c.registrar.contracts.registry.approveProject(1n, id("approved")));
  }

  /** Report 1 (QUANTITY units from serial 1) submitted through the SDK. */
  async function submitted(): Promise<void> {
    await load(registered);
    await c.proponent.submitReport(await reportTerms(QUANTITY, 1n));
  }

  /** Report 1 verified through the SDK. */
  async function verified(): Promise<void> {
    await load(submitted);
    await c.verifier.verifyReport(1n, VERIFICATION_HASH);
  }

  /** Batch 1 issued through the SDK: TO_PROPONENT units to the proponent. */
  async function issued(): Promise<void> {
    await load(verified);
    await c.registrar.issueBatch(1n);
  }

  /** An ERC20Mock "USDC" allowed as payment, FUNDS of it for alice and bob (no allowance), a 1% fee. */
  async function market(): Promise<Market> {
    await load(issued);
    const usdc = await w.ethers.deployContract("ERC20Mock");
    const pay = await usdc.getAddress();
    await mined(w.marketplace.connect(w.admin).setPaymentTokenAllowed(pay, true));
    await mined(w.marketplace.connect(w.treasurer).setFee(FEE_BPS));
    for (const buyer of [w.alice, w.bob]) await mined(usdc.mint(buyer.address, FUNDS));
    return { usdc, pay, market: addresses.CarbonMarketplace };
  }

  /** Listing 1 through the SDK: the proponent's LISTED units of batch 1 at PRICE, open for a week. */
  async function listed(): Promise<Market & { expiry: bigint }> {
    const m = await load(market);
    const expiry = (await now()) + 7n * DAY;
    await c.proponent.list({
      id: 1n,
      amount: LISTED,
      unitPrice: PRICE,
      paymentToken: m.pay,
      minFill: MIN_FILL,
      expiry,
    });
    return { ...m, expiry };
  }

  /** Bid 1 through the SDK (from `market`, no listing): alice's criteria bid. */
  async function bid(): Promise<Market> {
    const m = await load(market);
    await c.alice.placeBid({
      criteria: { methodologyIds: [1], jurisdictions: ["KE", "BR"], categories: 1 << Category.Removal },
      quantity: BID_QUANTITY,
      unitPrice: BID_PRICE,
      paymentToken: m.pay,
      expiry: (await now()) + 7n * DAY,
    });
    return m;
  }

  /**
   * PERIOD open (reporting deadline in 60 days), installation 1 of alice with ALLOCATION and EMISSIONS verified,
   * ALICE_CREDITS of batch 1 given to alice (who has approved nothing).
   */
  async function compliance(): Promise<Market & { entity: string; reportingDeadline: bigint }> {
    const m = await load(market);
    const { reportingDeadline } = await openPeriod(w, PERIOD);
    const { installationId, entity } = await registerInstallation(w, w.alice, "DE");
    expect(installationId).to.equal(INSTALLATION);
    await mined(w.compliance.connect(w.regulator).allocate(PERIOD, INSTALLATION, ALLOCATION));
    await attest(w, entity, EMISSIONS);
    await mined(w.credit.connect(w.proponent).safeTransferFrom(w.proponent, w.alice, 1n, ALICE_CREDITS, "0x"));
    return { ...m, entity, reportingDeadline };
  }

  /** `compliance` at PERIOD's reporting deadline: the surrender window is open. */
  async function inWindow(): Promise<Market & { entity: string }> {
    const ctx = await load(compliance);
    await timeTo(w, ctx.reportingDeadline);
    return ctx;
  }

  before(async function () {
    w = await deployWorld();
    load = nestedFixtures(w);
    chainId = (await w.ethers.provider.getNetwork()).chainId;
    addresses = await suiteAddresses(w);
    c = {
      admin: await connect(w.admin, addresses),
      registrar: await connect(w.registrar, addresses),
      verifier: await connect(w.verifier, addresses),
      regulator: await connect(w.regulator, addresses),
      proponent: await connect(w.proponent, addresses),
      alice: await connect(w.alice, addresses),
      bob: await connect(w.bob, addresses),
      outsider: await connect(w.outsider, addresses),
    };
    await load(deployed);
  });

  // ------------------------------------------------------------------ connect

  describe("connect", function () {
    function deployment(overrides: Partial<Deployment> = {}): Deployment {
      return {
        chainId: Number(chainId),
        network: "hardhat",
        fromBlock: 0,
        contracts: { ...addresses },
        roles: {
          ADMIN: { id: "0", holders: [w.admin.address] },
          REGISTRAR: { id: "1", holders: [w.registrar.address] },
          VERIFIER: { id: "2", holders: [w.verifier.address] },
          REGULATOR: { id: "3", holders: [w.regulator.address] },
          PAUSER: { id: "4", holders: [w.pauser.address] },
          TREASURER: { id: "5", holders: [w.treasurer.address] },
          PUBLIC: { id: "18446744073709551615", holders: [] },
        },
        treasury: {
          CarbonMarketplace: w.admin.address,
          ComplianceRegistry: w.admin.address,
          AllowanceAuction: w.admin.address,
        },
        feeBps: 0,
        paymentTokens: [],
        ...overrides,
      };
    }

    it("connects with the addresses by contract name, checksummed, on the provider's chain", async function () {
      await load(deployed);
      const lower = Object.fromEntries(
        Object.entries(addresses).map(([name, address]) => [name, address.toLowerCase()]),
      ) as Record<SuiteContractName, string>;
      const client = await connect(w.alice, lower);
      expect(client).to.be.instanceOf(CntClient);
      expect(client.chainId).to.equal(chainId);
      expect(client.runner).to.equal(w.alice);
      expect(client.deployment).to.equal(undefined);
      expect(client.addresses).to.deep.equal(addresses);
      const handles: Record<keyof CntClient["contracts"], SuiteContractName> = {
        manager: "AccessManager",
        registry: "CarbonRegistry",
        credit: "CarbonCredit",
        retirement: "RetirementRegistry",
        certificate: "RetirementCertificate",
        marketplace: "CarbonMarketplace",
        ledger: "EmissionsLedger",
        compliance: "ComplianceRegistry",
        allowance: "EmissionAllowance",
        auction: "AllowanceAuction",
      };
      for (const [handle, name] of Object.entries(handles) as [keyof CntClient["contracts"], SuiteContractName][]) {
        expect(client.contracts[handle].target, handle).to.equal(addresses[name]);
        expect(client.labels.names.get(addresses[name].toLowerCase()), name).to.equal(name);
      }
      // The handles read the right contracts.
      expect(await client.contracts.credit.registry()).to.equal(addresses.CarbonRegistry);
      expect(await client.contracts.retirement.certificate()).to.equal(addresses.RetirementCertificate);
      expect(await client.contracts.compliance.allowance()).to.equal(addresses.EmissionAllowance);
      expect(await client.contracts.registry.counts()).to.deep.equal([0n, 0n, 0n, 0n]);
    });

    it("connects with a Deployment record of the provider's chain and keeps it", async function () {
      const record = deployment();
      const client = await connect(w.bob, record);
      expect(client.deployment).to.equal(record);
      expect(client.chainId).to.equal(chainId);
      expect(client.addresses).to.deep.equal(addresses);
      expect(await client.contracts.marketplace.credit()).to.equal(addresses.CarbonCredit);
    });

    it("refuses a Deployment record of another chain", async function () {
      const error = await rejection(() => connect(w.alice, deployment({ chainId: 11_155_111 })));
      expect(error).to.be.instanceOf(CntArgumentError);
      expect((error as CntArgumentError).argument).to.equal("deployment");
      expect((error as Error).message).to.equal(
        `deployment: the deployment is for chain 11155111, the provider is on chain ${chainId}`,
      );
    });

    it("refuses a chain id that is not the provider's", async function () {
      for (const other of [1, 1n, Number(chainId) + 1]) {
        const error = await rejection(() => connect(w.alice, other));
        expect(error).to.be.instanceOf(CntArgumentError);
        expect((error as CntArgumentError).argument).to.equal("deployment");
        expect((error as Error).message).to.equal(
          `deployment: chain id ${other} given, but the provider is on chain ${chainId}`,
        );
      }
    });

    it("refuses an entry that is not an address, naming it", async function () {
      for (const name of SuiteContracts) {
        for (const [bad, shown] of [
          ["0x1234", `"0x1234"`],
          ["", `""`],
          [undefined, "undefined"],
        ] as [string, string][]) {
          const error = await rejection(() => connect(w.alice, { ...addresses, [name]: bad }));
          expect(error, name).to.be.instanceOf(CntArgumentError);
          expect((error as CntArgumentError).argument).to.equal(`deployment.${name}`);
          expect((error as Error).message).to.equal(`deployment.${name}: ${shown} is not an address`);
        }
      }
      // The same inside a Deployment record.
      const error = await rejection(() =>
        connect(w.alice, deployment({ contracts: { ...addresses, CarbonCredit: "carbon credit" } })),
      );
      expect((error as CntArgumentError).argument).to.equal("deployment.CarbonCredit");
      expect((error as Error).message).to.equal(`deployment.CarbonCredit: "carbon credit" is not an address`);
    });

    it("refuses a registry address without code", async function () {
      for (const empty of [w.outsider.address, "0x000000000000000000000000000000000000dEaD"]) {
        const error = await rejection(() => connect(w.alice, { ...addresses, CarbonRegistry: empty }));
        expect(error).to.be.instanceOf(CntArgumentError);
        expect((error as CntArgumentError).argument).to.equal("deployment");
        expect((error as Error).message).to.equal(
          `deployment: no contract at the registry address ${empty} on chain ${chainId}`,
        );
      }
    });

    it("refuses a Signer without a provider", async function () {
      const error = await rejection(() => connect(Wallet.createRandom(), addresses));
      expect(error).to.be.instanceOf(CntArgumentError);
      expect((error as CntArgumentError).argument).to.equal("runner");
      expect((error as Error).message).to.equal("runner: a Signer connected to a provider, or a Provider, is needed");
    });

    it("a Provider-only client reads, but every flow helper refuses to send", async function () {
      await load(issued);
      const reader = await connect(w.ethers.provider, addresses);
      expect(reader.chainId).to.equal(chainId);
      expect(await reader.contracts.credit.balanceOf(w.proponent.address, 1n)).to.equal(TO_PROPONENT);
      expect(await reader.retirementsOf(w.alice.address)).to.deep.equal([]);
      expect(await reader.neutrality(w.alice.address, NEUTRAL_PERIOD)).to.deep.equal({
        verified: false,
        emissions: 0n,
        retired: 0n,
        neutral: false,
      });
      const expiry = (await now()) + DAY;
      const terms = await reportTerms(QUANTITY, 20_001n);
      const flows: [string, () => Promise<unknown>][] = [
        ["registerProject", () => reader.registerProject(PROJECT)],
        ["submitReport", () => reader.submitReport(terms)],
        ["verifyReport", () => reader.verifyReport(1n, VERIFICATION_HASH)],
        ["issueBatch", () => reader.issueBatch(1n)],
        ["list", () => reader.list({ id: 1n, amount: 1n, unitPrice: 1n, paymentToken: ZeroAddress, expiry })],
        ["buy", () => reader.buy({ listingId: 1n, amount: 1n })],
        [
          "placeBid",
          () =>
            reader.placeBid({
              criteria: { jurisdictions: ["BR"] },
              quantity: 1n,
              unitPrice: 1n,
              paymentToken: ZeroAddress,
              expiry,
            }),
        ],
        ["fillBid", () => reader.fillBid(1n, 1n, 1n)],
        ["retire", () => reader.retire({ batchId: 1n, amount: 1n, beneficiary: w.alice.address })],
        ["surrenderAllowances", () => reader.surrenderAllowances({ installationId: 1n, period: PERIOD, amount: 1n })],
        [
          "surrenderOffsets",
          () => reader.surrenderOffsets({ installationId: 1n, period: PERIOD, batchId: 1n, amount: 1n }),
        ],
      ];
      for (const [name, run] of flows) {
        const blockBefore = await w.ethers.provider.getBlockNumber();
        const error = await rejection(run);
        expect(error, name).to.be.instanceOf(CntArgumentError);
        expect((error as CntArgumentError).argument, name).to.equal("runner");
        expect((error as Error).message, name).to.equal("runner: sending a transaction needs a Signer, not a Provider");
        expect(await w.ethers.provider.getBlockNumber(), name).to.equal(blockBefore);
      }
    });
  });

  // ------------------------------------------------------------------ registry flows

  describe("registerProject", function () {
    it("registers a project for the signer and returns its id", async function () {
      await load(methodology);
      const first = await c.proponent.registerProject(PROJECT);
      expect(first.projectId).to.equal(1n);
      expect(first.receipt.status).to.equal(1);
      expect(first.receipt.from).to.equal(w.proponent.address);
      const second = await c.alice.registerProject({
        methodologyId: 1n,
        standard: 2n, // by id
        externalRef: "GS-7",
        jurisdiction: "KE",
      });
      expect(second.projectId).to.equal(2n);
      expect((await w.registry.getProject(2n)).standard).to.equal("GS");

      const p = await w.registry.getProject(1n);
      expect(p.proponent).to.equal(w.proponent.address);
      expect(p.methodologyId).to.equal(1n);
      expect(p.bufferBps).to.equal(2_000n);
      expect(p.status).to.equal(BigInt(ProjectStatus.Pending));
      expect(p.namespace).to.equal(namespaceId(1n));
      expect(p.standardId).to.equal(1n);
      expect([p.standard, p.externalRef, p.jurisdiction, p.uri]).to.deep.equal([
        "VCS",
        "VCS-4242",
        code("BR-PA"),
        "ipfs://project-4242",
      ]);
      // Defaults: no buffer, no URI.
      const q = await w.registry.getProject(2n);
      expect(q.proponent).to.equal(w.alice.address);
      expect(q.bufferBps).to.equal(0n);
      expect(q.uri).to.equal("");
      expect(q.jurisdiction).to.equal(code("KE"));
    });

    it("checks its arguments before sending", async function () {
      await load(methodology);
      const p = c.proponent;
      const signer = w.proponent;
      await expectRefused(
        signer,
        () => p.registerProject({ ...PROJECT, methodologyId: 0 }),
        "methodologyId",
        "methodologyId: 0 is not an id (ids start at 1)",
      );
      for (const bufferBps of [10_001, -1, 2.5]) {
        await expectRefused(
          signer,
          () => p.registerProject({ ...PROJECT, bufferBps }),
          "bufferBps",
          `bufferBps: ${bufferBps} is not a share in basis points (0 to 10,000)`,
        );
      }
      for (const key of ["standard", "externalRef"] as const) {
        for (const empty of ["", "   "]) {
          if (key === "externalRef" && empty !== "") continue; // not empty, but not canonical: below
          await expectRefused(
            signer,
            () => p.registerProject({ ...PROJECT, [key]: empty }),
            key,
            `${key}: must not be empty`,
          );
        }
      }
      const form = `an assigned country, optionally "-" and one to three upper-case letters or digits`;
      for (const [jurisdiction, hint] of [
        ["", ""],
        ["br-pa", " (write BR-PA)"],
        ["BR_PA ", " (write BR-PA)"],
        ["BRA", ""],
        ["XX", ""],
        ["BR-PARA", ""],
      ]) {
        await expectRefused(
          signer,
          () => p.registerProject({ ...PROJECT, jurisdiction }),
          "jurisdiction",
          `jurisdiction: ${JSON.stringify(jurisdiction)} is not an ISO 3166 code such as "BR" or "BR-PA"${hint}: ${form}`,
        );
      }
      for (const externalRef of ["vcs-4242", "VCS-4242 ", "VCS 4242", "A".repeat(65)]) {
        await expectRefused(
          signer,
          () => p.registerProject({ ...PROJECT, externalRef }),
          "externalRef",
          `externalRef: ${JSON.stringify(externalRef)} is not an external reference (1 to 64 characters of A-Z, 0-9, '-', '.', '_' and '/', e.g. "VCS-1234")`,
        );
      }
      for (const standard of ["vcs", "VCS ", "V\u0421S"]) {
        await expectRefused(
          signer,
          () => p.registerProject({ ...PROJECT, standard }),
          "standard",
          `standard: ${JSON.stringify(standard)} is not a standard code (1 to 16 characters of A-Z, 0-9, '-' and '.', e.g. "VCS")`,
        );
      }
      await expectRefused(
        signer,
        () => p.registerProject({ ...PROJECT, standard: "PURO" }),
        "standard",
        'standard: the registry has no standard "PURO"',
      );
      await expectRefused(
        signer,
        () => p.registerProject({ ...PROJECT, standard: 0 }),
        "standard",
        "standard: 0 is not an id (ids start at 1)",
      );
      expect((await w.registry.counts())[1]).to.equal(0n);
    });

    it("a second project of the same external reference becomes a CntContractError", async function () {
      await load(registered);
      const e = await expectContractError(
        () => c.alice.registerProject({ ...PROJECT, standard: 1n }),
        "CarbonRegistryDuplicateProject",
        'external project "VCS-4242" of standard 1 is already registered as project 1',
      );
      expect(e.error.args.projectId).to.equal(1n);
    });

    it("an unknown standard id becomes a CntContractError", async function () {
      await load(methodology);
      await expectContractError(
        () => c.proponent.registerProject({ ...PROJECT, standard: 9n }),
        "CarbonRegistryUnknownStandard",
        "standard 9 does not exist (the registrar adds standards)",
      );
    });
  });

  describe("standards", function () {
    it("the registrar adds standards; anyone lists them", async function () {
      await load(methodology);
      const { standardId, receipt } = await c.registrar.addStandard("PURO", "https://puro.earth");
      expect(standardId).to.equal(3n);
      expect(receipt.status).to.equal(1);
      expect(await c.alice.standards()).to.deep.equal([
        { standardId: 1n, code: "VCS", uri: "https://verra.org", active: true },
        { standardId: 2n, code: "GS", uri: "", active: true },
        { standardId: 3n, code: "PURO", uri: "https://puro.earth", active: true },
      ]);
      expect(await c.alice.standardId("PURO")).to.equal(3n);
      expect(await c.alice.standardId(2)).to.equal(2n);
    });

    it("refuses a non-canonical code before sending", async function () {
      await load(methodology);
      for (const code of ["", "puro", "PURO ", "P".repeat(17)]) {
        await expectRefused(
          w.registrar,
          () => c.registrar.addStandard(code),
          "code",
          `code: ${JSON.stringify(code)} is not a standard code (1 to 16 characters of A-Z, 0-9, '-' and '.', e.g. "VCS")`,
        );
      }
    });
  });

  describe("registerProject errors", function () {
    it("an unknown methodology becomes a CntContractError", async function () {
      await load(methodology);
      const e = await expectContractError(
        () => c.proponent.registerProject({ ...PROJECT, methodologyId: 9 }),
        "CarbonRegistryUnknownMethodology",
        "methodology 9 does not exist",
      );
      expect(e.error.args.methodologyId).to.equal(9n);
    });
  });

  describe("submitReport", function () {
    it("submits a report with serials from serialStart and returns its id", async function () {
      await load(registered);
      const terms = await reportTerms(QUANTITY, 1n);
      const { reportId, receipt } = await c.proponent.submitReport(terms);
      expect(reportId).to.equal(1n);
      expect(receipt.status).to.equal(1);
      const r = await w.registry.getReport(1n);
      expect(r.projectId).to.equal(1n);
      expect(r.periodStart).to.equal(terms.periodStart);
      expect(r.periodEnd).to.equal(terms.periodEnd);
      expect(r.status).to.equal(BigInt(ReportStatus.Submitted));
      expect(r.quantity).to.equal(QUANTITY);
      expect(r.serialStart).to.equal(1n);
      expect(r.serialEnd).to.equal(QUANTITY);
      expect(r.reportHash).to.equal(REPORT_HASH);
      expect(r.verifier).to.equal(ZeroAddress);

      // A second report, numbers as plain numbers, serials following the first's.
      const more = await reportTerms(250n, 10_001n, id("report 2"));
      const second = await c.proponent.submitReport({
        ...more,
        projectId: 1,
        periodStart: Number(more.periodStart),
        periodEnd: Number(more.periodEnd),
        quantity: 250,
        serialStart: 10_001,
      });
      expect(second.reportId).to.equal(2n);
      const r2 = await w.registry.getReport(2n);
      expect([r2.quantity, r2.serialStart, r2.serialEnd]).to.deep.equal([250n, 10_001n, 10_250n]);
    });

    it("checks its arguments before sending", async function () {
      await load(registered);
      const terms = await reportTerms(QUANTITY, 1n);
      const p = c.proponent;
      const signer = w.proponent;
      await expectRefused(
        signer,
        () => p.submitReport({ ...terms, quantity: 0n }),
        "quantity",
        "quantity: 0 must be more than 0",
      );
      await expectRefused(
        signer,
        () => p.submitReport({ ...terms, quantity: 12.5 }),
        "quantity",
        'quantity: 12.5 is not a whole number of units (kg); use tonnes("…") for tCO2e',
      );
      await expectRefused(
        signer,
        () => p.submitReport({ ...terms, serialStart: 0 }),
        "serialStart",
        "serialStart: 0 must be more than 0",
      );
      for (const reportHash of ["0x1234", REPORT_HASH.slice(2), REPORT_HASH + "00", "0x" + "zz".repeat(32)]) {
        await expectRefused(
          signer,
          () => p.submitReport({ ...terms, reportHash }),
          "reportHash",
          "reportHash: must be a 32-byte hex hash",
        );
      }
      await expectRefused(
        signer,
        () => p.submitReport({ ...terms, projectId: 0 }),
        "projectId",
        "projectId: 0 is not an id (ids start at 1)",
      );
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("a report of someone else's project becomes a CntContractError", async function () {
      await load(registered);
      const terms = await reportTerms(QUANTITY, 1n);
      const e = await expectContractError(
        () => c.alice.submitReport(terms),
        "CarbonRegistryNotProponent",
        `${w.alice.address} is not the proponent of project 1`,
      );
      expect(e.error.args.caller).to.equal(w.alice.address);
    });
  });

  describe("verifyReport", function () {
    it("verifies a submitted report", async function () {
      await load(submitted);
      const { receipt } = await c.verifier.verifyReport(1n, VERIFICATION_HASH);
      expect(receipt.status).to.equal(1);
      expect(receipt.from).to.equal(w.verifier.address);
      const r = await w.registry.getReport(1n);
      expect(r.status).to.equal(BigInt(ReportStatus.Verified));
      expect(r.verifier).to.equal(w.verifier.address);
      expect(r.verificationHash).to.equal(VERIFICATION_HASH);
    });

    it("checks its arguments before sending", async function () {
      await load(submitted);
      const v = c.verifier;
      for (const hash of [ZeroHash, "0x12", VERIFICATION_HASH.slice(2), VERIFICATION_HASH.toUpperCase()]) {
        await expectRefused(
          w.verifier,
          () => v.verifyReport(1n, hash),
          "verificationHash",
          "verificationHash: must be a non-zero 32-byte hex hash",
        );
      }
      await expectRefused(
        w.verifier,
        () => v.verifyReport(0, VERIFICATION_HASH),
        "reportId",
        "reportId: 0 is not an id (ids start at 1)",
      );
      expect((await w.registry.getReport(1n)).status).to.equal(BigInt(ReportStatus.Submitted));
    });

    it("a verifier without accreditation becomes a CntContractError", async function () {
      await load(submitted);
      // Alice holds no VERIFIER role: the AccessManager refuses her.
      const e = await expectContractError(
        () => c.alice.verifyReport(1n, VERIFICATION_HASH),
        "AccessManagedUnauthorized",
        `${w.alice.address} is not allowed to call this function (missing role)`,
      );
      expect(e.error.args.caller).to.equal(w.alice.address);
    });
  });

  describe("issueBatch", function () {
    it("issues a verified report and returns the batch, its split and its serial range", async function () {
      await load(verified);
      const r = await c.registrar.issueBatch(1n);
      expect({
        batchId: r.batchId,
        toProponent: r.toProponent,
        buffer: r.buffer,
        serialStart: r.serialStart,
        serialEnd: r.serialEnd,
      }).to.deep.equal({
        batchId: 1n,
        toProponent: TO_PROPONENT,
        buffer: BUFFER,
        serialStart: 1n,
        serialEnd: QUANTITY,
      });
      expect(r.receipt.status).to.equal(1);
      expect(await w.credit.balanceOf(w.proponent.address, 1n)).to.equal(TO_PROPONENT);
      expect(await w.credit.balanceOf(addresses.CarbonRegistry, 1n)).to.equal(BUFFER);
      const batch = await w.registry.getBatch(1n);
      expect([batch.projectId, batch.reportId, batch.serialStart, batch.serialEnd]).to.deep.equal([
        1n,
        1n,
        1n,
        QUANTITY,
      ]);
      const report = await w.registry.getReport(1n);
      expect(report.status).to.equal(BigInt(ReportStatus.Issued));
      expect(report.batchId).to.equal(1n);
    });

    it("finds the serial hint for a range between existing batches", async function () {
      await load(issued);
      // Batch 2 far after batch 1, then batch 3 between them: its hint is batch 1.
      const b2 = await issueThroughSdk(5_000n, 20_001n);
      expect([b2.batchId, b2.toProponent, b2.buffer, b2.serialStart, b2.serialEnd]).to.deep.equal([
        2n,
        4_000n,
        1_000n,
        20_001n,
        25_000n,
      ]);
      const namespace = namespaceId(1n); // "VCS" is standard 1
      expect(await w.registry.findSerialHint(namespace, 10_001n, 12_000n)).to.deep.equal([1n, 0n]);
      const b3 = await issueThroughSdk(2_001n, 10_001n);
      // 20% of 2,001 is 400.2: the buffer rounds up.
      expect([b3.batchId, b3.toProponent, b3.buffer, b3.serialStart, b3.serialEnd]).to.deep.equal([
        3n,
        1_600n,
        401n,
        10_001n,
        12_001n,
      ]);
      expect((await w.registry.getBatch(1n)).nextInNamespace).to.equal(3n);
      expect((await w.registry.getBatch(3n)).nextInNamespace).to.equal(2n);
      expect((await w.registry.getBatch(2n)).nextInNamespace).to.equal(0n);
    });

    it("checks its argument before sending", async function () {
      await load(verified);
      for (const bad of [0, 0n, -1, 1.5]) {
        const message =
          typeof bad === "number" && !Number.isInteger(bad)
            ? `reportId: ${bad} is not a whole number`
            : `reportId: ${bad} is not an id (ids start at 1)`;
        await expectRefused(w.registrar, () => c.registrar.issueBatch(bad), "reportId", message);
      }
      expect((await w.registry.counts())[3]).to.equal(0n);
    });

    it("issuing a report twice becomes a CntContractError", async function () {
      await load(issued);
      const e = await expectContractError(
        () => c.registrar.issueBatch(1n),
        "CarbonRegistryInvalidReportStatus",
        "report 1 is Issued, a status this operation does not accept",
      );
      expect(e.error.args.reportId).to.equal(1n);
      expect(e.error.args.status).to.equal(BigInt(ReportStatus.Issued));
    });

    it("a missing REGISTRAR role becomes a CntContractError", async function () {
      await load(verified);
      const e = await expectContractError(
        () => c.proponent.issueBatch(1n),
        "AccessManagedUnauthorized",
        `${w.proponent.address} is not allowed to call this function (missing role)`,
      );
      expect(e.error.args.caller).to.equal(w.proponent.address);
      expect((await w.registry.counts())[3]).to.equal(0n);
    });
  });

  // ------------------------------------------------------------------ marketplace flows

  describe("list", function () {
    it("lists credits, approving the marketplace on the credit token first when needed", async function () {
      const m = await load(market);
      const expiry = (await now()) + 7n * DAY;
      expect(await w.credit.isApprovedForAll(w.proponent.address, m.market)).to.equal(false);
      const before = await nonce(w.proponent);
      const first = await c.proponent.list({
        id: 1n,
        amount: LISTED,
        unitPrice: PRICE,
        paymentToken: m.pay,
        minFill: MIN_FILL,
        expiry,
      });
      expect(first.listingId).to.equal(1n);
      // The approval, then the listing.
      expect(await nonce(w.proponent)).to.equal(before + 2);
      expect(await w.credit.isApprovedForAll(w.proponent.address, m.market)).to.equal(true);
      const l = await w.marketplace.getListing(1n);
      expect({
        seller: l.seller,
        token: l.token,
        id: l.id,
        remaining: l.remaining,
        unitPrice: l.unitPrice,
        paymentToken: l.paymentToken,
        minFill: l.minFill,
        expiry: l.expiry,
      }).to.deep.equal({
        seller: w.proponent.address,
        token: addresses.CarbonCredit,
        id: 1n,
        remaining: LISTED,
        unitPrice: PRICE,
        paymentToken: m.pay,
        minFill: MIN_FILL,
        expiry,
      });
      expect(await w.credit.balanceOf(m.market, 1n)).to.equal(LISTED);
      expect(await w.credit.balanceOf(w.proponent.address, 1n)).to.equal(TO_PROPONENT - LISTED);

      // Already approved: only the listing is sent. minFill defaults to 0; numbers are accepted.
      const second = await c.proponent.list({
        id: 1,
        amount: 5,
        unitPrice: 7,
        paymentToken: m.pay.toLowerCase(),
        expiry: Number(expiry),
      });
      expect(second.listingId).to.equal(2n);
      expect(await nonce(w.proponent)).to.equal(before + 3);
      const l2 = await w.marketplace.getListing(2n);
      expect([l2.remaining, l2.unitPrice, l2.minFill, l2.paymentToken]).to.deep.equal([5n, 7n, 0n, m.pay]);
    });

    it("lists allowances of a period with asset 'allowance'", async function () {
      const m = await load(compliance);
      const expiry = (await now()) + 7n * DAY;
      const { listingId } = await c.alice.list({
        asset: "allowance",
        id: PERIOD,
        amount: 1_000_000n,
        unitPrice: 2n,
        paymentToken: m.pay,
        expiry,
      });
      expect(listingId).to.equal(1n);
      const l = await w.marketplace.getListing(1n);
      expect([l.seller, l.token, l.id, l.remaining]).to.deep.equal([
        w.alice.address,
        addresses.EmissionAllowance,
        PERIOD,
        1_000_000n,
      ]);
      expect(await w.allowance.isApprovedForAll(w.alice.address, m.market)).to.equal(true);
      expect(await w.credit.isApprovedForAll(w.alice.address, m.market)).to.equal(false);
      expect(await w.allowance.balanceOf(m.market, PERIOD)).to.equal(1_000_000n);
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(ALLOCATION - 1_000_000n);

      // Bob buys 400 t of them.
      const bought = await c.bob.buy({ listingId, amount: 400_000n });
      expect([bought.paid, bought.fee]).to.deep.equal([800_000n, 8_000n]);
      expect(await w.allowance.balanceOf(w.bob.address, PERIOD)).to.equal(400_000n);
      expect(await m.usdc.balanceOf(w.alice.address)).to.equal(FUNDS + 792_000n);
    });

    it("checks its arguments before sending (seller already approved)", async function () {
      const m = await load(listed);
      const expiry = m.expiry;
      const terms = { id: 1n, amount: 10n, unitPrice: PRICE, paymentToken: m.pay, expiry };
      const p = c.proponent;
      await expectRefused(w.proponent, () => p.list({ ...terms, id: 0n }), "id", "id: 0 is not an id (ids start at 1)");
      await expectRefused(
        w.proponent,
        () => p.list({ ...terms, amount: 0 }),
        "amount",
        "amount: 0 must be more than 0",
      );
      await expectRefused(
        w.proponent,
        () => p.list({ ...terms, unitPrice: -1n }),
        "unitPrice",
        "unitPrice: -1 must be more than 0",
      );
      await expectRefused(
        w.proponent,
        () => p.list({ ...terms, paymentToken: "USDC" }),
        "paymentToken",
        'paymentToken: "USDC" is not an address',
      );
      expect(await w.marketplace.listingCount()).to.equal(1n);
    });

    it("a payment token the marketplace does not allow becomes a CntContractError naming the contract", async function () {
      const m = await load(listed);
      // The credit token is a suite contract: the message names it.
      const e = await expectContractError(
        () =>
          c.proponent.list({
            id: 1n,
            amount: 10n,
            unitPrice: PRICE,
            paymentToken: addresses.CarbonCredit,
            expiry: m.expiry,
          }),
        "MarketplacePaymentTokenNotAllowed",
        "CarbonCredit is not an allowed payment token",
      );
      expect(e.error.args.token).to.equal(addresses.CarbonCredit);
    });
  });

  describe("buy", function () {
    it("buys from a listing, approving exactly the price, and returns what was paid and the fee", async function () {
      const m = await load(listed);
      const before = await nonce(w.bob);
      const { paid, fee, receipt } = await c.bob.buy({ listingId: 1n, amount: 100n });
      const expectedPaid = 100n * PRICE;
      const expectedFee = (expectedPaid * FEE_BPS + BPS - 1n) / BPS;
      expect([paid, fee]).to.deep.equal([1_500_000n, 15_000n]);
      expect([paid, fee]).to.deep.equal([expectedPaid, expectedFee]);
      expect(receipt.from).to.equal(w.bob.address);
      // The approval, then the purchase; the exact approval is used up.
      expect(await nonce(w.bob)).to.equal(before + 2);
      expect(await m.usdc.allowance(w.bob.address, m.market)).to.equal(0n);
      expect(await m.usdc.balanceOf(w.bob.address)).to.equal(FUNDS - paid);
      expect(await m.usdc.balanceOf(w.proponent.address)).to.equal(paid - fee);
      expect(await m.usdc.balanceOf(w.admin.address)).to.equal(fee);
      expect(await w.credit.balanceOf(w.bob.address, 1n)).to.equal(100n);
      expect((await w.marketplace.getListing(1n)).remaining).to.equal(LISTED - 100n);
    });

    it("tops a short allowance up to the exact price, and sends no approval when the allowance suffices", async function () {
      const m = await load(listed);
      const paid = 40n * PRICE;
      await mined(m.usdc.connect(w.bob).approve(m.market, paid - 1n));
      let before = await nonce(w.bob);
      await c.bob.buy({ listingId: 1n, amount: 40n, maxUnitPrice: PRICE });
      expect(await nonce(w.bob)).to.equal(before + 2);
      expect(await m.usdc.allowance(w.bob.address, m.market)).to.equal(0n);
      expect(await m.usdc.balanceOf(w.bob.address)).to.equal(FUNDS - paid);

      await mined(m.usdc.connect(w.bob).approve(m.market, MaxUint256));
      before = await nonce(w.bob);
      const r = await c.bob.buy({ listingId: 1, amount: 10, recipient: w.outsider.address.toLowerCase() });
      expect([r.paid, r.fee]).to.deep.equal([150_000n, 1_500n]);
      expect(await nonce(w.bob)).to.equal(before + 1);
      expect(await m.usdc.allowance(w.bob.address, m.market)).to.equal(MaxUint256);
      // The recipient receives the credits, the signer pays.
      expect(await w.credit.balanceOf(w.outsider.address, 1n)).to.equal(10n);
      expect(await w.credit.balanceOf(w.bob.address, 1n)).to.equal(40n);
      expect(await m.usdc.balanceOf(w.bob.address)).to.equal(FUNDS - paid - 150_000n);
    });

    it("refuses a closed listing before sending", async function () {
      const m = await load(listed);
      await c.bob.buy({ listingId: 1n, amount: LISTED });
      expect((await w.marketplace.getListing(1n)).remaining).to.equal(0n);
      await expectRefused(
        w.alice,
        () => c.alice.buy({ listingId: 1n, amount: 10n }),
        "listingId",
        "listingId: listing 1 is closed",
      );
      expect(await m.usdc.allowance(w.alice.address, m.market)).to.equal(0n);
    });

    it("checks its arguments before sending", async function () {
      await load(listed);
      await expectRefused(
        w.bob,
        () => c.bob.buy({ listingId: 0, amount: 1n }),
        "listingId",
        "listingId: 0 is not an id (ids start at 1)",
      );
      await expectRefused(
        w.bob,
        () => c.bob.buy({ listingId: 1n, amount: 0n }),
        "amount",
        "amount: 0 must be more than 0",
      );
      await expectRefused(
        w.bob,
        () => c.bob.buy({ listingId: 1n, amount: 0.5 }),
        "amount",
        'amount: 0.5 is not a whole number of units (kg); use tonnes("…") for tCO2e',
      );
      expect((await w.marketplace.getListing(1n)).remaining).to.equal(LISTED);
    });

    it("a price above the buyer's bound is refused before an approval is sent", async function () {
      await load(listed);
      await expectRefused(
        w.bob,
        () => c.bob.buy({ listingId: 1n, amount: 100n, maxUnitPrice: PRICE - 1n }),
        "maxUnitPrice",
        `maxUnitPrice: listing 1 asks ${PRICE}, above ${PRICE - 1n}`,
      );
      expect((await w.marketplace.getListing(1n)).remaining).to.equal(LISTED);
      expect(await w.credit.balanceOf(w.bob.address, 1n)).to.equal(0n);
    });

    it("an amount below the listing's minimum fill becomes a CntContractError", async function () {
      await load(listed);
      await expectContractError(
        () => c.bob.buy({ listingId: 1n, amount: MIN_FILL - 1n }),
        "MarketplaceBelowMinFill",
        "0.009 tCO2e is below listing 1's minimum fill of 0.01 tCO2e",
      );
    });
  });

  describe("placeBid", function () {
    it("places a criteria bid with jurisdiction codes and a category mask, escrowing exactly its price", async function () {
      const m = await load(market);
      const expiry = (await now()) + 7n * DAY;
      const before = await nonce(w.alice);
      const { bidId, receipt } = await c.alice.placeBid({
        criteria: {
          methodologyIds: [1],
          jurisdictions: ["KE", "BR"],
          projectId: 1n,
          vintageFrom: 1n,
          vintageTo: expiry,
          categories: 1 << Category.Removal,
          authorisations: 1,
          adjustments: 1,
        },
        quantity: BID_QUANTITY,
        unitPrice: BID_PRICE,
        paymentToken: m.pay,
        expiry,
      });
      expect(bidId).to.equal(1n);
      expect(receipt.from).to.equal(w.alice.address);
      expect(await nonce(w.alice)).to.equal(before + 2);
      const escrow = BID_QUANTITY * BID_PRICE;
      expect(await m.usdc.balanceOf(m.market)).to.equal(escrow);
      expect(await m.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - escrow);
      expect(await m.usdc.allowance(w.alice.address, m.market)).to.equal(0n);

      const b = await w.marketplace.getBid(1n);
      expect([b.bidder, b.paymentToken, b.remaining, b.unitPrice, b.expiry]).to.deep.equal([
        w.alice.address,
        m.pay,
        BID_QUANTITY,
        BID_PRICE,
        expiry,
      ]);
      const k = b.criteria;
      expect({
        methodologyIds: [...k.methodologyIds],
        jurisdictions: [...k.jurisdictions],
        projectId: k.projectId,
        vintageFrom: k.vintageFrom,
        vintageTo: k.vintageTo,
        categories: k.categories,
        authorisations: k.authorisations,
        adjustments: k.adjustments,
      }).to.deep.equal({
        methodologyIds: [1n],
        jurisdictions: [code("KE"), code("BR")],
        projectId: 1n,
        vintageFrom: 1n,
        vintageTo: expiry,
        categories: 1n,
        authorisations: 1n,
        adjustments: 1n,
      });
      // "BR" matches batch 1 of project 1 in "BR-PA".
      expect(await w.marketplace.bidMismatch(1n, 1n)).to.equal(0n);
    });

    it("places a bid without criteria, which accepts any batch", async function () {
      const m = await load(market);
      const { bidId } = await c.bob.placeBid({
        quantity: 3,
        unitPrice: 5,
        paymentToken: m.pay,
        expiry: (await now()) + DAY,
      });
      expect(bidId).to.equal(1n);
      const k = (await w.marketplace.getBid(1n)).criteria;
      expect([[...k.methodologyIds], [...k.jurisdictions], k.projectId, k.vintageFrom, k.vintageTo]).to.deep.equal([
        [],
        [],
        0n,
        0n,
        0n,
      ]);
      expect([k.categories, k.authorisations, k.adjustments]).to.deep.equal([0n, 0n, 0n]);
      expect(await m.usdc.balanceOf(m.market)).to.equal(15n);
    });

    it("checks its arguments before sending", async function () {
      const m = await load(market);
      const terms = { quantity: 10n, unitPrice: 10n, paymentToken: m.pay, expiry: (await now()) + DAY };
      const a = c.alice;
      await expectRefused(
        w.alice,
        () => a.placeBid({ ...terms, quantity: 0 }),
        "quantity",
        "quantity: 0 must be more than 0",
      );
      await expectRefused(
        w.alice,
        () => a.placeBid({ ...terms, unitPrice: 1.5 }),
        "unitPrice",
        'unitPrice: 1.5 is not a whole number of units (kg); use tonnes("…") for tCO2e',
      );
      await expectRefused(
        w.alice,
        () => a.placeBid({ ...terms, paymentToken: "0xusdc" }),
        "paymentToken",
        'paymentToken: "0xusdc" is not an address',
      );
      await expectRefused(
        w.alice,
        () => a.placeBid({ ...terms, criteria: { methodologyIds: [1, 0] } }),
        "criteria.methodologyIds",
        "criteria.methodologyIds: 0 is not an id (ids start at 1)",
      );
      expect(await w.marketplace.bidCount()).to.equal(0n);
    });

    it("an invalid category mask becomes a CntContractError", async function () {
      const m = await load(market);
      const expiry = (await now()) + DAY;
      await expectContractError(
        () =>
          c.alice.placeBid({ criteria: { categories: 4 }, quantity: 1n, unitPrice: 1n, paymentToken: m.pay, expiry }),
        "CriteriaInvalidMask",
        "criteria mask 4 sets bits outside its enum (the largest valid mask is 3)",
      );
    });
  });

  describe("fillBid", function () {
    it("fills a bid with a matching batch and returns the proceeds and the fee", async function () {
      const m = await load(bid);
      expect(await w.credit.isApprovedForAll(w.proponent.address, m.market)).to.equal(false);
      const before = await nonce(w.proponent);
      const { proceeds, fee, receipt } = await c.proponent.fillBid(1n, 1n, 200n);
      const paid = 200n * BID_PRICE;
      expect([proceeds, fee]).to.deep.equal([3_960_000n, 40_000n]);
      expect(proceeds + fee).to.equal(paid);
      expect(receipt.from).to.equal(w.proponent.address);
      // The approval of the marketplace on the credit token, then the fill.
      expect(await nonce(w.proponent)).to.equal(before + 2);
      expect(await w.credit.balanceOf(w.alice.address, 1n)).to.equal(200n);
      expect(await w.credit.balanceOf(w.proponent.address, 1n)).to.equal(TO_PROPONENT - 200n);
      expect(await m.usdc.balanceOf(w.proponent.address)).to.equal(proceeds);
      expect(await m.usdc.balanceOf(w.admin.address)).to.equal(fee);
      expect(await m.usdc.balanceOf(m.market)).to.equal((BID_QUANTITY - 200n) * BID_PRICE);
      expect((await w.marketplace.getBid(1n)).remaining).to.equal(BID_QUANTITY - 200n);

      // Approved already: one transaction; numbers accepted.
      const rest = await c.proponent.fillBid(1, 1, 300);
      expect([rest.proceeds, rest.fee]).to.deep.equal([5_940_000n, 60_000n]);
      expect(await nonce(w.proponent)).to.equal(before + 3);
      expect((await w.marketplace.getBid(1n)).remaining).to.equal(0n);
      expect(await m.usdc.balanceOf(m.market)).to.equal(0n);
    });

    it("checks its arguments before sending (filler already approved)", async function () {
      const m = await load(bid);
      await mined(w.credit.connect(w.proponent).setApprovalForAll(m.market, true));
      const p = c.proponent;
      await expectRefused(w.proponent, () => p.fillBid(0, 1n, 1n), "bidId", "bidId: 0 is not an id (ids start at 1)");
      await expectRefused(
        w.proponent,
        () => p.fillBid(1n, -2n, 1n),
        "batchId",
        "batchId: -2 is not an id (ids start at 1)",
      );
      await expectRefused(w.proponent, () => p.fillBid(1n, 1n, 0n), "amount", "amount: 0 must be more than 0");
      expect((await w.marketplace.getBid(1n)).remaining).to.equal(BID_QUANTITY);
    });

    it("a batch that does not match the bid becomes a CntContractError", async function () {
      const m = await load(bid);
      // Bid 2: Kenyan credits only; batch 1 is Brazilian.
      const { bidId } = await c.bob.placeBid({
        criteria: { jurisdictions: ["KE"] },
        quantity: 10n,
        unitPrice: 1n,
        paymentToken: m.pay,
        expiry: (await now()) + DAY,
      });
      expect(bidId).to.equal(2n);
      const e = await expectContractError(
        () => c.proponent.fillBid(bidId, 1n, 10n),
        "MarketplaceBatchMismatch",
        "batch 1 does not match bid 2: it fails the jurisdiction criterion",
      );
      expect([e.error.args.bidId, e.error.args.batchId, e.error.args.reason]).to.deep.equal([2n, 1n, 5n]);
      // A removal-only bid takes batch 1; an avoidance-only one does not.
      const avoidance = await c.bob.placeBid({
        criteria: { categories: 1 << Category.Avoidance },
        quantity: 10n,
        unitPrice: 1n,
        paymentToken: m.pay,
        expiry: (await now()) + DAY,
      });
      await expectContractError(
        () => c.proponent.fillBid(avoidance.bidId, 1n, 10n),
        "MarketplaceBatchMismatch",
        "batch 1 does not match bid 3: it fails the category (removal or avoidance) criterion",
      );
      expect(await w.credit.balanceOf(w.bob.address, 1n)).to.equal(0n);
    });

    it("more than the bid's remaining quantity becomes a CntContractError", async function () {
      await load(bid);
      await expectContractError(
        () => c.proponent.fillBid(1n, 1n, BID_QUANTITY + 1n),
        "MarketplaceBidAmountExceedsRemaining",
        "bid 1 wants only 0.5 tCO2e more, less than the 0.501 tCO2e offered",
      );
    });
  });

  // ------------------------------------------------------------------ retirement

  describe("retire", function () {
    it("retires for a beneficiary with a certificate, and returns the retirement and its serials", async function () {
      await load(issued);
      const r = await c.proponent.retire({
        batchId: 1n,
        amount: 100n,
        beneficiary: w.alice.address,
        beneficiaryName: "Alice",
        consumptionJurisdiction: "DE",
        reason: "travel 2025",
      });
      expect([r.retirementId, r.serialStart, r.serialEnd, r.certified]).to.deep.equal([1n, 1n, 100n, true]);
      expect(r.receipt.from).to.equal(w.proponent.address);
      const rec = await w.retirement.getRetirement(1n);
      expect([rec.beneficiary, rec.retiree, rec.batchId, rec.amount, rec.claimType, rec.certified]).to.deep.equal([
        w.alice.address,
        w.proponent.address,
        1n,
        100n,
        BigInt(ClaimType.VoluntaryOffset),
        true,
      ]);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.alice.address);
      expect(await w.credit.retiredBalanceOf(w.alice.address, 1n)).to.equal(100n);
      expect(await w.credit.balanceOf(w.proponent.address, 1n)).to.equal(TO_PROPONENT - 100n);

      // Without a certificate, for the signer: the serials follow on.
      const s = await c.proponent.retire({ batchId: 1, amount: 50, certificate: false });
      expect([s.retirementId, s.serialStart, s.serialEnd, s.certified]).to.deep.equal([2n, 101n, 150n, false]);
      const rec2 = await w.retirement.getRetirement(2n);
      expect([rec2.beneficiary, rec2.retiree, rec2.certified]).to.deep.equal([
        w.proponent.address,
        w.proponent.address,
        false,
      ]);
      expect(await w.retirement.certificatesOf(w.proponent.address)).to.equal(0n);
      expect(await w.retirement.serialRangeOf(2n)).to.deep.equal([101n, 150n]);
    });

    it("a neutrality claim with claimPeriod counts against the beneficiary's period", async function () {
      await load(issued);
      await mined(w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, SECTOR));
      await attest(w, w.alice.address, NEUTRAL_EMISSIONS, NEUTRAL_PERIOD);
      expect(await c.alice.neutrality(w.alice.address, NEUTRAL_PERIOD)).to.deep.equal({
        verified: true,
        emissions: NEUTRAL_EMISSIONS,
        retired: 0n,
        neutral: false,
      });
      const r = await c.proponent.retire({
        batchId: 1n,
        amount: 2_000n,
        beneficiary: w.alice.address,
        claimType: ClaimType.Neutrality,
        claimPeriod: NEUTRAL_PERIOD,
      });
      expect([r.retirementId, r.serialStart, r.serialEnd, r.certified]).to.deep.equal([1n, 1n, 2_000n, true]);
      expect((await w.retirement.getRetirement(1n)).claimType).to.equal(BigInt(ClaimType.Neutrality));
      expect(await w.retirement.retiredAgainst(w.alice.address, NEUTRAL_PERIOD)).to.equal(2_000n);
      expect(await c.alice.neutrality(w.alice.address, NEUTRAL_PERIOD)).to.deep.equal({
        verified: true,
        emissions: NEUTRAL_EMISSIONS,
        retired: 2_000n,
        neutral: false,
      });
      // A voluntary offset does not count; a second neutrality claim tips it over.
      await c.proponent.retire({ batchId: 1n, amount: 1_000n, beneficiary: w.alice.address });
      expect((await c.alice.neutrality(w.alice.address, NEUTRAL_PERIOD)).retired).to.equal(2_000n);
      await c.proponent.retire({
        batchId: 1n,
        amount: 500n,
        beneficiary: w.alice.address,
        claimType: ClaimType.Neutrality,
        claimPeriod: Number(NEUTRAL_PERIOD),
      });
      expect(await c.bob.neutrality(w.alice.address.toLowerCase(), Number(NEUTRAL_PERIOD))).to.deep.equal({
        verified: true,
        emissions: NEUTRAL_EMISSIONS,
        retired: 2_500n,
        neutral: true,
      });
      // Another period and another entity have nothing.
      expect(await c.alice.neutrality(w.alice.address, NEUTRAL_PERIOD + 1n)).to.deep.equal({
        verified: false,
        emissions: 0n,
        retired: 0n,
        neutral: false,
      });
      expect((await c.alice.neutrality(w.bob.address, NEUTRAL_PERIOD)).retired).to.equal(0n);
    });

    it("checks its arguments before sending", async function () {
      await load(issued);
      const p = c.proponent;
      await expectRefused(
        w.proponent,
        () => p.retire({ batchId: 1n, amount: 1n, claimType: ClaimType.Neutrality }),
        "claimPeriod",
        "claimPeriod: a neutrality claim names the inventory period it counts against",
      );
      await expectRefused(
        w.proponent,
        () => p.retire({ batchId: 1n, amount: 1n, claimType: ClaimType.Compliance, claimPeriod: PERIOD }),
        "claimType",
        "claimType: compliance claims are made by surrendering offsets to the compliance registry",
      );
      await expectRefused(
        w.proponent,
        () => p.retire({ batchId: 1n, amount: 1n, beneficiary: "alice" }),
        "beneficiary",
        'beneficiary: "alice" is not an address',
      );
      await expectRefused(
        w.proponent,
        () => p.retire({ batchId: 0, amount: 1n }),
        "batchId",
        "batchId: 0 is not an id (ids start at 1)",
      );
      await expectRefused(
        w.proponent,
        () => p.retire({ batchId: 1n, amount: 0n }),
        "amount",
        "amount: 0 must be more than 0",
      );
      expect(await w.retirement.retirementCount()).to.equal(0n);
    });

    it("retiring more than the balance becomes a CntContractError", async function () {
      await load(issued);
      await expectContractError(
        () => c.alice.retire({ batchId: 1n, amount: 1n }),
        "ERC1155InsufficientBalance",
        `${w.alice.address} holds 0 tCO2e of token id 1, less than the 0.001 tCO2e needed`,
      );
      await expectContractError(
        () => c.proponent.retire({ batchId: 2n, amount: 1n }),
        "RetirementUnknownBatch",
        "batch 2 was never issued",
      );
    });
  });

  // ------------------------------------------------------------------ compliance

  describe("surrenderAllowances", function () {
    it("surrenders the operator's allowances of the period", async function () {
      await load(inWindow);
      const before = await nonce(w.alice);
      const { receipt } = await c.alice.surrenderAllowances({
        installationId: INSTALLATION,
        period: PERIOD,
        amount: 2_000_000n,
      });
      expect(receipt.status).to.equal(1);
      expect(await nonce(w.alice)).to.equal(before + 1);
      expect((await w.compliance.accountOf(INSTALLATION, PERIOD)).allowancesSurrendered).to.equal(2_000_000n);
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(ALLOCATION - 2_000_000n);
      // fromPeriod defaults to the period; given explicitly, the same.
      await c.alice.surrenderAllowances({ installationId: 1, period: PERIOD, fromPeriod: PERIOD, amount: 1_000_000 });
      expect(await w.compliance.obligationOf(INSTALLATION, PERIOD)).to.deep.equal([true, EMISSIONS, EMISSIONS]);
      expect(await w.compliance.statusOf(INSTALLATION, PERIOD)).to.equal(2n); // Compliant
    });

    it("checks its arguments before sending", async function () {
      await load(inWindow);
      const a = c.alice;
      await expectRefused(
        w.alice,
        () => a.surrenderAllowances({ installationId: 0, period: PERIOD, amount: 1n }),
        "installationId",
        "installationId: 0 is not an id (ids start at 1)",
      );
      await expectRefused(
        w.alice,
        () => a.surrenderAllowances({ installationId: 1n, period: PERIOD, amount: -1 }),
        "amount",
        "amount: -1 must be more than 0",
      );
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(ALLOCATION);
    });

    it("before the surrender window, or with allowances of a later period, becomes a CntContractError", async function () {
      const { reportingDeadline } = await load(compliance);
      const early = await expectContractError(
        () => c.alice.surrenderAllowances({ installationId: INSTALLATION, period: PERIOD, amount: 1n }),
        "ComplianceSurrenderNotOpen",
        `surrender for period 2026 opens at ${formatTimestamp(reportingDeadline)}, when its reporting closes`,
      );
      expect(early.error.args.opensAt).to.equal(reportingDeadline);
      await load(inWindow);
      const e = await expectContractError(
        () =>
          c.alice.surrenderAllowances({
            installationId: INSTALLATION,
            period: PERIOD,
            fromPeriod: PERIOD + 1n,
            amount: 1n,
          }),
        "ComplianceFutureAllowances",
        "allowances of period 2027 cannot cover the earlier period 2026",
      );
      expect([e.error.args.period, e.error.args.fromPeriod]).to.deep.equal([PERIOD, PERIOD + 1n]);
      // Bob does not run installation 1.
      await expectContractError(
        () => c.bob.surrenderAllowances({ installationId: INSTALLATION, period: PERIOD, amount: 1n }),
        "ComplianceNotOperator",
        `${w.bob.address} is not the operator of installation 1`,
      );
    });
  });

  describe("surrenderOffsets", function () {
    it("surrenders credits as offsets, approving the compliance registry first, and returns the retirement", async function () {
      await load(inWindow);
      expect(await w.credit.isApprovedForAll(w.alice.address, addresses.ComplianceRegistry)).to.equal(false);
      const before = await nonce(w.alice);
      const { retirementId, receipt } = await c.alice.surrenderOffsets({
        installationId: INSTALLATION,
        period: PERIOD,
        batchId: 1n,
        amount: 1_500n,
      });
      expect(retirementId).to.equal(1n);
      expect(receipt.from).to.equal(w.alice.address);
      expect(await nonce(w.alice)).to.equal(before + 2);
      expect(await w.credit.isApprovedForAll(w.alice.address, addresses.ComplianceRegistry)).to.equal(true);
      expect((await w.compliance.accountOf(INSTALLATION, PERIOD)).offsetsSurrendered).to.equal(1_500n);
      const rec = await w.retirement.getRetirement(1n);
      expect([rec.beneficiary, rec.retiree, rec.batchId, rec.amount, rec.claimType, rec.certified]).to.deep.equal([
        w.alice.address,
        w.alice.address,
        1n,
        1_500n,
        BigInt(ClaimType.Compliance),
        false,
      ]);
      expect(await w.credit.balanceOf(w.alice.address, 1n)).to.equal(ALICE_CREDITS - 1_500n);

      // Approved already: one transaction.
      const second = await c.alice.surrenderOffsets({ installationId: 1, period: PERIOD, batchId: 1, amount: 500 });
      expect(second.retirementId).to.equal(2n);
      expect(await nonce(w.alice)).to.equal(before + 3);
      expect((await w.compliance.accountOf(INSTALLATION, PERIOD)).offsetsSurrendered).to.equal(ALICE_CREDITS);
    });

    it("checks its arguments before sending (operator already approved)", async function () {
      await load(inWindow);
      await mined(w.credit.connect(w.alice).setApprovalForAll(addresses.ComplianceRegistry, true));
      const a = c.alice;
      const terms = { installationId: INSTALLATION, period: PERIOD, batchId: 1n, amount: 1n };
      await expectRefused(
        w.alice,
        () => a.surrenderOffsets({ ...terms, installationId: 0n }),
        "installationId",
        "installationId: 0 is not an id (ids start at 1)",
      );
      await expectRefused(
        w.alice,
        () => a.surrenderOffsets({ ...terms, batchId: 0 }),
        "batchId",
        "batchId: 0 is not an id (ids start at 1)",
      );
      await expectRefused(
        w.alice,
        () => a.surrenderOffsets({ ...terms, amount: 0 }),
        "amount",
        "amount: 0 must be more than 0",
      );
      expect((await w.compliance.accountOf(INSTALLATION, PERIOD)).offsetsSurrendered).to.equal(0n);
    });

    it("more than the offset limit becomes a CntContractError", async function () {
      await load(inWindow);
      // The limit is 10% of 3,000 t, 300 t, checked before the balance: 1 kg, then 300 t more, is 1 kg over.
      await c.alice.surrenderOffsets({ installationId: INSTALLATION, period: PERIOD, batchId: 1n, amount: 1n });
      const e = await expectContractError(
        () => c.alice.surrenderOffsets({ installationId: INSTALLATION, period: PERIOD, batchId: 1n, amount: 300_000n }),
        "ComplianceOffsetLimitExceeded",
        "offsets of 300.001 tCO2e would exceed installation 1's limit of 300 tCO2e for period 2026",
      );
      expect(e.error.args.limit).to.equal(300_000n);
    });
  });

  describe("retirementsOf", function () {
    it("lists a beneficiary's retirements newest first with their fields", async function () {
      await load(inWindow);
      await c.alice.retire({ batchId: 1n, amount: 10n }); // 1: alice for herself
      await c.proponent.retire({ batchId: 1n, amount: 20n, beneficiary: w.bob.address }); // 2: for bob
      await c.proponent.retire({
        batchId: 1n,
        amount: 30n,
        beneficiary: w.alice.address,
        claimType: ClaimType.Neutrality,
        claimPeriod: PERIOD,
        certificate: false,
      }); // 3: for alice
      const { retirementId } = await c.alice.surrenderOffsets({
        installationId: INSTALLATION,
        period: PERIOD,
        batchId: 1n,
        amount: 40n,
      }); // 4: alice's compliance surrender
      expect(retirementId).to.equal(4n);

      const alice = w.alice.address;
      const proponent = w.proponent.address;
      const installation = await w.compliance.entityOf(INSTALLATION);
      expect(await c.bob.retirementsOf(alice)).to.deep.equal([
        record(4n, alice, alice, 40n, ClaimType.Compliance, false, 60n, {
          claimEntity: installation,
          claimPeriod: PERIOD,
        }),
        record(3n, alice, proponent, 30n, ClaimType.Neutrality, false, 30n, {
          claimEntity: alice,
          claimPeriod: PERIOD,
        }),
        record(1n, alice, alice, 10n, ClaimType.VoluntaryOffset, true, 0n),
      ]);
      expect(await c.alice.retirementsOf(w.bob.address.toLowerCase())).to.deep.equal([
        record(2n, w.bob.address, proponent, 20n, ClaimType.VoluntaryOffset, true, 10n),
      ]);
      expect(await c.alice.retirementsOf(w.outsider.address)).to.deep.equal([]);
      // The totals keep the compliance surrender apart from the voluntary claims.
      expect(await c.bob.retiredTotals(alice)).to.deep.equal({
        voluntary: 40n,
        byClaim: { VoluntaryOffset: 10n, Neutrality: 30n, Compliance: 40n, NDC: 0n, CORSIA: 0n },
      });
    });

    it("walks every page of a long list", async function () {
      await load(issued);
      const count = 205;
      // Retirement i retires 1 + i % 7 units, so each record can be told apart from its neighbours.
      const amountOf = (retirementId: number) => BigInt(1 + (retirementId % 7));
      for (let i = 0; i < count; ++i) {
        await mined(
          w.retirement.connect(w.proponent).retire(
            request({
              ids: [1n],
              amounts: [amountOf(i + 1)],
              beneficiary: w.outsider.address,
              skipCertificate: true,
            }),
          ),
        );
      }
      const list = await c.alice.retirementsOf(w.outsider.address);
      expect(list.map((r) => r.retirementId)).to.deep.equal(Array.from({ length: count }, (_, i) => BigInt(count - i)));
      expect(list.map((r) => r.amount)).to.deep.equal(Array.from({ length: count }, (_, i) => amountOf(count - i)));
      expect(new Set(list.map((r) => r.beneficiary))).to.deep.equal(new Set([w.outsider.address]));
    });

    it("refuses a beneficiary that is not an address", async function () {
      await load(deployed);
      for (const bad of ["0x0", "bob", ""]) {
        const error = await rejection(() => c.alice.retirementsOf(bad));
        expect(error).to.be.instanceOf(CntArgumentError);
        expect((error as CntArgumentError).argument).to.equal("beneficiary");
        expect((error as Error).message).to.equal(`beneficiary: ${JSON.stringify(bad)} is not an address`);
      }
    });
  });

  describe("neutrality", function () {
    it("refuses an entity that is not an address", async function () {
      await load(deployed);
      const error = await rejection(() => c.alice.neutrality("alice.eth", NEUTRAL_PERIOD));
      expect(error).to.be.instanceOf(CntArgumentError);
      expect((error as CntArgumentError).argument).to.equal("entity");
      expect((error as Error).message).to.equal('entity: "alice.eth" is not an address');
    });
  });

  // ------------------------------------------------------------------ nothing sent before the arguments are checked

  describe("checks before anything is sent, and reads that revert", function () {
    it("list checks its arguments before approving the marketplace", async function () {
      const m = await load(market);
      const expiry = (await now()) + DAY;
      await expectRefused(
        w.proponent,
        () => c.proponent.list({ id: 1n, amount: 0n, unitPrice: PRICE, paymentToken: m.pay, expiry }),
        "amount",
        "amount: 0 must be more than 0",
      );
    });

    it("fillBid checks its arguments before approving the marketplace", async function () {
      await load(bid);
      await expectRefused(
        w.proponent,
        () => c.proponent.fillBid(1n, 1n, 0n),
        "amount",
        "amount: 0 must be more than 0",
      );
    });

    it("surrenderOffsets checks its arguments before approving the compliance registry", async function () {
      await load(inWindow);
      await expectRefused(
        w.alice,
        () => c.alice.surrenderOffsets({ installationId: INSTALLATION, period: PERIOD, batchId: 1n, amount: 0n }),
        "amount",
        "amount: 0 must be more than 0",
      );
    });

    it("buy checks the recipient before approving the payment", async function () {
      await load(listed);
      await expectRefused(
        w.bob,
        () => c.bob.buy({ listingId: 1n, amount: 10n, recipient: "carol" }),
        "recipient",
        'recipient: "carol" is not an address',
      );
    });

    it("buy from an unknown listing becomes a CntContractError", async function () {
      await load(listed);
      await expectContractError(
        () => c.bob.buy({ listingId: 9n, amount: 10n }),
        "MarketplaceUnknownListing",
        "listing 9 does not exist (or, as a cursor, is not in the list being paged)",
      );
    });

    it("issueBatch of an unknown report becomes a CntContractError", async function () {
      await load(verified);
      await expectContractError(
        () => c.registrar.issueBatch(9n),
        "CarbonRegistryUnknownReport",
        "report 9 does not exist",
      );
    });

    it("an argument that happens to look like error data is still a CntArgumentError", async function () {
      const m = await load(listed);
      // 0x9eb51779 is the selector of MarketplaceZeroAmount(): validated inside the send wrapper, the refusal's
      // message is searched for revert data and the CntArgumentError comes out as that CntContractError.
      await expectRefused(
        w.proponent,
        () => c.proponent.list({ id: 1n, amount: 1n, unitPrice: 1n, paymentToken: "0x9eb51779", expiry: m.expiry }),
        "paymentToken",
        'paymentToken: "0x9eb51779" is not an address',
      );
    });
  });
});
