// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";

/**
 * @title RetirementPrimitiveMock
 * @notice Test-only stand-in for the retirement registry, bound to a credit token in the token's own unit tests so
 * its `retire` primitive can be called directly: it forwards any call, with no consent check, and declares the
 * IRetirementRegistry interface as the binding requires. Never deployed by the suite, whose credit token is bound to
 * the real retirement registry.
 */
contract RetirementPrimitiveMock is IERC165 {
    /// @notice The credit token this stand-in retires on (read by `bindRetirementRegistry`).
    ICarbonCredit public immutable credit;

    /// @param credit_ The credit token.
    constructor(ICarbonCredit credit_) {
        credit = credit_;
    }

    /// @notice Forwards to the credit token's `retire` primitive.
    function retire(address holder, address beneficiary, uint256 id, uint256 amount) external returns (uint256) {
        return credit.retire(holder, beneficiary, id, amount);
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == type(IRetirementRegistry).interfaceId || interfaceId == type(IERC165).interfaceId;
    }
}
