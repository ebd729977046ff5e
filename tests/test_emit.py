"""The emitter: Gateway plans (listeners, ≤64 per Gateway), route objects and their splits."""

from __future__ import annotations

from typing import Any

from gwshift import emit
from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.model import Conversion
from gwshift.parse import parse_ingress
from gwshift.settings import Settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st


def make(specs: list[tuple[str, dict[str, Any]]], settings: Settings | None = None,
         ns: str | None = "web", annotations: dict[str, str] | None = None) -> tuple[list[Conversion], Context]:
    c = Context(settings or Settings(),
                {"Service": lambda ns, name: None, "ConfigMap": lambda ns, name: None})
    convs = []
    for doc, (name, spec) in enumerate(specs):
        meta: dict[str, Any] = {"name": name, "annotations": annotations or {}}
        if ns:
            meta["namespace"] = ns
        ing, notes = parse_ingress({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                                    "metadata": meta, "spec": spec}, doc)
        assert ing is not None, notes
        convs.append(new_conversion(ing, c))
    c.conversions = convs
    for conv in convs:
        build_routes(conv, c)
    return convs, c


def spec(hosts: list[str | None], paths: list[str] | None = None, cls: str | None = "example",
         tls: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    rules = []
    for h in hosts:
        r: dict[str, Any] = {"http": {"paths": [{"path": p, "pathType": "Prefix", "backend": {
            "service": {"name": "svc", "port": {"number": 80}}}} for p in paths or ["/"]]}}
        if h:
            r["host"] = h
        rules.append(r)
    out: dict[str, Any] = {"rules": rules}
    if cls:
        out["ingressClassName"] = cls
    if tls:
        out["tls"] = tls
    return out


def test_listeners_sorted_hostless_last_and_split_at_64() -> None:
    hosts: list[str | None] = [f"h{i:02d}.example.com" for i in range(65)]
    convs, c = make([("a", spec([None, *reversed(hosts)]))])
    plan = emit.plan_gateway(convs, c)
    assert [g["metadata"]["name"] for g in plan.gateways] == ["example", "example-2"]
    first = plan.gateways[0]["spec"]["listeners"]
    assert len(first) == 64 and first[0]["hostname"] == "h00.example.com"
    assert [entry["name"] for entry in plan.gateways[1]["spec"]["listeners"]] == ["http-h64-example-com", "http"]


def test_plan_does_not_depend_on_conversion_order() -> None:
    convs, c = make([("b", spec(["b.example.com"], tls=[{"hosts": ["b.example.com"], "secretName": "b"}])),
                     ("a", spec(["a.example.com", "b.example.com"], ["/a"]))])
    one = emit.plan_gateway(convs, c)
    two = emit.plan_gateway(list(reversed(convs)), c)
    assert one.gateways == two.gateways and one.sections == two.sections
    assert one.owner_doc == 0  # written where the first Ingress of the stream was


def test_https_listener_without_secret_is_skipped_with_a_warning() -> None:
    convs, c = make([("a", spec(["a.example.com"], tls=[{"hosts": ["a.example.com"]}]))])
    plan = emit.plan_gateway(convs, c)
    assert [entry["protocol"] for entry in plan.gateways[0]["spec"]["listeners"]] == ["HTTP"]
    assert "gateway/https-without-secret" in [n.code for n in convs[0].notes]
    route = emit.emit_routes(convs[0], c, plan).routes[0]
    assert route["spec"]["parentRefs"] == [{"name": "example", "sectionName": "http-a-example-com"}]


def test_route_object_names_match_what_emit_routes_writes() -> None:
    hosts: list[str | None] = [f"h{i:02d}.example.com" for i in range(20)]
    convs, c = make([("many", spec([*hosts, None], [f"/p{i}" for i in range(17)]))])
    plan = emit.plan_gateway(convs, c)
    objs = emit.emit_routes(convs[0], c, plan).routes
    assert [(o["kind"], o["metadata"]["name"]) for o in objs] == emit.route_object_names(convs[0])
    names = [o["metadata"]["name"] for o in objs]
    assert names[:4] == ["many-h00-example-com", "many-h00-example-com-2", "many-h00-example-com-3",
                         "many-h00-example-com-4"]
    assert all(len(o["spec"]["rules"]) <= 16 and len(o["spec"].get("hostnames", [])) <= 16 for o in objs)


def test_classes_that_slug_alike_get_distinct_gateway_names() -> None:
    convs, c = make([("a", spec(["a.example.com"], cls="a.b")), ("b", spec(["b.example.com"], cls="a-b")),
                     ("c", spec(["c.example.com"], cls=None)), ("d", spec(["d.example.com"], cls="default"))])
    names = {conv.ingress_class: emit.plan_gateway([conv], c).gateways[0]["metadata"]["name"] for conv in convs}
    assert names["a-b"] == "a-b" and names["default"] == "default"
    assert names["a.b"].startswith("a-b-") and names[None].startswith("default-")
    assert len(set(names.values())) == 4


def test_metadata_carries_only_deploy_tool_annotations() -> None:
    ann = {"helm.sh/hook": "pre-install", "meta.helm.sh/release-name": "r", "argocd.argoproj.io/x": "1",
           "postrenderer.helm.sh/postrender-filename": "f", "kubernetes.io/ingress.class": "example",
           "example.com/y": "z"}
    convs, c = make([("a", spec(["a.example.com"]))], annotations=ann)
    plan = emit.plan_gateway(convs, c)
    route = emit.emit_routes(convs[0], c, plan).routes[0]
    assert route["metadata"]["annotations"] == {
        "argocd.argoproj.io/x": "1", "gwshift.dev/source": "Ingress/a", "helm.sh/hook": "pre-install",
        "meta.helm.sh/release-name": "r", "postrenderer.helm.sh/postrender-filename": "f"}
    assert plan.gateways[0]["metadata"]["annotations"]["gwshift.dev/source"] == "IngressClass/example"


def test_existing_gateway_parent_ref() -> None:
    convs, c = make([("a", spec(["a.example.com"]))], settings=Settings(gateway=("infra", "shared")))
    route = emit.emit_routes(convs[0], c, None).routes[0]
    assert route["spec"]["parentRefs"] == [{"name": "shared", "namespace": "infra", "port": 80}]
    assert "gateway/allowed-routes-required" in [n.code for n in convs[0].notes]


def test_tls_of_a_kept_ingress_still_counts() -> None:
    # The kept Ingress's Secret still exists and its host keeps serving HTTPS.
    convs, c = make([("a", spec(["x.example.com"], tls=[{"hosts": ["x.example.com"], "secretName": "x"}])),
                     ("b", spec(["x.example.com"], ["/b"]))])
    convs[0].blocked = True  # e.g. an unresolved port name
    plan = emit.plan_gateway([convs[1]], c)
    https = [e for e in plan.gateways[0]["spec"]["listeners"] if e["protocol"] == "HTTPS"]
    assert [r["name"] for e in https for r in e["tls"]["certificateRefs"]] == ["x"]
    assert convs[1].notes == []


def test_tls_entry_without_secret_warns() -> None:
    convs, c = make([("a", spec(["x.example.com"], tls=[{"hosts": ["x.example.com"]}]))])
    emit.plan_gateway(convs, c)
    assert [n.code for n in convs[0].notes] == ["gateway/https-without-secret"]


# --- one Gateway per class across namespaces (issue 13 item 1) ----------------------------


def _crossns(settings: Settings | None = None,
             namespaces: tuple[str, str] = ("platform", "team-a")) -> tuple[list[Conversion], Context]:
    c = Context(settings or Settings(),
                {"Service": lambda ns, name: None, "ConfigMap": lambda ns, name: None})
    docs = [("platform", namespaces[0], spec(["shop.example.com"], cls="nginx",
                                             tls=[{"hosts": ["shop.example.com"], "secretName": "shop-tls"}])),
            ("team", namespaces[1], spec(["shop.example.com", "team.example.com"], ["/api"], cls="nginx",
                                         tls=[{"hosts": ["team.example.com"], "secretName": "team-tls"}]))]
    convs = []
    for n, (name, ns, sp) in enumerate(docs):
        ing, notes = parse_ingress({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                                    "metadata": {"name": name, "namespace": ns}, "spec": sp}, n)
        assert ing is not None, notes
        convs.append(new_conversion(ing, c))
    c.conversions = convs
    for conv in convs:
        build_routes(conv, c)
    return convs, c


def _listeners(plan: emit.GatewayPlan) -> dict[str, dict[str, Any]]:
    return {entry["name"]: entry for g in plan.gateways for entry in g["spec"]["listeners"]}


def test_listeners_admit_exactly_the_namespaces_serving_their_host() -> None:
    convs, c = _crossns()
    plan = emit.plan_gateway(convs, c)
    assert plan.namespace == "platform" and len(plan.gateways) == 1
    listeners = _listeners(plan)
    values = {name: entry.get("allowedRoutes", {}).get("namespaces", {}).get("selector", {})
              .get("matchExpressions", [{}])[0].get("values") for name, entry in listeners.items()}
    assert values == {"http-shop-example-com": ["platform", "team-a"],
                      "https-shop-example-com": ["platform", "team-a"],
                      "http-team-example-com": ["team-a"], "https-team-example-com": ["team-a"]}
    assert all(e["allowedRoutes"]["namespaces"]["from"] == "Selector" for e in listeners.values())
    # team-a's Secret: referenced with its namespace, allowed by one grant naming exactly it.
    assert listeners["https-team-example-com"]["tls"]["certificateRefs"] == [
        {"kind": "Secret", "name": "team-tls", "namespace": "team-a"}]
    assert listeners["https-shop-example-com"]["tls"]["certificateRefs"] == [
        {"kind": "Secret", "name": "shop-tls"}]
    [grant] = plan.grants
    assert (grant["metadata"]["name"], grant["metadata"]["namespace"]) == ("nginx-tls-from-platform", "team-a")
    assert grant["spec"] == {
        "from": [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "namespace": "platform"}],
        "to": [{"group": "", "kind": "Secret", "name": "team-tls"}]}
    # The team's route names the Gateway's namespace; the grant is written with the owner.
    team = emit.emit_routes(convs[1], c, plan)
    assert {r["namespace"] for route in team.routes for r in route["spec"]["parentRefs"]} == {"platform"}
    assert emit.emit_routes(convs[0], c, plan).objects == [grant]
    assert team.objects == []


