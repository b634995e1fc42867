import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { Permissions, type SuiteContractName } from "../../scripts/lib/permissions.js";
import { RoleLabels, Roles, type RoleName } from "../../scripts/lib/roles.js";
import { selector } from "../../scripts/lib/suite.js";

/**
 * The whole CNT suite behind one AccessManager, wired as `scripts/lib/suite.ts` wires it: every function permission
 * of `scripts/lib/permissions.ts`, the retirement registry bound to the credit token, the compliance registry bound to
 * the emissions ledger, the auction bound to the compliance registry, the registry and
 * compliance registry initialized, the certificate's minter set, the credit and allowance tokens allowed on the
 * marketplace, role labels, and one holder per operational role.
 *
 * Parameters (module id "CNT"):
 * - `registrar`, `verifier`, `regulator`, `pauser`, `treasurer`: the first holder of each operational role (required:
 *   Ignition names any that is missing);
 * - `treasury`: receives fees, penalties and auction proceeds (default the deployer);
 * - `feeBps`: the marketplace fee in basis points, at most 1,000 (default 100, 1%);
 * - `admin`, `adminDelay`: the governance account granted ADMIN, with an execution delay in seconds for its admin
 *   operations (default the deployer, 0). The deployer stays ADMIN too until it renounces (see the README).
 */
export default buildModule("CNT", (m) => {
  const deployer = m.getAccount(0);
  const treasury = m.getParameter("treasury", deployer);

  const manager = m.contract("AccessManager", [deployer]);
  const registry = m.contract("CarbonRegistry", [manager]);
  const credit = m.contract("CarbonCredit", [manager, registry]);
  const certificate = m.contract("RetirementCertificate", [manager]);
  const retirement = m.contract("RetirementRegistry", [manager, credit, registry, certificate]);
  const marketplace = m.contract("CarbonMarketplace", [manager, retirement, treasury]);
  const ledger = m.contract("EmissionsLedger", [manager, retirement]);
  const compliance = m.contract("ComplianceRegistry", [manager, ledger, retirement, treasury]);
  const allowance = m.contract("EmissionAllowance", [manager, compliance]);
  const auction = m.contract("AllowanceAuction", [manager, compliance, treasury]);

  const targets = {
    CarbonRegistry: registry,
    CarbonCredit: credit,
    RetirementRegistry: retirement,
    RetirementCertificate: certificate,
    CarbonMarketplace: marketplace,
    EmissionsLedger: ledger,
    EmissionAllowance: allowance,
    ComplianceRegistry: compliance,
    AllowanceAuction: auction,
  } as const satisfies Record<SuiteContractName, unknown>;

  // Function permissions: one setTargetFunctionRole per contract and role (ADMIN-only is the manager's default).
  const wiring = [];
  for (const [contract, byRole] of Object.entries(Permissions) as [
    SuiteContractName,
    Partial<Record<RoleName, readonly string[]>>,
  ][]) {
    for (const [role, signatures] of Object.entries(byRole) as [RoleName, readonly string[]][]) {
      if (role === "ADMIN") continue;
      wiring.push(
        m.call(manager, "setTargetFunctionRole", [targets[contract], signatures.map(selector), Roles[role]], {
          id: `permit_${contract}_${role}`,
        }),
      );
    }
  }

  // Typed loosely: the calls target different contracts, and `after` only needs them as futures.
  const setup: ReturnType<typeof m.call>[] = [
    m.call(registry, "initialize", [credit], { after: wiring }),
    m.call(certificate, "setMinter", [retirement], { after: wiring }),
    m.call(compliance, "initialize", [allowance], { after: wiring }),
    m.call(credit, "bindRetirementRegistry", [retirement], { after: wiring }),
    m.call(ledger, "bindComplianceRegistry", [compliance], { after: wiring }),
    m.call(compliance, "bindAuction", [auction], { after: wiring }),
    m.call(marketplace, "setAssetAllowed", [credit, true], { id: "allow_credit", after: wiring }),
    m.call(marketplace, "setAssetAllowed", [allowance, true], { id: "allow_allowance", after: wiring }),
  ];
  for (const [role, label] of Object.entries(RoleLabels) as [RoleName, string][]) {
    setup.push(m.call(manager, "labelRole", [Roles[role], label], { id: `label_${role}` }));
  }

  // The fee is a TREASURER operation: the deployer holds the role just long enough to set it.
  const feeBps = m.getParameter("feeBps", 100);
  const holdTreasurer = m.call(manager, "grantRole", [Roles.TREASURER, deployer, 0], {
    id: "grant_TREASURER_to_deployer",
    after: wiring,
  });
  const setFee = m.call(marketplace, "setFee", [feeBps], { after: [holdTreasurer] });
  const dropTreasurer = m.call(manager, "renounceRole", [Roles.TREASURER, deployer], {
    id: "renounce_TREASURER_by_deployer",
    after: [setFee],
  });

  const grants = [];
  for (const role of ["REGISTRAR", "VERIFIER", "REGULATOR", "PAUSER", "TREASURER"] as const) {
    const holder = m.getParameter<string>(role.toLowerCase());
    grants.push(
      m.call(manager, "grantRole", [Roles[role], holder, 0], { id: `grant_${role}`, after: [dropTreasurer] }),
    );
  }

  // Governance last: with an admin delay, every later admin operation of that account must be scheduled.
  m.call(manager, "grantRole", [Roles.ADMIN, m.getParameter("admin", deployer), m.getParameter("adminDelay", 0)], {
    id: "grant_ADMIN",
    after: [...wiring, ...setup, ...grants],
  });

  return { manager, registry, credit, certificate, retirement, marketplace, ledger, compliance, allowance, auction };
});
