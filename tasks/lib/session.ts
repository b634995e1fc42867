/**
 * A CLI session: the network connection, the recorded deployment on its chain, the suite's typed contracts bound to
 * the signer chosen with `--from`, and helpers to send a transaction and print readable results.
 */
import type { HardhatEthers, HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import type { BaseContract, ContractTransactionResponse, Interface, Log, TransactionReceipt } from "ethers";
import { Contract, getAddress } from "ethers";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readDeployment, type Deployment, type DeploymentRoleName } from "../../sdk/deployments.js";
import { findCntError, formatTonnes, type ErrorLabels } from "../../sdk/errors.js";
import { Roles } from "../../scripts/lib/roles.js";
import { requireAddress } from "../../sdk/address.js";
import { contractsAt, type CntContracts } from "../../sdk/client.js";

/** A failure explained in one sentence (not a usage error): printed as is, exit code 1. */
export class CliError extends Error {}

const ERC20_ABI = [
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function balanceOf(address) view returns (uint256)",
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
  "function mint(address to, uint256 amount)",
];

export interface TokenInfo {
  address: string;
  symbol: string;
  decimals: number;
  contract: Contract;
}

async function nodeUrl(hre: HardhatRuntimeEnvironment, networkName: string): Promise<string | undefined> {
  const config = hre.config.networks[networkName];
  if (config?.type !== "http") return undefined;
  const url = config.url as unknown;
  if (typeof url === "string") return url;
  const variable = url as { getUrl?: () => Promise<string>; get?: () => Promise<string> };
  return (await variable.getUrl?.()) ?? (await variable.get?.());
}

export type Suite = CntContracts;

export interface Session {
  networkName: string;
  chainId: bigint;
  ethers: HardhatEthers;
  deployment: Deployment;
  /** The suite bound to the signer. */
  c: Suite;
  signer: HardhatEthersSigner;
  /** Names for addresses and keys in decoded errors. */
  labels: ErrorLabels & { names: Map<string, string> };
  /** Resolves an account given as an address, a node account index, or a role name of the deployment. */
  account(text: string, what: string): Promise<string>;
  /** `0xAbC…1234 (REGISTRAR)` for known accounts, the checksummed address otherwise. */
  name(address: string): string;
  /** An ERC-20: the one given, or the deployment's first payment token. */
  token(address?: string): Promise<TokenInfo>;
  /** Sends a transaction, waits for it and prints one line with its hash, block and gas. */
  send(what: string, tx: () => Promise<ContractTransactionResponse>): Promise<TransactionReceipt>;
  /** The decoded `eventName` logs of `contract` in `receipt`. */
  events(receipt: TransactionReceipt, contract: BaseContract, eventName: string): Record<string, unknown>[];
  /** The latest block's timestamp. */
  now(): Promise<bigint>;
  /** Prints `label: value` lines aligned. */
  show(rows: [string, string][]): void;
  close(): Promise<void>;
}

