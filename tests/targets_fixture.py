"""A test-only target: a target is one module (a table + ``express``) plus one registry line.

It expresses client-IP allow lists (not deny lists: a refusal) and Gateway addresses as
``ToyPolicy`` objects; route and rule attachments also get an ExtensionRef filter.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from gwshift.intents import GatewayAddress, Intent, IPAccess
from gwshift.settings import Settings
from gwshift.targets import Attachment, Capability, Expressed, Target


def _refuses(intent: Any) -> str | None:
    return "ToyPolicy has no deny list" if intent.deny else None


TABLE: dict[type, Capability] = {
    IPAccess: Capability("converted", "ToyPolicy allow", _refuses),
    GatewayAddress: Capability("converted", "ToyPolicy address"),
}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    name = "-".join(p for p in (att.name, att.section, "toy") if p)
    ref: dict[str, Any] = {"kind": att.kind, "name": att.name}
    if att.section:
        ref["sectionName"] = att.section
    spec: dict[str, Any] = {"targetRef": ref}
    for intent in intents:
        if isinstance(intent, IPAccess):
            spec.setdefault("allow", []).extend(intent.allow)
        elif isinstance(intent, GatewayAddress):
            spec["address"] = intent.value
    meta: dict[str, Any] = {"name": name}
    if att.namespace:
        meta["namespace"] = att.namespace
    policy = {"apiVersion": "toy.example/v1", "kind": "ToyPolicy", "metadata": meta, "spec": spec}
    filters = [] if att.scope == "gateway" else [
        {"type": "ExtensionRef",
         "extensionRef": {"group": "toy.example", "kind": "ToyPolicy", "name": name}}]
    return Expressed([policy], filters, [])


TARGET = Target(name="toy", title="Toy (tests only)", table=TABLE, express=express,
                api_groups=("toy.example",))
