"""Settings, and the one OPTIONS table every way of setting them derives from.

A run is configured by CLI flags, ``GWSHIFT_*`` environment variables (also
``ARGOCD_ENV_GWSHIFT_*``, Argo CD's per-Application form) and a KRM functionConfig
(``IngressToGateway`` ``spec`` or ConfigMap ``data``). Each option is ONE row of
:data:`OPTIONS`: its flag, env name, functionConfig key, help, and one parser that validates
the value whatever the source, so ``--gateway shared`` and ``GWSHIFT_GATEWAY=shared`` get the
same answer with a hint phrased for where the value came from. The command line parser
(:func:`parse_argv`), the environment reader, the functionConfig reader, the reverse argv
(kustomize legacy plugin) and ``docs/options.md`` are all derived from the table.

This module is on the start-up path of every run: it imports ``re`` and nothing heavy
(argparse is never needed; the catalog and jinja2 are imported only when an option that
needs them is set).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from gwshift.errors import FatalError, UsageError
from gwshift.handlers import DIALECTS as _DIALECT_REGISTRY
from gwshift.targets import TARGETS as _TARGET_REGISTRY

CHANNELS = ("standard", "experimental")
DIALECTS = ("auto", *_DIALECT_REGISTRY, "none")
TARGETS = tuple(_TARGET_REGISTRY)
MODES = ("auto", "stream", "krm")
GATEWAY_API_VERSIONS = ("1.2", "1.3", "1.4", "1.5", "1.6")
NOTES_FORMATS = ("text", "json")

ServicePorts = tuple[tuple[tuple[str, str, str], int], ...]


class Settings(NamedTuple):
    """One frozen value per run. A NamedTuple, not a dataclass: building a 27-field frozen
    dataclass class costs ~6 ms of start-up on every run."""

    ingress_classes: tuple[str, ...] = ()  # empty: every class
    gateway_class_map: tuple[tuple[str, str], ...] = ()  # (FROM, TO); FROM "*" maps all
    gateway: tuple[str, str] | None = None  # (namespace, name) of an existing Gateway
    keep_ingress: bool = False
    listener_set: bool = False  # with gateway: listeners (TLS) in a ListenerSet per namespace
    namespace: str | None = None  # release namespace for objects that carry none
    dialect: str = "auto"
    channel: str = "standard"
    annotation_prefix: str = "nginx.ingress.kubernetes.io"
    allow_insecure_drop: frozenset[str] = frozenset()
    strict: bool = False  # warnings count as errors for the exit code
    validate: bool = False
    mode: str = "auto"
    report: str | None = None
    notes_format: str = "text"
    debug: bool = False
    quiet: bool = False  # stderr shows warnings and errors only
    # Implementation that expresses policy intents (gwshift.targets); standard: portable only.
    target: str = "standard"
    # Namespace of the one Gateway per Ingress class (None: where its Ingresses are; see
    # Context.gateway_namespace for streams whose Ingresses of a class span namespaces).
    gateway_namespace: str | None = None
    allow_kept: bool = False  # exit 0 when every error only kept a source unchanged
    # Named ports of Services outside the stream: ((namespace, service, port name), number).
    service_ports: ServicePorts = ()
    gateway_api_version: str = "1.6"
    name_template: str | None = None  # jinja2 (sandboxed) template for generated names
    nginx_defaults: bool = False  # emit ingress-nginx controller-wide defaults where possible
    # (namespace, name) of the certificate Secret the controller served hosts with when no
    # TLS entry named theirs (ingress-nginx --default-ssl-certificate); None: not modelled.
    default_certificate: tuple[str, str] | None = None

    def gateway_class_for(self, ingress_class: str | None) -> str | None:
        for src, dst in self.gateway_class_map:
            if src == ingress_class:
                return dst
        for src, dst in self.gateway_class_map:
            if src == "*":
                return dst
        return ingress_class

    def service_port(self, namespace: str | None, service: str, port_name: str) -> int | None:
        """The number of a named Service port given with ``--service-port`` (None: not given)."""
        ns = namespace or self.namespace
        for (p_ns, p_svc, p_name), number in self.service_ports:
            if (p_ns, p_svc, p_name) == (ns, service, port_name):
                return number
        return None

    def replace(self, **changes: object) -> Settings:
        unknown = set(changes) - set(self._fields)
        if unknown:
            raise TypeError(f"Settings has no field {min(unknown)!r}")
        return self._replace(**changes)  # type: ignore[arg-type]


# --- where a value came from (errors are phrased for it) ------------------------------------

Source = Literal["flag", "env", "config"]


class Where(NamedTuple):
    """The origin of a value: ``--gateway``, ``GWSHIFT_GATEWAY`` or ``spec.gateway``."""

    source: Source
    name: str  # the flag, the variable, or the functionConfig path (spec.x / data.x)
    option: Option | None = None

    def __str__(self) -> str:
        return self.name if self.source != "config" else f"functionConfig {self.name}"

    def example(self) -> str:
        """How to write a good value here (from the option's example)."""
        opt = self.option
        if opt is None or not opt.example:
            return ""
        if self.source == "flag":
            return f"{opt.flag} {opt.example}" if not opt.is_bool else opt.flag
        if self.source == "env":
            return f"{self.name}={opt.example if not opt.is_bool else 'true'}"
        return f"{opt.key}: {opt.example if not opt.is_bool else 'true'}"


class ConfigError(FatalError):
    """An invalid option value; ``field`` is the functionConfig path or variable/flag name.

    Exit 2 on the command line and in the environment (the run never starts); in KRM mode an
    invalid functionConfig becomes an error result instead (krm.results).
    """

    exit_code = 2

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


def _fail(where: Where, what: str, value: Any) -> ConfigError:
    shown = _show(value)
    eg = where.example()
    hint = f"; e.g. {eg}" if eg else ""
    return ConfigError(f"gwshift: {where}: {what}, got {shown}{hint}", where.name)


def _show(value: Any) -> str:
    """A short, safe rendering of a user value (never a huge or multi-line repr)."""
    if isinstance(value, str):
        text = value if len(value) <= 80 else value[:77] + "..."
        return repr(text)
    if isinstance(value, (bool, int, float)) or value is None:
        return repr(value)
    return f"a {type(value).__name__}"


# --- value parsers: (value, where) -> Settings value ------------------------------------------
# A value is a string (flag, env var, ConfigMap data), a list of strings (a repeated flag, a
# YAML list) or a native YAML value (IngressToGateway spec).

TRUE = frozenset({"true", "yes", "on", "1"})
FALSE = frozenset({"false", "no", "off", "0"})
# Patterns as strings: re compiles (and caches) them on first use, so a run without options
# pays nothing for them.
DNS_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z"
DNS_SUBDOMAIN = r"[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\Z"
_PORT_NAME = r"[a-z0-9]([-a-z0-9]{0,13}[a-z0-9])?\Z"
_DIGITS = r"[0-9]{1,5}\Z"
_SPLIT = r"[,\s]+"


def parse_bool(value: Any, where: Where) -> bool:
    if isinstance(value, list) and value:  # a repeated flag
        value = value[-1]
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
        return value.strip().lower() in TRUE
    raise _fail(where, "expected true or false", value)


def parse_list(value: Any, where: Where) -> tuple[str, ...]:
    parts: list[str] = []
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, (list, tuple)) or not all(isinstance(v, str) for v in items):
        raise _fail(where, "expected a list of strings or a comma-separated string", value)
    for item in items:
        parts.extend(p for p in re.split(_SPLIT, item) if p)
    if not parts:
        raise _fail(where, "expected at least one value", value)
    return tuple(dict.fromkeys(parts))


