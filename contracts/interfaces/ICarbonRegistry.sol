// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Adjustment, Authorisation, Category, ProjectStatus, ReportStatus} from "./ICarbonTypes.sol";
import {ICarbonCredit} from "./ICarbonCredit.sol";

/**
 * @title ICarbonRegistry
 * @notice Standards (the serial namespaces of registries), methodologies, verifier accreditation and affiliation,
 * projects, monitoring reports (MRV), issuance of credit batches, serial ranges that never overlap within a standard's
 * namespace, a buffer pool with reversals, batch suspension and Article 6 status.
 */
interface ICarbonRegistry {
    /// @notice An approved way of quantifying emission reductions or removals.
    struct Methodology {
        Category category;
        bool active;
        string code;
        string uri;
    }

    /**
     * @notice A standard: the serial namespace of a registry ("VCS", "GS", "PURO", ...), added by the registrar.
     * `code` is canonical: 1 to 16 characters of `A-Z`, `0-9`, `-` and `.`, unique among standards. An inactive
     * standard takes no new project; a standard is never removed.
     */
    struct Standard {
        bool active;
        string code;
        string uri;
    }

    /**
     * @notice What a proponent supplies to register a project. `standardId` names one of the registrar's standards;
     * `externalRef` is the project's reference in that standard, canonical: 1 to 64 characters of `A-Z`, `0-9`, `-`,
     * `.`, `_` and `/` (so "abc", "ABC " and "ABC" cannot be three projects: only "ABC" is accepted). `jurisdiction`
     * is where the project is, an ISO 3166 code in canonical form ("BR-PA", "KE"; see {Jurisdictions}).
     */
    struct ProjectRegistration {
        uint32 methodologyId;
        uint16 bufferBps;
        uint32 standardId;
        string externalRef;
        string jurisdiction;
        string uri;
    }

    /**
     * @notice A registered project. `namespace` is derived from `standardId` only (see {namespaceOf}): serial ranges
     * are unique within it. `standard` is the standard's code, filled in by {getProject} from the standard.
     * `jurisdiction` is the project's ISO 3166 code in compact form (see {Jurisdictions}, {jurisdictionCode}).
     */
    struct Project {
        address proponent;
        uint32 methodologyId;
        uint16 bufferBps;
        ProjectStatus status;
        uint32 standardId;
        uint64 lastIssuedPeriodEnd;
        bytes8 jurisdiction;
        uint128 reversalShortfall;
        uint128 reversed;
        bytes32 namespace;
        string standard;
        string externalRef;
        string uri;
    }

    /// @notice What a proponent supplies in a monitoring report. `serialEnd - serialStart + 1 == quantity`.
    struct ReportSubmission {
        uint64 projectId;
        uint64 periodStart;
        uint64 periodEnd;
        uint128 quantity;
        uint128 serialStart;
        uint128 serialEnd;
        bytes32 reportHash;
        string uri;
    }

    /// @notice A monitoring report and its verification. The report's URI is carried by {ReportSubmitted} only: the
    /// report hash is the on-chain commitment, and storing free text would make every report cost more.
    struct MonitoringReport {
        uint64 projectId;
        uint64 periodStart;
        uint64 periodEnd;
        ReportStatus status;
        address verifier;
        uint64 batchId;
        uint128 quantity;
        uint128 serialStart;
        uint128 serialEnd;
        bytes32 reportHash;
        bytes32 verificationHash;
    }

    /// @notice An issued batch of credits (ERC-1155 id = batch id). Supply counters live in the credit token.
    struct Batch {
        uint64 projectId;
        uint64 reportId;
        uint64 vintageStart;
        uint64 vintageEnd;
        uint128 serialStart;
        uint128 serialEnd;
        uint64 nextInNamespace;
        uint128 bufferRemaining;
        Authorisation authorisation;
        Adjustment adjustment;
    }

