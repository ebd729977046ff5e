"""Checks that keep conversions honest: nothing dropped silently, nothing emitted twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gwshift import emit, handlers, inventory, targets, yamlio
from gwshift.convert import path_problem
from gwshift.emit import source_ref
from gwshift.handlers._values import parse_bool
from gwshift.inventory import Item
from gwshift.model import Conversion, Ingress, mapping
from gwshift.names import gateway_name
from gwshift.notes import error, info, warning
from gwshift.settings import Settings

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.intents import Intent
    from gwshift.targets import Scope, Target

IGNORED = ("kubernetes.io/ingress.class", "ingress.kubernetes.io/ingress.class")
ALLOW_HTTP = "kubernetes.io/ingress.allow-http"
ALLOW_HTTP_FALSE = "ingress/allow-http-false"
SECURITY = handlers.SECURITY  # kept importable for callers of the old checks
SECURITY_DROP = "ingress/security-annotation-dropped"
GW_GROUP = "gateway.networking.k8s.io/"


def check_annotations(conv: Conversion, settings: Settings) -> None:
    """Every controller annotation the dialect did not consume is reported; security ones block.

    Whose key it is comes from the registry (``handlers.controller_of``): a dialect reports
    its own keys itself; keys of other dialects and of known controllers without a dialect
    are reported here, and the security-looking ones fail closed.
    """
    for key, value in conv.source.annotations:
        if key in conv.consumed_annotations or key in IGNORED:
            continue
        if key == ALLOW_HTTP:
            _allow_http(conv, value, settings)
            continue
        owner = handlers.controller_of(key, settings)
        if owner is None or (owner.dialect and owner.name == conv.dialect):
            continue  # not a controller's annotation, or the dialect's own (it reports them)
        field = f"metadata.annotations[{key}]"
        if owner.is_security(key):
            _security(conv, key, settings, field)
        else:
            conv.note(warning("ingress/annotation-not-converted",
                              f"{key}='{yamlio.safe_text(value)}' has no Gateway API equivalent in gwshift for "
                              f"this Ingress (dialect {conv.dialect or 'none'}); it is dropped",
                              field=field))


is_security_key = handlers.is_security_key


def _allow_http(conv: Conversion, value: str, settings: Settings) -> None:
    """``allow-http: "false"`` closes port 80 on GCE (ingress-gce reads it with Go's
    ParseBool; any other value leaves HTTP open). The generated routes attach to the
    Gateway's HTTP listener too, so converting would open a port: fail closed when no dialect
    owns the Ingress (GKE's default controller takes Ingresses without a class). A dialect
    whose controller honours it consumes the key itself (gce); the others ignore it, so HTTP
    is served before and after."""
    if parse_bool(value) is not False:
        return
    field = f"metadata.annotations[{ALLOW_HTTP}]"
    if conv.dialect is not None:
        conv.note(info("ingress/allow-http-ignored",
                       f"{ALLOW_HTTP} is read by GCE only; the {conv.dialect} controller serves "
                       "HTTP anyway, and so do the generated routes", field=field))
        return
    fail_closed(conv, settings, ALLOW_HTTP_FALSE, field,
                blocked=f"{ALLOW_HTTP}: \"false\" serves this Ingress on HTTPS only; the "
                        "generated routes would also be reachable over HTTP, so the Ingress is "
                        f"kept (fail closed). Accept with --allow-insecure-drop {ALLOW_HTTP_FALSE}",
                dropped=f"{ALLOW_HTTP}: \"false\" is not honoured: the generated routes are "
                        f"reachable over HTTP too (--allow-insecure-drop {ALLOW_HTTP_FALSE})")


def _security(conv: Conversion, key: str, settings: Settings, field: str) -> None:
    fail_closed(conv, settings, SECURITY_DROP, field,
                blocked=f"{key} looks like an access control that gwshift cannot express; the "
                        f"Ingress is kept (fail closed). Accept the loss with "
                        f"--allow-insecure-drop {SECURITY_DROP}",
                dropped=f"{key} looks like an access control that the generated objects do "
                        f"not enforce; dropped because --allow-insecure-drop {SECURITY_DROP}")


def fail_closed(conv: Conversion, settings: Settings, code: str, field: str, *, blocked: str,
                dropped: str) -> None:
    """Keep the source with an error, unless ``code`` is in --allow-insecure-drop (warning)."""
    if code in settings.allow_insecure_drop:
        conv.note(warning(code, dropped, field=field))
    else:
        conv.block(error(code, blocked, field=field))


# --- intents the target cannot express ------------------------------------------------


def intents_of(conv: Conversion) -> list[Intent]:
    """Every intent recorded on ``conv``: Gateway, then route, then rule intents."""
    return [intent for intent, _, _ in placed_intents(conv)]


def placed_intents(conv: Conversion) -> list[tuple[Intent, Scope, str]]:
    """Every intent of ``conv`` with the scope and object kind it was recorded at."""
    out: list[tuple[Intent, Scope, str]] = [(i, "gateway", "Gateway") for i in conv.gateway_intents]
    for route in conv.routes:
        out.extend((i, "route", route.kind) for i in route.intents)
        for rule in route.rules:
            out.extend((i, "rule", route.kind) for i in rule.intents)
    return out


def unconsumed(conv: Conversion, target: Target, settings: Settings) -> None:
    """Intents ``target`` cannot express, or cannot attach where they were recorded (its
    ``SCOPES``/``KINDS``: attaching elsewhere would widen or drop the control), become
    notes: security ones fail closed with the dialect's own code and reason
    (``--allow-insecure-drop <code>`` turns that into a warning), the others are warnings
    with the dialect's code and text."""
    seen: set[tuple[str, str]] = set()
    gaps = targets.module_table(target, "GAPS")
    for intent, scope, kind in placed_intents(conv):
        refused = targets.refusal(target, intent, settings)
        placed = None if refused is not None else targets.placement_refusal(
            target, intent, scope, kind)
        by = intent.by
        if (refused is None and placed is None) or (by.code, by.field) in seen:
            continue  # one note per annotation, however many routes carry its intent
        seen.add((by.code, by.field))
        if placed is not None:
            why = f"{by.why} ({placed})"
        elif type(intent) not in target.table:
            # A target without the intent type adds its documented reason, if any.
            gap = gaps.get(type(intent))
            why = f"{by.why} ({refused}: {gap})" if gap else by.why
        else:
            # A target that has the type but cannot take this value says why (an empty
            # reason: the target refuses and has nothing to add to the dialect's).
            why = f"{by.why} ({refused})" if refused else by.why
        if not by.security:
            conv.note(warning(by.code, why, field=by.field))
            continue
        fail_closed(conv, settings, by.code, by.field,
                    blocked=f"{by.key} cannot be converted: {why}; the Ingress is kept (allow "
                            f"dropping it with --allow-insecure-drop {by.code})",
                    dropped=f"{by.key} knowingly dropped (--allow-insecure-drop {by.code}): {why}")
        if by.code in settings.allow_insecure_drop:
            for key, field in by.params:
                conv.note(warning(by.code, f"{key} knowingly dropped (--allow-insecure-drop "
                                           f"{by.code}): {why}", field=field))


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


def check_existing(convs: list[Conversion], items: list[Item], settings: Settings,
                   ctx: Context | None = None) -> None:
    """Re-running on output (--keep-ingress) must not add objects; names must not collide."""
    existing = _existing_sources(items)
    if existing:
        _check_stream(convs, existing, settings, ctx)
    _check_generated(convs, settings)
    _check_duplicate_paths(convs)


def _check_duplicate_paths(convs: list[Conversion]) -> None:
    """The same host + path + pathType in two Ingresses of one class: the Ingress spec and
    ingress-nginx pick one by creation time, which a converter cannot see; Gateway API picks
    the older route too, so the result may differ from what runs today. Say so on each.
    (Canaries were merged into their primaries by now and route nothing of their own.)"""
    claims: dict[tuple[str | None, str | None, str, str], list[Conversion]] = {}
    for conv in convs:
        if not conv.routes or not isinstance(conv.source, Ingress):
            continue
        seen = set()
        for r in conv.source.rules:
            for p in r.paths:
                key = (conv.ingress_class, r.host.lower() if r.host else None, p.path or "/",
                       p.path_type or "ImplementationSpecific")
                if key not in seen:
                    seen.add(key)
                    claims.setdefault(key, []).append(conv)
    for (_, host, path, ptype), owners in sorted(claims.items(), key=lambda kv: str(kv[0])):
        if len(owners) < 2:
            continue
        names = ", ".join(sorted(str(c.source.ref) for c in owners))
        for conv in owners:
            conv.note(warning("ingress/duplicate-host-path",
                              f"host {host or '(any)'} path {path!r} ({ptype}) is also defined "
                              f"by another Ingress ({names}): which one serves it depends on "
                              "creation order, before and after the migration; keep one"))


def _check_stream(convs: list[Conversion], existing: dict[tuple[str, str | None, str], str | None],
                  settings: Settings, ctx: Context | None = None) -> None:
    for conv in convs:
        if conv.blocked:
            continue
        mine = source_ref(conv)
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
            gw_name = (emit.group_gateway_name(conv, ctx) if ctx is not None
                       else gateway_name(conv.ingress_class))
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
                             f"{kind}/{name} is also generated from {source_ref(winner)} "
                             f"(document {winner.source.doc}); the Ingress is kept. Rename one "
                             "of the Ingresses"))
