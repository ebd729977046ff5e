"""Canary Ingresses merge into the primary rule of the same host + path (+ pathType).

Precedence in nginx: header, then cookie, then weight. Gateway API: more header matches
win, then rule order, so header rules go first, cookie rules next, the weighted rule last.
A canary Ingress itself gets no routes of its own; its other annotations are ignored
(nginx inherits them from the primary), except affinity/load-balance/upstream-hash-by.
"""

from __future__ import annotations

import copy
import re

from gwshift.context import Context
from gwshift.handlers._values import parse_int
from gwshift.handlers.nginx._common import Apply, ann, field, has_filter, prefix, say
from gwshift.handlers.nginx.rewrite import PCRE_ONLY, hosts_of, is_canary, source_paths
from gwshift.model import BackendRef, Conversion, Route, Rule
from gwshift.names import fit
from gwshift.notes import error, info, warning

CANARY_KEYS = ("canary", "canary-weight", "canary-weight-total", "canary-by-header",
               "canary-by-header-value", "canary-by-header-pattern", "canary-by-cookie")
KEPT_ON_CANARY = ("affinity", "affinity-mode", "affinity-canary-behavior", "load-balance",
                  "upstream-hash-by", "session-cookie-name", "session-cookie-path",
                  "session-cookie-expires", "session-cookie-max-age")


def canary(value: str, conv: Conversion, ctx: Context) -> None:
    """Applied by ``merge_canaries``."""


def merge_canaries(convs: list[Conversion], ctx: Context) -> dict[int, list[Conversion]]:
    """Returns, per canary (by id), the primaries it was merged into."""
    merged: dict[int, int] = {}  # primary rule -> the canary merged into it
    into: dict[int, list[Conversion]] = {}
    for conv in convs:
        if not is_canary(conv, ctx):
            continue
        _ignore_other_annotations(conv, ctx)
        paths = source_paths(conv)
        for route in conv.routes:
            for rule in route.rules:
                p = paths.get(rule.source)
                sig = (p.path or "/", p.path_type or "ImplementationSpecific") if p else ("/", "Prefix")
                for host in hosts_of(route):
                    primary = _merge_one(conv, ctx, (host, hosts_of(route)), sig, rule.backends,
                                         convs, merged)
                    if primary is not None and primary not in into.setdefault(id(conv), []):
                        into[id(conv)].append(primary)
        if not into.get(id(conv)) and conv.routes:
            # Nothing to merge into: deleting it would lose the object, converting it would
            # send all traffic to the canary backends. ingress-nginx ignores it as well.
            # One note says so (not also one per host and path).
            conv.notes[:] = [n for n in conv.notes if n.code != "nginx/canary-without-primary"]
            conv.block(warning("nginx/canary-without-primary",
                               "no Ingress in the input serves this canary's hosts and paths "
                               "(ingress-nginx needs one); it is kept as it is",
                               field=field(ctx, "canary")))
            continue
        conv.depends_on = list(into.get(id(conv), []))  # kept together (core re-plans)
        conv.routes = []
    return into


def keep_with_primaries(convs: list[Conversion], into: dict[int, list[Conversion]]) -> None:
    """A canary whose primary stays an Ingress must stay an Ingress too."""
    for conv in convs:
        kept = [p for p in into.get(id(conv), []) if p.blocked]
        if kept and not conv.blocked:
            conv.block(error("nginx/canary-primary-kept",
                             f"its primary {kept[0].source.ref} is kept unconverted, so this "
                             "canary Ingress is kept too"))


def _ignore_other_annotations(conv: Conversion, ctx: Context) -> None:
    own = prefix(ctx) + "/"
    for k, _ in conv.source.annotations:
        name = k[len(own):] if k.startswith(own) else None
        if name is None or name in CANARY_KEYS:
            continue
        conv.consumed_annotations.add(k)
        why = ("applies to the canary upstream in nginx; not converted" if name in KEPT_ON_CANARY
               else "is ignored on a canary Ingress (nginx uses the primary's)")
        conv.note(info("nginx/canary-annotation-ignored", f"{k} {why}",
                       field=f"metadata.annotations[{k}]"))


