// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";

/**
 * @title ERC1155ReceiverMock
 * @notice Test-only ERC-1155 receiver, after OpenZeppelin's mock: returns configurable magic values, or reverts in
 * one of several ways (no message, a reason string, a custom error, a panic) to emulate third-party receivers.
 */
contract ERC1155ReceiverMock is ERC165, IERC1155Receiver {
    /// @notice How the receiver hooks fail.
    enum RevertType {
        None,
        RevertWithoutMessage,
        RevertWithMessage,
        RevertWithCustomError,
        Panic
    }

    bytes4 private immutable _recRetval;
    bytes4 private immutable _batRetval;
    RevertType private immutable _error;

    /// @notice Emitted by {onERC1155Received} when it accepts.
    event Received(address operator, address from, uint256 id, uint256 value, bytes data);

    /// @notice Emitted by {onERC1155BatchReceived} when it accepts.
    event BatchReceived(address operator, address from, uint256[] ids, uint256[] values, bytes data);

    /// @notice The custom error thrown in the `RevertWithCustomError` mode, carrying the configured return value.
    error CustomError(bytes4);

    /**
     * @param recRetval Value returned by {onERC1155Received}.
     * @param batRetval Value returned by {onERC1155BatchReceived}.
     * @param error How both hooks fail (`None`: they do not).
     */
    constructor(bytes4 recRetval, bytes4 batRetval, RevertType error) {
        _recRetval = recRetval;
        _batRetval = batRetval;
        _error = error;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(
        address operator,
        address from,
        uint256 id,
        uint256 value,
        bytes calldata data
    ) external returns (bytes4) {
        _fail(_recRetval, "ERC1155ReceiverMock: reverting on receive");
        emit Received(operator, from, id, value, data);
        return _recRetval;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address operator,
        address from,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata data
    ) external returns (bytes4) {
        _fail(_batRetval, "ERC1155ReceiverMock: reverting on batch receive");
        emit BatchReceived(operator, from, ids, values, data);
        return _batRetval;
    }

    /// @dev Reverts according to the configured mode; returns when the mode is `None`.
    function _fail(bytes4 retval, string memory message) private view {
        if (_error == RevertType.RevertWithoutMessage) {
            // A third party's empty revert, emulated on purpose.
            // solhint-disable-next-line gas-custom-errors
            revert();
        } else if (_error == RevertType.RevertWithMessage) {
            // A third party's reason string, emulated on purpose.
            revert(message);
        } else if (_error == RevertType.RevertWithCustomError) {
            revert CustomError(retval);
        } else if (_error == RevertType.Panic) {
            uint256 zero = 0;
            // Division by zero: panic 0x12.
            zero = zero / zero;
        }
    }
}
