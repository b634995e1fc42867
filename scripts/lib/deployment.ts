import { readFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import { getAddress } from "ethers";

import { SuiteContracts, type Deployment, type SuiteContractName } from "../../sdk/deployments.js";
import { AccessManager__factory, CarbonMarketplace__factory } from "../../typechain-types/index.js";
import { Roles, type RoleName } from "./roles.js";

/**
 * Builds the deployment record of an Ignition deployment (`deploy/deployments/chain-<id>/`): the suite's addresses
 * from `deployed_addresses.json`, the first block from the journal, and, read back from the chain, the holders of each
 * role (AccessManager `RoleGranted` / `RoleRevoked`) and the marketplace's payment tokens (`PaymentTokenAllowed`).
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

  const manager = AccessManager__factory.connect(contracts.AccessManager, ethers.provider);
  const holders = new Map<bigint, Set<string>>();
  const events = [
    ...(await manager.queryFilter(manager.filters.RoleGranted(), fromBlock)),
    ...(await manager.queryFilter(manager.filters.RoleRevoked(), fromBlock)),
  ].sort((a, b) => a.blockNumber - b.blockNumber || a.index - b.index);
  for (const event of events) {
    const set = holders.get(event.args.roleId) ?? new Set<string>();
    if (event.eventName === "RoleGranted") set.add(getAddress(event.args.account));
    else set.delete(getAddress(event.args.account));
    holders.set(event.args.roleId, set);
  }
  const roles: Record<string, string[]> = {};
  for (const [name, roleId] of Object.entries(Roles) as [RoleName, bigint][]) {
    const set = holders.get(roleId);
    if (set && set.size > 0) roles[name] = [...set];
  }

  const marketplace = CarbonMarketplace__factory.connect(contracts.CarbonMarketplace, ethers.provider);
  const allowed = new Map<string, boolean>();
  for (const event of await marketplace.queryFilter(marketplace.filters.PaymentTokenAllowed(), fromBlock)) {
    allowed.set(getAddress(event.args.token), event.args.allowed);
  }
  const paymentTokens = [...allowed].filter(([, ok]) => ok).map(([token]) => token);

  return { chainId, network: networkName, fromBlock, contracts, paymentTokens, roles };
}
