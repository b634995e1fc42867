import { expect } from "chai";
import { ZeroAddress, id, type ContractTransactionReceipt } from "ethers";

import { Adjustment, Authorisation, approvedProject, deployWorld, issue, type World } from "../helpers/fixtures.js";
import { ClaimType, encodeRequest, request, type RetirementRequest } from "../helpers/retirement.js";

// Issue 14, retirement and credit token: each attack is performed and shown refused with its custom error and an
// unchanged state; the legitimate paths next to it go through.

const QUANTITY = 10_000n;
const TO_PROPONENT = 8_000n;
const SECTOR = 7n;
const PERIOD = 2026n;
const EMISSIONS = 100n;
const PRICE = 10n;
const FUNDS = 1_000_000n;
const LISTED = 1_000n;
const FAR = 30n * 86_400n;

interface Ctx {
  w: World;
  b1: bigint;
  market: string;
  retirementAddress: string;
}

/**
 * Batch 1 issued (8,000 units to the proponent), 1,000 of them sent to alice and 1,000 listed on the marketplace
 * (listing 1, price 10 in a stablecoin bob holds and approved); the ledger's verifier attested EMISSIONS for
 * alice's and for the outsider's inventory of PERIOD.
 */
async function world(): Promise<Ctx> {
  const w = await deployWorld();
  const projectId = await approvedProject(w);
  const b1 = await issue(w, projectId, QUANTITY, 1n);
  const market = await w.marketplace.getAddress();
  await (await w.credit.connect(w.proponent).safeTransferFrom(w.proponent, w.alice, b1, 1_000n, "0x")).wait();
  const usdc = await w.ethers.deployContract("ERC20Mock");
  const pay = await usdc.getAddress();
  await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(pay, true)).wait();
  await (await usdc.mint(w.bob.address, FUNDS)).wait();
  await (await usdc.connect(w.bob).approve(market, FUNDS)).wait();
  await (await w.credit.connect(w.proponent).setApprovalForAll(market, true)).wait();
  const expiry = BigInt((await w.ethers.provider.getBlock("latest"))!.timestamp) + FAR;
  await (await w.marketplace.connect(w.proponent).list(w.credit, b1, LISTED, PRICE, pay, 0n, expiry)).wait();
  await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, SECTOR)).wait();
  for (const entity of [w.alice.address, w.outsider.address]) {
    await (await w.ledger.connect(w.verifier).attest(entity, PERIOD, SECTOR, EMISSIONS, id("evidence"), "")).wait();
  }
  return { w, b1, market, retirementAddress: await w.retirement.getAddress() };
}

/** Everything a refused retirement or primitive call must leave as it was. */
async function state(ctx: Ctx) {
  const { w, b1, market, retirementAddress } = ctx;
  const accounts = [w.proponent.address, w.alice.address, w.bob.address, w.outsider.address, market, retirementAddress];
  const out: Record<string, unknown> = {
    count: await w.retirement.retirementCount(),
    supply: [...(await w.credit.supplyOf(b1))],
    listing: [...(await w.marketplace.getListing(1n))],
  };
  for (const a of accounts) {
    out[a] = [
      await w.credit.balanceOf(a, b1),
      await w.credit.retiredBalanceOf(a, b1),
      await w.retirement.totalRetiredFor(a),
      await w.retirement.retiredAgainst(a, PERIOD),
      [...(await w.ledger.neutralityStatus(a, PERIOD))],
    ];
  }
  return out;
}

function neutrality(ctx: Ctx, entity: string, overrides: Partial<RetirementRequest> = {}): RetirementRequest {
  return request({
    ids: [ctx.b1],
    amounts: [EMISSIONS],
    claimType: ClaimType.Neutrality,
    claimEntity: entity,
    claimPeriod: PERIOD,
    ...overrides,
  });
}

