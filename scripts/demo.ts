/**
 * `npm run demo`: deploys the CNT suite on the in-process Hardhat network (or, with `--network localhost`, on a
 * running `hardhat node`) and walks a real scenario: methodology, verifier, project, monitoring report,
 * verification, issuance with a buffer, a transfer, a refused overlapping serial range, a reversal covered by the
 * buffer, retirements with a certificate and by transfer, a marketplace listing with a partial purchase and a
 * buy-and-retire, a criteria bid filled by a holder (and a fill it refuses), the balances, the batch's on-chain
 * metadata, a decoded certificate, a carbon-neutrality claim against verified emissions, and a compliance year
 * with three installations (allocation, a sealed-bid auction with a tie, surrender with offsets, settlement and a
 * penalty). It ends with a summary read back from the chain (views, and the suite's events since the block its
 * deployment started at): per batch issued, traded on the marketplace, retired, in circulation, cancelled and
 * buffer left, with totals; allowances per compliance period; compliance status per installation and period; and
 * the neutrality claims. It fails loudly if a batch's issued supply is not circulation + retired + cancelled.
 */
import type { BaseContract } from "ethers";
import { MaxUint256, ZeroAddress, ZeroHash, id, isError } from "ethers";
import { network } from "hardhat";

import { ClaimType } from "../sdk/generated/solidity.js";
import { formatAmount } from "../sdk/units.js";
import { CrossBorderRule, jurisdictionCode } from "../sdk/jurisdictions.js";
import { decodeDataUri, grouped, table, tonnes } from "./lib/format.js";
import { deploySuite } from "./lib/suite.js";

const { ethers, networkName, networkHelpers } = await network.create();
const [admin, registrar, verifier, guardian, proponent, acme, proponent2, beta, treasury, rhine, vistula, elbe] =
  await ethers.getSigners();
const names = new Map<string, string>([
  [admin.address, "governance"],
  [registrar.address, "registrar (standard body)"],
  [verifier.address, "verifier (accredited VVB)"],
  [proponent.address, "Pará reforestation (proponent)"],
  [acme.address, "Acme Corp (buyer)"],
  [proponent2.address, "Cerrado cookstoves (proponent)"],
  [beta.address, "Beta GmbH (buyer)"],
  [treasury.address, "protocol treasury"],
  [rhine.address, "Rhine Steel (operator)"],
  [vistula.address, "Vistula Cement (operator)"],
  [elbe.address, "Elbe Power (operator)"],
]);

let step = 0;
const say = (text: string) => console.log(`\n${++step}. ${text}`);
const detail = (text: string) => console.log(`   ${text}`);
const showTable = (headers: string[], rows: string[][]) =>
  console.log(
    table(headers, rows)
      .split("\n")
      .map((l) => `   ${l}`)
      .join("\n"),
  );

/** Sends a transaction; on a custom error, returns its decoded name and arguments instead of throwing. */
async function attempt(contract: BaseContract, send: () => Promise<{ wait(): Promise<unknown> }>) {
  try {
    await (await send()).wait();
    return undefined;
  } catch (error) {
    const data = (error as { data?: string }).data;
    const parsed = data ? contract.interface.parseError(data) : null;
    if (!parsed) throw isError(error, "CALL_EXCEPTION") ? new Error(`reverted without a known error`) : error;
    return parsed;
  }
}

console.log(`CNT demo on network "${networkName}" (chain id ${(await ethers.provider.getNetwork()).chainId})`);

say("Governance deploys the AccessManager, the carbon registry and the credit token, and grants the roles.");
// The summary reads the suite's events from here on: its first transaction lands in the next block, on the in-process
// network as on a `hardhat node` that has run other things before.
const suiteFromBlock = (await ethers.provider.getBlockNumber()) + 1;
const { manager, registry, credit, retirement, certificate, marketplace, ledger, compliance, allowance, auction } =
  await deploySuite(
    ethers,
    admin,
    {
      REGISTRAR: [registrar.address],
      VERIFIER: [verifier.address],
      REGULATOR: [admin.address],
      PAUSER: [guardian.address],
      TREASURER: [admin.address],
    },
    treasury.address,
  );
detail(`AccessManager ${await manager.getAddress()}`);
detail(`CarbonRegistry ${await registry.getAddress()}`);
detail(`CarbonCredit   ${await credit.getAddress()}`);
detail(`RetirementRegistry ${await retirement.getAddress()}, RetirementCertificate ${await certificate.getAddress()}`);