    /**
     * @notice What buyers and eligibility rules match a batch on, read in one call: its project, methodology and
     * category, vintage, Article 6 status, and the project's jurisdiction (compact ISO 3166, see {Jurisdictions}).
     */
    struct BatchProfile {
        uint64 projectId;
        uint32 methodologyId;
        Category category;
        Authorisation authorisation;
        Adjustment adjustment;
        uint64 vintageStart;
        uint64 vintageEnd;
        bytes8 jurisdiction;
    }

    /// @notice A namespace's sorted list of serial ranges: first and last batch, and how many batches it holds.
    struct Namespace {
        uint64 head;
        uint64 tail;
        uint64 count;
    }

    /// @notice Emitted once, when the registry is wired to its credit token.
    event CreditTokenSet(address indexed credit);

    /// @notice Emitted when the registrar adds a standard.
    event StandardAdded(uint256 indexed standardId, string code, string uri);

    /// @notice Emitted when the registrar activates or deactivates a standard.
    event StandardStatusChanged(uint256 indexed standardId, bool active);

    /// @notice Emitted when the registrar records `account` as one of organisation `organisationId`'s addresses
    /// (0 = no organisation); `previousOrganisationId` is the one it replaces.
    event AffiliationSet(address indexed account, uint64 indexed organisationId, uint64 indexed previousOrganisationId);

    /// @notice Emitted when the registrar adds a methodology.
    event MethodologyAdded(uint256 indexed methodologyId, string code, Category category, string uri);

    /// @notice Emitted when the registrar activates or deactivates a methodology.
    event MethodologyStatusChanged(uint256 indexed methodologyId, bool active);

    /// @notice Emitted when the registrar accredits `verifier` for a methodology.
    event VerifierAccredited(address indexed verifier, uint256 indexed methodologyId);

    /// @notice Emitted when the registrar revokes the accreditation of `verifier` for a methodology.
    event VerifierRevoked(address indexed verifier, uint256 indexed methodologyId);

    /// @notice Emitted when a proponent registers a project.
    event ProjectRegistered(
        uint256 indexed projectId,
        address indexed proponent,
        uint256 indexed methodologyId,
        uint256 standardId,
        bytes32 namespace,
        uint16 bufferBps,
        string externalRef,
        bytes8 jurisdiction,
        string uri
    );

    /// @notice Emitted when a rejected project releases its `(standardId, externalRef)` key, so that the external
    /// project can be registered again (a rejected project never had a report, so nothing was issued under the key).
    event ProjectRefReleased(uint256 indexed projectId, uint256 indexed standardId);

    /// @notice Emitted when the registrar approves, rejects, suspends or reinstates a project.
    event ProjectStatusChanged(uint256 indexed projectId, ProjectStatus status, bytes32 reasonHash);

    /// @notice Emitted when a proponent submits a monitoring report.
    event ReportSubmitted(
        uint256 indexed reportId,
        uint256 indexed projectId,
        address indexed proponent,
        uint64 periodStart,
        uint64 periodEnd,
        uint128 quantity,
        uint128 serialStart,
        uint128 serialEnd,
        bytes32 reportHash,
        string uri
    );

    /// @notice Emitted when an accredited verifier verifies a report.
    event ReportVerified(
        uint256 indexed reportId,
        uint256 indexed projectId,
        address indexed verifier,
        bytes32 verificationHash
    );

    /// @notice Emitted when an accredited verifier rejects a report.
    event ReportRejected(
        uint256 indexed reportId,
        uint256 indexed projectId,
        address indexed verifier,
        bytes32 reasonHash
    );

    /// @notice Emitted when the registrar issues a verified report as batch `batchId`.
    /// `prevInNamespace` is the batch whose serial range now precedes this one (0 when it is the first).
    event BatchIssued(
        uint256 indexed batchId,
        uint256 indexed projectId,
        uint256 indexed reportId,
        bytes32 namespace,
        uint128 serialStart,
        uint128 serialEnd,
        uint64 vintageStart,
        uint64 vintageEnd,
        uint256 toProponent,
        uint256 buffer,
        uint256 prevInNamespace
    );