def parse_str(value: Any, where: Where) -> str:
    if isinstance(value, list) and value:  # a repeated single-valued flag: the last wins
        value = value[-1]
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise _fail(where, "expected a non-empty string", value)


def parse_namespace(value: Any, where: Where) -> str:
    text = parse_str(value, where)
    if not re.match(DNS_LABEL, text):
        raise _fail(where, "expected a namespace (lower-case DNS label)", value)
    return text


def parse_gateway(value: Any, where: Where) -> tuple[str, str]:
    text = parse_str(value, where)
    ns, sep, name = text.partition("/")
    if not sep or not re.match(DNS_LABEL, ns) or not re.match(DNS_SUBDOMAIN, name):
        raise _fail(where, "expected NAMESPACE/NAME of an existing Gateway", value)
    return ns, name


def parse_secret_ref(value: Any, where: Where) -> tuple[str, str]:
    text = parse_str(value, where)
    ns, sep, name = text.partition("/")
    if not sep or not re.match(DNS_LABEL, ns) or not re.match(DNS_SUBDOMAIN, name):
        raise _fail(where, "expected NAMESPACE/NAME of a TLS Secret", value)
    return ns, name


def parse_gateway_class(value: Any, where: Where) -> tuple[tuple[str, str], ...]:
    """``"TO"`` (all classes), ``"FROM=TO,FROM2=TO2"`` or a mapping ``{FROM: TO}``."""
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for src, dst in value.items():
            if not isinstance(src, str) or not src or not isinstance(dst, str) or not dst:
                raise _fail(where, "expected a map of ingress class to gateway class names",
                            value)
            pairs.append(_class_pair(src, dst, where, f"{src}: {dst}"))
    else:
        for part in parse_list(value, where):
            src, sep, dst = part.partition("=")
            if not sep:
                src, dst = "*", part
            if not src or not dst:
                raise _fail(where, "expected [FROM=]TO", part)
            pairs.append(_class_pair(src, dst, where, part))
    return tuple(pairs)


