/**
 * The sentences of the CNT suite's reverts, with no dependency on ethers or viem: both SDK entries (`cnt-protocol`
 * for ethers, `cnt-protocol/viem`) decode revert data with their library and render it here.
 *
 * Every custom error of the production contracts (their own, the libraries' and the inherited OpenZeppelin ones) has
 * a hand-written sentence template below, grouped by contract. A message is one English sentence with the values that
 * explain it: credit, allowance and emission amounts in tCO2e (1 unit = 1 kg CO2e, 1,000 units = 1 tCO2e), timestamps
 * as UTC dates, enums and roles by name, bytes32 keys and addresses through optional labels.
 */
import { CriteriaMismatch, ENUM_MEMBERS, ERROR_SIGNATURES, FUNCTION_NAMES, Roles } from "./generated/solidity.js";
import { CROSS_BORDER_RULE_TEXT, jurisdictionText } from "./jurisdictions.js";
import { KG_PER_TONNE, formatTonnes } from "./units.js";
import { enumWords } from "./words.js";

// ------------------------------------------------------------------------------------------------------ public API

export interface ErrorLabels {
  /** Optional names for bytes32 keys (e.g. keccak256("VCS") -> "VCS") and addresses (address -> "Acme Corp"). Keys lowercase hex. */
  names?: ReadonlyMap<string, string>;
}

export interface DecodedCntError {
  name: string;
  signature: string;
  args: Record<string, unknown>;
  message: string;
}

/**
 * The sentence of a decoded error, from its name and its arguments by parameter name, whichever library decoded it
 * (integers as bigint): `errorMessage("ERC20InsufficientAllowance", { spender, allowance: 0n, needed: 15_000n })`.
 * The builtins read `Error` with `{ message }` and `Panic` with `{ code }`. An error without a template reads
 * `reverted with Name(arg=value, …)`.
 */
export function errorMessage(name: string, args: Record<string, unknown>, labels?: ErrorLabels): string {
  if (name === "Error" && typeof args.message === "string") return `reverted: ${args.message}`;
  if (name === "Panic" && typeof args.code === "bigint") {
    const meaning = PANIC_CODES.get(args.code) ?? "unknown panic code";
    return `panic 0x${args.code.toString(16).padStart(2, "0")}: ${meaning}`;
  }
  const template = TEMPLATES[name];
  if (template !== undefined) {
    try {
      return template(asBigInts(args), new Formatter(labels));
    } catch {
      // fall through to the generic description
    }
  }
  const shown = Object.entries(args).map(([key, value]) => `${key}=${String(value)}`);
  return `reverted with ${name}(${shown.join(", ")})`;
}

/**
 * The arguments with integers as bigints: viem decodes integers of up to 48 bits (uint8 enums, uint32 ids, …) as
 * numbers, ethers every integer as a bigint; the templates read bigints.
 */
export function asBigInts(args: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args)) {
    out[key] = typeof value === "number" && Number.isSafeInteger(value) ? BigInt(value) : value;
  }
  return out;
}

/**
 * A unix timestamp (seconds) as a UTC date: 1774915200n -> "2026-03-31 00:00 UTC"; seconds are shown only when not
 * zero ("2026-03-31 00:00:59 UTC"). 0 reads "0 (unset)"; a value beyond the JavaScript date range "timestamp N".
 */
export function formatTimestamp(seconds: bigint): string {
  if (seconds === 0n) return "0 (unset)";
  if (seconds < 0n || seconds > MAX_DATE_SECONDS) return `timestamp ${seconds}`;
  const iso = new Date(Number(seconds) * 1000).toISOString(); // 2026-03-31T00:00:59.000Z
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 16);
  const secs = iso.slice(17, 19);
  return `${date} ${time}${secs === "00" ? "" : ":" + secs} UTC`;
}

// ------------------------------------------------------------------------------------------------------ constants

const MAX_DATE_SECONDS = 8_640_000_000_000n; // new Date() accepts up to 8.64e15 ms
const BPS = 10_000n;
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

/** Role ids of the suite's AccessManager by id (contracts/access/Roles.sol). */
const ROLE_NAMES: ReadonlyMap<bigint, string> = new Map(Object.entries(Roles).map(([name, id]) => [id, name]));

type EnumName = keyof typeof ENUM_MEMBERS;

/** What each {CriteriaMismatch} says about the batch, for "fails the … criterion". */
const MISMATCH_TEXT = enumWords(CriteriaMismatch, {
  None: "no",
  Project: "project",
  Methodology: "methodology",
  Category: "category (removal or avoidance)",
  Vintage: "vintage window",
  Jurisdiction: "jurisdiction",
  Authorisation: "Article 6 authorisation",
  Adjustment: "corresponding-adjustment",
});

/** Solidity panic codes by meaning. */
const PANIC_CODES: ReadonlyMap<bigint, string> = new Map([
  [0x00n, "generic compiler panic"],
  [0x01n, "assertion failed"],
  [0x11n, "arithmetic overflow or underflow"],
  [0x12n, "division or modulo by zero"],
  [0x21n, "invalid enum value"],
  [0x22n, "invalid storage byte array encoding"],
  [0x31n, "pop on an empty array"],
  [0x32n, "array index out of bounds"],
  [0x41n, "out of memory (allocation too large)"],
  [0x51n, "call to an uninitialised internal function"],
]);

// ------------------------------------------------------------------------------------------------------ formatting

/** The value formatters the templates use. A value of the wrong type shows as "undefined" so tests notice it. */
class Formatter {
  private readonly names: ReadonlyMap<string, string>;

  constructor(labels?: ErrorLabels) {
    const names = new Map<string, string>();
    for (const [key, name] of labels?.names ?? []) names.set(key.toLowerCase(), name);
    this.names = names;
  }

  /** Credit, allowance or emission units (kg) in tCO2e. */
  t(value: unknown): string {
    return typeof value === "bigint" ? formatTonnes(value) : "undefined";
  }

  /** A unix timestamp as a UTC date. */
  time(value: unknown): string {
    return typeof value === "bigint" ? formatTimestamp(value) : "undefined";
  }

  /** An id, a period, a serial number, a count: the plain integer. */
  n(value: unknown): string {
    return typeof value === "bigint" ? value.toString() : "undefined";
  }

  /**
   * A unit price (payment-token base units per unit, a kg) as people quote it, per tCO2e: "15,000,000 base units per
   * tCO2e (15,000 per kg)". The token's decimals are not in the error: a client that knows them can say "15 USDC".
   */
  perTonne(value: unknown): string {
    if (typeof value !== "bigint") return "undefined";
    return `${(value * KG_PER_TONNE).toLocaleString("en-US")} base units per tCO2e (${value.toLocaleString("en-US")} per kg)`;
  }

  /** A price or a token amount in base units, grouped by thousands. */
  num(value: unknown): string {
    return typeof value === "bigint" ? value.toLocaleString("en-US") : "undefined";
  }

