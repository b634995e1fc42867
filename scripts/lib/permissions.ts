import type { RoleName } from "./roles.js";

/**
 * Which role may call each restricted function, per contract: the one place the suite's permissions are written.
 * The deploy helper applies it with `AccessManager.setTargetFunctionRole`; functions not listed stay ADMIN-only
 * (the AccessManager default). Signatures are Solidity function signatures.
 */
export const Permissions = {
  CarbonRegistry: {
    REGISTRAR: [
      "addStandard(string,string)",
      "setStandardActive(uint256,bool)",
      "setAffiliation(address,uint64)",
      "addMethodology(string,uint8,string)",
      "setMethodologyActive(uint256,bool)",
      "accreditVerifier(address,uint256)",
      "revokeVerifier(address,uint256)",
      "approveProject(uint256,bytes32)",
      "rejectProject(uint256,bytes32)",
      "suspendProject(uint256,bytes32)",
      "issueBatch(uint256,uint256)",
      "recordReversal(uint256,uint128,bytes32)",
      "suspendBatch(uint256,bytes32)",
      "reinstateBatch(uint256,bytes32)",
      "setArticle6Status(uint256,uint8,uint8)",
    ],
    VERIFIER: ["verifyReport(uint256,bytes32)", "rejectReport(uint256,bytes32)"],
    PAUSER: ["pause()", "unpause()"],
    ADMIN: ["initialize(address)"],
  },
  CarbonCredit: {
    REGULATOR: ["freeze(address,bytes32)", "unfreeze(address,bytes32)"],
    PAUSER: ["pause()", "unpause()"],
    ADMIN: ["bindRetirementRegistry(address)"],
  },
  RetirementRegistry: {
    PAUSER: ["pause()", "unpause()"],
  },
  RetirementCertificate: {
    ADMIN: ["setMinter(address)"],
  },
  CarbonMarketplace: {
    TREASURER: ["setFee(uint16)", "setTreasury(address)"],
    PAUSER: ["pause()", "unpause()"],
    ADMIN: ["setAssetAllowed(address,bool)", "setPaymentTokenAllowed(address,bool)"],
  },
  EmissionsLedger: {
    REGULATOR: [
      "accreditVerifier(address,uint32)",
      "revokeVerifier(address,uint32)",
      "setReportingDeadline(uint64,uint64)",
    ],
    VERIFIER: [
      "attest(address,uint64,uint32,uint256,bytes32,string)",
      "correct(address,uint64,uint256,bytes32,bytes32,string)",
    ],
    PAUSER: ["pause()", "unpause()"],
    ADMIN: ["bindComplianceRegistry(address)"],
  },
  EmissionAllowance: {
    REGULATOR: ["freeze(address,bytes32)", "unfreeze(address,bytes32)"],
    PAUSER: ["pause()", "unpause()"],
  },
  ComplianceRegistry: {
    REGULATOR: [
      "registerInstallation(address,uint32,string)",
      "updateOperator(uint256,address)",
      "closeInstallation(uint256)",
      "openPeriod(uint64,(uint128,uint128,uint64,uint16,uint128,address,(uint32[],bytes8[],uint64,uint64,uint64,uint8,uint8,uint8)))",
      "allocate(uint64,uint256,uint256)",
      "allocateMany(uint64,uint256[],uint256[])",
      "settle(uint256,uint64)",
      "setCrossBorderRule(uint64,uint8)",
    ],
    TREASURER: ["setTreasury(address)"],
    PAUSER: ["pause()", "unpause()"],
    ADMIN: ["initialize(address)", "bindAuction(address)"],
  },
  AllowanceAuction: {
    REGULATOR: ["openAuction(uint64,uint256,uint256,address,uint64,uint64,uint64)"],
    TREASURER: ["setTreasury(address)"],
    PAUSER: ["pause()", "unpause()"],
  },
} as const satisfies Record<string, Partial<Record<RoleName, readonly string[]>>>;

export type SuiteContractName = keyof typeof Permissions;
