import { expect } from "chai";
import { id } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { Roles } from "../../scripts/lib/roles.js";
import {
  CrossBorder,
  DAY,
  OTHER_SECTOR,
  PERIOD,
  SECTOR,
  Status,
  TONNE,
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
  approvedProject,
  code,
  deployWorld,
  issue,
  plain,
  type World,
} from "../helpers/fixtures.js";
import { nestedFixtures } from "../helpers/registry.js";

/**
 * Issue 14, compliance and emissions: each attack of the review performed step by step, refused with its custom error
 * and leaving the state as it was; then the legitimate path.
 *
 * World: PERIOD opened (reporting closes in 60 days, surrender 30 days later); installation A (id 1) run by alice in
 * SECTOR holds exactly its emissions in allowances; `rogue` is a verifier accredited for OTHER_SECTOR only.
 */
const A = 1n;
const EMISSIONS = 5_000n * TONNE;
const NEXT = PERIOD + 1n;
const EVIDENCE = id("evidence");
const REASON = id("reason");

interface Ctx {
  w: World;
  rogue: HardhatEthersSigner;
  entityA: string;
  reportingDeadline: bigint;
  surrenderDeadline: bigint;
}

describe("Claim integrity, round two: compliance and emissions", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
  });

  async function opened(): Promise<Ctx> {
    const w = world;
    const rogue = (await w.ethers.getSigners())[15];
    await (await w.manager.connect(w.admin).grantRole(Roles.VERIFIER, rogue.address, 0)).wait();
    await (await w.ledger.connect(w.regulator).accreditVerifier(rogue.address, OTHER_SECTOR)).wait();
    // The contract's default cross-border rule (Refused) is kept.
    const { reportingDeadline, surrenderDeadline } = await openPeriod(w, PERIOD, {}, 60n * DAY, CrossBorder.Refused);
    const { entity: entityA } = await registerInstallation(w, w.alice);
    await (await w.compliance.connect(w.regulator).allocate(PERIOD, A, EMISSIONS)).wait();
    return { w, rogue, entityA, reportingDeadline, surrenderDeadline };
  }

  /** opened, A's emissions attested. */
  async function attested(): Promise<Ctx> {
    const ctx = await load(opened);
    await attest(ctx.w, ctx.entityA, EMISSIONS);
    return ctx;
  }

  /** What a surrender-window attack could change: the window, A's account and status, alice's allowances. */
  async function complianceState(ctx: Ctx) {
    const { w } = ctx;
    return {
      window: await w.compliance.surrenderWindow(PERIOD),
      reportingDeadline: await w.ledger.reportingDeadline(PERIOD),
      account: plain(await w.compliance.accountOf(A, PERIOD)),
      status: await w.compliance.statusOf(A, PERIOD),
      balance: await w.allowance.balanceOf(w.alice, PERIOD),
      supply: await w.allowance.totalSupply(PERIOD),
    };
  }

  // ------------------------------------------------------------------ break 3

  describe("break 3: a statement of another sector attested before registration", function () {
    it("the old sequence: the rogue's zero statement does not count, cannot be corrected, and the proper verifier replaces it; settlement charges the real emissions", async function () {
      const ctx = await load(attested);
      const { w, rogue } = ctx;
      // The entity of the next installation is known before it is registered.
      const next = (await w.compliance.installationCount()) + 1n;
      const entity = await w.compliance.entityOf(next);
      await (await w.ledger.connect(rogue).attest(entity, PERIOD, OTHER_SECTOR, 0n, EVIDENCE, "")).wait();
      // Registration is not refused (no verifier can block an installation by attesting first).
      const { installationId } = await registerInstallation(w, w.bob);
      expect(installationId).to.equal(next);
      await (await w.compliance.connect(w.regulator).allocate(PERIOD, next, 1n)).wait();

      // The statement of another sector counts as no statement.
      expect(await w.ledger.verifiedEmissions(entity, PERIOD)).to.deep.equal([false, 0n]);
      expect(await w.compliance.statusOf(next, PERIOD)).to.equal(Status.NoData);
      const before = plain(await w.ledger.getStatement(entity, PERIOD));
      // The rogue can neither correct it nor attest again in its sector.
      await expect(w.ledger.connect(rogue).correct(entity, PERIOD, 0n, EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerWrongSector")
        .withArgs(entity, OTHER_SECTOR, SECTOR);
      await expect(w.ledger.connect(rogue).attest(entity, PERIOD, OTHER_SECTOR, 0n, EVIDENCE, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerWrongSector")
        .withArgs(entity, OTHER_SECTOR, SECTOR);
      // The proper verifier cannot "correct" a statement of another sector either (it is not accredited for it).
      await expect(w.ledger.connect(w.verifier).correct(entity, PERIOD, EMISSIONS, EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerNotAccredited")
        .withArgs(w.verifier.address, OTHER_SECTOR);
      expect(plain(await w.ledger.getStatement(entity, PERIOD))).to.deep.equal(before);
      expect(await w.ledger.verifiedEmissions(entity, PERIOD)).to.deep.equal([false, 0n]);

      // The proper verifier attests over it; the replaced statement stays in the history.
      await expect(w.ledger.connect(w.verifier).attest(entity, PERIOD, SECTOR, EMISSIONS, EVIDENCE, ""))
        .to.emit(w.ledger, "StatementReplaced")
        .withArgs(entity, PERIOD, rogue.address, OTHER_SECTOR, 0n, 0n)
        .and.to.emit(w.ledger, "EmissionsAttested");
      expect(await w.ledger.verifiedEmissions(entity, PERIOD)).to.deep.equal([true, EMISSIONS]);
      const statement = await w.ledger.getStatement(entity, PERIOD);
      expect(statement.sector).to.equal(SECTOR);
      expect(statement.corrections).to.equal(1n);
      const replaced = await w.ledger.statementVersion(entity, PERIOD, 0n);
      expect([replaced.verifier, replaced.sector, replaced.emissions]).to.deep.equal([rogue.address, OTHER_SECTOR, 0n]);

      // Settled with the real emissions: it surrendered nothing, so it is NonCompliant for all of them.
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(next, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(next, PERIOD, Status.NonCompliant, EMISSIONS, 0n, EMISSIONS, 0n, NEXT);
    });

    it("without a proper statement the installation settles NonCompliant, never Compliant on the rogue's zero", async function () {
      const ctx = await load(attested);
      const { w, rogue } = ctx;
      const next = (await w.compliance.installationCount()) + 1n;
      const entity = await w.compliance.entityOf(next);
      await (await w.ledger.connect(rogue).attest(entity, PERIOD, OTHER_SECTOR, 0n, EVIDENCE, "")).wait();
      await registerInstallation(w, w.bob);
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(next, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(next, PERIOD, Status.NonCompliant, 0n, 0n, 0n, 0n, 0n);
    });

    it("a statement of the installation's own sector attested before registration stands (and cannot be attested twice)", async function () {
      const ctx = await load(attested);
      const { w } = ctx;
      const next = (await w.compliance.installationCount()) + 1n;
      const entity = await w.compliance.entityOf(next);
      await attest(w, entity, EMISSIONS);
      await registerInstallation(w, w.bob);
      expect(await w.ledger.verifiedEmissions(entity, PERIOD)).to.deep.equal([true, EMISSIONS]);
      await expect(w.ledger.connect(w.verifier).attest(entity, PERIOD, SECTOR, 0n, EVIDENCE, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerStatementExists")
        .withArgs(entity, PERIOD);
    });
  });

  // ------------------------------------------------------------------ break 5 (the ledger's side)

  describe("break 5: no role declares an installation to the emissions ledger", function () {
    it("an account holding every role, ADMIN included, cannot move an installation to another sector (so that the rogue's statement would count), clear its operator, lock a deadline or rebind the ledger", async function () {
      const ctx = await load(opened);
      const { w, rogue, entityA } = ctx;
      const god = (await w.ethers.getSigners())[16];
      for (const role of Object.values(Roles)) {
        if (role !== Roles.PUBLIC) await (await w.manager.connect(w.admin).grantRole(role, god.address, 0)).wait();
      }
      const before = plain(await w.ledger.entityProfile(entityA));
      await expect(w.ledger.connect(god).setEntityProfile(entityA, rogue.address, OTHER_SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "LedgerOnlyComplianceRegistry")
        .withArgs(god.address);
      await expect(w.ledger.connect(god).lockReportingDeadline(PERIOD + 1n))
        .to.be.revertedWithCustomError(w.ledger, "LedgerOnlyComplianceRegistry")
        .withArgs(god.address);
      const compliance = await w.compliance.getAddress();
      await expect(w.ledger.connect(god).bindComplianceRegistry(god.address))
        .to.be.revertedWithCustomError(w.ledger, "LedgerComplianceRegistryAlreadyBound")
        .withArgs(compliance);
      expect(plain(await w.ledger.entityProfile(entityA))).to.deep.equal(before);
      expect(await w.ledger.complianceRegistry()).to.equal(compliance);
      // The rogue's statement in its own sector still never counts for A.
      await expect(w.ledger.connect(rogue).attest(entityA, PERIOD, OTHER_SECTOR, 0n, EVIDENCE, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerWrongSector")
        .withArgs(entityA, OTHER_SECTOR, SECTOR);
    });
  });

  // ------------------------------------------------------------------ break 4

  describe("break 4: no administrative act takes an open surrender window away", function () {
    it("moving the reporting deadline past the surrender deadline (or any later) is refused with LedgerDeadlineLocked; bringing it forward is allowed", async function () {
      const ctx = await load(attested);
      const { w } = ctx;
      const before = await complianceState(ctx);
      expect(await w.ledger.isReportingDeadlineLocked(PERIOD)).to.equal(true);
      for (const moved of [ctx.surrenderDeadline + DAY, ctx.surrenderDeadline - 1n, ctx.reportingDeadline + 1n]) {
        await expect(w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, moved))
          .to.be.revertedWithCustomError(w.ledger, "LedgerDeadlineLocked")
          .withArgs(PERIOD, moved, ctx.reportingDeadline);
      }
      expect(await complianceState(ctx)).to.deep.equal(before);
      // Earlier: the window only grows.
      const earlier = ctx.reportingDeadline - 10n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, earlier)).wait();
      expect(await w.compliance.surrenderWindow(PERIOD)).to.deep.equal([earlier, ctx.surrenderDeadline]);
      await timeTo(w, earlier);
      await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [EMISSIONS])).wait();
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "Settled")
        .withArgs(A, PERIOD, Status.Compliant, EMISSIONS, EMISSIONS, 0n, 0n, 0n);
    });

    it("the lock is set by opening the period (ReportingDeadlineLocked), not before", async function () {
      const ctx = await load(opened);
      const { w } = ctx;
      const deadline = (await latest(w)) + 90n * DAY;
      await (await w.ledger.connect(w.regulator).setReportingDeadline(NEXT, deadline)).wait();
      expect(await w.ledger.isReportingDeadlineLocked(NEXT)).to.equal(false);
      await (await w.ledger.connect(w.regulator).setReportingDeadline(NEXT, deadline + DAY)).wait();
      await expect(w.compliance.connect(w.regulator).openPeriod(NEXT, periodConfig(deadline + DAY)))
        .to.emit(w.ledger, "ReportingDeadlineLocked")
        .withArgs(NEXT, deadline + DAY);
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(NEXT, deadline + 2n * DAY))
        .to.be.revertedWithCustomError(w.ledger, "LedgerDeadlineLocked")
        .withArgs(NEXT, deadline + 2n * DAY, deadline + DAY);
    });

    for (const target of ["registry", "token"] as const) {
      it(`pausing the ${target} across the surrender deadline extends the window by the pause: settlement waits, the operator surrenders, it settles Compliant`, async function () {
        const ctx = await load(attested);
        const { w } = ctx;
        const pausable = target === "registry" ? w.compliance : w.allowance;
        // The old sequence: pause 5 days before the deadline, unpause 10 days after it.
        await timeTo(w, ctx.surrenderDeadline - 5n * DAY);
        await (await pausable.connect(w.pauser).pause()).wait();
        const pausedAt = await latest(w);
        await timeTo(w, ctx.surrenderDeadline + 10n * DAY);
        if (target === "token") {
          // While the token is paused, settlement waits (the window keeps growing with the pause).
          const state = await complianceState(ctx);
          const [, closesAt] = await w.compliance.surrenderWindow(PERIOD);
          expect(closesAt > (await latest(w))).to.equal(true);
          await expect(w.compliance.connect(w.regulator).settle(A, PERIOD)).to.be.revertedWithCustomError(
            w.compliance,
            "ComplianceSettlementNotOpen",
          );
          expect(await complianceState(ctx)).to.deep.equal(state);
        }
        await (await pausable.connect(w.pauser).unpause()).wait();
        const unpausedAt = await latest(w);
        const extended = ctx.surrenderDeadline + (unpausedAt - pausedAt);
        expect(await w.compliance.surrenderWindow(PERIOD)).to.deep.equal([ctx.reportingDeadline, extended]);

        // Settling now (the old penalty) is refused, nothing changes.
        const before = await complianceState(ctx);
        await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceSettlementNotOpen")
          .withArgs(PERIOD, extended);
        expect(await complianceState(ctx)).to.deep.equal(before);
        expect(before.status).to.equal(Status.Pending);

        // The operator still has the 5 days it had left.
        await timeTo(w, extended - DAY);
        await (await w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [EMISSIONS])).wait();
        await timeTo(w, extended);
        await expect(w.compliance.connect(w.alice).surrenderAllowances(A, PERIOD, [PERIOD], [1n]))
          .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderClosed")
          .withArgs(PERIOD, extended);
        await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
          .to.emit(w.compliance, "Settled")
          .withArgs(A, PERIOD, Status.Compliant, EMISSIONS, EMISSIONS, 0n, 0n, 0n);
      });
    }

    it("overlapping pauses of the registry and the token extend the window once, by their union; pauses before the window do not count", async function () {
      const ctx = await load(attested);
      const { w } = ctx;
      // A pause entirely before the window opens changes nothing.
      await (await w.compliance.connect(w.pauser).pause()).wait();
      await timeTo(w, (await latest(w)) + DAY);
      await (await w.compliance.connect(w.pauser).unpause()).wait();
      expect(await w.compliance.surrenderWindow(PERIOD)).to.deep.equal([ctx.reportingDeadline, ctx.surrenderDeadline]);
      // Registry paused [t0, t0 + 4d), token paused [t0 + 2d, t0 + 6d): 6 days in all.
      const t0 = ctx.reportingDeadline + DAY;
      await timeTo(w, t0);
      await (await w.compliance.connect(w.pauser).pause()).wait();
      const start = await latest(w);
      await timeTo(w, t0 + 2n * DAY);
      await (await w.allowance.connect(w.pauser).pause()).wait();
      await timeTo(w, t0 + 4n * DAY);
      await (await w.compliance.connect(w.pauser).unpause()).wait();
      await timeTo(w, t0 + 6n * DAY);
      await (await w.allowance.connect(w.pauser).unpause()).wait();
      const end = await latest(w);
      expect(end - start).to.be.closeTo(6n * DAY, 2n);
      expect(await w.compliance.surrenderWindow(PERIOD)).to.deep.equal([
        ctx.reportingDeadline,
        ctx.surrenderDeadline + (end - start),
      ]);
      expect(await w.allowance.pausesSince(ctx.reportingDeadline)).to.deep.equal([start, end]);
    });
  });

  // ------------------------------------------------------------------ cross-border offsets

  describe("cross-border offsets: the period's rule, Refused by default", function () {
    const OFFSET = 10n * TONNE;

    /** attested, a Brazilian ("BR-PA") batch: alice (A, "DE") and bob (installation 2, "BR-SP") hold credits of it. */
    async function withCredits(): Promise<Ctx & { batchId: bigint; B: bigint }> {
      const ctx = await load(attested);
      const { w } = ctx;
      const project = await approvedProject(w);
      const batchId = await issue(w, project, 100_000n, 1n);
      const { installationId: B, entity: entityB } = await registerInstallation(w, w.bob, "BR-SP");
      await attest(w, entityB, EMISSIONS);
      for (const holder of [w.alice, w.bob]) {
        await (await w.credit.connect(w.proponent).safeTransferFrom(w.proponent, holder, batchId, OFFSET, "0x")).wait();
        await (await w.credit.connect(holder).setApprovalForAll(await w.compliance.getAddress(), true)).wait();
      }
      await timeTo(w, ctx.reportingDeadline);
      return { ...ctx, batchId, B };
    }

    async function offsetState(ctx: Ctx & { batchId: bigint }) {
      const { w } = ctx;
      return {
        account: plain(await w.compliance.accountOf(A, PERIOD)),
        credits: await w.credit.balanceOf(w.alice, ctx.batchId),
        retirements: await w.retirement.retirementCount(),
      };
    }

    it("the old sequence (an installation in DE surrenders an unauthorised Brazilian batch) is refused with ComplianceCrossBorderOffset; the same batch covers a Brazilian installation", async function () {
      const ctx = await load(withCredits);
      const { w, batchId } = ctx;
      expect(await w.compliance.crossBorderRule(PERIOD)).to.equal(CrossBorder.Refused);
      expect((await w.compliance.getInstallation(A)).jurisdiction).to.equal(code("DE"));
      expect((await w.compliance.getInstallation(ctx.B)).jurisdiction).to.equal(code("BR-SP"));
      expect((await w.registry.batchProfile(batchId)).jurisdiction).to.equal(code("BR-PA"));
      const before = await offsetState(ctx);
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [batchId], [OFFSET]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceCrossBorderOffset")
        .withArgs(batchId, code("DE"), code("BR"), CrossBorder.Refused);
      expect(await offsetState(ctx)).to.deep.equal(before);
      await expect(w.compliance.connect(w.bob).surrenderOffsets(ctx.B, PERIOD, [batchId], [OFFSET])).to.emit(
        w.compliance,
        "OffsetsSurrendered",
      );
    });

    it("AuthorisedAdjusted admits only a batch its host authorised with the adjustment applied; Allowed admits any", async function () {
      const ctx = await load(withCredits);
      const { w, batchId } = ctx;
      await expect(w.compliance.connect(w.regulator).setCrossBorderRule(PERIOD, CrossBorder.AuthorisedAdjusted))
        .to.emit(w.compliance, "CrossBorderRuleSet")
        .withArgs(PERIOD, CrossBorder.AuthorisedAdjusted);
      const before = await offsetState(ctx);
      await expect(w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [batchId], [OFFSET]))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceCrossBorderOffset")
        .withArgs(batchId, code("DE"), code("BR"), CrossBorder.AuthorisedAdjusted);
      await (
        await w.registry.connect(w.registrar).setArticle6Status(batchId, Authorisation.NDC, Adjustment.Pending)
      ).wait();
      await expect(
        w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [batchId], [OFFSET]),
      ).to.be.revertedWithCustomError(w.compliance, "ComplianceCrossBorderOffset");
      expect(await offsetState(ctx)).to.deep.equal(before);
      await (
        await w.registry.connect(w.registrar).setArticle6Status(batchId, Authorisation.NDC, Adjustment.Applied)
      ).wait();
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [batchId], [OFFSET / 2n])).wait();
      // Allowed: the rule no longer looks at the status (which, once units are retired, the registry keeps).
      await (await w.compliance.connect(w.regulator).setCrossBorderRule(PERIOD, CrossBorder.Allowed)).wait();
      await (await w.compliance.connect(w.alice).surrenderOffsets(A, PERIOD, [batchId], [OFFSET / 2n])).wait();
      expect((await w.compliance.accountOf(A, PERIOD)).offsetsSurrendered).to.equal(OFFSET);
    });

    it("only the REGULATOR sets the rule, for an opened period", async function () {
      const { w } = await load(opened);
      await expect(w.compliance.connect(w.alice).setCrossBorderRule(PERIOD, CrossBorder.Allowed))
        .to.be.revertedWithCustomError(w.compliance, "AccessManagedUnauthorized")
        .withArgs(w.alice.address);
      await expect(w.compliance.connect(w.regulator).setCrossBorderRule(NEXT, CrossBorder.Allowed))
        .to.be.revertedWithCustomError(w.compliance, "ComplianceUnknownPeriod")
        .withArgs(NEXT);
      expect(await w.compliance.crossBorderRule(PERIOD)).to.equal(CrossBorder.Refused);
    });
  });

  // ------------------------------------------------------------------ make-good

  describe("make-good carried to a period that is never opened", function () {
    it("waits there (visible), then moves to the next period settled whose window opened after it", async function () {
      const ctx = await load(attested);
      const { w } = ctx;
      await timeTo(w, ctx.surrenderDeadline);
      // A surrendered nothing: all of EMISSIONS is carried to NEXT, which is not opened.
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "MakeGoodWaiting")
        .withArgs(A, NEXT, EMISSIONS);
      const carriedAt = await latest(w);
      const [debt, amount] = await w.compliance.makeGoodOwed(A);
      expect([debt.period, debt.carriedAt, amount]).to.deep.equal([NEXT, carriedAt, EMISSIONS]);
      // NEXT is never opened; NEXT + 1 is. The make-good counts in its obligation.
      const later = await openPeriod(w, NEXT + 1n);
      await attest(w, ctx.entityA, 1_000n * TONNE, NEXT + 1n);
      expect(await w.compliance.obligationOf(A, NEXT + 1n)).to.deep.equal([true, 1_000n * TONNE + EMISSIONS, 0n]);
      await timeTo(w, later.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(A, NEXT + 1n))
        .to.emit(w.compliance, "MakeGoodMoved")
        .withArgs(A, NEXT, NEXT + 1n, EMISSIONS)
        .and.to.emit(w.compliance, "Settled")
        .withArgs(
          A,
          NEXT + 1n,
          Status.NonCompliant,
          1_000n * TONNE + EMISSIONS,
          0n,
          1_000n * TONNE + EMISSIONS,
          0n,
          NEXT + 2n,
        );
      expect((await w.compliance.accountOf(A, NEXT)).makeGood).to.equal(0n);
      expect((await w.compliance.accountOf(A, NEXT + 1n)).makeGood).to.equal(EMISSIONS);
    });

    it("a waiting make-good moves on with the next carry to another unopened period, never left behind", async function () {
      const ctx = await load(attested);
      const { w } = ctx;
      // LATER is opened now, so its surrender window opens before PERIOD's make-good is carried: it is not LATER's.
      const LATER = PERIOD + 2n;
      const later = await openPeriod(w, LATER);
      await attest(w, ctx.entityA, 1_000n * TONNE, LATER);
      await timeTo(w, ctx.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(A, PERIOD))
        .to.emit(w.compliance, "MakeGoodWaiting")
        .withArgs(A, NEXT, EMISSIONS);
      // LATER's own shortfall is carried to LATER + 1, not opened either; the make-good waiting in NEXT goes along.
      await timeTo(w, later.surrenderDeadline);
      await expect(w.compliance.connect(w.regulator).settle(A, LATER))
        .to.emit(w.compliance, "MakeGoodWaiting")
        .withArgs(A, LATER + 1n, 1_000n * TONNE + EMISSIONS)
        .and.not.to.emit(w.compliance, "MakeGoodMoved");
      expect((await w.compliance.accountOf(A, NEXT)).makeGood).to.equal(0n);
      const [debt, amount] = await w.compliance.makeGoodOwed(A);
      expect([debt.period, amount]).to.deep.equal([LATER + 1n, 1_000n * TONNE + EMISSIONS]);
    });
  });

  // ------------------------------------------------------------------ correction window

  describe("voluntary statements: correction window and history", function () {
    it("a statement without a reporting deadline is corrected within CORRECTION_WINDOW, each previous version kept; after it, LedgerCorrectionClosed and nothing changes", async function () {
      const ctx = await load(opened);
      const { w } = ctx;
      const entity = w.bob.address;
      const period = PERIOD + 10n;
      await attest(w, entity, 100n * TONNE, period);
      const first = await latest(w);
      const window = await w.ledger.CORRECTION_WINDOW();
      expect(window).to.equal(90n * DAY);
      expect(await w.ledger.correctionDeadline(entity, period)).to.equal(first + window);
      await expect(w.ledger.connect(w.verifier).correct(entity, period, 120n * TONNE, EVIDENCE, REASON, ""))
        .to.emit(w.ledger, "EmissionsCorrected")
        .and.to.emit(w.ledger, "StatementVersionArchived")
        .withArgs(entity, period, 0n);
      const v0 = await w.ledger.statementVersion(entity, period, 0n);
      expect([v0.emissions, v0.attestedAt, v0.firstAttestedAt]).to.deep.equal([100n * TONNE, first, first]);
      await expect(w.ledger.statementVersion(entity, period, 1n))
        .to.be.revertedWithCustomError(w.ledger, "LedgerUnknownVersion")
        .withArgs(entity, period, 1n, 1n);

      // The years-later flip: refused.
      await timeTo(w, first + window);
      const before = plain(await w.ledger.getStatement(entity, period));
      await expect(w.ledger.connect(w.verifier).correct(entity, period, 0n, EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerCorrectionClosed")
        .withArgs(entity, period, first + window);
      expect(plain(await w.ledger.getStatement(entity, period))).to.deep.equal(before);
      expect(await w.ledger.verifiedEmissions(entity, period)).to.deep.equal([true, 120n * TONNE]);
      // Setting a later reporting deadline for that period does not reopen it.
      await (await w.ledger.connect(w.regulator).setReportingDeadline(period, (await latest(w)) + 30n * DAY)).wait();
      await expect(w.ledger.connect(w.verifier).correct(entity, period, 0n, EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerCorrectionClosed")
        .withArgs(entity, period, first + window);
    });
  });
});