say("The registrar approves methodology VM0047 (afforestation, reforestation and revegetation; a removal).");
await (await registry.connect(registrar).addMethodology("VM0047", 0, "https://verra.org/methodologies/vm0047")).wait();
await (await registry.connect(registrar).accreditVerifier(verifier.address, 1)).wait();
detail(`methodology #1 VM0047 is active; ${names.get(verifier.address)} is accredited for it.`);

say("The registrar adds the standard VCS: the registry whose serials projects are issued under.");
await (await registry.connect(registrar).addStandard("VCS", "https://verra.org")).wait();
detail("standard #1 VCS; proponents name it by id, never by free text, so no look-alike namespace exists.");

say("A proponent registers a reforestation project in Pará, Brazil, with a 20% buffer; the registrar approves it.");
await (
  await registry.connect(proponent).registerProject({
    methodologyId: 1,
    bufferBps: 2_000,
    standardId: 1,
    externalRef: "VCS-4242",
    jurisdiction: "BR-PA",
    uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
  })
).wait();
await (await registry.connect(registrar).approveProject(1, id("design document validated"))).wait();
detail(`project #1 VCS-4242 (BR-PA) approved; serial namespace "VCS".`);

const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
const YEAR = 31_536_000n;
say("The proponent submits a monitoring report: 12,500 tCO2e removed over one year, serials VCS 1–12,500,000.");
await (
  await registry.connect(proponent).submitReport({
    projectId: 1,
    periodStart: now - 2n * YEAR,
    periodEnd: now - YEAR,
    quantity: 12_500_000n,
    serialStart: 1n,
    serialEnd: 12_500_000n,
    reportHash: id("monitoring report 2024, Pará"),
    uri: "ipfs://monitoring-report-2024",
  })
).wait();
detail("report #1 submitted (1 unit = 1 kg CO2e, so 12,500 t = 12,500,000 units).");

say("The proponent cannot verify its own report; the accredited verifier can.");
const selfCheck = await attempt(registry, () => registry.connect(proponent).verifyReport(1, id("self")));
if (!selfCheck) throw new Error("the proponent verified its own report");
detail(`the proponent tries: refused with ${selfCheck.name} (it holds no VERIFIER role).`);
await (await registry.connect(verifier).verifyReport(1, id("verification statement 2024"))).wait();
detail(`verified by ${names.get(verifier.address)}.`);

say("The registrar issues the report as batch #1: the buffer share goes to the registry's buffer pool.");
await (await registry.connect(registrar).issueBatch(1, 0)).wait();
const registryAddress = await registry.getAddress();
detail(`to the proponent: ${tonnes(await credit.balanceOf(proponent.address, 1))}`);
detail(
  `to the buffer pool: ${tonnes(await credit.balanceOf(registryAddress, 1))} (project buffer ${tonnes(await registry.bufferBalance(1))})`,
);

say("The proponent sells 3,000 tCO2e to Acme Corp: a plain ERC-1155 transfer.");
await (await credit.connect(proponent).safeTransferFrom(proponent.address, acme.address, 1, 3_000_000n, "0x")).wait();
detail(`Acme Corp now holds ${tonnes(await credit.balanceOf(acme.address, 1))} of batch #1.`);

say("A second project reports serials VCS 12,000,001–12,600,000, which overlap batch #1: issuance is refused.");
await (
  await registry.connect(proponent2).registerProject({
    methodologyId: 1,
    bufferBps: 1_000,
    standardId: 1,
    externalRef: "VCS-5151",
    jurisdiction: "BR-GO",
    uri: "ipfs://cerrado",
  })
).wait();
await (await registry.connect(registrar).approveProject(2, id("validated"))).wait();
await (
  await registry.connect(proponent2).submitReport({
    projectId: 2,
    periodStart: now - YEAR,
    periodEnd: now - 1n,
    quantity: 600_000n,
    serialStart: 12_000_001n,
    serialEnd: 12_600_000n,
    reportHash: id("monitoring report 2025, Cerrado"),
    uri: "ipfs://cerrado-report",
  })
).wait();
await (await registry.connect(verifier).verifyReport(2, id("verification statement 2025"))).wait();
const overlap = await attempt(registry, () => registry.connect(registrar).issueBatch(2, 0));
if (overlap?.name !== "CarbonRegistrySerialOverlap") throw new Error("the overlapping range was not refused");
const [, start, end, clashing, clashStart, clashEnd] = overlap.args;
detail(
  `refused: serial range ${grouped(start)}–${grouped(end)} overlaps batch ${clashing} (VCS ${grouped(clashStart)}–${grouped(clashEnd)}).`,
);
const [, , , batchCount] = await registry.counts();
detail(`batches in existence: ${batchCount}; no credit was minted twice.`);

