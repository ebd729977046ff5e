"""settings.py: one OPTIONS table, one validation, every spelling derived from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from gwshift.config import function_config_values
from gwshift.errors import UsageError
from gwshift.settings import (
    BY_FIELD,
    OPTIONS,
    ConfigError,
    Settings,
    env_values,
    field_names,
    help_text,
    options_markdown,
    parse_argv,
    settings_from,
    to_argv,
)

ROOT = Path(__file__).resolve().parent.parent
TYPED = {"apiVersion": "gwshift.dev/v1alpha1", "kind": "IngressToGateway", "metadata": {"name": "x"}}


def gwshift(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None,
            ) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "gwshift", *args], input=stdin.decode(),
                          capture_output=True, text=True, check=False,
                          env={**os.environ, **(env or {})})


def test_every_settings_field_is_one_option_with_unique_spellings() -> None:
    assert sorted(o.field for o in OPTIONS) == sorted(field_names())
    for attr in ("flag", "env", "key"):
        names = [getattr(o, attr) for o in OPTIONS if getattr(o, attr)]
        assert len(names) == len(set(names)), attr


# (field, bad value, words the message must carry)
BAD = [
    ("gateway", "shared", "NAMESPACE/NAME"),
    ("gateway", "a/b/c", "NAMESPACE/NAME"),
    ("gateway", "", "non-empty"),
    ("gateway", "Infra/x", "NAMESPACE/NAME"),
    ("allow_insecure_drop", "nginx/no-such-code", "unknown note code"),
    ("service_ports", "shop/api:http", "NAMESPACE/SERVICE:PORTNAME=NUMBER"),
    ("service_ports", "shop/api:http=99999", "port 1-65535"),
    ("service_ports", "api:http=80", "NAMESPACE/SERVICE"),
    ("service_ports", "shop/api:http=٨٠", "NAMESPACE/SERVICE"),
    ("gateway_api_version", "1.7", "one of 1.2, 1.3"),
    ("target", "nope", "one of standard"),
    ("namespace", "Shop", "namespace"),
    ("gateway_namespace", "Gateway_System", "namespace"),
    ("namespace", "123456789012345678901234567890123456789012345678901234567890abcd", "namespace"),
    ("name_template", "{{ source_name | upper }}", "not a valid Kubernetes name"),
    ("name_template", "{{ nope }}", "name template"),
    ("dialect", "bogus", "one of auto"),
]


@pytest.mark.parametrize("field, value, words", BAD)
def test_one_validation_for_flag_env_and_function_config(field: str, value: str,
                                                         words: str) -> None:
    opt = BY_FIELD[field]
    with pytest.raises(UsageError) as flag:
        parse_argv([f"{opt.flag}={value}"])
    assert words in str(flag.value) and opt.flag in str(flag.value)
    assert flag.value.exit_code == 2
    if value:  # an empty variable counts as unset
        with pytest.raises(ConfigError) as env:
            env_values({f"GWSHIFT_{opt.env}": value})
        assert words in str(env.value) and f"GWSHIFT_{opt.env}=" in str(env.value)
    with pytest.raises(ConfigError) as fc:
        function_config_values({**TYPED, "spec": {opt.key: value}})
    assert words in str(fc.value) and f"spec.{opt.key}" in str(fc.value)
    assert fc.value.field == f"spec.{opt.key}"


def test_hints_are_phrased_for_the_context() -> None:
    with pytest.raises(UsageError, match=r"e\.g\. --gateway infra/shared"):
        parse_argv(["--gateway", "shared"])
    with pytest.raises(ConfigError, match=r"e\.g\. GWSHIFT_GATEWAY=infra/shared"):
        env_values({"GWSHIFT_GATEWAY": "shared"})
    with pytest.raises(ConfigError, match=r"e\.g\. gateway: infra/shared"):
        function_config_values({**TYPED, "spec": {"gateway": "shared"}})


@pytest.mark.parametrize("argv", [["--gate", "infra/x"], ["--keep"], ["--no-such"],
                                  ["--strict=yes"], ["--gateway"], ["--gateway", "--strict"]])
def test_no_abbreviations_and_clear_usage_errors(argv: list[str]) -> None:
    with pytest.raises(UsageError) as exc:
        parse_argv(argv)
    assert exc.value.exit_code == 2 and "\n" not in str(exc.value)


def test_good_values_in_every_spelling_agree() -> None:
    argv = ["--gateway=infra/shared", "--listener-set", "--service-port", "shop/api:http=8080",
            "--service-port=shop/api:grpc=9090", "--gateway-api-version", "v1.4",
            "--allow-insecure-drop", "nginx/auth-basic", "--allow-kept", "--target=standard",
            "--gateway-namespace=gw", "--name-template={{ release }}-{{ source_name }}",
            "--nginx-defaults", "--report", "r.md", "--ingress-class", "nginx",
            "--gateway-class", "nginx=eg"]
    cli = settings_from(parse_argv(argv), {})
    env = Settings(**env_values({
        "GWSHIFT_GATEWAY": "infra/shared", "GWSHIFT_LISTENER_SET": "true",
        "GWSHIFT_SERVICE_PORTS": "shop/api:http=8080,shop/api:grpc=9090",
        "GWSHIFT_GATEWAY_API_VERSION": "1.4", "GWSHIFT_ALLOW_INSECURE_DROP": "nginx/auth-basic",
        "GWSHIFT_ALLOW_KEPT": "yes", "GWSHIFT_TARGET": "standard",
        "GWSHIFT_GATEWAY_NAMESPACE": "gw",
        "GWSHIFT_NAME_TEMPLATE": "{{ release }}-{{ source_name }}",
        "GWSHIFT_NGINX_DEFAULTS": "1", "GWSHIFT_REPORT": "r.md", "GWSHIFT_INGRESS_CLASS": "nginx",
        "GWSHIFT_GATEWAY_CLASS": "nginx=eg"}))
    fc = Settings(**function_config_values({**TYPED, "spec": {
        "gateway": "infra/shared", "listenerSet": True,
        "servicePorts": ["shop/api:http=8080", "shop/api:grpc=9090"],
        "gatewayApiVersion": "1.4", "allowInsecureDrop": ["nginx/auth-basic"],
        "allowKept": True, "target": "standard", "gatewayNamespace": "gw",
        "nameTemplate": "{{ release }}-{{ source_name }}", "nginxDefaults": True,
        "report": "r.md", "ingressClasses": ["nginx"], "gatewayClass": {"nginx": "eg"}}}))
    assert cli == env == fc
    assert cli.service_ports == ((("shop", "api", "grpc"), 9090), (("shop", "api", "http"), 8080))
    assert cli.service_port("shop", "api", "http") == 8080
    assert cli.service_port("shop", "api", "metrics") is None
    assert cli.gateway_api_version == "1.4"
    # the reverse argv gives the same settings back
    values = {f: getattr(cli, f) for f in field_names() if getattr(cli, f) != getattr(Settings(), f)}
    assert settings_from(parse_argv(to_argv(values)), {}) == cli


def test_service_port_namespace_defaults_to_release_namespace() -> None:
    s = Settings(namespace="shop", service_ports=((("shop", "api", "http"), 80),))
    assert s.service_port(None, "api", "http") == 80


def test_conflicting_service_port_numbers_are_an_error() -> None:
    with pytest.raises(UsageError, match="two numbers"):
        parse_argv(["--service-port=a/b:http=1", "--service-port=a/b:http=2"])


def test_listener_set_needs_a_gateway_in_each_context() -> None:
    with pytest.raises(UsageError, match="--listener-set needs --gateway"):
        settings_from(parse_argv(["--listener-set"]), {})
    with pytest.raises(ConfigError, match="GWSHIFT_LISTENER_SET needs GWSHIFT_GATEWAY"):
        settings_from(parse_argv([]), {"GWSHIFT_LISTENER_SET": "true"})
    # the flag may complete what the environment set
    assert settings_from(parse_argv(["--listener-set"]), {"GWSHIFT_GATEWAY": "a/b"}).listener_set


def test_flags_beat_environment_and_insecure_drops_add_up() -> None:
    s = settings_from(parse_argv(["--namespace=cli", "--allow-insecure-drop=nginx/waf"]),
                      {"GWSHIFT_NAMESPACE": "env", "GWSHIFT_ALLOW_INSECURE_DROP": "nginx/snippet",
                       "ARGOCD_ENV_GWSHIFT_CHANNEL": "experimental", "GWSHIFT_CHANNEL": "standard"})
    assert s.namespace == "cli" and s.channel == "experimental"
    assert s.allow_insecure_drop == frozenset({"nginx/waf", "nginx/snippet"})


def test_files_dash_and_double_dash() -> None:
    args = parse_argv(["a.yaml", "-", "--strict", "--", "--not-a-flag"])
    assert args.files == ("a.yaml", "-", "--not-a-flag") and args.values == {"strict": True}


@pytest.mark.parametrize("argv, env", [
    (["--service-port", "shop/api"], {}),
    (["--gateway", "a/b/c"], {}),
    ([], {"GWSHIFT_SERVICE_PORTS": "nope"}),
    ([], {"GWSHIFT_GATEWAY": "shared"}),
    (["--allow-insecure-drop", "typo/code"], {}),
])
def test_cli_malformed_option_exit_2_one_line(argv: list[str], env: dict[str, str]) -> None:
    proc = gwshift(*argv, stdin=b"kind: ConfigMap\napiVersion: v1\n", env=env)
    assert proc.returncode == 2 and proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("gwshift: ")


def test_help_lists_every_flag_and_env_var() -> None:
    text = help_text()
    for opt in OPTIONS:
        assert opt.flag in text and (opt.env_var is None or opt.env_var in text)
    proc = gwshift("--help")
    assert proc.returncode == 0 and "--service-port NS/SVC:PORTNAME=NUMBER" in proc.stdout


def test_options_doc_is_generated(update_goldens: bool) -> None:
    path = ROOT / "docs" / "options.md"
    want = options_markdown()
    if update_goldens or not path.exists():
        path.write_text(want, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == want, "run pytest --update-goldens"


def test_readme_options_table_lists_every_option() -> None:
    """The README's table is hand-written prose; every flag of the table must have a row."""
    rows = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| `--")]
    missing = [o.flag for o in OPTIONS
               if not any(r.startswith((f"| `{o.flag} ", f"| `{o.flag}`")) for r in rows)]
    assert not missing, f"add README.md options table rows for {missing}"


