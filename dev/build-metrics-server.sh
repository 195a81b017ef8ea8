#!/usr/bin/env bash
# Builds metrics-server (kubectl top, HorizontalPodAutoscalers) from its Go module, as
# dev/build-control-plane.sh builds the control plane: no download site, no Docker engine here. Cached
# beside the control plane, keyed by version; the Go build cache and module cache are shared with it.
#
#   dev/build-metrics-server.sh                    build if needed, print the binary's directory last
#   ACI_CONNECTOR_METRICS_SERVER_BIN=DIR ...       use an existing metrics-server in DIR (never built)
#   ACI_CONNECTOR_METRICS_SERVER_VERSION=vX.Y.Z    another release (default v0.8.0)
set -euo pipefail

VERSION="${ACI_CONNECTOR_METRICS_SERVER_VERSION:-v0.8.0}"
CACHE_ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/aci-connector"
OUT="$CACHE_ROOT/metrics-server/metrics-server-$VERSION"

started=$(date +%s)
log() { printf '[metrics-server %4ss] %s\n' "$(( $(date +%s) - started ))" "$*" >&2; }

if [ -n "${ACI_CONNECTOR_METRICS_SERVER_BIN:-}" ]; then
  if [ -x "$ACI_CONNECTOR_METRICS_SERVER_BIN/metrics-server" ]; then echo "$ACI_CONNECTOR_METRICS_SERVER_BIN"; exit 0; fi
  log "ACI_CONNECTOR_METRICS_SERVER_BIN=$ACI_CONNECTOR_METRICS_SERVER_BIN has no executable metrics-server"
  exit 1
fi
if [ -x "$OUT/metrics-server" ]; then echo "$OUT"; exit 0; fi

command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { log "go is not installed; metrics-server is built from its Go module"; exit 1; }

ticker_pid=""
phase() {
  stop_ticker
  log "$1"
  ( while sleep 30; do log "  still $1"; done ) &
  ticker_pid=$!
}
stop_ticker() { if [ -n "$ticker_pid" ]; then kill "$ticker_pid" 2>/dev/null || true; wait "$ticker_pid" 2>/dev/null || true; ticker_pid=""; fi; }
staging="$OUT.partial"
cleanup() { stop_ticker; rm -rf "$staging"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# `go install pkg@version` builds with the release's own go.mod (no replaces, so it can), exactly the
# dependency versions upstream ships; its `go` line (1.24.4 for v0.8.0) must not exceed the local Go.
export GOTOOLCHAIN=local CGO_ENABLED=0
rm -rf "$staging"; mkdir -p "$staging"
# The version stamp upstream's Makefile sets, so `metrics-server --version` names the release.
stamp="k8s.io/client-go/pkg/version"
phase "building sigs.k8s.io/metrics-server/cmd/metrics-server@$VERSION (the first time only: about 6 minutes on 2 idle cores)"
GOBIN="$staging" go install -trimpath \
  -ldflags "-s -w -X $stamp.gitVersion=$VERSION -X $stamp.gitTreeState=clean -X $stamp.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
  "sigs.k8s.io/metrics-server/cmd/metrics-server@$VERSION"
stop_ticker
[ -x "$staging/metrics-server" ] || { log "the build finished without a metrics-server binary"; exit 1; }
rm -rf "$OUT"; mkdir -p "$(dirname "$OUT")"; mv "$staging" "$OUT"
log "built metrics-server $VERSION into $OUT in $(( $(date +%s) - started ))s"
echo "$OUT"