describe("Claim integrity: retirement (issue 14)", function () {
  describe("Break 2: a neutrality claim pinned on an entity that never made it", function () {
    it("refuses a neutrality claim on an entity that is neither beneficiary, retiree nor claimant, by every path, with RetirementClaimNotConsented, changing nothing", async function () {
      const ctx = await world();
      const { w, b1, market, retirementAddress } = ctx;
      const victim = w.outsider.address;
      const before = await state(ctx);
      // retire: the proponent (claimant and retiree) pins its retirement on the outsider's inventory.
      await expect(w.retirement.connect(w.proponent).retire(neutrality(ctx, victim)))
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimNotConsented")
        .withArgs(victim, w.proponent.address);
      // retireFrom: bob, an operator alice approved, retires alice's units for bob against the outsider.
      await (await w.credit.connect(w.alice).setApprovalForAll(w.bob, true)).wait();
      const afterApproval = await state(ctx);
      await expect(
        w.retirement
          .connect(w.bob)
          .retireFrom(w.alice.address, neutrality(ctx, victim, { beneficiary: w.bob.address })),
      )
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimNotConsented")
        .withArgs(victim, w.bob.address);
      // retire-on-transfer, by the holder and by an approved operator.
      await expect(
        w.credit
          .connect(w.alice)
          .safeTransferFrom(w.alice, retirementAddress, b1, EMISSIONS, encodeRequest(neutrality(ctx, victim))),
      )
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimNotConsented")
        .withArgs(victim, w.alice.address);
      await expect(
        w.credit
          .connect(w.bob)
          .safeTransferFrom(w.alice, retirementAddress, b1, EMISSIONS, encodeRequest(neutrality(ctx, victim))),
      )
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimNotConsented")
        .withArgs(victim, w.bob.address);
      // buyAndRetire: the claimant is the marketplace, which the outsider never authorised.
      await expect(w.marketplace.connect(w.bob).buyAndRetire(1n, EMISSIONS, PRICE, neutrality(ctx, victim)))
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimNotConsented")
        .withArgs(victim, market);
      expect(await state(ctx)).to.deep.equal(afterApproval);
      expect((await w.ledger.neutralityStatus(victim, PERIOD)).neutral).to.equal(false);
      expect(before.count).to.equal(0n);
    });

    it("an entity authorises a claimant on chain (event, view) and the claim then counts; revoking stops later claims and keeps earlier ones", async function () {
      const ctx = await world();
      const { w } = ctx;
      const entity = w.outsider;
      await expect(w.retirement.connect(entity).setClaimAuthorisation(w.proponent.address, true))
        .to.emit(w.retirement, "ClaimAuthorisationSet")
        .withArgs(entity.address, w.proponent.address, true);
      expect(await w.retirement.isClaimAuthorised(entity.address, w.proponent.address)).to.equal(true);
      expect(await w.retirement.isClaimAuthorised(w.proponent.address, entity.address)).to.equal(false);
      await (await w.retirement.connect(w.proponent).retire(neutrality(ctx, entity.address))).wait();
      expect([...(await w.ledger.neutralityStatus(entity.address, PERIOD))]).to.deep.equal([
        true,
        EMISSIONS,
        EMISSIONS,
        true,
      ]);
      const r = await w.retirement.getRetirement(1n);
      expect([r.claimType, r.claimEntity, r.claimPeriod, r.beneficiary, r.retiree]).to.deep.equal([
        BigInt(ClaimType.Neutrality),
        entity.address,
        PERIOD,
        w.proponent.address,
        w.proponent.address,
      ]);

      await expect(w.retirement.connect(entity).setClaimAuthorisation(w.proponent.address, false))
        .to.emit(w.retirement, "ClaimAuthorisationSet")
        .withArgs(entity.address, w.proponent.address, false);
      const before = await state(ctx);
      await expect(w.retirement.connect(w.proponent).retire(neutrality(ctx, entity.address)))
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimNotConsented")
        .withArgs(entity.address, w.proponent.address);
      expect(await state(ctx)).to.deep.equal(before);
      expect(await w.retirement.retiredAgainst(entity.address, PERIOD)).to.equal(EMISSIONS);
    });

    it("refuses a zero claimant and an unchanged authorisation", async function () {
      const { w } = await world();
      await expect(w.retirement.connect(w.alice).setClaimAuthorisation(ZeroAddress, true))
        .to.be.revertedWithCustomError(w.retirement, "RetirementInvalidClaimant")
        .withArgs(ZeroAddress);
      await expect(w.retirement.connect(w.alice).setClaimAuthorisation(w.bob.address, false))
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimAuthorisationUnchanged")
        .withArgs(w.alice.address, w.bob.address, false);
      await (await w.retirement.connect(w.alice).setClaimAuthorisation(w.bob.address, true)).wait();
      await expect(w.retirement.connect(w.alice).setClaimAuthorisation(w.bob.address, true))
        .to.be.revertedWithCustomError(w.retirement, "RetirementClaimAuthorisationUnchanged")
        .withArgs(w.alice.address, w.bob.address, true);
    });

    it("counts the entity's own consent: as retiree, as beneficiary, as claimant, and the buyer named as beneficiary in buyAndRetire", async function () {
      const ctx = await world();
      const { w, b1, retirementAddress } = ctx;
      const alice = w.alice.address;
      // Alice retires her own units (retiree and claimant).
      await (await w.retirement.connect(w.alice).retire(neutrality(ctx, alice, { amounts: [10n] }))).wait();
      // The proponent retires for alice as beneficiary.
      await (
        await w.retirement.connect(w.proponent).retire(neutrality(ctx, alice, { amounts: [20n], beneficiary: alice }))
      ).wait();
      // Alice as the operator of the proponent's units (claimant), for the proponent as beneficiary.
      await (await w.credit.connect(w.proponent).setApprovalForAll(w.alice, true)).wait();
      await (
        await w.retirement.connect(w.alice).retireFrom(w.proponent.address, neutrality(ctx, alice, { amounts: [30n] }))
      ).wait();
      // Retire-on-transfer of her own units.
      await (
        await w.credit
          .connect(w.alice)
          .safeTransferFrom(
            w.alice,
            retirementAddress,
            b1,
            15n,
            encodeRequest(neutrality(ctx, alice, { ids: [], amounts: [] })),
          )
      ).wait();
      // Bob buys and retires for alice as beneficiary, and for himself against his own (unverified) inventory.
      await (
        await w.marketplace
          .connect(w.bob)
          .buyAndRetire(1n, 25n, PRICE, neutrality(ctx, alice, { amounts: [25n], beneficiary: alice }))
      ).wait();
      await (
        await w.marketplace
          .connect(w.bob)
          .buyAndRetire(1n, 5n, PRICE, neutrality(ctx, w.bob.address, { amounts: [5n] }))
      ).wait();
      expect(await w.retirement.retiredAgainst(alice, PERIOD)).to.equal(100n);
      expect(await w.retirement.retiredAgainst(w.bob.address, PERIOD)).to.equal(5n);
      expect([...(await w.ledger.neutralityStatus(alice, PERIOD))]).to.deep.equal([true, EMISSIONS, 100n, true]);
      for (let rid = 1n; rid <= 5n; ++rid) {
        const r = await w.retirement.getRetirement(rid);
        expect([r.claimEntity, r.claimPeriod]).to.deep.equal([alice, PERIOD]);
      }
    });

    it("shows the claim entity and period on the record and the certificate (tokenURI JSON and SVG)", async function () {
      const ctx = await world();
      const { w } = ctx;
      await (await w.retirement.connect(w.alice).retire(neutrality(ctx, w.alice.address))).wait();
      await (await w.retirement.connect(w.alice).retire(request({ ids: [ctx.b1], amounts: [1n] }))).wait();
      const uri = await w.certificate.tokenURI(1n);
      const json = JSON.parse(Buffer.from(uri.split(",")[1], "base64").toString());
      const attrs = Object.fromEntries(
        json.attributes.map((a: { trait_type: string; value: string }) => [a.trait_type, a.value]),
      );
      expect([attrs["Claim"], attrs["Claim entity"], attrs["Claim period"]]).to.deep.equal([
        "carbon-neutrality claim",
        w.alice.address,
        PERIOD.toString(),
      ]);
      expect(await w.certificate.svg(1n)).to.contain(`${w.alice.address} period ${PERIOD}`);
      const plain = JSON.parse(Buffer.from((await w.certificate.tokenURI(2n)).split(",")[1], "base64").toString());
      const plainAttrs = Object.fromEntries(
        plain.attributes.map((a: { trait_type: string; value: string }) => [a.trait_type, a.value]),
      );
      expect([plainAttrs["Claim entity"], plainAttrs["Claim period"]]).to.deep.equal(["none", "0"]);
      const r2 = await w.retirement.getRetirement(2n);
      expect([r2.claimEntity, r2.claimPeriod]).to.deep.equal([ZeroAddress, 0n]);
    });
  });
});

