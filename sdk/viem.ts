/**
 * The CNT package for viem and wagmi, with no ethers: the suite's ABIs `as const` (so `readContract`, `writeContract`,
 * `getContract`, `watchContractEvent` and wagmi's actions infer names, arguments, structs and return types), the merged
 * errors and events ABIs, the enums, role ids and constants of the contracts, units, jurisdiction codes, the
 * deployment records, and every revert of the suite as one sentence.
 *
 * ```ts
 * import { createPublicClient, http } from "viem";
 * import { cntContracts, deploymentOnNode, explainError } from "cnt-protocol/viem";
 *
 * const url = process.env.CNT_NODE_URL!; // the node's JSON-RPC URL
 * const deployment = await deploymentOnNode(url, { dir: "path/to/cnt/deployments" });
 * const cnt = cntContracts(deployment);
 * const client = createPublicClient({ transport: http(url) });
 * const supply = await client.readContract({ ...cnt.CarbonCredit, functionName: "supplyOf", args: [1n] });
 * ```
 */
import { decodeErrorResult, type Address, type Hex } from "viem";

import {
  accessManagerAbi,
  allowanceAuctionAbi,
  carbonCreditAbi,
  carbonMarketplaceAbi,
  carbonRegistryAbi,
  cntErrorsAbi,
  complianceRegistryAbi,
  emissionAllowanceAbi,
  emissionsLedgerAbi,
  retirementCertificateAbi,
  retirementRegistryAbi,
} from "./generated/abi/index.js";
import type { SuiteContractName } from "./deployments.js";
import {
  asBigInts,
  collectRevertData,
  errorMessage,
  explainWith,
  type DecodedCntError,
  type ErrorLabels,
} from "./messages.js";

export * from "./core.js";

/** A contract of the suite for viem's and wagmi's actions: its address and its const ABI. */
export interface CntContract<TAbi> {
  readonly address: Address;
  readonly abi: TAbi;
}

/** The suite's contracts of a deployment as `{ address, abi }` pairs, by contract name ({@link cntContracts}). */
export interface CntViemContracts {
  readonly AccessManager: CntContract<typeof accessManagerAbi>;
  readonly CarbonRegistry: CntContract<typeof carbonRegistryAbi>;
  readonly CarbonCredit: CntContract<typeof carbonCreditAbi>;
  readonly RetirementCertificate: CntContract<typeof retirementCertificateAbi>;
  readonly RetirementRegistry: CntContract<typeof retirementRegistryAbi>;
  readonly CarbonMarketplace: CntContract<typeof carbonMarketplaceAbi>;
  readonly EmissionsLedger: CntContract<typeof emissionsLedgerAbi>;
  readonly ComplianceRegistry: CntContract<typeof complianceRegistryAbi>;
  readonly EmissionAllowance: CntContract<typeof emissionAllowanceAbi>;
  readonly AllowanceAuction: CntContract<typeof allowanceAuctionAbi>;
}

/**
 * The suite's contracts of a deployment as `{ address, abi }` pairs, by contract name, to spread into viem's and
 * wagmi's actions (`readContract(client, { ...cnt.CarbonRegistry, functionName: "projectOf", args: [1n] })`) or pass
 * to `getContract({ ...cnt.CarbonCredit, client })`; every call is typed by the contract's ABI.
 */
