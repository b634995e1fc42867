import type { RoleName } from "../../sdk/generated/solidity.js";

/** Role ids of the CNT AccessManager, generated from `contracts/access/Roles.sol` (scripts/export-abi.ts). */
export { Roles, type RoleName } from "../../sdk/generated/solidity.js";

/** Labels the AccessManager shows for each role (`labelRole`), so explorers and indexers can name them. */
export const RoleLabels: Partial<Record<RoleName, string>> = {
  REGISTRAR: "REGISTRAR",
  VERIFIER: "VERIFIER",
  REGULATOR: "REGULATOR",
  PAUSER: "PAUSER",
  TREASURER: "TREASURER",
};
