import { expect } from "chai";
import { MaxUint256, ZeroAddress, id, type Signer } from "ethers";

import type {
  ERC20Mock,
  FeeOnTransferERC20Mock,
  ICarbonMarketplace,
  NoReturnERC20Mock,
  ReentrantBidderMock,
  ReentrantERC20Mock,
  ReturnsFalseERC20Mock,
  ShrinkingERC20Mock,
} from "../../typechain-types/index.js";
import {
  Adjustment,
  approvedProject,
  Authorisation,
  BUFFER_BPS,
  Category,
  code,
  deployWorld,
  issue,
  type World,
} from "../helpers/fixtures.js";
import {
  DAY,
  MAX_UINT128,
  MAX_UINT40,
  MAX_UINT96,
  allBids,
  errorSelector,
  expectBidEscrowInvariant,
  expectEscrowInvariant,
  feeOf,
  now,
} from "../helpers/market.js";
import type { BatchCriteriaStructOutput } from "../../typechain-types/contracts/interfaces/ICarbonMarketplace.js";
import { extraProject, nestedFixtures, standardIdOf } from "../helpers/registry.js";

// ------------------------------------------------------------------ the world of the `withBatches` fixture
//
// Methodology 1 "VM0047" is a removal methodology, 2 "AMS-III.D" an avoidance one. Four projects of the proponent:
//   P1 "VCS"        Brazil, Pará ("BR-PA"), methodology 1 (removal)
//   P2 "GS"         Kenya ("KE"),           methodology 2 (avoidance)
//   P3 "PURO"       Kenya ("KE"),           methodology 1 (removal)
//   P4 "CERCARBONO" Colombia ("CO"),        methodology 1 (removal)
// Six batches, one calendar year of monitoring each (the vintage), 10,000 units each, 8,000 to the proponent:
//   A: P1, 2022                  B: P2, 2020                  C: P1, 2023, Article 6 NDC + adjustment Applied
//   D: P3, 2021                  E: P4, 2023                  F: P3, 2024, Article 6 OIMP + adjustment Pending
const P1 = 1n;
const P2 = 2n;
const P3 = 3n;
const P4 = 4n;
const REMOVAL_METHODOLOGY = 1n;
const AVOIDANCE_METHODOLOGY = 2n;
const A = 1n;
const B = 2n;
const C = 3n;
const D = 4n;
const E = 5n;
const F = 6n;
const BATCHES = [A, B, C, D, E, F];
const BATCH_NAMES = ["A", "B", "C", "D", "E", "F"];
const QUANTITY = 10_000n;
const TO_PROPONENT = 8_000n; // 20% buffer
const BR_PA = code("BR-PA");
const KE = code("KE");
const CO = code("CO");

/** 00:00:00 UTC on 1 January of `year`, in seconds. */
function yearStart(year: number): bigint {
  return BigInt(Date.UTC(year, 0, 1) / 1_000);
}

/** The last second of `year`: a batch of that vintage is monitored over [yearStart, yearEnd]. */
function yearEnd(year: number): bigint {
  return yearStart(year + 1) - 1n;
}

// Bid 1 of the `withBid` fixture: alice wants 1,000 units at 15,000 base units (0.015 USDC) per unit, so she escrows
// 15,000,000 (15 USDC); open for a week.
const BID_QUANTITY = 1_000n;
const PRICE = 15_000n;
const ESCROW = BID_QUANTITY * PRICE;
const BID1 = 1n;
// Every bidder starts with 1,000,000 USDC (6 decimals).
const FUNDS = 1_000_000_000_000n;
// The fee of the `withFee` fixture: 1%.
const FEE_BPS = 100n;
const REASON = id("reason");
const REENTRANT_CALL = errorSelector("ReentrancyGuardReentrantCall()");

/** `CriteriaMismatch` (ICarbonTypes.sol). */
const Mismatch = {
  None: 0n,
  Project: 1n,
  Methodology: 2n,
  Category: 3n,
  Vintage: 4n,
  Jurisdiction: 5n,
  Authorisation: 6n,
  Adjustment: 7n,
} as const;

/** The mask bit of an enum member: `1 << member`. */
function bit(member: number): number {
  return 1 << member;
}

/** A bid's criteria, as `placeBid` takes them and (normalised) as `getBid` returns them. */
interface Criteria {
  methodologyIds: bigint[];
  jurisdictions: string[];
  projectId: bigint;
  vintageFrom: bigint;
  vintageTo: bigint;
  categories: number;
  authorisations: number;
  adjustments: number;
}

/** Criteria with every field empty (accepts any batch) unless overridden. */
function criteria(overrides: Partial<Criteria> = {}): Criteria {
  return {
    methodologyIds: [],
    jurisdictions: [],
    projectId: 0n,
    vintageFrom: 0n,
    vintageTo: 0n,
    categories: 0,
    authorisations: 0,
    adjustments: 0,
    ...overrides,
  };
}

const ANY = criteria();
/** The issue's example: "removals, vintage 2022 or later, from Brazil or Kenya". */
const EXAMPLE = criteria({
  categories: bit(Category.Removal),
  vintageFrom: yearStart(2022),
  jurisdictions: [BR_PA, KE],
});

/** Criteria in the order of the Solidity struct, for `withArgs`. */
function tuple(c: Criteria) {
  return [
    c.methodologyIds,
    c.jurisdictions,
    c.projectId,
    c.vintageFrom,
    c.vintageTo,
    c.categories,
    c.authorisations,
    c.adjustments,
  ];
}

/** Stored criteria as plain values, comparable with `Criteria`. */
function stored(c: BatchCriteriaStructOutput): Criteria {
  return {
    methodologyIds: [...c.methodologyIds],
    jurisdictions: [...c.jurisdictions],
    projectId: c.projectId,
    vintageFrom: c.vintageFrom,
    vintageTo: c.vintageTo,
    categories: Number(c.categories),
    authorisations: Number(c.authorisations),
    adjustments: Number(c.adjustments),
  };
}

interface Ctx {
  w: World;
  usdc: ERC20Mock;
  pay: string;
  market: string;
  credit: string;
}

/** A bid's terms, in the order of `placeBid`'s parameters. */
interface BidTerms {
  criteria: Criteria;
  quantity: bigint;
  unitPrice: bigint;
  paymentToken: string;
  expiry: bigint;
}

