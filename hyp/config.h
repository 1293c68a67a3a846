/* SPDX-License-Identifier: MIT */
/* Build-time limits, shared by C and assembly (no C in here). */
#ifndef HYP_CONFIG_H
#define HYP_CONFIG_H

#define HYP_MAX_CPUS		16
#define HYP_STACK_SIZE		0x4000	/* per CPU */

#endif
