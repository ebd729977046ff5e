"""Traefik v3 semantics: the Kubernetes Ingress provider, IngressRoute and Middlewares.

Every rule names where it comes from in traefik/traefik (v3.x, ``pkg/``):
- Ingress provider (``provider/kubernetes/ingress/kubernetes.go``): one router per rule
  path, rule ``Host("h") && <matcher>("p")`` (``loadRouter``); the matcher is PathPrefix,
  ``Path`` for pathType Exact, and ``router.pathmatcher`` (Path, PathPrefix, PathRegexp) for
  ImplementationSpecific/unset only; an empty path adds no path matcher; a rule-less
  Ingress with ``defaultBackend`` is ``PathPrefix("/")`` at priority MinInt32 on any host,
  the first one only ("The default backend already exists"). ``strictPrefixMatching`` is
  off by default (``buildRule``): PathPrefix is a *string* prefix.
- router annotations (``annotations.go``): ``router.entrypoints``, ``router.tls``,
  ``router.priority``, ``router.middlewares`` (``<ns>-<name>@kubernetescrd``).
- entry points (Traefik Helm chart defaults, which gwshift assumes as well): ``web`` is
  plain HTTP on 80, ``websecure`` TLS on 443; a router without entry points is on all of
  them; a TLS router (``router.tls``, IngressRoute ``tls``) only answers TLS requests; no
  HTTP→HTTPS redirect unless a middleware says so.
- matching (``muxer/http/mux.go``, ``matcher.go``): routers sorted by priority, highest
  first, the priority defaulting to ``len(rule)`` (``GetRulePriority``); the first match
  serves, else 404. ``Host`` is case-insensitive, ``*.`` stands for exactly one label
  (``muxer.DomainMatchHostExpression``); ``Path`` exact, ``PathPrefix``
  ``strings.HasPrefix``, ``PathRegexp`` Go ``MatchString`` (a search, not anchored);
  ``Header`` one of the values; ``Query`` a parameter value; ``&&`` binds tighter than
  ``||``; ``!`` negates.
- middlewares (``middlewares/*``): ``redirectScheme`` (no redirect when the URL does not
  change; permanent 301, else 302, for GET; port dropped for the scheme's default),
  ``stripPrefix`` (first matching prefix, ``strings.HasPrefix``, leading ``/`` kept,
  X-Forwarded-Prefix), ``addPrefix``, ``replacePath``, ``headers.customRequestHeaders``
  (``Host`` changes the upstream Host), ``ipAllowList``/``ipWhiteList`` (403 outside
  ``sourceRange``), ``basicAuth``/``digestAuth``/``forwardAuth`` (401 without
  credentials), ``chain``; compress, retry, buffering, rateLimit ... change no routing.
- weighted services (IngressRoute ``services``): weighted round robin, weight default 1.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from gwshift.verify import objects as o
from gwshift.verify.router import HOSTLESS, SourceRoute, SourceWorld, path_seed
from gwshift.verify.types import Ref, Request, Verdict, backend, redirect, status, unknown

PREFIX = "traefik.ingress.kubernetes.io/"
GROUPS = ("traefik.io", "traefik.containo.us")
ENTRYPOINTS = {"web": "http", "websecure": "https"}
MIN_PRIORITY = -(2**31)
SERVER_ADDRESS = "<server address>"  # passHostHeader false: the pod's IP:port as Host
DEFAULT_CERT = "Traefik answers HTTPS for this host with its default certificate"
# Middlewares that do not decide where a request goes nor whether it is denied.
NEUTRAL = frozenset({"compress", "buffering", "retry", "rateLimit", "inFlightReq",
                     "circuitBreaker", "contentType", "grpcWeb", "passTLSClientCert",
                     "encodedCharacters"})
AUTH = frozenset({"basicAuth", "digestAuth", "forwardAuth"})


# -- rule expressions ----------------------------------------------------------------------

class RuleError(ValueError):
    pass


_TOKEN = re.compile(r"\s*(?:(&&|\|\||[!(),])|`([^`]*)`|\"((?:[^\"\\]|\\.)*)\"|([A-Za-z]+))")


@dataclass
class Call:
    name: str
    args: tuple[str, ...]


@dataclass
class Node:
    op: str  # "and" | "or" | "not" | "call"
    kids: tuple[Node, ...] = ()
    call: Call | None = None


def tokens(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None or m.end() == pos:
            raise RuleError(f"unexpected {text[pos:pos + 10]!r}")
        pos = m.end()
        if m.group(1):
            out.append(("op", m.group(1)))
        elif m.group(2) is not None:
            out.append(("str", m.group(2)))
        elif m.group(3) is not None:
            out.append(("str", json.loads(f'"{m.group(3)}"')))
        else:
            out.append(("name", m.group(4)))
    return out


def parse_rule(text: str) -> Node:
    """A Traefik v3 rule: ``||`` of ``&&`` of (``!``) terms; terms are calls or groups."""
    toks = tokens(text)
    pos = 0

    def peek() -> tuple[str, str] | None:
        return toks[pos] if pos < len(toks) else None

    def take(kind: str, value: str | None = None) -> str:
        nonlocal pos
        t = peek()
        if t is None or t[0] != kind or (value is not None and t[1] != value):
            raise RuleError(f"expected {value or kind} at token {pos}")
        pos += 1
        return t[1]

    def disj() -> Node:
        kids = [conj()]
        while peek() == ("op", "||"):
            take("op", "||")
            kids.append(conj())
        return kids[0] if len(kids) == 1 else Node("or", tuple(kids))

    def conj() -> Node:
        kids = [term()]
        while peek() == ("op", "&&"):
            take("op", "&&")
            kids.append(term())
        return kids[0] if len(kids) == 1 else Node("and", tuple(kids))

    def term() -> Node:
        t = peek()
        if t == ("op", "!"):
            take("op", "!")
            return Node("not", (term(),))
        if t == ("op", "("):
            take("op", "(")
            n = disj()
            take("op", ")")
            return n
        name = take("name")
        take("op", "(")
        args: list[str] = []
        if peek() != ("op", ")"):
            args.append(take("str"))
            while peek() == ("op", ","):
                take("op", ",")
                args.append(take("str"))
        take("op", ")")
        return Node("call", call=Call(name, tuple(args)))

    if not toks:
        raise RuleError("empty rule")
    node = disj()
    if pos != len(toks):
        raise RuleError(f"trailing tokens after token {pos}")
    return node


def _go_search(pattern: str) -> re.Pattern[str] | None:
    return o.safe_regex(pattern)


def host_matches(expr: str, host: str) -> bool:
    """``muxer.DomainMatchHostExpression``: ``*.x`` replaces the first label only."""
    expr = expr.lower()
    if expr.startswith("*"):
        labels = host.split(".")
        labels[0] = "*"
        return ".".join(labels) == expr
    return host == expr


def _call(c: Call, req: Request) -> bool | str:
    n, a = c.name, c.args
    if n == "Host":
        return a[0] == "*" or host_matches(a[0], req.host)
    if n == "Path":
        return req.path == a[0]
    if n == "PathPrefix":
        return req.path.startswith(a[0])
    if n == "Method":
        return req.method == a[0].upper()
    if n == "Header":
        return req.header(a[0]) == a[1]
    if n == "Query":
        params = parse_qsl(req.query, keep_blank_values=True)
        if len(a) == 1:
            return any(k == a[0] for k, _ in params)
        return (a[0], a[1]) in params
    if n == "ClientIP":
        return o.in_cidrs(req.client, [a[0]])
    if n in ("PathRegexp", "HostRegexp", "HeaderRegexp", "QueryRegexp"):
        rx = _go_search(a[-1])
        if rx is None:
            return f"Go regexp {a[-1]!r} is not modelled"
        value: str | None
        if n == "PathRegexp":
            value = req.path
        elif n == "HostRegexp":
            value = req.host
        elif n == "HeaderRegexp":
            value = req.header(a[0])
        else:
            value = dict(parse_qsl(req.query, keep_blank_values=True)).get(a[0])
        return value is not None and rx.search(value) is not None
    return f"rule matcher {n} is not modelled"


def evaluate_rule(node: Node, req: Request) -> bool | str:
    if node.op == "call":
        assert node.call is not None
        return _call(node.call, req)
    if node.op == "not":
        r = evaluate_rule(node.kids[0], req)
        return r if isinstance(r, str) else not r
    want = node.op == "or"
    for kid in node.kids:
        r = evaluate_rule(kid, req)
        if isinstance(r, str):
            return r
        if r == want:
            return want
    return not want


def calls(node: Node) -> list[Call]:
    if node.op == "call":
        return [node.call] if node.call else []
    return [c for k in node.kids for c in calls(k)]


# -- middlewares ---------------------------------------------------------------------------

@dataclass
class Middleware:
    ref: Ref
    kind: str
    body: o.Obj


@dataclass
class Effects:
    """A request after the middlewares: redirected / denied, or its upstream path and headers."""

    path: str
    headers: dict[str, str] = field(default_factory=dict)
    verdict: Verdict | None = None


def _is_traefik(obj: o.Obj) -> bool:
    return o.group(obj) in GROUPS


def _apply(mw: Middleware, req: Request, fx: Effects, lookup: Callable[[str, str], Middleware | None],
           by: tuple[Ref, ...], depth: int = 0) -> str | None:
    """Apply one middleware to ``fx``; a string: why the request cannot be modelled."""
    k, b = mw.kind, mw.body
    if k == "redirectScheme":
        scheme = str(b.get("scheme") or "")
        if scheme not in ("http", "https"):
            return f"redirectScheme to {scheme!r} is not modelled"
        port = str(b.get("port") or "")
        if (scheme, port) in (("http", "80"), ("https", "443")):
            port = ""
        new = f"{scheme}://{req.host}{':' + port if port else ''}{req.uri}"
        old = f"{req.scheme}://{req.host}{req.uri}"
        if new != old:
            code = 301 if b.get("permanent") is True else 302
            if b.get("forcePermanentRedirect") is True:
                code = 308
            fx.verdict = redirect(code, new, by)
        return None
    if k == "stripPrefix":
        for p in o.strs(b.get("prefixes")):
            if fx.path.startswith(p):
                rest = fx.path[len(p):]
                fx.path = rest if rest.startswith("/") else "/" + rest
                fx.headers["x-forwarded-prefix"] = p
                break
        return None
    if k == "addPrefix":
        fx.path = str(b.get("prefix") or "") + fx.path
        if not fx.path.startswith("/"):
            fx.path = "/" + fx.path
        return None
    if k == "replacePath":
        fx.path = str(b.get("path") or "")
        return None
    if k == "headers":
        for name, value in o.sub(b, "customRequestHeaders").items():
            if str(name).lower() == "host" and value:
                fx.headers["host"] = str(value)
        return None
    if k in ("ipAllowList", "ipWhiteList"):
        if o.sub(b, "ipStrategy"):
            return "ipAllowList ipStrategy (client IP from X-Forwarded-For) is not modelled"
        if not o.in_cidrs(req.client, o.strs(b.get("sourceRange"))):
            reject = b.get("rejectStatusCode")
            fx.verdict = status(reject if isinstance(reject, int) and reject else 403,
                                "ipAllowList", by)
        return None
    if k in AUTH:
        fx.verdict = status(401, k, by)
        return None
    if k == "chain":
        if depth > 8:
            return "chain nests too deep"
        for item in o.dicts(b.get("middlewares")):
            member = lookup(str(item.get("name") or ""), str(item.get("namespace") or mw.ref.namespace))
            if member is None:
                return f"chain member {item.get('name')} is not in BEFORE"
            why = _apply(member, req, fx, lookup, by, depth + 1)
            if why or fx.verdict:
                return why
        return None
    if k in NEUTRAL:
        return None
    return f"Middleware {mw.ref.name} ({k}) is not modelled"


# -- the world -----------------------------------------------------------------------------

@dataclass
class Router:
    ref: Ref
    rule: str
    priority: int
    schemes: frozenset[str]
    middlewares: list[Middleware | str]  # str: unresolved (why)
    backends: dict[str, float]  # "ns/svc:port" -> weight
    pos: int = 0
    host_header: str = ""  # upstream Host when not the request's (passHostHeader false)


class Builder:
    def __init__(self, objs: list[o.Obj], default_ns: str) -> None:
        self.default_ns = default_ns
        self.mws: dict[tuple[str, str], Middleware] = {}
        self.ports: dict[tuple[str, str, str], int] = {}
        # Services annotated service.passhostheader "false": Traefik sends the server's
        # address as Host (``provider/kubernetes/ingress``, ServiceIng.PassHostHeader)
        self.no_pass_host: set[tuple[str, str]] = set()
        for obj in objs:
            k = o.kind(obj)
            if k == "Middleware" and _is_traefik(obj):
                ns = o.namespace(obj, default_ns)
                sp = o.spec(obj)
                kinds = [x for x, v in sp.items() if v is not None]
                body = sp.get(kinds[0]) if len(kinds) == 1 else None
                self.mws[(ns, o.name(obj))] = Middleware(
                    Ref("Middleware", ns, o.name(obj)), kinds[0] if len(kinds) == 1 else "?",
                    body if isinstance(body, dict) else {})
            elif k == "Service":
                ns = o.namespace(obj, default_ns)
                pass_host = o.annotations_of(obj).get(PREFIX + "service.passhostheader", "")
                if pass_host.strip().lower() == "false":
                    self.no_pass_host.add((ns, o.name(obj)))
                for p in o.dicts(o.spec(obj).get("ports")):
                    if isinstance(p.get("name"), str) and isinstance(p.get("port"), int):
                        self.ports[(ns, o.name(obj), p["name"])] = p["port"]

    def lookup(self, name: str, ns: str) -> Middleware | None:
        base, _, provider = name.partition("@")
        if provider and provider != "kubernetescrd":
            return None
        return self.mws.get((ns, base))

    def annotation_ref(self, text: str) -> Middleware | str:
        """``<namespace>-<name>@kubernetescrd``: the CRD provider's qualified name."""
        base, _, provider = text.strip().partition("@")
        if provider != "kubernetescrd":
            return f"middleware {text.strip()!r} of provider {provider or '(none)'} is not modelled"
        for (ns, name), mw in self.mws.items():
            if f"{ns}-{name}" == base:
                return mw
        return f"Middleware {text.strip()!r} is not in BEFORE"


