import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";
import { XMLParser, XMLValidator } from "fast-xml-parser";

import { selector } from "../../scripts/lib/suite.js";
import { Adjustment, Authorisation, approvedProject, deployWorld, issue, type World } from "../helpers/fixtures.js";
import { standardIdOf } from "../helpers/registry.js";
import { ClaimType, encodeRequest, request, type RetirementRequest } from "../helpers/retirement.js";

// Batch 1: 100,000 units with serials 1,000,001 to 1,100,000 over 2000-02-29 to 2024-02-29; 80,000 to the proponent.
const QUANTITY = 100_000n;
const SERIAL_START = 1_000_001n;
const VINTAGE_START = 951_782_400; // 2000-02-29T00:00:00Z
const VINTAGE_END = 1_709_164_800; // 2024-02-29T00:00:00Z
const NAME = "Acme Ltd";
const AMOUNT = 12_500n;
const COMMITMENT = id("acme-holdings-ltd:salt-42");
const PROJECT = "VCS-4242 (VCS, BR-PA)";
const JSON_PREFIX = "data:application/json;base64,";
const SVG_PREFIX = "data:image/svg+xml;base64,";

interface Ctx {
  w: World;
  b1: bigint;
  retirementAddress: string;
}

/** A fresh suite with batch 1 issued and retirement 1: 12,500 units for alice, named "Acme Ltd". */
async function certified(): Promise<Ctx> {
  const w = await deployWorld();
  const projectId = await approvedProject(w);
  const b1 = await issue(w, projectId, QUANTITY, SERIAL_START, { periodStart: VINTAGE_START, periodEnd: VINTAGE_END });
  await w.retirement
    .connect(w.proponent)
    .retire(request({ ids: [b1], amounts: [AMOUNT], beneficiary: w.alice.address, beneficiaryName: NAME }));
  return { w, b1, retirementAddress: await w.retirement.getAddress() };
}

/** Retires as the proponent; returns the new retirement id. */
async function retire(w: World, overrides: Partial<RetirementRequest>): Promise<bigint> {
  await (await w.retirement.connect(w.proponent).retire(request(overrides))).wait();
  return w.retirement.retirementCount();
}

/** `new Date(ts * 1000)` as `YYYY-MM-DD` (UTC). */
function isoDate(timestamp: number | bigint): string {
  return new Date(Number(timestamp) * 1000).toISOString().slice(0, 10);
}

interface Metadata {
  name: string;
  description: string;
  image: string;
  attributes: { trait_type: string; value: string }[];
}

async function metadata(w: World, tokenId: bigint): Promise<Metadata> {
  const uri = await w.certificate.tokenURI(tokenId);
  expect(uri.startsWith(JSON_PREFIX), "tokenURI is a base64 JSON data URI").to.equal(true);
  return JSON.parse(Buffer.from(uri.slice(JSON_PREFIX.length), "base64").toString("utf8"));
}

async function attribute(w: World, tokenId: bigint, trait: string): Promise<string> {
  const found = (await metadata(w, tokenId)).attributes.filter((a) => a.trait_type === trait);
  expect(found, `one ${trait} attribute`).to.have.length(1);
  return found[0].value;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: true,
  isArray: (name) => name === "text" || name === "rect",
});

/** Parses a certificate's SVG (after checking it is well-formed XML); returns its root and the text of every line. */
function parseSvg(svg: string): { root: any; texts: string[] } {
  expect(XMLValidator.validate(svg), "well-formed XML").to.equal(true);
  const doc = parser.parse(svg);
  expect(Object.keys(doc)).to.deep.equal(["svg"]);
  const texts = (doc.svg.text as any[]).map((t) => String(t["#text"] ?? ""));
  return { root: doc.svg, texts };
}

/** The value shown next to `label` in the SVG. */
function svgValue(texts: string[], label: string): string {
  const i = texts.indexOf(label);
  expect(i, `SVG line ${label}`).to.be.greaterThan(-1);
  return texts[i + 1];
}

