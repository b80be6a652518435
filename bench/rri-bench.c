// SPDX-License-Identifier: GPL-2.0
/*
 * rri-bench: the clock of the rri benchmark (bench/run.sh). It runs in the
 * network namespace under test (ip netns exec) and times, with
 * CLOCK_MONOTONIC, what a shell cannot time without measuring itself:
 *
 *   rri-bench bulk N FAMILY PROTO TIMEOUT_S [-s PREFIX/LEN] [-g MS]
 *		    -- COMMAND [ARG]...
 *	Subscribe to the namespace's route notifications of FAMILY (inet,
 *	inet6), start COMMAND (e.g. "ip -batch FILE") and count RTM_NEWROUTE
 *	of protocol PROTO in the main table until there are N. Prints
 *	key=value lines: exit_us (COMMAND returned), first_us and routes_us
 *	(the first and the Nth route seen), routes, deleted (RTM_DELROUTE of
 *	PROTO in the main table), rc, and overflow=1 if the socket overflowed
 *	(the count then comes from route dumps, every 20 ms, and deleted is
 *	-1). Times are from just before COMMAND is started. N = 0 times
 *	COMMAND alone.
 *	-s: also wait for the route to PREFIX/LEN (the sentinel: a change
 *	made last, so whatever was queued before it has been applied when it
 *	shows); it is not counted in routes, its time is sentinel_us.
 *	-g: once everything awaited was seen, keep counting for MS more
 *	(late or unexpected route changes); the times stay as they were.
 *
 *   rri-bench lat FILE [SAMPLES_OUT]
 *	For each line "SRC DST SPI REQID PREFIX/LEN" of FILE: add a
 *	tunnel-mode ESP SA (rfc4106(gcm(aes))) SRC->DST with that SPI and
 *	reqid over NETLINK_XFRM and wait for the route to PREFIX/LEN
 *	(protocol 201) to be notified. One SA at a time. Prints percentiles
 *	of: sa_us (send of the SA request to its return: the SA is in the
 *	SA database), route_us (send to route notified), after_us (return of
 *	the send to route notified).
 *
 *   rri-bench ae N ROUNDS
 *	Once a second for ROUNDS seconds, give the outbound SA of each of
 *	run.sh's N IPv4 tunnels (gen: peer 100.64.0.0 + i * 40503 mod 2^22,
 *	SPI 0x10000 + i) a new replay state with XFRM_MSG_NEWAE, its
 *	sequence number 1000 further on: the async events a sync daemon
 *	hears when every one of N SAs carries traffic and XFRM's timer
 *	reports each once a second. Prints sent, failed and round_us (the
 *	median time a round took).
 *
 *   rri-bench each FILE
 *	fork+exec every line of FILE (words split on blanks, PATH search),
 *	one after the other, as an IKE daemon's updown script runs
 *	"ip route add" per tunnel. Prints percentiles of each command's time
 *	and the total.
 *
 * Plain libc and the uapi headers: no library to install in the VM.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/xfrm.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define RRI_PROTO	201
#define RCVBUF		(256 << 20)
#define BUFSZ		(1 << 20)

static char buf[BUFSZ];

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int family_of(const char *s)
{
	if (!strcmp(s, "inet") || !strcmp(s, "4"))
		return AF_INET;
	if (!strcmp(s, "inet6") || !strcmp(s, "6"))
		return AF_INET6;
	fprintf(stderr, "rri-bench: family %s: inet or inet6\n", s);
	exit(2);
}

/* An rtnetlink socket that hears the route changes of @groups. */
static int route_listener(const int *groups, int n)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	int fd, size = RCVBUF, i;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		die("socket(NETLINK_ROUTE)");
	/*
	 * Bound, so it has a port id: notifications that are no report to a
	 * requester go to every member but port 0.
	 */
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("bind(NETLINK_ROUTE)");
	/* Root in the VM: a buffer that holds 100k notifications. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	for (i = 0; i < n; i++)
		if (setsockopt(fd, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP,
			       &groups[i], sizeof(groups[i])))
			die("NETLINK_ADD_MEMBERSHIP");
	return fd;
}

/* A route of @proto in the main table added (RTM_NEWROUTE) or removed (RTM_DELROUTE). */
static int is_proto_route(const struct nlmsghdr *nlh, int type, int proto)
{
	const struct rtmsg *rtm = NLMSG_DATA(nlh);

	return nlh->nlmsg_type == type &&
	       nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(*rtm)) &&
	       rtm->rtm_protocol == proto && rtm->rtm_table == RT_TABLE_MAIN;
}

