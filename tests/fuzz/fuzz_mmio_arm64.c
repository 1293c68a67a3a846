// SPDX-License-Identifier: MIT
/*
 * libFuzzer: any Data Abort syndrome and device value through the arm64
 * MMIO decode (arch/arm64/mmio_decode.h). Input: ESR (8 bytes LE), value
 * (8 bytes LE). A decoded access is 1, 2, 4 or 8 bytes to X0-X30 or XZR,
 * and a load leaves what the architecture says in the register (both
 * arm64_mmio_load_value() and arm64_mmio_load_raw()).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mmio_decode.h"

static u64 expected_load(const struct arm64_mmio *m, u64 val)
{
	u32 bits = m->size * 8;
	u64 v = bits == 64 ? val : val & ((1ull << bits) - 1);

	if (m->sign_extend && bits < 64 && (v >> (bits - 1)) & 1)
		v |= ~0ull << bits;
	return m->sixty_four ? v : (u32)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arm64_mmio m;
	u64 esr, val, mask;

	if (size < 16)
		return 0;
	memcpy(&esr, data, 8);
	memcpy(&val, data + 8, 8);
	if (!arm64_mmio_decode(esr, &m))
		return 0;
	if ((m.size != 1 && m.size != 2 && m.size != 4 && m.size != 8) || m.reg > 31)
		abort();
	mask = m.size == 8 ? ~0ull : (1ull << (m.size * 8)) - 1;
	if (arm64_mmio_load_value(&m, val & mask) != expected_load(&m, val))
		abort();
	if (arm64_mmio_load_raw(esr, val) != expected_load(&m, val))
		abort();
	return 0;
}