say("A fire reverses 500 tCO2e of project #1: the registrar cancels them from the project's buffer.");
await (await registry.connect(registrar).recordReversal(1, 500_000n, id("fire, August"))).wait();
const supply = await credit.supplyOf(1);
detail(
  `cancelled from the buffer: ${tonnes(supply.cancelled)}; buffer left: ${tonnes(await registry.bufferBalance(1))}.`,
);
detail(`shortfall owed by the project: ${tonnes((await registry.getProject(1)).reversalShortfall)}.`);

say("Acme Corp retires 1,200 tCO2e for itself to offset its 2025 business travel in Germany, with a certificate.");
const acmeRetirement = retirement.connect(acme);
const retireRequest = {
  ids: [1n],
  amounts: [1_200_000n],
  beneficiary: acme.address,
  beneficiaryName: "Acme Corp",
  beneficiaryCommitment: ZeroHash,
  claimType: ClaimType.VoluntaryOffset,
  claimEntity: ZeroAddress,
  claimPeriod: 0n,
  consumptionJurisdiction: jurisdictionCode("consumptionJurisdiction", "DE"),
  consumptionStart: BigInt(Date.UTC(2025, 0, 1) / 1000),
  consumptionEnd: BigInt(Date.UTC(2025, 11, 31, 23, 59, 59) / 1000),
  reason: "2025 business travel",
  skipCertificate: false,
};
const retirementId = await acmeRetirement.retire.staticCall(retireRequest);
await (await acmeRetirement.retire(retireRequest)).wait();
const record = await retirement.getRetirement(retirementId);
const [serialStart, serialEnd] = await retirement.serialRangeOf(retirementId);
detail(
  `retirement #${retirementId}: ${tonnes(record.amount)}, units ${grouped(record.firstUnit)}–${grouped(record.firstUnit + record.amount - 1n)} of batch #1, serials VCS ${grouped(serialStart)}–${grouped(serialEnd)}.`,
);
detail(`Acme's retired balance: ${tonnes(await credit.retiredBalanceOf(acme.address, 1))}; it can never move again.`);

say(
  "Acme Corp then retires 300 tCO2e more by a plain ERC-1155 transfer to the retirement registry (retire-on-transfer).",
);
const onTransfer = retirement.interface
  .getAbiCoder()
  .encode(
    [retirement.interface.getFunction("retire").inputs[0]],
    [{ ...retireRequest, ids: [], amounts: [], skipCertificate: true }],
  );
await (
  await credit.connect(acme).safeTransferFrom(acme.address, await retirement.getAddress(), 1, 300_000n, onTransfer)
).wait();
const [acmeRetirements] = await retirement.retirementsByBeneficiary(acme.address, 0, 10);
detail(
  `Acme's retirements, newest first: ${acmeRetirements.map((id) => `#${id}`).join(", ")}; total retired for Acme: ${tonnes(await retirement.totalRetiredFor(acme.address))}.`,
);

say("Pará lists 2,000 tCO2e on the marketplace at 18 USDC a tonne (a test stablecoin), with a 1% protocol fee.");
const usdc = await ethers.deployContract("ERC20Mock");
const usdcAddress = await usdc.getAddress();
const marketAddress = await marketplace.getAddress();
await (await marketplace.connect(admin).setPaymentTokenAllowed(usdcAddress, true)).wait();
await (await marketplace.connect(admin).setFee(100)).wait();
await (await credit.connect(proponent).setApprovalForAll(marketAddress, true)).wait();
const PRICE = 18_000n; // 18 USDC (6 decimals) a tonne = 18,000 base units a kilogram
const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 30n * 86_400n;
await (
  await marketplace
    .connect(proponent)
    .list(await credit.getAddress(), 1, 2_000_000n, PRICE, usdcAddress, 100_000n, expiry)
).wait();
const listingId = await marketplace.listingCount();
detail(
  `listing #${listingId}: ${tonnes(2_000_000n)} of batch #1 escrowed in the marketplace, at least 100 t a purchase.`,
);
for (const buyer of [acme, beta]) {
  await (await usdc.mint(buyer.address, 100_000n * 10n ** 6n)).wait();
  await (await usdc.connect(buyer).approve(marketAddress, MaxUint256)).wait();
}
const usdcText = (units: bigint) => `${formatAmount(units, 6)} USDC`;

