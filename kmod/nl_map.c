// SPDX-License-Identifier: GPL-2.0
/*
 * The map commands of the "rri" family: add, set, del, get. The handlers
 * are in netlink.c's operations table; the contract is in the uapi header.
 */

#include <linux/inetdevice.h>
#include <net/genetlink.h>
#include <net/l3mdev.h>
#include <uapi/linux/rri.h>

#include "compat.h"
#include "event.h"
#include "group.h"
#include "map.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"
#include "policy.h"
#include "replay.h"
#include "route.h"
#include "xfrm.h"

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
	if (map->idle_time && !map->peers) {
		NL_SET_ERR_MSG(extack, "idle-time needs a peer list");
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
	a = tb[RRI_A_MAP_PEERS];
	if (a) {
		struct rri_peers *peers;

		ret = rri_peers_parse(a, &peers, extack);
		if (ret)
			return ret;
		if (peers && map->peers)
			rri_peers_carry(peers, map->peers);
		rri_peers_free(map->peers);
		map->peers = peers;
	}
	a = tb[RRI_A_MAP_IDLE_TIME];
	if (a) {
		map->idle_time = nla_get_u32(a);
		if (map->idle_time && (map->idle_time < RRI_IDLE_TIME_MIN ||
				       map->idle_time > RRI_IDLE_TIME_MAX)) {
			NL_SET_ERR_MSG_ATTR(extack, a, "idle-time must be 60..86400 seconds");
			return -ERANGE;
		}
		map->idle_default = !!tb[RRI_A_MAP_IDLE_DEFAULT];
	} else if (tb[RRI_A_MAP_IDLE_DEFAULT]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[RRI_A_MAP_IDLE_DEFAULT],
				    "default of idle-time needs idle-time");
		return -EINVAL;
	}
	return rri_nl_map_check(map, extack);
}

/*
 * RRI_A_MAP_GROUP: the map joins the group of that name (which must
 * exist), or leaves its group (an empty name). Under the namespace's lock.
 */
static int rri_nl_map_group(struct rri_net *rn, struct rri_map *map,
			    struct nlattr **tb, struct netlink_ext_ack *extack)
{
	const struct nlattr *a = tb[RRI_A_MAP_GROUP];
	char name[RRI_GROUP_NAME_MAX];
	int ret;

	if (!a)
		return 0;
	if (!nla_len(a) || !*(const char *)nla_data(a)) {
		map->group = NULL;
		return 0;
	}
	ret = rri_nl_name(a, name, true, extack);
	if (ret)
		return ret;
	map->group = rri_group_find(rn, name);
	if (!map->group) {
		NL_SET_ERR_MSG_ATTR(extack, a, "no such group");
		return -ENOENT;
	}
	return 0;
}

/* Parse the RRI_A_MAP nest of a request; @name gets RRI_A_MAP_NAME. */
static int rri_nl_map_attrs(struct genl_info *info, struct nlattr **tb,
			    char *name)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RRI_A_MAP)) {
		NL_SET_ERR_MSG(info->extack, "missing map (RRI_A_MAP)");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, RRI_A_MAP_MAX, info->attrs[RRI_A_MAP],
			       rri_nl_map_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[RRI_A_MAP_NAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RRI_A_MAP],
				    "missing map name");
		return -EINVAL;
	}
	return rri_nl_name(tb[RRI_A_MAP_NAME], name, false, info->extack);
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

/* RRI_A_MAP with its name and nothing else: del, get, peer reset, ... */
static int rri_nl_map_name_attrs(struct genl_info *info, struct nlattr **tb,
				 char *name)
{
	return rri_nl_map_attrs(info, tb, name) ?: rri_nl_map_name_only(info, tb);
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

/**
 * rri_nl_map_add_doit() - RRI_CMD_MAP_ADD: add a map, adopt its policies
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_map_add_doit(struct sk_buff *skb, struct genl_info *info)
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
	ret = rri_nl_map_group(rn, map, tb, info->extack);
	if (ret)
		goto out;
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
	rri_nl_map_event(rn, map, RRI_EVENT_MAP_ADDED);
	ret = rri_policy_resync(rn, map);
	if (ret) {
		/* The walk failed before anything changed: take it back. */
		list_del(&map->list);
		WRITE_ONCE(rn->nmaps, rn->nmaps - 1);
		rri_nl_map_event(rn, map, RRI_EVENT_MAP_DELETED);
		NL_SET_ERR_MSG(info->extack, "could not read the IPsec policies");
		goto out;
	}
	rri_map_get(map);	/* the list's reference */
	rri_route_flush(rn);
	if (map->group && map->group->replay)
		rri_replay_all(rn);
	if (map->idle_time)
		rri_net_kick(rn, RRI_NET_IDLE, RRI_IDLE_TICK);
