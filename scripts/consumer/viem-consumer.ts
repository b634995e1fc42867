/**
 * A third-party application built only on viem and the package's viem entry (`cnt-protocol/viem`, with
 * `cnt-protocol/abi`): no ethers is installed next to it. It connects to the suite deployed on a local node,
 * registers a project, has it verified and issued, transfers, lists and buys credits, retires some with a certificate,
 * decodes three reverts (one of the registry's own, one raised by the credit token under the retirement registry, one
 * of the payment token under the marketplace), rebuilds the batch's history from the logs alone, and checks every
 * result read back from the chain. Copied into a fresh project outside the repository by `scripts/consumer/run.sh`,
 * compiled with `tsc` (which also checks the type-level assertions at the end: viem must infer names, arguments and
 * results from the package's `as const` ABIs) and run on Node 22 and Node 20.
 *
 * Re-runnable on the same node: every run adds its own methodology, project (a new external reference), report,
 * batch and listing, and checks balances of that batch only.
 */
import assert from "node:assert/strict";

import {
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAbiItem,
  getAddress,
  http,
  keccak256,
  parseAbi,
  parseEventLogs,
  stringToHex,
  zeroAddress,
  zeroHash,
  type Abi,
  type Address,
  type Hex,
  type Log,
  type PublicClient,
  type TransactionReceipt,
} from "viem";

import {
  Category,
  ClaimType,
  ReportStatus,
  cntContracts,
  cntErrorsAbi,
  cntEventsAbi,
  decodeCntError,
  deploymentOnNode,
  explainError,
  findCntError,
  formatTonnes,
  jurisdictionCode,
  readDeploymentFile,
  requireExternalRef,
  retirementRegistryAbi,
  retirementRequest as buildRetirementRequest,
  tonnes,
  toTonnes,
  type DecodedCntError,
} from "cnt-protocol/viem";
import * as abiEntry from "cnt-protocol/abi";

const url = process.env.CNT_NODE_URL!;
const deployment = await readDeploymentFile(process.env.CNT_DEPLOYMENT!);
// The node must be running this deployment: same chain, code at every recorded address.
const onNode = await deploymentOnNode(url, { record: deployment });
assert.deepEqual(onNode.contracts, deployment.contracts);
assert.equal(onNode.chainId, deployment.chainId);
await assert.rejects(deploymentOnNode(url, { record: { ...deployment, chainId: 1 } }), /is on chain 31337/);

// The viem entry loads without ethers, which this project does not install.
const ethersName = "ethers";
await assert.rejects(import(ethersName), { code: "ERR_MODULE_NOT_FOUND" });
// `cnt-protocol/abi` and `cnt-protocol/viem` share the ABI objects.
assert.equal(abiEntry.cntEventsAbi, cntEventsAbi);
assert.equal(abiEntry.retirementRegistryAbi, retirementRegistryAbi);

const cnt = cntContracts(deployment);
const credit = cnt.CarbonCredit.address;
const marketplace = cnt.CarbonMarketplace.address;
const fromBlock = BigInt(deployment.fromBlock);

const chain = defineChain({
  id: deployment.chainId,
  name: `CNT ${deployment.network}`,
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: [url] } },
});
// The node mines on every transaction: poll for receipts often.
const client = createPublicClient({ chain, transport: http(url), pollingInterval: 50 });
assert.equal(await client.getChainId(), deployment.chainId);

// Wallet clients on the node's unlocked (JSON-RPC) accounts: the role holders of the record, and accounts 16 to 18
// (the ethers consumer uses 14 and 15).
const wallet = (account: Address) => createWalletClient({ account, chain, transport: http(url) });
const accounts = await createWalletClient({ chain, transport: http(url) }).getAddresses();
assert.ok(accounts.length >= 19, `the node has ${accounts.length} accounts, 19 needed`);
const registrar = wallet(getAddress(deployment.roles.REGISTRAR.holders[0]));
const verifier = wallet(getAddress(deployment.roles.VERIFIER.holders[0]));
const proponent = wallet(getAddress(accounts[16]));
const buyer = wallet(getAddress(accounts[17]));
const friend = getAddress(accounts[18]);