say("Acme Corp buys 500 tCO2e of the listing, naming the most it will pay a tonne.");
const sellerBefore = await usdc.balanceOf(proponent.address);
await (await marketplace.connect(acme).buy(listingId, 500_000n, PRICE, acme.address)).wait();
detail(
  `Acme paid ${usdcText(500_000n * PRICE)}: ${usdcText((await usdc.balanceOf(proponent.address)) - sellerBefore)} to Pará, ${usdcText(await usdc.balanceOf(treasury.address))} fee to the treasury.`,
);
detail(`left on the listing: ${tonnes((await marketplace.getListing(listingId)).remaining)}.`);

say("Beta GmbH buys 250 tCO2e and retires them in the same transaction (buy-and-retire), with a certificate.");
await (
  await marketplace.connect(beta).buyAndRetire(listingId, 250_000n, PRICE, {
    ...retireRequest,
    ids: [],
    amounts: [],
    beneficiary: beta.address,
    beneficiaryName: "Beta GmbH",
    reason: "2025 heating",
  })
).wait();
const betaRetirement = await retirement.retirementCount();
detail(
  `retirement #${betaRetirement} for Beta GmbH: ${tonnes(await credit.retiredBalanceOf(beta.address, 1))} retired; certificate owner ${names.get(await certificate.ownerOf(betaRetirement))}.`,
);

say(
  "Beta GmbH bids for 400 tCO2e of removals, vintage 2020 or later, from Brazil (BR) or Kenya (KE), at 20 USDC a tonne.",
);
const BID_PRICE = 20_000n;
const criteria = {
  methodologyIds: [],
  // Countries, in the compact ISO 3166 form the contracts take ("BR" matches the project's "BR-PA" too).
  jurisdictions: ["BR", "KE"].map((code) => jurisdictionCode("jurisdictions", code)),
  projectId: 0n,
  vintageFrom: BigInt(Date.UTC(2020, 0, 1) / 1000),
  vintageTo: 0n,
  categories: 1n << 0n, // Category.Removal
  authorisations: 0n,
  adjustments: 0n,
};
const bidExpiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 14n * 86_400n;
await (await marketplace.connect(beta).placeBid(criteria, 400_000n, BID_PRICE, usdcAddress, bidExpiry)).wait();
const bidId = await marketplace.bidCount();
detail(
  `bid #${bidId}: ${usdcText(400_000n * BID_PRICE)} escrowed in the marketplace; any holder of a matching batch may fill it.`,
);

say(
  "Acme Corp bids too, but only for credits authorised under Article 6 (NDC use); batch #1 is not, so Pará cannot fill it.",
);
await (
  await marketplace
    .connect(acme)
    .placeBid({ ...criteria, authorisations: 1n << 1n }, 100_000n, BID_PRICE, usdcAddress, bidExpiry)
).wait();
const ndcBid = await marketplace.bidCount();
const mismatch = await attempt(marketplace, () => marketplace.connect(proponent).fillBid(ndcBid, 1, 100_000n));
if (mismatch?.name !== "MarketplaceBatchMismatch") throw new Error("a non-matching batch filled a bid");
const REASONS = [
  "none",
  "project",
  "methodology",
  "category",
  "vintage",
  "jurisdiction",
  "authorisation",
  "adjustment",
];
detail(
  `refused: batch #${mismatch.args[1]} fails bid #${mismatch.args[0]}'s ${REASONS[Number(mismatch.args[2])]} criterion.`,
);
await (await marketplace.connect(acme).cancelBid(ndcBid)).wait();
detail(`Acme cancels bid #${ndcBid}; its ${usdcText(100_000n * BID_PRICE)} come back.`);

say("Pará fills 300 tCO2e of Beta's bid from batch #1; the registry's batch data is checked on chain.");
const paraBefore = await usdc.balanceOf(proponent.address);
const treasuryBefore = await usdc.balanceOf(treasury.address);
await (await marketplace.connect(proponent).fillBid(bidId, 1, 300_000n)).wait();
detail(
  `Beta received ${tonnes(300_000n)}; Pará was paid ${usdcText((await usdc.balanceOf(proponent.address)) - paraBefore)} from the escrow, the treasury ${usdcText((await usdc.balanceOf(treasury.address)) - treasuryBefore)}.`,
);
const left = (await marketplace.getBid(bidId)).remaining;
const betaBefore = await usdc.balanceOf(beta.address);
await (await marketplace.connect(beta).cancelBid(bidId)).wait();
detail(
  `Beta cancels the rest (${tonnes(left)}): ${usdcText((await usdc.balanceOf(beta.address)) - betaBefore)} refunded; the marketplace now holds ${usdcText(await usdc.balanceOf(marketAddress))}.`,
);

