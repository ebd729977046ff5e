"""ingress-nginx security annotations record intents; the target decides (fail closed on standard)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from gwshift import targets
from gwshift.core import transform
from gwshift.intents import BasicAuth, ClientCertAuth, ConnectionLimit, IPAccess, RateLimit
from gwshift.settings import Settings

from .nginx_build import P, codes, ingress, one


def intents(anns: dict[str, str], **kw: Any) -> list[Any]:
    conv = one(anns, **kw)
    return conv.routes[0].intents


def test_allowlist_records_normalised_cidrs_on_every_route() -> None:
    (intent,) = intents({"whitelist-source-range": "10.0.0.1/8, 192.168.1.0/24"})
    assert isinstance(intent, IPAccess)
    assert (intent.allow, intent.deny) == (("10.0.0.0/8", "192.168.1.0/24"), ())
    assert intent.by.code == "nginx/ip-access-control" and intent.by.security


def test_denylist_records_a_deny_list() -> None:
    (intent,) = intents({"denylist-source-range": "10.0.0.0/8"})
    assert isinstance(intent, IPAccess) and intent.deny == ("10.0.0.0/8",)


def test_an_invalid_cidr_fails_closed_in_the_dialect() -> None:
    conv = one({"allowlist-source-range": "10.0.0.0/8,nope"})
    assert conv.blocked and codes(conv) == {"nginx/ip-access-control"}
    assert not conv.routes[0].intents


@pytest.mark.parametrize("value", ["10.0.0.0/8,", ",10.0.0.0/8", "10.0.0.0/8,,192.168.0.0/16",
                                   "10.0.0.0/8, ", ","])
def test_an_empty_cidr_item_fails_closed(value: str) -> None:
    # ingress-nginx's net.ParseIPNets fails on the "" item and the location is denied.
    conv = one({"whitelist-source-range": value})
    assert conv.blocked and codes(conv) == {"nginx/ip-access-control"}
    assert not conv.routes[0].intents


def test_spaces_around_cidr_items_are_not_empty_items() -> None:  # the twin
    (intent,) = intents({"whitelist-source-range": " 10.0.0.0/8 , 192.168.0.0/16 "})
    assert intent.allow == ("10.0.0.0/8", "192.168.0.0/16")


@pytest.mark.parametrize(("anns", "blocked"), [
    ({"limit-rps": str(2**32)}, True),
    ({"limit-rpm": "99999999999999"}, True),
    ({"limit-connections": str(2**32)}, True),
    ({"limit-rps": str(2**31), "limit-burst-multiplier": "2"}, True),  # burst beyond uint32
    ({"limit-rps": str(2**32 - 1), "limit-burst-multiplier": "1"}, False),  # twins: the bound
    ({"limit-connections": str(2**32 - 1)}, False),
])
def test_rate_limits_beyond_uint32_fail_closed(anns: dict[str, str], blocked: bool) -> None:
    conv = one(anns)  # the standard target blocks any rate limit: look at the intent
    assert any("uint32" in n.message for n in conv.notes) is blocked
    assert len(conv.routes[0].intents) == (0 if blocked else 1)
    if blocked:
        assert conv.blocked and codes(conv) == {"nginx/rate-limit"}


def test_rate_limits_carry_the_burst_multiplier() -> None:
    rps, rpm, conns = intents({"limit-rps": "10", "limit-rpm": "600", "limit-connections": "4",
                               "limit-burst-multiplier": "3"})
    assert isinstance(rps, RateLimit) and (rps.requests, rps.unit, rps.burst) == (10, "Second", 30)
    assert isinstance(rpm, RateLimit) and (rpm.requests, rpm.unit, rpm.burst) == (600, "Minute", 1800)
    assert isinstance(conns, ConnectionLimit) and conns.connections == 4
    assert [k for k, _ in rps.by.params] == [P + "limit-burst-multiplier"]


def test_bandwidth_limits_have_no_intent_and_fail_closed() -> None:
    conv = one({"limit-rate": "100"})
    assert conv.blocked and codes(conv) == {"nginx/rate-limit"} and not conv.routes[0].intents


def test_basic_auth() -> None:
    (intent,) = intents({"auth-type": "basic", "auth-secret": "ns/users", "auth-realm": "Hi"})
    assert isinstance(intent, BasicAuth)
    assert (intent.secret, intent.realm, intent.secret_type) == ("users", "Hi", "auth-file")
    assert [k for k, _ in intent.by.params] == [P + "auth-secret", P + "auth-realm"]


@pytest.mark.parametrize("anns", [
    {"auth-type": "digest", "auth-secret": "users"},
    {"auth-type": "basic"},
    {"auth-type": "basic", "auth-secret": "other/users"},
])
def test_basic_auth_no_intent_can_hold_fails_closed(anns: dict[str, str]) -> None:
    conv = one(anns)
    assert conv.blocked and codes(conv) == {"nginx/auth-basic"} and not conv.routes[0].intents


def test_client_certificates() -> None:
    (intent,) = intents({"auth-tls-secret": "ns/ca", "auth-tls-verify-client": "optional",
                         "auth-tls-verify-depth": "2"})
    assert isinstance(intent, ClientCertAuth)
    assert (intent.ca_secret, intent.verify, intent.depth) == ("ns/ca", "optional", 2)


def test_client_certificate_cn_match_has_no_intent_and_fails_closed() -> None:
    conv = one({"auth-tls-secret": "ns/ca", "auth-tls-match-cn": "CN=a"})
    assert conv.blocked and codes(conv) == {"nginx/auth-client-certificate"}


def test_params_are_dropped_with_their_intent_when_allowed() -> None:
    conv = one({"auth-type": "basic", "auth-secret": "users", "auth-realm": "r"},
               allow_insecure_drop=frozenset({"nginx/auth-basic"}))
    assert not conv.blocked
    assert sorted(n.field for n in conv.notes) == [
        f"metadata.annotations[{P}{k}]" for k in ("auth-realm", "auth-secret", "auth-type")]


def test_a_target_that_expresses_ip_access_converts_the_ingress(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(targets.TARGETS, "toy", "targets_fixture")
    obj = ingress(annotations={"whitelist-source-range": "10.0.0.0/8"})
    text = "---\n" + yaml.safe_dump(obj, sort_keys=False)
    out = transform(text, Settings(target="toy"))
    kinds = [d["kind"] for d in yaml.safe_load_all(out.text)]
    assert kinds == ["Gateway", "HTTPRoute", "ToyPolicy"] and not out.notes
    kept = transform(text, Settings())
    assert kept.text == text and [n.code for n in kept.notes] == ["nginx/ip-access-control"]


def test_body_size_and_error_pages_are_intents_the_standard_target_reports() -> None:
    conv = one({"proxy-body-size": "8m", "custom-http-errors": "404, 503"})
    kinds = {type(i).__name__: i for i in conv.routes[0].intents}
    assert kinds["BodySize"].limit_bytes == 8 * 1024 * 1024 and not kinds["BodySize"].by.security
    assert kinds["CustomErrors"].status_codes == (404, 503)
    assert codes(conv) == {"nginx/proxy-body-size-not-converted",
                           "nginx/custom-http-errors-not-converted"}
    assert not conv.blocked


def test_a_value_that_does_not_parse_is_reported_without_an_intent() -> None:
    conv = one({"custom-http-errors": "teapot"})
    assert not conv.routes[0].intents
    assert codes(conv) == {"nginx/custom-http-errors-not-converted"}
