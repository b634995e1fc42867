// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEmissionAllowance} from "./IEmissionAllowance.sol";
import {IEmissionsLedger} from "./IEmissionsLedger.sol";
import {IRetirementRegistry} from "./IRetirementRegistry.sol";
import {BatchCriteria, CriteriaMismatch} from "./ICarbonTypes.sol";

/**
 * @title IComplianceRegistry
 * @notice The compliance emissions-trading system: the regulator registers installations and opens periods with a
 * cap; allowances are allocated free or auctioned within the cap; each installation's verified emissions (from the
 * emissions ledger) must be covered by surrendering allowances of the period or earlier ones (banking) and, up to
 * an offset limit, eligible credits retired with a compliance claim; after the surrender deadline the regulator
 * settles: a shortfall becomes a penalty owed, payable on chain, and a make-good obligation carried forward.
 *
 * Amounts are in kg CO2e (allowance and credit units). The surrender window opens when the period's reporting
 * closes in the ledger (emissions are final) and closes at the surrender deadline, so an obligation never changes
 * once surrender starts and a compliant installation never becomes pending again.
 *
 * No administrative act takes a surrender window away: opening a period locks its reporting deadline in the ledger
 * (it may then only come earlier, which lengthens the window), and the window's end is pushed back by every second
 * this registry or the allowance token was paused during it ({surrenderWindow}); settlement waits for that end.
 * Pause follows OpenZeppelin `Pausable` (`Paused`/`Unpaused`, `EnforcedPause`/`ExpectedPause`): a paused registry
 * refuses every state change but `unpause` and the one-time `initialize`.
 */
interface IComplianceRegistry {
    /// @notice Compliance of an installation for a period: no verified emissions; obligation not yet met (or
    /// reporting still open); met; or settled short.
    enum ComplianceStatus {
        NoData,
        Pending,
        Compliant,
        NonCompliant
    }

    /**
     * @notice Whether credits hosted in another country than the installation's may be surrendered as offsets in a
     * period (countries compared by the ISO 3166-1 alpha-2 part of the jurisdiction codes, see {Jurisdictions}): Refused (the default), AuthorisedAdjusted (only a batch its host
     * authorised under Article 6, NDC or OIMP, with the corresponding adjustment Applied, so it is not also counted
     * by the host), or Allowed. Offsets of the installation's own country pass.
     */
    enum CrossBorderRule {
        Refused,
        AuthorisedAdjusted,
        Allowed
    }

    /// @notice A registered installation. `entity` is the account its emissions are recorded under in the ledger,
    /// derived from the installation id (see {entityOf}); the operator is the entity's controller there.
    /// `jurisdiction` is where it is, compact ISO 3166 (see {Jurisdictions}); its country decides cross-border offsets.
    struct Installation {
        address operator;
        uint32 sector;
        bool closed;
        address entity;
        bytes8 jurisdiction;
    }

    /**
     * @notice The rules of a compliance period.
     * @param cap Allowances that may ever exist for the period (kg).
     * @param auctionVolume The part of the cap reserved for auctions; free allocation gets the rest.
     * @param surrenderDeadline End of the surrender window (which opens at the ledger's reporting deadline).
     * @param offsetLimitBps Credits may cover at most this share of verified emissions (basis points).
     * @param penaltyPerTonne Penalty per tonne of excess emissions, in `penaltyToken` base units.
     * @param penaltyToken The ERC-20 penalties are paid in (zero when there is no penalty).
     * @param eligibility Which credit batches may be surrendered as offsets (minimum vintage, categories, Article 6
     * authorisation and adjustment, and any other criterion of {BatchCriteria}).
     */
    struct PeriodConfig {
        uint128 cap;
        uint128 auctionVolume;
        uint64 surrenderDeadline;
        uint16 offsetLimitBps;
        uint128 penaltyPerTonne;
        address penaltyToken;
        BatchCriteria eligibility;
    }

    /// @notice A period's configuration and its allowance accounting. `burned` counts allowances of this period
    /// surrendered (for this or a later period); supply is `allocated + auctioned - burned`.
    struct Period {
        PeriodConfig config;
        bool opened;
        uint128 allocated;
        uint128 auctionReserved;
        uint128 auctioned;
        uint128 burned;
    }

