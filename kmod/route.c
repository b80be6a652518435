// SPDX-License-Identifier: GPL-2.0
/*
 * Routes: derived from policies, refcounted, programmed into the FIB.
 *
 * A route is identified by (family, table, prefix, metric) and justified by
 * one or more policies. rri_route_get() and rri_route_put() only change the
 * model and put the route on the namespace's dirty list; rri_route_flush()
 * then brings the FIB in line, in batches of RTM_NEWROUTE/RTM_DELROUTE sent
 * through a kernel rtnetlink socket of the namespace (the FIB's insert and
 * delete functions are not exported). A route whose last reference goes and
 * comes back before the flush (an IKE rekey, a map change that keeps it) is
 * therefore never touched in the FIB.
 *
 * rri adds routes with NLM_F_EXCL and deletes only with the exact protocol,
 * table, prefix, metric and next hop (or nexthop object, nexthop.c) it
 * installed: a route it did not install is never replaced or removed.
 *
 * The FIB is the truth: a route is "installed" only while the FIB holds
 * it. When the kernel removes routes by itself (a device went down or
 * away, an admin deleted one) or a message got no answer, the worker's
 * FIB check (rtnl.c) finds out which of rri's routes are there, and the
 * ones that should be are added again.
 *
 * Next hops rri chooses itself ("nexthop peer") lead into the encrypting
 * path: the underlay path to the tunnel endpoint for an ordinary policy,
 * a device route into the XFRM interface for a policy with an if_id
 * (traffic routed to the underlay would never match it), and none at all
 * for a mark-scoped policy, whose traffic a route cannot mark.
 */

#include <linux/inetdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/jhash.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/ip6_route.h>
#include <net/netlink.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "event.h"
#include "group.h"
#include "map.h"
#include "netlink.h"
#include "nexthop.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"
#include "rtnl.h"

static struct kmem_cache *rri_route_cache __read_mostly;

static u32 rri_route_key_hash(const struct rri_route_key *key, u32 seed)
{
	BUILD_BUG_ON(sizeof(*key) % sizeof(u32));
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), seed);
}

static u32 rri_route_hashfn(const struct rri_hnode *node, u32 seed)
{
	return rri_route_key_hash(&container_of(node, struct rri_route, node)->key,
				  seed);
}

/**
 * rri_route_lookup() - the route of a key
 * @rn: the namespace's state, locked
 * @key: the key, zeroed before it was filled in
 *
 * Return: the route, or NULL.
 */
struct rri_route *rri_route_lookup(struct rri_net *rn,
				   const struct rri_route_key *key)
{
	struct rri_hnode *node;
	struct rri_route *route;

	node = rri_htable_chain(&rn->routes, rri_route_key_hash(key, rn->routes.seed));
	for (; node; node = node->next) {
		route = container_of(node, struct rri_route, node);
		if (!memcmp(&route->key, key, sizeof(*key)))
			return route;
	}
	return NULL;
}

/**
 * rri_route_resume() - where a walk of the routes goes on
 * @rn: the namespace's state, locked
 * @key: the key of the route the walk is to go on with
 * @bucket: set to the bucket of the returned entry, for rri_htable_next()
 *
 * Return: that route's entry, or, if it is gone, the first entry from
 * the bucket its key hashes to on (NULL at the end).
 */
struct rri_hnode *rri_route_resume(struct rri_net *rn,
				   const struct rri_route_key *key,
				   unsigned int *bucket)
{
	struct rri_route *route = rri_route_lookup(rn, key);
	u32 hash = rri_route_key_hash(key, rn->routes.seed);

	*bucket = rn->routes.buckets ? hash & ((1U << rn->routes.shift) - 1) : 0;
	if (route)
		return &route->node;
	return rri_htable_next(&rn->routes, NULL, bucket);
}

/* Where the route's traffic goes: the result of next-hop resolution. */
struct rri_nh {
	xfrm_address_t gw;
	int oif;
	bool has_gw;
};

/*
 * A new state, announced on the event stream as @event unless it is the
 * state announced last: a route reshaped (pending, state 0) and retried
 * into the same conflict says nothing new.
 */
