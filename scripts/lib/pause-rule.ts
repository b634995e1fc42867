import type { Suite } from "./suite.js";

/**
 * The suite's pause rule, written once (SECURITY.md states it; `test/security/PauseRule.test.ts` checks every
 * state-changing function of every pausable contract against it).
 *
 * A paused contract refuses every state-changing function with OpenZeppelin's `EnforcedPause()`, role-gated ones
 * included (fees, treasuries, allow-lists, deadlines, accreditation, unfreezing, reinstating), so nothing changes
 * while an incident is investigated. The functions below stay open on purpose, each for the reason given:
 * - the pause switch itself (`pause` is refused with `EnforcedPause`, `unpause` is the way out);
 * - `setAuthority`: the AccessManager's own governance, outside any one module;
 * - one-time wiring (`initialize`, `bind…`), refused anyway once the suite is deployed;
 * - the allowance token's record of the compliance registry's own pauses (`setCompliancePaused`, only the registry
 *   calls it from its `pause`/`unpause`), which lengthens surrender windows by the time either was paused;
 * - acts that only tighten a restriction (freezing an account, suspending a batch or a project), so an incident
 *   can be contained before the contract is unpaused;
 * - a holder's own approvals (ERC-1155 `setApprovalForAll`) and an entity's withdrawal of a claimant's authorisation
 *   (`setClaimAuthorisation(claimant, false)`; granting one is refused), so either can be revoked during an incident.
 * View functions are never paused.
 */
export const PAUSE_OPEN_EVERYWHERE = ["pause()", "unpause()", "setAuthority(address)"] as const;

/** Per contract (a key of {@link Suite}), the further functions that stay open while it is paused. */
export const PAUSE_OPEN: Partial<Record<keyof Suite, readonly string[]>> = {
  registry: ["initialize(address)", "suspendBatch(uint256,bytes32)", "suspendProject(uint256,bytes32)"],
  credit: ["bindRetirementRegistry(address)", "freeze(address,bytes32)", "setApprovalForAll(address,bool)"],
  retirement: ["setClaimAuthorisation(address,bool)"],
  ledger: ["bindComplianceRegistry(address)"],
  compliance: ["initialize(address)", "bindAuction(address)"],
  allowance: ["freeze(address,bytes32)", "setApprovalForAll(address,bool)", "setCompliancePaused(bool)"],
};

/** True when `signature` of the contract `name` stays open while that contract is paused. */
export function openWhilePaused(name: keyof Suite, signature: string): boolean {
  return (
    (PAUSE_OPEN_EVERYWHERE as readonly string[]).includes(signature) || (PAUSE_OPEN[name] ?? []).includes(signature)
  );
}
