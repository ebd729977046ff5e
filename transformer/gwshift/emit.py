"""Turn route plans into Gateway API objects: Gateways (listeners), routes, in fixed key order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from gwshift import continuity, generated_names, targets
from gwshift.context import CertificateChoice, Context, GatewayNamespace, SecretRef, host_covered
from gwshift.handlers._ir import source_hosts
from gwshift.model import HTTP, HTTPS, Conversion, Ingress, ListenerKey, Route, Rule
from gwshift.names import fit, gateway_name, listener_name, route_name, short_hash, slug
from gwshift.notes import Severity, info, warning
from gwshift.targets import Attachment

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.targets import Target

GW_GROUP = "gateway.networking.k8s.io"
GW_API = f"{GW_GROUP}/v1"
L4 = ("TCP", "UDP")  # listeners without hostnames
L4_ROUTES = ("TLSRoute", "TCPRoute", "UDPRoute")
MAX_LISTENERS = 64
MAX_RULES = 16
MAX_HOSTNAMES = 16
SOURCE_ANNOTATION = "gwshift.dev/source"
CARRIED_PREFIXES = ("helm.sh/", "meta.helm.sh/", "argocd.argoproj.io/", "postrenderer.helm.sh/")
Obj = dict[str, Any]
SHARED_NOTE = "gateway/shared-across-namespaces"


class GatewayPlan:
    # A plain slotted class, not a dataclass: ``dataclasses`` costs ~7 ms of start-up.
    __slots__ = ("gateways", "grants", "ingress_class", "namespace", "owner_doc", "sections")

    def __init__(self, namespace: str | None, ingress_class: str | None,
                 gateways: list[Obj] | None = None,
                 sections: dict[ListenerKey, tuple[str, str]] | None = None,
                 owner_doc: int = -1, grants: list[Obj] | None = None) -> None:
        self.namespace = namespace
        self.ingress_class = ingress_class
        self.gateways: list[Obj] = [] if gateways is None else gateways
        # listener -> (gateway name, listener name)
        self.sections: dict[ListenerKey, tuple[str, str]] = {} if sections is None else sections
        self.owner_doc = owner_doc
        # ReferenceGrants letting the Gateway read certificate Secrets of other namespaces;
        # written with the owner's objects (emit_routes), i.e. exactly when the Gateway is.
        self.grants: list[Obj] = [] if grants is None else grants


def source_ref(conv: Conversion) -> str:
    """``<Kind>/<name>`` of the source: the provenance annotation's value."""
    return f"{conv.source.kind}/{conv.source.name}"


def _terminates(key: ListenerKey) -> bool:
    return key.protocol == HTTPS or (key.protocol == "TLS" and key.tls_mode == "Terminate")


def _cert_ref(secret: SecretRef, gw_ns: str) -> Obj:
    ns, name = secret
    ref: Obj = {"kind": "Secret", "name": name}
    if ns and ns != gw_ns:  # a Secret of another namespace (a ReferenceGrant allows it)
        ref["namespace"] = ns
    return ref


def _listener(key: ListenerKey, name: str, secrets: list[SecretRef], gw_ns: str,
              allowed: list[str] | None, options: dict[str, str] | None = None,
              supplied: bool = False) -> Obj:
    """``supplied``: an HTTPS listener whose certificate the implementation finds itself
    (AWS: ACM): no ``tls`` block, the form its controller documents and v1.6.1 allows."""
    out: Obj = {"name": name}
    if key.hostname is not None and key.protocol not in L4:
        out["hostname"] = key.hostname
    out["port"] = key.port
    out["protocol"] = key.protocol
    if _terminates(key) and not supplied:
        out["tls"] = {"mode": "Terminate"}
        if secrets:
            out["tls"]["certificateRefs"] = [_cert_ref(s, gw_ns) for s in secrets]
        if options:  # certificates the implementation finds itself (GKE pre-shared-certs)
            out["tls"]["options"] = dict(options)
    elif key.protocol == "TLS":
        out["tls"] = {"mode": "Passthrough"}
    if allowed is not None:
        out["allowedRoutes"] = allowed_routes(allowed)
    return out


def allowed_routes(namespaces: list[str]) -> Obj:
    """Routes of exactly these namespaces may attach (never ``from: All``: a listener owns
    a hostname, and only the namespaces whose Ingresses served it may claim it)."""
    return {"namespaces": {"from": "Selector", "selector": {"matchExpressions": [
        {"key": "kubernetes.io/metadata.name", "operator": "In", "values": sorted(namespaces)}]}}}


def _allowed(users: set[str], gw_ns: str) -> list[str] | None:
    """Namespaces a listener must admit; None: only the Gateway's own (the default, Same)."""
    return None if users <= {gw_ns} else sorted(users)


def _listener_order(key: ListenerKey) -> tuple[int, str, int]:
    return (key.hostname is None, key.hostname or "", key.port)