def test_one_namespace_keeps_todays_listeners() -> None:
    # Twin: everything in one namespace: no allowedRoutes, no namespace on refs, no grant.
    convs, c = _crossns(namespaces=("web", "web"))
    plan = emit.plan_gateway(convs, c)
    assert plan.grants == []
    for entry in _listeners(plan).values():
        assert "allowedRoutes" not in entry
        assert all("namespace" not in r for r in entry.get("tls", {}).get("certificateRefs", []))
    assert not [n for conv in convs for n in conv.notes if n.code == "gateway/shared-across-namespaces"]


def test_gateway_namespace_option_moves_the_gateway_and_grants_every_secret() -> None:
    convs, c = _crossns(Settings(gateway_namespace="gateway-system"))
    plan = emit.plan_gateway(convs, c)
    assert plan.namespace == "gateway-system"
    assert [(g["metadata"]["namespace"], [t["name"] for t in g["spec"]["to"]]) for g in plan.grants] == [
        ("platform", ["shop-tls"]), ("team-a", ["team-tls"])]
    [note] = [n for n in convs[0].notes if n.code == "gateway/shared-across-namespaces"]
    assert "set by --gateway-namespace" in note.message


def test_listener_set_grants_name_listener_sets_and_routes_name_their_namespace() -> None:
    convs, c = _crossns(Settings(gateway=("infra", "shared"), listener_set=True))
    plan = emit.plan_gateway(convs, c)
    assert plan.gateways[0]["kind"] == "ListenerSet"
    assert plan.grants[0]["spec"]["from"][0]["kind"] == "ListenerSet"
    refs = [r for route in emit.emit_routes(convs[1], c, plan).routes for r in route["spec"]["parentRefs"]]
    assert {(r["kind"], r["namespace"]) for r in refs} == {("ListenerSet", "platform")}


