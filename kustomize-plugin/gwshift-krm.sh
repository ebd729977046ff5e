#!/bin/sh
# Exec KRM function wrapper (copy next to your kustomization; shebang must stay on line 1).
if ! command -v "${GWSHIFT_BIN:-gwshift}" >/dev/null 2>&1; then
  echo "gwshift KRM function: ${GWSHIFT_BIN:-gwshift} not found on PATH; run 'pip install gwshift' or set GWSHIFT_BIN" >&2
  exit 127
fi
exec "${GWSHIFT_BIN:-gwshift}" --mode=krm "$@"
