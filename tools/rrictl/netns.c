// SPDX-License-Identifier: GPL-2.0
/*
 * Named network namespaces, as "ip netns" keeps them: shared by rrictl and
 * rri-syncd (-n NETNS).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netns.h"
#include "rrictl.h"

/* Where "ip netns add" keeps named network namespaces. */
#define NETNS_RUN_DIR	"/run/netns"

/* Same rule as "ip netns": a plain file name under NETNS_RUN_DIR. */
bool netns_name_valid(const char *name)
{
	return *name && !strchr(name, '/') && strcmp(name, ".") && strcmp(name, "..") &&
	       strlen(name) <= NAME_MAX;
}

/*
 * Like "ip -n": sockets belong to the network namespace their process was in when
 * it created them, so this must run before the first socket is opened. Unlike ip,
 * no new mount namespace is needed: rrictl reads nothing from /sys.
 */
int enter_netns(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NAME_MAX + 1];
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		pr_err("cannot open network namespace '%s': %s", name, strerror(errno));
		return -1;
	}
	ret = setns(fd, CLONE_NEWNET);
	if (ret)
		pr_err("cannot enter network namespace '%s': %s", name, strerror(errno));
	close(fd);
	return ret;
}
