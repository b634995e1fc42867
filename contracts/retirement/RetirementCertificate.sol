// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
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
 * @custom:security-contact security@cnt.example
 */
contract RetirementCertificate is ERC721, AccessManaged, IRetirementCertificate {
    address private _minter;
    mapping(uint256 tokenId => string) private _names;
    mapping(uint256 tokenId => bytes32) private _commitments;

    /// @param authority The AccessManager that governs this certificate.
    constructor(address authority) ERC721("CNT Retirement Certificate", "CNT-RC") AccessManaged(authority) {}

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
        _mint(to, retirementId);
        emit Locked(retirementId);
    }

    /// @inheritdoc IRetirementCertificate
    function minter() external view returns (address) {
        return _minter;
    }

    /// @inheritdoc IERC5192
    function locked(uint256 tokenId) external view returns (bool) {
        _requireOwned(tokenId);
        return true;
    }

    /// @inheritdoc IERC721Metadata
    function tokenURI(uint256 tokenId) public view override(ERC721, IERC721Metadata) returns (string memory) {
        return CertificateRenderer.tokenURI(_input(tokenId));
    }

    /// @inheritdoc IRetirementCertificate
    function svg(uint256 tokenId) external view returns (string memory) {
        return CertificateRenderer.svg(_input(tokenId));
    }

    /// @dev Certificates are bound to their owner: approvals are refused.
    function approve(address, uint256 tokenId) public pure override(ERC721, IERC721) {
        revert CertificateSoulbound(tokenId);
    }

    /// @dev Certificates are bound to their owner: operator approvals are refused.
    function setApprovalForAll(address, bool) public pure override(ERC721, IERC721) {
        revert CertificateSoulbound(0);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, IERC165) returns (bool) {
        return
            interfaceId == type(IERC5192).interfaceId ||
            interfaceId == type(IRetirementCertificate).interfaceId ||
            super.supportsInterface(interfaceId);
    }

    /// @dev The one token hook: mints only; every transfer and burn of a certificate reverts.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address) {
        if (_ownerOf(tokenId) != address(0)) revert CertificateSoulbound(tokenId);
        return super._update(to, tokenId, auth);
    }

    function _input(uint256 tokenId) private view returns (CertificateRenderer.Input memory input) {
        address owner = _requireOwned(tokenId);
        IRetirementRegistry retirements = IRetirementRegistry(_minter);
        ICarbonRegistry registry = retirements.carbonRegistry();
        input.retirementId = tokenId;
        input.owner = owner;
        input.retirement = retirements.getRetirement(tokenId);
        (input.serialStart, input.serialEnd) = retirements.serialRangeOf(tokenId);
        input.batch = registry.getBatch(input.retirement.batchId);
        input.project = registry.getProject(input.batch.projectId);
        input.beneficiaryName = _names[tokenId];
        input.commitment = _commitments[tokenId];
    }
}