    /// @notice An installation's account for a period. `makeGood` is carried in from earlier shortfalls.
    struct Account {
        uint128 allowancesSurrendered;
        uint128 offsetsSurrendered;
        uint128 makeGood;
        uint128 penaltyOwed;
        bool settled;
        bool penaltyPaid;
        ComplianceStatus settledStatus;
    }

    /// @notice An auction's reservation of a period's auction volume: what it may still issue or release.
    struct AuctionReservation {
        uint64 period;
        uint128 reserved;
    }

    /**
     * @notice Make-good of an installation carried to `period` while that period was not opened here, last at
     * `carriedAt`. It waits in that period's account; if the period is still not opened when another period of the
     * installation, whose surrender window opened after `carriedAt`, is settled, it moves there (so make-good
     * carried to a period that is never opened does not vanish). A later carry to another unopened period gathers
     * it there.
     */
    struct MakeGoodDebt {
        uint64 period;
        uint64 carriedAt;
    }

    /// @notice Emitted when the regulator sets `period`'s cross-border rule for offsets.
    event CrossBorderRuleSet(uint64 indexed period, CrossBorderRule rule);

    /// @notice Emitted once, when the registry is wired to its allowance token.
    event AllowanceTokenSet(address indexed allowance);

    /// @notice Emitted when the regulator registers an installation.
    event InstallationRegistered(
        uint256 indexed installationId,
        address indexed operator,
        address indexed entity,
        uint32 sector,
        bytes8 jurisdiction
    );

    /// @notice Emitted when an installation changes operator.
    event OperatorUpdated(uint256 indexed installationId, address indexed previous, address indexed operator);

    /// @notice Emitted when an installation is closed: no more allocation; past obligations stand.
    event InstallationClosed(uint256 indexed installationId);

    /// @notice Emitted when the regulator opens a period.
    event PeriodOpened(uint64 indexed period, PeriodConfig config);

    /// @notice Emitted for each free allocation.
    event Allocated(uint64 indexed period, uint256 indexed installationId, address indexed operator, uint256 amount);

    /// @notice Emitted when ADMIN binds the one auction contract that may reserve, issue and release auction volume.
    event AuctionBound(address indexed auction);

    /// @notice Emitted when auction `auctionId` reserves `volume` of the period's auction volume.
    event AuctionVolumeReserved(uint64 indexed period, uint256 indexed auctionId, uint256 volume);

    /// @notice Emitted when a winner of auction `auctionId` receives `amount` allowances.
    event AuctionAllowancesIssued(uint64 indexed period, uint256 indexed auctionId, address indexed to, uint256 amount);

    /// @notice Emitted when auction `auctionId` gives back `volume` of its reservation it did not allocate.
    event AuctionVolumeReleased(uint64 indexed period, uint256 indexed auctionId, uint256 volume);

    /// @notice Emitted when allowances of `fromPeriod` are surrendered for `(installationId, period)`.
    event AllowancesSurrendered(
        uint256 indexed installationId,
        uint64 indexed period,
        uint64 indexed fromPeriod,
        uint256 amount
    );

    /// @notice Emitted when credits of `batchId` are retired (compliance claim, `retirementId`) for
    /// `(installationId, period)`.
    event OffsetsSurrendered(
        uint256 indexed installationId,
        uint64 indexed period,
        uint256 indexed batchId,
        uint256 amount,
        uint256 retirementId
    );

    /**
     * @notice Emitted when the regulator settles `(installationId, period)`: `shortfall` of the `obligation` was not
     * covered; it costs `penalty` and is carried as a make-good obligation to `makeGoodPeriod` (0 when none).
     */
    event Settled(
        uint256 indexed installationId,
        uint64 indexed period,
        ComplianceStatus status,
        uint256 obligation,
        uint256 surrendered,
        uint256 shortfall,
        uint256 penalty,
        uint64 makeGoodPeriod
    );

