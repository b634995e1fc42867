import { expect } from "chai";
import { getAddress } from "ethers";

import { KG_PER_TONNE, formatAmount, formatTonnes, kg, tonnes, toTonnes } from "../../sdk/units.js";
import { requireAddress } from "../../sdk/address.js";
import { CntArgumentError, requireId, requirePositive } from "../../sdk/validation.js";
import * as sdk from "../../sdk/index.js";

// An address in lowercase and in its EIP-55 checksummed form.
const LOWER = "0xd8da6bf26964af9d7eed9e03e53415d37aa96045";
const CHECKSUMMED = "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045";

/** Runs `run`, which must throw a CntArgumentError, and returns it. */
function argumentError(run: () => unknown): CntArgumentError {
  try {
    run();
  } catch (error) {
    expect(error).to.be.instanceOf(CntArgumentError);
    return error as CntArgumentError;
  }
  return expect.fail("expected a CntArgumentError");
}

/** Asserts that `run` throws a CntArgumentError naming `argument`, with exactly `message`. */
function expectArgumentError(run: () => unknown, argument: string, message: string): void {
  const error = argumentError(run);
  expect(error.argument, message).to.equal(argument);
  expect(error.message).to.equal(message);
}

const TONNES_HINT = "is not an amount in tCO2e: expected a non-negative number with at most 3 decimals (1 kg)";

