// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation} from "../../contracts/interfaces/ICarbonTypes.sol";

import {OutcomeLedger} from "./OutcomeLedger.sol";
import {SuiteSetup} from "./SuiteSetup.sol";

/// @dev The guardian's switch that every pausable module of the suite exposes.
interface IPausableModule {
    function pause() external;

    function unpause() external;
}

/**
 * @title CreditModel
 * @notice The reference model of the registry and credit token that the credit, retirement and whole-suite handlers
 * share: batches with their serial ranges, supply counters and buffers, projects and their reversal shortfalls,
 * tradable and retired balances, Article 6 statuses, freezes, suspensions and pauses (the retirement registry's too);
 * and the actions on that state alone (issue, freeze, unfreeze, suspend, reinstate, reversal, pause and unpause), each
 * predicting the chain's outcome. The handlers pass their own action ids (their `Action` enum cast to `uint256`) so
 * that outcomes are counted per handler action.
 */
abstract contract CreditModel is OutcomeLedger, SuiteSetup, StdCheats, StdUtils {
    /// @notice The model of one issued batch.
    struct BatchModel {
        uint256 projectId;
        address proponent;
        uint128 serialStart;
        uint128 serialEnd;
        uint128 issued;
        uint128 retired;
        uint128 cancelled;
        uint128 bufferRemaining;
        bool suspended;
        /// @dev The Article 6 status, as issued (None, NotApplicable) unless a handler sets it.
        Authorisation authorisation;
        Adjustment adjustment;
    }

    /// @notice One issuance attempt.
    struct IssueCall {
        address proponent;
        uint256 projectId;
        uint256 reportId;
        uint128 start;
        uint128 end;
    }

    /// @notice Thrown when a helper meant for the handler's own try/catch is called from outside.
    error HandlerOnlySelf();

    uint256 internal constant ACTORS = 4;

    address[] public actors;

    // ---------------------------------------------------------------- the model
    uint256[] public projects;
    mapping(address proponent => uint256 projectId) public projectOf;
    mapping(uint256 projectId => uint16) public bufferBpsOf;
    mapping(uint256 projectId => uint256[]) internal _projectBatches;
    mapping(uint256 projectId => uint128) public shortfallOf;
    uint256 public batchCount;
    uint128 public serialTop;
    mapping(uint256 batchId => BatchModel) internal _batches;
    mapping(address account => mapping(uint256 id => uint256)) public tradableOf;
    mapping(address account => mapping(uint256 id => uint256)) public retiredOf;
    mapping(address account => bool) public frozen;
    bool public creditPaused;
    bool public registryPaused;
    bool public retirementPaused;

    // ---------------------------------------------------------------- ghosts
    /// @notice Chain retired balances as they were before the latest action (invariant 3 compares against them).
    mapping(address account => mapping(uint256 id => uint256)) public retiredBefore;

    /// @dev Snapshots every actor's chain retired balance before the action runs (only actors are beneficiaries).
    modifier snapshotRetired() {
        for (uint256 id = 1; id <= batchCount; ++id) {
            for (uint256 i = 0; i < ACTORS; ++i) retiredBefore[actors[i]][id] = credit.retiredBalanceOf(actors[i], id);
        }
        _;
    }

    /// @notice The serial namespace of the model's standard (0 before its first project registers it).
    function namespace() public view returns (bytes32) {
        uint256 standardId = registry.standardIdOf(STANDARD);
        return standardId == 0 ? bytes32(0) : registry.namespaceOf(standardId);
    }

    /// @notice Registers and approves `proponent`'s project if it has none, then submits and verifies a report.
    /// @dev External only so that an issuance can catch a revert of the pipeline; callable by the handler alone.
    function prepareReport(
        address proponent,
        uint16 bufferBps,
        uint128 serialStart,
        uint128 quantity
    ) external returns (uint256 projectId, uint256 reportId) {
        if (msg.sender != address(this)) revert HandlerOnlySelf();
        projectId = projectOf[proponent];
        if (projectId == 0) {
            projectId = _registerApproved(proponent, STANDARD, bufferBps);
            projectOf[proponent] = projectId;
            bufferBpsOf[projectId] = bufferBps;
            projects.push(projectId);
        }
        reportId = _submitVerified(projectId, serialStart, quantity);
    }

    /// @notice The number of actors.
    function actorCount() external pure returns (uint256) {
        return ACTORS;
    }

    /// @notice The number of projects registered.
    function projectCount() external view returns (uint256) {
        return projects.length;
    }

    /// @notice The model of batch `id`.
    function batchModel(uint256 id) external view returns (BatchModel memory) {
        return _batches[id];
    }

    /// @notice The model's uncancelled buffer of a project.
    function bufferAvailable(uint256 projectId) external view returns (uint256) {
        return _bufferAvailable(projectId);
    }

    // ================================================================ actions on the registry and the token

    /**
     * @dev Issues `quantity` units with serials from `start` to `c.proponent` (registering its project with
     * `bufferBps` on first use). A paused registry refuses before any report. The model's neighbours are checked
     * against `findSerialHint`; the hint sent: mode 0 the exact one, 1 none, 2 a stale but valid one picked by `r`
     * (else none).
     */
    function _issue(
        uint256 action,
        IssueCall memory c,
        uint128 quantity,
        uint16 bufferBps,
        uint256 hintMode,
        uint256 r
    ) internal {
        if (registryPaused) {
            (bool paused, bytes memory err) = _callIssue(1, 0);
            _recordOutcome(action, paused, err, _err(Pausable.EnforcedPause.selector));
            return;
        }
        c.end = c.start + quantity - 1;
        try this.prepareReport(c.proponent, bufferBps, c.start, quantity) returns (uint256 p, uint256 reportId) {
            (c.projectId, c.reportId) = (p, reportId);
        } catch (bytes memory err) {
            _recordViolation(action, "MRV pipeline reverted", err);
            return;
        }
        (uint256 prev, uint256 clash) = _modelNeighbours(c.start, c.end);
        (uint256 hint, uint256 chainClash) = registry.findSerialHint(namespace(), c.start, c.end);
        if (hint != prev || chainClash != clash) _recordViolation(action, "findSerialHint disagrees with model", "");
        hint = _hintFor(hintMode, r, hint, c.start);

        bytes memory expected;
        if (clash != 0) expected = _overlapError(c.start, c.end, clash);
        else if (creditPaused) expected = _err(ICarbonCredit.EnforcedPause.selector);
        else if (frozen[c.proponent] && quantity != _bufferOf(quantity, bufferBpsOf[c.projectId])) {
            expected = _frozenError(c.proponent);
        }

        (bool ok, bytes memory ret) = _callIssue(c.reportId, hint);
        if (_recordOutcome(action, ok, ret, expected)) {
            if (abi.decode(ret, (uint256)) != batchCount + 1) _recordViolation(action, "unexpected batch id", ret);
            _recordIssue(c);
        }
    }

    /// @dev The regulator freezes (`freeze`) or unfreezes `account`. Freezing stays open while the token is paused;
    /// unfreezing waits for the unpause.
    function _setFrozen(uint256 action, address account, bool freeze) internal {
        bytes memory expected;
        if (!freeze && creditPaused) expected = _err(ICarbonCredit.EnforcedPause.selector);
        else if (frozen[account] == freeze) expected = _freezeUnchanged(account, freeze);
        (bool ok, bytes memory ret) = (true, bytes(""));
        if (freeze) {
            try credit.freeze(account, keccak256("freeze")) {} catch (bytes memory err) {
                (ok, ret) = (false, err);
            }
        } else {
            try credit.unfreeze(account, keccak256("unfreeze")) {} catch (bytes memory err) {
                (ok, ret) = (false, err);
            }
        }
        if (_recordOutcome(action, ok, ret, expected)) frozen[account] = freeze;
    }

    /// @dev The registrar suspends (`suspend`) or reinstates batch `id`. Suspending only tightens, so it stays open
    /// while the registry or the credit token is paused; reinstating is refused by either.
    function _setSuspended(uint256 action, uint256 id, bool suspend) internal {
        bytes memory expected;
        if (registryPaused && !suspend) expected = _err(Pausable.EnforcedPause.selector);
        else if (!suspend && creditPaused) expected = _err(ICarbonCredit.EnforcedPause.selector);
        else if (_batches[id].suspended == suspend) expected = _suspensionUnchanged(id, suspend);
        (bool ok, bytes memory ret) = (true, bytes(""));
        if (suspend) {
            try registry.suspendBatch(id, keccak256("investigation")) {} catch (bytes memory err) {
                (ok, ret) = (false, err);
            }
        } else {
            try registry.reinstateBatch(id, keccak256("cleared")) {} catch (bytes memory err) {
                (ok, ret) = (false, err);
            }
        }
        if (_recordOutcome(action, ok, ret, expected)) _batches[id].suspended = suspend;
    }

    /// @dev The registrar records a reversal of `owed` units on a project: cancelled from its buffer (whatever the
    /// freezes and suspensions), oldest batch first; what the buffer cannot cover stays owed.
    function _reversal(uint256 action, uint256 projectId, uint128 owed) internal {
        bytes memory expected;
        if (registryPaused) expected = _err(Pausable.EnforcedPause.selector);
        else if (owed == 0) expected = _err(ICarbonRegistry.CarbonRegistryZeroReversal.selector);
        else if (_bufferAvailable(projectId) != 0 && creditPaused) {
            expected = _err(ICarbonCredit.EnforcedPause.selector);
        }
        try registry.recordReversal(projectId, owed, keccak256("fire")) {
            if (_recordOutcome(action, true, "", expected)) _recordReversal(projectId, owed);
        } catch (bytes memory err) {
            _recordOutcome(action, false, err, expected);
        }
    }

    /**
     * @dev The guardian calls `pause()` (`pause`) or `unpause()` on `target`, whose state the model holds as
     * `paused`; a call that would not change it must revert with `refusal`.
     * @return changed True when the call succeeded as predicted, so the caller flips its flag.
     */
    function _setPaused(
        uint256 action,
        address target,
        bool pause,
        bool paused,
        bytes memory refusal
    ) internal returns (bool changed) {
        (bool ok, bytes memory ret) = (true, bytes(""));
        if (pause) {
            try IPausableModule(target).pause() {} catch (bytes memory err) {
                (ok, ret) = (false, err);
            }
        } else {
            try IPausableModule(target).unpause() {} catch (bytes memory err) {
                (ok, ret) = (false, err);
            }
        }
        return _recordOutcome(action, ok, ret, pause == paused ? refusal : bytes(""));
    }

    /// @dev Pauses or unpauses the credit token and the registry (their refusals differ).
    function _setCreditPaused(uint256 action, bool pause) internal {
        bytes memory refusal = _err(
            pause ? ICarbonCredit.EnforcedPause.selector : ICarbonCredit.ExpectedPause.selector
        );
        if (_setPaused(action, address(credit), pause, creditPaused, refusal)) creditPaused = pause;
    }

    function _setRegistryPaused(uint256 action, bool pause) internal {
        bytes memory refusal = _err(pause ? Pausable.EnforcedPause.selector : Pausable.ExpectedPause.selector);
        if (_setPaused(action, address(registry), pause, registryPaused, refusal)) registryPaused = pause;
    }

    /// @dev Pauses or unpauses the retirement registry (deployed by the handlers that drive retirements).
    function _setRetirementPaused(uint256 action, bool pause) internal {
        bytes4 refusal = pause ? Pausable.EnforcedPause.selector : Pausable.ExpectedPause.selector;
        if (_setPaused(action, address(retirement), pause, retirementPaused, _err(refusal))) retirementPaused = pause;
    }

    // ================================================================ predictions

    /**
     * @dev The credit token's checks on a movement of `amount` units of `id` from `from` (holding `balance`) to `to`
     * by `operator`, in its order: pause, frozen sender, recipient and operator, suspension, balance.
     */
    function _moveError(
        address from,
        address to,
        address operator,
        uint256 id,
        uint256 amount,
        uint256 balance
    ) internal view returns (bytes memory) {
        if (creditPaused) return _err(ICarbonCredit.EnforcedPause.selector);
        if (frozen[from]) return _frozenError(from);
        if (frozen[to]) return _frozenError(to);
        if (frozen[operator]) return _frozenError(operator);
        if (_batches[id].suspended) return _suspendedError(id);
        if (balance < amount) return _balanceError(from, balance, amount, id);
        return "";
    }

    // ================================================================ model updates

    function _recordIssue(IssueCall memory c) internal {
        uint128 q = c.end - c.start + 1;
        uint128 buffer = _bufferOf(q, bufferBpsOf[c.projectId]);
        uint128 repaid = buffer < shortfallOf[c.projectId] ? buffer : shortfallOf[c.projectId];
        uint256 id = ++batchCount;
        BatchModel storage b = _batches[id];
        b.projectId = c.projectId;
        b.proponent = c.proponent;
        b.serialStart = c.start;
        b.serialEnd = c.end;
        b.issued = q;
        b.cancelled = repaid;
        b.bufferRemaining = buffer - repaid;
        shortfallOf[c.projectId] -= repaid;
        tradableOf[c.proponent][id] += q - buffer;
        tradableOf[address(registry)][id] += buffer - repaid;
        _projectBatches[c.projectId].push(id);
        if (c.end >= serialTop) serialTop = c.end + 1;
    }

    function _recordReversal(uint256 projectId, uint128 amount) internal {
        uint256[] storage ids = _projectBatches[projectId];
        uint128 owed = amount;
        for (uint256 i = 0; i < ids.length && owed != 0; ++i) {
            BatchModel storage b = _batches[ids[i]];
            uint128 take = b.bufferRemaining < owed ? b.bufferRemaining : owed;
            b.bufferRemaining -= take;
            b.cancelled += take;
            tradableOf[address(registry)][ids[i]] -= take;
            owed -= take;
        }
        shortfallOf[projectId] += owed;
    }

    // ================================================================ model queries

    /// @dev The batch whose range ends last before `start` (the exact hint) and the lowest-serial batch that overlaps
    /// `[start, end]` (0 when none), from the model.
    function _modelNeighbours(uint128 start, uint128 end) internal view returns (uint256 prev, uint256 clash) {
        for (uint256 id = 1; id <= batchCount; ++id) {
            BatchModel storage b = _batches[id];
            if (b.serialEnd < start) {
                if (prev == 0 || b.serialEnd > _batches[prev].serialEnd) prev = id;
            } else if (b.serialStart <= end) {
                if (clash == 0 || b.serialStart < _batches[clash].serialStart) clash = id;
            }
        }
    }

    /// @dev A serial inside the range of batch `1 + r % count` (`spread` decorrelates the offset from the batch).
    function _insideRange(uint256 r, uint256 spread) internal view returns (uint128) {
        BatchModel storage b = _batches[1 + (r % batchCount)];
        return b.serialStart + uint128((r / spread) % (b.serialEnd - b.serialStart + 1));
    }

    /// @dev A batch `holder` holds (when there is one) unless `seed % 4 == 3`, then batch `1 + seed / 4 % count`.
    function _pickBatch(address holder, uint256 seed) internal view returns (uint256) {
        uint256 id = seed % 4 != 3 ? _heldBatch(holder, seed / 4) : 0;
        return id != 0 ? id : 1 + ((seed / 4) % batchCount);
    }

    /// @dev The `k % held`-th batch (by id) of those `holder` holds in the model; 0 when it holds none.
    function _heldBatch(address holder, uint256 k) internal view returns (uint256) {
        uint256 held;
        for (uint256 id = 1; id <= batchCount; ++id) if (tradableOf[holder][id] != 0) ++held;
        if (held == 0) return 0;
        k %= held;
        for (uint256 id = 1; id <= batchCount; ++id) {
            if (tradableOf[holder][id] == 0) continue;
            if (k == 0) return id;
            --k;
        }
        return 0;
    }

    /// @dev Mode 0: the exact hint; 1: no hint; 2: a stale but valid hint (an earlier range), else no hint.
    function _hintFor(uint256 mode, uint256 r, uint256 exact, uint128 start) internal view returns (uint256) {
        if (mode == 0) return exact;
        if (mode == 1 || batchCount == 0) return 0;
        uint256 candidate = 1 + (r % batchCount);
        return _batches[candidate].serialEnd < start ? candidate : 0;
    }

    function _bufferAvailable(uint256 projectId) internal view returns (uint256 available) {
        uint256[] storage ids = _projectBatches[projectId];
        for (uint256 i = 0; i < ids.length; ++i) available += _batches[ids[i]].bufferRemaining;
    }

    function _callIssue(uint256 reportId, uint256 hint) internal returns (bool ok, bytes memory ret) {
        try registry.issueBatch(reportId, hint) returns (uint256 batchId) {
            return (true, abi.encode(batchId));
        } catch (bytes memory err) {
            return (false, err);
        }
    }

    // ================================================================ helpers

    /// @dev `raw % 8 == 7`: more than the balance; 6: zero; else `raw / 8` bounded to [1, balance]. The rejected
    /// branches sit on high residues because fuzzers favour 0.
    function _boundAmount(uint256 raw, uint256 balance) internal pure returns (uint256) {
        if (raw % 8 == 7) return balance + 1 + ((raw / 8) % 100);
        if (raw % 8 == 6) return 0;
        return _bound(raw / 8, 1, balance == 0 ? 1 : balance);
    }

    /// @dev The buffer withheld from `quantity` units at `bps`, rounded up as the registry does.
    function _bufferOf(uint128 quantity, uint16 bps) internal pure returns (uint128) {
        return uint128((uint256(quantity) * bps + 9_999) / 10_000);
    }

    function _overlapError(uint128 start, uint128 end, uint256 clash) internal view returns (bytes memory) {
        BatchModel storage b = _batches[clash];
        return
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistrySerialOverlap.selector,
                namespace(),
                start,
                end,
                clash,
                b.serialStart,
                b.serialEnd
            );
    }

    function _frozenError(address account) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditAccountFrozen.selector, account);
    }

    function _suspendedError(uint256 id) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditBatchSuspended.selector, id);
    }

    function _freezeUnchanged(address account, bool isFrozen) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, account, isFrozen);
    }

    function _suspensionUnchanged(uint256 id, bool suspended) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditSuspensionUnchanged.selector, id, suspended);
    }

    function _balanceError(
        address from,
        uint256 balance,
        uint256 amount,
        uint256 id
    ) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, from, balance, amount, id);
    }
}
