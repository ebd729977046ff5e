"""Service annotations (``traefik.ingress.kubernetes.io/service.*`` on the backend Service).

Traefik reads them from the Service, not the Ingress; the Service itself passes through
untouched, so what they ask for lands on the rules that route to it. On the Ingress they
have no effect in Traefik either (reported as such).
"""

from __future__ import annotations

from typing import Any

from gwshift.context import Context
from gwshift.handlers._ir import backend_rules, merge_filter
from gwshift.handlers._values import MAX_SECONDS, duration, parse_bool, parse_int
from gwshift.handlers.traefik._common import PREFIX, say, seq, show
from gwshift.intents import BackendTLS, Provenance
from gwshift.model import Conversion, Route, Rule, mapping
from gwshift.notes import info, warning

SERVICE_KEYS = (
    "service.serversscheme", "service.serverstransport", "service.passhostheader",
    "service.nativelb", "service.nodeportlb", "service.sticky.cookie",
    "service.sticky.cookie.name", "service.sticky.cookie.secure",
    "service.sticky.cookie.httponly", "service.sticky.cookie.samesite",
    "service.sticky.cookie.maxage", "service.sticky.cookie.domain",
    "service.sticky.cookie.path",
)
COOKIE_ATTRIBUTES = ("secure", "httponly", "samesite", "domain", "path")


def on_ingress(value: str, conv: Conversion, ctx: Context) -> None:
    """Handler of every service.* key found on the Ingress itself."""


def ingress_note(conv: Conversion, name: str) -> None:
    say(conv, name, info, "traefik/service-annotation-on-ingress",
        "Traefik reads this annotation from the backend Service, not the Ingress; it had no "
        "effect here and is not converted")


def _annotations(svc: dict[str, Any]) -> dict[str, str]:
    ann = mapping(mapping(svc.get("metadata")).get("annotations"))
    return {k[len(PREFIX):]: str(v) for k, v in ann.items()
            if isinstance(k, str) and k.startswith(PREFIX + "service.")}


def apply_services(conv: Conversion, ctx: Context) -> None:
    """Per backend Service: its annotations applied to the rules that route only to it."""
    users: dict[str, list[tuple[Route, Rule]]] = {}
    proxying = {id(r) for r in backend_rules(conv)}
    for route in conv.routes:
        for rule in route.rules:
            if id(rule) not in proxying:
                continue
            for b in rule.backends:
                if b.kind == "Service" and not b.group:
                    users.setdefault(b.name, []).append((route, rule))
    for name in sorted(users):
        svc = ctx.find("Service", conv.source.namespace, name)
        anns = _annotations(svc) if svc is not None else {}
        if anns:
            _apply(conv, ctx, name, anns, users[name])
        if "service.serversscheme" not in anns:
            _implicit_https(conv, ctx, name, svc, users[name])


def https_port(svc: dict[str, Any] | None, port: int | None) -> bool:
    """Traefik talks HTTPS to a Service port 443 or a port named ``https*`` by itself."""
    if port == 443:
        return True
    for p in seq(mapping(mapping(svc).get("spec")).get("ports")):
        if isinstance(p, dict) and p.get("port") == port:
            return str(p.get("name") or "").startswith("https")
    return False


def backend_tls(conv: Conversion, ctx: Context, svc: str, key: str, where: str, reason: str,
                sections: tuple[str, ...] = ()) -> BackendTLS:
    """Traefik verifies upstream certificates by default (no serverName: the address it
    dials); BackendTLSPolicy needs a name, so the Service's cluster DNS name is verified."""
    ns = ctx.namespace_of(conv.source.namespace) or "default"
    host = f"{svc}.{ns}.svc"
    conv.note(warning("traefik/backend-tls-hostname", f"Service {svc} is reached over HTTPS "
                      f"({reason}): BackendTLSPolicy verifies its certificate as {host!r} with "
                      "the system CAs; set the CA and name the certificate really has",
                      field=where))
    return BackendTLS(svc, None, host, None, True, None, Provenance(
        key, where, "traefik/backend-tls",
        f"Service {svc} is served over HTTPS ({reason}) and the target cannot express backend "
        "TLS; the routes would send plain HTTP to it", security=False), sections)


def _port_name(svc: dict[str, Any] | None, port: int | None) -> str | None:
    for p in seq(mapping(mapping(svc).get("spec")).get("ports")):
        if isinstance(p, dict) and p.get("port") == port and isinstance(p.get("name"), str):
            return str(p["name"])
    return None