def test_a_replan_within_one_namespace_drops_the_shared_note() -> None:
    convs, c = _crossns()
    emit.plan_gateway(convs, c)
    assert [n.code for n in convs[0].notes].count("gateway/shared-across-namespaces") == 1
    convs[1].blocked = True  # kept by a later check: the Gateway serves one namespace now
    emit.plan_gateway(convs[:1], c)
    assert "gateway/shared-across-namespaces" not in [n.code for n in convs[0].notes]


# --- listeners whose certificates are implementation options (issue 13 item 6) ------------

_GCE = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: web
  annotations:
    kubernetes.io/ingress.class: gce
    ingress.gcp.kubernetes.io/pre-shared-cert: shop-cert
spec:
%s  rules:
  - host: shop.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""


def _gateway_listeners(text: str, settings: Settings) -> dict[str, dict[str, Any]]:
    import yaml
    from gwshift.core import transform

    out = transform(text, settings).text
    [gw] = [d for d in yaml.safe_load_all(out) if d and d.get("kind") == "Gateway"]
    return {entry["name"]: entry for entry in gw["spec"]["listeners"]}


def test_pre_shared_certificates_make_an_options_only_https_listener() -> None:
    from gwshift.validation import validate_objects

    listeners = _gateway_listeners(_GCE % "", Settings(target="gke"))
    tls = listeners["https-shop-example-com"]["tls"]
    assert tls == {"mode": "Terminate", "options": {"networking.gke.io/pre-shared-certs": "shop-cert"}}
    gw = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
          "metadata": {"name": "g", "namespace": "web"},
          "spec": {"gatewayClassName": "x", "listeners": list(listeners.values())}}
    assert validate_objects([gw]) == []  # v1.6.1 CEL: certificateRefs or options


