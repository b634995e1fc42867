import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id } from "ethers";

import type {
  AccessManager,
  AllowanceAuction,
  CarbonCredit,
  CarbonMarketplace,
  CarbonRegistry,
  ComplianceRegistry,
  EmissionAllowance,
  EmissionsLedger,
  RetirementCertificate,
  RetirementRegistry,
} from "../../typechain-types/index.js";
import { Permissions, type SuiteContractName } from "./permissions.js";
import { RoleLabels, Roles, type RoleName } from "./roles.js";

/** The deployed CNT suite. */
export interface Suite {
  manager: AccessManager;
  registry: CarbonRegistry;
  credit: CarbonCredit;
  retirement: RetirementRegistry;
  certificate: RetirementCertificate;
  marketplace: CarbonMarketplace;
  ledger: EmissionsLedger;
  compliance: ComplianceRegistry;
  allowance: EmissionAllowance;
  auction: AllowanceAuction;
}

/** Accounts that receive each role at deployment (any role may be left out). */
export type RoleHolders = Partial<Record<Exclude<RoleName, "ADMIN" | "PUBLIC">, string[]>>;

/** The 4-byte selector of a Solidity function signature. */
export function selector(signature: string): string {
  return id(signature).slice(0, 10);
}

/**
 * Deploys the AccessManager, the registry, the credit token, the retirement registry and its certificate, the
 * marketplace, the emissions ledger, the compliance registry, the allowance token and the allowance auction; wires
 * the registry to the credit token, the retirement registry to the certificate and the compliance registry to the
 * allowance token; binds the retirement registry to the credit token (the only caller of its `retire`), the compliance
 * registry to the emissions ledger (the only caller of its entity profiles and deadline locks) and the auction to the
 * compliance registry; applies the permission table of `permissions.ts`; grants the given role holders their roles;
 * allows the credit and allowance tokens on the marketplace. `admin` becomes the AccessManager's initial admin, the treasury of fees, penalties and auction
 * proceeds unless `treasury` is given, and sends every transaction here.
 */
export async function deploySuite(
  ethers: HardhatEthers,
  admin: HardhatEthersSigner,
  holders: RoleHolders = {},
  treasury: string = admin.address,
  options: { bindRetirement?: boolean } = {},
): Promise<Suite> {
  const manager = await ethers.deployContract("AccessManager", [admin.address], admin);
  await manager.waitForDeployment();
  const managerAddress = await manager.getAddress();

  const registry = await ethers.deployContract("CarbonRegistry", [managerAddress], admin);
  await registry.waitForDeployment();
  const registryAddress = await registry.getAddress();

  const credit = await ethers.deployContract("CarbonCredit", [managerAddress, registryAddress], admin);
  await credit.waitForDeployment();

  const creditAddress = await credit.getAddress();

  const certificate = await ethers.deployContract("RetirementCertificate", [managerAddress], admin);
  await certificate.waitForDeployment();
  const certificateAddress = await certificate.getAddress();

  const retirement = await ethers.deployContract(
    "RetirementRegistry",
    [managerAddress, creditAddress, registryAddress, certificateAddress],
    admin,
  );
  await retirement.waitForDeployment();
  const retirementAddress = await retirement.getAddress();

  const marketplace = await ethers.deployContract(
    "CarbonMarketplace",
    [managerAddress, retirementAddress, treasury],
    admin,
  );
  await marketplace.waitForDeployment();

  const ledger = await ethers.deployContract("EmissionsLedger", [managerAddress, retirementAddress], admin);
  await ledger.waitForDeployment();
  const ledgerAddress = await ledger.getAddress();

  const compliance = await ethers.deployContract(
    "ComplianceRegistry",
    [managerAddress, ledgerAddress, retirementAddress, treasury],
    admin,
  );
  await compliance.waitForDeployment();
  const complianceAddress = await compliance.getAddress();

  const allowance = await ethers.deployContract("EmissionAllowance", [managerAddress, complianceAddress], admin);
  await allowance.waitForDeployment();
  const allowanceAddress = await allowance.getAddress();

  const auction = await ethers.deployContract("AllowanceAuction", [managerAddress, complianceAddress, treasury], admin);
  await auction.waitForDeployment();

  const suite = {
    manager,
    registry,
    credit,
    retirement,
    certificate,
    marketplace,
    ledger,
    compliance,
    allowance,
    auction,
  } as unknown as Suite;
  await wirePermissions(suite);
  await (await suite.registry.connect(admin).initialize(creditAddress)).wait();
  await (await suite.certificate.connect(admin).setMinter(retirementAddress)).wait();
  if (options.bindRetirement !== false) {
    await (await suite.credit.connect(admin).bindRetirementRegistry(retirementAddress)).wait();
  }
  await (await suite.marketplace.connect(admin).setAssetAllowed(creditAddress, true)).wait();
  await (await suite.compliance.connect(admin).initialize(allowanceAddress)).wait();
  await (await suite.ledger.connect(admin).bindComplianceRegistry(complianceAddress)).wait();
  await (await suite.compliance.connect(admin).bindAuction(await auction.getAddress())).wait();
  await (await suite.marketplace.connect(admin).setAssetAllowed(allowanceAddress, true)).wait();

  for (const [role, label] of Object.entries(RoleLabels)) {
    await (await suite.manager.labelRole(Roles[role as RoleName], label)).wait();
  }
  for (const [role, accounts] of Object.entries(holders)) {
    for (const account of accounts ?? []) {
      await (await suite.manager.grantRole(Roles[role as RoleName], account, 0)).wait();
    }
  }
  return suite;
}

/** Applies the permission table: `setTargetFunctionRole` per contract and role. */
export async function wirePermissions(suite: Suite): Promise<void> {
  const targets: Record<SuiteContractName, { getAddress(): Promise<string> }> = {
    CarbonRegistry: suite.registry,
    CarbonCredit: suite.credit,
    RetirementRegistry: suite.retirement,
    RetirementCertificate: suite.certificate,
    CarbonMarketplace: suite.marketplace,
    EmissionsLedger: suite.ledger,
    EmissionAllowance: suite.allowance,
    ComplianceRegistry: suite.compliance,
    AllowanceAuction: suite.auction,
  };
  for (const [contract, byRole] of Object.entries(Permissions) as [
    SuiteContractName,
    Partial<Record<RoleName, readonly string[]>>,
  ][]) {
    const target = await targets[contract].getAddress();
    for (const [role, signatures] of Object.entries(byRole) as [RoleName, readonly string[]][]) {
      if (role === "ADMIN") continue; // ADMIN-only is the AccessManager default.
      await (await suite.manager.setTargetFunctionRole(target, signatures.map(selector), Roles[role])).wait();
    }
  }
}
