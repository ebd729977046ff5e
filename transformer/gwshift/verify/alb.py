"""AWS Load Balancer Controller (v2/v3) semantics: Ingress groups as ALB listener rules.

Every rule names where it comes from in kubernetes-sigs/aws-load-balancer-controller
(``pkg/ingress``) and the ELBv2 listener-rule documentation:
- groups (``group_loader.go``): Ingresses with the same ``group.name`` share one ALB (one
  without a group is its own ALB); members ordered by ``group.order`` (default 0), then
  ``namespace/name`` (``sortGroupMembers``).
- listeners (``model_build_listener.go computeIngressListenPorts``): ``listen-ports`` JSON
  (``[{"HTTP": 80}, {"HTTPS": 443}]``), default HTTPS:443 when ``certificate-arn`` is set,
  else HTTP:80; an Ingress's rules go to its own listen ports only.
- rules (``model_build_listener_rules.go``): per member, per rule, paths sorted Exact, then
  Prefix by length (longest first), then ImplementationSpecific in order
  (``sortIngressPaths``); the ELB rule priority is that order: the first rule whose
  conditions all match wins (ELB evaluates rules by priority). Prefix ``/p`` is
  ``path-pattern`` ``/p`` or ``/p/*`` (``/`` is ``/*``), Exact the path,
  ImplementationSpecific the pattern as written (``*`` any characters, ``?`` one;
  case-sensitive; ``use-regex-path-match`` makes it a regex); a rule without host and
  path is ``/*``.
- ``conditions.<service>`` JSON (``host-header``, ``path-pattern``, ``http-header``,
  ``http-request-method``, ``query-string``, ``source-ip``): all conditions must match,
  any value of one (ELB: host and header values are case-insensitive globs, query values
  case-insensitive globs, methods exact).
- ``actions.<service>`` JSON for backends with port ``use-annotation``
  (``model_build_actions.go``): ``forward`` (``forwardConfig.targetGroups`` with
  ``serviceName``/``servicePort``/``weight``), ``redirect`` (``#{protocol}``,
  ``#{host}``, ``#{port}``, ``/#{path}``, ``#{query}`` kept by default; HTTP_301/HTTP_302),
  ``fixed-response``.
- ``ssl-redirect`` (``buildSSLRedirectConfig``): every HTTP listener of the group answers a
  301 to HTTPS on that port and has no rules; otherwise a listener's default action is the
  group's single ``defaultBackend`` or a 404 fixed response (``buildListenerDefaultActions``).
- ``inbound-cidrs``: the load balancer's security group admits only those clients.
- ``auth-type`` cognito/oidc: an unauthenticated request does not reach the backend.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from gwshift.verify import objects as o
from gwshift.verify.router import Seeds, SourceWorld, path_seed
from gwshift.verify.types import Ref, Request, Verdict, backend, redirect, status, unknown

PREFIX = "alb.ingress.kubernetes.io/"
USE_ANNOTATION = "use-annotation"


def glob(pattern: str, value: str, case: bool = True) -> bool:
    """ELB wildcards: ``*`` any characters (``/`` too), ``?`` exactly one."""
    rx = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.fullmatch(rx, value, 0 if case else re.IGNORECASE) is not None


@dataclass
class Condition:
    field: str
    values: list[str]
    name: str = ""  # http-header name
    pairs: list[tuple[str | None, str]] = dataclasses.field(default_factory=list)  # query-string
    regex: bool = False

    def matches(self, req: Request) -> bool | str:
        f = self.field
        if f == "host-header":
            return any(glob(v, req.host, case=False) for v in self.values)
        if f == "path-pattern":
            if self.regex:
                for v in self.values:
                    rx = o.safe_regex(v)
                    if rx is None:
                        return f"path regex {v!r} is not modelled"
                    if rx.search(req.path):
                        return True
                return False
            return any(glob(v, req.path) for v in self.values)
        if f == "http-header":
            got = req.header(self.name)
            return got is not None and any(glob(v, got, case=False) for v in self.values)
        if f == "http-request-method":
            return req.method in self.values
        if f == "query-string":
            params = parse_qsl(req.query, keep_blank_values=True)
            return any(any((k is None or glob(k, pk, case=False)) and glob(v, pv, case=False)
                           for pk, pv in params) for k, v in self.pairs)
        if f == "source-ip":
            return o.in_cidrs(req.client, self.values)
        return f"condition {f} is not modelled"


def _lower(v: object) -> object:
    """Go ``encoding/json`` matches field names case-insensitively: ``RedirectConfig`` and
    ``redirectConfig`` are the same field; keys are compared lower-cased here."""
    if isinstance(v, dict):
        return {str(k).lower(): _lower(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_lower(x) for x in v]
    return v


def _json(raw: str) -> object:
    return _lower(json.loads(raw))


def parse_conditions(raw: str) -> list[Condition] | str:
    try:
        data = _json(raw)
    except ValueError:
        return "conditions JSON does not parse"
    out: list[Condition] = []
    for c in data if isinstance(data, list) else []:
        if not isinstance(c, dict):
            continue
        f = str(c.get("field") or "")
        if f == "host-header":
            cfg = o.sub(c, "hostheaderconfig")
            out.append(Condition(f, o.strs(cfg.get("values")) or o.strs(c.get("values"))))
        elif f == "path-pattern":
            cfg = o.sub(c, "pathpatternconfig")
            if o.strs(cfg.get("regexvalues")):
                out.append(Condition(f, o.strs(cfg.get("regexvalues")), regex=True))
            else:
                out.append(Condition(f, o.strs(cfg.get("values")) or o.strs(c.get("values"))))
        elif f == "http-header":
            cfg = o.sub(c, "httpheaderconfig")
            out.append(Condition(f, o.strs(cfg.get("values")),
                                 str(cfg.get("httpheadername") or "").lower()))
        elif f == "http-request-method":
            cfg = o.sub(c, "httprequestmethodconfig")
            out.append(Condition(f, [m.upper() for m in o.strs(cfg.get("values"))]))
        elif f == "query-string":
            cfg = o.sub(c, "querystringconfig")
            pairs = [(str(kv["key"]) if kv.get("key") is not None else None, str(kv.get("value") or ""))
                     for kv in o.dicts(cfg.get("values"))]
            out.append(Condition(f, [], pairs=pairs))
        elif f == "source-ip":
            cfg = o.sub(c, "sourceipconfig")
            out.append(Condition(f, o.strs(cfg.get("values"))))
        else:
            return f"condition field {f!r} is not modelled"
    return out


@dataclass
class Action:
    """What a matching rule does: forward (weighted), redirect, fixed response, or why not."""

    kind: str  # forward | redirect | fixed | unknown
    shares: dict[str, float] = dataclasses.field(default_factory=dict)
    redirect: o.Obj = dataclasses.field(default_factory=dict)
    code: int = 0
    why: str = ""


def _port(svc_ns: str, name: str, port: object, ports: dict[tuple[str, str, str], int]) -> str:
    if isinstance(port, str) and not port.isdigit():
        return f"{svc_ns}/{name}:{ports.get((svc_ns, name, port), port)}"
    return f"{svc_ns}/{name}:{port}"


def parse_action(raw: str, ns: str, ports: dict[tuple[str, str, str], int]) -> Action:
    try:
        data = _json(raw)
    except ValueError:
        return Action("unknown", why="action JSON does not parse")
    if not isinstance(data, dict):
        return Action("unknown", why="action JSON is not an object")
    t = str(data.get("type") or "")
    if t == "forward":
        if data.get("targetgrouparn") or data.get("targetgroupname"):
            return Action("unknown", why="a target group by ARN/name is outside the cluster")
        shares: dict[str, float] = {}
        for tg in o.dicts(o.sub(data, "forwardconfig").get("targetgroups")):
            if not tg.get("servicename"):
                return Action("unknown", why="a target group by ARN/name is outside the cluster")
            w = tg.get("weight", 1)
            key = _port(ns, str(tg["servicename"]), tg.get("serviceport"), ports)
            if isinstance(w, int) and w > 0:
                shares[key] = shares.get(key, 0) + w
        return Action("forward", shares=shares)
    if t == "redirect":
        return Action("redirect", redirect=o.sub(data, "redirectconfig"))
    if t == "fixed-response":
        code = str(o.sub(data, "fixedresponseconfig").get("statuscode") or "")
        return Action("fixed", code=int(code) if code.isdigit() else 0)
    return Action("unknown", why=f"action type {t!r} is not modelled")


def redirect_location(cfg: o.Obj, req: Request) -> tuple[int, str]:
    """ELB redirect: components default to the request's (``#{...}`` placeholders)."""
    proto = req.scheme.upper()
    port = str(req.port)
    path_body = req.path[1:]

    def sub(v: str) -> str:
        return (v.replace("#{protocol}", proto).replace("#{host}", req.host)
                .replace("#{port}", port).replace("#{path}", path_body)
                .replace("#{query}", req.query))

    scheme = sub(str(cfg.get("protocol") or "#{protocol}")).lower()
    host = sub(str(cfg.get("host") or "#{host}"))
    rport = sub(str(cfg.get("port") or "#{port}"))
    path = sub(str(cfg.get("path") or "/#{path}"))
    query = sub(str(cfg.get("query") if cfg.get("query") is not None else "#{query}"))
    code = 302 if str(cfg.get("statuscode")) == "HTTP_302" else 301
    default = {"http": "80", "https": "443"}.get(scheme)
    hostport = host if rport == default else f"{host}:{rport}"
    return code, f"{scheme}://{hostport}{path}" + (f"?{query}" if query else "")


