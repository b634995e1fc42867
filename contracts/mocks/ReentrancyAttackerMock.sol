// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/**
 * @title ReentrancyAttackerMock
 * @notice Test-only attacker: an account its deployer drives through {execute} (approve, list, bid, buy, claim…) and
 * an ERC-1155 and ERC-721 receiver that, once armed, tries every configured call (target, calldata) from its
 * acceptance hooks the next time it receives tokens, from any operator (an ERC-721 `_safeMint` or `safeTransferFrom`
 * would run it too). Each attempt's outcome is recorded ({AttemptMade} and {results}); failures are swallowed and
 * the tokens are accepted, so the outer call goes on. The hooks run the attempts once per arming, so they never
 * recurse.
 */
contract ReentrancyAttackerMock is ERC165, IERC1155Receiver, IERC721Receiver {
    /// @notice The deployer: the only account that may drive or arm the attacker.
    address public immutable owner;

    /// @notice Whether the next receipt runs the attempts.
    bool public armed;

    /// @notice Number of receipts that ran the attempts.
    uint256 public attacks;

    address[] private _targets;
    bytes[] private _calls;
    bool[] private _reverted;
    bytes[] private _returnData;

    /// @notice Emitted after each attempt.
    event AttemptMade(uint256 indexed index, address indexed target, bool reverted, bytes returnData);

    /**
     * @notice Thrown when anyone but the owner drives or arms the attacker.
     * @param caller The caller.
     */
    error ReentrancyAttackerNotOwner(address caller);

    /**
     * @notice Thrown when the targets and calldata of an arming differ in length.
     * @param targets Number of targets.
     * @param calls Number of calldata.
     */
    error ReentrancyAttackerLengthMismatch(uint256 targets, uint256 calls);

    constructor() {
        owner = msg.sender;
    }

    /**
     * @notice Calls `target` with `data` as this contract, bubbling any revert.
     * @param target The contract to call.
     * @param data The calldata.
     * @return The call's return data.
     */
    function execute(address target, bytes calldata data) external returns (bytes memory) {
        _onlyOwner();
        return Address.functionCall(target, data);
    }

    /**
     * @notice Arms the attempts of the next receipt and forgets the previous results.
     * @param targets The contract of each attempt.
     * @param calls The calldata of each attempt.
     */
    function arm(address[] calldata targets, bytes[] calldata calls) external {
        _onlyOwner();
        if (targets.length != calls.length) revert ReentrancyAttackerLengthMismatch(targets.length, calls.length);
        _targets = targets;
        delete _calls;
        for (uint256 i = 0; i < calls.length; ++i) _calls.push(calls[i]);
        delete _reverted;
        delete _returnData;
        armed = true;
    }

    /// @notice Disarms the attacker: the next receipt is accepted without attempts.
    function disarm() external {
        _onlyOwner();
        armed = false;
    }

    /**
     * @notice The outcome of each attempt of the last attack, in the armed order.
     * @return reverted Whether each attempt reverted.
     * @return returnData Each attempt's return or revert data.
     */
    function results() external view returns (bool[] memory reverted, bytes[] memory returnData) {
        return (_reverted, _returnData);
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        _attack();
        return this.onERC1155Received.selector;
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155BatchReceived(
        address,
        address,
        uint256[] calldata,
        uint256[] calldata,
        bytes calldata
    ) external returns (bytes4) {
        _attack();
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc IERC721Receiver
    function onERC721Received(address, address, uint256, bytes calldata) external returns (bytes4) {
        _attack();
        return this.onERC721Received.selector;
    }

    /// @inheritdoc ERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC165, IERC165) returns (bool) {
        return
            interfaceId == type(IERC1155Receiver).interfaceId ||
            interfaceId == type(IERC721Receiver).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    /// @dev Runs every armed attempt once, recording each outcome and swallowing failures.
    function _attack() private {
        if (!armed) return;
        armed = false;
        ++attacks;
        for (uint256 i = 0; i < _targets.length; ++i) {
            address target = _targets[i];
            // The re-entry under test: a raw call so its failure can be recorded rather than only bubbled.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = target.call(_calls[i]);
            _reverted.push(!success);
            _returnData.push(returnData);
            emit AttemptMade(i, target, !success, returnData);
        }
    }

    function _onlyOwner() private view {
        if (msg.sender != owner) revert ReentrancyAttackerNotOwner(msg.sender);
    }
}
