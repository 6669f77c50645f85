# Shared helpers for the container checks (sourced, not run). Everything built or
# downloaded lives under ~/.cache/surge/containers so every clone and CI reuse it.
set -euo pipefail

SURGE_CACHE="${SURGE_CACHE:-$HOME/.cache/surge}"
CT_CACHE="$SURGE_CACHE/containers"
CT_BIN="$CT_CACHE/bin"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
mkdir -p "$CT_BIN"
export PATH="$CT_BIN:$PATH"

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

# One Go environment for every tool built here: modules are kept (a second build or
# another version reuses them), the build cache too (kubelet and the control plane share
# most packages).
go_env() {
  export GOPATH="$CT_CACHE/go" GOMODCACHE="$CT_CACHE/go/mod" GOCACHE="$CT_CACHE/go/build"
  export CGO_ENABLED=0 GOFLAGS=-buildvcs=false GOTOOLCHAIN=local
}

# Runs a build step under a lock so two clones never build the same thing at once.
with_lock() {
  local name="$1"; shift
  mkdir -p "$CT_CACHE/locks"
  exec {lockfd}>"$CT_CACHE/locks/$name.lock"
  flock "$lockfd"
  "$@"
  local rc=$?
  flock -u "$lockfd"
  return $rc
}

# apt-get install of the missing ones among the given Debian packages.
apt_ensure() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ ! -f "$CT_CACHE/.apt-updated" ] || [ -n "$(find "$CT_CACHE/.apt-updated" -mmin +1440)" ]; then
    apt-get update -qq >/dev/null && touch "$CT_CACHE/.apt-updated"
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Waits until "$@" succeeds, up to $1 seconds.
wait_for() {
  local timeout="$1" what="$2"; shift 2
  local end=$(( $(date +%s) + timeout ))
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -ge "$end" ] && die "timed out after ${timeout}s waiting for $what"
    sleep 1
  done
}

# --- Docker -----------------------------------------------------------------------------
# Uses the Docker the user already runs; otherwise starts a dockerd of our own (Debian's
# docker.io) with its data under the cache, so images survive between runs, and its own
# socket, so it never takes over /var/run/docker.sock. stop_own_dockerd stops only that.
OWN_DOCKERD_PID=""
DOCKERD_RUN="/run/surge-containers"

ensure_docker() {
  if docker info >/dev/null 2>&1; then
    log "using the running Docker daemon"
    return 0
  fi
  [ "$(id -u)" = 0 ] || die "no Docker daemon answers, and starting one needs root"
  apt_ensure docker.io containerd runc iptables
  mkdir -p "$DOCKERD_RUN" "$CT_CACHE/docker"
  export DOCKER_HOST="unix://$DOCKERD_RUN/docker.sock"
  if docker info >/dev/null 2>&1; then
    die "a dockerd from another check run is using $DOCKERD_RUN; wait for it to finish"
  fi
  log "starting dockerd (data root $CT_CACHE/docker; log $DOCKERD_RUN/dockerd.log)"
  setsid dockerd --data-root "$CT_CACHE/docker" --exec-root "$DOCKERD_RUN/exec" \
    --pidfile "$DOCKERD_RUN/dockerd.pid" --host "$DOCKER_HOST" ${DOCKERD_EXTRA_ARGS:-} \
    >"$DOCKERD_RUN/dockerd.log" 2>&1 < /dev/null &
  OWN_DOCKERD_PID=$!
  wait_for 60 dockerd docker info
}

stop_own_dockerd() {
  [ -n "$OWN_DOCKERD_PID" ] || return 0
  log "stopping the dockerd this check started (pid $OWN_DOCKERD_PID)"
  kill -TERM "$OWN_DOCKERD_PID" 2>/dev/null || true
  local i
  for i in $(seq 60); do kill -0 "$OWN_DOCKERD_PID" 2>/dev/null || break; sleep 1; done
  kill -0 "$OWN_DOCKERD_PID" 2>/dev/null && kill -KILL "$OWN_DOCKERD_PID"
  # Its default bridge outlives it; nothing else uses it.
  ip link del docker0 2>/dev/null || true
  OWN_DOCKERD_PID=""
}

# The checks run the project's own TypeScript (the journey driver, the native stack's
# builders, the auditor): in a fresh clone, install and build the workspace first.
ensure_workspace() {
  local missing=0 d
  [ -x "$REPO_ROOT/node_modules/.bin/tsx" ] || missing=1
  for d in "$REPO_ROOT"/packages/*/; do
    [ -f "$d/package.json" ] && [ ! -d "$d/dist" ] && missing=1
  done
  [ "$missing" = 0 ] && return 0
  log "installing and building the workspace (node scripts/bootstrap.cjs build)"
  (cd "$REPO_ROOT" && node scripts/bootstrap.cjs build) >&2 || die "installing the workspace"
}
