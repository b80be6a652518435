/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: one printer for text and JSON output.
 *
 * Every value is printed with a JSON key and a text format. In text mode the
 * format is applied to the value and the key is not used; in JSON mode the key
 * and the value become a member of the current object and the format is not
 * used. A NULL format prints the value in JSON only; print_text() prints what
 * only the text has. A command prints one top-level object or array
 * (print_open_object(NULL) ... print_close_object(), or the same with arrays,
 * whose elements have NULL keys).
 *
 * Output is buffered and only written by print_flush(), so a command that fails
 * half way prints nothing at all rather than half a JSON document.
 */

#ifndef RRICTL_PRINT_H
#define RRICTL_PRINT_H

#include <stdbool.h>
#include <stdint.h>

#include "rrictl.h"

struct nlattr;

int print_init(bool json, bool pretty);
int print_flush(void);
void print_exit(void);

void print_open_object(const char *key);
void print_close_object(void);
void print_open_array(const char *key);
void print_close_array(void);

void print_text(const char *text);
void print_textf(const char *fmt, ...) __printf(1, 2);
bool print_json(void);
void print_string(const char *key, const char *fmt, const char *value);
void print_u64(const char *key, const char *fmt, uint64_t value);
void print_u32_attr(const char *key, const char *fmt, const struct nlattr *nla);
void print_bool(const char *key, const char *text, bool value);
void print_null(const char *key);
void print_name(const char *key, const char *fmt, const struct name_value *names,
		unsigned int value);
void print_time(const char *key, const char *fmt, uint64_t secs);

#endif /* RRICTL_PRINT_H */
