/**
 * Decoding the CNT suite's reverts with ethers v6: the revert data of any suite contract, or of a payment token through
 * it, decodes against the merged errors ABI (`cntErrorsAbi`) and reads as one sentence (sdk/messages.ts).
 */
import { AbiCoder, ErrorFragment, Interface } from "ethers";

import { cntErrorsAbi } from "./generated/abi/index.js";
import {
  REVERT_DATA,
  collectRevertData,
  errorMessage,
  explainWith,
  type DecodedCntError,
  type ErrorLabels,
} from "./messages.js";

export { formatTimestamp, TEMPLATED_ERRORS } from "./messages.js";
export { formatTonnes } from "./units.js";
export type { DecodedCntError, ErrorLabels } from "./messages.js";

/** Decodes revert data (0x-prefixed) of any suite contract's custom error (including inherited OpenZeppelin ones: AccessManagedUnauthorized, ERC1155*, ERC20*, EnforcedPause, ReentrancyGuardReentrantCall, SafeERC20FailedOperation, AccessManager* ...), or the Error(string)/Panic(uint256) builtins. undefined when unknown. */
export function decodeCntError(data: string, labels?: ErrorLabels): DecodedCntError | undefined {
  const decoded = decodeArgs(data);
  if (decoded === undefined || decoded === "malformed") return undefined;
  const { name, signature, args } = decoded;
  return { name, signature, args, message: errorMessage(name, args, labels) };
}
/**
 * Finds the revert data inside whatever ethers v6 / hardhat-ethers / a JSON-RPC provider threw (error.data,
 * error.info.error.data, error.error.data, a nested cause, revert data inside the message…) and decodes it; undefined
 * when the error carries no revert data of a known error.
 */
export function findCntError(error: unknown, labels?: ErrorLabels): DecodedCntError | undefined {
  const { structured, inMessages, decodedRevert } = collectRevertData(error);
  // First choice: revert data that decodes as a known error, found in a data field, then in a message.
  for (const data of [...structured, ...inMessages]) {
    const decoded = decodeCntError(data, labels);
    if (decoded !== undefined) return decoded;
  }
  // ethers may have decoded the error itself (`error.revert`) without keeping its data.
  if (decodedRevert !== undefined) {
    const data = reencode(decodedRevert);
    return data === undefined ? undefined : decodeCntError(data, labels);
  }
  return undefined;
}

/**
 * One sentence for whatever was thrown: the decoded custom error ({@link findCntError}); for revert data of an unknown
 * error, its selector; otherwise a short one-line description (e.g. ethers' `shortMessage`), never a multi-line dump.
 */
export function explainError(error: unknown, labels?: ErrorLabels): string {
  return explainWith(findCntError(error, labels), error);
}

// ------------------------------------------------------------------------------------------------------ decoding

const ERROR_STRING_SELECTOR = "0x08c379a0"; // Error(string)
const PANIC_SELECTOR = "0x4e487b71"; // Panic(uint256)

/** Every error of the merged errors ABI, by selector. */
const ERRORS = new Interface(cntErrorsAbi);

interface RawDecoded {
  name: string;
  signature: string;
  args: Record<string, unknown>;
}

/** Decodes revert data into name and arguments; undefined for an unknown selector, "malformed" for bad data. */
function decodeArgs(data: string): RawDecoded | "malformed" | undefined {
  if (typeof data !== "string" || !REVERT_DATA.test(data) || data.length < 10) return undefined;
  const selector = data.slice(0, 10).toLowerCase();
  const body = "0x" + data.slice(10);
  try {
    if (selector === ERROR_STRING_SELECTOR) {
      const [message] = AbiCoder.defaultAbiCoder().decode(["string"], body);
      return { name: "Error", signature: "Error(string)", args: { message } };
    }
    if (selector === PANIC_SELECTOR) {
      const [code] = AbiCoder.defaultAbiCoder().decode(["uint256"], body);
      return { name: "Panic", signature: "Panic(uint256)", args: { code } };
    }
    const fragment = ERRORS.getError(selector);
    if (fragment === null) return undefined;
    const values = AbiCoder.defaultAbiCoder().decode(fragment.inputs, body);
    const args: Record<string, unknown> = {};
    fragment.inputs.forEach((input, i) => {
      args[input.name || `arg${i}`] = values[i];
    });
    return { name: fragment.name, signature: fragment.format("sighash"), args };
  } catch {
    return "malformed";
  }
}

/** Re-encodes an error ethers decoded itself, when it is one of ours. */
function reencode(revert: { signature: string; args: readonly unknown[] }): string | undefined {
  try {
    const fragment = ErrorFragment.from(`error ${revert.signature}`);
    if (
      ERRORS.getError(fragment.selector) === null &&
      revert.signature !== "Error(string)" &&
      revert.signature !== "Panic(uint256)"
    ) {
      return undefined;
    }
    return fragment.selector + AbiCoder.defaultAbiCoder().encode(fragment.inputs, revert.args).slice(2);
  } catch {
    return undefined;
  }
}
