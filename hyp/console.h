/* SPDX-License-Identifier: MIT */
/*
 * The console and the fatal-error path. hyp_log(), hyp_panic(), memset()
 * and memcpy() are what the walker's platform header (mmu/plat/hyp/
 * pt_plat.h) asks of the hypervisor; hyp_this_cpu() comes from arch/.
 *
 * Console input belongs to one emulated UART at a time (the first added,
 * if the machine's console can receive at all); Ctrl-A pressed three
 * times in a row moves it to the next one that can hold it, then to none
 * (the hypervisor, which drops what it gets), then round again, each move announced by a
 * line of the hypervisor's. One or two Ctrl-A followed by anything else
 * reach the holder as data, just before that byte.
 */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include <stdarg.h>

#include "pt_plat.h"
#include "types.h"

/* The hypervisor's log and fatal-error path (also what mmu/ calls). */
void hyp_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void hyp_panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Where characters go: a polled UART driver. */
void hyp_console_set_output(void (*putc)(char c));
/*
 * Optional, a whole line at once (no call per character): @puts sends each
 * '\n' as "\r\n", as the hypervisor's lines go through @putc.
 */
void hyp_console_set_output_str(void (*puts)(const char *s));
/*
 * A transmitter that is not waited for: the console's bytes are queued
 * and go out as it has room. With @putc also set, each byte goes there
 * at once too (a mirror, such as a debug port).
 */
struct hyp_console_tx {
	u32 (*room)(void);	/* bytes it takes now without waiting; 0: busy */
	void (*put)(u8 c);	/* one of them */
	bool (*idle)(void);	/* all sent (power-off waits for it); NULL: nothing to wait for */
	/* Optional: bytes are left queued; make this CPU call hyp_console_tx_push() soon. */
	void (*kick)(void);
};
void hyp_console_set_output_queued(const struct hyp_console_tx *tx);
/*
 * Queued bytes to the transmitter as it has room (returns at once if
 * another CPU is at it); whether bytes are still queued. Inline up to
 * the test for a queued output: idle paths call it on every arch.
 */
extern const struct hyp_console_tx *hyp_console_queued;
bool hyp_console_tx_send_queued(void);
static inline bool hyp_console_tx_push(void)
{
	return hyp_console_queued && hyp_console_tx_send_queued();
}
/* Every queued byte out, waiting for the transmitter: before power-off. */
void hyp_console_flush(void);
/* Where received characters come from: a non-blocking read, -1 when there is none. */
void hyp_console_set_input(int (*getc)(void));
/* What hyp_panic() calls last: powers the machine off, does not return. */
void hyp_set_power_off(void (*power_off)(void));
/*
 * Serialise lines between CPUs from now on. Called once the MMU is on:
 * before that, exclusive accesses would be made to Device memory.
 */
void hyp_console_smp_enable(void);

void hyp_vlog(const char *fmt, va_list ap);

#define HYP_CONSOLE_MAX_INPUTS	8
#define HYP_CONSOLE_SWITCH_CHAR	0x01	/* Ctrl-A */
#define HYP_CONSOLE_SWITCH_PRESSES 3

/* An emulated UART that can hold console input. */
struct hyp_console_input {
	const char *name;	/* in the switch line */
	const void *owner;	/* what hyp_console_input_owner() gives while it holds input */
	/* A byte received while it holds input. */
	void (*receive)(struct hyp_console_input *in, u8 c);
	/* Input moved to or from it: its partial lines go out before the switch line. */
	void (*switched)(struct hyp_console_input *in);
	/* Whether it may be switched to (its VM still runs); NULL: always. */
	bool (*can_hold)(const struct hyp_console_input *in);
};

/* Another UART in the switching order; -ENOMEM past HYP_CONSOLE_MAX_INPUTS. */
int hyp_console_input_add(struct hyp_console_input *in);
/* The owner of the input holder, NULL if none holds it. */
const void *hyp_console_input_owner(void);
/*
 * Take what the console received (a bounded number of bytes) to the
 * holder, switching on Ctrl-A x3; returns at once if another CPU is at it.
 */
void hyp_console_poll(void);
/*
 * @len bytes of @line's output written as they are (a lone '\n' as
 * "\r\n"), "[@name] " first unless @line's last write left its line open.
 * Any other console line ends an open one first, so lines never mix.
 */
void hyp_console_write_raw(const void *line, const char *name, const char *s, u32 len);

#endif
