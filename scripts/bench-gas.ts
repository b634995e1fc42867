/**
 * Gas benchmark of the CNT suite: `npm run bench:gas` prints the gas of one transaction per operation (cold state,
 * including the 21,000 base) beside references measured in the same run (a plain OpenZeppelin ERC-1155, a minimal
 * market) and the research floors and best peers of the design's gas section, and writes `snapshots/gas.json`. `npm run bench:gas -- --check` fails when any operation costs more than the snapshot.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { ContractTransactionResponse } from "ethers";
import {
  MaxUint256,
  ZeroAddress as ZERO_ADDRESS,
  ZeroHash as ZERO_HASH,
  getAddress,
  id,
  toBeHex,
  zeroPadValue,
} from "ethers";
import { network } from "hardhat";
import * as prettier from "prettier";

import { CrossBorderRule, jurisdictionCode } from "../sdk/jurisdictions.js";
import { deploySuite } from "./lib/suite.js";

const SNAPSHOT = path.resolve(import.meta.dirname, "../snapshots/gas.json");
const README = path.resolve(import.meta.dirname, "../README.md");
const check = process.argv.includes("--check");

interface Row {
  operation: string;
  gas: bigint;
  /** A reference contract's cost for the same work, measured in this run. */
  reference?: string;
  referenceGas?: bigint;
  /** DESIGN.md section 11: the research floor and the best peer known (published figures, not measured here). */
  floor?: string;
  peer?: string;
}

/** DESIGN.md section 11, by operation family. */
const DESIGN = {
  transfer: { floor: "37.3k", peer: "Solady 38.5k" },
  buy: { floor: "64.2k", peer: "Seaport 1.6 on-chain listing 79.9k" },
  retire: { floor: "32.0k (event only)", peer: "Toucan retire ~210–250k (estimate)" },
  retireCertified: { floor: "~140k", peer: "Toucan retire + certificate ~450–600k (estimate)" },
};

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("benchmark transaction failed");
  return receipt.gasUsed;
}

const { ethers, networkHelpers } = await network.create();
const [admin, registrar, verifier, proponent, alice, bob, carol, dave] = await ethers.getSigners();

// ------------------------------------------------------------------------------------------ reference
const plain = await ethers.deployContract("PlainERC1155");
await (await plain.mint(alice.address, 1, 1_000_000)).wait();
await (await plain.mint(bob.address, 1, 1_000_000)).wait();
const refExisting = await gasOf(plain.connect(alice).safeTransferFrom(alice.address, bob.address, 1, 1_000, "0x"));
const refNew = await gasOf(plain.connect(alice).safeTransferFrom(alice.address, carol.address, 1, 1_000, "0x"));
// A burn that leaves the holder a balance, as the retirements below do.
const refBurn = await gasOf(plain.connect(bob).burn(1, 1_000));
const burnReference = { reference: "OZ ERC1155 burn, no record", referenceGas: refBurn };

// ------------------------------------------------------------------------------------------ the suite
const { registry, credit, retirement, marketplace, ledger, compliance, auction } = await deploySuite(ethers, admin, {
  TREASURER: [admin.address],
  REGISTRAR: [registrar.address],
  VERIFIER: [verifier.address],
  REGULATOR: [admin.address],
});
const reg = registry.connect(registrar);
await (await reg.addMethodology("VM0047", 0, "ipfs://vm0047")).wait();
await (await reg.accreditVerifier(verifier.address, 1)).wait();

const addStandard = await gasOf(reg.addStandard("VCS", "https://verra.org"));

const registration = {
  methodologyId: 1,
  bufferBps: 2_000,
  standardId: 1,
  externalRef: "VCS-4242",
  jurisdiction: "BR-PA",
  uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
};
const registerProject = await gasOf(registry.connect(proponent).registerProject(registration));
await (await reg.approveProject(1, id("approved"))).wait();

// Fixed past periods and serials keep calldata, and so gas, identical from run to run.
const PERIOD0 = 1_600_000_000n;
const SPACING = 1_000n;
let reports = 0n;
let batches = 0n;

