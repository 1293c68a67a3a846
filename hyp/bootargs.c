// SPDX-License-Identifier: MIT
/* The hypervisor's command line (hyp/bootargs.h): nothing in it is trusted. */
#include "bootargs.h"
#include "lib/string.h"

bool bootarg_get(const char *args, const char *key, char val[BOOTARG_MAX])
{
	size_t klen = strlen(key);
	u32 n = 0;

	for (const char *p = args; p && *p; p++) {
		if ((p != args && p[-1] != ' ') || strncmp(p, key, klen))
			continue;
		for (p += klen; *p && *p != ' ' && n < BOOTARG_MAX - 1; p++)
			val[n++] = *p;
		val[n] = '\0';
		return true;
	}
	return false;
}

int bootarg_u32(const char *args, const char *key, u32 min, u32 max, u32 *out)
{
	char val[BOOTARG_MAX];
	u64 n = 0;

	if (!bootarg_get(args, key, val))
		return -ENOENT;
	if (!val[0])
		return -EINVAL;
	for (const char *p = val; *p; p++) {
		if (*p < '0' || *p > '9')
			return -EINVAL;
		n = n * 10 + (u64)(*p - '0');
		if (n > max)
			return -EINVAL;
	}
	if (n < min)
		return -EINVAL;
	*out = (u32)n;
	return 0;
}
