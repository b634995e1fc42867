/**
 * What both SDK entries share, with no dependency on ethers or viem: the const ABIs and the merged errors and events
 * ABIs, the contracts' enums and role ids, the deployment records, the revert sentences, units, jurisdiction codes,
 * request builders and argument checks. `cnt-protocol` (ethers) and `cnt-protocol/viem` each add their client and
 * their revert decoding on top.
 */
export * from "./generated/abi/index.js";
export * from "./generated/solidity.js";
export {
  DeploymentRoleNames,
  SuiteContracts,
  deploymentOnNode,
  deploymentsDir,
  parseDeployment,
  readDeployment,
  readDeploymentFile,
  recordedChains,
} from "./deployments.js";
export type {
  Deployment,
  DeploymentRole,
  DeploymentRoleName,
  DeploymentTreasury,
  PaymentToken,
  SuiteContractName,
} from "./deployments.js";
export { errorMessage, formatTimestamp, TEMPLATED_ERRORS } from "./messages.js";
export type { DecodedCntError, ErrorLabels } from "./messages.js";
export { KG_PER_TONNE, formatAmount, formatTonnes, kg, tonnes, toTonnes } from "./units.js";
export { retirementRequest } from "./requests.js";
export type { Hex, RetirementRequest, RetirementRequestOptions } from "./requests.js";
export {
  CROSS_BORDER_RULE_TEXT,
  ISO_3166_COUNTRIES,
  ZERO_JURISDICTION,
  isJurisdiction,
  jurisdictionCode,
  jurisdictionText,
} from "./jurisdictions.js";
export {
  CntArgumentError,
  EXTERNAL_REF,
  STANDARD_CODE,
  requireExternalRef,
  requireId,
  requirePositive,
  requireStandardCode,
  requireUint,
} from "./validation.js";
