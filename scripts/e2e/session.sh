#!/usr/bin/env bash
# A scripted CLI session against a running node with the suite deployed (`npm run deploy:local`): an operator's
# year in `cnt:*` tasks — MRV and issuance, a transfer, a retirement with a certificate, the marketplace, a
# neutrality claim, and a compliance year with an auction, surrender, settlement and a penalty — plus the failures
# an operator meets (missing or malformed options, unknown ids, a missing role, an overlapping serial range).
# Prints a transcript; exits non-zero when a command fails that should succeed, or succeeds or explains itself
# differently when it should fail. `scripts/e2e/check.ts` then checks the state the session left on chain.
set -euo pipefail
cd "$(dirname "$0")/../.."

hardhat=./node_modules/.bin/hardhat

# Runs a task that must succeed, echoing it as a transcript line.
run() {
  echo "\$ npx hardhat $*"
  "$hardhat" "$@" || { echo "E2E FAILED: exit code $? from: npx hardhat $*"; exit 1; }
}

# Runs a task that must succeed and print `expected` (a fixed string).
shows() {
  local expected=$1
  shift
  echo "\$ npx hardhat $*"
  local output status=0
  output=$("$hardhat" "$@" 2>&1) || status=$?
  echo "$output"
  [ "$status" -eq 0 ] || { echo "E2E FAILED: exit code $status from: npx hardhat $*"; exit 1; }
  grep -qF -- "$expected" <<<"$output" || { echo "E2E FAILED: expected \"$expected\" from: npx hardhat $*"; exit 1; }
}

# Runs a purchase that must fail, printing `expected`, before it sends anything: no approval of the payment token.
refused_before_approval() {
  local expected=$1
  shift
  fails "$expected" "$@"
  if grep -qF "approved for" <<<"$out"; then
    echo "E2E FAILED: an approval was sent before the refusal of: npx hardhat $*"
    exit 1
  fi
}

# Runs a task that must fail with a non-zero exit code and print `expected` (a fixed string); leaves its output in
# `out`.
fails() {
  local expected=$1
  shift
  echo "\$ npx hardhat $*"
  local status=0
  out=$("$hardhat" "$@" 2>&1) || status=$?
  echo "$out"
  [ "$status" -ne 0 ] || { echo "E2E FAILED: expected a failure from: npx hardhat $*"; exit 1; }
  grep -qF -- "$expected" <<<"$out" || { echo "E2E FAILED: expected \"$expected\" from: npx hardhat $*"; exit 1; }
}

echo "# The deployment"
run cnt:info

echo
echo "# MRV: methodology, verifier, project, report, verification, issuance"
run cnt:methodology:add --code VM0047 --category removal --uri ipfs://vm0047 --from registrar
fails "Usage: npx hardhat [--network <name>] cnt:methodology:add" cnt:methodology:add --category removal --from registrar
fails '--category "sideways": expected one of removal, avoidance' cnt:methodology:add --code X --category sideways
run cnt:verifier:accredit --verifier verifier --methodology 1 --from registrar
run cnt:standard:add --code VCS --uri https://verra.org --from registrar
fails "is not canonical" cnt:standard:add --code vcs --from registrar
run cnt:standard:list
fails 'the registry has no standard "vcs" (did you mean VCS?)' \
  cnt:project:register --methodology 1 --standard vcs --ref VCS-4821 --jurisdiction BR-PA --from 7
run cnt:project:register --methodology 1 --standard VCS --ref VCS-4821 --jurisdiction BR-PA --buffer 10 --from 7
fails "is already registered as project 1" \
  cnt:project:register --methodology 1 --standard 1 --ref VCS-4821 --jurisdiction BR-PA --from 8
fails "it needs the REGISTRAR role" cnt:project:approve --project 1 --from 7
run cnt:project:approve --project 1 --from registrar
run cnt:report:submit --project 1 --start 2024-01-01 --end 2024-12-31 --quantity 12500 --serials 1-12500000 \
  --document "Pará monitoring report 2024" --uri ipfs://report-2024 --from 7
run cnt:report:verify --report 1 --statement "verification statement 2024" --from verifier
run cnt:batch:issue --report 1 --from registrar
run cnt:project:show --project 1
run cnt:batch:show --batch 1
fails "batch 9 does not exist (1 issued)" cnt:batch:show --batch 9
# A second report whose serials overlap batch 1 is verified, then refused at issuance.
run cnt:report:submit --project 1 --start 2025-01-01 --end 2025-03-31 --quantity 500 --serials 12400001 \
  --document "Pará monitoring report 2025 Q1" --from 7
run cnt:report:verify --report 2 --statement "verification statement 2025 Q1" --from verifier
fails "serial range 12400001–12900000 overlaps batch 1 (VCS 1–12500000)" cnt:batch:issue --report 2 --from registrar

echo
echo "# Credits change hands and are retired"
run cnt:credit:transfer --to 8 --batch 1 --amount 2000 --from 7
fails '--amount "12.0001": expected an amount in tCO2e with at most 3 decimals' \
  cnt:credit:transfer --to 8 --batch 1 --amount 12.0001 --from 7
run cnt:retire --batch 1 --amount 1200 --beneficiary-name "Acme Corp" --claim neutrality --period 2025 \
  --consumption DE --reason "2025 operations" --from 8
run cnt:certificate:show --retirement 1

