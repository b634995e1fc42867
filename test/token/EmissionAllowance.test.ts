import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { MaxUint256, ZeroAddress, id, type Interface } from "ethers";

import { selector } from "../../scripts/lib/suite.js";
import type { EmissionAllowance, ERC20Mock } from "../../typechain-types/index.js";
import { DAY, PERIOD, TONNE, latest, openPeriod, registerInstallation, timeTo } from "../helpers/compliance.js";
import { actAs, deployWorld, type World } from "../helpers/fixtures.js";
import { nestedFixtures } from "../helpers/registry.js";

// Installation 1 (alice) is allocated 10,000 t of PERIOD, installation 2 (bob) 4,000 t.
const ALICE_ALLOCATION = 10_000n * TONNE;
const BOB_ALLOCATION = 4_000n * TONNE;
const SUPPLY = ALICE_ALLOCATION + BOB_ALLOCATION;
const NEXT_PERIOD = PERIOD + 1n;
const NEXT_ALLOCATION = 2_500n * TONNE;
const REASON = id("reason: sanctions screening");
const UNFREEZE_REASON = id("reason: cleared");
// Marketplace: 80 base units of a 6-decimal stablecoin per kg (80 USDC a tonne); buyers start with 1,000,000 USDC.
const PRICE = 80n;
const LISTED = 1_000n * TONNE;
const MIN_FILL = TONNE;
const FUNDS = 1_000_000_000_000n;

const DATA_URI = "data:application/json;base64,";
const IERC1155_FUNCTIONS = [
  "balanceOf(address,uint256)",
  "balanceOfBatch(address[],uint256[])",
  "setApprovalForAll(address,bool)",
  "isApprovedForAll(address,address)",
  "safeTransferFrom(address,address,uint256,uint256,bytes)",
  "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)",
];
const IERC165_FUNCTIONS = ["supportsInterface(bytes4)"];

/** The world of this file: `carol` is an operator alice approves. */
interface Ctx {
  w: World;
  carol: HardhatEthersSigner;
  complianceAddress: string;
}

/** Installations 1 (alice) and 2 (bob) allocated their PERIOD allowances. */
interface Allocated extends Ctx {
  reportingDeadline: bigint;
  surrenderDeadline: bigint;
}

function interfaceId(signatures: string[]): string {
  let xor = 0n;
  for (const signature of signatures) xor ^= BigInt(selector(signature));
  return "0x" + xor.toString(16).padStart(8, "0");
}

