"""Generated names: valid DNS-1123, within their limits, deterministic and distinct."""

from __future__ import annotations

import re

import pytest
from gwshift.names import fit, gateway_name, host_slug, listener_name, route_name, short_hash, slug
from hypothesis import given, settings
from hypothesis import strategies as st

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


@pytest.mark.parametrize(("text", "expected"), [
    ("www.Example.COM", "www-example-com"),
    ("*.example.com", "wildcard-example-com"),
    ("a--b..c", "a-b-c"),
    ("-edge-", "edge"),
    ("___", "x"),
    ("", "x"),
])
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_fit_keeps_short_valid_names() -> None:
    assert fit("example") == "example"
    assert fit("a" * 63) == "a" * 63


def test_fit_trims_with_a_hash_of_the_full_name() -> None:
    a, b = fit("a" * 70), fit("a" * 71)
    assert a != b and len(a) == len(b) == 63
    assert a.endswith("-" + short_hash("a" * 70))
    assert DNS_LABEL.match(a)
    assert fit("a" * 55 + "-" * 5 + "b" * 10) == fit("a" * 55 + "-" * 5 + "b" * 10)  # deterministic
    assert DNS_LABEL.match(fit("a" * 55 + "-" * 5 + "b" * 10))


def test_listener_names() -> None:
    assert listener_name("HTTP", None) == "http"
    assert listener_name("HTTPS", None) == "https"
    assert listener_name("HTTPS", "*.example.com") == "https-wildcard-example-com"
    assert listener_name("HTTP", "example.com") != listener_name("HTTP", "*.example.com")
    long_host = "a" * 63 + "." + "b" * 63 + ".example.com"
    name = listener_name("HTTPS", long_host)
    assert len(name) <= 63 and DNS_LABEL.match(name)
    assert name != listener_name("HTTPS", "a" * 63 + "." + "c" * 63 + ".example.com")


def test_gateway_names() -> None:
    assert gateway_name(None) == "default"
    assert gateway_name("example") == "example"
    assert gateway_name("corp.example.com/public") == "corp-example-com-public"
    name = gateway_name("c" * 200)
    assert len(name) <= 63 and DNS_LABEL.match(name)


def test_route_names() -> None:
    assert route_name("shop") == "shop"
    assert route_name("shop", "", "any") == "shop-any"
    assert route_name("shop", "api-example-com", "2") == "shop-api-example-com-2"
    long_name = "x" * 200 + ".y" + "z" * 50
    name = route_name(long_name, "any")
    assert len(name) <= 253 and DNS_SUBDOMAIN.match(name)
    split = route_name(name, "2")
    assert split != name and len(split) <= 253 and DNS_SUBDOMAIN.match(split)


def test_host_slug() -> None:
    assert host_slug(None) == "any"
    assert host_slug("A.example.com") == "a-example-com"


@settings(max_examples=100, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=300)))
def test_gateway_and_listener_names_are_always_dns_labels(text: str | None) -> None:
    for name in (gateway_name(text), listener_name("HTTPS", text)):
        assert len(name) <= 63 and DNS_LABEL.match(name), name


@settings(max_examples=100, deadline=None)
@given(st.from_regex(DNS_SUBDOMAIN, fullmatch=True).filter(lambda s: len(s) <= 253),
       st.text(alphabet="abc-019", max_size=200).map(slug))
def test_route_names_are_dns_subdomains(ingress: str, suffix: str) -> None:
    name = route_name(ingress, suffix)
    assert len(name) <= 253 and DNS_SUBDOMAIN.match(name), name
