import { readFileSync } from "node:fs";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import type { BaseContract, ContractTransactionResponse, Interface } from "ethers";
import { id } from "ethers";

import { Permissions, type SuiteContractName } from "../../scripts/lib/permissions.js";
import { Roles, type RoleName } from "../../scripts/lib/roles.js";
import { selector } from "../../scripts/lib/suite.js";
import {
  DAY,
  PERIOD,
  SECTOR,
  TONNE,
  attest,
  latest,
  openPeriod,
  periodConfig,
  registerInstallation,
  timeTo,
} from "../helpers/compliance.js";
import { approvedProject, Category, deployWorld, issue, type World } from "../helpers/fixtures.js";
import { nestedFixtures, standardIdOf, submitReport, verifiedReport } from "../helpers/registry.js";

const REASON = id("reason");
/** A compliance period whose reporting deadline the ledger has, not yet opened in the ready state. */
const NEXT_PERIOD = PERIOD + 1n;
/** Installation 1 of the ready state, run by alice. */
const INSTALLATION = 1n;

/**
 * The world of this test: the suite and an ERC-20 to open auctions in. (Calls between contracts are bound to the
 * calling contract's address, not to a role: the ledger's entity profiles and deadline locks to the compliance
 * registry, the compliance registry's auction-volume functions to the auction.)
 */
interface AccessWorld extends World {
  paymentToken: string;
}

type HolderRole = Exclude<RoleName, "PUBLIC">;

/** Every (contract, role, signature) of the permission table. */
const ENTRIES: { contract: SuiteContractName; role: HolderRole; signature: string }[] = Object.entries(
  Permissions,
).flatMap(([contract, byRole]) =>
  Object.entries(byRole as Partial<Record<HolderRole, readonly string[]>>).flatMap(([role, signatures]) =>
    (signatures ?? []).map((signature) => ({
      contract: contract as SuiteContractName,
      role: role as HolderRole,
      signature,
    })),
  ),
);

