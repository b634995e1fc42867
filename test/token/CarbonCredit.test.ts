import { expect } from "chai";
import { ZeroAddress, id, type Interface, type Signer } from "ethers";

import { selector } from "../../scripts/lib/suite.js";
import type {
  ERC1155ReceiverMock,
  ReentrantReceiverMock,
  RetirementPrimitiveMock,
} from "../../typechain-types/index.js";
import {
  Adjustment,
  Authorisation,
  Category,
  TransferStatus,
  actAs,
  approvedProject,
  deployWorld,
  issue,
  type World,
} from "../helpers/fixtures.js";
import { standardIdOf, verifiedReport } from "../helpers/registry.js";

// Batch 1 of project 1 (20% buffer): 10,000 units, 8,000 to the proponent and 2,000 to the registry's buffer pool.
const QUANTITY = 10_000n;
const BUFFER = 2_000n;
const TO_PROPONENT = QUANTITY - BUFFER;
// Batch 2 of project 1: 5,000 units, 4,000 to the proponent and 1,000 to the buffer pool.
const QUANTITY_2 = 5_000n;
const BUFFER_2 = 1_000n;
const UNKNOWN_ID = 99n;
const REASON = id("reason");

const ON_RECEIVED = selector("onERC1155Received(address,address,uint256,uint256,bytes)");
const ON_BATCH_RECEIVED = selector("onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)");
const RevertType = {
  None: 0,
  RevertWithoutMessage: 1,
  RevertWithMessage: 2,
  RevertWithCustomError: 3,
  Panic: 4,
} as const;
const Action = { None: 0, ForwardReceived: 1, RetireReceived: 2, MoveOther: 3, ReinstateOther: 4 } as const;

/** A suite whose credit token has `retirer` bound as its retirement registry. */
type CreditWorld = World & { retirer: RetirementPrimitiveMock; retirerAddress: string };

interface Ctx {
  w: CreditWorld;
  projectId: bigint;
  b1: bigint;
  registry: string;
}

/**
 * The token's own tests call its `retire` primitive directly, through a stand-in bound as the retirement registry
 * (RetirementPrimitiveMock forwards any call, with no consent check); the suite binds the real retirement registry.
 */
async function creditWorld(): Promise<CreditWorld> {
  const w = await deployWorld({ bindRetirement: false });
  const retirer: RetirementPrimitiveMock = await w.ethers.deployContract("RetirementPrimitiveMock", [
    await w.credit.getAddress(),
  ]);
  const retirerAddress = await retirer.getAddress();
  await (await w.credit.connect(w.admin).bindRetirementRegistry(retirerAddress)).wait();
  return { ...w, retirer, retirerAddress };
}

/** A fresh suite with project 1 approved and batch 1 issued. */
async function issuedWorld(): Promise<Ctx> {
  const w = await creditWorld();
  const projectId = await approvedProject(w);
  const b1 = await issue(w, projectId, QUANTITY, 1n);
  return { w, projectId, b1, registry: await w.registry.getAddress() };
}

/** As {issuedWorld}, plus batch 2 (serials 10,001 to 15,000). */
async function twoBatchWorld(): Promise<Ctx & { b2: bigint }> {
  const ctx = await issuedWorld();
  const b2 = await issue(ctx.w, ctx.projectId, QUANTITY_2, QUANTITY + 1n);
  return { ...ctx, b2 };
}

/** Every address that ever received credits (from the token's transfer logs). */
async function holders(w: World): Promise<string[]> {
  const set = new Set<string>();
  for (const log of await w.credit.queryFilter(w.credit.filters.TransferSingle())) set.add(log.args.to);
  for (const log of await w.credit.queryFilter(w.credit.filters.TransferBatch())) set.add(log.args.to);
  set.delete(ZeroAddress);
  return [...set];
}

/** Invariant 1 for each batch: issued == Σ balanceOf over every holder + retired + cancelled. */
async function expectSupplyInvariant(w: World, ids: bigint[]): Promise<void> {
  const accounts = await holders(w);
  const beneficiaries = new Set(
    (await w.credit.queryFilter(w.credit.filters.UnitsRetired())).map((log) => log.args.beneficiary),
  );
  for (const batchId of ids) {
    const supply = await w.credit.supplyOf(batchId);
    let tradable = 0n;
    for (const account of accounts) tradable += await w.credit.balanceOf(account, batchId);
    let retired = 0n;
    for (const account of beneficiaries) retired += await w.credit.retiredBalanceOf(account, batchId);
    expect(supply.issued, `issued of batch ${batchId}`).to.equal(tradable + supply.retired + supply.cancelled);
    expect(await w.credit.totalSupply(batchId), `totalSupply of batch ${batchId}`).to.equal(tradable);
    expect(retired, `Σ retiredBalanceOf of batch ${batchId}`).to.equal(supply.retired);
  }
}

async function balance(w: World, account: Signer | string, batchId: bigint): Promise<bigint> {
  const address = typeof account === "string" ? account : await account.getAddress();
  return w.credit.balanceOf(address, batchId);
}

async function supply(w: World, batchId: bigint): Promise<[bigint, bigint, bigint]> {
  const s = await w.credit.supplyOf(batchId);
  return [s.issued, s.retired, s.cancelled];
}

const DATA_URI = "data:application/json;base64,";

async function metadata(w: World, batchId: bigint): Promise<any> {
  const uri = await w.credit.uri(batchId);
  expect(uri.startsWith(DATA_URI)).to.equal(true);
  return JSON.parse(Buffer.from(uri.slice(DATA_URI.length), "base64").toString("utf8"));
}

function interfaceId(signatures: string[]): string {
  let xor = 0n;
  for (const signature of signatures) xor ^= BigInt(selector(signature));
  return "0x" + xor.toString(16).padStart(8, "0");
}

function ownFunctionSignatures(iface: Interface, inherited: string[]): string[] {
  const signatures: string[] = [];
  iface.forEachFunction((fn) => {
    if (!inherited.includes(fn.format("sighash"))) signatures.push(fn.format("sighash"));
  });
  return signatures;
}