describe("Claim integrity: the credit token's retire primitive (issue 14, break 5)", function () {
  /** Every role the AccessManager knows, granted to `account` without delay, and role 10 (the old RETIREMENT). */
  async function grantEverything(w: World, account: string) {
    for (const role of [1n, 2n, 3n, 4n, 5n, 10n, 11n, 12n]) {
      await (await w.manager.connect(w.admin).grantRole(role, account, 0)).wait();
    }
  }

  it("an account holding every role, ADMIN included, cannot retire a holder's units or the marketplace's escrow: CarbonCreditOnlyRetirementRegistry, nothing changes, the listing stays buyable and cancellable", async function () {
    const ctx = await world();
    const { w, b1, market } = ctx;
    const admin = w.admin;
    await grantEverything(w, admin.address);
    // The admin even assigns the primitive's selector to a role it holds: the primitive is bound, not role-gated.
    const retireSelector = w.credit.interface.getFunction("retire")!.selector;
    await (
      await w.manager.connect(admin).setTargetFunctionRole(await w.credit.getAddress(), [retireSelector], 10n)
    ).wait();
    const before = await state(ctx);
    for (const [holder, amount] of [
      [market, LISTED],
      [w.proponent.address, 1_000n],
      [w.alice.address, 1n],
    ] as const) {
      await expect(w.credit.connect(admin).retire(holder, admin.address, b1, amount))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRetirementRegistry")
        .withArgs(admin.address);
    }
    // Nor can it re-bind the primitive to a contract of its own.
    await expect(w.credit.connect(admin).bindRetirementRegistry(await w.marketplace.getAddress()))
      .to.be.revertedWithCustomError(w.credit, "CarbonCreditRetirementRegistryAlreadyBound")
      .withArgs(ctx.retirementAddress);
    expect(await state(ctx)).to.deep.equal(before);
    // The listing is still whole: bought in part, then cancelled by its seller, who gets the rest back.
    await (await w.marketplace.connect(w.bob).buy(1n, 100n, PRICE, w.bob.address)).wait();
    expect(await w.credit.balanceOf(w.bob.address, b1)).to.equal(100n);
    await (await w.marketplace.connect(w.proponent).cancelListing(1n)).wait();
    expect(await w.credit.balanceOf(market, b1)).to.equal(0n);
    expect(await w.credit.balanceOf(w.proponent.address, b1)).to.equal(TO_PROPONENT - 1_000n - 100n);
  });

  it("binds the retirement registry once, to a contract whose credit() is this token (event, view)", async function () {
    const w = await deployWorld({ bindRetirement: false });
    const retirementAddress = await w.retirement.getAddress();
    expect(await w.credit.retirementRegistry()).to.equal(ZeroAddress);
    // Unbound, nobody retires, not even through the registry.
    await expect(w.credit.connect(w.admin).retire(w.alice.address, w.alice.address, 1n, 1n))
      .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRetirementRegistry")
      .withArgs(w.admin.address);
    // Only ADMIN binds.
    await expect(w.credit.connect(w.pauser).bindRetirementRegistry(retirementAddress))
      .to.be.revertedWithCustomError(w.credit, "AccessManagedUnauthorized")
      .withArgs(w.pauser.address);
    // Not an account without code, nor a retirement registry of another token, nor a contract with credit() that is
    // no retirement registry (the marketplace, the registry), nor one without either (the ledger), nor one without
    // ERC-165 (an ERC-20), nor one that declares the interface but whose credit() reverts.
    const other = await w.ethers.deployContract("RetirementPrimitiveMock", [await w.marketplace.getAddress()]);
    const liar = await w.ethers.deployContract("RetirementPrimitiveMock", [ZeroAddress]);
    const token = await w.ethers.deployContract("ERC20Mock");
    for (const candidate of [
      w.alice.address,
      await other.getAddress(),
      await liar.getAddress(),
      await token.getAddress(),
      await w.marketplace.getAddress(),
      await w.registry.getAddress(),
      await w.ledger.getAddress(),
    ]) {
      await expect(w.credit.connect(w.admin).bindRetirementRegistry(candidate))
        .to.be.revertedWithCustomError(w.credit, "CarbonCreditInvalidRetirementRegistry")
        .withArgs(candidate);
    }
    await expect(w.credit.connect(w.admin).bindRetirementRegistry(retirementAddress))
      .to.emit(w.credit, "RetirementRegistryBound")
      .withArgs(retirementAddress);
    expect(await w.credit.retirementRegistry()).to.equal(retirementAddress);
    await expect(w.credit.connect(w.admin).bindRetirementRegistry(retirementAddress))
      .to.be.revertedWithCustomError(w.credit, "CarbonCreditRetirementRegistryAlreadyBound")
      .withArgs(retirementAddress);
  });
});

