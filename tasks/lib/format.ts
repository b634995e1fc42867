/** Display helpers for the CLI tasks. Amounts of credits, allowances and emissions are shown in tCO2e. */
import { formatUnits } from "ethers";

export { formatTonnes as tonnes } from "../../sdk/errors.js";

export const ProjectStatusNames = ["none", "pending", "approved", "rejected", "suspended"] as const;
export const ReportStatusNames = ["none", "submitted", "verified", "rejected", "issued"] as const;
export const CategoryNames = ["removal", "avoidance"] as const;
export const AuthorisationNames = ["none", "NDC", "OIMP"] as const;
export const AdjustmentNames = ["not applicable", "pending", "applied"] as const;
export const ClaimTypeNames = ["voluntary offset", "neutrality", "compliance", "NDC", "CORSIA"] as const;
export const ComplianceStatusNames = ["no data", "pending", "compliant", "non-compliant"] as const;

/** Unix seconds → `2026-03-31` (or with the time when it is not midnight UTC); 0 → "—". */
export function date(seconds: bigint | number): string {
  const value = Number(seconds);
  if (value === 0) return "—";
  const iso = new Date(value * 1000).toISOString();
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : `${iso.slice(0, 16).replace("T", " ")} UTC`;
}

/** A token amount in its decimals with thousands separators: `1234500000n, 6` → `1,234.5`. */
export function money(amount: bigint, decimals: number): string {
  const [whole, fraction = ""] = formatUnits(amount, decimals).split(".");
  const trimmed = fraction.replace(/0+$/, "");
  return `${BigInt(whole).toLocaleString("en-US")}${trimmed ? `.${trimmed}` : ""}`;
}

/** A price per kg unit shown per tCO2e: `12500n, 6, "USDCm"` → `12.5 USDCm/tCO2e`. */
export function pricePerTonne(unitPrice: bigint, decimals: number, symbol: string): string {
  return `${money(unitPrice * 1_000n, decimals)} ${symbol}/tCO2e`;
}

/** A bytes32 hash shortened for display. */
export function short(hash: string): string {
  return /^0x0{64}$/.test(hash) ? "—" : `${hash.slice(0, 10)}…`;
}
