/** Handlers of the emissions, compliance and auction tasks (specs in `./specs/compliance.ts`). */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { ZeroAddress, hexlify, randomBytes } from "ethers";

import { CROSS_BORDER_RULE_TEXT, CrossBorderRule, jurisdictionText } from "../sdk/jurisdictions.js";
import type { Args } from "./lib/args.js";
import { UsageError } from "./lib/args.js";
import { ComplianceStatusNames, date, money, pricePerTonne, tonnes } from "./lib/format.js";
import { CliError, type Session } from "./lib/session.js";
import { requireBatch } from "./lib/lookups.js";

async function requireInstallation(s: Session, installationId: bigint) {
  const count = await s.c.compliance.installationCount();
  if (installationId > count) throw new CliError(`installation ${installationId} does not exist (${count} registered)`);
  return s.c.compliance.getInstallation(installationId);
}

async function requirePeriod(s: Session, period: bigint) {
  const p = await s.c.compliance.getPeriod(period);
  if (!p.opened) throw new CliError(`compliance period ${period} is not open (cnt:period:open opens it)`);
  return p;
}

async function requireAuction(s: Session, auctionId: bigint) {
  const { auctions } = await s.c.auction.counts();
  if (auctionId > auctions) throw new CliError(`auction ${auctionId} does not exist (${auctions} opened)`);
  return s.c.auction.getAuction(auctionId);
}

async function requireAuctionBid(s: Session, bidId: bigint) {
  const { bids } = await s.c.auction.counts();
  if (bidId > bids) throw new CliError(`auction bid ${bidId} does not exist (${bids} committed)`);
  return s.c.auction.getBid(bidId);
}

async function openedPeriods(s: Session): Promise<bigint[]> {
  const events = await s.c.compliance.queryFilter(s.c.compliance.filters.PeriodOpened(), s.deployment.fromBlock);
  return [...new Set(events.map((e) => e.args.period))].sort((a, b) => (a < b ? -1 : 1));
}

function sector(args: Args, name = "sector"): bigint {
  return args.integer(name, { max: 2n ** 32n - 1n });
}

export async function accreditSector(args: Args, s: Session) {
  const verifier = await s.account(args.text("verifier"), "--verifier");
  await s.send(`${s.name(verifier)} accredited to attest emissions in sector ${sector(args)}`, () =>
    s.c.ledger.accreditVerifier(verifier, sector(args)),
  );
}

export async function setDeadline(args: Args, s: Session) {
  const period = args.year("period");
  const deadline = args.date("date");
  await s.send(`reporting for ${period} closes ${date(deadline)}`, () =>
    s.c.ledger.setReportingDeadline(period, deadline),
  );
}

export async function attest(args: Args, s: Session) {
  if (args.has("installation") === args.has("entity")) {
    throw new UsageError("give exactly one of --installation <id> or --entity <account>");
  }
  const period = args.year("period");
  const emissions = args.tonnes("emissions");
  let entity: string;
  let what: string;
  let sectorCode: bigint;
  if (args.has("installation")) {
    const installationId = args.id("installation");
    const installation = await requireInstallation(s, installationId);
    entity = installation.entity;
    what = `installation #${installationId}`;
    sectorCode = args.has("sector") ? sector(args) : installation.sector;
  } else {
    entity = await s.account(args.text("entity"), "--entity");
    what = s.name(entity);
    const profile = await s.c.ledger.entityProfile(entity);
    if (!args.has("sector") && !profile.registered)
      throw new UsageError("--sector is needed for an entity without a profile");
    sectorCode = args.has("sector") ? sector(args) : profile.sector;
  }
  const before = await s.c.ledger.getStatement(entity, period);
  if (before.attestedAt !== 0n) {
    throw new CliError(
      `${what} already has ${period} emissions of ${tonnes(before.emissions)} attested on ${date(before.attestedAt)}; ` +
        `the attesting verifier corrects them with EmissionsLedger.correct`,
    );
  }
  await s.send(`${what}: ${period} emissions of ${tonnes(emissions)} attested (sector ${sectorCode})`, () =>
    s.c.ledger.attest(entity, period, sectorCode, emissions, args.hash("evidence"), args.text("uri")),
  );
}

