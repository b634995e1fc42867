// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {IERC1155Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {TransferStatus} from "../../contracts/interfaces/ICarbonTypes.sol";
import {CarbonRegistry} from "../../contracts/registry/CarbonRegistry.sol";
import {CarbonCredit} from "../../contracts/token/CarbonCredit.sol";

import {OutcomeLedger} from "./OutcomeLedger.sol";
import {SuiteSetup} from "./SuiteSetup.sol";

/// @notice Drives the registry and credit token with bounded random actions, keeps a reference model of every
/// balance, supply counter, serial range, buffer, freeze, suspension and pause, and records every call whose outcome
/// differs from the model (a forbidden move that succeeded, an allowed one that reverted, a wrong revert reason).
contract CreditHandler is OutcomeLedger, SuiteSetup, StdCheats, StdUtils {
    /// @notice The handler's actions, to count how often each succeeded or was rejected as the model predicted.
    enum Action {
        Issue,
        Transfer,
        OperatorTransfer,
        Retire,
        Freeze,
        Unfreeze,
        Suspend,
        Reinstate,
        Reversal,
        PauseCredit,
        UnpauseCredit,
        PauseRegistry,
        UnpauseRegistry
    }

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
    error CreditHandlerOnlySelf();

    uint256 internal constant ACTORS = 4;
    uint256 internal constant MAX_BATCHES = 24;
    uint256 internal constant MAX_QUANTITY = 10_000;
    uint256 internal constant MAX_GAP = 20_000;
    uint256 internal constant MAX_REVERSAL = 6_000;

    address[] public actors;
    bytes32 public immutable namespace;

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

    // ---------------------------------------------------------------- ghosts
    /// @notice Chain retired balances as they were before the latest action (invariant 3 compares against them).
    mapping(address account => mapping(uint256 id => uint256)) public retiredBefore;

    /// @dev Snapshots every chain retired balance before the action runs.
    modifier snapshotRetired() {
        for (uint256 id = 1; id <= batchCount; ++id) {
            for (uint256 i = 0; i < ACTORS; ++i) retiredBefore[actors[i]][id] = credit.retiredBalanceOf(actors[i], id);
        }
        _;
    }

    constructor(AccessManager manager_, CarbonRegistry registry_, CarbonCredit credit_, uint256 methodologyId_) {
        manager = manager_;
        registry = registry_;
        credit = credit_;
        methodologyId = methodologyId_;
        namespace = keccak256(bytes(STANDARD));
        for (uint256 i = 0; i < ACTORS; ++i) actors.push(makeAddr(string.concat("actor", vm.toString(i))));
    }

    // ================================================================ actions

    /**
     * @notice Issues a batch of `quantity` units to actor `seed % 4` (registering its project on first use).
     * Seed digits: actor = seed % 4; buffer choice = seed / 4 % 5; serial mode = seed / 20 % 4 (0-1 after every
     * range, 2 anywhere in the used span, 3 inside an existing range); hint mode = seed / 80 % 3 (exact, zero,
     * stale); the rest (seed / 240) places the range.
     */
    function issue(uint256 seed, uint256 quantity) external snapshotRetired {
        if (batchCount >= MAX_BATCHES) return;
        if (registryPaused) {
            (bool paused, bytes memory err) = _callIssue(1, 0);
            _expectOutcome(Action.Issue, paused, err, abi.encodeWithSelector(Pausable.EnforcedPause.selector));
            return;
        }
        IssueCall memory c;
        c.proponent = actors[seed % ACTORS];
        uint128 q = uint128(_bound(quantity, 1, MAX_QUANTITY));
        c.start = _pickSerialStart((seed / 20) % 4, seed / 240);
        c.end = c.start + q - 1;
        try this.prepareReport(c.proponent, _bufferChoice((seed / 4) % 5), c.start, q) returns (uint256 p, uint256 r) {
            (c.projectId, c.reportId) = (p, r);
        } catch (bytes memory err) {
            _violation(Action.Issue, "MRV pipeline reverted", err);
            return;
        }
        (uint256 prev, uint256 clash) = _modelNeighbours(c.start, c.end);
        (uint256 hint, uint256 chainClash) = registry.findSerialHint(namespace, c.start, c.end);
        if (hint != prev || chainClash != clash) _violation(Action.Issue, "findSerialHint disagrees with model", "");
        hint = _hintFor((seed / 80) % 3, seed / 240, hint, c.start);

        bytes memory expected;
        if (clash != 0) expected = _overlapError(c.start, c.end, clash);
        else if (creditPaused) expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditPaused.selector);
        else if (frozen[c.proponent] && q != _bufferOf(q, bufferBpsOf[c.projectId])) {
            expected = _frozenError(c.proponent);
        }

        (bool ok, bytes memory ret) = _callIssue(c.reportId, hint);
        if (_expectOutcome(Action.Issue, ok, ret, expected)) {
            if (abi.decode(ret, (uint256)) != batchCount + 1) _violation(Action.Issue, "unexpected batch id", ret);
            _recordIssue(c);
        }
    }

    /// @notice `from` transfers `amount` units of a batch to another actor or (rejected) to the registry.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 idSeed, uint256 amount) external snapshotRetired {
        if (batchCount == 0) return;
        address from = actors[fromSeed % ACTORS];
        _move(Action.Transfer, from, from, toSeed, idSeed, amount);
    }

    /// @notice An operator approved by `owner` moves `owner`'s units: a frozen operator cannot move them either.
    function operatorTransfer(
        uint256 ownerSeed,
        uint256 operatorSeed,
        uint256 toSeed,
        uint256 idSeed,
        uint256 amount
    ) external snapshotRetired {
        if (batchCount == 0) return;
        address owner = actors[ownerSeed % ACTORS];
        address operator = actors[operatorSeed % ACTORS];
        // Approval is not a movement: it is granted whatever the restrictions.
        vm.prank(owner);
        credit.setApprovalForAll(operator, true);
        _move(Action.OperatorTransfer, owner, operator, toSeed, idSeed, amount);
    }

    /// @notice The handler (RETIREMENT) retires `amount` units of `holder` for `beneficiary`.
    function retire(
        uint256 holderSeed,
        uint256 beneficiarySeed,
        uint256 idSeed,
        uint256 amount
    ) external snapshotRetired {
        if (batchCount == 0) return;
        // One call in 16 tries to retire buffer-pool units, which only the registry may cancel.
        address holder = holderSeed % 16 == 15 ? address(registry) : actors[holderSeed % ACTORS];
        address beneficiary = actors[beneficiarySeed % ACTORS];
        uint256 id = _pickBatch(holder, idSeed);
        uint256 balance = tradableOf[holder][id];
        amount = _boundAmount(amount, balance);

        bytes memory expected;
        if (amount == 0) expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditZeroAmount.selector);
        else if (holder == address(registry)) {
            expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditBufferPoolLocked.selector, holder);
        } else if (frozen[beneficiary]) expected = _frozenError(beneficiary);
        else if (creditPaused) expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditPaused.selector);
        else if (frozen[holder]) expected = _frozenError(holder);
        else if (_batches[id].suspended) expected = _suspendedError(id);
        else if (balance < amount) expected = _balanceError(holder, balance, amount, id);

        try credit.retire(holder, beneficiary, id, amount) returns (uint256 firstUnit) {
            if (_expectOutcome(Action.Retire, true, "", expected)) {
                BatchModel storage b = _batches[id];
                // Invariant 2: retirements own contiguous unit ranges from 0, so no unit is retired twice.
                if (firstUnit != b.retired) _violation(Action.Retire, "retire: unit range not contiguous", "");
                b.retired += uint128(amount);
                tradableOf[holder][id] -= amount;
                retiredOf[beneficiary][id] += amount;
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.Retire, false, err, expected);
        }
    }

    /// @notice The regulator freezes actor `actorSeed % 4`; on an unfrozen actor only when `actorSeed / 4 % 4 == 3`,
    /// so freezes stay rare (fuzzers favour 0).
    function freeze(uint256 actorSeed) external snapshotRetired {
        address account = actors[actorSeed % ACTORS];
        if (!frozen[account] && (actorSeed / ACTORS) % 4 != 3) return;
        bytes memory expected = frozen[account] ? _freezeUnchanged(account, true) : bytes("");
        try credit.freeze(account, keccak256("freeze")) {
            if (_expectOutcome(Action.Freeze, true, "", expected)) frozen[account] = true;
        } catch (bytes memory err) {
            _expectOutcome(Action.Freeze, false, err, expected);
        }
    }

    /// @notice The regulator unfreezes an actor.
    function unfreeze(uint256 actorSeed) external snapshotRetired {
        address account = actors[actorSeed % ACTORS];
        bytes memory expected = frozen[account] ? bytes("") : _freezeUnchanged(account, false);
        try credit.unfreeze(account, keccak256("unfreeze")) {
            if (_expectOutcome(Action.Unfreeze, true, "", expected)) frozen[account] = false;
        } catch (bytes memory err) {
            _expectOutcome(Action.Unfreeze, false, err, expected);
        }
    }

    /// @notice The registrar suspends batch `1 + idSeed / 2 % count`; an active one only when `idSeed` is odd.
    function suspend(uint256 idSeed) external snapshotRetired {
        if (batchCount == 0) return;
        uint256 id = 1 + ((idSeed / 2) % batchCount);
        if (!_batches[id].suspended && idSeed % 2 == 0) return;
        bytes memory expected;
        if (registryPaused) expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        else if (_batches[id].suspended) expected = _suspensionUnchanged(id, true);
        try registry.suspendBatch(id, keccak256("investigation")) {
            if (_expectOutcome(Action.Suspend, true, "", expected)) _batches[id].suspended = true;
        } catch (bytes memory err) {
            _expectOutcome(Action.Suspend, false, err, expected);
        }
    }

    /// @notice The registrar reinstates batch `1 + idSeed / 2 % count`.
    function reinstate(uint256 idSeed) external snapshotRetired {
        if (batchCount == 0) return;
        uint256 id = 1 + ((idSeed / 2) % batchCount);
        bytes memory expected;
        if (registryPaused) expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        else if (!_batches[id].suspended) expected = _suspensionUnchanged(id, false);
        try registry.reinstateBatch(id, keccak256("cleared")) {
            if (_expectOutcome(Action.Reinstate, true, "", expected)) _batches[id].suspended = false;
        } catch (bytes memory err) {
            _expectOutcome(Action.Reinstate, false, err, expected);
        }
    }

    /// @notice The registrar records a reversal on a project: cancelled from its buffer, oldest batch first.
    function reversal(uint256 projectSeed, uint256 amount) external snapshotRetired {
        if (projects.length == 0) return;
        uint256 projectId = projects[projectSeed % projects.length];
        uint128 owed = amount % 16 == 15 ? 0 : uint128(_bound(amount, 1, MAX_REVERSAL));
        uint256 available = _bufferAvailable(projectId);

        bytes memory expected;
        if (registryPaused) expected = abi.encodeWithSelector(Pausable.EnforcedPause.selector);
        else if (owed == 0) expected = abi.encodeWithSelector(ICarbonRegistry.CarbonRegistryZeroReversal.selector);
        else if (available != 0 && creditPaused) {
            expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditPaused.selector);
        }

        try registry.recordReversal(projectId, owed, keccak256("fire")) {
            if (_expectOutcome(Action.Reversal, true, "", expected)) _recordReversal(projectId, owed);
        } catch (bytes memory err) {
            _expectOutcome(Action.Reversal, false, err, expected);
        }
    }

    /// @notice The guardian pauses the credit token; a running one only when `seed % 4 == 3`.
    function pauseCredit(uint256 seed) external snapshotRetired {
        if (!creditPaused && seed % 4 != 3) return;
        bytes memory expected = creditPaused
            ? abi.encodeWithSelector(ICarbonCredit.CarbonCreditPaused.selector)
            : bytes("");
        try credit.pause() {
            if (_expectOutcome(Action.PauseCredit, true, "", expected)) creditPaused = true;
        } catch (bytes memory err) {
            _expectOutcome(Action.PauseCredit, false, err, expected);
        }
    }

    /// @notice The guardian unpauses the credit token.
    function unpauseCredit() external snapshotRetired {
        bytes memory expected = creditPaused
            ? bytes("")
            : abi.encodeWithSelector(ICarbonCredit.CarbonCreditNotPaused.selector);
        try credit.unpause() {
            if (_expectOutcome(Action.UnpauseCredit, true, "", expected)) creditPaused = false;
        } catch (bytes memory err) {
            _expectOutcome(Action.UnpauseCredit, false, err, expected);
        }
    }

    /// @notice The guardian pauses the registry; a running one only when `seed % 4 == 3`.
    function pauseRegistry(uint256 seed) external snapshotRetired {
        if (!registryPaused && seed % 4 != 3) return;
        bytes memory expected = registryPaused ? abi.encodeWithSelector(Pausable.EnforcedPause.selector) : bytes("");
        try registry.pause() {
            if (_expectOutcome(Action.PauseRegistry, true, "", expected)) registryPaused = true;
        } catch (bytes memory err) {
            _expectOutcome(Action.PauseRegistry, false, err, expected);
        }
    }

    /// @notice The guardian unpauses the registry.
    function unpauseRegistry() external snapshotRetired {
        bytes memory expected = registryPaused ? bytes("") : abi.encodeWithSelector(Pausable.ExpectedPause.selector);
        try registry.unpause() {
            if (_expectOutcome(Action.UnpauseRegistry, true, "", expected)) registryPaused = false;
        } catch (bytes memory err) {
            _expectOutcome(Action.UnpauseRegistry, false, err, expected);
        }
    }

    /// @notice Registers and approves `proponent`'s project if it has none, then submits and verifies a report.
    /// @dev External only so that `issue` can catch a revert of the pipeline; callable by the handler alone.
    function prepareReport(
        address proponent,
        uint16 bufferBps,
        uint128 serialStart,
        uint128 quantity
    ) external returns (uint256 projectId, uint256 reportId) {
        if (msg.sender != address(this)) revert CreditHandlerOnlySelf();
        projectId = projectOf[proponent];
        if (projectId == 0) {
            projectId = _registerApproved(proponent, STANDARD, bufferBps);
            projectOf[proponent] = projectId;
            bufferBpsOf[projectId] = bufferBps;
            projects.push(projectId);
        }
        reportId = _submitVerified(projectId, serialStart, quantity);
    }

    // ================================================================ model views

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

    // ================================================================ movements

    /// @dev `operator` (the owner itself for a plain transfer) moves `from`'s units and the model predicts the
    /// outcome, in the order the token checks: pause, frozen sender, recipient and operator, suspension, balance,
    /// then the recipient's acceptance (the registry accepts nothing).
    function _move(
        Action action,
        address from,
        address operator,
        uint256 toSeed,
        uint256 idSeed,
        uint256 rawAmount
    ) private {
        address to = toSeed % (ACTORS + 1) == ACTORS ? address(registry) : actors[toSeed % ACTORS];
        uint256 id = _pickBatch(from, idSeed);
        uint256 balance = tradableOf[from][id];
        uint256 amount = _boundAmount(rawAmount, balance);

        // The view ignores the operator and the receiver hook.
        if (credit.canTransfer(from, to, id, amount) != _expectedStatus(from, to, id, amount, balance)) {
            _violation(action, "canTransfer disagrees with model", "");
        }
        bytes memory expected;
        if (creditPaused) expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditPaused.selector);
        else if (frozen[from]) expected = _frozenError(from);
        else if (frozen[to]) expected = _frozenError(to);
        else if (frozen[operator]) expected = _frozenError(operator);
        else if (_batches[id].suspended) expected = _suspendedError(id);
        else if (balance < amount) expected = _balanceError(from, balance, amount, id);
        else if (to == address(registry)) {
            expected = abi.encodeWithSelector(ICarbonRegistry.CarbonRegistryUnexpectedTokens.selector, operator);
        }

        vm.prank(operator);
        try credit.safeTransferFrom(from, to, id, amount, "") {
            if (_expectOutcome(action, true, "", expected)) {
                tradableOf[from][id] -= amount;
                tradableOf[to][id] += amount;
            }
        } catch (bytes memory err) {
            _expectOutcome(action, false, err, expected);
        }
    }

    // ================================================================ model updates

    function _recordIssue(IssueCall memory c) private {
        (uint256 projectId, address proponent, uint128 start, uint128 end) = (c.projectId, c.proponent, c.start, c.end);
        uint128 q = end - start + 1;
        uint128 buffer = _bufferOf(q, bufferBpsOf[projectId]);
        uint128 repaid = buffer < shortfallOf[projectId] ? buffer : shortfallOf[projectId];
        uint256 id = ++batchCount;
        BatchModel storage b = _batches[id];
        b.projectId = projectId;
        b.proponent = proponent;
        b.serialStart = start;
        b.serialEnd = end;
        b.issued = q;
        b.cancelled = repaid;
        b.bufferRemaining = buffer - repaid;
        shortfallOf[projectId] -= repaid;
        tradableOf[proponent][id] += q - buffer;
        tradableOf[address(registry)][id] += buffer - repaid;
        _projectBatches[projectId].push(id);
        if (end >= serialTop) serialTop = end + 1;
    }

    function _recordReversal(uint256 projectId, uint128 amount) private {
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
    function _modelNeighbours(uint128 start, uint128 end) private view returns (uint256 prev, uint256 clash) {
        for (uint256 id = 1; id <= batchCount; ++id) {
            BatchModel storage b = _batches[id];
            if (b.serialEnd < start) {
                if (prev == 0 || b.serialEnd > _batches[prev].serialEnd) prev = id;
            } else if (b.serialStart <= end) {
                if (clash == 0 || b.serialStart < _batches[clash].serialStart) clash = id;
            }
        }
    }

    /// @dev Mode 0-1: a fresh range after every existing one (with a gap); 2: anywhere in the used span (a gap or an
    /// overlap); 3: starting inside an existing range (always an overlap).
    function _pickSerialStart(uint256 mode, uint256 r) private view returns (uint128) {
        if (batchCount == 0 || mode < 2) return serialTop + uint128(r % MAX_GAP);
        if (mode == 2) return uint128(r % serialTop);
        BatchModel storage b = _batches[1 + (r % batchCount)];
        return b.serialStart + uint128((r / MAX_BATCHES) % (b.serialEnd - b.serialStart + 1));
    }

    /// @dev A batch `holder` holds (when there is one) unless `seed % 4 == 3`, then any batch.
    function _pickBatch(address holder, uint256 seed) private view returns (uint256) {
        if (seed % 4 != 3) {
            uint256 held;
            for (uint256 id = 1; id <= batchCount; ++id) if (tradableOf[holder][id] != 0) ++held;
            if (held != 0) {
                uint256 k = (seed / 4) % held;
                for (uint256 id = 1; id <= batchCount; ++id) {
                    if (tradableOf[holder][id] == 0) continue;
                    if (k == 0) return id;
                    --k;
                }
            }
        }
        return 1 + ((seed / 4) % batchCount);
    }

    /// @dev Mode 0: the exact hint; 1: no hint; 2: a stale but valid hint (an earlier range), else no hint.
    function _hintFor(uint256 mode, uint256 r, uint256 exact, uint128 start) private view returns (uint256) {
        if (mode == 0) return exact;
        if (mode == 1 || batchCount == 0) return 0;
        uint256 candidate = 1 + (r % batchCount);
        return _batches[candidate].serialEnd < start ? candidate : 0;
    }

    function _bufferAvailable(uint256 projectId) private view returns (uint256 available) {
        uint256[] storage ids = _projectBatches[projectId];
        for (uint256 i = 0; i < ids.length; ++i) available += _batches[ids[i]].bufferRemaining;
    }

    function _expectedStatus(
        address from,
        address to,
        uint256 id,
        uint256 amount,
        uint256 balance
    ) private view returns (TransferStatus) {
        if (creditPaused) return TransferStatus.Paused;
        if (frozen[from]) return TransferStatus.SenderFrozen;
        if (frozen[to]) return TransferStatus.RecipientFrozen;
        if (_batches[id].suspended) return TransferStatus.BatchSuspended;
        if (balance < amount) return TransferStatus.InsufficientBalance;
        return TransferStatus.Ok;
    }

    // ================================================================ outcome checks

    function _callIssue(uint256 reportId, uint256 hint) private returns (bool ok, bytes memory ret) {
        try registry.issueBatch(reportId, hint) returns (uint256 batchId) {
            return (true, abi.encode(batchId));
        } catch (bytes memory err) {
            return (false, err);
        }
    }

    /// @notice Successful calls of `action` recorded so far.
    function succeeded(Action action) external view returns (uint256) {
        return _succeeded[uint256(action)];
    }

    /// @notice Calls of `action` refused as the model predicted.
    function rejected(Action action) external view returns (uint256) {
        return _rejected[uint256(action)];
    }

    function _expectOutcome(Action action, bool ok, bytes memory ret, bytes memory expected) private returns (bool) {
        return _recordOutcome(uint256(action), ok, ret, expected);
    }

    function _violation(Action action, string memory what, bytes memory data) private {
        _recordViolation(uint256(action), what, data);
    }

    // ================================================================ helpers

    /// @dev `raw % 8 == 7`: more than the balance; 6: zero; else `raw / 8` bounded to [1, balance]. The rejected
    /// branches sit on high residues because fuzzers favour 0.
    function _boundAmount(uint256 raw, uint256 balance) private pure returns (uint256) {
        if (raw % 8 == 7) return balance + 1 + ((raw / 8) % 100);
        if (raw % 8 == 6) return 0;
        return _bound(raw / 8, 1, balance == 0 ? 1 : balance);
    }

    function _bufferChoice(uint256 choice) private pure returns (uint16) {
        if (choice == 0) return 0;
        if (choice == 1) return 1;
        if (choice == 2) return 2_000;
        if (choice == 3) return 3_333;
        return 10_000;
    }

    function _bufferOf(uint128 quantity, uint16 bps) private pure returns (uint128) {
        return uint128((uint256(quantity) * bps + 9_999) / 10_000);
    }

    function _overlapError(uint128 start, uint128 end, uint256 clash) private view returns (bytes memory) {
        BatchModel storage b = _batches[clash];
        return
            abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistrySerialOverlap.selector,
                namespace,
                start,
                end,
                clash,
                b.serialStart,
                b.serialEnd
            );
    }

    function _frozenError(address account) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditAccountFrozen.selector, account);
    }

    function _suspendedError(uint256 id) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditBatchSuspended.selector, id);
    }

    function _balanceError(
        address from,
        uint256 balance,
        uint256 amount,
        uint256 id
    ) private pure returns (bytes memory) {
        return abi.encodeWithSelector(IERC1155Errors.ERC1155InsufficientBalance.selector, from, balance, amount, id);
    }

    function _freezeUnchanged(address account, bool isFrozen) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditFreezeUnchanged.selector, account, isFrozen);
    }

    function _suspensionUnchanged(uint256 id, bool suspended) private pure returns (bytes memory) {
        return abi.encodeWithSelector(ICarbonCredit.CarbonCreditSuspensionUnchanged.selector, id, suspended);
    }
}
