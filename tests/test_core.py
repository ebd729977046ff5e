"""Targeted core tests for issue 2's contract, run with both YAML loaders (C and pure Python)."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from gwshift import yamlio
from gwshift.cli import build_parser, settings_from_args
from gwshift.core import Outcome, transform
from gwshift.notes import Severity
from gwshift.settings import Settings
from gwshift.validation import is_gateway_api, validate_objects

DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


@pytest.fixture(autouse=True, params=[yamlio.LOADER, yamlio.PURE_LOADER], ids=["c", "pure"])
def loader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> type:
    monkeypatch.setattr(yamlio, "LOADER", request.param)
    return request.param


# --- helpers ----------------------------------------------------------------------------------


def run(text: str, *args: str) -> Outcome:
    return transform(text, settings_from_args(build_parser().parse_args(list(args)), {}))


def backend(svc: str = "svc", port: int | str = 80) -> dict[str, Any]:
    return {"service": {"name": svc, "port": {"number": port} if isinstance(port, int) else {"name": port}}}


def rule(host: str | None, paths: list[str] | None = None, **kw: Any) -> dict[str, Any]:
    r: dict[str, Any] = {"http": {"paths": [{"path": p, "pathType": "Prefix", "backend": backend(**kw)}
                                            for p in paths or ["/"]]}}
    if host:
        r["host"] = host
    return r


def ingress(name: str, rules: list[dict[str, Any]] | None = None, *, ns: str | None = "web",
            cls: str | None = "example", tls: list[dict[str, Any]] | None = None,
            default: dict[str, Any] | None = None, meta: dict[str, Any] | None = None) -> str:
    obj: dict[str, Any] = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                           "metadata": {"name": name, **({"namespace": ns} if ns else {}), **(meta or {})},
                           "spec": {}}
    if cls:
        obj["spec"]["ingressClassName"] = cls
    if default:
        obj["spec"]["defaultBackend"] = default
    if rules:
        obj["spec"]["rules"] = rules
    if tls:
        obj["spec"]["tls"] = tls
    return "---\n" + yaml.safe_dump(obj, sort_keys=False)


def objects(out: Outcome) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for doc in yaml.safe_load_all(out.text):
        if isinstance(doc, dict):
            found.extend(doc.get("items") or [] if doc.get("kind") == "List" else [doc])
    return found


def generated(out: Outcome) -> list[dict[str, Any]]:
    objs = [o for o in objects(out) if is_gateway_api(o)]
    problems = validate_objects(objs, channel="standard")
    assert not problems, [(p.kind, p.name, p.field, p.message) for p in problems]
    keys = [(o["kind"], o["metadata"].get("namespace"), o["metadata"]["name"]) for o in objs]
    assert len(keys) == len(set(keys)), f"duplicate generated objects: {sorted(keys)}"
    return objs


def by_kind(objs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objs if o["kind"] == kind}


def codes(out: Outcome) -> list[str]:
    return [n.code for n in out.notes]


def listeners(gw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for entry in gw["spec"]["listeners"]}


def assert_attached_correctly(objs: list[dict[str, Any]]) -> None:
    """Every parentRef names a listener of that Gateway that serves one of the route's hosts."""
    gws = by_kind(objs, "Gateway")
    for route in by_kind(objs, "HTTPRoute").values():
        hosts = route["spec"].get("hostnames")
        for ref in route["spec"]["parentRefs"]:
            lis = listeners(gws[ref["name"]])[ref["sectionName"]]
            if hosts is None:
                assert "hostname" not in lis
            else:
                assert lis["hostname"] in hosts


# --- splitting ----------------------------------------------------------------------------------


def test_more_than_16_paths_split_deterministically() -> None:
    text = ingress("many", [rule("a.example.com", [f"/p{i}" for i in range(20)])])
    out = run(text)
    assert run(text) == out
    routes = by_kind(generated(out), "HTTPRoute")
    assert sorted(routes) == ["many", "many-2"]
    first = [r["matches"][0]["path"]["value"] for r in routes["many"]["spec"]["rules"]]
    second = [r["matches"][0]["path"]["value"] for r in routes["many-2"]["spec"]["rules"]]
    assert first == [f"/p{i}" for i in range(16)] and second == [f"/p{i}" for i in range(16, 20)]
    assert routes["many"]["spec"]["parentRefs"] == routes["many-2"]["spec"]["parentRefs"]


