"""The Kubernetes objects of one side, read through ``gwshift.yamlio`` only."""

from __future__ import annotations

import ipaddress
import re
from typing import Any, Generic, TypeVar

from gwshift import yamlio

Obj = dict[str, Any]
T = TypeVar("T")


class InputError(Exception):
    """A side cannot be read (one line for the user; exit 2)."""


_DOC_START = re.compile(r"^---(?=[ \t]|\r?$)", re.MULTILINE)
_KIND = re.compile(r"^kind:[ \t]*[\"']?([A-Za-z0-9]+)[\"']?[ \t]*(?:#.*)?\r?$", re.MULTILINE)
# The kinds either side reads; other documents (CRDs, Deployments ...) are never parsed.
READ_KINDS = frozenset({
    "Ingress", "Service", "IngressClass", "Namespace", "Gateway", "HTTPRoute", "GRPCRoute",
    "TLSRoute", "TCPRoute", "UDPRoute", "ReferenceGrant", "ListenerSet", "XListenerSet",
    "BackendTLSPolicy", "SecurityPolicy", "Backend",  # Backend: Envoy Gateway (gatewayapi.py)
    # the dialects' own source objects (verify/traefik.py, kong.py, gce.py)
    "IngressRoute", "Middleware", "TraefikService", "TCPIngress", "UDPIngress",
    "KongPlugin", "KongClusterPlugin", "KongIngress", "FrontendConfig",
})


def _wanted(chunk: str) -> bool:
    kinds = _KIND.findall(chunk)
    if len(kinds) != 1:
        return True  # not sure from the text: parse it
    return kinds[0] in READ_KINDS or kinds[0].endswith("List")


def load(text: str, where: str, skipped: list[str] | None = None) -> list[Obj]:
    """Every object of a YAML stream; Lists and KRM ResourceLists are flattened.

    Documents are loaded one by one, so one unreadable document (e.g. a duplicate key,
    which the API server would refuse) is skipped and named in ``skipped`` rather than
    hiding the rest; a stream of which nothing is readable is an ``InputError``.
    """
    out: list[Obj] = []
    starts = [0] + [m.start() for m in _DOC_START.finditer(text)]
    errors: list[str] = []
    readable = 0
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        if not chunk.strip() or not _wanted(chunk):
            continue
        try:
            doc = yamlio.load(chunk)
        except Exception as exc:  # noqa: BLE001 - YAML errors and UnsafeYAML alike: one line
            line = text.count("\n", 0, start) + 1
            errors.append(f"{where}: not readable YAML in the document at line {line}: "
                          f"{yamlio.error_line(exc)}")
            continue
        readable += 1
        _flatten(doc, out, 0)
    if errors and not readable:
        raise InputError(errors[0] + "; no document is readable")
    if skipped is not None:
        skipped.extend(errors)
    return out


def _flatten(doc: object, out: list[Obj], depth: int) -> None:
    if not isinstance(doc, dict) or depth > 2:
        return
    kind = doc.get("kind")
    if isinstance(kind, str) and (kind == "List" or kind.endswith("List")):
        items = doc.get("items")
        for item in items if isinstance(items, list) else []:
            _flatten(item, out, depth + 1)
        return
    out.append(doc)


def kind(o: Obj) -> str:
    k = o.get("kind")
    return k if isinstance(k, str) else ""


def group(o: Obj) -> str:
    api = o.get("apiVersion")
    return api.rpartition("/")[0] if isinstance(api, str) else ""


def meta(o: Obj) -> Obj:
    m = o.get("metadata")
    return m if isinstance(m, dict) else {}


def name(o: Obj) -> str:
    n = meta(o).get("name")
    return n if isinstance(n, str) else ""


def namespace(o: Obj, default: str) -> str:
    n = meta(o).get("namespace")
    return n if isinstance(n, str) and n else default


def annotations_of(o: Obj) -> dict[str, str]:
    a = meta(o).get("annotations")
    if not isinstance(a, dict):
        return {}
    return {str(k): v if isinstance(v, str) else str(v) for k, v in a.items()}