export async function openSession(hre: HardhatRuntimeEnvironment, from: string): Promise<Session> {
  // The CLI talks to a running node by default: the in-process network starts empty on every command.
  const networkName = hre.globalOptions.network ?? "localhost";
  const url = await nodeUrl(hre, networkName);
  let connection;
  let chainId: bigint;
  try {
    connection = await hre.network.create(networkName);
    chainId = (await connection.ethers.provider.getNetwork()).chainId;
  } catch (error) {
    if (url !== undefined && /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|connect|fetch failed|socket/i.test(String(error))) {
      throw new CliError(
        networkName === "localhost"
          ? `no node at ${url} — start one with npm run node`
          : `no node answers at the ${networkName} RPC URL (${(error as Error).message.split("\n")[0]})`,
      );
    }
    throw error;
  }
  const { ethers } = connection;

  let deployment: Deployment | undefined;
  try {
    deployment = await readDeployment(chainId);
  } catch (error) {
    // A record of an older shape, or edited by hand: the message names the file and the first bad field.
    throw new CliError(
      `${(error as Error).message} — record the deployment again with ` +
        (networkName === "localhost" ? "npm run deploy:local" : "scripts/export-deployment.ts"),
    );
  }
  if (deployment === undefined) {
    throw new CliError(
      `no CNT deployment is recorded for chain ${chainId} (deployments/${chainId}.json) — deploy with ` +
        (networkName === "localhost" ? "npm run deploy:local" : "Ignition and scripts/export-deployment.ts"),
    );
  }
  if ((await ethers.provider.getCode(deployment.contracts.CarbonRegistry)) === "0x") {
    throw new CliError(
      `chain ${chainId} has no contract at the registry address recorded in deployments/${chainId}.json ` +
        `(${deployment.contracts.CarbonRegistry}): the node was restarted? Deploy again with npm run deploy:local`,
    );
  }

  const names = new Map<string, string>();
  for (const [name, address] of Object.entries(deployment.contracts)) names.set(address.toLowerCase(), name);
  for (const [role, { holders }] of Object.entries(deployment.roles)) {
    for (const holder of holders) {
      const key = holder.toLowerCase();
      names.set(key, names.has(key) ? `${names.get(key)}, ${role}` : role);
    }
  }

  const signers = await ethers.getSigners();
  async function account(text: string, what: string): Promise<string> {
    const role = text.toUpperCase();
    if (text.startsWith("0x")) {
      try {
        return requireAddress(what, text);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
    }
    if (/^\d+$/.test(text)) {
      const index = Number(text);
      if (index >= signers.length) {
        throw new CliError(`${what}: account index ${index} does not exist (the node has ${signers.length} accounts)`);
      }
      return signers[index].address;
    }
    const holders = deployment!.roles[role as DeploymentRoleName]?.holders;
    if (holders === undefined || holders.length === 0) {
      const known = Object.entries(deployment!.roles)
        .filter(([, r]) => r.holders.length > 0)
        .map(([name]) => name)
        .join(", ");
      throw new CliError(`${what}: "${text}" is not an address, an account index, or a role with holders (${known})`);
    }
    return holders[0];
  }

  const fromAddress = from === "" ? signers[0]?.address : await account(from, "--from");
  if (fromAddress === undefined) throw new CliError(`network ${networkName} has no account to sign with`);
  const signer = signers.find((s) => s.address === fromAddress);
  if (signer === undefined) {
    throw new CliError(`--from: ${fromAddress} cannot sign on ${networkName} (not one of its configured accounts)`);
  }

  // Remember the last transaction request: a refused call's error does not say which function it called.
  let lastRequest: { to?: string; data?: string } | undefined;
  const sendTransaction = signer.sendTransaction.bind(signer);
  signer.sendTransaction = async (request) => {
    lastRequest = { to: typeof request.to === "string" ? request.to : undefined, data: request.data ?? undefined };
    return sendTransaction(request);
  };
  const c = contractsAt(deployment.contracts, signer);
  const tokens = new Map<string, TokenInfo>();
  const [, treasury] = await c.marketplace.feeInfo();
  for (const address of [treasury, ...Object.values(deployment.treasury)]) {
    if (!names.has(address.toLowerCase())) names.set(address.toLowerCase(), "treasury");
  }

  /** For a missing role: which function was refused, and which role (held by whom) it needs. */
  async function explainUnauthorized(error: unknown): Promise<CliError | undefined> {
    const decoded = findCntError(error, { names });
    const transaction = lastRequest;
    if (decoded?.name !== "AccessManagedUnauthorized" || !transaction?.to || !transaction.data) return undefined;
    const target = getAddress(transaction.to);
    const selector = transaction.data.slice(0, 10);
    const contract = Object.values(c).find((k) => (k.target as string).toLowerCase() === target.toLowerCase());
    const fragment = (contract?.interface as Interface | undefined)?.getFunction(selector);
    const roleId = await c.manager.getTargetFunctionRole(target, selector);
    const role = (Object.entries(Roles).find(([, id]) => id === roleId)?.[0] ?? `#${roleId}`) as string;
    const holders = deployment!.roles[role as DeploymentRoleName]?.holders ?? [];
    const caller = getAddress(String(decoded.args.caller));
    const callerName = names.has(caller.toLowerCase()) ? `${caller} (${names.get(caller.toLowerCase())})` : caller;
    return new CliError(
      `${callerName} may not call ${names.get(target.toLowerCase()) ?? target}.${fragment?.name ?? selector}: it needs ` +
        `the ${role} role` +
        (holders.length
          ? `, held by ${holders.join(", ")}; run it with --from ${role.toLowerCase()}`
          : ", which no one holds"),
    );
  }

  return {
    networkName,
    chainId,
    ethers,
    deployment,
    c,
    signer,
    labels: { names },
    account,
    name(address: string) {
      const label = names.get(address.toLowerCase());
      const checksummed = getAddress(address);
      return label ? `${checksummed} (${label})` : checksummed;
    },
    async token(address?: string) {
      const target = address ?? deployment.paymentTokens[0]?.address;
      if (target === undefined) {
        throw new CliError(`no payment token is allowed on this deployment's marketplace; give one with --token`);
      }
      const key = getAddress(target);
      if (!tokens.has(key)) {
        if ((await ethers.provider.getCode(key)) === "0x") throw new CliError(`no token contract at ${key}`);
        const contract = new Contract(key, ERC20_ABI, signer);
        const [symbol, decimals] = await Promise.all([contract.symbol(), contract.decimals()]);
        tokens.set(key, { address: key, symbol, decimals: Number(decimals), contract });
        if (!names.has(key.toLowerCase())) names.set(key.toLowerCase(), symbol);
      }
      return tokens.get(key)!;
    },
    async send(what, tx) {
      let response: ContractTransactionResponse;
      try {
        response = await tx();
      } catch (error) {
        throw (await explainUnauthorized(error)) ?? error;
      }
      const receipt = await response.wait();
      if (receipt === null) throw new CliError(`${what}: the transaction ${response.hash} was dropped`);
      console.log(
        `✓ ${what}  (tx ${receipt.hash.slice(0, 10)}…, block ${receipt.blockNumber}, gas ${receipt.gasUsed})`,
      );
      return receipt;
    },
    events(receipt, contract, eventName) {
      const target = (contract.target as string).toLowerCase();
      return receipt.logs
        .filter((log: Log) => log.address.toLowerCase() === target)
        .map((log: Log) => contract.interface.parseLog(log))
        .filter((parsed) => parsed !== null && parsed.name === eventName)
        .map((parsed) => parsed!.args.toObject(true) as Record<string, unknown>);
    },
    async now() {
      return BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    },
    show(rows) {
      const width = Math.max(...rows.map(([label]) => label.length));
      for (const [label, value] of rows) console.log(`  ${label.padEnd(width)}  ${value}`);
    },
    close: () => connection.close(),
  };
}

/** Re-exported so handlers format amounts the same way as decoded errors. */
export { formatTonnes };
