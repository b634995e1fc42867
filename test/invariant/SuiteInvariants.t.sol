// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IAllowanceAuction} from "../../contracts/interfaces/IAllowanceAuction.sol";
import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {ICarbonMarketplace} from "../../contracts/interfaces/ICarbonMarketplace.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {CriteriaMismatch} from "../../contracts/interfaces/ICarbonTypes.sol";
import {IComplianceRegistry} from "../../contracts/interfaces/IComplianceRegistry.sol";
import {ClaimType, IRetirementRegistry} from "../../contracts/interfaces/IRetirementRegistry.sol";
import {CarbonMarketplace} from "../../contracts/market/CarbonMarketplace.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";

import {ComplianceHandler} from "./ComplianceHandler.sol";
import {SuiteHandler} from "./SuiteHandler.sol";
import {SuiteSetup} from "./SuiteSetup.sol";

/**
 * @notice Whole-suite invariant test: ONE deployment of every contract, driven at once by the {SuiteHandler} (registry,
 * credit, retirement, marketplace, surrender of offsets, freezes, suspensions, pauses) and the unchanged
 * {ComplianceHandler} (emissions, allocation, allowance trades and surrenders, settlement, auctions), whose
 * installation operators are the suite handler's first three actors. After every call, the invariants of DESIGN.md
 * section 10 that hold across the suite are checked:
 *
 * 1. supply: per batch `issued == Σ tradable + Σ retired + cancelled`; per period allowance supply
 *    `== allocated + auctioned − surrendered` (and `== Σ balances`);
 * 2. ranges: serial ranges sorted and disjoint in the namespace; each batch's retirement unit ranges disjoint and
 *    contiguous from 0 up to its retired count;
 * 3. retired balances never decrease;
 * 4. escrow: the marketplace holds exactly the open listings' remaining units per (token, id) and the open bids'
 *    escrow per payment token; the auction holds exactly the unclaimed deposits;
 * 5. restrictions: no call by either handler had an outcome its model did not predict (nothing moved for a frozen
 *    account or a suspended batch, a pause refused every state change of its module), and the flags equal the model;
 * 6. events: left to the TypeScript flow tests (`test/<area>/*.test.ts`), which assert each state change's event
 *    and its arguments with `.to.emit(...).withArgs(...)`; this test checks state only.
 *
 * The models stay consistent by ownership: the suite handler alone moves credits and changes credit-side restrictions,
 * the compliance handler alone moves allowances and auction deposits and attests emissions. Where one depends on the
 * other (the offset limit comes from attested emissions) the suite handler reads the compliance handler's model;
 * the offsets it surrenders enter none of the compliance handler's predictions (it counts allowance surrenders only)
 * and can only move a status towards compliant, which its status history accepts. The two handlers pay with separate
 * ERC-20s so each keeps an exact cash model.
 *
 * Why the credit-side per-area handlers are not targeted here: each assumes it owns the whole credit side of its own
 * deployment (CreditHandler and RetirementHandler both number batches 1..n and place serial ranges from their own
 * top; each keeps private freeze, suspension and pause flags that another handler's action would silently falsify;
 * MarketHandler snapshots balances once and flags any outside movement; CreditHandler retires through the token's
 * primitive, which leaves no retirement record and so breaks invariant 2 across the suite). Sharing them would mean
 * rewriting each around a common model, so the {SuiteHandler} is that common model: the registry and credit side is
 * {CreditModel}, which it shares with the CreditHandler, and the retirement, marketplace and offset predictions are
 * its own.
 */
