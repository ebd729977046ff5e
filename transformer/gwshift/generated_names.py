"""``--name-template`` applied to generated routes and Gateways, the release a Gateway
group belongs to (its default name is per release), and the note that a generated Gateway
usually means a new load balancer.

The template is rendered once per source and generated kind before any check runs (the
collision checks read the names); the result is the *base* name of that kind: routes add
today's suffixes (``-redirect``, ``-2``...), a Gateway group uses the name of its first source
by namespace/name. An invalid result keeps the source (``gateway/invalid-name``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from gwshift.notes import error, info, warning

if TYPE_CHECKING:
    from gwshift.context import Context
    from gwshift.model import Conversion, Source
    from gwshift.settings import Settings

RELEASE_LABEL = "app.kubernetes.io/instance"
# Charts of the Helm 2 era label the release ``release: <name>`` next to ``heritage: Helm``
# (airflow, elastic, sentry, rancher... in the rendered corpus); ``release`` alone is a
# common free-form label (``release: canary``), so it counts only with Helm's heritage.
LEGACY_RELEASE_LABEL = "release"
HERITAGE_LABEL = "heritage"
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


def release_of(source: Source) -> str | None:
    """The Helm release a source belongs to: label app.kubernetes.io/instance, else the
    legacy ``release`` label when ``heritage: Helm`` says Helm set it (None: unknown)."""
    labels = dict(source.labels)
    release = labels.get(RELEASE_LABEL)
    if release:
        return release
    if labels.get(HERITAGE_LABEL) == "Helm":
        return labels.get(LEGACY_RELEASE_LABEL) or None
    return None


def group_release(convs: Iterable[Conversion]) -> str | None:
    """The release every source of a Gateway group belongs to (None: none, several, or a
    source without one): a Gateway named after it cannot collide with another release's."""
    found = {release_of(c.source) for c in convs}
    if len(found) != 1:
        return None
    return found.pop()


def variables(conv: Conversion, kind: str) -> dict[str, str | None]:
    return {"namespace": conv.source.namespace, "ingress_class": conv.ingress_class,
            "release": release_of(conv.source),
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
    # The advice is about releases: it applies to sources of a Helm release (or any tool
    # setting the standard instance label); without one there is no release to tell apart.
    # Over the whole group, kept sources too, as the name (Context.release_of_group).
    group = [c for c in ctx.conversions if ctx.same_group(c, first)] or convs
    releases = sorted({r for c in group if (r := release_of(c.source))})
    if holder != "Gateway" or not releases:
        return
    common = ctx.release_of_group(first)
    for gw in gateways:
        meta = gw["metadata"]
        where = f"{meta.get('namespace') or settings.namespace or '(release namespace)'}"
        new = (f"Gateway {where}/{meta['name']} is new: it usually gets a new load balancer "
               "and address (DNS moves to it at the cut-over)")
        if common:
            first.note(info("gateway/new-address",
                            f"{new}; it is named after release {common} (label "
                            f"{RELEASE_LABEL}) so that another release's Gateway in this "
                            "namespace does not collide with it; --gateway attaches the "
                            "routes to a shared Gateway instead"))
            continue
        why = (f"its Ingresses belong to several releases ({', '.join(releases)})"
               if len(releases) > 1 else
               f"not all its Ingresses carry release {releases[0]}'s label")
        first.note(info("gateway/new-address",
                        f"{new}; {why}, so it keeps the class name, which another release "
                        "converted on its own in this namespace would generate too (Helm "
                        "refuses an object of another release). --name-template "
                        + SUGGESTED + " names it per release; --gateway attaches to a shared "
                        "one"))
