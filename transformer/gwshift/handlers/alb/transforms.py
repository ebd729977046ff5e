"""``transforms.<name>``: ALB URL / Host header rewrites (regex + replacement) on a rule."""

from __future__ import annotations

import re
from typing import Any

from gwshift.handlers._ir import merge_filter
from gwshift.handlers.alb._kit import JSONProblem, block, get_ci, load_json, prov
from gwshift.intents import RegexRewrite
from gwshift.model import Conversion, Rule

_ANY = ("^.*$", ".*", "^(.*)$", "(.*)")
_PREFIX = re.compile(r"^\^(/[A-Za-z0-9._~\-/]*?)/?\(\.\*\)\$?$")
REGEX_REWRITE = "alb/transform-regex"
WHY_REGEX = ("the rewrite uses a regular expression with captures; portable Gateway API "
             "rewrites only replace a full path or a matched prefix, so the backend would get "
             "other paths")


def apply(conv: Conversion, rule: Rule, key: str, raw: str) -> None:
    try:
        value = load_json(raw)
        if not isinstance(value, list) or not value or len(value) > 8:
            raise JSONProblem("must be a non-empty JSON list of transforms")
        for t in value:
            kind = get_ci(t, "type")
            if kind == "url-rewrite":
                regex, replace = _one(get_ci(t, "urlRewriteConfig"))
                _url(conv, rule, key, regex, replace)
            elif kind == "host-header-rewrite":
                regex, replace = _one(get_ci(t, "hostHeaderRewriteConfig"))
                if regex not in _ANY or "$" in replace or not replace:
                    block(conv, key, "alb/transform-unsupported",
                          f"{key}: a host-header rewrite that keeps parts of the host has no "
                          "Gateway API form")
                    return
                merge_filter(rule, "URLRewrite", {"hostname": replace.lower()})
            else:
                raise JSONProblem("Type must be url-rewrite or host-header-rewrite")
    except JSONProblem as exc:
        block(conv, key, "alb/invalid-transform", f"{key} {exc}")


def _one(config: Any) -> tuple[str, str]:
    rewrites = get_ci(config, "rewrites")
    if not isinstance(rewrites, list) or len(rewrites) != 1:
        raise JSONProblem("needs exactly one rewrite {Regex, Replace}")
    regex, replace = get_ci(rewrites[0], "regex"), get_ci(rewrites[0], "replace")
    if not isinstance(regex, str) or not isinstance(replace, str) or len(regex + replace) > 1024:
        raise JSONProblem("a rewrite needs string Regex and Replace values")
    return regex, replace


def _url(conv: Conversion, rule: Rule, key: str, regex: str, replace: str) -> None:
    if regex in _ANY and "$" not in replace and replace.startswith("/"):
        merge_filter(rule, "URLRewrite", {"path": {"type": "ReplaceFullPath",
                                                   "replaceFullPath": replace}})
        return
    m = _PREFIX.match(regex)
    match = rule.matches[0] if len(rule.matches) == 1 else None
    if m and replace.endswith("$1") and "$" not in replace[:-2] and match is not None \
            and match.path_type == "PathPrefix" \
            and (match.path or "/").rstrip("/") == m.group(1).rstrip("/"):
        target = replace[:-2].rstrip("/") or "/"
        merge_filter(rule, "URLRewrite", {"path": {"type": "ReplacePrefixMatch",
                                                   "replacePrefixMatch": target}})
        return
    substitution = re.sub(r"\$(\d)", r"\\\1", replace)
    rule.intents.append(RegexRewrite(regex, substitution, prov(key, REGEX_REWRITE, WHY_REGEX)))
