import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { AbiCoder, ZeroAddress, ZeroHash, id, type ContractTransactionResponse, type LogDescription } from "ethers";

import { selector } from "../../scripts/lib/suite.js";
import type { RetirerMock } from "../../typechain-types/index.js";
import {
  Adjustment,
  Authorisation,
  approvedProject,
  code,
  deployWorld,
  issue,
  type World,
} from "../helpers/fixtures.js";
import {
  ClaimType,
  byBatch,
  byBeneficiary,
  byRetiree,
  encodeRequest,
  request,
  retiredEvents,
  walk,
  type RetirementRequest,
} from "../helpers/retirement.js";

// Batch 1: 10,000 units with serials 1,001 to 11,000 (unit u is serial 1,001 + u); 8,000 to the proponent.
const QUANTITY_1 = 10_000n;
const SERIAL_1 = 1_001n;
const TO_PROPONENT_1 = 8_000n;
// Batch 2: 5,000 units with serials 50,001 to 55,000; 4,000 to the proponent.
const QUANTITY_2 = 5_000n;
const SERIAL_2 = 50_001n;
const TO_PROPONENT_2 = 4_000n;
const REASON = id("reason");
const PERIOD = 2024n;
const COMMITMENT = id("acme-holdings-ltd:salt-42");

interface Ctx {
  w: World;
  b1: bigint;
  b2: bigint;
  retirementAddress: string;
  creditAddress: string;
}

/** A fresh suite with project 1 approved and batches 1 and 2 issued to the proponent. */
async function twoBatches(): Promise<Ctx> {
  const w = await deployWorld();
  const projectId = await approvedProject(w);
  const b1 = await issue(w, projectId, QUANTITY_1, SERIAL_1);
  const b2 = await issue(w, projectId, QUANTITY_2, SERIAL_2);
  return {
    w,
    b1,
    b2,
    retirementAddress: await w.retirement.getAddress(),
    creditAddress: await w.credit.getAddress(),
  };
}

/** Everything a failed retirement must leave untouched. */
async function state(ctx: Ctx) {
  const { w, b1, b2, retirementAddress } = ctx;
  const accounts = [w.proponent.address, w.alice.address, w.bob.address, retirementAddress];
  const balances = await w.credit.balanceOfBatch(
    accounts.flatMap((a) => [a, a]),
    accounts.flatMap(() => [b1, b2]),
  );
  const retired: bigint[] = [];
  for (const account of accounts) {
    retired.push(await w.credit.retiredBalanceOf(account, b1), await w.credit.retiredBalanceOf(account, b2));
  }
  return {
    count: await w.retirement.retirementCount(),
    balances: [...balances],
    retired,
    supplyRetired: [(await w.credit.supplyOf(b1)).retired, (await w.credit.supplyOf(b2)).retired],
    totals: [
      await w.retirement.totalRetiredFor(w.proponent.address),
      await w.retirement.totalRetiredFor(w.alice.address),
    ],
    certificates: [
      await w.retirement.certificatesOf(w.alice.address),
      await w.retirement.certificatesOf(w.proponent.address),
    ],
  };
}

/** The record of `retirementId` as a plain object. */
async function record(w: World, retirementId: bigint) {
  const r = await w.retirement.getRetirement(retirementId);
  return {
    beneficiary: r.beneficiary,
    batchId: r.batchId,
    firstUnit: r.firstUnit,
    retiree: r.retiree,
    amount: r.amount,
    claimType: r.claimType,
    prevOfBeneficiary: r.prevOfBeneficiary,
    prevOfRetiree: r.prevOfRetiree,
    prevOfBatch: r.prevOfBatch,
    certified: r.certified,
  };
}

/** A `Retired` event of the registry as a plain object (details included). */
function retiredFields(event: LogDescription) {
  return event.args.toObject(true);
}

async function receiptOf(tx: Promise<ContractTransactionResponse>) {
  return (await (await tx).wait())!;
}