  /** Basis points with their percentage: "2,500 bps (25%)". */
  bps(value: unknown): string {
    if (typeof value !== "bigint") return "undefined";
    const hundredths = (value * 10_000n) / BPS; // percent × 100
    const whole = hundredths / 100n;
    const fraction = (hundredths % 100n).toString().padStart(2, "0").replace(/0+$/, "");
    return `${value.toLocaleString("en-US")} bps (${whole.toLocaleString("en-US")}${fraction ? "." + fraction : ""}%)`;
  }

  /** An address through the labels, else as decoded (both decoders checksum it); the zero address by name. */
  addr(value: unknown): string {
    if (typeof value !== "string") return "undefined";
    const label = this.names.get(value.toLowerCase());
    if (label !== undefined) return label;
    if (value.toLowerCase() === ZERO_ADDRESS) return "the zero address";
    return value;
  }

  /** A jurisdiction in compact form as its ISO 3166 code ("BR-PA"), or its hex when it is not text. */
  jurisdiction(value: unknown): string {
    if (typeof value !== "string") return "undefined";
    const text = jurisdictionText(value);
    return /^[A-Z0-9-]+$/.test(text) ? text : value;
  }

  /** A bytes32 key (namespace, hash) through the labels, else short hex. */
  key(value: unknown): string {
    if (typeof value !== "string") return "undefined";
    return this.names.get(value.toLowerCase()) ?? shortHex(value);
  }

  /** An AccessManager role by name ("the REGISTRAR role"), else "role N". */
  role(value: unknown): string {
    if (typeof value !== "bigint") return "undefined";
    const name = ROLE_NAMES.get(value);
    return name === undefined ? `role ${value}` : `the ${name} role`;
  }

  /** An enum member by name, else "<Enum> N". */
  enumName(kind: EnumName, value: unknown): string {
    if (typeof value !== "bigint") return "undefined";
    const members: readonly string[] = ENUM_MEMBERS[kind];
    return value < BigInt(members.length) ? members[Number(value)] : `${kind} ${value}`;
  }

  /** What a CriteriaMismatch reason says. */
  mismatch(value: unknown): string {
    if (typeof value !== "bigint") return "undefined";
    return value < BigInt(MISMATCH_TEXT.length) ? MISMATCH_TEXT[Number(value)] : `CriteriaMismatch ${value}`;
  }

  /** A function selector as the suite's function name ("pause()"), else its hex. */
  fn(value: unknown): string {
    if (typeof value !== "string") return "undefined";
    const name = FUNCTION_NAMES[value.toLowerCase()];
    return name === undefined ? `function ${value.toLowerCase()}` : `${name}()`;
  }

  /** A duration in seconds, in the largest whole unit. */
  duration(value: unknown): string {
    if (typeof value !== "bigint") return "undefined";
    const plural = (n: bigint, unit: string) => `${n.toLocaleString("en-US")} ${unit}${n === 1n ? "" : "s"}`;
    if (value !== 0n && value % 86_400n === 0n) return plural(value / 86_400n, "day");
    if (value !== 0n && value % 3_600n === 0n) return plural(value / 3_600n, "hour");
    if (value !== 0n && value % 60n === 0n) return plural(value / 60n, "minute");
    return plural(value, "second");
  }

  /** `yes` when the flag is true, `no` when false. */
  flag(value: unknown, yes: string, no: string): string {
    return typeof value === "boolean" ? (value ? yes : no) : "undefined";
  }

  /** Whether an address is the zero address. */
  isZero(value: unknown): boolean {
    return typeof value === "string" && value.toLowerCase() === ZERO_ADDRESS;
  }
}

function shortHex(hex: string): string {
  return hex.length <= 18 ? hex.toLowerCase() : `${hex.slice(0, 8)}…${hex.slice(-6)}`.toLowerCase();
}

// ------------------------------------------------------------------------------------------------------ templates

/** A sentence template: the decoded arguments by parameter name, and the formatters. */
type Template = (a: Record<string, unknown>, f: Formatter) => string;

const ACCESS_MANAGED: Record<string, Template> = {
  AccessManagedUnauthorized: (a, f) => `${f.addr(a.caller)} is not allowed to call this function (missing role)`,
  AccessManagedRequiredDelay: (a, f) =>
    `${f.addr(a.caller)} must schedule this call in the AccessManager and execute it after a delay of ${f.duration(a.delay)}`,
  AccessManagedInvalidAuthority: (a, f) => `${f.addr(a.authority)} is not a valid AccessManager (authority)`,
};

const ACCESS_MANAGER: Record<string, Template> = {
  AccessManagerAlreadyScheduled: (a, f) => `operation ${f.key(a.operationId)} is already scheduled`,
  AccessManagerBadConfirmation: () => "a role can only be renounced by its holder, who must confirm its own address",
  AccessManagerExpired: (a, f) => `scheduled operation ${f.key(a.operationId)} has expired`,
  AccessManagerInvalidInitialAdmin: (a, f) => `${f.addr(a.initialAdmin)} cannot be the AccessManager's initial admin`,
  AccessManagerLockedFunction: (a, f) =>
    `${f.fn(a.selector)} is locked: a target's authority can only be changed with updateAuthority`,
  AccessManagerLockedRole: (a, f) => `${f.role(a.roleId)} is locked and cannot be changed this way`,
  AccessManagerNotReady: (a, f) =>
    `scheduled operation ${f.key(a.operationId)} is not ready yet (its delay has not passed)`,
  AccessManagerNotScheduled: (a, f) => `operation ${f.key(a.operationId)} is not scheduled`,
  AccessManagerUnauthorizedAccount: (a, f) => `${f.addr(a.msgsender)} does not hold ${f.role(a.roleId)}`,
  AccessManagerUnauthorizedCall: (a, f) =>
    `${f.addr(a.caller)} is not allowed to call ${f.fn(a.selector)} on ${f.addr(a.target)}`,
  AccessManagerUnauthorizedCancel: (a, f) =>
    `${f.addr(a.msgsender)} may not cancel ${f.addr(a.caller)}'s scheduled call of ${f.fn(a.selector)} on ${f.addr(a.target)}`,
  AccessManagerUnauthorizedConsume: (a, f) => `${f.addr(a.target)} may not consume this scheduled operation`,
  AddressEmptyCode: (a, f) => `${f.addr(a.target)} has no contract code`,
  FailedCall: () => "the low-level call failed without a reason",
  InsufficientBalance: (a, f) =>
    `the contract's balance of ${f.num(a.balance)} wei is less than the ${f.num(a.needed)} wei needed`,
  SafeCastOverflowedUintDowncast: (a, f) => `${f.num(a.value)} does not fit in ${f.n(a.bits)} bits`,
};