@dataclass
class Rule:
    ref: Ref
    conditions: list[Condition]
    action: Action
    auth: bool = False
    ports: frozenset[int] = frozenset()


@dataclass
class Member:
    ref: Ref
    obj: o.Obj
    ann: dict[str, str]
    order: int
    listen: dict[int, str]  # port -> HTTP | HTTPS


@dataclass
class Group:
    name: str
    members: list[Member] = dataclasses.field(default_factory=list)
    rules: list[Rule] = dataclasses.field(default_factory=list)
    listeners: dict[int, str] = dataclasses.field(default_factory=dict)
    ssl_redirect: int | None = None
    default: Rule | None = None
    hosts: set[str] = dataclasses.field(default_factory=set)  # host patterns the rules name
    hostless: bool = False
    inbound: list[str] = dataclasses.field(default_factory=list)


def listen_ports(ann: dict[str, str]) -> dict[int, str] | str:
    raw = ann.get("listen-ports")
    if raw is None:
        return {443: "HTTPS"} if ann.get("certificate-arn") else {80: "HTTP"}
    try:
        data = json.loads(raw)
    except ValueError:
        return "listen-ports JSON does not parse"
    out: dict[int, str] = {}
    for entry in data if isinstance(data, list) else []:
        if isinstance(entry, dict):
            for proto, port in entry.items():
                if proto in ("HTTP", "HTTPS") and isinstance(port, int):
                    out[port] = proto
    return out or "empty listen-ports"


