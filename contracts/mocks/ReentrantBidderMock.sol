// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {BatchCriteria} from "../interfaces/ICarbonTypes.sol";
import {ICarbonMarketplace} from "../interfaces/ICarbonMarketplace.sol";

/**
 * @title ReentrantBidderMock
 * @notice Test-only contract bidder: places and cancels criteria bids on the marketplace from its own address and,
 * once armed, re-enters the marketplace from its ERC-1155 acceptance hook when a fill delivers credits to it (for
 * instance `cancelBid` of the bid being filled, or `fillBid` again) and records the outcome. The re-entry's failure
 * is swallowed (the receipt is accepted) or bubbled (the receipt, and the fill with it, reverts). It runs once per
 * arming, so it never recurses.
 */
contract ReentrantBidderMock is ERC165, IERC1155Receiver {
    using SafeERC20 for IERC20;

    /// @notice The marketplace bid on and re-entered; receipts from other operators are accepted silently.
    ICarbonMarketplace public immutable marketplace;

    /// @notice The calldata of the re-entry.
    bytes public reentryData;

    /// @notice Whether a failed re-entry reverts the receipt with the same data.
    bool public bubble;

    /// @notice Whether the next receipt re-enters.
    bool public armed;

    /// @notice Number of re-entries attempted.
    uint256 public reentries;

    /// @notice Whether the last re-entry reverted.
    bool public lastReentryReverted;

    /// @notice The last re-entry's return or revert data.
    bytes public lastReentryData;

    /// @notice Emitted after each re-entry attempt.
    event Reentered(bool reverted, bytes returnData);

    /// @param marketplace_ The marketplace to bid on and re-enter.
    constructor(ICarbonMarketplace marketplace_) {
        marketplace = marketplace_;
    }

    /**
     * @notice Approves exactly the escrow `quantity × unitPrice` of `paymentToken` and places a bid as this contract.
     * @return bidId The new bid id.
     */
    function placeBid(
        BatchCriteria calldata criteria,
        uint256 quantity,
        uint256 unitPrice,
        address paymentToken,
        uint64 expiry
    ) external returns (uint256 bidId) {
        IERC20(paymentToken).forceApprove(address(marketplace), quantity * unitPrice);
        bidId = marketplace.placeBid(criteria, quantity, unitPrice, paymentToken, expiry);
    }

    /// @notice Cancels a bid as this contract.
    function cancelBid(uint256 bidId) external {
        marketplace.cancelBid(bidId);
    }

    /**
     * @notice Arms the re-entry of the next receipt from the marketplace.
     * @param data_ The calldata sent to the marketplace.
     * @param bubble_ True to revert the receipt when the re-entry reverts.
     */
    function arm(bytes calldata data_, bool bubble_) external {
        reentryData = data_;
        bubble = bubble_;
        armed = true;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address operator, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        _reenter(operator);
        return this.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address operator,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external returns (bytes4) {
        _reenter(operator);
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc ERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC165, IERC165) returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Re-enters the marketplace once if armed and the units come through it.
    function _reenter(address operator) private {
        if (!armed || operator != address(marketplace)) return;
        armed = false;
        ++reentries;
        // The re-entry under test: a raw call so its failure can be recorded rather than only bubbled.
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returnData) = address(marketplace).call(reentryData);
        lastReentryReverted = !success;
        lastReentryData = returnData;
        emit Reentered(!success, returnData);
        if (!success && bubble) Address.verifyCallResult(success, returnData);
    }
}
