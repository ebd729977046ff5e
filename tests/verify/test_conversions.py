"""verify over gwshift's own conversions: every golden case and the rendered corpus.

Zero unexplained differences is the goal. Where verify finds a real conversion defect the
case is ``xfail(strict=True)`` naming the defect (issue 13 item); the fix belongs to the
converter, and when it lands the strict xfail turns into a failure that removes the entry.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gwshift.cli import build_parser, settings_from_args
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.verify import Report, verify
from gwshift.verify.cli import render_text

from .helpers import converter_lacks_any

REPO = Path(__file__).resolve().parents[2]
GOLDEN = REPO / "tests" / "golden"
SHARED_CORPUS = REPO.parent / "shared" / "corpus" / "rendered"
VENDORED_CORPUS = REPO / "tests" / "data" / "corpus"

# A defect: why verify fails on the case, and the note codes the converter's fix introduces
# (see helpers.converter_lacks_any): xfail(strict) while the converter lacks one of them.
Defect = tuple[str, tuple[str, ...]]
WILDCARD: Defect = (
    ("issue 13 item 12: a wildcard host matches one label in ingress-nginx (buildServerName) "
    "and in the Ingress spec, several in Gateway API; no note says so"),
    ("ingress/wildcard-host-depth",))
SLASH_PREFIX: Defect = (
    ("issue 13 item 12: Prefix '/x/' answers '/x' with nginx's 301 to '/x/' "
    "(updateServerLocations keeps '/x/'); PathPrefix '/x/' forwards '/x'; no note"),
    ("nginx/prefix-trailing-slash",))
DEFAULT_BACKEND_AND_WILDCARD: Defect = (
    "issue 13 item 3: the defaultBackend of an Ingress with rules becomes a hostless "
    "catch-all route (ingress-nginx uses it only as '/' of its hosts); and " + WILDCARD[0],
    ("ingress/default-backend-replaced",))
REWRITE_EQUAL: Defect = (
    ("issue 13 item 2: rewrite-target equal to the path ('/' and '/') is no rewrite in nginx "
    "(buildProxyPass); the URLRewrite sends every path upstream as '/'"),
    ("nginx/rewrite-target-equals-path",))
APP_ROOT_QUERY: Defect = (
    ("app-root: nginx 'return 302 <app-root>' drops the query string, the RequestRedirect "
    "keeps it; no note (issue 13 item 12 family)"), ("nginx/app-root-query",))

TRAEFIK_PREFIX: Defect = (
    ("Traefik PathPrefix is a string prefix (matcher.go pathPrefix: strings.HasPrefix; the "
     "Ingress provider's strictPrefixMatching is off by default): '/cart' serves '/cartx'; "
     "the HTTPRoute PathPrefix matches path elements; no note"),
    ("traefik/prefix-string-match",))
TRAEFIK_QUERY_V3: Defect = (
    ("Traefik v3 rule syntax: Query(`lang=en`) matches a parameter named 'lang=en' "
     "(matcher.go query: key, optional value); the conversion matches lang=en, the v2 "
     "meaning; and " + TRAEFIK_PREFIX[0]),
    ("traefik/query-v3-syntax", "traefik/prefix-string-match"))

ALB_PATH_ORDER: Defect = (
    ("AWS LBC sorts each rule's paths Exact, then Prefix longest first, then "
     "ImplementationSpecific in order (model_build_listener_rules.go sortIngressPaths): "
     "Prefix '/docs' (redirect to docs.example.com) precedes the ImplementationSpecific '/*' "
     "ssl-redirect on the HTTP listener; the conversion keeps the written order and drops "
     "'/docs' on HTTP as shadowed (alb/rule-shadowed); no note says the redirect differs"),
    ("alb/path-order",))

KONG_HTTP_ONLY: Defect = (
    ("Kong 3.x: a route with konghq.com/protocols 'http' still serves HTTPS requests (the "
     "router's expression has no protocol for HTTP routes, kong/router/transform.lua "
     "get_expression; runloop/handler.lua only turns HTTP away from HTTPS-only routes); the "
     "conversion attaches it to the HTTP listener only; no note"),
    ("kong/http-only-serves-https",))

NIC_PREFIX_AND_REWRITES: Defect = (
    ("F5 NGINX Ingress Controller: Prefix paths are nginx string prefixes ('/coffee' serves "
     "'/coffeex'), and nginx.org/rewrites 'rewrite=/' on '/tea' sends '/tea/cup' upstream as "
     "'//cup'; the HTTPRoute matches path elements and rewrites to '/cup'; no note"),
    ("nginx-inc/prefix-string-match", "nginx-inc/rewrite-double-slash"))

HAPROXY_REDIRECT_SCOPE_AND_REWRITE: Defect = (
    ("HAProxy (both controllers) redirects HTTP to HTTPS only for requests routed to the "
     "Ingress's paths (haproxytech addRules: the redirect carries the Ingress ACL; "
     "haproxy-ingress: per path in the backend), the converted HTTP listener redirects every "
     "path; and haproxy.org/path-rewrite '^/app/(.*) /\\1' leaves '/app' unchanged "
     "(replace-path: no match), the ReplacePrefixMatch sends '/'; no notes "
     "(tests/verify/data/dialects/haproxy-*)"),
    ("haproxy/ssl-redirect-scope", "haproxy/path-rewrite-unmatched"))

GOLDEN_DEFECTS: dict[str, Defect] = {
    "haproxy-routing": HAPROXY_REDIRECT_SCOPE_AND_REWRITE,
    "nginx-inc-routing": NIC_PREFIX_AND_REWRITES,
    "kong-protocols": KONG_HTTP_ONLY,
    "alb-actions": ALB_PATH_ORDER,
    "traefik-ingressroute": TRAEFIK_QUERY_V3,
    "traefik-middlewares": TRAEFIK_PREFIX,
    "traefik-services": TRAEFIK_PREFIX,
    "basic-tls": WILDCARD,
    "core-wildcard-tls": WILDCARD,
    "nginx-redirects": APP_ROOT_QUERY,
}
CORPUS_DEFECTS: dict[str, Defect] = {
    "harbor__a-tls.yaml": SLASH_PREFIX,
    "harbor__b-auto-cert.yaml": SLASH_PREFIX,
    "keycloakx__a-tls.yaml": SLASH_PREFIX,
    "keycloakx__b-nginx-console.yaml": SLASH_PREFIX,
    "pulsar__a-tls.yaml": REWRITE_EQUAL,
    "oathkeeper__a-defaultbackend.yaml": DEFAULT_BACKEND_AND_WILDCARD,
}


def _args(case: Path) -> list[str]:
    f = case / "args"
    return [a for a in f.read_text().splitlines() if a.strip()] if f.exists() else []


def _check(before: str, settings: Settings) -> Report:
    after = transform(before, settings).text
    report = verify(before, after, settings)
    assert not report.unexplained, render_text(report, False)
    return report


GOLDEN_CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.yaml").exists())


def _params(names: list[str], defects: dict[str, Defect]) -> list[object]:
    return [pytest.param(n, marks=pytest.mark.xfail(converter_lacks_any(*defects[n][1]), strict=True,
                                                    reason=defects[n][0]))
            if n in defects else n for n in names]


@pytest.mark.parametrize("name", _params(GOLDEN_CASES, GOLDEN_DEFECTS))
def test_golden_conversion_verifies(name: str) -> None:
    case = GOLDEN / name
    settings = settings_from_args(build_parser().parse_args(_args(case)), {})
    _check((case / "input.yaml").read_bytes().decode("utf-8"), settings)


def test_known_defects_name_real_cases() -> None:
    assert set(GOLDEN_DEFECTS) <= set(GOLDEN_CASES)


def _corpus() -> list[Path]:
    files = sorted(VENDORED_CORPUS.glob("*.yaml")) if VENDORED_CORPUS.is_dir() else []
    if SHARED_CORPUS.is_dir():
        seen = {f.name for f in files}
        files += [f for f in sorted(SHARED_CORPUS.glob("*.yaml")) if f.name not in seen]
    return files


CORPUS = _corpus()


@pytest.mark.skipif(not CORPUS, reason=f"no rendered corpus: neither {VENDORED_CORPUS} nor "
                    f"{SHARED_CORPUS} exists (the corpus lives outside the repository)")
@pytest.mark.parametrize("path", _params([str(p) for p in CORPUS],
                                         {str(p): CORPUS_DEFECTS[p.name] for p in CORPUS
                                          if p.name in CORPUS_DEFECTS}),
                         ids=[p.name for p in CORPUS])
def test_corpus_conversion_verifies(path: str) -> None:
    _check(Path(path).read_bytes().decode("utf-8"), Settings())