describe("CarbonCredit", function () {
  describe("issuance via the registry", function () {
    it("mints the proponent share to the proponent and the buffer share to the registry", async function () {
      const { w, b1, registry } = await issuedWorld();
      expect(await balance(w, w.proponent, b1)).to.equal(TO_PROPONENT);
      expect(await balance(w, registry, b1)).to.equal(BUFFER);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 0n]);
      expect(await w.credit.totalSupply(b1)).to.equal(QUANTITY);
      expect(await w.credit.exists(b1)).to.equal(true);
      expect(await w.credit.exists(b1 + 1n)).to.equal(false);
      expect(await w.credit.totalSupply(b1 + 1n)).to.equal(0n);
    });

    it("emits BatchMinted and exactly one TransferSingle per recipient", async function () {
      const w = await creditWorld();
      const projectId = await approvedProject(w);
      const reportId = (await verifiedReport(w, projectId, QUANTITY, 1n)).reportId;
      const registry = await w.registry.getAddress();
      const tx = w.registry.connect(w.registrar).issueBatch(reportId, 0n);
      await expect(tx).to.emit(w.credit, "BatchMinted").withArgs(1n, w.proponent.address, QUANTITY, registry, BUFFER);
      const receipt = await (await tx).wait();
      const creditAddress = await w.credit.getAddress();
      const events = receipt!.logs
        .filter((log) => log.address === creditAddress)
        .map((log) => w.credit.interface.parseLog(log)!);
      expect(events.map((e) => e.name)).to.deep.equal(["TransferSingle", "TransferSingle", "BatchMinted"]);
      expect([...events[0].args]).to.deep.equal([registry, ZeroAddress, w.proponent.address, 1n, TO_PROPONENT]);
      expect([...events[1].args]).to.deep.equal([registry, ZeroAddress, registry, 1n, BUFFER]);
    });

    it("mints no buffer transfer when the buffer share is zero", async function () {
      const w = await creditWorld();
      const projectId = await approvedProject(w, { bufferBps: 0 });
      const reportId = (await verifiedReport(w, projectId, 700n, 1n)).reportId;
      const registry = await w.registry.getAddress();
      const receipt = await (await w.registry.connect(w.registrar).issueBatch(reportId, 0n)).wait();
      const creditAddress = await w.credit.getAddress();
      const events = receipt!.logs
        .filter((log) => log.address === creditAddress)
        .map((log) => w.credit.interface.parseLog(log)!);
      expect(events.map((e) => e.name)).to.deep.equal(["TransferSingle", "BatchMinted"]);
      expect([...events[1].args]).to.deep.equal([1n, w.proponent.address, 700n, registry, 0n]);
      expect(await balance(w, w.proponent, 1n)).to.equal(700n);
      expect(await balance(w, registry, 1n)).to.equal(0n);
    });

    it("keeps the supply of earlier batches when a new batch is issued", async function () {
      const { w, b1, b2, registry } = await twoBatchWorld();
      expect(b2).to.equal(b1 + 1n);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 0n]);
      expect(await supply(w, b2)).to.deep.equal([QUANTITY_2, 0n, 0n]);
      expect(await balance(w, w.proponent, b2)).to.equal(QUANTITY_2 - BUFFER_2);
      expect(await balance(w, registry, b2)).to.equal(BUFFER_2);
    });

    it("reverts mintBatch for any caller but the registry", async function () {
      const { w } = await issuedWorld();
      for (const caller of [w.outsider, w.admin, w.registrar]) {
        await expect(w.credit.connect(caller).mintBatch(7n, caller.address, 1n, caller.address, 0n))
          .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRegistry")
          .withArgs(caller.address);
      }
    });

    it("reverts cancel for any caller but the registry", async function () {
      const { w, b1, registry } = await issuedWorld();
      await expect(w.credit.connect(w.registrar).cancel(registry, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRegistry")
        .withArgs(w.registrar.address);
      await expect(w.credit.connect(w.proponent).cancel(w.proponent.address, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRegistry")
        .withArgs(w.proponent.address);
    });

    it("reverts setSuspended for any caller but the registry", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.credit.connect(w.regulator).setSuspended(b1, true))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRegistry")
        .withArgs(w.regulator.address);
      expect(await w.credit.isSuspended(b1)).to.equal(false);
    });
  });

  describe("registry primitives (registry impersonated)", function () {
    async function asRegistry() {
      const ctx = await issuedWorld();
      const signer = await actAs(ctx.w, ctx.registry);
      return { ...ctx, credit: ctx.w.credit.connect(signer) };
    }

    it("reverts mintBatch of an existing id with CarbonCreditBatchExists", async function () {
      const { w, b1, credit } = await asRegistry();
      await expect(credit.mintBatch(b1, w.alice.address, 1n, w.bob.address, 0n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchExists")
        .withArgs(b1);
    });

    it("reverts mintBatch of nothing with CarbonCreditZeroAmount", async function () {
      const { w, credit } = await asRegistry();
      await expect(credit.mintBatch(7n, w.alice.address, 0n, w.bob.address, 0n)).to.be.revertedWithCustomError(
        w.credit,
        "CarbonCreditZeroAmount",
      );
    });

    it("reverts mintBatch beyond 128 bits with CarbonCreditAmountTooLarge", async function () {
      const { w, credit } = await asRegistry();
      await expect(credit.mintBatch(7n, w.alice.address, 2n ** 128n - 1n, w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAmountTooLarge")
        .withArgs(2n ** 128n);
    });

    it("reverts cancel of zero units with CarbonCreditZeroAmount", async function () {
      const { w, b1, registry, credit } = await asRegistry();
      await expect(credit.cancel(registry, b1, 0n)).to.be.revertedWithCustomError(w.credit, "CarbonCreditZeroAmount");
    });

    it("reverts cancel and setSuspended of an unknown batch with CarbonCreditUnknownBatch", async function () {
      const { w, registry, credit } = await asRegistry();
      await expect(credit.cancel(registry, UNKNOWN_ID, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditUnknownBatch")
        .withArgs(UNKNOWN_ID);
      await expect(credit.setSuspended(UNKNOWN_ID, true))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditUnknownBatch")
        .withArgs(UNKNOWN_ID);
    });

    it("reverts cancel beyond the holder's balance with ERC1155InsufficientBalance", async function () {
      const { w, b1, registry, credit } = await asRegistry();
      await expect(credit.cancel(registry, b1, BUFFER + 1n))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(registry, BUFFER, BUFFER + 1n, b1);
    });
  });

  describe("transfers", function () {
    it("moves units with safeTransferFrom and emits TransferSingle", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(
        w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 3_000n, "0x"),
      )
        .to.emit(w.credit, "TransferSingle")
        .withArgs(w.proponent.address, w.proponent.address, w.alice.address, b1, 3_000n);
      expect(await balance(w, w.proponent, b1)).to.equal(TO_PROPONENT - 3_000n);
      expect(await balance(w, w.alice, b1)).to.equal(3_000n);
      expect(await w.credit.totalSupply(b1)).to.equal(QUANTITY);
    });

    it("moves several batches with safeBatchTransferFrom and emits TransferBatch", async function () {
      const { w, b1, b2 } = await twoBatchWorld();
      await expect(
        w.credit
          .connect(w.proponent)
          .safeBatchTransferFrom(w.proponent.address, w.bob.address, [b1, b2], [1_000n, 250n], "0x"),
      )
        .to.emit(w.credit, "TransferBatch")
        .withArgs(w.proponent.address, w.proponent.address, w.bob.address, [b1, b2], [1_000n, 250n]);
      expect(await w.credit.balanceOfBatch([w.bob.address, w.bob.address], [b1, b2])).to.deep.equal([1_000n, 250n]);
      expect(await w.credit.balanceOfBatch([w.proponent.address, w.proponent.address], [b1, b2])).to.deep.equal([
        TO_PROPONENT - 1_000n,
        QUANTITY_2 - BUFFER_2 - 250n,
      ]);
    });

    it("lets an approved operator move the owner's units", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true))
        .to.emit(w.credit, "ApprovalForAll")
        .withArgs(w.proponent.address, w.bob.address, true);
      expect(await w.credit.isApprovedForAll(w.proponent.address, w.bob.address)).to.equal(true);
      await expect(w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, w.alice.address, b1, 500n, "0x"))
        .to.emit(w.credit, "TransferSingle")
        .withArgs(w.bob.address, w.proponent.address, w.alice.address, b1, 500n);
      expect(await balance(w, w.alice, b1)).to.equal(500n);
      expect(await balance(w, w.bob, b1)).to.equal(0n);
    });

    it("reverts an unapproved operator with ERC1155MissingApprovalForAll", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, w.bob.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "ERC1155MissingApprovalForAll")
        .withArgs(w.bob.address, w.proponent.address);
      await expect(w.credit.connect(w.bob).safeBatchTransferFrom(w.proponent.address, w.bob.address, [b1], [1n], "0x"))
        .to.be.revertedWithCustomError(w.credit, "ERC1155MissingApprovalForAll")
        .withArgs(w.bob.address, w.proponent.address);
    });

    it("reverts an operator whose approval was revoked", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, false);
      expect(await w.credit.isApprovedForAll(w.proponent.address, w.bob.address)).to.equal(false);
      await expect(w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, w.bob.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "ERC1155MissingApprovalForAll")
        .withArgs(w.bob.address, w.proponent.address);
    });

    it("reverts beyond the balance with ERC1155InsufficientBalance", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(
        w.credit
          .connect(w.proponent)
          .safeTransferFrom(w.proponent.address, w.alice.address, b1, TO_PROPONENT + 1n, "0x"),
      )
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.proponent.address, TO_PROPONENT, TO_PROPONENT + 1n, b1);
      await expect(w.credit.connect(w.alice).safeTransferFrom(w.alice.address, w.bob.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.alice.address, 0n, 1n, b1);
    });

    it("reverts a batch transfer with one short entry with ERC1155InsufficientBalance", async function () {
      const { w, b1, b2 } = await twoBatchWorld();
      const short = QUANTITY_2 - BUFFER_2 + 1n;
      await expect(
        w.credit
          .connect(w.proponent)
          .safeBatchTransferFrom(w.proponent.address, w.alice.address, [b1, b2], [1n, short], "0x"),
      )
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.proponent.address, QUANTITY_2 - BUFFER_2, short, b2);
      expect(await balance(w, w.alice, b1)).to.equal(0n);
    });

    it("reverts a transfer to address(0) with ERC1155InvalidReceiver", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, ZeroAddress, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InvalidReceiver")
        .withArgs(ZeroAddress);
      await expect(
        w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, ZeroAddress, [b1], [1n], "0x"),
      )
        .to.be.revertedWithCustomError(w.credit, "ERC1155InvalidReceiver")
        .withArgs(ZeroAddress);
    });

    it("reverts a batch transfer with mismatched arrays with ERC1155InvalidArrayLength", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(
        w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, w.alice.address, [b1], [1n, 2n], "0x"),
      )
        .to.be.revertedWithCustomError(w.credit, "ERC1155InvalidArrayLength")
        .withArgs(1n, 2n);
    });

    it("reverts a transfer into the buffer pool with the registry's CarbonRegistryUnexpectedTokens", async function () {
      const { w, b1, registry } = await issuedWorld();
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, registry, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.registry, "CarbonRegistryUnexpectedTokens")
        .withArgs(w.proponent.address);
      expect(await balance(w, registry, b1)).to.equal(BUFFER);
    });
  });

  describe("supply invariant", function () {
    it("holds issued == Σ balances + retired + cancelled after every step of a scripted flow", async function () {
      const w = await creditWorld();
      const projectId = await approvedProject(w);
      const registry = await w.registry.getAddress();
      const ids: bigint[] = [];
      const step = async () => expectSupplyInvariant(w, ids);

      ids.push(await issue(w, projectId, QUANTITY, 1n));
      await step();
      ids.push(await issue(w, projectId, QUANTITY_2, QUANTITY + 1n));
      await step();
      const [b1, b2] = ids;

      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 3_000n, "0x");
      await step();
      await w.credit
        .connect(w.proponent)
        .safeBatchTransferFrom(w.proponent.address, w.bob.address, [b1, b2], [1_000n, 500n], "0x");
      await step();
      await w.retirer.retire(w.alice.address, w.bob.address, b1, 1_200n);
      await step();
      // 2,500 reversal: the whole 2,000 buffer of batch 1, then 500 of batch 2's 1,000.
      await w.registry.connect(w.registrar).recordReversal(projectId, 2_500n, REASON);
      await step();
      await w.retirer.retire(w.bob.address, w.bob.address, b2, 250n);
      await step();
      await w.credit.connect(w.alice).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.bob).safeTransferFrom(w.alice.address, w.outsider.address, b1, 800n, "0x");
      await step();
      await w.registry.connect(w.registrar).suspendBatch(b2, REASON);
      // Suspended: cancellation still draws on the buffer (the 500 left of batch 2).
      await w.registry.connect(w.registrar).recordReversal(projectId, 700n, REASON);
      await step();
      await w.registry.connect(w.registrar).reinstateBatch(b2, REASON);
      await w.credit.connect(w.bob).safeTransferFrom(w.bob.address, w.alice.address, b2, 250n, "0x");
      await step();

      // Exact final state.
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 1_200n, 2_000n]);
      expect(await supply(w, b2)).to.deep.equal([QUANTITY_2, 250n, 1_000n]);
      expect(await w.credit.balanceOfBatch([w.proponent.address, w.proponent.address], [b1, b2])).to.deep.equal([
        4_000n,
        3_500n,
      ]);
      expect(await w.credit.balanceOfBatch([w.alice.address, w.alice.address], [b1, b2])).to.deep.equal([1_000n, 250n]);
      expect(await w.credit.balanceOfBatch([w.bob.address, w.bob.address], [b1, b2])).to.deep.equal([1_000n, 0n]);
      expect(await balance(w, w.outsider, b1)).to.equal(800n);
      expect(await w.credit.balanceOfBatch([registry, registry], [b1, b2])).to.deep.equal([0n, 0n]);
      expect(await w.credit.retiredBalanceOf(w.bob.address, b1)).to.equal(1_200n);
      expect(await w.credit.retiredBalanceOf(w.bob.address, b2)).to.equal(250n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(0n);
      // The 200 not covered by the buffer stay owed by the project.
      expect((await w.registry.getProject(projectId)).reversalShortfall).to.equal(200n);
    });
  });

  describe("retire", function () {
    it("moves tradable units of the holder to the beneficiary's retired balance", async function () {
      const { w, b1 } = await issuedWorld();
      await w.retirer.retire(w.proponent.address, w.alice.address, b1, 1_500n);
      expect(await balance(w, w.proponent, b1)).to.equal(TO_PROPONENT - 1_500n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(1_500n);
      expect(await w.credit.retiredBalanceOf(w.proponent.address, b1)).to.equal(0n);
      expect(await balance(w, w.alice, b1)).to.equal(0n);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 1_500n, 0n]);
      expect(await w.credit.totalSupply(b1)).to.equal(QUANTITY - 1_500n);
    });

    it("emits TransferSingle to address(0) and Retired with the retirer as operator", async function () {
      const { w, b1 } = await issuedWorld();
      const tx = w.retirer.retire(w.proponent.address, w.alice.address, b1, 1_500n);
      await expect(tx)
        .to.emit(w.credit, "TransferSingle")
        .withArgs(w.retirerAddress, w.proponent.address, ZeroAddress, b1, 1_500n);
      await expect(tx)
        .to.emit(w.credit, "UnitsRetired")
        .withArgs(b1, w.proponent.address, w.alice.address, 1_500n, 0n, w.retirerAddress);
    });

    it("returns and emits sequential first units", async function () {
      const { w, b1 } = await issuedWorld();
      const retire = w.retirer.retire;
      expect(await retire.staticCall(w.proponent.address, w.alice.address, b1, 100n)).to.equal(0n);
      await expect(retire(w.proponent.address, w.alice.address, b1, 100n))
        .to.emit(w.credit, "UnitsRetired")
        .withArgs(b1, w.proponent.address, w.alice.address, 100n, 0n, w.retirerAddress);
      expect(await retire.staticCall(w.proponent.address, w.bob.address, b1, 250n)).to.equal(100n);
      await expect(retire(w.proponent.address, w.bob.address, b1, 250n))
        .to.emit(w.credit, "UnitsRetired")
        .withArgs(b1, w.proponent.address, w.bob.address, 250n, 100n, w.retirerAddress);
      expect(await retire.staticCall(w.proponent.address, w.alice.address, b1, 1n)).to.equal(350n);
    });

    it("retires from the bottom while cancellations come from the top, without overlap", async function () {
      const { w, projectId, b1 } = await issuedWorld();
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, TO_PROPONENT))
        .to.emit(w.credit, "UnitsRetired")
        .withArgs(b1, w.proponent.address, w.alice.address, TO_PROPONENT, 0n, w.retirerAddress);
      await expect(w.registry.connect(w.registrar).recordReversal(projectId, BUFFER, REASON))
        .to.emit(w.credit, "Cancelled")
        .withArgs(b1, await w.registry.getAddress(), BUFFER, TO_PROPONENT);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, TO_PROPONENT, BUFFER]);
      expect(await w.credit.totalSupply(b1)).to.equal(0n);
    });

    it("never decreases a retired balance", async function () {
      const { w, projectId, b1 } = await issuedWorld();
      await w.retirer.retire(w.proponent.address, w.alice.address, b1, 400n);
      await w.retirer.retire(w.proponent.address, w.alice.address, b1, 600n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(1_000n);
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 50n, "0x");
      await w.credit.connect(w.alice).safeTransferFrom(w.alice.address, w.bob.address, b1, 50n, "0x");
      await w.registry.connect(w.registrar).recordReversal(projectId, 1_000n, REASON);
      await w.retirer.retire(w.proponent.address, w.bob.address, b1, 10n);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(1_000n);
      expect(await w.credit.retiredBalanceOf(w.bob.address, b1)).to.equal(10n);
    });

    it("cannot transfer retired units", async function () {
      const { w, b1 } = await issuedWorld();
      await w.retirer.retire(w.proponent.address, w.alice.address, b1, 500n);
      await expect(w.credit.connect(w.alice).safeTransferFrom(w.alice.address, w.bob.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.alice.address, 0n, 1n, b1);
      await expect(w.retirer.retire(w.alice.address, w.bob.address, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.alice.address, 0n, 1n, b1);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(500n);
    });

    it("does not call the beneficiary's receiver hook", async function () {
      const { w, b1 } = await issuedWorld();
      const rejecting = await w.ethers.deployContract("ERC1155ReceiverMock", [
        ON_RECEIVED,
        ON_BATCH_RECEIVED,
        RevertType.RevertWithCustomError,
      ]);
      const beneficiary = await rejecting.getAddress();
      await w.retirer.retire(w.proponent.address, beneficiary, b1, 10n);
      expect(await w.credit.retiredBalanceOf(beneficiary, b1)).to.equal(10n);
    });

    it("reverts a zero amount with CarbonCreditZeroAmount", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, 0n)).to.be.revertedWithCustomError(
        w.credit,
        "CarbonCreditZeroAmount",
      );
    });

    it("reverts a zero beneficiary with CarbonCreditInvalidBeneficiary", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.retirer.retire(w.proponent.address, ZeroAddress, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditInvalidBeneficiary")
        .withArgs(ZeroAddress);
    });

    it("reverts when the holder is frozen", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.proponent.address);
    });

    it("reverts when the beneficiary is frozen", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.alice.address);
    });

    it("reverts when the batch is suspended", async function () {
      const { w, b1 } = await issuedWorld();
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchSuspended")
        .withArgs(b1);
    });

    it("reverts when the token is paused", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.pauser).pause();
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, 1n)).to.be.revertedWithCustomError(
        w.credit,
        "EnforcedPause",
      );
    });

    it("reverts beyond the holder's balance with ERC1155InsufficientBalance", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, TO_PROPONENT + 1n))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.proponent.address, TO_PROPONENT, TO_PROPONENT + 1n, b1);
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, UNKNOWN_ID, 1n))
        .to.be.revertedWithCustomError(w.credit, "ERC1155InsufficientBalance")
        .withArgs(w.proponent.address, 0n, 1n, UNKNOWN_ID);
    });

    it("refuses to retire the buffer pool's units with CarbonCreditBufferPoolLocked", async function () {
      const { w, projectId, b1, registry } = await issuedWorld();
      await expect(w.retirer.retire(registry, w.alice.address, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBufferPoolLocked")
        .withArgs(registry);
      expect(await w.credit.balanceOf(registry, b1)).to.equal(BUFFER);
      expect(await w.registry.bufferBalance(projectId)).to.equal(BUFFER);
    });

    it("reverts with CarbonCreditOnlyRetirementRegistry for any caller but the bound retirement registry, even the holder and ADMIN", async function () {
      const { w, b1 } = await issuedWorld();
      for (const caller of [w.outsider, w.proponent, w.admin]) {
        await expect(w.credit.connect(caller).retire(w.proponent.address, caller.address, b1, 1n))
          .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRetirementRegistry")
          .withArgs(caller.address);
      }
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 0n]);
    });
  });

  describe("cancel via registry.recordReversal", function () {
    it("burns buffer units and emits Cancelled with first units counted from the top", async function () {
      const { w, projectId, b1, registry } = await issuedWorld();
      const first = w.registry.connect(w.registrar).recordReversal(projectId, 500n, REASON);
      await expect(first)
        .to.emit(w.credit, "Cancelled")
        .withArgs(b1, registry, 500n, QUANTITY - 500n);
      await expect(first).to.emit(w.credit, "TransferSingle").withArgs(registry, registry, ZeroAddress, b1, 500n);
      await expect(w.registry.connect(w.registrar).recordReversal(projectId, 300n, REASON))
        .to.emit(w.credit, "Cancelled")
        .withArgs(b1, registry, 300n, QUANTITY - 800n);
      expect(await balance(w, registry, b1)).to.equal(BUFFER - 800n);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 800n]);
      expect(await w.credit.totalSupply(b1)).to.equal(QUANTITY - 800n);
    });

    it("still cancels from a suspended batch", async function () {
      const { w, projectId, b1, registry } = await issuedWorld();
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      await expect(w.registry.connect(w.registrar).recordReversal(projectId, 400n, REASON))
        .to.emit(w.credit, "Cancelled")
        .withArgs(b1, registry, 400n, QUANTITY - 400n);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 400n]);
      expect(await w.credit.isSuspended(b1)).to.equal(true);
    });

    it("reverts with EnforcedPause while the token is paused", async function () {
      const { w, projectId, b1, registry } = await issuedWorld();
      await w.credit.connect(w.pauser).pause();
      await expect(
        w.registry.connect(w.registrar).recordReversal(projectId, 400n, REASON),
      ).to.be.revertedWithCustomError(w.credit, "EnforcedPause");
      expect(await balance(w, registry, b1)).to.equal(BUFFER);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 0n]);
    });
  });

  describe("freeze", function () {
    it("freezes and unfreezes with events carrying the reason hash", async function () {
      const { w } = await issuedWorld();
      const why = id("court order 42");
      await expect(w.credit.connect(w.regulator).freeze(w.alice.address, why))
        .to.emit(w.credit, "AccountFrozen")
        .withArgs(w.alice.address, why);
      expect(await w.credit.isFrozen(w.alice.address)).to.equal(true);
      expect(await w.credit.isFrozen(w.bob.address)).to.equal(false);
      const lifted = id("order lifted");
      await expect(w.credit.connect(w.regulator).unfreeze(w.alice.address, lifted))
        .to.emit(w.credit, "AccountUnfrozen")
        .withArgs(w.alice.address, lifted);
      expect(await w.credit.isFrozen(w.alice.address)).to.equal(false);
    });

    it("reverts when the sender is frozen", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.proponent.address);
      await expect(
        w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, w.alice.address, [b1], [1n], "0x"),
      )
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.proponent.address);
    });

    it("reverts when the recipient is frozen", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.alice.address);
      await expect(
        w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, w.alice.address, [b1], [1n], "0x"),
      )
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.alice.address);
    });

    it("reverts when an approved operator moves a frozen owner's units", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      await expect(w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, w.bob.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.proponent.address);
    });

    it("reverts when an approved operator sends to a frozen recipient", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      await expect(w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.alice.address);
    });

    it("reverts when a frozen operator moves an unfrozen owner's units", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.regulator).freeze(w.bob.address, REASON);
      await expect(w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.bob.address);
      expect(await w.credit.balanceOf(w.alice.address, b1)).to.equal(0n);
    });

    it("reverts a retirement through a frozen retirement registry (the operator)", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.retirerAddress, REASON);
      await expect(w.retirer.retire(w.proponent.address, w.alice.address, b1, 1n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.retirerAddress);
    });

    it("reverts a fresh issuance to a frozen proponent", async function () {
      const { w, projectId } = await issuedWorld();
      const reportId = (await verifiedReport(w, projectId, 1_000n, QUANTITY + 1n)).reportId;
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      await expect(w.registry.connect(w.registrar).issueBatch(reportId, 0n))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.proponent.address);
      expect(await w.credit.exists(2n)).to.equal(false);
    });

    it("restores transfers and issuance after unfreezing", async function () {
      const { w, projectId, b1 } = await issuedWorld();
      const reportId = (await verifiedReport(w, projectId, 1_000n, QUANTITY + 1n)).reportId;
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      await w.credit.connect(w.regulator).unfreeze(w.proponent.address, REASON);
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 7n, "0x");
      expect(await balance(w, w.alice, b1)).to.equal(7n);
      await w.registry.connect(w.registrar).issueBatch(reportId, 0n);
      expect(await balance(w, w.proponent, 2n)).to.equal(800n);
    });

    it("keeps other accounts moving while one account is frozen", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 100n, "0x");
      await w.credit.connect(w.regulator).freeze(w.outsider.address, REASON);
      await w.credit.connect(w.alice).safeTransferFrom(w.alice.address, w.bob.address, b1, 60n, "0x");
      expect(await balance(w, w.bob, b1)).to.equal(60n);
    });

    it("reverts freezing twice with CarbonCreditFreezeUnchanged(account, true)", async function () {
      const { w } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      await expect(w.credit.connect(w.regulator).freeze(w.alice.address, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditFreezeUnchanged")
        .withArgs(w.alice.address, true);
    });

    it("reverts unfreezing a non-frozen account with CarbonCreditFreezeUnchanged(account, false)", async function () {
      const { w } = await issuedWorld();
      await expect(w.credit.connect(w.regulator).unfreeze(w.alice.address, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditFreezeUnchanged")
        .withArgs(w.alice.address, false);
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      await w.credit.connect(w.regulator).unfreeze(w.alice.address, REASON);
      await expect(w.credit.connect(w.regulator).unfreeze(w.alice.address, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditFreezeUnchanged")
        .withArgs(w.alice.address, false);
    });

    it("reverts freezing address(0) with CarbonCreditInvalidAccount", async function () {
      const { w } = await issuedWorld();
      await expect(w.credit.connect(w.regulator).freeze(ZeroAddress, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditInvalidAccount")
        .withArgs(ZeroAddress);
    });

    it("reverts freezing the registry (issuer and buffer pool) with CarbonCreditInvalidAccount", async function () {
      const { w, registry } = await issuedWorld();
      await expect(w.credit.connect(w.regulator).freeze(registry, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditInvalidAccount")
        .withArgs(registry);
      expect(await w.credit.isFrozen(registry)).to.equal(false);
    });

    it("reverts freeze and unfreeze for an account without the REGULATOR role", async function () {
      const { w } = await issuedWorld();
      await expect(w.credit.connect(w.outsider).freeze(w.alice.address, REASON))
        .to.be.revertedWithCustomError(w.credit, "AccessManagedUnauthorized")
        .withArgs(w.outsider.address);
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      await expect(w.credit.connect(w.pauser).unfreeze(w.alice.address, REASON))
        .to.be.revertedWithCustomError(w.credit, "AccessManagedUnauthorized")
        .withArgs(w.pauser.address);
    });
  });

  describe("suspension", function () {
    it("suspends through the registry with SuspensionChanged", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.registry.connect(w.registrar).suspendBatch(b1, REASON))
        .to.emit(w.credit, "SuspensionChanged")
        .withArgs(b1, true);
      expect(await w.credit.isSuspended(b1)).to.equal(true);
    });

    it("reverts transfers of a suspended batch with CarbonCreditBatchSuspended", async function () {
      const { w, b1 } = await issuedWorld();
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchSuspended")
        .withArgs(b1);
    });

    it("still moves other batches", async function () {
      const { w, b1, b2 } = await twoBatchWorld();
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b2, 11n, "0x");
      expect(await balance(w, w.alice, b2)).to.equal(11n);
    });

    it("reverts a batch transfer that contains a suspended batch", async function () {
      const { w, b1, b2 } = await twoBatchWorld();
      await w.registry.connect(w.registrar).suspendBatch(b2, REASON);
      await expect(
        w.credit
          .connect(w.proponent)
          .safeBatchTransferFrom(w.proponent.address, w.alice.address, [b1, b2], [1n, 1n], "0x"),
      )
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchSuspended")
        .withArgs(b2);
      expect(await balance(w, w.alice, b1)).to.equal(0n);
    });

    it("restores transfers when reinstated", async function () {
      const { w, b1 } = await issuedWorld();
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      await expect(w.registry.connect(w.registrar).reinstateBatch(b1, REASON))
        .to.emit(w.credit, "SuspensionChanged")
        .withArgs(b1, false);
      expect(await w.credit.isSuspended(b1)).to.equal(false);
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 3n, "0x");
      expect(await balance(w, w.alice, b1)).to.equal(3n);
    });

    it("reverts an unchanged suspension with CarbonCreditSuspensionUnchanged", async function () {
      const { w, b1 } = await issuedWorld();
      await expect(w.registry.connect(w.registrar).reinstateBatch(b1, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditSuspensionUnchanged")
        .withArgs(b1, false);
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      await expect(w.registry.connect(w.registrar).suspendBatch(b1, REASON))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditSuspensionUnchanged")
        .withArgs(b1, true);
    });

    it("tracks suspensions per batch (reinstating one keeps the other suspended)", async function () {
      const { w, b1, b2 } = await twoBatchWorld();
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      await w.registry.connect(w.registrar).suspendBatch(b2, REASON);
      await w.registry.connect(w.registrar).reinstateBatch(b1, REASON);
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x");
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b2, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchSuspended")
        .withArgs(b2);
    });
  });

  describe("pause", function () {
    it("pauses and unpauses with events naming the pauser", async function () {
      const { w } = await issuedWorld();
      await expect(w.credit.connect(w.pauser).pause()).to.emit(w.credit, "Paused").withArgs(w.pauser.address);
      expect(await w.credit.paused()).to.equal(true);
      await expect(w.credit.connect(w.pauser).unpause()).to.emit(w.credit, "Unpaused").withArgs(w.pauser.address);
      expect(await w.credit.paused()).to.equal(false);
    });

    it("reverts every movement with EnforcedPause", async function () {
      const { w, projectId, b1 } = await issuedWorld();
      const reportId = (await verifiedReport(w, projectId, 1_000n, QUANTITY + 1n)).reportId;
      await w.credit.connect(w.proponent).setApprovalForAll(w.bob.address, true);
      await w.credit.connect(w.pauser).pause();
      const movements = [
        () => w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x"),
        () =>
          w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, w.alice.address, [b1], [1n], "0x"),
        () => w.credit.connect(w.bob).safeTransferFrom(w.proponent.address, w.alice.address, b1, 1n, "0x"),
        () => w.retirer.retire(w.proponent.address, w.alice.address, b1, 1n),
        () => w.registry.connect(w.registrar).recordReversal(projectId, 1n, REASON),
        () => w.registry.connect(w.registrar).issueBatch(reportId, 0n),
      ];
      for (const movement of movements) {
        await expect(movement()).to.be.revertedWithCustomError(w.credit, "EnforcedPause");
      }
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 0n]);
      expect(await w.credit.exists(2n)).to.equal(false);
    });

    it("keeps the views working while paused", async function () {
      const { w, b1, registry } = await issuedWorld();
      await w.credit.connect(w.pauser).pause();
      expect(await balance(w, w.proponent, b1)).to.equal(TO_PROPONENT);
      expect(await w.credit.balanceOfBatch([w.proponent.address, registry], [b1, b1])).to.deep.equal([
        TO_PROPONENT,
        BUFFER,
      ]);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 0n]);
      expect(await w.credit.totalSupply(b1)).to.equal(QUANTITY);
      expect(await w.credit.exists(b1)).to.equal(true);
      expect(await w.credit.retiredBalanceOf(w.alice.address, b1)).to.equal(0n);
      expect(await w.credit.isFrozen(w.alice.address)).to.equal(false);
      expect(await w.credit.isSuspended(b1)).to.equal(false);
      expect((await metadata(w, b1)).properties.issued).to.equal("10000");
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, b1, 1n)).to.equal(TransferStatus.Paused);
    });

    it("resumes movements after unpausing", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.pauser).pause();
      await w.credit.connect(w.pauser).unpause();
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, w.alice.address, b1, 5n, "0x");
      expect(await balance(w, w.alice, b1)).to.equal(5n);
    });

    it("reverts a second pause with EnforcedPause", async function () {
      const { w } = await issuedWorld();
      await w.credit.connect(w.pauser).pause();
      await expect(w.credit.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.credit, "EnforcedPause");
    });

    it("reverts unpausing when not paused with ExpectedPause", async function () {
      const { w } = await issuedWorld();
      await expect(w.credit.connect(w.pauser).unpause()).to.be.revertedWithCustomError(w.credit, "ExpectedPause");
    });

    it("reverts pause and unpause for an account without the PAUSER role", async function () {
      const { w } = await issuedWorld();
      await expect(w.credit.connect(w.regulator).pause())
        .to.be.revertedWithCustomError(w.credit, "AccessManagedUnauthorized")
        .withArgs(w.regulator.address);
      await w.credit.connect(w.pauser).pause();
      await expect(w.credit.connect(w.outsider).unpause())
        .to.be.revertedWithCustomError(w.credit, "AccessManagedUnauthorized")
        .withArgs(w.outsider.address);
    });
  });

  describe("canTransfer", function () {
    it("returns Ok for a transfer that would succeed", async function () {
      const { w, b1 } = await issuedWorld();
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, b1, TO_PROPONENT)).to.equal(
        TransferStatus.Ok,
      );
    });

    it("returns Paused while the token is paused", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.pauser).pause();
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, b1, 1n)).to.equal(TransferStatus.Paused);
    });

    it("returns SenderFrozen when the sender is frozen", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.proponent.address, REASON);
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, b1, 1n)).to.equal(
        TransferStatus.SenderFrozen,
      );
    });

    it("returns RecipientFrozen when the recipient is frozen", async function () {
      const { w, b1 } = await issuedWorld();
      await w.credit.connect(w.regulator).freeze(w.alice.address, REASON);
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, b1, 1n)).to.equal(
        TransferStatus.RecipientFrozen,
      );
    });

    it("returns BatchSuspended when the batch is suspended", async function () {
      const { w, b1 } = await issuedWorld();
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, b1, 1n)).to.equal(
        TransferStatus.BatchSuspended,
      );
    });

    it("returns InsufficientBalance beyond the sender's balance", async function () {
      const { w, b1 } = await issuedWorld();
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, b1, TO_PROPONENT + 1n)).to.equal(
        TransferStatus.InsufficientBalance,
      );
      expect(await w.credit.canTransfer(w.alice.address, w.bob.address, b1, 1n)).to.equal(
        TransferStatus.InsufficientBalance,
      );
    });

    it("returns InvalidRecipient for address(0)", async function () {
      const { w, b1 } = await issuedWorld();
      expect(await w.credit.canTransfer(w.proponent.address, ZeroAddress, b1, 1n)).to.equal(
        TransferStatus.InvalidRecipient,
      );
    });

    it("returns UnknownBatch for a batch never issued", async function () {
      const { w } = await issuedWorld();
      expect(await w.credit.canTransfer(w.proponent.address, w.alice.address, UNKNOWN_ID, 0n)).to.equal(
        TransferStatus.UnknownBatch,
      );
    });
  });

  describe("uri", function () {
    it("renders the batch metadata as base64 JSON", async function () {
      const { w, b1 } = await issuedWorld();
      const batch = await w.registry.getBatch(b1);
      const report = await w.registry.getReport(batch.reportId);
      expect(await metadata(w, b1)).to.deep.equal({
        name: "CNT carbon credit batch #1",
        description:
          "Verified carbon credits of project VCS-4242 (VCS, BR-PA). 1 unit = 1 kg CO2e; 1,000 units = 1 tCO2e.",
        decimals: 3,
        properties: {
          projectId: "1",
          standard: "VCS",
          externalRef: "VCS-4242",
          jurisdiction: "BR-PA",
          methodology: "VM0047",
          category: "removal",
          projectUri: "ipfs://project-4242",
          vintageStart: Number(batch.vintageStart),
          vintageEnd: Number(batch.vintageEnd),
          serialStart: "1",
          serialEnd: "10000",
          authorisation: "none",
          correspondingAdjustment: "not applicable",
          reportHash: report.reportHash,
          verificationHash: report.verificationHash,
          verifier: w.verifier.address,
          issued: "10000",
          retired: "0",
          cancelled: "0",
          suspended: false,
        },
      });
      expect(batch.vintageEnd - batch.vintageStart).to.equal(31_536_000n);
    });

    it("shows the Article 6 status set by the registry", async function () {
      const { w, b1 } = await issuedWorld();
      await w.registry.connect(w.registrar).setArticle6Status(b1, Authorisation.NDC, Adjustment.Applied);
      let { properties } = await metadata(w, b1);
      expect([properties.authorisation, properties.correspondingAdjustment]).to.deep.equal(["NDC use", "applied"]);
      await w.registry.connect(w.registrar).setArticle6Status(b1, Authorisation.OIMP, Adjustment.Pending);
      ({ properties } = await metadata(w, b1));
      expect([properties.authorisation, properties.correspondingAdjustment]).to.deep.equal([
        "other international mitigation purposes",
        "pending",
      ]);
      await w.registry.connect(w.registrar).setArticle6Status(b1, Authorisation.None, Adjustment.NotApplicable);
      ({ properties } = await metadata(w, b1));
      expect([properties.authorisation, properties.correspondingAdjustment]).to.deep.equal(["none", "not applicable"]);
    });

    it("shows live supply and suspension", async function () {
      const { w, projectId, b1 } = await issuedWorld();
      await w.retirer.retire(w.proponent.address, w.alice.address, b1, 1_234n);
      await w.registry.connect(w.registrar).recordReversal(projectId, 567n, REASON);
      await w.registry.connect(w.registrar).suspendBatch(b1, REASON);
      const { properties } = await metadata(w, b1);
      expect([properties.issued, properties.retired, properties.cancelled, properties.suspended]).to.deep.equal([
        "10000",
        "1234",
        "567",
        true,
      ]);
    });

    it("escapes quotes, backslashes and control characters of proponent text", async function () {
      const { w } = await issuedWorld();
      // The standard, the external reference and the jurisdiction are canonical codes (no quotes); the rest is free
      // text.
      const externalRef = "GS-7/A_B.C";
      const standard = "GS";
      const jurisdiction = "BR-SP";
      const uri = 'ipfs://"x"';
      await w.registry.connect(w.registrar).addMethodology('AMS-III."D"', Category.Avoidance, "ipfs://ams");
      await w.registry.connect(w.registrar).accreditVerifier(w.verifier.address, 2n);
      await w.registry.connect(w.proponent).registerProject({
        methodologyId: 2,
        bufferBps: 1_000,
        standardId: await standardIdOf(w, standard),
        externalRef,
        jurisdiction,
        uri,
      });
      await w.registry.connect(w.registrar).approveProject(2n, REASON);
      const b = await issue(w, 2n, 1_000n, 1n);
      const meta = await metadata(w, b);
      expect(meta.name).to.equal(`CNT carbon credit batch #${b}`);
      expect(meta.description).to.equal(
        `Verified carbon credits of project ${externalRef} (${standard}, ${jurisdiction}). 1 unit = 1 kg CO2e; 1,000 units = 1 tCO2e.`,
      );
      expect(meta.properties.externalRef).to.equal(externalRef);
      expect(meta.properties.standard).to.equal(standard);
      expect(meta.properties.jurisdiction).to.equal(jurisdiction);
      expect(meta.properties.projectUri).to.equal(uri);
      expect(meta.properties.methodology).to.equal('AMS-III."D"');
      expect(meta.properties.category).to.equal("avoidance");
      expect(meta.properties.projectId).to.equal("2");
      expect(meta.properties.issued).to.equal("1000");
    });

    it("reverts for an unknown batch with CarbonCreditUnknownBatch", async function () {
      const { w } = await issuedWorld();
      await expect(w.credit.uri(UNKNOWN_ID))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditUnknownBatch")
        .withArgs(UNKNOWN_ID);
      await expect(w.credit.uri(0n)).to.be.revertedWithCustomError(w.credit, "CarbonCreditUnknownBatch").withArgs(0n);
    });
  });

  describe("supportsInterface", function () {
    const IERC1155_FUNCTIONS = [
      "balanceOf(address,uint256)",
      "balanceOfBatch(address[],uint256[])",
      "setApprovalForAll(address,bool)",
      "isApprovedForAll(address,address)",
      "safeTransferFrom(address,address,uint256,uint256,bytes)",
      "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)",
    ];
    const IERC165_FUNCTIONS = ["supportsInterface(bytes4)"];

    it("supports IERC165, IERC1155 and IERC1155MetadataURI", async function () {
      const { w } = await issuedWorld();
      expect(interfaceId(IERC1155_FUNCTIONS)).to.equal("0xd9b67a26");
      expect(interfaceId(["uri(uint256)"])).to.equal("0x0e89341c");
      expect(interfaceId(IERC165_FUNCTIONS)).to.equal("0x01ffc9a7");
      expect(await w.credit.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await w.credit.supportsInterface("0xd9b67a26")).to.equal(true);
      expect(await w.credit.supportsInterface("0x0e89341c")).to.equal(true);
    });

    it("supports the ICarbonCredit interface id (its own functions only)", async function () {
      const { w } = await issuedWorld();
      const iface = (await w.ethers.getContractAt("ICarbonCredit", await w.credit.getAddress())).interface;
      const own = ownFunctionSignatures(iface, [...IERC1155_FUNCTIONS, ...IERC165_FUNCTIONS]);
      expect([...own].sort()).to.deep.equal([
        "bindRetirementRegistry(address)",
        "canTransfer(address,address,uint256,uint256)",
        "cancel(address,uint256,uint256)",
        "exists(uint256)",
        "freeze(address,bytes32)",
        "isFrozen(address)",
        "isSuspended(uint256)",
        "mintBatch(uint256,address,uint256,address,uint256)",
        "pause()",
        "paused()",
        "registry()",
        "retire(address,address,uint256,uint256)",
        "retiredBalanceOf(address,uint256)",
        "retirementRegistry()",
        "setSuspended(uint256,bool)",
        "supplyOf(uint256)",
        "totalSupply(uint256)",
        "unfreeze(address,bytes32)",
        "unpause()",
      ]);
      const carbonCreditId = interfaceId(own);
      expect(await w.credit.supportsInterface(carbonCreditId)).to.equal(true);
      // Including the inherited IERC1155 selectors gives a different id, which is not claimed.
      const withInherited = interfaceId([...own, ...IERC1155_FUNCTIONS]);
      expect(withInherited).to.not.equal(carbonCreditId);
      expect(await w.credit.supportsInterface(withInherited)).to.equal(false);
    });

    it("rejects 0xffffffff and unrelated interfaces", async function () {
      const { w } = await issuedWorld();
      expect(await w.credit.supportsInterface("0xffffffff")).to.equal(false);
      expect(await w.credit.supportsInterface("0x4e2312e0")).to.equal(false); // IERC1155Receiver
      expect(await w.credit.supportsInterface("0x80ac58cd")).to.equal(false); // IERC721
    });
  });

  describe("ERC-1155 receivers", function () {
    async function receiverWorld(recRetval: string, batRetval: string, mode: number) {
      const ctx = await twoBatchWorld();
      const receiver: ERC1155ReceiverMock = await ctx.w.ethers.deployContract("ERC1155ReceiverMock", [
        recRetval,
        batRetval,
        mode,
      ]);
      return { ...ctx, receiver, to: await receiver.getAddress() };
    }

    function single(ctx: Awaited<ReturnType<typeof receiverWorld>>) {
      return ctx.w.credit
        .connect(ctx.w.proponent)
        .safeTransferFrom(ctx.w.proponent.address, ctx.to, ctx.b1, 5n, "0x1234");
    }

    function batch(ctx: Awaited<ReturnType<typeof receiverWorld>>) {
      return ctx.w.credit
        .connect(ctx.w.proponent)
        .safeBatchTransferFrom(ctx.w.proponent.address, ctx.to, [ctx.b1, ctx.b2], [5n, 6n], "0x1234");
    }

    it("accepts a single transfer and emits Received", async function () {
      const ctx = await receiverWorld(ON_RECEIVED, ON_BATCH_RECEIVED, RevertType.None);
      await expect(single(ctx))
        .to.emit(ctx.receiver, "Received")
        .withArgs(ctx.w.proponent.address, ctx.w.proponent.address, ctx.b1, 5n, "0x1234");
      expect(await balance(ctx.w, ctx.to, ctx.b1)).to.equal(5n);
    });

    it("accepts a batch transfer and emits BatchReceived", async function () {
      const ctx = await receiverWorld(ON_RECEIVED, ON_BATCH_RECEIVED, RevertType.None);
      await expect(batch(ctx))
        .to.emit(ctx.receiver, "BatchReceived")
        .withArgs(ctx.w.proponent.address, ctx.w.proponent.address, [ctx.b1, ctx.b2], [5n, 6n], "0x1234");
      expect(await ctx.w.credit.balanceOfBatch([ctx.to, ctx.to], [ctx.b1, ctx.b2])).to.deep.equal([5n, 6n]);
    });

    it("reverts with ERC1155InvalidReceiver when the single hook returns a wrong value", async function () {
      const ctx = await receiverWorld("0x00c0ffee", ON_BATCH_RECEIVED, RevertType.None);
      await expect(single(ctx)).to.be.revertedWithCustomError(ctx.w.credit, "ERC1155InvalidReceiver").withArgs(ctx.to);
      await batch(ctx);
      expect(await balance(ctx.w, ctx.to, ctx.b1)).to.equal(5n);
    });

    it("reverts with ERC1155InvalidReceiver when the batch hook returns a wrong value", async function () {
      const ctx = await receiverWorld(ON_RECEIVED, ON_RECEIVED, RevertType.None);
      await expect(batch(ctx)).to.be.revertedWithCustomError(ctx.w.credit, "ERC1155InvalidReceiver").withArgs(ctx.to);
      await single(ctx);
      expect(await balance(ctx.w, ctx.to, ctx.b1)).to.equal(5n);
    });

    it("reverts with ERC1155InvalidReceiver when the hooks revert without a message", async function () {
      const ctx = await receiverWorld(ON_RECEIVED, ON_BATCH_RECEIVED, RevertType.RevertWithoutMessage);
      await expect(single(ctx)).to.be.revertedWithCustomError(ctx.w.credit, "ERC1155InvalidReceiver").withArgs(ctx.to);
      await expect(batch(ctx)).to.be.revertedWithCustomError(ctx.w.credit, "ERC1155InvalidReceiver").withArgs(ctx.to);
    });

    it("propagates the receiver's revert string", async function () {
      const ctx = await receiverWorld(ON_RECEIVED, ON_BATCH_RECEIVED, RevertType.RevertWithMessage);
      await expect(single(ctx)).to.be.revertedWith("ERC1155ReceiverMock: reverting on receive");
      await expect(batch(ctx)).to.be.revertedWith("ERC1155ReceiverMock: reverting on batch receive");
    });

    it("propagates the receiver's custom error", async function () {
      const ctx = await receiverWorld(ON_RECEIVED, ON_BATCH_RECEIVED, RevertType.RevertWithCustomError);
      await expect(single(ctx)).to.be.revertedWithCustomError(ctx.receiver, "CustomError").withArgs(ON_RECEIVED);
      await expect(batch(ctx)).to.be.revertedWithCustomError(ctx.receiver, "CustomError").withArgs(ON_BATCH_RECEIVED);
    });

    it("propagates the receiver's panic", async function () {
      const ctx = await receiverWorld(ON_RECEIVED, ON_BATCH_RECEIVED, RevertType.Panic);
      await expect(single(ctx)).to.be.revertedWithPanic(0x12);
      await expect(batch(ctx)).to.be.revertedWithPanic(0x12);
      expect(await ctx.w.credit.balanceOfBatch([ctx.to, ctx.to], [ctx.b1, ctx.b2])).to.deep.equal([0n, 0n]);
    });
  });

  describe("re-entrant receivers", function () {
    async function reentrantWorld() {
      const ctx = await twoBatchWorld();
      const mock: ReentrantReceiverMock = await ctx.w.ethers.deployContract("ReentrantReceiverMock", [
        await ctx.w.credit.getAddress(),
      ]);
      return { ...ctx, mock, at: await mock.getAddress() };
    }

    it("forwards what it receives inside the hook without breaking the supply invariant", async function () {
      const { w, b1, b2, mock, at } = await reentrantWorld();
      await mock.configure(Action.ForwardReceived, w.bob.address, 0n);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, at, b1, 700n, "0x"))
        .to.emit(w.credit, "TransferSingle")
        .withArgs(at, at, w.bob.address, b1, 700n);
      expect(await balance(w, at, b1)).to.equal(0n);
      expect(await balance(w, w.bob, b1)).to.equal(700n);
      expect(await balance(w, w.proponent, b1)).to.equal(TO_PROPONENT - 700n);
      await expectSupplyInvariant(w, [b1, b2]);
    });

    it("forwards a received batch inside the hook without breaking the supply invariant", async function () {
      const { w, b1, b2, mock, at } = await reentrantWorld();
      await mock.configure(Action.ForwardReceived, w.bob.address, 0n);
      await w.credit.connect(w.proponent).safeBatchTransferFrom(w.proponent.address, at, [b1, b2], [70n, 80n], "0x");
      expect(await w.credit.balanceOfBatch([at, at, w.bob.address, w.bob.address], [b1, b2, b1, b2])).to.deep.equal([
        0n,
        0n,
        70n,
        80n,
      ]);
      await expectSupplyInvariant(w, [b1, b2]);
    });

    it("cannot retire inside the hook, not being the retirement registry (the whole transfer reverts)", async function () {
      const { w, b1, mock, at } = await reentrantWorld();
      await mock.configure(Action.RetireReceived, w.alice.address, 0n);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, at, b1, 300n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRetirementRegistry")
        .withArgs(at);
      expect(await balance(w, w.proponent, b1)).to.equal(TO_PROPONENT);
      expect(await supply(w, b1)).to.deep.equal([QUANTITY, 0n, 0n]);
    });

    it("cannot move a suspended batch from inside the hook", async function () {
      const { w, b1, b2, mock, at } = await reentrantWorld();
      await w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, at, b2, 400n, "0x");
      await w.registry.connect(w.registrar).suspendBatch(b2, REASON);
      await mock.configure(Action.MoveOther, w.bob.address, b2);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, at, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditBatchSuspended")
        .withArgs(b2);
      expect(await w.credit.balanceOfBatch([at, at, w.bob.address], [b1, b2, b2])).to.deep.equal([0n, 400n, 0n]);
      await expectSupplyInvariant(w, [b1, b2]);
    });

    it("cannot reinstate a suspended batch from inside the hook", async function () {
      const { w, b1, b2, mock, at } = await reentrantWorld();
      await w.registry.connect(w.registrar).suspendBatch(b2, REASON);
      await mock.configure(Action.ReinstateOther, w.bob.address, b2);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, at, b1, 1n, "0x"))
        .to.be.revertedWithCustomError(w.registry, "AccessManagedUnauthorized")
        .withArgs(at);
      expect(await w.credit.isSuspended(b2)).to.equal(true);
    });

    it("cannot forward to a frozen account from inside the hook", async function () {
      const { w, b1, b2, mock, at } = await reentrantWorld();
      await w.credit.connect(w.regulator).freeze(w.bob.address, REASON);
      await mock.configure(Action.ForwardReceived, w.bob.address, 0n);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, at, b1, 9n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(w.bob.address);
      expect(await w.credit.balanceOfBatch([w.proponent.address, at, w.bob.address], [b1, b1, b1])).to.deep.equal([
        TO_PROPONENT,
        0n,
        0n,
      ]);
      await expectSupplyInvariant(w, [b1, b2]);
    });

    it("cannot receive at all while frozen (the hook never runs)", async function () {
      const { w, b1, mock, at } = await reentrantWorld();
      await w.credit.connect(w.regulator).freeze(at, REASON);
      await mock.configure(Action.ForwardReceived, w.bob.address, 0n);
      await expect(w.credit.connect(w.proponent).safeTransferFrom(w.proponent.address, at, b1, 9n, "0x"))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditAccountFrozen")
        .withArgs(at);
      expect(await balance(w, w.proponent, b1)).to.equal(TO_PROPONENT);
      expect(await balance(w, w.bob, b1)).to.equal(0n);
    });
  });
});
