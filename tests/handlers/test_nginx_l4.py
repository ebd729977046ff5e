"""ingress-nginx's tcp-services/udp-services ConfigMaps -> TCP/UDP listeners and routes.

Unit tests call ``handlers/nginx/tcp_services.py`` directly; the end-to-end tests (KRM,
laziness, --keep-ingress) go through the core seam that lets a dialect name *which* objects
of a source kind are sources (``DialectEntry.named_by`` + ``Dialect.select``, used by
``plan._candidates``). The golden cases are ``tests/golden/nginx-{tcp,udp}-services*``.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from gwshift import core, yamlio
from gwshift.context import Context
from gwshift.handlers.nginx import DIALECT
from gwshift.handlers.nginx import tcp_services as ts
from gwshift.model import Conversion
from gwshift.notes import Note, Severity
from gwshift.settings import Settings

HERE = Path(__file__).parent
GOLDEN = HERE.parent / "golden"

# --- helpers ---------------------------------------------------------------------------------


def context(objs: tuple[dict[str, Any], ...] = (), **settings: Any) -> Context:
    def finder(kind: str) -> Any:
        def find(ns: str | None, name: str) -> dict[str, Any] | None:
            for o in objs:
                meta = o["metadata"]
                if (o["kind"] == kind and meta["name"] == name
                        and (meta.get("namespace") or settings.get("namespace")) == ns):
                    return o
            return None
        return find

    return Context(Settings(**settings), {k: finder(k) for k in ("Service", "ConfigMap")})


def controller(*args: str, kind: str = "Deployment", ns: str | None = "ingress-nginx",
               env: list[dict[str, Any]] | None = None, name: str = "ctl") -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if ns:
        meta["namespace"] = ns
    pod_ns = {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}}
    return {"apiVersion": "apps/v1", "kind": kind, "metadata": meta,
            "spec": {"template": {"spec": {"containers": [
                {"name": "controller", "args": ["/nginx-ingress-controller", *args],
                 "env": [pod_ns] if env is None else env}]}}}}


TCP_FLAG = "--tcp-services-configmap=$(POD_NAMESPACE)/tcp"
UDP_FLAG = "--udp-services-configmap=$(POD_NAMESPACE)/udp"


def configmap(data: Any, name: str = "tcp", ns: str | None = "ingress-nginx",
              **top: Any) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if ns:
        meta["namespace"] = ns
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta, "data": data, **top}


def service(name: str, ns: str, *ports: tuple[str, int, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name, "namespace": ns},
            "spec": {"ports": [{"name": n, "port": p, "protocol": proto} for n, p, proto in ports]}}


def convert(cm: dict[str, Any], *workloads: dict[str, Any], stream: tuple[dict[str, Any], ...] = (),
            **settings: Any) -> tuple[Conversion | None, list[Note]]:
    ctx = context(stream, **settings)
    ts.select(list(workloads or (controller(TCP_FLAG),)), ctx)
    return DIALECT.parsers[("", "ConfigMap")](cm, 0, ctx)


def converted(cm: dict[str, Any], *workloads: dict[str, Any], **kw: Any) -> Conversion:
    conv, notes = convert(cm, *workloads, **kw)
    assert conv is not None and not notes and not conv.blocked, conv and conv.notes
    return conv


def blocked(cm: dict[str, Any], *workloads: dict[str, Any], **kw: Any) -> Note:
    conv, notes = convert(cm, *workloads, **kw)
    assert not notes and conv is not None and conv.blocked and not conv.routes and not conv.extra_objects
    (err,) = [n for n in conv.notes if n.severity is Severity.ERROR]
    return err


def codes(conv: Conversion) -> list[str]:
    return sorted(n.code for n in conv.notes)


# --- which ConfigMaps: only those a controller names ---------------------------------------


def test_flag_forms_and_last_value_wins() -> None:
    assert ts._flags(["--tcp-services-configmap=a/b"]) == {"--tcp-services-configmap": "a/b"}
    assert ts._flags(["--tcp-services-configmap", "a/b"]) == {"--tcp-services-configmap": "a/b"}
    assert ts._flags(["--tcp-services-configmap=a/b", "--tcp-services-configmap=c/d"]) == {
        "--tcp-services-configmap": "c/d"}
    # After "--" everything is positional; unknown and boolean flags take no value.
    assert ts._flags(["--v=2", "--", "--tcp-services-configmap=a/b"]) == {}
    assert ts._flags(["--enable-ssl-passthrough", "--udp-services-configmap", "x/y"]) == {
        "--udp-services-configmap": "x/y"}
    assert ts._flags(["-tcp-services-configmap=a/b", "--tcp-services-configmap"]) == {}


def test_variable_expansion_is_kubernetes_s() -> None:
    env = ts._env([{"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.namespace"}}},
                   {"name": "NS", "value": "edge"},
                   {"name": "SECRET", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}], "ing")
    assert ts._expand("$(POD_NAMESPACE)/tcp", env) == "ing/tcp"
    assert ts._expand("$(NS)/tcp", env) == "edge/tcp"
    assert ts._expand("$$(NS)/tcp", env) == "$(NS)/tcp"  # escaped
    assert ts._expand("$(UNDEFINED)/tcp", env) == "$(UNDEFINED)/tcp"  # passed literally
    assert ts._expand("$(SECRET)/tcp", env) == ""  # cannot be known: nothing is named


def test_select_names_the_configmaps_of_the_flags() -> None:
    ctx = context()
    got = ts.select([controller(TCP_FLAG, UDP_FLAG),
                     controller("--tcp-services-configmap", "other/tcp2", kind="DaemonSet")], ctx)
    assert sorted(got, key=str) == [("ConfigMap", "ingress-nginx", "tcp"),
                                    ("ConfigMap", "ingress-nginx", "udp"),
                                    ("ConfigMap", "other", "tcp2")]


@pytest.mark.parametrize("workload", [
    controller("--configmap=$(POD_NAMESPACE)/tcp"),  # another flag
    controller("--tcp-services-configmap=tcp"),  # no namespace: ParseNameNS fails
    controller("--tcp-services-configmap=a/b/c"),
    controller("--tcp-services-configmap=/tcp"),
    controller(TCP_FLAG, env=[]),  # $(POD_NAMESPACE) undefined: literal, no such namespace
    {**controller(TCP_FLAG), "kind": "StatefulSet"},  # not the chart's controller kinds
    {**controller(), "metadata": {"name": "ctl", "annotations": {"doc": TCP_FLAG}}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "x"},
     "spec": {"template": {"spec": {"containers": {"args": [TCP_FLAG]}}}}},
    {"apiVersion": "apps/v1", "kind": {"Deployment": 1}, "metadata": {"name": "x"}},
    {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": "x",
     "spec": {"template": {"spec": {"containers": [None, {"args": [1, None, TCP_FLAG[:-4]]}]}}}},
])
def test_select_names_nothing_the_controller_would_not_read(workload: dict[str, Any]) -> None:
    assert ts.select([workload], context()) == []


def test_pod_namespace_of_a_workload_without_namespace_is_the_release_namespace() -> None:
    assert ts.select([controller(TCP_FLAG, ns=None)], context(namespace="rel")) == [
        ("ConfigMap", "rel", "tcp")]
    assert ts.select([controller(TCP_FLAG, ns=None)], context()) == [("ConfigMap", None, "tcp")]


def test_a_configmap_select_did_not_name_is_no_source() -> None:
    assert convert(configmap({"9000": "default/echo:80"}, name="other")) == (None, [])
    ctx = context()  # select never ran for this context
    assert DIALECT.parsers[("", "ConfigMap")](configmap({"9000": "default/echo:80"}), 0, ctx) == (
        None, [])


# --- entries ---------------------------------------------------------------------------------


def test_entries_become_listeners_and_routes() -> None:
    conv = converted(configmap({"9000": "ingress-nginx/echo:8080", 9001: "ingress-nginx/echo:http"}),
                     stream=(service("echo", "ingress-nginx", ("http", 80, "TCP"), ("alt", 8080, "TCP")),))
    assert conv.ingress_class == "nginx" and conv.source.kind == "ConfigMap"
    got = [(r.kind, r.suffix, r.hostnames, [(k.protocol, k.port) for k in r.listeners],
            [(b.name, b.namespace, b.port) for b in r.rules[0].backends]) for r in conv.routes]
    assert got == [("TCPRoute", "9000", [], [("TCP", 9000)], [("echo", None, 8080)]),
                   ("TCPRoute", "9001", [], [("TCP", 9001)], [("echo", None, 80)])]
    assert conv.routes[0].rules[0].matches == [] and conv.routes[0].source == "data[9000]"
    assert codes(conv) == ["nginx/stream-services-converted"] and not conv.extra_objects


def test_labels_are_copied_like_an_ingress_s_only_when_valid() -> None:
    cm = configmap({"1": "a/b:1"})
    cm["metadata"]["labels"] = {"app.kubernetes.io/version": "1.15.1", "bad": "-x-", "long": "x" * 64}
    assert converted(cm).labels == {"app.kubernetes.io/version": "1.15.1"}


def test_udp_and_class_from_the_controller() -> None:
    conv = converted(configmap({"53": "kube-system/kube-dns:dns"}, name="udp"),
                     controller(UDP_FLAG, "--ingress-class=edge"),
                     stream=(service("kube-dns", "kube-system", ("dns-tcp", 53, "TCP"),
                                     ("dns", 53, "UDP")),))
    (route,) = conv.routes
    assert route.kind == "UDPRoute" and route.listeners[0].protocol == "UDP"
    assert route.rules[0].backends[0].port == 53 and conv.ingress_class == "edge"


def test_cross_namespace_services_get_one_grant_per_namespace() -> None:
    conv = converted(configmap({"1": "a/x:1", "2": "a/y:2", "3": "b/x:3", "4": "ingress-nginx/z:4"}))
    grants = {g["metadata"]["namespace"]: g for g in conv.extra_objects}
    assert sorted(grants) == ["a", "b"]
    assert grants["a"]["spec"] == {
        "from": [{"group": "gateway.networking.k8s.io", "kind": "TCPRoute",
                  "namespace": "ingress-nginx"}],
        "to": [{"group": "", "kind": "Service", "name": "x"}, {"group": "", "kind": "Service", "name": "y"}]}
    assert grants["a"]["metadata"]["name"] == "tcp-from-ingress-nginx"
    assert [b.namespace for r in conv.routes for b in r.rules[0].backends] == ["a", "a", "b", None]


def test_cross_namespace_without_any_namespace_is_said_not_granted() -> None:
    conv = converted(configmap({"1": "a/x:1"}, ns=None), controller(TCP_FLAG, ns=None))
    assert not conv.extra_objects
    assert [n.severity for n in conv.notes if n.code == ts.CROSS_NAMESPACE] == [Severity.WARNING]


def test_proxy_protocol_is_a_warning_per_direction() -> None:
    conv = converted(configmap({"1": "ingress-nginx/x:1:PROXY", "2": "ingress-nginx/x:2::proxy",
                                "3": "ingress-nginx/x:3:PROXY:PROXY", "4": "ingress-nginx/x:4::"}))
    got = sorted((n.field, n.code) for n in conv.notes if "proxy" in n.code)
    assert got == [("data[1]", ts.PROXY_DECODE), ("data[2]", ts.PROXY_ENCODE),
                   ("data[3]", ts.PROXY_DECODE), ("data[3]", ts.PROXY_ENCODE)]
    assert all(n.severity is Severity.WARNING for n in conv.notes if "proxy" in n.code)
    assert len(conv.routes) == 4


def test_proxy_on_udp_is_ignored_as_nginx_does() -> None:
    conv = converted(configmap({"53": "ingress-nginx/dns:53:PROXY"}, name="udp"), controller(UDP_FLAG))
    assert [n.code for n in conv.notes if "proxy" in n.code] == [ts.PROXY_UDP]


def test_a_configmap_named_by_both_flags_serves_both_protocols() -> None:
    both = controller(TCP_FLAG, "--udp-services-configmap=$(POD_NAMESPACE)/tcp")
    conv = converted(configmap({"53": "ingress-nginx/dns:53"}), both)
    assert [(r.kind, r.suffix) for r in conv.routes] == [("TCPRoute", "tcp-53"), ("UDPRoute", "udp-53")]


def test_two_controllers_reading_one_configmap_is_said() -> None:
    conv = converted(configmap({"1": "ingress-nginx/x:1"}), controller(TCP_FLAG, name="a"),
                     controller(TCP_FLAG, "--ingress-class=other", name="b"))
    assert conv.ingress_class == "nginx" and ts.SHARED in codes(conv)


def test_named_port_from_service_port_option() -> None:
    conv = converted(configmap({"1": "db/pg:sql"}),
                     service_ports=((("db", "pg", "sql"), 5432),))
    assert conv.routes[0].rules[0].backends[0].port == 5432


@pytest.mark.parametrize(("data", "code", "field", "words"), [
    ({"http": "a/b:1"}, ts.ENTRY_INVALID, "data[http]", "not a port number"),
    ({"0": "a/b:1"}, ts.ENTRY_INVALID, "data[0]", "not a port number"),
    ({"70000": "a/b:1"}, ts.ENTRY_INVALID, "data[70000]", "not a port number"),
    ({"-1": "a/b:1"}, ts.ENTRY_INVALID, "data[-1]", "not a port number"),
    ({True: "a/b:1"}, ts.ENTRY_INVALID, "data[]", "not a port number"),
    ({"80": "a/b:1"}, ts.ENTRY_INVALID, "data[80]", "reserved"),
    ({"10254": "a/b:1"}, ts.ENTRY_INVALID, "data[10254]", "reserved"),
    ({"1": 5}, ts.ENTRY_INVALID, "data[1]", "not a string"),
    ({"1": "a/b"}, ts.ENTRY_INVALID, "data[1]", "is not"),
    ({"1": "a/b:1:PROXY:PROXY:x"}, ts.ENTRY_INVALID, "data[1]", "is not"),
    ({"1": "a/b:1:SEND"}, ts.ENTRY_INVALID, "data[1]", "only be PROXY"),
    ({"1": "b:1"}, ts.ENTRY_INVALID, "data[1]", "'<namespace>/<service>'"),
    ({"1": "tcp://a/b:1"}, ts.ENTRY_INVALID, "data[1]", "'<namespace>/<service>'"),
    ({"1": "A/b:1"}, ts.ENTRY_INVALID, "data[1]", "'<namespace>/<service>'"),
    ({"1": "a/b:0"}, ts.ENTRY_INVALID, "data[1]", "not 1-65535"),
    ({"1": "a/b:Not_A_Name"}, ts.ENTRY_INVALID, "data[1]", "neither a number"),
    ({"1": "a/b:http"}, ts.PORT_UNRESOLVED, "data[1]", "--service-port a/b:http=NUMBER"),
    ({"9000": "a/b:1", "09000": "a/c:2"}, ts.ENTRY_INVALID, "data[9000]", "also given by key"),
])
def test_an_entry_gwshift_cannot_convert_keeps_the_configmap(data: dict[Any, Any], code: str,
                                                             field: str, words: str) -> None:
    err = blocked(configmap(data))
    assert (err.code, err.field) == (code, field) and words in err.message, err
    assert err.message.endswith("; the ConfigMap is kept")


def test_service_in_the_input_must_have_the_port_for_the_protocol() -> None:
    svc = service("dns", "kube-system", ("dns-tcp", 53, "TCP"))
    err = blocked(configmap({"53": "kube-system/dns:53"}, name="udp"), controller(UDP_FLAG),
                  stream=(svc,))
    assert err.code == ts.NOT_SERVED and "no UDP port '53'" in err.message
    err = blocked(configmap({"53": "kube-system/dns:dns"}), stream=(svc,))
    assert err.code == ts.NOT_SERVED


def test_reserved_ports_follow_the_controller_flags() -> None:
    ctl = controller(TCP_FLAG, "--http-port=8080")
    assert converted(configmap({"80": "a/b:1"}), ctl).routes
    assert blocked(configmap({"8080": "a/b:1"}), ctl).field == "data[8080]"


def test_fields_the_controller_does_not_read_keep_the_configmap() -> None:
    err = blocked(configmap({"1": "a/b:1"}, binaryData={"x": "AA=="}))
    assert err.code == ts.UNSUPPORTED and "binaryData" in err.message
    assert converted(configmap({"1": "a/b:1"}, immutable=True)).routes


def test_a_configmap_without_entries_is_kept_with_a_note() -> None:
    for data in ({}, None, "x"):
        conv, notes = convert(configmap(data))
        assert conv is None and [n.code for n in notes] == [ts.CONVERTED]
        assert notes[0].severity is Severity.INFO


def test_hostile_configmaps_are_refused_in_bounded_time() -> None:
    huge = "a/" + "b" * 1_000_000 + ":1"
    start = time.process_time()
    err = blocked(configmap({str(i): huge for i in range(1, 10_001)}))
    assert err.code == ts.UNSUPPORTED and "10000 entries" in err.message
    err = blocked(configmap({"1": huge}))
    assert err.code == ts.ENTRY_INVALID and len(err.message) < 300
    err = blocked(configmap({"\x1b[2J" + "9" * 100_000: "a/b:1"}))
    assert "\x1b" not in err.message + err.field and len(err.message) < 300
    assert time.process_time() - start < 30  # generous: a guard against quadratic work


def test_ingress_stages_never_see_the_configmaps() -> None:
    seen: list[list[str]] = []
    stage = ts.ingresses_only(lambda convs, ctx: seen.append([c.source.kind for c in convs]))
    conv = converted(configmap({"1": "a/b:1"}))
    stage([conv], context())
    assert seen == [[]]


# --- end to end (needs the core seam) ---------------------------------------------------------


def _run(text: str, *args: str) -> tuple[str, str]:
    from gwshift.cli import build_parser, settings_from_args

    out = core.transform(text, settings_from_args(build_parser().parse_args(list(args)), {}))
    return out.text, "".join(n.line() + "\n" for n in out.notes)


def _args(case: Path) -> list[str]:
    f = case / "args"
    return [a for a in f.read_text().splitlines() if a.strip()] if f.exists() else []


def _golden_docs(name: str) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all((GOLDEN / name / "input.yaml").read_text()) if d]


def test_krm_resource_list_items_are_replaced_like_ingresses() -> None:
    for name, changed in (("nginx-tcp-services", True), ("nginx-tcp-services-noop", False)):
        rl = {"apiVersion": "config.kubernetes.io/v1", "kind": "ResourceList",
              "items": _golden_docs(name)}
        text = yaml.safe_dump(rl, sort_keys=False)
        proc = subprocess.run([sys.executable, "-m", "gwshift"], input=text, capture_output=True,
                              text=True, check=False)
        assert proc.returncode == 0, proc.stderr
        out = yaml.safe_load(proc.stdout)
        kinds = [(i["kind"], i["metadata"]["name"]) for i in out["items"]]
        if changed:
            assert ("ConfigMap", "ingress-nginx-tcp") not in kinds
            assert ("TCPRoute", "ingress-nginx-tcp-9000") in kinds and ("Gateway", "ingress-nginx-nginx") in kinds
            assert ("ConfigMap", "ingress-nginx-controller") in kinds
        else:
            assert out["items"] == rl["items"] and proc.stdout.startswith(text)


def test_keep_ingress_keeps_the_configmap_and_a_rerun_adds_nothing() -> None:
    source = (GOLDEN / "nginx-tcp-services" / "input.yaml").read_text()
    once, _ = _run(source, "--keep-ingress")
    assert "name: ingress-nginx-tcp\n" in once and "kind: TCPRoute" in once
    twice, notes = _run(once, "--keep-ingress")
    assert twice == once and "ingress/already-converted" in notes


@pytest.mark.parametrize("dialect", ["none", "kong"])
def test_other_dialects_leave_the_configmap(dialect: str) -> None:
    source = (GOLDEN / "nginx-tcp-services" / "input.yaml").read_text()
    assert _run(source, "--dialect", dialect)[0] == source


def test_an_unconvertible_entry_keeps_the_configmap_byte_identical_exit_1(tmp_path: Path) -> None:
    source = (GOLDEN / "nginx-tcp-services" / "input.yaml").read_text()
    bad = source.replace('"6379": default/redis:6379', '"6379": default/redis')
    assert bad != source
    (tmp_path / "in.yaml").write_text(bad)
    proc = subprocess.run([sys.executable, "-m", "gwshift", str(tmp_path / "in.yaml")],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and proc.stdout == bad
    assert f"error\t{ts.ENTRY_INVALID}" in proc.stderr and "data[6379]" in proc.stderr


def test_configmap_in_a_list_is_replaced_in_the_list() -> None:
    docs = _golden_docs("nginx-tcp-services")
    text = yaml.safe_dump({"apiVersion": "v1", "kind": "List", "items": docs}, sort_keys=False)
    out, _ = _run(text)
    items = yaml.safe_load(out)["items"]
    kinds = [(i["kind"], i["metadata"]["name"]) for i in items]
    assert ("ConfigMap", "ingress-nginx-tcp") not in kinds and ("TCPRoute", "ingress-nginx-tcp-9000") in kinds


def test_only_named_documents_are_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Laziness: without the flag in the input no ConfigMap or Deployment is loaded; with it,
    only the Deployments whose text has it and the ConfigMaps whose text has a named name."""
    loaded: list[str] = []
    real = yamlio.load

    def load(text: str) -> Any:
        obj = real(text)
        loaded.append(f"{obj.get('kind')}/{obj['metadata']['name']}" if isinstance(obj, dict) else "?")
        return obj

    monkeypatch.setattr(yamlio, "load", load)
    filler = "".join(
        f"---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\n  namespace: ingress-nginx\n"
        f"data:\n  \"{9000 + i}\": default/x:1\n---\napiVersion: apps/v1\nkind: Deployment\n"
        f"metadata:\n  name: app{i}\nspec:\n  template:\n    spec:\n      containers:\n"
        f"      - name: c\n        args: [--configmap=x/y]\n" for i in range(50))
    assert core.transform(filler, Settings()).text == filler
    assert loaded == []
    source = (GOLDEN / "nginx-tcp-services" / "input.yaml").read_text()
    out = core.transform(source + filler, Settings()).text
    assert "kind: TCPRoute" in out
    assert sorted(set(loaded)) == ["ConfigMap/ingress-nginx-tcp", "Deployment/ingress-nginx-controller",
                                   "Service/postgres"], loaded


def test_kinds_that_are_no_strings_pass_through(tmp_path: Path) -> None:
    """Fuzz find: a List child (or document) whose kind is a mapping (unhashable)."""
    text = ("apiVersion: v1\nkind: List\nitems:\n- apiVersion: apps/v1\n  kind: {a: b}\n"
            "  args: [--tcp-services-configmap=a/b]\n")
    (tmp_path / "in.yaml").write_text(text)
    proc = subprocess.run([sys.executable, "-m", "gwshift", str(tmp_path / "in.yaml")],
                          capture_output=True, text=True, check=False)
    assert (proc.returncode, proc.stdout) == (0, text), proc.stderr


def test_no_name_pattern_fallback_a_chart_configmap_alone_stays() -> None:
    """The chart's ``<fullname>-tcp`` with its labels, rendered without the controller
    (``helm template --show-only``): nothing says the controller reads it, nor TCP/UDP."""
    docs = _golden_docs("nginx-tcp-services")
    (cm,) = [d for d in docs if d["metadata"]["name"] == "ingress-nginx-tcp"]
    text = "# Source: ingress-nginx/templates/controller-configmap-tcp.yaml\n" + yaml.safe_dump(cm)
    out = core.transform(text, Settings())
    assert out.text == text and not out.notes