async function submit(projectId: bigint, k: bigint, serialStart: bigint, quantity: bigint) {
  const gas = await gasOf(
    registry.connect(proponent).submitReport({
      projectId,
      periodStart: PERIOD0 + k * 10n,
      periodEnd: PERIOD0 + k * 10n + 10n,
      quantity,
      serialStart,
      serialEnd: serialStart + quantity - 1n,
      reportHash: id(`report-${projectId}-${k}`),
      uri: "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi",
    }),
  );
  reports += 1n;
  return { gas, reportId: reports };
}

async function verify(reportId: bigint) {
  return gasOf(registry.connect(verifier).verifyReport(reportId, id(`verification-${reportId}`)));
}

async function issue(reportId: bigint, hint = 0n) {
  const gas = await gasOf(reg.issueBatch(reportId, hint));
  batches += 1n;
  return { gas, batchId: batches };
}

// The first issuance: report, verification and issuance of a 1,000 t batch.
const first = await submit(1n, 0n, 1n, 1_000_000n);
const verifyReport = await verify(first.reportId);
const issueFirst = await issue(first.reportId);

// Credits move between holders: alice and bob already hold batch 1.
await (await credit.connect(proponent).safeTransferFrom(proponent.address, alice.address, 1, 100_000, "0x")).wait();
await (await credit.connect(proponent).safeTransferFrom(proponent.address, bob.address, 1, 100_000, "0x")).wait();
const transferExisting = await gasOf(
  credit.connect(alice).safeTransferFrom(alice.address, bob.address, 1, 1_000, "0x"),
);
const transferNew = await gasOf(credit.connect(alice).safeTransferFrom(alice.address, carol.address, 1, 1_000, "0x"));

// With a restriction active elsewhere (an unrelated account frozen), transfers read the freeze flags too.
await (await credit.freeze(dave.address, id("investigation"))).wait();
const transferFrozenElsewhere = await gasOf(
  credit.connect(alice).safeTransferFrom(alice.address, bob.address, 1, 1_000, "0x"),
);
await (await credit.unfreeze(dave.address, id("cleared"))).wait();

// Serial check at 1, 100 and 1,000 existing ranges of the namespace. Ranges sit at [k*SPACING*1000 + 1, +1000].
// At each size, two issuances: one appended after every range (no hint), and, once there are ranges on both
// sides, one inserted in a gap in the middle of the list with the right hint.
const serialRows: Row[] = [];
let k = 1n;
async function fillTo(ranges: bigint) {
  while (batches < ranges) {
    const r = await submit(1n, k, k * SPACING * 1_000n + 1n, 1_000n);
    await verify(r.reportId);
    await issue(r.reportId);
    k += 1n;
  }
}
async function issueRange(serialStart: bigint, hint: bigint) {
  const r = await submit(1n, k, serialStart, 1_000n);
  await verify(r.reportId);
  k += 1n;
  return (await issue(r.reportId, hint)).gas;
}
for (const n of [1n, 100n, 1_000n]) {
  await fillTo(n);
  const existing = batches;
  const append = await issueRange(k * SPACING * 1_000n + 1n, 0n);
  serialRows.push({ operation: `issue batch, serial check at ${existing} ranges (append, no hint)`, gas: append });
  if (n > 1n) {
    const middle = n / 2n; // insert in the gap right after this batch
    const before = batches;
    const serialStart = (await registry.getBatch(middle)).serialEnd + 1n + n;
    const hinted = await issueRange(serialStart, middle);
    serialRows.push({ operation: `issue batch, serial check at ${before} ranges (insert, hinted)`, gas: hinted });
  }
}

// ------------------------------------------------------------------------------------------ retirement
// Acme (alice) holds batches 1-3; the request is a realistic claim with a short name, jurisdiction and reason.
for (const id of [2n, 3n]) {
  await (await credit.connect(proponent).safeTransferFrom(proponent.address, alice.address, id, 500, "0x")).wait();
}
function request(ids: bigint[], amounts: bigint[], skipCertificate: boolean) {
  return {
    ids,
    amounts,
    beneficiary: alice.address,
    beneficiaryName: "Acme Corp",
    beneficiaryCommitment: ZERO_HASH,
    claimType: 0,
    claimEntity: ZERO_ADDRESS,
    claimPeriod: 0n,
    consumptionJurisdiction: jurisdictionCode("consumptionJurisdiction", "DE"),
    consumptionStart: 1_704_067_200n,
    consumptionEnd: 1_735_689_599n,
    reason: "2024 business travel",
    skipCertificate,
  };
}
const retirements = retirement.connect(alice);
const retireFirst = await gasOf(retirements.retire(request([1n], [1_000n], true)));
const retireOne = await gasOf(retirements.retire(request([1n], [1_000n], true)));
const retireCertified = await gasOf(retirements.retire(request([1n], [1_000n], false)));
const retireThree = await gasOf(retirements.retire(request([1n, 2n, 3n], [1_000n, 100n, 100n], true)));
const onTransferData = retirement.interface
  .getAbiCoder()
  .encode([retirement.interface.getFunction("retire").inputs[0]], [request([], [], true)]);