static void rri_route_set_state(struct rri_net *rn, struct rri_route *route,
				u8 state, u8 event)
{
	if (route->state != state) {
		route->state = state;
		route->since = ktime_get_boottime_seconds();
	}
	if (route->announced != state) {
		route->announced = state;
		rri_nl_route_event(rn, route, event);
	}
}

/* A route is forgotten: announced if anything was announced of it. */
static void rri_route_removed(struct rri_net *rn, struct rri_route *route)
{
	if (route->announced)
		rri_nl_route_event(rn, route, RRI_EVENT_ROUTE_REMOVED);
}

/**
 * rri_since() - a time of the boot clock as wall-clock time
 * @boot: seconds of the boot clock (ktime_get_boottime_seconds())
 *
 * Return: seconds since the epoch.
 */
time64_t rri_since(u32 boot)
{
	/* From the clocks' offsets: stable from one dump to the next. */
	ktime_t boot_to_real = ktime_sub(ktime_mono_to_real(0),
					 ktime_mono_to_any(0, TK_OFFS_BOOT));

	return boot + div_s64(ktime_to_ns(boot_to_real), NSEC_PER_SEC);
}

/**
 * rri_route_since() - when a route's state last changed
 * @route: the route
 *
 * Return: seconds since the epoch.
 */
time64_t rri_route_since(const struct rri_route *route)
{
	return rri_since(route->since);
}

/*
 * Whether a route is held back from the FIB: it is referenced and its
 * map's HA group is on standby. (A route nobody references may belong to
 * a map that is gone, with its group.)
 */
static bool rri_route_held(const struct rri_route *route)
{
	return route->refs && route->map && rri_map_standby(route->map);
}

/* Queue the route for the next flush, once, in the order routes changed. */
static void rri_route_dirty(struct rri_net *rn, struct rri_route *route)
{
	if (route->dirty)
		return;
	route->dirty = 1;
	route->dirty_next = NULL;
	*rn->dirty_tail = route;
	rn->dirty_tail = &route->dirty_next;
}

static int rri_route_resolve_peer4(struct net *net,
				   const struct rri_policy_info *info,
				   bool vip_source, struct rri_nh *nh)
{
	struct flowi4 fl4 = {
		.daddr = info->tunnel.daddr.a4,
		.saddr = info->tunnel.saddr.a4,
		.flowi4_scope = RT_SCOPE_UNIVERSE,
	};
	struct rtable *rt;

	if (vip_source && fl4.saddr &&
	    !rri_addr_assigned(net, AF_INET, &info->tunnel.saddr))
		fl4.saddr = 0;

	/* ip_route_output() gained an argument in 6.12: the key is the same in both. */
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return RRI_ROUTE_REASON_NO_PATH;

	if (rt->rt_type != RTN_UNICAST || rt->rt_gw_family == AF_INET6) {
		ip_rt_put(rt);
		return RRI_ROUTE_REASON_NO_PATH;
	}
	nh->oif = rt->dst.dev->ifindex;
	nh->gw.a4 = rt->rt_gw_family == AF_INET ? rt->rt_gw4 : info->tunnel.daddr.a4;
	nh->has_gw = true;
	ip_rt_put(rt);
	return 0;
}

static int rri_route_resolve_peer6(struct net *net,
				   const struct rri_policy_info *info,
				   bool vip_source, struct rri_nh *nh)
{
	struct flowi6 fl6 = {
		.daddr = *(const struct in6_addr *)info->tunnel.daddr.a6,
		.saddr = *(const struct in6_addr *)info->tunnel.saddr.a6,
	};
	struct dst_entry *dst;
	struct rt6_info *rt;
	int ret = 0;

	if (vip_source && !ipv6_addr_any(&fl6.saddr) &&
	    !rri_addr_assigned(net, AF_INET6, &info->tunnel.saddr))
		fl6.saddr = in6addr_any;

	dst = ip6_route_output(net, NULL, &fl6);
	rt = container_of(dst, struct rt6_info, dst);
	if (dst->error || !dst->dev || (dst->dev->flags & IFF_LOOPBACK) ||
	    (rt->rt6i_flags & (RTF_REJECT | RTF_LOCAL))) {
		ret = RRI_ROUTE_REASON_NO_PATH;
		goto out;
	}
	nh->oif = dst->dev->ifindex;
	memcpy(nh->gw.a6, rt->rt6i_flags & RTF_GATEWAY ? &rt->rt6i_gateway :
	       &fl6.daddr, sizeof(nh->gw.a6));
	nh->has_gw = true;
out:
	dst_release(dst);
	return ret;
}