say("Balances of batch #1:");
const supplyNow = await credit.supplyOf(1);
const holders = [proponent.address, acme.address, beta.address, registryAddress, marketAddress];
const rows: string[][] = [];
let sum = 0n;
for (const holder of holders) {
  const balance = await credit.balanceOf(holder, 1);
  sum += balance;
  rows.push([
    holder === marketAddress ? "marketplace escrow" : (names.get(holder) ?? "buffer pool (CarbonRegistry)"),
    tonnes(balance),
    tonnes(await credit.retiredBalanceOf(holder, 1)),
  ]);
}
showTable(["holder", "tradable", "retired"], rows);
detail(
  `issued ${tonnes(supplyNow.issued)} = tradable ${tonnes(sum)} + retired ${tonnes(supplyNow.retired)} + cancelled ${tonnes(supplyNow.cancelled)}`,
);
if (supplyNow.issued !== sum + supplyNow.retired + supplyNow.cancelled) throw new Error("supply invariant broken");

say("The batch's metadata, built on chain by the credit token (uri(1)):");
const metadata = decodeDataUri(await credit.uri(1)) as {
  name: string;
  decimals: number;
  properties: Record<string, unknown>;
};
detail(`${metadata.name} (decimals ${metadata.decimals})`);
for (const [key, value] of Object.entries(metadata.properties)) {
  const shown = key.startsWith("vintage")
    ? `${value} (${new Date(Number(value) * 1000).toISOString().slice(0, 10)})`
    : String(value);
  detail(`  ${key.padEnd(24)} ${shown}`);
}

say(`Acme's certificate #${retirementId}, a soulbound ERC-721 rendered on chain (tokenURI):`);
const cert = decodeDataUri(await certificate.tokenURI(retirementId)) as {
  name: string;
  description: string;
  image: string;
  attributes: { trait_type: string; value: string }[];
};
detail(
  `${cert.name} — owner ${names.get(await certificate.ownerOf(retirementId))}, locked: ${await certificate.locked(retirementId)}`,
);
detail(cert.description);
for (const { trait_type, value } of cert.attributes) detail(`  ${trait_type.padEnd(16)} ${value}`);
detail(`image: ${cert.image.slice(0, 48)}… (${(await certificate.svg(retirementId)).length} bytes of SVG)`);

say(
  "Acme Corp claims carbon neutrality for 2025: a verifier accredited for corporate inventories attests its emissions.",
);
const INVENTORIES = 90; // sector id of corporate greenhouse-gas inventories
const YEAR_2025 = 2025n;
await (await ledger.connect(admin).accreditVerifier(verifier.address, INVENTORIES)).wait();
await (
  await ledger
    .connect(verifier)
    .attest(acme.address, YEAR_2025, INVENTORIES, 1_800_000n, id("Acme 2025 inventory"), "ipfs://acme-2025")
).wait();
let neutrality = await ledger.neutralityStatus(acme.address, YEAR_2025);
detail(
  `verified 2025 emissions ${tonnes(neutrality.emissions)}; retired against them ${tonnes(neutrality.retired)}: neutral ${neutrality.neutral}.`,
);
await (
  await retirement.connect(acme).retire({
    ...retireRequest,
    amounts: [1_800_000n],
    claimType: ClaimType.Neutrality, // against (Acme, 2025)
    claimEntity: acme.address,
    claimPeriod: YEAR_2025,
    reason: "carbon neutral 2025",
  })
).wait();
neutrality = await ledger.neutralityStatus(acme.address, YEAR_2025);
detail(
  `Acme retires ${tonnes(1_800_000n)} with a neutrality claim on (Acme, 2025): retired ${tonnes(neutrality.retired)}, neutral ${neutrality.neutral}.`,
);
if (!neutrality.neutral) throw new Error("the neutrality claim did not count");