def _merge_one(conv: Conversion, ctx: Context, hosts: tuple[str | None, list[str | None]],
               sig: tuple[str, str], backends: list[BackendRef], convs: list[Conversion],
               merged: dict[int, int]) -> Conversion | None:
    host, own_hosts = hosts
    found = _find_primary(conv, ctx, host, sig, convs)
    where = f"host {host or '(any)'} path {sig[0]!r} ({sig[1]})"
    if found is None:
        conv.note(warning("nginx/canary-without-primary",
                          f"no primary Ingress serves {where}; nginx ignores this canary"))
        return None
    primary, route, rule = found
    p_ns = ctx.namespace_of(primary.source.namespace)
    c_ns = ctx.namespace_of(conv.source.namespace)
    if p_ns != c_ns and (p_ns is None or c_ns is None):
        conv.block(error("nginx/canary-cross-namespace",
                         f"the primary {primary.source.ref} of {where} is in another namespace "
                         "and one of the two has none (give --namespace): nginx merges them, a "
                         "cross-namespace backendRef needs both namespaces; the canary is kept"))
        return None
    if id(rule) in merged:
        if merged[id(rule)] != id(conv):
            conv.note(warning("nginx/canary-duplicate",
                              f"{where} already has a canary; nginx uses only one"))
        return primary
    if not rule.backends or has_filter(rule, "RequestRedirect"):
        conv.note(info("nginx/canary-on-redirect",
                       f"the primary rule for {where} redirects; the canary gets no traffic"))
        return primary
    merged[id(rule)] = id(conv)
    if p_ns != c_ns:
        backends = _cross_namespace(conv, primary, backends, (p_ns, c_ns), route.kind)
    _apply(conv, ctx, route, rule, backends)
    conv.note(info("nginx/canary-merged", f"merged into {primary.source.ref} for {where}"))
    others = [h for h in route.hostnames if h not in own_hosts]
    if others:
        conv.note(warning("nginx/canary-shared-rule",
                          f"the primary rule also serves {', '.join(others)}, which now get the "
                          "canary too (nginx: only the canary's own hosts)"))
    return primary


def _cross_namespace(conv: Conversion, primary: Conversion, backends: list[BackendRef],
                     namespaces: tuple[str | None, str | None], route_kind: str) -> list[BackendRef]:
    """The canary's Services stay in its namespace: backendRefs name it, and a ReferenceGrant
    there lets exactly the primary's route kind from the primary's namespace use exactly
    those Services (nginx merged canaries by host and path whatever the namespaces).

    The grant is written with the primary's objects: it exists exactly when the route that
    needs it does (and a re-run that finds the route finds the grant too)."""
    p_ns, c_ns = namespaces
    out = []
    names: list[str] = []
    for b in backends:
        c = copy.deepcopy(b)
        if c.kind == "Service" and not c.group:
            c.namespace = c_ns
            names.append(c.name)
        out.append(c)
    if names:
        grant_name = fit(f"{conv.source.name}-from-{p_ns}")
        grant = {
            "apiVersion": "gateway.networking.k8s.io/v1beta1",
            "kind": "ReferenceGrant",
            "metadata": {"name": grant_name, "namespace": c_ns,
                         "annotations": {"gwshift.dev/source": f"{conv.source.kind}/{conv.source.name}"}},
            "spec": {"from": [{"group": "gateway.networking.k8s.io", "kind": route_kind,
                               "namespace": p_ns}],
                     "to": [{"group": "", "kind": "Service", "name": n}
                            for n in sorted(set(names))]},
        }
        if grant not in primary.extra_objects:
            primary.extra_objects.append(grant)
        conv.note(info("nginx/canary-cross-namespace",
                       f"the primary is in namespace {p_ns}: the canary's Services are referenced "
                       f"across namespaces, allowed by ReferenceGrant {grant_name} "
                       f"in {c_ns}"))
    return out


def _find_primary(conv: Conversion, ctx: Context, host: str | None, sig: tuple[str, str],
                  convs: list[Conversion]) -> tuple[Conversion, Route, Rule] | None:
    """The primary rule of the same class, host, path and pathType. nginx merges canaries
    across namespaces too; a primary in the canary's own namespace is preferred."""
    same = ctx.namespace_of(conv.source.namespace)
    ordered = sorted(convs, key=lambda c: ctx.namespace_of(c.source.namespace) != same)
    for other in ordered:
        if other is conv or is_canary(other, ctx) or other.ingress_class != conv.ingress_class:
            continue
        paths = source_paths(other)
        for route in other.routes:
            if route.suffix.endswith("redirect") or host not in hosts_of(route):
                continue
            for rule in route.rules:
                p = paths.get(rule.source)
                if p is not None and (p.path or "/", p.path_type or "ImplementationSpecific") == sig:
                    return other, route, rule
    return None