def _class_pair(src: str, dst: str, where: Where, shown: str) -> tuple[str, str]:
    """FROM is ``*`` or an IngressClass name, TO a GatewayClass name: both Kubernetes object
    names (lower-case DNS subdomains); ``a=b=c`` or ``Eg`` would name no class at all."""
    if src != "*" and not re.match(DNS_SUBDOMAIN, src):
        raise _fail(where, "expected [FROM=]TO with FROM an ingress class name (lower-case DNS "
                    "subdomain) or *", shown)
    if not re.match(DNS_SUBDOMAIN, dst):
        raise _fail(where, "expected [FROM=]TO with TO a GatewayClass name (lower-case DNS "
                    "subdomain)", shown)
    return src, dst


def _choice(options: tuple[str, ...], strip_v: bool = False) -> Callable[[Any, Where], str]:
    def parse(value: Any, where: Where) -> str:
        text = parse_str(value, where)
        if strip_v:
            text = text.removeprefix("v")
        if text not in options:
            raise _fail(where, f"expected one of {', '.join(options)}", value)
        return text

    return parse


def parse_insecure_codes(value: Any, where: Where) -> frozenset[str]:
    """Note codes whose loss is accepted; each must be a code gwshift can emit (a typo would
    otherwise silently accept nothing)."""
    codes = parse_list(value, where)
    from gwshift import catalog  # only when the option is used

    unknown = [c for c in codes if c not in catalog.ENTRIES]
    if unknown:  # name the one unknown code, not the whole list
        raise _fail(where, "unknown note code (codes look like nginx/auth-url; docs/"
                    "note-codes.md lists them)", unknown[0])
    return frozenset(codes)


