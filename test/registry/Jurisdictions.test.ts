import { expect } from "chai";

import {
  ISO_3166_COUNTRIES,
  ZERO_JURISDICTION,
  isJurisdiction,
  jurisdictionCode,
  jurisdictionText,
} from "../../sdk/jurisdictions.js";
import { deployWorld, type World } from "../helpers/fixtures.js";

/** Every pair of upper-case letters, "AA" to "ZZ". */
const ALL_PAIRS = Array.from({ length: 26 * 26 }, (_, i) =>
  String.fromCharCode(65 + Math.floor(i / 26), 65 + (i % 26)),
);

/** Texts that are not a jurisdiction in canonical form, each for a reason a person or an attacker might try. */
const NOT_CANONICAL: [string, string][] = [
  ["", "empty"],
  ["br", "lower case"],
  ["br-pa", "lower case subdivision"],
  ["BR-pa", "lower-case subdivision part"],
  ["BR-PA ", "trailing space"],
  [" BR-PA", "leading space"],
  ["BR_PA", "underscore"],
  ["BR PA", "space as separator"],
  ["BR-", "no subdivision"],
  ["BR-PARA", "subdivision longer than three"],
  ["BRA", "alpha-3 code"],
  ["BRA-PA", "alpha-3 country"],
  ["B", "one letter"],
  ["XX", "unassigned (user-assigned) code"],
  ["UK", "reserved, not assigned (the United Kingdom is GB)"],
  ["EU", "exceptionally reserved, not a country"],
  ["XK", "user-assigned code (Kosovo), not ISO 3166-1"],
  ["В R", "Cyrillic look-alike"],
  ["ВR", "Cyrillic letter Ve for B"],
  ["BR\u0000", "trailing zero byte"],
  ["BR-P\u0000", "zero byte inside"],
  ["BR--PA", "double separator"],
  ["12", "digits as the country"],
  ["BR-PA-1", "two separators"],
];

describe("Jurisdictions: one canonical ISO 3166 form, validated on chain and in the SDK", function () {
  let w: World;

  before(async function () {
    w = await deployWorld();
  });

  describe("the list of countries", function () {
    it("holds the 249 assigned ISO 3166-1 alpha-2 codes, each a region the platform's Intl names", function () {
      expect(ISO_3166_COUNTRIES).to.have.length(249);
      expect(new Set(ISO_3166_COUNTRIES).size).to.equal(249);
      const names = new Intl.DisplayNames(["en"], { type: "region" });
      for (const country of ISO_3166_COUNTRIES) expect(names.of(country), country).to.not.equal(country);
      for (const reserved of ["UK", "EU", "XK", "AN", "YU", "ZZ"]) expect(ISO_3166_COUNTRIES).to.not.include(reserved);
    });

    it("the contract's 676-bit table accepts exactly the SDK's list: every pair AA to ZZ is checked on chain", async function () {
      const accepted: string[] = [];
      for (const pair of ALL_PAIRS) {
        try {
          expect(await w.registry.jurisdictionCode(pair)).to.equal(jurisdictionCode("pair", pair));
          accepted.push(pair);
        } catch (error) {
          if (ISO_3166_COUNTRIES.includes(pair)) throw error;
        }
      }
      expect(accepted).to.deep.equal([...ISO_3166_COUNTRIES]);
    });
  });

  describe("canonical form", function () {
    it("accepts a country and subdivisions of one to three letters or digits, as the SDK encodes them", async function () {
      for (const text of ["BR", "BR-PA", "GB-ENG", "FR-75C", "KE-30", "US-CA", "DE-NW", "CN-11", "IN-1"]) {
        const code = await w.registry.jurisdictionCode(text);
        expect(code, text).to.equal(jurisdictionCode("j", text));
        expect(jurisdictionText(code)).to.equal(text);
        expect(isJurisdiction(text)).to.equal(true);
      }
      expect(jurisdictionCode("j", "BR-PA")).to.equal("0x42522d5041000000");
      expect(jurisdictionText(ZERO_JURISDICTION)).to.equal("");
    });

    for (const [text, why] of NOT_CANONICAL) {
      it(`refuses ${JSON.stringify(text)} (${why}) with JurisdictionInvalid, as the SDK does`, async function () {
        await expect(w.registry.jurisdictionCode(text))
          .to.be.revertedWithCustomError(w.registry, "JurisdictionInvalid")
          .withArgs(text);
        expect(isJurisdiction(text)).to.equal(false);
        expect(() => jurisdictionCode("jurisdiction", text)).to.throw(/is not an ISO 3166 code/);
      });
    }

    it("the SDK names the canonical spelling when only the case, spaces or separator are off", function () {
      expect(() => jurisdictionCode("jurisdiction", "br-pa ")).to.throw(
        'jurisdiction: "br-pa " is not an ISO 3166 code such as "BR" or "BR-PA" (write BR-PA)',
      );
      expect(() => jurisdictionCode("jurisdiction", "XX")).to.throw(/"XX" is not an ISO 3166 code[^(]*: an assigned/);
    });
  });
});