static int is_our_route(const struct nlmsghdr *nlh, int proto)
{
	return is_proto_route(nlh, RTM_NEWROUTE, proto);
}

/* A route to a given prefix: the sentinel of "bulk -s". */
struct prefix {
	int family, len;
	unsigned char addr[16];
};

static void parse_prefix(const char *s, struct prefix *p)
{
	char a[64], *slash;

	snprintf(a, sizeof(a), "%s", s);
	slash = strchr(a, '/');
	if (slash)
		*slash = 0;
	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, a, p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, a, p->addr) == 1)
		p->family = AF_INET6;
	else {
		fprintf(stderr, "rri-bench: bad prefix %s\n", s);
		exit(2);
	}
	p->len = slash ? atoi(slash + 1) : (p->family == AF_INET ? 32 : 128);
}

/* Whether the route message @nlh is for @p. */
static int route_to(const struct nlmsghdr *nlh, const struct prefix *p)
{
	const struct rtmsg *rtm = NLMSG_DATA(nlh);
	int alen = p->family == AF_INET ? 4 : 16;
	const struct rtattr *rta;
	int len;

	if (rtm->rtm_family != p->family || rtm->rtm_dst_len != p->len)
		return 0;
	len = RTM_PAYLOAD(nlh);
	for (rta = RTM_RTA(rtm); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == RTA_DST && RTA_PAYLOAD(rta) == (size_t)alen)
			return !memcmp(RTA_DATA(rta), p->addr, alen);
	return 0;
}

/*
 * Count the routes of @proto in the main table with a dump, @sentinel (if
 * any) left out; *@has_sentinel tells whether it was there.
 */
static long route_dump_count(int family, int proto, const struct prefix *sentinel,
			     int *has_sentinel)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETROUTE,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = 1,
		},
		.rtm = { .rtm_family = family },
	};
	long count = 0;
	int fd, done = 0;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		die("socket(NETLINK_ROUTE)");
	if (send(fd, &req, sizeof(req), 0) < 0)
		die("send(RTM_GETROUTE)");
	while (!done) {
		struct nlmsghdr *nlh;
		ssize_t len = recv(fd, buf, sizeof(buf), 0);

		if (len < 0)
			die("recv(route dump)");
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_type == NLMSG_DONE ||
			    nlh->nlmsg_type == NLMSG_ERROR) {
				done = 1;
				break;
			}
			if (!is_our_route(nlh, proto))
				continue;
			if (sentinel && route_to(nlh, sentinel))
				*has_sentinel = 1;
			else
				count++;
		}
	}
	close(fd);
	return count;
}

