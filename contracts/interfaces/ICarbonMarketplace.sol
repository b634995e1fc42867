// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";

import {ICarbonCredit} from "./ICarbonCredit.sol";
import {ICarbonRegistry} from "./ICarbonRegistry.sol";
import {BatchCriteria, CriteriaMismatch} from "./ICarbonTypes.sol";
import {IRetirementRegistry} from "./IRetirementRegistry.sol";

/**
 * @title ICarbonMarketplace
 * @notice Escrowed listings of allow-listed ERC-1155 carbon assets (credits; allowances later), paid in allow-listed
 * ERC-20s, with partial fills, a buyer's price bound, several listings in one all-or-nothing purchase, and
 * buy-and-retire. Units sit in the marketplace while listed, so a listing is always fillable and its balance of
 * each asset equals the open listings' remaining amounts.
 *
 * Prices are in payment-token base units per asset unit (1 unit = 1 kg CO2e). A purchase of `amount` units at
 * `unitPrice` costs `paid = amount × unitPrice`; the protocol fee is `paid × feeBps / 10,000` rounded up and goes
 * to the treasury, the rest to the seller, so `paid == sellerProceeds + fee` exactly. Rounding up favours the
 * protocol by less than one base unit per fill, so splitting a purchase into smaller fills (in {buyMany}, or in
 * several transactions, or several criteria-bid fills) never pays less fee than buying it whole.
 *
 * Criteria bids are the other side: a buyer escrows `quantity × unitPrice` of a payment token and asks for up to
 * `quantity` credit units of any batch that matches its criteria; any holder of a matching batch fills it, in
 * part or in whole, at the bid price, and is paid from the escrow under the same fee rule. Matching reads the
 * registry's {ICarbonRegistry-batchProfile} on chain, so a bid can never be filled with a batch it did not ask for.
 *
 * Bid escrow is held as shares of the marketplace's balance of each payment token, not as fixed amounts: a token
 * whose balances change on their own after arrival (rebasing, elastic supply) moves every bid's escrow pro rata, so
 * no refund can strand another bid. A bid whose shares are worth less than a fill's price cannot be filled
 * ({MarketplaceBidUnderfunded}); one worth more refunds the surplus when it closes; a cancel always refunds what the
 * shares are worth. For an ordinary token the shares are worth exactly `remaining × unitPrice`.
 */
interface ICarbonMarketplace is IERC1155Receiver {
    /// @notice A listing. `remaining` 0 means filled or cancelled. `prev*` link the listings of the same seller and
    /// of the same asset, newest first.
    struct Listing {
        address seller;
        uint40 expiry;
        uint48 prevOfSeller;
        address token;
        uint96 remaining;
        address paymentToken;
        uint48 minFill;
        uint48 prevOfAsset;
        uint128 id;
        uint128 unitPrice;
    }

    /// @notice An EIP-2612 permit of the buyer for the payment token, spent by {buyWithPermit}.
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    /// @notice One purchase of {buyMany}.
    struct BuyOrder {
        uint256 listingId;
        uint256 amount;
        uint256 maxUnitPrice;
    }

    /// @notice A criteria bid: `remaining` units wanted at `unitPrice`, escrowed as `shares` of the marketplace's
    /// balance of `paymentToken` (worth `remaining × unitPrice` exactly unless that token's balances changed on their
    /// own). `remaining` 0 means filled or cancelled.
    struct Bid {
        address bidder;
        uint40 expiry;
        address paymentToken;
        uint96 remaining;
        uint128 unitPrice;
        uint128 shares;
        BatchCriteria criteria;
    }

    /// @notice Emitted when `seller` lists `amount` units of `(token, id)`. The asset is indexed as `(token, id)` in
    /// every marketplace event that names one, so credit batch N and allowance period N never share a filter.
    event Listed(
        uint256 indexed listingId,
        address indexed token,
        uint256 indexed id,
        address seller,
        uint256 amount,
        uint256 unitPrice,
        address paymentToken,
        uint256 minFill,
        uint64 expiry
    );

