#!/bin/sh
# Exec KRM function wrapper (copy next to your kustomization; shebang must stay on line 1).
exec "${GWSHIFT_BIN:-gwshift}" --mode=krm "$@"
