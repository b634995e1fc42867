/**
 * Units: the suite counts credits, allowances and emissions in kg CO2e (1 unit = 1 kg); people speak tCO2e.
 * 1,000 units = 1 tCO2e = one registry credit.
 */
import { CntArgumentError } from "./validation.js";

/** Units (kg CO2e) per tonne. */
export const KG_PER_TONNE = 1_000n;

/**
 * tCO2e to units: `tonnes("12.5")` → `12500n`, `tonnes(3)` → `3000n`. Accepts a decimal string with at most three
 * decimals (one kilogram) or a finite number; throws a {@link CntArgumentError} for a negative, non-numeric or
 * sub-kilogram amount.
 */
export function tonnes(value: string | number): bigint {
  // Numbers are written out in full ("1e21" → "1000000000000000000000").
  const text =
    typeof value === "number"
      ? Number.isFinite(value)
        ? (value === 0 ? 0 : value).toLocaleString("en-US", { useGrouping: false, maximumFractionDigits: 20 })
        : ""
      : value;
  const units = parseDecimal(text, 3);
  if (units === undefined) {
    throw new CntArgumentError(
      "amount",
      `${typeof value === "string" ? JSON.stringify(value) : String(value)} is not an amount in tCO2e: expected a ` +
        `non-negative number with at most 3 decimals (1 kg)`,
    );
  }
  return units;
}

/**
 * A non-negative decimal text with at most `decimals` significant fractional digits, scaled by 10^decimals:
 * `parseDecimal("12.5", 3)` → `12500n`. Surrounding spaces and "_" separators are ignored; a comma is refused (it
 * is a decimal point to many readers). Undefined when the text is not such a number.
 */
export function parseDecimal(text: string, decimals: number): bigint | undefined {
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim().replace(/_/g, ""));
  const fraction = (match?.[2] ?? "").replace(/0+$/, "");
  if (match === null || fraction.length > decimals) return undefined;
  return BigInt(match[1]) * 10n ** BigInt(decimals) + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/**
 * Units (kg) as a whole bigint: `kg(1500)` → `1500n`. Throws a {@link CntArgumentError} for a negative or fractional
 * number of kilograms (the contracts count whole kilograms).
 */
export function kg(value: bigint | number): bigint {
  if (typeof value === "number" && !Number.isSafeInteger(value)) {
    throw new CntArgumentError(
      "amount",
      Number.isInteger(value)
        ? `${value} kg is beyond a number's exact range: pass a bigint`
        : `${value} kg is not a whole number of kilograms`,
    );
  }
  const units = BigInt(value);
  if (units < 0n) throw new CntArgumentError("amount", `${value} kg is negative`);
  return units;
}

/**
 * An amount in base units as a decimal of `decimals` decimals, trailing zeros trimmed and, unless `grouping` is false,
 * grouped by thousands: `formatAmount(9_000_000_000n, 6)` → `"9,000"` (9,000 of a 6-decimal stablecoin),
 * `formatAmount(12_500n, 3)` → `"12.5"`.
 */
export function formatAmount(
  amount: bigint,
  decimals: number,
  { grouping = true }: { grouping?: boolean } = {},
): string {
  const sign = amount < 0n ? "-" : "";
  const abs = amount < 0n ? -amount : amount;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const fraction = decimals === 0 ? "" : (abs % base).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${sign}${grouping ? whole.toLocaleString("en-US") : whole}${fraction ? `.${fraction}` : ""}`;
}

/** Units to a decimal tCO2e string without grouping: `12500n` → `"12.5"`, `3000n` → `"3"`. */
export function toTonnes(units: bigint): string {
  return formatAmount(units, 3, { grouping: false });
}

/** Units in tCO2e for people: `12500n` → `"12.5 tCO2e"`, `12000000n` → `"12,000 tCO2e"`, `250n` → `"0.25 tCO2e"`. */
export function formatTonnes(units: bigint): string {
  return `${formatAmount(units, 3)} tCO2e`;
}
