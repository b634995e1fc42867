import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

import buildConcurrency from "./plugins/build-concurrency/index.js";
import { cntTasks } from "./tasks/index.js";

// The compiler comes from the exactly pinned npm `solc` package: nothing is downloaded at build time.
const require = createRequire(import.meta.url);
const SOLC_VERSION: string = require("solc/package.json").version;
const SOLC_PATH = require.resolve("solc/soljson.js");

/** The pinned compiler, optimised for `runs`. */
function compilerFor(runs: number) {
  return {
    version: SOLC_VERSION,
    path: SOLC_PATH,
    settings: { optimizer: { enabled: true, runs }, evmVersion: "prague" },
  };
}

// 5,000 runs: cheap calls.
const compiler = compilerFor(5_000);

// The two registries, the largest contracts, are optimised for 200 runs to stay under the 24,576-byte limit (at 5,000
// runs the carbon registry is 27.1 kB and the compliance registry 26 kB): their calls are administrative or made a few
// times per batch or period. The Solidity tests deploy them from their own compilation jobs, so their roots (every
// test/**/*.sol) take the same setting; the tests' own gas is never measured.
const compact = compilerFor(200);
const COMPACT_ROOTS = [
  "contracts/registry/CarbonRegistry.sol",
  "contracts/compliance/ComplianceRegistry.sol",
  ...fs
    .readdirSync(path.resolve(import.meta.dirname, "test"), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".sol"))
    .map((file) => `test/${file.split(path.sep).join("/")}`),
];
// The marketplace is optimised for 3,000 runs: at 5,000 it is 25.7 kB, over the limit, since bid criteria hold
// validated ISO 3166 codes; at 3,000 it is 24.3 kB, and a purchase costs 42 gas more, a listing 167 (`npm run
// bench:gas`, measured against 5,000 runs).
const marketplace = compilerFor(3_000);
const overrides = {
  ...Object.fromEntries(COMPACT_ROOTS.map((root) => [root, compact])),
  "contracts/market/CarbonMarketplace.sol": marketplace,
};

// `npm run test:deep` sets CNT_DEEP=1: the same fixed seed, 8x the fuzz runs, and 8x the invariant runs at 4x the
// depth. The default stays fast enough for every change (`npx hardhat test solidity` in well under a minute).
const DEEP = process.env.CNT_DEEP === "1";

function testnet(rpcUrlVariable: string, chainType: "l1" | "op" | "generic") {
  return {
    type: "http" as const,
    chainType,
    url: configVariable(rpcUrlVariable),
    accounts: [configVariable("DEPLOYER_PRIVATE_KEY")],
  };
}

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, buildConcurrency],
  tasks: cntTasks,
  solidity: {
    profiles: {
      default: { compilers: [compiler], overrides },
      production: { compilers: [compiler], overrides },
    },
    // Built from node_modules so the deploy helpers, tests and typed bindings have their artifacts: the AccessManager,
    // and OpenZeppelin's token errors (ERC-6093) for the merged errors ABI of the package (scripts/export-abi.ts).
    npmFilesToBuild: [
      "@openzeppelin/contracts/access/manager/AccessManager.sol",
      "@openzeppelin/contracts/interfaces/draft-IERC6093.sol",
    ],
  },
  paths: {
    tests: { mocha: "test", solidity: "test" },
    // Ignition modules, parameters and deployment journals live in deploy/.
    ignition: "deploy",
  },
  typechain: {
    outDir: path.resolve(import.meta.dirname, "typechain-types"),
  },
  test: {
    solidity: {
      fuzz: { runs: DEEP ? 2_048 : 256, seed: "0x434e54" },
      invariant: { runs: DEEP ? 512 : 64, depth: DEEP ? 128 : 32, failOnRevert: false },
    },
    mocha: { timeout: 120_000 },
  },
  // Source verification (`ignition deploy … --verify`, `ignition verify <deployment id>`): Etherscan's key is a
  // configuration variable like the others, resolved only when a verification runs; Blockscout and Sourcify need none.
  verify: {
    etherscan: { apiKey: configVariable("ETHERSCAN_API_KEY") },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    // The local node's URL, written once: `npm run node` listens there, the CLI, the scripts and the end-to-end run
    // talk to it. CNT_NODE_URL moves it (e.g. when its port is taken).
    localhost: { type: "http", chainType: "l1", url: process.env.CNT_NODE_URL || "http://127.0.0.1:8545" },
    // Public testnets: RPC URLs and the deployer's key are configuration variables, read from the keystore
    // (`npx hardhat keystore set DEPLOYER_PRIVATE_KEY`) or the environment when a network is used; none is in a file.
    sepolia: testnet("SEPOLIA_RPC_URL", "l1"),
    polygonAmoy: testnet("POLYGON_AMOY_RPC_URL", "generic"),
    baseSepolia: testnet("BASE_SEPOLIA_RPC_URL", "op"),
    celoSepolia: testnet("CELO_SEPOLIA_RPC_URL", "generic"),
  },
});
