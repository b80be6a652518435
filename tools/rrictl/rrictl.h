/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: declarations shared by the command files.
 */

#ifndef RRICTL_H
#define RRICTL_H

#include <stdint.h>

/* Exit status: 0 success, 1 the operation failed, 2 the command line is wrong. */
#define RRICTL_EXIT_FAIL	1
#define RRICTL_EXIT_USAGE	2

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __maybe_unused		__attribute__((unused))
#define __printf(fmt, args)	__attribute__((format(printf, fmt, args)))

void pr_err(const char *fmt, ...) __printf(1, 2);
int usage_error(const char *fmt, ...) __printf(1, 2);

/* The words for the values of a uapi enum or of a number, ended by a NULL name. */
struct name_value {
	const char *name;
	unsigned int value;
};

const char *name_of(const struct name_value *names, unsigned int value);
int value_of(const struct name_value *names, const char *name, unsigned int *value);

const char *parse_number(const char *str, char sep, uint64_t max, uint64_t *value);

/*
 * One entry point and one usage text per command, listed in the command table of
 * rrictl.c. argv[0] is the command word itself.
 */
extern const char version_usage[];
int version_main(int argc, char *argv[]);

extern const char stats_usage[];
int stats_main(int argc, char *argv[]);

extern const char map_usage[];
int map_main(int argc, char *argv[]);

extern const char group_usage[];
int group_main(int argc, char *argv[]);
extern const char peer_usage[];
int peer_main(int argc, char *argv[]);
extern const char sa_usage[];
int sa_main(int argc, char *argv[]);
extern const char agent_usage[];
int agent_main(int argc, char *argv[]);

extern const char route_usage[];
int route_main(int argc, char *argv[]);

extern const char monitor_usage[];
int monitor_main(int argc, char *argv[]);

extern const char save_usage[];
int save_main(int argc, char *argv[]);

#endif /* RRICTL_H */
