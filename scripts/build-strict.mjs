// Compiles every contract from scratch and fails on any compiler warning: warnings are errors in this project.
//
// One warning is allowed, by exact message and file: solc warns on every `tstore`, including OpenZeppelin's
// TransientSlot behind ReentrancyGuardTransient. That guard clears its slot before the call returns, which is the
// use the warning itself calls safe, and it costs about 200 gas where a storage guard costs about 5,000.
import { spawnSync } from "node:child_process";

const ALLOWED = [
  {
    message: "Transient storage as defined by EIP-1153 can break the composability of smart contracts",
    file: "node_modules/@openzeppelin/contracts/utils/TransientSlot.sol",
  },
];

const result = spawnSync("npx", ["hardhat", "build", "--force"], { encoding: "utf8" });
const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
process.stdout.write(output);
if (result.status !== 0) process.exit(result.status ?? 1);

// Each warning starts with "Warning:" and names its file on a following "--> path:line:col" line.
const warnings = output.split(/^(?=Warning:)/m).filter((block) => block.startsWith("Warning:"));
const offending = warnings.filter(
  (block) => !ALLOWED.some((allowed) => block.includes(allowed.message) && block.includes(allowed.file)),
);
if (offending.length > 0) {
  console.error(`build: ${offending.length} compiler warning(s); warnings are errors in this project.`);
  process.exit(1);
}
if ((output.match(/Warning:/g) ?? []).length !== warnings.length) {
  // A warning printed in a shape the splitter above did not recognise: fail rather than pass it silently.
  console.error("build: unrecognised compiler warning output; treat it as an error.");
  process.exit(1);
}
