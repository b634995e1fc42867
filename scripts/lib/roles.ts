/**
 * Role ids of the CNT AccessManager, mirrored from `contracts/access/Roles.sol`
 * (a test keeps both in step).
 */
export const Roles = {
  ADMIN: 0n,
  REGISTRAR: 1n,
  VERIFIER: 2n,
  REGULATOR: 3n,
  PAUSER: 4n,
  TREASURER: 5n,
  PUBLIC: 2n ** 64n - 1n,
} as const;

export type RoleName = keyof typeof Roles;

/** Labels the AccessManager shows for each role (`labelRole`), so explorers and indexers can name them. */
export const RoleLabels: Partial<Record<RoleName, string>> = {
  REGISTRAR: "REGISTRAR",
  VERIFIER: "VERIFIER",
  REGULATOR: "REGULATOR",
  PAUSER: "PAUSER",
  TREASURER: "TREASURER",
};
