#!/usr/bin/env bash
# npm run k8s:check: the Kubernetes manifests with real pods on a one-node cluster.
#
# Builds once (cached under ~/.cache/surge/containers) Kubernetes v1.35.4, etcd and
# CoreDNS from the Go module proxy and a pause image from the kubelet's own pause.c;
# starts containerd (Debian), etcd, the control plane, a kubelet and kube-proxy; loads the
# images compose:check built (building any that are missing); creates the Secret that
# k8s/base keeps out of git; applies k8s/base and k8s/overlays/dev with --dry-run=server,
# then the dev overlay for real; waits for every Deployment and StatefulSet; drives the
# journey through the gateway's Service (receipt email in Mailpit included); scales
# product to 3 and deletes one product pod under reads (zero failed reads); checks that
# the HPAs, PDBs and NetworkPolicies were accepted; and tears everything down, leaving no
# process, mount, network link or iptables rule of its own (checked).
#
# Needs root (containerd, the kubelet and kube-proxy manage namespaces, mounts and
# iptables). SURGE_STANDINS=0 uses the official third-party images from a registry.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/images.sh"
source "$(dirname "$0")/k8s/cluster.sh"

started=$(date +%s)
PAUSE_IMAGE=surge-local/pause:3.10
COREDNS_IMAGE=surge-local/coredns:v1.14.7
IMAGES_TAR="$CT_CACHE/k8s-images.tar"
STOP_FILE="$(mktemp -u /tmp/surge-k8s-reads.XXXXXX)"
OVERLAY_DIR="$REPO_ROOT/.surge/k8s-check"

drive() { (cd "$REPO_ROOT" && node_modules/.bin/tsx infra/containers/drive.ts "$@"); }

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
  if [ "$rc" != 0 ] && [ -f "$KUBECONFIG" ]; then
    kubectl get pods -A -o wide 2>/dev/null || true
    kubectl -n surge get events --sort-by=.lastTimestamp 2>/dev/null | tail -30 || true
    # The services' own words, for a failure that no event explains (a consumer that never
    # received, a mail never sent): the last lines of each, warnings and errors first.
    for service in notification order user payment; do
      echo "--- $service (last warnings and errors)" >&2
      kubectl -n surge logs "deploy/$service" --all-containers --tail=400 2>/dev/null |
        grep -E '"level":(40|50|60)' | tail -15 >&2 || true
    done
  fi
  stop_cluster
  stop_own_dockerd
  local left; left="$(cluster_leftovers)"
  if [ -n "$left" ]; then log "left behind:"; echo "$left" >&2; rc=1; fi
  if [ "$rc" = 0 ]; then log "k8s:check passed in $(( $(date +%s) - started )) s"; else log "k8s:check FAILED (logs: $CT_CACHE/k8s-check-logs)"; fi
  exit "$rc"
}

[ "$(id -u)" = 0 ] || die "k8s:check runs a kubelet and containerd: it needs root"
ensure_workspace
"$(dirname "$0")/build-tools.sh" k8s
"$(dirname "$0")/build-tools.sh" coredns
apt_ensure containerd runc iptables containernetworking-plugins gcc libc6-dev openssl conntrack

# --- images: the ones compose:check built, plus pause and CoreDNS --------------------------
# A dockerd of our own (if none runs) only to build and export images: no bridge, no iptables.
DOCKERD_EXTRA_ARGS="--iptables=false --bridge=none" ensure_docker
trap cleanup EXIT
trap 'exit 130' INT TERM
build_standin_images
for s in $SURGE_SERVICES; do
  docker image inspect "surge/$s:dev" >/dev/null 2>&1 || { log "surge/$s:dev is missing: building the service images"; build_service_images; break; }
done
ctx="$CT_CACHE/context/pause"
rm -rf "$ctx" && mkdir -p "$ctx"
gcc -Os -static -o "$ctx/pause" "$K8S_DIR/pause.c" && strip "$ctx/pause"
printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' > "$ctx/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t "$PAUSE_IMAGE" "$ctx" >/dev/null
rm -rf "$ctx" && mkdir -p "$ctx"
cp "$CT_BIN/coredns-v1.14.7" "$ctx/coredns"
printf 'FROM scratch\nCOPY coredns /coredns\nENTRYPOINT ["/coredns"]\n' > "$ctx/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t "$COREDNS_IMAGE" "$ctx" >/dev/null
rm -rf "$ctx"
images="$PAUSE_IMAGE $COREDNS_IMAGE"
for s in $SURGE_SERVICES; do images="$images surge/$s:dev"; done
[ "${SURGE_STANDINS:-1}" != 0 ] && images="$images $SURGE_POSTGRES_IMAGE $SURGE_REDIS_IMAGE $SURGE_KAFKA_IMAGE $SURGE_MAILPIT_IMAGE $SURGE_JAEGER_IMAGE"
log "exporting the images for the cluster"
# shellcheck disable=SC2086
docker save -o "$IMAGES_TAR" $images
stop_own_dockerd