echo
echo "# The marketplace: a listing bought in part, a criteria bid filled, a bid the batch does not match"
run cnt:dev:mint --to 9 --amount 100000
run cnt:market:list --batch 1 --amount 500 --price 12.5 --from 7
run cnt:market:buy --listing 1 --amount 100 --from 9
# Purchases that cannot succeed are refused before the payment token is approved (account 9's allowance is spent).
refused_before_approval "listing #1 sells at 12.5 USDCm/tCO2e, above --max-price 10 USDCm/tCO2e" \
  cnt:market:buy --listing 1 --amount 100 --max-price 10 --from 9
refused_before_approval "listing 1 has only 400 tCO2e left, less than the 450 tCO2e asked" \
  cnt:market:buy --listing 1 --amount 450 --from 9
refused_before_approval "holds 0 USDCm, less than the 1,250 USDCm this purchase costs" \
  cnt:market:buy --listing 1 --amount 100 --from 10
run cnt:market:bid --quantity 300 --price 14 --categories removal --jurisdictions BR --from 9
run cnt:market:fill --bid 1 --batch 1 --amount 300 --from 7
run cnt:market:bid --quantity 10 --price 14 --article6 --from 9
fails "Article 6" cnt:market:fill --bid 2 --batch 1 --amount 10 --from 7
run cnt:market:cancel --bid 2 --from 9
run cnt:market:show
run cnt:balance --account 9
fails "fails its checksum (its mixed case does not match its digits)" \
  cnt:balance --account 0xf39fd6e51aad88F6F4ce6aB8827279cffFb92266

echo
echo "# A carbon-neutrality claim checked against verified emissions"
run cnt:emissions:accredit --verifier verifier --sector 1 --from regulator
run cnt:emissions:accredit --verifier verifier --sector 7 --from regulator
run cnt:emissions:deadline --period 2025 --date +60d --from regulator
run cnt:emissions:attest --entity 8 --period 2025 --sector 7 --emissions 1000 --evidence "Acme 2025 inventory" --from verifier
run cnt:neutrality --entity 8 --period 2025

echo
echo "# A compliance year: installations, cap, allocation, an auction, surrender, settlement, a penalty"
run cnt:emissions:deadline --period 2026 --date +60d --from regulator
run cnt:installation:register --operator 10 --sector 1 --jurisdiction DE-NW --from regulator
run cnt:installation:register --operator 11 --sector 1 --jurisdiction BR-SP --from regulator
run cnt:period:open --period 2026 --cap 40000 --auction 10000 --surrender-deadline +90d --offset-limit 10 --penalty 100 \
  --eligible-categories removal --from regulator
fails '--rule "sometimes": expected one of refused, authorised-adjusted, allowed' \
  cnt:period:cross-border --period 2026 --rule sometimes --from regulator
run cnt:period:cross-border --period 2026 --rule authorised-adjusted --from regulator
run cnt:allowance:allocate --period 2026 --installation 1 --amount 9000 --from regulator
run cnt:allowance:allocate --period 2026 --installation 2 --amount 10000 --from regulator
# Before its emissions are verified, an installation's status is a normal state, not an error.
shows "offsets of a limit set once emissions are verified" cnt:compliance:status --installation 1
fails "exceeds period 2026's cap" cnt:allowance:allocate --period 2026 --installation 2 --amount 12000 --from regulator
run cnt:dev:mint --to 10 --amount 1000000
run cnt:auction:open --period 2026 --volume 10000 --reserve 50 --bidding 2d --reveal 1d --from regulator
run cnt:auction:commit --auction 1 --price 62 --quantity 4000 --from 10
run cnt:auction:commit --auction 1 --price 55 --quantity 8000 --from 10
fails "takes reveals only from" cnt:auction:reveal --bid 1 --from 10
run cnt:dev:advance --time 2d
run cnt:auction:reveal --bid 1 --from 10
run cnt:auction:reveal --bid 2 --from 10
run cnt:dev:advance --time 1d
run cnt:auction:settle --auction 1
run cnt:auction:claim --bid 1
run cnt:auction:claim --bid 2
run cnt:emissions:attest --installation 1 --period 2026 --emissions 12500 --evidence "Rhine 2026 verification" --from verifier
run cnt:emissions:attest --installation 2 --period 2026 --emissions 12000 --evidence "Vistula 2026 verification" --from verifier
fails "opens at" cnt:allowance:surrender --installation 1 --period 2026 --amount 12500 --from 10
run cnt:dev:advance --time 58d
fails "not in the installation's country" \
  cnt:offsets:surrender --installation 1 --period 2026 --batch 1 --amount 10 --from 10
run cnt:allowance:surrender --installation 1 --period 2026 --amount 12500 --from 10
run cnt:credit:transfer --to 11 --batch 1 --amount 2000 --from 7
fails "limit of 1,200 tCO2e" cnt:offsets:surrender --installation 2 --period 2026 --batch 1 --amount 1300 --from 11
run cnt:offsets:surrender --installation 2 --period 2026 --batch 1 --amount 1200 --from 11
run cnt:allowance:surrender --installation 2 --period 2026 --amount 10000 --from 11
fails "settlement of period 2026 opens at" cnt:compliance:settle --installation 2 --period 2026 --from regulator
run cnt:dev:advance --time 31d
run cnt:compliance:settle --installation 1 --period 2026 --from regulator
run cnt:compliance:settle --installation 2 --period 2026 --from regulator
run cnt:dev:mint --to 11 --amount 100000
run cnt:compliance:pay --installation 2 --period 2026 --from 11
run cnt:compliance:status --installation 1
run cnt:compliance:status --installation 2
run cnt:info
echo
echo "CLI session complete."
