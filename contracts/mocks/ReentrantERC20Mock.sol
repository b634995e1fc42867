// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

/**
 * @title ReentrantERC20Mock
 * @notice Test-only ERC-20 whose `transferFrom` or `transfer`, once armed, first calls `reentryTarget` with `reentryData` (for instance the
 * marketplace's `buy` or `cancelListing`) and records the outcome, then moves the funds as usual. The re-entry's
 * failure is swallowed (recorded only) or bubbled, as configured. It runs once per arming, so it never recurses.
 */
contract ReentrantERC20Mock is ERC20 {
    /// @notice The contract re-entered (not `target`, which ethers' contract objects reserve).
    address public reentryTarget;

    /// @notice The calldata of the re-entry.
    bytes public reentryData;

    /// @notice Whether a failed re-entry reverts the `transferFrom` with the same data.
    bool public bubble;

    /// @notice Whether the next `transferFrom` re-enters.
    bool public armed;

    /// @notice Number of re-entries attempted.
    uint256 public reentries;

    /// @notice Whether the last re-entry reverted.
    bool public lastReentryReverted;

    /// @notice The last re-entry's return or revert data.
    bytes public lastReentryData;

    /// @notice Emitted after each re-entry attempt.
    event Reentered(address target, bool reverted, bytes returnData);

    constructor() ERC20("Reentrant Token Mock", "RTM") {}

    /// @notice Mints `amount` base units to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @notice Arms the re-entry of the next `transferFrom`.
     * @param target_ The contract to call.
     * @param data_ The calldata.
     * @param bubble_ True to revert the `transferFrom` when the re-entry reverts.
     */
    function arm(address target_, bytes calldata data_, bool bubble_) external {
        reentryTarget = target_;
        reentryData = data_;
        bubble = bubble_;
        armed = true;
    }

    /// @notice Re-enters `target` once if armed, then moves the funds as any ERC-20.
    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        _reenter();
        return super.transferFrom(from, to, value);
    }

    /// @notice Re-enters `target` once if armed (a payout by the contract under test), then moves the funds.
    function transfer(address to, uint256 value) public override returns (bool) {
        _reenter();
        return super.transfer(to, value);
    }

    function _reenter() private {
        if (armed) {
            armed = false;
            ++reentries;
            // The re-entry under test: a raw call so its failure can be recorded rather than only bubbled.
            // solhint-disable-next-line avoid-low-level-calls
            (bool success, bytes memory returnData) = reentryTarget.call(reentryData);
            lastReentryReverted = !success;
            lastReentryData = returnData;
            emit Reentered(reentryTarget, !success, returnData);
            if (!success && bubble) Address.verifyCallResult(success, returnData);
        }
    }
}