say(
  "A compliance year, 2026: the regulator caps emissions at 50,000 t, 2,000 t of it for auction, and registers three installations.",
);
const PERIOD = 2026n;
const t0 = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
const reportingDeadline = t0 + 30n * 86_400n;
const surrenderDeadline = reportingDeadline + 30n * 86_400n;
await (await ledger.connect(admin).setReportingDeadline(PERIOD, reportingDeadline)).wait();
await (
  await compliance.connect(admin).openPeriod(PERIOD, {
    cap: 50_000_000n,
    auctionVolume: 2_000_000n,
    surrenderDeadline,
    offsetLimitBps: 1_000,
    penaltyPerTonne: 100_000_000n, // 100 USDC a tonne
    penaltyToken: usdcAddress,
    eligibility: { ...criteria, jurisdictions: [], categories: 0n, vintageFrom: BigInt(Date.UTC(2020, 0, 1) / 1000) },
  })
).wait();
// The installations (DE, PL) offset with Brazilian credits: the regulator allows cross-border offsets for 2026
// (refused by default).
await (await compliance.connect(admin).setCrossBorderRule(PERIOD, CrossBorderRule.Allowed)).wait();
const COMBUSTION = 1; // sector id: combustion installations
const installations = [rhine, vistula, elbe];
for (const [i, operator] of installations.entries()) {
  await (
    await compliance.connect(admin).registerInstallation(operator.address, COMBUSTION, ["DE", "PL", "DE"][i])
  ).wait();
}
const [R, V, E] = [1n, 2n, 3n];
await (await compliance.connect(admin).allocateMany(PERIOD, [R, V, E], [9_000_000n, 8_100_000n, 6_000_000n])).wait();
detail(
  "free allocation: Rhine Steel 9,000 t, Vistula Cement 8,100 t, Elbe Power 6,000 t (periods reporting by day 30, surrender by day 60).",
);

say("A sealed-bid auction sells 2,000 t; bids are committed, then revealed; it clears at one price with a tie.");
const t1 = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
await (
  await auction
    .connect(admin)
    .openAuction(PERIOD, 2_000_000n, 10_000n, usdcAddress, t1, t1 + 86_400n, t1 + 2n * 86_400n)
).wait();
const auctionBids: [typeof rhine, bigint][] = [
  [rhine, 30_000n],
  [vistula, 25_000n],
  [elbe, 25_000n],
  [beta, 20_000n],
];
for (const [bidder, price] of auctionBids) {
  await (await usdc.mint(bidder.address, 1_000_000n * 10n ** 6n)).wait();
  await (await usdc.connect(bidder).approve(await auction.getAddress(), MaxUint256)).wait();
  const commitment = await auction.commitmentOf(1n, bidder.address, price, 1_000_000n, id(`salt ${bidder.address}`));
  await (await auction.connect(bidder).commitBid(1n, commitment, price * 1_000_000n)).wait();
}
detail("four sealed bids of 1,000 t each; only their deposits are visible while bidding is open.");
await networkHelpers.time.increaseTo(t1 + 86_400n);
for (const [index, [bidder, price]] of auctionBids.entries()) {
  await (
    await auction.connect(bidder).revealBid(BigInt(index + 1), price, 1_000_000n, id(`salt ${bidder.address}`), 0n)
  ).wait();
}
await networkHelpers.time.increaseTo(t1 + 2n * 86_400n);
await (await auction.connect(beta).settle(1n, 10n)).wait();
const settled = await auction.getAuction(1n);
await (await auction.connect(beta).claimMany([1n, 2n, 3n, 4n])).wait();
detail(
  `clearing price ${usdcText(settled.clearingPrice * 1_000n)} a tonne (bids at 30, 25, 25 and 20): the 25 level, ${tonnes(settled.marginalDemand)}, is filled ${tonnes(settled.marginalFill)} pro rata.`,
);
for (const [bidder] of auctionBids) {
  const [allocation, paid] = await auction.allocationOf(BigInt(auctionBids.findIndex(([b]) => b === bidder) + 1));
  detail(
    `  ${(names.get(bidder.address) ?? "").padEnd(26)} won ${tonnes(allocation).padStart(11)}, paid ${usdcText(paid)}`,
  );
}

say("Verifiers attest 2026 emissions: Rhine 10,000 t, Vistula 9,500 t, Elbe 10,000 t; each by an accredited verifier.");
await (await ledger.connect(admin).accreditVerifier(verifier.address, COMBUSTION)).wait();
const emissions = [10_000_000n, 9_500_000n, 10_000_000n];
for (const [i, installationId] of [R, V, E].entries()) {
  const entity = await compliance.entityOf(installationId);
  await (await ledger.connect(verifier).attest(entity, PERIOD, COMBUSTION, emissions[i], id(`2026 ${i}`), "")).wait();
}
await networkHelpers.time.increaseTo(reportingDeadline);
detail("reporting closed on day 30: the figures are final and the surrender window is open.");

