/**
 * The coverage gate of `.ci/run`: reads the report `hardhat test --coverage` printed (a log file) and fails when a
 * production contract (anything under contracts/ but mocks/) has less than 100% of its lines or 95% of its
 * statements covered. `npx tsx scripts/coverage-gate.ts <coverage log>`
 */
import { readFileSync } from "node:fs";

const MIN_LINES = 100;
const MIN_STATEMENTS = 95;

export interface CoverageRow {
  file: string;
  lines: number;
  statements: number;
}

/** The per-file rows of Hardhat's coverage table (`File Path | Line % | Statement % | Uncovered Lines`). */
export function coverageRows(log: string): CoverageRow[] {
  const rows: CoverageRow[] = [];
  for (const raw of log.replace(/\x1b\[[0-9;]*m/g, "").split("\n")) {
    const cells = raw
      .split(/[│|║]/)
      .map((c) => c.trim())
      .filter((c) => c !== "");
    if (cells.length < 3 || !cells[0].endsWith(".sol")) continue;
    const [lines, statements] = [Number(cells[1]), Number(cells[2])];
    if (Number.isNaN(lines) || Number.isNaN(statements)) continue;
    rows.push({ file: cells[0], lines, statements });
  }
  return rows;
}

/** The production rows below the thresholds, as sentences. */
export function belowGate(rows: CoverageRow[]): string[] {
  return rows
    .filter((r) => !/(^|[/…])mocks\//.test(r.file))
    .flatMap((r) => [
      ...(r.lines < MIN_LINES ? [`${r.file}: ${r.lines}% of lines covered, the gate is ${MIN_LINES}%`] : []),
      ...(r.statements < MIN_STATEMENTS
        ? [`${r.file}: ${r.statements}% of statements covered, the gate is ${MIN_STATEMENTS}%`]
        : []),
    ]);
}

if (process.argv[1]?.endsWith("coverage-gate.ts")) {
  const file = process.argv[2];
  if (file === undefined) {
    console.error("Usage: npx tsx scripts/coverage-gate.ts <log of hardhat test --coverage>");
    process.exit(1);
  }
  const rows = coverageRows(readFileSync(file, "utf8"));
  const production = rows.filter((r) => !/(^|[/…])mocks\//.test(r.file));
  if (production.length === 0) {
    console.error(`${file}: no coverage table found`);
    process.exit(1);
  }
  for (const r of production)
    console.log(
      `${r.lines.toFixed(2).padStart(6)}% lines ${r.statements.toFixed(2).padStart(6)}% statements  ${r.file}`,
    );
  const problems = belowGate(rows);
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exit(1);
  console.log(
    `coverage gate: ${production.length} production files at or above ${MIN_LINES}% lines, ${MIN_STATEMENTS}% statements`,
  );
}
