#!/bin/sh
# The riscv64 disk: as tools/mkdisk-arm64.sh (the same layout, boot.scr
# and booti), with the script image marked for RISC-V.
# Usage: tools/mkdisk-riscv64.sh IMAGE DISK [BOOT_CMD [FILE=NAME...]]
MKIMAGE_ARCH=riscv exec "$(dirname "$0")/mkdisk-arm64.sh" "$@"