def test_a_secret_for_the_host_needs_no_options() -> None:
    # Twin: the host has its own Secret: certificateRefs only, as before.
    listeners = _gateway_listeners(
        _GCE % "  tls: [{hosts: [shop.example.com], secretName: shop-tls}]\n", Settings(target="gke"))
    assert listeners["https-shop-example-com"]["tls"] == {
        "mode": "Terminate", "certificateRefs": [{"kind": "Secret", "name": "shop-tls"}]}


def test_options_only_where_the_target_expresses_them() -> None:
    # The portable target refuses the GKE option: no HTTPS listener without a certificate.
    assert "https-shop-example-com" not in _gateway_listeners(_GCE % "", Settings())


# --- HTTPS listeners whose certificate the target supplies (AWS: ACM) ----------------------

_ALB = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: shop
  namespace: web
  annotations:
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTP": 80}, {"HTTPS": 443}]'
%s
spec:
  ingressClassName: alb
%s  rules:
  - %shttp:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
_ARN = "    alb.ingress.kubernetes.io/certificate-arn: arn:aws:acm:eu-west-1:1:certificate/a"


def _objects(text: str, settings: Settings) -> list[dict[str, Any]]:
    import yaml
    from gwshift.core import transform

    return [d for d in yaml.safe_load_all(transform(text, settings).text) if d]


def test_acm_certificate_makes_an_https_listener_without_tls() -> None:
    from gwshift.validation import validate_objects

    text = _ALB % (_ARN, "", "host: shop.example.com\n    ")
    objs = _objects(text, Settings(target="aws"))
    assert "Ingress" not in [o["kind"] for o in objs]
    [gw] = [o for o in objs if o["kind"] == "Gateway"]
    https = {e["name"]: e for e in gw["spec"]["listeners"]}["https-shop-example-com"]
    # The AWS controller's form: no tls block (it reads no certificateRefs); v1.6.1 allows it.
    assert https == {"name": "https-shop-example-com", "hostname": "shop.example.com",
                     "port": 443, "protocol": "HTTPS"}
    assert validate_objects(objs) == []


def test_acm_certificate_of_a_rule_without_host_is_a_hostless_listener() -> None:
    objs = _objects(_ALB % (_ARN, "", ""), Settings(target="aws"))
    [gw] = [o for o in objs if o["kind"] == "Gateway"]
    assert {"name": "https", "port": 443, "protocol": "HTTPS"} in gw["spec"]["listeners"]


