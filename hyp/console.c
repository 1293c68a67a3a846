// SPDX-License-Identifier: MIT
/*
 * Console output and input through hooks, input switching, and hyp_panic().
 * A queued output (hyp_console_set_output_queued()) takes the bytes of
 * the lines into a ring under console_lock, as Xen's serial transmit
 * buffer does: no CPU waits for a slow transmitter unless the ring is
 * full, and the ring drains as the transmitter has room (every console
 * write, an idle CPU, the arch's kick) and wholly before power-off.
 */
#include <stdarg.h>

#include "atomic.h"
#include "console.h"
#include "hyp.h"
#include "printf.h"

#define HYP_LOG_LINE	256
#define PANIC_LOCK_SPINS 1000000u
#define CONSOLE_POLL_MAX	64	/* bytes a poll takes: a flood cannot hold a CPU */
#define CONSOLE_TX_RING		16384u	/* a power of two */
#define CONSOLE_TX_SPINS	100000u	/* a transmitter that never has room: send anyway */

static void (*console_putc)(char c);
static void (*console_puts)(const char *s);
static int (*console_getc)(void);
static void (*console_power_off)(void);
const struct hyp_console_tx *hyp_console_queued;
/* Under console_lock: bytes [tail, head) are queued; the text needs no clearing. */
static u32 console_tx_head, console_tx_tail;
static char console_tx_ring[CONSOLE_TX_RING] HYP_NOT_CLEARED;
static bool console_smp;
static u32 console_panicking;
static struct pt_spinlock console_lock;
/* The line whose raw output is on the terminal unfinished; under console_lock. */
static const void *console_raw_open;
static char console_raw_last;

/* Under input_lock, but input_holder is also read without it. */
static struct pt_spinlock input_lock;
static struct hyp_console_input *inputs[HYP_CONSOLE_MAX_INPUTS];
static u32 nr_inputs;
static struct hyp_console_input *input_holder;	/* NULL: the hypervisor */
static u32 input_presses;			/* Ctrl-A in a row, held back */

void hyp_console_set_output(void (*putc)(char c))
{
	console_putc = putc;
}

void hyp_console_set_output_str(void (*puts)(const char *s))
{
	console_puts = puts;
}

void hyp_console_set_output_queued(const struct hyp_console_tx *tx)
{
	hyp_console_queued = tx;
	__atomic_fetch_or(&hyp_idle_chores, HYP_CHORE_CONSOLE_TX, __ATOMIC_RELEASE);
}

void hyp_console_set_input(int (*getc)(void))
{
	console_getc = getc;
}

void hyp_set_power_off(void (*power_off)(void))
{
	console_power_off = power_off;
}

void hyp_console_smp_enable(void)
{
	console_smp = true;
}

/* Under console_lock; hyp_console_tx_push() peeks at head and tail without it. */
static void console_tx_put_next(void)
{
	hyp_console_queued->put((u8)console_tx_ring[console_tx_tail % CONSOLE_TX_RING]);
	__atomic_store_n(&console_tx_tail, console_tx_tail + 1, __ATOMIC_RELAXED);
}

/* Under console_lock: what the transmitter takes now. */
static void console_tx_send(void)
{
	u32 room = hyp_console_queued->room();

	for (; room && console_tx_tail != console_tx_head; room--)
		console_tx_put_next();
}

/* Under console_lock: one byte out of the ring, waiting (boundedly) for room. */
static void console_tx_send_one(void)
{
	for (u32 i = 0; i < CONSOLE_TX_SPINS && !hyp_console_queued->room(); i++)
		pt_cpu_relax();
	console_tx_put_next();
}

/* Under console_lock, the ring (nearly) full: what the transmitter takes, then waits. */
static void __attribute__((noinline, cold)) console_tx_make_room(u32 need)
{
	console_tx_send();
	while (CONSOLE_TX_RING - (console_tx_head - console_tx_tail) < need)
		console_tx_send_one();
}

static void console_tx_queue(char c)
{
	if (console_tx_head - console_tx_tail == CONSOLE_TX_RING)
		console_tx_make_room(1);
	console_tx_ring[console_tx_head % CONSOLE_TX_RING] = c;
	__atomic_store_n(&console_tx_head, console_tx_head + 1, __ATOMIC_RELAXED);
}

