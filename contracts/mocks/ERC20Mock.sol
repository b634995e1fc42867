// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title ERC20Mock
 * @notice Test-only stablecoin stand-in: OpenZeppelin ERC-20 with EIP-2612 permit, 6 decimals like USDC, and an open
 * mint.
 */
contract ERC20Mock is ERC20, ERC20Permit {
    constructor() ERC20("USD Coin Mock", "USDCm") ERC20Permit("USD Coin Mock") {}

    /// @notice Mints `amount` base units to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice 6 decimals, as USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }
}