def plan_gateway(convs: list[Conversion], ctx: Context) -> GatewayPlan:
    """Listeners are the union of what the group's routes need, sorted, ≤64 per Gateway.

    A group is one Ingress class (or a dialect's group) whatever the namespaces: its
    Gateway lives in one namespace (``Context.gateway_namespace``), each listener admits the
    routes of exactly the namespaces that use it, and certificate Secrets of other
    namespaces are referenced with a ReferenceGrant there."""
    # Position: the first Ingress in the stream; content: independent of document order.
    owner = min(convs, key=lambda c: c.source.doc)
    first = min(convs, key=lambda c: (c.source.namespace or "", c.source.name))
    where = ctx.gateway_namespace(convs)
    plan = GatewayPlan(where.namespace, first.ingress_class, owner_doc=owner.source.doc)
    gw_ns = ctx.namespace_of(plan.namespace) or ""
    options = tls_options(convs, ctx)
    supplied = supplied_certificates(convs, ctx)
    bare: set[ListenerKey] = set()  # HTTPS listeners whose certificate the target supplies
    keys: dict[ListenerKey, list[SecretRef]] = {}
    users: dict[ListenerKey, set[str]] = {}  # namespaces of the routes on each listener
    defaulted: set[str] = set()  # hosts served with --default-certificate
    for conv in sorted(convs, key=lambda c: (c.source.namespace or "", c.source.name)):
        route_ns = ctx.namespace_of(conv.source.namespace) or ""
        for route in conv.routes:
            for key in route.listeners:
                users.setdefault(key, set()).add(route_ns)
                if key in keys:
                    continue
                secrets: list[SecretRef] = []
                if _terminates(key) and key.hostname is not None:
                    choice = ctx.certificate_for(conv, key.hostname)
                    if choice is None and options:
                        keys[key] = []  # served with the option's certificates only
                        continue
                    if choice is None and key.protocol == HTTPS and key.hostname in supplied:
                        keys[key] = []
                        bare.add(key)
                        continue
                    if choice is None:
                        # The TLS entry may belong to an Ingress that is kept (blocked): then
                        # there is nothing to say about this one.
                        if _tls_without_secret(convs, key.hostname):
                            conv.note(warning("gateway/https-without-secret",
                                              f"host {key.hostname} has a TLS entry without "
                                              f"secretName; no {key.protocol} listener is "
                                              "emitted for it", field="spec.tls"))
                        continue
                    _certificate_notes(key.hostname, choice)
                    if choice.default:
                        defaulted.add(key.hostname.lower())
                    secrets = [choice.secret]
                elif _terminates(key):
                    secrets = sorted({(route_ns, t.secret) for t in conv.tls
                                      if t.secret and not t.hosts})
                    if not secrets and not options:
                        if key.protocol != HTTPS or "*" not in supplied:
                            continue
                        bare.add(key)
                keys[key] = secrets
    ordered = sorted(keys, key=_listener_order)
    _default_certificate_notes(convs, defaulted, ctx)
    _default_certificate_http_only(convs, {k.hostname for k in keys if _terminates(k)}, ctx)
    _namespace_note(first, where, ctx)
    base, taken = _gateway_base(first, ctx, plan.namespace)
    # An explicit --gateway-class mapping wins, then the dialect's conventional class.
    from gwshift.handlers import DIALECTS  # data only: no dialect module is imported
    gw_class = ctx.settings.gateway_class_for(first.ingress_class)
    entry = DIALECTS.get(first.dialect or "")
    if entry and all(s not in (first.ingress_class, "*") for s, _ in ctx.settings.gateway_class_map):
        gw_class = dict(entry.gateway_classes).get(first.ingress_class or "", gw_class)
    if not gw_class:
        gw_class = "default"
        for conv in convs:
            conv.note(warning("gateway/no-ingress-class",
                              "the Ingress has no class and the stream no default IngressClass; "
                              "the Gateway uses gatewayClassName 'default' (set --gateway-class)",
                              field="spec.ingressClassName"))
    chunks = [ordered[i : i + MAX_LISTENERS] for i in range(0, len(ordered), MAX_LISTENERS)] or [[]]
    for n, chunk in enumerate(chunks):
        name = base if n == 0 else fit(f"{base}-{n + 1}")
        if n and name in taken:  # another class's Gateway is called <base>-<n>
            name = fit(f"{name}-{short_hash(first.ingress_class or '')}")
        listeners, used = [], set()
        for key in chunk:
            lname = listener_name(key.protocol, key.hostname, key.port)
            if lname in used:
                lname = fit(f"{lname}-{short_hash(key.hostname or '')}")
            used.add(lname)
            listeners.append(_listener(key, lname, keys[key], gw_ns, _allowed(users[key], gw_ns),
                                       None if keys[key] else options, key in bare))
            plan.sections[key] = (name, lname)
        if not listeners:
            listeners.append({"name": "http", "port": 80, "protocol": HTTP})
        if ctx.settings.listener_set and ctx.settings.gateway is not None:
            plan.gateways.append(_listener_set(name, plan.namespace, listeners, first, ctx))
        else:
            plan.gateways.append(_gateway(name, plan.namespace, gw_class, listeners, first))
    plan.grants = _grants(base, gw_ns, [s for k in ordered for s in keys[k]], first, ctx)
    _cert_manager_note(plan, convs, first)
    continuity.on_gateways(plan.gateways, convs, ctx)  # cert-manager, external-dns target
    _default_certificate_cert_manager(plan, defaulted, first, ctx)
    generated_names.on_gateways(plan.gateways, convs, ctx)
    return plan


