"""User-defined names for generated objects: ``--name-template`` (jinja2, sandboxed).

Variables: ``namespace``, ``ingress_class``, ``release`` (label app.kubernetes.io/instance, else
``release`` with ``heritage: Helm``: ``generated_names.release_of``),
``source_name``, ``kind`` (the generated kind, e.g. HTTPRoute). The result must be a DNS-1123
subdomain (253 characters, lower case); anything else is a clear error, never a silently
mangled name. jinja2 is imported only when a template is set.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from gwshift.errors import FatalError

VARIABLES = ("namespace", "ingress_class", "release", "source_name", "kind")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\Z")
MAX_TEMPLATE = 1024


class NameTemplateError(FatalError):
    exit_code = 2


@lru_cache(maxsize=8)
def _compile(template: str) -> Any:
    if len(template) > MAX_TEMPLATE:
        raise NameTemplateError(f"the name template is longer than {MAX_TEMPLATE} characters")
    from jinja2 import StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False)
    try:
        return env.from_string(template)
    except TemplateError as exc:
        raise NameTemplateError(f"the name template is not valid jinja2: {exc}") from None


def render_name(template: str, **variables: str | None) -> str:
    """The name ``template`` gives for these variables; a DNS-1123 subdomain or an error."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    unknown = sorted(set(variables) - set(VARIABLES))
    if unknown:
        raise NameTemplateError(f"unknown name template variable {unknown[0]!r}")
    values = {k: variables.get(k) or "" for k in VARIABLES}
    try:
        name = _compile(template).render(**values).strip()
    except SecurityError as exc:
        raise NameTemplateError(f"the name template is refused by the sandbox: {exc}") from None
    except TemplateError as exc:
        raise NameTemplateError(f"the name template failed: {exc} (variables: "
                                f"{', '.join(VARIABLES)})") from None
    if not _SUBDOMAIN.match(name):
        shown = name.encode("unicode_escape").decode("ascii")[:80]
        raise NameTemplateError(f"the name template gives {shown!r}, which is not a valid "
                                "Kubernetes name (lower-case letters, digits, '-' and '.', at "
                                "most 253 characters, starting and ending alphanumeric)")
    return name


def check_template(template: str) -> None:
    """Validate ``template`` once at start-up with sample values (settings calls this)."""
    render_name(template, namespace="default", ingress_class="nginx", release="release",
                source_name="web", kind="HTTPRoute")
