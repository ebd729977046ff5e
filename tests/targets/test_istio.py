from __future__ import annotations

from gwshift.intents import BackendTLS, IPAccess
from gwshift.settings import Settings
from gwshift.targets import get, refusal
from gwshift.targets.istio import express

from .conftest import att, by, codes, kinds, validate

S = Settings()


def test_ip_lists_are_refused_rather_than_widened_to_the_gateway() -> None:
    assert refusal(get("istio"), IPAccess(("10.0.0.0/8",), (), by())) is not None


def test_backend_tls_is_a_destination_rule() -> None:
    tls = BackendTLS("api", 8443, "api.internal", "shop/api-ca", True, "api-client", by())
    out = express(att(), [tls], S)
    assert kinds(out) == ["DestinationRule"]
    dr = out.objects[0]["spec"]
    assert dr["host"] == "api.shop.svc.cluster.local"
    assert dr["trafficPolicy"] == {"portLevelSettings": [{"port": {"number": 8443}, "tls": {
        "mode": "MUTUAL", "credentialName": "api-client", "sni": "api.internal",
        "subjectAltNames": ["api.internal"]}}]}
    assert "target-istio/backend-tls-secret" in codes(out)
    validate(out.objects)


def test_unverified_backend_tls() -> None:
    tls = BackendTLS("api", None, None, None, False, None, by())
    out = express(att(), [tls], S)
    assert out.objects[0]["spec"]["trafficPolicy"] == {
        "tls": {"mode": "SIMPLE", "insecureSkipVerify": True}}
    validate(out.objects)
