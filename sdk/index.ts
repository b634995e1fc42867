/**
 * The CNT SDK: connect to a deployed suite, run its flows with decoded results, convert units, and read any of the
 * suite's custom errors as a sentence. Typed bindings are also exported on their own (`cnt-protocol/typechain`).
 */
export { connect, contractsAt, CntClient, CntContractError, ClaimType, Category, CrossBorderRule } from "./client.js";
export type { BidCriteria, CntContracts, Sent } from "./client.js";
export { SuiteContracts, readDeployment, recordedChains, deploymentsDir } from "./deployments.js";
export type { Deployment, SuiteContractName } from "./deployments.js";
export { decodeCntError, explainError, findCntError, formatTonnes, formatTimestamp } from "./errors.js";
export type { DecodedCntError, ErrorLabels } from "./errors.js";
export { KG_PER_TONNE, kg, tonnes, toTonnes } from "./units.js";
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
  requireAddress,
  requireExternalRef,
  requireId,
  requirePositive,
  requireStandardCode,
  requireUint,
} from "./validation.js";
export * from "./contracts.js";
