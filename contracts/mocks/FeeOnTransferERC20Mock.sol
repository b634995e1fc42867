// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title FeeOnTransferERC20Mock
 * @notice Test-only ERC-20 that burns a 1% fee (rounded down) on every transfer between two accounts, so the
 * recipient receives less than the amount sent. Mints and burns are not charged. Open mint.
 */
contract FeeOnTransferERC20Mock is ERC20 {
    /// @notice The fee in basis points.
    uint256 public constant FEE_BPS = 100;

    constructor() ERC20("Fee On Transfer Mock", "FOT") {}

    /// @notice Mints `amount` base units to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @dev Burns the fee from the sender, then moves the rest.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = (value * FEE_BPS) / 10_000;
            super._update(from, address(0), fee);
            super._update(from, to, value - fee);
        } else {
            super._update(from, to, value);
        }
    }
}
