// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";

/// @notice Plain OpenZeppelin ERC-1155 with an open mint: the gas benchmark's reference. Test-only.
contract PlainERC1155 is ERC1155("") {
    /// @notice Mints `amount` of `id` to `to`; anyone may call.
    function mint(address to, uint256 id, uint256 amount) external {
        _mint(to, id, amount, "");
    }

    /// @notice Burns `amount` of the caller's `id`: the reference a retirement (a burn with a record) is measured
    /// against.
    function burn(uint256 id, uint256 amount) external {
        _burn(msg.sender, id, amount);
    }
}
