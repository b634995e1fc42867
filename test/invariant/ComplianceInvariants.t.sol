// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {IAllowanceAuction} from "../../contracts/interfaces/IAllowanceAuction.sol";
import {IComplianceRegistry} from "../../contracts/interfaces/IComplianceRegistry.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";

import {ComplianceHandler} from "./ComplianceHandler.sol";
import {SuiteSetup} from "./SuiteSetup.sol";

/// @notice Handler-based invariant test of the emissions-trading system: allowance supply per period equals
/// allocated + auctioned − surrendered and the holders' balances; the auction's escrow equals its unclaimed bids'
/// deposits; caps hold; no compliance status goes from compliant back to pending or changes after settlement; every
/// call behaves as the handler's model predicts.
contract ComplianceInvariantsTest is SuiteSetup, Test {
    uint64 internal constant FIRST = 2026;
    uint64 internal constant SECOND = 2027;

    ERC20Mock internal usdc;
    ComplianceHandler internal handler;
    address internal treasury = makeAddr("treasury");
    address[] internal actors;
    uint64[] internal periods;

    function setUp() public {
        _deploySuite();
        _deployRetirement();
        _deployCompliance(treasury);
        usdc = new ERC20Mock();

        // 2026 reports in 5 days and surrenders until day 15; 2027 reports in 8 days and surrenders until day 30, so
        // 2026 allowances can be banked into 2027 from day 8.
        periods.push(FIRST);
        periods.push(SECOND);
        manager.grantRole(Roles.REGULATOR, address(this), 0);
        _openPeriod(FIRST, uint64(block.timestamp + 5 days), uint64(block.timestamp + 15 days), 1_000);
        _openPeriod(SECOND, uint64(block.timestamp + 8 days), uint64(block.timestamp + 30 days), 1_000);
        for (uint256 i = 0; i < 3; ++i) {
            address operator = makeAddr(string.concat("operator", vm.toString(i)));
            actors.push(operator);
            compliance.registerInstallation(operator, 1, "DE");
        }

        handler = new ComplianceHandler(compliance, auction, usdc, actors, periods);
        manager.grantRole(Roles.REGULATOR, address(handler), 0);
        manager.grantRole(Roles.VERIFIER, address(handler), 0);
        ledger.accreditVerifier(address(handler), 1);

        bytes4[] memory selectors = new bytes4[](18);
        selectors[0] = ComplianceHandler.allocate.selector;
        selectors[1] = ComplianceHandler.attest.selector;
        selectors[2] = ComplianceHandler.transfer.selector;
        selectors[3] = ComplianceHandler.surrender.selector;
        selectors[4] = ComplianceHandler.settle.selector;
        selectors[5] = ComplianceHandler.freeze.selector;
        selectors[6] = ComplianceHandler.unfreeze.selector;
        selectors[7] = ComplianceHandler.warp.selector;
        selectors[8] = ComplianceHandler.openAuction.selector;
        selectors[9] = ComplianceHandler.commit.selector;
        selectors[10] = ComplianceHandler.reveal.selector;
        selectors[11] = ComplianceHandler.settleAuction.selector;
        selectors[12] = ComplianceHandler.claim.selector;
        selectors[13] = ComplianceHandler.allocate.selector;
        selectors[14] = ComplianceHandler.surrender.selector;
        selectors[15] = ComplianceHandler.commit.selector;
        selectors[16] = ComplianceHandler.reveal.selector;
        selectors[17] = ComplianceHandler.unfreeze.selector;
        targetContract(address(handler));
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    // ================================================================ invariants

    /// @notice Per period: supply == allocated + auctioned − surrendered == Σ holders' balances; within the caps.
    function invariant_allowanceSupply() public view {
        for (uint256 j = 0; j < periods.length; ++j) {
            uint64 period = periods[j];
            IComplianceRegistry.Period memory p = compliance.getPeriod(period);
            uint256 supply = allowance.totalSupply(period);
            assertEq(supply, uint256(p.allocated) + p.auctioned - p.burned, "supply != allocated + auctioned - burned");
            uint256 held;
            for (uint256 i = 0; i < actors.length; ++i) held += allowance.balanceOf(actors[i], period);
            assertEq(held, supply, "balances != supply");
            assertLe(p.allocated, p.config.cap - p.config.auctionVolume, "free allocation above its room");
            assertLe(uint256(p.auctioned) + p.auctionReserved, p.config.auctionVolume, "auctions above their volume");
        }
    }

    /// @notice The auction's payment balance equals the deposits of its unclaimed bids.
    function invariant_auctionEscrow() public view {
        (, uint256 bids) = auction.counts();
        uint256 open;
        for (uint256 k = 1; k <= bids; ++k) {
            IAllowanceAuction.Bid memory bid = auction.getBid(k);
            if (!bid.claimed) open += bid.deposit;
        }
        assertEq(usdc.balanceOf(address(auction)), open, "auction escrow != unclaimed deposits");
    }

    /// @notice No status went from compliant back to pending, and none changed after settlement.
    function invariant_statusMonotone() public view {
        assertEq(handler.regressions(), 0, "a compliance status regressed");
    }

    /// @notice Every call behaved as the model predicted.
    function invariant_noViolation() public view {
        assertEq(handler.violations(), 0, handler.lastViolation());
    }

    // ================================================================ coverage

    /// @notice Drives each action through a success and a refusal with fixed inputs.
    function test_handlerCoverage() public {
        // Allocation: installation 1, 2026, then above the room (69,000 t free); attestations for 1 and 2.
        handler.allocate(0, 0, 40_000);
        handler.allocate(0, 0, 10_000_000_000);
        handler.attest(0, 0, 30_000);
        handler.attest(1, 0, 20_000);
        handler.attest(0, 0, 35_000); // a correction
        // Trading: operator 0 sends 5,000 to operator 1 (to a frozen one, below, is refused).
        handler.transfer(0, 1, 0, 5_000);
        // Surrender before reporting closes is refused.
        handler.surrender(0, 0, 0, 1_000);
        // An auction of 2026: bids by 0 (short deposit, mode 0), 1 and 2, revealed, settled in pages, claimed.
        handler.openAuction(0, 20_000, 10);
        handler.openAuction(0, 100_000_000_000, 10);
        handler.commit(0, 0, 100, 1_000, 0);
        handler.commit(1, 0, 100, 15_000, 1);
        handler.commit(2, 0, 50, 10_000, 1);
        handler.reveal(0);
        handler.warp(1 days);
        handler.commit(1, 0, 100, 1_000, 1);
        handler.reveal(0);
        handler.reveal(1);
        handler.reveal(1);
        handler.reveal(2);
        handler.claim(1);
        handler.warp(1 days);
        handler.settleAuction(0, 1);
        handler.settleAuction(0, 1);
        handler.settleAuction(0, 1);
        handler.freeze(1);
        handler.freeze(1);
        handler.claim(1);
        handler.transfer(0, 1, 0, 100);
        handler.unfreeze(1);
        handler.unfreeze(1);
        handler.claim(0);
        handler.claim(1);
        handler.claim(2);
        handler.claim(2);
        // Day 10: reporting closed for both periods: attestations are refused; surrenders work, a future period's allowances are refused.
        handler.warp(8 days);
        handler.attest(0, 0, 1);
        handler.surrender(0, 0, 0, 29_000);
        handler.surrender(1, 0, 0, 5_000);
        handler.surrender(0, 0, 1, 1);
        // Banking: 2026 allowances surrendered for 2027.
        handler.surrender(0, 1, 0, 1_000);
        // Settlement after the deadline: installation 1 compliant, 2 short; twice is refused.
        handler.settle(0, 0);
        handler.warp(8 days);
        handler.warp(8 days);
        handler.settle(0, 0);
        handler.settle(1, 0);
        handler.settle(0, 0);
        handler.allocate(0, 0, 1);
        _assertClean();
        // Installation 2 emitted 20,000 and surrendered 5,000 (its 15,000 from the auction are left unused): the
        // 15,000 short go to 2028, as 2027's reporting had closed by the time of settlement.
        assertEq(compliance.accountOf(2, SECOND).makeGood, 0);
        assertEq(compliance.accountOf(2, SECOND + 1).makeGood, 15_000);
        assertEq(handler.makeGoodOf(2, SECOND + 1), 15_000);

        for (uint256 a = 0; a <= uint256(ComplianceHandler.Action.Claim); ++a) {
            ComplianceHandler.Action action = ComplianceHandler.Action(a);
            assertGt(handler.succeeded(action), 0, string.concat("no success for action ", vm.toString(a)));
            if (action != ComplianceHandler.Action.Warp && action != ComplianceHandler.Action.SettleAuction) {
                assertGt(handler.rejected(action), 0, string.concat("no refusal for action ", vm.toString(a)));
            }
        }
    }

    function _assertClean() private view {
        assertEq(handler.violations(), 0, handler.lastViolation());
        invariant_allowanceSupply();
        invariant_auctionEscrow();
        invariant_statusMonotone();
    }
}