/* The running XFRM interface that carries @if_id: its ifindex, or 0. */
static int rri_route_xfrm_if(struct net *net, u32 if_id)
{
	const struct xfrm_if *xi;
	struct net_device *dev;
	int oif = 0;

	rcu_read_lock();
	for_each_netdev_rcu(net, dev) {
		if (!dev->rtnl_link_ops || strcmp(dev->rtnl_link_ops->kind, "xfrm"))
			continue;
		xi = netdev_priv(dev);
		if (xi->p.if_id == if_id && !xi->p.collect_md) {
			if (netif_running(dev))
				oif = dev->ifindex;
			break;
		}
	}
	rcu_read_unlock();
	return oif;
}

/* Whether the device @ifindex exists, and is up if it must be. */
static bool rri_route_dev_ok(struct net *net, int ifindex, bool up)
{
	struct net_device *dev;
	bool ok;

	rcu_read_lock();
	dev = dev_get_by_index_rcu(net, ifindex);
	ok = dev && (!up || netif_running(dev));
	rcu_read_unlock();
	return ok;
}

/*
 * The next hop of a route of @family for a policy: what @map says, or the
 * encrypting path rri chooses itself. For a route to a remote proxy, that
 * is the XFRM interface of the policy's if_id, or the path the kernel uses
 * to reach the tunnel endpoint (honouring the template's source address);
 * a host route to the peer (remote-peer: it carries the ESP packets)
 * always takes the underlay path. A host route to the peer itself, or a
 * route of another family than the tunnel's, leaves over the device only.
 *
 * Return: 0, or the enum rri_route_reason why there is none.
 */
static int rri_route_resolve(struct rri_net *rn, const struct rri_map *map,
			     const struct rri_policy_info *info, u16 family,
			     enum rri_route_kind kind, struct rri_nh *nh)
{
	int ret;

	memset(nh, 0, sizeof(*nh));
	if (map->vrf && !rri_route_dev_ok(rn->net, map->vrf, false))
		return RRI_ROUTE_REASON_DEV;

	switch (map->nexthop) {
	case RRI_NEXTHOP_GATEWAY:
		if (map->gateway.family != family)
			return RRI_ROUTE_REASON_FAMILY;
		nh->gw = map->gateway.addr;
		nh->has_gw = true;
		fallthrough;
	case RRI_NEXTHOP_DEV:
		if (map->oif && !rri_route_dev_ok(rn->net, map->oif, true))
			return RRI_ROUTE_REASON_DEV;
		nh->oif = map->oif;
		return 0;
	}

	if (kind == RRI_ROUTE_KIND_PROXY && info->if_id) {
		nh->oif = rri_route_xfrm_if(rn->net, info->if_id);
		return nh->oif ? 0 : RRI_ROUTE_REASON_NO_XFRM_IF;
	}
	/* Only marked traffic matches the policy, and a route marks nothing. */
	if (kind == RRI_ROUTE_KIND_PROXY && (info->mark.v & info->mark.m))
		return RRI_ROUTE_REASON_MARK;

	/*
	 * In an HA group the tunnel's source is the VIP, which the standby
	 * does not hold: its path is the one the kernel will take once it
	 * does. (When the VIP comes, the FIB changes and the FIB check
	 * resolves the routes again, with it.)
	 */
	if (info->tunnel.family == AF_INET)
		ret = rri_route_resolve_peer4(rn->net, info, !!map->group, nh);
	else
		ret = rri_route_resolve_peer6(rn->net, info, !!map->group, nh);
	if (ret)
		return ret;

	if (family != info->tunnel.family ||
	    (kind == RRI_ROUTE_KIND_PEER &&
	     !memcmp(&nh->gw, &info->tunnel.daddr, sizeof(nh->gw))))
		nh->has_gw = false;
	return 0;
}

