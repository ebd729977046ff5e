"""What each Gateway API release serves, per channel: kinds, apiVersions and fields.

    from gwshift import gwapi_versions as gv
    gv.served("TLSRoute", "gateway.networking.k8s.io/v1", "1.4", "standard")   # False
    gv.problems(route, "1.4", "standard")   # ["spec.rules[0].filters[1]"] for a CORS filter

The table is a transcription of ``reference/gateway-api-feature-matrix.md`` (rows and cells
as written there: ``S:`` = standard channel, ``E:`` = experimental channel, each followed by
the apiVersions whose CRD schema serves the kind or field; ``-`` = not served). Nothing here
is decided by code branches: ``tests/test_gwapi_versions.py`` compares the table with the
matrix file (when ``../shared`` is present) and its v1.6.1 column with the CRDs bundled in
``gwshift/data/gateway-api-v1.6.1``.

Only the matrix's rows are known: a field the matrix does not list is assumed served
wherever its kind is (for v1.6 the bundled CRDs, via ``gwshift validate``, check every
field). GatewayClass, Gateway and HTTPRoute have no kind row in the matrix; they are served
as v1 and v1beta1 in both channels of every release listed (the matrix's Gateway and
HTTPRoute field rows show those apiVersions in every column; the v1.6.1 CRDs confirm it).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

Channel = Literal["standard", "experimental"]
CHANNELS: tuple[Channel, ...] = ("standard", "experimental")

# Releases gwshift can target (``--gateway-api-version``), oldest first.
VERSIONS: tuple[str, ...] = ("1.2", "1.3", "1.4", "1.5", "1.6")
# Columns of the matrix (v1.0.0 ... v1.6.1): the table keeps them all, so that it stays a
# verbatim copy; queries about 1.0/1.1 are answered too.
MATRIX_VERSIONS: tuple[str, ...] = ("1.0", "1.1", *VERSIONS)

GROUP = "gateway.networking.k8s.io"
X_GROUP = "gateway.networking.x-k8s.io"

_ALWAYS = ("S:v1,v1beta1 E:v1,v1beta1",) * len(MATRIX_VERSIONS)

# (group, kind) -> one matrix cell per MATRIX_VERSIONS column.
KINDS: dict[tuple[str, str], tuple[str, ...]] = {
    (GROUP, "GatewayClass"): _ALWAYS,  # no matrix row, see the module docstring
    (GROUP, "Gateway"): _ALWAYS,  # no matrix row
    (GROUP, "HTTPRoute"): _ALWAYS,  # no matrix row
    (GROUP, "GRPCRoute"): (
        "E:v1alpha2", "S:v1 E:v1,v1alpha2", "S:v1 E:v1", "S:v1 E:v1", "S:v1 E:v1",
        "S:v1 E:v1", "S:v1 E:v1",
    ),
    (GROUP, "BackendTLSPolicy"): (
        "E:v1alpha2", "E:v1alpha3", "E:v1alpha3", "E:v1alpha3", "S:v1 E:v1,v1alpha3",
        "S:v1 E:v1,v1alpha3", "S:v1 E:v1,v1alpha3",
    ),
    (GROUP, "ListenerSet"): ("-", "-", "-", "-", "-", "S:v1 E:v1", "S:v1 E:v1"),
    (X_GROUP, "XListenerSet"): ("-", "-", "-", "E:v1alpha1", "E:v1alpha1", "-", "-"),
    (GROUP, "TLSRoute"): (
        "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2,v1alpha3",
        "S:v1 E:v1,v1alpha2,v1alpha3", "S:v1 E:v1,v1alpha2,v1alpha3",
    ),
    (GROUP, "TCPRoute"): (
        "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2",
        "S:v1 E:v1,v1alpha2",
    ),
    (GROUP, "UDPRoute"): (
        "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2", "E:v1alpha2",
        "S:v1 E:v1,v1alpha2",
    ),
    (GROUP, "ReferenceGrant"): (
        "S:v1alpha2,v1beta1 E:v1alpha2,v1beta1", "S:v1beta1 E:v1alpha2,v1beta1",
        "S:v1beta1 E:v1beta1", "S:v1beta1 E:v1beta1", "S:v1beta1 E:v1beta1",
        "S:v1,v1beta1 E:v1,v1beta1", "S:v1,v1beta1 E:v1,v1beta1",
    ),
    (X_GROUP, "XBackendTrafficPolicy"): (
        "-", "-", "-", "E:v1alpha1", "E:v1alpha1", "E:v1alpha1", "E:v1alpha1",
    ),
    (X_GROUP, "XBackend"): ("-", "-", "-", "-", "-", "-", "E:v1alpha1"),
    (X_GROUP, "XMesh"): ("-", "-", "-", "-", "E:v1alpha1", "E:v1alpha1", "E:v1alpha1"),
    (GROUP, "BackendLBPolicy"): ("-", "E:v1alpha2", "E:v1alpha2", "-", "-", "-", "-"),
}


class Feature(NamedTuple):
    """One field row of the matrix."""

    name: str  # the matrix's feature column, verbatim
    kind: str
    # Where the field sits, as paths: ``[*]`` any list item, ``[type=X]`` list items whose
    # ``type`` is X (a filter of that type).
    paths: tuple[str, ...]
    cells: tuple[str, ...]  # one per MATRIX_VERSIONS column


def _filters(selector: str) -> tuple[str, ...]:
    """An HTTPRoute filter can sit on a rule or on one of its backendRefs."""
    return (
        f"spec.rules[*].filters{selector}",
        f"spec.rules[*].backendRefs[*].filters{selector}",
    )


_S_E = "S:v1,v1beta1 E:v1,v1beta1"
_E = "E:v1,v1beta1"

FEATURES: tuple[Feature, ...] = (
    Feature("HTTPRoute .spec.rules[].timeouts", "HTTPRoute", ("spec.rules[*].timeouts",),
            (_E, _E, _S_E, _S_E, _S_E, _S_E, _S_E)),
    Feature("HTTPRoute .spec.rules[].name", "HTTPRoute", ("spec.rules[*].name",),
            ("-", "-", _E, _E, _S_E, _S_E, _S_E)),
    Feature("HTTPRoute requestMirror.percent", "HTTPRoute",
            tuple(p + ".requestMirror.percent" for p in _filters("[*]")),
            ("-", "-", _E, _S_E, _S_E, _S_E, _S_E)),
    Feature("HTTPRoute requestMirror.fraction", "HTTPRoute",
            tuple(p + ".requestMirror.fraction" for p in _filters("[*]")),
            ("-", "-", _E, _S_E, _S_E, _S_E, _S_E)),
    Feature("HTTPRoute cors filter", "HTTPRoute", _filters("[type=CORS]"),
            ("-", "-", "-", _E, _E, _S_E, _S_E)),
    Feature("HTTPRoute retry", "HTTPRoute", ("spec.rules[*].retry",),
            ("-", "-", _E, _E, _E, _E, _E)),
    Feature("HTTPRoute sessionPersistence", "HTTPRoute", ("spec.rules[*].sessionPersistence",),
            ("-", _E, _E, _E, _E, _E, _E)),
    Feature("HTTPRoute externalAuth filter", "HTTPRoute", _filters("[type=ExternalAuth]"),
            ("-", "-", "-", "-", _E, _E, _E)),
    Feature("HTTPRoute useDefaultGateways", "HTTPRoute", ("spec.useDefaultGateways",),
            ("-", "-", "-", "-", _E, _E, _E)),
    Feature("HTTPRoute parentRefs[].port", "HTTPRoute", ("spec.parentRefs[*].port",),
            (_E, _S_E, _S_E, _S_E, _S_E, _S_E, _S_E)),
    Feature("Gateway infrastructure", "Gateway", ("spec.infrastructure",),
            (_E, _E, _S_E, _S_E, _S_E, _S_E, _S_E)),
    Feature("Gateway spec.backendTLS (old name, client cert to backends)", "Gateway",
            ("spec.backendTLS",), ("-", "-", _E, _E, "-", "-", "-")),
    Feature("Gateway spec.tls.backend.clientCertificateRef", "Gateway",
            ("spec.tls.backend.clientCertificateRef",), ("-", "-", "-", "-", _E, _S_E, _S_E)),
    Feature("Gateway spec.tls.frontend (client cert validation)", "Gateway",
            ("spec.tls.frontend",), ("-", "-", "-", "-", _E, _S_E, _S_E)),
    Feature("Gateway listeners[].tls.options", "Gateway", ("spec.listeners[*].tls.options",),
            (_S_E,) * 7),
    Feature("Gateway allowedListeners", "Gateway", ("spec.allowedListeners",),
            ("-", "-", "-", _E, _E, _S_E, _S_E)),
    Feature("Gateway defaultScope", "Gateway", ("spec.defaultScope",),
            ("-", "-", "-", "-", _E, _E, _E)),
    Feature("Gateway listeners[].tls.frontendValidation", "Gateway",
            ("spec.listeners[*].tls.frontendValidation",), ("-", _E, _E, _E, "-", "-", "-")),
    Feature("HTTPRoute filter ExtensionRef", "HTTPRoute", _filters("[type=ExtensionRef]"),
            (_S_E,) * 7),
    Feature("HTTPRoute filter URLRewrite", "HTTPRoute", _filters("[type=URLRewrite]"),
            (_S_E,) * 7),
    Feature("HTTPRoute filter ResponseHeaderModifier", "HTTPRoute",
            _filters("[type=ResponseHeaderModifier]"), (_S_E,) * 7),
    Feature("HTTPRoute backendRefs[].filters", "HTTPRoute", ("spec.rules[*].backendRefs[*].filters",),
            (_S_E,) * 7),
)


_FEATURES_BY_NAME: dict[str, Feature] = {f.name: f for f in FEATURES}


class Unserved(NamedTuple):
    """A part of an object that a release/channel does not serve."""

    field: str  # path in the object, e.g. "spec.rules[0].filters[1]"; "apiVersion" = the kind
    feature: str  # matrix row name, or "<group>/<version> <Kind>"
    since: str | None  # first release serving it on the channel asked about; None = none yet


# --- cells ------------------------------------------------------------------------------------


def parse_cell(cell: str) -> dict[Channel, frozenset[str]]:
    """``"S:v1 E:v1,v1alpha2"`` -> {"standard": {"v1"}, "experimental": {"v1", "v1alpha2"}}."""
    out: dict[Channel, frozenset[str]] = {"standard": frozenset(), "experimental": frozenset()}
    if cell.strip() == "-":
        return out
    for part in cell.split():
        tag, _, versions = part.partition(":")
        channel: Channel = {"S": "standard", "E": "experimental"}[tag]  # type: ignore[assignment]
        out[channel] = frozenset(versions.split(","))
    return out


def _column(version: str) -> int:
    m = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.\d+)?", version.strip())
    key = f"{m.group(1)}.{m.group(2)}" if m else version
    if key not in MATRIX_VERSIONS:
        raise ValueError(
            f"unknown Gateway API version {version!r} (expected one of {', '.join(VERSIONS)})"
        )
    return MATRIX_VERSIONS.index(key)


def _channel(channel: str) -> Channel:
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r} (expected standard or experimental)")
    return channel


def _serves(cells: tuple[str, ...], column: int, channel: Channel, api: str) -> bool:
    return api in parse_cell(cells[column])[channel]


def _since(cells: tuple[str, ...], column: int, channel: Channel, api: str) -> str | None:
    for later in range(column + 1, len(MATRIX_VERSIONS)):
        if _serves(cells, later, channel, api):
            return MATRIX_VERSIONS[later]
    return None


# --- public API --------------------------------------------------------------------------------


def served(kind: str, api_version: str, version: str, channel: str) -> bool:
    """Whether release ``version`` (``1.4``, ``v1.4.0``...) serves ``kind`` at ``api_version``
    (``gateway.networking.k8s.io/v1``) on ``channel``. Kinds outside the two Gateway API
    groups are not this table's business: False. ValueError for an unknown version/channel."""
    column, chan = _column(version), _channel(channel)
    group, _, api = api_version.rpartition("/")
    cells = KINDS.get((group, kind))
    return cells is not None and _serves(cells, column, chan, api)


