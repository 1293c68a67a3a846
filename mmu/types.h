/* SPDX-License-Identifier: MIT */
#ifndef MMU_TYPES_H
#define MMU_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

#define BIT(n)			(1ull << (n))
#define GENMASK(hi, lo)		((~0ull >> (63 - (hi))) & ~((1ull << (lo)) - 1))
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define ALIGN_DOWN(x, a)	((x) & ~((u64)(a) - 1))
#define ALIGN_UP(x, a)		ALIGN_DOWN((x) + (a) - 1, (a))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define IS_ALIGNED(x, a)	(((x) & ((u64)(a) - 1)) == 0)
#define MIN(a, b)		((a) < (b) ? (a) : (b))
#define MAX(a, b)		((a) > (b) ? (a) : (b))

#define EPERM	1
#define ENOENT	2
#define E2BIG	7
#define ENOEXEC	8
#define EAGAIN	11
#define EFAULT	14
#define ENOMEM	12
#define ENODEV	19
#define EBUSY	16
#define EEXIST	17
#define EINVAL	22
#define ENOSPC	28
#define ERANGE	34
#define ENOSYS	38

#endif