@pytest.mark.parametrize("value", ["default-tls", "ingress-nginx/", "/x", "NS/x", "a/b/c"])
def test_default_certificate_needs_namespace_and_name(value: str) -> None:
    with pytest.raises(UsageError) as exc:
        settings_from(parse_argv(["--default-certificate", value]), {})
    assert "--default-certificate" in str(exc.value) and "NAMESPACE/NAME" in str(exc.value)


def test_default_certificate_in_every_spelling() -> None:
    want = ("ingress-nginx", "default-tls")
    assert settings_from(parse_argv(["--default-certificate", "ingress-nginx/default-tls"]),
                         {}).default_certificate == want
    env = env_values({"GWSHIFT_DEFAULT_CERTIFICATE": "ingress-nginx/default-tls"})
    assert Settings(**env).default_certificate == want
    config = function_config_values({**TYPED, "spec": {
        "defaultCertificate": "ingress-nginx/default-tls"}})
    assert Settings(**config).default_certificate == want


# --- issue 19: option values validated, misspelt variables named ------------------------------


def test_unknown_insecure_code_names_the_code_not_the_list() -> None:
    from gwshift.settings import Where, parse_insecure_codes

    with pytest.raises(ConfigError) as exc:
        parse_insecure_codes(["a/b", "c/d"], Where("flag", "--allow-insecure-drop"))
    assert "got 'a/b'" in str(exc.value) and "got a list" not in str(exc.value)