    /// @notice Emitted when a reversal of `amount` units is recorded on a project: `cancelled` came from its buffer,
    /// `shortfall` stays owed (the project's total shortfall is `totalShortfall`).
    event ReversalRecorded(
        uint256 indexed projectId,
        uint256 amount,
        uint256 cancelled,
        uint256 shortfall,
        uint256 totalShortfall,
        bytes32 reasonHash
    );

    /// @notice Emitted when `amount` buffer units of batch `batchId` are cancelled for project `projectId`.
    event BufferCancelled(uint256 indexed batchId, uint256 indexed projectId, uint256 amount);

    /// @notice Emitted when a new issuance pays down `amount` of a project's shortfall from its fresh buffer.
    event ShortfallRepaid(uint256 indexed projectId, uint256 indexed batchId, uint256 amount, uint256 remaining);

    /// @notice Emitted when the registrar suspends a batch.
    event BatchSuspended(uint256 indexed batchId, bytes32 reasonHash);

    /// @notice Emitted when the registrar reinstates a suspended batch.
    event BatchReinstated(uint256 indexed batchId, bytes32 reasonHash);

    /// @notice Emitted when the registrar sets a batch's Article 6 authorisation and adjustment status.
    event Article6StatusSet(uint256 indexed batchId, Authorisation authorisation, Adjustment adjustment);

    /// @notice Thrown when the credit token is set a second time.
    error CarbonRegistryAlreadyInitialized(address credit);

    /// @notice Thrown when the credit token does not name this registry as its registry.
    error CarbonRegistryWrongCredit(address credit, address registryOfCredit);

    /// @notice Thrown when issuing before the credit token is set.
    error CarbonRegistryNotInitialized();

    /// @notice Thrown when a methodology code is empty.
    error CarbonRegistryEmptyCode();

    /// @notice Thrown when `methodologyId` does not exist.
    error CarbonRegistryUnknownMethodology(uint256 methodologyId);

    /// @notice Thrown when `methodologyId` is inactive.
    error CarbonRegistryInactiveMethodology(uint256 methodologyId);

    /// @notice Thrown when a methodology's active flag is already `active`.
    error CarbonRegistryMethodologyUnchanged(uint256 methodologyId, bool active);

    /// @notice Thrown when an accreditation already has the requested state.
    error CarbonRegistryAccreditationUnchanged(address verifier, uint256 methodologyId, bool accredited);

    /// @notice Thrown when `verifier` is the zero address.
    error CarbonRegistryInvalidVerifier(address verifier);

    /// @notice Thrown when `verifier` is not accredited for the project's methodology.
    error CarbonRegistryVerifierNotAccredited(address verifier, uint256 methodologyId);

    /// @notice Thrown when a verifier tries to verify or reject a report of its own project.
    error CarbonRegistrySelfVerification(address verifier, uint256 projectId);

    /// @notice Thrown when a buffer share exceeds 100% (10,000 bps).
    error CarbonRegistryInvalidBuffer(uint256 bufferBps);

    /// @notice Thrown when a standard code is not canonical (1 to 16 characters of `A-Z`, `0-9`, `-`, `.`).
    error CarbonRegistryInvalidStandardCode(string code);

    /// @notice Thrown when a standard with this code already exists as `standardId`.
    error CarbonRegistryStandardExists(string code, uint256 standardId);

    /// @notice Thrown when `standardId` does not exist.
    error CarbonRegistryUnknownStandard(uint256 standardId);

    /// @notice Thrown when registering a project under an inactive standard.
    error CarbonRegistryInactiveStandard(uint256 standardId);

    /// @notice Thrown when a standard's active flag is already `active`.
    error CarbonRegistryStandardUnchanged(uint256 standardId, bool active);

    /// @notice Thrown when an external reference is not canonical (1 to 64 characters of `A-Z`, `0-9`, `-`, `.`, `_`,
    /// `/`).
    error CarbonRegistryInvalidExternalRef(string externalRef);

    /// @notice Thrown when the external project `(standardId, externalRef)` is already carried by project `projectId`.
    error CarbonRegistryDuplicateProject(uint256 standardId, string externalRef, uint256 projectId);

