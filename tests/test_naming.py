"""naming.py: --name-template rendered in jinja2's sandbox, validated to DNS-1123."""

from __future__ import annotations

import pytest
from gwshift.naming import NameTemplateError, check_template, render_name

VARS = {"namespace": "shop", "ingress_class": "nginx", "release": "web-1",
        "source_name": "api", "kind": "HTTPRoute"}


def test_render_with_every_variable() -> None:
    name = render_name("{{ release }}-{{ source_name }}-{{ kind | lower }}.{{ namespace }}"
                       "{{ '-' + ingress_class if ingress_class }}", **VARS)
    assert name == "web-1-api-httproute.shop-nginx"


def test_missing_values_render_empty() -> None:
    assert render_name("{{ source_name }}{{ release }}", source_name="api", release=None) == "api"


@pytest.mark.parametrize("template, words", [
    ("{{ source_name | upper }}", "not a valid Kubernetes name"),
    ("{{ source_name }}_x", "not a valid Kubernetes name"),
    ("-{{ source_name }}", "not a valid Kubernetes name"),
    ("{{ source_name * 300 }}", "not a valid Kubernetes name"),
    ("{{ unknown }}", "variables: namespace"),
    ("{{ source_name ", "not valid jinja2"),
    ("{{ source_name.__class__.__mro__ }}", "sandbox"),
    ("{{ ''.__class__.__subclasses__() }}", "sandbox"),
    ("x" * 2000, "longer than"),
])
def test_bad_templates_are_one_clear_error(template: str, words: str) -> None:
    with pytest.raises(NameTemplateError) as exc:
        render_name(template, **VARS)
    assert words in str(exc.value) and "\n" not in str(exc.value)
    assert exc.value.exit_code == 2


def test_unknown_variable_names_are_refused() -> None:
    with pytest.raises(NameTemplateError, match="unknown name template variable"):
        render_name("x", colour="red")


def test_check_template_uses_sample_values() -> None:
    check_template("{{ release }}-{{ source_name }}")
    with pytest.raises(NameTemplateError):
        check_template("{{ release }}--{{ nope }}")


@pytest.mark.parametrize("template, words", [
    ("{% for i in range(10**9) %}x{% endfor %}", "a number above"),
    ("{{ 'a' * 10**10 }}", "a number above"),
    ("{{ 'a' * 5000 }}", "longer than"),
    ("{{ 2 ** 99999 }}", "an exponent above 64"),
    ("{{ source_name|center(999999) }}", "longer than"),
    ("{{ '%0999d' % 1 }}", "printf-style"),
    (("{% for i in range(100) %}{% for j in range(100) %}{% for k in range(100) %}"
      "{% endfor %}{% endfor %}{% endfor %}"), "loop iterations"),
    ("{% for i in range(4000) %}xy{% endfor %}", "output longer than"),
    ("{{ 1 // 0 }}", "ZeroDivisionError"),
])
def test_bounded_templates_are_one_clear_error(template: str, words: str) -> None:
    with pytest.raises(NameTemplateError) as exc:
        render_name(template, **VARS)
    assert words in str(exc.value) and "\n" not in str(exc.value)


def test_bounds_leave_ordinary_templates_alone() -> None:
    # the must-not-change twin: arithmetic, loops and filters within the bounds still work
    assert render_name("{{ source_name * 2 }}-{{ 2 ** 3 }}{% for i in range(3) %}{{ i }}"
                       "{% endfor %}-{{ kind|lower|replace('route', '') }}", **VARS) == \
        "apiapi-8012-http"
    # the budget is per render, not per template
    for _ in range(3):
        render_name("{% for i in range(9000) %}{% endfor %}x", **VARS)
