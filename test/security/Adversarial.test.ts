import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import {
  FunctionFragment,
  MaxUint256,
  ZeroAddress,
  ZeroHash,
  dataSlice,
  getAddress,
  id,
  type Interface,
  type ParamType,
} from "ethers";

import {
  AllowanceAuction__factory,
  CarbonMarketplace__factory,
  ComplianceRegistry__factory,
  RetirementRegistry__factory,
  type BlocklistERC20Mock,
  type ERC20Mock,
  type ReentrancyAttackerMock,
  type ReentrantERC20Mock,
  type RevertingERC20Mock,
} from "../../typechain-types/index.js";
import { Permissions, type SuiteContractName } from "../../scripts/lib/permissions.js";
import { Roles, type RoleName } from "../../scripts/lib/roles.js";
import {
  PERIOD,
  SECTOR,
  anyBatch,
  attest,
  expectAuctionEscrow,
  openPeriod,
  periodConfig,
  timeTo,
} from "../helpers/compliance.js";
import { approvedProject, deployWorld, issue, plain, type World } from "../helpers/fixtures.js";
import {
  DAY,
  allBids,
  allListings,
  errorSelector,
  expectBidEscrowInvariant,
  expectEscrowInvariant,
  feeOf,
  interfaceIdOf,
  now,
} from "../helpers/market.js";
import { nestedFixtures } from "../helpers/registry.js";
import { encodeRequest, request } from "../helpers/retirement.js";

// The adversarial counterparts of the flow tests: payment tokens that halt or blocklist, and one attacker contract
// that re-enters every state-changing entry point it can reach. Each test shows the attack failing and nothing
// changing: every party's credits and payment tokens, the escrows, the open amounts, the treasury.

// Batch 1: 10,000 units, 8,000 to the proponent.
const QUANTITY = 10_000n;
// Listings: 1,000 units at 15,000 base units a unit, open for a week. Bids: 500 units at the same price.
const AMOUNT = 1_000n;
const PRICE = 15_000n;
const BID_QUANTITY = 500n;
const ESCROW = BID_QUANTITY * PRICE;
// The fee of every marketplace test: 1%, to the default treasury (admin).
const FEE_BPS = 100n;
// Every buyer and bidder starts with 1,000,000 of each payment token (6 decimals).
const FUNDS = 1_000_000_000_000n;
// Auctions: 1,000 allowances at a reserve of 10; a bid of 100 at 30 (deposit 3,500) and one of 50 at 20 (deposit
// 1,000). Demand falls short of the volume, so both clear at 20: the first pays 2,000 and gets 1,500 back.
const VOLUME = 1_000n;
const RESERVE = 10n;
const HIGH = { price: 30n, quantity: 100n, deposit: 3_500n, paid: 2_000n, refund: 1_500n };
const LOW = { price: 20n, quantity: 50n, deposit: 1_000n, paid: 1_000n, refund: 0n };
const HOUR = 3_600n;
// The compliance attack: an auction of VOLUME where the attacker bids 700 and alice 500, both at 20. Demand of 1,200
// fills the 1,000 pro rata with cumulative rounding in claim order: alice, claiming first, floor(500,000 / 1,200) =
// 416, the attacker 1,000 - 416 = 584; nothing is left over. The attacker operates an installation with EMISSIONS verified for PERIOD and
// PAST_EMISSIONS for PAST, settled short before (a PENALTY owed, the shortfall carried to PERIOD as make-good), and
// holds CREDITS of batch 1, of which OFFSETS (PERIOD's 10% offset limit) can be surrendered.
const OWN_SHARE = { price: 20n, quantity: 700n, deposit: 14_000n, paid: 11_680n, refund: 2_320n };
const ALICE_SHARE = { price: 20n, quantity: 500n, deposit: 10_000n, paid: 8_320n, refund: 1_680n };
const OWN_ISSUED = 584n;
const ALICE_ISSUED = 416n;
const PAST = PERIOD - 1n;
const EMISSIONS = 1_000n;
const OFFSETS = 100n;
const PAST_EMISSIONS = 2_000n;
const PENALTY_PER_TONNE = 50n;
const PENALTY = 100n;
const CREDITS = 200n;
const REENTRANT_CALL = errorSelector("ReentrancyGuardReentrantCall()");
/** An account that has never held anything: where the TREASURER points fees and proceeds away from a blocked one. */
const FRESH_TREASURY = getAddress(dataSlice(id("fresh treasury"), 12));
/** Bid criteria that accept every batch. */
const ANY = anyBatch();

// ------------------------------------------------------------------ entry-point enumeration

/** One re-entry to try: an entry point of `target` and its calldata. */
interface Attempt {
  name: string;
  signature: string;
  target: string;
  data: string;
}

/** Arguments by parameter name. */
type Values = Record<string, unknown>;

/** The ABI tuples of `RetirementRequest` and of `BatchCriteria`, to write the signatures below. */
const REQUEST = "(uint256[],uint256[],address,string,bytes32,uint8,address,uint64,bytes8,uint64,uint64,string,bool)";
const CRITERIA = "(uint32[],bytes8[],uint64,uint64,uint64,uint8,uint8,uint8)";
/** AccessManaged's `setAuthority`: no reentrancy guard; only the authority (the AccessManager) may call it. */
const SET_AUTHORITY = "setAuthority(address)";

/**
 * The state-changing entry points of each contract, written out so that one added or removed fails the enumeration
 * test until this table and SECURITY.md are updated: `guarded` carry `nonReentrant` (16, 9 and 6 of them in the
 * sources), `unguarded` is the one inherited without it. The role-gated ones among the guarded (the permission
 * table's) run `restricted` before `nonReentrant`, so a caller without the role is refused by the AccessManager first.
 */
const ENTRY_POINTS = {
  CarbonMarketplace: {
    guarded: [
      "buy(uint256,uint256,uint256,address)",
      `buyAndRetire(uint256,uint256,uint256,${REQUEST})`,
      "buyMany((uint256,uint256,uint256)[],address)",
      "buyWithPermit(uint256,uint256,uint256,address,(uint256,uint256,uint8,bytes32,bytes32))",
      "cancelBid(uint256)",
      "cancelListing(uint256)",
      "fillBid(uint256,uint256,uint256)",
      "list(address,uint256,uint256,uint256,address,uint256,uint64)",
      "pause()",
      `placeBid(${CRITERIA},uint256,uint256,address,uint64)`,
      "setAssetAllowed(address,bool)",
      "setFee(uint16)",
      "setPaymentTokenAllowed(address,bool)",
      "setTreasury(address)",
      "unpause()",
      "updateListing(uint256,uint256,uint64,uint256)",
    ],
    unguarded: [SET_AUTHORITY],
  },
  AllowanceAuction: {
    guarded: [
      "claim(uint256)",
      "claimMany(uint256[])",
      "commitBid(uint256,bytes32,uint256)",
      "openAuction(uint64,uint256,uint256,address,uint64,uint64,uint64)",
      "pause()",
      "revealBid(uint256,uint256,uint256,bytes32,uint256)",
      "setTreasury(address)",
      "settle(uint256,uint256)",
      "unpause()",
    ],
    unguarded: [SET_AUTHORITY],
  },
  RetirementRegistry: {
    guarded: [
      "onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)",
      "onERC1155Received(address,address,uint256,uint256,bytes)",
      "pause()",
      `retire(${REQUEST})`,
      `retireFrom(address,${REQUEST})`,
      "setClaimAuthorisation(address,bool)",
      "unpause()",
    ],
    unguarded: [SET_AUTHORITY],
  },
} as const satisfies Partial<Record<SuiteContractName, { guarded: readonly string[]; unguarded: readonly string[] }>>;

/** A contract of ENTRY_POINTS. */
type Attacked = keyof typeof ENTRY_POINTS;

/** The number of state-changing entry points of `contract`, guarded and not. */
function entryPointCount(contract: Attacked): number {
  return ENTRY_POINTS[contract].guarded.length + ENTRY_POINTS[contract].unguarded.length;
}

/** Every external state-changing function of `iface` (neither view nor pure), in ABI order. */
function entryPoints(iface: Interface): FunctionFragment[] {
  return iface.fragments.filter(
    (f): f is FunctionFragment =>
      f instanceof FunctionFragment && f.stateMutability !== "view" && f.stateMutability !== "pure",
  );
}

/** The zero value of a parameter: 0, false, the zero address or hash, "", empty arrays, zero structs. */
function zeroOf(param: ParamType): unknown {
  if (param.isArray()) return [];
  if (param.isTuple()) return param.components.map(zeroOf);
  if (param.baseType === "address") return ZeroAddress;
  if (param.baseType === "bool") return false;
  if (param.baseType === "string") return "";
  if (param.baseType === "bytes") return "0x";
  const bytesN = /^bytes(\d+)$/.exec(param.type);
  if (bytesN) return "0x" + "00".repeat(Number(bytesN[1]));
  return 0n;
}

/**
 * Calldata for every state-changing entry point of `iface` on `target`. Each argument is `byFunction[name][param]`,
 * else `common[param]`, else the zero value of its type, so an entry point added later is still tried.
 */
function attemptsOn(iface: Interface, target: string, common: Values, byFunction: Record<string, Values> = {}) {
  return entryPoints(iface).map((fn): Attempt => {
    const args = fn.inputs.map((param) => {
      const own = byFunction[fn.name] ?? {};
      if (param.name in own) return own[param.name];
      if (param.name in common) return common[param.name];
      return zeroOf(param);
    });
    return { name: fn.name, signature: fn.format("sighash"), target, data: iface.encodeFunctionData(fn, args) };
  });
}

/** The role-gated (`restricted`) entry points of `contract`: the signatures of the permission table. */
function restrictedOf(contract: SuiteContractName): Set<string> {
  const roles: Partial<Record<string, readonly string[]>> = Permissions[contract];
  return new Set(Object.values(roles).flatMap((signatures) => signatures ?? []));
}

/**
 * The entry points where authorization comes before the guard: the role-gated ones and the unguarded
 * `setAuthority`. An outsider calling them is refused with AccessManagedUnauthorized, inside a hook or not.
 */
function authorisedFirst(contract: Attacked): Set<string> {
  return new Set([...ENTRY_POINTS[contract].unguarded, ...restrictedOf(contract)]);
}

/** The roles of the permission table for `contract`. */
function rolesOf(contract: Attacked): RoleName[] {
  return Object.keys(Permissions[contract]) as RoleName[];
}

/**
 * The revert data each entry point of `contract` must give when `caller` re-enters it from inside a guarded call:
 * the guard's ReentrancyGuardReentrantCall, except AccessManagedUnauthorized(`caller`) for the unguarded
 * `setAuthority` and, unless `caller` holds every role of the permission table, for the role-gated ones.
 */