def test_more_than_16_hostnames_split() -> None:
    hosts = [f"h{i:02d}.example.com" for i in range(20)]
    out = run(ingress("hosts", [rule(h) for h in hosts]))
    objs = generated(out)
    routes = by_kind(objs, "HTTPRoute")
    assert sorted(routes) == ["hosts", "hosts-2"]
    assert routes["hosts"]["spec"]["hostnames"] == hosts[:16]
    assert routes["hosts-2"]["spec"]["hostnames"] == hosts[16:]
    assert len(routes["hosts-2"]["spec"]["parentRefs"]) == 4
    assert_attached_correctly(objs)


def test_more_than_64_listeners_split_gateway_and_attach_to_the_right_one() -> None:
    hosts = [f"h{i:02d}.example.com" for i in range(70)]
    objs = generated(run(ingress("big", [rule(h) for h in hosts])))
    gws = by_kind(objs, "Gateway")
    assert sorted(gws) == ["example", "example-2"]
    assert len(gws["example"]["spec"]["listeners"]) == 64
    assert len(gws["example-2"]["spec"]["listeners"]) == 6
    assert gws["example-2"]["spec"]["gatewayClassName"] == "example"
    assert_attached_correctly(objs)
    last = by_kind(objs, "HTTPRoute")["big-5"]
    assert {r["name"] for r in last["spec"]["parentRefs"]} == {"example-2"}


def test_split_gateway_name_does_not_take_another_class_gateway_name() -> None:
    text = ingress("big", [rule(f"h{i:02d}.example.com") for i in range(70)]) + \
        ingress("other", [rule("o.example.com")], cls="example-2")
    objs = generated(run(text))
    gws = by_kind(objs, "Gateway")
    assert gws["example-2"]["spec"]["gatewayClassName"] == "example-2"
    assert len(gws) == 3
    assert_attached_correctly(objs)


# --- listeners and TLS ---------------------------------------------------------------------------


def test_wildcard_and_apex_hosts_get_distinct_valid_listener_names() -> None:
    text = ingress("a", [rule("example.com"), rule("*.example.com"), rule("wildcard.example.com")],
                   tls=[{"hosts": ["example.com", "*.example.com"], "secretName": "both"}])
    objs = generated(run(text))
    names = list(listeners(by_kind(objs, "Gateway")["example"]))
    # 3 HTTP; HTTPS for example.com, *.example.com and wildcard.example.com (under *.example.com)
    assert len(names) == len(set(names)) == 6
    assert all(DNS_LABEL.match(n) and len(n) <= 63 for n in names)
    assert_attached_correctly(objs)


def test_https_listener_references_only_covering_secrets() -> None:
    text = ingress("a", [rule("example.com"), rule("x.example.com"), rule("deep.x.example.com")],
                   tls=[{"hosts": ["example.com"], "secretName": "apex"},
                        {"hosts": ["*.example.com"], "secretName": "wild"}]) + \
        ingress("b", [rule("x.example.com", ["/b"])], tls=[{"hosts": ["x.example.com"], "secretName": "x"}])
    objs = generated(run(text))
    gw = by_kind(objs, "Gateway")
    assert list(gw) == ["example"]  # both Ingresses share one Gateway
    lis = listeners(gw["example"])

    def secrets(name: str) -> list[str]:
        return [c["name"] for c in lis[name]["tls"]["certificateRefs"]]

    assert secrets("https-example-com") == ["apex"]
    # Equal timestamps: nginx takes web/b first (namespace/name descending), whose entry
    # lists the host: one certificate, as ingress-nginx serves it.
    assert secrets("https-x-example-com") == ["x"]
    assert [n for n in lis if n == "http-x-example-com"] == ["http-x-example-com"]
    assert_attached_correctly(objs)


def test_wildcard_tls_covers_exactly_one_label() -> None:
    text = ingress("a", [rule("deep.x.example.com")],
                   tls=[{"hosts": ["*.example.com"], "secretName": "wild"}])
    lis = listeners(by_kind(generated(run(text)), "Gateway")["example"])
    assert "https-deep-x-example-com" not in lis


