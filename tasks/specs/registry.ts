import type { TaskSpec } from "../lib/spec.js";

const load = (name: keyof typeof import("../registry.js")) => async () => (await import("../registry.js"))[name];

/** Registry, credit and retirement tasks: the MRV cycle from methodology to certificate. */
export const registryTasks: TaskSpec[] = [
  {
    id: "cnt:info",
    description: "Shows the deployment on this chain: contracts, role holders, counts and pause states",
    role: "anyone",
    options: [],
    example: "cnt:info --network localhost",
    load: load("info"),
  },
  {
    id: "cnt:methodology:add",
    description: "Adds a methodology to the registry",
    role: "REGISTRAR",
    options: [
      { name: "code", value: "<code>", description: "methodology code, e.g. VM0047", required: true },
      { name: "category", value: "<removal|avoidance>", description: "what its credits represent", required: true },
      { name: "uri", value: "<uri>", description: "where the methodology document is published" },
    ],
    example: "cnt:methodology:add --code VM0047 --category removal --uri ipfs://… --from registrar",
    load: load("addMethodology"),
  },
  {
    id: "cnt:verifier:accredit",
    description: "Accredits a verification body (VVB) for a methodology",
    role: "REGISTRAR",
    options: [
      { name: "verifier", value: "<account>", description: "the verifier's address or account index", required: true },
      { name: "methodology", value: "<id>", description: "methodology id", required: true },
    ],
    example: "cnt:verifier:accredit --verifier verifier --methodology 1 --from registrar",
    load: load("accreditVerifier"),
  },
  {
    id: "cnt:standard:add",
    description: "Adds a standard: a registry whose serials projects are issued under (its namespace)",
    role: "REGISTRAR",
    options: [
      {
        name: "code",
        value: "<code>",
        description: "canonical code: 1-16 characters of A-Z, 0-9, '-', '.', e.g. VCS",
        required: true,
      },
      { name: "uri", value: "<uri>", description: "where the standard is published" },
    ],
    example: "cnt:standard:add --code VCS --uri https://verra.org --from registrar",
    load: load("addStandard"),
  },
  {
    id: "cnt:standard:list",
    description: "Lists the registry's standards: id, code, active or not",
    role: "anyone",
    options: [],
    example: "cnt:standard:list",
    load: load("listStandards"),
  },
  {
    id: "cnt:project:register",
    description: "Registers a project; the signer becomes its proponent",
    role: "anyone",
    options: [
      { name: "methodology", value: "<id>", description: "methodology id", required: true },
      {
        name: "standard",
        value: "<code|id>",
        description:
          "the registry's standard that numbers its serials, by code or id, e.g. VCS (see cnt:standard:list)",
        required: true,
      },
      {
        name: "ref",
        value: "<ref>",
        description:
          "the project's id at that standard: 1-64 characters of A-Z, 0-9, '-', '.', '_', '/', e.g. VCS-4821",
        required: true,
      },
      { name: "jurisdiction", value: "<ISO 3166>", description: "country or subdivision, e.g. BR-PA", required: true },
      { name: "buffer", value: "<percent>", description: "share of each issuance kept in the buffer pool (default 0)" },
      { name: "uri", value: "<uri>", description: "project documents" },
    ],
    example: "cnt:project:register --methodology 1 --standard VCS --ref VCS-4821 --jurisdiction BR-PA --buffer 10",
    load: load("registerProject"),
  },
  {
    id: "cnt:project:approve",
    description: "Approves a pending project",
    role: "REGISTRAR",
    options: [
      { name: "project", value: "<id>", description: "project id", required: true },
      { name: "reason", value: "<text|0x…>", description: "decision document, hashed (default none)" },
    ],
    example: "cnt:project:approve --project 1 --from registrar",
    load: load("approveProject"),
  },
  {
    id: "cnt:project:show",
    description: "Shows a project: status, methodology, buffer, batches and reversals",
    role: "anyone",
    options: [{ name: "project", value: "<id>", description: "project id", required: true }],
    example: "cnt:project:show --project 1",
    load: load("showProject"),
  },
  {
    id: "cnt:report:submit",
    description: "Submits a monitoring report of verified reductions or removals for a period",
    role: "project proponent",
    options: [
      { name: "project", value: "<id>", description: "project id", required: true },
      { name: "start", value: "<date>", description: "monitoring period start, e.g. 2024-01-01", required: true },
      { name: "end", value: "<date>", description: "monitoring period end", required: true },
      { name: "quantity", value: "<tCO2e>", description: "claimed quantity", required: true },
      {
        name: "serials",
        value: "<first-last>",
        description: "serial range at the standard, one per tCO2e",
        required: true,
      },
      { name: "document", value: "<text|0x…>", description: "the report document or its hash", required: true },
      { name: "uri", value: "<uri>", description: "where the report is published" },
    ],
    example:
      "cnt:report:submit --project 1 --start 2024-01-01 --end 2024-12-31 --quantity 10000 --serials 1-10000 --document ipfs://…",
    load: load("submitReport"),
  },
  {
    id: "cnt:report:verify",
    description: "Verifies a submitted report (the verifier must be accredited for the project's methodology)",
    role: "VERIFIER",
    options: [
      { name: "report", value: "<id>", description: "report id", required: true },
      { name: "statement", value: "<text|0x…>", description: "the verification statement or its hash", required: true },
    ],
    example: "cnt:report:verify --report 1 --statement ipfs://… --from verifier",
    load: load("verifyReport"),
  },
  {
    id: "cnt:batch:issue",
    description: "Issues a credit batch for a verified report (finds the serial hint itself)",
    role: "REGISTRAR",
    options: [{ name: "report", value: "<id>", description: "verified report id", required: true }],
    example: "cnt:batch:issue --report 1 --from registrar",
    load: load("issueBatch"),
  },
  {
    id: "cnt:batch:show",
    description: "Shows a batch: project, vintage, serials, supply, retired, buffer and Article 6 status",
    role: "anyone",
    options: [{ name: "batch", value: "<id>", description: "batch id", required: true }],
    example: "cnt:batch:show --batch 1",
    load: load("showBatch"),
  },
  {
    id: "cnt:credit:transfer",
    description: "Transfers credits of a batch",
    role: "holder",
    options: [
      { name: "to", value: "<account>", description: "recipient address or account index", required: true },
      { name: "batch", value: "<id>", description: "batch id", required: true },
      { name: "amount", value: "<tCO2e>", description: "amount", required: true },
    ],
    example: "cnt:credit:transfer --to 5 --batch 1 --amount 250 --from 4",
    load: load("transfer"),
  },
  {
    id: "cnt:balance",
    description: "Shows an account's credits per batch, retirements, allowances per period and payment tokens",
    role: "anyone",
    options: [{ name: "account", value: "<account>", description: "address, account index or role (default --from)" }],
    example: "cnt:balance --account 5",
    load: load("balance"),
  },
  {
    id: "cnt:retire",
    description: "Retires credits for a beneficiary, with a certificate unless --no-certificate",
    role: "holder",
    options: [
      { name: "batch", value: "<id>", description: "batch id", required: true },
      { name: "amount", value: "<tCO2e>", description: "amount", required: true },
      { name: "beneficiaryName", value: "<name>", description: "name on the certificate", required: true },
      { name: "beneficiary", value: "<account>", description: "beneficiary address (default the signer)" },
      {
        name: "claim",
        value: "<offset|neutrality|ndc|corsia>",
        description: "what the retirement claims (default offset; compliance goes through cnt:offsets:surrender)",
      },
      { name: "period", value: "<year>", description: "the period a neutrality claim covers" },
      { name: "consumption", value: "<ISO 3166>", description: "where the offset emissions happened" },
      { name: "reason", value: "<text>", description: "free text on the certificate" },
      { name: "noCertificate", flag: true, description: "do not mint a certificate" },
    ],
    example:
      'cnt:retire --batch 1 --amount 1200 --beneficiary-name "Acme Corp" --claim neutrality --period 2025 --from 5',
    load: load("retire"),
  },
  {
    id: "cnt:certificate:show",
    description: "Shows a retirement and its certificate, decoded from the on-chain tokenURI",
    role: "anyone",
    options: [
      { name: "retirement", value: "<id>", description: "retirement id (= certificate token id)", required: true },
    ],
    example: "cnt:certificate:show --retirement 1",
    load: load("showCertificate"),
  },
];
