"""Paths, use-regex, rewrite-target, x-forwarded-prefix.

ingress-nginx turns every location of a *server* (host) into ``location ~* "^<path>"`` as
soon as one Ingress of that host sets ``use-regex: "true"`` or a ``rewrite-target``
(``enforceRegexModifier``): case-insensitive, start-anchored, not end-anchored PCRE, first
match in descending path length. Gateway API RegularExpression is implementation-specific
(RE2 full match for Envoy-based implementations), so paths are written ``(?i)^<path>.*``,
which a full-match and a search engine both read as nginx does.
"""

from __future__ import annotations

import copy
import re

from gwshift.context import Context
from gwshift.convert import path_problem
from gwshift.handlers._values import parse_bool
from gwshift.handlers.nginx._common import (
    ann,
    backend_rules,
    field,
    key,
    merge_filter,
    rules,
    say,
    set_header,
)
from gwshift.model import Conversion, IngressPath, Route, Rule
from gwshift.notes import error, info, warning

NEUTRAL_IMPL_SPECIFIC = "ingress/path-type-implementation-specific"
PCRE_ONLY = re.compile(r"\(\?<?[=!]|\(\?>|\(\?\(|\(\?R\)|\(\?[0-9]|\\[1-9]|\\[gkK]|[*+?}][+]")
_REGEX_META = set("\\\\.^$|?*+()[]{}")
# nginx capture references are ASCII digits; \d would also match "٨" and int() it to 8.
_CAPTURE_REF = re.compile(r"\$([0-9]|\{[0-9]{1,3}\})")
_LITERAL = r"(?:[^()|$^*+?\[\]{}\\]|\\\.)*"
_IDIOM = re.compile(rf"(?P<p>/{_LITERAL}?)\(/\|\$\)\(\.\*\)")
_SLASH_IDIOM = re.compile(rf"(?P<p>/{_LITERAL}?)/\(\.\*\)")


def is_canary(conv: Conversion, ctx: Context) -> bool:
    return parse_bool(ann(conv, ctx, "canary")) is True


def hosts_of(route: Route) -> list[str | None]:
    return list(route.hostnames) or [None]


def source_paths(conv: Conversion) -> dict[str, IngressPath]:
    return {p.field: p for r in conv.ingress.rules for p in r.paths}


def original_path(conv: Conversion, rule: Rule) -> IngressPath | None:
    return source_paths(conv).get(rule.source)


# --- ImplementationSpecific on non-regex hosts -----------------------------------------


def refine_implementation_specific(conv: Conversion) -> None:
    """nginx: non-regex ImplementationSpecific ``/p`` is ``location /p``, a string prefix."""
    paths = source_paths(conv)
    for rule in rules(conv):
        _literal_regex(conv, rule)
        p = paths.get(rule.source)
        if p is not None and p.path_type == "Prefix":
            _prefix_trailing_slash(conv, rule, p)
        if p is None or p.path_type not in (None, "ImplementationSpecific"):
            continue
        for m in rule.matches:
            if m.path_type != "PathPrefix" or m.path is None:
                continue
            _drop_neutral(conv, p.field)
            if m.path == "/":
                continue
            if m.path.endswith("/"):
                conv.note(info("nginx/implementation-specific-trailing-slash",
                               f"ImplementationSpecific path {m.path!r} is PathPrefix; nginx "
                               f"answered {m.path.rstrip('/')!r} itself with a 301 to "
                               f"{m.path!r}, the Gateway forwards it", field=f"{p.field}.path"))
            else:
                conv.note(warning("nginx/implementation-specific-string-prefix",
                                  f"ImplementationSpecific path {m.path!r} was a plain string "
                                  f"prefix in nginx (it also matched {m.path + 'x'!r}); "
                                  f"PathPrefix matches {m.path!r} and {m.path + '/…'!r} only",
                                  field=f"{p.field}.path"))


def _prefix_trailing_slash(conv: Conversion, rule: Rule, p: IngressPath) -> None:
    """nginx ``location /x/`` answers ``/x`` itself with a 301 to ``/x/`` (a proxy_pass
    location ending in a slash); PathPrefix ``/x/`` ignores the trailing slash and forwards
    ``/x`` to the backend (Gateway API HTTPPathMatch)."""
    for m in rule.matches:
        if m.path_type == "PathPrefix" and m.path and m.path != "/" and m.path.endswith("/"):
            conv.note(info("nginx/prefix-trailing-slash",
                           f"Prefix path {m.path!r}: nginx answered {m.path.rstrip('/')!r} with "
                           f"a 301 to {m.path!r}; the Gateway forwards {m.path.rstrip('/')!r} to "
                           "the backend", field=f"{p.field}.path"))


