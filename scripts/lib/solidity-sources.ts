/** The repository's Solidity sources for the scripts that hand them to solc-js or a parser directly. */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "..", "..");

/** Every `.sol` file under `dir`, recursively; `skipMocks` leaves out `mocks/` folders. */
export function solidityFiles(dir: string, skipMocks = false): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return skipMocks && entry === "mocks" ? [] : solidityFiles(full, skipMocks);
    return entry.endsWith(".sol") ? [full] : [];
  });
}

/** The production sources (contracts/ without mocks) as solc standard-JSON `sources`, keyed by repository path. */
export function productionSources(): Record<string, { content: string }> {
  const sources: Record<string, { content: string }> = {};
  for (const file of solidityFiles(path.join(root, "contracts"), true)) {
    sources[path.relative(root, file)] = { content: readFileSync(file, "utf8") };
  }
  return sources;
}

/** solc-js's import callback: a path from the repository, else from node_modules (OpenZeppelin). */
export function findImport(p: string): { contents: string } | { error: string } {
  for (const base of [root, path.join(root, "node_modules")]) {
    try {
      return { contents: readFileSync(path.join(base, p), "utf8") };
    } catch {
      // the next base
    }
  }
  return { error: `not found: ${p}` };
}
