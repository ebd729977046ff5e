"""GKE Ingress source model (gwshift/verify/gce.py): each test names the rule it checks
(kubernetes/ingress-gce pkg/controller/translator, pkg/utils/gceurlmap.go, URL map docs)."""

from __future__ import annotations

from typing import Any

from gwshift.verify import gce, sources
from gwshift.verify.router import SourceWorld
from gwshift.verify.types import Result

from .helpers import get, ingress, path, served_by

Obj = dict[str, Any]


def gingress(name: str, host: str | None, *paths: Obj, ann: dict[str, str] | None = None,
             **kw: Any) -> Obj:
    obj = ingress(name, host, *paths, cls="gce", **kw)
    if ann:
        obj["metadata"]["annotations"] = ann
    return obj


def world(*objs: Obj) -> SourceWorld:
    w = sources.build(list(objs), "default", "auto", "nginx.ingress.kubernetes.io")["gce"]
    assert isinstance(w, SourceWorld)
    return w


def src(w: SourceWorld, url: str) -> Result:
    return w.evaluate(get(url)).result


def test_paths_for_each_path_type() -> None:
    """validateAndGetPaths: Prefix '/p' -> '/p', '/p/*'; '/' -> '/*'; Exact as is;
    ImplementationSpecific as written, empty -> '/*'."""
    assert gce.paths_for("/p/", "Prefix") == ["/p", "/p/*"]
    assert gce.paths_for("/", "Prefix") == ["/*"]
    assert gce.paths_for("/p", "Exact") == ["/p"]
    assert gce.paths_for("/p*", "Exact") == []
    assert gce.paths_for("", "ImplementationSpecific") == ["/*"]


def test_longest_path_wins_and_implementation_specific_is_exact_without_star() -> None:
    w = world(gingress("a", "a.example.com", path("/*", "root", "ImplementationSpecific"),
                       path("/api/*", "api", "ImplementationSpecific"),
                       path("/exact", "exact", "ImplementationSpecific")))
    assert served_by(src(w, "http://a.example.com/api/x")) == "api"
    assert served_by(src(w, "http://a.example.com/api")) == "root"  # '/api/*' needs '/api/'
    assert served_by(src(w, "http://a.example.com/exact")) == "exact"
    assert served_by(src(w, "http://a.example.com/exact/x")) == "root"


def test_default_backend_and_system_default() -> None:
    """TranslateIngress: defaultBackend, else the system default backend (404)."""
    w = world(gingress("a", "a.example.com", path("/api", "api", "Exact"), default="fallback"))
    assert served_by(src(w, "http://a.example.com/other")) == "fallback"
    w = world(gingress("a", "a.example.com", path("/api", "api", "Exact")))
    assert src(w, "http://a.example.com/other").status == 404


def test_duplicate_path_keeps_the_later_rule() -> None:
    """gceurlmap.go PutPathRulesForHost: 'the one later in the list is the winner'."""
    w = world(gingress("a", "a.example.com", path("/x", "first", "Exact"),
                       path("/x", "second", "Exact")))
    assert served_by(src(w, "http://a.example.com/x")) == "second"


def test_allow_http_false_and_https_without_certificate() -> None:
    w = world(gingress("a", "a.example.com", path("/", "a"),
                       ann={"kubernetes.io/ingress.allow-http": "false"}, tls=["a.example.com"]))
    assert src(w, "http://a.example.com/").status == 404
    assert served_by(src(w, "https://a.example.com/")) == "a"
    w = world(gingress("b", "b.example.com", path("/", "b")))
    assert src(w, "https://b.example.com/").status == 404


def test_frontendconfig_redirect_to_https() -> None:
    fc = {"apiVersion": "networking.gke.io/v1beta1", "kind": "FrontendConfig",
          "metadata": {"name": "fc", "namespace": "web"},
          "spec": {"redirectToHttps": {"enabled": True, "responseCodeName": "PERMANENT_REDIRECT"}}}
    w = world(fc, gingress("a", "a.example.com", path("/", "a"), tls=["a.example.com"],
                           ann={"networking.gke.io/v1beta1.FrontendConfig": "fc"}))
    assert src(w, "http://a.example.com/x?y=1") == Result(
        "redirect", 308, location="https://a.example.com/x?y=1")


def test_two_ingresses_for_one_host_are_two_addresses() -> None:
    w = world(gingress("a", "a.example.com", path("/", "a")),
              gingress("b", "a.example.com", path("/", "b")))
    assert src(w, "http://a.example.com/").kind == "unknown"
