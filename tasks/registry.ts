/** Handlers of the registry, credit and retirement tasks (specs in `./specs/registry.ts`). */
import { ZeroAddress, ZeroHash, getAddress } from "ethers";

import { decodeDataUri } from "../scripts/lib/format.js";
import { ZERO_JURISDICTION, jurisdictionText } from "../sdk/jurisdictions.js";
import type { Args } from "./lib/args.js";
import {
  AdjustmentNames,
  AuthorisationNames,
  CategoryNames,
  ClaimTypeNames,
  ProjectStatusNames,
  ReportStatusNames,
  date,
  money,
  tonnes,
} from "./lib/format.js";
import { requireBatch } from "./lib/lookups.js";
import { CliError, type Session } from "./lib/session.js";
import { UsageError } from "./lib/args.js";

async function requireProject(s: Session, projectId: bigint) {
  const { projects } = await s.c.registry.counts();
  if (projectId > projects) throw new CliError(`project ${projectId} does not exist (${projects} registered)`);
  return s.c.registry.getProject(projectId);
}

async function requireReport(s: Session, reportId: bigint) {
  const { reports } = await s.c.registry.counts();
  if (reportId > reports) throw new CliError(`report ${reportId} does not exist (${reports} submitted)`);
  return s.c.registry.getReport(reportId);
}

/** Labels the namespace of a project's standard in decoded errors ("VCS" instead of its id as bytes32). */
async function labelNamespace(s: Session, project: { standardId: bigint; standard: string }) {
  s.labels.names.set((await s.c.registry.namespaceOf(project.standardId)).toLowerCase(), project.standard);
}

/** The id of the standard given as `--standard` by id ("1") or by its exact code ("VCS"). */
async function requireStandard(s: Session, given: string): Promise<{ standardId: bigint; code: string }> {
  const count = await s.c.registry.standardCount();
  let standardId: bigint;
  if (/^[0-9]+$/.test(given)) standardId = BigInt(given);
  else {
    standardId = await s.c.registry.standardIdOf(given);
    if (standardId === 0n) {
      const upper = given.toUpperCase().trim();
      const hint =
        upper !== given && (await s.c.registry.standardIdOf(upper)) !== 0n ? ` (did you mean ${upper}?)` : "";
      throw new CliError(`the registry has no standard "${given}"${hint}; see cnt:standard:list`);
    }
  }
  if (standardId === 0n || standardId > count) {
    throw new CliError(`standard ${standardId} does not exist (${count} added); see cnt:standard:list`);
  }
  const standard = await s.c.registry.getStandard(standardId);
  if (!standard.active) throw new CliError(`standard #${standardId} (${standard.code}) is inactive`);
  return { standardId, code: standard.code };
}

export async function addStandard(args: Args, s: Session) {
  const code = args.text("code");
  const receipt = await s.send(`standard ${code} added`, () =>
    s.c.registry.addStandard(code, args.has("uri") ? args.text("uri") : ""),
  );
  const [event] = s.events(receipt, s.c.registry, "StandardAdded");
  console.log(`standard #${event.standardId}: ${code}`);
}

export async function listStandards(_args: Args, s: Session) {
  const count = await s.c.registry.standardCount();
  if (count === 0n) {
    console.log("no standards yet (the registrar adds them with cnt:standard:add)");
    return;
  }
  const rows: [string, string][] = [];
  for (let standardId = 1n; standardId <= count; ++standardId) {
    const st = await s.c.registry.getStandard(standardId);
    rows.push([`#${standardId} ${st.code}`, `${st.active ? "active" : "inactive"}${st.uri ? `, ${st.uri}` : ""}`]);
  }
  s.show(rows);
}

export async function info(_args: Args, s: Session) {
  const d = s.deployment;
  console.log(`CNT on ${s.networkName} (chain ${s.chainId}), recorded in deployments/${s.chainId}.json`);
  s.show(Object.entries(d.contracts).map(([name, address]) => [name, address]));
  console.log("Roles:");
  s.show(
    Object.entries(d.roles).map(([role, { id, holders }]) => [
      `${role} (${id})`,
      role === "PUBLIC" ? "anyone" : holders.map((h) => s.name(h)).join(", ") || "no one",
    ]),
  );
  const { methodologies, projects, reports, batches } = await s.c.registry.counts();
  const [fee, treasury] = await s.c.marketplace.feeInfo();
  console.log("State:");
  s.show([
    ["registry", `${methodologies} methodologies, ${projects} projects, ${reports} reports, ${batches} batches`],
    ["retirements", `${await s.c.retirement.retirementCount()}`],
    ["marketplace", `${await s.c.marketplace.listingCount()} listings, ${await s.c.marketplace.bidCount()} bids`],
    ["fee", `${Number(fee) / 100}% to ${s.name(treasury)}`],
    ["penalties to", s.name(await s.c.compliance.treasury())],
    ["auction proceeds to", s.name(await s.c.auction.treasury())],
    ["payment tokens", d.paymentTokens.map((t) => `${t.symbol} ${t.address}`).join(", ") || "none"],
    ["compliance", `${await s.c.compliance.installationCount()} installations`],
    ["auctions", `${(await s.c.auction.counts()).auctions}`],
    [
      "paused",
      (
        await Promise.all(
          (
            ["registry", "credit", "retirement", "marketplace", "ledger", "compliance", "allowance", "auction"] as const
          ).map(async (k) => ((await s.c[k].paused()) ? k : undefined)),
        )
      )
        .filter(Boolean)
        .join(", ") || "nothing",
    ],
    ["chain time", date(BigInt((await s.ethers.provider.getBlock("latest"))!.timestamp))],
    ["signer", s.name(s.signer.address)],
  ]);
}

