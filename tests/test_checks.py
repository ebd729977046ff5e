"""checks.py: leftover controller annotations (registry data), security keys fail closed."""

from __future__ import annotations

import pytest
import yaml
from gwshift import handlers
from gwshift.core import transform
from gwshift.notes import Severity
from gwshift.settings import Settings


def _ingress(ann: dict[str, str], cls: str = "other") -> str:
    return "---\n" + yaml.safe_dump({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "a", "namespace": "web", "annotations": ann},
        "spec": {"ingressClassName": cls, "rules": [{"host": "a.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "a", "port": {"number": 80}}}}]}}]}})


@pytest.mark.parametrize("key", [
    "haproxy.org/allow-list", "haproxy.org/deny-list", "konghq.com/plugins",
    "alb.ingress.kubernetes.io/security-groups", "alb.ingress.kubernetes.io/wafv2-acl-arn",
    "zalando.org/skipper-filter", "cloud.google.com/backend-config",
    "nginx.ingress.kubernetes.io/global-rate-limit", "traefik.ingress.kubernetes.io/router.middlewares",
])
def test_access_controls_of_any_controller_fail_closed(key: str) -> None:
    text = _ingress({key: "x"})
    out = transform(text, Settings(dialect="none"))
    assert out.text == text
    assert [(n.code, n.severity) for n in out.notes] == [
        ("ingress/security-annotation-dropped", Severity.ERROR)]


@pytest.mark.parametrize("key", ["haproxy.org/timeout-server", "konghq.com/strip-path",
                                 "nginx.ingress.kubernetes.io/proxy-body-size"])
def test_other_controller_keys_are_reported(key: str) -> None:
    out = transform(_ingress({key: "1"}), Settings(dialect="none"))
    assert [(n.code, n.severity) for n in out.notes] == [
        ("ingress/annotation-not-converted", Severity.WARNING)]


def test_annotations_of_no_controller_are_not_reported() -> None:
    out = transform(_ingress({"example.com/team": "a", "kubernetes.io/ingress.class": "x"}),
                    Settings(dialect="none"))
    assert not out.notes


def test_ingress_nginx_default_prefix_is_reported_when_the_prefix_moves() -> None:
    settings = Settings(annotation_prefix="custom.io")
    assert handlers.controller_of("nginx.ingress.kubernetes.io/x", settings) == (
        handlers.Owner("ingress-nginx", False, handlers.KNOWN_CONTROLLERS[0].security))
    out = transform(_ingress({"nginx.ingress.kubernetes.io/auth-url": "http://a"}, cls="nginx"),
                    settings)
    assert [n.code for n in out.notes] == ["ingress/security-annotation-dropped"]


def test_a_dialects_own_keys_are_left_to_it() -> None:
    owner = handlers.controller_of("nginx.ingress.kubernetes.io/x", Settings())
    assert owner is not None and owner.dialect and owner.name == "nginx"


def test_not_converted_message_escapes_the_value() -> None:
    out = transform(_ingress({"haproxy.org/timeout-server": "1\nerror fake/code: forged"}),
                    Settings(dialect="none"))
    assert [n.code for n in out.notes] == ["ingress/annotation-not-converted"]
    assert "\n" not in out.notes[0].message and "\\n" in out.notes[0].message


@pytest.mark.parametrize("value", ["false", "False", "0", "f"])
def test_allow_http_false_fails_closed(value: str) -> None:
    # no dialect owns class "other" (GKE's controller may be the one serving it)
    text = _ingress({"kubernetes.io/ingress.allow-http": value})
    out = transform(text, Settings())
    assert out.text == text
    assert [(n.code, n.severity) for n in out.notes] == [
        ("ingress/allow-http-false", Severity.ERROR)]
    dropped = transform(text, Settings(allow_insecure_drop=frozenset({"ingress/allow-http-false"})))
    assert "kind: HTTPRoute" in dropped.text
    assert [(n.code, n.severity) for n in dropped.notes] == [
        ("ingress/allow-http-false", Severity.WARNING)]


@pytest.mark.parametrize("value", ["true", "", "no", "yes"])
def test_allow_http_other_values_leave_http_open(value: str) -> None:
    # ingress-gce: ParseBool errors mean HTTP stays allowed (must-not-change twin)
    out = transform(_ingress({"kubernetes.io/ingress.allow-http": value}), Settings())
    assert "kind: HTTPRoute" in out.text and not out.notes


def test_allow_http_false_is_ignored_by_ingress_nginx_with_a_note() -> None:
    out = transform(_ingress({"kubernetes.io/ingress.allow-http": "false"}, cls="nginx"),
                    Settings())
    assert "kind: HTTPRoute" in out.text
    assert [(n.code, n.severity) for n in out.notes] == [
        ("ingress/allow-http-ignored", Severity.INFO)]