def test_default_backend_and_hostless_rules_use_a_hostless_listener() -> None:
    text = ingress("a", [rule("a.example.com", ["/a"]), rule(None, ["/x"])],
                   default=backend("fallback", 8080))
    objs = generated(run(text))
    lis = listeners(by_kind(objs, "Gateway")["example"])
    assert lis["http"] == {"name": "http", "port": 80, "protocol": "HTTP"}
    routes = by_kind(objs, "HTTPRoute")
    anyhost = routes["a-any"]["spec"]
    assert "hostnames" not in anyhost
    assert anyhost["parentRefs"] == [{"name": "example", "sectionName": "http"}]
    assert [r["backendRefs"][0]["name"] for r in anyhost["rules"]] == ["svc", "fallback"]
    # defaultBackend also serves what the host's own rules do not match.
    assert routes["a-a-example-com"]["spec"]["rules"][-1]["backendRefs"][0]["name"] == "fallback"
    assert_attached_correctly(objs)


def test_default_backend_only() -> None:
    objs = generated(run(ingress("d", default=backend("fallback", 8080))))
    route = by_kind(objs, "HTTPRoute")["d"]["spec"]
    assert route["parentRefs"] == [{"name": "example", "sectionName": "http"}]
    assert route["rules"][0]["backendRefs"] == [{"name": "fallback", "port": 8080}]


def test_resource_backend_warns() -> None:
    res = {"resource": {"apiGroup": "k8s.example.com", "kind": "Bucket", "name": "static"}}
    out = run(ingress("r", [rule("r.example.com", ["/x"])], default=res))
    assert "ingress/resource-backend" in codes(out)
    assert out.exit_code() == 0
    refs = [r["backendRefs"] for r in by_kind(generated(out), "HTTPRoute")["r"]["spec"]["rules"]]
    assert refs[-1] == [{"group": "k8s.example.com", "kind": "Bucket", "name": "static"}]


# --- options --------------------------------------------------------------------------------------


def test_gateway_class_mapping() -> None:
    text = ingress("a", [rule("a.example.com")]) + ingress("b", [rule("b.example.com")], cls="other")
    gws = by_kind(generated(run(text, "--gateway-class", "example=eg")), "Gateway")
    assert {n: g["spec"]["gatewayClassName"] for n, g in gws.items()} == {"example": "eg", "other": "other"}
    gws = by_kind(generated(run(text, "--gateway-class", "all")), "Gateway")
    assert {g["spec"]["gatewayClassName"] for g in gws.values()} == {"all"}
    gws = by_kind(generated(run(text, "--gateway-class", "all", "--gateway-class", "other=o")), "Gateway")
    assert {n: g["spec"]["gatewayClassName"] for n, g in gws.items()} == {"example": "all", "other": "o"}


def test_namespace_option_resolves_services_and_groups_objects() -> None:
    svc = "---\napiVersion: v1\nkind: Service\nmetadata: {name: named, namespace: rel}\n" \
          "spec: {ports: [{name: http, port: 8081}]}\n"
    text = svc + ingress("a", [rule("a.example.com", svc="named", port="http")], ns=None) + \
        ingress("b", [rule("b.example.com")], ns="rel")
    assert "ingress/unresolved-port-name" in codes(run(text))
    out = run(text, "--namespace", "rel")
    assert out.exit_code() == 0, codes(out)
    objs = generated(out)
    assert len(by_kind(objs, "Gateway")) == 1  # one (namespace, class) group
    route = by_kind(objs, "HTTPRoute")["a"]
    assert "namespace" not in route["metadata"]  # the release namespace applies on install
    assert route["spec"]["rules"][0]["backendRefs"] == [{"name": "named", "port": 8081}]


def test_labels_and_carried_annotations() -> None:
    meta = {"labels": {"app": "shop", "helm.sh/chart": "shop-1.0"},
            "annotations": {"helm.sh/resource-policy": "keep", "meta.helm.sh/release-name": "r",
                            "argocd.argoproj.io/sync-wave": "2",
                            "postrenderer.helm.sh/postrender-filename": "gwshift",
                            "kubernetes.io/ingress.class": "example", "example.com/team": "x"}}
    objs = generated(run(ingress("shop", [rule("s.example.com")], cls=None, meta=meta)))
    route = by_kind(objs, "HTTPRoute")["shop"]["metadata"]
    assert route["labels"] == {"app": "shop", "helm.sh/chart": "shop-1.0"}
    assert route["annotations"] == {
        "argocd.argoproj.io/sync-wave": "2", "gwshift.dev/source": "Ingress/shop",
        "helm.sh/resource-policy": "keep", "meta.helm.sh/release-name": "r",
        "postrenderer.helm.sh/postrender-filename": "gwshift"}
    gw = by_kind(objs, "Gateway")["example"]["metadata"]["annotations"]
    assert "kubernetes.io/ingress.class" not in gw and gw["meta.helm.sh/release-name"] == "r"


