/**
 * Requests the contracts take as structs, built with their defaults and checked before anything is sent, with no
 * dependency on ethers or viem: the ethers SDK's helpers and a viem app (`args: [retirementRequest({ … })]`) build
 * them the same way.
 */
import { ClaimType } from "./generated/solidity.js";
import { ZERO_JURISDICTION, jurisdictionCode } from "./jurisdictions.js";
import { CntArgumentError, requireId, requirePositive, requireUint } from "./validation.js";

/** A 0x-prefixed hex string (an address, a bytes8 or bytes32 value), as viem types it. */
export type Hex = `0x${string}`;

const ZERO_ADDRESS: Hex = "0x0000000000000000000000000000000000000000";
const ZERO_HASH: Hex = `0x${"0".repeat(64)}`;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** `IRetirementRegistry.RetirementRequest`: what {@link retirementRequest} builds. */
export interface RetirementRequest {
  ids: bigint[];
  amounts: bigint[];
  beneficiary: Hex;
  beneficiaryName: string;
  beneficiaryCommitment: Hex;
  claimType: ClaimType;
  claimEntity: Hex;
  claimPeriod: bigint;
  consumptionJurisdiction: Hex;
  consumptionStart: bigint;
  consumptionEnd: bigint;
  reason: string;
  skipCertificate: boolean;
}

/** What {@link retirementRequest} takes: the batch, the amount and the beneficiary; every other field optional. */
export interface RetirementRequestOptions {
  batchId: bigint | number;
  amount: bigint | number;
  beneficiary: string;
  beneficiaryName?: string;
  claimType?: ClaimType;
  /** The beneficiary's inventory period a neutrality claim counts against. */
  claimPeriod?: bigint | number;
  /** Where the claimed emissions happened, an ISO 3166 code ("DE", "DE-NW"). */
  consumptionJurisdiction?: string;
  reason?: string;
  /** `false` for no certificate (default: one is minted). */
  certificate?: boolean;
}

/**
 * The request to retire `amount` units of `batchId` for `beneficiary`, with a certificate unless
 * `certificate: false`: a voluntary offset unless `claimType` says otherwise; a neutrality claim counts against the
 * beneficiary's inventory of `claimPeriod`. Compliance claims are refused here: they are made by surrendering offsets
 * to the compliance registry; `claimPeriod` is used by a neutrality claim only (the registry keeps it for no other).
 * A {@link CntArgumentError} names the first bad argument. The beneficiary is checked for its shape (0x and 40 hex
 * digits) only: its checksum is your library's to check (viem's `isAddress`, ethers' `getAddress`, or the ethers
 * SDK's `requireAddress`), as this module depends on neither.
 */
export function retirementRequest(r: RetirementRequestOptions): RetirementRequest {
  if (typeof r.beneficiary !== "string" || !ADDRESS.test(r.beneficiary)) {
    throw new CntArgumentError("beneficiary", `${JSON.stringify(r.beneficiary)} is not an address`);
  }
  const beneficiary = r.beneficiary as Hex;
  const claimType = r.claimType ?? ClaimType.VoluntaryOffset;
  if (claimType === ClaimType.Compliance) {
    throw new CntArgumentError(
      "claimType",
      "compliance claims are made by surrendering offsets to the compliance registry",
    );
  }
  if (claimType === ClaimType.Neutrality && r.claimPeriod === undefined) {
    throw new CntArgumentError("claimPeriod", "a neutrality claim names the inventory period it counts against");
  }
  return {
    ids: [requireId("batchId", r.batchId)],
    amounts: [requirePositive("amount", r.amount)],
    beneficiary,
    beneficiaryName: r.beneficiaryName ?? "",
    beneficiaryCommitment: ZERO_HASH,
    claimType,
    claimEntity: claimType === ClaimType.Neutrality ? beneficiary : ZERO_ADDRESS,
    claimPeriod: claimType === ClaimType.Neutrality ? requireUint("claimPeriod", r.claimPeriod!) : 0n,
    consumptionJurisdiction:
      r.consumptionJurisdiction === undefined || r.consumptionJurisdiction === ""
        ? ZERO_JURISDICTION
        : jurisdictionCode("consumptionJurisdiction", r.consumptionJurisdiction),
    consumptionStart: 0n,
    consumptionEnd: 0n,
    reason: r.reason ?? "",
    skipCertificate: r.certificate === false,
  };
}