describe("RetirementCertificate", function () {
  describe("minting", function () {
    it("mints to the beneficiary with token id = retirement id", async function () {
      const { w, b1 } = await certified();
      const second = await retire(w, { ids: [b1], amounts: [1n], beneficiary: w.bob.address });
      expect(second).to.equal(2n);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.alice.address);
      expect(await w.certificate.ownerOf(2n)).to.equal(w.bob.address);
      expect(await w.certificate.balanceOf(w.alice.address)).to.equal(1n);
      expect(await w.certificate.balanceOf(w.bob.address)).to.equal(1n);
      expect(await w.certificate.balanceOf(w.proponent.address)).to.equal(0n);
    });

    it("keeps token ids aligned with retirement ids when a retirement skips its certificate", async function () {
      const { w, b1 } = await certified();
      await retire(w, { ids: [b1], amounts: [1n], skipCertificate: true });
      await retire(w, { ids: [b1], amounts: [2n], beneficiary: w.bob.address });
      await expect(w.certificate.ownerOf(2n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(2n);
      expect(await w.certificate.ownerOf(3n)).to.equal(w.bob.address);
      expect(await attribute(w, 3n, "Amount (tCO2e)")).to.equal("0.002");
    });

    it("emits Transfer from address(0) and Locked", async function () {
      const { w, b1 } = await certified();
      const tx = w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [1n], beneficiary: w.bob.address }));
      await expect(tx).to.emit(w.certificate, "Transfer").withArgs(ZeroAddress, w.bob.address, 2n);
      await expect(tx).to.emit(w.certificate, "Locked").withArgs(2n);
      await expect(tx).to.not.emit(w.certificate, "Unlocked");
    });

    it("is locked, and locked reverts for a token that does not exist", async function () {
      const { w } = await certified();
      expect(await w.certificate.locked(1n)).to.equal(true);
      await expect(w.certificate.locked(2n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(2n);
      await expect(w.certificate.locked(0n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(0n);
    });

    it("counts certificates per owner and refuses balanceOf(address(0)) with ERC721InvalidOwner", async function () {
      const { w, b1 } = await certified();
      await retire(w, { ids: [b1, b1], amounts: [1n, 1n], beneficiary: w.alice.address });
      await retire(w, { ids: [b1], amounts: [1n], beneficiary: w.alice.address, skipCertificate: true });
      expect(await w.certificate.balanceOf(w.alice.address)).to.equal(3n);
      expect(await w.retirement.certificatesOf(w.alice.address)).to.equal(3n);
      expect(await w.certificate.balanceOf(w.bob.address)).to.equal(0n);
      await expect(w.certificate.balanceOf(ZeroAddress))
        .to.be.revertedWithCustomError(w.certificate, "ERC721InvalidOwner")
        .withArgs(ZeroAddress);
    });

    it("is named CNT Retirement Certificate (CNT-RC)", async function () {
      const { w } = await certified();
      expect(await w.certificate.name()).to.equal("CNT Retirement Certificate");
      expect(await w.certificate.symbol()).to.equal("CNT-RC");
    });
  });

  describe("soulbound", function () {
    it("refuses transferFrom by the owner and by anyone else with CertificateSoulbound", async function () {
      const { w } = await certified();
      await expect(w.certificate.connect(w.alice).transferFrom(w.alice.address, w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.certificate, "CertificateSoulbound")
        .withArgs(1n);
      await expect(w.certificate.connect(w.bob).transferFrom(w.alice.address, w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.certificate, "CertificateSoulbound")
        .withArgs(1n);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.alice.address);
    });

    it("refuses both safeTransferFrom overloads with CertificateSoulbound", async function () {
      const { w } = await certified();
      const certificate = w.certificate.connect(w.alice);
      await expect(certificate["safeTransferFrom(address,address,uint256)"](w.alice.address, w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.certificate, "CertificateSoulbound")
        .withArgs(1n);
      await expect(
        certificate["safeTransferFrom(address,address,uint256,bytes)"](w.alice.address, w.bob.address, 1n, "0x1234"),
      )
        .to.be.revertedWithCustomError(w.certificate, "CertificateSoulbound")
        .withArgs(1n);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.alice.address);
      expect(await w.certificate.balanceOf(w.bob.address)).to.equal(0n);
    });

    it("refuses approve with CertificateSoulbound and setApprovalForAll with CertificateNoApprovals", async function () {
      const { w } = await certified();
      await expect(w.certificate.connect(w.alice).approve(w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.certificate, "CertificateSoulbound")
        .withArgs(1n);
      await expect(w.certificate.connect(w.alice).setApprovalForAll(w.bob.address, true)).to.be.revertedWithCustomError(
        w.certificate,
        "CertificateNoApprovals",
      );
      expect(await w.certificate.getApproved(1n)).to.equal(ZeroAddress);
      await expect(w.certificate.getApproved(2n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(2n);
      expect(await w.certificate.isApprovedForAll(w.alice.address, w.bob.address)).to.equal(false);
    });
  });

  describe("minter", function () {
    it("is the retirement registry", async function () {
      const { w, retirementAddress } = await certified();
      expect(await w.certificate.minter()).to.equal(retirementAddress);
    });

    it("refuses mint by anyone but the registry with CertificateOnlyMinter", async function () {
      const { w } = await certified();
      for (const caller of [w.admin, w.alice, w.outsider]) {
        await expect(w.certificate.connect(caller).mint(caller.address, 99n, "", ZeroHash))
          .to.be.revertedWithCustomError(w.certificate, "CertificateOnlyMinter")
          .withArgs(caller.address);
      }
      await expect(w.certificate.ownerOf(99n)).to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken");
    });

    it("refuses a second setMinter with CertificateMinterAlreadySet, and non-admins with AccessManagedUnauthorized", async function () {
      const { w, retirementAddress } = await certified();
      await expect(w.certificate.connect(w.admin).setMinter(w.admin.address))
        .to.be.revertedWithCustomError(w.certificate, "CertificateMinterAlreadySet")
        .withArgs(retirementAddress);
      await expect(w.certificate.connect(w.outsider).setMinter(w.outsider.address))
        .to.be.revertedWithCustomError(w.certificate, "AccessManagedUnauthorized")
        .withArgs(w.outsider.address);
      expect(await w.certificate.minter()).to.equal(retirementAddress);
    });

    it("sets the minter once with MinterSet and refuses the zero address", async function () {
      const { w } = await certified();
      const fresh = await w.ethers.deployContract("RetirementCertificate", [await w.manager.getAddress()], w.admin);
      expect(await fresh.minter()).to.equal(ZeroAddress);
      expect(await fresh.balanceOf(w.alice.address)).to.equal(0n);
      await expect(fresh.ownerOf(1n)).to.be.revertedWithCustomError(fresh, "ERC721NonexistentToken").withArgs(1n);
      await expect(fresh.connect(w.admin).setMinter(ZeroAddress))
        .to.be.revertedWithCustomError(fresh, "CertificateMinterAlreadySet")
        .withArgs(ZeroAddress);
      await expect(fresh.connect(w.admin).setMinter(w.bob.address)).to.emit(fresh, "MinterSet").withArgs(w.bob.address);
      expect(await fresh.minter()).to.equal(w.bob.address);
      await expect(fresh.connect(w.admin).setMinter(w.alice.address))
        .to.be.revertedWithCustomError(fresh, "CertificateMinterAlreadySet")
        .withArgs(w.bob.address);
    });
  });

  describe("supportsInterface", function () {
    function interfaceId(signatures: string[]): string {
      let xor = 0n;
      for (const signature of signatures) xor ^= BigInt(selector(signature));
      return "0x" + xor.toString(16).padStart(8, "0");
    }

    it("supports ERC-165, ERC-721, ERC-721 metadata and ERC-5192", async function () {
      const { w } = await certified();
      expect(interfaceId(["locked(uint256)"])).to.equal("0xb45a3c0e");
      expect(interfaceId(["name()", "symbol()", "tokenURI(uint256)"])).to.equal("0x5b5e139f");
      for (const interfaceIdValue of ["0x01ffc9a7", "0x80ac58cd", "0x5b5e139f", "0xb45a3c0e"]) {
        expect(await w.certificate.supportsInterface(interfaceIdValue), interfaceIdValue).to.equal(true);
      }
      expect(await w.certificate.supportsInterface("0xffffffff")).to.equal(false);
      expect(await w.certificate.supportsInterface("0xd9b67a26")).to.equal(false);
    });

    it("supports the IRetirementCertificate interface id (its own functions only)", async function () {
      const { w } = await certified();
      const own = ["setMinter(address)", "mint(address,uint256,string,bytes32)", "minter()", "svg(uint256)"];
      expect(await w.certificate.supportsInterface(interfaceId(own))).to.equal(true);
    });
  });

  describe("tokenURI", function () {
    it("is base64 JSON with name, description, image and every attribute", async function () {
      const { w, b1 } = await certified();
      const meta = await metadata(w, 1n);
      expect(Object.keys(meta)).to.deep.equal(["name", "description", "image", "attributes"]);
      expect(meta.name).to.equal("CNT retirement certificate #1");
      expect(meta.description).to.equal(
        "12.500 tCO2e of carbon credits retired for Acme Ltd. Each unit is retired once: the serial range below is " +
          "owned by this retirement alone.",
      );
      const [serialStart, serialEnd] = await w.retirement.serialRangeOf(1n);
      expect([serialStart, serialEnd]).to.deep.equal([SERIAL_START, SERIAL_START + AMOUNT - 1n]);
      expect(meta.attributes).to.deep.equal([
        { trait_type: "Amount (tCO2e)", value: "12.500" },
        { trait_type: "Beneficiary", value: NAME },
        { trait_type: "Claim", value: "voluntary offset" },
        { trait_type: "Claim entity", value: "none" },
        { trait_type: "Claim period", value: "0" },
        { trait_type: "Article 6 authorisation", value: "not authorised" },
        { trait_type: "Corresponding adjustment", value: "not applicable" },
        { trait_type: "Project", value: PROJECT },
        { trait_type: "Vintage", value: "2000-02-29 to 2024-02-29" },
        { trait_type: "Batch", value: b1.toString() },
        { trait_type: "Serial start", value: serialStart.toString() },
        { trait_type: "Serial end", value: serialEnd.toString() },
        { trait_type: "Retiree", value: w.proponent.address },
      ]);
    });

    it("shows the batch's vintage timestamps as calendar dates", async function () {
      const { w, b1 } = await certified();
      const batch = await w.registry.getBatch(b1);
      expect([batch.vintageStart, batch.vintageEnd]).to.deep.equal([BigInt(VINTAGE_START), BigInt(VINTAGE_END)]);
      expect(await attribute(w, 1n, "Vintage")).to.equal(
        `${isoDate(batch.vintageStart)} to ${isoDate(batch.vintageEnd)}`,
      );
    });

    it("embeds the same SVG as svg() as a base64 image", async function () {
      const { w } = await certified();
      const meta = await metadata(w, 1n);
      expect(meta.image.startsWith(SVG_PREFIX)).to.equal(true);
      const embedded = Buffer.from(meta.image.slice(SVG_PREFIX.length), "base64").toString("utf8");
      expect(embedded).to.equal(await w.certificate.svg(1n));
    });

    it("shows amounts as tonnes with three decimals", async function () {
      const { w, b1 } = await certified();
      const cases: [bigint, string][] = [
        [1n, "0.001"],
        [10n, "0.010"],
        [99n, "0.099"],
        [100n, "0.100"],
        [999n, "0.999"],
        [1_000n, "1.000"],
        [1_010n, "1.010"],
        [54_321n, "54.321"],
      ];
      for (const [amount, shown] of cases) {
        const tokenId = await retire(w, { ids: [b1], amounts: [amount] });
        expect(await attribute(w, tokenId, "Amount (tCO2e)"), `${amount} units`).to.equal(shown);
        const { texts } = parseSvg(await w.certificate.svg(tokenId));
        expect(svgValue(texts, "Amount")).to.equal(`${shown} tCO2e`);
      }
    });

    it("names the beneficiary by name, by commitment, or by checksummed address", async function () {
      const { w, b1 } = await certified();
      const committed = await retire(w, {
        ids: [b1],
        amounts: [1n],
        beneficiary: w.bob.address,
        beneficiaryCommitment: COMMITMENT,
      });
      const anonymous = await retire(w, { ids: [b1], amounts: [1n], beneficiary: w.bob.address });
      const forSelf = await retire(w, { ids: [b1], amounts: [1n] });
      const shown = {
        [committed.toString()]: `private beneficiary (commitment ${COMMITMENT})`,
        [anonymous.toString()]: w.bob.address,
        [forSelf.toString()]: w.proponent.address,
        "1": NAME,
      };
      expect(COMMITMENT).to.match(/^0x[0-9a-f]{64}$/);
      expect(w.bob.address).to.not.equal(w.bob.address.toLowerCase());
      for (const [tokenId, text] of Object.entries(shown)) {
        expect(await attribute(w, BigInt(tokenId), "Beneficiary"), `token ${tokenId}`).to.equal(text);
        const { texts } = parseSvg(await w.certificate.svg(BigInt(tokenId)));
        expect(svgValue(texts, "Beneficiary"), `token ${tokenId}`).to.equal(text);
      }
      expect((await metadata(w, committed)).description).to.equal(
        `0.001 tCO2e of carbon credits retired for private beneficiary (commitment ${COMMITMENT}). Each unit is ` +
          "retired once: the serial range below is owned by this retirement alone.",
      );
    });

    it("names each claim type", async function () {
      const { w, b1 } = await certified();
      await w.retirement.connect(w.alice).setClaimAuthorisation(w.proponent.address, true); // alice consents
      const voluntary = 1n;
      const neutrality = await retire(w, {
        ids: [b1],
        amounts: [1n],
        claimType: ClaimType.Neutrality,
        claimEntity: w.alice.address,
        claimPeriod: 2024n,
      });
      const compliance = await retire(w, { ids: [b1], amounts: [1n], claimType: ClaimType.Compliance });
      // A batch's Article 6 status is pinned once units are retired under it: one batch per authorisation.
      const bNdc = await issue(w, 1n, 1_000n, 900_000_000n);
      await w.registry.connect(w.registrar).setArticle6Status(bNdc, Authorisation.NDC, Adjustment.Applied);
      const ndc = await retire(w, { ids: [bNdc], amounts: [1n], claimType: ClaimType.NDC });
      const bCorsia = await issue(w, 1n, 1_000n, 900_001_000n);
      await w.registry.connect(w.registrar).setArticle6Status(bCorsia, Authorisation.OIMP, Adjustment.Applied);
      const corsia = await retire(w, { ids: [bCorsia], amounts: [1n], claimType: ClaimType.CORSIA });
      const expected: [bigint, string][] = [
        [voluntary, "voluntary offset"],
        [neutrality, "carbon-neutrality claim"],
        [compliance, "compliance surrender"],
        [ndc, "NDC use"],
        [corsia, "CORSIA"],
      ];
      for (const [tokenId, claim] of expected) {
        expect(await attribute(w, tokenId, "Claim"), `token ${tokenId}`).to.equal(claim);
        expect(svgValue(parseSvg(await w.certificate.svg(tokenId)).texts, "Claim")).to.equal(claim);
      }
    });

    it("shows the retiree and the serial range of a later retirement of the batch", async function () {
      const { w, b1, retirementAddress } = await certified();
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.bob.address, b1, 500n, "0x");
      const tokenId = 2n;
      const data = encodeRequest(request({ beneficiary: w.alice.address }));
      await w.credit.connect(w.bob).safeTransferFrom(w.bob.address, retirementAddress, b1, 321n, data);
      const [serialStart, serialEnd] = await w.retirement.serialRangeOf(tokenId);
      expect([serialStart, serialEnd]).to.deep.equal([SERIAL_START + AMOUNT, SERIAL_START + AMOUNT + 320n]);
      expect(await attribute(w, tokenId, "Retiree")).to.equal(w.bob.address);
      expect(await attribute(w, tokenId, "Serial start")).to.equal(serialStart.toString());
      expect(await attribute(w, tokenId, "Serial end")).to.equal(serialEnd.toString());
      expect(await attribute(w, tokenId, "Amount (tCO2e)")).to.equal("0.321");
      expect(svgValue(parseSvg(await w.certificate.svg(tokenId)).texts, "Serials")).to.equal(
        `${serialStart} to ${serialEnd}`,
      );
    });

    it("reverts for a token that does not exist with ERC721NonexistentToken", async function () {
      const { w } = await certified();
      await expect(w.certificate.tokenURI(2n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(2n);
      await expect(w.certificate.svg(2n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(2n);
      await expect(w.certificate.tokenURI(0n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(0n);
    });
  });

  describe("svg", function () {
    it("is well-formed XML with an svg root of 600 x 450", async function () {
      const { w } = await certified();
      const svg = await w.certificate.svg(1n);
      const { root } = parseSvg(svg);
      expect(root["@_xmlns"]).to.equal("http://www.w3.org/2000/svg");
      expect([root["@_width"], root["@_height"], root["@_viewBox"]]).to.deep.equal(["600", "450", "0 0 600 450"]);
      expect(svg.startsWith("<svg ")).to.equal(true);
      expect(svg.endsWith("</svg>")).to.equal(true);
    });

    it("shows every figure of the certificate, line by line", async function () {
      const { w, b1 } = await certified();
      const { texts } = parseSvg(await w.certificate.svg(1n));
      const [serialStart, serialEnd] = await w.retirement.serialRangeOf(1n);
      expect(texts).to.deep.equal([
        "Carbon Retirement Certificate",
        "Retirement",
        "#1",
        "Amount",
        "12.500 tCO2e",
        "Beneficiary",
        NAME,
        "Claim",
        "voluntary offset",
        "Claimed for",
        "none",
        "Article 6",
        "not authorised, adjustment not applicable",
        "Project",
        PROJECT,
        "Vintage",
        "2000-02-29 to 2024-02-29",
        "Batch",
        `#${b1}`,
        "Serials",
        `${serialStart} to ${serialEnd}`,
        "Verified on chain by CNT. 1 unit = 1 kg CO2e.",
      ]);
    });

    it("escapes XML and JSON special characters of a beneficiary name", async function () {
      const { w, b1 } = await certified();
      const name = `Tom & Jerry's <"Cheese"> Co. \\ {}`;
      const tokenId = await retire(w, { ids: [b1], amounts: [1n], beneficiaryName: name });
      const svg = await w.certificate.svg(tokenId);
      expect(svg).to.include("Tom &amp; Jerry&apos;s &lt;&quot;Cheese&quot;&gt; Co.");
      expect(svgValue(parseSvg(svg).texts, "Beneficiary")).to.equal(name);
      const meta = await metadata(w, tokenId);
      expect(await attribute(w, tokenId, "Beneficiary")).to.equal(name);
      expect(meta.description).to.include(`retired for ${name}. Each unit`);
      const embedded = Buffer.from(meta.image.slice(SVG_PREFIX.length), "base64").toString("utf8");
      expect(embedded).to.equal(svg);
    });

    it("keeps control characters in JSON and drops those XML cannot carry", async function () {
      const { w, b1 } = await certified();
      const name = "Line\u0001one\ttab\nnew\u001fline";
      const tokenId = await retire(w, { ids: [b1], amounts: [1n], beneficiaryName: name });
      expect(await attribute(w, tokenId, "Beneficiary")).to.equal(name);
      const svg = await w.certificate.svg(tokenId);
      expect(svg).to.not.match(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
      expect(svgValue(parseSvg(svg).texts, "Beneficiary")).to.equal("Lineone\ttab\nnewline");
    });

    it("builds the project label from canonical codes only: markup in a jurisdiction is refused at registration", async function () {
      const { w } = await certified();
      const registration = {
        methodologyId: 1,
        bufferBps: 2_000,
        standardId: await standardIdOf(w, "GS"),
        externalRef: "GS-7",
        jurisdiction: `KE<7> & "Co"'s`,
        uri: "ipfs://gs7",
      };
      await expect(w.registry.connect(w.proponent).registerProject(registration))
        .to.be.revertedWithCustomError(w.registry, "JurisdictionInvalid")
        .withArgs(registration.jurisdiction);
      await w.registry.connect(w.proponent).registerProject({ ...registration, jurisdiction: "KE-7" });
      await w.registry.connect(w.registrar).approveProject(2n, id("approved"));
      const b2 = await issue(w, 2n, 1_000n, 1n);
      const tokenId = await retire(w, { ids: [b2], amounts: [1n] });
      const label = "GS-7 (GS, KE-7)";
      expect(await attribute(w, tokenId, "Project")).to.equal(label);
      expect(svgValue(parseSvg(await w.certificate.svg(tokenId)).texts, "Project")).to.equal(label);
    });
  });

  describe("date", function () {
    it("renders vintages at known timestamps, including leap days and 2100", async function () {
      const w = await deployWorld();
      const projectId = await approvedProject(w);
      // Period boundaries in order: each batch starts where (or after) the previous one ended.
      const periods: [number, number, string, string][] = [
        [0, 951_782_400, "1970-01-01", "2000-02-29"],
        [951_868_799, 1_709_164_800, "2000-02-29", "2024-02-29"],
        [1_709_251_199, 1_735_689_599, "2024-02-29", "2024-12-31"],
        [1_735_689_600, 4_107_542_399, "2025-01-01", "2100-02-28"],
        [4_107_542_400, 4_107_628_800, "2100-03-01", "2100-03-02"],
      ];
      await w.connection.networkHelpers.time.increaseTo(4_107_628_800 + 86_400);
      for (let i = 0; i < periods.length; ++i) {
        const [start, end, startText, endText] = periods[i];
        expect([isoDate(start), isoDate(end)], `JS dates of period ${i}`).to.deep.equal([startText, endText]);
        const batchId = await issue(w, projectId, 1_000n, BigInt(1 + i * 1_000), {
          periodStart: start,
          periodEnd: end,
        });
        const tokenId = await retire(w, { ids: [batchId], amounts: [1n] });
        const vintage = `${startText} to ${endText}`;
        expect(await attribute(w, tokenId, "Vintage"), `vintage of batch ${batchId}`).to.equal(vintage);
        expect(svgValue(parseSvg(await w.certificate.svg(tokenId)).texts, "Vintage")).to.equal(vintage);
      }
    });
  });
});
