"""Stream-wide facts that conversion stages may consult (Services, ConfigMaps, classes, TLS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal, NamedTuple

from gwshift import handlers
from gwshift.handlers import GroupKey
from gwshift.handlers._ir import source_hosts
from gwshift.model import Conversion, Ingress
from gwshift.settings import Settings


def host_covered(host: str | None, tls_host: str) -> bool:
    """Whether a TLS host entry covers a rule host (wildcards cover one or more labels)."""
    if host is None:
        return False
    host = host.lower()
    tls_host = tls_host.lower()
    if host == tls_host:
        return True
    if tls_host.startswith("*."):
        suffix = tls_host[1:]
        # A certificate's wildcard covers exactly one label (RFC 6125), unlike a listener's.
        label = host[: -len(suffix)] if host.endswith(suffix) else ""
        return bool(label) and "." not in label and label != "*"
    return False


Finder = Callable[[str | None, str], dict[str, Any] | None]
SecretRef = tuple[str, str]  # (namespace, name); namespace "" when unknown (release namespace)


class TLSEntry(NamedTuple):
    conv: Conversion
    position: int  # of the entry in the source's TLS entries
    host: str  # the TLS host entry (lower case), possibly a wildcard
    secret: SecretRef | None  # None: entry without secretName


class CertificateChoice(NamedTuple):
    secret: SecretRef
    conv: Conversion  # the source whose TLS entry names it
    others: list[SecretRef]  # other Secrets covering the host, not referenced
    contested: list[str]  # sources whose different Secret only loses on Ingress order
    default: bool = False  # --default-certificate: no entry of the group names a Secret


class GatewayNamespace(NamedTuple):
    namespace: str | None  # None: the release namespace (as the sources wrote it)
    spans: list[str]  # namespaces of the group's sources, sorted ("" unknown)
    why: Literal["option", "single", "release", "secrets", "first"]


class Context:
    # A plain class, not a dataclass: ``dataclasses`` costs ~7 ms of start-up (issue 12).
    def __init__(self, settings: Settings, finders: dict[str, Finder],
                 ingress_class_controllers: dict[str, str] | None = None,
                 default_ingress_class: str | None = None,
                 conversions: list[Conversion] | None = None) -> None:
        self.settings = settings
        # Lazy lookups of objects elsewhere in the stream, per kind: (namespace, name) ->
        # object. The kinds are the core's own reads plus what the registered dialects declare.
        self.finders = finders
        self.ingress_class_controllers: dict[str, str] = (
            {} if ingress_class_controllers is None else ingress_class_controllers)
        self.default_ingress_class = default_ingress_class
        self.conversions: list[Conversion] = [] if conversions is None else conversions
        self._tls_cache: dict[GroupKey, dict[str, list[TLSEntry]]] | None = None
        self._release_cache: dict[GroupKey, str | None] | None = None
        # Rule hosts of the group's Ingresses that have a tls section (lower case).
        self._tls_ruled_cache: dict[GroupKey, set[str]] | None = None
        # emit's per-run index of every group's Gateway name (built once, not per group).
        self.gateway_names: object | None = None
        # id(Ingress source) -> (the source, its rule hosts): see _source_hosts.
        self._hosts_cache: dict[int, tuple[Any, set[str]]] = {}

    def invalidate_tls(self) -> None:
        """A dialect added TLS entries (e.g. a placeholder certificate): re-index them."""
        self._tls_cache = None
        self._tls_ruled_cache = None

    def find(self, kind: str, ns: str | None, name: str) -> dict[str, Any] | None:
        """The object of ``kind`` named ``name`` in ``ns`` (None: release namespace)."""
        finder = self.finders.get(kind)
        if finder is None:
            raise AssertionError(f"{kind} is read by a dialect but not declared in its "
                                 "DialectEntry.reads")
        return finder(ns, name)

    def unreadable(self, kind: str, ns: str | None, name: str) -> str | None:
        """Why the object of ``kind`` named ``name`` in ``ns`` could not be read when it is
        in the input but ``find`` returned None (aliases, refused or broken YAML), else None.

        ``find`` answers None for both "absent" and "present but unreadable"; a note must not
        say a Middleware, FrontendConfig or BackendConfig "is not in the input" when it is
        there (issue 19): ``missing_phrase`` words both. Only asked after a miss: loading the
        candidate again costs nothing on the normal path."""
        finder = self.finders.get(kind)
        index = getattr(finder, "index", None)  # lookup._Lazy: the lexical key index
        if finder is None or not isinstance(index, dict):
            return None
        key = (ns or getattr(finder, "default_ns", None), name)
        entries: Any = index.get(key, ())
        from gwshift.inventory import Item, LoadError

        for entry in entries if isinstance(entries, (list, tuple)) else (entries,):
            if not isinstance(entry, Item):
                continue  # a List child, loaded already: readable
            try:
                entry.obj()
            except LoadError as exc:
                from gwshift.notes import escape

                return escape(str(exc))[:200] or "not readable"
            finally:
                entry.forget()
        return None

    def missing_phrase(self, kind: str, ns: str | None, name: str) -> str:
        """``is not in the input``, or ``is in the input but could not be read (<why>)``: the
        words a note uses for an object ``find`` did not return."""
        why = self.unreadable(kind, ns, name)
        if why is None:
            return "is not in the input"
        return f"is in the input but could not be read ({why})"

    def find_service(self, ns: str | None, name: str) -> dict[str, Any] | None:
        return self.find("Service", ns, name)

    def find_configmap(self, ns: str | None, name: str) -> dict[str, Any] | None:
        return self.find("ConfigMap", ns, name)

    def namespace_of(self, ns: str | None) -> str | None:
        return ns or self.settings.namespace

    def same_group(self, a: Conversion, b: Conversion) -> bool:
        return self.group_of(a) == self.group_of(b)

    def _tls_index(self, conv: Conversion) -> dict[str, list[TLSEntry]]:
        """TLS host -> entries of the Gateway group of ``conv``, in stream order.

        Built once per group: dialects do not change TLS entries, and scanning every
        Ingress per host would make large streams quadratic. A group spans namespaces (one
        Gateway per class, as ingress-nginx serves a host from one server whatever the
        namespace), so a host's TLS coverage is the whole group's.
        """
        key = self.group_of(conv)
        if self._tls_cache is None:
            self._tls_cache = {}
            for other in self.conversions:
                # A kept (blocked) Ingress's Secret still exists and its host still has TLS.
                index = self._tls_cache.setdefault(self.group_of(other), {})
                ns = self.namespace_of(other.source.namespace) or ""
                for n, t in enumerate(other.tls):
                    ref = (ns, t.secret) if t.secret else None
                    for h in t.hosts:
                        index.setdefault(h.lower(), []).append(TLSEntry(other, n, h.lower(), ref))
        return self._tls_cache.get(key, {})

    def group_of(self, conv: Conversion) -> GroupKey:
        """Which Gateway serves ``conv``: its dialect's ``group_key`` (ALB IngressGroup),
        else one Gateway per Ingress class, whatever the namespaces (ingress-nginx serves a
        host from one server block; two Gateways would be two addresses claiming it). The
        only grouping function. Sources without a known namespace (none in the object, no
        --namespace) form their own group: routes elsewhere could not name theirs."""
        custom = handlers.load(conv.dialect).group_key if conv.dialect is not None else None
        if custom is not None:
            return custom(conv, self)
        known = "" if self.namespace_of(conv.source.namespace) else "?"
        return (known, conv.ingress_class or "")

    def release_of_group(self, conv: Conversion) -> str | None:
        """The Helm release every source of ``conv``'s Gateway group belongs to (None: no
        release label, or several releases). Counted over every source of the group, kept
        ones too, so a name does not change when a source gets kept; built once."""
        if self._release_cache is None:
            from gwshift.generated_names import group_release

            members: dict[GroupKey, list[Conversion]] = {}
            for other in self.conversions:
                members.setdefault(self.group_of(other), []).append(other)
            self._release_cache = {k: group_release(v) for k, v in members.items()}
        key = self.group_of(conv)
        if key not in self._release_cache:  # not (yet) among ctx.conversions
            from gwshift.generated_names import release_of

            return release_of(conv.source)
        return self._release_cache[key]

    def is_default_group(self, conv: Conversion) -> bool:
        """Whether ``conv`` is grouped by class (no dialect ``group_key``)."""
        return conv.dialect is None or handlers.load(conv.dialect).group_key is None

    def gateway_namespace(self, convs: list[Conversion]) -> GatewayNamespace:
        """Where the Gateway of a group goes, and the namespaces of its sources.

        --gateway-namespace wins for class groups; else a group within one namespace keeps
        its Gateway there (the first source's namespace as written, None: the release
        namespace); a class group spanning namespaces goes to the release namespace when it
        is one of them, else the one holding most certificate Secrets, else the first by name
        (deterministic; a note says so)."""
        first = min(convs, key=lambda c: (c.source.namespace or "", c.source.name))
        spans = sorted({self.namespace_of(c.source.namespace) or "" for c in convs})
        default_group = self.is_default_group(first)
        if default_group and self.settings.gateway_namespace:
            return GatewayNamespace(self.settings.gateway_namespace, spans, "option")
        if len(spans) <= 1 or not default_group:
            return GatewayNamespace(first.source.namespace, spans, "single")
        if self.settings.namespace in spans:
            return GatewayNamespace(self.settings.namespace, spans, "release")
        # Where most certificate Secrets are: fewest cross-namespace references (grants, and
        # cert-manager issues only same-namespace ones); ties: the first by name.
        secrets = {ns: len({t.secret for c in convs for t in c.tls if t.secret
                            and (self.namespace_of(c.source.namespace) or "") == ns})
                   for ns in spans}
        best = min(spans, key=lambda ns: (-secrets[ns], ns))
        return GatewayNamespace(best, spans, "secrets" if secrets[best] else "first")

    def _covering(self, conv: Conversion, host: str | None) -> list[TLSEntry]:
        if host is None:
            return []
        index = self._tls_index(conv)
        host = host.lower()
        found = list(index.get(host, ()))
        if "." in host and not host.startswith("*."):
            found += index.get("*." + host.split(".", 1)[1], ())
        return found

    def _ruled_with_tls(self, conv: Conversion) -> set[str]:
        """Rule hosts of the Ingresses of ``conv``'s group that have a tls section (kept
        ones too, like the TLS index): ingress-nginx gives each a certificate."""
        if self._tls_ruled_cache is None:
            self._tls_ruled_cache = {}
            for other in self.conversions:
                hosts = self._tls_ruled_cache.setdefault(self.group_of(other), set())
                if isinstance(other.source, Ingress) and other.source.tls:
                    hosts.update(source_hosts(other))
        return self._tls_ruled_cache.get(self.group_of(conv), set())

    def default_certificate_for(self, conv: Conversion, host: str | None) -> SecretRef | None:
        """--default-certificate for ``host`` when no TLS entry of the group names a Secret
        covering it, and ingress-nginx served it with its default certificate: a rule host
        of an Ingress with a tls section that no entry covers, or one whose entry has no
        secretName (``createServers``: ``extractTLSSecretName`` finds nothing → default
        certificate). None without the option, for hostless rules (nginx's catch-all server
        is not redirected), and for hosts without TLS."""
        default = self.settings.default_certificate
        if default is None or host is None:
            return None
        entries = self._covering(conv, host)
        if any(e.secret for e in entries):
            return None
        if entries or host.lower() in self._ruled_with_tls(conv):
            return default
        return None

    def tls_secrets_for(self, conv: Conversion, host: str | None) -> list[str]:
        """Secrets of any Ingress sharing ``conv``'s Gateway whose TLS hosts cover ``host``
        (else the --default-certificate serving it)."""
        found = sorted({e.secret[1] for e in self._covering(conv, host) if e.secret})
        if not found and (default := self.default_certificate_for(conv, host)):
            return [default[1]]
        return found

    def host_has_tls(self, conv: Conversion, host: str | None) -> bool:
        return bool(self._covering(conv, host)) or bool(self.default_certificate_for(conv, host))

    def _source_hosts(self, conv: Conversion) -> set[str]:
        """``source_hosts``, computed once per Ingress: asked per host, an Ingress with
        thousands of rule hosts made choosing certificates quadratic (issue 19). An
        Ingress's rules never change; other sources' hosts come from their routes, which
        dialects may still change, so they are not cached."""
        if not isinstance(conv.source, Ingress):
            return source_hosts(conv)
        found = self._hosts_cache.get(id(conv.source))
        if found is None or found[0] is not conv.source:
            found = self._hosts_cache[id(conv.source)] = (conv.source, source_hosts(conv))
        return found[1]

    def certificate_for(self, conv: Conversion, host: str) -> CertificateChoice | None:
        """The one certificate Secret ingress-nginx serves ``host`` with, among the TLS
        entries of ``conv``'s Gateway group (None: no entry with a Secret covers it).

        ingress-nginx (``createServers``) takes the certificate of the first Ingress, in its
        order, that has a rule for the host and a tls section: in that Ingress an entry
        listing the host, else one whose certificate covers it (a wildcard entry here; an
        Ingress whose entries cover nothing gets nginx's default certificate, which gwshift
        cannot tell from a later Ingress's entry and does not model). Its
        order is oldest creationTimestamp first and, for equal timestamps, namespace/name
        *descending* (``sortIngressSlice``); a render has no timestamps, so equal ones are
        assumed. Entries of Ingresses without a rule for the host come last (nginx ignores
        them; gwshift keeps using them rather than drop HTTPS). One Secret per listener:
        several certificateRefs are implementation-specific in Gateway API. When no entry
        names a Secret, --default-certificate (``default_certificate_for``), if given.
        """
        entries = [e for e in self._covering(conv, host) if e.secret]
        if not entries:
            default = self.default_certificate_for(conv, host)
            return CertificateChoice(default, conv, [], [], True) if default else None
        host = host.lower()

        def ruled(e: TLSEntry) -> bool:
            return host in self._source_hosts(e.conv)

        # Stable sorts, least significant key first: entry order, an entry listing the host
        # before one covering it (within an Ingress), nginx's Ingress order (namespace/name
        # descending), Ingresses with a rule for the host first.
        ordered = sorted(entries, key=lambda e: e.position)
        ordered.sort(key=lambda e: e.host != host)
        ordered.sort(key=lambda e: (self.namespace_of(e.conv.source.namespace) or "",
                                    e.conv.source.name), reverse=True)
        ordered.sort(key=lambda e: not ruled(e))
        chosen = ordered[0]
        assert chosen.secret is not None
        others = sorted({e.secret for e in ordered if e.secret and e.secret != chosen.secret})
        # The choice rests on the assumed equal timestamps when another Ingress with a rule
        # for the host offers another Secret for it.
        contested = sorted({str(e.conv.source.ref) for e in ordered[1:]
                            if e.secret != chosen.secret and e.conv is not chosen.conv
                            and ruled(e) and ruled(chosen)})
        return CertificateChoice(chosen.secret, chosen.conv, others, contested)
