// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IComplianceRegistry} from "./IComplianceRegistry.sol";

/**
 * @title IAllowanceAuction
 * @notice Sealed-bid, uniform-price auctions of emission allowances. The regulator opens an auction of `volume`
 * allowances of a period with a reserve price. During bidding, a bidder commits
 * `keccak256(abi.encode(auctionId, bidder, unitPrice, quantity, salt))` and escrows a deposit of the payment token,
 * so nobody sees its price; during the reveal window it opens the commitment, and the bid joins its price level
 * (bids at one price are grouped, so settlement never walks individual bids). After the reveal window anyone settles:
 * the clearing price is the lowest accepted price; bids above it are filled in full, the bids at it pro rata,
 * everyone pays the clearing price. Then each bid is claimed (by anyone, for its bidder): the allowances are minted to
 * the bidder, the price paid goes to the treasury and the rest of the deposit is refunded.
 *
 * At the margin the pro rata shares are rounded cumulatively in claim order (each marginal bid receives its exact
 * share rounded down or up), so the marginal allocations add up to the marginal fill exactly: settlement gives back
 * every unit not sold at once, and no rounding remainder stays reserved.
 *
 * An unrevealed bid (never revealed, or whose reveal was refused) forfeits {UNREVEALED_FORFEIT_BPS} of its deposit,
 * rounded up, to the treasury on its claim, and the rest is refunded: committing several prices to reveal only the one
 * that suits is not a free option.
 *
 * Deposits are held as shares of the auction house's balance of each payment token, so a token whose balances change
 * on their own after arrival (rebasing) moves every deposit pro rata: a claim pays the treasury what the bid owes and
 * refunds what the rest of its shares are worth (exactly the nominal amounts for an ordinary token); if a fall left
 * the shares worth less than what the bid owes, the treasury receives what they are worth. No claim can fail for want
 * of balance, and none can take another bid's deposit.
 *
 * Prices are payment-token base units per allowance unit (1 kg CO2e).
 */
interface IAllowanceAuction {
    /// @notice An auction: its terms, and what settlement found. `cursor` is the next price level settlement visits.
    /// `marginalClaimed` marginal bids, asking for `marginalClaimedDemand` in all, were claimed and received
    /// `marginalIssued`.
    struct Auction {
        uint64 period;
        uint64 biddingStart;
        uint64 biddingEnd;
        uint64 revealEnd;
        address paymentToken;
        uint32 bidCount;
        uint32 levelCount;
        bool settled;
        uint128 volume;
        uint128 reservePrice;
        uint128 highestLevel;
        uint128 cursor;
        uint128 demandAbove;
        uint128 revealedDemand;
        uint128 clearingPrice;
        uint128 marginalDemand;
        uint128 marginalFill;
        uint128 marginalIssued;
        uint32 marginalBids;
        uint32 marginalClaimed;
        uint128 marginalClaimedDemand;
    }

    /// @notice A bid: the commitment and deposit, then what its reveal said. The deposit is held as `shares` of the
    /// auction house's balance of the payment token (10^6 per base unit of an ordinary token), 0 once claimed.
    struct Bid {
        address bidder;
        uint64 auctionId;
        bool revealed;
        bool claimed;
        bytes32 commitment;
        uint128 deposit;
        uint128 unitPrice;
        uint128 quantity;
        uint128 shares;
    }

    /// @notice The revealed demand at one price, the number of bids in it, and the next lower price level (0: none).
    struct Level {
        uint128 demand;
        uint128 nextLower;
        uint32 bids;
    }

    /// @notice Emitted when the regulator opens an auction.
    event AuctionOpened(
        uint256 indexed auctionId,
        uint64 indexed period,
        address paymentToken,
        uint256 volume,
        uint256 reservePrice,
        uint64 biddingStart,
        uint64 biddingEnd,
        uint64 revealEnd
    );

    /// @notice Emitted when `bidder` commits a sealed bid with `deposit` in escrow.
    event BidCommitted(uint256 indexed auctionId, uint256 indexed bidId, address indexed bidder, uint256 deposit);

    /// @notice Emitted when a bid is revealed.
    event BidRevealed(
        uint256 indexed auctionId,
        uint256 indexed bidId,
        address indexed bidder,
        uint256 unitPrice,
        uint256 quantity
    );

    /// @notice Emitted when settlement visited `levels` more price levels without reaching the clearing price.
    event SettlementProgressed(uint256 indexed auctionId, uint256 levels, uint256 cursor);