def tls_options(convs: list[Conversion], ctx: Context) -> dict[str, str]:
    """Listener ``tls.options`` the group's sources ask for (ListenerTLSOption intents) and
    the selected target can express: they hold the certificates of HTTPS listeners whose
    hosts have no Secret (Gateway API allows a Terminate listener with options only)."""
    from gwshift.intents import ListenerTLSOption

    wanted = [i for c in convs for i in c.gateway_intents if isinstance(i, ListenerTLSOption)]
    if not wanted:
        return {}
    target = targets.get(ctx.settings.target)
    values: dict[str, list[str]] = {}
    for i in wanted:
        if targets.refusal(target, i, ctx.settings) is None:
            for v in i.value.split(","):
                if v and v not in values.setdefault(i.key, []):
                    values[i.key].append(v)
    return {k: ",".join(v) for k, v in sorted(values.items())}


def supplied_certificates(convs: list[Conversion], ctx: Context) -> frozenset[str]:
    """Hosts (``"*"``: hostless) of the group whose HTTPS certificate the selected target
    supplies from the sources' gateway intents (``targets.supplied_certificates``)."""
    intents = [i for c in convs for i in c.gateway_intents]
    if not intents:
        return frozenset()
    return targets.supplied_certificates(targets.get(ctx.settings.target), intents, ctx.settings)


def _certificate_notes(host: str, choice: CertificateChoice) -> None:
    if choice.contested:
        ns, name = choice.secret
        choice.conv.note(warning(
            "gateway/tls-certificate-order",
            f"host {host}: {', '.join(choice.contested)} also "
            f"{'serves' if len(choice.contested) == 1 else 'serve'} it with another "
            f"certificate; the listener references Secret {ns + '/' if ns else ''}{name} of this "
            "Ingress, the one ingress-nginx uses when creation timestamps are equal (the last "
            "by namespace/name); ingress-nginx uses the oldest Ingress's, which a render "
            "cannot show: check which certificate should serve the host", field="spec.tls"))


def _default_certificate_notes(convs: list[Conversion], defaulted: set[str],
                               ctx: Context) -> None:
    """Each Ingress with a tls section whose rule hosts get --default-certificate is told
    so (without the option the nginx dialect warns that they are served on HTTP only)."""
    if not defaulted or ctx.settings.default_certificate is None:
        return
    ns, name = ctx.settings.default_certificate
    for conv in convs:
        if not isinstance(conv.source, Ingress) or not conv.source.tls:
            continue
        hosts = sorted(defaulted & source_hosts(conv))
        if not hosts:
            continue
        them = "it" if len(hosts) == 1 else "them"
        conv.note(info("ingress/tls-host-not-listed",
                       f"{', '.join(hosts)}: rule host{'s' if len(hosts) > 1 else ''} of this "
                       "Ingress, which has a tls section, but no TLS entry names a Secret for "
                       f"{them}: the controller served {them} with its default certificate "
                       "(ingress-nginx: --default-ssl-certificate), so "
                       f"the HTTPS listener{'s' if len(hosts) > 1 else ''} reference"
                       f"{'' if len(hosts) > 1 else 's'} --default-certificate Secret "
                       f"{ns}/{name} (ssl-redirect applies as to listed hosts)",
                       field="spec.tls"))


def _default_certificate_http_only(convs: list[Conversion], https: set[str | None],
                                   ctx: Context) -> None:
    """With --default-certificate the user says the controller's default certificate is a
    real one (often a wildcard): ingress-nginx answered HTTPS with it for every host, also
    of Ingresses without a tls section (no redirect there). A Gateway serves HTTPS only on
    listeners it has; say which hosts lose it."""
    if ctx.settings.default_certificate is None:
        return
    ns, name = ctx.settings.default_certificate
    for conv in convs:
        if not isinstance(conv.source, Ingress) or conv.source.tls:
            continue
        hosts = sorted(h for h in source_hosts(conv) if h not in https)
        if hosts:
            conv.note(info("gateway/default-certificate-http-only",
                           f"{', '.join(hosts)}: the controller also answered HTTPS for "
                           f"{'this host' if len(hosts) == 1 else 'these hosts'} with its "
                           f"default certificate ({ns}/{name}), without redirecting HTTP; this "
                           "Ingress has no tls section, so the Gateway serves "
                           f"{'it' if len(hosts) == 1 else 'them'} on HTTP only: add a tls "
                           "entry (with that Secret) if clients use HTTPS",
                           field="spec.tls"))


