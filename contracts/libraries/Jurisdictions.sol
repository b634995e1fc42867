// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/**
 * @title Jurisdictions
 * @notice The suite's one form of a jurisdiction: an ISO 3166 code in a `bytes8`, its ASCII left-aligned and
 * zero-padded. A code is a country, an assigned ISO 3166-1 alpha-2 code ("BR"), or a subdivision of one, ISO 3166-2:
 * the country, '-', and one to three upper-case letters or digits ("BR-PA", "GB-ENG", "FR-75C"). Only upper case is
 * accepted, so "br-pa", "BR_PA" and "BR-PA " are refused rather than taken for another jurisdiction. The country
 * part is checked against the 249 assigned alpha-2 codes (a 676-bit table); the subdivision part by its form only,
 * as ISO 3166-2 lists some five thousand codes that change more often than a contract can.
 * `sdk/jurisdictions.ts` holds the same list for clients, and a test keeps both equal.
 * @custom:security-contact security@cnt.example
 */
library Jurisdictions {
    /// @notice `jurisdiction` is not an ISO 3166 code in canonical form (see {Jurisdictions}).
    error JurisdictionInvalid(string jurisdiction);

    /// @notice `code` is not a jurisdiction in the suite's compact form (see {Jurisdictions}).
    error JurisdictionCodeInvalid(bytes8 code);

    /// @dev Bit `26 * (first - 'A') + (second - 'A')` is set for each assigned ISO 3166-1 alpha-2 code: bits 0-255,
    /// 256-511 and 512-675 of the table.
    uint256 private constant ASSIGNED_0 = 0x0340400f7818068d0015fb9fb0095c000e00d48015843f27deddbdefeedf5978;
    uint256 private constant ASSIGNED_1 = 0x9fbb3ae7fdf1510040000001538f3c400100084b25d7fffcfd4f8141f42b1d00;
    uint256 private constant ASSIGNED_2 = 0x000000000000000000000001004004080010000000004002004085570410419a;

    /// @dev The country part of a code: its first two bytes.
    bytes8 private constant COUNTRY_MASK = 0xffff000000000000;

    /// @notice `jurisdiction` ("BR-PA") in compact form; reverts with {JurisdictionInvalid} unless it is canonical.
    function parse(string calldata jurisdiction) internal pure returns (bytes8 code) {
        bytes calldata text = bytes(jurisdiction);
        if (text.length > 8) revert JurisdictionInvalid(jurisdiction);
        code = bytes8(text);
        // A zero byte inside the text would read as the end of a shorter code: the lengths must agree.
        if (!isValid(code) || length(code) != text.length) revert JurisdictionInvalid(jurisdiction);
    }

    /// @notice Reverts with {JurisdictionCodeInvalid} unless `code` is a jurisdiction in compact form.
    function check(bytes8 code) internal pure {
        if (!isValid(code)) revert JurisdictionCodeInvalid(code);
    }

    /// @notice Whether `code` is an assigned country, or a subdivision of one, in compact form.
    function isValid(bytes8 code) internal pure returns (bool) {
        uint256 v = uint64(code);
        unchecked {
            // A byte below 'A' wraps around to a large number: one comparison checks both ends of A-Z.
            uint256 first = (v >> 56) - 0x41;
            uint256 second = ((v >> 48) & 0xff) - 0x41;
            if (first >= 26 || second >= 26 || !_assigned(26 * first + second)) return false;
        }
        uint256 rest = v & 0xffffffffffff; // what follows the country: '-', the subdivision, zeros
        if (rest == 0) return true;
        // '-', then one to three letters or digits, then zeros: bytes 3 to 5 hold the subdivision, 6 and 7 are zero.
        if (rest >> 40 != 0x2d || rest & 0xffff != 0 || !_isAlnum((rest >> 32) & 0xff)) return false;
        uint256 fourth = (rest >> 24) & 0xff;
        uint256 fifth = (rest >> 16) & 0xff;
        if (fourth == 0) return fifth == 0;
        return _isAlnum(fourth) && (fifth == 0 || _isAlnum(fifth));
    }

    /// @notice The country of `code` ("BR" for "BR-PA", "BR" for "BR").
    function country(bytes8 code) internal pure returns (bytes8) {
        return code & COUNTRY_MASK;
    }

    /// @notice How many characters `code` spells (its bytes before the first zero).
    function length(bytes8 code) internal pure returns (uint256 n) {
        while (n < 8 && code[n] != 0) ++n;
    }

    /// @notice `code` as text ("BR-PA"); "" for zero.
    function toString(bytes8 code) internal pure returns (string memory) {
        uint256 n = length(code);
        bytes memory text = new bytes(n);
        for (uint256 i = 0; i < n; ++i) text[i] = code[i];
        return string(text);
    }

    /// @dev `c` is A-Z or 0-9.
    function _isAlnum(uint256 c) private pure returns (bool) {
        return (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39);
    }

    function _assigned(uint256 index) private pure returns (bool) {
        uint256 table = index < 256
            ? ASSIGNED_0
            : index < 512
                ? ASSIGNED_1
                : ASSIGNED_2;
        return (table >> (index & 0xff)) & 1 == 1;
    }
}
