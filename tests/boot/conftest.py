# SPDX-License-Identifier: MIT
"""Fixtures for booting the hypervisor of $ARCH (platforms.py) and reading
its console.

Nothing here skips: a missing tool or firmware fails the test and names
the Debian package that provides it. A test marked
@pytest.mark.needs("FIELD") is deselected unless the platform's FIELD is set.
"""
import os
import shutil
import subprocess
import sys
from types import SimpleNamespace

import pytest

import platforms
from console import Console

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("O", "build")
sys.path.insert(0, os.path.join(ROOT, "tools"))
import handover as handover_tool  # noqa: E402  tools/handover.py


def require_tool(name, package):
    path = shutil.which(name)
    if not path:
        pytest.fail(f"{name} is missing: install the Debian package {package}")
    return path


def require_file(path, package):
    if not os.path.isfile(path):
        pytest.fail(f"{path} is missing: install the Debian package {package}")
    return path


def pytest_configure(config):
    config.addinivalue_line("markers", "needs(field): only for platforms whose field is set")
    try:
        config.platform = platforms.current()
    except KeyError as e:
        raise pytest.UsageError(e.args[0]) from None


def pytest_report_header(config):
    return f"platform: {config.platform.arch} ({config.platform.emulator})"


def pytest_collection_modifyitems(config, items):
    """Deselect the tests whose platform lacks a feature they need."""
    def has_all(item):
        return all(getattr(config.platform, m.args[0]) is not None
                   for m in item.iter_markers("needs"))

    dropped = [item for item in items if not has_all(item)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if has_all(item)]


@pytest.fixture(scope="session")
def platform(pytestconfig):
    return pytestconfig.platform


def make(target, *outputs):
    """Build @target; the paths of its @outputs below $O, which must exist."""
    proc = subprocess.run(["make", "-C", ROOT, f"O={BUILD}", target],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True, check=False)
    if proc.returncode != 0:
        pytest.fail(f"make {target} failed ({proc.returncode}):\n{proc.stdout}")
    paths = [os.path.join(ROOT, BUILD, out) for out in outputs]
    for path in paths:
        if not os.path.isfile(path):
            pytest.fail(f"make {target} succeeded but {path} does not exist")
    return paths


@pytest.fixture(scope="session")
def hyp_image(platform):
    """Build the image once per session; its path."""
    for tool, package in {**platform.tools, platform.emulator: platform.emulator_package}.items():
        require_tool(tool, package)
    return make(platform.make_target, platform.image)[0]


@pytest.fixture(scope="session")
def handover_guest(platform, hyp_image):
    """The test guest handed over at boot (guest-images/common/handover.h):
    .elf and .image (with the arch's Linux Image header)."""
    h = platform.handover
    elf, image = make(h.guest_target, h.guest_elf, h.guest_image)
    return SimpleNamespace(elf=elf, image=image)


@pytest.fixture
def handover(platform, hyp_image, qemu, tmp_path):
    """handover(vms, smp=None, mem=None, edit=None, uboot=False): the
    hypervisor running with @vms (tools/handover.py VMs) handed over, by
    the emulator's loaders or, with @uboot, by the platform's loader from a
    disk; @edit(plan) may change the plan first (bad-input tests)."""
    require_tool("fdtput", "device-tree-compiler")

    def start(vms, smp=None, mem=None, edit=None, uboot=False):
        try:
            plan = handover_tool.plan(platform, hyp_image, vms, smp, mem, uboot=uboot)
            if edit:
                edit(plan)
            if not uboot:
                return qemu(handover_tool.qemu_argv(plan, str(tmp_path)))
            loader = platform.loader
            require_file(loader.firmware, loader.package)
            for tool, package in loader.tools.items():
                require_tool(tool, package)
            disk = str(tmp_path / "disk.img")
            handover_tool.make_disk(plan, disk, str(tmp_path))
            return qemu(handover_tool.uboot_argv(plan, disk))
        except handover_tool.HandoverError as e:
            pytest.fail(f"tools/handover.py: {e.args[0]}", pytrace=False)

    return start


@pytest.fixture
def qemu(platform):
    """qemu(argv) starts a Console; every one started is stopped afterwards."""
    started = []

    def start(argv):
        console = Console(argv, ROOT, platform.exit_status, platform.exit_banner)
        started.append(console)
        return console

    yield start
    for console in started:
        console.stop()


@pytest.fixture
def boot(platform, hyp_image, qemu):
    """boot(smp, bootargs=None, mem_mib=512, machine=None, icount=False, modules=()):
    the image running; with @icount, under the platform's icount arguments
    (virtual time is instructions: a guest may time things, deterministically);
    with @modules ((file, words) pairs) as boot modules."""
    def start(smp, bootargs=None, mem_mib=512, machine=None, icount=False, modules=()):
        argv = platform.argv(smp, mem_mib, hyp_image, bootargs, machine, modules)
        return qemu(argv + (list(platform.icount) if icount else []))

    return start