export async function addMethodology(args: Args, s: Session) {
  const category = args.choice("category", { removal: 0n, avoidance: 1n });
  const receipt = await s.send(`methodology ${args.text("code")} added`, () =>
    s.c.registry.addMethodology(args.text("code"), category, args.text("uri")),
  );
  const [event] = s.events(receipt, s.c.registry, "MethodologyAdded");
  console.log(`methodology #${event.methodologyId}: ${args.text("code")} (${CategoryNames[Number(category)]})`);
}

export async function accreditVerifier(args: Args, s: Session) {
  const verifier = await s.account(args.text("verifier"), "--verifier");
  const methodologyId = args.id("methodology");
  const { methodologies } = await s.c.registry.counts();
  if (methodologyId > methodologies) {
    throw new CliError(`methodology ${methodologyId} does not exist (${methodologies} added)`);
  }
  const m = await s.c.registry.getMethodology(methodologyId);
  await s.send(`${s.name(verifier)} accredited for methodology #${methodologyId} (${m.code})`, () =>
    s.c.registry.accreditVerifier(verifier, methodologyId),
  );
}

export async function registerProject(args: Args, s: Session) {
  const bufferBps = args.has("buffer") ? args.percent("buffer", 5_000n) : 0n;
  args.jurisdiction("jurisdiction"); // refused here, with the canonical spelling, before anything is sent
  const { standardId, code: standard } = await requireStandard(s, args.text("standard"));
  await labelNamespace(s, { standardId, standard });
  const receipt = await s.send(`project ${args.text("ref")} registered`, () =>
    s.c.registry.registerProject({
      methodologyId: args.id("methodology"),
      bufferBps,
      standardId,
      externalRef: args.text("ref"),
      jurisdiction: args.text("jurisdiction"),
      uri: args.text("uri"),
    }),
  );
  const [event] = s.events(receipt, s.c.registry, "ProjectRegistered");
  console.log(
    `project #${event.projectId}: ${standard} ${args.text("ref")} in ${args.text("jurisdiction")}, proponent ` +
      `${s.name(s.signer.address)}, buffer ${Number(bufferBps) / 100}%, pending approval`,
  );
}

export async function approveProject(args: Args, s: Session) {
  const projectId = args.id("project");
  const project = await requireProject(s, projectId);
  const reason = args.has("reason") ? args.hash("reason") : ZeroHash;
  await s.send(`project #${projectId} (${project.standard} ${project.externalRef}) approved`, () =>
    s.c.registry.approveProject(projectId, reason),
  );
}

export async function showProject(args: Args, s: Session) {
  const projectId = args.id("project");
  const p = await requireProject(s, projectId);
  const m = await s.c.registry.getMethodology(p.methodologyId);
  const batches = await s.c.registry.projectBatches(projectId);
  console.log(`Project #${projectId}: ${p.standard} ${p.externalRef}`);
  s.show([
    ["status", ProjectStatusNames[Number(p.status)]],
    ["proponent", s.name(p.proponent)],
    ["methodology", `#${p.methodologyId} ${m.code} (${CategoryNames[Number(m.category)]})`],
    ["jurisdiction", jurisdictionText(p.jurisdiction)],
    [
      "buffer",
      `${Number(p.bufferBps) / 100}% of each issuance; pool holds ${tonnes(await s.c.registry.bufferBalance(projectId))}`,
    ],
    ["issued up to", date(p.lastIssuedPeriodEnd)],
    ["reversed", `${tonnes(p.reversed)}, shortfall still owed ${tonnes(p.reversalShortfall)}`],
    ["batches", batches.length === 0 ? "none" : batches.map((b) => `#${b}`).join(", ")],
    ["documents", p.uri || "—"],
  ]);
}

