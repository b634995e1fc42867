/**
 * Where the SMTChecker's open questions are answered: a property the checker can neither prove nor refute must be
 * explained in the source, by a line comment starting `// SMT:` directly above the innermost statement that holds
 * it (for a `for` loop's condition and increment, the loop itself; each statement of its body needs its own).
 * `scripts/smtchecker.ts` fails on any unproved property without one.
 */
import { parse } from "@solidity-parser/parser";

interface Node {
  type: string;
  range?: [number, number];
  loc?: { start: { line: number } };
}

const MARKER = "// SMT:";

/** The innermost statement of `source` whose text contains character `index`. */
function innermostStatement(source: string, index: number): Node | undefined {
  let found: Node | undefined;
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    const node = value as Node;
    if (node.range !== undefined && (index < node.range[0] || index > node.range[1])) return;
    // The parser gives a `for` loop's increment no range: it counts as part of the loop.
    if (node.range !== undefined && typeof node.type === "string" && node.type.endsWith("Statement")) found = node;
    for (const [key, child] of Object.entries(node)) if (key !== "loc" && key !== "range") walk(child);
  };
  walk(parse(source, { loc: true, range: true }));
  return found;
}

/** The explanation in the run of `//` lines directly above line `line` (1-based), if one starts with the marker. */
function commentAbove(lines: string[], line: number): string | undefined {
  let first = line - 1;
  while (first > 0 && lines[first - 1].trim().startsWith("//")) --first;
  const block = lines.slice(first, line - 1).map((l) => l.trim());
  const start = block.findIndex((l) => l.startsWith(MARKER));
  if (start < 0) return undefined;
  const [head, ...rest] = block.slice(start);
  return [head.slice(MARKER.length), ...rest.map((l) => l.slice(2))].map((l) => l.trim()).join(" ");
}

/**
 * The `// SMT:` explanation of the innermost statement holding byte `offset` of `source` (solc reports byte
 * offsets); undefined when it carries none.
 */
export function explanationAt(source: string, offset: number): string | undefined {
  const index = Buffer.from(source, "utf8").subarray(0, offset).toString("utf8").length;
  const line = innermostStatement(source, index)?.loc?.start.line;
  return line === undefined ? undefined : commentAbove(source.split("\n"), line);
}
