// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl sa clear [map NAME] [peer ADDR]: Cisco's clear crypto sa (WIP).
 */

#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "addr.h"
#include "map.h"
#include "nl.h"
#include "rrictl.h"

const char sa_usage[] =
	"Usage: rrictl [OPTIONS] sa clear [map NAME] [peer ADDR]\n"
	"\n"
	"Expires the SAs to the peers of the maps' peer lists (of one map, to one\n"
	"peer), as their hard lifetime would: the IKE daemon tears down its\n"
	"CHILD_SA, and the routes follow.\n";

static int sa_clear(int argc, char *argv[])
{
	const char *map = NULL, *peer = NULL;
	struct nlattr *nest;
	struct nl_msg *msg;
	struct prefix p;
	int i;

	for (i = 2; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage_error("sa clear: missing value for '%s'", argv[i]);
		if (!strcmp(argv[i], "map") && !map)
			map = argv[i + 1];
		else if (!strcmp(argv[i], "peer") && !peer)
			peer = argv[i + 1];
		else
			return usage_error("sa clear: unexpected '%s'", argv[i]);
	}
	if (peer && prefix_parse(peer, false, &p))
		return usage_error("sa clear: invalid peer address '%s'", peer);
	msg = map_msg(RRI_CMD_SA_CLEAR, 0, map);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	if (peer) {
		nest = nla_nest_start(msg, RRI_A_PEER_SEL | NLA_F_NESTED);
		if (!nest || prefix_put(msg, RRI_A_PEER_ADDR, &p, false) < 0) {
			nlmsg_free(msg);
			pr_err("out of memory");
			return RRICTL_EXIT_FAIL;
		}
		nla_nest_end(msg, nest);
	}
	return rri_nl_transact(msg, "sa clear", NULL, NULL) ? RRICTL_EXIT_FAIL : 0;
}

int sa_main(int argc, char *argv[])
{
	if (argc >= 2 && !strcmp(argv[1], "clear"))
		return sa_clear(argc, argv);
	return usage_error("sa: expected 'clear'");
}
