"""``--name-template`` applied to generated routes and Gateways, and the note that a
generated Gateway usually means a new load balancer.

The template is rendered once per source and generated kind before any check runs (the
collision checks read the names); the result is the *base* name of that kind: routes add
today's suffixes (``-redirect``, ``-2``...), a Gateway group uses the name of its first source
by namespace/name. An invalid result keeps the source (``gateway/invalid-name``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gwshift.notes import error, info, warning

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.model import Conversion
    from gwshift.settings import Settings

RELEASE_LABEL = "app.kubernetes.io/instance"
MAX_GATEWAY_NAME = 63  # implementations name Services and Deployments after the Gateway
SUGGESTED = "'{{ release }}-{{ ingress_class if kind == \"Gateway\" else source_name }}'"


def gateway_kind(settings: Settings) -> str | None:
    """The kind gwshift generates to hold listeners (None: routes attach to --gateway)."""
    if settings.gateway is None:
        return "Gateway"
    return "ListenerSet" if settings.listener_set else None


def templated_gateway_name(conv: Conversion, settings: Settings) -> str | None:
    """The Gateway (ListenerSet) name --name-template gives ``conv`` (None: no template)."""
    holder = gateway_kind(settings)
    return conv.names.get(holder) if holder else None


def variables(conv: Conversion, kind: str) -> dict[str, str | None]:
    return {"namespace": conv.source.namespace, "ingress_class": conv.ingress_class,
            "release": dict(conv.source.labels).get(RELEASE_LABEL),
            "source_name": conv.source.name, "kind": kind}


def apply(conv: Conversion, settings: Settings) -> None:
    """Render the template for every kind ``conv`` generates (planner hook)."""
    template = settings.name_template
    if not template or conv.blocked or not conv.routes:
        return
    from gwshift.naming import NameTemplateError, render_name

    kinds: list[str] = sorted({r.kind for r in conv.routes})
    holder = gateway_kind(settings)
    if holder:
        kinds.append(holder)
    for kind in kinds:
        values = variables(conv, kind)
        empty = [k for k, v in values.items() if not v]
        hint = f" (empty here: {', '.join(empty)})" if empty else ""
        try:
            name = render_name(template, **values)
        except NameTemplateError as exc:
            conv.block(error("gateway/invalid-name", f"--name-template for the {kind}: {exc}"
                             f"{hint}; the Ingress is kept"))
            return
        if kind == holder and len(name) > MAX_GATEWAY_NAME:
            conv.block(error("gateway/invalid-name",
                             f"--name-template gives the {kind} name {name!r}, longer than "
                             f"{MAX_GATEWAY_NAME} characters (implementations name Services "
                             "after it); the Ingress is kept"))
            return
        conv.names[kind] = name


def on_gateways(gateways: list[dict[str, Any]], convs: list[Conversion], ctx: Context) -> None:
    """Notes about generated Gateway names (emit hook, after plan_gateway)."""
    settings = ctx.settings
    holder = gateway_kind(settings)
    if holder is None or not gateways:
        return
    first = min(convs, key=lambda c: (c.source.namespace or "", c.source.name))
    if settings.name_template:
        chosen = first.names.get(holder)
        for conv in convs:
            mine = conv.names.get(holder)
            if mine is not None and mine != chosen:
                conv.note(warning("gateway/name-template-shared",
                                  f"--name-template names this Ingress's {holder} {mine!r}, but "
                                  f"it shares one {holder} ({chosen!r}, named from "
                                  f"{first.source.ref}) with the Ingresses of its class; run "
                                  "gwshift once per release to get one each"))
        return
    # The advice names Gateways per release: it applies to sources of a Helm release (or any
    # tool setting the standard instance label); without the label the template has no
    # release to use.
    releases = sorted({r for c in convs if (r := dict(c.source.labels).get(RELEASE_LABEL))})
    if holder != "Gateway" or not releases:
        return
    for gw in gateways:
        meta = gw["metadata"]
        where = f"{meta.get('namespace') or settings.namespace or '(release namespace)'}"
        first.note(info("gateway/new-address",
                        f"Gateway {where}/{meta['name']} is new: it usually gets a new load "
                        "balancer and address, and another release than "
                        f"{', '.join(releases)} in this namespace would generate the same "
                        "name. --name-template " + SUGGESTED
                        + " names it per release; --gateway attaches to a shared one"))
