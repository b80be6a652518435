// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "rri": the only interface to the module. See
 * include/uapi/linux/rri.h for the contract.
 */

#include <linux/ctype.h>
#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/l3mdev.h>
#include <uapi/linux/rri.h>

#include "map.h"
#include "netlink.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"
#include "version.h"
#include "xfrm.h"

/*
 * Commands that take no attribute still get a policy: with a policy every
 * attribute is validated strictly, so anything sent is refused with a
 * message instead of being silently ignored.
 */
#define RRI_NL_NOT_HERE "attribute not accepted by this command"

static const struct nla_policy rri_nl_noattr_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_STATS] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_MAP] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_ROUTE] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
};

static const struct nla_policy rri_nl_prefix_policy[RRI_A_PREFIX_MAX + 1] = {
	[RRI_A_PREFIX_FAMILY] = { .type = NLA_U16 },
	[RRI_A_PREFIX_ADDR] = { .type = NLA_BINARY, .len = sizeof(xfrm_address_t) },
	[RRI_A_PREFIX_LEN] = NLA_POLICY_MAX(NLA_U8, 128),
};

#define RRI_NL_READ_ONLY "attribute is reported, not set"

static const struct nla_policy rri_nl_map_policy[RRI_A_MAP_MAX + 1] = {
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
};

/* Commands that take a map (add, set, del, get, route get's filter). */
static const struct nla_policy rri_nl_map_cmd_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_STATS] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_MAP] = NLA_POLICY_NESTED(rri_nl_map_policy),
	[RRI_A_ROUTE] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
};

static struct genl_family rri_nl_family;

static struct sk_buff *rri_nl_reply_new(struct genl_info *info, u8 cmd,
					void **hdr)
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

/* Send a reply built with rri_nl_reply_new(), or drop it if @err is set. */
static int rri_nl_reply_send(struct sk_buff *msg, void *hdr,
			     struct genl_info *info, int err)
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

static int rri_nl_prefix_parse(const struct nlattr *nest, struct rri_prefix *p,
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
					    "a gateway is an address, not a prefix");
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

static int rri_nl_map_name(const struct nlattr *attr, char *name,
			   struct netlink_ext_ack *extack)
{
	const char *s = nla_data(attr);
	size_t i, len = strnlen(s, nla_len(attr));

	if (!len || len >= RRI_MAP_NAME_MAX) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "map name must be 1 to 31 bytes");
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		if (!isalnum(s[i]) && s[i] != '_' && s[i] != '-' && s[i] != '.') {
			NL_SET_ERR_MSG_ATTR(extack, attr,
					    "map name may only hold letters, digits, '_', '-' and '.'");
			return -EINVAL;
		}
	}
	strscpy(name, s, RRI_MAP_NAME_MAX);
	return 0;
}

static int rri_nl_map_device(struct net *net, const struct nlattr *attr,
			     bool vrf, u32 *table, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int ret = 0;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such device in the namespace");
		ret = -ENODEV;
	} else if (vrf && !netif_is_l3_master(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "device is not a VRF");
		ret = -EINVAL;
	}
	rcu_read_unlock();

	if (!ret && vrf)
		*table = l3mdev_fib_table_by_index(net, nla_get_u32(attr));
	return ret;
}

/*
 * The one family of the policies the map can select (from its family,
 * remote and local keys), or 0 for both; its gateway must be of it too.
 */
static int rri_nl_map_family(const struct rri_map *map,
			     struct netlink_ext_ack *extack)
{
	const struct rri_prefix *p[] = { &map->remote, &map->local };
	u16 family = (map->match & RRI_MATCH_FAMILY) ? map->family : 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(p); i++) {
		if (!p[i]->family)
			continue;
		if (family && family != p[i]->family) {
			NL_SET_ERR_MSG(extack,
				       "the map's family and prefixes must be of one address family");
			return -EINVAL;
		}
		family = p[i]->family;
	}
	if (map->gateway.family && family && map->gateway.family != family) {
		NL_SET_ERR_MSG(extack, "the gateway is not of the map's address family");
		return -EINVAL;
	}
	return family;
}

