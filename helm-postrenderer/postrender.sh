#!/bin/sh
# gwshift as a Helm post-renderer.
#   Helm 4: installed as plugin "gwshift" (helm plugin install <this dir>), used as
#           --post-renderer gwshift [--post-renderer-args ARG]...
#           argv = plugin.yaml args + --post-renderer-args; env += HELM_PLUGIN_DIR, HELM_PLUGIN_NAME.
#           Helm 4 discards this process's stderr: set GWSHIFT_REPORT=/path/report.json
#           (or --post-renderer-args=--report=/path) to see the notes.
#   Helm 3: used by path, --post-renderer /path/to/postrender.sh (or just --post-renderer gwshift
#           when the gwshift console script is on PATH). Never copy this plugin.yaml into a
#           Helm 3 plugins directory: Helm 3 cannot parse plugin API v1 and breaks.
# Which gwshift runs: $GWSHIFT_BIN, else gwshift on PATH, else python3 -m gwshift.
set -eu
if [ -n "${GWSHIFT_BIN:-}" ]; then
  exec "$GWSHIFT_BIN" --mode=stream "$@"
elif command -v gwshift >/dev/null 2>&1; then
  exec gwshift --mode=stream "$@"
else
  exec "${GWSHIFT_PYTHON:-python3}" -m gwshift --mode=stream "$@"
fi
