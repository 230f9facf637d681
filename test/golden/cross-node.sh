#!/usr/bin/env bash
# npm run determinism: the golden digests under every Node version Lorenz
# supports. The system Node runs them in `npm test`; Node 22 and 24 come from
# the npm registry's `node` packages (a binary inside a registry package),
# without touching the system Node.
set -euo pipefail
cd "$(dirname "$0")/../.."
for v in 22 24; do
  npx -y -p "node@$v" -- node --import tsx test/golden/verify-digests.ts
done