// The local test stablecoin: an open mint, and the ERC-20 functions the app needs; not part of the suite's ABIs.
const stablecoin = getAddress(deployment.paymentTokens[0].address);
const erc20Abi = parseAbi([
  "function mint(address to, uint256 amount)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function balanceOf(address account) view returns (uint256)",
]);

/** Waits for a sent transaction and checks it succeeded. */
async function mined(hash: Promise<Hex>): Promise<TransactionReceipt> {
  const receipt = await client.waitForTransactionReceipt({ hash: await hash });
  assert.equal(receipt.status, "success");
  return receipt;
}

/** What an expected revert threw (viem's error), for the checks on it. */
async function reverted(call: Promise<unknown>): Promise<BaseError> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof BaseError, `not a viem error: ${String(error)}`);
    return error;
  }
  assert.fail("the call did not revert");
}

/** A decoded error of the suite and its sentence: explainError says exactly that, and no generic message. */
function decoded(error: BaseError, name: string): DecodedCntError {
  const found = findCntError(error);
  assert.ok(found, `no error of the suite in: ${error.shortMessage}`);
  assert.equal(found.name, name);
  const sentence = explainError(error);
  assert.equal(sentence, found.message);
  assert.notEqual(sentence, error.shortMessage);
  assert.doesNotMatch(sentence, /^reverted with |unknown error|execution reverted/);
  return found;
}

// ------------------------------------------------------------------------------------------ registration to issue

// Arguments a dApp checks before sending, with the package's helpers.
assert.equal(tonnes("12.5"), 12_500n);
assert.equal(toTonnes(12_500n), "12.5");

// A methodology of this run, its verifier accredited (REGISTRAR).
const addMethodology = await client.simulateContract({
  ...cnt.CarbonRegistry,
  account: registrar.account,
  functionName: "addMethodology",
  args: ["GS-TPDDTEC-VIEM", Category.Avoidance, "ipfs://gold-standard-cookstoves"],
});
const methodologyReceipt = await mined(registrar.writeContract(addMethodology.request));
const [methodologyAdded] = parseEventLogs({
  abi: cnt.CarbonRegistry.abi,
  logs: methodologyReceipt.logs,
  eventName: "MethodologyAdded",
});
const methodologyId = methodologyAdded.args.methodologyId;
assert.equal(methodologyId, addMethodology.result);
const accredit = await client.simulateContract({
  ...cnt.CarbonRegistry,
  account: registrar.account,
  functionName: "accreditVerifier",
  args: [verifier.account.address, methodologyId],
});
await mined(registrar.writeContract(accredit.request));

// The "GS" standard, added once per deployment (by whichever run or app comes first).
let standardId = await client.readContract({ ...cnt.CarbonRegistry, functionName: "standardIdOf", args: ["GS"] });
if (standardId === 0n) {
  const { request } = await client.simulateContract({
    ...cnt.CarbonRegistry,
    account: registrar.account,
    functionName: "addStandard",
    args: ["GS", "https://goldstandard.org"],
  });
  await mined(registrar.writeContract(request));
  standardId = await client.readContract({ ...cnt.CarbonRegistry, functionName: "standardIdOf", args: ["GS"] });
}
assert.ok(standardId > 0n);

// One project per external reference: each run registers its own.
const counts = await client.readContract({ ...cnt.CarbonRegistry, functionName: "counts" });
const externalRef = requireExternalRef("externalRef", `GS-VIEM-${counts[1] + 1n}`);
const register = await client.simulateContract({
  ...cnt.CarbonRegistry,
  account: proponent.account,
  functionName: "registerProject",
  // uint32 and uint16 fields are numbers in viem, uint64 and wider bigints.
  args: [
    {
      methodologyId: Number(methodologyId),
      bufferBps: 500,
      standardId: Number(standardId),
      externalRef,
      jurisdiction: "KE-30",
      uri: "",
    },
  ],
});
const registerReceipt = await mined(proponent.writeContract(register.request));
const [registered] = parseEventLogs({
  abi: cnt.CarbonRegistry.abi,
  logs: registerReceipt.logs,
  eventName: "ProjectRegistered",
  args: { proponent: proponent.account.address },
});
const projectId = registered.args.projectId;
assert.equal(projectId, register.result);
assert.equal(registered.args.externalRef, externalRef);
assert.equal(registered.args.jurisdiction, jurisdictionCode("jurisdiction", "KE-30"));

