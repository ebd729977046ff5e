"""Configuration that does not come from argv: KRM functionConfig objects and environment.

Three sources map onto the same :class:`~gwshift.settings.Settings` fields:

* ``IngressToGateway`` (``apiVersion: gwshift.dev/v1alpha1``) with options under ``spec`` in
  camelCase, mirroring the CLI flags. Used by the kustomize legacy exec plugin, the kustomize
  exec/container KRM function and ``kpt fn eval --fn-config``.
* a ``ConfigMap`` with the same keys under ``data`` (all strings), as ``kpt fn eval -- k=v``
  and Kptfile ``configMap:`` produce.
* environment variables ``GWSHIFT_<FIELD>``, each also accepted as ``ARGOCD_ENV_GWSHIFT_<FIELD>``
  (Argo CD passes an Application's ``plugin.env`` entries with that prefix). The Argo form wins
  because it is per Application while ``GWSHIFT_*`` is usually set once for a sidecar.

=================================  ==========================  ===============================
functionConfig key (spec / data)   environment variable         CLI flag
=================================  ==========================  ===============================
ingressClasses (list / "a,b")      GWSHIFT_INGRESS_CLASSES      --ingress-class (repeatable)
gatewayClass ("TO", "FROM=TO,…",   GWSHIFT_GATEWAY_CLASS        --gateway-class [FROM=]TO
  or a map {FROM: TO})
gateway ("ns/name")                GWSHIFT_GATEWAY              --gateway NS/NAME
keepIngress (bool)                 GWSHIFT_KEEP_INGRESS         --keep-ingress
namespace                          GWSHIFT_NAMESPACE            --namespace
dialect (auto|nginx|none)          GWSHIFT_DIALECT              --dialect
channel (standard|experimental)    GWSHIFT_CHANNEL              --channel
annotationPrefix                   GWSHIFT_ANNOTATION_PREFIX    --annotation-prefix
allowInsecureDrop (list / "a,b")   GWSHIFT_ALLOW_INSECURE_DROP  --allow-insecure-drop
strict (bool)                      GWSHIFT_STRICT               --strict
validate (bool)                    GWSHIFT_VALIDATE             --validate
(none)                             GWSHIFT_MODE                 --mode
(none)                             GWSHIFT_REPORT               --report
(none)                             GWSHIFT_NOTES_FORMAT         --notes-format
(none)                             GWSHIFT_DEBUG                --debug
=================================  ==========================  ===============================

Booleans accept true/false, yes/no, on/off, 1/0 (any case). Lists accept a YAML list or a
comma- or space-separated string. An empty environment variable counts as unset (Argo CD sends
empty strings for cleared parameters).

Precedence: CLI flags > environment > functionConfig > defaults. In KRM mode the function only
sees the already merged ``Settings``; a field still at its default value counts as "not set
on the command line", so functionConfig fills it (see :func:`settings_from_function_config`).

Invalid configuration raises :class:`ConfigError` (a ``FatalError``) naming the key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from gwshift.errors import FatalError
from gwshift.settings import CHANNELS, DIALECTS, MODES, Settings

API_GROUP = "gwshift.dev"
API_VERSION = "gwshift.dev/v1alpha1"
KIND = "IngressToGateway"

TRUE = {"true", "yes", "on", "1"}
FALSE = {"false", "no", "off", "0"}
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")


class ConfigError(FatalError):
    """Invalid configuration; ``field`` is the path of the offending key (may be empty)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


# --- value parsers (shared by functionConfig and environment) -----------------------------


def parse_bool(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in TRUE | FALSE:
        return value.strip().lower() in TRUE
    raise ConfigError(f"{where}: expected true or false, got {value!r}", where)


def parse_list(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(p for p in re.split(r"[,\s]+", value) if p)
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) and v for v in value):
        return tuple(value)
    raise ConfigError(f"{where}: expected a list of strings or a comma-separated string, "
                      f"got {value!r}", where)


def parse_str(value: Any, where: str) -> str:
    if isinstance(value, str) and value.strip():
        return value.strip()
    raise ConfigError(f"{where}: expected a non-empty string, got {value!r}", where)