const OPENZEPPELIN_COMMON: Record<string, Template> = {
  EnforcedPause: () => "the contract is paused",
  ExpectedPause: () => "the contract is not paused",
  ReentrancyGuardReentrantCall: () => "reentrant call refused: the contract was called back during a call",
  SafeERC20FailedOperation: (a, f) => `the ERC-20 transfer of ${f.addr(a.token)} failed (reverted or returned false)`,
  StringsInsufficientHexLength: (a, f) => `${f.num(a.value)} does not fit in ${f.n(a.length)} hex bytes`,
};

const ERC1155: Record<string, Template> = {
  ERC1155InsufficientBalance: (a, f) =>
    `${f.addr(a.sender)} holds ${f.t(a.balance)} of token id ${f.n(a.tokenId)}, less than the ${f.t(a.needed)} needed`,
  ERC1155InvalidApprover: (a, f) => `${f.addr(a.approver)} cannot approve operators`,
  ERC1155InvalidArrayLength: (a, f) =>
    `${f.n(a.idsLength)} token ids but ${f.n(a.valuesLength)} amounts: the lists must be the same length`,
  ERC1155InvalidOperator: (a, f) => `${f.addr(a.operator)} cannot be an operator`,
  ERC1155InvalidReceiver: (a, f) =>
    `${f.addr(a.receiver)} cannot receive these tokens (the zero address, or a contract that rejects them)`,
  ERC1155InvalidSender: (a, f) => `${f.addr(a.sender)} cannot send these tokens`,
  ERC1155MissingApprovalForAll: (a, f) => `${f.addr(a.operator)} is not approved to move ${f.addr(a.owner)}'s tokens`,
};

const ERC721: Record<string, Template> = {
  ERC721IncorrectOwner: (a, f) =>
    `${f.addr(a.sender)} does not own certificate ${f.n(a.tokenId)} (its owner is ${f.addr(a.owner)})`,
  ERC721InsufficientApproval: (a, f) => `${f.addr(a.operator)} is not approved for certificate ${f.n(a.tokenId)}`,
  ERC721InvalidApprover: (a, f) => `${f.addr(a.approver)} cannot approve certificates`,
  ERC721InvalidOperator: (a, f) => `${f.addr(a.operator)} cannot be a certificate operator`,
  ERC721InvalidOwner: (a, f) => `${f.addr(a.owner)} cannot own certificates`,
  ERC721InvalidReceiver: (a, f) => `${f.addr(a.receiver)} cannot receive certificates`,
  ERC721InvalidSender: (a, f) => `${f.addr(a.sender)} cannot send certificates`,
  ERC721NonexistentToken: (a, f) => `certificate ${f.n(a.tokenId)} does not exist`,
};

const ERC20: Record<string, Template> = {
  ERC20InsufficientBalance: (a, f) =>
    `${f.addr(a.sender)} holds ${f.num(a.balance)} of the payment token, less than the ${f.num(a.needed)} needed`,
  ERC20InsufficientAllowance: (a, f) =>
    `${f.addr(a.spender)} may spend only ${f.num(a.allowance)} of the payment token, ${f.num(a.needed)} needed (approve more first)`,
  ERC20InvalidSender: (a, f) => `${f.addr(a.sender)} cannot send the payment token`,
  ERC20InvalidReceiver: (a, f) => `${f.addr(a.receiver)} cannot receive the payment token`,
  ERC20InvalidApprover: (a, f) => `${f.addr(a.approver)} cannot approve payment-token spending`,
  ERC20InvalidSpender: (a, f) => `${f.addr(a.spender)} cannot be approved to spend the payment token`,
};

const JURISDICTIONS: Record<string, Template> = {
  JurisdictionInvalid: (a) =>
    `${JSON.stringify(a.jurisdiction)} is not an ISO 3166 code in canonical form, such as "BR" or "BR-PA" (an assigned country in upper case, optionally "-" and one to three upper-case letters or digits)`,
  JurisdictionCodeInvalid: (a, f) =>
    `${f.jurisdiction(a.code)} is not a jurisdiction: an assigned ISO 3166 country, optionally "-" and one to three upper-case letters or digits, in compact form`,
};

const BATCH_MATCHING: Record<string, Template> = {
  CriteriaTooManyEntries: (a, f) =>
    `a criteria list holds ${f.n(a.count)} entries, more than the ${f.n(a.max)} allowed`,
  CriteriaInvalidMask: (a, f) =>
    `criteria mask ${f.n(a.mask)} sets bits outside its enum (the largest valid mask is ${f.n(a.max)})`,
  CriteriaInvalidVintageWindow: (a, f) =>
    `vintage window ${f.time(a.vintageFrom)} – ${f.time(a.vintageTo)} ends before or where it starts`,
};

