#!/usr/bin/env bash
# Argo CD Config Management Plugin `generate` for a kustomize directory: build | gwshift.
#
# stdout must be ONLY manifests; logs go to stderr. The build goes to a file first (a failing
# build fails the plugin) and an empty or partial result is never printed (blank output with
# auto-sync prune deletes the application's resources).
#
# Environment:
#   ARGOCD_APP_NAME, ARGOCD_APP_NAMESPACE        set by Argo CD
#   ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS           extra build options, e.g. --enable-helm (word split)
#   ARGOCD_ENV_GWSHIFT_*                         read by gwshift itself (see docs/integrations.md)
#   PARAM_GATEWAY, PARAM_GATEWAY_CLASS           plugin parameters (see plugin-kustomize.yaml)
#   KUSTOMIZE                                    build command (default: "kustomize build", else
#                                                "kubectl kustomize"); GWSHIFT: the converter
set -euo pipefail

log() { printf 'gwshift-kustomize: %s\n' "$*" >&2; }
: "${ARGOCD_APP_NAME:?ARGOCD_APP_NAME is not set (run by the Argo CD CMP server)}"
NS=${ARGOCD_APP_NAMESPACE:-default}
GWSHIFT=${GWSHIFT:-gwshift}
if [ -n "${KUSTOMIZE:-}" ]; then
  read -r -a build <<<"$KUSTOMIZE"
elif command -v kustomize >/dev/null 2>&1; then
  build=(kustomize build)
else
  build=(kubectl kustomize)
fi
# shellcheck disable=SC2206
[ -n "${ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS:-}" ] && build+=(${ARGOCD_ENV_KUSTOMIZE_BUILD_OPTIONS})

gw_args=(--mode=stream)
[ -z "${ARGOCD_ENV_GWSHIFT_NAMESPACE:-}" ] && gw_args+=(--namespace "$NS")
[ -n "${PARAM_GATEWAY:-}" ] && gw_args+=(--gateway "$PARAM_GATEWAY")
[ -n "${PARAM_GATEWAY_CLASS:-}" ] && gw_args+=(--gateway-class "$PARAM_GATEWAY_CLASS")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log "${build[*]} ."
"${build[@]}" . >"$tmp/built.yaml"
if ! grep -q '^kind:' "$tmp/built.yaml"; then
  log "kustomize built no objects; refusing to print an empty manifest (Argo CD would prune)"
  exit 1
fi
log "${GWSHIFT} ${gw_args[*]}"
"$GWSHIFT" "${gw_args[@]}" <"$tmp/built.yaml" >"$tmp/converted.yaml"
if ! grep -q '^kind:' "$tmp/converted.yaml"; then
  log "gwshift produced no objects from a non-empty build; refusing to print it"
  exit 1
fi
cat "$tmp/converted.yaml"