out:
	mutex_unlock(&rn->lock);
	rri_map_put(map);
	return ret;

err_free:
	rri_map_put(map);
	return ret;
}

/**
 * rri_nl_map_set_doit() - RRI_CMD_MAP_SET: change a map in place
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_map_set_doit(struct sk_buff *skb, struct genl_info *info)
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
	if (map->peers) {
		new->peers = rri_peers_dup(map->peers);
		if (!new->peers) {
			ret = -ENOMEM;
			goto out;
		}
	}
	ret = rri_nl_map_apply(genl_info_net(info), new, tb, info->extack) ?:
	      rri_nl_map_group(rn, new, tb, info->extack);
	if (ret)
		goto out;
	/* Policies and routes point at the map: it stays the same object. */
	rri_map_swap_conf(map, new);
	rri_nl_map_event(rn, map, RRI_EVENT_MAP_CHANGED);
	ret = rri_policy_resync(rn, map);
	if (ret) {
		/* The walk failed before anything changed: as it was. */
		rri_map_swap_conf(map, new);
		rri_nl_map_event(rn, map, RRI_EVENT_MAP_CHANGED);
		NL_SET_ERR_MSG(info->extack, "could not read the IPsec policies");
		goto out;
	}
	/* After the swap, @new holds the old settings. */
	if (map->group != new->group)
		rri_route_map_regrouped(rn, map);
	rri_route_flush(rn);
	if (map->group && map->group->replay)
		rri_replay_all(rn);
	if (map->idle_time)
		rri_net_kick(rn, RRI_NET_IDLE, RRI_IDLE_TICK);
out:
	mutex_unlock(&rn->lock);
	rri_map_put(new);
	return ret;
}

/**
 * rri_nl_peer_reset_doit() - RRI_CMD_PEER_RESET: the first peer is current
 * @skb: the request
 * @info: its attributes (RRI_A_MAP with RRI_A_MAP_NAME) and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_peer_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map;
	int ret;

	ret = rri_nl_map_name_attrs(info, tb, name);
	if (ret)
		return ret;

	mutex_lock(&rn->lock);
	map = rri_nl_map_lookup(rn, name, info, tb);
	if (!map) {
		ret = -ENOENT;
	} else if (!map->peers) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_MAP_NAME], "the map has no peer list");
		ret = -ENOENT;
	} else if (map->peers->cur) {
		rri_peer_set_current(rn, map, 0, RRI_EVENT_PEER_RESET);
	}
	mutex_unlock(&rn->lock);
	return ret;
}

/**
 * rri_nl_peer_resolve_doit() - RRI_CMD_PEER_RESOLVE: a peer's name, resolved
 * @skb: the request
 * @info: RRI_A_MAP (its name only) and RRI_A_PEER_SEL (rri_peer_resolved()),
 *	and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_peer_resolve_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RRI_A_PEER_SEL)) {
		NL_SET_ERR_MSG(info->extack, "missing peer (RRI_A_PEER_SEL)");
		return -EINVAL;
	}
	ret = rri_nl_map_name_attrs(info, tb, name);
	if (ret)
		return ret;
	mutex_lock(&rn->lock);
	map = rri_nl_map_lookup(rn, name, info, tb);
	if (!map)
		ret = -ENOENT;
	else
		ret = rri_peer_resolved(rn, map, info->attrs[RRI_A_PEER_SEL], info->extack);
	mutex_unlock(&rn->lock);
	return ret;
}

static const struct nla_policy rri_nl_peer_sel_policy[RRI_A_PEER_MAX + 1] = {
	[RRI_A_PEER_ADDR] = { .type = NLA_NESTED },
};

/**
 * rri_nl_sa_clear_doit() - RRI_CMD_SA_CLEAR: expire the SAs to peers
 * @skb: the request
 * @info: RRI_A_MAP (its name only) and RRI_A_PEER_SEL (RRI_A_PEER_ADDR),
 *	both optional, and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_sa_clear_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1], *ptb[RRI_A_PEER_MAX + 1];
	struct rri_prefix peer, *p = NULL;
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map = NULL;
	int ret;

	if (info->attrs[RRI_A_PEER_SEL]) {
		ret = nla_parse_nested(ptb, RRI_A_PEER_MAX, info->attrs[RRI_A_PEER_SEL],
				       rri_nl_peer_sel_policy, info->extack);
		if (ret)
			return ret;
		if (!ptb[RRI_A_PEER_ADDR]) {
			NL_SET_ERR_MSG(info->extack, "missing peer address");
			return -EINVAL;
		}
		ret = rri_nl_prefix_parse(ptb[RRI_A_PEER_ADDR], &peer, false, info->extack);
		if (ret)
			return ret;
		p = &peer;
	}
	if (info->attrs[RRI_A_MAP]) {
		ret = rri_nl_map_name_attrs(info, tb, name);
		if (ret)
			return ret;
	}
	mutex_lock(&rn->lock);
	if (info->attrs[RRI_A_MAP]) {
		map = rri_nl_map_lookup(rn, name, info, tb);
		if (!map) {
			ret = -ENOENT;
			goto out;
		}
	}
	ret = rri_peer_sa_clear(rn, map, p, RRI_EVENT_PEER_CLEARED);
	ret = ret < 0 ? ret : 0;
out:
	mutex_unlock(&rn->lock);
	return ret;
}

/**
 * rri_nl_map_del_doit() - RRI_CMD_MAP_DEL: delete a map and its routes
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_map_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map;
	int ret;

	ret = rri_nl_map_name_attrs(info, tb, name);
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
	rri_nl_map_event(rn, map, RRI_EVENT_MAP_DELETED);
	/* Nothing can fail here: no policy or route is left pointing at it. */
	rri_policy_map_gone(rn, map);
	rri_route_flush(rn);
	/* Routes on their way out may keep the map: not its group. */
	map->group = NULL;
	rri_map_put(map);
	mutex_unlock(&rn->lock);
	return 0;
}

