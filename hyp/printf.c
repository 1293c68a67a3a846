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

/* Characters go to @out, or (@to_buf: hyp_vsnprintf()) into @buf in place. */
struct fmt_out {
	hyp_out_fn out;
	void *arg;
	bool to_buf;
	char *buf;
	size_t size;
	int count;
};

/* @n bytes of @s; into the buffer by a plain copy, not a call per byte. */
static void put_bytes(struct fmt_out *o, const char *s, u32 n)
{
	if (o->to_buf) {
		size_t at = (size_t)o->count, room = o->size > at + 1 ? o->size - at - 1 : 0;
		char *d = o->buf + at;
		u32 fit = (u32)MIN((size_t)n, room);

		for (u32 i = 0; i < fit; i++)
			d[i] = s[i];
	} else {
		for (u32 i = 0; i < n; i++)
			o->out(s[i], o->arg);
	}
	o->count += (int)n;
}

static void put(struct fmt_out *o, char c)
{
	put_bytes(o, &c, 1);
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
	put_bytes(o, s, len);
	if (spec->left && spec->width > len)
		pad(o, ' ', spec->width - len);
}

/* @prefix: "-" or "0x" or "", printed before zero padding. */
static void put_num(struct fmt_out *o, const struct fmt_spec *spec, u64 v,
		    u32 base, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	u32 n = sizeof(buf), plen = 0, len;

	/* Constant divisors: shifts for hex, a multiply for decimal, no divide. */
	if (base == 16) {
		do {
			buf[--n] = digits[v & 15];
			v >>= 4;
		} while (v);
	} else {
		do {
			buf[--n] = digits[v % 10];
			v /= 10;
		} while (v);
	}
	while (prefix[plen])
		plen++;
	len = (u32)sizeof(buf) - n + plen;
	if (!spec->left && !spec->zero && spec->width > len)
		pad(o, ' ', spec->width - len);
	put_bytes(o, prefix, plen);
	if (!spec->left && spec->zero && spec->width > len)
		pad(o, '0', spec->width - len);
	put_bytes(o, buf + n, (u32)sizeof(buf) - n);
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

static int fmt_run(struct fmt_out *o, const char *fmt, va_list ap)
{
	va_list args;

	va_copy(args, ap);
	while (*fmt) {
		struct fmt_spec spec;
		const char *start = fmt;

		if (*fmt != '%') {
			while (*fmt && *fmt != '%')
				fmt++;
			put_bytes(o, start, (u32)(fmt - start));
			continue;
		}
		spec = (struct fmt_spec){ 0 };
		fmt = parse_spec(fmt + 1, &spec);
		if (!*fmt || !convert(o, &spec, *fmt, &args)) {
			put_bytes(o, start, (u32)(fmt - start));
			continue;
		}
		fmt++;
	}
	va_end(args);
	return o->count;
}

int hyp_vcbprintf(hyp_out_fn out, void *arg, const char *fmt, va_list ap)
{
	struct fmt_out o = { .out = out, .arg = arg };

	return fmt_run(&o, fmt, ap);
}

int hyp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct fmt_out o = { .to_buf = true, .buf = buf, .size = size };
	int n = fmt_run(&o, fmt, ap);

	if (size)
		buf[MIN((size_t)n, size - 1)] = '\0';
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
