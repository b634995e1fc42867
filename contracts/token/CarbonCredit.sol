// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Arrays} from "@openzeppelin/contracts/utils/Arrays.sol";

import {ICarbonCredit} from "../interfaces/ICarbonCredit.sol";
import {ICarbonRegistry} from "../interfaces/ICarbonRegistry.sol";
import {IRetirementRegistry} from "../interfaces/IRetirementRegistry.sol";
import {TransferStatus} from "../interfaces/ICarbonTypes.sol";
import {CreditMetadata} from "../libraries/CreditMetadata.sol";

/**
 * @title CarbonCredit
 * @notice ERC-1155 carbon credits of the CNT registry. Token id = batch id; 1 unit = 1 kg CO2e.
 *
 * Every holder has a tradable balance (the ERC-1155 balance) and a retired balance ({retiredBalanceOf}) that never
 * decreases and never moves. Retiring burns tradable units (a `TransferSingle` to `address(0)`, so every ERC-1155
 * tool sees supply drop) and credits the beneficiary's retired balance. Per batch,
 * `issued == Σ tradable + retired + cancelled`.
 *
 * Restrictions (pause, frozen accounts, suspended batches) are enforced in {_update}, the one token hook. They are
 * cheap when nothing is restricted: one storage slot holds the pause flag and the counts of frozen accounts and
 * suspended batches, and the per-account and per-batch flags are read only when those counts are non-zero.
 *
 * @custom:security-contact security@cnt.example
 */
