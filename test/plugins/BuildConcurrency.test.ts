import { expect } from "chai";
import { availableParallelism } from "node:os";

import type { HookContext } from "hardhat/types/hooks";

import solidityHooks from "../../plugins/build-concurrency/solidity-hooks.js";

describe("plugins/build-concurrency", function () {
  /** The options the build's next handler receives when the hook is given `options`. */
  async function forwarded(options: { concurrency?: number; force?: boolean } | undefined) {
    const hooks = await solidityHooks();
    let seen: unknown;
    await hooks.build!({} as HookContext, ["contracts/A.sol"], options, async (_context, roots, next) => {
      expect(roots).to.deep.equal(["contracts/A.sol"]);
      seen = next;
      return new Map();
    });
    return seen;
  }

  it("compiles on every core when the caller names no concurrency, keeping the other options", async function () {
    expect(await forwarded(undefined)).to.deep.equal({ concurrency: availableParallelism() });
    expect(await forwarded({ force: true })).to.deep.equal({ force: true, concurrency: availableParallelism() });
  });

  it("keeps a concurrency the caller names", async function () {
    expect(await forwarded({ concurrency: 1 })).to.deep.equal({ concurrency: 1 });
  });
});
