// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRetirementRegistry} from "./IRetirementRegistry.sol";

/**
 * @title IEmissionsLedger
 * @notice Verified greenhouse-gas emissions: an independent verifier, accredited by the regulator for a sector,
 * attests an entity's emissions for a reporting period (kg CO2e); corrections are explicit and evented, and
 * impossible once the period's reporting is closed. The ledger serves compliance (installations of the compliance
 * registry, whose operator is their controller) and voluntary neutrality claims (any organisation, whose account is
 * the entity), and answers whether an entity is carbon neutral for a period against the credits retired for it.
 *
 * An entity never attests its own emissions: neither the entity's account nor its controller may be the verifier.
 */
interface IEmissionsLedger {
    /// @notice A verified emissions statement. `corrections` counts the corrections since the first attestation.
    struct Statement {
        address verifier;
        uint32 sector;
        uint32 corrections;
        uint128 emissions;
        uint64 attestedAt;
        bytes32 evidenceHash;
    }

    /// @notice What the compliance registry declares about an entity it runs (an installation): who controls it and
    /// the sector its statements must be attested in.
    struct EntityProfile {
        address controller;
        uint32 sector;
        bool registered;
    }

    /// @notice Whether `entity` is carbon neutral for `period`: its verified emissions against the credits retired
    /// for it by neutrality claims on `(entity, period)` in the retirement registry.
    struct Neutrality {
        bool verified;
        uint256 emissions;
        uint256 retired;
        bool neutral;
    }

    /// @notice Emitted when the regulator accredits `verifier` for `sector`.
    event VerifierAccredited(address indexed verifier, uint32 indexed sector);

    /// @notice Emitted when the regulator revokes `verifier`'s accreditation for `sector`.
    event VerifierRevoked(address indexed verifier, uint32 indexed sector);

    /// @notice Emitted when the regulator sets when reporting for `period` closes.
    event ReportingDeadlineSet(uint64 indexed period, uint64 deadline);

    /// @notice Emitted when the compliance registry registers or updates an entity's controller and sector.
    event EntityProfileSet(address indexed entity, address indexed controller, uint32 sector);

    /// @notice Emitted when `verifier` attests `entity`'s emissions for `period`.
    event EmissionsAttested(
        address indexed entity,
        uint64 indexed period,
        address indexed verifier,
        uint32 sector,
        uint256 emissions,
        bytes32 evidenceHash,
        string uri
    );

    /// @notice Emitted when `verifier` corrects `entity`'s emissions for `period` from `previous` to `emissions`.
    event EmissionsCorrected(
        address indexed entity,
        uint64 indexed period,
        address indexed verifier,
        uint256 previous,
        uint256 emissions,
        bytes32 evidenceHash,
        bytes32 reasonHash,
        string uri
    );

    /// @notice Emitted when the ledger is paused by `account`.
    event Paused(address account);

    /// @notice Emitted when the ledger is unpaused by `account`.
    event Unpaused(address account);

    /// @notice Thrown when `verifier` is not accredited for `sector`.
    error LedgerNotAccredited(address verifier, uint32 sector);

    /// @notice Thrown when accrediting an accredited verifier, or revoking one that is not.
    error LedgerAccreditationUnchanged(address verifier, uint32 sector, bool accredited);

    /// @notice Thrown when the verifier is the entity or its controller.
    error LedgerSelfAttestation(address entity, address verifier);

    /// @notice Thrown when an entity, verifier or controller is the zero address.
    error LedgerInvalidAccount(address account);

    /// @notice Thrown when a registered entity's statement names another sector than its own.
    error LedgerWrongSector(address entity, uint32 sector, uint32 expected);

    /// @notice Thrown when attesting a statement that exists (correct it instead).
    error LedgerStatementExists(address entity, uint64 period);

    /// @notice Thrown when correcting a statement that does not exist.
    error LedgerUnknownStatement(address entity, uint64 period);

    /// @notice Thrown when reporting for `period` closed at `deadline`.
    error LedgerReportingClosed(uint64 period, uint64 deadline);