describe("CarbonMarketplace criteria bids", function () {
  let world: World;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<World> {
    return world;
  }

  /** Registers a project of the proponent under `methodologyId` in `jurisdiction` and approves it; returns its id. */
  async function registerApproved(w: World, methodologyId: bigint, standard: string, jurisdiction: string) {
    await (
      await w.registry.connect(w.proponent).registerProject({
        methodologyId,
        bufferBps: BUFFER_BPS,
        standardId: await standardIdOf(w, standard),
        externalRef: `${standard}-1`,
        jurisdiction,
        uri: `ipfs://${standard}-1`,
      })
    ).wait();
    const [, projects] = await w.registry.counts();
    await (await w.registry.connect(w.registrar).approveProject(projects, id("approved"))).wait();
    return projects;
  }

  /**
   * The world described at the top: batches A to F held by the proponent, who approved the marketplace on the credit
   * token; an ERC20Mock "USDC" allowed as payment; alice and bob hold FUNDS of it and approved the marketplace. No
   * fee, no bid.
   */
  async function withBatches(): Promise<Ctx> {
    const w = await load(deployed);
    const projects = [await approvedProject(w)];
    await (await w.registry.connect(w.registrar).addMethodology("AMS-III.D", Category.Avoidance, "ipfs://ams")).wait();
    await (await w.registry.connect(w.registrar).accreditVerifier(w.verifier.address, AVOIDANCE_METHODOLOGY)).wait();
    projects.push(await registerApproved(w, AVOIDANCE_METHODOLOGY, "GS", "KE"));
    projects.push(await extraProject(w, "PURO"));
    projects.push(await registerApproved(w, REMOVAL_METHODOLOGY, "CERCARBONO", "CO"));
    expect(projects).to.deep.equal([P1, P2, P3, P4]);
    const plan: [bigint, number][] = [
      [P1, 2022],
      [P2, 2020],
      [P1, 2023],
      [P3, 2021],
      [P4, 2023],
      [P3, 2024],
    ];
    for (const [index, [projectId, year]] of plan.entries()) {
      const batchId = await issue(w, projectId, QUANTITY, BigInt(index) * QUANTITY + 1n, {
        periodStart: Number(yearStart(year)),
        periodEnd: Number(yearEnd(year)),
      });
      expect(batchId).to.equal(BATCHES[index]);
    }
    await (await w.registry.connect(w.registrar).setArticle6Status(C, Authorisation.NDC, Adjustment.Applied)).wait();
    await (await w.registry.connect(w.registrar).setArticle6Status(F, Authorisation.OIMP, Adjustment.Pending)).wait();

    const usdc = await w.ethers.deployContract("ERC20Mock");
    const pay = await usdc.getAddress();
    const market = await w.marketplace.getAddress();
    await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(pay, true)).wait();
    await (await w.credit.connect(w.proponent).setApprovalForAll(market, true)).wait();
    for (const bidder of [w.alice, w.bob]) {
      await (await usdc.mint(bidder.address, FUNDS)).wait();
      await (await usdc.connect(bidder).approve(market, MaxUint256)).wait();
    }
    return { w, usdc, pay, market, credit: await w.credit.getAddress() };
  }

  /** withBatches plus bid 1: alice's BID_QUANTITY units at PRICE, EXAMPLE criteria, a week from now. */
  async function withBid(): Promise<Ctx & { expiry: bigint }> {
    const ctx = await load(withBatches);
    const expiry = (await now(ctx.w)) + 7n * DAY;
    await (await placeWith(ctx, ctx.w.alice, await terms(ctx, { expiry }))).wait();
    return { ...ctx, expiry };
  }

  /** withBid plus a 1% protocol fee (to the default treasury, admin), set after bid 1 was placed. */
  async function withFee(): Promise<Ctx & { expiry: bigint }> {
    const ctx = await load(withBid);
    await (await ctx.w.marketplace.connect(ctx.w.treasurer).setFee(FEE_BPS)).wait();
    return ctx;
  }

  /** withBid plus bob holding 500 units of C and having approved the marketplace. */
  async function withSecondHolder(): Promise<Ctx & { expiry: bigint }> {
    const ctx = await load(withBid);
    await giveCredits(ctx, ctx.w.bob, C, 500n);
    return ctx;
  }

  before(async function () {
    world = await deployWorld();
    load = nestedFixtures(world);
    await load(deployed);
  });

  // ------------------------------------------------------------------ helpers

  /** The default terms (bid 1's), a week from now unless overridden. */
  async function terms(ctx: Ctx, overrides: Partial<BidTerms> = {}): Promise<BidTerms> {
    return {
      criteria: EXAMPLE,
      quantity: BID_QUANTITY,
      unitPrice: PRICE,
      paymentToken: ctx.pay,
      expiry: (await now(ctx.w)) + 7n * DAY,
      ...overrides,
    };
  }

  function placeWith(ctx: Ctx, bidder: Signer, t: BidTerms) {
    return ctx.w.marketplace.connect(bidder).placeBid(t.criteria, t.quantity, t.unitPrice, t.paymentToken, t.expiry);
  }

  /** Places `overrides` of the default terms as `bidder` (alice); returns the new bid id. */
  async function bidMore(ctx: Ctx, overrides: Partial<BidTerms> = {}, bidder: Signer = ctx.w.alice) {
    await (await placeWith(ctx, bidder, await terms(ctx, overrides))).wait();
    return ctx.w.marketplace.bidCount();
  }

  function fill(ctx: Ctx, filler: Signer, bidId: bigint, batchId: bigint, amount: bigint) {
    return ctx.w.marketplace.connect(filler).fillBid(bidId, batchId, amount);
  }

  async function remaining(ctx: Ctx, bidId: bigint): Promise<bigint> {
    return (await ctx.w.marketplace.getBid(bidId)).remaining;
  }

  async function credits(ctx: Ctx, account: string, batchId: bigint): Promise<bigint> {
    return ctx.w.credit.balanceOf(account, batchId);
  }

  /** Gives `holder` `amount` units of `batchId` from the proponent and approves the marketplace for them. */
  async function giveCredits(ctx: Ctx, holder: Signer, batchId: bigint, amount: bigint) {
    const address = await holder.getAddress();
    await (
      await ctx.w.credit.connect(ctx.w.proponent).safeTransferFrom(ctx.w.proponent, address, batchId, amount, "0x")
    ).wait();
    await (await ctx.w.credit.connect(holder).setApprovalForAll(ctx.market, true)).wait();
  }

  /** Everything a refused call must leave untouched: credits and USDC of every party, the bids. */
  async function state(ctx: Ctx) {
    const { w } = ctx;
    const accounts = [w.proponent.address, w.alice.address, w.bob.address, w.admin.address, ctx.market];
    const balances = await w.credit.balanceOfBatch(
      accounts.flatMap((a) => BATCHES.map(() => a)),
      accounts.flatMap(() => BATCHES),
    );
    const bids = await allBids(w);
    return {
      credits: [...balances],
      usdc: await Promise.all(accounts.map((a) => ctx.usdc.balanceOf(a))),
      count: await w.marketplace.bidCount(),
      remaining: bids.map(({ bid }) => bid.remaining),
    };
  }

  /** Runs `call` (which asserts a revert) and checks it changed nothing. */
  async function expectRefused(ctx: Ctx, call: () => Promise<unknown>) {
    const before = await state(ctx);
    await call();
    expect(await state(ctx)).to.deep.equal(before);
  }

  /** Both escrow invariants: payment held == Σ bids' remaining × unitPrice; credits held == Σ open listings. */
  async function expectInvariants(
    ctx: Ctx,
    tokens: { getAddress(): Promise<string>; balanceOf(a: string): Promise<bigint> }[] = [],
  ) {
    await expectBidEscrowInvariant(ctx.w, [ctx.usdc, ...tokens]);
    await expectEscrowInvariant(ctx.w, BATCHES);
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

  // ------------------------------------------------------------------ the world

  describe("the fixture world", function () {
    it("has batches differing in each criterion", async function () {
      const { w } = await load(withBatches);
      const profiles = [];
      for (const batchId of BATCHES) {
        const p = await w.registry.batchProfile(batchId);
        profiles.push([
          p.projectId,
          p.methodologyId,
          p.category,
          p.vintageStart,
          p.jurisdiction,
          p.authorisation,
          p.adjustment,
        ]);
      }
      expect(profiles).to.deep.equal([
        [P1, 1n, 0n, yearStart(2022), BR_PA, 0n, 0n],
        [P2, 2n, 1n, yearStart(2020), KE, 0n, 0n],
        [P1, 1n, 0n, yearStart(2023), BR_PA, 1n, 2n],
        [P3, 1n, 0n, yearStart(2021), KE, 0n, 0n],
        [P4, 1n, 0n, yearStart(2023), CO, 0n, 0n],
        [P3, 1n, 0n, yearStart(2024), KE, 2n, 1n],
      ]);
      for (const batchId of BATCHES) expect(await w.credit.balanceOf(w.proponent, batchId)).to.equal(TO_PROPONENT);
    });
  });

  // ------------------------------------------------------------------ placeBid

  describe("placeBid", function () {
    it("escrows exactly quantity × unitPrice from the bidder", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - ESCROW);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(ESCROW);
      expect(ESCROW).to.equal(15_000_000n);
      await expectInvariants(ctx);
    });

    it("emits BidPlaced with every argument, criteria included, and the escrow Transfer", async function () {
      const ctx = await load(withBatches);
      const { w } = ctx;
      const t = await terms(ctx);
      const tx = placeWith(ctx, w.alice, t);
      await expect(tx)
        .to.emit(w.marketplace, "BidPlaced")
        .withArgs(1n, w.alice.address, ctx.pay, BID_QUANTITY, PRICE, t.expiry, tuple(EXAMPLE));
      await expect(tx).to.emit(ctx.usdc, "Transfer").withArgs(w.alice.address, ctx.market, ESCROW);
      await expect(tx).to.changeTokenBalances(w.ethers, ctx.usdc, [w.alice.address, ctx.market], [-ESCROW, ESCROW]);
    });

    it("stores the terms and the criteria (getBid)", async function () {
      const ctx = await load(withBid);
      const bid = await ctx.w.marketplace.getBid(BID1);
      expect(bid.bidder).to.equal(ctx.w.alice.address);
      expect(bid.expiry).to.equal(ctx.expiry);
      expect(bid.paymentToken).to.equal(ctx.pay);
      expect(bid.remaining).to.equal(BID_QUANTITY);
      expect(bid.unitPrice).to.equal(PRICE);
      expect(stored(bid.criteria)).to.deep.equal(EXAMPLE);
    });

    it("stores criteria with every field set, at the limits: 16 methodologies and jurisdictions, full masks", async function () {
      const ctx = await load(withBatches);
      const full = criteria({
        methodologyIds: Array.from({ length: 16 }, (_, i) => BigInt(i + 1)),
        jurisdictions: Array.from({ length: 16 }, (_, i) => code(`KE-${i}`)),
        projectId: P3,
        vintageFrom: yearStart(2021),
        vintageTo: yearEnd(2024),
        categories: 3, // removal | avoidance
        authorisations: 7, // None | NDC | OIMP
        adjustments: 7, // NotApplicable | Pending | Applied
      });
      const t = await terms(ctx, { criteria: full });
      await expect(placeWith(ctx, ctx.w.alice, t))
        .to.emit(ctx.w.marketplace, "BidPlaced")
        .withArgs(1n, ctx.w.alice.address, ctx.pay, BID_QUANTITY, PRICE, t.expiry, tuple(full));
      expect(stored((await ctx.w.marketplace.getBid(1n)).criteria)).to.deep.equal(full);
    });

    it("numbers bids sequentially from 1 and counts them apart from listings", async function () {
      const ctx = await load(withBatches);
      const { w } = ctx;
      expect(await w.marketplace.bidCount()).to.equal(0n);
      await (await w.marketplace.connect(w.proponent).list(ctx.credit, A, 10n, PRICE, ctx.pay, 0n, MAX_UINT40)).wait();
      const t = await terms(ctx, { quantity: 10n });
      await (await placeWith(ctx, w.alice, t)).wait();
      expect(await w.marketplace.bidCount()).to.equal(1n);
      expect(
        await w.marketplace
          .connect(w.bob)
          .placeBid.staticCall(t.criteria, t.quantity, t.unitPrice, t.paymentToken, t.expiry),
      ).to.equal(2n);
      await (await placeWith(ctx, w.bob, t)).wait();
      expect(await w.marketplace.bidCount()).to.equal(2n);
      expect((await w.marketplace.getBid(2n)).bidder).to.equal(w.bob.address);
      expect(await w.marketplace.listingCount()).to.equal(1n);
    });

    it("accepts open vintage windows (only a start, only an end) and a one-second window", async function () {
      const ctx = await load(withBatches);
      const windows: [bigint, bigint][] = [
        [yearStart(2022), 0n],
        [0n, yearEnd(2022)],
        [yearStart(2022), yearStart(2022) + 1n],
      ];
      for (const [vintageFrom, vintageTo] of windows) {
        const bidId = await bidMore(ctx, { criteria: criteria({ vintageFrom, vintageTo }) });
        const c = (await ctx.w.marketplace.getBid(bidId)).criteria;
        expect([c.vintageFrom, c.vintageTo]).to.deep.equal([vintageFrom, vintageTo]);
      }
      expect(await ctx.w.marketplace.bidCount()).to.equal(3n);
    });

    it("accepts an expiry of the next second and of 2^40 - 1", async function () {
      const ctx = await load(withBatches);
      const next = (await now(ctx.w)) + 10n;
      await ctx.w.connection.networkHelpers.time.setNextBlockTimestamp(next);
      expect(await bidMore(ctx, { expiry: next + 1n })).to.equal(1n);
      expect(await bidMore(ctx, { expiry: MAX_UINT40 })).to.equal(2n);
      expect((await ctx.w.marketplace.getBid(1n)).expiry).to.equal(next + 1n);
      expect((await ctx.w.marketplace.getBid(2n)).expiry).to.equal(MAX_UINT40);
    });

    it("escrows a bid as large as its escrow shares allow (10^6 per base unit, in 128 bits), refunds it whole, and refuses a larger one", async function () {
      const ctx = await load(withBatches);
      const { w } = ctx;
      const OFFSET = 1_000_000n;
      const unitPrice = MAX_UINT128 / OFFSET / MAX_UINT96;
      const escrow = MAX_UINT96 * unitPrice;
      await (await ctx.usdc.mint(w.outsider.address, escrow + MAX_UINT96)).wait();
      await (await ctx.usdc.connect(w.outsider).approve(ctx.market, MaxUint256)).wait();
      await expect(placeWith(ctx, w.outsider, await terms(ctx, { quantity: MAX_UINT96, unitPrice: unitPrice + 1n })))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceValueTooLarge")
        .withArgs(MAX_UINT96 * (unitPrice + 1n) * OFFSET, MAX_UINT128);
      const bidId = await bidMore(ctx, { quantity: MAX_UINT96, unitPrice }, w.outsider);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(escrow);
      expect((await w.marketplace.getBid(bidId)).shares).to.equal(escrow * OFFSET);
      await expectInvariants(ctx);
      await expect(w.marketplace.connect(w.outsider).cancelBid(bidId))
        .to.emit(w.marketplace, "BidCancelled")
        .withArgs(bidId, w.outsider.address, MAX_UINT96, escrow);
      expect(await ctx.usdc.balanceOf(w.outsider.address)).to.equal(escrow + MAX_UINT96);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(0n);
    });

    describe("refusals (no bid is placed, nothing moves)", function () {
      async function expectNoBid(ctx: Ctx, call: () => Promise<unknown>) {
        await expectRefused(ctx, call);
        expect(await ctx.w.marketplace.bidCount()).to.equal(0n);
      }

      it("reverts JurisdictionCodeInvalid for a jurisdiction not in compact ISO 3166 form", async function () {
        const ctx = await load(withBatches);
        const lowerCase = "0x62722d7061000000"; // "br-pa"
        const threeLetters = "0x4252410000000000"; // "BRA" (alpha-3)
        const unassigned = "0x5858000000000000"; // "XX"
        await expectNoBid(ctx, async () => {
          for (const bad of [lowerCase, threeLetters, unassigned]) {
            const c = criteria({ jurisdictions: [KE, bad] });
            await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { criteria: c })))
              .to.be.revertedWithCustomError(ctx.w.marketplace, "JurisdictionCodeInvalid")
              .withArgs(bad);
          }
        });
      });

      it("reverts EnforcedPause while the marketplace is paused", async function () {
        const ctx = await load(withBatches);
        await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx))).to.be.revertedWithCustomError(
            ctx.w.marketplace,
            "EnforcedPause",
          );
        });
      });

      it("reverts MarketplaceAssetNotAllowed(credit) once the credit token is disallowed", async function () {
        const ctx = await load(withBatches);
        await (await ctx.w.marketplace.connect(ctx.w.admin).setAssetAllowed(ctx.credit, false)).wait();
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx)))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceAssetNotAllowed")
            .withArgs(ctx.credit);
        });
      });

      it("reverts MarketplacePaymentTokenNotAllowed for a payment token not on the allow-list", async function () {
        const ctx = await load(withBatches);
        const other = await ctx.w.ethers.deployContract("ERC20Mock");
        const otherAddress = await other.getAddress();
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { paymentToken: otherAddress })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplacePaymentTokenNotAllowed")
            .withArgs(otherAddress);
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { paymentToken: ZeroAddress })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplacePaymentTokenNotAllowed")
            .withArgs(ZeroAddress);
        });
      });

      it("reverts MarketplaceZeroAmount for a zero quantity", async function () {
        const ctx = await load(withBatches);
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { quantity: 0n }))).to.be.revertedWithCustomError(
            ctx.w.marketplace,
            "MarketplaceZeroAmount",
          );
        });
      });

      it("reverts MarketplaceZeroPrice for a zero price", async function () {
        const ctx = await load(withBatches);
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { unitPrice: 0n }))).to.be.revertedWithCustomError(
            ctx.w.marketplace,
            "MarketplaceZeroPrice",
          );
        });
      });

      it("reverts MarketplaceValueTooLarge for a quantity above 2^96 - 1 and a price above 2^128 - 1", async function () {
        const ctx = await load(withBatches);
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { quantity: MAX_UINT96 + 1n })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceValueTooLarge")
            .withArgs(MAX_UINT96 + 1n, MAX_UINT96);
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { unitPrice: MAX_UINT128 + 1n })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceValueTooLarge")
            .withArgs(MAX_UINT128 + 1n, MAX_UINT128);
        });
      });

      it("reverts MarketplaceInvalidExpiry for a past expiry and for one above 2^40 - 1", async function () {
        const ctx = await load(withBatches);
        const past = (await now(ctx.w)) - 1n;
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { expiry: past })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidExpiry")
            .withArgs(past);
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { expiry: MAX_UINT40 + 1n })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidExpiry")
            .withArgs(MAX_UINT40 + 1n);
        });
      });

      it("reverts MarketplaceInvalidExpiry for an expiry equal to the block timestamp", async function () {
        const ctx = await load(withBatches);
        const next = (await now(ctx.w)) + 10n;
        await ctx.w.connection.networkHelpers.time.setNextBlockTimestamp(next);
        await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { expiry: next })))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceInvalidExpiry")
          .withArgs(next);
        expect(await ctx.w.marketplace.bidCount()).to.equal(0n);
      });

      it("reverts CriteriaTooManyEntries(17, 16) for 17 methodology ids or 17 jurisdictions", async function () {
        const ctx = await load(withBatches);
        const ids = Array.from({ length: 17 }, (_, i) => BigInt(i + 1));
        const keys = Array.from({ length: 17 }, (_, i) => code(`KE-${i}`));
        await expectNoBid(ctx, async () => {
          for (const c of [criteria({ methodologyIds: ids }), criteria({ jurisdictions: keys })]) {
            await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { criteria: c })))
              .to.be.revertedWithCustomError(ctx.w.marketplace, "CriteriaTooManyEntries")
              .withArgs(17n, 16n);
          }
        });
      });

      // A mask over an enum of n members may set bits 0..n-1 only: Category has 2 members (max mask 3),
      // Authorisation and Adjustment 3 each (max mask 7).
      const masks: ["categories" | "authorisations" | "adjustments", number, number][] = [
        ["categories", 4, 3],
        ["categories", 255, 3],
        ["authorisations", 8, 7],
        ["authorisations", 255, 7],
        ["adjustments", 8, 7],
        ["adjustments", 128, 7],
      ];
      for (const [field, mask, max] of masks) {
        it(`reverts CriteriaInvalidMask(${mask}, ${max}) for ${field} ${mask}`, async function () {
          const ctx = await load(withBatches);
          await expectNoBid(ctx, async () => {
            await expect(
              placeWith(
                ctx,
                ctx.w.alice,
                await terms(ctx, { criteria: criteria({ [field]: mask } as Partial<Criteria>) }),
              ),
            )
              .to.be.revertedWithCustomError(ctx.w.marketplace, "CriteriaInvalidMask")
              .withArgs(mask, max);
          });
        });
      }

      it("reverts CriteriaInvalidVintageWindow when the window ends before it starts", async function () {
        const ctx = await load(withBatches);
        const window = criteria({ vintageFrom: yearStart(2023), vintageTo: yearEnd(2022) });
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { criteria: window })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "CriteriaInvalidVintageWindow")
            .withArgs(yearStart(2023), yearEnd(2022));
        });
      });

      it("reverts CriteriaInvalidVintageWindow when the window ends where it starts (no period fits it)", async function () {
        const ctx = await load(withBatches);
        const window = criteria({ vintageFrom: yearStart(2023), vintageTo: yearStart(2023) });
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx, { criteria: window })))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "CriteriaInvalidVintageWindow")
            .withArgs(yearStart(2023), yearStart(2023));
        });
      });

      it("reverts MarketplaceAccountFrozen for a bidder frozen on the credit token", async function () {
        const ctx = await load(withBatches);
        await (await ctx.w.credit.connect(ctx.w.regulator).freeze(ctx.w.alice.address, REASON)).wait();
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx)))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceAccountFrozen")
            .withArgs(ctx.w.alice.address);
        });
      });

      it("reverts ERC20InsufficientAllowance (payment token) without enough allowance", async function () {
        const ctx = await load(withBatches);
        await (await ctx.usdc.connect(ctx.w.alice).approve(ctx.market, ESCROW - 1n)).wait();
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.alice, await terms(ctx)))
            .to.be.revertedWithCustomError(ctx.usdc, "ERC20InsufficientAllowance")
            .withArgs(ctx.market, ESCROW - 1n, ESCROW);
        });
      });

      it("reverts ERC20InsufficientBalance (payment token) without enough funds", async function () {
        const ctx = await load(withBatches);
        await (await ctx.usdc.connect(ctx.w.outsider).approve(ctx.market, MaxUint256)).wait();
        await expectNoBid(ctx, async () => {
          await expect(placeWith(ctx, ctx.w.outsider, await terms(ctx)))
            .to.be.revertedWithCustomError(ctx.usdc, "ERC20InsufficientBalance")
            .withArgs(ctx.w.outsider.address, 0n, ESCROW);
        });
      });
    });
  });

  // ------------------------------------------------------------------ fillBid

  describe("fillBid", function () {
    it("fills part of a bid: units from the filler to the bidder, payment from the escrow, remaining decreased", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await fill(ctx, w.proponent, BID1, A, 400n)).wait();
      expect(await credits(ctx, w.alice.address, A)).to.equal(400n);
      expect(await credits(ctx, w.proponent.address, A)).to.equal(TO_PROPONENT - 400n);
      expect(await credits(ctx, ctx.market, A)).to.equal(0n);
      expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY - 400n);
      expect(await ctx.usdc.balanceOf(w.proponent.address)).to.equal(400n * PRICE);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(ESCROW - 400n * PRICE);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - ESCROW);
      expect(await ctx.usdc.balanceOf(w.admin.address)).to.equal(0n);
      await expectInvariants(ctx);
    });

    it("emits BidFilled with every argument and the credit's TransferSingle with the marketplace as operator", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const tx = fill(ctx, w.proponent, BID1, A, 400n);
      // paid = 400 × 15,000 = 6,000,000; 1% fee = 60,000.
      await expect(tx)
        .to.emit(w.marketplace, "BidFilled")
        .withArgs(BID1, ctx.credit, A, w.proponent.address, 400n, PRICE, 6_000_000n, 60_000n);
      await expect(tx)
        .to.emit(w.credit, "TransferSingle")
        .withArgs(ctx.market, w.proponent.address, w.alice.address, A, 400n);
    });

    it("fills one bid from two holders and two batches until it closes, then reverts MarketplaceBidClosed", async function () {
      const ctx = await load(withSecondHolder);
      const { w } = ctx;
      await (await fill(ctx, w.proponent, BID1, A, 600n)).wait();
      await expectInvariants(ctx);
      await (await fill(ctx, w.bob, BID1, C, 400n)).wait();
      expect(await remaining(ctx, BID1)).to.equal(0n);
      expect(await credits(ctx, w.alice.address, A)).to.equal(600n);
      expect(await credits(ctx, w.alice.address, C)).to.equal(400n);
      expect(await credits(ctx, w.bob.address, C)).to.equal(100n);
      expect(await ctx.usdc.balanceOf(w.proponent.address)).to.equal(600n * PRICE);
      expect(await ctx.usdc.balanceOf(w.bob.address)).to.equal(FUNDS + 400n * PRICE);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(0n);
      await expectInvariants(ctx);
      await expect(fill(ctx, w.bob, BID1, C, 1n))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidClosed")
        .withArgs(BID1);
    });

    it("with a 1% fee: the filler receives paid - fee from the escrow, the treasury the fee", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const paid = 400n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      expect(fee).to.equal(60_000n);
      await expect(fill(ctx, w.proponent, BID1, A, 400n)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.proponent.address, w.admin.address, ctx.market, w.alice.address],
        [paid - fee, fee, -paid, 0n],
      );
      await expectInvariants(ctx);
    });

    it("rounds the fee up (in the protocol's favour): paid == proceeds + fee", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const oddPrice = 10_007n;
      const bidId = await bidMore(ctx, { unitPrice: oddPrice, quantity: 5n });
      // paid = 3 × 10,007 = 30,021; 1% of it is 300.21, rounded up to 301.
      const paid = 30_021n;
      const fee = 301n;
      expect(3n * oddPrice).to.equal(paid);
      expect(feeOf(paid, FEE_BPS)).to.equal(fee);
      const tx = fill(ctx, w.proponent, bidId, A, 3n);
      await expect(tx)
        .to.emit(w.marketplace, "BidFilled")
        .withArgs(bidId, ctx.credit, A, w.proponent.address, 3n, oddPrice, paid, fee);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.proponent.address, w.admin.address, ctx.market],
        [paid - fee, fee, -paid],
      );
      await expectInvariants(ctx);
    });

    it("takes one base unit of fee on a fill whose exact fee is below one (0.99 rounds up to 1)", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const bidId = await bidMore(ctx, { unitPrice: 99n, quantity: 2n });
      const tx = fill(ctx, w.proponent, bidId, A, 1n);
      await expect(tx)
        .to.emit(w.marketplace, "BidFilled")
        .withArgs(bidId, ctx.credit, A, w.proponent.address, 1n, 99n, 99n, 1n);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.proponent.address, w.admin.address, ctx.market],
        [98n, 1n, -99n],
      );
    });

    it("pays the fee to the treasury set by setTreasury", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await (await w.marketplace.connect(w.treasurer).setTreasury(w.outsider.address)).wait();
      await expect(fill(ctx, w.proponent, BID1, A, 100n)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.proponent.address, w.admin.address, w.outsider.address, ctx.market],
        [1_485_000n, 0n, 15_000n, -1_500_000n],
      );
    });

    it("lets the bidder fill its own bid: its credits stay, it pays only the fee, value is conserved", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await giveCredits(ctx, w.alice, A, 500n);
      const parties = [w.alice.address, w.admin.address, ctx.market];
      const before = await Promise.all(parties.map((a) => ctx.usdc.balanceOf(a)));
      const paid = 200n * PRICE;
      const fee = feeOf(paid, FEE_BPS);
      await expect(fill(ctx, w.alice, BID1, A, 200n))
        .to.emit(w.marketplace, "BidFilled")
        .withArgs(BID1, ctx.credit, A, w.alice.address, 200n, PRICE, paid, fee);
      const after = await Promise.all(parties.map((a) => ctx.usdc.balanceOf(a)));
      expect(after).to.deep.equal([before[0] + paid - fee, before[1] + fee, before[2] - paid]);
      expect(after.reduce((x, y) => x + y, 0n)).to.equal(before.reduce((x, y) => x + y, 0n));
      expect(await credits(ctx, w.alice.address, A)).to.equal(500n);
      expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY - 200n);
      await expectInvariants(ctx);
    });

    it("still fills and cancels a bid after its credit asset and payment token were disallowed", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await w.marketplace.connect(w.admin).setAssetAllowed(ctx.credit, false)).wait();
      await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(ctx.pay, false)).wait();
      await (await fill(ctx, w.proponent, BID1, A, 100n)).wait();
      expect(await credits(ctx, w.alice.address, A)).to.equal(100n);
      await expect(w.marketplace.connect(w.alice).cancelBid(BID1))
        .to.emit(w.marketplace, "BidCancelled")
        .withArgs(BID1, w.alice.address, 900n, 900n * PRICE);
      await expectInvariants(ctx);
    });

    it("fills until the second before expiry", async function () {
      const ctx = await load(withBid);
      await ctx.w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry - 1n);
      await (await fill(ctx, ctx.w.proponent, BID1, A, 10n)).wait();
      expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY - 10n);
    });

    it("reverts MarketplaceBidExpired(bidId, expiry) from the expiry on", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry);
      await expect(fill(ctx, w.proponent, BID1, A, 10n))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidExpired")
        .withArgs(BID1, ctx.expiry);
      await w.connection.networkHelpers.time.increaseTo(ctx.expiry + DAY);
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, w.proponent, BID1, A, 10n))
          .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidExpired")
          .withArgs(BID1, ctx.expiry);
      });
    });

    it("reverts MarketplaceZeroAmount for a zero amount", async function () {
      const ctx = await load(withBid);
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, ctx.w.proponent, BID1, A, 0n)).to.be.revertedWithCustomError(
          ctx.w.marketplace,
          "MarketplaceZeroAmount",
        );
      });
    });

    it("reverts MarketplaceBidAmountExceedsRemaining above the remaining amount", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await expect(fill(ctx, w.proponent, BID1, A, BID_QUANTITY + 1n))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidAmountExceedsRemaining")
        .withArgs(BID1, BID_QUANTITY + 1n, BID_QUANTITY);
      await (await fill(ctx, w.proponent, BID1, A, 400n)).wait();
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, w.proponent, BID1, A, 601n))
          .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidAmountExceedsRemaining")
          .withArgs(BID1, 601n, 600n);
      });
      await (await fill(ctx, w.proponent, BID1, A, 600n)).wait();
      expect(await remaining(ctx, BID1)).to.equal(0n);
    });

    it("reverts MarketplaceUnknownBid for bid 0 and ids past the count", async function () {
      const ctx = await load(withBid);
      await expectRefused(ctx, async () => {
        for (const bidId of [0n, 2n]) {
          await expect(fill(ctx, ctx.w.proponent, bidId, A, 1n))
            .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownBid")
            .withArgs(bidId);
        }
      });
    });

    it("reverts CarbonRegistryUnknownBatch (registry) for an unknown batch", async function () {
      const ctx = await load(withBid);
      await expectRefused(ctx, async () => {
        for (const batchId of [0n, 7n]) {
          await expect(fill(ctx, ctx.w.proponent, BID1, batchId, 1n))
            .to.be.revertedWithCustomError(ctx.w.registry, "CarbonRegistryUnknownBatch")
            .withArgs(batchId);
        }
      });
    });

    it("reverts EnforcedPause while the marketplace is paused", async function () {
      const ctx = await load(withBid);
      await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, ctx.w.proponent, BID1, A, 1n)).to.be.revertedWithCustomError(
          ctx.w.marketplace,
          "EnforcedPause",
        );
      });
      await (await ctx.w.marketplace.connect(ctx.w.pauser).unpause()).wait();
      await (await fill(ctx, ctx.w.proponent, BID1, A, 1n)).wait();
      expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY - 1n);
    });

    it("reverts CarbonCreditAccountFrozen (credit) for a frozen filler", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON)).wait();
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, w.proponent, BID1, A, 10n))
          .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
          .withArgs(w.proponent.address);
      });
    });

    it("reverts CarbonCreditAccountFrozen (credit) for a bidder frozen after bidding, who can still cancel", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await w.credit.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, w.proponent, BID1, A, 10n))
          .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
          .withArgs(w.alice.address);
      });
      await expect(w.marketplace.connect(w.alice).cancelBid(BID1)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice.address, ctx.market],
        [ESCROW, -ESCROW],
      );
    });

    it("reverts CarbonCreditBatchSuspended (credit) for a suspended batch; another batch still fills", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await w.registry.connect(w.registrar).suspendBatch(A, REASON)).wait();
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, w.proponent, BID1, A, 10n))
          .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchSuspended")
          .withArgs(A);
      });
      await (await fill(ctx, w.proponent, BID1, C, 10n)).wait();
      expect(await credits(ctx, w.alice.address, C)).to.equal(10n);
    });

    it("reverts EnforcedPause (credit) while the credit token is paused", async function () {
      const ctx = await load(withBid);
      await (await ctx.w.credit.connect(ctx.w.pauser).pause()).wait();
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, ctx.w.proponent, BID1, A, 10n)).to.be.revertedWithCustomError(
          ctx.w.credit,
          "EnforcedPause",
        );
      });
    });

    it("reverts ERC1155MissingApprovalForAll (credit) when the filler has not approved the marketplace", async function () {
      const ctx = await load(withSecondHolder);
      const { w } = ctx;
      await (await w.credit.connect(w.bob).setApprovalForAll(ctx.market, false)).wait();
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, w.bob, BID1, C, 10n))
          .to.be.revertedWithCustomError(w.credit, "ERC1155MissingApprovalForAll")
          .withArgs(ctx.market, w.bob.address);
      });
    });

    it("reverts ERC1155InsufficientBalance (credit) when the filler holds too few units", async function () {
      const ctx = await load(withSecondHolder);
      const { w } = ctx;
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, w.bob, BID1, C, 501n))
          .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
          .withArgs(w.bob.address, 500n, 501n, C);
        await expect(fill(ctx, w.bob, BID1, A, 1n))
          .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
          .withArgs(w.bob.address, 0n, 1n, A);
      });
    });
  });

  // ------------------------------------------------------------------ criteria matching

  describe("criteria matching", function () {
    /** Places a bid of alice's with `c` (100 units at PRICE); returns its id. */
    async function bidFor(ctx: Ctx, c: Criteria): Promise<bigint> {
      return bidMore(ctx, { criteria: c, quantity: 100n });
    }

    /** bidMismatch for each of batches A to F. */
    async function mismatches(ctx: Ctx, bidId: bigint): Promise<bigint[]> {
      const out = [];
      for (const batchId of BATCHES) out.push(await ctx.w.marketplace.bidMismatch(bidId, batchId));
      return out;
    }

    /** Asserts that `batchId` is refused for `reason`, by the view and by fillBid, and that nothing moves. */
    async function expectMismatch(ctx: Ctx, bidId: bigint, batchId: bigint, reason: bigint) {
      expect(await ctx.w.marketplace.bidMismatch(bidId, batchId)).to.equal(reason);
      await expectRefused(ctx, async () => {
        await expect(fill(ctx, ctx.w.proponent, bidId, batchId, 10n))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceBatchMismatch")
          .withArgs(bidId, batchId, reason);
      });
    }

    /** Asserts that `batchId` matches: the view says None and a fill of 10 units delivers them. */
    async function expectMatch(ctx: Ctx, bidId: bigint, batchId: bigint) {
      expect(await ctx.w.marketplace.bidMismatch(bidId, batchId)).to.equal(Mismatch.None);
      const before = await credits(ctx, ctx.w.alice.address, batchId);
      await (await fill(ctx, ctx.w.proponent, bidId, batchId, 10n)).wait();
      expect(await credits(ctx, ctx.w.alice.address, batchId)).to.equal(before + 10n);
    }

    // Each criterion alone: the batch it refuses (and why), and one it accepts.
    const single: [string, Criteria, bigint, bigint, bigint][] = [
      ["projectId P2", criteria({ projectId: P2 }), A, Mismatch.Project, B],
      ["methodologyIds [avoidance]", criteria({ methodologyIds: [AVOIDANCE_METHODOLOGY] }), A, Mismatch.Methodology, B],
      ["methodologyIds [3, 1] (a set)", criteria({ methodologyIds: [3n, 1n] }), B, Mismatch.Methodology, A],
      ["categories avoidance", criteria({ categories: bit(Category.Avoidance) }), A, Mismatch.Category, B],
      ["categories removal", criteria({ categories: bit(Category.Removal) }), B, Mismatch.Category, A],
      ["vintageFrom 2023 (A's 2022 starts before)", criteria({ vintageFrom: yearStart(2023) }), A, Mismatch.Vintage, C],
      ["vintageTo end of 2021 (A's 2022 ends after)", criteria({ vintageTo: yearEnd(2021) }), A, Mismatch.Vintage, D],
      ["jurisdictions [KE]", criteria({ jurisdictions: [KE] }), A, Mismatch.Jurisdiction, D],
      ["jurisdictions [CO, BR-PA]", criteria({ jurisdictions: [CO, BR_PA] }), B, Mismatch.Jurisdiction, E],
      ["authorisations NDC", criteria({ authorisations: bit(Authorisation.NDC) }), A, Mismatch.Authorisation, C],
      ["authorisations None", criteria({ authorisations: bit(Authorisation.None) }), F, Mismatch.Authorisation, A],
      ["adjustments Pending", criteria({ adjustments: bit(Adjustment.Pending) }), C, Mismatch.Adjustment, F],
      [
        "adjustments NotApplicable",
        criteria({ adjustments: bit(Adjustment.NotApplicable) }),
        C,
        Mismatch.Adjustment,
        A,
      ],
    ];
    for (const [title, c, refused, reason, accepted] of single) {
      const names = `${BATCH_NAMES[Number(refused) - 1]}, accepts ${BATCH_NAMES[Number(accepted) - 1]}`;
      it(`${title}: refuses ${names} (reason ${reason})`, async function () {
        const ctx = await load(withBatches);
        const bidId = await bidFor(ctx, c);
        await expectMismatch(ctx, bidId, refused, reason);
        await expectMatch(ctx, bidId, accepted);
        await expectInvariants(ctx);
      });
    }

    it("empty criteria accept every batch", async function () {
      const ctx = await load(withBatches);
      const bidId = await bidFor(ctx, ANY);
      expect(await mismatches(ctx, bidId)).to.deep.equal(BATCHES.map(() => Mismatch.None));
      for (const batchId of BATCHES) await (await fill(ctx, ctx.w.proponent, bidId, batchId, 1n)).wait();
      for (const batchId of BATCHES) expect(await credits(ctx, ctx.w.alice.address, batchId)).to.equal(1n);
      expect(await remaining(ctx, bidId)).to.equal(100n - 6n);
      await expectInvariants(ctx);
    });

    it("the issue's example (removals, vintage 2022 or later, from Brazil or Kenya) accepts A, C, F only", async function () {
      const ctx = await load(withBid);
      expect(stored((await ctx.w.marketplace.getBid(BID1)).criteria)).to.deep.equal(EXAMPLE);
      // A: removal 2022 BR-PA. B: avoidance. C: removal 2023 BR-PA. D: removal 2021. E: removal 2023 CO. F: 2024 KE.
      expect(await mismatches(ctx, BID1)).to.deep.equal([
        Mismatch.None,
        Mismatch.Category,
        Mismatch.None,
        Mismatch.Vintage,
        Mismatch.Jurisdiction,
        Mismatch.None,
      ]);
      await expectMismatch(ctx, BID1, B, Mismatch.Category);
      await expectMismatch(ctx, BID1, D, Mismatch.Vintage);
      await expectMismatch(ctx, BID1, E, Mismatch.Jurisdiction);
      await expectMatch(ctx, BID1, A);
      await expectMatch(ctx, BID1, C);
      await expectMatch(ctx, BID1, F);
      expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY - 30n);
    });

    it("reports the first criterion failed, in the order of CriteriaMismatch", async function () {
      const ctx = await load(withBatches);
      // B (P2, avoidance methodology 2, KE, 2020) fails the project first; A (P1, removal, BR-PA) the methodology.
      const strict = await bidFor(
        ctx,
        criteria({
          projectId: P1,
          methodologyIds: [AVOIDANCE_METHODOLOGY],
          categories: bit(Category.Avoidance),
          jurisdictions: [KE],
        }),
      );
      expect(await ctx.w.marketplace.bidMismatch(strict, B)).to.equal(Mismatch.Project);
      expect(await ctx.w.marketplace.bidMismatch(strict, A)).to.equal(Mismatch.Methodology);
      // A, C, D, E (removals) fail the category before their vintage and jurisdiction; B (avoidance, 2020, KE) the
      // vintage before the jurisdiction.
      const chain = await bidFor(
        ctx,
        criteria({ categories: bit(Category.Avoidance), vintageTo: yearEnd(2019), jurisdictions: [CO] }),
      );
      expect(await mismatches(ctx, chain)).to.deep.equal([
        Mismatch.Category,
        Mismatch.Vintage,
        Mismatch.Category,
        Mismatch.Category,
        Mismatch.Category,
        Mismatch.Category,
      ]);
      const late = await bidFor(
        ctx,
        criteria({
          categories: bit(Category.Removal),
          vintageFrom: yearStart(2024),
          jurisdictions: [CO],
          authorisations: bit(Authorisation.NDC),
          adjustments: bit(Adjustment.Applied),
        }),
      );
      // A..E: A, C, D, E removal but before 2024; B avoidance; F 2024 but KE.
      expect(await mismatches(ctx, late)).to.deep.equal([
        Mismatch.Vintage,
        Mismatch.Category,
        Mismatch.Vintage,
        Mismatch.Vintage,
        Mismatch.Vintage,
        Mismatch.Jurisdiction,
      ]);
      const article6 = await bidFor(
        ctx,
        criteria({ authorisations: bit(Authorisation.OIMP), adjustments: bit(Adjustment.NotApplicable) }),
      );
      // F (OIMP, Pending) fails the adjustment only; C (NDC, Applied) fails both, the authorisation first.
      expect(await ctx.w.marketplace.bidMismatch(article6, F)).to.equal(Mismatch.Adjustment);
      expect(await ctx.w.marketplace.bidMismatch(article6, C)).to.equal(Mismatch.Authorisation);
    });

    it("matches the vintage window inclusively, to the second", async function () {
      const ctx = await load(withBatches);
      const from = await bidFor(ctx, criteria({ vintageFrom: yearStart(2022) }));
      const fromLate = await bidFor(ctx, criteria({ vintageFrom: yearStart(2022) + 1n }));
      const to = await bidFor(ctx, criteria({ vintageTo: yearEnd(2022) }));
      const toEarly = await bidFor(ctx, criteria({ vintageTo: yearEnd(2022) - 1n }));
      const exact = await bidFor(ctx, criteria({ vintageFrom: yearStart(2022), vintageTo: yearEnd(2022) }));
      expect(await ctx.w.marketplace.bidMismatch(from, A)).to.equal(Mismatch.None);
      expect(await ctx.w.marketplace.bidMismatch(fromLate, A)).to.equal(Mismatch.Vintage);
      expect(await ctx.w.marketplace.bidMismatch(to, A)).to.equal(Mismatch.None);
      expect(await ctx.w.marketplace.bidMismatch(toEarly, A)).to.equal(Mismatch.Vintage);
      // Only A's monitoring year lies within 2022.
      expect(await mismatches(ctx, exact)).to.deep.equal([
        Mismatch.None,
        Mismatch.Vintage,
        Mismatch.Vintage,
        Mismatch.Vintage,
        Mismatch.Vintage,
        Mismatch.Vintage,
      ]);
      await expectMismatch(ctx, toEarly, A, Mismatch.Vintage);
      await expectMatch(ctx, exact, A);
    });

    it("accepts any member of a multi-bit mask", async function () {
      const ctx = await load(withBatches);
      const bidId = await bidFor(
        ctx,
        criteria({
          authorisations: bit(Authorisation.None) | bit(Authorisation.NDC),
          adjustments: bit(Adjustment.NotApplicable) | bit(Adjustment.Applied),
        }),
      );
      // Every batch but F (OIMP) passes the authorisation; all of those pass the adjustment too.
      expect(await mismatches(ctx, bidId)).to.deep.equal([
        Mismatch.None,
        Mismatch.None,
        Mismatch.None,
        Mismatch.None,
        Mismatch.None,
        Mismatch.Authorisation,
      ]);
    });

    it('matches a country against its subdivisions: "BR" accepts "BR-PA" projects, "BR-GO" and "BR-PAR" do not', async function () {
      const ctx = await load(withBatches);
      const brazil = await bidFor(ctx, criteria({ jurisdictions: [code("BR")] }));
      await expectMatch(ctx, brazil, A);
      await expectMatch(ctx, brazil, C);
      await expectMismatch(ctx, brazil, D, Mismatch.Jurisdiction); // KE
      const other = await bidFor(ctx, criteria({ jurisdictions: [code("BR-GO"), code("BR-PAR")] }));
      await expectMismatch(ctx, other, A, Mismatch.Jurisdiction);
      expect(await ctx.w.registry.jurisdictionCode("BR-PA")).to.equal(BR_PA);
    });

    it("reads the registry at fill time: a batch authorised after the bid was placed then matches", async function () {
      const ctx = await load(withBatches);
      const bidId = await bidFor(ctx, criteria({ authorisations: bit(Authorisation.NDC) }));
      await expectMismatch(ctx, bidId, A, Mismatch.Authorisation);
      await (
        await ctx.w.registry.connect(ctx.w.registrar).setArticle6Status(A, Authorisation.NDC, Adjustment.Pending)
      ).wait();
      await expectMatch(ctx, bidId, A);
      await (
        await ctx.w.registry.connect(ctx.w.registrar).setArticle6Status(C, Authorisation.None, Adjustment.NotApplicable)
      ).wait();
      await expectMismatch(ctx, bidId, C, Mismatch.Authorisation);
    });
  });

  // ------------------------------------------------------------------ cancelBid

  describe("cancelBid", function () {
    it("lets the bidder cancel after a partial fill: exact refund of remaining × unitPrice, BidCancelled", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await fill(ctx, w.proponent, BID1, A, 400n)).wait();
      const refund = 600n * PRICE;
      const tx = w.marketplace.connect(w.alice).cancelBid(BID1);
      await expect(tx).to.emit(w.marketplace, "BidCancelled").withArgs(BID1, w.alice.address, 600n, refund);
      await expect(tx).to.emit(ctx.usdc, "Transfer").withArgs(ctx.market, w.alice.address, refund);
      await expect(tx).to.changeTokenBalances(w.ethers, ctx.usdc, [w.alice.address, ctx.market], [refund, -refund]);
      expect(await remaining(ctx, BID1)).to.equal(0n);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS - 400n * PRICE);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(0n);
      await expectInvariants(ctx);
      await expect(fill(ctx, w.proponent, BID1, A, 1n))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidClosed")
        .withArgs(BID1);
    });

    it("refunds the whole escrow of an unfilled bid and leaves other bids' escrow in place", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      const other = await bidMore(ctx, { quantity: 7n, unitPrice: 1_234n }, w.bob);
      await expect(w.marketplace.connect(w.alice).cancelBid(BID1))
        .to.emit(w.marketplace, "BidCancelled")
        .withArgs(BID1, w.alice.address, BID_QUANTITY, ESCROW);
      expect(await ctx.usdc.balanceOf(w.alice.address)).to.equal(FUNDS);
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(7n * 1_234n);
      expect(await remaining(ctx, other)).to.equal(7n);
      await expectInvariants(ctx);
    });

    it("reverts MarketplaceNotBidder for anyone else before expiry", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await expectRefused(ctx, async () => {
        for (const caller of [w.bob, w.proponent]) {
          await expect(w.marketplace.connect(caller).cancelBid(BID1))
            .to.be.revertedWithCustomError(w.marketplace, "MarketplaceNotBidder")
            .withArgs(BID1, caller.address);
        }
      });
      await w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry - 1n);
      await expect(w.marketplace.connect(w.bob).cancelBid(BID1))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceNotBidder")
        .withArgs(BID1, w.bob.address);
    });

    it("lets anyone cancel from the expiry on, refunding the bidder", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await fill(ctx, w.proponent, BID1, A, 100n)).wait();
      await w.connection.networkHelpers.time.setNextBlockTimestamp(ctx.expiry);
      const tx = w.marketplace.connect(w.bob).cancelBid(BID1);
      await expect(tx)
        .to.emit(w.marketplace, "BidCancelled")
        .withArgs(BID1, w.bob.address, 900n, 900n * PRICE);
      await expect(tx).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice.address, w.bob.address, ctx.market],
        [900n * PRICE, 0n, -900n * PRICE],
      );
      expect(await remaining(ctx, BID1)).to.equal(0n);
      await expectInvariants(ctx);
    });

    it("lets the bidder cancel after expiry too (time.increaseTo)", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await w.connection.networkHelpers.time.increaseTo(ctx.expiry + DAY);
      await expect(w.marketplace.connect(w.alice).cancelBid(BID1)).to.changeTokenBalances(
        w.ethers,
        ctx.usdc,
        [w.alice.address, ctx.market],
        [ESCROW, -ESCROW],
      );
    });

    it("reverts MarketplaceBidClosed when cancelling twice", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).cancelBid(BID1)).wait();
      await expectRefused(ctx, async () => {
        await expect(w.marketplace.connect(w.alice).cancelBid(BID1))
          .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidClosed")
          .withArgs(BID1);
      });
    });

    it("reverts MarketplaceBidClosed for a filled bid", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await fill(ctx, w.proponent, BID1, A, BID_QUANTITY)).wait();
      await expectRefused(ctx, async () => {
        await expect(w.marketplace.connect(w.alice).cancelBid(BID1))
          .to.be.revertedWithCustomError(w.marketplace, "MarketplaceBidClosed")
          .withArgs(BID1);
      });
    });

    it("reverts MarketplaceUnknownBid for an unknown bid", async function () {
      const ctx = await load(withBid);
      for (const bidId of [0n, 2n]) {
        await expect(ctx.w.marketplace.connect(ctx.w.alice).cancelBid(bidId))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownBid")
          .withArgs(bidId);
      }
    });

    it("reverts EnforcedPause while the marketplace is paused", async function () {
      const ctx = await load(withBid);
      await (await ctx.w.marketplace.connect(ctx.w.pauser).pause()).wait();
      await expectRefused(ctx, async () => {
        await expect(ctx.w.marketplace.connect(ctx.w.alice).cancelBid(BID1)).to.be.revertedWithCustomError(
          ctx.w.marketplace,
          "EnforcedPause",
        );
      });
    });
  });

  // ------------------------------------------------------------------ contract bidders

  describe("a contract bidder that re-enters from its acceptance hook", function () {
    /** withBid plus bid 2 of a ReentrantBidderMock: 100 units at PRICE, any batch, funded with exactly its escrow. */
    async function withContractBidder() {
      const ctx = await load(withBid);
      const bidder = (await ctx.w.ethers.deployContract("ReentrantBidderMock", [ctx.market])) as ReentrantBidderMock;
      const bidderAddress = await bidder.getAddress();
      await (await ctx.usdc.mint(bidderAddress, 100n * PRICE)).wait();
      const expiry = (await now(ctx.w)) + 7n * DAY;
      await (await bidder.placeBid(ANY, 100n, PRICE, ctx.pay, expiry)).wait();
      return { ...ctx, bidder, bidderAddress, bidId: 2n };
    }

    it("bids from its own address and is filled like any bidder", async function () {
      const ctx = await load(withContractBidder);
      const { w, bidder, bidId } = ctx;
      expect((await w.marketplace.getBid(bidId)).bidder).to.equal(ctx.bidderAddress);
      expect(await ctx.usdc.balanceOf(ctx.bidderAddress)).to.equal(0n);
      await (await fill(ctx, w.proponent, bidId, B, 30n)).wait();
      expect(await credits(ctx, ctx.bidderAddress, B)).to.equal(30n);
      expect(await bidder.reentries()).to.equal(0n);
      await (await bidder.cancelBid(bidId)).wait();
      expect(await ctx.usdc.balanceOf(ctx.bidderAddress)).to.equal(70n * PRICE);
      await expectInvariants(ctx);
    });

    it("cannot re-enter cancelBid of the bid being filled: the guard refuses, the fill settles once", async function () {
      const ctx = await load(withContractBidder);
      const { w, bidder, bidId } = ctx;
      await (await bidder.arm(w.marketplace.interface.encodeFunctionData("cancelBid", [bidId]), false)).wait();
      await expect(fill(ctx, w.proponent, bidId, A, 40n))
        .to.emit(bidder, "Reentered")
        .withArgs(true, REENTRANT_CALL);
      expect(await bidder.reentries()).to.equal(1n);
      expect(await bidder.lastReentryReverted()).to.equal(true);
      expect(await bidder.lastReentryData()).to.equal(REENTRANT_CALL);
      expect(await remaining(ctx, bidId)).to.equal(60n);
      expect(await credits(ctx, ctx.bidderAddress, A)).to.equal(40n);
      expect(await ctx.usdc.balanceOf(ctx.bidderAddress)).to.equal(0n);
      expect(await ctx.usdc.balanceOf(w.proponent.address)).to.equal(40n * PRICE);
      await expectInvariants(ctx);
    });

    it("cannot re-enter fillBid from its acceptance hook", async function () {
      const ctx = await load(withContractBidder);
      const { w, bidder, bidId } = ctx;
      await (await bidder.arm(w.marketplace.interface.encodeFunctionData("fillBid", [BID1, A, 1n]), false)).wait();
      await (await fill(ctx, w.proponent, bidId, A, 40n)).wait();
      expect(await bidder.lastReentryData()).to.equal(REENTRANT_CALL);
      expect(await remaining(ctx, bidId)).to.equal(60n);
      expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY);
      await expectInvariants(ctx);
    });

    it("reverts the whole fill with ReentrancyGuardReentrantCall when the bidder bubbles the failure", async function () {
      const ctx = await load(withContractBidder);
      const { w, bidder, bidId } = ctx;
      await (await bidder.arm(w.marketplace.interface.encodeFunctionData("cancelBid", [bidId]), true)).wait();
      const before = [await state(ctx), await ctx.usdc.balanceOf(ctx.bidderAddress)];
      await expect(fill(ctx, w.proponent, bidId, A, 40n)).to.be.revertedWithCustomError(
        w.marketplace,
        "ReentrancyGuardReentrantCall",
      );
      expect([await state(ctx), await ctx.usdc.balanceOf(ctx.bidderAddress)]).to.deep.equal(before);
      expect(await credits(ctx, ctx.bidderAddress, A)).to.equal(0n);
      expect(await remaining(ctx, bidId)).to.equal(100n);
    });
  });

  // ------------------------------------------------------------------ payment tokens

  describe("payment tokens", function () {
    it("refuses a fee-on-transfer token with MarketplaceShortPayment and places no bid", async function () {
      const ctx = await load(withBatches);
      const { w } = ctx;
      const [fot, fotAddress] = await deployToken<FeeOnTransferERC20Mock>(ctx, "FeeOnTransferERC20Mock");
      const before = [await state(ctx), await fot.balanceOf(w.alice.address), await fot.balanceOf(ctx.market)];
      // 1,000 × 15,000 = 15,000,000 sent, 1% burnt on the way: 14,850,000 arrive.
      await expect(placeWith(ctx, w.alice, await terms(ctx, { paymentToken: fotAddress })))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceShortPayment")
        .withArgs(fotAddress, ESCROW, 14_850_000n);
      expect([await state(ctx), await fot.balanceOf(w.alice.address), await fot.balanceOf(ctx.market)]).to.deep.equal(
        before,
      );
      expect(await w.marketplace.bidCount()).to.equal(0n);
    });

    it("refuses a token that shrinks the marketplace's balance on receipt with MarketplaceShortPayment(…, 0), not an arithmetic panic", async function () {
      const ctx = await load(withBatches);
      const { w } = ctx;
      const [shrinking, address] = await deployToken<ShrinkingERC20Mock>(ctx, "ShrinkingERC20Mock");
      // The marketplace already holds some of the token, so receiving the escrow leaves it with less than before.
      await (await shrinking.mint(ctx.market, 3n * ESCROW)).wait();
      await (await shrinking.setShrinking(true)).wait();
      const before = [
        await state(ctx),
        await shrinking.balanceOf(w.alice.address),
        await shrinking.balanceOf(ctx.market),
      ];
      await expect(placeWith(ctx, w.alice, await terms(ctx, { paymentToken: address })))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceShortPayment")
        .withArgs(address, ESCROW, 0n);
      expect([
        await state(ctx),
        await shrinking.balanceOf(w.alice.address),
        await shrinking.balanceOf(ctx.market),
      ]).to.deep.equal(before);
      expect(await w.marketplace.bidCount()).to.equal(0n);
    });

    it("accepts a token whose transfers return nothing (SafeERC20): place, fill under a fee and cancel, exactly", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      const [nrt, nrtAddress] = await deployToken<NoReturnERC20Mock>(ctx, "NoReturnERC20Mock");
      const bidId = await bidMore(ctx, { paymentToken: nrtAddress });
      expect(await nrt.balanceOf(w.alice.address)).to.equal(FUNDS - ESCROW);
      expect(await nrt.balanceOf(ctx.market)).to.equal(ESCROW);
      await (await fill(ctx, w.proponent, bidId, A, 100n)).wait();
      // paid 1,500,000: 1,485,000 to the proponent, 15,000 to the treasury.
      expect(await nrt.balanceOf(w.proponent.address)).to.equal(1_485_000n);
      expect(await nrt.balanceOf(w.admin.address)).to.equal(15_000n);
      expect(await nrt.balanceOf(ctx.market)).to.equal(ESCROW - 1_500_000n);
      await expectInvariants(ctx, [nrt]);
      await (await w.marketplace.connect(w.alice).cancelBid(bidId)).wait();
      expect(await nrt.balanceOf(w.alice.address)).to.equal(FUNDS - 1_500_000n);
      expect(await nrt.balanceOf(ctx.market)).to.equal(0n);
      expect(await credits(ctx, w.alice.address, A)).to.equal(100n);
      await expectInvariants(ctx, [nrt]);
    });

    it("bubbles a no-return token's own revert (insufficient allowance)", async function () {
      const ctx = await load(withBatches);
      const { w } = ctx;
      const [nrt, nrtAddress] = await deployToken<NoReturnERC20Mock>(ctx, "NoReturnERC20Mock");
      await (await nrt.connect(w.alice).approve(ctx.market, 0n)).wait();
      await expect(placeWith(ctx, w.alice, await terms(ctx, { paymentToken: nrtAddress })))
        .to.be.revertedWithCustomError(nrt, "NoReturnInsufficientAllowance")
        .withArgs(ctx.market, 0n, ESCROW);
      expect(await w.marketplace.bidCount()).to.equal(0n);
    });

    it("refuses a token whose transfers return false with SafeERC20FailedOperation", async function () {
      const ctx = await load(withBatches);
      const { w } = ctx;
      const [rfm, rfmAddress] = await deployToken<ReturnsFalseERC20Mock>(ctx, "ReturnsFalseERC20Mock");
      await expectRefused(ctx, async () => {
        await expect(placeWith(ctx, w.alice, await terms(ctx, { paymentToken: rfmAddress })))
          .to.be.revertedWithCustomError(w.marketplace, "SafeERC20FailedOperation")
          .withArgs(rfmAddress);
      });
      expect(await rfm.balanceOf(w.alice.address)).to.equal(FUNDS);
      expect(await w.marketplace.bidCount()).to.equal(0n);
    });

    describe("a re-entrant payment token (re-enters from the escrow pull, the payout and the refund)", function () {
      async function withReentrantToken() {
        const ctx = await load(withBid);
        const [token, tokenAddress] = await deployToken<ReentrantERC20Mock>(ctx, "ReentrantERC20Mock");
        return { ...ctx, token, tokenAddress };
      }

      it("cannot re-enter cancelBid of the bid being placed: the guard refuses, the escrow arrives whole", async function () {
        const ctx = await load(withReentrantToken);
        const { w, token } = ctx;
        // Bid 2 is stored before its escrow is pulled: the token tries to cancel it from inside the pull.
        await (
          await token.arm(ctx.market, w.marketplace.interface.encodeFunctionData("cancelBid", [2n]), false)
        ).wait();
        await expect(placeWith(ctx, w.alice, await terms(ctx, { paymentToken: ctx.tokenAddress })))
          .to.emit(token, "Reentered")
          .withArgs(ctx.market, true, REENTRANT_CALL);
        expect(await token.reentries()).to.equal(1n);
        expect(await token.lastReentryReverted()).to.equal(true);
        expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
        expect(await remaining(ctx, 2n)).to.equal(BID_QUANTITY);
        expect(await token.balanceOf(ctx.market)).to.equal(ESCROW);
        expect(await token.balanceOf(w.alice.address)).to.equal(FUNDS - ESCROW);
        await expectInvariants(ctx, [token]);
      });

      it("cannot re-enter fillBid from the escrow pull", async function () {
        const ctx = await load(withReentrantToken);
        const { w, token } = ctx;
        await (
          await token.arm(ctx.market, w.marketplace.interface.encodeFunctionData("fillBid", [BID1, A, 1n]), false)
        ).wait();
        await (await placeWith(ctx, w.alice, await terms(ctx, { paymentToken: ctx.tokenAddress }))).wait();
        expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
        expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY);
        expect(await w.marketplace.bidCount()).to.equal(2n);
        await expectInvariants(ctx, [token]);
      });

      it("cannot re-enter from fillBid's payout to the filler, nor from cancelBid's refund", async function () {
        const ctx = await load(withReentrantToken);
        const { w, token } = ctx;
        await (await placeWith(ctx, w.alice, await terms(ctx, { paymentToken: ctx.tokenAddress }))).wait();
        // Bid 2 pays in the re-entrant token: its payout to the filler tries to fill bid 2 again.
        await (
          await token.arm(ctx.market, w.marketplace.interface.encodeFunctionData("fillBid", [2n, A, 1n]), false)
        ).wait();
        await (await w.marketplace.connect(w.proponent).fillBid(2n, A, 10n)).wait();
        expect(await token.reentries()).to.equal(1n);
        expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
        expect(await remaining(ctx, 2n)).to.equal(BID_QUANTITY - 10n);
        // Its refund to the bidder tries to cancel bid 1.
        await (
          await token.arm(ctx.market, w.marketplace.interface.encodeFunctionData("cancelBid", [BID1]), false)
        ).wait();
        await (await w.marketplace.connect(w.alice).cancelBid(2n)).wait();
        expect(await token.reentries()).to.equal(2n);
        expect(await token.lastReentryData()).to.equal(REENTRANT_CALL);
        expect(await remaining(ctx, BID1)).to.equal(BID_QUANTITY);
        expect(await remaining(ctx, 2n)).to.equal(0n);
        expect(await token.balanceOf(ctx.market)).to.equal(0n);
        await expectInvariants(ctx, [token]);
      });

      it("reverts the whole placeBid with ReentrancyGuardReentrantCall when the token bubbles the failure", async function () {
        const ctx = await load(withReentrantToken);
        const { w, token } = ctx;
        await (await token.arm(ctx.market, w.marketplace.interface.encodeFunctionData("cancelBid", [2n]), true)).wait();
        const before = [await state(ctx), await token.balanceOf(w.alice.address)];
        await expect(
          placeWith(ctx, w.alice, await terms(ctx, { paymentToken: ctx.tokenAddress })),
        ).to.be.revertedWithCustomError(w.marketplace, "ReentrancyGuardReentrantCall");
        expect([await state(ctx), await token.balanceOf(w.alice.address)]).to.deep.equal(before);
        expect(await w.marketplace.bidCount()).to.equal(1n);
      });
    });
  });

  // ------------------------------------------------------------------ escrow

  describe("escrow", function () {
    it("keeps payment held == Σ remaining × unitPrice, credits held == open listings, and value conserved", async function () {
      const ctx = await load(withFee);
      const { w } = ctx;
      await giveCredits(ctx, w.bob, D, 300n);
      const parties = [w.alice, w.bob, w.proponent, w.admin];
      const ledger = new Map<string, bigint>();
      for (const party of parties) ledger.set(party.address, await ctx.usdc.balanceOf(party.address));
      ledger.set(ctx.market, await ctx.usdc.balanceOf(ctx.market));
      const total = [...ledger.values()].reduce((x, y) => x + y, 0n);
      const add = (account: string, delta: bigint) => ledger.set(account, ledger.get(account)! + delta);

      async function check(step: string) {
        await expectInvariants(ctx);
        let sum = 0n;
        for (const [account, expected] of ledger) {
          const actual = await ctx.usdc.balanceOf(account);
          expect(actual, `${step}: USDC of ${account}`).to.equal(expected);
          sum += actual;
        }
        expect(sum, `${step}: no value created or lost`).to.equal(total);
      }

      async function place(bidder: typeof w.alice, overrides: Partial<BidTerms>) {
        const bidId = await bidMore(ctx, overrides, bidder);
        const bid = await w.marketplace.getBid(bidId);
        add(bidder.address, -bid.remaining * bid.unitPrice);
        add(ctx.market, bid.remaining * bid.unitPrice);
        return bidId;
      }

      async function fillSome(filler: typeof w.alice, bidId: bigint, batchId: bigint, amount: bigint) {
        const paid = amount * (await w.marketplace.getBid(bidId)).unitPrice;
        const fee = feeOf(paid, FEE_BPS);
        await (await fill(ctx, filler, bidId, batchId, amount)).wait();
        add(filler.address, paid - fee);
        add(w.admin.address, fee);
        add(ctx.market, -paid);
      }

      async function cancel(caller: typeof w.alice, bidId: bigint) {
        const bid = await w.marketplace.getBid(bidId);
        await (await w.marketplace.connect(caller).cancelBid(bidId)).wait();
        add(bid.bidder, bid.remaining * bid.unitPrice);
        add(ctx.market, -bid.remaining * bid.unitPrice);
      }

      await check("bid 1");
      // A listing of the proponent's sits in escrow alongside: bids never touch the marketplace's credits.
      await (await w.marketplace.connect(w.proponent).list(ctx.credit, A, 500n, PRICE, ctx.pay, 0n, MAX_UINT40)).wait();
      await check("listing 1");
      const b2 = await place(w.bob, {
        criteria: criteria({ jurisdictions: [KE] }),
        quantity: 250n,
        unitPrice: 20_011n,
      });
      await check("bid 2");
      const b3 = await place(w.alice, { criteria: ANY, quantity: 33n, unitPrice: 16_003n });
      await check("bid 3");
      await fillSome(w.proponent, BID1, A, 250n);
      await check("partial fill of 1");
      await fillSome(w.bob, b2, D, 101n);
      await check("bob fills his own bid 2");
      await fillSome(w.proponent, b2, F, 49n);
      await check("partial fill of 2");
      await fillSome(w.proponent, b3, B, 33n);
      await check("fill-out of 3");
      await (await w.marketplace.connect(w.alice).buy(1n, 100n, PRICE, w.alice.address)).wait();
      add(w.alice.address, -100n * PRICE);
      add(w.proponent.address, 100n * PRICE - feeOf(100n * PRICE, FEE_BPS));
      add(w.admin.address, feeOf(100n * PRICE, FEE_BPS));
      await check("a listing bought alongside");
      await cancel(w.alice, BID1);
      await check("cancel of 1");
      await w.connection.networkHelpers.time.increaseTo((await w.marketplace.getBid(b2)).expiry);
      await cancel(w.outsider, b2);
      await check("expired 2 cancelled by an outsider");
      expect(await ctx.usdc.balanceOf(ctx.market)).to.equal(0n);
      expect(await credits(ctx, ctx.market, A)).to.equal(400n);
      expect((await allBids(w)).map(({ bid }) => bid.remaining)).to.deep.equal([0n, 0n, 0n]);
      expect(await credits(ctx, w.alice.address, A)).to.equal(350n);
      expect(await credits(ctx, w.bob.address, D)).to.equal(300n);
      expect(await credits(ctx, w.bob.address, F)).to.equal(49n);
      expect(await credits(ctx, w.alice.address, B)).to.equal(33n);
    });
  });

  // ------------------------------------------------------------------ views

  describe("views", function () {
    it("credit() and registry() are the suite's credit token and registry", async function () {
      const ctx = await load(withBatches);
      expect(await ctx.w.marketplace.credit()).to.equal(ctx.credit);
      expect(await ctx.w.marketplace.registry()).to.equal(await ctx.w.registry.getAddress());
      expect(await ctx.w.marketplace.credit()).to.equal(await ctx.w.retirement.credit());
    });

    it("getBid reverts MarketplaceUnknownBid for id 0 and ids past the count", async function () {
      const ctx = await load(withBid);
      for (const bidId of [0n, 2n, MaxUint256]) {
        await expect(ctx.w.marketplace.getBid(bidId))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownBid")
          .withArgs(bidId);
      }
      expect((await ctx.w.marketplace.getBid(BID1)).bidder).to.equal(ctx.w.alice.address);
    });

    it("bidMismatch reverts MarketplaceUnknownBid for an unknown bid and CarbonRegistryUnknownBatch for an unknown batch", async function () {
      const ctx = await load(withBid);
      for (const bidId of [0n, 2n]) {
        await expect(ctx.w.marketplace.bidMismatch(bidId, A))
          .to.be.revertedWithCustomError(ctx.w.marketplace, "MarketplaceUnknownBid")
          .withArgs(bidId);
      }
      for (const batchId of [0n, 7n]) {
        await expect(ctx.w.marketplace.bidMismatch(BID1, batchId))
          .to.be.revertedWithCustomError(ctx.w.registry, "CarbonRegistryUnknownBatch")
          .withArgs(batchId);
      }
    });

    it("bidMismatch still answers for a closed or expired bid", async function () {
      const ctx = await load(withBid);
      const { w } = ctx;
      await (await w.marketplace.connect(w.alice).cancelBid(BID1)).wait();
      await w.connection.networkHelpers.time.increaseTo(ctx.expiry + DAY);
      expect(await w.marketplace.bidMismatch(BID1, A)).to.equal(Mismatch.None);
      expect(await w.marketplace.bidMismatch(BID1, B)).to.equal(Mismatch.Category);
    });
  });
});
