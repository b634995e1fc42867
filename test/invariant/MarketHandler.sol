// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";

import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {BatchCriteria, CriteriaMismatch} from "../../contracts/interfaces/ICarbonTypes.sol";
import {ICarbonMarketplace} from "../../contracts/interfaces/ICarbonMarketplace.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {CarbonMarketplace} from "../../contracts/market/CarbonMarketplace.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";
import {CarbonCredit} from "../../contracts/token/CarbonCredit.sol";

import {OutcomeLedger} from "./OutcomeLedger.sol";

/// @notice Drives the marketplace with bounded random listings, purchases, updates, cancellations, criteria bids
/// (placed, filled, cancelled), fee changes, time, freezes and pauses; keeps a reference model of every listing, bid,
/// ERC-20 and credit balance and the treasury's fees, and records every call whose outcome (success or exact revert reason) or effect differs from the model.
contract MarketHandler is OutcomeLedger, CommonBase, StdUtils {
    /// @notice The handler's actions, to count how often each succeeded or was rejected as the model predicted.
    enum Action {
        List,
        Buy,
        BuyMany,
        Update,
        Cancel,
        SetFee,
        Warp,
        Freeze,
        Unfreeze,
        Pause,
        Unpause,
        PlaceBid,
        FillBid,
        CancelBid
    }

    /// @notice The model of one bid: its terms and the only criteria the handler varies (see {placeBid}).
    struct BidModel {
        address bidder;
        uint256 remaining;
        uint256 unitPrice;
        uint64 expiry;
        uint256 projectId;
        uint64 vintageFrom;
        bool foreignJurisdiction;
    }

    /// @notice The model of one listing.
    struct ListingModel {
        address seller;
        uint256 id;
        uint256 remaining;
        uint256 unitPrice;
        uint256 minFill;
        uint64 expiry;
    }

    /// @notice One purchase to predict.
    struct Order {
        uint256 listingId;
        uint256 amount;
        uint256 maxUnitPrice;
    }

    uint256 internal constant ACTORS = 3;
    uint256 internal constant MAX_PRICE = 1_000_000;
    uint256 internal constant MAX_LISTINGS = 40;
    uint256 internal constant MAX_BIDS = 30;
    uint256 internal constant MAX_BID_QUANTITY = 5_000;
    uint256 internal constant MAX_FEE = 1_000;
    uint256 internal constant INITIAL_CASH = 1e18;

    CarbonMarketplace public immutable market;
    CarbonCredit public immutable credit;
    ERC20Mock public immutable usdc;
    address public immutable treasury;

    address[] public actors;
    uint256[] public batches;
    mapping(uint256 batchId => ICarbonRegistry.Batch) internal _batchData;
    uint32 internal immutable _methodologyId;

    // ---------------------------------------------------------------- the model
    mapping(uint256 listingId => ListingModel) internal _listings;
    uint256 public listingCount;
    mapping(uint256 bidId => BidModel) internal _bids;
    uint256 public bidCount;
    uint256 public bidEscrow;
    mapping(address account => uint256) public cashOf;
    mapping(address account => mapping(uint256 id => uint256)) public creditOf;
    mapping(address account => bool) public frozen;
    uint256 public totalMinted;
    uint256 public feeBps;
    bool public paused;

    // ---------------------------------------------------------------- ghosts

    constructor(
        CarbonMarketplace market_,
        CarbonCredit credit_,
        ERC20Mock usdc_,
        address treasury_,
        address[] memory actors_,
        uint256[] memory batches_
    ) {
        market = market_;
        credit = credit_;
        usdc = usdc_;
        treasury = treasury_;
        actors = actors_;
        batches = batches_;
        // Set-up data the bid model matches on: every batch's project and vintage (one methodology, jurisdiction KE).
        ICarbonRegistry registry = market_.registry();
        for (uint256 j = 0; j < batches_.length; ++j) _batchData[batches_[j]] = registry.getBatch(batches_[j]);
        _methodologyId = registry.getProject(_batchData[batches_[0]].projectId).methodologyId;
        for (uint256 i = 0; i < actors_.length; ++i) {
            address actor = actors_[i];
            usdc_.mint(actor, INITIAL_CASH);
            cashOf[actor] = INITIAL_CASH;
            totalMinted += INITIAL_CASH;
            vm.startPrank(actor);
            usdc_.approve(address(market_), type(uint256).max);
            credit_.setApprovalForAll(address(market_), true);
            vm.stopPrank();
            for (uint256 j = 0; j < batches_.length; ++j) {
                creditOf[actor][batches_[j]] = credit_.balanceOf(actor, batches_[j]);
            }
        }
    }

    // ================================================================ actions

    /// @notice An actor lists some of its units of a batch; expiry mode 0 of 8 is already past, minFill may exceed
    /// the amount.
    function list(
        uint256 actorSeed,
        uint256 idSeed,
        uint256 amount,
        uint256 price,
        uint256 minFillSeed,
        uint256 expirySeed
    ) public {
        if (listingCount >= MAX_LISTINGS) return;
        address seller = actors[actorSeed % ACTORS];
        uint256 id = batches[idSeed % batches.length];
        amount = _bound(amount, 0, creditOf[seller][id]);
        price = _bound(price, 1, MAX_PRICE);
        uint256 minFill = minFillSeed % (amount + 2);
        uint64 expiry = _expiry(expirySeed);

        bytes memory expected;
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        else if (amount == 0) expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceZeroAmount.selector);
        else if (expiry <= block.timestamp) expected = _invalidExpiry(expiry);
        else if (minFill > amount) {
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceInvalidMinFill.selector, minFill, amount);
        } else if (frozen[seller]) expected = _creditFrozen(seller);

        vm.prank(seller);
        bool ok;
        bytes memory ret;
        try market.list(address(credit), id, amount, price, address(usdc), minFill, expiry) returns (uint256 newId) {
            ok = true;
            ret = abi.encode(newId);
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.List, ok, ret, expected)) {
            uint256 listingId = ++listingCount;
            if (abi.decode(ret, (uint256)) != listingId) _violation(Action.List, "unexpected listing id", ret);
            _listings[listingId] = ListingModel(seller, id, amount, price, minFill, expiry);
            creditOf[seller][id] -= amount;
        }
        _checkChain(Action.List);
    }

    /**
     * @notice An actor buys from a listing for itself. Mode 0: the whole remainder; 1: a bounded part; 2: just below
     * minFill when possible; 3: with a maxUnitPrice one below the listing's price.
     */
    function buy(uint256 buyerSeed, uint256 listingSeed, uint256 amount, uint256 mode) public {
        if (listingCount == 0) return;
        address buyer = actors[buyerSeed % ACTORS];
        Order memory order = _order(listingSeed, amount, mode, 0);
        bytes memory expected = paused
            ? abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector)
            : _predictFill(order, buyer, _listings[order.listingId].remaining);

        vm.prank(buyer);
        bool ok;
        bytes memory ret;
        try market.buy(order.listingId, order.amount, order.maxUnitPrice, buyer) {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.Buy, ok, ret, expected)) _applyFill(order, buyer);
        _checkChain(Action.Buy);
    }

    /// @notice An actor buys from two listings (possibly the same one twice) in one all-or-nothing call.
    function buyMany(
        uint256 buyerSeed,
        uint256 listingSeedA,
        uint256 listingSeedB,
        uint256 amountA,
        uint256 amountB,
        uint256 mode
    ) public {
        if (listingCount == 0) return;
        address buyer = actors[buyerSeed % ACTORS];
        Order memory first = _order(listingSeedA, amountA, mode, 0);
        uint256 firstRemaining = _listings[first.listingId].remaining;
        uint256 reserved = first.listingId == _listingId(listingSeedB) && first.amount <= firstRemaining
            ? first.amount
            : 0;
        Order memory second = _order(listingSeedB, amountB, mode / 4, reserved);

        bytes memory expected;
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        else {
            expected = _predictFill(first, buyer, firstRemaining);
            uint256 secondRemaining = _listings[second.listingId].remaining;
            if (second.listingId == first.listingId) secondRemaining -= reserved;
            if (expected.length == 0) expected = _predictFill(second, buyer, secondRemaining);
        }

        ICarbonMarketplace.BuyOrder[] memory orders = new ICarbonMarketplace.BuyOrder[](2);
        orders[0] = ICarbonMarketplace.BuyOrder(first.listingId, first.amount, first.maxUnitPrice);
        orders[1] = ICarbonMarketplace.BuyOrder(second.listingId, second.amount, second.maxUnitPrice);
        vm.prank(buyer);
        bool ok;
        bytes memory ret;
        try market.buyMany(orders, buyer) {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.BuyMany, ok, ret, expected)) {
            _applyFill(first, buyer);
            _applyFill(second, buyer);
        }
        _checkChain(Action.BuyMany);
    }

    /**
     * @notice The seller (or, mode 4, another actor) updates a listing. Mode 0: price and expiry only; 1: top-up;
     * 2: reduction; 3: zero amount. Expiry mode 0 of 8 is already past.
     */
    function updateListing(
        uint256 listingSeed,
        uint256 mode,
        uint256 amount,
        uint256 price,
        uint256 expirySeed
    ) public {
        if (listingCount == 0) return;
        uint256 listingId = _listingId(listingSeed);
        ListingModel storage lst = _listings[listingId];
        address caller = mode % 5 == 4 ? actors[(_actorIndex(lst.seller) + 1) % ACTORS] : lst.seller;
        uint256 newAmount = lst.remaining;
        if (mode % 5 == 1) newAmount += _bound(amount, 0, creditOf[lst.seller][lst.id]);
        else if (mode % 5 == 2) newAmount = _bound(amount, 1, newAmount == 0 ? 1 : newAmount);
        else if (mode % 5 == 3) newAmount = 0;
        price = _bound(price, 1, MAX_PRICE);
        uint64 expiry = _expiry(expirySeed);

        bytes memory expected;
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        else if (lst.remaining == 0) expected = _closed(listingId);
        else if (caller != lst.seller) expected = _notSeller(listingId, caller);
        else if (newAmount == 0) expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceZeroAmount.selector);
        else if (expiry <= block.timestamp) expected = _invalidExpiry(expiry);
        else if (frozen[lst.seller] && newAmount != lst.remaining) expected = _creditFrozen(lst.seller);

        vm.prank(caller);
        bool ok;
        bytes memory ret;
        try market.updateListing(listingId, price, expiry, newAmount) {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.Update, ok, ret, expected)) {
            creditOf[lst.seller][lst.id] = creditOf[lst.seller][lst.id] + lst.remaining - newAmount;
            lst.remaining = newAmount;
            lst.unitPrice = price;
            lst.expiry = expiry;
        }
        _checkChain(Action.Update);
    }

    /// @notice An actor cancels a listing: the seller at any time, anyone once it expired.
    function cancelListing(uint256 callerSeed, uint256 listingSeed) public {
        if (listingCount == 0) return;
        uint256 listingId = _listingId(listingSeed);
        ListingModel storage lst = _listings[listingId];
        address caller = actors[callerSeed % ACTORS];

        bytes memory expected;
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        else if (lst.remaining == 0) expected = _closed(listingId);
        else if (caller != lst.seller && block.timestamp < lst.expiry) expected = _notSeller(listingId, caller);
        else if (frozen[lst.seller]) expected = _creditFrozen(lst.seller);

        vm.prank(caller);
        bool ok;
        bytes memory ret;
        try market.cancelListing(listingId) {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.Cancel, ok, ret, expected)) {
            creditOf[lst.seller][lst.id] += lst.remaining;
            lst.remaining = 0;
        }
        _checkChain(Action.Cancel);
    }

    /**
     * @notice An actor bids for up to `quantity` units (0 to 5,000) at `price`. Criteria mode 0: anything; 1: one
     * batch's project; 2: vintages from one batch's on; 3: a jurisdiction no batch has; 4: the suite's methodology and
     * jurisdiction (every batch). Expiry mode 0 of 8 is already past.
     */
    function placeBid(
        uint256 actorSeed,
        uint256 quantity,
        uint256 price,
        uint256 expirySeed,
        uint256 criteriaSeed
    ) public {
        if (bidCount >= MAX_BIDS) return;
        address bidder = actors[actorSeed % ACTORS];
        quantity = _bound(quantity, 0, MAX_BID_QUANTITY);
        price = _bound(price, 1, MAX_PRICE);
        uint64 expiry = _expiry(expirySeed);
        (BatchCriteria memory criteria, BidModel memory model) = _criteria(criteriaSeed);

        bytes memory expected;
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        else if (quantity == 0) expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceZeroAmount.selector);
        else if (expiry <= block.timestamp) expected = _invalidExpiry(expiry);
        else if (frozen[bidder]) {
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceAccountFrozen.selector, bidder);
        }

        vm.prank(bidder);
        bool ok;
        bytes memory ret;
        try market.placeBid(criteria, quantity, price, address(usdc), expiry) returns (uint256 newId) {
            ok = true;
            ret = abi.encode(newId);
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.PlaceBid, ok, ret, expected)) {
            uint256 bidId = ++bidCount;
            if (abi.decode(ret, (uint256)) != bidId) _violation(Action.PlaceBid, "unexpected bid id", ret);
            model.bidder = bidder;
            model.remaining = quantity;
            model.unitPrice = price;
            model.expiry = expiry;
            _bids[bidId] = model;
            cashOf[bidder] -= quantity * price;
            bidEscrow += quantity * price;
        }
        _checkChain(Action.PlaceBid);
    }

    /**
     * @notice An actor fills a bid with its units of a batch. Mode 0: as much as it can; 1: a bounded part; 2: more
     * than the bid's remainder; 3: more than the actor holds.
     */
    function fillBid(uint256 fillerSeed, uint256 bidSeed, uint256 batchSeed, uint256 amount, uint256 mode) public {
        if (bidCount == 0) return;
        address filler = actors[fillerSeed % ACTORS];
        uint256 bidId = (bidSeed % bidCount) + 1;
        uint256 batchId = batches[batchSeed % batches.length];
        BidModel storage bid = _bids[bidId];
        uint256 held = creditOf[filler][batchId];
        uint256 most = bid.remaining < held ? bid.remaining : held;
        mode %= 4;
        if (mode == 0) amount = most;
        else if (mode == 1) amount = _bound(amount, 0, most);
        else if (mode == 2) amount = bid.remaining + 1;
        else amount = held + 1;

        bytes memory expected = paused
            ? abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector)
            : _predictBidFill(bidId, batchId, filler, amount);

        vm.prank(filler);
        bool ok;
        bytes memory ret;
        try market.fillBid(bidId, batchId, amount) {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.FillBid, ok, ret, expected)) {
            uint256 paid = amount * bid.unitPrice;
            uint256 fee = (paid * feeBps + 9_999) / 10_000;
            bid.remaining -= amount;
            bidEscrow -= paid;
            creditOf[filler][batchId] -= amount;
            creditOf[bid.bidder][batchId] += amount;
            cashOf[filler] += paid - fee;
            cashOf[treasury] += fee;
        }
        _checkChain(Action.FillBid);
    }

    /// @notice An actor cancels a bid: the bidder at any time, anyone once it expired.
    function cancelBid(uint256 callerSeed, uint256 bidSeed) public {
        if (bidCount == 0) return;
        uint256 bidId = (bidSeed % bidCount) + 1;
        BidModel storage bid = _bids[bidId];
        address caller = actors[callerSeed % ACTORS];

        bytes memory expected;
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        else if (bid.remaining == 0) expected = _bidClosed(bidId);
        else if (caller != bid.bidder && block.timestamp < bid.expiry) {
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceNotBidder.selector, bidId, caller);
        }

        vm.prank(caller);
        bool ok;
        bytes memory ret;
        try market.cancelBid(bidId) {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.CancelBid, ok, ret, expected)) {
            uint256 refund = bid.remaining * bid.unitPrice;
            cashOf[bid.bidder] += refund;
            bidEscrow -= refund;
            bid.remaining = 0;
        }
        _checkChain(Action.CancelBid);
    }

    /// @notice The handler (TREASURER) sets a fee of 0 to 1,200 bps: above 1,000 is refused.
    function setFee(uint256 fee) public {
        fee = _bound(fee, 0, MAX_FEE + 200);
        bytes memory expected;
        // The pause rule: a paused marketplace refuses its fee setter too.
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        else if (fee > MAX_FEE) {
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceFeeTooHigh.selector, fee, MAX_FEE);
        }
        bool ok;
        bytes memory ret;
        try market.setFee(uint16(fee)) {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.SetFee, ok, ret, expected)) feeBps = fee;
        (uint16 chainFee, address chainTreasury) = market.feeInfo();
        if (chainFee != feeBps || chainTreasury != treasury) _violation(Action.SetFee, "feeInfo vs model", "");
    }

    /// @notice Time passes (1 second to 5 days): listings expire.
    function warp(uint256 seconds_) public {
        vm.warp(block.timestamp + _bound(seconds_, 1, 5 days));
        ++_succeeded[uint256(Action.Warp)];
    }

    /// @notice The handler (REGULATOR) freezes an actor on the credit; freezing a frozen one is refused.
    function freeze(uint256 actorSeed) public {
        address account = actors[actorSeed % ACTORS];
        bytes memory expected;
        if (frozen[account]) {
            expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, account, true);
        }
        bool ok;
        bytes memory ret;
        try credit.freeze(account, "freeze") {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.Freeze, ok, ret, expected)) frozen[account] = true;
    }

    /// @notice The handler (REGULATOR) unfreezes an actor; unfreezing one not frozen is refused.
    function unfreeze(uint256 actorSeed) public {
        address account = actors[actorSeed % ACTORS];
        bytes memory expected;
        if (!frozen[account]) {
            expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, account, false);
        }
        bool ok;
        bytes memory ret;
        try credit.unfreeze(account, "unfreeze") {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.Unfreeze, ok, ret, expected)) frozen[account] = false;
    }

    /// @notice The handler (PAUSER) pauses the marketplace; pausing twice is refused.
    function pause() public {
        bytes memory expected;
        if (paused) expected = abi.encodeWithSelector(ICarbonMarketplace.EnforcedPause.selector);
        bool ok;
        bytes memory ret;
        try market.pause() {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.Pause, ok, ret, expected)) paused = true;
        if (market.paused() != paused) _violation(Action.Pause, "paused vs model", "");
    }

    /// @notice The handler (PAUSER) unpauses the marketplace; unpausing when not paused is refused.
    function unpause() public {
        bytes memory expected;
        if (!paused) expected = abi.encodeWithSelector(ICarbonMarketplace.ExpectedPause.selector);
        bool ok;
        bytes memory ret;
        try market.unpause() {
            ok = true;
        } catch (bytes memory err) {
            ret = err;
        }
        if (_expectOutcome(Action.Unpause, ok, ret, expected)) paused = false;
        if (market.paused() != paused) _violation(Action.Unpause, "paused vs model", "");
    }

    // ================================================================ views

    /// @notice Number of actors.
    function actorCount() external pure returns (uint256) {
        return ACTORS;
    }

    /// @notice Number of batches the actors trade.
    function batchCount() external view returns (uint256) {
        return batches.length;
    }

    /// @notice The model of bid `bidId`.
    function bidModel(uint256 bidId) external view returns (BidModel memory) {
        return _bids[bidId];
    }

    /// @notice The model of listing `listingId`.
    function listingModel(uint256 listingId) external view returns (ListingModel memory) {
        return _listings[listingId];
    }

    // ================================================================ model internals

    function _order(
        uint256 listingSeed,
        uint256 amount,
        uint256 mode,
        uint256 reserved
    ) private view returns (Order memory order) {
        order.listingId = _listingId(listingSeed);
        ListingModel storage lst = _listings[order.listingId];
        uint256 remaining = lst.remaining > reserved ? lst.remaining - reserved : 0;
        order.maxUnitPrice = lst.unitPrice;
        mode %= 4;
        if (mode == 0 || remaining == 0) order.amount = remaining == 0 ? 1 : remaining;
        else if (mode == 1 || mode == 3) order.amount = _bound(amount, 1, remaining);
        else if (lst.minFill > 1 && lst.minFill - 1 != remaining) order.amount = lst.minFill - 1;
        else order.amount = _bound(amount, 1, remaining);
        if (mode == 3) order.maxUnitPrice = lst.unitPrice - 1;
    }

    /// @dev The error {CarbonMarketplace-buy} should raise for `order` by `buyer` for itself, or empty for success.
    function _predictFill(Order memory order, address buyer, uint256 remaining) private view returns (bytes memory) {
        ListingModel storage lst = _listings[order.listingId];
        if (remaining == 0) return _closed(order.listingId);
        if (block.timestamp >= lst.expiry) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplaceListingExpired.selector,
                    order.listingId,
                    lst.expiry
                );
        }
        if (order.amount > remaining) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplaceAmountExceedsRemaining.selector,
                    order.listingId,
                    order.amount,
                    remaining
                );
        }
        if (order.amount < lst.minFill && order.amount != remaining) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplaceBelowMinFill.selector,
                    order.listingId,
                    order.amount,
                    lst.minFill
                );
        }
        if (lst.unitPrice > order.maxUnitPrice) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplacePriceAboveMax.selector,
                    order.listingId,
                    lst.unitPrice,
                    order.maxUnitPrice
                );
        }
        if (frozen[lst.seller]) {
            return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceAccountFrozen.selector, lst.seller);
        }
        if (frozen[buyer]) return _creditFrozen(buyer);
        return "";
    }

    /// @dev The criteria of {placeBid}'s `seed` mode, and the model's record of them.
    function _criteria(uint256 seed) private view returns (BatchCriteria memory criteria, BidModel memory model) {
        uint256 mode = seed % 5;
        ICarbonRegistry.Batch storage batch = _batchData[batches[(seed / 5) % batches.length]];
        if (mode == 1) {
            criteria.projectId = batch.projectId;
            model.projectId = batch.projectId;
        } else if (mode == 2) {
            criteria.vintageFrom = batch.vintageStart;
            model.vintageFrom = batch.vintageStart;
        } else if (mode == 3) {
            criteria.jurisdictions = new bytes8[](1);
            criteria.jurisdictions[0] = "BR";
            model.foreignJurisdiction = true;
        } else if (mode == 4) {
            criteria.methodologyIds = new uint32[](1);
            criteria.methodologyIds[0] = _methodologyId;
            criteria.jurisdictions = new bytes8[](1);
            criteria.jurisdictions[0] = "KE";
        }
    }

    /// @dev The error {CarbonMarketplace-fillBid} should raise, or empty for success.
    function _predictBidFill(
        uint256 bidId,
        uint256 batchId,
        address filler,
        uint256 amount
    ) private view returns (bytes memory) {
        BidModel storage bid = _bids[bidId];
        if (bid.remaining == 0) return _bidClosed(bidId);
        if (block.timestamp >= bid.expiry) {
            return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBidExpired.selector, bidId, bid.expiry);
        }
        if (amount == 0) return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceZeroAmount.selector);
        if (amount > bid.remaining) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplaceBidAmountExceedsRemaining.selector,
                    bidId,
                    amount,
                    bid.remaining
                );
        }
        ICarbonRegistry.Batch storage batch = _batchData[batchId];
        CriteriaMismatch mismatch = CriteriaMismatch.None;
        if (bid.projectId != 0 && bid.projectId != batch.projectId) mismatch = CriteriaMismatch.Project;
        else if (batch.vintageStart < bid.vintageFrom) mismatch = CriteriaMismatch.Vintage;
        else if (bid.foreignJurisdiction) mismatch = CriteriaMismatch.Jurisdiction;
        if (mismatch != CriteriaMismatch.None) {
            return
                abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBatchMismatch.selector, bidId, batchId, mismatch);
        }
        if (frozen[filler]) return _creditFrozen(filler);
        if (frozen[bid.bidder]) return _creditFrozen(bid.bidder);
        uint256 held = creditOf[filler][batchId];
        if (amount > held) {
            return
                abi.encodeWithSelector(
                    IERC1155Errors.ERC1155InsufficientBalance.selector,
                    filler,
                    held,
                    amount,
                    batchId
                );
        }
        return "";
    }

    function _applyFill(Order memory order, address buyer) private {
        ListingModel storage lst = _listings[order.listingId];
        uint256 paid = order.amount * lst.unitPrice;
        uint256 fee = (paid * feeBps + 9_999) / 10_000;
        lst.remaining -= order.amount;
        creditOf[buyer][lst.id] += order.amount;
        if (buyer != lst.seller) {
            cashOf[buyer] -= paid;
            cashOf[lst.seller] += paid - fee;
        } else {
            cashOf[buyer] -= fee;
        }
        cashOf[treasury] += fee;
    }

    /// @dev Compares every balance and listing with the model.
    function _checkChain(Action action) private {
        for (uint256 i = 0; i < ACTORS; ++i) {
            address actor = actors[i];
            if (usdc.balanceOf(actor) != cashOf[actor]) _violation(action, "ERC-20 balance vs model", "");
            for (uint256 j = 0; j < batches.length; ++j) {
                uint256 id = batches[j];
                if (credit.balanceOf(actor, id) != creditOf[actor][id]) {
                    _violation(action, "credit balance vs model", abi.encode(actor, id));
                }
            }
        }
        if (usdc.balanceOf(treasury) != cashOf[treasury]) _violation(action, "treasury vs model", "");
        if (usdc.balanceOf(address(market)) != bidEscrow) _violation(action, "bid escrow vs model", "");
        if (market.bidCount() != bidCount) _violation(action, "bid count vs model", "");
        for (uint256 k = 1; k <= bidCount; ++k) {
            ICarbonMarketplace.Bid memory c = market.getBid(k);
            BidModel storage m = _bids[k];
            if (c.bidder != m.bidder || c.remaining != m.remaining || c.unitPrice != m.unitPrice) {
                _violation(action, "bid vs model", abi.encode(k));
            }
            // Escrow shares: exactly 10^6 per base unit of `remaining × unitPrice` for an ordinary token.
            if (c.shares != m.remaining * m.unitPrice * 1e6) _violation(action, "bid shares vs model", abi.encode(k));
            if (
                c.expiry != m.expiry || c.criteria.projectId != m.projectId || c.criteria.vintageFrom != m.vintageFrom
            ) {
                _violation(action, "bid terms vs model", abi.encode(k));
            }
        }
        if (market.listingCount() != listingCount) _violation(action, "listing count vs model", "");
        for (uint256 k = 1; k <= listingCount; ++k) {
            ICarbonMarketplace.Listing memory c = market.getListing(k);
            ListingModel storage m = _listings[k];
            if (c.seller != m.seller || c.id != m.id || c.remaining != m.remaining || c.unitPrice != m.unitPrice) {
                _violation(action, "listing vs model", abi.encode(k));
            }
            if (c.expiry != m.expiry || c.minFill != m.minFill) _violation(action, "listing terms vs model", "");
        }
    }

    /// @notice Successful calls of `action` recorded so far.
    function succeeded(Action action) external view returns (uint256) {
        return _succeeded[uint256(action)];
    }

    /// @notice Calls of `action` refused as the model predicted.
    function rejected(Action action) external view returns (uint256) {
        return _rejected[uint256(action)];
    }

    function _expectOutcome(Action action, bool ok, bytes memory ret, bytes memory expected) private returns (bool) {
        return _recordOutcome(uint256(action), ok, ret, expected);
    }

    function _violation(Action action, string memory what, bytes memory data) private {
        _recordViolation(uint256(action), what, data);
    }

    function _listingId(uint256 seed) private view returns (uint256) {
        return (seed % listingCount) + 1;
    }

    function _actorIndex(address account) private view returns (uint256) {
        for (uint256 i = 0; i < ACTORS; ++i) if (actors[i] == account) return i;
        return 0;
    }

    function _expiry(uint256 seed) private view returns (uint64) {
        if (seed % 8 == 0) return uint64(block.timestamp);
        return uint64(block.timestamp + _bound(seed, 1 hours, 10 days));
    }

    function _closed(uint256 listingId) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceListingClosed.selector, listingId);
    }

    function _bidClosed(uint256 bidId) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBidClosed.selector, bidId);
    }

    function _notSeller(uint256 listingId, address caller) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceNotSeller.selector, listingId, caller);
    }

    function _invalidExpiry(uint64 expiry) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceInvalidExpiry.selector, expiry);
    }

    function _creditFrozen(address account) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditAccountFrozen.selector, account);
    }
}
