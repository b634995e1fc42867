// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {ICarbonMarketplace} from "../../contracts/interfaces/ICarbonMarketplace.sol";
import {CarbonMarketplace} from "../../contracts/market/CarbonMarketplace.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";

import {MarketHandler} from "./MarketHandler.sol";
import {SuiteSetup} from "./SuiteSetup.sol";

/// @notice Handler-based invariant test of the marketplace: escrow equals the open listings, the payment held equals
/// the open bids' escrow, value is conserved, and every call behaves as the handler's model predicts.
contract MarketInvariantsTest is SuiteSetup, Test {
    uint256 internal constant BATCHES = 3;
    uint128 internal constant QUANTITY = 9_000;

    CarbonMarketplace internal market;
    ERC20Mock internal usdc;
    MarketHandler internal handler;
    address internal treasury = makeAddr("treasury");
    address[] internal actors;
    uint256[] internal batchIds;

    function setUp() public {
        _deploySuite();
        _deployRetirement();
        _grantOperatorRoles(address(this));
        methodologyId = _addMethodology(address(this));
        (market, usdc) = _deployMarketplace(treasury);

        // One batch per actor (10% buffer), then each actor sends a third of its batch to each other actor.
        for (uint256 i = 0; i < BATCHES; ++i) {
            address actor = makeAddr(string.concat("trader", vm.toString(i)));
            actors.push(actor);
            uint256 projectId = _registerApproved(actor, STANDARD, 1_000);
            uint128 start = uint128(1 + i * 10_000);
            (uint256 hint, ) = registry.findSerialHint(_namespaceOf(STANDARD), start, start + QUANTITY - 1);
            batchIds.push(_issue(projectId, start, QUANTITY, hint));
        }
        for (uint256 i = 0; i < BATCHES; ++i) {
            uint256 share = credit.balanceOf(actors[i], batchIds[i]) / BATCHES;
            for (uint256 j = 0; j < BATCHES; ++j) {
                if (i == j) continue;
                vm.prank(actors[i]);
                credit.safeTransferFrom(actors[i], actors[j], batchIds[i], share, "");
            }
        }

        handler = new MarketHandler(market, credit, usdc, treasury, actors, batchIds);
        manager.grantRole(Roles.REGULATOR, address(handler), 0);
        manager.grantRole(Roles.PAUSER, address(handler), 0);
        manager.grantRole(Roles.TREASURER, address(handler), 0);

        // Listings and purchases get extra shares.
        bytes4[] memory selectors = new bytes4[](20);
        selectors[0] = MarketHandler.list.selector;
        selectors[1] = MarketHandler.buy.selector;
        selectors[2] = MarketHandler.buyMany.selector;
        selectors[3] = MarketHandler.updateListing.selector;
        selectors[4] = MarketHandler.cancelListing.selector;
        selectors[5] = MarketHandler.setFee.selector;
        selectors[6] = MarketHandler.warp.selector;
        selectors[7] = MarketHandler.freeze.selector;
        selectors[8] = MarketHandler.unfreeze.selector;
        selectors[9] = MarketHandler.pause.selector;
        selectors[10] = MarketHandler.unpause.selector;
        selectors[11] = MarketHandler.list.selector;
        selectors[12] = MarketHandler.list.selector;
        selectors[13] = MarketHandler.buy.selector;
        selectors[14] = MarketHandler.buy.selector;
        selectors[15] = MarketHandler.unfreeze.selector;
        selectors[16] = MarketHandler.placeBid.selector;
        selectors[17] = MarketHandler.fillBid.selector;
        selectors[18] = MarketHandler.fillBid.selector;
        selectors[19] = MarketHandler.cancelBid.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ================================================================ invariants

    /// @notice Per batch, the marketplace's credit balance equals the remaining units of its listings.
    function invariant_escrowEqualsOpenListings() public view {
        uint256 count = market.listingCount();
        for (uint256 b = 0; b < BATCHES; ++b) {
            uint256 id = batchIds[b];
            uint256 open;
            for (uint256 k = 1; k <= count; ++k) {
                ICarbonMarketplace.Listing memory listing = market.getListing(k);
                if (listing.token == address(credit) && listing.id == id) open += listing.remaining;
            }
            assertEq(credit.balanceOf(address(market), id), open, "escrow != open listings");
        }
    }

    /// @notice The marketplace's payment balance equals the open bids' escrow (remaining × unit price), nothing else.
    function invariant_paymentEqualsOpenBids() public view {
        uint256 count = market.bidCount();
        uint256 escrow;
        for (uint256 k = 1; k <= count; ++k) {
            ICarbonMarketplace.Bid memory bid = market.getBid(k);
            escrow += uint256(bid.remaining) * bid.unitPrice;
        }
        assertEq(usdc.balanceOf(address(market)), escrow, "payment held != open bids' escrow");
    }

    /// @notice ERC-20 and credits are only moved, never created or lost.
    function invariant_valueConserved() public view {
        uint256 cash = usdc.balanceOf(treasury) + usdc.balanceOf(address(market));
        for (uint256 i = 0; i < actors.length; ++i) cash += usdc.balanceOf(actors[i]);
        assertEq(cash, handler.totalMinted(), "ERC-20 not conserved");
        assertEq(usdc.totalSupply(), handler.totalMinted(), "ERC-20 supply");
        for (uint256 b = 0; b < BATCHES; ++b) {
            uint256 id = batchIds[b];
            uint256 held = credit.balanceOf(address(market), id) + credit.balanceOf(address(registry), id);
            for (uint256 i = 0; i < actors.length; ++i) held += credit.balanceOf(actors[i], id);
            ICarbonCredit.Supply memory s = credit.supplyOf(id);
            assertEq(held, uint256(s.issued) - s.retired - s.cancelled, "credits not conserved");
        }
    }

    /// @notice Every call behaved as the model predicted.
    function invariant_noViolation() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
    }

    // ================================================================ coverage

    /// @notice Drives each action through a success and a refusal with fixed inputs; the chain matches the model
    /// after each step.
    function test_handlerCoverage() public {
        // list: success (actor 0, batch 0, 100 units at 50, minFill 10), then a past expiry (seed 8).
        handler.list(0, 0, 100, 50, 10, 1);
        handler.list(0, 0, 100, 50, 10, 8);
        // a second listing by actor 1 of batch 1.
        handler.list(1, 1, 300, 20, 0, 3);
        _assertClean();

        // buy: a part of listing 1 (seed 0), then below minFill (mode 2), then a too-low max price (mode 3).
        handler.buy(1, 0, 20, 1);
        handler.buy(1, 0, 0, 2);
        handler.buy(2, 0, 5, 3);
        _assertClean();

        // buyMany: listings 1 and 2 in parts, then one order with a too-low price.
        handler.buyMany(2, 0, 1, 10, 30, 1 + 4 * 1);
        handler.buyMany(2, 0, 1, 10, 30, 1 + 4 * 3);
        _assertClean();

        // update: top-up of listing 2 by its seller, then by another actor (mode 4).
        handler.updateListing(1, 1, 50, 25, 3);
        handler.updateListing(1, 4, 50, 25, 3);
        handler.updateListing(0, 2, 10, 60, 5);
        _assertClean();

        // fees: 2.5%, then above the cap.
        handler.setFee(250);
        handler.setFee(1_100);
        handler.buy(0, 1, 7, 1);
        _assertClean();

        // freeze the seller of listing 1: a purchase from it is refused; freezing twice is refused.
        handler.freeze(0);
        handler.freeze(0);
        handler.buy(1, 0, 20, 1);
        handler.unfreeze(0);
        handler.unfreeze(0);
        _assertClean();

        // pause: every trading call is refused; pausing twice and unpausing twice are refused.
        handler.pause();
        handler.pause();
        handler.buy(1, 0, 20, 1);
        handler.unpause();
        handler.unpause();
        _assertClean();

        // cancel: a stranger before expiry is refused, the seller succeeds; after a warp anyone may cancel.
        handler.cancelListing(1, 0);
        handler.cancelListing(0, 0);
        handler.warp(11 days);
        handler.cancelListing(0, 1);
        handler.buy(0, 1, 1, 0);
        _assertClean();

        _assertEveryAction(0, uint256(MarketHandler.Action.Unpause));
    }

    /// @notice Drives the bid actions through successes and refusals with fixed inputs, a 2.5% fee in force.
    function test_bidHandlerCoverage() public {
        handler.setFee(250);
        // bids: actor 0 for anything (bid 1), a zero quantity, actor 1 for batch 2's project (bid 2), actor 2 for a
        // jurisdiction no batch has (bid 3), actor 1 for vintages from batch 1's on (bid 4).
        handler.placeBid(0, 500, 40, 1, 0);
        handler.placeBid(0, 0, 40, 1, 0);
        handler.placeBid(1, 300, 30, 1, 1 + 5 * 2);
        handler.placeBid(2, 200, 30, 1, 3);
        handler.placeBid(1, 100, 10, 1, 2 + 5 * 1);
        _assertClean();

        // fills: actor 1 fills 100 of bid 1 with batch 0; batch 0 fails bid 2's project, bid 3's jurisdiction and
        // bid 4's vintage; actor 0 fills 50 of bid 2 with batch 2; more than bid 1's remainder is refused.
        handler.fillBid(1, 0, 0, 100, 1);
        handler.fillBid(1, 1, 0, 0, 0);
        handler.fillBid(2, 2, 0, 0, 0);
        handler.fillBid(2, 3, 0, 0, 0);
        handler.fillBid(0, 1, 2, 50, 1);
        handler.fillBid(2, 0, 1, 0, 2);
        handler.fillBid(2, 0, 1, 0, 3);
        _assertClean();

        // cancel: a stranger before expiry is refused, the bidder succeeds, a second cancel is refused.
        handler.cancelBid(1, 0);
        handler.cancelBid(0, 0);
        handler.cancelBid(0, 0);
        _assertClean();

        _assertEveryAction(uint256(MarketHandler.Action.PlaceBid), uint256(MarketHandler.Action.CancelBid));
    }

    /// @dev Every action from `first` to `last` succeeded at least once and (but Warp) was refused at least once.
    function _assertEveryAction(uint256 first, uint256 last) private view {
        for (uint256 a = first; a <= last; ++a) {
            MarketHandler.Action action = MarketHandler.Action(a);
            assertGt(handler.succeeded(action), 0, string.concat("no success for action ", vm.toString(a)));
            if (action != MarketHandler.Action.Warp) {
                assertGt(handler.rejected(action), 0, string.concat("no refusal for action ", vm.toString(a)));
            }
        }
    }

    function _assertClean() private view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        invariant_escrowEqualsOpenListings();
        invariant_paymentEqualsOpenBids();
        invariant_valueConserved();
    }
}