def _default_certificate_cert_manager(plan: GatewayPlan, defaulted: set[str], first: Conversion,
                                      ctx: Context) -> None:
    """cert-manager's gateway-shim issues a Certificate for every Secret a terminating
    listener of an annotated Gateway names in the Gateway's namespace: it would overwrite the
    controller's default certificate with one for these hosts."""
    if not defaulted or ctx.settings.default_certificate is None:
        return
    ns, name = ctx.settings.default_certificate
    for gw in plan.gateways:
        meta = gw["metadata"]
        if ctx.namespace_of(meta.get("namespace")) != ns or not any(
                k.startswith("cert-manager.io/") for k in meta.get("annotations", {})):
            continue
        first.note(warning("gateway/default-certificate-cert-manager",
                           f"{gw['kind']} {ns}/{meta['name']} carries cert-manager annotations "
                           f"and references the --default-certificate Secret {name} of its own "
                           f"namespace for {', '.join(sorted(defaulted))}: cert-manager's "
                           "gateway-shim would issue that Secret for these hosts, replacing "
                           "the default certificate; list the hosts in spec.tls with their own "
                           "Secret, or keep the default certificate in another namespace"))


def _namespace_note(first: Conversion, where: GatewayNamespace, ctx: Context) -> None:
    # Emit re-plans when a source gets kept: a group that no longer spans namespaces must
    # not keep the note of an earlier plan.
    group = ctx.group_of(first)
    for c in ctx.conversions:
        if any(n.code == SHARED_NOTE for n in c.notes) and ctx.group_of(c) == group:
            c.notes = [n for n in c.notes if n.code != SHARED_NOTE]
    if len(where.spans) < 2 or where.why == "single":
        return
    why = {"option": "set by --gateway-namespace",
           "release": "the release namespace; choose another with --gateway-namespace",
           "secrets": "the one holding most of their certificate Secrets, then the first by "
                      "name; choose another with --gateway-namespace",
           "first": "the first of them by name; choose another with --gateway-namespace"}
    first.note(info(SHARED_NOTE,
                    f"Ingresses of class {first.ingress_class or '(none)'} in namespaces "
                    f"{', '.join(where.spans)} share one Gateway, as ingress-nginx served "
                    "their hosts from one address whatever the namespace: it is written in "
                    f"namespace {where.namespace} ({why[where.why]}), and each listener admits "
                    "the routes of exactly the namespaces serving its host"))


def _cert_manager_note(plan: GatewayPlan, convs: list[Conversion], first: Conversion) -> None:
    """cert-manager's gateway-shim refuses listeners whose certificateRef names another
    namespace (``cross-namespace secret references are not allowed in listeners``): the
    Secrets it issued for those Ingresses would no longer be renewed."""
    managed = [c for c in convs if any(k.startswith("cert-manager.io/") for k, _ in c.source.annotations)]
    if not plan.grants or not managed:
        return
    secrets = sorted(f"{g['metadata']['namespace']}/{t['name']}" for g in plan.grants
                     for t in g["spec"]["to"])
    first.note(warning("gateway/cert-manager-cross-namespace",
                       f"the Gateway in namespace {plan.namespace} reads Secrets "
                       f"{', '.join(secrets)} of other namespaces, and cert-manager's "
                       "gateway-shim issues no certificate for a listener whose certificateRef "
                       "names another namespace: create Certificate objects for them in their "
                       "namespaces, or put the Gateway there with --gateway-namespace"))


def _grants(base: str, gw_ns: str, secrets: list[SecretRef], first: Conversion,
            ctx: Context) -> list[Obj]:
    """One ReferenceGrant per namespace whose certificate Secrets the Gateway reads: from
    Gateways (ListenerSets) of the Gateway's namespace, to exactly those Secrets."""
    wanted: dict[str, set[str]] = {}
    for ns, name in secrets:
        if ns and ns != gw_ns:
            wanted.setdefault(ns, set()).add(name)
    kind = "ListenerSet" if ctx.settings.listener_set and ctx.settings.gateway else "Gateway"
    out = []
    for ns in sorted(wanted):
        meta = _meta(fit(f"{base}-tls-from-{gw_ns}"), ns, first, labels=False)
        meta["annotations"] = _shared_annotations(meta["annotations"], first)
        out.append({"apiVersion": f"{GW_GROUP}/v1beta1", "kind": "ReferenceGrant",
                    "metadata": meta,
                    "spec": {"from": [{"group": GW_GROUP, "kind": kind, "namespace": gw_ns}],
                             "to": [{"group": "", "kind": "Secret", "name": n}
                                    for n in sorted(wanted[ns])]}})
    return out


def _tls_without_secret(convs: list[Conversion], host: str) -> bool:
    return any(not t.secret and any(host_covered(host, h) for h in t.hosts)
               for c in convs if not c.blocked for t in c.tls)