function refusals(contract: Attacked, caller: string, holdsRoles: boolean): Record<string, string> {
  const unauthorized = CarbonMarketplace__factory.createInterface().encodeErrorResult("AccessManagedUnauthorized", [
    caller,
  ]);
  const restricted = restrictedOf(contract);
  const expected: Record<string, string> = {};
  for (const signature of ENTRY_POINTS[contract].guarded) {
    expected[signature] = restricted.has(signature) && !holdsRoles ? unauthorized : REENTRANT_CALL;
  }
  for (const signature of ENTRY_POINTS[contract].unguarded) expected[signature] = unauthorized;
  return expected;
}

/** Every attempt reverted, with exactly the revert data `expected` gives its entry point. */
function expectRefused(
  attempts: Attempt[],
  outcomes: { reverted: boolean; data: string }[],
  expected: Record<string, string>,
): void {
  expect(outcomes.length, "attempts made").to.equal(attempts.length);
  attempts.forEach((attempt, i) => {
    expect(expected, "an expected refusal").to.have.property(attempt.signature);
    expect(outcomes[i].reverted, `${attempt.signature} reverted`).to.equal(true);
    expect(outcomes[i].data, `${attempt.signature} revert data`).to.equal(expected[attempt.signature]);
  });
}

/** The attempts of `attempts` refused with `data`, as sorted signatures. */
function refusedWith(attempts: Attempt[], outcomes: string[], data: string): string[] {
  return attempts
    .filter((_, i) => outcomes[i] === data)
    .map((a) => a.signature)
    .sort();
}

/**
 * How each attempt fares as a plain call of the attacker, with no hook running (a static call through `execute`):
 * undefined when it succeeds, else its revert data. Shows the calldata is real, so that a refusal inside the hook is
 * the guard's doing.
 */
async function outsideAHook(
  attacker: ReentrancyAttackerMock,
  attempts: Attempt[],
): Promise<Record<string, string | undefined>> {
  const outcomes: Record<string, string | undefined> = {};
  for (const attempt of attempts) {
    try {
      await attacker.execute.staticCall(attempt.target, attempt.data);
      outcomes[attempt.signature] = undefined;
    } catch (error) {
      const data = (error as { data?: string }).data;
      if (data === undefined) throw error;
      outcomes[attempt.signature] = data;
    }
  }
  return outcomes;
}

/**
 * Makes each attempt in turn as a plain call of the attacker, with no hook running: one that reverts is only
 * simulated, the others are sent. Returns, per attempt, undefined when it succeeded, else its revert data: the
 * outcomes of the same calls made one after the other, to compare with those made from inside a hook.
 */
async function inTurn(attacker: ReentrancyAttackerMock, attempts: Attempt[]): Promise<(string | undefined)[]> {
  const outcomes: (string | undefined)[] = [];
  for (const attempt of attempts) {
    const [refusal] = Object.values(await outsideAHook(attacker, [attempt]));
    if (refusal === undefined) await (await attacker.execute(attempt.target, attempt.data)).wait();
    outcomes.push(refusal);
  }
  return outcomes;
}

const MARKET_ENTRY_POINTS = entryPointCount("CarbonMarketplace");
const AUCTION_ENTRY_POINTS = entryPointCount("AllowanceAuction");
const RETIREMENT_ENTRY_POINTS = entryPointCount("RetirementRegistry");
const MARKET_GUARDED = ENTRY_POINTS.CarbonMarketplace.guarded.length;
const AUCTION_GUARDED = ENTRY_POINTS.AllowanceAuction.guarded.length;

/**
 * The compliance registry's state-changing entry points, written out like ENTRY_POINTS. Its role-gated ones (the
 * permission table's 13) carry no guard, so `restricted` alone refuses an outsider; the three auction-volume ones are
 * bound to the auction contract (refused to anyone else with ComplianceNotAuction); the permissionless three carry
 * the registry's own `nonReentrant`, which an auction claim does not hold (`issueAuctioned` is not guarded);
 * `setAuthority` is the inherited one.
 */
const COMPLIANCE_ENTRY_POINTS = {
  restricted: [
    "allocate(uint64,uint256,uint256)",
    "allocateMany(uint64,uint256[],uint256[])",
    "bindAuction(address)",
    "closeInstallation(uint256)",
    "initialize(address)",
    `openPeriod(uint64,(uint128,uint128,uint64,uint16,uint128,address,${CRITERIA}))`,
    "pause()",
    "registerInstallation(address,uint32,string)",
    "setCrossBorderRule(uint64,uint8)",
    "setTreasury(address)",
    "settle(uint256,uint64)",
    "unpause()",
    "updateOperator(uint256,address)",
  ],
  bound: [
    "issueAuctioned(uint256,address,uint256)",
    "releaseAuctionVolume(uint256,uint256)",
    "reserveAuctionVolume(uint64,uint256,uint256)",
  ],
  guarded: [
    "payPenalty(uint256,uint64)",
    "surrenderAllowances(uint256,uint64,uint64[],uint256[])",
    "surrenderOffsets(uint256,uint64,uint256[],uint256[])",
  ],
  unguarded: [SET_AUTHORITY],
} as const;
const COMPLIANCE_ENTRY_POINTS_COUNT = Object.values(COMPLIANCE_ENTRY_POINTS).flat().length;

// ------------------------------------------------------------------ contexts

interface Ctx {
  w: World;
  b1: bigint;
  market: string;
  credit: string;
  house: string;
  /** The treasury of the marketplace's fees and of the auction's proceeds (admin, for both). */
  treasury: string;
  usdc: ERC20Mock;
  reverting: RevertingERC20Mock;
  blocklist: BlocklistERC20Mock;
}

/** A payment token, as the state snapshots and escrow invariants read it. */
type Balances = { getAddress(): Promise<string>; balanceOf(account: string): Promise<bigint> };

/** The payment tokens of a context, for balance snapshots and the escrow invariants. */
function tokensOf(ctx: Ctx) {
  return [ctx.usdc, ctx.reverting, ctx.blocklist];
}

/** An auction of the compliance side: its id and the ends of its bidding and reveal windows. */
interface AuctionCtx extends Ctx {
  auctionId: bigint;
  end: bigint;
  revealEnd: bigint;
}