def test_names_stay_valid_for_very_long_ingress_and_class_names() -> None:
    long_name = "x" * 200 + ".y" + "z" * 50  # a valid 253-character Ingress name
    cls = "class-" + "c" * 80
    text = ingress(long_name, [rule("a." + "h" * 60 + ".example.com"), rule(None, ["/n"])], cls=cls)
    objs = generated(run(text))
    for o in objs:
        name = o["metadata"]["name"]
        if o["kind"] == "Gateway":
            assert DNS_LABEL.match(name) and len(name) <= 63
            assert all(DNS_LABEL.match(n) and len(n) <= 63 for n in listeners(o))
        else:
            assert DNS_SUBDOMAIN.match(name) and len(name) <= 253
    assert len(by_kind(objs, "HTTPRoute")) == 2
    assert_attached_correctly(objs)


# --- backends ------------------------------------------------------------------------------------


def test_named_port_resolved_through_service_also_inside_a_list() -> None:
    lst = ("---\napiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n"
           "  metadata: {name: listed, namespace: web}\n  spec: {ports: [{name: web, port: 8443}]}\n")
    plain = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: plain, namespace: web}\n"
             "spec: {ports: [{name: http, port: 8080}, {name: web, port: 9}]}\n")
    text = ingress("a", [rule("a.example.com", svc="listed", port="web")]) + lst + \
        ingress("b", [rule("b.example.com", svc="plain", port="http")]) + plain
    out = run(text)
    assert out.exit_code() == 0, codes(out)
    routes = by_kind(generated(out), "HTTPRoute")
    assert routes["a"]["spec"]["rules"][0]["backendRefs"] == [{"name": "listed", "port": 8443}]
    assert routes["b"]["spec"]["rules"][0]["backendRefs"] == [{"name": "plain", "port": 8080}]


def test_unresolvable_named_port_keeps_that_ingress_only() -> None:
    wrong_ns = ("---\napiVersion: v1\nkind: Service\nmetadata: {name: svc, namespace: other}\n"
                "spec: {ports: [{name: http, port: 8080}]}\n")
    bad = ingress("bad", [rule("bad.example.com", port="http")])
    text = wrong_ns + bad + ingress("good", [rule("good.example.com")])
    out = run(text)
    assert out.exit_code() == 1
    assert [(n.code, n.obj.name if n.obj else None) for n in out.notes if n.severity >= Severity.ERROR] == \
        [("ingress/unresolved-port-name", "bad")]
    assert bad[len("---\n"):] in out.text  # kept byte for byte
    objs = generated(out)
    assert sorted(by_kind(objs, "HTTPRoute")) == ["good"]
    assert list(listeners(by_kind(objs, "Gateway")["example"])) == ["http-good-example-com"]


def test_legacy_extensions_v1beta1_backend_and_named_service_port() -> None:
    text = """apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: old
  namespace: web
  annotations:
    kubernetes.io/ingress.class: example
spec:
  backend:
    serviceName: legacy
    servicePort: http
  rules:
  - host: old.example.com
    http:
      paths:
      - path: /api
        backend:
          serviceName: api
          servicePort: 9000
---
apiVersion: v1
kind: Service
metadata: {name: legacy, namespace: web}
spec:
  ports: [{name: http, port: 8081}]
"""
    out = run(text)
    assert out.exit_code() == 0
    objs = generated(out)
    routes = by_kind(objs, "HTTPRoute")
    host = routes["old"]["spec"]["rules"]
    assert [r["backendRefs"][0] for r in host] == [{"name": "api", "port": 9000},
                                                   {"name": "legacy", "port": 8081}]
    assert "ingress/path-type-implementation-specific" in codes(out)
    assert by_kind(objs, "Gateway")["example"]["spec"]["gatewayClassName"] == "example"


# --- collisions -----------------------------------------------------------------------------------


