# Sourced by k8s-check.sh: a one-node Kubernetes cluster with real pods, from binaries
# built from the Go module proxy (build-tools.sh k8s) and Debian's containerd and CNI
# plugins. Everything of it lives in K8S_RUN (certificates, configs, logs, sockets),
# /var/lib/surge-k8s (the kubelet's root and the volumes) and the containerd image store
# under the cache; stop_cluster stops every process it started, by recorded pid, and
# removes its mounts, its bridge and every iptables rule that was not there before.

K8S_DIR="$CT_CACHE/k8s-v1.35.4/bin"
K8S_RUN="/run/surge-k8s"
K8S_VAR="/var/lib/surge-k8s"
CONTAINERD_ROOT="$CT_CACHE/containerd"
NODE_NAME="surge-node"
CLUSTER_CIDR="10.244.0.0/16"
POD_SUBNET="10.244.0.0/24"
SERVICE_CIDR="10.96.0.0/16"
APISERVER_PORT="${SURGE_K8S_APISERVER_PORT:-16443}"
ETCD_PORT="${SURGE_K8S_ETCD_PORT:-12379}"
KUBECONFIG="$K8S_RUN/admin.kubeconfig"
export KUBECONFIG
CTR_SOCK="$K8S_RUN/containerd.sock"
# The kernel settings the kubelet and kube-proxy change, restored at the end.
SYSCTLS="net.ipv4.conf.all.route_localnet vm.overcommit_memory kernel.panic kernel.panic_on_oops kernel.keys.root_maxkeys kernel.keys.root_maxbytes net.bridge.bridge-nf-call-iptables net.ipv4.ip_forward"
STARTED_PIDS=()

kubectl() { "$K8S_DIR/kubectl" "$@"; }
ctr_() { ctr -a "$CTR_SOCK" -n k8s.io "$@"; }

node_ip() { ip -4 route get 1.1.1.1 2>/dev/null | sed -n 's/.* src \([0-9.]*\).*/\1/p' | awk 'NR == 1'; }

# iptables rules as "table line" pairs, without counters, for before/after comparison.
iptables_lines() {
  local save="$1"
  "$save" 2>/dev/null | sed -E 's/ \[[0-9]+:[0-9]+\]$//' | awk '/^\*/{t=substr($0,2)} /^(:|-A)/{print t" "$0}' | sort
}

record_host_state() {
  mkdir -p "$K8S_RUN/before"
  iptables_lines iptables-save > "$K8S_RUN/before/iptables"
  iptables_lines ip6tables-save > "$K8S_RUN/before/ip6tables"
  : > "$K8S_RUN/before/sysctl"
  local s
  for s in $SYSCTLS; do
    local v; v="$(sysctl -n "$s" 2>/dev/null)" && echo "$s=$v" >> "$K8S_RUN/before/sysctl"
  done
  ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort > "$K8S_RUN/before/links"
}

# Deletes every rule and chain that was added since record_host_state.
restore_iptables() {
  local kind="$1" save="$2" cmd="$3"
  [ -f "$K8S_RUN/before/$kind" ] || return 0
  local now; now="$(iptables_lines "$save")"
  local added; added="$(comm -13 "$K8S_RUN/before/$kind" <(echo "$now"))"
  [ -n "$added" ] || return 0
  local table rest chain
  while read -r table rest; do
    case "$rest" in -A*) eval "$cmd -t $table -D ${rest#-A }" 2>/dev/null || true ;; esac
  done <<< "$added"
  # Chains that did not exist before (a changed policy of a built-in chain is no new chain).
  local new_chains
  new_chains="$(echo "$added" | awk '$2 ~ /^:/ {print $1" "substr($2,2)}' | while read -r table chain; do
    grep -q "^$table :$chain " "$K8S_RUN/before/$kind" || echo "$table $chain"
  done)"
  [ -n "$new_chains" ] || return 0
  while read -r table chain; do $cmd -t "$table" -F "$chain" 2>/dev/null || true; done <<< "$new_chains"
  while read -r table chain; do $cmd -t "$table" -X "$chain" 2>/dev/null || true; done <<< "$new_chains"
}

mkcert() { # name subject [sans] [client|server|both]
  local name="$1" subj="$2" sans="${3:-}" usage="${4:-client}" dir="$K8S_RUN/pki"
  local eku=clientAuth
  [ "$usage" = server ] && eku=serverAuth
  [ "$usage" = both ] && eku=serverAuth,clientAuth
  openssl genrsa -out "$dir/$name.key" 2048 2>/dev/null
  openssl req -new -key "$dir/$name.key" -subj "$subj" -out "$dir/$name.csr" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [ -n "$sans" ] && echo "subjectAltName=$sans"
  } > "$dir/$name.ext"
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial \
    -days 2 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
}