def group_gateway_name(conv: Conversion, ctx: Context) -> str:
    """The Gateway (ListenerSet) name of ``conv``'s group before de-duplication: the class,
    and, when a dialect groups otherwise (one load balancer per ALB IngressGroup or per GCE
    Ingress), the last part of its group key, so two groups of one class never share a name;
    prefixed with the Helm release when every source of the group belongs to one
    (``<release>-<class>``): each release is rendered and owned on its own (Helm refuses an
    object of another release), so two releases in one namespace must not both generate
    ``nginx``. --name-template, when set, decides alone."""
    named = generated_names.templated_gateway_name(conv, ctx.settings)  # --name-template
    if named:
        return named
    base = gateway_name(conv.ingress_class)
    key = ctx.group_of(conv)
    if not ctx.is_default_group(conv) and key and key[-1] and slug(str(key[-1])) != base:
        base = fit(f"{base}-{slug(str(key[-1]))}")
    release = ctx.release_of_group(conv)
    if release:
        base = fit(f"{slug(release)}-{base}")
    return base


class _GatewayNames:
    """Every group's Gateway names, by Gateway namespace, for one state of the run.

    Built once (and again only when an Ingress got kept meanwhile): asking every other
    group's name for each group made n groups in a namespace cost n^2 name computations
    (1 500 GCE Ingresses: 32 s). A source's name never changes during a run, so it is
    computed once per source; only which groups are live does."""

    __slots__ = ("by_conv", "by_ns", "state")

    def __init__(self) -> None:
        # The sources, and how many were kept, when ``by_ns`` was built.
        self.state: tuple[int, int, int] = (0, -1, -1)
        # id(conversion) -> (the conversion, kept alive so the id stays its, its name)
        self.by_conv: dict[int, tuple[Conversion, str]] = {}
        # namespace -> name -> groups whose Gateway may be called so there
        self.by_ns: dict[str | None, dict[str, set[tuple[str, ...]]]] = {}

    def refresh(self, ctx: Context) -> None:
        # ``blocked`` only ever turns on, so the count tells whether the live set changed.
        state = (id(ctx.conversions), len(ctx.conversions),
                 sum(1 for c in ctx.conversions if c.blocked))
        if state == self.state:
            return
        self.state = state
        groups: dict[tuple[str, ...], list[Conversion]] = {}
        for c in ctx.conversions:
            if c.routes and not c.blocked:
                groups.setdefault(ctx.group_of(c), []).append(c)
        self.by_ns = {}
        for key, members in groups.items():
            ns = ctx.namespace_of(ctx.gateway_namespace(members).namespace)
            names = self.by_ns.setdefault(ns, {})
            for c in members:
                names.setdefault(self.name(c, ctx), set()).add(key)

    def name(self, conv: Conversion, ctx: Context) -> str:
        found = self.by_conv.get(id(conv))
        if found is None:
            found = self.by_conv[id(conv)] = (conv, group_gateway_name(conv, ctx))
        return found[1]


class _Taken:
    """The base names of the groups other than ``mine`` whose Gateways go to one namespace
    (a membership test, not a set: building the set per group would be quadratic)."""

    __slots__ = ("mine", "names")

    def __init__(self, names: dict[str, set[tuple[str, ...]]], mine: tuple[str, ...]) -> None:
        self.names = names
        self.mine = mine

    def __contains__(self, name: object) -> bool:
        groups = self.names.get(name, ()) if isinstance(name, str) else ()
        return any(g != self.mine for g in groups)


def _gateway_base(conv: Conversion, ctx: Context, gw_ns: str | None) -> tuple[str, _Taken]:
    """The Gateway name of ``conv``'s group and the base names of the other groups whose
    Gateways go to the same namespace ``gw_ns``.

    Classes that slug alike (``a.b``/``a-b``, no class/``default``) get a hash of the class.
    """
    index = ctx.gateway_names
    if not isinstance(index, _GatewayNames):
        index = ctx.gateway_names = _GatewayNames()
    index.refresh(ctx)
    mine = ctx.group_of(conv)
    taken = _Taken(index.by_ns.get(ctx.namespace_of(gw_ns), {}), mine)
    base = index.name(conv, ctx)
    if base in taken and base != conv.ingress_class:  # a class named exactly so keeps it
        base = fit(f"{base}-{short_hash(repr(mine))}")
    return base, taken


def _listener_set(name: str, ns: str | None, listeners: list[Obj], conv: Conversion,
                  ctx: Context) -> Obj:
    assert ctx.settings.gateway is not None
    gw_ns, gw_name = ctx.settings.gateway
    parent: Obj = {"name": gw_name}
    if gw_ns:
        parent["namespace"] = gw_ns
    conv.note(info("gateway/allowed-listeners-required",
                   f"ListenerSet {name} attaches to Gateway {gw_ns}/{gw_name}: the Gateway must "
                   "allow it (spec.allowedListeners.namespaces.from: Same, All or a Selector)"))
    meta = _meta(name, ns, conv, labels=False)
    meta["annotations"] = _shared_annotations(meta["annotations"], conv)
    return {"apiVersion": GW_API, "kind": "ListenerSet", "metadata": meta,
            "spec": {"parentRef": parent, "listeners": listeners}}