const CARBON_REGISTRY: Record<string, Template> = {
  CarbonRegistryAlreadyInitialized: (a, f) => `the registry is already wired to credit token ${f.addr(a.credit)}`,
  CarbonRegistryWrongCredit: (a, f) =>
    `credit token ${f.addr(a.credit)} belongs to registry ${f.addr(a.registryOfCredit)}, not to this one`,
  CarbonRegistryNotInitialized: () => "the registry is not wired to its credit token yet (initialize it first)",
  CarbonRegistryEmptyCode: () => "a methodology needs a non-empty code",
  CarbonRegistryUnknownMethodology: (a, f) => `methodology ${f.n(a.methodologyId)} does not exist`,
  CarbonRegistryInactiveMethodology: (a, f) => `methodology ${f.n(a.methodologyId)} is inactive`,
  CarbonRegistryMethodologyUnchanged: (a, f) =>
    `methodology ${f.n(a.methodologyId)} is already ${f.flag(a.active, "active", "inactive")}`,
  CarbonRegistryAccreditationUnchanged: (a, f) =>
    `${f.addr(a.verifier)} is already ${f.flag(a.accredited, "accredited", "not accredited")} for methodology ${f.n(a.methodologyId)}`,
  CarbonRegistryInvalidVerifier: (a, f) => `${f.addr(a.verifier)} cannot be accredited as a verifier`,
  CarbonRegistryVerifierNotAccredited: (a, f) =>
    `${f.addr(a.verifier)} is not accredited to verify reports under methodology ${f.n(a.methodologyId)}`,
  CarbonRegistrySelfVerification: (a, f) =>
    `${f.addr(a.verifier)} is the proponent of project ${f.n(a.projectId)} and cannot verify or reject its reports`,
  CarbonRegistryInvalidBuffer: (a, f) => `buffer share ${f.bps(a.bufferBps)} is above 100% (10,000 bps)`,
  CarbonRegistryInvalidStandardCode: (a) =>
    `standard code ${JSON.stringify(a.code)} is not canonical (1 to 16 characters of A-Z, 0-9, '-' and '.')`,
  CarbonRegistryStandardExists: (a, f) => `standard "${a.code}" already exists as standard ${f.n(a.standardId)}`,
  CarbonRegistryUnknownStandard: (a, f) =>
    `standard ${f.n(a.standardId)} does not exist (the registrar adds standards)`,
  CarbonRegistryInactiveStandard: (a, f) => `standard ${f.n(a.standardId)} is inactive and takes no new project`,
  CarbonRegistryStandardUnchanged: (a, f) =>
    `standard ${f.n(a.standardId)} is already ${f.flag(a.active, "active", "inactive")}`,
  CarbonRegistryInvalidExternalRef: (a) =>
    `external reference ${JSON.stringify(a.externalRef)} is not canonical (1 to 64 characters of A-Z, 0-9, '-', '.', '_' and '/')`,
  CarbonRegistryDuplicateProject: (a, f) =>
    `external project "${a.externalRef}" of standard ${f.n(a.standardId)} is already registered as project ${f.n(a.projectId)}`,
  CarbonRegistryInvalidAccount: (a, f) => `${f.addr(a.account)} cannot be given an affiliation`,
  CarbonRegistryAffiliationUnchanged: (a, f) =>
    `${f.addr(a.account)} is already affiliated with organisation ${f.n(a.organisationId)}`,
  CarbonRegistryAffiliatedVerifier: (a, f) =>
    `verifier ${f.addr(a.verifier)} and proponent ${f.addr(a.proponent)} are both of organisation ${f.n(a.organisationId)}: it cannot verify or reject the report`,
  CarbonRegistryArticle6Locked: (a, f) =>
    `batch ${f.n(a.batchId)} has ${f.num(a.retired)} retired units claimed under ${f.enumName("Authorisation", a.currentAuthorisation)}/${f.enumName("Adjustment", a.currentAdjustment)}: only a Pending adjustment may advance to Applied, not become ${f.enumName("Authorisation", a.requestedAuthorisation)}/${f.enumName("Adjustment", a.requestedAdjustment)}`,
  CarbonRegistryUnknownProject: (a, f) => `project ${f.n(a.projectId)} does not exist`,
  CarbonRegistryInvalidProjectStatus: (a, f) =>
    `project ${f.n(a.projectId)} is ${f.enumName("ProjectStatus", a.status)}, a status this operation does not accept`,
  CarbonRegistryNotProponent: (a, f) => `${f.addr(a.caller)} is not the proponent of project ${f.n(a.projectId)}`,
  CarbonRegistryZeroQuantity: () => "a monitoring report's quantity must be more than zero",
  CarbonRegistryInvalidPeriod: (a, f) =>
    `monitoring period ${f.time(a.periodStart)} – ${f.time(a.periodEnd)} is empty, inverted or in the future`,
  CarbonRegistryPeriodAlreadyIssued: (a, f) =>
    `project ${f.n(a.projectId)}'s monitoring period starts ${f.time(a.periodStart)}, before its last issued period ended (${f.time(a.lastIssuedPeriodEnd)})`,
  CarbonRegistrySerialRangeMismatch: (a, f) =>
    `serial range ${f.n(a.serialStart)}–${f.n(a.serialEnd)} does not hold exactly the report's ${f.num(a.quantity)} serials (${f.t(a.quantity)})`,
  CarbonRegistryInvalidReportHash: (a, f) =>
    a.reportId === 0n
      ? `report hash ${f.key(a.reportHash)} is not a valid report hash (zero)`
      : `report hash ${f.key(a.reportHash)} was already submitted as report ${f.n(a.reportId)}`,
  CarbonRegistryUnknownReport: (a, f) => `report ${f.n(a.reportId)} does not exist`,
  CarbonRegistryInvalidReportStatus: (a, f) =>
    `report ${f.n(a.reportId)} is ${f.enumName("ReportStatus", a.status)}, a status this operation does not accept`,
  CarbonRegistryZeroHash: () => "the verification or reason hash must not be zero",
  CarbonRegistrySerialOverlap: (a, f) =>
    `serial range ${f.n(a.serialStart)}–${f.n(a.serialEnd)} overlaps batch ${f.n(a.batchId)} (${f.key(a.namespace)} ${f.n(a.batchSerialStart)}–${f.n(a.batchSerialEnd)})`,
  CarbonRegistryInvalidSerialHint: (a, f) =>
    `serial hint ${f.n(a.hint)} is not a batch of the namespace or lies after the new range (use findSerialHint)`,
  CarbonRegistryCursorNotInNamespace: (a, f) =>
    `cursor ${f.n(a.cursor)} is not a batch of namespace ${f.key(a.namespace)}`,
  CarbonRegistryUnknownBatch: (a, f) => `batch ${f.n(a.batchId)} does not exist`,
  CarbonRegistryZeroReversal: () => "a reversal amount must be more than zero",
  CarbonRegistryInvalidArticle6: (a, f) =>
    `Article 6 authorisation ${f.enumName("Authorisation", a.authorisation)} with adjustment ${f.enumName("Adjustment", a.adjustment)} is inconsistent (an authorisation needs a Pending or Applied adjustment, no authorisation needs NotApplicable)`,
  CarbonRegistryUnexpectedTokens: (a, f) =>
    `the registry accepts only its own buffer issuance, not tokens sent by ${f.addr(a.operator)}`,
};

const CARBON_CREDIT: Record<string, Template> = {
  CarbonCreditOnlyRegistry: (a, f) => `only the registry may call this function, not ${f.addr(a.caller)}`,
  CarbonCreditAccountFrozen: (a, f) => `${f.addr(a.account)} is frozen: it can neither send nor receive credits`,
  CarbonCreditFreezeUnchanged: (a, f) =>
    `${f.addr(a.account)} is already ${f.flag(a.frozen, "frozen", "not frozen")} on the credit token`,
  CarbonCreditBatchSuspended: (a, f) => `batch ${f.n(a.id)} is suspended: its credits cannot move`,
  CarbonCreditSuspensionUnchanged: (a, f) =>
    `batch ${f.n(a.id)} is already ${f.flag(a.suspended, "suspended", "not suspended")}`,
  CarbonCreditBatchExists: (a, f) => `batch ${f.n(a.id)} was already issued`,
  CarbonCreditUnknownBatch: (a, f) => `batch ${f.n(a.id)} was never issued`,
  CarbonCreditZeroAmount: () => "the credit amount must be more than zero",
  CarbonCreditAmountTooLarge: (a, f) => `${f.t(a.amount)} does not fit the credit token's 128-bit supply counters`,
  CarbonCreditInvalidAccount: (a, f) =>
    `${f.addr(a.account)} cannot be frozen (the zero address and the registry never are)`,
  CarbonCreditBufferPoolLocked: (a, f) =>
    `the registry's buffer pool (${f.addr(a.holder)}) cannot retire credits: its units are only cancelled`,
  CarbonCreditInvalidBeneficiary: (a, f) => `a retirement's beneficiary cannot be ${f.addr(a.beneficiary)}`,
  CarbonCreditOnlyRetirementRegistry: (a, f) =>
    `only the retirement registry may retire credits, not ${f.addr(a.caller)} (whatever roles it holds)`,
  CarbonCreditRetirementRegistryAlreadyBound: (a, f) =>
    `the credit token is already bound to the retirement registry ${f.addr(a.bound)}`,
  CarbonCreditInvalidRetirementRegistry: (a, f) =>
    `${f.addr(a.retirementRegistry)} is not a retirement registry of this credit token`,
};