    /// @notice Thrown when a reporting deadline is not in the future.
    error LedgerInvalidDeadline(uint64 period, uint64 deadline);

    /// @notice Thrown when an emissions figure does not fit 128 bits.
    error LedgerAmountTooLarge(uint256 emissions);

    /// @notice Thrown when the ledger is paused.
    error LedgerPaused();

    /// @notice Thrown when unpausing a ledger that is not paused.
    error LedgerNotPaused();

    /// @notice Accredits `verifier` to attest emissions in `sector`. Requirements: REGULATOR permission.
    /// Emits {VerifierAccredited}.
    function accreditVerifier(address verifier, uint32 sector) external;

    /// @notice Revokes `verifier`'s accreditation for `sector`; its past statements stand. Requirements: REGULATOR
    /// permission. Emits {VerifierRevoked}.
    function revokeVerifier(address verifier, uint32 sector) external;

    /**
     * @notice Sets when reporting for `period` closes: from `deadline` on, no statement is attested or corrected.
     * A deadline may be moved while reporting is open, never after it closed.
     * @dev Requirements: REGULATOR permission; `deadline` in the future; reporting for `period` still open.
     * Emits {ReportingDeadlineSet}.
     */
    function setReportingDeadline(uint64 period, uint64 deadline) external;

    /**
     * @notice Declares `entity` as run by `controller` in `sector` (an installation of the compliance registry and
     * its operator): the controller may never attest the entity, and its statements must be in `sector`.
     * @dev Requirements: COMPLIANCE permission (the compliance registry). Emits {EntityProfileSet}.
     */
    function setEntityProfile(address entity, address controller, uint32 sector) external;

    /**
     * @notice Attests `entity`'s emissions for `period`, in kg CO2e.
     * @dev Requirements: not paused; VERIFIER permission and accreditation for `sector`; the caller neither the
     * entity nor its controller; the sector of a registered entity; no statement yet; reporting open.
     * Emits {EmissionsAttested}.
     */
    function attest(
        address entity,
        uint64 period,
        uint32 sector,
        uint256 emissions,
        bytes32 evidenceHash,
        string calldata uri
    ) external;

    /**
     * @notice Corrects an existing statement; the caller becomes its verifier.
     * @dev Requirements: not paused; VERIFIER permission and accreditation for the statement's sector; the caller
     * neither the entity nor its controller; reporting open. Emits {EmissionsCorrected}.
     */
    function correct(
        address entity,
        uint64 period,
        uint256 emissions,
        bytes32 evidenceHash,
        bytes32 reasonHash,
        string calldata uri
    ) external;

    /// @notice Stops attestations and corrections. Requirements: PAUSER permission; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Resumes attestations and corrections. Requirements: PAUSER permission; paused. Emits {Unpaused}.
    function unpause() external;

    /// @notice The statement of `(entity, period)`; `verifier` is zero when there is none.
    function getStatement(address entity, uint64 period) external view returns (Statement memory);

    /// @notice Verified emissions of `(entity, period)` in kg, and whether a statement exists.
    function verifiedEmissions(address entity, uint64 period) external view returns (bool verified, uint256 emissions);

    /// @notice Whether `verifier` is accredited for `sector`.
    function isAccredited(address verifier, uint32 sector) external view returns (bool);

    /// @notice When reporting for `period` closes (0: not set, reporting open).
    function reportingDeadline(uint64 period) external view returns (uint64);

    /// @notice Whether reporting for `period` is closed.
    function isReportingClosed(uint64 period) external view returns (bool);

    /// @notice What the compliance registry declared about `entity`.
    function entityProfile(address entity) external view returns (EntityProfile memory);

    /// @notice Whether `entity` is carbon neutral for `period` (see {Neutrality}); neutral needs a statement.
    function neutralityStatus(address entity, uint64 period) external view returns (Neutrality memory);

    /// @notice The retirement registry whose neutrality claims count against emissions.
    function retirement() external view returns (IRetirementRegistry);

    /// @notice Whether the ledger is paused.
    function paused() external view returns (bool);
}
