// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title EscrowShares
 * @notice Share accounting for ERC-20 escrow pooled in one contract, per payment token: each escrow owns shares of the
 * contract's whole balance of the token, so a token whose balances change on their own (rebasing, elastic supply,
 * demurrage) moves every escrow pro rata and no escrow can be stranded by another's refund. For a token whose balance
 * changes only by transfers, a share is exactly `OFFSET` shares per base unit and every payout is exact.
 *
 * The arithmetic is OpenZeppelin ERC-4626's (without its 512-bit mulDiv) with a virtual offset (`OFFSET` virtual shares over one virtual base
 * unit), which makes a donation that inflates the share price cost the donor more than it could take. Rounding:
 * deposits round shares up (what a depositor puts in it can take out while the balance does not change on its own),
 * a payout of a fixed amount rounds the shares it burns up, and the value of shares rounds down; the sum of values is
 * therefore never above the balance, and a payout of value is always covered.
 * @custom:security-contact security@cnt.example
 */
library EscrowShares {
    /// @notice Shares per base unit while no balance changed on its own (the virtual offset).
    uint256 internal constant OFFSET = 1e6;

    /// @notice Shares worth `amount` base units in a pool of `totalShares` over `balance`, rounded up.
    function sharesFor(uint256 amount, uint256 totalShares, uint256 balance) internal pure returns (uint256) {
        // SMT: `balance` is a token balance, far below 2^256 - 1; checked, an absurd one reverts rather than wraps.
        uint256 denominator = balance + 1;
        // SMT: the product stays far below 2^256 while amounts, balances and share totals are below 2^120 (the callers
        // hold each escrow's shares in 128 bits); checked, an absurd value reverts rather than wraps; `denominator`
        // is at least 1.
        return (amount * (totalShares + OFFSET) + denominator - 1) / denominator;
    }

    /// @notice The base units `shares` are worth in a pool of `totalShares` over `balance`, rounded down.
    function valueOf(uint256 shares, uint256 totalShares, uint256 balance) internal pure returns (uint256) {
        // SMT: as in {sharesFor}; `totalShares + OFFSET` is at least 10^6; the result is at most `balance` (shares <=
        // totalShares).
        return (shares * (balance + 1)) / (totalShares + OFFSET);
    }
}