const retireOnTransfer = await gasOf(
  credit.connect(alice).safeTransferFrom(alice.address, await retirement.getAddress(), 1, 1_000, onTransferData),
);
const retirementRows: Row[] = [
  {
    operation: "retire one batch, no certificate (first retirement of the account)",
    gas: retireFirst,
    ...burnReference,
  },
  { operation: "retire one batch, no certificate", gas: retireOne, ...burnReference, ...DESIGN.retire },
  { operation: "retire one batch with certificate", gas: retireCertified, ...burnReference, ...DESIGN.retireCertified },
  { operation: "retire three batches in one call, no certificate", gas: retireThree },
  {
    operation: "retire-on-transfer (safeTransferFrom with a request), no certificate",
    gas: retireOnTransfer,
    ...burnReference,
  },
];

// ------------------------------------------------------------------------------------------ marketplace
// A 6-decimals stablecoin; 18 USDC a tonne = 18,000 base units a kilogram. A 1% fee goes to the treasury (admin).
// Steady state: the seller, the treasury and the buyers already hold the stablecoin, and the buyers the batch.
const usdc = await ethers.deployContract("ERC20Mock");
const UNIT_PRICE = 18_000n;
const market = marketplace.connect(proponent);
const marketAddress = await marketplace.getAddress();
await (await marketplace.setPaymentTokenAllowed(await usdc.getAddress(), true)).wait();
await (await marketplace.setFee(100)).wait();
await (await credit.connect(proponent).setApprovalForAll(marketAddress, true)).wait();
for (const buyer of [alice, bob]) {
  await (await usdc.mint(buyer.address, 10n ** 15n)).wait();
  await (await usdc.connect(buyer).approve(marketAddress, MaxUint256)).wait(); // the usual unlimited approval
}
const FAR = 4_000_000_000n;
async function listCredits(amount: bigint, minFill = 0n) {
  const gas = await gasOf(
    market.list(await credit.getAddress(), 1, amount, UNIT_PRICE, await usdc.getAddress(), minFill, FAR),
  );
  return { gas, listingId: await marketplace.listingCount() };
}
const listed = await listCredits(100_000n);
await (await marketplace.connect(bob).buy(listed.listingId, 1_000n, UNIT_PRICE, bob.address)).wait(); // warm-up
const buyPartial = await gasOf(marketplace.connect(alice).buy(listed.listingId, 1_000n, UNIT_PRICE, alice.address));
const small = await listCredits(1_000n);
const buyCloses = await gasOf(marketplace.connect(alice).buy(small.listingId, 1_000n, UNIT_PRICE, alice.address));
const three = [await listCredits(5_000n), await listCredits(5_000n), await listCredits(5_000n)];
const buyManyThree = await gasOf(
  marketplace.connect(alice).buyMany(
    three.map((l) => ({ listingId: l.listingId, amount: 1_000n, maxUnitPrice: UNIT_PRICE })),
    alice.address,
  ),
);
const buyAndRetire = await gasOf(
  marketplace.connect(alice).buyAndRetire(listed.listingId, 1_000n, UNIT_PRICE, request([], [], true)),
);