def _meta(name: str, ns: str | None, conv: Conversion, labels: bool) -> Obj:
    meta: Obj = {"name": name}
    if ns:
        meta["namespace"] = ns
    if labels and conv.labels:
        meta["labels"] = dict(conv.labels)
    ann = {k: v for k, v in conv.source.annotations if k.startswith(CARRIED_PREFIXES)}
    ann[SOURCE_ANNOTATION] = source_ref(conv)
    meta["annotations"] = dict(sorted(ann.items()))
    return meta


def _shared_annotations(ann: dict[str, str], conv: Conversion) -> dict[str, str]:
    """A Gateway serves many Ingresses: never make it a Helm hook because one Ingress is."""
    out = {k: v for k, v in ann.items() if not k.startswith("helm.sh/hook")}
    out[SOURCE_ANNOTATION] = f"IngressClass/{conv.ingress_class or '-'}"
    return out


def _gateway(name: str, ns: str | None, cls: str, listeners: list[Obj], conv: Conversion) -> Obj:
    meta = _meta(name, ns, conv, labels=False)
    meta["annotations"] = _shared_annotations(meta["annotations"], conv)
    return {"apiVersion": GW_API, "kind": "Gateway", "metadata": meta,
            "spec": {"gatewayClassName": cls, "listeners": listeners}}


def _parent_refs(route: Route, conv: Conversion, ctx: Context, plan: GatewayPlan | None) -> list[Obj]:
    if ctx.settings.gateway is not None and not ctx.settings.listener_set:
        ns, name = ctx.settings.gateway
        ref: Obj = {"name": name}
        if ns:
            ref["namespace"] = ns
        protocols = {k.protocol for k in route.listeners}
        if len(protocols) == 1:
            ref["port"] = route.listeners[0].port
        return [ref]
    assert plan is not None
    refs, seen = [], set()
    for key in sorted(route.listeners, key=_listener_order):
        section = plan.sections.get(key)
        if section is None or section in seen:
            continue
        seen.add(section)
        # A group spans namespaces (one Gateway per class; an ALB IngressGroup).
        other_ns = ctx.namespace_of(plan.namespace) != ctx.namespace_of(conv.source.namespace)
        if ctx.settings.listener_set:
            ref = {"group": GW_GROUP, "kind": "ListenerSet", "name": section[0]}
        else:
            ref = {"name": section[0]}
        if other_ns:
            ref["namespace"] = plan.namespace or ""
        ref["sectionName"] = section[1]
        refs.append(ref)
    return refs


def _rule_dict(rule: Rule, kind: str, extra_filters: list[Obj]) -> Obj:
    out: Obj = {}
    if rule.name:
        out["name"] = rule.name
    if kind in L4_ROUTES:  # TLS/TCP/UDP routes: no matches, filters or timeouts
        if extra_filters:
            raise AssertionError(f"a target returned filters for a {kind}")
        if rule.backends:
            out["backendRefs"] = [b.to_dict() for b in rule.backends]
        return out
    matches = [m for m in (m.to_dict() for m in rule.matches) if m]
    if kind == "GRPCRoute":
        matches = [m for m in (_grpc_match(m) for m in matches) if m]
    if matches:
        out["matches"] = matches
    filters = rule.filters + extra_filters
    if filters:
        out["filters"] = unshared(filters)  # the same target filter goes on several rules
    if rule.backends:
        out["backendRefs"] = [b.to_dict() for b in rule.backends]
    if rule.timeouts and kind == "HTTPRoute":
        out["timeouts"] = rule.timeouts
    if rule.retry and kind == "HTTPRoute":
        out["retry"] = rule.retry
    if rule.session_persistence:
        out["sessionPersistence"] = rule.session_persistence
    return out


