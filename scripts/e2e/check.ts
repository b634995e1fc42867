/**
 * Checks, against the chain, the state `scripts/e2e/session.sh` leaves on a fresh local deployment: every figure is
 * read back from the contracts (views), none from the session's output. Exits non-zero on the first mismatch.
 * `npx hardhat run scripts/e2e/check.ts --network localhost`
 */
import { network } from "hardhat";

import { DeploymentRoleNames, readDeployment } from "../../sdk/deployments.js";
import {
  AccessManager__factory,
  AllowanceAuction__factory,
  CarbonCredit__factory,
  CarbonMarketplace__factory,
  ComplianceRegistry__factory,
  EmissionAllowance__factory,
  EmissionsLedger__factory,
  ERC20Mock__factory,
  RetirementCertificate__factory,
  RetirementRegistry__factory,
} from "../../typechain-types/index.js";
import { Roles } from "../lib/roles.js";

const t = (tonnes: number) => BigInt(Math.round(tonnes * 1000));
const usd = (amount: number) => BigInt(Math.round(amount * 1e6));

const { ethers } = await network.create();
const chainId = (await ethers.provider.getNetwork()).chainId;
const deployment = await readDeployment(chainId);
if (deployment === undefined) throw new Error(`no deployment recorded for chain ${chainId}`);
const at = deployment.contracts;
const p = ethers.provider;
const credit = CarbonCredit__factory.connect(at.CarbonCredit, p);
const retirement = RetirementRegistry__factory.connect(at.RetirementRegistry, p);
const certificate = RetirementCertificate__factory.connect(at.RetirementCertificate, p);
const marketplace = CarbonMarketplace__factory.connect(at.CarbonMarketplace, p);
const ledger = EmissionsLedger__factory.connect(at.EmissionsLedger, p);
const compliance = ComplianceRegistry__factory.connect(at.ComplianceRegistry, p);
const allowance = EmissionAllowance__factory.connect(at.EmissionAllowance, p);
const auction = AllowanceAuction__factory.connect(at.AllowanceAuction, p);
const usdcm = ERC20Mock__factory.connect(deployment.paymentTokens[0].address, p);
const accounts = (await ethers.getSigners()).map((s) => s.address);
const [proponent, acme, buyer, rhine, vistula] = [7, 8, 9, 10, 11].map((i) => accounts[i]);
const [, treasury] = await marketplace.feeInfo();

let failures = 0;
function check(what: string, actual: unknown, expected: unknown) {
  const ok = actual === expected;
  if (!ok) failures++;
  console.log(`${ok ? "✓" : "✗"} ${what}: ${actual}${ok ? "" : ` (expected ${expected})`}`);
}

// The deployment record (deployments/<chainId>.json) against the chain.
const manager = AccessManager__factory.connect(at.AccessManager, p);
check(
  "record names every role of scripts/lib/roles.ts",
  Object.keys(deployment.roles).join(),
  Object.keys(Roles).join(),
);
check("record's role names are the SDK's", Object.keys(deployment.roles).join(), DeploymentRoleNames.join());
for (const [name, roleId] of Object.entries(Roles) as [keyof typeof Roles, bigint][]) {
  const role = deployment.roles[name];
  check(`record: ${name} role id`, role.id, roleId.toString());
  for (const holder of role.holders) {
    check(`record: ${holder} holds ${name}`, (await manager.hasRole(roleId, holder)).isMember, true);
  }
}
check("record: REGISTRAR has a holder", deployment.roles.REGISTRAR.holders.length > 0, true);
check("record: ADMIN has a holder", deployment.roles.ADMIN.holders.length > 0, true);
check("record: PUBLIC lists no holder", deployment.roles.PUBLIC.holders.length, 0);
// The session changes neither the fee nor a treasury.
const [feeBps, marketTreasury] = await marketplace.feeInfo();
check("record: marketplace fee", deployment.feeBps, Number(feeBps));
check("record: marketplace treasury", deployment.treasury.CarbonMarketplace, marketTreasury);
check("record: compliance registry treasury", deployment.treasury.ComplianceRegistry, await compliance.treasury());
check("record: auction treasury", deployment.treasury.AllowanceAuction, await auction.treasury());
check("record: one payment token at least", deployment.paymentTokens.length > 0, true);
for (const token of deployment.paymentTokens) {
  const erc20 = ERC20Mock__factory.connect(token.address, p);
  check(`record: ${token.address} allowed as payment`, await marketplace.isPaymentTokenAllowed(token.address), true);
  check(`record: ${token.address} name`, token.name, await erc20.name());
  check(`record: ${token.address} symbol`, token.symbol, await erc20.symbol());
  check(`record: ${token.address} decimals`, token.decimals, Number(await erc20.decimals()));
}