// A criteria bid as a corporate buyer places it: 50 t of removals of methodology 1, vintage 2020 or later, from
// Brazil or Kenya, at the listings' price; the proponent fills it from batch 1 in parts.
const bidCriteria = {
  methodologyIds: [1n],
  jurisdictions: ["BR", "KE"].map((code) => jurisdictionCode("jurisdictions", code)), // "BR" matches "BR-PA"
  projectId: 0n,
  vintageFrom: 1_577_836_800n, // 2020-01-01
  vintageTo: 0n,
  categories: 1n, // removals
  authorisations: 0n,
  adjustments: 0n,
};
const placeBid = await gasOf(
  marketplace.connect(alice).placeBid(bidCriteria, 50_000n, UNIT_PRICE, await usdc.getAddress(), FAR),
);
const bidId = await marketplace.bidCount();
await (await market.fillBid(bidId, 1, 1_000n)).wait(); // warm-up
const fillBid = await gasOf(market.fillBid(bidId, 1, 1_000n));

// The minimal reference market, in the same steady state, on a plain OpenZeppelin ERC-1155.
const reference = await ethers.deployContract("MinimalMarketMock");
const referenceAddress = await reference.getAddress();
await (await plain.mint(proponent.address, 1, 1_000_000)).wait();
await (await plain.connect(proponent).setApprovalForAll(referenceAddress, true)).wait();
for (const buyer of [alice, bob]) await (await usdc.connect(buyer).approve(referenceAddress, MaxUint256)).wait();
const refList = await gasOf(
  reference.connect(proponent).list(await plain.getAddress(), 1, 100_000, UNIT_PRICE, await usdc.getAddress()),
);
await (await reference.connect(bob).buy(1, 1_000)).wait(); // warm-up
const refBuy = await gasOf(reference.connect(alice).buy(1, 1_000));

const marketRows: Row[] = [
  { operation: "market list", gas: listed.gas, reference: "minimal market list", referenceGas: refList },
  {
    operation: "market buy, partial fill, 1% fee (steady state)",
    gas: buyPartial,
    reference: "minimal market buy, no fee",
    referenceGas: refBuy,
    ...DESIGN.buy,
  },
  { operation: "market buy that closes a listing, 1% fee", gas: buyCloses },
  { operation: "market buyMany of 3 listings, 1% fee", gas: buyManyThree },
  { operation: "market buyAndRetire, 1% fee, no certificate", gas: buyAndRetire },
  { operation: "market placeBid (methodology, category, vintage, 2 jurisdictions)", gas: placeBid },
  { operation: "market fillBid, partial, 1% fee (steady state)", gas: fillBid },
];

// ------------------------------------------------------------------------------------------ emissions trading
// Period 2026 (cap 10,000,000 t, 2,000,000 t for auctions): 51 installations in sector 1, alice operating the first;
// the verifier is accredited for the sector. Reporting closes in 10 days, surrender in 20.
const PERIOD = 2026n;
const start = BigInt(await networkHelpers.time.latest());
const reportingDeadline = start + 10n * 86_400n;
const eligibility = {
  methodologyIds: [],
  jurisdictions: [],
  projectId: 0n,
  vintageFrom: 0n,
  vintageTo: 0n,
  categories: 0n,
  authorisations: 0n,
  adjustments: 0n,
};
await (await ledger.accreditVerifier(verifier.address, 1)).wait();
await (await ledger.setReportingDeadline(PERIOD, reportingDeadline)).wait();
await (
  await compliance.openPeriod(PERIOD, {
    cap: 10_000_000_000n,
    auctionVolume: 2_000_000_000n,
    surrenderDeadline: reportingDeadline + 10n * 86_400n,
    offsetLimitBps: 1_000,
    penaltyPerTonne: 0n,
    penaltyToken: ZERO_ADDRESS,
    eligibility,
  })
).wait();
// The "DE" installations offset with "BR-PA" credits: cross-border offsets allowed for the period.
await (await compliance.setCrossBorderRule(PERIOD, CrossBorderRule.Allowed)).wait();
// Fixed addresses (no keys needed) run installations 2 to 51, so every run measures the same storage.
const operators = [
  alice.address,
  ...Array.from({ length: 50 }, (_, i) => getAddress(zeroPadValue(toBeHex(0xc0_0000 + i), 20))),
];
for (const operator of operators) await (await compliance.registerInstallation(operator, 1, "DE")).wait();
const installationIds = operators.map((_, i) => BigInt(i + 1));
const aliceEntity = await compliance.entityOf(1n);
const attestEmissions = await gasOf(
  ledger
    .connect(verifier)
    .attest(aliceEntity, PERIOD, 1, 10_000_000n, id("verification statement"), "ipfs://statement"),
);
const allocateOne = await gasOf(compliance.allocate(PERIOD, 1n, 9_000_000n));
const allocateFifty = await gasOf(
  compliance.allocateMany(
    PERIOD,
    installationIds.slice(1),
    installationIds.slice(1).map(() => 1_000_000n),
  ),
);
await networkHelpers.time.increaseTo(reportingDeadline);
const surrenderAllowances = await gasOf(
  compliance.connect(alice).surrenderAllowances(1n, PERIOD, [PERIOD], [9_000_000n]),
);
await (await credit.connect(alice).setApprovalForAll(await compliance.getAddress(), true)).wait();
const surrenderOffsets = await gasOf(compliance.connect(alice).surrenderOffsets(1n, PERIOD, [1n], [1_000n]));