static void rri_route_key_init(struct rri_route_key *key,
			       const struct rri_map *map,
			       const struct rri_policy_info *info,
			       enum rri_route_kind kind)
{
	memset(key, 0, sizeof(*key));
	if (kind == RRI_ROUTE_KIND_PEER) {
		key->family = info->tunnel.family;
		key->dst = info->tunnel.daddr;
		key->len = key->family == AF_INET ? 32 : 128;
	} else {
		key->family = info->sel_family;
		key->dst = info->dst;
		key->len = info->dst_len;
	}
	key->table = map->table;
	key->metric = map->metric;
	/* The kernel stores IPv6 metric 0 as 1024: name the route as it is. */
	if (key->family == AF_INET6 && !key->metric)
		key->metric = IP6_RT_PRIO_USER;
}

static bool rri_route_same_shape(const struct rri_route *route,
				 const struct rri_nh *nh,
				 const struct rri_map *map)
{
	return route->has_gw == nh->has_gw && route->oif == nh->oif &&
	       (!nh->has_gw || !memcmp(&route->gw, &nh->gw, sizeof(nh->gw))) &&
	       route->proto == map->proto &&
	       route->tag == (route->key.family == AF_INET ? map->tag : 0);
}

static void rri_route_set_map(struct rri_route *route, struct rri_map *map)
{
	if (route->map == map)
		return;
	rri_map_get(map);
	if (route->map)
		rri_map_put(route->map);
	route->map = map;
}

/**
 * rri_route_pass() - a route passes to another map (its map is going)
 * @rn: the namespace's state, locked
 * @route: the route
 * @map: the map it belongs to now
 *
 * It keeps its shape and state; if the new map's HA group holds it back
 * and the old one's did not, or the other way round, the next flush
 * withdraws or installs it.
 */
void rri_route_pass(struct rri_net *rn, struct rri_route *route,
		    struct rri_map *map)
{
	bool held = rri_route_held(route);

	rri_route_set_map(route, map);
	if (rri_route_held(route) != held)
		rri_route_dirty(rn, route);
}

/*
 * The nexthop object a route of this shape goes through, or NULL: one
 * with a realm, or unresolved, carries its next hop itself.
 */
static struct rri_nhobj *rri_route_nexthop(struct rri_net *rn,
					   const struct rri_route *route)
{
	struct rri_nhobj_key key;

	if (route->tag || !route->oif)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.family = route->key.family;
	key.oif = route->oif;
	key.has_gw = route->has_gw;
	if (route->has_gw)
		key.gw = route->gw;
	return rri_nexthop_get(rn, &key, route->proto);
}

/* Give a route new to a policy (none held it) the shape @map gives it now. */
static void rri_route_shape(struct rri_net *rn, struct rri_route *route,
			    struct rri_map *map,
			    const struct rri_policy_info *info,
			    const struct rri_nh *nh, int reason)
{
	struct rri_nhobj *old = route->nh;

	route->gw = nh->gw;
	route->oif = nh->oif;
	route->has_gw = nh->has_gw;
	route->proto = map->proto;
	route->tag = route->key.family == AF_INET ? map->tag : 0;
	/* One that stays in the FIB as it is keeps the object it names. */
	if (!route->nhid) {
		route->nh = rri_route_nexthop(rn, route);
		if (old)
			rri_nexthop_put(rn, old);
	}
	route->peer = info->tunnel.daddr;
	route->peer_family = info->tunnel.family;
	rri_route_set_map(route, map);
	route->reason = 0;

	if (route->kind == RRI_ROUTE_KIND_PROXY && !route->key.len) {
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_SKIPPED,
				    RRI_EVENT_ROUTE_SKIPPED);
	} else if (reason) {
		route->reason = reason;
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_UNRESOLVED,
				    RRI_EVENT_ROUTE_UNRESOLVED);
		rri_net_count(rn, RRI_STAT_ROUTE_UNRESOLVED);
	} else if (!route->installed && route->state != RRI_ROUTE_STATE_STANDBY) {
		/*
		 * Pending until the flush says how the FIB took it. A route
		 * held back stays so (and keeps its time) until the flush
		 * installs it.
		 */
		route->state = 0;
	}
}

static struct rri_route *rri_route_new(struct rri_net *rn,
				       const struct rri_route_key *key,
				       enum rri_route_kind kind)
{
	struct rri_route *route;

	route = kmem_cache_zalloc(rri_route_cache, GFP_KERNEL_ACCOUNT);
	if (!route)
		return NULL;
	route->key = *key;
	route->kind = kind;
	if (rri_htable_insert(&rn->routes, &route->node)) {
		kmem_cache_free(rri_route_cache, route);
		return NULL;
	}
	route->hashed = 1;
	return route;
}