describe("Adversarial tokens and re-entrancy", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<World> {
    return world;
  }

  /**
   * Batch 1 issued (8,000 units to the proponent, who approved the marketplace); a 1% fee; three payment tokens
   * allowed (an ERC20Mock "USDC", a RevertingERC20Mock and a BlocklistERC20Mock), of which alice and bob hold FUNDS
   * each, approved to the marketplace and the auction house.
   */
  async function withMarket(): Promise<Ctx> {
    const w = await load(deployed);
    const projectId = await approvedProject(w);
    const b1 = await issue(w, projectId, QUANTITY, 1n);
    const market = await w.marketplace.getAddress();
    const house = await w.auction.getAddress();
    await (await w.marketplace.connect(w.treasurer).setFee(FEE_BPS)).wait();
    await (await w.credit.connect(w.proponent).setApprovalForAll(market, true)).wait();
    const usdc = (await w.ethers.deployContract("ERC20Mock")) as unknown as ERC20Mock;
    const reverting = (await w.ethers.deployContract("RevertingERC20Mock")) as unknown as RevertingERC20Mock;
    const blocklist = (await w.ethers.deployContract("BlocklistERC20Mock")) as unknown as BlocklistERC20Mock;
    for (const token of [usdc, reverting, blocklist]) {
      await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(await token.getAddress(), true)).wait();
      for (const holder of [w.alice, w.bob]) {
        await (await token.mint(holder.address, FUNDS)).wait();
        await (await token.connect(holder).approve(market, MaxUint256)).wait();
        await (await token.connect(holder).approve(house, MaxUint256)).wait();
      }
    }
    const [, treasury] = await w.marketplace.feeInfo();
    expect(await w.auction.treasury(), "one treasury for fees and auction proceeds").to.equal(treasury);
    return { w, b1, market, credit: await w.credit.getAddress(), house, treasury, usdc, reverting, blocklist };
  }

  /**
   * withMarket plus listing 1 (AMOUNT of batch 1 for the RevertingERC20Mock) and listing 2 (the same for the
   * BlocklistERC20Mock), both the proponent's; bid 1 (alice, BID_QUANTITY in the RevertingERC20Mock) and bid 2
   * (alice, the same in the BlocklistERC20Mock), both accepting any batch.
   */
  async function withWeirdTokens() {
    const ctx = await load(withMarket);
    const expiry = (await now(ctx.w)) + 7n * DAY;
    const listings = [];
    const bids = [];
    for (const token of [ctx.reverting, ctx.blocklist]) {
      const pay = await token.getAddress();
      await (
        await ctx.w.marketplace.connect(ctx.w.proponent).list(ctx.credit, ctx.b1, AMOUNT, PRICE, pay, 0n, expiry)
      ).wait();
      listings.push(await ctx.w.marketplace.listingCount());
      await (await ctx.w.marketplace.connect(ctx.w.alice).placeBid(ANY, BID_QUANTITY, PRICE, pay, expiry)).wait();
      bids.push(await ctx.w.marketplace.bidCount());
    }
    return {
      ...ctx,
      expiry,
      revertingListing: listings[0],
      blocklistListing: listings[1],
      revertingBid: bids[0],
      blocklistBid: bids[1],
    };
  }

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
    await load(deployed);
  });

  // ------------------------------------------------------------------ helpers

  /**
   * Everything a refused call must leave untouched, for `accounts` besides the proponent, alice, bob, the treasury
   * and the marketplace: their credits (tradable and retired) and balances of every payment token (the context's and
   * `tokens`), and what every listing and bid has left.
   */
  async function marketState(ctx: Ctx, accounts: string[] = [], tokens: Balances[] = []) {
    const { w } = ctx;
    const everyone = [w.proponent.address, w.alice.address, w.bob.address, ctx.treasury, ctx.market, ...accounts];
    const payments = [...tokensOf(ctx), ...tokens];
    return {
      credits: await Promise.all(everyone.map((a) => w.credit.balanceOf(a, ctx.b1))),
      retired: await Promise.all(everyone.map((a) => w.credit.retiredBalanceOf(a, ctx.b1))),
      payments: await Promise.all(payments.map((t) => Promise.all(everyone.map((a) => t.balanceOf(a))))),
      listings: (await allListings(w)).map(({ listing }) => [listing.remaining, listing.unitPrice, listing.expiry]),
      bids: (await allBids(w)).map(({ bid }) => bid.remaining),
    };
  }

  /** The marketplace's escrow invariants, for batch 1 and every payment token (the context's and `tokens`). */
  async function expectMarketInvariants(ctx: Ctx, tokens: Balances[] = []) {
    await expectEscrowInvariant(ctx.w, [ctx.b1]);
    await expectBidEscrowInvariant(ctx.w, [...tokensOf(ctx), ...tokens]);
  }

  /**
   * Everything a refused auction call must leave untouched: every auction and bid, the period's accounting, the
   * allowance supply, and the balances of `accounts` (besides the house, the treasury, alice and bob) in every
   * payment token (the context's and `tokens`) and in allowances.
   */
  async function auctionState(ctx: Ctx, accounts: string[] = [], tokens: Balances[] = []) {
    const { w } = ctx;
    const everyone = [ctx.house, ctx.treasury, w.alice.address, w.bob.address, ...accounts];
    const [auctionCount, bidCount] = await w.auction.counts();
    const auctions = [];
    for (let a = 1n; a <= auctionCount; ++a) auctions.push(plain(await w.auction.getAuction(a)));
    const bids = [];
    for (let b = 1n; b <= bidCount; ++b) bids.push(plain(await w.auction.getBid(b)));
    const period = await w.compliance.getPeriod(PERIOD);
    return {
      auctions,
      bids,
      period: [period.allocated, period.auctionReserved, period.auctioned, period.burned],
      supply: await w.allowance.totalSupply(PERIOD),
      allowances: await Promise.all(everyone.map((a) => w.allowance.balanceOf(a, PERIOD))),
      payments: await Promise.all(
        [...tokensOf(ctx), ...tokens].map((t) => Promise.all(everyone.map((a) => t.balanceOf(a)))),
      ),
    };
  }

  /** Period 2026 opened (withMarket's tokens already approved to the house). */
  async function withPeriod(): Promise<Ctx> {
    const ctx = await load(withMarket);
    await openPeriod(ctx.w);
    return ctx;
  }

  /**
   * Opens an auction of VOLUME at RESERVE paid in `paymentToken`: bidding for a day from an hour from now, then a day
   * of reveal. Time at the bidding start.
   */
  async function openAuction(ctx: Ctx, paymentToken: string): Promise<AuctionCtx> {
    const start = (await now(ctx.w)) + HOUR;
    const end = start + DAY;
    const revealEnd = end + DAY;
    await (
      await ctx.w.auction
        .connect(ctx.w.regulator)
        .openAuction(PERIOD, VOLUME, RESERVE, paymentToken, start, end, revealEnd)
    ).wait();
    const [auctionId] = await ctx.w.auction.counts();
    await timeTo(ctx.w, start);
    return { ...ctx, auctionId, end, revealEnd };
  }

  /** Commits `bid` for `bidder` (a signer, or the attacker through `execute`); returns the bid id and its salt. */
  async function commit(
    ctx: AuctionCtx,
    bidder: { address: string; send(data: string): Promise<unknown> },
    bid: typeof HIGH,
  ) {
    const salt = id(`salt ${bidder.address} ${ctx.auctionId}`);
    const commitment = await ctx.w.auction.commitmentOf(ctx.auctionId, bidder.address, bid.price, bid.quantity, salt);
    await bidder.send(
      ctx.w.auction.interface.encodeFunctionData("commitBid", [ctx.auctionId, commitment, bid.deposit]),
    );
    const [, bidId] = await ctx.w.auction.counts();
    return { bidId, salt };
  }

  /** A signer as a bidder of {commit}: its calls go straight to the auction house. */
  function direct(ctx: Ctx, signer: HardhatEthersSigner) {
    return {
      address: signer.address,
      send: async (data: string) => (await signer.sendTransaction({ to: ctx.house, data })).wait(),
    };
  }

  /**
   * An auction in `paymentToken` with alice's HIGH bid and bob's LOW bid committed, revealed and settled (clearing
   * at 20). Time at revealEnd.
   */
  async function settledAuction(ctx: Ctx, paymentToken: string) {
    const actx = await openAuction(ctx, paymentToken);
    const alice = direct(ctx, ctx.w.alice);
    const bob = direct(ctx, ctx.w.bob);
    const high = await commit(actx, alice, HIGH);
    const low = await commit(actx, bob, LOW);
    await timeTo(ctx.w, actx.end);
    const auction = ctx.w.auction.interface;
    await alice.send(auction.encodeFunctionData("revealBid", [high.bidId, HIGH.price, HIGH.quantity, high.salt, 0n]));
    await bob.send(auction.encodeFunctionData("revealBid", [low.bidId, LOW.price, LOW.quantity, low.salt, 0n]));
    await timeTo(ctx.w, actx.revealEnd);
    await (await ctx.w.auction.settle(actx.auctionId, 10n)).wait();
    return { ...actx, high: high.bidId, low: low.bidId };
  }

  // ------------------------------------------------------------------ a payment token that halts its transfers

  describe("a payment token that reverts its transfers", function () {
    it("a listing priced in it cannot be bought while transferFrom reverts: the error bubbles, nothing moves, and the purchase settles once resumed", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, reverting } = ctx;
      const paid = 100n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      await (await reverting.setReverting(false, true)).wait();
      const before = await marketState(ctx);
      await expect(w.marketplace.connect(w.alice).buy(ctx.revertingListing, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(reverting, "RevertingTransferHalted")
        .withArgs(w.alice.address, w.proponent.address, paid - fee);
      expect(await marketState(ctx)).to.deep.equal(before);
      expect((await w.marketplace.getListing(ctx.revertingListing)).remaining).to.equal(AMOUNT);

      await (await reverting.setReverting(false, false)).wait();
      await (await w.marketplace.connect(w.alice).buy(ctx.revertingListing, 100n, PRICE, w.alice.address)).wait();
      expect((await w.marketplace.getListing(ctx.revertingListing)).remaining).to.equal(AMOUNT - 100n);
      expect(await w.credit.balanceOf(w.alice.address, ctx.b1)).to.equal(100n);
      expect(await reverting.balanceOf(w.alice.address)).to.equal(FUNDS - ESCROW - paid);
      expect(await reverting.balanceOf(w.proponent.address)).to.equal(paid - fee);
      expect(await reverting.balanceOf(ctx.treasury)).to.equal(fee);
      await expectMarketInvariants(ctx);
    });

    it("a bid cannot be placed in it while transferFrom reverts: no bid is recorded and nothing is escrowed", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, reverting } = ctx;
      await (await reverting.setReverting(false, true)).wait();
      const before = [await marketState(ctx), await w.marketplace.bidCount()];
      await expect(w.marketplace.connect(w.bob).placeBid(ANY, 10n, PRICE, await reverting.getAddress(), ctx.expiry))
        .to.be.revertedWithCustomError(reverting, "RevertingTransferHalted")
        .withArgs(w.bob.address, ctx.market, 10n * PRICE);
      expect([await marketState(ctx), await w.marketplace.bidCount()]).to.deep.equal(before);
      await expectMarketInvariants(ctx);
    });

    it("a bid escrowed in it can be neither cancelled nor filled while transfer reverts; the escrow stays intact and both work once resumed", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, reverting } = ctx;
      const paid = 100n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      await (await reverting.setReverting(true, false)).wait();
      const before = await marketState(ctx);
      await expect(w.marketplace.connect(w.alice).cancelBid(ctx.revertingBid))
        .to.be.revertedWithCustomError(reverting, "RevertingTransferHalted")
        .withArgs(ctx.market, w.alice.address, ESCROW);
      await expect(w.marketplace.connect(w.proponent).fillBid(ctx.revertingBid, ctx.b1, 100n))
        .to.be.revertedWithCustomError(reverting, "RevertingTransferHalted")
        .withArgs(ctx.market, w.proponent.address, paid - fee);
      expect(await marketState(ctx)).to.deep.equal(before);
      expect((await w.marketplace.getBid(ctx.revertingBid)).remaining).to.equal(BID_QUANTITY);
      expect(await reverting.balanceOf(ctx.market)).to.equal(ESCROW);
      await expectMarketInvariants(ctx);

      await (await reverting.setReverting(false, false)).wait();
      await (await w.marketplace.connect(w.proponent).fillBid(ctx.revertingBid, ctx.b1, 100n)).wait();
      expect(await reverting.balanceOf(w.proponent.address)).to.equal(paid - fee);
      expect(await reverting.balanceOf(ctx.treasury)).to.equal(fee);
      expect(await w.credit.balanceOf(w.alice.address, ctx.b1)).to.equal(100n);
      await (await w.marketplace.connect(w.alice).cancelBid(ctx.revertingBid)).wait();
      expect(await reverting.balanceOf(w.alice.address)).to.equal(FUNDS - paid);
      expect(await reverting.balanceOf(ctx.market)).to.equal(0n);
      await expectMarketInvariants(ctx);
    });

    describe("as an auction's payment token", function () {
      async function revertingBidding() {
        const ctx = await load(withPeriod);
        return openAuction(ctx, await ctx.reverting.getAddress());
      }

      async function revertingSettled() {
        const ctx = await load(withPeriod);
        return settledAuction(ctx, await ctx.reverting.getAddress());
      }

      it("a deposit cannot be committed while transferFrom reverts: no bid is recorded", async function () {
        const ctx = await load(revertingBidding);
        const { w, reverting } = ctx;
        await (await reverting.setReverting(false, true)).wait();
        const before = await auctionState(ctx);
        await expect(w.auction.connect(w.alice).commitBid(ctx.auctionId, id("sealed"), HIGH.deposit))
          .to.be.revertedWithCustomError(reverting, "RevertingTransferHalted")
          .withArgs(w.alice.address, ctx.house, HIGH.deposit);
        expect(await auctionState(ctx)).to.deep.equal(before);
        expect(await w.auction.counts()).to.deep.equal([ctx.auctionId, 0n]);
      });

      it("a claim cannot pay out while transfer reverts: the bid stays unclaimed, escrow and allowances unchanged, and the claim settles once resumed", async function () {
        const ctx = await load(revertingSettled);
        const { w, reverting } = ctx;
        await (await reverting.setReverting(true, false)).wait();
        const before = await auctionState(ctx);
        // The proceeds go first, to the treasury.
        await expect(w.auction.connect(w.bob).claim(ctx.high))
          .to.be.revertedWithCustomError(reverting, "RevertingTransferHalted")
          .withArgs(ctx.house, ctx.treasury, HIGH.paid);
        await expect(w.auction.connect(w.bob).claimMany([ctx.low, ctx.high]))
          .to.be.revertedWithCustomError(reverting, "RevertingTransferHalted")
          .withArgs(ctx.house, ctx.treasury, LOW.paid);
        expect(await auctionState(ctx)).to.deep.equal(before);
        expect((await w.auction.getBid(ctx.high)).claimed).to.equal(false);
        expect(await reverting.balanceOf(ctx.house)).to.equal(HIGH.deposit + LOW.deposit);
        expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(0n);
        await expectAuctionEscrow(ctx.w, [reverting]);

        await (await reverting.setReverting(false, false)).wait();
        await (await w.auction.connect(w.bob).claim(ctx.high)).wait();
        expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(HIGH.quantity);
        expect(await reverting.balanceOf(w.alice.address)).to.equal(FUNDS - HIGH.paid);
        expect(await reverting.balanceOf(ctx.treasury)).to.equal(HIGH.paid);
        await expectAuctionEscrow(ctx.w, [reverting]);
      });
    });
  });

  // ------------------------------------------------------------------ a blocklisting payment token

  describe("a payment token with a blocklist", function () {
    it("a blocked buyer cannot buy: BlocklistAccountBlocked(buyer) and nothing moves", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, blocklist } = ctx;
      await (await blocklist.setBlocked(w.bob.address, true)).wait();
      const before = await marketState(ctx);
      await expect(w.marketplace.connect(w.bob).buy(ctx.blocklistListing, 100n, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(w.bob.address);
      expect(await marketState(ctx)).to.deep.equal(before);
      await expectMarketInvariants(ctx);
    });

    it("a seller blocked after listing cannot be paid, so buy reverts and nothing moves; it settles once unblocked", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, blocklist } = ctx;
      const paid = 100n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      await (await blocklist.setBlocked(w.proponent.address, true)).wait();
      const before = await marketState(ctx);
      await expect(w.marketplace.connect(w.bob).buy(ctx.blocklistListing, 100n, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(w.proponent.address);
      expect(await marketState(ctx)).to.deep.equal(before);
      expect((await w.marketplace.getListing(ctx.blocklistListing)).remaining).to.equal(AMOUNT);

      await (await blocklist.setBlocked(w.proponent.address, false)).wait();
      await (await w.marketplace.connect(w.bob).buy(ctx.blocklistListing, 100n, PRICE, w.bob.address)).wait();
      expect(await blocklist.balanceOf(w.proponent.address)).to.equal(paid - fee);
      expect(await blocklist.balanceOf(ctx.treasury)).to.equal(fee);
      expect(await w.credit.balanceOf(w.bob.address, ctx.b1)).to.equal(100n);
      await expectMarketInvariants(ctx);
    });

    it("a blocked seller still cancels its listing: the credits come back and no payment token moves", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, blocklist } = ctx;
      await (await blocklist.setBlocked(w.proponent.address, true)).wait();
      const credits = await w.credit.balanceOf(w.proponent.address, ctx.b1);
      const payments = (await marketState(ctx)).payments;
      await (await w.marketplace.connect(w.proponent).cancelListing(ctx.blocklistListing)).wait();
      expect(await w.credit.balanceOf(w.proponent.address, ctx.b1)).to.equal(credits + AMOUNT);
      expect((await marketState(ctx)).payments).to.deep.equal(payments);
      await expectMarketInvariants(ctx);
    });

    it("a bidder blocked after bidding cannot be refunded, by itself or after expiry by anyone: the escrow stays intact until the token unblocks it", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, blocklist } = ctx;
      await (await blocklist.setBlocked(w.alice.address, true)).wait();
      const before = await marketState(ctx);
      await expect(w.marketplace.connect(w.alice).cancelBid(ctx.blocklistBid))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(w.alice.address);
      await timeTo(w, ctx.expiry);
      await expect(w.marketplace.connect(w.bob).cancelBid(ctx.blocklistBid))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(w.alice.address);
      expect(await marketState(ctx)).to.deep.equal(before);
      expect((await w.marketplace.getBid(ctx.blocklistBid)).remaining).to.equal(BID_QUANTITY);
      expect(await blocklist.balanceOf(ctx.market)).to.equal(ESCROW);
      await expectMarketInvariants(ctx);

      await (await blocklist.setBlocked(w.alice.address, false)).wait();
      await (await w.marketplace.connect(w.alice).cancelBid(ctx.blocklistBid)).wait();
      expect(await blocklist.balanceOf(w.alice.address)).to.equal(FUNDS);
      expect(await blocklist.balanceOf(ctx.market)).to.equal(0n);
      await expectMarketInvariants(ctx);
    });

    it("a blocked bidder's bid can still be filled: the seller is paid from the escrow and the credits reach the bidder", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, blocklist } = ctx;
      const paid = 100n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      await (await blocklist.setBlocked(w.alice.address, true)).wait();
      await (await w.marketplace.connect(w.proponent).fillBid(ctx.blocklistBid, ctx.b1, 100n)).wait();
      expect(await w.credit.balanceOf(w.alice.address, ctx.b1)).to.equal(100n);
      expect(await blocklist.balanceOf(w.proponent.address)).to.equal(paid - fee);
      expect(await blocklist.balanceOf(ctx.treasury)).to.equal(fee);
      expect(await blocklist.balanceOf(ctx.market)).to.equal(ESCROW - paid);
      await expectMarketInvariants(ctx);
    });

    it("a blocked seller cannot fill a bid: its payment cannot be delivered, so nothing moves", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, blocklist } = ctx;
      await (await blocklist.setBlocked(w.proponent.address, true)).wait();
      const before = await marketState(ctx);
      await expect(w.marketplace.connect(w.proponent).fillBid(ctx.blocklistBid, ctx.b1, 100n))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(w.proponent.address);
      expect(await marketState(ctx)).to.deep.equal(before);
      await expectMarketInvariants(ctx);
    });

    it("a treasury blocked by the token makes buy at the 1% fee and fillBid revert with BlocklistAccountBlocked(treasury) and nothing moves; both settle once the TREASURER points fees to a fresh treasury", async function () {
      const ctx = await load(withWeirdTokens);
      const { w, blocklist } = ctx;
      const paid = 100n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      expect(await w.marketplace.feeInfo()).to.deep.equal([FEE_BPS, ctx.treasury]);
      await (await blocklist.setBlocked(ctx.treasury, true)).wait();
      const before = await marketState(ctx, [FRESH_TREASURY]);
      // The seller is paid first, then the fee: the whole purchase or fill reverts with the fee's transfer.
      await expect(w.marketplace.connect(w.bob).buy(ctx.blocklistListing, 100n, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(ctx.treasury);
      await expect(w.marketplace.connect(w.proponent).fillBid(ctx.blocklistBid, ctx.b1, 100n))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(ctx.treasury);
      expect(await marketState(ctx, [FRESH_TREASURY])).to.deep.equal(before);
      await expectMarketInvariants(ctx);

      await expect(w.marketplace.connect(w.treasurer).setTreasury(FRESH_TREASURY))
        .to.emit(w.marketplace, "TreasurySet")
        .withArgs(FRESH_TREASURY);
      await (await w.marketplace.connect(w.bob).buy(ctx.blocklistListing, 100n, PRICE, w.bob.address)).wait();
      await (await w.marketplace.connect(w.proponent).fillBid(ctx.blocklistBid, ctx.b1, 100n)).wait();
      expect((await w.marketplace.getListing(ctx.blocklistListing)).remaining).to.equal(AMOUNT - 100n);
      expect((await w.marketplace.getBid(ctx.blocklistBid)).remaining).to.equal(BID_QUANTITY - 100n);
      expect(await w.credit.balanceOf(w.bob.address, ctx.b1)).to.equal(100n);
      expect(await w.credit.balanceOf(w.alice.address, ctx.b1)).to.equal(100n);
      expect(await blocklist.balanceOf(w.bob.address)).to.equal(FUNDS - paid);
      expect(await blocklist.balanceOf(w.proponent.address)).to.equal(2n * (paid - fee));
      expect(await blocklist.balanceOf(FRESH_TREASURY)).to.equal(2n * fee);
      expect(await blocklist.balanceOf(ctx.treasury)).to.equal(0n);
      expect(await blocklist.balanceOf(ctx.market)).to.equal(ESCROW - paid);
      await expectMarketInvariants(ctx);
    });

    it("a blocked auction bidder cannot claim its refund: the claim reverts, the deposit stays escrowed, and it settles once unblocked", async function () {
      const ctx = await load(withPeriod);
      const actx = await settledAuction(ctx, await ctx.blocklist.getAddress());
      const { w, blocklist } = actx;
      await (await blocklist.setBlocked(w.alice.address, true)).wait();
      const before = await auctionState(actx);
      await expect(w.auction.connect(w.bob).claim(actx.high))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(w.alice.address);
      expect(await auctionState(actx)).to.deep.equal(before);
      expect((await w.auction.getBid(actx.high)).claimed).to.equal(false);
      await expectAuctionEscrow(actx.w, [blocklist]);

      await (await blocklist.setBlocked(w.alice.address, false)).wait();
      await (await w.auction.connect(w.bob).claim(actx.high)).wait();
      expect(await blocklist.balanceOf(w.alice.address)).to.equal(FUNDS - HIGH.paid);
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(HIGH.quantity);
      await expectAuctionEscrow(actx.w, [blocklist]);
    });

    it("an auction treasury blocked by the token makes every claim that pays proceeds revert with BlocklistAccountBlocked(treasury) and nothing moves; the claims settle once the TREASURER points proceeds to a fresh treasury", async function () {
      const ctx = await load(withPeriod);
      const actx = await settledAuction(ctx, await ctx.blocklist.getAddress());
      const { w, blocklist } = actx;
      await (await blocklist.setBlocked(ctx.treasury, true)).wait();
      const before = await auctionState(actx, [FRESH_TREASURY]);
      // Both bids pay proceeds (HIGH 2,000 with a refund of 1,500, LOW 1,000), and the proceeds go first.
      await expect(w.auction.connect(w.bob).claim(actx.high))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(ctx.treasury);
      await expect(w.auction.connect(w.bob).claim(actx.low))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(ctx.treasury);
      await expect(w.auction.connect(w.bob).claimMany([actx.high, actx.low]))
        .to.be.revertedWithCustomError(blocklist, "BlocklistAccountBlocked")
        .withArgs(ctx.treasury);
      expect(await auctionState(actx, [FRESH_TREASURY])).to.deep.equal(before);
      expect((await w.auction.getBid(actx.high)).claimed).to.equal(false);
      expect((await w.auction.getBid(actx.low)).claimed).to.equal(false);
      await expectAuctionEscrow(actx.w, [blocklist]);

      await expect(w.auction.connect(w.treasurer).setTreasury(FRESH_TREASURY))
        .to.emit(w.auction, "TreasurySet")
        .withArgs(FRESH_TREASURY);
      await (await w.auction.connect(w.bob).claimMany([actx.high, actx.low])).wait();
      expect(await blocklist.balanceOf(FRESH_TREASURY)).to.equal(HIGH.paid + LOW.paid);
      expect(await blocklist.balanceOf(ctx.treasury)).to.equal(0n);
      expect(await blocklist.balanceOf(w.alice.address)).to.equal(FUNDS - HIGH.paid);
      expect(await blocklist.balanceOf(w.bob.address)).to.equal(FUNDS - LOW.paid);
      expect(await blocklist.balanceOf(actx.house)).to.equal(0n);
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(HIGH.quantity);
      expect(await w.allowance.balanceOf(w.bob.address, PERIOD)).to.equal(LOW.quantity);
      await expectAuctionEscrow(actx.w, [blocklist]);
    });
  });

  // ------------------------------------------------------------------ the re-entrancy attacker

  describe("a re-entrancy attacker trying every entry point from its ERC-1155 hook", function () {
    /**
     * Deploys a ReentrancyAttackerMock (by the outsider) holding FUNDS of USDC approved to `spender`. Returns it, its
     * address and `exec`, a call made as the attacker.
     */
    async function deployAttacker(ctx: Ctx, spender: string) {
      const { w, usdc } = ctx;
      const attacker = (await w.ethers.deployContract(
        "ReentrancyAttackerMock",
        [],
        w.outsider,
      )) as unknown as ReentrancyAttackerMock;
      const self = await attacker.getAddress();
      const exec = async (target: string, data: string) => (await attacker.execute(target, data)).wait();
      await (await usdc.mint(self, FUNDS)).wait();
      await exec(await usdc.getAddress(), usdc.interface.encodeFunctionData("approve", [spender, MaxUint256]));
      return { attacker, self, exec };
    }

    /** The admin grants `account` every role of the permission table for `contract`, without delay. */
    async function grantEveryRole(ctx: Ctx, contract: Attacked, account: string) {
      for (const role of rolesOf(contract)) {
        await (await ctx.w.manager.connect(ctx.w.admin).grantRole(Roles[role], account, 0)).wait();
      }
    }

    /**
     * withMarket plus the attacker (deployed by the outsider) holding 200 units of batch 1 and FUNDS of USDC, both
     * approved to the marketplace; listing 1 (the proponent's AMOUNT for USDC), listing 2 (the attacker's 100 units),
     * bid 1 (the attacker's, BID_QUANTITY), bid 2 (alice's, BID_QUANTITY), all in USDC, open for a week.
     */
    async function withAttacker() {
      const ctx = await load(withMarket);
      const { w, usdc } = ctx;
      const { attacker, self, exec } = await deployAttacker(ctx, ctx.market);
      const pay = await usdc.getAddress();
      const expiry = (await now(w)) + 7n * DAY;
      const market = w.marketplace.interface;

      await (await w.credit.connect(w.proponent).safeTransferFrom(w.proponent, self, ctx.b1, 200n, "0x")).wait();
      await exec(ctx.credit, w.credit.interface.encodeFunctionData("setApprovalForAll", [ctx.market, true]));

      await (await w.marketplace.connect(w.proponent).list(ctx.credit, ctx.b1, AMOUNT, PRICE, pay, 0n, expiry)).wait();
      await exec(ctx.market, market.encodeFunctionData("list", [ctx.credit, ctx.b1, 100n, PRICE, pay, 0n, expiry]));
      await exec(ctx.market, market.encodeFunctionData("placeBid", [ANY, BID_QUANTITY, PRICE, pay, expiry]));
      await (await w.marketplace.connect(w.alice).placeBid(ANY, BID_QUANTITY, PRICE, pay, expiry)).wait();
      return { ...ctx, attacker, self, pay, expiry, exec, forSale: 1n, own: 2n, ownBid: 1n, aliceBid: 2n };
    }

    type AttackerCtx = Awaited<ReturnType<typeof withAttacker>>;

    /**
     * Calldata for each of the marketplace's entry points, with arguments each call would need to succeed were it
     * not re-entrant: buy from listing 1, update or cancel the attacker's own listing 2, fill alice's bid 2 with the
     * attacker's credits, cancel its own bid 1, place a new bid or listing, and the governance calls.
     */
    async function marketAttempts(ctx: AttackerCtx, caller: string): Promise<Attempt[]> {
      const expiry = (await now(ctx.w)) + DAY;
      const common: Values = {
        listingId: ctx.forSale,
        amount: 10n,
        maxUnitPrice: PRICE,
        unitPrice: PRICE,
        recipient: caller,
        token: ctx.credit,
        id: ctx.b1,
        batchId: ctx.b1,
        paymentToken: ctx.pay,
        expiry,
        criteria: ANY,
        quantity: 10n,
        treasury: caller,
        newAuthority: caller,
        allowed: true,
      };
      return attemptsOn(ctx.w.marketplace.interface, ctx.market, common, {
        updateListing: { listingId: ctx.own, unitPrice: 2n * PRICE, amount: 50n },
        cancelListing: { listingId: ctx.own },
        buyMany: { orders: [{ listingId: ctx.forSale, amount: 10n, maxUnitPrice: PRICE }] },
        buyAndRetire: { request: request({ beneficiary: caller }) },
        fillBid: { bidId: ctx.aliceBid },
        cancelBid: { bidId: ctx.ownBid },
        setPaymentTokenAllowed: { token: ctx.pay },
      });
    }

    /** What a flow moved: the parties' credits of batch 1 and USDC. */
    async function holdings(ctx: AttackerCtx) {
      const { w } = ctx;
      return {
        attackerCredits: await w.credit.balanceOf(ctx.self, ctx.b1),
        proponentCredits: await w.credit.balanceOf(w.proponent.address, ctx.b1),
        marketCredits: await w.credit.balanceOf(ctx.market, ctx.b1),
        attackerUsdc: await ctx.usdc.balanceOf(ctx.self),
        proponentUsdc: await ctx.usdc.balanceOf(w.proponent.address),
        marketUsdc: await ctx.usdc.balanceOf(ctx.market),
        treasuryUsdc: await ctx.usdc.balanceOf(ctx.treasury),
      };
    }

    type Holdings = Awaited<ReturnType<typeof holdings>>;

    function delta(after: Holdings, before: Holdings): Holdings {
      const out = { ...after };
      for (const key of Object.keys(out) as (keyof Holdings)[]) out[key] = after[key] - before[key];
      return out;
    }

    const NONE: Holdings = {
      attackerCredits: 0n,
      proponentCredits: 0n,
      marketCredits: 0n,
      attackerUsdc: 0n,
      proponentUsdc: 0n,
      marketUsdc: 0n,
      treasuryUsdc: 0n,
    };
    const PAID = 100n * PRICE;
    const FEE = feeOf(PAID, FEE_BPS);
    // A purchase of 100 units of listing 1 by the attacker, delivered to itself.
    const PURCHASE: Holdings = {
      ...NONE,
      attackerCredits: 100n,
      marketCredits: -100n,
      attackerUsdc: -PAID,
      proponentUsdc: PAID - FEE,
      treasuryUsdc: FEE,
    };

    /** Every way the marketplace delivers credits to the attacker, and what it moves when nobody re-enters. */
    const FLOWS: { name: string; run(ctx: AttackerCtx): Promise<unknown>; moves: Holdings }[] = [
      {
        name: "buy (the attacker buys for itself)",
        run: (ctx) =>
          ctx.exec(
            ctx.market,
            ctx.w.marketplace.interface.encodeFunctionData("buy", [ctx.forSale, 100n, PRICE, ctx.self]),
          ),
        moves: PURCHASE,
      },
      {
        name: "buyWithPermit (an unusable permit, the allowance pays)",
        run: (ctx) =>
          ctx.exec(
            ctx.market,
            ctx.w.marketplace.interface.encodeFunctionData("buyWithPermit", [
              ctx.forSale,
              100n,
              PRICE,
              ctx.self,
              { value: 0n, deadline: 0n, v: 0, r: ZeroHash, s: ZeroHash },
            ]),
          ),
        moves: PURCHASE,
      },
      {
        name: "buyMany (two orders; the attack runs in the first delivery)",
        run: (ctx) =>
          ctx.exec(
            ctx.market,
            ctx.w.marketplace.interface.encodeFunctionData("buyMany", [
              [
                { listingId: ctx.forSale, amount: 60n, maxUnitPrice: PRICE },
                { listingId: ctx.forSale, amount: 40n, maxUnitPrice: PRICE },
              ],
              ctx.self,
            ]),
          ),
        // The fee is charged per order: 1% of 900,000 plus 1% of 600,000, the same 15,000 as one purchase.
        moves: PURCHASE,
      },
      {
        name: "fillBid (the proponent fills the attacker's bid)",
        run: async (ctx) => (await ctx.w.marketplace.connect(ctx.w.proponent).fillBid(ctx.ownBid, ctx.b1, 100n)).wait(),
        moves: {
          ...NONE,
          attackerCredits: 100n,
          proponentCredits: -100n,
          marketUsdc: -PAID,
          proponentUsdc: PAID - FEE,
          treasuryUsdc: FEE,
        },
      },
      {
        name: "cancelListing (the attacker's units come back)",
        run: (ctx) => ctx.exec(ctx.market, ctx.w.marketplace.interface.encodeFunctionData("cancelListing", [ctx.own])),
        moves: { ...NONE, attackerCredits: 100n, marketCredits: -100n },
      },
      {
        name: "updateListing (the attacker lowers its listing from 100 to 40 units)",
        run: (ctx) =>
          ctx.exec(
            ctx.market,
            ctx.w.marketplace.interface.encodeFunctionData("updateListing", [ctx.own, PRICE, ctx.expiry, 40n]),
          ),
        moves: { ...NONE, attackerCredits: 60n, marketCredits: -60n },
      },
    ];

    /**
     * Runs `flow` with the attacker armed with every marketplace entry point (and holding every marketplace role
     * when `holdsRoles`): the hook runs once, each re-entry is refused as {refusals} says, and the flow leaves exactly
     * the state of an honest run from the same snapshot. Returns the attempts and their revert data.
     */
    async function expectAttackRefused(flow: (typeof FLOWS)[number], holdsRoles: boolean) {
      // The honest run, from the same snapshot: what the flow moves when nobody re-enters.
      let ctx = await load(withAttacker);
      const start = await holdings(ctx);
      await flow.run(ctx);
      expect(delta(await holdings(ctx), start)).to.deep.equal(flow.moves);
      const honest = await marketState(ctx, [ctx.self]);

      ctx = await load(withAttacker);
      if (holdsRoles) await grantEveryRole(ctx, "CarbonMarketplace", ctx.self);
      const attempts = await marketAttempts(ctx, ctx.self);
      await (
        await ctx.attacker.arm(
          attempts.map((a) => a.target),
          attempts.map((a) => a.data),
        )
      ).wait();
      await flow.run(ctx);
      expect(await ctx.attacker.attacks()).to.equal(1n);
      const [reverted, data] = await ctx.attacker.results();
      expectRefused(
        attempts,
        reverted.map((r, i) => ({ reverted: r, data: data[i] })),
        refusals("CarbonMarketplace", ctx.self, holdsRoles),
      );
      expect(await marketState(ctx, [ctx.self])).to.deep.equal(honest);
      await expectMarketInvariants(ctx);
      return { ctx, attempts, data };
    }

    /**
     * withAttacker plus a ReentrantERC20Mock allowed as payment, bob holding FUNDS of it approved to the marketplace,
     * and listing 3: the proponent's AMOUNT for it, open for a week.
     */
    async function withReentrantToken() {
      const ctx = await load(withAttacker);
      const { w } = ctx;
      const token = (await w.ethers.deployContract("ReentrantERC20Mock")) as unknown as ReentrantERC20Mock;
      const tokenAddress = await token.getAddress();
      await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(tokenAddress, true)).wait();
      await (await token.mint(w.bob.address, FUNDS)).wait();
      await (await token.connect(w.bob).approve(ctx.market, MaxUint256)).wait();
      await (
        await w.marketplace.connect(w.proponent).list(ctx.credit, ctx.b1, AMOUNT, PRICE, tokenAddress, 0n, ctx.expiry)
      ).wait();
      return { ...ctx, token, tokenAddress, tokenListing: await w.marketplace.listingCount() };
    }

    it(`enumerates exactly the written-out entry points: the marketplace's ${MARKET_ENTRY_POINTS} (${MARKET_GUARDED} guarded, and setAuthority), the auction's ${AUCTION_ENTRY_POINTS} and the retirement registry's ${RETIREMENT_ENTRY_POINTS}, each with its calldata`, async function () {
      const interfaces = {
        CarbonMarketplace: CarbonMarketplace__factory.createInterface(),
        AllowanceAuction: AllowanceAuction__factory.createInterface(),
        RetirementRegistry: RetirementRegistry__factory.createInterface(),
      };
      const counts: Record<Attacked, { all: number; guarded: number }> = {
        CarbonMarketplace: { all: 17, guarded: 16 },
        AllowanceAuction: { all: 10, guarded: 9 },
        RetirementRegistry: { all: 8, guarded: 7 },
      };
      for (const contract of Object.keys(interfaces) as Attacked[]) {
        const { guarded, unguarded } = ENTRY_POINTS[contract];
        const found = entryPoints(interfaces[contract]).map((fn) => fn.format("sighash"));
        expect(found.sort(), contract).to.deep.equal([...guarded, ...unguarded].sort());
        expect([found.length, guarded.length], contract).to.deep.equal([
          counts[contract].all,
          counts[contract].guarded,
        ]);
        expect([...unguarded], contract).to.deep.equal([SET_AUTHORITY]);
        // Every role-gated entry point of the permission table carries the guard too; setAuthority is not role-gated
        // (AccessManaged lets the authority alone call it).
        expect([...guarded], contract).to.include.members([...restrictedOf(contract)]);
      }

      const ctx = await load(withAttacker);
      const attempts = await marketAttempts(ctx, ctx.self);
      expect(attempts.map((a) => a.signature).sort()).to.deep.equal(
        [...ENTRY_POINTS.CarbonMarketplace.guarded, ...ENTRY_POINTS.CarbonMarketplace.unguarded].sort(),
      );
      expect(new Set(attempts.map((a) => a.data.slice(0, 10))).size, "distinct selectors").to.equal(attempts.length);
    });

    it("outside a hook the same calldata is real: every marketplace entry point not authorised-first succeeds, and each authorised-first one is refused with AccessManagedUnauthorized", async function () {
      const ctx = await load(withAttacker);
      const attempts = await marketAttempts(ctx, ctx.self);
      const authorised = authorisedFirst("CarbonMarketplace");
      const unauthorized = ctx.w.marketplace.interface.encodeErrorResult("AccessManagedUnauthorized", [ctx.self]);
      const outcomes = await outsideAHook(ctx.attacker, attempts);
      for (const attempt of attempts) {
        const expected = authorised.has(attempt.signature) ? unauthorized : undefined;
        expect(outcomes[attempt.signature], attempt.signature).to.equal(expected);
      }
    });

    for (const flow of FLOWS) {
      it(`${flow.name}: each of the ${MARKET_ENTRY_POINTS} marketplace entry points re-entered from the hook is refused, and the outer call settles exactly once`, async function () {
        await expectAttackRefused(flow, false);
      });
    }

    it(`${FLOWS[0].name}, the attacker holding every marketplace role: the ${MARKET_GUARDED} guarded entry points re-entered from the hook are refused by the guard itself and only setAuthority(address), which has no guard, by AccessManaged; the purchase settles exactly once`, async function () {
      const { ctx, attempts, data } = await expectAttackRefused(FLOWS[0], true);
      const unauthorized = ctx.w.marketplace.interface.encodeErrorResult("AccessManagedUnauthorized", [ctx.self]);
      expect(refusedWith(attempts, data, REENTRANT_CALL), "refused by the guard").to.deep.equal(
        [...ENTRY_POINTS.CarbonMarketplace.guarded].sort(),
      );
      expect(refusedWith(attempts, data, unauthorized), "refused by AccessManaged").to.deep.equal([SET_AUTHORITY]);
      for (const role of rolesOf("CarbonMarketplace")) {
        expect((await ctx.w.manager.hasRole(Roles[role], ctx.self))[0], role).to.equal(true);
      }
    });

    it(`retiring calls back no hook of the attacker, though it is the beneficiary receiving each certificate and its onERC721Received would run the attack: the retirement registry's ${RETIREMENT_ENTRY_POINTS} entry points are never re-entered through it`, async function () {
      // RetirementRegistry only calls the credit token (`retire` burns, no acceptance check) and the certificate,
      // whose `mint` records and emits without `_safeMint`: no flow reaches code an account controls. Were the
      // certificate ever delivered with `_safeMint`, the attacker's ERC-721 hook would run the attempts below.
      const ctx = await load(withAttacker);
      const { w } = ctx;
      const retirementAddress = await w.retirement.getAddress();
      const onERC721Received = interfaceIdOf(["onERC721Received(address,address,uint256,bytes)"]);
      expect(await ctx.attacker.supportsInterface(onERC721Received), "an IERC721Receiver").to.equal(true);
      const attempts = attemptsOn(w.retirement.interface, retirementAddress, {
        request: request({ ids: [ctx.b1], amounts: [1n] }),
        holder: ctx.self,
      });
      await (
        await ctx.attacker.arm(
          attempts.map((a) => a.target),
          attempts.map((a) => a.data),
        )
      ).wait();
      const firstRetirement = (await w.retirement.retirementCount()) + 1n;
      const ownRequest = request({ ids: [ctx.b1], amounts: [10n], beneficiary: ctx.self });
      await ctx.exec(retirementAddress, w.retirement.interface.encodeFunctionData("retire", [ownRequest]));
      await ctx.exec(
        ctx.market,
        w.marketplace.interface.encodeFunctionData("buyAndRetire", [ctx.forSale, 10n, PRICE, ownRequest]),
      );
      await ctx.exec(
        ctx.credit,
        w.credit.interface.encodeFunctionData("safeTransferFrom", [
          ctx.self,
          retirementAddress,
          ctx.b1,
          10n,
          encodeRequest(request({ beneficiary: ctx.self })),
        ]),
      );
      expect(await w.credit.retiredBalanceOf(ctx.self, ctx.b1)).to.equal(30n);
      // Each of the three retirements minted its certificate to the attacker, as beneficiary.
      expect(await w.retirement.retirementCount()).to.equal(firstRetirement + 2n);
      for (let retirementId = firstRetirement; retirementId < firstRetirement + 3n; ++retirementId) {
        expect((await w.retirement.getRetirement(retirementId)).beneficiary).to.equal(ctx.self);
        expect(await w.certificate.ownerOf(retirementId), `certificate ${retirementId}`).to.equal(ctx.self);
      }
      expect(await w.certificate.balanceOf(ctx.self)).to.equal(3n);
      expect(await w.retirement.certificatesOf(ctx.self)).to.equal(3n);
      expect(await ctx.attacker.attacks()).to.equal(0n);
      expect(await ctx.attacker.armed()).to.equal(true);

      // The control: the same hook, called as `_safeMint` would call it, runs the armed attempts.
      await (
        await ctx.attacker.connect(w.outsider).onERC721Received(retirementAddress, ZeroAddress, firstRetirement, "0x")
      ).wait();
      expect(await ctx.attacker.attacks()).to.equal(1n);
      expect(await ctx.attacker.armed()).to.equal(false);
    });

    describe("in the allowance auction", function () {
      /**
       * withPeriod plus the attacker holding FUNDS of USDC approved to the house; auction 1 (USDC) where the
       * attacker bid HIGH and alice LOW, revealed and settled; auction 2 (USDC) open for bidding.
       */
      async function withAuctionAttacker() {
        const ctx = await load(withPeriod);
        const { w, usdc } = ctx;
        const { attacker, self, exec } = await deployAttacker(ctx, ctx.house);
        const pay = await usdc.getAddress();
        const viaAttacker = { address: self, send: (data: string) => exec(ctx.house, data) };
        const alice = direct(ctx, w.alice);

        const first = await openAuction(ctx, pay);
        const high = await commit(first, viaAttacker, HIGH);
        const low = await commit(first, alice, LOW);
        await timeTo(w, first.end);
        const auction = w.auction.interface;
        await viaAttacker.send(
          auction.encodeFunctionData("revealBid", [high.bidId, HIGH.price, HIGH.quantity, high.salt, 0n]),
        );
        await alice.send(auction.encodeFunctionData("revealBid", [low.bidId, LOW.price, LOW.quantity, low.salt, 0n]));
        await timeTo(w, first.revealEnd);
        await (await w.auction.settle(first.auctionId, 10n)).wait();
        const second = await openAuction(ctx, pay);
        return {
          ...first,
          attacker,
          self,
          pay,
          high: high.bidId,
          highSalt: high.salt,
          low: low.bidId,
          next: second.auctionId,
        };
      }

      type AuctionAttackerCtx = Awaited<ReturnType<typeof withAuctionAttacker>>;

      /**
       * withAuctionAttacker plus a ReentrantERC20Mock, bob holding FUNDS of it approved to the house, and auction 3
       * paid in it, open for bidding.
       */
      async function withReentrantAuctionToken() {
        const ctx = await load(withAuctionAttacker);
        const { w } = ctx;
        const token = (await w.ethers.deployContract("ReentrantERC20Mock")) as unknown as ReentrantERC20Mock;
        const tokenAddress = await token.getAddress();
        await (await token.mint(w.bob.address, FUNDS)).wait();
        await (await token.connect(w.bob).approve(ctx.house, MaxUint256)).wait();
        const third = await openAuction(ctx, tokenAddress);
        return { ...ctx, token, tokenAddress, tokenAuction: third.auctionId };
      }

      /**
       * Calldata for each of the auction's entry points: claim alice's bid or both bids again, commit to the open
       * auction 2, reveal again, settle auction 2, and the governance calls.
       */
      async function auctionAttempts(ctx: AuctionAttackerCtx, caller: string): Promise<Attempt[]> {
        const start = await now(ctx.w);
        return attemptsOn(
          ctx.w.auction.interface,
          ctx.house,
          {
            auctionId: ctx.next,
            bidId: ctx.low,
            bidIds: [ctx.high, ctx.low],
            commitment: id("re-entrant commitment"),
            deposit: 1_000n,
            unitPrice: HIGH.price,
            quantity: HIGH.quantity,
            salt: ctx.highSalt,
            maxLevels: 10n,
            period: PERIOD,
            volume: 10n,
            reservePrice: RESERVE,
            paymentToken: ctx.pay,
            biddingStart: start,
            biddingEnd: start + DAY,
            revealEnd: start + 2n * DAY,
            treasury_: caller,
            newAuthority: caller,
          },
          { revealBid: { bidId: ctx.high } },
        );
      }

      /**
       * Bob claims the attacker's HIGH bid with the attacker armed with every auction entry point (and holding every
       * auction role when `holdsRoles`): the mint's hook runs once, each re-entry is refused as {refusals} says, and
       * the claim leaves exactly the state of an honest claim from the same snapshot. Returns the attempts and their
       * revert data.
       */
      async function expectClaimAttackRefused(holdsRoles: boolean) {
        let ctx = await load(withAuctionAttacker);
        await (await ctx.w.auction.connect(ctx.w.bob).claim(ctx.high)).wait();
        const honest = await auctionState(ctx, [ctx.self]);
        expect(await ctx.w.allowance.balanceOf(ctx.self, PERIOD)).to.equal(HIGH.quantity);
        expect(await ctx.usdc.balanceOf(ctx.self)).to.equal(FUNDS - HIGH.paid);

        ctx = await load(withAuctionAttacker);
        if (holdsRoles) await grantEveryRole(ctx, "AllowanceAuction", ctx.self);
        const attempts = await auctionAttempts(ctx, ctx.self);
        await (
          await ctx.attacker.arm(
            attempts.map((a) => a.target),
            attempts.map((a) => a.data),
          )
        ).wait();
        await (await ctx.w.auction.connect(ctx.w.bob).claim(ctx.high)).wait();
        expect(await ctx.attacker.attacks()).to.equal(1n);
        const [reverted, data] = await ctx.attacker.results();
        expectRefused(
          attempts,
          reverted.map((r, i) => ({ reverted: r, data: data[i] })),
          refusals("AllowanceAuction", ctx.self, holdsRoles),
        );
        expect(await auctionState(ctx, [ctx.self])).to.deep.equal(honest);
        expect((await ctx.w.auction.getBid(ctx.low)).claimed).to.equal(false);
        await expectAuctionEscrow(ctx.w, [ctx.usdc]);
        return { ctx, attempts, data };
      }

      it("outside a hook the auction calldata is real: claim, claimMany and commitBid succeed, revealBid and settle are refused by their windows, the rest with AccessManagedUnauthorized", async function () {
        const ctx = await load(withAuctionAttacker);
        const attempts = await auctionAttempts(ctx, ctx.self);
        const authorised = authorisedFirst("AllowanceAuction");
        const auction = ctx.w.auction.interface;
        const unauthorized = auction.encodeErrorResult("AccessManagedUnauthorized", [ctx.self]);
        const first = await ctx.w.auction.getAuction(ctx.auctionId);
        const second = await ctx.w.auction.getAuction(ctx.next);
        // Auction 1 is settled (its reveal window closed) and auction 2 still takes bids: no single moment opens
        // both, so these two are refused by their windows here; inside the hook the guard refuses them first.
        const windows: Record<string, string> = {
          "revealBid(uint256,uint256,uint256,bytes32,uint256)": auction.encodeErrorResult("AuctionNotRevealing", [
            ctx.auctionId,
            first.biddingEnd,
            first.revealEnd,
          ]),
          "settle(uint256,uint256)": auction.encodeErrorResult("AuctionRevealOpen", [ctx.next, second.revealEnd]),
        };
        const outcomes = await outsideAHook(ctx.attacker, attempts);
        for (const attempt of attempts) {
          const expected = authorised.has(attempt.signature) ? unauthorized : windows[attempt.signature];
          expect(outcomes[attempt.signature], attempt.signature).to.equal(expected);
        }
      });

      it(`claim minting allowances to the attacker: each of the auction's ${AUCTION_ENTRY_POINTS} entry points re-entered from the hook is refused, and the claim settles exactly once`, async function () {
        const { attempts } = await expectClaimAttackRefused(false);
        expect(attempts).to.have.length(AUCTION_ENTRY_POINTS);
      });

      it(`claim minting allowances to an attacker holding every auction role: the ${AUCTION_GUARDED} guarded entry points re-entered from the hook are refused by the guard itself and only setAuthority(address), which has no guard, by AccessManaged; the claim settles exactly once`, async function () {
        const { ctx, attempts, data } = await expectClaimAttackRefused(true);
        const unauthorized = ctx.w.auction.interface.encodeErrorResult("AccessManagedUnauthorized", [ctx.self]);
        expect(refusedWith(attempts, data, REENTRANT_CALL), "refused by the guard").to.deep.equal(
          [...ENTRY_POINTS.AllowanceAuction.guarded].sort(),
        );
        expect(refusedWith(attempts, data, unauthorized), "refused by AccessManaged").to.deep.equal([SET_AUTHORITY]);
        for (const role of rolesOf("AllowanceAuction")) {
          expect((await ctx.w.manager.hasRole(Roles[role], ctx.self))[0], role).to.equal(true);
        }
      });

      it(`commitBid through a re-entrant payment token: each of the auction's ${AUCTION_ENTRY_POINTS} entry points re-entered from the deposit pull is refused, and the commits leave exactly the state of the same commits made honestly`, async function () {
        // The honest run, from the same snapshot: one commit per entry point, with nothing armed.
        let ctx = await load(withReentrantAuctionToken);
        const signatures = (await auctionAttempts(ctx, ctx.tokenAddress)).map((a) => a.signature);
        const [, bidsBefore] = await ctx.w.auction.counts();
        for (const signature of signatures) {
          await (await ctx.w.auction.connect(ctx.w.bob).commitBid(ctx.tokenAuction, id(signature), 100n)).wait();
        }
        const n = BigInt(signatures.length);
        expect(await ctx.w.auction.counts()).to.deep.equal([ctx.tokenAuction, bidsBefore + n]);
        expect(await ctx.token.balanceOf(ctx.house)).to.equal(100n * n);
        expect(await ctx.token.balanceOf(ctx.w.bob.address)).to.equal(FUNDS - 100n * n);
        const honest = await auctionState(ctx, [ctx.self, ctx.tokenAddress], [ctx.token]);

        ctx = await load(withReentrantAuctionToken);
        const { w, token } = ctx;
        const attempts = await auctionAttempts(ctx, ctx.tokenAddress);
        const expected = refusals("AllowanceAuction", ctx.tokenAddress, false);
        for (const attempt of attempts) {
          await (await token.arm(attempt.target, attempt.data, false)).wait();
          await (await w.auction.connect(w.bob).commitBid(ctx.tokenAuction, id(attempt.signature), 100n)).wait();
          expectRefused(
            [attempt],
            [{ reverted: await token.lastReentryReverted(), data: await token.lastReentryData() }],
            expected,
          );
        }
        expect(await token.reentries()).to.equal(n);
        expect(await auctionState(ctx, [ctx.self, ctx.tokenAddress], [token])).to.deep.equal(honest);
        await expectAuctionEscrow(w, [ctx.usdc, token]);
      });

      /**
       * withPeriod plus the attacker (holding FUNDS of USDC approved to the house and the registry, and CREDITS of
       * batch 1 approved to the registry) operating installation 1, with EMISSIONS attested for PERIOD and
       * PAST_EMISSIONS for PAST; PAST (a USDC penalty of PENALTY_PER_TONNE) settled short, so PENALTY is owed and
       * PAST_EMISSIONS carried to PERIOD as make-good; auction 1 (USDC) with OWN_SHARE (the attacker's) and ALICE_SHARE
       * revealed, settled, and alice's bid claimed. Time at PERIOD's reporting deadline: its surrender window is open.
       */
      async function withComplianceAttacker() {
        const ctx = await load(withPeriod);
        const { w, usdc } = ctx;
        const { attacker, self, exec } = await deployAttacker(ctx, ctx.house);
        const pay = await usdc.getAddress();
        const registry = await w.compliance.getAddress();
        await (await w.compliance.connect(w.regulator).registerInstallation(self, SECTOR, "DE")).wait();
        const installationId = await w.compliance.installationCount();
        const entity = await w.compliance.entityOf(installationId);
        await (await w.credit.connect(w.proponent).safeTransferFrom(w.proponent, self, ctx.b1, CREDITS, "0x")).wait();
        await exec(ctx.credit, w.credit.interface.encodeFunctionData("setApprovalForAll", [registry, true]));
        await exec(pay, usdc.interface.encodeFunctionData("approve", [registry, MaxUint256]));
        const past = await openPeriod(w, PAST, { penaltyPerTonne: PENALTY_PER_TONNE, penaltyToken: pay }, DAY);
        await attest(w, entity, PAST_EMISSIONS, PAST);
        await attest(w, entity, EMISSIONS);

        const auction = await openAuction(ctx, pay);
        const viaAttacker = { address: self, send: (data: string) => exec(ctx.house, data) };
        const alice = direct(ctx, w.alice);
        const own = await commit(auction, viaAttacker, OWN_SHARE);
        const other = await commit(auction, alice, ALICE_SHARE);
        await timeTo(w, auction.end);
        const iface = w.auction.interface;
        await viaAttacker.send(
          iface.encodeFunctionData("revealBid", [own.bidId, OWN_SHARE.price, OWN_SHARE.quantity, own.salt, 0n]),
        );
        await alice.send(
          iface.encodeFunctionData("revealBid", [other.bidId, ALICE_SHARE.price, ALICE_SHARE.quantity, other.salt, 0n]),
        );
        await timeTo(w, auction.revealEnd);
        await (await w.auction.settle(auction.auctionId, 10n)).wait();
        await (await w.auction.connect(w.bob).claim(other.bidId)).wait();

        await timeTo(w, past.surrenderDeadline);
        await (await w.compliance.connect(w.regulator).settle(installationId, PAST)).wait();
        await timeTo(w, await w.ledger.reportingDeadline(PERIOD));
        return { ...auction, attacker, self, pay, installationId, own: own.bidId, other: other.bidId };
      }

      type ComplianceAttackerCtx = Awaited<ReturnType<typeof withComplianceAttacker>>;

      /**
       * Calldata for each of the registry's entry points, as the attacker would make them: surrender the OWN_ISSUED
       * allowances it is receiving and OFFSETS of batch 1 for PERIOD, pay PAST's penalty, and, role-gated, issue,
       * reserve or release auction volume again, allocate to its installation, take it over or close it, settle,
       * open the next period, and the governance calls.
       */
      function complianceAttempts(ctx: ComplianceAttackerCtx): Attempt[] {
        const { w, self, installationId } = ctx;
        return attemptsOn(
          w.compliance.interface,
          w.compliance.target as string,
          {
            installationId,
            period: PERIOD,
            amount: OWN_ISSUED,
            auctionId: ctx.auctionId,
            auction_: self,
            volume: 1n,
            to: self,
            operator: self,
            sector: SECTOR,
            jurisdiction: "DE",
            rule: 2n,
            treasury_: self,
            newAuthority: self,
            allowance_: w.allowance.target,
          },
          {
            openPeriod: { period: PERIOD + 1n, config: periodConfig(ctx.revealEnd) },
            allocateMany: { installationIds: [installationId], amounts: [OWN_ISSUED] },
            surrenderAllowances: { fromPeriods: [PERIOD], amounts: [OWN_ISSUED] },
            surrenderOffsets: { batchIds: [ctx.b1], amounts: [OFFSETS] },
            payPenalty: { period: PAST },
          },
        );
      }

      /**
       * Everything the claim and the calls of {complianceAttempts} can change: {auctionState} (every auction and bid,
       * PERIOD's accounting and allowance supply, the allowances and USDC of the house, the treasury of proceeds and
       * penalties, alice, bob and the attacker), PAST's accounting, the installation and its accounts for both
       * periods, the attacker's credits (tradable and retired) and every retirement.
       */
      async function complianceState(ctx: ComplianceAttackerCtx) {
        const { w, self, installationId } = ctx;
        const retirements = [];
        const count = await w.retirement.retirementCount();
        for (let r = 1n; r <= count; ++r) retirements.push(plain(await w.retirement.getRetirement(r)));
        const past = await w.compliance.getPeriod(PAST);
        return {
          ...(await auctionState(ctx, [self])),
          past: [past.allocated, past.auctionReserved, past.auctioned, past.burned],
          installation: plain(await w.compliance.getInstallation(installationId)),
          accounts: [
            plain(await w.compliance.accountOf(installationId, PAST)),
            plain(await w.compliance.accountOf(installationId, PERIOD)),
          ],
          credits: [await w.credit.balanceOf(self, ctx.b1), await w.credit.retiredBalanceOf(self, ctx.b1)],
          retirements,
        };
      }

      it(`claim minting allowances to an attacker operating an installation: of the compliance registry's ${COMPLIANCE_ENTRY_POINTS_COUNT} entry points re-entered from the hook, the role-gated ones and setAuthority are refused by AccessManaged, the three bound to the auction contract by ComplianceNotAuction, surrenderAllowances (of the allowances being received), surrenderOffsets and payPenalty succeed, and the claim leaves exactly the state of the claim followed by the same calls`, async function () {
        const found = entryPoints(ComplianceRegistry__factory.createInterface()).map((fn) => fn.format("sighash"));
        expect(found.sort(), "the registry's entry points").to.deep.equal(
          Object.values(COMPLIANCE_ENTRY_POINTS).flat().sort(),
        );
        expect([...restrictedOf("ComplianceRegistry")].sort(), "the role-gated ones").to.deep.equal([
          ...COMPLIANCE_ENTRY_POINTS.restricted,
        ]);
        const unauthorized = (caller: string) =>
          ComplianceRegistry__factory.createInterface().encodeErrorResult("AccessManagedUnauthorized", [caller]);
        const notAuction = (caller: string) =>
          ComplianceRegistry__factory.createInterface().encodeErrorResult("ComplianceNotAuction", [caller]);
        const expected = (signature: string, caller: string) =>
          (COMPLIANCE_ENTRY_POINTS.guarded as readonly string[]).includes(signature)
            ? undefined
            : (COMPLIANCE_ENTRY_POINTS.bound as readonly string[]).includes(signature)
              ? notAuction(caller)
              : unauthorized(caller);

        // The sequential run, from the same snapshot: the claim, then each call made by the attacker in turn.
        let ctx = await load(withComplianceAttacker);
        let attempts = complianceAttempts(ctx);
        expect(attempts).to.have.length(COMPLIANCE_ENTRY_POINTS_COUNT);
        await (await ctx.w.auction.connect(ctx.w.bob).claim(ctx.own)).wait();
        expect(await ctx.w.allowance.balanceOf(ctx.self, PERIOD)).to.equal(OWN_ISSUED);
        const sequential = await inTurn(ctx.attacker, attempts);
        expect(sequential).to.deep.equal(attempts.map((a) => expected(a.signature, ctx.self)));
        const honest = await complianceState(ctx);

        // The attack: the same calls, made from the hook of the claim's mint, after two reads of what the hook sees.
        ctx = await load(withComplianceAttacker);
        const { w, self, installationId } = ctx;
        attempts = complianceAttempts(ctx);
        const registry = w.compliance.interface;
        const token = w.allowance.interface;
        const reads = [
          { target: w.compliance.target as string, data: registry.encodeFunctionData("getPeriod", [PERIOD]) },
          { target: w.allowance.target as string, data: token.encodeFunctionData("totalSupply", [PERIOD]) },
        ];
        await (
          await ctx.attacker.arm(
            [...reads, ...attempts].map((a) => a.target),
            [...reads, ...attempts].map((a) => a.data),
          )
        ).wait();
        const receipt = await (await w.auction.connect(w.bob).claim(ctx.own)).wait();
        expect(await ctx.attacker.attacks()).to.equal(1n);
        const [reverted, data] = await ctx.attacker.results();

        // The hook sees the issue recorded and minted (the period's auctioned count and the supply both include
        // OWN_ISSUED), and nothing left reserved (the margin adds up exactly).
        expect(reverted.slice(0, reads.length), "the reads").to.deep.equal([false, false]);
        const seen = registry.decodeFunctionResult("getPeriod", data[0])[0];
        expect([seen.allocated, seen.auctionReserved, seen.auctioned, seen.burned], "the period seen").to.deep.equal([
          0n,
          0n,
          OWN_ISSUED + ALICE_ISSUED,
          0n,
        ]);
        expect(token.decodeFunctionResult("totalSupply", data[1])[0], "the supply seen").to.equal(
          OWN_ISSUED + ALICE_ISSUED,
        );
        // The registry's events of the claim, in order: the issue and the three calls made from the hook.
        const events = receipt!.logs
          .filter((log) => log.address === w.compliance.target)
          .map((log) => registry.parseLog(log)!.name);
        expect(events).to.deep.equal([
          "AuctionAllowancesIssued",
          "PenaltyPaid",
          "AllowancesSurrendered",
          "OffsetsSurrendered",
        ]);

        const outcomes = reverted.slice(reads.length).map((r, i) => (r ? data[reads.length + i] : undefined));
        attempts.forEach((attempt, i) => {
          expect(outcomes[i], attempt.signature).to.equal(expected(attempt.signature, self));
        });
        expect(outcomes, "as made one after the other").to.deep.equal(sequential);
        expect(await complianceState(ctx)).to.deep.equal(honest);

        // That state: each allowance issued and surrendered once, the escrow paid
        // out, the penalty paid once.
        const period = await w.compliance.getPeriod(PERIOD);
        expect([period.allocated, period.auctionReserved, period.auctioned, period.burned]).to.deep.equal([
          0n,
          0n,
          OWN_ISSUED + ALICE_ISSUED,
          OWN_ISSUED,
        ]);
        const supply = await w.allowance.totalSupply(PERIOD);
        expect(supply, "supply == allocated + auctioned - surrendered").to.equal(
          period.allocated + period.auctioned - period.burned,
        );
        expect([
          await w.allowance.balanceOf(self, PERIOD),
          await w.allowance.balanceOf(w.alice.address, PERIOD),
        ]).to.deep.equal([0n, supply]);
        const account = await w.compliance.accountOf(installationId, PERIOD);
        expect([account.allowancesSurrendered, account.offsetsSurrendered, account.makeGood]).to.deep.equal([
          OWN_ISSUED,
          OFFSETS,
          PAST_EMISSIONS,
        ]);
        expect(await w.compliance.obligationOf(installationId, PERIOD)).to.deep.equal([
          true,
          EMISSIONS + PAST_EMISSIONS,
          OWN_ISSUED + OFFSETS,
        ]);
        const pastAccount = await w.compliance.accountOf(installationId, PAST);
        expect([pastAccount.penaltyOwed, pastAccount.penaltyPaid]).to.deep.equal([PENALTY, true]);
        expect(await w.credit.retiredBalanceOf(self, ctx.b1)).to.equal(OFFSETS);
        expect(await ctx.usdc.balanceOf(self)).to.equal(FUNDS - OWN_SHARE.paid - PENALTY);
        expect(await ctx.usdc.balanceOf(ctx.treasury)).to.equal(OWN_SHARE.paid + ALICE_SHARE.paid + PENALTY);
        await expectAuctionEscrow(w, [ctx.usdc]);
        expect(await ctx.usdc.balanceOf(ctx.house)).to.equal(0n);
      });
    });

    it(`buy through a re-entrant payment token: each of the ${MARKET_ENTRY_POINTS} marketplace entry points re-entered from the payment is refused, and the purchases leave exactly the state of the same purchases made honestly`, async function () {
      // The honest run, from the same snapshot: one purchase of 10 units per entry point, with nothing armed.
      let ctx = await load(withReentrantToken);
      const n = BigInt((await marketAttempts(ctx, ctx.tokenAddress)).length);
      for (let i = 0n; i < n; ++i) {
        await (await ctx.w.marketplace.connect(ctx.w.bob).buy(ctx.tokenListing, 10n, PRICE, ctx.w.bob.address)).wait();
      }
      const paid = 10n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      expect((await ctx.w.marketplace.getListing(ctx.tokenListing)).remaining).to.equal(AMOUNT - 10n * n);
      expect(await ctx.w.credit.balanceOf(ctx.w.bob.address, ctx.b1)).to.equal(10n * n);
      expect(await ctx.token.balanceOf(ctx.w.bob.address)).to.equal(FUNDS - paid * n);
      expect(await ctx.token.balanceOf(ctx.w.proponent.address)).to.equal((paid - fee) * n);
      expect(await ctx.token.balanceOf(ctx.treasury)).to.equal(fee * n);
      const honest = await marketState(ctx, [ctx.self, ctx.tokenAddress], [ctx.token]);

      ctx = await load(withReentrantToken);
      const { w, token } = ctx;
      const attempts = await marketAttempts(ctx, ctx.tokenAddress);
      const expected = refusals("CarbonMarketplace", ctx.tokenAddress, false);
      for (const attempt of attempts) {
        await (await token.arm(attempt.target, attempt.data, false)).wait();
        await (await w.marketplace.connect(w.bob).buy(ctx.tokenListing, 10n, PRICE, w.bob.address)).wait();
        expectRefused(
          [attempt],
          [{ reverted: await token.lastReentryReverted(), data: await token.lastReentryData() }],
          expected,
        );
      }
      expect(await token.reentries()).to.equal(n);
      expect(await marketState(ctx, [ctx.self, ctx.tokenAddress], [token])).to.deep.equal(honest);
      await expectMarketInvariants(ctx, [token]);
    });
  });
});
