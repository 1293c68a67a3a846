// SPDX-License-Identifier: MIT
/*
 * A QEMU TCG plugin: instructions executed per guest PC, counted between
 * two marker PCs, written to a file at exit (tools/profile.py reads it).
 *
 * Arguments: out=FILE, from=ADDR (counting starts the first time any CPU
 * executes ADDR; 0 or absent: from reset), to=ADDR (counting stops the
 * first time any CPU executes ADDR after it started; absent: at exit).
 * Output: "pc count" lines in hex and decimal, then "total N".
 *
 * Debian's QEMU 7.2 does not package qemu-plugin.h: the few API
 * functions used are declared here as QEMU 7.2 defines them (API 1).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QEMU_PLUGIN_EXPORT __attribute__((visibility("default")))
#define QEMU_PLUGIN_API_VERSION 1

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;

enum qemu_plugin_cb_flags {
	QEMU_PLUGIN_CB_NO_REGS,
	QEMU_PLUGIN_CB_R_REGS,
	QEMU_PLUGIN_CB_RW_REGS,
};

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
					  enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags, void *userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv);

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_API_VERSION;

/* One translated block: its instructions' PCs and how often it ran. */
struct tb_record {
	struct tb_record *next;
	uint64_t count;
	size_t n;
	uint64_t pc[];
};

static struct tb_record *records;
static uint64_t from_pc, to_pc;
static bool counting, stopped;
static char out_path[512] = "insn_profile.txt";

static void tb_exec(unsigned int vcpu, void *udata)
{
	struct tb_record *r = udata;

	(void)vcpu;
	if (__atomic_load_n(&counting, __ATOMIC_RELAXED))
		__atomic_fetch_add(&r->count, 1, __ATOMIC_RELAXED);
}

/* A block starting at a marker counts itself: the marker PC starts it. */
static void marker_exec(unsigned int vcpu, void *udata)
{
	uint64_t pc = (uintptr_t)udata;

	(void)vcpu;
	if (pc == to_pc && __atomic_load_n(&counting, __ATOMIC_RELAXED)) {
		__atomic_store_n(&counting, false, __ATOMIC_RELAXED);
		__atomic_store_n(&stopped, true, __ATOMIC_RELAXED);
	} else if (pc == from_pc && !__atomic_load_n(&stopped, __ATOMIC_RELAXED)) {
		__atomic_store_n(&counting, true, __ATOMIC_RELAXED);
	}
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);
	struct tb_record *r = calloc(1, sizeof(*r) + n * sizeof(r->pc[0]));

	(void)id;
	if (!r)
		abort();
	r->n = n;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		r->pc[i] = qemu_plugin_insn_vaddr(insn);
		if ((from_pc && r->pc[i] == from_pc) || (to_pc && r->pc[i] == to_pc))
			qemu_plugin_register_vcpu_insn_exec_cb(insn, marker_exec, QEMU_PLUGIN_CB_NO_REGS,
							       (void *)(uintptr_t)r->pc[i]);
	}
	qemu_plugin_register_vcpu_tb_exec_cb(tb, tb_exec, QEMU_PLUGIN_CB_NO_REGS, r);
	/* Translation runs under QEMU's lock: a plain list push is enough. */
	r->next = records;
	records = r;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Every (pc, count) pair, PCs sorted, equal PCs (retranslations) summed. */
static void write_profile(qemu_plugin_id_t id, void *udata)
{
	size_t total_pcs = 0, k = 0;
	uint64_t *pairs, total = 0;
	FILE *f;

	(void)id, (void)udata;
	for (struct tb_record *r = records; r; r = r->next)
		total_pcs += r->count ? r->n : 0;
	pairs = calloc(total_pcs ? total_pcs : 1, 2 * sizeof(uint64_t));
	f = fopen(out_path, "w");
	if (!pairs || !f)
		abort();
	for (struct tb_record *r = records; r; r = r->next)
		for (size_t i = 0; r->count && i < r->n; i++, k++) {
			pairs[2 * k] = r->pc[i];
			pairs[2 * k + 1] = r->count;
		}
	qsort(pairs, total_pcs, 2 * sizeof(uint64_t), cmp_u64);
	for (k = 0; k < total_pcs; k++) {
		uint64_t pc = pairs[2 * k], count = pairs[2 * k + 1];

		while (k + 1 < total_pcs && pairs[2 * (k + 1)] == pc)
			count += pairs[2 * ++k + 1];
		fprintf(f, "%" PRIx64 " %" PRIu64 "\n", pc, count);
		total += count;
	}
	fprintf(f, "total %" PRIu64 "\n", total);
	fclose(f);
	free(pairs);
}

static int parse_arg(const char *arg)
{
	if (!strncmp(arg, "out=", 4) && strlen(arg + 4) < sizeof(out_path)) {
		strcpy(out_path, arg + 4);
		return 0;
	}
	if (!strncmp(arg, "from=", 5)) {
		from_pc = strtoull(arg + 5, NULL, 0);
		return 0;
	}
	if (!strncmp(arg, "to=", 3)) {
		to_pc = strtoull(arg + 3, NULL, 0);
		return 0;
	}
	fprintf(stderr, "insn_profile: unknown argument '%s'\n", arg);
	return -1;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
					   int argc, char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++)
		if (parse_arg(argv[i]))
			return -1;
	counting = !from_pc;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, write_profile, NULL);
	return 0;
}
