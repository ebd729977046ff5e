"""Context: Gateway grouping (one per class across namespaces), the Gateway's namespace, and
the certificate ingress-nginx serves a host with."""

from __future__ import annotations

from typing import Any

import pytest
from gwshift.context import Context
from gwshift.convert import build_routes, new_conversion
from gwshift.model import Conversion
from gwshift.parse import parse_ingress
from gwshift.settings import Settings


def ingress(name: str, ns: str | None, hosts: list[str | None], cls: str = "nginx",
            tls: list[tuple[list[str], str | None]] | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if ns:
        meta["namespace"] = ns
    rules = []
    for h in hosts:
        r: dict[str, Any] = {"http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
            "service": {"name": "svc", "port": {"number": 80}}}}]}}
        if h:
            r["host"] = h
        rules.append(r)
    spec: dict[str, Any] = {"ingressClassName": cls, "rules": rules}
    if tls:
        spec["tls"] = [{"hosts": hs, **({"secretName": s} if s else {})} for hs, s in tls]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def context(docs: list[dict[str, Any]], settings: Settings | None = None
            ) -> tuple[list[Conversion], Context]:
    c = Context(settings or Settings(),
                {"Service": lambda ns, name: None, "ConfigMap": lambda ns, name: None})
    convs = []
    for n, doc in enumerate(docs):
        ing, notes = parse_ingress(doc, n)
        assert ing is not None, notes
        convs.append(new_conversion(ing, c))
    c.conversions = convs
    for conv in convs:
        build_routes(conv, c)
    return convs, c


def test_one_group_per_class_whatever_the_namespace() -> None:
    (a, b, other), c = context([ingress("a", "platform", ["shop.example.com"]),
                                ingress("b", "team-a", ["shop.example.com"]),
                                ingress("c", "team-a", ["shop.example.com"], cls="internal")])
    assert c.same_group(a, b)
    assert not c.same_group(a, other)


def test_sources_without_a_known_namespace_keep_their_own_group() -> None:
    # Routes elsewhere could not name the release namespace of such a Gateway.
    (a, b), c = context([ingress("a", None, ["x.example.com"]), ingress("b", "web", ["x.example.com"])])
    assert not c.same_group(a, b)
    (a, b), c = context([ingress("a", None, ["x.example.com"]), ingress("b", "web", ["x.example.com"])],
                        Settings(namespace="web"))
    assert c.same_group(a, b)


@pytest.mark.parametrize(("settings", "namespace", "why"), [
    (Settings(), "platform", "first"),
    (Settings(namespace="team-a"), "team-a", "release"),
    (Settings(namespace="elsewhere"), "platform", "first"),
    (Settings(gateway_namespace="gateway-system"), "gateway-system", "option"),
])
def test_gateway_namespace_of_a_group_spanning_namespaces(settings: Settings, namespace: str,
                                                          why: str) -> None:
    convs, c = context([ingress("b", "team-a", ["shop.example.com"]),
                        ingress("a", "platform", ["shop.example.com"])], settings)
    where = c.gateway_namespace(convs)
    assert (where.namespace, where.why, where.spans) == (namespace, why, ["platform", "team-a"])


def test_gateway_namespace_of_one_namespace_is_unchanged() -> None:
    # Twin: a group within one namespace keeps its Gateway there, as the sources wrote it.
    convs, c = context([ingress("a", None, ["x.example.com"]), ingress("b", None, ["y.example.com"])])
    assert c.gateway_namespace(convs).namespace is None
    convs, c = context([ingress("a", "web", ["x.example.com"])], Settings(namespace="other"))
    where = c.gateway_namespace(convs)
    assert (where.namespace, where.why) == ("web", "single")


def test_tls_coverage_is_the_whole_groups_across_namespaces() -> None:
    (platform, team), c = context([
        ingress("platform", "platform", ["shop.example.com"], tls=[(["shop.example.com"], "shop-tls")]),
        ingress("team", "team-a", ["shop.example.com"])])
    assert c.host_has_tls(team, "shop.example.com")
    choice = c.certificate_for(team, "shop.example.com")
    assert choice is not None and choice.secret == ("platform", "shop-tls")
    assert choice.conv is platform


def test_tls_coverage_stops_at_the_class() -> None:
    # Twin: another class is another controller and address.
    (_, team), c = context([
        ingress("platform", "platform", ["shop.example.com"], tls=[(["shop.example.com"], "shop-tls")]),
        ingress("team", "team-a", ["shop.example.com"], cls="internal")])
    assert not c.host_has_tls(team, "shop.example.com")
    assert c.certificate_for(team, "shop.example.com") is None