const approve = await client.simulateContract({
  ...cnt.CarbonRegistry,
  account: registrar.account,
  functionName: "approveProject",
  args: [projectId, keccak256(stringToHex("approved"))],
});
await mined(registrar.writeContract(approve.request));

const serialStart = projectId * 10_000_000n + 1n; // clear of other runs' ranges in the GS namespace
const quantity = tonnes("2000");
const submit = await client.simulateContract({
  ...cnt.CarbonRegistry,
  account: proponent.account,
  functionName: "submitReport",
  args: [
    {
      projectId,
      periodStart: 1_704_067_200n, // 2024-01-01
      periodEnd: 1_735_603_200n, // 2024-12-31
      quantity,
      serialStart,
      serialEnd: serialStart + quantity - 1n,
      reportHash: keccak256(stringToHex(`GS-VIEM monitoring report 2024, project ${projectId}`)),
      uri: "",
    },
  ],
});
const submitReceipt = await mined(proponent.writeContract(submit.request));
const [submitted] = parseEventLogs({
  abi: cnt.CarbonRegistry.abi,
  logs: submitReceipt.logs,
  eventName: "ReportSubmitted",
});
const reportId = submitted.args.reportId;

const verify = await client.simulateContract({
  ...cnt.CarbonRegistry,
  account: verifier.account,
  functionName: "verifyReport",
  args: [reportId, keccak256(stringToHex(`GS-VIEM verification 2024, project ${projectId}`))],
});
await mined(verifier.writeContract(verify.request));

// Issue, with the serial hint the registry computes for the report's range.
const report = await client.readContract({ ...cnt.CarbonRegistry, functionName: "getReport", args: [reportId] });
assert.equal(report.status, ReportStatus.Verified);
const project = await client.readContract({ ...cnt.CarbonRegistry, functionName: "getProject", args: [projectId] });
const [serialHint, clashing] = await client.readContract({
  ...cnt.CarbonRegistry,
  functionName: "findSerialHint",
  args: [project.namespace, report.serialStart, report.serialEnd],
});
assert.equal(clashing, 0n);
const issue = await client.simulateContract({
  ...cnt.CarbonRegistry,
  account: registrar.account,
  functionName: "issueBatch",
  args: [reportId, serialHint],
});
const issueReceipt = await mined(registrar.writeContract(issue.request));
const [issued] = parseEventLogs({ abi: cnt.CarbonRegistry.abi, logs: issueReceipt.logs, eventName: "BatchIssued" });
const batchId = issued.args.batchId;
assert.equal(batchId, issue.result);
assert.equal(issued.args.toProponent, tonnes("1900"));
assert.equal(issued.args.buffer, tonnes("100"));

// Revert 1, the registry's own error: the report was issued already. viem decodes it with the registry's ABI; the
// package reads the same error and says it in one sentence.
const issuedTwice = await reverted(
  client.simulateContract({
    ...cnt.CarbonRegistry,
    account: registrar.account,
    functionName: "issueBatch",
    args: [reportId, serialHint],
  }),
);
const viemDecoded = issuedTwice.walk((e) => e instanceof ContractFunctionRevertedError);
assert.ok(viemDecoded instanceof ContractFunctionRevertedError);
assert.equal(viemDecoded.data?.errorName, "CarbonRegistryInvalidReportStatus");
const twice = decoded(issuedTwice, "CarbonRegistryInvalidReportStatus");
assert.deepEqual(twice.args, { reportId, status: BigInt(ReportStatus.Issued) }); // integers as bigint, as with ethers
assert.equal(explainError(issuedTwice), `report ${reportId} is Issued, a status this operation does not accept`);

// ------------------------------------------------------------------------------------------ transfer, list, buy

const transfer = await client.simulateContract({
  ...cnt.CarbonCredit,
  account: proponent.account,
  functionName: "safeTransferFrom",
  args: [proponent.account.address, friend, batchId, tonnes("100"), "0x"],
});
await mined(proponent.writeContract(transfer.request));

