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


# Bounds of what a template may compute: a name is at most 253 characters, so nothing a
# template does needs big numbers, long strings or many iterations. Without them
# ``{{ 'a' * 10**10 }}``, ``{{ 2 ** 99999 }}`` or ``range(10**9)`` ran out of memory or time
# (exit 3) before the result was ever checked (issue 19).
MAX_STRING = 4096  # characters of any intermediate string, list or the output
MAX_NUMBER = 10**6  # magnitude of an integer argument to a call, filter or operator
MAX_ITERATIONS = 10_000  # range() items per render, all loops together


class _Refused(Exception):
    """A bound above was crossed (turned into a NameTemplateError)."""


def _check_value(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) > MAX_NUMBER:
        raise _Refused(f"a number above {MAX_NUMBER}")
    if isinstance(value, float) and not abs(value) <= MAX_NUMBER:
        raise _Refused(f"a number above {MAX_NUMBER}")
    if isinstance(value, (str, bytes, list, tuple, dict)) and len(value) > MAX_STRING:
        raise _Refused(f"a value longer than {MAX_STRING}")
    return value


def _checked_args(args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
    for value in (*args, *kwargs.values()):
        _check_value(value)


def _bounded_environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    class Bounded(SandboxedEnvironment):
        intercepted_binops = frozenset(["*", "**", "+", "%", "//", "/", "-"])
        intercepted_unops = frozenset(["-", "+"])
        budget = MAX_ITERATIONS

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_value(left)
            _check_value(right)
            if operator == "%" and isinstance(left, str):
                raise _Refused("printf-style formatting")
            if operator == "*":  # check the size before making it
                for a, b in ((left, right), (right, left)):
                    if isinstance(a, (str, list, tuple)) and isinstance(b, int) \
                            and len(a) * b > MAX_STRING:
                        raise _Refused(f"a value longer than {MAX_STRING}")
            if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
                raise _Refused("an exponent above 64")
            return _check_value(self.binop_table[operator](left, right))

        def call_unop(self, context: Any, operator: str, arg: Any) -> Any:
            return _check_value(self.unop_table[operator](_check_value(arg)))

        def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
            _checked_args(args, kwargs)
            return _check_value(SandboxedEnvironment.call(self, context, obj, *args, **kwargs))

    env = Bounded(undefined=StrictUndefined, autoescape=False)

    def bounded_range(*args: int) -> range:
        _checked_args(args, {})
        items = range(*args)
        env.budget -= len(items)
        if env.budget < 0:
            raise _Refused(f"more than {MAX_ITERATIONS} loop iterations")
        return items

    env.globals["range"] = bounded_range

    def wrap(f: Any) -> Any:
        def bounded(*args: Any, **kwargs: Any) -> Any:
            _checked_args(args, kwargs)
            return _check_value(f(*args, **kwargs))
        for attr in ("jinja_pass_arg",):  # pass_context/pass_environment markers
            if hasattr(f, attr):
                setattr(bounded, attr, getattr(f, attr))
        return bounded

    env.filters = {k: wrap(f) for k, f in env.filters.items()}
    return env


@lru_cache(maxsize=8)
def _compile(template: str) -> Any:
    if len(template) > MAX_TEMPLATE:
        raise NameTemplateError(f"the name template is longer than {MAX_TEMPLATE} characters")
    from jinja2 import TemplateError

    env = _bounded_environment()
    try:
        return env.from_string(template)
    except TemplateError as exc:
        raise NameTemplateError(f"the name template is not valid jinja2: {exc}") from None


def _render(template: str, values: dict[str, str]) -> str:
    compiled = _compile(template)
    compiled.environment.budget = MAX_ITERATIONS
    out: list[str] = []
    size = 0
    for chunk in compiled.generate(**values):  # stop a long output as it grows
        size += len(chunk)
        if size > MAX_STRING:
            raise _Refused(f"an output longer than {MAX_STRING} characters")
        out.append(chunk)
    return "".join(out)


def render_name(template: str, **variables: str | None) -> str:
    """The name ``template`` gives for these variables; a DNS-1123 subdomain or an error."""
    from jinja2 import TemplateError
    from jinja2.exceptions import SecurityError

    unknown = sorted(set(variables) - set(VARIABLES))
    if unknown:
        raise NameTemplateError(f"unknown name template variable {unknown[0]!r}")
    values = {k: variables.get(k) or "" for k in VARIABLES}
    hint = "; a name needs no more"
    try:
        name = _render(template, values).strip()
    except SecurityError as exc:
        raise NameTemplateError(f"the name template is refused by the sandbox: {exc}") from None
    except _Refused as exc:
        raise NameTemplateError(f"the name template is refused: it computes {exc}{hint}"
                                ) from None
    except TemplateError as exc:
        raise NameTemplateError(f"the name template failed: {exc} (variables: "
                                f"{', '.join(VARIABLES)})") from None
    except (ArithmeticError, ValueError, TypeError, LookupError, MemoryError,
            RecursionError) as exc:
        raise NameTemplateError(f"the name template failed: {type(exc).__name__}"
                                f"{hint}") from None
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
