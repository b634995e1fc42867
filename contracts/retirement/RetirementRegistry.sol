// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation} from "../interfaces/ICarbonTypes.sol";
import {IRetirementCertificate} from "../interfaces/IRetirementCertificate.sol";
import {ClaimType, IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";
import {Jurisdictions} from "../libraries/Jurisdictions.sol";

/**
 * @title RetirementRegistry
 * @notice Retires CNT carbon credits for a beneficiary: `retire` for the caller's own credits, `retireFrom` for an
 * approved operator, and retire-on-transfer (a plain `safeTransferFrom` to this contract with an encoded
 * {RetirementRequest}), so any wallet can retire.
 *
 * The credit token retires units of a batch in order, so every retirement owns the contiguous unit range
 * `[firstUnit, firstUnit + amount - 1]`, disjoint from every other, that maps to the registry serials
 * `serialStart + unit`. Records keep what rules and lookups need in three storage slots; names, reasons and
 * jurisdictions are carried by the {Retired} event. Lookups by beneficiary, retiree and batch walk linked lists
 * kept in the records themselves, newest first.
 *
 * @custom:security-contact security@cnt.example
 */
contract RetirementRegistry is AccessManaged, Pausable, ReentrancyGuardTransient, IRetirementRegistry {
    /// @dev Per-account lookup heads, certificate count and total retired as beneficiary by voluntary offsets (the
    /// common claim, kept in the slot every retirement writes anyway; other claim types in {_retiredByClaim}).
    struct AccountIndex {
        uint48 lastAsBeneficiary;
        uint48 lastAsRetiree;
        uint32 certificates;
        uint128 voluntaryOffsets;
    }

    /// @dev A retirement in two slots. The retiree is stored apart ({_retirees}) only when it differs from the
    /// beneficiary, the common case being a company retiring for itself. The batch's Article 6 status at retirement
    /// fills the second slot's spare bits.
    struct Record {
        address beneficiary;
        uint32 batchId;
        uint64 firstUnit;
        uint64 amount;
        ClaimType claimType;
        bool certified;
        bool retireeIsBeneficiary;
        uint48 prevOfBeneficiary;
        uint48 prevOfRetiree;
        uint48 prevOfBatch;
        Authorisation authorisation;
        Adjustment adjustment;
    }

    /// @dev A claim resolved once per request and shared by its batches.
    struct Claim {
        address retiree;
        address beneficiary;
        bool certified;
        bool hasTarget;
    }

    /// @dev The inventory a neutrality or compliance claim counts against, stored only for those claim types.
    struct ClaimTarget {
        address entity;
        uint64 period;
    }

    ICarbonCredit private immutable _credit;
    ICarbonRegistry private immutable _carbonRegistry;
    IRetirementCertificate private immutable _certificate;

    uint48 private _retirementCount;
    mapping(uint256 retirementId => Record) private _records;
    mapping(uint256 retirementId => address) private _retirees;
    mapping(address account => AccountIndex) private _accounts;
    mapping(uint256 batchId => uint48 lastRetirementId) private _lastOfBatch;
    mapping(address entity => mapping(uint64 period => uint256)) private _retiredAgainst;
    mapping(uint256 retirementId => ClaimTarget) private _claimTargets;
    mapping(address beneficiary => mapping(ClaimType claimType => uint256)) private _retiredByClaim;
    mapping(address entity => mapping(address claimant => bool)) private _claimAuthorisations;

    /**
     * @param authority The AccessManager that governs this registry.
     * @param credit_ The credit token (which must bind this registry as the only caller of its `retire`).
     * @param carbonRegistry_ The carbon registry (batch data for claims and serial ranges).
     * @param certificate_ The certificate token (this registry must be set as its minter).
     */
    constructor(
        address authority,
        ICarbonCredit credit_,
        ICarbonRegistry carbonRegistry_,
        IRetirementCertificate certificate_
    ) AccessManaged(authority) {
        _credit = credit_;
        _carbonRegistry = carbonRegistry_;
        _certificate = certificate_;
    }

    // ------------------------------------------------------------------------------------------ retire

    /// @inheritdoc IRetirementRegistry
    function retire(RetirementRequest calldata request) external whenNotPaused nonReentrant returns (uint256) {
        _checkShape(request.ids.length, request.amounts.length);
        return _retireAll(msg.sender, msg.sender, address(0), request, request.ids, request.amounts);
    }

    /// @inheritdoc IRetirementRegistry
    function retireFrom(
        address holder,
        RetirementRequest calldata request
    ) external whenNotPaused nonReentrant returns (uint256) {
        if (holder != msg.sender && !_credit.isApprovedForAll(holder, msg.sender)) {
            revert RetirementNotApproved(holder, msg.sender);
        }
        if (_credit.isFrozen(msg.sender)) revert RetirementAccountFrozen(msg.sender);
        _checkShape(request.ids.length, request.amounts.length);
        return _retireAll(holder, msg.sender, address(0), request, request.ids, request.amounts);
    }

    /**
     * @notice Retire-on-transfer: credits sent here with `abi.encode(RetirementRequest)` as data are retired in the
     * same call, with the sender (`from`) as retiree and the transfer's `operator` as claimant (see
     * {setClaimAuthorisation}). Empty `ids`/`amounts` in the request mean "what was sent".
     * @dev Reverts (and the transfer with it, so no token is taken) on any other token, malformed data, or a request
     * whose ids or amounts differ from the transfer.
     */
    function onERC1155Received(
        address operator,
        address from,
        uint256 id,
        uint256 value,
        bytes calldata data
    ) external whenNotPaused nonReentrant returns (bytes4) {
        RetirementRequest memory request = _decodeTransferRequest(data);
        uint256[] memory ids = new uint256[](1);
        uint256[] memory amounts = new uint256[](1);
        ids[0] = id;
        amounts[0] = value;
        _matchTransfer(request, ids, amounts);
        _retireAll(from, operator, address(this), request, ids, amounts);
        return this.onERC1155Received.selector;
    }

    /// @notice Batch variant of retire-on-transfer: one retirement per transferred id.
    function onERC1155BatchReceived(
        address operator,
        address from,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external whenNotPaused nonReentrant returns (bytes4) {
        RetirementRequest memory request = _decodeTransferRequest(data);
        if (ids.length == 0) revert RetirementEmptyRequest();
        _matchTransfer(request, ids, values);
        _retireAll(from, operator, address(this), request, ids, values);
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IRetirementRegistry
    function decodeRequest(bytes calldata data) external pure returns (RetirementRequest memory) {
        return abi.decode(data, (RetirementRequest));
    }

    // ------------------------------------------------------------------------------------------ consent

    /// @inheritdoc IRetirementRegistry
    function setClaimAuthorisation(address claimant, bool authorised) external nonReentrant {
        // Withdrawing consent tightens and stays open while paused; granting it waits for the unpause.
        if (authorised) _requireNotPaused();
        if (claimant == address(0)) revert RetirementInvalidClaimant(claimant);
        mapping(address => bool) storage authorisations = _claimAuthorisations[msg.sender];
        if (authorisations[claimant] == authorised) {
            revert RetirementClaimAuthorisationUnchanged(msg.sender, claimant, authorised);
        }
        authorisations[claimant] = authorised;
        emit ClaimAuthorisationSet(msg.sender, claimant, authorised);
    }

    // ------------------------------------------------------------------------------------------ pause

    /// @inheritdoc IRetirementRegistry
    function pause() external restricted nonReentrant whenNotPaused {
        _pause();
    }

    /// @inheritdoc IRetirementRegistry
    function unpause() external restricted nonReentrant whenPaused {
        _unpause();
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc IRetirementRegistry
    function credit() external view returns (ICarbonCredit) {
        return _credit;
    }

    /// @inheritdoc IRetirementRegistry
    function carbonRegistry() external view returns (ICarbonRegistry) {
        return _carbonRegistry;
    }

    /// @inheritdoc IRetirementRegistry
    function certificate() external view returns (IRetirementCertificate) {
        return _certificate;
    }

    /// @inheritdoc IRetirementRegistry
    function paused() public view override(IRetirementRegistry, Pausable) returns (bool) {
        return super.paused();
    }

    /// @inheritdoc IRetirementRegistry
    function retirementCount() external view returns (uint256) {
        return _retirementCount;
    }

    /// @inheritdoc IRetirementRegistry
    function getRetirement(uint256 retirementId) public view returns (Retirement memory) {
        Record storage r = _record(retirementId);
        ClaimTarget storage target = _claimTargets[retirementId];
        return
            Retirement({
                beneficiary: r.beneficiary,
                batchId: r.batchId,
                firstUnit: r.firstUnit,
                retiree: _retireeOf(retirementId),
                amount: r.amount,
                claimType: r.claimType,
                prevOfBeneficiary: r.prevOfBeneficiary,
                prevOfRetiree: r.prevOfRetiree,
                prevOfBatch: r.prevOfBatch,
                certified: r.certified,
                claimEntity: target.entity,
                claimPeriod: target.period,
                authorisation: r.authorisation,
                adjustment: r.adjustment
            });
    }

    /// @inheritdoc IRetirementRegistry
    function certificatesOf(address owner) external view returns (uint256) {
        return _accounts[owner].certificates;
    }

    /// @inheritdoc IRetirementRegistry
    function serialRangeOf(uint256 retirementId) external view returns (uint256 serialStart, uint256 serialEnd) {
        Record storage r = _record(retirementId);
        uint256 batchSerialStart = _carbonRegistry.getBatch(r.batchId).serialStart;
        serialStart = batchSerialStart + r.firstUnit;
        serialEnd = serialStart + r.amount - 1;
    }

    /// @inheritdoc IRetirementRegistry
    function totalRetiredFor(address beneficiary) external view returns (uint256) {
        mapping(ClaimType => uint256) storage byClaim = _retiredByClaim[beneficiary];
        return
            _accounts[beneficiary].voluntaryOffsets +
            byClaim[ClaimType.Neutrality] +
            byClaim[ClaimType.NDC] +
            byClaim[ClaimType.CORSIA];
    }

    /// @inheritdoc IRetirementRegistry
    function totalRetiredByClaim(address beneficiary, ClaimType claimType) external view returns (uint256) {
        if (claimType == ClaimType.VoluntaryOffset) return _accounts[beneficiary].voluntaryOffsets;
        return _retiredByClaim[beneficiary][claimType];
    }

    /// @inheritdoc IRetirementRegistry
    function isClaimAuthorised(address entity, address claimant) external view returns (bool) {
        return _claimAuthorisations[entity][claimant];
    }

    /// @inheritdoc IRetirementRegistry
    function retiredAgainst(address entity, uint64 period) external view returns (uint256) {
        return _retiredAgainst[entity][period];
    }

    /// @inheritdoc IRetirementRegistry
    function retirementsByBeneficiary(
        address beneficiary,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next) {
        if (cursor != 0 && _record(cursor).beneficiary != beneficiary) revert RetirementCursorMismatch(cursor);
        return _page(cursor == 0 ? _accounts[beneficiary].lastAsBeneficiary : _prev(cursor, 0), limit, 0);
    }

    /// @inheritdoc IRetirementRegistry
    function retirementsByRetiree(
        address retiree,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next) {
        if (cursor != 0 && _retireeOf(cursor) != retiree) revert RetirementCursorMismatch(cursor);
        return _page(cursor == 0 ? _accounts[retiree].lastAsRetiree : _prev(cursor, 1), limit, 1);
    }

    /// @inheritdoc IRetirementRegistry
    function retirementsByBatch(
        uint256 batchId,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next) {
        if (cursor != 0 && _record(cursor).batchId != batchId) revert RetirementCursorMismatch(cursor);
        return _page(cursor == 0 ? _lastOfBatch[batchId] : _prev(cursor, 2), limit, 2);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IRetirementRegistry).interfaceId ||
            interfaceId == type(IERC1155Receiver).interfaceId ||
            interfaceId == type(IERC165).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ internals

    /// @dev Retires `amounts` of `ids` held by `holder` (or by this contract for retire-on-transfer, `custody`),
    /// recording `holder` as retiree; `claimant` is the account that submitted the claim.
    function _retireAll(
        address holder,
        address claimant,
        address custody,
        RetirementRequest memory request,
        uint256[] memory ids,
        uint256[] memory amounts
    ) private returns (uint256 firstRetirementId) {
        Claim memory claim = _resolveClaim(holder, claimant, request);
        firstRetirementId = _retirementCount + 1;
        for (uint256 i = 0; i < ids.length; ++i) {
            _retireOne(claim, custody == address(0) ? holder : custody, request, ids[i], amounts[i]);
        }
    }

    function _retireOne(
        Claim memory claim,
        address source,
        RetirementRequest memory request,
        uint256 batchId,
        uint256 amount
    ) private {
        if (amount == 0) revert RetirementZeroAmount(batchId);
        if (amount > type(uint64).max) revert RetirementAmountTooLarge(batchId, amount);
        if (batchId == 0 || batchId > type(uint32).max || !_credit.exists(batchId)) {
            revert RetirementUnknownBatch(batchId);
        }
        // The batch's Article 6 status now: checked for NDC and CORSIA claims, kept by the record and the event.
        ClaimDetails memory details = _details(request, batchId);

        // The credit token checks pause, freeze, suspension and balance, and hands out the next unit range.
        uint256 firstUnit = _credit.retire(source, claim.beneficiary, batchId, amount);
        // Unit indexes beyond 64 bits would need a batch of more than 1.8e16 tCO2e: refused rather than truncated.
        if (firstUnit > type(uint64).max) revert RetirementAmountTooLarge(batchId, firstUnit);

        uint48 retirementId = _store(claim, request, batchId, amount, firstUnit, details);
        _emitRetired(retirementId, batchId, claim, request.claimType, amount, firstUnit, details);
        if (claim.certified) {
            _certificate.mint(claim.beneficiary, retirementId, request.beneficiaryName, request.beneficiaryCommitment);
        }
    }

    /// @dev Writes the record of a retirement and updates the lookups and totals; returns its id.
    function _store(
        Claim memory claim,
        RetirementRequest memory request,
        uint256 batchId,
        uint256 amount,
        uint256 firstUnit,
        ClaimDetails memory details
    ) private returns (uint48 retirementId) {
        retirementId = ++_retirementCount;
        bool same = claim.retiree == claim.beneficiary;
        AccountIndex storage beneficiaryIndex = _accounts[claim.beneficiary];
        AccountIndex storage retireeIndex = _accounts[claim.retiree];
        _records[retirementId] = Record({
            beneficiary: claim.beneficiary,
            batchId: uint32(batchId),
            firstUnit: uint64(firstUnit),
            amount: uint64(amount),
            claimType: request.claimType,
            certified: claim.certified,
            retireeIsBeneficiary: same,
            prevOfBeneficiary: beneficiaryIndex.lastAsBeneficiary,
            prevOfRetiree: retireeIndex.lastAsRetiree,
            prevOfBatch: _lastOfBatch[batchId],
            authorisation: details.authorisation,
            adjustment: details.adjustment
        });
        if (!same) _retirees[retirementId] = claim.retiree;
        beneficiaryIndex.lastAsBeneficiary = retirementId;
        // Bounded by the credit supply (128 bits). The certificate count is 32 bits: past 4.3 billion certificates for
        // one beneficiary a certified retirement reverts; retirements without a certificate still go through.
        if (request.claimType == ClaimType.VoluntaryOffset) beneficiaryIndex.voluntaryOffsets += uint128(amount);
        else _retiredByClaim[claim.beneficiary][request.claimType] += amount;
        if (claim.certified) ++beneficiaryIndex.certificates;
        retireeIndex.lastAsRetiree = retirementId;
        _lastOfBatch[batchId] = retirementId;
        if (claim.hasTarget) {
            _claimTargets[retirementId] = ClaimTarget({entity: request.claimEntity, period: request.claimPeriod});
            // Only a consented neutrality claim gets here (see {_resolveClaim}).
            if (request.claimType == ClaimType.Neutrality) {
                _retiredAgainst[request.claimEntity][request.claimPeriod] += amount;
            }
        }
    }

    function _emitRetired(
        uint256 retirementId,
        uint256 batchId,
        Claim memory claim,
        ClaimType claimType,
        uint256 amount,
        uint256 firstUnit,
        ClaimDetails memory details
    ) private {
        emit Retired(
            retirementId,
            batchId,
            claim.beneficiary,
            claim.retiree,
            amount,
            firstUnit,
            firstUnit + amount - 1,
            claimType,
            claim.certified,
            details
        );
        emit RetiredBy(claim.retiree, retirementId, batchId);
    }

    /// @dev The {Retired} details of a request, with the batch's Article 6 status its units are retired under; an NDC
    /// or CORSIA claim needs the matching authorisation with an applied adjustment.
    function _details(
        RetirementRequest memory request,
        uint256 batchId
    ) private view returns (ClaimDetails memory details) {
        ICarbonRegistry.Batch memory b = _carbonRegistry.getBatch(batchId);
        ClaimType claimType = request.claimType;
        if (claimType == ClaimType.NDC || claimType == ClaimType.CORSIA) {
            Authorisation needed = claimType == ClaimType.NDC ? Authorisation.NDC : Authorisation.OIMP;
            if (b.authorisation != needed || b.adjustment != Adjustment.Applied) {
                revert RetirementClaimNotAuthorised(batchId, claimType, b.authorisation, b.adjustment);
            }
        }
        details = ClaimDetails({
            claimEntity: request.claimEntity,
            claimPeriod: request.claimPeriod,
            beneficiaryName: request.beneficiaryName,
            beneficiaryCommitment: request.beneficiaryCommitment,
            consumptionJurisdiction: request.consumptionJurisdiction,
            consumptionStart: request.consumptionStart,
            consumptionEnd: request.consumptionEnd,
            reason: request.reason,
            authorisation: b.authorisation,
            adjustment: b.adjustment
        });
    }

    /// @dev Checks a request's claim and resolves its beneficiary. A neutrality claim needs the consent of its entity:
    /// the entity is the beneficiary, the retiree or the claimant, or it authorised the claimant.
    function _resolveClaim(
        address retiree,
        address claimant,
        RetirementRequest memory request
    ) private view returns (Claim memory) {
        if (bytes(request.beneficiaryName).length != 0 && request.beneficiaryCommitment != bytes32(0)) {
            revert RetirementNameAndCommitment();
        }
        // 0 leaves an end open; a given end may not precede the start.
        if (request.consumptionJurisdiction != 0) Jurisdictions.check(request.consumptionJurisdiction);
        if (request.consumptionEnd != 0 && request.consumptionEnd < request.consumptionStart) {
            revert RetirementInvalidConsumptionPeriod(request.consumptionStart, request.consumptionEnd);
        }
        address beneficiary_ = request.beneficiary == address(0) ? retiree : request.beneficiary;
        if (request.claimType == ClaimType.Neutrality) {
            address entity = request.claimEntity;
            if (entity == address(0) || request.claimPeriod == 0) {
                revert RetirementMissingClaimTarget(entity, request.claimPeriod);
            }
            if (
                entity != beneficiary_ &&
                entity != retiree &&
                entity != claimant &&
                !_claimAuthorisations[entity][claimant]
            ) {
                revert RetirementClaimNotConsented(entity, claimant);
            }
        }
        return
            Claim({
                retiree: retiree,
                beneficiary: beneficiary_,
                certified: !request.skipCertificate,
                hasTarget: (request.claimType == ClaimType.Neutrality || request.claimType == ClaimType.Compliance) &&
                    request.claimEntity != address(0)
            });
    }

    function _checkShape(uint256 ids, uint256 amounts) private pure {
        if (ids == 0) revert RetirementEmptyRequest();
        if (ids != amounts) revert RetirementLengthMismatch(ids, amounts);
    }

    function _decodeTransferRequest(bytes calldata data) private view returns (RetirementRequest memory request) {
        if (msg.sender != address(_credit)) revert RetirementUnexpectedToken(msg.sender);
        if (data.length == 0) revert RetirementMalformedRequest();
        try this.decodeRequest(data) returns (RetirementRequest memory decoded) {
            return decoded;
        } catch {
            revert RetirementMalformedRequest();
        }
    }

    function _matchTransfer(
        RetirementRequest memory request,
        uint256[] memory ids,
        uint256[] memory amounts
    ) private pure {
        if (request.ids.length == 0 && request.amounts.length == 0) return;
        if (request.ids.length != ids.length || request.amounts.length != amounts.length) {
            revert RetirementTransferMismatch();
        }
        for (uint256 i = 0; i < ids.length; ++i) {
            if (request.ids[i] != ids[i] || request.amounts[i] != amounts[i]) revert RetirementTransferMismatch();
        }
    }

    function _retireeOf(uint256 retirementId) private view returns (address) {
        Record storage r = _record(retirementId);
        return r.retireeIsBeneficiary ? r.beneficiary : _retirees[retirementId];
    }

    function _record(uint256 retirementId) private view returns (Record storage r) {
        r = _records[retirementId];
        if (r.amount == 0) revert RetirementUnknown(retirementId);
    }

    /// @dev The link followed by a lookup: 0 beneficiary, 1 retiree, 2 batch.
    function _prev(uint256 retirementId, uint8 list) private view returns (uint48) {
        Record storage r = _record(retirementId);
        if (list == 0) return r.prevOfBeneficiary;
        if (list == 1) return r.prevOfRetiree;
        return r.prevOfBatch;
    }

    function _page(uint48 first, uint256 limit, uint8 list) private view returns (uint256[] memory ids, uint256 next) {
        uint256 n;
        uint48 cur = first;
        while (cur != 0 && n < limit) {
            ++n;
            cur = _prev(cur, list);
        }
        ids = new uint256[](n);
        cur = first;
        for (uint256 i = 0; i < n; ++i) {
            ids[i] = cur;
            if (i + 1 < n) cur = _prev(cur, list);
        }
        // When retirements remain after the page, its last id is the cursor of the next page.
        next = n != 0 && _prev(cur, list) != 0 ? cur : 0;
    }
}
