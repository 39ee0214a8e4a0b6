"""What cannot run here (no container engine), checked statically: the compose file
against the Compose specification's schema, its commands against the project's command
line, its environment against the settings, the Dockerfile's basics, .env.example, and
the README's deployment steps against all of them."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import check_jsonschema
import jsonschema
import pytest
from ruamel.yaml import YAML

from cli.audit_commands import cmd_audit_keygen
from cli.main import parser
from service.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_ENV = {(f.validation_alias or name).upper() for name, f in Settings.model_fields.items()}


def compose() -> dict[str, Any]:
    return YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())  # type: ignore[no-any-return]


def test_compose_file_follows_the_compose_specification() -> None:
    schema_file = (
        Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / "compose-spec.json"
    )
    schema = json.loads(schema_file.read_text())
    jsonschema.validate(compose(), schema)
    with pytest.raises(jsonschema.ValidationError):  # the schema does bite
        jsonschema.validate({"services": {"api": {"command": 42}}}, schema)


def project_services() -> dict[str, dict[str, Any]]:
    return {name: s for name, s in compose()["services"].items() if s.get("build")}


def test_compose_runs_postgres_the_api_and_the_workers_once_the_database_is_healthy() -> None:
    services = compose()["services"]
    assert services["db"]["image"].startswith("postgres:")
    assert "healthcheck" in services["db"]
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    commands = {name: s["command"] for name, s in project_services().items()}
    assert commands["api"][:2] == ["petitions", "api"] and "--workers" in commands["api"]
    assert commands["worker"] == ["petitions", "worker"]
    for service in project_services().values():
        assert service["depends_on"]["db"]["condition"] == "service_healthy"


@pytest.mark.parametrize("name", ["api", "worker", "policy"])
def test_every_service_command_is_a_real_entry_point(name: str) -> None:
    command = project_services()[name]["command"]
    assert command[0] == "petitions"  # the console script pyproject.toml installs
    parser().parse_args(command[1:])  # exits (SystemExit) on an unknown command or option


def test_every_environment_variable_compose_sets_is_a_setting() -> None:
    for name, service in project_services().items():
        unknown = set(service["environment"]) - SETTINGS_ENV
        assert not unknown, f"{name} sets {unknown}, which no setting reads"


def test_env_example_documents_every_setting_and_nothing_else() -> None:
    names = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert names == SETTINGS_ENV


def test_dockerfile_basics() -> None:
    lines = [line.strip() for line in (ROOT / "Dockerfile").read_text().splitlines()]
    instructions = [line for line in lines if line and not line.startswith("#")]
    froms = [line for line in instructions if line.startswith("FROM ")]
    assert froms and all("slim" in line or "alpine" in line for line in froms)
    users = [line.split()[1] for line in instructions if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0"), "the image must run as a non-root user"
    assert instructions.index(next(i for i in instructions if i.startswith("USER "))) > max(
        n for n, i in enumerate(instructions) if i.startswith("RUN ")
    )
    for line in instructions:
        if line.startswith(("ENV ", "ARG ")):
            assert not re.search(r"(PASSWORD|SECRET|TOKEN|PRIVATE)[A-Z_]*=\S", line), line
    copies = [n for n, i in enumerate(instructions) if i.startswith("COPY ")]
    first_install = next(n for n, i in enumerate(instructions) if "pip install" in i)
    assert "pyproject.toml" in instructions[copies[0]] and copies[0] < first_install < copies[1], (
        "dependencies are installed in their own layer before the code is copied"
    )


def deployment_steps() -> list[list[str]]:
    """The commands of the README's deployment steps (its section's shell block)."""
    readme = (ROOT / "README.md").read_text()
    section = readme.split("\n## Deployment and operations\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block, "the deployment section shows its steps in a sh block"
    return [shlex.split(line, comments=True) for line in block[1].splitlines() if line.strip()]


def test_the_readme_deployment_steps_make_the_key_compose_mounts() -> None:
    steps = deployment_steps()
    keygen = next(s for s in steps if s[0].endswith("petitions") and s[1:3] == ["audit", "keygen"])
    args = parser().parse_args(keygen[1:])  # exits (SystemExit) if keygen is no command
    assert args.handler is cmd_audit_keygen
    key_file = (ROOT / args.file).resolve()
    secrets = compose()["secrets"]
    mounted = {name for name, s in secrets.items() if (ROOT / s["file"]).resolve() == key_file}
    assert len(mounted) == 1, f"no secret of docker-compose.yml is {args.file}"
    name = mounted.pop()
    for service, spec in project_services().items():
        assert name in spec["secrets"], f"{service} is not given the key"
        assert spec["environment"]["AUDIT_SIGNING_KEY_FILE"] == f"/run/secrets/{name}", service
    # The secret is bind-mounted as it is: it must belong to the image's user (mode 0600).
    dockerfile = (ROOT / "Dockerfile").read_text()
    uid = re.search(r"useradd [^\n]*--uid (\d+)", dockerfile)
    assert uid, "the Dockerfile makes its user with a fixed uid"
    chown = next(s for s in steps if "chown" in s)
    assert chown[chown.index("chown") + 1 :] == [uid[1], args.file]
    assert steps.index(keygen) < steps.index(chown) < len(steps) - 1
    assert steps[-1] == ["docker", "compose", "up", "-d"]
