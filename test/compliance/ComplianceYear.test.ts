import { expect } from "chai";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id } from "ethers";

import type { ERC20Mock } from "../../typechain-types/index.js";
import {
  DAY,
  PERIOD,
  Status,
  TONNE,
  attest,
  latest,
  openPeriod,
  registerInstallation,
  timeTo,
} from "../helpers/compliance.js";
import { approvedProject, deployWorld, issue, type World } from "../helpers/fixtures.js";

/**
 * A whole compliance year, end to end, with three installations and an auction with a tie at the clearing price:
 * - A (steelworks) is compliant with banking: it covers 5,000 t with 1,000 banked 2025 allowances and 4,000 of 2026.
 * - B (cement) uses offsets up to the limit: 4,500 allowances and 500 t of credits (10% of 5,000 t).
 * - C (power plant) is short by 1,750 t: it owes a penalty of 100 tokens a tonne and a make-good in 2027.
 * The auction sells 1,000 t: 600 t bid at 30, 300 t (A) and 500 t (C) at 25, 400 t at 20; it clears at 25 with the
 * 25 level (800 t) filled 400 t pro rata: A 150 t, C 250 t.
 */
describe("A compliance year: allocation, auction, verified emissions, surrender, settlement", function () {
  const BANKED_PERIOD = PERIOD - 1n; // 2025
  const NEXT_PERIOD = PERIOD + 1n; // 2027
  const PRICE_UNIT = 1_000n; // prices are per kg: 1 token (6 decimals) a tonne = 1,000 base units / 1,000 kg
  const PENALTY_PER_TONNE = 100_000_000n; // 100 tokens (6 decimals) a tonne
  const EMISSIONS = 5_000n * TONNE;

  let w: World;
  let usdc: ERC20Mock;
  let a: HardhatEthersSigner;
  let b: HardhatEthersSigner;
  let c: HardhatEthersSigner;
  let bidder: HardhatEthersSigner;
  let A: bigint, B: bigint, C: bigint;
  let entityOf: Map<bigint, string>;
  let deadlines: { reportingDeadline: bigint; surrenderDeadline: bigint };
  let batchId: bigint;

  /** Allowance supply of `period` equals allocated + auctioned − burned (the period's invariant). */
  async function expectSupplyInvariant(period: bigint) {
    const p = await w.compliance.getPeriod(period);
    expect(await w.allowance.totalSupply(period)).to.equal(p.allocated + p.auctioned - p.burned);
  }

  before(async function () {
    w = await deployWorld();
    const signers = await w.ethers.getSigners();
    [a, b, c, bidder] = [signers[11], signers[12], signers[13], signers[14]];
    usdc = await w.ethers.deployContract("ERC20Mock");
    for (const account of [a, b, c, bidder]) {
      await (await usdc.mint(account.address, 1_000_000_000_000n)).wait();
    }
  });

  it("the regulator opens 2025, 2026 and 2027, registers three installations and allocates within the caps", async function () {
    // 2025 closes first (it only provides A's banked allowances); 2027 receives C's make-good.
    await openPeriod(w, BANKED_PERIOD, {}, 10n * DAY);
    deadlines = await openPeriod(
      w,
      PERIOD,
      { penaltyPerTonne: PENALTY_PER_TONNE, penaltyToken: await usdc.getAddress() },
      60n * DAY,
    );
    await openPeriod(w, NEXT_PERIOD, {}, 400n * DAY);
    A = (await registerInstallation(w, a, "DE")).installationId;
    B = (await registerInstallation(w, b, "PL")).installationId;
    C = (await registerInstallation(w, c, "CZ")).installationId;
    entityOf = new Map([A, B, C].map((i) => [i, ""]));
    for (const i of [A, B, C]) entityOf.set(i, await w.compliance.entityOf(i));

    const regulator = w.compliance.connect(w.regulator);
    await (await regulator.allocate(BANKED_PERIOD, A, 1_000n * TONNE)).wait();
    await expect(regulator.allocateMany(PERIOD, [A, B, C], [4_000n * TONNE, 4_000n * TONNE, 3_000n * TONNE]))
      .to.emit(w.compliance, "Allocated")
      .withArgs(PERIOD, C, c.address, 3_000n * TONNE);
    // The cap is 100,000 t, 20,000 t of it for auctions: 69,000 t of free allocation are left, not one kg more.
    await expect(regulator.allocate(PERIOD, A, 69_000n * TONNE + 1n))
      .to.be.revertedWithCustomError(w.compliance, "ComplianceCapExceeded")
      .withArgs(PERIOD, 69_000n * TONNE + 1n, 69_000n * TONNE);
    expect(await w.allowance.balanceOf(a.address, BANKED_PERIOD)).to.equal(1_000n * TONNE);
    expect(await w.allowance.balanceOf(b.address, PERIOD)).to.equal(4_000n * TONNE);
    await expectSupplyInvariant(BANKED_PERIOD);
    await expectSupplyInvariant(PERIOD);
  });

  it("an auction of 1,000 t clears at 25 with the tied 25 level filled pro rata", async function () {
    const start = await latest(w);
    const auction = w.auction;
    await (
      await auction
        .connect(w.regulator)
        .openAuction(
          PERIOD,
          1_000n * TONNE,
          10n * PRICE_UNIT,
          await usdc.getAddress(),
          start,
          start + DAY,
          start + 2n * DAY,
        )
    ).wait();
    const auctionId = 1n;
    const bids: [HardhatEthersSigner, bigint, bigint][] = [
      [b, 30n * PRICE_UNIT, 600n * TONNE],
      [a, 25n * PRICE_UNIT, 300n * TONNE],
      [c, 25n * PRICE_UNIT, 500n * TONNE],
      [bidder, 20n * PRICE_UNIT, 400n * TONNE],
    ];
    for (const [who, price, quantity] of bids) {
      const deposit = price * quantity;
      await (await usdc.connect(who).approve(await auction.getAddress(), deposit)).wait();
      const commitment = await auction.commitmentOf(auctionId, who.address, price, quantity, id(`salt ${who.address}`));
      await (await auction.connect(who).commitBid(auctionId, commitment, deposit)).wait();
    }
    await timeTo(w, start + DAY);
    for (const [index, [who, price, quantity]] of bids.entries()) {
      await (
        await auction.connect(who).revealBid(BigInt(index + 1), price, quantity, id(`salt ${who.address}`), 0n)
      ).wait();
    }
    await timeTo(w, start + 2n * DAY);
    await expect(auction.connect(w.outsider).settle(auctionId, 10n))
      .to.emit(auction, "AuctionSettled")
      .withArgs(auctionId, 25n * PRICE_UNIT, 1_000n * TONNE, 800n * TONNE, 400n * TONNE);

    const treasuryBefore = await usdc.balanceOf(w.admin.address);
    await (await auction.connect(w.outsider).claimMany([1n, 2n, 3n, 4n])).wait();
    // Free allocation plus what each won: B 600 t, A floor(300 × 400 / 800) = 150 t, C 250 t, the 20 bid nothing.
    const expected: [HardhatEthersSigner, bigint][] = [
      [b, (4_000n + 600n) * TONNE],
      [a, (4_000n + 150n) * TONNE],
      [c, (3_000n + 250n) * TONNE],
      [bidder, 0n],
    ];
    for (const [who, balance] of expected) {
      expect(await w.allowance.balanceOf(who.address, PERIOD), who.address).to.equal(balance);
    }
    // The 20 bidder is refunded its whole deposit.
    expect(await usdc.balanceOf(bidder.address)).to.equal(1_000_000_000_000n);
    // Everyone paid the clearing price: 1,000 t at 25 tokens a tonne went to the treasury; the rest was refunded.
    expect((await usdc.balanceOf(w.admin.address)) - treasuryBefore).to.equal(1_000n * TONNE * 25n * PRICE_UNIT);
    expect(await usdc.balanceOf(await auction.getAddress())).to.equal(0n);
    const period = await w.compliance.getPeriod(PERIOD);
    expect([period.auctioned, period.auctionReserved]).to.deep.equal([1_000n * TONNE, 0n]);
    await expectSupplyInvariant(PERIOD);
  });

  it("verifiers attest 5,000 t for each installation; until reporting closes every status is pending", async function () {
    for (const i of [A, B, C]) {
      expect(await w.compliance.statusOf(i, PERIOD)).to.equal(Status.NoData);
      await attest(w, entityOf.get(i)!, EMISSIONS);
      expect(await w.compliance.statusOf(i, PERIOD)).to.equal(Status.Pending);
    }
    // An operator cannot attest its own installation.
    await (await w.ledger.connect(w.regulator).accreditVerifier(a.address, 1)).wait();
    await (await w.manager.connect(w.admin).grantRole(2n, a.address, 0)).wait(); // VERIFIER
    await expect(w.ledger.connect(a).correct(entityOf.get(A)!, PERIOD, 1n, id("e"), id("r"), ""))
      .to.be.revertedWithCustomError(w.ledger, "LedgerSelfAttestation")
      .withArgs(entityOf.get(A)!, a.address);
    // Surrender waits for final emissions.
    await expect(w.compliance.connect(a).surrenderAllowances(A, PERIOD, [PERIOD], [TONNE]))
      .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderNotOpen")
      .withArgs(PERIOD, deadlines.reportingDeadline);
  });

  it("A surrenders banked 2025 allowances and 2026 ones and becomes compliant", async function () {
    await timeTo(w, deadlines.reportingDeadline);
    await expect(
      w.compliance.connect(a).surrenderAllowances(A, PERIOD, [BANKED_PERIOD, PERIOD], [1_000n * TONNE, 4_000n * TONNE]),
    )
      .to.emit(w.compliance, "AllowancesSurrendered")
      .withArgs(A, PERIOD, BANKED_PERIOD, 1_000n * TONNE);
    expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Compliant);
    // The 150 t bought at auction are left over; 2027 allowances cannot pay for 2026.
    await expect(w.compliance.connect(a).surrenderAllowances(A, PERIOD, [NEXT_PERIOD], [1n]))
      .to.be.revertedWithCustomError(w.compliance, "ComplianceFutureAllowances")
      .withArgs(PERIOD, NEXT_PERIOD);
    await expectSupplyInvariant(BANKED_PERIOD);
    await expectSupplyInvariant(PERIOD);
  });

  it("B covers 10% with credits (exactly the offset limit) and the rest with allowances", async function () {
    const projectId = await approvedProject(w);
    batchId = await issue(w, projectId, 2_000n * TONNE, 1n);
    await (
      await w.credit
        .connect(w.proponent)
        .safeTransferFrom(w.proponent.address, b.address, batchId, 1_000n * TONNE, "0x")
    ).wait();
    await (await w.credit.connect(b).setApprovalForAll(await w.compliance.getAddress(), true)).wait();
    expect(await w.compliance.offsetLimitOf(B, PERIOD)).to.equal(500n * TONNE);
    await expect(w.compliance.connect(b).surrenderOffsets(B, PERIOD, [batchId], [500n * TONNE + 1n]))
      .to.be.revertedWithCustomError(w.compliance, "ComplianceOffsetLimitExceeded")
      .withArgs(B, PERIOD, 500n * TONNE, 500n * TONNE + 1n);
    await expect(w.compliance.connect(b).surrenderOffsets(B, PERIOD, [batchId], [500n * TONNE]))
      .to.emit(w.compliance, "OffsetsSurrendered")
      .withArgs(B, PERIOD, batchId, 500n * TONNE, 1n);
    // The credits are retired for B's operator with a compliance claim.
    expect(await w.credit.retiredBalanceOf(b.address, batchId)).to.equal(500n * TONNE);
    expect((await w.retirement.getRetirement(1n)).claimType).to.equal(2n);
    expect(await w.compliance.statusOf(B, PERIOD)).to.equal(Status.Pending);
    await (await w.compliance.connect(b).surrenderAllowances(B, PERIOD, [PERIOD], [4_500n * TONNE])).wait();
    expect(await w.compliance.statusOf(B, PERIOD)).to.equal(Status.Compliant);
    await expectSupplyInvariant(PERIOD);
  });

  it("C surrenders all it has (3,250 t) and stays pending; after the deadline it can no longer surrender", async function () {
    await (await w.compliance.connect(c).surrenderAllowances(C, PERIOD, [PERIOD], [3_250n * TONNE])).wait();
    expect(await w.compliance.statusOf(C, PERIOD)).to.equal(Status.Pending);
    await timeTo(w, deadlines.surrenderDeadline);
    await expect(w.compliance.connect(c).surrenderAllowances(C, PERIOD, [PERIOD], [1n]))
      .to.be.revertedWithCustomError(w.compliance, "ComplianceSurrenderClosed")
      .withArgs(PERIOD, deadlines.surrenderDeadline);
  });

  it("the regulator settles: A and B compliant; C non-compliant with a penalty and a make-good in 2027", async function () {
    const regulator = w.compliance.connect(w.regulator);
    await expect(regulator.settle(A, PERIOD))
      .to.emit(w.compliance, "Settled")
      .withArgs(A, PERIOD, Status.Compliant, EMISSIONS, EMISSIONS, 0n, 0n, 0n);
    await (await regulator.settle(B, PERIOD)).wait();
    const shortfall = 1_750n * TONNE;
    const penalty = 1_750n * PENALTY_PER_TONNE;
    await expect(regulator.settle(C, PERIOD))
      .to.emit(w.compliance, "Settled")
      .withArgs(C, PERIOD, Status.NonCompliant, EMISSIONS, 3_250n * TONNE, shortfall, penalty, NEXT_PERIOD);
    await expect(regulator.settle(C, PERIOD))
      .to.be.revertedWithCustomError(w.compliance, "ComplianceAlreadySettled")
      .withArgs(C, PERIOD);
    expect(await w.compliance.statusOf(A, PERIOD)).to.equal(Status.Compliant);
    expect(await w.compliance.statusOf(B, PERIOD)).to.equal(Status.Compliant);
    expect(await w.compliance.statusOf(C, PERIOD)).to.equal(Status.NonCompliant);
    expect((await w.compliance.accountOf(C, PERIOD)).penaltyOwed).to.equal(penalty);
    const [, obligation] = await w.compliance.obligationOf(C, NEXT_PERIOD);
    expect(obligation).to.equal(shortfall);
  });

  it("C pays its penalty to the treasury on chain", async function () {
    const penalty = 1_750n * PENALTY_PER_TONNE;
    await (await usdc.connect(c).approve(await w.compliance.getAddress(), penalty)).wait();
    const before = await usdc.balanceOf(w.admin.address);
    await expect(w.compliance.connect(c).payPenalty(C, PERIOD))
      .to.emit(w.compliance, "PenaltyPaid")
      .withArgs(C, PERIOD, c.address, await usdc.getAddress(), penalty);
    expect((await usdc.balanceOf(w.admin.address)) - before).to.equal(penalty);
    await expect(w.compliance.connect(c).payPenalty(C, PERIOD))
      .to.be.revertedWithCustomError(w.compliance, "ComplianceNoPenaltyDue")
      .withArgs(C, PERIOD);
  });
});
