"""Every upstream v1.6.1 conformance and example manifest against the bundled CRDs."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import pytest
from gwshift import yamlio
from gwshift.validation import Violation, is_gateway_api, validate_objects

# Objects that are invalid on purpose: the conformance suite substitutes these
# placeholders at run time, so the raw YAML cannot pass the CRD patterns.
PLACEHOLDER_FAILURES = {
    # spec.addresses[].value "PLACEHOLDER_(UN)USABLE_ADDRS" is not an IPv4/IPv6 address.
    ("tests/gateway-static-addresses.yaml", "gateway-static-addresses", "spec.addresses[1]"),
    ("tests/gateway-static-addresses.yaml", "gateway-static-addresses", "spec.addresses[2]"),
    # spec.controllerName "{GATEWAY_CONTROLLER_NAME}" does not match domain/path.
    (
        "tests/gatewayclass-observed-generation-bump.yaml",
        "gatewayclass-observed-generation-bump",
        "spec.controllerName",
    ),
}

# Fields that exist only in the experimental CRDs (reference §1.2), and kinds/versions
# that only the experimental channel serves.
STANDARD_ONLY_EXTRA = {
    ("tests/httproute-retry.yaml", "retries", "spec.rules[0].retry"),
    ("tests/httproute-retry.yaml", "retries", "spec.rules[1].retry"),
    ("experimental/v1alpha2/tls-routing/tls-route.yaml", "example-route", "apiVersion"),
    ("experimental/v1alpha3/tls-routing/tls-route.yaml", "example-route", "apiVersion"),
}

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="cel-expr-python needs Python >= 3.11"
)


def _corpus(root: Path) -> tuple[list[dict[str, Any]], list[str]]:
    objs: list[dict[str, Any]] = []
    origin: list[str] = []
    for sub in ("conformance-yaml", "examples-yaml"):
        for path in sorted((root / sub).rglob("*.yaml")):
            for doc in yamlio.load_all(path.read_text(encoding="utf-8")):
                if is_gateway_api(doc):
                    objs.append(doc)
                    origin.append(path.relative_to(root / sub).as_posix())
    return objs, origin


@pytest.fixture(scope="module")
def corpus(gateway_api_dir: Path) -> tuple[list[dict[str, Any]], list[str]]:
    objs, origin = _corpus(gateway_api_dir)
    assert len(objs) >= 450, "the upstream corpus shrank: check ../shared"
    return objs, origin


def _keys(violations: list[Violation], origin: list[str]) -> set[tuple[str, str | None, str]]:
    return {(origin[v.index], v.name, v.field) for v in violations}


def test_corpus_valid_against_experimental(corpus: Any) -> None:
    objs, origin = corpus
    started = time.perf_counter()
    violations = validate_objects(objs, channel="experimental")
    elapsed = time.perf_counter() - started
    assert _keys(violations, origin) == PLACEHOLDER_FAILURES, violations
    assert elapsed < 10, f"validating {len(objs)} objects took {elapsed:.1f}s"


def test_corpus_against_standard_rejects_experimental_only(corpus: Any) -> None:
    objs, origin = corpus
    violations = validate_objects(objs, channel="standard")
    assert _keys(violations, origin) == PLACEHOLDER_FAILURES | STANDARD_ONLY_EXTRA
    retry = [v for v in violations if v.field.endswith(".retry")]
    assert retry and all(v.message == "unknown field" for v in retry)
    served = [v for v in violations if v.field == "apiVersion"]
    assert all(
        "not served by the standard channel of Gateway API v1.6.1" in v.message for v in served
    )


def test_validation_does_not_modify_input(corpus: Any) -> None:
    import copy

    objs, _ = corpus
    before = copy.deepcopy(objs[:50])
    validate_objects(objs[:50], channel="experimental")
    assert objs[:50] == before


def _paths(obj: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(obj, dict):
        for key, value in obj.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(obj, list):
        for index, value in enumerate(obj):
            out += _paths(value, (*prefix, index))
    return out


def test_mangled_objects_never_crash(corpus: Any) -> None:
    """Any shape of input yields violations, never an exception (seeded, reproducible)."""
    import copy
    import random

    objs, _ = corpus
    rnd = random.Random(20260716)
    junk: list[Any] = [
        None,
        0,
        -1,
        2**70,
        1.5,
        True,
        "",
        "x",
        "__",
        [],
        {},
        [None],
        {"namespace": 1},
        ["a", "a"],
        {"1bad": {}},
        "10.0.0.1",
    ]
    mangled = []
    for _ in range(400):
        obj = copy.deepcopy(rnd.choice(objs))
        for _ in range(rnd.randint(1, 3)):
            paths = _paths(obj)
            if not paths:
                break
            *parents, last = rnd.choice(paths)
            target = obj
            for key in parents:
                target = target[key]
            target[last] = copy.deepcopy(rnd.choice(junk))
        mangled.append(obj)
    for channel in ("standard", "experimental"):
        assert isinstance(validate_objects(mangled, channel=channel), list)
