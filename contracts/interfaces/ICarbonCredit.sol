// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC1155} from "@openzeppelin/contracts/token/ERC1155/IERC1155.sol";

import {TransferStatus} from "./ICarbonTypes.sol";

/**
 * @title ICarbonCredit
 * @notice ERC-1155 carbon credits: token id = batch id, 1 unit = 1 kg CO2e (`decimals` 3 in metadata).
 * Each holder has a tradable balance (the ERC-1155 balance) and a retired balance that never decreases and never
 * moves. Per batch, `issued == Σ tradable + retired + cancelled` at all times.
 */
interface ICarbonCredit is IERC1155 {
    /// @notice Supply accounting of one batch, in units (kg CO2e).
    struct Supply {
        uint128 issued;
        uint128 retired;
        uint128 cancelled;
    }

    /// @notice Emitted when `amount` units of batch `id` held by `holder` are retired for `beneficiary`.
    /// The retired units are the unit indexes `[firstUnit, firstUnit + amount - 1]` of the batch, counted from 0.
    /// The retirement registry's {IRetirementRegistry-Retired} carries the claim; this is the token's supply record.
    event UnitsRetired(
        uint256 indexed id,
        address indexed holder,
        address indexed beneficiary,
        uint256 amount,
        uint256 firstUnit,
        address operator
    );

    /// @notice Emitted when the registry cancels `amount` units of batch `id` held by `holder`.
    /// Cancelled units are taken from the top of the batch: unit indexes `[firstUnit, firstUnit + amount - 1]`.
    event Cancelled(uint256 indexed id, address indexed holder, uint256 amount, uint256 firstUnit);

    /// @notice Emitted when a batch is issued: `issued` units in all, of which `buffer` went to the buffer pool.
    event BatchMinted(
        uint256 indexed id,
        address indexed proponent,
        uint256 issued,
        address bufferPool,
        uint256 buffer
    );

    /// @notice Emitted when an account is frozen by the regulator.
    event AccountFrozen(address indexed account, bytes32 reasonHash);

    /// @notice Emitted when an account is unfrozen by the regulator.
    event AccountUnfrozen(address indexed account, bytes32 reasonHash);

    /// @notice Emitted when the registry suspends (`suspended` true) or reinstates a batch.
    event SuspensionChanged(uint256 indexed id, bool suspended);

    /// @notice Emitted once, when the retirement registry (the only caller of {retire}) is bound to the token.
    event RetirementRegistryBound(address indexed retirementRegistry);

    /// @notice Emitted when the guardian pauses the token (OpenZeppelin `Pausable`'s event; the token packs its pause
    /// flag with the counters every transfer reads, so it declares the event rather than inherit `Pausable`).
    event Paused(address account);

    /// @notice Emitted when the guardian unpauses the token (OpenZeppelin `Pausable`'s event).
    event Unpaused(address account);

    /// @notice Thrown when a function reserved to the registry is called by `caller`.
    error CarbonCreditOnlyRegistry(address caller);

    /// @notice Thrown when {retire} is called by `caller`, which is not the bound retirement registry.
    error CarbonCreditOnlyRetirementRegistry(address caller);

    /// @notice Thrown when binding a retirement registry a second time (`bound` is the one already bound).
    error CarbonCreditRetirementRegistryAlreadyBound(address bound);

    /// @notice Thrown when binding `retirementRegistry`, which is not a contract that declares IRetirementRegistry
    /// (ERC-165) and whose `credit()` is this token.
    error CarbonCreditInvalidRetirementRegistry(address retirementRegistry);

    /// @notice Thrown when the token is paused (OpenZeppelin `Pausable`'s error).
    error EnforcedPause();

    /// @notice Thrown when unpausing a token that is not paused (OpenZeppelin `Pausable`'s error).
    error ExpectedPause();

    /// @notice Thrown when `account` is frozen and tries to send or receive.
    error CarbonCreditAccountFrozen(address account);

    /// @notice Thrown when freezing an account that is already frozen, or unfreezing one that is not.
    error CarbonCreditFreezeUnchanged(address account, bool frozen);

    /// @notice Thrown when batch `id` is suspended and its units are asked to move.
    error CarbonCreditBatchSuspended(uint256 id);

    /// @notice Thrown when the suspension of batch `id` is already `suspended`.
    error CarbonCreditSuspensionUnchanged(uint256 id, bool suspended);

    /// @notice Thrown when issuing batch `id` a second time.
    error CarbonCreditBatchExists(uint256 id);

    /// @notice Thrown when batch `id` was never issued.
    error CarbonCreditUnknownBatch(uint256 id);

    /// @notice Thrown when an amount is zero.
    error CarbonCreditZeroAmount();

    /// @notice Thrown when an amount does not fit the 128-bit supply counters.
    error CarbonCreditAmountTooLarge(uint256 amount);

    /// @notice Thrown when freezing the zero address or the registry.
    error CarbonCreditInvalidAccount(address account);

    /// @notice Thrown when a retirement would draw on the registry's buffer pool (`holder`), whose units only cancel.
    error CarbonCreditBufferPoolLocked(address holder);

