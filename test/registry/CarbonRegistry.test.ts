import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { Interface, ZeroAddress, ZeroHash, id } from "ethers";

import { Roles } from "../../scripts/lib/roles.js";
import {
  Adjustment,
  approvedProject,
  Authorisation,
  BUFFER_BPS,
  Category,
  code,
  deployWorld,
  issue,
  ProjectStatus,
  ReportStatus,
  STANDARD,
  type World,
} from "../helpers/fixtures.js";
import {
  eventsOf,
  extraProject,
  interfaceId,
  namespaceId,
  nestedFixtures,
  reportFor,
  submitReport,
  verifiedReport,
} from "../helpers/registry.js";

/** The standards every fixture starts with: "VCS" (id 1) and "GS" (id 2), added by the registrar. */
const STANDARD_ID = 1n;
const OTHER_STANDARD = "GS";
const OTHER_STANDARD_ID = 2n;
const NS = namespaceId(STANDARD_ID);
const OTHER_NS = namespaceId(OTHER_STANDARD_ID);
const REASON = id("reason");
/** A vintage bound asserted elsewhere: any non-zero timestamp. */
const ANY_TIME = (value: bigint) => value > 0n;

const REGISTRATION = {
  methodologyId: 1,
  bufferBps: 2_500,
  standardId: OTHER_STANDARD_ID,
  externalRef: "GS-1234",
  jurisdiction: "KE",
  uri: "ipfs://gs-1234",
};