const RETIREMENT_REGISTRY: Record<string, Template> = {
  RetirementEmptyRequest: () => "the retirement request names no batch",
  RetirementLengthMismatch: (a, f) =>
    `the retirement request has ${f.n(a.ids)} batch ids but ${f.n(a.amounts)} amounts`,
  RetirementZeroAmount: (a, f) => `the amount to retire from batch ${f.n(a.batchId)} is zero`,
  RetirementAmountTooLarge: (a, f) =>
    `${f.t(a.amount)} of batch ${f.n(a.batchId)} does not fit a retirement record (64 bits)`,
  RetirementUnknownBatch: (a, f) => `batch ${f.n(a.batchId)} was never issued`,
  RetirementNameAndCommitment: () => "a retirement takes a beneficiary name or a commitment, not both",
  RetirementInvalidConsumptionPeriod: (a, f) =>
    `the consumption period ends (${f.time(a.consumptionEnd)}) before it starts (${f.time(a.consumptionStart)})`,
  RetirementMissingClaimTarget: (a, f) =>
    `a neutrality claim needs an entity and a period (got ${f.addr(a.claimEntity)}, period ${f.n(a.claimPeriod)})`,
  RetirementClaimNotConsented: (a, f) =>
    `${f.addr(a.entity)} did not consent to a neutrality claim by ${f.addr(a.claimant)}: the entity must be the beneficiary, the retiree or the claimant, or authorise the claimant with setClaimAuthorisation`,
  RetirementInvalidClaimant: (a, f) => `${f.addr(a.claimant)} cannot be authorised as a claimant`,
  RetirementClaimAuthorisationUnchanged: (a, f) =>
    `${f.addr(a.entity)} has ${f.flag(a.authorised, "already authorised", "not authorised")} ${f.addr(a.claimant)} to claim for it`,
  RetirementClaimNotAuthorised: (a, f) => {
    const claim = f.enumName("ClaimType", a.claimType);
    const needed = a.claimType === 3n ? "NDC" : a.claimType === 4n ? "OIMP" : "an Article 6";
    return `claim type ${claim} on batch ${f.n(a.batchId)} needs ${needed} authorisation with an Applied adjustment, but the batch has authorisation ${f.enumName("Authorisation", a.authorisation)} and adjustment ${f.enumName("Adjustment", a.adjustment)}`;
  },
  RetirementNotApproved: (a, f) => `${f.addr(a.operator)} is not approved to retire ${f.addr(a.holder)}'s credits`,
  RetirementAccountFrozen: (a, f) => `${f.addr(a.account)} is frozen and cannot retire credits as an operator`,
  RetirementUnexpectedToken: (a, f) =>
    `the retirement registry accepts only its credit token, not tokens of ${f.addr(a.token)}`,
  RetirementMalformedRequest: () => "the retire-on-transfer data does not decode as a RetirementRequest",
  RetirementTransferMismatch: () =>
    "the retire-on-transfer request's batch ids or amounts differ from the ones transferred",
  RetirementCursorMismatch: (a, f) => `cursor ${f.n(a.cursor)} is not a retirement of the list being paged`,
  RetirementUnknown: (a, f) => `retirement ${f.n(a.retirementId)} does not exist`,
};

const RETIREMENT_CERTIFICATE: Record<string, Template> = {
  CertificateSoulbound: (a, f) =>
    `certificate ${f.n(a.tokenId)} is bound to its owner and cannot be transferred or approved`,
  CertificateNoApprovals: () => "certificates have no operators: approvals are not allowed",
  CertificateOnlyMinter: (a, f) => `only the retirement registry may mint certificates, not ${f.addr(a.caller)}`,
  CertificateMinterAlreadySet: (a, f) =>
    f.isZero(a.minter)
      ? "the certificate minter must be set once, to a non-zero address"
      : `the certificate minter is already set to ${f.addr(a.minter)}`,
};

const CARBON_MARKETPLACE: Record<string, Template> = {
  MarketplaceZeroAmount: () => "the amount must be more than zero",
  MarketplaceZeroPrice: () => "the unit price must be more than zero",
  MarketplaceValueTooLarge: (a, f) => `${f.num(a.value)} is too large for its field (at most ${f.num(a.max)})`,
  MarketplaceInvalidExpiry: (a, f) => `expiry ${f.time(a.expiry)} is not in the future (or is too far away)`,
  MarketplaceInvalidMinFill: (a, f) => `minimum fill ${f.t(a.minFill)} is more than the listed ${f.t(a.amount)}`,
  MarketplaceAssetNotAllowed: (a, f) => `${f.addr(a.token)} is not an allowed asset on the marketplace`,
  MarketplacePaymentTokenNotAllowed: (a, f) => `${f.addr(a.token)} is not an allowed payment token`,
  MarketplaceUnknownListing: (a, f) =>
    `listing ${f.n(a.listingId)} does not exist (or, as a cursor, is not in the list being paged)`,
  MarketplaceListingClosed: (a, f) => `listing ${f.n(a.listingId)} is filled or cancelled`,
  MarketplaceListingExpired: (a, f) => `listing ${f.n(a.listingId)} expired at ${f.time(a.expiry)}`,
  MarketplaceAmountExceedsRemaining: (a, f) =>
    `listing ${f.n(a.listingId)} has only ${f.t(a.remaining)} left, less than the ${f.t(a.amount)} asked`,
  MarketplaceBelowMinFill: (a, f) =>
    `${f.t(a.amount)} is below listing ${f.n(a.listingId)}'s minimum fill of ${f.t(a.minFill)}`,
  MarketplacePriceAboveMax: (a, f) =>
    `listing ${f.n(a.listingId)}'s price of ${f.perTonne(a.unitPrice)} is above the buyer's maximum of ${f.perTonne(a.maxUnitPrice)}`,
  MarketplaceNotSeller: (a, f) => `${f.addr(a.caller)} is not the seller of listing ${f.n(a.listingId)}`,
  MarketplaceAccountFrozen: (a, f) => `${f.addr(a.account)} is frozen and cannot trade`,
  MarketplaceShortPayment: (a, f) =>
    `payment token ${f.addr(a.token)} delivered ${f.num(a.received)} instead of ${f.num(a.expected)} (fee-on-transfer tokens are refused)`,
  MarketplaceFeeTooHigh: (a, f) => `fee ${f.bps(a.feeBps)} is above the ${f.bps(a.maxBps)} cap`,
  MarketplaceInvalidTreasury: (a, f) => `the treasury cannot be ${f.addr(a.treasury)}`,
  MarketplaceEmptyOrder: () => "the order list is empty",
  MarketplaceNotRetirable: (a, f) =>
    `${f.addr(a.token)} is not the retirement registry's credit token and cannot be bought and retired`,
  MarketplaceUnexpectedTokens: (a, f) =>
    `the marketplace only takes tokens through its own escrow, not tokens sent by ${f.addr(a.operator)}`,
  MarketplaceUnknownBid: (a, f) => `bid ${f.n(a.bidId)} does not exist`,
  MarketplaceBidClosed: (a, f) => `bid ${f.n(a.bidId)} is filled or cancelled`,
  MarketplaceBidExpired: (a, f) => `bid ${f.n(a.bidId)} expired at ${f.time(a.expiry)}`,
  MarketplaceBidAmountExceedsRemaining: (a, f) =>
    `bid ${f.n(a.bidId)} wants only ${f.t(a.remaining)} more, less than the ${f.t(a.amount)} offered`,
  MarketplaceNotBidder: (a, f) =>
    `${f.addr(a.caller)} is not the bidder of bid ${f.n(a.bidId)} (others may cancel it only after it expires)`,
  MarketplaceBatchMismatch: (a, f) =>
    `batch ${f.n(a.batchId)} does not match bid ${f.n(a.bidId)}: it fails the ${f.mismatch(a.reason)} criterion`,
  MarketplaceBidUnderfunded: (a, f) =>
    `bid ${f.n(a.bidId)}'s escrow is worth only ${f.num(a.value)}, less than the ${f.num(a.paid)} this fill costs (its payment token's balances fell on their own); the bidder can cancel for what it is worth`,
};