@pytest.mark.parametrize("value", ["a=b=c", "Eg", "nginx=Eg", "Nginx=eg", "=eg", "x=",
                                   "nginx=-eg"])
def test_gateway_class_from_and_to_are_class_names(value: str) -> None:
    from gwshift.settings import Where, parse_gateway_class

    with pytest.raises(ConfigError, match="expected \\[FROM=\\]TO"):
        parse_gateway_class(value, Where("flag", "--gateway-class"))


def test_gateway_class_valid_values_are_kept() -> None:
    # the must-not-change twin
    from gwshift.settings import Where, parse_gateway_class

    assert parse_gateway_class("nginx=eg,*=cilium.io", Where("flag", "--gateway-class")) == (
        ("nginx", "eg"), ("*", "cilium.io"))
    assert parse_gateway_class({"internal.nginx": "eg"}, Where("config", "gatewayClass")) == (
        ("internal.nginx", "eg"),)
    with pytest.raises(ConfigError):
        parse_gateway_class({"nginx": "EG"}, Where("config", "gatewayClass"))


def test_misspelt_environment_variables_are_named_on_stderr() -> None:
    from gwshift.settings import unknown_env_warnings

    lines = unknown_env_warnings({"GWSHIFT_GATEWY": "x", "ARGOCD_ENV_GWSHIFT_TARGT": "aws",
                                  "GWSHIFT_\nFORGED": "1", "GWSHIFT_GATEWAY": "a/b",
                                  "GWSHIFT_MAX_INPUT_MB": "2", "OTHER_GWSHIFT_X": "1"})
    assert lines == [
        ("gwshift: warning: environment variable ARGOCD_ENV_GWSHIFT_TARGT is not a gwshift "
        "option and is ignored; did you mean ARGOCD_ENV_GWSHIFT_TARGET?"),
        ("gwshift: warning: environment variable GWSHIFT_\\nFORGED is not a gwshift option and "
        "is ignored; see docs/options.md"),
        ("gwshift: warning: environment variable GWSHIFT_GATEWY is not a gwshift option and is "
        "ignored; did you mean GWSHIFT_GATEWAY?")]


def test_misspelt_environment_variable_warns_and_runs(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    src = tmp_path / "in.yaml"
    src.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")
    proc = subprocess.run([sys.executable, "-m", "gwshift", str(src)], capture_output=True,
                          text=True, check=False, env={**os.environ, "GWSHIFT_NAMESAPCE": "shop"})
    assert proc.returncode == 0 and proc.stdout == src.read_text()
    assert "GWSHIFT_NAMESAPCE" in proc.stderr and "GWSHIFT_NAMESPACE?" in proc.stderr
