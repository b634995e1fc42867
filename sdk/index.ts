/**
 * The CNT SDK for ethers v6: connect to a deployed suite, run its flows with decoded results, convert units, and read
 * any of the suite's custom errors as a sentence. Typed bindings are also exported on their own
 * (`cnt-protocol/typechain`); the same ABIs, enums, constants, units and sentences without ethers are
 * `cnt-protocol/viem` and `cnt-protocol/abi`.
 */
export * from "./core.js";
export { connect, contractsAt, CntClient, CntContractError } from "./client.js";
export type { BidCriteria, CntContracts, Sent } from "./client.js";
export { decodeCntError, explainError, findCntError } from "./errors.js";
export { requireAddress } from "./address.js";
export * from "./contracts.js";
