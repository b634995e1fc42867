// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {Adjustment, Authorisation} from "../../contracts/interfaces/ICarbonTypes.sol";
import {ClaimType, IRetirementRegistry} from "../../contracts/interfaces/IRetirementRegistry.sol";
import {CarbonRegistry} from "../../contracts/registry/CarbonRegistry.sol";
import {RetirementCertificate} from "../../contracts/retirement/RetirementCertificate.sol";
import {RetirementRegistry} from "../../contracts/retirement/RetirementRegistry.sol";
import {CarbonCredit} from "../../contracts/token/CarbonCredit.sol";

import {CreditModel} from "./CreditModel.sol";

/// @notice Drives the retirement registry (retire, retireFrom, retire-on-transfer single and batch) and the
/// restrictions around it with bounded random actions, keeps a reference model of balances, retirement records,
/// lookups and certificates, and records every call whose outcome differs from the model's prediction. The registry
/// and credit side of the model and its actions (issue, freezes, suspensions, the retirement pause) are
/// {CreditModel}'s.
contract RetirementHandler is CreditModel {
    /// @notice The handler's actions, to count how often each succeeded or was rejected as the model predicted.
    enum Action {
        Retire,
        RetireFrom,
        RetireOnTransfer,
        RetireOnBatchTransfer,
        Transfer,
        Issue,
        Freeze,
        Unfreeze,
        Suspend,
        Reinstate,
        PauseRetirement,
        UnpauseRetirement,
        SetArticle6
    }

    /// @notice How a retirement is asked for: `retire`, `retireFrom`, `safeTransferFrom` or `safeBatchTransferFrom`.
    enum Path {
        Direct,
        From,
        Transfer,
        BatchTransfer
    }

    /// @notice The model of one retirement record (id = index + 1).
    struct RecordModel {
        uint256 batchId;
        uint256 amount;
        uint256 firstUnit;
        address beneficiary;
        address retiree;
        bool certified;
        ClaimType claimType;
        Authorisation authorisation;
        Adjustment adjustment;
    }

    /// @notice One retirement call: the holder (retiree), the caller, the request and what it retires.
    struct Call {
        Path path;
        address holder;
        address operator;
        IRetirementRegistry.RetirementRequest request;
        uint256[] ids;
        uint256[] amounts;
        uint256 mode;
        bytes data;
    }

    uint256 internal constant MAX_BATCHES = 8;
    uint16 internal constant BUFFER_BPS = 1_000;
    uint256 internal constant MIN_QUANTITY = 100;
    uint256 internal constant MAX_QUANTITY = 5_000;
    uint256 internal constant PERIODS = 3;
    uint64 internal constant CONSUMPTION_START = 1_700_000_000;

    // Claim modes (`flags % 64`): what the request claims, or which malformed shape it has; 32-63 and 0-15 are a
    // well-formed voluntary offset.
    uint256 internal constant MODE_COMPLIANCE = 16;
    uint256 internal constant MODE_NEUTRALITY = 18;
    uint256 internal constant MODE_NEUTRALITY_MISSING = 20;
    uint256 internal constant MODE_NDC = 21;
    uint256 internal constant MODE_CORSIA = 24;
    uint256 internal constant MODE_NAME_AND_COMMITMENT = 26;
    uint256 internal constant MODE_BAD_PERIOD = 27;
    /// @dev retire/retireFrom: an empty request; on transfer: empty data.
    uint256 internal constant MODE_EMPTY = 28;
    /// @dev retire/retireFrom: an empty request; on transfer: data that does not decode.
    uint256 internal constant MODE_JUNK = 29;
    /// @dev retire/retireFrom: one amount too many; on transfer: a request whose amounts differ from the transfer.
    uint256 internal constant MODE_MISMATCH = 30;
    /// @dev retire/retireFrom: one amount too many; on transfer: a request naming exactly the transferred units.
    uint256 internal constant MODE_EXPLICIT = 31;

    // ---------------------------------------------------------------- the model beyond the credit model
    mapping(address holder => mapping(address operator => bool)) public approved;
    RecordModel[] internal _records;
    mapping(address beneficiary => uint256[]) internal _byBeneficiary;
    mapping(address retiree => uint256[]) internal _byRetiree;
    mapping(uint256 batchId => uint256[]) internal _byBatch;
    mapping(address beneficiary => uint256) public totalFor;
    /// @notice Model of `totalRetiredByClaim`: units retired for a beneficiary per claim type.
    mapping(address beneficiary => mapping(ClaimType claimType => uint256)) public totalByClaim;
    mapping(address beneficiary => uint256) public certificateCount;
    mapping(address entity => mapping(uint64 period => uint256)) public retiredAgainst;
    /// @notice Model of the neutrality-claim authorisations: `entity` lets `claimant` claim against its inventories.
    mapping(address entity => mapping(address claimant => bool)) public claimAuthorised;

    constructor(
        AccessManager manager_,
        CarbonRegistry registry_,
        CarbonCredit credit_,
        RetirementRegistry retirement_,
        RetirementCertificate certificate_,
        uint256 methodologyId_
    ) {
        manager = manager_;
        registry = registry_;
        credit = credit_;
        retirement = retirement_;
        certificate = certificate_;
        methodologyId = methodologyId_;
        for (uint256 i = 0; i < ACTORS; ++i) actors.push(makeAddr(string.concat("retirer", vm.toString(i))));
    }

    // ================================================================ retirement actions

    /**
     * @notice An actor retires its own credits with `retire`. `batchSeeds`: 1 + `low byte % 3` batches, byte i + 1 picks
     * batch i (see {_pickEntryBatch}); `amountSeeds`: 16-bit word i picks amount i (see {_pickAmount}); `flags`: see
     * {_newCall}.
     */
    function retire(
        uint256 actorSeed,
        uint256 beneficiarySeed,
        uint256 batchSeeds,
        uint256 amountSeeds,
        uint256 flags
    ) external snapshotRetired {
        address actor = actors[actorSeed % ACTORS];
        Call memory c = _newCall(Path.Direct, actor, actor, beneficiarySeed, flags);
        _fillEntries(c, batchSeeds, amountSeeds, 1 + ((batchSeeds & 0xff) % 3));
        _run(Action.Retire, c);
    }

    /// @notice An operator retires a holder's credits with `retireFrom`, after the holder granted (`flags` bits
    /// 16-18 = 0-4), left (5-6) or revoked (7) its approval; the holder itself needs none.
    function retireFrom(
        uint256 operatorSeed,
        uint256 holderSeed,
        uint256 beneficiarySeed,
        uint256 batchSeeds,
        uint256 amountSeeds,
        uint256 flags
    ) external snapshotRetired {
        address operator = actors[operatorSeed % ACTORS];
        address holder = actors[holderSeed % ACTORS];
        uint256 approval = (flags >> 16) % 8;
        if (holder != operator && (approval < 5 || approval == 7)) {
            // Approval is not a movement: it is granted whatever the restrictions.
            vm.prank(holder);
            credit.setApprovalForAll(operator, approval < 5);
            approved[holder][operator] = approval < 5;
        }
        Call memory c = _newCall(Path.From, holder, operator, beneficiarySeed, flags);
        _fillEntries(c, batchSeeds, amountSeeds, 1 + ((batchSeeds & 0xff) % 3));
        _run(Action.RetireFrom, c);
    }

    /// @notice An actor sends one batch to the retirement registry with `safeTransferFrom` and an encoded request.
    function retireOnTransfer(
        uint256 actorSeed,
        uint256 beneficiarySeed,
        uint256 batchSeeds,
        uint256 amountSeeds,
        uint256 flags
    ) external snapshotRetired {
        address actor = actors[actorSeed % ACTORS];
        Call memory c = _newCall(Path.Transfer, actor, actor, beneficiarySeed, flags);
        _fillEntries(c, batchSeeds, amountSeeds, 1);
        _run(Action.RetireOnTransfer, c);
    }

    /// @notice An actor sends 1-3 batches to the retirement registry with `safeBatchTransferFrom` and a request.
    function retireOnBatchTransfer(
        uint256 actorSeed,
        uint256 beneficiarySeed,
        uint256 batchSeeds,
        uint256 amountSeeds,
        uint256 flags
    ) external snapshotRetired {
        address actor = actors[actorSeed % ACTORS];
        Call memory c = _newCall(Path.BatchTransfer, actor, actor, beneficiarySeed, flags);
        _fillEntries(c, batchSeeds, amountSeeds, 1 + ((batchSeeds & 0xff) % 3));
        _run(Action.RetireOnBatchTransfer, c);
    }

    // ================================================================ other actions

    /// @notice An actor transfers units of a batch (`idSeed` as a batch byte, `amountSeed` as an amount word) to
    /// another actor.
    function transfer(uint256 fromSeed, uint256 toSeed, uint256 idSeed, uint256 amountSeed) external snapshotRetired {
        address from = actors[fromSeed % ACTORS];
        address to = actors[toSeed % ACTORS];
        uint256 id = _pickEntryBatch(from, idSeed & 0xff);
        uint256 balance = tradableOf[from][id];
        uint256 amount = _pickAmount(amountSeed & 0xffff, balance);
        bytes memory expected = _moveError(from, to, from, id, amount, balance);

        vm.prank(from);
        try credit.safeTransferFrom(from, to, id, amount, "") {
            if (_expectOutcome(Action.Transfer, true, "", expected)) {
                tradableOf[from][id] -= amount;
                tradableOf[to][id] += amount;
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.Transfer, false, err, expected);
        }
    }

    /// @notice Issues a batch of `quantity` (bounded) units to actor `seed % 4`, after every existing serial range
    /// (a gap of `seed / 4 % 1000`), with the exact hint; a frozen proponent cannot receive it. 10% goes to the
    /// registry's buffer pool.
    function issue(uint256 seed, uint256 quantity) external snapshotRetired {
        if (batchCount >= MAX_BATCHES) return;
        IssueCall memory c;
        c.proponent = actors[seed % ACTORS];
        c.start = serialTop + uint128((seed / ACTORS) % 1_000);
        uint128 q = uint128(_bound(quantity, MIN_QUANTITY, MAX_QUANTITY));
        _issue(uint256(Action.Issue), c, q, BUFFER_BPS, 0, 0);
    }

    /// @notice The regulator freezes an actor; an unfrozen one only when `seed / 4 % 8 == 7`.
    function freeze(uint256 seed) external snapshotRetired {
        address account = actors[seed % ACTORS];
        if (!frozen[account] && (seed / ACTORS) % 8 != 7) return;
        _setFrozen(uint256(Action.Freeze), account, true);
    }

    /// @notice The regulator unfreezes an actor.
    function unfreeze(uint256 seed) external snapshotRetired {
        _setFrozen(uint256(Action.Unfreeze), actors[seed % ACTORS], false);
    }

    /// @notice The registrar suspends batch `1 + idSeed / 2 % count`; an active one only when `idSeed` is odd.
    function suspend(uint256 idSeed) external snapshotRetired {
        uint256 id = 1 + ((idSeed / 2) % batchCount);
        if (!_batches[id].suspended && idSeed % 2 == 0) return;
        _setSuspended(uint256(Action.Suspend), id, true);
    }

    /// @notice The registrar reinstates batch `1 + idSeed / 2 % count`.
    function reinstate(uint256 idSeed) external snapshotRetired {
        _setSuspended(uint256(Action.Reinstate), 1 + ((idSeed / 2) % batchCount), false);
    }

    /// @notice The guardian pauses retirements; a running registry only when `seed % 8 == 7`.
    function pauseRetirement(uint256 seed) external snapshotRetired {
        if (!retirementPaused && seed % 8 != 7) return;
        _setRetirementPaused(uint256(Action.PauseRetirement), true);
    }

    /// @notice The guardian resumes retirements.
    function unpauseRetirement() external snapshotRetired {
        _setRetirementPaused(uint256(Action.UnpauseRetirement), false);
    }

    /// @notice The registrar sets the Article 6 status of batch `1 + idSeed % count`. `mode % 8`: 0-2 NDC applied,
    /// 3 NDC pending, 4-5 OIMP applied, 6 none, 7 an inconsistent pair (rejected).
    function setArticle6(uint256 idSeed, uint256 mode) external snapshotRetired {
        uint256 id = 1 + (idSeed % batchCount);
        (Authorisation a, Adjustment j) = _article6Of(mode % 8);
        bytes memory expected;
        BatchModel storage b = _batches[id];
        if ((a == Authorisation.None) != (j == Adjustment.NotApplicable)) {
            expected = abi.encodeWithSelector(ICarbonRegistry.CarbonRegistryInvalidArticle6.selector, a, j);
        } else if (
            b.retired != 0 && (a != b.authorisation || b.adjustment != Adjustment.Pending || j != Adjustment.Applied)
        ) {
            // Units were claimed under the current status: only its pending adjustment may still be applied.
            expected = abi.encodeWithSelector(
                ICarbonRegistry.CarbonRegistryArticle6Locked.selector,
                id,
                uint256(b.retired),
                b.authorisation,
                b.adjustment,
                a,
                j
            );
        }
        try registry.setArticle6Status(id, a, j) {
            if (_expectOutcome(Action.SetArticle6, true, "", expected)) {
                _batches[id].authorisation = a;
                _batches[id].adjustment = j;
            }
        } catch (bytes memory err) {
            _expectOutcome(Action.SetArticle6, false, err, expected);
        }
    }

    // ================================================================ model views

    /// @notice The number of retirements in the model.
    function recordCount() external view returns (uint256) {
        return _records.length;
    }

    /// @notice The model of retirement `retirementId` (from 1).
    function recordModel(uint256 retirementId) external view returns (RecordModel memory) {
        return _records[retirementId - 1];
    }

    /// @notice The model's retirements of `beneficiary`, oldest first.
    function idsOfBeneficiary(address beneficiary) external view returns (uint256[] memory) {
        return _byBeneficiary[beneficiary];
    }

    /// @notice The model's retirements by `retiree`, oldest first.
    function idsOfRetiree(address retiree) external view returns (uint256[] memory) {
        return _byRetiree[retiree];
    }

    /// @notice The model's retirements of batch `batchId`, oldest first.
    function idsOfBatch(uint256 batchId) external view returns (uint256[] memory) {
        return _byBatch[batchId];
    }

    // ================================================================ building a call

    /**
     * @dev A request from `flags`: bits 0-5 the claim mode (see the `MODE_*` constants; others a voluntary offset);
     * bits 6-7 zero skip the certificate; bits 8-9 name (0), commitment (1) or neither; bits 10-11 the neutrality
     * entity (an actor; bit 10 picks which target is missing in the missing mode); bits 12-13 its period; bit 14 a
     * consumption period, bit 15 with an end; bits 20-21 before a neutrality call: 0 the entity authorises the
     * claimant, 1 withdraws that authorisation, else leaves it. `beneficiarySeed % 6`: an actor, or 4-5 zero (the
     * retiree).
     */
    function _newCall(
        Path path,
        address holder,
        address operator,
        uint256 beneficiarySeed,
        uint256 flags
    ) private returns (Call memory c) {
        (c.path, c.holder, c.operator) = (path, holder, operator);
        c.mode = flags % 64;
        IRetirementRegistry.RetirementRequest memory r = c.request;
        uint256 b = beneficiarySeed % (ACTORS + 2);
        r.beneficiary = b < ACTORS ? actors[b] : address(0);
        r.claimType = _claimTypeOf(c.mode);
        if (r.claimType == ClaimType.Neutrality) {
            r.claimEntity = actors[(flags >> 10) % ACTORS];
            r.claimPeriod = uint64(1 + (((flags >> 12) % 4) % PERIODS));
            if (c.mode == MODE_NEUTRALITY_MISSING) {
                if ((flags >> 10) % 2 == 0) r.claimEntity = address(0);
                else r.claimPeriod = 0;
            } else {
                _setClaimAuthorisation(r.claimEntity, operator, (flags >> 20) % 4);
            }
        }
        uint256 naming = (flags >> 8) % 4;
        if (naming == 0 || c.mode == MODE_NAME_AND_COMMITMENT) r.beneficiaryName = "Acme Ltd";
        if (naming == 1 || c.mode == MODE_NAME_AND_COMMITMENT) r.beneficiaryCommitment = keccak256(abi.encode(flags));
        if ((flags >> 14) % 2 == 1 || c.mode == MODE_BAD_PERIOD) {
            r.consumptionStart = CONSUMPTION_START;
            if (c.mode == MODE_BAD_PERIOD) r.consumptionEnd = CONSUMPTION_START - 1;
            else if ((flags >> 15) % 2 == 1) r.consumptionEnd = CONSUMPTION_START + 365 days;
        }
        r.consumptionJurisdiction = "KE";
        r.reason = "invariant";
        r.skipCertificate = (flags >> 6) % 4 == 0;
    }

    /// @dev `entity` authorises (`how` 0) or stops authorising (`how` 1) `claimant`, when that changes something.
    /// While retirements are paused, authorising is refused with EnforcedPause and withdrawing goes through.
    function _setClaimAuthorisation(address entity, address claimant, uint256 how) private {
        if (how > 1 || claimAuthorised[entity][claimant] == (how == 0)) return;
        bool refused = how == 0 && retirementPaused;
        vm.prank(entity);
        try retirement.setClaimAuthorisation(claimant, how == 0) {
            if (refused) _violation(Action.Retire, "claim authorisation granted while paused", "");
            claimAuthorised[entity][claimant] = how == 0;
        } catch (bytes memory err) {
            if (!refused || keccak256(err) != keccak256(_err(Pausable.EnforcedPause.selector))) {
                _violation(Action.Retire, "claim authorisation refused", err);
            }
        }
    }

    /// @dev Picks `n` batches and amounts, then shapes the request (and the transfer data) by the claim mode.
    function _fillEntries(Call memory c, uint256 batchSeeds, uint256 amountSeeds, uint256 n) private view {
        c.ids = new uint256[](n);
        c.amounts = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            c.ids[i] = _pickEntryBatch(c.holder, (batchSeeds >> (8 * (i + 1))) & 0xff);
            c.amounts[i] = _pickAmount((amountSeeds >> (16 * i)) & 0xffff, _available(c, i));
        }
        bool onTransfer = c.path == Path.Transfer || c.path == Path.BatchTransfer;
        if (!onTransfer) {
            if (c.mode == MODE_EMPTY || c.mode == MODE_JUNK) return; // an empty request
            c.request.ids = c.ids;
            bool extra = c.mode == MODE_MISMATCH || c.mode == MODE_EXPLICIT;
            c.request.amounts = extra ? _withExtra(c.amounts) : c.amounts;
            return;
        }
        if (c.mode == MODE_MISMATCH || c.mode == MODE_EXPLICIT) {
            c.request.ids = c.ids;
            c.request.amounts = c.mode == MODE_MISMATCH ? _firstPlusOne(c.amounts) : c.amounts;
        }
        if (c.mode == MODE_EMPTY) c.data = "";
        else if (c.mode == MODE_JUNK) c.data = hex"c0ffee";
        else c.data = abi.encode(c.request);
    }

    /**
     * @dev Batch byte `e`: `e % 32 == 31` an unknown batch (0 or the next id); 28-30 batch `1 + e / 32 % count`;
     * else the `e / 32 % held`-th batch the holder holds (any batch when it holds none).
     */
    function _pickEntryBatch(address holder, uint256 e) private view returns (uint256) {
        uint256 r = e % 32;
        if (r == 31) return (e / 32) % 2 == 0 ? 0 : batchCount + 1;
        uint256 id = r < 28 ? _heldBatch(holder, e / 32) : 0;
        return id != 0 ? id : 1 + ((e / 32) % batchCount);
    }

    /**
     * @dev Amount word `a`: `a % 32 == 31` more than `available`; 30 zero; 29 with `a / 32` even beyond 64 bits;
     * else `a / 32` bounded to [1, available]. Rejected branches sit on high residues because fuzzers favour 0.
     */
    function _pickAmount(uint256 a, uint256 available) private pure returns (uint256) {
        uint256 r = a % 32;
        if (r == 31) return available + 1 + ((a / 32) % 100);
        if (r == 30) return 0;
        if (r == 29 && (a / 32) % 2 == 0) return uint256(type(uint64).max) + 1;
        return _bound(a / 32, 1, available == 0 ? 1 : available);
    }

    /// @dev The holder's model balance of entry `i`'s batch less what earlier entries of the call take from it.
    function _available(Call memory c, uint256 i) private view returns (uint256) {
        uint256 balance = tradableOf[c.holder][c.ids[i]];
        uint256 used = _usedBefore(c.ids, c.amounts, i);
        return used >= balance ? 0 : balance - used;
    }

    // ================================================================ running a call

    function _run(Action action, Call memory c) private {
        bytes memory expected = _predict(c);
        (bool ok, bytes memory ret) = _send(c);
        if (!_expectOutcome(action, ok, ret, expected)) return;
        if ((c.path == Path.Direct || c.path == Path.From) && abi.decode(ret, (uint256)) != _records.length + 1) {
            _violation(action, "unexpected first retirement id", ret);
        }
        _recordRetirements(c);
    }

    function _send(Call memory c) private returns (bool, bytes memory) {
        if (c.path == Path.Direct) {
            vm.prank(c.holder);
            try retirement.retire(c.request) returns (uint256 first) {
                return (true, abi.encode(first));
            } catch (bytes memory err) {
                return (false, err);
            }
        }
        if (c.path == Path.From) {
            vm.prank(c.operator);
            try retirement.retireFrom(c.holder, c.request) returns (uint256 first) {
                return (true, abi.encode(first));
            } catch (bytes memory err) {
                return (false, err);
            }
        }
        if (c.path == Path.Transfer) {
            vm.prank(c.holder);
            try credit.safeTransferFrom(c.holder, address(retirement), c.ids[0], c.amounts[0], c.data) {
                return (true, "");
            } catch (bytes memory err) {
                return (false, err);
            }
        }
        vm.prank(c.holder);
        try credit.safeBatchTransferFrom(c.holder, address(retirement), c.ids, c.amounts, c.data) {
            return (true, "");
        } catch (bytes memory err) {
            return (false, err);
        }
    }

    // ================================================================ the model's prediction

    /// @dev The revert the call must end with (empty for success), in the order the contracts check.
    function _predict(Call memory c) private view returns (bytes memory err) {
        if (c.path == Path.Transfer || c.path == Path.BatchTransfer) {
            err = _predictTransferLeg(c.holder, c.ids, c.amounts);
            if (err.length != 0) return err;
            // The registry's hook is `whenNotPaused`: the pause comes before reading the data.
            if (retirementPaused) return _err(Pausable.EnforcedPause.selector);
            if (c.data.length == 0 || c.mode == MODE_JUNK) {
                return _err(IRetirementRegistry.RetirementMalformedRequest.selector);
            }
            if (!_matchesTransfer(c.request, c.ids, c.amounts)) {
                return _err(IRetirementRegistry.RetirementTransferMismatch.selector);
            }
            return _predictRetireAll(c);
        }
        // `retire` and `retireFrom` are `whenNotPaused`: the pause comes first.
        if (retirementPaused) return _err(Pausable.EnforcedPause.selector);
        if (c.path == Path.From) {
            if (c.holder != c.operator && !approved[c.holder][c.operator]) {
                return abi.encodeWithSelector(IRetirementRegistry.RetirementNotApproved.selector, c.holder, c.operator);
            }
            if (frozen[c.operator]) {
                return abi.encodeWithSelector(IRetirementRegistry.RetirementAccountFrozen.selector, c.operator);
            }
        }
        uint256 ids = c.request.ids.length;
        uint256 amounts = c.request.amounts.length;
        if (ids == 0) return _err(IRetirementRegistry.RetirementEmptyRequest.selector);
        if (ids != amounts) {
            return abi.encodeWithSelector(IRetirementRegistry.RetirementLengthMismatch.selector, ids, amounts);
        }
        return _predictRetireAll(c);
    }

    /// @dev The token's checks on a transfer to the retirement registry: frozen sender, suspension, balances.
    function _predictTransferLeg(
        address from,
        uint256[] memory ids,
        uint256[] memory amounts
    ) private view returns (bytes memory) {
        if (frozen[from]) return _frozenError(from);
        for (uint256 i = 0; i < ids.length; ++i) if (_batches[ids[i]].suspended) return _suspendedError(ids[i]);
        for (uint256 i = 0; i < ids.length; ++i) {
            uint256 balance = tradableOf[from][ids[i]] - _usedBefore(ids, amounts, i);
            if (balance < amounts[i]) return _balanceError(from, balance, amounts[i], ids[i]);
        }
        return "";
    }

    /// @dev The retirement registry's checks (pause, claim, then per batch in order) and the token's `retire`.
    function _predictRetireAll(Call memory c) private view returns (bytes memory err) {
        err = _predictClaim(c);
        if (err.length != 0) return err;
        address beneficiary = c.request.beneficiary == address(0) ? c.holder : c.request.beneficiary;
        bool custody = c.path == Path.Transfer || c.path == Path.BatchTransfer;
        for (uint256 i = 0; i < c.ids.length; ++i) {
            err = _predictOne(c, beneficiary, custody, i);
            if (err.length != 0) return err;
        }
    }

    function _predictOne(
        Call memory c,
        address beneficiary,
        bool custody,
        uint256 i
    ) private view returns (bytes memory) {
        (uint256 id, uint256 amount) = (c.ids[i], c.amounts[i]);
        if (amount == 0) return abi.encodeWithSelector(IRetirementRegistry.RetirementZeroAmount.selector, id);
        if (amount > type(uint64).max) {
            return abi.encodeWithSelector(IRetirementRegistry.RetirementAmountTooLarge.selector, id, amount);
        }
        if (id == 0 || id > batchCount) {
            return abi.encodeWithSelector(IRetirementRegistry.RetirementUnknownBatch.selector, id);
        }
        ClaimType claim = c.request.claimType;
        if (claim == ClaimType.NDC || claim == ClaimType.CORSIA) {
            BatchModel storage b = _batches[id];
            Authorisation needed = claim == ClaimType.NDC ? Authorisation.NDC : Authorisation.OIMP;
            if (b.authorisation != needed || b.adjustment != Adjustment.Applied) {
                return
                    abi.encodeWithSelector(
                        IRetirementRegistry.RetirementClaimNotAuthorised.selector,
                        id,
                        claim,
                        b.authorisation,
                        b.adjustment
                    );
            }
        }
        if (frozen[beneficiary]) return _frozenError(beneficiary);
        // On transfer the registry retires from its own custody: the transfer already checked the holder.
        if (custody) return "";
        if (frozen[c.holder]) return _frozenError(c.holder);
        if (_batches[id].suspended) return _suspendedError(id);
        uint256 balance = tradableOf[c.holder][id] - _usedBefore(c.ids, c.amounts, i);
        if (balance < amount) return _balanceError(c.holder, balance, amount, id);
        return "";
    }

    /// @dev The claim checks: name and commitment, consumption period, then a neutrality claim's target and the
    /// entity's consent (beneficiary, retiree or claimant, or authorised the claimant: the caller, or the operator of
    /// the transfer, which is the holder here).
    function _predictClaim(Call memory c) private view returns (bytes memory) {
        IRetirementRegistry.RetirementRequest memory r = c.request;
        if (bytes(r.beneficiaryName).length != 0 && r.beneficiaryCommitment != bytes32(0)) {
            return _err(IRetirementRegistry.RetirementNameAndCommitment.selector);
        }
        if (r.consumptionEnd != 0 && r.consumptionEnd < r.consumptionStart) {
            return
                abi.encodeWithSelector(
                    IRetirementRegistry.RetirementInvalidConsumptionPeriod.selector,
                    r.consumptionStart,
                    r.consumptionEnd
                );
        }
        if (r.claimType == ClaimType.Neutrality && (r.claimEntity == address(0) || r.claimPeriod == 0)) {
            return
                abi.encodeWithSelector(
                    IRetirementRegistry.RetirementMissingClaimTarget.selector,
                    r.claimEntity,
                    r.claimPeriod
                );
        }
        if (r.claimType == ClaimType.Neutrality) {
            address beneficiary = r.beneficiary == address(0) ? c.holder : r.beneficiary;
            address entity = r.claimEntity;
            if (
                entity != beneficiary &&
                entity != c.holder &&
                entity != c.operator &&
                !claimAuthorised[entity][c.operator]
            ) {
                return
                    abi.encodeWithSelector(
                        IRetirementRegistry.RetirementClaimNotConsented.selector,
                        entity,
                        c.operator
                    );
            }
        }
        return "";
    }

    // ================================================================ model updates

    function _recordRetirements(Call memory c) private {
        IRetirementRegistry.RetirementRequest memory r = c.request;
        address beneficiary = r.beneficiary == address(0) ? c.holder : r.beneficiary;
        for (uint256 i = 0; i < c.ids.length; ++i) {
            (uint256 id, uint256 amount) = (c.ids[i], c.amounts[i]);
            BatchModel storage b = _batches[id];
            _records.push(
                RecordModel({
                    batchId: id,
                    amount: amount,
                    firstUnit: b.retired,
                    beneficiary: beneficiary,
                    retiree: c.holder,
                    certified: !r.skipCertificate,
                    claimType: r.claimType,
                    authorisation: b.authorisation,
                    adjustment: b.adjustment
                })
            );
            uint256 retirementId = _records.length;
            b.retired += uint128(amount);
            tradableOf[c.holder][id] -= amount;
            retiredOf[beneficiary][id] += amount;
            _byBeneficiary[beneficiary].push(retirementId);
            _byRetiree[c.holder].push(retirementId);
            _byBatch[id].push(retirementId);
            // The voluntary total leaves compliance surrenders out; every unit counts under one claim type.
            if (r.claimType != ClaimType.Compliance) totalFor[beneficiary] += amount;
            totalByClaim[beneficiary][r.claimType] += amount;
            if (!r.skipCertificate) ++certificateCount[beneficiary];
            if (r.claimType == ClaimType.Neutrality) retiredAgainst[r.claimEntity][r.claimPeriod] += amount;
        }
    }

    // ================================================================ outcome checks

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

    function _claimTypeOf(uint256 mode) private pure returns (ClaimType) {
        if (mode < MODE_COMPLIANCE || mode >= MODE_NAME_AND_COMMITMENT) return ClaimType.VoluntaryOffset;
        if (mode < MODE_NEUTRALITY) return ClaimType.Compliance;
        if (mode < MODE_NDC) return ClaimType.Neutrality;
        if (mode < MODE_CORSIA) return ClaimType.NDC;
        return ClaimType.CORSIA;
    }

    function _article6Of(uint256 mode) private pure returns (Authorisation, Adjustment) {
        if (mode < 3) return (Authorisation.NDC, Adjustment.Applied);
        if (mode == 3) return (Authorisation.NDC, Adjustment.Pending);
        if (mode < 6) return (Authorisation.OIMP, Adjustment.Applied);
        if (mode == 6) return (Authorisation.None, Adjustment.NotApplicable);
        return (Authorisation.None, Adjustment.Applied);
    }

    /// @dev What entries before `i` take from the batch of entry `i`.
    function _usedBefore(
        uint256[] memory ids,
        uint256[] memory amounts,
        uint256 i
    ) private pure returns (uint256 used) {
        for (uint256 j = 0; j < i; ++j) if (ids[j] == ids[i]) used += amounts[j];
    }

    /// @dev Mirrors the registry's `_matchTransfer`: an empty request, or exactly the transferred ids and amounts.
    function _matchesTransfer(
        IRetirementRegistry.RetirementRequest memory r,
        uint256[] memory ids,
        uint256[] memory amounts
    ) private pure returns (bool) {
        if (r.ids.length == 0 && r.amounts.length == 0) return true;
        if (r.ids.length != ids.length || r.amounts.length != amounts.length) return false;
        for (uint256 i = 0; i < ids.length; ++i) if (r.ids[i] != ids[i] || r.amounts[i] != amounts[i]) return false;
        return true;
    }

    function _withExtra(uint256[] memory a) private pure returns (uint256[] memory b) {
        b = new uint256[](a.length + 1);
        for (uint256 i = 0; i < a.length; ++i) b[i] = a[i];
        b[a.length] = 1;
    }

    function _firstPlusOne(uint256[] memory a) private pure returns (uint256[] memory b) {
        b = new uint256[](a.length);
        for (uint256 i = 0; i < a.length; ++i) b[i] = a[i];
        b[0] += 1;
    }
}
