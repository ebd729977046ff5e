#!/usr/bin/env bash
# Argo CD Config Management Plugin `generate` for a Helm chart: helm template | gwshift.
#
# Runs in (a copy of) the Application's source directory inside the CMP sidecar.
# stdout must be ONLY manifests; logs go to stderr. Blank output with auto-sync prune deletes the
# application's resources, so this script renders into files, checks every step's exit code and
# refuses to print an empty or partial result.
#
# Environment (Argo CD sets the first group; the Application's plugin.env arrives as ARGOCD_ENV_*):
#   ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE        release name and namespace
#   KUBE_VERSION, KUBE_API_VERSIONS              passed to helm template (--kube-version/--api-versions)
#   ARGOCD_ENV_HELM_VALUES                       values files, space separated (after values.yaml)
#   ARGOCD_ENV_HELM_ARGS                         extra helm template arguments (word split)
#   ARGOCD_ENV_GWSHIFT_*                         read by gwshift itself (GATEWAY, GATEWAY_CLASS,
#                                                INGRESS_CLASSES, KEEP_INGRESS, STRICT, ...)
#   PARAM_GATEWAY, PARAM_GATEWAY_CLASS           plugin parameters (see plugin-helm.yaml)
#   PARAM_VALUES_FILES_<i>                       array parameter: values files
#   HELM, GWSHIFT                                binaries (default: helm, gwshift on PATH)
set -euo pipefail

log() { printf 'gwshift-helm: %s\n' "$*" >&2; }
: "${ARGOCD_APP_NAME:?ARGOCD_APP_NAME is not set (run by the Argo CD CMP server)}"
NS=${ARGOCD_APP_NAMESPACE:-default}
HELM=${HELM:-helm}
GWSHIFT=${GWSHIFT:-gwshift}

# --include-crds: Argo CD's own Helm source renders CRDs too; a plugin that dropped them would
# make switching an Application to this plugin prune the chart's CRDs.
helm_args=(template "$ARGOCD_APP_NAME" . --namespace "$NS" --include-crds)
[ -n "${KUBE_VERSION:-}" ] && helm_args+=(--kube-version "$KUBE_VERSION")
if [ -n "${KUBE_API_VERSIONS:-}" ]; then
  IFS=, read -r -a apis <<<"$KUBE_API_VERSIONS"
  for a in "${apis[@]}"; do [ -n "$a" ] && helm_args+=(--api-versions "$a"); done
fi
i=0
while v="PARAM_VALUES_FILES_$i" && [ -n "${!v:-}" ]; do
  helm_args+=(--values "${!v}"); i=$((i + 1))
done
for f in ${ARGOCD_ENV_HELM_VALUES:-}; do helm_args+=(--values "$f"); done
# shellcheck disable=SC2206 # word splitting is the documented contract of HELM_ARGS
[ -n "${ARGOCD_ENV_HELM_ARGS:-}" ] && helm_args+=(${ARGOCD_ENV_HELM_ARGS})

gw_args=(--mode=stream)
[ -z "${ARGOCD_ENV_GWSHIFT_NAMESPACE:-}" ] && gw_args+=(--namespace "$NS")
[ -n "${PARAM_GATEWAY:-}" ] && gw_args+=(--gateway "$PARAM_GATEWAY")
[ -n "${PARAM_GATEWAY_CLASS:-}" ] && gw_args+=(--gateway-class "$PARAM_GATEWAY_CLASS")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -f Chart.yaml ] && grep -q '^dependencies:' Chart.yaml && [ ! -d charts ]; then
  log "building chart dependencies"
  "$HELM" dependency build >&2
fi
log "${HELM} ${helm_args[*]}"
"$HELM" "${helm_args[@]}" >"$tmp/rendered.yaml"
if ! grep -q '^kind:' "$tmp/rendered.yaml"; then
  log "helm rendered no objects; refusing to print an empty manifest (Argo CD would prune)"
  exit 1
fi
# `helm template` prints hooks too, so hook Ingresses are converted as well (Argo CD maps
# helm.sh/hook annotations to its own sync hooks).
log "${GWSHIFT} ${gw_args[*]}"
"$GWSHIFT" "${gw_args[@]}" <"$tmp/rendered.yaml" >"$tmp/converted.yaml"
if ! grep -q '^kind:' "$tmp/converted.yaml"; then
  log "gwshift produced no objects from a non-empty render; refusing to print it"
  exit 1
fi
cat "$tmp/converted.yaml"
