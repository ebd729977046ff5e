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


def group_version(obj: Any) -> tuple[str, str] | None:
    """(group, version) of an object of a named API group (core ``v1`` has none)."""
    if not isinstance(obj, dict):
        return None
    api_version = obj.get("apiVersion")
    if not isinstance(api_version, str) or "/" not in api_version:
        return None
    group, _, version = api_version.partition("/")
    return group, version


def gateway_api_version(obj: Any) -> tuple[str, str] | None:
    """(group, version) when ``obj`` belongs to a Gateway API group, else None."""
    found = group_version(obj)
    return found if found is not None and found[0] in GATEWAY_GROUPS else None


def checked_version(obj: Any) -> tuple[str, str] | None:
    """(group, version) when a bundle covers ``obj``'s group (Gateway API or an
    implementation's), else None. Only named groups load the implementation bundles."""
    found = group_version(obj)
    if found is None:
        return None
    group = found[0]
    return found if group in GATEWAY_GROUPS or group in bundle.target_groups() else None


def require_backends() -> None:
    """Raise ValidationUnavailable unless jsonschema and cel-expr-python import."""
    try:
        import jsonschema  # noqa: F401
    except ImportError as exc:
        raise ValidationUnavailable(f"{INSTALL_HINT}: {exc}") from exc
    cel._backend()


def _compile(served: bundle.Served | str) -> Compiled | str:
    if isinstance(served, str):
        return served
    return Compiled(
        served, schema.compile_validator(served.schema), cel.compile_tree(served.schema)
    )


@functools.cache
def compiled(version: str, channel: str, group: str, api_version: str, kind: str) -> Compiled | str:
    """Schema validator and CEL programs of one served kind, built once per process.
    Implementation groups have one bundle each: ``version`` and ``channel`` do not matter."""
    if group in GATEWAY_GROUPS:
        return _compile(bundle.lookup(version, channel, group, api_version, kind))
    return _compiled_target(group, api_version, kind)


@functools.cache
def _compiled_target(group: str, api_version: str, kind: str) -> Compiled | str:
    return _compile(bundle.lookup_target(group, api_version, kind))


def validate(obj: dict[str, Any], channel: str, version: str) -> list[FieldError]:
    """Field errors of one object; none for objects of groups without a bundle."""
    found = checked_version(obj)
    if found is None:
        return []
    group, api_version = found
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
    schema_errors, blocking = schema.check(target.validator, work)
    errors += schema_errors
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
