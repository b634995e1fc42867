/**
 * Builds the publishable package in `pkg/` (`npm run package`; then `npm pack ./pkg` or `npm publish ./pkg`).
 *
 * The repository's own package.json is the development workspace: private, with the Node 22.13 that Hardhat 3 needs.
 * The package a dApp installs is built from it: the same name, version, licence, exports and peer dependencies, but
 * only the compiled SDK (`dist/`), the ABIs as JSON, the public deployment records, the Solidity sources (mocks left
 * out), the README, the CHANGELOG, the events guide and the licence; and the Node range its code runs on (20.19
 * and later), so a viem or ethers app on Node 20 installs it without an engine warning.
 */
import { spawnSync } from "node:child_process";
import { cp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import * as abis from "../sdk/generated/abi/index.js";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "pkg");

/** The Node versions the published code runs on (ES modules, the global `fetch`): the consumer tests run it on 20 and 22. */
export const PACKAGE_ENGINES = { node: ">=20.19" };

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited with ${result.status}`);
}

// A clean compile: nothing of a renamed or removed source may ship.
await rm(path.join(root, "dist"), { recursive: true, force: true });
run("npx", ["tsc", "-p", "tsconfig.sdk.json"]);

await rm(out, { recursive: true, force: true });
await mkdir(path.join(out, "abi"), { recursive: true });
await cp(path.join(root, "dist"), path.join(out, "dist"), { recursive: true });

// ABIs as JSON, for apps that import them without TypeScript: `cnt-protocol/abi/CarbonRegistry.json`.
let abiCount = 0;
for (const [exportName, abi] of Object.entries(abis)) {
  // carbonRegistryAbi -> CarbonRegistry.json; the merged cntErrorsAbi and cntEventsAbi -> cntErrors.json, cntEvents.json.
  const stem = exportName.slice(0, -"Abi".length);
  const name = stem.startsWith("cnt") ? stem : `${stem[0].toUpperCase()}${stem.slice(1)}`;
  await writeFile(path.join(out, "abi", `${name}.json`), `${JSON.stringify(abi, null, 2)}\n`);
  abiCount++;
}

// Public deployment records: every deployments/<chainId>.json but the local node's (31337), which only its machine has.
await mkdir(path.join(out, "deployments"), { recursive: true });
const records = (await readdir(path.join(root, "deployments"))).filter(
  (f) => /^\d+\.json$/.test(f) && f !== "31337.json",
);
for (const file of records) await cp(path.join(root, "deployments", file), path.join(out, "deployments", file));

await cp(path.join(root, "contracts"), path.join(out, "contracts"), {
  recursive: true,
  filter: (source) => !path.relative(path.join(root, "contracts"), source).split(path.sep).includes("mocks"),
});
// The README, and what it links to that a package reader needs: the changelog with the ABI's versioning rule, the
// events guide, the licence.
for (const file of ["README.md", "CHANGELOG.md", "LICENSE", "docs/events.md"]) {
  await cp(path.join(root, file), path.join(out, file));
}

const manifest = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as Record<string, unknown>;
const published: Record<string, unknown> = {
  name: manifest.name,
  version: manifest.version,
  description: manifest.description,
  license: manifest.license,
  keywords: manifest.keywords,
  type: manifest.type,
  engines: PACKAGE_ENGINES,
  sideEffects: false,
  main: manifest.main,
  types: manifest.types,
  exports: manifest.exports,
  peerDependencies: manifest.peerDependencies,
  peerDependenciesMeta: manifest.peerDependenciesMeta,
};
await writeFile(path.join(out, "package.json"), `${JSON.stringify(published, null, 2)}\n`);
console.log(
  `pkg/: ${manifest.name}@${manifest.version}, ${abiCount} ABIs, ${records.length} public deployment record(s); ` +
    `npm pack ./pkg or npm publish ./pkg`,
);
