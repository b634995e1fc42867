// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation, BatchCriteria, Category, CriteriaMismatch} from "../interfaces/ICarbonTypes.sol";
import {Jurisdictions} from "./Jurisdictions.sol";

/**
 * @title BatchMatching
 * @notice Checks a credit batch's profile ({ICarbonRegistry-batchProfile}) against {BatchCriteria}: what a
 * marketplace bid asks for and what a compliance period accepts as offsets.
 * @custom:security-contact security@cnt.example
 */
library BatchMatching {
    /// @notice Longest methodology or jurisdiction list a criteria set may hold (a match walks them).
    uint256 internal constant MAX_LIST = 16;

    /// @notice Thrown when a criteria list holds `count` entries, more than `max`.
    error CriteriaTooManyEntries(uint256 count, uint256 max);

    /// @notice Thrown when a criteria bit mask sets bits outside the enum it filters (`mask` above `max`).
    error CriteriaInvalidMask(uint256 mask, uint256 max);

    /// @notice Thrown when a vintage window ends before it starts, or where it starts (no monitoring period fits).
    error CriteriaInvalidVintageWindow(uint64 vintageFrom, uint64 vintageTo);

    /// @notice Reverts unless `criteria` is well formed: bounded lists of valid jurisdictions, masks within their
    /// enums, an ordered window.
    function validate(BatchCriteria calldata criteria) internal pure {
        if (criteria.methodologyIds.length > MAX_LIST)
            revert CriteriaTooManyEntries(criteria.methodologyIds.length, MAX_LIST);
        uint256 jurisdictions = criteria.jurisdictions.length;
        if (jurisdictions > MAX_LIST) revert CriteriaTooManyEntries(jurisdictions, MAX_LIST);
        // SMT: `i < jurisdictions == criteria.jurisdictions.length`: `++i` cannot overflow, and the entry is in bounds.
        for (uint256 i = 0; i < jurisdictions; ++i) Jurisdictions.check(criteria.jurisdictions[i]);
        _checkMask(criteria.categories, uint8(type(Category).max));
        _checkMask(criteria.authorisations, uint8(type(Authorisation).max));
        _checkMask(criteria.adjustments, uint8(type(Adjustment).max));
        if (criteria.vintageTo != 0 && criteria.vintageFrom >= criteria.vintageTo)
            revert CriteriaInvalidVintageWindow(criteria.vintageFrom, criteria.vintageTo);
    }

    /// @notice The first criterion `profile` fails, in the order of {CriteriaMismatch}; None when it passes them all.
    function mismatch(
        BatchCriteria storage criteria,
        ICarbonRegistry.BatchProfile memory profile
    ) internal view returns (CriteriaMismatch) {
        uint64 projectId = criteria.projectId;
        if (projectId != 0 && projectId != profile.projectId) return CriteriaMismatch.Project;
        if (!_containsOrEmpty(criteria.methodologyIds, profile.methodologyId)) return CriteriaMismatch.Methodology;
        if (!_inMask(criteria.categories, uint8(profile.category))) return CriteriaMismatch.Category;
        uint64 vintageTo = criteria.vintageTo;
        if (profile.vintageStart < criteria.vintageFrom || (vintageTo != 0 && profile.vintageEnd > vintageTo))
            return CriteriaMismatch.Vintage;
        if (
            !_containsOrEmpty(criteria.jurisdictions, profile.jurisdiction, Jurisdictions.country(profile.jurisdiction))
        ) return CriteriaMismatch.Jurisdiction;
        if (!_inMask(criteria.authorisations, uint8(profile.authorisation))) return CriteriaMismatch.Authorisation;
        if (!_inMask(criteria.adjustments, uint8(profile.adjustment))) return CriteriaMismatch.Adjustment;
        return CriteriaMismatch.None;
    }

    /// @dev A mask over an enum whose largest member is `maxMember` has bits 0..maxMember only.
    function _checkMask(uint8 mask, uint8 maxMember) private pure {
        // SMT: `maxMember` is an enum's largest member (at most 2 here), so `maxMember + 1` fits in uint8 and the
        // shift stays below 256: `1 << (maxMember + 1)` is at least 1 and `- 1` cannot underflow.
        uint256 max = (uint256(1) << (maxMember + 1)) - 1;
        if (mask > max) revert CriteriaInvalidMask(mask, max);
    }

    /// @dev An empty mask accepts every member.
    function _inMask(uint8 mask, uint8 member) private pure returns (bool) {
        return mask == 0 || (mask >> member) & 1 == 1;
    }

    function _containsOrEmpty(uint32[] storage set, uint32 value) private view returns (bool) {
        uint256 n = set.length;
        if (n == 0) return true;
        // SMT: `i < n == set.length`: `++i` cannot overflow, and `set[i]` (in the same statement) is in bounds.
        for (uint256 i = 0; i < n; ++i) if (set[i] == value) return true;
        return false;
    }

    function _containsOrEmpty(bytes8[] storage set, bytes8 value, bytes8 other) private view returns (bool) {
        uint256 n = set.length;
        if (n == 0) return true;
        // SMT: `i < n`: `++i` cannot overflow.
        for (uint256 i = 0; i < n; ++i) {
            // SMT: `i < n == set.length`: in bounds.
            bytes8 entry = set[i];
            if (entry == value || entry == other) return true;
        }
        return false;
    }
}
