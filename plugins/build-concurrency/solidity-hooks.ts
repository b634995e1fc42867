import { availableParallelism } from "node:os";

import type { HardhatHooks } from "hardhat/types/hooks";

export default async (): Promise<Partial<HardhatHooks["solidity"]>> => ({
  build: (context, rootFilePaths, options, next) =>
    next(context, rootFilePaths, { ...options, concurrency: options?.concurrency ?? availableParallelism() }),
});
