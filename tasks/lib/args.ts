/**
 * Option parsing for the `cnt:*` tasks. Every option arrives as text; these readers turn it into the value the
 * contracts take and throw a `UsageError` naming the option and what is wrong with it.
 */
import { id as keccakText, isHexString } from "ethers";

import { jurisdictionCode } from "../../sdk/jurisdictions.js";
import { KG_PER_TONNE, parseDecimal } from "../../sdk/units.js";
import { CntArgumentError } from "../../sdk/validation.js";
import { flagName, type TaskSpec } from "./spec.js";

/** A missing or malformed option: the runner prints the message and the task's usage. */
export class UsageError extends Error {}

export class Args {
  /** The chain's latest block time, set once connected: relative dates (`+90d`) count from it. */
  now?: bigint;

  constructor(
    private readonly spec: TaskSpec,
    private readonly raw: Record<string, unknown>,
  ) {}

  /** Throws a UsageError naming every required option left out. */
  checkRequired(): void {
    const missing = this.spec.options.filter((o) => o.required && !this.has(o.name)).map((o) => flagName(o.name));
    if (missing.length > 0) {
      throw new UsageError(`missing ${missing.length === 1 ? "option" : "options"} ${missing.join(", ")}`);
    }
  }

  has(name: string): boolean {
    const value = this.raw[name];
    return typeof value === "boolean" ? value : typeof value === "string" && value.trim() !== "";
  }

  flag(name: string): boolean {
    return this.raw[name] === true;
  }

  /** The option's text, trimmed; "" when left out. */
  text(name: string): string {
    const value = this.raw[name];
    return typeof value === "string" ? value.trim() : "";
  }

  private fail(name: string, problem: string): never {
    throw new UsageError(`${flagName(name)} ${JSON.stringify(this.text(name))}: ${problem}`);
  }

  /** A whole number (ids, years, sectors). */
  integer(name: string, { min = 0n, max }: { min?: bigint; max?: bigint } = {}): bigint {
    const text = this.text(name).replace(/[,_]/g, "");
    if (!/^\d+$/.test(text)) this.fail(name, "expected a whole number");
    const value = BigInt(text);
    if (value < min) this.fail(name, `must be at least ${min}`);
    if (max !== undefined && value > max) this.fail(name, `must be at most ${max}`);
    return value;
  }

  /** An id such as a batch, project or listing id: a whole number from 1. */
  id(name: string): bigint {
    return this.integer(name, { min: 1n });
  }

  /** A reporting or compliance period: a calendar year. */
  year(name: string): bigint {
    return this.integer(name, { min: 1990n, max: 2200n });
  }

  /** An amount in tCO2e ("12", "12.5", "0.001", "1_000") converted to kg units; more than zero. */
  tonnes(name: string): bigint {
    const units = parseDecimal(this.text(name), 3);
    if (units === undefined) this.fail(name, "expected an amount in tCO2e with at most 3 decimals (1 kg)");
    if (units === 0n) this.fail(name, "must be more than 0 tCO2e");
    return units;
  }

  /** A percentage with at most two decimals ("10", "2.5") in basis points. */
  percent(name: string, maxBps = 10_000n): bigint {
    const bps = parseDecimal(this.text(name), 2);
    if (bps === undefined) this.fail(name, "expected a percentage such as 10 or 2.5");
    if (bps > maxBps) this.fail(name, `must be at most ${Number(maxBps) / 100}%`);
    return bps;
  }

  /**
   * A price per tCO2e in the payment token ("12.50"), returned per kg unit in the token's base units: the contracts
   * price one unit, so the price must be a whole number of base units per kg.
   */
  pricePerTonne(name: string, decimals: number, symbol: string): bigint {
    const perTonne = parseDecimal(this.text(name), decimals);
    if (perTonne === undefined)
      this.fail(name, `expected a price in ${symbol} per tCO2e with at most ${decimals} decimals`);
    if (perTonne === 0n) this.fail(name, "must be more than 0");
    if (perTonne % KG_PER_TONNE !== 0n) {
      const step = 10 ** -(decimals - 3);
      this.fail(name, `must be a multiple of ${step} ${symbol} per tCO2e (one base unit per kg)`);
    }
    return perTonne / KG_PER_TONNE;
  }

  /** An amount of an ERC-20 in its decimal notation ("250.5") converted to base units. */
  tokenAmount(name: string, decimals: number, symbol: string): bigint {
    const value = parseDecimal(this.text(name), decimals);
    if (value === undefined) this.fail(name, `expected an amount of ${symbol} with at most ${decimals} decimals`);
    return value;
  }

  /** A date ("2026-03-31", "2026-03-31T12:00:00Z"), unix seconds, or a time from the chain's now ("+90d"). */
  date(name: string): bigint {
    const text = this.text(name);
    if (/^\d{9,11}$/.test(text)) return BigInt(text);
    if (text.startsWith("+") && this.now !== undefined) return this.now + this.duration(name, text.slice(1));
    const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
    const ms = /^\d{4}-\d{2}-\d{2}T/.test(iso) ? Date.parse(iso) : NaN;
    if (Number.isNaN(ms)) this.fail(name, "expected a date such as 2026-03-31 (UTC), unix seconds, or +90d from now");
    return BigInt(Math.floor(ms / 1000));
  }

  /** A duration such as "90m", "36h", "14d" or plain seconds, in seconds. */
  duration(name: string, text = this.text(name)): bigint {
    const match = /^(\d+)\s*([smhd]?)$/.exec(text);
    if (!match) this.fail(name, "expected a duration such as 90m, 36h or 14d");
    const scale = { "": 1n, s: 1n, m: 60n, h: 3_600n, d: 86_400n }[match[2] as "" | "s" | "m" | "h" | "d"];
    return BigInt(match[1]) * scale;
  }

  /** A bytes32: given as 0x-prefixed hex, or any text, which is hashed with keccak256 (a document reference). */
  hash(name: string): string {
    const text = this.text(name);
    if (isHexString(text, 32)) return text.toLowerCase();
    if (text.startsWith("0x")) this.fail(name, "a hash given in hex must be 32 bytes (64 hex digits)");
    return keccakText(text);
  }

  /** Comma-separated values ("1,2,5"). */
  list(name: string): string[] {
    return this.text(name)
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
  }

  /** Methodology categories as the criteria bit mask: "removal,avoidance" → 0b11; none given → 0 (any). */
  categories(name: string): bigint {
    let mask = 0n;
    for (const category of this.list(name)) {
      const index = ["removal", "avoidance"].indexOf(category.toLowerCase());
      if (index < 0) this.fail(name, `"${category}" is not removal or avoidance`);
      mask |= 1n << BigInt(index);
    }
    return mask;
  }

  /** An ISO 3166 code ("BR-PA") in the compact form the contracts take. */
  jurisdiction(name: string): string {
    return this.jurisdictionOf(name, this.text(name));
  }

  /** Comma-separated ISO 3166 codes ("BR,KE-30"), each in compact form. */
  jurisdictions(name: string): string[] {
    return this.list(name).map((code) => this.jurisdictionOf(name, code));
  }

  private jurisdictionOf(name: string, text: string): string {
    try {
      return jurisdictionCode(flagName(name), text);
    } catch (error) {
      if (error instanceof CntArgumentError) throw new UsageError(error.message);
      throw error;
    }
  }

  /** One of `choices` (case-insensitive), returning its mapped value. */
  choice<T>(name: string, choices: Record<string, T>): T {
    const key = this.text(name).toLowerCase();
    if (!(key in choices)) this.fail(name, `expected one of ${Object.keys(choices).join(", ")}`);
    return choices[key];
  }
}