export async function neutrality(args: Args, s: Session) {
  const entity = await s.account(args.text("entity"), "--entity");
  const period = args.year("period");
  const n = await s.c.ledger.neutralityStatus(entity, period);
  console.log(`Carbon neutrality of ${s.name(entity)} for ${period}`);
  s.show([
    ["verified emissions", n.verified ? tonnes(n.emissions) : "none attested"],
    ["retired against them", tonnes(n.retired)],
    [
      "status",
      !n.verified
        ? "no verified emissions: no claim can be checked"
        : n.neutral
          ? "neutral: retirements cover the verified emissions"
          : `not neutral: ${tonnes(n.emissions - n.retired)} more to retire`,
    ],
  ]);
}

export async function registerInstallation(args: Args, s: Session) {
  const operator = await s.account(args.text("operator"), "--operator");
  args.jurisdiction("jurisdiction"); // refused here, with the canonical spelling, before anything is sent
  const jurisdiction = args.text("jurisdiction");
  const receipt = await s.send(`installation registered for ${s.name(operator)}`, () =>
    s.c.compliance.registerInstallation(operator, sector(args), jurisdiction),
  );
  const [event] = s.events(receipt, s.c.compliance, "InstallationRegistered");
  console.log(
    `installation #${event.installationId} in ${jurisdiction}, sector ${sector(args)}; ` +
      `its reporting entity is ${event.entity}`,
  );
}

export async function openPeriod(args: Args, s: Session) {
  const period = args.year("period");
  const cap = args.tonnes("cap");
  const auctionVolume = args.has("auction") ? args.tonnes("auction") : 0n;
  const penaltyToken =
    args.has("penalty") || args.has("token")
      ? await s.token(args.has("token") ? args.text("token") : undefined)
      : undefined;
  const penaltyPerTonne =
    args.has("penalty") && penaltyToken ? args.tokenAmount("penalty", penaltyToken.decimals, penaltyToken.symbol) : 0n;
  const config = {
    cap,
    auctionVolume,
    surrenderDeadline: args.date("surrenderDeadline"),
    offsetLimitBps: args.has("offsetLimit") ? args.percent("offsetLimit") : 0n,
    penaltyPerTonne,
    penaltyToken: penaltyPerTonne > 0n && penaltyToken ? penaltyToken.address : ZeroAddress,
    eligibility: {
      methodologyIds: [],
      jurisdictions: args.jurisdictions("eligibleJurisdictions"),
      projectId: 0n,
      vintageFrom: args.has("eligibleFrom") ? args.date("eligibleFrom") : 0n,
      vintageTo: 0n,
      categories: args.categories("eligibleCategories"),
      authorisations: 0n,
      adjustments: 0n,
    },
  };
  await s.send(`compliance period ${period} opened`, () => s.c.compliance.openPeriod(period, config));
  s.show([
    ["cap", `${tonnes(cap)} (${tonnes(cap - auctionVolume)} free allocation, ${tonnes(auctionVolume)} auctioned)`],
    ["reporting closes", date(await s.c.ledger.reportingDeadline(period))],
    ["surrender by", date(config.surrenderDeadline)],
    ["offsets", `up to ${Number(config.offsetLimitBps) / 100}% of an obligation`],
    [
      "penalty",
      penaltyPerTonne > 0n && penaltyToken
        ? `${money(penaltyPerTonne, penaltyToken.decimals)} ${penaltyToken.symbol} per tonne short, plus make-good`
        : "none (make-good only)",
    ],
  ]);
}

/** The words of `--rule`. */
const CROSS_BORDER_RULES = {
  refused: CrossBorderRule.Refused,
  "authorised-adjusted": CrossBorderRule.AuthorisedAdjusted,
  allowed: CrossBorderRule.Allowed,
} as const;

