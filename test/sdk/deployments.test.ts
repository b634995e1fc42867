import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { expect } from "chai";
import { network } from "hardhat";

import { readDeploymentState, writeDeployment } from "../../scripts/lib/deployment.js";
import { Roles } from "../../scripts/lib/roles.js";
import {
  CntArgumentError,
  CntClient,
  DeploymentRoleNames,
  SuiteContracts,
  connect,
  deploymentOnNode,
  deploymentsDir,
  parseDeployment,
  readDeployment,
  readDeploymentFile,
  recordedChains,
  type Deployment,
  type SuiteContractName,
} from "../../sdk/index.js";
import { deployWorld, suiteAddresses, type World } from "../helpers/fixtures.js";

type Provider = Awaited<ReturnType<typeof network.create>>["provider"];

/** A JSON-RPC endpoint over HTTP that forwards every request to an in-process Hardhat network. */
async function serve(provider: Provider): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", async () => {
      if (req.url === "/refuse") {
        // A JSON-RPC error, sent with an HTTP error status as some providers do.
        const error = { code: -32601, message: "the method is not available" };
        res
          .writeHead(403, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id: 1, error }));
        return;
      }
      if (req.method !== "POST" || req.url !== "/") {
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      const call = async (r: { id?: unknown; method: string; params?: unknown[] }) => {
        try {
          return {
            jsonrpc: "2.0",
            id: r.id ?? null,
            result: await provider.request({ method: r.method, params: r.params }),
          };
        } catch (error) {
          return { jsonrpc: "2.0", id: r.id ?? null, error: { code: -32603, message: (error as Error).message } };
        }
      };
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      const answer = Array.isArray(body) ? await Promise.all(body.map(call)) : await call(body);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Runs `run`, which must reject, and returns what it threw. */
async function rejection(run: () => Promise<unknown>): Promise<Error> {
  try {
    await run();
  } catch (error) {
    return error as Error;
  }
  return expect.fail("expected the call to throw");
}

/** The message of what `run` throws (it must throw). */
function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  return expect.fail("expected the call to throw");
}

