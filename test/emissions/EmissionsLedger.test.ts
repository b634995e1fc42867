import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";

import { Roles } from "../../scripts/lib/roles.js";
import { DAY, OTHER_SECTOR, PERIOD, SECTOR, TONNE, latest, registerInstallation } from "../helpers/compliance.js";
import { actAs, approvedProject, deployWorld, issue, type World } from "../helpers/fixtures.js";
import { nestedFixtures } from "../helpers/registry.js";
import { ClaimType, request } from "../helpers/retirement.js";

// Installation 1's statement of the `attested` fixture: 1,000 t for PERIOD, attested by `w.verifier`.
const EMISSIONS = 1_000n * TONNE;
const EVIDENCE = id("evidence: monitoring report 2026");
const URI = "ipfs://statement-2026";
const CORRECTED = 1_250n * TONNE;
const NEW_EVIDENCE = id("evidence: corrected monitoring report 2026");
const REASON = id("reason: a missed boiler");
const CORRECTION_URI = "ipfs://correction-2026";
const NEXT_PERIOD = PERIOD + 1n;
const MAX_UINT128 = 2n ** 128n - 1n;
// The neutrality fixture: 2,500,000 units issued (20% buffer), 2,000,000 to the proponent.
const ISSUED = 2_500_000n;
const TO_PROPONENT = 2_000_000n;

/**
 * The world of this file, plus a second verifier (`verifier2`, VERIFIER role) and the bound compliance registry's
 * address, impersonated (`agent`), to call the ledger as the registry does.
 */
interface Ctx {
  w: World;
  verifier2: HardhatEthersSigner;
  agent: HardhatEthersSigner;
}

/** Reporting open for PERIOD; installation 1 (`e1`) run by alice, installation 2 (`e2`) run by verifier2. */
interface Reporting extends Ctx {
  deadline: bigint;
  e1: string;
  e2: string;
}

