// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";

import {IERC5192} from "./IERC5192.sol";

/**
 * @title IRetirementCertificate
 * @notice A non-transferable ERC-721 (ERC-5192 `locked`) certificate of a retirement: token id = retirement id,
 * owned by the beneficiary, with JSON metadata and an SVG image rendered on chain from the retirement record.
 */
interface IRetirementCertificate is IERC721Metadata, IERC5192 {
    /// @notice Emitted once, when the retirement registry is wired as the only minter.
    event MinterSet(address indexed minter);

    /// @notice Thrown on any attempt to transfer or approve a certificate: certificates are bound to their owner.
    error CertificateSoulbound(uint256 tokenId);

    /// @notice Thrown on any attempt to set an operator approval: certificates have no operators.
    error CertificateNoApprovals();

    /// @notice Thrown when `caller` is not the retirement registry.
    error CertificateOnlyMinter(address caller);

    /// @notice Thrown when the minter is set a second time, or set to the zero address.
    error CertificateMinterAlreadySet(address minter);

    /**
     * @notice Wires the retirement registry as the only minter, once.
     * @dev Requirements: ADMIN permission; not set before; non-zero. Emits {MinterSet}.
     */
    function setMinter(address minter) external;

    /**
     * @notice Mints the certificate of retirement `retirementId` to `to`, locked, keeping the beneficiary's name or
     * commitment for display.
     * @dev Requirements: caller is the minter. Emits {IERC721-Transfer} and {Locked}. No receiver callback.
     */
    function mint(address to, uint256 retirementId, string calldata beneficiaryName, bytes32 commitment) external;

    /// @notice The retirement registry, the only minter (zero until {setMinter}).
    function minter() external view returns (address);

    /// @notice The SVG image of a certificate (also embedded in {tokenURI}).
    function svg(uint256 tokenId) external view returns (string memory);
}
