// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IAllowanceAuction} from "../interfaces/IAllowanceAuction.sol";
import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {EscrowShares} from "../libraries/EscrowShares.sol";
import {MeasuredTransfer} from "../libraries/MeasuredTransfer.sol";

/**
 * @title AllowanceAuction
 * @notice Sealed-bid (commit-reveal), uniform-price auctions of emission allowances with escrowed deposits. Revealed
 * bids are grouped by price in a descending list of price levels, so settlement visits price levels, never bids, and
 * can run in pages; each bid is then claimed in O(1). Deposits are measured on arrival (a token that delivers less is
 * refused) and held as shares of the auction house's balance of their payment token ({EscrowShares}), so a token whose
 * balances change later on their own (rebasing) moves every deposit pro rata and no claim can strand another.
 *
 * @custom:security-contact security@cnt.example
 */
contract AllowanceAuction is AccessManaged, Pausable, ReentrancyGuardTransient, IAllowanceAuction, IERC165 {
    using SafeERC20 for IERC20;

    uint16 private constant _BPS = 10_000;

    /// @inheritdoc IAllowanceAuction
    uint16 public constant UNREVEALED_FORFEIT_BPS = 1_000;

    IComplianceRegistry private immutable _compliance;

    address private _treasury;
    uint64 private _auctionCount;
    uint64 private _bidCount;
    mapping(uint256 auctionId => Auction) private _auctions;
    mapping(uint256 bidId => Bid) private _bids;
    mapping(uint256 auctionId => mapping(uint256 price => Level)) private _levels;
    mapping(address paymentToken => uint256 shares) private _depositShares;

    /**
     * @param authority The AccessManager that governs this auction house.
     * @param compliance_ The compliance registry that reserves auction volume and mints allowances.
     * @param treasury_ The account that receives proceeds.
     */
    constructor(address authority, IComplianceRegistry compliance_, address treasury_) AccessManaged(authority) {
        if (treasury_ == address(0)) revert AuctionInvalidAccount(treasury_);
        _compliance = compliance_;
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ------------------------------------------------------------------------------------------ auctions

    /// @inheritdoc IAllowanceAuction
    function openAuction(
        uint64 period,
        uint256 volume,
        uint256 reservePrice,
        address paymentToken,
        uint64 biddingStart,
        uint64 biddingEnd,
        uint64 revealEnd
    ) external restricted whenNotPaused nonReentrant returns (uint256 auctionId) {
        if (volume == 0 || reservePrice == 0) revert AuctionZeroAmount();
        _fits(volume, type(uint128).max);
        _fits(reservePrice, type(uint128).max);
        if (paymentToken == address(0)) revert AuctionInvalidAccount(paymentToken);
        if (biddingEnd <= block.timestamp || biddingStart >= biddingEnd || biddingEnd >= revealEnd)
            revert AuctionInvalidWindow(biddingStart, biddingEnd, revealEnd);

        auctionId = ++_auctionCount;
        Auction storage a = _auctions[auctionId];
        a.period = period;
        a.biddingStart = biddingStart;
        a.biddingEnd = biddingEnd;
        a.revealEnd = revealEnd;
        a.paymentToken = paymentToken;
        a.volume = uint128(volume);
        a.reservePrice = uint128(reservePrice);
        emit AuctionOpened(auctionId, period, paymentToken, volume, reservePrice, biddingStart, biddingEnd, revealEnd);
        _compliance.reserveAuctionVolume(period, auctionId, volume);
    }

    /// @inheritdoc IAllowanceAuction
    function commitBid(
        uint256 auctionId,
        bytes32 commitment,
        uint256 deposit
    ) external whenNotPaused nonReentrant returns (uint256 bidId) {
        Auction storage a = _auction(auctionId);
        if (block.timestamp < a.biddingStart || block.timestamp >= a.biddingEnd)
            revert AuctionNotBidding(auctionId, a.biddingStart, a.biddingEnd);
        if (commitment == bytes32(0)) revert AuctionInvalidCommitment();
        if (deposit == 0) revert AuctionZeroAmount();
        _fits(deposit, type(uint128).max);

        IERC20 token = IERC20(a.paymentToken);
        uint256 totalShares = _depositShares[address(token)];
        uint256 shares = EscrowShares.sharesFor(deposit, totalShares, token.balanceOf(address(this)));
        _fits(shares, type(uint128).max);
        _depositShares[address(token)] = totalShares + shares;

        bidId = ++_bidCount;
        _bids[bidId] = Bid({
            bidder: msg.sender,
            auctionId: uint64(auctionId),
            revealed: false,
            claimed: false,
            commitment: commitment,
            deposit: uint128(deposit),
            unitPrice: 0,
            quantity: 0,
            shares: uint128(shares)
        });
        ++a.bidCount;
        emit BidCommitted(auctionId, bidId, msg.sender, deposit);

        uint256 received = MeasuredTransfer.transferFromMeasured(token, msg.sender, address(this), deposit);
        if (received != deposit) revert AuctionShortPayment(address(token), deposit, received);
    }

    /// @inheritdoc IAllowanceAuction
    function revealBid(
        uint256 bidId,
        uint256 unitPrice,
        uint256 quantity,
        bytes32 salt,
        uint256 hintPrice
    ) external whenNotPaused nonReentrant {
        Bid storage bid = _bid(bidId);
        uint256 auctionId = bid.auctionId;
        Auction storage a = _auctions[auctionId];
        if (block.timestamp < a.biddingEnd || block.timestamp >= a.revealEnd)
            revert AuctionNotRevealing(auctionId, a.biddingEnd, a.revealEnd);
        if (bid.bidder != msg.sender) revert AuctionNotBidder(bidId, msg.sender);
        if (bid.revealed) revert AuctionAlreadyRevealed(bidId);
        if (commitmentOf(auctionId, msg.sender, unitPrice, quantity, salt) != bid.commitment)
            revert AuctionCommitmentMismatch(bidId);
        if (quantity == 0) revert AuctionZeroAmount();
        if (unitPrice < a.reservePrice) revert AuctionBelowReserve(bidId, unitPrice, a.reservePrice);
        // The deposit is below 2^128, so a covered quantity and price are too: the casts below are safe.
        if (quantity > bid.deposit || unitPrice > bid.deposit || quantity * unitPrice > bid.deposit)
            revert AuctionInsufficientEscrow(bidId, _product(quantity, unitPrice), bid.deposit);

        bid.revealed = true;
        bid.unitPrice = uint128(unitPrice);
        bid.quantity = uint128(quantity);
        a.revealedDemand += uint128(quantity);
        Level storage level = _levels[auctionId][unitPrice];
        if (level.demand == 0) _insertLevel(a, auctionId, unitPrice, hintPrice);
        level.demand += uint128(quantity);
        ++level.bids;
        emit BidRevealed(auctionId, bidId, msg.sender, unitPrice, quantity);
    }

    /// @inheritdoc IAllowanceAuction
    function settle(uint256 auctionId, uint256 maxLevels) external whenNotPaused nonReentrant returns (bool done) {
        Auction storage a = _auction(auctionId);
        if (a.settled) revert AuctionAlreadySettled(auctionId);
        if (block.timestamp < a.revealEnd) revert AuctionRevealOpen(auctionId, a.revealEnd);
        if (maxLevels == 0) revert AuctionZeroAmount();

        uint256 volume = a.volume;
        // A settlement that ran out of levels before resumes at its cursor.
        uint256 price = a.cursor != 0 ? a.cursor : a.highestLevel;
        uint256 demandAbove = a.demandAbove;
        for (uint256 visited = 0; price != 0; ++visited) {
            if (visited == maxLevels) {
                a.cursor = uint128(price);
                a.demandAbove = uint128(demandAbove);
                emit SettlementProgressed(auctionId, visited, price);
                return false;
            }
            Level storage level = _levels[auctionId][price];
            uint256 demand = level.demand;
            uint256 next = level.nextLower;
            // The clearing level: the one that fills the volume, or the lowest one when demand falls short.
            if (demandAbove + demand >= volume || next == 0) {
                uint256 fill = demandAbove + demand >= volume ? volume - demandAbove : demand;
                a.clearingPrice = uint128(price);
                a.marginalDemand = uint128(demand);
                a.marginalFill = uint128(fill);
                a.marginalBids = level.bids;
                a.demandAbove = uint128(demandAbove);
                break;
            }
            demandAbove += demand;
            price = next;
        }
        a.settled = true;
        a.cursor = 0;
        uint256 sold = uint256(a.demandAbove) + a.marginalFill;
        emit AuctionSettled(auctionId, a.clearingPrice, sold, a.marginalDemand, a.marginalFill);
        // The marginal level's allocations add up to `marginalFill` exactly (see {allocationOf}), so what is not sold
        // is all that is not allocated: it goes back now, and nothing stays reserved beyond what winners are owed.
        if (sold < volume) _compliance.releaseAuctionVolume(auctionId, volume - sold);
        return true;
    }

    /// @inheritdoc IAllowanceAuction
    function claim(uint256 bidId) external whenNotPaused nonReentrant {
        _claim(bidId);
    }

    /// @inheritdoc IAllowanceAuction
    function claimMany(uint256[] calldata bidIds) external whenNotPaused nonReentrant {
        for (uint256 i = 0; i < bidIds.length; ++i) _claim(bidIds[i]);
    }

    // ------------------------------------------------------------------------------------------ governance

    /// @inheritdoc IAllowanceAuction
    function setTreasury(address treasury_) external restricted whenNotPaused nonReentrant {
        if (treasury_ == address(0)) revert AuctionInvalidAccount(treasury_);
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc IAllowanceAuction
    function pause() external restricted whenNotPaused nonReentrant {
        _pause();
    }

    /// @inheritdoc IAllowanceAuction
    // The guard before `whenPaused`: a re-entrant call is refused by the guard itself, paused or not.
    function unpause() external restricted nonReentrant whenPaused {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc IAllowanceAuction
    function getAuction(uint256 auctionId) external view returns (Auction memory) {
        return _auction(auctionId);
    }

    /// @inheritdoc IAllowanceAuction
    function getBid(uint256 bidId) external view returns (Bid memory) {
        return _bid(bidId);
    }

    /// @inheritdoc IAllowanceAuction
    function counts() external view returns (uint256 auctions, uint256 bids) {
        return (_auctionCount, _bidCount);
    }

    /// @inheritdoc IAllowanceAuction
    function getLevel(uint256 auctionId, uint256 price) external view returns (Level memory) {
        _auction(auctionId);
        return _levels[auctionId][price];
    }

    /// @inheritdoc IAllowanceAuction
    function allocationOf(uint256 bidId) public view returns (uint256 allocation, uint256 paid, uint256 refund) {
        Bid storage bid = _bid(bidId);
        Auction storage a = _auctions[bid.auctionId];
        if (!a.settled) revert AuctionNotSettled(bid.auctionId);
        if (bid.revealed) {
            uint256 clearing = a.clearingPrice;
            if (bid.unitPrice > clearing) allocation = bid.quantity;
            else if (bid.unitPrice == clearing) {
                // Cumulative rounding in claim order: the marginal bids claimed so far asked for
                // `marginalClaimedDemand` and received `marginalIssued == floor(marginalClaimedDemand × fill / demand)`;
                // this bid receives the floor of the cumulative share up to it, less that. Each marginal bid thus
                // receives its exact pro rata share rounded down or up, and together exactly `marginalFill`.
                // SMT: marginalClaimedDemand + quantity <= marginalDemand < 2^128 and marginalFill < 2^128.
                uint256 upTo = uint256(a.marginalClaimedDemand) + bid.quantity;
                allocation = (upTo * a.marginalFill) / a.marginalDemand - a.marginalIssued;
            }
            paid = allocation * clearing;
        } else {
            // An unrevealed bid forfeits UNREVEALED_FORFEIT_BPS of its deposit, rounded up, to the treasury.
            // SMT: deposit < 2^128, so the product is below 2^138.
            paid = (uint256(bid.deposit) * UNREVEALED_FORFEIT_BPS + (_BPS - 1)) / _BPS;
        }
        refund = bid.deposit - paid;
    }

    /// @inheritdoc IAllowanceAuction
    function commitmentOf(
        uint256 auctionId,
        address bidder,
        uint256 unitPrice,
        uint256 quantity,
        bytes32 salt
    ) public pure returns (bytes32) {
        return keccak256(abi.encode(auctionId, bidder, unitPrice, quantity, salt));
    }

    /// @inheritdoc IAllowanceAuction
    function compliance() external view returns (IComplianceRegistry) {
        return _compliance;
    }

    /// @inheritdoc IAllowanceAuction
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IAllowanceAuction
    function paused() public view override(Pausable, IAllowanceAuction) returns (bool) {
        return super.paused();
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IAllowanceAuction).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ internals

    function _claim(uint256 bidId) private {
        (uint256 allocation, uint256 paid, uint256 refund) = allocationOf(bidId);
        Bid storage bid = _bids[bidId];
        if (bid.claimed) revert AuctionAlreadyClaimed(bidId);
        bid.claimed = true;
        uint256 auctionId = bid.auctionId;
        Auction storage a = _auctions[auctionId];
        address bidder = bid.bidder;
        if (bid.revealed && bid.unitPrice == a.clearingPrice) {
            // SMT: the marginal claims' demand adds up to at most `marginalDemand` < 2^128, their allocations to
            // `marginalFill`, their count to `marginalBids` < 2^32.
            a.marginalClaimedDemand += bid.quantity;
            a.marginalIssued += uint128(allocation);
            ++a.marginalClaimed;
        }
        IERC20 token = IERC20(a.paymentToken);
        (paid, refund) = _payFromDeposit(bid, token, paid);
        if (!bid.revealed) emit BidForfeited(auctionId, bidId, bidder, paid);
        emit BidClaimed(auctionId, bidId, bidder, allocation, paid, refund);

        if (paid != 0) token.safeTransfer(_treasury, paid);
        if (refund != 0) token.safeTransfer(bidder, refund);
        if (allocation != 0) _compliance.issueAuctioned(auctionId, bidder, allocation);
    }

    /// @dev Burns a claimed bid's deposit shares: `owed` to the treasury (the shares for it rounded up, in the pool's
    /// favour) and what the rest are worth back to the bidder. For an ordinary token that is exactly `owed` and the
    /// deposit less `owed`. When the token's balances fell on their own so the shares are worth less than `owed`, the
    /// treasury receives what they are worth and the bidder nothing: the claim still completes, so nobody's deposit
    /// or allocation is stranded.
    function _payFromDeposit(
        Bid storage bid,
        IERC20 token,
        uint256 owed
    ) private returns (uint256 paid, uint256 refund) {
        uint256 balance = token.balanceOf(address(this));
        uint256 totalShares = _depositShares[address(token)];
        uint256 owned = bid.shares;
        uint256 burned = EscrowShares.sharesFor(owed, totalShares, balance);
        unchecked {
            // burned <= owned <= totalShares in the first branch; `owed` <= the value of `owned` <= balance.
            if (burned <= owned) {
                paid = owed;
                refund = EscrowShares.valueOf(owned - burned, totalShares - burned, balance - owed);
            } else {
                paid = EscrowShares.valueOf(owned, totalShares, balance);
            }
            bid.shares = 0;
            _depositShares[address(token)] = totalShares - owned;
        }
    }

    /// @dev Links a new price level into the auction's descending list, walking down from `hintPrice` when it is an
    /// existing level above `price`, else from the highest level.
    function _insertLevel(Auction storage a, uint256 auctionId, uint256 price, uint256 hintPrice) private {
        mapping(uint256 => Level) storage levels = _levels[auctionId];
        ++a.levelCount;
        uint256 head = a.highestLevel;
        if (head == 0 || price > head) {
            levels[price].nextLower = uint128(head);
            a.highestLevel = uint128(price);
            return;
        }
        uint256 prev = hintPrice > price && levels[hintPrice].demand != 0 ? hintPrice : head;
        uint256 next = levels[prev].nextLower;
        while (next > price) {
            prev = next;
            next = levels[prev].nextLower;
        }
        levels[price].nextLower = uint128(next);
        levels[prev].nextLower = uint128(price);
    }

    function _auction(uint256 auctionId) private view returns (Auction storage a) {
        a = _auctions[auctionId];
        if (a.revealEnd == 0) revert AuctionUnknown(auctionId);
    }

    function _bid(uint256 bidId) private view returns (Bid storage bid) {
        bid = _bids[bidId];
        if (bid.bidder == address(0)) revert AuctionUnknownBid(bidId);
    }

    function _fits(uint256 value, uint256 max) private pure {
        if (value > max) revert AuctionValueTooLarge(value, max);
    }

    /// @dev `a × b`, saturating at the largest uint256 (for an error message only).
    function _product(uint256 a, uint256 b) private pure returns (uint256) {
        unchecked {
            uint256 p = a * b;
            return a != 0 && p / a != b ? type(uint256).max : p;
        }
    }
}
