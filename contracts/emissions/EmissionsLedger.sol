// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IComplianceRegistry} from "../interfaces/IComplianceRegistry.sol";
import {IEmissionsLedger} from "../interfaces/IEmissionsLedger.sol";
import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";

/**
 * @title EmissionsLedger
 * @notice Verified emissions per `(entity, period)` in kg CO2e, attested by verifiers the regulator accredits per
 * sector, corrected only in the open, within a correction window, with every previous version kept; and the
 * carbon-neutrality status of an entity against the credits retired for it. A statement is bound to the sector it was
 * attested in: it counts for an entity the compliance registry declared in another sector only if that sector is its
 * own (see {verifiedEmissions}), so a statement attested before the entity was declared cannot fix its emissions.
 *
 * @custom:security-contact security@cnt.example
 */
contract EmissionsLedger is AccessManaged, Pausable, IEmissionsLedger, IERC165 {
    /// @inheritdoc IEmissionsLedger
    uint64 public constant CORRECTION_WINDOW = 90 days;

    IRetirementRegistry private immutable _retirement;
    address private _complianceRegistry;

    mapping(uint32 sector => mapping(address verifier => bool)) private _accredited;
    mapping(uint64 period => ReportingWindow) private _windows;
    mapping(address entity => EntityProfile) private _profiles;
    mapping(address entity => mapping(uint64 period => Statement)) private _statements;
    mapping(address entity => mapping(uint64 period => mapping(uint256 version => Statement))) private _history;

    /// @dev Bound to the one compliance registry (zero until bound, which no caller can be): no role reaches here.
    modifier onlyComplianceRegistry() {
        if (msg.sender != _complianceRegistry) revert LedgerOnlyComplianceRegistry(msg.sender);
        _;
    }

    /**
     * @param authority The AccessManager that governs this ledger.
     * @param retirement_ The retirement registry whose neutrality claims {neutralityStatus} counts.
     */
    constructor(address authority, IRetirementRegistry retirement_) AccessManaged(authority) {
        _retirement = retirement_;
    }

    // ------------------------------------------------------------------------------------------ governance

    /// @inheritdoc IEmissionsLedger
    function accreditVerifier(address verifier, uint32 sector) external restricted whenNotPaused {
        if (verifier == address(0)) revert LedgerInvalidAccount(verifier);
        if (_accredited[sector][verifier]) revert LedgerAccreditationUnchanged(verifier, sector, true);
        _accredited[sector][verifier] = true;
        emit SectorVerifierAccredited(verifier, sector);
    }

    /// @inheritdoc IEmissionsLedger
    function revokeVerifier(address verifier, uint32 sector) external restricted whenNotPaused {
        if (!_accredited[sector][verifier]) revert LedgerAccreditationUnchanged(verifier, sector, false);
        _accredited[sector][verifier] = false;
        emit SectorVerifierRevoked(verifier, sector);
    }

    /// @inheritdoc IEmissionsLedger
    function setReportingDeadline(uint64 period, uint64 deadline) external restricted whenNotPaused {
        _checkOpen(period);
        if (deadline <= block.timestamp) revert LedgerInvalidDeadline(period, deadline);
        ReportingWindow storage w = _windows[period];
        // A compliance period's surrender window opens at this deadline and closes at a fixed surrender deadline:
        // moving it later would shorten that window, or empty it.
        if (w.locked && deadline > w.deadline) revert LedgerDeadlineLocked(period, deadline, w.deadline);
        w.deadline = deadline;
        emit ReportingDeadlineSet(period, deadline);
    }

    /// @inheritdoc IEmissionsLedger
    function lockReportingDeadline(uint64 period) external onlyComplianceRegistry whenNotPaused {
        ReportingWindow storage w = _windows[period];
        uint64 deadline = w.deadline;
        if (deadline <= block.timestamp) revert LedgerInvalidDeadline(period, deadline);
        if (w.locked) return;
        w.locked = true;
        emit ReportingDeadlineLocked(period, deadline);
    }

    /// @inheritdoc IEmissionsLedger
    function setEntityProfile(
        address entity,
        address controller,
        uint32 sector
    ) external onlyComplianceRegistry whenNotPaused {
        if (entity == address(0)) revert LedgerInvalidAccount(entity);
        if (controller == address(0)) revert LedgerInvalidAccount(controller);
        _profiles[entity] = EntityProfile({controller: controller, sector: sector, registered: true});
        emit EntityProfileSet(entity, controller, sector);
    }

    /// @inheritdoc IEmissionsLedger
    function bindComplianceRegistry(address complianceRegistry_) external restricted {
        address bound = _complianceRegistry;
        if (bound != address(0)) revert LedgerComplianceRegistryAlreadyBound(bound);
        // A contract whose ledger is this one: an account without code, or another ledger's registry, is refused.
        if (
            complianceRegistry_.code.length == 0 ||
            address(IComplianceRegistry(complianceRegistry_).ledger()) != address(this)
        ) revert LedgerInvalidComplianceRegistry(complianceRegistry_);
        _complianceRegistry = complianceRegistry_;
        emit ComplianceRegistryBound(complianceRegistry_);
    }

    /// @inheritdoc IEmissionsLedger
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc IEmissionsLedger
    function unpause() external restricted {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------ statements

    /// @inheritdoc IEmissionsLedger
    function attest(
        address entity,
        uint64 period,
        uint32 sector,
        uint256 emissions,
        bytes32 evidenceHash,
        string calldata uri
    ) external restricted whenNotPaused {
        _checkAttester(entity, period, sector);
        EntityProfile storage profile = _profiles[entity];
        if (profile.registered && profile.sector != sector) revert LedgerWrongSector(entity, sector, profile.sector);
        Statement storage s = _statements[entity][period];
        if (s.verifier != address(0)) {
            // Only a statement of another sector than the entity's declared one can be here: attested before the
            // compliance registry declared the entity. It never counted; the accredited verifier replaces it, and
            // it stays in the history.
            if (!profile.registered || s.sector == profile.sector) revert LedgerStatementExists(entity, period);
            uint32 version = _archive(entity, period, s);
            emit StatementReplaced(entity, period, s.verifier, s.sector, s.emissions, version);
        }
        s.verifier = msg.sender;
        s.sector = sector;
        s.emissions = _toUint128(emissions);
        s.attestedAt = uint64(block.timestamp);
        s.firstAttestedAt = uint64(block.timestamp);
        s.evidenceHash = evidenceHash;
        emit EmissionsAttested(entity, period, msg.sender, sector, emissions, evidenceHash, uri);
    }

    /// @inheritdoc IEmissionsLedger
    function correct(
        address entity,
        uint64 period,
        uint256 emissions,
        bytes32 evidenceHash,
        bytes32 reasonHash,
        string calldata uri
    ) external restricted whenNotPaused {
        Statement storage s = _statements[entity][period];
        if (s.verifier == address(0)) revert LedgerUnknownStatement(entity, period);
        uint32 sector = s.sector;
        _checkAttester(entity, period, sector);
        // A statement of another sector than the entity's declared one does not count and is not corrected (an
        // accredited verifier of the entity's sector attests over it).
        EntityProfile storage profile = _profiles[entity];
        if (profile.registered && profile.sector != sector) revert LedgerWrongSector(entity, sector, profile.sector);
        uint64 closesAt = correctionDeadline(entity, period);
        if (block.timestamp >= closesAt) revert LedgerCorrectionClosed(entity, period, closesAt);
        uint256 previous = s.emissions;
        uint32 version = _archive(entity, period, s);
        s.verifier = msg.sender;
        s.emissions = _toUint128(emissions);
        s.evidenceHash = evidenceHash;
        s.attestedAt = uint64(block.timestamp);
        emit EmissionsCorrected(entity, period, msg.sender, previous, emissions, evidenceHash, reasonHash, uri);
        emit StatementVersionArchived(entity, period, version);
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc IEmissionsLedger
    function getStatement(address entity, uint64 period) external view returns (Statement memory) {
        return _statements[entity][period];
    }

    /// @inheritdoc IEmissionsLedger
    function verifiedEmissions(address entity, uint64 period) public view returns (bool verified, uint256 emissions) {
        Statement storage s = _statements[entity][period];
        if (s.verifier == address(0)) return (false, 0);
        EntityProfile storage profile = _profiles[entity];
        if (profile.registered && profile.sector != s.sector) return (false, 0);
        return (true, s.emissions);
    }

    /// @inheritdoc IEmissionsLedger
    function statementVersion(address entity, uint64 period, uint256 version) external view returns (Statement memory) {
        uint256 count = _statements[entity][period].corrections;
        if (version >= count) revert LedgerUnknownVersion(entity, period, version, count);
        return _history[entity][period][version];
    }

    /// @inheritdoc IEmissionsLedger
    function correctionDeadline(address entity, uint64 period) public view returns (uint64 closesAt) {
        uint64 first = _statements[entity][period].firstAttestedAt;
        if (first != 0) closesAt = first + CORRECTION_WINDOW;
        uint64 deadline = _windows[period].deadline;
        // An installation's statements close with its period's reporting; any other closes at the earlier of the
        // two, so setting a deadline never reopens an old voluntary statement.
        if (deadline != 0 && (_profiles[entity].registered || deadline < closesAt)) closesAt = deadline;
    }

    /// @inheritdoc IEmissionsLedger
    function isAccredited(address verifier, uint32 sector) external view returns (bool) {
        return _accredited[sector][verifier];
    }

    /// @inheritdoc IEmissionsLedger
    function reportingDeadline(uint64 period) external view returns (uint64) {
        return _windows[period].deadline;
    }

    /// @inheritdoc IEmissionsLedger
    function isReportingDeadlineLocked(uint64 period) external view returns (bool) {
        return _windows[period].locked;
    }

    /// @inheritdoc IEmissionsLedger
    function isReportingClosed(uint64 period) public view returns (bool) {
        uint64 deadline = _windows[period].deadline;
        return deadline != 0 && block.timestamp >= deadline;
    }

    /// @inheritdoc IEmissionsLedger
    function entityProfile(address entity) external view returns (EntityProfile memory) {
        return _profiles[entity];
    }

    /// @inheritdoc IEmissionsLedger
    function neutralityStatus(address entity, uint64 period) external view returns (Neutrality memory status) {
        (status.verified, status.emissions) = verifiedEmissions(entity, period);
        status.retired = _retirement.retiredAgainst(entity, period);
        status.neutral = status.verified && status.retired >= status.emissions;
    }

    /// @inheritdoc IEmissionsLedger
    function retirement() external view returns (IRetirementRegistry) {
        return _retirement;
    }

    /// @inheritdoc IEmissionsLedger
    function complianceRegistry() external view returns (address) {
        return _complianceRegistry;
    }

    /// @inheritdoc IEmissionsLedger
    function paused() public view override(Pausable, IEmissionsLedger) returns (bool) {
        return super.paused();
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IEmissionsLedger).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ internals

    /// @dev The caller may attest or correct `(entity, period)` in `sector`.
    function _checkAttester(address entity, uint64 period, uint32 sector) private view {
        if (entity == address(0)) revert LedgerInvalidAccount(entity);
        if (!_accredited[sector][msg.sender]) revert LedgerNotAccredited(msg.sender, sector);
        if (msg.sender == entity || msg.sender == _profiles[entity].controller)
            revert LedgerSelfAttestation(entity, msg.sender);
        _checkOpen(period);
    }

    function _checkOpen(uint64 period) private view {
        if (isReportingClosed(period)) revert LedgerReportingClosed(period, _windows[period].deadline);
    }

    /// @dev Keeps the current version of `s` in the history and counts it; returns its version number.
    function _archive(address entity, uint64 period, Statement storage s) private returns (uint32 version) {
        version = s.corrections;
        _history[entity][period][version] = s;
        unchecked {
            // One version per transaction: 2^32 of them would take longer than the chain will run.
            s.corrections = version + 1;
        }
    }

    function _toUint128(uint256 value) private pure returns (uint128) {
        if (value > type(uint128).max) revert LedgerAmountTooLarge(value);
        return uint128(value);
    }
}
