// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl: addresses, prefixes and devices.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "print.h"

const struct name_value family_names[] = {
	{ "inet", AF_INET },
	{ "inet6", AF_INET6 },
	{ NULL, 0 },
};

static const struct nla_policy prefix_policy[RRI_A_PREFIX_MAX + 1] = {
	[RRI_A_PREFIX_FAMILY]	= { .type = NLA_U16 },
	[RRI_A_PREFIX_ADDR]	= { .type = NLA_UNSPEC },
	[RRI_A_PREFIX_LEN]	= { .type = NLA_U8 },
};

static unsigned int addr_bytes(uint16_t family)
{
	return family == AF_INET ? sizeof(struct in_addr) : sizeof(struct in6_addr);
}

/**
 * prefix_parse() - read a prefix or an address from the command line
 * @str: "ADDR/LEN", or "ADDR" for a prefix of the full length; the family is the
 *	 address's
 * @with_len: whether "/LEN" may be given
 * @p: set to the prefix
 *
 * Host bits are left for the kernel to refuse.
 *
 * Return: 0, or -1 if @str is not a prefix (or with @with_len false, an address).
 */
int prefix_parse(const char *str, bool with_len, struct prefix *p)
{
	const char *slash = with_len ? strchr(str, '/') : NULL;
	size_t n = slash ? (size_t)(slash - str) : strlen(str);
	char addr[INET6_ADDRSTRLEN];
	uint64_t len;

	if (n >= sizeof(addr))
		return -1;
	memcpy(addr, str, n);
	addr[n] = '\0';

	memset(p, 0, sizeof(*p));
	if (inet_pton(AF_INET, addr, &p->addr) == 1)
		p->family = AF_INET;
	else if (inet_pton(AF_INET6, addr, &p->addr) == 1)
		p->family = AF_INET6;
	else
		return -1;

	len = addr_bytes(p->family) * 8;
	if (slash && !parse_number(slash + 1, '\0', len, &len))
		return -1;
	p->len = len;
	return 0;
}

/**
 * prefix_put() - add a prefix to a request, as an RRI_A_PREFIX nest
 * @msg: the request
 * @attr: the nest's attribute type
 * @p: the prefix
 * @with_len: whether to send its length (an address has none)
 *
 * Return: 0, or a negative libnl error if @msg is out of room.
 */
int prefix_put(struct nl_msg *msg, int attr, const struct prefix *p, bool with_len)
{
	/* As for RRI_A_MAP: strict validation requires the flag, older libnl omits it. */
	struct nlattr *nest = nla_nest_start(msg, attr | NLA_F_NESTED);

	if (!nest || nla_put_u16(msg, RRI_A_PREFIX_FAMILY, p->family) < 0 ||
	    nla_put(msg, RRI_A_PREFIX_ADDR, (int)addr_bytes(p->family), &p->addr) < 0 ||
	    (with_len && nla_put_u8(msg, RRI_A_PREFIX_LEN, p->len) < 0))
		return -NLE_NOMEM;
	return nla_nest_end(msg, nest);
}

/**
 * prefix_get() - read an RRI_A_PREFIX nest from a reply
 * @nest: the nest
 * @p: set to the prefix; without RRI_A_PREFIX_LEN, of the full length
 *
 * Return: 0, or -1 if the nest does not hold an IPv4 or IPv6 prefix.
 */
int prefix_get(struct nlattr *nest, struct prefix *p)
{
	struct nlattr *tb[RRI_A_PREFIX_MAX + 1];
	unsigned int bytes;

	if (nla_parse_nested(tb, RRI_A_PREFIX_MAX, nest, prefix_policy) < 0 ||
	    !tb[RRI_A_PREFIX_FAMILY] || !tb[RRI_A_PREFIX_ADDR])
		return -1;

	memset(p, 0, sizeof(*p));
	p->family = nla_get_u16(tb[RRI_A_PREFIX_FAMILY]);
	if (p->family != AF_INET && p->family != AF_INET6)
		return -1;
	bytes = addr_bytes(p->family);
	if (nla_len(tb[RRI_A_PREFIX_ADDR]) != (int)bytes)
		return -1;
	memcpy(&p->addr, nla_data(tb[RRI_A_PREFIX_ADDR]), bytes);

	p->len = bytes * 8;
	if (tb[RRI_A_PREFIX_LEN]) {
		if (nla_get_u8(tb[RRI_A_PREFIX_LEN]) > p->len)
			return -1;
		p->len = nla_get_u8(tb[RRI_A_PREFIX_LEN]);
	}
	return 0;
}

