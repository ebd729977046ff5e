"""Implementation targets: who expresses the policy intents that dialects record.

``TARGETS`` is the explicit registry (name -> module); a module exposes ``TARGET`` (a
:class:`Target`). Modules are imported only when selected, so start-up stays lean.

A target is one table (intent type -> :class:`Capability`) plus one ``express`` function.
The table is the single source of truth for "can this target express X" (the fail-closed
check), for the docs matrix (dialect annotation x target) and for ``--help``/``explain``.
``express`` receives every intent of one attachment at once, because several intents often
become one object (one Envoy Gateway SecurityPolicy per route holds authorization, basic
auth and external auth together: two policies on one route would conflict).

Pipeline (plan.py, emit.py): after the dialects' ``refine``, ``checks.unconsumed`` asks
``refusal(target, intent, settings)`` for every intent; a refused security intent keeps the
source (error ``by.code``: "<by.key> cannot be converted: <by.why>[ (<reason>)]; ..."), a
refused other one is a warning ``by.code`` with ``by.why``. Then the dialects' ``passes``
run, rules with intents get ``name`` ``rule-<index in the route>``, and emit calls
``express`` once per attachment with the intents the target accepts:

* route scope (``Route.intents``): once per route object (a route split at 16 rules or
  hostnames gives ``<name>``, ``<name>-2`` ...); filters go on every rule of that object
  that forwards (has backends and no RequestRedirect);
* rule scope (``Rule.intents``): ``section`` is the rule name; filters go on that rule;
* gateway scope (``Conversion.gateway_intents`` of every source of a Gateway group): once
  per generated Gateway/ListenerSet (or the ``--gateway`` one); no filters.

Objects are written after the source's routes (Gateway-scope ones after its Gateways'
first source), each (apiVersion, kind, namespace, name) once: an identical repeat is
dropped, a different one is a ``gateway/object-conflict`` warning.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from gwshift.errors import UsageError

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.notes import Note, ObjRef
    from gwshift.settings import Settings

Scope = Literal["route", "rule", "gateway"]
HTTP_KINDS = ("HTTPRoute", "GRPCRoute")  # route kinds that take filters
Level = Literal["converted", "approximated"]


class Attachment(NamedTuple):
    """Where intents apply; known only after emit has named the objects.

    ``scope`` route: every rule of route object ``name``; rule: the rule named ``section``
    of it (policies use ``targetRefs[].sectionName``, filters go on that rule only);
    gateway: the Gateway (or ListenerSet) ``name``, listener ``section`` if any.
    """

    scope: Scope
    kind: str  # HTTPRoute | GRPCRoute | TLSRoute | TCPRoute | UDPRoute | Gateway | ListenerSet
    name: str
    namespace: str | None
    section: str | None
    source: ObjRef  # the source object the intents came from (names, notes)


# Replaces one Service backendRef of a rule in scope (the dict emit writes) by a reference
# to the target's own backend object: (new backendRef, objects it needs), or None to keep it
# (Envoy Gateway: a Backend for backend TLS nginx did not verify).
BackendSwap = Callable[[dict[str, Any]], "tuple[dict[str, Any], list[dict[str, Any]]] | None"]


class Expressed(NamedTuple):
    objects: list[dict[str, Any]]  # new objects (policies, Middlewares, ReferenceGrants ...)
    filters: list[dict[str, Any]]  # appended to every rule in scope (route/rule scope only)
    notes: list[Note]
    # Applied to the Service backendRefs of the same rules as ``filters`` (swap_backends).
    backends: BackendSwap | None = None


def swap_backends(rule: dict[str, Any], swap: BackendSwap | None,
                  objects: list[dict[str, Any]]) -> None:
    """Apply a target's ``Expressed.backends`` to the Service backendRefs of one emitted
    rule; the objects they need join ``objects`` (written once, like every target object)."""
    refs: list[dict[str, Any]] = rule.get("backendRefs") or []
    for i, ref in enumerate(refs if swap is not None else []):
        if ref.get("group") or ref.get("kind", "Service") != "Service":
            continue
        done = swap(ref) if swap is not None else None
        if done is not None:
            refs[i], extra = done
            objects.extend(extra)


def _never(intent: Any) -> str | None:
    return None


class Capability(NamedTuple):
    level: Level
    how: str  # one line for the docs matrix, e.g. "SecurityPolicy authorization clientCIDRs"
    # Why this target cannot express this particular intent value (e.g. a deny list on
    # Traefik), or None when it can. Checked before emit: a refusal fails closed as usual
    # (the reason is added to the dialect's; "" refuses with nothing to add).
    refuses: Callable[[Any], str | None] = _never
    # Why the target cannot express this intent type under these settings (e.g. an
    # experimental-channel filter on the standard channel), or None.
    unavailable: Callable[[Settings], str | None] = _never


Express = Callable[[Attachment, Sequence["Intent"], "Settings"], Expressed]


class Target(NamedTuple):
    name: str
    title: str  # "Envoy Gateway 1.9"
    table: Mapping[type, Capability]
    express: Express
    api_groups: tuple[str, ...] = ()  # API groups of the objects it emits (validation)


TARGETS: dict[str, str] = {
    "standard": "gwshift.targets.standard",
    "envoy-gateway": "gwshift.targets.envoy_gateway",
    "nginx-gateway-fabric": "gwshift.targets.nginx_gateway_fabric",
    "traefik": "gwshift.targets.traefik",
    "kong": "gwshift.targets.kong",
    "istio": "gwshift.targets.istio",
    "gke": "gwshift.targets.gke",
    "aws": "gwshift.targets.aws",
}


def get(name: str) -> Target:
    module = TARGETS.get(name)
    if module is None:
        raise UsageError(f"unknown target {name!r}; choose one of {', '.join(TARGETS)}")
    target: Target = importlib.import_module(module).TARGET
    return target


def module_table(target: Target, attr: str) -> dict[type, Any]:
    """A per-intent-type table of the target's module (``SCOPES``, ``KINDS``, ``GAPS``)."""
    module = TARGETS.get(target.name)
    table = getattr(importlib.import_module(module), attr, {}) if module else {}
    return table if isinstance(table, dict) else {}