    /// @notice Thrown when an affiliation is set for the zero address.
    error CarbonRegistryInvalidAccount(address account);

    /// @notice Thrown when `account` is already affiliated with `organisationId`.
    error CarbonRegistryAffiliationUnchanged(address account, uint64 organisationId);

    /// @notice Thrown when a verifier affiliated with the proponent's organisation verifies or rejects its report.
    error CarbonRegistryAffiliatedVerifier(address verifier, address proponent, uint64 organisationId);

    /// @notice Thrown when changing the Article 6 status of batch `batchId` after `retired` of its units were retired
    /// under the current status: only an adjustment advancing from Pending to Applied is allowed then.
    error CarbonRegistryArticle6Locked(
        uint256 batchId,
        uint256 retired,
        Authorisation currentAuthorisation,
        Adjustment currentAdjustment,
        Authorisation requestedAuthorisation,
        Adjustment requestedAdjustment
    );

    /// @notice Thrown when `projectId` does not exist.
    error CarbonRegistryUnknownProject(uint256 projectId);

    /// @notice Thrown when a project is not in the status the operation needs.
    error CarbonRegistryInvalidProjectStatus(uint256 projectId, ProjectStatus status);

    /// @notice Thrown when `caller` is not the project's proponent.
    error CarbonRegistryNotProponent(uint256 projectId, address caller);

    /// @notice Thrown when a report's quantity is zero.
    error CarbonRegistryZeroQuantity();

    /// @notice Thrown when a monitoring period is empty, inverted or in the future.
    error CarbonRegistryInvalidPeriod(uint64 periodStart, uint64 periodEnd);

    /// @notice Thrown when a monitoring period starts before the end of the project's last issued period.
    error CarbonRegistryPeriodAlreadyIssued(uint256 projectId, uint64 periodStart, uint64 lastIssuedPeriodEnd);

    /// @notice Thrown when a serial range is inverted or does not hold exactly `quantity` serials.
    error CarbonRegistrySerialRangeMismatch(uint128 quantity, uint128 serialStart, uint128 serialEnd);

    /// @notice Thrown when the report hash is zero or was already submitted as report `reportId`.
    error CarbonRegistryInvalidReportHash(bytes32 reportHash, uint256 reportId);

    /// @notice Thrown when `reportId` does not exist.
    error CarbonRegistryUnknownReport(uint256 reportId);

    /// @notice Thrown when a report is not in the status the operation needs.
    error CarbonRegistryInvalidReportStatus(uint256 reportId, ReportStatus status);

    /// @notice Thrown when a verification or reason hash is zero.
    error CarbonRegistryZeroHash();

    /// @notice Thrown when a serial range overlaps batch `batchId`'s range in the same namespace.
    error CarbonRegistrySerialOverlap(
        bytes32 namespace,
        uint128 serialStart,
        uint128 serialEnd,
        uint256 batchId,
        uint128 batchSerialStart,
        uint128 batchSerialEnd
    );

    /// @notice Thrown when a serial hint is not a batch of the namespace or lies after the new range.
    error CarbonRegistryInvalidSerialHint(uint256 hint);

    /// @notice Thrown when a pagination cursor is not a batch of `namespace`.
    error CarbonRegistryCursorNotInNamespace(uint256 cursor, bytes32 namespace);

    /// @notice Thrown when `batchId` does not exist.
    error CarbonRegistryUnknownBatch(uint256 batchId);

    /// @notice Thrown when a reversal amount is zero.
    error CarbonRegistryZeroReversal();

    /// @notice Thrown when an Article 6 status combination is inconsistent: an adjustment without authorisation, or an
    /// authorisation without an adjustment (pending or applied).
    error CarbonRegistryInvalidArticle6(Authorisation authorisation, Adjustment adjustment);

    /// @notice Thrown when tokens other than this registry's own buffer issuance are sent to it.
    error CarbonRegistryUnexpectedTokens(address operator);

    // ---------------------------------------------------------------- wiring, standards and methodologies