describe("sdk/units and sdk/validation", function () {
  describe("CntArgumentError", function () {
    it("is an Error named CntArgumentError whose message starts with the argument", function () {
      const error = new CntArgumentError("batchId", "is wrong");
      expect(error).to.be.instanceOf(Error);
      expect(error.name).to.equal("CntArgumentError");
      expect(error.argument).to.equal("batchId");
      expect(error.message).to.equal("batchId: is wrong");
    });

    it("is what the package exports, with the unit helpers", function () {
      expect(sdk.CntArgumentError).to.equal(CntArgumentError);
      expect(sdk.tonnes).to.equal(tonnes);
      expect(sdk.kg).to.equal(kg);
      expect(sdk.toTonnes).to.equal(toTonnes);
      expect(sdk.KG_PER_TONNE).to.equal(KG_PER_TONNE);
      expect(sdk.requireAddress).to.equal(requireAddress);
      expect(sdk.requireId).to.equal(requireId);
      expect(sdk.requirePositive).to.equal(requirePositive);
    });
  });

  describe("KG_PER_TONNE", function () {
    it("is 1,000 units (kg) as a bigint", function () {
      expect(KG_PER_TONNE).to.equal(1_000n);
      expect(typeof KG_PER_TONNE).to.equal("bigint");
    });
  });

  describe("tonnes", function () {
    it("converts decimal strings of tCO2e to units (kg)", function () {
      const cases: [string, bigint][] = [
        ["12.5", 12_500n],
        ["3", 3_000n],
        ["0", 0n],
        ["0.001", 1n],
        ["0.01", 10n],
        ["0.1", 100n],
        ["1.234", 1_234n],
        ["12.", 12_000n],
        ["007", 7_000n],
        ["123456789012345678901234567890", 123_456_789_012_345_678_901_234_567_890_000n],
      ];
      for (const [text, units] of cases) expect(tonnes(text), text).to.equal(units);
    });

    it("ignores surrounding whitespace and underscores, and refuses commas (a decimal point to many readers)", function () {
      expect(tonnes(" 2 ")).to.equal(2_000n);
      expect(tonnes("12_500.25")).to.equal(12_500_250n);
      expect(tonnes("1.5000")).to.equal(1_500n);
      expect(() => tonnes("1,5")).to.throw(CntArgumentError, 'amount: "1,5" is not an amount in tCO2e');
      expect(() => tonnes("1,000")).to.throw(CntArgumentError, 'amount: "1,000" is not an amount in tCO2e');
    });

    it("converts finite numbers", function () {
      expect(tonnes(3)).to.equal(3_000n);
      expect(tonnes(0)).to.equal(0n);
      expect(tonnes(1.5)).to.equal(1_500n);
      expect(tonnes(12.345)).to.equal(12_345n);
      expect(tonnes(0.001)).to.equal(1n);
      expect(tonnes(-0)).to.equal(0n);
    });

    it("refuses negative, non-numeric and sub-kilogram strings, naming the amount", function () {
      for (const text of [
        "-1",
        "-0.5",
        "abc",
        "",
        "   ",
        ".5",
        "1e3",
        "1.0001",
        "0.0005",
        "1.2.3",
        "0x10",
        "+1",
        "1 t",
      ]) {
        expectArgumentError(() => tonnes(text), "amount", `amount: ${JSON.stringify(text)} ${TONNES_HINT}`);
      }
    });

    it("refuses negative and sub-kilogram numbers", function () {
      expectArgumentError(() => tonnes(-1), "amount", `amount: -1 ${TONNES_HINT}`);
      expectArgumentError(() => tonnes(0.0005), "amount", `amount: 0.0005 ${TONNES_HINT}`);
      expectArgumentError(() => tonnes(1.0001), "amount", `amount: 1.0001 ${TONNES_HINT}`);
      // Binary floating point: 0.1 + 0.2 is not 0.3 and is refused rather than rounded.
      expectArgumentError(() => tonnes(0.1 + 0.2), "amount", `amount: 0.30000000000000004 ${TONNES_HINT}`);
    });

    it("refuses NaN and infinities", function () {
      for (const value of [NaN, Infinity, -Infinity]) {
        const error = argumentError(() => tonnes(value));
        expect(error.argument).to.equal("amount");
        expect(error.message.startsWith("amount: "), error.message).to.equal(true);
        expect(error.message.endsWith(TONNES_HINT), error.message).to.equal(true);
      }
    });
  });

  describe("kg", function () {
    it("returns whole kilograms as a bigint", function () {
      expect(kg(1_500)).to.equal(1_500n);
      expect(kg(0)).to.equal(0n);
      expect(kg(0n)).to.equal(0n);
      expect(kg(1_500n)).to.equal(1_500n);
      expect(kg(Number.MAX_SAFE_INTEGER)).to.equal(9_007_199_254_740_991n);
      expect(kg(10n ** 30n)).to.equal(10n ** 30n);
    });

    it("refuses fractional, negative and unsafe numbers, naming the amount", function () {
      expectArgumentError(() => kg(1.5), "amount", "amount: 1.5 kg is not a whole number of kilograms");
      expectArgumentError(() => kg(NaN), "amount", "amount: NaN kg is not a whole number of kilograms");
      expectArgumentError(() => kg(Infinity), "amount", "amount: Infinity kg is not a whole number of kilograms");
      expectArgumentError(
        () => kg(2 ** 53),
        "amount",
        "amount: 9007199254740992 kg is beyond a number's exact range: pass a bigint",
      );
      expectArgumentError(() => kg(-1), "amount", "amount: -1 kg is negative");
      expectArgumentError(() => kg(-1n), "amount", "amount: -1 kg is negative");
      expectArgumentError(() => kg(-(10n ** 20n)), "amount", "amount: -100000000000000000000 kg is negative");
    });
  });

  describe("formatAmount and formatTonnes", function () {
    it("write base units with their decimals, grouped by thousands, without trailing zeros", function () {
      const cases: [bigint, number, string][] = [
        [9_000_000_000n, 6, "9,000"],
        [350_000_000_000n, 6, "350,000"],
        [0n, 6, "0"],
        [1_234_500_000n, 6, "1,234.5"],
        [1n, 6, "0.000001"],
        [-2_500_000n, 6, "-2.5"],
        [1_000_000n, 0, "1,000,000"],
        [10n ** 24n, 18, "1,000,000"],
      ];
      for (const [amount, decimals, text] of cases) {
        expect(formatAmount(amount, decimals), `${amount} at ${decimals}`).to.equal(text);
      }
      expect(formatAmount(1_234_567n, 3, { grouping: false })).to.equal("1234.567");
    });

    it("write units as tCO2e for people", function () {
      expect(formatTonnes(12_500_000n)).to.equal("12,500 tCO2e");
      expect(formatTonnes(250n)).to.equal("0.25 tCO2e");
      expect(formatTonnes(-1_500n)).to.equal("-1.5 tCO2e");
    });
  });

  describe("toTonnes", function () {
    it("writes units as a decimal tCO2e string without grouping or trailing zeros", function () {
      const cases: [bigint, string][] = [
        [12_500n, "12.5"],
        [3_000n, "3"],
        [0n, "0"],
        [1n, "0.001"],
        [10n, "0.01"],
        [999n, "0.999"],
        [1_001n, "1.001"],
        [1_234_567n, "1234.567"],
        [10n ** 30n, "1000000000000000000000000000"],
        [-1_500n, "-1.5"],
        [-1n, "-0.001"],
        [-3_000n, "-3"],
      ];
      for (const [units, text] of cases) expect(toTonnes(units), String(units)).to.equal(text);
    });

    it("is the inverse of tonnes for non-negative amounts", function () {
      for (const units of [0n, 1n, 10n, 100n, 999n, 1_000n, 1_001n, 12_500n, 1_234_567n, 10n ** 30n + 7n]) {
        expect(tonnes(toTonnes(units)), String(units)).to.equal(units);
      }
    });
  });

  describe("requireAddress", function () {
    it("returns the checksummed address", function () {
      expect(requireAddress("to", LOWER)).to.equal(CHECKSUMMED);
      expect(requireAddress("to", CHECKSUMMED)).to.equal(CHECKSUMMED);
      expect(requireAddress("to", "0x" + LOWER.slice(2).toUpperCase())).to.equal(CHECKSUMMED);
    });

    it("refuses anything else, naming the argument and showing the value", function () {
      const badChecksum = CHECKSUMMED.slice(0, -1) + "6";
      const cases: [unknown, string][] = [
        ["0x123", `"0x123"`],
        [LOWER + "00", `"${LOWER}00"`],
        ["vitalik.eth", `"vitalik.eth"`],
        ["", `""`],
        [42, "42"],
        [null, "null"],
        [undefined, "undefined"],
        [{ address: CHECKSUMMED }, `{"address":"${CHECKSUMMED}"}`],
      ];
      for (const [value, shown] of cases) {
        expectArgumentError(
          () => requireAddress("recipient", value),
          "recipient",
          `recipient: ${shown} is not an address`,
        );
      }
      expectArgumentError(
        () => requireAddress("recipient", badChecksum),
        "recipient",
        `recipient: ${badChecksum} fails its checksum (its mixed case does not match its digits): check it for a ` +
          `typo; if the digits are right, it is ${getAddress(badChecksum.toLowerCase())}`,
      );
    });
  });

  describe("requireId", function () {
    it("returns ids from 1 as bigints", function () {
      expect(requireId("batchId", 1)).to.equal(1n);
      expect(requireId("batchId", 7n)).to.equal(7n);
      expect(requireId("batchId", Number.MAX_SAFE_INTEGER)).to.equal(9_007_199_254_740_991n);
      expect(requireId("batchId", 2n ** 200n)).to.equal(2n ** 200n);
    });

    it("refuses 0 and negative ids", function () {
      expectArgumentError(() => requireId("batchId", 0), "batchId", "batchId: 0 is not an id (ids start at 1)");
      expectArgumentError(() => requireId("batchId", 0n), "batchId", "batchId: 0 is not an id (ids start at 1)");
      expectArgumentError(() => requireId("listingId", -3), "listingId", "listingId: -3 is not an id (ids start at 1)");
      expectArgumentError(() => requireId("bidId", -1n), "bidId", "bidId: -1 is not an id (ids start at 1)");
    });

    it("refuses fractional, non-finite and unsafe numbers", function () {
      expectArgumentError(() => requireId("reportId", 1.5), "reportId", "reportId: 1.5 is not a whole number");
      expectArgumentError(() => requireId("reportId", NaN), "reportId", "reportId: NaN is not a whole number");
      expectArgumentError(
        () => requireId("reportId", Infinity),
        "reportId",
        "reportId: Infinity is not a whole number",
      );
      expectArgumentError(
        () => requireId("reportId", 2 ** 53),
        "reportId",
        "reportId: 9007199254740992 is beyond a number's exact range: pass a bigint",
      );
    });
  });

  describe("requirePositive", function () {
    it("returns positive whole amounts as bigints", function () {
      expect(requirePositive("amount", 1)).to.equal(1n);
      expect(requirePositive("amount", 1_500n)).to.equal(1_500n);
      expect(requirePositive("amount", Number.MAX_SAFE_INTEGER)).to.equal(9_007_199_254_740_991n);
      expect(requirePositive("amount", 10n ** 40n)).to.equal(10n ** 40n);
    });

    it("refuses 0 and negative amounts", function () {
      expectArgumentError(() => requirePositive("amount", 0), "amount", "amount: 0 must be more than 0");
      expectArgumentError(() => requirePositive("amount", 0n), "amount", "amount: 0 must be more than 0");
      expectArgumentError(() => requirePositive("quantity", -1), "quantity", "quantity: -1 must be more than 0");
      expectArgumentError(() => requirePositive("unitPrice", -5n), "unitPrice", "unitPrice: -5 must be more than 0");
    });

    it("refuses fractional and non-finite numbers, pointing at tonnes()", function () {
      const hint = 'is not a whole number of units (kg); use tonnes("…") for tCO2e';
      expectArgumentError(() => requirePositive("amount", 2.5), "amount", `amount: 2.5 ${hint}`);
      expectArgumentError(() => requirePositive("amount", 0.5), "amount", `amount: 0.5 ${hint}`);
      expectArgumentError(() => requirePositive("quantity", NaN), "quantity", `quantity: NaN ${hint}`);
      expectArgumentError(() => requirePositive("quantity", -Infinity), "quantity", `quantity: -Infinity ${hint}`);
    });
  });
});
