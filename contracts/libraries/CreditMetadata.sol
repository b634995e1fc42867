// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation, Category} from "../interfaces/ICarbonTypes.sol";
import {Jurisdictions} from "./Jurisdictions.sol";

/**
 * @title CreditMetadata
 * @notice Renders a credit batch's ERC-1155 metadata as a base64 data-URI JSON, entirely from on-chain state.
 * Free-text fields supplied by proponents are JSON-escaped.
 */
library CreditMetadata {
    using Strings for uint256;

    /// @notice Everything the metadata shows about one batch.
    struct Input {
        uint256 id;
        ICarbonRegistry.Batch batch;
        ICarbonRegistry.Project project;
        ICarbonRegistry.Methodology methodology;
        ICarbonRegistry.MonitoringReport report;
        ICarbonCredit.Supply supply;
        bool suspended;
    }

    /// @notice The `data:application/json;base64,…` URI of a batch.
    function tokenURI(Input memory input) internal pure returns (string memory) {
        return string.concat("data:application/json;base64,", Base64.encode(bytes(json(input))));
    }

    /// @notice The metadata JSON of a batch (ERC-1155 metadata schema, `decimals` 3: 1,000 units = 1 tCO2e).
    function json(Input memory input) internal pure returns (string memory) {
        return
            string.concat(
                '{"name":"CNT carbon credit batch #',
                input.id.toString(),
                '","description":"',
                _description(input),
                '","decimals":3,"properties":{',
                _projectFields(input),
                _batchFields(input),
                _supplyFields(input),
                "}}"
            );
    }

    function _description(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                "Verified carbon credits of project ",
                Strings.escapeJSON(input.project.externalRef),
                " (",
                Strings.escapeJSON(input.project.standard),
                ", ",
                Jurisdictions.toString(input.project.jurisdiction),
                "). 1 unit = 1 kg CO2e; 1,000 units = 1 tCO2e."
            );
    }

    function _projectFields(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                _str("projectId", uint256(input.batch.projectId).toString()),
                ",",
                _str("standard", Strings.escapeJSON(input.project.standard)),
                ",",
                _str("externalRef", Strings.escapeJSON(input.project.externalRef)),
                ",",
                _str("jurisdiction", Jurisdictions.toString(input.project.jurisdiction)),
                ",",
                _str("methodology", Strings.escapeJSON(input.methodology.code)),
                ",",
                _str("category", input.methodology.category == Category.Removal ? "removal" : "avoidance"),
                ",",
                _str("projectUri", Strings.escapeJSON(input.project.uri)),
                ","
            );
    }

    function _batchFields(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                _num("vintageStart", input.batch.vintageStart),
                ",",
                _num("vintageEnd", input.batch.vintageEnd),
                ",",
                _str("serialStart", uint256(input.batch.serialStart).toString()),
                ",",
                _str("serialEnd", uint256(input.batch.serialEnd).toString()),
                ",",
                _str("authorisation", _authorisation(input.batch.authorisation)),
                ",",
                _str("correspondingAdjustment", _adjustment(input.batch.adjustment)),
                ",",
                _str("reportHash", uint256(input.report.reportHash).toHexString(32)),
                ",",
                _str("verificationHash", uint256(input.report.verificationHash).toHexString(32)),
                ",",
                _str("verifier", Strings.toChecksumHexString(input.report.verifier)),
                ","
            );
    }

    function _supplyFields(Input memory input) private pure returns (string memory) {
        return
            string.concat(
                _str("issued", uint256(input.supply.issued).toString()),
                ",",
                _str("retired", uint256(input.supply.retired).toString()),
                ",",
                _str("cancelled", uint256(input.supply.cancelled).toString()),
                ',"suspended":',
                input.suspended ? "true" : "false"
            );
    }

    /// @dev Amounts and serials are strings: JSON numbers lose precision above 2^53 in most readers.
    function _str(string memory key, string memory value) private pure returns (string memory) {
        return string.concat('"', key, '":"', value, '"');
    }

    function _num(string memory key, uint256 value) private pure returns (string memory) {
        return string.concat('"', key, '":', value.toString());
    }

    function _authorisation(Authorisation a) private pure returns (string memory) {
        if (a == Authorisation.NDC) return "NDC use";
        if (a == Authorisation.OIMP) return "other international mitigation purposes";
        return "none";
    }

    function _adjustment(Adjustment a) private pure returns (string memory) {
        if (a == Adjustment.Pending) return "pending";
        if (a == Adjustment.Applied) return "applied";
        return "not applicable";
    }
}
