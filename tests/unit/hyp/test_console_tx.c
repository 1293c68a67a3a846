// SPDX-License-Identifier: MIT
/*
 * The console's queued output (hyp/console.c, struct hyp_console_tx) on
 * the fake arch: a transmitter that takes bytes only when it has room
 * gets every byte the mirror (the fake console) got, in order, "\r\n"
 * included: through its idle pushes, through a full ring (the writer then
 * waits), through the flush before power-off; the arch is told when bytes
 * are left; lines from racing CPUs stay whole while another CPU pushes.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "fake_arch.h"

#define TX_MAX		(1u << 20)
#define FIFO		16
#define BIG_LINES	2000	/* about 60 KiB: the 16 KiB ring fills over and over */
#define RACE_THREADS	4
#define RACE_LINES	400

static pthread_mutex_t tx_lock = PTHREAD_MUTEX_INITIALIZER;
static char tx_buf[TX_MAX];
static size_t tx_len;
static u32 tx_room_calls, tx_every;	/* room only at every tx_every-th call; 0: always */
static bool tx_busy;			/* no room at all */
static u32 kicks;
static size_t mirror_base;		/* the mirror's length when queuing began */

static u32 tx_room(void)
{
	u32 n;

	pthread_mutex_lock(&tx_lock);
	n = tx_busy || (tx_every && ++tx_room_calls % tx_every) ? 0 : FIFO;
	pthread_mutex_unlock(&tx_lock);
	return n;
}

static void tx_put(u8 c)
{
	pthread_mutex_lock(&tx_lock);
	assert_true(tx_len < TX_MAX);
	tx_buf[tx_len++] = (char)c;
	pthread_mutex_unlock(&tx_lock);
}

static void tx_kick(void)
{
	__atomic_fetch_add(&kicks, 1, __ATOMIC_RELAXED);
}

static const struct hyp_console_tx fake_tx = {
	.room = tx_room, .put = tx_put, .kick = tx_kick,
};

static void start_queued(void)
{
	mirror_base = fake_console_len();
	hyp_console_set_output_queued(&fake_tx);
}

/* What the transmitter got is what the mirror got since queuing began. */
static void assert_tx_is_mirror(void)
{
	char *mirror = malloc(TX_MAX);

	assert_non_null(mirror);
	fake_console_copy(mirror, TX_MAX);
	assert_int_equal(tx_len, strlen(mirror) - mirror_base);
	assert_memory_equal(tx_buf, mirror + mirror_base, tx_len);
	free(mirror);
}

static void test_queued_in_order(void **state)
{
	(void)state;
	start_queued();
	hyp_log("hyp: one\n");
	hyp_log("hyp: two %u\n", 2u);
	assert_true(tx_len > 0);
	assert_false(hyp_console_tx_push());
	assert_tx_is_mirror();
	assert_memory_equal(tx_buf + tx_len - 7, "two 2\r\n", 7);
}

/* A busy transmitter: bytes wait, the arch is kicked, pushes send them later. */
static void test_busy_then_pushed(void **state)
{
	(void)state;
	start_queued();
	tx_busy = true;
	for (u32 i = 0; i < 20; i++)
		hyp_log("hyp: line %u of a busy transmitter\n", i);
	assert_int_equal(tx_len, 0);
	assert_true(kicks > 0);
	assert_true(hyp_console_tx_push());
	tx_busy = false;
	while (hyp_console_tx_push())
		;
	assert_tx_is_mirror();
}

/* More than the ring holds from a slow transmitter: the writer waits, nothing is lost. */
static void test_ring_full(void **state)
{
	(void)state;
	start_queued();
	tx_every = 7;
	for (u32 i = 0; i < BIG_LINES; i++)
		hyp_log("hyp: line %u of a slow transmitter ..........\n", i);
	hyp_console_flush();
	assert_false(hyp_console_tx_push());
	assert_tx_is_mirror();
}

static void *race_writer(void *arg)
{
	u32 t = (u32)(uintptr_t)arg;

	for (u32 i = 0; i < RACE_LINES; i++)
		hyp_log("hyp: writer %u line %u\n", t, i);
	return NULL;
}

static void *race_pusher(void *arg)
{
	u32 *stop = arg;

	while (!__atomic_load_n(stop, __ATOMIC_ACQUIRE))
		hyp_console_tx_push();
	return NULL;
}

/* Each writer's lines whole and in order in what the transmitter got. */
static void assert_race_lines(void)
{
	u32 next[RACE_THREADS] = { 0 };
	char *line = tx_buf, *end;

	tx_buf[tx_len] = '\0';
	for (; (end = strstr(line, "\r\n")); line = end + 2) {
		u32 t, i;

		if (sscanf(line, "hyp: writer %u line %u\r", &t, &i) != 2)
			continue;
		assert_true(t < RACE_THREADS);
		assert_int_equal(i, next[t]);
		next[t]++;
	}
	for (u32 t = 0; t < RACE_THREADS; t++)
		assert_int_equal(next[t], RACE_LINES);
}

static void test_race(void **state)
{
	pthread_t w[RACE_THREADS], p;
	u32 stop = 0;

	(void)state;
	start_queued();
	tx_every = 3;
	assert_int_equal(pthread_create(&p, NULL, race_pusher, &stop), 0);
	for (u32 t = 0; t < RACE_THREADS; t++)
		assert_int_equal(pthread_create(&w[t], NULL, race_writer, (void *)(uintptr_t)t), 0);
	for (u32 t = 0; t < RACE_THREADS; t++)
		pthread_join(w[t], NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(p, NULL);
	hyp_console_flush();
	assert_tx_is_mirror();
	assert_race_lines();
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queued_in_order),
		cmocka_unit_test(test_busy_then_pushed),
		cmocka_unit_test(test_ring_full),
		cmocka_unit_test(test_race),
	};

	return FAKE_RUN_TESTS(tests);
}
