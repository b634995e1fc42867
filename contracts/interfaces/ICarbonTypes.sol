// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @notice Whether a methodology removes CO2 from the atmosphere or avoids emitting it.
enum Category {
    Removal,
    Avoidance
}

/// @notice Life cycle of a project: registered (Pending), then Approved or Rejected; an approved project may be
/// Suspended and later approved again.
enum ProjectStatus {
    None,
    Pending,
    Approved,
    Rejected,
    Suspended
}

/// @notice Life cycle of a monitoring report: Submitted, then Verified or Rejected by a verifier; a verified
/// report is Issued once as a batch.
enum ReportStatus {
    None,
    Submitted,
    Verified,
    Rejected,
    Issued
}

/// @notice Article 6 authorisation of a batch by its host country.
enum Authorisation {
    None,
    NDC,
    OIMP
}

/// @notice Corresponding-adjustment status of a batch under Article 6.
enum Adjustment {
    NotApplicable,
    Pending,
    Applied
}

/// @notice Why a credit transfer would fail, as returned by `ICarbonCredit.canTransfer`.
enum TransferStatus {
    Ok,
    Paused,
    SenderFrozen,
    RecipientFrozen,
    BatchSuspended,
    InsufficientBalance,
    InvalidRecipient,
    UnknownBatch
}

/**
 * @notice Criteria a credit batch is matched against (a marketplace bid, a compliance period's offset eligibility).
 * Every criterion left empty (zero, or an empty list) accepts anything; a batch matches when it passes all of them.
 * - `methodologyIds`: the batch's methodology is one of these (at most 16).
 * - `jurisdictions`: the project's jurisdiction ("BR-PA") or its country ("BR") is one of these (at most 16), each
 *   an ISO 3166 code in compact form (see `Jurisdictions`, `ICarbonRegistry.jurisdictionCode`).
 * - `projectId`: the batch belongs to this project.
 * - `vintageFrom` / `vintageTo`: the batch's monitoring period lies within the window (`vintageStart >= vintageFrom`,
 *   and `vintageEnd <= vintageTo` when `vintageTo` is not 0).
 * - `categories`: bit `1 << uint8(Category)` set for each accepted category (removal 1, avoidance 2).
 * - `authorisations`: bit `1 << uint8(Authorisation)` for each accepted Article 6 authorisation.
 * - `adjustments`: bit `1 << uint8(Adjustment)` for each accepted corresponding-adjustment status.
 */
struct BatchCriteria {
    uint32[] methodologyIds;
    bytes8[] jurisdictions;
    uint64 projectId;
    uint64 vintageFrom;
    uint64 vintageTo;
    uint8 categories;
    uint8 authorisations;
    uint8 adjustments;
}

/// @notice The first of a {BatchCriteria}'s criteria a batch fails; None when it matches.
enum CriteriaMismatch {
    None,
    Project,
    Methodology,
    Category,
    Vintage,
    Jurisdiction,
    Authorisation,
    Adjustment
}
