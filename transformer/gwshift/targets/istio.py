"""Istio 1.30 (``networking.istio.io/v1``, ``security.istio.io/v1``).

Istio's AuthorizationPolicy attaches to a Gateway, never to an HTTPRoute: an IP list on one
route would have to be written as host and path predicates of a policy in the Gateway's
namespace. The attachment handed to a target names neither the route's hostnames and paths
nor its Gateway, so gwshift cannot restrict such a policy exactly and refuses (the source
stays, fail closed) rather than widen it. What attaches to a Service is expressed: backend
TLS as a DestinationRule.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    BodySize,
    ClientCertAuth,
    ConnectionLimit,
    CookieAffinity,
    CustomErrors,
    ExternalAuth,
    IPAccess,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
)
from gwshift.names import fit, slug
from gwshift.notes import Note, Severity
from gwshift.targets import Attachment, Capability, Expressed, Target
from gwshift.targets._common import expressed, note, obj, pick

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

NAME = "istio"
API_NETWORKING = "networking.istio.io/v1"
P = f"target-{NAME}/"

TABLE: dict[type, Capability] = {
    BackendTLS: Capability(
        "converted", "DestinationRule trafficPolicy.tls (SIMPLE/MUTUAL, credentialName, sni, "
        "insecureSkipVerify)"),
}
_GATEWAY_ONLY = ("AuthorizationPolicy attaches to the Gateway only; gwshift cannot yet "
                 "restrict it to this route's hosts and paths, so it would widen the control")
GAPS: dict[type, str] = {
    IPAccess: _GATEWAY_ONLY,
    ExternalAuth: "CUSTOM AuthorizationPolicy needs a mesh-level extensionProvider; "
    + _GATEWAY_ONLY,
    BasicAuth: "no basic authentication without an EnvoyFilter",
    RateLimit: "local rate limits need an EnvoyFilter",
    ConnectionLimit: "no per-client connection limit",
    BodySize: "no request size limit without an EnvoyFilter",
    ProxyTimeouts: "only the standard route timeouts",
    CookieAffinity: "DestinationRule consistentHash.httpCookie needs the backend Service, "
    "which the intent does not name; Gateway API sessionPersistence is not implemented",
    CustomErrors: "no error page proxying without an EnvoyFilter",
    RegexRewrite: "regex rewrites need a VirtualService",
    ClientCertAuth: "client-certificate validation is a Gateway listener TLS option "
    "(MUTUAL), Gateway-wide",
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    objects: list[dict[str, Any]] = []
    notes: list[Note] = []
    for tls in pick(intents, BackendTLS):
        objects.append(_destination_rule(att, tls, notes))
    return expressed(att, objects, [], notes)


def _destination_rule(att: Attachment, tls: BackendTLS, notes: list[Note]) -> dict[str, Any]:
    ns = att.namespace or "default"
    settings: dict[str, Any] = {"mode": "MUTUAL" if tls.client_secret else "SIMPLE"}
    secret = tls.client_secret or tls.ca_secret
    if secret:
        settings["credentialName"] = secret.rpartition("/")[2]
    if not tls.verify:
        settings["insecureSkipVerify"] = True
    if tls.hostname:
        settings["sni"] = tls.hostname
        if tls.verify:
            settings["subjectAltNames"] = [tls.hostname]
    port: dict[str, Any] = {"tls": settings}
    traffic: dict[str, Any]
    if tls.port:
        traffic = {"portLevelSettings": [{"port": {"number": tls.port}, **port}]}
    else:
        traffic = port
    if secret:
        notes.append(note(P + "backend-tls-secret", Severity.WARNING,
                          f"DestinationRule reads Secret {secret!r} (credentialName: "
                          f"{'tls.crt, tls.key and ' if tls.client_secret else ''}ca.crt) in "
                          "the namespace of the Gateway's proxy: copy it there", att, tls))
    notes.append(note(P + "destination-rule-scope", Severity.INFO,
                      f"the DestinationRule applies to every mesh client of Service "
                      f"{tls.service!r}, not only to the Gateway", att, tls))
    return obj(API_NETWORKING, "DestinationRule", fit(f"{slug(tls.service)}-backend-tls", 253),
               att.namespace, {"host": f"{tls.service}.{ns}.svc.cluster.local",
                               "trafficPolicy": traffic})


TARGET = Target(name=NAME, title="Istio 1.30", table=TABLE, express=express,
                api_groups=("networking.istio.io", "security.istio.io"))
