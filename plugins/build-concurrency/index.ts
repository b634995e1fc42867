/**
 * Compiles the build's jobs on every core. Hardhat runs its compilation jobs on `cpus - 1` workers, which is one on
 * a two-core machine, so the project's two jobs (the contracts at 5,000 optimizer runs; the two registries and the
 * Solidity tests at 200, see hardhat.config.ts) ran one after the other. Each job is one single-threaded solc-js
 * process, so they run side by side here. A caller that names a concurrency keeps it.
 */
import type { HardhatPlugin } from "hardhat/types/plugins";

const buildConcurrency: HardhatPlugin = {
  id: "cnt-build-concurrency",
  hookHandlers: {
    solidity: () => import("./solidity-hooks.js"),
  },
};

export default buildConcurrency;