const EMISSIONS_LEDGER: Record<string, Template> = {
  LedgerNotAccredited: (a, f) =>
    `${f.addr(a.verifier)} is not accredited to attest emissions in sector ${f.n(a.sector)}`,
  LedgerAccreditationUnchanged: (a, f) =>
    `${f.addr(a.verifier)} is already ${f.flag(a.accredited, "accredited", "not accredited")} for sector ${f.n(a.sector)}`,
  LedgerSelfAttestation: (a, f) =>
    `${f.addr(a.verifier)} cannot attest the emissions of ${f.addr(a.entity)}: it is the entity or its controller`,
  LedgerInvalidAccount: (a, f) => `${f.addr(a.account)} cannot be an entity, verifier or controller`,
  LedgerWrongSector: (a, f) =>
    `${f.addr(a.entity)} reports in sector ${f.n(a.expected)}, not in sector ${f.n(a.sector)}`,
  LedgerStatementExists: (a, f) =>
    `${f.addr(a.entity)} already has an emissions statement for period ${f.n(a.period)} (correct it instead)`,
  LedgerUnknownStatement: (a, f) => `${f.addr(a.entity)} has no emissions statement for period ${f.n(a.period)}`,
  LedgerReportingClosed: (a, f) => `reporting for period ${f.n(a.period)} closed at ${f.time(a.deadline)}`,
  LedgerInvalidDeadline: (a, f) =>
    `reporting deadline ${f.time(a.deadline)} for period ${f.n(a.period)} is not in the future`,
  LedgerAmountTooLarge: (a, f) => `emissions of ${f.t(a.emissions)} do not fit 128 bits`,
  LedgerDeadlineLocked: (a, f) =>
    `the reporting deadline of period ${f.n(a.period)} is locked at ${f.time(a.current)} (an opened compliance period): it cannot move later, to ${f.time(a.deadline)}`,
  LedgerCorrectionClosed: (a, f) =>
    `corrections of ${f.addr(a.entity)}'s period ${f.n(a.period)} statement closed at ${f.time(a.closedAt)}`,
  LedgerUnknownVersion: (a, f) =>
    `${f.addr(a.entity)}'s period ${f.n(a.period)} statement has ${f.n(a.count)} previous versions, not version ${f.n(a.version)}`,
  LedgerOnlyComplianceRegistry: (a, f) =>
    `only the compliance registry may declare entities and lock reporting deadlines, not ${f.addr(a.caller)} (whatever roles it holds)`,
  LedgerComplianceRegistryAlreadyBound: (a, f) =>
    `the emissions ledger is already bound to the compliance registry ${f.addr(a.bound)}`,
  LedgerInvalidComplianceRegistry: (a, f) => `${f.addr(a.account)} is not a compliance registry of this ledger`,
};

const EMISSION_ALLOWANCE: Record<string, Template> = {
  AllowanceOnlyCompliance: (a, f) => `only the compliance registry may call this function, not ${f.addr(a.caller)}`,
  AllowanceAccountFrozen: (a, f) => `${f.addr(a.account)} is frozen: it can neither send nor receive allowances`,
  AllowanceFreezeUnchanged: (a, f) =>
    `${f.addr(a.account)} is already ${f.flag(a.frozen, "frozen", "not frozen")} on the allowance token`,
  AllowanceInvalidAccount: (a, f) =>
    `${f.addr(a.account)} cannot be frozen (the zero address and the compliance registry never are)`,
  AllowanceZeroAmount: () => "the allowance amount must be more than zero",
};

