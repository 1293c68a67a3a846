# SPDX-License-Identifier: MIT
"""An emulator run whose console output is kept for failure reports."""
import io
import re

import pexpect
import pytest

STEP_TIMEOUT = 60  # seconds for each console marker


class Console:
    def __init__(self, argv, cwd, exit_status=0, exit_banner=None):
        self.argv = argv
        self.exit_status = exit_status
        self.exit_banner = exit_banner
        self.log = io.StringIO()
        self.child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8",
                                   codec_errors="replace", timeout=STEP_TIMEOUT,
                                   cwd=cwd)
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
            return f"the emulator exited while waiting for {what}"

    def expect(self, pattern, what=None):
        """Wait for a regex; the match object."""
        error = self._wait(self.child.expect, pattern, what or repr(pattern))
        if error:
            self.fail(error)
        return self.child.match

    def expect_line(self, regex, what):
        """A whole console line matching @regex; the match."""
        return self.expect(regex + r"\r*\n", what)

    def expect_exact(self, text):
        error = self._wait(self.child.expect_exact, text, repr(text))
        if error:
            self.fail(error)

    def expect_exit(self):
        """The emulator must end by itself (the machine powered off)."""
        error = self._wait(self.child.expect, pexpect.EOF, "the emulator to exit by itself")
        if error:
            self.fail(error)
        self.child.close()
        if self.child.signalstatus is not None:
            if self.exit_banner and self.exit_banner in self.output():
                return  # the machine was off: the emulator's own teardown crashed
            self.fail(f"the emulator was killed by signal {self.child.signalstatus}")
        if self.child.exitstatus != self.exit_status:
            self.fail(f"exit status {self.child.exitstatus}, expected {self.exit_status}")
        if self.exit_banner and self.exit_banner not in self.output():
            self.fail(f"the emulator did not say {self.exit_banner!r}: not powered off that way")

    def expect_power_off(self):
        """The hypervisor's last two lines, then the machine's power-off."""
        self.expect_exact("hyp: all VMs stopped")
        self.expect_exact("hyp: power off")
        self.expect_exit()

    def output(self):
        """The console so far, with the terminal's carriage returns dropped."""
        return self.log.getvalue().replace("\r", "")

    def lines(self, *prefixes):
        """The console lines starting with one of @prefixes, in order."""
        return [l for l in self.output().split("\n") if l.startswith(prefixes)]

    def expect_in_order(self, lines, patterns):
        """Each regex of @patterns matches one of @lines, in this order."""
        i = 0
        for pat in patterns:
            while i < len(lines) and not re.fullmatch(pat, lines[i]):
                i += 1
            if i == len(lines):
                self.fail(f"no line matching {pat!r} in order among:\n" + "\n".join(lines))
            i += 1

    def refuse(self, *bad):
        """None of @bad appears on the console."""
        out = self.output()
        for text in bad:
            if text in out:
                self.fail(f"the console shows {text!r}")

    def stop(self):
        if self.child.isalive():
            self.child.terminate(force=True)
