#!/usr/bin/env bash
# A local Gordo cluster on loopback: redis-server (membership), N silo processes (gordo-silo) and one
# gateway (gordo-server in gateway mode) serving the gordo HTTP API. Prints every URL; Ctrl-C stops
# everything it started.
#
#   deploy/local-cluster.sh [-n SILOS] [--no-build] [--config Release|Debug]
#
# Environment: MODEL_COLLECTION_DIR (default: the example models, trained on first use),
# GATEWAY_PORT (5555), SILO_HTTP_BASE (5560: silo i serves health on SILO_HTTP_BASE+i),
# SILO_PORT_BASE (11110: silo i's Orleans silo port is SILO_PORT_BASE+i), GATEWAY_PORT_BASE (30000:
# silo i's Orleans gateway port is GATEWAY_PORT_BASE+i), REDIS_PORT (6380),
# GORDO_ADMIN_SECRET (local-cluster), GORDO_DEATH_TIMEOUT (10 seconds), GORDO_MEMORY_BUDGET,
# GORDO_CLUSTER_CERT (default: a throwaway certificate made with openssl for this run).
set -euo pipefail
cd "$(dirname "$0")/.."

silos=3
build=1
config=Release
while [ $# -gt 0 ]; do
  case "$1" in
    -n) silos=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    --config) config=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "local-cluster: unknown argument $1" >&2; exit 2 ;;
  esac
done

gateway_port=${GATEWAY_PORT:-5555}
silo_http_base=${SILO_HTTP_BASE:-5560}
silo_port_base=${SILO_PORT_BASE:-11110}
gateway_port_base=${GATEWAY_PORT_BASE:-30000}
redis_port=${REDIS_PORT:-6380}
export GORDO_ADMIN_SECRET=${GORDO_ADMIN_SECRET:-local-cluster}
export GORDO_REDIS=127.0.0.1:$redis_port
export GORDO_CLUSTER_ID=${GORDO_CLUSTER_ID:-local}

command -v redis-server >/dev/null || { echo "local-cluster: redis-server is needed (apt-get install redis-server)" >&2; exit 1; }

if [ "$build" = 1 ]; then
  echo "Building Gordo ($config)..."
  for project in builder/Gordo.ModelBuilder.csproj silo/Gordo.Silo.csproj api/Gordo.Api.csproj; do
    dotnet build "$project" --configuration "$config" --nologo -v quiet >/dev/null
  done
fi

if [ -z "${MODEL_COLLECTION_DIR:-}" ]; then
  models=artifacts/models
  if [ ! -d "$models/1700000100000" ]; then
    echo "Training the example models into $models..."
    dotnet "builder/bin/$config/net10.0/gordo-build.dll" collection --spec examples/collection.yaml --output "$models" >/dev/null
  fi
  MODEL_COLLECTION_DIR=$(cd "$models/1700000100000" && pwd)
fi
export MODEL_COLLECTION_DIR

work=$(mktemp -d "${TMPDIR:-/tmp}/gordo-local-cluster.XXXXXX")
pids=()
stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return
  stopping=1
  echo
  echo "Stopping the cluster..."
  # Silos and the gateway first: a silo that leaves writes its status to Redis, so Redis goes last.
  for pid in "${pids[@]:1}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]:1}"; do wait "$pid" 2>/dev/null || true; done
  kill -TERM "${pids[0]}" 2>/dev/null || true
  wait "${pids[0]}" 2>/dev/null || true
  echo "Stopped. Logs were in $work."
}
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

# Silo-to-silo and gateway traffic use mutual TLS with a throwaway cluster certificate.
if [ -z "${GORDO_CLUSTER_CERT:-}" ]; then
  command -v openssl >/dev/null || { echo "local-cluster: openssl is needed (apt-get install openssl)" >&2; exit 1; }
  export GORDO_CLUSTER_CERT_PASSWORD=${GORDO_CLUSTER_CERT_PASSWORD:-local-cluster}
  deploy/cluster-cert.sh "$work/cluster.p12" "$GORDO_CLUSTER_CERT_PASSWORD"
  export GORDO_CLUSTER_CERT=$work/cluster.p12
fi

redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" --logfile "$work/redis.log" &
pids+=($!)
for _ in $(seq 1 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.05; done

for i in $(seq 1 "$silos"); do
  GORDO_SILO_NAME=silo-$i GORDO_SILO_PORT=$((silo_port_base + i)) GORDO_GATEWAY_PORT=$((gateway_port_base + i)) GORDO_SILO_HOST=127.0.0.1 \
    dotnet "silo/bin/$config/net10.0/gordo-silo.dll" --urls "http://127.0.0.1:$((silo_http_base + i))" >"$work/silo-$i.log" 2>&1 &
  pids+=($!)
done

GORDO_API_MODE=gateway dotnet "api/bin/$config/net10.0/gordo-server.dll" --urls "http://127.0.0.1:$gateway_port" >"$work/gateway.log" 2>&1 &
pids+=($!)

ready() { curl -s -o /dev/null -H "X-API-Key: $GORDO_ADMIN_SECRET" "http://127.0.0.1:$gateway_port/admin/cluster" \
  && [ "$(curl -s -H "X-API-Key: $GORDO_ADMIN_SECRET" "http://127.0.0.1:$gateway_port/admin/cluster" | grep -o '"status":"Active"' | wc -l)" -ge "$silos" ]; }
for _ in $(seq 1 600); do ready && break; sleep 0.1; done
ready || { echo "local-cluster: the cluster did not come up; logs in $work" >&2; exit 1; }

echo "Gordo local cluster is up (models: $MODEL_COLLECTION_DIR)"
echo "  redis      127.0.0.1:$redis_port (cluster id $GORDO_CLUSTER_ID)"
for i in $(seq 1 "$silos"); do
  echo "  silo-$i     http://127.0.0.1:$((silo_http_base + i))/health/live  (silo port $((silo_port_base + i)), gateway port $((gateway_port_base + i)))"
done
echo "  gateway    http://127.0.0.1:$gateway_port/gordo/v0/<project>/...  (gordo HTTP API)"
echo "  cluster    curl -H 'X-API-Key: $GORDO_ADMIN_SECRET' http://127.0.0.1:$gateway_port/admin/cluster"
echo "  tls        mutual TLS with the cluster certificate $GORDO_CLUSTER_CERT"
echo "  logs       $work"
echo "Ready. Ctrl-C stops everything."
wait
