"""bin/serve starts an import worker beside the web server and stops it with the server."""

import contextlib
import os
import signal
from pathlib import Path

from tests.reliability.test_serve import _free_port, start_serving


def _group_commands(group: int) -> dict[int, str]:
    """pid → command line of every live process in a process group (from /proc)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != group:
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, ProcessLookupError):
            continue
        if state != "Z":
            found[int(entry.name)] = command
    return found


def test_bin_serve_runs_a_worker_and_stops_it_when_the_server_stops(tmp_path):
    port = _free_port()
    process, log, status = start_serving(tmp_path, port)
    try:
        assert status == 200, f"bin/serve did not answer on {port}:\n{log.read_text()}"
        commands = _group_commands(process.pid)
        workers = [pid for pid, command in commands.items() if "manage.py worker" in command]
        servers = [pid for pid, command in commands.items() if "manage.py runserver" in command]
        assert len(workers) == 1 and len(servers) == 1, commands
        os.kill(servers[0], signal.SIGTERM)  # the server stops; bin/serve must take its worker along
        assert process.wait(timeout=60) is not None
        assert not [pid for pid, cmd in _group_commands(process.pid).items() if "manage.py worker" in cmd]
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert "with an import worker" in log.read_text()