contract SuiteInvariantsTest is SuiteSetup, Test {
    uint64 internal constant FIRST = 2026;
    uint64 internal constant SECOND = 2027;
    uint16 internal constant FEE_BPS = 250;
    uint16 internal constant OFFSET_LIMIT_BPS = 1_000;
    uint32 internal constant SECTOR = 1;
    /// @dev An expiry seed of about five days (see `SuiteHandler._expiry`: seeds divisible by 8 mean "now").
    uint256 internal constant LONG = 5 days + 1;

    CarbonMarketplace internal market;
    ERC20Mock internal cash;
    ERC20Mock internal auctionCash;
    SuiteHandler internal handler;
    ComplianceHandler internal complianceHandler;
    address internal treasury = makeAddr("treasury");
    address[] internal actors;
    uint64[] internal periods;

    /// @dev The action and counters `_mark` saw, for `_accepted` and `_refused`.
    SuiteHandler.Action private _markedAction;
    uint256 private _markedSucceeded;
    uint256 private _markedRejected;

    function setUp() public {
        _deploySuite();
        _deployRetirement();
        _grantOperatorRoles(address(this));
        methodologyId = _addMethodology(address(this));
        (market, cash) = _deployMarketplace(treasury);
        manager.grantRole(Roles.TREASURER, address(this), 0);
        market.setFee(FEE_BPS);
        _deployCompliance(treasury);
        auctionCash = new ERC20Mock();

        for (uint256 i = 0; i < 4; ++i) actors.push(makeAddr(string.concat("member", vm.toString(i))));
        address[] memory operators = new address[](3);
        for (uint256 i = 0; i < 3; ++i) operators[i] = actors[i];
        periods.push(FIRST);
        periods.push(SECOND);

        complianceHandler = new ComplianceHandler(compliance, auction, auctionCash, operators, periods);
        manager.grantRole(Roles.REGULATOR, address(complianceHandler), 0);
        manager.grantRole(Roles.VERIFIER, address(complianceHandler), 0);
        ledger.accreditVerifier(address(complianceHandler), SECTOR);

        handler = new SuiteHandler(
            SuiteHandler.Wiring({
                manager: manager,
                registry: registry,
                credit: credit,
                retirement: retirement,
                market: market,
                compliance: compliance,
                complianceHandler: complianceHandler,
                cash: cash,
                treasury: treasury,
                methodologyId: methodologyId
            }),
            actors,
            periods
        );
        manager.grantRole(Roles.REGISTRAR, address(handler), 0);
        manager.grantRole(Roles.VERIFIER, address(handler), 0);
        manager.grantRole(Roles.REGULATOR, address(handler), 0);
        manager.grantRole(Roles.PAUSER, address(handler), 0);
        registry.accreditVerifier(address(handler), methodologyId);

        _seed();
        _targetHandlers();
    }

    // ================================================================ invariants

    /// @notice Invariant 1: per batch, issued == Σ tradable + Σ retired + cancelled over every holder; per period,
    /// allowance supply == allocated + auctioned − surrendered == Σ balances. Then every balance and counter against
    /// the models (the chain property is asserted first, so a broken contract fails on the property itself).
    function invariant_supplyConserved() public view {
        uint256 batches = handler.batchCount();
        (, , , uint256 chainBatches) = registry.counts();
        assertEq(chainBatches, batches, "batch count vs model");
        address[] memory holders = handler.holders();
        for (uint256 id = 1; id <= batches; ++id) {
            ICarbonCredit.Supply memory s = credit.supplyOf(id);
            uint256 tradable;
            for (uint256 i = 0; i < holders.length; ++i) tradable += credit.balanceOf(holders[i], id);
            assertEq(uint256(s.issued), tradable + s.retired + s.cancelled, "issued != tradable + retired + cancelled");
            assertEq(credit.totalSupply(id), tradable, "totalSupply != sum of balances");

            SuiteHandler.BatchModel memory m = handler.batchModel(id);
            for (uint256 i = 0; i < holders.length; ++i) {
                assertEq(credit.balanceOf(holders[i], id), handler.tradableOf(holders[i], id), "balance vs model");
            }
            assertEq(s.issued, m.issued, "issued vs model");
            assertEq(s.retired, m.retired, "retired vs model");
            assertEq(s.cancelled, m.cancelled, "cancelled vs model");
            assertEq(registry.getBatch(id).bufferRemaining, m.bufferRemaining, "bufferRemaining vs model");
        }
        assertFalse(credit.exists(batches + 1), "a batch the model does not know");

        for (uint256 j = 0; j < periods.length; ++j) {
            uint64 period = periods[j];
            IComplianceRegistry.Period memory p = compliance.getPeriod(period);
            uint256 supply = allowance.totalSupply(period);
            assertEq(
                supply,
                uint256(p.allocated) + p.auctioned - p.burned,
                "allowances != allocated + auctioned - burned"
            );
            uint256 held;
            for (uint256 i = 0; i < 3; ++i) held += allowance.balanceOf(actors[i], period);
            assertEq(held, supply, "allowance balances != supply");
            assertEq(p.allocated, complianceHandler.allocated(period), "allocated vs model");
            assertEq(p.auctioned, complianceHandler.auctioned(period), "auctioned vs model");
            assertEq(p.burned, complianceHandler.burned(period), "surrendered vs model");
        }
    }

    /// @notice Invariant 2: the namespace's serial ranges are sorted, disjoint and exactly the model's batches; each
    /// batch's retirement records tile its unit range `[0, retired)` without gap or overlap, map to its serials, and
    /// equal the model's records.
    function invariant_rangesDisjoint() public view {
        _assertSerialRanges();
        _assertUnitRanges();
    }

    /// @notice Invariant 3: retired balances never decrease, equal the model and add up to each batch's retired count;
    /// no contract holds a retired balance. The suite handler snapshots them before each of its calls; the compliance
    /// handler never touches credits, and a change by it would break the exact comparison with the model.
    function invariant_retiredNeverDecreases() public view {
        uint256 batches = handler.batchCount();
        address[] memory holders = handler.holders();
        for (uint256 id = 1; id <= batches; ++id) {
            uint256 sum;
            for (uint256 i = 0; i < holders.length; ++i) {
                address a = holders[i];
                uint256 retired = credit.retiredBalanceOf(a, id);
                if (i >= actors.length) {
                    assertEq(retired, 0, "a contract holds a retired balance");
                    continue;
                }
                assertGe(retired, handler.retiredBefore(a, id), "retired balance decreased");
                assertEq(retired, handler.retiredOf(a, id), "retired balance vs model");
                sum += retired;
            }
            assertEq(sum, credit.supplyOf(id).retired, "retired counter != sum of retired balances");
        }
    }

    /// @notice Invariant 4: the marketplace holds exactly its open listings' remaining units per (token, id) and its
    /// open bids' escrow per payment token; the auction holds exactly its unclaimed deposits; payments are conserved.
    function invariant_escrowExact() public view {
        uint256 batches = handler.batchCount();
        uint256 listings = market.listingCount();
        uint256[] memory open = new uint256[](batches + 1);
        for (uint256 k = 1; k <= listings; ++k) {
            ICarbonMarketplace.Listing memory listing = market.getListing(k);
            assertEq(listing.token, address(credit), "listing of another token");
            open[listing.id] += listing.remaining;
        }
        for (uint256 id = 1; id <= batches; ++id) {
            assertEq(credit.balanceOf(address(market), id), open[id], "marketplace credits != open listings");
        }
        uint256 bids = market.bidCount();
        uint256 escrow;
        for (uint256 k = 1; k <= bids; ++k) {
            ICarbonMarketplace.Bid memory b = market.getBid(k);
            assertEq(b.paymentToken, address(cash), "bid in another payment token");
            escrow += uint256(b.remaining) * b.unitPrice;
        }
        assertEq(cash.balanceOf(address(market)), escrow, "marketplace payment != open bids' escrow");

        // Then the marketplace's books against the model.
        assertEq(listings, handler.listingCount(), "listing count vs model");
        for (uint256 k = 1; k <= listings; ++k) {
            assertEq(market.getListing(k).remaining, handler.listingModel(k).remaining, "listing remaining vs model");
        }
        assertEq(bids, handler.bidCount(), "bid count vs model");
        for (uint256 k = 1; k <= bids; ++k) {
            assertEq(market.getBid(k).remaining, handler.bidModel(k).remaining, "bid remaining vs model");
        }
        assertEq(escrow, handler.bidEscrow(), "bid escrow vs model");

        (, uint256 auctionBids) = auction.counts();
        uint256 deposits;
        for (uint256 k = 1; k <= auctionBids; ++k) {
            IAllowanceAuction.Bid memory b = auction.getBid(k);
            if (!b.claimed) deposits += b.deposit;
        }
        assertEq(auctionCash.balanceOf(address(auction)), deposits, "auction payment != unclaimed deposits");
        assertEq(deposits, complianceHandler.escrow(), "auction escrow vs model");

        uint256 held = cash.balanceOf(treasury) + cash.balanceOf(address(market));
        assertEq(cash.balanceOf(treasury), handler.cashOf(treasury), "treasury vs model");
        for (uint256 i = 0; i < actors.length; ++i) {
            assertEq(cash.balanceOf(actors[i]), handler.cashOf(actors[i]), "payment balance vs model");
            held += cash.balanceOf(actors[i]);
        }
        assertEq(held, handler.totalMinted(), "payments not conserved");
    }

    /// @notice Invariant 5: no call of either handler had an outcome its model did not predict, no compliance status
    /// regressed, and every restriction flag and offset count equals the model.
    function invariant_noViolation() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(complianceHandler.violations(), 0, complianceHandler.lastViolation());
        assertEq(complianceHandler.regressions(), 0, "a compliance status regressed");
        assertEq(credit.paused(), handler.creditPaused(), "credit pause vs model");
        assertEq(registry.paused(), handler.registryPaused(), "registry pause vs model");
        assertEq(retirement.paused(), handler.retirementPaused(), "retirement pause vs model");
        assertEq(market.paused(), handler.marketPaused(), "marketplace pause vs model");
        for (uint256 i = 0; i < actors.length; ++i) {
            assertEq(credit.isFrozen(actors[i]), handler.frozen(actors[i]), "freeze vs model");
        }
        assertEq(credit.isFrozen(address(market)), handler.frozen(address(market)), "marketplace freeze vs model");
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            assertEq(credit.isSuspended(id), handler.batchModel(id).suspended, "suspension vs model");
        }
        for (uint256 inst = 1; inst <= 3; ++inst) {
            for (uint256 j = 0; j < periods.length; ++j) {
                assertEq(
                    compliance.accountOf(inst, periods[j]).offsetsSurrendered,
                    handler.offsetsOf(inst, periods[j]),
                    "offsets surrendered vs model"
                );
            }
        }
    }

    // ================================================================ the handler itself

    /// @notice Drives every suite-handler action through a success and a refusal with fixed inputs, across areas: units
    /// bought on the market are surrendered as offsets, escrow meets freezes, suspensions and pauses. Each refusal's
    /// exact reason is checked, and every invariant after each step: the handler is proven, not just exercised.
    function test_crossAreaFlows() public {
        _coverMarketAndOffsets();
        _coverBids();
        _coverFreeze();
        _coverSuspension();
        _coverPauses();
        _coverRegistry();

        for (uint256 a = 0; a < uint256(SuiteHandler.Action.Warp); ++a) {
            SuiteHandler.Action action = SuiteHandler.Action(a);
            assertGt(handler.succeeded(action), 0, string.concat("no success for action ", vm.toString(a)));
            assertGt(handler.rejected(action), 0, string.concat("no refusal for action ", vm.toString(a)));
        }
    }

    /// @dev Actor 1 buys units of batch 1 and surrenders them (with those it held) as offsets of installation 2.
    function _coverMarketAndOffsets() private {
        address a1 = actors[1];
        // Actor 0 lists 1,000 units of batch 1 at 10 for five days; an expiry of now is refused.
        _mark(SuiteHandler.Action.List);
        handler.list(0, _b(1), 8 * 1_000, 10, LONG);
        _accepted();
        _mark(SuiteHandler.Action.List);
        handler.list(0, _b(1), 8 * 1_000, 10, 0);
        _refused(abi.encodeWithSelector(ICarbonMarketplace.MarketplaceInvalidExpiry.selector, block.timestamp));

        // Actor 1 buys 600, then asks for one more than the 400 left.
        _mark(SuiteHandler.Action.Buy);
        handler.buy(1, 0, 8 * 600);
        _accepted();
        _mark(SuiteHandler.Action.Buy);
        handler.buy(1, 0, 7);
        _refused(abi.encodeWithSelector(ICarbonMarketplace.MarketplaceAmountExceedsRemaining.selector, 1, 401, 400));
        assertEq(credit.balanceOf(a1, 1), 1_600);

        // 2026 surrenders open: 1,500 units of batch 1 (more than the 1,000 held before buying) as offsets of
        // installation 2 (limit 10% of 30,000 t); one unit more than the limit is refused.
        handler.warp(2 hours);
        _mark(SuiteHandler.Action.SurrenderOffsets);
        handler.surrenderOffsets(1, 0, _b(1), 8 * 1_500);
        _accepted();
        assertEq(compliance.accountOf(2, FIRST).offsetsSurrendered, 1_500);
        assertEq(credit.retiredBalanceOf(a1, 1), 1_500);
        IRetirementRegistry.Retirement memory r = retirement.getRetirement(retirement.retirementCount());
        assertEq(uint8(r.claimType), uint8(ClaimType.Compliance));
        assertEq(r.retiree, a1);
        _mark(SuiteHandler.Action.SurrenderOffsets);
        handler.surrenderOffsets(1, 0, _b(2), 8 * 1_501);
        _refused(
            abi.encodeWithSelector(IComplianceRegistry.ComplianceOffsetLimitExceeded.selector, 2, FIRST, 3_000, 3_001)
        );

        // Actor 2 buys 100 more and retires them for actor 0 in the same call: the marketplace is the retiree.
        _mark(SuiteHandler.Action.BuyAndRetire);
        handler.buyAndRetire(2, 0, 8 * 100, 0);
        _accepted();
        r = retirement.getRetirement(retirement.retirementCount());
        assertEq(r.retiree, address(market));
        assertEq(r.beneficiary, actors[0]);
        _assertAll();
    }

    /// @dev Criteria bids: placed, filled, refused on amount and project, cancelled.
    function _coverBids() private {
        _mark(SuiteHandler.Action.PlaceBid);
        handler.placeBid(3, 500, 20, LONG, 0);
        _accepted();
        _mark(SuiteHandler.Action.PlaceBid);
        handler.placeBid(3, 0, 20, LONG, 0);
        _refused(_err(ICarbonMarketplace.MarketplaceZeroAmount.selector));

        _mark(SuiteHandler.Action.FillBid);
        handler.fillBid(2, 0, _b(3), 8 * 200);
        _accepted();
        _mark(SuiteHandler.Action.FillBid);
        handler.fillBid(2, 0, _b(3), 7);
        _refused(abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBidAmountExceedsRemaining.selector, 1, 301, 300));
        // Bid 2 asks for batch 2's project: batch 3 does not match.
        handler.placeBid(3, 100, 20, LONG, 1 + 3 * 1);
        _mark(SuiteHandler.Action.FillBid);
        handler.fillBid(2, 1, _b(3), 8 * 10);
        _refused(
            abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBatchMismatch.selector, 2, 3, CriteriaMismatch.Project)
        );

        _mark(SuiteHandler.Action.CancelBid);
        handler.cancelBid(0, 0);
        _refused(abi.encodeWithSelector(ICarbonMarketplace.MarketplaceNotBidder.selector, 1, actors[0]));
        _mark(SuiteHandler.Action.CancelBid);
        handler.cancelBid(3, 0);
        _accepted();
        _assertAll();
    }

    /// @dev A frozen actor neither buys, surrenders, retires nor is a beneficiary; a frozen marketplace takes no
    /// listing.
    function _coverFreeze() private {
        address a1 = actors[1];
        bytes memory frozen = abi.encodeWithSelector(ICarbonCredit.CarbonCreditAccountFrozen.selector, a1);
        _mark(SuiteHandler.Action.Freeze);
        handler.freeze(1 + 5 * 3);
        _accepted();
        _mark(SuiteHandler.Action.Freeze);
        handler.freeze(1);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, a1, true));

        _mark(SuiteHandler.Action.Buy);
        handler.buy(1, 0, 8 * 10);
        _refused(frozen);
        _mark(SuiteHandler.Action.SurrenderOffsets);
        handler.surrenderOffsets(1, 0, _b(2), 8 * 10);
        _refused(frozen);
        _mark(SuiteHandler.Action.Retire);
        handler.retire(1, 4, _b(2), 8 * 10);
        _refused(frozen);
        _mark(SuiteHandler.Action.BuyAndRetire);
        handler.buyAndRetire(2, 0, 8 * 10, 1);
        _refused(frozen);

        _mark(SuiteHandler.Action.Unfreeze);
        handler.unfreeze(1);
        _accepted();
        _mark(SuiteHandler.Action.Unfreeze);
        handler.unfreeze(1);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, a1, false));

        // The marketplace itself frozen: no listing enters escrow.
        handler.freeze(4 + 5 * 3);
        _mark(SuiteHandler.Action.List);
        handler.list(0, _b(1), 8 * 10, 10, LONG);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditAccountFrozen.selector, address(market)));
        handler.unfreeze(4);
        assertFalse(credit.isFrozen(address(market)));
        _assertAll();
    }

    /// @dev A suspended batch is neither bought nor returned from escrow.
    function _coverSuspension() private {
        bytes memory suspended = abi.encodeWithSelector(ICarbonCredit.CarbonCreditBatchSuspended.selector, 1);
        _mark(SuiteHandler.Action.Suspend);
        handler.suspend(1);
        _accepted();
        _mark(SuiteHandler.Action.Suspend);
        handler.suspend(1);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditSuspensionUnchanged.selector, 1, true));
        _mark(SuiteHandler.Action.Buy);
        handler.buy(2, 0, 8 * 10);
        _refused(suspended);
        _mark(SuiteHandler.Action.CancelListing);
        handler.cancelListing(0, 0);
        _refused(suspended);
        assertEq(credit.balanceOf(address(market), 1), handler.listingModel(1).remaining, "escrow kept");

        _mark(SuiteHandler.Action.Reinstate);
        handler.reinstate(0);
        _accepted();
        _mark(SuiteHandler.Action.Reinstate);
        handler.reinstate(0);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditSuspensionUnchanged.selector, 1, false));

        // Reinstated: the seller takes the rest of listing 1 back.
        _mark(SuiteHandler.Action.CancelListing);
        handler.cancelListing(0, 0);
        _accepted();
        assertEq(credit.balanceOf(address(market), 1), 0);
        _assertAll();
    }

    /// @dev Each pause refuses its module's state changes (and a second pause); unpausing restores them.
    function _coverPauses() private {
        _pauseCycle(SuiteHandler.Action.PauseMarket, _err(ICarbonMarketplace.EnforcedPause.selector));
        handler.pauseMarket(7);
        _mark(SuiteHandler.Action.CancelBid);
        handler.cancelBid(3, 1);
        _refused(_err(ICarbonMarketplace.EnforcedPause.selector));
        _unpauseCycle(SuiteHandler.Action.UnpauseMarket, _err(ICarbonMarketplace.ExpectedPause.selector));

        _pauseCycle(SuiteHandler.Action.PauseCredit, _err(ICarbonCredit.EnforcedPause.selector));
        handler.pauseCredit(7);
        _mark(SuiteHandler.Action.Transfer);
        handler.transfer(0, 1, _b(1), 8 * 10);
        _refused(_err(ICarbonCredit.EnforcedPause.selector));
        _unpauseCycle(SuiteHandler.Action.UnpauseCredit, _err(ICarbonCredit.ExpectedPause.selector));

        _pauseCycle(SuiteHandler.Action.PauseRetirement, _err(Pausable.EnforcedPause.selector));
        handler.pauseRetirement(7);
        _mark(SuiteHandler.Action.RetireOnTransfer);
        handler.retireOnTransfer(0, 4, _b(1), 8 * 10);
        _refused(_err(Pausable.EnforcedPause.selector));
        _unpauseCycle(SuiteHandler.Action.UnpauseRetirement, _err(Pausable.ExpectedPause.selector));

        _pauseCycle(SuiteHandler.Action.PauseRegistry, _err(Pausable.EnforcedPause.selector));
        handler.pauseRegistry(7);
        _mark(SuiteHandler.Action.Issue);
        handler.issue(0, 100);
        _refused(_err(Pausable.EnforcedPause.selector));
        _mark(SuiteHandler.Action.Reversal);
        handler.reversal(0, 100);
        _refused(_err(Pausable.EnforcedPause.selector));
        _unpauseCycle(SuiteHandler.Action.UnpauseRegistry, _err(Pausable.ExpectedPause.selector));
        _assertAll();
    }

    /// @dev Retirements, transfers, reversals and issuance, allowed and refused.
    function _coverRegistry() private {
        _mark(SuiteHandler.Action.Retire);
        handler.retire(0, 2 + 5, _b(1), 8 * 50);
        _accepted();
        _mark(SuiteHandler.Action.Retire);
        handler.retire(0, 4, _b(1), 6);
        _refused(abi.encodeWithSelector(IRetirementRegistry.RetirementZeroAmount.selector, 1));
        _mark(SuiteHandler.Action.RetireOnTransfer);
        handler.retireOnTransfer(0, 4, _b(4), 8 * 20);
        _accepted();

        _mark(SuiteHandler.Action.Transfer);
        handler.transfer(0, 1, _b(1), 8 * 10);
        _accepted();
        _mark(SuiteHandler.Action.Transfer);
        handler.transfer(0, 7, _b(1), 8 * 10);
        _refused(abi.encodeWithSelector(ICarbonMarketplace.MarketplaceUnexpectedTokens.selector, actors[0]));

        _mark(SuiteHandler.Action.Reversal);
        handler.reversal(0, 100);
        _accepted();
        _mark(SuiteHandler.Action.Reversal);
        handler.reversal(0, 15);
        _refused(_err(ICarbonRegistry.CarbonRegistryZeroReversal.selector));

        _mark(SuiteHandler.Action.Issue);
        handler.issue(0, 100);
        _accepted();
        // Serial mode 3 starts inside batch 1's range [0, 4999].
        _mark(SuiteHandler.Action.Issue);
        handler.issue(4 * 3, 100);
        _refused(
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistrySerialOverlap.selector,
                handler.namespace(),
                0,
                99,
                1,
                0,
                4_999
            )
        );
        _assertAll();
    }

    /// @dev Pauses a running module (seed 7), then is refused a second pause with `err`.
    function _pauseCycle(SuiteHandler.Action action, bytes memory err) private {
        _mark(action);
        _pause(action);
        _accepted();
        _mark(action);
        _pause(action);
        _refused(err);
        _unpause(SuiteHandler.Action(uint256(action) + 1));
    }

    /// @dev Unpauses a paused module, then is refused a second unpause with `err`.
    function _unpauseCycle(SuiteHandler.Action action, bytes memory err) private {
        _mark(action);
        _unpause(action);
        _accepted();
        _mark(action);
        _unpause(action);
        _refused(err);
    }

    function _pause(SuiteHandler.Action action) private {
        if (action == SuiteHandler.Action.PauseCredit) handler.pauseCredit(7);
        else if (action == SuiteHandler.Action.PauseRegistry) handler.pauseRegistry(7);
        else if (action == SuiteHandler.Action.PauseRetirement) handler.pauseRetirement(7);
        else handler.pauseMarket(7);
    }

    function _unpause(SuiteHandler.Action action) private {
        if (action == SuiteHandler.Action.UnpauseCredit) handler.unpauseCredit();
        else if (action == SuiteHandler.Action.UnpauseRegistry) handler.unpauseRegistry();
        else if (action == SuiteHandler.Action.UnpauseRetirement) handler.unpauseRetirement();
        else handler.unpauseMarket();
    }

    /// @dev Records `action`'s counters before a call.
    function _mark(SuiteHandler.Action action) private {
        _markedAction = action;
        _markedSucceeded = handler.succeeded(action);
        _markedRejected = handler.rejected(action);
    }

    /// @dev The marked action succeeded as the model predicted.
    function _accepted() private view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(handler.succeeded(_markedAction), _markedSucceeded + 1, "expected a success");
    }

    /// @dev The marked action was refused with exactly `err`, as the model predicted.
    function _refused(bytes memory err) private view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(handler.rejected(_markedAction), _markedRejected + 1, "expected a refusal");
        assertEq(handler.lastRejection(), err, "refusal reason");
    }

    function _assertAll() private view {
        invariant_supplyConserved();
        invariant_rangesDisjoint();
        invariant_retiredNeverDecreases();
        invariant_escrowExact();
        invariant_noViolation();
    }

    // ================================================================ range checks

    function _assertSerialRanges() private view {
        bytes32 ns = handler.namespace();
        uint256 batches = handler.batchCount();
        (uint256[] memory ids, uint256 next) = registry.serialRanges(ns, 0, 1_000);
        assertEq(next, 0, "list longer than a page");
        for (uint256 i = 0; i < ids.length; ++i) {
            ICarbonRegistry.Batch memory b = registry.getBatch(ids[i]);
            assertLe(b.serialStart, b.serialEnd, "inverted serial range");
            if (i > 0) {
                assertGt(
                    b.serialStart,
                    registry.getBatch(ids[i - 1]).serialEnd,
                    "serial ranges not sorted and disjoint"
                );
            }
        }
        // Then the list against the model: every batch exactly once, with the model's range.
        assertEq(ids.length, batches, "serial list length vs model");
        assertEq(registry.getNamespace(ns).count, batches, "namespace count vs model");
        bool[] memory seen = new bool[](batches + 1);
        for (uint256 i = 0; i < ids.length; ++i) {
            SuiteHandler.BatchModel memory m = handler.batchModel(ids[i]);
            assertFalse(seen[ids[i]], "batch listed twice");
            seen[ids[i]] = true;
            assertEq(registry.getBatch(ids[i]).serialStart, m.serialStart, "serial start vs model");
            assertEq(registry.getBatch(ids[i]).serialEnd, m.serialEnd, "serial end vs model");
        }
    }

    function _assertUnitRanges() private view {
        uint256 records = retirement.retirementCount();
        uint256[] memory batchOf = new uint256[](records + 1);
        uint256[] memory firstOf = new uint256[](records + 1);
        uint256[] memory amountOf = new uint256[](records + 1);
        for (uint256 rid = 1; rid <= records; ++rid) {
            IRetirementRegistry.Retirement memory r = retirement.getRetirement(rid);
            (batchOf[rid], firstOf[rid], amountOf[rid]) = (r.batchId, r.firstUnit, r.amount);
        }
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            (uint256[] memory firsts, uint256[] memory amounts, uint256[] memory rids) = _recordsOf(
                id,
                batchOf,
                firstOf,
                amountOf
            );
            uint256 serialStart = registry.getBatch(id).serialStart;
            uint256 next;
            for (uint256 k = 0; k < firsts.length; ++k) {
                assertEq(firsts[k], next, "unit ranges not contiguous and disjoint");
                assertGt(amounts[k], 0, "empty retirement");
                (uint256 s, uint256 e) = retirement.serialRangeOf(rids[k]);
                assertEq(s, serialStart + firsts[k], "retired serial range start");
                assertEq(e, s + amounts[k] - 1, "retired serial range end");
                next += amounts[k];
            }
            assertEq(next, credit.supplyOf(id).retired, "unit ranges do not end at the retired count");
        }
        // Then every record against the model.
        assertEq(records, handler.recordCount(), "retirement count vs model");
        for (uint256 rid = 1; rid <= records; ++rid) _assertRecord(rid, retirement.getRetirement(rid));
    }

    function _assertRecord(uint256 rid, IRetirementRegistry.Retirement memory r) private view {
        SuiteHandler.RecordModel memory m = handler.recordModel(rid);
        assertEq(r.batchId, m.batchId, "record batch vs model");
        assertEq(r.amount, m.amount, "record amount vs model");
        assertEq(r.firstUnit, m.firstUnit, "record first unit vs model");
        assertEq(r.beneficiary, m.beneficiary, "record beneficiary vs model");
        assertEq(r.retiree, m.retiree, "record retiree vs model");
        assertEq(uint8(r.claimType), uint8(m.claimType), "record claim type vs model");
    }

    /// @dev The records of batch `id`, sorted by first unit (insertion sort: a few dozen records at most).
    function _recordsOf(
        uint256 id,
        uint256[] memory batchOf,
        uint256[] memory firstOf,
        uint256[] memory amountOf
    ) private pure returns (uint256[] memory firsts, uint256[] memory amounts, uint256[] memory rids) {
        uint256 n;
        for (uint256 rid = 1; rid < batchOf.length; ++rid) if (batchOf[rid] == id) ++n;
        (firsts, amounts, rids) = (new uint256[](n), new uint256[](n), new uint256[](n));
        uint256 k;
        for (uint256 rid = 1; rid < batchOf.length; ++rid) {
            if (batchOf[rid] != id) continue;
            uint256 j = k++;
            while (j > 0 && firsts[j - 1] > firstOf[rid]) {
                (firsts[j], amounts[j], rids[j]) = (firsts[j - 1], amounts[j - 1], rids[j - 1]);
                --j;
            }
            (firsts[j], amounts[j], rids[j]) = (firstOf[rid], amountOf[rid], rid);
        }
    }

    // ================================================================ set-up helpers

    /// @dev One batch per actor (each issuance moves time on a day), each actor passing 1,000 units to the next; then
    /// the compliance periods, the installations of actors 0-2 with their emissions for both periods (so surrenders of
    /// offsets have a limit), a free allocation and an auction of 2026 with one sealed bid per operator, so every
    /// stage of the compliance cycle is a few calls away.
    function _seed() private {
        for (uint256 i = 0; i < 4; ++i) handler.issue(i, 5_000);
        for (uint256 i = 0; i < 4; ++i) handler.transfer(i, i + 1, _b(i + 1), 8 * 1_000);

        // 2026 reports within the hour and surrenders until day 6; 2027 reports until day 3 and surrenders until
        // day 12: surrenders of 2026 open with the first call, settlements of 2026 after about six days.
        _openPeriod(FIRST, uint64(block.timestamp + 1 hours), uint64(block.timestamp + 6 days), OFFSET_LIMIT_BPS);
        _openPeriod(SECOND, uint64(block.timestamp + 3 days), uint64(block.timestamp + 12 days), OFFSET_LIMIT_BPS);
        for (uint256 i = 0; i < 3; ++i) compliance.registerInstallation(actors[i], SECTOR, "DE");
        for (uint256 i = 0; i < 3; ++i) {
            complianceHandler.attest(i, 0, 20_000 + 10_000 * i);
            complianceHandler.attest(i, 1, 30_000 - 10_000 * i);
        }
        complianceHandler.allocate(0, 0, 10_000);
        complianceHandler.allocate(1, 1, 10_000);
        complianceHandler.openAuction(0, 20_000, 10);
        complianceHandler.commit(0, 0, 100, 1_000, 1);
        complianceHandler.commit(1, 0, 50, 15_000, 1);
        complianceHandler.commit(2, 0, 20, 10_000, 1);
    }

    function _targetHandlers() private {
        // Duplicated selectors are drawn more often: trading, retiring and surrendering get extra shares.
        bytes4[] memory s = new bytes4[](48);
        (s[0], s[1], s[2]) = (handler.issue.selector, handler.transfer.selector, handler.reversal.selector);
        (s[3], s[4], s[5]) = (handler.retire.selector, handler.retireOnTransfer.selector, handler.list.selector);
        (s[6], s[7], s[8]) = (handler.buy.selector, handler.buyAndRetire.selector, handler.cancelListing.selector);
        (s[9], s[10], s[11]) = (handler.placeBid.selector, handler.fillBid.selector, handler.cancelBid.selector);
        (s[12], s[13], s[14]) = (handler.surrenderOffsets.selector, handler.freeze.selector, handler.unfreeze.selector);
        (s[15], s[16], s[17]) = (handler.suspend.selector, handler.reinstate.selector, handler.pauseCredit.selector);
        (s[18], s[19]) = (handler.unpauseCredit.selector, handler.pauseRegistry.selector);
        (s[20], s[21]) = (handler.unpauseRegistry.selector, handler.pauseRetirement.selector);
        (s[22], s[23]) = (handler.unpauseRetirement.selector, handler.pauseMarket.selector);
        (s[24], s[25]) = (handler.unpauseMarket.selector, handler.warp.selector);
        (s[26], s[27], s[28]) = (handler.issue.selector, handler.transfer.selector, handler.retire.selector);
        (s[29], s[30], s[31]) = (handler.retireOnTransfer.selector, handler.list.selector, handler.list.selector);
        (s[32], s[33], s[34]) = (handler.buy.selector, handler.buy.selector, handler.buyAndRetire.selector);
        (s[35], s[36], s[37]) = (handler.placeBid.selector, handler.fillBid.selector, handler.fillBid.selector);
        (s[38], s[39]) = (handler.surrenderOffsets.selector, handler.surrenderOffsets.selector);
        (s[40], s[41], s[42]) = (handler.unfreeze.selector, handler.reinstate.selector, handler.unpauseCredit.selector);
        (s[43], s[44]) = (handler.unpauseRegistry.selector, handler.unpauseRetirement.selector);
        (s[45], s[46], s[47]) = (handler.unpauseMarket.selector, handler.warp.selector, handler.cancelListing.selector);
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: s}));

        // The auction's later stages (reveal, settle, claim) and time get extra shares, so auctions complete.
        ComplianceHandler ch = complianceHandler;
        bytes4[] memory c = new bytes4[](22);
        (c[0], c[1], c[2]) = (ch.allocate.selector, ch.attest.selector, ch.transfer.selector);
        (c[3], c[4], c[5]) = (ch.surrender.selector, ch.surrender.selector, ch.settle.selector);
        (c[6], c[7], c[8]) = (ch.settle.selector, ch.freeze.selector, ch.unfreeze.selector);
        (c[9], c[10], c[11]) = (ch.unfreeze.selector, ch.warp.selector, ch.warp.selector);
        (c[12], c[13], c[14]) = (ch.openAuction.selector, ch.commit.selector, ch.reveal.selector);
        (c[15], c[16], c[17]) = (ch.reveal.selector, ch.reveal.selector, ch.settleAuction.selector);
        (c[18], c[19], c[20]) = (ch.settleAuction.selector, ch.claim.selector, ch.claim.selector);
        c[21] = ch.claim.selector;
        targetContract(address(complianceHandler));
        targetSelector(FuzzSelector({addr: address(complianceHandler), selectors: c}));
    }

    /// @dev The batch seed that selects batch `id` whoever holds it (see `SuiteHandler._pickBatch`).
    function _b(uint256 id) private pure returns (uint256) {
        return 3 + 4 * (id - 1);
    }
}