def _schemes(entrypoints: list[str], tls: bool) -> frozenset[str]:
    eps = [ENTRYPOINTS[e] for e in entrypoints if e in ENTRYPOINTS]
    if not entrypoints:
        eps = ["http", "https"]
    if tls:  # a TLS router answers TLS requests only, whatever the entry point
        return frozenset({"https"}) if eps or not entrypoints else frozenset()
    return frozenset(eps)


def _bool(v: str | None) -> bool:
    return (v or "").strip().lower() == "true"


def _quote(s: str) -> str:
    """Go ``%q`` for the ASCII strings of a rule (the rule's length is its priority)."""
    return json.dumps(s)


def _service(b: object, ns: str, ports: dict[tuple[str, str, str], int]) -> str | None:
    from gwshift.verify.nginx import _service_ref

    return _service_ref(b, ns, ports)


def _seed_rule(world: SourceWorld, node: Node) -> None:
    cs = calls(node)
    hosts = [c.args[0].lower() for c in cs if c.name == "Host" and c.args]
    targets: list[str | None] = list(hosts) or [None]
    for h in targets:
        for concrete in ([f"w1{h[1:]}", f"w2.w1{h[1:]}"] if h and h.startswith("*.") else [h]):
            s = world.seed(concrete)
            s.paths.add("/")
            for c in cs:
                if c.name in ("Path", "PathPrefix") and c.args:
                    s.paths.add(path_seed(c.args[0]))
                elif c.name == "PathRegexp" and c.args:
                    from gwshift.verify.probes import literal

                    s.paths.add(literal(c.args[0].lstrip("^")))
                elif c.name == "Header" and len(c.args) == 2:
                    s.headers.add(((c.args[0].lower(), c.args[1]),))
                elif c.name == "Method" and c.args:
                    s.methods.add(c.args[0].upper())
                elif c.name == "Query" and c.args:  # v3: Query(key[, value])
                    s.queries.add(urlencode([(c.args[0], c.args[1] if len(c.args) > 1 else "")]))
                elif c.name == "ClientIP" and c.args:
                    inside = o.first_address(c.args[0])
                    if inside:
                        s.clients.add(inside)


