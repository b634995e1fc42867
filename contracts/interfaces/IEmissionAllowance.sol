// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

/**
 * @title IEmissionAllowance
 * @notice Emission allowances of the compliance emissions-trading system: ERC-1155, token id = compliance period,
 * 1 unit = a permit to emit 1 kg CO2e. Minted only by the compliance registry (free allocation and auctions),
 * burned only by it on surrender. Freezes and pause stop every movement, as for credits; allowances trade on the
 * marketplace like credits.
 */
interface IEmissionAllowance is IERC1155 {
    /// @notice Emitted when the regulator freezes `account`.
    event AccountFrozen(address indexed account, bytes32 reasonHash);

    /// @notice Emitted when the regulator unfreezes `account`.
    event AccountUnfrozen(address indexed account, bytes32 reasonHash);

    /// @notice Emitted when the token is paused by `account`.
    event Paused(address indexed account);

    /// @notice Emitted when the token is unpaused by `account`.
    event Unpaused(address indexed account);

    /// @notice Thrown when a function reserved to the compliance registry is called by `caller`.
    error AllowanceOnlyCompliance(address caller);

    /// @notice Thrown when the token is paused.
    error AllowancePaused();

    /// @notice Thrown when unpausing a token that is not paused.
    error AllowanceNotPaused();

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
    /// registry; non-zero amount; enough balance; `from` not frozen; not paused. Emits {TransferSingle}.
    function burn(address from, uint256 period, uint256 amount) external;

    /// @notice Freezes `account`: it can neither send nor receive allowances, nor move them as an operator.
    /// Requirements: REGULATOR permission. Emits {AccountFrozen}.
    function freeze(address account, bytes32 reasonHash) external;

    /// @notice Unfreezes `account`. Requirements: REGULATOR permission. Emits {AccountUnfrozen}.
    function unfreeze(address account, bytes32 reasonHash) external;

    /// @notice Stops every movement. Requirements: PAUSER permission; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Resumes movements. Requirements: PAUSER permission; paused. Emits {Unpaused}.
    function unpause() external;

    /// @notice The compliance registry: the only minter and burner.
    function compliance() external view returns (address);

    /// @notice Allowances of `period` in circulation (minted minus burned).
    function totalSupply(uint256 period) external view returns (uint256);

    /// @notice Whether `account` is frozen.
    function isFrozen(address account) external view returns (bool);

    /// @notice Whether the token is paused.
    function paused() external view returns (bool);
}