describe("Claim integrity: totals by claim type (issue 14, weakness: compliance surrenders counted as voluntary)", function () {
  it("keeps a compliance surrender out of the voluntary total and every claim type apart: no tonne counted twice", async function () {
    const ctx = await world();
    const { w, b1 } = ctx;
    const alice = w.alice.address;
    const retire = (claimType: number, amount: bigint, extra: Partial<RetirementRequest> = {}) =>
      w.retirement.connect(w.alice).retire(request({ ids: [b1], amounts: [amount], claimType, ...extra }));
    await (await retire(ClaimType.Compliance, 300n, { claimEntity: alice, claimPeriod: PERIOD })).wait();
    // The surrender is no voluntary retirement and no neutrality claim for alice.
    expect(await w.retirement.totalRetiredFor(alice)).to.equal(0n);
    expect(await w.retirement.retiredAgainst(alice, PERIOD)).to.equal(0n);
    expect((await w.ledger.neutralityStatus(alice, PERIOD)).neutral).to.equal(false);
    await (await retire(ClaimType.VoluntaryOffset, 10n)).wait();
    await (await retire(ClaimType.Neutrality, 20n, { claimEntity: alice, claimPeriod: PERIOD })).wait();
    const byClaim = await Promise.all(
      [0, 1, 2, 3, 4].map((claimType) => w.retirement.totalRetiredByClaim(alice, claimType)),
    );
    expect(byClaim).to.deep.equal([10n, 20n, 300n, 0n, 0n]);
    expect(await w.retirement.totalRetiredFor(alice)).to.equal(30n);
    expect(await w.retirement.retiredAgainst(alice, PERIOD)).to.equal(20n);
    // Every retired unit is counted under exactly one claim type.
    expect(byClaim.reduce((a, b) => a + b, 0n)).to.equal(await w.credit.retiredBalanceOf(alice, b1));
    // The compliance record keeps its entity and period.
    const r = await w.retirement.getRetirement(1n);
    expect([r.claimType, r.claimEntity, r.claimPeriod]).to.deep.equal([BigInt(ClaimType.Compliance), alice, PERIOD]);
  });
});

