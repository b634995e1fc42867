// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title ShrinkingERC20Mock
 * @notice Test-only ERC-20 that, once switched on, charges the recipient of every transfer between two accounts a
 * "demurrage" of twice the amount received (as much as it holds), so the recipient's balance falls on receipt: what
 * a contract measuring its receipts sees as a negative delta. Mints and burns are not charged. Open mint.
 */
contract ShrinkingERC20Mock is ERC20 {
    /// @notice Whether transfers shrink the recipient's balance.
    bool public shrinking;

    constructor() ERC20("Shrinking Token Mock", "SHR") {}

    /// @notice Mints `amount` base units to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Switches the recipient's demurrage on or off; anyone may call.
    function setShrinking(bool on) external {
        shrinking = on;
    }

    /// @dev Moves the value, then burns twice the value (capped at its balance) from the recipient.
    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (shrinking && from != address(0) && to != address(0)) {
            uint256 held = balanceOf(to);
            super._update(to, address(0), held < 2 * value ? held : 2 * value);
        }
    }
}