def test_certificate_of_the_ingress_nginx_lists_first() -> None:
    # sortIngressSlice: equal creation timestamps -> namespace/name descending: web/b first.
    (a, b), c = context([ingress("a", "web", ["x.example.com"], tls=[(["x.example.com"], "a-tls")]),
                         ingress("b", "web", ["x.example.com"], tls=[(["x.example.com"], "b-tls")])])
    choice = c.certificate_for(a, "x.example.com")
    assert choice is not None
    assert (choice.secret, choice.conv, choice.others) == (("web", "b-tls"), b, [("web", "a-tls")])
    assert choice.contested == ["Ingress/web/a"]


def test_certificate_prefers_a_rule_for_the_host_then_the_exact_entry() -> None:
    # nginx only reads the tls section of Ingresses with a rule for the host, and an entry
    # listing the host before one whose (wildcard) certificate covers it.
    (x, _), c = context([
        ingress("x", "web", ["x.example.com"], tls=[(["*.example.com"], "wild-tls"),
                                                    (["x.example.com"], "x-tls")]),
        ingress("z", "web", ["z.example.com"], tls=[(["x.example.com"], "z-tls")])])
    choice = c.certificate_for(x, "x.example.com")
    assert choice is not None and choice.secret == ("web", "x-tls")
    assert choice.contested == []  # z has no rule for the host: not an ordering question


def test_one_secret_for_a_host_is_no_choice() -> None:
    (a, _), c = context([ingress("a", "web", ["x.example.com"], tls=[(["x.example.com"], "x-tls")]),
                         ingress("b", "web", ["x.example.com"], tls=[(["x.example.com"], "x-tls")])])
    choice = c.certificate_for(a, "x.example.com")
    assert choice is not None and (choice.others, choice.contested) == ([], [])


def test_entry_without_secret_is_no_certificate() -> None:
    (a,), c = context([ingress("a", "web", ["x.example.com"], tls=[(["x.example.com"], None)])])
    assert c.host_has_tls(a, "x.example.com")
    assert c.certificate_for(a, "x.example.com") is None
    assert c.tls_secrets_for(a, "x.example.com") == []


def test_ingress_order_decides_before_the_exact_entry() -> None:
    # nginx reads only the first Ingress's tls section (equal timestamps: web/z before web/a);
    # its wildcard entry wins over a later Ingress listing the host.
    (a, z), c = context([ingress("a", "web", ["x.example.com"], tls=[(["x.example.com"], "x-tls")]),
                         ingress("z", "web", ["x.example.com"], tls=[(["*.example.com"], "wild-tls")])])
    choice = c.certificate_for(a, "x.example.com")
    assert choice is not None
    assert (choice.secret, choice.conv, choice.contested) == (("web", "wild-tls"), z, ["Ingress/web/a"])


def test_gateway_goes_where_most_certificate_secrets_are() -> None:
    # Fewest cross-namespace certificate references (ReferenceGrants; cert-manager issues
    # only Secrets of the Gateway's own namespace).
    convs, c = context([ingress("a", "blog", ["blog.example.com"], tls=[(["blog.example.com"], "blog-tls")]),
                        ingress("s", "store", ["shop.example.com"], tls=[(["shop.example.com"], "shop-tls")]),
                        ingress("t", "store", ["api.example.com"], tls=[(["api.example.com"], "api-tls")])])
    where = c.gateway_namespace(convs)
    assert (where.namespace, where.why) == ("store", "secrets")


DEFAULT = Settings(default_certificate=("ingress-nginx", "default-tls"))


def test_default_certificate_serves_unlisted_rule_hosts_of_an_ingress_with_tls() -> None:
    # createServers: a rule host of an Ingress with a tls section that extractTLSSecretName
    # finds nothing for gets the default certificate (--default-ssl-certificate).
    (a,), c = context([ingress("a", "web", ["x.example.com", "y.example.com", None],
                               tls=[(["x.example.com"], "x-tls")])], DEFAULT)
    assert c.default_certificate_for(a, "y.example.com") == ("ingress-nginx", "default-tls")
    assert c.host_has_tls(a, "y.example.com")
    assert c.tls_secrets_for(a, "y.example.com") == ["default-tls"]
    choice = c.certificate_for(a, "y.example.com")
    assert choice is not None and choice.default and choice.secret == ("ingress-nginx", "default-tls")
    # A host with its own Secret keeps it; the hostless rule is nginx's catch-all server.
    own = c.certificate_for(a, "x.example.com")
    assert own is not None and not own.default and own.secret == ("web", "x-tls")
    assert c.default_certificate_for(a, None) is None


def test_default_certificate_for_an_entry_without_secret() -> None:
    (a,), c = context([ingress("a", "web", ["x.example.com"], tls=[(["x.example.com"], None)])],
                      DEFAULT)
    choice = c.certificate_for(a, "x.example.com")
    assert choice is not None and choice.default