    /// @notice Emitted when a seller changes a listing's price, expiry or amount.
    event ListingUpdated(uint256 indexed listingId, uint256 unitPrice, uint64 expiry, uint256 remaining);

    /// @notice Emitted when a listing is cancelled and its `returned` units go back to the seller.
    event ListingCancelled(uint256 indexed listingId, address indexed by, uint256 returned);

    /// @notice Emitted for every purchase: `paid` by the buyer, of which `fee` went to the treasury.
    event Bought(
        uint256 indexed listingId,
        address indexed token,
        uint256 indexed id,
        address buyer,
        address recipient,
        uint256 amount,
        uint256 unitPrice,
        uint256 paid,
        uint256 fee
    );

    /// @notice Emitted when `bidder` escrows `quantity × unitPrice` of `paymentToken` for credits matching `criteria`.
    event BidPlaced(
        uint256 indexed bidId,
        address indexed bidder,
        address indexed paymentToken,
        uint256 quantity,
        uint256 unitPrice,
        uint64 expiry,
        BatchCriteria criteria
    );

    /// @notice Emitted when `seller` fills a bid with `amount` units of credit batch `id` of `token` (the credit
    /// token): `paid` from the escrow, of which `fee` went to the treasury and the rest to the seller.
    event BidFilled(
        uint256 indexed bidId,
        address indexed token,
        uint256 indexed id,
        address seller,
        uint256 amount,
        uint256 unitPrice,
        uint256 paid,
        uint256 fee
    );

    /// @notice Emitted when a bid is cancelled and `refunded` payment goes back to the bidder for `units` not filled.
    event BidCancelled(uint256 indexed bidId, address indexed by, uint256 units, uint256 refunded);

    /// @notice Emitted when the fill that closes a bid also refunds `amount` its escrow shares were worth above the
    /// price paid (its payment token's balances grew on their own, e.g. a positive rebase).
    event BidSurplusRefunded(uint256 indexed bidId, address indexed bidder, uint256 amount);

    /// @notice Emitted when the treasurer sets the protocol fee.
    event FeeSet(uint16 feeBps);

    /// @notice Emitted when the treasurer sets the treasury.
    event TreasurySet(address indexed treasury);

    /// @notice Emitted when governance allows or disallows an ERC-1155 asset.
    event AssetAllowed(address indexed token, bool allowed);

    /// @notice Emitted when governance allows or disallows an ERC-20 payment token.
    event PaymentTokenAllowed(address indexed token, bool allowed);

    /// @notice Emitted when the marketplace is paused by `account`.
    event Paused(address account);

    /// @notice Emitted when the marketplace is unpaused by `account`.
    event Unpaused(address account);

    /// @notice Thrown when an amount is zero.
    error MarketplaceZeroAmount();

    /// @notice Thrown when a price is zero.
    error MarketplaceZeroPrice();

    /// @notice Thrown when a value does not fit its storage field (`max` is the largest accepted).
    error MarketplaceValueTooLarge(uint256 value, uint256 max);

    /// @notice Thrown when an expiry is not in the future.
    error MarketplaceInvalidExpiry(uint64 expiry);

    /// @notice Thrown when `minFill` exceeds the listed amount.
    error MarketplaceInvalidMinFill(uint256 minFill, uint256 amount);

    /// @notice Thrown when the ERC-1155 `token` is not on the allow-list.
    error MarketplaceAssetNotAllowed(address token);

    /// @notice Thrown when the ERC-20 `token` is not on the allow-list.
    error MarketplacePaymentTokenNotAllowed(address token);

    /// @notice Thrown when `listingId` does not exist.
    error MarketplaceUnknownListing(uint256 listingId);

    /// @notice Thrown when a listing is filled or cancelled.
    error MarketplaceListingClosed(uint256 listingId);

    /// @notice Thrown when a listing expired at `expiry`.
    error MarketplaceListingExpired(uint256 listingId, uint64 expiry);