// The marketplace escrows listed credits: the proponent approves it once (kept from earlier runs).
const approvedAlready = await client.readContract({
  ...cnt.CarbonCredit,
  functionName: "isApprovedForAll",
  args: [proponent.account.address, marketplace],
});
if (!approvedAlready) {
  const { request } = await client.simulateContract({
    ...cnt.CarbonCredit,
    account: proponent.account,
    functionName: "setApprovalForAll",
    args: [marketplace, true],
  });
  await mined(proponent.writeContract(request));
}
const unitPrice = 15_000n; // 15 USDCm per tonne (6 decimals, 1 unit = 1 kg)
const { timestamp } = await client.getBlock();
const list = await client.simulateContract({
  ...cnt.CarbonMarketplace,
  account: proponent.account,
  functionName: "list",
  args: [credit, batchId, tonnes("500"), unitPrice, stablecoin, 0n, timestamp + 86_400n],
});
const listReceipt = await mined(proponent.writeContract(list.request));
const [listed] = parseEventLogs({ abi: cntEventsAbi, logs: listReceipt.logs, eventName: "Listed" });
const listingId = listed.args.listingId;
assert.equal(listingId, list.result);
assert.equal(listed.args.seller, proponent.account.address);

// The buyer mints test USDCm (open mint on the local stablecoin).
const mint = await client.simulateContract({
  address: stablecoin,
  abi: erc20Abi,
  account: buyer.account,
  functionName: "mint",
  args: [buyer.account.address, 10_000_000_000n],
});
await mined(buyer.writeContract(mint.request));

const bought = tonnes("200");
const price = bought * unitPrice;
const setAllowance = async (amount: bigint) => {
  const { request } = await client.simulateContract({
    address: stablecoin,
    abi: erc20Abi,
    account: buyer.account,
    functionName: "approve",
    args: [marketplace, amount],
  });
  await mined(buyer.writeContract(request));
};

// Revert 3, the payment token's error under the marketplace: buying with no allowance of the stablecoin.
await setAllowance(0n);
const unapproved = await reverted(
  client.simulateContract({
    ...cnt.CarbonMarketplace,
    account: buyer.account,
    functionName: "buy",
    args: [listingId, bought, unitPrice, buyer.account.address],
  }),
);
const noAllowance = decoded(unapproved, "ERC20InsufficientAllowance");
assert.equal(noAllowance.args.spender, marketplace);
assert.equal(noAllowance.args.allowance, 0n);
const needed = noAllowance.args.needed as bigint;
assert.ok(needed > 0n && needed <= price);
assert.equal(
  explainError(unapproved),
  `${marketplace} may spend only 0 of the payment token, ${needed.toLocaleString("en-US")} needed (approve more first)`,
);

await setAllowance(price);
const buy = await client.simulateContract({
  ...cnt.CarbonMarketplace,
  account: buyer.account,
  functionName: "buy",
  args: [listingId, bought, unitPrice, buyer.account.address],
});
const buyReceipt = await mined(buyer.writeContract(buy.request));
const [boughtEvent] = parseEventLogs({ abi: cnt.CarbonMarketplace.abi, logs: buyReceipt.logs, eventName: "Bought" });
assert.equal(boughtEvent.args.paid, price);
assert.equal(boughtEvent.args.amount, bought);
// The marketplace rounds its fee up, to the payment token's base unit.
assert.equal(boughtEvent.args.fee, (price * BigInt(deployment.feeBps) + 9_999n) / 10_000n);
assert.equal(
  await client.readContract({
    address: stablecoin,
    abi: erc20Abi,
    functionName: "allowance",
    args: [buyer.account.address, marketplace],
  }),
  0n,
);

// ------------------------------------------------------------------------------------------ retire

/** The retirement request of `amount` units of this run's batch for the buyer: the package's builder, typed for viem. */
const retirementRequest = (amount: bigint) =>
  buildRetirementRequest({
    batchId,
    amount,
    beneficiary: buyer.account.address,
    beneficiaryName: "Consumer Co (viem)",
    claimType: ClaimType.VoluntaryOffset,
    consumptionJurisdiction: "DE",
    reason: "viem consumer test",
  });