def parse_service_ports(value: Any, where: Where) -> ServicePorts:
    """``NAMESPACE/SERVICE:PORTNAME=NUMBER`` entries, repeatable; one number per named port."""
    out: dict[tuple[str, str, str], int] = {}
    for entry in parse_list(value, where):
        ns_svc, sep1, rest = entry.partition(":")
        ns, sep2, svc = ns_svc.partition("/")
        name, sep3, number = rest.partition("=")
        if (not (sep1 and sep2 and sep3) or not re.match(DNS_LABEL, ns)
                or not re.match(DNS_LABEL, svc) or not re.match(_PORT_NAME, name)
                or not re.match(_DIGITS, number)
                or not 1 <= int(number) <= 65535):
            raise _fail(where, "expected NAMESPACE/SERVICE:PORTNAME=NUMBER (port 1-65535)",
                        entry)
        key = (ns, svc, name)
        if out.get(key, int(number)) != int(number):
            raise _fail(where, f"two numbers for {ns}/{svc}:{name}", entry)
        out[key] = int(number)
    return tuple(sorted(out.items()))


def parse_name_template(value: Any, where: Where) -> str:
    text = parse_str(value, where)
    from gwshift.naming import NameTemplateError, check_template  # jinja2 only when set

    try:
        check_template(text)
    except NameTemplateError as exc:
        raise _fail(where, str(exc), value) from None
    return text


# --- the table -------------------------------------------------------------------------------


class Option(NamedTuple):
    """One option, in every spelling. ``field`` is the Settings field it sets."""

    field: str
    flag: str  # --name
    parse: Callable[[Any, Where], Any]
    help: str
    metavar: str = ""  # "" for a boolean flag
    choices: tuple[str, ...] = ()
    repeat: bool = False  # the flag may be given several times (values add up)
    env: str | None = None  # GWSHIFT_<env>; None: no environment variable
    key: str | None = None  # functionConfig key; None: not in a functionConfig
    helm: bool = True  # useful as a Helm post-renderer argument
    example: str = ""  # a good value, for error hints and docs
    aliases: tuple[str, ...] = ()  # other env suffixes / functionConfig keys accepted

    @property
    def is_bool(self) -> bool:
        return self.metavar == ""

    @property
    def env_var(self) -> str | None:
        return None if self.env is None else "GWSHIFT_" + self.env


def _opt(field: str, parse: Callable[[Any, Where], Any], help: str, metavar: str = "", *,
         choices: tuple[str, ...] = (), repeat: bool = False, env: bool = True,
         key: bool = True, helm: bool = True, example: str = "",
         aliases: tuple[str, ...] = (), flag: str = "", name: str = "") -> Option:
    base = name or field  # the spelling of env and functionConfig names
    head, *rest = base.split("_")
    camel = head + "".join(part.title() for part in rest)
    return Option(field, flag or "--" + field.replace("_", "-"), parse, help, metavar, choices,
                  repeat, base.upper() if env else None, camel if key else None, helm,
                  example or (choices[0] if choices else ""), aliases)


