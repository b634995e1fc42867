// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Jurisdictions} from "../../contracts/libraries/Jurisdictions.sol";

/// @notice The library's functions behind an external call, so a revert can be caught.
contract JurisdictionsHarness {
    function parse(string calldata jurisdiction) external pure returns (bytes8) {
        return Jurisdictions.parse(jurisdiction);
    }

    function isValid(bytes8 code) external pure returns (bool) {
        return Jurisdictions.isValid(code);
    }

    function check(bytes8 code) external pure {
        Jurisdictions.check(code);
    }
}
