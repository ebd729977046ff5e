"""``gwshift verify``: does the Gateway API side route every probe like the Ingresses did?

Pure functions over YAML texts (independent of the converter's internals): ``nginx`` models
the source controller, ``gatewayapi`` the Gateway API objects, ``probes`` generates the
requests, ``compare`` classifies differences and ``explain`` maps each kind of difference
to the conversion note codes that explain it.
"""

from __future__ import annotations

from gwshift.verify.compare import Difference, Report, verify

__all__ = ["Difference", "Report", "verify"]
