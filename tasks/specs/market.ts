import type { TaskSpec } from "../lib/spec.js";

const load = (name: keyof typeof import("../market.js")) => async () => (await import("../market.js"))[name];

const asset = [
  { name: "batch", value: "<id>", description: "credit batch id (or --period for allowances)" },
  { name: "period", value: "<year>", description: "allowance period, to trade allowances instead of credits" },
];

/** Marketplace tasks: escrowed listings, purchases, criteria bids, and the local test stablecoin. */
export const marketTasks: TaskSpec[] = [
  {
    id: "cnt:market:list",
    description: "Lists credits (or allowances) for sale; the units are escrowed by the marketplace",
    role: "holder",
    options: [
      ...asset,
      { name: "amount", value: "<tCO2e>", description: "amount for sale", required: true },
      {
        name: "price",
        value: "<per tCO2e>",
        description: "price per tCO2e in the payment token, e.g. 12.5",
        required: true,
      },
      { name: "minFill", value: "<tCO2e>", description: "smallest purchase accepted (default any)" },
      { name: "days", value: "<n>", description: "days until the listing expires (default 30)" },
      { name: "token", value: "<address>", description: "payment token (default the deployment's first)" },
    ],
    example: "cnt:market:list --batch 1 --amount 500 --price 12.5 --from 4",
    load: load("list"),
  },
  {
    id: "cnt:market:buy",
    description: "Buys from a listing, paying in its token (approves the exact amount when needed)",
    role: "anyone",
    options: [
      { name: "listing", value: "<id>", description: "listing id", required: true },
      { name: "amount", value: "<tCO2e>", description: "amount to buy", required: true },
      {
        name: "maxPrice",
        value: "<per tCO2e>",
        description: "refuse if the price is higher (default the listed price)",
      },
      { name: "recipient", value: "<account>", description: "who receives the units (default the signer)" },
    ],
    example: "cnt:market:buy --listing 1 --amount 100 --from 5",
    load: load("buy"),
  },
  {
    id: "cnt:market:bid",
    description: "Places a criteria bid: escrows quantity × price; any holder of a matching batch can fill it",
    role: "anyone",
    options: [
      { name: "quantity", value: "<tCO2e>", description: "amount wanted", required: true },
      { name: "price", value: "<per tCO2e>", description: "price per tCO2e offered", required: true },
      { name: "methodologies", value: "<id,id…>", description: "accepted methodology ids (default any)" },
      {
        name: "jurisdictions",
        value: "<code,code…>",
        description: "accepted jurisdictions; a country (BR) also matches BR-PA",
      },
      { name: "project", value: "<id>", description: "only this project" },
      { name: "vintageFrom", value: "<date>", description: "monitoring period starts on or after" },
      { name: "vintageTo", value: "<date>", description: "monitoring period ends on or before" },
      { name: "categories", value: "<removal,avoidance>", description: "accepted categories (default any)" },
      { name: "article6", flag: true, description: "only batches authorised under Article 6 (NDC or OIMP)" },
      { name: "days", value: "<n>", description: "days until the bid expires (default 30)" },
      { name: "token", value: "<address>", description: "payment token (default the deployment's first)" },
    ],
    example: "cnt:market:bid --quantity 300 --price 14 --categories removal --jurisdictions BR --from 6",
    load: load("bid"),
  },
  {
    id: "cnt:market:fill",
    description: "Sells units of a matching batch into a criteria bid",
    role: "holder",
    options: [
      { name: "bid", value: "<id>", description: "bid id", required: true },
      { name: "batch", value: "<id>", description: "batch to sell from", required: true },
      { name: "amount", value: "<tCO2e>", description: "amount to sell", required: true },
    ],
    example: "cnt:market:fill --bid 1 --batch 1 --amount 300 --from 4",
    load: load("fill"),
  },
  {
    id: "cnt:market:cancel",
    description: "Cancels a listing (units return to the seller) or a bid (escrow returns to the bidder)",
    role: "seller or bidder; anyone once expired",
    options: [
      { name: "listing", value: "<id>", description: "listing id" },
      { name: "bid", value: "<id>", description: "bid id" },
    ],
    example: "cnt:market:cancel --listing 1 --from 4",
    load: load("cancel"),
  },
  {
    id: "cnt:market:show",
    description: "Shows a listing or a bid; without an id, every open listing and bid",
    role: "anyone",
    options: [
      { name: "listing", value: "<id>", description: "listing id" },
      { name: "bid", value: "<id>", description: "bid id" },
    ],
    example: "cnt:market:show",
    load: load("show"),
  },
  {
    id: "cnt:market:allow-token",
    description: "Allows (or with --disallow, forbids) an ERC-20 as payment on the marketplace",
    role: "ADMIN",
    options: [
      { name: "token", value: "<address>", description: "the ERC-20", required: true },
      { name: "disallow", flag: true, description: "forbid it instead" },
    ],
    example: "cnt:market:allow-token --token 0x… --from 0",
    load: load("allowToken"),
  },
  {
    id: "cnt:dev:mint",
    description: "Mints the local test stablecoin (ERC20Mock, open mint) to an account: local networks only",
    role: "anyone, on a local node",
    options: [
      { name: "to", value: "<account>", description: "recipient", required: true },
      { name: "amount", value: "<amount>", description: "amount in whole tokens, e.g. 100000", required: true },
    ],
    example: "cnt:dev:mint --to 5 --amount 100000",
    load: load("mint"),
  },
];