/**
 * rri_nl_map_put() - an RRI_A_MAP nest with a map's settings
 * @msg: the message
 * @map: the map
 * @counts: with RRI_A_MAP_POLICIES, _ROUTES and _SHADOWED, as counted by
 *	rri_nl_map_count() just before
 *
 * Return: 0, or -EMSGSIZE if @msg is full.
 */
int rri_nl_map_put(struct sk_buff *msg, const struct rri_map *map, bool counts)
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
	    (map->group &&
	     nla_put_string(msg, RRI_A_MAP_GROUP, map->group->name)) ||
	    rri_peers_put(msg, map->peers) ||
	    (map->idle_time &&
	     (nla_put_u32(msg, RRI_A_MAP_IDLE_TIME, map->idle_time) ||
	      (map->idle_default && nla_put_flag(msg, RRI_A_MAP_IDLE_DEFAULT)))) ||
	    (counts &&
	     (nla_put_u32(msg, RRI_A_MAP_POLICIES, map->npolicies) ||
	      nla_put_u32(msg, RRI_A_MAP_ROUTES, map->nroutes) ||
	      nla_put_u32(msg, RRI_A_MAP_SHADOWED, map->nshadowed)))) {
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

/**
 * rri_nl_map_get_doit() - RRI_CMD_MAP_GET: one map
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_map_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	char name[RRI_MAP_NAME_MAX];
	struct rri_map *map;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = rri_nl_map_name_attrs(info, tb, name);
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
		ret = rri_nl_map_count(rn) ?: rri_nl_map_put(msg, map, true);
	mutex_unlock(&rn->lock);
	return rri_nl_reply_send(msg, hdr, info, ret);
}

/**
 * rri_nl_map_get_dumpit() - RRI_CMD_MAP_GET with NLM_F_DUMP: every map
 * @skb: the part of the dump to fill
 * @cb: the dump, cb->args[0] the maps sent so far
 *
 * Return: the part's length, or a negative errno.
 */
int rri_nl_map_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rri_net *rn = rri_net(sock_net(skb->sk));
	struct nlattr **attrs = rri_dump_attrs(cb);
	struct rri_map *map;
	long i = 0, done = cb->args[0];
	int ret = 0;
	void *hdr;

	if (attrs[RRI_A_MAP]) {
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
		if (rri_nl_map_put(skb, map, true)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	mutex_unlock(&rn->lock);
	return ret ?: skb->len;
}
