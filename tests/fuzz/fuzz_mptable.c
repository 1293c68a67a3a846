// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any bytes as an MP configuration table and as an area holding
 * a floating pointer (arch/x86_64/mptable.c), in a buffer of their exact
 * length. The CPUs it lists fit the room given, are distinct, and there
 * is at least one whenever the table is accepted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mptable.h"

#define ROOM	4	/* small, so that "too many CPUs" is reached */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *t = malloc(size ? size : 1);
	u64 ids[ROOM];
	struct mp_cpus c = { .ids = ids, .max = ROOM };
	const char *bad;
	u32 off, pa;
	u8 dflt;

	if (!t || size > 0xffff)
		goto out;
	memcpy(t, data, size);
	off = mp_fps_find(t, (u32)size);
	if (off != MP_NOT_FOUND) {
		if (off % MP_FPS_ALIGN || off + MP_FPS_LEN > size)
			abort();
		mp_fps_parse(t + off, &pa, &dflt);
		if (dflt && !mp_default_cpus(dflt, &c) && c.nr != 2)
			abort();
	}
	if (size >= MP_TABLE_HDR_LEN && mp_table_len(t) > 0xffff)
		abort();
	bad = mp_table_cpus(t, (u32)size, &c);
	if (c.nr > ROOM || (!bad && !c.nr) || (bad && c.nr))
		abort();
	for (u32 i = 0; i < c.nr; i++)
		for (u32 j = 0; j < i; j++)
			if (ids[i] == ids[j])
				abort();
out:
	free(t);
	return 0;
}