def _literal_regex(conv: Conversion, rule: Rule) -> None:
    """A path no Exact/PathPrefix value can hold, on a non-regex host: nginx compared it as a
    literal (case-sensitive) string, so it becomes an escaped, anchored RegularExpression."""
    for m in rule.matches:
        if m.path_type not in ("Exact", "PathPrefix") or m.path is None:
            continue
        if path_problem(m.path) is None:
            continue
        body = _escape(m.path)
        exact = m.path_type == "Exact"
        m.path_type, m.path = "RegularExpression", f"^{body}$" if exact else f"^{body}.*"
        _drop_neutral(conv, rule.source)
        conv.note(warning("nginx/path-literal-regex",
                          f"path is no valid {'Exact' if exact else 'PathPrefix'} value; written "
                          f"as the literal RegularExpression {m.path!r} (dialect "
                          "implementation-specific)", field=f"{rule.source}.path"))


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _REGEX_META else c for c in text)


def _drop_neutral(conv: Conversion, path_field: str) -> None:
    conv.notes[:] = [n for n in conv.notes
                     if not (n.code == NEUTRAL_IMPL_SPECIFIC and n.field.startswith(path_field))]


# --- use-regex and rewrite-target make whole hosts regex --------------------------------


def regex_triggers(convs: list[Conversion], ctx: Context) -> dict[tuple[str | None, str | None], str]:
    """(ingress class, host) -> the Ingress/annotation that makes that host regex."""
    found: dict[tuple[str | None, str | None], str] = {}
    for conv in convs:
        if is_canary(conv, ctx):
            continue
        if parse_bool(ann(conv, ctx, "use-regex")) is True:
            why = f"{conv.source.ref} sets {key(ctx, 'use-regex')}"
        elif ann(conv, ctx, "rewrite-target"):
            why = f"{conv.source.ref} sets {key(ctx, 'rewrite-target')}"
        else:
            continue
        for route in conv.routes:
            for h in hosts_of(route):
                found.setdefault((conv.ingress_class, h), why)
    return found


def apply_regex_hosts(convs: list[Conversion], ctx: Context) -> None:
    triggers = regex_triggers(convs, ctx)
    for conv in convs:
        if is_canary(conv, ctx):
            continue
        split: list[Route] = []
        for route in conv.routes:
            regex = [h for h in hosts_of(route) if (conv.ingress_class, h) in triggers]
            if not regex:
                continue
            if len(regex) < len(hosts_of(route)):
                route = _split_route(conv, route, regex)
                split.append(route)
            for h in regex:
                conv.note(info("nginx/regex-host",
                               f"host {h or '(any)'}: every path is a case-insensitive, "
                               f"start-anchored regular expression because {triggers[(conv.ingress_class, h)]}; "
                               "RegularExpression precedence is implementation-specific "
                               "(nginx: first match in descending path length)"))
            for rule in route.rules:
                _regex_rule(conv, rule)
        conv.routes.extend(split)


def _split_route(conv: Conversion, route: Route, hosts: list[str | None]) -> Route:
    new = copy.deepcopy(route)
    new.suffix = f"{route.suffix}-regex" if route.suffix else "regex"
    new.hostnames = [h for h in hosts if h is not None]
    new.listeners = [lk for lk in route.listeners if lk.hostname in hosts]
    route.hostnames = [h for h in route.hostnames if h not in hosts]
    route.listeners = [lk for lk in route.listeners if lk.hostname not in hosts]
    return new


def _regex_rule(conv: Conversion, rule: Rule) -> None:
    for m in rule.matches:
        if m.path_type not in ("Exact", "PathPrefix") or m.path is None or m.path == "/":
            continue
        bad = PCRE_ONLY.search(m.path)
        if bad:
            conv.block(error("nginx/regex-pcre-only",
                             f"path {m.path!r} uses {bad.group(0)!r}, a PCRE construct that "
                             "RE2-based Gateway implementations reject", field=f"{rule.source}.path"))
        m.path_type, m.path = "RegularExpression", to_re2(m.path)
        _drop_neutral(conv, rule.source)


def to_re2(path: str) -> str:
    """nginx ``~* "^<path>"`` (search) as a pattern that full-match engines read the same."""
    if _top_level_alternation(path):
        return f"(?i).*(?:^{path}).*"
    tail = "" if path.endswith(".*") and not path.endswith("\\.*") else ".*"
    return f"(?i)^{path}{tail}"


def _top_level_alternation(p: str) -> bool:
    depth, i, in_class = 0, 0, False
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


# --- handlers ---------------------------------------------------------------------------


def use_regex(value: str, conv: Conversion, ctx: Context) -> None:
    """Applied host-wide by ``apply_regex_hosts``; only invalid values are reported here."""
    if parse_bool(value) is None:
        say(conv, ctx, "use-regex", warning, "nginx/invalid-value",
            f"{value!r} is not a boolean; nginx treats it as false")


