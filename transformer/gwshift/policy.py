"""Checks that keep conversions honest: nothing dropped silently, nothing emitted twice."""

from __future__ import annotations

import re

from gwshift import emit, inventory
from gwshift.convert import path_problem
from gwshift.inventory import Item
from gwshift.model import Conversion, mapping
from gwshift.names import gateway_name
from gwshift.notes import error, info, warning
from gwshift.settings import Settings

# Annotation prefixes of Ingress controllers whose meaning gwshift does not convert (yet).
CONTROLLER_PREFIXES = (
    "nginx.org/", "traefik.ingress.kubernetes.io/", "alb.ingress.kubernetes.io/",
    "ingress.kubernetes.io/", "haproxy.org/", "haproxy.com/", "konghq.com/",
    "ingress.gcp.kubernetes.io/", "networking.gke.io/", "cloud.google.com/",
    "appgw.ingress.kubernetes.io/", "kubernetes.io/ingress.", "nginx.ingress.kubernetes.io/",
    "ingress.bluemix.net/", "zalando.org/", "projectcontour.io/", "contour.heptio.com/",
    "getambassador.io/", "ncp.navercorp.com/", "virtual-server.f5.com/",
)
IGNORED = ("kubernetes.io/ingress.class", "kubernetes.io/ingress.allow-http",
           "ingress.kubernetes.io/ingress.class")
# Keys that restrict who may reach a backend; never dropped without an explicit opt-in.
SECURITY = re.compile(
    r"auth|whitelist|allowlist|denylist|blacklist|source-range|inbound-cidrs|waf|modsecurity|"
    r"limit-r|rate-?limit|ratelimit|limit-connections|security-polic|middlewares|firewall|"
    r"ip-?allow|ip-?deny|satisfy|snippet|client-cert|mtls|jwt|oidc|cognito",
    re.IGNORECASE,
)
SECURITY_DROP = "ingress/security-annotation-dropped"
GW_GROUP = "gateway.networking.k8s.io/"


def check_annotations(conv: Conversion, settings: Settings) -> None:
    """Every controller annotation the dialect did not consume is reported; security ones block."""
    nginx_prefix = settings.annotation_prefix.rstrip("/") + "/"
    for key, value in conv.source.annotations:
        if key in conv.consumed_annotations or key in IGNORED:
            continue
        own_prefix = key.startswith(nginx_prefix) and conv.dialect == "nginx"
        if own_prefix or not (key.startswith(CONTROLLER_PREFIXES) or key.startswith(nginx_prefix)):
            continue  # the dialect reports its own keys; other annotations are not controller's
        field = f"metadata.annotations[{key}]"
        if SECURITY.search(key.split("/", 1)[-1]):
            _security(conv, key, settings, field)
        else:
            conv.note(warning("ingress/annotation-not-converted",
                              f"{key}={value!r} has no Gateway API equivalent in gwshift for "
                              f"this Ingress (dialect {conv.dialect or 'none'}); it is dropped",
                              field=field))


def _security(conv: Conversion, key: str, settings: Settings, field: str) -> None:
    if SECURITY_DROP in settings.allow_insecure_drop:
        conv.note(warning(SECURITY_DROP,
                          f"{key} looks like an access control that the generated objects do "
                          f"not enforce; dropped because --allow-insecure-drop {SECURITY_DROP}",
                          field=field))
        return
    conv.block(error(SECURITY_DROP,
                     f"{key} looks like an access control that gwshift cannot express; the "
                     f"Ingress is kept (fail closed). Accept the loss with "
                     f"--allow-insecure-drop {SECURITY_DROP}", field=field))


def _existing_sources(items: list[Item]) -> dict[tuple[str, str | None, str], str | None]:
    """Gateway API objects already in the stream: (kind, namespace, name) -> gwshift source."""
    found: dict[tuple[str, str | None, str], str | None] = {}
    # Objects generated for an Ingress inside a ``kind: List`` are written into that List.
    for child in inventory.objects(
            items, lambda item: (item.api_version or "").startswith(GW_GROUP),
            lambda obj: str(obj.get("apiVersion", "")).startswith(GW_GROUP)):
        meta = mapping(child.get("metadata"))
        name = meta.get("name")
        if isinstance(name, str) and isinstance(child.get("kind"), str):
            ann = mapping(meta.get("annotations"))
            found[(child["kind"], meta.get("namespace"), name)] = ann.get(emit.SOURCE_ANNOTATION)
    return found


