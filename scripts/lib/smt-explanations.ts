/**
 * Where the SMTChecker's open questions are answered: a property the checker can neither prove nor refute must be
 * explained in the source, by a line comment starting `// SMT:` directly above the statement that holds it (or
 * above a statement that encloses it, such as the `for` loop whose body indexes an array). `scripts/smtchecker.ts`
 * fails on any unproved property without one.
 */
import { parse } from "@solidity-parser/parser";

interface Node {
  type: string;
  range?: [number, number];
  loc?: { start: { line: number } };
}

const MARKER = "// SMT:";

/** The statements of `source` whose text contains character `index`, innermost first. */
function enclosingStatements(source: string, index: number): Node[] {
  const found: Node[] = [];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (value === null || typeof value !== "object") return;
    const node = value as Node;
    if (node.range !== undefined && (index < node.range[0] || index > node.range[1])) return;
    if (typeof node.type === "string" && node.type.endsWith("Statement")) found.push(node);
    for (const [key, child] of Object.entries(node)) if (key !== "loc" && key !== "range") walk(child);
  };
  walk(parse(source, { loc: true, range: true }));
  return found.reverse();
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
 * The `// SMT:` explanation covering byte `offset` of `source` (solc reports byte offsets), from the innermost
 * enclosing statement outwards; undefined when none of them carries one.
 */
export function explanationAt(source: string, offset: number): string | undefined {
  const index = Buffer.from(source, "utf8").subarray(0, offset).toString("utf8").length;
  const lines = source.split("\n");
  for (const statement of enclosingStatements(source, index)) {
    const explanation = commentAbove(lines, statement.loc?.start.line ?? 0);
    if (explanation !== undefined) return explanation;
  }
  return undefined;
}