/* Forget the route of this key; rri_route_flush() removes and frees it. */
static void rri_route_unhash(struct rri_net *rn, struct rri_route *route)
{
	rri_htable_remove(&rn->routes, &route->node);
	route->hashed = 0;
	rri_route_dirty(rn, route);
}

/**
 * rri_route_get() - take a reference on the route a policy justifies
 * @rn: the namespace's state
 * @map: the policy's map
 * @info: the policy
 * @kind: the route to its remote proxy, or the host route to its peer
 *
 * A route nobody references yet takes its next hop and attributes from
 * @map; one already referenced keeps what the first policy gave it.
 *
 * Return: the route, or NULL if memory ran out.
 */
struct rri_route *rri_route_get(struct rri_net *rn, struct rri_map *map,
				const struct rri_policy_info *info,
				enum rri_route_kind kind)
{
	struct rri_route_key key;
	struct rri_route *route;
	struct rri_nh nh;
	int reason;

	lockdep_assert_held(&rn->lock);

	rri_route_key_init(&key, map, info, kind);
	route = rri_route_lookup(rn, &key);
	if (route && route->refs) {
		route->refs++;
		return route;
	}

	reason = rri_route_resolve(rn, map, info, key.family, kind, &nh);
	if (route && (route->installed || route->unknown) &&
	    (reason || !rri_route_same_shape(route, &nh, map))) {
		/*
		 * Installed with another next hop: the old one is removed
		 * (it is on the dirty list already, so before the new one is
		 * added) and a new route takes the key.
		 */
		rri_route_unhash(rn, route);
		route = NULL;
	}
	if (!route) {
		route = rri_route_new(rn, &key, kind);
		if (!route) {
			rri_net_count(rn, RRI_STAT_ROUTE_ERROR);
			return NULL;
		}
	}

	/* Referenced first: an event the shaping sends shows the reference. */
	route->refs = 1;
	rri_route_shape(rn, route, map, info, &nh, reason);
	rri_route_dirty(rn, route);
	return route;
}

/**
 * rri_route_put() - drop a policy's reference on a route
 * @rn: the namespace's state
 * @route: the route
 */
void rri_route_put(struct rri_net *rn, struct rri_route *route)
{
	lockdep_assert_held(&rn->lock);

	if (!--route->refs)
		rri_route_dirty(rn, route);
}

static void rri_route_free(struct rri_net *rn, struct rri_route *route)
{
	if (route->hashed)
		rri_htable_remove(&rn->routes, &route->node);
	if (route->map)
		rri_map_put(route->map);
	if (route->nh)
		rri_nexthop_put(rn, route->nh);
	kmem_cache_free(rri_route_cache, route);
}

/**
 * rri_route_answered() - apply the kernel's answer to a route message
 * @rn: the namespace's state
 * @route: the route
 * @del: the message removed it
 * @err: the answer: 0 or a negative errno
 */
void rri_route_answered(struct rri_net *rn, struct rri_route *route, bool del,
			int err)
{
	/* Its nexthop object went first, taking it along (carrier loss). */
	if (del && err == -EINVAL && route->nhid)
		err = -ESRCH;
	route->unknown = 0;
	if (del && route->refs) {
		/*
		 * Withdrawn (its group went standby): kept, out of the FIB.
		 * If the kernel refused, whether the FIB holds it is for the
		 * FIB check to say; it is withdrawn again if so.
		 */
		if (!err || err == -ESRCH) {
			route->nhid = 0;
		} else {
			rri_net_count(rn, RRI_STAT_ROUTE_ERROR);
			route->unknown = 1;
			rri_net_kick(rn, RRI_NET_FIB_CHECK, HZ / 10);
		}
		if (!err)
			rri_net_count(rn, RRI_STAT_ROUTE_DEL);
		route->installed = 0;
		route->restoring = 0;
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_STANDBY,
				    RRI_EVENT_ROUTE_STANDBY);
		return;
	}
	if (del) {
		/* -ESRCH: someone removed it before us. Answered: forget it. */
		if (!err)
			rri_net_count(rn, RRI_STAT_ROUTE_DEL);
		else if (err != -ESRCH)
			rri_net_count(rn, RRI_STAT_ROUTE_ERROR);
		rri_route_removed(rn, route);
		rri_route_free(rn, route);
		return;
	}

	switch (err) {
	case 0:
		route->installed = 1;
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_INSTALLED,
				    route->restoring ? RRI_EVENT_ROUTE_RESTORED :
						       RRI_EVENT_ROUTE_INSTALLED);
		rri_net_count(rn, RRI_STAT_ROUTE_ADD);
		if (route->restoring)
			rri_net_count(rn, RRI_STAT_ROUTE_RESTORED);
		route->restoring = 0;
		return;
	case -EEXIST:
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_CONFLICT,
				    RRI_EVENT_ROUTE_CONFLICT);
		rri_net_count(rn, RRI_STAT_ROUTE_CONFLICT);
		break;
	default:
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_ERROR,
				    RRI_EVENT_ROUTE_ERROR);
		rri_net_count(rn, RRI_STAT_ROUTE_ERROR);
		break;
	}
	route->nhid = 0;
}

