"""Structural-schema half of the apiserver's CRD validation: defaulting and OpenAPI checks.

The apiserver, for a create, (1) prunes nulls of non-nullable fields and unknown fields,
(2) applies ``default`` values, (3) validates the OpenAPI schema, then (4) runs CEL rules
(``cel.py``). Steps 1-3 are here. The OpenAPI v3 schema is turned into a JSON Schema
(draft 7) for ``jsonschema``; Kubernetes-only keywords get their own checks.
"""

from __future__ import annotations

import copy
import functools
import ipaddress
import re
from collections.abc import Callable, Iterator
from typing import Any

from .errors import FieldError

Schema = dict[str, Any]

# Error types after which the apiserver does not run CEL rules at all (apiextensions
# ``hasBlockingErr``): rules may assume types, required fields and size bounds hold.
_BLOCKING = frozenset({"type", "required", "enum", "maxLength", "maxItems", "maxProperties"})

_INT32 = (-(2**31), 2**31 - 1)
_INT64 = (-(2**63), 2**63 - 1)


# --- pruning nulls and defaulting (apiextensions structural defaulting) ----------------------


def default(value: Any, schema: Schema) -> None:
    """Apply ``default`` values in place, like the apiserver: absent or null properties get a
    deep copy of their default, then every value is visited, defaulted ones included."""
    if isinstance(value, dict):
        props: dict[str, Schema] = schema.get("properties") or {}
        for key in [k for k, v in value.items() if v is None]:
            # Nulls of non-nullable fields are pruned before defaulting (none of the
            # Gateway API fields is nullable), so `filters:` with no items means absent.
            sub = props.get(key) or _additional(schema)
            if sub is not None and not sub.get("nullable", False):
                del value[key]
        for key, sub in props.items():
            if "default" in sub and key not in value:
                value[key] = copy.deepcopy(sub["default"])
        additional = _additional(schema)
        for key, item in value.items():
            sub = props.get(key, additional)
            if sub is not None:
                default(item, sub)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for item in value:
            default(item, schema["items"])


def _additional(schema: Schema) -> Schema | None:
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


# --- OpenAPI v3 (structural) -> JSON Schema draft 7 ------------------------------------------

