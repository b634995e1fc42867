/**
 * Generates the Solidity API reference from NatSpec: `docs/api/contracts/<Contract>.md` for every production contract,
 * interface and library (mocks left out), and an index. The compiler (the pinned npm `solc`) is asked only for the ABI
 * and the user and developer documentation, so this takes seconds. Run by `npm run docs`; `-- --check` fails when the
 * committed files differ from what the sources produce.
 */
import { readdirSync } from "node:fs";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";

import { findImport, productionSources, root } from "./lib/solidity-sources.js";

const require = createRequire(import.meta.url);
const solc = require("solc") as { compile(input: string, options: { import(p: string): unknown }): string };

const outDir = path.join(root, "docs", "api", "contracts");
const check = process.argv.includes("--check");

const input = {
  language: "Solidity",
  sources: productionSources(),
  settings: { evmVersion: "prague", outputSelection: { "*": { "*": ["abi", "userdoc", "devdoc"] } } },
};
const output = JSON.parse(
  solc.compile(JSON.stringify(input), {
    import: findImport,
  }),
) as {
  errors?: { severity: string; formattedMessage: string }[];
  contracts: Record<string, Record<string, { abi: AbiItem[]; userdoc: Doc; devdoc: Doc }>>;
};
const fatal = (output.errors ?? []).filter((e) => e.severity === "error");
if (fatal.length > 0) throw new Error(fatal.map((e) => e.formattedMessage).join("\n"));

interface AbiParam {
  name: string;
  type: string;
  internalType?: string;
  components?: AbiParam[];
}
interface AbiItem {
  type: string;
  name?: string;
  inputs?: AbiParam[];
  outputs?: AbiParam[];
  stateMutability?: string;
}
interface Entry {
  notice?: string;
  details?: string;
  params?: Record<string, string>;
  returns?: Record<string, string>;
}
interface Doc {
  title?: string;
  notice?: string;
  details?: string;
  author?: string;
  methods?: Record<string, Entry>;
  events?: Record<string, Entry | Entry[]>;
  errors?: Record<string, Entry | Entry[]>;
}

const typeOf = (p: AbiParam): string =>
  p.type.startsWith("tuple") ? (p.internalType ?? p.type).replace(/^struct /, "") : p.type;
const canonical = (p: AbiParam): string =>
  p.type.startsWith("tuple") ? `(${(p.components ?? []).map(canonical).join(",")})${p.type.slice(5)}` : p.type;
const signature = (item: AbiItem) => `${item.name}(${(item.inputs ?? []).map(canonical).join(",")})`;
const one = (e: Entry | Entry[] | undefined): Entry => (Array.isArray(e) ? (e[0] ?? {}) : (e ?? {}));
const text = (s: string | undefined) => (s ?? "").replace(/\s+/g, " ").trim();

function section(
  kind: string,
  items: AbiItem[],
  user: Record<string, Entry | Entry[]>,
  dev: Record<string, Entry | Entry[]>,
) {
  if (items.length === 0) return [];
  const lines = [`## ${kind}`, ""];
  for (const item of items) {
    const sig = signature(item);
    const u = one(user[sig]);
    const d = one(dev[sig]);
    const params = (item.inputs ?? []).map((p) => `${typeOf(p)}${p.name ? ` ${p.name}` : ""}`).join(", ");
    const returns = (item.outputs ?? []).map((p) => `${typeOf(p)}${p.name ? ` ${p.name}` : ""}`).join(", ");
    const mutability = item.stateMutability && item.stateMutability !== "nonpayable" ? ` ${item.stateMutability}` : "";
    lines.push(
      `### ${item.name}`,
      "",
      "```solidity",
      `${item.name}(${params})${mutability}${returns ? ` returns (${returns})` : ""}`,
      "```",
      "",
    );
    if (text(u.notice)) lines.push(text(u.notice), "");
    if (text(d.details)) lines.push(text(d.details), "");
    const paramDocs = Object.entries(d.params ?? {});
    if (paramDocs.length > 0) {
      lines.push(
        "| parameter | meaning |",
        "| --- | --- |",
        ...paramDocs.map(([n, m]) => `| \`${n}\` | ${text(m)} |`),
        "",
      );
    }
    const returnDocs = Object.entries(d.returns ?? {});
    if (returnDocs.length > 0) {
      lines.push(
        "| returns | meaning |",
        "| --- | --- |",
        ...returnDocs.map(([n, m]) => `| \`${n}\` | ${text(m)} |`),
        "",
      );
    }
  }
  return lines;
}

const pages = new Map<string, string>();
const index: string[] = [];
for (const [file, contracts] of Object.entries(output.contracts)) {
  if (!file.startsWith("contracts/")) continue;
  for (const [name, c] of Object.entries(contracts)) {
    const { userdoc, devdoc, abi } = c;
    const byName = (a: AbiItem, b: AbiItem) => (a.name ?? "").localeCompare(b.name ?? "");
    const functions = abi.filter((i) => i.type === "function").sort(byName);
    const events = abi.filter((i) => i.type === "event").sort(byName);
    const errors = abi.filter((i) => i.type === "error").sort(byName);
    const lines = [
      `# ${name}`,
      "",
      `Source: [\`${file}\`](../../../${file})`,
      "",
      ...(text(devdoc.title) ? [`**${text(devdoc.title)}**`, ""] : []),
      ...(text(userdoc.notice) ? [text(userdoc.notice), ""] : []),
      ...(text(devdoc.details) ? [text(devdoc.details), ""] : []),
      ...section("Functions", functions, userdoc.methods ?? {}, devdoc.methods ?? {}),
      ...section("Events", events, userdoc.events ?? {}, devdoc.events ?? {}),
      ...section("Errors", errors, userdoc.errors ?? {}, devdoc.errors ?? {}),
    ];
    pages.set(`${name}.md`, `${lines.join("\n").trimEnd()}\n`);
    index.push(`| [${name}](${name}.md) | \`${file}\` | ${text(userdoc.notice).split(". ")[0] || "—"} |`);
  }
}
index.sort();
pages.set(
  "README.md",
  [
    "# Solidity API reference",
    "",
    "Generated from the contracts' NatSpec by `scripts/docs-contracts.ts` (`npm run docs`); do not edit by hand.",
    "",
    "| contract | source | summary |",
    "| --- | --- | --- |",
    ...index,
    "",
  ].join("\n"),
);

if (check) {
  const stale: string[] = [];
  for (const [name, content] of pages) {
    const current = await readFile(path.join(outDir, name), "utf8").catch(() => "");
    if (current !== content) stale.push(name);
  }
  const extra = readdirSync(outDir).filter((f) => !pages.has(f));
  if (stale.length > 0 || extra.length > 0) {
    console.error(`docs/api/contracts is stale (${[...stale, ...extra].join(", ")}): run npm run docs`);
    process.exit(1);
  }
  console.log(`docs/api/contracts: ${pages.size} pages up to date`);
} else {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  for (const [name, content] of pages) await writeFile(path.join(outDir, name), content);
  console.log(`wrote ${pages.size} pages to docs/api/contracts`);
}
