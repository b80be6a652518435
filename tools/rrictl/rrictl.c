// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl: command-line interface to the rri kernel module.
 *
 * Global options, then a command word looked up in the command table; each command
 * lives in its own file and parses the rest of the line itself.
 */

#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "nl.h"
#include "print.h"
#include "rrictl.h"


static const struct command {
	const char *name;
	int (*fn)(int argc, char *argv[]);
	const char *usage;
	const char *description;
} commands[] = {
	{ "version", version_main, version_usage,
	  "show the versions of rrictl and of the rri module" },
	{ "map", map_main, map_usage,
	  "manage the maps that turn IPsec policies into routes" },
	{ "route", route_main, route_usage,
	  "show the routes the maps derived" },
	{ "group", group_main, group_usage,
	  "manage the HA groups whose role decides whether routes are injected" },
	{ "peer", peer_main, peer_usage,
	  "show, reset or resolve the maps' preferred peers" },
	{ "sa", sa_main, sa_usage,
	  "clear the SAs to the maps' peers" },
	{ "stats", stats_main, stats_usage,
	  "show or reset the event counters" },
	{ "monitor", monitor_main, monitor_usage,
	  "print what rri does as it happens" },
	{ "agent", agent_main, agent_usage,
	  "steer strongSwan or libreswan to the maps' current peers" },
	{ "save", save_main, save_usage,
	  "print the configuration as commands for rrictl -b" },
};

/* "FILE:LINE: " while rrictl -b runs a line of FILE, for every message. */
static char where[PATH_MAX + 32];

static void vpr_err(const char *fmt, va_list ap)
{
	fprintf(stderr, "rrictl: %s", where);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr_err(fmt, ap);
	va_end(ap);
}

/**
 * usage_error() - report a wrong command line
 * @fmt: what is wrong, without "rrictl: "
 *
 * main() follows the message with the command's usage.
 *
 * Return: RRICTL_EXIT_USAGE, for the command to return.
 */
int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr_err(fmt, ap);
	va_end(ap);
	return RRICTL_EXIT_USAGE;
}

/**
 * name_of() - the name of a value
 * @names: the table
 * @value: the value
 *
 * Return: its name, or NULL if @names has none for it.
 */
const char *name_of(const struct name_value *names, unsigned int value)
{
	for (; names->name; names++)
		if (names->value == value)
			return names->name;
	return NULL;
}

/**
 * value_of() - the value of a name
 * @names: the table
 * @name: the word from the command line
 * @value: set to its value
 *
 * Return: 0, or -1 if @names does not have @name.
 */
int value_of(const struct name_value *names, const char *name, unsigned int *value)
{
	for (; names->name; names++) {
		if (!strcmp(names->name, name)) {
			*value = names->value;
			return 0;
		}
	}
	return -1;
}

/**
 * parse_number() - read a number from the command line: decimal or 0x hex
 * @str: where the number starts
 * @sep: the character that may end it instead of the end of @str (as the '/' in
 *	 mark V/M), '\0' for none
 * @max: the largest value allowed
 * @value: set to the number
 *
 * A sign, leading space or octal, which strtoull() would take, is refused.
 *
 * Return: where the number ends, at @sep or at the end of @str; NULL if @str does
 * not start with such a number followed by either.
 */
const char *parse_number(const char *str, char sep, uint64_t max, uint64_t *value)
{
	bool hex = str[0] == '0' && (str[1] == 'x' || str[1] == 'X');
	char *end;

	/* Checked here: strtoull() would take "0x" alone as 0, and "0x0x1" as 0x1. */
	if (!isdigit((unsigned char)str[0]) || (hex && !isxdigit((unsigned char)str[2])))
		return NULL;
	errno = 0;
	*value = strtoull(str, &end, hex ? 16 : 10);
	if (errno || *value > max || (*end && *end != sep))
		return NULL;
	return end;
}

static void usage(FILE *f)
{
	size_t i;

	fputs("Usage: rrictl [OPTIONS] COMMAND [ARGUMENTS]\n"
	      "\n"
	      "Options:\n"
	      "  -j, --json           print JSON\n"
	      "  -p, --pretty         print indented JSON (implies -j)\n"
	      "  -n, --netns NETNS    act in the network namespace NETNS (/run/netns/NETNS)\n"
	      "  -b, --batch FILE     run the commands of FILE ('-': standard input), one\n"
	      "                       a line, stopping at the first that fails\n"
	      "  -V, --version        print the version of rrictl and exit\n"
	      "  -h, --help           print this help and exit\n"
	      "\n"
	      "Commands:\n", f);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s%s\n", commands[i].name, commands[i].description);
	fprintf(f, "  %-10s%s\n", "help", "show this help, or a command's usage");
	fputs("\nRun 'rrictl COMMAND --help' for the arguments of a command.\n", f);
}

