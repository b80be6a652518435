// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "rri": the only interface to the module. See
 * include/uapi/linux/rri.h for the contract. This file holds the family,
 * its operations and what they share, and the version and stats commands;
 * nl_map.c, nl_route.c and nl_group.c the commands of maps, routes and
 * HA groups.
 */

#include <linux/ctype.h>
#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <uapi/linux/rri.h>

#include "compat.h"
#include "map.h"
#include "netlink.h"
#include "pernet.h"
#include "version.h"

/*
 * Commands that take no attribute still get a policy: with a policy every
 * attribute is validated strictly, so anything sent is refused with a
 * message instead of being silently ignored.
 */
static const struct nla_policy rri_nl_noattr_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_STATS] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_MAP] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_ROUTE] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_PAD] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_EVENT] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_TIME] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_GROUP] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
};

static const struct nla_policy rri_nl_prefix_policy[RRI_A_PREFIX_MAX + 1] = {
	[RRI_A_PREFIX_FAMILY] = { .type = NLA_U16 },
	[RRI_A_PREFIX_ADDR] = { .type = NLA_BINARY, .len = sizeof(xfrm_address_t) },
	[RRI_A_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

const struct nla_policy rri_nl_map_policy[RRI_A_MAP_MAX + 1] = {
	[RRI_A_MAP_NAME] = { .type = NLA_NUL_STRING },
	[RRI_A_MAP_MATCH_FAMILY] = { .type = NLA_U16 },
	[RRI_A_MAP_MATCH_REQID] = { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_IF_ID] = { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_MARK] = { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_MARK_MASK] = { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_REMOTE] = NLA_POLICY_NESTED(rri_nl_prefix_policy),
	[RRI_A_MAP_MATCH_LOCAL] = NLA_POLICY_NESTED(rri_nl_prefix_policy),
	[RRI_A_MAP_MODE] = NLA_POLICY_RANGE(NLA_U8, RRI_MODE_DYNAMIC, RRI_MODE_STATIC),
	[RRI_A_MAP_NEXTHOP] = NLA_POLICY_RANGE(NLA_U8, RRI_NEXTHOP_PEER, RRI_NEXTHOP_DEV),
	[RRI_A_MAP_GATEWAY] = NLA_POLICY_NESTED(rri_nl_prefix_policy),
	[RRI_A_MAP_OIF] = { .type = NLA_U32 },
	[RRI_A_MAP_REMOTE_PEER] = { .type = NLA_FLAG },
	[RRI_A_MAP_TABLE] = { .type = NLA_U32 },
	[RRI_A_MAP_VRF] = { .type = NLA_U32 },
	[RRI_A_MAP_METRIC] = { .type = NLA_U32 },
	[RRI_A_MAP_TAG] = { .type = NLA_U32 },
	[RRI_A_MAP_PROTO] = { .type = NLA_U8 },
	[RRI_A_MAP_POLICIES] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_MAP_ROUTES] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_MAP_SHADOWED] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_MAP_FLAGS] = NLA_POLICY_BITFIELD32(RRI_MAP_F_ALL),
	[RRI_A_MAP_GROUP] = { .type = NLA_NUL_STRING },
	[RRI_A_MAP_PEERS] = { .type = NLA_NESTED },
	[RRI_A_MAP_IDLE_TIME] = { .type = NLA_U32 },
	[RRI_A_MAP_IDLE_DEFAULT] = { .type = NLA_FLAG },
};

/* Past the 16 bits NLA_POLICY_RANGE() holds (not const: 6.1 wants it so). */
static struct netlink_range_validation rri_nl_replay_out_range = {
	.min = RRI_REPLAY_OUTBOUND_MIN,
	.max = RRI_REPLAY_OUTBOUND_MAX,
};

const struct nla_policy rri_nl_sync_policy[RRI_A_SYNC_MAX + 1] = {
	[RRI_A_SYNC_PAD] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_SYNC_STATE] = NLA_POLICY_RANGE(NLA_U8, RRI_SYNC_DOWN, RRI_SYNC_UP),
	[RRI_A_SYNC_PEER] = { .type = NLA_NUL_STRING, .len = RRI_SYNC_PEER_MAX - 1 },
	[RRI_A_SYNC_SAS] = { .type = NLA_U32 },
	[RRI_A_SYNC_UPDATES] = { .type = NLA_U64 },
	[RRI_A_SYNC_LAG] = { .type = NLA_U32 },
	[RRI_A_SYNC_LAST] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
};

