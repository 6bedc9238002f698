#!/usr/bin/env bash
# The gateway -> silo path of an Orleans cluster on loopback: redis-server, one gordo-silo and one gateway
# (gordo-server in gateway mode, an Orleans client), 100x10 anomaly at 64 connections through the gateway
# (3 x 10 s). CPU per request is the gateway's and the silo's together (both process trees from /proc).
#
#   BENCH_WORK=/tmp/benchwork bench/cluster.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_WORK:-$(mktemp -d "${TMPDIR:-/tmp}/gordo-cluster-bench.XXXXXX")}
port=${BENCH_PORT:-5584}
redis_port=${BENCH_REDIS_PORT:-6394}
dotnet build bench/Gordo.Bench.csproj -c Release --nologo -v quiet >/dev/null
dotnet build silo/Gordo.Silo.csproj -c Release --nologo -v quiet >/dev/null
dotnet build api/Gordo.Api.csproj -c Release --nologo -v quiet >/dev/null
bench() { dotnet bench/bin/Release/net10.0/gordo-bench.dll "$@"; }
rev=$work/models/1700000000000
[ -d "$rev/bench-10-0999" ] || bench models --output "$rev" --copies 1000 >&2
[ -f "$work/json-100-10.body" ] || bench payload --model "$rev/bench-10" --rows 100 --format json --out "$work/json-100-10.body" > "$work/json-100-10.type"
pids=()
stop() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap stop EXIT
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --logfile "$work/cluster-redis.log" &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done
export MODEL_COLLECTION_DIR=$rev GORDO_REDIS=127.0.0.1:$redis_port GORDO_CLUSTER_ID=bench-$$
GORDO_SILO_NAME=silo-1 dotnet silo/bin/Release/net10.0/gordo-silo.dll --urls "http://127.0.0.1:$((port + 1))" > "$work/cluster-silo.log" 2>&1 &
silo=$!
pids+=($silo)
GORDO_API_MODE=gateway dotnet api/bin/Release/net10.0/gordo-server.dll --urls "http://127.0.0.1:$port" > "$work/cluster-gateway.log" 2>&1 &
gateway=$!
pids+=($gateway)
url=http://127.0.0.1:$port
for _ in $(seq 1 300); do curl -sf "$url/healthcheck" >/dev/null 2>&1 && break; sleep 0.1; done
for _ in 1 2 3; do
  bench load --label "gateway -> silo: anomaly 100x10, 64 connections" --url "$url" --path /gordo/v0/bench/bench-10/anomaly/prediction --targets bench-10 \
    --body "$work/json-100-10.body" --content-type application/json --connections 64 --duration 10 --warmup 5 --pid "$gateway,$silo" 2>&1 | tail -n 1
done
