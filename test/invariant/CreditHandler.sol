// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {ICarbonCredit} from "../../contracts/interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {TransferStatus} from "../../contracts/interfaces/ICarbonTypes.sol";
import {CarbonRegistry} from "../../contracts/registry/CarbonRegistry.sol";
import {RetirementPrimitiveMock} from "../../contracts/mocks/RetirementPrimitiveMock.sol";
import {CarbonCredit} from "../../contracts/token/CarbonCredit.sol";

import {CreditModel} from "./CreditModel.sol";

/// @notice Drives the registry and credit token with bounded random actions, keeps a reference model of every
/// balance, supply counter, serial range, buffer, freeze, suspension and pause, and records every call whose outcome
/// differs from the model (a forbidden move that succeeded, an allowed one that reverted, a wrong revert reason).
contract CreditHandler is CreditModel {
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

    uint256 internal constant MAX_BATCHES = 24;
    uint256 internal constant MAX_QUANTITY = 10_000;
    uint256 internal constant MAX_GAP = 20_000;
    uint256 internal constant MAX_REVERSAL = 6_000;

    constructor(AccessManager manager_, CarbonRegistry registry_, CarbonCredit credit_, uint256 methodologyId_) {
        manager = manager_;
        registry = registry_;
        credit = credit_;
        methodologyId = methodologyId_;
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
        IssueCall memory c;
        c.proponent = actors[seed % ACTORS];
        c.start = _pickSerialStart((seed / 20) % 4, seed / 240);
        uint128 q = uint128(_bound(quantity, 1, MAX_QUANTITY));
        _issue(uint256(Action.Issue), c, q, _bufferChoice((seed / 4) % 5), (seed / 80) % 3, seed / 240);
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

    /// @notice The handler retires `amount` units of `holder` for `beneficiary` through the stand-in retirement
    /// registry bound to the token (the only caller its `retire` accepts).
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

        RetirementPrimitiveMock primitive = RetirementPrimitiveMock(credit.retirementRegistry());
        bytes memory expected;
        if (amount == 0) expected = _err(ICarbonCredit.CarbonCreditZeroAmount.selector);
        else if (holder == address(registry)) {
            expected = abi.encodeWithSelector(ICarbonCredit.CarbonCreditBufferPoolLocked.selector, holder);
        } else if (frozen[beneficiary]) expected = _frozenError(beneficiary);
        else expected = _moveError(holder, address(0), address(primitive), id, amount, balance);

        try primitive.retire(holder, beneficiary, id, amount) returns (uint256 firstUnit) {
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
        _setFrozen(uint256(Action.Freeze), account, true);
    }

    /// @notice The regulator unfreezes an actor.
    function unfreeze(uint256 actorSeed) external snapshotRetired {
        _setFrozen(uint256(Action.Unfreeze), actors[actorSeed % ACTORS], false);
    }

    /// @notice The registrar suspends batch `1 + idSeed / 2 % count`; an active one only when `idSeed` is odd.
    function suspend(uint256 idSeed) external snapshotRetired {
        if (batchCount == 0) return;
        uint256 id = 1 + ((idSeed / 2) % batchCount);
        if (!_batches[id].suspended && idSeed % 2 == 0) return;
        _setSuspended(uint256(Action.Suspend), id, true);
    }

    /// @notice The registrar reinstates batch `1 + idSeed / 2 % count`.
    function reinstate(uint256 idSeed) external snapshotRetired {
        if (batchCount == 0) return;
        _setSuspended(uint256(Action.Reinstate), 1 + ((idSeed / 2) % batchCount), false);
    }

    /// @notice The registrar records a reversal on a project (`amount % 16 == 15`: zero, refused).
    function reversal(uint256 projectSeed, uint256 amount) external snapshotRetired {
        if (projects.length == 0) return;
        uint128 owed = amount % 16 == 15 ? 0 : uint128(_bound(amount, 1, MAX_REVERSAL));
        _reversal(uint256(Action.Reversal), projects[projectSeed % projects.length], owed);
    }

    /// @notice The guardian pauses the credit token; a running one only when `seed % 4 == 3`.
    function pauseCredit(uint256 seed) external snapshotRetired {
        if (!creditPaused && seed % 4 != 3) return;
        _setCreditPaused(uint256(Action.PauseCredit), true);
    }

    /// @notice The guardian unpauses the credit token.
    function unpauseCredit() external snapshotRetired {
        _setCreditPaused(uint256(Action.UnpauseCredit), false);
    }

    /// @notice The guardian pauses the registry; a running one only when `seed % 4 == 3`.
    function pauseRegistry(uint256 seed) external snapshotRetired {
        if (!registryPaused && seed % 4 != 3) return;
        _setRegistryPaused(uint256(Action.PauseRegistry), true);
    }

    /// @notice The guardian unpauses the registry.
    function unpauseRegistry() external snapshotRetired {
        _setRegistryPaused(uint256(Action.UnpauseRegistry), false);
    }

    /// @notice Successful calls of `action` recorded so far.
    function succeeded(Action action) external view returns (uint256) {
        return _succeeded[uint256(action)];
    }

    /// @notice Calls of `action` refused as the model predicted.
    function rejected(Action action) external view returns (uint256) {
        return _rejected[uint256(action)];
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
        bytes memory expected = _moveError(from, to, operator, id, amount, balance);
        if (expected.length == 0 && to == address(registry)) {
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

    // ================================================================ model queries

    /// @dev Mode 0-1: a fresh range after every existing one (with a gap); 2: anywhere in the used span (a gap or an
    /// overlap); 3: starting inside an existing range (always an overlap).
    function _pickSerialStart(uint256 mode, uint256 r) private view returns (uint128) {
        if (batchCount == 0 || mode < 2) return serialTop + uint128(r % MAX_GAP);
        if (mode == 2) return uint128(r % serialTop);
        return _insideRange(r, MAX_BATCHES);
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

    function _expectOutcome(Action action, bool ok, bytes memory ret, bytes memory expected) private returns (bool) {
        return _recordOutcome(uint256(action), ok, ret, expected);
    }

    function _violation(Action action, string memory what, bytes memory data) private {
        _recordViolation(uint256(action), what, data);
    }

    // ================================================================ helpers

    function _bufferChoice(uint256 choice) private pure returns (uint16) {
        if (choice == 0) return 0;
        if (choice == 1) return 1;
        if (choice == 2) return 2_000;
        if (choice == 3) return 3_333;
        return 10_000;
    }
}
