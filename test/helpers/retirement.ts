import { AbiCoder, ZeroAddress, ZeroHash, type ContractTransactionReceipt, type LogDescription } from "ethers";

import { ClaimType } from "../../sdk/generated/solidity.js";
import { ZERO_JURISDICTION } from "../../sdk/jurisdictions.js";
import type { World } from "./fixtures.js";

/** `ClaimType` of IRetirementRegistry.sol. */
export { ClaimType };

/** A RetirementRequest with plain values (addresses as strings), so it can also be ABI-encoded off chain. */
export interface RetirementRequest {
  ids: bigint[];
  amounts: bigint[];
  beneficiary: string;
  beneficiaryName: string;
  beneficiaryCommitment: string;
  claimType: number;
  claimEntity: string;
  claimPeriod: bigint;
  /** Compact ISO 3166 (`code("DE")`), or ZERO_JURISDICTION. */
  consumptionJurisdiction: string;
  consumptionStart: bigint;
  consumptionEnd: bigint;
  reason: string;
  skipCertificate: boolean;
}

/**
 * The ABI tuple of `RetirementRequest`, written out from the Solidity struct (not taken from the contract's ABI), so
 * retire-on-transfer data built here checks the struct's layout too.
 */
export const REQUEST_TUPLE =
  "tuple(uint256[] ids, uint256[] amounts, address beneficiary, string beneficiaryName, bytes32 beneficiaryCommitment, " +
  "uint8 claimType, address claimEntity, uint64 claimPeriod, bytes8 consumptionJurisdiction, uint64 consumptionStart, " +
  "uint64 consumptionEnd, string reason, bool skipCertificate)";

/** A complete request: a voluntary offset for the retiree with a certificate, no batch; `overrides` win. */
export function request(overrides: Partial<RetirementRequest> = {}): RetirementRequest {
  return {
    ids: [],
    amounts: [],
    beneficiary: ZeroAddress,
    beneficiaryName: "",
    beneficiaryCommitment: ZeroHash,
    claimType: ClaimType.VoluntaryOffset,
    claimEntity: ZeroAddress,
    claimPeriod: 0n,
    consumptionJurisdiction: ZERO_JURISDICTION,
    consumptionStart: 0n,
    consumptionEnd: 0n,
    reason: "",
    skipCertificate: false,
    ...overrides,
  };
}

/** `abi.encode(request)`: the data of a retire-on-transfer. */
export function encodeRequest(req: RetirementRequest): string {
  return AbiCoder.defaultAbiCoder().encode([REQUEST_TUPLE], [req]);
}

/** Every `Retired` event of the retirement registry in `receipt`, decoded, in log order. */
export async function retiredEvents(w: World, receipt: ContractTransactionReceipt | null): Promise<LogDescription[]> {
  const address = await w.retirement.getAddress();
  return receipt!.logs
    .filter((log) => log.address === address)
    .map((log) => w.retirement.interface.parseLog(log)!)
    .filter((event) => event.name === "Retired");
}

/** A page of a lookup: ids newest first and the cursor of the following page (0 when none). */
export type PageFn = (cursor: bigint, limit: bigint) => Promise<[bigint[], bigint]>;

/** Walks a lookup page by page (`limit` per page); returns every id in order and the pages seen. */
export async function walk(page: PageFn, limit: bigint): Promise<{ ids: bigint[]; pages: bigint[][] }> {
  const ids: bigint[] = [];
  const pages: bigint[][] = [];
  let cursor = 0n;
  for (let guard = 0; guard < 1_000; ++guard) {
    const [pageIds, next] = await page(cursor, limit);
    pages.push([...pageIds]);
    ids.push(...pageIds);
    if (next === 0n) return { ids, pages };
    cursor = next;
  }
  throw new Error("lookup does not terminate");
}

/** The lookups of the retirement registry as {PageFn}s. */
export function byBeneficiary(w: World, beneficiary: string): PageFn {
  return async (cursor, limit) => {
    const [ids, next] = await w.retirement.retirementsByBeneficiary(beneficiary, cursor, limit);
    return [[...ids], next];
  };
}

export function byRetiree(w: World, retiree: string): PageFn {
  return async (cursor, limit) => {
    const [ids, next] = await w.retirement.retirementsByRetiree(retiree, cursor, limit);
    return [[...ids], next];
  };
}

export function byBatch(w: World, batchId: bigint): PageFn {
  return async (cursor, limit) => {
    const [ids, next] = await w.retirement.retirementsByBatch(batchId, cursor, limit);
    return [[...ids], next];
  };
}
