/** Handlers of the marketplace tasks (specs in `./specs/market.ts`). */
import { MaxUint256, ZeroAddress, getAddress } from "ethers";

import { findCntError } from "../sdk/errors.js";
import { TransferStatus } from "../sdk/generated/solidity.js";
import { jurisdictionText } from "../sdk/jurisdictions.js";
import { enumWords } from "../sdk/words.js";
import type { Args } from "./lib/args.js";
import { UsageError } from "./lib/args.js";
import { CategoryNames, date, money, pricePerTonne, tonnes } from "./lib/format.js";
import { CliError, type Session, type TokenInfo } from "./lib/session.js";
import { requireBatch } from "./lib/lookups.js";

const DAY = 86_400n;

function expiryDays(args: Args): bigint {
  return args.has("days") ? args.integer("days", { min: 1n, max: 3_650n }) : 30n;
}

/** The traded asset: `--batch` (credits) or `--period` (allowances). */
async function assetOf(args: Args, s: Session) {
  if (args.has("batch") === args.has("period"))
    throw new UsageError("give exactly one of --batch <id> or --period <year>");
  if (args.has("batch")) {
    const id = args.id("batch");
    await requireBatch(s, id);
    return { token: s.c.credit, id, what: `batch #${id}` };
  }
  const id = args.year("period");
  return { token: s.c.allowance, id, what: `${id} allowances` };
}

function assetName(s: Session, token: string, id: bigint): string {
  return getAddress(token) === s.deployment.contracts.EmissionAllowance ? `${id} allowances` : `batch #${id}`;
}

/** Approves `spender` for `amount` of `token` when the signer's allowance is short. */
async function ensureAllowance(s: Session, token: TokenInfo, spender: string, amount: bigint) {
  const current: bigint = await token.contract.allowance(s.signer.address, spender);
  if (current >= amount) return;
  await s.send(`${s.name(spender)} approved for ${money(amount, token.decimals)} ${token.symbol}`, () =>
    token.contract.approve(spender, amount),
  );
}

/** Why a transfer would be refused, by `TransferStatus`. */
const TransferStatusWords = enumWords(TransferStatus, {
  Ok: "no reason",
  Paused: "the token is paused",
  SenderFrozen: "the sender is frozen",
  RecipientFrozen: "the recipient is frozen",
  BatchSuspended: "the batch is suspended",
  InsufficientBalance: "the balance is short",
  InvalidRecipient: "the recipient is the zero address",
  UnknownBatch: "the batch does not exist",
});

/**
 * Before an approval is sent for a purchase: the signer holds `cost`, and `simulate` (the purchase as a call, without
 * the allowance) fails only at the payment, so the listing, the price, the pause and the accounts check out. A
 * revert of the suite's own (the marketplace's, the asset's) fails here, with nothing sent; what the payment token
 * says about the missing allowance (ERC-6093, a string, a panic, or nothing, depending on the token) lets the
 * approval go ahead.
 */
async function checkBeforeApproving(s: Session, pay: TokenInfo, cost: bigint, simulate: () => Promise<unknown>) {
  const held: bigint = await pay.contract.balanceOf(s.signer.address);
  if (held < cost) {
    throw new CliError(
      `${s.name(s.signer.address)} holds ${money(held, pay.decimals)} ${pay.symbol}, less than the ` +
        `${money(cost, pay.decimals)} ${pay.symbol} this purchase costs`,
    );
  }
  try {
    await simulate();
  } catch (error) {
    const name = findCntError(error)?.name;
    const atPayment =
      name === undefined ||
      name === "Error" ||
      name === "Panic" ||
      name.startsWith("ERC20") ||
      name.startsWith("SafeERC20");
    if (!atPayment) throw error;
  }
}

async function requireListing(s: Session, listingId: bigint) {
  const count = await s.c.marketplace.listingCount();
  if (listingId > count) throw new CliError(`listing ${listingId} does not exist (${count} created)`);
  return s.c.marketplace.getListing(listingId);
}

async function requireBid(s: Session, bidId: bigint) {
  const count = await s.c.marketplace.bidCount();
  if (bidId > count) throw new CliError(`bid ${bidId} does not exist (${count} placed)`);
  return s.c.marketplace.getBid(bidId);
}