def test_route_name_colliding_with_existing_httproute_keeps_the_ingress() -> None:
    existing = ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                "metadata: {name: a, namespace: web}\nspec: {rules: [{backendRefs: [{name: o, port: 1}]}]}\n")
    a = ingress("a", [rule("a.example.com")])
    out = run(existing + a + ingress("b", [rule("b.example.com")]))
    assert out.exit_code() == 1
    assert [n.code for n in out.notes if n.severity >= Severity.ERROR] == ["gateway/name-collision"]
    assert existing + a in out.text
    assert sorted(by_kind(generated(out), "HTTPRoute")) == ["a", "b"]  # the existing one, and b


def test_split_route_name_colliding_with_existing_httproute() -> None:
    existing = ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                "metadata: {name: many-2, namespace: web}\nspec: {rules: [{backendRefs: [{name: o, port: 1}]}]}\n")
    out = run(existing + ingress("many", [rule("a.example.com", [f"/p{i}" for i in range(20)])]))
    assert "gateway/name-collision" in codes(out)


def test_two_ingresses_that_would_generate_the_same_route() -> None:
    # "a" with a hostless rule generates a-any, the name of the second Ingress's route.
    text = ingress("a", [rule("a.example.com"), rule(None, ["/x"])]) + ingress("a-any", [rule("b.example.com")])
    out = run(text)
    assert out.exit_code() == 1
    blocked = [n for n in out.notes if n.code == "gateway/name-collision"]
    assert [n.obj.name for n in blocked if n.obj] == ["a"]
    assert sorted(by_kind(generated(out), "HTTPRoute")) == ["a-any"]
    reordered = ingress("a-any", [rule("b.example.com")]) + ingress("a", [rule("a.example.com"), rule(None, ["/x"])])
    assert sorted(by_kind(generated(run(reordered)), "HTTPRoute")) == ["a-any"]


def test_same_named_ingresses_convert_one_whatever_the_order() -> None:
    a1 = ingress("a", [rule("a.example.com", svc="one")])
    a2 = ingress("a", [rule("a.example.com", svc="two")])
    one, two = run(a1 + a2), run(a2 + a1)
    assert "gateway/name-collision" in codes(one)
    assert sorted(map(str, generated(one))) == sorted(map(str, generated(two)))


def test_ingress_without_paths_is_kept() -> None:
    text = ingress("empty", []) + ingress("b", [rule("b.example.com")])
    out = run(text)
    assert "ingress/nothing-to-convert" in codes(out) and out.exit_code() == 0
    assert "name: empty" in out.text
    assert sorted(by_kind(generated(out), "HTTPRoute")) == ["b"]


def test_hosts_that_slug_alike_get_distinct_route_names() -> None:
    text = ingress("c", [rule("a-b.example.com", ["/1"]), rule("a.b-example.com", ["/2"]),
                         rule("*.example.com", ["/3"]), rule("wildcard.example.com", ["/4"])])
    out = run(text)
    assert out.exit_code() == 0
    routes = by_kind(generated(out), "HTTPRoute")
    assert len(routes) == 4
    assert_attached_correctly(generated(out))


def test_classes_that_slug_alike_get_distinct_gateways() -> None:
    text = ingress("a", [rule("a.example.com")], cls="a.b") + ingress("b", [rule("b.example.com")], cls="a-b")
    objs = generated(run(text))
    gws = by_kind(objs, "Gateway")
    assert len(gws) == 2 and gws["a-b"]["spec"]["gatewayClassName"] == "a-b"
    assert_attached_correctly(objs)


# --- streams --------------------------------------------------------------------------------------


def test_keep_ingress_second_run_adds_nothing() -> None:
    text = ingress("a", [rule("a.example.com")], tls=[{"hosts": ["a.example.com"], "secretName": "t"}])
    once = run(text, "--keep-ingress")
    twice = run(once.text, "--keep-ingress")
    assert twice.text == once.text
    assert "ingress/already-converted" in codes(twice)


def test_keep_ingress_inside_a_list_second_run_adds_nothing() -> None:
    text = ("apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: Ingress\n"
            "  metadata: {name: a, namespace: web}\n  spec:\n    ingressClassName: example\n"
            "    defaultBackend: {service: {name: s, port: {number: 80}}}\n")
    once = run(text, "--keep-ingress")
    assert once.text.startswith("apiVersion: v1\nkind: List\n")
    assert [o["kind"] for o in objects(once)] == ["Ingress", "Gateway", "HTTPRoute"]  # List items
    twice = run(once.text, "--keep-ingress")
    assert twice.text == once.text
    assert "ingress/already-converted" in codes(twice)