def rewrite_target(value: str, conv: Conversion, ctx: Context) -> None:
    """nginx ``rewrite "(?i)<path>" <target> break;`` replaces the whole URI, keeps the query.

    Except where the target equals the path: ``buildProxyPass`` (ingress-nginx
    internal/ingress/controller/template/template.go) then writes a plain ``proxy_pass``,
    without rewrite and without X-Forwarded-Prefix.
    """
    if not value:
        return
    for rule in list(backend_rules(conv)):
        p = original_path(conv, rule)
        path = p.path if p is not None and p.path else "/"
        if path == value:
            say(conv, ctx, "rewrite-target", info, "nginx/rewrite-target-equals-path",
                f"target equals the path {path!r}: nginx does not rewrite it (plain "
                "proxy_pass, no X-Forwarded-Prefix), nor does the route")
            continue
        if "?" in value and "$" not in value:
            _query_target(conv, ctx, rule, value)
            continue
        if not _CAPTURE_REF.search(value) and "$" not in value:
            merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                       "replaceFullPath": value}})
        elif not _prefix_idiom(conv, ctx, rule, path, value):
            fail_closed_rewrite(conv, ctx, path, value)


def _query_target(conv: Conversion, ctx: Context, rule: Rule, target: str) -> None:
    """nginx ``rewrite ... /p?a=b break`` sends ``a=b`` followed by the request's own query
    (or only ``a=b`` when the target ends in ``?``); URLRewrite cannot touch the query, so
    the Ingress is kept."""
    conv.block(error("nginx/rewrite-target-query",
                     f"rewrite target {target!r} carries query arguments, which nginx puts "
                     "before the request's own; Gateway API URLRewrite cannot change the "
                     "query; the Ingress is kept", field=field(ctx, "rewrite-target")))


def _prefix_idiom(conv: Conversion, ctx: Context, rule: Rule, path: str, target: str) -> bool:
    """``<p>(/|$)(.*)`` + ``/$2`` (or ``<p>/(.*)`` + ``/$1``) -> PathPrefix + ReplacePrefixMatch."""
    m, ref = _IDIOM.fullmatch(path), "$2"
    if m is None:
        m, ref = _SLASH_IDIOM.fullmatch(path), "$1"
    if m is None or len(rule.matches) != 1 or not target.endswith(ref):
        return False
    head = target[: -len(ref)]
    if not head.startswith("/") or "$" in head:
        return False
    prefix = m.group("p").replace("\\.", ".") or "/"
    match = rule.matches[0]
    match.path_type, match.path = "PathPrefix", prefix
    merge_filter(rule, "URLRewrite", {"path": {"type": "ReplacePrefixMatch",
                                               "replacePrefixMatch": head.rstrip("/") or "/"}})
    dots = "." in m.group("p").replace("\\.", "")
    say(conv, ctx, "rewrite-target", info, "nginx/rewrite-target-prefix-idiom",
        f"path {path!r} with target {target!r} became PathPrefix {prefix!r} + "
        f"ReplacePrefixMatch; matching is now case-sensitive"
        + (" and '.' matches only a dot" if dots else "")
        + (f" and also matches {prefix!r} itself" if ref == "$1" else ""))
    return True


def fail_closed_rewrite(conv: Conversion, ctx: Context, path: str, target: str) -> None:
    groups = len(re.findall(r"(?<!\\)\((?!\?)", path))
    refs = [int(r.strip("{}")) for r in _CAPTURE_REF.findall(target)]
    if refs and max(refs) > groups:
        conv.block(error("nginx/rewrite-target-capture-groups",
                         f"rewrite of {path!r} to {target!r} refers to capture group "
                         f"${max(refs)} but the path has {groups} group(s); this cannot be "
                         "converted faithfully; the Ingress is kept", field=field(ctx, "rewrite-target")))
        return
    conv.block(error("nginx/rewrite-target-capture-groups",
                     f"rewrite of {path!r} to {target!r} uses capture groups or nginx variables "
                     "that Gateway API URLRewrite cannot express (only literal targets and the "
                     "`<prefix>(/|$)(.*)` + `/$2` idiom convert); the Ingress is kept",
                     field=field(ctx, "rewrite-target")))


def x_forwarded_prefix(value: str, conv: Conversion, ctx: Context) -> None:
    """nginx sets X-Forwarded-Prefix only in its rewrite branch."""
    target = ann(conv, ctx, "rewrite-target")
    if not target:
        say(conv, ctx, "x-forwarded-prefix", info, "nginx/x-forwarded-prefix-without-rewrite",
            "ignored, as by nginx: the header is only sent when rewrite-target is set")
        return
    for rule in backend_rules(conv):
        p = original_path(conv, rule)
        if (p.path if p is not None and p.path else "/") == target:
            continue  # no rewrite branch in nginx for this location (see rewrite_target)
        set_header(rule, "RequestHeaderModifier", "X-Forwarded-Prefix", value)

