/**
 * Generates the TypeScript SDK reference from its TSDoc with TypeDoc (Markdown): `docs/api/sdk/`. Run by
 * `npm run docs`; `-- --check` generates into a temporary folder and fails when the committed files differ.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { Application } from "typedoc";

const root = path.resolve(import.meta.dirname, "..");
const committed = path.join(root, "docs", "api", "sdk");
const check = process.argv.includes("--check");
const out = check ? await mkdtemp(path.join(tmpdir(), "cnt-sdk-docs-")) : committed;

const app = await Application.bootstrapWithPlugins({
  // The ethers SDK and the viem entry: one module page each, the shared parts linked between them.
  entryPoints: [path.join(root, "sdk", "index.ts"), path.join(root, "sdk", "viem.ts")],
  tsconfig: path.join(root, "tsconfig.sdk.json"),
  plugin: ["typedoc-plugin-markdown"],
  out,
  readme: "none",
  excludePrivate: true,
  excludeExternals: true,
  disableSources: true,
  hideGenerator: true,
  name: "CNT SDK",
  logLevel: "Warn",
} as Parameters<typeof Application.bootstrapWithPlugins>[0]);
const project = await app.convert();
if (project === undefined) throw new Error("TypeDoc could not convert sdk/index.ts and sdk/viem.ts");
if (!check) await rm(committed, { recursive: true, force: true });
await app.generateOutputs(project);

// A factory's creation bytecode is a 40 kB literal: name it instead, so the pages stay readable and only change
// when an interface does.
for (const file of (await files(out)).filter((f) => f.endsWith("__factory.md"))) {
  const page = path.join(out, file);
  const text = await readFile(page, "utf8");
  await writeFile(
    page,
    text.replace(/\*\*bytecode\*\*: `"0x[0-9a-f]*"`/g, "**bytecode**: `string` (the creation bytecode)"),
  );
}

// A const ABI's type is the whole ABI written out (up to 50 kB wherever it appears): name it instead; the functions,
// events and errors are in the contracts' reference (docs/api/contracts).
for (const file of await files(out)) {
  const page = path.join(out, file);
  const text = await readFile(page, "utf8");
  const named = text
    .replace(/^(> `const` \*\*\w+Abi\*\*): readonly .*$/m, "$1: `readonly [ … ] as const` (the ABI)")
    .replace(
      /(\*\*(\w+)\*\*: \[`CntContract`\]\(CntContract\.md\)\\<)readonly \\\[.*\\\](\\>)$/gm,
      (_, head: string, name: string, tail: string) =>
        `${head}\`typeof ${name[0].toLowerCase()}${name.slice(1)}Abi\`${tail}`,
    );
  if (named !== text) await writeFile(page, named);
}

async function files(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

if (check) {
  const [fresh, current] = await Promise.all([files(out), files(committed)]);
  const stale = new Set([...fresh.filter((f) => !current.includes(f)), ...current.filter((f) => !fresh.includes(f))]);
  for (const file of fresh.filter((f) => current.includes(f))) {
    const [a, b] = await Promise.all([
      readFile(path.join(out, file), "utf8"),
      readFile(path.join(committed, file), "utf8"),
    ]);
    if (a !== b) stale.add(file);
  }
  await rm(out, { recursive: true, force: true });
  if (stale.size > 0) {
    console.error(
      `docs/api/sdk is stale (${[...stale].slice(0, 5).join(", ")}${stale.size > 5 ? ", …" : ""}): run npm run docs`,
    );
    process.exit(1);
  }
  console.log(`docs/api/sdk: ${fresh.length} pages up to date`);
} else {
  console.log(`wrote ${(await files(committed)).length} pages to docs/api/sdk`);
}
