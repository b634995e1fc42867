/**
 * Errors the SDK throws before sending anything, and checks shared by its helpers; no dependency on ethers or viem
 * (the ethers SDK checks addresses in sdk/address.ts).
 */

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

/** A standard's canonical code, as the registry accepts it: 1 to 16 characters of `A-Z`, `0-9`, `-` and `.`. */
export const STANDARD_CODE = /^[A-Z0-9.-]{1,16}$/;

/** A project's canonical external reference: 1 to 64 characters of `A-Z`, `0-9`, `-`, `.`, `_` and `/`. */
export const EXTERNAL_REF = /^[A-Z0-9._/-]{1,64}$/;

/** `value` when it is a canonical standard code, or a {@link CntArgumentError} that says why not. */
export function requireStandardCode(argument: string, value: unknown): string {
  if (typeof value !== "string" || !STANDARD_CODE.test(value)) {
    throw new CntArgumentError(
      argument,
      `${JSON.stringify(value)} is not a standard code (1 to 16 characters of A-Z, 0-9, '-' and '.', e.g. "VCS")`,
    );
  }
  return value;
}

/** `value` when it is a canonical external reference, or a {@link CntArgumentError} that says why not. */
export function requireExternalRef(argument: string, value: unknown): string {
  if (typeof value !== "string" || !EXTERNAL_REF.test(value)) {
    throw new CntArgumentError(
      argument,
      `${JSON.stringify(value)} is not an external reference (1 to 64 characters of A-Z, 0-9, '-', '.', '_' and '/', e.g. "VCS-1234")`,
    );
  }
  return value;
}
