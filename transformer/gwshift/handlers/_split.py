"""One match per rule where HTTPRoute's CEL demands it (shared with the Kong dialect).

A rule whose URLRewrite uses ReplacePrefixMatch must have exactly one PathPrefix match
(HTTPRoute CEL). Method/header alternatives multiply matches, so such a rule becomes one
rule per match, each with the same filters, backends and intents (same behaviour: a
request matches one of them exactly as it matched one match of the rule).
"""

from __future__ import annotations

import copy

from gwshift.model import Conversion, Rule


def _prefix_rewrite(rule: Rule) -> bool:
    return any(f.get("type") == "URLRewrite"
               and f["urlRewrite"].get("path", {}).get("type") == "ReplacePrefixMatch"
               for f in rule.filters)


def split_prefix_rewrites(conv: Conversion) -> None:
    for route in conv.routes:
        out: list[Rule] = []
        for rule in route.rules:
            if len(rule.matches) <= 1 or not _prefix_rewrite(rule):
                out.append(rule)
                continue
            for m in rule.matches:
                new = copy.deepcopy(rule)
                new.matches = [m.copy()]
                out.append(new)
        route.rules = out
