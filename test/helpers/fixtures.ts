import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { id, type Result } from "ethers";
import { network } from "hardhat";

import { deploySuite, type Suite } from "../../scripts/lib/suite.js";
import {
  Adjustment,
  Authorisation,
  Category,
  ProjectStatus,
  ReportStatus,
  TransferStatus,
} from "../../sdk/generated/solidity.js";
import type { SuiteContractName } from "../../sdk/deployments.js";
import { jurisdictionCode } from "../../sdk/jurisdictions.js";
import { type ReportSubmission, standardIdOf, verifiedReport } from "./registry.js";

// The contracts' enums, generated from them (sdk/generated/solidity.ts).
export { Adjustment, Authorisation, Category, ProjectStatus, ReportStatus, TransferStatus };

/** The suite's addresses by contract name, as a deployment record holds them. */
export async function suiteAddresses(w: World): Promise<Record<SuiteContractName, string>> {
  const byName: Record<SuiteContractName, { getAddress(): Promise<string> }> = {
    AccessManager: w.manager,
    CarbonRegistry: w.registry,
    CarbonCredit: w.credit,
    RetirementCertificate: w.certificate,
    RetirementRegistry: w.retirement,
    CarbonMarketplace: w.marketplace,
    EmissionsLedger: w.ledger,
    ComplianceRegistry: w.compliance,
    EmissionAllowance: w.allowance,
    AllowanceAuction: w.auction,
  };
  const entries = await Promise.all(Object.entries(byName).map(async ([name, c]) => [name, await c.getAddress()]));
  return Object.fromEntries(entries) as Record<SuiteContractName, string>;
}

/** An enum of the contracts with its values as the bigints ethers returns for them: `bigints(ClaimType).NDC === 3n`. */
export function bigints<E extends Record<string, number>>(members: E): { readonly [K in keyof E]: bigint } {
  return Object.fromEntries(Object.entries(members).map(([name, value]) => [name, BigInt(value)])) as {
    readonly [K in keyof E]: bigint;
  };
}

/** `text` ("BR-PA") in the compact ISO 3166 form the contracts take and return (`bytes8`). */
export function code(text: string): string {
  return jurisdictionCode("jurisdiction", text);
}

/** Named accounts of a test network. */
export interface Actors {
  admin: HardhatEthersSigner;
  registrar: HardhatEthersSigner;
  verifier: HardhatEthersSigner;
  regulator: HardhatEthersSigner;
  pauser: HardhatEthersSigner;
  treasurer: HardhatEthersSigner;
  proponent: HardhatEthersSigner;
  alice: HardhatEthersSigner;
  bob: HardhatEthersSigner;
  outsider: HardhatEthersSigner;
}

export interface World extends Suite, Actors {
  ethers: HardhatEthers;
  connection: Awaited<ReturnType<typeof network.create>>;
}

/** A fresh network with the suite deployed and every role granted to its named actor. */
/** A struct returned by a view, as a plain object of its named fields. */
export function plain(struct: unknown): Record<string, unknown> {
  return (struct as Result).toObject();
}

/**
 * `bindRetirement: false` leaves the credit token's `retire` unbound, for the token's own unit tests, which bind a
 * stand-in (RetirementPrimitiveMock) to call the primitive directly.
 */
export async function deployWorld(options: { bindRetirement?: boolean } = {}): Promise<World> {
  const connection = await network.create();
  const { ethers } = connection;
  // Signer 6 held the retired RETIREMENT role; it stays unused so every named actor keeps its address.
  const [admin, registrar, verifier, regulator, pauser, treasurer, , proponent, alice, bob, outsider] =
    await ethers.getSigners();
  const suite = await deploySuite(
    ethers,
    admin,
    {
      REGISTRAR: [registrar.address],
      VERIFIER: [verifier.address],
      REGULATOR: [regulator.address],
      PAUSER: [pauser.address],
      TREASURER: [treasurer.address],
    },
    admin.address,
    options,
  );
  return {
    ...suite,
    ethers,
    connection,
    admin,
    registrar,
    verifier,
    regulator,
    pauser,
    treasurer,
    proponent,
    alice,
    bob,
    outsider,
  };
}

/**
 * A signer for `address` (a suite contract, usually), impersonated on `w`'s network and funded for gas: the tests'
 * way to call a function bound to a contract's address as that contract would.
 */
export async function actAs(w: World, address: string): Promise<HardhatEthersSigner> {
  await w.connection.networkHelpers.impersonateAccount(address);
  await w.connection.networkHelpers.setBalance(address, 10n ** 18n);
  return w.ethers.getSigner(address);
}

export const STANDARD = "VCS";
export const BUFFER_BPS = 2_000; // 20%

/**
 * Adds methodology 1 (removal), accredits `verifier` for it, adds the standard (STANDARD unless given) if missing,
 * registers project 1 ("VCS-4242") and approves it.
 */
export async function approvedProject(w: World, opts: { bufferBps?: number; standard?: string } = {}) {
  await w.registry.connect(w.registrar).addMethodology("VM0047", Category.Removal, "ipfs://vm0047");
  await w.registry.connect(w.registrar).accreditVerifier(w.verifier.address, 1);
  await w.registry.connect(w.proponent).registerProject({
    methodologyId: 1,
    bufferBps: opts.bufferBps ?? BUFFER_BPS,
    standardId: await standardIdOf(w, opts.standard ?? STANDARD),
    externalRef: "VCS-4242",
    jurisdiction: "BR-PA",
    uri: "ipfs://project-4242",
  });
  await w.registry.connect(w.registrar).approveProject(1, id("approved"));
  return 1n;
}

/** Submits, verifies and issues a report for `projectId`; returns the new batch id. */
export async function issue(
  w: World,
  projectId: bigint,
  quantity: bigint,
  serialStart: bigint,
  opts: { periodStart?: number; periodEnd?: number; hint?: bigint } = {},
): Promise<bigint> {
  const overrides: Partial<ReportSubmission> = {};
  if (opts.periodStart !== undefined) overrides.periodStart = BigInt(opts.periodStart);
  if (opts.periodEnd !== undefined) overrides.periodEnd = BigInt(opts.periodEnd);
  const { reportId } = await verifiedReport(w, projectId, quantity, serialStart, overrides);
  await (await w.registry.connect(w.registrar).issueBatch(reportId, opts.hint ?? 0n)).wait();
  const [, , , batches] = await w.registry.counts();
  return batches;
}