def parse_gateway(value: Any, where: str) -> tuple[str, str]:
    text = parse_str(value, where)
    ns, sep, name = text.partition("/")
    if not sep or not ns or not name or not _NAME.match(ns) or not _NAME.match(name):
        raise ConfigError(f"{where}: expected NAMESPACE/NAME of an existing Gateway, got "
                          f"{value!r}", where)
    return ns, name


def parse_gateway_class(value: Any, where: str) -> tuple[tuple[str, str], ...]:
    """``"TO"`` (all classes), ``"FROM=TO,FROM2=TO2"`` or a mapping ``{FROM: TO}``."""
    pairs: list[tuple[str, str]] = []
    if isinstance(value, Mapping):
        for src, dst in value.items():
            if not isinstance(src, str) or not src or not isinstance(dst, str) or not dst:
                raise ConfigError(f"{where}: expected a map of ingress class to gateway class "
                                  f"names, got {src!r}: {dst!r}", where)
            pairs.append((src, dst))
    else:
        for part in parse_list(value, where):
            src, sep, dst = part.partition("=")
            if not sep:
                src, dst = "*", part
            if not src or not dst:
                raise ConfigError(f"{where}: expected [FROM=]TO, got {part!r}", where)
            pairs.append((src, dst))
    if not pairs:
        raise ConfigError(f"{where}: no gateway class given", where)
    return tuple(pairs)


def _choice(options: tuple[str, ...]) -> Callable[[Any, str], str]:
    def parse(value: Any, where: str) -> str:
        text = parse_str(value, where)
        if text not in options:
            raise ConfigError(f"{where}: expected one of {', '.join(options)}, got {value!r}",
                              where)
        return text

    return parse


def _insecure(value: Any, where: str) -> frozenset[str]:
    return frozenset(parse_list(value, where))


# key -> (Settings field, parser). Order = documentation order.
FUNCTION_CONFIG_KEYS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "ingressClasses": ("ingress_classes", parse_list),
    "gatewayClass": ("gateway_class_map", parse_gateway_class),
    "gateway": ("gateway", parse_gateway),
    "keepIngress": ("keep_ingress", parse_bool),
    "namespace": ("namespace", parse_str),
    "dialect": ("dialect", _choice(DIALECTS)),
    "channel": ("channel", _choice(CHANNELS)),
    "annotationPrefix": ("annotation_prefix", parse_str),
    "allowInsecureDrop": ("allow_insecure_drop", _insecure),
    "strict": ("strict", parse_bool),
    "validate": ("validate", parse_bool),
}

# Accepted spellings that are not the canonical key (CLI-like singulars).
ALIASES = {"ingressClass": "ingressClasses", "gatewayClasses": "gatewayClass"}

ENV_FIELDS: dict[str, tuple[str, Callable[[Any, str], Any]]] = {
    "INGRESS_CLASSES": ("ingress_classes", parse_list),
    "INGRESS_CLASS": ("ingress_classes", parse_list),
    "GATEWAY_CLASS": ("gateway_class_map", parse_gateway_class),
    "GATEWAY": ("gateway", parse_gateway),
    "KEEP_INGRESS": ("keep_ingress", parse_bool),
    "NAMESPACE": ("namespace", parse_str),
    "DIALECT": ("dialect", _choice(DIALECTS)),
    "CHANNEL": ("channel", _choice(CHANNELS)),
    "ANNOTATION_PREFIX": ("annotation_prefix", parse_str),
    "ALLOW_INSECURE_DROP": ("allow_insecure_drop", _insecure),
    "STRICT": ("strict", parse_bool),
    "VALIDATE": ("validate", parse_bool),
    "MODE": ("mode", _choice(MODES)),
    "REPORT": ("report", parse_str),
    "NOTES_FORMAT": ("notes_format", _choice(("text", "json"))),
    "DEBUG": ("debug", parse_bool),
}
ENV_PREFIXES = ("GWSHIFT_", "ARGOCD_ENV_GWSHIFT_")  # later wins


