"""Offline validation of Gateway API objects against the official CRDs (schema + CEL).

    from gwshift.validation import validate_objects
    for v in validate_objects(objs, channel="standard", version="1.6.1"):
        print(v.kind, v.namespace, v.name, v.field, v.message)

Repeats what the apiserver does on create: prune nulls, apply defaults, check the OpenAPI
schema (unknown fields included, as kubectl's strict field validation does), then evaluate
the ``x-kubernetes-validations`` CEL rules - with the schemas of the bundled release.
Objects of both Gateway API groups are checked in either channel: an experimental
``gateway.networking.x-k8s.io`` kind checked against the standard channel is reported as
not served there, rather than skipped, so that it cannot slip through unnoticed.
jsonschema and cel-expr-python (Python >= 3.11) are imported on first use only;
without them ``ValidationUnavailable`` is raised with an install hint.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .errors import ValidationUnavailable

__all__ = [
    "ValidationUnavailable",
    "Violation",
    "available_versions",
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


def is_gateway_api(obj: Any) -> bool:
    """Whether validate_objects looks at ``obj`` (its apiVersion group is a Gateway API one)."""
    from .engine import gateway_api_version

    return gateway_api_version(obj) is not None


def validate_objects(
    objs: list[dict[str, Any]], channel: str = "standard", version: str = DEFAULT_VERSION
) -> list[Violation]:
    """Violations of every Gateway API object in ``objs``; other objects are ignored.

    An object whose group/version/kind the channel does not serve is one violation.
    Raises ValueError for an unknown channel or version, ValidationUnavailable when the
    validation libraries are missing.
    """
    from . import bundle, engine

    bundle.load(version, channel)  # fail early on a bad channel/version
    engine.require_backends()
    out: list[Violation] = []
    for index, obj in enumerate(objs):
        if not engine.gateway_api_version(obj):
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
