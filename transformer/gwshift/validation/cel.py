"""CEL half of the apiserver's CRD validation: ``x-kubernetes-validations`` rules.

Each rule is evaluated with ``self`` bound to the value at its schema node (once per item
for rules under ``items``, once per value under ``additionalProperties``), on the pruned
and defaulted object, the way the apiserver does on create:

* object property names are escaped like Kubernetes (``namespace`` -> ``__namespace__``),
  map keys (``additionalProperties``) are not;
* transition rules (those reading ``oldSelf``) are not run: there is no old object on
  create. They are not dropped silently either: ``Node.skipped`` lists each with the reason;
* the cel-go strings extension and the Kubernetes functions the bundled CRDs call
  (``isIP``, ``format.dns1123Label().validate``, ``url(...).getScheme()``) are provided.

Cost budgets and ``messageExpression`` are not emulated (no bundled CRD uses the latter;
``tests/validation/test_cel_coverage.py`` checks that every bundled rule compiles).
"""

from __future__ import annotations

import functools
import ipaddress
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .errors import INSTALL_HINT, FieldError, ValidationUnavailable

Schema = dict[str, Any]

# --- Kubernetes property-name escaping (k8s.io/apiserver/pkg/cel/escaping.go) --------------------

_RESERVED = frozenset(
    ["true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"]
)
_ESCAPES = {"__": "__underscores__", ".": "__dot__", "-": "__dash__", "/": "__slash__"}
_ESCAPE_RE = re.compile(r"__|[-./]|[^a-zA-Z0-9_]")


def escape(name: str) -> str | None:
    """The CEL identifier for a property name; None if CEL cannot address it."""
    if not name or name[0].isdigit():
        return None
    if name in _RESERVED:
        return f"__{name}__"
    bad = False

    def sub(m: re.Match[str]) -> str:
        nonlocal bad
        if m.group(0) in _ESCAPES:
            return _ESCAPES[m.group(0)]
        bad = True
        return ""

    out = _ESCAPE_RE.sub(sub, name)
    return None if bad else out


# --- Kubernetes CEL library functions used by Gateway API CRDs -----------------------------------

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")

# name -> (max length, pattern, what the pattern demands) as in k8s.io/apimachinery validation.
_FORMATS: dict[str, tuple[int, re.Pattern[str], str]] = {
    "dns1123Label": (63, _DNS1123_LABEL, "a lowercase RFC 1123 label"),
    "dns1123Subdomain": (253, _DNS1123_SUBDOMAIN, "a lowercase RFC 1123 subdomain"),
    "dns1035Label": (63, _DNS1035_LABEL, "a DNS-1035 label"),
}


def _format_errors(fmt: str, value: str) -> list[str] | None:
    """``format.<fmt>().validate(value)``: None when valid (the CRDs compare with null)."""
    limit, pattern, what = _FORMATS[fmt]
    errors = []
    if len(value) > limit:
        errors.append(f"must be no more than {limit} characters")
    if not pattern.match(value):
        errors.append(f"{what} must match the regex {pattern.pattern}")
    return errors or None


def _is_ip(value: str) -> bool:
    # Go's netip.ParseAddr: no zones, no leading zeros (Python refuses those too).
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return "%" not in value


# k8s.io/apiserver/pkg/cel/library/urls.go: url() accepts what Go's url.ParseRequestURI
# does - an absolute URI (with a scheme) or an absolute path, no whitespace or control
# characters, no fragment.
_URL_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")
_URL_BAD = re.compile(r"[\x00-\x20\x7f#]")


def _url(value: str) -> str:
    """``url(string)``: the URL (represented by its text), or an error like the apiserver's."""
    if _URL_BAD.search(value) or not (_URL_SCHEME.match(value) or value.startswith("/")):
        raise ValueError(f"URL parse error during conversion from string: {value!r}")
    return value


def _url_scheme(value: str) -> str:
    m = _URL_SCHEME.match(value)
    return m.group(1) if m else ""


def _is_url(value: str) -> bool:
    try:
        _url(value)
    except ValueError:
        return False
    return True


def _functions(cel: Any) -> list[Any]:
    T = cel.Type
    decls = [
        cel.FunctionDecl("isIP", [cel.Overload("isIP_string", T.BOOL, [T.STRING], impl=_is_ip)]),
        # Like format objects below, a URL is represented by its (checked) text.
        cel.FunctionDecl("url", [cel.Overload("url_string", T.STRING, [T.STRING], impl=_url)]),
        cel.FunctionDecl(
            "isURL", [cel.Overload("isURL_string", T.BOOL, [T.STRING], impl=_is_url)]
        ),
        cel.FunctionDecl(
            "getScheme",
            [
                cel.Overload(
                    "url_getScheme", T.STRING, [T.STRING], is_member=True, impl=_url_scheme
                )
            ],
        ),
    ]
    # cel-expr-python cannot return opaque values from Python, so a format object is
    # represented by its name (a string) and ``validate`` is a member function on strings.
    for fmt in _FORMATS:
        decls.append(
            cel.FunctionDecl(
                f"format.{fmt}",
                [cel.Overload(f"format_{fmt}", T.STRING, [], impl=functools.partial(str, fmt))],
            )
        )
    decls.append(
        cel.FunctionDecl(
            "validate",
            [
                cel.Overload(
                    "format_validate_string",
                    T.DYN,
                    [T.STRING, T.STRING],
                    is_member=True,
                    impl=_format_errors,
                )
            ],
        )
    )
    return decls


