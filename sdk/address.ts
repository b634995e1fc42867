/** Address arguments of the ethers SDK. */
import { getAddress, isAddress } from "ethers";

import { CntArgumentError } from "./validation.js";

/** A checksummed address, or a {@link CntArgumentError} naming `argument`. */
export function requireAddress(argument: string, value: unknown): string {
  if (typeof value !== "string" || !isAddress(value)) {
    throw new CntArgumentError(argument, `${JSON.stringify(value)} is not an address`);
  }
  return getAddress(value);
}
