"""auth-url -> an ExternalAuth intent (nginx ``auth_request`` semantics).

nginx calls the fixed auth URL (original URI in X-Original-URL) and copies only the
``auth-response-headers`` upstream. The selected target expresses it (the standard target:
the experimental ExternalAuth filter) or cannot (fail closed with nginx/auth-external).
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers._values import parse_csv
from gwshift.handlers.nginx._common import ann, field, key, service_url
from gwshift.handlers.nginx.security import AUTH_EXTERNAL, PARAMS, WHY
from gwshift.intents import ExternalAuth, Provenance, ServiceRef
from gwshift.model import Conversion

# auth-url parameters: (annotation, what is lost where no target carries it)
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
CARRIED = ("auth-method", "auth-signin")  # fields of the intent


def auth_url(value: str, conv: Conversion, ctx: Context) -> None:
    if not value.strip():
        return
    target = service_url(value.strip())
    why = WHY[AUTH_EXTERNAL] if target is not None else (
        f"{value!r} is not an in-cluster Service URL without nginx variables, the only target "
        "ExternalAuth can call")
    params = tuple((key(ctx, p), field(ctx, p)) for p in PARAMS["auth-url"] if ann(conv, ctx, p) is not None)
    by = Provenance(key(ctx, "auth-url"), field(ctx, "auth-url"), AUTH_EXTERNAL, why, True, params)
    service = None if target is None else ServiceRef(
        target.name, target.namespace, target.port, target.path,
        "https" if value.strip().startswith("https:") else "http")
    dropped = tuple((key(ctx, p), field(ctx, p), lost, p.startswith("auth-signin"))
                    for p, lost in LOST.items()
                    if p not in CARRIED and ann(conv, ctx, p) is not None)
    intent = ExternalAuth(value.strip(), service,
                          tuple(parse_csv(ann(conv, ctx, "auth-response-headers"))), (),
                          ann(conv, ctx, "auth-signin"), ann(conv, ctx, "auth-method"), by,
                          dropped)
    for route in conv.routes:
        route.intents.append(intent)
