import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { AbiCoder, MaxUint256, ZeroAddress, ZeroHash, id, keccak256 } from "ethers";

import type {
  ERC20Mock,
  FeeOnTransferERC20Mock,
  ReentrantERC20Mock,
  ShrinkingERC20Mock,
} from "../../typechain-types/index.js";
import { DAY, PERIOD, TONNE, expectAuctionEscrow, latest, openPeriod, timeTo } from "../helpers/compliance.js";
import { deployWorld, plain, type World } from "../helpers/fixtures.js";
import { MAX_UINT128, errorSelector, interfaceIdOf } from "../helpers/market.js";
import { interfaceId, nestedFixtures } from "../helpers/registry.js";

// The period opened by `openPeriod`: 20,000 t of auction volume (in kg units).
const PERIOD_AUCTION_VOLUME = 20_000n * TONNE;
// The default auction: 1,000 units at a reserve of 10 base units a unit.
const VOLUME = 1_000n;
const RESERVE = 10n;
const HOUR = 3_600n;
// Every bidder starts with 1,000,000 USDC (6 decimals).
const FUNDS = 1_000_000_000_000n;
const REASON = id("reason");
const REENTRANT_CALL = errorSelector("ReentrancyGuardReentrantCall()");
const IERC165_ID = "0x01ffc9a7";

interface Ctx {
  w: World;
  usdc: ERC20Mock;
  pay: string;
  house: string;
  /** alice, bob, outsider, then the extra signers (indices 11+); every one funded and approving the auction. */
  bidders: HardhatEthersSigner[];
  carol: HardhatEthersSigner;
  dave: HardhatEthersSigner;
}

interface AuctionCtx extends Ctx {
  auctionId: bigint;
  start: bigint;
  end: bigint;
  revealEnd: bigint;
}

/** A committed bid and the terms that open it. */
interface Sealed {
  bidId: bigint;
  auctionId: bigint;
  bidder: HardhatEthersSigner;
  price: bigint;
  quantity: bigint;
  salt: string;
  deposit: bigint;
}

/** What the auction should find, computed off chain. */
interface Clearing {
  clearing: bigint;
  demandAbove: bigint;
  marginalDemand: bigint;
  marginalFill: bigint;
  marginalBids: bigint;
  sold: bigint;
}

let saltNonce = 0;

/** A fresh salt. */
function freshSalt(): string {
  return id(`auction-salt-${++saltNonce}`);
}

/** The commitment computed off chain: keccak256(abi.encode(auctionId, bidder, unitPrice, quantity, salt)). */
function commitmentOf(auctionId: bigint, bidder: string, price: bigint, quantity: bigint, salt: string): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["uint256", "address", "uint256", "uint256", "bytes32"],
      [auctionId, bidder, price, quantity, salt],
    ),
  );
}

/** The reference clearing of an auction of `volume` over revealed bids (price, quantity). */
function clearingOf(volume: bigint, revealed: { price: bigint; quantity: bigint }[]): Clearing {
  const prices = [...new Set(revealed.map((b) => b.price))].sort((x, y) => (x > y ? -1 : x < y ? 1 : 0));
  let above = 0n;
  for (let i = 0; i < prices.length; ++i) {
    const atLevel = revealed.filter((b) => b.price === prices[i]);
    const demand = atLevel.reduce((s, b) => s + b.quantity, 0n);
    if (above + demand >= volume || i === prices.length - 1) {
      const fill = above + demand >= volume ? volume - above : demand;
      return {
        clearing: prices[i],
        demandAbove: above,
        marginalDemand: demand,
        marginalFill: fill,
        marginalBids: BigInt(atLevel.length),
        sold: above + fill,
      };
    }
    above += demand;
  }
  return { clearing: 0n, demandAbove: 0n, marginalDemand: 0n, marginalFill: 0n, marginalBids: 0n, sold: 0n };
}

/** A revealed bid's allocation under `c` (rounded down at the margin). */
function allocationUnder(c: Clearing, price: bigint, quantity: bigint): bigint {
  if (price > c.clearing) return quantity;
  if (price === c.clearing) return (quantity * c.marginalFill) / c.marginalDemand;
  return 0n;
}

