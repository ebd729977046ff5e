"""auth-url -> experimental ExternalAuth filter; fails closed on the standard channel.

nginx ``auth_request`` calls the fixed auth URL (original URI in X-Original-URL); Gateway
API ExternalAuth *prefixes* the client path with ``http.path``. The auth service sees a
different path, and an empty ``allowedResponseHeaders`` copies every header (nginx: none).
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers._values import parse_csv
from gwshift.handlers.nginx._common import (
    ann,
    backend_rules,
    fail_closed,
    say,
    service_url,
)
from gwshift.handlers.nginx.security import AUTH_EXTERNAL, WHY
from gwshift.model import BackendRef, Conversion
from gwshift.notes import info, warning

# parameters of auth-url that ExternalAuth cannot carry: (annotation, what is lost)
LOST = {
    "auth-method": "the auth request always uses the client's method",
    "auth-signin": "no redirect to a sign-in page on 401 (clients get the 401)",
    "auth-signin-redirect-param": "no sign-in redirect",
    "auth-proxy-set-headers": "extra headers to the auth service are not sent",
    "auth-request-redirect": "X-Auth-Request-Redirect is not sent",
    "auth-always-set-cookie": "auth cookies are not set on failures",
    "auth-cache-key": "auth responses are not cached",
    "auth-cache-duration": "auth responses are not cached",
    "auth-keepalive": "connection reuse is the implementation's",
    "auth-keepalive-share-vars": "not applicable",
    "auth-keepalive-requests": "connection reuse is the implementation's",
    "auth-keepalive-timeout": "connection reuse is the implementation's",
}


def auth_url(value: str, conv: Conversion, ctx: Context) -> None:
    if not value.strip():
        return
    if ctx.settings.channel != "experimental":
        fail_closed(conv, ctx, "auth-url", AUTH_EXTERNAL,
                    WHY[AUTH_EXTERNAL] + " (ExternalAuth needs --channel experimental)")
        return
    target = service_url(value.strip())
    if target is None:
        fail_closed(conv, ctx, "auth-url", AUTH_EXTERNAL,
                    f"{value!r} is not an in-cluster Service URL without nginx variables, the "
                    "only target ExternalAuth can call")
        return
    ref = BackendRef(name=target.name, port=target.port)
    if target.namespace and target.namespace != ctx.namespace_of(conv.source.namespace):
        ref.namespace = target.namespace
    headers = parse_csv(ann(conv, ctx, "auth-response-headers"))
    http: dict[str, object] = {"allowedResponseHeaders": headers}
    if target.path not in ("", "/"):
        http = {"path": target.path, **http}
    flt = {"type": "ExternalAuth",
           "externalAuth": {"protocol": "HTTP", "backendRef": ref.to_dict(), "http": http}}
    for rule in backend_rules(conv):
        rule.filters.append(dict(flt))
    _notes(conv, ctx, target.path, headers, ref)


def _notes(conv: Conversion, ctx: Context, path: str, headers: list[str], ref: BackendRef) -> None:
    if path not in ("", "/"):
        say(conv, ctx, "auth-url", warning, "nginx/auth-url-path-prefixed",
            f"ExternalAuth sends {path}<client path> to the auth service; nginx called {path} "
            "itself (original URI in X-Original-URL): check the auth service accepts it")
    if not headers:
        say(conv, ctx, "auth-url", warning, "nginx/auth-response-headers-all",
            "allowedResponseHeaders is empty, which copies every auth response header "
            "upstream; nginx copied none (set auth-response-headers)")
    if ref.namespace:
        say(conv, ctx, "auth-url", warning, "nginx/auth-url-cross-namespace",
            f"the auth Service is in namespace {ref.namespace!r}: it needs a ReferenceGrant")
    for name, lost in LOST.items():
        if ann(conv, ctx, name) is not None:
            say(conv, ctx, name, warning if name.startswith("auth-signin") else info,
                "nginx/auth-url-parameter-lost", lost)
