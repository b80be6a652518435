// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl agent strongswan|libreswan: apply the maps' current peers to the
 * IKE daemon of the network namespace.
 *
 * rri decides which peer of a map's peer list is current and announces each
 * change on its event stream. Neither strongSwan nor libreswan can be told
 * "initiate to that peer" through XFRM: both pick the connection for an
 * ACQUIRE themselves. So each peer has a connection of its own in the
 * daemon, all with the same traffic selectors (`conn NAME` in the map), and
 * this agent keeps exactly one of them routed (its trap policy installed):
 * the current peer's. It also
 *
 *  - stops the attempts to a peer that failed (terminate);
 *  - after idle-time or sa clear, terminates a strongSwan IKE_SA, since
 *    charon re-creates a CHILD_SA that expired hard at once;
 *  - answers rri's resolve requests for `dynamic` peers;
 *  - applies everything again when the daemon comes back after a restart,
 *    and retries (with backoff) what the daemon refused.
 *
 * One line on stdout per action. Nothing here is needed for rri's routes:
 * the agent only steers which peer the daemon connects to.
 */

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "addr.h"
#include "map.h"
#include "nl.h"
#include "peer.h"
#include "rrictl.h"

const char agent_usage[] =
	"Usage: rrictl [OPTIONS] agent strongswan [swanctl PATH] [uri URI]\n"
	"       rrictl [OPTIONS] agent libreswan [whack PATH] [ctl PATH]\n"
	"\n"
	"Runs until stopped: follows rri's events and keeps the IKE daemon's trap\n"
	"installed for the current peer of each map with a peer list, and for no\n"
	"other peer of it. Each peer names its connection with `conn NAME` in the\n"
	"map; for strongSwan NAME is the connection and its CHILD_SA, or\n"
	"CONNECTION/CHILD. It terminates the connection of a peer that failed or\n"
	"whose SAs idle-time or sa clear expired, answers rri's requests to resolve\n"
	"dynamic peers, and applies everything again after the daemon restarted.\n"
	"Exits with an error if the daemon cannot be reached when it starts.\n"
	"\n"
	"  swanctl PATH  strongSwan's swanctl (default: swanctl)\n"
	"  uri URI       charon's vici socket (default: unix:///var/run/charon.vici)\n"
	"  whack PATH    libreswan's whack (default: /usr/libexec/ipsec/whack)\n"
	"  ctl PATH      pluto's control socket (default: /run/pluto/pluto.ctl); its\n"
	"                pid file is pluto.pid beside it\n";

#define AGENT_RETRY_MAX	30	/* seconds between retries, at most */

enum ike_action { IKE_ROUTE, IKE_UNROUTE, IKE_TERMINATE };

struct agent_peer {
	char addr[PREFIX_STRLEN];	/* its first address, for the log */
	char name[RRI_PEER_NAME_MAX];
	char conn[RRI_PEER_CONN_MAX];
};

struct agent_map {
	char name[RRI_MAP_NAME_MAX];
	struct agent_peer peer[RRI_PEERS_MAX];
	unsigned int n;
	unsigned int cur;
	char routed[RRI_PEER_CONN_MAX];	/* what the daemon routes, as far as known */
	bool pending;			/* routing failed: again at @retry */
	time_t retry;
	unsigned int backoff;
	struct agent_map *next;
};

static struct {
	bool strongswan;
	const char *daemon;		/* for messages: charon or pluto */
	const char *tool;		/* swanctl or whack */
	const char *uri;		/* charon's vici URI, or NULL */
	const char *sock;		/* the control socket's path */
	int fd;				/* held open to charon's socket, else -1 */
	pid_t pid;			/* pluto's */
	bool up;
	bool resync;			/* events were lost: read the maps again */
	struct agent_map *maps;
} agent = { .fd = -1 };

