import { expect } from "chai";
import { id } from "ethers";

import {
  Adjustment,
  Authorisation,
  Category,
  code,
  deployWorld,
  issue,
  plain,
  ProjectStatus,
  ReportStatus,
  type World,
} from "../helpers/fixtures.js";
import { Roles } from "../../scripts/lib/roles.js";
import { namespaceId, nestedFixtures, submitReport } from "../helpers/registry.js";
import { request } from "../helpers/retirement.js";

// Issue 14, the registry's part: look-alike standards and twice-registered external projects (break 1), verification
// within one organisation (weakness "self-verification by a second address") and Article 6 status changed under
// existing claims. Each attack is performed and shown refused with its custom error and an unchanged registry.

const REASON = id("reason");
const VCS = 1n;
const GS = 2n;
const REF = "VCS-1001";

describe("Claim integrity: registry", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
  });

  function registration(standardId: bigint, externalRef: string) {
    return { methodologyId: 1, bufferBps: 0, standardId, externalRef, jurisdiction: "BR-PA", uri: "ipfs://project" };
  }

  /**
   * Standards "VCS" (1) and "GS" (2); methodology 1 with the world's verifier accredited; project 1 of the proponent
   * for external project "VCS-1001", approved, with batch 1: serials 1-1,000 issued (1,000 units, no buffer).
   */
  async function issued(): Promise<World> {
    const w = world;
    await (await w.registry.connect(w.registrar).addStandard("VCS", "https://verra.org")).wait();
    await (await w.registry.connect(w.registrar).addStandard("GS", "https://goldstandard.org")).wait();
    await (await w.registry.connect(w.registrar).addMethodology("VM0047", Category.Removal, "ipfs://vm0047")).wait();
    await (await w.registry.connect(w.registrar).accreditVerifier(w.verifier.address, 1)).wait();
    await (await w.registry.connect(w.proponent).registerProject(registration(VCS, REF))).wait();
    await (await w.registry.connect(w.registrar).approveProject(1, REASON)).wait();
    await issue(w, 1n, 1_000n, 1n);
    return w;
  }

  /** Everything the registry and the credit token hold about standards, projects, reports, batches and supply. */
  async function registryState(w: World) {
    const [methodologies, projects, reports, batches] = await w.registry.counts();
    const standards = await w.registry.standardCount();
    const state: Record<string, unknown> = { counts: [methodologies, projects, reports, batches, standards] };
    for (let i = 1n; i <= standards; ++i) {
      state[`standard ${i}`] = plain(await w.registry.getStandard(i));
      state[`namespace ${i}`] = plain(await w.registry.getNamespace(namespaceId(i)));
      state[`ranges ${i}`] = await w.registry.serialRanges(namespaceId(i), 0, 100);
    }
    for (let i = 1n; i <= projects; ++i) state[`project ${i}`] = plain(await w.registry.getProject(i));
    for (let i = 1n; i <= reports; ++i) state[`report ${i}`] = plain(await w.registry.getReport(i));
    for (let i = 1n; i <= batches; ++i) {
      state[`batch ${i}`] = plain(await w.registry.getBatch(i));
      state[`supply ${i}`] = plain(await w.credit.supplyOf(i));
      for (const who of [w.proponent, w.alice, w.bob]) {
        state[`balance ${i} ${who.address}`] = await w.credit.balanceOf(who.address, i);
      }
    }
    for (const who of [w.proponent, w.alice, w.bob, w.verifier, w.outsider]) {
      state[`affiliation ${who.address}`] = await w.registry.affiliationOf(who.address);
    }
    for (const [standardId, ref] of [
      [VCS, REF],
      [GS, REF],
      [VCS, "VCS-2002"],
    ] as const) {
      state[`projectOf ${standardId} ${ref}`] = await w.registry.projectOf(standardId, ref);
    }
    return state;
  }

  /** Units issued over every batch: what the 1,000 serials of "VCS-1001" became. */
  async function totalIssued(w: World): Promise<bigint> {
    const [, , , batches] = await w.registry.counts();
    let total = 0n;
    for (let i = 1n; i <= batches; ++i) total += (await w.credit.supplyOf(i)).issued;
    return total;
  }

  // ------------------------------------------------------------------ break 1: look-alike standards

  describe("break 1: the same serials under a look-alike standard or a second project id", function () {
    it("ATTACK: registering the same standard and external reference twice is refused, by anyone", async function () {
      const w = await load(issued);
      const before = await registryState(w);
      for (const who of [w.proponent, w.alice]) {
        await expect(w.registry.connect(who).registerProject(registration(VCS, REF)))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryDuplicateProject")
          .withArgs(VCS, REF, 1n);
      }
      expect(await registryState(w)).to.deep.equal(before);
    });

    it("ATTACK: 'VCS', 'vcs', 'VCS ' and look-alike references cannot make 5,000 units of 1,000 serials", async function () {
      const w = await load(issued);
      const before = await registryState(w);
      // The proponent types no standard: it names a standard id, and only the registrar's ids exist.
      for (const standardId of [0n, 3n, 2n ** 32n - 1n]) {
        await expect(w.registry.connect(w.proponent).registerProject(registration(standardId, REF)))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownStandard")
          .withArgs(standardId);
      }
      // The registrar cannot add a look-alike of "VCS" either: codes are canonical and unique.
      for (const code of ["vcs", "VCS ", " VCS", "Vcs", "VCS\u200b", "VC\u0405", "V\u0421S", "", "A".repeat(17)]) {
        await expect(w.registry.connect(w.registrar).addStandard(code, ""))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidStandardCode")
          .withArgs(code);
      }
      await expect(w.registry.connect(w.registrar).addStandard("VCS", "https://elsewhere"))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryStandardExists")
        .withArgs("VCS", VCS);
      // Nor can the external reference be spelt differently under the same standard.
      for (const ref of ["vcs-1001", "VCS-1001 ", " VCS-1001", "VCS\u20101001", "VCS-1001\u0000", "", "1".repeat(65)]) {
        await expect(w.registry.connect(w.proponent).registerProject(registration(VCS, ref)))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidExternalRef")
          .withArgs(ref);
      }
      expect(await registryState(w)).to.deep.equal(before);
      expect(await totalIssued(w)).to.equal(1_000n);
    });

    it("ATTACK: a monitoring period of the external project is issued once, whatever project id carries it", async function () {
      const w = await load(issued);
      // The period issued as batch 1 cannot be reported again under project 1 ...
      const project = await w.registry.getProject(1);
      await expect(
        w.registry.connect(w.proponent).submitReport({
          projectId: 1n,
          periodStart: project.lastIssuedPeriodEnd - 1n,
          periodEnd: project.lastIssuedPeriodEnd,
          quantity: 1_000n,
          serialStart: 1_001n,
          serialEnd: 2_000n,
          reportHash: id("again"),
          uri: "",
        }),
      )
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryPeriodAlreadyIssued")
        .withArgs(1n, project.lastIssuedPeriodEnd - 1n, project.lastIssuedPeriodEnd);
      // ... and no second project id can carry the external project to report it there.
      await expect(w.registry.connect(w.bob).registerProject(registration(VCS, REF)))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryDuplicateProject")
        .withArgs(VCS, REF, 1n);
      expect(await w.registry.projectOf(VCS, REF)).to.equal(1n);
      expect(await totalIssued(w)).to.equal(1_000n);
    });

    it("serial ranges stay per standard: the same range in another standard's namespace is another registry's", async function () {
      const w = await load(issued);
      await (await w.registry.connect(w.proponent).registerProject(registration(GS, "GS-7"))).wait();
      await (await w.registry.connect(w.registrar).approveProject(2, REASON)).wait();
      await issue(w, 2n, 1_000n, 1n);
      expect(await w.registry.getNamespace(namespaceId(VCS))).to.deep.equal([1n, 1n, 1n]);
      expect(await w.registry.getNamespace(namespaceId(GS))).to.deep.equal([2n, 2n, 1n]);
      expect(await totalIssued(w)).to.equal(2_000n); // 1,000 serials in each of two registries
    });
  });

  describe("standards", function () {
    it("the registrar adds standards with sequential ids; clients read them back", async function () {
      const w = await load(issued);
      await expect(w.registry.connect(w.registrar).addStandard("PURO.EARTH-1", "https://puro.earth"))
        .to.emit(w.registry, "StandardAdded")
        .withArgs(3n, "PURO.EARTH-1", "https://puro.earth");
      expect(await w.registry.standardCount()).to.equal(3n);
      expect(plain(await w.registry.getStandard(3))).to.deep.equal({
        active: true,
        code: "PURO.EARTH-1",
        uri: "https://puro.earth",
      });
      expect(await w.registry.standardIdOf("PURO.EARTH-1")).to.equal(3n);
      expect(await w.registry.standardIdOf("puro.earth-1")).to.equal(0n);
      expect(await w.registry.namespaceOf(3)).to.equal(namespaceId(3n));
      for (const unknown of [0n, 4n]) {
        await expect(w.registry.getStandard(unknown))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownStandard")
          .withArgs(unknown);
      }
    });

    it("accepts codes of 1 and 16 characters of A-Z, 0-9, '-' and '.'", async function () {
      const w = await load(issued);
      for (const code of ["X", "ABCDEFGHIJ-.0189", "ZZ9"]) {
        await (await w.registry.connect(w.registrar).addStandard(code, "")).wait();
        expect((await w.registry.getStandard(await w.registry.standardIdOf(code))).code).to.equal(code);
      }
    });

    it("only the registrar adds or deactivates standards", async function () {
      const w = await load(issued);
      await expect(w.registry.connect(w.proponent).addStandard("PURO", "")).to.be.revertedWithCustomError(
        w.registry,
        "AccessManagedUnauthorized",
      );
      await expect(w.registry.connect(w.proponent).setStandardActive(1, false)).to.be.revertedWithCustomError(
        w.registry,
        "AccessManagedUnauthorized",
      );
    });

    it("a deactivated standard takes no new project; its projects keep reporting and issuing", async function () {
      const w = await load(issued);
      await expect(w.registry.connect(w.registrar).setStandardActive(VCS, false))
        .to.emit(w.registry, "StandardStatusChanged")
        .withArgs(VCS, false);
      await expect(w.registry.connect(w.alice).registerProject(registration(VCS, "VCS-2002")))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInactiveStandard")
        .withArgs(VCS);
      await issue(w, 1n, 500n, 1_001n);
      expect((await w.registry.getStandard(VCS)).active).to.equal(false);
      await expect(w.registry.connect(w.registrar).setStandardActive(VCS, false))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryStandardUnchanged")
        .withArgs(VCS, false);
      await expect(w.registry.connect(w.registrar).setStandardActive(9, true))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnknownStandard")
        .withArgs(9n);
      await w.registry.connect(w.registrar).setStandardActive(VCS, true);
      await w.registry.connect(w.alice).registerProject(registration(VCS, "VCS-2002"));
      expect(await w.registry.projectOf(VCS, "VCS-2002")).to.equal(2n);
    });

    it("accepts external references of 1 and 64 characters of A-Z, 0-9, '-', '.', '_' and '/'", async function () {
      const w = await load(issued);
      for (const ref of ["7", "A/B_C.D-0".padEnd(64, "9")]) {
        await (await w.registry.connect(w.alice).registerProject(registration(VCS, ref))).wait();
        const [, projects] = await w.registry.counts();
        expect(await w.registry.projectOf(VCS, ref)).to.equal(projects);
        expect((await w.registry.getProject(projects)).externalRef).to.equal(ref);
      }
    });

    it("the same external reference under another standard is another external project", async function () {
      const w = await load(issued);
      await expect(w.registry.connect(w.alice).registerProject(registration(GS, REF)))
        .to.emit(w.registry, "ProjectRegistered")
        .withArgs(2n, w.alice.address, 1n, GS, namespaceId(GS), 0, REF, code("BR-PA"), "ipfs://project");
      expect(await w.registry.projectOf(GS, REF)).to.equal(2n);
      expect(await w.registry.projectOf(VCS, REF)).to.equal(1n);
      expect((await w.registry.getProject(2)).standard).to.equal("GS");
    });

    it("a rejected project releases its key; approved and suspended ones keep it", async function () {
      const w = await load(issued);
      await w.registry.connect(w.alice).registerProject(registration(VCS, "VCS-2002"));
      await expect(w.registry.connect(w.registrar).rejectProject(2, REASON))
        .to.emit(w.registry, "ProjectRefReleased")
        .withArgs(2n, VCS);
      expect(await w.registry.projectOf(VCS, "VCS-2002")).to.equal(0n);
      await expect(w.registry.connect(w.bob).registerProject(registration(VCS, "VCS-2002")))
        .to.emit(w.registry, "ProjectRegistered")
        .withArgs(3n, w.bob.address, 1n, VCS, namespaceId(VCS), 0, "VCS-2002", code("BR-PA"), "ipfs://project");
      expect(await w.registry.projectOf(VCS, "VCS-2002")).to.equal(3n);
      expect((await w.registry.getProject(2)).status).to.equal(BigInt(ProjectStatus.Rejected));
      // The approved project 1, then suspended, keeps "VCS-1001".
      await w.registry.connect(w.registrar).suspendProject(1, REASON);
      await expect(w.registry.connect(w.bob).registerProject(registration(VCS, REF)))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryDuplicateProject")
        .withArgs(VCS, REF, 1n);
    });
  });

  // ------------------------------------------------------------------ weakness: verification within an organisation

  describe("weakness: self-verification by a second address", function () {
    /** issued, plus report 2 of project 1 Submitted (serials 5,000-5,999). */
    async function submitted(): Promise<World> {
      const w = await load(issued);
      await submitReport(w, 1n, 1_000n, 5_000n);
      return w;
    }

    it("ATTACK: a verifier of the proponent's organisation can neither verify nor reject its report", async function () {
      const w = await load(submitted);
      await expect(w.registry.connect(w.registrar).setAffiliation(w.proponent.address, 7))
        .to.emit(w.registry, "AffiliationSet")
        .withArgs(w.proponent.address, 7n, 0n);
      await expect(w.registry.connect(w.registrar).setAffiliation(w.verifier.address, 7))
        .to.emit(w.registry, "AffiliationSet")
        .withArgs(w.verifier.address, 7n, 0n);
      const before = await registryState(w);
      await expect(w.registry.connect(w.verifier).verifyReport(2, id("verification")))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryAffiliatedVerifier")
        .withArgs(w.verifier.address, w.proponent.address, 7n);
      await expect(w.registry.connect(w.verifier).rejectReport(2, REASON))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryAffiliatedVerifier")
        .withArgs(w.verifier.address, w.proponent.address, 7n);
      expect(await registryState(w)).to.deep.equal(before);
      expect((await w.registry.getReport(2)).status).to.equal(BigInt(ReportStatus.Submitted));
    });

    it("the proponent's own address is still refused, affiliated or not", async function () {
      const w = await load(submitted);
      await w.registry.connect(w.registrar).accreditVerifier(w.proponent.address, 1);
      await w.manager.connect(w.admin).grantRole(Roles.VERIFIER, w.proponent.address, 0);
      await expect(w.registry.connect(w.proponent).verifyReport(2, id("verification")))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistrySelfVerification")
        .withArgs(w.proponent.address, 1n);
    });

    it("a verifier of another organisation, or of none, verifies", async function () {
      const w = await load(submitted);
      await w.registry.connect(w.registrar).setAffiliation(w.proponent.address, 7);
      await w.registry.connect(w.registrar).setAffiliation(w.verifier.address, 8);
      await expect(w.registry.connect(w.verifier).verifyReport(2, id("verification")))
        .to.emit(w.registry, "ReportVerified")
        .withArgs(2n, 1n, w.verifier.address, id("verification"));
    });

    it("an affiliation ended by the registrar (0) lets the verifier verify again", async function () {
      const w = await load(submitted);
      await w.registry.connect(w.registrar).setAffiliation(w.proponent.address, 7);
      await w.registry.connect(w.registrar).setAffiliation(w.verifier.address, 7);
      await expect(w.registry.connect(w.registrar).setAffiliation(w.verifier.address, 0))
        .to.emit(w.registry, "AffiliationSet")
        .withArgs(w.verifier.address, 0n, 7n);
      expect(await w.registry.affiliationOf(w.verifier.address)).to.equal(0n);
      await w.registry.connect(w.verifier).verifyReport(2, id("verification"));
      expect((await w.registry.getReport(2)).status).to.equal(BigInt(ReportStatus.Verified));
    });

    it("refuses an unchanged affiliation, the zero address, and callers other than the registrar", async function () {
      const w = await load(submitted);
      await expect(w.registry.connect(w.registrar).setAffiliation(w.alice.address, 0))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryAffiliationUnchanged")
        .withArgs(w.alice.address, 0n);
      await expect(w.registry.connect(w.registrar).setAffiliation("0x" + "0".repeat(40), 1))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryInvalidAccount")
        .withArgs("0x" + "0".repeat(40));
      await expect(w.registry.connect(w.proponent).setAffiliation(w.verifier.address, 9)).to.be.revertedWithCustomError(
        w.registry,
        "AccessManagedUnauthorized",
      );
    });
  });

  // ------------------------------------------------------------------ weakness: Article 6 status after claims

  describe("weakness: Article 6 status changed after units were claimed under it", function () {
    /** issued, batch 1 authorised for NDC use with its adjustment pending, and 100 of its units retired. */
    async function claimedUnderNdc(): Promise<World> {
      const w = await load(issued);
      await (await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Pending)).wait();
      await (
        await w.retirement
          .connect(w.proponent)
          .retire(request({ ids: [1n], amounts: [100n], beneficiary: w.alice.address, skipCertificate: true }))
      ).wait();
      return w;
    }

    it("ATTACK: switching authorisation or undoing the adjustment after a retirement is refused", async function () {
      const w = await load(claimedUnderNdc);
      const before = await registryState(w);
      const attempts: [number, number][] = [
        [Authorisation.OIMP, Adjustment.Pending],
        [Authorisation.OIMP, Adjustment.Applied],
        [Authorisation.None, Adjustment.NotApplicable],
        [Authorisation.NDC, Adjustment.Pending], // no change is no advance either
      ];
      for (const [authorisation, adjustment] of attempts) {
        await expect(w.registry.connect(w.registrar).setArticle6Status(1, authorisation, adjustment))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryArticle6Locked")
          .withArgs(1n, 100n, Authorisation.NDC, Adjustment.Pending, authorisation, adjustment);
      }
      expect(await registryState(w)).to.deep.equal(before);
    });

    it("the pending adjustment may still be applied, and then nothing changes any more", async function () {
      const w = await load(claimedUnderNdc);
      await expect(w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Applied))
        .to.emit(w.registry, "Article6StatusSet")
        .withArgs(1n, Authorisation.NDC, Adjustment.Applied);
      for (const [authorisation, adjustment] of [
        [Authorisation.NDC, Adjustment.Pending],
        [Authorisation.None, Adjustment.NotApplicable],
        [Authorisation.NDC, Adjustment.Applied],
      ]) {
        await expect(w.registry.connect(w.registrar).setArticle6Status(1, authorisation, adjustment))
          .to.be.revertedWithCustomError(w.registry, "CarbonRegistryArticle6Locked")
          .withArgs(1n, 100n, Authorisation.NDC, Adjustment.Applied, authorisation, adjustment);
      }
      const batch = await w.registry.getBatch(1);
      expect([batch.authorisation, batch.adjustment]).to.deep.equal([
        BigInt(Authorisation.NDC),
        BigInt(Adjustment.Applied),
      ]);
    });

    it("ATTACK: a batch retired with no authorisation cannot be authorised afterwards", async function () {
      const w = await load(issued);
      await (
        await w.retirement
          .connect(w.proponent)
          .retire(request({ ids: [1n], amounts: [1n], beneficiary: w.alice.address, skipCertificate: true }))
      ).wait();
      const before = await registryState(w);
      await expect(w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Applied))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryArticle6Locked")
        .withArgs(1n, 1n, Authorisation.None, Adjustment.NotApplicable, Authorisation.NDC, Adjustment.Applied);
      expect(await registryState(w)).to.deep.equal(before);
    });

    it("before any retirement the status changes freely, buffer cancellations included", async function () {
      const w = await load(issued);
      await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.NDC, Adjustment.Applied);
      await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.OIMP, Adjustment.Pending);
      await w.registry.connect(w.registrar).setArticle6Status(1, Authorisation.None, Adjustment.NotApplicable);
      expect((await w.registry.getBatch(1)).authorisation).to.equal(BigInt(Authorisation.None));
    });
  });

  // ------------------------------------------------------------------ weakness: free-text jurisdictions

  describe("weakness: free-text jurisdiction codes", function () {
    it("ATTACK: a project registered under a look-alike of its jurisdiction ('br-pa', 'BR-PA ', 'BRA-PA', Cyrillic) is refused, so one place has one code that country bids and cross-border rules see", async function () {
      const w = await load(issued);
      const before = await registryState(w);
      for (const jurisdiction of ["br-pa", "BR-PA ", "BRA-PA", "ВR-PA", "BR-PA\u0000", "Brazil"]) {
        await expect(
          w.registry.connect(w.alice).registerProject({ ...registration(GS, "GS-77"), jurisdiction }),
          jurisdiction,
        )
          .to.be.revertedWithCustomError(w.registry, "JurisdictionInvalid")
          .withArgs(jurisdiction);
      }
      expect(await registryState(w)).to.deep.equal(before);
      // Stored compactly, in the one canonical form.
      expect((await w.registry.getProject(1)).jurisdiction).to.equal(code("BR-PA"));
      expect((await w.registry.batchProfile(1)).jurisdiction).to.equal(code("BR-PA"));
    });

    it("ATTACK: an installation in a look-alike country, and a retirement claiming consumption in one, are refused", async function () {
      const w = await load(issued);
      const installations = await w.compliance.installationCount();
      for (const jurisdiction of ["de", "DE ", "DEU", "XX"]) {
        await expect(w.compliance.connect(w.regulator).registerInstallation(w.alice, 1, jurisdiction))
          .to.be.revertedWithCustomError(w.compliance, "JurisdictionInvalid")
          .withArgs(jurisdiction);
      }
      expect(await w.compliance.installationCount()).to.equal(installations);
      const lookalike = "0x6465000000000000"; // "de"
      const before = await registryState(w);
      await expect(
        w.retirement
          .connect(w.proponent)
          .retire(request({ ids: [1n], amounts: [1n], consumptionJurisdiction: lookalike, skipCertificate: true })),
      )
        .to.be.revertedWithCustomError(w.retirement, "JurisdictionCodeInvalid")
        .withArgs(lookalike);
      expect(await registryState(w)).to.deep.equal(before);
      expect(await w.retirement.retirementCount()).to.equal(0n);
    });
  });
});