OPTIONS: tuple[Option, ...] = (
    _opt("ingress_classes", parse_list, "convert only Ingresses of this class (repeatable); "
         "others pass through", "CLASS", repeat=True, flag="--ingress-class", example="nginx",
         aliases=("INGRESS_CLASS", "ingressClass")),
    _opt("gateway_class_map", parse_gateway_class, "gatewayClassName for Ingresses of class "
         "FROM (repeatable); a bare TO maps all", "[FROM=]TO", repeat=True,
         flag="--gateway-class", example="nginx=eg", aliases=("gatewayClasses",),
         name="gateway_class"),
    _opt("gateway", parse_gateway, "attach routes to this existing Gateway instead of "
         "generating Gateways", "NAMESPACE/NAME", example="infra/shared"),
    _opt("listener_set", parse_bool, "with --gateway: put each Ingress class's listeners and "
         "certificates in a ListenerSet attached to that Gateway (it must allow them: "
         "spec.allowedListeners)"),
    _opt("gateway_namespace", parse_namespace, "namespace of the one generated Gateway per "
         "Ingress class (default: its Ingresses' namespace; when they span namespaces, the "
         "release namespace if among them, else the one holding most of their TLS Secrets, "
         "then the first by name)", "NAMESPACE",
         example="gateway-system"),
    _opt("default_certificate", parse_secret_ref, "TLS Secret the controller served hosts "
         "with when no tls entry listed them (ingress-nginx --default-ssl-certificate): rule "
         "hosts of an Ingress with a tls section get HTTPS with it and the redirect",
         "NAMESPACE/NAME", example="ingress-nginx/default.tls"),
    _opt("keep_ingress", parse_bool, "emit the new objects next to the unchanged Ingress "
         "(parallel run)"),
    _opt("namespace", parse_namespace, "release namespace for objects that carry none", "NS",
         example="shop"),
    _opt("dialect", _choice(DIALECTS), "controller dialect for annotations (default auto: "
         "from the Ingress class)", "DIALECT", choices=DIALECTS),
    _opt("target", _choice(TARGETS), "implementation that expresses policies (rate limits, "
         "auth, IP access...); standard: portable Gateway API only", "TARGET",
         choices=TARGETS),
    _opt("channel", _choice(CHANNELS), "Gateway API channel to target (experimental enables "
         "retry, sessionPersistence...)", "CHANNEL", choices=CHANNELS),
    _opt("gateway_api_version", _choice(GATEWAY_API_VERSIONS, strip_v=True),
         "emit only what this Gateway API release serves (default 1.6)", "VERSION",
         choices=GATEWAY_API_VERSIONS, example="1.4"),
    _opt("annotation_prefix", parse_str, "ingress-nginx annotation prefix (default "
         "nginx.ingress.kubernetes.io)", "PREFIX", example="nginx.ingress.kubernetes.io"),
    _opt("service_ports", parse_service_ports, "number of a named port of a Service that is "
         "not in the stream (repeatable)", "NS/SVC:PORTNAME=NUMBER", repeat=True,
         flag="--service-port", example="shop/api:http=8080",
         aliases=("SERVICE_PORT", "servicePort")),
    _opt("name_template", parse_name_template, "jinja2 template for generated route names "
         "(variables: namespace, ingress_class, release, source_name, kind)", "TEMPLATE",
         example="'{{ release }}-{{ source_name }}'"),
    _opt("nginx_defaults", parse_bool, "express ingress-nginx controller-wide defaults "
         "(timeouts, body size...) where the target can"),
    _opt("allow_insecure_drop", parse_insecure_codes, "accept knowingly the loss reported by "
         "this note code (repeatable)", "CODE", repeat=True, example="nginx/auth-url"),
    _opt("allow_kept", parse_bool, "exit 0 when every error only kept a source unchanged "
         "(the report still lists it)"),
    _opt("strict", parse_bool, "exit 1 on warnings too"),
    _opt("validate", parse_bool, "validate generated objects against the Gateway API CRDs "
         "before writing"),
    _opt("report", parse_str, "also write a report to FILE: Markdown when it ends in .md, "
         "else JSON", "FILE", example="gwshift-report.md"),
    _opt("mode", _choice(MODES), "input envelope (default auto-detect)", "MODE",
         choices=MODES, key=False, helm=False),
    _opt("notes_format", _choice(NOTES_FORMATS), "format of notes on stderr", "FORMAT",
         choices=NOTES_FORMATS, key=False),
    _opt("quiet", parse_bool, "print only warning and error notes on stderr", key=False),
    _opt("debug", parse_bool, "show tracebacks of internal errors", key=False),
)
BY_FIELD = {o.field: o for o in OPTIONS}
BY_FLAG = {o.flag: o for o in OPTIONS}
BY_KEY = {k: o for o in OPTIONS if o.key for k in (o.key, *[a for a in o.aliases if a[:1].islower()])}
ENV_PREFIXES = ("GWSHIFT_", "ARGOCD_ENV_GWSHIFT_")  # later wins: per Application beats sidecar


