#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Runs every test suite `make test` names and ends with one summary line.

Each argument is NAME=COMMAND. A suite's tests are counted from its own
runner's summary (cmocka, pytest, or a plain "N passed, N failed" line); a
suite whose exit status is non-zero counts at least one failure. The output
of a failing suite is printed; every suite's output is kept in
$O/test-logs/NAME.log.
"""
import os
import re
import subprocess
import sys
import time

SUITE_TIMEOUT = int(os.environ.get("SUITE_TIMEOUT", "1200"))
LOG_DIR = os.path.join(os.environ.get("O", "build"), "test-logs")
TAIL = 120

CMOCKA_PASSED = re.compile(r"^\[  PASSED  \] (\d+) test", re.M)
CMOCKA_FAILED = re.compile(r"^\[  FAILED  \] (\d+) test", re.M)
PYTEST_LINE = re.compile(r"^=*\s*(.*\d+ (?:passed|failed|error)\S*.*?)\s*=*$", re.M)
PLAIN_LINE = re.compile(r"^(?:\w+: )?(\d+) passed, (\d+) failed", re.M)


def count(output):
    """(passed, failed) as the suite's own runner reported them, or None."""
    passed = [int(n) for n in CMOCKA_PASSED.findall(output)]
    failed = [int(n) for n in CMOCKA_FAILED.findall(output)]
    if passed or failed:
        return sum(passed), sum(failed)
    lines = PYTEST_LINE.findall(output)
    if lines:
        last = lines[-1]
        p = re.search(r"(\d+) passed", last)
        f = [int(n) for n in re.findall(r"(\d+) (?:failed|errors?)", last)]
        return int(p.group(1)) if p else 0, sum(f)
    plain = PLAIN_LINE.findall(output)
    if plain:
        return sum(int(p) for p, _ in plain), sum(int(f) for _, f in plain)
    return None


def run(name, command):
    os.makedirs(LOG_DIR, exist_ok=True)
    start = time.monotonic()
    try:
        proc = subprocess.run(command, shell=True, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=SUITE_TIMEOUT,
                              stdin=subprocess.DEVNULL, check=False)
        output = proc.stdout.decode(errors="replace")
        status = proc.returncode
    except subprocess.TimeoutExpired as exc:
        output = (exc.stdout or b"").decode(errors="replace")
        output += f"\nrunner: {name} timed out after {SUITE_TIMEOUT} s\n"
        status = -1
    with open(os.path.join(LOG_DIR, name + ".log"), "w") as log:
        log.write(f"$ {command}\n{output}")
    counted = count(output)
    passed, failed = counted if counted else (1 if status == 0 else 0, 0)
    if status != 0 and failed == 0:
        failed = 1
    return passed, failed, status, output, time.monotonic() - start


def main(argv):
    total_passed = total_failed = 0
    failures = []
    for spec in argv:
        name, _, command = spec.partition("=")
        passed, failed, status, output, secs = run(name, command)
        total_passed += passed
        total_failed += failed
        verdict = "ok  " if failed == 0 else "FAIL"
        print(f"{verdict} {name:28s} {passed:4d} passed {failed:3d} failed "
              f"{secs:7.1f} s", flush=True)
        if failed:
            failures.append(name)
            lines = output.rstrip().splitlines()
            print(f"---- {name} (exit {status}), last {min(TAIL, len(lines))} lines ----")
            print("\n".join(lines[-TAIL:]))
            print(f"---- end of {name} ----", flush=True)
    if failures:
        print("failed suites: " + " ".join(failures))
    print(f"{total_passed} passed, {total_failed} failed")
    return 1 if total_failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