describe("Claim integrity: Article 6 status kept per retirement (issue 14, weakness)", function () {
  it("keeps the authorisation and adjustment each retirement was made under, in the record, the Retired event and the certificate, whatever the batch's status becomes", async function () {
    const ctx = await world();
    const { w, b1 } = ctx;
    const registrar = w.registry.connect(w.registrar);
    const retire = async (claimType: number) => {
      const receipt = await (
        await w.retirement.connect(w.alice).retire(request({ ids: [b1], amounts: [5n], claimType }))
      ).wait();
      return retiredEventsOf(ctx, receipt);
    };
    // Retired while the adjustment is pending, then after it is applied (the one change the registry still allows).
    await (await registrar.setArticle6Status(b1, Authorisation.NDC, Adjustment.Pending)).wait();
    const pending = await retire(ClaimType.VoluntaryOffset);
    await (await registrar.setArticle6Status(b1, Authorisation.NDC, Adjustment.Applied)).wait();
    const ndc = await retire(ClaimType.NDC);
    expect([pending, ndc]).to.deep.equal([
      [BigInt(Authorisation.NDC), BigInt(Adjustment.Pending)],
      [BigInt(Authorisation.NDC), BigInt(Adjustment.Applied)],
    ]);
    // Any other change is refused now that units are retired; each record keeps the status it was made under.
    await expect(
      registrar.setArticle6Status(b1, Authorisation.None, Adjustment.NotApplicable),
    ).to.be.revertedWithCustomError(w.registry, "CarbonRegistryArticle6Locked");
    const snapshots = [];
    for (let rid = 1n; rid <= 2n; ++rid) {
      const r = await w.retirement.getRetirement(rid);
      snapshots.push([r.authorisation, r.adjustment]);
    }
    expect(snapshots).to.deep.equal([pending, ndc]);
    expect(await w.certificate.svg(1n)).to.contain("authorised for NDC use, adjustment pending");
    expect(await w.certificate.svg(2n)).to.contain("authorised for NDC use, adjustment applied");
  });
});

