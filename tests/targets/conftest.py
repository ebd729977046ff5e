"""Shared builders for target tests: hand-built Attachments and intents, and a check of
every emitted object against its bundled CRD (schema + CEL) through gwshift.validation."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.intents import Provenance
from gwshift.notes import ObjRef
from gwshift.targets import Attachment, Expressed, Scope

SOURCE = ObjRef("Ingress", "shop", "web", "networking.k8s.io/v1")


def by(key: str = "x", code: str = "nginx/test", security: bool = True) -> Provenance:
    return Provenance(key=key, field=f"metadata.annotations[{key}]", code=code,
                      why="test", security=security)


def att(scope: Scope = "route", kind: str = "HTTPRoute", name: str = "web",
        namespace: str | None = "shop", section: str | None = None) -> Attachment:
    return Attachment(scope, kind, name, namespace, section, SOURCE)


def codes(out: Expressed) -> list[str]:
    return [n.code for n in out.notes]


def kinds(out: Expressed) -> list[str]:
    return [o["kind"] for o in out.objects]


def validate(objects: list[dict[str, Any]]) -> None:
    """Every object passes its CRD; skipped only when the bundle of its group is missing."""
    from gwshift import validation

    groups = {o["apiVersion"].rpartition("/")[0] for o in objects}
    bundled = getattr(validation, "bundled_crds", None)
    try:
        have = {c.group for c in bundled()} if bundled else set()
    except validation.ValidationUnavailable as exc:  # pragma: no cover - env without libs
        pytest.skip(str(exc))
    have.add("gateway.networking.k8s.io")
    missing = sorted(g for g in groups - have)
    if missing:
        pytest.skip(f"no validation bundle for {', '.join(missing)} (validation branch not "
                    "merged yet)")
    try:
        found = validation.validate_objects(objects, channel="standard")
    except validation.ValidationUnavailable as exc:  # pragma: no cover
        pytest.skip(str(exc))
    assert not found, "\n".join(f"{v.kind}/{v.name} {v.field}: {v.message}" for v in found)
