# Sourced by the checks: builds the images a machine without an image registry lacks.
# Every name is the project's own (surge-local/...); the official names are never
# (re)tagged, so a user's `docker pull postgres:15` is never shadowed.
#
# build_standin_images exports the variables docker-compose.yml reads
# (SURGE_POSTGRES_IMAGE, SURGE_NODE_IMAGE, ...). On a machine with a registry, run the
# checks with SURGE_STANDINS=0 to use the official images instead.

IMAGES_DIR="$REPO_ROOT/infra/containers/images"
BASE_IMAGE=surge-local/debian:bookworm

# The Debian mirror this machine's apt uses (read at run time, never written down).
debian_mirror() {
  local uri
  uri="$(grep -h -E '^(URIs:|deb )' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null \
    | grep -v security | sed -E 's/^URIs:\s*//; s/^deb (\[[^]]*\] )?//; s/\s.*$//' | grep '/debian' | awk 'NR == 1')"
  [ -n "$uri" ] || die "no Debian mirror found in /etc/apt/sources.list*"
  printf '%s' "$uri"
}

build_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  apt_ensure debootstrap
  local root="$CT_CACHE/rootfs.partial"
  rm -rf "$root"
  log "building $BASE_IMAGE with debootstrap (once, about 2 minutes)"
  debootstrap --variant=minbase bookworm "$root" "$(debian_mirror)" >"$CT_CACHE/debootstrap.log" 2>&1 \
    || die "debootstrap failed; see $CT_CACHE/debootstrap.log"
  # Package downloads from inside images go through the same TLS interception as the host's.
  mkdir -p "$root/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  tar -C "$root" -c . | docker import -c 'CMD ["bash"]' - "$BASE_IMAGE" >/dev/null
  rm -rf "$root"
}

# Builds images/<name> as <tag> unless an image with the same inputs exists. $3... are
# files or folders copied into the build context beside the Dockerfile.
build_context_image() {
  local name="$1" tag="$2"; shift 2
  local ctx="$CT_CACHE/context/$name"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp -r "$IMAGES_DIR/$name/." "$ctx/"
  local src
  for src in "$@"; do cp -rL "$src" "$ctx/"; done
  local hash
  hash="$(cd "$ctx" && find . -type f -exec sha256sum {} + | sort -k2 | sha256sum | cut -c1-16)"
  if [ "$(docker image inspect -f '{{index .Config.Labels "surge.inputs"}}' "$tag" 2>/dev/null)" = "$hash" ]; then
    rm -rf "$ctx"; return 0
  fi
  log "building stand-in image $tag"
  DOCKER_BUILDKIT=0 docker build --build-arg "BASE_IMAGE=$BASE_IMAGE" --label "surge.inputs=$hash" \
    -t "$tag" "$ctx" >"$CT_CACHE/build-$name.log" 2>&1 || { tail -30 "$CT_CACHE/build-$name.log"; die "building $tag"; }
  rm -rf "$ctx"
}

kafka_tools_jar() {
  local dir="$CT_CACHE/kafka-tools-4.1.1"
  if [ ! -f "$dir/kafka-tools-4.1.1.jar" ]; then
    log "fetching kafka-tools 4.1.1 with Maven (once; the broker health check needs it)"
    apt_ensure maven
    mvn -B -q dependency:copy -Dartifact=org.apache.kafka:kafka-tools:4.1.1 -DoutputDirectory="$dir.partial" >&2
    mv "$dir.partial" "$dir"
  fi
  printf '%s' "$dir/kafka-tools-4.1.1.jar"
}

build_standin_images() {
  if [ "${SURGE_STANDINS:-1}" = 0 ]; then
    log "SURGE_STANDINS=0: using the official images from the registry"
    return 0
  fi
  build_base_image
  local artifacts
  artifacts="$(cd "$REPO_ROOT" && node_modules/.bin/tsx infra/containers/native-artifacts.ts)" \
    || die "building the native stack's Jaeger/Mailpit/Kafka artefacts"
  local jaeger mailpit kafka_libs kafka_log4j
  jaeger="$(node -pe "JSON.parse(process.argv[1]).jaeger" "$artifacts")"
  mailpit="$(node -pe "JSON.parse(process.argv[1]).mailpit" "$artifacts")"
  kafka_libs="$(node -pe "JSON.parse(process.argv[1]).kafkaLibs" "$artifacts")"
  kafka_log4j="$(node -pe "JSON.parse(process.argv[1]).kafkaLog4j" "$artifacts")"

  # Node: this machine's own Node 20, npm and corepack.
  local nodelib="$CT_CACHE/node-lib"
  rm -rf "$nodelib" && mkdir -p "$nodelib/lib"
  cp -r "$(dirname "$(dirname "$(readlink -f "$(command -v npm)")")")" "$nodelib/lib/npm"
  [ -d /usr/lib/node_modules/corepack ] && cp -r /usr/lib/node_modules/corepack "$nodelib/lib/corepack"
  build_context_image node surge-local/node:20-bookworm-slim "$(readlink -f "$(command -v node)")" "$nodelib/lib"
  rm -rf "$nodelib"
  build_context_image postgres surge-local/postgres:15
  build_context_image redis surge-local/redis:7
  build_context_image mailpit surge-local/mailpit:v1.31.0 "$mailpit"
  build_context_image jaeger surge-local/jaeger:2.13.0 "$jaeger"
  local kafka_ctx="$CT_CACHE/kafka-inputs"
  rm -rf "$kafka_ctx" && mkdir -p "$kafka_ctx/libs"
  cp "$kafka_libs"/*.jar "$(kafka_tools_jar)" "$kafka_ctx/libs/"
  cp "$kafka_log4j" "$kafka_ctx/log4j2.properties"
  build_context_image kafka surge-local/kafka:4.1.1 "$kafka_ctx/libs" "$kafka_ctx/log4j2.properties"
  rm -rf "$kafka_ctx"

  export SURGE_NODE_IMAGE=surge-local/node:20-bookworm-slim SURGE_POSTGRES_IMAGE=surge-local/postgres:15 \
    SURGE_REDIS_IMAGE=surge-local/redis:7 SURGE_KAFKA_IMAGE=surge-local/kafka:4.1.1 \
    SURGE_MAILPIT_IMAGE=surge-local/mailpit:v1.31.0 SURGE_JAEGER_IMAGE=surge-local/jaeger:2.13.0
}

SURGE_SERVICES="user product order payment notification payment-provider storefront gateway"

# The eight service images, with the repository's Dockerfile and the classic builder
# (BuildKit would try to pull its frontend and base images). Layers are cached by the
# daemon, so an unchanged tree rebuilds in seconds.
build_service_images() {
  local s
  for s in $SURGE_SERVICES; do
    log "building surge/$s:dev"
    DOCKER_BUILDKIT=0 docker build --build-arg "SERVICE=$s" \
      --build-arg "NODE_IMAGE=${SURGE_NODE_IMAGE:-node:20-bookworm-slim}" \
      -t "surge/$s:dev" "$REPO_ROOT" >"$CT_CACHE/build-service-$s.log" 2>&1 \
      || { tail -40 "$CT_CACHE/build-service-$s.log"; die "docker build of $s (log: $CT_CACHE/build-service-$s.log)"; }
  done
}
