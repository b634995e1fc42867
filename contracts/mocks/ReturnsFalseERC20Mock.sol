// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title ReturnsFalseERC20Mock
 * @notice Test-only ERC-20 whose `transfer` and `transferFrom` return `false` without moving anything or reverting,
 * as some old tokens do. Approvals work. Open mint.
 */
contract ReturnsFalseERC20Mock is ERC20 {
    constructor() ERC20("Returns False Mock", "RFM") {}

    /// @notice Mints `amount` base units to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Moves nothing and returns false.
    function transfer(address, uint256) public pure override returns (bool) {
        return false;
    }

    /// @notice Moves nothing and returns false.
    function transferFrom(address, address, uint256) public pure override returns (bool) {
        return false;
    }
}
