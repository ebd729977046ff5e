"""ObjectMeta checks the apiserver makes for every custom resource.

A CRD schema says only ``metadata: {type: object}``; the apiserver validates ObjectMeta
itself (name, namespace, labels, annotations), so those checks are repeated here.
"""

from __future__ import annotations

import json
import re
from typing import Any

from .errors import FieldError

_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_NAME_PART = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")
_LABEL_VALUE = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")

# ObjectMeta's JSON fields; anything else is an unknown field.
_FIELDS = frozenset(
    ["name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields"]
)

_SUBDOMAIN_MSG = (
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
    "'-' or '.', and must start and end with an alphanumeric character"
)
_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character"
)


def check(meta: Any) -> list[FieldError]:
    if meta is None:
        return [FieldError("metadata.name", "Required value: name or generateName is required")]
    if not isinstance(meta, dict):
        return []  # the schema's `type: object` reports it
    errors = [FieldError(f"metadata.{k}", "unknown field") for k in meta if k not in _FIELDS]
    name = meta.get("name")
    if not name and not meta.get("generateName"):
        errors.append(
            FieldError("metadata.name", "Required value: name or generateName is required")
        )
    elif isinstance(name, str) and name:
        errors += _dns("metadata.name", name, 253, _SUBDOMAIN, _SUBDOMAIN_MSG)
    namespace = meta.get("namespace")
    if isinstance(namespace, str) and namespace:
        errors += _dns("metadata.namespace", namespace, 63, _LABEL, _LABEL_MSG)
    errors += _map("metadata.labels", meta.get("labels"), label_values=True)
    errors += _map("metadata.annotations", meta.get("annotations"), label_values=False)
    return errors


def _dns(
    where: str, value: str, limit: int, pattern: re.Pattern[str], msg: str
) -> list[FieldError]:
    errors = []
    if len(value) > limit:
        errors.append(
            FieldError(
                where,
                f"Invalid value: {json.dumps(value)}: must be no more than {limit} characters",
            )
        )
    if not pattern.match(value):
        errors.append(FieldError(where, f"Invalid value: {json.dumps(value)}: {msg}"))
    return errors


def _map(where: str, value: Any, label_values: bool) -> list[FieldError]:
    if value is None:
        return []
    if not isinstance(value, dict):
        return [FieldError(where, "Invalid value: must be a map of strings")]
    errors = []
    for key, item in value.items():
        problem = qualified_name_error(str(key))
        if problem:
            errors.append(
                FieldError(f"{where}[{key}]", f"Invalid value: {json.dumps(key)}: {problem}")
            )
        if not isinstance(item, str):
            errors.append(
                FieldError(
                    f"{where}[{key}]",
                    f"Invalid value: {json.dumps(item, default=str)}: must be a string",
                )
            )
        elif label_values and (len(item) > 63 or not _LABEL_VALUE.match(item)):
            errors.append(
                FieldError(
                    f"{where}[{key}]",
                    f"Invalid value: {json.dumps(item, default=str)}: a valid label "
                    "value must be 63 characters or less and consist of "
                    "alphanumeric characters, '-', '_' or '.'",
                )
            )
    return errors


def qualified_name_error(key: str) -> str | None:
    """Why ``key`` is not a Kubernetes qualified name (``[prefix/]name``), or None."""
    prefix, _, name = key.rpartition("/")
    if "/" in prefix:
        return "a qualified name must have at most one '/'"
    if prefix and (len(prefix) > 253 or not _SUBDOMAIN.match(prefix)):
        return f"prefix part {_SUBDOMAIN_MSG}"
    if not name or len(name) > 63 or not _NAME_PART.match(name):
        return (
            "name part must be 1-63 characters of alphanumerics, '-', '_' or '.', "
            "starting and ending with an alphanumeric character"
        )
    return None
