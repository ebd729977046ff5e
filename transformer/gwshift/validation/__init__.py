"""Offline validation of Gateway API and implementation objects against their CRDs (schema + CEL).

    from gwshift.validation import validate_objects
    for v in validate_objects(objs, channel="standard", version="1.6.1"):
        print(v.kind, v.namespace, v.name, v.field, v.message)

Repeats what the apiserver does on create: prune nulls, apply defaults, check the OpenAPI
schema (unknown fields included, as kubectl's strict field validation does), then evaluate
the ``x-kubernetes-validations`` CEL rules - with the schemas of the bundled CRDs.

Which bundle checks an object is chosen by its apiVersion group and kind:

* the two Gateway API groups: the bundled release ``version`` and ``channel``. Both groups
  are checked in either channel: an experimental ``gateway.networking.x-k8s.io`` kind
  checked against the standard channel is reported as not served there, rather than
  skipped, so that it cannot slip through unnoticed;
* the implementations' groups (``gateway.envoyproxy.io``, ``gateway.nginx.org``,
  ``traefik.io``, ``configuration.konghq.com``, ``security.istio.io``,
  ``networking.istio.io``, ``networking.gke.io``, ``gateway.k8s.aws``): the one bundled
  release of that project (``bundled_crds()`` lists them); a kind or version of such a group
  that the bundle lacks is a violation, for the same reason;
* every other object (core kinds, other groups) is not looked at.

jsonschema and cel-expr-python (Python >= 3.11) are imported on first use only;
without them ``ValidationUnavailable`` is raised with an install hint.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .errors import ValidationUnavailable

__all__ = [
    "BundledCRD",
    "ValidationUnavailable",
    "Violation",
    "available_versions",
    "bundled_crds",
    "is_checked",
    "is_gateway_api",
    "validate_objects",
]

DEFAULT_VERSION = "1.6.1"


class Violation(NamedTuple):
    # `index` shadows tuple.index; the name is the public API's.
    index: int  # type: ignore[assignment]  # position of the object in the list given to validate_objects
    kind: str
    namespace: str | None
    name: str | None
    field: str  # Kubernetes field path, e.g. spec.rules[0].filters; "" = the whole object
    message: str


def available_versions() -> list[str]:
    """Gateway API releases whose CRDs are bundled, oldest first."""
    from .bundle import available_versions as versions

    return list(versions())


class BundledCRD(NamedTuple):
    """One kind of an implementation bundle (for docs and ``--help``)."""

    project: str  # bundle directory, e.g. "envoy-gateway-v1.9.0"
    group: str
    kind: str
    versions: tuple[str, ...]  # served versions
    cel_rules: int  # x-kubernetes-validations rules in the newest served version's schema


def bundled_crds() -> list[BundledCRD]:
    """Every implementation kind validate_objects checks, sorted by project, group, kind."""
    from .bundle import target_crds
    from .cel import count_rules

    out = []
    for (group, kind), found in target_crds().items():
        versions = found.crd["versions"]
        storage = next((v for v in versions if v.get("storage")), versions[0])
        schema = storage.get("schema") or next(
            v["schema"] for v in versions if v["name"] == storage["sameAs"]
        )
        out.append(
            BundledCRD(
                found.project,
                group,
                kind,
                tuple(v["name"] for v in versions),
                count_rules(schema),
            )
        )
    return sorted(out)


def is_gateway_api(obj: Any) -> bool:
    """Whether ``obj``'s apiVersion group is a Gateway API one."""
    from .engine import gateway_api_version

    return gateway_api_version(obj) is not None


def is_checked(obj: Any) -> bool:
    """Whether validate_objects looks at ``obj``: its apiVersion group is a Gateway API one
    or has an implementation bundle."""
    from .engine import checked_version

    return checked_version(obj) is not None


def validate_objects(
    objs: list[dict[str, Any]], channel: str = "standard", version: str = DEFAULT_VERSION
) -> list[Violation]:
    """Violations of every object in ``objs`` that a bundle covers; others are ignored.

    Gateway API objects are checked against ``version``/``channel`` of Gateway API, objects
    of an implementation group against that implementation's bundled CRDs (the same for
    any channel/version). An object whose group/version/kind its bundle does not serve is
    one violation. Raises ValueError for an unknown channel or version,
    ValidationUnavailable when the validation libraries are missing.
    """
    from . import bundle, engine

    bundle.load(version, channel)  # fail early on a bad channel/version
    engine.require_backends()
    out: list[Violation] = []
    for index, obj in enumerate(objs):
        if not engine.checked_version(obj):
            continue
        meta = obj.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        kind = str(obj.get("kind") or "")
        for err in engine.validate(obj, channel, version):
            out.append(
                Violation(
                    index,
                    kind,
                    _opt(meta.get("namespace")),
                    _opt(meta.get("name")),
                    err.field,
                    err.message,
                )
            )
    return out


def _opt(value: Any) -> str | None:
    return None if value in (None, "") else str(value)
