"""Outcome.summary: per-source disposition, generated refs and per-annotation status."""

from __future__ import annotations

from typing import Any

import yaml
from gwshift import core, outcome
from gwshift.core import transform
from gwshift.notes import ObjRef
from gwshift.settings import Settings

P = "nginx.ingress.kubernetes.io/"


def ingress(name: str, ann: dict[str, str] | None = None, host: str = "a.example.com",
            cls: str = "nginx", spec: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": "web", "annotations": ann or {}},
            "spec": spec if spec is not None else {
                "ingressClassName": cls, "rules": [{"host": host, "http": {"paths": [
                    {"path": "/", "pathType": "Prefix",
                     "backend": {"service": {"name": name, "port": {"number": 80}}}}]}}]}}


def run(*objs: dict[str, Any], **settings: Any) -> outcome.Outcome:
    text = "".join("---\n" + yaml.safe_dump(o, sort_keys=False) for o in objs)
    return transform(text, Settings(**settings))


def ref(name: str) -> ObjRef:
    return ObjRef("Ingress", "web", name, "networking.k8s.io/v1")


def test_core_outcome_is_the_outcome_value() -> None:
    assert core.Outcome is outcome.Outcome
    assert run(ingress("a")).summary.target == "standard"


def test_converted_source_lists_what_was_generated() -> None:
    (src,) = run(ingress("a")).summary.sources
    assert (src.ref, src.doc, src.disposition, src.dialect) == (ref("a"), 0, "converted", "nginx")
    assert [(g.kind, g.name) for g in src.generated] == [("Gateway", "nginx"), ("HTTPRoute", "a")]


def test_kept_not_selected_and_invalid_sources_say_why() -> None:
    out = run(ingress("a", {P + "whitelist-source-range": "10.0.0.0/8"}),
              ingress("b", cls="other"), ingress("c", spec={"rules": "x"}),
              ingress_classes=("nginx",))
    got = [(s.ref.name, s.disposition, s.reason) for s in out.summary.sources]
    assert got == [("a", "kept", "nginx/ip-access-control"),
                   ("b", "not-selected", "ingress/class-not-selected"),
                   ("c", "kept", "ingress/invalid")]


def test_a_canary_is_merged_into_its_primary() -> None:
    canary = ingress("a-canary", {P + "canary": "true", P + "canary-weight": "10"})
    out = run(ingress("a"), canary)
    merged = out.summary.sources[1]
    assert (merged.disposition, merged.merged_into) == ("merged", ref("a"))


def test_a_rerun_on_kept_output_is_already_converted() -> None:
    once = run(ingress("a"), keep_ingress=True).text
    (src,) = transform(once, Settings(keep_ingress=True)).summary.sources
    assert (src.disposition, src.reason) == ("already-converted", "ingress/already-converted")


def test_annotation_status_comes_from_the_table_and_the_notes() -> None:
    out = run(ingress("a", {P + "rewrite-target": "/", P + "proxy-body-size": "8m",
                            P + "enable-access-log": "true", "haproxy.org/timeout-server": "5s",
                            "example.com/team": "x"}))
    got = {a.key: (a.status, a.code) for a in out.summary.annotations}
    assert got == {
        P + "enable-access-log": ("ignored", None),
        P + "proxy-body-size": ("reported", "nginx/proxy-body-size-not-converted"),
        P + "rewrite-target": ("approximated", None),  # the row has a caveat
        "haproxy.org/timeout-server": ("reported", "ingress/annotation-not-converted"),
    }


def test_blocked_annotations_carry_the_error_code() -> None:
    out = run(ingress("a", {P + "auth-type": "basic", P + "auth-secret": "u"}))
    got = {a.key: (a.status, a.code) for a in out.summary.annotations}
    assert got[P + "auth-type"] == ("blocked", "nginx/auth-basic")
