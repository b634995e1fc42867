/**
 * Writes the ABI of every production contract and interface to `abi/<Name>.json` (run by `npm run build:sdk`), for
 * applications that import ABIs without the typed bindings: `import abi from "cnt-protocol/abi/CarbonRegistry.json"`.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import * as bindings from "../sdk/contracts.js";

const dir = path.resolve(import.meta.dirname, "..", "abi");
await rm(dir, { recursive: true, force: true });
await mkdir(dir, { recursive: true });
let count = 0;
for (const [exportName, value] of Object.entries(bindings)) {
  if (!exportName.endsWith("__factory")) continue;
  const name = exportName.slice(0, -"__factory".length);
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify((value as { abi: unknown }).abi, null, 2)}\n`);
  count++;
}
console.log(`wrote ${count} ABIs to abi/`);