def _env_names(opt: Option) -> tuple[str, ...]:
    if opt.env is None:
        return ()
    return (opt.env, *[a for a in opt.aliases if a.isupper()])


def parse_value(opt: Option, value: Any, where: Where) -> Any:
    return opt.parse(value, where._replace(option=opt))


def env_values(environ: Mapping[str, str]) -> dict[str, Any]:
    """Settings field -> value from ``GWSHIFT_*`` / ``ARGOCD_ENV_GWSHIFT_*`` variables.

    An empty variable counts as unset (Argo CD sends empty strings for cleared parameters).
    """
    out: dict[str, Any] = {}
    for prefix in ENV_PREFIXES:
        for opt in OPTIONS:
            for suffix in _env_names(opt):
                name = prefix + suffix
                raw = environ.get(name)
                if raw is not None and raw.strip():
                    out[opt.field] = parse_value(opt, raw, Where("env", name))
    return out


def config_values(data: Mapping[Any, Any], section: str, as_strings: bool) -> dict[str, Any]:
    """Settings field -> value from a functionConfig's ``spec`` (native) or ``data`` (strings)."""
    out: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = str(raw_key)
        path = f"{section}.{key}"
        opt = BY_KEY.get(key)
        if opt is None:
            known = ", ".join(o.key for o in OPTIONS if o.key)
            raise ConfigError(f"gwshift: functionConfig {path}: unknown option (known: "
                              f"{known})", path)
        if value is None:
            continue
        if as_strings and not isinstance(value, str):
            raise ConfigError(f"gwshift: functionConfig {path}: ConfigMap data values must be "
                              "strings (quote them)", path)
        out[opt.field] = parse_value(opt, value, Where("config", path))
    return out


def check(settings: Settings, source: Source = "flag") -> Settings:
    """Rules between options, phrased for where they were set."""
    if settings.listener_set and settings.gateway is None:
        names = {"flag": ("--listener-set", "--gateway NAMESPACE/NAME"),
                 "env": ("GWSHIFT_LISTENER_SET", "GWSHIFT_GATEWAY=NAMESPACE/NAME"),
                 "config": ("functionConfig listenerSet", "gateway: NAMESPACE/NAME")}[source]
        raise ConfigError(f"gwshift: {names[0]} needs {names[1]}", names[0])
    return settings


# --- the command line ----------------------------------------------------------------------


class Args(NamedTuple):
    """A parsed command line: option values by Settings field, and the input files."""

    values: dict[str, Any]
    files: tuple[str, ...]
    help: bool = False
    version: bool = False


def parse_argv(argv: Sequence[str]) -> Args:
    """Parse flags from the OPTIONS table by hand: exact long names only (no abbreviations),
    ``--flag value`` or ``--flag=value``, ``--`` ends the options, ``-`` is stdin.

    Hand-written because argparse (and the shutil/gettext it pulls in) costs more start-up
    time than converting a typical chart does.
    """
    raw: dict[str, list[str]] = {}
    files: list[str] = []
    help_ = version = False
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg == "--":
            files.extend(argv[i:])
            break
        if arg in ("-h", "--help"):
            help_ = True
            continue
        if arg == "--version":
            version = True
            continue
        if not arg.startswith("-") or arg == "-":
            files.append(arg)
            continue
        name, eq, value = arg.partition("=")
        opt = BY_FLAG.get(name)
        if opt is None:
            raise UsageError(f"gwshift: unrecognized option {_show(name)} (see gwshift --help)")
        if opt.is_bool:
            if eq:
                raise UsageError(f"gwshift: {name} takes no value (got {_show(value)})")
            value = "true"
        elif not eq:
            if i >= len(argv) or (argv[i].startswith("--") and argv[i] != "--"):
                raise UsageError(f"gwshift: {name} needs a value: {name} {opt.metavar}")
            value = argv[i]
            i += 1
        raw.setdefault(opt.field, []).append(value)
    values: dict[str, Any] = {}
    for field, given in raw.items():
        opt = BY_FIELD[field]
        try:
            values[field] = parse_value(opt, given if opt.repeat else given[-1],
                                        Where("flag", opt.flag))
        except ConfigError as exc:
            raise UsageError(str(exc)) from None
    return Args(values, tuple(files), help_, version)