export async function list(args: Args, s: Session) {
  const { token, id, what } = await assetOf(args, s);
  const pay = await s.token(args.has("token") ? args.text("token") : undefined);
  const amount = args.tonnes("amount");
  const unitPrice = args.pricePerTonne("price", pay.decimals, pay.symbol);
  const minFill = args.has("minFill") ? args.tonnes("minFill") : 0n;
  const expiry = (await s.now()) + expiryDays(args) * DAY;
  const marketplace = await s.c.marketplace.getAddress();
  if (!(await token.isApprovedForAll(s.signer.address, marketplace))) {
    await s.send(`marketplace approved to escrow ${what.includes("allowances") ? "allowances" : "credits"}`, () =>
      token.setApprovalForAll(marketplace, true),
    );
  }
  const receipt = await s.send(`${tonnes(amount)} of ${what} listed`, () =>
    s.c.marketplace.list(token, id, amount, unitPrice, pay.address, minFill, expiry),
  );
  const [event] = s.events(receipt, s.c.marketplace, "Listed");
  console.log(
    `listing #${event.listingId}: ${tonnes(amount)} of ${what} at ${pricePerTonne(unitPrice, pay.decimals, pay.symbol)}` +
      `${minFill > 0n ? `, at least ${tonnes(minFill)} per purchase` : ""}, until ${date(expiry)}; held in escrow`,
  );
}

export async function buy(args: Args, s: Session) {
  const listingId = args.id("listing");
  const listing = await requireListing(s, listingId);
  if (listing.seller === ZeroAddress) {
    throw new CliError(`listing ${listingId} is closed (sold out or cancelled)`);
  }
  const pay = await s.token(listing.paymentToken);
  const amount = args.tonnes("amount");
  const maxUnitPrice = args.has("maxPrice")
    ? args.pricePerTonne("maxPrice", pay.decimals, pay.symbol)
    : listing.unitPrice;
  if (listing.unitPrice > maxUnitPrice) {
    throw new CliError(
      `listing #${listingId} sells at ${pricePerTonne(listing.unitPrice, pay.decimals, pay.symbol)}, above ` +
        `--max-price ${pricePerTonne(maxUnitPrice, pay.decimals, pay.symbol)}`,
    );
  }
  const recipient = args.has("recipient") ? await s.account(args.text("recipient"), "--recipient") : s.signer.address;
  const market = await s.c.marketplace.getAddress();
  const cost = amount * listing.unitPrice;
  // A seller buying back from its own listing pays only the fee: the checks below are for other buyers.
  if (listing.seller !== s.signer.address && (await pay.contract.allowance(s.signer.address, market)) < cost) {
    await checkBeforeApproving(s, pay, cost, () =>
      s.c.marketplace.buy.staticCall(listingId, amount, maxUnitPrice, recipient),
    );
    // The credit token says whether it would deliver (pause, freeze, suspension); allowances have no such view.
    if (listing.token.toLowerCase() === s.deployment.contracts.CarbonCredit.toLowerCase()) {
      const status = await s.c.credit.canTransfer(market, recipient, listing.id, amount);
      if (status !== 0n) {
        throw new CliError(
          `the credit token would refuse to deliver ${tonnes(amount)} of batch #${listing.id} to ${s.name(recipient)}: ` +
            `${TransferStatusWords[Number(status)]}`,
        );
      }
    }
  }
  await ensureAllowance(s, pay, market, cost);
  const receipt = await s.send(`bought ${tonnes(amount)} from listing #${listingId}`, () =>
    s.c.marketplace.buy(listingId, amount, maxUnitPrice, recipient),
  );
  const [event] = s.events(receipt, s.c.marketplace, "Bought");
  const paid = event.paid as bigint;
  const fee = event.fee as bigint;
  console.log(
    `${tonnes(amount)} of ${assetName(s, listing.token, listing.id)} to ${s.name(recipient)}; paid ` +
      `${money(paid, pay.decimals)} ${pay.symbol} (seller ${money(paid - fee, pay.decimals)}, fee ${money(fee, pay.decimals)}); ` +
      `${tonnes(listing.remaining - amount)} left on the listing`,
  );
}

