"""Classification of differences and the explanation table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from gwshift.verify import explain, probes
from gwshift.verify.compare import classify
from gwshift.verify.types import Ref, Result

PACKAGE = Path(__file__).resolve().parents[2] / "transformer" / "gwshift"


def b(*shares: tuple[str, float], path: str = "/", headers: tuple[tuple[str, str], ...] = ()) -> Result:
    return Result("backend", backends=tuple(shares), path=path, headers=headers)


R302 = Result("redirect", 302, location="https://h/")
S404 = Result("status", 404)


@pytest.mark.parametrize(("source", "gateway", "kind"), [
    (b(("a", 1.0)), b(("a", 1.0)), None),
    (b(("a", 1.0)), b(("c", 1.0)), "backend"),
    (b(("a", 0.8), ("c", 0.2)), b(("a", 0.2), ("c", 0.8)), "weights"),
    (b(("a", 1.0), path="/x"), b(("a", 1.0), path="/"), "rewrite"),
    (b(("a", 1.0)), b(("a", 1.0), headers=(("x-forwarded-prefix", "/p"),)), "headers"),
    (R302, b(("a", 1.0)), "redirect-lost"),
    (b(("a", 1.0)), R302, "redirect-added"),
    (R302, Result("redirect", 301, location="https://h/"), "redirect-differs"),
    (Result("status", 403), b(("a", 1.0)), "access-control-lost"),
    (b(("a", 1.0)), Result("status", 401), "access-control-added"),
    (b(("a", 1.0)), S404, "not-served"),
    (S404, b(("a", 1.0)), "extra-served"),
    (S404, Result("status", 500), "status"),
    (Result("status", 403), Result("status", 401), None),  # denied both ways
    (S404, Result("status", 401), "extra-served"),
    (Result("status", 403), S404, "not-served"),
    (b(("a", 1.0)), Result("split", detail="..."), "host-split"),
    (Result("unknown"), S404, None),
])
def test_classify(source: Result, gateway: Result, kind: str | None) -> None:
    assert classify(source, gateway) == kind


def test_every_kind_has_a_table_entry() -> None:
    kinds = {"backend", "weights", "rewrite", "headers", "redirect-lost", "redirect-added",
             "redirect-differs", "access-control-lost", "access-control-added", "not-served",
             "extra-served", "status", "host-split", "order-dependent"}
    assert kinds == set(explain.EXPLAINS)


def _emitted_codes() -> set[str]:
    codes: set[str] = set()
    for f in PACKAGE.rglob("*.py"):
        if "verify" not in f.parts:
            codes |= set(re.findall(
                r'"((?:nginx-inc|nginx|ingress|gateway|traefik|kong|alb|gce|haproxy)/[a-z0-9-]+)"',
                f.read_text()))
    return codes


def test_literal_codes_in_the_table_are_codes_the_converter_emits() -> None:
    """A renamed note code must be renamed here too, or the difference it explained surfaces."""
    literal = {c for pats in explain.EXPLAINS.values() for c in pats if "*" not in c}
    literal |= set(explain.KEPT_CODES)
    assert literal <= _emitted_codes() | set(explain.PENDING_CODES)


def test_error_notes_explain_only_kept_ingresses() -> None:
    ref = Ref("Ingress", "ops", "admin")
    notes = {("ops", "admin"): [explain.NoteRef("nginx/ip-access-control", "error", str(ref), "")]}
    assert explain.find("access-control-lost", [ref], notes, kept=set()) is None
    assert explain.find("not-served", [ref], notes, kept={("ops", "admin")}) is not None


def test_nginx_notes_do_not_explain_other_controllers() -> None:
    ref = Ref("Ingress", "web", "api")
    notes = {("web", "api"): [explain.NoteRef("nginx/regex-host", "info", str(ref), "")]}
    assert explain.find("backend", [ref], notes, set(), "nginx") is not None
    assert explain.find("backend", [ref], notes, set(), "generic") is None


def test_probe_variants_cover_the_edges_of_a_path() -> None:
    assert set(probes.variants("/api")) == {
        ("/api", ""), ("/api", "q=1"), ("/api/", ""), ("/apix", ""), ("/API", ""),
        ("/api/child", "")}
    assert probes.instantiate("*.example.com") == ["w1.example.com", "w2.w1.example.com"]
    assert probes.literal("/api(/|$)(.*)") == "/api"
    assert probes.sample("^beta[0-9]") == "beta"


def test_docs_embed_the_explanation_table() -> None:
    doc = (PACKAGE.parents[1] / "docs" / "verify.md").read_text()
    start = "<!-- generated from explain.EXPLAINS: do not edit by hand -->\n"
    body = doc.split(start, 1)[1].split("<!-- end of generated table -->", 1)[0]
    assert body == explain.markdown(), "regenerate the table in docs/verify.md"