/* Under console_lock: @s queued, each '\n' as "\r\n"; the head kept in a register. */
static void console_tx_queue_str(const char *s)
{
	u32 head = console_tx_head, room = CONSOLE_TX_RING - (head - console_tx_tail);

	for (; *s; s++) {
		if (room < 2) {
			__atomic_store_n(&console_tx_head, head, __ATOMIC_RELAXED);
			console_tx_make_room(2);
			room = CONSOLE_TX_RING - (head - console_tx_tail);
		}
		if (*s == '\n') {
			console_tx_ring[head++ % CONSOLE_TX_RING] = '\r';
			room--;
		}
		console_tx_ring[head++ % CONSOLE_TX_RING] = *s;
		room--;
	}
	__atomic_store_n(&console_tx_head, head, __ATOMIC_RELAXED);
}

/* One byte to every output: the direct one (a mirror, if both) and the queue. */
static void console_out(char c)
{
	if (console_putc)
		console_putc(c);
	if (hyp_console_queued)
		console_tx_queue(c);
}

/* Under console_lock, after a write: what fits goes out; the rest, the arch is told. */
static void console_tx_kick(void)
{
	if (!hyp_console_queued)
		return;
	console_tx_send();
	if (console_tx_tail != console_tx_head && hyp_console_queued->kick)
		hyp_console_queued->kick();
}

static void console_write(const char *s)
{
	if (console_puts) {
		console_puts(s);
	} else if (console_putc) {
		for (const char *p = s; *p; p++) {
			if (*p == '\n')
				console_putc('\r');
			console_putc(*p);
		}
	}
	if (hyp_console_queued)
		console_tx_queue_str(s);
}

/* A panicking CPU waits a while for the lock, then prints anyway. */
static bool console_try_lock(u32 spins)
{
	while (__atomic_exchange_n(&console_lock.locked, 1, __ATOMIC_ACQUIRE)) {
		if (!spins--)
			return false;
		pt_cpu_relax();
	}
	return true;
}

static bool console_lock_take(bool panic)
{
	if (!console_smp)
		return false;
	return console_try_lock(panic ? PANIC_LOCK_SPINS : ~0u);
}

static void console_lock_drop(bool locked)
{
	console_tx_kick();
	if (locked)
		pt_spin_unlock(&console_lock);
}

/* A line of another's begins: an unfinished raw line ends first. */
static void console_raw_close(void)
{
	if (console_raw_open) {
		console_out('\r');
		console_out('\n');
	}
	console_raw_open = NULL;
}

static void console_emit(const char *line, bool panic)
{
	bool locked = console_lock_take(panic);

	console_raw_close();
	console_write(line);
	console_lock_drop(locked);
}

void hyp_console_write_raw(const void *line, const char *name, const char *s, u32 len)
{
	bool locked;

	if (!len)
		return;
	locked = console_lock_take(false);
	if (console_raw_open != line) {
		console_raw_close();
		console_write("[");
		console_write(name);
		console_write("] ");
		console_raw_last = '\0';
	}
	for (u32 i = 0; i < len; i++) {
		if (s[i] == '\n' && console_raw_last != '\r')
			console_out('\r');
		console_out(s[i]);
		console_raw_last = s[i];
	}
	console_raw_open = s[len - 1] == '\n' ? NULL : line;
	console_lock_drop(locked);
}

void hyp_vlog(const char *fmt, va_list ap)
{
	char line[HYP_LOG_LINE];

	hyp_vsnprintf(line, sizeof(line), fmt, ap);
	console_emit(line, false);
}

void hyp_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hyp_vlog(fmt, ap);
	va_end(ap);
}

static void console_input_announce(const struct hyp_console_input *in)
{
	if (in)
		hyp_log("hyp: console input: %s (Ctrl-A three times to switch)\n", in->name);
	else
		hyp_log("hyp: console input: none, dropped (Ctrl-A three times to switch)\n");
}

int hyp_console_input_add(struct hyp_console_input *in)
{
	int ret = -ENOMEM;

	pt_spin_lock(&input_lock);
	if (nr_inputs < HYP_CONSOLE_MAX_INPUTS) {
		inputs[nr_inputs] = in;
		__atomic_store_n(&nr_inputs, nr_inputs + 1, __ATOMIC_RELEASE);
		ret = 0;
		if (nr_inputs == 1 && console_getc) {
			__atomic_store_n(&input_holder, in, __ATOMIC_RELEASE);
			console_input_announce(in);
		}
	}
	pt_spin_unlock(&input_lock);
	return ret;
}