def _apply(conv: Conversion, ctx: Context, route: Route, rule: Rule,
           canary: list[BackendRef]) -> None:
    at = route.rules.index(rule)
    extra = _header_rules(conv, ctx, rule, canary) + _cookie_rules(conv, ctx, rule, canary)
    route.rules[at:at] = extra
    weight = _weight(conv, ctx)
    if weight is None:
        if not extra:
            conv.note(info("nginx/canary-no-traffic",
                           "no canary-weight, -by-header or -by-cookie: nginx sends it no traffic"))
        return
    w, total = weight
    for b in rule.backends:
        b.weight = max(total - w, 0)
    for b in canary:
        c = copy.deepcopy(b)
        c.weight = min(w, total)
        rule.backends.append(c)


def _weight(conv: Conversion, ctx: Context) -> tuple[int, int] | None:
    raw = ann(conv, ctx, "canary-weight")
    if raw is None:
        return None
    w = parse_int(raw)
    total = parse_int(ann(conv, ctx, "canary-weight-total") or "100")
    if w is None or w < 0 or total is None or total <= 0:
        say(conv, ctx, "canary-weight", warning, "nginx/invalid-value",
            f"canary weight {raw!r} / total invalid; nginx sends the canary no weighted traffic")
        return None
    return w, total


def _variant(rule: Rule, backends: list[BackendRef], header: dict[str, str]) -> Rule:
    new = copy.deepcopy(rule)
    new.backends = [copy.deepcopy(b) for b in backends]
    for b in new.backends:
        b.weight = None
    new.name = None
    for m in new.matches:
        m.headers = [h for h in m.headers if h["name"].lower() != header["name"].lower()]
        m.headers.append(dict(header))
    return new


def _header_rules(conv: Conversion, ctx: Context, rule: Rule,
                  canary: list[BackendRef]) -> list[Rule]:
    name = ann(conv, ctx, "canary-by-header")
    if not name:
        return []
    value = ann(conv, ctx, "canary-by-header-value")
    pattern = ann(conv, ctx, "canary-by-header-pattern")
    if value:
        return [_variant(rule, canary, {"type": "Exact", "name": name, "value": value})]
    if pattern:
        bad = PCRE_ONLY.search(pattern)
        if bad:
            conv.block(error("nginx/canary-header-pattern-pcre",
                             f"canary-by-header-pattern uses {bad.group(0)!r}, a PCRE construct "
                             "that RE2-based Gateway implementations reject; the canary is kept",
                             field=field(ctx, "canary-by-header-pattern")))
            return []
        # nginx (lua) searches the header value unanchored: as for paths, wrap the pattern
        # so that full-match engines (Envoy RE2) read it the same way.
        say(conv, ctx, "canary-by-header-pattern", warning, "nginx/canary-header-pattern",
            "header RegularExpression match written as an unanchored search '.*(?:…).*'; the "
            "regex dialect is implementation-specific (nginx: PCRE search)")
        return [_variant(rule, canary, {"type": "RegularExpression", "name": name,
                                        "value": f".*(?:{pattern}).*"})]
    return [_variant(rule, canary, {"type": "Exact", "name": name, "value": "always"}),
            _variant(rule, rule.backends, {"type": "Exact", "name": name, "value": "never"})]


def _cookie_rules(conv: Conversion, ctx: Context, rule: Rule,
                  canary: list[BackendRef]) -> list[Rule]:
    cookie = ann(conv, ctx, "canary-by-cookie")
    if not cookie:
        return []
    say(conv, ctx, "canary-by-cookie", warning, "nginx/canary-by-cookie-approximate",
        "Gateway API cannot match cookies; approximated by a RegularExpression match on the "
        "Cookie header (implementation-specific)")
    c = re.escape(cookie)
    return [_variant(rule, canary, {"type": "RegularExpression", "name": "Cookie",
                                    "value": f"^(.*;\\s*)?{c}=always(\\s*;.*)?$"}),
            _variant(rule, rule.backends, {"type": "RegularExpression", "name": "Cookie",
                                           "value": f"^(.*;\\s*)?{c}=never(\\s*;.*)?$"})]


def reads_canary(name: str) -> Apply:
    """canary-* parameters: read by ``merge_canaries``; without canary: "true" nginx ignores them."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if not is_canary(conv, ctx):
            say(conv, ctx, name, info, "nginx/canary-parameter-without-canary",
                'ignored: the Ingress is not a canary (canary: "true" is missing)')

    return apply
