#!/usr/bin/env bash
# The two newcomer commands from the README:
#   bash scripts/dev.sh demo   install Node 24 + pnpm + deps, run the demo on file/env providers
#   bash scripts/dev.sh test   also install the real test peers, then run every test
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchain.sh 24
cmd="${1:-}"
case "$cmd" in
  demo)
    pnpm install --frozen-lockfile --prefer-offline
    pnpm demo
    ;;
  test)
    pnpm install --frozen-lockfile --prefer-offline
    bash tooling/test-servers/install.sh
    pnpm test
    ;;
  *)
    echo "usage: bash scripts/dev.sh demo|test" >&2
    exit 64
    ;;
esac
