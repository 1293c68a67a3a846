/* SPDX-License-Identifier: MIT */
/*
 * The "handover" guest (docs/guests.md): a stand-in for a user's own
 * kernel, never built into the hypervisor. The boot loader hands it over
 * like a Linux kernel; it checks and prints what it was given. The arch
 * part (guest-images/<arch>/handover_start.S and handover_arch.c) enters
 * by the arch's Linux boot protocol and fills a struct handover_entry.
 */
#ifndef GUEST_HANDOVER_H
#define GUEST_HANDOVER_H

#include "lib.h"

struct fdt;

struct handover_entry {
	u64 count;		/* the counter, read by the image's first instruction */
	u64 dtb;		/* the device tree the boot protocol points at */
	u64 self;		/* where the image's first byte is */
	const char *bad;	/* NULL, or what is wrong with the entry state */
	/* NULL, or the arch's checks of the tree: NULL, or what is wrong with it. */
	const char *(*check_tree)(const struct fdt *fdt);
};

/* The arch-neutral checks and lines (guest-images/common/handover.c); powers off. */
void handover_main(const struct handover_entry *e);

#endif