    /// @notice Emitted when an auction settles: `sold` of `volume` at `clearingPrice`; the marginal level's demand
    /// is filled `marginalFill` of `marginalDemand`.
    event AuctionSettled(
        uint256 indexed auctionId,
        uint256 clearingPrice,
        uint256 sold,
        uint256 marginalDemand,
        uint256 marginalFill
    );

    /// @notice Emitted when a bid is claimed: `allocation` allowances to the bidder, `paid` to the treasury,
    /// `refunded` back to the bidder (what the deposit's shares paid out: see the contract notes on elastic tokens).
    event BidClaimed(
        uint256 indexed auctionId,
        uint256 indexed bidId,
        address indexed bidder,
        uint256 allocation,
        uint256 paid,
        uint256 refunded
    );

    /// @notice Emitted when the claim of an unrevealed bid sends `forfeit` of its deposit to the treasury (it is also
    /// counted as `paid` in {BidClaimed}).
    event BidForfeited(uint256 indexed auctionId, uint256 indexed bidId, address indexed bidder, uint256 forfeit);

    /// @notice Emitted when the treasurer sets the treasury.
    event TreasurySet(address indexed treasury);

    /// @notice Thrown when an amount or price is zero.
    error AuctionZeroAmount();

    /// @notice Thrown when a value does not fit its field (`max` is the largest accepted).
    error AuctionValueTooLarge(uint256 value, uint256 max);

    /// @notice Thrown when the windows are not `now < biddingEnd`, `biddingStart < biddingEnd < revealEnd`.
    error AuctionInvalidWindow(uint64 biddingStart, uint64 biddingEnd, uint64 revealEnd);

    /// @notice Thrown when an account argument is the zero address.
    error AuctionInvalidAccount(address account);

    /// @notice Thrown when `auctionId` does not exist.
    error AuctionUnknown(uint256 auctionId);

    /// @notice Thrown when `bidId` does not exist.
    error AuctionUnknownBid(uint256 bidId);

    /// @notice Thrown outside the bidding window `[start, end)`.
    error AuctionNotBidding(uint256 auctionId, uint64 biddingStart, uint64 biddingEnd);

    /// @notice Thrown outside the reveal window `[biddingEnd, revealEnd)`.
    error AuctionNotRevealing(uint256 auctionId, uint64 biddingEnd, uint64 revealEnd);

    /// @notice Thrown when settling before the reveal window closed at `revealEnd`.
    error AuctionRevealOpen(uint256 auctionId, uint64 revealEnd);

    /// @notice Thrown when settling a settled auction.
    error AuctionAlreadySettled(uint256 auctionId);

    /// @notice Thrown when claiming before the auction settled.
    error AuctionNotSettled(uint256 auctionId);

    /// @notice Thrown when a commitment is zero.
    error AuctionInvalidCommitment();

    /// @notice Thrown when `caller` is not the bid's bidder.
    error AuctionNotBidder(uint256 bidId, address caller);

    /// @notice Thrown when revealing a revealed bid.
    error AuctionAlreadyRevealed(uint256 bidId);

    /// @notice Thrown when the revealed terms do not open the commitment.
    error AuctionCommitmentMismatch(uint256 bidId);

    /// @notice Thrown when a revealed price is below the reserve.
    error AuctionBelowReserve(uint256 bidId, uint256 unitPrice, uint256 reservePrice);

    /// @notice Thrown when the deposit does not cover `quantity × unitPrice` (`required`).
    error AuctionInsufficientEscrow(uint256 bidId, uint256 required, uint256 deposit);

    /// @notice Thrown when claiming a claimed bid.
    error AuctionAlreadyClaimed(uint256 bidId);

    /// @notice Thrown when a payment token delivered `received` instead of `expected`.
    error AuctionShortPayment(address token, uint256 expected, uint256 received);

    /**
     * @notice Opens an auction of `volume` allowances of `period`, reserving the volume in the compliance registry.
     * @dev Requirements: REGULATOR permission; not paused; non-zero volume, reserve and payment token; valid windows;
     * enough unreserved auction volume in the period. Emits {AuctionOpened}.
     */
    function openAuction(
        uint64 period,
        uint256 volume,
        uint256 reservePrice,
        address paymentToken,
        uint64 biddingStart,
        uint64 biddingEnd,
        uint64 revealEnd
    ) external returns (uint256 auctionId);

