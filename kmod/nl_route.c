// SPDX-License-Identifier: GPL-2.0
/*
 * The route dump of the "rri" family (RRI_CMD_ROUTE_GET). The handlers are
 * in netlink.c's operations table; the contract is in the uapi header.
 */

#include <net/genetlink.h>
#include <uapi/linux/rri.h>

#include "compat.h"
#include "map.h"
#include "netlink.h"
#include "pernet.h"
#include "route.h"

/*
 * A route dump: the key of the route it goes on with, and the map it is
 * limited to. The table may change and resize between the parts (nothing
 * holds it still for a reader that does not read): each part carries the
 * table's generation, and a dump that saw it change is flagged
 * NLM_F_DUMP_INTR, for the reader to ask again.
 */
struct rri_nl_route_dump {
	struct rri_route_key next;
	bool started;
	bool done;
	char map[RRI_MAP_NAME_MAX];
};

/**
 * rri_nl_route_get_start() - begin a route dump
 * @cb: the dump
 *
 * Return: 0 or -ENOMEM.
 */
int rri_nl_route_get_start(struct netlink_callback *cb)
{
	struct rri_nl_route_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	cb->args[0] = (long)d;
	return 0;
}

/*
 * The map filter, parsed in the first part rather than in .start, whose
 * extack does not reach the requester on 6.1; the dump's end carries this
 * one.
 */
static int rri_nl_route_filter(struct rri_net *rn, struct netlink_callback *cb,
			       struct rri_nl_route_dump *d)
{
	struct nlattr **attrs = rri_dump_attrs(cb);
	struct nlattr *tb[RRI_A_MAP_MAX + 1];
	int i, ret;

	if (!attrs[RRI_A_MAP])
		return 0;
	ret = nla_parse_nested(tb, RRI_A_MAP_MAX, attrs[RRI_A_MAP],
			       rri_nl_map_policy, cb->extack);
	if (ret)
		return ret;
	for (i = 1; i <= RRI_A_MAP_MAX; i++) {
		if (tb[i] && i != RRI_A_MAP_NAME) {
			NL_SET_ERR_MSG_ATTR(cb->extack, tb[i], RRI_NL_NOT_HERE);
			return -EINVAL;
		}
	}
	if (!tb[RRI_A_MAP_NAME]) {
		NL_SET_ERR_MSG_ATTR(cb->extack, attrs[RRI_A_MAP], "missing map name");
		return -EINVAL;
	}
	ret = rri_nl_name(tb[RRI_A_MAP_NAME], d->map, false, cb->extack);
	if (ret)
		return ret;
	if (!rri_map_find(rn, d->map)) {
		NL_SET_ERR_MSG_ATTR(cb->extack, tb[RRI_A_MAP_NAME], "no such map");
		return -ENOENT;
	}
	return 0;
}

/**
 * rri_nl_route_put() - an RRI_A_ROUTE nest with a route as it is now
 * @msg: the message
 * @route: the route, shaped (it has its map)
 *
 * Return: 0, or -EMSGSIZE if @msg is full.
 */
int rri_nl_route_put(struct sk_buff *msg, const struct rri_route *route)
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

/**
 * rri_nl_route_get_dumpit() - the next part of a route dump
 * @skb: the part to fill
 * @cb: the dump, cb->args[0] its struct rri_nl_route_dump
 *
 * Return: the part's length, or a negative errno.
 */
int rri_nl_route_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rri_net *rn = rri_net(sock_net(skb->sk));
	struct rri_nl_route_dump *d = (void *)cb->args[0];
	struct rri_hnode *node;
	unsigned int bucket;
	int ret;
	struct rri_route *route;
	void *hdr;

	mutex_lock(&rn->lock);
	cb->seq = rn->routes.gen;

	/* Resume at the route the last part could not hold, by its key. */
	if (d->done) {
		node = NULL;
	} else if (d->started) {
		node = rri_route_resume(rn, &d->next, &bucket);
	} else {
		ret = rri_nl_route_filter(rn, cb, d);
		if (ret) {
			mutex_unlock(&rn->lock);
			return ret;
		}
		bucket = 0;
		node = rri_htable_next(&rn->routes, NULL, &bucket);
	}
	d->started = true;

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
		node = rri_htable_next(&rn->routes, node, &bucket);
	}
	if (node)
		d->next = container_of(node, struct rri_route, node)->key;
	else
		d->done = true;
	mutex_unlock(&rn->lock);
	return skb->len;
}

/**
 * rri_nl_route_get_done() - end a route dump
 * @cb: the dump
 *
 * Return: 0.
 */
int rri_nl_route_get_done(struct netlink_callback *cb)
{
	kfree((void *)cb->args[0]);
	return 0;
}