static time_t now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	fputs("rrictl agent: ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

/* Run @argv, its output to ours (stdout to /dev/null); its exit status. */
static int run(char *const argv[])
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "rrictl agent: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Ask the daemon to route, unroute or terminate @conn; 0 if it did. */
static int ike(enum ike_action action, const char *conn)
{
	static const char *const sw[] = { "--install", "--uninstall", "--terminate" };
	static const char *const ls[] = { "--route", "--unroute", "--terminate" };
	char ikename[RRI_PEER_CONN_MAX], *child;
	const char *argv[16];
	int n = 0, ret;

	argv[n++] = agent.tool;
	if (agent.strongswan) {
		snprintf(ikename, sizeof(ikename), "%s", conn);
		child = strchr(ikename, '/');
		if (child)
			*child++ = '\0';
		else
			child = ikename;
		argv[n++] = sw[action];
		if (agent.uri) {
			argv[n++] = "--uri";
			argv[n++] = agent.uri;
		}
		if (action != IKE_TERMINATE) {
			argv[n++] = "--child";
			argv[n++] = child;
		}
		argv[n++] = "--ike";
		argv[n++] = ikename;
		if (action == IKE_TERMINATE) {
			argv[n++] = "--timeout";
			argv[n++] = "10";
		}
	} else {
		argv[n++] = "--ctlsocket";
		argv[n++] = agent.sock;
		argv[n++] = "--name";
		argv[n++] = conn;
		argv[n++] = ls[action];
	}
	argv[n] = NULL;
	ret = run((char *const *)argv);
	say("%s %s %s: %s", agent.tool,
	    (agent.strongswan ? sw : ls)[action], conn, ret ? "failed" : "done");
	return ret;
}

/* Connect to the daemon's control socket: the descriptor, or -1. */
static int daemon_connect(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(agent.sock) >= sizeof(sun.sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	strcpy(sun.sun_path, agent.sock);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun))) {
		close(fd);
		return -1;
	}
	return fd;
}

static const struct agent_peer *cur_peer(const struct agent_map *m)
{
	return m->cur < m->n ? &m->peer[m->cur] : NULL;
}

/*
 * Make the daemon route the current peer's connection of @m and no other
 * of its peers' (forced: all of them again, as after a restart).
 */
static void apply(struct agent_map *m, bool force)
{
	const struct agent_peer *cur = cur_peer(m);
	const char *want = cur ? cur->conn : "";
	unsigned int i;

	if (!agent.up || (!force && !m->pending && !strcmp(want, m->routed)))
		return;
	if (m->pending && !force && now() < m->retry)
		return;
	say("map %s: current peer %s%s%s", m->name, cur ? cur->addr : "-",
	    *want ? ", connection " : " (no connection named)", want);
	for (i = 0; i < m->n; i++) {
		const char *conn = m->peer[i].conn;

		if (i == m->cur || !*conn || !strcmp(conn, want))
			continue;
		if (!force && strcmp(conn, m->routed))
			continue;
		/* pluto keeps the route of a connection with SAs. */
		if (!agent.strongswan && !strcmp(conn, m->routed))
			ike(IKE_TERMINATE, conn);
		ike(IKE_UNROUTE, conn);
	}
	m->routed[0] = '\0';
	if (*want && ike(IKE_ROUTE, want)) {
		m->pending = true;
		m->backoff = m->backoff ? m->backoff * 2 : 1;
		if (m->backoff > AGENT_RETRY_MAX)
			m->backoff = AGENT_RETRY_MAX;
		m->retry = now() + m->backoff;
		say("map %s: %s refused; again in %u s", m->name, agent.daemon, m->backoff);
		return;
	}
	snprintf(m->routed, sizeof(m->routed), "%s", want);
	m->pending = false;
	m->backoff = 0;
}

static struct agent_map *map_find(const char *name)
{
	struct agent_map *m;

	for (m = agent.maps; m; m = m->next)
		if (!strcmp(m->name, name))
			return m;
	return NULL;
}

static void map_forget(const char *name)
{
	struct agent_map **pm, *m;

	for (pm = &agent.maps; *pm; pm = &(*pm)->next) {
		if (!strcmp((*pm)->name, name)) {
			m = *pm;
			*pm = m->next;
			free(m);
			return;
		}
	}
}