# --- the cluster ------------------------------------------------------------------------
start_cluster

# Volumes: a bare cluster has no provisioner (kind and minikube bring a default
# StorageClass). The PVCs name no class, so they bind to these class-less hostPath PVs.
for n in 0 1; do
  mkdir -p "$K8S_VAR/volumes/pv-$n" && chmod 0777 "$K8S_VAR/volumes/pv-$n"
  kubectl apply -f - >/dev/null <<YAML
apiVersion: v1
kind: PersistentVolume
metadata:
  name: surge-check-pv-$n
  labels: {surge.check/volume: 'true'}
spec:
  capacity: {storage: 5Gi}
  accessModes: [ReadWriteOnce]
  persistentVolumeReclaimPolicy: Retain
  hostPath: {path: $K8S_VAR/volumes/pv-$n, type: Directory}
YAML
done

# The overlay as applied: k8s/overlays/dev, with the stand-in images where no registry is,
# and the per-IP rate limit lifted.
mkdir -p "$OVERLAY_DIR"
{
  echo "apiVersion: kustomize.config.k8s.io/v1beta1"
  echo "kind: Kustomization"
  echo "resources: [../../k8s/overlays/dev]"
  # Every request of the check comes from this one host: lift the per-IP limit, as
  # compose:check does (the first run's reads got 429 from the gateway's 100/s default).
  echo "configMapGenerator:"
  echo "  - {name: surge-config, behavior: merge, literals: [RATE_LIMIT_IP_MAX=100000, RATE_LIMIT_CREDENTIALS_MAX=100000]}"
  if [ "${SURGE_STANDINS:-1}" != 0 ]; then
    echo "images:"
    for pair in "postgres=$SURGE_POSTGRES_IMAGE" "redis=$SURGE_REDIS_IMAGE" "apache/kafka=$SURGE_KAFKA_IMAGE" \
      "axllent/mailpit=$SURGE_MAILPIT_IMAGE" "jaegertracing/jaeger=$SURGE_JAEGER_IMAGE"; do
      local_image="${pair#*=}"
      echo "  - {name: ${pair%%=*}, newName: ${local_image%:*}, newTag: '${local_image##*:}'}"
    done
  fi
} > "$OVERLAY_DIR/kustomization.yaml"

kubectl apply -f "$REPO_ROOT/k8s/base/namespace.yaml" >/dev/null
# The Secret k8s/base documents and keeps out of git: a signing key and an admin account.
key="$(mktemp)"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$key" 2>/dev/null
kubectl -n surge create secret generic surge-user-secrets --from-file=jwt-private-key="$key" \
  --from-literal=admin-email=admin@surge.local --from-literal=admin-password="$(openssl rand -hex 16)" >/dev/null
rm -f "$key"
log "kubectl apply --dry-run=server: k8s/base, then the dev overlay"
kubectl apply --dry-run=server -k "$REPO_ROOT/k8s/base" | tail -3
kubectl apply --dry-run=server -k "$OVERLAY_DIR" | tail -3
log "kubectl apply -k k8s/overlays/dev"
kubectl apply -k "$OVERLAY_DIR" >/dev/null
for w in $(kubectl -n surge get deployment,statefulset -o name); do
  kubectl -n surge rollout status "$w" --timeout=600s >/dev/null || die "$w did not roll out"
done
kubectl -n surge get pods -o wide

gateway="http://$(kubectl -n surge get svc gateway -o jsonpath='{.spec.clusterIP}'):8080"
mailpit="http://$(kubectl -n surge get svc mailpit -o jsonpath='{.spec.clusterIP}'):8025"
log "the journey through the gateway's Service ($gateway)"
drive journey "$gateway" "$mailpit"

log "scaling product to 3"
kubectl -n surge scale deployment/product --replicas=3 >/dev/null
kubectl -n surge rollout status deployment/product --timeout=300s >/dev/null || die "product did not scale to 3"
# The gateway re-resolves the headless Service every 5 s.
sleep 12
log "reads while one product pod is deleted"
drive reads "$gateway" "$STOP_FILE" 4 &
readers=$!
sleep 5
victim="$(kubectl -n surge get pods -l app.kubernetes.io/name=product -o name | awk 'NR == 1')"
kubectl -n surge delete "$victim" --wait=false >/dev/null
log "deleted $victim"
sleep 20
touch "$STOP_FILE"
wait "$readers" || die "reads failed while a product pod was deleted"

log "HPAs, PDBs and NetworkPolicies accepted"
rendered="$(kubectl kustomize "$OVERLAY_DIR")"
for kind in HorizontalPodAutoscaler PodDisruptionBudget NetworkPolicy; do
  want="$(echo "$rendered" | grep -c "^kind: $kind$" || true)"
  have="$(kubectl -n surge get "$kind" --no-headers 2>/dev/null | wc -l)"
  log "  $kind: $have in the cluster, $want in the overlay"
  [ "$have" = "$want" ] || die "$kind: $want in the overlay, $have in the cluster"
done