// Revert 2, across contracts: retiring more than the buyer holds through the retirement registry reverts in the
// credit token with ERC1155InsufficientBalance, an error the registry's ABI does not declare: viem cannot name it,
// the package's merged errors ABI can.
expectType<Equal<Extract<ErrorName<typeof retirementRegistryAbi>, "ERC1155InsufficientBalance">, never>>();
const declares = (abi: Abi, name: string) => abi.some((item) => item.type === "error" && item.name === name);
assert.ok(!declares(retirementRegistryAbi, "ERC1155InsufficientBalance"));
assert.ok(declares(cntErrorsAbi, "ERC1155InsufficientBalance"));
expectType<
  Equal<Extract<ErrorName<typeof cntErrorsAbi>, "ERC1155InsufficientBalance">, "ERC1155InsufficientBalance">
>();
const tooMuch = tonnes("10000");
const overdrawn = await reverted(
  client.simulateContract({
    ...cnt.RetirementRegistry,
    account: buyer.account,
    functionName: "retire",
    args: [retirementRequest(tooMuch)],
  }),
);
const undecodedByViem = overdrawn.walk((e) => e instanceof ContractFunctionRevertedError);
assert.ok(undecodedByViem instanceof ContractFunctionRevertedError);
assert.equal(undecodedByViem.data, undefined); // viem had only the registry's ABI
assert.ok(undecodedByViem.raw, "viem kept the revert data");
const rawDecoded = decodeCntError(undecodedByViem.raw);
assert.equal(rawDecoded?.name, "ERC1155InsufficientBalance");
const insufficient = decoded(overdrawn, "ERC1155InsufficientBalance");
assert.deepEqual(insufficient.args, {
  sender: buyer.account.address,
  balance: bought,
  needed: tooMuch,
  tokenId: batchId,
});
assert.equal(
  explainError(overdrawn),
  `${buyer.account.address} holds ${formatTonnes(bought)} of token id ${batchId}, ` +
    `less than the ${formatTonnes(tooMuch)} needed`,
);

const retiredAmount = tonnes("150");
const retire = await client.simulateContract({
  ...cnt.RetirementRegistry,
  account: buyer.account,
  functionName: "retire",
  args: [retirementRequest(retiredAmount)],
});
const retireReceipt = await mined(buyer.writeContract(retire.request));
// One ABI parses the logs of every contract the retirement touched.
const retireLogs = parseEventLogs({ abi: cntEventsAbi, logs: retireReceipt.logs });
const emitted = new Set<string>(retireLogs.map((log) => log.eventName));
for (const name of ["Retired", "UnitsRetired", "TransferSingle", "Transfer"]) assert.ok(emitted.has(name), name);
const [retiredEvent] = parseEventLogs({ abi: retirementRegistryAbi, logs: retireReceipt.logs, eventName: "Retired" });
const retirementId = retiredEvent.args.retirementId;
assert.equal(retirementId, retire.result);
assert.equal(retiredEvent.args.certified, true);
assert.equal(retiredEvent.args.details.beneficiaryName, "Consumer Co (viem)");
assert.equal(retiredEvent.args.details.consumptionJurisdiction, jurisdictionCode("consumptionJurisdiction", "DE"));
const [retiredFirst, retiredLast] = await client.readContract({
  ...cnt.RetirementRegistry,
  functionName: "serialRangeOf",
  args: [retirementId],
});
assert.equal(retiredLast - retiredFirst + 1n, retiredAmount);

// ------------------------------------------------------------------------------------------ read back

const balanceOf = (account: Address) =>
  client.readContract({ ...cnt.CarbonCredit, functionName: "balanceOf", args: [account, batchId] });
assert.equal(await balanceOf(buyer.account.address), bought - retiredAmount); // a new batch every run
assert.equal(await balanceOf(friend), tonnes("100"));
assert.equal(await balanceOf(proponent.account.address), tonnes("1900") - tonnes("100") - tonnes("500"));
assert.equal(
  await client.readContract({
    ...cnt.CarbonCredit,
    functionName: "retiredBalanceOf",
    args: [buyer.account.address, batchId],
  }),
  retiredAmount,
);
const retirement = await client.readContract({
  ...cnt.RetirementRegistry,
  functionName: "getRetirement",
  args: [retirementId],
});
assert.equal(retirement.beneficiary, buyer.account.address);
assert.equal(retirement.retiree, buyer.account.address);
assert.equal(BigInt(retirement.batchId), batchId); // uint32: a number
assert.equal(retirement.amount, retiredAmount); // uint88: a bigint
assert.equal(retirement.claimType, ClaimType.VoluntaryOffset);
assert.equal(retirement.certified, true);
assert.equal(
  await client.readContract({ ...cnt.RetirementCertificate, functionName: "ownerOf", args: [retirementId] }),
  buyer.account.address,
);
const listing = await client.readContract({ ...cnt.CarbonMarketplace, functionName: "getListing", args: [listingId] });
assert.equal(listing.remaining, tonnes("500") - bought);

