import { expect } from "chai";
import { MaxUint256 } from "ethers";

import type { ERC20Mock } from "../../typechain-types/index.js";
import { anyBatch } from "../helpers/compliance.js";
import { approvedProject, deployWorld, issue, type World } from "../helpers/fixtures.js";
import { DAY, feeOf, now } from "../helpers/market.js";
import { nestedFixtures } from "../helpers/registry.js";

// Issue 14 ("Claim integrity, round two"), the marketplace's and the auction's items. Each attack is performed and
// shown refused (or made worthless), with the full relevant state compared before and after.

// Batch 1: 10,000 units, 8,000 to the proponent. Every buyer starts with FUNDS of the payment token.
const QUANTITY = 10_000n;
const FUNDS = 1_000_000_000_000n;
// Break 6: a price of 99 and a 1% fee; 200 units.
const PRICE = 99n;
const FEE_BPS = 100n;
const UNITS = 200n;

interface Ctx {
  w: World;
  b1: bigint;
  usdc: ERC20Mock;
  market: string;
  pay: string;
}

describe("Claim integrity: marketplace and auction (issue 14)", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  async function deployed(): Promise<World> {
    return world;
  }

  /** Batch 1 to the proponent (approved to the marketplace), USDC allowed, alice and bob funded; a 1% fee. */
  async function withMarket(): Promise<Ctx> {
    const w = await load(deployed);
    const b1 = await issue(w, await approvedProject(w), QUANTITY, 1n);
    const usdc = await w.ethers.deployContract("ERC20Mock");
    const pay = await usdc.getAddress();
    const market = await w.marketplace.getAddress();
    await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(pay, true)).wait();
    await (await w.marketplace.connect(w.treasurer).setFee(FEE_BPS)).wait();
    await (await w.credit.connect(w.proponent).setApprovalForAll(market, true)).wait();
    for (const buyer of [w.alice, w.bob]) {
      await (await usdc.mint(buyer.address, FUNDS)).wait();
      await (await usdc.connect(buyer).approve(market, MaxUint256)).wait();
    }
    return { w, b1, usdc, market, pay };
  }

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
    await load(deployed);
  });

  async function list(ctx: Ctx, amount: bigint, unitPrice: bigint): Promise<bigint> {
    const { w } = ctx;
    const expiry = (await now(w)) + 7n * DAY;
    await (
      await w.marketplace.connect(w.proponent).list(w.credit, ctx.b1, amount, unitPrice, ctx.pay, 1n, expiry)
    ).wait();
    return w.marketplace.listingCount();
  }

  async function cash(ctx: Ctx) {
    const { w } = ctx;
    return Promise.all([w.alice, w.bob, w.proponent, w.admin].map((s) => ctx.usdc.balanceOf(s.address)));
  }

  // ------------------------------------------------------------------ break 6: fees avoided by one-unit fills

  describe("break 6: splitting a purchase never pays less fee than buying it whole", function () {
    it("200 one-unit fills in buyMany pay at least the 198 that one purchase of 200 pays", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      const wholeListing = await list(ctx, UNITS, PRICE);
      const splitListing = await list(ctx, UNITS, PRICE);

      // The honest purchase: 200 × 99 = 19,800 paid, 1% = 198 to the treasury (admin).
      const [, , sellerBefore, treasuryBefore] = await cash(ctx);
      await (await w.marketplace.connect(w.bob).buy(wholeListing, UNITS, PRICE, w.bob.address)).wait();
      const [, , sellerMid, treasuryMid] = await cash(ctx);
      const wholeFee = treasuryMid - treasuryBefore;
      expect(wholeFee).to.equal(198n);
      expect(wholeFee + sellerMid - sellerBefore).to.equal(UNITS * PRICE);

      // The attack: the same 200 units as 200 one-unit fills, each 0.99 of fee, which once rounded down to 0.
      const orders = Array.from({ length: Number(UNITS) }, () => ({
        listingId: splitListing,
        amount: 1n,
        maxUnitPrice: PRICE,
      }));
      const [aliceBefore] = await cash(ctx);
      const tx = w.marketplace.connect(w.alice).buyMany(orders, w.alice.address);
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(splitListing, w.alice.address, ctx.b1, w.alice.address, 1n, PRICE, PRICE, 1n);
      await (await tx).wait();
      const [aliceAfter, , sellerAfter, treasuryAfter] = await cash(ctx);
      const splitFee = treasuryAfter - treasuryMid;
      expect(splitFee)
        .to.equal(UNITS * feeOf(PRICE, FEE_BPS))
        .and.to.equal(200n);
      expect(splitFee).to.be.at.least(wholeFee);
      // paid == sellerProceeds + fee, exactly, on the split side too.
      expect(aliceBefore - aliceAfter).to.equal(UNITS * PRICE);
      expect(splitFee + sellerAfter - sellerMid).to.equal(UNITS * PRICE);
      expect(await w.credit.balanceOf(w.alice.address, ctx.b1)).to.equal(UNITS);
    });

    it("separate one-unit buys and one-unit criteria-bid fills pay one base unit of fee each", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      const listingId = await list(ctx, 3n, PRICE);
      const [, , , treasuryBefore] = await cash(ctx);
      for (let i = 0; i < 3; ++i)
        await (await w.marketplace.connect(w.alice).buy(listingId, 1n, PRICE, w.alice.address)).wait();
      const [, , , treasuryMid] = await cash(ctx);
      expect(treasuryMid - treasuryBefore).to.equal(3n);

      // A bid of 3 units at 99: three one-unit fills pay one base unit of fee each (0.99 rounded up).
      const expiry = (await now(w)) + 7n * DAY;
      await (await w.marketplace.connect(w.alice).placeBid(anyBatch(), 3n, PRICE, ctx.pay, expiry)).wait();
      const bidId = await w.marketplace.bidCount();
      const [, , sellerBefore] = await cash(ctx);
      for (let i = 0; i < 3; ++i) {
        await expect(w.marketplace.connect(w.proponent).fillBid(bidId, ctx.b1, 1n))
          .to.emit(w.marketplace, "BidFilled")
          .withArgs(bidId, w.proponent.address, ctx.b1, 1n, PRICE, PRICE, 1n);
      }
      const [, , sellerAfter, treasuryAfter] = await cash(ctx);
      expect(treasuryAfter - treasuryMid).to.equal(3n);
      expect(sellerAfter - sellerBefore + 3n).to.equal(3n * PRICE);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(0n);
    });
  });
});
