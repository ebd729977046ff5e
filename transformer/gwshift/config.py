"""Configuration that does not come from argv: KRM functionConfig objects and environment.

Both are read through the one OPTIONS table in :mod:`gwshift.settings` (same parsers as the
CLI flags; ``docs/options.md`` lists every spelling):

* ``IngressToGateway`` (``apiVersion: gwshift.dev/v1alpha1``) with options under ``spec`` in
  camelCase. Used by the kustomize legacy exec plugin, the kustomize exec/container KRM
  function and ``kpt fn eval --fn-config``.
* a ``ConfigMap`` with the same keys under ``data`` (all strings), as ``kpt fn eval -- k=v``
  and Kptfile ``configMap:`` produce.
* environment variables ``GWSHIFT_<FIELD>``, each also accepted as ``ARGOCD_ENV_GWSHIFT_<FIELD>``.

Precedence: CLI flags > environment > functionConfig > defaults. In KRM mode the function only
sees the already merged ``Settings``; a field still at its default value counts as "not set
on the command line", so functionConfig fills it (see :func:`settings_from_function_config`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gwshift.settings import (
    ConfigError,
    Settings,
    check,
    config_values,
    env_values,
    to_argv,
)

__all__ = ["API_VERSION", "KIND", "ConfigError", "env_overrides", "function_config_argv",
           "function_config_values", "settings_from_function_config"]

API_GROUP = "gwshift.dev"
API_VERSION = "gwshift.dev/v1alpha1"
KIND = "IngressToGateway"


def env_overrides(environ: Mapping[str, str]) -> dict[str, object]:
    """Settings field -> value from ``GWSHIFT_*`` / ``ARGOCD_ENV_GWSHIFT_*`` variables."""
    return env_values(environ)


def function_config_values(fc: Mapping[str, Any] | None) -> dict[str, Any]:
    """Validate a functionConfig and return Settings field -> value for the keys it sets."""
    if fc is None or (isinstance(fc, Mapping) and not fc):
        return {}
    if not isinstance(fc, Mapping):
        raise ConfigError(f"gwshift: functionConfig: expected an object, got a "
                          f"{type(fc).__name__}")
    api = fc.get("apiVersion")
    kind = fc.get("kind")
    if kind == "ConfigMap" and api == "v1":
        section, data, as_strings = "data", fc.get("data"), True
    elif kind == KIND and isinstance(api, str) and api.split("/")[0] == API_GROUP:
        if api != API_VERSION:
            raise ConfigError(f"gwshift: functionConfig: apiVersion {api!r} is not supported; "
                              f"use {API_VERSION}", "apiVersion")
        section, data, as_strings = "spec", fc.get("spec"), False
    else:
        raise ConfigError(f"gwshift: functionConfig: expected {API_VERSION} {KIND} or a v1 "
                          f"ConfigMap, got {str(api or '?')[:60]} {str(kind or '?')[:60]}",
                          "kind")
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"gwshift: functionConfig {section}: expected a map of options",
                          section)
    return config_values(data, section, as_strings)


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
    if not changes:
        return base
    return check(base.replace(**changes), "config")


def function_config_argv(fc: Mapping[str, Any] | None) -> list[str]:
    """The CLI flags equivalent to a functionConfig (used by the kustomize legacy plugin)."""
    return to_argv(function_config_values(fc))
