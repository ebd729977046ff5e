"""Malformed Ingresses: a note naming document, object and field; the rest is unaffected."""

from __future__ import annotations

import json

import pytest

from tests.hostile.helpers import CONFIGMAP, DEPLOYMENT, INGRESS, cli, core, ingress, stream

BACKEND = """        backend:
          service:
            name: web
            port:
              number: 80
"""

# name -> (Ingress text, expected severity floor (1 warning, 2 error), field substring, name)
MALFORMED: dict[str, tuple[str, int, str, str | None]] = {
    "rules-not-a-list": (ingress(**{"  rules:\n  - host": "  rules: oops\n  xrules:\n  - host"}),
                         2, "spec.rules", "web"),
    "spec-scalar": (INGRESS.split("spec:")[0] + "spec: 5\n", 2, "spec", "web"),
    "paths-not-a-list": (ingress(**{"      paths:\n      - path": "      paths: 3\n      xpaths:\n      - path"}),
                         2, "paths", "web"),
    "missing-backend": (ingress(**{BACKEND: ""}), 2, "backend", "web"),
    "backend-without-service": (ingress(**{BACKEND: "        backend: {}\n"}), 2, "backend", "web"),
    "port-out-of-range": (ingress(**{"number: 80": "number: 70000"}), 2, "port.number", "web"),
    "port-zero": (ingress(**{"number: 80": "number: 0"}), 2, "port.number", "web"),
    "port-negative": (ingress(**{"number: 80": "number: -1"}), 2, "port.number", "web"),
    "port-float": (ingress(**{"number: 80": "number: 80.5"}), 2, "port", "web"),
    "port-missing": (ingress(**{"            port:\n              number: 80\n": ""}), 2, "port", "web"),
    "service-name-missing": (ingress(**{"            name: web\n": ""}), 2, "service", "web"),
    "invalid-host-underscore": (ingress(**{"host: a.example.com": "host: a_b.example.com"}), 2,
                                "host", "web"),
    "invalid-host-ip": (ingress(**{"host: a.example.com": "host: 10.0.0.1"}), 2, "host", "web"),
    "invalid-host-uppercase-dots": (ingress(**{"host: a.example.com": "host: A..COM"}), 2, "host", "web"),
    "host-not-string": (ingress(**{"host: a.example.com": "host: 5"}), 2, "host", "web"),
    # ingress-nginx (the class here) reads such paths as regular expressions: a warning.
    "path-without-slash": (ingress(**{"path: /\n": "path: no-slash\n"}), 1, "path", "web"),
    "name-not-string": (ingress(**{"name: web\n  namespace": "name: 123\n  namespace"}), 2,
                        "metadata.name", None),
    "metadata-list": (ingress(**{"metadata:\n  name: web\n  namespace: shop\n": "metadata: [1]\n"}),
                      2, "metadata", None),
    "no-name": (ingress(**{"  name: web\n  namespace": "  namespace"}), 2, "metadata.name", None),
    "bad-timestamp": (ingress(**{"  namespace: shop\n": "  namespace: shop\n  creationTimestamp: 2020-13-45\n"}),
                      2, "", None),
    "tls-not-a-list": (ingress(**{"  rules:\n": "  tls: yes\n  rules:\n"}), 2, "tls", "web"),
    # Nothing to convert: an info note (fixed during issue 7: it used to vanish).
    "empty-spec": (ingress(**{"  ingressClassName: nginx\n  rules:\n": "  ingressClassName: nginx\n  xrules:\n"}),
                   0, "spec", "web"),
    "annotations-list": (ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations: [a]\n"}),
                         2, "annotations", "web"),
}

# Accepted by PyYAML silently today; the API server (or kubectl) would refuse them.

# Formerly core gaps found by these tests, fixed in the core since.
MALFORMED.update({
    "path-type-unknown": (ingress(**{"pathType: Prefix": "pathType: Regex"}), 2, "pathType", "web"),
    "over-long-name": (ingress(**{"name: web\n  namespace": "name: " + "x" * 300 + "\n  namespace"}),
                       2, "metadata.name", None),
    "duplicate-keys": (ingress(**{"  namespace: shop\n": "  namespace: shop\n  name: web2\n"}),
                       2, "metadata", None),
})


def _check(text: str, floor: int, field: str, name: str | None) -> None:
    doc = stream(CONFIGMAP, text, DEPLOYMENT)
    out = core(doc)
    # Rest of the stream unaffected and the faulty Ingress kept.
    assert out.text.startswith("---\n" + CONFIGMAP + "---\n")
    assert out.text.endswith("---\n" + DEPLOYMENT)
    if floor >= 2:
        assert text in out.text  # an error keeps the Ingress as it is
    bad = [n for n in out.notes if n.severity >= floor]
    assert bad, [n.line() for n in out.notes]
    n = bad[0]
    assert n.doc == 1
    assert n.obj is not None and n.obj.kind == "Ingress"
    if name is not None:
        assert n.obj.name == name and n.obj.namespace == "shop"
    if field:
        assert field in (n.field or "") + " " + n.message, n.line()
    if floor >= 1:
        assert out.exit_code(strict=True) == 1


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_core(case: str) -> None:
    _check(*MALFORMED[case])




@pytest.mark.parametrize("case", ["rules-not-a-list", "port-out-of-range", "invalid-host-underscore",
                                  "missing-backend", "port-zero"])
def test_malformed_cli(case: str, tmp_path) -> None:
    text, _, field, name = MALFORMED[case]
    data = stream(CONFIGMAP, text, DEPLOYMENT).encode()
    report = tmp_path / "report.json"
    r = cli(data, "--report", str(report), cwd=tmp_path)
    assert r.rc == 1
    assert r.stdout == data  # nothing converted, everything kept byte for byte
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith("error"))
    assert "\tdoc 1\t" in line and f"Ingress/shop/{name}" in line and field in line
    notes = json.loads(report.read_text())["notes"]
    assert any(n["document"] == 1 and n["severity"] == "error" for n in notes)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


def test_unquoted_non_string_annotations_warn() -> None:
    text = ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n"
                      "    nginx.ingress.kubernetes.io/ssl-redirect: true\n"
                      "    nginx.ingress.kubernetes.io/proxy-body-size: 8\n"
                      "    example.com/none: null\n"})
    out = core(stream(CONFIGMAP, text))
    warn = [n for n in out.notes if n.code == "ingress/non-string-annotation"]
    assert len(warn) >= 2
    assert all(n.doc == 1 and n.obj.name == "web" and "annotations" in (n.field or "") for n in warn)
    assert out.text.startswith("---\n" + CONFIGMAP)


def test_one_bad_ingress_does_not_stop_the_others() -> None:
    bad = MALFORMED["port-out-of-range"][0]
    good = INGRESS.replace("name: web\n  namespace", "name: good\n  namespace").replace(
        "a.example.com", "b.example.com")
    out = core(stream(bad, good))
    assert bad in out.text
    assert "name: good" in out.text and "kind: HTTPRoute" in out.text
    assert [n.doc for n in out.notes if n.severity >= 2] == [0]