def test_default_certificate_covers_the_host_across_the_group() -> None:
    # The team's Ingress has no tls section, but the platform's (same host) has one: one
    # server, one certificate in ingress-nginx.
    (_, team), c = context([
        ingress("platform", "platform", ["shop.example.com"], tls=[(["other.example.com"], "o-tls")]),
        ingress("team", "team-a", ["shop.example.com"])], DEFAULT)
    assert c.host_has_tls(team, "shop.example.com")


def test_without_the_option_or_a_tls_section_there_is_no_default_certificate() -> None:
    # Twins: no option (today's warning, HTTP only); an Ingress without a tls section.
    (a,), c = context([ingress("a", "web", ["y.example.com"], tls=[(["x.example.com"], "x-tls")])])
    assert not c.host_has_tls(a, "y.example.com") and c.certificate_for(a, "y.example.com") is None
    (b,), c = context([ingress("b", "web", ["y.example.com"])], DEFAULT)
    assert not c.host_has_tls(b, "y.example.com") and c.default_certificate_for(b, "y.example.com") is None


def test_release_of_group_needs_one_release_for_every_source() -> None:
    def labelled(doc: dict[str, Any], labels: dict[str, str]) -> dict[str, Any]:
        doc["metadata"]["labels"] = labels
        return doc

    blue = {"app.kubernetes.io/instance": "blue"}
    (a, b), c = context([labelled(ingress("a", "web", ["a.example.com"]), blue),
                         labelled(ingress("b", "other", ["b.example.com"]), blue)])
    assert c.release_of_group(a) == c.release_of_group(b) == "blue"
    (a, _), c = context([labelled(ingress("a", "web", ["a.example.com"]), blue),
                         ingress("b", "web", ["b.example.com"])])
    assert c.release_of_group(a) is None
    (a, _, x), c = context([labelled(ingress("a", "web", ["a.example.com"]), blue),
                            labelled(ingress("b", "web", ["b.example.com"]),
                                     {"app.kubernetes.io/instance": "green"}),
                            labelled(ingress("x", "web", ["x.example.com"], cls="internal"), blue)])
    assert c.release_of_group(a) is None and c.release_of_group(x) == "blue"


# --- issue 19: an object in the input but unreadable is not "not in the input" ------------------


def _finder_context(texts: list[str]) -> Context:
    from gwshift import lookup, stream
    from gwshift.inventory import Item

    chunks = stream.split("".join("---\n" + t for t in texts))
    items = [Item(c.index, "Middleware", "traefik.io/v1alpha1", source=c) for c in chunks
             if c.has_content]
    return Context(Settings(), {"Middleware": lookup.finder(items, "Middleware", "shop")})


MIDDLEWARE = ("apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata:\n  name: {name}\n"
              "  namespace: shop\nspec:\n{spec}")


def test_unreadable_object_in_the_input_is_said_so() -> None:
    ctx = _finder_context([MIDDLEWARE.format(name="auth", spec="  a: &x [1]\n  b: *x\n"),
                           MIDDLEWARE.format(name="ok", spec="  ipAllowList: {}\n")])
    assert ctx.find("Middleware", "shop", "auth") is None
    why = ctx.unreadable("Middleware", "shop", "auth")
    assert why and "\n" not in why
    assert ctx.missing_phrase("Middleware", "shop", "auth").startswith(
        "is in the input but could not be read (")


def test_absent_and_readable_objects_are_not_unreadable() -> None:
    # the must-not-change twin: a missing object is still "not in the input"
    ctx = _finder_context([MIDDLEWARE.format(name="ok", spec="  ipAllowList: {}\n")])
    assert ctx.find("Middleware", "shop", "ok") is not None
    assert ctx.unreadable("Middleware", "shop", "ok") is None
    assert ctx.find("Middleware", "shop", "nope") is None
    assert ctx.missing_phrase("Middleware", "shop", "nope") == "is not in the input"
    assert ctx.missing_phrase("Service", "shop", "nope") == "is not in the input"


def test_certificate_choice_reads_each_ingress_hosts_once(monkeypatch: Any) -> None:
    from gwshift import context as context_module

    calls = 0
    real = context_module.source_hosts

    def counting(conv: Conversion) -> set[str]:
        nonlocal calls
        calls += 1
        return real(conv)

    monkeypatch.setattr(context_module, "source_hosts", counting)
    hosts: list[str | None] = [f"h{i}.example.com" for i in range(50)]
    convs, c = context([ingress("a", "shop", hosts,
                                tls=[([str(h)], f"s{i}") for i, h in enumerate(hosts)])])
    for i, h in enumerate(hosts):
        choice = c.certificate_for(convs[0], str(h))
        assert choice is not None and choice.secret == ("shop", f"s{i}")
    assert calls <= 2  # once for the certificate choice (and once for the ruled-hosts index)
