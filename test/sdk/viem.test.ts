import { readFile } from "node:fs/promises";

import { expect } from "chai";
import { Interface } from "ethers";
import {
  BaseError,
  createPublicClient,
  createWalletClient,
  custom,
  parseEventLogs,
  type Address,
  type EIP1193RequestFn,
  type Hex,
} from "viem";

import { decodeCntError as decodeWithEthers } from "../../sdk/errors.js";
import {
  Roles,
  cntContracts,
  cntErrorsAbi,
  cntEventsAbi,
  decodeCntError,
  explainError,
  findCntError,
  retirementRequest,
  tonnes,
  type CntViemContracts,
} from "../../sdk/viem.js";
import { approvedProject, deployWorld, issue, suiteAddresses, type World } from "../helpers/fixtures.js";
import { nestedFixtures } from "../helpers/registry.js";

interface Ctx {
  w: World;
  cnt: CntViemContracts;
  client: ReturnType<typeof publicClientOf>;
  proponent: ReturnType<typeof walletOf>;
  batchId: bigint;
}

/** viem's transport over the test network's EIP-1193 provider (the network signs for its accounts). */
function transportOf(w: World) {
  return custom(w.connection.provider as { request: EIP1193RequestFn });
}
const publicClientOf = (w: World) => createPublicClient({ transport: transportOf(w) });
const walletOf = (w: World, account: string) =>
  createWalletClient({ account: account as Address, transport: transportOf(w) });

/** A retirement request of `amount` units of `batchId` for the proponent, with a certificate. */
function retirementOf(w: World, batchId: bigint, amount: bigint) {
  return retirementRequest({ batchId, amount, beneficiary: w.proponent.address, beneficiaryName: "Consumer Co" });
}

