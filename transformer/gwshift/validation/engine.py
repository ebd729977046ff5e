"""One object through the apiserver's create-time validation, offline."""

from __future__ import annotations

import base64
import datetime
import functools
from dataclasses import dataclass
from typing import Any

from . import bundle, cel, metadata, schema
from .errors import INSTALL_HINT, FieldError, ValidationUnavailable

GATEWAY_GROUPS = frozenset({"gateway.networking.k8s.io", "gateway.networking.x-k8s.io"})

# What the apiserver adds when it skips CEL because of blocking schema errors.
CEL_SKIPPED = (
    "some validation rules were not checked because the object was invalid; "
    "correct the existing errors to complete validation"
)


@dataclass(frozen=True)
class Compiled:
    served: bundle.Served
    validator: Any  # jsonschema validator
    rules: cel.Node


def gateway_api_version(obj: Any) -> tuple[str, str] | None:
    """(group, version) when ``obj`` belongs to a Gateway API group, else None."""
    if not isinstance(obj, dict):
        return None
    api_version = obj.get("apiVersion")
    if not isinstance(api_version, str) or "/" not in api_version:
        return None
    group, _, version = api_version.partition("/")
    return (group, version) if group in GATEWAY_GROUPS else None


def require_backends() -> None:
    """Raise ValidationUnavailable unless jsonschema and cel-expr-python import."""
    try:
        import jsonschema  # noqa: F401
    except ImportError as exc:
        raise ValidationUnavailable(f"{INSTALL_HINT}: {exc}") from exc
    cel._backend()


@functools.cache
def compiled(version: str, channel: str, group: str, api_version: str, kind: str) -> Compiled | str:
    """Schema validator and CEL programs of one served kind, built once per process."""
    served = bundle.lookup(version, channel, group, api_version, kind)
    if isinstance(served, str):
        return served
    return Compiled(
        served, schema.compile_validator(served.schema), cel.compile_tree(served.schema)
    )


def validate(obj: dict[str, Any], channel: str, version: str) -> list[FieldError]:
    """Field errors of one object; none for objects outside the Gateway API groups."""
    group_version = gateway_api_version(obj)
    if group_version is None:
        return []
    group, api_version = group_version
    kind = obj.get("kind")
    if not isinstance(kind, str) or not kind:
        return [FieldError("kind", "Required value")]
    target = compiled(version, channel, group, api_version, kind)
    if isinstance(target, str):
        return [FieldError("apiVersion", target)]
    # The status subresource makes the apiserver drop status on create.
    work = {k: _plain(v) for k, v in obj.items() if k != "status"}
    errors = metadata.check(work.get("metadata"))
    schema.default(work, target.served.schema)
    found, blocking = schema.check(target.validator, work)
    errors += found
    if blocking:
        errors.append(FieldError("", CEL_SKIPPED))
    else:
        errors += cel.evaluate(target.rules, work)
    return errors


def _plain(value: Any) -> Any:
    """A deep copy as the apiserver would see it after YAML -> JSON: string keys, timestamps
    and binary as strings (PyYAML builds date/bytes objects where JSON has strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value  # scalars: immutable
