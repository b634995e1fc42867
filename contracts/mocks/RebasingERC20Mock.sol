// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/**
 * @title RebasingERC20Mock
 * @notice Test-only elastic ERC-20: each account holds shares, and its balance is `shares × multiplier / 1e36`, so a
 * {rebase} changes every holder's balance at once without any transfer (as stETH-like or elastic-supply tokens do).
 * A transfer of `amount` moves `amount × 1e36 / multiplier` shares, rounded up, so the recipient's balance grows by
 * exactly `amount`. Open mint and rebase.
 */
contract RebasingERC20Mock is IERC20 {
    uint256 private constant _ONE = 1e36;

    /// @notice The current balance per share, scaled by 1e36 (1e18 at deployment: 10^18 shares per base unit).
    uint256 public multiplier = 1e18;

    uint256 private _totalShares;
    mapping(address account => uint256) private _shares;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;

    /// @notice The token's name.
    function name() external pure returns (string memory) {
        return "Rebasing Token Mock";
    }

    /// @notice The token's symbol.
    function symbol() external pure returns (string memory) {
        return "REB";
    }

    /// @notice The token's decimals.
    function decimals() external pure returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` base units (at the current multiplier) to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        uint256 shares = (amount * _ONE + multiplier - 1) / multiplier;
        _totalShares += shares;
        _shares[to] += shares;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Sets every balance to `percent`% of what it is now (e.g. 50 halves, 150 adds half); anyone may call.
    function rebase(uint256 percent) external {
        multiplier = (multiplier * percent) / 100;
    }

    /// @inheritdoc IERC20
    function totalSupply() external view returns (uint256) {
        return (_totalShares * multiplier) / _ONE;
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) public view returns (uint256) {
        return (_shares[account] * multiplier) / _ONE;
    }

    /// @inheritdoc IERC20
    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    /// @inheritdoc IERC20
    function approve(address spender, uint256 value) external returns (bool) {
        _allowances[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    /// @inheritdoc IERC20
    function transfer(address to, uint256 value) external returns (bool) {
        _move(msg.sender, to, value);
        return true;
    }

    /// @inheritdoc IERC20
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 allowed = _allowances[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < value) revert RebasingInsufficientAllowance(allowed, value);
            _allowances[from][msg.sender] = allowed - value;
        }
        _move(from, to, value);
        return true;
    }

    /// @notice Thrown when a transfer exceeds the sender's balance.
    error RebasingInsufficientBalance(uint256 balance, uint256 needed);

    /// @notice Thrown when a transferFrom exceeds the allowance.
    error RebasingInsufficientAllowance(uint256 allowance, uint256 needed);

    function _move(address from, address to, uint256 value) private {
        uint256 balance = balanceOf(from);
        if (balance < value) revert RebasingInsufficientBalance(balance, value);
        uint256 shares = (value * _ONE + multiplier - 1) / multiplier;
        // A transfer of the whole balance moves every share.
        if (value == balance || shares > _shares[from]) shares = _shares[from];
        _shares[from] -= shares;
        _shares[to] += shares;
        emit Transfer(from, to, value);
    }
}