const COMPLIANCE_REGISTRY: Record<string, Template> = {
  ComplianceAlreadyInitialized: () => "the compliance registry is already wired to its allowance token",
  ComplianceInvalidAccount: (a, f) => `${f.addr(a.account)} is not a valid account here`,
  ComplianceUnknownInstallation: (a, f) => `installation ${f.n(a.installationId)} does not exist`,
  ComplianceInstallationClosed: (a, f) => `installation ${f.n(a.installationId)} is closed`,
  ComplianceNotOperator: (a, f) => `${f.addr(a.caller)} is not the operator of installation ${f.n(a.installationId)}`,
  CompliancePeriodExists: (a, f) => `period ${f.n(a.period)} is already open`,
  ComplianceUnknownPeriod: (a, f) => `period ${f.n(a.period)} was never opened`,
  ComplianceReportingDeadlineNotSet: (a, f) =>
    `period ${f.n(a.period)} has no future reporting deadline in the emissions ledger (set it first)`,
  ComplianceInvalidSurrenderDeadline: (a, f) =>
    `period ${f.n(a.period)}'s surrender deadline ${f.time(a.surrenderDeadline)} does not follow its reporting deadline ${f.time(a.reportingDeadline)}`,
  ComplianceAuctionVolumeAboveCap: (a, f) => `auction volume ${f.t(a.auctionVolume)} is above the cap of ${f.t(a.cap)}`,
  ComplianceInvalidOffsetLimit: (a, f) => `offset limit ${f.bps(a.offsetLimitBps)} is above 100% (10,000 bps)`,
  ComplianceInvalidPenalty: (a, f) =>
    `a penalty of ${f.num(a.penaltyPerTonne)} per tonne needs a penalty token (got ${f.addr(a.penaltyToken)})`,
  ComplianceCapExceeded: (a, f) =>
    `allocating ${f.t(a.requested)} exceeds period ${f.n(a.period)}'s cap: only ${f.t(a.available)} is left for free allocation`,
  ComplianceAuctionVolumeExceeded: (a, f) =>
    `${f.t(a.requested)} asked, but only ${f.t(a.available)} of period ${f.n(a.period)}'s auction volume is available`,
  ComplianceAuctionReservationExceeded: (a, f) =>
    `auction ${f.n(a.auctionId)} has only ${f.t(a.reserved)} reserved, less than the ${f.t(a.requested)} asked`,
  ComplianceNotAuction: (a, f) =>
    `${f.addr(a.caller)} is not the bound auction contract: only it reserves, issues and releases auction volume`,
  ComplianceAuctionAlreadyBound: (a, f) => `the auction contract is already bound to ${f.addr(a.auction)}`,
  ComplianceAuctionMismatch: (a, f) =>
    `auction contract ${f.addr(a.auction)} belongs to compliance registry ${f.addr(a.compliance)}, not this one`,
  ComplianceAllocationClosed: (a, f) =>
    `allocation for period ${f.n(a.period)} closed at its surrender deadline ${f.time(a.surrenderDeadline)}`,
  ComplianceLengthMismatch: (a, f) => `the lists differ in length (${f.n(a.a)} and ${f.n(a.b)})`,
  ComplianceEmptyRequest: () => "the request is empty",
  ComplianceZeroAmount: () => "the amount must be more than zero",
  ComplianceAmountTooLarge: (a, f) => `${f.num(a.amount)} does not fit 128 bits`,
  ComplianceFutureAllowances: (a, f) =>
    `allowances of period ${f.n(a.fromPeriod)} cannot cover the earlier period ${f.n(a.period)}`,
  ComplianceSurrenderNotOpen: (a, f) =>
    `surrender for period ${f.n(a.period)} opens at ${f.time(a.opensAt)}, when its reporting closes`,
  ComplianceSurrenderClosed: (a, f) => `surrender for period ${f.n(a.period)} closed at ${f.time(a.surrenderDeadline)}`,
  ComplianceNoVerifiedEmissions: (a, f) =>
    `installation ${f.n(a.installationId)} has no verified emissions for period ${f.n(a.period)}`,
  ComplianceOffsetLimitExceeded: (a, f) =>
    `offsets of ${f.t(a.requested)} would exceed installation ${f.n(a.installationId)}'s limit of ${f.t(a.limit)} for period ${f.n(a.period)}`,
  ComplianceIneligibleOffset: (a, f) =>
    `batch ${f.n(a.batchId)} is not eligible as an offset: it fails the period's ${f.mismatch(a.reason)} criterion`,
  ComplianceCrossBorderOffset: (a, f) =>
    `batch ${f.n(a.batchId)} is hosted in ${f.jurisdiction(a.batchCountry)}, not in the installation's country ${f.jurisdiction(a.installationCountry)}: the period's cross-border rule (${CROSS_BORDER_RULE_TEXT[Number(a.rule)] ?? f.n(a.rule)}) refuses it`,
  ComplianceSettlementNotOpen: (a, f) => `settlement of period ${f.n(a.period)} opens at ${f.time(a.opensAt)}`,
  ComplianceAlreadySettled: (a, f) =>
    `installation ${f.n(a.installationId)} is already settled for period ${f.n(a.period)}`,
  ComplianceNoPenaltyDue: (a, f) =>
    `installation ${f.n(a.installationId)} owes no penalty for period ${f.n(a.period)} (none due, or already paid)`,
  ComplianceShortPayment: (a, f) =>
    `penalty token ${f.addr(a.token)} delivered ${f.num(a.received)} instead of ${f.num(a.expected)}`,
};

const ALLOWANCE_AUCTION: Record<string, Template> = {
  AuctionZeroAmount: () => "the amount or price must be more than zero",
  AuctionValueTooLarge: (a, f) => `${f.num(a.value)} is too large for its field (at most ${f.num(a.max)})`,
  AuctionInvalidWindow: (a, f) =>
    `invalid auction windows: bidding ${f.time(a.biddingStart)} – ${f.time(a.biddingEnd)}, reveal until ${f.time(a.revealEnd)} (bidding must end in the future, after it starts and before the reveal ends)`,
  AuctionInvalidAccount: (a, f) => `${f.addr(a.account)} is not a valid account here`,
  AuctionUnknown: (a, f) => `auction ${f.n(a.auctionId)} does not exist`,
  AuctionUnknownBid: (a, f) => `auction bid ${f.n(a.bidId)} does not exist`,
  AuctionNotBidding: (a, f) =>
    `auction ${f.n(a.auctionId)} takes bids only from ${f.time(a.biddingStart)} until ${f.time(a.biddingEnd)}`,
  AuctionNotRevealing: (a, f) =>
    `auction ${f.n(a.auctionId)} takes reveals only from ${f.time(a.biddingEnd)} until ${f.time(a.revealEnd)}`,
  AuctionRevealOpen: (a, f) =>
    `auction ${f.n(a.auctionId)} cannot settle before its reveal window closes at ${f.time(a.revealEnd)}`,
  AuctionAlreadySettled: (a, f) => `auction ${f.n(a.auctionId)} is already settled`,
  AuctionNotSettled: (a, f) => `auction ${f.n(a.auctionId)} is not settled yet`,
  AuctionInvalidCommitment: () => "the bid commitment must not be zero",
  AuctionNotBidder: (a, f) => `${f.addr(a.caller)} is not the bidder of auction bid ${f.n(a.bidId)}`,
  AuctionAlreadyRevealed: (a, f) => `auction bid ${f.n(a.bidId)} is already revealed`,
  AuctionCommitmentMismatch: (a, f) =>
    `the revealed price, quantity and salt do not open auction bid ${f.n(a.bidId)}'s commitment`,
  AuctionBelowReserve: (a, f) =>
    `auction bid ${f.n(a.bidId)}'s price of ${f.perTonne(a.unitPrice)} is below the reserve price of ${f.perTonne(a.reservePrice)}`,
  AuctionInsufficientEscrow: (a, f) =>
    `auction bid ${f.n(a.bidId)}'s deposit of ${f.num(a.deposit)} does not cover quantity × price = ${f.num(a.required)}`,
  AuctionAlreadyClaimed: (a, f) => `auction bid ${f.n(a.bidId)} is already claimed`,
  AuctionShortPayment: (a, f) =>
    `payment token ${f.addr(a.token)} delivered ${f.num(a.received)} instead of ${f.num(a.expected)} (fee-on-transfer tokens are refused)`,
};