export async function bid(args: Args, s: Session) {
  const pay = await s.token(args.has("token") ? args.text("token") : undefined);
  const quantity = args.tonnes("quantity");
  const unitPrice = args.pricePerTonne("price", pay.decimals, pay.symbol);
  const methodologyIds = args.list("methodologies").map((text) => {
    if (!/^\d+$/.test(text)) throw new UsageError(`--methodologies: "${text}" is not a methodology id`);
    return BigInt(text);
  });
  const criteria = {
    methodologyIds,
    jurisdictions: args.jurisdictions("jurisdictions"),
    projectId: args.has("project") ? args.id("project") : 0n,
    vintageFrom: args.has("vintageFrom") ? args.date("vintageFrom") : 0n,
    vintageTo: args.has("vintageTo") ? args.date("vintageTo") : 0n,
    categories: args.categories("categories"),
    authorisations: args.flag("article6") ? 0b110n : 0n,
    adjustments: 0n,
  };
  const expiry = (await s.now()) + expiryDays(args) * DAY;
  const escrow = quantity * unitPrice;
  await ensureAllowance(s, pay, await s.c.marketplace.getAddress(), escrow);
  const receipt = await s.send(`bid for ${tonnes(quantity)} placed`, () =>
    s.c.marketplace.placeBid(criteria, quantity, unitPrice, pay.address, expiry),
  );
  const [event] = s.events(receipt, s.c.marketplace, "BidPlaced");
  console.log(
    `bid #${event.bidId}: ${tonnes(quantity)} at ${pricePerTonne(unitPrice, pay.decimals, pay.symbol)}, ` +
      `${money(escrow, pay.decimals)} ${pay.symbol} in escrow, until ${date(expiry)}; criteria: ${describeCriteria(args)}`,
  );
}

function describeCriteria(args: Args): string {
  const parts: string[] = [];
  if (args.has("methodologies")) parts.push(`methodology ${args.list("methodologies").join(" or ")}`);
  if (args.has("jurisdictions")) parts.push(`in ${args.list("jurisdictions").join(" or ")}`);
  if (args.has("project")) parts.push(`project #${args.text("project")}`);
  if (args.has("vintageFrom")) parts.push(`vintage from ${args.text("vintageFrom")}`);
  if (args.has("vintageTo")) parts.push(`vintage to ${args.text("vintageTo")}`);
  if (args.has("categories")) parts.push(args.list("categories").join(" or "));
  if (args.flag("article6")) parts.push("Article 6 authorised");
  return parts.length === 0 ? "any batch" : parts.join(", ");
}

export async function fill(args: Args, s: Session) {
  const bidId = args.id("bid");
  const b = await requireBid(s, bidId);
  if (b.bidder === ZeroAddress) throw new CliError(`bid ${bidId} is closed`);
  const batchId = args.id("batch");
  await requireBatch(s, batchId);
  const amount = args.tonnes("amount");
  const marketplace = await s.c.marketplace.getAddress();
  if (!(await s.c.credit.isApprovedForAll(s.signer.address, marketplace))) {
    await s.send("marketplace approved to deliver credits", () => s.c.credit.setApprovalForAll(marketplace, true));
  }
  const pay = await s.token(b.paymentToken);
  const receipt = await s.send(`${tonnes(amount)} of batch #${batchId} sold into bid #${bidId}`, () =>
    s.c.marketplace.fillBid(bidId, batchId, amount),
  );
  const [event] = s.events(receipt, s.c.marketplace, "BidFilled");
  const paid = event.paid as bigint;
  const fee = event.fee as bigint;
  console.log(
    `${s.name(b.bidder)} receives ${tonnes(amount)}; ${s.name(s.signer.address)} is paid ` +
      `${money(paid - fee, pay.decimals)} ${pay.symbol} (fee ${money(fee, pay.decimals)}); ${tonnes(b.remaining - amount)} still wanted`,
  );
}

export async function cancel(args: Args, s: Session) {
  if (args.has("listing") === args.has("bid")) throw new UsageError("give exactly one of --listing <id> or --bid <id>");
  if (args.has("listing")) {
    const listingId = args.id("listing");
    await requireListing(s, listingId);
    const receipt = await s.send(`listing #${listingId} cancelled`, () => s.c.marketplace.cancelListing(listingId));
    const [event] = s.events(receipt, s.c.marketplace, "ListingCancelled");
    console.log(`${tonnes(event.returned as bigint)} returned from escrow to the seller`);
    return;
  }
  const bidId = args.id("bid");
  const b = await requireBid(s, bidId);
  const receipt = await s.send(`bid #${bidId} cancelled`, () => s.c.marketplace.cancelBid(bidId));
  const [event] = s.events(receipt, s.c.marketplace, "BidCancelled");
  const pay = await s.token(b.paymentToken);
  console.log(`${money(event.refunded as bigint, pay.decimals)} ${pay.symbol} refunded to ${s.name(b.bidder)}`);
}

