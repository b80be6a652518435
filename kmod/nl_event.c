// SPDX-License-Identifier: GPL-2.0
/*
 * The event stream: one RRI_CMD_EVENT message per change of a namespace's
 * routes and maps, to the listeners of RRI_MCGRP_EVENTS in that namespace.
 *
 * Messages are built only while someone listens, in the context that made
 * the change (the worker or a request, under the namespace's lock, so in
 * the order of the changes), and multicast without waiting: a listener
 * that does not read loses messages (its socket overflows and reports
 * ENOBUFS) and nothing of rri's own state.
 */

#include <linux/ktime.h>
#include <linux/rcupdate.h>
#include <linux/timekeeping.h>
#include <net/genetlink.h>
#include <uapi/linux/rri.h>

#include "group.h"
#include "map.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"
#include "route.h"

/*
 * Set while the family is registered: a route removed at module unload,
 * after the family went, announces nothing. Readers hold RCU across the
 * multicast, so rri_nl_events_stop() returns once none can use it.
 */
static bool rri_nl_events_on;

/* Room for one event: a route or a map, IPv6 prefixes and all, takes 350 B. */
#define RRI_NL_EVENT_SIZE	1024

/* Start an event message, or NULL if nobody listens (or no memory). */
static struct sk_buff *rri_nl_event_new(struct rri_net *rn, u8 event, void **hdr)
{
	struct sk_buff *msg;

	if (!READ_ONCE(rri_nl_events_on) || !check_net(rn->net) ||
	    !genl_has_listeners(&rri_nl_family, rn->net, RRI_NL_MCGRP_EVENTS))
		return NULL;
	msg = genlmsg_new(RRI_NL_EVENT_SIZE, GFP_KERNEL);
	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &rri_nl_family, 0, RRI_CMD_EVENT);
	if (!*hdr || nla_put_u8(msg, RRI_A_EVENT, event) ||
	    nla_put_u64_64bit(msg, RRI_A_TIME, ktime_get_real_ns(), RRI_A_PAD)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static void rri_nl_event_send(struct rri_net *rn, struct sk_buff *msg, void *hdr)
{
	genlmsg_end(msg, hdr);
	rcu_read_lock();
	if (READ_ONCE(rri_nl_events_on))
		genlmsg_multicast_netns(&rri_nl_family, rn->net, msg, 0,
					RRI_NL_MCGRP_EVENTS, GFP_ATOMIC);
	else
		nlmsg_free(msg);
	rcu_read_unlock();
}

/**
 * rri_nl_route_event() - announce a change of a route
 * @rn: the namespace's state, locked
 * @route: the route, as it is after the change
 * @event: RRI_EVENT_ROUTE_*
 */
void rri_nl_route_event(struct rri_net *rn, const struct rri_route *route, u8 event)
{
	struct sk_buff *msg;
	void *hdr;

	lockdep_assert_held(&rn->lock);
	msg = rri_nl_event_new(rn, event, &hdr);
	if (!msg)
		return;
	if (WARN_ON_ONCE(rri_nl_route_put(msg, route))) {
		nlmsg_free(msg);
		return;
	}
	rri_nl_event_send(rn, msg, hdr);
}

/*
 * A message of event @event for a map or group: a nest @type with the
 * name alone (@put NULL, for a deletion) or what @put adds.
 */
static void rri_nl_object_event(struct rri_net *rn, u8 event, int type,
				int name_type, const char *name,
				int (*put)(struct sk_buff *msg, const void *obj),
				const void *obj)
{
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;
	int ret;

	lockdep_assert_held(&rn->lock);
	msg = rri_nl_event_new(rn, event, &hdr);
	if (!msg)
		return;
	if (!put) {
		nest = nla_nest_start(msg, type);
		ret = !nest || nla_put_string(msg, name_type, name);
		if (!ret)
			nla_nest_end(msg, nest);
	} else {
		ret = put(msg, obj);
	}
	if (WARN_ON_ONCE(ret)) {
		nlmsg_free(msg);
		return;
	}
	rri_nl_event_send(rn, msg, hdr);
}

static int rri_nl_map_event_put(struct sk_buff *msg, const void *map)
{
	return rri_nl_map_put(msg, map, false);
}

/**
 * rri_nl_map_event() - announce a change of a map
 * @rn: the namespace's state, locked
 * @map: the map, as it is after the change
 * @event: RRI_EVENT_MAP_*; for RRI_EVENT_MAP_DELETED only its name is sent
 */
void rri_nl_map_event(struct rri_net *rn, const struct rri_map *map, u8 event)
{
	rri_nl_object_event(rn, event, RRI_A_MAP, RRI_A_MAP_NAME, map->name,
			    event == RRI_EVENT_MAP_DELETED ? NULL : rri_nl_map_event_put,
			    map);
}

struct rri_nl_peer_obj {
	const struct rri_map *map;
	const struct rri_peer *peer;
};

static int rri_nl_peer_event_put(struct sk_buff *msg, const void *obj)
{
	const struct rri_nl_peer_obj *o = obj;

	return rri_nl_map_put(msg, o->map, false) ?:
	       rri_peer_put_id(msg, RRI_A_PEER_SEL, o->peer);
}

/**
 * rri_nl_peer_event() - announce something about one peer of a map
 * @rn: the namespace's state, locked
 * @map: the map, as it is now
 * @peer: the peer (an RRI_A_PEER_SEL nest names it)
 * @event: RRI_EVENT_PEER_IDLE, _CLEARED or _RESOLVE
 */
void rri_nl_peer_event(struct rri_net *rn, const struct rri_map *map,
		       const struct rri_peer *peer, u8 event)
{
	struct rri_nl_peer_obj o = { .map = map, .peer = peer };

	rri_nl_object_event(rn, event, RRI_A_MAP, RRI_A_MAP_NAME, map->name,
			    rri_nl_peer_event_put, &o);
}

static int rri_nl_group_event_put(struct sk_buff *msg, const void *group)
{
	return rri_nl_group_put(msg, group, true);
}

/**
 * rri_nl_group_event() - announce a change of an HA group
 * @rn: the namespace's state, locked
 * @group: the group, as it is after the change, counted by
 *	rri_group_count() just before (but for RRI_EVENT_GROUP_DELETED)
 * @event: RRI_EVENT_GROUP_*; for RRI_EVENT_GROUP_DELETED only its name is sent
 */
void rri_nl_group_event(struct rri_net *rn, const struct rri_group *group,
			u8 event)
{
	rri_nl_object_event(rn, event, RRI_A_GROUP, RRI_A_GROUP_NAME, group->name,
			    event == RRI_EVENT_GROUP_DELETED ? NULL :
			    rri_nl_group_event_put, group);
}

/**
 * rri_nl_events_start() - the family is registered: announce changes
 */
void rri_nl_events_start(void)
{
	WRITE_ONCE(rri_nl_events_on, true);
}

/**
 * rri_nl_events_stop() - the family is about to go: announce nothing more
 *
 * Returns once no message is being multicast.
 */
void rri_nl_events_stop(void)
{
	WRITE_ONCE(rri_nl_events_on, false);
	synchronize_rcu();
}
