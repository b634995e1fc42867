// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {CommonBase} from "forge-std/Base.sol";
import {AccessManager} from "@openzeppelin/contracts/access/manager/AccessManager.sol";

import {Roles} from "../../contracts/access/Roles.sol";
import {ICarbonRegistry} from "../../contracts/interfaces/ICarbonRegistry.sol";
import {BatchCriteria, Category} from "../../contracts/interfaces/ICarbonTypes.sol";
import {IComplianceRegistry} from "../../contracts/interfaces/IComplianceRegistry.sol";
import {CarbonMarketplace} from "../../contracts/market/CarbonMarketplace.sol";
import {AllowanceAuction} from "../../contracts/compliance/AllowanceAuction.sol";
import {ComplianceRegistry} from "../../contracts/compliance/ComplianceRegistry.sol";
import {EmissionsLedger} from "../../contracts/emissions/EmissionsLedger.sol";
import {ERC20Mock} from "../../contracts/mocks/ERC20Mock.sol";
import {RetirementPrimitiveMock} from "../../contracts/mocks/RetirementPrimitiveMock.sol";
import {CarbonRegistry} from "../../contracts/registry/CarbonRegistry.sol";
import {RetirementCertificate} from "../../contracts/retirement/RetirementCertificate.sol";
import {RetirementRegistry} from "../../contracts/retirement/RetirementRegistry.sol";
import {CarbonCredit} from "../../contracts/token/CarbonCredit.sol";
import {EmissionAllowance} from "../../contracts/token/EmissionAllowance.sol";

