import { expect } from "chai";
import { id as keccakId } from "ethers";

import type { ICarbonMarketplace } from "../../typechain-types/index.js";
import type { World } from "./fixtures.js";

export const DAY = 86_400n;
export const BPS = 10_000n;
export const MAX_FEE_BPS = 1_000n;
export const MAX_UINT40 = 2n ** 40n - 1n;
export const MAX_UINT48 = 2n ** 48n - 1n;
export const MAX_UINT96 = 2n ** 96n - 1n;
export const MAX_UINT128 = 2n ** 128n - 1n;

/** The ERC-165 id of a list of function signatures (XOR of their selectors). */
export function interfaceIdOf(signatures: readonly string[]): string {
  let xor = 0n;
  for (const signature of signatures) xor ^= BigInt(keccakId(signature).slice(0, 10));
  return "0x" + xor.toString(16).padStart(8, "0");
}

/** The 4-byte selector of a custom error, e.g. `errorSelector("ReentrancyGuardReentrantCall()")`. */
export function errorSelector(signature: string): string {
  return keccakId(signature).slice(0, 10);
}

/** The protocol fee on `paid` at `feeBps`: rounded up (in the protocol's favour), as the marketplace computes it. */
export function feeOf(paid: bigint, feeBps: bigint): bigint {
  return (paid * feeBps + BPS - 1n) / BPS;
}

/** The timestamp of the latest block. */
export async function now(w: World): Promise<bigint> {
  return BigInt(await w.connection.networkHelpers.time.latest());
}

/** Every listing of the marketplace, ids 1..listingCount, in id order. */
export async function allListings(
  w: World,
): Promise<{ listingId: bigint; listing: ICarbonMarketplace.ListingStructOutput }[]> {
  const count = await w.marketplace.listingCount();
  const listings = [];
  for (let listingId = 1n; listingId <= count; ++listingId) {
    listings.push({ listingId, listing: await w.marketplace.getListing(listingId) });
  }
  return listings;
}

/**
 * The escrow invariant, for each batch of the credit token: the marketplace's balance equals the sum of the open
 * listings' `remaining` (closed listings have 0).
 */
export async function expectEscrowInvariant(w: World, batchIds: bigint[]): Promise<void> {
  const market = await w.marketplace.getAddress();
  const credit = await w.credit.getAddress();
  const listings = await allListings(w);
  for (const batchId of batchIds) {
    let listed = 0n;
    for (const { listing } of listings) {
      if (listing.token === credit && listing.id === batchId) listed += listing.remaining;
    }
    expect(await w.credit.balanceOf(market, batchId), `escrow of batch ${batchId}`).to.equal(listed);
  }
}

/** Every criteria bid of the marketplace, ids 1..bidCount, in id order. */
export async function allBids(w: World): Promise<{ bidId: bigint; bid: ICarbonMarketplace.BidStructOutput }[]> {
  const count = await w.marketplace.bidCount();
  const bids = [];
  for (let bidId = 1n; bidId <= count; ++bidId) bids.push({ bidId, bid: await w.marketplace.getBid(bidId) });
  return bids;
}

/**
 * The bid escrow invariant, for each payment token: the marketplace's balance equals the sum over its bids of
 * `remaining × unitPrice` (filled and cancelled bids have 0). Listings never hold payment (a buyer pays the seller
 * directly), so the bids' escrow is all the marketplace may hold.
 */
export async function expectBidEscrowInvariant(
  w: World,
  tokens: { getAddress(): Promise<string>; balanceOf(account: string): Promise<bigint> }[],
): Promise<void> {
  const market = await w.marketplace.getAddress();
  const bids = await allBids(w);
  for (const token of tokens) {
    const address = await token.getAddress();
    let escrowed = 0n;
    for (const { bid } of bids) {
      if (bid.paymentToken === address) escrowed += bid.remaining * bid.unitPrice;
    }
    expect(await token.balanceOf(market), `bid escrow of ${address}`).to.equal(escrowed);
  }
}