/**
 * rri_route_unanswered() - a route message the kernel did not answer
 * @rn: the namespace's state
 * @route: the route
 * @del: the message would have removed it
 *
 * It may or may not have been applied (the socket had no room for the
 * answer), or never sent (no memory). A removal is sent again with the
 * next flush (a route that is gone already is answered -ESRCH); an
 * addition is marked unknown until the FIB check asked for here finds
 * out whether the FIB holds it, and is then added again if not.
 */
void rri_route_unanswered(struct rri_net *rn, struct rri_route *route, bool del)
{
	rri_net_count(rn, RRI_STAT_ROUTE_ERROR);
	route->unknown = 1;
	if (del)
		rri_route_dirty(rn, route);
	else
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_ERROR,
				    RRI_EVENT_ROUTE_ERROR);
	rri_net_kick(rn, RRI_NET_FIB_CHECK, HZ / 10);
}

/*
 * A route that gave its key to a new one (rri_route_get()) and whose
 * removal got no answer must not be removed again once the new route is
 * in the FIB: the removal names the key, and would take the new route's
 * entry. The new route's addition, sent after the first removal, was
 * exclusive: if it succeeded, the old entry is gone. Return: whether the
 * old route is done with (freed, or waiting for the FIB check to say
 * whether the new one is installed).
 */
static bool rri_route_superseded(struct rri_net *rn, struct rri_route *route)
{
	struct rri_route *other;

	if (route->hashed)
		return false;
	other = rri_route_lookup(rn, &route->key);
	if (!other || (!other->installed && !other->unknown))
		return false;
	if (other->unknown) {
		rri_route_dirty(rn, route);
		return true;
	}
	/* Not announced: the key's news is the new route's now. */
	rri_route_free(rn, route);
	return true;
}

/* Whether the flush is to add a route that is dirty: wanted, not held back. */
static bool rri_route_adding(const struct rri_route *route)
{
	return route->refs && !rri_route_held(route) &&
	       !route->installed && !route->unknown &&
	       route->state != RRI_ROUTE_STATE_SKIPPED &&
	       route->state != RRI_ROUTE_STATE_UNRESOLVED;
}

/**
 * rri_route_flush() - bring the FIB in line with the routes that changed
 * @rn: the namespace's state
 *
 * Unreferenced routes are removed (if the FIB may hold them) and freed
 * once the kernel answered. Referenced routes that are resolved and not
 * installed are added. In a namespace that is going away nothing is sent.
 */
