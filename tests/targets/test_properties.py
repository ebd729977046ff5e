"""Invariants of every target for any intent values a dialect may record: deterministic,
valid names, and every emitted object passes its bundled CRD (schema + CEL)."""

from __future__ import annotations

import re
from typing import Any

from gwshift.intents import (
    BackendTLS,
    BasicAuth,
    BodySize,
    ConnectionLimit,
    CookieAffinity,
    CustomErrors,
    ExternalAuth,
    IPAccess,
    ProxyTimeouts,
    RateLimit,
    RegexRewrite,
    ServiceRef,
)
from gwshift.settings import Settings
from gwshift.targets import TARGETS, Attachment, get, refusal
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import SOURCE, by, validate

NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
LABEL = st.from_regex(r"[a-z][a-z0-9-]{0,70}[a-z0-9]", fullmatch=True)
CIDR = st.builds(lambda a, b, n: f"10.{a}.{b}.0/{n}", st.integers(0, 255), st.integers(0, 255),
                 st.integers(8, 32))
SECONDS = st.integers(1, 400_000)
SERVICE = st.builds(ServiceRef, LABEL, st.one_of(st.none(), LABEL), st.integers(1, 65535),
                    st.sampled_from(["", "/auth", "/oauth2/auth"]))
INTENTS = st.lists(st.one_of(
    st.builds(IPAccess, st.lists(CIDR, min_size=1, max_size=3).map(tuple),
              st.just(()), st.just(by())),
    st.builds(BasicAuth, LABEL, st.one_of(st.none(), st.text("abc XYZ", max_size=10)),
              st.sampled_from(["auth-file", "auth-map"]), st.just(by())),
    st.builds(ExternalAuth, st.just("http://auth.sso.svc.cluster.local/x"), SERVICE,
              st.lists(st.sampled_from(["X-User", "X-Email"]), max_size=2, unique=True).map(tuple),
              st.just(()), st.one_of(st.none(), st.just("https://login/")), st.none(),
              st.just(by())),
    st.builds(RateLimit, st.integers(1, 100_000), st.sampled_from(["Second", "Minute"]),
              st.one_of(st.none(), st.integers(1, 500_000)), st.just(by())),
    st.builds(ConnectionLimit, st.integers(1, 10_000), st.just(by())),
    st.builds(BodySize, st.integers(0, 2**40), st.just(by(security=False))),
    st.builds(ProxyTimeouts, st.one_of(st.none(), SECONDS), st.one_of(st.none(), SECONDS),
              st.one_of(st.none(), SECONDS), st.just(by(security=False))),
    st.builds(CookieAffinity, LABEL, st.one_of(st.none(), SECONDS), st.just("/"),
              st.sampled_from([None, "Lax", "Strict"]), st.booleans(), st.just(by())),
    st.builds(CustomErrors, st.just((404, 503)), SERVICE, st.just(by(security=False))),
    st.builds(RegexRewrite, st.just("^/api(/|$)(.*)"), st.just("/\\2"), st.just(by())),
    st.builds(BackendTLS, LABEL, st.one_of(st.none(), st.integers(1, 65535)),
              st.one_of(st.none(), st.just("api.internal")), st.one_of(st.none(), LABEL),
              st.just(True), st.none(), st.just(by())),
), max_size=6)
ATTACHMENT = st.builds(Attachment, st.sampled_from(["route", "rule"]),
                       st.sampled_from(["HTTPRoute", "GRPCRoute"]), LABEL, LABEL,
                       st.one_of(st.none(), st.just("rule-0")), st.just(SOURCE))
IMPLEMENTATIONS = [n for n in TARGETS if n != "standard"]


def _names(objects: list[dict[str, Any]]) -> None:
    for o in objects:
        name = o["metadata"]["name"]
        assert len(name) <= 253 and NAME.match(name), name


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(IMPLEMENTATIONS), ATTACHMENT, INTENTS)
def test_express_is_deterministic_named_and_valid(name: str, att: Attachment,
                                                  intents: list[Any]) -> None:
    target = get(name)
    if att.scope == "rule" and att.section is None:
        att = att._replace(section="rule-0")
    wanted = [i for i in intents if refusal(target, i) is None]
    # one intent of each type, as a dialect records them
    seen: set[type] = set()
    wanted = [i for i in wanted if not (type(i) in seen or seen.add(type(i)))]  # type: ignore[func-returns-value]
    out = target.express(att, wanted, Settings())
    assert out == target.express(att, wanted, Settings())
    _names(out.objects)
    for f in out.filters:
        assert NAME.match(f["extensionRef"]["name"])
    if out.objects:
        validate(out.objects)
