/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: addresses, prefixes and devices, as the command line, the RRI_A_PREFIX
 * nests of netlink and the output have them.
 */

#ifndef RRICTL_ADDR_H
#define RRICTL_ADDR_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>
#include <netinet/in.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/rri.h>

#include "rrictl.h"

/* An address is a prefix of the family's full length. */
struct prefix {
	uint16_t family;	/* AF_INET or AF_INET6 */
	uint8_t len;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} addr;
};

/* An IPv6 address in its longest form, "/128" and the NUL. */
#define PREFIX_STRLEN	(INET6_ADDRSTRLEN + sizeof("/128") - 1)

/* "inet" and "inet6": the words for AF_INET and AF_INET6. */
extern const struct name_value family_names[];

int prefix_parse(const char *str, bool with_len, struct prefix *p);
int prefix_put(struct nl_msg *msg, int attr, const struct prefix *p, bool with_len);
int prefix_get(struct nlattr *nest, struct prefix *p);
const char *prefix_str(const struct prefix *p, bool with_len, char buf[PREFIX_STRLEN]);
int resolve_host(const char *host, struct prefix *out, int max, const char **why);

int dev_index(const char *name, uint32_t *ifindex);
const char *dev_name(uint32_t ifindex, char buf[IF_NAMESIZE]);

int print_prefix_attr(const char *key, const char *fmt, struct nlattr *nla, bool with_len);
void print_dev_attr(const char *key, const char *fmt, const struct nlattr *nla);

#endif /* RRICTL_ADDR_H */