/** The (authorisation, adjustment) of the one Retired event of the registry in `receipt`. */
function retiredEventsOf(ctx: Ctx, receipt: ContractTransactionReceipt | null): [bigint, bigint] {
  const address = ctx.retirementAddress;
  const events = receipt!.logs
    .filter((log) => log.address === address)
    .map((log) => ctx.w.retirement.interface.parseLog(log)!)
    .filter((event) => event.name === "Retired");
  expect(events).to.have.length(1);
  return [events[0].args.details.authorisation, events[0].args.details.adjustment];
}

describe("Pause rule: the credit token and the retirement registry (issue 14, break 8)", function () {
  it("the credit token: OpenZeppelin's Paused/Unpaused and EnforcedPause/ExpectedPause; freeze and suspension stay open while paused, unfreeze and reinstatement are refused, nothing else changes", async function () {
    const ctx = await world();
    const { w, b1 } = ctx;
    const REASON = id("incident");
    await expect(w.credit.connect(w.pauser).unpause()).to.be.revertedWithCustomError(w.credit, "ExpectedPause");
    await (await w.credit.connect(w.regulator).freeze(w.bob.address, REASON)).wait();
    await expect(w.credit.connect(w.pauser).pause()).to.emit(w.credit, "Paused").withArgs(w.pauser.address);
    expect(await w.credit.paused()).to.equal(true);
    await expect(w.credit.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.credit, "EnforcedPause");
    // Containing an incident: freezing and suspending go through.
    await expect(w.credit.connect(w.regulator).freeze(w.alice.address, REASON))
      .to.emit(w.credit, "AccountFrozen")
      .withArgs(w.alice.address, REASON);
    await expect(w.registry.connect(w.registrar).suspendBatch(b1, REASON))
      .to.emit(w.credit, "SuspensionChanged")
      .withArgs(b1, true);
    // Loosening waits for the unpause.
    const before = await state(ctx);
    await expect(w.credit.connect(w.regulator).unfreeze(w.bob.address, REASON)).to.be.revertedWithCustomError(
      w.credit,
      "EnforcedPause",
    );
    await expect(w.registry.connect(w.registrar).reinstateBatch(b1, REASON)).to.be.revertedWithCustomError(
      w.credit,
      "EnforcedPause",
    );
    await expect(
      w.credit.connect(w.proponent).safeTransferFrom(w.proponent, w.outsider, b1, 1n, "0x"),
    ).to.be.revertedWithCustomError(w.credit, "EnforcedPause");
    expect(await state(ctx)).to.deep.equal(before);
    expect([await w.credit.isFrozen(w.bob.address), await w.credit.isSuspended(b1)]).to.deep.equal([true, true]);
    await expect(w.credit.connect(w.pauser).unpause()).to.emit(w.credit, "Unpaused").withArgs(w.pauser.address);
    await (await w.credit.connect(w.regulator).unfreeze(w.bob.address, REASON)).wait();
    await (await w.registry.connect(w.registrar).reinstateBatch(b1, REASON)).wait();
    expect([await w.credit.isFrozen(w.bob.address), await w.credit.isSuspended(b1)]).to.deep.equal([false, false]);
  });

  it("the retirement registry: every retirement path and a new claim authorisation are refused with EnforcedPause; withdrawing one stays open", async function () {
    const ctx = await world();
    const { w, b1, retirementAddress } = ctx;
    await (await w.retirement.connect(w.outsider).setClaimAuthorisation(w.proponent.address, true)).wait();
    await (await w.credit.connect(w.alice).setApprovalForAll(w.bob, true)).wait();
    await expect(w.retirement.connect(w.pauser).unpause()).to.be.revertedWithCustomError(w.retirement, "ExpectedPause");
    await expect(w.retirement.connect(w.pauser).pause()).to.emit(w.retirement, "Paused").withArgs(w.pauser.address);
    await expect(w.retirement.connect(w.pauser).pause()).to.be.revertedWithCustomError(w.retirement, "EnforcedPause");
    const before = await state(ctx);
    const one = request({ ids: [b1], amounts: [1n] });
    const refusals = [
      () => w.retirement.connect(w.alice).retire(one),
      () => w.retirement.connect(w.bob).retireFrom(w.alice.address, one),
      () => w.credit.connect(w.alice).safeTransferFrom(w.alice, retirementAddress, b1, 1n, encodeRequest(request())),
      () =>
        w.credit
          .connect(w.alice)
          .safeBatchTransferFrom(w.alice, retirementAddress, [b1], [1n], encodeRequest(request())),
      () => w.marketplace.connect(w.bob).buyAndRetire(1n, 1n, PRICE, request()),
      () => w.retirement.connect(w.alice).setClaimAuthorisation(w.bob.address, true),
    ];
    for (const call of refusals) {
      await expect(call()).to.be.revertedWithCustomError(w.retirement, "EnforcedPause");
    }
    expect(await state(ctx)).to.deep.equal(before);
    expect(await w.retirement.isClaimAuthorised(w.alice.address, w.bob.address)).to.equal(false);
    await expect(w.retirement.connect(w.outsider).setClaimAuthorisation(w.proponent.address, false))
      .to.emit(w.retirement, "ClaimAuthorisationSet")
      .withArgs(w.outsider.address, w.proponent.address, false);
    await expect(w.retirement.connect(w.pauser).unpause()).to.emit(w.retirement, "Unpaused").withArgs(w.pauser.address);
    await (await w.retirement.connect(w.alice).retire(one)).wait();
    expect(await w.retirement.retirementCount()).to.equal(1n);
  });
});