describe("EmissionsLedger", function () {
  let world: Ctx;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<Ctx> {
    return world;
  }

  /**
   * The regulator accredits the verifier and verifier2 for SECTOR and sets PERIOD's reporting deadline 60 days from
   * now; installation 1 is run by alice, installation 2 by verifier2 (both in SECTOR).
   */
  async function reporting(): Promise<Reporting> {
    const ctx = await load(deployed);
    const { w, verifier2 } = ctx;
    const regulator = w.ledger.connect(w.regulator);
    await (await regulator.accreditVerifier(w.verifier.address, SECTOR)).wait();
    await (await regulator.accreditVerifier(verifier2.address, SECTOR)).wait();
    const deadline = (await latest(w)) + 60n * DAY;
    await (await regulator.setReportingDeadline(PERIOD, deadline)).wait();
    const { entity: e1 } = await registerInstallation(w, w.alice);
    const { entity: e2 } = await registerInstallation(w, verifier2);
    return { ...ctx, deadline, e1, e2 };
  }

  /** reporting plus installation 1's statement for PERIOD: EMISSIONS, EVIDENCE, URI, by the verifier. */
  async function attested(): Promise<Reporting & { attestedAt: bigint }> {
    const ctx = await load(reporting);
    await (await ctx.w.ledger.connect(ctx.w.verifier).attest(ctx.e1, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)).wait();
    return { ...ctx, attestedAt: await latest(ctx.w) };
  }

  before(async function () {
    const w = await deployWorld();
    const signers = await w.ethers.getSigners();
    const verifier2 = signers[11];
    await (await w.manager.connect(w.admin).grantRole(Roles.VERIFIER, verifier2.address, 0)).wait();
    const agent = await actAs(w, await w.compliance.getAddress());
    world = { w, verifier2, agent };
    load = nestedFixtures(w);
    await load(deployed);
  });

  // ------------------------------------------------------------------ helpers

  /** A statement as a plain object. */
  async function statement(w: World, entity: string, period: bigint = PERIOD) {
    const s = await w.ledger.getStatement(entity, period);
    return {
      verifier: s.verifier,
      sector: s.sector,
      corrections: s.corrections,
      emissions: s.emissions,
      attestedAt: s.attestedAt,
      evidenceHash: s.evidenceHash,
    };
  }

  async function verified(w: World, entity: string, period: bigint = PERIOD): Promise<[boolean, bigint]> {
    const [isVerified, emissions] = await w.ledger.verifiedEmissions(entity, period);
    return [isVerified, emissions];
  }

  async function profile(w: World, entity: string) {
    const p = await w.ledger.entityProfile(entity);
    return { controller: p.controller, sector: p.sector, registered: p.registered };
  }

  /** Has the next transaction mined at `timestamp`. */
  async function nextBlockAt(w: World, timestamp: bigint): Promise<void> {
    await w.connection.networkHelpers.time.setNextBlockTimestamp(timestamp);
  }

  // ------------------------------------------------------------------ accreditation

  describe("accreditVerifier", function () {
    it("accredits a verifier for one sector and emits SectorVerifierAccredited", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.regulator).accreditVerifier(w.bob.address, OTHER_SECTOR))
        .to.emit(w.ledger, "SectorVerifierAccredited")
        .withArgs(w.bob.address, OTHER_SECTOR);
      expect(await w.ledger.isAccredited(w.bob.address, OTHER_SECTOR)).to.equal(true);
      expect(await w.ledger.isAccredited(w.bob.address, SECTOR)).to.equal(false);
    });

    it("lets the verifier attest in that sector from then on", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.verifier).attest(w.bob.address, PERIOD, OTHER_SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerNotAccredited")
        .withArgs(w.verifier.address, OTHER_SECTOR);
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, OTHER_SECTOR)).wait();
      await (
        await w.ledger.connect(w.verifier).attest(w.bob.address, PERIOD, OTHER_SECTOR, EMISSIONS, EVIDENCE, URI)
      ).wait();
      expect(await verified(w, w.bob.address)).to.deep.equal([true, EMISSIONS]);
    });

    it("reverts on an accredited verifier with LedgerAccreditationUnchanged", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "LedgerAccreditationUnchanged")
        .withArgs(w.verifier.address, SECTOR, true);
    });

    it("reverts on the zero address with LedgerInvalidAccount", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.regulator).accreditVerifier(ZeroAddress, SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "LedgerInvalidAccount")
        .withArgs(ZeroAddress);
      expect(await w.ledger.isAccredited(ZeroAddress, SECTOR)).to.equal(false);
    });

    it("refuses an account without the REGULATOR role", async function () {
      const { w } = await load(reporting);
      for (const caller of [w.verifier, w.registrar, w.alice]) {
        await expect(w.ledger.connect(caller).accreditVerifier(w.bob.address, SECTOR))
          .to.be.revertedWithCustomError(w.ledger, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      expect(await w.ledger.isAccredited(w.bob.address, SECTOR)).to.equal(false);
    });
  });

  describe("revokeVerifier", function () {
    it("revokes one sector's accreditation, emits SectorVerifierRevoked and keeps the others", async function () {
      const { w } = await load(reporting);
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, OTHER_SECTOR)).wait();
      await expect(w.ledger.connect(w.regulator).revokeVerifier(w.verifier.address, SECTOR))
        .to.emit(w.ledger, "SectorVerifierRevoked")
        .withArgs(w.verifier.address, SECTOR);
      expect(await w.ledger.isAccredited(w.verifier.address, SECTOR)).to.equal(false);
      expect(await w.ledger.isAccredited(w.verifier.address, OTHER_SECTOR)).to.equal(true);
    });

    it("keeps the revoked verifier's past statements", async function () {
      const { w, e1, attestedAt } = await load(attested);
      await (await w.ledger.connect(w.regulator).revokeVerifier(w.verifier.address, SECTOR)).wait();
      expect(await statement(w, e1)).to.deep.equal({
        verifier: w.verifier.address,
        sector: BigInt(SECTOR),
        corrections: 0n,
        emissions: EMISSIONS,
        attestedAt,
        evidenceHash: EVIDENCE,
      });
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);
    });

    it("reverts on a verifier that is not accredited with LedgerAccreditationUnchanged", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.regulator).revokeVerifier(w.bob.address, SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "LedgerAccreditationUnchanged")
        .withArgs(w.bob.address, SECTOR, false);
      await expect(w.ledger.connect(w.regulator).revokeVerifier(w.verifier.address, OTHER_SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "LedgerAccreditationUnchanged")
        .withArgs(w.verifier.address, OTHER_SECTOR, false);
    });

    it("refuses an account without the REGULATOR role", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.verifier).revokeVerifier(w.verifier.address, SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "AccessManagedUnauthorized")
        .withArgs(w.verifier.address);
      expect(await w.ledger.isAccredited(w.verifier.address, SECTOR)).to.equal(true);
    });
  });

  // ------------------------------------------------------------------ reporting deadlines

  describe("setReportingDeadline", function () {
    it("sets the deadline and emits ReportingDeadlineSet", async function () {
      const { w } = await load(reporting);
      const deadline = (await latest(w)) + 90n * DAY;
      expect(await w.ledger.reportingDeadline(NEXT_PERIOD)).to.equal(0n);
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(NEXT_PERIOD, deadline))
        .to.emit(w.ledger, "ReportingDeadlineSet")
        .withArgs(NEXT_PERIOD, deadline);
      expect(await w.ledger.reportingDeadline(NEXT_PERIOD)).to.equal(deadline);
      expect(await w.ledger.isReportingClosed(NEXT_PERIOD)).to.equal(false);
    });

    it("reverts on a deadline in the past or at the block's timestamp with LedgerInvalidDeadline", async function () {
      const { w } = await load(reporting);
      const now = await latest(w);
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(NEXT_PERIOD, now - DAY))
        .to.be.revertedWithCustomError(w.ledger, "LedgerInvalidDeadline")
        .withArgs(NEXT_PERIOD, now - DAY);
      const at = (await latest(w)) + 10n;
      await nextBlockAt(w, at);
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(NEXT_PERIOD, at))
        .to.be.revertedWithCustomError(w.ledger, "LedgerInvalidDeadline")
        .withArgs(NEXT_PERIOD, at);
      await nextBlockAt(w, at + 10n);
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(NEXT_PERIOD, at + 11n))
        .to.emit(w.ledger, "ReportingDeadlineSet")
        .withArgs(NEXT_PERIOD, at + 11n);
      expect(await w.ledger.reportingDeadline(NEXT_PERIOD)).to.equal(at + 11n);
    });

    it("moves an open period's deadline later and earlier", async function () {
      const { w, e1, deadline } = await load(reporting);
      const later = deadline + 30n * DAY;
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, later))
        .to.emit(w.ledger, "ReportingDeadlineSet")
        .withArgs(PERIOD, later);
      // Past the first deadline, reporting is still open until the later one.
      await w.connection.networkHelpers.time.increaseTo(deadline + DAY);
      expect(await w.ledger.isReportingClosed(PERIOD)).to.equal(false);
      await (await w.ledger.connect(w.verifier).attest(e1, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)).wait();
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);

      const earlier = (await latest(w)) + DAY;
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, earlier))
        .to.emit(w.ledger, "ReportingDeadlineSet")
        .withArgs(PERIOD, earlier);
      expect(await w.ledger.reportingDeadline(PERIOD)).to.equal(earlier);
      await w.connection.networkHelpers.time.increaseTo(earlier);
      expect(await w.ledger.isReportingClosed(PERIOD)).to.equal(true);
    });

    it("reverts once reporting closed with LedgerReportingClosed", async function () {
      const { w, deadline } = await load(reporting);
      await w.connection.networkHelpers.time.increaseTo(deadline);
      const later = deadline + 30n * DAY;
      await expect(w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, later))
        .to.be.revertedWithCustomError(w.ledger, "LedgerReportingClosed")
        .withArgs(PERIOD, deadline);
      expect(await w.ledger.reportingDeadline(PERIOD)).to.equal(deadline);
    });

    it("refuses an account without the REGULATOR role", async function () {
      const { w } = await load(reporting);
      const deadline = (await latest(w)) + 90n * DAY;
      await expect(w.ledger.connect(w.admin).setReportingDeadline(NEXT_PERIOD, deadline))
        .to.be.revertedWithCustomError(w.ledger, "AccessManagedUnauthorized")
        .withArgs(w.admin.address);
    });
  });

  // ------------------------------------------------------------------ attestations

  describe("attest", function () {
    it("emits EmissionsAttested with every field", async function () {
      const { w, e1 } = await load(reporting);
      await expect(w.ledger.connect(w.verifier).attest(e1, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.emit(w.ledger, "EmissionsAttested")
        .withArgs(e1, PERIOD, w.verifier.address, SECTOR, EMISSIONS, EVIDENCE, URI);
    });

    it("stores the statement: verifier, sector, no correction, emissions, time and evidence", async function () {
      const { w, e1, attestedAt } = await load(attested);
      expect(await statement(w, e1)).to.deep.equal({
        verifier: w.verifier.address,
        sector: BigInt(SECTOR),
        corrections: 0n,
        emissions: EMISSIONS,
        attestedAt,
        evidenceHash: EVIDENCE,
      });
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);
      // Another period of the same entity, and another entity, have no statement.
      expect(await verified(w, e1, NEXT_PERIOD)).to.deep.equal([false, 0n]);
      expect((await statement(w, e1, NEXT_PERIOD)).verifier).to.equal(ZeroAddress);
    });

    it("attests an organisation's account (no profile) in any sector the verifier is accredited for", async function () {
      const { w } = await load(reporting);
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, OTHER_SECTOR)).wait();
      await expect(w.ledger.connect(w.verifier).attest(w.alice.address, PERIOD, OTHER_SECTOR, 42n, ZeroHash, ""))
        .to.emit(w.ledger, "EmissionsAttested")
        .withArgs(w.alice.address, PERIOD, w.verifier.address, OTHER_SECTOR, 42n, ZeroHash, "");
      const s = await statement(w, w.alice.address);
      expect([s.verifier, s.sector, s.emissions]).to.deep.equal([w.verifier.address, BigInt(OTHER_SECTOR), 42n]);
    });

    it("attests a period without a reporting deadline (reporting open) and zero emissions", async function () {
      const { w } = await load(reporting);
      expect(await w.ledger.reportingDeadline(NEXT_PERIOD)).to.equal(0n);
      await (await w.ledger.connect(w.verifier).attest(w.bob.address, NEXT_PERIOD, SECTOR, 0n, EVIDENCE, URI)).wait();
      expect(await verified(w, w.bob.address, NEXT_PERIOD)).to.deep.equal([true, 0n]);
    });

    it("accepts the largest uint128 and reverts above it with LedgerAmountTooLarge", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.verifier).attest(w.bob.address, PERIOD, SECTOR, MAX_UINT128 + 1n, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerAmountTooLarge")
        .withArgs(MAX_UINT128 + 1n);
      await (
        await w.ledger.connect(w.verifier).attest(w.bob.address, PERIOD, SECTOR, MAX_UINT128, EVIDENCE, URI)
      ).wait();
      expect(await verified(w, w.bob.address)).to.deep.equal([true, MAX_UINT128]);
    });

    it("reverts for a sector the verifier is not accredited for with LedgerNotAccredited", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.verifier).attest(w.bob.address, PERIOD, OTHER_SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerNotAccredited")
        .withArgs(w.verifier.address, OTHER_SECTOR);
    });

    it("reverts for a revoked verifier with LedgerNotAccredited", async function () {
      const { w, e1 } = await load(reporting);
      await (await w.ledger.connect(w.regulator).revokeVerifier(w.verifier.address, SECTOR)).wait();
      await expect(w.ledger.connect(w.verifier).attest(e1, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerNotAccredited")
        .withArgs(w.verifier.address, SECTOR);
      expect(await verified(w, e1)).to.deep.equal([false, 0n]);
    });

    it("reverts when the verifier attests its own account with LedgerSelfAttestation", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.verifier).attest(w.verifier.address, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
        .withArgs(w.verifier.address, w.verifier.address);
    });

    it("reverts when the verifier operates the installation (its controller) with LedgerSelfAttestation", async function () {
      const { w, verifier2, e2 } = await load(reporting);
      expect(await w.compliance.entityOf(2n)).to.equal(e2);
      await expect(w.ledger.connect(verifier2).attest(e2, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
        .withArgs(e2, verifier2.address);
      // Another accredited verifier may attest it.
      await (await w.ledger.connect(w.verifier).attest(e2, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)).wait();
      expect(await verified(w, e2)).to.deep.equal([true, EMISSIONS]);
    });

    it("reverts on another sector than a registered entity's with LedgerWrongSector", async function () {
      const { w, e1 } = await load(reporting);
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, OTHER_SECTOR)).wait();
      await expect(w.ledger.connect(w.verifier).attest(e1, PERIOD, OTHER_SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerWrongSector")
        .withArgs(e1, OTHER_SECTOR, SECTOR);
    });

    it("reverts on a second attestation with LedgerStatementExists, even by another verifier", async function () {
      const { w, verifier2, e1 } = await load(attested);
      for (const verifier of [w.verifier, verifier2]) {
        await expect(w.ledger.connect(verifier).attest(e1, PERIOD, SECTOR, CORRECTED, NEW_EVIDENCE, URI))
          .to.be.revertedWithCustomError(w.ledger, "LedgerStatementExists")
          .withArgs(e1, PERIOD);
      }
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);
    });

    it("attests until the second before the deadline and reverts from the deadline with LedgerReportingClosed", async function () {
      const { w, e1, e2, deadline } = await load(reporting);
      await nextBlockAt(w, deadline - 1n);
      await (await w.ledger.connect(w.verifier).attest(e1, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)).wait();
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);
      await nextBlockAt(w, deadline);
      await expect(w.ledger.connect(w.verifier).attest(e2, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerReportingClosed")
        .withArgs(PERIOD, deadline);
    });

    it("reverts on the zero entity with LedgerInvalidAccount", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.verifier).attest(ZeroAddress, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerInvalidAccount")
        .withArgs(ZeroAddress);
    });

    it("reverts while paused with EnforcedPause", async function () {
      const { w, e1 } = await load(reporting);
      await (await w.ledger.connect(w.pauser).pause()).wait();
      await expect(
        w.ledger.connect(w.verifier).attest(e1, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI),
      ).to.be.revertedWithCustomError(w.ledger, "EnforcedPause");
    });

    it("refuses an account without the VERIFIER role, even accredited, with AccessManagedUnauthorized", async function () {
      const { w } = await load(reporting);
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.bob.address, SECTOR)).wait();
      for (const caller of [w.bob, w.regulator, w.alice]) {
        await expect(w.ledger.connect(caller).attest(w.outsider.address, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
          .to.be.revertedWithCustomError(w.ledger, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      expect(await verified(w, w.outsider.address)).to.deep.equal([false, 0n]);
    });
  });

  // ------------------------------------------------------------------ corrections

  describe("correct", function () {
    it("emits EmissionsCorrected with the previous and new figures and the reason", async function () {
      const { w, e1 } = await load(attested);
      await expect(w.ledger.connect(w.verifier).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, CORRECTION_URI))
        .to.emit(w.ledger, "EmissionsCorrected")
        .withArgs(e1, PERIOD, w.verifier.address, EMISSIONS, CORRECTED, NEW_EVIDENCE, REASON, CORRECTION_URI);
    });

    it("updates emissions, evidence and time, counts the correction and keeps the sector", async function () {
      const { w, e1 } = await load(attested);
      await w.connection.networkHelpers.time.increase(DAY);
      await (
        await w.ledger.connect(w.verifier).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, CORRECTION_URI)
      ).wait();
      expect(await statement(w, e1)).to.deep.equal({
        verifier: w.verifier.address,
        sector: BigInt(SECTOR),
        corrections: 1n,
        emissions: CORRECTED,
        attestedAt: await latest(w),
        evidenceHash: NEW_EVIDENCE,
      });
      expect(await verified(w, e1)).to.deep.equal([true, CORRECTED]);
    });

    it("counts every correction, each from the figure before it", async function () {
      const { w, e1 } = await load(attested);
      await (await w.ledger.connect(w.verifier).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, "")).wait();
      await expect(w.ledger.connect(w.verifier).correct(e1, PERIOD, 0n, EVIDENCE, id("second"), ""))
        .to.emit(w.ledger, "EmissionsCorrected")
        .withArgs(e1, PERIOD, w.verifier.address, CORRECTED, 0n, EVIDENCE, id("second"), "");
      const s = await statement(w, e1);
      expect([s.corrections, s.emissions]).to.deep.equal([2n, 0n]);
      expect(await verified(w, e1)).to.deep.equal([true, 0n]);
    });

    it("makes the correcting verifier the statement's verifier", async function () {
      const { w, verifier2, e1 } = await load(attested);
      await expect(w.ledger.connect(verifier2).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""))
        .to.emit(w.ledger, "EmissionsCorrected")
        .withArgs(e1, PERIOD, verifier2.address, EMISSIONS, CORRECTED, NEW_EVIDENCE, REASON, "");
      const s = await statement(w, e1);
      expect([s.verifier, s.corrections]).to.deep.equal([verifier2.address, 1n]);
    });

    it("reverts on a statement that does not exist with LedgerUnknownStatement", async function () {
      const { w, e1, e2 } = await load(attested);
      await expect(w.ledger.connect(w.verifier).correct(e2, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerUnknownStatement")
        .withArgs(e2, PERIOD);
      await expect(w.ledger.connect(w.verifier).correct(e1, NEXT_PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerUnknownStatement")
        .withArgs(e1, NEXT_PERIOD);
    });

    it("reverts once reporting closed with LedgerReportingClosed", async function () {
      const { w, e1, deadline } = await load(attested);
      await w.connection.networkHelpers.time.increaseTo(deadline);
      await expect(w.ledger.connect(w.verifier).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerReportingClosed")
        .withArgs(PERIOD, deadline);
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);
    });

    it("reverts by the entity itself with LedgerSelfAttestation", async function () {
      const { w, verifier2 } = await load(attested);
      await (
        await w.ledger.connect(w.verifier).attest(verifier2.address, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)
      ).wait();
      await expect(w.ledger.connect(verifier2).correct(verifier2.address, PERIOD, 1n, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
        .withArgs(verifier2.address, verifier2.address);
      expect(await verified(w, verifier2.address)).to.deep.equal([true, EMISSIONS]);
    });

    it("reverts by the entity's controller with LedgerSelfAttestation", async function () {
      const { w, verifier2, e2 } = await load(attested);
      await (await w.ledger.connect(w.verifier).attest(e2, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)).wait();
      await expect(w.ledger.connect(verifier2).correct(e2, PERIOD, 1n, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
        .withArgs(e2, verifier2.address);
      expect(await verified(w, e2)).to.deep.equal([true, EMISSIONS]);
    });

    it("reverts for a verifier not accredited for the statement's sector with LedgerNotAccredited", async function () {
      const { w, e1 } = await load(attested);
      await (await w.ledger.connect(w.regulator).revokeVerifier(w.verifier.address, SECTOR)).wait();
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, OTHER_SECTOR)).wait();
      await expect(w.ledger.connect(w.verifier).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerNotAccredited")
        .withArgs(w.verifier.address, SECTOR);
    });

    it("reverts above uint128 with LedgerAmountTooLarge", async function () {
      const { w, e1 } = await load(attested);
      await expect(w.ledger.connect(w.verifier).correct(e1, PERIOD, MAX_UINT128 + 1n, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerAmountTooLarge")
        .withArgs(MAX_UINT128 + 1n);
    });

    it("reverts while paused with EnforcedPause", async function () {
      const { w, e1 } = await load(attested);
      await (await w.ledger.connect(w.pauser).pause()).wait();
      await expect(
        w.ledger.connect(w.verifier).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""),
      ).to.be.revertedWithCustomError(w.ledger, "EnforcedPause");
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);
    });

    it("refuses an account without the VERIFIER role", async function () {
      const { w, e1 } = await load(attested);
      await expect(w.ledger.connect(w.regulator).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "AccessManagedUnauthorized")
        .withArgs(w.regulator.address);
    });
  });

  // ------------------------------------------------------------------ entity profiles

  describe("setEntityProfile", function () {
    it("is called by the compliance registry on registration: EntityProfileSet and the profile", async function () {
      const { w } = await load(reporting);
      const entity = await w.compliance.entityOf(3n);
      await expect(w.compliance.connect(w.regulator).registerInstallation(w.bob.address, OTHER_SECTOR, "FR"))
        .to.emit(w.ledger, "EntityProfileSet")
        .withArgs(entity, w.bob.address, OTHER_SECTOR);
      expect(await profile(w, entity)).to.deep.equal({
        controller: w.bob.address,
        sector: BigInt(OTHER_SECTOR),
        registered: true,
      });
    });

    it("follows an operator change: the new operator cannot attest, the old one then can", async function () {
      const { w, verifier2, e2 } = await load(reporting);
      await expect(w.compliance.connect(w.regulator).updateOperator(2n, w.verifier.address))
        .to.emit(w.ledger, "EntityProfileSet")
        .withArgs(e2, w.verifier.address, SECTOR);
      expect(await profile(w, e2)).to.deep.equal({
        controller: w.verifier.address,
        sector: BigInt(SECTOR),
        registered: true,
      });
      await expect(w.ledger.connect(w.verifier).attest(e2, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
        .withArgs(e2, w.verifier.address);
      await expect(w.ledger.connect(verifier2).attest(e2, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.emit(w.ledger, "EmissionsAttested")
        .withArgs(e2, PERIOD, verifier2.address, SECTOR, EMISSIONS, EVIDENCE, URI);
    });

    it("an operator change also bars the new operator from correcting", async function () {
      const { w, e1 } = await load(attested);
      await (await w.compliance.connect(w.regulator).updateOperator(1n, w.verifier.address)).wait();
      await expect(w.ledger.connect(w.verifier).correct(e1, PERIOD, CORRECTED, NEW_EVIDENCE, REASON, ""))
        .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
        .withArgs(e1, w.verifier.address);
    });

    it("sets a profile for the bound compliance registry, whose sector then binds statements", async function () {
      const { w, agent } = await load(reporting);
      await expect(w.ledger.connect(agent).setEntityProfile(w.bob.address, w.alice.address, OTHER_SECTOR))
        .to.emit(w.ledger, "EntityProfileSet")
        .withArgs(w.bob.address, w.alice.address, OTHER_SECTOR);
      expect(await profile(w, w.bob.address)).to.deep.equal({
        controller: w.alice.address,
        sector: BigInt(OTHER_SECTOR),
        registered: true,
      });
      await expect(w.ledger.connect(w.verifier).attest(w.bob.address, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI))
        .to.be.revertedWithCustomError(w.ledger, "LedgerWrongSector")
        .withArgs(w.bob.address, SECTOR, OTHER_SECTOR);
    });

    it("reverts on a zero entity or controller with LedgerInvalidAccount", async function () {
      const { w, agent } = await load(reporting);
      await expect(w.ledger.connect(agent).setEntityProfile(ZeroAddress, w.alice.address, SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "LedgerInvalidAccount")
        .withArgs(ZeroAddress);
      await expect(w.ledger.connect(agent).setEntityProfile(w.bob.address, ZeroAddress, SECTOR))
        .to.be.revertedWithCustomError(w.ledger, "LedgerInvalidAccount")
        .withArgs(ZeroAddress);
      expect((await profile(w, w.bob.address)).registered).to.equal(false);
    });

    it("locks a future deadline once (a second lock emits nothing); a period without a future deadline is refused", async function () {
      const { w, agent, deadline } = await load(reporting);
      await expect(w.ledger.connect(agent).lockReportingDeadline(PERIOD))
        .to.emit(w.ledger, "ReportingDeadlineLocked")
        .withArgs(PERIOD, deadline);
      await expect(w.ledger.connect(agent).lockReportingDeadline(PERIOD)).not.to.emit(
        w.ledger,
        "ReportingDeadlineLocked",
      );
      expect(await w.ledger.isReportingDeadlineLocked(PERIOD)).to.equal(true);
      await expect(w.ledger.connect(agent).lockReportingDeadline(PERIOD + 1n))
        .to.be.revertedWithCustomError(w.ledger, "LedgerInvalidDeadline")
        .withArgs(PERIOD + 1n, 0n);
      expect(await w.ledger.isReportingDeadlineLocked(PERIOD + 1n)).to.equal(false);
    });

    it("refuses every caller but the bound compliance registry, even an account holding every role", async function () {
      const { w } = await load(reporting);
      const god = (await w.ethers.getSigners())[12];
      for (const role of Object.values(Roles)) {
        if (role !== Roles.PUBLIC) await (await w.manager.connect(w.admin).grantRole(role, god.address, 0)).wait();
      }
      for (const caller of [god, w.regulator, w.admin, w.verifier]) {
        await expect(w.ledger.connect(caller).setEntityProfile(w.bob.address, w.alice.address, SECTOR))
          .to.be.revertedWithCustomError(w.ledger, "LedgerOnlyComplianceRegistry")
          .withArgs(caller.address);
        await expect(w.ledger.connect(caller).lockReportingDeadline(PERIOD))
          .to.be.revertedWithCustomError(w.ledger, "LedgerOnlyComplianceRegistry")
          .withArgs(caller.address);
      }
      expect((await profile(w, w.bob.address)).registered).to.equal(false);
      expect(await w.ledger.isReportingDeadlineLocked(PERIOD)).to.equal(false);
    });
  });

  // ------------------------------------------------------------------ binding

  describe("bindComplianceRegistry", function () {
    /** A second ledger, unbound, and a compliance registry built on it. */
    async function unbound() {
      const { w } = await load(deployed);
      const manager = await w.manager.getAddress();
      const ledger = await w.ethers.deployContract("EmissionsLedger", [manager, await w.retirement.getAddress()]);
      const compliance = await w.ethers.deployContract("ComplianceRegistry", [
        manager,
        await ledger.getAddress(),
        await w.retirement.getAddress(),
        w.treasurer.address,
      ]);
      return { w, ledger, compliance };
    }

    it("the suite's ledger is bound to the suite's compliance registry", async function () {
      const { w } = await load(deployed);
      expect(await w.ledger.complianceRegistry()).to.equal(await w.compliance.getAddress());
    });

    it("binds once, to a compliance registry of this ledger; emits ComplianceRegistryBound", async function () {
      const { w, ledger, compliance } = await unbound();
      const address = await compliance.getAddress();
      expect(await ledger.complianceRegistry()).to.equal(ZeroAddress);
      await expect(ledger.connect(w.admin).bindComplianceRegistry(address))
        .to.emit(ledger, "ComplianceRegistryBound")
        .withArgs(address);
      expect(await ledger.complianceRegistry()).to.equal(address);
      await expect(ledger.connect(w.admin).bindComplianceRegistry(address))
        .to.be.revertedWithCustomError(ledger, "LedgerComplianceRegistryAlreadyBound")
        .withArgs(address);
    });

    it("refuses an account without code and another ledger's compliance registry", async function () {
      const { w, ledger } = await unbound();
      for (const candidate of [w.alice.address, await w.compliance.getAddress()]) {
        await expect(ledger.connect(w.admin).bindComplianceRegistry(candidate))
          .to.be.revertedWithCustomError(ledger, "LedgerInvalidComplianceRegistry")
          .withArgs(candidate);
      }
      expect(await ledger.complianceRegistry()).to.equal(ZeroAddress);
    });

    it("is ADMIN-only: the regulator is refused with AccessManagedUnauthorized", async function () {
      const { w, ledger, compliance } = await unbound();
      await expect(ledger.connect(w.regulator).bindComplianceRegistry(await compliance.getAddress()))
        .to.be.revertedWithCustomError(ledger, "AccessManagedUnauthorized")
        .withArgs(w.regulator.address);
    });

    it("before it is bound, no caller declares an entity", async function () {
      const { w, ledger } = await unbound();
      await expect(ledger.connect(w.admin).setEntityProfile(w.bob.address, w.alice.address, SECTOR))
        .to.be.revertedWithCustomError(ledger, "LedgerOnlyComplianceRegistry")
        .withArgs(w.admin.address);
    });
  });

  // ------------------------------------------------------------------ pause

  describe("pause and unpause", function () {
    it("pause emits Paused and sets paused; unpause emits Unpaused and resumes attestations", async function () {
      const { w, e1 } = await load(reporting);
      expect(await w.ledger.paused()).to.equal(false);
      await expect(w.ledger.connect(w.pauser).pause()).to.emit(w.ledger, "Paused").withArgs(w.pauser.address);
      expect(await w.ledger.paused()).to.equal(true);
      await expect(w.ledger.connect(w.pauser).unpause()).to.emit(w.ledger, "Unpaused").withArgs(w.pauser.address);
      expect(await w.ledger.paused()).to.equal(false);
      await (await w.ledger.connect(w.verifier).attest(e1, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)).wait();
      expect(await verified(w, e1)).to.deep.equal([true, EMISSIONS]);
    });

    it("reverts a second pause with EnforcedPause", async function () {
      const { w } = await load(reporting);
      await (await w.ledger.connect(w.pauser).pause()).wait();
      await expect(w.ledger.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.ledger, "EnforcedPause");
    });

    it("refuses the deadline and accreditation setters while paused (EnforcedPause), nothing changes", async function () {
      const { w } = await load(reporting);
      const deadline = await w.ledger.reportingDeadline(PERIOD);
      await (await w.ledger.connect(w.pauser).pause()).wait();
      const later = (await latest(w)) + 500n * DAY;
      const calls = [
        () => w.ledger.connect(w.regulator).setReportingDeadline(PERIOD, later),
        () => w.ledger.connect(w.regulator).setReportingDeadline(PERIOD + 7n, later),
        () => w.ledger.connect(w.regulator).accreditVerifier(w.bob.address, SECTOR),
        () => w.ledger.connect(w.regulator).revokeVerifier(w.verifier.address, SECTOR),
      ];
      for (const call of calls) await expect(call()).to.be.revertedWithCustomError(w.ledger, "EnforcedPause");
      expect(await w.ledger.reportingDeadline(PERIOD)).to.equal(deadline);
      expect(await w.ledger.reportingDeadline(PERIOD + 7n)).to.equal(0n);
      expect(await w.ledger.isAccredited(w.bob.address, SECTOR)).to.equal(false);
      expect(await w.ledger.isAccredited(w.verifier.address, SECTOR)).to.equal(true);
      await (await w.ledger.connect(w.pauser).unpause()).wait();
      for (const call of calls) await (await call()).wait();
      expect(await w.ledger.isAccredited(w.bob.address, SECTOR)).to.equal(true);
    });

    it("reverts unpausing a ledger that is not paused with ExpectedPause", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.pauser).unpause()).to.be.revertedWithCustomError(w.ledger, "ExpectedPause");
    });

    it("refuses an account without the PAUSER role", async function () {
      const { w } = await load(reporting);
      await expect(w.ledger.connect(w.regulator).pause())
        .to.be.revertedWithCustomError(w.ledger, "AccessManagedUnauthorized")
        .withArgs(w.regulator.address);
    });
  });

  // ------------------------------------------------------------------ views

  describe("views", function () {
    it("isReportingClosed: open without a deadline, open before it, closed at and after it", async function () {
      const { w, deadline } = await load(reporting);
      expect(await w.ledger.isReportingClosed(NEXT_PERIOD)).to.equal(false);
      expect(await w.ledger.isReportingClosed(PERIOD)).to.equal(false);
      await w.connection.networkHelpers.time.increaseTo(deadline - 1n);
      expect(await w.ledger.isReportingClosed(PERIOD)).to.equal(false);
      await w.connection.networkHelpers.time.increaseTo(deadline);
      expect(await w.ledger.isReportingClosed(PERIOD)).to.equal(true);
      await w.connection.networkHelpers.time.increase(365n * DAY);
      expect(await w.ledger.isReportingClosed(PERIOD)).to.equal(true);
      expect(await w.ledger.isReportingClosed(NEXT_PERIOD)).to.equal(false);
    });

    it("entityProfile: each installation's operator and sector; nothing for an unregistered account", async function () {
      const { w, verifier2, e1, e2 } = await load(reporting);
      expect(await profile(w, e1)).to.deep.equal({
        controller: w.alice.address,
        sector: BigInt(SECTOR),
        registered: true,
      });
      expect(await profile(w, e2)).to.deep.equal({
        controller: verifier2.address,
        sector: BigInt(SECTOR),
        registered: true,
      });
      expect(await profile(w, w.alice.address)).to.deep.equal({
        controller: ZeroAddress,
        sector: 0n,
        registered: false,
      });
    });

    it("getStatement of nothing is all zero; verifiedEmissions says not verified", async function () {
      const { w, e2 } = await load(attested);
      expect(await statement(w, e2)).to.deep.equal({
        verifier: ZeroAddress,
        sector: 0n,
        corrections: 0n,
        emissions: 0n,
        attestedAt: 0n,
        evidenceHash: ZeroHash,
      });
      expect(await verified(w, e2)).to.deep.equal([false, 0n]);
    });

    it("retirement is the suite's retirement registry", async function () {
      const { w } = await load(deployed);
      expect(await w.ledger.retirement()).to.equal(await w.retirement.getAddress());
    });
  });

  // ------------------------------------------------------------------ neutrality

  describe("neutralityStatus", function () {
    /**
     * Batch 1 issued (the proponent holds TO_PROPONENT units), the verifier accredited for SECTOR and alice's
     * organisation attested 1,000 t for PERIOD.
     */
    async function neutrality(): Promise<Ctx & { batchId: bigint }> {
      const ctx = await load(deployed);
      const { w } = ctx;
      const projectId = await approvedProject(w);
      const batchId = await issue(w, projectId, ISSUED, 1n);
      expect(await w.credit.balanceOf(w.proponent.address, batchId)).to.equal(TO_PROPONENT);
      await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, SECTOR)).wait();
      await (
        await w.ledger.connect(w.verifier).attest(w.alice.address, PERIOD, SECTOR, EMISSIONS, EVIDENCE, URI)
      ).wait();
      return { ...ctx, batchId };
    }

    /** The proponent retires `amount` for alice: by default a neutrality claim on (alice, PERIOD). */
    async function retire(
      w: World,
      batchId: bigint,
      amount: bigint,
      overrides: { claimType?: number; claimEntity?: string; claimPeriod?: bigint } = {},
    ) {
      await (
        await w.retirement.connect(w.proponent).retire(
          request({
            ids: [batchId],
            amounts: [amount],
            beneficiary: w.alice.address,
            claimType: ClaimType.Neutrality,
            claimEntity: w.alice.address,
            claimPeriod: PERIOD,
            reason: "carbon neutral 2026",
            ...overrides,
          }),
        )
      ).wait();
    }

    async function status(w: World, entity: string, period: bigint = PERIOD) {
      const s = await w.ledger.neutralityStatus(entity, period);
      return { verified: s.verified, emissions: s.emissions, retired: s.retired, neutral: s.neutral };
    }

    it("is not neutral with nothing retired", async function () {
      const { w } = await load(neutrality);
      expect(await status(w, w.alice.address)).to.deep.equal({
        verified: true,
        emissions: EMISSIONS,
        retired: 0n,
        neutral: false,
      });
    });

    it("is not neutral with 600 t retired against 1,000 t", async function () {
      const { w, batchId } = await load(neutrality);
      await retire(w, batchId, 600n * TONNE);
      expect(await status(w, w.alice.address)).to.deep.equal({
        verified: true,
        emissions: EMISSIONS,
        retired: 600n * TONNE,
        neutral: false,
      });
    });

    it("is not neutral one kg short and neutral at exactly 1,000 t retired, over two retirements", async function () {
      const { w, batchId } = await load(neutrality);
      await retire(w, batchId, 600n * TONNE);
      await retire(w, batchId, 400n * TONNE - 1n);
      expect((await status(w, w.alice.address)).neutral).to.equal(false);
      await retire(w, batchId, 1n);
      expect(await status(w, w.alice.address)).to.deep.equal({
        verified: true,
        emissions: EMISSIONS,
        retired: EMISSIONS,
        neutral: true,
      });
      expect(await w.retirement.retiredAgainst(w.alice.address, PERIOD)).to.equal(EMISSIONS);
    });

    it("stays neutral when more than the emissions is retired", async function () {
      const { w, batchId } = await load(neutrality);
      await retire(w, batchId, 1_200n * TONNE);
      expect(await status(w, w.alice.address)).to.deep.equal({
        verified: true,
        emissions: EMISSIONS,
        retired: 1_200n * TONNE,
        neutral: true,
      });
    });

    it("does not count retirements for another period, another entity or another claim type", async function () {
      const { w, batchId } = await load(neutrality);
      // 4 × 450 t retired for alice, none of it a neutrality claim on (alice, PERIOD).
      const each = 450n * TONNE;
      await w.retirement.connect(w.bob).setClaimAuthorisation(w.proponent.address, true); // bob consents
      await retire(w, batchId, each, { claimPeriod: NEXT_PERIOD });
      await retire(w, batchId, each, { claimEntity: w.bob.address });
      await retire(w, batchId, each, { claimType: ClaimType.VoluntaryOffset });
      await retire(w, batchId, each, { claimType: ClaimType.Compliance });
      // Voluntary claims only: the compliance surrender is counted apart.
      expect(await w.retirement.totalRetiredFor(w.alice.address)).to.equal(3n * each);
      expect(await w.retirement.totalRetiredByClaim(w.alice.address, ClaimType.Compliance)).to.equal(each);
      expect(await status(w, w.alice.address)).to.deep.equal({
        verified: true,
        emissions: EMISSIONS,
        retired: 0n,
        neutral: false,
      });
      expect(await w.retirement.retiredAgainst(w.alice.address, NEXT_PERIOD)).to.equal(each);
      expect(await w.retirement.retiredAgainst(w.bob.address, PERIOD)).to.equal(each);
      // A neutrality claim on (alice, PERIOD) then counts alone.
      await retire(w, batchId, 100n * TONNE);
      expect((await status(w, w.alice.address)).retired).to.equal(100n * TONNE);
    });

    it("without a statement is neither verified nor neutral, whatever is retired", async function () {
      const { w, batchId } = await load(neutrality);
      expect(await status(w, w.bob.address)).to.deep.equal({
        verified: false,
        emissions: 0n,
        retired: 0n,
        neutral: false,
      });
      await w.retirement.connect(w.bob).setClaimAuthorisation(w.proponent.address, true); // bob consents
      await retire(w, batchId, EMISSIONS, { claimEntity: w.bob.address });
      await retire(w, batchId, EMISSIONS, { claimPeriod: NEXT_PERIOD });
      expect(await status(w, w.bob.address)).to.deep.equal({
        verified: false,
        emissions: 0n,
        retired: EMISSIONS,
        neutral: false,
      });
      expect(await status(w, w.alice.address, NEXT_PERIOD)).to.deep.equal({
        verified: false,
        emissions: 0n,
        retired: EMISSIONS,
        neutral: false,
      });
    });

    it("follows a correction of the emissions", async function () {
      const { w, batchId } = await load(neutrality);
      await retire(w, batchId, 600n * TONNE);
      await (
        await w.ledger.connect(w.verifier).correct(w.alice.address, PERIOD, 500n * TONNE, NEW_EVIDENCE, REASON, "")
      ).wait();
      expect(await status(w, w.alice.address)).to.deep.equal({
        verified: true,
        emissions: 500n * TONNE,
        retired: 600n * TONNE,
        neutral: true,
      });
    });

    it("is neutral with verified zero emissions and nothing retired", async function () {
      const { w } = await load(neutrality);
      await (await w.ledger.connect(w.verifier).attest(w.bob.address, PERIOD, SECTOR, 0n, EVIDENCE, URI)).wait();
      expect(await status(w, w.bob.address)).to.deep.equal({
        verified: true,
        emissions: 0n,
        retired: 0n,
        neutral: true,
      });
    });
  });
});