describe("EmissionAllowance", function () {
  let world: Ctx;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  // ------------------------------------------------------------------ fixtures (each builds on the previous one)

  async function deployed(): Promise<Ctx> {
    return world;
  }

  /**
   * PERIOD opened (reporting closes in 60 days, surrender 30 days later); installation 1 run by alice allocated
   * ALICE_ALLOCATION, installation 2 run by bob allocated BOB_ALLOCATION; alice approved carol as operator.
   */
  async function allocated(): Promise<Allocated> {
    const ctx = await load(deployed);
    const { w } = ctx;
    const deadlines = await openPeriod(w, PERIOD);
    await registerInstallation(w, w.alice);
    await registerInstallation(w, w.bob);
    await (
      await w.compliance.connect(w.regulator).allocateMany(PERIOD, [1n, 2n], [ALICE_ALLOCATION, BOB_ALLOCATION])
    ).wait();
    await (await w.allowance.connect(w.alice).setApprovalForAll(ctx.carol.address, true)).wait();
    return { ...ctx, ...deadlines };
  }

  /** allocated plus NEXT_PERIOD opened (reporting in 400 days) and NEXT_ALLOCATION of it allocated to alice. */
  async function twoPeriods(): Promise<Allocated> {
    const ctx = await load(allocated);
    await openPeriod(ctx.w, NEXT_PERIOD, {}, 400n * DAY);
    await (await ctx.w.compliance.connect(ctx.w.regulator).allocate(NEXT_PERIOD, 1n, NEXT_ALLOCATION)).wait();
    return ctx;
  }

  before(async function () {
    const w = await deployWorld();
    const signers = await w.ethers.getSigners();
    world = { w, carol: signers[11], complianceAddress: await w.compliance.getAddress() };
    load = nestedFixtures(w);
    await load(deployed);
  });

  // ------------------------------------------------------------------ helpers

  /** The allowance token as the compliance registry (impersonated), for edge cases the registry never reaches. */
  async function asCompliance(ctx: Ctx): Promise<EmissionAllowance> {
    return ctx.w.allowance.connect(await actAs(ctx.w, ctx.complianceAddress));
  }

  async function balances(w: World, period: bigint = PERIOD): Promise<bigint[]> {
    const accounts = [w.alice.address, w.bob.address, w.outsider.address];
    return [...(await w.allowance.balanceOfBatch(accounts, [period, period, period]))];
  }

  function transfer(w: World, from: HardhatEthersSigner, to: string, amount: bigint, signer = from) {
    return w.allowance.connect(signer).safeTransferFrom(from.address, to, PERIOD, amount, "0x");
  }

  /** Alice surrenders `amount` of PERIOD for installation 1 (the surrender window must be open). */
  function surrender(w: World, amount: bigint) {
    return w.compliance.connect(w.alice).surrenderAllowances(1n, PERIOD, [PERIOD], [amount]);
  }

  async function metadata(w: World, period: bigint): Promise<any> {
    const uri = await w.allowance.uri(period);
    expect(uri.startsWith(DATA_URI)).to.equal(true);
    return JSON.parse(Buffer.from(uri.slice(DATA_URI.length), "base64").toString("utf8"));
  }

  // ------------------------------------------------------------------ mint and burn

  describe("mint and burn", function () {
    it("compliance is the compliance registry, which is wired to this token", async function () {
      const { w, complianceAddress } = await load(deployed);
      expect(await w.allowance.compliance()).to.equal(complianceAddress);
      expect(await w.compliance.allowance()).to.equal(await w.allowance.getAddress());
    });

    it("refuses mint and burn for every caller but the compliance registry with AllowanceOnlyCompliance", async function () {
      const { w } = await load(allocated);
      for (const caller of [w.admin, w.regulator, w.pauser, w.alice, w.outsider]) {
        await expect(w.allowance.connect(caller).mint(caller.address, PERIOD, 1n))
          .to.be.revertedWithCustomError(w.allowance, "AllowanceOnlyCompliance")
          .withArgs(caller.address);
        await expect(w.allowance.connect(caller).burn(w.alice.address, PERIOD, 1n))
          .to.be.revertedWithCustomError(w.allowance, "AllowanceOnlyCompliance")
          .withArgs(caller.address);
      }
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION, BOB_ALLOCATION, 0n]);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
    });

    it("allocation mints to the operator: TransferSingle from zero, balance and supply", async function () {
      const { w, complianceAddress } = await load(allocated);
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, 2n, 500n * TONNE))
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(complianceAddress, ZeroAddress, w.bob.address, PERIOD, 500n * TONNE);
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION, BOB_ALLOCATION + 500n * TONNE, 0n]);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY + 500n * TONNE);
    });

    it("a surrender burns from the operator: TransferSingle to zero, balance and supply", async function () {
      const { w, complianceAddress, reportingDeadline } = await load(allocated);
      await timeTo(w, reportingDeadline);
      await expect(surrender(w, 3_000n * TONNE))
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(complianceAddress, w.alice.address, ZeroAddress, PERIOD, 3_000n * TONNE);
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - 3_000n * TONNE, BOB_ALLOCATION, 0n]);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY - 3_000n * TONNE);
    });

    it("a surrender of more than the balance reverts with ERC1155InsufficientBalance", async function () {
      const { w, reportingDeadline } = await load(allocated);
      await timeTo(w, reportingDeadline);
      await expect(surrender(w, ALICE_ALLOCATION + 1n))
        .to.be.revertedWithCustomError(w.allowance, "ERC1155InsufficientBalance")
        .withArgs(w.alice.address, ALICE_ALLOCATION, ALICE_ALLOCATION + 1n, PERIOD);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
    });

    it("reverts a mint or burn of zero with AllowanceZeroAmount", async function () {
      const ctx = await load(allocated);
      const allowance = await asCompliance(ctx);
      await expect(allowance.mint(ctx.w.alice.address, PERIOD, 0n)).to.be.revertedWithCustomError(
        ctx.w.allowance,
        "AllowanceZeroAmount",
      );
      await expect(allowance.burn(ctx.w.alice.address, PERIOD, 0n)).to.be.revertedWithCustomError(
        ctx.w.allowance,
        "AllowanceZeroAmount",
      );
    });

    it("reverts a mint to the zero address with ERC1155InvalidReceiver", async function () {
      const ctx = await load(allocated);
      const allowance = await asCompliance(ctx);
      await expect(allowance.mint(ZeroAddress, PERIOD, 1n))
        .to.be.revertedWithCustomError(ctx.w.allowance, "ERC1155InvalidReceiver")
        .withArgs(ZeroAddress);
      expect(await ctx.w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
    });

    it("totalSupply follows mints and burns of each period separately", async function () {
      const ctx = await load(twoPeriods);
      const { w } = ctx;
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
      expect(await w.allowance.totalSupply(NEXT_PERIOD)).to.equal(NEXT_ALLOCATION);
      expect(await w.allowance.totalSupply(PERIOD + 2n)).to.equal(0n);
      const allowance = await asCompliance(ctx);
      await (await allowance.mint(w.outsider.address, NEXT_PERIOD, 7n)).wait();
      await (await allowance.burn(w.alice.address, NEXT_PERIOD, 1_000n)).wait();
      expect(await w.allowance.totalSupply(NEXT_PERIOD)).to.equal(NEXT_ALLOCATION + 7n - 1_000n);
      expect(await balances(w, NEXT_PERIOD)).to.deep.equal([NEXT_ALLOCATION - 1_000n, 0n, 7n]);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
      // Transfers leave every supply as it is.
      await (await transfer(w, w.alice, w.bob.address, 1_000n)).wait();
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
      const sum = (await balances(w)).reduce((a, b) => a + b, 0n);
      expect(sum).to.equal(SUPPLY);
    });
  });

  // ------------------------------------------------------------------ transfers

  describe("transfers", function () {
    it("moves allowances between holders with TransferSingle", async function () {
      const { w } = await load(allocated);
      await expect(transfer(w, w.alice, w.outsider.address, 1_234n))
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(w.alice.address, w.alice.address, w.outsider.address, PERIOD, 1_234n);
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - 1_234n, BOB_ALLOCATION, 1_234n]);
    });

    it("moves several periods at once with TransferBatch", async function () {
      const { w } = await load(twoPeriods);
      await expect(
        w.allowance
          .connect(w.alice)
          .safeBatchTransferFrom(w.alice.address, w.bob.address, [PERIOD, NEXT_PERIOD], [100n, 200n], "0x"),
      )
        .to.emit(w.allowance, "TransferBatch")
        .withArgs(w.alice.address, w.alice.address, w.bob.address, [PERIOD, NEXT_PERIOD], [100n, 200n]);
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - 100n, BOB_ALLOCATION + 100n, 0n]);
      expect(await balances(w, NEXT_PERIOD)).to.deep.equal([NEXT_ALLOCATION - 200n, 200n, 0n]);
    });

    it("lets an approved operator move the holder's allowances", async function () {
      const { w, carol } = await load(allocated);
      expect(await w.allowance.isApprovedForAll(w.alice.address, carol.address)).to.equal(true);
      await expect(transfer(w, w.alice, w.bob.address, 500n, carol))
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(carol.address, w.alice.address, w.bob.address, PERIOD, 500n);
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - 500n, BOB_ALLOCATION + 500n, 0n]);
    });

    it("refuses an operator that is not approved with ERC1155MissingApprovalForAll", async function () {
      const { w, carol } = await load(allocated);
      await expect(transfer(w, w.bob, w.alice.address, 1n, carol))
        .to.be.revertedWithCustomError(w.allowance, "ERC1155MissingApprovalForAll")
        .withArgs(carol.address, w.bob.address);
    });

    it("refuses more than the balance with ERC1155InsufficientBalance", async function () {
      const { w } = await load(allocated);
      await expect(transfer(w, w.bob, w.alice.address, BOB_ALLOCATION + 1n))
        .to.be.revertedWithCustomError(w.allowance, "ERC1155InsufficientBalance")
        .withArgs(w.bob.address, BOB_ALLOCATION, BOB_ALLOCATION + 1n, PERIOD);
    });
  });

  // ------------------------------------------------------------------ freezes

  describe("freeze", function () {
    it("freezes an account: AccountFrozen and isFrozen", async function () {
      const { w } = await load(allocated);
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(false);
      await expect(w.allowance.connect(w.regulator).freeze(w.alice.address, REASON))
        .to.emit(w.allowance, "AccountFrozen")
        .withArgs(w.alice.address, REASON);
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(true);
      expect(await w.allowance.isFrozen(w.bob.address)).to.equal(false);
    });

    it("refuses a frozen sender with AllowanceAccountFrozen, single and batch", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expect(transfer(w, w.alice, w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
      await expect(
        w.allowance.connect(w.alice).safeBatchTransferFrom(w.alice.address, w.bob.address, [PERIOD], [1n], "0x"),
      )
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION, BOB_ALLOCATION, 0n]);
    });

    it("refuses a frozen recipient with AllowanceAccountFrozen", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.bob.address, REASON)).wait();
      await expect(transfer(w, w.alice, w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.bob.address);
      // Others still trade.
      await (await transfer(w, w.alice, w.outsider.address, 1n)).wait();
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - 1n, BOB_ALLOCATION, 1n]);
    });

    it("refuses a frozen operator with AllowanceAccountFrozen, though holder and recipient are not", async function () {
      const { w, carol } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(carol.address, REASON)).wait();
      await expect(transfer(w, w.alice, w.bob.address, 1n, carol))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(carol.address);
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION, BOB_ALLOCATION, 0n]);
    });

    it("refuses an allocation to a frozen operator (AllowanceAccountFrozen) but lets it surrender", async function () {
      const { w, reportingDeadline } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, 1n, TONNE))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
      await timeTo(w, reportingDeadline);
      // A surrender only reduces the frozen holder's allowances: the burn passes the freeze.
      await expect(surrender(w, TONNE))
        .to.emit(w.allowance, "TransferSingle")
        .withArgs(await w.compliance.getAddress(), w.alice.address, ZeroAddress, PERIOD, TONNE);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY - TONNE);
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(ALICE_ALLOCATION - TONNE);
    });

    it("reverts on the zero address or the compliance registry with AllowanceInvalidAccount", async function () {
      const { w, complianceAddress } = await load(allocated);
      for (const account of [ZeroAddress, complianceAddress]) {
        await expect(w.allowance.connect(w.regulator).freeze(account, REASON))
          .to.be.revertedWithCustomError(w.allowance, "AllowanceInvalidAccount")
          .withArgs(account);
        expect(await w.allowance.isFrozen(account)).to.equal(false);
      }
    });

    it("reverts on a frozen account with AllowanceFreezeUnchanged", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expect(w.allowance.connect(w.regulator).freeze(w.alice.address, REASON))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceFreezeUnchanged")
        .withArgs(w.alice.address, true);
    });

    it("refuses an account without the REGULATOR role", async function () {
      const { w } = await load(allocated);
      for (const caller of [w.pauser, w.admin, w.bob]) {
        await expect(w.allowance.connect(caller).freeze(w.alice.address, REASON))
          .to.be.revertedWithCustomError(w.allowance, "AccessManagedUnauthorized")
          .withArgs(caller.address);
      }
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(false);
    });
  });

  describe("unfreeze", function () {
    it("unfreezes: AccountUnfrozen, isFrozen false and transfers resume", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expect(w.allowance.connect(w.regulator).unfreeze(w.alice.address, UNFREEZE_REASON))
        .to.emit(w.allowance, "AccountUnfrozen")
        .withArgs(w.alice.address, UNFREEZE_REASON);
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(false);
      await (await transfer(w, w.alice, w.bob.address, 10n)).wait();
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - 10n, BOB_ALLOCATION + 10n, 0n]);
    });

    it("keeps other accounts frozen", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await (await w.allowance.connect(w.regulator).freeze(w.bob.address, REASON)).wait();
      await (await w.allowance.connect(w.regulator).unfreeze(w.alice.address, UNFREEZE_REASON)).wait();
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(false);
      expect(await w.allowance.isFrozen(w.bob.address)).to.equal(true);
      await expect(transfer(w, w.bob, w.alice.address, 1n))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.bob.address);
      await (await w.allowance.connect(w.regulator).unfreeze(w.bob.address, UNFREEZE_REASON)).wait();
      expect(await w.allowance.isFrozen(w.bob.address)).to.equal(false);
      await (await transfer(w, w.bob, w.alice.address, 1n)).wait();
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION + 1n, BOB_ALLOCATION - 1n, 0n]);
    });

    it("an account frozen again after an unfreeze is frozen", async function () {
      const { w } = await load(allocated);
      const regulator = w.allowance.connect(w.regulator);
      await (await regulator.freeze(w.alice.address, REASON)).wait();
      await (await regulator.unfreeze(w.alice.address, UNFREEZE_REASON)).wait();
      await (await regulator.freeze(w.alice.address, REASON)).wait();
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(true);
      await expect(transfer(w, w.alice, w.bob.address, 1n))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
    });

    it("reverts on an account that is not frozen with AllowanceFreezeUnchanged", async function () {
      const { w } = await load(allocated);
      await expect(w.allowance.connect(w.regulator).unfreeze(w.alice.address, UNFREEZE_REASON))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceFreezeUnchanged")
        .withArgs(w.alice.address, false);
    });

    it("refuses an account without the REGULATOR role", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expect(w.allowance.connect(w.alice).unfreeze(w.alice.address, UNFREEZE_REASON))
        .to.be.revertedWithCustomError(w.allowance, "AccessManagedUnauthorized")
        .withArgs(w.alice.address);
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(true);
    });
  });

  // ------------------------------------------------------------------ pause

  describe("pause and unpause", function () {
    it("pause emits Paused and refuses every movement with EnforcedPause", async function () {
      const { w, carol, reportingDeadline } = await load(allocated);
      await expect(w.allowance.connect(w.pauser).pause()).to.emit(w.allowance, "Paused").withArgs(w.pauser.address);
      expect(await w.allowance.paused()).to.equal(true);
      await expect(transfer(w, w.alice, w.bob.address, 1n)).to.be.revertedWithCustomError(w.allowance, "EnforcedPause");
      await expect(transfer(w, w.alice, w.bob.address, 1n, carol)).to.be.revertedWithCustomError(
        w.allowance,
        "EnforcedPause",
      );
      await expect(
        w.allowance.connect(w.alice).safeBatchTransferFrom(w.alice.address, w.bob.address, [PERIOD], [1n], "0x"),
      ).to.be.revertedWithCustomError(w.allowance, "EnforcedPause");
      await expect(w.compliance.connect(w.regulator).allocate(PERIOD, 1n, TONNE)).to.be.revertedWithCustomError(
        w.allowance,
        "EnforcedPause",
      );
      await timeTo(w, reportingDeadline);
      await expect(surrender(w, TONNE)).to.be.revertedWithCustomError(w.allowance, "EnforcedPause");
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION, BOB_ALLOCATION, 0n]);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
    });

    it("unpause emits Unpaused and movements resume", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.pauser).pause()).wait();
      await expect(w.allowance.connect(w.pauser).unpause()).to.emit(w.allowance, "Unpaused").withArgs(w.pauser.address);
      expect(await w.allowance.paused()).to.equal(false);
      await (await transfer(w, w.alice, w.bob.address, 5n)).wait();
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - 5n, BOB_ALLOCATION + 5n, 0n]);
    });

    it("reverts a second pause with EnforcedPause", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.pauser).pause()).wait();
      await expect(w.allowance.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.allowance, "EnforcedPause");
    });

    it("freezing stays possible while paused (it only tightens); unfreezing is refused with EnforcedPause", async function () {
      const { w } = await load(allocated);
      await (await w.allowance.connect(w.regulator).freeze(w.bob.address, REASON)).wait();
      await (await w.allowance.connect(w.pauser).pause()).wait();
      await expect(w.allowance.connect(w.regulator).freeze(w.alice.address, REASON))
        .to.emit(w.allowance, "AccountFrozen")
        .withArgs(w.alice.address, REASON);
      await expect(
        w.allowance.connect(w.regulator).unfreeze(w.bob.address, UNFREEZE_REASON),
      ).to.be.revertedWithCustomError(w.allowance, "EnforcedPause");
      expect(await w.allowance.isFrozen(w.alice.address)).to.equal(true);
      expect(await w.allowance.isFrozen(w.bob.address)).to.equal(true);
      await (await w.allowance.connect(w.pauser).unpause()).wait();
      await (await w.allowance.connect(w.regulator).unfreeze(w.bob.address, UNFREEZE_REASON)).wait();
      expect(await w.allowance.isFrozen(w.bob.address)).to.equal(false);
    });

    it("declares OpenZeppelin's Paused(address)/Unpaused(address) (not indexed) and EnforcedPause()/ExpectedPause()", async function () {
      const { w } = await load(deployed);
      const iface = w.allowance.interface;
      expect(iface.getEvent("Paused")!.format("full")).to.equal("event Paused(address account)");
      expect(iface.getEvent("Unpaused")!.format("full")).to.equal("event Unpaused(address account)");
      expect(iface.getError("EnforcedPause")!.selector).to.equal(id("EnforcedPause()").slice(0, 10));
      expect(iface.getError("ExpectedPause")!.selector).to.equal(id("ExpectedPause()").slice(0, 10));
    });

    it("reverts unpausing a token that is not paused with ExpectedPause", async function () {
      const { w } = await load(allocated);
      await expect(w.allowance.connect(w.pauser).unpause()).to.be.revertedWithCustomError(w.allowance, "ExpectedPause");
    });

    it("refuses an account without the PAUSER role", async function () {
      const { w } = await load(allocated);
      await expect(w.allowance.connect(w.regulator).pause())
        .to.be.revertedWithCustomError(w.allowance, "AccessManagedUnauthorized")
        .withArgs(w.regulator.address);
      expect(await w.allowance.paused()).to.equal(false);
    });
  });

  // ------------------------------------------------------------------ metadata and introspection

  describe("uri", function () {
    it("is a base64 JSON with the period in the name, decimals 3 and the period's supply", async function () {
      const { w } = await load(allocated);
      expect(await metadata(w, PERIOD)).to.deep.equal({
        name: "CNT emission allowance, period 2026",
        description: "A permit to emit 1 kg CO2e in compliance period 2026.",
        decimals: 3,
        properties: { period: "2026", supply: SUPPLY.toString(), unit: "kg CO2e" },
      });
    });

    it("follows the supply and names any period, even one without allowances", async function () {
      const { w, reportingDeadline } = await load(allocated);
      await timeTo(w, reportingDeadline);
      await (await surrender(w, 3_000n * TONNE)).wait();
      expect((await metadata(w, PERIOD)).properties.supply).to.equal((SUPPLY - 3_000n * TONNE).toString());
      const other = await metadata(w, 1_999n);
      expect(other.name).to.equal("CNT emission allowance, period 1999");
      expect(other.properties).to.deep.equal({ period: "1999", supply: "0", unit: "kg CO2e" });
    });
  });

  describe("supportsInterface", function () {
    it("supports the IEmissionAllowance interface id (its own functions only)", async function () {
      const { w } = await load(deployed);
      const iface: Interface = (await w.ethers.getContractAt("IEmissionAllowance", await w.allowance.getAddress()))
        .interface;
      const own: string[] = [];
      iface.forEachFunction((fn) => {
        const signature = fn.format("sighash");
        if (![...IERC1155_FUNCTIONS, ...IERC165_FUNCTIONS].includes(signature)) own.push(signature);
      });
      expect([...own].sort()).to.deep.equal([
        "burn(address,uint256,uint256)",
        "compliance()",
        "extendedEnd(uint64,uint64)",
        "freeze(address,bytes32)",
        "isFrozen(address)",
        "mint(address,uint256,uint256)",
        "pause()",
        "paused()",
        "pausesSince(uint64)",
        "setCompliancePaused(bool)",
        "totalSupply(uint256)",
        "unfreeze(address,bytes32)",
        "unpause()",
      ]);
      const allowanceId = interfaceId(own);
      expect(await w.allowance.supportsInterface(allowanceId)).to.equal(true);
      const withInherited = interfaceId([...own, ...IERC1155_FUNCTIONS]);
      expect(withInherited).to.not.equal(allowanceId);
      expect(await w.allowance.supportsInterface(withInherited)).to.equal(false);
    });

    it("supports ERC-165, ERC-1155 and ERC-1155 metadata, and nothing unrelated", async function () {
      const { w } = await load(deployed);
      expect(interfaceId(IERC1155_FUNCTIONS)).to.equal("0xd9b67a26");
      expect(interfaceId(IERC165_FUNCTIONS)).to.equal("0x01ffc9a7");
      expect(await w.allowance.supportsInterface("0x01ffc9a7")).to.equal(true);
      expect(await w.allowance.supportsInterface("0xd9b67a26")).to.equal(true);
      expect(await w.allowance.supportsInterface(interfaceId(["uri(uint256)"]))).to.equal(true);
      expect(await w.allowance.supportsInterface("0xffffffff")).to.equal(false);
      expect(await w.allowance.supportsInterface("0x4e2312e0")).to.equal(false); // IERC1155Receiver
      expect(await w.allowance.supportsInterface("0x80ac58cd")).to.equal(false); // IERC721
    });
  });

  // ------------------------------------------------------------------ marketplace

  describe("on the marketplace", function () {
    /**
     * allocated plus an ERC20Mock "USDC" allowed as payment; bob and the outsider hold FUNDS and approved the
     * marketplace; alice approved the marketplace on the allowance token and listed LISTED allowances of PERIOD at
     * PRICE (listing 1), open for a week.
     */
    async function listed(): Promise<Allocated & { usdc: ERC20Mock; market: string; pay: string }> {
      const ctx = await load(allocated);
      const { w } = ctx;
      const usdc = await w.ethers.deployContract("ERC20Mock");
      const pay = await usdc.getAddress();
      const market = await w.marketplace.getAddress();
      await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(pay, true)).wait();
      for (const buyer of [w.bob, w.outsider]) {
        await (await usdc.mint(buyer.address, FUNDS)).wait();
        await (await usdc.connect(buyer).approve(market, MaxUint256)).wait();
      }
      await (await w.allowance.connect(w.alice).setApprovalForAll(market, true)).wait();
      const expiry = (await latest(w)) + 7n * DAY;
      await (
        await w.marketplace
          .connect(w.alice)
          .list(await w.allowance.getAddress(), PERIOD, LISTED, PRICE, pay, MIN_FILL, expiry)
      ).wait();
      return { ...ctx, usdc, market, pay };
    }

    it("the suite allows the allowance token as a marketplace asset", async function () {
      const { w } = await load(deployed);
      expect(await w.marketplace.isAssetAllowed(await w.allowance.getAddress())).to.equal(true);
    });

    it("lists allowances: Listed, and the marketplace escrows them", async function () {
      const { w } = await load(allocated);
      const usdc = await w.ethers.deployContract("ERC20Mock");
      const pay = await usdc.getAddress();
      const token = await w.allowance.getAddress();
      const market = await w.marketplace.getAddress();
      await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(pay, true)).wait();
      await (await w.allowance.connect(w.alice).setApprovalForAll(market, true)).wait();
      const expiry = (await latest(w)) + 7n * DAY;
      await expect(w.marketplace.connect(w.alice).list(token, PERIOD, LISTED, PRICE, pay, MIN_FILL, expiry))
        .to.emit(w.marketplace, "Listed")
        .withArgs(1n, token, PERIOD, w.alice.address, LISTED, PRICE, pay, MIN_FILL, expiry);
      expect(await w.allowance.balanceOf(market, PERIOD)).to.equal(LISTED);
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(ALICE_ALLOCATION - LISTED);
      const listing = await w.marketplace.getListing(1n);
      expect([listing.seller, listing.token, listing.id, listing.remaining]).to.deep.equal([
        w.alice.address,
        token,
        PERIOD,
        LISTED,
      ]);
    });

    it("a buyer buys listed allowances: Bought, allowances to the buyer, payment to the seller", async function () {
      const { w, usdc, market } = await load(listed);
      const amount = 400n * TONNE;
      await expect(w.marketplace.connect(w.bob).buy(1n, amount, PRICE, w.bob.address))
        .to.emit(w.marketplace, "Bought")
        .withArgs(
          1n,
          await w.allowance.getAddress(),
          PERIOD,
          w.bob.address,
          w.bob.address,
          amount,
          PRICE,
          amount * PRICE,
          0n,
        );
      expect(await balances(w)).to.deep.equal([ALICE_ALLOCATION - LISTED, BOB_ALLOCATION + amount, 0n]);
      expect(await w.allowance.balanceOf(market, PERIOD)).to.equal(LISTED - amount);
      expect(await usdc.balanceOf(w.alice.address)).to.equal(amount * PRICE);
      expect(await usdc.balanceOf(w.bob.address)).to.equal(FUNDS - amount * PRICE);
      expect((await w.marketplace.getListing(1n)).remaining).to.equal(LISTED - amount);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY);
    });

    it("bought allowances can be surrendered by the buyer's installation", async function () {
      const { w, reportingDeadline } = await load(listed);
      await (await w.marketplace.connect(w.bob).buy(1n, LISTED, PRICE, w.bob.address)).wait();
      await timeTo(w, reportingDeadline);
      await (
        await w.compliance.connect(w.bob).surrenderAllowances(2n, PERIOD, [PERIOD], [BOB_ALLOCATION + LISTED])
      ).wait();
      expect(await w.allowance.balanceOf(w.bob.address, PERIOD)).to.equal(0n);
      expect((await w.compliance.accountOf(2n, PERIOD)).allowancesSurrendered).to.equal(BOB_ALLOCATION + LISTED);
      expect(await w.allowance.totalSupply(PERIOD)).to.equal(SUPPLY - BOB_ALLOCATION - LISTED);
    });

    it("a frozen seller cannot sell its listed allowances (MarketplaceAccountFrozen)", async function () {
      const { w, usdc, market } = await load(listed);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      await expect(w.marketplace.connect(w.bob).buy(1n, 400n * TONNE, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(w.marketplace, "MarketplaceAccountFrozen")
        .withArgs(w.alice.address);
      expect(await w.allowance.balanceOf(market, PERIOD)).to.equal(LISTED);
      expect(await w.allowance.balanceOf(w.bob.address, PERIOD)).to.equal(BOB_ALLOCATION);
      expect(await usdc.balanceOf(w.bob.address)).to.equal(FUNDS);
    });

    it("a frozen holder cannot list allowances (AllowanceAccountFrozen)", async function () {
      const { w, pay } = await load(listed);
      await (await w.allowance.connect(w.regulator).freeze(w.alice.address, REASON)).wait();
      const expiry = (await latest(w)) + 7n * DAY;
      await expect(
        w.marketplace
          .connect(w.alice)
          .list(await w.allowance.getAddress(), PERIOD, LISTED, PRICE, pay, MIN_FILL, expiry),
      )
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.alice.address);
      expect(await w.marketplace.listingCount()).to.equal(1n);
    });

    it("a frozen recipient cannot receive bought allowances (AllowanceAccountFrozen)", async function () {
      const { w } = await load(listed);
      await (await w.allowance.connect(w.regulator).freeze(w.bob.address, REASON)).wait();
      await expect(w.marketplace.connect(w.bob).buy(1n, 400n * TONNE, PRICE, w.bob.address))
        .to.be.revertedWithCustomError(w.allowance, "AllowanceAccountFrozen")
        .withArgs(w.bob.address);
    });

    it("a paused token stops purchases (EnforcedPause)", async function () {
      const { w } = await load(listed);
      await (await w.allowance.connect(w.pauser).pause()).wait();
      await expect(
        w.marketplace.connect(w.bob).buy(1n, 400n * TONNE, PRICE, w.bob.address),
      ).to.be.revertedWithCustomError(w.allowance, "EnforcedPause");
    });

    it("the seller cancels and gets the escrowed allowances back", async function () {
      const { w, market } = await load(listed);
      await expect(w.marketplace.connect(w.alice).cancelListing(1n))
        .to.emit(w.marketplace, "ListingCancelled")
        .withArgs(1n, w.alice.address, LISTED);
      expect(await w.allowance.balanceOf(market, PERIOD)).to.equal(0n);
      expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(ALICE_ALLOCATION);
    });
  });
});
