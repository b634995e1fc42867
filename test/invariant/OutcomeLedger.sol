// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

/**
 * @title OutcomeLedger
 * @notice What every invariant handler records about its calls: each action's predicted outcome (success, or the
 * exact revert data) against what the chain did, with counts of successes and rejections per action and a
 * violation whenever the two disagree. Handlers key actions by their own enum, cast to `uint256`.
 */
abstract contract OutcomeLedger {
    /// @notice Calls whose outcome differed from the model's prediction.
    uint256 public violations;
    /// @notice A description of the latest violation.
    string public lastViolation;
    /// @notice The revert or expected data of the latest violation.
    bytes public lastViolationData;
    /// @notice The revert data of the latest call refused as the model predicted.
    bytes public lastRejection;

    mapping(uint256 action => uint256) internal _succeeded;
    mapping(uint256 action => uint256) internal _rejected;

    /// @dev Compares a call's outcome (`ok`, `ret`) with the prediction (`expected` empty = success) and records it.
    /// @return True when the call succeeded as predicted, so the caller applies it to its model.
    function _recordOutcome(uint256 action, bool ok, bytes memory ret, bytes memory expected) internal returns (bool) {
        if (ok) {
            if (expected.length != 0) {
                _recordViolation(action, "forbidden call succeeded", expected);
                return false;
            }
            ++_succeeded[action];
            return true;
        }
        if (expected.length == 0) _recordViolation(action, "allowed call reverted", ret);
        else if (keccak256(ret) != keccak256(expected)) _recordViolation(action, "wrong revert reason", ret);
        else {
            ++_rejected[action];
            lastRejection = ret;
        }
        return false;
    }

    function _recordViolation(uint256 action, string memory what, bytes memory data) internal {
        ++violations;
        lastViolation = string.concat("action ", Strings.toString(action), ": ", what, " ", Strings.toHexString(data));
        lastViolationData = data;
    }
}
