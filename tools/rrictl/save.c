// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl save: the running configuration of a network namespace, as commands.
 */

#include <string.h>

#include "group.h"
#include "map.h"
#include "print.h"
#include "rrictl.h"

const char save_usage[] =
	"Usage: rrictl [OPTIONS] save\n"
	"\n"
	"Print the configuration of the network namespace (its HA groups, then its\n"
	"maps in the order they were added, every setting spelled out) as the\n"
	"commands that recreate it, one a line, for rrictl -b:\n"
	"\n"
	"  rrictl save > /etc/rri/rri.conf\n"
	"  rrictl -b /etc/rri/rri.conf\n"
	"\n"
	"Devices (nexthop dev, gateway dev, vrf) are saved by name. A manual group's\n"
	"role is not saved: restored, it starts standby until group set says\n"
	"otherwise. Needs CAP_NET_ADMIN.\n";

int save_main(int argc, char *argv[])
{
	if (argc > 1)
		return usage_error("save: unexpected argument '%s'", argv[1]);
	if (print_json()) {
		pr_err("save: prints commands, not JSON");
		return RRICTL_EXIT_FAIL;
	}
	print_text("# rri configuration, saved by rrictl " RRI_VERSION "\n");
	return group_save() || map_save() ? RRICTL_EXIT_FAIL : 0;
}
