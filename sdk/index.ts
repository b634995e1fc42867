/**
 * The CNT SDK for ethers v6: connect to a deployed suite, run its flows with decoded results, convert units, and read
 * any of the suite's custom errors as a sentence. Typed bindings are also exported on their own
 * (`cnt-protocol/typechain`); the same ABIs, enums, constants, units and sentences without ethers are
 * `cnt-protocol/viem` and `cnt-protocol/abi`.
 */
export { connect, contractsAt, CntClient, CntContractError } from "./client.js";
export type { BidCriteria, CntContracts, Sent } from "./client.js";
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
export { decodeCntError, explainError, findCntError } from "./errors.js";
export { errorMessage, formatTonnes, formatTimestamp } from "./messages.js";
export type { DecodedCntError, ErrorLabels } from "./messages.js";
export * from "./generated/solidity.js";
export * from "./generated/abi/index.js";
export { KG_PER_TONNE, kg, tonnes, toTonnes } from "./units.js";
export {
  CROSS_BORDER_RULE_TEXT,
  ISO_3166_COUNTRIES,
  ZERO_JURISDICTION,
  isJurisdiction,
  jurisdictionCode,
  jurisdictionText,
} from "./jurisdictions.js";
export { requireAddress } from "./address.js";
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
export * from "./contracts.js";
