"""Certificates and DNS keep working after the cut-over: cert-manager and external-dns.

cert-manager (``pkg/controller/certificate-shim``): the gateway-shim reads the same
``cert-manager.io/*`` annotations from a Gateway (ListenerSet: cert-manager 1.20+) as the
ingress-shim reads from an Ingress, and makes one Certificate per Secret named by the
HTTPS/TLS listeners that have a hostname, ``tls.mode: Terminate`` and a Secret in the
Gateway's namespace - the hosts of those listeners become the dnsNames. So the annotations
move to the generated Gateway (or ListenerSet) that serves the Ingress's TLS hosts: the
Certificate keeps its name (the Secret's) and its hosts. ``kubernetes.io/tls-acme`` is read
on Ingresses only (the shim's auto-certificate annotations), so it cannot move: a warning
says to name the issuer. The ``acme.cert-manager.io/http01-*`` annotations configure an
Ingress-based HTTP-01 solver: the Issuer needs a ``gatewayHTTPRoute`` solver instead.

external-dns (``docs/sources/gateway-api.md``, "Annotation Placement"): its Gateway sources
read ``target`` from the Gateway (or ListenerSet) and every other annotation (hostname, ttl,
controller, provider-specific) from the routes. ``ingress-hostname-source`` becomes
``gateway-hostname-source`` (same values).

A Gateway serves several Ingresses: it collects their annotations; when they disagree the
first Ingress by namespace/name wins and the others get a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gwshift.notes import info, warning

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.model import Conversion

Obj = dict[str, Any]

CERT_MANAGER = "cert-manager.io/"
ACME = "acme.cert-manager.io/"
TLS_ACME = "kubernetes.io/tls-acme"
ISSUERS = ("cert-manager.io/issuer", "cert-manager.io/cluster-issuer")
EXTERNAL_DNS = ("external-dns.alpha.kubernetes.io/", "external-dns.kubernetes.io/")
# Ingress-only external-dns keys and their Gateway-source spelling.
RENAMED = {"ingress-hostname-source": "gateway-hostname-source"}
TARGET = "target"


def _field(key: str) -> str:
    return f"metadata.annotations[{key}]"


def _dns_prefix(key: str) -> str | None:
    return next((p for p in EXTERNAL_DNS if key.startswith(p)), None)


def cert_manager_annotations(conv: Conversion) -> dict[str, str]:
    """The ``cert-manager.io/*`` annotations a Gateway takes over (only with an issuer:
    without one the gateway-shim does nothing)."""
    ann = {k: v for k, v in conv.source.annotations if k.startswith(CERT_MANAGER)}
    return ann if any(k in ann for k in ISSUERS) else {}


def dns_annotations(conv: Conversion) -> tuple[dict[str, str], dict[str, str]]:
    """external-dns annotations for the routes, and for the Gateway (``target``)."""
    routes: dict[str, str] = {}
    gateway: dict[str, str] = {}
    for key, value in conv.source.annotations:
        prefix = _dns_prefix(key)
        if prefix is None:
            continue
        name = key[len(prefix):]
        if name == TARGET:
            gateway[key] = value
        else:
            routes[prefix + RENAMED.get(name, name)] = value
    return routes, gateway


def route_annotations(conv: Conversion, ann: dict[str, str]) -> dict[str, str]:
    """A route's annotations with the source's external-dns route annotations (emit hook)."""
    routes, _ = dns_annotations(conv)
    if not routes:
        return ann
    return dict(sorted({**ann, **routes}.items()))


def _secrets(conv: Conversion) -> set[str]:
    return {t.secret for t in conv.tls if t.secret}


def _listener_secrets(gw: Obj) -> dict[str, list[str | None]]:
    """Secret -> hostnames of the terminating listeners that name it (None: no hostname),
    for Secrets in the Gateway's own namespace."""
    out: dict[str, list[str | None]] = {}
    own_ns = (gw.get("metadata") or {}).get("namespace")
    for listener in (gw.get("spec") or {}).get("listeners") or []:
        tls = listener.get("tls") or {}
        if tls.get("mode") != "Terminate":
            continue
        for ref in tls.get("certificateRefs") or []:
            if ref.get("namespace", own_ns) != own_ns:
                # cert-manager's gateway-shim skips Secrets of other namespaces (the
                # gateway/cert-manager-cross-namespace note says so): nothing moves for them.
                continue
            out.setdefault(str(ref.get("name")), []).append(listener.get("hostname"))
    return out


def _by_name(convs: Iterable[Conversion]) -> list[Conversion]:
    return sorted(convs, key=lambda c: (c.source.namespace or "", c.source.name))


def _ref(gw: Obj) -> str:
    return f"{gw['kind']}/{gw['metadata']['name']}"


def on_gateways(gateways: list[Obj], convs: list[Conversion], ctx: Context) -> None:
    """Move cert-manager and external-dns ``target`` annotations of ``convs`` (one Gateway
    group) onto the Gateways/ListenerSets serving them (emit hook, after plan_gateway)."""
    for gw in gateways:
        listener_secrets = _listener_secrets(gw)
        serving = [c for c in _by_name(convs) if _secrets(c) & set(listener_secrets)]
        moved: dict[str, str] = {}
        _cert_manager(gw, serving, listener_secrets, moved, ctx)
        _dns_target(gw, convs, moved)
        if moved:
            ann = gw["metadata"].setdefault("annotations", {})
            ann.update(moved)
            gw["metadata"]["annotations"] = dict(sorted(ann.items()))


def _cert_manager(gw: Obj, serving: list[Conversion], listener_secrets: dict[str, list[str | None]],
                  moved: dict[str, str], ctx: Context) -> None:
    managed = [c for c in serving if cert_manager_annotations(c)]
    if not managed:
        return
    first = managed[0]
    chosen = cert_manager_annotations(first)
    moved.update(chosen)
    where = _ref(gw)
    for conv in managed:
        mine = cert_manager_annotations(conv)
        secrets = sorted(_secrets(conv) & set(listener_secrets))
        if mine != chosen:
            conv.note(warning("cert-manager/issuer-conflict",
                              f"{where} serves the TLS hosts of several Ingresses whose cert-manager "
                              f"annotations differ; it takes those of {first.source.ref} "
                              f"({_show(chosen)}), so Secret(s) {', '.join(secrets)} will be "
                              f"issued that way instead of {_show(mine)}",
                              field=_field(min(mine))))
            continue
        for key in sorted(mine):
            conv.note(info("cert-manager/annotation-moved",
                           f"{key} moved to {where}: cert-manager's gateway-shim issues "
                           f"Certificate(s) {', '.join(secrets)} from its HTTPS listeners "
                           "(enable cert-manager's Gateway API support"
                           + (", 1.20+ for ListenerSets" if gw["kind"] == "ListenerSet" else "")
                           + ")", field=_field(key)))
        hostless = [s for s in secrets if None in listener_secrets[s]]
        if hostless:
            conv.note(warning("cert-manager/hostless-listener",
                              f"{where} has a listener without hostname for Secret(s) "
                              f"{', '.join(hostless)}: cert-manager skips such listeners (list "
                              "the hosts in spec.tls[].hosts)", field="spec.tls"))
        if ctx.settings.keep_ingress:
            conv.note(info("cert-manager/parallel-run",
                           f"until the cut-over the Ingress keeps owning Certificate(s) "
                           f"{', '.join(secrets)} (cert-manager does not update a Certificate "
                           f"another object owns); when the Ingress is removed the Certificate "
                           f"is garbage-collected and {where} re-creates it, the Secret (and "
                           "its certificate) stays unless cert-manager runs with "
                           "--enable-certificate-owner-ref", field=_field(min(mine))))
    managed_secrets = {s for c in managed for s in _secrets(c)}
    for conv in serving:
        if conv in managed:
            continue
        taken = sorted((_secrets(conv) & set(listener_secrets)) - managed_secrets)
        if taken:
            conv.note(warning("cert-manager/unmanaged-secret",
                              f"{where} carries cert-manager annotations from {first.source.ref}; "
                              f"cert-manager will now also issue Secret(s) {', '.join(taken)} of "
                              "this Ingress, replacing the certificate it holds (give this "
                              "Ingress another class, or manage the Secret with cert-manager)",
                              field="spec.tls"))


def _dns_target(gw: Obj, convs: list[Conversion], moved: dict[str, str]) -> None:
    with_target = [(c, dns_annotations(c)[1]) for c in _by_name(convs)]
    with_target = [(c, t) for c, t in with_target if t]
    if not with_target:
        return
    first, chosen = with_target[0]
    moved.update(chosen)
    for conv, target in with_target:
        key = min(target)
        if target != chosen:
            conv.note(warning("external-dns/target-conflict",
                              f"{_ref(gw)} serves several Ingresses with different external-dns "
                              f"targets; it takes {_show(chosen)} from {first.source.ref}, not "
                              f"{_show(target)}", field=_field(key)))
        else:
            conv.note(info("external-dns/annotation-moved",
                           f"{key} moved to {_ref(gw)}: external-dns's Gateway sources read "
                           "the target there", field=_field(key)))


def _show(ann: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(ann.items()))


def on_source(conv: Conversion, ctx: Context, route_names: list[str]) -> None:
    """Per-source notes: where external-dns route annotations went, Ingress-only keys,
    who owns DNS during a parallel run, and what cannot move onto an existing Gateway."""
    settings = ctx.settings
    existing = settings.gateway is not None and not settings.listener_set
    ann = dict(conv.source.annotations)
    gw_ref = "/".join(p for p in settings.gateway or () if p)
    routes, target = dns_annotations(conv)
    shown = ", ".join(route_names) or "(none)"
    for key, value in conv.source.annotations:
        prefix = _dns_prefix(key)
        if prefix is not None and key not in target:
            name = key[len(prefix):]
            new = prefix + RENAMED.get(name, name)
            how = f" as {new}" if new != key else ""
            conv.note(info("external-dns/annotation-moved",
                           f"{key} moved to the routes ({shown}){how}: external-dns's Gateway "
                           "sources (--source=gateway-httproute ...) read it there",
                           field=_field(key)))
        elif key.startswith(ACME):
            conv.note(warning("cert-manager/ingress-only-annotation",
                              f"{key}={value!r} configures cert-manager's Ingress-based HTTP-01 "
                              "solver; with Gateways the Issuer needs a gatewayHTTPRoute solver "
                              "(parentRefs to the Gateway)", field=_field(key)))
    if ann.get(TLS_ACME, "").lower() == "true":
        if cert_manager_annotations(conv):
            conv.note(info("cert-manager/tls-acme-not-needed",
                           f"{TLS_ACME} is not moved: the issuer annotation moves and is what "
                           "the gateway-shim reads", field=_field(TLS_ACME)))
        elif conv.tls:
            conv.note(warning("cert-manager/tls-acme",
                              f"{TLS_ACME} picks cert-manager's default issuer on Ingresses "
                              "only; the Gateway needs the issuer named: add "
                              "cert-manager.io/cluster-issuer (or issuer) to the Ingress and run "
                              "gwshift again, or certificates stop renewing after the cut-over",
                              field=_field(TLS_ACME)))
    if existing:
        cm = cert_manager_annotations(conv)
        if cm and conv.tls:
            conv.note(warning("cert-manager/existing-gateway",
                              f"gwshift does not modify Gateway {gw_ref}: put {_show(cm)} on it "
                              "(with an HTTPS listener per host) or certificates of this Ingress "
                              "stop renewing after the cut-over", field=_field(min(cm))))
        if target:
            conv.note(warning("external-dns/existing-gateway",
                              f"gwshift does not modify Gateway {gw_ref}: external-dns reads "
                              f"{_show(target)} from the Gateway only", field=_field(min(target))))
    if settings.keep_ingress and (routes or target):
        hosts = sorted({h for r in conv.routes for h in r.hostnames})
        conv.note(info("external-dns/parallel-run",
                       f"until the cut-over the Ingress keeps the DNS records of "
                       f"{', '.join(hosts) or 'its hosts'}: external-dns leaves a record with "
                       f"the object that owns it when the routes ({shown}) claim the same name; "
                       "remove the Ingress to hand them over"))