    /// @notice Emitted when `payer` pays an installation's penalty for `period` to the treasury.
    event PenaltyPaid(
        uint256 indexed installationId,
        uint64 indexed period,
        address indexed payer,
        address token,
        uint256 amount
    );

    /// @notice Emitted when the treasurer sets the treasury that receives penalties.
    event TreasurySet(address indexed treasury);

    /// @notice Emitted when make-good is carried to `period`, not opened: `amount` kg of the installation's make-good
    /// now wait there ({makeGoodOwed}, {MakeGoodDebt}).
    event MakeGoodWaiting(uint256 indexed installationId, uint64 indexed period, uint256 amount);

    /// @notice Emitted when settling `toPeriod` moves `amount` kg of make-good waiting in `fromPeriod`, never opened,
    /// into `toPeriod`'s obligation.
    event MakeGoodMoved(
        uint256 indexed installationId,
        uint64 indexed fromPeriod,
        uint64 indexed toPeriod,
        uint256 amount
    );

    /// @notice Thrown when initializing twice.
    error ComplianceAlreadyInitialized();

    /// @notice Thrown when an account argument is the zero address.
    error ComplianceInvalidAccount(address account);

    /// @notice Thrown when `installationId` does not exist.
    error ComplianceUnknownInstallation(uint256 installationId);

    /// @notice Thrown when allocating to, or re-closing, a closed installation.
    error ComplianceInstallationClosed(uint256 installationId);

    /// @notice Thrown when `caller` is not the installation's operator.
    error ComplianceNotOperator(uint256 installationId, address caller);

    /// @notice Thrown when opening a period twice.
    error CompliancePeriodExists(uint64 period);

    /// @notice Thrown when `period` was never opened.
    error ComplianceUnknownPeriod(uint64 period);

    /// @notice Thrown when opening a period whose reporting deadline the ledger does not have.
    error ComplianceReportingDeadlineNotSet(uint64 period);

    /// @notice Thrown when the surrender deadline does not follow the reporting deadline.
    error ComplianceInvalidSurrenderDeadline(uint64 period, uint64 surrenderDeadline, uint64 reportingDeadline);

    /// @notice Thrown when the auction volume exceeds the cap.
    error ComplianceAuctionVolumeAboveCap(uint256 auctionVolume, uint256 cap);

    /// @notice Thrown when the offset limit exceeds 100%.
    error ComplianceInvalidOffsetLimit(uint256 offsetLimitBps);

    /// @notice Thrown when a penalty per tonne is set without a penalty token.
    error ComplianceInvalidPenalty(address penaltyToken, uint256 penaltyPerTonne);

    /// @notice Thrown when allocating more than the cap minus the auction volume leaves (`available`).
    error ComplianceCapExceeded(uint64 period, uint256 requested, uint256 available);

    /// @notice Thrown when an auction asks for more than the period's unreserved auction volume (`available`).
    error ComplianceAuctionVolumeExceeded(uint64 period, uint256 requested, uint256 available);

    /// @notice Thrown when an auction issues or releases more than its own reservation (`reserved`).
    error ComplianceAuctionReservationExceeded(uint256 auctionId, uint256 requested, uint256 reserved);

    /// @notice Thrown when `caller`, not the bound auction contract, calls an auction-volume function.
    error ComplianceNotAuction(address caller);

    /// @notice Thrown when binding an auction contract once one (`auction`) is bound.
    error ComplianceAuctionAlreadyBound(address auction);

    /// @notice Thrown when binding an auction contract whose compliance registry is `compliance`, not this one.
    error ComplianceAuctionMismatch(address auction, address compliance);

    /// @notice Thrown when allocating, or reserving auction volume, after the period's surrender deadline.
    error ComplianceAllocationClosed(uint64 period, uint64 surrenderDeadline);

    /// @notice Thrown when parallel arrays differ in length.
    error ComplianceLengthMismatch(uint256 a, uint256 b);

    /// @notice Thrown when a request is empty.
    error ComplianceEmptyRequest();

    /// @notice Thrown when an amount is zero.
    error ComplianceZeroAmount();