def _sorted_paths(paths: list[o.Obj]) -> list[o.Obj]:
    """``sortIngressPaths``: Exact, Prefix longest first (stable), then the rest in order."""
    exact = [p for p in paths if p.get("pathType") == "Exact"]
    prefix = sorted((p for p in paths if p.get("pathType") == "Prefix"),
                    key=lambda p: -len(str(p.get("path") or "")))
    rest = [p for p in paths if p.get("pathType") not in ("Exact", "Prefix")]
    return exact + prefix + rest


def path_patterns(path: str, ptype: str) -> list[str]:
    """``buildPathPatterns``."""
    if ptype == "Prefix":
        if path == "/":
            return ["/*"]
        base = path.rstrip("/")
        return [base, base + "/*"]
    return [path]


class Builder:
    def __init__(self, objs: list[o.Obj], default_ns: str) -> None:
        self.ns = default_ns
        self.ports: dict[tuple[str, str, str], int] = {}
        for obj in objs:
            if o.kind(obj) == "Service":
                sns = o.namespace(obj, default_ns)
                for p in o.dicts(o.spec(obj).get("ports")):
                    if isinstance(p.get("name"), str) and isinstance(p.get("port"), int):
                        self.ports[(sns, o.name(obj), p["name"])] = p["port"]

    def backend_action(self, b: object, m: Member) -> Action:
        if not isinstance(b, dict):
            return Action("unknown", why="resource backend")
        svc = o.sub(b, "service")
        name = str(svc.get("name") or b.get("serviceName") or "")
        port = o.sub(svc, "port")
        pval = port.get("number", port.get("name")) if port else b.get("servicePort")
        if pval == USE_ANNOTATION:
            raw = m.ann.get(f"actions.{name}")
            if raw is None:
                return Action("unknown", why=f"actions.{name} is missing")
            return parse_action(raw, m.ref.namespace, self.ports)
        if not name:
            return Action("unknown", why="resource backend")
        return Action("forward", shares={_port(m.ref.namespace, name, pval, self.ports): 1.0})


