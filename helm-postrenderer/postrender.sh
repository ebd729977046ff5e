#!/bin/sh
# gwshift as a Helm post-renderer (Helm 3 by path or name, Helm 4 as plugin "gwshift").
#
#   Helm 4: helm plugin install <this dir>; then --post-renderer gwshift
#           [--post-renderer-args ARG]... (argv = plugin.yaml args + --post-renderer-args).
#           Helm 4 discards this script's stderr, even on failure: read the report file.
#   Helm 3: --post-renderer /path/to/postrender.sh (or --post-renderer gwshift when the gwshift
#           console script is on PATH). Never install this directory as a Helm 3 plugin: Helm 3
#           cannot parse plugin API v1 (see README.md for keeping both on one machine).
#
# What the user sees:
#   * a JSON report of every note, always: $GWSHIFT_REPORT, or --report=PATH in the args, or
#     by default ${XDG_STATE_HOME:-$HOME/.local/state}/gwshift/last-report.json (overwritten on
#     each run; its path is printed on stderr);
#   * one summary line on stderr: "gwshift: E errors, W warnings, I info notes (exit N); report: PATH";
#   * a warning when Helm passes an empty manifest (helm 3 template --output-dir does);
#   * one clear line when gwshift is not installed (exit 127).
# Which gwshift runs: $GWSHIFT_BIN, else gwshift on PATH, else ${GWSHIFT_PYTHON:-python3} -m gwshift.
set -eu

say() { printf 'gwshift post-renderer: %s\n' "$*" >&2; }

if [ -n "${GWSHIFT_BIN:-}" ]; then
  if ! command -v "$GWSHIFT_BIN" >/dev/null 2>&1; then
    say "GWSHIFT_BIN=$GWSHIFT_BIN is not an executable; point it at the gwshift command"
    exit 127
  fi
  set -- "$GWSHIFT_BIN" --mode=stream "$@"
elif command -v gwshift >/dev/null 2>&1; then
  set -- gwshift --mode=stream "$@"
elif "${GWSHIFT_PYTHON:-python3}" -c 'import gwshift' >/dev/null 2>&1; then
  set -- "${GWSHIFT_PYTHON:-python3}" -m gwshift --mode=stream "$@"
else
  say "gwshift is not installed (not on PATH, GWSHIFT_BIN unset, ${GWSHIFT_PYTHON:-python3} cannot import it); run 'pip install gwshift' or set GWSHIFT_BIN"
  exit 127
fi

# The report path: an explicit --report in the args wins, then GWSHIFT_REPORT, then the default.
report=""
prev=""
for arg in "$@"; do
  case "$arg" in
    --report=*) report="${arg#--report=}" ;;
  esac
  if [ "$prev" = "--report" ]; then report="$arg"; fi
  prev="$arg"
done
fresh=""  # set when the report is a new mktemp file (never removed and re-created by name)
if [ -z "$report" ]; then
  if [ -n "${GWSHIFT_REPORT:-}" ]; then
    report="$GWSHIFT_REPORT"
  else
    # Only under the user's own state directory: without XDG_STATE_HOME and HOME, a fixed
    # name in a shared directory (/tmp/.local/...) could be another user's symlink.
    state=""
    if [ -n "${XDG_STATE_HOME:-}" ]; then
      state="$XDG_STATE_HOME/gwshift"
    elif [ -n "${HOME:-}" ] && [ "$HOME" != "/" ]; then
      state="$HOME/.local/state/gwshift"
    fi
    if [ -n "$state" ] && mkdir -p "$state" 2>/dev/null && [ -w "$state" ]; then
      report="$state/last-report.json"
    else
      report="$(mktemp "${TMPDIR:-/tmp}/gwshift-report.XXXXXX")"
      fresh=1
    fi
    GWSHIFT_REPORT="$report"
    export GWSHIFT_REPORT
  fi
fi

# Buffer the manifest: an empty one is worth a warning, and gwshift reads it from a file.
input="$(mktemp "${TMPDIR:-/tmp}/gwshift-input.XXXXXX")"
trap 'rm -f "$input"' EXIT
cat > "$input"
if [ ! -s "$input" ]; then
  say "warning: Helm passed an empty manifest, nothing to convert (Helm 3 'template --output-dir' bypasses post-renderers; render to stdout instead)"
fi

if [ -z "$fresh" ]; then
  rm -f "$report"  # a report left by an earlier run must not be summarised as this one's
fi
rc=0
"$@" < "$input" || rc=$?

# Notes per severity, counted in a JSON report (one "severity" line per note); a Markdown
# report (--report=x.md) is named without counts rather than miscounted.
count() { grep -c "\"severity\": \"$1\"" "$report" 2>/dev/null || true; }
if [ -s "$report" ] && [ "${report%.md}" != "$report" ]; then
  printf 'gwshift: exit %s; report: %s\n' "$rc" "$report" >&2
elif [ -s "$report" ]; then
  printf 'gwshift: %s errors, %s warnings, %s info notes (exit %s); report: %s\n' \
    "$(count error)" "$(count warning)" "$(count info)" "$rc" "$report" >&2
else
  printf 'gwshift: exit %s; no report was written (%s)\n' "$rc" "$report" >&2
fi
exit "$rc"
