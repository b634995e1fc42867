// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";

import {CreditHandler} from "./CreditHandler.sol";
import {SuiteSetup} from "./SuiteSetup.sol";

/// @notice Handler-based invariant test of the registry and credit token against the handler's reference model:
/// supply conservation (1), sorted disjoint serial ranges (2), monotonic retired balances (3) and restrictions (5).
contract CreditInvariantsTest is SuiteSetup, Test {
    CreditHandler internal handler;
    address[] internal holders;

    function setUp() public {
        _deploySuite();
        _grantOperatorRoles(address(this));
        methodologyId = _addMethodology(address(this));
        _bindRetirementPrimitive();
        handler = new CreditHandler(manager, registry, credit, methodologyId);
        _grantOperatorRoles(address(handler));
        registry.accreditVerifier(address(handler), methodologyId);
        for (uint256 i = 0; i < handler.actorCount(); ++i) holders.push(handler.actors(i));
        holders.push(address(registry));

        // One project per actor with different buffer shares (seed: actor + 4 * buffer choice), so movements have
        // material from the first call.
        handler.issue(0 + 4 * 2, 5_000); // 20% buffer
        handler.issue(1 + 4 * 4, 4_000); // 100% buffer: all to the pool
        handler.issue(2 + 4 * 1, 3_001); // 0.01% buffer: rounds up to 1
        handler.issue(3 + 4 * 3, 2_999); // 33.33% buffer
        handler.issue(0, 1_500);

        // Duplicated selectors are drawn more often: issuance, transfers and retirements get three shares each.
        bytes4[] memory selectors = new bytes4[](19);
        selectors[0] = CreditHandler.issue.selector;
        selectors[1] = CreditHandler.transfer.selector;
        selectors[2] = CreditHandler.retire.selector;
        selectors[3] = CreditHandler.freeze.selector;
        selectors[4] = CreditHandler.unfreeze.selector;
        selectors[5] = CreditHandler.suspend.selector;
        selectors[6] = CreditHandler.reinstate.selector;
        selectors[7] = CreditHandler.reversal.selector;
        selectors[8] = CreditHandler.pauseCredit.selector;
        selectors[9] = CreditHandler.unpauseCredit.selector;
        selectors[10] = CreditHandler.pauseRegistry.selector;
        selectors[11] = CreditHandler.unpauseRegistry.selector;
        selectors[12] = CreditHandler.issue.selector;
        selectors[13] = CreditHandler.transfer.selector;
        selectors[14] = CreditHandler.transfer.selector;
        selectors[15] = CreditHandler.retire.selector;
        selectors[16] = CreditHandler.retire.selector;
        selectors[17] = CreditHandler.operatorTransfer.selector;
        selectors[18] = CreditHandler.issue.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ================================================================ invariants

    /// @notice Invariant 1: per batch, issued == Σ tradable + retired + cancelled, every counter equal to the model.
    function invariant_supplyConserved() public view {
        uint256 batches = handler.batchCount();
        (, , , uint256 chainBatches) = registry.counts();
        assertEq(chainBatches, batches, "batch count");
        for (uint256 id = 1; id <= batches; ++id) {
            ICarbonCredit.Supply memory s = credit.supplyOf(id);
            CreditHandler.BatchModel memory m = handler.batchModel(id);
            uint256 tradable;
            for (uint256 i = 0; i < holders.length; ++i) {
                uint256 balance = credit.balanceOf(holders[i], id);
                assertEq(balance, handler.tradableOf(holders[i], id), "tradable balance vs model");
                tradable += balance;
            }
            assertEq(uint256(s.issued), tradable + s.retired + s.cancelled, "issued != tradable + retired + cancelled");
            assertEq(credit.totalSupply(id), tradable, "totalSupply != sum of balances");
            assertEq(s.issued, m.issued, "issued vs model");
            assertEq(s.retired, m.retired, "retired vs model");
            assertEq(s.cancelled, m.cancelled, "cancelled vs model");
        }
        assertFalse(credit.exists(batches + 1), "a batch the model does not know");
    }

    /// @notice Invariant 2: the namespace's serial ranges are sorted, disjoint and exactly the model's batches.
    function invariant_serialRangesSortedAndDisjoint() public view {
        bytes32 ns = handler.namespace();
        uint256 batches = handler.batchCount();
        (uint256[] memory ids, uint256 next) = registry.serialRanges(ns, 0, 1_000);
        ICarbonRegistry.Namespace memory n = registry.getNamespace(ns);
        assertEq(next, 0, "list longer than a page");
        assertEq(ids.length, batches, "list length vs model");
        assertEq(n.count, batches, "namespace count vs model");
        bool[] memory seen = new bool[](batches + 1);
        for (uint256 i = 0; i < ids.length; ++i) {
            ICarbonRegistry.Batch memory b = registry.getBatch(ids[i]);
            CreditHandler.BatchModel memory m = handler.batchModel(ids[i]);
            assertFalse(seen[ids[i]], "batch listed twice");
            seen[ids[i]] = true;
            assertEq(b.serialStart, m.serialStart, "serial start vs model");
            assertEq(b.serialEnd, m.serialEnd, "serial end vs model");
            assertLe(b.serialStart, b.serialEnd, "inverted range");
            if (i > 0) {
                assertGt(b.serialStart, registry.getBatch(ids[i - 1]).serialEnd, "ranges not sorted and disjoint");
            }
        }
        if (batches != 0) {
            assertEq(n.head, ids[0], "head");
            assertEq(n.tail, ids[ids.length - 1], "tail");
        }
    }

    /// @notice Invariant 3: retired balances never decrease, equal the model and add up to the batch's retired count.
    function invariant_retiredBalancesNeverDecrease() public view {
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            uint256 sum;
            for (uint256 i = 0; i < handler.actorCount(); ++i) {
                address a = holders[i];
                uint256 retired = credit.retiredBalanceOf(a, id);
                assertGe(retired, handler.retiredBefore(a, id), "retired balance decreased");
                assertEq(retired, handler.retiredOf(a, id), "retired balance vs model");
                sum += retired;
            }
            assertEq(credit.retiredBalanceOf(address(registry), id), 0, "the pool never retires");
            assertEq(sum, credit.supplyOf(id).retired, "retired counter != sum of retired balances");
        }
    }

    /// @notice The buffer pool holds exactly each batch's uncancelled buffer; shortfalls match the model.
    function invariant_bufferPoolMatches() public view {
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            uint256 remaining = registry.getBatch(id).bufferRemaining;
            assertEq(credit.balanceOf(address(registry), id), remaining, "pool balance != bufferRemaining");
            assertEq(remaining, handler.batchModel(id).bufferRemaining, "bufferRemaining vs model");
        }
        for (uint256 i = 0; i < handler.projectCount(); ++i) {
            uint256 projectId = handler.projects(i);
            assertEq(registry.bufferBalance(projectId), handler.bufferAvailable(projectId), "bufferBalance vs model");
            assertEq(
                registry.getProject(projectId).reversalShortfall,
                handler.shortfallOf(projectId),
                "shortfall vs model"
            );
        }
    }

    /// @notice Invariant 5: no call moved credits the model forbids (frozen, suspended, paused, over balance), no
    /// allowed call reverted, and the restriction flags equal the model.
    function invariant_restrictionsHold() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(credit.paused(), handler.creditPaused(), "credit pause vs model");
        assertEq(registry.paused(), handler.registryPaused(), "registry pause vs model");
        for (uint256 i = 0; i < handler.actorCount(); ++i) {
            assertEq(credit.isFrozen(holders[i]), handler.frozen(holders[i]), "freeze vs model");
        }
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            assertEq(credit.isSuspended(id), handler.batchModel(id).suspended, "suspension vs model");
        }
    }

    // ================================================================ the handler itself

    /// @notice Drives every handler action through its allowed and its forbidden branches with fixed inputs, and
    /// checks the chain against the model after each step: the handler logic is proven, not just exercised.
    function test_handlerCoverage() public {
        _coverMovements();
        _coverFreeze();
        _coverSuspensionAndReversals();
        _coverPauses();

        // Serial modes: inside an existing range (overlap), anywhere, with every hint mode.
        for (uint256 hintMode = 0; hintMode < 3; ++hintMode) {
            handler.issue(2 + 20 * 3 + 80 * hintMode + 240 * 7, 50); // mode 3: always overlaps
            handler.issue(3 + 20 * 2 + 80 * hintMode + 240 * 1_234_567, 50); // mode 2: a gap or an overlap
        }
        _assertModelMatches();
        // Two pauses and three certain overlaps were refused.
        assertGe(handler.rejected(CreditHandler.Action.Issue), 5);

        assertEq(handler.violations(), 0, handler.lastViolation());
        for (uint256 a = 0; a <= uint256(type(CreditHandler.Action).max); ++a) {
            CreditHandler.Action action = CreditHandler.Action(a);
            assertGt(handler.succeeded(action), 0, "an action never succeeded");
            assertGt(handler.rejected(action), 0, "an action was never rejected");
        }
    }

    /// @dev Transfers and retirements: allowed, over balance, zero, to the registry and from the buffer pool.
    function _coverMovements() private {
        address a0 = holders[0];
        address a1 = holders[1];
        // Batch 1 (actor 0, 20% buffer): 4,000 tradable. Transfer 800 (raw = 8 * n + 2 selects n).
        uint256 balance0 = handler.tradableOf(a0, 1);
        assertEq(balance0, 4_000);
        handler.transfer(0, 1, 0, 8 * 800 + 2);
        _assertModelMatches();
        assertEq(credit.balanceOf(a1, 1), 800);
        assertEq(credit.balanceOf(a0, 1), 3_200);

        // Over balance and to the registry: rejected.
        handler.transfer(0, 1, 0, 8 * 5 + 7); // raw % 8 == 7: balance + 1 + 5
        handler.transfer(0, 4, 0, 8 * 9 + 2); // to the registry
        assertEq(handler.rejected(CreditHandler.Action.Transfer), 2);

        // Retire twice: unit ranges contiguous from 0.
        handler.retire(1, 2, 0, 8 * 100 + 2); // 100 of actor 1's units for actor 2
        handler.retire(0, 2, 0, 8 * 50 + 2); // 50 of actor 0's units
        assertEq(credit.retiredBalanceOf(holders[2], 1), 150);
        assertEq(credit.supplyOf(1).retired, 150);
        handler.retire(0, 0, 0, 6); // raw % 8 == 6: zero amount, rejected
        // Buffer-pool units are never retired (holder seed 15 selects the registry).
        handler.retire(15, 0, 0, 8 * 10 + 2);
        assertEq(handler.rejected(CreditHandler.Action.Retire), 2);
        _assertModelMatches();
    }

    /// @dev A frozen account sends, receives, retires, is credited and operates nothing.
    function _coverFreeze() private {
        address a1 = holders[1];

        // Freeze actor 1: it can neither send, receive, retire nor be a beneficiary.
        handler.freeze(1 + 4 * 3);
        assertTrue(credit.isFrozen(a1));
        handler.transfer(1, 0, 0, 8 * 9 + 2);
        handler.transfer(0, 1, 0, 8 * 9 + 2);
        handler.retire(1, 0, 0, 8 * 9 + 2);
        handler.retire(0, 1, 0, 8 * 9 + 2);
        handler.freeze(1); // already frozen
        handler.issue(1 + 4 * 4, 100); // actor 1's project has a 100% buffer: issuance still allowed
        handler.unfreeze(1);
        handler.unfreeze(1); // not frozen
        assertEq(handler.rejected(CreditHandler.Action.Transfer), 4);
        assertEq(handler.rejected(CreditHandler.Action.Retire), 4);
        assertEq(handler.rejected(CreditHandler.Action.Freeze), 1);
        assertEq(handler.rejected(CreditHandler.Action.Unfreeze), 1);
        _assertModelMatches();

        // An approved operator moves actor 0's units to actor 3, but not while it is frozen itself.
        handler.operatorTransfer(0, 2, 3, 0, 8 * 10 + 2);
        assertEq(credit.balanceOf(holders[3], 1), 10);
        handler.freeze(2 + 4 * 3);
        handler.operatorTransfer(0, 2, 3, 0, 8 * 10 + 2);
        handler.unfreeze(2);
        assertEq(handler.succeeded(CreditHandler.Action.OperatorTransfer), 1);
        assertEq(handler.rejected(CreditHandler.Action.OperatorTransfer), 1);
        _assertModelMatches();
    }

    /// @dev A suspended batch does not move; reversals draw buffers oldest first and leave a shortfall.
    function _coverSuspensionAndReversals() private {
        // Suspend batch 1: nothing moves; reinstate.
        handler.suspend(1);
        handler.transfer(0, 1, 0, 8 * 9 + 2);
        handler.retire(0, 1, 0, 8 * 9 + 2);
        handler.suspend(1); // already suspended
        handler.reinstate(1);
        handler.reinstate(1); // not suspended
        handler.transfer(0, 1, 0, 8 * 9 + 2); // moves again
        assertEq(handler.rejected(CreditHandler.Action.Suspend), 1);
        assertEq(handler.rejected(CreditHandler.Action.Reinstate), 1);
        _assertModelMatches();

        // Reversals on project 1 (batches 1 and 5, buffers 1,000 and 300): oldest first, then shortfall.
        handler.reversal(0, 1_201);
        assertEq(credit.balanceOf(address(registry), 1), 0);
        assertEq(credit.balanceOf(address(registry), 5), 99);
        handler.reversal(0, 500);
        assertEq(registry.getProject(1).reversalShortfall, 401);
        handler.reversal(0, 15); // amount % 16 == 15 selects zero: rejected
        // The next issuance of project 1 pays the shortfall down from its fresh buffer.
        handler.issue(0, 1_000); // buffer 200, all repaid
        assertEq(registry.getProject(1).reversalShortfall, 201);
        _assertModelMatches();
    }

    /// @dev A paused token moves nothing; a paused registry changes nothing but tokens still move.
    function _coverPauses() private {
        // Pause the token: no transfer, retirement, issuance or buffer cancellation.
        handler.pauseCredit(3);
        handler.pauseCredit(0); // already paused
        handler.transfer(0, 1, 0, 8 * 9 + 2);
        handler.retire(0, 1, 0, 8 * 9 + 2);
        handler.issue(2, 500);
        handler.reversal(2, 8 * 9 + 2);
        handler.unpauseCredit();
        handler.unpauseCredit(); // not paused
        assertEq(handler.rejected(CreditHandler.Action.PauseCredit), 1);
        assertEq(handler.rejected(CreditHandler.Action.UnpauseCredit), 1);
        _assertModelMatches();

        // Pause the registry: no issuance, reversal or suspension; tokens still move.
        handler.pauseRegistry(3);
        handler.pauseRegistry(0); // already paused
        handler.issue(3, 500);
        handler.reversal(3, 8 * 9 + 2);
        handler.suspend(1);
        handler.transfer(0, 1, 0, 8 * 9 + 2);
        handler.unpauseRegistry();
        handler.unpauseRegistry();
        assertEq(handler.rejected(CreditHandler.Action.PauseRegistry), 1);
        assertEq(handler.rejected(CreditHandler.Action.UnpauseRegistry), 1);
        _assertModelMatches();
    }

    function _assertModelMatches() private view {
        invariant_supplyConserved();
        invariant_serialRangesSortedAndDisjoint();
        invariant_retiredBalancesNeverDecrease();
        invariant_bufferPoolMatches();
        invariant_restrictionsHold();
    }
}
