/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink attribute walking for the C selftests (rri_genl_malformed,
 * rri_genl_fuzz), which build and read messages byte by byte rather than
 * through a library that would refuse the malformed ones.
 */
#ifndef _RRI_SELFTEST_NL_H
#define _RRI_SELFTEST_NL_H

#include <errno.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/netlink.h>

static inline bool rri_nla_ok(const struct nlattr *nla, int rem)
{
	return rem >= (int)sizeof(*nla) && nla->nla_len >= sizeof(*nla) &&
	       nla->nla_len <= rem;
}

static inline const void *rri_nla_data(const struct nlattr *nla)
{
	return (const char *)nla + NLA_HDRLEN;
}

/*
 * Like the kernel's nla_for_each_attr(): stops at the first header that
 * does not fit in what is left, so after the loop @rem is 0 only if the
 * attributes exactly filled @len bytes.
 */
#define rri_for_each_attr(nla, head, len, rem)				\
	for (nla = (head), rem = (len); rri_nla_ok(nla, rem);		\
	     rem -= NLA_ALIGN(nla->nla_len),				\
	     nla = (const void *)((const char *)nla + NLA_ALIGN(nla->nla_len)))

/*
 * A netlink socket of @protocol that reports extended acks and gives up
 * a receive after @timeout_s seconds; with @rcvbuf (0: the default) as
 * its receive buffer, past rmem_max where allowed (root), capped to it
 * otherwise. Return: the socket, or -errno.
 */
static inline int rri_nl_socket(int protocol, int rcvbuf, time_t timeout_s)
{
	struct timeval tv = { .tv_sec = timeout_s };
	int one = 1, fd, ret;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (fd < 0)
		return -errno;
	if (rcvbuf &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv))) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

#endif /* _RRI_SELFTEST_NL_H */