const struct nla_policy rri_nl_group_policy[RRI_A_GROUP_MAX + 1] = {
	[RRI_A_GROUP_PAD] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_GROUP_NAME] = { .type = NLA_NUL_STRING },
	[RRI_A_GROUP_KIND] = NLA_POLICY_RANGE(NLA_U8, RRI_GROUP_VIP, RRI_GROUP_MANUAL),
	[RRI_A_GROUP_VIP] = NLA_POLICY_NESTED(rri_nl_prefix_policy),
	[RRI_A_GROUP_ROLE] = NLA_POLICY_RANGE(NLA_U8, RRI_ROLE_STANDBY, RRI_ROLE_ACTIVE),
	[RRI_A_GROUP_REPLAY] = { .type = NLA_FLAG },
	[RRI_A_GROUP_REPLAY_INBOUND] = NLA_POLICY_MAX(NLA_U32, RRI_REPLAY_INBOUND_MAX),
	[RRI_A_GROUP_REPLAY_OUTBOUND] = NLA_POLICY_FULL_RANGE(NLA_U32,
							      &rri_nl_replay_out_range),
	[RRI_A_GROUP_SINCE] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_GROUP_TRANSITIONS] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_GROUP_MAPS] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_GROUP_ROUTES] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_GROUP_INSTALLED] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_GROUP_HOLD] = NLA_POLICY_MAX(NLA_U32, RRI_GROUP_HOLD_MAX),
	[RRI_A_GROUP_HELD] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_GROUP_RELEASE] = { .type = NLA_FLAG },
	[RRI_A_GROUP_HOLD_EXPIRED] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_GROUP_SYNC] = NLA_POLICY_NESTED(rri_nl_sync_policy),
};

/* The group commands. */
static const struct nla_policy rri_nl_group_cmd_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_STATS] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_MAP] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_ROUTE] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_PAD] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_EVENT] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_TIME] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_GROUP] = NLA_POLICY_NESTED(rri_nl_group_policy),
	[RRI_A_PEER_SEL] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_SA] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
};

/* Commands that take a map (add, set, del, get, route get's filter). */
static const struct nla_policy rri_nl_map_cmd_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_STATS] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_MAP] = NLA_POLICY_NESTED(rri_nl_map_policy),
	[RRI_A_ROUTE] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_PAD] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_EVENT] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_TIME] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_GROUP] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_PEER_SEL] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_SA] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
};

/* sa clear and peer resolve: a map and a peer. */
static const struct nla_policy rri_nl_peer_cmd_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_STATS] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_MAP] = NLA_POLICY_NESTED(rri_nl_map_policy),
	[RRI_A_ROUTE] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_PAD] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_EVENT] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_TIME] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_GROUP] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_PEER_SEL] = { .type = NLA_NESTED },
	[RRI_A_SA] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
};

/**
 * rri_nl_reply_new() - a reply to a request, with its genl header
 * @info: the request
 * @cmd: the reply's command
 * @hdr: set to the header, for rri_nl_reply_send()
 *
 * Return: the message, or NULL if memory ran out.
 */
