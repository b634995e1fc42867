/**
 * A third-party application built only on the package's public exports (`cnt-protocol`, `cnt-protocol/typechain`,
 * `cnt-protocol/abi/*`): it connects to the suite deployed on a local node, registers a project, has it verified
 * and issued, lists and buys credits, retires them, and checks every result read back from the chain. Copied into
 * a fresh project outside the repository by `scripts/consumer/run.sh`, compiled with `tsc` (strict, nodenext), and the
 * emitted JavaScript run on Node 22 and on Node 20 (the JSON ABI's import attribute included). Re-runnable on one node:
 * each run registers its own project and batch. `scripts/consumer/viem-consumer.ts` is the same app with viem alone.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { Contract, JsonRpcProvider, id } from "ethers";

import {
  CntArgumentError,
  CntContractError,
  ClaimType,
  connect,
  explainError,
  formatTonnes,
  tonnes,
  toTonnes,
  type Deployment,
} from "cnt-protocol";
import { CarbonRegistry__factory } from "cnt-protocol/typechain";
import registryAbi from "cnt-protocol/abi/CarbonRegistry.json" with { type: "json" };

const deployment = JSON.parse(readFileSync(process.env.CNT_DEPLOYMENT!, "utf8")) as Deployment;
// The node the end-to-end run started, at the URL it read from hardhat.config.ts.
const provider = new JsonRpcProvider(process.env.CNT_NODE_URL!, undefined, { staticNetwork: true });
const [registrar, verifier] = [deployment.roles.REGISTRAR.holders[0], deployment.roles.VERIFIER.holders[0]].map((a) =>
  provider.getSigner(a),
);
const proponent = await provider.getSigner(14);
const buyer = await provider.getSigner(15);
const stablecoin = deployment.paymentTokens[0].address;

// Arguments are checked before anything is sent.
assert.throws(() => tonnes("-1"), CntArgumentError);
assert.throws(() => tonnes("0.0001"), CntArgumentError);
assert.equal(tonnes("12.5"), 12_500n);
assert.equal(toTonnes(12_500n), "12.5");
await assert.rejects(
  connect(proponent, 1),
  (e: unknown) => e instanceof CntArgumentError && /chain 31337/.test(e.message),
);

const asRegistrar = await connect(await registrar, deployment);
const asVerifier = await connect(await verifier, deployment);
const asProponent = await connect(proponent, deployment);
const asBuyer = await connect(buyer, deployment);
assert.equal(asBuyer.chainId, 31337n);
await assert.rejects(
  asProponent.registerProject({ methodologyId: 0, standard: "GS", externalRef: "GS-1", jurisdiction: "KE" }),
  CntArgumentError,
);

// The typed contracts are there for everything the helpers do not cover.
const registry = asRegistrar.contracts.registry;
await (await registry.addMethodology("GS-TPDDTEC", 1, "ipfs://gold-standard-cookstoves")).wait();
const methodologyId = (await registry.counts()).methodologies;
await (await registry.accreditVerifier(await (await verifier).getAddress(), methodologyId)).wait();

// Standards are the registrar's: "GS" is added once per deployment; projects name it by code (or id).
if ((await registry.standardIdOf("GS")) === 0n) await asRegistrar.addStandard("GS", "https://goldstandard.org");
await assert.rejects(
  asProponent.registerProject({ methodologyId, standard: "gs", externalRef: "GS-1", jurisdiction: "KE" }),
  CntArgumentError,
);
// One project per external reference: each run registers its own.
const externalRef = `GS-11204-${(await registry.counts()).projects + 1n}`;
const { projectId } = await asProponent.registerProject({
  methodologyId,
  standard: "GS",
  externalRef,
  jurisdiction: "KE-30",
  bufferBps: 500,
});
await (await registry.approveProject(projectId, id("approved"))).wait();
const { reportId } = await asProponent.submitReport({
  projectId,
  periodStart: 1_704_067_200n, // 2024-01-01
  periodEnd: 1_735_603_200n, // 2024-12-31
  quantity: tonnes("2000"),
  serialStart: projectId * 10_000_000n, // clear of other runs' ranges in the GS namespace
  reportHash: id(`GS-11204 monitoring report 2024, project ${projectId}`),
});
await asVerifier.verifyReport(reportId, id(`GS-11204 verification 2024, project ${projectId}`));
const batch = await asRegistrar.issueBatch(reportId);
assert.equal(batch.toProponent, tonnes("1900"));
assert.equal(batch.buffer, tonnes("100"));

// A revert comes back as the decoded custom error, with its sentence.
await assert.rejects(asRegistrar.issueBatch(reportId), (e: unknown) => {
  assert.ok(e instanceof CntContractError);
  assert.equal(e.error.name, "CarbonRegistryInvalidReportStatus");
  assert.equal(explainError(e.cause), e.message);
  return true;
});

// List, buy with the local test stablecoin (open mint), retire with a certificate.
const usdc = new Contract(stablecoin, ["function mint(address to, uint256 amount)"], buyer);
await (await usdc.mint(await buyer.getAddress(), 10_000_000_000n)).wait();
const now = BigInt((await provider.getBlock("latest"))!.timestamp);
const { listingId } = await asProponent.list({
  id: batch.batchId,
  amount: tonnes("500"),
  unitPrice: 15_000n, // 15 USDCm per tonne
  paymentToken: stablecoin,
  expiry: now + 86_400n,
});
const bought = await asBuyer.buy({ listingId, amount: tonnes("200") });
assert.equal(bought.paid, 200_000n * 15_000n);
const retired = await asBuyer.retire({
  batchId: batch.batchId,
  amount: tonnes("150"),
  beneficiaryName: "Consumer Co",
  claimType: ClaimType.VoluntaryOffset,
});
assert.equal(retired.certified, true);
assert.equal(retired.serialEnd - retired.serialStart + 1n, tonnes("150"));

// Read back: balances, the retirement record, the certificate, through helpers, bindings and raw ABIs alike.
const buyerAddress = await buyer.getAddress();
const credit = asBuyer.contracts.credit;
assert.equal(await credit.balanceOf(buyerAddress, batch.batchId), tonnes("50")); // a new batch every run
assert.equal(await credit.retiredBalanceOf(buyerAddress, batch.batchId), tonnes("150"));
const mine = await asBuyer.retirementsOf(buyerAddress);
assert.equal(mine[0].retirementId, retired.retirementId); // newest first
assert.equal(mine[0].amount, tonnes("150"));
assert.equal(await asBuyer.contracts.certificate.ownerOf(retired.retirementId), buyerAddress);
const viaFactory = CarbonRegistry__factory.connect(deployment.contracts.CarbonRegistry, provider);
assert.equal((await viaFactory.getBatch(batch.batchId)).projectId, projectId);
const viaAbi = new Contract(deployment.contracts.CarbonRegistry, registryAbi, provider);
assert.equal(await viaAbi.bufferBalance(projectId), tonnes("100"));

console.log(
  `consumer: project #${projectId}, batch #${batch.batchId} (${formatTonnes(batch.toProponent)} issued), ` +
    `listing #${listingId}, bought ${formatTonnes(tonnes("200"))}, retirement #${retired.retirementId} ` +
    `(${formatTonnes(tonnes("150"))}, certified): every check passed`,
);
