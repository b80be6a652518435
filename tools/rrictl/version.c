// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl version: the versions of rrictl and of the loaded module.
 */

#include "nl.h"
#include "print.h"
#include "rrictl.h"

const char version_usage[] =
	"Usage: rrictl [OPTIONS] version\n"
	"\n"
	"Show the version of rrictl and of the loaded rri module.\n";

static int version_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	if (!tb[RRI_A_VERSION])
		return -1;
	print_string("module", "module %s\n", nla_get_string(tb[RRI_A_VERSION]));
	return 0;
}

int version_main(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc > 1)
		return usage_error("version: unexpected argument '%s'", argv[1]);

	msg = rri_nl_msg(RRI_CMD_VERSION_GET, 0);
	if (!msg)
		return RRICTL_EXIT_FAIL;

	print_open_object(NULL);
	print_string("rrictl", "rrictl %s\n", RRI_VERSION);
	if (rri_nl_transact(msg, "version", version_reply, NULL))
		return RRICTL_EXIT_FAIL;
	print_close_object();
	return 0;
}