def test_acm_certificate_goes_into_a_listener_set_the_same_way() -> None:
    from gwshift.validation import validate_objects

    text = _ALB % (_ARN, "", "host: shop.example.com\n    ")
    objs = _objects(text, Settings(target="aws", gateway=("infra", "shared"), listener_set=True))
    [ls] = [o for o in objs if o["kind"] == "ListenerSet"]
    assert [e for e in ls["spec"]["listeners"] if e["protocol"] == "HTTPS"] == [
        {"name": "https-shop-example-com", "hostname": "shop.example.com", "port": 443,
         "protocol": "HTTPS"}]
    assert validate_objects(objs) == []


def test_acm_certificate_on_the_standard_target_keeps_the_ingress() -> None:
    # Twin: no target supplies the certificate: nothing is written for the Ingress.
    text = _ALB % (_ARN, "", "host: shop.example.com\n    ")
    assert [o["kind"] for o in _objects(text, Settings())] == ["Ingress"]
    dropped = _objects(text, Settings(allow_insecure_drop=frozenset(
        {"alb/https-certificate-from-acm"})))
    [gw] = [o for o in dropped if o["kind"] == "Gateway"]
    assert [e["protocol"] for e in gw["spec"]["listeners"]] == ["HTTP"]


def test_a_secret_for_the_host_keeps_its_certificate_refs_on_aws() -> None:
    # Twin: the host has a Secret: certificateRefs as on every target, no bare listener.
    text = _ALB % (_ARN, "  tls: [{hosts: [shop.example.com], secretName: shop-tls}]\n",
                   "host: shop.example.com\n    ")
    objs = _objects(text, Settings(target="aws"))
    [gw] = [o for o in objs if o["kind"] == "Gateway"]
    https = {e["name"]: e for e in gw["spec"]["listeners"]}["https-shop-example-com"]
    assert https["tls"] == {"mode": "Terminate",
                            "certificateRefs": [{"kind": "Secret", "name": "shop-tls"}]}


