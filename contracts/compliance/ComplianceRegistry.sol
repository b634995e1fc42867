// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IAllowanceAuction} from "../interfaces/IAllowanceAuction.sol";
import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation, CriteriaMismatch} from "../interfaces/ICarbonTypes.sol";
import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IEmissionAllowance} from "../interfaces/IEmissionAllowance.sol";
import {IEmissionsLedger} from "../interfaces/IEmissionsLedger.sol";
import {ClaimType, IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";
import {BatchMatching} from "../libraries/BatchMatching.sol";
import {Jurisdictions} from "../libraries/Jurisdictions.sol";
import {MeasuredTransfer} from "../libraries/MeasuredTransfer.sol";

/**
 * @title ComplianceRegistry
 * @notice Installations, compliance periods with a cap, free allocation and auction volume, surrender of allowances
 * (with banking) and of eligible credits up to an offset limit, settlement with penalties and make-good, and the
 * compliance status of every installation and period. Verified emissions come from the emissions ledger.
 *
 * @custom:security-contact security@cnt.example
 */
contract ComplianceRegistry is AccessManaged, Pausable, ReentrancyGuardTransient, IComplianceRegistry, IERC165 {
    using SafeERC20 for IERC20;
    using BatchMatching for *;

    uint16 private constant _BPS = 10_000;
    uint256 private constant _KG_PER_TONNE = 1_000;

    IEmissionsLedger private immutable _ledger;
    IRetirementRegistry private immutable _retirement;
    ICarbonRegistry private immutable _carbonRegistry;

    IEmissionAllowance private _allowance;
    address private _treasury;
    uint256 private _installationCount;
    mapping(uint256 installationId => Installation) private _installations;
    mapping(uint64 period => Period) private _periods;
    mapping(uint256 installationId => mapping(uint64 period => Account)) private _accounts;
    /// @dev The one auction contract bound by {bindAuction}, and what each of its auctions still has reserved.
    address private _auction;
    mapping(uint256 auctionId => AuctionReservation) private _reservations;
    mapping(uint64 period => CrossBorderRule) private _crossBorderRules;
    /// @dev Where an installation's make-good carried to a period not opened (yet) waits, and since when.
    mapping(uint256 installationId => MakeGoodDebt) private _makeGoodDebts;

    /**
     * @param authority The AccessManager that governs this registry.
     * @param ledger_ The emissions ledger verified emissions are read from.
     * @param retirement_ The retirement registry that retires surrendered credits (and whose carbon registry
     * profiles them).
     * @param treasury_ The account that receives penalties.
     */
    constructor(
        address authority,
        IEmissionsLedger ledger_,
        IRetirementRegistry retirement_,
        address treasury_
    ) AccessManaged(authority) {
        if (treasury_ == address(0)) revert ComplianceInvalidAccount(treasury_);
        _ledger = ledger_;
        _retirement = retirement_;
        _carbonRegistry = retirement_.carbonRegistry();
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    // ------------------------------------------------------------------------------------------ governance

    /// @inheritdoc IComplianceRegistry
    function initialize(IEmissionAllowance allowance_) external restricted {
        if (address(_allowance) != address(0)) revert ComplianceAlreadyInitialized();
        if (address(allowance_) == address(0)) revert ComplianceInvalidAccount(address(allowance_));
        _allowance = allowance_;
        emit AllowanceTokenSet(address(allowance_));
    }

    /// @inheritdoc IComplianceRegistry
    function registerInstallation(
        address operator,
        uint32 sector,
        string calldata jurisdiction
    ) external restricted whenNotPaused returns (uint256 installationId) {
        if (operator == address(0)) revert ComplianceInvalidAccount(operator);
        installationId = ++_installationCount;
        address entity = entityOf(installationId);
        bytes8 code = Jurisdictions.parse(jurisdiction);
        _installations[installationId] = Installation({
            operator: operator,
            sector: sector,
            closed: false,
            entity: entity,
            jurisdiction: code
        });
        emit InstallationRegistered(installationId, operator, entity, sector, code);
        _ledger.setEntityProfile(entity, operator, sector);
    }

    /// @inheritdoc IComplianceRegistry
    function setCrossBorderRule(uint64 period, CrossBorderRule rule) external restricted whenNotPaused {
        _period(period);
        _crossBorderRules[period] = rule;
        emit CrossBorderRuleSet(period, rule);
    }

    /// @inheritdoc IComplianceRegistry
    function updateOperator(uint256 installationId, address operator) external restricted whenNotPaused {
        Installation storage inst = _installation(installationId);
        if (operator == address(0)) revert ComplianceInvalidAccount(operator);
        address previous = inst.operator;
        inst.operator = operator;
        emit OperatorUpdated(installationId, previous, operator);
        _ledger.setEntityProfile(inst.entity, operator, inst.sector);
    }

    /// @inheritdoc IComplianceRegistry
    function closeInstallation(uint256 installationId) external restricted whenNotPaused {
        Installation storage inst = _installation(installationId);
        if (inst.closed) revert ComplianceInstallationClosed(installationId);
        inst.closed = true;
        emit InstallationClosed(installationId);
    }

    /// @inheritdoc IComplianceRegistry
    function openPeriod(uint64 period, PeriodConfig calldata config) external restricted whenNotPaused {
        Period storage p = _periods[period];
        if (p.opened) revert CompliancePeriodExists(period);
        uint64 reportingDeadline = _ledger.reportingDeadline(period);
        if (reportingDeadline <= block.timestamp) revert ComplianceReportingDeadlineNotSet(period);
        if (config.surrenderDeadline <= reportingDeadline)
            revert ComplianceInvalidSurrenderDeadline(period, config.surrenderDeadline, reportingDeadline);
        if (config.auctionVolume > config.cap) revert ComplianceAuctionVolumeAboveCap(config.auctionVolume, config.cap);
        if (config.offsetLimitBps > _BPS) revert ComplianceInvalidOffsetLimit(config.offsetLimitBps);
        if (config.penaltyPerTonne != 0 && config.penaltyToken == address(0))
            revert ComplianceInvalidPenalty(config.penaltyToken, config.penaltyPerTonne);
        config.eligibility.validate();
        p.config = config;
        p.opened = true;
        emit PeriodOpened(period, config);
        // The surrender window opens at the reporting deadline: from now on it may only come earlier.
        _ledger.lockReportingDeadline(period);
    }

    /// @inheritdoc IComplianceRegistry
    function allocate(uint64 period, uint256 installationId, uint256 amount) external restricted whenNotPaused {
        Period storage p = _allocatable(period);
        _reserveAllocation(p, period, amount);
        _allocate(period, installationId, amount);
    }

    /// @inheritdoc IComplianceRegistry
    function allocateMany(
        uint64 period,
        uint256[] calldata installationIds,
        uint256[] calldata amounts
    ) external restricted whenNotPaused {
        Period storage p = _allocatable(period);
        uint256 n = installationIds.length;
        if (n == 0) revert ComplianceEmptyRequest();
        if (amounts.length != n) revert ComplianceLengthMismatch(n, amounts.length);
        uint256 total;
        for (uint256 i = 0; i < n; ++i) total += amounts[i];
        _reserveAllocation(p, period, total);
        for (uint256 i = 0; i < n; ++i) _allocate(period, installationIds[i], amounts[i]);
    }

    /// @inheritdoc IComplianceRegistry
    function setTreasury(address treasury_) external restricted whenNotPaused {
        if (treasury_ == address(0)) revert ComplianceInvalidAccount(treasury_);
        _treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /// @inheritdoc IComplianceRegistry
    function pause() external restricted {
        _pause();
        _reportPause(true);
    }

    /// @inheritdoc IComplianceRegistry
    function unpause() external restricted {
        _unpause();
        _reportPause(false);
    }

    // ------------------------------------------------------------------------------------------ auctions

    /// @inheritdoc IComplianceRegistry
    function bindAuction(address auction_) external restricted {
        if (_auction != address(0)) revert ComplianceAuctionAlreadyBound(_auction);
        if (auction_ == address(0)) revert ComplianceInvalidAccount(auction_);
        address bound = address(IAllowanceAuction(auction_).compliance());
        if (bound != address(this)) revert ComplianceAuctionMismatch(auction_, bound);
        _auction = auction_;
        emit AuctionBound(auction_);
    }

    /// @inheritdoc IComplianceRegistry
    function reserveAuctionVolume(uint64 period, uint256 auctionId, uint256 volume) external whenNotPaused {
        _onlyAuction();
        Period storage p = _allocatable(period);
        if (volume == 0) revert ComplianceZeroAmount();
        uint256 available = p.config.auctionVolume - p.auctioned - p.auctionReserved;
        if (volume > available) revert ComplianceAuctionVolumeExceeded(period, volume, available);
        // SMT: volume <= available < 2^128.
        p.auctionReserved += uint128(volume);
        // The bound auction reserves once per auction id, which it numbers itself.
        _reservations[auctionId] = AuctionReservation({period: period, reserved: uint128(volume)});
        emit AuctionVolumeReserved(period, auctionId, volume);
    }

    /// @inheritdoc IComplianceRegistry
    function issueAuctioned(uint256 auctionId, address to, uint256 amount) external whenNotPaused {
        _onlyAuction();
        (Period storage p, uint64 period) = _takeReservation(auctionId, amount);
        unchecked {
            // amount <= the auction's reservation <= auctioned + reserved <= auctionVolume < 2^128.
            p.auctioned += uint128(amount);
        }
        emit AuctionAllowancesIssued(period, auctionId, to, amount);
        _allowance.mint(to, period, amount);
    }

    /// @inheritdoc IComplianceRegistry
    function releaseAuctionVolume(uint256 auctionId, uint256 volume) external whenNotPaused {
        _onlyAuction();
        (, uint64 period) = _takeReservation(auctionId, volume);
        emit AuctionVolumeReleased(period, auctionId, volume);
    }

    /// @inheritdoc IComplianceRegistry
    function auction() external view returns (address) {
        return _auction;
    }

    /// @dev Takes `amount` off an auction's own reservation (and the period's total): never more than it reserved.
    function _takeReservation(uint256 auctionId, uint256 amount) private returns (Period storage p, uint64 period) {
        if (amount == 0) revert ComplianceZeroAmount();
        AuctionReservation storage r = _reservations[auctionId];
        uint256 reserved = r.reserved;
        if (amount > reserved) revert ComplianceAuctionReservationExceeded(auctionId, amount, reserved);
        period = r.period;
        p = _periods[period];
        unchecked {
            // amount <= the auction's reservation, which is part of the period's.
            r.reserved = uint128(reserved - amount);
            p.auctionReserved -= uint128(amount);
        }
    }

    /// @dev Only the bound auction contract may reserve, issue and release auction volume: no role can.
    function _onlyAuction() private view {
        if (msg.sender != _auction) revert ComplianceNotAuction(msg.sender);
    }

    // ------------------------------------------------------------------------------------------ surrender

    /// @inheritdoc IComplianceRegistry
    function surrenderAllowances(
        uint256 installationId,
        uint64 period,
        uint64[] calldata fromPeriods,
        uint256[] calldata amounts
    ) external whenNotPaused nonReentrant {
        (Installation storage inst, ) = _surrenderable(installationId, period);
        uint256 n = _checkLengths(fromPeriods.length, amounts.length);
        Account storage account = _accounts[installationId][period];
        address operator = inst.operator;
        for (uint256 i = 0; i < n; ++i) {
            uint64 fromPeriod = fromPeriods[i];
            uint256 amount = amounts[i];
            if (amount == 0) revert ComplianceZeroAmount();
            if (fromPeriod > period) revert ComplianceFutureAllowances(period, fromPeriod);
            uint128 value = _toUint128(amount);
            account.allowancesSurrendered += value;
            _periods[fromPeriod].burned += value;
            emit AllowancesSurrendered(installationId, period, fromPeriod, amount);
            _allowance.burn(operator, fromPeriod, amount);
        }
    }

    /// @inheritdoc IComplianceRegistry
    function surrenderOffsets(
        uint256 installationId,
        uint64 period,
        uint256[] calldata batchIds,
        uint256[] calldata amounts
    ) external whenNotPaused nonReentrant {
        (Installation storage inst, Period storage p) = _surrenderable(installationId, period);
        _checkLengths(batchIds.length, amounts.length);
        _countOffsets(
            installationId,
            period,
            _eligibleTotal(p, Jurisdictions.country(inst.jurisdiction), period, batchIds, amounts)
        );
        uint256 firstRetirementId = _retirement.retireFrom(
            inst.operator,
            _complianceClaim(inst, period, batchIds, amounts)
        );
        for (uint256 i = 0; i < batchIds.length; ++i) {
            emit OffsetsSurrendered(installationId, period, batchIds[i], amounts[i], firstRetirementId + i);
        }
    }

    // ------------------------------------------------------------------------------------------ settlement

    /// @inheritdoc IComplianceRegistry
    function settle(uint256 installationId, uint64 period) external restricted whenNotPaused {
        Installation storage inst = _installation(installationId);
        Period storage p = _period(period);
        _checkSettlementOpen(period);
        Account storage account = _accounts[installationId][period];
        if (account.settled) revert ComplianceAlreadySettled(installationId, period);
        account.settled = true;

        (uint64 from, uint256 owed) = _makeGoodOwedFor(installationId, period);
        if (owed != 0) {
            delete _makeGoodDebts[installationId];
            delete _accounts[installationId][from].makeGood;
            account.makeGood += uint128(owed);
            emit MakeGoodMoved(installationId, from, period, owed);
        }
        (bool verified, uint256 emissions) = _ledger.verifiedEmissions(inst.entity, period);
        uint256 obligation = emissions + account.makeGood;
        uint256 surrendered = uint256(account.allowancesSurrendered) + account.offsetsSurrendered;
        // Short, or without verified emissions: the known part of the obligation (the make-good carried in, when
        // there is no statement) that was not covered costs the penalty and moves on; the regulator handles the
        // missing statement off chain.
        ComplianceStatus status = verified && surrendered >= obligation
            ? ComplianceStatus.Compliant
            : ComplianceStatus.NonCompliant;
        account.settledStatus = status;
        uint256 shortfall;
        uint256 penalty;
        uint64 makeGoodPeriod;
        if (surrendered < obligation) {
            shortfall = obligation - surrendered;
            // Rounded up: a fraction of a base unit of penalty is owed in full.
            penalty = (shortfall * p.config.penaltyPerTonne + _KG_PER_TONNE - 1) / _KG_PER_TONNE;
            account.penaltyOwed = _toUint128(penalty);
            makeGoodPeriod = _carryMakeGood(installationId, period, shortfall);
        }
        emit Settled(installationId, period, status, obligation, surrendered, shortfall, penalty, makeGoodPeriod);
    }

    /// @inheritdoc IComplianceRegistry
    function payPenalty(uint256 installationId, uint64 period) external whenNotPaused nonReentrant {
        Account storage account = _accounts[installationId][period];
        uint256 owed = account.penaltyOwed;
        if (owed == 0 || account.penaltyPaid) revert ComplianceNoPenaltyDue(installationId, period);
        account.penaltyPaid = true;
        IERC20 token = IERC20(_periods[period].config.penaltyToken);
        address treasury_ = _treasury;
        emit PenaltyPaid(installationId, period, msg.sender, address(token), owed);
        // The treasury paying itself moves nothing.
        if (msg.sender == treasury_) return;
        uint256 received = MeasuredTransfer.transferFromMeasured(token, msg.sender, treasury_, owed);
        if (received != owed) revert ComplianceShortPayment(address(token), owed, received);
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc IComplianceRegistry
    function getInstallation(uint256 installationId) external view returns (Installation memory) {
        return _installation(installationId);
    }

    /// @inheritdoc IComplianceRegistry
    function installationCount() external view returns (uint256) {
        return _installationCount;
    }

    /// @inheritdoc IComplianceRegistry
    function entityOf(uint256 installationId) public view returns (address) {
        return address(uint160(uint256(keccak256(abi.encode(address(this), installationId)))));
    }

    /// @inheritdoc IComplianceRegistry
    function getPeriod(uint64 period) external view returns (Period memory) {
        return _period(period);
    }

    /// @inheritdoc IComplianceRegistry
    function accountOf(uint256 installationId, uint64 period) external view returns (Account memory) {
        return _accounts[installationId][period];
    }

    /// @inheritdoc IComplianceRegistry
    function obligationOf(
        uint256 installationId,
        uint64 period
    ) public view returns (bool verified, uint256 obligation, uint256 surrendered) {
        Installation storage inst = _installation(installationId);
        uint256 emissions;
        (verified, emissions) = _ledger.verifiedEmissions(inst.entity, period);
        Account storage account = _accounts[installationId][period];
        obligation = emissions + account.makeGood;
        if (!account.settled && _periods[period].opened) {
            (, uint256 owed) = _makeGoodOwedFor(installationId, period);
            obligation += owed;
        }
        surrendered = uint256(account.allowancesSurrendered) + account.offsetsSurrendered;
    }

    /// @inheritdoc IComplianceRegistry
    function crossBorderRule(uint64 period) external view returns (CrossBorderRule) {
        return _crossBorderRules[period];
    }

    /// @inheritdoc IComplianceRegistry
    function makeGoodOwed(uint256 installationId) external view returns (MakeGoodDebt memory debt, uint256 amount) {
        debt = _makeGoodDebts[installationId];
        if (!_periods[debt.period].opened) amount = _accounts[installationId][debt.period].makeGood;
    }

    /// @inheritdoc IComplianceRegistry
    function surrenderWindow(uint64 period) public view returns (uint64 opensAt, uint64 closesAt) {
        Period storage p = _period(period);
        opensAt = _ledger.reportingDeadline(period);
        closesAt = _allowance.extendedEnd(opensAt, p.config.surrenderDeadline);
    }

    /// @inheritdoc IComplianceRegistry
    function offsetLimitOf(uint256 installationId, uint64 period) public view returns (uint256) {
        Period storage p = _period(period);
        (bool verified, uint256 emissions) = _ledger.verifiedEmissions(_installation(installationId).entity, period);
        if (!verified) revert ComplianceNoVerifiedEmissions(installationId, period);
        return (emissions * p.config.offsetLimitBps) / _BPS;
    }

    /// @inheritdoc IComplianceRegistry
    function statusOf(uint256 installationId, uint64 period) external view returns (ComplianceStatus) {
        _period(period);
        Account storage account = _accounts[installationId][period];
        if (account.settled) return account.settledStatus;
        (bool verified, uint256 obligation, uint256 surrendered) = obligationOf(installationId, period);
        if (!verified) return ComplianceStatus.NoData;
        if (!_ledger.isReportingClosed(period)) return ComplianceStatus.Pending;
        return surrendered >= obligation ? ComplianceStatus.Compliant : ComplianceStatus.Pending;
    }

    /// @inheritdoc IComplianceRegistry
    function allowance() external view returns (IEmissionAllowance) {
        return _allowance;
    }

    /// @inheritdoc IComplianceRegistry
    function ledger() external view returns (IEmissionsLedger) {
        return _ledger;
    }

    /// @inheritdoc IComplianceRegistry
    function retirement() external view returns (IRetirementRegistry) {
        return _retirement;
    }

    /// @inheritdoc IComplianceRegistry
    function treasury() external view returns (address) {
        return _treasury;
    }

    /// @inheritdoc IComplianceRegistry
    function paused() public view override(Pausable, IComplianceRegistry) returns (bool) {
        return super.paused();
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IComplianceRegistry).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ internals

    /// @dev Settlement needs the surrender window closed (its deadline extended by the pauses within it). The
    /// period's emissions are then final: its reporting deadline, locked when the period opened, may only have come
    /// earlier, and the surrender deadline follows it.
    function _checkSettlementOpen(uint64 period) private view {
        (, uint64 closesAt) = surrenderWindow(period);
        if (block.timestamp < closesAt) revert ComplianceSettlementNotOpen(period, closesAt);
    }

    /// @dev Adds a shortfall as make-good to the first later period whose reporting is still open, so no obligation
    /// changes after its surrender window opened; returns that period. When that period is not opened (yet), the
    /// installation's make-good waiting in an unopened period is gathered there and recorded ({makeGoodOwed}), so it
    /// can move to the next period settled if that one is never opened.
    function _carryMakeGood(
        uint256 installationId,
        uint64 period,
        uint256 shortfall
    ) private returns (uint64 makeGoodPeriod) {
        makeGoodPeriod = period + 1;
        while (_ledger.isReportingClosed(makeGoodPeriod)) ++makeGoodPeriod;
        Account storage target = _accounts[installationId][makeGoodPeriod];
        if (_periods[makeGoodPeriod].opened) {
            target.makeGood += _toUint128(shortfall);
            return makeGoodPeriod;
        }
        MakeGoodDebt storage debt = _makeGoodDebts[installationId];
        uint64 waiting = debt.period;
        uint256 moved;
        if (waiting != makeGoodPeriod && waiting != 0 && !_periods[waiting].opened) {
            Account storage previous = _accounts[installationId][waiting];
            moved = previous.makeGood;
            delete previous.makeGood;
        }
        target.makeGood = _toUint128(target.makeGood + shortfall + moved);
        (debt.period, debt.carriedAt) = (makeGoodPeriod, uint64(block.timestamp));
        emit MakeGoodWaiting(installationId, makeGoodPeriod, target.makeGood);
    }

    /// @dev The make-good waiting in an unopened period ({makeGoodOwed}) that falls to `period`: all of it when it
    /// was carried before `period`'s surrender window opened and its own period is still not opened, else none.
    function _makeGoodOwedFor(uint256 installationId, uint64 period) private view returns (uint64 from, uint256 owed) {
        MakeGoodDebt storage debt = _makeGoodDebts[installationId];
        from = debt.period;
        if (from == 0 || from == period || _periods[from].opened) return (from, 0);
        if (debt.carriedAt >= _ledger.reportingDeadline(period)) return (from, 0);
        owed = _accounts[installationId][from].makeGood;
    }

    /// @dev Adds `amount` offsets to the installation's account for `period`, within the offset limit.
    function _countOffsets(uint256 installationId, uint64 period, uint256 amount) private {
        uint256 limit = offsetLimitOf(installationId, period);
        Account storage account = _accounts[installationId][period];
        uint256 total = account.offsetsSurrendered + amount;
        if (total > limit) revert ComplianceOffsetLimitExceeded(installationId, period, limit, total);
        // total <= limit <= emissions < 2^128.
        account.offsetsSurrendered = uint128(total);
    }

    /// @dev The units of a surrender of offsets, each batch checked against the period's eligibility and, when
    /// hosted in another country than the installation's (`country`), against the period's cross-border rule.
    function _eligibleTotal(
        Period storage p,
        bytes8 country,
        uint64 period,
        uint256[] calldata batchIds,
        uint256[] calldata amounts
    ) private view returns (uint256 total) {
        CrossBorderRule rule = _crossBorderRules[period];
        for (uint256 i = 0; i < batchIds.length; ++i) {
            uint256 batchId = batchIds[i];
            if (amounts[i] == 0) revert ComplianceZeroAmount();
            total += amounts[i];
            ICarbonRegistry.BatchProfile memory profile = _carbonRegistry.batchProfile(batchId);
            CriteriaMismatch reason = p.config.eligibility.mismatch(profile);
            if (reason != CriteriaMismatch.None) revert ComplianceIneligibleOffset(batchId, reason);
            bytes8 batchCountry = Jurisdictions.country(profile.jurisdiction);
            if (batchCountry == country || rule == CrossBorderRule.Allowed) continue;
            if (
                rule == CrossBorderRule.Refused ||
                profile.authorisation == Authorisation.None ||
                profile.adjustment != Adjustment.Applied
            ) revert ComplianceCrossBorderOffset(batchId, country, batchCountry, rule);
        }
    }

    /// @dev The retirement request of a surrender: a compliance claim on the installation's `(entity, period)`,
    /// retired for its operator, without a certificate.
    function _complianceClaim(
        Installation storage inst,
        uint64 period,
        uint256[] calldata batchIds,
        uint256[] calldata amounts
    ) private view returns (IRetirementRegistry.RetirementRequest memory request) {
        request.ids = batchIds;
        request.amounts = amounts;
        request.beneficiary = inst.operator;
        request.claimType = ClaimType.Compliance;
        request.claimEntity = inst.entity;
        request.claimPeriod = period;
        request.reason = "compliance surrender";
        request.skipCertificate = true;
    }

    function _allocate(uint64 period, uint256 installationId, uint256 amount) private {
        Installation storage inst = _installation(installationId);
        if (inst.closed) revert ComplianceInstallationClosed(installationId);
        if (amount == 0) revert ComplianceZeroAmount();
        address operator = inst.operator;
        emit Allocated(period, installationId, operator, amount);
        _allowance.mint(operator, period, amount);
    }

    /// @dev A period open for allocation: opened and before its surrender deadline.
    function _allocatable(uint64 period) private view returns (Period storage p) {
        p = _period(period);
        uint64 deadline = p.config.surrenderDeadline;
        if (block.timestamp >= deadline) revert ComplianceAllocationClosed(period, deadline);
    }

    /// @dev Counts `amount` against the free-allocation room: the cap minus the auction volume.
    function _reserveAllocation(Period storage p, uint64 period, uint256 amount) private {
        uint256 available = p.config.cap - p.config.auctionVolume - p.allocated;
        if (amount > available) revert ComplianceCapExceeded(period, amount, available);
        // amount <= available < 2^128.
        p.allocated += uint128(amount);
    }

    /// @dev The installation and period of a surrender by the operator, inside the surrender window (extended by
    /// the pauses within it).
    function _surrenderable(
        uint256 installationId,
        uint64 period
    ) private view returns (Installation storage inst, Period storage p) {
        inst = _installation(installationId);
        if (msg.sender != inst.operator) revert ComplianceNotOperator(installationId, msg.sender);
        p = _period(period);
        (uint64 opensAt, uint64 closesAt) = surrenderWindow(period);
        if (block.timestamp < opensAt) revert ComplianceSurrenderNotOpen(period, opensAt);
        if (block.timestamp >= closesAt) revert ComplianceSurrenderClosed(period, closesAt);
    }

    function _checkLengths(uint256 a, uint256 b) private pure returns (uint256) {
        if (a == 0) revert ComplianceEmptyRequest();
        if (a != b) revert ComplianceLengthMismatch(a, b);
        return a;
    }

    function _installation(uint256 installationId) private view returns (Installation storage inst) {
        inst = _installations[installationId];
        if (inst.operator == address(0)) revert ComplianceUnknownInstallation(installationId);
    }

    function _period(uint64 period) private view returns (Period storage p) {
        p = _periods[period];
        if (!p.opened) revert ComplianceUnknownPeriod(period);
    }

    /// @dev The allowance token keeps the compliance system's pause log, by which surrender windows are extended.
    function _reportPause(bool paused_) private {
        IEmissionAllowance allowance_ = _allowance;
        if (address(allowance_) != address(0)) allowance_.setCompliancePaused(paused_);
    }

    function _toUint128(uint256 value) private pure returns (uint128) {
        if (value > type(uint128).max) revert ComplianceAmountTooLarge(value);
        return uint128(value);
    }
}
