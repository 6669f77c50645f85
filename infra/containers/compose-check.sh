#!/usr/bin/env bash
# npm run compose:check: docker-compose.yml for real, end to end.
#
# Installs and starts what it needs (a dockerd of its own if none answers, compose v2
# built from the Go module proxy, stand-in images where no registry can be reached),
# builds the eight service images with the repository's Dockerfile, `up --wait`, drives a
# customer's journey through the gateway (sign-up to the receipt email in Mailpit), runs
# the auditor inside the compose network, scales product to 3 and kills one under reads
# (zero failed reads), then `down -v` and checks that nothing of the project is left.
#
# Published ports default to 28080 (gateway), 28025 (Mailpit), 28686 (Jaeger), so the
# check runs beside a native stack; SURGE_COMPOSE_*_PORT move them.
# SURGE_STANDINS=0 uses the official images (a machine with a registry).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/images.sh"

started=$(date +%s)
PROJECT="${SURGE_COMPOSE_PROJECT:-surge-check}"
export SURGE_GATEWAY_PORT="${SURGE_COMPOSE_GATEWAY_PORT:-28080}"
export SURGE_MAILPIT_UI_PORT="${SURGE_COMPOSE_MAILPIT_PORT:-28025}"
export SURGE_JAEGER_UI_PORT="${SURGE_COMPOSE_JAEGER_PORT:-28686}"
export SURGE_PROMETHEUS_PORT="${SURGE_COMPOSE_PROMETHEUS_PORT:-29090}"
export SURGE_GRAFANA_PORT="${SURGE_COMPOSE_GRAFANA_PORT:-23000}"
# Every request of the check comes from one address.
export RATE_LIMIT_IP_MAX=100000 RATE_LIMIT_CREDENTIALS_MAX=100000
GATEWAY="http://127.0.0.1:$SURGE_GATEWAY_PORT"
MAILPIT="http://127.0.0.1:$SURGE_MAILPIT_UI_PORT"
STOP_FILE="$(mktemp -u /tmp/surge-compose-reads.XXXXXX)"

compose() { docker compose -p "$PROJECT" -f "$REPO_ROOT/docker-compose.yml" "$@"; }
drive() { (cd "$REPO_ROOT" && node_modules/.bin/tsx infra/containers/drive.ts "$@"); }

leftovers() {
  local label="label=com.docker.compose.project=$PROJECT"
  {
    docker ps -aq --filter "$label" | sed 's/^/container /'
    docker network ls -q --filter "$label" | sed 's/^/network /'
    docker volume ls -q --filter "$label" | sed 's/^/volume /'
  } 2>/dev/null
}

cleanup() {
  local rc=$?
  trap - EXIT
  # Readers still running (the check failed between starting and stopping them) see the
  # stop file and end; they also end by themselves after READS_MAX_SECONDS.
  if [ -n "${readers:-}" ]; then
    touch "$STOP_FILE"
    wait "$readers" 2>/dev/null || true
  fi
  rm -f "$STOP_FILE"
  if docker info >/dev/null 2>&1; then
    if [ "$rc" != 0 ]; then
      compose ps -a 2>/dev/null || true
      compose logs --no-color --tail 40 2>/dev/null | tail -200 || true
    fi
    log "docker compose down -v"
    compose down -v --remove-orphans --timeout 30 >/dev/null 2>&1 || true
    local left; left="$(leftovers)"
    if [ -n "$left" ]; then log "left behind after down -v:"; echo "$left" >&2; rc=1; fi
  fi
  stop_own_dockerd
  if [ "$rc" = 0 ]; then log "compose:check passed in $(( $(date +%s) - started )) s"; else log "compose:check FAILED"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_workspace
"$(dirname "$0")/build-tools.sh" compose
ensure_docker
docker compose version >/dev/null || die "docker compose v2 is not available"
build_standin_images
build_service_images
log "images built ($(( $(date +%s) - started )) s so far)"

compose config -q
# Grafana and Prometheus have no stand-in here (no registry, no Debian build of
# Grafana); with the official images (SURGE_STANDINS=0) they start too.
services=""
if [ "${SURGE_STANDINS:-1}" != 0 ]; then
  services="postgres redis kafka mailpit jaeger $SURGE_SERVICES"
fi
log "docker compose up --wait ($PROJECT)"
# shellcheck disable=SC2086
compose up -d --no-build --wait --wait-timeout 600 $services
compose ps

log "the journey through the gateway ($GATEWAY)"
drive journey "$GATEWAY" "$MAILPIT"

log "scaling product to 3"
compose up -d --no-build --no-deps --wait --wait-timeout 300 --scale product=3 product
# The gateway re-resolves upstream names every 5 s (UPSTREAM_RESOLVE_INTERVAL_MS).
sleep 12
log "reads while one product container is killed"
drive reads "$GATEWAY" "$STOP_FILE" 4 &
readers=$!
sleep 5
victim="$(compose ps -q product | awk 'NR == 1')"
docker kill "$victim" >/dev/null
log "killed product container ${victim:0:12}"
sleep 15
touch "$STOP_FILE"
wait "$readers" || die "reads failed while a product container was killed"

log "the auditor, inside the compose network"
network="$(docker network ls -q --filter "label=com.docker.compose.project=$PROJECT" | awk 'NR == 1')"
docker run --rm --network "$network" -v "$REPO_ROOT:/repo:ro" -w /repo \
  -e SURGE_PG_ADMIN_URL=postgres://postgres:postgres@postgres:5432/postgres \
  "${SURGE_NODE_IMAGE:-node:20-bookworm-slim}" \
  node node_modules/tsx/dist/cli.mjs infra/stack/src/cli.ts audit --settle 60 \
  || die "the audit found violations"
