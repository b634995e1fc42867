// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title Roles
 * @notice The role ids of the one OpenZeppelin `AccessManager` that governs every CNT contract.
 * @dev Role ids are `uint64`. `ADMIN` is the manager's built-in `ADMIN_ROLE` (0); `PUBLIC` is its `PUBLIC_ROLE`.
 * Every role is held by people and institutions; no protocol contract holds one. Ids 10 (RETIREMENT) and 11
 * (COMPLIANCE) are retired: the calls between contracts are bound to the calling contract's address, once, at wiring
 * (the credit token's `retire` to the retirement registry, the emissions ledger's entity profiles and deadline locks
 * to the compliance registry, the compliance registry's auction functions to the auction).
 * `scripts/lib/roles.ts` mirrors these values for the TypeScript tooling, and a test keeps both equal.
 * @custom:security-contact security@cnt.example
 */
library Roles {
    /// @notice Governance: grants roles, sets delays, wires contracts (the AccessManager's ADMIN_ROLE).
    uint64 internal constant ADMIN = 0;
    /// @notice The standard body: methodologies, verifier accreditation, projects, issuance, suspension, reversals.
    uint64 internal constant REGISTRAR = 1;
    /// @notice Accredited validation and verification bodies.
    uint64 internal constant VERIFIER = 2;
    /// @notice The emissions-trading authority: periods, installations, allocation, account freezes.
    uint64 internal constant REGULATOR = 3;
    /// @notice A guardian that pauses and unpauses modules.
    uint64 internal constant PAUSER = 4;
    /// @notice Finance: fees (capped) and the treasury address.
    uint64 internal constant TREASURER = 5;
    /// @notice Everyone (the AccessManager's PUBLIC_ROLE).
    uint64 internal constant PUBLIC = type(uint64).max;
}
