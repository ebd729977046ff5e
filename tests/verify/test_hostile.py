"""Hostile input: one clear line and exit 2, or a bounded run; never a traceback or exit 3."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from gwshift.verify.cli import main

from .helpers import ingress, path

BOMB = "kind: Ingress\na: &a [x]\nb: [" + ", ".join(["*a"] * 150) + "]\n"  # > MAX_ALIASES


@pytest.mark.parametrize("text", [BOMB, "[" * 5000 + "]" * 5000, "\x00\x01", "- a\n-b: [\n"])
def test_unreadable_input_is_one_line_and_exit_2(tmp_path: Path, text: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "in.yaml"
    f.write_text(text)
    assert main([str(f), str(f)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("gwshift verify: ")


def test_backtracking_regex_is_not_evaluated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gwshift import yamlio

    ing = ingress("evil", "h.com", path("/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa(a+)+$", "svc",
                                        "ImplementationSpecific"), ann={"use-regex": "true"})
    before, after = tmp_path / "in.yaml", tmp_path / "out.yaml"
    before.write_text(yamlio.dump(ing))
    after.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    start = time.monotonic()
    assert main([str(before), str(after)]) == 0  # every h.com probe: not compared
    assert time.monotonic() - start < 10
    out = capsys.readouterr()
    assert "not compared" in out.out and out.err == ""


def test_some_documents_unreadable_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gwshift import yamlio

    f = tmp_path / "in.yaml"
    good = yamlio.dump(ingress("ok", "h.com", path("/", "svc")))
    f.write_text(good + "---\nkind: Ingress\nmetadata: {a: 1, a: 2}\n")
    main([str(f), str(f)])
    assert "warning: " in capsys.readouterr().out


# Values of every type where the dialect models read strings, lists and mappings.
ODD_VALUES: list[object] = [None, 0, -1, 10**30, "", "x", "*", "[", "{", "(a+)+$", [], ["x", 1],
                            {}, {"a": [1]}, True, 1.5]


def _dialect_stream(value: object) -> str:
    from gwshift import yamlio

    docs: list[dict[str, object]] = [
        {"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
         "metadata": {"name": "m", "namespace": "web"},
         "spec": {"stripPrefix": {"prefixes": value}}},
        {"apiVersion": "traefik.io/v1alpha1", "kind": "Middleware",
         "metadata": {"name": "r", "namespace": "web"},
         "spec": {"redirectScheme": {"scheme": value, "port": value, "permanent": value}}},
        {"apiVersion": "traefik.io/v1alpha1", "kind": "IngressRoute",
         "metadata": {"name": "ir", "namespace": "web"},
         "spec": {"entryPoints": value, "tls": value, "routes": [
             {"match": value, "priority": value, "middlewares": [{"name": value}],
              "services": [{"name": value, "port": value, "weight": value, "kind": value}]},
             {"match": "Host(`a.example.com`) && PathRegexp(`(a+)+$`)",
              "services": [{"name": "a", "port": 80}]}]}},
        {"apiVersion": "configuration.konghq.com/v1", "kind": "KongPlugin",
         "metadata": {"name": "p", "namespace": "web"}, "plugin": value, "config": value},
        {"apiVersion": "networking.gke.io/v1beta1", "kind": "FrontendConfig",
         "metadata": {"name": "f", "namespace": "web"}, "spec": {"redirectToHttps": value}},
    ]
    text = str(value)
    for cls, ann in (
            ("traefik", {"traefik.ingress.kubernetes.io/router.middlewares": "web-m@kubernetescrd,"
                         "web-r@kubernetescrd", "traefik.ingress.kubernetes.io/router.pathmatcher":
                         text, "traefik.ingress.kubernetes.io/router.priority": text,
                         "traefik.ingress.kubernetes.io/router.entrypoints": text}),
            ("kong", {"konghq.com/plugins": "p", "konghq.com/protocols": text,
                      "konghq.com/regex-priority": text, "konghq.com/methods": text,
                      "konghq.com/https-redirect-status-code": text, "konghq.com/headers.x": text}),
            ("alb", {"alb.ingress.kubernetes.io/listen-ports": text,
                     "alb.ingress.kubernetes.io/actions.svc": text,
                     "alb.ingress.kubernetes.io/conditions.svc": text,
                     "alb.ingress.kubernetes.io/group.order": text,
                     "alb.ingress.kubernetes.io/ssl-redirect": text}),
            ("gce", {"networking.gke.io/v1beta1.FrontendConfig": "f",
                     "kubernetes.io/ingress.allow-http": text})):
        ing = ingress(f"{cls}-i", "a.example.com", path("/~/(a+)+$", "svc", "ImplementationSpecific"),
                      path(text if text.startswith("/") else "/p", "svc"), cls=cls)
        ing["metadata"]["annotations"] = ann  # type: ignore[index]
        docs.append(ing)
    return "---\n".join(yamlio.dump(d) for d in docs)


@pytest.mark.parametrize("value", ODD_VALUES, ids=[repr(v)[:12] for v in ODD_VALUES])
def test_dialect_models_take_values_of_any_type(tmp_path: Path, value: object,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """Traefik, Kong, ALB and GCE objects with odd values: a bounded run whose exit code is
    the report's (nothing in AFTER: every difference the conversion did not keep is
    unexplained), never a traceback."""
    from gwshift.settings import Settings
    from gwshift.verify import verify

    before, after = tmp_path / "in.yaml", tmp_path / "out.yaml"
    before.write_text(_dialect_stream(value))
    after.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")
    start = time.monotonic()
    code = main([str(before), str(after)])
    assert time.monotonic() - start < 20
    out = capsys.readouterr()
    assert out.err == ""
    assert code == verify(before.read_text(), after.read_text(), Settings()).exit_code
