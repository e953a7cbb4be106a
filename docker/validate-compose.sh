#!/usr/bin/env bash
# Validates docker-compose.yml for each profile and each combination the README offers, with the
# Compose v2 plugin when present, else docker-compose v1; then checks that the compose file, the
# Kong, Prometheus and Grafana configs agree (docker/check-configs.py). Needs no Docker engine.
set -euo pipefail
cd "$(dirname "$0")/.."

PROFILE_SETS=(
  monolith
  full
  split
  observability
  providers
  web3
  monolith,observability
  full,observability
  split,observability
  monolith,web3
)

if docker compose version >/dev/null 2>&1; then
  compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then
  compose=(docker-compose)
else
  echo "validate-compose: neither 'docker compose' (v2 plugin) nor 'docker-compose' is installed" >&2
  exit 1
fi
echo "using $("${compose[@]}" version --short 2>/dev/null || "${compose[@]}" version | head -1) (${compose[*]})"

failed=0
for set in "${PROFILE_SETS[@]}"; do
  args=()
  for profile in ${set//,/ }; do args+=(--profile "$profile"); done
  if output=$("${compose[@]}" -f docker-compose.yml "${args[@]}" config -q 2>&1); then
    echo "ok    ${compose[*]} ${args[*]} config -q${output:+ ($output)}"
  else
    echo "FAIL  ${compose[*]} ${args[*]} config -q" >&2
    echo "$output" >&2
    failed=1
  fi
done

python3 docker/check-configs.py "${PROFILE_SETS[@]}" || failed=1

if command -v promtool >/dev/null 2>&1; then
  promtool check config docker/prometheus/prometheus.yml || failed=1
fi

if [ "$failed" -ne 0 ]; then
  echo "validate-compose: FAILED" >&2
  exit 1
fi
echo "validate-compose: all ${#PROFILE_SETS[@]} profile sets and the gateway, Prometheus and Grafana configs are valid"