def unshared(value: Any) -> Any:
    """A copy of ``value`` in which no dict or list appears twice.

    Targets hand the same filter dict to every rule in scope, and a rule split across route
    objects shares its dicts; a YAML writer turns a repeated container into an anchor and
    alias (``&id001``/``*id001``), which gwshift's reader and many tools refuse. Unlike
    ``copy.deepcopy`` (whose memo keeps the sharing), every occurrence gets its own copy.
    """
    if isinstance(value, dict):
        return {k: unshared(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unshared(v) for v in value]
    return value


def _grpc_match(m: Obj) -> Obj:
    """GRPCRoute matches have no path; a ``GRPCMethod`` path (``service[/method]``, set by a
    dialect from a gRPC path) becomes the method match."""
    path = m.pop("path", None)
    if path and path.get("type") == "GRPCMethod":
        service, _, method = str(path["value"]).partition("/")
        m = {"method": {"type": "Exact", "service": service, **({"method": method} if method else {})},
             **m}
    return m


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [[]]


def _existing_gateway_notes(conv: Conversion, ctx: Context) -> None:
    assert ctx.settings.gateway is not None
    gw_ns, gw_name = ctx.settings.gateway
    route_ns = ctx.namespace_of(conv.source.namespace)
    if gw_ns and route_ns != gw_ns:
        conv.note(info("gateway/allowed-routes-required",
                       f"routes in namespace {route_ns or '(release namespace)'} attach to Gateway "
                       f"{gw_ns}/{gw_name}: its listeners must allow them (allowedRoutes."
                       "namespaces.from: All or a Selector)"))
    for t in conv.tls:
        if t.secret:
            conv.note(warning("gateway/tls-on-existing-gateway",
                              f"TLS Secret {t.secret} for {', '.join(t.hosts) or 'all hosts'} must "
                              f"be configured on the existing Gateway {gw_ns}/{gw_name} (gwshift "
                              "does not modify it)", field=t.field))


class Emitted(NamedTuple):
    routes: list[Obj]  # route objects, in route order
    objects: list[Obj]  # objects the target expressed intents as (written after the routes)


def name_rules(conv: Conversion) -> None:
    """Rules that carry intents get a name (``rule-<n>``, n: index in the route) so that
    policies can target them with sectionName; other rules stay unnamed (today's output)."""
    for route in conv.routes:
        for i, rule in enumerate(route.rules):
            if rule.intents and not rule.name:
                rule.name = f"rule-{i}"


def emit_routes(conv: Conversion, ctx: Context, plan: GatewayPlan | None,
                target: Target | None = None) -> Emitted:
    """Route objects of ``conv`` and what ``target`` (default: the selected one) expressed
    its route and rule intents as; filters land on the rules in scope."""
    target = target or targets.get(ctx.settings.target)
    # A target whose rule-scoped policy replaces the route-scoped one for that rule (Envoy
    # Gateway) needs the route's intents in the rule's policy too, or a rule with its own
    # intent would lose the route-wide control (an allowlist).
    replaces = targets.rule_replaces_route(target)
    out = Emitted([], [])
    if ctx.settings.gateway is not None and conv.routes and not ctx.settings.listener_set:
        _existing_gateway_notes(conv, ctx)
    ns = conv.source.namespace
    for route in conv.routes:
        by_host = _listeners_by_host(route)
        for name, hosts, rules in _pieces(conv.names.get(route.kind, conv.source.name), route):
            sub = Route(route.kind, route.suffix, hosts, rules, _piece_listeners(by_host, hosts))
            route_filters: list[Obj] = []
            route_swaps: list[targets.BackendSwap] = []
            if route.intents:
                att = Attachment("route", route.kind, name, ns, None, conv.source.ref)
                route_filters = _express(conv, target, att, route.intents, ctx, out.objects,
                                         route_swaps)
            extra: list[list[Obj]] = []
            rule_swaps: list[list[targets.BackendSwap]] = []
            for rule in rules:
                # Route-wide filters guard what is proxied: a redirect rule answers first
                # (nginx's return runs before its access checks).
                forwards = rule.backends and not any(
                    f.get("type") == "RequestRedirect" for f in rule.filters)
                filters = list(route_filters) if forwards else []
                swaps = list(route_swaps) if forwards else []
                if rule.intents:
                    att = Attachment("rule", route.kind, name, ns, rule.name, conv.source.ref)
                    if replaces:
                        # The rule's own attachment carries the route's intents (only where
                        # route-wide filters apply), so its filters replace the route's.
                        inherited = route.intents if forwards else []
                        swaps = []
                        filters = _express(conv, target, att, [*inherited, *rule.intents], ctx,
                                           out.objects, swaps)
                    else:
                        filters += _express(conv, target, att, rule.intents, ctx, out.objects,
                                            swaps)
                extra.append(filters)
                rule_swaps.append(swaps)
            route_obj = _route_obj(name, sub, conv, ctx, plan, extra)
            # Backends a target replaces (Expressed.backends) on the same rules as its filters.
            for rule_dict, swaps in zip(route_obj["spec"]["rules"], rule_swaps, strict=True):
                for swap in swaps:
                    targets.swap_backends(rule_dict, swap, out.objects)
            out.routes.append(route_obj)
    if plan is not None and conv.source.doc == plan.owner_doc:
        out.objects.extend(plan.grants)  # the owner writes the Gateway, so its grants too
    continuity.on_source(conv, ctx, [r["metadata"]["name"] for r in out.routes])
    return out


def express_gateway(convs: list[Conversion], plan: GatewayPlan | None, ctx: Context,
                    target: Target) -> list[Obj]:
    """Gateway intents of a group, expressed once per Gateway (or ListenerSet) serving it."""
    intents = [i for c in convs for i in c.gateway_intents]
    if not intents:
        return []
    owner = min(convs, key=lambda c: c.source.doc)
    if plan is None:
        assert ctx.settings.gateway is not None
        gw_ns, gw_name = ctx.settings.gateway
        parents = [("Gateway", gw_name, gw_ns or ctx.namespace_of(owner.source.namespace))]
    else:
        parents = [(g["kind"], g["metadata"]["name"], g["metadata"].get("namespace"))
                   for g in plan.gateways]
    objects: list[Obj] = []
    for kind, name, ns in parents:
        att = Attachment("gateway", kind, name, ns, None, owner.source.ref)
        start = len(objects)
        if _express(owner, target, att, intents, ctx, objects):
            raise AssertionError(f"target {target.name} returned filters for a {kind}")
        ref = targets.gateway_parameters(target, objects[start:]) if plan is not None else None
        if ref is not None and plan is not None and kind == "Gateway":
            # The implementation reads its settings object only through this reference.
            gw = next(g for g in plan.gateways if g["kind"] == kind and g["metadata"]["name"] == name)
            gw["spec"].setdefault("infrastructure", {})["parametersRef"] = ref
    if owner.blocked:
        # A Gateway-scope control that could not be expressed: every source that asked for
        # one is kept (which one asked for the failing intent is not known here).
        errors = [n for n in owner.notes if n.severity is Severity.ERROR]
        for conv in convs:
            if conv is not owner and conv.gateway_intents and not conv.blocked:
                for n in errors[-1:]:
                    conv.block(n._replace(obj=None, doc=None))
        return []
    return objects


def _express(conv: Conversion, target: Target, att: Attachment, intents: list[Intent],
             ctx: Context, objects: list[Obj],
             swaps: list[targets.BackendSwap] | None = None) -> list[Obj]:
    """Ask the target; its objects join ``objects``, its backend swap ``swaps``, its filters
    are returned."""
    wanted = [i for i in intents if targets.refusal(target, i, ctx.settings) is None
              and targets.placement_refusal(target, i, att.scope, att.kind) is None]
    if not wanted:
        return []  # refused intents were turned into notes before emit (checks.unconsumed)
    done = target.express(att, wanted, ctx.settings)
    for n in done.notes:
        # Backstop: an intent express could not honour is an error note; converting the
        # source anyway would drop the control, so the source is kept (plan re-plans).
        (conv.block if n.severity is Severity.ERROR else conv.note)(n)
    objects.extend(done.objects)
    if done.backends is not None and swaps is not None:
        swaps.append(done.backends)
    return list(done.filters)


def _listeners_by_host(route: Route) -> dict[str | None, list[tuple[int, ListenerKey]]]:
    """The route's listeners by hostname, with their positions (each piece of a route with
    thousands of hosts picks its own without scanning them all: issue 19)."""
    by_host: dict[str | None, list[tuple[int, ListenerKey]]] = {}
    for i, key in enumerate(route.listeners):
        by_host.setdefault(key.hostname, []).append((i, key))
    return by_host


def _piece_listeners(by_host: dict[str | None, list[tuple[int, ListenerKey]]],
                     hosts: list[str]) -> list[ListenerKey]:
    """The listeners of a piece serving ``hosts``: the hostless ones and those of its hosts,
    in the route's order."""
    picked = list(by_host.get(None, ()))
    for host in dict.fromkeys(hosts):
        picked.extend(by_host.get(host, ()))
    return [key for _, key in sorted(picked, key=lambda p: p[0])]


def _pieces(ingress: str, route: Route) -> list[tuple[str, list[str], list[Rule]]]:
    """A route split into objects of ≤16 hostnames and ≤16 rules: ``<name>``, ``<name>-2``, ..."""
    base = route_name(ingress, route.suffix)
    pieces: list[tuple[str, list[str], list[Rule]]] = []
    for hosts in _chunks(route.hostnames, MAX_HOSTNAMES):
        for rules in _chunks(route.rules, MAX_RULES):
            n = len(pieces)
            pieces.append((base if n == 0 else route_name(base, str(n + 1)), hosts, rules))
    return pieces


def route_object_names(conv: Conversion) -> list[tuple[str, str]]:
    """(kind, name) of every route object ``emit_routes`` writes for ``conv``."""
    return [(route.kind, name) for route in conv.routes
            for name, _, _ in _pieces(conv.names.get(route.kind, conv.source.name), route)]


def _route_obj(name: str, route: Route, conv: Conversion, ctx: Context,
               plan: GatewayPlan | None, extra: list[list[Obj]]) -> Obj:
    spec: Obj = {"parentRefs": _parent_refs(route, conv, ctx, plan)}
    if route.hostnames and route.kind not in ("TCPRoute", "UDPRoute"):
        spec["hostnames"] = list(route.hostnames)
    spec["rules"] = [_rule_dict(r, route.kind, f) for r, f in zip(route.rules, extra, strict=True)]
    meta = _meta(name, conv.source.namespace, conv, labels=True)
    meta["annotations"] = continuity.route_annotations(conv, meta["annotations"])
    return {"apiVersion": GW_API, "kind": route.kind, "metadata": meta, "spec": spec}
