"""config.py: functionConfig and environment → Settings."""

from __future__ import annotations

import pytest
from gwshift.config import (
    ConfigError,
    env_overrides,
    function_config_argv,
    function_config_values,
    settings_from_function_config,
)
from gwshift.errors import FatalError
from gwshift.settings import Settings

TYPED = {"apiVersion": "gwshift.dev/v1alpha1", "kind": "IngressToGateway",
         "metadata": {"name": "x"}}


def typed(**spec: object) -> dict:
    return {**TYPED, "spec": spec}


def cm(**data: str) -> dict:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": data}


def test_every_key_of_the_typed_config() -> None:
    s = settings_from_function_config(typed(
        ingressClasses=["nginx", "internal"], gatewayClass={"nginx": "eg", "*": "other"},
        gateway="infra/shared", keepIngress=True, namespace="shop", dialect="nginx",
        channel="experimental", annotationPrefix="ingress.example.com",
        allowInsecureDrop=["nginx/auth-url"], strict=True, validate=True), Settings())
    assert s.ingress_classes == ("nginx", "internal")
    assert s.gateway_class_map == (("nginx", "eg"), ("*", "other"))
    assert s.gateway == ("infra", "shared")
    assert s.keep_ingress and s.strict and s.validate
    assert (s.namespace, s.dialect, s.channel) == ("shop", "nginx", "experimental")
    assert s.annotation_prefix == "ingress.example.com"
    assert s.allow_insecure_drop == frozenset({"nginx/auth-url"})


def test_configmap_strings() -> None:
    s = settings_from_function_config(cm(ingressClasses="nginx, internal",
                                         gatewayClass="nginx=eg,internal=int",
                                         keepIngress="yes", strict="False"), Settings())
    assert s.ingress_classes == ("nginx", "internal")
    assert s.gateway_class_map == (("nginx", "eg"), ("internal", "int"))
    assert s.keep_ingress is True and s.strict is False


def test_bare_gateway_class_maps_every_class() -> None:
    assert function_config_values(typed(gatewayClass="eg")) == {
        "gateway_class_map": (("*", "eg"),)}


def test_empty_or_missing_config_is_no_change() -> None:
    base = Settings(namespace="a")
    assert settings_from_function_config(None, base) is base
    assert settings_from_function_config({}, base) is base
    assert settings_from_function_config({**TYPED}, base) is base


def test_explicit_base_values_win_and_insecure_drops_add_up() -> None:
    base = Settings(gateway_class_map=(("*", "cli"),), allow_insecure_drop=frozenset({"nginx/auth-basic"}))
    s = settings_from_function_config(typed(gatewayClass="eg", allowInsecureDrop=["nginx/auth-url"],
                                            namespace="shop"), base)
    assert s.gateway_class_map == (("*", "cli"),)
    assert s.allow_insecure_drop == frozenset({"nginx/auth-basic", "nginx/auth-url"})
    assert s.namespace == "shop"


@pytest.mark.parametrize("fc, field", [
    (typed(dialect="bogus"), "spec.dialect"),
    (typed(channel="beta"), "spec.channel"),
    (typed(gateway="shared"), "spec.gateway"),
    (typed(keepIngress="maybe"), "spec.keepIngress"),
    (typed(ingressClasses=[1, 2]), "spec.ingressClasses"),
    (typed(gatewayClass={"nginx": ""}), "spec.gatewayClass"),
    (typed(unknownKey=1), "spec.unknownKey"),
    (cm(strict="1", typo="x"), "data.typo"),
    ({**TYPED, "spec": ["not", "a", "map"]}, "spec"),
    ({**TYPED, "apiVersion": "gwshift.dev/v2"}, "apiVersion"),
    ({"apiVersion": "apps/v1", "kind": "Deployment"}, "kind"),
])
def test_invalid_configs_name_the_field(fc: dict, field: str) -> None:
    with pytest.raises(ConfigError) as exc:
        settings_from_function_config(fc, Settings())
    assert isinstance(exc.value, FatalError)
    assert exc.value.field == field


def test_configmap_values_must_be_strings() -> None:
    with pytest.raises(ConfigError):
        function_config_values({"apiVersion": "v1", "kind": "ConfigMap", "data": {"strict": True}})


def test_function_config_argv_round_trips_through_the_cli() -> None:
    from gwshift.cli import build_parser, settings_from_args

    fc = typed(
        ingressClasses=["nginx"], gatewayClass={"nginx": "eg", "*": "x"}, gateway="infra/gw",
        keepIngress=True, namespace="shop", dialect="none", allowInsecureDrop=["nginx/waf"],
        validate=False)
    argv = function_config_argv(fc)
    via_cli = settings_from_args(build_parser().parse_args(argv), {})
    direct = settings_from_function_config(fc, Settings())
    assert via_cli == direct


def test_env_overrides() -> None:
    env = {
        "GWSHIFT_GATEWAY": "infra/sidecar-default",
        "ARGOCD_ENV_GWSHIFT_GATEWAY": "infra/per-app",
        "GWSHIFT_INGRESS_CLASSES": "nginx internal",
        "ARGOCD_ENV_GWSHIFT_KEEP_INGRESS": "true",
        "GWSHIFT_STRICT": "",  # empty counts as unset
        "GWSHIFT_GATEWAY_CLASS": "eg",
        "GWSHIFT_REPORT": "/tmp/r.json",
        "UNRELATED": "x",
    }
    out = env_overrides(env)
    assert out == {"gateway": ("infra", "per-app"), "ingress_classes": ("nginx", "internal"),
                   "keep_ingress": True, "gateway_class_map": (("*", "eg"),),
                   "report": "/tmp/r.json"}
    Settings(**out)  # type: ignore[arg-type]  # the keys are Settings fields


def test_env_overrides_reject_bad_values() -> None:
    with pytest.raises(ConfigError, match="ARGOCD_ENV_GWSHIFT_CHANNEL"):
        env_overrides({"ARGOCD_ENV_GWSHIFT_CHANNEL": "nightly"})
