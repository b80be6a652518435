/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: declarations shared by the command files.
 */

#ifndef RRICTL_H
#define RRICTL_H

/* Exit status: 0 success, 1 the operation failed, 2 the command line is wrong. */
#define RRICTL_EXIT_FAIL	1
#define RRICTL_EXIT_USAGE	2

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __maybe_unused		__attribute__((unused))
#define __printf(fmt, args)	__attribute__((format(printf, fmt, args)))

void pr_err(const char *fmt, ...) __printf(1, 2);
int usage_error(const char *fmt, ...) __printf(1, 2);

/*
 * One entry point and one usage text per command, listed in the command table of
 * rrictl.c. argv[0] is the command word itself.
 */
extern const char version_usage[];
int version_main(int argc, char *argv[]);

extern const char stats_usage[];
int stats_main(int argc, char *argv[]);

#endif /* RRICTL_H */
