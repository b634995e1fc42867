/** Errors the SDK throws before sending anything, and checks shared by its helpers. */
import { getAddress, isAddress } from "ethers";

/** A bad argument, found before any transaction is sent. `argument` names it. */
export class CntArgumentError extends Error {
  override readonly name = "CntArgumentError";

  constructor(
    readonly argument: string,
    message: string,
  ) {
    super(`${argument}: ${message}`);
  }
}

/** A checksummed address, or a {@link CntArgumentError} naming `argument`. */
export function requireAddress(argument: string, value: unknown): string {
  if (typeof value !== "string" || !isAddress(value)) {
    throw new CntArgumentError(argument, `${JSON.stringify(value)} is not an address`);
  }
  return getAddress(value);
}

/** `value` as a bigint when it is a bigint or a safe whole number; otherwise a {@link CntArgumentError}. */
function whole(argument: string, value: unknown, what: string): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number") {
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new CntArgumentError(argument, `${value} is beyond a number's exact range: pass a bigint`);
    }
    if (Number.isSafeInteger(value)) return BigInt(value);
  }
  throw new CntArgumentError(argument, `${String(value)} is not ${what}`);
}

/** A whole number from 0 (a time, a period, a price, a bit mask), or a {@link CntArgumentError}. */
export function requireUint(argument: string, value: bigint | number): bigint {
  const n = whole(argument, value, "a whole number");
  if (n < 0n) throw new CntArgumentError(argument, `${value} is negative`);
  if (n >= 2n ** 256n) throw new CntArgumentError(argument, `${value} does not fit in 256 bits`);
  return n;
}

/** A positive whole number (an id, a count), or a {@link CntArgumentError}. */
export function requireId(argument: string, value: bigint | number): bigint {
  const id = whole(argument, value, "a whole number");
  if (id < 1n) throw new CntArgumentError(argument, `${value} is not an id (ids start at 1)`);
  return requireUint(argument, id);
}

/** A positive amount of units (kg) or base units, or a {@link CntArgumentError}. */
export function requirePositive(argument: string, value: bigint | number): bigint {
  const amount = whole(argument, value, `a whole number of units (kg); use tonnes("…") for tCO2e`);
  if (amount <= 0n) throw new CntArgumentError(argument, `${value} must be more than 0`);
  return requireUint(argument, amount);
}
