/**
 * `connect()`: typed handles on a deployed CNT suite, and helpers for the flows people run. Each helper checks its
 * arguments before sending (a {@link CntArgumentError}), waits for the transaction, and returns the decoded event
 * data (ids, amounts) with the receipt; a revert surfaces as a {@link CntContractError} carrying the decoded custom
 * error and its sentence.
 */
import type { ContractTransactionResponse, Provider, Signer, TransactionReceipt } from "ethers";
import { Contract, ZeroHash } from "ethers";

import {
  AccessManager__factory,
  AllowanceAuction__factory,
  CarbonCredit__factory,
  CarbonMarketplace__factory,
  CarbonRegistry__factory,
  ComplianceRegistry__factory,
  EmissionAllowance__factory,
  EmissionsLedger__factory,
  RetirementCertificate__factory,
  RetirementRegistry__factory,
} from "./contracts.js";
import {
  SuiteContracts,
  readDeployment,
  readDeploymentFile,
  type Deployment,
  type SuiteContractName,
} from "./deployments.js";
import { findCntError, type DecodedCntError, type ErrorLabels } from "./errors.js";
import { jurisdictionCode } from "./jurisdictions.js";
import { requireAddress } from "./address.js";
import { retirementRequest, type RetirementRequestOptions } from "./requests.js";
import { ClaimType } from "./generated/solidity.js";
import {
  CntArgumentError,
  requireExternalRef,
  requireId,
  requirePositive,
  requireStandardCode,
  requireUint,
} from "./validation.js";

/** A revert of one of the suite's contracts: `error` is the decoded custom error, `message` its sentence. */
export class CntContractError extends Error {
  override readonly name = "CntContractError";

  constructor(
    readonly error: DecodedCntError,
    readonly cause: unknown,
  ) {
    super(error.message);
  }
}

/** What a flow helper returns besides its decoded data. */
export interface Sent {
  receipt: TransactionReceipt;
}

/** Criteria of a marketplace bid; every field left out accepts anything (see `BatchCriteria` in ICarbonTypes.sol). */
export interface BidCriteria {
  methodologyIds?: (bigint | number)[];
  /** ISO 3166 codes ("BR", "BR-PA"); a country also matches its subdivisions. */
  jurisdictions?: string[];
  projectId?: bigint | number;
  vintageFrom?: bigint | number;
  vintageTo?: bigint | number;
  /** Bit mask: 1 removal, 2 avoidance. */
  categories?: number;
  /** Bit mask over Article 6 authorisation: 1 none, 2 NDC, 4 OIMP. */
  authorisations?: number;
  /** Bit mask over corresponding adjustment: 1 not applicable, 2 pending, 4 applied. */
  adjustments?: number;
}

/** The suite's typed contracts at `at`, bound to `runner`. */
export function contractsAt(at: Record<SuiteContractName, string>, runner: Signer | Provider) {
  return {
    manager: AccessManager__factory.connect(at.AccessManager, runner),
    registry: CarbonRegistry__factory.connect(at.CarbonRegistry, runner),
    credit: CarbonCredit__factory.connect(at.CarbonCredit, runner),
    retirement: RetirementRegistry__factory.connect(at.RetirementRegistry, runner),
    certificate: RetirementCertificate__factory.connect(at.RetirementCertificate, runner),
    marketplace: CarbonMarketplace__factory.connect(at.CarbonMarketplace, runner),
    ledger: EmissionsLedger__factory.connect(at.EmissionsLedger, runner),
    compliance: ComplianceRegistry__factory.connect(at.ComplianceRegistry, runner),
    allowance: EmissionAllowance__factory.connect(at.EmissionAllowance, runner),
    auction: AllowanceAuction__factory.connect(at.AllowanceAuction, runner),
  };
}

/** The typed contract handles of a suite. */
export type CntContracts = ReturnType<typeof contractsAt>;

const ERC20_ABI = [
  "function allowance(address owner, address spender) view returns (uint256)",
  "function approve(address spender, uint256 amount) returns (bool)",
];

/**
 * Connects to a deployed suite. `deployment` is a chain id (read from the package's `deployments/<chainId>.json`), the
 * path of a record file (a string, read and checked with {@link readDeploymentFile}; Node only), a
 * {@link Deployment} record, or the addresses by contract name. The runner's chain must be the deployment's, and the
 * registry must have code there; otherwise a {@link CntArgumentError}.
 */
