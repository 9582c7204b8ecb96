"""The Makefile's two newcomer commands, read with ``make -n`` (nothing runs)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="no make")


def dry_run(*args):
    # Under `make test` this process inherits the outer make's flags, which
    # would add "Entering directory" lines to the output.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MAKEFLAGS", "MAKELEVEL", "MFLAGS"}
    }
    result = subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_run_serves_on_the_port_given():
    commands = dry_run("run", "PORT=9123")

    assert "manage.py runserver 127.0.0.1:9123" in commands
    assert "Dashboard: http://127.0.0.1:9123/" in commands


def test_make_run_prints_the_demo_logins():
    commands = dry_run("run")

    assert "Seller login: demo / demo     Staff (admin): admin / admin" in commands


def test_make_run_migrates_then_loads_demo_data_only_into_an_empty_database():
    commands = dry_run("run").splitlines()

    migrate = next(i for i, c in enumerate(commands) if "manage.py migrate" in c)
    demo = next(i for i, c in enumerate(commands) if "manage.py demo" in c)
    assert migrate < demo
    assert commands[demo].endswith("manage.py demo --if-empty")


def test_make_test_passes_its_arguments_to_pytest():
    commands = dry_run("test", "PYTEST_ARGS=-k smoke")

    assert commands.splitlines()[-1].endswith("-m pytest -k smoke")