/** Every template, by error name. */
const TEMPLATES: Readonly<Record<string, Template>> = {
  ...ACCESS_MANAGED,
  ...ACCESS_MANAGER,
  ...OPENZEPPELIN_COMMON,
  ...ERC1155,
  ...ERC721,
  ...ERC20,
  ...BATCH_MATCHING,
  ...JURISDICTIONS,
  ...CARBON_REGISTRY,
  ...CARBON_CREDIT,
  ...RETIREMENT_REGISTRY,
  ...RETIREMENT_CERTIFICATE,
  ...CARBON_MARKETPLACE,
  ...EMISSIONS_LEDGER,
  ...EMISSION_ALLOWANCE,
  ...COMPLIANCE_REGISTRY,
  ...ALLOWANCE_AUCTION,
};

/** The names of every error that has a sentence template. */
export const TEMPLATED_ERRORS: readonly string[] = Object.keys(TEMPLATES);

// ------------------------------------------------------------------------------------------------------ undecoded reverts

/**
 * The sentence for whatever was thrown, given what the SDK entry's decoder found in it: the decoded error's message;
 * for revert data of an unknown error, its selector; otherwise a one-line description (a library's `shortMessage`).
 */
export function explainWith(decoded: DecodedCntError | undefined, error: unknown): string {
  if (decoded !== undefined) return decoded.message;
  const { structured, inMessages } = collectRevertData(error);
  const data = structured[0] ?? inMessages[0];
  if (data !== undefined) return describeUndecodable(data);
  return describeOther(error);
}

/** Hex revert data: `0x` and whole bytes. */
export const REVERT_DATA = /^0x(?:[0-9a-fA-F]{2})*$/;

/** The message for revert data that does not decode. */
export function describeUndecodable(data: string): string {
  const bytes = (data.length - 2) / 2;
  if (bytes === 0) return "reverted without a reason";
  if (bytes < 4) return `reverted with ${bytes} bytes of data that are not an error`;
  const selector = data.slice(0, 10).toLowerCase();
  const known = ERROR_SIGNATURES[selector];
  if (known !== undefined) return `reverted with ${known.split("(")[0]} but its ${bytes} bytes of data do not decode`;
  return `reverted with unknown error ${selector} (${bytes} bytes of data)`;
}

/** One line describing a non-revert error. */
export function describeOther(error: unknown): string {
  if (error === undefined || error === null) return "unknown error";
  let text: string;
  if (error instanceof Error || (typeof error === "object" && error !== null)) {
    const e = error as { shortMessage?: unknown; message?: unknown; reason?: unknown };
    const candidate = [e.shortMessage, e.reason, e.message].find((m) => typeof m === "string" && m.trim() !== "");
    text = typeof candidate === "string" ? candidate : safeString(error);
  } else {
    text = String(error);
  }
  const line = text.split(/\r?\n/).find((l) => l.trim() !== "") ?? "";
  const trimmed = line.trim();
  if (trimmed === "") return "unknown error";
  return trimmed.length > 240 ? trimmed.slice(0, 239) + "…" : trimmed;
}

function safeString(value: unknown): string {
  try {
    const text = String(value);
    return text === "[object Object]" ? "unknown error" : text;
  } catch {
    return "unknown error";
  }
}

// ------------------------------------------------------------------------------------------------------ finding the data

export interface Collected {
  /** Revert data found in data fields (`data`, `error.data`, `info.error.data`, …), in search order. */
  structured: string[];
  /** Revert data found inside messages. */
  inMessages: string[];
  /** An error ethers decoded itself (`error.revert`), if any. */
  decodedRevert?: { signature: string; args: readonly unknown[] };
}

/** Keys that lead towards the revert data; keys like `transaction` or `payload` hold call data and are skipped. */
const NESTED_KEYS = [
  "data",
  "raw",
  "error",
  "info",
  "cause",
  "errors",
  "originalError",
  "innerError",
  "body",
  "responseBody",
];
const MESSAGE_KEYS = ["message", "shortMessage", "details", "reason"];
const MESSAGE_DATA = [/data="(0x[0-9a-fA-F]*)"/g, /return data: ?(0x[0-9a-fA-F]*)/gi];
const ANY_HEX = /0x[0-9a-fA-F]{8,}/g;

function isRevertData(value: string | undefined): boolean {
  return typeof value === "string" && REVERT_DATA.test(value) && (value.length === 2 || value.length >= 10);
}

export function collectRevertData(root: unknown): Collected {
  const out: Collected = { structured: [], inMessages: [] };
  const seen = new Set<unknown>();
  const pushUnique = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  // Breadth first: data closest to the thrown error first.
  let level: unknown[] = [root];
  for (let depth = 0; depth < 8 && level.length > 0; ++depth) {
    const next: unknown[] = [];
    for (const node of level) {
      if (node === null || node === undefined || seen.has(node)) continue;
      seen.add(node);
      if (typeof node === "string") {
        if (isRevertData(node)) pushUnique(out.structured, node);
        else if (node.trimStart().startsWith("{")) {
          try {
            next.push(JSON.parse(node));
          } catch {
            scanMessage(node, out, pushUnique);
          }
        } else if (depth > 0) scanMessage(node, out, pushUnique);
        continue;
      }
      if (typeof node !== "object") continue;
      const record = node as Record<string, unknown>;
      if (Array.isArray(node)) {
        next.push(...node);
        continue;
      }
      for (const key of NESTED_KEYS) {
        let value: unknown;
        try {
          value = record[key];
        } catch {
          continue;
        }
        if (value !== undefined) next.push(value);
      }
      for (const key of MESSAGE_KEYS) {
        const value = record[key];
        if (typeof value === "string") scanMessage(value, out, pushUnique);
      }
      const revert = record.revert as { signature?: unknown; args?: unknown } | undefined;
      if (out.decodedRevert === undefined && revert && typeof revert.signature === "string") {
        const args = revert.args;
        if (Array.isArray(args) || (typeof args === "object" && args !== null && Symbol.iterator in args)) {
          out.decodedRevert = { signature: revert.signature, args: [...(args as Iterable<unknown>)] };
        }
      }
    }
    level = next;
  }
  return out;
}

function scanMessage(text: string, out: Collected, push: (list: string[], value: string) => void): void {
  for (const pattern of MESSAGE_DATA) {
    for (const match of text.matchAll(pattern)) if (isRevertData(match[1])) push(out.inMessages, match[1]);
  }
  // Any other hex blob that decodes as a known error (call data of a transaction never does).
  for (const match of text.matchAll(ANY_HEX)) {
    const hex = match[0];
    if (
      isRevertData(hex) &&
      (hex.length - 10) % 64 === 0 &&
      Object.hasOwn(ERROR_SIGNATURES, hex.slice(0, 10).toLowerCase())
    ) {
      push(out.inMessages, hex);
    }
  }
}
