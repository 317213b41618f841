"""`rapport completion bash|zsh`: generated from the parser, so it names every command.

The bash script is loaded into a real bash and its completion function is
asked what follows ``rapport`` and each command, as bash would when TAB is
pressed; the answers must be exactly the parser's commands and actions.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess

import pytest

from tui.cli import TOP_COMMANDS, build_parser


def actions_of(command: str) -> set[str]:
    parser = build_parser(None)
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    inner = [a for a in sub.choices[command]._actions if isinstance(a, argparse._SubParsersAction)]
    return set(inner[0].choices) if inner else set()


def complete(script: str, *words: str) -> set[str]:
    """What bash offers after ``rapport WORDS...`` (the last word is being typed)."""
    line = " ".join(["rapport", *words])
    quoted = " ".join(f"'{w}'" for w in ["rapport", *words])
    program = (f"{script}\nCOMP_WORDS=({quoted}); COMP_CWORD={len(words)}; COMP_LINE='{line}'; "
               f"COMP_POINT={len(line)}; _shtab_rapport; printf '%s\\n' \"${{COMPREPLY[@]}}\"")
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return {w for w in done.stdout.split("\n") if w}


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory, rapport_cli) -> str:
    rc, out, err = rapport_cli(tmp_path_factory.mktemp("c") / "none.json", "completion", "bash")
    assert (rc, err) == (0, "")
    return out


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_every_command_and_every_action(bash_script):
    assert complete(bash_script, "") == set(TOP_COMMANDS)
    assert complete(bash_script, "inv") == {"invoice"}
    for command in TOP_COMMANDS:
        actions = actions_of(command)
        if actions:
            assert complete(bash_script, command, "") == actions, command
    assert {"hold", "release", "void", "write-off", "issue", "edit"} <= actions_of("invoice")
    assert complete(bash_script, "invoice", "wr") == {"write-off"}
    assert complete(bash_script, "completion", "") == {"bash", "zsh"}


def test_the_bash_script_names_every_subcommand(bash_script):
    for command in TOP_COMMANDS:
        assert command in bash_script
        for action in actions_of(command):
            assert action in bash_script, f"{command} {action}"


def test_zsh_gets_a_compdef_script_with_every_command(rapport_cli, tmp_path):
    rc, out, err = rapport_cli(tmp_path / "none.json", "completion", "zsh")
    assert (rc, err) == (0, "")
    assert out.startswith("#compdef rapport")
    for command in TOP_COMMANDS:
        assert f"{command}:" in out, command
    assert not (tmp_path / "none.json").exists()  # completion never touches a data file