    /// @notice Thrown when buying more than a listing's remaining units.
    error MarketplaceAmountExceedsRemaining(uint256 listingId, uint256 amount, uint256 remaining);

    /// @notice Thrown when buying less than `minFill` without taking the whole remainder.
    error MarketplaceBelowMinFill(uint256 listingId, uint256 amount, uint256 minFill);

    /// @notice Thrown when the listing's price is above the buyer's bound (the seller changed it).
    error MarketplacePriceAboveMax(uint256 listingId, uint256 unitPrice, uint256 maxUnitPrice);

    /// @notice Thrown when `caller` is not the listing's seller.
    error MarketplaceNotSeller(uint256 listingId, address caller);

    /// @notice Thrown when the seller, or a buyer paying for another recipient, is frozen on the asset.
    error MarketplaceAccountFrozen(address account);

    /// @notice Thrown when a payment token delivered `received` instead of `expected` (fee-on-transfer and similar).
    error MarketplaceShortPayment(address token, uint256 expected, uint256 received);

    /// @notice Thrown when a fee above 10% (1,000 bps) is set.
    error MarketplaceFeeTooHigh(uint256 feeBps, uint256 maxBps);

    /// @notice Thrown when the treasury would be the zero address.
    error MarketplaceInvalidTreasury(address treasury);

    /// @notice Thrown when a {buyMany} order list is empty.
    error MarketplaceEmptyOrder();

    /// @notice Thrown when buy-and-retire is asked of an asset that is not the retirement registry's credit token.
    error MarketplaceNotRetirable(address token);

    /// @notice Thrown when ERC-1155 tokens arrive other than by the marketplace's own escrow pull (`operator`).
    error MarketplaceUnexpectedTokens(address operator);

    /// @notice Thrown when `bidId` does not exist.
    error MarketplaceUnknownBid(uint256 bidId);

    /// @notice Thrown when a bid is filled or cancelled.
    error MarketplaceBidClosed(uint256 bidId);

    /// @notice Thrown when a bid expired at `expiry`.
    error MarketplaceBidExpired(uint256 bidId, uint64 expiry);

    /// @notice Thrown when filling more than a bid's remaining units.
    error MarketplaceBidAmountExceedsRemaining(uint256 bidId, uint256 amount, uint256 remaining);

    /// @notice Thrown when `caller` is not the bid's bidder.
    error MarketplaceNotBidder(uint256 bidId, address caller);

    /// @notice Thrown when `batchId` fails the bid's criterion `reason`.
    error MarketplaceBatchMismatch(uint256 bidId, uint256 batchId, CriteriaMismatch reason);

    /// @notice Thrown when a fill would pay `paid` from a bid whose escrow shares are worth only `value` (its payment
    /// token's balances fell on their own, e.g. a negative rebase); the bidder can still cancel for `value`.
    error MarketplaceBidUnderfunded(uint256 bidId, uint256 paid, uint256 value);

    /// @notice Thrown when the marketplace is paused (OpenZeppelin `Pausable`'s error).
    error EnforcedPause();

    /// @notice Thrown when unpausing a marketplace that is not paused (OpenZeppelin `Pausable`'s error).
    error ExpectedPause();

    /**
     * @notice Lists `amount` units of `(token, id)` at `unitPrice` (payment base units per unit), escrowing them here.
     * Disallowing an asset or payment token later stops new listings only: open ones can still be bought or
     * cancelled (pausing stops everything).
     * @dev Requirements: not paused; allowed asset and payment token; non-zero amount and price; a future expiry;
     * `minFill <= amount`; the marketplace approved as operator on `token`. Emits {Listed}.
     * @return listingId The new listing id (sequential from 1).
     */
    function list(
        address token,
        uint256 id,
        uint256 amount,
        uint256 unitPrice,
        address paymentToken,
        uint256 minFill,
        uint64 expiry
    ) external returns (uint256 listingId);