    /**
     * @notice Wires the registry to its credit token, once.
     * @dev Requirements: ADMIN permission; not set before; `credit.registry() == address(this)`.
     * Emits {CreditTokenSet}.
     */
    function initialize(ICarbonCredit credit) external;

    /**
     * @notice Adds an active standard: a registry's serial namespace that proponents register projects under.
     * @dev Requirements: REGISTRAR permission; not paused; `code` canonical (1 to 16 characters of `A-Z`, `0-9`, `-`,
     * `.`) and not used by another standard. Emits {StandardAdded}.
     * @return standardId The new standard id (sequential from 1).
     */
    function addStandard(string calldata code, string calldata uri) external returns (uint32 standardId);

    /**
     * @notice Activates or deactivates a standard. No project can register under an inactive standard; projects
     * already registered under it keep working. A standard is never removed.
     * @dev Requirements: REGISTRAR permission; not paused; known standard; the flag changes.
     * Emits {StandardStatusChanged}.
     */
    function setStandardActive(uint256 standardId, bool active) external;

    /**
     * @notice Records `account` as an address of organisation `organisationId` (0 removes it from any). A verifier
     * cannot verify or reject a report of a project whose proponent belongs to the same organisation.
     * @dev Requirements: REGISTRAR permission; not paused; non-zero account; the affiliation changes.
     * Emits {AffiliationSet}.
     */
    function setAffiliation(address account, uint64 organisationId) external;

    /**
     * @notice Adds an active methodology.
     * @dev Requirements: REGISTRAR permission; non-empty code. Emits {MethodologyAdded}.
     * @return methodologyId The new methodology id (sequential from 1).
     */
    function addMethodology(
        string calldata code,
        Category category,
        string calldata uri
    ) external returns (uint256 methodologyId);

    /**
     * @notice Activates or deactivates a methodology. Projects cannot register or report under an inactive one.
     * @dev Requirements: REGISTRAR permission; the flag changes. Emits {MethodologyStatusChanged}.
     */
    function setMethodologyActive(uint256 methodologyId, bool active) external;

    /**
     * @notice Accredits `verifier` to verify reports of projects under `methodologyId`.
     * @dev Requirements: REGISTRAR permission; known methodology; not yet accredited. Emits {VerifierAccredited}.
     * The verifier also needs the VERIFIER role, granted by governance.
     */
    function accreditVerifier(address verifier, uint256 methodologyId) external;

    /**
     * @notice Revokes the accreditation of `verifier` for `methodologyId`.
     * @dev Requirements: REGISTRAR permission; currently accredited. Emits {VerifierRevoked}.
     */
    function revokeVerifier(address verifier, uint256 methodologyId) external;

    // ---------------------------------------------------------------- projects

    /**
     * @notice Registers a project with the caller as proponent, under one of the registrar's standards. The project
     * starts Pending. The external project `(standardId, externalRef)` is carried by at most one project at a time, so
     * each of its monitoring periods is issued at most once; a rejected project releases it.
     * @dev Requirements: not paused; active methodology; buffer at most 10,000 bps; active standard; canonical
     * `externalRef` (1 to 64 characters of `A-Z`, `0-9`, `-`, `.`, `_`, `/`) not carried by another project.
     * Emits {ProjectRegistered}.
     * @return projectId The new project id (sequential from 1).
     */
    function registerProject(ProjectRegistration calldata registration) external returns (uint256 projectId);

    /**
     * @notice Approves a Pending project, or reinstates a Suspended one.
     * @dev Requirements: REGISTRAR permission. Emits {ProjectStatusChanged}.
     */
    function approveProject(uint256 projectId, bytes32 reasonHash) external;

    /**
     * @notice Rejects a Pending project. Its `(standardId, externalRef)` key is released, so the external project can
     * be registered again (it never had a report).
     * @dev Requirements: REGISTRAR permission. Emits {ProjectStatusChanged} and {ProjectRefReleased}.
     */
    function rejectProject(uint256 projectId, bytes32 reasonHash) external;

