/**
 * Structural rules the linters cannot express, checked on the contracts' syntax trees (`@solidity-parser/parser`);
 * run by `npm run lint`. Fails, naming file, line and function, when:
 * 1. an external or public state-changing function of the marketplace, the retirement registry or the auction lacks
 *    the `nonReentrant` guard (these three move tokens to and from arbitrary accounts);
 * 2. any contract uses `require(condition, "message")` or `revert("message")`: failures are custom errors.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { parse, visit } from "@solidity-parser/parser";

import { root, solidityFiles } from "./lib/solidity-sources.js";

const GUARDED = [
  "contracts/market/CarbonMarketplace.sol",
  "contracts/retirement/RetirementRegistry.sol",
  "contracts/compliance/AllowanceAuction.sol",
];

export function checkSource(file: string, source: string, guarded: boolean): string[] {
  const problems: string[] = [];
  const ast = parse(source, { loc: true });
  visit(ast, {
    FunctionDefinition(fn) {
      if (!guarded || fn.isConstructor || fn.isReceiveEther || fn.isFallback || fn.body === null) return;
      if (fn.visibility !== "external" && fn.visibility !== "public") return;
      if (fn.stateMutability === "view" || fn.stateMutability === "pure") return;
      if (!fn.modifiers.some((m) => m.name === "nonReentrant")) {
        problems.push(`${file}:${fn.loc?.start.line}: ${fn.name ?? "function"} changes state without nonReentrant`);
      }
    },
    FunctionCall(call) {
      const callee = call.expression;
      if (callee.type !== "Identifier" || (callee.name !== "require" && callee.name !== "revert")) return;
      if (call.arguments.some((a) => a.type === "StringLiteral")) {
        problems.push(`${file}:${call.loc?.start.line}: ${callee.name} with a string message (use a custom error)`);
      }
    },
  });
  return problems;
}

if (process.argv[1]?.endsWith("check-ast.ts")) {
  const problems = solidityFiles(path.join(root, "contracts")).flatMap((full) => {
    const file = path.relative(root, full);
    return checkSource(file, readFileSync(full, "utf8"), GUARDED.includes(file));
  });
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(
    `check-ast: every state-changing entry point of ${GUARDED.length} contracts is guarded; no string reverts`,
  );
}
