// SPDX-License-Identifier: MIT
/*
 * The "echo" guest, for console input: it prints a ready line holding an
 * escape sequence (the hypervisor passes it raw from the VM that holds
 * console input and shows it escaped from any other), then reads lines
 * from its UART, a CR or LF ending each, and prints "echo: LINE" for each
 * one that is not empty ("echo: (bytes were dropped)" first if its UART
 * overran); the line "off" powers its VM off. It idles (WFI) while
 * nothing has come.
 */
#include "lib.h"

#define LINE_MAX	80
#define READY_ESC	"\x1b[0m"	/* ECMA-48 SGR 0: attributes off, harmless */

static int read_byte(void)
{
	int c;

	while ((c = uart_getc()) < 0)
		cpu_idle();
	return c;
}

/* A line without its end, cut at LINE_MAX - 1 bytes; 1 if bytes were dropped on the way. */
static int read_line(char *line)
{
	u32 n = 0;
	int overrun = 0;

	for (;;) {
		int c = read_byte();

		overrun |= (c & UART_RX_OVERRUN) != 0;
		c &= UART_DR_DATA;
		if (c == '\r' || c == '\n')
			break;
		if (n < LINE_MAX - 1)
			line[n++] = (char)c;
	}
	line[n] = '\0';
	return overrun;
}

static int is(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

void guest_main(u64 ram_base, u64 ram_size)
{
	char line[LINE_MAX];

	(void)ram_base;
	(void)ram_size;
	uart_puts("echo: ready " READY_ESC "(a line, or off)\n");
	for (;;) {
		if (read_line(line))
			uart_puts("echo: (bytes were dropped)\n");
		if (!line[0])
			continue;
		uart_puts("echo: ");
		uart_puts(line);
		uart_puts("\n");
		if (is(line, "off"))
			system_off();
	}
}
