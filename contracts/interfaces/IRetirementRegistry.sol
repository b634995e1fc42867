// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";

import {ICarbonCredit} from "./ICarbonCredit.sol";
import {ICarbonRegistry} from "./ICarbonRegistry.sol";
import {Adjustment, Authorisation} from "./ICarbonTypes.sol";
import {IRetirementCertificate} from "./IRetirementCertificate.sol";

/// @notice What a retirement claims.
/// - VoluntaryOffset: a voluntary offset of the beneficiary's emissions.
/// - Neutrality: retired against an `(entity, period)` emissions inventory (a carbon-neutrality claim).
/// - Compliance: surrendered for a compliance obligation.
/// - NDC: used towards a host country's NDC; needs NDC authorisation and an applied corresponding adjustment.
/// - CORSIA: used for CORSIA (other international mitigation purposes); needs OIMP authorisation and an applied
///   corresponding adjustment.
enum ClaimType {
    VoluntaryOffset,
    Neutrality,
    Compliance,
    NDC,
    CORSIA
}

/**
 * @title IRetirementRegistry
 * @notice Retires carbon credits for a beneficiary with a claim anyone can check: every retirement owns a
 * contiguous range of unit indexes of its batch, disjoint from every other, that maps back to the registry's
 * serials; a non-transferable certificate is minted by default. Long texts (names, reasons, jurisdictions) live in
 * events; storage keeps what rules and lookups need.
 */
interface IRetirementRegistry is IERC1155Receiver {
    /**
     * @notice A request to retire credits. On retire-on-transfer, `ids` and `amounts` may be left empty (the
     * transferred ones are retired) or must equal them.
     * @param ids Batches to retire from, one retirement each.
     * @param amounts Units to retire from each batch.
     * @param beneficiary Receives the retired balance and the certificate; zero means the retiree.
     * @param beneficiaryName The beneficiary's public name (may be empty). Mutually exclusive with a commitment.
     * @param beneficiaryCommitment For a private claim, a hash commitment to the beneficiary's identity that an
     * auditor checks off chain (zero when unused).
     * @param claimType What the retirement claims.
     * @param claimEntity For a neutrality claim, the reporting entity whose inventory it counts against. The entity
     * must consent: it is the beneficiary, the retiree or the claimant, or it authorised the claimant with
     * {setClaimAuthorisation}. For a compliance claim, the installation's entity (set by the compliance registry).
     * @param claimPeriod For a neutrality claim, the inventory's reporting period id (for a compliance claim, the
     * compliance period).
     * @param consumptionJurisdiction Where the claimed emissions happened: an ISO 3166 code in compact form (see
     * {Jurisdictions}, `ICarbonRegistry.jurisdictionCode`), or zero when unspecified.
     * @param consumptionStart Start of the consumption period (unix seconds), 0 when unspecified.
     * @param consumptionEnd End of the consumption period (unix seconds), 0 when unspecified or open; a given end
     * may not precede the start.
     * @param reason Free text reason, in events only.
     * @param skipCertificate True to retire without minting a certificate (saves gas; the record exists anyway).
     */
    struct RetirementRequest {
        uint256[] ids;
        uint256[] amounts;
        address beneficiary;
        string beneficiaryName;
        bytes32 beneficiaryCommitment;
        ClaimType claimType;
        address claimEntity;
        uint64 claimPeriod;
        bytes8 consumptionJurisdiction;
        uint64 consumptionStart;
        uint64 consumptionEnd;
        string reason;
        bool skipCertificate;
    }

    /**
     * @notice A retirement record: what rules and lookups need. `prev*` link the retirements of the same
     * beneficiary, retiree and batch, newest first. `claimEntity` and `claimPeriod` are the inventory a neutrality
     * (or compliance) claim counts against, zero for the other claim types. `authorisation` and `adjustment` are the
     * batch's Article 6 status when the units were retired, kept whatever the batch's status later becomes.
     */
    struct Retirement {
        address beneficiary;
        uint32 batchId;
        uint64 firstUnit;
        address retiree;
        uint88 amount;
        ClaimType claimType;
        uint64 prevOfBeneficiary;
        uint64 prevOfRetiree;
        uint64 prevOfBatch;
        bool certified;
        address claimEntity;
        uint64 claimPeriod;
        Authorisation authorisation;
        Adjustment adjustment;
    }

    /// @notice What a retirement's claim says beyond its record, as carried by {Retired}, with the batch's Article 6
    /// status (`authorisation`, `adjustment`) the units were retired under.
    struct ClaimDetails {
        address claimEntity;
        uint64 claimPeriod;
        string beneficiaryName;
        bytes32 beneficiaryCommitment;
        bytes8 consumptionJurisdiction;
        uint64 consumptionStart;
        uint64 consumptionEnd;
        string reason;
        Authorisation authorisation;
        Adjustment adjustment;
    }

