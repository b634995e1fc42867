// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title NoReturnERC20Mock
 * @notice Test-only USDT-style token, written by hand: `transfer`, `transferFrom` and `approve` return nothing (not
 * even `false`), so a caller that decodes a `bool` reverts while SafeERC20 accepts it. Failures revert. Open mint.
 */
contract NoReturnERC20Mock {
    /// @notice Tokens in existence.
    uint256 public totalSupply;

    /// @notice Balance of each account.
    mapping(address account => uint256) public balanceOf;

    /// @notice Allowance of each spender over each owner's tokens.
    mapping(address owner => mapping(address spender => uint256)) public allowance;

    /// @notice ERC-20 transfer event.
    event Transfer(address indexed from, address indexed to, uint256 value);

    /// @notice ERC-20 approval event.
    event Approval(address indexed owner, address indexed spender, uint256 value);

    /// @notice Thrown when a balance is too small.
    error NoReturnInsufficientBalance(address account, uint256 balance, uint256 needed);

    /// @notice Thrown when an allowance is too small.
    error NoReturnInsufficientAllowance(address spender, uint256 allowance, uint256 needed);

    /// @notice The token name.
    function name() external pure returns (string memory) {
        return "No Return Mock";
    }

    /// @notice The token symbol.
    function symbol() external pure returns (string memory) {
        return "NRT";
    }

    /// @notice 6 decimals, as USDT.
    function decimals() external pure returns (uint8) {
        return 6;
    }

    /// @notice Mints `amount` to `to`; anyone may call.
    function mint(address to, uint256 amount) external {
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    /// @notice Sets `spender`'s allowance; returns nothing.
    function approve(address spender, uint256 amount) external {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
    }

    /// @notice Moves `amount` to `to`; returns nothing.
    function transfer(address to, uint256 amount) external {
        _move(msg.sender, to, amount);
    }

    /// @notice Moves `amount` from `from` to `to` against the caller's allowance; returns nothing.
    function transferFrom(address from, address to, uint256 amount) external {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed < amount) revert NoReturnInsufficientAllowance(msg.sender, allowed, amount);
        if (allowed != type(uint256).max) allowance[from][msg.sender] = allowed - amount;
        _move(from, to, amount);
    }

    function _move(address from, address to, uint256 amount) private {
        uint256 held = balanceOf[from];
        if (held < amount) revert NoReturnInsufficientBalance(from, held, amount);
        balanceOf[from] = held - amount;
        balanceOf[to] += amount;
        emit Transfer(from, to, amount);
    }
}