void rri_route_flush(struct rri_net *rn)
{
	bool live = check_net(rn->net);
	struct rri_route *route, *next;
	struct rri_rtnl_batch b;
	bool sending = false;

	lockdep_assert_held(&rn->lock);

	route = rn->dirty;
	if (!route && !rn->nh_dirty)
		return;
	rn->dirty = NULL;
	rn->dirty_tail = &rn->dirty;

	if (live)
		sending = !rri_rtnl_batch_start(rn, &b);

	/* The nexthop objects of routes about to be added go first. */
	for (next = route; next; next = next->dirty_next) {
		if (next->nh && rri_route_adding(next))
			rri_nexthop_need(rn, next->nh);
	}
	rri_nexthop_flush(rn, &b, sending);

	for (; route; route = next) {
		next = route->dirty_next;
		route->dirty = 0;
		if (!route->refs) {
			/* Freed once the kernel answered the removal. */
			if (!route->installed && !route->unknown) {
				/* Announced as unresolved, say: forgotten. */
				rri_route_removed(rn, route);
				rri_route_free(rn, route);
			} else if (rri_route_superseded(rn, route)) {
				continue;
			} else if (sending) {
				rri_rtnl_queue(rn, &b, route, true);
			} else if (live) {
				rri_route_unanswered(rn, route, true);
			} else {
				rri_route_free(rn, route);
			}
			continue;
		}
		if (rri_route_held(route)) {
			/* Withdrawn while the FIB may hold it; kept. */
			if (route->installed || route->unknown) {
				if (sending)
					rri_rtnl_queue(rn, &b, route, true);
				else if (live)
					rri_route_unanswered(rn, route, true);
			} else if (route->state != RRI_ROUTE_STATE_SKIPPED &&
				   route->state != RRI_ROUTE_STATE_UNRESOLVED) {
				rri_route_set_state(rn, route, RRI_ROUTE_STATE_STANDBY,
						    RRI_EVENT_ROUTE_STANDBY);
			}
			continue;
		}
		if (!rri_route_adding(route))
			continue;
		route->nhid = rri_nexthop_id(route->nh);
		if (sending)
			rri_rtnl_queue(rn, &b, route, false);
		else if (live)
			rri_route_unanswered(rn, route, false);
		cond_resched();
	}

	/* Then the objects no route uses any more. */
	if (sending)
		rri_rtnl_batch_send(rn, &b);
	rri_nexthop_flush(rn, &b, sending);
	if (sending)
		rri_rtnl_batch_end(rn, &b);
	rri_htable_compact(&rn->routes);
}

/**
 * rri_route_check_start() - a FIB check begins: nothing is seen yet
 * @rn: the namespace's state
 */
void rri_route_check_start(struct rri_net *rn)
{
	struct rri_hnode *node;
	unsigned int b = 0;

	for (node = rri_htable_next(&rn->routes, NULL, &b); node;
	     node = rri_htable_next(&rn->routes, node, &b)) {
		container_of(node, struct rri_route, node)->seen = 0;
		cond_resched();
	}
}

/*
 * A route the FIB check did not find: added again if it is wanted,
 * forgotten if it was on its way out. One that was found and is unknown
 * is installed after all.
 */
static void rri_route_check_one(struct rri_net *rn, struct rri_route *route)
{
	if (!route->installed && !route->unknown)
		return;
	if (route->seen) {
		route->installed = 1;
		if (route->unknown && route->refs && !rri_route_held(route))
			rri_route_set_state(rn, route, RRI_ROUTE_STATE_INSTALLED,
					    RRI_EVENT_ROUTE_INSTALLED);
		route->unknown = 0;
		if (!route->refs || rri_route_held(route))
			rri_route_dirty(rn, route);	/* remove it again */
		return;
	}
	route->nhid = 0;
	if (rri_route_held(route)) {
		/* Gone from the FIB, as it should be on standby. */
		route->installed = 0;
		route->unknown = 0;
		route->restoring = 0;
		rri_route_dirty(rn, route);
		return;
	}
	if (route->installed && route->refs)
		route->restoring = 1;
	route->installed = 0;
	route->unknown = 0;
	if (route->refs)
		rri_route_set_state(rn, route, RRI_ROUTE_STATE_ERROR,
				    route->restoring ? RRI_EVENT_ROUTE_LOST :
						       RRI_EVENT_ROUTE_ERROR);
	rri_route_dirty(rn, route);
}

/**
 * rri_route_check_done() - the FIB check saw what the FIB holds
 * @rn: the namespace's state
 *
 * Routes the FIB lost are queued to be added again by the next flush;
 * routes whose messages got no answer take the state the FIB shows.
 */
void rri_route_check_done(struct rri_net *rn)
{
	struct rri_hnode *node, *next;
	unsigned int b = 0;

	for (node = rri_htable_next(&rn->routes, NULL, &b); node; node = next) {
		next = rri_htable_next(&rn->routes, node, &b);
		rri_route_check_one(rn, container_of(node, struct rri_route, node));
		cond_resched();
	}
}