def rule_replaces_route(target: Target) -> bool:
    """Whether a rule-scoped policy of ``target`` replaces the route-scoped one for that rule
    (module flag ``RULE_REPLACES_ROUTE``): emit then gives rule attachments the route's
    intents as well."""
    module = TARGETS.get(target.name)
    return bool(module and getattr(importlib.import_module(module), "RULE_REPLACES_ROUTE", False))


def placement_refusal(target: Target, intent: Intent, scope: Scope, kind: str) -> str | None:
    """Why ``target`` cannot attach ``intent`` at ``scope`` on a ``kind`` object without
    widening or dropping it (None: it can). ``SCOPES``/``KINDS`` list, per intent type, the
    scopes and object kinds it attaches to; a type not in SCOPES attaches at any scope, one
    not in KINDS to HTTP and gRPC routes (and at gateway scope to the Gateway)."""
    scopes = module_table(target, "SCOPES").get(type(intent))
    if scopes is not None and scope not in scopes:
        return (f"target {target.name} cannot attach it at {scope} scope without widening it "
                f"(only at {'/'.join(scopes) or 'no'} scope)")
    kinds = module_table(target, "KINDS").get(type(intent))
    if kinds is None and scope != "gateway":
        # Filters and most policies exist for HTTP and gRPC routes only: a TLS/TCP/UDP route
        # has no filters, so a target must list an L4 kind in KINDS to take it there.
        kinds = HTTP_KINDS
    if kinds is not None and kind not in kinds:
        return f"target {target.name} cannot attach it to a {kind}"
    return None


def supplied_certificates(target: Target, intents: Sequence[Intent],
                          settings: Settings | None = None) -> frozenset[str]:
    """Hosts (``"*"``: a listener without hostname) whose HTTPS certificate ``target``
    supplies itself, from the intents it accepts (module hook ``certificate_hosts(intent)``;
    AWS: ACM certificates in the LoadBalancerConfiguration, or found by host name). emit
    writes their HTTPS listeners without a ``tls`` block: no Secret to reference."""
    module = TARGETS.get(target.name)
    hook = getattr(importlib.import_module(module), "certificate_hosts", None) if module else None
    if hook is None:
        return frozenset()
    return frozenset(h for i in intents if refusal(target, i, settings) is None for h in hook(i))


def gateway_parameters(target: Target, objects: Sequence[dict[str, Any]]) -> dict[str, str] | None:
    """The ``spec.infrastructure.parametersRef`` a generated Gateway needs for the objects
    ``target`` expressed for it (module hook ``gateway_parameters(objects)``; AWS: its
    LoadBalancerConfiguration), or None."""
    module = TARGETS.get(target.name)
    hook = getattr(importlib.import_module(module), "gateway_parameters", None) if module else None
    return hook(objects) if hook is not None else None


def refusal(target: Target, intent: Intent, settings: Settings | None = None) -> str | None:
    """Why ``target`` cannot express ``intent`` (None: it can)."""
    cap = target.table.get(type(intent))
    if cap is None:
        return f"target {target.name} has no equivalent"
    if settings is not None:
        unavailable = cap.unavailable(settings)
        if unavailable is not None:
            return unavailable
    return cap.refuses(intent)