def feature_served(
    name: str, version: str, channel: str, api_version: str = f"{GROUP}/v1"
) -> bool:
    """Whether a matrix field row (``Feature.name``, e.g. ``"HTTPRoute cors filter"``) is
    served by ``version`` on ``channel`` at ``api_version`` - for deciding before emitting.
    KeyError for a name that is not a row."""
    column, chan = _column(version), _channel(channel)
    feature = _FEATURES_BY_NAME[name]
    group, _, api = api_version.rpartition("/")
    return group == GROUP and _serves(feature.cells, column, chan, api)


def unserved(obj: Any, version: str, channel: str) -> list[Unserved]:
    """What of a Gateway API object release ``version`` does not serve on ``channel``:
    the whole object (field ``apiVersion``) when its kind/apiVersion is not served, else
    every present field of a matrix row the release lacks. Objects of other groups: []."""
    column, chan = _column(version), _channel(channel)
    if not isinstance(obj, dict):
        return []
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if not isinstance(api_version, str) or not isinstance(kind, str):
        return []
    group, _, api = api_version.rpartition("/")
    if group not in (GROUP, X_GROUP):
        return []
    cells = KINDS.get((group, kind))
    if cells is None or not _serves(cells, column, chan, api):
        since = _since(cells, column, chan, api) if cells else None
        return [Unserved("apiVersion", f"{api_version} {kind}", since)]
    out = []
    for feature in FEATURES:
        if feature.kind != kind or _serves(feature.cells, column, chan, api):
            continue
        since = _since(feature.cells, column, chan, api)
        for path in feature.paths:
            out += [Unserved(found, feature.name, since) for found in find(obj, path)]
    return sorted(set(out), key=lambda u: (u.field, u.feature))