say(
  "Rhine surrenders 10,000 t of allowances; Vistula 950 t of credits (its 10% offset limit) and 8,550 t of allowances; Elbe all it has, 6,500 t.",
);
await (await compliance.connect(rhine).surrenderAllowances(R, PERIOD, [PERIOD], [10_000_000n])).wait();
await (await credit.connect(proponent).safeTransferFrom(proponent.address, vistula.address, 1, 950_000n, "0x")).wait();
await (await credit.connect(vistula).setApprovalForAll(await compliance.getAddress(), true)).wait();
await (await compliance.connect(vistula).surrenderOffsets(V, PERIOD, [1n], [950_000n])).wait();
await (await compliance.connect(vistula).surrenderAllowances(V, PERIOD, [PERIOD], [8_550_000n])).wait();
await (await compliance.connect(elbe).surrenderAllowances(E, PERIOD, [PERIOD], [6_500_000n])).wait();
const over = await attempt(compliance, () => compliance.connect(vistula).surrenderOffsets(V, PERIOD, [1n], [1n]));
detail(`one more kilogram of credits from Vistula is refused: ${over?.name} (limit ${tonnes(over?.args[2] ?? 0n)}).`);

say("After the surrender deadline the regulator settles the year; Elbe pays its penalty on chain.");
await networkHelpers.time.increaseTo(surrenderDeadline);
for (const installationId of [R, V, E]) await (await compliance.connect(admin).settle(installationId, PERIOD)).wait();
const elbeAccount = await compliance.accountOf(E, PERIOD);
await (await usdc.connect(elbe).approve(await compliance.getAddress(), elbeAccount.penaltyOwed)).wait();
await (await compliance.connect(elbe).payPenalty(E, PERIOD)).wait();
const STATUS = ["no data", "pending", "compliant", "non-compliant"];
const statusRows: string[][] = [];
for (const [i, installationId] of [R, V, E].entries()) {
  const account = await compliance.accountOf(installationId, PERIOD);
  statusRows.push([
    names.get(installations[i].address) ?? "",
    tonnes(emissions[i]),
    tonnes(account.allowancesSurrendered),
    tonnes(account.offsetsSurrendered),
    STATUS[Number(await compliance.statusOf(installationId, PERIOD))],
    usdcText(account.penaltyOwed),
  ]);
}
showTable(["installation", "emissions", "allowances", "offsets", "status", "penalty"], statusRows);
detail(
  `Elbe's 3,500 t shortfall is a make-good added to its 2027 obligation: ${tonnes((await compliance.accountOf(E, PERIOD + 1n)).makeGood)}.`,
);
const period = await compliance.getPeriod(PERIOD);
detail(
  `2026 allowances: allocated ${tonnes(period.allocated)} + auctioned ${tonnes(period.auctioned)} − surrendered ${tonnes(period.burned)} = supply ${tonnes(await allowance.totalSupply(PERIOD))}.`,
);
if ((await allowance.totalSupply(PERIOD)) !== period.allocated + period.auctioned - period.burned)
  throw new Error("allowance supply invariant broken");

say("Summary, read back from the chain (views, and the suite's events since its deployment):");
const creditAddress = await credit.getAddress();

// Units that changed hands through the marketplace, per batch: listing purchases (buy and buy-and-retire) and criteria
// bids filled, filtered on the credit token (indexed in both events, so allowance listings stay out).
const traded = new Map<bigint, bigint>();
const addTraded = (batchId: bigint, amount: bigint) => traded.set(batchId, (traded.get(batchId) ?? 0n) + amount);
for (const { args } of await marketplace.queryFilter(
  marketplace.filters.Bought(undefined, creditAddress),
  suiteFromBlock,
)) {
  addTraded(args.id, args.amount);
}
for (const { args } of await marketplace.queryFilter(
  marketplace.filters.BidFilled(undefined, creditAddress),
  suiteFromBlock,
)) {
  addTraded(args.id, args.amount);
}

