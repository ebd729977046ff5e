"""handlers/__init__.py KNOWN_CONTROLLERS: F5 NGINX (App Protect WAF/DoS) keys under another
class are access controls: the Ingress is kept with an error (issue 19)."""

from __future__ import annotations

import pytest
import yaml
from gwshift import handlers
from gwshift.core import transform
from gwshift.notes import Severity
from gwshift.settings import Settings


def _ingress(ann: dict[str, str], cls: str = "nginx") -> str:
    return "---\n" + yaml.safe_dump({
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": "a", "namespace": "web", "annotations": ann},
        "spec": {"ingressClassName": cls, "rules": [{"host": "a.example.com", "http": {"paths": [
            {"path": "/", "pathType": "Prefix",
             "backend": {"service": {"name": "a", "port": {"number": 80}}}}]}}]}})


@pytest.mark.parametrize("key, value", [
    ("appprotect.f5.com/app-protect-enable", "True"),
    ("appprotect.f5.com/app-protect-policy", "shop/waf"),
    ("appprotect.f5.com/app-protect-security-log", "shop/log"),
    ("appprotectdos.f5.com/app-protect-dos-resource", "shop/dos"),
])
def test_f5_app_protect_under_another_class_fails_closed(key: str, value: str) -> None:
    text = _ingress({key: value})
    out = transform(text, Settings())
    assert out.text == text
    assert ("ingress/security-annotation-dropped", Severity.ERROR) in [
        (n.code, n.severity) for n in out.notes]


def test_f5_prefixes_belong_to_nginx_inc() -> None:
    for key in ("nginx.com/health-checks", "appprotect.f5.com/x", "appprotectdos.f5.com/x"):
        assert {k.name for k in handlers.KNOWN_CONTROLLERS if key.startswith(k.prefixes)} == {
            "nginx-inc"}


def test_other_f5_keys_are_not_security() -> None:
    # the must-not-change twin: a non-security key of the same prefix only warns
    out = transform(_ingress({"nginx.com/health-checks": "true"}, cls="other"),
                    Settings(dialect="none"))
    assert [(n.code, n.severity) for n in out.notes] == [
        ("ingress/annotation-not-converted", Severity.WARNING)]
