/**
 * Deployment records: what a dApp needs to know about one CNT deployment, per chain id, in
 * `deployments/<chainId>.json` — the suite's addresses, the block to start reading events from, the role ids and
 * holders, the treasuries, the marketplace fee and the payment tokens. Written by `scripts/export-deployment.ts`
 * after an Ignition deployment; read by the CLI tasks and by applications.
 *
 * This module imports neither ethers nor any Node.js module at load, so a browser bundle can use it: only the
 * functions that read files ({@link readDeployment}, {@link readDeploymentFile}, {@link recordedChains},
 * {@link deploymentsDir}) load `node:fs/promises`, when called. {@link parseDeployment} and
 * {@link deploymentOnNode} with `options.record` run anywhere `fetch` does.
 */
import { Roles, type RoleName } from "./generated/solidity.js";

/** The suite's production contracts, by contract name. */
export const SuiteContracts = [
  "AccessManager",
  "CarbonRegistry",
  "CarbonCredit",
  "RetirementCertificate",
  "RetirementRegistry",
  "CarbonMarketplace",
  "EmissionsLedger",
  "ComplianceRegistry",
  "EmissionAllowance",
  "AllowanceAuction",
] as const;

export type SuiteContractName = (typeof SuiteContracts)[number];

/** The named roles of the suite's AccessManager (`contracts/access/Roles.sol`), each one in every record. */
export const DeploymentRoleNames = Object.keys(Roles) as readonly RoleName[];

export type DeploymentRoleName = RoleName;

/** A role of the AccessManager in a record. */
export interface DeploymentRole {
  /** The role id as a decimal string (PUBLIC is 2^64 − 1, beyond a number's exact range): `BigInt(id)` for calls. */
  id: string;
  /** The accounts holding the role when the record was written, checksummed; possibly none (PUBLIC never has any). */
  holders: string[];
}

/** The contracts that receive funds, and the treasury each one pays. */
export interface DeploymentTreasury {
  /** Receives the marketplace's fees. */
  CarbonMarketplace: string;
  /** Receives compliance penalties. */
  ComplianceRegistry: string;
  /** Receives the allowance auctions' proceeds. */
  AllowanceAuction: string;
}

/** An ERC-20 the marketplace accepts as payment, with its metadata read from the token. */
export interface PaymentToken {
  address: string;
  name: string;
  symbol: string;
  decimals: number;
}

/** One CNT deployment, as recorded in `deployments/<chainId>.json`. Every value was read from the chain. */
export interface Deployment {
  chainId: number;
  /** The Hardhat network the deployment was recorded from. */
  network: string;
  /** The block of the first contract's deployment: where an indexer starts reading events. */
  fromBlock: number;
  /** The suite's addresses by contract name, checksummed. */
  contracts: Record<SuiteContractName, string>;
  /** Every named AccessManager role: its id and its holders when the deployment was recorded. */
  roles: Record<DeploymentRoleName, DeploymentRole>;
  /** The treasury of each contract that collects funds, when the deployment was recorded. */
  treasury: DeploymentTreasury;
  /** The marketplace's protocol fee in basis points (100 = 1%), when the deployment was recorded. */
  feeBps: number;
  /** The ERC-20s the marketplace accepted as payment when the deployment was recorded. */
  paymentTokens: PaymentToken[];
}

/** The contracts of {@link DeploymentTreasury}, in the order a record lists them. */
const TREASURY_CONTRACTS = ["CarbonMarketplace", "ComplianceRegistry", "AllowanceAuction"] as const;

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const MAX_FEE_BPS = 10_000;

// ------------------------------------------------------------------------------------------------ validation

/** A bad field of a record: `${source}: ${field} ${problem}`. */
function bad(source: string, field: string, problem: string): Error {
  return new Error(`${source}: ${field} ${problem}`);
}