describe("AllowanceAuction", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<World> {
    return world;
  }

  /** Period 2026 opened (20,000 t of auction volume); an ERC20Mock "USDC"; every bidder funded and approving. */
  async function withPeriod(): Promise<Ctx> {
    const w = await load(deployed);
    await openPeriod(w);
    const usdc = await w.ethers.deployContract("ERC20Mock");
    const house = await w.auction.getAddress();
    const extras = (await w.ethers.getSigners()).slice(11);
    const bidders = [w.alice, w.bob, w.outsider, ...extras];
    for (const bidder of bidders) {
      await (await usdc.mint(bidder.address, FUNDS)).wait();
      await (await usdc.connect(bidder).approve(house, MaxUint256)).wait();
    }
    return { w, usdc, pay: await usdc.getAddress(), house, bidders, carol: extras[0], dave: extras[1] };
  }

  /** withPeriod plus auction 1: VOLUME at RESERVE in USDC, bidding open for a day (time at its start), reveal a day. */
  async function withAuction(): Promise<AuctionCtx> {
    const ctx = await load(withPeriod);
    return openAndStart(ctx);
  }

  /**
   * withAuction plus the tie: carol 600 @ 30 (deposit 18,500), alice 300 @ 25 (deposit 9,000), bob 500 @ 25
   * (deposit 12,500, exact), dave 400 @ 20 (deposit 8,001), all revealed (in the order dave, alice, carol, bob), and
   * an unrevealed bid of the outsider (deposit 5,000). Bid ids 1 to 5 in that commit order. Time at revealEnd.
   */
  async function withTie() {
    const ctx = await load(withAuction);
    const high = await seal(ctx, ctx.carol, 30n, 600n, 18_500n);
    const a = await seal(ctx, ctx.w.alice, 25n, 300n, 9_000n);
    const b = await seal(ctx, ctx.w.bob, 25n, 500n, 12_500n);
    const low = await seal(ctx, ctx.dave, 20n, 400n, 8_001n);
    const hidden = await seal(ctx, ctx.w.outsider, 40n, 100n, 5_000n);
    await timeTo(ctx.w, ctx.end);
    for (const s of [low, a, high, b]) await reveal(ctx, s);
    await timeTo(ctx.w, ctx.revealEnd);
    return { ...ctx, high, a, b, low, hidden };
  }

  /** withTie, settled in one call. */
  async function withTieSettled() {
    const ctx = await load(withTie);
    await (await ctx.w.auction.settle(ctx.auctionId, 10n)).wait();
    return ctx;
  }

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
    await load(deployed);
  });

  // ------------------------------------------------------------------ helpers

  /** Opens an auction (defaults: VOLUME at RESERVE in USDC, start in an hour, a day of bidding, a day of reveal). */
  async function openWith(
    ctx: Ctx,
    overrides: Partial<{
      period: bigint;
      volume: bigint;
      reserve: bigint;
      paymentToken: string;
      start: bigint;
      end: bigint;
      revealEnd: bigint;
    }> = {},
  ) {
    const start = overrides.start ?? (await latest(ctx.w)) + HOUR;
    const end = overrides.end ?? start + DAY;
    const revealEnd = overrides.revealEnd ?? end + DAY;
    const terms = {
      period: overrides.period ?? PERIOD,
      volume: overrides.volume ?? VOLUME,
      reserve: overrides.reserve ?? RESERVE,
      paymentToken: overrides.paymentToken ?? ctx.pay,
      start,
      end,
      revealEnd,
    };
    const tx = ctx.w.auction
      .connect(ctx.w.regulator)
      .openAuction(
        terms.period,
        terms.volume,
        terms.reserve,
        terms.paymentToken,
        terms.start,
        terms.end,
        terms.revealEnd,
      );
    return { tx, terms };
  }

  /** Opens an auction and moves time to its bidding start; returns its context. */
  async function openAndStart(
    ctx: Ctx,
    overrides: Partial<{ volume: bigint; reserve: bigint; paymentToken: string }> = {},
  ): Promise<AuctionCtx> {
    const { tx, terms } = await openWith(ctx, overrides);
    await (await tx).wait();
    const [auctionId] = await ctx.w.auction.counts();
    await timeTo(ctx.w, terms.start);
    return { ...ctx, auctionId, start: terms.start, end: terms.end, revealEnd: terms.revealEnd };
  }

  /** Commits a sealed bid of `quantity` at `price` with `deposit` (default: exactly price × quantity). */
  async function seal(
    ctx: AuctionCtx,
    bidder: HardhatEthersSigner,
    price: bigint,
    quantity: bigint,
    deposit: bigint = price * quantity,
    auctionId: bigint = ctx.auctionId,
  ): Promise<Sealed> {
    const salt = freshSalt();
    const commitment = commitmentOf(auctionId, bidder.address, price, quantity, salt);
    await (await ctx.w.auction.connect(bidder).commitBid(auctionId, commitment, deposit)).wait();
    const [, bidId] = await ctx.w.auction.counts();
    return { bidId, auctionId, bidder, price, quantity, salt, deposit };
  }

  function revealTx(ctx: Ctx, s: Sealed, hint = 0n) {
    return ctx.w.auction.connect(s.bidder).revealBid(s.bidId, s.price, s.quantity, s.salt, hint);
  }

  async function reveal(ctx: Ctx, s: Sealed, hint = 0n) {
    return (await revealTx(ctx, s, hint)).wait();
  }

  /** The auction's price levels from the highest down: price, demand, bids. */
  async function levels(ctx: Ctx, auctionId: bigint) {
    const out: { price: bigint; demand: bigint; bids: bigint }[] = [];
    let price = (await ctx.w.auction.getAuction(auctionId)).highestLevel;
    while (price !== 0n) {
      const level = await ctx.w.auction.getLevel(auctionId, price);
      out.push({ price, demand: level.demand, bids: level.bids });
      if (out.length > 100) throw new Error("level list does not end");
      price = level.nextLower;
    }
    return out;
  }

  async function auctionOf(ctx: Ctx, auctionId: bigint) {
    return plain(await ctx.w.auction.getAuction(auctionId));
  }

  async function periodOf(ctx: Ctx) {
    const p = await ctx.w.compliance.getPeriod(PERIOD);
    return { allocated: p.allocated, auctionReserved: p.auctionReserved, auctioned: p.auctioned, burned: p.burned };
  }

  async function allowances(ctx: Ctx, account: string): Promise<bigint> {
    return ctx.w.allowance.balanceOf(account, PERIOD);
  }

  /** The period's supply invariant: allowance supply == allocated + auctioned − burned. */
  async function expectSupply(ctx: Ctx) {
    const p = await ctx.w.compliance.getPeriod(PERIOD);
    expect(await ctx.w.allowance.totalSupply(PERIOD)).to.equal(p.allocated + p.auctioned - p.burned);
  }

  async function expectInvariants(
    ctx: Ctx,
    tokens: { getAddress(): Promise<string>; balanceOf(a: string): Promise<bigint> }[] = [],
  ) {
    await expectAuctionEscrow(ctx.w, [ctx.usdc, ...tokens]);
    await expectSupply(ctx);
  }

  /** Everything a refused call must leave untouched. */
  async function state(ctx: AuctionCtx) {
    const [auctions, bids] = await ctx.w.auction.counts();
    const bidList = [];
    for (let bidId = 1n; bidId <= bids; ++bidId) bidList.push(plain(await ctx.w.auction.getBid(bidId)));
    return {
      auctions,
      bids,
      auction: await auctionOf(ctx, ctx.auctionId),
      bidList,
      period: await periodOf(ctx),
      usdc: await Promise.all(
        [ctx.house, ctx.w.admin.address, ...ctx.bidders.map((b) => b.address)].map((a) => ctx.usdc.balanceOf(a)),
      ),
      supply: await ctx.w.allowance.totalSupply(PERIOD),
    };
  }

  async function at(w: World, timestamp: bigint) {
    await w.connection.networkHelpers.time.setNextBlockTimestamp(timestamp);
  }

  // ------------------------------------------------------------------ deployment and views

  describe("deployment and views", function () {
    it("exposes the compliance registry, the treasury (admin), not paused, no auctions or bids", async function () {
      const { w } = await load(withPeriod);
      expect(await w.auction.compliance()).to.equal(await w.compliance.getAddress());
      expect(await w.auction.treasury()).to.equal(w.admin.address);
      expect(await w.auction.paused()).to.equal(false);
      expect(await w.auction.counts()).to.deep.equal([0n, 0n]);
    });

    it("commitmentOf is keccak256(abi.encode(auctionId, bidder, unitPrice, quantity, salt))", async function () {
      const { w } = await load(withPeriod);
      const salt = id("salt");
      const expected = commitmentOf(7n, w.alice.address, 25n, 300n, salt);
      expect(await w.auction.commitmentOf(7n, w.alice.address, 25n, 300n, salt)).to.equal(expected);
      // Every field is bound.
      expect(await w.auction.commitmentOf(8n, w.alice.address, 25n, 300n, salt)).to.not.equal(expected);
      expect(await w.auction.commitmentOf(7n, w.bob.address, 25n, 300n, salt)).to.not.equal(expected);
      expect(await w.auction.commitmentOf(7n, w.alice.address, 26n, 300n, salt)).to.not.equal(expected);
      expect(await w.auction.commitmentOf(7n, w.alice.address, 25n, 301n, salt)).to.not.equal(expected);
      expect(await w.auction.commitmentOf(7n, w.alice.address, 25n, 300n, id("other"))).to.not.equal(expected);
    });

    it("refuses unknown auctions with AuctionUnknown and unknown bids with AuctionUnknownBid", async function () {
      const ctx = await load(withAuction);
      const { w } = ctx;
      for (const auctionId of [0n, 2n]) {
        await expect(w.auction.getAuction(auctionId))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknown")
          .withArgs(auctionId);
        await expect(w.auction.getLevel(auctionId, 10n))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknown")
          .withArgs(auctionId);
        await expect(w.auction.connect(w.alice).commitBid(auctionId, id("c"), 100n))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknown")
          .withArgs(auctionId);
        await expect(w.auction.settle(auctionId, 1n))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknown")
          .withArgs(auctionId);
      }
      await seal(ctx, w.alice, 20n, 10n);
      for (const bidId of [0n, 2n]) {
        await expect(w.auction.getBid(bidId))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknownBid")
          .withArgs(bidId);
        await expect(w.auction.allocationOf(bidId))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknownBid")
          .withArgs(bidId);
        await expect(w.auction.connect(w.alice).revealBid(bidId, 20n, 10n, ZeroHash, 0n))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknownBid")
          .withArgs(bidId);
        await expect(w.auction.claim(bidId))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknownBid")
          .withArgs(bidId);
        await expect(w.auction.claimMany([bidId]))
          .to.be.revertedWithCustomError(w.auction, "AuctionUnknownBid")
          .withArgs(bidId);
      }
    });

    it("getLevel of a price with no level is all zero", async function () {
      const ctx = await load(withTie);
      const level = await ctx.w.auction.getLevel(ctx.auctionId, 26n);
      expect([level.demand, level.nextLower, level.bids]).to.deep.equal([0n, 0n, 0n]);
    });

    describe("supportsInterface", function () {
      it("supports IAllowanceAuction (the id of its own selectors) and IERC165, nothing else", async function () {
        const { w } = await load(withPeriod);
        const iface = (await w.ethers.getContractAt("IAllowanceAuction", await w.auction.getAddress())).interface;
        const own: string[] = [];
        iface.forEachFunction((fn) => own.push(fn.format("sighash")));
        // The interface declares its functions only (supportsInterface is not one of them).
        expect(own).to.not.include("supportsInterface(bytes4)");
        expect(own).to.include("commitBid(uint256,bytes32,uint256)");
        expect(own.length).to.equal(19);
        const auctionId = interfaceId(iface);
        expect(auctionId).to.equal(interfaceIdOf(own));
        expect(interfaceIdOf(["supportsInterface(bytes4)"])).to.equal(IERC165_ID);
        expect(await w.auction.supportsInterface(auctionId)).to.equal(true);
        expect(await w.auction.supportsInterface(IERC165_ID)).to.equal(true);
        expect(await w.auction.supportsInterface("0xffffffff")).to.equal(false);
        expect(await w.auction.supportsInterface("0x00000000")).to.equal(false);
        // Its id with one selector missing, or with supportsInterface folded in, is not supported.
        const missing = interfaceIdOf(own.filter((s) => s !== "claimMany(uint256[])"));
        expect(await w.auction.supportsInterface(missing)).to.equal(false);
        expect(await w.auction.supportsInterface(interfaceIdOf([...own, "supportsInterface(bytes4)"]))).to.equal(false);
        // The compliance registry's id is not the auction's.
        const compliance = (await w.ethers.getContractAt("IComplianceRegistry", await w.compliance.getAddress()))
          .interface;
        expect(await w.auction.supportsInterface(interfaceId(compliance))).to.equal(false);
      });
    });
  });

  // ------------------------------------------------------------------ openAuction

  describe("openAuction", function () {
    it("emits AuctionOpened with every argument and the compliance AuctionVolumeReserved", async function () {
      const ctx = await load(withPeriod);
      const { tx, terms } = await openWith(ctx, { volume: 1_234n, reserve: 17n });
      await expect(tx)
        .to.emit(ctx.w.auction, "AuctionOpened")
        .withArgs(1n, PERIOD, ctx.pay, 1_234n, 17n, terms.start, terms.end, terms.revealEnd);
      await expect(tx).to.emit(ctx.w.compliance, "AuctionVolumeReserved").withArgs(PERIOD, 1n, 1_234n);
    });

    it("stores every field of the auction, counts it and reserves its volume in the period", async function () {
      const ctx = await load(withPeriod);
      expect((await periodOf(ctx)).auctionReserved).to.equal(0n);
      const now = await latest(ctx.w);
      expect(
        await ctx.w.auction
          .connect(ctx.w.regulator)
          .openAuction.staticCall(PERIOD, 1n, 1n, ctx.pay, now, now + DAY, now + 2n * DAY),
      ).to.equal(1n);
      const { tx, terms } = await openWith(ctx, { volume: 1_234n, reserve: 17n });
      await (await tx).wait();
      expect(await auctionOf(ctx, 1n)).to.deep.equal({
        period: PERIOD,
        biddingStart: terms.start,
        biddingEnd: terms.end,
        revealEnd: terms.revealEnd,
        paymentToken: ctx.pay,
        bidCount: 0n,
        levelCount: 0n,
        settled: false,
        volume: 1_234n,
        reservePrice: 17n,
        highestLevel: 0n,
        cursor: 0n,
        demandAbove: 0n,
        revealedDemand: 0n,
        clearingPrice: 0n,
        marginalDemand: 0n,
        marginalFill: 0n,
        marginalIssued: 0n,
        marginalBids: 0n,
        marginalClaimed: 0n,
        marginalClaimedDemand: 0n,
      });
      expect(await ctx.w.auction.counts()).to.deep.equal([1n, 0n]);
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 1_234n, auctioned: 0n, burned: 0n });
      // A second auction is numbered 2 and reserves on top.
      await (await (await openWith(ctx, { volume: 766n })).tx).wait();
      expect(await ctx.w.auction.counts()).to.deep.equal([2n, 0n]);
      expect((await periodOf(ctx)).auctionReserved).to.equal(2_000n);
      expect((await ctx.w.auction.getAuction(2n)).volume).to.equal(766n);
    });

    it("accepts a bidding start in the past and the whole unreserved volume", async function () {
      const ctx = await load(withPeriod);
      const now = await latest(ctx.w);
      await (await (await openWith(ctx, { volume: 1_000n })).tx).wait();
      const { tx } = await openWith(ctx, {
        volume: PERIOD_AUCTION_VOLUME - 1_000n,
        start: 0n,
        end: now + 10n,
        revealEnd: now + 11n,
      });
      await (await tx).wait();
      expect((await periodOf(ctx)).auctionReserved).to.equal(PERIOD_AUCTION_VOLUME);
      expect((await ctx.w.auction.getAuction(2n)).biddingStart).to.equal(0n);
    });

    it("refuses a zero volume or a zero reserve price with AuctionZeroAmount", async function () {
      const ctx = await load(withPeriod);
      await expect((await openWith(ctx, { volume: 0n })).tx).to.be.revertedWithCustomError(
        ctx.w.auction,
        "AuctionZeroAmount",
      );
      await expect((await openWith(ctx, { reserve: 0n })).tx).to.be.revertedWithCustomError(
        ctx.w.auction,
        "AuctionZeroAmount",
      );
    });

    it("refuses a volume or reserve price above 2^128 - 1 with AuctionValueTooLarge", async function () {
      const ctx = await load(withPeriod);
      await expect((await openWith(ctx, { volume: MAX_UINT128 + 1n })).tx)
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionValueTooLarge")
        .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
      await expect((await openWith(ctx, { reserve: MaxUint256 })).tx)
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionValueTooLarge")
        .withArgs(MaxUint256, MAX_UINT128);
      // A reserve of exactly 2^128 - 1 fits.
      await (await (await openWith(ctx, { reserve: MAX_UINT128 })).tx).wait();
      expect((await ctx.w.auction.getAuction(1n)).reservePrice).to.equal(MAX_UINT128);
    });

    it("refuses a zero payment token with AuctionInvalidAccount", async function () {
      const ctx = await load(withPeriod);
      await expect((await openWith(ctx, { paymentToken: ZeroAddress })).tx)
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionInvalidAccount")
        .withArgs(ZeroAddress);
    });

    it("refuses bad windows with AuctionInvalidWindow", async function () {
      const ctx = await load(withPeriod);
      const now = await latest(ctx.w);
      const cases: [bigint, bigint, bigint][] = [
        [now - 100n, now - 1n, now + DAY], // bidding ended in the past
        [now + 10n, now + 10n, now + DAY], // start == end
        [now + 20n, now + 10n, now + DAY], // start > end
        [now, now + DAY, now + DAY], // end == revealEnd
        [now, now + DAY, now + DAY - 1n], // end > revealEnd
      ];
      for (const [start, end, revealEnd] of cases) {
        await expect((await openWith(ctx, { start, end, revealEnd })).tx)
          .to.be.revertedWithCustomError(ctx.w.auction, "AuctionInvalidWindow")
          .withArgs(start, end, revealEnd);
      }
      // A bidding end equal to the block's timestamp is refused too (an empty bidding window).
      const t = (await latest(ctx.w)) + 100n;
      await at(ctx.w, t);
      await expect((await openWith(ctx, { start: t - 10n, end: t, revealEnd: t + DAY })).tx)
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionInvalidWindow")
        .withArgs(t - 10n, t, t + DAY);
      // One second later it is accepted.
      await at(ctx.w, t + 10n);
      await (await (await openWith(ctx, { start: t - 10n, end: t + 11n, revealEnd: t + 12n })).tx).wait();
      expect(await ctx.w.auction.counts()).to.deep.equal([1n, 0n]);
    });

    it("refuses more than the period's unreserved auction volume with ComplianceAuctionVolumeExceeded", async function () {
      const ctx = await load(withPeriod);
      await expect((await openWith(ctx, { volume: PERIOD_AUCTION_VOLUME + 1n })).tx)
        .to.be.revertedWithCustomError(ctx.w.compliance, "ComplianceAuctionVolumeExceeded")
        .withArgs(PERIOD, PERIOD_AUCTION_VOLUME + 1n, PERIOD_AUCTION_VOLUME);
      await (await (await openWith(ctx, { volume: 5_000n })).tx).wait();
      const available = PERIOD_AUCTION_VOLUME - 5_000n;
      await expect((await openWith(ctx, { volume: available + 1n })).tx)
        .to.be.revertedWithCustomError(ctx.w.compliance, "ComplianceAuctionVolumeExceeded")
        .withArgs(PERIOD, available + 1n, available);
      // Nothing was recorded by the refused calls.
      expect(await ctx.w.auction.counts()).to.deep.equal([1n, 0n]);
      expect((await periodOf(ctx)).auctionReserved).to.equal(5_000n);
    });

    it("refuses an unknown period with ComplianceUnknownPeriod", async function () {
      const ctx = await load(withPeriod);
      await expect((await openWith(ctx, { period: 2099n })).tx)
        .to.be.revertedWithCustomError(ctx.w.compliance, "ComplianceUnknownPeriod")
        .withArgs(2099n);
      expect(await ctx.w.auction.counts()).to.deep.equal([0n, 0n]);
    });

    it("refuses while paused with EnforcedPause", async function () {
      const ctx = await load(withPeriod);
      await (await ctx.w.auction.connect(ctx.w.pauser).pause()).wait();
      await expect((await openWith(ctx)).tx).to.be.revertedWithCustomError(ctx.w.auction, "EnforcedPause");
    });

    it("refuses callers without REGULATOR with AccessManagedUnauthorized", async function () {
      const ctx = await load(withPeriod);
      const now = await latest(ctx.w);
      for (const caller of [ctx.w.alice, ctx.w.admin, ctx.w.treasurer, ctx.w.pauser]) {
        await expect(
          ctx.w.auction.connect(caller).openAuction(PERIOD, VOLUME, RESERVE, ctx.pay, now, now + DAY, now + 2n * DAY),
        )
          .to.be.revertedWithCustomError(ctx.w.auction, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
    });
  });

  // ------------------------------------------------------------------ commitBid

  describe("commitBid", function () {
    it("escrows exactly the deposit, emits BidCommitted and stores the bid", async function () {
      const ctx = await load(withAuction);
      const { w } = ctx;
      const commitment = commitmentOf(ctx.auctionId, w.alice.address, 25n, 300n, id("s"));
      const tx = w.auction.connect(w.alice).commitBid(ctx.auctionId, commitment, 9_001n);
      await expect(tx).to.emit(w.auction, "BidCommitted").withArgs(ctx.auctionId, 1n, w.alice.address, 9_001n);
      await expect(tx).to.emit(ctx.usdc, "Transfer").withArgs(w.alice.address, ctx.house, 9_001n);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - 9_001n);
      expect(await ctx.usdc.balanceOf(ctx.house)).to.equal(9_001n);
      expect(plain(await w.auction.getBid(1n))).to.deep.equal({
        bidder: w.alice.address,
        auctionId: ctx.auctionId,
        revealed: false,
        claimed: false,
        commitment,
        deposit: 9_001n,
        unitPrice: 0n,
        quantity: 0n,
        shares: 9_001n * 1_000_000n,
      });
      expect(await w.auction.counts()).to.deep.equal([1n, 1n]);
      expect((await w.auction.getAuction(ctx.auctionId)).bidCount).to.equal(1n);
      // A second bid (same bidder, same commitment) is a separate bid.
      expect(await w.auction.connect(w.alice).commitBid.staticCall(ctx.auctionId, commitment, 1n)).to.equal(2n);
      await seal(ctx, w.bob, 10n, 1n, 1n);
      expect((await w.auction.getAuction(ctx.auctionId)).bidCount).to.equal(2n);
      await expectInvariants(ctx);
    });

    it("is open from biddingStart (inclusive) to biddingEnd (exclusive): AuctionNotBidding outside", async function () {
      const base = await load(withPeriod);
      const { tx, terms } = await openWith(base);
      await (await tx).wait();
      const { w } = base;
      const c = id("commitment");
      await at(w, terms.start - 1n);
      await expect(w.auction.connect(w.alice).commitBid(1n, c, 100n))
        .to.be.revertedWithCustomError(w.auction, "AuctionNotBidding")
        .withArgs(1n, terms.start, terms.end);
      await at(w, terms.start);
      await (await w.auction.connect(w.alice).commitBid(1n, c, 100n)).wait();
      await at(w, terms.end - 1n);
      await (await w.auction.connect(w.alice).commitBid(1n, c, 100n)).wait();
      await at(w, terms.end);
      await expect(w.auction.connect(w.alice).commitBid(1n, c, 100n))
        .to.be.revertedWithCustomError(w.auction, "AuctionNotBidding")
        .withArgs(1n, terms.start, terms.end);
      await timeTo(w, terms.revealEnd + DAY);
      await expect(w.auction.connect(w.alice).commitBid(1n, c, 100n))
        .to.be.revertedWithCustomError(w.auction, "AuctionNotBidding")
        .withArgs(1n, terms.start, terms.end);
      expect(await w.auction.counts()).to.deep.equal([1n, 2n]);
      expect(await base.usdc.balanceOf(base.house)).to.equal(200n);
    });

    it("refuses a zero commitment with AuctionInvalidCommitment", async function () {
      const ctx = await load(withAuction);
      await expect(
        ctx.w.auction.connect(ctx.w.alice).commitBid(ctx.auctionId, ZeroHash, 100n),
      ).to.be.revertedWithCustomError(ctx.w.auction, "AuctionInvalidCommitment");
    });

    it("refuses a zero deposit with AuctionZeroAmount and one above 2^128 - 1 with AuctionValueTooLarge", async function () {
      const ctx = await load(withAuction);
      await expect(
        ctx.w.auction.connect(ctx.w.alice).commitBid(ctx.auctionId, id("c"), 0n),
      ).to.be.revertedWithCustomError(ctx.w.auction, "AuctionZeroAmount");
      await expect(ctx.w.auction.connect(ctx.w.alice).commitBid(ctx.auctionId, id("c"), MAX_UINT128 + 1n))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionValueTooLarge")
        .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
      const before = await state(ctx);
      expect(before.bids).to.equal(0n);
    });

    it("refuses a deposit the bidder cannot pay (the token's own error), leaving no bid", async function () {
      const ctx = await load(withAuction);
      await expect(ctx.w.auction.connect(ctx.w.alice).commitBid(ctx.auctionId, id("c"), FUNDS + 1n))
        .to.be.revertedWithCustomError(ctx.usdc, "ERC20InsufficientBalance")
        .withArgs(ctx.w.alice.address, FUNDS, FUNDS + 1n);
      expect(await ctx.w.auction.counts()).to.deep.equal([1n, 0n]);
    });

    it("refuses a fee-on-transfer payment token with AuctionShortPayment", async function () {
      const ctx = await load(withPeriod);
      const fot = (await ctx.w.ethers.deployContract("FeeOnTransferERC20Mock")) as unknown as FeeOnTransferERC20Mock;
      const fotAddress = await fot.getAddress();
      await (await fot.mint(ctx.w.alice.address, FUNDS)).wait();
      await (await fot.connect(ctx.w.alice).approve(ctx.house, MaxUint256)).wait();
      const actx = await openAndStart(ctx, { paymentToken: fotAddress });
      await expect(ctx.w.auction.connect(ctx.w.alice).commitBid(actx.auctionId, id("c"), 10_000n))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionShortPayment")
        .withArgs(fotAddress, 10_000n, 9_900n);
      expect(await fot.balanceOf(ctx.house)).to.equal(0n);
      expect(await fot.balanceOf(ctx.w.alice.address)).to.equal(FUNDS);
      expect(await ctx.w.auction.counts()).to.deep.equal([1n, 0n]);
      expect((await ctx.w.auction.getAuction(actx.auctionId)).bidCount).to.equal(0n);
    });

    it("refuses a payment token that shrinks the house's balance on receipt with AuctionShortPayment(…, 0), not an arithmetic panic", async function () {
      const ctx = await load(withPeriod);
      const shrinking = (await ctx.w.ethers.deployContract("ShrinkingERC20Mock")) as unknown as ShrinkingERC20Mock;
      const address = await shrinking.getAddress();
      await (await shrinking.mint(ctx.w.alice.address, FUNDS)).wait();
      await (await shrinking.connect(ctx.w.alice).approve(ctx.house, MaxUint256)).wait();
      // The house already holds some of the token, so receiving the deposit leaves it with less than before.
      await (await shrinking.mint(ctx.house, 30_000n)).wait();
      const actx = await openAndStart(ctx, { paymentToken: address });
      await (await shrinking.setShrinking(true)).wait();
      await expect(ctx.w.auction.connect(ctx.w.alice).commitBid(actx.auctionId, id("c"), 10_000n))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionShortPayment")
        .withArgs(address, 10_000n, 0n);
      expect(await shrinking.balanceOf(ctx.house)).to.equal(30_000n);
      expect(await shrinking.balanceOf(ctx.w.alice.address)).to.equal(FUNDS);
      expect((await ctx.w.auction.getAuction(actx.auctionId)).bidCount).to.equal(0n);
    });

    it("refuses while paused with EnforcedPause", async function () {
      const ctx = await load(withAuction);
      await (await ctx.w.auction.connect(ctx.w.pauser).pause()).wait();
      await expect(
        ctx.w.auction.connect(ctx.w.alice).commitBid(ctx.auctionId, id("c"), 100n),
      ).to.be.revertedWithCustomError(ctx.w.auction, "EnforcedPause");
    });
  });

  // ------------------------------------------------------------------ revealBid

  describe("revealBid", function () {
    it("emits BidRevealed, records the terms and creates the price level", async function () {
      const ctx = await load(withAuction);
      const s = await seal(ctx, ctx.w.alice, 25n, 300n, 9_000n);
      await timeTo(ctx.w, ctx.end);
      await expect(revealTx(ctx, s))
        .to.emit(ctx.w.auction, "BidRevealed")
        .withArgs(ctx.auctionId, s.bidId, ctx.w.alice.address, 25n, 300n);
      const bid = await ctx.w.auction.getBid(s.bidId);
      expect([bid.revealed, bid.claimed, bid.unitPrice, bid.quantity, bid.deposit]).to.deep.equal([
        true,
        false,
        25n,
        300n,
        9_000n,
      ]);
      const level = await ctx.w.auction.getLevel(ctx.auctionId, 25n);
      expect([level.demand, level.nextLower, level.bids]).to.deep.equal([300n, 0n, 1n]);
      const a = await ctx.w.auction.getAuction(ctx.auctionId);
      expect([a.highestLevel, a.levelCount, a.revealedDemand]).to.deep.equal([25n, 1n, 300n]);
      // Revealing moves no funds.
      expect(await ctx.usdc.balanceOf(ctx.house)).to.equal(9_000n);
      await expectInvariants(ctx);
    });

    it("adds bids at one price to one level (demand and bid count)", async function () {
      const ctx = await load(withTie);
      const level = await ctx.w.auction.getLevel(ctx.auctionId, 25n);
      expect([level.demand, level.nextLower, level.bids]).to.deep.equal([800n, 20n, 2n]);
      expect(await levels(ctx, ctx.auctionId)).to.deep.equal([
        { price: 30n, demand: 600n, bids: 1n },
        { price: 25n, demand: 800n, bids: 2n },
        { price: 20n, demand: 400n, bids: 1n },
      ]);
      const a = await ctx.w.auction.getAuction(ctx.auctionId);
      expect([a.highestLevel, a.levelCount, a.revealedDemand, a.bidCount]).to.deep.equal([30n, 3n, 1_800n, 5n]);
    });

    it("is open from biddingEnd (inclusive) to revealEnd (exclusive): AuctionNotRevealing outside", async function () {
      const ctx = await load(withAuction);
      const s1 = await seal(ctx, ctx.w.alice, 25n, 10n);
      const s2 = await seal(ctx, ctx.w.bob, 25n, 10n);
      await at(ctx.w, ctx.end - 1n);
      await expect(revealTx(ctx, s1))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionNotRevealing")
        .withArgs(ctx.auctionId, ctx.end, ctx.revealEnd);
      await at(ctx.w, ctx.end);
      await reveal(ctx, s1);
      await at(ctx.w, ctx.revealEnd);
      await expect(revealTx(ctx, s2))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionNotRevealing")
        .withArgs(ctx.auctionId, ctx.end, ctx.revealEnd);
      expect((await ctx.w.auction.getBid(s1.bidId)).revealed).to.equal(true);
      expect((await ctx.w.auction.getBid(s2.bidId)).revealed).to.equal(false);
    });

    it("accepts a reveal at revealEnd - 1", async function () {
      const ctx = await load(withAuction);
      const s = await seal(ctx, ctx.w.alice, 25n, 10n);
      await at(ctx.w, ctx.revealEnd - 1n);
      await reveal(ctx, s);
      expect((await ctx.w.auction.getBid(s.bidId)).revealed).to.equal(true);
    });

    it("refuses anyone but the bidder with AuctionNotBidder", async function () {
      const ctx = await load(withAuction);
      const s = await seal(ctx, ctx.w.alice, 25n, 10n);
      await timeTo(ctx.w, ctx.end);
      await expect(ctx.w.auction.connect(ctx.w.bob).revealBid(s.bidId, s.price, s.quantity, s.salt, 0n))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionNotBidder")
        .withArgs(s.bidId, ctx.w.bob.address);
    });

    it("refuses a second reveal with AuctionAlreadyRevealed", async function () {
      const ctx = await load(withAuction);
      const s = await seal(ctx, ctx.w.alice, 25n, 10n);
      await timeTo(ctx.w, ctx.end);
      await reveal(ctx, s);
      await expect(revealTx(ctx, s))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionAlreadyRevealed")
        .withArgs(s.bidId);
      const level = await ctx.w.auction.getLevel(ctx.auctionId, 25n);
      expect([level.demand, level.bids]).to.deep.equal([10n, 1n]);
    });

    it("refuses terms that do not open the commitment with AuctionCommitmentMismatch", async function () {
      const ctx = await load(withAuction);
      const { w } = ctx;
      const s = await seal(ctx, w.alice, 25n, 300n, 100_000n);
      // A copy of alice's commitment, committed by bob: bound to alice, bob cannot open it.
      const copied = (await w.auction.getBid(s.bidId)).commitment;
      await (await w.auction.connect(w.bob).commitBid(ctx.auctionId, copied, 100_000n)).wait();
      // A commitment made for another auction id.
      const other = freshSalt();
      await (
        await w.auction
          .connect(w.alice)
          .commitBid(ctx.auctionId, commitmentOf(ctx.auctionId + 1n, w.alice.address, 25n, 300n, other), 100_000n)
      ).wait();
      await timeTo(w, ctx.end);
      const wrong: [bigint, bigint, string][] = [
        [25n, 300n, id("wrong salt")],
        [26n, 300n, s.salt],
        [24n, 300n, s.salt],
        [25n, 299n, s.salt],
        [25n, 301n, s.salt],
      ];
      for (const [price, quantity, salt] of wrong) {
        await expect(w.auction.connect(w.alice).revealBid(s.bidId, price, quantity, salt, 0n))
          .to.be.revertedWithCustomError(w.auction, "AuctionCommitmentMismatch")
          .withArgs(s.bidId);
      }
      await expect(w.auction.connect(w.bob).revealBid(2n, 25n, 300n, s.salt, 0n))
        .to.be.revertedWithCustomError(w.auction, "AuctionCommitmentMismatch")
        .withArgs(2n);
      await expect(w.auction.connect(w.alice).revealBid(3n, 25n, 300n, other, 0n))
        .to.be.revertedWithCustomError(w.auction, "AuctionCommitmentMismatch")
        .withArgs(3n);
      // The right terms still open it.
      await reveal(ctx, s);
      expect((await w.auction.getAuction(ctx.auctionId)).revealedDemand).to.equal(300n);
    });

    it("refuses a committed zero quantity with AuctionZeroAmount", async function () {
      const ctx = await load(withAuction);
      const s = await seal(ctx, ctx.w.alice, 25n, 0n, 1_000n);
      await timeTo(ctx.w, ctx.end);
      await expect(revealTx(ctx, s)).to.be.revertedWithCustomError(ctx.w.auction, "AuctionZeroAmount");
    });

    it("refuses a price below the reserve with AuctionBelowReserve, and accepts the reserve itself", async function () {
      const ctx = await load(withAuction);
      const low = await seal(ctx, ctx.w.alice, RESERVE - 1n, 10n, 1_000n);
      const atReserve = await seal(ctx, ctx.w.bob, RESERVE, 10n, 1_000n);
      await timeTo(ctx.w, ctx.end);
      await expect(revealTx(ctx, low))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionBelowReserve")
        .withArgs(low.bidId, RESERVE - 1n, RESERVE);
      await reveal(ctx, atReserve);
      expect((await ctx.w.auction.getLevel(ctx.auctionId, RESERVE)).demand).to.equal(10n);
    });

    it("refuses a deposit below quantity × price with AuctionInsufficientEscrow(bidId, required, deposit)", async function () {
      const ctx = await load(withAuction);
      const short = await seal(ctx, ctx.w.alice, 25n, 300n, 7_499n);
      const exact = await seal(ctx, ctx.w.bob, 25n, 300n, 7_500n);
      // A quantity and price whose product overflows 256 bits: the required amount saturates.
      const huge = await seal(ctx, ctx.w.outsider, 2n ** 200n, 2n ** 100n, 1_000n);
      const hugeQuantity = await seal(ctx, ctx.carol, 20n, MAX_UINT128 + 1n, 1_000n);
      await timeTo(ctx.w, ctx.end);
      await expect(revealTx(ctx, short))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionInsufficientEscrow")
        .withArgs(short.bidId, 7_500n, 7_499n);
      await expect(revealTx(ctx, huge))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionInsufficientEscrow")
        .withArgs(huge.bidId, MaxUint256, 1_000n);
      await expect(revealTx(ctx, hugeQuantity))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionInsufficientEscrow")
        .withArgs(hugeQuantity.bidId, (MAX_UINT128 + 1n) * 20n, 1_000n);
      await reveal(ctx, exact);
      expect((await ctx.w.auction.getAuction(ctx.auctionId)).revealedDemand).to.equal(300n);
    });

    it("refuses while paused with EnforcedPause", async function () {
      const ctx = await load(withAuction);
      const s = await seal(ctx, ctx.w.alice, 25n, 10n);
      await timeTo(ctx.w, ctx.end);
      await (await ctx.w.auction.connect(ctx.w.pauser).pause()).wait();
      await expect(revealTx(ctx, s)).to.be.revertedWithCustomError(ctx.w.auction, "EnforcedPause");
    });

    describe("keeps the price levels sorted descending", function () {
      // price, quantity; two bids share 40 and two share 10.
      const BIDS: [bigint, bigint][] = [
        [40n, 100n],
        [10n, 50n],
        [70n, 80n],
        [25n, 60n],
        [55n, 90n],
        [10n, 30n],
        [85n, 20n],
        [40n, 70n],
        [15n, 45n],
      ];
      const EXPECTED = [
        { price: 85n, demand: 20n, bids: 1n },
        { price: 70n, demand: 80n, bids: 1n },
        { price: 55n, demand: 90n, bids: 1n },
        { price: 40n, demand: 170n, bids: 2n },
        { price: 25n, demand: 60n, bids: 1n },
        { price: 15n, demand: 45n, bids: 1n },
        { price: 10n, demand: 80n, bids: 2n },
      ];
      type HintFn = (existing: bigint[], price: bigint) => bigint;
      const lowestAbove = (existing: bigint[], price: bigint) =>
        existing.filter((p) => p > price).reduce((m, p) => (m === 0n || p < m ? p : m), 0n);
      const HINTS: Record<string, HintFn> = {
        "zero hints": () => 0n,
        "right hints (the next level above)": lowestAbove,
        "the highest level as hint": (existing) => existing.reduce((m, p) => (p > m ? p : m), 0n),
        "hints below the price (wrong)": (existing, price) =>
          existing.filter((p) => p < price).reduce((m, p) => (p > m ? p : m), 1n),
        "hints that are no level (wrong)": (_existing, price) => price + 1n,
        "hints far above every level (wrong)": () => MaxUint256,
        "a level above but not adjacent": (existing, price) =>
          existing.filter((p) => p > price).reduce((m, p) => (p > m ? p : m), 0n),
      };
      const ORDERS: Record<string, number[]> = {
        "in commit order": [0, 1, 2, 3, 4, 5, 6, 7, 8],
        "in ascending price order": [1, 5, 8, 3, 0, 7, 4, 2, 6],
        "in descending price order": [6, 2, 4, 0, 7, 3, 8, 1, 5],
      };

      for (const [orderName, order] of Object.entries(ORDERS)) {
        for (const [hintName, hintOf] of Object.entries(HINTS)) {
          it(`${orderName}, with ${hintName}`, async function () {
            const ctx = await load(withAuction);
            const sealed: Sealed[] = [];
            for (let i = 0; i < BIDS.length; ++i) {
              const [price, quantity] = BIDS[i];
              sealed.push(await seal(ctx, ctx.bidders[i], price, quantity));
            }
            await timeTo(ctx.w, ctx.end);
            const existing: bigint[] = [];
            for (const i of order) {
              const s = sealed[i];
              await reveal(ctx, s, hintOf(existing, s.price));
              if (!existing.includes(s.price)) existing.push(s.price);
              // Sorted after every reveal.
              const now = await levels(ctx, ctx.auctionId);
              const prices = now.map((l) => l.price);
              expect(prices).to.deep.equal([...existing].sort((x, y) => (x > y ? -1 : 1)));
            }
            expect(await levels(ctx, ctx.auctionId)).to.deep.equal(EXPECTED);
            const a = await ctx.w.auction.getAuction(ctx.auctionId);
            expect([a.highestLevel, a.levelCount, a.revealedDemand]).to.deep.equal([85n, 7n, 545n]);
            expect((await ctx.w.auction.getLevel(ctx.auctionId, 10n)).nextLower).to.equal(0n);
          });
        }
      }

      it("a right hint costs less gas than no hint deep in the list, with the same result", async function () {
        const gasWith = async (hint: bigint) => {
          const ctx = await load(withAuction);
          const sealed: Sealed[] = [];
          for (let i = 0; i < 10; ++i) sealed.push(await seal(ctx, ctx.bidders[i], 20n + 10n * BigInt(i), 1n));
          const last = await seal(ctx, ctx.bidders[10], 15n, 1n);
          await timeTo(ctx.w, ctx.end);
          for (const s of sealed) await reveal(ctx, s);
          const receipt = await reveal(ctx, last, hint);
          const prices = (await levels(ctx, ctx.auctionId)).map((l) => l.price);
          return { gas: receipt!.gasUsed, prices };
        };
        const none = await gasWith(0n);
        const right = await gasWith(20n);
        expect(right.prices).to.deep.equal(none.prices);
        expect(right.prices).to.deep.equal([110n, 100n, 90n, 80n, 70n, 60n, 50n, 40n, 30n, 20n, 15n]);
        expect(right.gas).to.be.lessThan(none.gas);
      });
    });
  });

  // ------------------------------------------------------------------ settle

  describe("settle", function () {
    it("refuses before revealEnd with AuctionRevealOpen", async function () {
      const ctx = await load(withAuction);
      await expect(ctx.w.auction.settle(ctx.auctionId, 10n))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionRevealOpen")
        .withArgs(ctx.auctionId, ctx.revealEnd);
      await at(ctx.w, ctx.revealEnd - 1n);
      await expect(ctx.w.auction.settle(ctx.auctionId, 10n))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionRevealOpen")
        .withArgs(ctx.auctionId, ctx.revealEnd);
      await at(ctx.w, ctx.revealEnd);
      await (await ctx.w.auction.settle(ctx.auctionId, 10n)).wait();
      expect((await ctx.w.auction.getAuction(ctx.auctionId)).settled).to.equal(true);
    });

    it("refuses a second settlement with AuctionAlreadySettled and maxLevels 0 with AuctionZeroAmount", async function () {
      const ctx = await load(withTie);
      await expect(ctx.w.auction.settle(ctx.auctionId, 0n)).to.be.revertedWithCustomError(
        ctx.w.auction,
        "AuctionZeroAmount",
      );
      await (await ctx.w.auction.settle(ctx.auctionId, 10n)).wait();
      await expect(ctx.w.auction.settle(ctx.auctionId, 10n))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionAlreadySettled")
        .withArgs(ctx.auctionId);
    });

    it("refuses while paused with EnforcedPause", async function () {
      const ctx = await load(withTie);
      await (await ctx.w.auction.connect(ctx.w.pauser).pause()).wait();
      await expect(ctx.w.auction.settle(ctx.auctionId, 10n)).to.be.revertedWithCustomError(
        ctx.w.auction,
        "EnforcedPause",
      );
    });

    it("clears at the marginal level when demand exceeds the volume (anyone may settle)", async function () {
      const ctx = await load(withTie);
      expect(await ctx.w.auction.connect(ctx.w.outsider).settle.staticCall(ctx.auctionId, 10n)).to.equal(true);
      const tx = ctx.w.auction.connect(ctx.w.outsider).settle(ctx.auctionId, 10n);
      await expect(tx).to.emit(ctx.w.auction, "AuctionSettled").withArgs(ctx.auctionId, 25n, 1_000n, 800n, 400n);
      await expect(tx).to.not.emit(ctx.w.auction, "SettlementProgressed");
      await expect(tx).to.not.emit(ctx.w.compliance, "AuctionVolumeReleased");
      const a = await ctx.w.auction.getAuction(ctx.auctionId);
      expect({
        settled: a.settled,
        cursor: a.cursor,
        demandAbove: a.demandAbove,
        clearingPrice: a.clearingPrice,
        marginalDemand: a.marginalDemand,
        marginalFill: a.marginalFill,
        marginalBids: a.marginalBids,
        marginalClaimed: a.marginalClaimed,
        marginalIssued: a.marginalIssued,
      }).to.deep.equal({
        settled: true,
        cursor: 0n,
        demandAbove: 600n,
        clearingPrice: 25n,
        marginalDemand: 800n,
        marginalFill: 400n,
        marginalBids: 2n,
        marginalClaimed: 0n,
        marginalIssued: 0n,
      });
      // The whole volume is sold: nothing released yet, nothing issued yet.
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: VOLUME, auctioned: 0n, burned: 0n });
      await expectInvariants(ctx);
    });

    it("settles in pages: maxLevels 1 emits SettlementProgressed, then AuctionSettled with the same result", async function () {
      const once = await load(withTieSettled);
      const expected = await auctionOf(once, once.auctionId);
      const ctx = await load(withTie);
      expect(await ctx.w.auction.settle.staticCall(ctx.auctionId, 1n)).to.equal(false);
      const first = ctx.w.auction.settle(ctx.auctionId, 1n);
      await expect(first).to.emit(ctx.w.auction, "SettlementProgressed").withArgs(ctx.auctionId, 1n, 25n);
      await expect(first).to.not.emit(ctx.w.auction, "AuctionSettled");
      const mid = await ctx.w.auction.getAuction(ctx.auctionId);
      expect([mid.settled, mid.cursor, mid.demandAbove, mid.clearingPrice]).to.deep.equal([false, 25n, 600n, 0n]);
      // Not settled yet: claims are refused.
      await expect(ctx.w.auction.claim(ctx.a.bidId))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionNotSettled")
        .withArgs(ctx.auctionId);
      expect(await ctx.w.auction.settle.staticCall(ctx.auctionId, 1n)).to.equal(true);
      const second = ctx.w.auction.settle(ctx.auctionId, 1n);
      await expect(second).to.emit(ctx.w.auction, "AuctionSettled").withArgs(ctx.auctionId, 25n, 1_000n, 800n, 400n);
      await expect(second).to.not.emit(ctx.w.auction, "SettlementProgressed");
      expect(await auctionOf(ctx, ctx.auctionId)).to.deep.equal(expected);
    });

    it("releases the unsold volume when demand falls short: clearing at the lowest revealed price", async function () {
      const ctx = await load(withAuction);
      const high = await seal(ctx, ctx.w.alice, 30n, 300n, 9_000n);
      const low = await seal(ctx, ctx.w.bob, 20n, 200n, 4_010n);
      const hidden = await seal(ctx, ctx.w.outsider, 50n, 500n, 25_000n);
      await timeTo(ctx.w, ctx.end);
      await reveal(ctx, low);
      await reveal(ctx, high);
      await timeTo(ctx.w, ctx.revealEnd);
      const tx = ctx.w.auction.settle(ctx.auctionId, 10n);
      await expect(tx).to.emit(ctx.w.auction, "AuctionSettled").withArgs(ctx.auctionId, 20n, 500n, 200n, 200n);
      await expect(tx).to.emit(ctx.w.compliance, "AuctionVolumeReleased").withArgs(PERIOD, ctx.auctionId, 500n);
      expect((await periodOf(ctx)).auctionReserved).to.equal(500n);
      const a = await ctx.w.auction.getAuction(ctx.auctionId);
      expect([a.clearingPrice, a.demandAbove, a.marginalDemand, a.marginalFill, a.marginalBids]).to.deep.equal([
        20n,
        300n,
        200n,
        200n,
        1n,
      ]);
      // Every revealed bid is filled in full at the clearing price 20.
      expect(await ctx.w.auction.allocationOf(high.bidId)).to.deep.equal([300n, 6_000n, 3_000n]);
      expect(await ctx.w.auction.allocationOf(low.bidId)).to.deep.equal([200n, 4_000n, 10n]);
      expect(await ctx.w.auction.allocationOf(hidden.bidId)).to.deep.equal([0n, 2_500n, 22_500n]);
      const lastMarginal = ctx.w.auction.claimMany([high.bidId, low.bidId, hidden.bidId]);
      await expect(lastMarginal).to.not.emit(ctx.w.compliance, "AuctionVolumeReleased");
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 500n, burned: 0n });
      expect(await allowances(ctx, ctx.w.alice.address)).to.equal(300n);
      expect(await allowances(ctx, ctx.w.bob.address)).to.equal(200n);
      // The unrevealed bid forfeits 10% of its deposit to the treasury.
      expect(await ctx.usdc.balanceOf(ctx.w.admin.address)).to.equal(10_000n + 2_500n);
      expect(await ctx.usdc.balanceOf(ctx.w.outsider.address)).to.equal(FUNDS - 2_500n);
      await expectInvariants(ctx);
    });

    it("with no revealed bid clears at 0 and releases the whole volume, which a new auction may reserve", async function () {
      const ctx = await load(withAuction);
      const hidden = await seal(ctx, ctx.w.alice, 30n, 300n, 9_000n);
      await timeTo(ctx.w, ctx.revealEnd);
      const tx = ctx.w.auction.settle(ctx.auctionId, 1n);
      await expect(tx).to.emit(ctx.w.auction, "AuctionSettled").withArgs(ctx.auctionId, 0n, 0n, 0n, 0n);
      await expect(tx).to.emit(ctx.w.compliance, "AuctionVolumeReleased").withArgs(PERIOD, ctx.auctionId, VOLUME);
      expect((await periodOf(ctx)).auctionReserved).to.equal(0n);
      expect(await ctx.w.auction.allocationOf(hidden.bidId)).to.deep.equal([0n, 900n, 8_100n]);
      await expect(ctx.w.auction.claim(hidden.bidId))
        .to.emit(ctx.w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, hidden.bidId, ctx.w.alice.address, 0n, 900n, 8_100n);
      expect(await ctx.usdc.balanceOf(ctx.w.alice.address)).to.equal(FUNDS - 900n);
      // The released volume is available again: the whole period's auction volume can be reserved.
      await (await (await openWith(ctx, { volume: PERIOD_AUCTION_VOLUME })).tx).wait();
      expect((await periodOf(ctx)).auctionReserved).to.equal(PERIOD_AUCTION_VOLUME);
      await expectInvariants(ctx);
    });

    it("with no bid at all settles at 0 and releases the volume", async function () {
      const ctx = await load(withAuction);
      await timeTo(ctx.w, ctx.revealEnd);
      await expect(ctx.w.auction.settle(ctx.auctionId, 1n))
        .to.emit(ctx.w.auction, "AuctionSettled")
        .withArgs(ctx.auctionId, 0n, 0n, 0n, 0n);
      expect((await periodOf(ctx)).auctionReserved).to.equal(0n);
      await expectInvariants(ctx);
    });

    it("clears where demand meets the volume exactly; the level below gets nothing", async function () {
      const ctx = await load(withAuction);
      const high = await seal(ctx, ctx.w.alice, 30n, 600n);
      const mid = await seal(ctx, ctx.w.bob, 25n, 400n);
      const low = await seal(ctx, ctx.carol, 20n, 300n);
      await timeTo(ctx.w, ctx.end);
      for (const s of [low, mid, high]) await reveal(ctx, s);
      await timeTo(ctx.w, ctx.revealEnd);
      await expect(ctx.w.auction.settle(ctx.auctionId, 1n))
        .to.emit(ctx.w.auction, "SettlementProgressed")
        .withArgs(ctx.auctionId, 1n, 25n);
      await expect(ctx.w.auction.settle(ctx.auctionId, 1n))
        .to.emit(ctx.w.auction, "AuctionSettled")
        .withArgs(ctx.auctionId, 25n, 1_000n, 400n, 400n);
      expect(await ctx.w.auction.allocationOf(high.bidId)).to.deep.equal([600n, 15_000n, 3_000n]);
      expect(await ctx.w.auction.allocationOf(mid.bidId)).to.deep.equal([400n, 10_000n, 0n]);
      expect(await ctx.w.auction.allocationOf(low.bidId)).to.deep.equal([0n, 0n, 6_000n]);
      await (await ctx.w.auction.claimMany([low.bidId, mid.bidId, high.bidId])).wait();
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 1_000n, burned: 0n });
      expect(await ctx.usdc.balanceOf(ctx.w.admin.address)).to.equal(25_000n);
      await expectInvariants(ctx);
    });

    it("clears at the highest level when it alone exceeds the volume", async function () {
      const ctx = await load(withAuction);
      const a = await seal(ctx, ctx.w.alice, 40n, 1_500n);
      const b = await seal(ctx, ctx.w.bob, 30n, 500n);
      await timeTo(ctx.w, ctx.end);
      await reveal(ctx, b);
      await reveal(ctx, a);
      await timeTo(ctx.w, ctx.revealEnd);
      await expect(ctx.w.auction.settle(ctx.auctionId, 1n))
        .to.emit(ctx.w.auction, "AuctionSettled")
        .withArgs(ctx.auctionId, 40n, 1_000n, 1_500n, 1_000n);
      expect(await ctx.w.auction.allocationOf(a.bidId)).to.deep.equal([1_000n, 40_000n, 20_000n]);
      expect(await ctx.w.auction.allocationOf(b.bidId)).to.deep.equal([0n, 0n, 15_000n]);
      await (await ctx.w.auction.claimMany([a.bidId, b.bidId])).wait();
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 1_000n, burned: 0n });
      await expectInvariants(ctx);
    });
  });

  // ------------------------------------------------------------------ a tie at the clearing price

  describe("a tie at the clearing price", function () {
    it("allocates the marginal level pro rata and everyone pays the clearing price (allocationOf)", async function () {
      const ctx = await load(withTieSettled);
      const { w } = ctx;
      expect(await w.auction.allocationOf(ctx.high.bidId)).to.deep.equal([600n, 15_000n, 3_500n]);
      expect(await w.auction.allocationOf(ctx.a.bidId)).to.deep.equal([150n, 3_750n, 5_250n]);
      expect(await w.auction.allocationOf(ctx.b.bidId)).to.deep.equal([250n, 6_250n, 6_250n]);
      expect(await w.auction.allocationOf(ctx.low.bidId)).to.deep.equal([0n, 0n, 8_001n]);
      expect(await w.auction.allocationOf(ctx.hidden.bidId)).to.deep.equal([0n, 500n, 4_500n]);
    });

    it("claims mint allocations, pay the treasury Σ paid and refund the rest", async function () {
      const ctx = await load(withTieSettled);
      const { w } = ctx;
      const expected: [Sealed, bigint, bigint, bigint][] = [
        [ctx.high, 600n, 15_000n, 3_500n],
        [ctx.a, 150n, 3_750n, 5_250n],
        [ctx.b, 250n, 6_250n, 6_250n],
        [ctx.low, 0n, 0n, 8_001n],
        [ctx.hidden, 0n, 500n, 4_500n],
      ];
      for (const [s, allocation, paid, refund] of expected) {
        const tx = w.auction.claim(s.bidId);
        await expect(tx)
          .to.emit(w.auction, "BidClaimed")
          .withArgs(ctx.auctionId, s.bidId, s.bidder.address, allocation, paid, refund);
        if (allocation > 0n) {
          await expect(tx)
            .to.emit(w.compliance, "AuctionAllowancesIssued")
            .withArgs(PERIOD, ctx.auctionId, s.bidder.address, allocation);
        } else {
          await expect(tx).to.not.emit(w.compliance, "AuctionAllowancesIssued");
        }
        // No rounding dust here: nothing is released.
        await expect(tx).to.not.emit(w.compliance, "AuctionVolumeReleased");
        expect((await w.auction.getBid(s.bidId)).claimed).to.equal(true);
        await expectInvariants(ctx);
      }
      for (const [s, allocation, paid] of expected) {
        expect(await ctx.usdc.balanceOf(s.bidder.address), s.bidder.address).to.equal(FUNDS - paid);
        expect(await allowances(ctx, s.bidder.address)).to.equal(allocation);
      }
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(25_500n);
      expect(await ctx.usdc.balanceOf(ctx.house)).to.equal(0n);
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 1_000n, burned: 0n });
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(1_000n);
      const a = await w.auction.getAuction(ctx.auctionId);
      expect([a.marginalClaimed, a.marginalIssued]).to.deep.equal([2n, 400n]);
    });

    it("allocates the margin with cumulative rounding in claim order: no rounding dust, nothing left reserved", async function () {
      // Volume 1,000: 599 @ 30, then three bids of 300 @ 25 share the remaining 401 (133.67 each): in claim order
      // they receive floor(300 × 401 / 900) = 133, floor(600 × 401 / 900) - 133 = 134 and 401 - 267 = 134, so the
      // margin adds up to 401 exactly and the whole volume is issued (the issue-14 weakness: dust stayed reserved).
      const ctx = await load(withAuction);
      const { w } = ctx;
      const high = await seal(ctx, ctx.carol, 30n, 599n);
      const m1 = await seal(ctx, w.alice, 25n, 300n, 8_000n);
      const m2 = await seal(ctx, w.bob, 25n, 300n);
      const m3 = await seal(ctx, ctx.dave, 25n, 300n);
      await timeTo(w, ctx.end);
      for (const s of [m2, high, m3, m1]) await reveal(ctx, s);
      await timeTo(w, ctx.revealEnd);
      await expect(w.auction.settle(ctx.auctionId, 5n))
        .to.emit(w.auction, "AuctionSettled")
        .withArgs(ctx.auctionId, 25n, 1_000n, 900n, 401n);
      for (const s of [m1, m2, m3]) {
        expect(await w.auction.allocationOf(s.bidId)).to.deep.equal([133n, 3_325n, s.deposit - 3_325n]);
      }
      const shares = [133n, 134n, 134n];
      for (const [i, s] of [m1, m2, m3].entries()) {
        const claim = w.auction.claim(s.bidId);
        await expect(claim).to.not.emit(w.compliance, "AuctionVolumeReleased");
        await expect(claim)
          .to.emit(w.compliance, "AuctionAllowancesIssued")
          .withArgs(PERIOD, ctx.auctionId, s.bidder.address, shares[i]);
      }
      expect((await periodOf(ctx)).auctionReserved).to.equal(599n);
      const a = await w.auction.getAuction(ctx.auctionId);
      expect([a.marginalClaimed, a.marginalIssued, a.marginalBids, a.marginalClaimedDemand]).to.deep.equal([
        3n,
        401n,
        3n,
        900n,
      ]);
      await expect(w.auction.claim(high.bidId)).to.not.emit(w.compliance, "AuctionVolumeReleased");
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 1_000n, burned: 0n });
      const allocated = [high, m1, m2, m3].map((s) => s.bidder.address);
      let total = 0n;
      for (const account of allocated) total += await allowances(ctx, account);
      expect(total).to.equal(1_000n);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(1_000n);
      // Everyone pays the clearing price, the bid at 30 included.
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(1_000n * 25n);
      expect(await ctx.usdc.balanceOf(ctx.carol.address)).to.equal(FUNDS - 599n * 25n);
      await expectInvariants(ctx);
    });

    it("a marginal bid rounded down to nothing is refunded in full, and the next takes the unit it left", async function () {
      // Volume 1,000: 999 @ 30; at 25, 2 (alice) and 3 (bob) share 1 unit: alice, claiming first, floor(2 / 5) = 0;
      // bob floor(5 / 5) - 0 = 1. No dust: the whole volume is issued.
      const ctx = await load(withAuction);
      const { w } = ctx;
      const high = await seal(ctx, ctx.carol, 30n, 999n);
      const m1 = await seal(ctx, w.alice, 25n, 2n, 100n);
      const m2 = await seal(ctx, w.bob, 25n, 3n, 75n);
      await timeTo(w, ctx.end);
      for (const s of [m1, m2, high]) await reveal(ctx, s);
      await timeTo(w, ctx.revealEnd);
      await expect(w.auction.settle(ctx.auctionId, 5n))
        .to.emit(w.auction, "AuctionSettled")
        .withArgs(ctx.auctionId, 25n, 1_000n, 5n, 1n);
      await expect(w.auction.claim(m1.bidId))
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, m1.bidId, w.alice.address, 0n, 0n, 100n);
      const last = w.auction.claim(m2.bidId);
      await expect(last)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, m2.bidId, w.bob.address, 1n, 25n, 50n);
      await expect(last).to.not.emit(w.compliance, "AuctionVolumeReleased");
      await (await w.auction.claim(high.bidId)).wait();
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 1_000n, burned: 0n });
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS);
      expect(await ctx.usdc.balanceOf(w.bob.address)).to.equal(FUNDS - 25n);
      await expectInvariants(ctx);
    });
  });

  // ------------------------------------------------------------------ claim / claimMany

  describe("claim and claimMany", function () {
    it("refuse before settlement with AuctionNotSettled (allocationOf too)", async function () {
      const ctx = await load(withTie);
      await expect(ctx.w.auction.claim(ctx.a.bidId))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionNotSettled")
        .withArgs(ctx.auctionId);
      await expect(ctx.w.auction.claimMany([ctx.a.bidId]))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionNotSettled")
        .withArgs(ctx.auctionId);
      await expect(ctx.w.auction.allocationOf(ctx.a.bidId))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionNotSettled")
        .withArgs(ctx.auctionId);
      await expectInvariants(ctx);
    });

    it("refuse a second claim with AuctionAlreadyClaimed", async function () {
      const ctx = await load(withTieSettled);
      await (await ctx.w.auction.claim(ctx.a.bidId)).wait();
      await expect(ctx.w.auction.claim(ctx.a.bidId))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionAlreadyClaimed")
        .withArgs(ctx.a.bidId);
      await expect(ctx.w.auction.claimMany([ctx.b.bidId, ctx.a.bidId]))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionAlreadyClaimed")
        .withArgs(ctx.a.bidId);
      // The refused claimMany claimed nothing (bob's bid included).
      expect((await ctx.w.auction.getBid(ctx.b.bidId)).claimed).to.equal(false);
      expect(await allowances(ctx, ctx.w.alice.address)).to.equal(150n);
      expect(await ctx.usdc.balanceOf(ctx.w.alice.address)).to.equal(FUNDS - 3_750n);
      await expectInvariants(ctx);
    });

    it("claimMany refuses a bid listed twice, atomically", async function () {
      const ctx = await load(withTieSettled);
      const before = await state(ctx);
      await expect(ctx.w.auction.claimMany([ctx.high.bidId, ctx.a.bidId, ctx.high.bidId]))
        .to.be.revertedWithCustomError(ctx.w.auction, "AuctionAlreadyClaimed")
        .withArgs(ctx.high.bidId);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("an unrevealed bid forfeits 10% of its deposit to the treasury (BidForfeited) and gets the rest back", async function () {
      const ctx = await load(withTieSettled);
      expect(await ctx.w.auction.UNREVEALED_FORFEIT_BPS()).to.equal(1_000n);
      const tx = ctx.w.auction.claim(ctx.hidden.bidId);
      await expect(tx)
        .to.emit(ctx.w.auction, "BidForfeited")
        .withArgs(ctx.auctionId, ctx.hidden.bidId, ctx.w.outsider.address, 500n);
      await expect(tx)
        .to.emit(ctx.w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.hidden.bidId, ctx.w.outsider.address, 0n, 500n, 4_500n);
      await expect(tx).to.emit(ctx.usdc, "Transfer").withArgs(ctx.house, ctx.w.outsider.address, 4_500n);
      await expect(tx).to.emit(ctx.usdc, "Transfer").withArgs(ctx.house, ctx.w.admin.address, 500n);
      expect(await ctx.usdc.balanceOf(ctx.w.outsider.address)).to.equal(FUNDS - 500n);
      expect(await ctx.usdc.balanceOf(ctx.w.admin.address)).to.equal(500n);
      expect(await allowances(ctx, ctx.w.outsider.address)).to.equal(0n);
      await expectInvariants(ctx);
    });

    it("anyone may claim for a bidder: funds and allowances go to the bidder", async function () {
      const ctx = await load(withTieSettled);
      const { w } = ctx;
      const outsiderBefore = await ctx.usdc.balanceOf(w.outsider.address);
      const tx = w.auction.connect(w.outsider).claim(ctx.a.bidId);
      await expect(tx)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.a.bidId, w.alice.address, 150n, 3_750n, 5_250n);
      await expect(tx)
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(await w.compliance.getAddress(), ZeroAddress, w.alice.address, PERIOD, 150n);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - 3_750n);
      expect(await allowances(ctx, w.alice.address)).to.equal(150n);
      expect(await ctx.usdc.balanceOf(w.outsider.address)).to.equal(outsiderBefore);
      expect(await allowances(ctx, w.outsider.address)).to.equal(0n);
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(3_750n);
      await expectInvariants(ctx);
    });

    it("claimMany claims every listed bid as claim would", async function () {
      const ctx = await load(withTieSettled);
      const { w } = ctx;
      const ids = [ctx.hidden.bidId, ctx.b.bidId, ctx.low.bidId, ctx.high.bidId, ctx.a.bidId];
      const tx = w.auction.connect(w.bob).claimMany(ids);
      await expect(tx)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.high.bidId, ctx.carol.address, 600n, 15_000n, 3_500n);
      await expect(tx)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.a.bidId, w.alice.address, 150n, 3_750n, 5_250n);
      await expect(tx)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.b.bidId, w.bob.address, 250n, 6_250n, 6_250n);
      await expect(tx)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.low.bidId, ctx.dave.address, 0n, 0n, 8_001n);
      await expect(tx)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.hidden.bidId, w.outsider.address, 0n, 500n, 4_500n);
      for (const s of [ctx.high, ctx.a, ctx.b, ctx.low, ctx.hidden]) {
        expect((await w.auction.getBid(s.bidId)).claimed).to.equal(true);
      }
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(25_500n);
      expect(await ctx.usdc.balanceOf(ctx.house)).to.equal(0n);
      expect(await allowances(ctx, ctx.carol.address)).to.equal(600n);
      expect(await allowances(ctx, w.bob.address)).to.equal(250n);
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 1_000n, burned: 0n });
      // An empty list is a no-op.
      await (await w.auction.claimMany([])).wait();
      await expectInvariants(ctx);
    });

    it("pays the proceeds to the treasury at claim time", async function () {
      const ctx = await load(withTieSettled);
      const { w } = ctx;
      await (await w.auction.claim(ctx.a.bidId)).wait();
      await (await w.auction.connect(w.treasurer).setTreasury(w.treasurer.address)).wait();
      await (await w.auction.claim(ctx.b.bidId)).wait();
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(3_750n);
      expect(await ctx.usdc.balanceOf(w.treasurer.address)).to.equal(6_250n);
    });

    it("a frozen bidder cannot receive allowances: AllowanceAccountFrozen, then succeeds after unfreeze", async function () {
      const ctx = await load(withTieSettled);
      const { w } = ctx;
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      const before = await state(ctx);
      await expect(w.auction.connect(w.bob).claim(ctx.a.bidId))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
      await expect(w.auction.claimMany([ctx.b.bidId, ctx.a.bidId]))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
      expect(await state(ctx)).to.deep.equal(before);
      await (await w.allowance.connect(w.regulator).unfreeze(w.alice.address, REASON)).wait();
      await expect(w.auction.claim(ctx.a.bidId))
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.a.bidId, w.alice.address, 150n, 3_750n, 5_250n);
      expect(await allowances(ctx, w.alice.address)).to.equal(150n);
      await expectInvariants(ctx);
    });

    it("a frozen bidder with nothing allocated still gets its refund", async function () {
      const ctx = await load(withTieSettled);
      const { w } = ctx;
      await (await w.allowance.connect(w.regulator).freeze(ctx.dave.address, REASON)).wait();
      await (await w.allowance.connect(w.regulator).freeze(w.outsider.address, REASON)).wait();
      await (await w.auction.claimMany([ctx.low.bidId, ctx.hidden.bidId])).wait();
      expect(await ctx.usdc.balanceOf(ctx.dave.address)).to.equal(FUNDS);
      // The unrevealed bid's forfeit (10% of 5,000) goes to the treasury.
      expect(await ctx.usdc.balanceOf(w.outsider.address)).to.equal(FUNDS - 500n);
      await expectInvariants(ctx);
    });

    it("refuse while paused with EnforcedPause (allocationOf stays readable)", async function () {
      const ctx = await load(withTieSettled);
      await (await ctx.w.auction.connect(ctx.w.pauser).pause()).wait();
      await expect(ctx.w.auction.claim(ctx.a.bidId)).to.be.revertedWithCustomError(ctx.w.auction, "EnforcedPause");
      await expect(ctx.w.auction.claimMany([ctx.a.bidId])).to.be.revertedWithCustomError(
        ctx.w.auction,
        "EnforcedPause",
      );
      expect(await ctx.w.auction.allocationOf(ctx.a.bidId)).to.deep.equal([150n, 3_750n, 5_250n]);
    });
  });

  // ------------------------------------------------------------------ two auctions and the other contracts

  describe("alongside other auctions and contracts", function () {
    it("two concurrent auctions of one period keep separate levels, escrow, clearing and reservations", async function () {
      const ctx = await load(withAuction);
      const { w } = ctx;
      const { tx, terms } = await openWith(ctx, {
        volume: 500n,
        reserve: 5n,
        start: ctx.start,
        end: ctx.end,
        revealEnd: ctx.revealEnd,
      });
      await (await tx).wait();
      const second: AuctionCtx = {
        ...ctx,
        auctionId: 2n,
        start: terms.start,
        end: terms.end,
        revealEnd: terms.revealEnd,
      };
      expect((await periodOf(ctx)).auctionReserved).to.equal(1_500n);
      // Both at the price 25: auction 1 sells 1,000 of 1,200, auction 2 sells 300 of 500.
      const a1 = await seal(ctx, w.alice, 25n, 1_200n);
      const b2 = await seal(second, w.bob, 25n, 300n);
      const a2 = await seal(second, w.alice, 6n, 10n);
      await timeTo(w, ctx.end);
      // A bid of auction 2 revealed with the level of auction 1 as hint: still its own list.
      await reveal(ctx, a1);
      await reveal(second, b2, 25n);
      await reveal(second, a2, 25n);
      expect(await levels(ctx, 1n)).to.deep.equal([{ price: 25n, demand: 1_200n, bids: 1n }]);
      expect(await levels(ctx, 2n)).to.deep.equal([
        { price: 25n, demand: 300n, bids: 1n },
        { price: 6n, demand: 10n, bids: 1n },
      ]);
      await timeTo(w, ctx.revealEnd);
      await expect(w.auction.settle(1n, 5n))
        .to.emit(w.auction, "AuctionSettled")
        .withArgs(1n, 25n, 1_000n, 1_200n, 1_000n);
      // Auction 1 settled: auction 2's bids are still unclaimable.
      await expect(w.auction.claim(b2.bidId))
        .to.be.revertedWithCustomError(w.auction, "AuctionNotSettled")
        .withArgs(2n);
      const settle2 = w.auction.settle(2n, 5n);
      await expect(settle2).to.emit(w.auction, "AuctionSettled").withArgs(2n, 6n, 310n, 10n, 10n);
      await expect(settle2).to.emit(w.compliance, "AuctionVolumeReleased").withArgs(PERIOD, 2n, 190n);
      expect((await periodOf(ctx)).auctionReserved).to.equal(1_310n);
      await expectInvariants(ctx);
      const claimA1 = w.auction.claim(a1.bidId);
      // 1,200 × 1,000 / 1,200: no dust.
      await expect(claimA1)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(1n, a1.bidId, w.alice.address, 1_000n, 25_000n, 5_000n);
      await expect(claimA1).to.not.emit(w.compliance, "AuctionVolumeReleased");
      await expect(w.auction.claimMany([b2.bidId, a2.bidId]))
        .to.emit(w.auction, "BidClaimed")
        .withArgs(2n, b2.bidId, w.bob.address, 300n, 1_800n, 5_700n);
      expect(await periodOf(ctx)).to.deep.equal({ allocated: 0n, auctionReserved: 0n, auctioned: 1_310n, burned: 0n });
      expect(await allowances(ctx, w.alice.address)).to.equal(1_010n);
      expect(await allowances(ctx, w.bob.address)).to.equal(300n);
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(25_000n + 310n * 6n);
      await expectInvariants(ctx);
    });

    it("a paused compliance registry or allowance token holds claims (and releasing settlements) until unpaused", async function () {
      const ctx = await load(withTie);
      const { w } = ctx;
      await (await w.compliance.connect(w.pauser).pause()).wait();
      // The tie sells the whole volume: settlement releases nothing and goes through.
      await (await w.auction.settle(ctx.auctionId, 10n)).wait();
      await expect(w.auction.claim(ctx.a.bidId)).to.be.revertedWithCustomError(w.compliance, "EnforcedPause");
      // A claim that mints nothing needs neither.
      await (await w.auction.claim(ctx.hidden.bidId)).wait();
      await (await w.compliance.connect(w.pauser).unpause()).wait();
      await (await w.allowance.connect(w.pauser).pause()).wait();
      await expect(w.auction.claim(ctx.a.bidId)).to.be.revertedWithCustomError(w.allowance, "EnforcedPause");
      await (await w.allowance.connect(w.pauser).unpause()).wait();
      await (await w.auction.claim(ctx.a.bidId)).wait();
      expect(await allowances(ctx, w.alice.address)).to.equal(150n);
      await expectInvariants(ctx);
    });

    it("a settlement that releases volume waits for a paused compliance registry", async function () {
      const ctx = await load(withAuction);
      const s = await seal(ctx, ctx.w.alice, 25n, 10n);
      await timeTo(ctx.w, ctx.end);
      await reveal(ctx, s);
      await timeTo(ctx.w, ctx.revealEnd);
      await (await ctx.w.compliance.connect(ctx.w.pauser).pause()).wait();
      await expect(ctx.w.auction.settle(ctx.auctionId, 1n)).to.be.revertedWithCustomError(
        ctx.w.compliance,
        "EnforcedPause",
      );
      expect((await ctx.w.auction.getAuction(ctx.auctionId)).settled).to.equal(false);
      await (await ctx.w.compliance.connect(ctx.w.pauser).unpause()).wait();
      await expect(ctx.w.auction.settle(ctx.auctionId, 1n))
        .to.emit(ctx.w.compliance, "AuctionVolumeReleased")
        .withArgs(PERIOD, ctx.auctionId, VOLUME - 10n);
    });
  });

  // ------------------------------------------------------------------ 30 bids across 5 levels

  describe("30 bids across 5 price levels, settled in pages of 2", function () {
    it("matches the reference clearing, allocations, payments and the period's accounting", async function () {
      const ctx = await load(withPeriod);
      const PRICES = [50n, 40n, 30n, 20n, 10n];
      const terms = Array.from({ length: 30 }, (_, i) => ({
        bidder: ctx.bidders[i % ctx.bidders.length],
        price: PRICES[i % 5],
        quantity: 100n + BigInt((i * 37) % 91),
      }));
      const demandAt = (p: bigint) => terms.filter((t) => t.price === p).reduce((s, t) => s + t.quantity, 0n);
      // The lowest level (10) is the marginal one, filled about two thirds.
      const volume = demandAt(50n) + demandAt(40n) + demandAt(30n) + demandAt(20n) + (demandAt(10n) * 2n) / 3n + 1n;
      const actx = await openAndStart(ctx, { volume });
      const sealed: Sealed[] = [];
      for (const t of terms) sealed.push(await seal(actx, t.bidder, t.price, t.quantity, t.price * t.quantity + 7n));
      await timeTo(ctx.w, actx.end);
      const existing: bigint[] = [];
      for (let k = 0; k < 30; ++k) {
        const s = sealed[(k * 7) % 30];
        const above = existing.filter((p) => p > s.price);
        const hint = k % 2 === 0 ? 0n : above.length ? above.reduce((m, p) => (p < m ? p : m)) : 0n;
        await reveal(actx, s, hint);
        if (!existing.includes(s.price)) existing.push(s.price);
      }
      expect(await levels(actx, actx.auctionId)).to.deep.equal(
        PRICES.map((price) => ({ price, demand: demandAt(price), bids: 6n })),
      );
      const ref = clearingOf(volume, terms);
      expect(ref.clearing).to.equal(10n);
      const alloc = terms.map((t) => allocationUnder(ref, t.price, t.quantity));
      const sumAlloc = alloc.reduce((s, a) => s + a, 0n);
      const dust = volume - sumAlloc;
      expect(dust).to.be.greaterThan(0n); // rounding each share down would leave dust: cumulative rounding does not

      await timeTo(ctx.w, actx.revealEnd);
      const w = ctx.w;
      await expect(w.auction.settle(actx.auctionId, 2n))
        .to.emit(w.auction, "SettlementProgressed")
        .withArgs(actx.auctionId, 2n, 30n);
      await expect(w.auction.settle(actx.auctionId, 2n))
        .to.emit(w.auction, "SettlementProgressed")
        .withArgs(actx.auctionId, 2n, 10n);
      await expect(w.auction.settle(actx.auctionId, 2n))
        .to.emit(w.auction, "AuctionSettled")
        .withArgs(actx.auctionId, ref.clearing, ref.sold, ref.marginalDemand, ref.marginalFill);
      const a = await w.auction.getAuction(actx.auctionId);
      expect([
        a.clearingPrice,
        a.demandAbove,
        a.marginalDemand,
        a.marginalFill,
        a.marginalBids,
        a.cursor,
      ]).to.deep.equal([ref.clearing, ref.demandAbove, ref.marginalDemand, ref.marginalFill, ref.marginalBids, 0n]);
      expect(ref.sold).to.equal(volume);
      for (let i = 0; i < 30; ++i) {
        const paid = alloc[i] * ref.clearing;
        expect(await w.auction.allocationOf(sealed[i].bidId)).to.deep.equal([alloc[i], paid, sealed[i].deposit - paid]);
      }
      const ids = sealed.map((s) => s.bidId);
      for (let k = 0; k < 30; k += 10) await (await w.auction.claimMany(ids.slice(k, k + 10))).wait();
      // Claimed in id order, the marginal bids receive their cumulative shares: floor(cum × fill / demand) less what
      // the ones before received, each its pro rata share rounded down or up; together exactly the marginal fill.
      let cum = 0n;
      let issued = 0n;
      for (let i = 0; i < 30; ++i) {
        if (terms[i].price !== ref.clearing) continue;
        cum += terms[i].quantity;
        const share = (cum * ref.marginalFill) / ref.marginalDemand - issued;
        expect(share - alloc[i]).to.be.oneOf([0n, 1n]);
        alloc[i] = share;
        issued += share;
      }
      expect(issued).to.equal(ref.marginalFill);
      const sumIssued = alloc.reduce((s, a) => s + a, 0n);
      expect(sumIssued).to.equal(volume);

      const totalPaid = sumIssued * ref.clearing;
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(totalPaid);
      for (const bidder of new Set(terms.map((t) => t.bidder))) {
        let paid = 0n;
        let units = 0n;
        terms.forEach((t, i) => {
          if (t.bidder === bidder) {
            paid += alloc[i] * ref.clearing;
            units += alloc[i];
          }
        });
        expect(await ctx.usdc.balanceOf(bidder.address)).to.equal(FUNDS - paid);
        expect(await allowances(ctx, bidder.address)).to.equal(units);
      }
      expect(await periodOf(ctx)).to.deep.equal({
        allocated: 0n,
        auctionReserved: 0n,
        auctioned: volume,
        burned: 0n,
      });
      await expectInvariants(ctx);
    });
  });

  // ------------------------------------------------------------------ re-entrancy

  describe("a re-entrant payment token", function () {
    /** An auction paid in ReentrantERC20Mock, alice and bob funded and approving it. */
    async function withReentrantToken() {
      const ctx = await load(withPeriod);
      const token = (await ctx.w.ethers.deployContract("ReentrantERC20Mock")) as unknown as ReentrantERC20Mock;
      const tokenAddress = await token.getAddress();
      for (const bidder of [ctx.w.alice, ctx.w.bob]) {
        await (await token.mint(bidder.address, FUNDS)).wait();
        await (await token.connect(bidder).approve(ctx.house, MaxUint256)).wait();
      }
      const actx = await openAndStart(ctx, { paymentToken: tokenAddress });
      return { ...actx, token, tokenAddress };
    }

    /** withReentrantToken plus alice 100 @ 30 (deposit 3,500) and bob 50 @ 20 (deposit 1,000), revealed, settled. */
    async function withReentrantSettled() {
      const ctx = await load(withReentrantToken);
      const a = await seal(ctx, ctx.w.alice, 30n, 100n, 3_500n);
      const b = await seal(ctx, ctx.w.bob, 20n, 50n, 1_000n);
      await timeTo(ctx.w, ctx.end);
      await reveal(ctx, a);
      await reveal(ctx, b);
      await timeTo(ctx.w, ctx.revealEnd);
      await (await ctx.w.auction.settle(ctx.auctionId, 10n)).wait();
      return { ...ctx, a, b };
    }

    it("cannot re-enter commitBid: the guard refuses the inner call, the outer commit records one bid", async function () {
      const ctx = await load(withReentrantToken);
      const { w, token } = ctx;
      const inner = w.auction.interface.encodeFunctionData("commitBid", [ctx.auctionId, id("inner"), 1n]);
      await (await token.arm(ctx.house, inner, false)).wait();
      await expect(w.auction.connect(w.alice).commitBid(ctx.auctionId, id("outer"), 500n))
        .to.emit(token, "Reentered")
        .withArgs(ctx.house, true, REENTRANT_CALL);
      expect(await token.reentries()).to.equal(1n);
      expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
      expect(await w.auction.counts()).to.deep.equal([1n, 1n]);
      expect((await w.auction.getBid(1n)).commitment).to.equal(id("outer"));
      await expectInvariants(ctx, [token]);
    });

    it("reverts the whole commitBid with ReentrancyGuardReentrantCall when the token bubbles the failure", async function () {
      const ctx = await load(withReentrantToken);
      const { w, token } = ctx;
      const inner = w.auction.interface.encodeFunctionData("commitBid", [ctx.auctionId, id("inner"), 1n]);
      await (await token.arm(ctx.house, inner, true)).wait();
      await expect(
        w.auction.connect(w.alice).commitBid(ctx.auctionId, id("outer"), 500n),
      ).to.be.revertedWithCustomError(w.auction, "ReentrancyGuardReentrantCall");
      expect(await w.auction.counts()).to.deep.equal([1n, 0n]);
      expect(await token.balanceOf(ctx.house)).to.equal(0n);
    });

    it("cannot re-enter claim from the payout: the other bid stays unclaimed and is claimed normally after", async function () {
      const ctx = await load(withReentrantSettled);
      const { w, token } = ctx;
      // Clearing 20 (the lowest level, all filled): alice pays 2,000 and gets 1,500 back, bob pays 1,000.
      await (await token.arm(ctx.house, w.auction.interface.encodeFunctionData("claim", [ctx.b.bidId]), false)).wait();
      const tx = w.auction.claim(ctx.a.bidId);
      await expect(tx).to.emit(token, "Reentered").withArgs(ctx.house, true, REENTRANT_CALL);
      await expect(tx)
        .to.emit(w.auction, "BidClaimed")
        .withArgs(ctx.auctionId, ctx.a.bidId, w.alice.address, 100n, 2_000n, 1_500n);
      expect((await w.auction.getBid(ctx.b.bidId)).claimed).to.equal(false);
      expect(await allowances(ctx, w.bob.address)).to.equal(0n);
      await expectInvariants(ctx, [token]);
      await (await w.auction.claim(ctx.b.bidId)).wait();
      expect(await allowances(ctx, w.bob.address)).to.equal(50n);
      expect(await token.balanceOf(w.admin.address)).to.equal(3_000n);
      expect(await token.balanceOf(w.alice.address)).to.equal(FUNDS - 2_000n);
      expect(await token.balanceOf(w.bob.address)).to.equal(FUNDS - 1_000n);
      await expectInvariants(ctx, [token]);
    });

    it("cannot re-enter claimMany, nor claim the bid being claimed again", async function () {
      const ctx = await load(withReentrantSettled);
      const { w, token } = ctx;
      // Bob's bid pays 1,000 and refunds nothing: its only transfer, to the treasury, re-enters.
      await (
        await token.arm(
          ctx.house,
          w.auction.interface.encodeFunctionData("claimMany", [[ctx.a.bidId, ctx.b.bidId]]),
          false,
        )
      ).wait();
      await (await w.auction.claimMany([ctx.b.bidId])).wait();
      expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
      await (await token.arm(ctx.house, w.auction.interface.encodeFunctionData("claim", [ctx.a.bidId]), false)).wait();
      await (await w.auction.claim(ctx.a.bidId)).wait();
      expect(await token.reentries()).to.equal(2n);
      expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
      expect(await allowances(ctx, w.alice.address)).to.equal(100n);
      expect(await token.balanceOf(w.alice.address)).to.equal(FUNDS - 2_000n);
      await expectInvariants(ctx, [token]);
    });

    it("reverts the whole claim with ReentrancyGuardReentrantCall when the token bubbles the failure", async function () {
      const ctx = await load(withReentrantSettled);
      const { w, token } = ctx;
      await (await token.arm(ctx.house, w.auction.interface.encodeFunctionData("claim", [ctx.b.bidId]), true)).wait();
      await expect(w.auction.claim(ctx.a.bidId)).to.be.revertedWithCustomError(
        w.auction,
        "ReentrancyGuardReentrantCall",
      );
      expect((await w.auction.getBid(ctx.a.bidId)).claimed).to.equal(false);
      expect(await token.balanceOf(ctx.house)).to.equal(4_500n);
    });
  });

  // ------------------------------------------------------------------ governance

  describe("pause and unpause", function () {
    it("PAUSER pauses (Paused) and unpauses (Unpaused); a paused house refuses every step of an auction", async function () {
      const ctx = await load(withAuction);
      const { w } = ctx;
      const s = await seal(ctx, w.alice, 25n, 10n);
      await expect(w.auction.connect(w.pauser).pause()).to.emit(w.auction, "Paused").withArgs(w.pauser.address);
      expect(await w.auction.paused()).to.equal(true);
      await expect(w.auction.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.auction, "EnforcedPause");
      await expect(w.auction.connect(w.bob).commitBid(ctx.auctionId, id("c"), 10n)).to.be.revertedWithCustomError(
        w.auction,
        "EnforcedPause",
      );
      await expect(w.auction.connect(w.pauser).unpause()).to.emit(w.auction, "Unpaused").withArgs(w.pauser.address);
      expect(await w.auction.paused()).to.equal(false);
      await expect(w.auction.connect(w.pauser).unpause()).to.be.revertedWithCustomError(w.auction, "ExpectedPause");
      // Everything works again.
      await timeTo(w, ctx.end);
      await reveal(ctx, s);
      await timeTo(w, ctx.revealEnd);
      await (await w.auction.settle(ctx.auctionId, 1n)).wait();
      await (await w.auction.claim(s.bidId)).wait();
      expect(await allowances(ctx, w.alice.address)).to.equal(10n);
      await expectInvariants(ctx);
    });

    it("refuses pause and unpause without PAUSER", async function () {
      const ctx = await load(withAuction);
      const { w } = ctx;
      for (const caller of [w.alice, w.regulator, w.admin]) {
        await expect(w.auction.connect(caller).pause())
          .to.be.revertedWithCustomError(w.auction, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      await (await w.auction.connect(w.pauser).pause()).wait();
      await expect(w.auction.connect(w.alice).unpause())
        .to.be.revertedWithCustomError(w.auction, "AccessManagedUnauthorized")
        .withArgs(w.alice.address);
    });
  });

  describe("setTreasury", function () {
    it("refuses a zero treasury at deployment", async function () {
      const { w } = await load(withPeriod);
      const factory = await w.ethers.getContractFactory("AllowanceAuction");
      await expect(factory.deploy(await w.manager.getAddress(), await w.compliance.getAddress(), ZeroAddress))
        .to.be.revertedWithCustomError(w.auction, "AuctionInvalidAccount")
        .withArgs(ZeroAddress);
    });

    it("TREASURER sets the treasury (TreasurySet); zero is refused; others are unauthorized", async function () {
      const { w } = await load(withPeriod);
      await expect(w.auction.connect(w.treasurer).setTreasury(w.bob.address))
        .to.emit(w.auction, "TreasurySet")
        .withArgs(w.bob.address);
      expect(await w.auction.treasury()).to.equal(w.bob.address);
      await expect(w.auction.connect(w.treasurer).setTreasury(ZeroAddress))
        .to.be.revertedWithCustomError(w.auction, "AuctionInvalidAccount")
        .withArgs(ZeroAddress);
      for (const caller of [w.alice, w.admin, w.regulator]) {
        await expect(w.auction.connect(caller).setTreasury(caller.address))
          .to.be.revertedWithCustomError(w.auction, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      expect(await w.auction.treasury()).to.equal(w.bob.address);
    });

    it("refuses setTreasury while paused (EnforcedPause, issue 14 pause rule), and the treasury stays", async function () {
      const { w } = await load(withPeriod);
      await (await w.auction.connect(w.pauser).pause()).wait();
      await expect(w.auction.connect(w.treasurer).setTreasury(w.bob.address)).to.be.revertedWithCustomError(
        w.auction,
        "EnforcedPause",
      );
      expect(await w.auction.treasury()).to.equal(w.admin.address);
      await (await w.auction.connect(w.pauser).unpause()).wait();
      await expect(w.auction.connect(w.treasurer).setTreasury(w.bob.address)).to.emit(w.auction, "TreasurySet");
    });
  });
});
