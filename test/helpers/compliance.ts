import { expect } from "chai";
import { ZeroAddress, ZeroHash, id } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";

import { ComplianceStatus, CrossBorderRule } from "../../sdk/generated/solidity.js";
import { KG_PER_TONNE } from "../../sdk/units.js";
import type { IComplianceRegistry } from "../../typechain-types/index.js";
import { bigints, type World } from "./fixtures.js";

export const DAY = 86_400n;
/** EU ETS Annex I activity "combustion of fuels" stands for the sector id of every test installation. */
export const SECTOR = 1;
export const OTHER_SECTOR = 2;
/** The compliance period of the tests (a year). */
export const PERIOD = 2026n;
/** 1 tCO2e = 1,000 units (kg). */
export const TONNE = KG_PER_TONNE;

/** `IComplianceRegistry.ComplianceStatus` as the bigints the contract calls return. */
export const Status = bigints(ComplianceStatus);

/** The timestamp of the latest block. */
export async function latest(w: World): Promise<bigint> {
  return BigInt(await w.connection.networkHelpers.time.latest());
}

/** Criteria that accept every credit batch. */
export function anyBatch(): IComplianceRegistry.PeriodConfigStruct["eligibility"] {
  return {
    methodologyIds: [],
    jurisdictions: [],
    projectId: 0n,
    vintageFrom: 0n,
    vintageTo: 0n,
    categories: 0n,
    authorisations: 0n,
    adjustments: 0n,
  };
}

/**
 * A period's rules: a 100,000 t cap of which 20,000 t go to auctions, surrender 30 days after the reporting deadline,
 * offsets up to 10% of verified emissions, no penalty unless given; overrides replace fields.
 */
export function periodConfig(
  reportingDeadline: bigint,
  overrides: Partial<IComplianceRegistry.PeriodConfigStruct> = {},
): IComplianceRegistry.PeriodConfigStruct {
  return {
    cap: 100_000n * TONNE,
    auctionVolume: 20_000n * TONNE,
    surrenderDeadline: reportingDeadline + 30n * DAY,
    offsetLimitBps: 1_000n,
    penaltyPerTonne: 0n,
    penaltyToken: ZeroAddress,
    eligibility: anyBatch(),
    ...overrides,
  };
}

/** `IComplianceRegistry.CrossBorderRule` as bigints: the contract's default is Refused. */
export const CrossBorder = bigints(CrossBorderRule);

/**
 * The regulator accredits `w.verifier` for SECTOR in the ledger, sets the reporting deadline of `period` `reportingIn`
 * from now (default 60 days) and opens the period with `periodConfig` and `overrides`, and sets its cross-border rule
 * (`crossBorder`: Allowed unless given, as the fixtures' installations and projects are in different countries; the
 * contract's default is Refused). Returns the deadlines.
 */
export async function openPeriod(
  w: World,
  period: bigint = PERIOD,
  overrides: Partial<IComplianceRegistry.PeriodConfigStruct> = {},
  reportingIn: bigint = 60n * DAY,
  crossBorder: bigint = CrossBorder.Allowed,
): Promise<{ reportingDeadline: bigint; surrenderDeadline: bigint }> {
  if (!(await w.ledger.isAccredited(w.verifier.address, SECTOR))) {
    await (await w.ledger.connect(w.regulator).accreditVerifier(w.verifier.address, SECTOR)).wait();
  }
  const reportingDeadline = (await latest(w)) + reportingIn;
  await (await w.ledger.connect(w.regulator).setReportingDeadline(period, reportingDeadline)).wait();
  const config = periodConfig(reportingDeadline, overrides);
  await (await w.compliance.connect(w.regulator).openPeriod(period, config)).wait();
  if (crossBorder !== CrossBorder.Refused) {
    await (await w.compliance.connect(w.regulator).setCrossBorderRule(period, crossBorder)).wait();
  }
  return { reportingDeadline, surrenderDeadline: BigInt(config.surrenderDeadline) };
}

/** The regulator registers an installation run by `operator` in SECTOR; returns its id and ledger entity. */
export async function registerInstallation(
  w: World,
  operator: HardhatEthersSigner,
  jurisdiction = "DE",
  sector = SECTOR,
): Promise<{ installationId: bigint; entity: string }> {
  await (await w.compliance.connect(w.regulator).registerInstallation(operator.address, sector, jurisdiction)).wait();
  const installationId = await w.compliance.installationCount();
  return { installationId, entity: await w.compliance.entityOf(installationId) };
}

/** `w.verifier` attests an installation's (or any entity's) emissions for `period`, in kg. */
export async function attest(w: World, entity: string, emissions: bigint, period: bigint = PERIOD, sector = SECTOR) {
  await (
    await w.ledger.connect(w.verifier).attest(entity, period, sector, emissions, id(`evidence ${entity} ${period}`), "")
  ).wait();
}

/** Moves the chain to `timestamp` (next block). */
export async function timeTo(w: World, timestamp: bigint): Promise<void> {
  await w.connection.networkHelpers.time.increaseTo(timestamp);
}

export const NO_REASON = ZeroHash;

/**
 * The auction's escrow invariant, for each of `tokens` (payment tokens, or anything with an address and ERC-20
 * balances): the auction house holds exactly the deposits of its unclaimed bids in that token.
 */
export async function expectAuctionEscrow(
  w: World,
  tokens: { getAddress(): Promise<string>; balanceOf(account: string): Promise<bigint> }[],
): Promise<void> {
  const house = await w.auction.getAddress();
  const [, bidCount] = await w.auction.counts();
  const escrowed = new Map<string, bigint>();
  for (let bidId = 1n; bidId <= bidCount; ++bidId) {
    const bid = await w.auction.getBid(bidId);
    if (bid.claimed) continue;
    const token = (await w.auction.getAuction(bid.auctionId)).paymentToken;
    escrowed.set(token, (escrowed.get(token) ?? 0n) + bid.deposit);
  }
  for (const token of tokens) {
    const address = await token.getAddress();
    expect(await token.balanceOf(house), `auction escrow of ${address}`).to.equal(escrowed.get(address) ?? 0n);
  }
}
