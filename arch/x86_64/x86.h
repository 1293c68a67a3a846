/* SPDX-License-Identifier: MIT */
/* x86-64 instructions the hypervisor uses, as inline functions. */
#ifndef ARCH_X86_64_X86_H
#define ARCH_X86_64_X86_H

#include "types.h"
#include "x86_regs.h"

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port));
}

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port));
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (u64)hi << 32 | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" :: "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (u64)hi << 32 | lo;
}

#define read_cr(n) ({ u64 __v; __asm__ volatile("mov %%cr" #n ", %0" : "=r"(__v)); __v; })
#define write_cr(n, v) __asm__ volatile("mov %0, %%cr" #n :: "r"((u64)(v)) : "memory")

static inline void cpu_relax(void)
{
	__asm__ volatile("pause" ::: "memory");
}

/* The logical CPU index, at offset 0 of the per-CPU block GS points to (cpu.c). */
static inline u32 x86_this_cpu(void)
{
	u32 cpu;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(cpu));
	return cpu;
}

#endif
