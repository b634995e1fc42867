// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";

import {SuiteSetup} from "./SuiteSetup.sol";

/// @notice Fuzz tests of invariant 2: serial ranges never overlap within a namespace, whatever the insertion order
/// and hint, and namespaces are independent.
contract SerialRangesTest is SuiteSetup, Test {
    uint256 internal constant MAX_INSERTS = 12;

    address internal proponent;
    uint256 internal projectId;
    bytes32 internal ns;

    /// @dev An inclusive serial range.
    struct Range {
        uint128 start;
        uint128 end;
    }

    /// @dev The reference model: accepted ranges by batch id (index 0 unused).
    uint128[] internal _starts;
    uint128[] internal _ends;

    function setUp() public {
        _deploySuite();
        _grantOperatorRoles(address(this));
        methodologyId = _addMethodology(address(this));
        proponent = makeAddr("proponent");
        projectId = _registerApproved(proponent, STANDARD, 0);
        ns = _namespaceOf(STANDARD);
        _starts.push(0);
        _ends.push(0);
    }

    /// @notice A second range is issued iff it is disjoint from the first; otherwise the revert names batch 1.
    function testFuzz_overlapAlwaysReverts(
        uint256 base,
        uint256 aOffset,
        uint256 aLength,
        uint256 bOffset,
        uint256 bLength,
        uint256 hintMode
    ) public {
        // Both ranges start within 2,000 serials of a fuzzed base (anywhere up to the uint128 ceiling), so they
        // often overlap, touch or sit side by side.
        base = bound(base, 0, type(uint128).max - 4_000);
        Range memory a = _range(base, aOffset, aLength);
        Range memory b = _range(base, bOffset, bLength);

        assertEq(_issue(projectId, a.start, a.end - a.start + 1, 0), 1);
        uint256 reportId = _submitVerified(projectId, b.start, b.end - b.start + 1);
        bool disjoint = b.end < a.start || b.start > a.end;

        (uint256 exactHint, uint256 clash) = registry.findSerialHint(ns, b.start, b.end);
        assertEq(clash, disjoint ? 0 : 1, "findSerialHint clash");
        assertEq(exactHint, a.end < b.start ? 1 : 0, "findSerialHint hint");

        // 0: the exact hint; 1: no hint; 2: batch 1, which is a wrong hint when the new range lies before it.
        hintMode = bound(hintMode, 0, 2);
        uint256 hint = hintMode == 0
            ? exactHint
            : hintMode == 1
                ? 0
                : 1;
        bool wrongHint = hint == 1 && b.end < a.start;
        if (!disjoint) {
            vm.expectRevert(_overlapError(ns, b, 1, a));
        } else if (wrongHint) {
            vm.expectRevert(abi.encodeWithSelector(ICarbonRegistry.CarbonRegistryInvalidSerialHint.selector, 1));
        }
        registry.issueBatch(reportId, hint);

        bool issued = disjoint && !wrongHint;
        assertEq(registry.getNamespace(ns).count, issued ? 2 : 1, "namespace count");
        if (issued) {
            (uint256[] memory ids, ) = registry.serialRanges(ns, 0, 10);
            assertEq(ids.length, 2);
            assertEq(ids[0], b.start < a.start ? 2 : 1, "first range");
            assertEq(ids[1], b.start < a.start ? 1 : 2, "second range");
        }
    }

    /// @notice Up to 12 fuzzed ranges inserted in random order, each with the exact, no or a stale hint: the list
    /// stays sorted and disjoint, holds exactly the accepted ranges, and every rejected range overlapped one.
    function testFuzz_randomOrderInsertsStaySorted(uint256 seed, uint256 count) public {
        count = bound(count, 1, MAX_INSERTS);
        uint256 rejected;
        for (uint256 i = 0; i < count; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint128 start = uint128(r % 5_000);
            uint128 len = uint128(((r >> 32) % 400) + 1);
            uint128 end = start + len - 1;
            uint256 reportId = _submitVerified(projectId, start, len);

            (uint256 prev, uint256 clash) = _modelNeighbours(start, end);
            (uint256 exactHint, uint256 chainClash) = registry.findSerialHint(ns, start, end);
            assertEq(chainClash, clash, "findSerialHint clash vs model");
            assertEq(exactHint, prev, "findSerialHint hint vs model");

            uint256 hint = _hintFor((r >> 64) % 3, r >> 66, exactHint, start);
            if (clash != 0) {
                assertTrue(_starts[clash] <= end && _ends[clash] >= start, "model clash does not overlap");
                vm.expectRevert(
                    abi.encodeWithSelector(
                        ICarbonRegistry.CarbonRegistrySerialOverlap.selector,
                        ns,
                        start,
                        end,
                        clash,
                        _starts[clash],
                        _ends[clash]
                    )
                );
                registry.issueBatch(reportId, hint);
                ++rejected;
            } else {
                assertEq(registry.issueBatch(reportId, hint), _starts.length, "batch id");
                _starts.push(start);
                _ends.push(end);
            }
            _assertListMatchesModel();
        }
        assertEq(_starts.length - 1 + rejected, count);
    }

    /// @notice The same range in another standard's namespace never clashes; within each namespace it does, and a
    /// hint from another namespace is refused.
    function testFuzz_otherNamespaceNeverClashes(uint256 start, uint256 length) public {
        uint128 s = uint128(bound(start, 0, type(uint128).max - 1_000_000));
        uint128 q = uint128(bound(length, 1, 1_000_000));
        uint128 e = s + q - 1;
        bytes32 otherNs = _namespaceOf(OTHER_STANDARD);
        assertTrue(otherNs != ns);
        uint256 otherProject = _registerApproved(proponent, OTHER_STANDARD, 0);

        assertEq(_issue(projectId, s, q, 0), 1);
        uint256 reportId = _submitVerified(otherProject, s, q);
        (uint256 hint, uint256 clash) = registry.findSerialHint(otherNs, s, e);
        assertEq(hint, 0);
        assertEq(clash, 0, "a range of another namespace clashes");
        vm.expectRevert(abi.encodeWithSelector(ICarbonRegistry.CarbonRegistryInvalidSerialHint.selector, 1));
        registry.issueBatch(reportId, 1);
        assertEq(registry.issueBatch(reportId, 0), 2);

        assertEq(registry.getNamespace(ns).count, 1);
        assertEq(registry.getNamespace(otherNs).count, 1);
        assertEq(registry.getNamespace(ns).head, 1);
        assertEq(registry.getNamespace(otherNs).head, 2);
        // A pagination cursor of one namespace is refused in the other.
        vm.expectRevert(
            abi.encodeWithSelector(ICarbonRegistry.CarbonRegistryCursorNotInNamespace.selector, 1, otherNs)
        );
        registry.serialRanges(otherNs, 1, 10);

        // Within each namespace the same range clashes with that namespace's batch only.
        reportId = _submitVerified(projectId, s, q);
        vm.expectRevert(
            abi.encodeWithSelector(ICarbonRegistry.CarbonRegistrySerialOverlap.selector, ns, s, e, uint256(1), s, e)
        );
        registry.issueBatch(reportId, 0);
        reportId = _submitVerified(otherProject, s, q);
        vm.expectRevert(
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistrySerialOverlap.selector,
                otherNs,
                s,
                e,
                uint256(2),
                s,
                e
            )
        );
        registry.issueBatch(reportId, 0);
    }

    /// @notice Paging through the list with the returned `next` as the following cursor yields the whole list.
    function testFuzz_pagingWithNextVisitsEveryRange(uint256 seed, uint256 count, uint256 limit) public {
        count = bound(count, 2, 8);
        limit = bound(limit, 1, count - 1);
        // Issue ranges in a random order, so list order differs from batch-id order.
        uint256[] memory slots = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) slots[i] = i;
        for (uint256 i = count - 1; i > 0; --i) {
            uint256 j = uint256(keccak256(abi.encode(seed, i))) % (i + 1);
            (slots[i], slots[j]) = (slots[j], slots[i]);
        }
        for (uint256 i = 0; i < count; ++i) _issue(projectId, uint128(slots[i] * 10), 5, 0);
        (uint256[] memory all, ) = registry.serialRanges(ns, 0, 100);
        assertEq(all.length, count);
        for (uint256 i = 1; i < count; ++i)
            assertGt(registry.getBatch(all[i]).serialStart, registry.getBatch(all[i - 1]).serialEnd);
        (uint256[] memory none, uint256 noNext) = registry.serialRanges(ns, 0, 0);
        assertEq(none.length, 0);
        assertEq(noNext, 0, "limit 0 has no next page");

        uint256 seen;
        uint256 cursor;
        for (uint256 page = 0; page <= count; ++page) {
            (uint256[] memory ids, uint256 next) = registry.serialRanges(ns, cursor, limit);
            for (uint256 i = 0; i < ids.length; ++i) assertEq(ids[i], all[seen + i], "page skips or repeats a range");
            seen += ids.length;
            if (next == 0) break;
            cursor = next;
        }
        assertEq(seen, count, "paging did not visit every range");
    }

    // ================================================================ helpers

    /// @dev A range of 1 to 1,000 serials starting up to 2,000 after `base`.
    function _range(uint256 base, uint256 offset, uint256 length) private pure returns (Range memory r) {
        r.start = uint128(base + bound(offset, 0, 2_000));
        r.end = r.start + uint128(bound(length, 1, 1_000)) - 1;
    }

    function _overlapError(
        bytes32 namespace,
        Range memory range,
        uint256 batchId,
        Range memory batch
    ) private pure returns (bytes memory) {
        return
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistrySerialOverlap.selector,
                namespace,
                range.start,
                range.end,
                batchId,
                batch.start,
                batch.end
            );
    }

    /// @dev Walks the namespace's list, whole and page by page, and checks it against the model.
    function _assertListMatchesModel() private view {
        uint256 accepted = _starts.length - 1;
        (uint256[] memory ids, uint256 next) = registry.serialRanges(ns, 0, 100);
        assertEq(next, 0, "list longer than a page");
        assertEq(ids.length, accepted, "list length vs model");
        assertEq(registry.getNamespace(ns).count, accepted, "namespace count vs model");
        bool[] memory seen = new bool[](accepted + 1);
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 id = ids[i];
            assertTrue(id >= 1 && id <= accepted, "unknown batch in the list");
            assertFalse(seen[id], "batch listed twice");
            seen[id] = true;
            ICarbonRegistry.Batch memory b = registry.getBatch(id);
            assertEq(b.serialStart, _starts[id], "serial start vs model");
            assertEq(b.serialEnd, _ends[id], "serial end vs model");
            if (i > 0) assertGt(b.serialStart, _ends[ids[i - 1]], "ranges not strictly ascending and disjoint");
        }
        if (accepted != 0) {
            assertEq(registry.getNamespace(ns).head, ids[0], "head");
            assertEq(registry.getNamespace(ns).tail, ids[accepted - 1], "tail");
        }
    }

    /// @dev From the model: the batch ending last before `start`, and the lowest-serial batch overlapping the range.
    function _modelNeighbours(uint128 start, uint128 end) private view returns (uint256 prev, uint256 clash) {
        for (uint256 id = 1; id < _starts.length; ++id) {
            if (_ends[id] < start) {
                if (prev == 0 || _ends[id] > _ends[prev]) prev = id;
            } else if (_starts[id] <= end) {
                if (clash == 0 || _starts[id] < _starts[clash]) clash = id;
            }
        }
    }

    /// @dev 0: the exact hint; 1: no hint; 2: a stale but valid hint (any earlier range), else no hint.
    function _hintFor(uint256 mode, uint256 r, uint256 exact, uint128 start) private view returns (uint256) {
        if (mode == 0) return exact;
        uint256 accepted = _starts.length - 1;
        if (mode == 1 || accepted == 0) return 0;
        uint256 candidate = 1 + (r % accepted);
        return _ends[candidate] < start ? candidate : 0;
    }
}