    /**
     * @notice Suspends an Approved project: it can submit no report and receive no issuance until reinstated.
     * @dev Requirements: REGISTRAR permission. Open while paused (it only tightens), so an incident can be contained
     * before unpausing. Emits {ProjectStatusChanged}.
     */
    function suspendProject(uint256 projectId, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- MRV

    /**
     * @notice Submits a monitoring report for an approved project of the caller.
     * @dev Requirements: caller is the proponent; project Approved; methodology active; quantity > 0; a past,
     * non-empty period starting no earlier than the last issued period's end; `serialEnd - serialStart + 1 ==
     * quantity`; a new, non-zero report hash. Emits {ReportSubmitted}.
     * @return reportId The new report id (sequential from 1).
     */
    function submitReport(ReportSubmission calldata report) external returns (uint256 reportId);

    /**
     * @notice Verifies a submitted report with the verifier's own verification hash.
     * @dev Requirements: VERIFIER permission; not paused; accredited for the project's methodology; not the
     * proponent, nor affiliated with the proponent's organisation (see {setAffiliation}); report Submitted; non-zero
     * hash. Emits {ReportVerified}.
     */
    function verifyReport(uint256 reportId, bytes32 verificationHash) external;

    /**
     * @notice Rejects a submitted report with a reason hash.
     * @dev Requirements as {verifyReport}. Emits {ReportRejected}.
     */
    function rejectReport(uint256 reportId, bytes32 reasonHash) external;

    // ---------------------------------------------------------------- issuance

    /**
     * @notice Issues a verified report as a new batch: `quantity - buffer` units to the proponent and the buffer
     * share (rounded up) to this registry's buffer pool, of which any outstanding reversal shortfall of the project
     * is cancelled at once.
     * @dev Requirements: REGISTRAR permission; not paused; report Verified; project Approved; the serial range
     * overlaps no range of the namespace. `serialHint` is the batch whose range precedes the new one (0 = start of
     * the list); a range after every existing one needs no hint, a stale hint costs a walk forward, see
     * {findSerialHint}. Emits {BatchIssued}, the token's {BatchMinted} and transfers.
     * @return batchId The new batch id (sequential from 1), also the ERC-1155 token id.
     */
    function issueBatch(uint256 reportId, uint256 serialHint) external returns (uint256 batchId);

    /**
     * @notice Records a reversal (fire, leakage) of `amount` units on a project: the units are cancelled from the
     * project's buffer contributions, oldest batch first; what the buffer cannot cover stays owed as shortfall.
     * @dev Requirements: REGISTRAR permission; not paused; known project; amount > 0.
     * Emits {ReversalRecorded} and one {BufferCancelled} per batch drawn.
     */
    function recordReversal(uint256 projectId, uint128 amount, bytes32 reasonHash) external;

    /**
     * @notice Suspends a batch under investigation: it can be neither transferred, listed nor retired.
     * @dev Requirements: REGISTRAR permission; batch exists and is not suspended. Open while paused (it only
     * tightens), so an incident can be contained before unpausing. Emits {BatchSuspended}.
     */
    function suspendBatch(uint256 batchId, bytes32 reasonHash) external;

    /**
     * @notice Reinstates a suspended batch.
     * @dev Requirements: REGISTRAR permission; not paused; batch suspended. Emits {BatchReinstated}.
     */
    function reinstateBatch(uint256 batchId, bytes32 reasonHash) external;

    /**
     * @notice Sets a batch's Article 6 authorisation and corresponding-adjustment status for its host country.
     * Once any unit of the batch has been retired (claimed under its status), the authorisation can no longer change
     * and the adjustment may only advance from Pending to Applied.
     * @dev Requirements: REGISTRAR permission; not paused; batch exists; an authorisation (NDC or OIMP) goes with an
     * adjustment (Pending or Applied), and no authorisation with NotApplicable; no retired unit, or the change is
     * Pending -> Applied under the same authorisation. Emits {Article6StatusSet}.
     */
    function setArticle6Status(uint256 batchId, Authorisation authorisation, Adjustment adjustment) external;

    /// @notice Stops every state change of the registry but the ones that only tighten ({suspendBatch},
    /// {suspendProject}). Requirements: PAUSER permission.
    function pause() external;

    /// @notice Resumes the registry. Requirements: PAUSER permission.
    function unpause() external;

    // ---------------------------------------------------------------- views

    /// @notice The credit token (zero until {initialize}).
    function credit() external view returns (ICarbonCredit);

    /// @notice Number of standards (the last standard id).
    function standardCount() external view returns (uint256);

    /// @notice A standard. Reverts with {CarbonRegistryUnknownStandard} when it does not exist.
    function getStandard(uint256 standardId) external view returns (Standard memory);

    /// @notice The id of the standard with code `code` (exact, canonical), 0 when there is none.
    function standardIdOf(string calldata code) external view returns (uint256);

    /// @notice The project carrying the external project `(standardId, externalRef)`, 0 when there is none.
    function projectOf(uint256 standardId, string calldata externalRef) external view returns (uint256);

    /// @notice The organisation `account` is affiliated with, 0 when none.
    function affiliationOf(address account) external view returns (uint64);

    /// @notice Number of methodologies, projects, reports and batches.
    function counts() external view returns (uint256 methodologies, uint256 projects, uint256 reports, uint256 batches);

    /// @notice A methodology. Reverts with {CarbonRegistryUnknownMethodology} when it does not exist.
    function getMethodology(uint256 methodologyId) external view returns (Methodology memory);

    /// @notice Whether `verifier` is accredited for `methodologyId`.
    function isAccredited(address verifier, uint256 methodologyId) external view returns (bool);

    /// @notice A project. Reverts with {CarbonRegistryUnknownProject} when it does not exist.
    function getProject(uint256 projectId) external view returns (Project memory);

    /// @notice A monitoring report. Reverts with {CarbonRegistryUnknownReport} when it does not exist.
    function getReport(uint256 reportId) external view returns (MonitoringReport memory);

    /// @notice A batch. Reverts with {CarbonRegistryUnknownBatch} when it does not exist.
    function getBatch(uint256 batchId) external view returns (Batch memory);

    /// @notice The matching profile of a batch. Reverts with {CarbonRegistryUnknownBatch} when it does not exist.
    function batchProfile(uint256 batchId) external view returns (BatchProfile memory);

    /// @notice `jurisdiction` in the compact form the suite stores and matches ("BR-PA", the state of Pará, is
    /// `0x42522d5041000000`; "BR", Brazil, matches every "BR-…" project too). Reverts with
    /// {Jurisdictions.JurisdictionInvalid} unless it is an ISO 3166 code in canonical form (see {Jurisdictions}).
    function jurisdictionCode(string calldata jurisdiction) external pure returns (bytes8);

    /// @notice The batches issued for a project, in issuance order.
    function projectBatches(uint256 projectId) external view returns (uint256[] memory);

    /// @notice Units of the project's buffer contributions not yet cancelled.
    function bufferBalance(uint256 projectId) external view returns (uint256);

    /// @notice The serial namespace of standard `standardId`: `bytes32(standardId)`, derived from the id only.
    function namespaceOf(uint256 standardId) external pure returns (bytes32);

    /// @notice The sorted serial-range list of a namespace: head, tail and count.
    function getNamespace(bytes32 namespace) external view returns (Namespace memory);

    /**
     * @notice Up to `limit` batch ids of a namespace in serial order, starting after batch `cursor` (0 = from the
     * start). `next` is the cursor for the following page (the page's last batch), 0 when the list is exhausted
     * or `limit` is 0. Reverts with {CarbonRegistryCursorNotInNamespace} for a cursor of another namespace.
     */
    function serialRanges(
        bytes32 namespace,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory batchIds, uint256 next);

    /**
     * @notice The hint for {issueBatch}: the batch after which `[serialStart, serialEnd]` would be inserted, and the
     * first batch it overlaps (0 when none). Walks the namespace off chain; not for use in transactions.
     */
    function findSerialHint(
        bytes32 namespace,
        uint128 serialStart,
        uint128 serialEnd
    ) external view returns (uint256 hint, uint256 clashingBatchId);
}
