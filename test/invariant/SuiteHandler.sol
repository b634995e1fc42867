// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ComplianceRegistry} from "../../contracts/compliance/ComplianceRegistry.sol";
import {EmissionsLedger} from "../../contracts/emissions/EmissionsLedger.sol";
import {ICarbonMarketplace} from "../../contracts/interfaces/ICarbonMarketplace.sol";
import {BatchCriteria, CriteriaMismatch} from "../../contracts/interfaces/ICarbonTypes.sol";
import {IComplianceRegistry} from "../../contracts/interfaces/IComplianceRegistry.sol";
import {ClaimType, IRetirementRegistry} from "../../contracts/interfaces/IRetirementRegistry.sol";
import {CarbonMarketplace} from "../../contracts/market/CarbonMarketplace.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";
import {CarbonRegistry} from "../../contracts/registry/CarbonRegistry.sol";
import {RetirementRegistry} from "../../contracts/retirement/RetirementRegistry.sol";
import {CarbonCredit} from "../../contracts/token/CarbonCredit.sol";

import {ComplianceHandler} from "./ComplianceHandler.sol";
import {CreditModel} from "./CreditModel.sol";

/**
 * @notice Drives every credit-side area of ONE deployed suite with bounded random actions: the registry and credit
 * token (issue, transfer, freeze, suspend, reversal, pauses), the retirement registry (retire, retire-on-transfer,
 * pause), the marketplace (list, buy, buy-and-retire, cancel, criteria bids, fills, pause) and the compliance
 * registry's surrender of credits as offsets. It runs next to the unchanged {ComplianceHandler} (allowances,
 * emissions, surrender of allowances, settlement, auctions) whose operators are this handler's first three actors,
 * so credits bought on the market are surrendered as offsets and retirements and escrow interleave with freezes
 * and pauses.
 *
 * The model: this handler is the only one that moves credits or changes a credit-side restriction, so it keeps an
 * exact model of every credit balance (actors, buffer pool, marketplace escrow, retirement registry, compliance
 * registry), supply counter, serial range, retirement record, listing, bid, payment balance and restriction flag,
 * and predicts every call's outcome (success, or the exact revert data) from it. What the compliance handler owns
 * (verified emissions) is read from that handler's model, never assumed. The only compliance state this handler
 * changes, offsets surrendered, enters none of the compliance handler's predictions; it reaches its checks only through
 * compliance statuses, which more surrendered units can only move towards compliant (its make-good model, never
 * compared with the chain, may then overstate). Every call whose outcome differs from the prediction is recorded as a
 * violation ({OutcomeLedger}). The registry and credit side of the model and its actions are {CreditModel}'s, shared with
 * the credit handler.
 */