async function listingLine(s: Session, listingId: bigint): Promise<string> {
  const l = await s.c.marketplace.getListing(listingId);
  if (l.seller === ZeroAddress || l.remaining === 0n) return `listing #${listingId}: closed`;
  const pay = await s.token(l.paymentToken);
  return (
    `listing #${listingId}: ${tonnes(l.remaining)} of ${assetName(s, l.token, l.id)} at ` +
    `${pricePerTonne(l.unitPrice, pay.decimals, pay.symbol)} by ${s.name(l.seller)}` +
    `${l.minFill > 0n ? `, min ${tonnes(l.minFill)}` : ""}, until ${date(l.expiry)}`
  );
}

async function bidLine(s: Session, bidId: bigint): Promise<string> {
  const b = await s.c.marketplace.getBid(bidId);
  if (b.bidder === ZeroAddress || b.remaining === 0n) return `bid #${bidId}: closed`;
  const pay = await s.token(b.paymentToken);
  const c = b.criteria;
  const criteria = [
    c.methodologyIds.length ? `methodology ${c.methodologyIds.join(" or ")}` : "",
    c.jurisdictions.length ? `in ${c.jurisdictions.map(jurisdictionText).join(" or ")}` : "",
    c.projectId ? `project #${c.projectId}` : "",
    c.vintageFrom ? `vintage from ${date(c.vintageFrom)}` : "",
    c.vintageTo ? `vintage to ${date(c.vintageTo)}` : "",
    c.categories ? CategoryNames.filter((_, i) => (Number(c.categories) >> i) & 1).join(" or ") : "",
    c.authorisations ? "Article 6 authorisation" : "",
  ].filter(Boolean);
  return (
    `bid #${bidId}: ${tonnes(b.remaining)} wanted at ${pricePerTonne(b.unitPrice, pay.decimals, pay.symbol)} by ` +
    `${s.name(b.bidder)}, until ${date(b.expiry)}; ${criteria.length ? criteria.join(", ") : "any batch"}`
  );
}

export async function show(args: Args, s: Session) {
  if (args.has("listing")) {
    await requireListing(s, args.id("listing"));
    console.log(await listingLine(s, args.id("listing")));
  }
  if (args.has("bid")) {
    await requireBid(s, args.id("bid"));
    console.log(await bidLine(s, args.id("bid")));
  }
  if (args.has("listing") || args.has("bid")) return;
  const [listings, bids] = await Promise.all([s.c.marketplace.listingCount(), s.c.marketplace.bidCount()]);
  const lines: string[] = [];
  for (let i = 1n; i <= listings; i++) lines.push(await listingLine(s, i));
  for (let i = 1n; i <= bids; i++) lines.push(await bidLine(s, i));
  const open = lines.filter((line) => !line.endsWith(": closed"));
  console.log(`${listings} listings and ${bids} bids, ${open.length} open`);
  for (const line of open) console.log(`  ${line}`);
}

export async function allowToken(args: Args, s: Session) {
  const token = await s.token(args.text("token"));
  const allowed = !args.flag("disallow");
  await s.send(`${token.symbol} ${allowed ? "allowed" : "no longer allowed"} as payment on the marketplace`, () =>
    s.c.marketplace.setPaymentTokenAllowed(token.address, allowed),
  );
  console.log("run scripts/export-deployment.ts again to refresh the deployment record's payment tokens");
}

export async function mint(args: Args, s: Session) {
  if (s.chainId !== 31337n)
    throw new CliError(`cnt:dev:mint only runs on a local node (chain 31337), not chain ${s.chainId}`);
  const token = await s.token();
  const to = await s.account(args.text("to"), "--to");
  const amount = args.tokenAmount("amount", token.decimals, token.symbol);
  if (amount === 0n || amount > MaxUint256 / 2n) throw new UsageError("--amount: must be more than 0");
  await s.send(`${money(amount, token.decimals)} ${token.symbol} minted to ${s.name(to)}`, () =>
    token.contract.mint(to, amount),
  );
}
