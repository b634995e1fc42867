// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title Roles
 * @notice The role ids of the one OpenZeppelin `AccessManager` that governs every CNT contract.
 * @dev Role ids are `uint64`. `ADMIN` is the manager's built-in `ADMIN_ROLE` (0); `PUBLIC` is its `PUBLIC_ROLE`.
 * Roles for people and institutions come first; roles held by protocol contracts come after. Id 10 (RETIREMENT) is
 * retired: the credit token's `retire` is bound to the retirement registry contract itself, not to a role.
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
    /// @notice Held by the compliance registry contract: may declare its installations to the emissions ledger.
    uint64 internal constant COMPLIANCE = 11;
    /// @notice Everyone (the AccessManager's PUBLIC_ROLE).
    uint64 internal constant PUBLIC = type(uint64).max;
}