// ------------------------------------------------------------------------------------------ the batch from its logs

// The events of the batch's history, from the merged events ABI.
const events = {
  BatchMinted: getAbiItem({ abi: cntEventsAbi, name: "BatchMinted" }),
  UnitsRetired: getAbiItem({ abi: cntEventsAbi, name: "UnitsRetired" }),
  Cancelled: getAbiItem({ abi: cntEventsAbi, name: "Cancelled" }),
  TransferSingle: getAbiItem({ abi: cntEventsAbi, name: "TransferSingle" }),
  TransferBatch: getAbiItem({ abi: cntEventsAbi, name: "TransferBatch" }),
  Listed: getAbiItem({ abi: cntEventsAbi, name: "Listed" }),
};

const [minted, ...moreMints] = await client.getLogs({
  address: credit,
  event: events.BatchMinted,
  args: { id: batchId },
  fromBlock,
  strict: true,
});
assert.equal(moreMints.length, 0);
const issuedUnits = minted.args.issued;
assert.equal(minted.args.proponent, proponent.account.address);
const sum = (logs: { args: { amount: bigint } }[]) => logs.reduce((total, log) => total + log.args.amount, 0n);
const since = minted.blockNumber;
const retiredUnits = sum(
  await client.getLogs({
    address: credit,
    event: events.UnitsRetired,
    args: { id: batchId },
    fromBlock: since,
    strict: true,
  }),
);
const cancelledUnits = sum(
  await client.getLogs({
    address: credit,
    event: events.Cancelled,
    args: { id: batchId },
    fromBlock: since,
    strict: true,
  }),
);

// ERC-1155 transfers do not index the id: read the token's transfers since the mint and keep this batch's.
const transfers = await client.getLogs({
  address: credit,
  events: [events.TransferSingle, events.TransferBatch],
  fromBlock: since,
  strict: true,
});
const holders = new Map<Address, bigint>();
const move = (from: Address, to: Address, value: bigint) => {
  if (from !== zeroAddress) holders.set(from, (holders.get(from) ?? 0n) - value);
  if (to !== zeroAddress) holders.set(to, (holders.get(to) ?? 0n) + value);
};
for (const log of transfers) {
  if (log.eventName === "TransferSingle") {
    if (log.args.id === batchId) move(log.args.from, log.args.to, log.args.value);
  } else {
    log.args.ids.forEach((id, i) => id === batchId && move(log.args.from, log.args.to, log.args.values[i]));
  }
}
const tradable = [...holders.values()].reduce((a, b) => a + b, 0n);
assert.equal(issuedUnits, tradable + retiredUnits + cancelledUnits);

const supply = await client.readContract({ ...cnt.CarbonCredit, functionName: "supplyOf", args: [batchId] });
assert.equal(supply.issued, issuedUnits);
assert.equal(supply.retired, retiredUnits);
assert.equal(supply.cancelled, cancelledUnits);
assert.equal(retiredUnits, retiredAmount);
for (const [holder, balance] of holders) assert.equal(await balanceOf(holder), balance, `balance of ${holder}`);
// The buffer pool, the proponent, the friend, the marketplace's escrow and the buyer hold the batch.
assert.ok(holders.has(minted.args.bufferPool) && holders.get(marketplace) === listing.remaining);

// The batch's sales: the marketplace indexes the asset as (token, id).
const sales = await client.getContractEvents({
  ...cnt.CarbonMarketplace,
  eventName: "Bought",
  args: { token: credit, id: batchId },
  fromBlock: since,
  strict: true,
});
assert.equal(sales.length, 1);
assert.equal(
  sales.reduce((total, log) => total + log.args.amount, 0n),
  bought,
);
const listings = await client.getLogs({
  address: marketplace,
  event: events.Listed,
  args: { token: credit, id: batchId },
  fromBlock: since,
  strict: true,
});
assert.deepEqual(
  listings.map((log) => log.args.listingId),
  [listingId],
);

