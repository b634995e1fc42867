// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation, Category, ProjectStatus, ReportStatus} from "../interfaces/ICarbonTypes.sol";
import {Jurisdictions} from "../libraries/Jurisdictions.sol";

/**
 * @title CarbonRegistry
 * @notice The CNT registry with on-chain MRV: standards (registries' serial namespaces, kept by the registrar),
 * methodologies, verifier accreditation per methodology and affiliation per organisation, projects (one per external
 * project of a standard), monitoring reports verified by accredited, unaffiliated verifiers, issuance of ERC-1155
 * credit batches, serial ranges that never overlap within a standard's namespace, a buffer pool that covers
 * reversals, batch suspension and Article 6 status that claims made under it pin.
 *
 * Serial ranges of a namespace form a linked list sorted by serial, so the overlap check of an issuance reads
 * only the two neighbours of the new range: its cost does not grow with the number of ranges. Ranges issued in
 * increasing order are appended at the tail with no hint; a range issued out of order takes a hint (the batch
 * that precedes it, found with {findSerialHint}), and a stale hint only costs a walk forward.
 *
 * The buffer pool is this contract: it holds each batch's buffer share and accepts no other tokens.
 *
 * @custom:security-contact security@cnt.example
 */
contract CarbonRegistry is AccessManaged, Pausable, IERC1155Receiver, ICarbonRegistry {
    uint16 private constant _BPS = 10_000;
    uint256 private constant _MAX_STANDARD_CODE = 16;
    uint256 private constant _MAX_EXTERNAL_REF = 64;
    /// @dev Bit `c` set for each character `c` a standard code may hold: `A-Z`, `0-9`, `-`, `.`.
    uint256 private constant _CODE_CHARS = 0x7fffffe03ff600000000000;
    /// @dev Bit `c` set for each character `c` an external reference may hold: those of a code, `_` and `/`.
    uint256 private constant _REF_CHARS = 0x87fffffe03ffe00000000000;

    ICarbonCredit private _credit;

    uint32 private _methodologyCount;
    uint64 private _projectCount;
    uint64 private _reportCount;
    uint64 private _batchCount;
    uint32 private _standardCount;

    mapping(uint256 methodologyId => Methodology) private _methodologies;
    mapping(uint256 methodologyId => mapping(address verifier => bool)) private _accredited;
    mapping(uint256 projectId => Project) private _projects;
    mapping(uint256 projectId => uint64[]) private _projectBatches;
    mapping(uint256 projectId => uint256) private _bufferCursor;
    mapping(uint256 reportId => MonitoringReport) private _reports;
    mapping(bytes32 reportHash => uint256 reportId) private _reportByHash;
    mapping(uint256 batchId => Batch) private _batches;
    mapping(bytes32 namespace => Namespace) private _namespaces;
    mapping(uint256 standardId => Standard) private _standards;
    mapping(bytes32 codeKey => uint32 standardId) private _standardByCode;
    mapping(uint256 standardId => mapping(bytes32 refKey => uint64 projectId)) private _projectByRef;
    mapping(address account => uint64 organisationId) private _affiliations;

    /// @param authority The AccessManager that governs this registry.
    constructor(address authority) AccessManaged(authority) {}

    // ------------------------------------------------------------------------------------------ wiring

    /// @inheritdoc ICarbonRegistry
    function initialize(ICarbonCredit credit_) external restricted {
        if (address(_credit) != address(0)) revert CarbonRegistryAlreadyInitialized(address(_credit));
        address registryOfCredit = credit_.registry();
        if (registryOfCredit != address(this)) revert CarbonRegistryWrongCredit(address(credit_), registryOfCredit);
        _credit = credit_;
        emit CreditTokenSet(address(credit_));
    }

    // ------------------------------------------------------------------------------------------ standards

    /// @inheritdoc ICarbonRegistry
    function addStandard(
        string calldata code,
        string calldata uri
    ) external restricted whenNotPaused returns (uint32 standardId) {
        if (!_isCanonical(bytes(code), _MAX_STANDARD_CODE, _CODE_CHARS)) revert CarbonRegistryInvalidStandardCode(code);
        bytes32 codeKey = keccak256(bytes(code));
        uint32 existing = _standardByCode[codeKey];
        if (existing != 0) revert CarbonRegistryStandardExists(code, existing);
        standardId = ++_standardCount;
        _standardByCode[codeKey] = standardId;
        _standards[standardId] = Standard({active: true, code: code, uri: uri});
        emit StandardAdded(standardId, code, uri);
    }

    /// @inheritdoc ICarbonRegistry
    function setStandardActive(uint256 standardId, bool active) external restricted whenNotPaused {
        Standard storage st = _standard(standardId);
        if (st.active == active) revert CarbonRegistryStandardUnchanged(standardId, active);
        st.active = active;
        emit StandardStatusChanged(standardId, active);
    }

    /// @inheritdoc ICarbonRegistry
    function setAffiliation(address account, uint64 organisationId) external restricted whenNotPaused {
        if (account == address(0)) revert CarbonRegistryInvalidAccount(account);
        uint64 previous = _affiliations[account];
        if (previous == organisationId) revert CarbonRegistryAffiliationUnchanged(account, organisationId);
        _affiliations[account] = organisationId;
        emit AffiliationSet(account, organisationId, previous);
    }

    // ------------------------------------------------------------------------------------------ methodologies

    /// @inheritdoc ICarbonRegistry
    function addMethodology(
        string calldata code,
        Category category,
        string calldata uri
    ) external restricted whenNotPaused returns (uint256 methodologyId) {
        if (bytes(code).length == 0) revert CarbonRegistryEmptyCode();
        methodologyId = ++_methodologyCount;
        _methodologies[methodologyId] = Methodology({category: category, active: true, code: code, uri: uri});
        emit MethodologyAdded(methodologyId, code, category, uri);
    }

    /// @inheritdoc ICarbonRegistry
    function setMethodologyActive(uint256 methodologyId, bool active) external restricted whenNotPaused {
        Methodology storage m = _methodology(methodologyId);
        if (m.active == active) revert CarbonRegistryMethodologyUnchanged(methodologyId, active);
        m.active = active;
        emit MethodologyStatusChanged(methodologyId, active);
    }

    /// @inheritdoc ICarbonRegistry
    function accreditVerifier(address verifier, uint256 methodologyId) external restricted whenNotPaused {
        if (verifier == address(0)) revert CarbonRegistryInvalidVerifier(verifier);
        _methodology(methodologyId);
        if (_accredited[methodologyId][verifier]) {
            revert CarbonRegistryAccreditationUnchanged(verifier, methodologyId, true);
        }
        _accredited[methodologyId][verifier] = true;
        emit VerifierAccredited(verifier, methodologyId);
    }

    /// @inheritdoc ICarbonRegistry
    function revokeVerifier(address verifier, uint256 methodologyId) external restricted whenNotPaused {
        if (!_accredited[methodologyId][verifier]) {
            revert CarbonRegistryAccreditationUnchanged(verifier, methodologyId, false);
        }
        _accredited[methodologyId][verifier] = false;
        emit VerifierRevoked(verifier, methodologyId);
    }

    // ------------------------------------------------------------------------------------------ projects

    /// @inheritdoc ICarbonRegistry
    function registerProject(
        ProjectRegistration calldata registration
    ) external whenNotPaused returns (uint256 projectId) {
        _activeMethodology(registration.methodologyId);
        if (registration.bufferBps > _BPS) revert CarbonRegistryInvalidBuffer(registration.bufferBps);
        uint32 standardId = registration.standardId;
        if (!_standards[standardId].active) {
            _standard(standardId); // an unknown standard is named as such
            revert CarbonRegistryInactiveStandard(standardId);
        }
        projectId = ++_projectCount;
        _claimExternalRef(standardId, registration.externalRef, projectId);
        Project storage p = _projects[projectId];
        p.proponent = msg.sender;
        p.methodologyId = registration.methodologyId;
        p.bufferBps = registration.bufferBps;
        p.status = ProjectStatus.Pending;
        p.standardId = standardId;
        p.namespace = bytes32(uint256(standardId));
        p.externalRef = registration.externalRef;
        p.jurisdiction = Jurisdictions.parse(registration.jurisdiction);
        p.uri = registration.uri;
        _emitProjectRegistered(projectId, registration, p.jurisdiction);
    }

    /// @inheritdoc ICarbonRegistry
    function approveProject(uint256 projectId, bytes32 reasonHash) external restricted whenNotPaused {
        Project storage p = _project(projectId);
        if (p.status != ProjectStatus.Pending && p.status != ProjectStatus.Suspended) {
            revert CarbonRegistryInvalidProjectStatus(projectId, p.status);
        }
        _setProjectStatus(projectId, p, ProjectStatus.Approved, reasonHash);
    }

    /// @inheritdoc ICarbonRegistry
    function rejectProject(uint256 projectId, bytes32 reasonHash) external restricted whenNotPaused {
        Project storage p = _project(projectId);
        if (p.status != ProjectStatus.Pending) revert CarbonRegistryInvalidProjectStatus(projectId, p.status);
        _setProjectStatus(projectId, p, ProjectStatus.Rejected, reasonHash);
        // A Pending project never had a report, so nothing was issued under its key: the external project may be
        // registered again (corrected, or by its rightful proponent).
        delete _projectByRef[p.standardId][keccak256(bytes(p.externalRef))];
        emit ProjectRefReleased(projectId, p.standardId);
    }

    /// @inheritdoc ICarbonRegistry
    /// @dev Open while paused: suspending only tightens, so an incident can be contained before unpausing.
    function suspendProject(uint256 projectId, bytes32 reasonHash) external restricted {
        Project storage p = _project(projectId);
        if (p.status != ProjectStatus.Approved) revert CarbonRegistryInvalidProjectStatus(projectId, p.status);
        _setProjectStatus(projectId, p, ProjectStatus.Suspended, reasonHash);
    }

    // ------------------------------------------------------------------------------------------ MRV

    /// @inheritdoc ICarbonRegistry
    function submitReport(ReportSubmission calldata report) external whenNotPaused returns (uint256 reportId) {
        uint256 projectId = report.projectId;
        Project storage p = _project(projectId);
        if (p.proponent != msg.sender) revert CarbonRegistryNotProponent(projectId, msg.sender);
        if (p.status != ProjectStatus.Approved) revert CarbonRegistryInvalidProjectStatus(projectId, p.status);
        _activeMethodology(p.methodologyId);
        if (report.quantity == 0) revert CarbonRegistryZeroQuantity();
        if (report.periodEnd <= report.periodStart || report.periodEnd > block.timestamp) {
            revert CarbonRegistryInvalidPeriod(report.periodStart, report.periodEnd);
        }
        if (report.periodStart < p.lastIssuedPeriodEnd) {
            revert CarbonRegistryPeriodAlreadyIssued(projectId, report.periodStart, p.lastIssuedPeriodEnd);
        }
        if (report.serialEnd < report.serialStart || report.serialEnd - report.serialStart != report.quantity - 1) {
            revert CarbonRegistrySerialRangeMismatch(report.quantity, report.serialStart, report.serialEnd);
        }
        if (report.reportHash == bytes32(0) || _reportByHash[report.reportHash] != 0) {
            revert CarbonRegistryInvalidReportHash(report.reportHash, _reportByHash[report.reportHash]);
        }
        reportId = ++_reportCount;
        _reportByHash[report.reportHash] = reportId;
        MonitoringReport storage r = _reports[reportId];
        r.projectId = report.projectId;
        r.periodStart = report.periodStart;
        r.periodEnd = report.periodEnd;
        r.status = ReportStatus.Submitted;
        r.quantity = report.quantity;
        r.serialStart = report.serialStart;
        r.serialEnd = report.serialEnd;
        r.reportHash = report.reportHash;
        emit ReportSubmitted(
            reportId,
            projectId,
            msg.sender,
            report.periodStart,
            report.periodEnd,
            report.quantity,
            report.serialStart,
            report.serialEnd,
            report.reportHash,
            report.uri
        );
    }

    /// @inheritdoc ICarbonRegistry
    function verifyReport(uint256 reportId, bytes32 verificationHash) external restricted whenNotPaused {
        MonitoringReport storage r = _attestable(reportId, verificationHash);
        r.status = ReportStatus.Verified;
        r.verifier = msg.sender;
        r.verificationHash = verificationHash;
        emit ReportVerified(reportId, r.projectId, msg.sender, verificationHash);
    }

    /// @inheritdoc ICarbonRegistry
    function rejectReport(uint256 reportId, bytes32 reasonHash) external restricted whenNotPaused {
        MonitoringReport storage r = _attestable(reportId, reasonHash);
        r.status = ReportStatus.Rejected;
        r.verifier = msg.sender;
        r.verificationHash = reasonHash;
        emit ReportRejected(reportId, r.projectId, msg.sender, reasonHash);
    }

    // ------------------------------------------------------------------------------------------ issuance

    /// @inheritdoc ICarbonRegistry
    function issueBatch(
        uint256 reportId,
        uint256 serialHint
    ) external restricted whenNotPaused returns (uint256 batchId) {
        ICarbonCredit credit_ = _credit;
        if (address(credit_) == address(0)) revert CarbonRegistryNotInitialized();
        MonitoringReport storage r = _report(reportId);
        if (r.status != ReportStatus.Verified) revert CarbonRegistryInvalidReportStatus(reportId, r.status);
        uint256 projectId = r.projectId;
        Project storage p = _projects[projectId];
        if (p.status != ProjectStatus.Approved) revert CarbonRegistryInvalidProjectStatus(projectId, p.status);
        // Reports may be verified out of order: the period check at submission is repeated against issuance.
        if (r.periodStart < p.lastIssuedPeriodEnd) {
            revert CarbonRegistryPeriodAlreadyIssued(projectId, r.periodStart, p.lastIssuedPeriodEnd);
        }

        batchId = ++_batchCount;
        uint128 quantity = r.quantity;
        uint128 buffer = uint128(Math.mulDiv(quantity, p.bufferBps, _BPS, Math.Rounding.Ceil));
        uint256 prev = _insertSerialRange(p.namespace, uint64(batchId), r.serialStart, r.serialEnd, serialHint);

        Batch storage b = _batches[batchId];
        b.projectId = uint64(projectId);
        b.reportId = uint64(reportId);
        b.vintageStart = r.periodStart;
        b.vintageEnd = r.periodEnd;
        b.serialStart = r.serialStart;
        b.serialEnd = r.serialEnd;
        r.status = ReportStatus.Issued;
        r.batchId = uint64(batchId);
        p.lastIssuedPeriodEnd = r.periodEnd;

        // A fresh buffer first pays down what earlier reversals left owed.
        uint128 repaid = uint128(Math.min(buffer, p.reversalShortfall));
        b.bufferRemaining = buffer - repaid;
        if (repaid != 0) p.reversalShortfall -= repaid;
        _projectBatches[projectId].push(uint64(batchId));

        emit BatchIssued(
            batchId,
            projectId,
            reportId,
            p.namespace,
            r.serialStart,
            r.serialEnd,
            r.periodStart,
            r.periodEnd,
            quantity - buffer,
            buffer,
            prev
        );
        credit_.mintBatch(batchId, p.proponent, quantity - buffer, address(this), buffer);
        if (repaid != 0) {
            credit_.cancel(address(this), batchId, repaid);
            emit ShortfallRepaid(projectId, batchId, repaid, p.reversalShortfall);
        }
    }

    /// @inheritdoc ICarbonRegistry
    function recordReversal(uint256 projectId, uint128 amount, bytes32 reasonHash) external restricted whenNotPaused {
        Project storage p = _project(projectId);
        if (amount == 0) revert CarbonRegistryZeroReversal();
        uint64[] storage batches = _projectBatches[projectId];
        uint256 cursor = _bufferCursor[projectId];
        uint128 owed = amount;
        ICarbonCredit credit_ = _credit;
        // Oldest buffer first; the cursor skips batches whose buffer is spent, so each batch is passed once.
        while (owed != 0 && cursor < batches.length) {
            uint64 batchId = batches[cursor];
            Batch storage b = _batches[batchId];
            uint128 take = b.bufferRemaining < owed ? b.bufferRemaining : owed;
            if (take != 0) {
                b.bufferRemaining -= take;
                owed -= take;
                credit_.cancel(address(this), batchId, take);
                emit BufferCancelled(batchId, projectId, take);
            }
            if (b.bufferRemaining == 0) ++cursor;
        }
        _bufferCursor[projectId] = cursor;
        p.reversed += amount;
        p.reversalShortfall += owed;
        emit ReversalRecorded(projectId, amount, amount - owed, owed, p.reversalShortfall, reasonHash);
    }

    /// @inheritdoc ICarbonRegistry
    /// @dev Open while paused: suspending only tightens, so an incident can be contained before unpausing.
    function suspendBatch(uint256 batchId, bytes32 reasonHash) external restricted {
        _batch(batchId);
        _credit.setSuspended(batchId, true);
        emit BatchSuspended(batchId, reasonHash);
    }

    /// @inheritdoc ICarbonRegistry
    function reinstateBatch(uint256 batchId, bytes32 reasonHash) external restricted whenNotPaused {
        _batch(batchId);
        _credit.setSuspended(batchId, false);
        emit BatchReinstated(batchId, reasonHash);
    }

    /// @inheritdoc ICarbonRegistry
    function setArticle6Status(
        uint256 batchId,
        Authorisation authorisation,
        Adjustment adjustment
    ) external restricted whenNotPaused {
        Batch storage b = _batch(batchId);
        // Units authorised under Article 6 need a corresponding adjustment (pending, then applied); others none.
        if ((authorisation == Authorisation.None) != (adjustment == Adjustment.NotApplicable)) {
            revert CarbonRegistryInvalidArticle6(authorisation, adjustment);
        }
        // Retired units were claimed under the current status: only completing its pending adjustment is allowed.
        uint256 retired = _credit.supplyOf(batchId).retired;
        if (
            retired != 0 &&
            (authorisation != b.authorisation || b.adjustment != Adjustment.Pending || adjustment != Adjustment.Applied)
        ) {
            revert CarbonRegistryArticle6Locked(
                batchId,
                retired,
                b.authorisation,
                b.adjustment,
                authorisation,
                adjustment
            );
        }
        b.authorisation = authorisation;
        b.adjustment = adjustment;
        emit Article6StatusSet(batchId, authorisation, adjustment);
    }

    /// @inheritdoc ICarbonRegistry
    function pause() external restricted {
        _pause();
    }

    /// @inheritdoc ICarbonRegistry
    function unpause() external restricted {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------ buffer pool

    /// @dev Accepts only the buffer share this registry mints to itself at issuance.
    function onERC1155Received(
        address operator,
        address,
        uint256,
        uint256,
        bytes calldata
    ) external view returns (bytes4) {
        _onlyOwnIssuance(operator);
        return this.onERC1155Received.selector;
    }

    /// @dev Accepts only the buffer share this registry mints to itself at issuance.
    function onERC1155BatchReceived(
        address operator,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external view returns (bytes4) {
        _onlyOwnIssuance(operator);
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(ICarbonRegistry).interfaceId ||
            interfaceId == type(IERC1155Receiver).interfaceId ||
            interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc ICarbonRegistry
    function credit() external view returns (ICarbonCredit) {
        return _credit;
    }

    /// @inheritdoc ICarbonRegistry
    function standardCount() external view returns (uint256) {
        return _standardCount;
    }

    /// @inheritdoc ICarbonRegistry
    function getStandard(uint256 standardId) external view returns (Standard memory) {
        return _standard(standardId);
    }

    /// @inheritdoc ICarbonRegistry
    function standardIdOf(string calldata code) external view returns (uint256) {
        return _standardByCode[keccak256(bytes(code))];
    }

    /// @inheritdoc ICarbonRegistry
    function projectOf(uint256 standardId, string calldata externalRef) external view returns (uint256) {
        return _projectByRef[standardId][keccak256(bytes(externalRef))];
    }

    /// @inheritdoc ICarbonRegistry
    function affiliationOf(address account) external view returns (uint64) {
        return _affiliations[account];
    }

    /// @inheritdoc ICarbonRegistry
    function counts()
        external
        view
        returns (uint256 methodologies, uint256 projects, uint256 reports, uint256 batches)
    {
        return (_methodologyCount, _projectCount, _reportCount, _batchCount);
    }

    /// @inheritdoc ICarbonRegistry
    function getMethodology(uint256 methodologyId) external view returns (Methodology memory) {
        return _methodology(methodologyId);
    }

    /// @inheritdoc ICarbonRegistry
    function isAccredited(address verifier, uint256 methodologyId) external view returns (bool) {
        return _accredited[methodologyId][verifier];
    }

    /// @inheritdoc ICarbonRegistry
    function getProject(uint256 projectId) external view returns (Project memory project) {
        project = _project(projectId);
        // The standard's code is read from the standard (codes never change) rather than copied into every project.
        project.standard = _standards[project.standardId].code;
    }

    /// @inheritdoc ICarbonRegistry
    function getReport(uint256 reportId) external view returns (MonitoringReport memory) {
        return _report(reportId);
    }

    /// @inheritdoc ICarbonRegistry
    function getBatch(uint256 batchId) external view returns (Batch memory) {
        return _batch(batchId);
    }

    /// @inheritdoc ICarbonRegistry
    function batchProfile(uint256 batchId) external view returns (BatchProfile memory profile) {
        Batch storage b = _batch(batchId);
        Project storage p = _projects[b.projectId];
        uint32 methodologyId = p.methodologyId;
        profile = BatchProfile({
            projectId: b.projectId,
            methodologyId: methodologyId,
            category: _methodologies[methodologyId].category,
            authorisation: b.authorisation,
            adjustment: b.adjustment,
            vintageStart: b.vintageStart,
            vintageEnd: b.vintageEnd,
            jurisdiction: p.jurisdiction
        });
    }

    /// @inheritdoc ICarbonRegistry
    function jurisdictionCode(string calldata jurisdiction) external pure returns (bytes8) {
        return Jurisdictions.parse(jurisdiction);
    }

    /// @inheritdoc ICarbonRegistry
    function projectBatches(uint256 projectId) external view returns (uint256[] memory ids) {
        uint64[] storage batches = _projectBatches[projectId];
        ids = new uint256[](batches.length);
        for (uint256 i = 0; i < ids.length; ++i) ids[i] = batches[i];
    }

    /// @inheritdoc ICarbonRegistry
    function bufferBalance(uint256 projectId) external view returns (uint256 balance) {
        uint64[] storage batches = _projectBatches[projectId];
        for (uint256 i = _bufferCursor[projectId]; i < batches.length; ++i) {
            balance += _batches[batches[i]].bufferRemaining;
        }
    }

    /// @inheritdoc ICarbonRegistry
    function namespaceOf(uint256 standardId) external pure returns (bytes32) {
        return bytes32(standardId);
    }

    /// @inheritdoc ICarbonRegistry
    function getNamespace(bytes32 namespace) external view returns (Namespace memory) {
        return _namespaces[namespace];
    }

    /// @inheritdoc ICarbonRegistry
    function serialRanges(
        bytes32 namespace,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory batchIds, uint256 next) {
        uint64 first;
        if (cursor == 0) {
            first = _namespaces[namespace].head;
        } else {
            Batch storage c = _batch(cursor);
            if (_projects[c.projectId].namespace != namespace)
                revert CarbonRegistryCursorNotInNamespace(cursor, namespace);
            first = c.nextInNamespace;
        }
        uint256 n;
        uint64 last;
        for (uint64 id = first; id != 0 && n < limit; ++n) {
            last = id;
            id = _batches[id].nextInNamespace;
        }
        batchIds = new uint256[](n);
        uint64 cur = first;
        for (uint256 i = 0; i < n; ++i) {
            batchIds[i] = cur;
            cur = _batches[cur].nextInNamespace;
        }
        // `cur` is the batch after the page: when there is one, the page's last batch is the next cursor.
        next = cur != 0 && n != 0 ? last : 0;
    }

    /// @inheritdoc ICarbonRegistry
    function findSerialHint(
        bytes32 namespace,
        uint128 serialStart,
        uint128 serialEnd
    ) external view returns (uint256 hint, uint256 clashingBatchId) {
        uint64 cur = _namespaces[namespace].head;
        while (cur != 0) {
            Batch storage b = _batches[cur];
            if (b.serialEnd < serialStart) {
                hint = cur;
                cur = b.nextInNamespace;
                continue;
            }
            if (b.serialStart <= serialEnd) clashingBatchId = cur;
            break;
        }
    }

    // ------------------------------------------------------------------------------------------ internals

    /// @dev Inserts batch `batchId`'s range into the namespace's sorted list; reverts on any overlap.
    /// @return prev The batch now preceding the new range (0 when it is the head).
    function _insertSerialRange(
        bytes32 namespace,
        uint64 batchId,
        uint128 serialStart,
        uint128 serialEnd,
        uint256 hint
    ) private returns (uint256 prev) {
        Namespace storage ns = _namespaces[namespace];
        uint64 next;
        uint64 tail = ns.tail;
        if (tail != 0 && _batches[tail].serialEnd < serialStart) {
            // Fast path: after every existing range.
            prev = tail;
        } else {
            if (hint != 0) {
                Batch storage h = _batches[hint];
                if (h.projectId == 0 || _projects[h.projectId].namespace != namespace) {
                    revert CarbonRegistryInvalidSerialHint(hint);
                }
                if (h.serialEnd >= serialStart) {
                    if (h.serialStart <= serialEnd) _revertOverlap(namespace, serialStart, serialEnd, hint);
                    revert CarbonRegistryInvalidSerialHint(hint);
                }
                prev = hint;
                next = h.nextInNamespace;
            } else {
                next = ns.head;
            }
            // Walk forward past ranges that end before the new one (none when the hint is exact).
            while (next != 0) {
                Batch storage n = _batches[next];
                if (n.serialEnd >= serialStart) {
                    if (n.serialStart <= serialEnd) _revertOverlap(namespace, serialStart, serialEnd, next);
                    break;
                }
                prev = next;
                next = n.nextInNamespace;
            }
        }
        // `prev` ends before the new range and `next` starts after it; the list is sorted and disjoint, so no other
        // range can overlap.
        _batches[batchId].nextInNamespace = next;
        if (prev == 0) ns.head = batchId;
        else _batches[prev].nextInNamespace = batchId;
        if (next == 0) ns.tail = batchId;
        ++ns.count;
    }

    function _revertOverlap(bytes32 namespace, uint128 serialStart, uint128 serialEnd, uint256 batchId) private view {
        Batch storage b = _batches[batchId];
        revert CarbonRegistrySerialOverlap(namespace, serialStart, serialEnd, batchId, b.serialStart, b.serialEnd);
    }

    function _attestable(uint256 reportId, bytes32 hash) private view returns (MonitoringReport storage r) {
        r = _report(reportId);
        if (r.status != ReportStatus.Submitted) revert CarbonRegistryInvalidReportStatus(reportId, r.status);
        if (hash == bytes32(0)) revert CarbonRegistryZeroHash();
        Project storage p = _projects[r.projectId];
        if (!_accredited[p.methodologyId][msg.sender]) {
            revert CarbonRegistryVerifierNotAccredited(msg.sender, p.methodologyId);
        }
        address proponent = p.proponent;
        if (proponent == msg.sender) revert CarbonRegistrySelfVerification(msg.sender, r.projectId);
        uint64 organisationId = _affiliations[msg.sender];
        if (organisationId != 0 && _affiliations[proponent] == organisationId) {
            revert CarbonRegistryAffiliatedVerifier(msg.sender, proponent, organisationId);
        }
    }

    /// @dev Emits {ProjectRegistered} (in its own frame: the event's two strings leave no stack for the caller).
    function _emitProjectRegistered(
        uint256 projectId,
        ProjectRegistration calldata registration,
        bytes8 jurisdiction
    ) private {
        emit ProjectRegistered(
            projectId,
            msg.sender,
            registration.methodologyId,
            registration.standardId,
            bytes32(uint256(registration.standardId)),
            registration.bufferBps,
            registration.externalRef,
            jurisdiction,
            registration.uri
        );
    }

    /// @dev Makes project `projectId` the one carrier of the external project `(standardId, externalRef)`: the same
    /// monitoring period can then not be issued under two project ids. Reverts on a non-canonical or taken reference.
    function _claimExternalRef(uint32 standardId, string calldata externalRef, uint256 projectId) private {
        if (!_isCanonical(bytes(externalRef), _MAX_EXTERNAL_REF, _REF_CHARS)) {
            revert CarbonRegistryInvalidExternalRef(externalRef);
        }
        mapping(bytes32 refKey => uint64 projectId) storage byRef = _projectByRef[standardId];
        bytes32 refKey = keccak256(bytes(externalRef));
        uint64 holder = byRef[refKey];
        if (holder != 0) revert CarbonRegistryDuplicateProject(standardId, externalRef, holder);
        byRef[refKey] = uint64(projectId);
    }

    /// @dev Whether `text` is 1 to `maxLength` characters whose bits are set in `allowed` (bit `c` for character `c`).
    function _isCanonical(bytes calldata text, uint256 maxLength, uint256 allowed) private pure returns (bool) {
        uint256 n = text.length;
        if (n == 0 || n > maxLength) return false;
        for (uint256 i = 0; i < n; ++i) {
            if ((allowed >> uint8(text[i])) & 1 == 0) return false;
        }
        return true;
    }

    function _setProjectStatus(uint256 projectId, Project storage p, ProjectStatus status, bytes32 reasonHash) private {
        p.status = status;
        emit ProjectStatusChanged(projectId, status, reasonHash);
    }

    function _onlyOwnIssuance(address operator) private view {
        if (operator != address(this)) revert CarbonRegistryUnexpectedTokens(operator);
    }

    function _methodology(uint256 methodologyId) private view returns (Methodology storage m) {
        m = _methodologies[methodologyId];
        if (bytes(m.code).length == 0) revert CarbonRegistryUnknownMethodology(methodologyId);
    }

    function _standard(uint256 standardId) private view returns (Standard storage st) {
        st = _standards[standardId];
        if (bytes(st.code).length == 0) revert CarbonRegistryUnknownStandard(standardId);
    }

    function _activeMethodology(uint256 methodologyId) private view {
        if (!_methodology(methodologyId).active) revert CarbonRegistryInactiveMethodology(methodologyId);
    }

    function _project(uint256 projectId) private view returns (Project storage p) {
        p = _projects[projectId];
        if (p.status == ProjectStatus.None) revert CarbonRegistryUnknownProject(projectId);
    }

    function _report(uint256 reportId) private view returns (MonitoringReport storage r) {
        r = _reports[reportId];
        if (r.status == ReportStatus.None) revert CarbonRegistryUnknownReport(reportId);
    }

    function _batch(uint256 batchId) private view returns (Batch storage b) {
        b = _batches[batchId];
        if (b.projectId == 0) revert CarbonRegistryUnknownBatch(batchId);
    }
}
