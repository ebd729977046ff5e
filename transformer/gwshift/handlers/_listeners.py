"""Pin routes to the HTTP and/or HTTPS listeners (Traefik entry points, Kong protocols).

Shared by the Traefik and Kong dialects: both let a route serve HTTPS only, with a
certificate the controller found on its own (Traefik's ACME resolver or default certificate,
Kong's default certificate). A Gateway HTTPS listener needs a certificate Secret, so a host
without one gets a placeholder Secret name and a warning saying which Secret to create.
"""

from __future__ import annotations

from gwshift.context import Context, host_covered
from gwshift.model import HTTP, HTTPS, Conversion, IngressTLS, ListenerKey, Route
from gwshift.names import fit, slug
from gwshift.notes import warning


def hosts_of(route: Route) -> list[str | None]:
    return list(route.hostnames) or [None]


def has_certificate(conv: Conversion, ctx: Context, host: str | None) -> bool:
    if host is None:
        return any(t.secret and not t.hosts for t in conv.tls)
    # Its own entries count even before the source joins ctx.conversions (parsers).
    own = any(t.secret and host_covered(host, h) for t in conv.tls for h in t.hosts)
    return own or bool(ctx.tls_secrets_for(conv, host))


def placeholder_secret(conv: Conversion, host: str | None) -> str:
    return fit(f"{slug(host)}-tls" if host else f"{conv.source.name}-tls")


def ensure_certificate(conv: Conversion, ctx: Context, host: str | None, code: str,
                       where: str, why: str) -> None:
    """Give ``host`` a certificate Secret for its HTTPS listener (a placeholder if none)."""
    if has_certificate(conv, ctx, host):
        return
    secret = placeholder_secret(conv, host)
    conv.tls.append(IngressTLS((host,) if host else (), secret, where))
    ctx.invalidate_tls()  # the Context indexes TLS entries once per Gateway group
    conv.note(warning(code, f"{why}; the HTTPS listener for {host or 'all hosts'} references "
                            f"Secret {secret!r}, which gwshift cannot see: create it (e.g. with "
                            "cert-manager) before the listener can serve", field=where))


def pin(conv: Conversion, ctx: Context, route: Route, http: bool, https: bool, code: str,
        where: str, why: str) -> None:
    """Attach ``route`` to exactly the HTTP and/or HTTPS listeners of its hosts."""
    keys: list[ListenerKey] = []
    for host in hosts_of(route):
        if http:
            keys.append(ListenerKey(host, HTTP))
        if https:
            ensure_certificate(conv, ctx, host, code, where, why)
            keys.append(ListenerKey(host, HTTPS))
    route.listeners = keys