/** `--serials 1` or `--serials 1-12500000`: the first and last serial (one per kg unit). */
function serialRange(args: Args, quantity: bigint): [bigint, bigint] {
  const match = /^(\d+)(?:\s*[-–]\s*(\d+))?$/.exec(args.text("serials").replace(/[,_]/g, ""));
  if (!match)
    throw new UsageError(`--serials ${JSON.stringify(args.text("serials"))}: expected first-last, e.g. 1-10000000`);
  const first = BigInt(match[1]);
  const last = match[2] === undefined ? first + quantity - 1n : BigInt(match[2]);
  return [first, last];
}

export async function submitReport(args: Args, s: Session) {
  const projectId = args.id("project");
  const project = await requireProject(s, projectId);
  const quantity = args.tonnes("quantity");
  const [serialStart, serialEnd] = serialRange(args, quantity);
  await labelNamespace(s, project);
  const receipt = await s.send(`report for project #${projectId} submitted`, () =>
    s.c.registry.submitReport({
      projectId,
      periodStart: args.date("start"),
      periodEnd: args.date("end"),
      quantity,
      serialStart,
      serialEnd,
      reportHash: args.hash("document"),
      uri: args.text("uri"),
    }),
  );
  const [event] = s.events(receipt, s.c.registry, "ReportSubmitted");
  console.log(
    `report #${event.reportId}: ${tonnes(quantity)} for ${date(args.date("start"))} – ${date(args.date("end"))}, ` +
      `serials ${serialStart}–${serialEnd}, awaiting verification`,
  );
}

export async function verifyReport(args: Args, s: Session) {
  const reportId = args.id("report");
  const report = await requireReport(s, reportId);
  await s.send(`report #${reportId} (${tonnes(report.quantity)}, project #${report.projectId}) verified`, () =>
    s.c.registry.verifyReport(reportId, args.hash("statement")),
  );
}

export async function issueBatch(args: Args, s: Session) {
  const reportId = args.id("report");
  const report = await requireReport(s, reportId);
  const project = await s.c.registry.getProject(report.projectId);
  await labelNamespace(s, project);
  const [hint] = await s.c.registry.findSerialHint(project.namespace, report.serialStart, report.serialEnd);
  const receipt = await s.send(`batch issued for report #${reportId}`, () => s.c.registry.issueBatch(reportId, hint));
  const [event] = s.events(receipt, s.c.registry, "BatchIssued");
  console.log(
    `batch #${event.batchId}: ${tonnes(event.toProponent as bigint)} to ${s.name(project.proponent)}, ` +
      `${tonnes(event.buffer as bigint)} to the buffer pool; ${project.standard} serials ${event.serialStart}–${event.serialEnd}, ` +
      `vintage ${date(event.vintageStart as bigint)} – ${date(event.vintageEnd as bigint)}`,
  );
}

export async function showBatch(args: Args, s: Session) {
  const batchId = args.id("batch");
  const b = await requireBatch(s, batchId);
  const project = await s.c.registry.getProject(b.projectId);
  const supply = await s.c.credit.supplyOf(batchId);
  console.log(`Batch #${batchId}: ${project.standard} ${project.externalRef}`);
  s.show([
    ["project", `#${b.projectId} (${jurisdictionText(project.jurisdiction)}), report #${b.reportId}`],
    ["vintage", `${date(b.vintageStart)} – ${date(b.vintageEnd)}`],
    ["serials", `${b.serialStart}–${b.serialEnd}`],
    ["issued", tonnes(supply.issued)],
    ["in circulation", tonnes(await s.c.credit.totalSupply(batchId))],
    ["retired", tonnes(supply.retired)],
    ["cancelled", tonnes(supply.cancelled)],
    ["buffer left", tonnes(b.bufferRemaining)],
    ["suspended", (await s.c.credit.isSuspended(batchId)) ? "yes" : "no"],
    [
      "Article 6",
      `authorisation ${AuthorisationNames[Number(b.authorisation)]}, adjustment ${AdjustmentNames[Number(b.adjustment)]}`,
    ],
  ]);
}

export async function transfer(args: Args, s: Session) {
  const to = await s.account(args.text("to"), "--to");
  const batchId = args.id("batch");
  await requireBatch(s, batchId);
  const amount = args.tonnes("amount");
  await s.send(`${tonnes(amount)} of batch #${batchId} sent to ${s.name(to)}`, () =>
    s.c.credit.safeTransferFrom(s.signer.address, to, batchId, amount, "0x"),
  );
  console.log(
    `balance of ${s.name(s.signer.address)}: ${tonnes(await s.c.credit.balanceOf(s.signer.address, batchId))}`,
  );
}

