// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

/**
 * @title IEmissionAllowance
 * @notice Emission allowances of the compliance emissions-trading system: ERC-1155, token id = compliance period,
 * 1 unit = a permit to emit 1 kg CO2e. Minted only by the compliance registry (free allocation and auctions),
 * burned only by it on surrender. Pause stops every movement; a freeze stops every movement of the account except the
 * surrender of its allowances (a burn by the compliance registry, which only reduces its holdings); allowances trade
 * on the marketplace like credits. Pause follows OpenZeppelin `Pausable` (`Paused`/`Unpaused` events,
 * `EnforcedPause`/`ExpectedPause` errors, `paused()`); while paused, freezing stays possible, unfreezing does not.
 */
interface IEmissionAllowance is IERC1155 {
    /// @notice Emitted when the regulator freezes `account`.
    event AccountFrozen(address indexed account, bytes32 reasonHash);

    /// @notice Emitted when the regulator unfreezes `account`.
    event AccountUnfrozen(address indexed account, bytes32 reasonHash);

    /// @notice Emitted when the token is paused by `account` (as OpenZeppelin `Pausable`).
    event Paused(address account);

    /// @notice Emitted when the token is unpaused by `account` (as OpenZeppelin `Pausable`).
    event Unpaused(address account);

    /// @notice Emitted when the compliance registry reports it was paused (`paused`) or unpaused.
    event CompliancePauseRecorded(bool paused);

    /// @notice Thrown when the token is paused (as OpenZeppelin `Pausable`).
    error EnforcedPause();

    /// @notice Thrown when unpausing a token that is not paused (as OpenZeppelin `Pausable`).
    error ExpectedPause();

    /// @notice Thrown when a function reserved to the compliance registry is called by `caller`.
    error AllowanceOnlyCompliance(address caller);

    /// @notice Thrown when `account` (sender, recipient or operator) is frozen.
    error AllowanceAccountFrozen(address account);

    /// @notice Thrown when freezing a frozen account or unfreezing one that is not.
    error AllowanceFreezeUnchanged(address account, bool frozen);

    /// @notice Thrown when freezing the zero address or the compliance registry.
    error AllowanceInvalidAccount(address account);

    /// @notice Thrown when an amount is zero.
    error AllowanceZeroAmount();

    /// @notice Mints `amount` allowances of `period` to `to`. Requirements: the compliance registry; non-zero amount;
    /// `to` not frozen; not paused. Emits {TransferSingle}.
    function mint(address to, uint256 period, uint256 amount) external;

    /// @notice Burns `amount` allowances of `period` from `from` (a surrender). Requirements: the compliance
    /// registry; non-zero amount; enough balance; not paused (a frozen `from` may surrender). Emits {TransferSingle}.
    function burn(address from, uint256 period, uint256 amount) external;

    /// @notice Freezes `account`: it can neither send nor receive allowances, nor move them as an operator; it can
    /// still surrender them. Requirements: REGULATOR permission (also while paused: it only tightens).
    /// Emits {AccountFrozen}.
    function freeze(address account, bytes32 reasonHash) external;

    /// @notice Unfreezes `account`. Requirements: REGULATOR permission; not paused. Emits {AccountUnfrozen}.
    function unfreeze(address account, bytes32 reasonHash) external;

    /// @notice Stops every movement. Requirements: PAUSER permission; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Resumes movements. Requirements: PAUSER permission; paused. Emits {Unpaused}.
    function unpause() external;

    /**
     * @notice Records that the compliance registry was paused or unpaused, so the compliance system's pause log (the
     * times this token or the registry was paused) is complete. Requirements: the compliance registry. Emits
     * {CompliancePauseRecorded} when the state changes.
     */
    function setCompliancePaused(bool paused) external;

    /// @notice The compliance system's pauses (this token or the compliance registry paused) that ended after `from`,
    /// or are running (ending now), oldest first, as `[pausedAt, unpausedAt, ...]`.
    function pausesSince(uint64 from) external view returns (uint64[] memory);

    /// @notice The end of the window `[opensAt, closesAt)` pushed back by every second the compliance system was
    /// paused within it (a running pause counts until now): the end of a surrender window.
    function extendedEnd(uint64 opensAt, uint64 closesAt) external view returns (uint64);

    /// @notice The compliance registry: the only minter and burner.
    function compliance() external view returns (address);

    /// @notice Allowances of `period` in circulation (minted minus burned).
    function totalSupply(uint256 period) external view returns (uint256);

    /// @notice Whether `account` is frozen.
    function isFrozen(address account) external view returns (bool);

    /// @notice Whether the token is paused.
    function paused() external view returns (bool);
}
