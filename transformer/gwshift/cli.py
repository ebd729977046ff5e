"""Command line shell: argv/env → Settings, files/stdin → core.transform → stdout, notes → stderr."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from gwshift import __version__
from gwshift.errors import REPORT_BUG, FatalError, UsageError
from gwshift.notes import Note, exit_code
from gwshift.settings import CHANNELS, DIALECTS, MODES, Settings

EPILOG = """\
examples:
  helm template my-release ./chart | gwshift
  helm upgrade --install my-release ./chart --post-renderer gwshift \\
      --post-renderer-args --gateway-class=nginx=eg          # Helm 3 (path or name on PATH)
  helm plugin install ./helm-postrenderer                    # Helm 4: then --post-renderer gwshift
  kustomize build overlay/ | gwshift --namespace shop > out.yaml
  kustomize build --enable-alpha-plugins --enable-exec overlay/   # KRM exec function
  gwshift --keep-ingress rendered.yaml                      # parallel run before a DNS cut-over
  gwshift validate out.yaml                                 # check against Gateway API v1.6.1

exit codes: 0 converted (warnings allowed), 1 error notes (or warnings with --strict),
2 usage error, 3 internal error (please report).
Notes go to stderr, one per line: severity, code, document index, Kind/namespace/name, field,
message. Helm 4 drops a plugin's stderr: use --report FILE or GWSHIFT_REPORT=FILE.
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"gwshift: {message} (see gwshift --help)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="gwshift",
        description="Convert the Ingress resources of a rendered Kubernetes stream (or KRM "
        "ResourceList) into Gateway API v1.6 resources. Everything else passes through "
        "byte for byte.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    a = p.add_argument
    a("files", nargs="*", metavar="FILE", help="input files, in order ('-' or none: stdin)")
    a("--version", action="version", version=f"gwshift {__version__}")
    a("--ingress-class", action="append", default=[], metavar="CLASS",
      help="convert only Ingresses of this class (repeatable); others pass through")
    a("--gateway-class", action="append", default=[], metavar="[FROM=]TO",
      help="gatewayClassName for Ingresses of class FROM (repeatable); a bare TO maps all")
    a("--gateway", metavar="NAMESPACE/NAME",
      help="attach routes to this existing Gateway instead of generating Gateways")
    a("--listener-set", action="store_true",
      help="with --gateway: put each namespace's listeners and certificates in a ListenerSet "
      "attached to that Gateway (it must allow them: spec.allowedListeners)")
    a("--keep-ingress", action="store_true",
      help="emit the new objects next to the unchanged Ingress (parallel run)")
    a("--namespace", metavar="NS", help="release namespace for objects that carry none")
    a("--dialect", choices=DIALECTS, default=None,
      help="controller dialect for annotations (default auto: from the Ingress class)")
    a("--channel", choices=CHANNELS, default=None,
      help="Gateway API channel to target (experimental enables retry, sessionPersistence...)")
    a("--annotation-prefix", metavar="PREFIX",
      help="ingress-nginx annotation prefix (default nginx.ingress.kubernetes.io)")
    a("--allow-insecure-drop", action="append", default=[], metavar="CODE",
      help="accept knowingly the loss reported by this note code (repeatable)")
    a("--strict", action="store_true", help="exit 1 on warnings too")
    a("--validate", action="store_true",
      help="validate generated objects against the Gateway API CRDs before writing")
    a("--mode", choices=MODES, default=None, help="input envelope (default auto-detect)")
    a("--report", metavar="FILE", help="also write the notes as JSON to FILE (env GWSHIFT_REPORT)")
    a("--notes-format", choices=("text", "json"), default=None, help="format of notes on stderr")
    a("--quiet", action="store_true", help="print only warning and error notes on stderr")
    a("--debug", action="store_true", help="show tracebacks of internal errors")
    return p


def _gateway_ref(value: str | None) -> tuple[str, str] | None:
    if value is None:
        return None
    ns, sep, name = value.partition("/")
    if not sep:
        ns, name = "", value
    if not name:
        raise UsageError(f"gwshift: --gateway {value!r}: expected NAMESPACE/NAME")
    return ns, name


def _class_map(values: list[str]) -> tuple[tuple[str, str], ...]:
    out = []
    for v in values:
        src, sep, dst = v.partition("=")
        if not sep:
            src, dst = "*", v
        if not dst:
            raise UsageError(f"gwshift: --gateway-class {v!r}: expected [FROM=]TO")
        out.append((src, dst))
    return tuple(out)