    /// @notice Emitted for every retirement, with every field, so an indexer can rebuild all retirements from logs.
    /// The retired unit indexes of the batch are `[firstUnit, lastUnit]`.
    event Retired(
        uint256 indexed retirementId,
        uint256 indexed batchId,
        address indexed beneficiary,
        address retiree,
        uint256 amount,
        uint256 firstUnit,
        uint256 lastUnit,
        ClaimType claimType,
        bool certified,
        ClaimDetails details
    );

    /// @notice Emitted with {Retired}, so the retiree's retirements can be found by topic too.
    event RetiredBy(address indexed retiree, uint256 indexed retirementId, uint256 indexed batchId);

    /// @notice Emitted when `entity` authorises (`authorised` true) or stops authorising `claimant` to make neutrality
    /// claims against its inventories.
    event ClaimAuthorisationSet(address indexed entity, address indexed claimant, bool authorised);

    /// @notice Thrown when a request names no batch.
    error RetirementEmptyRequest();

    /// @notice Thrown when `ids` and `amounts` differ in length.
    error RetirementLengthMismatch(uint256 ids, uint256 amounts);

    /// @notice Thrown when an amount is zero.
    error RetirementZeroAmount(uint256 batchId);

    /// @notice Thrown when an amount (or a unit index) does not fit a record (64 bits, 1.8e16 tCO2e).
    error RetirementAmountTooLarge(uint256 batchId, uint256 amount);

    /// @notice Thrown when batch `batchId` was never issued.
    error RetirementUnknownBatch(uint256 batchId);

    /// @notice Thrown when a request gives both a beneficiary name and a commitment.
    error RetirementNameAndCommitment();

    /// @notice Thrown when the consumption period ends before it starts.
    error RetirementInvalidConsumptionPeriod(uint64 consumptionStart, uint64 consumptionEnd);

    /// @notice Thrown when a neutrality claim names no entity or period.
    error RetirementMissingClaimTarget(address claimEntity, uint64 claimPeriod);

    /// @notice Thrown when a neutrality claim names `entity`, which is neither the beneficiary, the retiree nor
    /// `claimant`, and has not authorised `claimant` with {setClaimAuthorisation}.
    error RetirementClaimNotConsented(address entity, address claimant);

    /// @notice Thrown when an entity authorises the zero address as claimant.
    error RetirementInvalidClaimant(address claimant);

    /// @notice Thrown when `entity`'s authorisation of `claimant` is already `authorised`.
    error RetirementClaimAuthorisationUnchanged(address entity, address claimant, bool authorised);

    /// @notice Thrown when an NDC or CORSIA claim is made on a batch without the matching Article 6 authorisation
    /// and an applied corresponding adjustment.
    error RetirementClaimNotAuthorised(
        uint256 batchId,
        ClaimType claimType,
        Authorisation authorisation,
        Adjustment adjustment
    );

    /// @notice Thrown when `operator` retires `holder`'s credits without the holder's approval.
    error RetirementNotApproved(address holder, address operator);

    /// @notice Thrown when a frozen `account` tries to retire as an operator.
    error RetirementAccountFrozen(address account);

    /// @notice Thrown when tokens other than this registry's credit token are sent to it (`token`).
    error RetirementUnexpectedToken(address token);

    /// @notice Thrown when the data of a retire-on-transfer does not decode as a {RetirementRequest}.
    error RetirementMalformedRequest();

    /// @notice Thrown when the ids or amounts of a retire-on-transfer request differ from the ones transferred.
    error RetirementTransferMismatch();

    /// @notice Thrown when a lookup cursor is not a retirement of the list being paged.
    error RetirementCursorMismatch(uint256 cursor);

    /// @notice Thrown when `retirementId` does not exist.
    error RetirementUnknown(uint256 retirementId);

    /**
     * @notice Retires the caller's credits for the request's beneficiary, one retirement per batch.
     * @dev Requirements: not paused; a non-empty request with matching lengths and non-zero amounts; a consistent
     * claim (see {RetirementRequest}; the caller is the claimant and the retiree); a consumption jurisdiction that is
     * zero or valid ({Jurisdictions.JurisdictionCodeInvalid}); enough tradable balance; batch not suspended; neither
     * the caller nor the beneficiary frozen. Emits {Retired} and {RetiredBy} per batch, and the certificate's events unless skipped.
     * @return firstRetirementId The id of the first retirement; the others follow sequentially.
     */
    function retire(RetirementRequest calldata request) external returns (uint256 firstRetirementId);