/* Whether the map as a whole makes sense, after every attribute applied. */
static int rri_nl_map_check(const struct rri_map *map,
			    struct netlink_ext_ack *extack)
{
	int family = rri_nl_map_family(map, extack);

	if (family < 0)
		return family;
	if (map->tag && family != AF_INET) {
		NL_SET_ERR_MSG(extack,
			       "tag is an IPv4 route realm: limit the map to IPv4 (family inet or an IPv4 prefix)");
		return -EINVAL;
	}
	if ((map->match & RRI_MATCH_MARK) && (map->mark & ~map->mark_mask)) {
		NL_SET_ERR_MSG(extack, "mark has bits outside its mask");
		return -EINVAL;
	}
	switch (map->nexthop) {
	case RRI_NEXTHOP_GATEWAY:
		if (!map->gateway.family) {
			NL_SET_ERR_MSG(extack, "nexthop gateway needs a gateway address");
			return -EINVAL;
		}
		break;
	case RRI_NEXTHOP_DEV:
		if (!map->oif) {
			NL_SET_ERR_MSG(extack, "nexthop dev needs a device");
			return -EINVAL;
		}
		break;
	default:
		if (map->gateway.family || map->oif) {
			NL_SET_ERR_MSG(extack,
				       "a gateway or device needs nexthop gateway or nexthop dev");
			return -EINVAL;
		}
	}
	return 0;
}

/* Apply the attributes of RRI_CMD_MAP_ADD/SET to @map (a scratch copy). */
static int rri_nl_map_apply(struct net *net, struct rri_map *map,
			    struct nlattr **tb, struct netlink_ext_ack *extack)
{
	struct nlattr *a;
	int ret;