    /**
     * @notice Changes an open listing's price and expiry and sets its remaining amount, pulling a top-up from the
     * seller or returning a reduction.
     * @dev Requirements: not paused; caller is the seller; listing open; non-zero price and amount; future expiry.
     * Emits {ListingUpdated}.
     */
    function updateListing(uint256 listingId, uint256 unitPrice, uint64 expiry, uint256 amount) external;

    /**
     * @notice Cancels a listing and returns what is left to the seller. The seller may cancel at any time; anyone
     * may cancel an expired listing, so no listing is left stale.
     * @dev Requirements: not paused; listing open; caller is the seller or the listing expired.
     * Emits {ListingCancelled}.
     */
    function cancelListing(uint256 listingId) external;

    /**
     * @notice Buys `amount` units of a listing for `recipient`, paying at most `maxUnitPrice` per unit.
     * @dev Requirements: not paused; listing open and not expired; `0 < amount <= remaining`; `amount >= minFill`
     * unless it takes the whole remainder; `unitPrice <= maxUnitPrice`; neither the seller nor the buyer frozen;
     * `recipient` not the marketplace; enough allowance.
     * Emits {Bought}.
     */
    function buy(uint256 listingId, uint256 amount, uint256 maxUnitPrice, address recipient) external;

    /**
     * @notice {buy} in one transaction for a buyer who has not approved the payment token: first applies the buyer's
     * EIP-2612 `permit` for the marketplace. A permit already used (for example submitted by someone else first) is
     * ignored, so front-running it cannot block the purchase; without enough allowance the purchase then reverts.
     * @dev Requirements as {buy}; the payment token supports EIP-2612. Emits {Bought}.
     */
    function buyWithPermit(
        uint256 listingId,
        uint256 amount,
        uint256 maxUnitPrice,
        address recipient,
        Permit calldata permit
    ) external;

    /// @notice Fills several listings for `recipient` in one transaction, all or nothing. Requirements as {buy}.
    function buyMany(BuyOrder[] calldata orders, address recipient) external;

    /**
     * @notice Buys from a credit listing and retires the units at once through the retirement registry
     * (retire-on-transfer). The beneficiary defaults to the buyer; the retirement's retiree is this marketplace.
     * @dev Requirements as {buy}; the listed token is the retirement registry's credit token; the request's
     * `ids`/`amounts` empty. Emits {Bought} and the retirement's events.
     */
    function buyAndRetire(
        uint256 listingId,
        uint256 amount,
        uint256 maxUnitPrice,
        IRetirementRegistry.RetirementRequest calldata request
    ) external;

    /**
     * @notice Places a criteria bid for up to `quantity` credit units (of the retirement registry's credit token)
     * matching `criteria`, at `unitPrice` payment base units per unit, escrowing `quantity × unitPrice` of
     * `paymentToken` here (measured on arrival) as shares of the marketplace's balance of that token.
     * @dev Requirements: not paused; the credit token and `paymentToken` allowed; non-zero quantity and price; a
     * future expiry; the escrow's shares below 2^128; valid criteria (see `BatchCriteria`; else `BatchMatching`'s errors); the bidder not frozen on the credit token; enough allowance.
     * Emits {BidPlaced}.
     * @return bidId The new bid id (sequential from 1).
     */
    function placeBid(
        BatchCriteria calldata criteria,
        uint256 quantity,
        uint256 unitPrice,
        address paymentToken,
        uint64 expiry
    ) external returns (uint256 bidId);

    /**
     * @notice Fills `amount` units of a bid with the caller's credits of `batchId`, delivered straight to the bidder;
     * the caller is paid `amount × unitPrice` from the escrow, less the protocol fee. The fill that closes the bid
     * refunds the bidder what its escrow shares are still worth above the price (a token that grew on its own).
     * @dev Requirements: not paused; bid open and not expired; `0 < amount <= remaining`; the batch matches the
     * criteria (else {MarketplaceBatchMismatch} names the first criterion it fails); the bid's escrow shares worth
     * at least `amount × unitPrice` (else {MarketplaceBidUnderfunded}); the marketplace approved as operator on the
     * credit token; the transfer allowed by the credit token (neither side frozen, batch not suspended, token not
     * paused). Emits {BidFilled}, and {BidSurplusRefunded} when a closing fill refunds a surplus.
     */
    function fillBid(uint256 bidId, uint256 batchId, uint256 amount) external;

