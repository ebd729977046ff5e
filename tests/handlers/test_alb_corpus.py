"""The real corpus's ALB and GCE/GKE renders (``*__d-alb``, ``*__d-gce``, ``*__d-gke``):
every Ingress of those dialects converts, or a note with a code says why it is kept; the
output is valid Gateway API v1.6.1. Needs ../shared (skipped with the reason otherwise)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from gwshift.core import transform
from gwshift.notes import Severity
from gwshift.settings import Settings
from gwshift.validation import is_gateway_api, validate_objects

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "rendered"
FILES = sorted(CORPUS.glob("*__d-alb.yaml")) + sorted(CORPUS.glob("*__d-gce.yaml")) + \
    sorted(CORPUS.glob("*__d-gke.yaml")) if CORPUS.is_dir() else []
CLASSES = {"alb", "gce", "gce-internal"}
# Renders whose Ingress the input itself makes unconvertible, and why (a note says so).
KEPT = {
    "argo-cd__d-alb.yaml": "alb/action-missing",  # use-annotation backend without its action
    "grafana__d-alb.yaml": "alb/waf",  # a WAF ACL: fail closed on the standard target
    # HTTPS certificates from ACM, no Secret: HTTPS would not be served on the standard target
    "argo-workflows__d-alb.yaml": "alb/https-certificate-from-acm",
    "bitnami-wordpress__d-alb.yaml": "alb/https-certificate-from-acm",
    "jenkins__d-alb.yaml": "alb/https-certificate-from-acm",
    "oauth2-proxy__d-alb.yaml": "alb/https-certificate-from-acm",
    "sentry__d-alb.yaml": "alb/https-certificate-from-acm",  # use-annotation backend without its action
    "netbox__d-alb.yaml": "ingress/invalid",  # serviceName/servicePort in networking.k8s.io/v1
    "prometheus-pushgateway__d-alb.yaml": "ingress/invalid",  # the same
    "harbor__d-gce.yaml": "gce/no-listener",  # allow-http false, TLS entry without a Secret
    "sentry__d-gke.yaml": "gce/backendconfig-missing",  # Ingress without namespace
}


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _docs(text: str, marker: str) -> list[dict[str, Any]]:
    """Documents mentioning ``marker`` (the renders hold megabytes of CRDs: skip them)."""
    out = []
    for chunk in re.split(r"^---[^\n]*$", text, flags=re.MULTILINE):
        if marker in chunk:
            out.extend(d for d in yaml.load_all(chunk, Loader=_LOADER) if isinstance(d, dict))
    return out


def _ingresses(text: str) -> list[dict[str, Any]]:
    return [d for d in _docs(text, "kind: Ingress") if d.get("kind") == "Ingress"]


def _gateway_api(text: str) -> list[dict[str, Any]]:
    return [d for d in _docs(text, "gateway.networking.k8s.io") if is_gateway_api(d)]


def _class(ing: dict[str, Any]) -> str | None:
    spec = ing.get("spec") if isinstance(ing.get("spec"), dict) else {}
    meta = ing.get("metadata") if isinstance(ing.get("metadata"), dict) else {}
    anns = meta.get("annotations") or {}
    cls = spec.get("ingressClassName") or anns.get("kubernetes.io/ingress.class")
    return cls if isinstance(cls, str) else None


@pytest.mark.skipif(not FILES, reason=f"corpus renders not found at {CORPUS} (../shared absent)")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_render_converts_or_says_why(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    out = transform(text, Settings())
    ours = [i for i in _ingresses(text) if _class(i) in CLASSES]
    kept = _ingresses(out.text)
    errors = {n.code for n in out.notes if n.severity == Severity.ERROR}
    if path.name in KEPT:
        assert KEPT[path.name] in errors, sorted(errors)
    else:
        assert not [i for i in kept if i in ours], sorted(errors)
    objs = _gateway_api(out.text)
    problems = validate_objects(objs)
    assert not problems, [f"{p.kind}/{p.name} {p.field}: {p.message}" for p in problems]
    assert not [n for n in out.notes if n.code.endswith("unknown-annotation")]


# Accepting those losses converts them (valid output); the input-made problems stay kept.
ACCEPTED = frozenset({"alb/waf", "alb/https-certificate-from-acm", "alb/load-balancer-setting"})


@pytest.mark.skipif(not FILES, reason=f"corpus renders not found at {CORPUS} (../shared absent)")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_render_converts_when_losses_are_accepted(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    out = transform(text, Settings(allow_insecure_drop=ACCEPTED))
    ours = [i for i in _ingresses(text) if _class(i) in CLASSES]
    kept = [i for i in _ingresses(out.text) if i in ours]
    if KEPT.get(path.name, "alb/waf") not in ACCEPTED:
        assert kept
    else:
        assert not kept, sorted(n.code for n in out.notes if n.severity == Severity.ERROR)
    objs = _gateway_api(out.text)
    assert not validate_objects(objs)
