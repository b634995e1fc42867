// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {IERC5192} from "../interfaces/IERC5192.sol";
import {IRetirementCertificate} from "../interfaces/IRetirementCertificate.sol";
import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";
import {CertificateRenderer} from "../libraries/CertificateRenderer.sol";

/**
 * @title RetirementCertificate
 * @notice Non-transferable (ERC-5192) ERC-721 certificates of CNT retirements. Token id = retirement id; minted to
 * the beneficiary by the retirement registry only; `tokenURI` is JSON with an SVG image, both built on chain from
 * the retirement record and the registry's batch and project, so a certificate cannot 404.
 *
 * A certificate never moves, so its owner is a fact of the retirement record: `ownerOf` is the record's beneficiary
 * and `balanceOf` the registry's count of certified retirements for the account. The token stores only what the
 * record lacks (the beneficiary's display name or commitment) and emits the standard `Transfer` and `Locked`
 * events, so a certificate costs its events rather than two more storage slots.
 *
 * @custom:security-contact security@cnt.example
 */
contract RetirementCertificate is AccessManaged, IERC721Errors, IRetirementCertificate {
    address private _minter;
    mapping(uint256 tokenId => string) private _names;
    mapping(uint256 tokenId => bytes32) private _commitments;

    /// @param authority The AccessManager that governs this certificate.
    constructor(address authority) AccessManaged(authority) {}

    /// @inheritdoc IRetirementCertificate
    function setMinter(address minter_) external restricted {
        if (_minter != address(0) || minter_ == address(0)) revert CertificateMinterAlreadySet(_minter);
        _minter = minter_;
        emit MinterSet(minter_);
    }

    /// @inheritdoc IRetirementCertificate
    function mint(address to, uint256 retirementId, string calldata beneficiaryName, bytes32 commitment) external {
        if (msg.sender != _minter) revert CertificateOnlyMinter(msg.sender);
        if (bytes(beneficiaryName).length != 0) _names[retirementId] = beneficiaryName;
        if (commitment != bytes32(0)) _commitments[retirementId] = commitment;
        emit Transfer(address(0), to, retirementId);
        emit Locked(retirementId);
    }

    // ------------------------------------------------------------------------------------------ ERC-721

    /// @inheritdoc IERC721Metadata
    function name() external pure returns (string memory) {
        return "CNT Retirement Certificate";
    }

    /// @inheritdoc IERC721Metadata
    function symbol() external pure returns (string memory) {
        return "CNT-RC";
    }

    /// @inheritdoc IERC721
    function balanceOf(address owner) external view returns (uint256) {
        if (owner == address(0)) revert ERC721InvalidOwner(address(0));
        return _minter == address(0) ? 0 : IRetirementRegistry(_minter).certificatesOf(owner);
    }

    /// @inheritdoc IERC721
    function ownerOf(uint256 tokenId) external view returns (address) {
        return _requireOwned(tokenId);
    }

    /// @inheritdoc IERC721
    function getApproved(uint256 tokenId) external view returns (address) {
        _requireOwned(tokenId);
        return address(0);
    }

    /// @inheritdoc IERC721
    function isApprovedForAll(address, address) external pure returns (bool) {
        return false;
    }

    /// @dev Certificates are bound to their owner: always reverts with {CertificateSoulbound}.
    function approve(address, uint256 tokenId) external pure {
        revert CertificateSoulbound(tokenId);
    }

    /// @dev Certificates are bound to their owner: always reverts with {CertificateNoApprovals}.
    function setApprovalForAll(address, bool) external pure {
        revert CertificateNoApprovals();
    }

    /// @dev Certificates are bound to their owner: always reverts with {CertificateSoulbound}.
    function transferFrom(address, address, uint256 tokenId) external pure {
        revert CertificateSoulbound(tokenId);
    }

    /// @dev Certificates are bound to their owner: always reverts with {CertificateSoulbound}.
    function safeTransferFrom(address, address, uint256 tokenId) external pure {
        revert CertificateSoulbound(tokenId);
    }

    /// @dev Certificates are bound to their owner: always reverts with {CertificateSoulbound}.
    function safeTransferFrom(address, address, uint256 tokenId, bytes calldata) external pure {
        revert CertificateSoulbound(tokenId);
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// @inheritdoc IERC721Metadata
    function tokenURI(uint256 tokenId) external view returns (string memory) {
        return CertificateRenderer.tokenURI(_input(tokenId));
    }

    /// @inheritdoc IRetirementCertificate
    function svg(uint256 tokenId) external view returns (string memory) {
        return CertificateRenderer.svg(_input(tokenId));
    }

    /// @inheritdoc IRetirementCertificate
    function minter() external view returns (address) {
        return _minter;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC165).interfaceId ||
            interfaceId == type(IERC721).interfaceId ||
            interfaceId == type(IERC721Metadata).interfaceId ||
            interfaceId == type(IERC5192).interfaceId ||
            interfaceId == type(IRetirementCertificate).interfaceId;
    }

    // ------------------------------------------------------------------------------------------ internals

    /// @dev The owner of a certificate: the beneficiary of a certified retirement. Reverts with
    /// {ERC721NonexistentToken} for a retirement that does not exist or was made without a certificate.
    function _requireOwned(uint256 tokenId) private view returns (address) {
        if (_minter == address(0)) revert ERC721NonexistentToken(tokenId);
        IRetirementRegistry registry = IRetirementRegistry(_minter);
        if (tokenId == 0 || tokenId > registry.retirementCount()) revert ERC721NonexistentToken(tokenId);
        IRetirementRegistry.Retirement memory r = registry.getRetirement(tokenId);
        if (!r.certified) revert ERC721NonexistentToken(tokenId);
        return r.beneficiary;
    }

    function _input(uint256 tokenId) private view returns (CertificateRenderer.Input memory input) {
        input.owner = _requireOwned(tokenId);
        IRetirementRegistry retirements = IRetirementRegistry(_minter);
        ICarbonRegistry registry = retirements.carbonRegistry();
        input.retirementId = tokenId;
        input.retirement = retirements.getRetirement(tokenId);
        (input.serialStart, input.serialEnd) = retirements.serialRangeOf(tokenId);
        input.batch = registry.getBatch(input.retirement.batchId);
        input.project = registry.getProject(input.batch.projectId);
        input.beneficiaryName = _names[tokenId];
        input.commitment = _commitments[tokenId];
    }
}
