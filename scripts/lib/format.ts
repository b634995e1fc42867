/** Formatting helpers shared by the demo and the benchmark: units are kg CO2e, 1,000 units = 1 tCO2e. */

/** Units (kg CO2e) in tCO2e: `12500000n` → `"12,500 tCO2e"`, `250n` → `"0.25 tCO2e"` (the SDK's one formatter). */
export { formatTonnes as tonnes } from "../../sdk/units.js";

/** `1234567n` → `"1,234,567"`. */
export function grouped(value: bigint): string {
  return value.toLocaleString("en-US");
}

/** Prints rows as a fixed-width text table. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(headers), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Decodes a base64 `data:application/json;base64,` URI into its JSON object. */
export function decodeDataUri(uri: string): Record<string, unknown> {
  const prefix = "data:application/json;base64,";
  if (!uri.startsWith(prefix)) throw new Error(`not a base64 JSON data URI: ${uri.slice(0, 40)}…`);
  return JSON.parse(Buffer.from(uri.slice(prefix.length), "base64").toString("utf8"));
}
