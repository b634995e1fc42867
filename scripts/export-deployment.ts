/**
 * Records the Ignition deployment of the network it runs on in `deployments/<chainId>.json`, the file the CLI tasks
 * and applications read: `npx hardhat run scripts/export-deployment.ts --network <name>` (run by
 * `npm run deploy:local` after Ignition).
 */
import path from "node:path";

import { network } from "hardhat";

import { recordIgnitionDeployment, writeDeployment } from "./lib/deployment.js";

const { ethers, networkName } = await network.create();
const chainId = (await ethers.provider.getNetwork()).chainId;
const ignitionDir = path.resolve(import.meta.dirname, "..", "deploy", "deployments", `chain-${chainId}`);
const deployment = await recordIgnitionDeployment(ethers, networkName, ignitionDir);
const file = await writeDeployment(deployment);
console.log(
  `Recorded the CNT deployment on chain ${chainId} (${networkName}) in ${path.relative(process.cwd(), file)}`,
);
const rows: [string, string][] = [
  ...Object.entries(deployment.contracts),
  ...Object.entries(deployment.roles).map(([name, role]): [string, string] => [
    `${name} (${role.id})`,
    role.holders.join(", ") || "-",
  ]),
  ["fee", `${deployment.feeBps} bps`],
  ...Object.entries(deployment.treasury).map(([name, treasury]): [string, string] => [`${name} treasury`, treasury]),
  ...deployment.paymentTokens.map((t): [string, string] => [`${t.symbol} (${t.decimals} decimals)`, t.address]),
];
const width = Math.max(...rows.map(([label]) => label.length));
for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
