// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl: one printer for text and JSON output.
 */

#define _GNU_SOURCE
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <netlink/attr.h>

#include "print.h"
#include "rrictl.h"

#define JSON_INDENT	4

static struct {
	bool json;
	bool pretty;
	bool first;		/* the innermost open object has no member yet */
	unsigned int depth;
	FILE *out;		/* memory stream, see print_flush() */
	char *buf;
	size_t len;
} pr;

/**
 * print_init() - choose the output format and start buffering
 * @json: print JSON instead of text
 * @pretty: indent the JSON
 *
 * Return: 0, or -1 after printing an error.
 */
int print_init(bool json, bool pretty)
{
	pr.json = json;
	pr.pretty = pretty;
	pr.first = true;
	pr.out = open_memstream(&pr.buf, &pr.len);
	if (!pr.out) {
		pr_err("out of memory");
		return -1;
	}
	return 0;
}

/**
 * print_flush() - write everything printed so far to stdout
 *
 * Return: 0, or -1 after printing an error.
 */
int print_flush(void)
{
	if (fflush(pr.out) == EOF || ferror(pr.out)) {
		pr_err("out of memory while formatting the output");
		return -1;
	}
	if (fwrite(pr.buf, 1, pr.len, stdout) != pr.len || fflush(stdout) == EOF) {
		pr_err("cannot write the output");
		return -1;
	}
	/* Keep the buffer for whatever is printed next, from its start. */
	rewind(pr.out);
	return 0;
}

/**
 * print_exit() - drop the buffer; output that was not flushed is lost
 */
void print_exit(void)
{
	if (pr.out)
		fclose(pr.out);
	free(pr.buf);
}

/*
 * Length of the well-formed UTF-8 sequence at @s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 if there is none. A NUL byte fails the
 * continuation test, so this never reads past the end of the string.
 */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4;
	else
		return 0;

	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;

	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return n;
}

/*
 * Strings come from the kernel and, later, from the command line: escape what JSON
 * requires and replace bytes that are not UTF-8, so the output always parses.
 */
static void json_string(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', pr.out);
	while (*s) {
		size_t n = utf8_len(s);

		if (n == 0) {
			fputs("\\ufffd", pr.out);
			n = 1;
		} else if (*s == '"' || *s == '\\') {
			fprintf(pr.out, "\\%c", *s);
		} else if (*s == '\n') {
			fputs("\\n", pr.out);
		} else if (*s == '\t') {
			fputs("\\t", pr.out);
		} else if (*s < 0x20) {
			fprintf(pr.out, "\\u%04x", *s);
		} else {
			fwrite(s, 1, n, pr.out);
		}
		s += n;
	}
	fputc('"', pr.out);
}

static void json_newline(void)
{
	fprintf(pr.out, "\n%*s", (int)(pr.depth * JSON_INDENT), "");
}

/*
 * Start a member of the innermost object or array; a NULL key starts an element
 * of an array or the top-level value.
 */
static void json_member(const char *key)
{
	if (!pr.first)
		fputc(',', pr.out);
	pr.first = false;
	if (pr.pretty && pr.depth)
		json_newline();
	if (key) {
		json_string(key);
		fputs(pr.pretty ? ": " : ":", pr.out);
	}
}

static void json_open(const char *key, char bracket)
{
	if (!pr.json)
		return;
	json_member(key);
	fputc(bracket, pr.out);
	pr.depth++;
	pr.first = true;
}

/* Closing the top-level object or array ends the line; another one may follow. */
static void json_close(char bracket)
{
	if (!pr.json)
		return;
	pr.depth--;
	if (pr.pretty && !pr.first)
		json_newline();
	fputc(bracket, pr.out);
	/* A closed value is a member of its parent; a top-level one is a line of its own. */
	pr.first = !pr.depth;
	if (!pr.depth)
		fputc('\n', pr.out);
}

/**
 * print_open_object() - start a JSON object; nothing in text mode
 * @key: member name in the enclosing object, NULL for an array element or the
 *	 top-level object
 */
void print_open_object(const char *key)
{
	json_open(key, '{');
}

/**
 * print_close_object() - end the innermost JSON object
 */
void print_close_object(void)
{
	json_close('}');
}

/**
 * print_open_array() - start a JSON array; nothing in text mode
 * @key: member name in the enclosing object, NULL for the top-level array
 *
 * An array that gets no element prints as [], so an empty list is still JSON.
 */