	a = tb[RRI_A_MAP_MATCH_FAMILY];
	if (a) {
		map->family = nla_get_u16(a);
		if (map->family != AF_INET && map->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, a, "family must be AF_INET or AF_INET6");
			return -EAFNOSUPPORT;
		}
		map->match |= RRI_MATCH_FAMILY;
	}
	a = tb[RRI_A_MAP_MATCH_REQID];
	if (a) {
		map->reqid = nla_get_u32(a);
		map->match |= RRI_MATCH_REQID;
	}
	a = tb[RRI_A_MAP_MATCH_IF_ID];
	if (a) {
		map->if_id = nla_get_u32(a);
		map->match |= RRI_MATCH_IF_ID;
	}
	a = tb[RRI_A_MAP_MATCH_MARK];
	if (a) {
		map->mark = nla_get_u32(a);
		map->mark_mask = U32_MAX;
		map->match |= RRI_MATCH_MARK;
	}
	a = tb[RRI_A_MAP_MATCH_MARK_MASK];
	if (a) {
		if (!(map->match & RRI_MATCH_MARK)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "mark mask without a mark");
			return -EINVAL;
		}
		map->mark_mask = nla_get_u32(a);
	}
	a = tb[RRI_A_MAP_MATCH_REMOTE];
	if (a) {
		ret = rri_nl_prefix_parse(a, &map->remote, true, extack);
		if (ret)
			return ret;
		map->match |= RRI_MATCH_REMOTE;
	}
	a = tb[RRI_A_MAP_MATCH_LOCAL];
	if (a) {
		ret = rri_nl_prefix_parse(a, &map->local, true, extack);
		if (ret)
			return ret;
		map->match |= RRI_MATCH_LOCAL;
	}
	/* The policy checked the ranges of mode and nexthop. */
	if (tb[RRI_A_MAP_MODE])
		map->mode = nla_get_u8(tb[RRI_A_MAP_MODE]);
	a = tb[RRI_A_MAP_NEXTHOP];
	if (a) {
		map->nexthop = nla_get_u8(a);
		/* A new kind of next hop starts without the old one's details. */
		memset(&map->gateway, 0, sizeof(map->gateway));
		map->oif = 0;
	}
	a = tb[RRI_A_MAP_GATEWAY];
	if (a) {
		ret = rri_nl_prefix_parse(a, &map->gateway, false, extack);
		if (ret)
			return ret;
	}
	a = tb[RRI_A_MAP_OIF];
	if (a) {
		ret = rri_nl_map_device(net, a, false, NULL, extack);
		if (ret)
			return ret;
		map->oif = nla_get_u32(a);
	}
	if (tb[RRI_A_MAP_REMOTE_PEER])
		map->remote_peer = true;
	a = tb[RRI_A_MAP_FLAGS];
	if (a) {
		struct nla_bitfield32 f = nla_get_bitfield32(a);

		if (f.selector & RRI_MAP_F_REMOTE_PEER)
			map->remote_peer = !!(f.value & RRI_MAP_F_REMOTE_PEER);
	}
	if (tb[RRI_A_MAP_TABLE] && tb[RRI_A_MAP_VRF]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RRI_A_MAP_VRF], "table and vrf exclude each other");
		return -EINVAL;
	}
	a = tb[RRI_A_MAP_TABLE];
	if (a) {
		map->table = nla_get_u32(a);
		if (!map->table) {
			NL_SET_ERR_MSG_ATTR(extack, a, "table 0 is not a routing table");
			return -EINVAL;
		}
		map->vrf = 0;
	}
	a = tb[RRI_A_MAP_VRF];
	if (a) {
		ret = rri_nl_map_device(net, a, true, &map->table, extack);
		if (ret)
			return ret;
		map->vrf = nla_get_u32(a);
	}
	if (tb[RRI_A_MAP_METRIC])
		map->metric = nla_get_u32(tb[RRI_A_MAP_METRIC]);
	a = tb[RRI_A_MAP_TAG];
	if (a) {
		map->tag = nla_get_u32(a);
		if (!map->tag) {
			NL_SET_ERR_MSG_ATTR(extack, a, "tag 0 means no tag: leave it out");
			return -EINVAL;
		}
	}
	a = tb[RRI_A_MAP_PROTO];
	if (a) {
		map->proto = nla_get_u8(a);
		if (!map->proto) {
			NL_SET_ERR_MSG_ATTR(extack, a, "proto 0 is RTPROT_UNSPEC, not a protocol");
			return -EINVAL;
		}
	}
	return rri_nl_map_check(map, extack);
}

/* Parse the RRI_A_MAP nest of a request; @name gets RRI_A_MAP_NAME. */
static int rri_nl_map_attrs(struct genl_info *info, struct nlattr **tb,
			    char *name)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RRI_A_MAP))
		return -EINVAL;
	ret = nla_parse_nested(tb, RRI_A_MAP_MAX, info->attrs[RRI_A_MAP],
			       rri_nl_map_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[RRI_A_MAP_NAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RRI_A_MAP],
				    "missing map name");
		return -EINVAL;
	}
	return rri_nl_map_name(tb[RRI_A_MAP_NAME], name, info->extack);
}

/* Only the name: for del and get. */
static int rri_nl_map_name_only(struct genl_info *info, struct nlattr **tb)
{
	int i;

	for (i = 1; i <= RRI_A_MAP_MAX; i++) {
		if (tb[i] && i != RRI_A_MAP_NAME) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[i], RRI_NL_NOT_HERE);
			return -EINVAL;
		}
	}
	return 0;
}

static struct rri_map *rri_nl_map_lookup(struct rri_net *rn, const char *name,
					 struct genl_info *info,
					 struct nlattr **tb)
{
	struct rri_map *map = rri_map_find(rn, name);

	if (!map)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_MAP_NAME], "no such map");
	return map;
}

