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
 *
 * Sector binding: a statement keeps the sector it was attested in. For an entity the compliance registry declared
 * (an installation), only a statement of the entity's own sector counts; one attested in another sector before the
 * declaration (the entity id of an installation is known in advance) counts as no statement, cannot be corrected,
 * and an accredited verifier of the entity's sector attests over it (it stays in the history). Registration is never
 * refused because of such a statement, so no verifier can block an installation.
 *
 * Correction window: a statement may be corrected until {correctionDeadline}: an installation's until its period's
 * reporting deadline; any other entity's until the earlier of the reporting deadline (when set) and
 * {CORRECTION_WINDOW} after its first attestation. Every previous version is kept ({statementVersion}).
 */
interface IEmissionsLedger {
    /**
     * @notice A verified emissions statement. `corrections` counts its previous versions, kept in the history (see
     * {statementVersion}): one per correction, and one for a statement of another sector replaced by an attestation.
     * `attestedAt` is the time of the latest version, `firstAttestedAt` of the current statement's attestation.
     */
    struct Statement {
        address verifier;
        uint32 sector;
        uint32 corrections;
        uint128 emissions;
        uint64 attestedAt;
        uint64 firstAttestedAt;
        bytes32 evidenceHash;
    }

    /// @notice A period's reporting deadline; `locked` once the compliance registry opened the period: the deadline
    /// may then only be brought forward (a later one would shorten or empty the surrender window).
    struct ReportingWindow {
        uint64 deadline;
        bool locked;
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
    event SectorVerifierAccredited(address indexed verifier, uint32 indexed sector);

    /// @notice Emitted when the regulator revokes `verifier`'s accreditation for `sector`.
    event SectorVerifierRevoked(address indexed verifier, uint32 indexed sector);

    /// @notice Emitted when the regulator sets when reporting for `period` closes.
    event ReportingDeadlineSet(uint64 indexed period, uint64 deadline);

    /// @notice Emitted when the compliance registry locks `period`'s reporting deadline (opened as a compliance
    /// period): it may no longer be moved later.
    event ReportingDeadlineLocked(uint64 indexed period, uint64 deadline);

    /// @notice Emitted when the compliance registry registers or updates an entity's controller and sector.
    event EntityProfileSet(address indexed entity, address indexed controller, uint32 sector);

    /// @notice The ledger accepts entity profiles and deadline locks from `complianceRegistry` alone, from now on.
    event ComplianceRegistryBound(address indexed complianceRegistry);

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

    /// @notice Emitted when a correction keeps the previous version of `(entity, period)` as version `version` of its
    /// history (see {statementVersion}).
    event StatementVersionArchived(address indexed entity, uint64 indexed period, uint32 version);

    /// @notice Emitted when an attestation replaces a statement of another sector (`sector`) than the entity's
    /// declared one, which never counted; the replaced statement is version `version` of the history.
    event StatementReplaced(
        address indexed entity,
        uint64 indexed period,
        address indexed verifier,
        uint32 sector,
        uint256 emissions,
        uint32 version
    );

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

    /// @notice Thrown when moving a locked reporting deadline of `period` (currently `current`) later, to `deadline`.
    error LedgerDeadlineLocked(uint64 period, uint64 deadline, uint64 current);

    /// @notice Thrown when correcting `(entity, period)` after its correction window closed at `closedAt`.
    error LedgerCorrectionClosed(address entity, uint64 period, uint64 closedAt);

    /// @notice Thrown when reading version `version` of a statement's history that has `count` versions.
    error LedgerUnknownVersion(address entity, uint64 period, uint256 version, uint256 count);

    /// @notice `caller` is not the compliance registry bound to this ledger (none is, before {bindComplianceRegistry}).
    error LedgerOnlyComplianceRegistry(address caller);

    /// @notice A compliance registry, `bound`, is already bound: the binding is made once.
    error LedgerComplianceRegistryAlreadyBound(address bound);

    /// @notice `account` is not a compliance registry whose ledger is this one.
    error LedgerInvalidComplianceRegistry(address account);

    /// @notice The correction window of a statement of an entity without reporting deadline (90 days).
    function CORRECTION_WINDOW() external view returns (uint64);

    /// @notice Accredits `verifier` to attest emissions in `sector`. Requirements: REGULATOR permission; not paused.
    /// Emits {SectorVerifierAccredited}.
    function accreditVerifier(address verifier, uint32 sector) external;

    /// @notice Revokes `verifier`'s accreditation for `sector`; its past statements stand. Requirements: REGULATOR
    /// permission; not paused. Emits {SectorVerifierRevoked}.
    function revokeVerifier(address verifier, uint32 sector) external;

    /**
     * @notice Sets when reporting for `period` closes: from `deadline` on, no statement is attested or corrected.
     * A deadline may be moved while reporting is open, never after it closed; once locked (the compliance registry
     * opened the period) only brought forward, never moved later.
     * @dev Requirements: REGULATOR permission; not paused; `deadline` in the future; reporting for `period` still
     * open; not later than a locked deadline ({LedgerDeadlineLocked}). Emits {ReportingDeadlineSet}.
     */
    function setReportingDeadline(uint64 period, uint64 deadline) external;