def settings_from_args(ns: argparse.Namespace, environ: dict[str, str]) -> Settings:
    base: dict[str, object] = {}
    from gwshift.config import env_overrides

    base.update(env_overrides(environ))
    s = Settings(**base)  # type: ignore[arg-type]
    changes: dict[str, object] = {}
    if ns.ingress_class:
        changes["ingress_classes"] = tuple(ns.ingress_class)
    if ns.gateway_class:
        changes["gateway_class_map"] = _class_map(ns.gateway_class)
    if ns.gateway:
        changes["gateway"] = _gateway_ref(ns.gateway)
    for name in ("namespace", "dialect", "channel", "annotation_prefix", "mode", "notes_format"):
        if getattr(ns, name) is not None:
            changes[name] = getattr(ns, name)
    if ns.listener_set and not ns.gateway and s.gateway is None:
        raise UsageError("gwshift: --listener-set needs --gateway NAMESPACE/NAME")
    for flag in ("keep_ingress", "listener_set", "strict", "validate", "debug"):
        if getattr(ns, flag):
            changes[flag] = True
    if ns.allow_insecure_drop:
        changes["allow_insecure_drop"] = s.allow_insecure_drop | frozenset(ns.allow_insecure_drop)
    report = ns.report or environ.get("GWSHIFT_REPORT")
    if report:
        changes["report"] = report
    return s.replace(**changes)


def read_inputs(files: Sequence[str]) -> str:
    parts: list[str] = []
    for f in files or ["-"]:
        try:
            if f == "-":
                data = sys.stdin.buffer.read()
            else:
                with open(f, "rb") as fh:
                    data = fh.read()
        except OSError as exc:
            raise FatalError(f"gwshift: cannot read {f}: {exc.strerror}") from None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FatalError(f"gwshift: {f if f != '-' else 'stdin'}: not UTF-8 text (byte "
                             f"{exc.start}); gwshift reads UTF-8 YAML") from None
        if parts and parts[-1] and not parts[-1].endswith("\n"):
            parts[-1] += "\n"
        if parts and text and not text.startswith("---"):
            text = "---\n" + text
        parts.append(text)
    return "".join(parts)


def write_notes(notes: Sequence[Note], settings: Settings, quiet: bool) -> None:
    shown = [n for n in notes if not quiet or n.severity >= 1]
    if settings.notes_format == "json":
        for n in shown:
            sys.stderr.write(json.dumps(note_dict(n), sort_keys=True) + "\n")
    else:
        for n in shown:
            sys.stderr.write(n.line() + "\n")
    if settings.report:
        try:
            with open(settings.report, "w", encoding="utf-8") as fh:
                json.dump({"notes": [note_dict(n) for n in notes]}, fh, indent=2, sort_keys=True)
                fh.write("\n")
        except OSError as exc:
            raise FatalError(f"gwshift: cannot write report {settings.report}: {exc.strerror}")


def note_dict(n: Note) -> dict[str, object]:
    obj = n.obj
    return {
        "code": n.code, "severity": n.severity.label, "message": n.message, "field": n.field,
        "document": n.doc,
        "object": None if obj is None else {"kind": obj.kind, "namespace": obj.namespace,
                                            "name": obj.name},
    }


_WRITE_SLICE = 1 << 20


def run(argv: Sequence[str]) -> int:
    if argv and argv[0] == "validate":
        from gwshift.validation.cli import main as validate_main

        return validate_main(list(argv[1:]))
    ns = build_parser().parse_args(argv)
    settings = settings_from_args(ns, dict(os.environ))
    text = read_inputs(ns.files)
    from gwshift.core import transform_pieces

    pieces, notes = transform_pieces(text, settings)
    wrote_content = False
    for piece in pieces:  # written as produced: one output piece in memory at a time
        wrote_content = wrote_content or bool(piece.strip())
        for at in range(0, len(piece), _WRITE_SLICE):  # bounds the encoded copy
            sys.stdout.write(piece[at : at + _WRITE_SLICE])
    if not wrote_content and text.strip():
        raise RuntimeError("non-empty input produced empty output")
    sys.stdout.flush()
    write_notes(notes, settings, ns.quiet)
    return exit_code(notes, settings.strict)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    import gc

    # A run allocates many short-lived objects and few cycles: collecting young objects
    # every 700 allocations costs ~7% of a 10k-document run for nothing.
    thresholds = gc.get_threshold()
    gc.set_threshold(50_000, 20, 20)
    try:
        return run(args)
    except FatalError as exc:
        sys.stderr.write(f"{exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # noqa: BLE001 - the last line of defence: bugs exit 3
        if debug:
            import traceback

            traceback.print_exc()
        sys.stderr.write(REPORT_BUG.format(exc=f"{type(exc).__name__}: {exc}") + "\n")
        return 3
    finally:
        gc.set_threshold(*thresholds)