def _handle(r: Router, lookup: Callable[[str, str], Middleware | None]) -> Callable[[Request], Verdict]:
    by = (r.ref,)

    def handle(req: Request) -> Verdict:
        fx = Effects(req.path)
        for mw in r.middlewares:
            if isinstance(mw, str):
                return unknown(mw, by)
            why = _apply(mw, req, fx, lookup, by)
            if why:
                return unknown(why, by)
            if fx.verdict is not None:
                return fx.verdict
        if not r.backends:
            return status(503, "no service", by)
        q = f"?{req.query}" if req.query else ""
        if r.host_header and "host" not in fx.headers:
            fx.headers["host"] = r.host_header
        return backend(r.backends, fx.path + q, by, fx.headers)

    return handle


def _add(world: SourceWorld, r: Router, b: Builder) -> None:
    node: Node | None = None
    why = "an empty rule or the v2 rule syntax is not modelled"
    try:
        node = parse_rule(r.rule) if r.rule else None
    except RuleError as exc:
        why = f"rule {r.rule!r} does not parse: {exc}"
    if node is not None:
        _seed_rule(world, node)
    world.routes.append(SourceRoute(r.ref, _matcher(node, why), (-r.priority, r.pos),
                                    r.schemes, _handle(r, b.lookup), describe=r.rule,
                                    rank=(-r.priority,)))


