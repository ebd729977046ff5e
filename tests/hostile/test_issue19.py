"""Issue 19: every hostile-input class, each run through the real CLI in a subprocess under an
address-space cap (RLIMIT_AS, 1 GiB) and a timeout, so a regression fails instead of eating
the machine. docs/hostile-input.md lists the same classes with these test ids.

Cases whose fix lies in files the hardening work does not own are ``xfail(strict=True)`` with
the file named: the day the fix lands they pass, strict xfail turns that into a failure, and
the marker must go (the report handed to the lead has the exact change for each).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from tests.hostile.helpers import CONFIGMAP, INGRESS, Run, cli, ingress, stream

LIMIT_AS = 1024 * 1024 * 1024
TIMEOUT = 60


class Case(NamedTuple):
    name: str
    data: bytes
    check: Callable[[Run, bytes], None]
    args: tuple[str, ...] = ()
    needs: str = ""  # non-empty: the file that must change (xfail until it does)
    env: tuple[tuple[str, str], ...] = ()


def _kept_and_blocked(r: Run, data: bytes) -> None:
    """Fail closed: exit 1, the Ingress kept byte for byte, one line per note."""
    assert r.rc == 1, (r.rc, r.stderr[-400:])
    assert data.decode() in r.stdout.decode() or r.stdout == data
    assert "Traceback" not in r.stderr


def _refused(word: str) -> Callable[[Run, bytes], None]:
    def check(r: Run, data: bytes) -> None:
        assert r.rc == 1, (r.rc, r.stderr[-400:])
        assert word in r.stderr and "Traceback" not in r.stderr
        assert r.stdout == data  # nothing expanded, nothing lost
    return check


def _converted(r: Run, data: bytes) -> None:
    assert r.rc == 0, (r.rc, r.stderr[-400:])
    kinds = [d.get("kind") for d in yaml.safe_load_all(r.stdout) if isinstance(d, dict)]
    assert "HTTPRoute" in kinds and "Ingress" not in kinds, kinds


def _unchanged(r: Run, data: bytes) -> None:
    assert r.rc == 0, (r.rc, r.stderr[-400:])
    assert r.stdout == data


def _one_line_error(codes: tuple[int, ...]) -> Callable[[Run, bytes], None]:
    def check(r: Run, data: bytes) -> None:
        assert r.rc in codes and len(r.stderr.strip().splitlines()) == 1, (r.rc, r.stderr[-400:])
        assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    return check


def _alias_bomb(levels: int = 9, indent: str = "    ") -> str:
    lines = [f'{indent}l0: &l0 "' + "lol" * 20 + '"']
    for i in range(1, levels + 1):
        lines.append(f"{indent}l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "]")
    return "".join(ln + "\n" for ln in lines)


def _with_annotation(key: str, value: str, cls: str = "nginx") -> bytes:
    text = ingress(**{"  namespace: shop\n": f"  namespace: shop\n  annotations:\n    {key}: '{value}'\n",
                      "ingressClassName: nginx": f"ingressClassName: {cls}"})
    return text.encode()


def _resource_list(items: str, fc: str = "") -> str:
    return ("apiVersion: config.kubernetes.io/v1\nkind: ResourceList\n" + fc + "items:\n"
            + items)


def _indent(text: str, first: str = "- ", rest: str = "  ") -> str:
    lines = text.splitlines(keepends=True)
    return first + lines[0] + "".join(rest + ln for ln in lines[1:])


_SCALAR_BOMB = INGRESS.replace(
    "  namespace: shop\n",
    "  namespace: shop\n  labels:\n    a: &a " + "v" * 60 + "\n"
    + "".join(f"    l{i}: *a\n" for i in range(2000)), 1)
_LABELS_BOMB = INGRESS.replace("  namespace: shop\n",
                               "  namespace: shop\n  labels:\n" + _alias_bomb(), 1)
_LIST_BOMB = ("apiVersion: v1\nkind: List\nitems:\n" + _indent(INGRESS.replace(
    "spec:\n", "spec:\n  x:\n" + _alias_bomb(indent="    "), 1)))
_CLASS_BOMB = ("apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n"
               "  labels:\n" + _alias_bomb() + "spec:\n  controller: k8s.io/ingress-nginx\n")
_CM_BOMB = CONFIGMAP.replace("  plain: value\n", "  plain: value\n  x: &x y\n  z: *x\n")
_HEADERS = ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n"
                      "    nginx.ingress.kubernetes.io/custom-headers: shop/settings\n"})
# Flow-style items and a comment: not the splice shape, so the ruamel round-trip path loads
# the whole list (the splice path never parses untouched items, so a bomb there is harmless).
_RL_COMMENTED_BOMB = (
    "apiVersion: config.kubernetes.io/v1\nkind: ResourceList\nitems: [\n"
    "{apiVersion: v1, kind: ConfigMap, metadata: {name: a}, data: {l0: &l0 [lol, lol, lol],\n"
    + "".join(f" l{i}: &l{i} [" + ",".join([f"*l{i - 1}"] * 9) + "],\n" for i in range(1, 10))
    + " end: x}},  # a comment\n"
    "{apiVersion: networking.k8s.io/v1, kind: Ingress, metadata: {name: w, namespace: s},\n"
    " spec: {rules: [{host: a.example.com, http: {paths: [{path: /, pathType: Prefix,\n"
    " backend: {service: {name: w, port: {number: 80}}}}]}}]}}]\n")
_RL_FC_BOMB = _resource_list(_indent(INGRESS), fc="functionConfig:\n  apiVersion: v1\n"
                             "  kind: ConfigMap\n  metadata:\n    name: fc\n  data:\n"
                             + _alias_bomb(indent="    "))
_NETPOL = ("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: np\n"
           "  namespace: shop\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n"
           "  ingress: [{}]\n  x-doc: |\n    kind: Ingress\n")
_CANARY_ONLY = ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n"
                          "    nginx.ingress.kubernetes.io/canary: 'true'\n"
                          "    nginx.ingress.kubernetes.io/canary-weight: '10'\n"})
_BIG = "".join(ingress(**{"name: web\n": f"name: web{i}\n", "a.example.com": f"h{i}.example.com"})
               .replace("apiVersion", "---\napiVersion", 1) for i in range(1500))
_SAME_NAME = "".join(("---\n" + INGRESS.replace("a.example.com", f"h{i}.example.com"))
                     for i in range(400))
_REDIRECTS = ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n"
                        "    nginx.ingress.kubernetes.io/from-to-www-redirect: 'true'\n",
                        "  rules:\n": "  tls:\n  - hosts: [" + ",".join(
                            f"h{i}.example.com" for i in range(300)) + "]\n    secretName: s\n"
                        "  rules:\n" + "".join(
                            f"  - host: h{i}.example.com\n    http:\n      paths:\n"
                            "      - path: /\n        pathType: Prefix\n        backend:\n"
                            "          service:\n            name: web\n            port:\n"
                            "              number: 80\n" for i in range(300))})
_KEY_NL = ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n"
                     '    "nginx.ingress.kubernetes.io/x\\nerror fake/code: forged": "1"\n'})

CASES = [
    # --- aliases -------------------------------------------------------------------------------
    Case("alias-bomb-labels", _LABELS_BOMB.encode(), _refused("alias")),
    Case("alias-scalar-labels", _SCALAR_BOMB.encode(), _refused("alias")),
    Case("alias-list-items", _LIST_BOMB.encode(), _refused("alias")),
    Case("alias-ingressclass", stream(_CLASS_BOMB, INGRESS).encode(),
         lambda r, d: (_refused("alias")(r, d) if r.rc == 1 else _converted(r, d))),
    Case("alias-configmap-custom-headers", stream(_CM_BOMB, _HEADERS).encode(),
         _kept_and_blocked),
    # Refused before ruamel sees it, and the list is written back unchanged with one error
    # result (krm/roundtrip.py): nothing lost, kpt shows the result.
    Case("alias-krm-roundtrip", _RL_COMMENTED_BOMB.encode(),
         lambda r, d: (_one_line_error((1,))(r, d), None)[1] if r.stdout.startswith(d)
         and b"results:\n" in r.stdout[len(d):] and b"yaml/invalid" in r.stdout[len(d):]
         else pytest.fail((r.stdout[-300:], r.stderr))),
    Case("alias-krm-functionconfig", _RL_FC_BOMB.encode(), _one_line_error((1,))),
    # --- quadratic work ---------------------------------------------------------------------------
    Case("linear-size-value", _with_annotation(
        "nginx.ingress.kubernetes.io/proxy-body-size", "1" + " " * 200_000 + "x"),
        lambda r, d: None if r.rc in (0, 1) and "Traceback" not in r.stderr else pytest.fail(
            r.stderr[-300:])),
    Case("linear-1500-ingresses", _BIG.encode(), _converted),
    Case("linear-same-name-collisions", _SAME_NAME.encode(),
         lambda r, d: None if r.rc in (0, 1) else pytest.fail(r.stderr[-300:])),
    Case("linear-per-host-redirects", _REDIRECTS.encode(),
         lambda r, d: None if r.rc in (0, 1) else pytest.fail(r.stderr[-300:])),
    # --- integers ---------------------------------------------------------------------------------
    Case("int-superscript-port", ingress(**{"number: 80": "number: '²'"}).encode(),
         _kept_and_blocked),
    Case("int-arabic-indic-weight", _with_annotation("nginx.ingress.kubernetes.io/canary-weight",
                                                     "٨٠"),
         lambda r, d: None if "Traceback" not in r.stderr and r.rc in (0, 1)
         else pytest.fail(r.stderr)),
    Case("int-v1beta1-serviceport-arabic-indic", (
        "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\n"
        "  namespace: shop\nspec:\n  rules:\n  - host: a.example.com\n    http:\n      paths:\n"
        "      - path: /\n        backend:\n          serviceName: web\n"
        "          servicePort: '٨٠'\n").encode(), _kept_and_blocked),
    # --- security controls under other controllers' prefixes ---------------------------------------
    *[Case(f"security-{key.split('/')[0]}-{key.split('/')[1]}", _with_annotation(key, value, cls),
           _kept_and_blocked, needs=needs) for key, value, cls, needs in [
        ("haproxy.org/allow-list", "10.0.0.0/8", "haproxy", ""),
        ("haproxy.org/deny-list", "10.0.0.0/8", "haproxy", ""),
        ("konghq.com/plugins", "key-auth", "kong", ""),
        ("alb.ingress.kubernetes.io/security-groups", "sg-1", "alb", ""),
        ("alb.ingress.kubernetes.io/wafv2-acl-arn", "arn:aws:wafv2:x", "alb", ""),
        ("zalando.org/skipper-filter", "oauthTokeninfoAnyScope(\"x\")", "skipper",
         ""),
        # Under another controller's class it may be Cloud Armor/IAP: fail closed. (On a gce
        # Ingress GKE ignores it - it reads the Service's - and the gce dialect says so.)
        ("cloud.google.com/backend-config", '{"default": "armor"}', "nginx",
         ""),
        ("nginx.ingress.kubernetes.io/global-rate-limit", "100", "nginx", ""),
    ]],
    Case("security-empty-allowlist-means-deny",
         _with_annotation("nginx.ingress.kubernetes.io/whitelist-source-range", ""),
         _kept_and_blocked),
    Case("security-false-allowlist-means-deny",
         _with_annotation("nginx.ingress.kubernetes.io/whitelist-source-range", "false"),
         _kept_and_blocked),
    Case("security-gce-allow-http-false",
         _with_annotation("kubernetes.io/ingress.allow-http", "false", "gce"), _kept_and_blocked),
    # --- lost data ------------------------------------------------------------------------------
    Case("kind-ingress-inside-a-string", stream(_NETPOL, CONFIGMAP).encode(), _unchanged),
    # Kept byte for byte with a warning (ingress-nginx ignores a canary without a primary, so
    # keeping it changes nothing); deleting it or routing all traffic to it would not be.
    Case("canary-without-primary", _CANARY_ONLY.encode(),
         lambda r, d: None if r.rc == 0 and r.stdout == d
         and "nginx/canary-without-primary" in r.stderr else pytest.fail((r.rc, r.stderr))),
    # --- streams ------------------------------------------------------------------------------------
    Case("stream-cr-only", (CONFIGMAP + "---\n" + INGRESS).replace("\n", "\r").encode(),
         lambda r, d: (_converted(r, d), None)[1] if r.stdout.startswith(
             CONFIGMAP.replace("\n", "\r").encode()) else pytest.fail("ConfigMap changed")),
    Case("stream-u2028", (CONFIGMAP + "---\n" + INGRESS).replace("\n", "\u2028").encode(),
         _converted),
    Case("stream-end-marker", (CONFIGMAP + "...\n" + INGRESS).encode(),
         lambda r, d: None if r.rc == 0 and b"kind: HTTPRoute" in r.stdout
         and b"kind: Ingress\n" not in r.stdout else pytest.fail(r.stderr[-300:])),
    Case("stream-unreadable-list", b"apiVersion: v1\nkind: List\nitems:\n- kind: Ingress\n  x: [\n",
         lambda r, d: None if r.rc == 1 and r.stdout == d and r.stderr.strip() else pytest.fail(
             (r.rc, r.stderr))),
    Case("stream-dev-zero-like", b"\0" * (3 << 20), _one_line_error((1, 2)),
         env=(("GWSHIFT_MAX_INPUT_MB", "2"),)),
    # --- note fields --------------------------------------------------------------------------------
    Case("notes-key-with-newline", _KEY_NL.encode(),
         lambda r, d: None if not any(ln.startswith("error fake/code") for ln in
                                     r.stderr.splitlines()) else pytest.fail(r.stderr)),
    # An unquoted number is an integer, which the API server refuses (before the fix the
    # objects silently went to the default namespace); a quoted "123" is a valid DNS-1123
    # label that the API server accepts, so it converts (the twin).
    Case("namespace-numeric", ingress(**{"namespace: shop": "namespace: 123"}).encode(),
         _kept_and_blocked),
    Case("namespace-numeric-string", ingress(**{"namespace: shop": "namespace: '123'"}).encode(),
         _converted),
    Case("namespace-upper-case", ingress(**{"namespace: shop": "namespace: Shop"}).encode(),
         _kept_and_blocked),
    # --- the writer -----------------------------------------------------------------------------------
    Case("writer-quotes-yaml11-and-12-scalars", ingress(**{
        "  namespace: shop\n": "  namespace: shop\n  labels:\n    a: 'yes'\n    b: 'on'\n"
        "    c: '0o17'\n    d: '1e3'\n    e: 'y'\n"}).encode(),
         lambda r, d: None if r.rc == 0 and all(
             isinstance(v, str) for doc in yaml.safe_load_all(r.stdout)
             if isinstance(doc, dict) for v in (doc["metadata"].get("labels") or {}).values())
         and not re.search(rb"\n    (a|b|c|d|e): [^']", r.stdout) else pytest.fail(
             r.stdout.decode()[-600:])),
]


# --- the dialects and targets that landed after the first suite (issue 19, round 2) ---------------
# Each hostile class again, through Traefik (IngressRoute, Middleware), Kong (TCPIngress,
# UDPIngress, KongPlugin), ALB, GCE (FrontendConfig, BackendConfig), NGINX Inc. and the targets.

def _ann(cls: str, pairs: dict[str, str]) -> str:
    """INGRESS of class ``cls`` with annotations (values single-quoted)."""
    block = "".join(f"    {k}: '{v}'\n" for k, v in pairs.items())
    return ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n" + block,
                      "ingressClassName: nginx": f"ingressClassName: {cls}"})


_IR = """apiVersion: traefik.io/v1alpha1
kind: IngressRoute
metadata:
  name: NAME
  namespace: NS