export async function setCrossBorderRule(args: Args, s: Session) {
  const period = args.year("period");
  const rule = args.choice("rule", CROSS_BORDER_RULES);
  await requirePeriod(s, period);
  await s.send(
    `offsets from another country than the installation's in ${period}: ${CROSS_BORDER_RULE_TEXT[rule]}`,
    () => s.c.compliance.setCrossBorderRule(period, rule),
  );
}

export async function allocate(args: Args, s: Session) {
  const period = args.year("period");
  const installationId = args.id("installation");
  const installation = await requireInstallation(s, installationId);
  await requirePeriod(s, period);
  const amount = args.tonnes("amount");
  await s.send(`${tonnes(amount)} of ${period} allowances allocated to installation #${installationId}`, () =>
    s.c.compliance.allocate(period, installationId, amount),
  );
  const p = await s.c.compliance.getPeriod(period);
  console.log(
    `${s.name(installation.operator)} holds ${tonnes(await s.c.allowance.balanceOf(installation.operator, period))} of ` +
      `${period}; allocated so far ${tonnes(p.allocated)} of ${tonnes(p.config.cap - p.config.auctionVolume)}`,
  );
}

export async function surrenderAllowances(args: Args, s: Session) {
  const installationId = args.id("installation");
  await requireInstallation(s, installationId);
  const period = args.year("period");
  await requirePeriod(s, period);
  const fromPeriod = args.has("fromPeriod") ? args.year("fromPeriod") : period;
  const amount = args.tonnes("amount");
  await s.send(
    `${tonnes(amount)} of ${fromPeriod} allowances surrendered for installation #${installationId}'s ${period} obligation`,
    () => s.c.compliance.surrenderAllowances(installationId, period, [fromPeriod], [amount]),
  );
  await printObligation(s, installationId, period);
}

export async function surrenderOffsets(args: Args, s: Session) {
  const installationId = args.id("installation");
  await requireInstallation(s, installationId);
  const period = args.year("period");
  await requirePeriod(s, period);
  const batchId = args.id("batch");
  await requireBatch(s, batchId);
  const amount = args.tonnes("amount");
  const compliance = await s.c.compliance.getAddress();
  if (!(await s.c.credit.isApprovedForAll(s.signer.address, compliance))) {
    await s.send("compliance registry approved to retire credits", () =>
      s.c.credit.setApprovalForAll(compliance, true),
    );
  }
  const receipt = await s.send(
    `${tonnes(amount)} of batch #${batchId} surrendered as offsets for installation #${installationId}'s ${period} obligation`,
    () => s.c.compliance.surrenderOffsets(installationId, period, [batchId], [amount]),
  );
  const [event] = s.events(receipt, s.c.compliance, "OffsetsSurrendered");
  console.log(`retired with a compliance claim: retirement #${event.retirementId}`);
  await printObligation(s, installationId, period);
}

async function printObligation(s: Session, installationId: bigint, period: bigint, extra: [string, string][] = []) {
  const [verified, obligation, surrendered] = await s.c.compliance.obligationOf(installationId, period);
  // The offset limit is a share of verified emissions: there is none before they are verified (the normal state of
  // a period still being reported, not an error).
  const offsetLimit = verified
    ? `at most ${tonnes(await s.c.compliance.offsetLimitOf(installationId, period))}`
    : "a limit set once emissions are verified";
  const account = await s.c.compliance.accountOf(installationId, period);
  const status = ComplianceStatusNames[Number(await s.c.compliance.statusOf(installationId, period))];
  s.show([
    ["obligation", verified ? tonnes(obligation) : "emissions not yet verified"],
    [
      "surrendered",
      `${tonnes(surrendered)} (${tonnes(account.allowancesSurrendered)} allowances, ${tonnes(account.offsetsSurrendered)} offsets of ${offsetLimit})`,
    ],
    ["status", status],
    ...extra,
  ]);
}

