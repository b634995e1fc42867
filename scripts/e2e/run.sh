#!/usr/bin/env bash
# End to end over JSON-RPC (`npm run test:e2e`, and `.ci/run`): starts `hardhat node` at the `localhost` network's URL of
# hardhat.config.ts (the one place it is written), deploys the
# suite with Ignition (twice: the second run must deploy nothing), runs a scripted CLI session
# (scripts/e2e/session.sh) and checks the chain state it leaves (scripts/e2e/check.ts), runs the consumer tests of
# the packed package, with ethers and with viem alone, on Node 22 and 20 (scripts/consumer/run.sh), runs the demo
# against the node, and stops the node — also on failure. Last, with no node running, checks the CLI says how to
# start one.
set -euo pipefail
cd "$(dirname "$0")/../.."

hardhat=./node_modules/.bin/hardhat
# The node's address is written once, as the `localhost` network of hardhat.config.ts; the node, the CLI and the consumer
# all take it from there.
url=$(./node_modules/.bin/tsx -e 'import config from "./hardhat.config.ts"; console.log(config.networks.localhost.url)')
port=$(node -p 'new URL(process.argv[1]).port || 80' "$url")
host=$(node -p 'new URL(process.argv[1]).hostname.replace(/^\[(.*)\]$/, "$1")' "$url")
export CNT_NODE_URL=$url
log=$(mktemp)

answers() {
  node -e 'fetch(process.argv[1], { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) })
    .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"
}
fail() { echo "E2E FAILED: $*"; exit 1; }

answers && fail "something already answers at $url: stop it (the session needs a fresh node)"

echo "==> hardhat node (log: $log)  ($(date -u +%T))"
"$hardhat" node --hostname "$host" --port "$port" >"$log" 2>&1 &
node_pid=$!
stop_node() {
  kill "$node_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
}
trap stop_node EXIT
for _ in $(seq 1 60); do
  answers && break
  kill -0 "$node_pid" 2>/dev/null || { cat "$log"; fail "hardhat node exited"; }
  sleep 1
done
answers || fail "hardhat node did not answer at $url within 60 s"

echo "==> npm run deploy:local  ($(date -u +%T))"
npm run deploy:local
echo "==> npm run deploy:local (again: Ignition's journal makes it a no-op)  ($(date -u +%T))"
again=$(npm run deploy:local 2>&1) || { echo "$again"; fail "second deployment"; }
echo "$again" | grep -F "Nothing new to deploy" || { echo "$again"; fail "the second deployment was not a no-op"; }

echo "==> CLI session  ($(date -u +%T))"
bash scripts/e2e/session.sh
echo "==> state read back from the chain  ($(date -u +%T))"
"$hardhat" run scripts/e2e/check.ts --network localhost

echo "==> consumer tests: package, publish dry run, ethers and viem-only projects, on Node 22 and 20  ($(date -u +%T))"
bash scripts/consumer/run.sh

echo "==> npm run demo -- --network localhost  ($(date -u +%T))"
"$hardhat" run scripts/demo.ts --network localhost

echo "==> stop the node  ($(date -u +%T))"
stop_node
trap - EXIT
out=$("$hardhat" cnt:info 2>&1) && fail "cnt:info succeeded with no node running"
echo "$out"
grep -qF "no node at $url — start one with npm run node" <<<"$out" || fail "no 'no node' message"
echo "E2E passed."
