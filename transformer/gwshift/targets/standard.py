"""The ``standard`` target: portable Gateway API only (today's behaviour).

It expresses no implementation policy: every security intent fails closed with the
dialect's own code and reason, exactly as before targets existed. What portable Gateway
API can hold is expressed here: backend TLS (BackendTLSPolicy, verified only).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from gwshift.intents import BackendTLS, ExternalAuth
from gwshift.model import BackendRef
from gwshift.names import fit, slug
from gwshift.notes import Note, info, warning
from gwshift.targets import Attachment, Capability, Expressed, Target

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

GW_API = "gateway.networking.k8s.io/v1"


def _unverified(intent: Any) -> str | None:
    # The dialect's reason already says BackendTLSPolicy always verifies: nothing to add.
    return None if intent.verify else ""


def _experimental(settings: Settings) -> str | None:
    return None if settings.channel == "experimental" else (
        "ExternalAuth needs --channel experimental")


def _not_a_service(intent: Any) -> str | None:
    # The dialect's reason already says the URL is no in-cluster Service.
    return None if intent.service is not None else ""


TABLE: dict[type, Capability] = {
    BackendTLS: Capability("converted", "BackendTLSPolicy (verified TLS only)", _unverified),
    ExternalAuth: Capability("approximated", "experimental ExternalAuth filter (HTTP, in-cluster "
                             "Service; the client path is appended to the URL path)",
                             _not_a_service, _experimental),
}


def backend_tls_policy(intent: BackendTLS, namespace: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": fit(f"{slug(intent.service)}-backend-tls")}
    if namespace:
        meta["namespace"] = namespace
    refs: list[dict[str, str]] = [
        {"group": "", "kind": "Service", "name": intent.service, "sectionName": s}
        for s in intent.sections] or [{"group": "", "kind": "Service", "name": intent.service}]
    validation: dict[str, Any] = (
        {"caCertificateRefs": [{"group": "", "kind": "ConfigMap", "name": intent.ca_secret}]}
        if intent.ca_secret else {"wellKnownCACertificates": "System"})
    if intent.hostname:
        validation["hostname"] = intent.hostname
    return {"apiVersion": GW_API, "kind": "BackendTLSPolicy", "metadata": meta,
            "spec": {"targetRefs": refs, "validation": validation}}


def external_auth(intent: ExternalAuth, namespace: str | None) -> tuple[dict[str, Any], list[Note]]:
    """The ExternalAuth filter, and what differs from the source's auth_request semantics.

    The note codes are the dialect's (``<dialect>/auth-url-*``, from ``by.code``), so that a
    reader finds them next to the annotation they are about."""
    svc = intent.service
    assert svc is not None
    area = intent.by.code.split("/", 1)[0]
    ref = BackendRef(name=svc.name, port=svc.port)
    if svc.namespace and svc.namespace != namespace:
        ref.namespace = svc.namespace
    headers = list(intent.response_headers)
    http: dict[str, Any] = {"allowedResponseHeaders": headers}
    if svc.path not in ("", "/"):
        http = {"path": svc.path, **http}
    notes: list[Note] = []
    field = intent.by.field
    if svc.path not in ("", "/"):
        notes.append(warning(f"{area}/auth-url-path-prefixed",
                             f"ExternalAuth sends {svc.path}<client path> to the auth service; "
                             f"nginx called {svc.path} itself (original URI in X-Original-URL): "
                             "check the auth service accepts it", field=field))
    if not headers:
        notes.append(warning(f"{area}/auth-response-headers-all",
                             "allowedResponseHeaders is empty, which copies every auth response "
                             "header upstream; nginx copied none (set auth-response-headers)",
                             field=field))
    if ref.namespace:
        notes.append(warning(f"{area}/auth-url-cross-namespace",
                             f"the auth Service is in namespace {ref.namespace!r}: it needs a "
                             "ReferenceGrant", field=field))
    lost = [("auth-method", intent.method, "the auth request always uses the client's method",
             False),
            ("auth-signin", intent.signin,
             "no redirect to a sign-in page on 401 (clients get the 401)", True)]
    for name, value, what, warn in lost:
        if value is not None:
            make = warning if warn else info
            notes.append(make(f"{area}/auth-url-parameter-lost", what,
                              field=intent.param_field(name)))
    for _, pfield, what, warn in intent.dropped:
        notes.append((warning if warn else info)(f"{area}/auth-url-parameter-lost", what,
                                                 field=pfield))
    flt = {"type": "ExternalAuth",
           "externalAuth": {"protocol": "HTTP", "backendRef": ref.to_dict(), "http": http}}
    return flt, notes


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    ns = att.namespace or settings.namespace
    objects = [backend_tls_policy(i, ns) for i in intents if isinstance(i, BackendTLS)]
    filters: list[dict[str, Any]] = []
    notes: list[Note] = []
    for intent in intents:
        if isinstance(intent, ExternalAuth):
            flt, more = external_auth(intent, att.namespace)
            filters.append(flt)
            notes.extend(more)
    return Expressed(objects, filters, notes)


TARGET = Target(name="standard", title="portable Gateway API v1.6", table=TABLE, express=express,
                api_groups=("gateway.networking.k8s.io",))
