// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";

import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";

/**
 * @title ReentrantReceiverMock
 * @notice Test-only ERC-1155 receiver that re-enters the credit token (or its registry) from its acceptance hook,
 * once per configuration: it forwards what it just received, tries to retire it (refused: only the retirement registry retires), moves another batch it holds, or tries to
 * reinstate a suspended batch. Any revert of the re-entrant call propagates and undoes the outer transfer.
 */
contract ReentrantReceiverMock is ERC165, IERC1155Receiver {
    /// @notice What the hook does when credits arrive.
    enum Action {
        None,
        ForwardReceived,
        RetireReceived,
        MoveOther,
        ReinstateOther
    }

    /// @notice The credit token this mock re-enters; tokens from any other contract are accepted silently.
    ICarbonCredit public immutable credit;

    /// @notice The configured action.
    Action public action;

    /// @notice Recipient of forwarded or moved units, or beneficiary of retired ones.
    address public recipient;

    /// @notice The batch moved by `MoveOther` or reinstated by `ReinstateOther`.
    uint256 public otherId;

    /// @notice Whether the configured action already ran (it runs once, so re-entry never recurses).
    bool public done;

    /// @notice Emitted when the hook is about to re-enter.
    event Reentering(Action action, uint256 id, uint256 amount);

    /// @param credit_ The credit token to re-enter.
    constructor(ICarbonCredit credit_) {
        credit = credit_;
    }

    /**
     * @notice Arms the hook.
     * @param action_ What to do on the next receipt of credits.
     * @param recipient_ Recipient or beneficiary.
     * @param otherId_ The other batch, for `MoveOther` and `ReinstateOther`.
     */
    function configure(Action action_, address recipient_, uint256 otherId_) external {
        action = action_;
        recipient = recipient_;
        otherId = otherId_;
        done = false;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256 id, uint256 value, bytes calldata) external returns (bytes4) {
        if (msg.sender == address(credit) && _arm()) {
            emit Reentering(action, id, value);
            Action a = action;
            if (a == Action.ForwardReceived) credit.safeTransferFrom(address(this), recipient, id, value, "");
            else if (a == Action.RetireReceived) credit.retire(address(this), recipient, id, value);
            else _reenterOther();
        }
        return this.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata ids,
        uint256[] calldata values,
        bytes calldata
    ) external returns (bytes4) {
        if (msg.sender == address(credit) && _arm()) {
            emit Reentering(action, ids.length == 0 ? 0 : ids[0], values.length == 0 ? 0 : values[0]);
            Action a = action;
            if (a == Action.ForwardReceived) {
                credit.safeBatchTransferFrom(address(this), recipient, ids, values, "");
            } else if (a == Action.RetireReceived) {
                for (uint256 i = 0; i < ids.length; ++i) credit.retire(address(this), recipient, ids[i], values[i]);
            } else {
                _reenterOther();
            }
        }
        return this.onERC1155BatchReceived.selector;
    }

    /// @dev Marks the configured action as done; returns whether it is still to run.
    function _arm() private returns (bool) {
        if (done || action == Action.None) return false;
        done = true;
        return true;
    }

    function _reenterOther() private {
        if (action == Action.MoveOther) {
            credit.safeTransferFrom(address(this), recipient, otherId, credit.balanceOf(address(this), otherId), "");
        } else {
            ICarbonRegistry(credit.registry()).reinstateBatch(otherId, bytes32(0));
        }
    }
}