LABELS
spec:
  entryPoints: [web]
  routes:
  - match: MATCH
    kind: Rule
    services:
    - name: web
      port: PORT
      weight: WEIGHT
"""
_TCP = """apiVersion: configuration.konghq.com/v1beta1
kind: KIND
metadata:
  name: db
  namespace: NS
  annotations:
    kubernetes.io/ingress.class: kong
LABELS
spec:
  rules:
  - port: 9000
    backend:
      serviceName: redis
      servicePort: 6379
"""


def _ir(name: str = "r", ns: str = "shop", labels: str = "", match: str = "Host(`a.example.com`)",
        port: str = "80", weight: str = "1") -> str:
    quoted = "'" + match.replace("'", "''") + "'"
    return (_IR.replace("NAME", name).replace("NS", ns).replace("LABELS\n", labels)
            .replace("MATCH", quoted).replace("PORT", port).replace("WEIGHT", weight))


def _tcp(kind: str = "TCPIngress", ns: str = "data", labels: str = "") -> str:
    return _TCP.replace("KIND", kind).replace("NS", ns).replace("LABELS\n", labels)


def _labels_bomb() -> str:
    return "  labels:\n" + _alias_bomb()


_MW_BOMB = ("apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata:\n  name: mw\n"
            "  namespace: shop\nspec:\n  headers:\n    customRequestHeaders:\n"
            + _alias_bomb(indent="      "))
_KP_BOMB = ("apiVersion: configuration.konghq.com/v1\nkind: KongPlugin\nmetadata:\n  name: kp\n"
            "  namespace: shop\nplugin: rate-limiting\nconfig:\n" + _alias_bomb(indent="  "))
_FC_BOMB = ("apiVersion: networking.gke.io/v1beta1\nkind: FrontendConfig\nmetadata:\n  name: fc\n"
            "  namespace: shop\nspec:\n  sslPolicy: x\n  x:\n" + _alias_bomb(indent="    "))
_BC_BOMB = ("apiVersion: cloud.google.com/v1\nkind: BackendConfig\nmetadata:\n  name: bc\n"
            "  namespace: shop\nspec:\n  timeoutSec: 40\n  x:\n" + _alias_bomb(indent="    ")
            + "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\n"
            "  annotations:\n    cloud.google.com/backend-config: '{\"default\": \"bc\"}'\n"
            "spec:\n  ports:\n  - port: 80\n")
_DEEP_JSON = "[" * 100_000 + "]" * 100_000
_BIG_ACTION = ('{"type": "forward", "forwardConfig": {"targetGroups": ['
               + ", ".join(f'{{"serviceName": "s{i}", "servicePort": "80", "weight": 1}}'
                           for i in range(20_000)) + "]}}")
_ALB_ACTION = ingress(**{"  namespace: shop\n": "  namespace: shop\n  annotations:\n"
                         "    alb.ingress.kubernetes.io/actions.x: 'ACTION'\n",
                         "ingressClassName: nginx": "ingressClassName: alb",
                         "name: web\n            port:\n              number: 80":
                         "name: x\n            port:\n              name: use-annotation"})


def _alb_action(action: str) -> bytes:
    return _ALB_ACTION.replace("ACTION", action).encode()


def _passes_through(doc: str, rc: int) -> Callable[[Run, bytes], None]:
    """Bounded, exit ``rc`` with a note, and ``doc`` (a document gwshift only reads) leaves
    unchanged."""
    def check(r: Run, data: bytes) -> None:
        assert doc.encode() in r.stdout, r.stderr[-400:]
        assert r.rc == rc and r.stderr.strip(), (r.rc, r.stderr[-400:])
    return check


def _output_validates(channel: str) -> Callable[[Run, bytes], None]:
    """What gwshift wrote passes ``gwshift validate`` (CRD schema and CEL) without --validate:
    a value out of range is refused or reported on every run, never written."""
    def check(r: Run, data: bytes) -> None:
        import subprocess
        import sys

        proc = subprocess.run([sys.executable, "-m", "gwshift", "validate", "--channel", channel,
                               "-"], input=r.stdout, capture_output=True, timeout=TIMEOUT,
                              check=False)
        assert proc.returncode == 0, proc.stdout.decode()[-600:] + proc.stderr.decode()[-600:]
    return check

def _nested(depth: int) -> str:
    return "(" * depth + "Host(`a.example.com`)" + ")" * depth


CASES_ROUND_2 = [
    # --- aliases in every kind a dialect reads or converts -------------------------------------------
    Case("alias-ingressroute-labels", _ir(labels=_labels_bomb()).encode(), _refused("alias")),
    Case("alias-tcpingress-labels", _tcp(labels=_labels_bomb()).encode(), _refused("alias")),
    Case("alias-udpingress-labels", _tcp("UDPIngress", labels=_labels_bomb()).encode(),
         _refused("alias")),
    Case("alias-traefik-middleware", stream(_MW_BOMB, _ann("traefik", {
        "traefik.ingress.kubernetes.io/router.middlewares": "shop-mw@kubernetescrd"})).encode(),
         _kept_and_blocked),
    Case("alias-kongplugin", stream(_KP_BOMB, _ann("kong", {"konghq.com/plugins": "kp"})).encode(),
         _kept_and_blocked),
    Case("alias-gce-frontendconfig", stream(_FC_BOMB, _ann("gce", {
        "networking.gke.io/v1beta1.FrontendConfig": "fc"})).encode(),
         _passes_through(_FC_BOMB, 0)),  # a warning: its SSL policy is reported, by design
    Case("alias-gce-backendconfig", stream(_BC_BOMB, INGRESS.replace(
        "ingressClassName: nginx", "ingressClassName: gce")).encode(), _kept_and_blocked),
    # --- deep and huge JSON in ALB annotations; 1 MB Traefik match expressions ----------------------
    Case("json-deep-alb-actions", _alb_action(_DEEP_JSON), _kept_and_blocked),
    Case("json-deep-alb-conditions", _ann("alb", {
        "alb.ingress.kubernetes.io/conditions.web": _DEEP_JSON}).encode(), _kept_and_blocked),
    Case("json-deep-alb-listen-ports", _ann("alb", {
        "alb.ingress.kubernetes.io/listen-ports": _DEEP_JSON}).encode(), _kept_and_blocked),
    Case("json-huge-alb-actions", _alb_action(_BIG_ACTION), _kept_and_blocked),  # > 32 KiB
    Case("json-huge-alb-conditions", _ann("alb", {
        "alb.ingress.kubernetes.io/conditions.web": "[" + ", ".join(
            '{"field": "http-header", "httpHeaderConfig": {"httpHeaderName": "X", "values": ["a"]}}'
            for _ in range(12_000)) + "]"}).encode(), _kept_and_blocked),
    Case("traefik-match-nested-parentheses-1mb", _ir(match=_nested(250_000)).encode(),
         _kept_and_blocked),
    Case("traefik-match-nested-parentheses-deep", _ir(match=_nested(1_000)).encode(),
         _kept_and_blocked),
    Case("traefik-match-and-chain-1mb", _ir(match="Host(`a.example.com`) && " + " && ".join(
        f"PathPrefix(`/p{i}`)" for i in range(40_000))).encode(), _kept_and_blocked),
    Case("traefik-match-alternatives-explosion", _ir(match="Host(`a.example.com`) && " + " && ".join(
        f"(Header(`X-{i}`, `a`) || Header(`X-{i}`, `b`))" for i in range(24))).encode(),
         _kept_and_blocked),
    # --- streams with the new source kinds ---------------------------------------------------------
    Case("stream-cr-only-tcpingress", (CONFIGMAP + "---\n" + _tcp()).replace("\n", "\r").encode(),
         lambda r, d: None if r.rc == 0 and b"kind: TCPRoute" in r.stdout and r.stdout.startswith(
             CONFIGMAP.replace("\n", "\r").encode()) else pytest.fail((r.rc, r.stderr))),
    Case("stream-u2028-ingressroute", (CONFIGMAP + "---\n" + _ir()).replace("\n", "\u2028").encode(),
         lambda r, d: None if r.rc == 0 and b"kind: HTTPRoute" in r.stdout
         else pytest.fail((r.rc, r.stderr))),
    Case("stream-unreadable-list-of-ingressroutes", (
        "apiVersion: v1\nkind: List\nitems:\n" + _indent(_ir()) + "- x: [\n").encode(),
         lambda r, d: None if r.rc == 1 and r.stdout == d and "yaml/invalid" in r.stderr
         else pytest.fail((r.rc, r.stderr))),
    # --- security controls the new dialects own -----------------------------------------------------
    # F5 WAF under another class: fail closed like nginx.org/ keys (KNOWN_CONTROLLERS lists
    # appprotect.f5.com/ and appprotectdos.f5.com/ under NGINX Inc.).
    Case("security-appprotect-waf-other-class", _with_annotation(
        "appprotect.f5.com/app-protect-enable", "True"), _kept_and_blocked),
    Case("security-appprotectdos-other-class", _with_annotation(
        "appprotectdos.f5.com/app-protect-dos-resource", "shop/dos"), _kept_and_blocked),
    # Names, not booleans: a Policy, a JWT key Secret, a DosProtectedResource may be called
    # "false"; only app-protect-enable is a boolean.
    *[Case(f"security-nginx-inc-{key.split('/')[1]}-named-false", _ann("nginx-inc", {key: "false"})
           .encode(), _kept_and_blocked, ("--dialect", "nginx-inc"))
      for key in ("nginx.org/policies", "nginx.com/jwt-key",
                  "appprotectdos.f5.com/app-protect-dos-resource")],
    # ingress-nginx's ParseIPNets fails on the empty item of a trailing comma and then denies
    # every request; expressing "10.0.0.0/8" on a target would open what was closed.
    Case("security-allowlist-trailing-comma-on-a-target", _with_annotation(
        "nginx.ingress.kubernetes.io/whitelist-source-range", "10.0.0.0/8,"), _kept_and_blocked,
         ("--target", "envoy-gateway")),
    # --- integers in the new dialects: ASCII digits, bounded length -----------------------------------
    *[Case(f"int-{where}-{label}", data, _kept_and_blocked, args, needs=needs)
      for label, digits in (("superscript", "²"), ("5000-digits", "1" * 5000))
      for where, data, args, needs in (
          ("alb-redirect-port", _alb_action(
              '{"type": "redirect", "redirectConfig": {"protocol": "HTTPS", "port": "@N@", '
              '"statusCode": "HTTP_301"}}'.replace("@N@", digits)), (), ""),
          ("alb-forward-service-port", _alb_action(
              '{"type": "forward", "forwardConfig": {"targetGroups": [{"serviceName": "web", '
              '"servicePort": "@N@"}]}}'.replace("@N@", digits)), (), ""),
          ("alb-fixed-response-code", _alb_action(
              '{"type": "fixed-response", "fixedResponseConfig": {"statusCode": "@N@"}}'
              .replace("@N@", digits)),
           (), ""),
          ("alb-ssl-redirect", _ann("alb", {"alb.ingress.kubernetes.io/ssl-redirect": digits})
           .encode(), (), ""),
          ("traefik-redirectscheme-port", stream(
              "apiVersion: traefik.io/v1alpha1\nkind: Middleware\nmetadata:\n  name: mw\n"
              f"  namespace: shop\nspec:\n  redirectScheme:\n    scheme: https\n    port: '{digits}'\n",
              _ann("traefik", {"traefik.ingress.kubernetes.io/router.middlewares":
                               "shop-mw@kubernetescrd"})).encode(), (), ""),
          ("ingressroute-port", _ir(port=f"'{digits}'").encode(), (), ""),
      )],
    Case("int-nginx-inc-limit-req-rate-5000-digits", _ann("nginx-inc", {
        "nginx.org/limit-req-rate": "1" * 5000 + "r/s"}).encode(), _kept_and_blocked,
         ("--dialect", "nginx-inc", "--target", "envoy-gateway")),
    Case("int-alb-ssl-redirect-arabic-indic", _ann("alb", {
        "alb.ingress.kubernetes.io/ssl-redirect": "٨٠"}).encode(), _kept_and_blocked),
    Case("int-alb-healthcheck-port-superscript", _ann("alb", {
        "alb.ingress.kubernetes.io/healthcheck-port": "²"}).encode(), _kept_and_blocked,
         ("--target", "aws")),
    Case("int-ingressroute-port-arabic-indic", _ir(port="'٨٠'").encode(), _kept_and_blocked),
    Case("int-ingressroute-weight-too-large", _ir(weight="99999999999999999999").encode(),
         _kept_and_blocked),
    Case("int-ingressroute-weight-arabic-indic", _ir(weight="'٨٠'").encode(), _kept_and_blocked),
    # --- namespaces and names of the new source kinds, checked on every run ----------------------------
    *[Case(f"namespace-{kind.lower()}-{label}", data, _kept_and_blocked, needs=needs)
      for label, ns in (("numeric", "123"), ("upper-case", "Shop"))
      for kind, data, needs in (
          ("IngressRoute", _ir(ns=ns).encode(), ""),
          ("TCPIngress", _tcp(ns=ns).encode(), ""),
      )],
    Case("name-ingressroute-upper-case", _ir(name="R").encode(), _kept_and_blocked),
    Case("namespace-ingressroute-quoted-number", _ir(ns="'123'").encode(),
         lambda r, d: None if r.rc == 0 and b"kind: HTTPRoute" in r.stdout
         else pytest.fail((r.rc, r.stderr))),  # the twin: "123" is a valid DNS label
    # --- a target writing what its controller refuses ----------------------------------------------------
    Case("alb-attributes-not-key-value-on-aws", _ann("alb", {
        "alb.ingress.kubernetes.io/load-balancer-attributes": '{"a": 1}'}).encode(),
         _kept_and_blocked, ("--target", "aws")),
    # --- values validated on every run, not only with --validate: the output must validate -----------
    *[Case(f"value-{label}", _with_annotation(key, value), _output_validates(channel), args)
      for label, key, value, args, channel in (
          ("duration-hours-beyond-5-digits", "nginx.ingress.kubernetes.io/proxy-read-timeout",
           "99999999999", (), "standard"),
          ("rate-beyond-uint32-on-envoy", "nginx.ingress.kubernetes.io/limit-rps",
           "99999999999999", ("--target", "envoy-gateway"), "standard"),
          ("server-alias-empty-label", "nginx.ingress.kubernetes.io/server-alias",
           "a..example.com", (), "standard"),
      )],
    Case("value-duration-twin", _with_annotation("nginx.ingress.kubernetes.io/proxy-read-timeout",
                                                 "120"), _output_validates("standard")),
    Case("value-cors-max-age-beyond-int32", _ann("nginx", {
        "nginx.ingress.kubernetes.io/enable-cors": "true",
        "nginx.ingress.kubernetes.io/cors-max-age": "99999999999999"}).encode(),
         _output_validates("experimental"), ("--channel", "experimental")),
]
CASES += CASES_ROUND_2


def _param(case: Case) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=f"needs change in {case.needs}; handed to the lead")
             ] if case.needs else []
    return pytest.param(case, id=case.name, marks=marks)


@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_hostile_case_bounded(case: Case, tmp_path: Path) -> None:
    r = cli(case.data, *case.args, "--report", str(tmp_path / "report.json"), cwd=tmp_path,
            timeout=TIMEOUT, limit_as=LIMIT_AS, env=dict(case.env))
    assert r.rc != 3 and "Traceback" not in r.stderr, r.stderr[-600:]
    case.check(r, case.data)
    report = tmp_path / "report.json"
    if report.exists():  # the JSON report always parses
        json.loads(report.read_text())


def test_every_case_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "hostile-input.md").read_text()
    missing = [c.name for c in CASES if f"`{c.name}`" not in doc]
    assert not missing, f"add to docs/hostile-input.md: {missing}"


@pytest.mark.parametrize("how", ["closed-stdin", "closed-stdout", "full-stdout"])
def test_closed_streams_are_one_line(how: str, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    src = tmp_path / "in.yaml"
    src.write_text(INGRESS)
    cmd = [sys.executable, "-m", "gwshift"] + ([] if how == "closed-stdin" else [str(src)])
    kwargs: dict[str, object] = {}
    if how == "closed-stdin":
        kwargs["stdin"] = subprocess.DEVNULL
        cmd = ["sh", "-c", f"exec '{sys.executable}' -m gwshift <&-"]
    elif how == "closed-stdout":
        cmd = ["sh", "-c", f"exec '{sys.executable}' -m gwshift '{src}' >&-"]
    else:
        cmd = ["sh", "-c", f"exec '{sys.executable}' -m gwshift '{src}' >/dev/full"]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT, check=False,
                          env=dict(os.environ), **kwargs)  # type: ignore[call-overload]
    assert proc.returncode in (1, 2), (proc.returncode, proc.stderr)
    assert len(proc.stderr.strip().splitlines()) == 1 and "internal error" not in proc.stderr


# --- the other entry points: subcommands, help, options (issue 19, round 2) ---------------------------


class Shell(NamedTuple):
    name: str
    script: str  # sh -c script; $GW is the gwshift command, $IN an Ingress file
    codes: tuple[int, ...]  # the accepted exit codes (one clear line on stderr)
    needs: str = ""
    env: tuple[tuple[str, str], ...] = ()


SHELL_CASES = [
    Shell("validate-dev-zero", '$GW validate /dev/zero', (1,), "",
          (("GWSHIFT_MAX_INPUT_MB", "2"),)),
    Shell("validate-closed-stdin", '$GW validate <&-', (1,)),
    Shell("version-closed-stdout", '$GW --version >&-', (1,)),
    Shell("help-full-stdout", '$GW --help >/dev/full', (1,)),
    Shell("explain-full-stdout", '$GW explain yaml/invalid >/dev/full', (1,)),
    Shell("name-template-range-bomb", '$GW --name-template "{% for i in range(10**9) %}x{% endfor %}"'
          ' "$IN" >/dev/null', (2,)),
    Shell("name-template-string-bomb", '$GW --name-template "{{ \'a\' * 10**10 }}" "$IN" >/dev/null',
          (2,)),
    Shell("name-template-int-digits", '$GW --name-template "{{ 2 ** 99999 }}" "$IN" >/dev/null',
          (2,)),
    Shell("max-input-mb-not-a-number", '$GW "$IN" >/dev/null', (2,), "",
          (("GWSHIFT_MAX_INPUT_MB", "abc"),)),
    # the twins: these hold today
    Shell("main-dev-zero", '$GW /dev/zero', (1,), "", (("GWSHIFT_MAX_INPUT_MB", "2"),)),
    Shell("main-closed-stdin", '$GW <&-', (1,)),
    Shell("main-full-stdout", '$GW "$IN" >/dev/full', (1,)),
    Shell("name-template-sandbox", '$GW --name-template "{{ \'\'.__class__ }}" "$IN" >/dev/null',
          (2,)),
]


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c.name, marks=[pytest.mark.xfail(
        strict=True, reason=f"needs change in {c.needs}; handed to the lead")] if c.needs else [])
    for c in SHELL_CASES])
def test_entry_points_are_bounded_and_one_line(case: Shell, tmp_path: Path) -> None:
    import os
    import resource
    import shlex
    import subprocess
    import sys

    src = tmp_path / "in.yaml"
    src.write_text(INGRESS)
    env = {**os.environ, "GW": f"{shlex.quote(sys.executable)} -m gwshift", "IN": str(src),
           **dict(case.env)}

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT_AS, LIMIT_AS))

    proc = subprocess.run(["sh", "-c", case.script.replace("$GW", "exec $GW", 1)],
                          capture_output=True, text=True, timeout=TIMEOUT, env=env,
                          preexec_fn=cap, check=False)
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode in case.codes, (proc.returncode, proc.stderr[-400:])
    assert len(lines) == 1 and "internal error" not in proc.stderr, proc.stderr[-400:]


def test_every_entry_point_case_is_documented() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "hostile-input.md").read_text()
    missing = [c.name for c in SHELL_CASES if f"`{c.name}`" not in doc]
    assert not missing, f"add to docs/hostile-input.md: {missing}"


# --- work per Gateway group: linear, counted (no timing in tests) -------------------------------------
# One Gateway per group (a GCE Ingress, an ALB Ingress without group.name, one class each):
# emit._gateway_base recomputed every other group's name for each conversion, so n groups in a
# namespace cost n^2 name computations (1 500 GCE Ingresses, 0.5 MB: 32 s; now 2 s). The count is
# deterministic; the bound (8 per group) leaves room for the lookups a linear design makes.


@pytest.mark.parametrize("cls", ["gce", "alb", "distinct-classes"])
def test_gateway_names_are_computed_linearly(cls: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from gwshift import emit

    from tests.hostile.helpers import core

    n = 120
    calls = 0
    real = emit.group_gateway_name

    def counting(*args: object, **kwargs: object) -> str:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(emit, "group_gateway_name", counting)
    docs = [INGRESS.replace("name: web\n", f"name: w{i}\n", 1)
            .replace("a.example.com", f"h{i}.example.com")
            .replace("ingressClassName: nginx",
                     f"ingressClassName: {cls if cls != 'distinct-classes' else f'c{i}'}")
            for i in range(n)]
    out = core(stream(*docs))
    assert out.text.count("kind: HTTPRoute") == n
    assert calls <= 8 * n, f"{calls} gateway-name computations for {n} groups"


# One Ingress with n TLS hosts (ssl-redirect on, the ingress-nginx default): the redirect
# split tested list membership of ListenerKeys per host, n^2 comparisons (4 000 hosts, 1 MB:
# 12 s, 32 M ListenerKey.__eq__ calls; now sets and a per-host index).


def test_listener_membership_is_linear_in_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    from gwshift.model import ListenerKey

    from tests.hostile.helpers import core

    n = 300
    calls = 0
    real = ListenerKey.__eq__

    def counting(self: ListenerKey, other: object) -> bool:
        nonlocal calls
        calls += 1
        return real(self, other)

    monkeypatch.setattr(ListenerKey, "__eq__", counting)
    rules = "".join(f"  - host: h{i}.example.com\n    http:\n      paths:\n      - path: /\n"
                    "        pathType: Prefix\n        backend:\n          service:\n"
                    "            name: web\n            port:\n              number: 80\n"
                    for i in range(n))
    tls = "  tls:\n" + "".join(f"  - hosts: [h{i}.example.com]\n    secretName: s{i}\n"
                               for i in range(n))
    doc = ("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n"
           "  namespace: shop\nspec:\n  ingressClassName: nginx\n" + tls + "  rules:\n" + rules)
    out = core(doc)
    assert "kind: HTTPRoute" in out.text
    assert calls <= 20 * n, f"{calls} ListenerKey comparisons for {n} hosts"
