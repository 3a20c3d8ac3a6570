"""bin/install's package step (bin/apt-get-waiting) waits while another process holds apt's
or dpkg's lock, then goes on, instead of failing. apt runs for real, on a private, empty
package database in a temporary folder (APT_CONFIG): nothing is downloaded or installed."""

import fcntl
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def apt_root(tmp_path) -> dict:
    """An apt configuration whose lists, dpkg status and locks all live in tmp_path."""
    for folder in ("lists/partial", "cache/archives/partial", "state", "dpkg/updates", "log", "parts", "prefs", "src"):
        (tmp_path / folder).mkdir(parents=True)
    (tmp_path / "dpkg/status").touch()
    config = tmp_path / "apt.conf"
    config.write_text(
        f'Dir::State "{tmp_path}/state/";\n'
        f'Dir::State::Lists "{tmp_path}/lists/";\n'
        f'Dir::State::status "{tmp_path}/dpkg/status";\n'
        f'Dir::Cache "{tmp_path}/cache/";\n'
        'Dir::Etc::SourceList "/dev/null";\n'
        f'Dir::Etc::SourceParts "{tmp_path}/src/";\n'
        f'Dir::Etc::Parts "{tmp_path}/parts/";\n'
        f'Dir::Etc::PreferencesParts "{tmp_path}/prefs/";\n'
        f'Dir::Log "{tmp_path}/log/";\n'
        'Dir::Bin::dpkg "/bin/true";\n'
        'APT::Sandbox::User "root";\n'
    )
    return {**os.environ, "APT_CONFIG": str(config), "APT_LOCK_TIMEOUT": "120"}


def _hold(path: Path) -> int:
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT)
    fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)  # the fcntl lock apt itself takes
    return descriptor


@pytest.mark.parametrize(
    ("lock", "arguments"),
    [("lists/lock", ["update", "-qq"]), ("dpkg/lock-frontend", ["install", "-y", "-qq"])],
    ids=["apt-get update", "apt-get install"],
)
def test_it_waits_for_a_held_apt_lock_and_then_succeeds(apt_root, tmp_path, lock, arguments):
    holder = _hold(tmp_path / lock)
    process = subprocess.Popen(
        [str(ROOT / "bin/apt-get-waiting"), *arguments],
        env=apt_root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # It says it is waiting (this read blocks until it does), and it is still running.
        assert process.stderr.readline().startswith("Waiting for another package manager")
        assert process.poll() is None
    finally:
        os.close(holder)  # the other package manager finishes
    remaining = process.stderr.read()
    assert process.wait(timeout=120) == 0, remaining


def test_it_runs_at_once_when_nothing_holds_the_lock(apt_root):
    result = subprocess.run(
        [str(ROOT / "bin/apt-get-waiting"), "update", "-qq"], env=apt_root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "Waiting" not in result.stderr


def test_it_still_fails_on_an_error_that_is_not_a_lock(apt_root):
    result = subprocess.run(
        [str(ROOT / "bin/apt-get-waiting"), "install", "-y", "no-such-package-here"],
        env=apt_root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Unable to locate package no-such-package-here" in result.stderr
    assert "Waiting" not in result.stderr


def test_bin_install_installs_system_packages_through_it():
    install = (ROOT / "bin/install").read_text()
    assert "bin/apt-get-waiting update" in install
    assert "bin/apt-get-waiting install" in install
    assert "apt-get update" not in install.replace("bin/apt-get-waiting update", "")