struct sk_buff *rri_nl_reply_new(struct genl_info *info, u8 cmd, void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return NULL;

	*hdr = genlmsg_put_reply(skb, info, &rri_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

/**
 * rri_nl_reply_send() - send a reply, or drop it
 * @msg: the reply from rri_nl_reply_new()
 * @hdr: its header
 * @info: the request
 * @err: 0 to send it, else the error to return instead
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info,
		      int err)
{
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int rri_nl_version_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = rri_nl_reply_new(info, RRI_CMD_VERSION_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	return rri_nl_reply_send(msg, hdr, info,
				 nla_put_string(msg, RRI_A_VERSION, RRI_VERSION));
}

static int rri_nl_stats_fill(struct sk_buff *msg, struct rri_net *rn)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, RRI_A_STATS);
	if (!nest)
		return -EMSGSIZE;

	BUILD_BUG_ON(RRI_A_STATS_SA_ADD + RRI_STAT_NUM - 1 != RRI_A_STATS_MAX);

	for (i = 0; i < RRI_STAT_NUM; i++) {
		if (nla_put_u64_64bit(msg, RRI_A_STATS_SA_ADD + i,
				      atomic64_read(&rn->stats[i]),
				      RRI_A_STATS_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}

	nla_nest_end(msg, nest);
	return 0;
}

static int rri_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;

	msg = rri_nl_reply_new(info, RRI_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	return rri_nl_reply_send(msg, hdr, info, rri_nl_stats_fill(msg, rn));
}

static int rri_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));

	/* Under the worker's lock so no event is half-counted across it. */
	mutex_lock(&rn->lock);
	rri_net_stats_reset(rn);
	mutex_unlock(&rn->lock);
	return 0;
}

/**
 * rri_nl_prefix_parse() - an RRI_A_PREFIX nest
 * @nest: the nest
 * @p: filled in
 * @is_prefix: a prefix (RRI_A_PREFIX_LEN allowed, host bits refused), not
 *	an address
 * @extack: for the reason of a refusal
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_prefix_parse(const struct nlattr *nest, struct rri_prefix *p,
			bool is_prefix, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[RRI_A_PREFIX_MAX + 1];
	xfrm_address_t masked = { };
	u8 max;
	int ret, alen;

	ret = nla_parse_nested(tb, RRI_A_PREFIX_MAX, nest, rri_nl_prefix_policy,
			       extack);
	if (ret)
		return ret;

	if (!tb[RRI_A_PREFIX_FAMILY] || !tb[RRI_A_PREFIX_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "address family and address are required");
		return -EINVAL;
	}
	memset(p, 0, sizeof(*p));
	p->family = nla_get_u16(tb[RRI_A_PREFIX_FAMILY]);
	switch (p->family) {
	case AF_INET:
		alen = 4;
		break;
	case AF_INET6:
		alen = 16;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, tb[RRI_A_PREFIX_FAMILY],
				    "address family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	if (nla_len(tb[RRI_A_PREFIX_ADDR]) != alen) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RRI_A_PREFIX_ADDR],
				    "address length does not match its family");
		return -EINVAL;
	}
	nla_memcpy(&p->addr, tb[RRI_A_PREFIX_ADDR], alen);
	max = alen * 8;

	if (!is_prefix) {
		if (tb[RRI_A_PREFIX_LEN]) {
			NL_SET_ERR_MSG_ATTR(extack, tb[RRI_A_PREFIX_LEN],
					    "an address is expected here, not a prefix");
			return -EINVAL;
		}
		p->len = max;
		return 0;
	}

	p->len = tb[RRI_A_PREFIX_LEN] ? nla_get_u8(tb[RRI_A_PREFIX_LEN]) : max;
	if (p->len > max) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RRI_A_PREFIX_LEN],
				    "prefix length longer than the address");
		return -EINVAL;
	}
	if (p->family == AF_INET)
		masked.a4 = p->addr.a4 & inet_make_mask(p->len);
	else
		ipv6_addr_prefix((struct in6_addr *)masked.a6,
				 (const struct in6_addr *)p->addr.a6, p->len);
	if (memcmp(&masked, &p->addr, sizeof(masked))) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RRI_A_PREFIX_ADDR],
				    "prefix has host bits set");
		return -EINVAL;
	}
	return 0;
}

/**
 * rri_nl_name() - check and copy the name of a map or group
 * @attr: RRI_A_MAP_NAME, RRI_A_GROUP_NAME or RRI_A_MAP_GROUP
 * @name: RRI_MAP_NAME_MAX (== RRI_GROUP_NAME_MAX) bytes, filled in
 * @group: it names a group, for the message
 * @extack: for the reason of a refusal
 *
 * Return: 0 or -EINVAL.
 */
int rri_nl_name(const struct nlattr *attr, char *name, bool group,
		struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	size_t i, len = strnlen(s, nla_len(attr));

	BUILD_BUG_ON(RRI_MAP_NAME_MAX != RRI_GROUP_NAME_MAX);
	if (!len || len >= RRI_MAP_NAME_MAX) {
		if (group)
			NL_SET_ERR_MSG_ATTR(extack, attr, "group name must be 1 to 31 bytes");
		else
			NL_SET_ERR_MSG_ATTR(extack, attr, "map name must be 1 to 31 bytes");
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		/* isalnum() alone takes Latin-1 letters too. */
		if (!(isascii(s[i]) && isalnum(s[i])) && s[i] != '_' && s[i] != '-' &&
		    s[i] != '.') {
			if (group)
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "group name may only hold letters, digits, '_', '-' and '.'");
			else
				NL_SET_ERR_MSG_ATTR(extack, attr,
						    "map name may only hold letters, digits, '_', '-' and '.'");
			return -EINVAL;
		}
	}
	strscpy(name, s, RRI_MAP_NAME_MAX);
	return 0;
}

