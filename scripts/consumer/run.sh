#!/usr/bin/env bash
# The consumer test (run by `npm run test:e2e` while its node is up): packs the project (`npm pack`, which builds the
# SDK), installs the tarball into a fresh project outside the repository, type-checks scripts/consumer/consumer.ts
# against it with `tsc --noEmit`, and runs it against the suite on the local node.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
npm pack --pack-destination "$work" --silent >/dev/null
tarball=$(ls "$work"/cnt-protocol-*.tgz)
echo "packed $(basename "$tarball"): $(du -k "$tarball" | cut -f1) kB"

cd "$work"
cat >package.json <<JSON
{ "name": "cnt-consumer", "private": true, "type": "module" }
JSON
cat >tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "target": "es2022",
    "module": "nodenext",
    "moduleResolution": "nodenext",
    "strict": true,
    "resolveJsonModule": true,
    "skipLibCheck": false,
    "noEmit": true,
    "allowImportingTsExtensions": true,
    "types": ["node"]
  },
  "include": ["consumer.ts"]
}
JSON
# The tarball and what a dApp adds itself; versions as the repository pins them (from npm's cache when it has them).
versions=$(node -p 'const l = require(process.argv[1]).packages; ["ethers", "typescript", "@types/node", "@openzeppelin/contracts"].map((n) => n + "@" + l["node_modules/" + n].version).join(" ")' "$repo/package-lock.json")
# shellcheck disable=SC2086
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball" $versions
cp "$repo/scripts/consumer/consumer.ts" .
npx tsc -p tsconfig.json
echo "tsc --noEmit: the consumer type-checks against the package"
CNT_DEPLOYMENT="$repo/deployments/31337.json" node consumer.ts