/* Fill @p from an RRI_A_PEER or RRI_A_PEER_SEL nest; whether it is current. */
static int peer_get(struct nlattr *nest, struct agent_peer *p, bool *current)
{
	struct nlattr *tb[RRI_A_PEER_MAX + 1];
	struct prefix addr;

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, RRI_A_PEER_MAX, nest, map_peer_policy) < 0)
		return -1;
	if (tb[RRI_A_PEER_ADDR] && !prefix_get(tb[RRI_A_PEER_ADDR], &addr))
		prefix_str(&addr, false, p->addr);
	if (tb[RRI_A_PEER_NAME])
		snprintf(p->name, sizeof(p->name), "%s", nla_get_string(tb[RRI_A_PEER_NAME]));
	if (tb[RRI_A_PEER_CONN])
		snprintf(p->conn, sizeof(p->conn), "%s", nla_get_string(tb[RRI_A_PEER_CONN]));
	if (current)
		*current = !!tb[RRI_A_PEER_CURRENT];
	return 0;
}

static const struct nla_policy agent_map_policy[RRI_A_MAP_MAX + 1] = {
	[RRI_A_MAP_NAME]	= { .type = NLA_STRING },
	[RRI_A_MAP_PEERS]	= { .type = NLA_NESTED },
};

/*
 * Take in a map as the module shows it: the list entry for it (NULL if it
 * has no peer list: forgotten), its peers and which is current now.
 */
static struct agent_map *map_update(struct nlattr *nest)
{
	struct nlattr *tb[RRI_A_MAP_MAX + 1], *a;
	struct agent_map *m;
	const char *name;
	bool current;
	int rem;

	if (nla_parse_nested(tb, RRI_A_MAP_MAX, nest, agent_map_policy) < 0 ||
	    !tb[RRI_A_MAP_NAME])
		return NULL;
	name = nla_get_string(tb[RRI_A_MAP_NAME]);
	if (!tb[RRI_A_MAP_PEERS]) {
		map_forget(name);
		return NULL;
	}
	m = map_find(name);
	if (!m) {
		m = calloc(1, sizeof(*m));
		if (!m)
			return NULL;
		snprintf(m->name, sizeof(m->name), "%s", name);
		m->next = agent.maps;
		agent.maps = m;
		m->pending = true;	/* never applied */
	}
	m->n = 0;
	m->cur = 0;
	nla_for_each_nested(a, tb[RRI_A_MAP_PEERS], rem) {
		if (m->n == RRI_PEERS_MAX || peer_get(a, &m->peer[m->n], &current))
			break;
		if (current)
			m->cur = m->n;
		m->n++;
	}
	return m;
}

static int dump_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	struct agent_map *m;

	if (!tb[RRI_A_MAP])
		return -1;
	m = map_update(tb[RRI_A_MAP]);
	if (m)
		m->pending = true;
	return 0;
}

/* Read every map from the module and apply each anew. */
static int resync(void)
{
	struct nl_msg *msg = map_msg(RRI_CMD_MAP_GET, NLM_F_DUMP, NULL);
	struct agent_map *m;

	/* Maps deleted meanwhile are gone from the dump: start empty. */
	while (agent.maps) {
		m = agent.maps;
		agent.maps = m->next;
		free(m);
	}
	if (!msg || rri_nl_transact(msg, "agent", dump_reply, NULL))
		return -1;
	for (m = agent.maps; m; m = m->next)
		apply(m, true);
	return 0;
}

/* The peer an RRI_A_PEER_SEL names, as a peer of @m; NULL if none. */
static const struct agent_peer *sel_peer(const struct agent_map *m, struct nlattr *sel,
					 struct agent_peer *p)
{
	unsigned int i;

	if (!sel || peer_get(sel, p, NULL))
		return NULL;
	for (i = 0; i < m->n; i++)
		if (!strcmp(m->peer[i].addr, p->addr) || (*p->name && !strcmp(m->peer[i].name, p->name)))
			return &m->peer[i];
	return NULL;
}

/* Connections to terminate once the events at hand are read. */
static char terminate_conn[RRI_PEERS_MAX][RRI_PEER_CONN_MAX];
static unsigned int terminate_n;

static void terminate_later(const char *conn)
{
	unsigned int i;

	if (!*conn)
		return;
	for (i = 0; i < terminate_n; i++)
		if (!strcmp(terminate_conn[i], conn))
			return;
	if (terminate_n < RRI_PEERS_MAX)
		snprintf(terminate_conn[terminate_n++], RRI_PEER_CONN_MAX, "%s", conn);
}