    /**
     * @notice Commits a sealed bid and escrows `deposit` of the payment token (measured on arrival), held as shares of
     * the auction house's balance of that token. The deposit must cover `quantity × unitPrice` at reveal; it is the
     * only thing the bid shows before then.
     * @dev Requirements: not paused; bidding window open; non-zero commitment and deposit; the deposit's shares below
     * 2^128. Emits {BidCommitted}.
     */
    function commitBid(uint256 auctionId, bytes32 commitment, uint256 deposit) external returns (uint256 bidId);

    /**
     * @notice Reveals a bid: its price joins the auction's price levels. `hintPrice` is an existing level at or above
     * `unitPrice` to start the sorted insertion from (0: the highest level); a wrong hint costs gas, never
     * correctness.
     * @dev Requirements: not paused; reveal window open; caller is the bidder; not revealed; the terms open the
     * commitment; non-zero quantity; price at least the reserve; deposit covers `quantity × unitPrice`.
     * Emits {BidRevealed}.
     */
    function revealBid(uint256 bidId, uint256 unitPrice, uint256 quantity, bytes32 salt, uint256 hintPrice) external;

    /**
     * @notice Settles an auction after the reveal window, visiting at most `maxLevels` price levels from the highest
     * down (call again to continue); anyone may call. Releases the volume not sold back to the period.
     * @dev Requirements: not paused; reveal window closed; not settled; `maxLevels` non-zero. Emits
     * {AuctionSettled}, or {SettlementProgressed} when more levels remain.
     * @return done Whether the auction is settled.
     */
    function settle(uint256 auctionId, uint256 maxLevels) external returns (bool done);

    /**
     * @notice Claims a bid of a settled auction, for its bidder (anyone may call): mints its allocation, pays the
     * clearing price for it to the treasury and refunds the rest of the deposit. An unrevealed bid pays its forfeit
     * ({UNREVEALED_FORFEIT_BPS} of the deposit, rounded up) to the treasury instead.
     * @dev Requirements: not paused; auction settled; bid not claimed. Emits {BidClaimed}, preceded by {BidForfeited}
     * for an unrevealed bid.
     */
    function claim(uint256 bidId) external;

    /// @notice {claim} for several bids.
    function claimMany(uint256[] calldata bidIds) external;

    /// @notice Sets the treasury that receives proceeds. Requirements: TREASURER permission; not paused; non-zero.
    /// Emits {TreasurySet}.
    function setTreasury(address treasury) external;

    /// @notice Stops every state change (OpenZeppelin `Pausable`: refused with `EnforcedPause()`); views stay open.
    /// Requirements: PAUSER permission; not paused. Emits OpenZeppelin's `Paused(account)`.
    function pause() external;

    /// @notice Resumes. Requirements: PAUSER permission; paused (else `ExpectedPause()`). Emits OpenZeppelin's
    /// `Unpaused(account)`.
    function unpause() external;

    /// @notice An auction. Reverts with {AuctionUnknown}.
    function getAuction(uint256 auctionId) external view returns (Auction memory);

    /// @notice A bid. Reverts with {AuctionUnknownBid}.
    function getBid(uint256 bidId) external view returns (Bid memory);

    /// @notice Number of auctions and of bids; ids run from 1.
    function counts() external view returns (uint256 auctions, uint256 bids);

    /// @notice The price level `price` of an auction (zero demand: no such level).
    function getLevel(uint256 auctionId, uint256 price) external view returns (Level memory);

    /// @notice What a bid receives once its auction settled: allocation, price paid (or forfeit, for an unrevealed
    /// bid) and refund, in nominal amounts (what its claim moves for an ordinary payment token). For an unclaimed
    /// marginal bid: what its claim would receive now (its pro rata share, rounded down or up by claim order).
    function allocationOf(uint256 bidId) external view returns (uint256 allocation, uint256 paid, uint256 refund);

    /// @notice The share of an unrevealed bid's deposit, in basis points, that its claim sends to the treasury: 1,000
    /// (10%), rounded up.
    function UNREVEALED_FORFEIT_BPS() external view returns (uint16);

    /// @notice The commitment for a bid's terms, as {commitBid} expects it.
    function commitmentOf(
        uint256 auctionId,
        address bidder,
        uint256 unitPrice,
        uint256 quantity,
        bytes32 salt
    ) external pure returns (bytes32);

    /// @notice The compliance registry that reserves volume and mints allowances.
    function compliance() external view returns (IComplianceRegistry);

    /// @notice The treasury that receives proceeds.
    function treasury() external view returns (address);

    /// @notice Whether the auction house is paused.
    function paused() external view returns (bool);
}
