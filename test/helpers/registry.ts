import type { ContractTransactionResponse, Interface, Log } from "ethers";
import { id } from "ethers";

import type { World } from "./fixtures.js";

export type ReportSubmission = {
  projectId: bigint;
  periodStart: bigint;
  periodEnd: bigint;
  quantity: bigint;
  serialStart: bigint;
  serialEnd: bigint;
  reportHash: string;
  uri: string;
};

let hashNonce = 0;
let refNonce = 0;

/** A fresh, non-zero hash that no other call of this helper returns. */
export function freshHash(label = "hash"): string {
  return id(`registry-test-${label}-${++hashNonce}`);
}

/** The serial namespace of standard `standardId`, computed off chain: `bytes32(standardId)`. */
export function namespaceId(standardId: bigint | number): string {
  return "0x" + BigInt(standardId).toString(16).padStart(64, "0");
}

/** The id of the standard with canonical code `code`, added by the world's registrar first if missing. */
export async function standardIdOf(w: World, code: string): Promise<bigint> {
  const existing = await w.registry.standardIdOf(code);
  if (existing !== 0n) return existing;
  await (await w.registry.connect(w.registrar).addStandard(code, `https://registry.example/${code}`)).wait();
  return await w.registry.standardCount();
}

/**
 * A valid report submission for `projectId`: `quantity` serials from `serialStart`, over a period running from the
 * project's last issued period end (or a year ago) to now. Advances time by a day first so the period is never empty.
 */
export async function reportFor(
  w: World,
  projectId: bigint,
  quantity: bigint,
  serialStart: bigint,
  overrides: Partial<ReportSubmission> = {},
): Promise<ReportSubmission> {
  await w.connection.networkHelpers.time.increase(86_400);
  const now = BigInt(await w.connection.networkHelpers.time.latest());
  const project = await w.registry.getProject(projectId);
  return {
    projectId,
    periodStart: project.lastIssuedPeriodEnd || now - 31_536_000n,
    periodEnd: now,
    quantity,
    serialStart,
    serialEnd: serialStart + quantity - 1n,
    reportHash: freshHash("report"),
    uri: "ipfs://report",
    ...overrides,
  };
}

/** Submits a report as the world's proponent; returns the new report id and what was submitted. */
export async function submitReport(
  w: World,
  projectId: bigint,
  quantity: bigint,
  serialStart: bigint,
  overrides: Partial<ReportSubmission> = {},
): Promise<{ reportId: bigint; report: ReportSubmission }> {
  const report = await reportFor(w, projectId, quantity, serialStart, overrides);
  await (await w.registry.connect(w.proponent).submitReport(report)).wait();
  const [, , reports] = await w.registry.counts();
  return { reportId: reports, report };
}

/** Submits a report and has the world's verifier verify it; returns the report id and what was submitted. */
export async function verifiedReport(
  w: World,
  projectId: bigint,
  quantity: bigint,
  serialStart: bigint,
  overrides: Partial<ReportSubmission> = {},
): Promise<{ reportId: bigint; report: ReportSubmission }> {
  const submitted = await submitReport(w, projectId, quantity, serialStart, overrides);
  await (await w.registry.connect(w.verifier).verifyReport(submitted.reportId, freshHash("verification"))).wait();
  return submitted;
}

/**
 * Registers a project ("<standard>-EXTRA-<n>") for the world's proponent under methodology 1 and standard `standard`
 * (added if missing) and approves it; returns its id.
 */
export async function extraProject(w: World, standard: string, bufferBps = 2_000): Promise<bigint> {
  await (
    await w.registry.connect(w.proponent).registerProject({
      methodologyId: 1,
      bufferBps,
      standardId: await standardIdOf(w, standard),
      externalRef: `${standard}-EXTRA-${++refNonce}`,
      jurisdiction: "KE",
      uri: `ipfs://${standard}-extra`,
    })
  ).wait();
  const [, projects] = await w.registry.counts();
  await (await w.registry.connect(w.registrar).approveProject(projects, id("approved"))).wait();
  return projects;
}

/** The ERC-165 interface id of every function of `iface` (XOR of the selectors). */
export function interfaceId(iface: Interface): string {
  let xor = 0n;
  iface.forEachFunction((fn) => {
    xor ^= BigInt(fn.selector);
  });
  return "0x" + xor.toString(16).padStart(8, "0");
}

/** The events named `name` that `contract` emitted in the mined transaction `tx`, parsed. */
export async function eventsOf(
  tx: ContractTransactionResponse,
  contract: { interface: Interface; getAddress(): Promise<string> },
  name: string,
) {
  const receipt = await tx.wait();
  const address = (await contract.getAddress()).toLowerCase();
  return (receipt?.logs ?? [])
    .filter((log: Log) => log.address.toLowerCase() === address)
    .map((log: Log) => contract.interface.parseLog(log))
    .filter((parsed) => parsed !== null && parsed.name === name)
    .map((parsed) => parsed!.args);
}

/**
 * A `loadFixture` for fixtures that build on each other (a fixture may load another one first). The network
 * helpers' own `loadFixture` orders snapshots by their ids, which a chain of nested fixtures invalidates; this one
 * keeps the snapshots as a chain in creation order: reverting to one drops every later snapshot, as `evm_revert`
 * does, and re-takes it.
 */
export function nestedFixtures(w: World): <T>(fixture: () => Promise<T>) => Promise<T> {
  const chain: { fixture: () => Promise<unknown>; snapshot: string; data: unknown }[] = [];
  const snapshot = async (): Promise<string> =>
    (await w.connection.provider.request({ method: "evm_snapshot" })) as string;
  return async function load<T>(fixture: () => Promise<T>): Promise<T> {
    const index = chain.findIndex((entry) => entry.fixture === fixture);
    if (index !== -1) {
      const entry = chain[index];
      const reverted = await w.connection.provider.request({ method: "evm_revert", params: [entry.snapshot] });
      if (reverted !== true) throw new Error(`could not revert to the snapshot of ${fixture.name}`);
      chain.length = index;
      chain.push({ ...entry, snapshot: await snapshot() });
      return entry.data as T;
    }
    const data = await fixture();
    chain.push({ fixture, snapshot: await snapshot(), data });
    return data;
  };
}