describe("sdk/deployments", function () {
  let w: World;
  let addresses: Record<SuiteContractName, string>;
  let chainId: number;
  let record: Deployment;
  let usdc: string;
  let blocked: string;
  let fot: string;
  let dir: string;

  before(async function () {
    w = await deployWorld();
    chainId = Number((await w.ethers.provider.getNetwork()).chainId);
    addresses = await suiteAddresses(w);
    // After the fixture: REGISTRAR moves from `registrar` to alice, bob becomes a second VERIFIER, the outsider a
    // PAUSER only after a grant delay; each contract
    // pays its own treasury; a 2.5% fee; USDCm and FOT are allowed as payment, BUSDm allowed then disallowed.
    await (await w.manager.connect(w.admin).grantRole(Roles.REGISTRAR, w.alice.address, 0)).wait();
    await (await w.manager.connect(w.admin).revokeRole(Roles.REGISTRAR, w.registrar.address)).wait();
    await (await w.manager.connect(w.admin).grantRole(Roles.VERIFIER, w.bob.address, 0)).wait();
    // A grant behind a one-day grant delay (the delay itself applies after the AccessManager's 5-day setback) is
    // not effective yet: the outsider is no PAUSER.
    await (await w.manager.connect(w.admin).setGrantDelay(Roles.PAUSER, 86_400)).wait();
    await w.connection.networkHelpers.time.increase(6 * 86_400);
    await (await w.manager.connect(w.admin).grantRole(Roles.PAUSER, w.outsider.address, 0)).wait();
    expect((await w.manager.hasRole(Roles.PAUSER, w.outsider.address)).isMember).to.equal(false);
    await (await w.marketplace.connect(w.treasurer).setTreasury(w.proponent.address)).wait();
    await (await w.compliance.connect(w.treasurer).setTreasury(w.alice.address)).wait();
    await (await w.auction.connect(w.treasurer).setTreasury(w.bob.address)).wait();
    await (await w.marketplace.connect(w.treasurer).setFee(250)).wait();
    usdc = await (await w.ethers.deployContract("ERC20Mock", [], w.admin)).getAddress();
    blocked = await (await w.ethers.deployContract("BlocklistERC20Mock", [], w.admin)).getAddress();
    fot = await (await w.ethers.deployContract("FeeOnTransferERC20Mock", [], w.admin)).getAddress();
    for (const [token, allowed] of [
      [usdc, true],
      [blocked, true],
      [fot, true],
      [blocked, false],
    ] as const) {
      await (await w.marketplace.connect(w.admin).setPaymentTokenAllowed(token, allowed)).wait();
    }
    record = {
      chainId,
      network: "hardhat",
      fromBlock: 0,
      contracts: addresses,
      ...(await readDeploymentState(w.ethers.provider, addresses, 0)),
    };
    dir = await mkdtemp(path.join(tmpdir(), "cnt-deployments-"));
  });

  after(async function () {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  // ------------------------------------------------------------------ the recorder

  describe("readDeploymentState (the recorder's reads)", function () {
    it("records every role of roles.ts with its id as a decimal string and its current holders", function () {
      expect(Object.keys(record.roles)).to.deep.equal(Object.keys(Roles));
      expect(Object.keys(record.roles)).to.deep.equal([...DeploymentRoleNames]);
      expect(record.roles).to.deep.equal({
        ADMIN: { id: "0", holders: [w.admin.address] },
        REGISTRAR: { id: "1", holders: [w.alice.address] },
        VERIFIER: { id: "2", holders: [w.verifier.address, w.bob.address] },
        REGULATOR: { id: "3", holders: [w.regulator.address] },
        PAUSER: { id: "4", holders: [w.pauser.address] },
        TREASURER: { id: "5", holders: [w.treasurer.address] },
        PUBLIC: { id: "18446744073709551615", holders: [] },
      });
      for (const [name, id] of Object.entries(Roles))
        expect(BigInt(record.roles[name as keyof typeof Roles].id)).to.equal(id);
    });

    it("records each contract's treasury and the marketplace fee", function () {
      expect(record.treasury).to.deep.equal({
        CarbonMarketplace: w.proponent.address,
        ComplianceRegistry: w.alice.address,
        AllowanceAuction: w.bob.address,
      });
      expect(record.feeBps).to.equal(250);
    });

    it("records the tokens allowed as payment now, with each one's metadata", function () {
      expect(record.paymentTokens).to.deep.equal([
        { address: usdc, name: "USD Coin Mock", symbol: "USDCm", decimals: 6 },
        { address: fot, name: "Fee On Transfer Mock", symbol: "FOT", decimals: 18 },
      ]);
    });

    it("writes a record that reads back as it was", async function () {
      const file = await writeDeployment(record, dir);
      expect(file).to.equal(path.join(dir, `${chainId}.json`));
      expect(JSON.parse(await readFile(file, "utf8"))).to.deep.equal(record);
      expect(await readDeploymentFile(file)).to.deep.equal(record);
      expect(await readDeploymentFile(pathToFileURL(file))).to.deep.equal(record);
    });
  });

  // ------------------------------------------------------------------ parseDeployment

  describe("parseDeployment", function () {
    const SOURCE = "deployments/31337.json";

    function mutated(change: (r: Record<string, any>) => void): unknown {
      const copy = structuredClone(record) as unknown as Record<string, any>;
      change(copy);
      return copy;
    }

    it("accepts a record and returns its fields only", function () {
      expect(parseDeployment(structuredClone(record), SOURCE)).to.deep.equal(record);
      expect(
        parseDeployment(
          mutated((r) => (r.comment = "extra")),
          SOURCE,
        ),
      ).to.deep.equal(record);
    });

    it("refuses each kind of bad field, naming the source and the field", function () {
      const cases: [string, (r: Record<string, any>) => void, string][] = [
        ["chainId 0", (r) => (r.chainId = 0), `chainId must be a positive integer, not 0`],
        ["chainId as a string", (r) => (r.chainId = "31337"), `chainId must be a positive integer, not "31337"`],
        ["chainId fractional", (r) => (r.chainId = 1.5), `chainId must be a positive integer, not 1.5`],
        ["no network", (r) => delete r.network, `network must be a string, not missing`],
        ["negative fromBlock", (r) => (r.fromBlock = -1), `fromBlock must be an integer from 0, not -1`],
        ["no contracts", (r) => delete r.contracts, `contracts must be an object, not missing`],
        [
          "a missing contract",
          (r) => delete r.contracts.EmissionAllowance,
          `contracts.EmissionAllowance must be an address (0x and 40 hex digits), not missing`,
        ],
        [
          "a short address",
          (r) => (r.contracts.CarbonRegistry = "0x12"),
          `contracts.CarbonRegistry must be an address (0x and 40 hex digits), not "0x12"`,
        ],
        ["roles as an array", (r) => (r.roles = []), `roles must be an object, not []`],
        ["a missing role", (r) => delete r.roles.PUBLIC, `roles.PUBLIC must be an object, not missing`],
        [
          "the old shape of roles",
          (r) => (r.roles.REGISTRAR = [w.registrar.address]),
          `roles.REGISTRAR must be an object, not ["${w.registrar.address}"]`,
        ],
        ["a numeric role id", (r) => (r.roles.PAUSER.id = 4), `roles.PAUSER.id must be a decimal string, not 4`],
        ["a hex role id", (r) => (r.roles.PAUSER.id = "0x4"), `roles.PAUSER.id must be a decimal string, not "0x4"`],
        ["no holders", (r) => delete r.roles.ADMIN.holders, `roles.ADMIN.holders must be an array, not missing`],
        [
          "a bad holder",
          (r) => r.roles.VERIFIER.holders.push("bob"),
          `roles.VERIFIER.holders[2] must be an address (0x and 40 hex digits), not "bob"`,
        ],
        ["no treasury", (r) => delete r.treasury, `treasury must be an object, not missing`],
        [
          "a bad treasury",
          (r) => (r.treasury.AllowanceAuction = null),
          `treasury.AllowanceAuction must be an address (0x and 40 hex digits), not null`,
        ],
        [
          "a fee over 100%",
          (r) => (r.feeBps = 10_001),
          `feeBps must be an integer from 0 to 10000 (basis points), not 10001`,
        ],
        [
          "a fee as a string",
          (r) => (r.feeBps = "250"),
          `feeBps must be an integer from 0 to 10000 (basis points), not "250"`,
        ],
        ["no payment tokens", (r) => delete r.paymentTokens, `paymentTokens must be an array, not missing`],
        [
          "the old shape of payment tokens",
          (r) => (r.paymentTokens = [usdc]),
          `paymentTokens[0] must be an object, not "${usdc}"`,
        ],
        [
          "a bad token address",
          (r) => (r.paymentTokens[1].address = "0xZZ"),
          `paymentTokens[1].address must be an address (0x and 40 hex digits), not "0xZZ"`,
        ],
        [
          "a token without a name",
          (r) => delete r.paymentTokens[0].name,
          `paymentTokens[0].name must be a string, not missing`,
        ],
        ["a numeric symbol", (r) => (r.paymentTokens[0].symbol = 1), `paymentTokens[0].symbol must be a string, not 1`],
        [
          "decimals over 255",
          (r) => (r.paymentTokens[1].decimals = 256),
          `paymentTokens[1].decimals must be an integer from 0 to 255, not 256`,
        ],
      ];
      for (const [what, change, message] of cases) {
        expect(
          thrown(() => parseDeployment(mutated(change), SOURCE)),
          what,
        ).to.equal(`${SOURCE}: ${message}`);
      }
    });

    it("names the first bad field when there are several", function () {
      const json = mutated((r) => {
        r.feeBps = -1;
        r.contracts.CarbonCredit = "";
      });
      expect(thrown(() => parseDeployment(json, "x.json"))).to.equal(
        'x.json: contracts.CarbonCredit must be an address (0x and 40 hex digits), not ""',
      );
    });

    it("refuses what is not an object", function () {
      for (const [json, shown] of [
        [null, "null"],
        [[], "[]"],
        ["31337", '"31337"'],
        [undefined, "missing"],
      ] as [unknown, string][]) {
        expect(thrown(() => parseDeployment(json, "r.json"))).to.equal(
          `r.json: a deployment record must be a JSON object, not ${shown}`,
        );
      }
    });
  });

  // ------------------------------------------------------------------ files

  describe("record files", function () {
    it("readDeploymentFile refuses a missing file, a file that is not JSON, and a bad record", async function () {
      const missing = path.join(dir, "nope.json");
      expect((await rejection(() => readDeploymentFile(missing))).message).to.equal(
        `no deployment record at ${missing}`,
      );
      const garbage = path.join(dir, "garbage.json");
      await writeFile(garbage, "{ not json");
      expect((await rejection(() => readDeploymentFile(garbage))).message).to.match(
        new RegExp(`^${garbage.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: not JSON \\(`),
      );
      const old = path.join(dir, "old.json");
      await writeFile(old, JSON.stringify({ ...record, feeBps: undefined }));
      expect((await rejection(() => readDeploymentFile(old))).message).to.equal(
        `${old}: feeBps must be an integer from 0 to 10000 (basis points), not missing`,
      );
    });

    it("deploymentsDir is the package's deployments/ folder; readDeployment and recordedChains read it", async function () {
      expect((await deploymentsDir()).href).to.equal(new URL("../../deployments/", import.meta.url).href);
      expect(await deploymentsDir()).to.equal(await deploymentsDir());
      expect(await readDeployment(987_654_321)).to.equal(undefined);
      const chains = await recordedChains();
      expect(chains).to.deep.equal([...chains].sort((a, b) => a - b));
      for (const id of chains) expect(Number.isSafeInteger(id) && id > 0, String(id)).to.equal(true);
    });

    it("sdk/deployments.ts loads no Node.js module but when a function reads a file", async function () {
      const source = await readFile(new URL("../../sdk/deployments.ts", import.meta.url), "utf8");
      expect(source).to.not.match(/require\(/);
      expect(source.match(/await import\([^)]*\)/g)).to.deep.equal([
        'await import(/* webpackIgnore: true */ /* @vite-ignore */ "node:fs/promises")',
      ]);
    });
  });

  // ------------------------------------------------------------------ deploymentOnNode

  describe("deploymentOnNode", function () {
    let url: string;
    let server: Server;
    const NOT_DEPLOYED = "(a restarted node forgets its state: run npm run deploy:local again)";

    before(async function () {
      ({ url, server } = await serve(w.connection.provider));
      await writeDeployment(record, dir);
    });

    after(async function () {
      if (server !== undefined) await close(server);
    });

    it("returns the record given, the one in a folder, once the node runs it", async function () {
      expect(await deploymentOnNode(url, { record })).to.deep.equal(record);
      expect(await deploymentOnNode(url, { dir })).to.deep.equal(record);
      expect(await deploymentOnNode(url, { dir: `${dir}/` })).to.deep.equal(record);
      expect(await deploymentOnNode(url, { dir: pathToFileURL(dir) })).to.deep.equal(record);
    });

    it("refuses a record of another chain", async function () {
      const error = await rejection(() => deploymentOnNode(url, { record: { ...record, chainId: 11_155_111 } }));
      expect(error.message).to.equal(`the record is for chain 11155111, but the node at ${url} is on chain ${chainId}`);
      const elsewhere = await mkdtemp(path.join(tmpdir(), "cnt-deployments-"));
      try {
        // A file named for the node's chain that holds another chain's record.
        await writeFile(path.join(elsewhere, `${chainId}.json`), JSON.stringify({ ...record, chainId: 1 }));
        expect((await rejection(() => deploymentOnNode(url, { dir: elsewhere }))).message).to.equal(
          `the record is for chain 1, but the node at ${url} is on chain ${chainId}`,
        );
      } finally {
        await rm(elsewhere, { recursive: true, force: true });
      }
    });

    it("refuses a node that does not run the recorded deployment (a restarted node)", async function () {
      const fresh = await network.create();
      const other = await serve(fresh.provider);
      try {
        const error = await rejection(() => deploymentOnNode(other.url, { record }));
        expect(error.message).to.equal(
          `the node at ${other.url} has no code at the recorded AccessManager ${addresses.AccessManager}: it is not ` +
            `running this deployment ${NOT_DEPLOYED}`,
        );
      } finally {
        await close(other.server);
        await fresh.close();
      }
      // On the right node, one contract without code is enough.
      const moved = { ...record, contracts: { ...addresses, CarbonRegistry: w.outsider.address } };
      expect((await rejection(() => deploymentOnNode(url, { record: moved }))).message).to.equal(
        `the node at ${url} has no code at the recorded CarbonRegistry ${w.outsider.address}: it is not running ` +
          `this deployment ${NOT_DEPLOYED}`,
      );
    });

    it("refuses a chain with no record", async function () {
      const empty = await mkdtemp(path.join(tmpdir(), "cnt-deployments-"));
      try {
        expect((await rejection(() => deploymentOnNode(url, { dir: empty }))).message).to.equal(
          `no CNT deployment is recorded for chain ${chainId} in ${empty}: deploy one with npm run deploy:local, ` +
            "or pass the record ({ record }) or the folder of records ({ dir })",
        );
      } finally {
        await rm(empty, { recursive: true, force: true });
      }
    });

    it("refuses a bad record given", async function () {
      const error = await rejection(() => deploymentOnNode(url, { record: { ...record, feeBps: 20_000 } }));
      expect(error.message).to.equal(
        "options.record: feeBps must be an integer from 0 to 10000 (basis points), not 20000",
      );
    });

    it("says when nothing answers at the URL, when it is not a JSON-RPC node, and when the node refuses", async function () {
      const closed = await serve(w.connection.provider);
      await close(closed.server);
      const error = await rejection(() => deploymentOnNode(closed.url, { record }));
      expect(error.message).to.equal(`no node answers at ${closed.url}: start one with npm run node, or check the URL`);
      expect((await rejection(() => deploymentOnNode(`${url}/rpc`, { record }))).message).to.equal(
        `${url}/rpc is not a JSON-RPC node: eth_chainId got HTTP 404 Not Found`,
      );
      expect((await rejection(() => deploymentOnNode(`${url}/refuse`, { record }))).message).to.equal(
        `the node at ${url}/refuse refused eth_chainId: the method is not available`,
      );
    });
  });

  // ------------------------------------------------------------------ connect

  describe("connect with a record's path", function () {
    it("reads the record and keeps it", async function () {
      const file = path.join(dir, `${chainId}.json`);
      await writeDeployment(record, dir);
      const client = await connect(w.alice, file);
      expect(client).to.be.instanceOf(CntClient);
      expect(client.deployment).to.deep.equal(record);
      expect(client.addresses).to.deep.equal(addresses);
      expect(client.chainId).to.equal(BigInt(chainId));
      for (const name of SuiteContracts) expect(client.labels.names.get(addresses[name].toLowerCase())).to.equal(name);
      expect(await client.contracts.marketplace.feeInfo()).to.deep.equal([250n, w.proponent.address]);
    });

    it("refuses a missing file, a bad record and a record of another chain", async function () {
      const missing = path.join(dir, "missing.json");
      let error = await rejection(() => connect(w.alice, missing));
      expect(error).to.be.instanceOf(CntArgumentError);
      expect((error as CntArgumentError).argument).to.equal("deployment");
      expect(error.message).to.equal(`deployment: no deployment record at ${missing}`);

      const bad = path.join(dir, "bad.json");
      await writeFile(bad, JSON.stringify({ ...record, contracts: { ...addresses, CarbonCredit: "credit" } }));
      error = await rejection(() => connect(w.alice, bad));
      expect(error).to.be.instanceOf(CntArgumentError);
      expect(error.message).to.equal(
        `deployment: ${bad}: contracts.CarbonCredit must be an address (0x and 40 hex digits), not "credit"`,
      );

      const sepolia = path.join(dir, "11155111.json");
      await writeDeployment({ ...record, chainId: 11_155_111 }, dir);
      error = await rejection(() => connect(w.alice, sepolia));
      expect(error).to.be.instanceOf(CntArgumentError);
      expect(error.message).to.equal(
        `deployment: the deployment is for chain 11155111, the provider is on chain ${chainId}`,
      );
    });
  });
});