def env_overrides(environ: Mapping[str, str]) -> dict[str, object]:
    """Settings field -> value from ``GWSHIFT_*`` / ``ARGOCD_ENV_GWSHIFT_*`` variables."""
    out: dict[str, object] = {}
    for prefix in ENV_PREFIXES:
        for suffix, (field, parse) in ENV_FIELDS.items():
            name = prefix + suffix
            raw = environ.get(name)
            if raw is None or not raw.strip():
                continue
            out[field] = parse(raw, name)
    return out


# --- functionConfig -------------------------------------------------------------------------


def function_config_values(fc: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate a functionConfig and return Settings field -> value for the keys it sets."""
    if fc is None or (isinstance(fc, Mapping) and not fc):
        return {}
    if not isinstance(fc, Mapping):
        raise ConfigError(f"functionConfig: expected an object, got {type(fc).__name__}")
    api = fc.get("apiVersion")
    kind = fc.get("kind")
    if kind == "ConfigMap" and api == "v1":
        section, data = "data", fc.get("data")
        as_strings = True
    elif kind == KIND and isinstance(api, str) and api.split("/")[0] == API_GROUP:
        if api != API_VERSION:
            raise ConfigError(f"functionConfig: apiVersion {api!r} is not supported; use "
                              f"{API_VERSION}", "apiVersion")
        section, data = "spec", fc.get("spec")
        as_strings = False
    else:
        raise ConfigError(f"functionConfig: expected {API_VERSION} {KIND} or a v1 ConfigMap, "
                          f"got {api or '?'} {kind or '?'}", "kind")
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"functionConfig.{section}: expected a map of options", section)
    out: dict[str, Any] = {}
    for raw_key, value in data.items():
        key = ALIASES.get(str(raw_key), str(raw_key))
        where = f"{section}.{raw_key}"
        if key not in FUNCTION_CONFIG_KEYS:
            known = ", ".join(FUNCTION_CONFIG_KEYS)
            raise ConfigError(f"functionConfig {where}: unknown option (known: {known})", where)
        if value is None:
            continue
        if as_strings and not isinstance(value, str):
            raise ConfigError(f"functionConfig {where}: ConfigMap data values must be strings",
                              where)
        field, parse = FUNCTION_CONFIG_KEYS[key]
        out[field] = parse(value, where)
    return out


def settings_from_function_config(fc: Mapping[str, Any] | None, base: Settings) -> Settings:
    """Overlay a functionConfig onto ``base`` (CLI + environment).

    A field of ``base`` that differs from the default was set on the command line or in the
    environment and wins; otherwise the functionConfig value applies. ``allowInsecureDrop``
    codes are added to the ones already allowed.
    """
    values = function_config_values(fc)
    default = Settings()
    changes: dict[str, object] = {}
    for field, value in values.items():
        current = getattr(base, field)
        if field == "allow_insecure_drop":
            changes[field] = frozenset(current) | frozenset(value)
        elif current == getattr(default, field):
            changes[field] = value
    return base.replace(**changes) if changes else base


def function_config_argv(fc: Mapping[str, Any] | None) -> list[str]:
    """The CLI flags equivalent to a functionConfig (used by the kustomize legacy plugin)."""
    values = function_config_values(fc)
    argv: list[str] = []
    for field, value in values.items():
        if field == "ingress_classes":
            argv += [f"--ingress-class={c}" for c in value]
        elif field == "gateway_class_map":
            argv += [f"--gateway-class={src}={dst}" if src != "*" else f"--gateway-class={dst}"
                     for src, dst in value]
        elif field == "gateway":
            ns, name = value
            argv.append(f"--gateway={ns}/{name}")
        elif field == "allow_insecure_drop":
            argv += [f"--allow-insecure-drop={c}" for c in sorted(value)]
        elif isinstance(value, bool):
            if value:
                argv.append("--" + field.replace("_", "-"))
        else:
            argv.append(f"--{field.replace('_', '-')}={value}")
    return argv