static pid_t spawn(char **argv)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (!pid) {
		execvp(argv[0], argv);
		fprintf(stderr, "rri-bench: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return pid;
}

static int cmd_bulk(int argc, char **argv)
{
	long want, count = 0, deleted = 0;
	int family, proto, timeout_s, fd, pfd, group, rc = -1, overflow = 0, i;
	int64_t t0, t_exit = -1, t_first = -1, t_routes = -1, deadline, t_dump = 0;
	int64_t t_sentinel = -1, grace_ns = 0, t_quiet = -1;
	struct prefix sentinel_prefix, *sentinel = NULL;
	struct pollfd p[2];
	pid_t pid;

	for (i = 5; i + 1 < argc && strcmp(argv[i], "--"); i += 2) {
		if (!strcmp(argv[i], "-s")) {
			parse_prefix(argv[i + 1], &sentinel_prefix);
			sentinel = &sentinel_prefix;
		} else if (!strcmp(argv[i], "-g")) {
			grace_ns = atoll(argv[i + 1]) * 1000000;
		} else {
			break;
		}
	}
	if (i + 1 >= argc || strcmp(argv[i], "--")) {
		fprintf(stderr, "usage: rri-bench bulk N FAMILY PROTO TIMEOUT_S [-s PREFIX/LEN] [-g MS] -- COMMAND...\n");
		return 2;
	}
	want = atol(argv[1]);
	family = family_of(argv[2]);
	proto = atoi(argv[3]);
	timeout_s = atoi(argv[4]);
	if (sentinel && sentinel->family != family) {
		fprintf(stderr, "rri-bench: the sentinel must be of family %s\n", argv[2]);
		return 2;
	}
	group = family == AF_INET ? RTNLGRP_IPV4_ROUTE : RTNLGRP_IPV6_ROUTE;
	fd = route_listener(&group, 1);

	t0 = now_ns();
	deadline = t0 + (int64_t)timeout_s * 1000000000;
	pid = spawn(argv + i + 1);
	pfd = syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		die("pidfd_open");

	for (;;) {
		int64_t now = now_ns();
		int n, wait_ms = overflow ? 20 : 1000;

		if (now > deadline)
			break;
		/* Everything awaited seen: the grace period, then done. */
		if (t_exit >= 0 && count >= want && (!sentinel || t_sentinel >= 0)) {
			if (t_quiet < 0)
				t_quiet = now + grace_ns;
			if (now >= t_quiet)
				break;
			if ((t_quiet - now) / 1000000 + 1 < wait_ms)
				wait_ms = (t_quiet - now) / 1000000 + 1;
		}
		p[0] = (struct pollfd){ .fd = fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = t_exit < 0 ? pfd : -1, .events = POLLIN };
		n = poll(p, 2, wait_ms);
		if (n < 0 && errno != EINTR)
			die("poll");
		if (p[1].revents) {
			int status;

			waitpid(pid, &status, 0);
			t_exit = now_ns();
			rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		}
		if (p[0].revents) {
			for (;;) {
				struct nlmsghdr *nlh;
				ssize_t len = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
				int64_t t = now_ns();

				if (len < 0) {
					if (errno == ENOBUFS) {
						overflow = 1;
						continue;
					}
					break;
				}
				for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, len);
				     nlh = NLMSG_NEXT(nlh, len)) {
					if (is_proto_route(nlh, RTM_DELROUTE, proto)) {
						deleted++;
						continue;
					}
					if (!is_our_route(nlh, proto))
						continue;
					if (sentinel && route_to(nlh, sentinel)) {
						if (t_sentinel < 0)
							t_sentinel = t;
						continue;
					}
					if (t_first < 0)
						t_first = t;
					if (++count == want && !overflow)
						t_routes = t;
				}
			}
		}
		/* Notifications were lost: count what the FIB holds instead. */
		if (overflow && (t_routes < 0 || (sentinel && t_sentinel < 0)) &&
		    now_ns() - t_dump > 20000000) {
			int has_sentinel = 0;

			count = route_dump_count(family, proto, sentinel, &has_sentinel);
			t_dump = now_ns();
			if (count >= want && t_routes < 0)
				t_routes = t_dump;
			if (has_sentinel && t_sentinel < 0)
				t_sentinel = t_dump;
		}
	}
	if (t_exit < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	if (!want && t_exit >= 0)
		t_routes = t_exit;	/* only the command was to be timed */
	printf("exit_us=%lld\n", t_exit < 0 ? -1LL : (long long)(t_exit - t0) / 1000);
	printf("first_us=%lld\n", t_first < 0 ? -1LL : (long long)(t_first - t0) / 1000);
	printf("routes_us=%lld\n", t_routes < 0 ? -1LL : (long long)(t_routes - t0) / 1000);
	if (sentinel)
		printf("sentinel_us=%lld\n",
		       t_sentinel < 0 ? -1LL : (long long)(t_sentinel - t0) / 1000);
	printf("routes=%ld\ndeleted=%ld\nrc=%d\noverflow=%d\n", count,
	       overflow ? -1 : deleted, rc, overflow);
	return t_routes < 0 || (sentinel && t_sentinel < 0) || rc;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted @v. */
static int64_t pct(const int64_t *v, int n, double p)
{
	int i = (int)(p / 100.0 * n + 0.999999) - 1;

	if (i < 0)
		i = 0;
	if (i >= n)
		i = n - 1;
	return v[i];
}

/* key_p50=... lines for @n samples in ns, printed in microseconds. */
static void summary(const char *key, int64_t *v, int n)
{
	int64_t sum = 0;
	int i;

	if (!n) {
		printf("%s_n=0\n", key);
		return;
	}
	qsort(v, n, sizeof(*v), cmp_i64);
	for (i = 0; i < n; i++)
		sum += v[i];
	printf("%s_n=%d\n", key, n);
	printf("%s_min=%.1f\n", key, v[0] / 1e3);
	printf("%s_p50=%.1f\n", key, pct(v, n, 50) / 1e3);
	printf("%s_p90=%.1f\n", key, pct(v, n, 90) / 1e3);
	printf("%s_p99=%.1f\n", key, pct(v, n, 99) / 1e3);
	printf("%s_max=%.1f\n", key, v[n - 1] / 1e3);
	printf("%s_mean=%.1f\n", key, sum / 1e3 / n);
	printf("%s_total=%.1f\n", key, sum / 1e3);
}

struct sa_line {
	int family;
	xfrm_address_t src, dst, route;
	uint32_t spi, reqid;
	int route_len;
	int route_family;
};

static int parse_addr(const char *s, xfrm_address_t *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, &a->a4) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, a->a6) == 1)
		return AF_INET6;
	return -1;
}

