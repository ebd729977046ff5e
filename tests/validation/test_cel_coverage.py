"""The CEL engine copes with every ``x-kubernetes-validations`` rule of every bundled CRD.

Each rule compiles with the engine's environment, and the rule trees of every served
version build. Rules the engine deliberately does not evaluate are listed here, each with
its reason: a new kind of skip fails this test until it is written down.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
from gwshift.validation import cel

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="cel-expr-python needs Python >= 3.11"
)

# (kind, rule) -> reason. Only transition rules: they compare with the stored object, which
# a create does not have, so the apiserver does not run them on create either.
NOT_EVALUATED: dict[tuple[str, str], str] = {
    ("GatewayClass", "self == oldSelf"): cel.TRANSITION_RULE,  # spec.controllerName
    ("XMesh", "self == oldSelf"): cel.TRANSITION_RULE,
    ("KongClusterPlugin", "self.plugin == oldSelf.plugin"): cel.TRANSITION_RULE,
    ("KongPlugin", "self.plugin == oldSelf.plugin"): cel.TRANSITION_RULE,
}


def _bundles() -> Iterator[tuple[str, dict[str, Any]]]:
    root = resources.files("gwshift") / "data"
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if not entry.is_dir():
            continue
        for f in sorted(entry.iterdir(), key=lambda e: e.name):
            if f.name.endswith(".json"):
                yield f"{entry.name}/{f.name}", json.loads(f.read_text(encoding="utf-8"))


def _schemas() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for where, bundle in _bundles():
        for crd in bundle["crds"]:
            for v in crd["versions"]:
                if "schema" in v:
                    yield f"{where}:{crd['kind']}/{v['name']}", crd["kind"], v["schema"]


def _every_rule(node: Any) -> Iterator[str]:
    """Rules anywhere in a schema, junctors (anyOf/allOf/oneOf/not) included."""
    if isinstance(node, dict):
        for spec in node.get("x-kubernetes-validations") or []:
            yield spec["rule"]
        for key, value in node.items():
            if key == "properties":
                for sub in value.values():
                    yield from _every_rule(sub)
            elif key in ("items", "additionalProperties", "not"):
                yield from _every_rule(value)
            elif key in ("anyOf", "allOf", "oneOf"):
                for sub in value:
                    yield from _every_rule(sub)


def test_bundles_are_found() -> None:
    names = {where.split("/")[0] for where, _ in _bundles()}
    assert {"gateway-api-v1.6.1", "envoy-gateway-v1.9.0", "istio-api-1.30.3"} <= names
    assert len(names) == 8


def test_every_rule_compiles() -> None:
    failures = []
    count = 0
    for where, _, schema in _schemas():
        for rule in _every_rule(schema):
            count += 1
            try:
                cel._compile_rule(rule)
            except Exception as exc:  # noqa: BLE001 - report every failure at once
                failures.append(f"{where}: {rule!r}: {exc}")
    assert not failures, "\n".join(failures)
    assert count > 1000  # all bundles, all versions (Envoy Gateway alone has 341)


def test_rules_sit_only_where_the_engine_walks() -> None:
    # compile_tree walks properties/items/additionalProperties; a rule under a junctor
    # would be silently ignored (structural schemas forbid them, this checks the data).
    for where, _, schema in _schemas():
        assert sorted(_every_rule(schema)) == sorted(r["rule"] for r in cel.rules_of(schema)), where


def test_no_message_expressions() -> None:
    # messageExpression is not emulated; none of the bundled CRDs uses it.
    for where, _, schema in _schemas():
        text = json.dumps(schema)
        assert "messageExpression" not in text, where


def test_every_tree_builds_and_skips_only_listed_rules() -> None:
    skipped: dict[tuple[str, str], str] = {}
    for _, kind, schema in _schemas():
        tree = cel.compile_tree(schema)
        for s in tree.all_skipped():
            skipped[(kind, s.rule)] = s.reason
    assert skipped == NOT_EVALUATED
