/**
 * The typed bindings (TypeChain, ethers v6) of the suite's production contracts and interfaces: the factories
 * (`connect`, `abi`) and the contract types. Mocks are left out.
 */
export { AccessManager__factory } from "../typechain-types/factories/@openzeppelin/contracts/access/manager/AccessManager__factory.js";
export { AllowanceAuction__factory } from "../typechain-types/factories/contracts/compliance/AllowanceAuction__factory.js";
export { ComplianceRegistry__factory } from "../typechain-types/factories/contracts/compliance/ComplianceRegistry__factory.js";
export { EmissionsLedger__factory } from "../typechain-types/factories/contracts/emissions/EmissionsLedger__factory.js";
export { IAllowanceAuction__factory } from "../typechain-types/factories/contracts/interfaces/IAllowanceAuction__factory.js";
export { ICarbonCredit__factory } from "../typechain-types/factories/contracts/interfaces/ICarbonCredit__factory.js";
export { ICarbonMarketplace__factory } from "../typechain-types/factories/contracts/interfaces/ICarbonMarketplace__factory.js";
export { ICarbonRegistry__factory } from "../typechain-types/factories/contracts/interfaces/ICarbonRegistry__factory.js";
export { IComplianceRegistry__factory } from "../typechain-types/factories/contracts/interfaces/IComplianceRegistry__factory.js";
export { IERC5192__factory } from "../typechain-types/factories/contracts/interfaces/IERC5192__factory.js";
export { IEmissionAllowance__factory } from "../typechain-types/factories/contracts/interfaces/IEmissionAllowance__factory.js";
export { IEmissionsLedger__factory } from "../typechain-types/factories/contracts/interfaces/IEmissionsLedger__factory.js";
export { IRetirementCertificate__factory } from "../typechain-types/factories/contracts/interfaces/IRetirementCertificate__factory.js";
export { IRetirementRegistry__factory } from "../typechain-types/factories/contracts/interfaces/IRetirementRegistry__factory.js";
export { BatchMatching__factory } from "../typechain-types/factories/contracts/libraries/BatchMatching__factory.js";
export { Jurisdictions__factory } from "../typechain-types/factories/contracts/libraries/Jurisdictions__factory.js";
export { CarbonMarketplace__factory } from "../typechain-types/factories/contracts/market/CarbonMarketplace__factory.js";
export { CarbonRegistry__factory } from "../typechain-types/factories/contracts/registry/CarbonRegistry__factory.js";
export { RetirementCertificate__factory } from "../typechain-types/factories/contracts/retirement/RetirementCertificate__factory.js";
export { RetirementRegistry__factory } from "../typechain-types/factories/contracts/retirement/RetirementRegistry__factory.js";
export { CarbonCredit__factory } from "../typechain-types/factories/contracts/token/CarbonCredit__factory.js";
export { EmissionAllowance__factory } from "../typechain-types/factories/contracts/token/EmissionAllowance__factory.js";

export type { AccessManager } from "../typechain-types/@openzeppelin/contracts/access/manager/AccessManager.js";
export type { AllowanceAuction } from "../typechain-types/contracts/compliance/AllowanceAuction.js";
export type { ComplianceRegistry } from "../typechain-types/contracts/compliance/ComplianceRegistry.js";
export type { EmissionsLedger } from "../typechain-types/contracts/emissions/EmissionsLedger.js";
export type { CarbonMarketplace } from "../typechain-types/contracts/market/CarbonMarketplace.js";
export type { CarbonRegistry } from "../typechain-types/contracts/registry/CarbonRegistry.js";
export type { RetirementCertificate } from "../typechain-types/contracts/retirement/RetirementCertificate.js";
export type { RetirementRegistry } from "../typechain-types/contracts/retirement/RetirementRegistry.js";
export type { CarbonCredit } from "../typechain-types/contracts/token/CarbonCredit.js";
export type { EmissionAllowance } from "../typechain-types/contracts/token/EmissionAllowance.js";
