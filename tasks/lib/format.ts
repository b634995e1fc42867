/** Display helpers for the CLI tasks. Amounts of credits, allowances and emissions are shown in tCO2e. */
import {
  Adjustment,
  Authorisation,
  Category,
  ClaimType,
  ComplianceStatus,
  ProjectStatus,
  ReportStatus,
} from "../../sdk/generated/solidity.js";
import { KG_PER_TONNE, formatAmount as money } from "../../sdk/units.js";
import { enumWords } from "../../sdk/words.js";

export { formatTonnes as tonnes } from "../../sdk/units.js";

export const ProjectStatusNames = enumWords(ProjectStatus, {
  None: "none",
  Pending: "pending",
  Approved: "approved",
  Rejected: "rejected",
  Suspended: "suspended",
});
export const ReportStatusNames = enumWords(ReportStatus, {
  None: "none",
  Submitted: "submitted",
  Verified: "verified",
  Rejected: "rejected",
  Issued: "issued",
});
export const CategoryNames = enumWords(Category, { Removal: "removal", Avoidance: "avoidance" });
export const AuthorisationNames = enumWords(Authorisation, { None: "none", NDC: "NDC", OIMP: "OIMP" });
export const AdjustmentNames = enumWords(Adjustment, {
  NotApplicable: "not applicable",
  Pending: "pending",
  Applied: "applied",
});
export const ClaimTypeNames = enumWords(ClaimType, {
  VoluntaryOffset: "voluntary offset",
  Neutrality: "neutrality",
  Compliance: "compliance",
  NDC: "NDC",
  CORSIA: "CORSIA",
});
export const ComplianceStatusNames = enumWords(ComplianceStatus, {
  NoData: "no data",
  Pending: "pending",
  Compliant: "compliant",
  NonCompliant: "non-compliant",
});

/** Unix seconds → `2026-03-31` (or with the time when it is not midnight UTC); 0 → "—". */
export function date(seconds: bigint | number): string {
  const value = Number(seconds);
  if (value === 0) return "—";
  const iso = new Date(value * 1000).toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** A token amount in its decimals with thousands separators: `1234500000n, 6` → `1,234.5`. */
export { formatAmount as money } from "../../sdk/units.js";

/** A price per kg unit shown per tCO2e: `12500n, 6, "USDCm"` → `12.5 USDCm/tCO2e`. */
export function pricePerTonne(unitPrice: bigint, decimals: number, symbol: string): string {
  return `${money(unitPrice * KG_PER_TONNE, decimals)} ${symbol}/tCO2e`;
}

/** A bytes32 hash shortened for display. */
export function short(hash: string): string {
  return /^0x0{64}$/.test(hash) ? "—" : `${hash.slice(0, 10)}…`;
}