const [, , , batchesIssued] = await registry.counts();
const creditRows: string[][] = [];
const totals = { issued: 0n, traded: 0n, retired: 0n, circulation: 0n, cancelled: 0n, buffer: 0n };
const broken: string[] = [];
for (let batchId = 1n; batchId <= batchesIssued; batchId++) {
  const batchSupply = await credit.supplyOf(batchId);
  const circulation = await credit.totalSupply(batchId);
  const batch = await registry.getBatch(batchId);
  const project = await registry.getProject(batch.projectId);
  const batchTraded = traded.get(batchId) ?? 0n;
  creditRows.push([
    `#${batchId} ${project.externalRef}`,
    tonnes(batchSupply.issued),
    tonnes(batchTraded),
    tonnes(batchSupply.retired),
    tonnes(circulation),
    tonnes(batchSupply.cancelled),
    tonnes(batch.bufferRemaining),
  ]);
  totals.issued += batchSupply.issued;
  totals.traded += batchTraded;
  totals.retired += batchSupply.retired;
  totals.circulation += circulation;
  totals.cancelled += batchSupply.cancelled;
  totals.buffer += batch.bufferRemaining;
  if (batchSupply.issued !== circulation + batchSupply.retired + batchSupply.cancelled) {
    broken.push(
      `batch #${batchId}: issued ${tonnes(batchSupply.issued)} ≠ circulation ${tonnes(circulation)} + retired ${tonnes(batchSupply.retired)} + cancelled ${tonnes(batchSupply.cancelled)}`,
    );
  }
}
creditRows.push([
  "total",
  tonnes(totals.issued),
  tonnes(totals.traded),
  tonnes(totals.retired),
  tonnes(totals.circulation),
  tonnes(totals.cancelled),
  tonnes(totals.buffer),
]);
detail("Credits, per batch:");
showTable(["batch", "issued", "traded", "retired", "in circulation", "cancelled", "buffer left"], creditRows);

const periods = (await compliance.queryFilter(compliance.filters.PeriodOpened(), suiteFromBlock)).map(
  ({ args }) => args.period,
);
const periodRows: string[][] = [];
for (const periodId of periods) {
  const info = await compliance.getPeriod(periodId);
  periodRows.push([
    String(periodId),
    tonnes(info.allocated),
    tonnes(info.auctioned),
    tonnes(info.burned),
    tonnes(await allowance.totalSupply(periodId)),
  ]);
}
console.log();
detail("Allowances, per compliance period:");
showTable(["period", "allocated", "auctioned", "surrendered", "supply"], periodRows);

const penaltiesPaid = new Map<string, bigint>();
for (const { args } of await compliance.queryFilter(compliance.filters.PenaltyPaid(), suiteFromBlock)) {
  const key = `${args.installationId}/${args.period}`;
  penaltiesPaid.set(key, (penaltiesPaid.get(key) ?? 0n) + args.amount);
}
const complianceRows: string[][] = [];
const installationCount = await compliance.installationCount();
for (let installationId = 1n; installationId <= installationCount; installationId++) {
  const installation = await compliance.getInstallation(installationId);
  for (const periodId of periods) {
    const account = await compliance.accountOf(installationId, periodId);
    const [, verifiedEmissions] = await ledger.verifiedEmissions(installation.entity, periodId);
    complianceRows.push([
      names.get(installation.operator) ?? installation.operator,
      String(periodId),
      tonnes(verifiedEmissions),
      tonnes(account.allowancesSurrendered),
      tonnes(account.offsetsSurrendered),
      STATUS[Number(await compliance.statusOf(installationId, periodId))],
      usdcText(account.penaltyOwed),
      usdcText(penaltiesPaid.get(`${installationId}/${periodId}`) ?? 0n),
    ]);
  }
}
console.log();
detail("Compliance, per installation and period:");
showTable(
  ["installation", "period", "emissions", "allowances", "offsets", "status", "penalty owed", "penalty paid"],
  complianceRows,
);

// The (entity, period) pairs the demo made a neutrality claim for: retirements with claim type Neutrality.
const claims = new Map<string, [string, bigint]>();
for (const { args } of await retirement.queryFilter(retirement.filters.Retired(), suiteFromBlock)) {
  if (args.claimType !== BigInt(ClaimType.Neutrality)) continue;
  const { claimEntity, claimPeriod } = args.details;
  claims.set(`${claimEntity}/${claimPeriod}`, [claimEntity, claimPeriod]);
}
const neutralityRows: string[][] = [];
for (const [entity, claimPeriod] of claims.values()) {
  const status = await ledger.neutralityStatus(entity, claimPeriod);
  neutralityRows.push([
    names.get(entity) ?? entity,
    String(claimPeriod),
    status.verified ? tonnes(status.emissions) : "not verified",
    tonnes(status.retired),
    status.neutral ? "neutral" : "not neutral",
  ]);
}
console.log();
detail("Neutrality claims:");
showTable(["entity", "period", "verified emissions", "retired against them", "status"], neutralityRows);

if (broken.length > 0) throw new Error(`credit supply invariant broken:\n${broken.join("\n")}`);
console.log();
detail(`every batch: issued = in circulation + retired + cancelled (${batchesIssued} checked).`);

console.log("\nDemo complete.");