export async function balance(args: Args, s: Session) {
  const account = args.has("account") ? await s.account(args.text("account"), "--account") : s.signer.address;
  console.log(`Balances of ${s.name(account)}`);
  const { batches } = await s.c.registry.counts();
  const rows: [string, string][] = [];
  for (let batchId = 1n; batchId <= batches; batchId++) {
    const [held, retired] = await Promise.all([
      s.c.credit.balanceOf(account, batchId),
      s.c.credit.retiredBalanceOf(account, batchId),
    ]);
    if (held === 0n && retired === 0n) continue;
    rows.push([`credits, batch #${batchId}`, `${tonnes(held)} held, ${tonnes(retired)} retired for it`]);
  }
  rows.push(["retired for it (voluntary claims)", tonnes(await s.c.retirement.totalRetiredFor(account))]);
  rows.push([
    "surrendered for it (compliance)",
    tonnes(await s.c.retirement.totalRetiredByClaim(account, 2)), // ClaimType.Compliance
  ]);
  const periods = new Set<bigint>();
  for (const event of await s.c.compliance.queryFilter(s.c.compliance.filters.PeriodOpened(), s.deployment.fromBlock)) {
    periods.add(event.args.period);
  }
  for (const period of [...periods].sort()) {
    const held = await s.c.allowance.balanceOf(account, period);
    if (held > 0n) rows.push([`allowances ${period}`, tonnes(held)]);
  }
  for (const { address } of s.deployment.paymentTokens) {
    const token = await s.token(address);
    rows.push([token.symbol, money(await token.contract.balanceOf(account), token.decimals)]);
  }
  s.show(rows);
}

export async function retire(args: Args, s: Session) {
  const batchId = args.id("batch");
  await requireBatch(s, batchId);
  const amount = args.tonnes("amount");
  const beneficiary = args.has("beneficiary")
    ? await s.account(args.text("beneficiary"), "--beneficiary")
    : s.signer.address;
  const claimType = args.has("claim") ? args.choice("claim", { offset: 0n, neutrality: 1n, ndc: 3n, corsia: 4n }) : 0n;
  if (claimType === 1n && !args.has("period")) {
    throw new UsageError("--claim neutrality needs --period <year>, the inventory period it counts against");
  }
  const receipt = await s.send(`${tonnes(amount)} of batch #${batchId} retired`, () =>
    s.c.retirement.retire({
      ids: [batchId],
      amounts: [amount],
      beneficiary,
      beneficiaryName: args.text("beneficiaryName"),
      beneficiaryCommitment: ZeroHash,
      claimType,
      claimEntity: claimType === 1n ? beneficiary : ZeroAddress,
      claimPeriod: claimType === 1n ? args.year("period") : 0n,
      consumptionJurisdiction: args.has("consumption") ? args.jurisdiction("consumption") : ZERO_JURISDICTION,
      consumptionStart: 0n,
      consumptionEnd: 0n,
      reason: args.text("reason"),
      skipCertificate: args.flag("noCertificate"),
    }),
  );
  const [event] = s.events(receipt, s.c.retirement, "Retired");
  const [serialStart, serialEnd] = await s.c.retirement.serialRangeOf(event.retirementId as bigint);
  console.log(
    `retirement #${event.retirementId}: ${tonnes(amount)} for ${args.text("beneficiaryName")} (${s.name(beneficiary)}), ` +
      `${ClaimTypeNames[Number(claimType)]}, serials ${serialStart}–${serialEnd}` +
      (event.certified ? `; certificate #${event.retirementId} minted` : "; no certificate"),
  );
}

export async function showCertificate(args: Args, s: Session) {
  const retirementId = args.id("retirement");
  const count = await s.c.retirement.retirementCount();
  if (retirementId > count) throw new CliError(`retirement ${retirementId} does not exist (${count} recorded)`);
  const r = await s.c.retirement.getRetirement(retirementId);
  const [serialStart, serialEnd] = await s.c.retirement.serialRangeOf(retirementId);
  console.log(`Retirement #${retirementId}`);
  const rows: [string, string][] = [
    ["amount", tonnes(r.amount)],
    ["batch", `#${r.batchId}, serials ${serialStart}–${serialEnd}`],
    ["beneficiary", s.name(r.beneficiary)],
    ["retired by", s.name(r.retiree)],
    ["claim", ClaimTypeNames[Number(r.claimType)]],
  ];
  if (!r.certified) {
    rows.push(["certificate", "none (retired without one)"]);
    s.show(rows);
    return;
  }
  const metadata = decodeDataUri(await s.c.certificate.tokenURI(retirementId)) as {
    name: string;
    description?: string;
    attributes?: { trait_type: string; value: unknown }[];
  };
  rows.push([
    "certificate",
    `${metadata.name}, owner ${s.name(getAddress(await s.c.certificate.ownerOf(retirementId)))}, soulbound`,
  ]);
  for (const attribute of metadata.attributes ?? []) rows.push([`  ${attribute.trait_type}`, String(attribute.value)]);
  rows.push(["SVG", `${(await s.c.certificate.svg(retirementId)).length} bytes, on chain`]);
  s.show(rows);
}
