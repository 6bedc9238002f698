#!/usr/bin/env bash
# Where the server's CPU goes under one load: a system-wide `perf record` while gordo-bench drives
# gordo-server, then the server's samples summed by part (encode, decode, kernel, copies, Kestrel,
# Orleans, ...) and its top symbols. Needs Linux perf (Debian's linux-perf) and a BENCH_WORK directory
# that bench/run.sh has filled (models and request bodies).
#
#   BENCH_WORK=/tmp/benchwork bench/profile.sh [BODY [PATH [TARGET [CONNECTIONS [SECONDS]]]]]
#
# Defaults: the reference's 100-row request (pyref-100) to pyref-anomaly at 64 connections, 15 s
# profiled after PROFILE_WARMUP (45) s of load. PROFILE_TOP sets how many symbols are listed (25).
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_WORK:?set BENCH_WORK to a directory bench/run.sh has filled}
body=${1:-pyref-100}
path=${2:-/gordo/v0/pyref/pyref-anomaly/anomaly/prediction}
target=${3:-pyref-anomaly}
connections=${4:-64}
seconds=${5:-15}
port=${BENCH_PORT:-5571}
command -v perf >/dev/null || { echo "profile: perf is needed (apt-get install linux-perf)" >&2; exit 1; }
[ -f "$work/$body.body" ] || { echo "profile: no $work/$body.body; run bench/run.sh with BENCH_WORK=$work first" >&2; exit 1; }

dotnet build api/Gordo.Api.csproj -c Release --nologo -v quiet >/dev/null
dotnet build bench/Gordo.Bench.csproj -c Release --nologo -v quiet >/dev/null
bench() { dotnet bench/bin/Release/net10.0/gordo-bench.dll "$@"; }

# Perf map files name the JIT-compiled methods (W^X off, as perf reads the code where it runs).
env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 MODEL_COLLECTION_DIR="$work/models/1700000000000" GORDO_SERVER_HOST=127.0.0.1 \
  GORDO_SERVER_PORT="$port" dotnet api/bin/Release/net10.0/gordo-server.dll >"$work/profile-server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$port/healthcheck" >/dev/null && break; sleep 0.2; done

load() {
  bench load --url "http://127.0.0.1:$port" --path "$path" --targets "$target" --body "$work/$body.body" \
    --content-type "$(cat "$work/$body.type")" --connections "$connections" --warmup 0 "$@"
}
load --label warm-up --duration "${PROFILE_WARMUP:-45}" >/dev/null
load --label profiled --duration $((seconds + 4)) --metrics /metrics --pid "$server" | grep "req/s" &
sleep 2
perf record -F 999 -g -a -o "$work/perf.data" -- sleep "$seconds" >/dev/null 2>&1
wait %2 || true

perf report -i "$work/perf.data" -g none --no-children --percentage relative --pid "$server" --sort dso,sym 2>/dev/null \
  | grep -v '^#' | grep -v '^$' > "$work/profile-symbols.txt"
echo "The server's samples by part:"
awk '{
  share = $1; sub("%", "", share); line = $0; part = "other managed code"
  if (line ~ /kernel\.kallsyms/) part = "kernel (socket copies, TCP, scheduling)"
  else if (line ~ /libonnxruntime/) part = "ONNX Runtime"
  else if (line ~ /libcoreclr|libclrjit/) part = "runtime (GC, JIT, stubs)"
  else if (line ~ /libc\.so|ld-linux/) part = "libc (memmove into and out of the pipes, memset)"
  else if (line ~ /Gordo\.Frames\.Json\.|PythonFloat|ShortestDecimal|FramePlan|JsonEmitter|RowKeys/) part = "encode: the answer JSON"
  else if (line ~ /Gordo\.Frames/) part = "decode: the request JSON into frames"
  else if (line ~ /Gordo\.Grains/) part = "grain: inference call, anomaly maths"
  else if (line ~ /Orleans/) part = "Orleans"
  else if (line ~ /Prometheus|System\.Diagnostics\.Metrics|DiagnosticSource/) part = "metrics"
  else if (line ~ /AspNetCore|Kestrel|System\.IO\.Pipelines|System\.Net/) part = "Kestrel, ASP.NET, pipes, sockets"
  else if (line ~ /gordo-server/) part = "Gordo HTTP front end"
  else if (line ~ /System\.Private\.CoreLib|System\.Collections|System\.Threading|System\.Runtime/) part = "BCL (async, thread pool, collections)"
  sum[part] += share
} END { for (p in sum) printf "%6.2f %%  %s\n", sum[p], p }' "$work/profile-symbols.txt" | sort -rn
echo "Top symbols:"
head -"${PROFILE_TOP:-25}" "$work/profile-symbols.txt" | cut -c1-200
