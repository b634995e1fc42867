import { expect } from "chai";
import { MaxUint256, Signature, ZeroAddress, ZeroHash, id, type Signer } from "ethers";

import type {
  ERC20Mock,
  FeeOnTransferERC20Mock,
  NoReturnERC20Mock,
  PlainERC1155,
  ReentrantBuyerMock,
  ReentrantERC20Mock,
  ReturnsFalseERC20Mock,
} from "../../typechain-types/index.js";
import { ZERO_JURISDICTION } from "../../sdk/jurisdictions.js";
import { approvedProject, code, deployWorld, issue, type World } from "../helpers/fixtures.js";
import {
  DAY,
  MAX_FEE_BPS,
  MAX_UINT128,
  MAX_UINT40,
  MAX_UINT48,
  MAX_UINT96,
  errorSelector,
  expectEscrowInvariant,
  feeOf,
  interfaceIdOf,
  now,
} from "../helpers/market.js";
import { nestedFixtures } from "../helpers/registry.js";
import { ClaimType, request, walk, type PageFn } from "../helpers/retirement.js";

// Batch 1: 10,000 units (serials 1 to 10,000), 8,000 to the proponent. Batch 2: 5,000 units, 4,000 to the proponent.
const QUANTITY_1 = 10_000n;
const TO_PROPONENT_1 = 8_000n;
const QUANTITY_2 = 5_000n;
const TO_PROPONENT_2 = 4_000n;
// Listing 1 of the `withListing` fixture: 1,000 units of batch 1 at 15,000 base units (0.015 USDC) per unit,
// bought 10 units at least, open for a week.
const AMOUNT = 1_000n;
const PRICE = 15_000n;
const MIN_FILL = 10n;
const L1 = 1n;
// Every buyer starts with 1,000,000 USDC (6 decimals).
const FUNDS = 1_000_000_000_000n;
// The fee of the `withFee` fixture: 1%.
const FEE_BPS = 100n;
const REASON = id("reason");
const REENTRANT_CALL = errorSelector("ReentrancyGuardReentrantCall()");
const RECEIVER_FUNCTIONS = [
  "onERC1155Received(address,address,uint256,uint256,bytes)",
  "onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)",
];
const IERC165_FUNCTIONS = ["supportsInterface(bytes4)"];

interface Ctx {
  w: World;
  b1: bigint;
  b2: bigint;
  usdc: ERC20Mock;
  market: string;
  credit: string;
  pay: string;
  retirementAddress: string;
}

/** A listing's terms, in the order of `list`'s parameters. */
interface Terms {
  token: string;
  id: bigint;
  amount: bigint;
  unitPrice: bigint;
  paymentToken: string;
  minFill: bigint;
  expiry: bigint;
}

