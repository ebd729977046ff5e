"""HAProxy dialects (HAProxy Technologies and HAProxy Ingress)."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.handlers.haproxy import TABLE
from gwshift.intents import IPAccess, RegexRewrite
from gwshift.model import Conversion

from .test_alb import build, codes, ingress, listeners, route

TLS = [{"hosts": ["a.example.com"], "secretName": "a-tls"}]


def hap(annotations: dict[str, str], **kw: Any) -> Conversion:
    return build("haproxy", ingress(annotations=annotations, cls="haproxy", **kw))[0]


def test_haproxy_org_redirects_tls_ingresses_by_default() -> None:
    # haproxytech httpsRedirect.go: an Ingress with TLS secrets redirects unless told not to.
    conv = hap({"haproxy.org/timeout-server": "30s"}, tls=TLS)
    assert [r.suffix for r in conv.routes] == ["", "redirect"]
    assert route(conv, "redirect").rules[0].filters[0]["requestRedirect"]["statusCode"] == 302


def test_haproxy_org_without_tls_or_with_redirect_off_serves_http() -> None:  # twin
    assert [r.suffix for r in hap({"haproxy.org/timeout-server": "30s"}).routes] == [""]
    conv = hap({"haproxy.org/ssl-redirect": "false"}, tls=TLS)
    assert [r.suffix for r in conv.routes] == [""]


def test_redirect_scope_noted_when_paths_do_not_cover_the_host() -> None:
    conv = hap({"haproxy.org/ssl-redirect": "true"}, tls=TLS,
               paths=(("/cart", "Prefix", "w", 80),))
    assert "haproxy/ssl-redirect-scope" in codes(conv)


def test_redirect_scope_not_noted_for_a_catch_all_path() -> None:  # must-not-change twin
    conv = hap({"haproxy.org/ssl-redirect": "true"}, tls=TLS, paths=(("/", "Prefix", "w", 80),))
    assert [r.suffix for r in conv.routes] == ["", "redirect"]
    assert "haproxy/ssl-redirect-scope" not in codes(conv)


def test_haproxy_ingress_ssl_redirect_code_is_global_only() -> None:
    conv = hap({"haproxy-ingress.github.io/ssl-redirect-code": "301"}, tls=TLS)
    assert route(conv, "redirect").rules[0].filters[0]["requestRedirect"]["statusCode"] == 302
    assert "haproxy/ssl-redirect-code-global" in codes(conv)


def test_haproxy_org_ssl_redirect_code_is_read() -> None:  # must-not-change twin
    conv = hap({"haproxy.org/ssl-redirect": "true", "haproxy.org/ssl-redirect-code": "301"},
               tls=TLS)
    assert route(conv, "redirect").rules[0].filters[0]["requestRedirect"]["statusCode"] == 301
    assert "haproxy/ssl-redirect-code-global" not in codes(conv)


def test_haproxy_org_ssl_redirect_defaults_to_302() -> None:
    conv = hap({"haproxy.org/ssl-redirect": "true"}, tls=TLS)
    assert listeners(route(conv)) == [("HTTPS", 443)]
    assert route(conv, "redirect").rules[0].filters[0]["requestRedirect"]["statusCode"] == 302


def test_haproxy_ingress_redirects_tls_hosts_by_default() -> None:
    conv = hap({"haproxy-ingress.github.io/timeout-server": "30s"}, tls=TLS)
    assert [r.suffix for r in conv.routes] == ["", "redirect"]


def test_allow_and_deny_lists_are_intents() -> None:
    conv = hap({"haproxy.org/allow-list": "10.0.0.0/8 192.168.1.0/24",
                "haproxy.org/deny-list": "10.1.0.0/16"})
    acls = [i for i in conv.routes[0].intents if isinstance(i, IPAccess)]
    assert {(i.allow, i.deny) for i in acls} == {(("10.0.0.0/8", "192.168.1.0/24"), ()),
                                                 ((), ("10.1.0.0/16",))}


def test_path_rewrite_prefix_idiom_and_regex() -> None:
    conv = hap({"haproxy.org/path-rewrite": r"^/app/(.*) /\1"}, paths=(("/app", "Prefix", "w", 80),))
    assert conv.routes[0].rules[0].filters[0]["urlRewrite"]["path"] == {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}
    conv = hap({"haproxy.org/path-rewrite": r"^/a/(.*)/b /\1"})
    assert any(isinstance(i, RegexRewrite) for i in conv.routes[0].rules[0].intents)


def test_path_rewrite_regex_missing_the_bare_prefix_is_noted() -> None:
    for path in ("/app", "/app/"):  # Prefix '/app/' matches '/app' too
        conv = hap({"haproxy.org/path-rewrite": r"^/app/(.*) /\1"},
                   paths=((path, "Prefix", "w", 80),))
        assert "haproxy/path-rewrite-unmatched" in codes(conv)


def test_path_rewrite_regex_matching_the_bare_prefix_is_not_noted() -> None:  # twin
    conv = hap({"haproxy.org/path-rewrite": r"^/(.*) /v2/\1"})
    assert conv.routes[0].rules[0].filters[0]["urlRewrite"]["path"] == {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/v2"}
    assert "haproxy/path-rewrite-unmatched" not in codes(conv)


def test_set_host_and_legacy_rewrite_target() -> None:
    conv = hap({"haproxy.org/set-host": "internal.svc"})
    assert conv.routes[0].rules[0].filters[0]["urlRewrite"] == {"hostname": "internal.svc"}
    conv = hap({"ingress.kubernetes.io/rewrite-target": "/v2"}, paths=(("/api", "Prefix", "w", 80),))
    assert conv.routes[0].rules[0].filters[0]["urlRewrite"]["path"]["replacePrefixMatch"] == "/v2"


def test_snippets_and_passthrough_fail_closed() -> None:
    assert "haproxy/snippet" in codes(hap({"haproxy.org/backend-config-snippet": "acl x"}))
    assert "haproxy/ssl-passthrough" in codes(hap({"haproxy.org/ssl-passthrough": "true"}))


def test_other_legacy_keys_are_not_claimed() -> None:  # must-not-change twin
    conv = hap({"ingress.kubernetes.io/whatever": "x"})
    assert "ingress.kubernetes.io/whatever" not in conv.consumed_annotations


@pytest.mark.parametrize("name", [n for n in TABLE if not n.startswith("haproxy.com/")])
@pytest.mark.parametrize("value", ["true", "", "garbage value"])
def test_every_handler_runs_and_consumes(name: str, value: str) -> None:
    conv = hap({name: value})
    assert name in conv.consumed_annotations
    assert "haproxy/unknown-annotation" not in codes(conv)
