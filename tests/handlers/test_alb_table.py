"""Every annotation of the reference mapping tables (implementations-and-dialects.md
§3.3-3.6) is in a dialect table, i.e. converted, approximated, an intent, or reported; and
every note code the four dialects can give has an explanation in catalog/<area>.py.

The names are vendored here (the reference lives in ../shared, absent from a clone); a
test re-reads the reference when it is there so that the vendored list stays complete.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

import pytest
from gwshift.handlers import load

PACKAGE = Path(__file__).resolve().parents[2] / "transformer" / "gwshift"
ALB = "alb.ingress.kubernetes.io/"
ALB_NAMES = (
    "scheme", "target-type", "certificate-arn", "listen-ports", "ssl-redirect", "group.name",
    "group.order", "healthcheck-path", "healthcheck-port", "healthcheck-protocol",
    "healthcheck-interval-seconds", "healthcheck-timeout-seconds", "healthy-threshold-count",
    "unhealthy-threshold-count", "success-codes", "backend-protocol", "backend-protocol-version",
    "subnets", "security-groups", "load-balancer-name", "tags", "ip-address-type",
    "actions.x", "conditions.x", "auth-type", "auth-idp-oidc", "auth-idp-cognito", "auth-scope",
    "auth-session-cookie", "auth-session-timeout", "auth-on-unauthenticated-request",
    "load-balancer-attributes", "target-group-attributes", "inbound-cidrs",
    "security-group-prefix-lists", "wafv2-acl-arn", "wafv2-acl-name", "waf-acl-id",
    "shield-advanced-protection", "ssl-policy", "mutual-authentication", "transforms.x",
    "use-regex-path-match", "jwt-validation", "create-acm-cert", "frontend-nlb-scheme",
)
GCE_KEYS = (
    "kubernetes.io/ingress.global-static-ip-name", "kubernetes.io/ingress.regional-static-ip-name",
    "ingress.gcp.kubernetes.io/pre-shared-cert", "networking.gke.io/managed-certificates",
    "kubernetes.io/ingress.allow-http", "networking.gke.io/v1beta1.FrontendConfig",
    "cloud.google.com/backend-config",
)
HAPROXY_KEYS = tuple(f"haproxy.org/{n}" for n in (
    "ssl-redirect", "ssl-redirect-code", "ssl-redirect-port", "allow-list", "whitelist",
    "deny-list", "blacklist", "path-rewrite", "set-host", "request-set-header",
    "response-set-header", "timeout-server", "timeout-connect", "timeout-client", "auth-type",
    "auth-secret", "auth-realm", "rate-limit-requests", "rate-limit-period",
    "rate-limit-status-code", "cors-enable", "cors-allow-origin", "server-ssl", "server-ca",
    "server-crt", "server-proto", "ssl-passthrough", "cookie-persistence", "load-balance",
    "backend-config-snippet", "frontend-config-snippet")) + tuple(
    f"haproxy-ingress.github.io/{n}" for n in (
        "ssl-redirect", "allowlist-source-range", "whitelist-source-range",
        "denylist-source-range", "auth-type", "auth-secret", "auth-realm", "auth-url",
        "auth-signin", "auth-headers-request", "auth-headers-succeed", "auth-headers-fail",
        "auth-method", "auth-tls-secret", "auth-tls-verify-client", "auth-tls-strict", "app-root",
        "rewrite-target", "backend-protocol", "affinity", "session-cookie-name",
        "balance-algorithm", "timeout-server", "timeout-connect", "cors-enable", "hsts",
        "hsts-max-age", "ssl-passthrough", "config-backend"))
NIC_KEYS = tuple(f"nginx.org/{n}" for n in (
    "client-max-body-size", "proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout",
    "rewrites", "ssl-services", "redirect-to-https", "websocket-services", "grpc-services",
    "proxy-buffering", "proxy-buffers", "proxy-buffer-size", "proxy-set-headers",
    "proxy-hide-headers", "server-snippets", "location-snippets", "lb-method", "hsts",
    "hsts-max-age", "hsts-include-subdomains", "basic-auth-secret", "basic-auth-realm",
    "mergeable-ingress-type", "listen-ports", "listen-ports-ssl", "path-regex", "ssl-ciphers",
    "ssl-protocols", "limit-req-rate", "limit-req-burst")) + (
    "ingress.kubernetes.io/ssl-redirect", "nginx.com/sticky-cookie-services", "nginx.com/jwt-key",
    "nginx.com/jwt-realm", "nginx.com/jwt-token", "nginx.com/jwt-login-url")


def test_alb_reference_annotations_are_in_the_table() -> None:
    from gwshift.handlers.alb import _name_of

    table = load("alb").table
    missing = [n for n in ALB_NAMES if _name_of(ALB + n) not in table]
    assert not missing


@pytest.mark.parametrize(("dialect", "keys"), [
    ("gce", GCE_KEYS), ("haproxy", HAPROXY_KEYS), ("nginx-inc", NIC_KEYS)])
def test_reference_annotations_are_in_the_table(dialect: str, keys: tuple[str, ...]) -> None:
    table = load(dialect).table
    assert not [k for k in keys if k not in table]


def test_vendored_alb_list_matches_the_reference(shared: Path) -> None:
    text = (shared / "reference" / "implementations-and-dialects.md").read_text()
    section = text.split("### 3.3 AWS ALB", 1)[1].split("### 3.4", 1)[0]
    names = set()
    for cell in re.findall(r"^\| [^|]+ \| ([^|]+) \|", section, re.MULTILINE):
        for name in re.findall(r"`([a-z][a-z0-9.\-]*)[`/ ]", cell):
            names.add(name.rstrip("."))
    from gwshift.handlers.alb import _name_of

    table = load("alb").table
    # Cell words that are no annotation: a shortened "healthy-/unhealthy-threshold-count",
    # and the transform types inside transforms.<name>.
    words = {"healthy-", "url-rewrite", "host-header-rewrite"}
    missing = sorted(n for n in names - words if _name_of(ALB + n) not in table
                     and _name_of(ALB + n + "x") not in table)
    assert not missing


def _codes(module_dir: str, dialect: str) -> set[str]:
    code = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*\Z")
    found = set()
    for path in sorted((PACKAGE / "handlers" / module_dir).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and code.match(node.value) and not node.value.startswith("ingress/"):
                found.add(node.value)
    found |= {c for h in load(dialect).table.values() for c in h.codes}
    return found


@pytest.mark.parametrize(("module_dir", "dialect", "area"), [
    ("alb", "alb", "alb"), ("gce", "gce", "gce"), ("nginx_inc", "nginx-inc", "nginx_inc"),
    ("haproxy", "haproxy", "haproxy")])
def test_every_code_has_an_explanation(module_dir: str, dialect: str, area: str) -> None:
    entries = importlib.import_module(f"gwshift.catalog.{area}").ENTRIES
    codes = _codes(module_dir, dialect)
    if area == "alb":  # the shared helpers in handlers/alb/_kit.py serve the others too
        codes = {c for c in codes if c.startswith("alb/")}
    assert sorted(c for c in codes if c.split("/")[0] == dialect and c not in entries) == []
    for entry in entries.values():
        assert set(entry) == {"meaning", "why", "fix"} and all(entry.values())


def test_supported_derives_from_dispositions() -> None:
    from gwshift.handlers._table import supported

    for name in ("alb", "gce", "nginx-inc", "haproxy"):
        table = load(name).table
        assert set(supported(dict(table))) == {k for k, h in table.items()
                                               if h.disposition != "reported"
                                               and h.disposition != "blocked"}
