// SPDX-License-Identifier: MIT
/*
 * The paging modes, chosen once on the boot hart before the hypervisor's
 * stage 1 is built: Sv48 for stage 1 and Sv48x4 for the G-stage where the
 * hart has them, else Sv39 and Sv39x4; and the most a guest's own vsatp
 * may use, which its device tree's mmu-type then says (guest_dt.c).
 *
 * The boot tree's /cpus/cpu@N/mmu-type is the board's word and a bound
 * (Documentation/devicetree/bindings/riscv/cpus.yaml); under it each mode
 * is probed the way the Privileged Architecture allows: a write of a mode
 * the hart lacks leaves satp (4.1.11) or hgatp (8.2.10) unchanged, and
 * vsatp written with V = 0 (8.2.18) unchanged or made legal (WARL), so a
 * mode that reads back is one the hart has. satp takes effect at once, so
 * its probe runs on an identity map of the lower half (below).
 */
#include "console.h"
#include "csr.h"
#include "fdt.h"
#include "pte.h"
#include "riscv64.h"
#include "lib/string.h"

#define PROBE_ROOT_PTES		512		/* a 4 KiB table of 8-byte entries */
#define PROBE_ROOT_MAPPED	256		/* the lower half: VA = PA below 2^47 */
#define SV48_ROOT_LEAF_SHIFT	39		/* a root leaf of Sv48 maps 512 GiB (4.5) */
#define PROBE_LEAF		(RISCV_PTE_V | RISCV_PTE_RWX | RISCV_PTE_A | RISCV_PTE_D)

struct riscv_mmu_modes riscv_mmu = {
	.s1 = RISCV_LEVELS_SV39, .g = RISCV_LEVELS_SV39, .vs = RISCV_LEVELS_SV39,
};

static u64 probe_root[PROBE_ROOT_PTES] __attribute__((aligned(4096)));

u64 riscv_satp_mode(u32 levels)
{
	return levels + SATP_MODE_LEVELS_BASE;
}

static u32 mmu_type_levels(const char *s)
{
	if (!strcmp(s, "riscv,sv39"))
		return RISCV_LEVELS_SV39;
	if (!strcmp(s, "riscv,sv48"))
		return RISCV_LEVELS_SV48;
	if (!strcmp(s, "riscv,sv57"))
		return RISCV_LEVELS_SV57;
	return 0;
}

static bool is_cpu(const struct fdt *fdt, int node)
{
	const char *s;

	return !fdt_prop_string(fdt, node, "device_type", &s, NULL) && !strcmp(s, "cpu") &&
	       fdt_is_available(fdt, node);
}

/* The fewest levels the mmu-type of any available hart allows (none said: Sv57). */
static u32 dt_mmu_levels(const struct fdt *fdt)
{
	int cpus = fdt_path(fdt, "/cpus", 5), node;
	u32 cap = RISCV_LEVELS_SV57, levels;
	const char *s;

	if (cpus < 0)
		return cap;
	for (node = fdt_first_child(fdt, cpus); node >= 0; node = fdt_next_sibling(fdt, node)) {
		if (!is_cpu(fdt, node) || fdt_prop_string(fdt, node, "mmu-type", &s, NULL))
			continue;
		levels = mmu_type_levels(s);
		if (!levels)
			hyp_log("hyp: /cpus/%s: mmu-type \"%s\" is none of riscv,sv39, riscv,sv48, "
				"riscv,sv57: ignored\n", fdt_node_name(fdt, node), s);
		else if (levels < cap)
			cap = levels;
	}
	return cap;
}

/* Sv48 in satp, under a table of 512 GiB leaves mapping VA = PA. Translation is off. */
static bool satp_has_sv48(void)
{
	u64 root_pa = (u64)(uintptr_t)probe_root;
	u64 want = SATP_MODE_SV48 << SATP_MODE_SHIFT | (root_pa >> RISCV_PAGE_SHIFT), got;

	for (u64 i = 0; i < PROBE_ROOT_MAPPED; i++)
		probe_root[i] = PROBE_LEAF | (i << SV48_ROOT_LEAF_SHIFT >> RISCV_PAGE_SHIFT
					      << RISCV_PTE_PPN_SHIFT);
	__asm__ volatile("fence rw, rw\n\tsfence.vma" ::: "memory");
	csr_write(satp, want);
	got = csr_read(satp);
	csr_write(satp, 0);
	__asm__ volatile("sfence.vma" ::: "memory");
	return got == want;
}

static bool hgatp_has(u64 mode)
{
	u64 old = csr_read(hgatp), got;

	csr_write(hgatp, mode << SATP_MODE_SHIFT);
	got = csr_read(hgatp) >> SATP_MODE_SHIFT;
	csr_write(hgatp, old);
	return got == mode;
}

/* vsatp acts only with V = 1: written here it translates nothing. */
static bool vsatp_has(u64 mode)
{
	u64 old = csr_read(vsatp), got;

	csr_write(vsatp, mode << SATP_MODE_SHIFT);
	got = csr_read(vsatp) >> SATP_MODE_SHIFT;
	csr_write(vsatp, old);
	return got == mode;
}

static u32 vsatp_levels(u32 cap)
{
	for (u32 levels = cap; levels > RISCV_LEVELS_SV39; levels--)
		if (vsatp_has(riscv_satp_mode(levels)))
			return levels;
	return RISCV_LEVELS_SV39;
}

void riscv_mmu_modes_init(const struct fdt *fdt)
{
	u32 cap = fdt ? dt_mmu_levels(fdt) : RISCV_LEVELS_SV57;

	if (cap >= RISCV_LEVELS_SV48 && satp_has_sv48())
		riscv_mmu.s1 = RISCV_LEVELS_SV48;
	if (riscv_mmu.s1 == RISCV_LEVELS_SV48 && hgatp_has(HGATP_MODE_SV48X4))
		riscv_mmu.g = RISCV_LEVELS_SV48;
	riscv_mmu.vs = vsatp_levels(cap);
	hyp_log("hyp: MMU: stage 1 Sv%u, G-stage Sv%ux4%s, guests up to Sv%u\n",
		riscv_va_bits(riscv_mmu.s1), riscv_va_bits(riscv_mmu.g),
		riscv_mmu.g == RISCV_LEVELS_SV48 ? " (Sv39x4 for VMs below 2^41)" : "",
		riscv_va_bits(riscv_mmu.vs));
}
