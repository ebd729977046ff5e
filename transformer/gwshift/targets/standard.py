"""The ``standard`` target: portable Gateway API only (today's behaviour).

It expresses no implementation policy: every security intent fails closed with the
dialect's own code and reason, exactly as before targets existed. Portable objects that
belong to an intent (BackendTLSPolicy) are listed here as they are ported to intents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from gwshift.targets import Attachment, Capability, Expressed, Target

if TYPE_CHECKING:
    from gwshift.intents import Intent
    from gwshift.settings import Settings

TABLE: dict[type, Capability] = {}


def express(att: Attachment, intents: Sequence[Intent], settings: Settings) -> Expressed:
    return Expressed([], [], [])


TARGET = Target(name="standard", title="portable Gateway API v1.6", table=TABLE, express=express)