/**
 * rri_nl_put_prefix() - add an RRI_A_PREFIX nest
 * @msg: the message
 * @type: the nest's attribute type
 * @family: AF_INET or AF_INET6
 * @addr: the address
 * @len: the prefix length, or -1 for an address
 *
 * Return: 0 or -EMSGSIZE.
 */
int rri_nl_put_prefix(struct sk_buff *msg, int type, u16 family,
		      const xfrm_address_t *addr, int len)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest ||
	    nla_put_u16(msg, RRI_A_PREFIX_FAMILY, family) ||
	    nla_put(msg, RRI_A_PREFIX_ADDR, family == AF_INET ? 4 : 16, addr) ||
	    (len >= 0 && nla_put_u8(msg, RRI_A_PREFIX_LEN, len)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static const struct genl_ops rri_nl_ops[] = {
	{
		.cmd = RRI_CMD_VERSION_GET,
		.doit = rri_nl_version_get_doit,
		.policy = rri_nl_noattr_policy,
		.maxattr = RRI_A_MAX,
	},
	{
		.cmd = RRI_CMD_STATS_GET,
		.doit = rri_nl_stats_get_doit,
		.policy = rri_nl_noattr_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_STATS_RESET,
		.doit = rri_nl_stats_reset_doit,
		.policy = rri_nl_noattr_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_MAP_ADD,
		.doit = rri_nl_map_add_doit,
		.policy = rri_nl_map_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_MAP_SET,
		.doit = rri_nl_map_set_doit,
		.policy = rri_nl_map_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_MAP_DEL,
		.doit = rri_nl_map_del_doit,
		.policy = rri_nl_map_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_MAP_GET,
		.doit = rri_nl_map_get_doit,
		.dumpit = rri_nl_map_get_dumpit,
		.policy = rri_nl_map_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_ROUTE_GET,
		.start = rri_nl_route_get_start,
		.dumpit = rri_nl_route_get_dumpit,
		.done = rri_nl_route_get_done,
		.policy = rri_nl_map_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_GROUP_ADD,
		.doit = rri_nl_group_add_doit,
		.policy = rri_nl_group_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_SA_CLEAR,
		.doit = rri_nl_sa_clear_doit,
		.policy = rri_nl_peer_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_PEER_RESOLVE,
		.doit = rri_nl_peer_resolve_doit,
		.policy = rri_nl_peer_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_PEER_RESET,
		.doit = rri_nl_peer_reset_doit,
		.policy = rri_nl_map_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_GROUP_SET,
		.doit = rri_nl_group_set_doit,
		.policy = rri_nl_group_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_GROUP_DEL,
		.doit = rri_nl_group_del_doit,
		.policy = rri_nl_group_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_GROUP_GET,
		.doit = rri_nl_group_get_doit,
		.dumpit = rri_nl_group_get_dumpit,
		.policy = rri_nl_group_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = RRI_CMD_GROUP_SA_GET,
		.start = rri_nl_group_sa_get_start,
		.dumpit = rri_nl_group_sa_get_dumpit,
		.done = rri_nl_group_sa_get_done,
		.policy = rri_nl_group_cmd_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group rri_nl_mcgrps[] = {
	/* Maps and routes are CAP_NET_ADMIN's to read: so are their changes. */
	[RRI_NL_MCGRP_EVENTS] = {
		.name = RRI_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family rri_nl_family __ro_after_init = {
	.name = RRI_GENL_NAME,
	.version = RRI_GENL_VERSION,
	.netnsok = true,
	/* Each request takes the lock of its namespace, not genl_mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = rri_nl_ops,
	.n_ops = ARRAY_SIZE(rri_nl_ops),
	.mcgrps = rri_nl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(rri_nl_mcgrps),
};

/**
 * rri_genl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int __init rri_genl_init(void)
{
	int ret = genl_register_family(&rri_nl_family);

	if (!ret)
		rri_nl_events_start();
	return ret;
}

/**
 * rri_genl_exit() - unregister the generic netlink family
 */
void rri_genl_exit(void)
{
	rri_nl_events_stop();
	genl_unregister_family(&rri_nl_family);
}
