/* SPDX-License-Identifier: MIT */
/* The arch-neutral boot flow (hyp/main.c) and what it asks of arch/<arch>/. */
#ifndef HYP_HYP_H
#define HYP_HYP_H

#include "arch/cpu.h"
#include "arch/irq.h"
#include "boot.h"
#include "config.h"
#include "types.h"

#define HYP_CPU_ON_TIMEOUT_US	10000000ull

#endif
