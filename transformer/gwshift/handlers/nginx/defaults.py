"""ingress-nginx's controller-wide defaults.

ingress-nginx applies defaults from its ConfigMap to every Ingress (v1.15: HSTS
``max-age=31536000; includeSubDomains`` on HTTPS, ``proxy-body-size`` 1m,
``proxy-connect/read/send-timeout`` 5/60/60 s, ``proxy-next-upstream: error timeout`` with 3
tries). A Gateway has its implementation's defaults instead, so these vanish silently unless
said: one note per Gateway, and ``--nginx-defaults`` expresses them where the target can.
"""

from __future__ import annotations

from gwshift.context import Context
from gwshift.handlers._ir import backend_rules, set_header
from gwshift.handlers.nginx._common import ann, field, key
from gwshift.intents import BodySize, Provenance, ProxyTimeouts
from gwshift.model import HTTPS, Conversion
from gwshift.notes import info

DEFAULTS = "nginx/controller-defaults"
DEFAULT_NOT_EXPRESSED = "nginx/controller-default-not-expressed"
HSTS = "max-age=31536000; includeSubDomains"
DEFAULT_BODY = 1024 * 1024
TIMEOUT_KEYS = ("proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout")


def controller_defaults(convs: list[Conversion], ctx: Context) -> None:
    """(A pass, after the kept sources are known.) One note per Gateway with HTTPS listeners
    that nginx's controller-wide defaults are not carried over (HSTS is a security header:
    its loss must be visible), unless --nginx-defaults expressed them."""
    if ctx.settings.nginx_defaults:
        return
    first: dict[object, Conversion] = {}
    for conv in sorted(convs, key=lambda c: (c.source.namespace or "", c.source.name)):
        if not conv.blocked and any(k.protocol == HTTPS for r in conv.routes for k in r.listeners):
            first.setdefault(ctx.group_of(conv), conv)
    for conv in first.values():
        conv.note(info(DEFAULTS,
                       "ingress-nginx's controller-wide defaults do not carry over to the "
                       "Gateway: the HSTS header on HTTPS, a 1m request body limit, 60s read/send "
                       "timeouts, retries on error/timeout; the implementation's own apply "
                       "(--nginx-defaults expresses them where the target can)"))


def express_defaults(conv: Conversion, ctx: Context) -> None:
    """--nginx-defaults, per Ingress during refinement (intents recorded here are checked
    against the target like any other): HSTS on HTTPS routes, body size and timeouts."""
    if not ctx.settings.nginx_defaults or not conv.routes:
        return
    where = "ingress-nginx default (--nginx-defaults)"
    if any(k.protocol == HTTPS for route in conv.routes for k in route.listeners):
        for rule in backend_rules(conv):
            set_header(rule, "ResponseHeaderModifier", "Strict-Transport-Security", HSTS)
    if ann(conv, ctx, "proxy-body-size") is None:
        by = Provenance(key(ctx, "proxy-body-size"), field(ctx, "proxy-body-size"),
                        DEFAULT_NOT_EXPRESSED,
                        f"{where}: the 1m request body limit needs an implementation policy",
                        security=False)
        for route in conv.routes:
            route.intents.append(BodySize(DEFAULT_BODY, by))
    if not any(ann(conv, ctx, k) is not None for k in TIMEOUT_KEYS):
        by = Provenance(key(ctx, "proxy-read-timeout"), field(ctx, "proxy-read-timeout"),
                        DEFAULT_NOT_EXPRESSED,
                        f"{where}: connect/read/send timeouts 5/60/60s need an implementation "
                        "policy", security=False)
        for route in conv.routes:
            route.intents.append(ProxyTimeouts(5, 60, 60, by))
    conv.note(info(DEFAULTS, "ingress-nginx's controller-wide defaults expressed where the "
                             "target can (HSTS header on HTTPS routes, body size and timeouts "
                             "through the target); retries on error/timeout are not"))
