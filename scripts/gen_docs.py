#!/usr/bin/env python3
"""Generate the annotation and target docs from the tables (never kept by hand).

- ``docs/annotations/<dialect>.md`` for every registered dialect, from its table
  (``gwshift.handlers._table.Handler``: level, disposition, emits, codes, caveat, intent);
- ``docs/targets.md``: every target's capability table (intent -> converted/approximated, how,
  or why not), the intent x target matrix, and per dialect the matrix annotation x target
  (converted / approximated / kept), joining the dialect table's ``intent`` with each
  target's ``table``.

Usage: python scripts/gen_docs.py [--check]   (--check exits 1 when a page is stale)
"""

from __future__ import annotations

import importlib
import sys
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from gwshift.handlers import ANNOTATION_PREFIX, DIALECTS, load
from gwshift.intents import INTENT_TYPES
from gwshift.settings import Settings
from gwshift.targets import TARGETS, Capability, Target, get

DOCS = Path(__file__).resolve().parent.parent / "docs"
LEVELS = {
    "STD": "Gateway API standard channel",
    "EXP": "experimental channel (emitted with --channel experimental)",
    "IMPL": "implementation-specific only",
    "NONE": "no equivalent",
}
DISPOSITIONS = {
    "converted": "portable Gateway API output, same behaviour",
    "approximated": "portable output, a note says what differs",
    "reported": "nothing emitted, a note says so",
    "blocked": "fail closed: the source is kept with an error note",
    "intent": "recorded as a policy intent: the selected `--target` expresses it, or it fails "
              "closed (see [targets.md](../targets.md))",
}
FAIL_CLOSED = "nothing: the Ingress is kept"
# Prose a dialect page carries besides its table (decisions that span annotations).
PREAMBLE = {
    "nginx": """\
## Decisions that apply across annotations

- **Regex hosts.** As in ingress-nginx, `use-regex: "true"` or any `rewrite-target` on one
  Ingress turns *every* path of that host (all Ingresses of the host in the input, Exact paths
  included) into a case-insensitive, start-anchored regex. gwshift writes
  `(?i)^<path>.*` (`(?i).*(?:^<path>).*` when the path has a top-level `|`), which a
  full-match engine (RE2/Envoy) and a search engine read as nginx did. Path `/` stays
  `PathPrefix /`. PCRE-only constructs (look-around, back-references, possessive/atomic
  groups) block the Ingress (`nginx/regex-pcre-only`).
- **ImplementationSpecific on other hosts** was a plain string prefix in nginx: `/` and paths
  ending in `/` become `PathPrefix` (equivalent; `/p` without slash reached the backend
  instead of nginx's 301); other paths become `PathPrefix` with a warning that `/pX` no longer
  matches (`nginx/implementation-specific-string-prefix`). Paths no Exact/PathPrefix value can
  hold become an escaped literal `RegularExpression` (`nginx/path-literal-regex`).
- **ssl-redirect** is on by default: a host with a TLS entry in any Ingress of the same
  Gateway group gets a second HTTPRoute `<route>-redirect` on its HTTP listener (same matches,
  `RequestRedirect` scheme https, 308); the main route stays on HTTPS. Rules that already
  redirect (permanent/temporal redirect, app-root) are copied unchanged, since nginx's `return`
  runs before its HTTPS redirect. `force-ssl-redirect` on a host without TLS keeps the route on
  HTTP and adds rules matching `X-Forwarded-Proto: http` that redirect.
- **Timeouts**: `timeouts.request = timeouts.backendRequest = connect + send + read`
  (nginx defaults 5/60/60 for unset ones), because nginx timeouts are idle timeouts and
  Gateway API's are totals.
- **Canary** Ingresses merge into the primary rule of the same namespace, class, host, path
  and pathType: header rules first (`always` -> canary, `never` -> primary, or the
  `-value`/`-pattern` match), cookie rules next (regex on `Cookie`), then the weighted rule
  (`total - w` / `w`). The canary Ingress gets no routes of its own; it is kept unconverted
  when its primary is.
- **Fail closed**: access control, authentication, rate limits, WAF and snippets keep the
  Ingress unconverted with an error naming the annotation; `--allow-insecure-drop <code>`
  converts it anyway with a warning that says the protection was knowingly dropped.
  `backend-protocol: HTTPS` without `proxy-ssl-verify: "on"` fails closed the same way
  (`nginx/backend-tls-unverified`): BackendTLSPolicy always verifies. With a `--target`
  that expresses the control, it converts instead (see [targets.md](../targets.md)).
""",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# --- dialect tables (typed Handler; the legacy nginx Handler until it is ported) ---------


def level(h: Any) -> str:
    return str(getattr(h, "level", None) or getattr(h, "cls", "NONE"))


def disposition(h: Any) -> str:
    found = getattr(h, "disposition", None)
    if found:
        return str(found)
    emits = str(getattr(h, "emits", ""))
    if emits.startswith(FAIL_CLOSED):
        return "blocked"
    if emits.startswith("nothing"):
        return "reported"
    return "converted"


def intent_of(h: Any) -> type | None:
    found = getattr(h, "intent", None)
    return found if isinstance(found, type) else None


def prefix_of(name: str) -> str:
    prefixes = DIALECTS[name].prefixes
    default = Settings().annotation_prefix.rstrip("/") + "/"
    return ", ".join(f"`{default if p == ANNOTATION_PREFIX else p}*`" for p in prefixes)


def dialect_page(name: str) -> str:
    dialect = load(name)
    module = importlib.import_module(DIALECTS[name].module)
    table: Mapping[str, Any] = dialect.table
    aliases: Mapping[str, str] = getattr(module, "ALIASES", {})
    legacy: tuple[str, ...] = tuple(getattr(module, "LEGACY", ()))
    canonical = [k for k in table if k not in aliases and k not in legacy]
    levels = Counter(level(table[k]) for k in canonical)
    dispositions = Counter(disposition(table[k]) for k in canonical)
    lines = [
        f"# {name} annotations ({prefix_of(name)})",
        "",
        (f"<!-- generated by scripts/gen_docs.py from {DIALECTS[name].module} (its dialect "
        "table); do not edit -->"),
        "",
        f"{len(canonical)} annotations"
        + (f" (+{len(aliases)} aliases)" if aliases else "")
        + (f" (+{len(legacy)} legacy)" if legacy else "")
        + f". Keys under the prefix that are not listed here are reported as "
        f"`{name}/unknown-annotation`.",
        "",
        "| level | meaning | annotations |",
        "|---|---|---|",
        *[f"| {c} | {meaning} | {levels.get(c, 0)} |" for c, meaning in LEVELS.items()],
        "",
        "| what gwshift does | meaning | annotations |",
        "|---|---|---|",
        *[f"| {d} | {meaning} | {dispositions.get(d, 0)} |"
          for d, meaning in DISPOSITIONS.items()],
        "",
    ]
    lines += selection(name)
    if name in PREAMBLE:
        lines += [PREAMBLE[name]]
    lines += [
        "## Annotations",
        "",
        "| annotation | level | gwshift | what gwshift emits | note codes | caveat |",
        "|---|---|---|---|---|---|",
    ]
    for key, h in table.items():
        label = f"`{key}`" + (f" (alias of `{aliases[key]}`)" if key in aliases else "")
        label += " (legacy)" if key in legacy else ""
        did = disposition(h)
        intent = intent_of(h)
        if intent is not None:
            did += f" ({intent.__name__})"
        codes = ", ".join(f"`{c}`" for c in getattr(h, "codes", ()))
        lines.append(f"| {label} | {level(h)} | {did} | {_cell(str(h.emits))} | {codes} | "
                     f"{_cell(str(getattr(h, 'caveat', '')))} |")
    # Sections of the dialect's extra sources (ingress-nginx's tcp/udp-services ConfigMaps):
    # the parser's module (or the one it names as doc_module) carries them as DOC.
    modules = {getattr(p, "doc_module", p.__module__) for p in dialect.parsers.values()}
    for mod in sorted(modules):
        doc = getattr(importlib.import_module(mod), "DOC", None)
        if isinstance(doc, str):
            lines += ["", doc.rstrip("\n")]
    return "\n".join(lines) + "\n"


def selection(name: str) -> list[str]:
    """How ``--dialect auto`` picks a class-less Ingress for this dialect and which
    GatewayClass it gets (DialectEntry ``keys`` / ``gateway_classes``); only for dialects
    whose entry has such data."""
    entry = DIALECTS[name]
    if not entry.keys and not entry.gateway_classes:
        return []
    owned = [f"`{p}*`" for p in entry.prefixes if p != ANNOTATION_PREFIX]
    owned += [f"`{k}`" for k in entry.keys]
    controllers = ", ".join(f"`{c}`" for c in entry.controllers) or "none"
    classes = ", ".join(f"`{c}`" for c in entry.classes) or "none"
    rule = (f"With `--dialect auto` an Ingress is read as {name} when its IngressClass "
            f"controller is {controllers}, else its class is {classes}, else when it has no "
            "class, the stream no default IngressClass, and every controller annotation it "
            f"carries is {name}'s: {', '.join(owned)}.")
    lines = ["## Selection and GatewayClass", "", rule, ""]
    if entry.gateway_classes:
        lines += [
            "| Ingress class | gatewayClassName (an explicit `--gateway-class` mapping wins) |",
            "|---|---|",
            *[f"| {f'`{c}`' if c else '(none)'} | `{g}` |" for c, g in entry.gateway_classes],
            "",
        ]
    return lines


# --- targets -----------------------------------------------------------------------------


def gaps_of(target: Target) -> Mapping[type, str]:
    module = importlib.import_module(TARGETS[target.name])
    gaps: Mapping[type, str] = getattr(module, "GAPS", {})
    return gaps


ALL_SCOPES = ("route", "rule", "gateway")


def scopes_of(target: Target) -> Mapping[type, tuple[str, ...]]:
    module = importlib.import_module(TARGETS[target.name])
    scopes: Mapping[type, tuple[str, ...]] = getattr(module, "SCOPES", {})
    return scopes


def conditional(cap: Capability) -> bool:
    """Whether some values of the intent are refused (Capability.refuses is not the default)."""
    return getattr(cap.refuses, "__name__", "") != "_never"


def cell(target: Target, intent: type | None) -> str:
    if intent is None:
        return "kept"
    cap = target.table.get(intent)
    if cap is None:
        return "kept"
    return cap.level + (" (some values kept)" if conditional(cap) else "")


def targets_page() -> str:
    targets = [get(name) for name in TARGETS]
    lines = [
        "# Implementation targets (`--target`)",
        "",
        ("<!-- generated by scripts/gen_docs.py from the target tables "
        "(gwshift.targets.*.TABLE/GAPS) and the dialect tables; do not edit -->"),
        "",
        ("Dialects record what a source asked for as *policy intents*; the selected target "
        "expresses each one in its own CRDs, or cannot. A security intent that the target "
        "cannot express keeps the source unconverted with the dialect's error code (fail "
        "closed; `--allow-insecure-drop CODE` accepts the loss); any other becomes a warning. "
        "Every approximation gives a note (`gwshift explain CODE`). Policies attach as "
        "narrowly as the source scoped the control: to the route, to one rule "
        "(`sectionName` or an ExtensionRef filter on that rule), or to the Gateway listener."),
        "",
        "| target | title | API groups |",
        "|---|---|---|",
        *[f"| `{t.name}` | {t.title} | {', '.join(f'`{g}`' for g in t.api_groups) or '-'} |"
          for t in targets],
        "",
        "## Intents by target",
        "",
        ("converted: same behaviour; approximated: converted, a note says what differs; "
        "(some values kept): the target refuses some values (see below); kept: the target "
        "cannot express it (a security control keeps the source, anything else is a warning)."),
        "",
        "| intent | " + " | ".join(f"`{t.name}`" for t in targets) + " |",
        "|---|" + "---|" * len(targets),
    ]
    for intent in INTENT_TYPES:
        lines.append(f"| {intent.__name__} | " + " | ".join(cell(t, intent) for t in targets)
                     + " |")
    lines += ["", *_dialect_matrices(targets)]
    for t in targets:
        lines += ["", f"## `{t.name}`: {t.title}", ""]
        if not t.table:
            lines.append("Expresses no implementation policy: portable Gateway API only.")
        else:
            scopes = scopes_of(t)
            lines += ["| intent | level | attaches at | how |", "|---|---|---|---|"]
            lines += [f"| {i.__name__} | {c.level}"
                      + (" (some values kept)" if conditional(c) else "")
                      + f" | {', '.join(scopes.get(i, ALL_SCOPES))} | {_cell(c.how)} |"
                      for i, c in t.table.items()]
        gaps = gaps_of(t)
        if gaps:
            lines += ["", "Not expressible (kept, or a warning for non-security intents):", ""]
            lines += [f"- **{i.__name__}**: {why}" for i, why in gaps.items()]
    return "\n".join(lines) + "\n"


def _dialect_matrices(targets: list[Target]) -> list[str]:
    lines = ["## Annotations by target", ""]
    for name in DIALECTS:
        table: Mapping[str, Any] = load(name).table
        rows = [(key, h) for key, h in table.items() if disposition(h) == "intent"]
        lines += [f"### {name}", ""]
        share = []
        for t in targets:
            mains = [h for h in table.values()
                     if disposition(h) != "intent" or intent_of(h) is not None]
            ok = sum(1 for h in mains
                     if disposition(h) in ("converted", "approximated")
                     or (disposition(h) == "intent" and cell(t, intent_of(h)) != "kept"))
            share.append(f"`{t.name}` {ok}/{len(mains)}")
        lines += [("Annotations converted (fully or approximately) per target, parameters "
                   "not counted: ") + ", ".join(share) + ".", ""]
        if not rows:
            lines += [("No annotation of this dialect records an intent yet: its security "
                      "annotations fail closed on every target."), ""]
            continue
        lines += ["| annotation | intent | " + " | ".join(f"`{t.name}`" for t in targets)
                  + " |", "|---|---|" + "---|" * len(targets)]
        for key, h in rows:
            intent = intent_of(h)
            if intent is None:  # a parameter read into its main annotation's intent
                lines.append(f"| `{key}` | (parameter) | " + " | ".join("-" for _ in targets)
                             + " |")
                continue
            lines.append(f"| `{key}` | {intent.__name__} | "
                         + " | ".join(cell(t, intent) for t in targets) + " |")
        lines += ["", ("(parameter): read into the intent of its main annotation; the target's "
                  "notes say what it does not carry."), ""]
    return lines


def pages() -> dict[Path, str]:
    out = {DOCS / "annotations" / f"{name}.md": dialect_page(name) for name in DIALECTS}
    out[DOCS / "targets.md"] = targets_page()
    return out


def main(argv: list[str]) -> int:
    stale = []
    for path, text in pages().items():
        if "--check" in argv:
            if not path.exists() or path.read_text() != text:
                stale.append(str(path))
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    if stale:
        print(f"stale: {', '.join(stale)}; run scripts/gen_docs.py", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