// Auctions: N sealed bids of 1 t each over 10 price levels (10 to 19 tokens a tonne); settlement visits the price
// levels, not the bids, so its cost stays flat as bids grow; with a price per bid it runs in pages of 100 levels.
const auctionAddress = await auction.getAddress();
const bidders = (await ethers.getSigners()).slice(8, 18);
for (const bidder of bidders) {
  await (await usdc.mint(bidder.address, 10n ** 15n)).wait();
  await (await usdc.connect(bidder).approve(auctionAddress, MaxUint256)).wait();
}
let auctions = 0n;
let bidsPlaced = 0n;
async function runAuction(bids: number, levels = 10, page = 100n) {
  const t0 = BigInt(await networkHelpers.time.latest());
  await (
    await auction.openAuction(PERIOD, 100_000_000n, 10_000n, await usdc.getAddress(), t0, t0 + 3_600n, t0 + 7_200n)
  ).wait();
  const auctionId = ++auctions;
  const terms = [];
  let commitGas = 0n;
  for (let i = 0; i < bids; ++i) {
    const bidder = bidders[i % bidders.length];
    // Prices descend with i, so each reveal's hint (the price just above) is exact.
    const price = 10_000n + BigInt(levels - 1 - (i % levels)) * 1_000n;
    const salt = id(`salt ${auctionId} ${i}`);
    const commitment = await auction.commitmentOf(auctionId, bidder.address, price, 1_000n, salt);
    commitGas = await gasOf(auction.connect(bidder).commitBid(auctionId, commitment, price * 1_000n));
    terms.push({ bidder, bidId: ++bidsPlaced, price, salt });
  }
  await networkHelpers.time.increaseTo(t0 + 3_600n);
  let revealGas = 0n;
  for (const { bidder, bidId, price, salt } of terms) {
    revealGas = await gasOf(auction.connect(bidder).revealBid(bidId, price, 1_000n, salt, price + 1_000n));
  }
  await networkHelpers.time.increaseTo(t0 + 7_200n);
  const settleGas = await gasOf(auction.settle(auctionId, page));
  while (!(await auction.getAuction(auctionId)).settled) await (await auction.settle(auctionId, page)).wait();
  const claimGas = await gasOf(auction.claim(terms[terms.length - 1].bidId));
  return { commitGas, revealGas, settleGas, claimGas };
}
const auction10 = await runAuction(10);
const auction100 = await runAuction(100);
const auction1000 = await runAuction(1_000);
const auctionSpread = await runAuction(1_000, 1_000);

const complianceRows: Row[] = [
  { operation: "ledger attest emissions", gas: attestEmissions },
  { operation: "compliance allocate to 1 installation", gas: allocateOne },
  { operation: "compliance allocateMany to 50 installations", gas: allocateFifty },
  { operation: "compliance surrender allowances (one period)", gas: surrenderAllowances },
  { operation: "compliance surrender offsets (one batch, retired)", gas: surrenderOffsets },
  { operation: "auction commit sealed bid (steady state)", gas: auction1000.commitGas },
  { operation: "auction reveal bid (existing price level, hinted)", gas: auction1000.revealGas },
  { operation: "auction settle, 10 bids over 10 price levels", gas: auction10.settleGas },
  { operation: "auction settle, 100 bids over 10 price levels", gas: auction100.settleGas },
  { operation: "auction settle, 1,000 bids over 10 price levels", gas: auction1000.settleGas },
  {
    operation: "auction settle, 1,000 bids over 1,000 price levels: one page of 100 levels",
    gas: auctionSpread.settleGas,
  },
  { operation: "auction claim of a winning bid", gas: auction1000.claimGas },
];