static void terminate_now(void)
{
	unsigned int i;

	for (i = 0; i < terminate_n && agent.up; i++)
		ike(IKE_TERMINATE, terminate_conn[i]);
	terminate_n = 0;
}

static int agent_event(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	char failed[RRI_PEER_CONN_MAX] = "";
	const struct agent_peer *p;
	struct agent_peer sel;
	struct agent_map *m;
	unsigned int ev;

	if (!tb) {
		say("events were lost: reading the maps again");
		agent.resync = true;
		return 0;
	}
	if (!tb[RRI_A_EVENT] || !tb[RRI_A_MAP])
		return 0;
	ev = nla_get_u8(tb[RRI_A_EVENT]);
	if (ev == RRI_EVENT_MAP_DELETED) {
		struct nlattr *name = nla_find(nla_data(tb[RRI_A_MAP]), nla_len(tb[RRI_A_MAP]),
					       RRI_A_MAP_NAME);

		if (name)
			map_forget(nla_get_string(name));
		return 0;
	}
	/* The peer that failed is the one that was current. */
	if (ev == RRI_EVENT_PEER_FAILED) {
		struct nlattr *name = nla_find(nla_data(tb[RRI_A_MAP]), nla_len(tb[RRI_A_MAP]),
					       RRI_A_MAP_NAME);

		m = name ? map_find(nla_get_string(name)) : NULL;
		if (m && cur_peer(m))
			snprintf(failed, sizeof(failed), "%s", cur_peer(m)->conn);
	}
	m = map_update(tb[RRI_A_MAP]);
	if (!m)
		return 0;
	switch (ev) {
	case RRI_EVENT_PEER_FAILED:
		say("map %s: the attempt to the peer failed", m->name);
		terminate_later(failed);
		break;
	case RRI_EVENT_PEER_IDLE:
	case RRI_EVENT_PEER_CLEARED:
		p = sel_peer(m, tb[RRI_A_PEER_SEL], &sel);
		say("map %s: SAs of peer %s %s", m->name, p ? p->addr : "?",
		    ev == RRI_EVENT_PEER_IDLE ? "idle: expired" : "cleared");
		/* charon re-creates a CHILD_SA that expired hard: close it. */
		if (agent.strongswan && p)
			terminate_later(p->conn);
		break;
	case RRI_EVENT_PEER_RESOLVE:
		p = sel_peer(m, tb[RRI_A_PEER_SEL], &sel);
		if (p && *p->name) {
			say("map %s: resolving %s", m->name, p->name);
			peer_resolve_send(m->name, p->name);
		}
		return 0;
	case RRI_EVENT_PEER_RESOLVED:
		/* A trap keeps the address it was installed with. */
		m->pending = true;
		break;
	}
	return 0;
}

/*
 * pluto's pid, from the pid file beside its control socket, if that process
 * lives; else 0. (pluto logs an error for each connection that sends it no
 * command: it is not probed through its socket.)
 */
static pid_t pluto_pid(void)
{
	char path[PATH_MAX], *slash;
	long pid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s", agent.sock);
	slash = strrchr(path, '/');
	snprintf(slash ? slash + 1 : path, sizeof(path) - (slash ? slash + 1 - path : 0),
		 "pluto.pid");
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1 || pid <= 0 || (kill(pid, 0) && errno != EPERM))
		pid = 0;
	fclose(f);
	return pid;
}

static void daemon_gone(void)
{
	if (agent.up)
		say("%s went away: waiting for it", agent.daemon);
	agent.up = false;
}

/* Whether the daemon runs; notices when it went away or came back. */
static void daemon_check(void)
{
	struct agent_map *m;
	char buf[256];
	pid_t pid;
	int fd;

	if (agent.strongswan && agent.fd >= 0) {
		/* charon says nothing unasked: readable means it closed. */
		struct pollfd pfd = { .fd = agent.fd, .events = POLLIN };

		if (poll(&pfd, 1, 0) <= 0 || (read(agent.fd, buf, sizeof(buf)) > 0))
			return;
		close(agent.fd);
		agent.fd = -1;
		daemon_gone();
		return;
	}
	if (agent.strongswan) {
		fd = daemon_connect();
		if (fd < 0) {
			daemon_gone();
			return;
		}
		agent.fd = fd;
	} else {
		pid = pluto_pid();
		if (!pid) {
			daemon_gone();
			return;
		}
		if (agent.up && pid == agent.pid)
			return;
		if (agent.up)
			say("pluto restarted");
		agent.pid = pid;
	}
	agent.up = true;
	say("%s answers: applying every map", agent.daemon);
	for (m = agent.maps; m; m = m->next)
		m->pending = true;
	agent.resync = true;
}