    /// @notice Thrown when an amount does not fit 128 bits.
    error ComplianceAmountTooLarge(uint256 amount);

    /// @notice Thrown when surrendering allowances of a period after the one being covered.
    error ComplianceFutureAllowances(uint64 period, uint64 fromPeriod);

    /// @notice Thrown when surrendering before the period's reporting closes (at `opensAt`).
    error ComplianceSurrenderNotOpen(uint64 period, uint64 opensAt);

    /// @notice Thrown when surrendering at or after the end of the surrender window (the surrender deadline extended
    /// by the pauses within the window, see {surrenderWindow}).
    error ComplianceSurrenderClosed(uint64 period, uint64 surrenderDeadline);

    /// @notice Thrown when offsets are surrendered for an installation without verified emissions.
    error ComplianceNoVerifiedEmissions(uint256 installationId, uint64 period);

    /// @notice Thrown when offsets would exceed the period's offset limit for the installation.
    error ComplianceOffsetLimitExceeded(uint256 installationId, uint64 period, uint256 limit, uint256 requested);

    /// @notice Thrown when a credit batch fails the period's eligibility criterion `reason`.
    error ComplianceIneligibleOffset(uint256 batchId, CriteriaMismatch reason);

    /// @notice Thrown when a batch hosted in `batchCountry` may not cover an installation of `installationCountry`
    /// under the period's cross-border `rule` (ISO 3166-1 countries in compact form, see {CrossBorderRule}).
    error ComplianceCrossBorderOffset(
        uint256 batchId,
        bytes8 installationCountry,
        bytes8 batchCountry,
        CrossBorderRule rule
    );

    /// @notice Thrown when settling before `opensAt`: the end of the surrender window (see {surrenderWindow}), or the
    /// ledger's reporting deadline while reporting is open (emissions must be final).
    error ComplianceSettlementNotOpen(uint64 period, uint64 opensAt);

    /// @notice Thrown when settling twice.
    error ComplianceAlreadySettled(uint256 installationId, uint64 period);

    /// @notice Thrown when paying a penalty that is not owed or already paid.
    error ComplianceNoPenaltyDue(uint256 installationId, uint64 period);

    /// @notice Thrown when a payment token delivered `received` instead of `expected`.
    error ComplianceShortPayment(address token, uint256 expected, uint256 received);

    /// @notice Wires the allowance token, once. Requirements: ADMIN permission. Emits {AllowanceTokenSet}.
    function initialize(IEmissionAllowance allowance) external;

    /**
     * @notice Registers an installation run by `operator` in `sector`, in `jurisdiction` (an ISO 3166 code in
     * canonical form, "DE" or "DE-NW"); declares it to the ledger so that its operator never attests it and its
     * statements are in its sector.
     * @dev Requirements: REGULATOR permission; non-zero operator; a valid jurisdiction
     * ({Jurisdictions.JurisdictionInvalid}). Emits {InstallationRegistered}.
     */
    function registerInstallation(
        address operator,
        uint32 sector,
        string calldata jurisdiction
    ) external returns (uint256 installationId);

    /// @notice Sets `period`'s cross-border rule for offsets (see {CrossBorderRule}; Refused until set).
    /// Requirements: REGULATOR permission; not paused; period opened. Emits {CrossBorderRuleSet}.
    function setCrossBorderRule(uint64 period, CrossBorderRule rule) external;

    /// @notice Hands an installation to a new operator (also the ledger's controller). Requirements: REGULATOR
    /// permission; known installation; non-zero operator. Emits {OperatorUpdated}.
    function updateOperator(uint256 installationId, address operator) external;

    /// @notice Closes an installation: no more allocation. Requirements: REGULATOR permission; open installation.
    /// Emits {InstallationClosed}.
    function closeInstallation(uint256 installationId) external;

    /**
     * @notice Opens compliance period `period` (the ledger's reporting period of the same id).
     * Locks the period's reporting deadline in the ledger: it may then only be brought forward, so no deadline move
     * shortens or empties the surrender window.
     * @dev Requirements: REGULATOR permission; not paused; not opened yet; the ledger has a reporting deadline for
     * it; the surrender deadline after it; auction volume within the cap; offset limit at most 10,000 bps; a penalty
     * token when there is a penalty; valid eligibility criteria. Emits {PeriodOpened} (and the ledger's
     * `ReportingDeadlineLocked`).
     */
    function openPeriod(uint64 period, PeriodConfig calldata config) external;

