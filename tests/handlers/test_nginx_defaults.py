"""ingress-nginx's controller-wide defaults (issue 13 item 7) and proxy-body-size as an intent."""

from __future__ import annotations

from gwshift.core import transform
from gwshift.settings import Settings

from .nginx_build import ingress


def _stream(*objs: dict) -> str:
    from gwshift import yamlio

    return "".join("---\n" + yamlio.dump(o) for o in objs)


def _codes(text: str, **settings: object) -> list[str]:
    return [n.code for n in transform(text, Settings(**settings)).notes]  # type: ignore[arg-type]


def test_one_defaults_note_per_gateway_with_https() -> None:
    a = ingress("a", {}, host="a.example.com", tls=True)
    b = ingress("b", {}, host="b.example.com", tls=True)
    assert _codes(_stream(a, b)).count("nginx/controller-defaults") == 1
    # Must not change: without HTTPS (no HSTS to lose) there is no such note.
    assert "nginx/controller-defaults" not in _codes(_stream(ingress("c", {})))


def test_nginx_defaults_express_hsts_on_https_routes_and_intents() -> None:
    a = ingress("a", {}, host="a.example.com", tls=True)
    out = transform(_stream(a), Settings(nginx_defaults=True))
    assert "Strict-Transport-Security" in out.text and "max-age=31536000; includeSubDomains" in out.text
    codes = [n.code for n in out.notes]
    # The standard target expresses neither body size nor timeouts: said once each.
    assert codes.count("nginx/controller-default-not-expressed") == 2
    # Must not change: without TLS there is no HSTS header.
    plain = ingress("p", {}, host="p.example.com")
    out = transform(_stream(plain), Settings(nginx_defaults=True))
    assert "Strict-Transport-Security" not in out.text


def test_proxy_body_size_is_an_intent_the_standard_target_reports() -> None:
    a = ingress("a", {"proxy-body-size": "8m"})
    assert "nginx/proxy-body-size-not-converted" in _codes(_stream(a))
    bad = ingress("b", {"proxy-body-size": "eight"})
    assert "nginx/invalid-value" in _codes(_stream(bad))
