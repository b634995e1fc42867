// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/**
 * @title ReentrantBuyerMock
 * @notice Test-only ERC-1155 receiver that, once armed, re-enters the marketplace from its acceptance hook when it
 * receives units from it (for instance `buy` again or `cancelListing`) and records the outcome. The re-entry's
 * failure is swallowed (the receipt is accepted) or bubbled (the receipt, and the purchase with it, reverts). It runs
 * once per arming, so it never recurses.
 */
contract ReentrantBuyerMock is ERC165, IERC1155Receiver {
    /// @notice The marketplace re-entered; receipts from other operators are accepted silently.
    address public immutable marketplace;

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

    /// @param marketplace_ The marketplace to re-enter.
    constructor(address marketplace_) {
        marketplace = marketplace_;
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

    /// @dev Re-enters the marketplace once if armed and the units come from it.
    function _reenter(address operator) private {
        if (!armed || operator != marketplace) return;
        armed = false;
        ++reentries;
        // The re-entry under test: a raw call so its failure can be recorded rather than only bubbled.
        // solhint-disable-next-line avoid-low-level-calls
        (bool success, bytes memory returnData) = marketplace.call(reentryData);
        lastReentryReverted = !success;
        lastReentryData = returnData;
        emit Reentered(!success, returnData);
        if (!success && bubble) Address.verifyCallResult(success, returnData);
    }
}
