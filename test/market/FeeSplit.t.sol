// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Test} from "forge-std/Test.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {ICarbonMarketplace} from "../../contracts/interfaces/ICarbonMarketplace.sol";
import {CarbonMarketplace} from "../../contracts/market/CarbonMarketplace.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";

import {SuiteSetup} from "../invariant/SuiteSetup.sol";

/// @notice Fuzz test of the marketplace's fee rounding (issue 14, break 6): for any price, fee and split of a
/// purchase into fills, the fills together pay at least the fee of the whole purchase, and every fill pays exactly
/// `paid == sellerProceeds + fee`.
contract FeeSplitFuzzTest is SuiteSetup, Test {
    uint128 internal constant QUANTITY = 10_000;
    uint256 internal constant MAX_PARTS = 12;

    CarbonMarketplace internal market;
    ERC20Mock internal usdc;
    address internal treasury = makeAddr("treasury");
    address internal seller = makeAddr("seller");
    address internal whole = makeAddr("whole");
    address internal splitter = makeAddr("splitter");
    uint256 internal batchId;

    function setUp() public {
        _deploySuite();
        _deployRetirement();
        _grantOperatorRoles(address(this));
        methodologyId = _addMethodology(address(this));
        (market, usdc) = _deployMarketplace(treasury);
        manager.grantRole(Roles.TREASURER, address(this), 0);
        batchId = _issue(_registerApproved(seller, STANDARD, 0), 1, QUANTITY, 0);
        vm.prank(seller);
        credit.setApprovalForAll(address(market), true);
        for (uint256 i = 0; i < 2; ++i) {
            address buyer = i == 0 ? whole : splitter;
            usdc.mint(buyer, type(uint128).max);
            vm.prank(buyer);
            usdc.approve(address(market), type(uint256).max);
        }
    }

    /// @notice One purchase of `amount` units pays `fee(whole)`; the same units bought in `parts` fills of one
    /// `buyMany` pay `sum(fee(part)) >= fee(whole)`, and each side conserves value exactly.
    function testFuzz_splittingNeverPaysLessFee(uint256 price, uint256 feeBps, uint256 amount, uint256 seed) public {
        price = bound(price, 1, 1e18);
        feeBps = bound(feeBps, 0, 1_000);
        amount = bound(amount, 1, 1_000);
        market.setFee(uint16(feeBps));
        uint256 wholeListing = _list(amount, price);
        uint256 splitListing = _list(amount, price);

        // The whole purchase.
        uint256 treasuryBefore = usdc.balanceOf(treasury);
        uint256 sellerBefore = usdc.balanceOf(seller);
        vm.prank(whole);
        market.buy(wholeListing, amount, price, whole);
        uint256 wholeFee = usdc.balanceOf(treasury) - treasuryBefore;
        assertEq(wholeFee + usdc.balanceOf(seller) - sellerBefore, amount * price, "whole: paid != proceeds + fee");
        assertEq(wholeFee, (amount * price * feeBps + 9_999) / 10_000, "whole: fee != ceil(paid x bps / 10,000)");

        // The same units in up to MAX_PARTS fills of random sizes.
        ICarbonMarketplace.BuyOrder[] memory orders = _split(amount, price, splitListing, seed);
        treasuryBefore = usdc.balanceOf(treasury);
        sellerBefore = usdc.balanceOf(seller);
        uint256 splitterBefore = usdc.balanceOf(splitter);
        vm.prank(splitter);
        market.buyMany(orders, splitter);
        uint256 splitFee = usdc.balanceOf(treasury) - treasuryBefore;
        uint256 paid = splitterBefore - usdc.balanceOf(splitter);
        assertEq(paid, amount * price, "split: paid != amount x price");
        assertEq(splitFee + usdc.balanceOf(seller) - sellerBefore, paid, "split: paid != proceeds + fee");
        assertGe(splitFee, wholeFee, "splitting paid less fee than the whole purchase");
        assertEq(credit.balanceOf(splitter, batchId), amount);
        assertEq(credit.balanceOf(whole, batchId), amount);
    }

    /// @notice The attack of break 6 exactly: at a price of 99 and a 1% fee, 200 one-unit fills pay at least the
    /// 198 that one purchase of 200 pays (each fill pays 1, so 200).
    function test_oneUnitFillsPayAtLeastTheWholeFee() public {
        market.setFee(100);
        uint256 listingId = _list(200, 99);
        ICarbonMarketplace.BuyOrder[] memory orders = new ICarbonMarketplace.BuyOrder[](200);
        for (uint256 i = 0; i < 200; ++i) orders[i] = ICarbonMarketplace.BuyOrder(listingId, 1, 99);
        vm.prank(splitter);
        market.buyMany(orders, splitter);
        assertEq(usdc.balanceOf(treasury), 200, "200 one-unit fills pay one base unit each");
        assertGe(usdc.balanceOf(treasury), 198, "less than the whole purchase's fee");
    }

    function _list(uint256 amount, uint256 price) private returns (uint256) {
        vm.prank(seller);
        return market.list(address(credit), batchId, amount, price, address(usdc), 1, uint64(block.timestamp + 1 days));
    }

    /// @dev `amount` cut into 1 to MAX_PARTS positive parts at points drawn from `seed`.
    function _split(
        uint256 amount,
        uint256 price,
        uint256 listingId,
        uint256 seed
    ) private pure returns (ICarbonMarketplace.BuyOrder[] memory orders) {
        uint256 parts = bound(seed % 97, 1, amount < MAX_PARTS ? amount : MAX_PARTS);
        orders = new ICarbonMarketplace.BuyOrder[](parts);
        uint256 left = amount;
        for (uint256 i = 0; i < parts; ++i) {
            uint256 take = left - (parts - 1 - i);
            if (i + 1 < parts) {
                seed = uint256(keccak256(abi.encode(seed, i)));
                // At least one unit, and at least one unit left for each later part.
                take = 1 + (seed % take);
            }
            orders[i] = ICarbonMarketplace.BuyOrder(listingId, take, price);
            left -= take;
        }
    }
}