describe("RetirementRegistry", function () {
  describe("retire one batch", function () {
    it("moves the retiree's tradable units to the beneficiary's retired balance", async function () {
      const { w, b1 } = await twoBatches();
      await w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [1_250n], beneficiary: w.alice.address }));
      expect(await w.credit.balanceOf(w.proponent.address, b1)).to.equal(TO_PROPONENT_1 - 1_250n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(1_250n);
      expect(await w.credit.retiredBalanceOf(w.proponent.address, b1)).to.equal(0n);
      expect(await w.credit.balanceOf(w.alice.address, b1)).to.equal(0n);
      const supply = await w.credit.supplyOf(b1);
      expect([supply.issued, supply.retired, supply.cancelled]).to.deep.equal([QUANTITY_1, 1_250n, 0n]);
      expect(await w.retirement.retirementCount()).to.equal(1n);
      expect(await w.retirement.totalRetiredFor(w.alice.address)).to.equal(1_250n);
      expect(await w.retirement.totalRetiredFor(w.proponent.address)).to.equal(0n);
    });

    it("stores a record with the beneficiary, batch, unit range, retiree, claim and certification", async function () {
      const { w, b1 } = await twoBatches();
      await w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [1_250n], beneficiary: w.alice.address }));
      expect(await record(w, 1n)).to.deep.equal({
        beneficiary: w.alice.address,
        batchId: b1,
        firstUnit: 0n,
        retiree: w.proponent.address,
        amount: 1_250n,
        claimType: BigInt(ClaimType.VoluntaryOffset),
        prevOfBeneficiary: 0n,
        prevOfRetiree: 0n,
        prevOfBatch: 0n,
        certified: true,
      });
      expect(await w.retirement.serialRangeOf(1n)).to.deep.equal([SERIAL_1, SERIAL_1 + 1_249n]);
    });

    it("links each record to the previous one of its beneficiary, retiree and batch", async function () {
      const { w, b1, b2 } = await twoBatches();
      const retire = (beneficiary: string, batchId: bigint, amount: bigint) =>
        w.retirement.connect(w.proponent).retire(request({ ids: [batchId], amounts: [amount], beneficiary }));
      await retire(w.alice.address, b1, 10n); // 1
      await retire(w.bob.address, b1, 20n); // 2
      await retire(w.alice.address, b2, 30n); // 3
      const pointers = async (rid: bigint) => {
        const r = await record(w, rid);
        return [r.prevOfBeneficiary, r.prevOfRetiree, r.prevOfBatch];
      };
      expect(await pointers(1n)).to.deep.equal([0n, 0n, 0n]);
      expect(await pointers(2n)).to.deep.equal([0n, 1n, 1n]);
      expect(await pointers(3n)).to.deep.equal([1n, 2n, 0n]);
    });

    it("emits Retired with every field, including the claim details, and RetiredBy", async function () {
      const { w, b1 } = await twoBatches();
      const req = request({
        ids: [b1],
        amounts: [700n],
        beneficiary: w.alice.address,
        beneficiaryName: "Alice & Co",
        claimType: ClaimType.Neutrality,
        claimEntity: w.bob.address,
        claimPeriod: PERIOD,
        consumptionJurisdiction: code("DE"),
        consumptionStart: 1_704_067_200n,
        consumptionEnd: 1_735_689_599n,
        reason: "Scope 1 and 2 emissions of 2024",
      });
      await w.retirement.connect(w.bob).setClaimAuthorisation(w.proponent.address, true); // bob consents
      const tx = w.retirement.connect(w.proponent).retire(req);
      await expect(tx)
        .to.emit(w.retirement, "Retired")
        .withArgs(1n, b1, w.alice.address, w.proponent.address, 700n, 0n, 699n, ClaimType.Neutrality, true, anyValue);
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(w.proponent.address, 1n, b1);
      const events = await retiredEvents(w, await receiptOf(tx));
      expect(events).to.have.length(1);
      expect(retiredFields(events[0])).to.deep.equal({
        retirementId: 1n,
        batchId: b1,
        beneficiary: w.alice.address,
        retiree: w.proponent.address,
        amount: 700n,
        firstUnit: 0n,
        lastUnit: 699n,
        claimType: BigInt(ClaimType.Neutrality),
        certified: true,
        details: {
          claimEntity: w.bob.address,
          claimPeriod: PERIOD,
          beneficiaryName: "Alice & Co",
          beneficiaryCommitment: ZeroHash,
          consumptionJurisdiction: code("DE"),
          consumptionStart: 1_704_067_200n,
          consumptionEnd: 1_735_689_599n,
          reason: "Scope 1 and 2 emissions of 2024",
          authorisation: BigInt(Authorisation.None),
          adjustment: BigInt(Adjustment.NotApplicable),
        },
      });
    });

    it("burns through the credit token: TransferSingle to address(0) and the token's UnitsRetired", async function () {
      const { w, b1, retirementAddress } = await twoBatches();
      const tx = w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [700n], beneficiary: w.alice.address }));
      await expect(tx)
        .to.emit(w.credit, "TransferSingle")
        .withArgs(retirementAddress, w.proponent.address, ZeroAddress, b1, 700n);
      await expect(tx)
        .to.emit(w.credit, "UnitsRetired")
        .withArgs(b1, w.proponent.address, w.alice.address, 700n, 0n, retirementAddress);
    });

    it("emits the token's burn, the registry's events, then the certificate's, in that order", async function () {
      const { w, b1, retirementAddress, creditAddress } = await twoBatches();
      const receipt = await receiptOf(
        w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [5n], beneficiary: w.alice.address })),
      );
      const certificateAddress = await w.certificate.getAddress();
      const names = receipt.logs.map((log) => {
        if (log.address === creditAddress) return `credit.${w.credit.interface.parseLog(log)!.name}`;
        if (log.address === retirementAddress) return `retirement.${w.retirement.interface.parseLog(log)!.name}`;
        if (log.address === certificateAddress) return `certificate.${w.certificate.interface.parseLog(log)!.name}`;
        return log.address;
      });
      expect(names).to.deep.equal([
        "credit.TransferSingle",
        "credit.UnitsRetired",
        "retirement.Retired",
        "retirement.RetiredBy",
        "certificate.Transfer",
        "certificate.Locked",
      ]);
    });

    it("returns the id of the first retirement", async function () {
      const { w, b1, b2 } = await twoBatches();
      const retire = w.retirement.connect(w.proponent).retire;
      expect(await retire.staticCall(request({ ids: [b1], amounts: [1n] }))).to.equal(1n);
      await retire(request({ ids: [b1, b2], amounts: [1n, 1n] }));
      expect(await retire.staticCall(request({ ids: [b2], amounts: [1n] }))).to.equal(3n);
    });

    it("retires for the retiree when the beneficiary is zero", async function () {
      const { w, b1 } = await twoBatches();
      await expect(w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [40n] })))
        .to.emit(w.retirement, "Retired")
        .withArgs(1n, b1, w.proponent.address, w.proponent.address, 40n, 0n, 39n, 0n, true, anyValue);
      const r = await record(w, 1n);
      expect([r.beneficiary, r.retiree]).to.deep.equal([w.proponent.address, w.proponent.address]);
      expect(await w.credit.retiredBalanceOf(w.proponent.address, b1)).to.equal(40n);
      expect(await w.retirement.totalRetiredFor(w.proponent.address)).to.equal(40n);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.proponent.address);
    });

    it("mints a certificate to the beneficiary by default", async function () {
      const { w, b1 } = await twoBatches();
      const tx = w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [40n], beneficiary: w.alice.address }));
      await expect(tx).to.emit(w.certificate, "Transfer").withArgs(ZeroAddress, w.alice.address, 1n);
      await expect(tx).to.emit(w.certificate, "Locked").withArgs(1n);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.alice.address);
      expect(await w.certificate.balanceOf(w.alice.address)).to.equal(1n);
      expect(await w.certificate.balanceOf(w.proponent.address)).to.equal(0n);
    });

    it("mints no certificate with skipCertificate, and records it as not certified", async function () {
      const { w, b1 } = await twoBatches();
      const tx = w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [40n], beneficiary: w.alice.address, skipCertificate: true }));
      await expect(tx)
        .to.emit(w.retirement, "Retired")
        .withArgs(1n, b1, w.alice.address, w.proponent.address, 40n, 0n, 39n, 0n, false, anyValue);
      await expect(tx).to.not.emit(w.certificate, "Transfer");
      expect((await record(w, 1n)).certified).to.equal(false);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(40n);
      await expect(w.certificate.ownerOf(1n))
        .to.be.revertedWithCustomError(w.certificate, "ERC721NonexistentToken")
        .withArgs(1n);
      expect(await w.certificate.balanceOf(w.alice.address)).to.equal(0n);
    });

    it("counts the certified retirements of each beneficiary (certificatesOf)", async function () {
      const { w, b1, b2 } = await twoBatches();
      const retire = (overrides: Partial<RetirementRequest>) =>
        w.retirement.connect(w.proponent).retire(request({ beneficiary: w.alice.address, ...overrides }));
      await retire({ ids: [b1, b2], amounts: [1n, 1n] });
      await retire({ ids: [b1], amounts: [1n], skipCertificate: true });
      await retire({ ids: [b2], amounts: [1n], beneficiary: ZeroAddress });
      expect(await w.retirement.certificatesOf(w.alice.address)).to.equal(2n);
      expect(await w.retirement.certificatesOf(w.proponent.address)).to.equal(1n);
      expect(await w.retirement.certificatesOf(w.bob.address)).to.equal(0n);
      expect(await w.certificate.balanceOf(w.alice.address)).to.equal(2n);
    });
  });

  describe("several batches and unit ranges", function () {
    it("retires several batches in one call, one record each with sequential ids", async function () {
      const { w, b1, b2 } = await twoBatches();
      const tx = w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1, b2], amounts: [300n, 700n], beneficiary: w.alice.address }));
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(w.proponent.address, 1n, b1);
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(w.proponent.address, 2n, b2);
      const events = await retiredEvents(w, await receiptOf(tx));
      expect(events.map((e) => [e.args.retirementId, e.args.batchId, e.args.amount])).to.deep.equal([
        [1n, b1, 300n],
        [2n, b2, 700n],
      ]);
      expect(await w.retirement.retirementCount()).to.equal(2n);
      const [r1, r2] = [await record(w, 1n), await record(w, 2n)];
      expect([r1.batchId, r1.amount, r1.firstUnit]).to.deep.equal([b1, 300n, 0n]);
      expect([r2.batchId, r2.amount, r2.firstUnit]).to.deep.equal([b2, 700n, 0n]);
      expect(r2.prevOfBeneficiary).to.equal(1n);
      expect(await w.retirement.totalRetiredFor(w.alice.address)).to.equal(1_000n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(300n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b2)).to.equal(700n);
      expect(await w.credit.balanceOfBatch([w.proponent.address, w.proponent.address], [b1, b2])).to.deep.equal([
        TO_PROPONENT_1 - 300n,
        TO_PROPONENT_2 - 700n,
      ]);
      expect([await w.certificate.ownerOf(1n), await w.certificate.ownerOf(2n)]).to.deep.equal([
        w.alice.address,
        w.alice.address,
      ]);
    });

    it("gives successive retirements of a batch contiguous, disjoint unit ranges from 0", async function () {
      const { w, b1 } = await twoBatches();
      const amounts = [100n, 250n, 1n, 649n];
      const expected: [bigint, bigint][] = [
        [0n, 99n],
        [100n, 349n],
        [350n, 350n],
        [351n, 999n],
      ];
      for (let i = 0; i < amounts.length; ++i) {
        const beneficiary = i % 2 === 0 ? w.alice.address : w.bob.address;
        await expect(
          w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [amounts[i]], beneficiary })),
        )
          .to.emit(w.retirement, "Retired")
          .withArgs(
            BigInt(i + 1),
            b1,
            beneficiary,
            w.proponent.address,
            amounts[i],
            ...expected[i],
            0n,
            true,
            anyValue,
          );
        expect((await record(w, BigInt(i + 1))).firstUnit).to.equal(expected[i][0]);
        expect(await w.retirement.serialRangeOf(BigInt(i + 1))).to.deep.equal([
          SERIAL_1 + expected[i][0],
          SERIAL_1 + expected[i][1],
        ]);
      }
    });

    it("maps a unit range onto its own batch's serials", async function () {
      const { w, b1, b2 } = await twoBatches();
      await w.retirement.connect(w.proponent).retire(request({ ids: [b2], amounts: [40n] }));
      await w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [7n] }));
      await w.retirement.connect(w.proponent).retire(request({ ids: [b2], amounts: [3_960n] }));
      expect(await w.retirement.serialRangeOf(1n)).to.deep.equal([SERIAL_2, SERIAL_2 + 39n]);
      expect(await w.retirement.serialRangeOf(2n)).to.deep.equal([SERIAL_1, SERIAL_1 + 6n]);
      // The proponent's whole share of batch 2: up to unit 3,999.
      expect(await w.retirement.serialRangeOf(3n)).to.deep.equal([SERIAL_2 + 40n, SERIAL_2 + 3_999n]);
    });

    it("continues each batch's unit range in a request spanning several batches", async function () {
      const { w, b1, b2 } = await twoBatches();
      await w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [100n] }));
      await w.retirement.connect(w.proponent).retire(request({ ids: [b2], amounts: [5n] }));
      const tx = w.retirement.connect(w.proponent).retire(request({ ids: [b1, b2], amounts: [200n, 300n] }));
      const events = await retiredEvents(w, await receiptOf(tx));
      expect(events.map((e) => [e.args.retirementId, e.args.batchId, e.args.firstUnit, e.args.lastUnit])).to.deep.equal(
        [
          [3n, b1, 100n, 299n],
          [4n, b2, 5n, 304n],
        ],
      );
      expect(await w.retirement.serialRangeOf(3n)).to.deep.equal([SERIAL_1 + 100n, SERIAL_1 + 299n]);
      expect(await w.retirement.serialRangeOf(4n)).to.deep.equal([SERIAL_2 + 5n, SERIAL_2 + 304n]);
    });

    it("records the same batch twice in one request as two adjacent ranges", async function () {
      const { w, b1 } = await twoBatches();
      await w.retirement.connect(w.proponent).retire(request({ ids: [b1, b1], amounts: [10n, 20n] }));
      const [r1, r2] = [await record(w, 1n), await record(w, 2n)];
      expect([r1.firstUnit, r1.amount, r2.firstUnit, r2.amount]).to.deep.equal([0n, 10n, 10n, 20n]);
      expect(r2.prevOfBatch).to.equal(1n);
      expect((await w.credit.supplyOf(b1)).retired).to.equal(30n);
    });
  });

  describe("retireFrom", function () {
    it("lets an approved operator retire the holder's credits, the holder recorded as retiree", async function () {
      const { w, b1, retirementAddress } = await twoBatches();
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      const tx = w.retirement
        .connect(w.bob)
        .retireFrom(w.proponent.address, request({ ids: [b1], amounts: [500n], beneficiary: w.alice.address }));
      await expect(tx)
        .to.emit(w.retirement, "Retired")
        .withArgs(1n, b1, w.alice.address, w.proponent.address, 500n, 0n, 499n, 0n, true, anyValue);
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(w.proponent.address, 1n, b1);
      await expect(tx)
        .to.emit(w.credit, "UnitsRetired")
        .withArgs(b1, w.proponent.address, w.alice.address, 500n, 0n, retirementAddress);
      expect((await record(w, 1n)).retiree).to.equal(w.proponent.address);
      expect(await w.credit.balanceOf(w.proponent.address, b1)).to.equal(TO_PROPONENT_1 - 500n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(500n);
      const [byBob] = await w.retirement.retirementsByRetiree(w.bob.address, 0n, 10n);
      expect([...byBob]).to.deep.equal([]);
    });

    it("retires for the holder when the beneficiary is zero", async function () {
      const { w, b1 } = await twoBatches();
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.retirement.connect(w.bob).retireFrom(w.proponent.address, request({ ids: [b1], amounts: [5n] }));
      const r = await record(w, 1n);
      expect([r.beneficiary, r.retiree]).to.deep.equal([w.proponent.address, w.proponent.address]);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.proponent.address);
    });

    it("lets a holder retireFrom itself without approval", async function () {
      const { w, b1 } = await twoBatches();
      await w.retirement.connect(w.proponent).retireFrom(w.proponent.address, request({ ids: [b1], amounts: [5n] }));
      expect((await record(w, 1n)).retiree).to.equal(w.proponent.address);
    });

    it("reverts without approval with RetirementNotApproved(holder, operator)", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      const before = await state(ctx);
      await expect(w.retirement.connect(w.bob).retireFrom(w.proponent.address, request({ ids: [b1], amounts: [5n] })))
        .to.be.revertedWithCustomError(w.retirement, "RetirementNotApproved")
        .withArgs(w.proponent.address, w.bob.address);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts once the approval is revoked", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, false);
      const before = await state(ctx);
      await expect(w.retirement.connect(w.bob).retireFrom(w.proponent.address, request({ ids: [b1], amounts: [5n] })))
        .to.be.revertedWithCustomError(w.retirement, "RetirementNotApproved")
        .withArgs(w.proponent.address, w.bob.address);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts for a frozen operator with RetirementAccountFrozen", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.regulator).freeze(w.bob.address, REASON);
      const before = await state(ctx);
      await expect(w.retirement.connect(w.bob).retireFrom(w.proponent.address, request({ ids: [b1], amounts: [5n] })))
        .to.be.revertedWithCustomError(w.retirement, "RetirementAccountFrozen")
        .withArgs(w.bob.address);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("reverts for a frozen holder with the credit's CarbonCreditAccountFrozen", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      const before = await state(ctx);
      await expect(w.retirement.connect(w.bob).retireFrom(w.proponent.address, request({ ids: [b1], amounts: [5n] })))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.proponent.address);
      expect(await state(ctx)).to.deep.equal(before);
    });
  });

  describe("retire-on-transfer", function () {
    it("retires what a wallet sends with safeTransferFrom, the sender recorded as retiree", async function () {
      const { w, b1, retirementAddress } = await twoBatches();
      const data = encodeRequest(request({ beneficiary: w.alice.address, reason: "on transfer" }));
      const tx = w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, retirementAddress, b1, 600n, data);
      await expect(tx)
        .to.emit(w.retirement, "Retired")
        .withArgs(1n, b1, w.alice.address, w.proponent.address, 600n, 0n, 599n, 0n, true, anyValue);
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(w.proponent.address, 1n, b1);
      // The token sees the registry as the holder of the units it burns.
      await expect(tx)
        .to.emit(w.credit, "TransferSingle")
        .withArgs(w.proponent.address, w.proponent.address, retirementAddress, b1, 600n);
      await expect(tx)
        .to.emit(w.credit, "TransferSingle")
        .withArgs(retirementAddress, retirementAddress, ZeroAddress, b1, 600n);
      await expect(tx)
        .to.emit(w.credit, "UnitsRetired")
        .withArgs(b1, retirementAddress, w.alice.address, 600n, 0n, retirementAddress);
      const events = await retiredEvents(w, await receiptOf(tx));
      expect(events[0].args.details.reason).to.equal("on transfer");
      expect(await w.credit.balanceOf(w.proponent.address, b1)).to.equal(TO_PROPONENT_1 - 600n);
      expect(await w.credit.balanceOf(retirementAddress, b1)).to.equal(0n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(600n);
      expect((await record(w, 1n)).retiree).to.equal(w.proponent.address);
      expect(await w.certificate.ownerOf(1n)).to.equal(w.alice.address);
    });

    it("accepts a request whose ids and amounts equal the transfer", async function () {
      const { w, b1, retirementAddress } = await twoBatches();
      const data = encodeRequest(request({ ids: [b1], amounts: [600n] }));
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, retirementAddress, b1, 600n, data);
      const r = await record(w, 1n);
      expect([r.beneficiary, r.retiree, r.amount]).to.deep.equal([w.proponent.address, w.proponent.address, 600n]);
      expect(await w.credit.balanceOf(retirementAddress, b1)).to.equal(0n);
    });

    it("retires each id of a safeBatchTransferFrom", async function () {
      const { w, b1, b2, retirementAddress } = await twoBatches();
      const data = encodeRequest(request({ beneficiary: w.alice.address }));
      const tx = w.credit
        .connect(w.proponent)
        .safeBatchTransferFrom(w.proponent.address, retirementAddress, [b1, b2], [100n, 200n], data);
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(w.proponent.address, 1n, b1);
      await expect(tx).to.emit(w.retirement, "RetiredBy").withArgs(w.proponent.address, 2n, b2);
      expect(await w.retirement.retirementCount()).to.equal(2n);
      expect(await w.credit.balanceOfBatch([retirementAddress, retirementAddress], [b1, b2])).to.deep.equal([0n, 0n]);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(100n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b2)).to.equal(200n);
      expect(await w.retirement.totalRetiredFor(w.alice.address)).to.equal(300n);
    });

    it("refuses an empty safeBatchTransferFrom with RetirementEmptyRequest", async function () {
      const { w, retirementAddress } = await twoBatches();
      const data = encodeRequest(request({}));
      await expect(
        w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, retirementAddress, [], [], data),
      ).to.be.revertedWithCustomError(w.retirement, "RetirementEmptyRequest");
      expect(await w.retirement.retirementCount()).to.equal(0n);
    });

    it("accepts a batch request whose ids and amounts equal the transfer", async function () {
      const { w, b1, b2, retirementAddress } = await twoBatches();
      const data = encodeRequest(request({ ids: [b1, b2], amounts: [100n, 200n] }));
      await w.credit
        .connect(w.proponent)
        .safeBatchTransferFrom(w.proponent.address, retirementAddress, [b1, b2], [100n, 200n], data);
      expect(await w.retirement.retirementCount()).to.equal(2n);
    });

    it("records the holder, not the approved operator who sent its credits, as retiree", async function () {
      const { w, b1, retirementAddress } = await twoBatches();
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      const data = encodeRequest(request({ beneficiary: w.alice.address }));
      await w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, retirementAddress, b1, 50n, data);
      expect((await record(w, 1n)).retiree).to.equal(w.proponent.address);
      expect(await w.credit.balanceOf(w.proponent.address, b1)).to.equal(TO_PROPONENT_1 - 50n);
    });

    describe("from a contract wallet", function () {
      async function walletWorld(): Promise<Ctx & { wallet: RetirerMock; walletAddress: string }> {
        const ctx = await twoBatches();
        const wallet = (await ctx.w.ethers.deployContract("RetirerMock", [
          ctx.creditAddress,
          ctx.retirementAddress,
        ])) as unknown as RetirerMock;
        const walletAddress = await wallet.getAddress();
        await ctx.w.credit
          .connect(ctx.w.proponent)
          .safeBatchTransferFrom(ctx.w.proponent.address, walletAddress, [ctx.b1, ctx.b2], [1_000n, 1_000n], "0x");
        return { ...ctx, wallet, walletAddress };
      }

      it("retires on a single transfer", async function () {
        const { w, b1, wallet, walletAddress, retirementAddress } = await walletWorld();
        const data = encodeRequest(request({ beneficiary: w.alice.address }));
        await expect(wallet.transferToRegistry(b1, 400n, data))
          .to.emit(w.retirement, "Retired")
          .withArgs(1n, b1, w.alice.address, walletAddress, 400n, 0n, 399n, 0n, true, anyValue);
        expect(await w.credit.balanceOf(walletAddress, b1)).to.equal(600n);
        expect(await w.credit.balanceOf(retirementAddress, b1)).to.equal(0n);
        expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(400n);
      });

      it("retires on a batch transfer", async function () {
        const { w, b1, b2, wallet, walletAddress } = await walletWorld();
        const data = encodeRequest(request({ ids: [b2, b1], amounts: [20n, 10n] }));
        await wallet.batchTransferToRegistry([b2, b1], [20n, 10n], data);
        const [r1, r2] = [await record(w, 1n), await record(w, 2n)];
        expect([r1.batchId, r1.amount, r1.retiree, r1.beneficiary]).to.deep.equal([
          b2,
          20n,
          walletAddress,
          walletAddress,
        ]);
        expect([r2.batchId, r2.amount, r2.retiree, r2.beneficiary]).to.deep.equal([
          b1,
          10n,
          walletAddress,
          walletAddress,
        ]);
        expect(await w.credit.balanceOfBatch([walletAddress, walletAddress], [b1, b2])).to.deep.equal([990n, 980n]);
      });

      it("retires through retire(), receiving a certificate without an ERC-721 receiver hook", async function () {
        const { w, b1, wallet, walletAddress } = await walletWorld();
        await wallet.retire(request({ ids: [b1], amounts: [30n] }));
        expect(await record(w, 1n)).to.include({ beneficiary: walletAddress, retiree: walletAddress, amount: 30n });
        expect(await w.certificate.ownerOf(1n)).to.equal(walletAddress);
        expect(await w.credit.retiredBalanceOf(walletAddress, b1)).to.equal(30n);
      });

      it("refuses a mismatched transfer from a contract and leaves its credits", async function () {
        const { w, b1, wallet, walletAddress } = await walletWorld();
        const data = encodeRequest(request({ ids: [b1], amounts: [399n] }));
        await expect(wallet.transferToRegistry(b1, 400n, data)).to.be.revertedWithCustomError(
          w.retirement,
          "RetirementTransferMismatch",
        );
        expect(await w.credit.balanceOf(walletAddress, b1)).to.equal(1_000n);
        expect(await w.retirement.retirementCount()).to.equal(0n);
      });

      it("is harmless when the wallet retires from inside its own receipt hook", async function () {
        const { w, b1, wallet, walletAddress, retirementAddress } = await walletWorld();
        await wallet.retireOnReceipt(
          encodeRequest(request({ ids: [b1], amounts: [300n], beneficiary: w.alice.address })),
        );
        // The hook runs while the credit token is still inside the transfer that delivered the 300 units.
        const tx = w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, walletAddress, b1, 300n, "0x");
        await expect(tx).to.emit(wallet, "RetiredOnReceipt").withArgs(1n);
        await expect(tx)
          .to.emit(w.retirement, "Retired")
          .withArgs(1n, b1, w.alice.address, walletAddress, 300n, 0n, 299n, 0n, true, anyValue);
        expect(await wallet.requestOnReceipt()).to.equal("0x");
        expect(await w.credit.balanceOf(walletAddress, b1)).to.equal(1_000n);
        expect(await w.credit.balanceOf(retirementAddress, b1)).to.equal(0n);
        expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(300n);
        expect((await w.credit.supplyOf(b1)).retired).to.equal(300n);
      });

      it("undoes the delivering transfer when a retirement from the receipt hook fails", async function () {
        const { w, b1, wallet, walletAddress } = await walletWorld();
        await wallet.retireOnReceipt(encodeRequest(request({ ids: [b1], amounts: [1_301n] })));
        await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, walletAddress, b1, 300n, "0x"))
          .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
          .withArgs(walletAddress, 1_300n, 1_301n, b1);
        expect(await w.credit.balanceOf(walletAddress, b1)).to.equal(1_000n);
        expect(await w.credit.balanceOf(w.proponent.address, b1)).to.equal(TO_PROPONENT_1 - 1_000n);
        expect(await w.retirement.retirementCount()).to.equal(0n);
      });
    });

    describe("refused transfers keep the sender's credits", function () {
      async function expectRefused(
        ctx: Ctx,
        send: () => Promise<ContractTransactionResponse>,
        error: string,
        args?: unknown[],
      ) {
        const before = await state(ctx);
        const assertion = expect(send()).to.be.revertedWithCustomError(ctx.w.retirement, error);
        await (args ? assertion.withArgs(...args) : assertion);
        expect(await state(ctx)).to.deep.equal(before);
      }

      const single = (ctx: Ctx, amount: bigint, data: string, batchId = ctx.b1) =>
        ctx.w.credit
          .connect(ctx.w.proponent)
          .safeTransferFrom(ctx.w.proponent.address, ctx.retirementAddress, batchId, amount, data);
      const batch = (ctx: Ctx, ids: bigint[], amounts: bigint[], data: string) =>
        ctx.w.credit
          .connect(ctx.w.proponent)
          .safeBatchTransferFrom(ctx.w.proponent.address, ctx.retirementAddress, ids, amounts, data);

      it("refuses a request naming another batch with RetirementTransferMismatch", async function () {
        const ctx = await twoBatches();
        const data = encodeRequest(request({ ids: [ctx.b2], amounts: [600n] }));
        await expectRefused(ctx, () => single(ctx, 600n, data), "RetirementTransferMismatch");
      });

      it("refuses a request naming another amount with RetirementTransferMismatch", async function () {
        const ctx = await twoBatches();
        const data = encodeRequest(request({ ids: [ctx.b1], amounts: [599n] }));
        await expectRefused(ctx, () => single(ctx, 600n, data), "RetirementTransferMismatch");
      });

      it("refuses a request with ids but no amounts with RetirementTransferMismatch", async function () {
        const ctx = await twoBatches();
        const data = encodeRequest(request({ ids: [ctx.b1] }));
        await expectRefused(ctx, () => single(ctx, 600n, data), "RetirementTransferMismatch");
      });

      it("refuses a batch request in another order with RetirementTransferMismatch", async function () {
        const ctx = await twoBatches();
        const data = encodeRequest(request({ ids: [ctx.b2, ctx.b1], amounts: [200n, 100n] }));
        await expectRefused(ctx, () => batch(ctx, [ctx.b1, ctx.b2], [100n, 200n], data), "RetirementTransferMismatch");
      });

      it("refuses a batch request naming fewer ids with RetirementTransferMismatch", async function () {
        const ctx = await twoBatches();
        const data = encodeRequest(request({ ids: [ctx.b1], amounts: [100n] }));
        await expectRefused(ctx, () => batch(ctx, [ctx.b1, ctx.b2], [100n, 200n], data), "RetirementTransferMismatch");
      });

      it("refuses empty data with RetirementMalformedRequest", async function () {
        const ctx = await twoBatches();
        await expectRefused(ctx, () => single(ctx, 600n, "0x"), "RetirementMalformedRequest");
        await expectRefused(ctx, () => batch(ctx, [ctx.b1, ctx.b2], [1n, 1n], "0x"), "RetirementMalformedRequest");
      });

      it("refuses garbage data with RetirementMalformedRequest", async function () {
        const ctx = await twoBatches();
        await expectRefused(ctx, () => single(ctx, 600n, "0xdeadbeef"), "RetirementMalformedRequest");
        const oneWord = AbiCoder.defaultAbiCoder().encode(["uint256"], [ctx.b1]);
        await expectRefused(ctx, () => single(ctx, 600n, oneWord), "RetirementMalformedRequest");
        const truncated = encodeRequest(request({ reason: "cut short" })).slice(0, -64);
        await expectRefused(ctx, () => batch(ctx, [ctx.b1], [1n], truncated), "RetirementMalformedRequest");
      });

      it("refuses an out-of-range claim type with RetirementMalformedRequest", async function () {
        const ctx = await twoBatches();
        const valid = encodeRequest(request({ claimType: ClaimType.CORSIA }));
        // Word 6 of the tuple (after the 0x20 offset word) is the claim type: 4 becomes 5.
        const word = 2 + 64 * 6;
        expect(valid.slice(word, word + 64)).to.equal("0".repeat(63) + "4");
        const invalid = valid.slice(0, word) + "0".repeat(63) + "5" + valid.slice(word + 64);
        await expectRefused(ctx, () => single(ctx, 600n, invalid), "RetirementMalformedRequest");
      });

      it("refuses every transfer while paused with EnforcedPause", async function () {
        const ctx = await twoBatches();
        await ctx.w.retirement.connect(ctx.w.pauser).pause();
        const data = encodeRequest(request());
        await expectRefused(ctx, () => single(ctx, 600n, data), "EnforcedPause");
        await expectRefused(ctx, () => batch(ctx, [ctx.b1, ctx.b2], [1n, 1n], data), "EnforcedPause");
      });

      it("refuses a request breaking a claim rule", async function () {
        const ctx = await twoBatches();
        const data = encodeRequest(request({ claimType: ClaimType.NDC }));
        await expectRefused(ctx, () => single(ctx, 600n, data), "RetirementClaimNotAuthorised", [
          ctx.b1,
          ClaimType.NDC,
          Authorisation.None,
          Adjustment.NotApplicable,
        ]);
        const both = encodeRequest(request({ beneficiaryName: "Acme", beneficiaryCommitment: COMMITMENT }));
        await expectRefused(ctx, () => single(ctx, 600n, both), "RetirementNameAndCommitment");
      });

      it("refuses tokens of another ERC-1155 with RetirementUnexpectedToken", async function () {
        const ctx = await twoBatches();
        const { w, retirementAddress } = ctx;
        const other = await w.ethers.deployContract("PlainERC1155");
        const otherAddress = await other.getAddress();
        await other.mint(w.alice.address, ctx.b1, 1_000n);
        const data = encodeRequest(request());
        const before = await state(ctx);
        await expect(other.connect(w.alice).safeTransferFrom(w.alice.address, retirementAddress, ctx.b1, 10n, data))
          .to.be.revertedWithCustomError(w.retirement, "RetirementUnexpectedToken")
          .withArgs(otherAddress);
        await expect(
          other.connect(w.alice).safeBatchTransferFrom(w.alice.address, retirementAddress, [ctx.b1], [10n], data),
        )
          .to.be.revertedWithCustomError(w.retirement, "RetirementUnexpectedToken")
          .withArgs(otherAddress);
        expect(await other.balanceOf(w.alice.address, ctx.b1)).to.equal(1_000n);
        expect(await other.balanceOf(retirementAddress, ctx.b1)).to.equal(0n);
        expect(await state(ctx)).to.deep.equal(before);
      });

      it("refuses a forged receipt hook called directly with RetirementUnexpectedToken", async function () {
        const ctx = await twoBatches();
        const { w } = ctx;
        const data = encodeRequest(request({ beneficiary: w.outsider.address }));
        await expectRefused(
          ctx,
          () =>
            w.retirement
              .connect(w.outsider)
              .onERC1155Received(w.outsider.address, w.proponent.address, ctx.b1, 5n, data),
          "RetirementUnexpectedToken",
          [w.outsider.address],
        );
        await expectRefused(
          ctx,
          () =>
            w.retirement
              .connect(w.outsider)
              .onERC1155BatchReceived(w.outsider.address, w.proponent.address, [ctx.b1], [5n], data),
          "RetirementUnexpectedToken",
          [w.outsider.address],
        );
      });
    });
  });

  describe("claim rules", function () {
    const setArticle6 = (ctx: Ctx, batchId: bigint, authorisation: number, adjustment: number) =>
      ctx.w.registry.connect(ctx.w.registrar).setArticle6Status(batchId, authorisation, adjustment);

    async function expectNotAuthorised(
      ctx: Ctx,
      claimType: number,
      authorisation: number,
      adjustment: number,
    ): Promise<void> {
      const before = await state(ctx);
      await expect(
        ctx.w.retirement.connect(ctx.w.proponent).retire(request({ ids: [ctx.b1], amounts: [10n], claimType })),
      )
        .to.be.revertedWithCustomError(ctx.w.retirement, "RetirementClaimNotAuthorised")
        .withArgs(ctx.b1, claimType, authorisation, adjustment);
      expect(await state(ctx)).to.deep.equal(before);
    }

    it("allows an NDC claim on a batch authorised for NDC use with the adjustment applied", async function () {
      const ctx = await twoBatches();
      await setArticle6(ctx, ctx.b1, Authorisation.NDC, Adjustment.Applied);
      await expect(
        ctx.w.retirement
          .connect(ctx.w.proponent)
          .retire(request({ ids: [ctx.b1], amounts: [10n], claimType: ClaimType.NDC })),
      )
        .to.emit(ctx.w.retirement, "Retired")
        .withArgs(1n, ctx.b1, anyValue, anyValue, 10n, 0n, 9n, ClaimType.NDC, true, anyValue);
      expect((await record(ctx.w, 1n)).claimType).to.equal(BigInt(ClaimType.NDC));
    });

    it("refuses an NDC claim without authorisation, with a pending adjustment, or under OIMP", async function () {
      const ctx = await twoBatches();
      await expectNotAuthorised(ctx, ClaimType.NDC, Authorisation.None, Adjustment.NotApplicable);
      await setArticle6(ctx, ctx.b1, Authorisation.NDC, Adjustment.Pending);
      await expectNotAuthorised(ctx, ClaimType.NDC, Authorisation.NDC, Adjustment.Pending);
      await setArticle6(ctx, ctx.b1, Authorisation.OIMP, Adjustment.Applied);
      await expectNotAuthorised(ctx, ClaimType.NDC, Authorisation.OIMP, Adjustment.Applied);
    });

    it("allows a CORSIA claim on a batch authorised for OIMP with the adjustment applied", async function () {
      const ctx = await twoBatches();
      await setArticle6(ctx, ctx.b1, Authorisation.OIMP, Adjustment.Applied);
      await ctx.w.retirement
        .connect(ctx.w.proponent)
        .retire(request({ ids: [ctx.b1], amounts: [10n], claimType: ClaimType.CORSIA }));
      expect((await record(ctx.w, 1n)).claimType).to.equal(BigInt(ClaimType.CORSIA));
    });

    it("refuses a CORSIA claim without authorisation, with a pending adjustment, or under NDC", async function () {
      const ctx = await twoBatches();
      await expectNotAuthorised(ctx, ClaimType.CORSIA, Authorisation.None, Adjustment.NotApplicable);
      await setArticle6(ctx, ctx.b1, Authorisation.OIMP, Adjustment.Pending);
      await expectNotAuthorised(ctx, ClaimType.CORSIA, Authorisation.OIMP, Adjustment.Pending);
      await setArticle6(ctx, ctx.b1, Authorisation.NDC, Adjustment.Applied);
      await expectNotAuthorised(ctx, ClaimType.CORSIA, Authorisation.NDC, Adjustment.Applied);
    });

    it("refuses a whole request when one of its batches is not authorised", async function () {
      const ctx = await twoBatches();
      await setArticle6(ctx, ctx.b1, Authorisation.NDC, Adjustment.Applied);
      const before = await state(ctx);
      await expect(
        ctx.w.retirement
          .connect(ctx.w.proponent)
          .retire(request({ ids: [ctx.b1, ctx.b2], amounts: [10n, 10n], claimType: ClaimType.NDC })),
      )
        .to.be.revertedWithCustomError(ctx.w.retirement, "RetirementClaimNotAuthorised")
        .withArgs(ctx.b2, ClaimType.NDC, Authorisation.None, Adjustment.NotApplicable);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("needs no Article 6 status for voluntary, neutrality and compliance claims", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [1n], claimType: ClaimType.Compliance }));
      await w.retirement.connect(w.bob).setClaimAuthorisation(w.proponent.address, true); // bob consents
      await w.retirement.connect(w.proponent).retire(
        request({
          ids: [b1],
          amounts: [1n],
          claimType: ClaimType.Neutrality,
          claimEntity: w.bob.address,
          claimPeriod: 1n,
        }),
      );
      await w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [1n] }));
      expect((await record(w, 1n)).claimType).to.equal(BigInt(ClaimType.Compliance));
      expect((await record(w, 2n)).claimType).to.equal(BigInt(ClaimType.Neutrality));
      expect((await record(w, 3n)).claimType).to.equal(BigInt(ClaimType.VoluntaryOffset));
    });

    it("refuses a neutrality claim without entity or period with RetirementMissingClaimTarget", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      const before = await state(ctx);
      const neutrality = (claimEntity: string, claimPeriod: bigint) =>
        w.retirement
          .connect(w.proponent)
          .retire(request({ ids: [b1], amounts: [1n], claimType: ClaimType.Neutrality, claimEntity, claimPeriod }));
      await expect(neutrality(ZeroAddress, PERIOD))
        .to.be.revertedWithCustomError(w.retirement, "RetirementMissingClaimTarget")
        .withArgs(ZeroAddress, PERIOD);
      await expect(neutrality(w.bob.address, 0n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementMissingClaimTarget")
        .withArgs(w.bob.address, 0n);
      await expect(neutrality(ZeroAddress, 0n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementMissingClaimTarget")
        .withArgs(ZeroAddress, 0n);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("accumulates neutrality claims per (entity, period), across batches and retirees", async function () {
      const { w, b1, b2, retirementAddress } = await twoBatches();
      const neutrality = (overrides: Partial<RetirementRequest>) =>
        request({ claimType: ClaimType.Neutrality, claimEntity: w.bob.address, claimPeriod: PERIOD, ...overrides });
      // Bob and alice consent to the proponent's claims on their inventories.
      await w.retirement.connect(w.bob).setClaimAuthorisation(w.proponent.address, true);
      await w.retirement.connect(w.alice).setClaimAuthorisation(w.proponent.address, true);
      await w.retirement.connect(w.proponent).retire(neutrality({ ids: [b1, b2], amounts: [100n, 20n] }));
      await w.credit
        .connect(w.proponent)
        .safeTransferFrom(w.proponent.address, retirementAddress, b1, 3n, encodeRequest(neutrality({})));
      await w.retirement
        .connect(w.proponent)
        .retire(neutrality({ ids: [b1], amounts: [7n], claimPeriod: PERIOD + 1n }));
      await w.retirement
        .connect(w.proponent)
        .retire(neutrality({ ids: [b1], amounts: [9n], claimEntity: w.alice.address }));
      // Naming an entity without a neutrality claim does not count.
      await w.retirement.connect(w.proponent).retire(
        request({
          ids: [b1],
          amounts: [1_000n],
          claimType: ClaimType.Compliance,
          claimEntity: w.bob.address,
          claimPeriod: PERIOD,
        }),
      );
      expect(await w.retirement.retiredAgainst(w.bob.address, PERIOD)).to.equal(123n);
      expect(await w.retirement.retiredAgainst(w.bob.address, PERIOD + 1n)).to.equal(7n);
      expect(await w.retirement.retiredAgainst(w.alice.address, PERIOD)).to.equal(9n);
      expect(await w.retirement.retiredAgainst(w.alice.address, PERIOD + 1n)).to.equal(0n);
    });

    it("refuses a beneficiary name together with a commitment with RetirementNameAndCommitment", async function () {
      const ctx = await twoBatches();
      const before = await state(ctx);
      await expect(
        ctx.w.retirement
          .connect(ctx.w.proponent)
          .retire(
            request({ ids: [ctx.b1], amounts: [1n], beneficiaryName: "Acme", beneficiaryCommitment: COMMITMENT }),
          ),
      ).to.be.revertedWithCustomError(ctx.w.retirement, "RetirementNameAndCommitment");
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("keeps a name or a commitment alone in the Retired details", async function () {
      const { w, b1 } = await twoBatches();
      const named = await receiptOf(
        w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [1n], beneficiaryName: "Acme" })),
      );
      const committed = await receiptOf(
        w.retirement
          .connect(w.proponent)
          .retire(request({ ids: [b1], amounts: [1n], beneficiaryCommitment: COMMITMENT })),
      );
      const [n] = await retiredEvents(w, named);
      const [c] = await retiredEvents(w, committed);
      expect([n.args.details.beneficiaryName, n.args.details.beneficiaryCommitment]).to.deep.equal(["Acme", ZeroHash]);
      expect([c.args.details.beneficiaryName, c.args.details.beneficiaryCommitment]).to.deep.equal(["", COMMITMENT]);
    });

    it("refuses a consumption period ending before it starts with RetirementInvalidConsumptionPeriod", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      const before = await state(ctx);
      await expect(
        w.retirement
          .connect(w.proponent)
          .retire(request({ ids: [b1], amounts: [1n], consumptionStart: 1_000n, consumptionEnd: 999n })),
      )
        .to.be.revertedWithCustomError(w.retirement, "RetirementInvalidConsumptionPeriod")
        .withArgs(1_000n, 999n);
      expect(await state(ctx)).to.deep.equal(before);
      // A one-instant period is accepted.
      await w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [1n], consumptionStart: 1_000n, consumptionEnd: 1_000n }));
      expect(await w.retirement.retirementCount()).to.equal(1n);
    });

    it("accepts a consumption period left open with end 0", async function () {
      const { w, b1 } = await twoBatches();
      const tx = w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [1n], consumptionStart: 1_700_000_000n, consumptionEnd: 0n }));
      const [event] = await retiredEvents(w, await receiptOf(tx));
      expect([event.args.details.consumptionStart, event.args.details.consumptionEnd]).to.deep.equal([
        1_700_000_000n,
        0n,
      ]);
    });
  });

  describe("bad input", function () {
    async function expectRefused(
      ctx: Ctx,
      req: RetirementRequest,
      contract: "retirement" | "credit",
      error: string,
      args: unknown[],
    ): Promise<void> {
      const before = await state(ctx);
      const target = contract === "retirement" ? ctx.w.retirement : ctx.w.credit;
      const assertion = expect(ctx.w.retirement.connect(ctx.w.proponent).retire(req)).to.be.revertedWithCustomError(
        target,
        error,
      );
      await (args.length === 0 ? assertion : assertion.withArgs(...args));
      expect(await state(ctx)).to.deep.equal(before);
    }

    it("refuses an empty request with RetirementEmptyRequest", async function () {
      const ctx = await twoBatches();
      await expectRefused(ctx, request(), "retirement", "RetirementEmptyRequest", []);
      await expectRefused(ctx, request({ amounts: [1n] }), "retirement", "RetirementEmptyRequest", []);
    });

    it("refuses ids and amounts of different lengths with RetirementLengthMismatch", async function () {
      const ctx = await twoBatches();
      await expectRefused(
        ctx,
        request({ ids: [ctx.b1, ctx.b2], amounts: [1n] }),
        "retirement",
        "RetirementLengthMismatch",
        [2n, 1n],
      );
      await expectRefused(
        ctx,
        request({ ids: [ctx.b1], amounts: [1n, 1n] }),
        "retirement",
        "RetirementLengthMismatch",
        [1n, 2n],
      );
    });

    it("refuses a zero amount with RetirementZeroAmount, even after a valid entry", async function () {
      const ctx = await twoBatches();
      await expectRefused(ctx, request({ ids: [ctx.b1], amounts: [0n] }), "retirement", "RetirementZeroAmount", [
        ctx.b1,
      ]);
      await expectRefused(
        ctx,
        request({ ids: [ctx.b1, ctx.b2], amounts: [5n, 0n] }),
        "retirement",
        "RetirementZeroAmount",
        [ctx.b2],
      );
    });

    it("refuses a unit index beyond 64 bits with RetirementAmountTooLarge instead of truncating it", async function () {
      const w = await deployWorld();
      const projectId = await approvedProject(w, { bufferBps: 0 });
      const max64 = 2n ** 64n - 1n;
      const batchId = await issue(w, projectId, max64 + 10n, 1n);
      const retire = (amount: bigint) =>
        w.retirement.connect(w.proponent).retire(request({ ids: [batchId], amounts: [amount] }));
      await (await retire(max64)).wait(); // units [0, 2^64 - 2]
      await (await retire(1n)).wait(); // unit 2^64 - 1: the last index that fits
      await expect(retire(1n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementAmountTooLarge")
        .withArgs(batchId, max64 + 1n);
      expect(await w.retirement.retirementCount()).to.equal(2n);
      expect((await w.credit.supplyOf(batchId)).retired).to.equal(max64 + 1n);
    });

    it("refuses an amount too large for a record with RetirementAmountTooLarge", async function () {
      const ctx = await twoBatches();
      const huge = 2n ** 100n;
      await expectRefused(ctx, request({ ids: [ctx.b1], amounts: [huge] }), "retirement", "RetirementAmountTooLarge", [
        ctx.b1,
        huge,
      ]);
    });

    it("refuses batches never issued with RetirementUnknownBatch", async function () {
      const ctx = await twoBatches();
      for (const batchId of [0n, 3n, 99n, 2n ** 32n + ctx.b1]) {
        await expectRefused(ctx, request({ ids: [batchId], amounts: [1n] }), "retirement", "RetirementUnknownBatch", [
          batchId,
        ]);
      }
      await expectRefused(
        ctx,
        request({ ids: [ctx.b1, 99n], amounts: [1n, 1n] }),
        "retirement",
        "RetirementUnknownBatch",
        [99n],
      );
    });

    it("refuses more than the tradable balance with the credit's ERC1155InsufficientBalance", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await expectRefused(
        ctx,
        request({ ids: [b1], amounts: [TO_PROPONENT_1 + 1n] }),
        "credit",
        "ERC1155InsufficientBalance",
        [w.proponent.address, TO_PROPONENT_1, TO_PROPONENT_1 + 1n, b1],
      );
      // Two entries of one batch that together exceed the balance.
      await expectRefused(
        ctx,
        request({ ids: [b1, b1], amounts: [TO_PROPONENT_1, 1n] }),
        "credit",
        "ERC1155InsufficientBalance",
        [w.proponent.address, 0n, 1n, b1],
      );
    });

    it("refuses an account holding nothing with the credit's ERC1155InsufficientBalance", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await expect(w.retirement.connect(w.alice).retire(request({ ids: [b1], amounts: [1n] })))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.alice.address, 0n, 1n, b1);
    });

    it("refuses a suspended batch with the credit's CarbonCreditBatchSuspended", async function () {
      const ctx = await twoBatches();
      await ctx.w.registry.connect(ctx.w.registrar).suspendBatch(ctx.b2, REASON);
      await expectRefused(
        ctx,
        request({ ids: [ctx.b1, ctx.b2], amounts: [1n, 1n] }),
        "credit",
        "CarbonCreditBatchSuspended",
        [ctx.b2],
      );
      await ctx.w.registry.connect(ctx.w.registrar).reinstateBatch(ctx.b2, REASON);
      await ctx.w.retirement.connect(ctx.w.proponent).retire(request({ ids: [ctx.b1, ctx.b2], amounts: [1n, 1n] }));
      expect(await ctx.w.retirement.retirementCount()).to.equal(2n);
    });

    it("refuses a frozen holder or beneficiary with the credit's CarbonCreditAccountFrozen", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      await expectRefused(
        ctx,
        request({ ids: [b1], amounts: [1n], beneficiary: w.alice.address }),
        "credit",
        "CarbonCreditAccountFrozen",
        [w.alice.address],
      );
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      await expectRefused(ctx, request({ ids: [b1], amounts: [1n] }), "credit", "CarbonCreditAccountFrozen", [
        w.proponent.address,
      ]);
    });

    it("refuses a frozen beneficiary on retire-on-transfer, keeping the sender's credits", async function () {
      const ctx = await twoBatches();
      const { w, b1, retirementAddress } = ctx;
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      const before = await state(ctx);
      const data = encodeRequest(request({ beneficiary: w.alice.address }));
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, retirementAddress, b1, 5n, data))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.alice.address);
      expect(await state(ctx)).to.deep.equal(before);
    });

    it("refuses retire and retireFrom while paused with EnforcedPause, and resumes after unpause", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await expect(w.retirement.connect(w.pauser).pause()).to.emit(w.retirement, "Paused").withArgs(w.pauser.address);
      expect(await w.retirement.paused()).to.equal(true);
      await expectRefused(ctx, request({ ids: [b1], amounts: [1n] }), "retirement", "EnforcedPause", []);
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await expect(
        w.retirement.connect(w.bob).retireFrom(w.proponent.address, request({ ids: [b1], amounts: [1n] })),
      ).to.be.revertedWithCustomError(w.retirement, "EnforcedPause");
      await expect(w.retirement.connect(w.pauser).unpause())
        .to.emit(w.retirement, "Unpaused")
        .withArgs(w.pauser.address);
      expect(await w.retirement.paused()).to.equal(false);
      await w.retirement.connect(w.proponent).retire(request({ ids: [b1], amounts: [1n] }));
      expect(await w.retirement.retirementCount()).to.equal(1n);
    });

    it("refuses a second pause with EnforcedPause and an unpause when not paused with ExpectedPause", async function () {
      const { w } = await twoBatches();
      await expect(w.retirement.connect(w.pauser).unpause()).to.be.revertedWithCustomError(
        w.retirement,
        "ExpectedPause",
      );
      await w.retirement.connect(w.pauser).pause();
      await expect(w.retirement.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.retirement, "EnforcedPause");
    });

    it("refuses pause and unpause for an account without the PAUSER role", async function () {
      const { w } = await twoBatches();
      await expect(w.retirement.connect(w.outsider).pause())
        .to.be.revertedWithCustomError(w.retirement, "AccessManagedUnauthorized")
        .withArgs(w.outsider.address);
      await w.retirement.connect(w.pauser).pause();
      await expect(w.retirement.connect(w.outsider).unpause())
        .to.be.revertedWithCustomError(w.retirement, "AccessManagedUnauthorized")
        .withArgs(w.outsider.address);
    });

    it("refuses every retirement while the credit token is paused with EnforcedPause", async function () {
      const ctx = await twoBatches();
      const { w, b1 } = ctx;
      await w.credit.connect(w.pauser).pause();
      await expectRefused(ctx, request({ ids: [b1], amounts: [1n] }), "credit", "EnforcedPause", []);
    });
  });

  describe("lookups", function () {
    interface Lookups extends Ctx {
      alice: string;
      bob: string;
      proponent: string;
    }

    /**
     * Seven retirements: 1 (alice, b1, by the proponent), 2 (bob, b1), 3 (alice, b2), 4 (alice, b1), 5 (alice, b1, by
     * bob), 6 and 7 (alice, b1 and b2 in one request).
     */
    async function sevenRetirements(): Promise<Lookups> {
      const ctx = await twoBatches();
      const { w, b1, b2 } = ctx;
      const alice = w.alice.address;
      const bob = w.bob.address;
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, bob, b1, 100n, "0x");
      const byProponent = (beneficiary: string, ids: bigint[], amounts: bigint[]) =>
        w.retirement.connect(w.proponent).retire(request({ ids, amounts, beneficiary }));
      await byProponent(alice, [b1], [100n]);
      await byProponent(bob, [b1], [50n]);
      await byProponent(alice, [b2], [200n]);
      await byProponent(alice, [b1], [300n]);
      await w.retirement.connect(w.bob).retire(request({ ids: [b1], amounts: [10n], beneficiary: alice }));
      await byProponent(alice, [b1, b2], [1n, 2n]);
      return { ...ctx, alice, bob, proponent: w.proponent.address };
    }

    it("lists a beneficiary's retirements newest first", async function () {
      const { w, alice, bob } = await sevenRetirements();
      const [ids, next] = await w.retirement.retirementsByBeneficiary(alice, 0n, 100n);
      expect([...ids]).to.deep.equal([7n, 6n, 5n, 4n, 3n, 1n]);
      expect(next).to.equal(0n);
      expect([...(await w.retirement.retirementsByBeneficiary(bob, 0n, 100n))[0]]).to.deep.equal([2n]);
    });

    it("pages a beneficiary's retirements by 2, the cursor being the last id of a page", async function () {
      const { w, alice } = await sevenRetirements();
      const first = await w.retirement.retirementsByBeneficiary(alice, 0n, 2n);
      expect([[...first[0]], first[1]]).to.deep.equal([[7n, 6n], 6n]);
      const second = await w.retirement.retirementsByBeneficiary(alice, 6n, 2n);
      expect([[...second[0]], second[1]]).to.deep.equal([[5n, 4n], 4n]);
      const third = await w.retirement.retirementsByBeneficiary(alice, 4n, 2n);
      expect([[...third[0]], third[1]]).to.deep.equal([[3n, 1n], 0n]);
    });

    it("pages every lookup with any limit without skipping or repeating", async function () {
      const { w, b1, b2, alice, bob, proponent } = await sevenRetirements();
      const expected: [string, ReturnType<typeof byBeneficiary>, bigint[]][] = [
        ["beneficiary alice", byBeneficiary(w, alice), [7n, 6n, 5n, 4n, 3n, 1n]],
        ["beneficiary bob", byBeneficiary(w, bob), [2n]],
        ["retiree proponent", byRetiree(w, proponent), [7n, 6n, 4n, 3n, 2n, 1n]],
        ["retiree bob", byRetiree(w, bob), [5n]],
        ["retiree alice", byRetiree(w, alice), []],
        ["batch 1", byBatch(w, b1), [6n, 5n, 4n, 2n, 1n]],
        ["batch 2", byBatch(w, b2), [7n, 3n]],
        ["batch 99", byBatch(w, 99n), []],
      ];
      for (const [label, page, ids] of expected) {
        for (const limit of [1n, 2n, 3n, 5n, 6n, 7n, 100n]) {
          const walked = await walk(page, limit);
          expect(walked.ids, `${label}, limit ${limit}`).to.deep.equal(ids);
          const fullPages = walked.pages.slice(0, -1);
          for (const p of fullPages) expect(p.length, `${label}, limit ${limit}: page size`).to.equal(Number(limit));
          const expectedPages = Math.max(1, Math.ceil(ids.length / Number(limit)));
          expect(walked.pages.length, `${label}, limit ${limit}: pages`).to.equal(expectedPages);
        }
      }
    });

    it("returns an empty page and no cursor for an account without retirements", async function () {
      const { w } = await sevenRetirements();
      const [ids, next] = await w.retirement.retirementsByBeneficiary(w.outsider.address, 0n, 10n);
      expect([[...ids], next]).to.deep.equal([[], 0n]);
      const [rIds, rNext] = await w.retirement.retirementsByRetiree(w.outsider.address, 0n, 10n);
      expect([[...rIds], rNext]).to.deep.equal([[], 0n]);
    });

    it("refuses an unknown cursor with RetirementUnknown", async function () {
      const { w, b1, alice, proponent } = await sevenRetirements();
      await expect(w.retirement.retirementsByBeneficiary(alice, 8n, 2n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementUnknown")
        .withArgs(8n);
      await expect(w.retirement.retirementsByRetiree(proponent, 99n, 2n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementUnknown")
        .withArgs(99n);
      await expect(w.retirement.retirementsByBatch(b1, 2n ** 64n, 2n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementUnknown")
        .withArgs(2n ** 64n);
    });

    it("refuses a cursor from another list with RetirementCursorMismatch", async function () {
      const { w, b1, b2, bob, proponent } = await sevenRetirements();
      // Retirement 4 is alice's, made by the proponent, of batch b1.
      await expect(w.retirement.retirementsByBeneficiary(bob, 4n, 10n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementCursorMismatch")
        .withArgs(4n);
      await expect(w.retirement.retirementsByRetiree(bob, 4n, 10n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementCursorMismatch")
        .withArgs(4n);
      await expect(w.retirement.retirementsByBatch(b2, 4n, 10n))
        .to.be.revertedWithCustomError(w.retirement, "RetirementCursorMismatch")
        .withArgs(4n);
      const [ids] = await w.retirement.retirementsByRetiree(proponent, 4n, 10n);
      expect([...ids]).to.deep.equal([3n, 2n, 1n]);
      const [batchIds] = await w.retirement.retirementsByBatch(b1, 4n, 10n);
      expect([...batchIds]).to.deep.equal([2n, 1n]);
    });

    it("returns an empty page and next 0 for limit 0", async function () {
      const { w, alice } = await sevenRetirements();
      const [ids, next] = await w.retirement.retirementsByBeneficiary(alice, 0n, 0n);
      expect([[...ids], next]).to.deep.equal([[], 0n]);
    });

    it("totals what each beneficiary received across batches", async function () {
      const { w, alice, bob, proponent } = await sevenRetirements();
      expect(await w.retirement.totalRetiredFor(alice)).to.equal(100n + 200n + 300n + 10n + 1n + 2n);
      expect(await w.retirement.totalRetiredFor(bob)).to.equal(50n);
      expect(await w.retirement.totalRetiredFor(proponent)).to.equal(0n);
    });

    it("counts retirements and refuses unknown ids with RetirementUnknown", async function () {
      const { w } = await sevenRetirements();
      expect(await w.retirement.retirementCount()).to.equal(7n);
      for (const unknown of [0n, 8n, 2n ** 48n]) {
        await expect(w.retirement.getRetirement(unknown))
          .to.be.revertedWithCustomError(w.retirement, "RetirementUnknown")
          .withArgs(unknown);
        await expect(w.retirement.serialRangeOf(unknown))
          .to.be.revertedWithCustomError(w.retirement, "RetirementUnknown")
          .withArgs(unknown);
      }
    });

    it("exposes its credit token, carbon registry and certificate", async function () {
      const { w, creditAddress } = await twoBatches();
      expect(await w.retirement.credit()).to.equal(creditAddress);
      expect(await w.retirement.carbonRegistry()).to.equal(await w.registry.getAddress());
      expect(await w.retirement.certificate()).to.equal(await w.certificate.getAddress());
      expect(await w.retirement.paused()).to.equal(false);
      expect(await w.retirement.retirementCount()).to.equal(0n);
    });
  });

  describe("invariants", function () {
    /** Walks a batch's retirements and checks them against the credit token. */
    async function expectBatchInvariants(w: World, batchId: bigint): Promise<void> {
      const { ids } = await walk(byBatch(w, batchId), 3n);
      const records = [];
      for (const rid of ids) records.push(await record(w, rid));
      const sum = records.reduce((acc, r) => acc + r.amount, 0n);
      expect(sum, `Σ amounts of batch ${batchId}`).to.equal((await w.credit.supplyOf(batchId)).retired);
      const ranges = records.map((r) => [r.firstUnit, r.amount] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1));
      let nextUnit = 0n;
      for (const [firstUnit, amount] of ranges) {
        expect(firstUnit, `unit ranges of batch ${batchId} are contiguous`).to.equal(nextUnit);
        nextUnit = firstUnit + amount;
      }
      for (const r of records) expect(r.batchId).to.equal(batchId);
    }

    it("keeps records, unit ranges and retired balances consistent through a scripted flow", async function () {
      const { w, b1, b2, retirementAddress } = await twoBatches();
      const accounts = [w.proponent.address, w.alice.address, w.bob.address, w.outsider.address];
      const lastRetired = new Map<string, bigint>();
      const step = async () => {
        for (const batchId of [b1, b2]) await expectBatchInvariants(w, batchId);
        for (const account of accounts) {
          let total = 0n;
          for (const batchId of [b1, b2]) {
            const retired = await w.credit.retiredBalanceOf(account, batchId);
            const key = `${account}:${batchId}`;
            expect(retired >= (lastRetired.get(key) ?? 0n), `retired balance of ${key} never decreases`).to.equal(true);
            lastRetired.set(key, retired);
            total += retired;
          }
          const { ids } = await walk(byBeneficiary(w, account), 4n);
          let recorded = 0n;
          for (const rid of ids) recorded += (await record(w, rid)).amount;
          expect(await w.retirement.totalRetiredFor(account), `totalRetiredFor ${account}`).to.equal(total);
          expect(recorded, `Σ records of beneficiary ${account}`).to.equal(total);
        }
        expect(await w.credit.balanceOfBatch([retirementAddress, retirementAddress], [b1, b2])).to.deep.equal([0n, 0n]);
      };

      await step();
      await w.credit
        .connect(w.proponent)
        .safeBatchTransferFrom(w.proponent.address, w.bob.address, [b1, b2], [1_000n, 1_000n], "0x");
      await w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b1], amounts: [120n], beneficiary: w.alice.address }));
      await step();
      await w.retirement.connect(w.bob).retire(request({ ids: [b2, b1], amounts: [30n, 45n] }));
      await step();
      await w.credit
        .connect(w.bob)
        .safeTransferFrom(
          w.bob.address,
          retirementAddress,
          b1,
          5n,
          encodeRequest(request({ beneficiary: w.outsider.address })),
        );
      await step();
      await w.credit.connect(w.bob).setApprovalForAll(w.alice.address, true);
      await w.retirement.connect(w.alice).retireFrom(w.bob.address, request({ ids: [b1, b1], amounts: [1n, 2n] }));
      await step();
      // A refused retirement changes nothing.
      await expect(w.retirement.connect(w.bob).retire(request({ ids: [b2], amounts: [10_000n] })))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.bob.address, 970n, 10_000n, b2);
      await step();
      await w.registry.connect(w.registrar).recordReversal(1n, 500n, REASON);
      await w.retirement
        .connect(w.proponent)
        .retire(request({ ids: [b2], amounts: [2_970n], beneficiary: w.alice.address, skipCertificate: true }));
      await step();

      expect(await w.retirement.retirementCount()).to.equal(7n);
      expect((await w.credit.supplyOf(b1)).retired).to.equal(120n + 45n + 5n + 3n);
      expect((await w.credit.supplyOf(b2)).retired).to.equal(30n + 2_970n);
      expect(await w.credit.retiredBalanceOf(w.bob.address, b1)).to.equal(45n + 3n);
      expect(await w.credit.retiredBalanceOf(w.outsider.address, b1)).to.equal(5n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b2)).to.equal(2_970n);
    });
  });

  describe("supportsInterface", function () {
    const RECEIVER_FUNCTIONS = [
      "onERC1155Received(address,address,uint256,uint256,bytes)",
      "onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)",
    ];
    const IERC165_FUNCTIONS = ["supportsInterface(bytes4)"];

    function interfaceId(signatures: string[]): string {
      let xor = 0n;
      for (const signature of signatures) xor ^= BigInt(selector(signature));
      return "0x" + xor.toString(16).padStart(8, "0");
    }

    it("supports IERC165 and IERC1155Receiver", async function () {
      const { w } = await twoBatches();
      expect(interfaceId(IERC165_FUNCTIONS)).to.equal("0x01ffc9a7");
      expect(interfaceId(RECEIVER_FUNCTIONS)).to.equal("0x4e2312e0");
      expect(await w.retirement.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await w.retirement.supportsInterface("0x4e2312e0")).to.equal(true);
      expect(await w.retirement.supportsInterface("0xffffffff")).to.equal(false);
      expect(await w.retirement.supportsInterface("0xd9b67a26")).to.equal(false);
    });

    it("supports the IRetirementRegistry interface id (its own functions only)", async function () {
      const { w, retirementAddress } = await twoBatches();
      const iface = (await w.ethers.getContractAt("IRetirementRegistry", retirementAddress)).interface;
      const inherited = [...RECEIVER_FUNCTIONS, ...IERC165_FUNCTIONS];
      const own: string[] = [];
      iface.forEachFunction((fn) => {
        if (!inherited.includes(fn.format("sighash"))) own.push(fn.format("sighash"));
      });
      expect(own).to.include.members([
        "retire((uint256[],uint256[],address,string,bytes32,uint8,address,uint64,bytes8,uint64,uint64,string,bool))",
        "retireFrom(address,(uint256[],uint256[],address,string,bytes32,uint8,address,uint64,bytes8,uint64,uint64,string,bool))",
        "getRetirement(uint256)",
        "retirementsByBatch(uint256,uint256,uint256)",
      ]);
      const registryId = interfaceId(own);
      expect(await w.retirement.supportsInterface(registryId)).to.equal(true);
      const withInherited = interfaceId([...own, ...RECEIVER_FUNCTIONS]);
      expect(await w.retirement.supportsInterface(withInherited)).to.equal(false);
    });
  });
});
