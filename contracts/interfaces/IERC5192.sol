// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title IERC5192
 * @notice Minimal soulbound NFTs (ERC-5192): `locked` tokens cannot be transferred. Interface id `0xb45a3c0e`.
 */
interface IERC5192 {
    /// @notice Emitted when the locking status of a token is changed to locked.
    event Locked(uint256 tokenId);

    /// @notice Emitted when the locking status of a token is changed to unlocked.
    event Unlocked(uint256 tokenId);

    /// @notice The locking status of a token; reverts for a token that does not exist.
    function locked(uint256 tokenId) external view returns (bool);
}
