/**
 * Records the Ignition deployment of the network it runs on in `deployments/<chainId>.json`, the file the CLI tasks
 * and applications read: `npx hardhat run scripts/export-deployment.ts --network <name>` (run by
 * `npm run deploy:local` after Ignition).
 */
import path from "node:path";

import { network } from "hardhat";

import { writeDeployment } from "../sdk/deployments.js";
import { recordIgnitionDeployment } from "./lib/deployment.js";

const { ethers, networkName } = await network.create();
const chainId = (await ethers.provider.getNetwork()).chainId;
const ignitionDir = path.resolve(import.meta.dirname, "..", "deploy", "deployments", `chain-${chainId}`);
const deployment = await recordIgnitionDeployment(ethers, networkName, ignitionDir);
const file = await writeDeployment(deployment);
console.log(
  `Recorded the CNT deployment on chain ${chainId} (${networkName}) in ${path.relative(process.cwd(), file)}`,
);
for (const [name, address] of Object.entries(deployment.contracts)) console.log(`  ${name.padEnd(22)} ${address}`);
