#!/usr/bin/env bash
# Runs Gordo's whole test suite (real ONNX Runtime, real HTTP over Kestrel) and prints a plain
# "N passed, N failed" line. Exits non-zero on any failure.
#
#   ./test.sh [extra dotnet test arguments, e.g. --filter FullyQualifiedName~Anomaly]
set -uo pipefail
cd "$(dirname "$0")"

# The cluster tests run a real Redis (Debian's redis-server; it is not started as a service), and the
# metrics tests check /metrics with Prometheus' promtool (from Debian's prometheus package); the download
# tests unpickle with Debian's /usr/bin/python3 (standard library only); the TLS tests make a certificate
# with openssl; the dashboard test drives Debian's chromium (through playwright-core from npm).
missing=()
command -v redis-server >/dev/null || missing+=(redis-server)
command -v promtool >/dev/null || missing+=(prometheus)
[ -x /usr/bin/python3 ] || missing+=(python3)
command -v openssl >/dev/null || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing ${missing[*]} for the tests..."
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || { echo "0 passed, 1 failed (could not install ${missing[*]}: apt-get install ${missing[*]})"; exit 1; }
fi

# The Parquet interop tests use independent implementations from the npm registry (DuckDB, arrow-rs via
# parquet-wasm, hyparquet), and the dashboard test playwright-core, pinned in tests/interop/package-lock.json.
if [ ! -d tests/interop/node_modules/playwright-core ] || [ ! -d tests/interop/node_modules/hyparquet ] || [ ! -d tests/interop/node_modules/@grpc/grpc-js ]; then
  echo "Installing the interop tools (npm install in tests/interop)..."
  npm install --prefix tests/interop --no-audit --no-fund >/dev/null \
    || { echo "0 passed, 1 failed (npm install in tests/interop failed)"; exit 1; }
fi

results=$(mktemp -d "${TMPDIR:-/tmp}/gordo-test-results.XXXXXX")
trap 'rm -rf "$results"' EXIT

dotnet test Gordo.sln --configuration Release --nologo \
  --logger "trx;LogFileName=gordo.trx" --logger "console;verbosity=normal" \
  --results-directory "$results" "$@"
status=$?

trx=$(find "$results" -name '*.trx' | head -n 1)
if [ -z "$trx" ]; then
  echo "0 passed, 0 failed (no test results: the build or the test host failed)"
  exit 1
fi

counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
count() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
passed=$(count passed)
failed=$(( $(count failed) + $(count error) + $(count timeout) + $(count aborted) ))
echo "$passed passed, $failed failed"

if [ "$status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