export async function connect(
  runner: Signer | Provider,
  deployment: number | bigint | string | Deployment | Record<SuiteContractName, string>,
): Promise<CntClient> {
  const provider = "provider" in runner && runner.provider ? runner.provider : (runner as Provider);
  if (typeof provider?.getNetwork !== "function") {
    throw new CntArgumentError("runner", "a Signer connected to a provider, or a Provider, is needed");
  }
  const chainId = (await provider.getNetwork()).chainId;
  let record: Deployment | undefined;
  let addresses: Record<SuiteContractName, string>;
  if (typeof deployment === "number" || typeof deployment === "bigint") {
    if (BigInt(deployment) !== chainId) {
      throw new CntArgumentError("deployment", `chain id ${deployment} given, but the provider is on chain ${chainId}`);
    }
    record = await readDeployment(chainId);
    if (record === undefined)
      throw new CntArgumentError("deployment", `no CNT deployment is recorded for chain ${chainId}`);
    addresses = record.contracts;
  } else if (
    typeof deployment === "string" ||
    ("contracts" in deployment && typeof deployment.contracts === "object")
  ) {
    if (typeof deployment === "string") {
      try {
        record = await readDeploymentFile(deployment);
      } catch (error) {
        throw new CntArgumentError("deployment", (error as Error).message);
      }
    } else {
      record = deployment as Deployment;
    }
    if (BigInt(record.chainId) !== chainId) {
      throw new CntArgumentError(
        "deployment",
        `the deployment is for chain ${record.chainId}, the provider is on chain ${chainId}`,
      );
    }
    addresses = record.contracts;
  } else {
    addresses = deployment as Record<SuiteContractName, string>;
  }
  const checked = {} as Record<SuiteContractName, string>;
  for (const name of SuiteContracts) checked[name] = requireAddress(`deployment.${name}`, addresses[name]);
  if ((await provider.getCode(checked.CarbonRegistry)) === "0x") {
    throw new CntArgumentError(
      "deployment",
      `no contract at the registry address ${checked.CarbonRegistry} on chain ${chainId}`,
    );
  }
  return new CntClient(runner, chainId, checked, record);
}

/** A connected suite: `contracts` for everything, and helpers for the common flows. */
export class CntClient {
  readonly contracts: CntContracts;
  /** Names for addresses in decoded errors (the suite's contracts by name). */
  readonly labels: ErrorLabels & { names: Map<string, string> };

  constructor(
    readonly runner: Signer | Provider,
    readonly chainId: bigint,
    readonly addresses: Record<SuiteContractName, string>,
    readonly deployment?: Deployment,
  ) {
    this.contracts = contractsAt(addresses, runner);
    this.labels = { names: new Map(Object.entries(addresses).map(([name, a]) => [a.toLowerCase(), name])) };
  }

  private signer(): Signer {
    if (!("getAddress" in this.runner) || typeof this.runner.getAddress !== "function") {
      throw new CntArgumentError("runner", "sending a transaction needs a Signer, not a Provider");
    }
    return this.runner as Signer;
  }