/** State-changing functions that the AccessManager does not gate, and why. */
const NOT_ROLE_GATED: Record<SuiteContractName, string[]> = {
  CarbonRegistry: [
    "registerProject((uint32,uint16,uint32,string,string,string))", // anyone may register a project
    "submitReport((uint64,uint64,uint64,uint128,uint128,uint128,bytes32,string))", // checked: caller is proponent
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  CarbonCredit: [
    "mintBatch(uint256,address,uint256,address,uint256)", // only the registry
    "cancel(address,uint256,uint256)", // only the registry
    "setSuspended(uint256,bool)", // only the registry
    "retire(address,address,uint256,uint256)", // only the bound retirement registry
    "safeTransferFrom(address,address,uint256,uint256,bytes)", // ERC-1155: holder or approved operator
    "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)", // ERC-1155: holder or approved operator
    "setApprovalForAll(address,bool)", // ERC-1155: any holder
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  RetirementRegistry: [
    "retire((uint256[],uint256[],address,string,bytes32,uint8,address,uint64,bytes8,uint64,uint64,string,bool))", // own credits
    "retireFrom(address,(uint256[],uint256[],address,string,bytes32,uint8,address,uint64,bytes8,uint64,uint64,string,bool))", // approved operator
    "onERC1155Received(address,address,uint256,uint256,bytes)", // only the credit token's transfers
    "onERC1155BatchReceived(address,address,uint256[],uint256[],bytes)", // only the credit token's transfers
    "setClaimAuthorisation(address,bool)", // an entity's own consent
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  RetirementCertificate: [
    "mint(address,uint256,string,bytes32)", // only the retirement registry
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  EmissionsLedger: [
    "setEntityProfile(address,address,uint32)", // only the bound compliance registry (set once, not a role)
    "lockReportingDeadline(uint64)", // only the bound compliance registry (set once, not a role)
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  EmissionAllowance: [
    "mint(address,uint256,uint256)", // only the compliance registry (immutable address, not the AccessManager)
    "burn(address,uint256,uint256)", // only the compliance registry (immutable address, not the AccessManager)
    "setCompliancePaused(bool)", // only the compliance registry (immutable address, not the AccessManager)
    "safeTransferFrom(address,address,uint256,uint256,bytes)", // ERC-1155: holder or approved operator
    "safeBatchTransferFrom(address,address,uint256[],uint256[],bytes)", // ERC-1155: holder or approved operator
    "setApprovalForAll(address,bool)", // ERC-1155: any holder
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  ComplianceRegistry: [
    "surrenderAllowances(uint256,uint64,uint64[],uint256[])", // checked: caller is the installation's operator
    "surrenderOffsets(uint256,uint64,uint256[],uint256[])", // checked: caller is the installation's operator
    "payPenalty(uint256,uint64)", // anyone may pay a penalty owed, from its own funds
    "reserveAuctionVolume(uint64,uint256,uint256)", // only the bound auction contract (set once, not a role)
    "issueAuctioned(uint256,address,uint256)", // only the bound auction contract (set once, not a role)
    "releaseAuctionVolume(uint256,uint256)", // only the bound auction contract (set once, not a role)
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  AllowanceAuction: [
    "commitBid(uint256,bytes32,uint256)", // any bidder, with its own deposit
    "revealBid(uint256,uint256,uint256,bytes32,uint256)", // checked: caller is the bid's bidder
    "settle(uint256,uint256)", // anyone, once the reveal window closed
    "claim(uint256)", // anyone, for the bid's bidder
    "claimMany(uint256[])", // anyone, for the bids' bidders
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
  CarbonMarketplace: [
    "list(address,uint256,uint256,uint256,address,uint256,uint64)", // any holder
    "updateListing(uint256,uint256,uint64,uint256)", // the listing's seller
    "cancelListing(uint256)", // the seller, or anyone once expired
    "buy(uint256,uint256,uint256,address)", // any buyer
    "buyWithPermit(uint256,uint256,uint256,address,(uint256,uint256,uint8,bytes32,bytes32))", // any buyer
    "buyMany((uint256,uint256,uint256)[],address)", // any buyer
    "buyAndRetire(uint256,uint256,uint256,(uint256[],uint256[],address,string,bytes32,uint8,address,uint64,bytes8,uint64,uint64,string,bool))", // any buyer
    "placeBid((uint32[],bytes8[],uint64,uint64,uint64,uint8,uint8,uint8),uint256,uint256,address,uint64)", // any buyer
    "fillBid(uint256,uint256,uint256)", // any holder of a matching batch
    "cancelBid(uint256)", // the bidder, or anyone once expired
    "setAuthority(address)", // AccessManaged: only the current authority
  ],
};

/**
 * How to call each restricted function so that it succeeds for its role holder in the `ready` state: the arguments,
 * an optional setup run first (by the right role holder), and, for `initialize`, the business error that proves the
 * access check was passed (the suite is already initialized).
 */
type CallSpec = {
  args: (w: AccessWorld) => Promise<unknown[]> | unknown[];
  setup?: (w: AccessWorld) => Promise<unknown>;
  passesWithError?: string;
};

const CALLS: Record<SuiteContractName, Record<string, CallSpec>> = {
  CarbonRegistry: {
    "addStandard(string,string)": { args: () => ["PURO", "https://puro.earth"] },
    "setStandardActive(uint256,bool)": { args: () => [1, false] },
    "setAffiliation(address,uint64)": { args: (w) => [w.alice.address, 7] },
    "addMethodology(string,uint8,string)": { args: () => ["VM0042", Category.Avoidance, "ipfs://vm0042"] },
    "setMethodologyActive(uint256,bool)": { args: () => [1, false] },
    "accreditVerifier(address,uint256)": { args: (w) => [w.alice.address, 1] },
    "revokeVerifier(address,uint256)": { args: (w) => [w.verifier.address, 1] },
    "approveProject(uint256,bytes32)": { args: () => [2, REASON] },
    "rejectProject(uint256,bytes32)": { args: () => [2, REASON] },
    "suspendProject(uint256,bytes32)": { args: () => [1, REASON] },
    "issueBatch(uint256,uint256)": { args: () => [3, 0] },
    "recordReversal(uint256,uint128,bytes32)": { args: () => [1, 10, REASON] },
    "suspendBatch(uint256,bytes32)": { args: () => [1, REASON] },
    "reinstateBatch(uint256,bytes32)": {
      args: () => [1, REASON],
      setup: (w) => w.registry.connect(w.registrar).suspendBatch(1, REASON),
    },
    "setArticle6Status(uint256,uint8,uint8)": { args: () => [1, 1, 1] },
    "verifyReport(uint256,bytes32)": { args: () => [2, id("verification")] },
    "rejectReport(uint256,bytes32)": { args: () => [2, REASON] },
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.registry.connect(w.pauser).pause() },
    "initialize(address)": {
      args: async (w) => [await w.credit.getAddress()],
      passesWithError: "CarbonRegistryAlreadyInitialized",
    },
  },
  CarbonCredit: {
    "freeze(address,bytes32)": { args: (w) => [w.alice.address, REASON] },
    "unfreeze(address,bytes32)": {
      args: (w) => [w.alice.address, REASON],
      setup: (w) => w.credit.connect(w.regulator).freeze(w.alice.address, REASON),
    },
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.credit.connect(w.pauser).pause() },
    "bindRetirementRegistry(address)": {
      args: async (w) => [await w.retirement.getAddress()],
      passesWithError: "CarbonCreditRetirementRegistryAlreadyBound",
    },
  },
  RetirementRegistry: {
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.retirement.connect(w.pauser).pause() },
  },
  RetirementCertificate: {
    "setMinter(address)": {
      args: (w) => [w.alice.address],
      passesWithError: "CertificateMinterAlreadySet",
    },
  },
  CarbonMarketplace: {
    "setFee(uint16)": { args: () => [100] },
    "setTreasury(address)": { args: (w) => [w.treasurer.address] },
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.marketplace.connect(w.pauser).pause() },
    "setAssetAllowed(address,bool)": { args: (w) => [w.alice.address, true] },
    "setPaymentTokenAllowed(address,bool)": { args: (w) => [w.alice.address, true] },
  },
  EmissionsLedger: {
    "accreditVerifier(address,uint32)": { args: (w) => [w.bob.address, SECTOR] },
    "revokeVerifier(address,uint32)": { args: (w) => [w.verifier.address, SECTOR] },
    "setReportingDeadline(uint64,uint64)": { args: async (w) => [NEXT_PERIOD, (await latest(w)) + 90n * DAY] },
    "attest(address,uint64,uint32,uint256,bytes32,string)": {
      args: (w) => [w.bob.address, PERIOD, SECTOR, 500n * TONNE, id("evidence"), "ipfs://statement"],
    },
    "correct(address,uint64,uint256,bytes32,bytes32,string)": {
      args: async (w) => [
        await w.compliance.entityOf(INSTALLATION),
        PERIOD,
        900n * TONNE,
        id("new evidence"),
        REASON,
        "ipfs://correction",
      ],
    },
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.ledger.connect(w.pauser).pause() },
    "bindComplianceRegistry(address)": {
      args: async (w) => [await w.compliance.getAddress()],
      passesWithError: "LedgerComplianceRegistryAlreadyBound",
    },
  },
  EmissionAllowance: {
    "freeze(address,bytes32)": { args: (w) => [w.alice.address, REASON] },
    "unfreeze(address,bytes32)": {
      args: (w) => [w.alice.address, REASON],
      setup: (w) => w.allowance.connect(w.regulator).freeze(w.alice.address, REASON),
    },
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.allowance.connect(w.pauser).pause() },
  },
  ComplianceRegistry: {
    "registerInstallation(address,uint32,string)": { args: (w) => [w.bob.address, SECTOR, "FR"] },
    "updateOperator(uint256,address)": { args: (w) => [INSTALLATION, w.bob.address] },
    "closeInstallation(uint256)": { args: () => [INSTALLATION] },
    "openPeriod(uint64,(uint128,uint128,uint64,uint16,uint128,address,(uint32[],bytes8[],uint64,uint64,uint64,uint8,uint8,uint8)))":
      {
        args: async (w) => [NEXT_PERIOD, periodConfig(await w.ledger.reportingDeadline(NEXT_PERIOD))],
        setup: async (w) =>
          (await w.ledger.connect(w.regulator).setReportingDeadline(NEXT_PERIOD, (await latest(w)) + 90n * DAY)).wait(),
      },
    "allocate(uint64,uint256,uint256)": { args: () => [PERIOD, INSTALLATION, 1_000n * TONNE] },
    "allocateMany(uint64,uint256[],uint256[])": { args: () => [PERIOD, [INSTALLATION], [1_000n * TONNE]] },
    "setCrossBorderRule(uint64,uint8)": { args: () => [PERIOD, 2n] },
    "settle(uint256,uint64)": {
      args: () => [INSTALLATION, PERIOD],
      setup: async (w) => timeTo(w, (await w.compliance.getPeriod(PERIOD)).config.surrenderDeadline),
    },
    "setTreasury(address)": { args: (w) => [w.treasurer.address] },
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.compliance.connect(w.pauser).pause() },
    "initialize(address)": {
      args: async (w) => [await w.allowance.getAddress()],
      passesWithError: "ComplianceAlreadyInitialized",
    },
    "bindAuction(address)": {
      args: async (w) => [await w.auction.getAddress()],
      passesWithError: "ComplianceAuctionAlreadyBound",
    },
  },
  AllowanceAuction: {
    "openAuction(uint64,uint256,uint256,address,uint64,uint64,uint64)": {
      args: async (w) => {
        const now = await latest(w);
        return [PERIOD, 1_000n * TONNE, 1n, w.paymentToken, now, now + DAY, now + 2n * DAY];
      },
    },
    "setTreasury(address)": { args: (w) => [w.treasurer.address] },
    "pause()": { args: () => [] },
    "unpause()": { args: () => [], setup: (w) => w.auction.connect(w.pauser).pause() },
  },
};

function holders(w: AccessWorld): Record<HolderRole, HardhatEthersSigner> {
  return {
    ADMIN: w.admin,
    REGISTRAR: w.registrar,
    VERIFIER: w.verifier,
    REGULATOR: w.regulator,
    PAUSER: w.pauser,
    TREASURER: w.treasurer,
  };
}

function target(w: World, contract: SuiteContractName): BaseContract {
  const targets: Record<SuiteContractName, BaseContract> = {
    CarbonRegistry: w.registry,
    CarbonCredit: w.credit,
    RetirementRegistry: w.retirement,
    RetirementCertificate: w.certificate,
    CarbonMarketplace: w.marketplace,
    EmissionsLedger: w.ledger,
    EmissionAllowance: w.allowance,
    ComplianceRegistry: w.compliance,
    AllowanceAuction: w.auction,
  };
  return targets[contract];
}

/** Sends `signature` with the spec's arguments to `contract` from `signer`. */
async function send(
  w: AccessWorld,
  contract: SuiteContractName,
  signature: string,
  signer: HardhatEthersSigner,
): Promise<ContractTransactionResponse> {
  const args = await CALLS[contract][signature].args(w);
  const connected = target(w, contract).connect(signer) as BaseContract;
  return connected.getFunction(signature)(...args) as Promise<ContractTransactionResponse>;
}

/** Parses the `uint64 internal constant NAME = VALUE;` lines of `contracts/access/Roles.sol`. */
function rolesFromSolidity(): Record<string, bigint> {
  const source = readFileSync(path.resolve(import.meta.dirname, "../../contracts/access/Roles.sol"), "utf8");
  const roles: Record<string, bigint> = {};
  for (const [, name, value] of source.matchAll(/uint64\s+internal\s+constant\s+(\w+)\s*=\s*([^;]+);/g)) {
    const text = value.trim();
    if (/^\d[\d_]*$/.test(text)) roles[name] = BigInt(text.replaceAll("_", ""));
    else if (text === "type(uint64).max") roles[name] = 2n ** 64n - 1n;
    else throw new Error(`unparsed role value for ${name}: ${text}`);
  }
  return roles;
}

describe("Access control", function () {
  let world: AccessWorld;
  let load: <T>(fixture: () => Promise<T>) => Promise<T>;

  async function deployed(): Promise<AccessWorld> {
    return world;
  }

  /**
   * Batch 1 issued to the proponent, report 2 Submitted, report 3 Verified, project 2 of alice Pending; compliance
   * period PERIOD open (the verifier accredited for SECTOR in the ledger), installation 1 run by alice with its
   * emissions attested for PERIOD: every call of CALLS succeeds from here for its role holder.
   */
  async function ready(): Promise<AccessWorld> {
    const w = await load(deployed);
    await approvedProject(w);
    await issue(w, 1n, 1_000n, 1_000n);
    await submitReport(w, 1n, 100n, 3_000n);
    await verifiedReport(w, 1n, 1_000n, 4_000n);
    await w.registry.connect(w.alice).registerProject({
      methodologyId: 1,
      bufferBps: 1_000,
      standardId: await standardIdOf(w, "GS"),
      externalRef: "GS-1",
      jurisdiction: "KE",
      uri: "ipfs://gs-1",
    });
    await openPeriod(w, PERIOD);
    const { entity } = await registerInstallation(w, w.alice);
    await attest(w, entity, 1_000n * TONNE);
    return w;
  }

  before(async function () {
    const w = await deployWorld();
    const token = await w.ethers.deployContract("ERC20Mock");
    world = { ...w, paymentToken: await token.getAddress() };
    load = nestedFixtures(world);
    await load(deployed);
  });

  describe("roles", function () {
    it("Roles.sol constants equal scripts/lib/roles.ts", function () {
      expect(rolesFromSolidity()).to.deep.equal({ ...Roles });
    });

    it("PUBLIC is the AccessManager's PUBLIC_ROLE and ADMIN its ADMIN_ROLE", async function () {
      const w = await load(deployed);
      expect(await w.manager.PUBLIC_ROLE()).to.equal(Roles.PUBLIC);
      expect(await w.manager.ADMIN_ROLE()).to.equal(Roles.ADMIN);
    });

    it("each named actor holds its role and no other", async function () {
      const w = await load(deployed);
      const byRole = holders(w);
      for (const [role, holder] of Object.entries(byRole) as [HolderRole, HardhatEthersSigner][]) {
        for (const [other, account] of Object.entries(byRole) as [HolderRole, HardhatEthersSigner][]) {
          const [isMember] = await w.manager.hasRole(Roles[role], account.address);
          expect(isMember, `${other} holds ${role}`).to.equal(account === holder);
        }
        expect((await w.manager.hasRole(Roles[role], w.outsider.address))[0]).to.equal(false);
      }
    });

    it("no suite contract holds a role: the retirement registry, the compliance registry and the auction are bound by address", async function () {
      const w = await load(deployed);
      for (const name of Object.keys(Permissions) as SuiteContractName[]) {
        const address = await target(w, name).getAddress();
        for (const role of Object.keys(holders(w)) as HolderRole[]) {
          expect((await w.manager.hasRole(Roles[role], address))[0], `${name} holds ${role}`).to.equal(false);
        }
      }
      expect(await w.credit.retirementRegistry()).to.equal(await w.retirement.getAddress());
      expect(await w.ledger.complianceRegistry()).to.equal(await w.compliance.getAddress());
      expect(await w.compliance.auction()).to.equal(await w.auction.getAddress());
    });
  });

  describe("permission table", function () {
    it("names only functions of each contract's ABI", async function () {
      const w = await load(deployed);
      for (const { contract, signature } of ENTRIES) {
        const iface = target(w, contract).interface as Interface;
        expect(iface.getFunction(signature), `${contract}.${signature}`).to.not.equal(null);
      }
    });

    it("covers every state-changing function that is not gated otherwise", async function () {
      const w = await load(deployed);
      for (const contract of Object.keys(Permissions) as SuiteContractName[]) {
        const stateChanging: string[] = [];
        (target(w, contract).interface as Interface).forEachFunction((fn) => {
          if (!fn.constant) stateChanging.push(fn.format("sighash"));
        });
        const covered = [...ENTRIES.filter((e) => e.contract === contract).map((e) => e.signature)];
        expect([...covered, ...NOT_ROLE_GATED[contract]].sort(), contract).to.deep.equal(stateChanging.sort());
      }
    });

    it("has a call for every entry", function () {
      for (const { contract, signature } of ENTRIES) {
        expect(CALLS[contract][signature], `${contract}.${signature}`).to.not.equal(undefined);
      }
      const entries = ENTRIES.length;
      const calls = Object.values(CALLS).reduce((n, byName) => n + Object.keys(byName).length, 0);
      expect(calls).to.equal(entries);
    });
  });

  for (const { contract, role, signature } of ENTRIES) {
    describe(`${contract}.${signature} (${role})`, function () {
      it(`is assigned role ${role} in the AccessManager`, async function () {
        const w = await load(deployed);
        const address = await target(w, contract).getAddress();
        const functionSelector = (target(w, contract).interface as Interface).getFunction(signature)!.selector;
        expect(functionSelector).to.equal(selector(signature));
        expect(await w.manager.getTargetFunctionRole(address, functionSelector)).to.equal(Roles[role]);
      });

      it("refuses an account with no role", async function () {
        const w = await load(ready);
        await CALLS[contract][signature].setup?.(w);
        await expect(send(w, contract, signature, w.outsider))
          .to.be.revertedWithCustomError(target(w, contract), "AccessManagedUnauthorized")
          .withArgs(w.outsider.address);
      });

      it("refuses the holder of every other role", async function () {
        const w = await load(ready);
        await CALLS[contract][signature].setup?.(w);
        for (const [other, account] of Object.entries(holders(w)) as [HolderRole, HardhatEthersSigner][]) {
          if (other === role) continue;
          await expect(send(w, contract, signature, account), `${other} calls it`)
            .to.be.revertedWithCustomError(target(w, contract), "AccessManagedUnauthorized")
            .withArgs(account.address);
        }
      });

      it(`lets the ${role} holder through`, async function () {
        const w = await load(ready);
        const spec = CALLS[contract][signature];
        await spec.setup?.(w);
        const holder = holders(w)[role];
        if (spec.passesWithError !== undefined) {
          await expect(send(w, contract, signature, holder)).to.be.revertedWithCustomError(
            target(w, contract),
            spec.passesWithError,
          );
        } else {
          await expect(send(w, contract, signature, holder)).not.to.revert(w.ethers);
        }
      });
    });
  }

  describe("functions outside the table", function () {
    for (const contract of ["CarbonRegistry", "ComplianceRegistry"] as const) {
      it(`${contract}.initialize is ADMIN-only: the manager's default role 0`, async function () {
        const w = await load(deployed);
        const managed = target(w, contract);
        const fn = (managed.interface as Interface).getFunction("initialize")!;
        expect(await w.manager.getTargetFunctionRole(await managed.getAddress(), fn.selector)).to.equal(0n);
      });
    }

    it("CarbonCredit.retire refuses every caller but the bound retirement registry, even the admin", async function () {
      const w = await load(ready);
      for (const caller of [w.admin, w.registrar, w.regulator, w.pauser, w.outsider, w.proponent]) {
        await expect(w.credit.connect(caller).retire(w.proponent.address, caller.address, 1, 1))
          .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRetirementRegistry")
          .withArgs(caller.address);
      }
    });

    for (const name of ["mintBatch", "cancel", "setSuspended"] as const) {
      it(`CarbonCredit.${name} refuses every caller but the registry, even the admin`, async function () {
        const w = await load(ready);
        const args: Record<typeof name, unknown[]> = {
          mintBatch: [9, w.alice.address, 1, w.alice.address, 0],
          cancel: [w.proponent.address, 1, 1],
          setSuspended: [1, true],
        };
        for (const caller of [w.admin, w.registrar, w.outsider]) {
          await expect(w.credit.connect(caller).getFunction(name)(...args[name]))
            .to.be.revertedWithCustomError(w.credit, "CarbonCreditOnlyRegistry")
            .withArgs(caller.address);
        }
      });
    }

    for (const name of ["mint", "burn"] as const) {
      it(`EmissionAllowance.${name} refuses every caller but the compliance registry, even the admin and the regulator`, async function () {
        const w = await load(ready);
        await (await w.compliance.connect(w.regulator).allocate(PERIOD, INSTALLATION, 1_000n)).wait();
        for (const caller of [w.admin, w.regulator, w.alice, w.outsider]) {
          await expect(w.allowance.connect(caller).getFunction(name)(w.alice.address, PERIOD, 1n))
            .to.be.revertedWithCustomError(w.allowance, "AllowanceOnlyCompliance")
            .withArgs(caller.address);
        }
        expect(await w.allowance.balanceOf(w.alice.address, PERIOD)).to.equal(1_000n);
        expect(await w.allowance.totalSupply(PERIOD)).to.equal(1_000n);
      });
    }

    for (const contract of [
      "CarbonRegistry",
      "CarbonCredit",
      "EmissionsLedger",
      "EmissionAllowance",
      "ComplianceRegistry",
      "AllowanceAuction",
    ] as const) {
      it(`${contract}.setAuthority refuses even the admin: only the AccessManager may call it`, async function () {
        const w = await load(deployed);
        const managed = target(w, contract);
        await expect((managed.connect(w.admin) as BaseContract).getFunction("setAuthority")(w.outsider.address))
          .to.be.revertedWithCustomError(managed, "AccessManagedUnauthorized")
          .withArgs(w.admin.address);
      });
    }
  });
});
