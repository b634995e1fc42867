import { expect } from "chai";
import { AbiCoder } from "ethers";

import { ClaimType } from "../../sdk/generated/solidity.js";
import { jurisdictionCode } from "../../sdk/jurisdictions.js";
import { retirementRequest } from "../../sdk/requests.js";
import { CntArgumentError } from "../../sdk/validation.js";
import { REQUEST_TUPLE } from "../helpers/retirement.js";

const ALICE = "0x00000000000000000000000000000000000000A1";
const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000";

describe("sdk/requests: retirementRequest", function () {
  it("builds a voluntary offset with a certificate, every other field at its default", function () {
    expect(retirementRequest({ batchId: 3, amount: 1_500n, beneficiary: ALICE })).to.deep.equal({
      ids: [3n],
      amounts: [1_500n],
      beneficiary: ALICE,
      beneficiaryName: "",
      beneficiaryCommitment: `0x${"0".repeat(64)}`,
      claimType: ClaimType.VoluntaryOffset,
      claimEntity: ZERO_ADDRESS,
      claimPeriod: 0n,
      consumptionJurisdiction: "0x0000000000000000",
      consumptionStart: 0n,
      consumptionEnd: 0n,
      reason: "",
      skipCertificate: false,
    });
  });

  it("encodes as the contract's RetirementRequest struct", function () {
    const request = retirementRequest({ batchId: 1, amount: 10, beneficiary: ALICE, consumptionJurisdiction: "BR-PA" });
    const encoded = AbiCoder.defaultAbiCoder().encode([REQUEST_TUPLE], [request]);
    const [decoded] = AbiCoder.defaultAbiCoder().decode([REQUEST_TUPLE], encoded);
    expect(decoded.consumptionJurisdiction).to.equal(jurisdictionCode("j", "BR-PA"));
    expect(decoded.beneficiary).to.equal(ALICE);
  });

  it("makes a neutrality claim against the beneficiary's inventory of the period", function () {
    const request = retirementRequest({
      batchId: 1,
      amount: 10,
      beneficiary: ALICE,
      claimType: ClaimType.Neutrality,
      claimPeriod: 2025,
      beneficiaryName: "Acme",
      reason: "2025 inventory",
      certificate: false,
    });
    expect(request).to.deep.include({
      claimType: ClaimType.Neutrality,
      claimEntity: ALICE,
      claimPeriod: 2025n,
      beneficiaryName: "Acme",
      reason: "2025 inventory",
      skipCertificate: true,
    });
  });

  it("refuses what the registry would refuse, naming the argument", function () {
    const cases: [Parameters<typeof retirementRequest>[0], string, RegExp][] = [
      [{ batchId: 1, amount: 1, beneficiary: "0x12" }, "beneficiary", /is not an address/],
      [{ batchId: 0, amount: 1, beneficiary: ALICE }, "batchId", /ids start at 1/],
      [{ batchId: 1, amount: 0, beneficiary: ALICE }, "amount", /must be more than 0/],
      [{ batchId: 1, amount: 1, beneficiary: ALICE, claimType: ClaimType.Compliance }, "claimType", /surrendering/],
      [{ batchId: 1, amount: 1, beneficiary: ALICE, claimType: ClaimType.Neutrality }, "claimPeriod", /period/],
      [{ batchId: 1, amount: 1, beneficiary: ALICE, consumptionJurisdiction: "br" }, "consumptionJurisdiction", /BR/],
    ];
    for (const [args, argument, message] of cases) {
      expect(() => retirementRequest(args), argument)
        .to.throw(CntArgumentError, message)
        .with.property("argument", argument);
    }
  });
});
