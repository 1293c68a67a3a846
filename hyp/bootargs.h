/* SPDX-License-Identifier: MIT */
/* The hypervisor's command line: space-separated "key=value" words. */
#ifndef HYP_BOOTARGS_H
#define HYP_BOOTARGS_H

#include "types.h"

#define BOOTARG_MAX		16	/* a value's bytes, its NUL included */

/*
 * The value of the first word "@key..." in @args (NULL: empty; @key ends
 * with its '='), into @val, cut to BOOTARG_MAX - 1 bytes. False if absent.
 */
bool bootarg_get(const char *args, const char *key, char val[BOOTARG_MAX]);
/*
 * The decimal value of @key in [@min, @max]: 0 and *@out; -ENOENT if
 * absent; -EINVAL if not all digits or out of range (*@out untouched).
 */
int bootarg_u32(const char *args, const char *key, u32 min, u32 max, u32 *out);

#endif
