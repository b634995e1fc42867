/**
 * Runs one `cnt:*` task: parses its options, connects to the chain and the recorded deployment, runs the handler,
 * and turns every failure into one sentence on stderr with a non-zero exit code: a missing or malformed option
 * prints the usage; a custom error of the suite is decoded; a node that is not running is named.
 */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { explainError } from "../../sdk/errors.js";
import { Args, UsageError } from "./args.js";
import { CliError, openSession, type Session } from "./session.js";
import { usage, type TaskSpec } from "./spec.js";

export type Handler = (args: Args, session: Session) => Promise<void>;

export async function runTask(spec: TaskSpec, raw: Record<string, unknown>, hre: HardhatRuntimeEnvironment) {
  const args = new Args(spec, raw);
  let session: Session | undefined;
  try {
    args.checkRequired();
    const handler = await spec.load();
    session = await openSession(hre, args.text("from"));
    args.now = await session.now();
    await handler(args, session);
  } catch (error) {
    process.exitCode = 1;
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n\n${usage(spec)}`);
    } else if (error instanceof CliError) {
      console.error(`error: ${error.message}`);
    } else {
      console.error(`error: ${explainError(error, session?.labels)}`);
    }
  } finally {
    await session?.close();
  }
}
