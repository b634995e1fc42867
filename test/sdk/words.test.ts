import { expect } from "chai";

import { ClaimType, CrossBorderRule } from "../../sdk/generated/solidity.js";
import { CROSS_BORDER_RULE_TEXT } from "../../sdk/jurisdictions.js";
import { enumWords } from "../../sdk/words.js";
import { ClaimTypeNames } from "../../tasks/lib/format.js";

describe("sdk/words: enumWords", function () {
  it("lists each member's words by its value", function () {
    expect(CROSS_BORDER_RULE_TEXT[CrossBorderRule.Allowed]).to.equal("allowed");
    expect(CROSS_BORDER_RULE_TEXT[CrossBorderRule.Refused]).to.equal("refused");
    expect(ClaimTypeNames).to.have.length(Object.keys(ClaimType).length);
    expect(ClaimTypeNames[ClaimType.CORSIA]).to.equal("CORSIA");
  });

  it("needs words for every member, and only for members (checked by the compiler)", function () {
    const words = { Refused: "no", AuthorisedAdjusted: "some", Allowed: "yes" };
    expect(enumWords(CrossBorderRule, words)).to.deep.equal(["no", "some", "yes"]);
    // @ts-expect-error: a member left out
    expect(enumWords(CrossBorderRule, { Refused: "no", Allowed: "yes" })).to.have.length(3);
    // @ts-expect-error: a name that is no member
    expect(enumWords(CrossBorderRule, { ...words, Forbidden: "never" })).to.have.length(3);
  });
});
