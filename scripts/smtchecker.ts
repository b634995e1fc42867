/**
 * The Solidity SMTChecker (CHC engine) over the marketplace and the libraries it links, through the pinned npm `solc`
 * (solc-js) with the z3 binary as its solver (Debian's `z3`; `.ci/run` installs it when missing). Run by
 * `npm run lint`. Fails when the checker finds a counterexample (an assertion violation, an overflow or underflow,
 * a division by zero, an out-of-bounds access), and when a property it could neither prove nor refute within the
 * per-query timeout has no `// SMT:` explanation at its statement (scripts/lib/smt-explanations.ts); prints each
 * unproved property with its explanation. The credit token is not checked: solc-js runs out of memory encoding it (std::bad_alloc after
 * five minutes, measured), so its properties rest on the fuzz and invariant tests.
 */
import { createRequire } from "node:module";

import { explanationAt } from "./lib/smt-explanations.js";
import { findImport, productionSources } from "./lib/solidity-sources.js";

const require = createRequire(import.meta.url);
const solc = require("solc") as { compile(input: string, options: object): string };
const smtchecker = require("solc/smtchecker") as { smtCallback(solver: unknown, config: unknown): unknown };
const smtsolver = require("solc/smtsolver") as { smtSolver: unknown; availableSolvers: { name: string }[] };

/** What is checked: each contract with the libraries it uses. */
const CHECKED = { "contracts/market/CarbonMarketplace.sol": ["CarbonMarketplace"] };
const TARGETS = ["assert", "overflow", "underflow", "divByZero", "outOfBounds", "popEmptyArray"];
const TIMEOUT_MS = 2_000;

if (!smtsolver.availableSolvers.some((s) => s.name === "z3")) {
  console.error("smtchecker: no z3 on PATH (Debian: apt-get install z3)");
  process.exit(1);
}

const started = Date.now();
const sources = productionSources();
const output = JSON.parse(
  solc.compile(
    JSON.stringify({
      language: "Solidity",
      sources,
      settings: {
        evmVersion: "prague",
        outputSelection: { "*": { "*": [] } },
        modelChecker: {
          engine: "chc",
          contracts: CHECKED,
          targets: TARGETS,
          timeout: TIMEOUT_MS,
          solvers: ["smtlib2"],
          showUnproved: true,
        },
      },
    }),
    {
      import: findImport,
      smtSolver: smtchecker.smtCallback(smtsolver.smtSolver, smtsolver.availableSolvers[0]),
    },
  ),
) as {
  errors?: {
    severity: string;
    message: string;
    formattedMessage: string;
    sourceLocation?: { file: string; start: number };
  }[];
};

const messages = output.errors ?? [];
const failures = messages.filter((m) => m.severity === "error");
const counterexamples = messages.filter((m) => /^(CHC|BMC): .*happens here/.test(m.message));
const unproved = messages.filter((m) => /^CHC: .*might happen here/.test(m.message));
for (const m of [...failures, ...counterexamples]) console.error(m.formattedMessage);
const unexplained: string[] = [];
for (const m of unproved) {
  const where = m.formattedMessage.split("\n")[1]?.replace("-->", "").trim().replace(/:$/, "") ?? "?";
  const loc = m.sourceLocation;
  const source = loc === undefined ? undefined : sources[loc.file]?.content;
  const what = m.message.replace(/^CHC: /, "");
  // A dependency's code (OpenZeppelin) cannot carry our comments: listed, not required to be explained.
  if (source === undefined || loc === undefined) console.log(`unproved ${where} (a dependency): ${what}`);
  else {
    const why = explanationAt(source, loc.start);
    if (why === undefined) unexplained.push(`${where}: ${m.message} (no // SMT: explanation at this statement)`);
    else console.log(`unproved ${where}: ${what} Why it holds: ${why}`);
  }
}
const seconds = Math.round((Date.now() - started) / 1000);
if (failures.length > 0 || counterexamples.length > 0 || unexplained.length > 0) {
  for (const line of unexplained) console.error(line);
  console.error(
    `smtchecker: ${failures.length} compiler errors, ${counterexamples.length} counterexamples, ` +
      `${unexplained.length} unproved properties without an explanation (${seconds} s)`,
  );
  process.exit(1);
}
console.log(
  `smtchecker (CHC, z3, ${TIMEOUT_MS / 1000} s per query) over ${Object.values(CHECKED).flat().join(", ")} and its ` +
    `libraries: no counterexample; ${unproved.length} properties neither proved nor refuted, each explained (${seconds} s)`,
);