def check_existing(convs: list[Conversion], items: list[Item], settings: Settings) -> None:
    """Re-running on output (--keep-ingress) must not add objects; names must not collide."""
    existing = _existing_sources(items)
    if existing:
        _check_stream(convs, existing, settings)
    _check_generated(convs, settings)


def _check_stream(convs: list[Conversion], existing: dict[tuple[str, str | None, str], str | None],
                  settings: Settings) -> None:
    for conv in convs:
        if conv.blocked:
            continue
        mine = f"Ingress/{conv.source.name}"
        ns = conv.source.namespace or settings.namespace  # objects without one go there too
        names = set(emit.route_object_names(conv))
        hits = [
            (k, src) for k, src in existing.items()
            if (k[1] or settings.namespace) == ns and (k[0], k[2]) in names
        ]
        if hits and all(src == mine for _, src in hits):
            conv.blocked = True
            conv.note(info("ingress/already-converted",
                           "the stream already holds the objects gwshift generates for this "
                           "Ingress; nothing added"))
        elif hits:
            conv.block(error("gateway/name-collision",
                             f"{hits[0][0][0]}/{hits[0][0][2]} already exists in the stream and was "
                             "not generated from this Ingress; the Ingress is kept"))
        elif conv.routes and (settings.gateway is None or settings.listener_set):
            kind = "ListenerSet" if settings.listener_set else "Gateway"
            gw_name = gateway_name(conv.ingress_class)
            same = [src for k, src in existing.items()
                    if k[0] == kind and k[2] == gw_name and (k[1] or settings.namespace) == ns]
            if same:
                conv.block(error("gateway/name-collision",
                                 f"{kind}/{gw_name} already exists in the stream (source "
                                 f"{same[0] or 'not gwshift'}); a second one would replace it, "
                                 "so the Ingress is kept. Convert the original manifests in one run, "
                                 "or attach to it with --gateway"))


def check_paths(conv: Conversion) -> None:
    """Safety net after dialects: no Exact/PathPrefix value the API server would reject."""
    if conv.blocked:
        return
    for route in conv.routes:
        for rule in route.rules:
            for m in rule.matches:
                if m.path_type in ("Exact", "PathPrefix") and m.path is not None:
                    problem = path_problem(m.path)
                    if problem:
                        conv.block(error("ingress/invalid-path",
                                         f"path {m.path!r} {problem}, so it cannot be an Exact "
                                         "or PathPrefix match; the Ingress is kept",
                                         field=f"{rule.source}.path"))
                        return


def _check_generated(convs: list[Conversion], settings: Settings) -> None:
    """Two Ingresses must not generate routes of the same kind/namespace/name.

    ``a`` with a hostless rule makes ``a-any``, as does an Ingress named ``a-any``. The
    Ingress whose own name the route carries wins, then the smaller Ingress name, then (for
    same-named Ingresses) the smaller content, so the outcome does not depend on document
    order; the others are kept with an error note.
    """
    while True:
        claims: dict[tuple[str, str | None, str], list[tuple[bool, str, Conversion]]] = {}
        for conv in convs:
            if conv.blocked:
                continue
            ns = conv.source.namespace or settings.namespace
            for kind, name in dict.fromkeys(emit.route_object_names(conv)):
                own = name == conv.source.name
                claims.setdefault((kind, ns, name), []).append(
                    (not own, conv.source.name, conv))
        clashes = sorted(((k, c) for k, c in claims.items() if len(c) > 1), key=lambda kc: kc[0])
        if not clashes:
            return
        (kind, _, name), claimants = clashes[0]
        # Same-named Ingresses (a broken stream) tie-break on content, not position.
        claimants.sort(key=lambda c: (c[0], c[1], c[2].source.content_key(), c[2].source.doc))
        winner = claimants[0][2]
        for *_, conv in claimants[1:]:
            conv.block(error("gateway/name-collision",
                             f"{kind}/{name} is also generated from Ingress/{winner.source.name} "
                             f"(document {winner.source.doc}); the Ingress is kept. Rename one "
                             "of the Ingresses"))
