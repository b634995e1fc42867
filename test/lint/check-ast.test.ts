import { readFileSync } from "node:fs";

import { expect } from "chai";

import { checkSource } from "../../scripts/check-ast.js";
import { belowGate, coverageRows } from "../../scripts/coverage-gate.js";
import { explanationAt } from "../../scripts/lib/smt-explanations.js";

const contract = (body: string) => `// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;
contract C {
${body}
}`;

describe("lint: the syntax-tree rules (scripts/check-ast.ts)", function () {
  it("names an unguarded state-changing entry point of a guarded contract", function () {
    const source = contract(`
    modifier nonReentrant() { _; }
    uint256 x;
    function guarded() external nonReentrant { x = 1; }
    function open() external { x = 2; }
    function alsoOpen() public payable { x = 3; }
    function reads() external view returns (uint256) { return x; }
    function helper() internal { x = 4; }`);
    expect(checkSource("C.sol", source, true)).to.deep.equal([
      "C.sol:8: open changes state without nonReentrant",
      "C.sol:9: alsoOpen changes state without nonReentrant",
    ]);
    expect(checkSource("C.sol", source, false)).to.deep.equal([]);
  });

  it("names require and revert with a string message, and accepts custom errors", function () {
    const source = contract(`
    error Bad(uint256 value);
    function f(uint256 v) external pure {
        require(v > 0, "zero");
        if (v == 2) revert("two");
        if (v == 3) revert Bad(v);
        require(v != 4, Bad(v));
    }`);
    expect(checkSource("C.sol", source, false)).to.deep.equal([
      "C.sol:7: require with a string message (use a custom error)",
      "C.sol:8: revert with a string message (use a custom error)",
    ]);
  });

  it("passes on the three guarded contracts as they are", function () {
    for (const file of [
      "contracts/market/CarbonMarketplace.sol",
      "contracts/retirement/RetirementRegistry.sol",
      "contracts/compliance/AllowanceAuction.sol",
    ]) {
      expect(checkSource(file, readFileSync(file, "utf8"), true), file).to.deep.equal([]);
    }
  });
});

describe("CI: the coverage gate (scripts/coverage-gate.ts)", function () {
  const report = [
    "\u001b[33mFile Path\u001b[39m | Line % | Statement % | Uncovered Lines",
    "║ contracts/registry/CarbonRegistry.sol │ 100.00 │ 100.00 │ -  ║",
    "│ …/compliance/ComplianceRegistry.sol │ 99.50 │ 96.00 │ 412 │",
    "│ contracts/token/CarbonCredit.sol │ 100.00 │ 94.90 │ │",
    "│ contracts/mocks/ERC20Mock.sol │ 50.00 │ 40.00 │ 3-9 │",
    "│ Total │ 98.00 │ 97.00 │ │",
  ].join("\n");

  it("reads the per-file rows of the report", function () {
    expect(coverageRows(report).map((r) => r.file)).to.deep.equal([
      "contracts/registry/CarbonRegistry.sol",
      "…/compliance/ComplianceRegistry.sol",
      "contracts/token/CarbonCredit.sol",
      "contracts/mocks/ERC20Mock.sol",
    ]);
  });

  it("fails a production file below 100% of lines or 95% of statements, never a mock", function () {
    expect(belowGate(coverageRows(report))).to.deep.equal([
      "…/compliance/ComplianceRegistry.sol: 99.5% of lines covered, the gate is 100%",
      "contracts/token/CarbonCredit.sol: 94.9% of statements covered, the gate is 95%",
    ]);
  });
});

describe("lint: explanations of the SMTChecker's unproved properties (scripts/lib/smt-explanations.ts)", function () {
  const source = contract(`
    uint256[] xs;
    uint256[] ys;
    uint256 total;
    function f(uint256 a, uint256 b) external {
        // Not an explanation.
        total = a * b;
        // SMT: a < 2^96 and b < 2^128 (checked by the caller),
        // so the product is below 2^224.
        total = a * b + 1;
        // SMT: \`i < xs.length\`: in bounds.
        for (uint256 i = 0; i < xs.length; ++i) {
            total += xs[i];
            // SMT: \`i < ys.length\`.
            total += ys[i];
        }
        // SMT: b ≤ a ${"—".repeat(40)} (each dash is 3 bytes: byte offsets are not string indexes).
        total = a - b;
    }`);
  /** The byte offset solc would report for the `nth` (0-based) occurrence of `needle`. */
  const at = (needle: string, nth = 0) => {
    let index = -1;
    for (let k = 0; k <= nth; ++k) index = source.indexOf(needle, index + 1);
    return Buffer.byteLength(source.slice(0, index), "utf8");
  };

  it("reads a `// SMT:` comment above the statement, joining its continuation lines", function () {
    expect(explanationAt(source, at("a * b + 1"))).to.equal(
      "a < 2^96 and b < 2^128 (checked by the caller), so the product is below 2^224.",
    );
  });

  it("reads a loop's explanation for its condition and increment, never for its body", function () {
    expect(explanationAt(source, at("i < xs.length;"))).to.equal("`i < xs.length`: in bounds.");
    expect(explanationAt(source, at("++i"))).to.equal("`i < xs.length`: in bounds.");
    expect(explanationAt(source, at("xs[i]"))).to.equal(undefined);
    expect(explanationAt(source, at("ys[i]"))).to.equal("`i < ys.length`.");
  });

  it("maps solc's byte offsets past non-ASCII text to the right statement", function () {
    expect(explanationAt(source, at("a - b"))).to.match(/^b ≤ a —+ \(each dash/);
  });

  it("finds none for a statement under an ordinary comment", function () {
    expect(explanationAt(source, at("a * b"))).to.equal(undefined);
  });
});