# GWSHIFT_* variables read outside the options: the input bound (stream), the wrappers'
# interpreter and binary (helm-postrenderer, kustomize-plugin), scripts and tests.
OTHER_ENV = ("MAX_INPUT_MB", "PYTHON", "BIN", "TOOLS", "CORPUS", "FUZZ_SECONDS", "FUZZ_SEED",
             "FUZZ_STRICT")


def unknown_env_warnings(environ: Mapping[str, str]) -> list[str]:
    """One line per ``GWSHIFT_*`` variable gwshift does not know, with the closest known
    name: a misspelt variable would otherwise be ignored silently (a warning, not an
    error: other tools may share the prefix)."""
    known = {n for o in OPTIONS for n in _env_names(o)} | set(OTHER_ENV)
    lines = []
    for name in sorted(environ):
        prefix = next((p for p in reversed(ENV_PREFIXES) if name.startswith(p)), None)
        if prefix is None or name[len(prefix):] in known:
            continue
        import difflib  # only with an unknown variable

        close = difflib.get_close_matches(name[len(prefix):], sorted(known), n=1, cutoff=0.6)
        from gwshift.notes import escape

        hint = f"did you mean {prefix}{close[0]}?" if close else "see docs/options.md"
        lines.append(f"gwshift: warning: environment variable {escape(name)[:80]} is not a "
                     f"gwshift option and is ignored; {hint}")
    return lines


def settings_from(args: Args, environ: Mapping[str, str]) -> Settings:
    """CLI flags over environment over defaults; ``--allow-insecure-drop`` codes add up."""
    import sys

    for line in unknown_env_warnings(environ):  # stderr only: stdout stays YAML
        sys.stderr.write(line + "\n")
    env = env_values(environ)
    from gwshift import stream

    try:  # the input bound is read by stream; checked here, before any input is read
        stream.max_input_bytes(environ)
    except stream.InputError as exc:
        raise UsageError(str(exc)) from None
    env_settings = check(Settings(**env), "env")
    changes = dict(args.values)
    if "allow_insecure_drop" in changes:
        changes["allow_insecure_drop"] = (env_settings.allow_insecure_drop
                                          | changes["allow_insecure_drop"])
    settings = env_settings.replace(**changes)
    try:
        return check(settings, "flag")
    except ConfigError as exc:
        raise UsageError(str(exc)) from None


def to_argv(values: Mapping[str, Any]) -> list[str]:
    """The flags that set ``values`` (Settings field -> value): the reverse of parse_argv."""
    argv: list[str] = []
    for opt in OPTIONS:
        if opt.field not in values:
            continue
        value = values[opt.field]
        if opt.is_bool:
            if value:
                argv.append(opt.flag)
        elif opt.field == "gateway_class_map":
            argv += [f"{opt.flag}={dst if src == '*' else f'{src}={dst}'}" for src, dst in value]
        elif opt.field == "gateway":
            argv.append(f"{opt.flag}={value[0]}/{value[1]}")
        elif opt.field == "service_ports":
            argv += [f"{opt.flag}={ns}/{svc}:{name}={num}" for (ns, svc, name), num in value]
        elif isinstance(value, (tuple, frozenset)):
            argv += [f"{opt.flag}={v}" for v in sorted(value) if isinstance(v, str)]
        else:
            argv.append(f"{opt.flag}={value}")
    return argv