export async function status(args: Args, s: Session) {
  const installationId = args.id("installation");
  const installation = await requireInstallation(s, installationId);
  const periods = args.has("period") ? [args.year("period")] : await openedPeriods(s);
  console.log(
    `Installation #${installationId} in ${jurisdictionText(installation.jurisdiction)}, sector ${installation.sector}, operator ` +
      `${s.name(installation.operator)}${installation.closed ? " (closed)" : ""}`,
  );
  if (periods.length === 0) console.log("  no compliance period is open yet");
  for (const period of periods) {
    const p = await requirePeriod(s, period);
    const account = await s.c.compliance.accountOf(installationId, period);
    console.log(`${period}:`);
    const rows: [string, string][] = [];
    if (account.makeGood > 0n) rows.push(["make-good", `${tonnes(account.makeGood)} carried from an earlier period`]);
    if (account.settled) {
      const token = account.penaltyOwed > 0n ? await s.token(p.config.penaltyToken) : undefined;
      rows.push([
        "settled as",
        `${ComplianceStatusNames[Number(account.settledStatus)]}` +
          (token
            ? `, penalty ${money(account.penaltyOwed, token.decimals)} ${token.symbol} ${account.penaltyPaid ? "paid" : "owed"}`
            : ""),
      ]);
    } else {
      rows.push(["settlement", `after ${date(p.config.surrenderDeadline)}`]);
    }
    await printObligation(s, installationId, period, rows);
  }
}

export async function settle(args: Args, s: Session) {
  const installationId = args.id("installation");
  await requireInstallation(s, installationId);
  const period = args.year("period");
  const p = await requirePeriod(s, period);
  const receipt = await s.send(`installation #${installationId} settled for ${period}`, () =>
    s.c.compliance.settle(installationId, period),
  );
  const [event] = s.events(receipt, s.c.compliance, "Settled");
  const penalty = event.penalty as bigint;
  const token = penalty > 0n ? await s.token(p.config.penaltyToken) : undefined;
  s.show([
    ["status", ComplianceStatusNames[Number(event.status)]],
    ["obligation", tonnes(event.obligation as bigint)],
    ["surrendered", tonnes(event.surrendered as bigint)],
    ["shortfall", tonnes(event.shortfall as bigint)],
    ["penalty", token ? `${money(penalty, token.decimals)} ${token.symbol} owed` : "none"],
    [
      "make-good",
      (event.shortfall as bigint) === 0n
        ? "none"
        : (event.makeGoodPeriod as bigint) === 0n
          ? "no later period open yet to carry it to"
          : `carried to ${event.makeGoodPeriod}`,
    ],
  ]);
}

export async function payPenalty(args: Args, s: Session) {
  const installationId = args.id("installation");
  await requireInstallation(s, installationId);
  const period = args.year("period");
  const p = await requirePeriod(s, period);
  const account = await s.c.compliance.accountOf(installationId, period);
  if (!account.settled || account.penaltyOwed === 0n || account.penaltyPaid) {
    throw new CliError(
      `installation #${installationId} has no ${period} penalty to pay` +
        (account.penaltyPaid ? " (already paid)" : account.settled ? "" : " (not settled yet)"),
    );
  }
  const token = await s.token(p.config.penaltyToken);
  const compliance = await s.c.compliance.getAddress();
  if ((await token.contract.allowance(s.signer.address, compliance)) < account.penaltyOwed) {
    await s.send(`compliance registry approved for ${money(account.penaltyOwed, token.decimals)} ${token.symbol}`, () =>
      token.contract.approve(compliance, account.penaltyOwed),
    );
  }
  await s.send(
    `penalty of ${money(account.penaltyOwed, token.decimals)} ${token.symbol} paid for installation #${installationId}, ${period}`,
    () => s.c.compliance.payPenalty(installationId, period),
  );
}

