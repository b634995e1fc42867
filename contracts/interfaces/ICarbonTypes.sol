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