const void *hyp_console_input_owner(void)
{
	const struct hyp_console_input *in = __atomic_load_n(&input_holder, __ATOMIC_ACQUIRE);

	return in ? in->owner : NULL;
}

/* The next in the order after @in that can hold input; none after the last, the first after none. */
static struct hyp_console_input *console_input_next(const struct hyp_console_input *in)
{
	u32 i = 0;

	if (in)
		while (inputs[i] != in)
			i++;
	for (i = in ? i + 1 : 0; i < nr_inputs; i++)
		if (!inputs[i]->can_hold || inputs[i]->can_hold(inputs[i]))
			return inputs[i];
	return NULL;
}

/* From now on the new holder's output is raw, the old one's escaped (hyp/vm.c). */
static void console_input_switch(void)
{
	struct hyp_console_input *old = input_holder, *new = console_input_next(old);

	__atomic_store_n(&input_holder, new, __ATOMIC_RELEASE);
	if (old)
		old->switched(old);
	if (new)
		new->switched(new);
	console_input_announce(new);
}

static void console_input_deliver(u8 c)
{
	if (input_holder)
		input_holder->receive(input_holder, c);
}

static void console_input_byte(u8 c)
{
	if (c == HYP_CONSOLE_SWITCH_CHAR) {
		if (++input_presses == HYP_CONSOLE_SWITCH_PRESSES) {
			input_presses = 0;
			console_input_switch();
		}
		return;
	}
	for (; input_presses; input_presses--)
		console_input_deliver(HYP_CONSOLE_SWITCH_CHAR);
	console_input_deliver(c);
}

void hyp_console_poll(void)
{
	int (*getc)(void) = console_getc;

	if (!getc || !__atomic_load_n(&nr_inputs, __ATOMIC_RELAXED) ||
	    __atomic_exchange_n(&input_lock.locked, 1, __ATOMIC_ACQUIRE))
		return;
	for (u32 i = 0; i < CONSOLE_POLL_MAX; i++) {
		int c = getc();

		if (c < 0)
			break;
		console_input_byte((u8)c);
	}
	pt_spin_unlock(&input_lock);
}

static bool console_tx_queued(void)
{
	return hyp_console_queued && __atomic_load_n(&console_tx_head, __ATOMIC_RELAXED) !=
			     __atomic_load_n(&console_tx_tail, __ATOMIC_RELAXED);
}

bool hyp_console_tx_send_queued(void)
{
	if (!console_tx_queued())
		return false;
	if (!console_smp) {
		console_tx_send();
	} else if (!__atomic_exchange_n(&console_lock.locked, 1, __ATOMIC_ACQUIRE)) {
		console_tx_send();	/* else the holder sends as it drops the lock */
		pt_spin_unlock(&console_lock);
	}
	return console_tx_queued();
}

void hyp_console_flush(void)
{
	bool locked;

	if (!hyp_console_queued)
		return;
	locked = console_lock_take(true);
	while (console_tx_tail != console_tx_head)
		console_tx_send_one();
	for (u32 i = 0; hyp_console_queued->idle && i < CONSOLE_TX_SPINS &&
			!hyp_console_queued->idle(); i++)
		pt_cpu_relax();
	console_lock_drop(locked);
}

static void __attribute__((noreturn)) hyp_stop(void)
{
	hyp_console_flush();
	if (console_power_off)
		console_power_off();
	for (;;)
		pt_cpu_relax();
}

/* No atomics before the MMU is on: memory is Device memory then. */
static u32 panic_enter(void)
{
	if (!console_smp)
		return console_panicking++;
	return __atomic_fetch_add(&console_panicking, 1, __ATOMIC_RELAXED);
}

void hyp_panic(const char *fmt, ...)
{
	char line[HYP_LOG_LINE];
	va_list ap;
	int n;

	/* Panics within panics (say the power-off hook faulted): stop. */
	if (panic_enter() > 1)
		for (;;)
			pt_cpu_relax();
	n = hyp_snprintf(line, sizeof(line), "hyp: panic on cpu %u: ", hyp_this_cpu());
	va_start(ap, fmt);
	hyp_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	console_emit(line, true);
	hyp_stop();
}