def _groups(ings: list[o.Obj], b: Builder) -> list[Group]:
    groups: dict[str, Group] = {}
    for obj in ings:
        ns = o.namespace(obj, b.ns)
        ann = {k[len(PREFIX):]: v for k, v in o.annotations_of(obj).items() if k.startswith(PREFIX)}
        gname = ann.get("group.name", "").strip()
        key = f"group:{gname}" if gname else f"ingress:{ns}/{o.name(obj)}"
        try:
            order = int(ann.get("group.order", "0").strip() or 0)
        except ValueError:
            order = 0
        listen = listen_ports(ann)
        m = Member(Ref("Ingress", ns, o.name(obj)), obj, ann, order,
                   listen if isinstance(listen, dict) else {})
        groups.setdefault(key, Group(key)).members.append(m)
    for g in groups.values():
        g.members.sort(key=lambda m: (m.order, f"{m.ref.namespace}/{m.ref.name}"))
    return [groups[k] for k in sorted(groups)]


def _build_group(g: Group, b: Builder, world: SourceWorld) -> None:
    for m in g.members:
        g.listeners.update(m.listen)
        if m.ann.get("ssl-redirect", "").strip().isdigit():
            g.ssl_redirect = int(m.ann["ssl-redirect"].strip())
        g.inbound += [c.strip() for c in m.ann.get("inbound-cidrs", "").split(",") if c.strip()]
        auth = m.ann.get("auth-type", "none").strip() not in ("", "none")
        sp = o.spec(m.obj)
        db = sp.get("defaultBackend", sp.get("backend"))
        if isinstance(db, dict) and g.default is None:
            g.default = Rule(m.ref, [], b.backend_action(db, m), auth, frozenset(m.listen))
        for rule in o.dicts(sp.get("rules")):
            host = o.text(rule, "host")
            for p in _sorted_paths(o.dicts(o.sub(rule, "http").get("paths"))):
                action = b.backend_action(p.get("backend"), m)
                svc_name = str(o.sub(o.sub(p, "backend"), "service").get("name") or "")
                conds: list[Condition] = []
                extra = m.ann.get(f"conditions.{svc_name}")
                if extra is not None:
                    parsed = parse_conditions(extra)
                    if isinstance(parsed, str):
                        action = Action("unknown", why=parsed)
                        parsed = []
                    conds += parsed
                hosts = [host] if host else []
                for c in conds:
                    if c.field == "host-header":
                        hosts += c.values
                if hosts:
                    conds = [c for c in conds if c.field != "host-header"]
                    conds.insert(0, Condition("host-header", hosts))
                path = str(p["path"]) if isinstance(p.get("path"), str) else ""
                ptype = str(p.get("pathType") or "ImplementationSpecific")
                regex = m.ann.get("use-regex-path-match", "").strip().lower() == "true"
                if path:
                    pats = ([path[1:]] if regex and ptype == "ImplementationSpecific"
                            else path_patterns(path, ptype))
                    extra_paths = [c for c in conds if c.field == "path-pattern"]
                    conds = [c for c in conds if c.field != "path-pattern"]
                    vals = pats + [v for c in extra_paths for v in c.values]
                    conds.append(Condition("path-pattern", vals,
                                           regex=regex and ptype == "ImplementationSpecific"))
                if not conds:
                    conds = [Condition("path-pattern", ["/*"])]
                g.rules.append(Rule(m.ref, conds, action, auth, frozenset(m.listen)))
                _seed(world, hosts, conds, path, g)


