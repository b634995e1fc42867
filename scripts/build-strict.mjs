// Compiles every contract from scratch and fails on any compiler warning: warnings are errors in this project.
import { spawnSync } from "node:child_process";

const result = spawnSync("npx", ["hardhat", "build", "--force"], { encoding: "utf8" });
const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
process.stdout.write(output);
if (result.status !== 0) process.exit(result.status ?? 1);
if (/\bWarning\b/i.test(output)) {
  console.error("build: the compiler printed warnings; they are errors in this project.");
  process.exit(1);
}
