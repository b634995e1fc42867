/** Address arguments of the ethers SDK. */
import { getAddress, isAddress } from "ethers";

import { CntArgumentError } from "./validation.js";

/**
 * A checksummed address, or a {@link CntArgumentError} naming `argument`; an address whose mixed case does not match
 * its checksum (a mistyped digit, usually) says so and gives the checksummed form of the digits as written.
 */
export function requireAddress(argument: string, value: unknown): string {
  if (typeof value === "string" && /^0x[0-9a-fA-F]{40}$/.test(value) && !isAddress(value)) {
    throw new CntArgumentError(
      argument,
      `${value} fails its checksum (its mixed case does not match its digits): check it for a typo; if the digits ` +
        `are right, it is ${getAddress(String(value).toLowerCase())}`,
    );
  }
  if (typeof value !== "string" || !isAddress(value)) {
    throw new CntArgumentError(argument, `${JSON.stringify(value)} is not an address`);
  }
  return getAddress(value);
}
