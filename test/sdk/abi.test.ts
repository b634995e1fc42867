import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { id } from "ethers";

import * as generated from "../../sdk/generated/abi/index.js";
import { ERROR_SIGNATURES, FUNCTION_NAMES } from "../../sdk/generated/solidity.js";

interface Param {
  name: string;
  type: string;
  indexed?: boolean;
  components?: readonly Param[];
}
interface Item {
  type: string;
  name?: string;
  inputs?: readonly Param[];
}
interface Artifact {
  contractName: string;
  sourceName: string;
  abi: Item[];
}

const root = path.resolve(import.meta.dirname, "..", "..");

/** Every artifact under `dir` of artifacts/. */
async function artifactsUnder(dir: string): Promise<Artifact[]> {
  const full = path.join(root, "artifacts", dir);
  const files = (await readdir(full, { recursive: true })).filter((f) => f.endsWith(".json"));
  return Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(full, f), "utf8")) as Artifact));
}

/**
 * The production ABIs, found here independently of the generator: every compiled contract, interface and library of
 * contracts/ but the mocks, and OpenZeppelin's AccessManager; those without an ABI (internal libraries) left out.
 */
async function production(): Promise<Artifact[]> {
  const all = [
    ...(await artifactsUnder("contracts")),
    ...(await artifactsUnder("@openzeppelin/contracts/access/manager")),
  ];
  return all.filter((a) => !a.sourceName.startsWith("contracts/mocks/") && a.abi.length > 0);
}

function canonical(p: Param): string {
  return p.type.startsWith("tuple") ? `(${p.components!.map(canonical).join(",")})${p.type.slice(5)}` : p.type;
}
const signature = (item: Item) => `${item.name}(${(item.inputs ?? []).map(canonical).join(",")})`;
/** An event as decoders and filters see it: types, indexed flags and parameter names. */
const shape = (item: Item) =>
  `${signature(item)} [${(item.inputs ?? []).map((p) => `${p.indexed ? "indexed " : ""}${p.name}`).join(", ")}]`;

/**
 * Events the standards declare with different parameter names but the same types and indexed flags (so one entry
 * decodes both): ERC-1155 names ApprovalForAll's first parameter `account`, ERC-721 names it `owner`.
 */
const STANDARD_NAME_DIFFERENCES = new Set(["ApprovalForAll"]);

describe("The package's ABIs", function () {
  let artifacts: Artifact[];

  before(async function () {
    artifacts = await production();
  });

  it("exports one const ABI per production contract, equal to its compiled artifact", async function () {
    const exported = Object.entries(generated).filter(([name]) => name !== "cntErrorsAbi" && name !== "cntEventsAbi");
    expect(exported.map(([name]) => name).sort()).to.deep.equal(
      artifacts.map((a) => `${a.contractName[0].toLowerCase()}${a.contractName.slice(1)}Abi`).sort(),
    );
    for (const artifact of artifacts) {
      const name = `${artifact.contractName[0].toLowerCase()}${artifact.contractName.slice(1)}Abi`;
      expect((generated as Record<string, unknown>)[name], artifact.contractName).to.deep.equal(artifact.abi);
    }
    expect(artifacts.map((a) => a.contractName)).to.include.members([
      "CarbonRegistry",
      "AccessManager",
      "Jurisdictions",
    ]);
  });

  it("has no two events or errors of the suite with one name and different fields", function () {
    const clashes: string[] = [];
    for (const type of ["event", "error"]) {
      const byName = new Map<string, Map<string, string[]>>();
      for (const artifact of artifacts) {
        for (const item of artifact.abi.filter((i) => i.type === type)) {
          const key = type === "event" && STANDARD_NAME_DIFFERENCES.has(item.name!) ? signature(item) : shape(item);
          const variants = byName.get(item.name!) ?? new Map<string, string[]>();
          variants.set(key, [...(variants.get(key) ?? []), artifact.contractName]);
          byName.set(item.name!, variants);
        }
      }
      for (const [name, variants] of byName) {
        if (variants.size > 1) {
          clashes.push(`${type} ${name}: ${[...variants].map(([k, c]) => `${k} in ${c.join(", ")}`).join(" / ")}`);
        }
      }
    }
    expect(clashes).to.deep.equal([]);
  });

  it("indexes the asset as (token, id) in every marketplace event that names one", function () {
    const marketplace = artifacts.find((a) => a.contractName === "ICarbonMarketplace")!;
    const naming = marketplace.abi.filter((i) => i.type === "event" && i.inputs!.some((p) => p.name === "id"));
    expect(naming.map((e) => e.name).sort()).to.deep.equal(["BidFilled", "Bought", "Listed"]);
    for (const event of naming) {
      const indexed = event.inputs!.filter((p) => p.indexed).map((p) => `${p.type} ${p.name}`);
      expect(indexed, event.name!).to.include.members(["address token", "uint256 id"]);
    }
  });

  it("declares Paused and Unpaused as OpenZeppelin's Pausable does, in every contract", function () {
    const pausable = artifacts.filter((a) => a.abi.some((i) => i.type === "event" && i.name === "Paused"));
    expect(pausable.length).to.be.greaterThan(4);
    for (const artifact of pausable) {
      for (const name of ["Paused", "Unpaused"]) {
        const event = artifact.abi.find((i) => i.type === "event" && i.name === name)!;
        expect(shape(event), `${artifact.contractName}.${name}`).to.equal(`${name}(address) [account]`);
      }
    }
  });

  it("merges every error of the suite and OpenZeppelin's token errors into cntErrorsAbi, once each", async function () {
    const standard = await artifactsUnder("@openzeppelin/contracts/interfaces/draft-IERC6093.sol");
    const expected = new Set(
      [...artifacts, ...standard].flatMap((a) => a.abi.filter((i) => i.type === "error").map(signature)),
    );
    const merged = generated.cntErrorsAbi.map((e) => signature(e as Item));
    expect(new Set(merged).size).to.equal(merged.length);
    expect(new Set(merged)).to.deep.equal(expected);
    expect(merged).to.include("ERC20InsufficientBalance(address,uint256,uint256)");
    for (const s of merged) expect(ERROR_SIGNATURES[id(s).slice(0, 10)], s).to.equal(s);
  });

  it("merges every event of the suite into cntEventsAbi, once per signature", function () {
    const expected = new Set(artifacts.flatMap((a) => a.abi.filter((i) => i.type === "event").map(signature)));
    const merged = generated.cntEventsAbi.map((e) => signature(e as Item));
    expect(new Set(merged).size).to.equal(merged.length);
    expect(new Set(merged)).to.deep.equal(expected);
  });

  it("names every function of the suite by its selector", function () {
    for (const artifact of artifacts) {
      for (const fn of artifact.abi.filter((i) => i.type === "function")) {
        expect(FUNCTION_NAMES[id(signature(fn)).slice(0, 10)], `${artifact.contractName}.${fn.name}`).to.equal(fn.name);
      }
    }
  });
});
