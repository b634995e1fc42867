/**
 * The `cnt:*` command-line tasks, registered in `hardhat.config.ts`. Each runs against a running node (default
 * `--network localhost`) and the deployment recorded for its chain in `deployments/<chainId>.json`.
 * `npx hardhat --help` lists them; a task run with a missing or malformed option prints its usage.
 */
import { buildTasks } from "./lib/spec.js";
import { complianceTasks } from "./specs/compliance.js";
import { marketTasks } from "./specs/market.js";
import { registryTasks } from "./specs/registry.js";

export const cntTasks = buildTasks([...registryTasks, ...marketTasks, ...complianceTasks]);