const supply = await credit.supplyOf(1);
check("batch 1 issued", supply.issued, t(12_500));
check("batch 1 retired (Acme 1,200 + Vistula's offsets 1,200)", supply.retired, t(2_400));
check(
  "batch 1 in circulation + retired + cancelled = issued",
  (await credit.totalSupply(1)) + supply.retired + supply.cancelled,
  supply.issued,
);
check(
  "only one batch (the overlapping report was refused)",
  (await retirement.retirementCount()) >= 2n && (await credit.exists(2)) === false,
  true,
);
check(
  "proponent's credits (11,250 − 2,000 − 500 listed − 300 sold − 2,000)",
  await credit.balanceOf(proponent, 1),
  t(6_450),
);
check("Acme's credits (2,000 − 1,200 retired)", await credit.balanceOf(acme, 1), t(800));
check("Acme's retired balance", await credit.retiredBalanceOf(acme, 1), t(1_200));
check("certificate #1 owner", await certificate.ownerOf(1), acme);
const first = await retirement.getRetirement(1);
check("retirement #1 is a neutrality claim of 1,200 t", `${first.claimType}/${first.amount}`, `1/${t(1_200)}`);
check("buyer's credits (100 bought + 300 through the bid)", await credit.balanceOf(buyer, 1), t(400));
check("buyer's USDCm (100,000 − 1,250 − 4,200)", await usdcm.balanceOf(buyer), usd(94_550));
check("listing 1 left", (await marketplace.getListing(1)).remaining, t(400));
check("marketplace holds the listing's escrow", await credit.balanceOf(at.CarbonMarketplace, 1), t(400));
check("bid 2 refunded (no USDCm left in the marketplace)", await usdcm.balanceOf(at.CarbonMarketplace), 0n);

const acmeNeutral = await ledger.neutralityStatus(acme, 2025);
check("Acme 2025: verified emissions", acmeNeutral.emissions, t(1_000));
check("Acme 2025: neutral", acmeNeutral.neutral, true);

const a = await auction.getAuction(1);
check("auction 1 settled at 55 USDCm/t", `${a.settled}/${a.clearingPrice * 1000n}`, `true/${usd(55)}`);
check("Rhine's auction bids claimed", (await auction.getBid(1)).claimed && (await auction.getBid(2)).claimed, true);
const period = await compliance.getPeriod(2026);
check("2026 allocated", period.allocated, t(19_000));
check("2026 auctioned", period.auctioned, t(10_000));
check("2026 cross-border rule: only authorised and adjusted credits", await compliance.crossBorderRule(2026), 1n);
check(
  "installation 1 (DE) surrendered no offsets of the Brazilian batch",
  (await compliance.accountOf(1, 2026)).offsetsSurrendered,
  0n,
);
check("2026 surrendered (12,500 + 10,000 allowances)", period.burned, t(22_500));
check("2026 allowance supply = allocated + auctioned − surrendered", await allowance.totalSupply(2026), t(6_500));
check("Rhine's 2026 allowances (9,000 + 10,000 won − 12,500)", await allowance.balanceOf(rhine, 2026), t(6_500));
check("Vistula's 2026 allowances", await allowance.balanceOf(vistula, 2026), 0n);
check("installation 1 compliant", await compliance.statusOf(1, 2026), 2n);
check("installation 2 non-compliant", await compliance.statusOf(2, 2026), 3n);
const vistulaAccount = await compliance.accountOf(2, 2026);
check("installation 2 offsets", vistulaAccount.offsetsSurrendered, t(1_200));
check("installation 2 penalty (800 t × 100 USDCm)", vistulaAccount.penaltyOwed, usd(80_000));
check("installation 2 penalty paid", vistulaAccount.penaltyPaid, true);
check(
  "treasury USDCm (fees 12.5 + 42, auction 550,000, penalty 80,000)",
  await usdcm.balanceOf(treasury),
  usd(12.5 + 42 + 550_000 + 80_000),
);

if (failures > 0) {
  console.log(`\n${failures} check(s) failed`);
  process.exitCode = 1;
} else {
  console.log("\nEvery check passed: the chain holds what the CLI session did.");
}