/// @notice Deploys the CNT registry and credit token (and, opt-in, the retirement registry and its certificate)
/// behind one AccessManager, wired as `scripts/lib/permissions.ts` wires them, and drives a project through
/// registration, MRV and issuance.
abstract contract SuiteSetup is CommonBase {
    string internal constant STANDARD = "VCS";
    string internal constant OTHER_STANDARD = "GS";

    AccessManager internal manager;
    CarbonRegistry internal registry;
    CarbonCredit internal credit;
    RetirementCertificate internal certificate;
    RetirementRegistry internal retirement;
    EmissionsLedger internal ledger;
    ComplianceRegistry internal compliance;
    EmissionAllowance internal allowance;
    AllowanceAuction internal auction;
    uint256 internal methodologyId;

    uint256 private _reportNonce;

    /// @dev Deploys the suite with this contract as the AccessManager admin and wires every permission.
    function _deploySuite() internal {
        manager = new AccessManager(address(this));
        registry = new CarbonRegistry(address(manager));
        credit = new CarbonCredit(address(manager), address(registry));
        _wirePermissions();
        registry.initialize(credit);
    }

    /// @dev Opt-in, after {_deploySuite}: deploys the certificate and the retirement registry and wires them as
    /// `scripts/lib/suite.ts` does: pause/unpause to PAUSER, the registry as the certificate's only minter (ADMIN),
    /// and the retirement registry bound to the credit token as the only caller of its `retire`.
    function _deployRetirement() internal {
        certificate = new RetirementCertificate(address(manager));
        retirement = new RetirementRegistry(address(manager), credit, registry, certificate);
        bytes4[] memory pauser = new bytes4[](2);
        pauser[0] = RetirementRegistry.pause.selector;
        pauser[1] = RetirementRegistry.unpause.selector;
        manager.setTargetFunctionRole(address(retirement), pauser, Roles.PAUSER);
        certificate.setMinter(address(retirement));
        credit.bindRetirementRegistry(address(retirement));
    }

    /// @dev Instead of {_deployRetirement}, for tests of the credit token alone: binds a stand-in that forwards any
    /// call to the token's `retire` primitive (no consent check), as the suite binds the retirement registry.
    function _bindRetirementPrimitive() internal returns (RetirementPrimitiveMock primitive) {
        primitive = new RetirementPrimitiveMock(credit);
        credit.bindRetirementRegistry(address(primitive));
    }

    /// @dev Deploys the marketplace (after {_deployRetirement}) with the fee and pause permissions of
    /// `scripts/lib/permissions.ts`, and allows the credit token as an asset, as `scripts/lib/suite.ts` does, and a
    /// fresh stablecoin mock as payment.
    function _deployMarketplace(address treasury) internal returns (CarbonMarketplace marketplace, ERC20Mock cash) {
        marketplace = new CarbonMarketplace(address(manager), retirement, treasury);
        bytes4[] memory treasurer = new bytes4[](2);
        treasurer[0] = CarbonMarketplace.setFee.selector;
        treasurer[1] = CarbonMarketplace.setTreasury.selector;
        manager.setTargetFunctionRole(address(marketplace), treasurer, Roles.TREASURER);
        bytes4[] memory pauser = new bytes4[](2);
        pauser[0] = CarbonMarketplace.pause.selector;
        pauser[1] = CarbonMarketplace.unpause.selector;
        manager.setTargetFunctionRole(address(marketplace), pauser, Roles.PAUSER);
        marketplace.setAssetAllowed(address(credit), true);
        cash = new ERC20Mock();
        marketplace.setPaymentTokenAllowed(address(cash), true);
    }

    /// @dev Opt-in, after {_deployRetirement}: deploys the emissions ledger, the compliance registry, the allowance token
    /// and the auction with the REGULATOR and VERIFIER permissions of `scripts/lib/permissions.ts`, the registry bound
    /// to the ledger and the auction bound to the registry; their pause and treasury functions stay ADMIN-only
    /// here (the handlers do not drive them). Penalties and proceeds go to `treasury`.
    function _deployCompliance(address treasury) internal {
        ledger = new EmissionsLedger(address(manager), retirement);
        compliance = new ComplianceRegistry(address(manager), ledger, retirement, treasury);
        allowance = new EmissionAllowance(address(manager), address(compliance));
        auction = new AllowanceAuction(address(manager), compliance, treasury);
        compliance.initialize(allowance);

        bytes4[] memory ledgerRegulator = new bytes4[](3);
        ledgerRegulator[0] = EmissionsLedger.accreditVerifier.selector;
        ledgerRegulator[1] = EmissionsLedger.revokeVerifier.selector;
        ledgerRegulator[2] = EmissionsLedger.setReportingDeadline.selector;
        manager.setTargetFunctionRole(address(ledger), ledgerRegulator, Roles.REGULATOR);
        bytes4[] memory ledgerVerifier = new bytes4[](2);
        ledgerVerifier[0] = EmissionsLedger.attest.selector;
        ledgerVerifier[1] = EmissionsLedger.correct.selector;
        manager.setTargetFunctionRole(address(ledger), ledgerVerifier, Roles.VERIFIER);

        bytes4[] memory allowanceRegulator = new bytes4[](2);
        allowanceRegulator[0] = EmissionAllowance.freeze.selector;
        allowanceRegulator[1] = EmissionAllowance.unfreeze.selector;
        manager.setTargetFunctionRole(address(allowance), allowanceRegulator, Roles.REGULATOR);

        bytes4[] memory complianceRegulator = new bytes4[](8);
        complianceRegulator[0] = ComplianceRegistry.registerInstallation.selector;
        complianceRegulator[1] = ComplianceRegistry.updateOperator.selector;
        complianceRegulator[2] = ComplianceRegistry.closeInstallation.selector;
        complianceRegulator[3] = ComplianceRegistry.openPeriod.selector;
        complianceRegulator[4] = ComplianceRegistry.allocate.selector;
        complianceRegulator[5] = ComplianceRegistry.allocateMany.selector;
        complianceRegulator[6] = ComplianceRegistry.settle.selector;
        complianceRegulator[7] = ComplianceRegistry.setCrossBorderRule.selector;
        manager.setTargetFunctionRole(address(compliance), complianceRegulator, Roles.REGULATOR);

        bytes4[] memory auctionRegulator = new bytes4[](1);
        auctionRegulator[0] = AllowanceAuction.openAuction.selector;
        manager.setTargetFunctionRole(address(auction), auctionRegulator, Roles.REGULATOR);

        ledger.bindComplianceRegistry(address(compliance));
        compliance.bindAuction(address(auction));
    }

    /// @dev The regulator opens compliance `period` (after {_deployCompliance}): a cap of 100,000, 30,000 of it for
    /// auction, no penalty, any credit eligible as an offset up to `offsetLimitBps` of verified emissions.
    function _openPeriod(
        uint64 period,
        uint64 reportingDeadline,
        uint64 surrenderDeadline,
        uint16 offsetLimitBps
    ) internal {
        ledger.setReportingDeadline(period, reportingDeadline);
        BatchCriteria memory any;
        compliance.openPeriod(
            period,
            IComplianceRegistry.PeriodConfig({
                cap: 100_000,
                auctionVolume: 30_000,
                surrenderDeadline: surrenderDeadline,
                offsetLimitBps: offsetLimitBps,
                penaltyPerTonne: 0,
                penaltyToken: address(0),
                eligibility: any
            })
        );
        // The suite's installations and projects are in different countries.
        compliance.setCrossBorderRule(period, IComplianceRegistry.CrossBorderRule.Allowed);
    }

    /// @dev The revert data of a custom error without arguments.
    function _err(bytes4 selector) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(selector);
    }

    /// @dev Mirrors `Permissions` of `scripts/lib/permissions.ts`; unlisted functions stay ADMIN-only.
    function _wirePermissions() internal {
        bytes4[] memory registrar = new bytes4[](15);
        registrar[0] = CarbonRegistry.addMethodology.selector;
        registrar[1] = CarbonRegistry.setMethodologyActive.selector;
        registrar[2] = CarbonRegistry.accreditVerifier.selector;
        registrar[3] = CarbonRegistry.revokeVerifier.selector;
        registrar[4] = CarbonRegistry.approveProject.selector;
        registrar[5] = CarbonRegistry.rejectProject.selector;
        registrar[6] = CarbonRegistry.suspendProject.selector;
        registrar[7] = CarbonRegistry.issueBatch.selector;
        registrar[8] = CarbonRegistry.recordReversal.selector;
        registrar[9] = CarbonRegistry.suspendBatch.selector;
        registrar[10] = CarbonRegistry.reinstateBatch.selector;
        registrar[11] = CarbonRegistry.setArticle6Status.selector;
        registrar[12] = CarbonRegistry.addStandard.selector;
        registrar[13] = CarbonRegistry.setStandardActive.selector;
        registrar[14] = CarbonRegistry.setAffiliation.selector;
        manager.setTargetFunctionRole(address(registry), registrar, Roles.REGISTRAR);

        bytes4[] memory verifier = new bytes4[](2);
        verifier[0] = CarbonRegistry.verifyReport.selector;
        verifier[1] = CarbonRegistry.rejectReport.selector;
        manager.setTargetFunctionRole(address(registry), verifier, Roles.VERIFIER);

        bytes4[] memory pauser = new bytes4[](2);
        pauser[0] = CarbonRegistry.pause.selector;
        pauser[1] = CarbonRegistry.unpause.selector;
        manager.setTargetFunctionRole(address(registry), pauser, Roles.PAUSER);
        manager.setTargetFunctionRole(address(credit), pauser, Roles.PAUSER);

        bytes4[] memory admin = new bytes4[](1);
        admin[0] = CarbonRegistry.initialize.selector;
        manager.setTargetFunctionRole(address(registry), admin, Roles.ADMIN);

        bytes4[] memory regulator = new bytes4[](2);
        regulator[0] = CarbonCredit.freeze.selector;
        regulator[1] = CarbonCredit.unfreeze.selector;
        manager.setTargetFunctionRole(address(credit), regulator, Roles.REGULATOR);
    }

    /// @dev Grants REGISTRAR, VERIFIER, REGULATOR and PAUSER to `account`, with no execution delay.
    function _grantOperatorRoles(address account) internal {
        manager.grantRole(Roles.REGISTRAR, account, 0);
        manager.grantRole(Roles.VERIFIER, account, 0);
        manager.grantRole(Roles.REGULATOR, account, 0);
        manager.grantRole(Roles.PAUSER, account, 0);
    }

    /// @dev Adds an active methodology and accredits `verifier` for it. The caller needs REGISTRAR.
    function _addMethodology(address verifier) internal returns (uint256 id) {
        id = registry.addMethodology("VM0047", Category.Removal, "ipfs://vm0047");
        registry.accreditVerifier(verifier, id);
    }

    /// @dev The id of the standard with code `code`, added first if missing. The caller needs REGISTRAR then.
    function _standardId(string memory code) internal returns (uint32 id) {
        id = uint32(registry.standardIdOf(code));
        if (id == 0) id = registry.addStandard(code, "");
    }

    /// @dev The serial namespace of the standard with code `code` (added first if missing).
    function _namespaceOf(string memory code) internal returns (bytes32) {
        return registry.namespaceOf(_standardId(code));
    }

    /// @dev `proponent` registers a project under `standard` (added if missing) with a fresh external reference;
    /// this contract (REGISTRAR) approves it.
    function _registerApproved(
        address proponent,
        string memory standard,
        uint16 bufferBps
    ) internal returns (uint256 projectId) {
        uint32 standardId = _standardId(standard);
        // The next project id: unique across every contract that registers projects in this suite.
        (, uint256 projects, , ) = registry.counts();
        string memory externalRef = string.concat("REF-", vm.toString(projects + 1));
        vm.prank(proponent);
        projectId = registry.registerProject(
            ICarbonRegistry.ProjectRegistration({
                methodologyId: uint32(methodologyId),
                bufferBps: bufferBps,
                standardId: standardId,
                externalRef: externalRef,
                jurisdiction: "KE",
                uri: "ipfs://project"
            })
        );
        registry.approveProject(projectId, keccak256("approved"));
    }

    /// @dev Moves time on, has the proponent submit a report of `quantity` units from `serialStart` for the period
    /// since the last issuance, and verifies it (this contract must be an accredited verifier, not the proponent).
    function _submitVerified(
        uint256 projectId,
        uint128 serialStart,
        uint128 quantity
    ) internal returns (uint256 reportId) {
        ICarbonRegistry.Project memory p = registry.getProject(projectId);
        vm.warp(block.timestamp + 1 days);
        bytes32 reportHash = keccak256(abi.encode("report", ++_reportNonce));
        vm.prank(p.proponent);
        reportId = registry.submitReport(
            ICarbonRegistry.ReportSubmission({
                projectId: uint64(projectId),
                periodStart: p.lastIssuedPeriodEnd,
                periodEnd: uint64(block.timestamp),
                quantity: quantity,
                serialStart: serialStart,
                serialEnd: serialStart + quantity - 1,
                reportHash: reportHash,
                uri: "ipfs://report"
            })
        );
        registry.verifyReport(reportId, keccak256(abi.encode("verified", reportId)));
    }

    /// @dev Submits, verifies and issues a batch; returns its id.
    function _issue(
        uint256 projectId,
        uint128 serialStart,
        uint128 quantity,
        uint256 hint
    ) internal returns (uint256 batchId) {
        uint256 reportId = _submitVerified(projectId, serialStart, quantity);
        batchId = registry.issueBatch(reportId, hint);
    }
}
