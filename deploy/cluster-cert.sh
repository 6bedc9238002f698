#!/usr/bin/env bash
# Makes a throwaway cluster certificate for mutual TLS between Gordo's silos and gateways
# (GORDO_CLUSTER_CERT): a self-signed RSA key and certificate in one PKCS#12 file, with Debian's openssl.
#
#   deploy/cluster-cert.sh OUTPUT.p12 [PASSWORD]
set -euo pipefail
out=${1:?usage: cluster-cert.sh OUTPUT.p12 [PASSWORD]}
password=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=gordo-cluster" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/cert.pem" -out "$out" -passout "pass:$password"