void typeLevelChecks;

console.log(
  `viem consumer: project #${projectId} (${externalRef}), ` +
    `batch #${batchId} (${formatTonnes(issued.args.toProponent)} issued), listing #${listingId}, ` +
    `bought ${formatTonnes(bought)}, retirement #${retirementId} (${formatTonnes(retiredAmount)}, certified), ` +
    `history of ${transfers.length} transfer log(s) replayed (${holders.size} holders), 3 reverts explained: ` +
    `every check passed`,
);

// ------------------------------------------------------------------------------------------ type-level checks

type ErrorName<A extends Abi> = Extract<A[number], { type: "error" }>["name"];
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T extends true>(): T | undefined {
  return undefined;
}

/**
 * Compiled, never run: each `@ts-expect-error` fails the build if viem stopped inferring from the package's ABIs
 * (the line would then compile, and the directive be unused); the positive checks fail if a result lost its type.
 */
async function typeLevelChecks(publicClient: PublicClient, logs: Log[]) {
  await publicClient.readContract({
    ...cnt.CarbonCredit,
    // @ts-expect-error -- CarbonCredit has no function supplyOff
    functionName: "supplyOff",
    args: [1n],
  });
  await publicClient.readContract({
    ...cnt.CarbonCredit,
    functionName: "supplyOf",
    // @ts-expect-error -- supplyOf takes a uint256 (bigint), not a string
    args: ["1"],
  });
  await publicClient.readContract({
    ...cnt.CarbonRegistry,
    functionName: "getProject",
    // @ts-expect-error -- getProject takes one argument
    args: [1n, 2n],
  });
  await publicClient.simulateContract({
    ...cnt.CarbonRegistry,
    functionName: "registerProject",
    args: [
      {
        // @ts-expect-error -- a uint32 is a number in viem, not a bigint
        methodologyId: 1n,
        bufferBps: 0,
        standardId: 1,
        externalRef: "GS-1",
        jurisdiction: "KE",
        uri: "",
      },
    ],
  });
  // @ts-expect-error -- the credit token emits no BatchMintd
  parseEventLogs({ abi: cnt.CarbonCredit.abi, logs, eventName: "BatchMintd" });
  await publicClient.getContractEvents({
    ...cnt.CarbonMarketplace,
    // @ts-expect-error -- the marketplace emits Bought, not Sold
    eventName: "Sold",
  });
  await publicClient.getContractEvents({
    ...cnt.CarbonMarketplace,
    eventName: "Bought",
    // @ts-expect-error -- Bought indexes listingId, token and id, not buyer
    args: { buyer: zeroAddress },
  });

  // Results inferred from the ABIs: a struct by field names, uint32 as number, uint88 as bigint, events' args.
  const issuedOf: bigint = (
    await publicClient.readContract({ ...cnt.CarbonCredit, functionName: "supplyOf", args: [1n] })
  ).issued;
  const supplyOf = await publicClient.readContract({ ...cnt.CarbonCredit, functionName: "supplyOf", args: [1n] });
  expectType<Equal<typeof supplyOf, { issued: bigint; retired: bigint; cancelled: bigint }>>();
  const r = await publicClient.readContract({ ...cnt.RetirementRegistry, functionName: "getRetirement", args: [1n] });
  expectType<Equal<typeof r.batchId, number>>();
  expectType<Equal<typeof r.amount, bigint>>();
  expectType<Equal<typeof r.beneficiary, Address>>();
  const p = await publicClient.readContract({ ...cnt.CarbonRegistry, functionName: "getProject", args: [1n] });
  const ref: string = p.externalRef;
  expectType<Equal<typeof p.jurisdiction, Hex>>();
  const [sold] = parseEventLogs({ abi: cntEventsAbi, logs, eventName: "Bought" });
  expectType<Equal<typeof sold.args.paid, bigint>>();
  expectType<Equal<typeof sold.eventName, "Bought">>();
  const [hint, clash] = await publicClient.readContract({
    ...cnt.CarbonRegistry,
    functionName: "findSerialHint",
    args: [zeroHash, 1n, 2n],
  });
  expectType<Equal<[typeof hint, typeof clash], [bigint, bigint]>>();
  return [issuedOf, ref];
}