    /// @notice Allocates `amount` allowances of `period` free to an installation's operator. Requirements: REGULATOR
    /// permission; not paused; period open and before its surrender deadline; installation open; within the cap
    /// minus the auction volume. Emits {Allocated}.
    function allocate(uint64 period, uint256 installationId, uint256 amount) external;

    /// @notice {allocate} to several installations at once, all or nothing.
    function allocateMany(uint64 period, uint256[] calldata installationIds, uint256[] calldata amounts) external;

    /**
     * @notice Binds the one auction contract that may reserve, issue and release auction volume, once and for good:
     * no role (ADMIN included) can call those functions, nor rebind them to another contract.
     * @dev Requirements: ADMIN permission; no auction bound yet; `auction_` non-zero and its `compliance()` this
     * registry. One-time wiring, allowed while paused. Emits {AuctionBound}.
     */
    function bindAuction(address auction_) external;

    /// @notice Reserves `volume` of the period's auction volume for auction `auctionId`. Requirements: caller is the
    /// bound auction contract; not paused; period open and before its surrender deadline (as free allocation);
    /// enough unreserved volume. Emits {AuctionVolumeReserved}.
    function reserveAuctionVolume(uint64 period, uint256 auctionId, uint256 volume) external;

    /// @notice Mints `amount` allowances of auction `auctionId`'s reservation (and period) to a winner.
    /// Requirements: caller is the bound auction contract; not paused; within that auction's own reservation.
    /// Emits {AuctionAllowancesIssued}.
    function issueAuctioned(uint256 auctionId, address to, uint256 amount) external;

    /// @notice Gives back `volume` of auction `auctionId`'s reservation that it did not allocate. Requirements:
    /// caller is the bound auction contract; not paused; within that auction's own reservation.
    /// Emits {AuctionVolumeReleased}.
    function releaseAuctionVolume(uint256 auctionId, uint256 volume) external;

    /// @notice The bound auction contract (zero until {bindAuction}).
    function auction() external view returns (address);

    /**
     * @notice Surrenders the operator's allowances of `fromPeriods` (each at most `period`: banking) against the
     * installation's obligation for `period`; they are burned.
     * @dev Requirements: not paused; caller is the operator; the surrender window of `period` open (see
     * {surrenderWindow}); non-empty, equal lengths, non-zero amounts; enough balance; the allowance token not paused
     * (a frozen operator may surrender: it only reduces its holdings).
     * Emits {AllowancesSurrendered} per entry.
     */
    function surrenderAllowances(
        uint256 installationId,
        uint64 period,
        uint64[] calldata fromPeriods,
        uint256[] calldata amounts
    ) external;

    /**
     * @notice Surrenders the operator's credits of eligible batches against the obligation for `period`, up to the
     * offset limit (`offsetLimitBps` of verified emissions, rounded down); they are retired through the retirement
     * registry with a compliance claim on `(entity, period)`. The operator must have approved this registry as an
     * operator on the credit token.
     * @dev Requirements: as {surrenderAllowances}; verified emissions; each batch eligible, and, when hosted in
     * another country than the installation's, allowed by the period's {CrossBorderRule}
     * ({ComplianceCrossBorderOffset}); within the limit.
     * Emits {OffsetsSurrendered} per batch and the retirement's events.
     */
    function surrenderOffsets(
        uint256 installationId,
        uint64 period,
        uint256[] calldata batchIds,
        uint256[] calldata amounts
    ) external;

