// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any command line through hyp/bootargs.c. A value is never
 * longer than BOOTARG_MAX - 1 bytes, a number is all digits and in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootargs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *args = malloc(size + 1), val[BOOTARG_MAX];
	u32 n = 0;

	if (!args)
		return 0;
	memcpy(args, data, size);
	args[size] = '\0';
	if (bootarg_get(args, "config=", val) && strlen(val) >= BOOTARG_MAX)
		abort();
	if (!bootarg_u32(args, "vcpus=", 1, 16, &n) && (n < 1 || n > 16))
		abort();
	if (!bootarg_u32(args, "x=", 0, 0xffffffffu, &n) && !bootarg_get(args, "x=", val))
		abort();
	free(args);
	return 0;
}