/*
 * Read the events that are there, after waiting up to @ms for the first.
 * 0, or -1 on an error.
 */
static int drain(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (poll(&pfd, 1, ms) > 0 && (pfd.revents & POLLIN)) {
		if (rri_nl_events())
			return -1;
		ms = 0;
	}
	return 0;
}

int agent_main(int argc, char *argv[])
{
	struct agent_map *m;
	struct pollfd pfd;
	int i, fd;

	if (argc < 2)
		return usage_error("agent: expected 'strongswan' or 'libreswan'");
	if (!strcmp(argv[1], "strongswan")) {
		agent.strongswan = true;
		agent.daemon = "charon";
		agent.tool = "swanctl";
		agent.sock = "/var/run/charon.vici";
	} else if (!strcmp(argv[1], "libreswan")) {
		agent.daemon = "pluto";
		agent.tool = "/usr/libexec/ipsec/whack";
		agent.sock = "/run/pluto/pluto.ctl";
	} else {
		return usage_error("agent: unknown IKE daemon '%s'", argv[1]);
	}
	for (i = 2; i < argc; i += 2) {
		if (i + 1 >= argc)
			return usage_error("agent: missing value for '%s'", argv[i]);
		if (agent.strongswan && !strcmp(argv[i], "swanctl")) {
			agent.tool = argv[i + 1];
		} else if (agent.strongswan && !strcmp(argv[i], "uri")) {
			if (strncmp(argv[i + 1], "unix://", 7))
				return usage_error("agent: uri must be unix://PATH");
			agent.uri = argv[i + 1];
			agent.sock = argv[i + 1] + 7;
		} else if (!agent.strongswan && !strcmp(argv[i], "whack")) {
			agent.tool = argv[i + 1];
		} else if (!agent.strongswan && !strcmp(argv[i], "ctl")) {
			agent.sock = argv[i + 1];
		} else {
			return usage_error("agent: unexpected '%s'", argv[i]);
		}
	}
	/* A swanctl or whack that hangs must not outlive us as a zombie. */
	signal(SIGPIPE, SIG_IGN);

	fd = rri_nl_subscribe(RRI_MCGRP_EVENTS, 4 << 20, agent_event, NULL);
	if (fd < 0)
		return RRICTL_EXIT_FAIL;
	/* Reachable at the start: its socket takes a connection. */
	i = daemon_connect();
	if (i < 0) {
		pr_err("agent: cannot reach %s at %s: %s", agent.daemon, agent.sock,
		       strerror(errno));
		return RRICTL_EXIT_FAIL;
	}
	close(i);
	daemon_check();
	say("following rri's events; %s at %s", agent.daemon, agent.sock);
	for (;;) {
		if (agent.resync && agent.up) {
			agent.resync = false;
			if (resync())
				return RRICTL_EXIT_FAIL;
		}
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, 1000) < 0 && errno != EINTR) {
			pr_err("agent: poll: %s", strerror(errno));
			return RRICTL_EXIT_FAIL;
		}
		/*
		 * Read every event there is, terminate, and read what came
		 * meanwhile: only then route, for the state the module has come
		 * to. (After idle-time charon re-creates the CHILD_SA at once,
		 * and its SA makes that peer current until the agent closes it:
		 * no trap should follow that moment.)
		 */
		if (drain(fd, 0))
			return RRICTL_EXIT_FAIL;
		if (terminate_n) {
			/* The SAs the daemon deleted reach us as events. */
			terminate_now();
			if (drain(fd, 500))
				return RRICTL_EXIT_FAIL;
		}
		daemon_check();
		for (m = agent.maps; m; m = m->next)
			apply(m, false);
	}
}