def _matcher(node: Node | None, why: str) -> Callable[[Request], bool | str]:
    def match(req: Request) -> bool | str:
        return why if node is None else evaluate_rule(node, req)

    return match


def _tls_hosts(world: SourceWorld, obj: o.Obj) -> None:
    for t in o.dicts(o.spec(obj).get("tls")):
        for h in o.strs(t.get("hosts")):
            world.https_known.add(h.lower(), True)


def build_ingresses(world: SourceWorld, ings: list[o.Obj], b: Builder) -> None:
    """The Kubernetes Ingress provider (``loadConfigurationFromIngresses``)."""
    default_done = False
    pos = 0
    for obj in sorted(ings, key=lambda x: (o.namespace(x, b.default_ns), o.name(x))):
        ns = o.namespace(obj, b.default_ns)
        ref = Ref("Ingress", ns, o.name(obj))
        ann = {k[len(PREFIX):]: v for k, v in o.annotations_of(obj).items() if k.startswith(PREFIX)}
        eps = [e.strip() for e in ann.get("router.entrypoints", "").split(",") if e.strip()]
        tls = _bool(ann.get("router.tls"))
        schemes = _schemes(eps, tls)
        if tls or ann.get("router.tls.certresolver") or eps == ["websecure"]:
            for rule in o.dicts(o.spec(obj).get("rules")):
                world.https_known.add(o.text(rule, "host") or None, True)
        _tls_hosts(world, obj)
        mws: list[Middleware | str] = [b.annotation_ref(t) for t in
                                       ann.get("router.middlewares", "").split(",") if t.strip()]
        try:
            prio = int(ann.get("router.priority", "0").strip() or 0)
        except ValueError:
            prio = 0
        matcher = ann.get("router.pathmatcher", "").strip()
        sp = o.spec(obj)
        rules = o.dicts(sp.get("rules"))
        db = sp.get("defaultBackend", sp.get("backend"))
        if not rules and isinstance(db, dict):
            if default_done:
                continue  # "The default backend already exists."
            default_done = True
            svc = _service(db, ns, b.ports)
            r = Router(ref, 'PathPrefix("/")', MIN_PRIORITY, schemes, mws,
                       {svc: 1.0} if svc else {}, pos)
            _add(world, r, b)
            pos += 1
            continue
        for rule in rules:
            host = o.text(rule, "host")
            for p in o.dicts(o.sub(rule, "http").get("paths")):
                svc = _service(p.get("backend"), ns, b.ports)
                if svc is None:
                    continue  # resource backends are skipped ("not supported")
                parts = [f"Host({_quote(host)})"] if host else []
                path = p.get("path") if isinstance(p.get("path"), str) else ""
                if path:
                    ptype = o.text(p, "pathType", "ImplementationSpecific")
                    m = "PathPrefix"
                    if ptype == "ImplementationSpecific" and matcher:
                        if matcher not in ("Path", "PathPrefix", "PathRegexp"):
                            continue  # "invalid router path matcher": the path is skipped
                        m = matcher
                    elif ptype == "Exact":
                        m = "Path"
                    parts.append(f"{m}({_quote(path)})")
                text = " && ".join(parts)
                if not text:
                    continue
                name = svc.partition("/")[2].partition(":")[0]
                host_header = SERVER_ADDRESS if (ns, name) in b.no_pass_host else ""
                _add(world, Router(ref, text, prio or len(text), schemes, mws, {svc: 1.0}, pos,
                                   host_header), b)
                pos += 1


