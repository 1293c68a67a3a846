// SPDX-License-Identifier: MIT
/* A printf small enough to trust before the MMU is on. */
#include "printf.h"
#include "types.h"

struct fmt_spec {
	u32 width;
	bool left;		/* '-': pad on the right */
	bool zero;		/* '0': pad numbers with zeros */
	u32 length;		/* 0: int, 1: long, 2: long long, 3: size_t */
};

struct fmt_out {
	hyp_out_fn out;
	void *arg;
	int count;
};

static void put(struct fmt_out *o, char c)
{
	o->out(c, o->arg);
	o->count++;
}

static void pad(struct fmt_out *o, char c, u32 n)
{
	while (n--)
		put(o, c);
}

static void put_str(struct fmt_out *o, const struct fmt_spec *spec, const char *s)
{
	u32 len = 0;

	if (!s)
		s = "(null)";
	while (s[len])
		len++;
	if (!spec->left && spec->width > len)
		pad(o, ' ', spec->width - len);
	for (u32 i = 0; i < len; i++)
		put(o, s[i]);
	if (spec->left && spec->width > len)
		pad(o, ' ', spec->width - len);
}

/* @prefix: "-" or "0x" or "", printed before zero padding. */
static void put_num(struct fmt_out *o, const struct fmt_spec *spec, u64 v,
		    u32 base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	u32 n = 0, plen = 0, len;

	do {
		buf[n++] = digits[v % base];
		v /= base;
	} while (v);
	while (prefix[plen])
		plen++;
	len = n + plen;
	if (!spec->left && !spec->zero && spec->width > len)
		pad(o, ' ', spec->width - len);
	for (u32 i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!spec->left && spec->zero && spec->width > len)
		pad(o, '0', spec->width - len);
	while (n)
		put(o, buf[--n]);
	if (spec->left && spec->width > len)
		pad(o, ' ', spec->width - len);
}

static u64 get_unsigned(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case 1:
		return va_arg(*ap, unsigned long);
	case 2:
		return va_arg(*ap, unsigned long long);
	case 3:
		return va_arg(*ap, size_t);
	default:
		return va_arg(*ap, unsigned int);
	}
}

static s64 get_signed(const struct fmt_spec *spec, va_list *ap)
{
	switch (spec->length) {
	case 1:
		return va_arg(*ap, long);
	case 2:
		return va_arg(*ap, long long);
	case 3:
		return (s64)va_arg(*ap, size_t);
	default:
		return va_arg(*ap, int);
	}
}

static void put_signed(struct fmt_out *o, const struct fmt_spec *spec, s64 v)
{
	u64 mag = v < 0 ? 0 - (u64)v : (u64)v;

	put_num(o, spec, mag, 10, false, v < 0 ? "-" : "");
}

static const char *parse_spec(const char *fmt, struct fmt_spec *spec)
{
	for (;; fmt++) {
		if (*fmt == '-')
			spec->left = true;
		else if (*fmt == '0')
			spec->zero = true;
		else
			break;
	}
	for (; *fmt >= '0' && *fmt <= '9'; fmt++)
		spec->width = spec->width * 10 + (u32)(*fmt - '0');
	if (*fmt == 'l') {
		spec->length = 1;
		if (*++fmt == 'l') {
			spec->length = 2;
			fmt++;
		}
	} else if (*fmt == 'z') {
		spec->length = 3;
		fmt++;
	}
	return fmt;
}

/* One conversion; false for an unknown one, which is printed as is. */
static bool convert(struct fmt_out *o, const struct fmt_spec *spec, char conv,
		    va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i':
		put_signed(o, spec, get_signed(spec, ap));
		return true;
	case 'u':
		put_num(o, spec, get_unsigned(spec, ap), 10, false, "");
		return true;
	case 'x':
	case 'X':
		put_num(o, spec, get_unsigned(spec, ap), 16, conv == 'X', "");
		return true;
	case 'p':
		put_num(o, spec, (u64)(uintptr_t)va_arg(*ap, void *), 16, false, "0x");
		return true;
	case 's':
		put_str(o, spec, va_arg(*ap, const char *));
		return true;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		return true;
	case '%':
		put(o, '%');
		return true;
	default:
		return false;
	}
}

int hyp_vcbprintf(hyp_out_fn out, void *arg, const char *fmt, va_list ap)
{
	struct fmt_out o = { .out = out, .arg = arg };
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		struct fmt_spec spec;
		const char *start = fmt;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		spec = (struct fmt_spec){ 0 };
		fmt = parse_spec(fmt + 1, &spec);
		if (!*fmt || !convert(&o, &spec, *fmt, &args)) {
			while (start < fmt)
				put(&o, *start++);
			continue;
		}
		fmt++;
	}
	va_end(args);
	return o.count;
}

struct buf_out {
	char *buf;
	size_t size;
	size_t pos;
};

static void buf_put(char c, void *arg)
{
	struct buf_out *b = arg;

	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buf_out b = { .buf = buf, .size = size };
	int n = hyp_vcbprintf(buf_put, &b, fmt, ap);

	if (size)
		buf[MIN(b.pos, size - 1)] = '\0';
	return n;
}

int hyp_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = hyp_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