describe("CarbonRegistry", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<World> {
    return world;
  }

  /** Methodology 1 "VM0047" (removal) and 2 "AMS-III.D" (avoidance), no accreditation. */
  async function withMethodologies(): Promise<World> {
    const w = await load(deployed);
    await w.registry.connect(w.registrar).addMethodology("VM0047", Category.Removal, "ipfs://vm0047");
    await w.registry.connect(w.registrar).addMethodology("AMS-III.D", Category.Avoidance, "ipfs://ams-iii-d");
    return w;
  }

  /** withMethodologies plus project 1 of the proponent, still Pending. */
  async function withPendingProject(): Promise<World> {
    const w = await load(withMethodologies);
    await w.registry.connect(w.proponent).registerProject({ ...REGISTRATION, standardId: STANDARD_ID });
    return w;
  }

  /** Methodology 1, verifier accredited, project 1 approved with a 20% buffer in the "VCS" namespace. */
  async function withProject(): Promise<World> {
    const w = await load(deployed);
    await approvedProject(w);
    return w;
  }

  /** withProject plus report 1 (1,000 units, serials 1000-1999), Submitted. */
  async function withSubmittedReport() {
    const w = await load(withProject);
    const { reportId, report } = await submitReport(w, 1n, 1_000n, 1_000n);
    return { w, reportId, report };
  }

  /** withProject plus report 1 (1,000 units, serials 1000-1999), Verified. */
  async function withVerifiedReport() {
    const w = await load(withProject);
    const { reportId, report } = await verifiedReport(w, 1n, 1_000n, 1_000n);
    return { w, reportId, report };
  }

  /** withProject plus batch 1: 1,000 units, serials 1000-1999 (800 to the proponent, 200 to the buffer). */
  async function withBatch(): Promise<World> {
    const w = await load(withProject);
    await issue(w, 1n, 1_000n, 1_000n);
    return w;
  }

  /** withProject plus batches 1 [1000-1999], 2 [5000-5999] and 3 [9000-9999] in the "VCS" namespace. */
  async function withThreeRanges(): Promise<World> {
    const w = await load(withProject);
    await issue(w, 1n, 1_000n, 1_000n);
    await issue(w, 1n, 1_000n, 5_000n);
    await issue(w, 1n, 1_000n, 9_000n);
    return w;
  }

  /** withProject plus batches with buffer contributions of 200 (batch 1), 100 (batch 2) and 200 (batch 3). */
  async function withThreeBuffers(): Promise<World> {
    const w = await load(withProject);
    await issue(w, 1n, 1_000n, 1_000n);
    await issue(w, 1n, 500n, 2_000n);
    await issue(w, 1n, 1_000n, 2_500n);
    return w;
  }

  before(async function () {
    world = await deployWorld();
    await (await world.registry.connect(world.registrar).addStandard(STANDARD, "https://verra.org")).wait();
    await (
      await world.registry.connect(world.registrar).addStandard(OTHER_STANDARD, "https://goldstandard.org")
    ).wait();
    load = nestedFixtures(world);
    await load(deployed);
  });

  /** Submits and verifies a report of `quantity` serials from `serialStart`, then sends its issuance. */
  async function issueRange(
    w: World,
    serialStart: bigint,
    quantity: bigint,
    hint = 0n,
    projectId = 1n,
  ): Promise<ContractTransactionResponse> {
    const { reportId } = await verifiedReport(w, projectId, quantity, serialStart);
    return w.registry.connect(w.registrar).issueBatch(reportId, hint);
  }

  async function batchCount(w: World): Promise<bigint> {
    return (await w.registry.counts())[3];
  }

  // ------------------------------------------------------------------ wiring

  describe("initialize", function () {
    async function bareRegistry(w: World) {
      const manager = await w.ethers.deployContract("AccessManager", [w.admin.address], w.admin);
      const registry = await w.ethers.deployContract("CarbonRegistry", [await manager.getAddress()], w.admin);
      return { manager, registry };
    }

    it("wires the registry to the credit token once and emits CreditTokenSet", async function () {
      const w = await load(deployed);
      const { manager, registry } = await bareRegistry(w);
      const credit = await w.ethers.deployContract("CarbonCredit", [
        await manager.getAddress(),
        await registry.getAddress(),
      ]);
      expect(await registry.credit()).to.equal(ZeroAddress);
      await expect(registry.connect(w.admin).initialize(await credit.getAddress()))
        .to.emit(registry, "CreditTokenSet")
        .withArgs(await credit.getAddress());
      expect(await registry.credit()).to.equal(await credit.getAddress());
    });

    it("reverts when initialized a second time", async function () {
      const w = await load(deployed);
      const creditAddress = await w.credit.getAddress();
      await expect(w.registry.connect(w.admin).initialize(creditAddress))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryAlreadyInitialized")
        .withArgs(creditAddress);
      expect(await w.registry.credit()).to.equal(creditAddress);
    });

    it("reverts when the credit token names another registry", async function () {
      const w = await load(deployed);
      const { manager, registry } = await bareRegistry(w);
      const foreign = await w.ethers.deployContract("CarbonCredit", [await manager.getAddress(), w.outsider.address]);
      await expect(registry.connect(w.admin).initialize(await foreign.getAddress()))
        .to.be.revertedWithCustomError(registry, "CarbonRegistryWrongCredit")
        .withArgs(await foreign.getAddress(), w.outsider.address);
      expect(await registry.credit()).to.equal(ZeroAddress);
    });

    it("reverts an issuance before the credit token is set", async function () {
      const w = await load(deployed);
      const { manager, registry } = await bareRegistry(w);
      await manager
        .connect(w.admin)
        .setTargetFunctionRole(
          await registry.getAddress(),
          [registry.interface.getFunction("issueBatch").selector],
          Roles.REGISTRAR,
        );
      await manager.connect(w.admin).grantRole(Roles.REGISTRAR, w.registrar.address, 0);
      await expect(registry.connect(w.registrar).issueBatch(1, 0)).to.be.revertedWithCustomError(
        registry,
        "CarbonRegistryNotInitialized",
      );
    });
  });

  // ------------------------------------------------------------------ methodologies

  describe("methodologies", function () {
    it("adds methodologies with sequential ids from 1 and emits MethodologyAdded", async function () {
      const w = await load(deployed);
      const registry = w.registry.connect(w.registrar);
      expect(await registry.addMethodology.staticCall("VM0047", Category.Removal, "ipfs://vm0047")).to.equal(1n);
      await expect(registry.addMethodology("VM0047", Category.Removal, "ipfs://vm0047"))
        .to.emit(w.registry, "MethodologyAdded")
        .withArgs(1n, "VM0047", Category.Removal, "ipfs://vm0047");
      await expect(registry.addMethodology("AMS-III.D", Category.Avoidance, "ipfs://ams"))
        .to.emit(w.registry, "MethodologyAdded")
        .withArgs(2n, "AMS-III.D", Category.Avoidance, "ipfs://ams");
      expect((await w.registry.counts())[0]).to.equal(2n);
    });

    it("stores a new methodology as active with its code, category and uri", async function () {
      const w = await load(withMethodologies);
      expect(await w.registry.getMethodology(1)).to.deep.equal([Category.Removal, true, "VM0047", "ipfs://vm0047"]);
      expect(await w.registry.getMethodology(2)).to.deep.equal([
        Category.Avoidance,
        true,
        "AMS-III.D",
        "ipfs://ams-iii-d",
      ]);
    });

    it("reverts on an empty code and adds nothing", async function () {
      const w = await load(withMethodologies);
      await expect(
        w.registry.connect(w.registrar).addMethodology("", Category.Removal, "ipfs://x"),
      ).to.be.revertedWithCustomError(w.registry, "CarbonRegistryEmptyCode");
      expect((await w.registry.counts())[0]).to.equal(2n);
    });

    it("deactivates a methodology and emits MethodologyStatusChanged", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.registrar).setMethodologyActive(1, false))
        .to.emit(w.registry, "MethodologyStatusChanged")
        .withArgs(1n, false);
      expect((await w.registry.getMethodology(1)).active).to.equal(false);
      expect((await w.registry.getMethodology(2)).active).to.equal(true);
    });

    it("reactivates a deactivated methodology", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.registrar).setMethodologyActive(1, false);
      await expect(w.registry.connect(w.registrar).setMethodologyActive(1, true))
        .to.emit(w.registry, "MethodologyStatusChanged")
        .withArgs(1n, true);
      expect((await w.registry.getMethodology(1)).active).to.equal(true);
    });

    it("reverts when activating an active methodology", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.registrar).setMethodologyActive(1, true))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryMethodologyUnchanged")
        .withArgs(1n, true);
    });

    it("reverts when deactivating an inactive methodology", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.registrar).setMethodologyActive(2, false);
      await expect(w.registry.connect(w.registrar).setMethodologyActive(2, false))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryMethodologyUnchanged")
        .withArgs(2n, false);
      expect((await w.registry.getMethodology(2)).active).to.equal(false);
    });

    it("reverts when setting the status of an unknown methodology", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.registrar).setMethodologyActive(3, false))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownMethodology")
        .withArgs(3n);
      await expect(w.registry.connect(w.registrar).setMethodologyActive(0, true))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownMethodology")
        .withArgs(0n);
    });
  });

  // ------------------------------------------------------------------ accreditation

  describe("verifier accreditation", function () {
    it("accredits a verifier for one methodology and emits VerifierAccredited", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 1))
        .to.emit(w.registry, "VerifierAccredited")
        .withArgs(w.alice.address, 1n);
      expect(await w.registry.isAccredited(w.alice.address, 1)).to.equal(true);
      expect(await w.registry.isAccredited(w.alice.address, 2)).to.equal(false);
      expect(await w.registry.isAccredited(w.bob.address, 1)).to.equal(false);
    });

    it("revokes an accreditation and emits VerifierRevoked", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 1);
      await w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 2);
      await expect(w.registry.connect(w.registrar).revokeVerifier(w.alice.address, 1))
        .to.emit(w.registry, "VerifierRevoked")
        .withArgs(w.alice.address, 1n);
      expect(await w.registry.isAccredited(w.alice.address, 1)).to.equal(false);
      expect(await w.registry.isAccredited(w.alice.address, 2)).to.equal(true);
    });

    it("reverts when accrediting the zero address", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.registrar).accreditVerifier(ZeroAddress, 1))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidVerifier")
        .withArgs(ZeroAddress);
      expect(await w.registry.isAccredited(ZeroAddress, 1)).to.equal(false);
    });

    it("reverts when accrediting for an unknown methodology", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 3))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownMethodology")
        .withArgs(3n);
      expect(await w.registry.isAccredited(w.alice.address, 3)).to.equal(false);
    });

    it("reverts when accrediting a verifier twice", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 1);
      await expect(w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 1))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryAccreditationUnchanged")
        .withArgs(w.alice.address, 1n, true);
      expect(await w.registry.isAccredited(w.alice.address, 1)).to.equal(true);
    });

    it("reverts when revoking a verifier that is not accredited", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 2);
      await expect(w.registry.connect(w.registrar).revokeVerifier(w.alice.address, 1))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryAccreditationUnchanged")
        .withArgs(w.alice.address, 1n, false);
      expect(await w.registry.isAccredited(w.alice.address, 2)).to.equal(true);
    });
  });

  // ------------------------------------------------------------------ projects

  describe("project registration", function () {
    it("registers a Pending project with the caller as proponent and emits every field", async function () {
      const w = await load(withMethodologies);
      expect(await w.registry.connect(w.alice).registerProject.staticCall(REGISTRATION)).to.equal(1n);
      await expect(w.registry.connect(w.alice).registerProject(REGISTRATION))
        .to.emit(w.registry, "ProjectRegistered")
        .withArgs(1n, w.alice.address, 1n, OTHER_STANDARD_ID, OTHER_NS, 2_500, "GS-1234", code("KE"), "ipfs://gs-1234");
      expect(await w.registry.getProject(1)).to.deep.equal([
        w.alice.address,
        1n,
        2_500n,
        BigInt(ProjectStatus.Pending),
        OTHER_STANDARD_ID,
        0n,
        code("KE"),
        0n,
        0n,
        OTHER_NS,
        OTHER_STANDARD,
        "GS-1234",
        "ipfs://gs-1234",
      ]);
    });

    it("numbers projects sequentially and records each caller as its proponent", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.alice).registerProject(REGISTRATION);
      await expect(
        w.registry.connect(w.bob).registerProject({ ...REGISTRATION, methodologyId: 2, externalRef: "GS-1235" }),
      )
        .to.emit(w.registry, "ProjectRegistered")
        .withArgs(2n, w.bob.address, 2n, OTHER_STANDARD_ID, OTHER_NS, 2_500, "GS-1235", code("KE"), "ipfs://gs-1234");
      expect((await w.registry.getProject(2)).proponent).to.equal(w.bob.address);
      expect((await w.registry.counts())[1]).to.equal(2n);
    });

    it("derives the namespace from the standard id only, as namespaceOf does", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.alice).registerProject({ ...REGISTRATION, standardId: STANDARD_ID });
      const project = await w.registry.getProject(1);
      expect([project.standardId, project.namespace, project.standard]).to.deep.equal([STANDARD_ID, NS, STANDARD]);
      expect(await w.registry.namespaceOf(STANDARD_ID)).to.equal(NS);
    });

    it("accepts a buffer of exactly 10,000 bps", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.alice).registerProject({ ...REGISTRATION, bufferBps: 10_000 });
      expect((await w.registry.getProject(1)).bufferBps).to.equal(10_000n);
    });

    it("reverts when the methodology is inactive", async function () {
      const w = await load(withMethodologies);
      await w.registry.connect(w.registrar).setMethodologyActive(1, false);
      await expect(w.registry.connect(w.alice).registerProject(REGISTRATION))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInactiveMethodology")
        .withArgs(1n);
      expect((await w.registry.counts())[1]).to.equal(0n);
    });

    it("reverts when the methodology is unknown", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.alice).registerProject({ ...REGISTRATION, methodologyId: 3 }))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownMethodology")
        .withArgs(3n);
      expect((await w.registry.counts())[1]).to.equal(0n);
    });

    it("reverts when the buffer exceeds 10,000 bps", async function () {
      const w = await load(withMethodologies);
      await expect(w.registry.connect(w.alice).registerProject({ ...REGISTRATION, bufferBps: 10_001 }))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidBuffer")
        .withArgs(10_001n);
      expect((await w.registry.counts())[1]).to.equal(0n);
    });

    it("reverts when the standard is unknown", async function () {
      const w = await load(withMethodologies);
      for (const standardId of [0n, 3n]) {
        await expect(w.registry.connect(w.alice).registerProject({ ...REGISTRATION, standardId }))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownStandard")
          .withArgs(standardId);
      }
      expect((await w.registry.counts())[1]).to.equal(0n);
    });
  });

  describe("project status", function () {
    type Status = keyof typeof ProjectStatus;
    type Action = "approveProject" | "rejectProject" | "suspendProject";

    /** Moves project 1 (Pending in withPendingProject) to `status`. */
    async function projectIn(status: Status): Promise<World> {
      const w = await load(withPendingProject);
      const registry = w.registry.connect(w.registrar);
      if (status === "Approved" || status === "Suspended") await registry.approveProject(1, REASON);
      if (status === "Suspended") await registry.suspendProject(1, REASON);
      if (status === "Rejected") await registry.rejectProject(1, REASON);
      return w;
    }

    const allowed: [Action, Status, Status, string][] = [
      ["approveProject", "Pending", "Approved", "approves a Pending project"],
      ["approveProject", "Suspended", "Approved", "reinstates a Suspended project"],
      ["rejectProject", "Pending", "Rejected", "rejects a Pending project"],
      ["suspendProject", "Approved", "Suspended", "suspends an Approved project"],
    ];
    for (const [action, from, to, title] of allowed) {
      it(`${title} and emits ProjectStatusChanged`, async function () {
        const w = await projectIn(from);
        const reason = id(`${action}-${from}`);
        await expect(w.registry.connect(w.registrar)[action](1, reason))
          .to.emit(w.registry, "ProjectStatusChanged")
          .withArgs(1n, ProjectStatus[to], reason);
        expect((await w.registry.getProject(1)).status).to.equal(BigInt(ProjectStatus[to]));
      });
    }

    const refused: [Action, Status][] = [
      ["approveProject", "Approved"],
      ["approveProject", "Rejected"],
      ["rejectProject", "Approved"],
      ["rejectProject", "Rejected"],
      ["rejectProject", "Suspended"],
      ["suspendProject", "Pending"],
      ["suspendProject", "Rejected"],
      ["suspendProject", "Suspended"],
    ];
    for (const [action, from] of refused) {
      it(`${action} reverts on a ${from} project with its current status`, async function () {
        const w = await projectIn(from);
        await expect(w.registry.connect(w.registrar)[action](1, REASON))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidProjectStatus")
          .withArgs(1n, ProjectStatus[from]);
        expect((await w.registry.getProject(1)).status).to.equal(BigInt(ProjectStatus[from]));
      });
    }

    for (const action of ["approveProject", "rejectProject", "suspendProject"] as const) {
      it(`${action} reverts on an unknown project`, async function () {
        const w = await load(withPendingProject);
        await expect(w.registry.connect(w.registrar)[action](2, REASON))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownProject")
          .withArgs(2n);
      });
    }
  });

  // ------------------------------------------------------------------ monitoring reports

  describe("report submission", function () {
    it("submits a report with sequential ids and emits ReportSubmitted", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      expect(await w.registry.connect(w.proponent).submitReport.staticCall(report)).to.equal(1n);
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.emit(w.registry, "ReportSubmitted")
        .withArgs(
          1n,
          1n,
          w.proponent.address,
          report.periodStart,
          report.periodEnd,
          1_000n,
          1_000n,
          1_999n,
          report.reportHash,
          "ipfs://report",
        );
      const second = await reportFor(w, 1n, 10n, 5_000n);
      await expect(w.registry.connect(w.proponent).submitReport(second))
        .to.emit(w.registry, "ReportSubmitted")
        .withArgs(
          2n,
          1n,
          w.proponent.address,
          second.periodStart,
          second.periodEnd,
          10n,
          5_000n,
          5_009n,
          second.reportHash,
          "ipfs://report",
        );
    });

    it("stores a submitted report with no verifier, batch or verification hash", async function () {
      const { w, report } = await load(withSubmittedReport);
      expect(await w.registry.getReport(1)).to.deep.equal([
        1n,
        report.periodStart,
        report.periodEnd,
        BigInt(ReportStatus.Submitted),
        ZeroAddress,
        0n,
        1_000n,
        1_000n,
        1_999n,
        report.reportHash,
        ZeroHash,
      ]);
    });

    it("reverts when the caller is not the proponent", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      await expect(w.registry.connect(w.alice).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryNotProponent")
        .withArgs(1n, w.alice.address);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the project is unknown", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n, { projectId: 2n });
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownProject")
        .withArgs(2n);
    });

    it("reverts when the project is not yet approved", async function () {
      const w = await load(withProject);
      await w.registry.connect(w.proponent).registerProject(REGISTRATION);
      const report = await reportFor(w, 2n, 1_000n, 1_000n);
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidProjectStatus")
        .withArgs(2n, ProjectStatus.Pending);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the project is rejected", async function () {
      const w = await load(withProject);
      await w.registry.connect(w.proponent).registerProject(REGISTRATION);
      await w.registry.connect(w.registrar).rejectProject(2, REASON);
      const report = await reportFor(w, 2n, 1_000n, 1_000n);
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidProjectStatus")
        .withArgs(2n, ProjectStatus.Rejected);
    });

    it("reverts when the project is suspended", async function () {
      const w = await load(withProject);
      await w.registry.connect(w.registrar).suspendProject(1, REASON);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidProjectStatus")
        .withArgs(1n, ProjectStatus.Suspended);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the project's methodology is inactive", async function () {
      const w = await load(withProject);
      await w.registry.connect(w.registrar).setMethodologyActive(1, false);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInactiveMethodology")
        .withArgs(1n);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the quantity is zero", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 0n, 1_000n);
      await expect(w.registry.connect(w.proponent).submitReport(report)).to.be.revertedWithCustomError(
        w.registry,
        "CarbonRegistryZeroQuantity",
      );
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the period ends when it starts", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      const bad = { ...report, periodStart: report.periodEnd };
      await expect(w.registry.connect(w.proponent).submitReport(bad))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidPeriod")
        .withArgs(report.periodEnd, report.periodEnd);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the period ends before it starts", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      const bad = { ...report, periodStart: report.periodEnd, periodEnd: report.periodEnd - 1n };
      await expect(w.registry.connect(w.proponent).submitReport(bad))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidPeriod")
        .withArgs(report.periodEnd, report.periodEnd - 1n);
    });

    it("reverts when the period ends after the block's timestamp", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      const blockTime = report.periodEnd + 100n;
      await w.connection.networkHelpers.time.setNextBlockTimestamp(blockTime);
      await expect(w.registry.connect(w.proponent).submitReport({ ...report, periodEnd: blockTime + 1n }))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidPeriod")
        .withArgs(report.periodStart, blockTime + 1n);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("accepts a period that ends at the block's timestamp", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n);
      const blockTime = report.periodEnd + 100n;
      await w.connection.networkHelpers.time.setNextBlockTimestamp(blockTime);
      await w.registry.connect(w.proponent).submitReport({ ...report, periodEnd: blockTime });
      expect((await w.registry.getReport(1)).periodEnd).to.equal(blockTime);
    });

    it("reverts when the period starts before the last issued period's end", async function () {
      const w = await load(withBatch);
      const lastEnd = (await w.registry.getProject(1)).lastIssuedPeriodEnd;
      const report = await reportFor(w, 1n, 1_000n, 2_000n, { periodStart: lastEnd - 1n });
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryPeriodAlreadyIssued")
        .withArgs(1n, lastEnd - 1n, lastEnd);
      expect((await w.registry.counts())[2]).to.equal(1n);
    });

    it("accepts a period starting exactly at the last issued period's end", async function () {
      const w = await load(withBatch);
      const lastEnd = (await w.registry.getProject(1)).lastIssuedPeriodEnd;
      const report = await reportFor(w, 1n, 1_000n, 2_000n, { periodStart: lastEnd });
      await w.registry.connect(w.proponent).submitReport(report);
      expect((await w.registry.getReport(2)).periodStart).to.equal(lastEnd);
    });

    it("reverts when the serial range is inverted", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 10n, 100n, { serialEnd: 91n });
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistrySerialRangeMismatch")
        .withArgs(10n, 100n, 91n);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the serial range is one serial short of the quantity", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 10n, 100n, { serialEnd: 108n });
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistrySerialRangeMismatch")
        .withArgs(10n, 100n, 108n);
    });

    it("reverts when the serial range is one serial longer than the quantity", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 10n, 100n, { serialEnd: 110n });
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistrySerialRangeMismatch")
        .withArgs(10n, 100n, 110n);
    });

    it("reverts when the report hash is zero", async function () {
      const w = await load(withProject);
      const report = await reportFor(w, 1n, 1_000n, 1_000n, { reportHash: ZeroHash });
      await expect(w.registry.connect(w.proponent).submitReport(report))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportHash")
        .withArgs(ZeroHash, 0n);
      expect((await w.registry.counts())[2]).to.equal(0n);
    });

    it("reverts when the report hash was already submitted, naming that report", async function () {
      const { w, report } = await load(withSubmittedReport);
      const again = await reportFor(w, 1n, 10n, 5_000n, { reportHash: report.reportHash });
      await expect(w.registry.connect(w.proponent).submitReport(again))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportHash")
        .withArgs(report.reportHash, 1n);
      expect((await w.registry.counts())[2]).to.equal(1n);
    });
  });

  describe("report verification", function () {
    /** Grants `account` the VERIFIER role. */
    async function grantVerifierRole(w: World, account: string) {
      await w.manager.connect(w.admin).grantRole(Roles.VERIFIER, account, 0);
    }

    async function expectStillSubmitted(w: World, reportId: bigint) {
      const report = await w.registry.getReport(reportId);
      expect(report.status).to.equal(BigInt(ReportStatus.Submitted));
      expect(report.verifier).to.equal(ZeroAddress);
      expect(report.verificationHash).to.equal(ZeroHash);
    }

    it("verifies a submitted report and emits ReportVerified", async function () {
      const { w } = await load(withSubmittedReport);
      const hash = id("verification");
      await expect(w.registry.connect(w.verifier).verifyReport(1, hash))
        .to.emit(w.registry, "ReportVerified")
        .withArgs(1n, 1n, w.verifier.address, hash);
      const report = await w.registry.getReport(1);
      expect(report.status).to.equal(BigInt(ReportStatus.Verified));
      expect(report.verifier).to.equal(w.verifier.address);
      expect(report.verificationHash).to.equal(hash);
    });

    it("rejects a submitted report and emits ReportRejected", async function () {
      const { w } = await load(withSubmittedReport);
      await expect(w.registry.connect(w.verifier).rejectReport(1, REASON))
        .to.emit(w.registry, "ReportRejected")
        .withArgs(1n, 1n, w.verifier.address, REASON);
      const report = await w.registry.getReport(1);
      expect(report.status).to.equal(BigInt(ReportStatus.Rejected));
      expect(report.verifier).to.equal(w.verifier.address);
      expect(report.verificationHash).to.equal(REASON);
    });

    for (const action of ["verifyReport", "rejectReport"] as const) {
      describe(action, function () {
        it("reverts for a verifier accredited for no methodology", async function () {
          const { w } = await load(withSubmittedReport);
          await grantVerifierRole(w, w.bob.address);
          await expect(w.registry.connect(w.bob)[action](1, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistryVerifierNotAccredited")
            .withArgs(w.bob.address, 1n);
          await expectStillSubmitted(w, 1n);
        });

        it("reverts for a verifier accredited only for another methodology", async function () {
          const { w } = await load(withSubmittedReport);
          await w.registry.connect(w.registrar).addMethodology("AMS-III.D", Category.Avoidance, "ipfs://ams");
          await w.registry.connect(w.registrar).accreditVerifier(w.bob.address, 2);
          await grantVerifierRole(w, w.bob.address);
          await expect(w.registry.connect(w.bob)[action](1, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistryVerifierNotAccredited")
            .withArgs(w.bob.address, 1n);
          await expectStillSubmitted(w, 1n);
        });

        it("reverts for a verifier whose accreditation was revoked", async function () {
          const { w } = await load(withSubmittedReport);
          await w.registry.connect(w.registrar).revokeVerifier(w.verifier.address, 1);
          await expect(w.registry.connect(w.verifier)[action](1, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistryVerifierNotAccredited")
            .withArgs(w.verifier.address, 1n);
          await expectStillSubmitted(w, 1n);
        });

        it("reverts when the proponent, as an accredited verifier, attests its own report", async function () {
          const { w } = await load(withSubmittedReport);
          await grantVerifierRole(w, w.proponent.address);
          await w.registry.connect(w.registrar).accreditVerifier(w.proponent.address, 1);
          await expect(w.registry.connect(w.proponent)[action](1, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistrySelfVerification")
            .withArgs(w.proponent.address, 1n);
          await expectStillSubmitted(w, 1n);
        });

        it("reverts when the hash is zero", async function () {
          const { w } = await load(withSubmittedReport);
          await expect(w.registry.connect(w.verifier)[action](1, ZeroHash)).to.be.revertedWithCustomError(
            w.registry,
            "CarbonRegistryZeroHash",
          );
          await expectStillSubmitted(w, 1n);
        });

        it("reverts on a verified report", async function () {
          const { w } = await load(withVerifiedReport);
          await expect(w.registry.connect(w.verifier)[action](1, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportStatus")
            .withArgs(1n, ReportStatus.Verified);
        });

        it("reverts on a rejected report", async function () {
          const { w } = await load(withSubmittedReport);
          await w.registry.connect(w.verifier).rejectReport(1, id("first rejection"));
          await expect(w.registry.connect(w.verifier)[action](1, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportStatus")
            .withArgs(1n, ReportStatus.Rejected);
          expect((await w.registry.getReport(1)).verificationHash).to.equal(id("first rejection"));
        });

        it("reverts on an issued report", async function () {
          const w = await load(withBatch);
          await expect(w.registry.connect(w.verifier)[action](1, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportStatus")
            .withArgs(1n, ReportStatus.Issued);
        });

        it("reverts on an unknown report", async function () {
          const { w } = await load(withSubmittedReport);
          await expect(w.registry.connect(w.verifier)[action](2, REASON))
            .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownReport")
            .withArgs(2n);
        });
      });
    }
  });

  // ------------------------------------------------------------------ issuance

  describe("issuance", function () {
    it("issues a verified report as batch 1 and emits BatchIssued with every field", async function () {
      const { w, report } = await load(withVerifiedReport);
      const registryAddress = await w.registry.getAddress();
      expect(await w.registry.connect(w.registrar).issueBatch.staticCall(1, 0)).to.equal(1n);
      const tx = w.registry.connect(w.registrar).issueBatch(1, 0);
      await expect(tx)
        .to.emit(w.registry, "BatchIssued")
        .withArgs(1n, 1n, 1n, NS, 1_000n, 1_999n, report.periodStart, report.periodEnd, 800n, 200n, 0n);
      await expect(tx)
        .to.emit(w.credit, "BatchMinted")
        .withArgs(1n, w.proponent.address, 1_000n, registryAddress, 200n);
    });

    it("sends quantity minus the buffer to the proponent and the buffer to the registry", async function () {
      const { w } = await load(withVerifiedReport);
      const registryAddress = await w.registry.getAddress();
      await w.registry.connect(w.registrar).issueBatch(1, 0);
      expect(await w.credit.balanceOf(w.proponent.address, 1)).to.equal(800n);
      expect(await w.credit.balanceOf(registryAddress, 1)).to.equal(200n);
      expect(await w.credit.supplyOf(1)).to.deep.equal([1_000n, 0n, 0n]);
      expect(await w.registry.bufferBalance(1)).to.equal(200n);
    });

    it("rounds the buffer share up: 1,001 units at 20% put 201 in the buffer", async function () {
      const w = await load(withProject);
      await expect(issueRange(w, 1_000n, 1_001n))
        .to.emit(w.registry, "BatchIssued")
        .withArgs(1n, 1n, 1n, NS, 1_000n, 2_000n, ANY_TIME, ANY_TIME, 800n, 201n, 0n);
      expect(await w.credit.balanceOf(w.proponent.address, 1)).to.equal(800n);
      expect(await w.credit.balanceOf(await w.registry.getAddress(), 1)).to.equal(201n);
    });

    it("rounds a one-unit issuance's buffer up to the whole unit", async function () {
      const w = await load(withProject);
      await (await issueRange(w, 1n, 1n)).wait();
      expect(await w.credit.balanceOf(w.proponent.address, 1)).to.equal(0n);
      expect(await w.credit.balanceOf(await w.registry.getAddress(), 1)).to.equal(1n);
      expect(await w.registry.bufferBalance(1)).to.equal(1n);
    });

    it("sends everything to the proponent when the buffer is 0 bps", async function () {
      const w = await load(withProject);
      const project = await extraProject(w, OTHER_STANDARD, 0);
      await (await issueRange(w, 1n, 999n, 0n, project)).wait();
      expect(await w.credit.balanceOf(w.proponent.address, 1)).to.equal(999n);
      expect(await w.credit.balanceOf(await w.registry.getAddress(), 1)).to.equal(0n);
      expect(await w.registry.bufferBalance(project)).to.equal(0n);
    });

    it("sends everything to the buffer when the buffer is 10,000 bps", async function () {
      const w = await load(withProject);
      const project = await extraProject(w, OTHER_STANDARD, 10_000);
      await (await issueRange(w, 1n, 999n, 0n, project)).wait();
      expect(await w.credit.balanceOf(w.proponent.address, 1)).to.equal(0n);
      expect(await w.credit.balanceOf(await w.registry.getAddress(), 1)).to.equal(999n);
    });

    it("marks the report Issued with its batch id and records the batch", async function () {
      const { w, report } = await load(withVerifiedReport);
      await w.registry.connect(w.registrar).issueBatch(1, 0);
      const stored = await w.registry.getReport(1);
      expect(stored.status).to.equal(BigInt(ReportStatus.Issued));
      expect(stored.batchId).to.equal(1n);
      expect(await w.registry.getBatch(1)).to.deep.equal([
        1n,
        1n,
        report.periodStart,
        report.periodEnd,
        1_000n,
        1_999n,
        0n,
        200n,
        BigInt(Authorisation.None),
        BigInt(Adjustment.NotApplicable),
      ]);
      expect((await w.registry.getProject(1)).lastIssuedPeriodEnd).to.equal(report.periodEnd);
      expect(await w.registry.projectBatches(1)).to.deep.equal([1n]);
    });

    it("numbers batches sequentially and links each to the previous range", async function () {
      const w = await load(withBatch);
      await expect(issueRange(w, 2_000n, 500n))
        .to.emit(w.registry, "BatchIssued")
        .withArgs(2n, 1n, 2n, NS, 2_000n, 2_499n, ANY_TIME, ANY_TIME, 400n, 100n, 1n);
      expect(await batchCount(w)).to.equal(2n);
      expect((await w.registry.getBatch(1)).nextInNamespace).to.equal(2n);
    });

    it("reverts when the report was already issued", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.registrar).issueBatch(1, 0))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportStatus")
        .withArgs(1n, ReportStatus.Issued);
      expect(await batchCount(w)).to.equal(1n);
      expect((await w.credit.supplyOf(1)).issued).to.equal(1_000n);
    });

    it("reverts when the report is only submitted", async function () {
      const { w } = await load(withSubmittedReport);
      await expect(w.registry.connect(w.registrar).issueBatch(1, 0))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportStatus")
        .withArgs(1n, ReportStatus.Submitted);
      expect(await batchCount(w)).to.equal(0n);
    });

    it("reverts when the report was rejected", async function () {
      const { w } = await load(withSubmittedReport);
      await w.registry.connect(w.verifier).rejectReport(1, REASON);
      await expect(w.registry.connect(w.registrar).issueBatch(1, 0))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidReportStatus")
        .withArgs(1n, ReportStatus.Rejected);
      expect(await batchCount(w)).to.equal(0n);
    });

    it("reverts when the report is unknown", async function () {
      const { w } = await load(withVerifiedReport);
      await expect(w.registry.connect(w.registrar).issueBatch(2, 0))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownReport")
        .withArgs(2n);
    });

    it("reverts when the project is suspended, and issues once it is reinstated", async function () {
      const { w } = await load(withVerifiedReport);
      await w.registry.connect(w.registrar).suspendProject(1, REASON);
      await expect(w.registry.connect(w.registrar).issueBatch(1, 0))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidProjectStatus")
        .withArgs(1n, ProjectStatus.Suspended);
      expect(await batchCount(w)).to.equal(0n);
      expect(await w.credit.exists(1)).to.equal(false);
      expect((await w.registry.getReport(1)).status).to.equal(BigInt(ReportStatus.Verified));

      await w.registry.connect(w.registrar).approveProject(1, REASON);
      await w.registry.connect(w.registrar).issueBatch(1, 0);
      expect(await w.credit.exists(1)).to.equal(true);
    });

    it("reverts when a report verified out of order covers an already issued period", async function () {
      const w = await load(withProject);
      const first = await verifiedReport(w, 1n, 100n, 1_000n);
      const second = await verifiedReport(w, 1n, 100n, 2_000n);
      await w.registry.connect(w.registrar).issueBatch(second.reportId, 0);
      await expect(w.registry.connect(w.registrar).issueBatch(first.reportId, 0))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryPeriodAlreadyIssued")
        .withArgs(1n, first.report.periodStart, second.report.periodEnd);
      expect(await batchCount(w)).to.equal(1n);
    });
  });

  // ------------------------------------------------------------------ serial ranges

  describe("serial ranges", function () {
    async function expectOverlap(w: World, serialStart: bigint, serialEnd: bigint, batchId: bigint, hint = 0n) {
      const batch = await w.registry.getBatch(batchId);
      const before = await w.registry.getNamespace(NS);
      await expect(issueRange(w, serialStart, serialEnd - serialStart + 1n, hint))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistrySerialOverlap")
        .withArgs(NS, serialStart, serialEnd, batchId, batch.serialStart, batch.serialEnd);
      expect(await w.registry.getNamespace(NS)).to.deep.equal(before);
      expect(await batchCount(w)).to.equal(before.count);
    }

    describe("overlap", function () {
      it("reverts when the range overlaps an existing batch on the left", async function () {
        await expectOverlap(await load(withBatch), 500n, 1_499n, 1n);
      });

      it("reverts when the range overlaps an existing batch on the right", async function () {
        await expectOverlap(await load(withBatch), 1_500n, 2_499n, 1n);
      });

      it("reverts when the range contains an existing batch", async function () {
        await expectOverlap(await load(withBatch), 500n, 2_499n, 1n);
      });

      it("reverts when the range lies inside an existing batch", async function () {
        await expectOverlap(await load(withBatch), 1_200n, 1_299n, 1n);
      });

      it("reverts when the range equals an existing batch's range", async function () {
        await expectOverlap(await load(withBatch), 1_000n, 1_999n, 1n);
      });

      it("reverts when the range shares only the first serial of an existing batch", async function () {
        await expectOverlap(await load(withBatch), 900n, 1_000n, 1n);
      });

      it("reverts when the range shares only the last serial of an existing batch", async function () {
        await expectOverlap(await load(withBatch), 1_999n, 2_100n, 1n);
      });

      it("reverts when another project of the same standard holds the range", async function () {
        const w = await load(withBatch);
        const project = await extraProject(w, STANDARD);
        await expect(issueRange(w, 1_500n, 1_000n, 0n, project))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistrySerialOverlap")
          .withArgs(NS, 1_500n, 2_499n, 1n, 1_000n, 1_999n);
      });

      it("reverts when the range overlaps a batch further along the list", async function () {
        await expectOverlap(await load(withThreeRanges), 8_000n, 9_000n, 3n);
      });

      it("reverts when the range overlaps a batch reached by walking forward from the hint", async function () {
        await expectOverlap(await load(withThreeRanges), 5_500n, 6_499n, 2n, 1n);
      });

      it("reverts with the overlap when the hint itself clashes with the range", async function () {
        await expectOverlap(await load(withThreeRanges), 5_500n, 6_499n, 2n, 2n);
      });

      it("accepts a range that starts right after an existing batch ends", async function () {
        const w = await load(withBatch);
        await expect(issueRange(w, 2_000n, 1_000n))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(2n, 1n, 2n, NS, 2_000n, 2_999n, ANY_TIME, ANY_TIME, 800n, 200n, 1n);
      });

      it("accepts a range that ends right before an existing batch starts", async function () {
        const w = await load(withBatch);
        await expect(issueRange(w, 500n, 500n))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(2n, 1n, 2n, NS, 500n, 999n, ANY_TIME, ANY_TIME, 400n, 100n, 0n);
        expect(await w.registry.getNamespace(NS)).to.deep.equal([2n, 1n, 2n]);
      });

      it("lets ranges of another standard's namespace overlap freely", async function () {
        const w = await load(withBatch);
        const project = await extraProject(w, OTHER_STANDARD);
        await expect(issueRange(w, 1_000n, 1_000n, 0n, project))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(2n, project, 2n, OTHER_NS, 1_000n, 1_999n, ANY_TIME, ANY_TIME, 800n, 200n, 0n);
        expect(await w.registry.getNamespace(OTHER_NS)).to.deep.equal([2n, 2n, 1n]);
        expect(await w.registry.getNamespace(NS)).to.deep.equal([1n, 1n, 1n]);
      });

      it("keeps blocking the range of a batch whose buffer was cancelled by a reversal", async function () {
        const w = await load(withBatch);
        await w.registry.connect(w.registrar).recordReversal(1, 200, REASON);
        expect((await w.credit.supplyOf(1)).cancelled).to.equal(200n);
        await expectOverlap(w, 1_800n, 2_799n, 1n);
      });

      it("keeps blocking the range of a suspended batch", async function () {
        const w = await load(withBatch);
        await w.registry.connect(w.registrar).suspendBatch(1, REASON);
        await expectOverlap(w, 1_800n, 2_799n, 1n);
      });
    });

    describe("out-of-order insertion", function () {
      it("inserts between two ranges with the exact hint", async function () {
        const w = await load(withThreeRanges);
        await expect(issueRange(w, 3_000n, 1_000n, 1n))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(4n, 1n, 4n, NS, 3_000n, 3_999n, ANY_TIME, ANY_TIME, 800n, 200n, 1n);
        expect((await w.registry.serialRanges(NS, 0, 10))[0]).to.deep.equal([1n, 4n, 2n, 3n]);
        expect((await w.registry.getBatch(1)).nextInNamespace).to.equal(4n);
        expect((await w.registry.getBatch(4)).nextInNamespace).to.equal(2n);
      });

      it("inserts between two ranges with hint 0 by walking from the head", async function () {
        const w = await load(withThreeRanges);
        await expect(issueRange(w, 3_000n, 1_000n, 0n))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(4n, 1n, 4n, NS, 3_000n, 3_999n, ANY_TIME, ANY_TIME, 800n, 200n, 1n);
        expect((await w.registry.serialRanges(NS, 0, 10))[0]).to.deep.equal([1n, 4n, 2n, 3n]);
      });

      it("inserts with a stale hint by walking forward from it", async function () {
        const w = await load(withThreeRanges);
        await expect(issueRange(w, 7_000n, 1_000n, 1n))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(4n, 1n, 4n, NS, 7_000n, 7_999n, ANY_TIME, ANY_TIME, 800n, 200n, 2n);
        expect((await w.registry.serialRanges(NS, 0, 10))[0]).to.deep.equal([1n, 2n, 4n, 3n]);
      });

      it("inserts before every range as the new head", async function () {
        const w = await load(withThreeRanges);
        await expect(issueRange(w, 0n, 1_000n, 0n))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(4n, 1n, 4n, NS, 0n, 999n, ANY_TIME, ANY_TIME, 800n, 200n, 0n);
        expect(await w.registry.getNamespace(NS)).to.deep.equal([4n, 3n, 4n]);
        expect((await w.registry.getBatch(4)).nextInNamespace).to.equal(1n);
      });

      it("appends after every range with no hint, as the new tail", async function () {
        const w = await load(withThreeRanges);
        await expect(issueRange(w, 10_000n, 1_000n))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(4n, 1n, 4n, NS, 10_000n, 10_999n, ANY_TIME, ANY_TIME, 800n, 200n, 3n);
        expect(await w.registry.getNamespace(NS)).to.deep.equal([1n, 4n, 4n]);
        expect((await w.registry.getBatch(3)).nextInNamespace).to.equal(4n);
      });

      it("reverts when the hint is a batch of another namespace", async function () {
        const w = await load(withThreeRanges);
        const project = await extraProject(w, OTHER_STANDARD);
        await issue(w, project, 100n, 1n);
        await expect(issueRange(w, 3_000n, 1_000n, 4n))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidSerialHint")
          .withArgs(4n);
        expect((await w.registry.getNamespace(NS)).count).to.equal(3n);
      });

      it("reverts when the hint lies after the new range", async function () {
        const w = await load(withThreeRanges);
        await expect(issueRange(w, 3_000n, 1_000n, 2n))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidSerialHint")
          .withArgs(2n);
        expect((await w.registry.getNamespace(NS)).count).to.equal(3n);
      });

      it("reverts when the hint is a batch that does not exist", async function () {
        const w = await load(withThreeRanges);
        await expect(issueRange(w, 3_000n, 1_000n, 99n))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidSerialHint")
          .withArgs(99n);
        expect((await w.registry.getNamespace(NS)).count).to.equal(3n);
      });
    });

    describe("views", function () {
      it("getNamespace reports head, tail and count", async function () {
        const w = await load(withThreeRanges);
        expect(await w.registry.getNamespace(NS)).to.deep.equal([1n, 3n, 3n]);
        expect(await w.registry.getNamespace(OTHER_NS)).to.deep.equal([0n, 0n, 0n]);
      });

      it("findSerialHint returns the preceding batch and no clash for a free gap", async function () {
        const w = await load(withThreeRanges);
        expect(await w.registry.findSerialHint(NS, 3_000n, 3_999n)).to.deep.equal([1n, 0n]);
        expect(await w.registry.findSerialHint(NS, 6_000n, 8_999n)).to.deep.equal([2n, 0n]);
      });

      it("findSerialHint returns the first clashing batch", async function () {
        const w = await load(withThreeRanges);
        expect(await w.registry.findSerialHint(NS, 5_500n, 6_499n)).to.deep.equal([1n, 2n]);
        expect(await w.registry.findSerialHint(NS, 4_000n, 9_500n)).to.deep.equal([1n, 2n]);
        expect(await w.registry.findSerialHint(NS, 0n, 1_000n)).to.deep.equal([0n, 1n]);
      });

      it("findSerialHint returns 0 before the head and the tail after every range", async function () {
        const w = await load(withThreeRanges);
        expect(await w.registry.findSerialHint(NS, 0n, 999n)).to.deep.equal([0n, 0n]);
        expect(await w.registry.findSerialHint(NS, 10_000n, 10_999n)).to.deep.equal([3n, 0n]);
        expect(await w.registry.findSerialHint(OTHER_NS, 1_000n, 1_999n)).to.deep.equal([0n, 0n]);
      });

      it("findSerialHint's hint lets issueBatch insert the range after it", async function () {
        const w = await load(withThreeRanges);
        const [hint] = await w.registry.findSerialHint(NS, 6_000n, 6_999n);
        await expect(issueRange(w, 6_000n, 1_000n, hint))
          .to.emit(w.registry, "BatchIssued")
          .withArgs(4n, 1n, 4n, NS, 6_000n, 6_999n, ANY_TIME, ANY_TIME, 800n, 200n, 2n);
      });

      it("serialRanges lists a namespace's batches in serial order, not issuance order", async function () {
        const w = await load(withThreeRanges);
        await (await issueRange(w, 0n, 500n)).wait();
        await (await issueRange(w, 3_000n, 1_000n, 1n)).wait();
        expect(await w.registry.serialRanges(NS, 0, 10)).to.deep.equal([[4n, 1n, 5n, 2n, 3n], 0n]);
      });

      it("serialRanges returns at most `limit` batches from the start", async function () {
        const w = await load(withThreeRanges);
        await (await issueRange(w, 3_000n, 1_000n, 1n)).wait();
        expect((await w.registry.serialRanges(NS, 0, 2))[0]).to.deep.equal([1n, 4n]);
        expect((await w.registry.serialRanges(NS, 0, 1))[0]).to.deep.equal([1n]);
      });

      it("serialRanges starts after the cursor batch", async function () {
        const w = await load(withThreeRanges);
        await (await issueRange(w, 3_000n, 1_000n, 1n)).wait();
        expect(await w.registry.serialRanges(NS, 4, 10)).to.deep.equal([[2n, 3n], 0n]);
        expect(await w.registry.serialRanges(NS, 1, 10)).to.deep.equal([[4n, 2n, 3n], 0n]);
        expect(await w.registry.serialRanges(NS, 3, 10)).to.deep.equal([[], 0n]);
      });

      it("serialRanges pages through the whole list with the returned cursor, skipping nothing", async function () {
        const w = await load(withThreeRanges);
        await (await issueRange(w, 0n, 500n)).wait();
        await (await issueRange(w, 3_000n, 1_000n, 1n)).wait();
        expect(await w.registry.serialRanges(NS, 0, 2)).to.deep.equal([[4n, 1n], 1n]);
        expect(await w.registry.serialRanges(NS, 1, 2)).to.deep.equal([[5n, 2n], 2n]);
        expect(await w.registry.serialRanges(NS, 2, 2)).to.deep.equal([[3n], 0n]);
        expect(await w.registry.serialRanges(NS, 0, 0)).to.deep.equal([[], 0n]);
      });

      it("serialRanges refuses a cursor of another namespace or an unknown batch", async function () {
        const w = await load(withThreeRanges);
        await expect(w.registry.serialRanges(OTHER_NS, 1, 10))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryCursorNotInNamespace")
          .withArgs(1n, OTHER_NS);
        await expect(w.registry.serialRanges(NS, 99, 10))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownBatch")
          .withArgs(99n);
      });

      it("serialRanges returns next 0 when the page reaches the end of the list", async function () {
        const w = await load(withThreeRanges);
        expect(await w.registry.serialRanges(NS, 0, 3)).to.deep.equal([[1n, 2n, 3n], 0n]);
        expect(await w.registry.serialRanges(NS, 2, 1)).to.deep.equal([[3n], 0n]);
        expect(await w.registry.serialRanges(OTHER_NS, 0, 10)).to.deep.equal([[], 0n]);
      });
    });
  });

  // ------------------------------------------------------------------ buffer pool and reversals

  describe("buffer and reversals", function () {
    async function registryBalance(w: World, batchId: bigint): Promise<bigint> {
      return w.credit.balanceOf(await w.registry.getAddress(), batchId);
    }

    it("holds each batch's buffer share in the registry's own balance", async function () {
      const w = await load(withThreeBuffers);
      const registryAddress = await w.registry.getAddress();
      const balances = await w.credit.balanceOfBatch([registryAddress, registryAddress, registryAddress], [1, 2, 3]);
      expect(balances).to.deep.equal([200n, 100n, 200n]);
      expect(await w.registry.bufferBalance(1)).to.equal(500n);
    });

    it("draws a reversal from the oldest batch's buffer first, across batches", async function () {
      const w = await load(withThreeBuffers);
      const tx = await w.registry.connect(w.registrar).recordReversal(1, 250, REASON);
      await expect(tx).to.emit(w.registry, "BufferCancelled").withArgs(1n, 1n, 200n);
      await expect(tx).to.emit(w.registry, "BufferCancelled").withArgs(2n, 1n, 50n);
      await expect(tx).to.emit(w.registry, "ReversalRecorded").withArgs(1n, 250n, 250n, 0n, 0n, REASON);
      expect((await eventsOf(tx, w.registry, "BufferCancelled")).map((e) => e.batchId)).to.deep.equal([1n, 2n]);
    });

    it("cancels the drawn units in the credit token and lowers the buffer balance", async function () {
      const w = await load(withThreeBuffers);
      await w.registry.connect(w.registrar).recordReversal(1, 250, REASON);
      expect((await w.credit.supplyOf(1)).cancelled).to.equal(200n);
      expect((await w.credit.supplyOf(2)).cancelled).to.equal(50n);
      expect((await w.credit.supplyOf(3)).cancelled).to.equal(0n);
      expect(await registryBalance(w, 1n)).to.equal(0n);
      expect(await registryBalance(w, 2n)).to.equal(50n);
      expect(await registryBalance(w, 3n)).to.equal(200n);
      expect((await w.registry.getBatch(2)).bufferRemaining).to.equal(50n);
      expect(await w.registry.bufferBalance(1)).to.equal(250n);
      const project = await w.registry.getProject(1);
      expect(project.reversed).to.equal(250n);
      expect(project.reversalShortfall).to.equal(0n);
    });

    it("draws a reversal smaller than the oldest buffer from that batch only", async function () {
      const w = await load(withThreeBuffers);
      const tx = await w.registry.connect(w.registrar).recordReversal(1, 150, REASON);
      expect((await eventsOf(tx, w.registry, "BufferCancelled")).map((e) => [e.batchId, e.amount])).to.deep.equal([
        [1n, 150n],
      ]);
      expect((await w.registry.getBatch(1)).bufferRemaining).to.equal(50n);
      expect(await w.registry.bufferBalance(1)).to.equal(350n);
    });

    it("continues a later reversal where the previous one stopped", async function () {
      const w = await load(withThreeBuffers);
      await w.registry.connect(w.registrar).recordReversal(1, 250, REASON);
      const tx = await w.registry.connect(w.registrar).recordReversal(1, 100, REASON);
      expect((await eventsOf(tx, w.registry, "BufferCancelled")).map((e) => [e.batchId, e.amount])).to.deep.equal([
        [2n, 50n],
        [3n, 50n],
      ]);
      expect(await w.registry.bufferBalance(1)).to.equal(150n);
      expect((await w.registry.getProject(1)).reversed).to.equal(350n);
    });

    it("records what the buffer cannot cover as shortfall", async function () {
      const w = await load(withThreeBuffers);
      const tx = await w.registry.connect(w.registrar).recordReversal(1, 700, REASON);
      await expect(tx).to.emit(w.registry, "ReversalRecorded").withArgs(1n, 700n, 500n, 200n, 200n, REASON);
      expect((await eventsOf(tx, w.registry, "BufferCancelled")).map((e) => [e.batchId, e.amount])).to.deep.equal([
        [1n, 200n],
        [2n, 100n],
        [3n, 200n],
      ]);
      const project = await w.registry.getProject(1);
      expect(project.reversalShortfall).to.equal(200n);
      expect(project.reversed).to.equal(700n);
      expect(await w.registry.bufferBalance(1)).to.equal(0n);
    });

    it("adds a reversal on an empty buffer entirely to the shortfall", async function () {
      const w = await load(withThreeBuffers);
      await w.registry.connect(w.registrar).recordReversal(1, 700, REASON);
      const tx = await w.registry.connect(w.registrar).recordReversal(1, 50, id("second"));
      await expect(tx).to.emit(w.registry, "ReversalRecorded").withArgs(1n, 50n, 0n, 50n, 250n, id("second"));
      expect(await eventsOf(tx, w.registry, "BufferCancelled")).to.have.length(0);
      expect((await w.registry.getProject(1)).reversalShortfall).to.equal(250n);
      expect((await w.registry.getProject(1)).reversed).to.equal(750n);
    });

    it("records a reversal on a project with no batch as shortfall", async function () {
      const w = await load(withProject);
      await expect(w.registry.connect(w.registrar).recordReversal(1, 100, REASON))
        .to.emit(w.registry, "ReversalRecorded")
        .withArgs(1n, 100n, 0n, 100n, 100n, REASON);
      expect((await w.registry.getProject(1)).reversalShortfall).to.equal(100n);
    });

    it("repays the shortfall from a later issuance's fresh buffer", async function () {
      const w = await load(withThreeBuffers);
      await w.registry.connect(w.registrar).recordReversal(1, 700, REASON);
      const tx = await issueRange(w, 10_000n, 500n);
      await expect(tx).to.emit(w.registry, "ShortfallRepaid").withArgs(1n, 4n, 100n, 100n);
      await expect(tx)
        .to.emit(w.registry, "BatchIssued")
        .withArgs(4n, 1n, 4n, NS, 10_000n, 10_499n, ANY_TIME, ANY_TIME, 400n, 100n, 3n);
      expect((await w.registry.getProject(1)).reversalShortfall).to.equal(100n);
      expect((await w.registry.getBatch(4)).bufferRemaining).to.equal(0n);
      expect((await w.credit.supplyOf(4)).cancelled).to.equal(100n);
      expect(await registryBalance(w, 4n)).to.equal(0n);
      expect(await w.credit.balanceOf(w.proponent.address, 4)).to.equal(400n);
      expect(await w.registry.bufferBalance(1)).to.equal(0n);
    });

    it("repays the rest of the shortfall and keeps the remaining buffer", async function () {
      const w = await load(withThreeBuffers);
      await w.registry.connect(w.registrar).recordReversal(1, 700, REASON);
      await (await issueRange(w, 10_000n, 500n)).wait();
      await expect(issueRange(w, 20_000n, 2_000n))
        .to.emit(w.registry, "ShortfallRepaid")
        .withArgs(1n, 5n, 100n, 0n);
      expect((await w.registry.getProject(1)).reversalShortfall).to.equal(0n);
      expect((await w.registry.getBatch(5)).bufferRemaining).to.equal(300n);
      expect(await registryBalance(w, 5n)).to.equal(300n);
      expect(await w.registry.bufferBalance(1)).to.equal(300n);
    });

    it("draws a reversal after repayment from the fresh buffer", async function () {
      const w = await load(withThreeBuffers);
      await w.registry.connect(w.registrar).recordReversal(1, 700, REASON);
      await (await issueRange(w, 10_000n, 500n)).wait();
      await (await issueRange(w, 20_000n, 2_000n)).wait();
      const tx = await w.registry.connect(w.registrar).recordReversal(1, 50, REASON);
      expect((await eventsOf(tx, w.registry, "BufferCancelled")).map((e) => [e.batchId, e.amount])).to.deep.equal([
        [5n, 50n],
      ]);
      expect(await w.registry.bufferBalance(1)).to.equal(250n);
    });

    it("emits no ShortfallRepaid when the project owes nothing", async function () {
      const w = await load(withBatch);
      await expect(issueRange(w, 2_000n, 1_000n)).not.to.emit(w.registry, "ShortfallRepaid");
      expect((await w.registry.getBatch(2)).bufferRemaining).to.equal(200n);
    });

    it("covers a reversal from the buffer of a suspended batch", async function () {
      const w = await load(withBatch);
      await w.registry.connect(w.registrar).suspendBatch(1, REASON);
      await expect(w.registry.connect(w.registrar).recordReversal(1, 100, REASON))
        .to.emit(w.registry, "BufferCancelled")
        .withArgs(1n, 1n, 100n);
      expect((await w.credit.supplyOf(1)).cancelled).to.equal(100n);
    });

    it("reverts when the reversal amount is zero", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.registrar).recordReversal(1, 0, REASON)).to.be.revertedWithCustomError(
        w.registry,
        "CarbonRegistryZeroReversal",
      );
      expect(await w.registry.bufferBalance(1)).to.equal(200n);
      expect((await w.registry.getProject(1)).reversed).to.equal(0n);
    });

    it("reverts when the project is unknown", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.registrar).recordReversal(2, 100, REASON))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownProject")
        .withArgs(2n);
    });
  });

  // ------------------------------------------------------------------ batch suspension

  describe("batch suspension", function () {
    it("suspends a batch in the credit token and emits BatchSuspended", async function () {
      const w = await load(withBatch);
      const tx = w.registry.connect(w.registrar).suspendBatch(1, REASON);
      await expect(tx).to.emit(w.registry, "BatchSuspended").withArgs(1n, REASON);
      await expect(tx).to.emit(w.credit, "SuspensionChanged").withArgs(1n, true);
      expect(await w.credit.isSuspended(1)).to.equal(true);
    });

    it("reinstates a suspended batch and emits BatchReinstated", async function () {
      const w = await load(withBatch);
      await w.registry.connect(w.registrar).suspendBatch(1, REASON);
      const tx = w.registry.connect(w.registrar).reinstateBatch(1, id("cleared"));
      await expect(tx).to.emit(w.registry, "BatchReinstated").withArgs(1n, id("cleared"));
      await expect(tx).to.emit(w.credit, "SuspensionChanged").withArgs(1n, false);
      expect(await w.credit.isSuspended(1)).to.equal(false);
    });

    it("reverts when suspending a suspended batch", async function () {
      const w = await load(withBatch);
      await w.registry.connect(w.registrar).suspendBatch(1, REASON);
      await expect(w.registry.connect(w.registrar).suspendBatch(1, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditSuspensionUnchanged")
        .withArgs(1n, true);
      expect(await w.credit.isSuspended(1)).to.equal(true);
    });

    it("reverts when reinstating a batch that is not suspended", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.registrar).reinstateBatch(1, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditSuspensionUnchanged")
        .withArgs(1n, false);
      expect(await w.credit.isSuspended(1)).to.equal(false);
    });

    for (const action of ["suspendBatch", "reinstateBatch"] as const) {
      it(`${action} reverts on an unknown batch`, async function () {
        const w = await load(withBatch);
        await expect(w.registry.connect(w.registrar)[action](2, REASON))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownBatch")
          .withArgs(2n);
      });
    }
  });

  // ------------------------------------------------------------------ Article 6

  describe("Article 6", function () {
    it("sets a batch's authorisation and adjustment and emits Article6StatusSet", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Pending))
        .to.emit(w.registry, "Article6StatusSet")
        .withArgs(1n, Authorisation.NDC, Adjustment.Pending);
      const batch = await w.registry.getBatch(1);
      expect(batch.authorisation).to.equal(BigInt(Authorisation.NDC));
      expect(batch.adjustment).to.equal(BigInt(Adjustment.Pending));
    });

    it("moves an authorised batch's adjustment to Applied", async function () {
      const w = await load(withBatch);
      await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.OIMP, Adjustment.Pending);
      await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.OIMP, Adjustment.Applied);
      const batch = await w.registry.getBatch(1);
      expect(batch.authorisation).to.equal(BigInt(Authorisation.OIMP));
      expect(batch.adjustment).to.equal(BigInt(Adjustment.Applied));
    });

    it("clears a batch's Article 6 status back to None and NotApplicable", async function () {
      const w = await load(withBatch);
      await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Applied);
      await expect(w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.None, Adjustment.NotApplicable))
        .to.emit(w.registry, "Article6StatusSet")
        .withArgs(1n, Authorisation.None, Adjustment.NotApplicable);
      const batch = await w.registry.getBatch(1);
      expect(batch.authorisation).to.equal(BigInt(Authorisation.None));
      expect(batch.adjustment).to.equal(BigInt(Adjustment.NotApplicable));
    });

    const inconsistent: [keyof typeof Authorisation, keyof typeof Adjustment, string][] = [
      ["None", "Pending", "a Pending adjustment without authorisation"],
      ["None", "Applied", "an Applied adjustment without authorisation"],
      ["NDC", "NotApplicable", "an NDC authorisation without adjustment"],
      ["OIMP", "NotApplicable", "an OIMP authorisation without adjustment"],
    ];
    for (const [authorisation, adjustment, title] of inconsistent) {
      it(`reverts on ${title} and keeps the previous status`, async function () {
        const w = await load(withBatch);
        await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Pending);
        await expect(
          w.registry.connect(w.registrar).setArticle6Status(1, Authorisation[authorisation], Adjustment[adjustment]),
        )
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidArticle6")
          .withArgs(Authorisation[authorisation], Adjustment[adjustment]);
        const batch = await w.registry.getBatch(1);
        expect(batch.authorisation).to.equal(BigInt(Authorisation.NDC));
        expect(batch.adjustment).to.equal(BigInt(Adjustment.Pending));
      });
    }

    it("reverts on an unknown batch", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.registrar).setArticle6Status(2, Authorisation.NDC, Adjustment.Pending))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownBatch")
        .withArgs(2n);
    });
  });

  // ------------------------------------------------------------------ batch profile

  describe("batchProfile and jurisdictionCode", function () {
    // Batch 2 of `withAvoidanceBatch`: project 2 (methodology 2, avoidance, "KE"), monitored over 2020.
    const YEAR_2020 = BigInt(Date.UTC(2020, 0, 1) / 1_000);
    const YEAR_2021 = BigInt(Date.UTC(2021, 0, 1) / 1_000);

    /** withVerifiedReport plus batch 1 issued from report 1; returns the report as submitted. */
    async function withProfiledBatch() {
      const ctx = await load(withVerifiedReport);
      await (await ctx.w.registry.connect(ctx.w.registrar).issueBatch(ctx.reportId, 0n)).wait();
      return ctx;
    }

    /** withProfiledBatch plus methodology 2 (avoidance), project 2 under it in "KE", and its batch 2 of 2020. */
    async function withAvoidanceBatch() {
      const ctx = await load(withProfiledBatch);
      const { w } = ctx;
      await (
        await w.registry.connect(w.registrar).addMethodology("AMS-III.D", Category.Avoidance, "ipfs://ams")
      ).wait();
      await (await w.registry.connect(w.registrar).accreditVerifier(w.verifier.address, 2n)).wait();
      await (await w.registry.connect(w.proponent).registerProject({ ...REGISTRATION, methodologyId: 2 })).wait();
      await (await w.registry.connect(w.registrar).approveProject(2n, REASON)).wait();
      const batchId = await issue(w, 2n, 100n, 1n, {
        periodStart: Number(YEAR_2020),
        periodEnd: Number(YEAR_2021 - 1n),
      });
      expect(batchId).to.equal(2n);
      return ctx;
    }

    it("returns the batch's project, methodology, category, Article 6 status, vintage and jurisdiction", async function () {
      const { w, report } = await load(withProfiledBatch);
      const profile = await w.registry.batchProfile(1n);
      expect(profile.projectId).to.equal(1n);
      expect(profile.methodologyId).to.equal(1n);
      expect(profile.category).to.equal(BigInt(Category.Removal));
      expect(profile.authorisation).to.equal(BigInt(Authorisation.None));
      expect(profile.adjustment).to.equal(BigInt(Adjustment.NotApplicable));
      // The vintage is the monitoring period of the report the batch was issued from.
      expect(profile.vintageStart).to.equal(report.periodStart);
      expect(profile.vintageEnd).to.equal(report.periodEnd);
      expect(report.periodStart).to.be.lessThan(report.periodEnd);
      // The project's jurisdiction is "BR-PA", stored and returned in compact form: its ASCII in a bytes8.
      expect((await w.registry.getProject(1n)).jurisdiction).to.equal("0x42522d5041000000");
      expect(profile.jurisdiction).to.equal(code("BR-PA"));
      expect(profile.jurisdiction).to.equal(await w.registry.jurisdictionCode("BR-PA"));
    });

    it("agrees with getBatch", async function () {
      const { w } = await load(withProfiledBatch);
      const batch = await w.registry.getBatch(1n);
      const profile = await w.registry.batchProfile(1n);
      expect([profile.projectId, profile.vintageStart, profile.vintageEnd]).to.deep.equal([
        batch.projectId,
        batch.vintageStart,
        batch.vintageEnd,
      ]);
      expect([profile.authorisation, profile.adjustment]).to.deep.equal([batch.authorisation, batch.adjustment]);
    });

    it("follows setArticle6Status", async function () {
      const { w } = await load(withProfiledBatch);
      await (await w.registry.connect(w.registrar).setArticle6Status(1n, Authorisation.NDC, Adjustment.Applied)).wait();
      let profile = await w.registry.batchProfile(1n);
      expect([profile.authorisation, profile.adjustment]).to.deep.equal([
        BigInt(Authorisation.NDC),
        BigInt(Adjustment.Applied),
      ]);
      await (
        await w.registry.connect(w.registrar).setArticle6Status(1n, Authorisation.OIMP, Adjustment.Pending)
      ).wait();
      profile = await w.registry.batchProfile(1n);
      expect([profile.authorisation, profile.adjustment]).to.deep.equal([
        BigInt(Authorisation.OIMP),
        BigInt(Adjustment.Pending),
      ]);
      expect(profile.projectId).to.equal(1n);
    });

    it("profiles an avoidance batch of another project in another jurisdiction", async function () {
      const { w } = await load(withAvoidanceBatch);
      const profile = await w.registry.batchProfile(2n);
      expect(profile.projectId).to.equal(2n);
      expect(profile.methodologyId).to.equal(2n);
      expect(profile.category).to.equal(BigInt(Category.Avoidance));
      expect(profile.authorisation).to.equal(BigInt(Authorisation.None));
      expect(profile.adjustment).to.equal(BigInt(Adjustment.NotApplicable));
      expect(profile.vintageStart).to.equal(YEAR_2020);
      expect(profile.vintageEnd).to.equal(YEAR_2021 - 1n);
      expect(profile.jurisdiction).to.equal(code("KE"));
      expect(profile.jurisdiction).to.equal(await w.registry.jurisdictionCode("KE"));
      // Batch 1 keeps its own profile.
      expect((await w.registry.batchProfile(1n)).jurisdiction).to.equal(code("BR-PA"));
      expect((await w.registry.batchProfile(1n)).category).to.equal(BigInt(Category.Removal));
    });

    it("reverts CarbonRegistryUnknownBatch for batch 0 and the next id", async function () {
      const { w } = await load(withProfiledBatch);
      for (const batchId of [0n, 2n]) {
        await expect(w.registry.batchProfile(batchId))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownBatch")
          .withArgs(batchId);
      }
    });

    it("jurisdictionCode is the code's ASCII in a bytes8, as the SDK encodes it", async function () {
      const w = await load(deployed);
      for (const jurisdiction of ["BR-PA", "KE", "BR", "GB-ENG", "FR-75C", "KE-30"]) {
        expect(await w.registry.jurisdictionCode(jurisdiction)).to.equal(code(jurisdiction));
      }
    });
  });

  // ------------------------------------------------------------------ pause

  describe("pause", function () {
    /**
     * withBatch plus report 2 Submitted, report 3 Verified (serials 4000-4999) and project 2 of alice Pending:
     * every state-changing call below succeeds from here when the registry is not paused.
     */
    async function pausable(): Promise<World> {
      const w = await load(withBatch);
      await submitReport(w, 1n, 100n, 3_000n);
      await verifiedReport(w, 1n, 1_000n, 4_000n);
      await w.registry.connect(w.alice).registerProject(REGISTRATION);
      return w;
    }

    type Call = {
      name: string;
      setup?: (w: World) => Promise<unknown>;
      send: (w: World) => Promise<ContractTransactionResponse>;
    };
    const calls: Call[] = [
      {
        name: "addMethodology",
        send: (w) => w.registry.connect(w.registrar).addMethodology("VM0042", Category.Removal, "ipfs://vm0042"),
      },
      { name: "setMethodologyActive", send: (w) => w.registry.connect(w.registrar).setMethodologyActive(1, false) },
      { name: "accreditVerifier", send: (w) => w.registry.connect(w.registrar).accreditVerifier(w.alice.address, 1) },
      { name: "revokeVerifier", send: (w) => w.registry.connect(w.registrar).revokeVerifier(w.verifier.address, 1) },
      {
        name: "registerProject",
        send: (w) => w.registry.connect(w.bob).registerProject({ ...REGISTRATION, externalRef: "GS-5678" }),
      },
      { name: "approveProject", send: (w) => w.registry.connect(w.registrar).approveProject(2, REASON) },
      { name: "rejectProject", send: (w) => w.registry.connect(w.registrar).rejectProject(2, REASON) },
      {
        name: "submitReport",
        send: async (w) => w.registry.connect(w.proponent).submitReport(await reportFor(w, 1n, 10n, 50_000n)),
      },
      { name: "verifyReport", send: (w) => w.registry.connect(w.verifier).verifyReport(2, id("verification")) },
      { name: "rejectReport", send: (w) => w.registry.connect(w.verifier).rejectReport(2, REASON) },
      { name: "issueBatch", send: (w) => w.registry.connect(w.registrar).issueBatch(3, 0) },
      { name: "recordReversal", send: (w) => w.registry.connect(w.registrar).recordReversal(1, 10, REASON) },
      {
        name: "reinstateBatch",
        setup: (w) => w.registry.connect(w.registrar).suspendBatch(1, REASON),
        send: (w) => w.registry.connect(w.registrar).reinstateBatch(1, REASON),
      },
      {
        name: "setArticle6Status",
        send: (w) => w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Pending),
      },
      { name: "addStandard", send: (w) => w.registry.connect(w.registrar).addStandard("PURO", "https://puro.earth") },
      { name: "setStandardActive", send: (w) => w.registry.connect(w.registrar).setStandardActive(2, false) },
      { name: "setAffiliation", send: (w) => w.registry.connect(w.registrar).setAffiliation(w.alice.address, 7) },
    ];

    /** Acts that only tighten a restriction stay open while paused, so an incident can be contained first. */
    const tightening: Call[] = [
      { name: "suspendProject", send: (w) => w.registry.connect(w.registrar).suspendProject(1, REASON) },
      { name: "suspendBatch", send: (w) => w.registry.connect(w.registrar).suspendBatch(1, REASON) },
    ];

    it("pauses and unpauses, emitting Paused and Unpaused", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.pauser).pause()).to.emit(w.registry, "Paused").withArgs(w.pauser.address);
      expect(await w.registry.paused()).to.equal(true);
      await expect(w.registry.connect(w.pauser).unpause()).to.emit(w.registry, "Unpaused").withArgs(w.pauser.address);
      expect(await w.registry.paused()).to.equal(false);
    });

    it("reverts when pausing a paused registry", async function () {
      const w = await load(withBatch);
      await w.registry.connect(w.pauser).pause();
      await expect(w.registry.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.registry, "EnforcedPause");
    });

    it("reverts when unpausing a registry that is not paused", async function () {
      const w = await load(withBatch);
      await expect(w.registry.connect(w.pauser).unpause()).to.be.revertedWithCustomError(w.registry, "ExpectedPause");
    });

    for (const call of calls) {
      it(`${call.name} reverts with EnforcedPause while paused and succeeds once unpaused`, async function () {
        const w = await load(pausable);
        await call.setup?.(w);
        await w.registry.connect(w.pauser).pause();
        await expect(call.send(w)).to.be.revertedWithCustomError(w.registry, "EnforcedPause");
        await w.registry.connect(w.pauser).unpause();
        await expect(call.send(w)).not.to.revert(w.ethers);
      });
    }

    for (const call of tightening) {
      it(`${call.name} stays open while paused (it only tightens)`, async function () {
        const w = await load(pausable);
        await w.registry.connect(w.pauser).pause();
        await expect(call.send(w)).not.to.revert(w.ethers);
      });
    }

    it("a batch suspended while paused is reinstated only after unpausing", async function () {
      const w = await load(pausable);
      await w.registry.connect(w.pauser).pause();
      await expect(w.registry.connect(w.registrar).suspendBatch(1, REASON))
        .to.emit(w.registry, "BatchSuspended")
        .withArgs(1n, REASON);
      expect(await w.credit.isSuspended(1)).to.equal(true);
      await expect(w.registry.connect(w.registrar).reinstateBatch(1, REASON)).to.be.revertedWithCustomError(
        w.registry,
        "EnforcedPause",
      );
      expect(await w.credit.isSuspended(1)).to.equal(true);
      await w.registry.connect(w.pauser).unpause();
      await w.registry.connect(w.registrar).reinstateBatch(1, REASON);
      expect(await w.credit.isSuspended(1)).to.equal(false);
    });

    it("keeps every view working while paused", async function () {
      const w = await load(pausable);
      await w.registry.connect(w.pauser).pause();
      expect(await w.registry.counts()).to.deep.equal([1n, 2n, 3n, 1n]);
      expect((await w.registry.getMethodology(1)).code).to.equal("VM0047");
      expect((await w.registry.getProject(1)).status).to.equal(BigInt(ProjectStatus.Approved));
      expect((await w.registry.getReport(3)).status).to.equal(BigInt(ReportStatus.Verified));
      expect((await w.registry.getBatch(1)).serialStart).to.equal(1_000n);
      expect(await w.registry.isAccredited(w.verifier.address, 1)).to.equal(true);
      expect(await w.registry.bufferBalance(1)).to.equal(200n);
      expect(await w.registry.projectBatches(1)).to.deep.equal([1n]);
      expect(await w.registry.getNamespace(NS)).to.deep.equal([1n, 1n, 1n]);
      expect(await w.registry.serialRanges(NS, 0, 10)).to.deep.equal([[1n], 0n]);
      expect(await w.registry.findSerialHint(NS, 4_000n, 4_999n)).to.deep.equal([1n, 0n]);
    });

    it("does not pause the credit token", async function () {
      const w = await load(withBatch);
      await w.registry.connect(w.pauser).pause();
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, 1, 5, "0x");
      expect(await w.credit.balanceOf(w.alice.address, 1)).to.equal(5n);
    });
  });

  // ------------------------------------------------------------------ buffer pool as ERC-1155 receiver

  describe("buffer pool receiver", function () {
    it("refuses a single transfer from a holder", async function () {
      const w = await load(withBatch);
      const registryAddress = await w.registry.getAddress();
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, registryAddress, 1, 1, "0x"))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnexpectedTokens")
        .withArgs(w.proponent.address);
      expect(await w.credit.balanceOf(w.proponent.address, 1)).to.equal(800n);
      expect(await w.credit.balanceOf(registryAddress, 1)).to.equal(200n);
    });

    it("refuses a batch transfer from a holder", async function () {
      const w = await load(withBatch);
      const registryAddress = await w.registry.getAddress();
      await expect(
        w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, registryAddress, [1], [1], "0x"),
      )
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnexpectedTokens")
        .withArgs(w.proponent.address);
      expect(await w.credit.balanceOf(registryAddress, 1)).to.equal(200n);
    });

    it("refuses a transfer by an approved operator, naming the operator", async function () {
      const w = await load(withBatch);
      await w.credit.connect(w.proponent).setApprovalForAll(w.alice.address, true);
      await expect(
        w.credit.connect(w.alice).safeTransferFrom(w.proponent.address, await w.registry.getAddress(), 1, 1, "0x"),
      )
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnexpectedTokens")
        .withArgs(w.alice.address);
    });

    it("accepts only itself as operator in the receiver hooks", async function () {
      const w = await load(deployed);
      const self = await w.registry.getAddress();
      expect(await w.registry.onERC1155Received(self, ZeroAddress, 1, 1, "0x")).to.equal("0xf23a6e61");
      expect(await w.registry.onERC1155BatchReceived(self, ZeroAddress, [1], [1], "0x")).to.equal("0xbc197c81");
      await expect(w.registry.onERC1155Received(w.alice.address, ZeroAddress, 1, 1, "0x"))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnexpectedTokens")
        .withArgs(w.alice.address);
    });
  });

  // ------------------------------------------------------------------ ERC-165

  describe("supportsInterface", function () {
    const IERC1155_RECEIVER = new Interface([
      "function onERC1155Received(address,address,uint256,uint256,bytes) returns (bytes4)",
      "function onERC1155BatchReceived(address,address,uint256[],uint256[],bytes) returns (bytes4)",
    ]);

    it("supports ICarbonRegistry", async function () {
      const w = await load(deployed);
      const iface = (await w.ethers.getContractAt("ICarbonRegistry", await w.registry.getAddress())).interface;
      const carbonRegistryId = interfaceId(iface);
      expect(carbonRegistryId).to.not.equal("0x00000000");
      expect(await w.registry.supportsInterface(carbonRegistryId)).to.equal(true);
    });

    it("supports IERC1155Receiver", async function () {
      const w = await load(deployed);
      expect(interfaceId(IERC1155_RECEIVER)).to.equal("0x4e2312e0");
      expect(await w.registry.supportsInterface("0x4e2312e0")).to.equal(true);
    });

    it("supports IERC165", async function () {
      const w = await load(deployed);
      expect(await w.registry.supportsInterface("0x01ffc9a7")).to.equal(true);
    });

    it("does not support other interfaces, nor 0xffffffff", async function () {
      const w = await load(deployed);
      expect(await w.registry.supportsInterface("0xdeadbeef")).to.equal(false);
      expect(await w.registry.supportsInterface("0xd9b67a26")).to.equal(false); // IERC1155
      expect(await w.registry.supportsInterface("0xffffffff")).to.equal(false);
    });
  });

  // ------------------------------------------------------------------ views

  describe("views", function () {
    it("counts methodologies, projects, reports and batches", async function () {
      const w = await load(deployed);
      expect(await w.registry.counts()).to.deep.equal([0n, 0n, 0n, 0n]);
      const loaded = await load(withThreeRanges);
      await submitReport(loaded, 1n, 10n, 20_000n);
      await loaded.registry.connect(loaded.alice).registerProject(REGISTRATION);
      expect(await loaded.registry.counts()).to.deep.equal([1n, 2n, 4n, 3n]);
    });

    it("returns the credit token", async function () {
      const w = await load(deployed);
      expect(await w.registry.credit()).to.equal(await w.credit.getAddress());
    });

    const unknown: [string, string][] = [
      ["getMethodology", "CarbonRegistryUnknownMethodology"],
      ["getProject", "CarbonRegistryUnknownProject"],
      ["getReport", "CarbonRegistryUnknownReport"],
      ["getBatch", "CarbonRegistryUnknownBatch"],
    ];
    for (const [view, error] of unknown) {
      it(`${view} reverts with ${error} for ids 0 and next`, async function () {
        const w = await load(withBatch);
        const fn = w.registry.getFunction(view) as (id: bigint) => Promise<unknown>;
        await expect(fn(0n)).to.be.revertedWithCustomError(w.registry, error).withArgs(0n);
        await expect(fn(2n)).to.be.revertedWithCustomError(w.registry, error).withArgs(2n);
        await fn(1n); // the existing id does not revert
      });
    }

    it("projectBatches lists each project's batches in issuance order", async function () {
      const w = await load(withBatch);
      const project = await extraProject(w, OTHER_STANDARD);
      await issue(w, project, 100n, 1n);
      await issue(w, 1n, 100n, 5_000n);
      expect(await w.registry.projectBatches(1)).to.deep.equal([1n, 3n]);
      expect(await w.registry.projectBatches(project)).to.deep.equal([2n]);
      expect(await w.registry.projectBatches(9)).to.deep.equal([]);
    });

    it("bufferBalance is 0 for a project with no batch", async function () {
      const w = await load(withProject);
      expect(await w.registry.bufferBalance(1)).to.equal(0n);
      expect(await w.registry.bufferBalance(9)).to.equal(0n);
    });

    it("namespaceOf is the standard id as bytes32", async function () {
      const w = await load(deployed);
      expect(await w.registry.namespaceOf(STANDARD_ID)).to.equal(NS);
      expect(await w.registry.namespaceOf(OTHER_STANDARD_ID)).to.equal(OTHER_NS);
      expect(NS).to.equal("0x" + "0".repeat(63) + "1");
    });

    it("getProject reflects the project's buffer share and standard", async function () {
      const w = await load(withProject);
      const project = await w.registry.getProject(1);
      expect(project.proponent).to.equal(w.proponent.address);
      expect(project.bufferBps).to.equal(BigInt(BUFFER_BPS));
      expect(project.standard).to.equal(STANDARD);
      expect(project.namespace).to.equal(NS);
    });
  });
});