const rows: Row[] = [
  { operation: "add standard", gas: addStandard },
  { operation: "register project", gas: registerProject },
  { operation: "submit report", gas: first.gas },
  { operation: "verify report", gas: verifyReport },
  { operation: "issue batch (first in namespace)", gas: issueFirst.gas },
  {
    operation: "transfer, both hold the id",
    gas: transferExisting,
    reference: "OZ ERC1155 transfer, both hold the id",
    referenceGas: refExisting,
    ...DESIGN.transfer,
  },
  {
    operation: "transfer to a new holder",
    gas: transferNew,
    reference: "OZ ERC1155 transfer to a new holder",
    referenceGas: refNew,
  },
  {
    operation: "transfer, both hold the id, an unrelated account frozen",
    gas: transferFrozenElsewhere,
    reference: "OZ ERC1155 transfer, both hold the id",
    referenceGas: refExisting,
  },
  ...serialRows,
  ...retirementRows,
  ...marketRows,
  ...complianceRows,
];

// ------------------------------------------------------------------------------------------ report
const ratio = (r: Row) => (r.referenceGas ? (Number(r.gas) / Number(r.referenceGas)).toFixed(3) + "×" : undefined);
const markdown = [
  "| operation | gas | reference (same run) | reference gas | ratio | floor | best peer known |",
  "| --- | ---: | --- | ---: | ---: | ---: | --- |",
  ...rows
    .map((r) =>
      [r.operation, r.gas, r.reference, r.referenceGas, ratio(r), r.floor, r.peer]
        .map((cell) => ` ${cell ?? "—"} `)
        .join("|"),
    )
    .map((line) => `|${line}|`),
].join("\n");
console.log(markdown);

const TRANSFER_TARGET = 1.1;
const transferRatio = Number(transferExisting) / Number(refExisting);
console.log(
  `\ntransfer with no restriction active: ${transferRatio.toFixed(3)}× the plain OpenZeppelin transfer (target ≤ ${TRANSFER_TARGET}×)`,
);

// The snapshot: each operation's gas, with its reference and ratio from this run and DESIGN.md's floor and peer.
const snapshot = Object.fromEntries(
  rows.map((r) => [
    r.operation,
    {
      gas: Number(r.gas),
      ...(r.reference && { reference: r.reference, referenceGas: Number(r.referenceGas), ratio: ratio(r) }),
      ...(r.floor && { floor: r.floor, peer: r.peer }),
    },
  ]),
);
let failed = transferRatio > TRANSFER_TARGET;
if (check) {
  const committed: Record<string, { gas: number }> = JSON.parse(readFileSync(SNAPSHOT, "utf8"));
  for (const [operation, { gas }] of Object.entries(snapshot)) {
    const before = committed[operation]?.gas;
    if (before === undefined) {
      console.error(`gas check: "${operation}" is not in the snapshot; run npm run bench:gas and commit it`);
      failed = true;
    } else if (gas > before) {
      console.error(`gas check: "${operation}" grew from ${before} to ${gas}`);
      failed = true;
    }
  }
  console.log(failed ? "gas check: FAILED" : "gas check: every operation within the committed snapshot");
} else {
  writeFileSync(SNAPSHOT, JSON.stringify(snapshot, null, 2) + "\n");
  // The README's gas table is this run's table, between its markers.
  const readme = readFileSync(README, "utf8");
  const table = `<!-- gas:start -->\n\n${markdown}\n\n<!-- gas:end -->`;
  const options = { ...(await prettier.resolveConfig(README)), filepath: README };
  writeFileSync(
    README,
    await prettier.format(readme.replace(/<!-- gas:start -->[\s\S]*<!-- gas:end -->/, table), options),
  );
  console.log(`snapshot written to ${path.relative(process.cwd(), SNAPSHOT)}; README gas table updated`);
}
process.exit(failed ? 1 : 0);