    /**
     * @notice Cancels a bid and refunds its remaining escrow to the bidder: what its escrow shares are worth now
     * (`remaining × unitPrice` for an ordinary token), so a cancel never fails for want of balance. The bidder may
     * cancel at any time; anyone may cancel an expired bid, so no escrow is left stale.
     * @dev Requirements: not paused; bid open; caller is the bidder or the bid expired. Emits {BidCancelled}.
     */
    function cancelBid(uint256 bidId) external;

    /// @notice Sets the protocol fee. Requirements: TREASURER permission; not paused; at most 1,000 bps.
    /// Emits {FeeSet}.
    function setFee(uint16 feeBps) external;

    /// @notice Sets the treasury. Requirements: TREASURER permission; not paused; non-zero. Emits {TreasurySet}.
    function setTreasury(address treasury) external;

    /// @notice Allows or disallows an ERC-1155 asset. Requirements: ADMIN permission; not paused.
    /// Emits {AssetAllowed}.
    function setAssetAllowed(address token, bool allowed) external;

    /// @notice Allows or disallows an ERC-20 payment token. Requirements: ADMIN permission; not paused. Emits
    /// {PaymentTokenAllowed}.
    function setPaymentTokenAllowed(address token, bool allowed) external;

    /// @notice Stops every state change of the marketplace (trading, bids, and the fee, treasury and allow-list
    /// setters) until {unpause}; views stay open. Requirements: PAUSER permission; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Resumes trading. Requirements: PAUSER permission; paused. Emits {Unpaused}.
    function unpause() external;

    /// @notice A listing. Reverts with {MarketplaceUnknownListing} when it does not exist.
    function getListing(uint256 listingId) external view returns (Listing memory);

    /// @notice Number of listings; ids run from 1 to this number.
    function listingCount() external view returns (uint256);

    /// @notice A bid. Reverts with {MarketplaceUnknownBid} when it does not exist.
    function getBid(uint256 bidId) external view returns (Bid memory);

    /// @notice Number of bids; ids run from 1 to this number.
    function bidCount() external view returns (uint256);

    /**
     * @notice The first of a bid's criteria that `batchId` fails, `CriteriaMismatch.None` when it matches. Says nothing
     * about whether the bid is open. Reverts for an unknown bid or batch.
     */
    function bidMismatch(uint256 bidId, uint256 batchId) external view returns (CriteriaMismatch);

    /// @notice The protocol fee in basis points and the treasury it goes to.
    function feeInfo() external view returns (uint16 feeBps, address treasury);

    /// @notice Whether an ERC-1155 asset may be listed.
    function isAssetAllowed(address token) external view returns (bool);

    /// @notice Whether an ERC-20 may pay.
    function isPaymentTokenAllowed(address token) external view returns (bool);

    /// @notice Whether trading is paused.
    function paused() external view returns (bool);

    /// @notice The retirement registry used by {buyAndRetire}.
    function retirement() external view returns (IRetirementRegistry);

    /// @notice The credit token that bids buy and {buyAndRetire} retires (the retirement registry's).
    function credit() external view returns (ICarbonCredit);

    /// @notice The registry whose batch data bids are matched against (the credit token's).
    function registry() external view returns (ICarbonRegistry);

    /**
     * @notice Listings of `seller`, newest first (open and closed): up to `limit` ids after `cursor` (0 = newest);
     * `next` is the page's last id when more remain, else 0.
     */
    function listingsBySeller(
        address seller,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next);

    /// @notice Listings of the asset `(token, id)`, newest first, paginated as {listingsBySeller}.
    function listingsByAsset(
        address token,
        uint256 id,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next);
}
