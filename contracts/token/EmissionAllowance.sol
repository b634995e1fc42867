// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessManaged} from "@openzeppelin/contracts/access/manager/AccessManaged.sol";
import {ERC1155} from "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Base64} from "@openzeppelin/contracts/utils/Base64.sol";
import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";

import {IEmissionAllowance} from "../interfaces/IEmissionAllowance.sol";
import {PauseLog} from "../libraries/PauseLog.sol";

/**
 * @title EmissionAllowance
 * @notice ERC-1155 emission allowances, token id = compliance period, 1 unit = 1 kg CO2e. Only the compliance
 * registry mints (allocation, auctions) and burns (surrender). Pause and freezes are enforced in {_update}, the one
 * token hook, from one packed slot. The pause flag is packed there for gas, with OpenZeppelin `Pausable`'s events,
 * errors and `paused()`; every pause is also logged so the compliance registry extends surrender windows by it.
 *
 * @custom:security-contact security@cnt.example
 */
contract EmissionAllowance is ERC1155, AccessManaged, IEmissionAllowance {
    using PauseLog for PauseLog.Log;

    /// @dev What every transfer reads, packed in one slot.
    struct Restrictions {
        bool paused;
        uint64 frozenAccounts;
    }

    /// @inheritdoc IEmissionAllowance
    address public immutable compliance;

    Restrictions private _restrictions;
    mapping(address account => bool) private _frozen;
    mapping(uint256 period => uint256) private _supply;
    /// @dev Whether the compliance registry is paused, as it reports it ({setCompliancePaused}).
    bool private _compliancePaused;
    /// @dev The compliance system's pauses: while this token or the compliance registry is paused.
    PauseLog.Log private _pauseLog;

    modifier onlyCompliance() {
        if (msg.sender != compliance) revert AllowanceOnlyCompliance(msg.sender);
        _;
    }

    /**
     * @param authority The AccessManager that governs this token.
     * @param compliance_ The compliance registry: the only account that mints and burns.
     */
    constructor(address authority, address compliance_) ERC1155("") AccessManaged(authority) {
        compliance = compliance_;
    }

    /// @inheritdoc IEmissionAllowance
    function mint(address to, uint256 period, uint256 amount) external onlyCompliance {
        if (amount == 0) revert AllowanceZeroAmount();
        _mint(to, period, amount, "");
    }

    /// @inheritdoc IEmissionAllowance
    function burn(address from, uint256 period, uint256 amount) external onlyCompliance {
        if (amount == 0) revert AllowanceZeroAmount();
        _burn(from, period, amount);
    }

    /// @inheritdoc IEmissionAllowance
    function freeze(address account, bytes32 reasonHash) external restricted {
        if (account == address(0) || account == compliance) revert AllowanceInvalidAccount(account);
        if (_frozen[account]) revert AllowanceFreezeUnchanged(account, true);
        _frozen[account] = true;
        unchecked {
            // Each account adds at most one while frozen.
            ++_restrictions.frozenAccounts;
        }
        emit AccountFrozen(account, reasonHash);
    }

    /// @inheritdoc IEmissionAllowance
    function unfreeze(address account, bytes32 reasonHash) external restricted {
        if (_restrictions.paused) revert EnforcedPause();
        if (!_frozen[account]) revert AllowanceFreezeUnchanged(account, false);
        _frozen[account] = false;
        unchecked {
            // The account was frozen, so the count is at least one.
            --_restrictions.frozenAccounts;
        }
        emit AccountUnfrozen(account, reasonHash);
    }

    /// @inheritdoc IEmissionAllowance
    function pause() external restricted {
        if (_restrictions.paused) revert EnforcedPause();
        _restrictions.paused = true;
        if (!_compliancePaused) _pauseLog.record();
        emit Paused(msg.sender);
    }

    /// @inheritdoc IEmissionAllowance
    function unpause() external restricted {
        if (!_restrictions.paused) revert ExpectedPause();
        _restrictions.paused = false;
        if (!_compliancePaused) _pauseLog.record();
        emit Unpaused(msg.sender);
    }

    /// @inheritdoc IEmissionAllowance
    function setCompliancePaused(bool paused_) external onlyCompliance {
        if (_compliancePaused == paused_) return;
        _compliancePaused = paused_;
        // A pause of the system starts or ends only when the token is not paused itself.
        if (!_restrictions.paused) _pauseLog.record();
        emit CompliancePauseRecorded(paused_);
    }

    /// @inheritdoc IEmissionAllowance
    function totalSupply(uint256 period) external view returns (uint256) {
        return _supply[period];
    }

    /// @inheritdoc IEmissionAllowance
    function isFrozen(address account) external view returns (bool) {
        return _restrictions.frozenAccounts != 0 && _frozen[account];
    }

    /// @inheritdoc IEmissionAllowance
    function paused() external view returns (bool) {
        return _restrictions.paused;
    }

    /// @inheritdoc IEmissionAllowance
    function pausesSince(uint64 from) external view returns (uint64[] memory) {
        return _pauseLog.since(from);
    }

    /// @inheritdoc IEmissionAllowance
    function extendedEnd(uint64 opensAt, uint64 closesAt) external view returns (uint64) {
        return _pauseLog.extend(opensAt, closesAt);
    }

    /// @notice The period's metadata as a `data:application/json;base64,` URI built on chain: name, `decimals` 3
    /// (1 unit = 1 kg, so 1,000 units = 1 tCO2e), period and supply.
    function uri(uint256 period) public view override returns (string memory) {
        string memory p = Strings.toString(period);
        bytes memory json = abi.encodePacked(
            '{"name":"CNT emission allowance, period ',
            p,
            '","description":"A permit to emit 1 kg CO2e in compliance period ',
            p,
            '.","decimals":3,"properties":{"period":"',
            p,
            '","supply":"',
            Strings.toString(_supply[period]),
            '","unit":"kg CO2e"}}'
        );
        return string.concat("data:application/json;base64,", Base64.encode(json));
    }

    /// @inheritdoc IERC165
    function supportsInterface(bytes4 interfaceId) public view override(ERC1155, IERC165) returns (bool) {
        return interfaceId == type(IEmissionAllowance).interfaceId || super.supportsInterface(interfaceId);
    }

    /**
     * @dev The one token hook: every mint, transfer and burn passes here. Reverts with `EnforcedPause` or
     * {AllowanceAccountFrozen} (sender, recipient or operator frozen); keeps each period's supply. A burn (only the
     * compliance registry burns, on a surrender) passes a frozen holder: a surrender only reduces its holdings.
     */
    function _update(address from, address to, uint256[] memory ids, uint256[] memory values) internal override {
        Restrictions memory r = _restrictions;
        if (r.paused) revert EnforcedPause();
        if (r.frozenAccounts != 0 && to != address(0)) {
            if (_frozen[from]) revert AllowanceAccountFrozen(from);
            if (_frozen[to]) revert AllowanceAccountFrozen(to);
            address operator = _msgSender();
            if (_frozen[operator]) revert AllowanceAccountFrozen(operator);
        }
        super._update(from, to, ids, values);
        // Only the compliance registry mints and burns, one period at a time.
        if (from == address(0)) _supply[ids[0]] += values[0];
        else if (to == address(0)) _supply[ids[0]] -= values[0];
    }
}
