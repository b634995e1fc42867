import { expect } from "chai";
import { network } from "hardhat";
import { deploySuite } from "../scripts/lib/suite.js";

describe("smoke", () => {
  it("deploys", async () => {
    const { ethers } = await network.create();
    const [admin, registrar] = await ethers.getSigners();
    const s = await deploySuite(ethers, admin, { REGISTRAR: [registrar.address] });
    expect(await s.registry.credit()).to.equal(await s.credit.getAddress());
  });
});