/**
 * prefix_str() - format a prefix as "ADDR/LEN", or its address alone
 * @p: the prefix
 * @with_len: whether to add "/LEN"
 * @buf: where to format it
 *
 * Return: @buf.
 */
const char *prefix_str(const struct prefix *p, bool with_len, char buf[PREFIX_STRLEN])
{
	size_t n;

	inet_ntop(p->family, &p->addr, buf, INET6_ADDRSTRLEN);
	n = strlen(buf);
	if (with_len)
		snprintf(buf + n, PREFIX_STRLEN - n, "/%u", p->len);
	return buf;
}

/**
 * dev_index() - the ifindex of a device of the current network namespace
 * @name: the device's name
 * @ifindex: set to its ifindex
 *
 * Return: 0, or -1 after printing an error.
 */
int dev_index(const char *name, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (*ifindex)
		return 0;
	if (errno == ENODEV)
		pr_err("device \"%s\" does not exist", name);
	else
		pr_err("cannot look up device \"%s\": %s", name, strerror(errno));
	return -1;
}

/**
 * dev_name() - the name of a device of the current network namespace
 * @ifindex: its ifindex
 * @buf: where to put the name
 *
 * Return: @buf, with the name, or "ifINDEX" as iproute2 shows a device it cannot
 * name (one deleted since, say).
 */
const char *dev_name(uint32_t ifindex, char buf[IF_NAMESIZE])
{
	if (!if_indextoname(ifindex, buf))
		snprintf(buf, IF_NAMESIZE, "if%u", ifindex);
	return buf;
}

/**
 * print_prefix_attr() - print an RRI_A_PREFIX nest of a reply, if there is one
 * @key: JSON member name
 * @fmt: text format with one %s
 * @nla: the nest, or NULL
 * @with_len: print "ADDR/LEN" rather than the address alone
 *
 * Return: 0, or -1 if the nest does not hold a prefix.
 */
int print_prefix_attr(const char *key, const char *fmt, struct nlattr *nla, bool with_len)
{
	char buf[PREFIX_STRLEN];
	struct prefix p;

	if (!nla)
		return 0;
	if (prefix_get(nla, &p))
		return -1;
	print_string(key, fmt, prefix_str(&p, with_len, buf));
	return 0;
}

/**
 * print_dev_attr() - print the device of an ifindex attribute, if there is one
 * @key: JSON member name
 * @fmt: text format with one %s
 * @nla: the NLA_U32 attribute, or NULL
 */
void print_dev_attr(const char *key, const char *fmt, const struct nlattr *nla)
{
	char buf[IF_NAMESIZE];

	if (!nla)
		return;
	print_string(key, fmt, dev_name(nla_get_u32(nla), buf));
}

/**
 * resolve_host() - the addresses of a DNS name, as Cisco takes them for a peer
 * @host: the name
 * @out: filled with its IPv4 and IPv6 addresses, each once, in the resolver's order
 * @max: room in @out
 * @why: set to the reason when there is none
 *
 * Return: how many (1..@max), or -1.
 */
int resolve_host(const char *host, struct prefix *out, int max, const char **why)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res, *ai;
	struct prefix p;
	int n = 0, i, err;

	err = getaddrinfo(host, NULL, &hints, &res);
	if (err) {
		*why = gai_strerror(err);
		return -1;
	}
	for (ai = res; ai && n < max; ai = ai->ai_next) {
		memset(&p, 0, sizeof(p));
		p.family = (uint16_t)ai->ai_family;
		if (ai->ai_family == AF_INET)
			p.addr.v4 = ((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			p.addr.v6 = ((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		for (i = 0; i < n && memcmp(&out[i], &p, sizeof(p)); i++)
			;
		if (i == n)
			out[n++] = p;
	}
	freeaddrinfo(res);
	if (!n) {
		*why = "no IPv4 or IPv6 address";
		return -1;
	}
	return n;
}
