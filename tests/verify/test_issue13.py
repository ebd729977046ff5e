"""Issue 13 reproductions: gwshift's conversion of each input, verified.

Each ``data/issue13/itemNN-*.yaml`` is a minimal input for one item of issue 13. Where
verify finds the defect the case is ``xfail(strict=True)`` naming it, while the converter
lacks the note codes its fix introduces; with the fix in the tree the case must pass.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from gwshift.core import transform
from gwshift.settings import Settings
from gwshift.verify import verify
from gwshift.verify.cli import render_text

from .helpers import converter_lacks

DATA = Path(__file__).parent / "data" / "issue13"
CASES = sorted(p.name for p in DATA.glob("*.yaml"))

# case -> (the defect verify finds, the note codes the converter's fix introduces; empty:
# no fix known yet). xfail(strict) while the converter emits none of those codes.
DEFECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "item11-f5-class-named-nginx.yaml": (("item 11 follow-up: the F5 NGINX Ingress Controller "
                                         "serves Prefix '/api' as 'location /api' (a string "
                                         "prefix: '/apix' too); the HTTPRoute PathPrefix does "
                                         "not; no note"), ("nginx-inc/prefix-string-match",)),
    "item02-rewrite-equal-path.yaml": (("item 2: rewrite-target '/' on path '/' is no rewrite in "
                                       "nginx, yet X-Forwarded-Prefix is set"),
                                       ("nginx/rewrite-target-equals-path",)),
    "item03-default-backend-scope.yaml": (("item 3: defaultBackend of an Ingress with rules "
                                          "becomes a hostless catch-all and competes with "
                                          "another Ingress's explicit '/'"),
                                          ("ingress/default-backend-replaced",)),
    "item05-grpc-and-http.yaml": (("item 5: GRPCRoute and HTTPRoute on one hostname: the "
                                  "GRPCRoute is not accepted, its paths answer 404"),
                                  ("nginx/grpc-http-same-host",)),
    "item08-duplicate-path.yaml": (("item 8: duplicate host+path across Ingresses: the winner "
                                   "depends on creation timestamps; no warning"),
                                   ("ingress/duplicate-host-path",)),
    "item10-canary-other-namespace.yaml": (("item 10: nginx merges a canary of another "
                                           "namespace; the conversion drops it with a false "
                                           "'nginx ignores this canary' note"),
                                           ("nginx/canary-cross-namespace",)),
    "item12-prefix-trailing-slash.yaml": (("item 12: Prefix '/v2/' answers '/v2' with a 301 in "
                                          "nginx; no note"), ("nginx/prefix-trailing-slash",)),
    "item12-rewrite-target-query.yaml": (("item 12: rewrite-target with a query string: nginx "
                                         "appends the request's query with '&', the "
                                         "URLRewrite cannot"), ("nginx/rewrite-target-query",)),
    "item12-wildcard-two-labels.yaml": (("item 12: '*.tenant.example.com' matches one label in "
                                        "nginx, several in Gateway API; no note"),
                                        ("ingress/wildcard-host-depth",)),
}


def test_defects_name_real_cases() -> None:
    assert set(DEFECTS) <= set(CASES)


@pytest.mark.parametrize("name", [
    pytest.param(n, marks=pytest.mark.xfail(converter_lacks(*DEFECTS[n][1]) if DEFECTS[n][1]
                                            else True, strict=True, reason=DEFECTS[n][0]))
    if n in DEFECTS else n for n in CASES])
def test_issue13_case_verifies(name: str) -> None:
    before = (DATA / name).read_text()
    report = verify(before, transform(before, Settings()).text, Settings())
    assert report.probes
    assert not report.unexplained, render_text(report, False)


GOLDEN = Path(__file__).parents[1] / "golden"
# Golden cases of items 1 and 6 (and their twins): the conversion must verify too.
ITEM_CASES = sorted(p.name for p in GOLDEN.iterdir()
                    if p.name.startswith(("crossns-", "tls-")) and (p / "input.yaml").exists())


def test_item_cases_exist() -> None:
    assert {"crossns-host-split", "crossns-host-split-noop", "tls-default-certificate",
            "tls-certificate-order"} <= set(ITEM_CASES)


@pytest.mark.parametrize("name", ITEM_CASES)
def test_item1_and_item6_goldens_verify(name: str) -> None:
    from gwshift.cli import build_parser, settings_from_args

    case = GOLDEN / name
    args = case / "args"
    argv = [a for a in args.read_text().splitlines() if a.strip()] if args.exists() else []
    settings = settings_from_args(build_parser().parse_args(argv), {})
    before = (case / "input.yaml").read_text()
    report = verify(before, transform(before, settings).text, settings)
    assert report.probes
    assert not report.unexplained, render_text(report, False)