def test_existing_gateway_of_the_same_name_keeps_the_ingress() -> None:
    gw = ("---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
          "metadata: {name: example, namespace: web}\n"
          "spec: {gatewayClassName: x, listeners: [{name: http, port: 80, protocol: HTTP}]}\n")
    out = run(gw + ingress("a", [rule("a.example.com")]))
    assert [n.code for n in out.notes if n.severity >= Severity.ERROR] == ["gateway/name-collision"]
    assert len(by_kind(generated(out), "Gateway")) == 1
    # Another namespace's Gateway does not count.
    out = run(gw + ingress("a", [rule("a.example.com")], ns="other"))
    assert out.exit_code() == 0


def test_ingress_added_after_a_keep_ingress_run_does_not_duplicate_the_gateway() -> None:
    once = run(ingress("a", [rule("a.example.com")]), "--keep-ingress")
    out = run(once.text + ingress("b", [rule("b.example.com")]), "--keep-ingress")
    assert len(by_kind(generated(out), "Gateway")) == 1
    assert "gateway/name-collision" in codes(out)


def test_rerun_with_namespace_option_sees_objects_without_namespace() -> None:
    # Ingress "shop" without namespace and "shop" in web are the same name with --namespace web.
    text = ingress("shop", [rule("a.example.com")], ns=None) + ingress("shop", [rule("b.example.com")])
    once = run(text, "--namespace", "web")
    assert "gateway/name-collision" in codes(once)
    twice = run(once.text, "--namespace", "web")
    assert twice.text == once.text


def test_crlf_stream_with_plain_separators_converts_every_ingress() -> None:
    text = (ingress("a", [rule("a.example.com")]) + ingress("b", [rule("b.example.com")])).replace("\n", "\r\n")
    out = run(text)
    assert sorted(by_kind(generated(out), "HTTPRoute")) == ["a", "b"]


def _reference_transform(text: str, settings: Settings) -> str:
    """The plain pipeline: every chunk an item, no lean planning, every chunk written."""
    from gwshift import plan, stream, write
    from gwshift.inventory import from_chunk

    chunks = stream.split(text)
    items = [from_chunk(c) for c in chunks]
    reps, _ = plan.plan_items(items, settings)
    lists = {doc for doc, sub in reps if sub >= 0}
    return "".join(write.write_chunk(c, i, reps, lists) for c, i in zip(chunks, items, strict=True))


def test_lean_stream_path_equals_the_plain_pipeline(corpus_files: list[Any]) -> None:
    """transform() reads only the documents the planner needs and writes untouched runs as
    slices; on every golden input and a sample of the corpus it gives the plain result."""
    from pathlib import Path

    root = Path(__file__).resolve().parent
    paths = sorted((root / "golden").glob("*/input.yaml")) + corpus_files[::5]
    assert len(paths) > 20
    for path in paths:
        text = path.read_text()
        for settings in (Settings(), Settings(keep_ingress=True)):
            assert transform(text, settings).text == _reference_transform(text, settings), path


def test_duplicate_host_path_across_ingresses_is_a_warning_on_each() -> None:
    # Ingress spec / ingress-nginx: the older Ingress wins a duplicate host+path, which the
    # converter cannot see; both convert, each with the warning.
    text = (ingress("a", [rule("x.example.com", ["/"])])
            + ingress("b", [rule("x.example.com", ["/", "/b"])], ns="other"))
    out = run(text)
    dup = [n for n in out.notes if n.code == "ingress/duplicate-host-path"]
    assert sorted(str(n.obj) for n in dup) == ["Ingress/other/b", "Ingress/web/a"]
    assert out.exit_code() == 0
    # Must not change: the same path on another host, or another class, is no duplicate.
    text = (ingress("a", [rule("x.example.com", ["/"])])
            + ingress("b", [rule("y.example.com", ["/"])])
            + ingress("c", [rule("x.example.com", ["/"])], cls="other"))
    assert "ingress/duplicate-host-path" not in codes(run(text))
