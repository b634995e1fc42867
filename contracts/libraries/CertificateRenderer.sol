// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation} from "../interfaces/ICarbonTypes.sol";
import {ClaimType, IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";
import {Jurisdictions} from "./Jurisdictions.sol";

/**
 * @title CertificateRenderer
 * @notice Renders a retirement certificate's ERC-721 metadata JSON and its SVG image from on-chain state. Text from
 * users is escaped for XML in the SVG and for JSON in the metadata.
 */
library CertificateRenderer {
    using Strings for uint256;

    /// @notice Everything a certificate shows.
    struct Input {
        uint256 retirementId;
        address owner;
        IRetirementRegistry.Retirement retirement;
        uint256 serialStart;
        uint256 serialEnd;
        ICarbonRegistry.Batch batch;
        ICarbonRegistry.Project project;
        string beneficiaryName;
        bytes32 commitment;
    }

    /// @notice The `data:application/json;base64,…` token URI, with the SVG image embedded as a data URI.
    function tokenURI(Input memory input) internal pure returns (string memory) {
        string memory image = string.concat("data:image/svg+xml;base64,", Base64.encode(bytes(svg(input))));
        string memory json = string.concat(
            '{"name":"CNT retirement certificate #',
            input.retirementId.toString(),
            '","description":"',
            tonnes(input.retirement.amount),
            " tCO2e of carbon credits retired for ",
            Strings.escapeJSON(beneficiary(input)),
            '. Each unit is retired once: the serial range below is owned by this retirement alone.","image":"',
            image,
            '","attributes":[',
            _attributes(input),
            "]}"
        );
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json)));
    }

    /// @notice The certificate's SVG image (well-formed XML).
    function svg(Input memory input) internal pure returns (string memory) {
        return
            string.concat(
                '<svg xmlns="http://www.w3.org/2000/svg" width="600" height="450" viewBox="0 0 600 450">',
                '<rect width="600" height="450" rx="16" fill="#0b3d2e"/>',
                '<rect x="16" y="16" width="568" height="418" rx="10" fill="#f4f1e8"/>',
                '<text x="40" y="64" font-family="Georgia,serif" font-size="24" fill="#0b3d2e">',
                "Carbon Retirement Certificate</text>",
                _claimLines(input),
                _originLines(input),
                '<text x="40" y="414" font-family="monospace" font-size="11" fill="#5b6b63">Verified on chain by CNT.',
                " 1 unit = 1 kg CO2e.</text></svg>"
            );
    }

    /// @notice Who the certificate names: the public name, a private commitment, or the beneficiary's address.
    function beneficiary(Input memory input) internal pure returns (string memory) {
        if (bytes(input.beneficiaryName).length != 0) return input.beneficiaryName;
        if (input.commitment != bytes32(0)) {
            return string.concat("private beneficiary (commitment ", uint256(input.commitment).toHexString(32), ")");
        }
        return Strings.toChecksumHexString(input.retirement.beneficiary);
    }

    /// @notice Units (kg) as tonnes with three decimals: `12500` → `12.500`.
    function tonnes(uint256 units) internal pure returns (string memory) {
        uint256 kg = units % 1000;
        string memory frac = kg.toString();
        if (kg < 10) frac = string.concat("00", frac);
        else if (kg < 100) frac = string.concat("0", frac);
        return string.concat((units / 1000).toString(), ".", frac);
    }

    /// @notice A claim type's name.
    function claimName(ClaimType claimType) internal pure returns (string memory) {
        if (claimType == ClaimType.Neutrality) return "carbon-neutrality claim";
        if (claimType == ClaimType.Compliance) return "compliance surrender";
        if (claimType == ClaimType.NDC) return "NDC use";
        if (claimType == ClaimType.CORSIA) return "CORSIA";
        return "voluntary offset";
    }

    /// @notice A unix time as an ISO date `YYYY-MM-DD` (UTC), by the civil-from-days algorithm.
    function date(uint256 timestamp) internal pure returns (string memory) {
        // Days since 1970-01-01 shifted to an era starting 0000-03-01; all quantities stay positive.
        uint256 z = timestamp / 86_400 + 719_468;
        uint256 era = z / 146_097;
        uint256 doe = z - era * 146_097;
        uint256 yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        uint256 mp = (5 * doy + 2) / 153;
        uint256 day = doy - (153 * mp + 2) / 5 + 1;
        uint256 month = mp < 10 ? mp + 3 : mp - 9;
        uint256 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        return string.concat(year.toString(), "-", _two(month), "-", _two(day));
    }

    /// @notice The inventory a claim counts against: `<entity> period <period>`, or `none` for a claim without one.
    function claimTarget(Input memory input) internal pure returns (string memory) {
        if (input.retirement.claimEntity == address(0)) return "none";
        return
            string.concat(
                Strings.toChecksumHexString(input.retirement.claimEntity),
                " period ",
                uint256(input.retirement.claimPeriod).toString()
            );
    }

    /// @notice The Article 6 status a retirement was made under: `<authorisation>, adjustment <status>`.
    function article6(Input memory input) internal pure returns (string memory) {
        return
            string.concat(
                authorisationName(input.retirement.authorisation),
                ", adjustment ",
                adjustmentName(input.retirement.adjustment)
            );
    }

    /// @notice An Article 6 authorisation's name.
    function authorisationName(Authorisation authorisation) internal pure returns (string memory) {
        if (authorisation == Authorisation.NDC) return "authorised for NDC use";
        if (authorisation == Authorisation.OIMP) return "authorised for OIMP (CORSIA)";
        return "not authorised";
    }

    /// @notice A corresponding adjustment status's name.
    function adjustmentName(Adjustment adjustment) internal pure returns (string memory) {
        if (adjustment == Adjustment.Pending) return "pending";
        if (adjustment == Adjustment.Applied) return "applied";
        return "not applicable";
    }

    function _claimLines(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                _line(100, "Retirement", string.concat("#", input.retirementId.toString())),
                _line(130, "Amount", string.concat(tonnes(input.retirement.amount), " tCO2e")),
                _line(160, "Beneficiary", _xmlEscape(beneficiary(input))),
                _line(190, "Claim", claimName(input.retirement.claimType)),
                _line(340, "Claimed for", claimTarget(input)),
                _line(370, "Article 6", article6(input))
            );
    }

    function _originLines(Input memory input) private pure returns (string memory) {
        string memory vintage = string.concat(date(input.batch.vintageStart), " to ", date(input.batch.vintageEnd));
        string memory serials = string.concat(input.serialStart.toString(), " to ", input.serialEnd.toString());
        return
            string.concat(
                _line(220, "Project", _xmlEscape(_projectLabel(input))),
                _line(250, "Vintage", vintage),
                _line(280, "Batch", string.concat("#", uint256(input.retirement.batchId).toString())),
                _line(310, "Serials", serials)
            );
    }

    function _attributes(Input memory input) private pure returns (string memory) {
        return string.concat(_claimAttributes(input), ",", _originAttributes(input));
    }

    function _claimAttributes(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                _attr("Amount (tCO2e)", tonnes(input.retirement.amount)),
                ",",
                _attr("Beneficiary", Strings.escapeJSON(beneficiary(input))),
                ",",
                _attr("Claim", claimName(input.retirement.claimType)),
                ",",
                _attr("Claim entity", _claimEntity(input)),
                ",",
                _attr("Claim period", uint256(input.retirement.claimPeriod).toString()),
                ",",
                _attr("Article 6 authorisation", authorisationName(input.retirement.authorisation)),
                ",",
                _attr("Corresponding adjustment", adjustmentName(input.retirement.adjustment))
            );
    }

    function _originAttributes(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                _attr("Project", Strings.escapeJSON(_projectLabel(input))),
                ",",
                _attr("Vintage", string.concat(date(input.batch.vintageStart), " to ", date(input.batch.vintageEnd))),
                ",",
                _attr("Batch", uint256(input.retirement.batchId).toString()),
                ",",
                _attr("Serial start", input.serialStart.toString()),
                ",",
                _attr("Serial end", input.serialEnd.toString()),
                ",",
                _attr("Retiree", Strings.toChecksumHexString(input.retirement.retiree))
            );
    }

    function _claimEntity(Input memory input) private pure returns (string memory) {
        if (input.retirement.claimEntity == address(0)) return "none";
        return Strings.toChecksumHexString(input.retirement.claimEntity);
    }

    function _projectLabel(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                input.project.externalRef,
                " (",
                input.project.standard,
                ", ",
                Jurisdictions.toString(input.project.jurisdiction),
                ")"
            );
    }

    function _attr(string memory trait, string memory value) private pure returns (string memory) {
        return string.concat('{"trait_type":"', trait, '","value":"', value, '"}');
    }

    function _line(uint256 y, string memory label, string memory value) private pure returns (string memory) {
        string memory yText = y.toString();
        return
            string.concat(
                '<text x="40" y="',
                yText,
                '" font-family="Helvetica,Arial,sans-serif" font-size="14" fill="#5b6b63">',
                label,
                '</text><text x="160" y="',
                yText,
                '" font-family="Helvetica,Arial,sans-serif" font-size="14" fill="#0b3d2e">',
                value,
                "</text>"
            );
    }

    function _two(uint256 value) private pure returns (string memory) {
        return value < 10 ? string.concat("0", value.toString()) : value.toString();
    }

    /// @dev Escapes the five XML special characters; control characters other than tab and newlines are dropped,
    /// since XML 1.0 cannot carry them.
    function _xmlEscape(string memory text) private pure returns (string memory) {
        bytes memory input = bytes(text);
        bytes memory out = new bytes(input.length * 6);
        uint256 n;
        for (uint256 i = 0; i < input.length; ++i) {
            bytes1 c = input[i];
            bytes memory piece;
            if (c == "&") piece = "&amp;";
            else if (c == "<") piece = "&lt;";
            else if (c == ">") piece = "&gt;";
            else if (c == '"') piece = "&quot;";
            else if (c == "'") piece = "&apos;";
            else if (uint8(c) < 0x20 && c != 0x09 && c != 0x0a && c != 0x0d) continue;
            else {
                out[n++] = c;
                continue;
            }
            for (uint256 j = 0; j < piece.length; ++j) out[n++] = piece[j];
        }
        bytes memory result = new bytes(n);
        for (uint256 i = 0; i < n; ++i) result[i] = out[i];
        return string(result);
    }
}