    /**
     * @notice Retires `holder`'s credits as an operator the holder approved (`setApprovalForAll` on the credit
     * token); the holder is recorded as retiree.
     * @dev Requirements as {retire}, and the caller is approved by `holder` and not frozen. The caller is the
     * claimant of a neutrality claim; `holder` is the retiree.
     * @return firstRetirementId The id of the first retirement; the others follow sequentially.
     */
    function retireFrom(
        address holder,
        RetirementRequest calldata request
    ) external returns (uint256 firstRetirementId);

    /**
     * @notice The caller (a reporting entity) authorises `claimant` to make neutrality claims against the caller's
     * inventories (`authorised` true), or withdraws that authorisation. Revocable at any time; a withdrawal stops
     * later claims and leaves the ones already made.
     * @dev The claimant is the account that submits a retirement: the caller of {retire} or {retireFrom}, and the
     * operator of the `safeTransferFrom` of a retire-on-transfer (the marketplace itself for its `buyAndRetire`, so
     * authorising the marketplace would let every buyer claim for the entity: name the entity as beneficiary
     * there instead). Requirements: `claimant` is not zero; the authorisation changes; authorising (not withdrawing)
     * only while not paused. Emits {ClaimAuthorisationSet}.
     */
    function setClaimAuthorisation(address claimant, bool authorised) external;

    /**
     * @notice Stops every retirement and every new claim authorisation (OpenZeppelin `Pausable`: `EnforcedPause`);
     * withdrawing an authorisation stays open. Requirements: PAUSER permission; not paused. Emits `Paused`.
     */
    function pause() external;

    /// @notice Resumes retirements. Requirements: PAUSER permission; paused (else `ExpectedPause`). Emits `Unpaused`.
    function unpause() external;

    /// @notice Decodes retire-on-transfer data; reverts when malformed. Used through a self-call to catch errors.
    function decodeRequest(bytes calldata data) external pure returns (RetirementRequest memory);

    /// @notice The credit token whose units are retired.
    function credit() external view returns (ICarbonCredit);

    /// @notice The carbon registry that issued the batches.
    function carbonRegistry() external view returns (ICarbonRegistry);

    /// @notice The certificate token.
    function certificate() external view returns (IRetirementCertificate);

    /// @notice Whether retirements are paused.
    function paused() external view returns (bool);

    /// @notice Number of retirements recorded; ids run from 1 to this number.
    function retirementCount() external view returns (uint256);

    /// @notice A retirement record. Reverts with {RetirementUnknown} for an unknown id.
    function getRetirement(uint256 retirementId) external view returns (Retirement memory);

    /// @notice The serial range `[serialStart, serialEnd]` of the registry's serials a retirement owns.
    function serialRangeOf(uint256 retirementId) external view returns (uint256 serialStart, uint256 serialEnd);

    /// @notice Number of certificates minted to `owner` (the certificate token's `balanceOf`).
    function certificatesOf(address owner) external view returns (uint256);

    /**
     * @notice Units retired for `beneficiary` by voluntary claims, across every batch: every claim type but
     * {ClaimType.Compliance}. Compliance surrenders are obligations, not voluntary retirements, and are counted
     * apart ({totalRetiredByClaim}), so no view adds a surrendered tonne to a voluntary or neutrality total.
     */
    function totalRetiredFor(address beneficiary) external view returns (uint256);

    /// @notice Units retired for `beneficiary` with claim type `claimType`, across every batch. Each retired unit
    /// counts under exactly one claim type.
    function totalRetiredByClaim(address beneficiary, ClaimType claimType) external view returns (uint256);

    /// @notice Whether `entity` has authorised `claimant` to make neutrality claims against its inventories.
    function isClaimAuthorised(address entity, address claimant) external view returns (bool);

    /// @notice Units retired against an `(entity, period)` emissions inventory by neutrality claims the entity
    /// consented to (see {RetirementRequest.claimEntity}); the emissions ledger's `neutralityStatus` reads it.
    function retiredAgainst(address entity, uint64 period) external view returns (uint256);

    /**
     * @notice Retirements of `beneficiary`, newest first: up to `limit` ids starting after `cursor` (0 = newest).
     * `next` is the cursor of the following page (the page's last id), 0 when the list is exhausted or `limit` is
     * 0. Reverts with {RetirementCursorMismatch} for a cursor that is not in the list.
     */
    function retirementsByBeneficiary(
        address beneficiary,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next);

    /// @notice Retirements made by `retiree`, newest first, paginated as {retirementsByBeneficiary}.
    function retirementsByRetiree(
        address retiree,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next);

    /// @notice Retirements of batch `batchId`, newest first, paginated as {retirementsByBeneficiary}.
    function retirementsByBatch(
        uint256 batchId,
        uint256 cursor,
        uint256 limit
    ) external view returns (uint256[] memory ids, uint256 next);
}
