/**
 * Jurisdictions in the suite's one form (contracts/libraries/Jurisdictions.sol): an ISO 3166 code, a country
 * ("BR", an assigned ISO 3166-1 alpha-2 code) or a subdivision ("BR-PA": the country, '-', one to three upper-case
 * letters or digits), carried on chain as a `bytes8` of its ASCII, left-aligned and zero-padded.
 */
import { CrossBorderRule } from "./generated/solidity.js";
import { CntArgumentError } from "./validation.js";
import { enumWords } from "./words.js";

/** The 249 assigned ISO 3166-1 alpha-2 codes; the contracts hold the same list as a bit table. */
export const ISO_3166_COUNTRIES: readonly string[] = `
  AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
  CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR
  GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO
  JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR
  MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO
  RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV
  TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`
  .trim()
  .split(/\s+/);

export { CrossBorderRule };

/**
 * What each `CrossBorderRule` (`IComplianceRegistry.CrossBorderRule`: which offsets hosted in another country than an
 * installation's a compliance period accepts; Refused until the regulator sets another) admits, by its value: the
 * words of the SDK's error sentences and the CLI.
 */
export const CROSS_BORDER_RULE_TEXT = enumWords(CrossBorderRule, {
  Refused: "refused",
  AuthorisedAdjusted: "only Article 6 authorised and adjusted",
  Allowed: "allowed",
});
/** No jurisdiction (an optional field left out, such as a retirement's consumption jurisdiction). */
export const ZERO_JURISDICTION: `0x${string}` = "0x0000000000000000";

const COUNTRIES = new Set(ISO_3166_COUNTRIES);
const FORM = /^([A-Z]{2})(-[A-Z0-9]{1,3})?$/;

/** Whether `text` is a jurisdiction the contracts accept: canonical ISO 3166, an assigned country. */
export function isJurisdiction(text: string): boolean {
  const match = FORM.exec(text);
  return match !== null && COUNTRIES.has(match[1]);
}

/**
 * `text` ("BR-PA") as the contracts carry it (`0x42522d5041000000`), or a {@link CntArgumentError} naming `argument`
 * that says what is wrong (and the canonical spelling when only the case or spaces are).
 */
export function jurisdictionCode(argument: string, text: string): `0x${string}` {
  if (!isJurisdiction(text)) {
    const canonical = typeof text === "string" ? text.trim().toUpperCase().replace(/_/g, "-") : "";
    const hint = canonical !== text && isJurisdiction(canonical) ? ` (write ${canonical})` : "";
    throw new CntArgumentError(
      argument,
      `${JSON.stringify(text)} is not an ISO 3166 code such as "BR" or "BR-PA"${hint}: an assigned country, ` +
        `optionally "-" and one to three upper-case letters or digits`,
    );
  }
  const hex = [...text].map((c) => c.charCodeAt(0).toString(16).padStart(2, "0")).join("");
  return `0x${hex.padEnd(16, "0")}`;
}

/** The text of a jurisdiction the contracts returned (`0x42522d5041000000` → "BR-PA"); "" for zero. */
export function jurisdictionText(code: string): string {
  const pairs = code.replace(/^0x/, "").match(/../g) ?? [];
  let text = "";
  for (const pair of pairs) {
    const byte = parseInt(pair, 16);
    if (byte === 0) break;
    text += String.fromCharCode(byte);
  }
  return text;
}
