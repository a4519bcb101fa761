#!/usr/bin/env bash
# Starts the real binary for the browser tests: a fresh SQLite database and data folder
# in a temporary directory, the demo organisation seeded.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=$(mktemp -d /tmp/centinela-e2e.XXXXXX)
trap 'rm -rf "$dir"' EXIT
export DATABASE_URL="sqlite://$dir/centinela.db"
export CENTINELA_DATA_DIR="$dir/data"
export CENTINELA_ADDR="127.0.0.1:${1:-3107}"
export CENTINELA_SITE_ROOT=target/site
export CENTINELA_DEMO=true
# The tests sign in "from" other addresses with X-Forwarded-For, as behind a proxy.
export CENTINELA_TRUSTED_PROXIES=127.0.0.1/32
export CENTINELA_LOG=warn
./target/debug/centinela serve