contract CarbonCredit is ERC1155, AccessManaged, ICarbonCredit {
    using Arrays for uint256[];

    /// @dev What every transfer reads, packed in one slot.
    struct Restrictions {
        bool paused;
        uint64 frozenAccounts;
        uint64 suspendedBatches;
    }

    /// @dev Per-batch supply counters and the suspension flag (two slots; `suspended` read only when needed).
    struct BatchState {
        uint128 issued;
        uint128 retired;
        uint128 cancelled;
        bool suspended;
    }

    /// @inheritdoc ICarbonCredit
    address public immutable registry;

    Restrictions private _restrictions;
    address private _retirementRegistry;
    mapping(uint256 id => BatchState) private _batches;
    mapping(address account => bool) private _frozen;
    mapping(uint256 id => mapping(address account => uint256)) private _retiredBalances;

    modifier onlyRegistry() {
        if (msg.sender != registry) revert CarbonCreditOnlyRegistry(msg.sender);
        _;
    }

    /**
     * @param authority The AccessManager that governs this token.
     * @param registry_ The carbon registry: the only account that issues, cancels and suspends.
     */
    constructor(address authority, address registry_) ERC1155("") AccessManaged(authority) {
        registry = registry_;
    }

    // ------------------------------------------------------------------------------------------ registry primitives

    /// @inheritdoc ICarbonCredit
    function mintBatch(
        uint256 id,
        address proponent,
        uint256 amount,
        address bufferPool,
        uint256 buffer
    ) external onlyRegistry {
        BatchState storage batch = _batches[id];
        if (batch.issued != 0) revert CarbonCreditBatchExists(id);
        uint256 issued = amount + buffer;
        if (issued == 0) revert CarbonCreditZeroAmount();
        batch.issued = _toUint128(issued);
        if (amount != 0) _mint(proponent, id, amount, "");
        if (buffer != 0) _mint(bufferPool, id, buffer, "");
        emit BatchMinted(id, proponent, issued, bufferPool, buffer);
    }

    /// @inheritdoc ICarbonCredit
    function cancel(address holder, uint256 id, uint256 amount) external onlyRegistry returns (uint256 firstUnit) {
        if (_restrictions.paused) revert EnforcedPause();
        if (amount == 0) revert CarbonCreditZeroAmount();
        BatchState storage batch = _batches[id];
        if (batch.issued == 0) revert CarbonCreditUnknownBatch(id);
        // Cancellation is an administrative act of the registry: it bypasses the suspension and freeze checks of
        // {_update} (a suspended batch's buffer can still cover a reversal) but not the pause checked above.
        super._update(holder, address(0), _asSingletonArray(id), _asSingletonArray(amount));
        uint128 cancelledBefore = batch.cancelled;
        // The burn above succeeded, so amount <= holder's balance <= issued - retired - cancelled: no overflow.
        uint128 cancelledAfter = cancelledBefore + uint128(amount);
        batch.cancelled = cancelledAfter;
        firstUnit = batch.issued - cancelledAfter;
        emit Cancelled(id, holder, amount, firstUnit);
    }

    /// @inheritdoc ICarbonCredit
    function setSuspended(uint256 id, bool suspended) external onlyRegistry {
        // Suspending tightens and stays open while paused; reinstating waits for the unpause.
        if (!suspended && _restrictions.paused) revert EnforcedPause();
        BatchState storage batch = _batches[id];
        if (batch.issued == 0) revert CarbonCreditUnknownBatch(id);
        if (batch.suspended == suspended) revert CarbonCreditSuspensionUnchanged(id, suspended);
        batch.suspended = suspended;
        unchecked {
            // Each batch adds at most one to the count while suspended, and removes it when reinstated.
            if (suspended) ++_restrictions.suspendedBatches;
            else --_restrictions.suspendedBatches;
        }
        emit SuspensionChanged(id, suspended);
    }

    // ------------------------------------------------------------------------------------------ retirement primitive

    /// @inheritdoc ICarbonCredit
    function retire(
        address holder,
        address beneficiary,
        uint256 id,
        uint256 amount
    ) external returns (uint256 firstUnit) {
        // Bound to the one retirement registry (zero until bound, which no caller can be): no role reaches here.
        if (msg.sender != _retirementRegistry) revert CarbonCreditOnlyRetirementRegistry(msg.sender);
        if (amount == 0) revert CarbonCreditZeroAmount();
        if (beneficiary == address(0)) revert CarbonCreditInvalidBeneficiary(beneficiary);
        // The buffer pool's units back reversals: they are cancelled by the registry, never retired.
        if (holder == registry) revert CarbonCreditBufferPoolLocked(holder);
        if (_restrictions.frozenAccounts != 0 && _frozen[beneficiary]) revert CarbonCreditAccountFrozen(beneficiary);
        // Burns through {_update}: pause, freeze of `holder`, suspension and balance are checked there.
        _burn(holder, id, amount);
        BatchState storage batch = _batches[id];
        firstUnit = batch.retired;
        // The burn succeeded, so amount <= holder's balance <= issued - retired - cancelled: no overflow.
        batch.retired = batch.retired + uint128(amount);
        _retiredBalances[id][beneficiary] += amount;
        emit UnitsRetired(id, holder, beneficiary, amount, firstUnit, msg.sender);
    }

    /// @inheritdoc ICarbonCredit
    function bindRetirementRegistry(address retirementRegistry_) external restricted {
        address bound = _retirementRegistry;
        if (bound != address(0)) revert CarbonCreditRetirementRegistryAlreadyBound(bound);
        if (!_isRetirementRegistryOfThis(retirementRegistry_)) {
            revert CarbonCreditInvalidRetirementRegistry(retirementRegistry_);
        }
        _retirementRegistry = retirementRegistry_;
        emit RetirementRegistryBound(retirementRegistry_);
    }

    // ------------------------------------------------------------------------------------------ controls

    /// @inheritdoc ICarbonCredit
    function freeze(address account, bytes32 reasonHash) external restricted {
        // The registry (issuer and buffer pool) cannot be frozen: that would stop every issuance.
        if (account == address(0) || account == registry) revert CarbonCreditInvalidAccount(account);
        if (_frozen[account]) revert CarbonCreditFreezeUnchanged(account, true);
        _frozen[account] = true;
        unchecked {
            // Each account adds at most one while frozen: the count never exceeds the number of accounts.
            ++_restrictions.frozenAccounts;
        }
        emit AccountFrozen(account, reasonHash);
    }

    /// @inheritdoc ICarbonCredit
    function unfreeze(address account, bytes32 reasonHash) external restricted {
        // Freezing tightens and stays open while paused; unfreezing waits for the unpause.
        if (_restrictions.paused) revert EnforcedPause();
        if (!_frozen[account]) revert CarbonCreditFreezeUnchanged(account, false);
        _frozen[account] = false;
        unchecked {
            // The account was frozen, so the count is at least one.
            --_restrictions.frozenAccounts;
        }
        emit AccountUnfrozen(account, reasonHash);
    }

    /// @inheritdoc ICarbonCredit
    function pause() external restricted {
        if (_restrictions.paused) revert EnforcedPause();
        _restrictions.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc ICarbonCredit
    function unpause() external restricted {
        if (!_restrictions.paused) revert ExpectedPause();
        _restrictions.paused = false;
        emit Unpaused(msg.sender);
    }

    // ------------------------------------------------------------------------------------------ views

    /// @inheritdoc ICarbonCredit
    function retirementRegistry() external view returns (address) {
        return _retirementRegistry;
    }

    /// @inheritdoc ICarbonCredit
    function retiredBalanceOf(address account, uint256 id) external view returns (uint256) {
        return _retiredBalances[id][account];
    }

    /// @inheritdoc ICarbonCredit
    function supplyOf(uint256 id) external view returns (Supply memory) {
        BatchState storage batch = _batches[id];
        return Supply({issued: batch.issued, retired: batch.retired, cancelled: batch.cancelled});
    }

    /// @inheritdoc ICarbonCredit
    function totalSupply(uint256 id) public view returns (uint256) {
        BatchState storage batch = _batches[id];
        return batch.issued - batch.retired - batch.cancelled;
    }

    /// @inheritdoc ICarbonCredit
    function exists(uint256 id) public view returns (bool) {
        return _batches[id].issued != 0;
    }

    /// @inheritdoc ICarbonCredit
    function isFrozen(address account) external view returns (bool) {
        // Reads the restrictions word first: the slot every transfer reads anyway, so a caller that checks before
        // moving credits (the marketplace) pays for the per-account flag only while some account is frozen.
        return _restrictions.frozenAccounts != 0 && _frozen[account];
    }

    /// @inheritdoc ICarbonCredit
    function isSuspended(uint256 id) external view returns (bool) {
        return _batches[id].suspended;
    }

    /// @inheritdoc ICarbonCredit
    function paused() external view returns (bool) {
        return _restrictions.paused;
    }

    /// @inheritdoc ICarbonCredit
    function canTransfer(address from, address to, uint256 id, uint256 amount) external view returns (TransferStatus) {
        if (!exists(id)) return TransferStatus.UnknownBatch;
        if (_restrictions.paused) return TransferStatus.Paused;
        if (_frozen[from]) return TransferStatus.SenderFrozen;
        if (_frozen[to]) return TransferStatus.RecipientFrozen;
        if (_batches[id].suspended) return TransferStatus.BatchSuspended;
        if (to == address(0)) return TransferStatus.InvalidRecipient;
        if (balanceOf(from, id) < amount) return TransferStatus.InsufficientBalance;
        return TransferStatus.Ok;
    }

    /**
     * @notice The batch's metadata as a `data:application/json;base64,` URI built on chain from registry state:
     * name, project, methodology, vintage, jurisdiction, serial range, `decimals` 3, supply, Article 6 status and
     * the report and verification hashes.
     * @dev Reverts with {CarbonCreditUnknownBatch} for an id that was never issued.
     */
    function uri(uint256 id) public view override returns (string memory) {
        BatchState storage batch = _batches[id];
        if (batch.issued == 0) revert CarbonCreditUnknownBatch(id);
        ICarbonRegistry reg = ICarbonRegistry(registry);
        ICarbonRegistry.Batch memory b = reg.getBatch(id);
        ICarbonRegistry.Project memory p = reg.getProject(b.projectId);
        return
            CreditMetadata.tokenURI(
                CreditMetadata.Input({
                    id: id,
                    batch: b,
                    project: p,
                    methodology: reg.getMethodology(p.methodologyId),
                    report: reg.getReport(b.reportId),
                    supply: Supply({issued: batch.issued, retired: batch.retired, cancelled: batch.cancelled}),
                    suspended: batch.suspended
                })
            );
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC1155, IERC165) returns (bool) {
        return interfaceId == type(ICarbonCredit).interfaceId || super.supportsInterface(interfaceId);
    }

    // ------------------------------------------------------------------------------------------ the token hook

    /**
     * @dev The one token hook: every mint, transfer and retirement burn passes here. Reverts with
     * {EnforcedPause}, {CarbonCreditAccountFrozen} (sender, recipient or operator frozen) or
     * {CarbonCreditBatchSuspended}. The common case (nothing
     * restricted) reads one slot.
     */
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        Restrictions memory r = _restrictions;
        if (r.paused) revert EnforcedPause();
        if (r.frozenAccounts != 0) {
            if (_frozen[from]) revert CarbonCreditAccountFrozen(from);
            if (_frozen[to]) revert CarbonCreditAccountFrozen(to);
            // A frozen account cannot move credits as an operator either.
            address operator = _msgSender();
            if (_frozen[operator]) revert CarbonCreditAccountFrozen(operator);
        }
        if (r.suspendedBatches != 0) {
            for (uint256 i = 0; i < ids.length; ++i) {
                uint256 id = ids.unsafeMemoryAccess(i);
                if (_batches[id].suspended) revert CarbonCreditBatchSuspended(id);
            }
        }
        super._update(from, to, ids, values);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /// @dev Whether `account` is a contract that declares {IRetirementRegistry} (ERC-165) and whose `credit()` is this
    /// token. The marketplace and the registry also have `credit()`, but do not declare the interface.
    function _isRetirementRegistryOfThis(address account) private view returns (bool) {
        if (account.code.length == 0) return false;
        try IERC165(account).supportsInterface(type(IRetirementRegistry).interfaceId) returns (bool declared) {
            if (!declared) return false;
        } catch {
            return false;
        }
        try IRetirementRegistry(account).credit() returns (ICarbonCredit token) {
            return address(token) == address(this);
        } catch {
            return false;
        }
    }

    function _toUint128(uint256 value) private pure returns (uint128) {
        if (value > type(uint128).max) revert CarbonCreditAmountTooLarge(value);
        return uint128(value);
    }

    function _asSingletonArray(uint256 element) private pure returns (uint256[] memory array) {
        array = new uint256[](1);
        array[0] = element;
    }
}