def build_ingressroutes(world: SourceWorld, irs: list[o.Obj], b: Builder) -> None:
    """``provider/kubernetes/crd/kubernetes_http.go``: one router per ``routes[]`` entry."""
    pos = 10**6
    for obj in sorted(irs, key=lambda x: (o.namespace(x, b.default_ns), o.name(x))):
        ns = o.namespace(obj, b.default_ns)
        ref = Ref("IngressRoute", ns, o.name(obj))
        sp = o.spec(obj)
        eps = o.strs(sp.get("entryPoints"))
        tls = isinstance(sp.get("tls"), dict)
        schemes = _schemes(eps, tls)
        for route in o.dicts(sp.get("routes")):
            text = o.text(route, "match")
            if str(route.get("syntax") or "v3") != "v3":
                text = ""  # v2 syntax (Query("k=v"), Host with several args ...): not modelled
            mws: list[Middleware | str] = []
            for m in o.dicts(route.get("middlewares")):
                name = str(m.get("name") or "")
                found = b.lookup(name, str(m.get("namespace") or ns))
                mws.append(found if found else f"Middleware {name!r} is not in BEFORE")
            shares: dict[str, float] = {}
            for s in o.dicts(route.get("services")):
                if str(s.get("kind") or "Service") != "Service":
                    mws.append(f"{s.get('kind')} services are not modelled")
                    continue
                sns = str(s.get("namespace") or ns)
                port = s.get("port")
                if isinstance(port, str) and not port.isdigit():
                    port = b.ports.get((sns, str(s.get("name")), port), port)
                w = s.get("weight", 1)
                if isinstance(w, int) and w > 0:
                    key = f"{sns}/{s.get('name')}:{port}"
                    shares[key] = shares.get(key, 0) + w
            prio = route.get("priority")
            if tls:
                for c in (calls(parse_rule(text)) if _parses(text) else []):
                    if c.name == "Host" and c.args:
                        world.https_known.add(c.args[0].lower(), True)
            _add(world, Router(ref, text, prio if isinstance(prio, int) and prio else len(text),
                               schemes, mws, shares, pos), b)
            pos += 1


def _parses(text: str) -> bool:
    try:
        parse_rule(text)
    except RuleError:
        return False
    return True


def build(cls: str, objs: list[o.Obj], ingresses: list[o.Obj], default_ns: str,
          ingressroutes: list[o.Obj] = ()) -> SourceWorld:  # type: ignore[assignment]
    world = SourceWorld(cls, "traefik", https_default=DEFAULT_CERT,
                        notes_kinds=("Ingress", "IngressRoute"))
    b = Builder(objs, default_ns)
    build_ingresses(world, ingresses, b)
    build_ingressroutes(world, list(ingressroutes), b)
    world.finish()
    if not world.seeds:
        world.seed(HOSTLESS).paths.add("/")
    return world
