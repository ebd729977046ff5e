"""Conversion defects verify finds in the non-nginx dialects, one minimal input each.

Each ``data/dialects/<case>.yaml`` is converted by gwshift and verified; the difference is a
real behaviour of the source controller that the conversion changes without a note. The
cases are ``xfail(strict=True)`` while the converter emits none of the note codes its fix
would introduce (``helpers.converter_lacks``). When a dialect emits the code, the case runs:
add the code to ``explain.EXPLAINS`` (the kinds of difference it explains) in the same
change, or fix the conversion so that nothing differs. The fixes belong to the dialect
owners (handlers/traefik, handlers/alb, handlers/kong).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.verify import verify
from gwshift.verify.cli import render_text

from .helpers import converter_lacks

DATA = Path(__file__).parent / "data" / "dialects"

# case -> (the defect, the note code the fix introduces)
DEFECTS: dict[str, tuple[str, str]] = {
    "traefik-prefix-string-match.yaml": (
        ("Traefik PathPrefix is a string prefix: Prefix '/api' serves '/apix'; the HTTPRoute "
        "PathPrefix does not"), "traefik/prefix-string-match"),
    "traefik-rule-length-priority.yaml": (
        ("Traefik orders routers by rule length: PathPrefix('/') outranks Path('/api'); "
        "Gateway API puts Exact first"), "traefik/rule-length-priority"),
    "traefik-query-v3-syntax.yaml": (
        ("Traefik v3 Query(`lang=en`) names a parameter 'lang=en'; the conversion matches "
        "lang=en"), "traefik/query-v3-syntax"),
    "alb-path-order.yaml": (
        ("AWS LBC sorts paths Exact, Prefix, ImplementationSpecific (sortIngressPaths); the "
        "conversion keeps the written order"), "alb/path-order"),
    "nginx-inc-prefix-string-match.yaml": (
        ("F5 NGINX Ingress Controller: Prefix '/coffee' is 'location /coffee', a string "
         "prefix: '/coffeex' is served; the HTTPRoute PathPrefix does not"),
        "nginx-inc/prefix-string-match"),
    "nginx-inc-rewrites-double-slash.yaml": (
        ("F5 NGINX Ingress Controller: nginx.org/rewrites 'rewrite=/' on '/tea' sends "
         "'/tea/cup' upstream as '//cup' (proxy_pass URI replacement); the URLRewrite sends "
         "'/cup'; and the string prefix above"), "nginx-inc/rewrite-double-slash"),
    "kong-http-only-serves-https.yaml": (
        ("Kong (router_flavor traditional_compatible, its default) serves HTTPS on a "
        "protocols 'http' route; the conversion attaches it to HTTP only"),
        "kong/http-only-serves-https"),
    "haproxy-org-ssl-redirect-scope.yaml": (
        ("HAProxy (both controllers) redirects HTTP to HTTPS only for requests routed to the "
         "Ingress's own paths (haproxytech pkg/ingress/ingress.go addRules: the redirect rule "
         "carries the Ingress ACL; haproxy-ingress: the redirect is in the backend, per path): "
         "'http://shop.example.com/' (no path matches '/cart') is the default backend's 404; "
         "the HTTP listener's redirect route redirects every path"),
        "haproxy/ssl-redirect-scope"),
    "haproxy-org-path-rewrite-unmatched.yaml": (
        ("HAProxy Technologies' path-rewrite '^/app/(.*) /\\1' is 'replace-path' with that "
         "regex: '/app' (matched by Prefix '/app') does not match it and goes upstream "
         "unchanged; the URLRewrite ReplacePrefixMatch '/' sends '/'"),
        "haproxy/path-rewrite-unmatched"),
    "haproxy-ingress-ssl-redirect-code-global.yaml": (
        ("HAProxy Ingress: ssl-redirect-code is a Global key, ignored in Ingress annotations "
         "(keys.md 'Scope'/'SSL redirect'): the redirect stays 302; the conversion uses the "
         "annotation's 301"),
        "haproxy/ssl-redirect-code-global"),
}
CASES = sorted(p.name for p in DATA.glob("*.yaml"))


def test_every_case_is_a_listed_defect() -> None:
    assert set(CASES) == set(DEFECTS)


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(converter_lacks(DEFECTS[n][1]), strict=True,
                                            reason=DEFECTS[n][0])) for n in CASES])
def test_dialect_conversion_verifies(name: str) -> None:
    before = (DATA / name).read_text()
    report = verify(before, transform(before, Settings()).text, Settings())
    assert report.probes and report.sources_compared
    assert not report.unexplained, render_text(report, False)