def problems(obj: dict[str, Any], version: str, channel: str) -> list[str]:
    """Field paths of ``obj`` that release ``version`` does not serve on ``channel``
    (``["apiVersion"]`` when the kind/apiVersion itself is not served); [] when all is."""
    return [u.field for u in unserved(obj, version, channel)]


# --- paths ---------------------------------------------------------------------------------------

_STEP = re.compile(r"([A-Za-z]+)|\[\*\]|\[type=([A-Za-z]+)\]")


def _steps(path: str) -> list[tuple[str, str]]:
    """``spec.rules[*].filters[type=CORS]`` -> [("key","spec"), ("key","rules"), ("each",""),
    ("key","filters"), ("type","CORS")]."""
    out = []
    for m in _STEP.finditer(path):
        if m.group(1):
            out.append(("key", m.group(1)))
        elif m.group(2):
            out.append(("type", m.group(2)))
        else:
            out.append(("each", ""))
    return out


def find(obj: Any, path: str) -> list[str]:
    """Concrete paths (``spec.rules[0].filters[1]``) in ``obj`` matching a table path."""
    return list(_find(obj, _steps(path), ""))


def _find(value: Any, steps: list[tuple[str, str]], where: str) -> Iterator[str]:
    if not steps:
        yield where
        return
    (op, arg), rest = steps[0], steps[1:]
    if op == "key":
        if isinstance(value, dict) and arg in value and value[arg] is not None:
            yield from _find(value[arg], rest, f"{where}.{arg}" if where else arg)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if op == "each" or (isinstance(item, dict) and item.get("type") == arg):
                yield from _find(item, rest, f"{where}[{index}]")
