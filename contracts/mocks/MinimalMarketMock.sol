// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {ERC1155Holder} from "@openzeppelin/contracts/token/ERC1155/utils/ERC1155Holder.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @title MinimalMarketMock
 * @notice The gas benchmark's reference market: escrowed ERC-1155 listings bought with an ERC-20, and nothing else
 * (no fee, no price bound, no expiry, no restrictions, no reentrancy guard, no payment measurement). Test-only.
 */
contract MinimalMarketMock is ERC1155Holder {
    using SafeERC20 for IERC20;

    struct Listing {
        address seller;
        uint96 remaining;
        address token;
        uint96 id;
        address paymentToken;
        uint96 unitPrice;
    }

    uint256 public listingCount;
    mapping(uint256 listingId => Listing) public listings;

    /// @notice Escrows `amount` units of `(token, id)` for sale at `unitPrice`.
    function list(
        address token,
        uint96 id,
        uint96 amount,
        uint96 unitPrice,
        address paymentToken
    ) external returns (uint256 listingId) {
        listingId = ++listingCount;
        listings[listingId] = Listing(msg.sender, amount, token, id, paymentToken, unitPrice);
        IERC1155(token).safeTransferFrom(msg.sender, address(this), id, amount, "");
    }

    /// @notice Buys `amount` units of a listing; reverts on underflow when more than remains.
    function buy(uint256 listingId, uint96 amount) external {
        Listing storage listing = listings[listingId];
        listing.remaining -= amount;
        IERC20(listing.paymentToken).safeTransferFrom(msg.sender, listing.seller, uint256(amount) * listing.unitPrice);
        IERC1155(listing.token).safeTransferFrom(address(this), msg.sender, listing.id, amount, "");
    }
}