export async function openAuction(args: Args, s: Session) {
  const period = args.year("period");
  await requirePeriod(s, period);
  const token = await s.token(args.has("token") ? args.text("token") : undefined);
  const volume = args.tonnes("volume");
  const reserve = args.pricePerTonne("reserve", token.decimals, token.symbol);
  const start = (await s.now()) + 1n;
  const biddingEnd = start + args.duration("bidding");
  const revealEnd = biddingEnd + args.duration("reveal");
  const receipt = await s.send(`auction of ${tonnes(volume)} of ${period} allowances opened`, () =>
    s.c.auction.openAuction(period, volume, reserve, token.address, start, biddingEnd, revealEnd),
  );
  const [event] = s.events(receipt, s.c.auction, "AuctionOpened");
  console.log(
    `auction #${event.auctionId}: reserve ${pricePerTonne(reserve, token.decimals, token.symbol)}; bids until ` +
      `${date(biddingEnd)}, reveals until ${date(revealEnd)}`,
  );
}

/** Where a bidder's sealed terms are kept between commit and reveal: `.cnt/auction-bids-<chainId>.json`. */
function bidsFile(s: Session): string {
  return path.resolve(import.meta.dirname, "..", ".cnt", `auction-bids-${s.chainId}.json`);
}

type SavedBids = Record<
  string,
  { auctionId: string; bidder: string; unitPrice: string; quantity: string; salt: string }
>;

async function readBids(s: Session): Promise<SavedBids> {
  try {
    return JSON.parse(await readFile(bidsFile(s), "utf8")) as SavedBids;
  } catch {
    return {};
  }
}

export async function commit(args: Args, s: Session) {
  const auctionId = args.id("auction");
  const auction = await requireAuction(s, auctionId);
  const token = await s.token(auction.paymentToken);
  const unitPrice = args.pricePerTonne("price", token.decimals, token.symbol);
  const quantity = args.tonnes("quantity");
  const deposit = args.has("deposit")
    ? args.tokenAmount("deposit", token.decimals, token.symbol)
    : unitPrice * quantity;
  const salt = hexlify(randomBytes(32));
  const commitment = await s.c.auction.commitmentOf(auctionId, s.signer.address, unitPrice, quantity, salt);
  const auctionAddress = await s.c.auction.getAddress();
  if ((await token.contract.allowance(s.signer.address, auctionAddress)) < deposit) {
    await s.send(`auction approved for ${money(deposit, token.decimals)} ${token.symbol}`, () =>
      token.contract.approve(auctionAddress, deposit),
    );
  }
  const receipt = await s.send(`sealed bid committed to auction #${auctionId}`, () =>
    s.c.auction.commitBid(auctionId, commitment, deposit),
  );
  const [event] = s.events(receipt, s.c.auction, "BidCommitted");
  const bidId = String(event.bidId);
  const saved = await readBids(s);
  saved[bidId] = {
    auctionId: String(auctionId),
    bidder: s.signer.address,
    unitPrice: String(unitPrice),
    quantity: String(quantity),
    salt,
  };
  await mkdir(path.dirname(bidsFile(s)), { recursive: true });
  await writeFile(bidsFile(s), `${JSON.stringify(saved, null, 2)}\n`);
  console.log(
    `bid #${bidId}: ${tonnes(quantity)} at ${pricePerTonne(unitPrice, token.decimals, token.symbol)}, deposit ` +
      `${money(deposit, token.decimals)} ${token.symbol}; only the deposit is public until the reveal (from ${date(auction.biddingEnd)}).`,
  );
  console.log(`salt ${salt} kept in ${path.relative(process.cwd(), bidsFile(s))}: keep it, the reveal needs it`);
}

export async function reveal(args: Args, s: Session) {
  const bidId = args.id("bid");
  const b = await requireAuctionBid(s, bidId);
  const auction = await s.c.auction.getAuction(b.auctionId);
  const token = await s.token(auction.paymentToken);
  const saved = (await readBids(s))[String(bidId)];
  const given = args.has("price") || args.has("quantity") || args.has("salt");
  if (!given && saved === undefined) {
    throw new UsageError(`no terms kept for bid ${bidId} in .cnt/: give --price, --quantity and --salt`);
  }
  const unitPrice = given ? args.pricePerTonne("price", token.decimals, token.symbol) : BigInt(saved!.unitPrice);
  const quantity = given ? args.tonnes("quantity") : BigInt(saved!.quantity);
  const salt = given ? args.text("salt") : saved!.salt;
  await s.send(
    `bid #${bidId} revealed: ${tonnes(quantity)} at ${pricePerTonne(unitPrice, token.decimals, token.symbol)}`,
    () => s.c.auction.revealBid(bidId, unitPrice, quantity, salt, 0n),
  );
}