static int usage_hint(void)
{
	fputs("Try 'rrictl --help' for more information.\n", stderr);
	return RRICTL_EXIT_USAGE;
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* "rrictl help [COMMAND]" */
static int help_main(int argc, char *argv[])
{
	const struct command *cmd;

	if (argc == 1) {
		usage(stdout);
		return 0;
	}
	if (argc > 2) {
		pr_err("help: unexpected argument '%s'", argv[2]);
		return usage_hint();
	}
	cmd = find_command(argv[1]);
	if (!cmd) {
		pr_err("help: unknown command '%s'", argv[1]);
		return usage_hint();
	}
	fputs(cmd->usage, stdout);
	return 0;
}

/* "rrictl CMD help", or --help/-h anywhere after CMD. */
static bool wants_help(int argc, char *argv[])
{
	int i;

	if (argc > 1 && !strcmp(argv[1], "help"))
		return true;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

/* @arg: the word getopt stopped at; @c: its ':' (no argument) or '?' (unknown) */
static int bad_option(const char *arg, int c)
{
	if (c == ':')
		pr_err("option '%s' needs %s", arg,
		       optopt == 'b' ? "a file name" : "a network namespace name");
	else if (!strncmp(arg, "--", 2))
		pr_err("unknown option '%s'", arg);
	else
		pr_err("unknown option '-%c'", optopt);
	return usage_hint();
}

static int run(const struct command *cmd, int argc, char *argv[], bool json, bool pretty)
{
	int ret;

	if (print_init(json, pretty))
		return RRICTL_EXIT_FAIL;

	ret = cmd->fn(argc, argv);
	/* In a batch the line number says more than the command's usage. */
	if (ret == RRICTL_EXIT_USAGE && !*where)
		fputs(cmd->usage, stderr);
	else if (!ret && print_flush())
		ret = RRICTL_EXIT_FAIL;

	print_exit();
	rri_nl_close();
	return ret;
}

/* Longest line and most words rrictl -b takes on one line. */
#define BATCH_LINE_MAX	4096
#define BATCH_WORDS_MAX	128

/*
 * Split @line into words at blanks, up to a word that starts with '#' (a
 * comment). Return: the number of words, or -1 if there are too many.
 */
static int split_words(char *line, char *words[BATCH_WORDS_MAX])
{
	int n = 0;
	char *w;

	for (w = strtok(line, " \t\r\n"); w && *w != '#'; w = strtok(NULL, " \t\r\n")) {
		if (n == BATCH_WORDS_MAX)
			return -1;
		words[n++] = w;
	}
	return n;
}

/* One line of a batch: "COMMAND [ARGUMENTS]", as after rrictl's options. */
static int batch_line(char *line, bool json, bool pretty)
{
	char *words[BATCH_WORDS_MAX];
	const struct command *cmd;
	int n = split_words(line, words);

	if (n < 0)
		return usage_error("more than %d words", BATCH_WORDS_MAX);
	if (!n)
		return 0;
	cmd = find_command(words[0]);
	if (!cmd)
		return usage_error("unknown command '%s'", words[0]);
	if (wants_help(n, words)) {
		fputs(cmd->usage, stdout);
		return 0;
	}
	/* Each command's output is written before the next runs. */
	fflush(stdout);
	return run(cmd, n, words, json, pretty);
}

/*
 * rrictl -b FILE: run its commands in order and stop at the first that fails,
 * whose messages start with "FILE:LINE: ". What the lines before it did stays.
 */
static int batch(const char *file, bool json, bool pretty)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	char line[BATCH_LINE_MAX + 1];
	unsigned long lineno = 0;
	int ret = 0;

	if (!f) {
		pr_err("cannot open '%s': %s", file, strerror(errno));
		return RRICTL_EXIT_FAIL;
	}
	while (!ret && fgets(line, sizeof(line), f)) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%lu: ", file, lineno);
		if (!strchr(line, '\n') && !feof(f))
			ret = usage_error("line longer than %d characters", BATCH_LINE_MAX);
		else
			ret = batch_line(line, json, pretty);
	}
	if (!ret && ferror(f)) {
		pr_err("cannot read '%s': %s", file, strerror(errno));
		ret = RRICTL_EXIT_FAIL;
	}
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json",	no_argument,		NULL, 'j' },
		{ "pretty",	no_argument,		NULL, 'p' },
		{ "netns",	required_argument,	NULL, 'n' },
		{ "batch",	required_argument,	NULL, 'b' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL,		0,			NULL, 0 },
	};
	const struct command *cmd;
	const char *netns = NULL, *file = NULL;
	bool json = false, pretty = false;
	int c;

	/* "+": options end at the command word, which has arguments of its own. */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:jpn:b:Vh", options, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'p':
			json = pretty = true;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'b':
			file = optarg;
			break;
		case 'V':
			puts("rrictl " RRI_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			return bad_option(argv[optind - 1], c);
		}
	}
	argc -= optind;
	argv += optind;

	if (netns && !netns_name_valid(netns)) {
		pr_err("invalid network namespace name '%s'", netns);
		return usage_hint();
	}
	if (file) {
		if (argc) {
			pr_err("-b takes the commands from the file, not '%s'", argv[0]);
			return usage_hint();
		}
		if (netns && enter_netns(netns))
			return RRICTL_EXIT_FAIL;
		return batch(file, json, pretty);
	}
	if (!argc) {
		usage(stderr);
		return RRICTL_EXIT_USAGE;
	}
	if (!strcmp(argv[0], "help"))
		return help_main(argc, argv);

	cmd = find_command(argv[0]);
	if (!cmd) {
		pr_err("unknown command '%s'", argv[0]);
		return usage_hint();
	}
	if (wants_help(argc, argv)) {
		fputs(cmd->usage, stdout);
		return 0;
	}

	if (netns && enter_netns(netns))
		return RRICTL_EXIT_FAIL;
	return run(cmd, argc, argv, json, pretty);
}