/**
 * rri_route_group_changed() - a group's role changed: its routes follow
 * @rn: the namespace's state, locked
 * @group: the group
 *
 * Marks the routes of the group's maps for the next flush, which
 * withdraws them from the FIB (standby) or adds them again (active) as
 * they are, next hops and all.
 *
 * Return: true if some of them are unresolved, in conflict or failed:
 * on activation their maps are derived anew.
 */
bool rri_route_group_changed(struct rri_net *rn, const struct rri_group *group)
{
	struct rri_hnode *node;
	struct rri_route *route;
	bool rederive = false;
	unsigned int b = 0;

	lockdep_assert_held(&rn->lock);

	for (node = rri_htable_next(&rn->routes, NULL, &b); node;
	     node = rri_htable_next(&rn->routes, node, &b)) {
		route = container_of(node, struct rri_route, node);
		if (!route->refs || !route->map || route->map->group != group)
			continue;
		rri_route_dirty(rn, route);
		if (rri_group_injects(group) &&
		    route->state != RRI_ROUTE_STATE_STANDBY &&
		    route->state != RRI_ROUTE_STATE_SKIPPED && !route->installed)
			rederive = true;
		cond_resched();
	}
	return rederive;
}

/**
 * rri_route_map_regrouped() - a map joined or left a group
 * @rn: the namespace's state, locked
 * @map: the map
 *
 * Its routes are held back or let go by the next flush, also those that
 * more than one of its policies justify (a resync of the map never lets
 * their references fall to none).
 */
void rri_route_map_regrouped(struct rri_net *rn, const struct rri_map *map)
{
	struct rri_hnode *node;
	struct rri_route *route;
	unsigned int b = 0;

	lockdep_assert_held(&rn->lock);

	for (node = rri_htable_next(&rn->routes, NULL, &b); node;
	     node = rri_htable_next(&rn->routes, node, &b)) {
		route = container_of(node, struct rri_route, node);
		if (route->refs && route->map == map)
			rri_route_dirty(rn, route);
		cond_resched();
	}
}

/**
 * rri_route_group_count() - count each group's routes
 * @rn: the namespace's state, locked, the groups' counts zeroed
 */
void rri_route_group_count(struct rri_net *rn)
{
	struct rri_hnode *node;
	struct rri_route *route;
	struct rri_group *group;
	unsigned int b = 0;

	for (node = rri_htable_next(&rn->routes, NULL, &b); node;
	     node = rri_htable_next(&rn->routes, node, &b)) {
		route = container_of(node, struct rri_route, node);
		if (!route->refs || !route->map || !route->map->group)
			continue;
		group = route->map->group;
		group->nroutes++;
		if (route->installed)
			group->ninstalled++;
	}
}

/**
 * rri_route_remove_all() - remove every route (there must be no reference)
 * @rn: the namespace's state
 */
void rri_route_remove_all(struct rri_net *rn)
{
	struct rri_route *route, *next;

	lockdep_assert_held(&rn->lock);
	rri_route_flush(rn);

	/* Removals the kernel did not answer: there is no later flush. */
	route = rn->dirty;
	rn->dirty = NULL;
	rn->dirty_tail = &rn->dirty;
	for (; route; route = next) {
		next = route->dirty_next;
		if (!WARN_ON_ONCE(route->refs))
			rri_route_free(rn, route);
	}
	WARN_ON(rn->routes.count);
}

/**
 * rri_route_net_init() - set up a namespace's route table
 * @rn: the namespace's state
 */
void rri_route_net_init(struct rri_net *rn)
{
	rn->dirty = NULL;
	rn->dirty_tail = &rn->dirty;
	rri_htable_init(&rn->routes, rri_route_hashfn);
}

/**
 * rri_route_net_exit() - free a namespace's route table
 * @rn: the namespace's state, with no route left
 */
void rri_route_net_exit(struct rri_net *rn)
{
	rri_htable_destroy(&rn->routes);
}

/**
 * rri_route_cache_init() - create the route cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init rri_route_cache_init(void)
{
	rri_route_cache = KMEM_CACHE(rri_route, SLAB_ACCOUNT);
	return rri_route_cache ? 0 : -ENOMEM;
}

/**
 * rri_route_cache_exit() - destroy the route cache
 */
void rri_route_cache_exit(void)
{
	kmem_cache_destroy(rri_route_cache);
}
