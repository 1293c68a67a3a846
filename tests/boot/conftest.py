# SPDX-License-Identifier: MIT
"""Fixtures for booting the hypervisor under QEMU and reading its console.

Nothing here skips: a missing tool or firmware fails the test and names
the Debian package that provides it.
"""
import io
import os
import shutil
import subprocess

import pexpect
import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("O", "build")
STEP_TIMEOUT = 60  # seconds for each console marker

# tool -> Debian package
TOOLS = {
    "make": "make",
    "aarch64-linux-gnu-gcc": "gcc-aarch64-linux-gnu",
    "qemu-system-aarch64": "qemu-system-arm",
}


def require_tool(name, package):
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: install the Debian package {package}")
    return path


def require_file(path, package):
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: install the Debian package {package}")
    return path


@pytest.fixture(scope="session")
def hyp_arm64_image():
    """Build the arm64 image once per session; the raw Image's path."""
    for tool, package in TOOLS.items():
        require_tool(tool, package)
    proc = subprocess.run(["make", "-C", ROOT, f"O={BUILD}", "hyp-arm64"],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"make hyp-arm64 failed ({proc.returncode}):\n{proc.stdout}")
    image = os.path.join(ROOT, BUILD, "arm64", "hyp.bin")
    if not os.path.isfile(image):
        pytest.fail(f"make hyp-arm64 succeeded but {image} does not exist")
    return image


class Console:
    """A QEMU run whose console output is kept for failure reports."""

    def __init__(self, argv):
        self.argv = argv
        self.log = io.StringIO()
        self.child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=STEP_TIMEOUT,
                                   cwd=ROOT)
        self.child.logfile_read = self.log

    def fail(self, what):
        pytest.fail(f"{what}\ncommand: {' '.join(self.argv)}\n"
                    f"--- console so far ---\n{self.output()}\n"
                    f"--- end of console ---", pytrace=False)

    def _wait(self, method, pattern, what):
        """pexpect's @method for @pattern; a failure report on timeout or EOF."""
        try:
            method(pattern)
            return None
        except pexpect.TIMEOUT:
            return f"timed out after {STEP_TIMEOUT} s waiting for {what}"
        except pexpect.EOF:
            return f"QEMU exited while waiting for {what}"

    def expect(self, pattern, what=None):
        """Wait for a regex; the match object."""
        error = self._wait(self.child.expect, pattern, what or repr(pattern))
        if error:
            self.fail(error)
        return self.child.match

    def expect_exact(self, text):
        error = self._wait(self.child.expect_exact, text, repr(text))
        if error:
            self.fail(error)

    def expect_exit(self, status=0):
        """QEMU must end by itself (PSCI SYSTEM_OFF) with @status."""
        error = self._wait(self.child.expect, pexpect.EOF, "QEMU to exit by itself")
        if error:
            self.fail(error)
        self.child.close()
        if self.child.signalstatus is not None:
            self.fail(f"QEMU was killed by signal {self.child.signalstatus}")
        if self.child.exitstatus != status:
            self.fail(f"QEMU exit status {self.child.exitstatus}, expected {status}")

    def output(self):
        """The console so far, with the terminal's carriage returns dropped."""
        return self.log.getvalue().replace("\r", "")

    def stop(self):
        if self.child.isalive():
            self.child.terminate(force=True)


@pytest.fixture
def qemu():
    """qemu(argv) starts a Console; every one started is stopped afterwards."""
    started = []

    def start(argv):
        console = Console(argv)
        started.append(console)
        return console

    yield start
    for console in started:
        console.stop()
