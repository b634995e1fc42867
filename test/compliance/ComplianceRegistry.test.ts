import { expect } from "chai";
import {
  AbiCoder,
  MaxUint256,
  ZeroAddress,
  getAddress,
  id,
  keccak256,
  type BigNumberish,
  type BytesLike,
  type ContractTransactionResponse,
} from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { Roles } from "../../scripts/lib/roles.js";
import type { ERC20Mock, IComplianceRegistry } from "../../typechain-types/index.js";
import {
  DAY,
  PERIOD,
  SECTOR,
  OTHER_SECTOR,
  Status,
  TONNE,
  anyBatch,
  attest,
  latest,
  openPeriod,
  periodConfig,
  registerInstallation,
  timeTo,
} from "../helpers/compliance.js";
import {
  Adjustment,
  Authorisation,
  actAs,
  approvedProject,
  code,
  deployWorld,
  issue,
  type World,
} from "../helpers/fixtures.js";
import { eventsOf, extraProject, interfaceId, nestedFixtures } from "../helpers/registry.js";
import { ClaimType, retiredEvents } from "../helpers/retirement.js";

// Installation A (id 1) is alice's, in "DE"; installation B (id 2) is bob's, in "FR". Both in SECTOR.
const A = 1n;
const B = 2n;
// Verified emissions of PERIOD (kg): A 12,345.678 t, B 3,000 t.
const EMISSIONS_A = 12_345_678n;
const EMISSIONS_B = 3_000n * TONNE;
// The periodConfig offset limit, 10% (1,000 bps): A may offset 1,234,567.8 kg, rounded down.
const OFFSET_BPS = 1_000n;
const LIMIT_A = 1_234_567n;
// Free allocations of the `withEmissions` fixture: A 12,000 t (short of its emissions), B exactly its emissions.
const ALLOC_A = 12_000_000n;
const ALLOC_B = EMISSIONS_B;
// The periodConfig cap (100,000 t) and auction volume (20,000 t) leave 80,000 t for free allocation.
const CAP = 100_000n * TONNE;
const AUCTION_VOLUME = 20_000n * TONNE;
const FREE_ROOM = CAP - AUCTION_VOLUME;
// Penalty of PERIOD in the fixtures: 77.777777 USDC (6 decimals) per tonne of shortfall.
const PENALTY_PER_TONNE = 77_777_777n;
// The short surrender of A: 11,000 t of allowances and 1,000 t of offsets, 345,678 kg short; its penalty is
// 345,678 × 77,777,777 / 1,000 = 26,886,066,397.806 base units, rounded up.
const SHORT_ALLOWANCES = 11_000_000n;
const SHORT_OFFSETS = 1_000_000n;
const SHORTFALL_A = 345_678n;
const PENALTY_A = 26_886_066_398n;
// Credits: batch 1 (project 1, "BR-PA", VCS) 2,000,000 units, batch 2 (project 1) 100,000 units, batch 3 (project 2,
// "KE", GS) 100,000 units; 80% of each to the proponent, who sends alice 1,500,000 of batch 1 and 50,000 of batches 2
// and 3. Alice approves the compliance registry on the credit token.
const QUANTITY_1 = 2_000_000n;
const QUANTITY_2 = 100_000n;
const QUANTITY_3 = 100_000n;
const ALICE_B1 = 1_500_000n;
const ALICE_B2 = 50_000n;
const ALICE_B3 = 50_000n;
// Every payer (alice, bob, outsider) starts with 1,000,000 USDC and approved the compliance registry.
const FUNDS = 1_000_000_000_000n;
// The following period of the banking and make-good tests: its reporting deadline 400 days out (after PERIOD's
// surrender deadline), default config (no penalty); A emits 2,000 t and gets 1,000 t free.
const NEXT = PERIOD + 1n;
const NEXT_REPORTING_IN = 400n * DAY;
const EMISSIONS_NEXT = 2_000_000n;
const ALLOC_NEXT = 1_000_000n;
const REASON = id("reason");
const BPS = 10_000n;
/** `CriteriaMismatch` of ICarbonTypes.sol. */
const Mismatch = {
  None: 0n,
  Project: 1n,
  Methodology: 2n,
  Category: 3n,
  Vintage: 4n,
  Jurisdiction: 5n,
  Authorisation: 6n,
  Adjustment: 7n,
} as const;

type Criteria = ReturnType<typeof anyBatch>;
type ConfigLike = IComplianceRegistry.PeriodConfigStruct | IComplianceRegistry.PeriodConfigStructOutput;

interface Ctx {
  w: World;
  usdc: ERC20Mock;
  usdcAddress: string;
  compliance: string;
  entityA: string;
  entityB: string;
  b1: bigint;
  b2: bigint;
  b3: bigint;
}

interface Deadlines {
  reportingDeadline: bigint;
  surrenderDeadline: bigint;
}

type PeriodCtx = Ctx & Deadlines;
type NextCtx = PeriodCtx & { next: Deadlines };

/** The penalty of `shortfall` kg at `perTonne`: rounded up to the next base unit, as the registry computes it. */
function penaltyOf(shortfall: bigint, perTonne: bigint): bigint {
  return (shortfall * perTonne + TONNE - 1n) / TONNE;
}

/** A period config (input or output) as plain values, so two can be compared deeply. */
function plainConfig(c: ConfigLike) {
  const e = c.eligibility;
  return {
    cap: BigInt(c.cap),
    auctionVolume: BigInt(c.auctionVolume),
    surrenderDeadline: BigInt(c.surrenderDeadline),
    offsetLimitBps: BigInt(c.offsetLimitBps),
    penaltyPerTonne: BigInt(c.penaltyPerTonne),
    penaltyToken: getAddress(String(c.penaltyToken)),
    eligibility: {
      methodologyIds: Array.from(e.methodologyIds as Iterable<BigNumberish>, (x) => BigInt(x)),
      jurisdictions: Array.from(e.jurisdictions as Iterable<BytesLike>, (x) => String(x)),
      projectId: BigInt(e.projectId),
      vintageFrom: BigInt(e.vintageFrom),
      vintageTo: BigInt(e.vintageTo),
      categories: BigInt(e.categories),
      authorisations: BigInt(e.authorisations),
      adjustments: BigInt(e.adjustments),
    },
  };
}

/** The ledger entity of an installation, derived off chain: the low 160 bits of keccak256(abi.encode(registry, id)). */
function entityFor(registry: string, installationId: bigint): string {
  const hash = keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [registry, installationId]));
  return getAddress("0x" + hash.slice(-40));
}

