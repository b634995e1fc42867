import { CliError, type Session } from "./session.js";

/** The batch, or a CliError naming it and how many exist: shared by the registry, market and compliance tasks. */
export async function requireBatch(s: Session, batchId: bigint) {
  const { batches } = await s.c.registry.counts();
  if (batchId > batches) throw new CliError(`batch ${batchId} does not exist (${batches} issued)`);
  return s.c.registry.getBatch(batchId);
}
