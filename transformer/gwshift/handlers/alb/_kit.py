"""Helpers shared by the annotation-table dialects of this area (ALB, GCE, F5 NGINX, HAProxy).

They mirror what ``handlers/nginx/_common.py`` does for ingress-nginx, keyed by the full
annotation key (these dialects own several prefixes). Candidates to move next to
``handlers/_table.py`` once a second owner needs them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from gwshift.context import Context
from gwshift.handlers._table import Apply, Disposition, Handler, Level
from gwshift.intents import Intent, Opaque, Provenance
from gwshift.model import Conversion, Route, Rule
from gwshift.notes import Note, error, info, warning

FAIL_CLOSED = "nothing: the Ingress is kept with an error (fail closed)"
# JSON annotation values: bounded before parsing (an annotation is at most 256 KiB in total;
# real action/condition values are well under 4 KiB).
MAX_JSON_BYTES = 32_768
MAX_JSON_DEPTH = 8


def afield(key: str) -> str:
    return f"metadata.annotations[{key}]"


def prov(key: str, code: str, why: str, security: bool = True, field: str | None = None) -> Provenance:
    return Provenance(key, field or afield(key), code, why, security)


def say(conv: Conversion, key: str, make: Callable[..., Note], code: str, message: str) -> None:
    conv.note(make(code, message, field=afield(key)))


def fail_closed(conv: Conversion, ctx: Context, key: str, code: str, why: str,
                field: str | None = None) -> None:
    """Keep the source unless the user knowingly allowed dropping ``code``."""
    where = field or afield(key)
    if code in ctx.settings.allow_insecure_drop:
        conv.note(warning(code, f"{key} knowingly dropped (--allow-insecure-drop {code}): {why}",
                          field=where))
    else:
        conv.block(error(code, f"{key} cannot be converted: {why}; the Ingress is kept (allow "
                               f"dropping it with --allow-insecure-drop {code})", field=where))


def block(conv: Conversion, key: str, code: str, message: str, field: str | None = None) -> None:
    """An input gwshift cannot convert faithfully (not a security control): keep the source."""
    conv.block(error(code, f"{message}; the Ingress is kept", field=field or afield(key)))


def route_intent(conv: Conversion, intent: Intent) -> None:
    for route in conv.routes:
        route.intents.append(intent)


def rule_intent(rule: Rule, intent: Intent) -> None:
    rule.intents.append(intent)


def gateway_intent(conv: Conversion, intent: Intent) -> None:
    conv.gateway_intents.append(intent)


def hosts_of(route: Route) -> list[str | None]:
    return list(route.hostnames) if route.hostnames else [None]


# --- handler factories --------------------------------------------------------------------


def reported(key: str, code: str, message: str, severity: str = "warning",
             skip: tuple[str, ...] = ()) -> Apply:
    make = info if severity == "info" else warning

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if value.strip() in skip:
            return
        say(conv, key, make, code, f"{key}={_short(value)!r} is not converted: {message}")

    return apply


def denied(key: str, code: str, why: str, off: tuple[str, ...] = ()) -> Apply:
    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        if value.strip() in off:
            return
        fail_closed(conv, ctx, key, code, why)

    return apply


def opaque(dialect: str, key: str, name: str, code: str, why: str, security: bool,
           scope: str = "gateway") -> Apply:
    """Record the value as an Opaque intent: only a target listing (dialect, name) expresses it."""

    def apply(value: str, conv: Conversion, ctx: Context) -> None:
        intent = Opaque(dialect, name, value.strip(), prov(key, code, why, security))
        if scope == "gateway":
            gateway_intent(conv, intent)
        else:
            route_intent(conv, intent)

    return apply


def noop(value: str, conv: Conversion, ctx: Context) -> None:
    """Read by another handler (e.g. a parameter of a main annotation)."""


def handler(level: Level, disposition: Disposition, apply: Apply, emits: str,
            codes: Iterable[str] = (), caveat: str = "", intent: type | None = None) -> Handler:
    return Handler(level, disposition, apply, emits, tuple(codes), caveat, intent)


def run_table(conv: Conversion, ctx: Context, table: Mapping[str, Handler],
              name_of: Callable[[str], str | None], unknown_code: str, owner: str) -> None:
    """Consume every key of the dialect; run the present ones in table order; report unknowns.

    ``name_of`` maps an annotation key to its table name (None: not this dialect's key).
    """
    order = {name: i for i, name in enumerate(table)}
    present: list[tuple[int, str, str]] = []
    for key, value in conv.source.annotations:
        name = name_of(key)
        if name is None:
            continue
        conv.consumed_annotations.add(key)
        if name not in order:
            say(conv, key, warning, unknown_code, f"{key} is not a known {owner} annotation; "
                "not converted")
            continue
        present.append((order[name], key, value))
    for _, key, value in sorted(present):
        table[name_of(key) or ""].apply(value, conv, ctx)


def _short(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[:limit] + "..."


# --- bounded JSON -----------------------------------------------------------------------------


class JSONProblem(ValueError):
    pass


def load_json(value: str) -> Any:
    """Parse an annotation's JSON value within size and nesting bounds (hostile input)."""
    if len(value) > MAX_JSON_BYTES:
        raise JSONProblem(f"is longer than {MAX_JSON_BYTES} characters")
    depth = 0
    deepest = 0
    in_str = False
    escaped = False
    for ch in value:  # nesting checked before the recursive parser runs
        if in_str:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    if deepest > MAX_JSON_DEPTH:
        raise JSONProblem(f"nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        return json.loads(value)
    except (ValueError, RecursionError) as exc:
        raise JSONProblem(f"is not valid JSON ({str(exc).split(':')[0]})") from None


def get_ci(obj: Any, name: str) -> Any:
    """Field ``name`` of a JSON object, matched case-insensitively (Go encoding/json does)."""
    if not isinstance(obj, dict):
        return None
    if name in obj:
        return obj[name]
    low = name.lower()
    for k, v in obj.items():
        if isinstance(k, str) and k.lower() == low:
            return v
    return None


def str_list(value: Any, what: str, limit: int = 64) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise JSONProblem(f"{what} must be a list of strings")
    if len(value) > limit:
        raise JSONProblem(f"{what} has more than {limit} values")
    return list(value)


def canonical(obj: Any) -> str:
    """A deterministic JSON text for Opaque intent values."""
    # YAML may hold dates and other non-JSON scalars: written as their text.
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


# --- HTTP -> HTTPS redirect routes ------------------------------------------------------------


def redirect_http(conv: Conversion, hosts: Callable[[str | None], bool], code: int,
                  source: str, port: int | None = None) -> None:
    """Move the HTTP listeners of the chosen hosts to an extra ``<route>-redirect`` route."""
    from gwshift.model import HTTP, HTTPS, ListenerKey, Match, Route, Rule

    extra = []
    for route in conv.routes:
        if route.kind not in ("HTTPRoute", "GRPCRoute") or route.suffix.endswith("redirect"):
            continue
        moved = [k for k in route.listeners if k.protocol == HTTP and hosts(k.hostname)
                 and ListenerKey(k.hostname, HTTPS) in route.listeners]
        if not moved:
            continue
        route.listeners = [k for k in route.listeners if k not in moved]
        if route.kind == "GRPCRoute":
            continue  # plaintext gRPC calls got a redirect they cannot follow: HTTPS only
        redirect: dict[str, Any] = {"scheme": "https", "statusCode": code}
        if port is not None and port != 443:
            redirect["port"] = port
        rule = Rule([Match("PathPrefix", "/")], [], source,
                    filters=[{"type": "RequestRedirect", "requestRedirect": redirect}])
        suffix = f"{route.suffix}-redirect" if route.suffix else "redirect"
        names = [k.hostname for k in moved if k.hostname is not None]
        extra.append(Route("HTTPRoute", suffix, names, [rule], moved, source=route.source))
    conv.routes = [r for r in conv.routes if r.listeners] + extra


def has_tls(conv: Conversion, ctx: Context, host: str | None) -> bool:
    if host is None:
        return any(not t.hosts for t in conv.tls)
    return ctx.host_has_tls(conv, host)


def parse_headers(value: str, sep: str = ",") -> list[tuple[str, str | None]] | None:
    """``Name: value`` pairs (None: no value); None when a name is not a header name."""
    import re

    out: list[tuple[str, str | None]] = []
    for item in value.split(sep):
        item = item.strip()
        if not item:
            continue
        name, _, val = item.partition(":")
        name = name.strip()
        if not re.fullmatch(r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,256}", name):
            return None
        out.append((name, val.strip() if _ else None))
    return out