  /** Runs a read, turning a revert of the suite into a CntContractError. */
  private async read<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof CntArgumentError || error instanceof CntContractError) throw error;
      const decoded = findCntError(error, this.labels);
      throw decoded === undefined ? error : new CntContractError(decoded, error);
    }
  }

  /** Sends, waits, and turns a revert of the suite into a CntContractError. Arguments are checked before. */
  private async send(tx: () => Promise<ContractTransactionResponse>): Promise<TransactionReceipt> {
    return this.read(async () => {
      const receipt = await (await tx()).wait();
      if (receipt === null) throw new Error("the transaction was dropped");
      return receipt;
    });
  }

  /** The first `eventName` log of `contract` in `receipt`, decoded. */
  private event(
    receipt: TransactionReceipt,
    contract: Contract | { interface: Contract["interface"]; target: unknown },
    eventName: string,
  ) {
    const target = String(contract.target).toLowerCase();
    for (const log of receipt.logs) {
      if (log.address.toLowerCase() !== target) continue;
      const parsed = contract.interface.parseLog(log);
      if (parsed?.name === eventName) return parsed.args;
    }
    throw new Error(`no ${eventName} event in transaction ${receipt.hash}`);
  }

  private async approveErc20(token: string, spender: string, amount: bigint) {
    const signer = this.signer();
    const erc20 = new Contract(token, ERC20_ABI, signer);
    if ((await erc20.allowance(await signer.getAddress(), spender)) >= amount) return;
    await this.send(() => erc20.approve(spender, amount));
  }

  private async approveAll(token: "credit" | "allowance", operator: string) {
    const contract = this.contracts[token].connect(this.signer());
    const owner = await this.signer().getAddress();
    if (!(await contract.isApprovedForAll(owner, operator)))
      await this.send(() => contract.setApprovalForAll(operator, true));
  }

  /**
   * Adds a standard (a registry's serial namespace, e.g. "VCS"); the signer needs REGISTRAR. Returns its id.
   * The code must be canonical: 1 to 16 characters of `A-Z`, `0-9`, `-` and `.`.
   */
  async addStandard(code: string, uri = ""): Promise<Sent & { standardId: bigint }> {
    requireStandardCode("code", code);
    const registry = this.contracts.registry.connect(this.signer());
    const receipt = await this.send(() => registry.addStandard(code, uri));
    return { receipt, standardId: this.event(receipt, registry, "StandardAdded").standardId as bigint };
  }

  /** Every standard of the registry, by id (from 1). */
  async standards(): Promise<{ standardId: bigint; code: string; uri: string; active: boolean }[]> {
    return this.read(async () => {
      const registry = this.contracts.registry;
      const count = await registry.standardCount();
      const out = [];
      for (let standardId = 1n; standardId <= count; ++standardId) {
        const s = await registry.getStandard(standardId);
        out.push({ standardId, code: s.code, uri: s.uri, active: s.active });
      }
      return out;
    });
  }

  /**
   * The id of a standard given by id or by its exact code ("VCS"); a {@link CntArgumentError} when the registry has
   * no such standard.
   */
  async standardId(standard: string | bigint | number): Promise<bigint> {
    if (typeof standard !== "string") return requireId("standard", standard);
    requireStandardCode("standard", standard);
    const id = await this.read(() => this.contracts.registry.standardIdOf(standard));
    if (id === 0n) throw new CntArgumentError("standard", `the registry has no standard "${standard}"`);
    return id;
  }

  /**
   * Registers a project under a standard of the registry (its code, e.g. "VCS", or its id); the signer is its
   * proponent. `externalRef` is the project's canonical reference in that standard (e.g. "VCS-1234"): one project per
   * external project. Returns its id.
   */
  async registerProject(p: {
    methodologyId: bigint | number;
    standard: string | bigint | number;
    externalRef: string;
    jurisdiction: string;
    bufferBps?: number;
    uri?: string;
  }): Promise<Sent & { projectId: bigint }> {
    const methodologyId = requireId("methodologyId", p.methodologyId);
    const bufferBps = p.bufferBps ?? 0;
    if (!Number.isInteger(bufferBps) || bufferBps < 0 || bufferBps > 10_000) {
      throw new CntArgumentError("bufferBps", `${bufferBps} is not a share in basis points (0 to 10,000)`);
    }
    if (typeof p.standard === "string" && p.standard.trim() === "") {
      throw new CntArgumentError("standard", "must not be empty");
    }
    if (typeof p.externalRef !== "string" || p.externalRef.trim() === "") {
      throw new CntArgumentError("externalRef", "must not be empty");
    }
    requireExternalRef("externalRef", p.externalRef);
    jurisdictionCode("jurisdiction", p.jurisdiction);
    const registry = this.contracts.registry.connect(this.signer());
    const standardId = await this.standardId(p.standard);
    const receipt = await this.send(() =>
      registry.registerProject({
        methodologyId,
        bufferBps,
        standardId,
        externalRef: p.externalRef,
        jurisdiction: p.jurisdiction,
        uri: p.uri ?? "",
      }),
    );
    return { receipt, projectId: this.event(receipt, registry, "ProjectRegistered").projectId as bigint };
  }

  /** Submits a monitoring report for `quantity` units (kg) with serials from `serialStart`. Returns its id. */
  async submitReport(r: {
    projectId: bigint | number;
    periodStart: bigint | number;
    periodEnd: bigint | number;
    quantity: bigint | number;
    serialStart: bigint | number;
    reportHash: string;
    uri?: string;
  }): Promise<Sent & { reportId: bigint }> {
    const projectId = requireId("projectId", r.projectId);
    const periodStart = requireUint("periodStart", r.periodStart);
    const periodEnd = requireUint("periodEnd", r.periodEnd);
    const quantity = requirePositive("quantity", r.quantity);
    const serialStart = requirePositive("serialStart", r.serialStart);
    if (!/^0x[0-9a-fA-F]{64}$/.test(r.reportHash))
      throw new CntArgumentError("reportHash", "must be a 32-byte hex hash");
    const registry = this.contracts.registry.connect(this.signer());
    const receipt = await this.send(() =>
      registry.submitReport({
        projectId,
        periodStart,
        periodEnd,
        quantity,
        serialStart,
        serialEnd: serialStart + quantity - 1n,
        reportHash: r.reportHash,
        uri: r.uri ?? "",
      }),
    );
    return { receipt, reportId: this.event(receipt, registry, "ReportSubmitted").reportId as bigint };
  }

  /** Verifies a report (an accredited VERIFIER). */
  async verifyReport(reportId: bigint | number, verificationHash: string): Promise<Sent> {
    if (!/^0x[0-9a-fA-F]{64}$/.test(verificationHash) || verificationHash === ZeroHash) {
      throw new CntArgumentError("verificationHash", "must be a non-zero 32-byte hex hash");
    }
    const id = requireId("reportId", reportId);
    const registry = this.contracts.registry.connect(this.signer());
    return { receipt: await this.send(() => registry.verifyReport(id, verificationHash)) };
  }

  /** Issues a verified report as a batch (REGISTRAR), finding the serial hint. Returns the batch. */
  async issueBatch(
    reportId: bigint | number,
  ): Promise<Sent & { batchId: bigint; toProponent: bigint; buffer: bigint; serialStart: bigint; serialEnd: bigint }> {
    const id = requireId("reportId", reportId);
    const registry = this.contracts.registry.connect(this.signer());
    const hint = await this.read(async () => {
      const report = await registry.getReport(id);
      const project = await registry.getProject(report.projectId);
      return (await registry.findSerialHint(project.namespace, report.serialStart, report.serialEnd))[0];
    });
    const receipt = await this.send(() => registry.issueBatch(id, hint));
    const e = this.event(receipt, registry, "BatchIssued");
    return {
      receipt,
      batchId: e.batchId,
      toProponent: e.toProponent,
      buffer: e.buffer,
      serialStart: e.serialStart,
      serialEnd: e.serialEnd,
    };
  }

  /**
   * Lists credits of `batchId` (or allowances of a period with `asset: "allowance"`) for sale at `unitPrice` base
   * units of `paymentToken` per kg; approves the marketplace to escrow them when needed. Returns the listing id.
   */
  async list(l: {
    asset?: "credit" | "allowance";
    id: bigint | number;
    amount: bigint | number;
    unitPrice: bigint | number;
    paymentToken: string;
    minFill?: bigint | number;
    expiry: bigint | number;
  }): Promise<Sent & { listingId: bigint }> {
    const asset = l.asset ?? "credit";
    if (asset !== "credit" && asset !== "allowance") {
      throw new CntArgumentError("asset", `${JSON.stringify(asset)} is not "credit" or "allowance"`);
    }
    const token = this.addresses[asset === "credit" ? "CarbonCredit" : "EmissionAllowance"];
    const id = requireId("id", l.id);
    const amount = requirePositive("amount", l.amount);
    const unitPrice = requirePositive("unitPrice", l.unitPrice);
    const paymentToken = requireAddress("paymentToken", l.paymentToken);
    const minFill = requireUint("minFill", l.minFill ?? 0);
    const expiry = requireUint("expiry", l.expiry);
    const marketplace = this.contracts.marketplace.connect(this.signer());
    await this.approveAll(asset, this.addresses.CarbonMarketplace);
    const receipt = await this.send(() =>
      marketplace.list(token, id, amount, unitPrice, paymentToken, minFill, expiry),
    );
    return { receipt, listingId: this.event(receipt, marketplace, "Listed").listingId as bigint };
  }

  /** Buys `amount` units from a listing, approving the exact payment when needed. Returns what was paid. */
  async buy(b: {
    listingId: bigint | number;
    amount: bigint | number;
    maxUnitPrice?: bigint | number;
    recipient?: string;
  }): Promise<Sent & { paid: bigint; fee: bigint }> {
    const listingId = requireId("listingId", b.listingId);
    const amount = requirePositive("amount", b.amount);
    const recipient =
      b.recipient === undefined ? await this.signer().getAddress() : requireAddress("recipient", b.recipient);
    const marketplace = this.contracts.marketplace.connect(this.signer());
    const listing = await this.read(() => marketplace.getListing(listingId));
    if (listing.remaining === 0n) throw new CntArgumentError("listingId", `listing ${listingId} is closed`);
    const maxUnitPrice = requireUint("maxUnitPrice", b.maxUnitPrice ?? listing.unitPrice);
    if (listing.unitPrice > maxUnitPrice) {
      throw new CntArgumentError(
        "maxUnitPrice",
        `listing ${listingId} asks ${listing.unitPrice}, above ${maxUnitPrice}`,
      );
    }
    await this.approveErc20(listing.paymentToken, this.addresses.CarbonMarketplace, amount * listing.unitPrice);
    const receipt = await this.send(() => marketplace.buy(listingId, amount, maxUnitPrice, recipient));
    const e = this.event(receipt, marketplace, "Bought");
    return { receipt, paid: e.paid, fee: e.fee };
  }

  /** Places a criteria bid, approving the escrow (`quantity × unitPrice`) when needed. Returns the bid id. */
  async placeBid(b: {
    criteria?: BidCriteria;
    quantity: bigint | number;
    unitPrice: bigint | number;
    paymentToken: string;
    expiry: bigint | number;
  }): Promise<Sent & { bidId: bigint }> {
    const quantity = requirePositive("quantity", b.quantity);
    const unitPrice = requirePositive("unitPrice", b.unitPrice);
    const paymentToken = requireAddress("paymentToken", b.paymentToken);
    const c = b.criteria ?? {};
    const criteria = {
      methodologyIds: (c.methodologyIds ?? []).map((m) => requireId("criteria.methodologyIds", m)),
      jurisdictions: (c.jurisdictions ?? []).map((j) => jurisdictionCode("criteria.jurisdictions", j)),
      projectId: requireUint("criteria.projectId", c.projectId ?? 0),
      vintageFrom: requireUint("criteria.vintageFrom", c.vintageFrom ?? 0),
      vintageTo: requireUint("criteria.vintageTo", c.vintageTo ?? 0),
      categories: requireUint("criteria.categories", c.categories ?? 0),
      authorisations: requireUint("criteria.authorisations", c.authorisations ?? 0),
      adjustments: requireUint("criteria.adjustments", c.adjustments ?? 0),
    };
    const expiry = requireUint("expiry", b.expiry);
    await this.approveErc20(paymentToken, this.addresses.CarbonMarketplace, quantity * unitPrice);
    const marketplace = this.contracts.marketplace.connect(this.signer());
    const receipt = await this.send(() => marketplace.placeBid(criteria, quantity, unitPrice, paymentToken, expiry));
    return { receipt, bidId: this.event(receipt, marketplace, "BidPlaced").bidId as bigint };
  }

  /** Sells `amount` units of `batchId` into a bid. Returns what the filler received and the fee. */
  async fillBid(
    bidId: bigint | number,
    batchId: bigint | number,
    amount: bigint | number,
  ): Promise<Sent & { proceeds: bigint; fee: bigint }> {
    const ids = [requireId("bidId", bidId), requireId("batchId", batchId), requirePositive("amount", amount)] as const;
    await this.approveAll("credit", this.addresses.CarbonMarketplace);
    const marketplace = this.contracts.marketplace.connect(this.signer());
    const receipt = await this.send(() => marketplace.fillBid(...ids));
    const e = this.event(receipt, marketplace, "BidFilled");
    return { receipt, proceeds: (e.paid as bigint) - (e.fee as bigint), fee: e.fee as bigint };
  }

  /**
   * Retires `amount` units of `batchId` for a beneficiary (default the signer), with a certificate unless
   * `certificate: false`. A neutrality claim needs `claimPeriod`. Returns the retirement and its serial range.
   */
  async retire(
    r: Omit<RetirementRequestOptions, "beneficiary"> & { beneficiary?: string },
  ): Promise<Sent & { retirementId: bigint; serialStart: bigint; serialEnd: bigint; certified: boolean }> {
    const signer = this.signer();
    const beneficiary =
      r.beneficiary === undefined ? await signer.getAddress() : requireAddress("beneficiary", r.beneficiary);
    const request = retirementRequest({ ...r, beneficiary });
    const retirement = this.contracts.retirement.connect(signer);
    const receipt = await this.send(() => retirement.retire(request));
    const e = this.event(receipt, retirement, "Retired");
    const [serialStart, serialEnd] = await retirement.serialRangeOf(e.retirementId);
    return { receipt, retirementId: e.retirementId, serialStart, serialEnd, certified: e.certified };
  }

  /** Surrenders allowances of `fromPeriod` (default `period`) for an installation's obligation (its operator). */
  async surrenderAllowances(s: {
    installationId: bigint | number;
    period: bigint | number;
    amount: bigint | number;
    fromPeriod?: bigint | number;
  }): Promise<Sent> {
    const installationId = requireId("installationId", s.installationId);
    const period = requireUint("period", s.period);
    const fromPeriod = requireUint("fromPeriod", s.fromPeriod ?? period);
    const amount = requirePositive("amount", s.amount);
    const compliance = this.contracts.compliance.connect(this.signer());
    return {
      receipt: await this.send(() => compliance.surrenderAllowances(installationId, period, [fromPeriod], [amount])),
    };
  }

  /** Surrenders credits of `batchId` as offsets (retired with a compliance claim). Returns the retirement id. */
  async surrenderOffsets(s: {
    installationId: bigint | number;
    period: bigint | number;
    batchId: bigint | number;
    amount: bigint | number;
  }): Promise<Sent & { retirementId: bigint }> {
    const installationId = requireId("installationId", s.installationId);
    const period = requireUint("period", s.period);
    const batchId = requireId("batchId", s.batchId);
    const amount = requirePositive("amount", s.amount);
    await this.approveAll("credit", this.addresses.ComplianceRegistry);
    const compliance = this.contracts.compliance.connect(this.signer());
    const receipt = await this.send(() => compliance.surrenderOffsets(installationId, period, [batchId], [amount]));
    return { receipt, retirementId: this.event(receipt, compliance, "OffsetsSurrendered").retirementId as bigint };
  }

  /** Every retirement made for `beneficiary`, newest first, with its id. */
  async retirementsOf(beneficiary: string) {
    const who = requireAddress("beneficiary", beneficiary);
    const retirement = this.contracts.retirement;
    const out = [];
    let cursor = 0n;
    do {
      const [ids, next] = await retirement.retirementsByBeneficiary(who, cursor, 100n);
      for (const id of ids) {
        const r = await retirement.getRetirement(id);
        out.push({
          retirementId: id,
          batchId: r.batchId,
          beneficiary: r.beneficiary,
          retiree: r.retiree,
          amount: r.amount,
          /** The first serial unit retired (the batch's units are numbered from 0). */
          firstUnit: r.firstUnit,
          claimType: Number(r.claimType),
          /** For a neutrality claim, the entity claimed neutral and the period; otherwise zero. */
          claimEntity: r.claimEntity,
          claimPeriod: r.claimPeriod,
          /** The batch's Article 6 status the units were retired under (`Authorisation`, `Adjustment`). */
          authorisation: Number(r.authorisation),
          adjustment: Number(r.adjustment),
          certified: r.certified,
        });
      }
      cursor = next;
    } while (cursor !== 0n);
    return out;
  }

  /**
   * Units retired for `beneficiary`: `voluntary` counts every claim but compliance surrenders (the registry's
   * `totalRetiredFor`), `byClaim` each claim type apart (`totalRetiredByClaim`); a unit counts under one type only.
   */
  async retiredTotals(beneficiary: string) {
    const who = requireAddress("beneficiary", beneficiary);
    const retirement = this.contracts.retirement;
    const byClaim = {} as Record<keyof typeof ClaimType, bigint>;
    for (const [name, claimType] of Object.entries(ClaimType) as [keyof typeof ClaimType, number][]) {
      byClaim[name] = await this.read(() => retirement.totalRetiredByClaim(who, claimType));
    }
    return { voluntary: await this.read(() => retirement.totalRetiredFor(who)), byClaim };
  }

  /** Whether `entity`'s retirements cover its verified emissions for `period`. */
  async neutrality(entity: string, period: bigint | number) {
    const who = requireAddress("entity", entity);
    const n = await this.read(() => this.contracts.ledger.neutralityStatus(who, requireUint("period", period)));
    return { verified: n.verified, emissions: n.emissions, retired: n.retired, neutral: n.neutral };
  }
}
