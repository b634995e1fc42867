// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";

import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {RetirementPrimitiveMock} from "../../contracts/mocks/RetirementPrimitiveMock.sol";
import {TransferStatus} from "../../contracts/interfaces/ICarbonTypes.sol";

import {SuiteSetup} from "./SuiteSetup.sol";

/// @notice Fuzz tests of single properties of the credit token and the buffer pool: conservation on transfer,
/// contiguous retirement unit ranges, buffer rounding, reversals drawn oldest first, and restrictions.
contract CreditFuzzTest is SuiteSetup, Test {
    address internal proponent;
    address internal alice;
    address internal bob;
    RetirementPrimitiveMock internal primitive;

    function setUp() public {
        _deploySuite();
        _grantOperatorRoles(address(this));
        methodologyId = _addMethodology(address(this));
        primitive = _bindRetirementPrimitive();
        proponent = makeAddr("proponent");
        alice = makeAddr("alice");
        bob = makeAddr("bob");
    }

    /// @notice A transfer moves units between holders and changes no supply counter.
    function testFuzz_transferConservesSupply(uint256 quantity, uint256 bps, uint256 amount) public {
        uint128 q = uint128(bound(quantity, 1, 1e15));
        uint256 projectId = _registerApproved(proponent, STANDARD, uint16(bound(bps, 0, 10_000)));
        uint256 id = _issue(projectId, 0, q, 0);
        uint256 held = credit.balanceOf(proponent, id);
        amount = bound(amount, 0, held);
        ICarbonCredit.Supply memory before = credit.supplyOf(id);

        vm.prank(proponent);
        credit.safeTransferFrom(proponent, alice, id, amount, "");

        assertEq(credit.balanceOf(proponent, id), held - amount);
        assertEq(credit.balanceOf(alice, id), amount);
        uint256 sum = credit.balanceOf(proponent, id) +
            credit.balanceOf(alice, id) +
            credit.balanceOf(address(registry), id);
        ICarbonCredit.Supply memory afterwards = credit.supplyOf(id);
        assertEq(afterwards.issued, before.issued);
        assertEq(afterwards.retired, before.retired);
        assertEq(afterwards.cancelled, before.cancelled);
        assertEq(sum, q, "issued != sum of balances");
        assertEq(credit.totalSupply(id), sum);
    }

    /// @notice Two retirements own the contiguous unit ranges [0, a - 1] and [a, a + b - 1]; nothing is retired twice.
    function testFuzz_retireRanges(uint256 quantity, uint256 a, uint256 b) public {
        uint128 q = uint128(bound(quantity, 2, 1e15));
        a = bound(a, 1, q - 1);
        b = bound(b, 1, q - a);
        uint256 id = _issue(_registerApproved(proponent, STANDARD, 0), 0, q, 0);

        vm.expectEmit(address(credit));
        emit ICarbonCredit.UnitsRetired(id, proponent, alice, a, 0, address(primitive));
        assertEq(primitive.retire(proponent, alice, id, a), 0, "first range starts at unit 0");
        vm.expectEmit(address(credit));
        emit ICarbonCredit.UnitsRetired(id, proponent, bob, b, a, address(primitive));
        assertEq(primitive.retire(proponent, bob, id, b), a, "second range starts after the first");

        assertEq(credit.retiredBalanceOf(alice, id), a);
        assertEq(credit.retiredBalanceOf(bob, id), b);
        assertEq(credit.supplyOf(id).retired, a + b);
        assertEq(credit.balanceOf(proponent, id), q - a - b);
        // The units left cannot be retired twice over.
        uint256 left = q - a - b;
        vm.expectRevert(
            abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, proponent, left, left + 1, id)
        );
        primitive.retire(proponent, alice, id, left + 1);
    }

    /// @notice Retired units count up from 0 and cancelled units down from the top: the two ranges never meet.
    function testFuzz_retiredAndCancelledUnitsDisjoint(uint256 quantity, uint256 bps, uint256 r, uint256 c) public {
        uint128 q = uint128(bound(quantity, 2, 1e15));
        uint256 projectId = _registerApproved(proponent, STANDARD, uint16(bound(bps, 1, 10_000)));
        uint256 id = _issue(projectId, 0, q, 0);
        uint256 buffer = credit.balanceOf(address(registry), id);
        uint256 tradable = credit.balanceOf(proponent, id);
        vm.assume(tradable != 0);
        r = bound(r, 1, tradable);
        c = bound(c, 1, buffer);

        uint256 firstRetired = primitive.retire(proponent, alice, id, r);
        vm.expectEmit(address(credit));
        emit ICarbonCredit.Cancelled(id, address(registry), c, q - c);
        registry.recordReversal(projectId, uint128(c), keccak256("fire"));

        assertEq(firstRetired, 0);
        assertLe(firstRetired + r, q - c, "a retired unit was also cancelled");
        ICarbonCredit.Supply memory s = credit.supplyOf(id);
        assertEq(s.retired, r);
        assertEq(s.cancelled, c);
        assertEq(uint256(s.issued), credit.totalSupply(id) + r + c);
    }

    /// @notice The buffer is ceil(quantity * bps / 10,000); the proponent gets the rest.
    function testFuzz_bufferRounding(uint256 quantity, uint256 bps) public {
        uint128 q = uint128(bound(quantity, 1, type(uint128).max));
        uint16 b = uint16(bound(bps, 0, 10_000));
        uint256 projectId = _registerApproved(proponent, STANDARD, b);
        uint256 id = _issue(projectId, 0, q, 0);

        uint256 buffer = credit.balanceOf(address(registry), id);
        uint256 exact = uint256(q) * b;
        // The smallest buffer whose 10,000 parts cover q * bps.
        assertGe(buffer * 10_000, exact, "buffer rounded down");
        if (buffer != 0) assertLt((buffer - 1) * 10_000, exact, "buffer more than rounded up");
        assertEq(buffer, (exact + 9_999) / 10_000);
        assertEq(credit.balanceOf(proponent, id) + buffer, q, "proponent + buffer != quantity");
        assertEq(registry.bufferBalance(projectId), buffer);
        assertEq(registry.getBatch(id).bufferRemaining, buffer);
        assertEq(credit.supplyOf(id).issued, q);
    }

    /// @notice A reversal cancels buffer units oldest batch first and leaves the rest owed; a later reversal
    /// continues where the last one stopped, and the next issuance's buffer pays the shortfall down.
    function testFuzz_reversalDrawsOldestBufferFirst(
        uint256 q1,
        uint256 q2,
        uint256 bps,
        uint256 amount,
        uint256 second
    ) public {
        uint256 projectId = _registerApproved(proponent, STANDARD, uint16(bound(bps, 1, 10_000)));
        uint256[2] memory ids;
        ids[0] = _issue(projectId, 0, uint128(bound(q1, 1, 1e12)), 0);
        ids[1] = _issue(projectId, 1e12, uint128(bound(q2, 1, 1e12)), 0);
        uint256[2] memory left;
        left[0] = credit.balanceOf(address(registry), ids[0]);
        left[1] = credit.balanceOf(address(registry), ids[1]);

        uint256 owed = _reverseAndCheck(projectId, ids, left, bound(amount, 1, left[0] + left[1] + 1e6));
        owed += _reverseAndCheck(projectId, ids, left, bound(second, 1, 1e6));

        uint256 id3 = _issue(projectId, 3e12, 1e6, 0);
        uint256 buffer3 = (1e6 * uint256(registry.getProject(projectId).bufferBps) + 9_999) / 10_000;
        uint256 repaid = owed < buffer3 ? owed : buffer3;
        assertEq(credit.supplyOf(id3).cancelled, repaid, "shortfall repaid from the fresh buffer");
        assertEq(credit.balanceOf(address(registry), id3), buffer3 - repaid);
        assertEq(registry.getProject(projectId).reversalShortfall, owed - repaid);
    }

    /// @notice A frozen sender, recipient or operator moves nothing, and a frozen holder or beneficiary retires
    /// nothing; after unfreezing, the same moves succeed.
    function testFuzz_frozenCannotMove(uint256 amount, uint256 who) public {
        uint256 id = _issue(_registerApproved(proponent, STANDARD, 0), 0, 1_000, 0);
        amount = bound(amount, 1, 500);
        who = bound(who, 0, 2);
        address frozenOne = who == 0
            ? proponent
            : who == 1
                ? alice
                : bob;
        vm.prank(proponent);
        credit.setApprovalForAll(bob, true);
        credit.freeze(frozenOne, keccak256("sanctions"));

        bytes memory err = abi.encodeWithSelector(ICarbonCredit.CarbonCreditAccountFrozen.selector, frozenOne);
        if (who != 2) {
            assertEq(
                uint8(credit.canTransfer(proponent, alice, id, amount)),
                uint8(who == 0 ? TransferStatus.SenderFrozen : TransferStatus.RecipientFrozen)
            );
        }
        vm.expectRevert(err);
        vm.prank(bob); // operator
        credit.safeTransferFrom(proponent, alice, id, amount, "");
        if (who != 2) {
            vm.expectRevert(err);
            vm.prank(proponent);
            credit.safeTransferFrom(proponent, alice, id, amount, "");
            vm.expectRevert(err);
            primitive.retire(proponent, alice, id, amount);
        }
        assertEq(credit.balanceOf(proponent, id), 1_000);
        assertEq(credit.balanceOf(alice, id), 0);
        assertEq(credit.supplyOf(id).retired, 0);

        credit.unfreeze(frozenOne, keccak256("cleared"));
        vm.prank(bob);
        credit.safeTransferFrom(proponent, alice, id, amount, "");
        primitive.retire(proponent, alice, id, amount);
        assertEq(credit.balanceOf(alice, id), amount);
        assertEq(credit.retiredBalanceOf(alice, id), amount);
    }

    /// @notice Nothing of a suspended batch moves or retires, and nothing at all moves while the token is paused;
    /// other batches are unaffected by a suspension.
    function testFuzz_suspendedOrPausedCannotMove(uint256 amount, bool pause) public {
        uint256 projectId = _registerApproved(proponent, STANDARD, 0);
        uint256 id = _issue(projectId, 0, 1_000, 0);
        uint256 other = _issue(projectId, 1_000, 1_000, 0);
        amount = bound(amount, 1, 1_000);
        bytes memory err;
        if (pause) {
            credit.pause();
            err = abi.encodeWithSelector(ICarbonCredit.EnforcedPause.selector);
        } else {
            registry.suspendBatch(id, keccak256("investigation"));
            err = abi.encodeWithSelector(ICarbonCredit.CarbonCreditBatchSuspended.selector, id);
        }

        vm.expectRevert(err);
        vm.prank(proponent);
        credit.safeTransferFrom(proponent, alice, id, amount, "");
        vm.expectRevert(err);
        primitive.retire(proponent, alice, id, amount);
        assertEq(credit.balanceOf(proponent, id), 1_000);
        assertEq(credit.supplyOf(id).retired, 0);

        if (!pause) {
            vm.prank(proponent);
            credit.safeTransferFrom(proponent, alice, other, amount, "");
            assertEq(credit.balanceOf(alice, other), amount);
            registry.reinstateBatch(id, keccak256("cleared"));
        } else {
            credit.unpause();
        }
        vm.prank(proponent);
        credit.safeTransferFrom(proponent, alice, id, amount, "");
        assertEq(credit.balanceOf(alice, id), amount);
    }

    /// @notice A batch transfer is refused as a whole when any of its ids is suspended, and conserves supply
    /// otherwise.
    function testFuzz_batchTransferChecksEveryId(uint256 a, uint256 b, uint256 suspendedIndex) public {
        uint256 projectId = _registerApproved(proponent, STANDARD, 0);
        uint256[] memory ids = new uint256[](2);
        ids[0] = _issue(projectId, 0, 1_000, 0);
        ids[1] = _issue(projectId, 1_000, 1_000, 0);
        uint256[] memory amounts = new uint256[](2);
        amounts[0] = bound(a, 0, 1_000);
        amounts[1] = bound(b, 0, 1_000);
        suspendedIndex = bound(suspendedIndex, 0, 2); // 2: none
        if (suspendedIndex < 2) {
            registry.suspendBatch(ids[suspendedIndex], keccak256("investigation"));
            vm.expectRevert(
                abi.encodeWithSelector(ICarbonCredit.CarbonCreditBatchSuspended.selector, ids[suspendedIndex])
            );
        }
        vm.prank(proponent);
        credit.safeBatchTransferFrom(proponent, alice, ids, amounts, "");

        for (uint256 i = 0; i < 2; ++i) {
            uint256 moved = suspendedIndex < 2 ? 0 : amounts[i];
            assertEq(credit.balanceOf(alice, ids[i]), moved);
            assertEq(credit.balanceOf(proponent, ids[i]), 1_000 - moved);
            assertEq(credit.totalSupply(ids[i]), 1_000);
        }
    }

    /// @dev Records a reversal and checks it drew `left` (the model of each batch's buffer) oldest first.
    /// @return owed What the buffer could not cover.
    function _reverseAndCheck(
        uint256 projectId,
        uint256[2] memory ids,
        uint256[2] memory left,
        uint256 amount
    ) private returns (uint256 owed) {
        uint256[2] memory cancelledBefore;
        for (uint256 i = 0; i < 2; ++i) cancelledBefore[i] = credit.supplyOf(ids[i]).cancelled;
        uint256 shortfallBefore = registry.getProject(projectId).reversalShortfall;

        registry.recordReversal(projectId, uint128(amount), keccak256("reversal"));

        owed = amount;
        for (uint256 i = 0; i < 2; ++i) {
            uint256 take = owed < left[i] ? owed : left[i];
            left[i] -= take;
            owed -= take;
            assertEq(credit.supplyOf(ids[i]).cancelled, cancelledBefore[i] + take, "not drawn oldest batch first");
            assertEq(credit.balanceOf(address(registry), ids[i]), left[i]);
        }
        assertEq(registry.getProject(projectId).reversalShortfall, shortfallBefore + owed, "shortfall");
        assertEq(registry.bufferBalance(projectId), left[0] + left[1]);
    }
}
