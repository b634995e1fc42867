// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";
import {IERC1155Errors, IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation} from "../../contracts/interfaces/ICarbonTypes.sol";
import {ClaimType, IRetirementRegistry} from "../../contracts/interfaces/IRetirementRegistry.sol";

import {RetirementHandler} from "./RetirementHandler.sol";
import {SuiteSetup} from "./SuiteSetup.sol";

/// @notice Handler-based invariant test of the retirement registry and its certificates against the handler's
/// reference model: monotonic retired balances, records that add up to the retired supply, contiguous unit ranges
/// mapped to serials, supply identity, consistent lookups and certificates, and no unexpected outcome.
contract RetirementInvariantsTest is SuiteSetup, Test {
    /// @dev The three linked lists of the retirement registry.
    enum List {
        Beneficiary,
        Retiree,
        Batch
    }

    // Flag bits of the handler's requests (see `RetirementHandler._newCall`).
    uint256 internal constant CERT = 1 << 6;
    uint256 internal constant COMMITMENT = 1 << 8;
    uint256 internal constant NO_NAME = 2 << 8;
    uint256 internal constant CONSUMPTION = 1 << 14;
    uint256 internal constant WITH_END = 1 << 15;
    uint256 internal constant REVOKE = 7 << 16;
    uint256 internal constant LEAVE = 5 << 16;
    uint256 internal constant MODE_COMPLIANCE = 16;
    uint256 internal constant MODE_NEUTRALITY = 18;
    uint256 internal constant MODE_NEUTRALITY_MISSING = 20;
    uint256 internal constant MODE_NDC = 21;
    uint256 internal constant MODE_CORSIA = 24;
    uint256 internal constant MODE_NAME_AND_COMMITMENT = 26;
    uint256 internal constant MODE_BAD_PERIOD = 27;
    uint256 internal constant MODE_EMPTY = 28;
    uint256 internal constant MODE_JUNK = 29;
    uint256 internal constant MODE_MISMATCH = 30;
    uint256 internal constant MODE_EXPLICIT = 31;
    // Amount words and batch bytes of the handler (see `_pickAmount` and `_pickEntryBatch`).
    uint256 internal constant ZERO = 30;
    uint256 internal constant OVER = 31;
    uint256 internal constant HUGE = 29;
    uint256 internal constant BATCH_ZERO = 31;
    uint256 internal constant BATCH_NEXT = 63;
    uint256 internal constant PERIODS = 3;
    uint256 internal constant PAGE_BENEFICIARY = 3;
    uint256 internal constant PAGE_RETIREE = 2;
    uint256 internal constant PAGE_BATCH = 4;

    RetirementHandler internal handler;
    address[] internal actors;

    /// @dev The action and counter `_mark` saw, for `_refused` and `_accepted`.
    RetirementHandler.Action private _markedAction;
    uint256 private _markedRejected;
    uint256 private _markedSucceeded;

    function setUp() public {
        _deploySuite();
        _deployRetirement();
        _grantOperatorRoles(address(this));
        methodologyId = _addMethodology(address(this));
        handler = new RetirementHandler(manager, registry, credit, retirement, certificate, methodologyId);
        manager.grantRole(Roles.REGISTRAR, address(handler), 0);
        manager.grantRole(Roles.VERIFIER, address(handler), 0);
        manager.grantRole(Roles.REGULATOR, address(handler), 0);
        manager.grantRole(Roles.PAUSER, address(handler), 0);
        registry.accreditVerifier(address(handler), methodologyId);
        for (uint256 i = 0; i < handler.actorCount(); ++i) actors.push(handler.actors(i));

        // One 4,000-unit batch per actor (3,600 tradable, 400 to the buffer pool); each actor then passes 1,000
        // units to each of the next two, so every actor holds three batches. Batch 1 is NDC and batch 2 OIMP
        // authorised with an applied adjustment.
        for (uint256 i = 0; i < 4; ++i) handler.issue(i, 4_000);
        for (uint256 i = 0; i < 4; ++i) {
            handler.transfer(i, i + 1, _b(i + 1), _words(1_000, 0, 0));
            handler.transfer(i, i + 2, _b(i + 1), _words(1_000, 0, 0));
        }
        handler.setArticle6(0, 0);
        handler.setArticle6(1, 4);

        // Duplicated selectors are drawn more often.
        bytes4[] memory selectors = new bytes4[](22);
        selectors[0] = RetirementHandler.retire.selector;
        selectors[1] = RetirementHandler.retire.selector;
        selectors[2] = RetirementHandler.retire.selector;
        selectors[3] = RetirementHandler.retireFrom.selector;
        selectors[4] = RetirementHandler.retireFrom.selector;
        selectors[5] = RetirementHandler.retireOnTransfer.selector;
        selectors[6] = RetirementHandler.retireOnTransfer.selector;
        selectors[7] = RetirementHandler.retireOnBatchTransfer.selector;
        selectors[8] = RetirementHandler.retireOnBatchTransfer.selector;
        selectors[9] = RetirementHandler.transfer.selector;
        selectors[10] = RetirementHandler.transfer.selector;
        selectors[11] = RetirementHandler.issue.selector;
        selectors[12] = RetirementHandler.freeze.selector;
        selectors[13] = RetirementHandler.unfreeze.selector;
        selectors[14] = RetirementHandler.suspend.selector;
        selectors[15] = RetirementHandler.reinstate.selector;
        selectors[16] = RetirementHandler.reinstate.selector;
        selectors[17] = RetirementHandler.pauseRetirement.selector;
        selectors[18] = RetirementHandler.unpauseRetirement.selector;
        selectors[19] = RetirementHandler.unpauseRetirement.selector;
        selectors[20] = RetirementHandler.setArticle6.selector;
        selectors[21] = RetirementHandler.setArticle6.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ================================================================ invariants

    /// @notice Retired balances never decrease, equal the model and add up to each batch's retired count.
    function invariant_retiredBalancesNeverDecrease() public view {
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            uint256 sum;
            for (uint256 i = 0; i < actors.length; ++i) {
                uint256 retired = credit.retiredBalanceOf(actors[i], id);
                assertGe(retired, handler.retiredBefore(actors[i], id), "retired balance decreased");
                assertEq(retired, handler.retiredOf(actors[i], id), "retired balance vs model");
                sum += retired;
            }
            assertEq(credit.retiredBalanceOf(address(retirement), id), 0, "the retirement registry is credited");
            assertEq(credit.retiredBalanceOf(address(registry), id), 0, "the buffer pool is credited");
            assertEq(sum, credit.supplyOf(id).retired, "retired counter != sum of retired balances");
        }
    }

    /// @notice Per batch, the amounts of its records (paged from the chain, and from the model) add up to its
    /// retired supply; every record equals the model's.
    function invariant_recordsSumToRetired() public view {
        uint256 records = handler.recordCount();
        assertEq(retirement.retirementCount(), records, "retirement count vs model");
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            (uint256[] memory ids, uint256 n) = _walk(List.Batch, address(0), id, PAGE_BATCH);
            _assertNewestFirst(ids, n, handler.idsOfBatch(id), "batch lookup vs model");
            uint256 chainSum;
            for (uint256 k = 0; k < n; ++k) {
                IRetirementRegistry.Retirement memory r = retirement.getRetirement(ids[k]);
                _assertRecord(ids[k], r);
                assertEq(r.batchId, id, "record of another batch");
                chainSum += r.amount;
            }
            uint256 modelSum;
            for (uint256 rid = 1; rid <= records; ++rid) {
                RetirementHandler.RecordModel memory m = handler.recordModel(rid);
                if (m.batchId == id) modelSum += m.amount;
            }
            uint256 retired = credit.supplyOf(id).retired;
            assertEq(chainSum, retired, "records != retired supply");
            assertEq(modelSum, retired, "model records != retired supply");
        }
    }

    /// @notice Per batch, records sorted by first unit tile `[0, retired)` exactly, and each maps to the serials
    /// `serialStart + unit range`.
    function invariant_unitRangesContiguous() public view {
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            (uint256[] memory ids, uint256 n) = _walk(List.Batch, address(0), id, PAGE_BATCH);
            uint256[] memory firsts = new uint256[](n);
            uint256[] memory amounts = new uint256[](n);
            for (uint256 k = 0; k < n; ++k) {
                IRetirementRegistry.Retirement memory r = retirement.getRetirement(ids[k]);
                (firsts[k], amounts[k]) = (r.firstUnit, r.amount);
            }
            _sortByFirstUnit(firsts, amounts, ids, n);
            uint256 serialStart = registry.getBatch(id).serialStart;
            assertEq(serialStart, handler.batchModel(id).serialStart, "serial start vs model");
            uint256 next;
            for (uint256 k = 0; k < n; ++k) {
                assertEq(firsts[k], next, "unit ranges not contiguous and disjoint");
                assertGt(amounts[k], 0, "empty record");
                (uint256 s, uint256 e) = retirement.serialRangeOf(ids[k]);
                assertEq(s, serialStart + firsts[k], "serial range start");
                assertEq(e, s + amounts[k] - 1, "serial range end");
                next += amounts[k];
            }
            ICarbonCredit.Supply memory supply = credit.supplyOf(id);
            assertEq(next, supply.retired, "unit ranges do not end at the retired count");
            assertLe(uint256(supply.retired) + supply.cancelled, supply.issued, "retired units reach cancelled ones");
        }
    }

    /// @notice Per batch, issued == Σ tradable (actors, buffer pool, retirement registry) + retired + cancelled,
    /// every balance equals the model, and the retirement registry keeps nothing.
    function invariant_supplyIdentity() public view {
        uint256 batches = handler.batchCount();
        (, , , uint256 chainBatches) = registry.counts();
        assertEq(chainBatches, batches, "batch count vs model");
        for (uint256 id = 1; id <= batches; ++id) {
            uint256 tradable;
            for (uint256 i = 0; i < actors.length; ++i) {
                uint256 balance = credit.balanceOf(actors[i], id);
                assertEq(balance, handler.tradableOf(actors[i], id), "actor balance vs model");
                tradable += balance;
            }
            uint256 pool = credit.balanceOf(address(registry), id);
            assertEq(pool, handler.tradableOf(address(registry), id), "buffer pool vs model");
            uint256 kept = credit.balanceOf(address(retirement), id);
            assertEq(kept, 0, "the retirement registry holds credits");
            tradable += pool + kept;
            ICarbonCredit.Supply memory s = credit.supplyOf(id);
            RetirementHandler.BatchModel memory m = handler.batchModel(id);
            assertEq(uint256(s.issued), tradable + s.retired + s.cancelled, "issued != tradable + retired + cancelled");
            assertEq(credit.totalSupply(id), tradable, "totalSupply != sum of balances");
            assertEq(s.issued, m.issued, "issued vs model");
            assertEq(s.retired, m.retired, "retired vs model");
            assertEq(s.cancelled, 0, "cancelled without a reversal");
        }
        assertFalse(credit.exists(batches + 1), "a batch the model does not know");
    }

    /// @notice Per actor, the beneficiary and retiree lookups list the model's ids newest first; totals, neutrality
    /// counters and certificates (count, owner, lock, absence when skipped) agree.
    function invariant_lookupsConsistent() public view {
        for (uint256 i = 0; i < actors.length; ++i) {
            address a = actors[i];
            uint256[] memory mine = handler.idsOfBeneficiary(a);
            (uint256[] memory ids, uint256 n) = _walk(List.Beneficiary, a, 0, PAGE_BENEFICIARY);
            _assertNewestFirst(ids, n, mine, "beneficiary lookup vs model");
            (ids, n) = _walk(List.Retiree, a, 0, PAGE_RETIREE);
            _assertNewestFirst(ids, n, handler.idsOfRetiree(a), "retiree lookup vs model");

            uint256 total;
            uint256 certified;
            uint256[5] memory byClaim;
            for (uint256 k = 0; k < mine.length; ++k) {
                RetirementHandler.RecordModel memory m = handler.recordModel(mine[k]);
                if (m.claimType != ClaimType.Compliance) total += m.amount;
                byClaim[uint8(m.claimType)] += m.amount;
                if (m.certified) {
                    ++certified;
                    assertEq(certificate.ownerOf(mine[k]), a, "certificate owner != beneficiary");
                    assertTrue(certificate.locked(mine[k]), "certificate not locked");
                } else {
                    _assertNoCertificate(mine[k]);
                }
            }
            assertEq(retirement.totalRetiredFor(a), total, "totalRetiredFor != sum of voluntary records");
            assertEq(handler.totalFor(a), total, "model total");
            for (uint8 t = 0; t < 5; ++t) {
                assertEq(retirement.totalRetiredByClaim(a, ClaimType(t)), byClaim[t], "totalRetiredByClaim != records");
                assertEq(handler.totalByClaim(a, ClaimType(t)), byClaim[t], "model total by claim");
            }
            assertEq(certificate.balanceOf(a), certified, "certificate balance != certified retirements");
            assertEq(retirement.certificatesOf(a), certified, "certificatesOf");
            assertEq(handler.certificateCount(a), certified, "model certificate count");
            for (uint64 p = 1; p <= PERIODS; ++p) {
                assertEq(retirement.retiredAgainst(a, p), handler.retiredAgainst(a, p), "retiredAgainst vs model");
            }
        }
        (uint256[] memory none, uint256 next) = retirement.retirementsByBeneficiary(actors[0], 0, 0);
        assertEq(none.length + next, 0, "a zero limit returns a page");
    }

    /// @notice No call had an outcome the model did not predict; restrictions and approvals equal the model.
    function invariant_noViolation() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(retirement.paused(), handler.retirementPaused(), "retirement pause vs model");
        for (uint256 i = 0; i < actors.length; ++i) {
            assertEq(credit.isFrozen(actors[i]), handler.frozen(actors[i]), "freeze vs model");
            for (uint256 j = 0; j < actors.length; ++j) {
                if (i == j) continue;
                assertEq(
                    credit.isApprovedForAll(actors[i], actors[j]),
                    handler.approved(actors[i], actors[j]),
                    "approval vs model"
                );
            }
        }
        uint256 batches = handler.batchCount();
        for (uint256 id = 1; id <= batches; ++id) {
            RetirementHandler.BatchModel memory m = handler.batchModel(id);
            ICarbonRegistry.Batch memory b = registry.getBatch(id);
            assertEq(credit.isSuspended(id), m.suspended, "suspension vs model");
            assertEq(uint8(b.authorisation), uint8(m.authorisation), "authorisation vs model");
            assertEq(uint8(b.adjustment), uint8(m.adjustment), "adjustment vs model");
        }
    }

    // ================================================================ the handler itself

    /// @notice Drives every handler action through its allowed and its refused branches with fixed inputs, checks
    /// each refusal's exact reason and the chain against the model after each step: the handler is proven.
    function test_handlerCoverage() public {
        _coverRetire();
        _coverClaims();
        _coverRetireFrom();
        _coverOnTransfer();
        _coverFreeze();
        _coverSuspensionAndPause();
        _coverIssueAndArticle6();

        assertEq(handler.violations(), 0, handler.lastViolation());
        for (uint256 a = 0; a <= uint256(type(RetirementHandler.Action).max); ++a) {
            RetirementHandler.Action action = RetirementHandler.Action(a);
            assertGt(handler.succeeded(action), 0, "an action never succeeded");
            assertGt(handler.rejected(action), 0, "an action was never rejected");
        }
    }

    /// @dev `retire`: one and several batches (one twice), and every malformed request and amount.
    function _coverRetire() private {
        (address a0, address a1) = (actors[0], actors[1]);
        // Actor 0 (1,600 of batch 1, 1,000 of batches 3 and 4) retires 100 of batch 1 for itself, certified.
        _mark(RetirementHandler.Action.Retire);
        handler.retire(0, 4, _seeds(1, _b(1), 0, 0), _words(100, 0, 0), CERT);
        _accepted();
        assertEq(retirement.getRetirement(1).firstUnit, 0);
        assertEq(certificate.ownerOf(1), a0);
        // Three retirements for actor 1, batch 1 twice: units [100, 150) and [150, 175) of batch 1.
        _mark(RetirementHandler.Action.Retire);
        handler.retire(0, 1, _seeds(3, _b(1), _b(4), _b(1)), _words(50, 200, 25), 0);
        _accepted();
        assertEq(retirement.getRetirement(4).firstUnit, 150);
        assertEq(credit.retiredBalanceOf(a1, 1), 75);
        assertEq(credit.retiredBalanceOf(a1, 4), 200);
        assertEq(certificate.balanceOf(a1), 0);

        _retireRefused(
            _seeds(1, _b(1), 0, 0),
            _words(10, 0, 0),
            MODE_EMPTY,
            _err(IRetirementRegistry.RetirementEmptyRequest.selector)
        );
        _retireRefused(
            _seeds(2, _b(1), _b(3), 0),
            _words(10, 10, 0),
            MODE_MISMATCH,
            abi.encodeWithSelector(IRetirementRegistry.RetirementLengthMismatch.selector, 2, 3)
        );
        _retireRefused(
            _seeds(2, _b(1), _b(3), 0),
            _words(10, 0, 0) | (ZERO << 16), // 10 units of batch 1, then zero of batch 3
            0,
            abi.encodeWithSelector(IRetirementRegistry.RetirementZeroAmount.selector, 3)
        );
        _retireRefused(
            _seeds(1, _b(3), 0, 0),
            HUGE,
            0,
            abi.encodeWithSelector(IRetirementRegistry.RetirementAmountTooLarge.selector, 3, 2 ** 64)
        );
        _retireRefused(
            _seeds(1, BATCH_ZERO, 0, 0),
            _words(1, 0, 0),
            0,
            abi.encodeWithSelector(IRetirementRegistry.RetirementUnknownBatch.selector, 0)
        );
        _retireRefused(
            _seeds(1, BATCH_NEXT, 0, 0),
            _words(1, 0, 0),
            0,
            abi.encodeWithSelector(IRetirementRegistry.RetirementUnknownBatch.selector, 5)
        );
        _retireRefused(_seeds(1, _b(3), 0, 0), OVER, 0, _balanceErr(a0, 1_000, 1_001, 3));
        // The second entry draws on what the first left: 400 of batch 3.
        _retireRefused(_seeds(2, _b(3), _b(3), 0), _words(600, 0, 0) | (OVER << 16), 0, _balanceErr(a0, 400, 401, 3));
    }

    /// @dev Claims: NDC and CORSIA on authorised and unauthorised batches, neutrality, naming and periods.
    function _coverClaims() private {
        (address a0, address a1, address a2) = (actors[0], actors[1], actors[2]);
        // Batch 1 is NDC authorised and adjusted, batch 2 OIMP: the matching claims go through.
        _mark(RetirementHandler.Action.Retire);
        handler.retire(0, 4, _seeds(1, _b(1), 0, 0), _words(10, 0, 0), MODE_NDC | CERT);
        _accepted();
        _mark(RetirementHandler.Action.Retire);
        handler.retire(1, 4, _seeds(1, _b(2), 0, 0), _words(10, 0, 0), MODE_CORSIA | CERT | COMMITMENT);
        _accepted();
        assertEq(uint8(retirement.getRetirement(6).claimType), uint8(ClaimType.CORSIA));
        _retireRefused(
            _seeds(1, _b(3), 0, 0),
            _words(10, 0, 0),
            MODE_NDC,
            abi.encodeWithSelector(
                IRetirementRegistry.RetirementClaimNotAuthorised.selector,
                3,
                ClaimType.NDC,
                Authorisation.None,
                Adjustment.NotApplicable
            )
        );
        _retireRefused(
            _seeds(1, _b(1), 0, 0),
            _words(10, 0, 0),
            MODE_CORSIA,
            abi.encodeWithSelector(
                IRetirementRegistry.RetirementClaimNotAuthorised.selector,
                1,
                ClaimType.CORSIA,
                Authorisation.NDC,
                Adjustment.Applied
            )
        );
        // Neutrality against actor 2's inventory (entity bits 10-11 = 2) of period 2 (period bits 12-13 = 1), with a
        // bounded consumption period; then a compliance claim with an open-ended one.
        _mark(RetirementHandler.Action.Retire);
        handler.retire(
            0,
            4,
            _seeds(1, _b(4), 0, 0),
            _words(40, 0, 0),
            MODE_NEUTRALITY | (2 << 10) | (1 << 12) | CONSUMPTION | WITH_END
        );
        _accepted();
        assertEq(retirement.retiredAgainst(a2, 2), 40);
        _mark(RetirementHandler.Action.Retire);
        handler.retire(0, 4, _seeds(1, _b(4), 0, 0), _words(1, 0, 0), MODE_COMPLIANCE | CONSUMPTION | NO_NAME);
        _accepted();

        _retireRefused(
            _seeds(1, _b(1), 0, 0),
            _words(10, 0, 0),
            MODE_NEUTRALITY_MISSING,
            abi.encodeWithSelector(IRetirementRegistry.RetirementMissingClaimTarget.selector, address(0), 1)
        );
        _retireRefused(
            _seeds(1, _b(1), 0, 0),
            _words(10, 0, 0),
            MODE_NEUTRALITY_MISSING | (1 << 10), // bit 10: the period is the missing target
            abi.encodeWithSelector(IRetirementRegistry.RetirementMissingClaimTarget.selector, a1, 0)
        );
        _retireRefused(
            _seeds(1, _b(1), 0, 0),
            _words(10, 0, 0),
            MODE_NAME_AND_COMMITMENT,
            _err(IRetirementRegistry.RetirementNameAndCommitment.selector)
        );
        _retireRefused(
            _seeds(1, _b(1), 0, 0),
            _words(10, 0, 0),
            MODE_BAD_PERIOD,
            abi.encodeWithSelector(
                IRetirementRegistry.RetirementInvalidConsumptionPeriod.selector,
                1_700_000_000,
                1_699_999_999
            )
        );
        assertEq(credit.retiredBalanceOf(a0, 4), 41);
    }

    /// @dev `retireFrom`: without approval, approved, approval left in place, for oneself, and a revoked one.
    function _coverRetireFrom() private {
        (address a0, address a1) = (actors[0], actors[1]);
        _retireFromRefused(
            1,
            0,
            REVOKE,
            abi.encodeWithSelector(IRetirementRegistry.RetirementNotApproved.selector, a0, a1)
        );
        // Actor 1, approved by actor 0, retires actor 0's units of batches 1 and 3 for itself.
        uint256 before = retirement.retirementCount();
        _mark(RetirementHandler.Action.RetireFrom);
        handler.retireFrom(1, 0, 1, _seeds(2, _b(1), _b(3), 0), _words(10, 20, 0), CERT);
        _accepted();
        IRetirementRegistry.Retirement memory r = retirement.getRetirement(before + 2);
        assertEq(r.retiree, a0);
        assertEq(r.beneficiary, a1);
        assertEq(certificate.ownerOf(before + 2), a1);
        _mark(RetirementHandler.Action.RetireFrom);
        handler.retireFrom(1, 0, 4, _seeds(1, _b(3), 0, 0), _words(5, 0, 0), LEAVE);
        _accepted();
        assertEq(retirement.getRetirement(before + 3).beneficiary, a0);
        // The holder itself needs no approval.
        _mark(RetirementHandler.Action.RetireFrom);
        handler.retireFrom(2, 2, 3, _seeds(1, _b(2), 0, 0), _words(5, 0, 0), REVOKE);
        _accepted();
        _retireFromRefused(1, 0, 0, _err(IRetirementRegistry.RetirementEmptyRequest.selector));
        _retireFromRefused(
            1,
            0,
            REVOKE,
            abi.encodeWithSelector(IRetirementRegistry.RetirementNotApproved.selector, a0, a1)
        );
    }

    /// @dev Retire-on-transfer, single and batch: empty and explicit requests, mismatches, bad data, amounts.
    function _coverOnTransfer() private {
        address a0 = actors[0];
        uint256 count = retirement.retirementCount();
        _mark(RetirementHandler.Action.RetireOnTransfer);
        handler.retireOnTransfer(0, 2, _seeds(1, _b(3), 0, 0), _words(30, 0, 0), CERT);
        _accepted();
        assertEq(retirement.getRetirement(count + 1).retiree, a0);
        assertEq(certificate.ownerOf(count + 1), actors[2]);
        _mark(RetirementHandler.Action.RetireOnTransfer);
        handler.retireOnTransfer(0, 4, _seeds(1, _b(4), 0, 0), _words(30, 0, 0), MODE_EXPLICIT);
        _accepted();
        _onTransferRefused(
            _b(3),
            _words(1, 0, 0),
            MODE_MISMATCH,
            _err(IRetirementRegistry.RetirementTransferMismatch.selector)
        );
        _onTransferRefused(
            _b(3),
            _words(1, 0, 0),
            MODE_EMPTY,
            _err(IRetirementRegistry.RetirementMalformedRequest.selector)
        );
        _onTransferRefused(
            _b(3),
            _words(1, 0, 0),
            MODE_JUNK,
            _err(IRetirementRegistry.RetirementMalformedRequest.selector)
        );
        _onTransferRefused(
            _b(3),
            ZERO,
            0,
            abi.encodeWithSelector(IRetirementRegistry.RetirementZeroAmount.selector, 3)
        );
        _onTransferRefused(
            BATCH_ZERO,
            ZERO,
            0,
            abi.encodeWithSelector(IRetirementRegistry.RetirementZeroAmount.selector, 0)
        );
        _onTransferRefused(BATCH_NEXT, _words(1, 0, 0), 0, _balanceErr(a0, 0, 1, 5));
        uint256 held = credit.balanceOf(a0, 3);
        _onTransferRefused(_b(3), OVER, 0, _balanceErr(a0, held, held + 1, 3));

        // Batch variant: three entries, batch 1 twice; then an explicit request, a mismatch and an invalid claim.
        _mark(RetirementHandler.Action.RetireOnBatchTransfer);
        handler.retireOnBatchTransfer(0, 4, _seeds(3, _b(1), _b(4), _b(1)), _words(5, 6, 7), CERT);
        _accepted();
        _mark(RetirementHandler.Action.RetireOnBatchTransfer);
        handler.retireOnBatchTransfer(0, 1, _seeds(2, _b(1), _b(3), 0), _words(5, 6, 0), MODE_EXPLICIT | CERT);
        _accepted();
        _batchRefused(
            _seeds(2, _b(1), _b(3), 0),
            MODE_MISMATCH,
            _err(IRetirementRegistry.RetirementTransferMismatch.selector)
        );
        _batchRefused(
            _seeds(2, _b(1), _b(3), 0),
            MODE_NAME_AND_COMMITMENT,
            _err(IRetirementRegistry.RetirementNameAndCommitment.selector)
        );
        _batchRefused(
            _seeds(2, _b(1), _b(3), 0),
            MODE_NDC,
            abi.encodeWithSelector(
                IRetirementRegistry.RetirementClaimNotAuthorised.selector,
                3,
                ClaimType.NDC,
                Authorisation.None,
                Adjustment.NotApplicable
            )
        );
        assertEq(credit.balanceOf(address(retirement), 1) + credit.balanceOf(address(retirement), 3), 0);
    }

    /// @dev A frozen holder, operator or beneficiary retires nothing, and a frozen proponent receives no issuance.
    function _coverFreeze() private {
        (address a0, address a1) = (actors[0], actors[1]);
        _mark(RetirementHandler.Action.Freeze);
        handler.freeze(1 + 4 * 7);
        _accepted();
        _mark(RetirementHandler.Action.Freeze);
        handler.freeze(1);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, a1, true));

        bytes memory frozen1 = abi.encodeWithSelector(ICarbonCredit.CarbonCreditAccountFrozen.selector, a1);
        // Actor 1 as holder (for actor 0), actor 1 as beneficiary (of actor 0), actor 1 as operator.
        _mark(RetirementHandler.Action.Retire);
        handler.retire(1, 0, _seeds(1, _b(2), 0, 0), _words(10, 0, 0), 0);
        _refused(frozen1);
        _retireRefusedFor(0, 1, _seeds(1, _b(1), 0, 0), 0, frozen1);
        _mark(RetirementHandler.Action.RetireFrom);
        handler.retireFrom(1, 0, 4, _seeds(1, _b(1), 0, 0), _words(10, 0, 0), 0);
        _refused(abi.encodeWithSelector(IRetirementRegistry.RetirementAccountFrozen.selector, a1));
        _mark(RetirementHandler.Action.RetireOnTransfer);
        handler.retireOnTransfer(1, 4, _seeds(1, _b(2), 0, 0), _words(10, 0, 0), 0);
        _refused(frozen1);
        _mark(RetirementHandler.Action.RetireOnTransfer);
        handler.retireOnTransfer(0, 1, _seeds(1, _b(1), 0, 0), _words(10, 0, 0), 0);
        _refused(frozen1);
        _mark(RetirementHandler.Action.RetireOnBatchTransfer);
        handler.retireOnBatchTransfer(0, 1, _seeds(2, _b(1), _b(3), 0), _words(10, 10, 0), 0);
        _refused(frozen1);
        _mark(RetirementHandler.Action.Transfer);
        handler.transfer(0, 1, _b(1), _words(10, 0, 0));
        _refused(frozen1);
        _mark(RetirementHandler.Action.Issue);
        handler.issue(1, 500);
        _refused(frozen1);

        _mark(RetirementHandler.Action.Unfreeze);
        handler.unfreeze(1);
        _accepted();
        _mark(RetirementHandler.Action.Unfreeze);
        handler.unfreeze(1);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, a1, false));
        _mark(RetirementHandler.Action.Transfer);
        handler.transfer(0, 1, _b(1), _words(10, 0, 0));
        _accepted();
        assertEq(credit.isFrozen(a0), false);
    }

    /// @dev A suspended batch is retired by no path; a paused registry retires nothing but credits still move.
    function _coverSuspensionAndPause() private {
        bytes memory suspended3 = abi.encodeWithSelector(ICarbonCredit.CarbonCreditBatchSuspended.selector, 3);
        _mark(RetirementHandler.Action.Suspend);
        handler.suspend(2 * 2 + 1);
        _accepted();
        _mark(RetirementHandler.Action.Suspend);
        handler.suspend(2 * 2);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditSuspensionUnchanged.selector, 3, true));
        _retireRefused(_seeds(2, _b(1), _b(3), 0), _words(5, 5, 0), 0, suspended3);
        _mark(RetirementHandler.Action.RetireOnBatchTransfer);
        handler.retireOnBatchTransfer(0, 4, _seeds(2, _b(1), _b(3), 0), _words(5, 5, 0), 0);
        _refused(suspended3);
        _mark(RetirementHandler.Action.Reinstate);
        handler.reinstate(2 * 2);
        _accepted();
        _mark(RetirementHandler.Action.Reinstate);
        handler.reinstate(2 * 2);
        _refused(abi.encodeWithSelector(ICarbonCredit.CarbonCreditSuspensionUnchanged.selector, 3, false));

        bytes memory paused = _err(Pausable.EnforcedPause.selector);
        _mark(RetirementHandler.Action.PauseRetirement);
        handler.pauseRetirement(7);
        _accepted();
        _mark(RetirementHandler.Action.PauseRetirement);
        handler.pauseRetirement(0);
        _refused(paused);
        _retireRefused(_seeds(1, _b(1), 0, 0), _words(5, 0, 0), 0, paused);
        _retireFromRefused(1, 0, 1, paused); // flags 1: a plain voluntary offset, approval granted
        _onTransferRefused(_b(1), _words(5, 0, 0), 0, paused);
        _batchRefused(_seeds(2, _b(1), _b(3), 0), 0, paused);
        _mark(RetirementHandler.Action.Transfer);
        handler.transfer(0, 2, _b(1), _words(10, 0, 0));
        _accepted();
        _mark(RetirementHandler.Action.UnpauseRetirement);
        handler.unpauseRetirement();
        _accepted();
        _mark(RetirementHandler.Action.UnpauseRetirement);
        handler.unpauseRetirement();
        _refused(_err(Pausable.ExpectedPause.selector));
    }

    /// @dev A new batch is issued and retired at once; Article 6 statuses switch NDC claims on, and are pinned once
    /// units are retired under them.
    function _coverIssueAndArticle6() private {
        _mark(RetirementHandler.Action.Issue);
        handler.issue(2 + 4 * 7, 1_000); // actor 2, after a gap of 7 serials
        _accepted();
        assertEq(registry.getBatch(5).serialStart, 16_007);
        _mark(RetirementHandler.Action.Retire);
        handler.retire(2, 4, _seeds(1, _b(5), 0, 0), _words(900, 0, 0), CERT);
        _accepted();
        (uint256 s, uint256 e) = retirement.serialRangeOf(retirement.retirementCount());
        assertEq(s, 16_007);
        assertEq(e, 16_906);

        _mark(RetirementHandler.Action.SetArticle6);
        handler.setArticle6(2, 7);
        _refused(
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistryInvalidArticle6.selector,
                Authorisation.None,
                Adjustment.Applied
            )
        );
        // Batch 3 has retired units: the status they were claimed under is pinned.
        _mark(RetirementHandler.Action.SetArticle6);
        handler.setArticle6(2, 3); // batch 3: NDC, adjustment pending
        _refused(
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistryArticle6Locked.selector,
                3,
                uint256(credit.supplyOf(3).retired),
                Authorisation.None,
                Adjustment.NotApplicable,
                Authorisation.NDC,
                Adjustment.Pending
            )
        );
        _mark(RetirementHandler.Action.Issue);
        handler.issue(0 + 4 * 3, 1_000); // batch 6 of actor 0, after a gap of 3 serials; nothing retired yet
        _accepted();
        _mark(RetirementHandler.Action.SetArticle6);
        handler.setArticle6(5, 3); // batch 6: NDC, adjustment pending
        _accepted();
        _retireRefused(
            _seeds(1, _b(6), 0, 0),
            _words(1, 0, 0),
            MODE_NDC,
            abi.encodeWithSelector(
                IRetirementRegistry.RetirementClaimNotAuthorised.selector,
                6,
                ClaimType.NDC,
                Authorisation.NDC,
                Adjustment.Pending
            )
        );
        _mark(RetirementHandler.Action.SetArticle6);
        handler.setArticle6(5, 0); // applied
        _accepted();
        _mark(RetirementHandler.Action.Retire);
        handler.retire(0, 4, _seeds(1, _b(6), 0, 0), _words(1, 0, 0), MODE_NDC);
        _accepted();
        // Units are now claimed as NDC use: the authorisation can no longer be withdrawn.
        _mark(RetirementHandler.Action.SetArticle6);
        handler.setArticle6(5, 6); // none
        _refused(
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistryArticle6Locked.selector,
                6,
                uint256(1),
                Authorisation.NDC,
                Adjustment.Applied,
                Authorisation.None,
                Adjustment.NotApplicable
            )
        );
    }

    // ================================================================ coverage helpers

    function _retireRefused(uint256 seeds, uint256 words, uint256 flags, bytes memory err) private {
        _mark(RetirementHandler.Action.Retire);
        handler.retire(0, 4, seeds, words, flags);
        _refused(err);
    }

    function _retireRefusedFor(
        uint256 actor,
        uint256 beneficiary,
        uint256 seeds,
        uint256 flags,
        bytes memory err
    ) private {
        _mark(RetirementHandler.Action.Retire);
        handler.retire(actor, beneficiary, seeds, _words(10, 0, 0), flags);
        _refused(err);
    }

    /// @dev Actor `operator` retires 10 units of actor `holder`'s batch 1 (an empty request with `flags` 0).
    function _retireFromRefused(uint256 operator, uint256 holder, uint256 flags, bytes memory err) private {
        _mark(RetirementHandler.Action.RetireFrom);
        uint256 seeds = flags == 0 ? 0 : _seeds(1, _b(1), 0, 0);
        handler.retireFrom(operator, holder, 4, seeds, _words(10, 0, 0), flags == 0 ? MODE_EMPTY : flags);
        _refused(err);
    }

    function _onTransferRefused(uint256 batchByte, uint256 words, uint256 flags, bytes memory err) private {
        _mark(RetirementHandler.Action.RetireOnTransfer);
        handler.retireOnTransfer(0, 4, _seeds(1, batchByte, 0, 0), words, flags);
        _refused(err);
    }

    function _batchRefused(uint256 seeds, uint256 flags, bytes memory err) private {
        _mark(RetirementHandler.Action.RetireOnBatchTransfer);
        handler.retireOnBatchTransfer(0, 4, seeds, _words(3, 4, 5), flags);
        _refused(err);
    }

    function _mark(RetirementHandler.Action action) private {
        _markedAction = action;
        _markedRejected = handler.rejected(action);
        _markedSucceeded = handler.succeeded(action);
    }

    function _accepted() private view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(handler.succeeded(_markedAction), _markedSucceeded + 1, "the call did not succeed");
        _assertModelMatches();
    }

    function _refused(bytes memory err) private view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        assertEq(handler.rejected(_markedAction), _markedRejected + 1, "the call was not refused");
        assertEq(handler.lastRejection(), err, "refused for another reason");
        _assertModelMatches();
    }

    function _assertModelMatches() private view {
        invariant_retiredBalancesNeverDecrease();
        invariant_recordsSumToRetired();
        invariant_unitRangesContiguous();
        invariant_supplyIdentity();
        invariant_lookupsConsistent();
        invariant_noViolation();
    }

    /// @dev The batch byte that selects batch `id` whoever holds it.
    function _b(uint256 id) private pure returns (uint256) {
        return 32 * (id - 1) + 28;
    }

    /// @dev `n` entries with batch bytes `e0`, `e1`, `e2`.
    function _seeds(uint256 n, uint256 e0, uint256 e1, uint256 e2) private pure returns (uint256) {
        return (n - 1) | (e0 << 8) | (e1 << 16) | (e2 << 24);
    }

    /// @dev Amount words that select exactly `x0`, `x1`, `x2` units (each within the holder's balance).
    function _words(uint256 x0, uint256 x1, uint256 x2) private pure returns (uint256) {
        return (32 * x0) | ((32 * x1) << 16) | ((32 * x2) << 32);
    }

    function _balanceErr(
        address from,
        uint256 balance,
        uint256 amount,
        uint256 id
    ) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, from, balance, amount, id);
    }

    // ================================================================ lookup helpers

    /// @dev Pages through a lookup `limit` ids at a time, checking each page's size and cursor; returns every id.
    function _walk(
        List list,
        address account,
        uint256 batchId,
        uint256 limit
    ) internal view returns (uint256[] memory all, uint256 n) {
        all = new uint256[](handler.recordCount());
        uint256 cursor;
        for (uint256 guard = 0; guard <= all.length; ++guard) {
            (uint256[] memory page, uint256 next) = _page(list, account, batchId, cursor, limit);
            assertLe(page.length, limit, "page longer than the limit");
            for (uint256 k = 0; k < page.length; ++k) {
                assertLt(n, all.length, "lookup longer than the records");
                all[n++] = page[k];
            }
            if (next == 0) return (all, n);
            assertEq(page.length, limit, "a page before the last is short");
            assertEq(next, page[page.length - 1], "next != the page's last id");
            cursor = next;
        }
        assertTrue(false, "lookup does not end");
    }

    function _page(
        List list,
        address account,
        uint256 batchId,
        uint256 cursor,
        uint256 limit
    ) internal view returns (uint256[] memory, uint256) {
        if (list == List.Beneficiary) return retirement.retirementsByBeneficiary(account, cursor, limit);
        if (list == List.Retiree) return retirement.retirementsByRetiree(account, cursor, limit);
        return retirement.retirementsByBatch(batchId, cursor, limit);
    }

    /// @dev `ids[0..n)` is `oldestFirst` reversed.
    function _assertNewestFirst(
        uint256[] memory ids,
        uint256 n,
        uint256[] memory oldestFirst,
        string memory what
    ) internal pure {
        assertEq(n, oldestFirst.length, what);
        for (uint256 k = 0; k < n; ++k) assertEq(ids[k], oldestFirst[oldestFirst.length - 1 - k], what);
    }

    function _assertRecord(uint256 rid, IRetirementRegistry.Retirement memory r) internal view {
        RetirementHandler.RecordModel memory m = handler.recordModel(rid);
        assertEq(r.batchId, m.batchId, "record batch");
        assertEq(r.amount, m.amount, "record amount");
        assertEq(r.firstUnit, m.firstUnit, "record first unit");
        assertEq(r.beneficiary, m.beneficiary, "record beneficiary");
        assertEq(r.retiree, m.retiree, "record retiree");
        assertEq(r.certified, m.certified, "record certified");
        assertEq(uint8(r.claimType), uint8(m.claimType), "record claim type");
        // The Article 6 status the units were retired under, whatever the batch's status became since.
        assertEq(uint8(r.authorisation), uint8(m.authorisation), "record authorisation");
        assertEq(uint8(r.adjustment), uint8(m.adjustment), "record adjustment");
    }

    /// @dev A retirement made without a certificate has none: `ownerOf` reverts with ERC721NonexistentToken.
    function _assertNoCertificate(uint256 rid) internal view {
        try certificate.ownerOf(rid) returns (address) {
            assertTrue(false, "a retirement without certificate has an owner");
        } catch (bytes memory err) {
            assertEq(err, abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, rid), "ownerOf");
        }
    }

    /// @dev Insertion sort of `firsts` (carrying `amounts` and `ids`): at most a few dozen records per batch.
    function _sortByFirstUnit(
        uint256[] memory firsts,
        uint256[] memory amounts,
        uint256[] memory ids,
        uint256 n
    ) internal pure {
        for (uint256 i = 1; i < n; ++i) {
            (uint256 f, uint256 a, uint256 id) = (firsts[i], amounts[i], ids[i]);
            uint256 j = i;
            while (j > 0 && firsts[j - 1] > f) {
                (firsts[j], amounts[j], ids[j]) = (firsts[j - 1], amounts[j - 1], ids[j - 1]);
                --j;
            }
            (firsts[j], amounts[j], ids[j]) = (f, a, id);
        }
    }
}