contract SuiteHandler is CreditModel {
    /// @notice The handler's actions, to count how often each succeeded or was rejected as the model predicted.
    enum Action {
        Issue,
        Transfer,
        Reversal,
        Retire,
        RetireOnTransfer,
        List,
        Buy,
        BuyAndRetire,
        CancelListing,
        PlaceBid,
        FillBid,
        CancelBid,
        SurrenderOffsets,
        Freeze,
        Unfreeze,
        Suspend,
        Reinstate,
        PauseCredit,
        UnpauseCredit,
        PauseRegistry,
        UnpauseRegistry,
        PauseRetirement,
        UnpauseRetirement,
        PauseMarket,
        UnpauseMarket,
        Warp
    }

    /// @notice The contracts the handler drives and the accounts it pays with.
    struct Wiring {
        AccessManager manager;
        CarbonRegistry registry;
        CarbonCredit credit;
        RetirementRegistry retirement;
        CarbonMarketplace market;
        ComplianceRegistry compliance;
        ComplianceHandler complianceHandler;
        ERC20Mock cash;
        address treasury;
        uint256 methodologyId;
    }

    /// @notice The model of one retirement record (id = index + 1).
    struct RecordModel {
        uint256 batchId;
        uint256 amount;
        uint256 firstUnit;
        address beneficiary;
        address retiree;
        ClaimType claimType;
    }

    /// @notice The model of one listing (minimum fill 0, paid in `cash`).
    struct ListingModel {
        address seller;
        uint256 id;
        uint256 remaining;
        uint256 unitPrice;
        uint64 expiry;
    }

    /// @notice The model of one criteria bid: anything, one project, or a jurisdiction no batch has.
    struct BidModel {
        address bidder;
        uint256 remaining;
        uint256 unitPrice;
        uint64 expiry;
        uint256 projectId;
        bool foreignJurisdiction;
    }

    /// @notice One retirement to apply to the model.
    struct RetireCall {
        address source;
        address retiree;
        address beneficiary;
        uint256 id;
        uint256 amount;
        ClaimType claimType;
    }

    /// @dev Actors 0-2 operate installations 1-3 of the compliance registry.
    uint256 internal constant INSTALLATIONS = 3;
    uint256 internal constant MAX_BATCHES = 12;
    uint256 internal constant MIN_QUANTITY = 100;
    uint256 internal constant MAX_QUANTITY = 8_000;
    uint256 internal constant MAX_GAP = 5_000;
    uint256 internal constant MAX_REVERSAL = 4_000;
    uint256 internal constant MAX_LISTINGS = 40;
    uint256 internal constant MAX_BIDS = 30;
    uint256 internal constant MAX_BID_QUANTITY = 5_000;
    uint256 internal constant MAX_PRICE = 10_000;
    uint256 internal constant INITIAL_CASH = 1e18;
    uint256 internal constant BPS = 10_000;

    CarbonMarketplace public immutable market;
    ComplianceHandler public immutable complianceHandler;
    ERC20Mock public immutable cash;
    address public immutable treasury;
    uint256 public immutable feeBps;

    uint64[] public periods;

    // ---------------------------------------------------------------- the model: pauses beyond the credit model
    bool public marketPaused;

    // ---------------------------------------------------------------- the model: retirements and offsets
    RecordModel[] internal _records;
    mapping(uint256 installationId => mapping(uint64 period => uint256)) public offsetsOf;

    // ---------------------------------------------------------------- the model: marketplace
    mapping(uint256 listingId => ListingModel) internal _listings;
    uint256 public listingCount;
    mapping(uint256 bidId => BidModel) internal _bids;
    uint256 public bidCount;
    uint256 public bidEscrow;
    mapping(address account => uint256) public cashOf;
    uint256 public totalMinted;

    /// @param w The deployed suite, the compliance handler and the payment token of the marketplace.
    /// @param actors_ Four actors; the first three operate installations 1-3 (the compliance handler's actors).
    /// @param periods_ The compliance periods the compliance handler drives.
    constructor(Wiring memory w, address[] memory actors_, uint64[] memory periods_) {
        manager = w.manager;
        registry = w.registry;
        credit = w.credit;
        retirement = w.retirement;
        compliance = w.compliance;
        ledger = EmissionsLedger(address(w.compliance.ledger()));
        methodologyId = w.methodologyId;
        market = w.market;
        complianceHandler = w.complianceHandler;
        cash = w.cash;
        treasury = w.treasury;
        (uint16 fee, ) = w.market.feeInfo();
        feeBps = fee;
        actors = actors_;
        periods = periods_;
        for (uint256 i = 0; i < ACTORS; ++i) {
            address actor = actors_[i];
            w.cash.mint(actor, INITIAL_CASH);
            cashOf[actor] = INITIAL_CASH;
            totalMinted += INITIAL_CASH;
            vm.startPrank(actor);
            w.cash.approve(address(w.market), type(uint256).max);
            // Approvals are not movements: the marketplace pulls listings and fills, the compliance registry
            // retires surrendered offsets through `retireFrom`.
            w.credit.setApprovalForAll(address(w.market), true);
            w.credit.setApprovalForAll(address(w.compliance), true);
            vm.stopPrank();
        }
    }

    // ================================================================ registry and credit

    /**
     * @notice Issues a batch of `quantity` units (100 to 8,000) to actor `seed % 4`, registering its project on first
     * use (buffer 10%, 0%, 20% or 33.33% by actor). Serial mode `seed / 4 % 4`: 0-2 after every range (with a gap),
     * 3 starting inside an existing range (refused: overlap). A paused registry refuses before any report.
     */
    function issue(uint256 seed, uint256 quantity) external snapshotRetired {
        if (batchCount >= MAX_BATCHES) return;
        IssueCall memory c;
        uint256 actor = seed % ACTORS;
        c.proponent = actors[actor];
        c.start = (seed / 4) % 4 == 3 && batchCount != 0
            ? _insideRange(seed / 16, MAX_BATCHES)
            : serialTop + uint128((seed / 16) % MAX_GAP);
        uint128 q = uint128(_bound(quantity, MIN_QUANTITY, MAX_QUANTITY));
        _issue(uint256(Action.Issue), c, q, _bufferChoice(actor), 0, 0);
    }

    /// @notice An actor sends units of a batch to another actor; one call in 8 sends them straight to the marketplace,
    /// which accepts only its own escrow pulls.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 idSeed, uint256 amount) external snapshotRetired {
        if (batchCount == 0) return;
        address from = actors[fromSeed % ACTORS];
        bool stray = toSeed % 8 == 7;
        address to = stray ? address(market) : actors[toSeed % ACTORS];
        uint256 id = _pickBatch(from, idSeed);
        uint256 balance = tradableOf[from][id];
        amount = _boundAmount(amount, balance);
        bytes memory expected = _moveError(from, to, from, id, amount, balance);
        if (expected.length == 0 && stray) {
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceUnexpectedTokens.selector, from);
        }
        vm.prank(from);
        try credit.safeTransferFrom(from, to, id, amount, "") {
            if (_expectOutcome(Action.Transfer, true, "", expected)) _move(from, to, id, amount);
        } catch (bytes memory err) {
            _expectOutcome(Action.Transfer, false, err, expected);
        }
    }

    /// @notice The registrar records a reversal on a project (`amount % 16 == 15`: zero, refused).
    function reversal(uint256 projectSeed, uint256 amount) external snapshotRetired {
        if (projects.length == 0) return;
        uint128 owed = amount % 16 == 15 ? 0 : uint128(_bound(amount, 1, MAX_REVERSAL));
        _reversal(uint256(Action.Reversal), projects[projectSeed % projects.length], owed);
    }

    // ================================================================ retirement

    /**
     * @notice An actor retires units of a batch with `retire`, for an actor or (`beneficiarySeed % 5 == 4`) itself;
     * `beneficiarySeed / 5` odd asks for a certificate.
     */
    function retire(
        uint256 holderSeed,
        uint256 beneficiarySeed,
        uint256 idSeed,
        uint256 amount
    ) external snapshotRetired {
        if (batchCount == 0) return;
        address holder = actors[holderSeed % ACTORS];
        RetireCall memory r = RetireCall(holder, holder, _beneficiary(beneficiarySeed, holder), 0, 0, ClaimType(0));
        r.id = _pickBatch(holder, idSeed);
        uint256 balance = tradableOf[holder][r.id];
        r.amount = _boundAmount(amount, balance);
        IRetirementRegistry.RetirementRequest memory request = _request(beneficiarySeed, r.beneficiary);
        request.ids = _single(r.id);
        request.amounts = _single(r.amount);

        bytes memory expected;
        if (retirementPaused) expected = _err(Pausable.EnforcedPause.selector);
        else if (r.amount == 0) expected = _zeroRetirement(r.id);
        else expected = _retireError(holder, r.beneficiary, r.id, r.amount, balance);

        vm.prank(holder);
        try retirement.retire(request) returns (uint256 first) {
            if (_expectOutcome(Action.Retire, true, "", expected)) {
                if (first != _records.length + 1) _violation(Action.Retire, "unexpected retirement id", "");
                _recordRetirement(r);
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.Retire, false, err, expected);
        }
    }

    /// @notice An actor retires with a plain `safeTransferFrom` to the retirement registry carrying a request.
    function retireOnTransfer(
        uint256 holderSeed,
        uint256 beneficiarySeed,
        uint256 idSeed,
        uint256 amount
    ) external snapshotRetired {
        if (batchCount == 0) return;
        address holder = actors[holderSeed % ACTORS];
        RetireCall memory r = RetireCall(holder, holder, _beneficiary(beneficiarySeed, holder), 0, 0, ClaimType(0));
        r.id = _pickBatch(holder, idSeed);
        uint256 balance = tradableOf[holder][r.id];
        r.amount = _boundAmount(amount, balance);
        bytes memory data = abi.encode(_request(beneficiarySeed, r.beneficiary));

        // The transfer leg first (the token's checks), then the registry retires from its own custody.
        bytes memory expected = _moveError(holder, address(retirement), holder, r.id, r.amount, balance);
        if (expected.length == 0) {
            if (retirementPaused) expected = _err(Pausable.EnforcedPause.selector);
            else if (r.amount == 0) expected = _zeroRetirement(r.id);
            else if (frozen[r.beneficiary]) expected = _frozenError(r.beneficiary);
        }
        vm.prank(holder);
        try credit.safeTransferFrom(holder, address(retirement), r.id, r.amount, data) {
            if (_expectOutcome(Action.RetireOnTransfer, true, "", expected)) _recordRetirement(r);
        } catch (bytes memory err) {
            _expectOutcome(Action.RetireOnTransfer, false, err, expected);
        }
    }

    // ================================================================ marketplace

    /// @notice An actor lists units of a batch it holds (minimum fill 0); expiry mode 0 of 8 is already past.
    function list(
        uint256 sellerSeed,
        uint256 idSeed,
        uint256 amount,
        uint256 price,
        uint256 expirySeed
    ) external snapshotRetired {
        if (batchCount == 0 || listingCount >= MAX_LISTINGS) return;
        address seller = actors[sellerSeed % ACTORS];
        uint256 id = _pickBatch(seller, idSeed);
        uint256 balance = tradableOf[seller][id];
        amount = _boundAmount(amount, balance);
        price = _bound(price, 1, MAX_PRICE);
        uint64 expiry = _expiry(expirySeed);

        bytes memory expected;
        if (marketPaused) expected = _err(ICarbonMarketplace.EnforcedPause.selector);
        else if (amount == 0) expected = _err(ICarbonMarketplace.MarketplaceZeroAmount.selector);
        else if (expiry <= block.timestamp) expected = _invalidExpiry(expiry);
        else expected = _moveError(seller, address(market), address(market), id, amount, balance);

        vm.prank(seller);
        try market.list(address(credit), id, amount, price, address(cash), 0, expiry) returns (uint256 listingId) {
            if (_expectOutcome(Action.List, true, "", expected)) {
                if (listingId != listingCount + 1) _violation(Action.List, "unexpected listing id", "");
                _listings[++listingCount] = ListingModel(seller, id, amount, price, expiry);
                _move(seller, address(market), id, amount);
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.List, false, err, expected);
        }
    }

    /// @notice An actor buys from a listing for itself at the listed price; `amount % 8 == 7` asks for more than
    /// remains.
    function buy(uint256 buyerSeed, uint256 listingSeed, uint256 amount) external snapshotRetired {
        if (listingCount == 0) return;
        address buyer = actors[buyerSeed % ACTORS];
        uint256 listingId = 1 + (listingSeed % listingCount);
        ListingModel storage listing = _listings[listingId];
        amount = _fillAmount(amount, listing.remaining);
        bytes memory expected = _predictBuy(listingId, amount, buyer, buyer);

        vm.prank(buyer);
        try market.buy(listingId, amount, listing.unitPrice, buyer) {
            if (_expectOutcome(Action.Buy, true, "", expected)) {
                _pay(listingId, amount, buyer);
                _move(address(market), buyer, listing.id, amount);
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.Buy, false, err, expected);
        }
    }

    /// @notice An actor buys from a listing and retires the units in the same call for an actor or itself; the
    /// marketplace is the recorded retiree.
    function buyAndRetire(
        uint256 buyerSeed,
        uint256 listingSeed,
        uint256 amount,
        uint256 beneficiarySeed
    ) external snapshotRetired {
        if (listingCount == 0) return;
        address buyer = actors[buyerSeed % ACTORS];
        uint256 listingId = 1 + (listingSeed % listingCount);
        ListingModel storage listing = _listings[listingId];
        RetireCall memory r = RetireCall(
            address(market),
            address(market),
            _beneficiary(beneficiarySeed, buyer),
            0,
            0,
            ClaimType(0)
        );
        (r.id, r.amount) = (listing.id, _fillAmount(amount, listing.remaining));
        IRetirementRegistry.RetirementRequest memory request = _request(beneficiarySeed, r.beneficiary);

        bytes memory expected = _predictBuy(listingId, r.amount, buyer, address(retirement));
        if (expected.length == 0) {
            if (retirementPaused) expected = _err(Pausable.EnforcedPause.selector);
            else if (frozen[r.beneficiary]) expected = _frozenError(r.beneficiary);
        }
        vm.prank(buyer);
        try market.buyAndRetire(listingId, r.amount, listing.unitPrice, request) {
            if (_expectOutcome(Action.BuyAndRetire, true, "", expected)) {
                _pay(listingId, r.amount, buyer);
                _recordRetirement(r);
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.BuyAndRetire, false, err, expected);
        }
    }

    /// @notice An actor cancels a listing: the seller at any time, anyone once it expired. The units go back to the
    /// seller, so a frozen seller, a suspended batch or a paused token keeps them in escrow.
    function cancelListing(uint256 callerSeed, uint256 listingSeed) external snapshotRetired {
        if (listingCount == 0) return;
        address caller = actors[callerSeed % ACTORS];
        uint256 listingId = 1 + (listingSeed % listingCount);
        ListingModel storage listing = _listings[listingId];

        bytes memory expected;
        if (marketPaused) expected = _err(ICarbonMarketplace.EnforcedPause.selector);
        else if (listing.remaining == 0) expected = _listingClosed(listingId);
        else if (caller != listing.seller && block.timestamp < listing.expiry) {
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceNotSeller.selector, listingId, caller);
        } else {
            expected = _moveError(
                address(market),
                listing.seller,
                address(market),
                listing.id,
                listing.remaining,
                tradableOf[address(market)][listing.id]
            );
        }
        vm.prank(caller);
        try market.cancelListing(listingId) {
            if (_expectOutcome(Action.CancelListing, true, "", expected)) {
                _move(address(market), listing.seller, listing.id, listing.remaining);
                listing.remaining = 0;
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.CancelListing, false, err, expected);
        }
    }

    /**
     * @notice An actor escrows payment for up to `quantity` units (0 to 5,000). Criteria mode `criteriaSeed % 3`: 0
     * anything; 1 the project of batch `1 + criteriaSeed / 3 % count`; 2 a jurisdiction no batch has.
     */
    function placeBid(
        uint256 bidderSeed,
        uint256 quantity,
        uint256 price,
        uint256 expirySeed,
        uint256 criteriaSeed
    ) external snapshotRetired {
        if (batchCount == 0 || bidCount >= MAX_BIDS) return;
        BidModel memory b;
        b.bidder = actors[bidderSeed % ACTORS];
        b.remaining = _bound(quantity, 0, MAX_BID_QUANTITY);
        b.unitPrice = _bound(price, 1, MAX_PRICE);
        b.expiry = _expiry(expirySeed);
        BatchCriteria memory criteria;
        if (criteriaSeed % 3 == 1) {
            b.projectId = _batches[1 + ((criteriaSeed / 3) % batchCount)].projectId;
            criteria.projectId = uint64(b.projectId);
        } else if (criteriaSeed % 3 == 2) {
            b.foreignJurisdiction = true;
            criteria.jurisdictions = new bytes8[](1);
            criteria.jurisdictions[0] = "BR";
        }

        bytes memory expected;
        if (marketPaused) expected = _err(ICarbonMarketplace.EnforcedPause.selector);
        else if (b.remaining == 0) expected = _err(ICarbonMarketplace.MarketplaceZeroAmount.selector);
        else if (b.expiry <= block.timestamp) expected = _invalidExpiry(b.expiry);
        else if (frozen[b.bidder]) expected = _marketFrozen(b.bidder);

        vm.prank(b.bidder);
        try market.placeBid(criteria, b.remaining, b.unitPrice, address(cash), b.expiry) returns (uint256 bidId) {
            if (_expectOutcome(Action.PlaceBid, true, "", expected)) {
                if (bidId != bidCount + 1) _violation(Action.PlaceBid, "unexpected bid id", "");
                _bids[++bidCount] = b;
                cashOf[b.bidder] -= b.remaining * b.unitPrice;
                bidEscrow += b.remaining * b.unitPrice;
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.PlaceBid, false, err, expected);
        }
    }

    /// @notice An actor fills a bid with units of a batch it holds; `amount % 8 == 7` offers more than the bid's
    /// remainder, `6` nothing.
    function fillBid(uint256 fillerSeed, uint256 bidSeed, uint256 idSeed, uint256 amount) external snapshotRetired {
        if (bidCount == 0) return;
        address filler = actors[fillerSeed % ACTORS];
        uint256 bidId = 1 + (bidSeed % bidCount);
        BidModel storage b = _bids[bidId];
        uint256 id = _pickBatch(filler, idSeed);
        uint256 held = tradableOf[filler][id];
        if (amount % 8 == 7) amount = b.remaining + 1;
        else if (amount % 8 == 6) amount = 0;
        else amount = _bound(amount / 8, 1, _max1(b.remaining < held ? b.remaining : held));

        bytes memory expected = _predictFillBid(bidId, id, filler, amount, held);
        vm.prank(filler);
        try market.fillBid(bidId, id, amount) {
            if (_expectOutcome(Action.FillBid, true, "", expected)) {
                uint256 paid = amount * b.unitPrice;
                uint256 fee = (paid * feeBps + BPS - 1) / BPS;
                b.remaining -= amount;
                bidEscrow -= paid;
                cashOf[filler] += paid - fee;
                cashOf[treasury] += fee;
                _move(filler, b.bidder, id, amount);
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.FillBid, false, err, expected);
        }
    }

    /// @notice An actor cancels a bid: the bidder at any time, anyone once it expired; the escrow goes back.
    function cancelBid(uint256 callerSeed, uint256 bidSeed) external snapshotRetired {
        if (bidCount == 0) return;
        address caller = actors[callerSeed % ACTORS];
        uint256 bidId = 1 + (bidSeed % bidCount);
        BidModel storage b = _bids[bidId];

        bytes memory expected;
        if (marketPaused) expected = _err(ICarbonMarketplace.EnforcedPause.selector);
        else if (b.remaining == 0)
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBidClosed.selector, bidId);
        else if (caller != b.bidder && block.timestamp < b.expiry) {
            expected = abi.encodeWithSelector(ICarbonMarketplace.MarketplaceNotBidder.selector, bidId, caller);
        }
        vm.prank(caller);
        try market.cancelBid(bidId) {
            if (_expectOutcome(Action.CancelBid, true, "", expected)) {
                uint256 refund = b.remaining * b.unitPrice;
                cashOf[b.bidder] += refund;
                bidEscrow -= refund;
                b.remaining = 0;
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.CancelBid, false, err, expected);
        }
    }

    // ================================================================ compliance: offsets

    /**
     * @notice The operator of installation `1 + instSeed % 3` surrenders units of a batch it holds (bought, filled,
     * received or issued) as offsets for a period: retired for itself as a compliance claim, within the offset limit
     * of the emissions the compliance handler attested.
     */
    function surrenderOffsets(
        uint256 instSeed,
        uint256 periodSeed,
        uint256 idSeed,
        uint256 amount
    ) external snapshotRetired {
        if (batchCount == 0) return;
        uint256 inst = 1 + (instSeed % INSTALLATIONS);
        address operator = actors[inst - 1];
        uint64 period = periods[periodSeed % periods.length];
        RetireCall memory r = RetireCall(operator, operator, operator, 0, 0, ClaimType.Compliance);
        r.id = _pickBatch(operator, idSeed);
        uint256 balance = tradableOf[operator][r.id];
        r.amount = _boundAmount(amount, balance);
        bytes memory expected = _predictOffsets(inst, period, r, balance);

        vm.prank(operator);
        try compliance.surrenderOffsets(inst, period, _single(r.id), _single(r.amount)) {
            if (_expectOutcome(Action.SurrenderOffsets, true, "", expected)) {
                offsetsOf[inst][period] += r.amount;
                _recordRetirement(r);
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.SurrenderOffsets, false, err, expected);
        }
    }

    // ================================================================ restrictions

    /// @notice The regulator freezes actor `seed % 5` (4: the marketplace itself); an unfrozen one only when
    /// `seed / 5 % 4 == 3`, so freezes stay rare (fuzzers favour 0).
    function freeze(uint256 seed) external snapshotRetired {
        address account = _freezable(seed);
        if (!frozen[account] && (seed / (ACTORS + 1)) % 4 != 3) return;
        _setFrozen(uint256(Action.Freeze), account, true);
    }

    /// @notice The regulator unfreezes actor `seed % 5` (4: the marketplace), or, when `seed / 5` is even and some
    /// account is frozen, the `seed / 10 % frozen`-th frozen one.
    function unfreeze(uint256 seed) external snapshotRetired {
        address account = _freezable(seed);
        if ((seed / (ACTORS + 1)) % 2 == 0) account = _pickFrozen(seed / (2 * (ACTORS + 1)), account);
        _setFrozen(uint256(Action.Unfreeze), account, false);
    }

    /// @notice The registrar suspends batch `1 + idSeed / 2 % count`; an active one only when `idSeed` is odd.
    function suspend(uint256 idSeed) external snapshotRetired {
        if (batchCount == 0) return;
        uint256 id = 1 + ((idSeed / 2) % batchCount);
        if (!_batches[id].suspended && idSeed % 2 == 0) return;
        _setSuspended(uint256(Action.Suspend), id, true);
    }

    /// @notice The registrar reinstates batch `1 + idSeed / 2 % count`, or, when `idSeed` is even and some batch is
    /// suspended, the `idSeed / 2 % suspended`-th suspended one.
    function reinstate(uint256 idSeed) external snapshotRetired {
        if (batchCount == 0) return;
        uint256 id = 1 + ((idSeed / 2) % batchCount);
        if (idSeed % 2 == 0) id = _pickSuspended(idSeed / 2, id);
        _setSuspended(uint256(Action.Reinstate), id, false);
    }

    /// @notice The guardian pauses the credit token; a running one only when `seed % 8 == 7`.
    function pauseCredit(uint256 seed) external snapshotRetired {
        if (!creditPaused && seed % 8 != 7) return;
        _setCreditPaused(uint256(Action.PauseCredit), true);
    }

    /// @notice The guardian unpauses the credit token.
    function unpauseCredit() external snapshotRetired {
        _setCreditPaused(uint256(Action.UnpauseCredit), false);
    }

    /// @notice The guardian pauses the registry; a running one only when `seed % 8 == 7`.
    function pauseRegistry(uint256 seed) external snapshotRetired {
        if (!registryPaused && seed % 8 != 7) return;
        _setRegistryPaused(uint256(Action.PauseRegistry), true);
    }

    /// @notice The guardian unpauses the registry.
    function unpauseRegistry() external snapshotRetired {
        _setRegistryPaused(uint256(Action.UnpauseRegistry), false);
    }

    /// @notice The guardian pauses retirements; a running registry only when `seed % 8 == 7`.
    function pauseRetirement(uint256 seed) external snapshotRetired {
        if (!retirementPaused && seed % 8 != 7) return;
        _setRetirementPaused(uint256(Action.PauseRetirement), true);
    }

    /// @notice The guardian resumes retirements.
    function unpauseRetirement() external snapshotRetired {
        _setRetirementPaused(uint256(Action.UnpauseRetirement), false);
    }

    /// @notice The guardian pauses the marketplace; a running one only when `seed % 8 == 7`.
    function pauseMarket(uint256 seed) external snapshotRetired {
        if (!marketPaused && seed % 8 != 7) return;
        _setMarketPaused(uint256(Action.PauseMarket), true);
    }

    /// @notice The guardian unpauses the marketplace.
    function unpauseMarket() external snapshotRetired {
        _setMarketPaused(uint256(Action.UnpauseMarket), false);
    }

    /// @notice Time passes (1 hour to 2 days): listings and bids expire, compliance windows open and close.
    function warp(uint256 seconds_) external snapshotRetired {
        vm.warp(block.timestamp + _bound(seconds_, 1 hours, 2 days));
        ++_succeeded[uint256(Action.Warp)];
    }

    function _setMarketPaused(uint256 action, bool pause) internal {
        bytes4 refusal = pause ? ICarbonMarketplace.EnforcedPause.selector : ICarbonMarketplace.ExpectedPause.selector;
        if (_setPaused(action, address(market), pause, marketPaused, _err(refusal))) marketPaused = pause;
    }

    // ================================================================ model views

    /// @notice Every account that may hold credits: the actors, the buffer pool, the marketplace's escrow, and the
    /// retirement and compliance registries (which must hold none between calls).
    function holders() external view returns (address[] memory all) {
        all = new address[](ACTORS + 4);
        for (uint256 i = 0; i < ACTORS; ++i) all[i] = actors[i];
        all[ACTORS] = address(registry);
        all[ACTORS + 1] = address(market);
        all[ACTORS + 2] = address(retirement);
        all[ACTORS + 3] = address(compliance);
    }

    /// @notice The number of compliance periods.
    function periodCount() external view returns (uint256) {
        return periods.length;
    }

    /// @notice The number of retirements in the model.
    function recordCount() external view returns (uint256) {
        return _records.length;
    }

    /// @notice The model of retirement `retirementId` (from 1).
    function recordModel(uint256 retirementId) external view returns (RecordModel memory) {
        return _records[retirementId - 1];
    }

    /// @notice The model of listing `listingId`.
    function listingModel(uint256 listingId) external view returns (ListingModel memory) {
        return _listings[listingId];
    }

    /// @notice The model of bid `bidId`.
    function bidModel(uint256 bidId) external view returns (BidModel memory) {
        return _bids[bidId];
    }

    /// @notice Successful calls of `action` recorded so far.
    function succeeded(Action action) external view returns (uint256) {
        return _succeeded[uint256(action)];
    }

    /// @notice Calls of `action` refused as the model predicted.
    function rejected(Action action) external view returns (uint256) {
        return _rejected[uint256(action)];
    }

    // ================================================================ predictions

    /// @dev The token's `retire` from `holder` by the retirement registry: the beneficiary first, then the burn.
    function _retireError(
        address holder,
        address beneficiary,
        uint256 id,
        uint256 amount,
        uint256 balance
    ) private view returns (bytes memory) {
        if (frozen[beneficiary]) return _frozenError(beneficiary);
        return _moveError(holder, address(0), address(retirement), id, amount, balance);
    }

    /// @dev A purchase from a listing by `buyer` delivered to `recipient`: the marketplace's checks, then the escrow
    /// leaving it.
    function _predictBuy(
        uint256 listingId,
        uint256 amount,
        address buyer,
        address recipient
    ) private view returns (bytes memory) {
        ListingModel storage listing = _listings[listingId];
        if (marketPaused) return _err(ICarbonMarketplace.EnforcedPause.selector);
        if (listing.remaining == 0) return _listingClosed(listingId);
        if (block.timestamp >= listing.expiry) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplaceListingExpired.selector,
                    listingId,
                    listing.expiry
                );
        }
        if (amount > listing.remaining) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplaceAmountExceedsRemaining.selector,
                    listingId,
                    amount,
                    listing.remaining
                );
        }
        if (frozen[listing.seller]) return _marketFrozen(listing.seller);
        if (recipient != buyer && frozen[buyer]) return _marketFrozen(buyer);
        address escrow = address(market);
        return _moveError(escrow, recipient, escrow, listing.id, amount, tradableOf[escrow][listing.id]);
    }

    function _predictFillBid(
        uint256 bidId,
        uint256 id,
        address filler,
        uint256 amount,
        uint256 held
    ) private view returns (bytes memory) {
        BidModel storage b = _bids[bidId];
        if (marketPaused) return _err(ICarbonMarketplace.EnforcedPause.selector);
        if (b.remaining == 0) return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBidClosed.selector, bidId);
        if (block.timestamp >= b.expiry) {
            return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBidExpired.selector, bidId, b.expiry);
        }
        if (amount == 0) return _err(ICarbonMarketplace.MarketplaceZeroAmount.selector);
        if (amount > b.remaining) {
            return
                abi.encodeWithSelector(
                    ICarbonMarketplace.MarketplaceBidAmountExceedsRemaining.selector,
                    bidId,
                    amount,
                    b.remaining
                );
        }
        CriteriaMismatch mismatch = CriteriaMismatch.None;
        if (b.projectId != 0 && b.projectId != _batches[id].projectId) mismatch = CriteriaMismatch.Project;
        else if (b.foreignJurisdiction) mismatch = CriteriaMismatch.Jurisdiction;
        if (mismatch != CriteriaMismatch.None) {
            return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceBatchMismatch.selector, bidId, id, mismatch);
        }
        return _moveError(filler, b.bidder, address(market), id, amount, held);
    }

    /**
     * @dev A surrender of offsets, in the compliance registry's order: the surrender window, the amount, the offset
     * limit (verified emissions from the compliance handler's model), then `retireFrom` and the token's `retire`
     * with the operator as holder and beneficiary.
     */
    function _predictOffsets(
        uint256 inst,
        uint64 period,
        RetireCall memory r,
        uint256 balance
    ) private view returns (bytes memory) {
        IComplianceRegistry.PeriodConfig memory config = compliance.getPeriod(period).config;
        uint64 opensAt = ledger.reportingDeadline(period);
        if (block.timestamp < opensAt) {
            return abi.encodeWithSelector(IComplianceRegistry.ComplianceSurrenderNotOpen.selector, period, opensAt);
        }
        if (block.timestamp >= config.surrenderDeadline) {
            return
                abi.encodeWithSelector(
                    IComplianceRegistry.ComplianceSurrenderClosed.selector,
                    period,
                    config.surrenderDeadline
                );
        }
        if (r.amount == 0) return _err(IComplianceRegistry.ComplianceZeroAmount.selector);
        if (!complianceHandler.attested(inst, period)) {
            return abi.encodeWithSelector(IComplianceRegistry.ComplianceNoVerifiedEmissions.selector, inst, period);
        }
        uint256 limit = (complianceHandler.emissionsOf(inst, period) * config.offsetLimitBps) / BPS;
        uint256 total = offsetsOf[inst][period] + r.amount;
        if (total > limit) {
            return
                abi.encodeWithSelector(
                    IComplianceRegistry.ComplianceOffsetLimitExceeded.selector,
                    inst,
                    period,
                    limit,
                    total
                );
        }
        if (retirementPaused) return _err(Pausable.EnforcedPause.selector);
        return _retireError(r.source, r.beneficiary, r.id, r.amount, balance);
    }

    // ================================================================ model updates

    function _move(address from, address to, uint256 id, uint256 amount) private {
        tradableOf[from][id] -= amount;
        tradableOf[to][id] += amount;
    }

    /// @dev Pays for `amount` units of a listing as {CarbonMarketplace-_settle} does: the seller its proceeds (a seller
    /// buying back its own units pays only the fee), the treasury the fee rounded up.
    function _pay(uint256 listingId, uint256 amount, address buyer) private {
        ListingModel storage listing = _listings[listingId];
        uint256 paid = amount * listing.unitPrice;
        uint256 fee = (paid * feeBps + BPS - 1) / BPS;
        listing.remaining -= amount;
        if (buyer != listing.seller) {
            cashOf[buyer] -= paid;
            cashOf[listing.seller] += paid - fee;
        } else {
            cashOf[buyer] -= fee;
        }
        cashOf[treasury] += fee;
    }

    /// @dev Burns `amount` from `source`, credits the beneficiary's retired balance and records the unit range that
    /// follows the batch's retired count.
    function _recordRetirement(RetireCall memory r) private {
        BatchModel storage b = _batches[r.id];
        _records.push(RecordModel(r.id, r.amount, b.retired, r.beneficiary, r.retiree, r.claimType));
        b.retired += uint128(r.amount);
        tradableOf[r.source][r.id] -= r.amount;
        retiredOf[r.beneficiary][r.id] += r.amount;
    }

    // ================================================================ model queries

    /// @dev The `k % frozen`-th frozen account (actors, then the marketplace), or `fallback_` when none is.
    function _pickFrozen(uint256 k, address fallback_) private view returns (address) {
        uint256 count;
        for (uint256 i = 0; i <= ACTORS; ++i) if (frozen[_freezable(i)]) ++count;
        if (count == 0) return fallback_;
        k %= count;
        for (uint256 i = 0; i <= ACTORS; ++i) {
            if (!frozen[_freezable(i)]) continue;
            if (k == 0) return _freezable(i);
            --k;
        }
        return fallback_;
    }

    /// @dev The `k % suspended`-th suspended batch, or `fallback_` when none is.
    function _pickSuspended(uint256 k, uint256 fallback_) private view returns (uint256) {
        uint256 count;
        for (uint256 id = 1; id <= batchCount; ++id) if (_batches[id].suspended) ++count;
        if (count == 0) return fallback_;
        k %= count;
        for (uint256 id = 1; id <= batchCount; ++id) {
            if (!_batches[id].suspended) continue;
            if (k == 0) return id;
            --k;
        }
        return fallback_;
    }

    function _freezable(uint256 seed) private view returns (address) {
        uint256 i = seed % (ACTORS + 1);
        return i == ACTORS ? address(market) : actors[i];
    }

    /// @dev Actor `seed % 5` (4: `self`).
    function _beneficiary(uint256 seed, address self) private view returns (address) {
        return seed % 5 == 4 ? self : actors[seed % 5];
    }

    /// @dev A voluntary-offset request for `beneficiary` (left empty, meaning the retiree, when `seed % 5 == 4`); a
    /// certificate when `seed / 5` is odd. Ids and amounts empty: retire-on-transfer takes what was sent.
    function _request(
        uint256 seed,
        address beneficiary
    ) private pure returns (IRetirementRegistry.RetirementRequest memory r) {
        r.beneficiary = seed % 5 == 4 ? address(0) : beneficiary;
        r.beneficiaryName = "Suite member";
        r.claimType = ClaimType.VoluntaryOffset;
        r.consumptionJurisdiction = "KE";
        r.reason = "suite invariant";
        r.skipCertificate = (seed / 5) % 2 == 0;
    }

    // ================================================================ outcome checks

    function _expectOutcome(Action action, bool ok, bytes memory ret, bytes memory expected) private returns (bool) {
        return _recordOutcome(uint256(action), ok, ret, expected);
    }

    function _violation(Action action, string memory what, bytes memory data) private {
        _recordViolation(uint256(action), what, data);
    }

    // ================================================================ helpers

    /// @dev `raw % 8 == 7`: one more than remains; else `raw / 8` bounded to [1, remaining].
    function _fillAmount(uint256 raw, uint256 remaining) private pure returns (uint256) {
        if (raw % 8 == 7) return remaining + 1;
        return _bound(raw / 8, 1, _max1(remaining));
    }

    function _max1(uint256 x) private pure returns (uint256) {
        return x == 0 ? 1 : x;
    }

    function _expiry(uint256 seed) private view returns (uint64) {
        if (seed % 8 == 0) return uint64(block.timestamp);
        return uint64(block.timestamp + _bound(seed, 1 hours, 10 days));
    }

    function _bufferChoice(uint256 actor) private pure returns (uint16) {
        if (actor == 0) return 1_000;
        if (actor == 1) return 0;
        if (actor == 2) return 2_000;
        return 3_333;
    }

    function _single(uint256 x) private pure returns (uint256[] memory a) {
        a = new uint256[](1);
        a[0] = x;
    }

    function _zeroRetirement(uint256 id) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IRetirementRegistry.RetirementZeroAmount.selector, id);
    }

    function _marketFrozen(address account) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceAccountFrozen.selector, account);
    }

    function _listingClosed(uint256 listingId) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceListingClosed.selector, listingId);
    }

    function _invalidExpiry(uint64 expiry) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonMarketplace.MarketplaceInvalidExpiry.selector, expiry);
    }
}