    /**
     * @notice Locks `period`'s reporting deadline: from now on it may only be brought forward. The compliance
     * registry calls it when it opens the period, whose surrender window opens at this deadline; idempotent.
     * @dev Requirements: the caller is the bound compliance registry ({LedgerOnlyComplianceRegistry}); not paused; a
     * deadline in the future.
     * Emits {ReportingDeadlineLocked} the first time.
     */
    function lockReportingDeadline(uint64 period) external;

    /**
     * @notice Declares `entity` as run by `controller` in `sector` (an installation of the compliance registry and
     * its operator): the controller may never attest the entity, and only its statements in `sector` count.
     * @dev Requirements: the caller is the bound compliance registry ({LedgerOnlyComplianceRegistry}); not paused.
     * Emits {EntityProfileSet}.
     */
    function setEntityProfile(address entity, address controller, uint32 sector) external;

    /**
     * @notice Binds the compliance registry, the one caller of {setEntityProfile} and {lockReportingDeadline}: no
     * role, not even ADMIN, declares an entity or locks a deadline in its place.
     * @dev Requirements: ADMIN (the manager's default); not bound yet ({LedgerComplianceRegistryAlreadyBound});
     * `complianceRegistry_` is a contract whose `ledger()` is this ledger ({LedgerInvalidComplianceRegistry}). One-time wiring, allowed while paused. Emits {ComplianceRegistryBound}.
     */
    function bindComplianceRegistry(address complianceRegistry_) external;

    /**
     * @notice Attests `entity`'s emissions for `period`, in kg CO2e.
     * @dev Requirements: not paused; VERIFIER permission and accreditation for `sector`; the caller neither the
     * entity nor its controller; the sector of a registered entity; no statement yet, or only one of another sector
     * than the registered entity's (replaced, {StatementReplaced}); reporting open. Emits {EmissionsAttested}.
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
     * @notice Corrects an existing statement; the caller becomes its verifier; the previous version is kept.
     * @dev Requirements: not paused; VERIFIER permission and accreditation for the statement's sector; the statement
     * of the registered entity's sector ({LedgerWrongSector}); the caller neither the entity nor its controller;
     * reporting open; before {correctionDeadline} ({LedgerCorrectionClosed}). Emits {EmissionsCorrected} and
     * {StatementVersionArchived}.
     */
    function correct(
        address entity,
        uint64 period,
        uint256 emissions,
        bytes32 evidenceHash,
        bytes32 reasonHash,
        string calldata uri
    ) external;

    /// @notice Stops every state change (attestations, corrections, deadlines, accreditation, entity profiles).
    /// Requirements: PAUSER permission; not paused (`EnforcedPause`). Emits `Paused`.
    function pause() external;

    /// @notice Resumes. Requirements: PAUSER permission; paused (`ExpectedPause`). Emits `Unpaused`.
    function unpause() external;

    /// @notice The statement of `(entity, period)`; `verifier` is zero when there is none.
    function getStatement(address entity, uint64 period) external view returns (Statement memory);

    /// @notice Version `version` (0 = the first) of the previous versions of `(entity, period)`'s statement, oldest
    /// first; there are `getStatement(...).corrections` of them. Reverts with {LedgerUnknownVersion}.
    function statementVersion(address entity, uint64 period, uint256 version) external view returns (Statement memory);

    /// @notice When corrections of `(entity, period)` close (0 when there is no statement and no deadline).
    function correctionDeadline(address entity, uint64 period) external view returns (uint64);

    /// @notice Verified emissions of `(entity, period)` in kg, and whether a statement that counts exists: for an
    /// entity the compliance registry declared, only a statement of its sector counts.
    function verifiedEmissions(address entity, uint64 period) external view returns (bool verified, uint256 emissions);

    /// @notice Whether `verifier` is accredited for `sector`.
    function isAccredited(address verifier, uint32 sector) external view returns (bool);

    /// @notice When reporting for `period` closes (0: not set, reporting open).
    function reportingDeadline(uint64 period) external view returns (uint64);

    /// @notice Whether `period`'s reporting deadline is locked (may only be brought forward).
    function isReportingDeadlineLocked(uint64 period) external view returns (bool);

    /// @notice Whether reporting for `period` is closed.
    function isReportingClosed(uint64 period) external view returns (bool);

    /// @notice What the compliance registry declared about `entity`.
    function entityProfile(address entity) external view returns (EntityProfile memory);

    /// @notice Whether `entity` is carbon neutral for `period` (see {Neutrality}); neutral needs a statement.
    function neutralityStatus(address entity, uint64 period) external view returns (Neutrality memory);

    /// @notice The retirement registry whose neutrality claims count against emissions.
    function retirement() external view returns (IRetirementRegistry);

    /// @notice The compliance registry bound by {bindComplianceRegistry} (zero before).
    function complianceRegistry() external view returns (address);

    /// @notice Whether the ledger is paused.
    function paused() external view returns (bool);
}
