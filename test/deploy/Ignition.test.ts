import { readFileSync } from "node:fs";

import { expect } from "chai";
import { network } from "hardhat";

import CNTModule from "../../deploy/modules/CNT.js";
import { checkParameters } from "../../scripts/check-parameters.js";
import { Permissions, type SuiteContractName } from "../../scripts/lib/permissions.js";
import { Roles, type RoleName } from "../../scripts/lib/roles.js";
import { selector } from "../../scripts/lib/suite.js";

/** The Ignition module deploys the whole suite and wires every permission of the table, and every protocol role. */
describe("Ignition module CNT", function () {
  it("deploys the suite and wires every permission of scripts/lib/permissions.ts", async function () {
    const connection = await network.create();
    const { ethers, ignition } = connection;
    const [deployer, registrar, verifier, regulator, pauser, treasurer, treasury] = await ethers.getSigners();
    const suite = await ignition.deploy(CNTModule, {
      parameters: {
        CNT: {
          treasury: treasury.address,
          registrar: registrar.address,
          verifier: verifier.address,
          regulator: regulator.address,
          pauser: pauser.address,
          treasurer: treasurer.address,
        },
      },
    });
    const manager = await ethers.getContractAt("AccessManager", await suite.manager.getAddress());
    const targets: Record<SuiteContractName, string> = {
      CarbonRegistry: await suite.registry.getAddress(),
      CarbonCredit: await suite.credit.getAddress(),
      RetirementRegistry: await suite.retirement.getAddress(),
      RetirementCertificate: await suite.certificate.getAddress(),
      CarbonMarketplace: await suite.marketplace.getAddress(),
      EmissionsLedger: await suite.ledger.getAddress(),
      EmissionAllowance: await suite.allowance.getAddress(),
      ComplianceRegistry: await suite.compliance.getAddress(),
      AllowanceAuction: await suite.auction.getAddress(),
    };
    let checked = 0;
    for (const [contract, byRole] of Object.entries(Permissions) as [
      SuiteContractName,
      Partial<Record<RoleName, readonly string[]>>,
    ][]) {
      for (const [role, signatures] of Object.entries(byRole) as [RoleName, readonly string[]][]) {
        for (const signature of signatures) {
          expect(
            await manager.getTargetFunctionRole(targets[contract], selector(signature)),
            `${contract}.${signature}`,
          ).to.equal(Roles[role]);
          ++checked;
        }
      }
    }
    expect(checked).to.be.greaterThan(57);

    // Protocol roles, operational holders, the deployer as admin.
    const holds = async (role: bigint, account: string) => (await manager.hasRole(role, account))[0];
    const credit = await ethers.getContractAt("CarbonCredit", targets.CarbonCredit);
    expect(await credit.retirementRegistry()).to.equal(targets.RetirementRegistry);
    // The compliance registry is bound to the ledger and the auction to the compliance registry (each set once); no
    // contract holds a role.
    const ledger = await ethers.getContractAt("EmissionsLedger", targets.EmissionsLedger);
    expect(await ledger.complianceRegistry()).to.equal(targets.ComplianceRegistry);
    for (const role of Object.values(Roles)) {
      if (role === Roles.PUBLIC) continue;
      for (const address of Object.values(targets)) expect(await holds(role, address)).to.equal(false);
    }
    const bound = await ethers.getContractAt("ComplianceRegistry", targets.ComplianceRegistry);
    expect(await bound.auction()).to.equal(targets.AllowanceAuction);
    for (const [role, holder] of [
      [Roles.REGISTRAR, registrar],
      [Roles.VERIFIER, verifier],
      [Roles.REGULATOR, regulator],
      [Roles.PAUSER, pauser],
      [Roles.TREASURER, treasurer],
    ] as const) {
      expect(await holds(role, holder.address)).to.equal(true);
      expect(await holds(role, deployer.address)).to.equal(false);
    }
    expect(await holds(Roles.ADMIN, deployer.address)).to.equal(true);

    // Wiring: initialized registries, the certificate's minter, the tokens allowed on the marketplace, treasuries.
    const registry = await ethers.getContractAt("CarbonRegistry", targets.CarbonRegistry);
    expect(await registry.credit()).to.equal(targets.CarbonCredit);
    const compliance = await ethers.getContractAt("ComplianceRegistry", targets.ComplianceRegistry);
    expect(await compliance.allowance()).to.equal(targets.EmissionAllowance);
    expect(await compliance.treasury()).to.equal(treasury.address);
    const certificate = await ethers.getContractAt("RetirementCertificate", targets.RetirementCertificate);
    expect(await certificate.minter()).to.equal(targets.RetirementRegistry);
    const marketplace = await ethers.getContractAt("CarbonMarketplace", targets.CarbonMarketplace);
    expect(await marketplace.isAssetAllowed(targets.CarbonCredit)).to.equal(true);
    expect(await marketplace.isAssetAllowed(targets.EmissionAllowance)).to.equal(true);
    expect(await marketplace.feeInfo()).to.deep.equal([100n, treasury.address]);
  });

  it("applies the fee and hands ADMIN to governance with an execution delay", async function () {
    const { ethers, ignition } = await network.create();
    const [deployer, registrar, verifier, regulator, pauser, treasurer, , governance] = await ethers.getSigners();
    const suite = await ignition.deploy(CNTModule, {
      parameters: {
        CNT: {
          registrar: registrar.address,
          verifier: verifier.address,
          regulator: regulator.address,
          pauser: pauser.address,
          treasurer: deployer.address, // the deployer held TREASURER briefly to set the fee: it must keep this grant
          feeBps: 250,
          admin: governance.address,
          adminDelay: 86_400,
        },
      },
    });
    const manager = await ethers.getContractAt("AccessManager", await suite.manager.getAddress());
    const marketplace = await ethers.getContractAt("CarbonMarketplace", await suite.marketplace.getAddress());
    expect(await marketplace.feeInfo()).to.deep.equal([250n, deployer.address]);
    expect(await manager.hasRole(Roles.TREASURER, deployer.address)).to.deep.equal([true, 0n]);
    expect(await manager.hasRole(Roles.ADMIN, governance.address)).to.deep.equal([true, 86_400n]);
    expect(await manager.hasRole(Roles.ADMIN, deployer.address)).to.deep.equal([true, 0n]);
  });

  it("refuses a fee above the marketplace's 10% ceiling", async function () {
    const { ethers, ignition } = await network.create();
    const [, a, b, c, d, e] = await ethers.getSigners();
    let message = "no error";
    try {
      await ignition.deploy(CNTModule, {
        parameters: {
          CNT: {
            registrar: a.address,
            verifier: b.address,
            regulator: c.address,
            pauser: d.address,
            treasurer: e.address,
            feeBps: 1_001,
          },
        },
      });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/setFee/);
  });

  it("names a missing parameter", async function () {
    const { ignition } = await network.create();
    let message = "no error";
    try {
      await ignition.deploy(CNTModule, { parameters: { CNT: {} } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).to.match(/registrar/);
  });

  it("checks the committed parameters files: localhost is ready, public networks name every placeholder", function () {
    const read = (name: string) => JSON.parse(readFileSync(`deploy/parameters/${name}.json`, "utf8"));
    expect(checkParameters(read("localhost"))).to.deep.equal([]);
    for (const name of ["sepolia", "polygonAmoy", "baseSepolia", "celoSepolia"]) {
      const problems = checkParameters(read(name));
      expect(problems, name).to.have.length(7);
      expect(problems[0]).to.match(/^CNT.registrar is not an address: "REPLACE/);
    }
    expect(checkParameters({ CNT: { feeBps: 1_001, adminDelay: 1.5 } })).to.include.members([
      "CNT.registrar is missing: the first holder of the REGISTRAR role",
      "CNT.feeBps must be a whole number of basis points from 0 to 1000: 1001",
      "CNT.adminDelay must be whole seconds: 1.5",
    ]);
  });
});
