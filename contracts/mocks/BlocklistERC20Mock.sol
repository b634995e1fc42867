// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @title BlocklistERC20Mock
 * @notice Test-only USDC-style token with a blocklist: no tokens leave or reach a blocked account (transfers, mints
 * and burns alike revert with {BlocklistAccountBlocked}), so a contract that owes a blocked account cannot pay it
 * until it is unblocked. 6 decimals. Open mint; anyone may block or unblock.
 */
contract BlocklistERC20Mock is ERC20 {
    /// @notice Whether each account is blocked.
    mapping(address account => bool) public blocked;

    /// @notice Emitted when an account is blocked or unblocked.
    event BlockedSet(address indexed account, bool blocked);

    /**
     * @notice Thrown when tokens would leave or reach a blocked account.
     * @param account The blocked account.
     */
    error BlocklistAccountBlocked(address account);

    constructor() ERC20("Blocklist USD Mock", "BUSDm") {}

    /// @notice Mints `amount` base units to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @notice Blocks or unblocks `account`; anyone may call.
     * @param account The account.
     * @param blocked_ True to block it, false to unblock it.
     */
    function setBlocked(address account, bool blocked_) external {
        blocked[account] = blocked_;
        emit BlockedSet(account, blocked_);
    }

    /// @notice 6 decimals, as USDC.
    function decimals() public pure override returns (uint8) {
        return 6;
    }

    /// @dev Refuses any movement from or to a blocked account, then moves the funds as any ERC-20.
    function _update(address from, address to, uint256 value) internal override {
        if (blocked[from]) revert BlocklistAccountBlocked(from);
        if (blocked[to]) revert BlocklistAccountBlocked(to);
        super._update(from, to, value);
    }
}