describe("CarbonMarketplace", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<World> {
    return world;
  }

  /**
   * Batches 1 and 2 issued to the proponent, who approved the marketplace on the credit token; an ERC20Mock "USDC"
   * allowed as payment; alice and bob hold FUNDS of it and approved the marketplace. No fee.
   */
  async function withMarket(): Promise<Ctx> {
    const w = await load(deployed);
    const projectId = await approvedProject(w);
    const b1 = await issue(w, projectId, QUANTITY_1, 1n);
    const b2 = await issue(w, projectId, QUANTITY_2, QUANTITY_1 + 1n);
    const usdc = await w.ethers.deployContract("ERC20Mock");
    const pay = await usdc.getAddress();
    const market = await w.marketplace.getAddress();
    await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(pay, true)).wait();
    await (await w.credit.connect(w.proponent).setApprovalForAll(market, true)).wait();
    for (const buyer of [w.alice, w.bob]) {
      await (await usdc.mint(buyer.address, FUNDS)).wait();
      await (await usdc.connect(buyer).approve(market, MaxUint256)).wait();
    }
    return {
      w,
      b1,
      b2,
      usdc,
      market,
      pay,
      credit: await w.credit.getAddress(),
      retirementAddress: await w.retirement.getAddress(),
    };
  }

  /** withMarket plus listing 1: the proponent's AMOUNT units of batch 1 at PRICE, MIN_FILL, a week from now. */
  async function withListing(): Promise<Ctx & { expiry: bigint }> {
    const ctx = await load(withMarket);
    const expiry = (await now(ctx.w)) + 7n * DAY;
    await (await listWith(ctx, ctx.w.proponent, await terms(ctx, { expiry }))).wait();
    return { ...ctx, expiry };
  }

  /** withListing plus a 1% protocol fee (to the default treasury, admin). */
  async function withFee(): Promise<Ctx & { expiry: bigint }> {
    const ctx = await load(withListing);
    await (await ctx.w.marketplace.connect(ctx.w.treasurer).setFee(FEE_BPS)).wait();
    return ctx;
  }

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
    await load(deployed);
  });

  // ------------------------------------------------------------------ helpers

  /** The default terms (listing 1's), a week from now unless overridden. */
  async function terms(ctx: Ctx, overrides: Partial<Terms> = {}): Promise<Terms> {
    return {
      token: ctx.credit,
      id: ctx.b1,
      amount: AMOUNT,
      unitPrice: PRICE,
      paymentToken: ctx.pay,
      minFill: MIN_FILL,
      expiry: (await now(ctx.w)) + 7n * DAY,
      ...overrides,
    };
  }

  function listWith(ctx: Ctx, seller: Signer, t: Terms) {
    return ctx.w.marketplace
      .connect(seller)
      .list(t.token, t.id, t.amount, t.unitPrice, t.paymentToken, t.minFill, t.expiry);
  }

  /** Lists `overrides` of the default terms as the proponent; returns the new listing id. */
  async function listMore(ctx: Ctx, overrides: Partial<Terms> = {}, seller: Signer = ctx.w.proponent) {
    await (await listWith(ctx, seller, await terms(ctx, overrides))).wait();
    return ctx.w.marketplace.listingCount();
  }

  async function remaining(ctx: Ctx, listingId: bigint): Promise<bigint> {
    return (await ctx.w.marketplace.getListing(listingId)).remaining;
  }

  async function credits(ctx: Ctx, account: string, batchId: bigint = ctx.b1): Promise<bigint> {
    return ctx.w.credit.balanceOf(account, batchId);
  }

  /** Gives `seller` `amount` units of `batchId` from the proponent and approves the marketplace for them. */
  async function fundSeller(ctx: Ctx, seller: Signer, batchId: bigint, amount: bigint) {
    const address = await seller.getAddress();
    await (
      await ctx.w.credit.connect(ctx.w.proponent).safeTransferFrom(ctx.w.proponent, address, batchId, amount, "0x")
    ).wait();
    await (await ctx.w.credit.connect(seller).setApprovalForAll(ctx.market, true)).wait();
  }

  /** Everything a refused call must leave untouched: credits and USDC of every party, retired units, listings. */
  async function state(ctx: Ctx) {
    const { w } = ctx;
    const accounts = [w.proponent.address, w.alice.address, w.bob.address, w.admin.address, ctx.market];
    const balances = await w.credit.balanceOfBatch(
      accounts.flatMap((a) => [a, a]),
      accounts.flatMap(() => [ctx.b1, ctx.b2]),
    );
    const count = await w.marketplace.listingCount();
    const open: bigint[] = [];
    for (let listingId = 1n; listingId <= count; ++listingId) open.push(await remaining(ctx, listingId));
    return {
      credits: [...balances],
      usdc: await Promise.all(accounts.map((a) => ctx.usdc.balanceOf(a))),
      retired: await w.credit.retiredBalanceOf(w.alice.address, ctx.b1),
      count,
      open,
    };
  }

  async function deployToken<T>(ctx: Ctx, name: string, holder: Signer = ctx.w.alice): Promise<[T, string]> {
    const token = (await ctx.w.ethers.deployContract(name)) as unknown as T & {
      getAddress(): Promise<string>;
      mint(to: string, amount: bigint): Promise<{ wait(): Promise<unknown> }>;
      connect(signer: Signer): { approve(spender: string, amount: bigint): Promise<{ wait(): Promise<unknown> }> };
    };
    const address = await token.getAddress();
    await (await ctx.w.marketplace.connect(ctx.w.admin).setPaymentTokenAllowed(address, true)).wait();
    await (await token.mint(await holder.getAddress(), FUNDS)).wait();
    await (await token.connect(holder).approve(ctx.market, MaxUint256)).wait();
    return [token, address];
  }

  // ------------------------------------------------------------------ list

  describe("list", function () {
    it("escrows the units in the marketplace", async function () {
      const ctx = await load(withListing);
      expect(await credits(ctx, ctx.w.proponent.address)).to.equal(TO_PROPONENT_1 - AMOUNT);
      expect(await credits(ctx, ctx.market)).to.equal(AMOUNT);
    });

    it("emits Listed with every argument and the escrow TransferSingle", async function () {
      const ctx = await load(withMarket);
      const t = await terms(ctx, { minFill: 25n });
      const tx = listWith(ctx, ctx.w.proponent, t);
      await expect(tx)
        .to.emit(ctx.w.marketplace, "Listed")
        .withArgs(1n, ctx.credit, ctx.b1, ctx.w.proponent.address, AMOUNT, PRICE, ctx.pay, 25n, t.expiry);
      await expect(tx)
        .to.emit(ctx.w.credit, "TransferSingle")
        .withArgs(ctx.market, ctx.w.proponent.address, ctx.market, ctx.b1, AMOUNT);
    });

    it("stores every field of the listing", async function () {
      const ctx = await load(withListing);
      const listing = await ctx.w.marketplace.getListing(L1);
      expect(listing.seller).to.equal(ctx.w.proponent.address);
      expect(listing.expiry).to.equal(ctx.expiry);
      expect(listing.prevOfSeller).to.equal(0n);
      expect(listing.token).to.equal(ctx.credit);
      expect(listing.remaining).to.equal(AMOUNT);
      expect(listing.paymentToken).to.equal(ctx.pay);
      expect(listing.minFill).to.equal(MIN_FILL);
      expect(listing.prevOfAsset).to.equal(0n);
      expect(listing.id).to.equal(ctx.b1);
      expect(listing.unitPrice).to.equal(PRICE);
    });

    it("numbers listings sequentially from 1 and counts them", async function () {
      const ctx = await load(withMarket);
      expect(await ctx.w.marketplace.listingCount()).to.equal(0n);
      const t = await terms(ctx, { amount: 10n });
      await (await listWith(ctx, ctx.w.proponent, t)).wait();
      expect(await ctx.w.marketplace.listingCount()).to.equal(1n);
      expect(
        await ctx.w.marketplace
          .connect(ctx.w.proponent)
          .list.staticCall(t.token, t.id, t.amount, t.unitPrice, t.paymentToken, t.minFill, t.expiry),
      ).to.equal(2n);
      await (await listWith(ctx, ctx.w.proponent, t)).wait();
      expect(await ctx.w.marketplace.listingCount()).to.equal(2n);
    });

    it("getListing reverts MarketplaceUnknownListing for id 0 and ids past the count", async function () {
      const { w } = await load(withListing);
      for (const listingId of [0n, 2n]) {
        await expect(w.marketplace.getListing(listingId))
          .to.be.revertedWithCustomError(w.marketplace, "MarketplaceUnknownListing")
          .withArgs(listingId);
      }
    });

    it("accepts minFill equal to the amount and minFill 0", async function () {
      const ctx = await load(withMarket);
      expect(await listMore(ctx, { minFill: AMOUNT })).to.equal(1n);
      expect(await listMore(ctx, { minFill: 0n })).to.equal(2n);
      expect((await ctx.w.marketplace.getListing(1n)).minFill).to.equal(AMOUNT);
      expect((await ctx.w.marketplace.getListing(2n)).minFill).to.equal(0n);
    });

    it("accepts an expiry of the next second and of 2^40 - 1", async function () {
      const ctx = await load(withMarket);
      const next = (await now(ctx.w)) + 10n;
      await ctx.w.connection.networkHelpers.time.setNextBlockTimestamp(next);
      await (await listWith(ctx, ctx.w.proponent, await terms(ctx, { expiry: next + 1n }))).wait();
      await (await listWith(ctx, ctx.w.proponent, await terms(ctx, { expiry: MAX_UINT40 }))).wait();
      expect((await ctx.w.marketplace.getListing(1n)).expiry).to.equal(next + 1n);
      expect((await ctx.w.marketplace.getListing(2n)).expiry).to.equal(MAX_UINT40);
    });

    describe("lookups", function () {
      /**
       * Listings 1 (proponent, b1), 2 (proponent, b2), 3 (bob, b1), 4 (proponent, b1), 5 (bob, b2); listing 2 is
       * cancelled (closed listings stay in the lookups).
       */
      async function withFiveListings() {
        const ctx = await load(withMarket);
        await fundSeller(ctx, ctx.w.bob, ctx.b1, 100n);
        await (
          await ctx.w.credit.connect(ctx.w.proponent).safeTransferFrom(ctx.w.proponent, ctx.w.bob, ctx.b2, 100n, "0x")
        ).wait();
        await listMore(ctx, { amount: 10n });
        await listMore(ctx, { id: ctx.b2, amount: 10n });
        await listMore(ctx, { amount: 10n }, ctx.w.bob);
        await listMore(ctx, { amount: 10n });
        await listMore(ctx, { id: ctx.b2, amount: 10n }, ctx.w.bob);
        await (await ctx.w.marketplace.connect(ctx.w.proponent).cancelListing(2n)).wait();
        return ctx;
      }

      function bySeller(ctx: Ctx, seller: string): PageFn {
        return async (cursor, limit) => {
          const [ids, next] = await ctx.w.marketplace.listingsBySeller(seller, cursor, limit);
          return [[...ids], next];
        };
      }

      function byAsset(ctx: Ctx, token: string, batchId: bigint): PageFn {
        return async (cursor, limit) => {
          const [ids, next] = await ctx.w.marketplace.listingsByAsset(token, batchId, cursor, limit);
          return [[...ids], next];
        };
      }

      it("lists a seller's listings newest first, closed ones included", async function () {
        const ctx = await load(withFiveListings);
        expect((await walk(bySeller(ctx, ctx.w.proponent.address), 10n)).ids).to.deep.equal([4n, 2n, 1n]);
        expect((await walk(bySeller(ctx, ctx.w.bob.address), 10n)).ids).to.deep.equal([5n, 3n]);
      });

      it("lists an asset's listings newest first", async function () {
        const ctx = await load(withFiveListings);
        expect((await walk(byAsset(ctx, ctx.credit, ctx.b1), 10n)).ids).to.deep.equal([4n, 3n, 1n]);
        expect((await walk(byAsset(ctx, ctx.credit, ctx.b2), 10n)).ids).to.deep.equal([5n, 2n]);
      });

      it("links each listing to the previous one of its seller and of its asset", async function () {
        const ctx = await load(withFiveListings);
        const links = [];
        for (let listingId = 1n; listingId <= 5n; ++listingId) {
          const listing = await ctx.w.marketplace.getListing(listingId);
          links.push([listing.prevOfSeller, listing.prevOfAsset]);
        }
        expect(links).to.deep.equal([
          [0n, 0n],
          [1n, 0n],
          [0n, 1n],
          [2n, 3n],
          [3n, 2n],
        ]);
      });

      it("pages with the returned cursor: next is the page's last id while more remain, then 0", async function () {
        const ctx = await load(withFiveListings);
        const proponent = ctx.w.proponent.address;
        expect(await ctx.w.marketplace.listingsBySeller(proponent, 0n, 2n)).to.deep.equal([[4n, 2n], 2n]);
        expect(await ctx.w.marketplace.listingsBySeller(proponent, 2n, 2n)).to.deep.equal([[1n], 0n]);
        expect(await ctx.w.marketplace.listingsBySeller(proponent, 0n, 3n)).to.deep.equal([[4n, 2n, 1n], 0n]);
        expect(await ctx.w.marketplace.listingsByAsset(ctx.credit, ctx.b1, 0n, 1n)).to.deep.equal([[4n], 4n]);
        expect(await ctx.w.marketplace.listingsByAsset(ctx.credit, ctx.b1, 4n, 1n)).to.deep.equal([[3n], 3n]);
        expect(await ctx.w.marketplace.listingsByAsset(ctx.credit, ctx.b1, 3n, 1n)).to.deep.equal([[1n], 0n]);
        const pages = await walk(bySeller(ctx, proponent), 1n);
        expect(pages.pages).to.deep.equal([[4n], [2n], [1n]]);
      });

      it("returns an empty page for an account or asset without listings", async function () {
        const ctx = await load(withFiveListings);
        expect(await ctx.w.marketplace.listingsBySeller(ctx.w.outsider.address, 0n, 10n)).to.deep.equal([[], 0n]);
        expect(await ctx.w.marketplace.listingsByAsset(ctx.credit, 99n, 0n, 10n)).to.deep.equal([[], 0n]);
        expect(await ctx.w.marketplace.listingsByAsset(ctx.pay, ctx.b1, 0n, 10n)).to.deep.equal([[], 0n]);
      });

      it("reverts MarketplaceUnknownListing for a cursor of another seller or an unknown id", async function () {
        const ctx = await load(withFiveListings);
        const proponent = ctx.w.proponent.address;
        await expect(ctx.w.marketplace.listingsBySeller(proponent, 3n, 2n))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownListing")
          .withArgs(3n);
        await expect(ctx.w.marketplace.listingsBySeller(proponent, 6n, 2n))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownListing")
          .withArgs(6n);
      });

      it("reverts MarketplaceUnknownListing for a cursor of another asset", async function () {
        const ctx = await load(withFiveListings);
        await expect(ctx.w.marketplace.listingsByAsset(ctx.credit, ctx.b1, 2n, 2n))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownListing")
          .withArgs(2n);
        await expect(ctx.w.marketplace.listingsByAsset(ctx.pay, ctx.b1, 1n, 2n))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownListing")
          .withArgs(1n);
      });
    });

    describe("refusals (nothing is listed)", function () {
      async function expectRefused(ctx: Ctx, call: () => Promise<unknown>) {
        const before = await state(ctx);
        await call();
        expect(await state(ctx)).to.deep.equal(before);
        expect(await ctx.w.marketplace.listingCount()).to.equal(0n);
      }

      it("reverts MarketplaceAssetNotAllowed for an asset not on the allow-list", async function () {
        const ctx = await load(withMarket);
        const plain = await ctx.w.ethers.deployContract("PlainERC1155");
        const plainAddress = await plain.getAddress();
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { token: plainAddress })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceAssetNotAllowed")
            .withArgs(plainAddress);
        });
      });

      it("reverts MarketplaceAssetNotAllowed once the credit token is disallowed", async function () {
        const ctx = await load(withMarket);
        await (await ctx.w.marketplace.connect(ctx.w.admin).setAssetAllowed(ctx.credit, false)).wait();
        await expect(listWith(ctx, ctx.w.proponent, await terms(ctx)))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceAssetNotAllowed")
          .withArgs(ctx.credit);
      });

      it("reverts MarketplacePaymentTokenNotAllowed for a payment token not on the allow-list", async function () {
        const ctx = await load(withMarket);
        const other = await ctx.w.ethers.deployContract("ERC20Mock");
        const otherAddress = await other.getAddress();
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { paymentToken: otherAddress })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplacePaymentTokenNotAllowed")
            .withArgs(otherAddress);
        });
      });

      it("reverts MarketplaceZeroAmount for a zero amount", async function () {
        const ctx = await load(withMarket);
        await expectRefused(ctx, async () => {
          await expect(
            listWith(ctx, ctx.w.proponent, await terms(ctx, { amount: 0n, minFill: 0n })),
          ).to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceZeroAmount");
        });
      });

      it("reverts MarketplaceZeroPrice for a zero price", async function () {
        const ctx = await load(withMarket);
        await expectRefused(ctx, async () => {
          await expect(
            listWith(ctx, ctx.w.proponent, await terms(ctx, { unitPrice: 0n })),
          ).to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceZeroPrice");
        });
      });

      it("reverts MarketplaceInvalidExpiry for an expiry equal to the block timestamp", async function () {
        const ctx = await load(withMarket);
        const next = (await now(ctx.w)) + 10n;
        await ctx.w.connection.networkHelpers.time.setNextBlockTimestamp(next);
        await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { expiry: next })))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidExpiry")
          .withArgs(next);
      });

      it("reverts MarketplaceInvalidExpiry for a past expiry and for one above 2^40 - 1", async function () {
        const ctx = await load(withMarket);
        const past = (await now(ctx.w)) - 1n;
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { expiry: past })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidExpiry")
            .withArgs(past);
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { expiry: MAX_UINT40 + 1n })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidExpiry")
            .withArgs(MAX_UINT40 + 1n);
        });
      });

      it("reverts MarketplaceInvalidMinFill when minFill exceeds the amount", async function () {
        const ctx = await load(withMarket);
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { minFill: AMOUNT + 1n })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidMinFill")
            .withArgs(AMOUNT + 1n, AMOUNT);
        });
      });

      it("reverts MarketplaceValueTooLarge for an amount above 2^96 - 1", async function () {
        const ctx = await load(withMarket);
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { amount: MAX_UINT96 + 1n })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceValueTooLarge")
            .withArgs(MAX_UINT96 + 1n, MAX_UINT96);
        });
      });

      it("reverts MarketplaceValueTooLarge for a price above 2^128 - 1", async function () {
        const ctx = await load(withMarket);
        await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { unitPrice: MAX_UINT128 + 1n })))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceValueTooLarge")
          .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
      });

      it("reverts MarketplaceValueTooLarge for a token id above 2^128 - 1", async function () {
        const ctx = await load(withMarket);
        await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { id: MAX_UINT128 + 1n })))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceValueTooLarge")
          .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
      });

      it("reverts MarketplaceValueTooLarge for a minFill above 2^48 - 1", async function () {
        const ctx = await load(withMarket);
        const big = MAX_UINT48 + 1n;
        await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { amount: big, minFill: big })))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceValueTooLarge")
          .withArgs(big, MAX_UINT48);
      });

      it("reverts ERC1155MissingApprovalForAll (credit) without the seller's approval", async function () {
        const ctx = await load(withMarket);
        await (await ctx.w.credit.connect(ctx.w.proponent).setApprovalForAll(ctx.market, false)).wait();
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx)))
            .to.be.revertedWithCustomError(ctx.w.credit, "ERC1155MissingApprovalForAll")
            .withArgs(ctx.market, ctx.w.proponent.address);
        });
      });

      it("reverts ERC1155InsufficientBalance (credit) when listing more than the seller holds", async function () {
        const ctx = await load(withMarket);
        await expect(listWith(ctx, ctx.w.proponent, await terms(ctx, { amount: TO_PROPONENT_1 + 1n })))
          .to.be.revertedWithCustomError(ctx.w.credit, "ERC1155InsufficientBalance")
          .withArgs(ctx.w.proponent.address, TO_PROPONENT_1, TO_PROPONENT_1 + 1n, ctx.b1);
      });

      it("reverts CarbonCreditAccountFrozen (credit) for a frozen seller", async function () {
        const ctx = await load(withMarket);
        await (await ctx.w.credit.connect(ctx.w.regulator).freeze(ctx.w.proponent.address, REASON)).wait();
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx)))
            .to.be.revertedWithCustomError(ctx.w.credit, "CarbonCreditAccountFrozen")
            .withArgs(ctx.w.proponent.address);
        });
      });

      it("reverts CarbonCreditBatchSuspended (credit) for a suspended batch", async function () {
        const ctx = await load(withMarket);
        await (await ctx.w.registry.connect(ctx.w.registrar).suspendBatch(ctx.b1, REASON)).wait();
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx)))
            .to.be.revertedWithCustomError(ctx.w.credit, "CarbonCreditBatchSuspended")
            .withArgs(ctx.b1);
        });
      });

      it("reverts EnforcedPause while the marketplace is paused", async function () {
        const ctx = await load(withMarket);
        await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
        await expectRefused(ctx, async () => {
          await expect(listWith(ctx, ctx.w.proponent, await terms(ctx))).to.be.revertedWithCustomError(
            ctx.w.marketplace,
            "EnforcedPause",
          );
        });
      });
    });
  });

  // ------------------------------------------------------------------ buy

  describe("buy", function () {
    it("fills part of a listing: units to the buyer, payment to the seller, remaining decreased", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address)).wait();
      expect(await credits(ctx, w.alice.address)).to.equal(100n);
      expect(await credits(ctx, ctx.market)).to.equal(AMOUNT - 100n);
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - 100n);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - 100n * PRICE);
      expect(await ctx.usdc.balanceOf(w.proponent.address)).to.equal(100n * PRICE);
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(0n);
    });

    it("emits Bought with every argument", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address))
        .to.emit(w.marketplace, "Bought")
        .withArgs(L1, ctx.credit, ctx.b1, w.alice.address, w.alice.address, 100n, PRICE, 1_500_000n, 15_000n);
    });

    it("with a 1% fee: the buyer pays amount × price, the treasury gets 1%, the seller the rest", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const tx = w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.proponent, w.admin],
        [-1_500_000n, 1_485_000n, 15_000n],
      );
      expect(feeOf(100n * PRICE, FEE_BPS)).to.equal(15_000n);
    });

    it("rounds the fee up (in the protocol's favour): paid == proceeds + fee", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const oddPrice = 15_013n;
      const listingId = await listMore(ctx, { unitPrice: oddPrice, minFill: 1n });
      // paid = 7 × 15,013 = 105,091; 1% of it is 1,050.91, rounded up to 1,051.
      const paid = 105_091n;
      const fee = 1_051n;
      expect(7n * oddPrice).to.equal(paid);
      expect(feeOf(paid, FEE_BPS)).to.equal(fee);
      const tx = w.marketplace.connect(w.alice).buy(listingId, 7n, oddPrice, w.alice.address);
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(listingId, ctx.credit, ctx.b1, w.alice.address, w.alice.address, 7n, oddPrice, paid, fee);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.proponent, w.admin],
        [-paid, paid - fee, fee],
      );
    });

    it("takes one base unit of fee on a fill whose exact fee is below one (0.99 rounds up to 1)", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const listingId = await listMore(ctx, { unitPrice: 99n, minFill: 1n });
      const tx = w.marketplace.connect(w.alice).buy(listingId, 1n, 99n, w.alice.address);
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(listingId, ctx.credit, ctx.b1, w.alice.address, w.alice.address, 1n, 99n, 99n, 1n);
      await expect(tx).to.changeTokenBalances(w.ethers, ctx.usdc, [w.alice, w.proponent, w.admin], [-99n, 98n, 1n]);
    });

    it("pays the fee to the treasury set by setTreasury", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (await w.marketplace.connect(w.treasurer).setTreasury(w.outsider.address)).wait();
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.proponent, w.admin, w.outsider],
        [-1_500_000n, 1_485_000n, 0n, 15_000n],
      );
    });

    it("charges the listed price, not the buyer's higher bound", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.alice).buy(L1, 10n, PRICE * 3n, w.alice.address)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.proponent],
        [-10n * PRICE, 10n * PRICE],
      );
    });

    it("delivers to a recipient other than the buyer, who pays", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const tx = w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.bob.address);
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(L1, ctx.credit, ctx.b1, w.alice.address, w.bob.address, 100n, PRICE, 100n * PRICE, 0n);
      await expect(tx).to.changeTokenBalances(w.ethers, ctx.usdc, [w.alice, w.bob], [-100n * PRICE, 0n]);
      expect(await credits(ctx, w.bob.address)).to.equal(100n);
      expect(await credits(ctx, w.alice.address)).to.equal(0n);
    });

    it("closes the listing when the exact remainder is bought", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).buy(L1, 400n, PRICE, w.alice.address)).wait();
      await (await w.marketplace.connect(w.bob).buy(L1, AMOUNT - 400n, PRICE, w.bob.address)).wait();
      expect(await remaining(ctx, L1)).to.equal(0n);
      expect(await credits(ctx, ctx.market)).to.equal(0n);
      await expect(w.marketplace.connect(w.alice).buy(L1, 1n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceListingClosed")
        .withArgs(L1);
    });

    it("reverts MarketplaceBelowMinFill below minFill", async function () {
      const ctx = await load(withListing);
      await expect(ctx.w.marketplace.connect(ctx.w.alice).buy(L1, MIN_FILL - 1n, PRICE, ctx.w.alice.address))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceBelowMinFill")
        .withArgs(L1, MIN_FILL - 1n, MIN_FILL);
    });

    it("accepts exactly minFill", async function () {
      const ctx = await load(withListing);
      await (await ctx.w.marketplace.connect(ctx.w.alice).buy(L1, MIN_FILL, PRICE, ctx.w.alice.address)).wait();
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - MIN_FILL);
    });

    it("accepts a last remainder below minFill, but not part of it", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).buy(L1, AMOUNT - 5n, PRICE, w.alice.address)).wait();
      await expect(w.marketplace.connect(w.bob).buy(L1, 4n, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBelowMinFill")
        .withArgs(L1, 4n, MIN_FILL);
      await (await w.marketplace.connect(w.bob).buy(L1, 5n, PRICE, w.bob.address)).wait();
      expect(await remaining(ctx, L1)).to.equal(0n);
      expect(await credits(ctx, w.bob.address)).to.equal(5n);
    });

    it("reverts MarketplaceAmountExceedsRemaining above the remaining amount", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address)).wait();
      await expect(w.marketplace.connect(w.alice).buy(L1, AMOUNT - 99n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceAmountExceedsRemaining")
        .withArgs(L1, AMOUNT - 99n, AMOUNT - 100n);
    });

    it("reverts MarketplaceZeroAmount for a zero amount", async function () {
      const ctx = await load(withListing);
      await expect(
        ctx.w.marketplace.connect(ctx.w.alice).buy(L1, 0n, PRICE, ctx.w.alice.address),
      ).to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceZeroAmount");
    });

    it("reverts MarketplaceUnknownListing for an unknown listing", async function () {
      const ctx = await load(withListing);
      await expect(ctx.w.marketplace.connect(ctx.w.alice).buy(99n, 10n, PRICE, ctx.w.alice.address))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownListing")
        .withArgs(99n);
    });

    it("sells until the second before expiry", async function () {
      const ctx = await load(withListing);
      await ctx.w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry - 1n);
      await (await ctx.w.marketplace.connect(ctx.w.alice).buy(L1, 10n, PRICE, ctx.w.alice.address)).wait();
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - 10n);
    });

    it("reverts MarketplaceListingExpired from the expiry on", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry);
      await expect(w.marketplace.connect(w.alice).buy(L1, 10n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceListingExpired")
        .withArgs(L1, ctx.expiry);
      await w.connection.networkHelpers.time.increaseTo(ctx.expiry + DAY);
      await expect(w.marketplace.connect(w.alice).buy(L1, 10n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceListingExpired")
        .withArgs(L1, ctx.expiry);
    });

    it("reverts MarketplacePriceAboveMax when the seller raised the price under a pending buy", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const raised = PRICE * 2n;
      await (await w.marketplace.connect(w.proponent).updateListing(L1, raised, ctx.expiry, AMOUNT)).wait();
      const before = await state(ctx);
      // The buyer signed against the old price.
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplacePriceAboveMax")
        .withArgs(L1, raised, PRICE);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts ERC20InsufficientAllowance (payment token) without enough allowance", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await ctx.usdc.connect(w.alice).approve(ctx.market, 100n * PRICE - 1n)).wait();
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(ctx.usdc, "ERC20InsufficientAllowance")
        .withArgs(ctx.market, 100n * PRICE - 1n, 100n * PRICE);
    });

    it("reverts ERC20InsufficientBalance (payment token) without enough funds", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await ctx.usdc.connect(w.outsider).approve(ctx.market, MaxUint256)).wait();
      await expect(w.marketplace.connect(w.outsider).buy(L1, 100n, PRICE, w.outsider.address))
        .to.be.revertedWithCustomError(ctx.usdc, "ERC20InsufficientBalance")
        .withArgs(w.outsider.address, 0n, 100n * PRICE);
    });

    it("reverts MarketplaceAccountFrozen for a frozen buyer buying for someone else", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceAccountFrozen")
        .withArgs(w.alice.address);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts CarbonCreditAccountFrozen (credit) for a frozen buyer buying for themself", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.alice.address);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts CarbonCreditAccountFrozen (credit) for a frozen recipient, and takes no payment", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.bob.address, REASON)).wait();
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.bob.address);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts CarbonCreditBatchSuspended (credit) for a suspended batch, and takes no payment", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (await w.registry.connect(w.registrar).suspendBatch(ctx.b1, REASON)).wait();
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchSuspended")
        .withArgs(ctx.b1);
      expect(await state(ctx)).to.deep.equal(before);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS);
    });

    it("reverts EnforcedPause (credit) while the credit token is paused", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.credit.connect(w.pauser).pause()).wait();
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address)).to.be.revertedWithCustomError(
        w.credit,
        "EnforcedPause",
      );
    });

    it("reverts EnforcedPause while the marketplace is paused", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.pauser).pause()).wait();
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address)).to.be.revertedWithCustomError(
        w.marketplace,
        "EnforcedPause",
      );
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("lets a seller buy back from their own listing, paying only the fee", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (await ctx.usdc.mint(w.proponent.address, FUNDS)).wait();
      await (await ctx.usdc.connect(w.proponent).approve(ctx.market, MaxUint256)).wait();
      await expect(w.marketplace.connect(w.proponent).buy(L1, 100n, PRICE, w.proponent.address)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.proponent, w.admin],
        [-15_000n, 15_000n],
      );
      expect(await credits(ctx, w.proponent.address)).to.equal(TO_PROPONENT_1 - AMOUNT + 100n);
      await expectEscrowInvariant(w, [ctx.b1]);
    });
  });

  describe("a frozen seller", function () {
    // A frozen account cannot trade: its escrowed units do not sell while it is frozen.
    it("cannot sell its escrowed units: a buy reverts MarketplaceAccountFrozen(seller)", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON)).wait();
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceAccountFrozen")
        .withArgs(w.proponent.address);
      expect(await state(ctx)).to.deep.equal(before);
      await (await w.credit.connect(w.regulator).unfreeze(w.proponent.address, REASON)).wait();
      await (await w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address)).wait();
      expect(await credits(ctx, w.alice.address)).to.equal(100n);
    });

    it("cannot cancel: the return of the units reverts CarbonCreditAccountFrozen", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON)).wait();
      await expect(w.marketplace.connect(w.proponent).cancelListing(L1))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.proponent.address);
      expect(await remaining(ctx, L1)).to.equal(AMOUNT);
    });
  });

  // ------------------------------------------------------------------ payment tokens

  describe("payment tokens", function () {
    it("refuses a fee-on-transfer token with MarketplaceShortPayment and changes nothing", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const [fot, fotAddress] = await deployToken<FeeOnTransferERC20Mock>(ctx, "FeeOnTransferERC20Mock");
      const listingId = await listMore(ctx, { paymentToken: fotAddress });
      const before = [await state(ctx), await fot.balanceOf(w.alice.address), await fot.balanceOf(w.proponent)];
      // 100 × 15,000 = 1,500,000 sent, 1% burnt on the way: 1,485,000 arrive.
      await expect(w.marketplace.connect(w.alice).buy(listingId, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceShortPayment")
        .withArgs(fotAddress, 1_500_000n, 1_485_000n);
      expect([await state(ctx), await fot.balanceOf(w.alice.address), await fot.balanceOf(w.proponent)]).to.deep.equal(
        before,
      );
      expect(await remaining(ctx, listingId)).to.equal(AMOUNT);
    });

    it("refuses a fee-on-transfer token under a fee too: the seller's proceeds (paid - fee) are measured", async function () {
      const ctx = await load(withFee);
      const [, fotAddress] = await deployToken<FeeOnTransferERC20Mock>(ctx, "FeeOnTransferERC20Mock");
      const listingId = await listMore(ctx, { paymentToken: fotAddress });
      // Proceeds 1,485,000, of which 1% (14,850) burnt.
      await expect(ctx.w.marketplace.connect(ctx.w.alice).buy(listingId, 100n, PRICE, ctx.w.alice.address))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceShortPayment")
        .withArgs(fotAddress, 1_485_000n, 1_470_150n);
    });

    it("accepts a token whose transfers return nothing (SafeERC20), with exact amounts", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const [nrt, nrtAddress] = await deployToken<NoReturnERC20Mock>(ctx, "NoReturnERC20Mock");
      const listingId = await listMore(ctx, { paymentToken: nrtAddress });
      await (await w.marketplace.connect(w.alice).buy(listingId, 100n, PRICE, w.alice.address)).wait();
      expect(await nrt.balanceOf(w.alice.address)).to.equal(FUNDS - 1_500_000n);
      expect(await nrt.balanceOf(w.proponent.address)).to.equal(1_485_000n);
      expect(await nrt.balanceOf(w.admin.address)).to.equal(15_000n);
      expect(await credits(ctx, w.alice.address)).to.equal(100n);
      expect(await remaining(ctx, listingId)).to.equal(AMOUNT - 100n);
    });

    it("bubbles a no-return token's own revert (insufficient allowance)", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const [nrt, nrtAddress] = await deployToken<NoReturnERC20Mock>(ctx, "NoReturnERC20Mock");
      await (await nrt.connect(w.alice).approve(ctx.market, 0n)).wait();
      const listingId = await listMore(ctx, { paymentToken: nrtAddress });
      await expect(w.marketplace.connect(w.alice).buy(listingId, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(nrt, "NoReturnInsufficientAllowance")
        .withArgs(ctx.market, 0n, 1_500_000n);
    });

    it("refuses a token whose transfers return false with SafeERC20FailedOperation", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const [, rfmAddress] = await deployToken<ReturnsFalseERC20Mock>(ctx, "ReturnsFalseERC20Mock");
      const listingId = await listMore(ctx, { paymentToken: rfmAddress });
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(listingId, 100n, PRICE, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "SafeERC20FailedOperation")
        .withArgs(rfmAddress);
      expect(await state(ctx)).to.deep.equal(before);
    });

    describe("a re-entrant payment token", function () {
      async function withReentrantToken() {
        const ctx = await load(withListing);
        const [token, tokenAddress] = await deployToken<ReentrantERC20Mock>(ctx, "ReentrantERC20Mock");
        const listingId = await listMore(ctx, { paymentToken: tokenAddress });
        return { ...ctx, token, tokenAddress, listingId };
      }

      it("cannot re-enter buy: the guard refuses the inner call and the outer buy settles once", async function () {
        const ctx = await load(withReentrantToken);
        const { w, token, listingId } = ctx;
        const inner = w.marketplace.interface.encodeFunctionData("buy", [listingId, 10n, PRICE, w.alice.address]);
        await (await token.arm(ctx.market, inner, false)).wait();
        await expect(w.marketplace.connect(w.alice).buy(listingId, 100n, PRICE, w.alice.address))
          .to.emit(token, "Reentered")
          .withArgs(ctx.market, true, REENTRANT_CALL);
        expect(await token.reentries()).to.equal(1n);
        expect(await token.lastReentryReverted()).to.equal(true);
        expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
        expect(await remaining(ctx, listingId)).to.equal(AMOUNT - 100n);
        expect(await credits(ctx, w.alice.address)).to.equal(100n);
        expect(await token.balanceOf(w.proponent.address)).to.equal(100n * PRICE);
        expect(await token.balanceOf(w.alice.address)).to.equal(FUNDS - 100n * PRICE);
        await expectEscrowInvariant(w, [ctx.b1, ctx.b2]);
      });

      it("cannot re-enter cancelListing: the listing stays open", async function () {
        const ctx = await load(withReentrantToken);
        const { w, token, listingId } = ctx;
        const inner = w.marketplace.interface.encodeFunctionData("cancelListing", [listingId]);
        await (await token.arm(ctx.market, inner, false)).wait();
        await (await w.marketplace.connect(w.alice).buy(listingId, 100n, PRICE, w.alice.address)).wait();
        expect(await token.lastReentryReverted()).to.equal(true);
        expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
        expect(await remaining(ctx, listingId)).to.equal(AMOUNT - 100n);
        await expectEscrowInvariant(w, [ctx.b1]);
      });

      it("reverts the whole buy with ReentrancyGuardReentrantCall when the token bubbles the failure", async function () {
        const ctx = await load(withReentrantToken);
        const { w, token, listingId } = ctx;
        const inner = w.marketplace.interface.encodeFunctionData("buy", [listingId, 10n, PRICE, w.alice.address]);
        await (await token.arm(ctx.market, inner, true)).wait();
        const before = [await state(ctx), await token.balanceOf(w.alice.address)];
        await expect(
          w.marketplace.connect(w.alice).buy(listingId, 100n, PRICE, w.alice.address),
        ).to.be.revertedWithCustomError(w.marketplace, "ReentrancyGuardReentrantCall");
        expect([await state(ctx), await token.balanceOf(w.alice.address)]).to.deep.equal(before);
      });
    });
  });

  // ------------------------------------------------------------------ re-entrant ERC-1155 recipient

  describe("a re-entrant ERC-1155 recipient", function () {
    async function withReentrantRecipient() {
      const ctx = await load(withListing);
      const receiver = (await ctx.w.ethers.deployContract("ReentrantBuyerMock", [ctx.market])) as ReentrantBuyerMock;
      return { ...ctx, receiver, receiverAddress: await receiver.getAddress() };
    }

    it("cannot re-enter buy from its acceptance hook", async function () {
      const ctx = await load(withReentrantRecipient);
      const { w, receiver } = ctx;
      const inner = w.marketplace.interface.encodeFunctionData("buy", [L1, 10n, PRICE, ctx.receiverAddress]);
      await (await receiver.arm(inner, false)).wait();
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, ctx.receiverAddress))
        .to.emit(receiver, "Reentered")
        .withArgs(true, REENTRANT_CALL);
      expect(await receiver.reentries()).to.equal(1n);
      expect(await receiver.lastReentryData()).to.equal(REENTRANT_CALL);
      expect(await credits(ctx, ctx.receiverAddress)).to.equal(100n);
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - 100n);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - 100n * PRICE);
      await expectEscrowInvariant(w, [ctx.b1]);
    });

    it("cannot re-enter cancelListing from its acceptance hook", async function () {
      const ctx = await load(withReentrantRecipient);
      const { w, receiver } = ctx;
      await (await receiver.arm(w.marketplace.interface.encodeFunctionData("cancelListing", [L1]), false)).wait();
      await (await w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, ctx.receiverAddress)).wait();
      expect(await receiver.lastReentryReverted()).to.equal(true);
      expect(await receiver.lastReentryData()).to.equal(REENTRANT_CALL);
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - 100n);
      await expectEscrowInvariant(w, [ctx.b1]);
    });

    it("reverts the whole buy with ReentrancyGuardReentrantCall when the recipient bubbles the failure", async function () {
      const ctx = await load(withReentrantRecipient);
      const { w, receiver } = ctx;
      await (await receiver.arm(w.marketplace.interface.encodeFunctionData("cancelListing", [L1]), true)).wait();
      const before = await state(ctx);
      await expect(
        w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, ctx.receiverAddress),
      ).to.be.revertedWithCustomError(w.marketplace, "ReentrancyGuardReentrantCall");
      expect(await state(ctx)).to.deep.equal(before);
      expect(await credits(ctx, ctx.receiverAddress)).to.equal(0n);
    });
  });

  // ------------------------------------------------------------------ buyWithPermit

  describe("buyWithPermit", function () {
    /** withListing plus an outsider holding FUNDS of USDC with no allowance, and its signed permit for `value`. */
    async function withPermit(value: bigint) {
      const ctx = await load(withListing);
      // (a fresh snapshot per test: the permit consumes the outsider's nonce)
      const { w, usdc } = ctx;
      await (await usdc.mint(w.outsider.address, FUNDS)).wait();
      const deadline = (await now(w)) + DAY;
      const { chainId } = await w.ethers.provider.getNetwork();
      const signature = Signature.from(
        await w.outsider.signTypedData(
          { name: "USD Coin Mock", version: "1", chainId, verifyingContract: ctx.pay },
          {
            Permit: [
              { name: "owner", type: "address" },
              { name: "spender", type: "address" },
              { name: "value", type: "uint256" },
              { name: "nonce", type: "uint256" },
              { name: "deadline", type: "uint256" },
            ],
          },
          { owner: w.outsider.address, spender: ctx.market, value, nonce: await usdc.nonces(w.outsider), deadline },
        ),
      );
      const permit = { value, deadline, v: signature.v, r: signature.r, s: signature.s };
      return { ...ctx, permit };
    }

    it("buys in one transaction without a prior approval", async function () {
      const ctx = await withPermit(100n * PRICE);
      const { w } = ctx;
      expect(await ctx.usdc.allowance(w.outsider, ctx.market)).to.equal(0n);
      await expect(
        w.marketplace.connect(w.outsider).buyWithPermit(L1, 100n, PRICE, w.outsider.address, ctx.permit),
      ).to.changeTokenBalances(w.ethers, ctx.usdc, [w.outsider, w.proponent], [-100n * PRICE, 100n * PRICE]);
      expect(await credits(ctx, w.outsider.address)).to.equal(100n);
      expect(await ctx.usdc.allowance(w.outsider, ctx.market)).to.equal(0n);
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - 100n);
    });

    it("still buys when someone front-ran the permit", async function () {
      const ctx = await withPermit(100n * PRICE);
      const { w, permit } = ctx;
      await (
        await ctx.usdc
          .connect(w.bob)
          .permit(w.outsider.address, ctx.market, permit.value, permit.deadline, permit.v, permit.r, permit.s)
      ).wait();
      await (await w.marketplace.connect(w.outsider).buyWithPermit(L1, 100n, PRICE, w.outsider.address, permit)).wait();
      expect(await credits(ctx, w.outsider.address)).to.equal(100n);
    });

    it("reverts with the token's ERC20InsufficientAllowance when the permit is invalid and nothing was approved", async function () {
      const ctx = await withPermit(100n * PRICE);
      const { w } = ctx;
      const forged = { ...ctx.permit, value: 200n * PRICE }; // signed for another value
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.outsider).buyWithPermit(L1, 100n, PRICE, w.outsider.address, forged))
        .to.be.revertedWithCustomError(ctx.usdc, "ERC20InsufficientAllowance")
        .withArgs(ctx.market, 0n, 100n * PRICE);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("keeps the buyer's price bound", async function () {
      const ctx = await withPermit(100n * PRICE);
      const { w } = ctx;
      await expect(
        w.marketplace.connect(w.outsider).buyWithPermit(L1, 100n, PRICE - 1n, w.outsider.address, ctx.permit),
      )
        .to.be.revertedWithCustomError(w.marketplace, "MarketplacePriceAboveMax")
        .withArgs(L1, PRICE, PRICE - 1n);
    });

    it("reverts MarketplaceUnknownListing for an unknown listing", async function () {
      const ctx = await withPermit(100n * PRICE);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.outsider).buyWithPermit(99n, 1n, PRICE, w.outsider.address, ctx.permit))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceUnknownListing")
        .withArgs(99n);
    });
  });

  // ------------------------------------------------------------------ buyMany

  describe("buyMany", function () {
    /**
     * withFee plus listing 2 (proponent, 500 units of batch 2 at 20,000, no minFill) and listing 3 (bob, 300 units of
     * batch 1 at 17,500, minFill 300).
     */
    async function withThreeListings() {
      const ctx = await load(withFee);
      await fundSeller(ctx, ctx.w.bob, ctx.b1, 300n);
      const l2 = await listMore(ctx, { id: ctx.b2, amount: 500n, unitPrice: 20_000n, minFill: 0n });
      const l3 = await listMore(ctx, { amount: 300n, unitPrice: 17_500n, minFill: 300n }, ctx.w.bob);
      return { ...ctx, l2, l3 };
    }

    it("fills three listings of different sellers and prices in one transaction with exact totals", async function () {
      const ctx = await load(withThreeListings);
      const { w } = ctx;
      const orders = [
        { listingId: L1, amount: 100n, maxUnitPrice: PRICE },
        { listingId: ctx.l2, amount: 50n, maxUnitPrice: 20_000n },
        { listingId: ctx.l3, amount: 300n, maxUnitPrice: 17_500n },
      ];
      // paid 1,500,000 + 1,000,000 + 5,250,000 = 7,750,000; fees 15,000 + 10,000 + 52,500 = 77,500.
      const tx = w.marketplace.connect(w.alice).buyMany(orders, w.alice.address);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.proponent, w.bob, w.admin],
        [-7_750_000n, 1_485_000n + 990_000n, 5_197_500n, 77_500n],
      );
      expect(await credits(ctx, w.alice.address, ctx.b1)).to.equal(400n);
      expect(await credits(ctx, w.alice.address, ctx.b2)).to.equal(50n);
      expect([await remaining(ctx, L1), await remaining(ctx, ctx.l2), await remaining(ctx, ctx.l3)]).to.deep.equal([
        AMOUNT - 100n,
        450n,
        0n,
      ]);
      await expectEscrowInvariant(w, [ctx.b1, ctx.b2]);
    });

    it("emits one Bought per order", async function () {
      const ctx = await load(withThreeListings);
      const { w } = ctx;
      const tx = w.marketplace.connect(w.alice).buyMany(
        [
          { listingId: L1, amount: 100n, maxUnitPrice: PRICE },
          { listingId: ctx.l2, amount: 50n, maxUnitPrice: 20_000n },
          { listingId: ctx.l3, amount: 300n, maxUnitPrice: 17_500n },
        ],
        w.bob.address,
      );
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(L1, ctx.credit, ctx.b1, w.alice.address, w.bob.address, 100n, PRICE, 1_500_000n, 15_000n);
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(ctx.l2, ctx.credit, ctx.b2, w.alice.address, w.bob.address, 50n, 20_000n, 1_000_000n, 10_000n);
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(ctx.l3, ctx.credit, ctx.b1, w.alice.address, w.bob.address, 300n, 17_500n, 5_250_000n, 52_500n);
    });

    it("fills the same listing twice in one order list against its updated remaining", async function () {
      const ctx = await load(withThreeListings);
      const { w } = ctx;
      const order = { listingId: ctx.l2, amount: 300n, maxUnitPrice: 20_000n };
      await expect(w.marketplace.connect(w.alice).buyMany([order, order], w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceAmountExceedsRemaining")
        .withArgs(ctx.l2, 300n, 200n);
      await (await w.marketplace.connect(w.alice).buyMany([order, { ...order, amount: 200n }], w.alice.address)).wait();
      expect(await remaining(ctx, ctx.l2)).to.equal(0n);
    });

    it("reverts everything when one order's price bound is too low", async function () {
      const ctx = await load(withThreeListings);
      const { w } = ctx;
      const before = await state(ctx);
      const orders = [
        { listingId: L1, amount: 100n, maxUnitPrice: PRICE },
        { listingId: ctx.l2, amount: 50n, maxUnitPrice: 19_999n },
        { listingId: ctx.l3, amount: 300n, maxUnitPrice: 17_500n },
      ];
      await expect(w.marketplace.connect(w.alice).buyMany(orders, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplacePriceAboveMax")
        .withArgs(ctx.l2, 20_000n, 19_999n);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts everything when one listing expired", async function () {
      const ctx = await load(withThreeListings);
      const { w } = ctx;
      const early = (await now(w)) + DAY;
      await (await w.marketplace.connect(w.bob).updateListing(ctx.l3, 17_500n, early, 300n)).wait();
      await w.connection.networkHelpers.time.increaseTo(early);
      const before = await state(ctx);
      const orders = [
        { listingId: L1, amount: 100n, maxUnitPrice: PRICE },
        { listingId: ctx.l3, amount: 300n, maxUnitPrice: 17_500n },
      ];
      await expect(w.marketplace.connect(w.alice).buyMany(orders, w.alice.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceListingExpired")
        .withArgs(ctx.l3, early);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts MarketplaceEmptyOrder for an empty order list", async function () {
      const ctx = await load(withListing);
      await expect(
        ctx.w.marketplace.connect(ctx.w.alice).buyMany([], ctx.w.alice.address),
      ).to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceEmptyOrder");
    });

    it("reverts MarketplaceAccountFrozen for a frozen buyer buying for someone else", async function () {
      const ctx = await load(withThreeListings);
      await (await ctx.w.credit.connect(ctx.w.regulator).freeze(ctx.w.alice.address, REASON)).wait();
      await expect(
        ctx.w.marketplace
          .connect(ctx.w.alice)
          .buyMany([{ listingId: L1, amount: 100n, maxUnitPrice: PRICE }], ctx.w.bob.address),
      )
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceAccountFrozen")
        .withArgs(ctx.w.alice.address);
    });

    it("reverts EnforcedPause while paused", async function () {
      const ctx = await load(withListing);
      await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
      await expect(
        ctx.w.marketplace
          .connect(ctx.w.alice)
          .buyMany([{ listingId: L1, amount: 100n, maxUnitPrice: PRICE }], ctx.w.alice.address),
      ).to.be.revertedWithCustomError(ctx.w.marketplace, "EnforcedPause");
    });
  });

  // ------------------------------------------------------------------ buyAndRetire

  describe("buyAndRetire", function () {
    const DETAILS_DEFAULT = [ZeroAddress, 0n, "", ZeroHash, ZERO_JURISDICTION, 0n, 0n, "", 0n, 0n]; // no Article 6 status

    it("buys and retires for the buyer by default, with the marketplace as retiree", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const tx = w.marketplace.connect(w.alice).buyAndRetire(L1, 100n, PRICE, request());
      await expect(tx)
        .to.emit(w.retirement, "Retired")
        .withArgs(
          1n,
          ctx.b1,
          w.alice.address,
          ctx.market,
          100n,
          0n,
          99n,
          ClaimType.VoluntaryOffset,
          true,
          DETAILS_DEFAULT,
        );
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(ctx.market, 1n, ctx.b1);
      await expect(tx)
        .to.emit(w.marketplace, "Bought")
        .withArgs(L1, ctx.credit, ctx.b1, w.alice.address, ctx.retirementAddress, 100n, PRICE, 1_500_000n, 15_000n);
    });

    it("grows the buyer's retired balance, burns the units and mints the certificate to the buyer", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).buyAndRetire(L1, 100n, PRICE, request())).wait();
      expect(await w.credit.retiredBalanceOf(w.alice.address, ctx.b1)).to.equal(100n);
      expect(await w.retirement.totalRetiredFor(w.alice.address)).to.equal(100n);
      expect(await credits(ctx, w.alice.address)).to.equal(0n);
      expect(await credits(ctx, ctx.retirementAddress)).to.equal(0n);
      expect(await credits(ctx, ctx.market)).to.equal(AMOUNT - 100n);
      expect(await w.credit.totalSupply(ctx.b1)).to.equal(QUANTITY_1 - 100n);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.alice.address);
      expect(await w.retirement.certificatesOf(w.alice.address)).to.equal(1n);
      const record = await w.retirement.getRetirement(1n);
      expect([record.beneficiary, record.retiree, record.amount]).to.deep.equal([w.alice.address, ctx.market, 100n]);
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - 100n);
      await expectEscrowInvariant(w, [ctx.b1]);
    });

    it("charges as buy: paid == proceeds + fee", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.alice).buyAndRetire(L1, 100n, PRICE, request())).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice, w.proponent, w.admin],
        [-1_500_000n, 1_485_000n, 15_000n],
      );
    });

    it("retires for the request's beneficiary, without a certificate when skipped, with the claim details", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const req = request({
        beneficiary: w.bob.address,
        beneficiaryName: "Bob & Co",
        reason: "2024 travel",
        consumptionJurisdiction: code("DE"),
        skipCertificate: true,
      });
      await expect(w.marketplace.connect(w.alice).buyAndRetire(L1, 40n, PRICE, req))
        .to.emit(w.retirement, "Retired")
        .withArgs(1n, ctx.b1, w.bob.address, ctx.market, 40n, 0n, 39n, ClaimType.VoluntaryOffset, false, [
          ZeroAddress,
          0n,
          "Bob & Co",
          ZeroHash,
          code("DE"),
          0n,
          0n,
          "2024 travel",
          0n, // no Article 6 authorisation
          0n, // no corresponding adjustment
        ]);
      expect(await w.credit.retiredBalanceOf(w.bob.address, ctx.b1)).to.equal(40n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, ctx.b1)).to.equal(0n);
      expect(await w.retirement.certificatesOf(w.bob.address)).to.equal(0n);
      expect(await w.retirement.certificatesOf(w.alice.address)).to.equal(0n);
    });

    it("mints the certificate to the request's beneficiary, not to the buyer", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (
        await w.marketplace.connect(w.alice).buyAndRetire(L1, 40n, PRICE, request({ beneficiary: w.bob.address }))
      ).wait();
      expect(await w.certificate.ownerOf(1n)).to.equal(w.bob.address);
      expect(await w.retirement.certificatesOf(w.bob.address)).to.equal(1n);
      expect(await w.retirement.certificatesOf(w.alice.address)).to.equal(0n);
      expect(await w.credit.retiredBalanceOf(w.bob.address, ctx.b1)).to.equal(40n);
    });

    it("accepts a request naming exactly the bought batch and amount", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (
        await w.marketplace.connect(w.alice).buyAndRetire(L1, 50n, PRICE, request({ ids: [ctx.b1], amounts: [50n] }))
      ).wait();
      expect(await w.credit.retiredBalanceOf(w.alice.address, ctx.b1)).to.equal(50n);
    });

    it("reverts RetirementTransferMismatch (retirement) for a request naming other amounts, and takes nothing", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const before = await state(ctx);
      await expect(
        w.marketplace.connect(w.alice).buyAndRetire(L1, 50n, PRICE, request({ ids: [ctx.b1], amounts: [49n] })),
      ).to.be.revertedWithCustomError(w.retirement, "RetirementTransferMismatch");
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts EnforcedPause (retirement) while retirements are paused, and takes nothing", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (await w.retirement.connect(w.pauser).pause()).wait();
      const before = await state(ctx);
      await expect(
        w.marketplace.connect(w.alice).buyAndRetire(L1, 50n, PRICE, request()),
      ).to.be.revertedWithCustomError(w.retirement, "EnforcedPause");
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts MarketplaceAccountFrozen for a frozen buyer", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expect(w.marketplace.connect(w.alice).buyAndRetire(L1, 50n, PRICE, request()))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceAccountFrozen")
        .withArgs(w.alice.address);
    });

    it("reverts MarketplacePriceAboveMax as buy does", async function () {
      const ctx = await load(withFee);
      await expect(ctx.w.marketplace.connect(ctx.w.alice).buyAndRetire(L1, 50n, PRICE - 1n, request()))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplacePriceAboveMax")
        .withArgs(L1, PRICE, PRICE - 1n);
    });

    it("reverts EnforcedPause while paused", async function () {
      const ctx = await load(withFee);
      await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
      await expect(
        ctx.w.marketplace.connect(ctx.w.alice).buyAndRetire(L1, 50n, PRICE, request()),
      ).to.be.revertedWithCustomError(ctx.w.marketplace, "EnforcedPause");
    });

    describe("a listing of a non-credit ERC-1155", function () {
      const PLAIN_ID = 7n;

      async function withPlainListing() {
        const ctx = await load(withListing);
        const plain = (await ctx.w.ethers.deployContract("PlainERC1155")) as PlainERC1155;
        const plainAddress = await plain.getAddress();
        await (await plain.mint(ctx.w.proponent.address, PLAIN_ID, 100n)).wait();
        await (await plain.connect(ctx.w.proponent).setApprovalForAll(ctx.market, true)).wait();
        await expect(ctx.w.marketplace.connect(ctx.w.admin).setAssetAllowed(plainAddress, true))
          .to.emit(ctx.w.marketplace, "AssetAllowed")
          .withArgs(plainAddress, true);
        const listingId = await listMore(ctx, { token: plainAddress, id: PLAIN_ID, amount: 100n, minFill: 0n });
        return { ...ctx, plain, plainAddress, listingId };
      }

      it("can be listed and bought by a buyer for themself", async function () {
        const ctx = await load(withPlainListing);
        const { w, plain } = ctx;
        expect(await plain.balanceOf(ctx.market, PLAIN_ID)).to.equal(100n);
        await (await w.marketplace.connect(w.alice).buy(ctx.listingId, 10n, PRICE, w.alice.address)).wait();
        expect(await plain.balanceOf(w.alice.address, PLAIN_ID)).to.equal(10n);
        expect(await plain.balanceOf(ctx.market, PLAIN_ID)).to.equal(90n);
      });

      it("reverts buyAndRetire with MarketplaceNotRetirable for a listing of another credit token", async function () {
        // A second CarbonCredit deployment (its registry an EOA that mints directly): an ERC-1155 with the credit
        // interface that is not the retirement registry's credit token.
        const ctx = await load(withListing);
        const { w } = ctx;
        const foreign = await w.ethers.deployContract("CarbonCredit", [
          await w.manager.getAddress(),
          w.outsider.address,
        ]);
        const foreignAddress = await foreign.getAddress();
        await (
          await foreign.connect(w.outsider).mintBatch(1n, w.proponent.address, 100n, w.outsider.address, 0n)
        ).wait();
        await (await foreign.connect(w.proponent).setApprovalForAll(ctx.market, true)).wait();
        await (await w.marketplace.connect(w.admin).setAssetAllowed(foreignAddress, true)).wait();
        const listingId = await listMore(ctx, { token: foreignAddress, id: 1n, amount: 100n, minFill: 0n });
        const before = await state(ctx);
        await expect(w.marketplace.connect(w.alice).buyAndRetire(listingId, 10n, PRICE, request()))
          .to.be.revertedWithCustomError(w.marketplace, "MarketplaceNotRetirable")
          .withArgs(foreignAddress);
        expect(await state(ctx)).to.deep.equal(before);
        expect(await foreign.balanceOf(ctx.market, 1n)).to.equal(100n);
      });

      it("reverts buyAndRetire of a plain ERC-1155 listing with MarketplaceNotRetirable", async function () {
        const ctx = await load(withPlainListing);
        const before = await state(ctx);
        await expect(ctx.w.marketplace.connect(ctx.w.alice).buyAndRetire(ctx.listingId, 10n, PRICE, request()))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceNotRetirable")
          .withArgs(ctx.plainAddress);
        expect(await state(ctx)).to.deep.equal(before);
      });

      it("can be bought for another recipient (a plain ERC-1155 has no freezes)", async function () {
        const ctx = await load(withPlainListing);
        const { w, plain } = ctx;
        await (await w.marketplace.connect(w.alice).buy(ctx.listingId, 10n, PRICE, w.bob.address)).wait();
        expect(await plain.balanceOf(w.bob.address, PLAIN_ID)).to.equal(10n);
        expect(await plain.balanceOf(ctx.market, PLAIN_ID)).to.equal(90n);
      });
    });
  });

  // ------------------------------------------------------------------ updateListing

  describe("updateListing", function () {
    it("changes price and expiry, emits ListingUpdated and moves no units", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const expiry = ctx.expiry + DAY;
      await expect(w.marketplace.connect(w.proponent).updateListing(L1, 16_000n, expiry, AMOUNT))
        .to.emit(w.marketplace, "ListingUpdated")
        .withArgs(L1, 16_000n, expiry, AMOUNT)
        .and.not.to.emit(w.credit, "TransferSingle");
      const listing = await w.marketplace.getListing(L1);
      expect([listing.unitPrice, listing.expiry, listing.remaining, listing.minFill]).to.deep.equal([
        16_000n,
        expiry,
        AMOUNT,
        MIN_FILL,
      ]);
      expect(await credits(ctx, ctx.market)).to.equal(AMOUNT);
    });

    it("pulls a top-up from the seller", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.proponent).updateListing(L1, PRICE, ctx.expiry, 1_500n))
        .to.emit(w.credit, "TransferSingle")
        .withArgs(ctx.market, w.proponent.address, ctx.market, ctx.b1, 500n);
      expect(await remaining(ctx, L1)).to.equal(1_500n);
      expect(await credits(ctx, ctx.market)).to.equal(1_500n);
      expect(await credits(ctx, w.proponent.address)).to.equal(TO_PROPONENT_1 - 1_500n);
    });

    it("returns a reduction to the seller", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.proponent).updateListing(L1, PRICE, ctx.expiry, 400n))
        .to.emit(w.credit, "TransferSingle")
        .withArgs(ctx.market, ctx.market, w.proponent.address, ctx.b1, 600n);
      expect(await remaining(ctx, L1)).to.equal(400n);
      expect(await credits(ctx, ctx.market)).to.equal(400n);
      expect(await credits(ctx, w.proponent.address)).to.equal(TO_PROPONENT_1 - 400n);
    });

    it("reopens an expired listing with a new expiry", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await w.connection.networkHelpers.time.increaseTo(ctx.expiry + 1n);
      const expiry = (await now(w)) + DAY;
      await (await w.marketplace.connect(w.proponent).updateListing(L1, PRICE, expiry, AMOUNT)).wait();
      await (await w.marketplace.connect(w.alice).buy(L1, 10n, PRICE, w.alice.address)).wait();
      expect(await remaining(ctx, L1)).to.equal(AMOUNT - 10n);
    });

    it("reverts MarketplaceNotSeller for anyone but the seller", async function () {
      const ctx = await load(withListing);
      await expect(ctx.w.marketplace.connect(ctx.w.alice).updateListing(L1, 1n, ctx.expiry, 1n))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceNotSeller")
        .withArgs(L1, ctx.w.alice.address);
    });

    it("reverts MarketplaceListingClosed for a filled or cancelled listing", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const cancelled = await listMore(ctx, { amount: 10n });
      await (await w.marketplace.connect(w.proponent).cancelListing(cancelled)).wait();
      await (await w.marketplace.connect(w.alice).buy(L1, AMOUNT, PRICE, w.alice.address)).wait();
      for (const listingId of [L1, cancelled]) {
        await expect(w.marketplace.connect(w.proponent).updateListing(listingId, PRICE, ctx.expiry, AMOUNT))
          .to.be.revertedWithCustomError(w.marketplace, "MarketplaceListingClosed")
          .withArgs(listingId);
      }
    });

    it("reverts MarketplaceUnknownListing for an unknown listing", async function () {
      const ctx = await load(withListing);
      await expect(ctx.w.marketplace.connect(ctx.w.proponent).updateListing(2n, PRICE, ctx.expiry, AMOUNT))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownListing")
        .withArgs(2n);
    });

    it("reverts MarketplaceZeroAmount for a zero amount (cancel instead)", async function () {
      const ctx = await load(withListing);
      await expect(
        ctx.w.marketplace.connect(ctx.w.proponent).updateListing(L1, PRICE, ctx.expiry, 0n),
      ).to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceZeroAmount");
    });

    it("reverts MarketplaceZeroPrice for a zero price", async function () {
      const ctx = await load(withListing);
      await expect(
        ctx.w.marketplace.connect(ctx.w.proponent).updateListing(L1, 0n, ctx.expiry, AMOUNT),
      ).to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceZeroPrice");
    });

    it("reverts MarketplaceInvalidExpiry for a past expiry", async function () {
      const ctx = await load(withListing);
      const past = await now(ctx.w);
      await expect(ctx.w.marketplace.connect(ctx.w.proponent).updateListing(L1, PRICE, past, AMOUNT))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidExpiry")
        .withArgs(past);
    });

    it("reverts MarketplaceValueTooLarge for an amount above 2^96 - 1", async function () {
      const ctx = await load(withListing);
      await expect(ctx.w.marketplace.connect(ctx.w.proponent).updateListing(L1, PRICE, ctx.expiry, MAX_UINT96 + 1n))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceValueTooLarge")
        .withArgs(MAX_UINT96 + 1n, MAX_UINT96);
    });

    it("reverts ERC1155InsufficientBalance (credit) for a top-up beyond the seller's balance", async function () {
      const ctx = await load(withListing);
      const held = TO_PROPONENT_1 - AMOUNT;
      await expect(ctx.w.marketplace.connect(ctx.w.proponent).updateListing(L1, PRICE, ctx.expiry, AMOUNT + held + 1n))
        .to.be.revertedWithCustomError(ctx.w.credit, "ERC1155InsufficientBalance")
        .withArgs(ctx.w.proponent.address, held, held + 1n, ctx.b1);
    });

    it("reverts EnforcedPause while paused", async function () {
      const ctx = await load(withListing);
      await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
      await expect(
        ctx.w.marketplace.connect(ctx.w.proponent).updateListing(L1, PRICE, ctx.expiry, AMOUNT),
      ).to.be.revertedWithCustomError(ctx.w.marketplace, "EnforcedPause");
    });
  });

  // ------------------------------------------------------------------ cancelListing

  describe("cancelListing", function () {
    it("lets the seller cancel before expiry: units back, ListingCancelled with the returned amount", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, w.alice.address)).wait();
      await expect(w.marketplace.connect(w.proponent).cancelListing(L1))
        .to.emit(w.marketplace, "ListingCancelled")
        .withArgs(L1, w.proponent.address, AMOUNT - 100n);
      expect(await remaining(ctx, L1)).to.equal(0n);
      expect(await credits(ctx, ctx.market)).to.equal(0n);
      expect(await credits(ctx, w.proponent.address)).to.equal(TO_PROPONENT_1 - 100n);
    });

    it("reverts MarketplaceNotSeller for anyone else before expiry", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry - 1n);
      await expect(w.marketplace.connect(w.outsider).cancelListing(L1))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceNotSeller")
        .withArgs(L1, w.outsider.address);
    });

    it("lets anyone cancel from the expiry on, returning the units to the seller", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry);
      await expect(w.marketplace.connect(w.outsider).cancelListing(L1))
        .to.emit(w.marketplace, "ListingCancelled")
        .withArgs(L1, w.outsider.address, AMOUNT);
      expect(await credits(ctx, w.proponent.address)).to.equal(TO_PROPONENT_1);
      expect(await credits(ctx, w.outsider.address)).to.equal(0n);
      expect(await credits(ctx, ctx.market)).to.equal(0n);
    });

    it("reverts MarketplaceListingClosed when cancelling twice", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.proponent).cancelListing(L1)).wait();
      await expect(w.marketplace.connect(w.proponent).cancelListing(L1))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceListingClosed")
        .withArgs(L1);
    });

    it("reverts MarketplaceListingClosed for a bought-out listing", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).buy(L1, AMOUNT, PRICE, w.alice.address)).wait();
      await expect(w.marketplace.connect(w.proponent).cancelListing(L1))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceListingClosed")
        .withArgs(L1);
    });

    it("reverts MarketplaceUnknownListing for an unknown listing", async function () {
      const ctx = await load(withListing);
      await expect(ctx.w.marketplace.connect(ctx.w.proponent).cancelListing(2n))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownListing")
        .withArgs(2n);
    });

    it("reverts EnforcedPause while paused", async function () {
      const ctx = await load(withListing);
      await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
      await expect(ctx.w.marketplace.connect(ctx.w.proponent).cancelListing(L1)).to.be.revertedWithCustomError(
        ctx.w.marketplace,
        "EnforcedPause",
      );
    });
  });

  // ------------------------------------------------------------------ governance

  describe("governance", function () {
    it("starts with no fee, the admin as treasury, the retirement registry wired and the credit allowed", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      expect(await w.marketplace.feeInfo()).to.deep.equal([0n, w.admin.address]);
      expect(await w.marketplace.retirement()).to.equal(ctx.retirementAddress);
      expect(await w.marketplace.isAssetAllowed(ctx.credit)).to.equal(true);
      expect(await w.marketplace.isPaymentTokenAllowed(ctx.pay)).to.equal(true);
      expect(await w.marketplace.isPaymentTokenAllowed(ctx.credit)).to.equal(false);
      expect(await w.marketplace.paused()).to.equal(false);
    });

    it("sets the fee up to 1,000 bps and emits FeeSet", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.treasurer).setFee(MAX_FEE_BPS))
        .to.emit(w.marketplace, "FeeSet")
        .withArgs(MAX_FEE_BPS);
      expect(await w.marketplace.feeInfo()).to.deep.equal([MAX_FEE_BPS, w.admin.address]);
    });

    it("reverts MarketplaceFeeTooHigh above 1,000 bps", async function () {
      const ctx = await load(withMarket);
      await expect(ctx.w.marketplace.connect(ctx.w.treasurer).setFee(1_001n))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceFeeTooHigh")
        .withArgs(1_001n, MAX_FEE_BPS);
    });

    it("sets the treasury and emits TreasurySet", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.treasurer).setTreasury(w.bob.address))
        .to.emit(w.marketplace, "TreasurySet")
        .withArgs(w.bob.address);
      expect(await w.marketplace.feeInfo()).to.deep.equal([0n, w.bob.address]);
    });

    it("reverts MarketplaceInvalidTreasury for the zero address", async function () {
      const ctx = await load(withMarket);
      await expect(ctx.w.marketplace.connect(ctx.w.treasurer).setTreasury(ZeroAddress))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidTreasury")
        .withArgs(ZeroAddress);
    });

    it("refuses a zero treasury at deployment", async function () {
      const ctx = await load(withMarket);
      const factory = await ctx.w.ethers.getContractFactory("CarbonMarketplace");
      await expect(factory.deploy(await ctx.w.manager.getAddress(), ctx.retirementAddress, ZeroAddress))
        .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidTreasury")
        .withArgs(ZeroAddress);
    });

    it("allows and disallows assets and payment tokens with AssetAllowed and PaymentTokenAllowed", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.admin).setAssetAllowed(ctx.credit, false))
        .to.emit(w.marketplace, "AssetAllowed")
        .withArgs(ctx.credit, false);
      expect(await w.marketplace.isAssetAllowed(ctx.credit)).to.equal(false);
      await expect(w.marketplace.connect(w.admin).setPaymentTokenAllowed(ctx.pay, false))
        .to.emit(w.marketplace, "PaymentTokenAllowed")
        .withArgs(ctx.pay, false);
      expect(await w.marketplace.isPaymentTokenAllowed(ctx.pay)).to.equal(false);
      await expect(w.marketplace.connect(w.admin).setPaymentTokenAllowed(ctx.pay, true))
        .to.emit(w.marketplace, "PaymentTokenAllowed")
        .withArgs(ctx.pay, true);
      expect(await w.marketplace.isPaymentTokenAllowed(ctx.pay)).to.equal(true);
    });

    it("restricts setFee and setTreasury to the treasurer, the allow-lists to the admin", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      const calls = [
        () => w.marketplace.connect(w.alice).setFee(1n),
        () => w.marketplace.connect(w.admin).setFee(1n),
        () => w.marketplace.connect(w.alice).setTreasury(w.alice.address),
        () => w.marketplace.connect(w.treasurer).setAssetAllowed(ctx.pay, true),
        () => w.marketplace.connect(w.treasurer).setPaymentTokenAllowed(ctx.credit, true),
        () => w.marketplace.connect(w.alice).pause(),
      ];
      const callers = [w.alice, w.admin, w.alice, w.treasurer, w.treasurer, w.alice];
      for (let i = 0; i < calls.length; ++i) {
        await expect(calls[i]())
          .to.be.revertedWithCustomError(w.marketplace, "AccessManagedUnauthorized")
          .withArgs(callers[i].address);
      }
    });

    it("pauses and unpauses with Paused and Unpaused", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.pauser).pause()).to.emit(w.marketplace, "Paused").withArgs(w.pauser.address);
      expect(await w.marketplace.paused()).to.equal(true);
      await expect(w.marketplace.connect(w.pauser).unpause())
        .to.emit(w.marketplace, "Unpaused")
        .withArgs(w.pauser.address);
      expect(await w.marketplace.paused()).to.equal(false);
    });

    it("reverts EnforcedPause when pausing twice and ExpectedPause when not paused", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      await expect(w.marketplace.connect(w.pauser).unpause()).to.be.revertedWithCustomError(
        w.marketplace,
        "ExpectedPause",
      );
      await (await w.marketplace.connect(w.pauser).pause()).wait();
      await expect(w.marketplace.connect(w.pauser).pause()).to.be.revertedWithCustomError(
        w.marketplace,
        "EnforcedPause",
      );
    });

    it("refuses the fee, treasury and allow-list setters while paused (issue 14, break 8), and nothing changes", async function () {
      const ctx = await load(withMarket);
      const { w } = ctx;
      await (await w.marketplace.connect(w.pauser).pause()).wait();
      const view = async () => ({
        fee: [...(await w.marketplace.feeInfo())],
        assets: await w.marketplace.isAssetAllowed(ctx.credit),
        payment: await w.marketplace.isPaymentTokenAllowed(ctx.pay),
      });
      const before = await view();
      for (const call of [
        () => w.marketplace.connect(w.treasurer).setFee(5n),
        () => w.marketplace.connect(w.treasurer).setTreasury(w.outsider.address),
        () => w.marketplace.connect(w.admin).setAssetAllowed(ctx.credit, false),
        () => w.marketplace.connect(w.admin).setPaymentTokenAllowed(ctx.pay, false),
      ]) {
        await expect(call()).to.be.revertedWithCustomError(w.marketplace, "EnforcedPause");
      }
      expect(await view()).to.deep.equal(before);
      // Once unpaused, governance works again.
      await (await w.marketplace.connect(w.pauser).unpause()).wait();
      await expect(w.marketplace.connect(w.treasurer).setFee(5n)).to.emit(w.marketplace, "FeeSet").withArgs(5n);
    });
  });

  // ------------------------------------------------------------------ escrow

  describe("escrow", function () {
    it("refuses a direct safeTransferFrom of credits with MarketplaceUnexpectedTokens(holder)", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, ctx.market, ctx.b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceUnexpectedTokens")
        .withArgs(w.proponent.address);
      expect(await credits(ctx, ctx.market)).to.equal(AMOUNT);
    });

    it("refuses a direct safeBatchTransferFrom of credits with MarketplaceUnexpectedTokens(holder)", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await expect(
        w.credit
          .connect(w.proponent)
          .safeBatchTransferFrom(w.proponent.address, ctx.market, [ctx.b1, ctx.b2], [1n, 1n], "0x"),
      )
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceUnexpectedTokens")
        .withArgs(w.proponent.address);
    });

    it("refuses a transfer by an approved operator too (the operator is named)", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      await (await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true)).wait();
      await expect(w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, ctx.market, ctx.b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceUnexpectedTokens")
        .withArgs(w.bob.address);
    });

    it("refuses a buy delivered to the marketplace itself, so no unit is stranded outside a listing", async function () {
      const ctx = await load(withListing);
      const { w } = ctx;
      const before = await state(ctx);
      await expect(w.marketplace.connect(w.alice).buy(L1, 100n, PRICE, ctx.market))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceUnexpectedTokens")
        .withArgs(ctx.market);
      expect(await state(ctx)).to.deep.equal(before);
      expect(await remaining(ctx, L1)).to.equal(AMOUNT);
    });

    it("keeps escrow == Σ open remaining and paid == proceeds + fee through a scripted flow", async function () {
      const ctx = await load(withFee);
      const { w, b1, b2 } = ctx;
      const parties = [w.alice, w.bob, w.proponent, w.admin];
      const ledger = new Map<string, bigint>();
      for (const party of parties) ledger.set(party.address, await ctx.usdc.balanceOf(party.address));
      const total = [...ledger.values()].reduce((a, b) => a + b, 0n);

      async function check(step: string) {
        await expectEscrowInvariant(w, [b1, b2]);
        let sum = 0n;
        for (const party of parties) {
          const actual = await ctx.usdc.balanceOf(party.address);
          expect(actual, `${step}: USDC of ${party.address}`).to.equal(ledger.get(party.address));
          sum += actual;
        }
        expect(sum, `${step}: no value created or lost`).to.equal(total);
        expect(await ctx.usdc.balanceOf(ctx.market), `${step}: the marketplace holds no payment`).to.equal(0n);
      }

      async function purchase(buyer: typeof w.alice, listingId: bigint, amount: bigint, retire = false) {
        const listing = await w.marketplace.getListing(listingId);
        const paid = amount * listing.unitPrice;
        const fee = feeOf(paid, FEE_BPS);
        if (retire) await (await w.marketplace.connect(buyer).buyAndRetire(listingId, amount, paid, request())).wait();
        else await (await w.marketplace.connect(buyer).buy(listingId, amount, paid, buyer.address)).wait();
        ledger.set(buyer.address, ledger.get(buyer.address)! - paid);
        ledger.set(listing.seller, ledger.get(listing.seller)! + paid - fee);
        ledger.set(w.admin.address, ledger.get(w.admin.address)! + fee);
      }

      await check("listing 1");
      const l2 = await listMore(ctx, { id: b2, amount: 400n, unitPrice: 20_011n, minFill: 0n });
      await check("list 2");
      await purchase(w.alice, L1, 250n);
      await check("partial buy of 1");
      await (await w.marketplace.connect(w.proponent).updateListing(L1, 15_007n, ctx.expiry, AMOUNT)).wait();
      await check("top-up of 1");
      await (await w.marketplace.connect(w.proponent).updateListing(l2, 20_011n, ctx.expiry, 100n)).wait();
      await check("reduction of 2");
      await purchase(w.bob, l2, 33n);
      await check("partial buy of 2");
      await purchase(w.bob, L1, AMOUNT);
      await check("buy-out of 1");
      await (await w.marketplace.connect(w.proponent).cancelListing(l2)).wait();
      await check("cancel of 2");
      const l3 = await listMore(ctx, { amount: 500n, unitPrice: 16_003n, minFill: 1n });
      await purchase(w.alice, l3, 201n, true);
      await check("buyAndRetire from 3");
      await expect(
        w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, ctx.market, b1, 5n, "0x"),
      ).to.be.revertedWithCustomError(w.marketplace, "MarketplaceUnexpectedTokens");
      await check("refused direct transfer");
      expect(await credits(ctx, ctx.market, b1)).to.equal(299n);
      expect(await credits(ctx, ctx.market, b2)).to.equal(0n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(201n);
      expect(await w.credit.totalSupply(b1)).to.equal(QUANTITY_1 - 201n);
      expect(await w.credit.totalSupply(b2)).to.equal(QUANTITY_2);
      expect(await credits(ctx, w.proponent.address, b2)).to.equal(TO_PROPONENT_2 - 33n);
    });
  });

  // ------------------------------------------------------------------ ERC-165

  describe("supportsInterface", function () {
    it("supports IERC165 and IERC1155Receiver", async function () {
      const { w } = await load(withMarket);
      expect(interfaceIdOf(IERC165_FUNCTIONS)).to.equal("0x01ffc9a7");
      expect(interfaceIdOf(RECEIVER_FUNCTIONS)).to.equal("0x4e2312e0");
      expect(await w.marketplace.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await w.marketplace.supportsInterface("0x4e2312e0")).to.equal(true);
      expect(await w.marketplace.supportsInterface("0xffffffff")).to.equal(false);
      expect(await w.marketplace.supportsInterface("0xd9b67a26")).to.equal(false);
    });

    it("supports the ICarbonMarketplace interface id (its own functions only)", async function () {
      const ctx = await load(withMarket);
      const iface = (await ctx.w.ethers.getContractAt("ICarbonMarketplace", ctx.market)).interface;
      const inherited = [...RECEIVER_FUNCTIONS, ...IERC165_FUNCTIONS];
      const own: string[] = [];
      iface.forEachFunction((fn) => {
        if (!inherited.includes(fn.format("sighash"))) own.push(fn.format("sighash"));
      });
      expect(own).to.have.length(30);
      expect(own).to.include.members([
        "list(address,uint256,uint256,uint256,address,uint256,uint64)",
        "buy(uint256,uint256,uint256,address)",
        "buyWithPermit(uint256,uint256,uint256,address,(uint256,uint256,uint8,bytes32,bytes32))",
        "buyMany((uint256,uint256,uint256)[],address)",
        "listingsByAsset(address,uint256,uint256,uint256)",
        "placeBid((uint32[],bytes8[],uint64,uint64,uint64,uint8,uint8,uint8),uint256,uint256,address,uint64)",
        "fillBid(uint256,uint256,uint256)",
        "cancelBid(uint256)",
        "getBid(uint256)",
        "bidMismatch(uint256,uint256)",
      ]);
      expect(await ctx.w.marketplace.supportsInterface(interfaceIdOf(own))).to.equal(true);
      expect(await ctx.w.marketplace.supportsInterface(interfaceIdOf([...own, ...RECEIVER_FUNCTIONS]))).to.equal(false);
    });
  });
});