describe("sdk/viem: the suite through viem, with no ethers in the entry", function () {
  let w: World;
  let load: ReturnType<typeof nestedFixtures>;

  before(async function () {
    w = await deployWorld();
    load = nestedFixtures(w);
  });

  /** Project 1 approved and batch 1 (10 t, 8 t to the proponent) issued; the suite as `{ address, abi }` pairs. */
  async function issuedFixture(): Promise<Ctx> {
    const projectId = await approvedProject(w);
    const batchId = await issue(w, projectId, tonnes("10"), 1n);
    const contracts = await suiteAddresses(w);
    return {
      w,
      cnt: cntContracts({ contracts }),
      client: publicClientOf(w),
      proponent: walletOf(w, w.proponent.address),
      batchId,
    };
  }
  const fixtures = { issued: () => load(issuedFixture) };

  it("reads with types inferred from the const ABIs", async function () {
    const { w, cnt, client, batchId } = await fixtures.issued();
    const supply = await client.readContract({ ...cnt.CarbonCredit, functionName: "supplyOf", args: [batchId] });
    const issued: bigint = supply.issued;
    expect(issued).to.equal(tonnes("10"));
    const balance = await client.readContract({
      ...cnt.CarbonCredit,
      functionName: "balanceOf",
      args: [w.proponent.address as Address, batchId],
    });
    expect(balance).to.equal((tonnes("10") * 8n) / 10n);
    const [, , , batches] = await client.readContract({ ...cnt.CarbonRegistry, functionName: "counts" });
    expect(batches).to.equal(1n);
    const [roleHeld] = await client.readContract({
      ...cnt.AccessManager,
      functionName: "hasRole",
      args: [Roles.REGISTRAR, w.registrar.address as Address],
    });
    expect(roleHeld).to.equal(true);
  });

  it("writes, and parses the receipt's logs of every contract with cntEventsAbi", async function () {
    const { w, cnt, client, proponent, batchId } = await fixtures.issued();
    const hash = await proponent.writeContract({
      ...cnt.RetirementRegistry,
      functionName: "retire",
      args: [retirementOf(w, batchId, 300n)],
      chain: null,
    });
    const receipt = await client.waitForTransactionReceipt({ hash });
    const logs = parseEventLogs({ abi: cntEventsAbi, logs: receipt.logs });
    const names = logs.map((log) => log.eventName);
    expect(names).to.include.members(["UnitsRetired", "Retired", "RetiredBy", "Transfer", "Locked"]);
    const retired = parseEventLogs({ abi: cntEventsAbi, logs: receipt.logs, eventName: "UnitsRetired" })[0];
    expect(retired.address.toLowerCase()).to.equal(cnt.CarbonCredit.address.toLowerCase());
    expect(retired.args.id).to.equal(batchId);
    expect(retired.args.amount).to.equal(300n);
    expect(retired.args.holder.toLowerCase()).to.equal(w.proponent.address.toLowerCase());
  });

  it("decodes a revert from another contract than the one called: the credit token's, through the retirement registry", async function () {
    const { w, cnt, client, batchId } = await fixtures.issued();
    const held = await client.readContract({
      ...cnt.CarbonCredit,
      functionName: "balanceOf",
      args: [w.proponent.address as Address, batchId],
    });
    let thrown: unknown;
    try {
      await client.simulateContract({
        ...cnt.RetirementRegistry,
        account: w.proponent.address as Address,
        functionName: "retire",
        args: [retirementOf(w, batchId, held + 1n)],
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).to.be.instanceOf(BaseError);
    const decoded = findCntError(thrown);
    expect(decoded?.name).to.equal("ERC1155InsufficientBalance");
    expect(decoded?.args).to.deep.include({ balance: held, needed: held + 1n, tokenId: batchId });
    expect(explainError(thrown)).to.equal(decoded!.message);
    expect(decoded!.message).to.match(/ holds 8 tCO2e of token id 1, less than the 8\.001 tCO2e needed$/);
  });

  it("decodes the suite's own errors in viem's errors", async function () {
    const { w, cnt, client } = await fixtures.issued();
    let thrown: unknown;
    try {
      await client.simulateContract({
        ...cnt.CarbonRegistry,
        account: w.registrar.address as Address,
        functionName: "issueBatch",
        args: [1n, 0n],
      });
    } catch (error) {
      thrown = error;
    }
    expect(findCntError(thrown)?.name).to.equal("CarbonRegistryInvalidReportStatus");
    expect(explainError(thrown)).to.equal("report 1 is Issued, a status this operation does not accept");
  });

  it("decodes every error of cntErrorsAbi as the ethers SDK does, with the same sentence", function () {
    const iface = new Interface(cntErrorsAbi);
    let count = 0;
    iface.forEachError((fragment) => {
      const values = fragment.inputs.map((input) => sample(input.baseType, input.type));
      const data = iface.encodeErrorResult(fragment, values) as Hex;
      const viem = decodeCntError(data);
      const ethers = decodeWithEthers(data);
      expect(viem, fragment.format("sighash")).to.not.equal(undefined);
      expect(viem!.signature).to.equal(ethers!.signature);
      expect(viem!.message).to.equal(ethers!.message);
      count++;
    });
    expect(count).to.equal(cntErrorsAbi.length);
    expect(
      decodeCntError("0x4e487b710000000000000000000000000000000000000000000000000000000000000011")!.message,
    ).to.equal("panic 0x11: arithmetic overflow or underflow");
    expect(decodeCntError("0x12345678")).to.equal(undefined);
  });

  it("loads neither ethers nor a Node.js module: the whole static import graph of the entry", async function () {
    const seen = new Set<string>();
    const external = new Set<string>();
    const visit = async (file: URL) => {
      if (seen.has(file.href)) return;
      seen.add(file.href);
      const source = await readFile(file, "utf8");
      const specifiers = [
        ...source.matchAll(/^(?:import|export)\b[^;]*?\sfrom\s+"([^"]+)"|^import\s+"([^"]+)"/gms),
      ].map((match) => match[1] ?? match[2]);
      for (const specifier of specifiers) {
        if (specifier.startsWith(".")) await visit(new URL(specifier.replace(/\.js$/, ".ts"), file));
        else external.add(specifier);
      }
    };
    await visit(new URL("../../sdk/viem.ts", import.meta.url));
    expect([...external]).to.deep.equal(["viem"]);
    expect(seen.size).to.be.greaterThan(5);
  });

  it("explains a failure that is no revert in one line", function () {
    expect(explainError(new BaseError("The request took too long to respond."))).to.match(/^The request took too long/);
  });
});

/** A small, valid value of an ABI type for encoding. */
function sample(baseType: string, type: string): unknown {
  if (baseType === "array") return [];
  if (type === "address") return "0x00000000000000000000000000000000000000a1";
  if (type === "bool") return true;
  if (type === "string") return "x";
  if (type.startsWith("bytes")) return `0x${"ab".repeat(type === "bytes" ? 2 : Number(type.slice(5)))}`;
  if (type.startsWith("uint") || type.startsWith("int")) return 7n;
  throw new Error(`no sample for ${type}`);
}
