// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {Jurisdictions} from "../../contracts/libraries/Jurisdictions.sol";

import {JurisdictionsHarness} from "./JurisdictionsHarness.sol";

/// @notice Fuzz test of the jurisdiction codes (issue 14): the library's bit table and byte checks agree with a plain
/// reference written from the rule, over texts drawn mostly from the characters that matter (letters, digits, '-',
/// a zero byte) so that valid, near-valid and invalid texts all occur; and every accepted text round-trips.
contract JurisdictionsFuzzTest is Test {
    /// @dev The 249 assigned ISO 3166-1 alpha-2 codes, as text, for the reference (independent of the bit table).
    bytes internal constant COUNTRIES =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO "
        "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR "
        "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO "
        "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV "
        "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

    /// @dev What a fuzzed character is drawn from: 26 letters, 10 digits, '-', a zero byte, and (rarely) anything.
    bytes internal constant ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-";

    JurisdictionsHarness internal harness;

    function setUp() public {
        harness = new JurisdictionsHarness();
    }

    /// @notice A text the library accepts is exactly one the reference accepts; it round-trips through its code.
    function testFuzz_parseAgreesWithTheReference(bytes32 seed, uint8 lengthSeed, bool fromList) public view {
        bytes memory text = _text(seed, lengthSeed, fromList);
        bool expected = _reference(text);
        try harness.parse(string(text)) returns (bytes8 code) {
            assertTrue(expected, string.concat("accepted: ", string(text)));
            assertEq(bytes32(code), bytes32(bytes8(text)));
            assertTrue(harness.isValid(code));
            assertEq(Jurisdictions.toString(code), string(text));
            assertEq(Jurisdictions.length(code), text.length);
            assertEq(bytes32(Jurisdictions.country(code)), bytes32(bytes8(bytes.concat(text[0], text[1]))));
        } catch (bytes memory reason) {
            assertFalse(expected, string.concat("refused: ", string(text)));
            assertEq(reason, abi.encodeWithSelector(Jurisdictions.JurisdictionInvalid.selector, string(text)));
        }
    }

    /// @notice A code is valid exactly when the text before its first zero byte is, and only zeros follow.
    function testFuzz_isValidAgreesWithTheReference(bytes32 seed, uint8 lengthSeed, bool fromList) public {
        bytes memory text = _text(seed, lengthSeed, fromList);
        bytes8 code = bytes8(text); // at most 8 bytes are kept; zeros pad
        uint256 n = 0;
        while (n < 8 && code[n] != 0) ++n;
        bool zerosAfter = true;
        for (uint256 i = n; i < 8; ++i) if (code[i] != 0) zerosAfter = false;
        bytes memory prefix = new bytes(n);
        for (uint256 i = 0; i < n; ++i) prefix[i] = code[i];
        bool expected = zerosAfter && _reference(prefix);
        assertEq(harness.isValid(code), expected);
        if (expected) {
            harness.check(code);
        } else {
            vm.expectRevert(abi.encodeWithSelector(Jurisdictions.JurisdictionCodeInvalid.selector, code));
            harness.check(code);
        }
    }

    function test_examples() public view {
        assertEq(bytes32(harness.parse("BR-PA")), bytes32(bytes8(0x42522d5041000000)));
        assertEq(bytes32(harness.parse("GB-ENG")), bytes32(bytes8("GB-ENG")));
        assertEq(bytes32(harness.parse("KE")), bytes32(bytes8("KE")));
        assertFalse(harness.isValid(bytes8("UK")));
        assertFalse(harness.isValid(bytes8("BR-PA\x00X")));
        assertFalse(harness.isValid(bytes8(0)));
        assertEq(Jurisdictions.toString(bytes8(0)), "");
    }

    // ------------------------------------------------------------------ the reference

    /// @dev The rule as written: an assigned country, or the country, '-', and 1 to 3 of A-Z and 0-9.
    function _reference(bytes memory t) internal pure returns (bool) {
        uint256 n = t.length;
        if (n != 2 && (n < 4 || n > 6)) return false;
        if (!_isCountry(t[0], t[1])) return false;
        if (n == 2) return true;
        if (t[2] != "-") return false;
        for (uint256 i = 3; i < n; ++i) {
            bytes1 c = t[i];
            if (!((c >= "A" && c <= "Z") || (c >= "0" && c <= "9"))) return false;
        }
        return true;
    }

    function _isCountry(bytes1 a, bytes1 b) internal pure returns (bool) {
        for (uint256 i = 0; i + 1 < COUNTRIES.length; i += 3) {
            if (COUNTRIES[i] == a && COUNTRIES[i + 1] == b) return true;
        }
        return false;
    }

    /// @dev A text of 0 to 8 bytes: from the list's countries (half the time) followed by fuzzed characters.
    function _text(bytes32 seed, uint8 lengthSeed, bool fromList) internal pure returns (bytes memory text) {
        uint256 n = lengthSeed % 9;
        text = new bytes(n);
        uint256 start = 0;
        if (fromList && n >= 2) {
            uint256 k = (uint256(uint8(seed[31])) % 249) * 3;
            text[0] = COUNTRIES[k];
            text[1] = COUNTRIES[k + 1];
            start = 2;
            if (n >= 3 && uint8(seed[30]) % 4 != 0) {
                text[2] = "-";
                start = 3;
            }
        }
        for (uint256 i = start; i < n; ++i) {
            uint8 r = uint8(seed[i]);
            if (r < 240) text[i] = ALPHABET[r % ALPHABET.length];
            else if (r < 250) text[i] = 0x00;
            else text[i] = bytes1(r); // anything else, e.g. a byte of a multi-byte UTF-8 character
        }
    }
}