export function cntContracts(deployment: { contracts: Record<SuiteContractName, string> }): CntViemContracts {
  const at = (name: SuiteContractName) => deployment.contracts[name] as Address;
  return {
    AccessManager: { address: at("AccessManager"), abi: accessManagerAbi },
    CarbonRegistry: { address: at("CarbonRegistry"), abi: carbonRegistryAbi },
    CarbonCredit: { address: at("CarbonCredit"), abi: carbonCreditAbi },
    RetirementCertificate: { address: at("RetirementCertificate"), abi: retirementCertificateAbi },
    RetirementRegistry: { address: at("RetirementRegistry"), abi: retirementRegistryAbi },
    CarbonMarketplace: { address: at("CarbonMarketplace"), abi: carbonMarketplaceAbi },
    EmissionsLedger: { address: at("EmissionsLedger"), abi: emissionsLedgerAbi },
    ComplianceRegistry: { address: at("ComplianceRegistry"), abi: complianceRegistryAbi },
    EmissionAllowance: { address: at("EmissionAllowance"), abi: emissionAllowanceAbi },
    AllowanceAuction: { address: at("AllowanceAuction"), abi: allowanceAuctionAbi },
  };
}

/**
 * Decodes revert data (0x-prefixed) of any error of the suite, of OpenZeppelin's ERC-20/721/1155 errors, or the
 * `Error(string)` and `Panic(uint256)` builtins, with its sentence; undefined when the data is no known error.
 */
export function decodeCntError(data: Hex, labels?: ErrorLabels): DecodedCntError | undefined {
  let decoded;
  try {
    decoded = decodeErrorResult({ abi: cntErrorsAbi, data });
  } catch {
    return undefined;
  }
  return named(decoded.errorName, decoded.abiItem.inputs, decoded.args ?? [], labels);
}

/**
 * Finds the revert data inside whatever viem threw (a `ContractFunctionExecutionError` and its causes, an RPC error's
 * data, revert data in a message) and decodes it; undefined when the error carries no revert data of a known error.
 * An error viem already decoded with an ABI of the suite is read as decoded.
 */
export function findCntError(error: unknown, labels?: ErrorLabels): DecodedCntError | undefined {
  const { structured, inMessages } = collectRevertData(error);
  for (const data of [...structured, ...inMessages]) {
    const decoded = decodeCntError(data as Hex, labels);
    if (decoded !== undefined) return decoded;
  }
  // viem's ContractFunctionRevertedError keeps `data: { errorName, args, abiItem }` when the call's ABI knew the error.
  for (let cause: unknown = error, depth = 0; cause !== null && typeof cause === "object" && depth < 8; depth++) {
    const data = (cause as { data?: unknown }).data as
      | { errorName?: unknown; args?: readonly unknown[]; abiItem?: { inputs?: readonly AbiInput[] } }
      | undefined;
    if (data && typeof data.errorName === "string" && data.abiItem?.inputs) {
      return named(data.errorName, data.abiItem.inputs, data.args ?? [], labels);
    }
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * One sentence for whatever viem threw: the decoded error of the suite ({@link findCntError}); for revert data of an
 * unknown error, its selector; otherwise viem's `shortMessage` (or another one-line description).
 */
export function explainError(error: unknown, labels?: ErrorLabels): string {
  return explainWith(findCntError(error, labels), error);
}

interface AbiInput {
  name?: string;
  type: string;
  components?: readonly AbiInput[];
}

function canonicalType(input: AbiInput): string {
  if (!input.type.startsWith("tuple")) return input.type;
  return `(${(input.components ?? []).map(canonicalType).join(",")})${input.type.slice("tuple".length)}`;
}

/**
 * A decoded error with its arguments by parameter name, as the ethers SDK gives them: integers as bigint (viem decodes
 * the ones of 48 bits or less as numbers), and the builtin `Panic`'s code as `code` (viem names it `reason`).
 */
function named(
  name: string,
  inputs: readonly AbiInput[],
  values: readonly unknown[],
  labels?: ErrorLabels,
): DecodedCntError {
  const signature = `${name}(${inputs.map(canonicalType).join(",")})`;
  const decoded: Record<string, unknown> = {};
  inputs.forEach((input, i) => {
    decoded[name === "Panic" && signature === "Panic(uint256)" ? "code" : input.name || `arg${i}`] = values[i];
  });
  const args = asBigInts(decoded);
  return { name, signature, args, message: errorMessage(name, args, labels) };
}