describe("ComplianceRegistry", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<World> {
    return world;
  }

  /**
   * Installations A (alice, "DE") and B (bob, "FR"); an ERC20Mock "USDC" penalty token that alice, bob and the
   * outsider hold FUNDS of and approved the registry for; batches 1 to 3 with alice's credits, the registry approved
   * on the credit token by alice. No period yet.
   */
  async function withSetup(): Promise<Ctx> {
    const w = await load(deployed);
    const compliance = await w.compliance.getAddress();
    const a = await registerInstallation(w, w.alice, "DE");
    const b = await registerInstallation(w, w.bob, "FR");
    const usdc = await w.ethers.deployContract("ERC20Mock");
    const usdcAddress = await usdc.getAddress();
    for (const payer of [w.alice, w.bob, w.outsider]) {
      await (await usdc.mint(payer.address, FUNDS)).wait();
      await (await usdc.connect(payer).approve(compliance, MaxUint256)).wait();
    }
    const project = await approvedProject(w);
    const b1 = await issue(w, project, QUANTITY_1, 1n);
    const b2 = await issue(w, project, QUANTITY_2, QUANTITY_1 + 1n);
    const kenya = await extraProject(w, "GS");
    const b3 = await issue(w, kenya, QUANTITY_3, 1n);
    for (const [batchId, amount] of [
      [b1, ALICE_B1],
      [b2, ALICE_B2],
      [b3, ALICE_B3],
    ]) {
      await (await w.credit.connect(w.proponent).safeTransferFrom(w.proponent, w.alice, batchId, amount, "0x")).wait();
    }
    await (await w.credit.connect(w.alice).setApprovalForAll(compliance, true)).wait();
    return { w, usdc, usdcAddress, compliance, entityA: a.entity, entityB: b.entity, b1, b2, b3 };
  }

  /** withSetup plus PERIOD open (reporting deadline in 60 days, surrender 30 days later) with a USDC penalty. */
  async function withPeriod(): Promise<PeriodCtx> {
    const ctx = await load(withSetup);
    const deadlines = await openPeriod(ctx.w, PERIOD, {
      penaltyPerTonne: PENALTY_PER_TONNE,
      penaltyToken: ctx.usdcAddress,
    });
    return { ...ctx, ...deadlines };
  }

  /** withPeriod plus ALLOC_A to A and ALLOC_B to B, and their verified emissions EMISSIONS_A and EMISSIONS_B. */
  async function withEmissions(): Promise<PeriodCtx> {
    const ctx = await load(withPeriod);
    const { w } = ctx;
    await (await w.compliance.connect(w.regulator).allocate(PERIOD, A, ALLOC_A)).wait();
    await (await w.compliance.connect(w.regulator).allocate(PERIOD, B, ALLOC_B)).wait();
    await attest(w, ctx.entityA, EMISSIONS_A);
    await attest(w, ctx.entityB, EMISSIONS_B);
    return ctx;
  }

  /** withEmissions at PERIOD's reporting deadline: the surrender window is open. */
  async function inWindow(): Promise<PeriodCtx> {
    const ctx = await load(withEmissions);
    await timeTo(ctx.w, ctx.reportingDeadline);
    return ctx;
  }

  /** inWindow, then A surrenders short, B surrenders exactly; after the surrender deadline both are settled. */
  async function settledShort(): Promise<PeriodCtx> {
    const ctx = await load(inWindow);
    const { w } = ctx;
    await surrenderShort(ctx);
    await (await w.compliance.connect(w.bob).surrenderAllowances(B, PERIOD, [PERIOD], [ALLOC_B])).wait();
    await timeTo(w, ctx.surrenderDeadline);
    await (await w.compliance.connect(w.regulator).settle(A, PERIOD)).wait();
    await (await w.compliance.connect(w.regulator).settle(B, PERIOD)).wait();
    return ctx;
  }

  /** withEmissions plus NEXT open (reporting in 400 days), ALLOC_NEXT allocated to A, A's EMISSIONS_NEXT attested. */
  async function withNext(): Promise<NextCtx> {
    const ctx = await load(withEmissions);
    const { w } = ctx;
    const next = await openPeriod(w, NEXT, {}, NEXT_REPORTING_IN);
    await (await w.compliance.connect(w.regulator).allocate(NEXT, A, ALLOC_NEXT)).wait();
    await attest(w, ctx.entityA, EMISSIONS_NEXT, NEXT);
    return { ...ctx, next };
  }

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
    await load(deployed);
  });

  // ------------------------------------------------------------------ helpers

  /** A surrenders SHORT_ALLOWANCES of PERIOD and SHORT_OFFSETS of batch 1 for PERIOD. */
  async function surrenderShort(ctx: PeriodCtx) {
    const { w } = ctx;
    await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [SHORT_ALLOWANCES])).wait();
    await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [SHORT_OFFSETS])).wait();
  }

  /** Opens PERIOD from withSetup with `eligibility`, attests A's emissions and moves into the surrender window. */
  async function offsetsUnder(eligibility: Partial<Criteria>): Promise<PeriodCtx> {
    const ctx = await load(withSetup);
    const deadlines = await openPeriod(ctx.w, PERIOD, { eligibility: { ...anyBatch(), ...eligibility } });
    await attest(ctx.w, ctx.entityA, EMISSIONS_A);
    await timeTo(ctx.w, deadlines.reportingDeadline);
    return { ...ctx, ...deadlines };
  }

  async function nextTimestamp(w: World, timestamp: bigint) {
    await w.connection.networkHelpers.time.setNextBlockTimestamp(timestamp);
  }

  async function allowances(w: World, account: HardhatEthersSigner, period: bigint = PERIOD): Promise<bigint> {
    return w.allowance.balanceOf(account.address, period);
  }

  /** An installation's account for `period` as plain values. */
  async function accountOf(w: World, installationId: bigint, period: bigint = PERIOD) {
    const a = await w.compliance.accountOf(installationId, period);
    return {
      allowancesSurrendered: a.allowancesSurrendered,
      offsetsSurrendered: a.offsetsSurrendered,
      makeGood: a.makeGood,
      penaltyOwed: a.penaltyOwed,
      settled: a.settled,
      penaltyPaid: a.penaltyPaid,
      settledStatus: a.settledStatus,
    };
  }

  const EMPTY_ACCOUNT = {
    allowancesSurrendered: 0n,
    offsetsSurrendered: 0n,
    makeGood: 0n,
    penaltyOwed: 0n,
    settled: false,
    penaltyPaid: false,
    settledStatus: Status.NoData,
  };

  /** A period's accounting as plain values. */
  async function periodAccounting(w: World, period: bigint = PERIOD) {
    const p = await w.compliance.getPeriod(period);
    return {
      opened: p.opened,
      allocated: p.allocated,
      auctionReserved: p.auctionReserved,
      auctioned: p.auctioned,
      burned: p.burned,
    };
  }

  /** What a refused call must leave untouched: allowances, credits, the period's and both accounts' state. */
  async function snapshot(ctx: Ctx) {
    const { w } = ctx;
    return {
      allowances: [
        await allowances(w, w.alice),
        await allowances(w, w.bob),
        await w.allowance.totalSupply(PERIOD),
        await allowances(w, w.alice, NEXT),
      ],
      credits: await w.credit.balanceOfBatch(
        [w.alice.address, w.alice.address, w.alice.address],
        [ctx.b1, ctx.b2, ctx.b3],
      ),
      retired: await w.retirement.retirementCount(),
      period: (await w.compliance.getPeriod(PERIOD).catch(() => null))?.toString() ?? null,
      accounts: [await accountOf(w, A), await accountOf(w, B), await accountOf(w, A, NEXT)],
      usdc: [await ctx.usdc.balanceOf(w.alice.address), await ctx.usdc.balanceOf(w.admin.address)],
    };
  }

  async function expectUnchanged(ctx: Ctx, call: () => Promise<unknown>) {
    const before = await snapshot(ctx);
    await call();
    expect(await snapshot(ctx)).to.deep.equal(before);
  }

  // ------------------------------------------------------------------ deployment

  describe("deployment and initialize", function () {
    it("is wired to the suite's ledger, retirement registry and allowance token, with admin as treasury", async function () {
      const w = await load(deployed);
      expect(await w.compliance.ledger()).to.equal(await w.ledger.getAddress());
      expect(await w.compliance.retirement()).to.equal(await w.retirement.getAddress());
      expect(await w.compliance.allowance()).to.equal(await w.allowance.getAddress());
      expect(await w.compliance.treasury()).to.equal(w.admin.address);
      expect(await w.compliance.paused()).to.equal(false);
      expect(await w.compliance.installationCount()).to.equal(0n);
      expect(await w.allowance.compliance()).to.equal(await w.compliance.getAddress());
    });

    it("reverts ComplianceAlreadyInitialized on a second initialize", async function () {
      const w = await load(deployed);
      await expect(
        w.compliance.connect(w.admin).initialize(await w.allowance.getAddress()),
      ).to.be.revertedWithCustomError(w.compliance, "ComplianceAlreadyInitialized");
      await expect(w.compliance.connect(w.admin).initialize(w.alice.address)).to.be.revertedWithCustomError(
        w.compliance,
        "ComplianceAlreadyInitialized",
      );
      expect(await w.compliance.allowance()).to.equal(await w.allowance.getAddress());
    });

    it("constructor reverts ComplianceInvalidAccount for a zero treasury", async function () {
      const w = await load(deployed);
      const factory = await w.ethers.getContractFactory("ComplianceRegistry");
      await expect(
        factory.deploy(
          await w.manager.getAddress(),
          await w.ledger.getAddress(),
          await w.retirement.getAddress(),
          ZeroAddress,
        ),
      )
        .to.be.revertedWithCustomError(w.compliance, "ComplianceInvalidAccount")
        .withArgs(ZeroAddress);
    });

    it("a fresh registry emits TreasurySet, refuses a zero allowance token and initializes once", async function () {
      const w = await load(deployed);
      const fresh = await w.ethers.deployContract("ComplianceRegistry", [
        await w.manager.getAddress(),
        await w.ledger.getAddress(),
        await w.retirement.getAddress(),
        w.treasurer.address,
      ]);
      await expect(fresh.deploymentTransaction()).to.emit(fresh, "TreasurySet").withArgs(w.treasurer.address);
      expect(await fresh.treasury()).to.equal(w.treasurer.address);
      expect(await fresh.allowance()).to.equal(ZeroAddress);
      await expect(fresh.connect(w.admin).initialize(ZeroAddress))
        .to.be.revertedWithCustomError(fresh, "ComplianceInvalidAccount")
        .withArgs(ZeroAddress);
      await expect(fresh.connect(w.outsider).initialize(w.alice.address))
        .to.be.revertedWithCustomError(fresh, "AccessManagedUnauthorized")
        .withArgs(w.outsider.address);
      await expect(fresh.connect(w.admin).initialize(w.alice.address))
        .to.emit(fresh, "AllowanceTokenSet")
        .withArgs(w.alice.address);
      expect(await fresh.allowance()).to.equal(w.alice.address);
      await expect(fresh.connect(w.admin).initialize(w.bob.address)).to.be.revertedWithCustomError(
        fresh,
        "ComplianceAlreadyInitialized",
      );
    });
  });

  // ------------------------------------------------------------------ access control

  describe("access control", function () {
    it("refuses every restricted function to an account without its role (AccessManagedUnauthorized)", async function () {
      const ctx = await load(withEmissions);
      const { w } = ctx;
      const c = w.compliance;
      const config = periodConfig((await latest(w)) + 100n * DAY);
      const calls: [string, HardhatEthersSigner, () => Promise<ContractTransactionResponse>][] = [
        ["registerInstallation", w.outsider, () => c.connect(w.outsider).registerInstallation(w.alice, SECTOR, "DE")],
        ["updateOperator", w.alice, () => c.connect(w.alice).updateOperator(A, w.bob)],
        ["closeInstallation", w.alice, () => c.connect(w.alice).closeInstallation(A)],
        ["openPeriod", w.verifier, () => c.connect(w.verifier).openPeriod(NEXT, config)],
        ["allocate", w.alice, () => c.connect(w.alice).allocate(PERIOD, A, 1n)],
        ["allocateMany", w.treasurer, () => c.connect(w.treasurer).allocateMany(PERIOD, [A], [1n])],
        ["settle", w.outsider, () => c.connect(w.outsider).settle(A, PERIOD)],
        ["bindAuction", w.regulator, () => c.connect(w.regulator).bindAuction(w.auction)],
        ["setTreasury", w.regulator, () => c.connect(w.regulator).setTreasury(w.alice)],
        ["pause", w.regulator, () => c.connect(w.regulator).pause()],
        ["unpause", w.outsider, () => c.connect(w.outsider).unpause()],
        ["initialize", w.regulator, () => c.connect(w.regulator).initialize(w.alice)],
      ];
      await expectUnchanged(ctx, async () => {
        for (const [name, caller, call] of calls) {
          await expect(call(), name)
            .to.be.revertedWithCustomError(c, "AccessManagedUnauthorized")
            .withArgs(caller.address);
        }
      });
      expect(await c.installationCount()).to.equal(2n);
    });
  });

  // ------------------------------------------------------------------ installations

  describe("registerInstallation", function () {
    it("emits InstallationRegistered with the id, operator, derived entity, sector and jurisdiction", async function () {
      const { w } = await load(withSetup);
      const compliance = await w.compliance.getAddress();
      const entity = entityFor(compliance, 3n);
      expect(await w.compliance.entityOf(3n)).to.equal(entity);
      expect(
        await w.compliance.connect(w.regulator).registerInstallation.staticCall(w.outsider, OTHER_SECTOR, "PL-14"),
      ).to.equal(3n);
      const tx = w.compliance.connect(w.regulator).registerInstallation(w.outsider, OTHER_SECTOR, "PL-14");
      await expect(tx)
        .to.emit(w.compliance, "InstallationRegistered")
        .withArgs(3n, w.outsider.address, entity, OTHER_SECTOR, code("PL-14"));
      await expect(tx).to.emit(w.ledger, "EntityProfileSet").withArgs(entity, w.outsider.address, OTHER_SECTOR);
      expect(await w.compliance.installationCount()).to.equal(3n);
    });

    it("stores the installation and numbers installations from 1", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const a = await w.compliance.getInstallation(A);
      expect([a.operator, a.sector, a.closed, a.entity, a.jurisdiction]).to.deep.equal([
        w.alice.address,
        BigInt(SECTOR),
        false,
        ctx.entityA,
        code("DE"),
      ]);
      const b = await w.compliance.getInstallation(B);
      expect([b.operator, b.sector, b.closed, b.entity, b.jurisdiction]).to.deep.equal([
        w.bob.address,
        BigInt(SECTOR),
        false,
        ctx.entityB,
        code("FR"),
      ]);
      const compliance = await w.compliance.getAddress();
      expect(ctx.entityA).to.equal(entityFor(compliance, A));
      expect(ctx.entityB).to.equal(entityFor(compliance, B));
      expect(ctx.entityA).to.not.equal(ctx.entityB);
      expect(await w.compliance.installationCount()).to.equal(2n);
    });

    it("declares the entity to the ledger with the operator as controller and the sector", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const profile = await w.ledger.entityProfile(ctx.entityA);
      expect([profile.controller, profile.sector, profile.registered]).to.deep.equal([
        w.alice.address,
        BigInt(SECTOR),
        true,
      ]);
      await (await w.compliance.connect(w.regulator).registerInstallation(w.bob, OTHER_SECTOR, "FR")).wait();
      const other = await w.ledger.entityProfile(await w.compliance.entityOf(3n));
      expect([other.controller, other.sector, other.registered]).to.deep.equal([
        w.bob.address,
        BigInt(OTHER_SECTOR),
        true,
      ]);
    });

    it("the ledger then refuses the operator's self-attestation and a statement in another sector", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const deadline = (await latest(w)) + 10n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, deadline)).wait();
      // Alice is made a verifier, accredited for SECTOR: still she may not attest her own installation.
      await (await w.manager.connect(w.admin).grantRole(Roles.VERIFIER, w.alice.address, 0)).wait();
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.alice, SECTOR)).wait();
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier, OTHER_SECTOR)).wait();
      await expect(w.ledger.connect(w.alice).attest(ctx.entityA, PERIOD, SECTOR, 1n, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
        .withArgs(ctx.entityA, w.alice.address);
      await expect(w.ledger.connect(w.verifier).attest(ctx.entityA, PERIOD, OTHER_SECTOR, 1n, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerWrongSector")
        .withArgs(ctx.entityA, OTHER_SECTOR, SECTOR);
    });

    it("reverts ComplianceInvalidAccount for a zero operator", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      await expect(w.compliance.connect(w.regulator).registerInstallation(ZeroAddress, SECTOR, "DE"))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceInvalidAccount")
        .withArgs(ZeroAddress);
      expect(await w.compliance.installationCount()).to.equal(2n);
    });

    it("getInstallation reverts ComplianceUnknownInstallation for id 0 and ids past the count", async function () {
      const { w } = await load(withSetup);
      for (const installationId of [0n, 3n]) {
        await expect(w.compliance.getInstallation(installationId))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
          .withArgs(installationId);
      }
    });
  });

  describe("updateOperator", function () {
    it("emits OperatorUpdated, stores the operator and makes it the ledger's controller", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const tx = w.compliance.connect(w.regulator).updateOperator(A, w.outsider);
      await expect(tx).to.emit(w.compliance, "OperatorUpdated").withArgs(A, w.alice.address, w.outsider.address);
      await expect(tx).to.emit(w.ledger, "EntityProfileSet").withArgs(ctx.entityA, w.outsider.address, SECTOR);
      const inst = await w.compliance.getInstallation(A);
      expect([inst.operator, inst.entity, inst.sector, inst.jurisdiction, inst.closed]).to.deep.equal([
        w.outsider.address,
        ctx.entityA,
        BigInt(SECTOR),
        code("DE"),
        false,
      ]);
      const profile = await w.ledger.entityProfile(ctx.entityA);
      expect([profile.controller, profile.sector, profile.registered]).to.deep.equal([
        w.outsider.address,
        BigInt(SECTOR),
        true,
      ]);
    });

    it("the new operator receives allocations and surrenders; the previous one is refused", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).updateOperator(A, w.outsider)).wait();
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 500n))
        .to.emit(w.compliance, "Allocated")
        .withArgs(PERIOD, A, w.outsider.address, 500n);
      expect(await allowances(w, w.outsider)).to.equal(500n);
      await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceNotOperator")
        .withArgs(A, w.alice.address);
      await (await w.compliance.connect(w.outsider).surrenderAllowances(A, PERIOD, [PERIOD], [500n])).wait();
      expect(await allowances(w, w.outsider)).to.equal(0n);
      expect((await accountOf(w, A)).allowancesSurrendered).to.equal(500n);
      // The previous operator keeps the allowances allocated to it before.
      expect(await allowances(w, w.alice)).to.equal(ALLOC_A);
    });

    it("reverts ComplianceUnknownInstallation for an unknown id and ComplianceInvalidAccount for zero", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      await expect(w.compliance.connect(w.regulator).updateOperator(99n, w.bob))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
        .withArgs(99n);
      await expect(w.compliance.connect(w.regulator).updateOperator(A, ZeroAddress))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceInvalidAccount")
        .withArgs(ZeroAddress);
      expect((await w.compliance.getInstallation(A)).operator).to.equal(w.alice.address);
      expect((await w.ledger.entityProfile(ctx.entityA)).controller).to.equal(w.alice.address);
    });
  });

  describe("closeInstallation", function () {
    it("emits InstallationClosed and marks it closed; a second close reverts ComplianceInstallationClosed", async function () {
      const { w } = await load(withSetup);
      await expect(w.compliance.connect(w.regulator).closeInstallation(A))
        .to.emit(w.compliance, "InstallationClosed")
        .withArgs(A);
      expect((await w.compliance.getInstallation(A)).closed).to.equal(true);
      expect((await w.compliance.getInstallation(B)).closed).to.equal(false);
      await expect(w.compliance.connect(w.regulator).closeInstallation(A))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceInstallationClosed")
        .withArgs(A);
      await expect(w.compliance.connect(w.regulator).closeInstallation(7n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
        .withArgs(7n);
    });

    it("refuses allocation to a closed installation (allocate and allocateMany)", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).closeInstallation(A)).wait();
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 1n))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceInstallationClosed")
          .withArgs(A);
        await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [B, A], [1n, 1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceInstallationClosed")
          .withArgs(A);
      });
    });

    it("a closed installation still surrenders and is settled (past obligations stand)", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).closeInstallation(A)).wait();
      await surrenderShort(ctx);
      expect(await w.compliance.obligationOf(A, PERIOD)).to.deep.equal([
        true,
        EMISSIONS_A,
        SHORT_ALLOWANCES + SHORT_OFFSETS,
      ]);
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(
          A,
          PERIOD,
          Status.NonCompliant,
          EMISSIONS_A,
          SHORT_ALLOWANCES + SHORT_OFFSETS,
          SHORTFALL_A,
          PENALTY_A,
          NEXT,
        );
      await (await w.compliance.connect(w.alice).payPenalty(A, PERIOD)).wait();
      expect((await accountOf(w, A)).penaltyPaid).to.equal(true);
    });
  });

  // ------------------------------------------------------------------ periods

  describe("openPeriod", function () {
    it("emits PeriodOpened with the config and stores it", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const reportingDeadline = (await latest(w)) + 50n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, reportingDeadline)).wait();
      const config = periodConfig(reportingDeadline, {
        cap: 7_654_321n,
        auctionVolume: 1_234_567n,
        surrenderDeadline: reportingDeadline + 45n * DAY,
        offsetLimitBps: 2_500n,
        penaltyPerTonne: PENALTY_PER_TONNE,
        penaltyToken: ctx.usdcAddress,
        eligibility: {
          methodologyIds: [1n, 3n],
          jurisdictions: [code("BR"), code("KE")],
          projectId: 1n,
          vintageFrom: 1_000n,
          vintageTo: 2_000n,
          categories: 1n,
          authorisations: 6n,
          adjustments: 4n,
        },
      });
      const tx = await w.compliance.connect(w.regulator).openPeriod(PERIOD, config);
      const [event] = await eventsOf(tx, w.compliance, "PeriodOpened");
      expect(event.period).to.equal(PERIOD);
      expect(plainConfig(event.config)).to.deep.equal(plainConfig(config));
      const stored = await w.compliance.getPeriod(PERIOD);
      expect(plainConfig(stored.config)).to.deep.equal(plainConfig(config));
      expect(await periodAccounting(w)).to.deep.equal({
        opened: true,
        allocated: 0n,
        auctionReserved: 0n,
        auctioned: 0n,
        burned: 0n,
      });
    });

    it("reverts CompliancePeriodExists when opening a period twice", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      const before = (await w.compliance.getPeriod(PERIOD)).toString();
      await expect(
        w.compliance
          .connect(w.regulator)
          .openPeriod(PERIOD, periodConfig(ctx.reportingDeadline, { cap: 1n, auctionVolume: 0n })),
      )
        .to.be.revertedWithCustomError(w.compliance, "CompliancePeriodExists")
        .withArgs(PERIOD);
      expect((await w.compliance.getPeriod(PERIOD)).toString()).to.equal(before);
    });

    it("reverts ComplianceReportingDeadlineNotSet without a ledger deadline or with a past one", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const config = periodConfig((await latest(w)) + 10n * DAY);
      await expect(w.compliance.connect(w.regulator).openPeriod(PERIOD, config))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceReportingDeadlineNotSet")
        .withArgs(PERIOD);
      const deadline = (await latest(w)) + DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, deadline)).wait();
      await timeTo(w, deadline);
      // The deadline is now the latest block's timestamp: reporting has closed.
      await expect(w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(deadline)))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceReportingDeadlineNotSet")
        .withArgs(PERIOD);
      await expect(w.compliance.getPeriod(PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownPeriod")
        .withArgs(PERIOD);
    });

    it("reverts ComplianceInvalidSurrenderDeadline unless the surrender deadline follows the reporting deadline", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const rd = (await latest(w)) + 10n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, rd)).wait();
      for (const surrenderDeadline of [rd, rd - 1n, 0n]) {
        await expect(w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(rd, { surrenderDeadline })))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceInvalidSurrenderDeadline")
          .withArgs(PERIOD, surrenderDeadline, rd);
      }
      await (
        await w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(rd, { surrenderDeadline: rd + 1n }))
      ).wait();
      expect((await w.compliance.getPeriod(PERIOD)).config.surrenderDeadline).to.equal(rd + 1n);
    });

    it("reverts ComplianceAuctionVolumeAboveCap above the cap; an auction volume equal to the cap is fine", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const rd = (await latest(w)) + 10n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, rd)).wait();
      await expect(
        w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(rd, { cap: 1_000n, auctionVolume: 1_001n })),
      )
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAuctionVolumeAboveCap")
        .withArgs(1_001n, 1_000n);
      await (
        await w.compliance
          .connect(w.regulator)
          .openPeriod(PERIOD, periodConfig(rd, { cap: 1_000n, auctionVolume: 1_000n }))
      ).wait();
      // No room for free allocation.
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 1n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceCapExceeded")
        .withArgs(PERIOD, 1n, 0n);
    });

    it("reverts ComplianceInvalidOffsetLimit above 10,000 bps; 10,000 bps is fine", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const rd = (await latest(w)) + 10n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, rd)).wait();
      await expect(w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(rd, { offsetLimitBps: 10_001n })))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceInvalidOffsetLimit")
        .withArgs(10_001n);
      await (
        await w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(rd, { offsetLimitBps: 10_000n }))
      ).wait();
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier, SECTOR)).wait();
      await attest(w, ctx.entityA, EMISSIONS_A);
      expect(await w.compliance.offsetLimitOf(A, PERIOD)).to.equal(EMISSIONS_A);
    });

    it("reverts ComplianceInvalidPenalty for a penalty without a token; a token without a penalty is fine", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const rd = (await latest(w)) + 10n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, rd)).wait();
      await expect(w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(rd, { penaltyPerTonne: 1n })))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceInvalidPenalty")
        .withArgs(ZeroAddress, 1n);
      await (
        await w.compliance.connect(w.regulator).openPeriod(PERIOD, periodConfig(rd, { penaltyToken: ctx.usdcAddress }))
      ).wait();
      expect((await w.compliance.getPeriod(PERIOD)).config.penaltyToken).to.equal(ctx.usdcAddress);
    });

    it("reverts with the criteria errors for invalid eligibility; 16 list entries are fine", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const rd = (await latest(w)) + 10n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, rd)).wait();
      const open = (eligibility: Partial<Criteria>) =>
        w.compliance
          .connect(w.regulator)
          .openPeriod(PERIOD, periodConfig(rd, { eligibility: { ...anyBatch(), ...eligibility } }));
      const ids = (n: number) => Array.from({ length: n }, (_, i) => BigInt(i + 1));
      const keys = (n: number) => Array.from({ length: n }, (_, i) => code(`BR-${i}`));
      const notACode = "0x42522d5061000000"; // "BR-Pa": lower case is not canonical
      const cases: [Partial<Criteria>, string, (bigint | string)[]][] = [
        [{ methodologyIds: ids(17) }, "CriteriaTooManyEntries", [17n, 16n]],
        [{ jurisdictions: keys(17) }, "CriteriaTooManyEntries", [17n, 16n]],
        [{ jurisdictions: [code("KE"), notACode] }, "JurisdictionCodeInvalid", [notACode]],
        [{ categories: 4n }, "CriteriaInvalidMask", [4n, 3n]],
        [{ authorisations: 8n }, "CriteriaInvalidMask", [8n, 7n]],
        [{ adjustments: 8n }, "CriteriaInvalidMask", [8n, 7n]],
        [{ vintageFrom: 5n, vintageTo: 5n }, "CriteriaInvalidVintageWindow", [5n, 5n]],
        [{ vintageFrom: 6n, vintageTo: 5n }, "CriteriaInvalidVintageWindow", [6n, 5n]],
      ];
      for (const [eligibility, error, args] of cases) {
        await expect(open(eligibility), error)
          .to.be.revertedWithCustomError(w.compliance, error)
          .withArgs(...args);
      }
      await (
        await open({
          methodologyIds: ids(16),
          jurisdictions: keys(16),
          categories: 3n,
          authorisations: 7n,
          adjustments: 7n,
          vintageFrom: 5n,
          vintageTo: 6n,
        })
      ).wait();
      expect((await w.compliance.getPeriod(PERIOD)).config.eligibility.methodologyIds.length).to.equal(16);
    });

    it("views and calls on a period never opened revert ComplianceUnknownPeriod", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      const unknown = 2099n;
      const calls: [string, () => Promise<unknown>][] = [
        ["getPeriod", () => w.compliance.getPeriod(unknown)],
        ["statusOf", () => w.compliance.statusOf(A, unknown)],
        ["offsetLimitOf", () => w.compliance.offsetLimitOf(A, unknown)],
        ["allocate", () => w.compliance.connect(w.regulator).allocate(unknown, A, 1n)],
        ["allocateMany", () => w.compliance.connect(w.regulator).allocateMany(unknown, [A], [1n])],
        ["settle", () => w.compliance.connect(w.regulator).settle(A, unknown)],
        ["surrenderAllowances", () => w.compliance.connect(w.alice).surrenderAllowances(A, unknown, [PERIOD], [1n])],
        ["surrenderOffsets", () => w.compliance.connect(w.alice).surrenderOffsets(A, unknown, [ctx.b1], [1n])],
      ];
      await expectUnchanged(ctx, async () => {
        for (const [name, call] of calls) {
          await expect(call(), name)
            .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownPeriod")
            .withArgs(unknown);
        }
      });
    });
  });

  // ------------------------------------------------------------------ allocation

  describe("allocate", function () {
    it("emits Allocated and mints the period's allowances to the operator", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      const tx = w.compliance.connect(w.regulator).allocate(PERIOD, A, ALLOC_A);
      await expect(tx).to.emit(w.compliance, "Allocated").withArgs(PERIOD, A, w.alice.address, ALLOC_A);
      await expect(tx)
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(ctx.compliance, ZeroAddress, w.alice.address, PERIOD, ALLOC_A);
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, B, 5n)).wait();
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, A, 7n)).wait();
      expect(await allowances(w, w.alice)).to.equal(ALLOC_A + 7n);
      expect(await allowances(w, w.bob)).to.equal(5n);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(ALLOC_A + 12n);
      expect((await periodAccounting(w)).allocated).to.equal(ALLOC_A + 12n);
    });

    it("allocates exactly up to the cap minus the auction volume; one more reverts ComplianceCapExceeded", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, A, FREE_ROOM - 5n)).wait();
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, B, 6n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceCapExceeded")
        .withArgs(PERIOD, 6n, 5n);
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, B, 5n)).wait();
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, B, 1n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceCapExceeded")
        .withArgs(PERIOD, 1n, 0n);
      expect((await periodAccounting(w)).allocated).to.equal(FREE_ROOM);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(FREE_ROOM);
      expect(await allowances(w, w.bob)).to.equal(5n);
    });

    it("allocates until the second before the surrender deadline, then reverts ComplianceAllocationClosed", async function () {
      const ctx = await load(withEmissions);
      const { w } = ctx;
      await nextTimestamp(w, ctx.surrenderDeadline - 1n);
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, A, 1n)).wait();
      await nextTimestamp(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 1n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAllocationClosed")
        .withArgs(PERIOD, ctx.surrenderDeadline);
      await timeTo(w, ctx.surrenderDeadline + DAY);
      await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [A], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAllocationClosed")
        .withArgs(PERIOD, ctx.surrenderDeadline);
      expect(await allowances(w, w.alice)).to.equal(ALLOC_A + 1n);
      expect((await periodAccounting(w)).allocated).to.equal(ALLOC_A + ALLOC_B + 1n);
    });

    it("reverts ComplianceZeroAmount for 0 and ComplianceUnknownInstallation for an unknown id", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 0n)).to.be.revertedWithCustomError(
          w.compliance,
          "ComplianceZeroAmount",
        );
        for (const installationId of [0n, 3n]) {
          await expect(w.compliance.connect(w.regulator).allocate(PERIOD, installationId, 1n))
            .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
            .withArgs(installationId);
        }
      });
      expect((await periodAccounting(w)).allocated).to.equal(0n);
    });

    it("reverts AllowanceAccountFrozen when the operator is frozen on the allowance token", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await (await w.allowance.connect(w.regulator).freeze(w.alice, REASON)).wait();
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 1n))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
      expect((await periodAccounting(w)).allocated).to.equal(0n);
    });
  });

  describe("allocateMany", function () {
    it("allocates to each installation with an Allocated event each", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      const tx = w.compliance.connect(w.regulator).allocateMany(PERIOD, [A, B, A], [100n, 200n, 300n]);
      await expect(tx).to.emit(w.compliance, "Allocated").withArgs(PERIOD, A, w.alice.address, 100n);
      await expect(tx).to.emit(w.compliance, "Allocated").withArgs(PERIOD, B, w.bob.address, 200n);
      await expect(tx).to.emit(w.compliance, "Allocated").withArgs(PERIOD, A, w.alice.address, 300n);
      const events = await eventsOf(await tx, w.compliance, "Allocated");
      expect(events.map((e) => [e.installationId, e.amount])).to.deep.equal([
        [A, 100n],
        [B, 200n],
        [A, 300n],
      ]);
      expect(await allowances(w, w.alice)).to.equal(400n);
      expect(await allowances(w, w.bob)).to.equal(200n);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(600n);
      expect((await periodAccounting(w)).allocated).to.equal(600n);
    });

    it("allocates the whole free room at once; a total above it reverts ComplianceCapExceeded with the total", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [A, B], [FREE_ROOM, 1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceCapExceeded")
        .withArgs(PERIOD, FREE_ROOM + 1n, FREE_ROOM);
      await (await w.compliance.connect(w.regulator).allocateMany(PERIOD, [A, B], [FREE_ROOM - 1n, 1n])).wait();
      expect((await periodAccounting(w)).allocated).to.equal(FREE_ROOM);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(FREE_ROOM);
    });

    it("reverts ComplianceEmptyRequest and ComplianceLengthMismatch", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [], [])).to.be.revertedWithCustomError(
          w.compliance,
          "ComplianceEmptyRequest",
        );
        await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [A, B], [1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceLengthMismatch")
          .withArgs(2n, 1n);
        await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [A], [1n, 2n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceLengthMismatch")
          .withArgs(1n, 2n);
      });
    });

    it("is all or nothing: a bad entry after good ones allocates nothing", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, B, 10n)).wait();
      await (await w.compliance.connect(w.regulator).registerInstallation(w.outsider, SECTOR, "DE")).wait();
      await (await w.compliance.connect(w.regulator).closeInstallation(3n)).wait();
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [A, B, 9n], [1n, 2n, 3n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
          .withArgs(9n);
        await expect(
          w.compliance.connect(w.regulator).allocateMany(PERIOD, [A, B], [1n, 0n]),
        ).to.be.revertedWithCustomError(w.compliance, "ComplianceZeroAmount");
        await expect(w.compliance.connect(w.regulator).allocateMany(PERIOD, [A, 3n], [1n, 1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceInstallationClosed")
          .withArgs(3n);
      });
      expect((await periodAccounting(w)).allocated).to.equal(10n);
      expect(await allowances(w, w.outsider)).to.equal(0n);
    });
  });

  // ------------------------------------------------------------------ auction volume

  describe("auction volume", function () {
    /** Auction ids used below (the bound auction contract numbers its auctions itself). */
    const AID = 1n;
    const AID2 = 2n;

    /** withPeriod plus the bound auction contract impersonated (only it may call the auction-volume functions). */
    async function withAuctioneer(): Promise<PeriodCtx & { auctioneer: HardhatEthersSigner }> {
      const ctx = await load(withPeriod);
      const auctioneer = await actAs(ctx.w, await ctx.w.auction.getAddress());
      return { ...ctx, auctioneer };
    }

    it("is bound to the one auction contract: any other caller, every role holder included, is refused", async function () {
      const ctx = await load(withAuctioneer);
      const { w } = ctx;
      expect(await w.compliance.auction()).to.equal(await w.auction.getAddress());
      const c = w.compliance;
      for (const caller of [w.admin, w.regulator, w.outsider]) {
        for (const call of [
          () => c.connect(caller).reserveAuctionVolume(PERIOD, AID, 1n),
          () => c.connect(caller).issueAuctioned(AID, caller.address, 1n),
          () => c.connect(caller).releaseAuctionVolume(AID, 1n),
        ]) {
          await expect(call()).to.be.revertedWithCustomError(c, "ComplianceNotAuction").withArgs(caller.address);
        }
      }
      // Set once: ADMIN cannot rebind it.
      await expect(c.connect(w.admin).bindAuction(w.outsider.address))
        .to.be.revertedWithCustomError(c, "ComplianceAuctionAlreadyBound")
        .withArgs(await w.auction.getAddress());
    });

    it("refuses to reserve auction volume after the surrender deadline, as free allocation", async function () {
      const ctx = await load(withAuctioneer);
      const { w, auctioneer } = ctx;
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(auctioneer).reserveAuctionVolume(PERIOD, AID, 1_000n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAllocationClosed")
        .withArgs(PERIOD, ctx.surrenderDeadline);
    });

    it("reserves, issues and releases auction volume per auction, with events and accounting", async function () {
      const ctx = await load(withAuctioneer);
      const { w, auctioneer } = ctx;
      const c = w.compliance.connect(auctioneer);
      await expect(c.reserveAuctionVolume(PERIOD, AID, 1_000n))
        .to.emit(w.compliance, "AuctionVolumeReserved")
        .withArgs(PERIOD, AID, 1_000n);
      const issued = c.issueAuctioned(AID, w.bob, 400n);
      await expect(issued).to.emit(w.compliance, "AuctionAllowancesIssued").withArgs(PERIOD, AID, w.bob.address, 400n);
      await expect(issued)
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(ctx.compliance, ZeroAddress, w.bob.address, PERIOD, 400n);
      expect(await allowances(w, w.bob)).to.equal(400n);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(400n);
      expect(await periodAccounting(w)).to.deep.equal({
        opened: true,
        allocated: 0n,
        auctionReserved: 600n,
        auctioned: 400n,
        burned: 0n,
      });
      // Another auction's reservation of the same period is not this one's to take.
      await (await c.reserveAuctionVolume(PERIOD, AID2, 100n)).wait();
      await expect(c.issueAuctioned(AID, w.bob, 601n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAuctionReservationExceeded")
        .withArgs(AID, 601n, 600n);
      await expect(c.releaseAuctionVolume(AID, 601n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAuctionReservationExceeded")
        .withArgs(AID, 601n, 600n);
      await expect(c.releaseAuctionVolume(AID, 600n))
        .to.emit(w.compliance, "AuctionVolumeReleased")
        .withArgs(PERIOD, AID, 600n);
      await expect(c.releaseAuctionVolume(AID2, 100n))
        .to.emit(w.compliance, "AuctionVolumeReleased")
        .withArgs(PERIOD, AID2, 100n);
      expect((await periodAccounting(w)).auctionReserved).to.equal(0n);
      // Released volume can be reserved again; sold volume cannot.
      await expect(c.reserveAuctionVolume(PERIOD, 3n, AUCTION_VOLUME - 399n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAuctionVolumeExceeded")
        .withArgs(PERIOD, AUCTION_VOLUME - 399n, AUCTION_VOLUME - 400n);
      await (await c.reserveAuctionVolume(PERIOD, 3n, AUCTION_VOLUME - 400n)).wait();
      await expect(c.reserveAuctionVolume(PERIOD, 4n, 1n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAuctionVolumeExceeded")
        .withArgs(PERIOD, 1n, 0n);
    });

    it("auction volume and free allocation are separate parts of the cap", async function () {
      const ctx = await load(withAuctioneer);
      const { w, auctioneer } = ctx;
      const c = w.compliance.connect(auctioneer);
      await (await c.reserveAuctionVolume(PERIOD, AID, AUCTION_VOLUME)).wait();
      await (await c.issueAuctioned(AID, w.bob, AUCTION_VOLUME)).wait();
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, A, FREE_ROOM)).wait();
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(CAP);
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 1n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceCapExceeded")
        .withArgs(PERIOD, 1n, 0n);
      await expect(c.reserveAuctionVolume(PERIOD, AID2, 1n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAuctionVolumeExceeded")
        .withArgs(PERIOD, 1n, 0n);
    });

    it("reverts ComplianceZeroAmount for zero volumes, and refuses unopened periods and unreserved auctions", async function () {
      const ctx = await load(withAuctioneer);
      const { w, auctioneer } = ctx;
      const c = w.compliance.connect(auctioneer);
      await (await c.reserveAuctionVolume(PERIOD, AID, 10n)).wait();
      for (const call of [
        () => c.reserveAuctionVolume(PERIOD, AID2, 0n),
        () => c.issueAuctioned(AID, w.bob, 0n),
        () => c.releaseAuctionVolume(AID, 0n),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(w.compliance, "ComplianceZeroAmount");
      }
      await expect(c.reserveAuctionVolume(NEXT, AID2, 1n))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownPeriod")
        .withArgs(NEXT);
      for (const call of [() => c.issueAuctioned(AID2, w.bob, 1n), () => c.releaseAuctionVolume(AID2, 1n)]) {
        await expect(call())
          .to.be.revertedWithCustomError(w.compliance, "ComplianceAuctionReservationExceeded")
          .withArgs(AID2, 1n, 0n);
      }
    });
  });

  // ------------------------------------------------------------------ surrender of allowances

  describe("surrenderAllowances", function () {
    it("reverts ComplianceAmountTooLarge for an amount above 2^128 - 1", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      const tooLarge = 2n ** 128n;
      await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [tooLarge]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAmountTooLarge")
        .withArgs(tooLarge);
    });

    it("burns the operator's allowances, counts them and emits AllowancesSurrendered per entry", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      const tx = w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD, PERIOD], [4_000_000n, 1_000n]);
      await expect(tx).to.emit(w.compliance, "AllowancesSurrendered").withArgs(A, PERIOD, PERIOD, 4_000_000n);
      await expect(tx).to.emit(w.compliance, "AllowancesSurrendered").withArgs(A, PERIOD, PERIOD, 1_000n);
      await expect(tx)
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(ctx.compliance, w.alice.address, ZeroAddress, PERIOD, 4_000_000n);
      expect((await eventsOf(await tx, w.compliance, "AllowancesSurrendered")).length).to.equal(2);
      expect(await allowances(w, w.alice)).to.equal(ALLOC_A - 4_001_000n);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(ALLOC_A + ALLOC_B - 4_001_000n);
      expect((await periodAccounting(w)).burned).to.equal(4_001_000n);
      expect(await accountOf(w, A)).to.deep.equal({ ...EMPTY_ACCOUNT, allowancesSurrendered: 4_001_000n });
      expect(await w.compliance.obligationOf(A, PERIOD)).to.deep.equal([true, EMISSIONS_A, 4_001_000n]);
      // B's account is untouched.
      expect(await accountOf(w, B)).to.deep.equal(EMPTY_ACCOUNT);
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [999_000n])).wait();
      expect((await accountOf(w, A)).allowancesSurrendered).to.equal(5_000_000n);
      expect((await periodAccounting(w)).burned).to.equal(5_000_000n);
    });

    it("reverts ComplianceNotOperator for anyone but the installation's operator", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await expectUnchanged(ctx, async () => {
        for (const caller of [w.bob, w.regulator, w.admin]) {
          await expect(w.compliance.connect(caller).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
            .to.be.revertedWithCustomError(w.compliance, "ComplianceNotOperator")
            .withArgs(A, caller.address);
        }
        await expect(w.compliance.connect(w.alice).surrenderAllowances(3n, PERIOD, [PERIOD], [1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
          .withArgs(3n);
      });
    });

    it("opens at the ledger's reporting deadline: before it reverts ComplianceSurrenderNotOpen", async function () {
      const ctx = await load(withEmissions);
      const { w } = ctx;
      await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderNotOpen")
        .withArgs(PERIOD, ctx.reportingDeadline);
      await nextTimestamp(w, ctx.reportingDeadline - 1n);
      await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderNotOpen")
        .withArgs(PERIOD, ctx.reportingDeadline);
      await nextTimestamp(w, ctx.reportingDeadline);
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n])).wait();
      expect((await accountOf(w, A)).allowancesSurrendered).to.equal(1n);
    });

    it("closes at the surrender deadline: at and after it reverts ComplianceSurrenderClosed", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await nextTimestamp(w, ctx.surrenderDeadline - 1n);
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n])).wait();
      await nextTimestamp(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderClosed")
        .withArgs(PERIOD, ctx.surrenderDeadline);
      await timeTo(w, ctx.surrenderDeadline + 10n * DAY);
      await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderClosed")
        .withArgs(PERIOD, ctx.surrenderDeadline);
      expect((await accountOf(w, A)).allowancesSurrendered).to.equal(1n);
    });

    it("banks: allowances of an earlier period cover a later one, burned from their own period", async function () {
      const ctx = await load(withNext);
      const { w } = ctx;
      await timeTo(w, ctx.next.reportingDeadline);
      const tx = w.compliance.connect(w.alice).surrenderAllowances(A, NEXT, [PERIOD, NEXT], [1_500_000n, ALLOC_NEXT]);
      await expect(tx).to.emit(w.compliance, "AllowancesSurrendered").withArgs(A, NEXT, PERIOD, 1_500_000n);
      await expect(tx).to.emit(w.compliance, "AllowancesSurrendered").withArgs(A, NEXT, NEXT, ALLOC_NEXT);
      await tx;
      expect(await allowances(w, w.alice)).to.equal(ALLOC_A - 1_500_000n);
      expect(await allowances(w, w.alice, NEXT)).to.equal(0n);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(ALLOC_A + ALLOC_B - 1_500_000n);
      expect(await w.allowance.totalSupply(NEXT)).to.equal(0n);
      expect((await periodAccounting(w, PERIOD)).burned).to.equal(1_500_000n);
      expect((await periodAccounting(w, NEXT)).burned).to.equal(ALLOC_NEXT);
      expect((await accountOf(w, A, NEXT)).allowancesSurrendered).to.equal(1_500_000n + ALLOC_NEXT);
      expect((await accountOf(w, A, PERIOD)).allowancesSurrendered).to.equal(0n);
      expect(await w.compliance.statusOf(A, NEXT)).to.equal(Status.Compliant);
    });

    it("reverts ComplianceFutureAllowances for allowances of a later period", async function () {
      const ctx = await load(withNext);
      const { w } = ctx;
      await timeTo(w, ctx.reportingDeadline);
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD, NEXT], [1n, 1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceFutureAllowances")
          .withArgs(PERIOD, NEXT);
      });
      expect(await allowances(w, w.alice, NEXT)).to.equal(ALLOC_NEXT);
    });

    it("a frozen operator still surrenders (a surrender only reduces its holdings), but cannot move them elsewhere", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.allowance.connect(w.regulator).freeze(w.alice, REASON)).wait();
      await expectUnchanged(ctx, async () => {
        await expect(w.allowance.connect(w.alice).safeTransferFrom(w.alice, w.bob, PERIOD, 1n, "0x"))
          .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
          .withArgs(w.alice.address);
      });
      await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
        .to.emit(w.compliance, "AllowancesSurrendered")
        .withArgs(A, PERIOD, PERIOD, 1n);
      expect((await accountOf(w, A)).allowancesSurrendered).to.equal(1n);
      expect(await w.allowance.balanceOf(w.alice, PERIOD)).to.equal(ALLOC_A - 1n);
      expect(await w.allowance.isFrozen(w.alice)).to.equal(true);
      // Allocation to the frozen operator (it would receive) stays refused.
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, A, 1n))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
    });

    it("reverts ERC1155InsufficientBalance beyond the operator's balance (all entries or none)", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [ALLOC_A + 1n]))
          .to.be.revertedWithCustomError(w.allowance, "ERC1155InsufficientBalance")
          .withArgs(w.alice.address, ALLOC_A, ALLOC_A + 1n, PERIOD);
        await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD, PERIOD], [ALLOC_A, 1n]))
          .to.be.revertedWithCustomError(w.allowance, "ERC1155InsufficientBalance")
          .withArgs(w.alice.address, 0n, 1n, PERIOD);
        // Allowances of a period that never had any.
        await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD - 1n], [1n]))
          .to.be.revertedWithCustomError(w.allowance, "ERC1155InsufficientBalance")
          .withArgs(w.alice.address, 0n, 1n, PERIOD - 1n);
      });
    });

    it("reverts ComplianceEmptyRequest, ComplianceLengthMismatch and ComplianceZeroAmount", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      const c = w.compliance.connect(w.alice);
      await expectUnchanged(ctx, async () => {
        await expect(c.surrenderAllowances(A, PERIOD, [], [])).to.be.revertedWithCustomError(
          w.compliance,
          "ComplianceEmptyRequest",
        );
        await expect(c.surrenderAllowances(A, PERIOD, [PERIOD, PERIOD], [1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceLengthMismatch")
          .withArgs(2n, 1n);
        await expect(c.surrenderAllowances(A, PERIOD, [PERIOD], [1n, 1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceLengthMismatch")
          .withArgs(1n, 2n);
        await expect(c.surrenderAllowances(A, PERIOD, [PERIOD, PERIOD], [1n, 0n])).to.be.revertedWithCustomError(
          w.compliance,
          "ComplianceZeroAmount",
        );
      });
    });
  });

  // ------------------------------------------------------------------ surrender of offsets

  describe("surrenderOffsets", function () {
    it("retires the credits with a compliance claim for the operator and emits OffsetsSurrendered", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      expect(await w.retirement.retirementCount()).to.equal(0n);
      const tx = await w.compliance
        .connect(w.alice)
        .surrenderOffsets(A, PERIOD, [ctx.b1, ctx.b2], [1_000_000n, 50_000n]);
      await expect(tx).to.emit(w.compliance, "OffsetsSurrendered").withArgs(A, PERIOD, ctx.b1, 1_000_000n, 1n);
      await expect(tx).to.emit(w.compliance, "OffsetsSurrendered").withArgs(A, PERIOD, ctx.b2, 50_000n, 2n);
      const retired = await retiredEvents(w, await tx.wait());
      expect(
        retired.map((e) => [
          e.args.retirementId,
          e.args.batchId,
          e.args.beneficiary,
          e.args.retiree,
          e.args.amount,
          e.args.claimType,
          e.args.certified,
          e.args.details.claimEntity,
          e.args.details.claimPeriod,
          e.args.details.reason,
          e.args.details.beneficiaryName,
        ]),
      ).to.deep.equal([
        [
          1n,
          ctx.b1,
          w.alice.address,
          w.alice.address,
          1_000_000n,
          BigInt(ClaimType.Compliance),
          false,
          ctx.entityA,
          PERIOD,
          "compliance surrender",
          "",
        ],
        [
          2n,
          ctx.b2,
          w.alice.address,
          w.alice.address,
          50_000n,
          BigInt(ClaimType.Compliance),
          false,
          ctx.entityA,
          PERIOD,
          "compliance surrender",
          "",
        ],
      ]);
      for (const [retirementId, batchId, amount] of [
        [1n, ctx.b1, 1_000_000n],
        [2n, ctx.b2, 50_000n],
      ]) {
        const r = await w.retirement.getRetirement(retirementId);
        expect([r.beneficiary, r.retiree, r.batchId, r.amount, r.claimType, r.certified]).to.deep.equal([
          w.alice.address,
          w.alice.address,
          batchId,
          amount,
          BigInt(ClaimType.Compliance),
          false,
        ]);
      }
      expect(await w.retirement.retirementCount()).to.equal(2n);
      expect(await w.retirement.certificatesOf(w.alice.address)).to.equal(0n);
      // A surrender is a compliance claim, counted apart from voluntary retirements.
      expect(await w.retirement.totalRetiredFor(w.alice.address)).to.equal(0n);
      expect(await w.retirement.totalRetiredByClaim(w.alice.address, ClaimType.Compliance)).to.equal(1_050_000n);
      // A compliance claim is not a neutrality claim.
      expect(await w.retirement.retiredAgainst(ctx.entityA, PERIOD)).to.equal(0n);
      expect(await w.credit.balanceOf(w.alice.address, ctx.b1)).to.equal(ALICE_B1 - 1_000_000n);
      expect(await w.credit.balanceOf(w.alice.address, ctx.b2)).to.equal(0n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, ctx.b1)).to.equal(1_000_000n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, ctx.b2)).to.equal(50_000n);
      expect((await w.credit.supplyOf(ctx.b1)).retired).to.equal(1_000_000n);
      expect(await accountOf(w, A)).to.deep.equal({ ...EMPTY_ACCOUNT, offsetsSurrendered: 1_050_000n });
      expect(await w.compliance.obligationOf(A, PERIOD)).to.deep.equal([true, EMISSIONS_A, 1_050_000n]);
      // The next surrender's retirement ids follow.
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b3], [7n]))
        .to.emit(w.compliance, "OffsetsSurrendered")
        .withArgs(A, PERIOD, ctx.b3, 7n, 3n);
    });

    it("needs the operator's approval of the compliance registry on the credit token (RetirementNotApproved)", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.credit.connect(w.alice).setApprovalForAll(ctx.compliance, false)).wait();
      // Approving the retirement registry instead does not help: the compliance registry is the one that calls.
      await (await w.credit.connect(w.alice).setApprovalForAll(await w.retirement.getAddress(), true)).wait();
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
          .to.be.revertedWithCustomError(w.retirement, "RetirementNotApproved")
          .withArgs(w.alice.address, ctx.compliance);
      });
      await (await w.credit.connect(w.alice).setApprovalForAll(ctx.compliance, true)).wait();
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n])).wait();
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(1n);
    });

    it("offsetLimitOf is the offset limit of verified emissions, rounded down", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      expect(LIMIT_A).to.equal((EMISSIONS_A * OFFSET_BPS) / BPS);
      expect((EMISSIONS_A * OFFSET_BPS) % BPS).to.not.equal(0n);
      expect(await w.compliance.offsetLimitOf(A, PERIOD)).to.equal(LIMIT_A);
      expect(await w.compliance.offsetLimitOf(B, PERIOD)).to.equal(300_000n);
    });

    it("surrenders exactly up to the limit; one unit more reverts ComplianceOffsetLimitExceeded", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [LIMIT_A + 1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceOffsetLimitExceeded")
          .withArgs(A, PERIOD, LIMIT_A, LIMIT_A + 1n);
        // Split across two batches of one request, the total counts.
        await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1, ctx.b2], [LIMIT_A, 1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceOffsetLimitExceeded")
          .withArgs(A, PERIOD, LIMIT_A, LIMIT_A + 1n);
      });
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [LIMIT_A])).wait();
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(LIMIT_A);
      expect(await w.credit.retiredBalanceOf(w.alice.address, ctx.b1)).to.equal(LIMIT_A);
    });

    it("counts the limit across calls", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1_000_000n])).wait();
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b2], [LIMIT_A - 1_000_000n + 1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceOffsetLimitExceeded")
        .withArgs(A, PERIOD, LIMIT_A, LIMIT_A + 1n);
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [LIMIT_A - 1_000_000n])).wait();
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceOffsetLimitExceeded")
        .withArgs(A, PERIOD, LIMIT_A, LIMIT_A + 1n);
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(LIMIT_A);
      // Allowances do not count against the offset limit.
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [ALLOC_A])).wait();
      expect(await w.compliance.obligationOf(A, PERIOD)).to.deep.equal([true, EMISSIONS_A, ALLOC_A + LIMIT_A]);
    });

    it("reverts ComplianceNoVerifiedEmissions for an installation without a statement", async function () {
      const ctx = await load(withEmissions);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).registerInstallation(w.alice, SECTOR, "DE")).wait();
      await timeTo(w, ctx.reportingDeadline);
      await expect(w.compliance.offsetLimitOf(3n, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceNoVerifiedEmissions")
        .withArgs(3n, PERIOD);
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderOffsets(3n, PERIOD, [ctx.b1], [1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceNoVerifiedEmissions")
          .withArgs(3n, PERIOD);
      });
    });

    it("reverts ComplianceIneligibleOffset (Vintage) for a batch older than eligibility.vintageFrom", async function () {
      const base = await load(withSetup);
      const vintageFrom = (await base.w.registry.batchProfile(base.b2)).vintageStart;
      expect((await base.w.registry.batchProfile(base.b1)).vintageStart < vintageFrom).to.equal(true);
      const ctx = await offsetsUnder({ vintageFrom });
      const { w } = ctx;
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b2, ctx.b1], [1n, 1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceIneligibleOffset")
          .withArgs(ctx.b1, Mismatch.Vintage);
      });
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b2], [10n])).wait();
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(10n);
    });

    it("reverts ComplianceIneligibleOffset (Category) for a category outside the mask", async function () {
      // Avoidance only; methodology 1 is a removal.
      const ctx = await offsetsUnder({ categories: 2n });
      const { w } = ctx;
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceIneligibleOffset")
        .withArgs(ctx.b1, Mismatch.Category);
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(0n);
    });

    it("reverts ComplianceIneligibleOffset (Authorisation) until the batch is authorised under Article 6", async function () {
      // NDC-authorised only.
      const ctx = await offsetsUnder({ authorisations: 1n << BigInt(Authorisation.NDC) });
      const { w } = ctx;
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceIneligibleOffset")
        .withArgs(ctx.b1, Mismatch.Authorisation);
      await (
        await w.registry.connect(w.registrar).setArticle6Status(ctx.b1, Authorisation.OIMP, Adjustment.Pending)
      ).wait();
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceIneligibleOffset")
        .withArgs(ctx.b1, Mismatch.Authorisation);
      await (
        await w.registry.connect(w.registrar).setArticle6Status(ctx.b1, Authorisation.NDC, Adjustment.Pending)
      ).wait();
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.emit(w.compliance, "OffsetsSurrendered")
        .withArgs(A, PERIOD, ctx.b1, 1n, 1n);
    });

    it("reverts ComplianceIneligibleOffset (Jurisdiction) for a batch outside the jurisdictions", async function () {
      // Brazil: matches the "BR-PA" project by its country, not the "KE" one.
      const ctx = await offsetsUnder({ jurisdictions: [code("BR")] });
      const { w } = ctx;
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1, ctx.b3], [1n, 1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceIneligibleOffset")
        .withArgs(ctx.b3, Mismatch.Jurisdiction);
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n])).wait();
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(1n);
    });

    it("reverts ComplianceIneligibleOffset for the project, methodology and adjustment criteria", async function () {
      const project = await offsetsUnder({ projectId: 2n });
      await expect(project.w.compliance.connect(project.w.alice).surrenderOffsets(A, PERIOD, [project.b1], [1n]))
        .to.be.revertedWithCustomError(project.w.compliance, "ComplianceIneligibleOffset")
        .withArgs(project.b1, Mismatch.Project);
      await (
        await project.w.compliance.connect(project.w.alice).surrenderOffsets(A, PERIOD, [project.b3], [1n])
      ).wait();

      const methodology = await offsetsUnder({ methodologyIds: [2n] });
      await expect(
        methodology.w.compliance.connect(methodology.w.alice).surrenderOffsets(A, PERIOD, [methodology.b1], [1n]),
      )
        .to.be.revertedWithCustomError(methodology.w.compliance, "ComplianceIneligibleOffset")
        .withArgs(methodology.b1, Mismatch.Methodology);

      // Corresponding adjustment applied only.
      const adjustment = await offsetsUnder({ adjustments: 1n << BigInt(Adjustment.Applied) });
      const { w } = adjustment;
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [adjustment.b1], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceIneligibleOffset")
        .withArgs(adjustment.b1, Mismatch.Adjustment);
      await (
        await w.registry.connect(w.registrar).setArticle6Status(adjustment.b1, Authorisation.NDC, Adjustment.Applied)
      ).wait();
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [adjustment.b1], [1n])).wait();
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(1n);
    });

    it("reverts CarbonCreditAccountFrozen when the operator is frozen on the credit token", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.alice, REASON)).wait();
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
          .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
          .withArgs(w.alice.address);
      });
    });

    it("reverts RetirementAccountFrozen when the compliance registry itself is frozen on the credit token", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(ctx.compliance, REASON)).wait();
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.be.revertedWithCustomError(w.retirement, "RetirementAccountFrozen")
        .withArgs(ctx.compliance);
      expect((await accountOf(w, A)).offsetsSurrendered).to.equal(0n);
    });

    it("reverts ERC1155InsufficientBalance beyond the operator's credits and EnforcedPause when retirement is paused", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b2], [ALICE_B2 + 1n]))
          .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
          .withArgs(w.alice.address, ALICE_B2, ALICE_B2 + 1n, ctx.b2);
        await (await w.retirement.connect(w.pauser).pause()).wait();
        await expect(
          w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]),
        ).to.be.revertedWithCustomError(w.retirement, "EnforcedPause");
        await (await w.retirement.connect(w.pauser).unpause()).wait();
      });
    });

    it("checks the operator, the window and the request shape", async function () {
      const ctx = await load(withEmissions);
      const { w } = ctx;
      const c = w.compliance.connect(w.alice);
      await expect(c.surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderNotOpen")
        .withArgs(PERIOD, ctx.reportingDeadline);
      await timeTo(w, ctx.reportingDeadline);
      await expectUnchanged(ctx, async () => {
        await expect(w.compliance.connect(w.bob).surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceNotOperator")
          .withArgs(A, w.bob.address);
        await expect(c.surrenderOffsets(A, PERIOD, [], [])).to.be.revertedWithCustomError(
          w.compliance,
          "ComplianceEmptyRequest",
        );
        await expect(c.surrenderOffsets(A, PERIOD, [ctx.b1, ctx.b2], [1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceLengthMismatch")
          .withArgs(2n, 1n);
        await expect(c.surrenderOffsets(A, PERIOD, [ctx.b1, ctx.b2], [1n, 0n])).to.be.revertedWithCustomError(
          w.compliance,
          "ComplianceZeroAmount",
        );
        await expect(c.surrenderOffsets(A, PERIOD, [99n], [1n]))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownBatch")
          .withArgs(99n);
      });
      await timeTo(w, ctx.surrenderDeadline);
      await expect(c.surrenderOffsets(A, PERIOD, [ctx.b1], [1n]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderClosed")
        .withArgs(PERIOD, ctx.surrenderDeadline);
    });
  });

  // ------------------------------------------------------------------ settlement

  describe("settle", function () {
    it("emissions are final at settlement: the reporting deadline of an opened period cannot be moved later", async function () {
      const ctx = await load(withEmissions);
      const { w } = ctx;
      const moved = ctx.surrenderDeadline + 5n * DAY;
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, moved))
        .to.be.revertedWithCustomError(w.ledger, "LedgerDeadlineLocked")
        .withArgs(PERIOD, moved, ctx.reportingDeadline);
      await timeTo(w, ctx.surrenderDeadline);
      expect(await w.ledger.isReportingClosed(PERIOD)).to.equal(true);
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD)).to.emit(w.compliance, "Settled");
    });

    it("without a statement, still charges and carries on the make-good it carried in", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      // A's shortfall of PERIOD was carried to NEXT; NEXT opens, A files no statement and surrenders nothing.
      const next = await openPeriod(
        w,
        NEXT,
        { penaltyPerTonne: PENALTY_PER_TONNE, penaltyToken: ctx.usdcAddress },
        10n * DAY,
      );
      await openPeriod(w, NEXT + 1n, {}, 400n * DAY);
      expect((await accountOf(w, A, NEXT)).makeGood).to.equal(SHORTFALL_A);
      await timeTo(w, next.surrenderDeadline);
      const penalty = (SHORTFALL_A * PENALTY_PER_TONNE + 999n) / 1_000n;
      await expect(w.compliance.connect(w.regulator).settle(A, NEXT))
        .to.emit(w.compliance, "Settled")
        .withArgs(A, NEXT, Status.NonCompliant, SHORTFALL_A, 0n, SHORTFALL_A, penalty, NEXT + 1n);
      expect((await accountOf(w, A, NEXT)).penaltyOwed).to.equal(penalty);
      expect((await accountOf(w, A, NEXT + 1n)).makeGood).to.equal(SHORTFALL_A);
      // B carried nothing in: NonCompliant with nothing to charge.
      await expect(w.compliance.connect(w.regulator).settle(B, NEXT))
        .to.emit(w.compliance, "Settled")
        .withArgs(B, NEXT, Status.NonCompliant, 0n, 0n, 0n, 0n, 0n);
    });

    it("opens at the surrender deadline: before it reverts ComplianceSettlementNotOpen", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await nextTimestamp(w, ctx.surrenderDeadline - 1n);
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceSettlementNotOpen")
        .withArgs(PERIOD, ctx.surrenderDeadline);
      expect((await accountOf(w, B)).settled).to.equal(false);
      await nextTimestamp(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD)).to.emit(w.compliance, "Settled");
      expect((await accountOf(w, B)).settled).to.equal(true);
    });

    it("settles a covered obligation Compliant, once", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.compliance.connect(w.bob).surrenderAllowances(B, PERIOD, [PERIOD], [ALLOC_B])).wait();
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(B, PERIOD, Status.Compliant, EMISSIONS_B, ALLOC_B, 0n, 0n, 0n);
      expect(await accountOf(w, B)).to.deep.equal({
        ...EMPTY_ACCOUNT,
        allowancesSurrendered: ALLOC_B,
        settled: true,
        settledStatus: Status.Compliant,
      });
      expect(await accountOf(w, B, NEXT)).to.deep.equal(EMPTY_ACCOUNT);
      expect(await w.compliance.statusOf(B, PERIOD)).to.equal(Status.Compliant);
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAlreadySettled")
        .withArgs(B, PERIOD);
    });

    it("settles a surplus Compliant too", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, B, 1n)).wait();
      await (await w.compliance.connect(w.bob).surrenderAllowances(B, PERIOD, [PERIOD], [ALLOC_B + 1n])).wait();
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(B, PERIOD, Status.Compliant, EMISSIONS_B, ALLOC_B + 1n, 0n, 0n, 0n);
    });

    it("settles a shortfall NonCompliant: penalty rounded up, make-good to the next period", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await surrenderShort(ctx);
      await timeTo(w, ctx.surrenderDeadline);
      expect(SHORTFALL_A).to.equal(EMISSIONS_A - SHORT_ALLOWANCES - SHORT_OFFSETS);
      expect(PENALTY_A).to.equal(penaltyOf(SHORTFALL_A, PENALTY_PER_TONNE));
      expect((SHORTFALL_A * PENALTY_PER_TONNE) % TONNE).to.not.equal(0n);
      expect(PENALTY_A).to.equal((SHORTFALL_A * PENALTY_PER_TONNE) / TONNE + 1n);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(
          A,
          PERIOD,
          Status.NonCompliant,
          EMISSIONS_A,
          SHORT_ALLOWANCES + SHORT_OFFSETS,
          SHORTFALL_A,
          PENALTY_A,
          NEXT,
        );
      expect(await accountOf(w, A)).to.deep.equal({
        allowancesSurrendered: SHORT_ALLOWANCES,
        offsetsSurrendered: SHORT_OFFSETS,
        makeGood: 0n,
        penaltyOwed: PENALTY_A,
        settled: true,
        penaltyPaid: false,
        settledStatus: Status.NonCompliant,
      });
      expect(await accountOf(w, A, NEXT)).to.deep.equal({ ...EMPTY_ACCOUNT, makeGood: SHORTFALL_A });
      expect(await w.compliance.obligationOf(A, NEXT)).to.deep.equal([false, SHORTFALL_A, 0n]);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.NonCompliant);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceAlreadySettled")
        .withArgs(A, PERIOD);
    });

    it("a penalty of a fraction of a base unit is owed in full (1 kg at 1 unit per tonne costs 1)", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const { surrenderDeadline } = await openPeriod(w, PERIOD, { penaltyPerTonne: 1n, penaltyToken: ctx.usdcAddress });
      await attest(w, ctx.entityA, 1n);
      await attest(w, ctx.entityB, 1_001n);
      await timeTo(w, surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(A, PERIOD, Status.NonCompliant, 1n, 0n, 1n, 1n, NEXT);
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(B, PERIOD, Status.NonCompliant, 1_001n, 0n, 1_001n, 2n, NEXT);
    });

    it("the next period's obligation includes the make-good, and its settlement counts it", async function () {
      const ctx = await load(withNext);
      const { w } = ctx;
      await timeTo(w, ctx.reportingDeadline);
      await surrenderShort(ctx);
      await timeTo(w, ctx.surrenderDeadline);
      await (await w.compliance.connect(w.regulator).settle(A, PERIOD)).wait();
      expect(await w.compliance.obligationOf(A, NEXT)).to.deep.equal([true, EMISSIONS_NEXT + SHORTFALL_A, 0n]);
      // The offset limit is a share of the verified emissions only.
      expect(await w.compliance.offsetLimitOf(A, NEXT)).to.equal((EMISSIONS_NEXT * OFFSET_BPS) / BPS);
      await timeTo(w, ctx.next.reportingDeadline);
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, NEXT, [NEXT], [ALLOC_NEXT])).wait();
      // ALLOC_NEXT < EMISSIONS_NEXT + SHORTFALL_A: still pending.
      expect(await w.compliance.statusOf(A, NEXT)).to.equal(Status.Pending);
      await timeTo(w, ctx.next.surrenderDeadline);
      const shortfall = EMISSIONS_NEXT + SHORTFALL_A - ALLOC_NEXT;
      await expect(w.compliance.connect(w.regulator).settle(A, NEXT))
        .to.emit(w.compliance, "Settled")
        .withArgs(A, NEXT, Status.NonCompliant, EMISSIONS_NEXT + SHORTFALL_A, ALLOC_NEXT, shortfall, 0n, NEXT + 1n);
      // NEXT has no penalty: nothing to pay, but the make-good still carries forward.
      expect((await accountOf(w, A, NEXT)).penaltyOwed).to.equal(0n);
      expect((await accountOf(w, A, NEXT + 1n)).makeGood).to.equal(shortfall);
      await expect(w.compliance.payPenalty(A, NEXT))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceNoPenaltyDue")
        .withArgs(A, NEXT);
    });

    it("carries the make-good past periods whose reporting has closed, to the first one still open", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const first = await openPeriod(w, PERIOD);
      // NEXT's and NEXT + 1's reporting close before PERIOD's surrender deadline; NEXT + 2 has no deadline.
      await openPeriod(w, NEXT, {}, 70n * DAY);
      await (await w.ledger.connect(w.regulator).setReportingDeadline(NEXT + 1n, (await latest(w)) + 80n * DAY)).wait();
      await attest(w, ctx.entityA, EMISSIONS_A);
      await timeTo(w, first.surrenderDeadline);
      expect(await w.ledger.isReportingClosed(NEXT)).to.equal(true);
      expect(await w.ledger.isReportingClosed(NEXT + 1n)).to.equal(true);
      expect(await w.ledger.isReportingClosed(NEXT + 2n)).to.equal(false);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(A, PERIOD, Status.NonCompliant, EMISSIONS_A, 0n, EMISSIONS_A, 0n, NEXT + 2n);
      expect((await accountOf(w, A, NEXT)).makeGood).to.equal(0n);
      expect((await accountOf(w, A, NEXT + 1n)).makeGood).to.equal(0n);
      expect((await accountOf(w, A, NEXT + 2n)).makeGood).to.equal(EMISSIONS_A);
      expect(await w.compliance.obligationOf(A, NEXT + 2n)).to.deep.equal([false, EMISSIONS_A, 0n]);
    });

    it("settles an installation without verified emissions NonCompliant with no computed penalty", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).registerInstallation(w.outsider, SECTOR, "DE")).wait();
      await (await w.compliance.connect(w.regulator).registerInstallation(w.bob, SECTOR, "DE")).wait();
      // Installation 4 (bob) surrenders allowances although it has no statement.
      await (await w.compliance.connect(w.bob).surrenderAllowances(4n, PERIOD, [PERIOD], [5n])).wait();
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(3n, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(3n, PERIOD, Status.NonCompliant, 0n, 0n, 0n, 0n, 0n);
      await expect(w.compliance.connect(w.regulator).settle(4n, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(4n, PERIOD, Status.NonCompliant, 0n, 5n, 0n, 0n, 0n);
      expect(await accountOf(w, 3n)).to.deep.equal({
        ...EMPTY_ACCOUNT,
        settled: true,
        settledStatus: Status.NonCompliant,
      });
      expect(await accountOf(w, 3n, NEXT)).to.deep.equal(EMPTY_ACCOUNT);
      expect(await w.compliance.statusOf(3n, PERIOD)).to.equal(Status.NonCompliant);
      await expect(w.compliance.payPenalty(3n, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceNoPenaltyDue")
        .withArgs(3n, PERIOD);
    });

    it("reverts ComplianceUnknownInstallation and ComplianceUnknownPeriod", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(3n, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
        .withArgs(3n);
      await expect(w.compliance.connect(w.regulator).settle(A, NEXT))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownPeriod")
        .withArgs(NEXT);
    });
  });

  // ------------------------------------------------------------------ status

  describe("statusOf", function () {
    it("walks NoData → Pending → Pending (reporting closed, short) → Compliant → Compliant after settle", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, A, ALLOC_A)).wait();
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.NoData);
      await attest(w, ctx.entityA, EMISSIONS_A);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Pending);
      await timeTo(w, ctx.reportingDeadline);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Pending);
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [ALLOC_A])).wait();
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Pending);
      await (
        await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [EMISSIONS_A - ALLOC_A - 1n])
      ).wait();
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Pending);
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b2], [1n])).wait();
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Compliant);
      await timeTo(w, ctx.surrenderDeadline);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Compliant);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(A, PERIOD, Status.Compliant, EMISSIONS_A, EMISSIONS_A, 0n, 0n, 0n);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Compliant);
      await timeTo(w, ctx.surrenderDeadline + 365n * DAY);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Compliant);
    });

    it("stays Pending after the surrender deadline until settled short, then NonCompliant", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await surrenderShort(ctx);
      await timeTo(w, ctx.surrenderDeadline + DAY);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Pending);
      await (await w.compliance.connect(w.regulator).settle(A, PERIOD)).wait();
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.NonCompliant);
    });

    it("is NoData for an installation without a statement, even after the surrender deadline", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await (await w.compliance.connect(w.regulator).registerInstallation(w.outsider, SECTOR, "DE")).wait();
      expect(await w.compliance.statusOf(3n, PERIOD)).to.equal(Status.NoData);
      await timeTo(w, ctx.surrenderDeadline);
      expect(await w.compliance.statusOf(3n, PERIOD)).to.equal(Status.NoData);
      await expect(w.compliance.statusOf(9n, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
        .withArgs(9n);
    });

    it("a Compliant status never returns to Pending: no correction after reporting closed, no make-good lands", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const first = await openPeriod(w, PERIOD);
      // NEXT's reporting closes (day 70) before PERIOD's surrender deadline (day 90).
      const next = await openPeriod(w, NEXT, {}, 70n * DAY);
      await (await w.compliance.connect(w.regulator).allocate(NEXT, A, EMISSIONS_NEXT)).wait();
      await attest(w, ctx.entityA, EMISSIONS_A);
      await attest(w, ctx.entityA, EMISSIONS_NEXT, NEXT);
      await timeTo(w, next.reportingDeadline);
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, NEXT, [NEXT], [EMISSIONS_NEXT])).wait();
      expect(await w.compliance.statusOf(A, NEXT)).to.equal(Status.Compliant);
      // The ledger refuses to raise NEXT's emissions now.
      await expect(w.ledger.connect(w.verifier).correct(ctx.entityA, NEXT, EMISSIONS_NEXT + 1n, REASON, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerReportingClosed")
        .withArgs(NEXT, next.reportingDeadline);
      // PERIOD settles short (nothing surrendered): its make-good skips NEXT.
      await timeTo(w, first.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(A, PERIOD, Status.NonCompliant, EMISSIONS_A, 0n, EMISSIONS_A, 0n, NEXT + 1n);
      expect(await w.compliance.obligationOf(A, NEXT)).to.deep.equal([true, EMISSIONS_NEXT, EMISSIONS_NEXT]);
      expect(await w.compliance.statusOf(A, NEXT)).to.equal(Status.Compliant);
      await timeTo(w, next.surrenderDeadline);
      expect(await w.compliance.statusOf(A, NEXT)).to.equal(Status.Compliant);
      await (await w.compliance.connect(w.regulator).settle(A, NEXT)).wait();
      expect(await w.compliance.statusOf(A, NEXT)).to.equal(Status.Compliant);
    });

    it("while reporting is open a correction changes the obligation (status Pending throughout)", async function () {
      const ctx = await load(withEmissions);
      const { w } = ctx;
      await (
        await w.ledger.connect(w.verifier).correct(ctx.entityB, PERIOD, EMISSIONS_B + 1n, REASON, REASON, "")
      ).wait();
      expect(await w.compliance.obligationOf(B, PERIOD)).to.deep.equal([true, EMISSIONS_B + 1n, 0n]);
      expect(await w.compliance.statusOf(B, PERIOD)).to.equal(Status.Pending);
      await timeTo(w, ctx.reportingDeadline);
      await (await w.compliance.connect(w.bob).surrenderAllowances(B, PERIOD, [PERIOD], [ALLOC_B])).wait();
      expect(await w.compliance.statusOf(B, PERIOD)).to.equal(Status.Pending);
    });
  });

  // ------------------------------------------------------------------ penalties

  describe("payPenalty", function () {
    it("lets the treasury pay its own due: nothing moves, the penalty is marked paid", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      await (await ctx.usdc.connect(w.admin).approve(ctx.compliance, MaxUint256)).wait();
      const before = await ctx.usdc.balanceOf(w.admin.address);
      await expect(w.compliance.connect(w.admin).payPenalty(A, PERIOD))
        .to.emit(w.compliance, "PenaltyPaid")
        .withArgs(A, PERIOD, w.admin.address, ctx.usdcAddress, PENALTY_A);
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(before);
      expect((await accountOf(w, A)).penaltyPaid).to.equal(true);
    });

    it("pays exactly the penalty owed to the treasury, emits PenaltyPaid and marks it paid", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      const tx = w.compliance.connect(w.alice).payPenalty(A, PERIOD);
      await expect(tx)
        .to.emit(w.compliance, "PenaltyPaid")
        .withArgs(A, PERIOD, w.alice.address, ctx.usdcAddress, PENALTY_A);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.admin, w.compliance],
        [-PENALTY_A, PENALTY_A, 0n],
      );
      const account = await accountOf(w, A);
      expect([account.penaltyOwed, account.penaltyPaid]).to.deep.equal([PENALTY_A, true]);
    });

    it("reverts ComplianceNoPenaltyDue when paid already, when none is owed and for unknown accounts", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      await (await w.compliance.connect(w.alice).payPenalty(A, PERIOD)).wait();
      for (const [installationId, period] of [
        [A, PERIOD],
        [B, PERIOD],
        [A, NEXT],
        [9n, PERIOD],
      ]) {
        await expect(w.compliance.connect(w.alice).payPenalty(installationId, period))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceNoPenaltyDue")
          .withArgs(installationId, period);
      }
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(PENALTY_A);
    });

    it("reverts ComplianceNoPenaltyDue before settlement", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await expect(w.compliance.connect(w.alice).payPenalty(A, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceNoPenaltyDue")
        .withArgs(A, PERIOD);
    });

    it("anyone may pay an installation's penalty", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      const tx = w.compliance.connect(w.outsider).payPenalty(A, PERIOD);
      await expect(tx)
        .to.emit(w.compliance, "PenaltyPaid")
        .withArgs(A, PERIOD, w.outsider.address, ctx.usdcAddress, PENALTY_A);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.outsider, w.alice, w.admin],
        [-PENALTY_A, 0n, PENALTY_A],
      );
    });

    it("reverts ERC20InsufficientAllowance for a payer that did not approve the registry", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      await (await ctx.usdc.connect(w.alice).approve(ctx.compliance, PENALTY_A - 1n)).wait();
      await expect(w.compliance.connect(w.alice).payPenalty(A, PERIOD))
        .to.be.revertedWithCustomError(ctx.usdc, "ERC20InsufficientAllowance")
        .withArgs(ctx.compliance, PENALTY_A - 1n, PENALTY_A);
      expect((await accountOf(w, A)).penaltyPaid).to.equal(false);
    });

    it("reverts ComplianceShortPayment for a fee-on-transfer penalty token", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const fot = await w.ethers.deployContract("FeeOnTransferERC20Mock");
      const fotAddress = await fot.getAddress();
      const { surrenderDeadline } = await openPeriod(w, PERIOD, {
        penaltyPerTonne: PENALTY_PER_TONNE,
        penaltyToken: fotAddress,
      });
      await attest(w, ctx.entityA, EMISSIONS_A);
      await timeTo(w, surrenderDeadline);
      await (await w.compliance.connect(w.regulator).settle(A, PERIOD)).wait();
      const owed = penaltyOf(EMISSIONS_A, PENALTY_PER_TONNE);
      expect((await accountOf(w, A)).penaltyOwed).to.equal(owed);
      await (await fot.mint(w.alice.address, FUNDS)).wait();
      await (await fot.connect(w.alice).approve(ctx.compliance, MaxUint256)).wait();
      const fee = (owed * 100n) / BPS;
      expect(fee > 0n).to.equal(true);
      await expect(w.compliance.connect(w.alice).payPenalty(A, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceShortPayment")
        .withArgs(fotAddress, owed, owed - fee);
      expect((await accountOf(w, A)).penaltyPaid).to.equal(false);
      expect(await fot.balanceOf(w.admin.address)).to.equal(0n);
      expect(await fot.balanceOf(w.alice.address)).to.equal(FUNDS);
    });

    it("reverts ComplianceShortPayment(…, 0) for a penalty token that shrinks the treasury's balance on receipt", async function () {
      const ctx = await load(withSetup);
      const { w } = ctx;
      const shrinking = await w.ethers.deployContract("ShrinkingERC20Mock");
      const address = await shrinking.getAddress();
      const { surrenderDeadline } = await openPeriod(w, PERIOD, {
        penaltyPerTonne: PENALTY_PER_TONNE,
        penaltyToken: address,
      });
      await attest(w, ctx.entityA, EMISSIONS_A);
      await timeTo(w, surrenderDeadline);
      await (await w.compliance.connect(w.regulator).settle(A, PERIOD)).wait();
      const owed = penaltyOf(EMISSIONS_A, PENALTY_PER_TONNE);
      await (await shrinking.mint(w.alice.address, FUNDS)).wait();
      // The treasury (admin) already holds some, so receiving the penalty leaves it with less than before.
      await (await shrinking.mint(w.admin.address, 3n * owed)).wait();
      await (await shrinking.connect(w.alice).approve(ctx.compliance, MaxUint256)).wait();
      await (await shrinking.setShrinking(true)).wait();
      await expect(w.compliance.connect(w.alice).payPenalty(A, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceShortPayment")
        .withArgs(address, owed, 0n);
      expect((await accountOf(w, A)).penaltyPaid).to.equal(false);
      expect(await shrinking.balanceOf(w.admin.address)).to.equal(3n * owed);
      expect(await shrinking.balanceOf(w.alice.address)).to.equal(FUNDS);
    });

    it("setTreasury (TREASURER) emits TreasurySet and redirects penalties; zero is refused", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      await expect(w.compliance.connect(w.treasurer).setTreasury(ZeroAddress))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceInvalidAccount")
        .withArgs(ZeroAddress);
      await expect(w.compliance.connect(w.treasurer).setTreasury(w.treasurer))
        .to.emit(w.compliance, "TreasurySet")
        .withArgs(w.treasurer.address);
      expect(await w.compliance.treasury()).to.equal(w.treasurer.address);
      await expect(w.compliance.connect(w.alice).payPenalty(A, PERIOD)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.treasurer, w.admin],
        [-PENALTY_A, PENALTY_A, 0n],
      );
    });
  });

  // ------------------------------------------------------------------ pause

  describe("pause", function () {
    it("pause and unpause emit their events; pausing twice or unpausing unpaused registries revert", async function () {
      const { w } = await load(withSetup);
      await expect(w.compliance.connect(w.pauser).unpause()).to.be.revertedWithCustomError(
        w.compliance,
        "ExpectedPause",
      );
      await expect(w.compliance.connect(w.pauser).pause()).to.emit(w.compliance, "Paused").withArgs(w.pauser.address);
      expect(await w.compliance.paused()).to.equal(true);
      await expect(w.compliance.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.compliance, "EnforcedPause");
      await expect(w.compliance.connect(w.pauser).unpause())
        .to.emit(w.compliance, "Unpaused")
        .withArgs(w.pauser.address);
      expect(await w.compliance.paused()).to.equal(false);
    });

    it("refuses every state change with EnforcedPause; each goes through once unpaused", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      const auctioneer = await actAs(w, await w.auction.getAddress());
      const nextDeadline = (await latest(w)) + 100n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(NEXT, nextDeadline)).wait();
      const c = w.compliance;
      const calls: [string, () => Promise<ContractTransactionResponse>][] = [
        ["registerInstallation", () => c.connect(w.regulator).registerInstallation(w.outsider, SECTOR, "DE")],
        ["openPeriod", () => c.connect(w.regulator).openPeriod(NEXT, periodConfig(nextDeadline))],
        ["allocate", () => c.connect(w.regulator).allocate(PERIOD, A, 1n)],
        ["allocateMany", () => c.connect(w.regulator).allocateMany(PERIOD, [A, B], [1n, 1n])],
        ["reserveAuctionVolume", () => c.connect(auctioneer).reserveAuctionVolume(PERIOD, 99n, 2n)],
        ["issueAuctioned", () => c.connect(auctioneer).issueAuctioned(99n, w.bob, 1n)],
        ["releaseAuctionVolume", () => c.connect(auctioneer).releaseAuctionVolume(99n, 1n)],
        ["surrenderAllowances", () => c.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n])],
        ["surrenderOffsets", () => c.connect(w.alice).surrenderOffsets(A, PERIOD, [ctx.b1], [1n])],
        ["updateOperator", () => c.connect(w.regulator).updateOperator(A, w.outsider)],
        ["closeInstallation", () => c.connect(w.regulator).closeInstallation(A)],
        ["setTreasury", () => c.connect(w.treasurer).setTreasury(w.bob)],
        ["pause", () => c.connect(w.pauser).pause()],
      ];
      await (await c.connect(w.pauser).pause()).wait();
      await expectUnchanged(ctx, async () => {
        for (const [name, call] of calls) {
          await expect(call(), name).to.be.revertedWithCustomError(c, "EnforcedPause");
        }
      });
      expect(await c.installationCount()).to.equal(2n);
      await (await c.connect(w.pauser).unpause()).wait();
      for (const [, call] of calls) {
        await (await call()).wait();
      }
      expect(await c.installationCount()).to.equal(3n);
      expect((await c.getInstallation(A)).closed).to.equal(true);
      expect(await c.paused()).to.equal(true);
    });

    it("refuses settle and payPenalty with EnforcedPause; both go through once unpaused", async function () {
      const ctx = await load(inWindow);
      const { w } = ctx;
      await surrenderShort(ctx);
      await timeTo(w, ctx.surrenderDeadline);
      await (await w.compliance.connect(w.regulator).settle(A, PERIOD)).wait();
      await (await w.compliance.connect(w.pauser).pause()).wait();
      await expect(w.compliance.connect(w.regulator).settle(B, PERIOD)).to.be.revertedWithCustomError(
        w.compliance,
        "EnforcedPause",
      );
      await expect(w.compliance.connect(w.alice).payPenalty(A, PERIOD)).to.be.revertedWithCustomError(
        w.compliance,
        "EnforcedPause",
      );
      expect((await accountOf(w, B)).settled).to.equal(false);
      expect((await accountOf(w, A)).penaltyPaid).to.equal(false);
      await (await w.compliance.connect(w.pauser).unpause()).wait();
      await (await w.compliance.connect(w.regulator).settle(B, PERIOD)).wait();
      await (await w.compliance.connect(w.alice).payPenalty(A, PERIOD)).wait();
      expect((await accountOf(w, B)).settledStatus).to.equal(Status.NonCompliant);
      expect((await accountOf(w, A)).penaltyPaid).to.equal(true);
    });

    it("views work while paused; the treasurer may not set the treasury (EnforcedPause)", async function () {
      const ctx = await load(settledShort);
      const { w } = ctx;
      await (await w.compliance.connect(w.pauser).pause()).wait();
      expect((await w.compliance.getInstallation(A)).operator).to.equal(w.alice.address);
      expect(await w.compliance.installationCount()).to.equal(2n);
      expect(await w.compliance.entityOf(A)).to.equal(ctx.entityA);
      expect((await periodAccounting(w)).burned).to.equal(SHORT_ALLOWANCES + ALLOC_B);
      expect((await accountOf(w, A)).penaltyOwed).to.equal(PENALTY_A);
      expect(await w.compliance.obligationOf(A, PERIOD)).to.deep.equal([
        true,
        EMISSIONS_A,
        SHORT_ALLOWANCES + SHORT_OFFSETS,
      ]);
      expect(await w.compliance.offsetLimitOf(A, PERIOD)).to.equal(LIMIT_A);
      expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.NonCompliant);
      expect(await w.compliance.statusOf(B, PERIOD)).to.equal(Status.Compliant);
      expect(await w.compliance.allowance()).to.equal(await w.allowance.getAddress());
      expect(await w.compliance.ledger()).to.equal(await w.ledger.getAddress());
      expect(await w.compliance.retirement()).to.equal(await w.retirement.getAddress());
      expect(await w.compliance.supportsInterface("0x01ffc9a7")).to.equal(true);
      const treasury = await w.compliance.treasury();
      await expect(w.compliance.connect(w.treasurer).setTreasury(w.bob)).to.be.revertedWithCustomError(
        w.compliance,
        "EnforcedPause",
      );
      expect(await w.compliance.treasury()).to.equal(treasury);
    });
  });

  // ------------------------------------------------------------------ views and ERC-165

  describe("views", function () {
    it("accountOf is all zero for an account nothing happened to, obligationOf reads the ledger", async function () {
      const ctx = await load(withPeriod);
      const { w } = ctx;
      expect(await accountOf(w, A)).to.deep.equal(EMPTY_ACCOUNT);
      expect(await accountOf(w, 42n, 1n)).to.deep.equal(EMPTY_ACCOUNT);
      expect(await w.compliance.obligationOf(A, PERIOD)).to.deep.equal([false, 0n, 0n]);
      await attest(w, ctx.entityA, EMISSIONS_A);
      expect(await w.compliance.obligationOf(A, PERIOD)).to.deep.equal([true, EMISSIONS_A, 0n]);
      // obligationOf needs a known installation, not an opened period.
      expect(await w.compliance.obligationOf(A, NEXT)).to.deep.equal([false, 0n, 0n]);
      await expect(w.compliance.obligationOf(3n, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
        .withArgs(3n);
      await expect(w.compliance.offsetLimitOf(3n, PERIOD))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownInstallation")
        .withArgs(3n);
    });

    it("entityOf derives an address for any id, and installationCount counts registrations", async function () {
      const w = await load(deployed);
      const compliance = await w.compliance.getAddress();
      for (const installationId of [0n, 1n, 2n, 1000n]) {
        expect(await w.compliance.entityOf(installationId)).to.equal(entityFor(compliance, installationId));
      }
      expect(await w.compliance.installationCount()).to.equal(0n);
      await (await w.compliance.connect(w.regulator).registerInstallation(w.alice, SECTOR, "DE")).wait();
      expect(await w.compliance.installationCount()).to.equal(1n);
    });
  });

  describe("supportsInterface", function () {
    it("supports IComplianceRegistry (its own function selectors) and IERC165, nothing else", async function () {
      const w = await load(deployed);
      const iface = (await w.ethers.getContractAt("IComplianceRegistry", await w.compliance.getAddress())).interface;
      const names: string[] = [];
      iface.forEachFunction((fn) => {
        names.push(fn.name);
      });
      expect(names).to.include.members(["surrenderOffsets", "settle", "payPenalty", "statusOf", "allowance"]);
      expect(names).to.not.include("supportsInterface");
      const complianceId = interfaceId(iface);
      expect(await w.compliance.supportsInterface(complianceId)).to.equal(true);
      expect(await w.compliance.supportsInterface("0x01ffc9a7")).to.equal(true);
      // The full ABI (with AccessManaged and IERC165) is a different id.
      expect(await w.compliance.supportsInterface(interfaceId(w.compliance.interface))).to.equal(false);
      expect(await w.compliance.supportsInterface("0xffffffff")).to.equal(false);
      expect(await w.compliance.supportsInterface("0xd9b67a26")).to.equal(false);
      expect(await w.compliance.supportsInterface("0x00000000")).to.equal(false);
    });
  });
});
