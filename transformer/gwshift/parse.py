"""Parse a loaded Ingress object into the typed model; shape errors become notes."""

from __future__ import annotations

import re
from typing import Any

from gwshift.handlers._values import parse_port
from gwshift.model import Ingress, IngressBackend, IngressPath, IngressRule, IngressTLS, mapping
from gwshift.notes import Note, ObjRef, error, warning

INGRESS_API_VERSIONS = ("networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1")
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
PATH_TYPES = ("Exact", "Prefix", "ImplementationSpecific")
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")  # DNS-1123 label (namespaces)
_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


class ShapeError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _map(value: Any, field: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ShapeError(field, f"expected a mapping, got {type(value).__name__}")
    return value


def _list(value: Any, field: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ShapeError(field, f"expected a list, got {type(value).__name__}")
    return value


def _str(value: Any, field: str, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise ShapeError(field, "is required")
        return None
    if not isinstance(value, str):
        raise ShapeError(field, f"expected a string, got {type(value).__name__}")
    return value


def _port(value: Any, field: str) -> tuple[int | None, str | None]:
    if isinstance(value, bool) or value is None:
        raise ShapeError(field, "a service port (number or name) is required")
    if isinstance(value, int):
        if not 1 <= value <= 65535:
            raise ShapeError(field, f"port {value} is out of range 1-65535")
        return value, None
    if isinstance(value, str):
        number = parse_port(value)
        if number is not None:
            return number, None
        # str.isdigit() is true for other scripts' digits ("٨٠") and superscripts ("²"): a
        # string of digits that is no ASCII port 1-65535 is neither a number nor a port name.
        if value.strip().isdigit():
            raise ShapeError(field, "not a valid port number (ASCII digits, 1-65535)")
        return None, value
    raise ShapeError(field, f"expected a port number or name, got {type(value).__name__}")


def _backend(raw: Any, field: str, legacy: bool) -> IngressBackend:
    b = _map(raw, field)
    if "resource" in b and b["resource"] is not None:
        r = _map(b["resource"], f"{field}.resource")
        name = _str(r.get("name"), f"{field}.resource.name", required=True)
        kind = _str(r.get("kind"), f"{field}.resource.kind", required=True)
        group = _str(r.get("apiGroup"), f"{field}.resource.apiGroup") or ""
        return IngressBackend(resource=(group, kind or "", name or ""), field=field)
    if legacy and "serviceName" in b:
        name = _str(b.get("serviceName"), f"{field}.serviceName", required=True)
        number, pname = _port(b.get("servicePort"), f"{field}.servicePort")
        return IngressBackend(name, number, pname, field=field)
    svc = _map(b.get("service"), f"{field}.service")
    if not svc:
        raise ShapeError(field, "backend has neither service nor resource")
    name = _str(svc.get("name"), f"{field}.service.name", required=True)
    port = _map(svc.get("port"), f"{field}.service.port")
    if "number" in port and port["number"] is not None:
        number, _ = _port(port["number"], f"{field}.service.port.number")
        if not isinstance(port["number"], int):
            raise ShapeError(f"{field}.service.port.number", "must be an integer")
        return IngressBackend(name, number, None, field=field)
    pname = _str(port.get("name"), f"{field}.service.port.name")
    if not pname:
        raise ShapeError(f"{field}.service.port", "a port number or name is required")
    return IngressBackend(name, None, pname, field=field)


def _rules(spec: dict[str, Any], legacy: bool) -> tuple[IngressRule, ...]:
    out = []
    for i, raw in enumerate(_list(spec.get("rules"), "spec.rules")):
        f = f"spec.rules[{i}]"
        rule = _map(raw, f)
        host = _str(rule.get("host"), f"{f}.host") or None
        http = _map(rule.get("http"), f"{f}.http")
        paths = []
        for j, rp in enumerate(_list(http.get("paths"), f"{f}.http.paths")):
            pf = f"{f}.http.paths[{j}]"
            p = _map(rp, pf)
            path = _str(p.get("path"), f"{pf}.path")
            ptype = _str(p.get("pathType"), f"{pf}.pathType")
            if ptype is not None and ptype not in PATH_TYPES:
                raise ShapeError(f"{pf}.pathType", f"unknown pathType {ptype!r} (the API server "
                                 "accepts Exact, Prefix and ImplementationSpecific)")
            if "backend" not in p:
                raise ShapeError(f"{pf}.backend", "backend is required")
            paths.append(IngressPath(path, ptype, _backend(p["backend"], f"{pf}.backend", legacy), pf))
        out.append(IngressRule(host, tuple(paths), f))
    return tuple(out)


def _tls(spec: dict[str, Any]) -> tuple[IngressTLS, ...]:
    out = []
    for i, raw in enumerate(_list(spec.get("tls"), "spec.tls")):
        f = f"spec.tls[{i}]"
        t = _map(raw, f)
        hosts = tuple(
            _str(h, f"{f}.hosts[{k}]", required=True) or ""
            for k, h in enumerate(_list(t.get("hosts"), f"{f}.hosts"))
        )
        out.append(IngressTLS(hosts, _str(t.get("secretName"), f"{f}.secretName") or None, f))
    return tuple(out)


def _string_map(raw: Any, field: str, ref: ObjRef, notes: list[Note]) -> tuple[tuple[str, str], ...]:
    items = []
    for k, v in _map(raw, field).items():
        key = str(k)
        if isinstance(v, str):
            items.append((key, v))
            continue
        # The API server rejects non-string values; charts still render them unquoted.
        text = "" if v is None else ("true" if v is True else "false" if v is False else str(v))
        notes.append(
            warning(
                "ingress/non-string-annotation" if "annotations" in field else "ingress/non-string-label",
                f"value {v!r} is not a string (the API server would reject it); read as {text!r}",
                ref,
                f"{field}[{key}]",
            )
        )
        items.append((key, text))
    return tuple(sorted(items))


def _namespace(value: Any) -> None:
    """The API server accepts a DNS-1123 label ("123" included); an unquoted number or an
    upper-case name would otherwise put the generated objects in the wrong namespace or make
    them invalid."""
    if value is None or value == "":
        return
    if not isinstance(value, str):
        raise ShapeError("metadata.namespace", f"expected a string, got {type(value).__name__} "
                         "(quote it)")
    if len(value) > 63 or not _LABEL.fullmatch(value):
        raise ShapeError("metadata.namespace", "metadata.namespace is not a valid DNS-1123 label "
                         "(lowercase alphanumerics and '-', at most 63 characters)")


def metadata_problem(meta: dict[str, Any]) -> tuple[str, str] | None:
    """``(field, message)`` when metadata.name or metadata.namespace is not what the API
    server accepts, with the checks applied to an Ingress; for the other source kinds (an unquoted number
    used to drop the namespace, ``Shop`` or ``R`` made every generated object invalid)."""
    name = meta.get("name")
    if not isinstance(name, str) or not name:
        return "metadata.name", "metadata.name is required"
    if len(name) > 253 or not _SUBDOMAIN.match(name):
        return "metadata.name", ("metadata.name is not a valid DNS-1123 subdomain (lowercase "
                                 "alphanumerics, '-', '.', at most 253 characters)")
    try:
        _namespace(meta.get("namespace"))
    except ShapeError as exc:
        return exc.field, exc.message
    return None


def parse_ingress(obj: dict[str, Any], doc: int) -> tuple[Ingress | None, list[Note]]:
    """Build the model, or return None with an error note naming the offending field."""
    notes: list[Note] = []
    meta = mapping(obj.get("metadata"))
    name = meta.get("name") if isinstance(meta.get("name"), str) else None
    ns = meta.get("namespace") if isinstance(meta.get("namespace"), str) else None
    api = str(obj.get("apiVersion", ""))
    ref = ObjRef("Ingress", ns, name, api)
    try:
        if not name:
            raise ShapeError("metadata.name", "metadata.name is required")
        if len(name) > 253 or not _SUBDOMAIN.match(name):
            raise ShapeError("metadata.name", "metadata.name is not a valid DNS-1123 subdomain "
                             "(lowercase alphanumerics, '-', '.', at most 253 characters)")
        _namespace(meta.get("namespace"))
        labels = _string_map(meta.get("labels"), "metadata.labels", ref, notes)
        annotations = _string_map(meta.get("annotations"), "metadata.annotations", ref, notes)
        spec = _map(obj.get("spec"), "spec")
        legacy = api != "networking.k8s.io/v1"
        dkey = "backend" if legacy and "backend" in spec else "defaultBackend"
        default = _backend(spec[dkey], f"spec.{dkey}", legacy) if spec.get(dkey) else None
        cls = _str(spec.get("ingressClassName"), "spec.ingressClassName") or dict(annotations).get(
            CLASS_ANNOTATION
        )
        ing = Ingress(api, name, ns, labels, annotations, cls or None, default, _rules(spec, legacy),
                      _tls(spec), doc)
    except ShapeError as exc:
        n = error("ingress/invalid", f"{exc.message}; the Ingress is kept unconverted", ref, exc.field)
        return None, [*notes, n._replace(doc=doc)]
    return ing, [n._replace(doc=doc) for n in notes]
