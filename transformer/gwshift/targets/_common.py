"""Helpers every implementation target shares: names, attachment, notes, ReferenceGrants.

Private to ``gwshift.targets``: the targets are the only users, so nothing here is API.
Names are deterministic (route/rule names plus a purpose) and always valid DNS-1123
subdomains no longer than 253 characters (``names.fit``), so the output is stable and
idempotent.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from gwshift.names import fit, short_hash, slug
from gwshift.notes import Note, Severity

if TYPE_CHECKING:
    from gwshift.intents import BackendTLS, BasicAuth, ExternalAuth, Intent, ServiceRef
    from gwshift.targets import Attachment, BackendSwap, Expressed

GW_GROUP = "gateway.networking.k8s.io"
T = TypeVar("T")


# --- names and metadata -----------------------------------------------------------------


def object_name(att: Attachment, purpose: str, limit: int = 253) -> str:
    """``<route>-<purpose>`` (route/gateway scope) or ``<route>-<rule>-<purpose>`` (rule)."""
    parts = [att.name]
    if att.section:
        parts.append(att.section)
    parts.append(purpose)
    return fit(slug("-".join(parts)), limit)


def metadata(name: str, namespace: str | None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    return meta


def obj(api_version: str, kind: str, name: str, namespace: str | None,
        spec: dict[str, Any] | None = None, **top: Any) -> dict[str, Any]:
    """A Kubernetes object with the usual key order (apiVersion, kind, metadata, spec)."""
    out: dict[str, Any] = {"apiVersion": api_version, "kind": kind,
                           "metadata": metadata(name, namespace)}
    out.update(top)
    if spec is not None:
        out["spec"] = spec
    return out


def zone_name(att: Attachment, purpose: str) -> str:
    """An nginx shared-memory zone name unique to this attachment (NGF snippets)."""
    return f"gwshift_{purpose}_{short_hash(f'{att.namespace}/{att.name}/{att.section}', 10)}"


# --- attachment -------------------------------------------------------------------------


def target_ref(att: Attachment, with_section: bool = True) -> dict[str, str]:
    """The Gateway API reference to the object in scope: ``sectionName`` is the rule name
    (rule scope) or the listener (gateway scope), so a policy is never wider than its source."""
    ref = {"group": GW_GROUP, "kind": att.kind, "name": att.name}
    if with_section and att.section:
        ref["sectionName"] = att.section
    return ref


def extension_ref(group: str, kind: str, name: str) -> dict[str, Any]:
    """An HTTPRoute/GRPCRoute rule filter pointing at an implementation object."""
    return {"type": "ExtensionRef", "extensionRef": {"group": group, "kind": kind, "name": name}}


def reference_grant(name: str, from_group: str, from_kind: str, from_ns: str, to_ns: str,
                    service: str) -> dict[str, Any]:
    """The narrowest ReferenceGrant letting ``from_kind`` objects of ``from_ns`` use one
    Service of ``to_ns`` (exact kind, namespace and Service name)."""
    return obj(f"{GW_GROUP}/v1beta1", "ReferenceGrant", name, to_ns, {
        "from": [{"group": from_group, "kind": from_kind, "namespace": from_ns}],
        "to": [{"group": "", "kind": "Service", "name": service}],
    })


def service_backend(ref: ServiceRef, att: Attachment, from_group: str, from_kind: str,
                    objects: list[dict[str, Any]]) -> dict[str, Any]:
    """A Service backendRef for ``ref``; a cross-namespace one also gets its ReferenceGrant
    appended to ``objects``."""
    backend: dict[str, Any] = {"group": "", "kind": "Service", "name": ref.name}
    if ref.namespace and ref.namespace != att.namespace:
        backend["namespace"] = ref.namespace
        if att.namespace:
            # Named after the attachment (and its namespace: the grant lives in the
            # Service's), so two routes using the same auth Service never write two
            # different objects under one name.
            name = fit(slug(f"{att.namespace}-{object_name(att, 'grant')}"), 253)
            objects.append(reference_grant(name, from_group, from_kind, att.namespace,
                                           ref.namespace, ref.name))
    backend["port"] = ref.port
    return backend


# --- values -----------------------------------------------------------------------------


def duration(seconds: int) -> str:
    """Gateway API / Envoy Gateway duration (``^([0-9]{1,5}(h|m|s|ms)){1,4}$``)."""
    if seconds <= 0:
        return "0s"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = "".join(f"{v}{u}" for v, u in ((h, "h"), (m, "m"), (s, "s")) if v)
    return out if h < 100000 else "99999h"


def nginx_time(seconds: int) -> str:
    """nginx time for NGF fields (``^[0-9]{1,4}(ms|s|m|h)?$``): the largest exact unit."""
    if seconds <= 0:
        return "0s"
    for unit, size in (("h", 3600), ("m", 60), ("s", 1)):
        if seconds % size == 0 and seconds // size <= 9999:
            return f"{seconds // size}{unit}"
    return f"{min(seconds // 3600, 9999)}h"


def nginx_size(n: int) -> str:
    """nginx size for NGF fields (``^\\d{1,4}(k|m|g)?$``): the largest exact unit, else
    rounded up (a limit slightly above the source's, never below)."""
    if n <= 0:
        return "0"  # nginx: no limit
    for unit, size in (("g", 1024**3), ("m", 1024**2), ("k", 1024), ("", 1)):
        if n % size == 0 and n // size <= 9999:
            return f"{n // size}{unit}"
    for unit, size in (("k", 1024), ("m", 1024**2), ("g", 1024**3)):
        if -(-n // size) <= 9999:
            return f"{-(-n // size)}{unit}"
    return "9999g"


def quantity(n: int) -> str:
    """A Kubernetes resource.Quantity for a byte count (exact)."""
    for unit, size in (("Gi", 1024**3), ("Mi", 1024**2), ("Ki", 1024)):
        if n % size == 0:
            return f"{n // size}{unit}"
    return str(n)


def regex_to_nginx(substitution: str) -> str:
    """``\\1`` (RE2/Envoy style) -> ``$1`` (nginx, Traefik/Go)."""
    out = []
    i = 0
    while i < len(substitution):
        c = substitution[i]
        if c == "\\" and i + 1 < len(substitution) and substitution[i + 1].isdigit():
            out.append("${" + substitution[i + 1] + "}")
            i += 2
            continue
        out.append(c)
        i += 1
    return "".join(out)


# --- intents and notes ------------------------------------------------------------------


def pick(intents: Sequence[Intent], kind: type[T]) -> list[T]:
    return [i for i in intents if isinstance(i, kind)]


def first(intents: Sequence[Intent], kind: type[T]) -> T | None:
    found = pick(intents, kind)
    return found[0] if found else None


def note(code: str, severity: Severity, message: str, att: Attachment,
         intent: Intent | None = None) -> Note:
    """A note about ``intent`` on the source object, at the annotation that asked for it."""
    return Note(code, severity, message, att.source, intent.by.field if intent else "")


def always(reason: str) -> Callable[[Any], str | None]:
    """A ``Capability.refuses`` that refuses every value (documented gaps)."""

    def refuses(intent: Any) -> str | None:
        return reason

    return refuses


def joined(items: Iterable[str]) -> str:
    return ", ".join(items)


def backend_tls_policy(tls: BackendTLS, att: Attachment) -> dict[str, Any]:
    """The portable BackendTLSPolicy for a verified TLS backend (targets that declare it).

    Named like the nginx dialect's (``<service>-backend-tls``) so two routes to the same
    Service give one identical object; the CA is read from a ConfigMap of the same name as
    the Secret (Gateway API takes ConfigMaps; the note says to create it).
    """
    validation: dict[str, Any]
    if tls.ca_secret:
        validation = {"caCertificateRefs": [
            {"group": "", "kind": "ConfigMap", "name": tls.ca_secret.rpartition("/")[2]}]}
    else:
        validation = {"wellKnownCACertificates": "System"}
    host = tls.hostname or f"{tls.service}.{att.namespace or 'default'}.svc"
    validation["hostname"] = host.lower()
    return obj(f"{GW_GROUP}/v1", "BackendTLSPolicy", fit(f"{slug(tls.service)}-backend-tls", 253),
               att.namespace, {"targetRefs": [{"group": "", "kind": "Service",
                                               "name": tls.service}],
                               "validation": validation})


# The annotation emit puts on every generated route and Gateway (gwshift.emit
# SOURCE_ANNOTATION; not imported: emit imports the targets package).
SOURCE_ANNOTATION = "gwshift.dev/source"


def expressed(att: Attachment, objects: list[dict[str, Any]], filters: list[dict[str, Any]],
              notes: list[Note], backends: BackendSwap | None = None) -> Expressed:
    """The result of ``express``: every object names the source it was generated from, as
    the routes do, so a reader (and ``gwshift verify``) can trace it back."""
    from gwshift.targets import Expressed

    traced(att, objects)
    return Expressed(objects, filters, notes, backends)


def traced(att: Attachment, objects: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``objects`` with the source annotation of ``att`` (see ``expressed``)."""
    source = f"{att.source.kind}/{att.source.name}"
    for o in objects:
        meta = o["metadata"]
        meta["annotations"] = {**meta.get("annotations", {}), SOURCE_ANNOTATION: source}
    return objects


# --- htpasswd hash schemes --------------------------------------------------------------

HASH_SCHEMES = ("sha", "ssha", "apr1", "bcrypt", "md5-crypt", "sha-crypt", "plain", "crypt")


def hash_scheme(hashed: str) -> str:
    """The scheme of one htpasswd hash (the part after ``user:``)."""
    if hashed.startswith("{SHA}"):
        return "sha"
    if hashed.startswith("{SSHA}"):
        return "ssha"
    if hashed.startswith("{PLAIN}"):
        return "plain"
    if hashed.startswith("$apr1$"):
        return "apr1"
    if hashed.startswith(("$2y$", "$2a$", "$2b$")):
        return "bcrypt"
    if hashed.startswith("$1$"):
        return "md5-crypt"
    if hashed.startswith(("$5$", "$6$")):
        return "sha-crypt"
    return "crypt"


def hash_schemes(htpasswd: str) -> frozenset[str]:
    """Schemes used by the lines of an htpasswd file (blank and comment lines ignored)."""
    found = set()
    for line in htpasswd.splitlines():
        line = line.strip()
        if line and not line.startswith("#") and ":" in line:
            found.add(hash_scheme(line.split(":", 1)[1]))
    return frozenset(found)


def basic_auth_verdict(basic: BasicAuth, accepted: frozenset[str], target: str) -> str:
    """What the Secret's hashes mean for ``target`` when the dialect saw the Secret
    (``BasicAuth.hash_schemes``, once dialects record it), else ""."""
    schemes: frozenset[str] | None = getattr(basic, "hash_schemes", None)
    if schemes is None:
        return ""
    bad = sorted(schemes - accepted)
    if not bad:
        return f"; the Secret's hashes ({', '.join(sorted(schemes))}) work on {target}"
    return (f"; the Secret holds {', '.join(bad)} hashes, which {target} does not accept: "
            "those users need new passwords")


# --- several intents of one type on one attachment -----------------------------------------
# A dialect may record one intent per annotation (an allowlist and a denylist; limit-rps and
# limit-rpm), and a route and a rule may both carry one: every one of them must hold.


def _cidr_and(a: str, b: str) -> str | None:
    """The intersection of two CIDRs: CIDRs are nested or disjoint, so it is one of them."""
    na, nb = ipaddress.ip_network(a, strict=False), ipaddress.ip_network(b, strict=False)
    if na.version != nb.version:
        return None
    if na.subnet_of(nb):  # type: ignore[arg-type]
        return a
    if nb.subnet_of(na):  # type: ignore[arg-type]
        return b
    return None


def ip_lists(intents: Sequence[Intent]) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    """(allow, deny) a client must pass for every IPAccess intent to hold: the intersection
    of the allowlists (None: no allowlist; (): nobody) and the union of the denylists."""
    from gwshift.intents import IPAccess

    allow: tuple[str, ...] | None = None
    deny: list[str] = []
    for ip in pick(intents, IPAccess):
        deny += [c for c in ip.deny if c not in deny]
        if not ip.allow:
            continue
        if allow is None:
            allow = tuple(dict.fromkeys(ip.allow))
        else:
            both = (_cidr_and(a, b) for a in allow for b in ip.allow)
            allow = tuple(dict.fromkeys(c for c in both if c is not None))
    return allow, tuple(deny)


def one(intents: Sequence[Intent], kind: type[T], att: Attachment, code: str,
        notes: list[Note]) -> T | None:
    """The intent of ``kind``; several different ones cannot be combined into one control,
    so an error note says only the first was expressed."""
    found = list(dict.fromkeys(pick(intents, kind)))
    for other in found[1:]:
        notes.append(note(code, Severity.ERROR,
                          f"a second {kind.__name__} on the same route or rule cannot be "
                          "combined with the first; it was not expressed", att,
                          other))  # type: ignore[arg-type]
    return found[0] if found else None


def strictest(intents: Sequence[Intent], kind: type[T], value: Callable[[T], int]) -> T | None:
    """The intent of ``kind`` with the smallest positive ``value`` (0 = no limit), so that
    every recorded limit holds."""
    found = pick(intents, kind)
    limited = [i for i in found if value(i) > 0]
    if limited:
        return min(limited, key=value)
    return found[0] if found else None


def distinct(intents: Sequence[Intent], kind: type[T]) -> list[T]:
    return list(dict.fromkeys(pick(intents, kind)))


def param_field(intent: Intent, name: str) -> str:
    """The note field of the source parameter ``name`` read into ``intent`` (e.g.
    ``auth-signin``), else the intent's own field."""
    params: tuple[tuple[str, str], ...] = getattr(intent.by, "params", ())
    return next((f for k, f in params if k.rsplit("/", 1)[-1] == name), intent.by.field)


def dropped_params(ext: ExternalAuth, att: Attachment) -> list[Note]:
    """Source parameters no ExternalAuth intent carries (caching, keep-alive ...), reported
    by the target that expresses it, under the dialect's own code."""
    area = ext.by.code.split("/", 1)[0]
    dropped: tuple[tuple[str, str, str, bool], ...] = getattr(ext, "dropped", ())
    return [Note(f"{area}/auth-url-parameter-lost",
                 Severity.WARNING if warn else Severity.INFO, what, att.source, field)
            for _, field, what, warn in dropped]