def created(o: Obj) -> str:
    c = meta(o).get("creationTimestamp")
    return c if isinstance(c, str) else ""


def spec(o: Obj) -> Obj:
    s = o.get("spec")
    return s if isinstance(s, dict) else {}


def text(o: Obj, key: str, default: str = "") -> str:
    """``o[key]`` when it is a non-empty string, else ``default``."""
    v = o.get(key)
    return v if isinstance(v, str) and v else default


def sub(o: Obj, key: str) -> Obj:
    """``o[key]`` when it is a mapping, else an empty one."""
    v = o.get(key)
    return v if isinstance(v, dict) else {}


def dicts(v: object) -> list[Obj]:
    return [x for x in v if isinstance(x, dict)] if isinstance(v, list) else []


def strs(v: object) -> list[str]:
    return [x for x in v if isinstance(x, str)] if isinstance(v, list) else []


_WILD = re.compile(r"^\*\.")


def host_matches(pattern: str, host: str, one_label: bool) -> bool:
    """Does hostname ``pattern`` (exact or ``*.suffix``) match ``host``?

    ``one_label``: the wildcard stands for exactly one DNS label (ingress-nginx
    ``buildServerName``: ``~^(?<subdomain>[\\w-]+)\\.suffix$``); otherwise one or more
    labels (Gateway API ``Hostname``: "*.example.com" matches "foo.test.example.com").
    """
    pattern, host = pattern.lower(), host.lower()
    if not _WILD.match(pattern):
        return pattern == host
    suffix = pattern[1:]  # ".example.com"
    if not host.endswith(suffix) or len(host) <= len(suffix):
        return False
    label = host[: -len(suffix)]
    if one_label:
        return re.fullmatch(r"[\w-]+", label) is not None
    return True


# A group holding a quantifier, itself quantified: "(a+)+", "(x*y)*" ... Python's
# backtracking engine can take exponential time on them, so such patterns are not
# evaluated (the probe is "not modelled"): verify stays bounded on hostile input.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")
MAX_PATTERN = 1024


def safe_regex(pattern: str) -> re.Pattern[str] | None:
    """``pattern`` compiled, or None when it does not compile or could backtrack badly."""
    if len(pattern) > MAX_PATTERN or _NESTED_QUANTIFIER.search(pattern):
        return None
    try:
        return re.compile(pattern)
    except (re.error, RecursionError, OverflowError):
        return None


class HostIndex(Generic[T]):
    """Values by hostname pattern, looked up by a concrete host in O(labels): exact names,
    ``*.suffix`` wildcards (one or more labels unless ``one_label``) and "any host"."""

    def __init__(self, one_label: bool = False) -> None:
        self.exact: dict[str, list[T]] = {}
        self.wild: dict[str, list[T]] = {}  # ".suffix" -> values
        self.any: list[T] = []
        self.one_label = one_label

    def add(self, pattern: str | None, value: T) -> None:
        if pattern is None:
            self.any.append(value)
        elif pattern.startswith("*."):
            self.wild.setdefault(pattern[1:].lower(), []).append(value)
        else:
            self.exact.setdefault(pattern.lower(), []).append(value)

    def named(self, host: str) -> list[T]:
        """Values whose pattern names ``host`` (exact or wildcard), most specific first."""
        host = host.lower()
        out = list(self.exact.get(host, ()))
        labels = host.split(".")
        for i in range(1, len(labels)):
            if self.one_label and i > 1:
                break
            if i == 1 and not re.fullmatch(r"[\w-]+", labels[0]) and self.one_label:
                break
            out.extend(self.wild.get("." + ".".join(labels[i:]), ()))
        return out

    def lookup(self, host: str) -> list[T]:
        return self.named(host) + self.any


def in_cidrs(client: str, cidrs: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(client)
    except ValueError:
        return False
    for c in cidrs:
        try:
            if ip in ipaddress.ip_network(c.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def first_address(cidr: str) -> str | None:
    """An address inside ``cidr`` (a probe from inside an allowlist)."""
    try:
        net = ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None
    if net.num_addresses > 2:
        return str(net.network_address + 1)
    return str(net.network_address)
