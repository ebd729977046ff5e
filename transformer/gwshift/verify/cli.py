"""``gwshift verify BEFORE AFTER``: exit 0 when every difference is explained by a
conversion note, 1 when one is not, 2 on usage errors."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Any

from gwshift import settings as _settings
from gwshift.settings import DIALECTS, Settings

# The conversion's targets (gwshift.targets registry) when this gwshift has them.
TARGETS: tuple[str, ...] = tuple(getattr(_settings, "TARGETS", ("standard",)))
EPILOG = """\
examples:
  gwshift rendered.yaml > gateway.yaml && gwshift verify rendered.yaml gateway.yaml
  helm template shop ./chart | tee before.yaml | gwshift | gwshift verify before.yaml -

exit codes: 0 every difference is explained by a conversion note, 1 a difference is not,
2 usage error (unreadable file or YAML, bad option), 3 internal error (please report).
"""


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"gwshift verify: {message} (see gwshift verify --help)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="gwshift verify",
        description="Probe the Ingresses (BEFORE) and the Gateway API objects replacing them "
        "(AFTER) with the same requests and report every request routed differently, with the "
        "conversion note that explains it.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("before", metavar="BEFORE", help="source objects: Ingresses, Services, "
                   "IngressClasses ('-': stdin)")
    p.add_argument("after", metavar="AFTER", help="Gateway API objects and target policies "
                   "('-': stdin)")
    p.add_argument("--namespace", metavar="NS", help="namespace of objects that carry none")
    p.add_argument("--dialect", choices=DIALECTS, default="auto",
                   help="source controller semantics (default auto: from the Ingress class)")
    p.add_argument("--target", choices=TARGETS, default=None,
                   help="as for conversion: the implementation; also decides what the spec "
                   "leaves open (RegularExpression precedence)")
    p.add_argument("--annotation-prefix", metavar="PREFIX", default=None,
                   help="ingress-nginx annotation prefix (default nginx.ingress.kubernetes.io)")
    p.add_argument("--gateway-class", action="append", default=[], metavar="[FROM=]TO",
                   help="as for conversion: which gatewayClassName replaces an Ingress class")
    p.add_argument("--conversion-arg", action="append", default=[], metavar="ARG",
                   help="another conversion option, so notes match the conversion (repeatable; "
                   "with '=': --conversion-arg=--gateway=infra/shared)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--all", action="store_true", help="text: list explained differences too")
    p.add_argument("--limit", type=int, default=100, metavar="N",
                   help="text: list at most N differences (default 100; json lists all)")
    p.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    return p


def settings_for(ns: argparse.Namespace) -> Settings:
    """Settings as conversion would build them: only fields Settings has are passed."""
    # Settings is a dataclass or (newer gwshift) a NamedTuple: pass only fields it has.
    settings_type: Any = Settings
    fields = getattr(settings_type, "_fields", None)
    known = set(fields) if fields else {f.name for f in dataclasses.fields(settings_type)}
    changes: dict[str, object] = {}
    if ns.conversion_arg:
        from gwshift.cli import build_parser as conv_parser
        from gwshift.cli import settings_from_args

        try:
            base = settings_from_args(conv_parser().parse_args(ns.conversion_arg), {})
        except Exception as exc:  # noqa: BLE001 - gwshift's own usage errors
            raise UsageError(f"gwshift verify: --conversion-arg: {exc}") from None
    else:
        base = Settings()
    for name in ("namespace", "dialect", "target", "annotation_prefix"):
        value = getattr(ns, name, None)
        if value is not None and name in known:
            changes[name] = value
    if ns.gateway_class:
        pairs = []
        for v in ns.gateway_class:
            src, sep, dst = v.partition("=")
            pairs.append((src, dst) if sep else ("*", v))
        changes["gateway_class_map"] = tuple(pairs)
    return base.replace(**changes)


def _read(path: str, stdin_used: list[bool]) -> str:
    try:
        if path == "-":
            if stdin_used[0]:
                raise UsageError("gwshift verify: only one of BEFORE and AFTER can be '-'")
            stdin_used[0] = True
            data = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as fh:
                data = fh.read()
        return data.decode("utf-8")
    except OSError as exc:
        raise UsageError(f"gwshift verify: cannot read {path}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise UsageError(f"gwshift verify: {path}: not UTF-8 text (byte {exc.start})") from None


def render_text(report: object, show_all: bool, limit: int = 0) -> str:
    from gwshift.verify.compare import Report

    assert isinstance(report, Report)
    lines: list[str] = []
    shown = report.differences if show_all else report.unexplained
    for d in shown[:limit] if limit > 0 else shown:
        lines.append(f"{'UNEXPLAINED' if d.note is None else 'explained'} {d.kind}: "
                     f"{d.request.describe()}")
        lines.append(f"  {d.source_model + ':':14} {d.source.result.describe()}"
                     + (f"  [{', '.join(map(str, d.source.by))}]" if d.source.by else ""))
        lines.append(f"  gateway api:   {d.gateway.result.describe()}"
                     + (f"  [{', '.join(map(str, d.gateway.by))}]" if d.gateway.by else ""))
        if d.source.rivals and d.dialect in ("nginx", "generic"):
            lines.append(f"  nginx keeps the oldest of: {', '.join(map(str, d.source.by + d.source.rivals))}"
                         " (no creationTimestamp in the manifests)")
        elif d.source.rivals:
            lines.append(f"  {d.source_model} picks any of: "
                         f"{', '.join(map(str, d.source.by + d.source.rivals))}"
                         " (equal priority: the order is undefined)")
        if d.note is not None:
            lines.append(f"  explained by {d.note.code} on {d.note.obj}")
    if 0 < limit < len(shown):
        lines.append(f"... {len(shown) - limit} more (--limit, or --format json for all)")
    explained = Counter(d.note.code for d in report.differences if d.note is not None)
    for w in report.warnings:
        lines.append(f"warning: {w}")
    summary = (f"{report.probes} probes, {len(report.differences)} differ: "
               f"{len(report.unexplained)} unexplained, "
               f"{len(report.differences) - len(report.unexplained)} explained by notes")
    if explained:
        summary += " (" + ", ".join(f"{c} x{n}" for c, n in sorted(explained.items())) + ")"
    if report.not_modelled:
        summary += f"; {report.not_modelled} not compared"
    lines.append(summary)
    if report.sources:
        judged = ", ".join(f"{k} {n}" for k, n in sorted(report.sources.items())
                           if not k.startswith("not compared"))
        skipped = "; ".join(f"{k[len('not compared: '):]} x{n}" for k, n in
                            sorted(report.sources.items()) if k.startswith("not compared"))
        lines.append(f"sources: {report.sources_compared} compared"
                     + (f" ({judged})" if judged else "")
                     + (f", {report.sources_not_compared} not compared ({skipped})"
                        if skipped else ""))
    return "\n".join(lines) + "\n"


def render_json(report: object) -> str:
    from gwshift.verify.compare import Report

    assert isinstance(report, Report)
    return json.dumps({
        "probes": report.probes, "notCompared": dict(sorted(report.not_compared.items())),
        "unexplained": len(report.unexplained),
        "differences": [d.as_dict() for d in report.differences],
        "warnings": report.warnings, "sources": dict(sorted(report.sources.items())),
    }, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | Sequence[str]) -> int:
    from gwshift.verify.compare import verify
    from gwshift.verify.objects import InputError

    try:
        ns = build_parser().parse_args(list(argv))
        stdin_used = [False]
        before = _read(ns.before, stdin_used)
        after = _read(ns.after, stdin_used)
        settings = settings_for(ns)
        report = verify(before, after, settings, ns.target or getattr(settings, "target", None),
                        names=(ns.before, ns.after))
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return 2
    except InputError as exc:
        sys.stderr.write(f"gwshift verify: {exc}\n")
        return 2
    except RecursionError as exc:  # absurdly nested input: bounded, one line
        sys.stderr.write(f"gwshift verify: input too deeply nested ({exc})\n")
        return 2
    except Exception as exc:
        if "--debug" in argv:
            raise
        from gwshift.errors import REPORT_BUG

        sys.stderr.write(REPORT_BUG.format(exc=f"{type(exc).__name__}: {exc}")
                         .replace("gwshift:", "gwshift verify:", 1) + "\n")
        return 3
    out = render_json(report) if ns.format == "json" else render_text(report, ns.all, ns.limit)
    sys.stdout.write(out)
    return report.exit_code