export async function settleAuction(args: Args, s: Session) {
  const auctionId = args.id("auction");
  await requireAuction(s, auctionId);
  const levels = args.has("levels") ? args.integer("levels", { min: 1n, max: 1_000n }) : 100n;
  for (let page = 1; ; page++) {
    const receipt = await s.send(`auction #${auctionId} settlement, page ${page}`, () =>
      s.c.auction.settle(auctionId, levels),
    );
    if (s.events(receipt, s.c.auction, "AuctionSettled").length > 0) break;
  }
  await showAuctionSummary(s, auctionId);
}

export async function claim(args: Args, s: Session) {
  const bidId = args.id("bid");
  const b = await requireAuctionBid(s, bidId);
  const auction = await s.c.auction.getAuction(b.auctionId);
  const token = await s.token(auction.paymentToken);
  const receipt = await s.send(`bid #${bidId} claimed`, () => s.c.auction.claim(bidId));
  const [event] = s.events(receipt, s.c.auction, "BidClaimed");
  console.log(
    `${s.name(b.bidder)} receives ${tonnes(event.allocation as bigint)} of ${auction.period} allowances, pays ` +
      `${money(event.paid as bigint, token.decimals)} ${token.symbol}, gets ${money(event.refunded as bigint, token.decimals)} ${token.symbol} back`,
  );
}

async function showAuctionSummary(s: Session, auctionId: bigint) {
  const a = await s.c.auction.getAuction(auctionId);
  const token = await s.token(a.paymentToken);
  const t = await s.now();
  const phase = a.settled
    ? "settled"
    : t < a.biddingStart
      ? "not started"
      : t < a.biddingEnd
        ? "bidding"
        : t < a.revealEnd
          ? "revealing"
          : "awaiting settlement";
  const rows: [string, string][] = [
    ["phase", phase],
    ["allowances", `${tonnes(a.volume)} of ${a.period}`],
    ["reserve", pricePerTonne(a.reservePrice, token.decimals, token.symbol)],
    ["bidding", `${date(a.biddingStart)} – ${date(a.biddingEnd)}`],
    ["reveal until", date(a.revealEnd)],
    ["bids", `${a.bidCount} committed, ${tonnes(a.revealedDemand)} demand revealed at ${a.levelCount} price levels`],
  ];
  if (a.settled) {
    const sold = a.clearingPrice === 0n ? 0n : a.demandAbove + a.marginalFill;
    rows.push(
      [
        "clearing price",
        a.clearingPrice === 0n
          ? "none (no valid demand)"
          : pricePerTonne(a.clearingPrice, token.decimals, token.symbol),
      ],
      ["sold", `${tonnes(sold)}; ${tonnes(a.volume - sold)} released back to the period`],
    );
    if (a.marginalDemand > a.marginalFill) {
      rows.push(["marginal level", `${tonnes(a.marginalFill)} of ${tonnes(a.marginalDemand)} bid, pro rata`]);
    }
  }
  s.show(rows);
}

export async function showAuction(args: Args, s: Session) {
  const auctionId = args.id("auction");
  await requireAuction(s, auctionId);
  console.log(`Auction #${auctionId}`);
  await showAuctionSummary(s, auctionId);
}

export async function advance(args: Args, s: Session) {
  if (s.chainId !== 31337n)
    throw new CliError(`cnt:dev:advance only runs on a local node (chain 31337), not chain ${s.chainId}`);
  const seconds = args.duration("time");
  await s.ethers.provider.send("evm_increaseTime", [Number(seconds)]);
  await s.ethers.provider.send("evm_mine", []);
  console.log(`✓ the node's clock moved ${args.text("time")} forward: now ${date(await s.now())}`);
}
