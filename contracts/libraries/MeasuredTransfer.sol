// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @title MeasuredTransfer
 * @notice Pulls an ERC-20 payment and measures what arrived, for the contracts that refuse tokens delivering less than
 * asked on transfer (fee-on-transfer, a balance that falls on receipt): each compares the result with the amount and
 * reverts with its own short-payment error. Measuring a transfer does not detect a token whose balances change later
 * on their own (rebasing, elastic supply): the contracts that hold such a token in escrow keep that escrow as shares
 * of their balance ({EscrowShares}), so its later changes fall on every escrow pro rata.
 * @custom:security-contact security@cnt.example
 */
library MeasuredTransfer {
    using SafeERC20 for IERC20;

    /**
     * @notice Moves `amount` of `token` from `from` to `to` with `safeTransferFrom` and returns how much `to`'s balance
     * grew: 0 when it did not grow or fell (a token whose balance falls on receipt), never an underflow.
     */
    function transferFromMeasured(
        IERC20 token,
        address from,
        address to,
        uint256 amount
    ) internal returns (uint256 received) {
        uint256 before = token.balanceOf(to);
        token.safeTransferFrom(from, to, amount);
        uint256 afterwards = token.balanceOf(to);
        // SMT: in the branch `afterwards > before`.
        received = afterwards > before ? afterwards - before : 0;
    }
}