    /// @notice Thrown when a retirement names the zero address as beneficiary.
    error CarbonCreditInvalidBeneficiary(address beneficiary);

    /// @notice The registry: the only account that issues, cancels and suspends.
    function registry() external view returns (address);

    /// @notice The retirement registry: the only account that retires (zero until {bindRetirementRegistry}).
    function retirementRegistry() external view returns (address);

    /**
     * @notice Binds the retirement registry, the only contract that may call {retire}, once and for good (as the
     * registry is bound for issuance and cancellation): no role, ADMIN included, can retire a holder's units itself.
     * @dev One-time wiring, open while paused. Requirements: ADMIN permission; nothing bound yet; `retirementRegistry_`
     * declares IRetirementRegistry (ERC-165) and its `credit()` returns this token. Emits {RetirementRegistryBound}.
     */
    function bindRetirementRegistry(address retirementRegistry_) external;

    /**
     * @notice Mints a new batch: `amount` units to `proponent` and `buffer` units to `bufferPool`.
     * @dev Requirements: caller is the registry; `id` not issued before; `amount + buffer > 0`.
     * Emits {TransferSingle} for each recipient and a {BatchMinted} event.
     * @param id The new batch id.
     * @param proponent Receives the tradable share.
     * @param amount Units for the proponent.
     * @param bufferPool Receives the buffer share.
     * @param buffer Units for the buffer pool.
     */
    function mintBatch(uint256 id, address proponent, uint256 amount, address bufferPool, uint256 buffer) external;

    /**
     * @notice Cancels `amount` units of batch `id` held by `holder` (a reversal drawn from the buffer pool).
     * @dev Requirements: caller is the registry; not paused. Suspension does not block cancellation.
     * Emits {TransferSingle} to `address(0)` and {Cancelled}.
     * @return firstUnit The first cancelled unit index; cancelled units are counted down from the top of the batch.
     */
    function cancel(address holder, uint256 id, uint256 amount) external returns (uint256 firstUnit);

    /**
     * @notice Suspends or reinstates batch `id`. A suspended batch cannot move or be retired.
     * @dev Requirements: caller is the registry; the batch exists; the state changes; reinstating (not suspending)
     * only while not paused. Emits {SuspensionChanged}.
     */
    function setSuspended(uint256 id, bool suspended) external;

    /**
     * @notice Retires `amount` units of batch `id` from `holder`'s tradable balance into `beneficiary`'s retired
     * balance. Units are retired in order, so every retirement owns a contiguous range of unit indexes.
     * @dev Requirements: caller is the bound retirement registry (which checks the holder's consent), else
     * {CarbonCreditOnlyRetirementRegistry};
     * `holder` is not the registry's buffer pool; not paused; batch not suspended; neither `holder`, `beneficiary`
     * nor the caller frozen; balance sufficient. Emits {TransferSingle} to `address(0)` and {UnitsRetired}.
     * @return firstUnit The index of the first retired unit within the batch (counted from 0).
     */
    function retire(
        address holder,
        address beneficiary,
        uint256 id,
        uint256 amount
    ) external returns (uint256 firstUnit);

    /**
     * @notice Freezes `account`: it can neither send nor receive credits, nor move them as an operator.
     * @dev Requirements: caller holds the REGULATOR permission; the account is not frozen, not the zero address and
     * not the registry. Emits {AccountFrozen}.
     */
    function freeze(address account, bytes32 reasonHash) external;

    /**
     * @notice Unfreezes `account`.
     * @dev Requirements: caller holds the REGULATOR permission; not paused (freezing stays open while paused, so an
     * incident can be contained; unfreezing waits); the account is frozen. Emits {AccountUnfrozen}.
     */
    function unfreeze(address account, bytes32 reasonHash) external;

    /// @notice Stops every movement of credits. Requirements: PAUSER permission; not paused. Emits {Paused}.
    function pause() external;

    /// @notice Resumes movements. Requirements: PAUSER permission; paused. Emits {Unpaused}.
    function unpause() external;

    /// @notice Units of batch `id` retired for `account` (never decreases).
    function retiredBalanceOf(address account, uint256 id) external view returns (uint256);

    /// @notice Issued, retired and cancelled units of batch `id`.
    function supplyOf(uint256 id) external view returns (Supply memory);

    /// @notice Tradable units of batch `id` in existence: `issued - retired - cancelled`.
    function totalSupply(uint256 id) external view returns (uint256);

    /// @notice Whether batch `id` has been issued.
    function exists(uint256 id) external view returns (bool);

    /// @notice Whether `account` is frozen.
    function isFrozen(address account) external view returns (bool);

    /// @notice Whether batch `id` is suspended.
    function isSuspended(uint256 id) external view returns (bool);

    /// @notice Whether the token is paused.
    function paused() external view returns (bool);

    /**
     * @notice Why a transfer of `amount` units of batch `id` from `from` to `to` would fail, or `Ok`.
     * @dev Does not check operator approval or the receiver's ERC-1155 acceptance hook.
     */
    function canTransfer(address from, address to, uint256 id, uint256 amount) external view returns (TransferStatus);
}