static int parse_sa_line(char *line, struct sa_line *l)
{
	char src[64], dst[64], route[80], *slash;

	if (sscanf(line, "%63s %63s %i %u %79s", src, dst, (int *)&l->spi,
		   &l->reqid, route) != 5)
		return -1;
	slash = strchr(route, '/');
	if (!slash)
		return -1;
	*slash = 0;
	l->route_len = atoi(slash + 1);
	l->family = parse_addr(src, &l->src);
	if (l->family < 0 || parse_addr(dst, &l->dst) != l->family)
		return -1;
	l->route_family = parse_addr(route, &l->route);
	return l->route_family < 0 ? -1 : 0;
}

/* XFRM_MSG_NEWSA for a tunnel-mode rfc4106 ESP SA, as "ip xfrm state add". */
static size_t build_newsa(char *msg, const struct sa_line *l, uint32_t seq)
{
	static const unsigned char key[20] = {
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
		17, 18, 19, 20,
	};
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct xfrm_usersa_info *sa;
	struct xfrm_algo_aead *aead;
	struct nlattr *nla;

	memset(msg, 0, 1024);
	nlh->nlmsg_type = XFRM_MSG_NEWSA;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL;
	nlh->nlmsg_seq = seq;
	sa = NLMSG_DATA(nlh);
	sa->family = l->family;
	sa->saddr = l->src;
	sa->id.daddr = l->dst;
	sa->id.spi = htonl(l->spi);
	sa->id.proto = IPPROTO_ESP;
	sa->reqid = l->reqid;
	sa->mode = XFRM_MODE_TUNNEL;
	sa->lft.soft_byte_limit = XFRM_INF;
	sa->lft.hard_byte_limit = XFRM_INF;
	sa->lft.soft_packet_limit = XFRM_INF;
	sa->lft.hard_packet_limit = XFRM_INF;
	nlh->nlmsg_len = NLMSG_LENGTH(sizeof(*sa));

	nla = (struct nlattr *)(msg + NLMSG_ALIGN(nlh->nlmsg_len));
	nla->nla_type = XFRMA_ALG_AEAD;
	nla->nla_len = NLA_HDRLEN + sizeof(*aead) + sizeof(key);
	aead = (struct xfrm_algo_aead *)((char *)nla + NLA_HDRLEN);
	strcpy(aead->alg_name, "rfc4106(gcm(aes))");
	aead->alg_key_len = sizeof(key) * 8;
	aead->alg_icv_len = 128;
	memcpy(aead->alg_key, key, sizeof(key));
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(nla->nla_len);
	return nlh->nlmsg_len;
}

static int route_is(const struct nlmsghdr *nlh, const struct sa_line *l)
{
	const struct rtmsg *rtm = NLMSG_DATA(nlh);
	int alen = l->route_family == AF_INET ? 4 : 16;
	const struct rtattr *rta;
	int len;

	if (!is_our_route(nlh, RRI_PROTO) || rtm->rtm_family != l->route_family ||
	    rtm->rtm_dst_len != l->route_len)
		return 0;
	len = RTM_PAYLOAD(nlh);
	for (rta = RTM_RTA(rtm); RTA_OK(rta, len); rta = RTA_NEXT(rta, len))
		if (rta->rta_type == RTA_DST && RTA_PAYLOAD(rta) == (size_t)alen)
			return !memcmp(RTA_DATA(rta), &l->route, alen);
	return 0;
}