def help_text(epilog: str = "") -> str:
    """``gwshift --help``, from the table."""
    import textwrap  # only for --help

    def wrap(text: str, indent: int) -> list[str]:
        return textwrap.wrap(text, 100, initial_indent=" " * indent,
                             subsequent_indent=" " * indent)

    lines = [
        "usage: gwshift [OPTIONS] [FILE ...]",
        "       gwshift validate [OPTIONS] [FILE ...]",
        "       gwshift verify [OPTIONS] ...",
        "       gwshift explain CODE",
        "",
        *wrap("Convert the Ingress resources of a rendered Kubernetes stream (or KRM "
              "ResourceList) into Gateway API resources. Everything else passes through byte "
              "for byte.", 0),
        "",
        "positional arguments:",
        "  FILE                  input files, in order ('-' or none: stdin)",
        "",
        "options:",
        "  -h, --help            show this help and exit",
        "  --version             show the version and exit",
    ]
    for opt in OPTIONS:
        head = f"  {opt.flag}" + (f" {opt.metavar}" if opt.metavar else "")
        text = opt.help
        if opt.choices:
            text += f" ({'|'.join(opt.choices)})"
        if opt.env_var:
            text += f" [env {opt.env_var}]"
        body = wrap(text, 24)
        if len(head) < 23:
            body[0] = head.ljust(24) + body[0][24:]
        else:
            lines.append(head)
        lines.extend(body)
    return "\n".join(lines) + "\n\n" + epilog


def options_markdown() -> str:
    """``docs/options.md``: every option in each of its spellings (generated)."""
    out = [
        "# Options",
        "",
        ("<!-- generated from gwshift.settings.OPTIONS by scripts/gen_options_doc.py "
        "(tests/test_settings.py checks it); do not edit -->"),
        "",
        ("Every option can be given as a command-line flag, a `GWSHIFT_*` environment variable "
        "(also `ARGOCD_ENV_GWSHIFT_*`, which wins: Argo CD's per-Application form) and, where "
        "a key is listed, a KRM functionConfig key (`IngressToGateway` `spec`, or ConfigMap "
        "`data` with string values). Precedence: flag > environment > functionConfig > "
        "default. Helm post-renderer: `--post-renderer-args=--flag=value` (Helm 3 and 4) or "
        "the plugin's `runtimeConfig.platformCommand[].args`."),
        "",
        ("Booleans accept true/false, yes/no, on/off, 1/0. Lists accept a YAML list, a "
        "comma- or space-separated string, or a repeated flag. An empty environment variable "
        "counts as unset. Every source is validated by the same parser."),
        "",
        "| flag | environment | functionConfig | Helm | default | values |",
        "|---|---|---|---|---|---|",
    ]
    default = Settings()
    for opt in OPTIONS:
        flag = f"`{opt.flag}" + (f" {opt.metavar}`" if opt.metavar else "`")
        env = f"`{opt.env_var}`" if opt.env_var else "-"
        key = f"`{opt.key}`" if opt.key else "-"
        helm = "yes" if opt.helm else "no"
        dflt = _doc_default(getattr(default, opt.field))
        values = " / ".join(f"`{c}`" for c in opt.choices) if opt.choices else (
            "repeatable" if opt.repeat else "")
        out.append(f"| {flag} | {env} | {key} | {helm} | {dflt} | {values} |")
    out += ["", "## What each option does", ""]
    for opt in OPTIONS:
        also = ", ".join(f"`GWSHIFT_{a}`" if a.isupper() else f"`{a}`" for a in opt.aliases)
        out.append(f"- `{opt.flag}`: {opt.help}." + (f" Also accepted: {also}." if also else ""))
    return "\n".join(out) + "\n"


def _doc_default(value: Any) -> str:
    if value in (None, (), frozenset()) or value is False:
        return "-"
    if value is True:
        return "true"
    return f"`{value}`"


def field_names() -> Iterable[str]:
    return iter(Settings._fields)