mkkubeconfig() { # name cert
  local file="$K8S_RUN/$1.kubeconfig" pki="$K8S_RUN/pki"
  kubectl config set-cluster surge --server="https://$NODE_IP:$APISERVER_PORT" \
    --certificate-authority="$pki/ca.crt" --embed-certs --kubeconfig="$file" >/dev/null
  kubectl config set-credentials "$1" --client-certificate="$pki/$2.crt" --client-key="$pki/$2.key" \
    --embed-certs --kubeconfig="$file" >/dev/null
  kubectl config set-context default --cluster=surge --user="$1" --kubeconfig="$file" >/dev/null
  kubectl config use-context default --kubeconfig="$file" >/dev/null
}

write_pki() {
  local pki="$K8S_RUN/pki"
  mkdir -p "$pki"
  openssl genrsa -out "$pki/ca.key" 2048 2>/dev/null
  openssl req -x509 -new -key "$pki/ca.key" -subj "/CN=surge-check-ca" -days 2 -out "$pki/ca.crt" 2>/dev/null
  openssl genrsa -out "$pki/sa.key" 2048 2>/dev/null
  openssl rsa -in "$pki/sa.key" -pubout -out "$pki/sa.pub" 2>/dev/null
  mkcert apiserver "/CN=kube-apiserver" \
    "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:10.96.0.1,IP:$NODE_IP" server
  mkcert admin "/O=system:masters/CN=surge-admin"
  mkcert node "/O=system:nodes/CN=system:node:$NODE_NAME"
  mkcert proxy "/CN=system:kube-proxy"
  mkcert controller-manager "/CN=system:kube-controller-manager"
  mkcert scheduler "/CN=system:kube-scheduler"
  mkcert kubelet-serving "/CN=$NODE_NAME" "DNS:$NODE_NAME,IP:$NODE_IP,IP:127.0.0.1" server
  mkkubeconfig admin admin
  mkkubeconfig node node
  mkkubeconfig proxy proxy
  mkkubeconfig controller-manager controller-manager
  mkkubeconfig scheduler scheduler
}

write_configs() {
  mkdir -p "$K8S_RUN/cni" "$K8S_VAR/kubelet" "$K8S_VAR/volumes" "$CONTAINERD_ROOT"
  cat > "$K8S_RUN/containerd.toml" <<TOML
version = 2
root = "$CONTAINERD_ROOT"
state = "$K8S_RUN/containerd-state"
[grpc]
  address = "$CTR_SOCK"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # This host lacks CAP_SYS_RESOURCE: without it every sandbox fails to start.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
    [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
      SystemdCgroup = false
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$K8S_RUN/cni"
TOML
  # bridge + portmap + firewall: dockerd may have set the FORWARD policy to DROP, and
  # bridged pod traffic passes through it; the firewall plugin accepts each pod's.
  cat > "$K8S_RUN/cni/10-surge.conflist" <<JSON
{"cniVersion": "0.4.0", "name": "surge-check", "plugins": [
  {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": true, "hairpinMode": true,
   "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_SUBNET"}]], "routes": [{"dst": "0.0.0.0/0"}],
            "dataDir": "$K8S_RUN/cni-ipam"}},
  {"type": "portmap", "capabilities": {"portMappings": true}},
  {"type": "firewall"}
]}
JSON
  cat > "$K8S_RUN/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
failCgroupV1: false
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$CTR_SOCK
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $K8S_RUN/pki/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $K8S_RUN/pki/kubelet-serving.crt
tlsPrivateKeyFile: $K8S_RUN/pki/kubelet-serving.key
clusterDomain: cluster.local
clusterDNS: [10.96.0.10]
failSwapOn: false
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
resolvConf: /etc/resolv.conf
serializeImagePulls: false
# The images cannot be pulled again once collected: never collect them, evict late.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: {memory.available: 100Mi, nodefs.available: 1%, imagefs.available: 1%, nodefs.inodesFree: 1%}
YAML
  cat > "$K8S_RUN/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