_COPIED = ["type", "required", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems", "uniqueItems", "minProperties", "maxProperties", "format", "x-kubernetes-list-type", "x-kubernetes-list-map-keys"]


def to_json_schema(node: Schema, value_only: bool = False) -> Schema:
    """Convert one structural schema node.

    ``value_only`` is set below anyOf/oneOf/allOf/not: there a structural schema may only
    restrict values; it declares no fields of its own, so closing objects there would reject
    fields the enclosing schema allows (e.g. Gateway ``spec.addresses[].value``).
    """
    out: Schema = {k: node[k] for k in _COPIED if k in node}
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if node.get("x-kubernetes-int-or-string") and "type" not in out:
        out["anyOf"] = [{"type": "integer"}, {"type": "string"}]
    # OpenAPI 3.0 writes exclusive bounds as booleans modifying minimum/maximum.
    for bound, flag in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if node.get(flag) is True and bound in out:
            out[flag] = out.pop(bound)
    if "properties" in node:
        out["properties"] = {
            k: to_json_schema(v, value_only) for k, v in node["properties"].items()
        }
    if isinstance(node.get("items"), dict):
        out["items"] = to_json_schema(node["items"], value_only)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        out["additionalProperties"] = to_json_schema(extra, value_only)
    elif isinstance(extra, bool):
        out["additionalProperties"] = extra
    elif (
        "properties" in node
        and not value_only
        and not node.get("x-kubernetes-preserve-unknown-fields")
    ):
        # The apiserver prunes unknown fields; kubectl's default strict field validation
        # turns them into errors. Either way they never reach the cluster: report them.
        out["additionalProperties"] = False
    for key in ("anyOf", "oneOf", "allOf"):
        if key in node:
            out[key] = [to_json_schema(sub, True) for sub in node[key]]
    if "not" in node:
        out["not"] = to_json_schema(node["not"], True)
    return out


# --- Kubernetes keywords for jsonschema --------------------------------------------------------


def _list_type(validator: Any, list_type: Any, instance: Any, schema: Schema) -> Iterator[Any]:
    """x-kubernetes-list-type: ``set`` items and ``map`` keys must be unique."""
    from jsonschema.exceptions import ValidationError

    if not isinstance(instance, list) or list_type not in ("set", "map"):
        return
    keys: list[str] = schema.get("x-kubernetes-list-map-keys") or []
    seen: set[str] = set()
    for index, item in enumerate(instance):
        if list_type == "map":
            if not isinstance(item, dict):
                continue
            ident = {k: item.get(k) for k in keys}
        else:
            ident = item
        token = repr(ident)
        if token in seen:
            yield ValidationError(f"Duplicate value: {_render(ident)}", path=[index])
        seen.add(token)


def _render(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"), sort_keys=True, default=str)


def _int_range(low: int, high: int) -> Callable[[Any], bool]:
    def check(instance: Any) -> bool:
        if isinstance(instance, bool) or not isinstance(instance, int):
            return True  # formats only constrain the type they name
        return low <= instance <= high

    return check


def _ip_check(cls: type) -> Callable[[Any], bool]:
    def check(instance: Any) -> bool:
        if not isinstance(instance, str):
            return True
        try:
            cls(instance)
        except ValueError:
            return False
        return "%" not in instance  # no IPv6 zones, as Go's net.ParseIP

    return check


def _is_base64(instance: Any) -> bool:
    """``format: byte``: standard base64 with padding, as Go's base64.StdEncoding."""
    if not isinstance(instance, str):
        return True
    import base64
    import binascii

    try:
        base64.b64decode(instance, validate=True)
    except (binascii.Error, ValueError):
        return False
    return True


def _is_integer(checker: Any, instance: Any) -> bool:
    """``type: integer`` as the apiserver decodes JSON: an integer beyond int64 arrives as
    a float64 above 2^53, which is not an integer for kube-openapi."""
    if isinstance(instance, bool):
        return False
    if isinstance(instance, int):
        return _INT64[0] <= instance <= _INT64[1]
    return isinstance(instance, float) and instance.is_integer() and abs(instance) <= 2**53


@functools.cache
def _validator_class() -> Any:
    from jsonschema import Draft7Validator, validators

    types = Draft7Validator.TYPE_CHECKER.redefine("integer", _is_integer)
    return validators.extend(
        Draft7Validator, {"x-kubernetes-list-type": _list_type}, type_checker=types
    )


@functools.cache
def _format_checker() -> Any:
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("int32")(_int_range(*_INT32))
    checker.checks("int64")(_int_range(*_INT64))
    checker.checks("ipv4")(_ip_check(ipaddress.IPv4Address))
    checker.checks("ipv6")(_ip_check(ipaddress.IPv6Address))
    checker.checks("byte")(_is_base64)
    return checker


# Every custom resource has these, whether its schema declares them or not (Istio's CRDs
# declare only spec and status); ObjectMeta is checked by metadata.py.
_ROOT_FIELDS: dict[str, Schema] = {
    "apiVersion": {"type": "string"},
    "kind": {"type": "string"},
    "metadata": {"type": "object"},
}


def compile_validator(openapi: Schema) -> Any:
    """A jsonschema validator for one served version's openAPIV3Schema."""
    schema = to_json_schema(openapi)
    if "properties" in schema:
        schema["properties"] = {**_ROOT_FIELDS, **schema["properties"]}
    return _validator_class()(schema, format_checker=_format_checker())


# --- errors in the apiserver's words ------------------------------------------------------------


def field_path(parts: Any) -> str:
    """``spec.rules[0].matches[1]`` from a jsonschema path."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def check(validator: Any, obj: dict[str, Any]) -> tuple[list[FieldError], bool]:
    """Schema errors of a defaulted object, and whether any of them blocks CEL."""
    errors: list[FieldError] = []
    blocking = False
    for err in validator.iter_errors(obj):
        blocking = blocking or err.validator in _BLOCKING
        errors.extend(_translate(err))
    return errors, blocking


def _translate(err: Any) -> list[FieldError]:
    path = list(err.absolute_path)
    where = field_path(path)
    kw, expected, value = err.validator, err.validator_value, err.instance
    if kw == "additionalProperties":
        allowed = err.schema.get("properties", {})
        return [
            FieldError(field_path([*path, key]), "unknown field")
            for key in value
            if key not in allowed
        ]
    if kw == "required":
        missing = re.match(r"^'(.*)' is a required property$", err.message)
        name = missing.group(1) if missing else str(expected)
        return [FieldError(field_path([*path, name]), "Required value")]
    return [FieldError(where, _message(kw, expected, value, err))]


def _message(kw: str, expected: Any, value: Any, err: Any) -> str:
    shown = _render(value)
    if kw == "type":
        return f"Invalid value: {shown}: must be of type {expected}"
    if kw == "enum":
        return f"Unsupported value: {shown}: supported values: " + ", ".join(
            _render(v) for v in expected
        )
    if kw == "pattern":
        return f"Invalid value: {shown}: should match '{expected}'"
    if kw == "maxLength":
        return f"Too long: may not be more than {expected} bytes"
    if kw == "minLength":
        return f"Invalid value: {shown}: should be at least {expected} chars long"
    if kw == "maxItems":
        return f"Too many: {len(value)}: must have at most {expected} items"
    if kw == "minItems":
        return f"Invalid value: {len(value)}: should have at least {expected} items"
    if kw == "maxProperties":
        return f"Too many: {len(value)}: must have at most {expected} items"
    if kw == "minimum":
        return f"Invalid value: {shown}: should be greater than or equal to {expected}"
    if kw == "maximum":
        return f"Invalid value: {shown}: should be less than or equal to {expected}"
    if kw == "format":
        return f"Invalid value: {shown}: must be of type {expected}"
    if kw in ("oneOf", "anyOf", "not"):
        detail = _best_context(err)
        label = {"oneOf": "one and only one schema", "anyOf": "at least one schema"}
        head = (
            f"Invalid value: {shown}: must not validate the schema (not)"
            if kw == "not"
            else f"Invalid value: {shown}: must validate {label[kw]} ({kw})"
        )
        return f"{head}; {detail}" if detail else head
    return err.message  # x-kubernetes-list-type duplicates and anything rarer


def _best_context(err: Any) -> str:
    if not err.context:
        return ""
    from jsonschema.exceptions import best_match

    sub = best_match(err.context)
    while sub.context:  # nested anyOf inside oneOf: the leaf says what is actually wrong
        sub = best_match(sub.context)
    where = field_path(sub.absolute_path)
    return f"{where}: {_message(sub.validator, sub.validator_value, sub.instance, sub)}"