function shown(value: unknown): string {
  if (value === undefined) return "missing";
  return `${JSON.stringify(value) ?? String(value)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function object(source: string, field: string, value: unknown): Record<string, unknown> {
  if (!isObject(value)) throw bad(source, field, `must be an object, not ${shown(value)}`);
  return value;
}

function address(source: string, field: string, value: unknown): string {
  if (typeof value !== "string" || !ADDRESS.test(value)) {
    throw bad(source, field, `must be an address (0x and 40 hex digits), not ${shown(value)}`);
  }
  return value;
}

function integer(source: string, field: string, value: unknown, min: number, max: number, what: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw bad(source, field, `must be ${what}, not ${shown(value)}`);
  }
  return value;
}

function text(source: string, field: string, value: unknown): string {
  if (typeof value !== "string") throw bad(source, field, `must be a string, not ${shown(value)}`);
  return value;
}

function array(source: string, field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw bad(source, field, `must be an array, not ${shown(value)}`);
  return value;
}

/**
 * Checks that `json` (a parsed record, e.g. `JSON.parse` of `deployments/<chainId>.json` or of a fetched file) has
 * the shape of a {@link Deployment}, and returns it as one (a copy holding the record's fields only). A record
 * written by an older version of the package, or edited by hand, is refused rather than half-read.
 *
 * @param json - The parsed record.
 * @param source - Where it came from (a path, a URL, "options.record"), for the error.
 * @returns The record.
 * @throws Error naming `source` and the first bad field, e.g.
 *   `deployments/31337.json: contracts.CarbonRegistry must be an address (0x and 40 hex digits), not "0x12"`.
 *   Checked in the record's order: `chainId` (a positive integer), `network` (a string), `fromBlock` (an integer
 *   from 0), `contracts` (every suite contract), `roles` (every named role, with `id` a decimal string and `holders`
 *   addresses), `treasury` (its three contracts), `feeBps` (0 to 10,000), `paymentTokens` (address, name, symbol,
 *   decimals 0 to 255 each).
 */
export function parseDeployment(json: unknown, source: string): Deployment {
  if (!isObject(json)) throw new Error(`${source}: a deployment record must be a JSON object, not ${shown(json)}`);
  const chainId = integer(source, "chainId", json.chainId, 1, Number.MAX_SAFE_INTEGER, "a positive integer");
  const network = text(source, "network", json.network);
  const fromBlock = integer(source, "fromBlock", json.fromBlock, 0, Number.MAX_SAFE_INTEGER, "an integer from 0");

  const contractsIn = object(source, "contracts", json.contracts);
  const contracts = {} as Record<SuiteContractName, string>;
  for (const name of SuiteContracts) contracts[name] = address(source, `contracts.${name}`, contractsIn[name]);

  const rolesIn = object(source, "roles", json.roles);
  const roles = {} as Record<DeploymentRoleName, DeploymentRole>;
  for (const name of DeploymentRoleNames) {
    const role = object(source, `roles.${name}`, rolesIn[name]);
    if (typeof role.id !== "string" || !/^(0|[1-9]\d*)$/.test(role.id)) {
      throw bad(source, `roles.${name}.id`, `must be a decimal string, not ${shown(role.id)}`);
    }
    const holders = array(source, `roles.${name}.holders`, role.holders).map((holder, i) =>
      address(source, `roles.${name}.holders[${i}]`, holder),
    );
    roles[name] = { id: role.id, holders };
  }

  const treasuryIn = object(source, "treasury", json.treasury);
  const treasury = {} as DeploymentTreasury;
  for (const name of TREASURY_CONTRACTS) treasury[name] = address(source, `treasury.${name}`, treasuryIn[name]);

  const feeBps = integer(source, "feeBps", json.feeBps, 0, MAX_FEE_BPS, "an integer from 0 to 10000 (basis points)");

  const paymentTokens = array(source, "paymentTokens", json.paymentTokens).map((entry, i): PaymentToken => {
    const field = `paymentTokens[${i}]`;
    const token = object(source, field, entry);
    return {
      address: address(source, `${field}.address`, token.address),
      name: text(source, `${field}.name`, token.name),
      symbol: text(source, `${field}.symbol`, token.symbol),
      decimals: integer(source, `${field}.decimals`, token.decimals, 0, 255, "an integer from 0 to 255"),
    };
  });

  return { chainId, network, fromBlock, contracts, roles, treasury, feeBps, paymentTokens };
}

// ------------------------------------------------------------------------------------------------ files (Node)

type Fs = typeof import("node:fs/promises");

/** `node:fs/promises`, loaded when a function first reads a file (never at this module's load). */
async function fs(): Promise<Fs> {
  try {
    // Kept out of browser bundles: the magic comments tell webpack and Vite not to resolve or bundle it.
    return await import(/* webpackIgnore: true */ /* @vite-ignore */ "node:fs/promises");
  } catch {
    throw new Error(
      "reading deployment records from files needs Node.js: in a browser, pass the record itself (options.record)",
    );
  }
}

function errorCode(error: unknown): string | undefined {
  return (error as { code?: unknown } | null)?.code as string | undefined;
}

let packageDir: Promise<URL> | undefined;

/**
 * The folder holding the package's records: `deployments/` next to the nearest `package.json` above this module
 * (the repository's when run from source, the installed package's when run from `dist/`). Looked up on the first
 * call (Node only), then remembered.
 */
export function deploymentsDir(): Promise<URL> {
  packageDir ??= (async () => {
    const { access } = await fs();
    let dir = new URL("./", import.meta.url);
    for (let up = 0; up < 4; up++) {
      const found = await access(new URL("package.json", dir)).then(
        () => true,
        () => false,
      );
      if (found) return new URL("deployments/", dir);
      dir = new URL("../", dir);
    }
    return new URL("../deployments/", import.meta.url);
  })();
  return packageDir;
}

/** The record file of `chainId` in `dir` (a path or a `file:` URL of a folder). */
function fileIn(dir: string | URL, chainId: number | bigint): string | URL {
  if (dir instanceof URL) return new URL(`${chainId}.json`, dir.href.endsWith("/") ? dir : `${dir.href}/`);
  return `${dir.replace(/[\\/]+$/, "")}/${chainId}.json`;
}

function pathOf(file: string | URL): string {
  return file instanceof URL ? (file.protocol === "file:" ? decodeURIComponent(file.pathname) : file.href) : file;
}

/** The record in `file`, or undefined when there is no such file. */
async function readIfExists(file: string | URL): Promise<Deployment | undefined> {
  const { readFile } = await fs();
  let content: string;
  try {
    content = await readFile(file, "utf8");
  } catch (error) {
    if (errorCode(error) === "ENOENT") return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (error) {
    throw new Error(`${pathOf(file)}: not JSON (${(error as Error).message})`);
  }
  return parseDeployment(json, pathOf(file));
}

/**
 * Reads and checks a record file (Node only).
 *
 * @param path - The file, a path or a `file:` URL: `deployments/31337.json`, or a copy an application ships.
 * @returns The record, checked with {@link parseDeployment}.
 * @throws Error when the file does not exist ("no deployment record at PATH"), is not JSON, or has a bad field.
 */
export async function readDeploymentFile(path: string | URL): Promise<Deployment> {
  const record = await readIfExists(path);
  if (record === undefined) throw new Error(`no deployment record at ${pathOf(path)}`);
  return record;
}

/**
 * The package's record of the deployment on `chainId` (`deployments/<chainId>.json`), or undefined when none is
 * recorded (Node only). Throws when the file exists but is not a valid record.
 */
export async function readDeployment(chainId: number | bigint): Promise<Deployment | undefined> {
  return readIfExists(fileIn(await deploymentsDir(), chainId));
}

/** Chain ids that have a record in the package's `deployments/`, ascending (Node only). */
export async function recordedChains(): Promise<number[]> {
  const { readdir } = await fs();
  const files = await readdir(await deploymentsDir()).catch(() => [] as string[]);
  return files
    .map((f) => /^(\d+)\.json$/.exec(f)?.[1])
    .filter((id): id is string => id !== undefined)
    .map(Number)
    .sort((a, b) => a - b);
}

// ------------------------------------------------------------------------------------------------ a running node

/** How long {@link deploymentOnNode} waits for each answer of the node. */
const RPC_TIMEOUT_MS = 10_000;

/** One JSON-RPC call with `fetch`; errors are one sentence naming `url`. */
async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      signal: AbortSignal.timeout(RPC_TIMEOUT_MS),
    });
  } catch (error) {
    const timedOut = (error as Error | undefined)?.name === "TimeoutError";
    throw new Error(
      `no node answers at ${url}` +
        (timedOut
          ? ` (no answer within ${RPC_TIMEOUT_MS / 1000} s)`
          : ": start one with npm run node, or check the URL"),
      { cause: error },
    );
  }
  let body: { result?: unknown; error?: { message?: string } } | undefined;
  try {
    body = (await response.json()) as typeof body;
  } catch {
    body = undefined;
  }
  // A JSON-RPC answer, whatever the HTTP status (some nodes send their errors with 4xx or 5xx).
  if (isObject(body) && body.error !== undefined && body.error !== null) {
    throw new Error(`the node at ${url} refused ${method}: ${body.error.message ?? JSON.stringify(body.error)}`);
  }
  if (!response.ok || !isObject(body) || !("result" in body)) {
    throw new Error(
      `${url} is not a JSON-RPC node: ${method} got HTTP ${response.status} ${response.statusText}`.trim(),
    );
  }
  return body.result;
}

/**
 * The deployment a running node serves, checked against the node: what a dApp calls before anything else, given
 * the node's JSON-RPC URL (for a local node, where `npm run node` listens: the `localhost` network of the repository's
 * hardhat.config.ts, moved by `CNT_NODE_URL`). Talks plain JSON-RPC with
 * `fetch` (no ethers, no viem): `eth_chainId`, then `eth_getCode` at each of the suite's recorded addresses.
 *
 * The record is `options.record` when given (checked with {@link parseDeployment}; this form runs in a browser),
 * else `<chainId>.json` in `options.dir`, else the package's own record of the node's chain.
 *
 * @param url - The node's JSON-RPC URL.
 * @param options - `record`: the record to check; `dir`: a folder of `<chainId>.json` records (path or `file:` URL).
 * @returns The record, once the node is on its chain and has code at every one of its contracts.
 * @throws Error, one sentence, when nothing answers at `url` ("no node answers at URL: …"); when no record exists
 *   for the node's chain ("no CNT deployment is recorded for chain N: …"); when the record is for another chain;
 *   or when the node has no code at a recorded contract ("the node at URL has no code at the recorded CarbonRegistry
 *   0x…: it is not running this deployment …", the case of a restarted local node).
 */
export async function deploymentOnNode(
  url: string,
  options: { record?: Deployment; dir?: string | URL } = {},
): Promise<Deployment> {
  const answer = await rpc(url, "eth_chainId", []);
  if (typeof answer !== "string" || !/^0x[0-9a-fA-F]+$/.test(answer)) {
    throw new Error(`the node at ${url} answered eth_chainId with ${shown(answer)}, not a chain id`);
  }
  const chainId = Number(BigInt(answer));

  let record: Deployment | undefined;
  if (options.record !== undefined) record = parseDeployment(options.record, "options.record");
  else if (options.dir !== undefined) record = await readIfExists(fileIn(options.dir, chainId));
  else record = await readDeployment(chainId);
  if (record === undefined) {
    const where = options.dir === undefined ? "" : ` in ${pathOf(options.dir)}`;
    throw new Error(
      `no CNT deployment is recorded for chain ${chainId}${where}: deploy one with npm run deploy:local, ` +
        "or pass the record ({ record }) or the folder of records ({ dir })",
    );
  }
  if (record.chainId !== chainId) {
    throw new Error(`the record is for chain ${record.chainId}, but the node at ${url} is on chain ${chainId}`);
  }

  const codes = await Promise.all(
    SuiteContracts.map((name) => rpc(url, "eth_getCode", [record.contracts[name], "latest"])),
  );
  SuiteContracts.forEach((name, i) => {
    if (codes[i] === "0x" || codes[i] === "" || codes[i] === null) {
      throw new Error(
        `the node at ${url} has no code at the recorded ${name} ${record.contracts[name]}: it is not running this ` +
          "deployment (a restarted node forgets its state: run npm run deploy:local again)",
      );
    }
  });
  return record;
}
