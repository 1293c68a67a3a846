// SPDX-License-Identifier: MIT
/* The hosted platform's one definition: which "CPU" this thread is. */
#include "pt_plat.h"

_Thread_local unsigned int pt_host_cpu;
