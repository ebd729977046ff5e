"""Seeded defects: mutate correct conversions and check that verify reports every mutation.

The correct conversions are gwshift's own output for ``data/seeded-before.yaml`` (a clean
ingress-nginx stream: verify finds nothing unexplained) and a hand-written Envoy Gateway
migration with an allowlist (``data/allowlist-*.yaml``), and for other controllers gwshift's
output for ``data/seeded-traefik-before.yaml`` (Ingress + Middleware + weighted
IngressRoute) and ``data/seeded-alb-before.yaml`` (ssl-redirect, weighted forward action).
Each mutation is one defect a converter could make; verify must report it as an
unexplained difference of the right kind.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from gwshift import yamlio
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.verify import Report, verify

DATA = Path(__file__).parent / "data"
Obj = dict[str, Any]


def _objs(text: str) -> list[Obj]:
    return [d for d in yamlio.load_all(text) if isinstance(d, dict)]


def _text(objs: list[Obj]) -> str:
    return "---\n".join(yamlio.dump(o) for o in objs)


def _routes(objs: list[Obj]) -> list[Obj]:
    return [o for o in objs if o.get("kind") == "HTTPRoute"]


def _rules(objs: list[Obj]) -> list[Obj]:
    return [r for o in _routes(objs) for r in o["spec"]["rules"]]


def prefix_to_exact(objs: list[Obj]) -> None:
    for rule in _rules(objs):
        for m in rule.get("matches", []):
            path = m.get("path", {})
            if path.get("type") == "PathPrefix" and path.get("value") != "/":
                path["type"] = "Exact"
                return
    raise AssertionError("no PathPrefix to mutate")


def wrong_port(objs: list[Obj]) -> None:
    for rule in _rules(objs):
        for b in rule.get("backendRefs", []):
            if b.get("name") == "api":
                b["port"] += 1
                return
    raise AssertionError("no backendRef to mutate")


def dropped_hostname(objs: list[Obj]) -> None:
    for route in _routes(objs):
        names = route["spec"].get("hostnames", [])
        if "shop.example.org" in names:
            names.remove("shop.example.org")
    assert any("shop.example.com" in r["spec"].get("hostnames", []) for r in _routes(objs))


def swapped_weights(objs: list[Obj]) -> None:
    for rule in _rules(objs):
        refs = rule.get("backendRefs", [])
        if len(refs) == 2 and "weight" in refs[0]:
            refs[0]["weight"], refs[1]["weight"] = refs[1]["weight"], refs[0]["weight"]
            return
    raise AssertionError("no weighted rule to mutate")


def _drop_rules(objs: list[Obj], keep: Callable[[Obj], bool]) -> None:
    for route in _routes(objs):
        route["spec"]["rules"] = [r for r in route["spec"]["rules"] if keep(r)]
    objs[:] = [o for o in objs if o.get("kind") != "HTTPRoute" or o["spec"]["rules"]]


def _redirect(rule: Obj) -> Obj:
    for f in rule.get("filters", []):
        if f.get("type") == "RequestRedirect":
            return dict(f["requestRedirect"])
    return {}


def lost_https_redirect(objs: list[Obj]) -> None:
    _drop_rules(objs, lambda r: _redirect(r).get("scheme") != "https" or "hostname" in _redirect(r))


def lost_permanent_redirect(objs: list[Obj]) -> None:
    _drop_rules(objs, lambda r: _redirect(r).get("hostname") != "new.example.com")


def lost_allowlist(objs: list[Obj]) -> None:
    objs[:] = [o for o in objs if o.get("kind") != "SecurityPolicy"]


def _verify(before: str, after: str) -> Report:
    return verify(before, after, Settings())


@pytest.fixture(scope="module")
def seeded() -> tuple[str, str]:
    before = (DATA / "seeded-before.yaml").read_text()
    return before, transform(before, Settings()).text


def test_correct_conversion_has_nothing_unexplained(seeded: tuple[str, str]) -> None:
    report = _verify(*seeded)
    assert report.probes > 50
    assert not report.unexplained
    assert [d.note.code for d in report.differences if d.note] == ["nginx/redirect-query"]


MUTATIONS = [
    (prefix_to_exact, {"backend"}),  # /api/child falls through to "/"
    (wrong_port, {"backend"}),
    (dropped_hostname, {"not-served"}),
    (swapped_weights, {"weights"}),
    (lost_https_redirect, {"redirect-lost"}),
    (lost_permanent_redirect, {"redirect-lost"}),
]


@pytest.mark.parametrize(("mutate", "kinds"), MUTATIONS, ids=[m.__name__ for m, _ in MUTATIONS])
def test_mutation_is_reported(seeded: tuple[str, str], mutate: Callable[[list[Obj]], None],
                              kinds: set[str]) -> None:
    before, after = seeded
    objs = _objs(after)
    mutate(objs)
    report = _verify(before, _text(objs))
    assert report.exit_code == 1
    assert kinds <= {d.kind for d in report.unexplained}, [d.kind for d in report.unexplained]


def test_allowlist_migration_is_faithful() -> None:
    report = _verify((DATA / "allowlist-before.yaml").read_text(),
                     (DATA / "allowlist-after.yaml").read_text())
    assert report.exit_code == 0 and not report.differences


def test_lost_allowlist_is_reported() -> None:
    """Probes from outside 10.0.0.0/8 were denied (403); without the policy they pass.
    The conversion's nginx/ip-access-control error (it refused to convert) explains
    nothing here: the hand-written route serves the traffic."""
    objs = _objs((DATA / "allowlist-after.yaml").read_text())
    lost_allowlist(objs)
    report = _verify((DATA / "allowlist-before.yaml").read_text(), _text(objs))
    assert {d.kind for d in report.unexplained} == {"access-control-lost"}
    inside = [d for d in report.differences if d.request.client.startswith("10.")]
    assert not inside, "a client inside the allowlist is served the same on both sides"


def test_access_control_by_an_unread_policy_is_not_compared() -> None:
    """A KongPlugin behind an ExtensionRef filter may hold the allowlist: verify cannot tell,
    so the probe is not compared rather than reported as a lost allowlist."""
    objs = _objs((DATA / "allowlist-after.yaml").read_text())
    lost_allowlist(objs)
    rule = _routes(objs)[0]["spec"]["rules"][0]
    rule["filters"] = [{"type": "ExtensionRef", "extensionRef": {
        "group": "configuration.konghq.com", "kind": "KongPlugin", "name": "admin-ip"}}]
    report = _verify((DATA / "allowlist-before.yaml").read_text(), _text(objs))
    assert not report.differences
    assert any("KongPlugin" in why for why in report.not_compared)


# -- other controllers: the same mutations on Traefik and AWS ALB conversions ---------------


def traefik_wrong_port(objs: list[Obj]) -> None:
    for rule in _rules(objs):
        for b in rule.get("backendRefs", []):
            if b.get("name") == "api":
                b["port"] = 8081
                return
    raise AssertionError("no api backendRef")


def dropped_org_hostname(objs: list[Obj]) -> None:
    found = False
    for route in _routes(objs):
        names = route["spec"].get("hostnames", [])
        if "shop.example.org" in names:
            names.remove("shop.example.org")
            found = True
            if not names:
                route["spec"]["hostnames"] = ["unrelated.example.net"]
    assert found


def lost_scheme_redirect(objs: list[Obj]) -> None:
    before = len(_rules(objs))
    _drop_rules(objs, lambda r: _redirect(r).get("scheme") != "https")
    assert len(_rules(objs)) < before


def alb_prefix_to_exact(objs: list[Obj]) -> None:
    for rule in _rules(objs):
        for m in rule.get("matches", []):
            path = m.get("path", {})
            if path.get("type") == "PathPrefix" and path.get("value") == "/api":
                path["type"] = "Exact"
                return
    raise AssertionError("no PathPrefix /api")


SEEDED = {"traefik": "seeded-traefik-before.yaml", "alb": "seeded-alb-before.yaml"}
OTHER_MUTATIONS = [
    ("traefik", traefik_wrong_port, {"backend"}),
    ("traefik", dropped_org_hostname, {"not-served"}),
    ("traefik", swapped_weights, {"weights"}),
    ("traefik", lost_scheme_redirect, {"redirect-lost"}),
    ("alb", alb_prefix_to_exact, {"backend"}),  # /api/child falls through to "/"
    ("alb", traefik_wrong_port, {"backend"}),
    ("alb", dropped_org_hostname, {"not-served"}),
    ("alb", swapped_weights, {"weights"}),
    ("alb", lost_scheme_redirect, {"redirect-lost"}),
]


@pytest.mark.parametrize("dialect", sorted(SEEDED))
def test_other_controller_conversion_has_nothing_unexplained(dialect: str) -> None:
    before = (DATA / SEEDED[dialect]).read_text()
    report = _verify(before, transform(before, Settings()).text)
    assert report.probes > 20 and not report.differences
    assert report.sources_compared and not report.sources_not_compared


@pytest.mark.parametrize(("dialect", "mutate", "kinds"), OTHER_MUTATIONS,
                         ids=[f"{d}-{m.__name__}" for d, m, _ in OTHER_MUTATIONS])
def test_other_controller_mutation_is_reported(dialect: str, mutate: Callable[[list[Obj]], None],
                                               kinds: set[str]) -> None:
    before = (DATA / SEEDED[dialect]).read_text()
    objs = _objs(transform(before, Settings()).text)
    mutate(objs)
    report = _verify(before, _text(objs))
    assert report.exit_code == 1
    assert kinds <= {d.kind for d in report.unexplained}, [d.kind for d in report.unexplained]