def _implicit_https(conv: Conversion, ctx: Context, svc_name: str, svc: dict[str, Any] | None,
                    users: list[tuple[Route, Rule]]) -> None:
    tls_ports = sorted({b.port for _, rule in users for b in rule.backends
                        if b.name == svc_name and b.port and https_port(svc, b.port)})
    if not tls_ports:
        return
    names = [_port_name(svc, p) for p in tls_ports]
    sections = tuple(n for n in names if n) if all(names) else ()
    where = f"{users[0][1].source}.backend"
    intent = backend_tls(conv, ctx, svc_name, where, where,
                         "Traefik uses HTTPS for Service port 443 or a port named https*",
                         sections)
    for route in {id(r): r for r, rule in users
                  if any(b.name == svc_name and b.port in tls_ports for b in rule.backends)
                  }.values():
        if intent not in route.intents:
            route.intents.append(intent)


def _where(rule: Rule) -> str:
    return f"{rule.source}.backend"


def _apply(conv: Conversion, ctx: Context, svc: str, anns: dict[str, str],
           users: list[tuple[Route, Rule]]) -> None:
    first = users[0][1]
    where = _where(first)

    def note(make: Any, code: str, key: str, message: str) -> None:
        conv.note(make(code, f"Service {svc} {PREFIX}{key}: {message}", field=where))

    for key in sorted(anns):
        if key not in SERVICE_KEYS:
            note(warning, "traefik/unknown-annotation", key,
                 "not a Traefik Service annotation (v3.7); not converted")
    scheme = anns.get("service.serversscheme", "").strip().lower()
    if scheme == "https":
        intent = backend_tls(conv, ctx, svc, PREFIX + "service.serversscheme", where,
                             "serversscheme https")
        for route in {id(r): r for r, _ in users}.values():
            if intent not in route.intents:
                route.intents.append(intent)
    elif scheme == "h2c":
        note(warning, "traefik/backend-h2c", "service.serversscheme",
             "h2c (HTTP/2 without TLS) upstreams are selected by the Service port's appProtocol "
             "in Gateway API: set appProtocol: kubernetes.io/h2c on the Service port")
    elif scheme not in ("", "http"):
        note(warning, "traefik/invalid-value", "service.serversscheme",
             f"{scheme!r} is not http, https or h2c; not converted")
    if "service.serverstransport" in anns:
        note(warning, "traefik/serverstransport-not-converted", "service.serverstransport",
             "ServersTransport settings (CA, client certificate, insecureSkipVerify, timeouts) "
             "have no Gateway API form here; configure backend TLS/timeouts on the target")
    for lb in ("service.nativelb", "service.nodeportlb"):
        if lb in anns:
            note(info, "traefik/load-balancing-not-converted", lb,
                 "how the implementation reaches the Service (ClusterIP vs endpoints) is its own "
                 "choice; not converted")
    if parse_bool(anns.get("service.passhostheader")) is False:
        _pass_host(conv, svc, users, note)
    if parse_bool(anns.get("service.sticky.cookie")) is True:
        _sticky(conv, ctx, svc, anns, users, note)


def _pass_host(conv: Conversion, svc: str, users: list[tuple[Route, Rule]], note: Any) -> None:
    ns = conv.source.namespace
    host = f"{svc}.{ns}.svc" if ns else svc
    for _, rule in users:
        if all(b.name == svc for b in rule.backends):
            merge_filter(rule, "URLRewrite", {"hostname": host})
    note(warning, "traefik/passhostheader-approximated", "service.passhostheader",
         f"Traefik sent the backend server's address as Host; the routes rewrite Host to {host} "
         "instead (rules that also route to other Services keep the client's Host)")


def _sticky(conv: Conversion, ctx: Context, svc: str, anns: dict[str, str],
            users: list[tuple[Route, Rule]], note: Any) -> None:
    if ctx.settings.channel != "experimental":
        note(warning, "traefik/sticky-experimental", "service.sticky.cookie",
             "sticky sessions need sessionPersistence (experimental channel); not emitted, "
             "requests are no longer sticky")
        return
    sp: dict[str, Any] = {"type": "Cookie"}
    name = anns.get("service.sticky.cookie.name", "").strip()
    if name:
        sp["sessionName"] = name
    raw_age = anns.get("service.sticky.cookie.maxage")
    age = parse_int(raw_age)
    if raw_age is not None and raw_age.strip() and (age is None or age > MAX_SECONDS):
        # Bounded where it is read, with a note, rather than clamped silently by duration().
        note(warning, "traefik/invalid-value", "service.sticky.cookie.maxage",
             f"{show(raw_age)} is not whole seconds up to {MAX_SECONDS}; not converted (the "
             "implementation's cookie lifetime applies)")
    elif age is not None and age > 0:
        sp["absoluteTimeout"] = duration(age)
        sp["cookieConfig"] = {"lifetimeType": "Permanent"}
    for _, rule in users:
        rule.session_persistence = dict(sp)
    lost = [a for a in COOKIE_ATTRIBUTES if f"service.sticky.cookie.{a}" in anns]
    if lost:
        note(info, "traefik/sticky-cookie-attribute-lost", "service.sticky.cookie",
             f"cookie attributes {', '.join(lost)} cannot be set in Gateway API; the "
             "implementation chooses them")