static int rri_nl_map_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	struct rri_map *map;
	int ret;

	map = rri_map_alloc();
	if (!map)
		return -ENOMEM;

	ret = rri_nl_map_attrs(info, tb, map->name);
	if (!ret)
		ret = rri_nl_map_apply(genl_info_net(info), map, tb, info->extack);
	if (ret)
		goto err_free;

	mutex_lock(&rn->lock);
	if (rri_map_find(rn, map->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_MAP_NAME], "a map of that name exists");
		ret = -EEXIST;
		goto out;
	}
	if (rn->nmaps >= RRI_MAPS_MAX) {
		NL_SET_ERR_MSG(info->extack,
			       "too many maps: a namespace may have " __stringify(RRI_MAPS_MAX));
		ret = -ENOSPC;
		goto out;
	}
	/* On the list (last, so it owns nothing an earlier map owns) first. */
	list_add_tail(&map->list, &rn->maps);
	WRITE_ONCE(rn->nmaps, rn->nmaps + 1);
	ret = rri_policy_resync(rn, map);
	if (ret) {
		/* The walk failed before anything changed: take it back. */
		list_del(&map->list);
		WRITE_ONCE(rn->nmaps, rn->nmaps - 1);
		NL_SET_ERR_MSG(info->extack, "could not read the IPsec policies");
		goto out;
	}
	rri_map_get(map);	/* the list's reference */
	rri_route_flush(rn);
out:
	mutex_unlock(&rn->lock);
	rri_map_put(map);
	return ret;

err_free:
	rri_map_put(map);
	return ret;
}

static int rri_nl_map_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map, *new;
	int ret;

	ret = rri_nl_map_attrs(info, tb, name);
	if (ret)
		return ret;

	new = rri_map_alloc();
	if (!new)
		return -ENOMEM;

	mutex_lock(&rn->lock);
	map = rri_nl_map_lookup(rn, name, info, tb);
	if (!map) {
		ret = -ENOENT;
		goto out;
	}
	/* Apply to a copy, so a refused change leaves the map as it was. */
	rri_map_set_conf(new, map);
	ret = rri_nl_map_apply(genl_info_net(info), new, tb, info->extack);
	if (ret)
		goto out;
	/* Policies and routes point at the map: it stays the same object. */
	rri_map_swap_conf(map, new);
	ret = rri_policy_resync(rn, map);
	if (ret) {
		/* The walk failed before anything changed: as it was. */
		rri_map_set_conf(map, new);
		NL_SET_ERR_MSG(info->extack, "could not read the IPsec policies");
		goto out;
	}
	rri_route_flush(rn);
out:
	mutex_unlock(&rn->lock);
	rri_map_put(new);
	return ret;
}

static int rri_nl_map_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map;
	int ret;

	ret = rri_nl_map_attrs(info, tb, name);
	if (!ret)
		ret = rri_nl_map_name_only(info, tb);
	if (ret)
		return ret;

	mutex_lock(&rn->lock);
	map = rri_nl_map_lookup(rn, name, info, tb);
	if (!map) {
		mutex_unlock(&rn->lock);
		return -ENOENT;
	}
	list_del(&map->list);
	WRITE_ONCE(rn->nmaps, rn->nmaps - 1);
	/* Nothing can fail here: no policy or route is left pointing at it. */
	rri_policy_map_gone(rn, map);
	rri_route_flush(rn);
	rri_map_put(map);
	mutex_unlock(&rn->lock);
	return 0;
}