def test_an_ingress_group_mixing_named_and_discovered_certificates_is_kept() -> None:
    # The Gateway controller discovers no certificate for a port with a named one: member b
    # would get a's certificate, so the group is kept (the ALB merged both).
    member = """\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: %s
  namespace: web
  annotations:
    alb.ingress.kubernetes.io/group.name: shop
    alb.ingress.kubernetes.io/listen-ports: '[{"HTTPS": 443}]'
%s
spec:
  ingressClassName: alb
  rules:
  - host: %s.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
    text = member % ("a", _ARN, "a") + "---\n" + member % ("b", "", "b")
    assert [o["kind"] for o in _objects(text, Settings(target="aws"))] == ["Ingress", "Ingress"]


def test_supplied_certificates_only_from_intents_the_target_accepts() -> None:
    convs, c = make([("a", spec(["shop.example.com"]))])
    assert emit.supplied_certificates(convs, c) == frozenset()  # no gateway intents


# --- invariant: one Gateway per class, every route admitted, every foreign Secret granted ----

_NS = ("alpha", "beta", "gamma")
_HOSTS = ("a.example.com", "b.example.com", "c.example.com")


def _stream(draw: Any) -> str:
    docs = []
    for n in range(draw(st.integers(1, 5))):
        ns = draw(st.sampled_from(_NS))
        cls = draw(st.sampled_from(("nginx", "other")))
        hosts = draw(st.lists(st.sampled_from(_HOSTS), min_size=1, max_size=2, unique=True))
        tls = draw(st.lists(st.sampled_from(_HOSTS), max_size=2, unique=True))
        rules = "".join(f"  - host: {h}\n    http: {{paths: [{{path: /p{n}, pathType: Prefix, "
                        "backend: {service: {name: s, port: {number: 80}}}}]}\n" for h in hosts)
        spec = f"spec:\n  ingressClassName: {cls}\n"
        if tls:
            spec += f"  tls: [{{hosts: [{', '.join(tls)}], secretName: s{n}-tls}}]\n"
        docs.append("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: i"
                    f"{n}, namespace: {ns}}}\n{spec}  rules:\n{rules}")
    return "---\n".join(docs)


def _check_stream(text: str) -> None:
    import yaml
    from gwshift.core import transform
    from gwshift.validation import validate_objects

    out = transform(text, Settings()).text
    objs = [d for d in yaml.safe_load_all(out) if d]
    gws = [o for o in objs if o["kind"] == "Gateway"]
    # One Gateway per class (a class here never needs more than 64 listeners).
    assert len(gws) == len({g["spec"]["gatewayClassName"] for g in gws})
    by_name = {(g["metadata"]["namespace"], g["metadata"]["name"]): g for g in gws}
    for route in (o for o in objs if o["kind"] == "HTTPRoute"):
        ns = route["metadata"]["namespace"]
        for ref in route["spec"]["parentRefs"]:
            gw = by_name[(ref.get("namespace", ns), ref["name"])]
            [lis] = [x for x in gw["spec"]["listeners"] if x["name"] == ref["sectionName"]]
            allowed = lis.get("allowedRoutes", {}).get("namespaces")
            if allowed is None:
                assert ns == gw["metadata"]["namespace"]
            else:
                assert allowed["from"] == "Selector"
                assert ns in allowed["selector"]["matchExpressions"][0]["values"]
    grants = {(o["metadata"]["namespace"], t["name"], o["spec"]["from"][0]["namespace"])
              for o in objs if o["kind"] == "ReferenceGrant" for t in o["spec"]["to"]}
    for gw in gws:
        for lis in gw["spec"]["listeners"]:
            for ref in lis.get("tls", {}).get("certificateRefs", []):
                if "namespace" in ref:
                    assert (ref["namespace"], ref["name"], gw["metadata"]["namespace"]) in grants
    assert validate_objects(objs) == []
    assert transform(out, Settings()).text == out  # idempotent


@hsettings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_one_gateway_per_class_admits_every_route_and_grants_every_foreign_secret(data: Any) -> None:
    _check_stream(_stream(data.draw))


# --- issue 19: Gateway names and route pieces, linear ----------------------------------------


def test_gateway_names_are_computed_once_and_follow_kept_sources(monkeypatch: Any) -> None:
    calls = 0
    real = emit.group_gateway_name

    def counting(conv: Conversion, ctx: Context) -> str:
        nonlocal calls
        calls += 1
        return real(conv, ctx)

    monkeypatch.setattr(emit, "group_gateway_name", counting)
    convs, c = make([(f"i{n}", spec([f"h{n}.example.com"], cls=f"c{n}")) for n in range(30)]
                    + [("x", spec(["x.example.com"], cls="a.b"))])
    names = [emit.plan_gateway([conv], c).gateways[0]["metadata"]["name"] for conv in convs]
    assert names[:30] == [f"c{n}" for n in range(30)] and names[30] == "a-b"
    assert calls == 31
    # a class that slugs alike makes both hashed, until the other source is kept: then the
    # index is rebuilt (a new state) and the plain name comes back
    more, c2 = make([("a", spec(["a.example.com"], cls="a.b")),
                     ("b", spec(["b.example.com"], cls="a-b"))])
    assert emit.plan_gateway([more[0]], c2).gateways[0]["metadata"]["name"].startswith("a-b-")
    more[1].blocked = True
    assert emit.plan_gateway([more[0]], c2).gateways[0]["metadata"]["name"] == "a-b"


def test_route_pieces_pick_their_listeners_in_route_order() -> None:
    from gwshift.model import HTTP, HTTPS, ListenerKey, Route

    keys = [ListenerKey("b", HTTPS), ListenerKey(None, HTTP), ListenerKey("a", HTTP),
            ListenerKey("b", HTTP), ListenerKey("c", HTTP)]
    route = Route("HTTPRoute", "", ["a", "b", "c"], [], keys)
    by_host = emit._listeners_by_host(route)
    for hosts in (["a", "b"], ["b", "a", "b"], ["c"], [], ["zz"]):
        want = [k for k in keys if k.hostname is None or k.hostname in hosts]
        assert emit._piece_listeners(by_host, hosts) == want