static int cmd_lat(int argc, char **argv)
{
	static const int groups[] = { RTNLGRP_IPV4_ROUTE, RTNLGRP_IPV6_ROUTE };
	int64_t *sa_ns, *route_ns, *after_ns;
	int xfd, rfd, n = 0, cap = 1024, failed = 0;
	char line[256], msg[1024];
	FILE *f, *out = NULL;
	uint32_t seq = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: rri-bench lat FILE [SAMPLES_OUT]\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f)
		die(argv[1]);
	if (argc > 2) {
		out = fopen(argv[2], "w");
		if (!out)
			die(argv[2]);
	}
	sa_ns = malloc(cap * sizeof(*sa_ns));
	route_ns = malloc(cap * sizeof(*route_ns));
	after_ns = malloc(cap * sizeof(*after_ns));
	xfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_XFRM);
	if (xfd < 0)
		die("socket(NETLINK_XFRM)");
	rfd = route_listener(groups, 2);

	while (fgets(line, sizeof(line), f)) {
		int64_t t0, t_sent, t_route = -1, deadline;
		int acked = 0, err = 0;
		struct sa_line l;
		size_t len;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (parse_sa_line(line, &l)) {
			fprintf(stderr, "rri-bench: bad line: %s", line);
			return 2;
		}
		if (n == cap) {
			cap *= 2;
			sa_ns = realloc(sa_ns, cap * sizeof(*sa_ns));
			route_ns = realloc(route_ns, cap * sizeof(*route_ns));
			after_ns = realloc(after_ns, cap * sizeof(*after_ns));
		}
		/* Nothing stale may be taken for this sample's route. */
		while (recv(rfd, buf, sizeof(buf), MSG_DONTWAIT) > 0 || errno == ENOBUFS)
			;
		len = build_newsa(msg, &l, ++seq);

		t0 = now_ns();
		if (send(xfd, msg, len, 0) < 0)
			die("send(XFRM_MSG_NEWSA)");
		t_sent = now_ns();
		deadline = t_sent + 5000000000LL;

		while ((t_route < 0 || !acked) && now_ns() < deadline) {
			struct pollfd p[2] = {
				{ .fd = rfd, .events = POLLIN },
				{ .fd = acked ? -1 : xfd, .events = POLLIN },
			};

			if (poll(p, 2, 100) < 0 && errno != EINTR)
				die("poll");
			if (p[0].revents & POLLIN) {
				ssize_t r = recv(rfd, buf, sizeof(buf), MSG_DONTWAIT);
				int64_t t = now_ns();
				struct nlmsghdr *nlh;

				for (nlh = (struct nlmsghdr *)buf; r > 0 && NLMSG_OK(nlh, r);
				     nlh = NLMSG_NEXT(nlh, r))
					if (t_route < 0 && route_is(nlh, &l))
						t_route = t;
			}
			if (p[1].revents & POLLIN) {
				ssize_t r = recv(xfd, buf, sizeof(buf), MSG_DONTWAIT);
				struct nlmsghdr *nlh = (struct nlmsghdr *)buf;

				if (r >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) &&
				    nlh->nlmsg_type == NLMSG_ERROR) {
					err = ((struct nlmsgerr *)NLMSG_DATA(nlh))->error;
					acked = 1;
				}
			}
			if (err)
				break;
		}
		if (err || t_route < 0) {
			fprintf(stderr, "rri-bench: SA spi 0x%x: %s\n", l.spi,
				err ? strerror(-err) : "no route within 5 s");
			failed++;
			continue;
		}
		sa_ns[n] = t_sent - t0;
		route_ns[n] = t_route - t0;
		after_ns[n] = t_route - t_sent;
		if (out)
			fprintf(out, "%lld %lld\n", (long long)sa_ns[n],
				(long long)route_ns[n]);
		n++;
	}
	if (out)
		fclose(out);
	printf("failed=%d\n", failed);
	summary("sa_us", sa_ns, n);
	summary("route_us", route_ns, n);
	summary("after_us", after_ns, n);
	return failed != 0;
}