clientConnection: {kubeconfig: $K8S_RUN/proxy.kubeconfig}
mode: iptables
clusterCIDR: $CLUSTER_CIDR
hostnameOverride: $NODE_NAME
conntrack: {maxPerCore: 0}
metricsBindAddress: 127.0.0.1:10249
healthzBindAddress: 127.0.0.1:10256
YAML
}

start_daemon() { # name command...
  local name="$1"; shift
  setsid "$@" > "$K8S_RUN/logs/$name.log" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$K8S_RUN/$name.pid"
  STARTED_PIDS+=("$name:$pid")
}

stop_daemon() {
  local name="$1" pid
  pid="$(cat "$K8S_RUN/$name.pid" 2>/dev/null)" || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
  fi
  rm -f "$K8S_RUN/$name.pid"
}

start_cluster() {
  if [ -d "$K8S_RUN" ] && ls "$K8S_RUN"/*.pid >/dev/null 2>&1; then
    die "$K8S_RUN holds pid files: another k8s:check runs, or one was killed (stop its processes, then rm -rf $K8S_RUN)"
  fi
  NODE_IP="$(node_ip)"
  [ -n "$NODE_IP" ] || die "no IPv4 address with a route found for the node"
  rm -rf "$K8S_RUN" && mkdir -p "$K8S_RUN/logs"
  record_host_state
  write_pki
  write_configs
  sysctl -qw net.ipv4.ip_forward=1
  modprobe br_netfilter 2>/dev/null || true
  [ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] && sysctl -qw net.bridge.bridge-nf-call-iptables=1

  log "starting containerd, etcd and the control plane (node $NODE_NAME at $NODE_IP; logs in $K8S_RUN/logs)"
  start_daemon containerd containerd --config "$K8S_RUN/containerd.toml"
  start_daemon etcd "$K8S_DIR/etcd" --name surge --data-dir "$K8S_RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "surge=http://127.0.0.1:$((ETCD_PORT + 1))" --listen-metrics-urls "" --log-level warn
  local pki="$K8S_RUN/pki"
  start_daemon kube-apiserver "$K8S_DIR/kube-apiserver" --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --advertise-address "$NODE_IP" --secure-port "$APISERVER_PORT" --service-cluster-ip-range "$SERVICE_CIDR" \
    --tls-cert-file "$pki/apiserver.crt" --tls-private-key-file "$pki/apiserver.key" --client-ca-file "$pki/ca.crt" \
    --kubelet-client-certificate "$pki/admin.crt" --kubelet-client-key "$pki/admin.key" \
    --kubelet-certificate-authority "$pki/ca.crt" \
    --service-account-key-file "$pki/sa.pub" --service-account-signing-key-file "$pki/sa.key" \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --allow-privileged=true
  wait_for 120 "the API server" kubectl get --raw /readyz
  start_daemon kube-controller-manager "$K8S_DIR/kube-controller-manager" \
    --kubeconfig "$K8S_RUN/controller-manager.kubeconfig" --bind-address 127.0.0.1 \
    --service-account-private-key-file "$pki/sa.key" --root-ca-file "$pki/ca.crt" \
    --cluster-signing-cert-file "$pki/ca.crt" --cluster-signing-key-file "$pki/ca.key" \
    --allocate-node-cidrs --cluster-cidr "$CLUSTER_CIDR" --node-cidr-mask-size 24 \
    --service-cluster-ip-range "$SERVICE_CIDR" --use-service-account-credentials
  start_daemon kube-scheduler "$K8S_DIR/kube-scheduler" --kubeconfig "$K8S_RUN/scheduler.kubeconfig" \
    --bind-address 127.0.0.1
  wait_for 60 containerd ctr -a "$CTR_SOCK" version
  log "importing the images into the cluster's containerd"
  ctr_ images import --all-platforms "$IMAGES_TAR" >/dev/null || die "ctr images import"
  start_daemon kubelet "$K8S_DIR/kubelet" --config "$K8S_RUN/kubelet.yaml" --kubeconfig "$K8S_RUN/node.kubeconfig" \
    --root-dir "$K8S_VAR/kubelet" --hostname-override "$NODE_NAME" --node-ip "$NODE_IP"
  start_daemon kube-proxy "$K8S_DIR/kube-proxy" --config "$K8S_RUN/kube-proxy.yaml"
  wait_for 120 "node $NODE_NAME Ready" \
    sh -c "'$K8S_DIR/kubectl' get node '$NODE_NAME' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -q True"
  sed "s#__COREDNS_IMAGE__#$COREDNS_IMAGE#" "$REPO_ROOT/infra/containers/k8s/coredns.yaml" | kubectl apply -f - >/dev/null
  kubectl -n kube-system rollout status deployment/coredns --timeout=180s >/dev/null || die "CoreDNS did not start"
  log "cluster up: $(kubectl version -o json | node -pe 'JSON.parse(require("fs").readFileSync(0)).serverVersion.gitVersion'), node Ready, CoreDNS running"
}

stop_cluster() {
  [ -d "$K8S_RUN" ] || return 0
  log "stopping the cluster"
  if [ -f "$K8S_RUN/kubelet.pid" ] && kubectl get --raw /readyz >/dev/null 2>&1; then
    # The kubelet stops the pods (CNI DEL, unmounts) while it still runs.
    kubectl delete namespace surge --ignore-not-found --wait --timeout=180s >/dev/null 2>&1 || true
    kubectl delete pv -l surge.check/volume --ignore-not-found --wait --timeout=60s >/dev/null 2>&1 || true
    kubectl -n kube-system delete deployment coredns --ignore-not-found --wait --timeout=60s >/dev/null 2>&1 || true
    local i
    for i in $(seq 60); do
      [ -z "$(kubectl get pods -A --no-headers 2>/dev/null)" ] && break
      sleep 2
    done
  fi
  stop_daemon kube-proxy
  stop_daemon kubelet
  # Anything the kubelet left: stop and remove it through containerd.
  if [ -S "$CTR_SOCK" ]; then
    local t
    for t in $(ctr_ tasks ls -q 2>/dev/null); do ctr_ tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true; done
    sleep 1
    for t in $(ctr_ containers ls -q 2>/dev/null); do
      ctr_ tasks delete -f "$t" >/dev/null 2>&1 || true
      ctr_ containers delete "$t" >/dev/null 2>&1 || true
    done
  fi
  stop_daemon kube-scheduler
  stop_daemon kube-controller-manager
  stop_daemon kube-apiserver
  stop_daemon etcd
  stop_daemon containerd
  # Mounts under the kubelet root, containerd's state and the pods' network namespaces.
  local m
  for m in $(awk '{print $2}' /proc/mounts | grep -E "^($K8S_VAR|$K8S_RUN|$CONTAINERD_ROOT|/run/netns/cni-)" | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -f /run/netns/cni-* 2>/dev/null || true
  [ -x "$K8S_DIR/kube-proxy" ] && "$K8S_DIR/kube-proxy" --cleanup >/dev/null 2>&1 || true
  ip link del cni0 2>/dev/null || true
  # veth pairs go with their namespaces; any other new link is ours too.
  if [ -f "$K8S_RUN/before/links" ]; then
    local l
    for l in $(comm -13 "$K8S_RUN/before/links" <(ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort)); do
      ip link del "$l" 2>/dev/null || true
    done
  fi
  restore_iptables iptables iptables-save iptables
  restore_iptables ip6tables ip6tables-save ip6tables
  if [ -f "$K8S_RUN/before/sysctl" ]; then
    local kv
    while read -r kv; do sysctl -qw "$kv" 2>/dev/null || true; done < "$K8S_RUN/before/sysctl"
  fi
  # The kubelet's cgroups (deepest first; empty once the pods are gone).
  find /sys/fs/cgroup/*/kubepods* -depth -type d -exec rmdir {} + 2>/dev/null || true
  rm -rf "$K8S_VAR"
  # Logs stay for a failed run to be read; everything else of the run goes.
  local keep="$CT_CACHE/k8s-check-logs"
  rm -rf "$keep" && cp -r "$K8S_RUN/logs" "$keep" 2>/dev/null || true
  rm -rf "$K8S_RUN"
}

# What the check must leave behind: nothing. Prints what is left, if anything.
cluster_leftovers() {
  local name
  for name in containerd etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy; do
    local p
    for p in "${STARTED_PIDS[@]}"; do
      [ "${p%%:*}" = "$name" ] && kill -0 "${p#*:}" 2>/dev/null && echo "process $name (pid ${p#*:})"
    done
  done
  awk '{print $2}' /proc/mounts | grep -E "^($K8S_VAR|$K8S_RUN|$CONTAINERD_ROOT|/run/netns/cni-)" | sed 's/^/mount /'
  ip link show cni0 >/dev/null 2>&1 && echo "link cni0"
  iptables-save 2>/dev/null | grep -E '^:(KUBE-|CNI-)' | sed 's/^/iptables chain /'
  true
}
