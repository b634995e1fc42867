import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import CNT from "./CNT.js";

/**
 * The suite for a local `hardhat node`: the CNT module plus a test stablecoin (`ERC20Mock`, "USDCm", 6 decimals, open
 * mint) allowed as payment on the marketplace, so listings, bids, auctions and penalties can be tried end to end.
 * Public networks deploy `CNT.ts` alone and allow their real stablecoins through its `paymentTokens` parameter.
 */
export default buildModule("Local", (m) => {
  const suite = m.useModule(CNT);
  const stablecoin = m.contract("ERC20Mock", []);
  m.call(suite.marketplace, "setPaymentTokenAllowed", [stablecoin, true], { id: "allow_stablecoin" });
  return { ...suite, stablecoin };
});
