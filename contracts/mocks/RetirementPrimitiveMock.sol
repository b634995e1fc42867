// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";

/**
 * @title RetirementPrimitiveMock
 * @notice Test-only stand-in for the retirement registry, bound to a credit token in the token's own unit tests so
 * its `retire` primitive can be called directly: it forwards any call, with no consent check, and declares the
 * IRetirementRegistry interface as the binding requires. Constructed without a token, it declares the interface but
 * its `credit()` reverts: a contract that lies about being a retirement registry. Never deployed by the suite, whose
 * credit token is bound to the real retirement registry.
 */
contract RetirementPrimitiveMock is IERC165 {
    /// @notice Thrown by {credit} when the stand-in was constructed without a token.
    error RetirementPrimitiveMockNoCredit();

    ICarbonCredit private immutable _credit;

    /// @param credit_ The credit token (zero: {credit} reverts).
    constructor(ICarbonCredit credit_) {
        _credit = credit_;
    }

    /// @notice Forwards to the credit token's `retire` primitive.
    function retire(address holder, address beneficiary, uint256 id, uint256 amount) external returns (uint256) {
        return _credit.retire(holder, beneficiary, id, amount);
    }

    /// @notice The credit token this stand-in retires on (read by `bindRetirementRegistry`); reverts without one.
    function credit() external view returns (ICarbonCredit) {
        if (address(_credit) == address(0)) revert RetirementPrimitiveMockNoCredit();
        return _credit;
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IRetirementRegistry).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
