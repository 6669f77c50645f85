#!/usr/bin/env bash
# Builds, once, the Go tools the container checks use, from the Go module proxy (there is
# no release download and no image registry here): docker compose v2, kustomize, and for
# k8s:check the Kubernetes binaries, etcd and CoreDNS. Each lands in
# ~/.cache/surge/containers/bin under a versioned name; a second run finds them and
# returns at once.
#
#   build-tools.sh compose | kustomize | k8s | coredns | all
source "$(dirname "$0")/lib.sh"

COMPOSE_VERSION=v5.6.0
KUSTOMIZE_VERSION=v5.7.1
K8S_VERSION=v1.35.4
ETCD_VERSION=v3.6.10
COREDNS_VERSION=v1.14.7

# `go install module@version` is refused for compose (exclude lines in its go.mod) and
# asks the proxy for version lists; downloading the module and building inside a
# writable copy works for every tool.
build_in_module() { # module version pkg out
  local module="$1" version="$2" pkg="$3" out="$4"
  go_env
  local dir; dir="$(go mod download -json "$module@$version" | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')"
  [ -n "$dir" ] || die "go mod download $module@$version"
  local work="$CT_CACHE/src/$(basename "$out")"
  rm -rf "$work" && mkdir -p "$(dirname "$work")" && cp -r "$dir" "$work" && chmod -R u+w "$work"
  (cd "$work" && go build -trimpath -ldflags "-s -w ${5:-}" -o "$out.partial" "$pkg")
  mv "$out.partial" "$out"
  rm -rf "$work"
}

compose() {
  local out="$CT_BIN/docker-compose-$COMPOSE_VERSION"
  if [ ! -x "$out" ]; then
    log "building docker compose $COMPOSE_VERSION from the Go module proxy (once, a few minutes)"
    build_in_module github.com/docker/compose/v5 "$COMPOSE_VERSION" ./cmd "$out" \
      "-X github.com/docker/compose/v5/internal.Version=$COMPOSE_VERSION"
  fi
  # The docker CLI finds plugins here.
  mkdir -p "$HOME/.docker/cli-plugins"
  ln -sf "$out" "$HOME/.docker/cli-plugins/docker-compose"
}

kustomize() {
  local out="$CT_BIN/kustomize-$KUSTOMIZE_VERSION"
  [ -x "$out" ] && return 0
  log "building kustomize $KUSTOMIZE_VERSION (once)"
  build_in_module sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION" . "$out"
}

# The control plane, kubelet, kube-proxy and kubectl from k8s.io/kubernetes, which is not
# meant to be a dependency: its go.mod points the k8s.io/* staging modules at ./staging,
# so a wrapper module replaces each with the published v0.x version. etcd's server has
# replace directives too, hence its three-line main.
K8S_STAGING="api apiextensions-apiserver apimachinery apiserver cli-runtime client-go
cloud-provider cluster-bootstrap code-generator component-base component-helpers
controller-manager cri-api cri-client csi-translation-lib dynamic-resource-allocation
endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy
kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver
sample-cli-plugin sample-controller"

k8s() {
  local dir="$CT_CACHE/k8s-$K8S_VERSION"
  local bins="kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl etcd"
  local missing=0
  for b in $bins; do [ -x "$dir/bin/$b" ] || missing=1; done
  [ "$missing" = 0 ] && return 0
  log "building Kubernetes $K8S_VERSION and etcd $ETCD_VERSION from the Go module proxy (once; 10-20 minutes on 2 busy cores)"
  go_env
  local mod="$CT_CACHE/src/k8sbins"
  rm -rf "$mod" && mkdir -p "$mod/cmd/etcd"
  local minor="v0.${K8S_VERSION#v1.}"
  {
    echo "module local/k8sbins"
    echo
    echo "go 1.25"
    echo
    echo "require ("
    echo "  k8s.io/kubernetes $K8S_VERSION"
    echo "  go.etcd.io/etcd/server/v3 $ETCD_VERSION"
    echo ")"
    echo
    echo "replace ("
    for m in $K8S_STAGING; do echo "  k8s.io/$m => k8s.io/$m $minor"; done
    echo ")"
  } > "$mod/go.mod"
  cat > "$mod/tools.go" <<'GO'
//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver/app"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	_ "k8s.io/kubernetes/cmd/kube-proxy/app"
	_ "k8s.io/kubernetes/cmd/kube-scheduler/app"
	_ "k8s.io/kubernetes/cmd/kubelet/app"
	_ "k8s.io/kubectl/pkg/cmd"
	_ "k8s.io/component-base/cli"
)
GO
  cat > "$mod/cmd/etcd/main.go" <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  local minor_num="${K8S_VERSION#v1.}"; minor_num="${minor_num%%.*}"
  local ver="-X k8s.io/component-base/version.gitVersion=$K8S_VERSION -X k8s.io/component-base/version.gitMajor=1"
  ver="$ver -X k8s.io/component-base/version.gitMinor=$minor_num -X k8s.io/client-go/pkg/version.gitVersion=$K8S_VERSION"
  (
    cd "$mod"
    go mod tidy -e >/dev/null
    mkdir -p "$dir/bin.partial"
    go build -trimpath -ldflags "-s -w $ver" -o "$dir/bin.partial/" \
      k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
      k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet \
      k8s.io/kubernetes/cmd/kube-proxy k8s.io/kubernetes/cmd/kubectl ./cmd/etcd
    # pause.c for the sandbox image, from the same module.
    cp "$(go list -m -f '{{.Dir}}' k8s.io/kubernetes)/build/pause/linux/pause.c" "$dir/bin.partial/pause.c"
  )
  rm -rf "$dir/bin" && mv "$dir/bin.partial" "$dir/bin"
}

coredns() {
  local out="$CT_BIN/coredns-$COREDNS_VERSION"
  [ -x "$out" ] && return 0
  log "building CoreDNS $COREDNS_VERSION (once, a few minutes)"
  build_in_module github.com/coredns/coredns "$COREDNS_VERSION" . "$out"
}

case "${1:-all}" in
  compose) with_lock compose compose ;;
  kustomize) with_lock kustomize kustomize ;;
  k8s) with_lock k8s k8s ;;
  coredns) with_lock coredns coredns ;;
  all) with_lock compose compose; with_lock kustomize kustomize; with_lock k8s k8s; with_lock coredns coredns ;;
  *) die "usage: build-tools.sh compose|kustomize|k8s|coredns|all" ;;
esac
