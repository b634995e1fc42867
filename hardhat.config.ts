import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import { configVariable, defineConfig } from "hardhat/config";

// The compiler comes from the exactly pinned npm `solc` package: nothing is downloaded at build time.
const require = createRequire(import.meta.url);
const SOLC_VERSION: string = require("solc/package.json").version;
const SOLC_PATH = require.resolve("solc/soljson.js");

const compiler = {
  version: SOLC_VERSION,
  path: SOLC_PATH,
  settings: {
    optimizer: { enabled: true, runs: 10_000 },
    evmVersion: "prague",
  },
};

// The compliance registry carries the regulator's whole workflow: optimized for fewer runs, it stays under the
// 24,576-byte contract size limit (its functions are called a few times a year per installation, not per trade).
// Solidity test files that import it are compiled the same way, so it is never built above the limit.
const sizeBound = {
  ...compiler,
  settings: { ...compiler.settings, optimizer: { enabled: true, runs: 1_000 } },
};
const solidityTests = readdirSync(path.resolve(import.meta.dirname, "test"), { recursive: true, encoding: "utf8" })
  .filter((file) => file.endsWith(".sol"))
  .map((file) => `test/${file.split(path.sep).join("/")}`);
const profile = {
  compilers: [compiler],
  overrides: Object.fromEntries(
    ["contracts/compliance/ComplianceRegistry.sol", ...solidityTests].map((file) => [file, sizeBound]),
  ),
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers],
  solidity: {
    profiles: {
      default: profile,
      production: profile,
    },
    // Built from node_modules so the deploy helpers, tests and typed bindings have its artifact.
    npmFilesToBuild: ["@openzeppelin/contracts/access/manager/AccessManager.sol"],
  },
  paths: {
    tests: { mocha: "test", solidity: "test" },
  },
  typechain: {
    outDir: path.resolve(import.meta.dirname, "typechain-types"),
  },
  test: {
    solidity: {
      fuzz: { runs: 256, seed: "0x434e54" },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
    mocha: { timeout: 120_000 },
  },
  networks: {
    hardhatMainnet: { type: "edr-simulated", chainType: "l1" },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    sepolia: {
      type: "http",
      chainType: "l1",
      url: configVariable("SEPOLIA_RPC_URL"),
      accounts: [configVariable("SEPOLIA_PRIVATE_KEY")],
    },
  },
});
