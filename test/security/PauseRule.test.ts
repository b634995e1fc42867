import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/types";
import { expect } from "chai";
import { type BaseContract, type FunctionFragment, type ParamType, id } from "ethers";

import { openWhilePaused } from "../../scripts/lib/pause-rule.js";
import { Roles } from "../../scripts/lib/roles.js";
import type { Suite } from "../../scripts/lib/suite.js";
import { actAs, deployWorld, type World } from "../helpers/fixtures.js";

const ENFORCED_PAUSE = id("EnforcedPause()").slice(0, 10);

/** A well-formed argument of `type` for `caller`: the caller's address, 1, false, zero bytes, empty lists. */
function dummy(type: ParamType, caller: string): unknown {
  if (type.isArray()) return [];
  if (type.isTuple()) return type.components.map((c) => dummy(c, caller));
  if (type.baseType === "address") return caller;
  if (type.baseType === "bool") return false;
  if (type.baseType === "string") return "";
  if (type.baseType === "bytes") return "0x";
  if (type.baseType.startsWith("bytes")) return "0x" + "00".repeat(Number(type.baseType.slice(5)));
  return 1n;
}

/** The 4-byte error selector a reverted call returned, or "none" when it succeeded. */
async function outcome(contract: BaseContract, fn: FunctionFragment, caller: HardhatEthersSigner): Promise<string> {
  const args = fn.inputs.map((input) => dummy(input, caller.address));
  try {
    await (contract.connect(caller) as BaseContract).getFunction(fn.format("sighash")).staticCall(...args);
    return "none";
  } catch (error) {
    const data = (error as { data?: string }).data;
    return typeof data === "string" && data.length >= 10 ? data.slice(0, 10) : "unknown";
  }
}

/**
 * The suite's pause rule (`scripts/lib/pause-rule.ts`), checked function by function: with a contract paused, every
 * state-changing function of its ABI is called with well-formed arguments by an account holding every role and by
 * each suite contract (impersonated, for the functions bound to one); unless the rule keeps it open, one of them
 * must be refused with `EnforcedPause()`, and an open one must never be.
 */
describe("security: the suite's pause rule, per function", function () {
  let w: World;
  let callers: HardhatEthersSigner[];

  before(async function () {
    w = await deployWorld();
    const [, , , , , , , , , , , god] = await w.ethers.getSigners();
    for (const role of Object.values(Roles)) {
      if (role === Roles.PUBLIC || role === Roles.ADMIN) continue;
      await (await w.manager.connect(w.admin).grantRole(role, god.address, 0)).wait();
    }
    await (await w.manager.connect(w.admin).grantRole(Roles.ADMIN, god.address, 0)).wait();
    callers = [god];
    for (const name of SUITE) {
      callers.push(await actAs(w, await w[name].getAddress()));
    }
  });

  const SUITE: (keyof Suite)[] = [
    "registry",
    "credit",
    "retirement",
    "certificate",
    "marketplace",
    "ledger",
    "compliance",
    "allowance",
    "auction",
  ];

  for (const name of SUITE) {
    it(`${name}: paused, it refuses every state-changing function but the ones the rule keeps open`, async function () {
      const contract = w[name] as BaseContract;
      const functions: FunctionFragment[] = [];
      contract.interface.forEachFunction((fn) => {
        if (!fn.constant) functions.push(fn);
      });
      if (!functions.some((fn) => fn.format("sighash") === "pause()")) this.skip();
      const god = callers[0];
      await (await (contract.connect(god) as BaseContract).getFunction("pause")()).wait();

      const wrong: string[] = [];
      for (const fn of functions) {
        const signature = fn.format("sighash");
        const outcomes = [];
        for (const caller of callers) outcomes.push(await outcome(contract, fn, caller));
        const refused = outcomes.includes(ENFORCED_PAUSE);
        const open = openWhilePaused(name, signature);
        if (signature === "pause()") {
          if (!refused) wrong.push(`${signature}: pausing twice is not refused with EnforcedPause`);
        } else if (open && refused) wrong.push(`${signature}: kept open by the rule, refused with EnforcedPause`);
        else if (!open && !refused) wrong.push(`${signature}: not refused while paused (${outcomes.join(", ")})`);
      }
      await (await (contract.connect(god) as BaseContract).getFunction("unpause")()).wait();
      if (wrong.length > 0) expect.fail(`${name}:\n  ${wrong.join("\n  ")}`);
    });
  }
});