    /**
     * @notice Settles `(installationId, period)` after its surrender window (see {surrenderWindow}): Compliant when
     * the surrendered units cover the obligation (verified emissions plus make-good, including make-good waiting in a
     * period never opened, see {MakeGoodDebt}), else NonCompliant with a penalty of the shortfall (per tonne, rounded
     * up to the next base unit) and the shortfall carried as make-good to the first later period whose reporting is
     * still open ({MakeGoodWaiting} when that period is not opened). An installation without verified emissions
     * settles NonCompliant; only the
     * make-good it carried in, if not covered, costs a penalty and moves on (the regulator handles the missing
     * statement off chain).
     * @dev Requirements: REGULATOR permission; not paused; known installation and period; after the surrender
     * window; not settled. Emits {MakeGoodMoved} when waiting make-good moves in, and {Settled}.
     */
    function settle(uint256 installationId, uint64 period) external;

    /// @notice Pays an installation's penalty for `period` to the treasury, from the caller. Requirements: not paused;
    /// a penalty owed and unpaid; enough allowance of the penalty token. Emits {PenaltyPaid}.
    function payPenalty(uint256 installationId, uint64 period) external;

    /// @notice Sets the treasury that receives penalties. Requirements: TREASURER permission; not paused; non-zero.
    /// Emits {TreasurySet}.
    function setTreasury(address treasury) external;

    /// @notice Stops every state change; the time paused is added to the surrender windows it falls in.
    /// Requirements: PAUSER permission; not paused (`EnforcedPause`). Emits `Paused`.
    function pause() external;

    /// @notice Resumes. Requirements: PAUSER permission; paused (`ExpectedPause`). Emits `Unpaused`.
    function unpause() external;

    /// @notice An installation. Reverts with {ComplianceUnknownInstallation}.
    function getInstallation(uint256 installationId) external view returns (Installation memory);

    /// @notice Number of installations; ids run from 1.
    function installationCount() external view returns (uint256);

    /// @notice The ledger entity of installation `installationId`: an address derived from this registry and the id,
    /// which no key controls.
    function entityOf(uint256 installationId) external view returns (address);

    /// @notice A period. Reverts with {ComplianceUnknownPeriod}.
    function getPeriod(uint64 period) external view returns (Period memory);

    /// @notice An installation's account for `period` (zero when nothing happened).
    function accountOf(uint256 installationId, uint64 period) external view returns (Account memory);

    /// @notice What an installation owes for `period`: verified emissions plus make-good (with, until settled, the
    /// make-good waiting in an unopened period that would move to this one, see {MakeGoodDebt}), what it
    /// surrendered, and whether emissions are verified.
    function obligationOf(
        uint256 installationId,
        uint64 period
    ) external view returns (bool verified, uint256 obligation, uint256 surrendered);

    /// @notice `period`'s cross-border rule for offsets (Refused until the regulator sets another).
    function crossBorderRule(uint64 period) external view returns (CrossBorderRule);

    /// @notice The installation's make-good waiting in a period not opened (see {MakeGoodDebt}), and how much of it
    /// waits there (0 once that period is opened: it is then that period's obligation).
    function makeGoodOwed(uint256 installationId) external view returns (MakeGoodDebt memory debt, uint256 amount);

    /// @notice `period`'s surrender window: it opens at the ledger's reporting deadline and closes at the surrender
    /// deadline pushed back by every second this registry or the allowance token was paused within the window (a
    /// running pause counts until now). Reverts with {ComplianceUnknownPeriod}.
    function surrenderWindow(uint64 period) external view returns (uint64 opensAt, uint64 closesAt);

    /// @notice The most credits an installation may surrender for `period` (offset limit × verified emissions).
    function offsetLimitOf(uint256 installationId, uint64 period) external view returns (uint256);

    /// @notice Compliance status of `(installationId, period)` (see {ComplianceStatus}).
    function statusOf(uint256 installationId, uint64 period) external view returns (ComplianceStatus);

    /// @notice The allowance token.
    function allowance() external view returns (IEmissionAllowance);

    /// @notice The emissions ledger.
    function ledger() external view returns (IEmissionsLedger);

    /// @notice The retirement registry that retires surrendered credits.
    function retirement() external view returns (IRetirementRegistry);

    /// @notice The treasury that receives penalties.
    function treasury() external view returns (address);

    /// @notice Whether the registry is paused.
    function paused() external view returns (bool);
}