static int cmd_each(int argc, char **argv)
{
	int64_t *v, t0, total0;
	int n = 0, cap = 1024, failed = 0;
	char line[512];
	FILE *f;

	if (argc < 2) {
		fprintf(stderr, "usage: rri-bench each FILE\n");
		return 2;
	}
	f = fopen(argv[1], "r");
	if (!f)
		die(argv[1]);
	v = malloc(cap * sizeof(*v));
	total0 = now_ns();
	while (fgets(line, sizeof(line), f)) {
		char *words[64], *save = NULL, *w;
		int nw = 0, status;
		pid_t pid;

		for (w = strtok_r(line, " \t\n", &save); w && nw < 63;
		     w = strtok_r(NULL, " \t\n", &save))
			words[nw++] = w;
		if (!nw || words[0][0] == '#')
			continue;
		words[nw] = NULL;
		if (n == cap) {
			cap *= 2;
			v = realloc(v, cap * sizeof(*v));
		}
		t0 = now_ns();
		pid = spawn(words);
		waitpid(pid, &status, 0);
		v[n++] = now_ns() - t0;
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	printf("failed=%d\n", failed);
	printf("wall_ms=%.1f\n", (now_ns() - total0) / 1e6);
	summary("each_us", v, n);
	return failed != 0;
}

/* One NEWAE for tunnel @i (no ACK asked; failures come back as errors). */
static int ae_send(int fd, uint32_t i, uint32_t oseq)
{
	struct {
		struct nlmsghdr nlh;
		struct xfrm_aevent_id ae;
		struct nlattr rp_a;
		struct xfrm_replay_state rp;
		struct nlattr lt_a;
		struct xfrm_lifetime_cur lt;
	} req;
	uint32_t p = (uint32_t)(((uint64_t)i * 40503) % 4194304);

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = sizeof(req);
	req.nlh.nlmsg_type = XFRM_MSG_NEWAE;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_REPLACE;
	req.ae.sa_id.daddr.a4 = htonl(0x64400000 + p);
	req.ae.sa_id.spi = htonl(0x10000 + i);
	req.ae.sa_id.family = AF_INET;
	req.ae.sa_id.proto = IPPROTO_ESP;
	req.ae.saddr.a4 = htonl(0x0aff0001);
	req.ae.reqid = i;
	req.ae.flags = XFRM_AE_RVAL | XFRM_AE_LVAL;
	req.rp_a.nla_type = XFRMA_REPLAY_VAL;
	req.rp_a.nla_len = NLA_HDRLEN + sizeof(req.rp);
	req.rp.oseq = oseq;
	req.lt_a.nla_type = XFRMA_LTIME_VAL;
	req.lt_a.nla_len = NLA_HDRLEN + sizeof(req.lt);
	req.lt.packets = oseq;
	req.lt.bytes = (uint64_t)oseq * 100;
	return send(fd, &req, sizeof(req), 0) == (ssize_t)sizeof(req) ? 0 : -1;
}

static int cmd_ae(int argc, char **argv)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	long sent = 0, failed = 0;
	uint32_t n, rounds, r, i;
	int64_t t0, *took;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: rri-bench ae N ROUNDS\n");
		return 2;
	}
	n = (uint32_t)atol(argv[1]);
	rounds = (uint32_t)atol(argv[2]);
	took = calloc(rounds ? rounds : 1, sizeof(*took));
	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_XFRM);
	if (!took || fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)))
		die("NETLINK_XFRM");
	for (r = 0; r < rounds; r++) {
		t0 = now_ns();
		for (i = 1; i <= n; i++) {
			if (ae_send(fd, i, (r + 1) * 1000)) {
				failed++;
				continue;
			}
			sent++;
			/* Errors (no such SA) pile up: read them as they come. */
			while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
				failed++;
		}
		took[r] = now_ns() - t0;
		if (took[r] < 1000000000) {
			struct timespec ts = { 0, 1000000000 - took[r] };

			nanosleep(&ts, NULL);
		}
	}
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		failed++;
	qsort(took, rounds, sizeof(*took), cmp_i64);
	printf("sent=%ld\nfailed=%ld\nround_us=%lld\n", sent, failed,
	       rounds ? (long long)took[rounds / 2] / 1000 : 0LL);
	return failed != 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && !strcmp(argv[1], "bulk"))
		return cmd_bulk(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "lat"))
		return cmd_lat(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "each"))
		return cmd_each(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "ae"))
		return cmd_ae(argc - 1, argv + 1);
	fprintf(stderr, "usage: rri-bench bulk|lat|each|ae ...\n");
	return 2;
}
