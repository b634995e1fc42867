// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title RevertingERC20Mock
 * @notice Test-only ERC-20 that halts its transfers on demand, as a token whose issuer pauses it: once switched on,
 * `transfer` and/or `transferFrom` revert with {RevertingTransferHalted}. Mints and approvals always work. Open mint.
 */
contract RevertingERC20Mock is ERC20 {
    /// @notice Whether `transfer` reverts.
    bool public revertOnTransfer;

    /// @notice Whether `transferFrom` reverts.
    bool public revertOnTransferFrom;

    /// @notice Emitted when the halts are switched.
    event RevertingSet(bool onTransfer, bool onTransferFrom);

    /**
     * @notice Thrown by a halted `transfer` or `transferFrom`.
     * @param from The account the tokens would leave.
     * @param to The account they would reach.
     * @param value The amount.
     */
    error RevertingTransferHalted(address from, address to, uint256 value);

    constructor() ERC20("Reverting Token Mock", "REVM") {}

    /// @notice Mints `amount` base units to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @notice Switches the halts; anyone may call.
     * @param onTransfer True to make `transfer` revert.
     * @param onTransferFrom True to make `transferFrom` revert.
     */
    function setReverting(bool onTransfer, bool onTransferFrom) external {
        revertOnTransfer = onTransfer;
        revertOnTransferFrom = onTransferFrom;
        emit RevertingSet(onTransfer, onTransferFrom);
    }

    /// @notice Reverts with {RevertingTransferHalted} when halted, else moves the funds as any ERC-20.
    function transfer(address to, uint256 value) public override returns (bool) {
        if (revertOnTransfer) revert RevertingTransferHalted(msg.sender, to, value);
        return super.transfer(to, value);
    }

    /// @notice Reverts with {RevertingTransferHalted} when halted, else moves the funds as any ERC-20.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (revertOnTransferFrom) revert RevertingTransferHalted(from, to, value);
        return super.transferFrom(from, to, value);
    }
}
