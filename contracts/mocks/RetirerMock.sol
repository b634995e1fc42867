// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {ERC165} from "@openzeppelin/contracts/utils/introspection/ERC165.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";

/**
 * @title RetirerMock
 * @notice Test-only contract wallet that holds CNT credits and retires them: by retire-on-transfer (a single or
 * batch `safeTransferFrom` to the retirement registry with the given data) or by calling `retire` on the registry.
 * It accepts every ERC-1155 receipt by default; armed with a request, its acceptance hook calls `retire` on the
 * registry once, while the credit token is still inside the transfer that delivered the credits.
 */
contract RetirerMock is ERC165, IERC1155Receiver {
    /// @notice The credit token this wallet holds.
    IERC1155 public immutable credit;

    /// @notice The retirement registry this wallet retires through.
    IRetirementRegistry public immutable retirement;

    /// @notice The request `retire`d from the next acceptance hook (ABI-encoded), empty when disarmed.
    bytes public requestOnReceipt;

    /// @notice Emitted when the acceptance hook has retired through the registry.
    event RetiredOnReceipt(uint256 firstRetirementId);

    /// @notice Thrown when the acceptance hook is armed with empty data.
    error RetirerMockEmptyRequest();

    /**
     * @param credit_ The credit token.
     * @param retirement_ The retirement registry.
     */
    constructor(IERC1155 credit_, IRetirementRegistry retirement_) {
        credit = credit_;
        retirement = retirement_;
    }

    /**
     * @notice Arms the acceptance hook: on the next receipt of credits it calls `retire(request)` on the registry.
     * @param request The request, `abi.encode`d.
     */
    function retireOnReceipt(bytes calldata request) external {
        if (request.length == 0) revert RetirerMockEmptyRequest();
        requestOnReceipt = request;
    }

    /// @notice Retire-on-transfer of one batch: `safeTransferFrom` to the registry with `data`.
    function transferToRegistry(uint256 id, uint256 amount, bytes calldata data) external {
        credit.safeTransferFrom(address(this), address(retirement), id, amount, data);
    }

    /// @notice Retire-on-transfer of several batches: `safeBatchTransferFrom` to the registry with `data`.
    function batchTransferToRegistry(uint256[] calldata ids, uint256[] calldata amounts, bytes calldata data) external {
        credit.safeBatchTransferFrom(address(this), address(retirement), ids, amounts, data);
    }

    /// @notice Retires this wallet's credits through the registry's `retire`.
    function retire(IRetirementRegistry.RetirementRequest calldata request) external returns (uint256) {
        return retirement.retire(request);
    }

    /// @notice Approves (or revokes) `operator` on the credit token for this wallet's credits.
    function setApprovalForAll(address operator, bool approved) external {
        credit.setApprovalForAll(operator, approved);
    }

    /// @inheritdoc IERC1155Receiver
    function onERC1155Received(address, address, uint256, uint256, bytes calldata) external returns (bytes4) {
        _retireIfArmed();
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
        _retireIfArmed();
        return this.onERC1155BatchReceived.selector;
    }

    /// @inheritdoc ERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC165, IERC165) returns (bool) {
        return interfaceId == type(IERC1155Receiver).interfaceId || super.supportsInterface(interfaceId);
    }

    /// @dev Runs the armed request once (disarming first, so it never recurses).
    function _retireIfArmed() private {
        if (msg.sender != address(credit) || requestOnReceipt.length == 0) return;
        bytes memory encoded = requestOnReceipt;
        delete requestOnReceipt;
        IRetirementRegistry.RetirementRequest memory request = abi.decode(
            encoded,
            (IRetirementRegistry.RetirementRequest)
        );
        emit RetiredOnReceipt(retirement.retire(request));
    }
}