def _seed(world: SourceWorld, hosts: list[str], conds: list[Condition], path: str,
          g: Group) -> None:
    concrete: list[str | None] = []
    for h in list[str | None](hosts) or [None]:
        if h is None:
            g.hostless = True
            concrete.append(None)
            continue
        g.hosts.add(h.lower())
        if "*" in h or "?" in h:
            concrete += [h.lower().replace("*", "w1", 1).replace("*", "x").replace("?", "q"),
                         h.lower().replace("*", "w2.w1", 1).replace("*", "x").replace("?", "q")]
        else:
            concrete.append(h.lower())
    for host in concrete:
        s: Seeds = world.seed(host)
        s.paths.add("/")
        if path:
            s.paths.add(path_seed(path.split("*")[0].split("?")[0]))
        for c in conds:
            if c.field == "path-pattern" and not c.regex:
                for v in c.values:
                    s.paths.add(path_seed(v.split("*")[0].split("?")[0]))
            elif c.field == "http-header":
                for v in c.values:
                    s.headers.add(((c.name, v.replace("*", "x").replace("?", "q")),))
            elif c.field == "http-request-method":
                s.methods.update(c.values)
            elif c.field == "query-string":
                for k, v in c.pairs:
                    s.queries.add(f"{k or 'k'}={v.replace('*', 'x').replace('?', 'q')}")
            elif c.field == "source-ip":
                for cidr in c.values:
                    inside = o.first_address(cidr)
                    if inside:
                        s.clients.add(inside)


def _act(rule: Rule, req: Request, listener_port: int) -> Verdict:
    by = (rule.ref,)
    a = rule.action
    if a.kind == "unknown":
        return unknown(a.why, by)
    if rule.auth:
        return status(401, "authenticate action", by)
    if a.kind == "redirect":
        code, loc = redirect_location(a.redirect, req)
        return redirect(code, loc, by)
    if a.kind == "fixed":
        return status(a.code, "fixed-response", by)
    return backend(a.shares, req.uri, by)


def _loops(cfg: o.Obj, req: Request) -> bool:
    """``omitInfiniteRedirectRules``: a redirect keeping protocol, port, host, path and
    query (all defaulted, or naming the listener's own protocol and port) is not created on
    that listener (e.g. the legacy ``actions.ssl-redirect`` on the HTTPS listener)."""
    same = {"protocol": ("#{protocol}", req.scheme.upper()), "port": ("#{port}", str(req.port)),
            "host": ("#{host}",), "path": ("/#{path}",), "query": ("#{query}",)}
    return all(str(cfg.get(k) if cfg.get(k) not in (None, "") else ok[0]) in ok
               for k, ok in same.items())


def evaluate_group(g: Group, req: Request) -> Verdict:
    proto = g.listeners.get(req.port)
    want = "HTTPS" if req.scheme == "https" else "HTTP"
    if proto != want:
        return status(404, f"no {want} listener on port {req.port}")
    if g.inbound and not o.in_cidrs(req.client, g.inbound):
        return status(403, "inbound-cidrs", tuple(m.ref for m in g.members))
    if proto == "HTTP" and g.ssl_redirect is not None:
        port = "" if g.ssl_redirect == 443 else f":{g.ssl_redirect}"
        return redirect(301, f"https://{req.host}{port}{req.uri}",
                        tuple(m.ref for m in g.members if "ssl-redirect" in m.ann))
    for rule in g.rules:
        if req.port not in rule.ports:
            continue
        ok = True
        for c in rule.conditions:
            r = c.matches(req)
            if isinstance(r, str):
                return unknown(r, (rule.ref,))
            if not r:
                ok = False
                break
        if ok:
            if rule.action.kind == "redirect" and _loops(rule.action.redirect, req):
                continue  # rule_optimizer.go omitInfiniteRedirectRules: not created
            return _act(rule, req, req.port)
    if g.default is not None:
        return _act(g.default, req, req.port)
    return status(404, "listener default action (fixed 404)")


@dataclass
class AlbWorld(SourceWorld):
    groups: list[Group] = dataclasses.field(default_factory=list)

    def evaluate(self, req: Request) -> Verdict:
        named = [g for g in self.groups if any(glob(h, req.host, case=False) for h in g.hosts)]
        cands = named or [g for g in self.groups if g.hostless or g.default is not None]
        if not cands:
            return status(404, "no ALB serves this host")
        if len(cands) > 1:
            return unknown("several ALBs (Ingress groups) claim this host: DNS decides")
        return evaluate_group(cands[0], req)


def build(cls: str, objs: list[o.Obj], ingresses: list[o.Obj], default_ns: str) -> SourceWorld:
    b = Builder(objs, default_ns)
    world = AlbWorld(cls, "alb")
    world.groups = _groups(ingresses, b)
    for g in world.groups:
        _build_group(g, b, world)
        for cidr in g.inbound:
            inside = o.first_address(cidr)
            if inside:
                for s in world.seeds.values():
                    s.clients.add(inside)
    return world
