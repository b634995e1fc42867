// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {BatchCriteria, CriteriaMismatch} from "../interfaces/ICarbonTypes.sol";
import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {ICarbonMarketplace} from "../interfaces/ICarbonMarketplace.sol";
import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";
import {BatchMatching} from "../libraries/BatchMatching.sol";
import {EscrowShares} from "../libraries/EscrowShares.sol";
import {MeasuredTransfer} from "../libraries/MeasuredTransfer.sol";

/**
 * @title CarbonMarketplace
 * @notice Escrowed listings of CNT carbon assets with partial fills, a buyer's price bound, all-or-nothing
 * multi-listing purchases, buy-and-retire, and criteria bids matched against the registry on chain. Every external
 * state-changing function is non-reentrant and writes its state before any token moves. Payments are measured on
 * arrival, so a token that delivers less than asked (fee-on-transfer) is refused; SafeERC20 handles tokens that return
 * no value. A token whose balances change later on their own (rebasing) cannot be detected on arrival: criteria-bid
 * escrow is therefore held as shares of the marketplace's balance of each payment token ({EscrowShares}), so such
 * changes fall on every bid pro rata and every bid can always be cancelled for what its shares are worth.
 *
 * @custom:security-contact security@cnt.example
 */
contract CarbonMarketplace is AccessManaged, ReentrancyGuardTransient, ICarbonMarketplace {
    using SafeERC20 for IERC20;
    using BatchMatching for *;

    uint16 private constant _MAX_FEE_BPS = 1_000;
    uint16 private constant _BPS = 10_000;

    /// @dev What every purchase reads, in one slot.
    struct Config {
        address treasury;
        uint16 feeBps;
        bool paused;
        uint48 listingCount;
    }

    /// @dev A validated purchase, ready to settle.
    struct Fill {
        address seller;
        address token;
        address paymentToken;
        uint256 id;
        uint256 amount;
        uint256 paid;
        uint256 fee;
    }

    IRetirementRegistry private immutable _retirement;
    ICarbonCredit private immutable _credit;
    ICarbonRegistry private immutable _registry;

    Config private _config;
    mapping(uint256 listingId => Listing) private _listings;
    mapping(address seller => uint48 lastListingId) private _lastOfSeller;
    mapping(bytes32 asset => uint48 lastListingId) private _lastOfAsset;
    mapping(address token => bool) private _assets;
    mapping(address token => bool) private _paymentTokens;
    uint256 private _bidCount;
    mapping(uint256 bidId => Bid) private _bids;
    mapping(address paymentToken => uint256 shares) private _escrowShares;

    /**
     * @param authority The AccessManager that governs this marketplace.
     * @param retirement_ The retirement registry used by {buyAndRetire}; its credit token is what bids buy, matched
     * against that token's registry.
     * @param treasury The account that receives protocol fees.
     */
    constructor(address authority, IRetirementRegistry retirement_, address treasury) AccessManaged(authority) {
        if (treasury == address(0)) revert MarketplaceInvalidTreasury(treasury);
        _retirement = retirement_;
        _credit = retirement_.credit();
        _registry = ICarbonRegistry(_credit.registry());
        _config.treasury = treasury;
        emit TreasurySet(treasury);
    }

    // ------------------------------------------------------------------------------------------ listings

    /// @inheritdoc ICarbonMarketplace
    function list(
        address token,
        uint256 id,
        uint256 amount,
        uint256 unitPrice,
        address paymentToken,
        uint256 minFill,
        uint64 expiry
    ) external nonReentrant returns (uint256 listingId) {
        _whenNotPaused();
        if (!_assets[token]) revert MarketplaceAssetNotAllowed(token);
        if (!_paymentTokens[paymentToken]) revert MarketplacePaymentTokenNotAllowed(paymentToken);
        _checkTerms(amount, unitPrice, expiry);
        _fits(id, type(uint128).max);
        if (minFill > amount) revert MarketplaceInvalidMinFill(minFill, amount);
        _fits(minFill, type(uint48).max);

        // SMT: each listing costs over 150k gas, so 2^48 of them would need more than 4 * 10^19 gas; were the count
        // ever reached, checked arithmetic would revert rather than wrap.
        listingId = ++_config.listingCount;
        bytes32 asset = _assetKey(token, id);
        _listings[listingId] = Listing({
            seller: msg.sender,
            expiry: uint40(expiry),
            prevOfSeller: _lastOfSeller[msg.sender],
            token: token,
            remaining: uint96(amount),
            paymentToken: paymentToken,
            minFill: uint48(minFill),
            prevOfAsset: _lastOfAsset[asset],
            id: uint128(id),
            unitPrice: uint128(unitPrice)
        });
        _lastOfSeller[msg.sender] = uint48(listingId);
        _lastOfAsset[asset] = uint48(listingId);
        emit Listed(listingId, token, id, msg.sender, amount, unitPrice, paymentToken, minFill, expiry);
        IERC1155(token).safeTransferFrom(msg.sender, address(this), id, amount, "");
    }

    /// @inheritdoc ICarbonMarketplace
    function updateListing(uint256 listingId, uint256 unitPrice, uint64 expiry, uint256 amount) external nonReentrant {
        _whenNotPaused();
        Listing storage listing = _open(listingId);
        if (listing.seller != msg.sender) revert MarketplaceNotSeller(listingId, msg.sender);
        _checkTerms(amount, unitPrice, expiry);
        uint256 before = listing.remaining;
        listing.unitPrice = uint128(unitPrice);
        listing.expiry = uint40(expiry);
        listing.remaining = uint96(amount);
        emit ListingUpdated(listingId, unitPrice, expiry, amount);
        if (amount > before) {
            // SMT: in the branch `amount > before`.
            IERC1155(listing.token).safeTransferFrom(msg.sender, address(this), listing.id, amount - before, "");
        } else if (amount < before) {
            // SMT: in the branch `amount < before`.
            IERC1155(listing.token).safeTransferFrom(address(this), msg.sender, listing.id, before - amount, "");
        }
    }

    /// @inheritdoc ICarbonMarketplace
    function cancelListing(uint256 listingId) external nonReentrant {
        _whenNotPaused();
        Listing storage listing = _open(listingId);
        if (listing.seller != msg.sender && block.timestamp < listing.expiry)
            revert MarketplaceNotSeller(listingId, msg.sender);
        uint256 returned = listing.remaining;
        listing.remaining = 0;
        emit ListingCancelled(listingId, msg.sender, returned);
        IERC1155(listing.token).safeTransferFrom(address(this), listing.seller, listing.id, returned, "");
    }

    // ------------------------------------------------------------------------------------------ purchases

    /// @inheritdoc ICarbonMarketplace
    function buy(uint256 listingId, uint256 amount, uint256 maxUnitPrice, address recipient) external nonReentrant {
        _buy(listingId, amount, maxUnitPrice, recipient);
    }

    /// @inheritdoc ICarbonMarketplace
    function buyWithPermit(
        uint256 listingId,
        uint256 amount,
        uint256 maxUnitPrice,
        address recipient,
        Permit calldata permit
    ) external nonReentrant {
        // Paused first: the permit is not even tried while the marketplace is paused.
        _whenNotPaused();
        address paymentToken = _listing(listingId).paymentToken;
        // A permit that fails (already used, e.g. front-run) is ignored: the allowance decides.
        try
            IERC20Permit(paymentToken).permit(
                msg.sender,
                address(this),
                permit.value,
                permit.deadline,
                permit.v,
                permit.r,
                permit.s
            )
        {} catch {}
        _buy(listingId, amount, maxUnitPrice, recipient);
    }

    /// @inheritdoc ICarbonMarketplace
    function buyMany(BuyOrder[] calldata orders, address recipient) external nonReentrant {
        Config memory config = _whenNotPaused();
        if (orders.length == 0) revert MarketplaceEmptyOrder();
        // SMT: `i < orders.length`: `++i` cannot overflow.
        for (uint256 i = 0; i < orders.length; ++i) {
            // SMT: `i < orders.length`: in bounds.
            BuyOrder calldata order = orders[i];
            Fill memory fill = _fill(config, order.listingId, order.amount, order.maxUnitPrice, recipient);
            _settle(config, fill);
            IERC1155(fill.token).safeTransferFrom(address(this), recipient, fill.id, fill.amount, "");
        }
    }

    /// @inheritdoc ICarbonMarketplace
    function buyAndRetire(
        uint256 listingId,
        uint256 amount,
        uint256 maxUnitPrice,
        IRetirementRegistry.RetirementRequest calldata request
    ) external nonReentrant {
        Config memory config = _whenNotPaused();
        address retirementAddress = address(_retirement);
        address token = _listing(listingId).token;
        if (token != address(_credit)) revert MarketplaceNotRetirable(token);
        Fill memory fill = _fill(config, listingId, amount, maxUnitPrice, retirementAddress);
        _settle(config, fill);
        IRetirementRegistry.RetirementRequest memory retirement_ = request;
        if (retirement_.beneficiary == address(0)) retirement_.beneficiary = msg.sender;
        IERC1155(fill.token).safeTransferFrom(
            address(this),
            retirementAddress,
            fill.id,
            amount,
            abi.encode(retirement_)
        );
    }

    // ------------------------------------------------------------------------------------------ criteria bids

    /// @inheritdoc ICarbonMarketplace
    function placeBid(
        BatchCriteria calldata criteria,
        uint256 quantity,
        uint256 unitPrice,
        address paymentToken,
        uint64 expiry
    ) external nonReentrant returns (uint256 bidId) {
        _whenNotPaused();
        if (!_assets[address(_credit)]) revert MarketplaceAssetNotAllowed(address(_credit));
        if (!_paymentTokens[paymentToken]) revert MarketplacePaymentTokenNotAllowed(paymentToken);
        _checkTerms(quantity, unitPrice, expiry);
        criteria.validate();
        // The bidder could never receive the credits it asks for.
        if (_credit.isFrozen(msg.sender)) revert MarketplaceAccountFrozen(msg.sender);
        // SMT: a uint256 counter incremented once per bid cannot reach 2^256.
        bidId = ++_bidCount;
        Bid storage bid = _bids[bidId];
        bid.bidder = msg.sender;
        bid.expiry = uint40(expiry);
        bid.paymentToken = paymentToken;
        bid.remaining = uint96(quantity);
        bid.unitPrice = uint128(unitPrice);
        // SMT: quantity < 2^96 and unitPrice < 2^128 (`_checkTerms`), so the product is below 2^224.
        bid.shares = _mintShares(paymentToken, quantity * unitPrice);
        bid.criteria = criteria;
        emit BidPlaced(bidId, msg.sender, paymentToken, quantity, unitPrice, expiry, criteria);

        // SMT: quantity < 2^96 and unitPrice < 2^128 (`_checkTerms`), so the product is below 2^224.
        uint256 escrow = quantity * unitPrice;
        uint256 received = MeasuredTransfer.transferFromMeasured(
            IERC20(paymentToken),
            msg.sender,
            address(this),
            escrow
        );
        if (received != escrow) revert MarketplaceShortPayment(paymentToken, escrow, received);
    }

    /// @inheritdoc ICarbonMarketplace
    function fillBid(uint256 bidId, uint256 batchId, uint256 amount) external nonReentrant {
        Config memory config = _whenNotPaused();
        (Bid storage bid, bool closes) = _takeBid(bidId, batchId, amount);
        // SMT: amount <= remaining < 2^96 and unitPrice < 2^128, so `paid` is below 2^224.
        uint256 paid = amount * bid.unitPrice;
        // Rounded up, as for listings (see {_feeOf}).
        uint256 fee = _feeOf(paid, config.feeBps);
        emit BidFilled(bidId, address(_credit), batchId, msg.sender, amount, bid.unitPrice, paid, fee);
        IERC20 token = IERC20(bid.paymentToken);
        uint256 surplus = _payFromEscrow(bid, bidId, token, paid, closes);
        if (surplus != 0) emit BidSurplusRefunded(bidId, bid.bidder, surplus);

        // The credit token refuses a frozen seller or bidder, a suspended batch and a paused token.
        IERC1155(address(_credit)).safeTransferFrom(msg.sender, bid.bidder, batchId, amount, "");
        // SMT: `fee` <= paid ({_feeOf}).
        token.safeTransfer(msg.sender, paid - fee);
        if (fee != 0) token.safeTransfer(config.treasury, fee);
        if (surplus != 0) token.safeTransfer(bid.bidder, surplus);
    }

    /// @inheritdoc ICarbonMarketplace
    function cancelBid(uint256 bidId) external nonReentrant {
        _whenNotPaused();
        Bid storage bid = _openBid(bidId);
        address bidder = bid.bidder;
        if (bidder != msg.sender && block.timestamp < bid.expiry) revert MarketplaceNotBidder(bidId, msg.sender);
        uint256 units = bid.remaining;
        IERC20 token = IERC20(bid.paymentToken);
        bid.remaining = 0;
        // What the bid's shares are worth now: `units × unitPrice` exactly unless the token's balances changed on
        // their own, in which case the bid bears its pro rata part of the change.
        uint256 refunded = _payFromEscrow(bid, bidId, token, 0, true);
        emit BidCancelled(bidId, msg.sender, units, refunded);
        if (refunded != 0) token.safeTransfer(bidder, refunded);
    }

    // ------------------------------------------------------------------------------------------ governance

    /// @inheritdoc ICarbonMarketplace
    function setFee(uint16 feeBps) external restricted nonReentrant {
        _whenNotPaused();
        if (feeBps > _MAX_FEE_BPS) revert MarketplaceFeeTooHigh(feeBps, _MAX_FEE_BPS);
        _config.feeBps = feeBps;
        emit FeeSet(feeBps);
    }

    /// @inheritdoc ICarbonMarketplace
    function setTreasury(address treasury) external restricted nonReentrant {
        _whenNotPaused();
        if (treasury == address(0)) revert MarketplaceInvalidTreasury(treasury);
        _config.treasury = treasury;
        emit TreasurySet(treasury);
    }

    /// @inheritdoc ICarbonMarketplace
    function setAssetAllowed(address token, bool allowed) external restricted nonReentrant {
        _whenNotPaused();
        _assets[token] = allowed;
        emit AssetAllowed(token, allowed);
    }

    /// @inheritdoc ICarbonMarketplace
    function setPaymentTokenAllowed(address token, bool allowed) external restricted nonReentrant {
        _whenNotPaused();
        _paymentTokens[token] = allowed;
        emit PaymentTokenAllowed(token, allowed);
    }

    /// @inheritdoc ICarbonMarketplace
    function pause() external restricted nonReentrant {
        if (_config.paused) revert EnforcedPause();
        _config.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc ICarbonMarketplace
    function unpause() external restricted nonReentrant {
        if (!_config.paused) revert ExpectedPause();
        _config.paused = false;
        emit Unpaused(msg.sender);
    }

    // ------------------------------------------------------------------------------------------ escrow receiver

    /// @dev Accepts only the marketplace's own escrow pulls from a seller (never a purchase delivered to itself), so
    /// its balance always equals the open listings.
    function onERC1155Received(
        address operator,
        address from,
        uint256,
        uint256,
        bytes calldata
    ) external view returns (bytes4) {
        if (operator != address(this) || from == address(this)) revert MarketplaceUnexpectedTokens(operator);
        return this.onERC1155Received.selector;
    }

    /// @dev Refuses every batch transfer: the marketplace pulls listings one id at a time.
    function onERC1155BatchReceived(
        address operator,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external pure returns (bytes4) {
        revert MarketplaceUnexpectedTokens(operator);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(ICarbonMarketplace).interfaceId ||
            interfaceId == type(IERC1155Receiver).interfaceId ||
            interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc ICarbonMarketplace
    function getListing(uint256 listingId) external view returns (Listing memory) {
        return _listing(listingId);
    }

    /// @inheritdoc ICarbonMarketplace
    function listingCount() external view returns (uint256) {
        return _config.listingCount;
    }

    /// @inheritdoc ICarbonMarketplace
    function getBid(uint256 bidId) external view returns (Bid memory) {
        return _bid(bidId);
    }

    /// @inheritdoc ICarbonMarketplace
    function bidCount() external view returns (uint256) {
        return _bidCount;
    }

    /// @inheritdoc ICarbonMarketplace
    function bidMismatch(uint256 bidId, uint256 batchId) external view returns (CriteriaMismatch) {
        return _bid(bidId).criteria.mismatch(_registry.batchProfile(batchId));
    }

    /// @inheritdoc ICarbonMarketplace
    function feeInfo() external view returns (uint16 feeBps, address treasury) {
        return (_config.feeBps, _config.treasury);
    }

    /// @inheritdoc ICarbonMarketplace
    function isAssetAllowed(address token) external view returns (bool) {
        return _assets[token];
    }

    /// @inheritdoc ICarbonMarketplace
    function isPaymentTokenAllowed(address token) external view returns (bool) {
        return _paymentTokens[token];
    }

    /// @inheritdoc ICarbonMarketplace
    function paused() external view returns (bool) {
        return _config.paused;
    }

    /// @inheritdoc ICarbonMarketplace
    function retirement() external view returns (IRetirementRegistry) {
        return _retirement;
    }

    /// @inheritdoc ICarbonMarketplace
    function credit() external view returns (ICarbonCredit) {
        return _credit;
    }

    /// @inheritdoc ICarbonMarketplace
    function registry() external view returns (ICarbonRegistry) {
        return _registry;
    }

    /// @inheritdoc ICarbonMarketplace
    function listingsBySeller(
        address seller,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next) {
        uint48 first = _lastOfSeller[seller];
        if (cursor != 0) {
            Listing storage c = _listing(cursor);
            if (c.seller != seller) revert MarketplaceUnknownListing(cursor);
            first = c.prevOfSeller;
        }
        return _page(first, limit, true);
    }

    /// @inheritdoc ICarbonMarketplace
    function listingsByAsset(
        address token,
        uint256 id,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next) {
        uint48 first = _lastOfAsset[_assetKey(token, id)];
        if (cursor != 0) {
            Listing storage c = _listing(cursor);
            if (c.token != token || c.id != id) revert MarketplaceUnknownListing(cursor);
            first = c.prevOfAsset;
        }
        return _page(first, limit, false);
    }

    // ------------------------------------------------------------------------------------------ internals

    function _buy(uint256 listingId, uint256 amount, uint256 maxUnitPrice, address recipient) private {
        Config memory config = _whenNotPaused();
        Fill memory fill = _fill(config, listingId, amount, maxUnitPrice, recipient);
        _settle(config, fill);
        IERC1155(fill.token).safeTransferFrom(address(this), recipient, fill.id, amount, "");
    }

    /// @dev Validates a purchase against the listing and the buyer's bound, and takes it off the listing.
    function _fill(
        Config memory config,
        uint256 listingId,
        uint256 amount,
        uint256 maxUnitPrice,
        address recipient
    ) private returns (Fill memory fill) {
        Listing storage listing = _open(listingId);
        if (block.timestamp >= listing.expiry) revert MarketplaceListingExpired(listingId, listing.expiry);
        if (amount == 0) revert MarketplaceZeroAmount();
        uint256 remaining = listing.remaining;
        if (amount > remaining) revert MarketplaceAmountExceedsRemaining(listingId, amount, remaining);
        if (amount < listing.minFill && amount != remaining)
            revert MarketplaceBelowMinFill(listingId, amount, listing.minFill);
        uint256 unitPrice = listing.unitPrice;
        if (unitPrice > maxUnitPrice) revert MarketplacePriceAboveMax(listingId, unitPrice, maxUnitPrice);
        // Frozen accounts cannot trade: not the seller of escrowed units, nor a buyer paying for another recipient
        // (the asset itself refuses a frozen recipient).
        address token = listing.token;
        _checkNotFrozen(token, listing.seller);
        if (recipient != msg.sender) _checkNotFrozen(token, msg.sender);

        unchecked {
            // amount <= remaining (checked above).
            listing.remaining = uint96(remaining - amount);
        }
        // SMT: amount <= remaining < 2^96 and unitPrice < 2^128, so `paid` is below 2^224.
        fill = Fill({
            seller: listing.seller,
            token: listing.token,
            paymentToken: listing.paymentToken,
            id: listing.id,
            amount: amount,
            paid: amount * unitPrice,
            fee: 0
        });
        fill.fee = _feeOf(fill.paid, config.feeBps);
        emit Bought(listingId, fill.token, fill.id, msg.sender, recipient, amount, unitPrice, fill.paid, fill.fee);
    }

    /// @dev Moves the payment: proceeds to the seller, measured on arrival, then the fee to the treasury. Measuring
    /// the seller's leg is what refuses a token that delivers less than asked (fee-on-transfer and the like); the
    /// treasury's leg of the same token is not measured again.
    function _settle(Config memory config, Fill memory fill) private {
        IERC20 token = IERC20(fill.paymentToken);
        // SMT: `fee` <= paid ({_feeOf}).
        uint256 proceeds = fill.paid - fill.fee;
        // Paying oneself moves nothing: a seller buying back its own listing pays only the fee.
        if (proceeds != 0 && fill.seller != msg.sender) {
            uint256 received = MeasuredTransfer.transferFromMeasured(token, msg.sender, fill.seller, proceeds);
            if (received != proceeds) revert MarketplaceShortPayment(address(token), proceeds, received);
        }
        if (fill.fee != 0 && config.treasury != msg.sender)
            token.safeTransferFrom(msg.sender, config.treasury, fill.fee);
    }

    /// @dev Mints the escrow shares worth `escrow` of `paymentToken` at the marketplace's balance before it arrives,
    /// rounded up, and adds them to the token's total.
    function _mintShares(address paymentToken, uint256 escrow) private returns (uint128) {
        (uint256 balance, uint256 totalShares) = _pool(paymentToken);
        uint256 shares = EscrowShares.sharesFor(escrow, totalShares, balance);
        _fits(shares, type(uint128).max);
        // SMT: each bid's shares are below 2^128, so their sum cannot overflow in any realistic number of bids.
        _escrowShares[paymentToken] = totalShares + shares;
        return uint128(shares);
    }

    /// @dev The marketplace's balance of `paymentToken` and the bids' escrow shares of it.
    function _pool(address paymentToken) private view returns (uint256 balance, uint256 totalShares) {
        balance = IERC20(paymentToken).balanceOf(address(this));
        totalShares = _escrowShares[paymentToken];
    }

    /// @dev Checks a fill of `amount` units of `batchId` against an open bid and takes it off the bid; `closes` when it
    /// fills what remained.
    function _takeBid(uint256 bidId, uint256 batchId, uint256 amount) private returns (Bid storage bid, bool closes) {
        bid = _openBid(bidId);
        uint64 expiry = bid.expiry;
        if (block.timestamp >= expiry) revert MarketplaceBidExpired(bidId, expiry);
        if (amount == 0) revert MarketplaceZeroAmount();
        uint256 remaining = bid.remaining;
        if (amount > remaining) revert MarketplaceBidAmountExceedsRemaining(bidId, amount, remaining);
        CriteriaMismatch mismatch = bid.criteria.mismatch(_registry.batchProfile(batchId));
        if (mismatch != CriteriaMismatch.None) revert MarketplaceBatchMismatch(bidId, batchId, mismatch);
        unchecked {
            // amount <= remaining (checked above).
            bid.remaining = uint96(remaining - amount);
        }
        closes = amount == remaining;
    }

    /// @dev Takes `paid` out of a bid's escrow shares (the shares burned rounded up, in the pool's favour); when the
    /// bid `closes`, burns the rest of its shares too and returns what they are worth: the surplus of a closing fill
    /// (a token whose balances grew on their own), or the whole refund of a cancel (`paid` 0). Reverts with
    /// {MarketplaceBidUnderfunded} when the bid's shares are worth less than `paid` (its token's balances fell): the
    /// filler is refused, and the bidder can still cancel for what the shares are worth.
    function _payFromEscrow(
        Bid storage bid,
        uint256 bidId,
        IERC20 token,
        uint256 paid,
        bool closes
    ) private returns (uint256 rest) {
        (uint256 balance, uint256 totalShares) = _pool(address(token));
        uint256 owned = bid.shares;
        uint256 burned = EscrowShares.sharesFor(paid, totalShares, balance);
        if (burned > owned)
            revert MarketplaceBidUnderfunded(bidId, paid, EscrowShares.valueOf(owned, totalShares, balance));
        unchecked {
            // burned <= owned <= totalShares, and `paid` <= the value of `owned` <= balance.
            if (closes) {
                rest = EscrowShares.valueOf(owned - burned, totalShares - burned, balance - paid);
                burned = owned;
            }
            bid.shares = uint128(owned - burned);
            _escrowShares[address(token)] = totalShares - burned;
        }
    }

    /// @dev The protocol fee on `paid`: `ceil(paid × feeBps / 10,000)`, rounded in the protocol's favour so that
    /// splitting a purchase into smaller fills never pays less fee than buying it whole (`ceil(a) + ceil(b) >=
    /// ceil(a + b)`). It never exceeds `paid`: feeBps <= 1,000, so `ceil(paid / 10) <= paid` for every `paid >= 1`.
    function _feeOf(uint256 paid, uint256 feeBps) private pure returns (uint256) {
        // SMT: `paid` < 2^224 (amount < 2^96, unitPrice < 2^128) and feeBps <= 1,000, so the sum is below 2^235.
        return (paid * feeBps + (_BPS - 1)) / _BPS;
    }

    /// @dev Reverts with {MarketplaceAccountFrozen} when the asset freezes `account`. Assets without `isFrozen` (a
    /// plain ERC-1155) have no freezes: a failed call counts as not frozen.
    function _checkNotFrozen(address token, address account) private view {
        try ICarbonCredit(token).isFrozen(account) returns (bool frozen) {
            if (frozen) revert MarketplaceAccountFrozen(account);
        } catch {}
    }

    function _checkTerms(uint256 amount, uint256 unitPrice, uint64 expiry) private view {
        if (amount == 0) revert MarketplaceZeroAmount();
        if (unitPrice == 0) revert MarketplaceZeroPrice();
        _fits(amount, type(uint96).max);
        _fits(unitPrice, type(uint128).max);
        if (expiry <= block.timestamp || expiry > type(uint40).max) revert MarketplaceInvalidExpiry(expiry);
    }

    function _fits(uint256 value, uint256 max) private pure {
        if (value > max) revert MarketplaceValueTooLarge(value, max);
    }

    function _whenNotPaused() private view returns (Config memory config) {
        config = _config;
        if (config.paused) revert EnforcedPause();
    }

    function _listing(uint256 listingId) private view returns (Listing storage listing) {
        listing = _listings[listingId];
        if (listing.seller == address(0)) revert MarketplaceUnknownListing(listingId);
    }

    function _bid(uint256 bidId) private view returns (Bid storage bid) {
        bid = _bids[bidId];
        if (bid.bidder == address(0)) revert MarketplaceUnknownBid(bidId);
    }

    function _openBid(uint256 bidId) private view returns (Bid storage bid) {
        bid = _bid(bidId);
        if (bid.remaining == 0) revert MarketplaceBidClosed(bidId);
    }

    function _open(uint256 listingId) private view returns (Listing storage listing) {
        listing = _listing(listingId);
        if (listing.remaining == 0) revert MarketplaceListingClosed(listingId);
    }

    function _assetKey(address token, uint256 id) private pure returns (bytes32) {
        return keccak256(abi.encode(token, id));
    }

    function _page(
        uint48 first,
        uint256 limit,
        bool bySeller
    ) private view returns (uint256[] memory ids, uint256 next) {
        uint256 n;
        uint48 cur = first;
        while (cur != 0 && n < limit) {
            // SMT: `n < limit` (loop condition), so `++n` cannot overflow.
            ++n;
            cur = bySeller ? _listings[cur].prevOfSeller : _listings[cur].prevOfAsset;
        }
        ids = new uint256[](n);
        cur = first;
        // SMT: `i < n`: `++i` cannot overflow.
        for (uint256 i = 0; i < n; ++i) {
            // SMT: `i < n == ids.length`: in bounds.
            ids[i] = cur;
            next = cur;
            cur = bySeller ? _listings[cur].prevOfSeller : _listings[cur].prevOfAsset;
        }
        // `cur` now follows the page: when it exists, the page's last id is the next cursor.
        if (cur == 0) next = 0;
    }
}
