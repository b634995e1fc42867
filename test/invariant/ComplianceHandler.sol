// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {AllowanceAuction} from "../../contracts/compliance/AllowanceAuction.sol";
import {ComplianceRegistry} from "../../contracts/compliance/ComplianceRegistry.sol";
import {EmissionsLedger} from "../../contracts/emissions/EmissionsLedger.sol";
import {IAllowanceAuction} from "../../contracts/interfaces/IAllowanceAuction.sol";
import {IComplianceRegistry} from "../../contracts/interfaces/IComplianceRegistry.sol";
import {IEmissionAllowance} from "../../contracts/interfaces/IEmissionAllowance.sol";
import {IEmissionsLedger} from "../../contracts/interfaces/IEmissionsLedger.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";
import {EmissionAllowance} from "../../contracts/token/EmissionAllowance.sol";

import {OutcomeLedger} from "./OutcomeLedger.sol";

/// @notice Drives the compliance system with bounded random allocations, attestations and corrections, allowance
/// trades, surrenders (with banking), settlements, freezes, time, and sealed-bid auctions (open, commit, reveal,
/// settle, claim); keeps a model of every allowance balance, period counter, obligation and auction escrow, and
/// records every call whose outcome (success or exact revert reason) differs from the model, and every compliance
/// status that goes from compliant back to pending or changes after settlement.
contract ComplianceHandler is OutcomeLedger, CommonBase, StdUtils {
    enum Action {
        Allocate,
        Attest,
        Transfer,
        Surrender,
        Settle,
        Freeze,
        Unfreeze,
        Warp,
        OpenAuction,
        Commit,
        Reveal,
        SettleAuction,
        Claim
    }

    struct BidModel {
        address bidder;
        uint256 auctionId;
        uint256 deposit;
        uint256 price;
        uint256 quantity;
        bytes32 salt;
        bool revealed;
        bool claimed;
    }

    uint256 internal constant ACTORS = 3;
    uint256 internal constant SECTOR = 1;
    uint256 internal constant MAX_AMOUNT = 50_000;
    uint256 internal constant MAX_PRICE = 1_000;
    uint256 internal constant MAX_AUCTIONS = 6;
    uint256 internal constant MAX_BIDS = 40;

    ComplianceRegistry public immutable compliance;
    EmissionsLedger public immutable ledger;
    EmissionAllowance public immutable allowance;
    AllowanceAuction public immutable auction;
    ERC20Mock public immutable usdc;

    address[] public actors;
    uint64[] public periods;

    // ---------------------------------------------------------------- the model
    mapping(address account => mapping(uint64 period => uint256)) public balanceOf;
    mapping(uint64 period => uint256) public allocated;
    mapping(uint64 period => uint256) public auctioned;
    mapping(uint64 period => uint256) public burned;
    mapping(uint256 installationId => mapping(uint64 period => bool)) public attested;
    mapping(uint256 installationId => mapping(uint64 period => uint256)) public emissionsOf;
    mapping(uint256 installationId => mapping(uint64 period => uint256)) public surrenderedOf;
    mapping(uint256 installationId => mapping(uint64 period => uint256)) public makeGoodOf;
    mapping(uint256 installationId => mapping(uint64 period => bool)) public settled;
    mapping(address account => bool) public frozen;
    mapping(uint256 bidId => BidModel) internal _bids;
    uint256 public bidCount;
    uint256 public auctionCount;
    uint256 public escrow;

    // ---------------------------------------------------------------- status history
    mapping(uint256 installationId => mapping(uint64 period => IComplianceRegistry.ComplianceStatus)) public lastStatus;
    uint256 public statusRegressions;

    constructor(
        ComplianceRegistry compliance_,
        AllowanceAuction auction_,
        ERC20Mock usdc_,
        address[] memory actors_,
        uint64[] memory periods_
    ) {
        compliance = compliance_;
        ledger = EmissionsLedger(address(compliance_.ledger()));
        allowance = EmissionAllowance(address(compliance_.allowance()));
        auction = auction_;
        usdc = usdc_;
        actors = actors_;
        periods = periods_;
        for (uint256 i = 0; i < actors_.length; ++i) {
            usdc_.mint(actors_[i], 1e30);
            vm.prank(actors_[i]);
            usdc_.approve(address(auction_), type(uint256).max);
        }
    }

    // ================================================================ compliance actions

    /// @notice The handler (REGULATOR) allocates to an installation; amounts may exceed the free-allocation room.
    function allocate(uint256 instSeed, uint256 periodSeed, uint256 amount) public {
        uint256 inst = (instSeed % ACTORS) + 1;
        uint64 period = _period(periodSeed);
        amount = _bound(amount, 0, MAX_AMOUNT * 100);
        IComplianceRegistry.Period memory p = compliance.getPeriod(period);
        uint256 room = p.config.cap - p.config.auctionVolume - allocated[period];
        address operator = actors[inst - 1];

        bytes memory expected;
        if (block.timestamp >= p.config.surrenderDeadline) {
            expected = abi.encodeWithSelector(
                IComplianceRegistry.ComplianceAllocationClosed.selector,
                period,
                p.config.surrenderDeadline
            );
        } else if (amount > room) {
            expected = abi.encodeWithSelector(IComplianceRegistry.ComplianceCapExceeded.selector, period, amount, room);
        } else if (amount == 0) expected = abi.encodeWithSelector(IComplianceRegistry.ComplianceZeroAmount.selector);
        else if (frozen[operator]) expected = _frozenError(operator);

        (bool ok, bytes memory ret) = _call(
            address(compliance),
            abi.encodeCall(compliance.allocate, (period, inst, amount))
        );
        if (_expectOutcome(Action.Allocate, ok, ret, expected)) {
            allocated[period] += amount;
            balanceOf[operator][period] += amount;
        }
        _checkChain(Action.Allocate);
    }

    /// @notice The handler (an accredited verifier) attests an installation's emissions, or corrects them.
    function attest(uint256 instSeed, uint256 periodSeed, uint256 emissions) public {
        uint256 inst = (instSeed % ACTORS) + 1;
        uint64 period = _period(periodSeed);
        emissions = _bound(emissions, 0, MAX_AMOUNT);
        address entity = compliance.entityOf(inst);
        uint64 deadline = ledger.reportingDeadline(period);

        bytes memory expected;
        if (block.timestamp >= deadline) {
            expected = abi.encodeWithSelector(IEmissionsLedger.LedgerReportingClosed.selector, period, deadline);
        }
        bytes memory data = attested[inst][period]
            ? abi.encodeCall(ledger.correct, (entity, period, emissions, keccak256("evidence"), keccak256("fix"), ""))
            : abi.encodeCall(ledger.attest, (entity, period, uint32(SECTOR), emissions, keccak256("evidence"), ""));
        (bool ok, bytes memory ret) = _call(address(ledger), data);
        if (_expectOutcome(Action.Attest, ok, ret, expected)) {
            attested[inst][period] = true;
            emissionsOf[inst][period] = emissions;
        }
        _checkChain(Action.Attest);
    }

    /// @notice An operator sends allowances of a period to another (trading).
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 periodSeed, uint256 amount) public {
        address from = actors[fromSeed % ACTORS];
        address to = actors[toSeed % ACTORS];
        uint64 period = _period(periodSeed);
        amount = _bound(amount, 0, balanceOf[from][period] + 1);

        bytes memory expected;
        if (frozen[from]) expected = _frozenError(from);
        else if (frozen[to]) expected = _frozenError(to);
        else if (amount > balanceOf[from][period]) {
            expected = abi.encodeWithSelector(
                IERC1155Errors.ERC1155InsufficientBalance.selector,
                from,
                balanceOf[from][period],
                amount,
                uint256(period)
            );
        }
        vm.prank(from);
        (bool ok, bytes memory ret) = _call(
            address(allowance),
            abi.encodeCall(allowance.safeTransferFrom, (from, to, period, amount, ""))
        );
        if (_expectOutcome(Action.Transfer, ok, ret, expected)) {
            balanceOf[from][period] -= amount;
            balanceOf[to][period] += amount;
        }
        _checkChain(Action.Transfer);
    }

    /// @notice An operator surrenders allowances of `fromSeed`'s period (possibly a later one) for a period.
    function surrender(uint256 instSeed, uint256 periodSeed, uint256 fromSeed, uint256 amount) public {
        uint256 inst = (instSeed % ACTORS) + 1;
        address operator = actors[inst - 1];
        uint64 period = _period(periodSeed);
        uint64 fromPeriod = _period(fromSeed);
        amount = _bound(amount, 1, balanceOf[operator][fromPeriod] + 1);
        bytes memory expected = _predictSurrender(period, fromPeriod, operator, amount);

        uint64[] memory fromPeriods = new uint64[](1);
        fromPeriods[0] = fromPeriod;
        uint256[] memory amounts = new uint256[](1);
        amounts[0] = amount;
        vm.prank(operator);
        (bool ok, bytes memory ret) = _call(
            address(compliance),
            abi.encodeCall(compliance.surrenderAllowances, (inst, period, fromPeriods, amounts))
        );
        if (_expectOutcome(Action.Surrender, ok, ret, expected)) {
            balanceOf[operator][fromPeriod] -= amount;
            burned[fromPeriod] += amount;
            surrenderedOf[inst][period] += amount;
        }
        _checkChain(Action.Surrender);
    }

    /// @notice The handler (REGULATOR) settles an installation and period.
    function settle(uint256 instSeed, uint256 periodSeed) public {
        uint256 inst = (instSeed % ACTORS) + 1;
        uint64 period = _period(periodSeed);
        uint64 deadline = compliance.getPeriod(period).config.surrenderDeadline;
        bytes memory expected;
        if (block.timestamp < deadline) {
            expected = abi.encodeWithSelector(
                IComplianceRegistry.ComplianceSettlementNotOpen.selector,
                period,
                deadline
            );
        } else if (settled[inst][period]) {
            expected = abi.encodeWithSelector(IComplianceRegistry.ComplianceAlreadySettled.selector, inst, period);
        }
        (bool ok, bytes memory ret) = _call(address(compliance), abi.encodeCall(compliance.settle, (inst, period)));
        if (_expectOutcome(Action.Settle, ok, ret, expected)) {
            settled[inst][period] = true;
            // Without a statement the obligation is the make-good carried in (emissions count as 0).
            uint256 obligation = emissionsOf[inst][period] + makeGoodOf[inst][period];
            if (surrenderedOf[inst][period] < obligation) {
                uint64 target = period + 1;
                while (ledger.isReportingClosed(target)) ++target;
                makeGoodOf[inst][target] += obligation - surrenderedOf[inst][period];
            }
        }
        _checkChain(Action.Settle);
    }

    /// @notice The handler (REGULATOR) freezes an operator on the allowance token.
    function freeze(uint256 actorSeed) public {
        address account = actors[actorSeed % ACTORS];
        bytes memory expected;
        if (frozen[account]) {
            expected = abi.encodeWithSelector(IEmissionAllowance.AllowanceFreezeUnchanged.selector, account, true);
        }
        (bool ok, bytes memory ret) = _call(address(allowance), abi.encodeCall(allowance.freeze, (account, "")));
        if (_expectOutcome(Action.Freeze, ok, ret, expected)) frozen[account] = true;
    }

    /// @notice The handler (REGULATOR) unfreezes an operator.
    function unfreeze(uint256 actorSeed) public {
        address account = actors[actorSeed % ACTORS];
        bytes memory expected;
        if (!frozen[account]) {
            expected = abi.encodeWithSelector(IEmissionAllowance.AllowanceFreezeUnchanged.selector, account, false);
        }
        (bool ok, bytes memory ret) = _call(address(allowance), abi.encodeCall(allowance.unfreeze, (account, "")));
        if (_expectOutcome(Action.Unfreeze, ok, ret, expected)) frozen[account] = false;
    }

    /// @notice Time passes (1 second to 8 days).
    function warp(uint256 seconds_) public {
        vm.warp(block.timestamp + _bound(seconds_, 1, 8 days));
        ++_succeeded[uint256(Action.Warp)];
        _checkChain(Action.Warp);
    }

    // ================================================================ auction actions

    /// @notice The handler (REGULATOR) opens an auction of a period: bidding for a day, reveal for another.
    function openAuction(uint256 periodSeed, uint256 volume, uint256 reserve) public {
        if (auctionCount >= MAX_AUCTIONS) return;
        uint64 period = _period(periodSeed);
        volume = _bound(volume, 1, MAX_AMOUNT);
        reserve = _bound(reserve, 1, MAX_PRICE / 2);
        IComplianceRegistry.Period memory p = compliance.getPeriod(period);
        uint256 available = p.config.auctionVolume - p.auctioned - p.auctionReserved;
        bytes memory expected;
        if (block.timestamp >= p.config.surrenderDeadline) {
            expected = abi.encodeWithSelector(
                IComplianceRegistry.ComplianceAllocationClosed.selector,
                period,
                p.config.surrenderDeadline
            );
        } else if (volume > available) {
            expected = abi.encodeWithSelector(
                IComplianceRegistry.ComplianceAuctionVolumeExceeded.selector,
                period,
                volume,
                available
            );
        }
        uint64 start = uint64(block.timestamp);
        (bool ok, bytes memory ret) = _call(
            address(auction),
            abi.encodeCall(
                auction.openAuction,
                (period, volume, reserve, address(usdc), start, start + 1 days, start + 2 days)
            )
        );
        if (_expectOutcome(Action.OpenAuction, ok, ret, expected)) ++auctionCount;
        _checkChain(Action.OpenAuction);
    }

    /// @notice An actor commits a sealed bid on an auction; deposit mode 0 of 4 is one unit short.
    function commit(uint256 actorSeed, uint256 auctionSeed, uint256 price, uint256 quantity, uint256 mode) public {
        if (auctionCount == 0 || bidCount >= MAX_BIDS) return;
        BidModel memory bid;
        bid.bidder = actors[actorSeed % ACTORS];
        bid.auctionId = (auctionSeed % auctionCount) + 1;
        bid.price = _bound(price, 1, MAX_PRICE);
        bid.quantity = _bound(quantity, 1, MAX_AMOUNT);
        bid.deposit = bid.price * bid.quantity - (mode % 4 == 0 ? 1 : 0);
        bid.salt = keccak256(abi.encode(bidCount, bid.bidder));
        bytes memory expected = _predictCommit(bid.auctionId, bid.deposit);
        bytes32 commitment = auction.commitmentOf(bid.auctionId, bid.bidder, bid.price, bid.quantity, bid.salt);
        vm.prank(bid.bidder);
        (bool ok, bytes memory ret) = _call(
            address(auction),
            abi.encodeCall(auction.commitBid, (bid.auctionId, commitment, bid.deposit))
        );
        if (_expectOutcome(Action.Commit, ok, ret, expected)) {
            _bids[++bidCount] = bid;
            escrow += bid.deposit;
        }
        _checkChain(Action.Commit);
    }

    function _predictCommit(uint256 auctionId, uint256 deposit) private view returns (bytes memory) {
        IAllowanceAuction.Auction memory a = auction.getAuction(auctionId);
        if (block.timestamp >= a.biddingEnd) {
            return
                abi.encodeWithSelector(
                    IAllowanceAuction.AuctionNotBidding.selector,
                    auctionId,
                    a.biddingStart,
                    a.biddingEnd
                );
        }
        if (deposit == 0) return abi.encodeWithSelector(IAllowanceAuction.AuctionZeroAmount.selector);
        return "";
    }

    /// @notice A bidder reveals its bid.
    function reveal(uint256 bidSeed) public {
        if (bidCount == 0) return;
        uint256 bidId = (bidSeed % bidCount) + 1;
        BidModel storage bid = _bids[bidId];
        IAllowanceAuction.Auction memory a = auction.getAuction(bid.auctionId);
        bytes memory expected;
        if (block.timestamp < a.biddingEnd || block.timestamp >= a.revealEnd) {
            expected = abi.encodeWithSelector(
                IAllowanceAuction.AuctionNotRevealing.selector,
                bid.auctionId,
                a.biddingEnd,
                a.revealEnd
            );
        } else if (bid.revealed) {
            expected = abi.encodeWithSelector(IAllowanceAuction.AuctionAlreadyRevealed.selector, bidId);
        } else if (bid.price < a.reservePrice) {
            expected = abi.encodeWithSelector(
                IAllowanceAuction.AuctionBelowReserve.selector,
                bidId,
                bid.price,
                a.reservePrice
            );
        } else if (bid.price * bid.quantity > bid.deposit) {
            expected = abi.encodeWithSelector(
                IAllowanceAuction.AuctionInsufficientEscrow.selector,
                bidId,
                bid.price * bid.quantity,
                bid.deposit
            );
        }
        vm.prank(bid.bidder);
        (bool ok, bytes memory ret) = _call(
            address(auction),
            abi.encodeCall(auction.revealBid, (bidId, bid.price, bid.quantity, bid.salt, 0))
        );
        if (_expectOutcome(Action.Reveal, ok, ret, expected)) bid.revealed = true;
        _checkChain(Action.Reveal);
    }

    /// @notice Anyone settles an auction, one or two price levels at a time.
    function settleAuction(uint256 auctionSeed, uint256 maxLevels) public {
        if (auctionCount == 0) return;
        uint256 auctionId = (auctionSeed % auctionCount) + 1;
        IAllowanceAuction.Auction memory a = auction.getAuction(auctionId);
        bytes memory expected;
        if (a.settled) expected = abi.encodeWithSelector(IAllowanceAuction.AuctionAlreadySettled.selector, auctionId);
        else if (block.timestamp < a.revealEnd) {
            expected = abi.encodeWithSelector(IAllowanceAuction.AuctionRevealOpen.selector, auctionId, a.revealEnd);
        }
        (bool ok, bytes memory ret) = _call(
            address(auction),
            abi.encodeCall(auction.settle, (auctionId, _bound(maxLevels, 1, 2)))
        );
        _expectOutcome(Action.SettleAuction, ok, ret, expected);
        _checkChain(Action.SettleAuction);
    }

    /// @notice Anyone claims a bid of a settled auction for its bidder.
    function claim(uint256 bidSeed) public {
        if (bidCount == 0) return;
        uint256 bidId = (bidSeed % bidCount) + 1;
        BidModel storage bid = _bids[bidId];
        IAllowanceAuction.Auction memory a = auction.getAuction(bid.auctionId);
        bytes memory expected;
        uint256 allocation;
        if (!a.settled) expected = abi.encodeWithSelector(IAllowanceAuction.AuctionNotSettled.selector, bid.auctionId);
        else if (bid.claimed)
            expected = abi.encodeWithSelector(IAllowanceAuction.AuctionAlreadyClaimed.selector, bidId);
        else {
            (allocation, , ) = auction.allocationOf(bidId);
            if (allocation != 0 && frozen[bid.bidder]) expected = _frozenError(bid.bidder);
        }
        (bool ok, bytes memory ret) = _call(address(auction), abi.encodeCall(auction.claim, (bidId)));
        if (_expectOutcome(Action.Claim, ok, ret, expected)) {
            bid.claimed = true;
            escrow -= bid.deposit;
            uint64 period = a.period;
            auctioned[period] += allocation;
            balanceOf[bid.bidder][period] += allocation;
        }
        _checkChain(Action.Claim);
    }

    // ================================================================ views

    /// @notice Statuses that went from compliant back to something else, or changed after settlement.
    function regressions() external view returns (uint256) {
        return statusRegressions;
    }

    /// @notice Successful calls of `action`.
    function succeeded(Action action) external view returns (uint256) {
        return _succeeded[uint256(action)];
    }

    /// @notice Calls of `action` refused as the model predicted.
    function rejected(Action action) external view returns (uint256) {
        return _rejected[uint256(action)];
    }

    /// @notice Number of actors (operators of installations 1..3, also bidders).
    function actorCount() external pure returns (uint256) {
        return ACTORS;
    }

    /// @notice Number of periods driven.
    function periodCount() external view returns (uint256) {
        return periods.length;
    }

    // ================================================================ internals

    function _predictSurrender(
        uint64 period,
        uint64 fromPeriod,
        address operator,
        uint256 amount
    ) private view returns (bytes memory) {
        uint64 opensAt = ledger.reportingDeadline(period);
        uint64 deadline = compliance.getPeriod(period).config.surrenderDeadline;
        if (block.timestamp < opensAt) {
            return abi.encodeWithSelector(IComplianceRegistry.ComplianceSurrenderNotOpen.selector, period, opensAt);
        }
        if (block.timestamp >= deadline) {
            return abi.encodeWithSelector(IComplianceRegistry.ComplianceSurrenderClosed.selector, period, deadline);
        }
        if (fromPeriod > period) {
            return abi.encodeWithSelector(IComplianceRegistry.ComplianceFutureAllowances.selector, period, fromPeriod);
        }
        // A frozen operator still surrenders: the burn only reduces its holdings.
        uint256 balance = balanceOf[operator][fromPeriod];
        if (amount > balance) {
            return
                abi.encodeWithSelector(
                    IERC1155Errors.ERC1155InsufficientBalance.selector,
                    operator,
                    balance,
                    amount,
                    uint256(fromPeriod)
                );
        }
        return "";
    }

    /// @dev Compares balances, period counters and the auction escrow with the model, and records status regressions.
    function _checkChain(Action action) private {
        for (uint256 j = 0; j < periods.length; ++j) {
            uint64 period = periods[j];
            IComplianceRegistry.Period memory p = compliance.getPeriod(period);
            if (p.allocated != allocated[period] || p.auctioned != auctioned[period] || p.burned != burned[period]) {
                _violation(action, "period counters vs model", abi.encode(period));
            }
            for (uint256 i = 0; i < ACTORS; ++i) {
                if (allowance.balanceOf(actors[i], period) != balanceOf[actors[i]][period]) {
                    _violation(action, "allowance balance vs model", abi.encode(actors[i], period));
                }
                _checkStatus(i + 1, period);
            }
        }
        if (usdc.balanceOf(address(auction)) != escrow) _violation(action, "auction escrow vs model", "");
    }

    function _checkStatus(uint256 inst, uint64 period) private {
        IComplianceRegistry.ComplianceStatus status = compliance.statusOf(inst, period);
        IComplianceRegistry.ComplianceStatus last = lastStatus[inst][period];
        bool wasFinal = last == IComplianceRegistry.ComplianceStatus.Compliant ||
            last == IComplianceRegistry.ComplianceStatus.NonCompliant;
        if (last == IComplianceRegistry.ComplianceStatus.Compliant && status != last) ++statusRegressions;
        if (wasFinal && settled[inst][period] && status != last) ++statusRegressions;
        lastStatus[inst][period] = status;
    }

    function _call(address target, bytes memory data) private returns (bool ok, bytes memory ret) {
        // solhint-disable-next-line avoid-low-level-calls
        (ok, ret) = target.call(data);
    }

    function _expectOutcome(Action action, bool ok, bytes memory ret, bytes memory expected) private returns (bool) {
        return _recordOutcome(uint256(action), ok, ret, expected);
    }

    function _violation(Action action, string memory what, bytes memory data) private {
        _recordViolation(uint256(action), what, data);
    }

    function _period(uint256 seed) private view returns (uint64) {
        return periods[seed % periods.length];
    }

    function _frozenError(address account) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IEmissionAllowance.AllowanceAccountFrozen.selector, account);
    }
}
