// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IEmissionsLedger} from "../interfaces/IEmissionsLedger.sol";
import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";

/**
 * @title EmissionsLedger
 * @notice Verified emissions per `(entity, period)` in kg CO2e, attested by verifiers the regulator accredits per
 * sector, corrected only in the open and only while reporting is open; and the carbon-neutrality status of an
 * entity against the credits retired for it.
 *
 * @custom:security-contact security@cnt.example
 */
contract EmissionsLedger is AccessManaged, IEmissionsLedger, IERC165 {
    IRetirementRegistry private immutable _retirement;

    bool private _paused;
    mapping(uint32 sector => mapping(address verifier => bool)) private _accredited;
    mapping(uint64 period => uint64 deadline) private _deadlines;
    mapping(address entity => EntityProfile) private _profiles;
    mapping(address entity => mapping(uint64 period => Statement)) private _statements;

    /**
     * @param authority The AccessManager that governs this ledger.
     * @param retirement_ The retirement registry whose neutrality claims {neutralityStatus} counts.
     */
    constructor(address authority, IRetirementRegistry retirement_) AccessManaged(authority) {
        _retirement = retirement_;
    }

    // ------------------------------------------------------------------------------------------ governance

    /// @inheritdoc IEmissionsLedger
    function accreditVerifier(address verifier, uint32 sector) external restricted {
        if (verifier == address(0)) revert LedgerInvalidAccount(verifier);
        if (_accredited[sector][verifier]) revert LedgerAccreditationUnchanged(verifier, sector, true);
        _accredited[sector][verifier] = true;
        emit VerifierAccredited(verifier, sector);
    }

    /// @inheritdoc IEmissionsLedger
    function revokeVerifier(address verifier, uint32 sector) external restricted {
        if (!_accredited[sector][verifier]) revert LedgerAccreditationUnchanged(verifier, sector, false);
        _accredited[sector][verifier] = false;
        emit VerifierRevoked(verifier, sector);
    }

    /// @inheritdoc IEmissionsLedger
    function setReportingDeadline(uint64 period, uint64 deadline) external restricted {
        _checkOpen(period);
        if (deadline <= block.timestamp) revert LedgerInvalidDeadline(period, deadline);
        _deadlines[period] = deadline;
        emit ReportingDeadlineSet(period, deadline);
    }

    /// @inheritdoc IEmissionsLedger
    function setEntityProfile(address entity, address controller, uint32 sector) external restricted {
        if (entity == address(0)) revert LedgerInvalidAccount(entity);
        if (controller == address(0)) revert LedgerInvalidAccount(controller);
        _profiles[entity] = EntityProfile({controller: controller, sector: sector, registered: true});
        emit EntityProfileSet(entity, controller, sector);
    }

    /// @inheritdoc IEmissionsLedger
    function pause() external restricted {
        if (_paused) revert LedgerPaused();
        _paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IEmissionsLedger
    function unpause() external restricted {
        if (!_paused) revert LedgerNotPaused();
        _paused = false;
        emit Unpaused(msg.sender);
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
    ) external restricted {
        _checkAttester(entity, period, sector);
        EntityProfile storage profile = _profiles[entity];
        if (profile.registered && profile.sector != sector) revert LedgerWrongSector(entity, sector, profile.sector);
        Statement storage s = _statements[entity][period];
        if (s.verifier != address(0)) revert LedgerStatementExists(entity, period);
        s.verifier = msg.sender;
        s.sector = sector;
        s.emissions = _toUint128(emissions);
        s.attestedAt = uint64(block.timestamp);
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
    ) external restricted {
        Statement storage s = _statements[entity][period];
        if (s.verifier == address(0)) revert LedgerUnknownStatement(entity, period);
        _checkAttester(entity, period, s.sector);
        uint256 previous = s.emissions;
        s.verifier = msg.sender;
        s.emissions = _toUint128(emissions);
        s.evidenceHash = evidenceHash;
        s.attestedAt = uint64(block.timestamp);
        unchecked {
            // One correction per transaction: 2^32 of them would take longer than the chain will run.
            ++s.corrections;
        }
        emit EmissionsCorrected(entity, period, msg.sender, previous, emissions, evidenceHash, reasonHash, uri);
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc IEmissionsLedger
    function getStatement(address entity, uint64 period) external view returns (Statement memory) {
        return _statements[entity][period];
    }

    /// @inheritdoc IEmissionsLedger
    function verifiedEmissions(address entity, uint64 period) public view returns (bool verified, uint256 emissions) {
        Statement storage s = _statements[entity][period];
        return (s.verifier != address(0), s.emissions);
    }

    /// @inheritdoc IEmissionsLedger
    function isAccredited(address verifier, uint32 sector) external view returns (bool) {
        return _accredited[sector][verifier];
    }

    /// @inheritdoc IEmissionsLedger
    function reportingDeadline(uint64 period) external view returns (uint64) {
        return _deadlines[period];
    }

    /// @inheritdoc IEmissionsLedger
    function isReportingClosed(uint64 period) public view returns (bool) {
        uint64 deadline = _deadlines[period];
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
    function paused() external view returns (bool) {
        return _paused;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IEmissionsLedger).interfaceId || interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ internals

    /// @dev The caller may attest or correct `(entity, period)` in `sector`.
    function _checkAttester(address entity, uint64 period, uint32 sector) private view {
        if (_paused) revert LedgerPaused();
        if (entity == address(0)) revert LedgerInvalidAccount(entity);
        if (!_accredited[sector][msg.sender]) revert LedgerNotAccredited(msg.sender, sector);
        if (msg.sender == entity || msg.sender == _profiles[entity].controller)
            revert LedgerSelfAttestation(entity, msg.sender);
        _checkOpen(period);
    }

    function _checkOpen(uint64 period) private view {
        if (isReportingClosed(period)) revert LedgerReportingClosed(period, _deadlines[period]);
    }

    function _toUint128(uint256 value) private pure returns (uint128) {
        if (value > type(uint128).max) revert LedgerAmountTooLarge(value);
        return uint128(value);
    }
}
