// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Adjustment, Authorisation, Category, ProjectStatus, ReportStatus} from "./ICarbonTypes.sol";
import {ICarbonCredit} from "./ICarbonCredit.sol";

/**
 * @title ICarbonRegistry
 * @notice Methodologies, verifier accreditation, projects, monitoring reports (MRV), issuance of credit batches,
 * serial ranges that never overlap within a standard's namespace, a buffer pool with reversals, batch suspension
 * and Article 6 status.
 */
interface ICarbonRegistry {
    /// @notice An approved way of quantifying emission reductions or removals.
    struct Methodology {
        Category category;
        bool active;
        string code;
        string uri;
    }

    /// @notice What a proponent supplies to register a project.
    struct ProjectRegistration {
        uint32 methodologyId;
        uint16 bufferBps;
        string standard;
        string externalRef;
        string jurisdiction;
        string uri;
    }

    /// @notice A registered project. `namespace` is `keccak256(bytes(standard))`: serial ranges are unique within it.
    struct Project {
        address proponent;
        uint32 methodologyId;
        uint16 bufferBps;
        ProjectStatus status;
        uint64 lastIssuedPeriodEnd;
        uint128 reversalShortfall;
        uint128 reversed;
        bytes32 namespace;
        string standard;
        string externalRef;
        string jurisdiction;
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
     * category, vintage, Article 6 status, and the project's jurisdiction as `keccak256(bytes(jurisdiction))` and
     * its country as the key of the part before the first '-' (see {jurisdictionKey}; both equal without a '-').
     */
    struct BatchProfile {
        uint64 projectId;
        uint32 methodologyId;
        Category category;
        Authorisation authorisation;
        Adjustment adjustment;
        uint64 vintageStart;
        uint64 vintageEnd;
        bytes32 jurisdiction;
        bytes32 country;
    }

    /// @notice A namespace's sorted list of serial ranges: first and last batch, and how many batches it holds.
    struct Namespace {
        uint64 head;
        uint64 tail;
        uint64 count;
    }

    /// @notice Emitted once, when the registry is wired to its credit token.
    event CreditTokenSet(address indexed credit);

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
        bytes32 namespace,
        uint16 bufferBps,
        string standard,
        string externalRef,
        string jurisdiction,
        string uri
    );

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

    /// @notice Thrown when a project's standard namespace is empty.
    error CarbonRegistryEmptyStandard();

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

    // ---------------------------------------------------------------- wiring and methodologies

    /**
     * @notice Wires the registry to its credit token, once.
     * @dev Requirements: ADMIN permission; not set before; `credit.registry() == address(this)`.
     * Emits {CreditTokenSet}.
     */
    function initialize(ICarbonCredit credit) external;

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
     * @notice Registers a project with the caller as proponent. The project starts Pending.
     * @dev Requirements: active methodology; buffer at most 10,000 bps; non-empty standard. Emits {ProjectRegistered}.
     * @return projectId The new project id (sequential from 1).
     */
    function registerProject(ProjectRegistration calldata registration) external returns (uint256 projectId);

    /**
     * @notice Approves a Pending project, or reinstates a Suspended one.
     * @dev Requirements: REGISTRAR permission. Emits {ProjectStatusChanged}.
     */
    function approveProject(uint256 projectId, bytes32 reasonHash) external;

    /**
     * @notice Rejects a Pending project.
     * @dev Requirements: REGISTRAR permission. Emits {ProjectStatusChanged}.
     */
    function rejectProject(uint256 projectId, bytes32 reasonHash) external;

    /**
     * @notice Suspends an Approved project: it can submit no report and receive no issuance until reinstated.
     * @dev Requirements: REGISTRAR permission. Emits {ProjectStatusChanged}.
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
     * @dev Requirements: VERIFIER permission; accredited for the project's methodology; not the proponent;
     * report Submitted; non-zero hash. Emits {ReportVerified}.
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
     * @dev Requirements: REGISTRAR permission; batch exists and is not suspended. Emits {BatchSuspended}.
     */
    function suspendBatch(uint256 batchId, bytes32 reasonHash) external;

    /**
     * @notice Reinstates a suspended batch.
     * @dev Requirements: REGISTRAR permission; batch suspended. Emits {BatchReinstated}.
     */
    function reinstateBatch(uint256 batchId, bytes32 reasonHash) external;

    /**
     * @notice Sets a batch's Article 6 authorisation and corresponding-adjustment status for its host country.
     * @dev Requirements: REGISTRAR permission; batch exists; an authorisation (NDC or OIMP) goes with an adjustment
     * (Pending or Applied), and no authorisation with NotApplicable. Emits {Article6StatusSet}.
     */
    function setArticle6Status(uint256 batchId, Authorisation authorisation, Adjustment adjustment) external;

    /// @notice Stops every state change of the registry. Requirements: PAUSER permission.
    function pause() external;

    /// @notice Resumes the registry. Requirements: PAUSER permission.
    function unpause() external;

    // ---------------------------------------------------------------- views

    /// @notice The credit token (zero until {initialize}).
    function credit() external view returns (ICarbonCredit);

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

    /// @notice The key a jurisdiction or country is matched by: `keccak256(bytes(jurisdiction))`, e.g. of "BR-PA"
    /// (the state of Pará) or "BR" (Brazil, which matches every "BR-…" project too).
    function jurisdictionKey(string calldata jurisdiction) external pure returns (bytes32);

    /// @notice The batches issued for a project, in issuance order.
    function projectBatches(uint256 projectId) external view returns (uint256[] memory);

    /// @notice Units of the project's buffer contributions not yet cancelled.
    function bufferBalance(uint256 projectId) external view returns (uint256);

    /// @notice The namespace id of a standard: `keccak256(bytes(standard))`.
    function namespaceOf(string calldata standard) external pure returns (bytes32);

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