@functools.cache
def _backend() -> tuple[Any, Any]:
    """(cel module, Env) - imported lazily so ``import gwshift.validation`` stays cheap."""
    try:
        from cel_expr_python import cel
        from cel_expr_python.ext import ext_strings
    except ImportError as exc:
        raise ValidationUnavailable(f"{INSTALL_HINT}: {exc}") from exc
    env = cel.NewEnv(
        variables={"self": cel.Type.DYN, "oldSelf": cel.Type.DYN},
        extensions=[ext_strings.ExtStrings()],
        functions=_functions(cel),
    )
    return cel, env


# --- compiled rule tree ---------------------------------------------------------------------------

_OLD_SELF = re.compile(r"\boldSelf\b")


@dataclass(frozen=True)
class Rule:
    program: Any
    rule: str
    message: str
    field_path: str


class Skipped(NamedTuple):
    """A rule that is deliberately not evaluated, and why."""

    rule: str
    reason: str


TRANSITION_RULE = "transition rule (reads oldSelf): the apiserver runs it only on update"


@dataclass
class Node:
    """A schema node reduced to what CEL needs: escaped property names and rules."""

    props: dict[str, tuple[str, Node]] | None = None  # name -> (CEL name, node)
    items: Node | None = None
    additional: Node | None = None
    rules: list[Rule] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    active: bool = False  # rules here or below: subtrees without rules are not walked

    def all_skipped(self) -> Iterator[Skipped]:
        """Every skipped rule of this subtree."""
        yield from self.skipped
        children = [c for _, c in (self.props or {}).values()] + [self.items, self.additional]
        for child in children:
            if child is not None:
                yield from child.all_skipped()


def rules_of(schema: Schema) -> Iterator[dict[str, Any]]:
    """Every ``x-kubernetes-validations`` entry of a schema, in the positions compile_tree
    visits (properties, items, additionalProperties)."""
    yield from schema.get("x-kubernetes-validations") or []
    for sub in (schema.get("properties") or {}).values():
        yield from rules_of(sub)
    for key in ("items", "additionalProperties"):
        if isinstance(schema.get(key), dict):
            yield from rules_of(schema[key])


def count_rules(schema: Schema) -> int:
    return sum(1 for _ in rules_of(schema))


@functools.cache
def _compile_rule(text: str) -> Any:
    _, env = _backend()
    return env.compile(text)


def compile_tree(schema: Schema) -> Node:
    node = Node()
    for spec in schema.get("x-kubernetes-validations") or []:
        text = spec["rule"]
        if _OLD_SELF.search(text):
            node.skipped.append(Skipped(text, TRANSITION_RULE))
            continue
        message = spec.get("message") or f"failed rule: {text}"
        node.rules.append(Rule(_compile_rule(text), text, message, spec.get("fieldPath", "")))
    if "properties" in schema:
        node.props = {}
        for name, sub in schema["properties"].items():
            cel_name = escape(name)
            if cel_name is not None:
                node.props[name] = (cel_name, compile_tree(sub))
    if isinstance(schema.get("items"), dict):
        node.items = compile_tree(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        node.additional = compile_tree(schema["additionalProperties"])
    children = [c for _, c in (node.props or {}).values()] + [node.items, node.additional]
    node.active = bool(node.rules) or any(c is not None and c.active for c in children)
    return node


def to_cel(value: Any, node: Node) -> Any:
    """The value as CEL sees it: escaped property names, unknown fields pruned, numbers as
    the apiserver's JSON decoder leaves them."""
    if isinstance(value, dict):
        if node.props is not None:
            return {
                node.props[k][0]: to_cel(v, node.props[k][1])
                for k, v in value.items()
                if k in node.props
            }
        if node.additional is not None:
            return {k: to_cel(v, node.additional) for k, v in value.items()}
    elif isinstance(value, list) and node.items is not None:
        return [to_cel(v, node.items) for v in value]
    return _json_numbers(value)


_INT64 = (-(2**63), 2**63 - 1)


def _json_numbers(value: Any) -> Any:
    """Integers beyond int64 become float64 in the apiserver (CEL would refuse them as int)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        if _INT64[0] <= value <= _INT64[1]:
            return value
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, dict):
        return {k: _json_numbers(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_numbers(v) for v in value]
    return value


def evaluate(root: Node, obj: dict[str, Any]) -> list[FieldError]:
    """Errors of every CEL rule of the (pruned, defaulted, schema-valid) object."""
    if not root.active:
        return []
    return list(_walk(to_cel(obj, root), root, ""))


def _walk(value: Any, node: Node, path: str) -> Iterator[FieldError]:
    for rule in node.rules:
        problem = _run(rule, value)
        if problem is not None:
            where = path + rule.field_path if rule.field_path else path
            yield FieldError(where, problem)
    if isinstance(value, dict):
        if node.props is not None:
            for name, (cel_name, child) in node.props.items():
                if child.active and cel_name in value:
                    yield from _walk(value[cel_name], child, _join(path, name))
        elif node.additional is not None and node.additional.active:
            for key, item in value.items():
                yield from _walk(item, node.additional, f"{path}[{key}]")
    elif isinstance(value, list) and node.items is not None and node.items.active:
        for index, item in enumerate(value):
            yield from _walk(item, node.items, f"{path}[{index}]")


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _run(rule: Rule, value: Any) -> str | None:
    cel, _ = _backend()
    try:
        result = rule.program.eval(data={"self": value})
    except Exception as exc:  # noqa: BLE001 - the binding raises many types for values it cannot convert
        return f"{rule.message} (rule could not be evaluated: {exc})"
    if result.type() == cel.Type.BOOL:
        return None if result.value() is True else rule.message
    if result.type() == cel.Type.ERROR:
        return f"{rule.message} (rule could not be evaluated: {result.value()})"
    return f"{rule.message} (rule returned {result.type().name()}, not bool)"
