"""write.py: replaced documents stay valid YAML 1.1 and 1.2 wherever they stand."""

from __future__ import annotations

import yaml
from gwshift.core import transform
from gwshift.settings import Settings

from tests.hostile.helpers import CONFIGMAP, INGRESS


def test_a_replaced_document_after_an_end_marker_gets_a_separator() -> None:
    out = transform(CONFIGMAP + "...\n" + INGRESS, Settings()).text
    assert out.startswith(CONFIGMAP + "...\n---\n")
    kinds = [d["kind"] for d in yaml.safe_load_all(out)]
    assert kinds[0] == "ConfigMap" and "HTTPRoute" in kinds and "Ingress" not in kinds


def test_a_first_or_separated_document_gets_no_extra_separator() -> None:  # twin
    out = transform(INGRESS, Settings()).text
    assert not out.startswith("---")
    out = transform(CONFIGMAP + "---\n" + INGRESS, Settings()).text
    assert "---\n---" not in out and out.startswith(CONFIGMAP + "---\napiVersion")


def test_an_unreadable_list_that_may_hold_an_ingress_is_an_error() -> None:
    text = "apiVersion: v1\nkind: List\nitems:\n- kind: Ingress\n  x: [\n"
    out = transform(text, Settings())
    assert out.text == text and [n.code for n in out.notes] == ["yaml/invalid"]


def test_an_unreadable_list_without_sources_passes_silently() -> None:  # twin
    text = "apiVersion: v1\nkind: List\nitems:\n- kind: ConfigMap\n  x: &a [\n"
    out = transform(text, Settings())
    assert out.text == text and not out.notes