static int rri_nl_put_prefix(struct sk_buff *msg, int type, u16 family,
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

static int rri_nl_map_put(struct sk_buff *msg, const struct rri_map *map)
{
	struct nlattr *nest = nla_nest_start(msg, RRI_A_MAP);
	u32 m = map->match;

	if (!nest ||
	    nla_put_string(msg, RRI_A_MAP_NAME, map->name) ||
	    ((m & RRI_MATCH_FAMILY) &&
	     nla_put_u16(msg, RRI_A_MAP_MATCH_FAMILY, map->family)) ||
	    ((m & RRI_MATCH_REQID) &&
	     nla_put_u32(msg, RRI_A_MAP_MATCH_REQID, map->reqid)) ||
	    ((m & RRI_MATCH_IF_ID) &&
	     nla_put_u32(msg, RRI_A_MAP_MATCH_IF_ID, map->if_id)) ||
	    ((m & RRI_MATCH_MARK) &&
	     (nla_put_u32(msg, RRI_A_MAP_MATCH_MARK, map->mark) ||
	      nla_put_u32(msg, RRI_A_MAP_MATCH_MARK_MASK, map->mark_mask))) ||
	    ((m & RRI_MATCH_REMOTE) &&
	     rri_nl_put_prefix(msg, RRI_A_MAP_MATCH_REMOTE, map->remote.family,
			       &map->remote.addr, map->remote.len)) ||
	    ((m & RRI_MATCH_LOCAL) &&
	     rri_nl_put_prefix(msg, RRI_A_MAP_MATCH_LOCAL, map->local.family,
			       &map->local.addr, map->local.len)) ||
	    nla_put_u8(msg, RRI_A_MAP_MODE, map->mode) ||
	    nla_put_u8(msg, RRI_A_MAP_NEXTHOP, map->nexthop) ||
	    (map->gateway.family &&
	     rri_nl_put_prefix(msg, RRI_A_MAP_GATEWAY, map->gateway.family,
			       &map->gateway.addr, -1)) ||
	    (map->oif && nla_put_u32(msg, RRI_A_MAP_OIF, map->oif)) ||
	    (map->remote_peer && nla_put_flag(msg, RRI_A_MAP_REMOTE_PEER)) ||
	    nla_put_bitfield32(msg, RRI_A_MAP_FLAGS,
			       map->remote_peer ? RRI_MAP_F_REMOTE_PEER : 0,
			       RRI_MAP_F_ALL) ||
	    nla_put_u32(msg, RRI_A_MAP_TABLE, map->table) ||
	    (map->vrf && nla_put_u32(msg, RRI_A_MAP_VRF, map->vrf)) ||
	    nla_put_u32(msg, RRI_A_MAP_METRIC, map->metric) ||
	    (map->tag && nla_put_u32(msg, RRI_A_MAP_TAG, map->tag)) ||
	    nla_put_u8(msg, RRI_A_MAP_PROTO, map->proto) ||
	    nla_put_u32(msg, RRI_A_MAP_POLICIES, map->npolicies) ||
	    nla_put_u32(msg, RRI_A_MAP_ROUTES, map->nroutes) ||
	    nla_put_u32(msg, RRI_A_MAP_SHADOWED, map->nshadowed)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static void rri_nl_count_shadowed(struct rri_net *rn,
				  const struct rri_policy_info *info, void *arg)
{
	struct rri_map *map;
	bool owned = false;

	list_for_each_entry(map, &rn->maps, list) {
		if (!rri_map_selects(map, info))
			continue;
		if (owned)
			map->nshadowed++;
		owned = true;
	}
}

/*
 * What a map owns, installed and overlaps is counted when it is shown,
 * from the model and from the kernel's policies, rather than kept up to
 * date on every event.
 */
static int rri_nl_map_count(struct rri_net *rn)
{
	struct rri_hnode *node;
	struct rri_route *route;
	struct rri_map *map;
	unsigned int b;

	list_for_each_entry(map, &rn->maps, list) {
		map->npolicies = 0;
		map->nroutes = 0;
		map->nshadowed = 0;
	}

	for (b = 0, node = rri_htable_next(&rn->policies, NULL, &b); node;
	     node = rri_htable_next(&rn->policies, node, &b))
		container_of(node, struct rri_policy, by_index)->map->npolicies++;

	for (b = 0, node = rri_htable_next(&rn->routes, NULL, &b); node;
	     node = rri_htable_next(&rn->routes, node, &b)) {
		route = container_of(node, struct rri_route, node);
		if (route->installed)
			route->map->nroutes++;
	}

	return rri_xfrm_policy_walk(rn, rri_nl_count_shadowed, NULL);
}

static int rri_nl_map_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = rri_nl_map_attrs(info, tb, name);
	if (!ret)
		ret = rri_nl_map_name_only(info, tb);
	if (ret)
		return ret;

	msg = rri_nl_reply_new(info, RRI_CMD_MAP_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&rn->lock);
	map = rri_nl_map_lookup(rn, name, info, tb);
	if (!map)
		ret = -ENOENT;
	else
		ret = rri_nl_map_count(rn) ?: rri_nl_map_put(msg, map);
	mutex_unlock(&rn->lock);
	return rri_nl_reply_send(msg, hdr, info, ret);
}

static int rri_nl_map_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rri_net *rn = rri_net(sock_net(skb->sk));
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct rri_map *map;
	long i = 0, done = cb->args[0];
	int ret = 0;
	void *hdr;

	if (info->attrs[RRI_A_MAP]) {
		NL_SET_ERR_MSG(cb->extack,
			       "a map dump takes no map: get one by name without NLM_F_DUMP");
		return -EINVAL;
	}

	mutex_lock(&rn->lock);
	if (!done)
		ret = rri_nl_map_count(rn);
	list_for_each_entry(map, &rn->maps, list) {
		if (ret || i++ < done)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &rri_nl_family, NLM_F_MULTI, RRI_CMD_MAP_GET);
		if (!hdr)
			break;
		if (rri_nl_map_put(skb, map)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	mutex_unlock(&rn->lock);
	return ret ?: skb->len;
}

/*
 * A route dump: where it is (bucket, and routes of that bucket already
 * sent), and the map it is limited to. The table may change and resize
 * between the parts: each part carries the table's generation, and a
 * dump that saw it change ends flagged NLM_F_DUMP_INTR, for the reader
 * to ask again.
 */
struct rri_nl_route_dump {
	unsigned int bucket;
	unsigned int skip;
	char map[RRI_MAP_NAME_MAX];
};

static int rri_nl_route_get_start(struct netlink_callback *cb)
{
	const struct genl_dumpit_info *info = genl_dumpit_info(cb);
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	struct rri_nl_route_dump *d;
	int i, ret;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;

	if (info->attrs[RRI_A_MAP]) {
		ret = nla_parse_nested(tb, RRI_A_MAP_MAX, info->attrs[RRI_A_MAP],
				       rri_nl_map_policy, cb->extack);
		for (i = 1; !ret && i <= RRI_A_MAP_MAX; i++) {
			if (tb[i] && i != RRI_A_MAP_NAME) {
				NL_SET_ERR_MSG_ATTR(cb->extack, tb[i], RRI_NL_NOT_HERE);
				ret = -EINVAL;
			}
		}
		if (!ret && !tb[RRI_A_MAP_NAME]) {
			NL_SET_ERR_MSG(cb->extack, "missing map name");
			ret = -EINVAL;
		}
		if (!ret)
			ret = rri_nl_map_name(tb[RRI_A_MAP_NAME], d->map, cb->extack);
		if (ret) {
			kfree(d);
			return ret;
		}
	}

	cb->args[0] = (long)d;
	return 0;
}

static int rri_nl_route_put(struct sk_buff *msg, const struct rri_route *route)
{
	const struct rri_route_key *key = &route->key;
	struct nlattr *nest = nla_nest_start(msg, RRI_A_ROUTE);

	if (!nest ||
	    rri_nl_put_prefix(msg, RRI_A_ROUTE_DST, key->family, &key->dst, key->len) ||
	    nla_put_u32(msg, RRI_A_ROUTE_TABLE, key->table) ||
	    nla_put_u32(msg, RRI_A_ROUTE_METRIC, key->metric) ||
	    nla_put_u8(msg, RRI_A_ROUTE_PROTO, route->proto) ||
	    (route->has_gw &&
	     rri_nl_put_prefix(msg, RRI_A_ROUTE_GATEWAY, key->family, &route->gw, -1)) ||
	    (route->oif && nla_put_u32(msg, RRI_A_ROUTE_OIF, route->oif)) ||
	    (route->tag && nla_put_u32(msg, RRI_A_ROUTE_TAG, route->tag)) ||
	    nla_put_string(msg, RRI_A_ROUTE_MAP, route->map->name) ||
	    rri_nl_put_prefix(msg, RRI_A_ROUTE_PEER, route->peer_family, &route->peer, -1) ||
	    nla_put_u8(msg, RRI_A_ROUTE_STATE, route->state) ||
	    nla_put_u64_64bit(msg, RRI_A_ROUTE_SINCE, rri_route_since(route),
			      RRI_A_ROUTE_PAD) ||
	    nla_put_u32(msg, RRI_A_ROUTE_REFS, route->refs) ||
	    nla_put_u8(msg, RRI_A_ROUTE_KIND, route->kind) ||
	    (route->reason && nla_put_u8(msg, RRI_A_ROUTE_REASON, route->reason))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

static int rri_nl_route_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rri_net *rn = rri_net(sock_net(skb->sk));
	struct rri_nl_route_dump *d = (void *)cb->args[0];
	unsigned int bucket, prev, skip;
	struct rri_hnode *node;
	struct rri_route *route;
	void *hdr;

	mutex_lock(&rn->lock);
	cb->seq = rn->routes.gen;
	/*
	 * The map is checked here rather than in .start, whose extack does
	 * not reach the requester on 6.1; the dump's end carries this one.
	 */
	if (d->map[0] && !cb->args[1] && !rri_map_find(rn, d->map)) {
		mutex_unlock(&rn->lock);
		NL_SET_ERR_MSG(cb->extack, "no such map");
		return -ENOENT;
	}
	cb->args[1] = 1;

	/* Resume where the last part stopped: bucket, then place in it. */
	bucket = d->bucket;
	skip = 0;
	node = rri_htable_next(&rn->routes, NULL, &bucket);
	if (node && bucket == d->bucket) {
		for (; node && skip < d->skip; skip++)
			node = node->next;
		if (!node) {
			bucket++;
			skip = 0;
			node = rri_htable_next(&rn->routes, NULL, &bucket);
		}
	}

	while (node) {
		route = container_of(node, struct rri_route, node);
		if (!d->map[0] || !strcmp(d->map, route->map->name)) {
			hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
					  cb->nlh->nlmsg_seq, &rri_nl_family,
					  NLM_F_MULTI, RRI_CMD_ROUTE_GET);
			if (!hdr)
				break;
			genl_dump_check_consistent(cb, hdr);
			if (rri_nl_route_put(skb, route)) {
				genlmsg_cancel(skb, hdr);
				break;
			}
			genlmsg_end(skb, hdr);
		}
		prev = bucket;
		node = rri_htable_next(&rn->routes, node, &bucket);
		skip = bucket == prev ? skip + 1 : 0;
	}
	d->bucket = bucket;
	d->skip = skip;
	mutex_unlock(&rn->lock);
	return skb->len;
}

static int rri_nl_route_get_done(struct netlink_callback *cb)
{
	kfree((void *)cb->args[0]);
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
};

static struct genl_family rri_nl_family __ro_after_init = {
	.name = RRI_GENL_NAME,
	.version = RRI_GENL_VERSION,
	.netnsok = true,
	/* Each request takes the lock of its namespace, not genl_mutex. */
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = rri_nl_ops,
	.n_ops = ARRAY_SIZE(rri_nl_ops),
};

/**
 * rri_genl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int __init rri_genl_init(void)
{
	return genl_register_family(&rri_nl_family);
}

/**
 * rri_genl_exit() - unregister the generic netlink family
 */
void rri_genl_exit(void)
{
	genl_unregister_family(&rri_nl_family);
}
