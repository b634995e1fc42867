/**
 * Run before `hardhat ignition deploy` on a local node (`npm run deploy:local`): when the node was restarted, the
 * Ignition journal of chain 31337 names contracts that no longer exist, and Ignition would skip deploying them. This
 * removes such a stale journal (and the stale `deployments/31337.json`), so the deployment starts fresh; a journal
 * whose contracts are all on chain is kept, which keeps a second deployment a no-op.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";

import { network } from "hardhat";

const { ethers } = await network.create();
const chainId = (await ethers.provider.getNetwork()).chainId;
if (chainId !== 31337n) throw new Error(`only for a local node (chain 31337), not chain ${chainId}`);
const root = path.resolve(import.meta.dirname, "..");
const journal = path.join(root, "deploy", "deployments", `chain-${chainId}`);

let addresses: string[] = [];
try {
  addresses = Object.values(JSON.parse(await readFile(path.join(journal, "deployed_addresses.json"), "utf8")));
} catch {
  // no journal yet
}
const missing = [];
for (const address of addresses) if ((await ethers.provider.getCode(address)) === "0x") missing.push(address);
if (missing.length > 0) {
  await rm(journal, { recursive: true, force: true });
  await rm(path.join(root, "deployments", `${chainId}.json`), { force: true });
  console.log(
    `The node has none of the ${missing.length} contracts of the last local deployment (restarted?): deploying afresh.`,
  );
}
