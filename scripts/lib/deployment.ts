import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { Contract, getAddress, type Provider } from "ethers";

import {
  SuiteContracts,
  deploymentsDir,
  type Deployment,
  type DeploymentRole,
  type DeploymentRoleName,
  type PaymentToken,
  type SuiteContractName,
} from "../../sdk/deployments.js";
import {
  AccessManager__factory,
  AllowanceAuction__factory,
  CarbonMarketplace__factory,
  ComplianceRegistry__factory,
} from "../../typechain-types/index.js";
import { Roles, type RoleName } from "./roles.js";

const ERC20_METADATA_ABI = [
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
];

/** What a record holds besides the addresses: read from the chain at the latest block. */
export type DeploymentState = Pick<Deployment, "roles" | "treasury" | "feeBps" | "paymentTokens">;

/**
 * Reads back from the chain what a deployment record holds besides its addresses: every named role of `roles.ts`
 * with its id and current holders (AccessManager `RoleGranted` / `RoleRevoked` since `fromBlock`, each candidate
 * confirmed with `hasRole`), the treasury of the marketplace, the compliance registry and the auction (their
 * getters), the marketplace fee (`feeInfo`), and the marketplace's payment tokens (`PaymentTokenAllowed` since
 * `fromBlock`, confirmed with `isPaymentTokenAllowed`) with each token's name, symbol and decimals.
 */
export async function readDeploymentState(
  provider: Provider,
  contracts: Record<SuiteContractName, string>,
  fromBlock: number,
): Promise<DeploymentState> {
  const manager = AccessManager__factory.connect(contracts.AccessManager, provider);
  const candidates = new Map<bigint, Set<string>>();
  const events = [
    ...(await manager.queryFilter(manager.filters.RoleGranted(), fromBlock)),
    ...(await manager.queryFilter(manager.filters.RoleRevoked(), fromBlock)),
  ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  for (const event of events) {
    const set = candidates.get(event.args.roleId) ?? new Set<string>();
    if (event.eventName === "RoleGranted") set.add(getAddress(event.args.account));
    else set.delete(getAddress(event.args.account));
    candidates.set(event.args.roleId, set);
  }
  const roles = {} as Record<RoleName, DeploymentRole>;
  for (const [name, roleId] of Object.entries(Roles) as [RoleName, bigint][]) {
    const holders: string[] = [];
    for (const account of candidates.get(roleId) ?? []) {
      // A grant with a delay is not effective yet: only members count.
      if ((await manager.hasRole(roleId, account)).isMember) holders.push(account);
    }
    roles[name] = { id: roleId.toString(), holders };
  }

  const marketplace = CarbonMarketplace__factory.connect(contracts.CarbonMarketplace, provider);
  const compliance = ComplianceRegistry__factory.connect(contracts.ComplianceRegistry, provider);
  const auction = AllowanceAuction__factory.connect(contracts.AllowanceAuction, provider);
  const [feeBps, marketTreasury] = await marketplace.feeInfo();
  const treasury = {
    CarbonMarketplace: getAddress(marketTreasury),
    ComplianceRegistry: getAddress(await compliance.treasury()),
    AllowanceAuction: getAddress(await auction.treasury()),
  };

  const tokens = new Set<string>();
  for (const event of await marketplace.queryFilter(marketplace.filters.PaymentTokenAllowed(), fromBlock)) {
    tokens.add(getAddress(event.args.token));
  }
  const paymentTokens: PaymentToken[] = [];
  for (const token of tokens) {
    if (!(await marketplace.isPaymentTokenAllowed(token))) continue;
    const erc20 = new Contract(token, ERC20_METADATA_ABI, provider);
    const [name, symbol, decimals] = await Promise.all([erc20.name(), erc20.symbol(), erc20.decimals()]);
    paymentTokens.push({ address: token, name: String(name), symbol: String(symbol), decimals: Number(decimals) });
  }

  return { roles, treasury, feeBps: Number(feeBps), paymentTokens };
}

/**
 * Builds the deployment record of an Ignition deployment (`deploy/deployments/chain-<id>/`): the suite's addresses
 * from `deployed_addresses.json`, the first block from the journal, and the rest read back from the chain
 * ({@link readDeploymentState}).
 */
export async function recordIgnitionDeployment(
  ethers: HardhatEthers,
  networkName: string,
  deploymentDir: string,
): Promise<Deployment> {
  const chainId = Number((await ethers.provider.getNetwork()).chainId);
  const futures = JSON.parse(await readFile(path.join(deploymentDir, "deployed_addresses.json"), "utf8")) as Record<
    string,
    string
  >;
  const contracts = {} as Record<SuiteContractName, string>;
  for (const name of SuiteContracts) {
    const address = futures[`CNT#${name}`];
    if (address === undefined) throw new Error(`${deploymentDir} has no CNT#${name}: is it a CNT deployment?`);
    contracts[name] = getAddress(address);
  }

  const journal = await readFile(path.join(deploymentDir, "journal.jsonl"), "utf8");
  const blocks = journal
    .split("\n")
    .filter((line) => line.includes('"TRANSACTION_CONFIRM"'))
    .map((line) => Number((JSON.parse(line) as { receipt: { blockNumber: number } }).receipt.blockNumber));
  const fromBlock = Math.min(...blocks);

  const state = await readDeploymentState(ethers.provider, contracts, fromBlock);
  return { chainId, network: networkName, fromBlock, contracts, ...state };
}

/**
 * Writes the record of `deployment.chainId` as `<chainId>.json` in `dir` (default the package's `deployments/`) and
 * returns the file's path.
 */
export async function writeDeployment(deployment: Deployment, dir?: string | URL): Promise<string> {
  const folder =
    dir === undefined ? fileURLToPath(await deploymentsDir()) : dir instanceof URL ? fileURLToPath(dir) : dir;
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, `${deployment.chainId}.json`);
  await writeFile(file, `${JSON.stringify(deployment, null, 2)}\n`);
  return file;
}