void print_open_array(const char *key)
{
	json_open(key, '[');
}

/**
 * print_close_array() - end the innermost JSON array
 */
void print_close_array(void)
{
	json_close(']');
}

/**
 * print_text() - print text that has no JSON counterpart; nothing in JSON mode
 * @text: printed as it is
 */
void print_text(const char *text)
{
	if (!pr.json)
		fputs(text, pr.out);
}

/**
 * print_textf() - print formatted text, in text mode only
 * @fmt: printf format
 */
void print_textf(const char *fmt, ...)
{
	va_list ap;

	if (pr.json)
		return;
	va_start(ap, fmt);
	vfprintf(pr.out, fmt, ap);
	va_end(ap);
}

/**
 * print_json() - whether the output is JSON
 *
 * Return: true for JSON, false for text.
 */
bool print_json(void)
{
	return pr.json;
}

/**
 * print_string() - print a string
 * @key: JSON member name
 * @fmt: text format with one %s, NULL for JSON only
 * @value: the string
 */
void print_string(const char *key, const char *fmt, const char *value)
{
	if (pr.json) {
		json_member(key);
		json_string(value);
	} else if (fmt) {
		fprintf(pr.out, fmt, value);
	}
}

/**
 * print_u64() - print an unsigned 64-bit number
 * @key: JSON member name
 * @fmt: text format with one %PRIu64 (or another conversion of a uint64_t), NULL
 *	 for JSON only
 * @value: the number
 */
void print_u64(const char *key, const char *fmt, uint64_t value)
{
	if (pr.json) {
		json_member(key);
		fprintf(pr.out, "%" PRIu64, value);
	} else if (fmt) {
		fprintf(pr.out, fmt, value);
	}
}

/**
 * print_u32_attr() - print an NLA_U32 attribute of a reply, if there is one
 * @key: JSON member name
 * @fmt: as for print_u64()
 * @nla: the attribute, or NULL
 */
void print_u32_attr(const char *key, const char *fmt, const struct nlattr *nla)
{
	if (nla)
		print_u64(key, fmt, nla_get_u32(nla));
}

/**
 * print_bool() - print a flag
 * @key: JSON member name, whose value is true or false
 * @text: printed as it is in text mode, only if @value is true
 * @value: the flag
 */
void print_bool(const char *key, const char *text, bool value)
{
	if (pr.json) {
		json_member(key);
		fputs(value ? "true" : "false", pr.out);
	} else if (value) {
		fputs(text, pr.out);
	}
}

/**
 * print_null() - print a JSON null (nothing in text)
 * @key: JSON member name
 */
void print_null(const char *key)
{
	if (pr.json) {
		json_member(key);
		fputs("null", pr.out);
	}
}

/**
 * print_name() - print the name of an enumerated value, as a string
 * @key: JSON member name
 * @fmt: text format with one %s, NULL for JSON only
 * @names: the names of the values, see name_of()
 * @value: the value
 *
 * A value without a name (one a newer module added) is printed as its number,
 * still as a string, so that a key keeps its JSON type.
 */
void print_name(const char *key, const char *fmt, const struct name_value *names,
		unsigned int value)
{
	const char *name = name_of(names, value);
	char num[sizeof("4294967295")];

	if (!name) {
		snprintf(num, sizeof(num), "%u", value);
		name = num;
	}
	print_string(key, fmt, name);
}

/**
 * print_time() - print a point in time
 * @key: JSON member name, whose value is in seconds since the epoch
 * @fmt: text format with one %s for the time in UTC as ISO 8601
 *	 (2026-11-23T18:40:00Z), NULL for JSON only
 * @secs: seconds since the epoch
 */
void print_time(const char *key, const char *fmt, uint64_t secs)
{
	char buf[sizeof("-2147483648-12-31T23:59:59Z")];
	time_t t = (time_t)secs;
	struct tm tm;

	if (pr.json || !fmt) {
		print_u64(key, fmt, secs);
		return;
	}
	/* Beyond what a time_t or a year can hold: the number is all there is to show. */
	if (t < 0 || (uint64_t)t != secs || !gmtime_r(&t, &tm) ||
	    !strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, sizeof(buf), "%" PRIu64, secs);
	fprintf(pr.out, fmt, buf);
}
