#!/usr/bin/env bash
# Builds the Kubernetes control plane (kube-apiserver, kube-scheduler, kube-controller-manager, kubectl)
# and etcd from their Go modules, because this machine has no download site and no Docker engine.
# The binaries are cached outside the repository, keyed by version, and reused.
#
#   dev/build-control-plane.sh            build if needed, print the binary directory on the last line
#   ACI_CONNECTOR_KUBE_BIN=DIR ...        use existing binaries in DIR instead (checked, never built)
set -euo pipefail

K8S_VERSION="${ACI_CONNECTOR_K8S_VERSION:-v1.34.4}"
ETCD_VERSION="${ACI_CONNECTOR_ETCD_VERSION:-v3.6.16}"
BINARIES=(etcd kube-apiserver kube-scheduler kube-controller-manager kubectl)
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/aci-connector"
OUT="$CACHE_ROOT/control-plane/kubernetes-$K8S_VERSION-etcd-$ETCD_VERSION"

started=$(date +%s)
log() { printf '[control-plane %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }

has_all() {
  local dir="$1" b
  for b in "${BINARIES[@]}"; do [ -x "$dir/$b" ] || return 1; done
}

if [ -n "${ACI_CONNECTOR_KUBE_BIN:-}" ]; then
  if has_all "$ACI_CONNECTOR_KUBE_BIN"; then echo "$ACI_CONNECTOR_KUBE_BIN"; exit 0; fi
  log "ACI_CONNECTOR_KUBE_BIN=$ACI_CONNECTOR_KUBE_BIN lacks one of: ${BINARIES[*]}"
  exit 1
fi
if has_all "$OUT"; then echo "$OUT"; exit 0; fi

# Machines of this kind install Go under /usr/local/go; a non-login shell may not have it on PATH.
command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "go is not installed; the control plane is built from Go modules"; exit 1; }

# While a long step runs, say every 30 s that it is still running, so nobody mistakes it for a hang.
ticker_pid=""
phase() {
  stop_ticker
  log "$1"
  ( while sleep 30; do log "  still $1"; done ) &
  ticker_pid=$!
}
stop_ticker() { if [ -n "$ticker_pid" ]; then kill "$ticker_pid" 2>/dev/null || true; wait "$ticker_pid" 2>/dev/null || true; ticker_pid=""; fi; }

work=$(mktemp -d "${TMPDIR:-/tmp}/aci-connector-build.XXXXXX")
staging="$OUT.partial"
cleanup() { stop_ticker; rm -rf "$work" "$staging"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS=-mod=mod
rm -rf "$staging"; mkdir -p "$staging"

# --- Kubernetes -------------------------------------------------------------------------------------
mkdir -p "$work/kubernetes" && cd "$work/kubernetes"
go mod init aci-connector.local/build-kubernetes >/dev/null 2>&1
phase "downloading k8s.io/kubernetes@$K8S_VERSION"
k8s_dir=$(go mod download -json "k8s.io/kubernetes@$K8S_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$k8s_dir" ] || { log "could not download k8s.io/kubernetes@$K8S_VERSION"; exit 1; }

# k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with ./staging/...; a
# consumer must replace each with its published version instead. The list comes from that release's
# own go.mod, so a new release needs no edit here.
staging_version="v0.${K8S_VERSION#v1.}"
modules=$(sed -n 's#^[[:space:]]*\(k8s\.io/[^ ]*\) => \./staging/.*#\1#p' "$k8s_dir/go.mod")
[ -n "$modules" ] || { log "found no staging replaces in $k8s_dir/go.mod"; exit 1; }
for m in $modules; do go mod edit -replace "$m=$m@$staging_version"; done
log "replaced $(echo "$modules" | wc -w) staging modules with $staging_version"

packages=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-scheduler
          k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl)
phase "resolving dependencies of ${packages[*]##*/}"
# Each package is pinned to the release: an unversioned `go get` would move to the newest one.
go get "${packages[@]/%/@$K8S_VERSION}" >/dev/null 2>&1 || go get "${packages[@]/%/@$K8S_VERSION}"

minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
build_date=$(date -u +%Y-%m-%dT%H:%M:%SZ)
stamps=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamps+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  stamps+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done
phase "compiling kube-apiserver, kube-scheduler, kube-controller-manager and kubectl (the long step)"
go build -trimpath -ldflags "-s -w$stamps" -o "$staging/" "${packages[@]}"

# --- etcd -------------------------------------------------------------------------------------------
mkdir -p "$work/etcd" && cd "$work/etcd"
go mod init aci-connector.local/build-etcd >/dev/null 2>&1
phase "resolving go.etcd.io/etcd/server/v3@$ETCD_VERSION"
go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION" >/dev/null 2>&1 || go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
phase "compiling etcd"
go build -trimpath -ldflags "-s -w" -o "$staging/etcd" go.etcd.io/etcd/server/v3

stop_ticker
has_all "$staging" || { log "build finished without every binary"; exit 1; }
rm -rf "$OUT"; mkdir -p "$(dirname "$OUT")"; mv "$staging" "$OUT"
log "built ${BINARIES[*]} into $OUT"
echo "$OUT"
