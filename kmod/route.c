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
 * table, prefix, metric and next hop it installed: a route it did not
 * install is never replaced or removed.
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

#include "map.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"

/*
 * Messages per send: their ACKs must fit the socket's receive buffer. One
 * page holds about this many; a page, not more, since a flush may follow
 * every single SA event.
 */
#define RRI_BATCH_MAX		32
#define RRI_BATCH_BYTES		SKB_WITH_OVERHEAD(PAGE_SIZE)

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

static struct rri_route *rri_route_lookup(struct rri_net *rn,
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

/* Where the route's traffic goes: the result of next-hop resolution. */
struct rri_nh {
	xfrm_address_t gw;
	int oif;
	bool has_gw;
};

static void rri_route_set_state(struct rri_route *route, u8 state)
{
	if (route->state != state) {
		route->state = state;
		route->since = ktime_get_boottime_seconds();
	}
}

/**
 * rri_route_since() - when a route's state last changed
 * @route: the route
 *
 * Return: seconds since the epoch.
 */
time64_t rri_route_since(const struct rri_route *route)
{
	/* From the clocks' offsets: stable from one dump to the next. */
	ktime_t boot_to_real = ktime_sub(ktime_mono_to_real(0),
					 ktime_mono_to_any(0, TK_OFFS_BOOT));

	return route->since + div_s64(ktime_to_ns(boot_to_real), NSEC_PER_SEC);
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
				   struct rri_nh *nh)
{
	struct rtable *rt;

	rt = ip_route_output(net, info->tunnel.daddr.a4, info->tunnel.saddr.a4, 0, 0);
	if (IS_ERR(rt))
		return PTR_ERR(rt);

	if (rt->rt_type != RTN_UNICAST || rt->rt_gw_family == AF_INET6) {
		ip_rt_put(rt);
		return -ENETUNREACH;
	}
	nh->oif = rt->dst.dev->ifindex;
	nh->gw.a4 = rt->rt_gw_family == AF_INET ? rt->rt_gw4 : info->tunnel.daddr.a4;
	nh->has_gw = true;
	ip_rt_put(rt);
	return 0;
}

static int rri_route_resolve_peer6(struct net *net,
				   const struct rri_policy_info *info,
				   struct rri_nh *nh)
{
	struct flowi6 fl6 = {
		.daddr = *(const struct in6_addr *)info->tunnel.daddr.a6,
		.saddr = *(const struct in6_addr *)info->tunnel.saddr.a6,
	};
	struct dst_entry *dst;
	struct rt6_info *rt;
	int ret = 0;

	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error) {
		ret = dst->error;
		goto out;
	}
	rt = container_of(dst, struct rt6_info, dst);
	if (!dst->dev || (dst->dev->flags & IFF_LOOPBACK) ||
	    (rt->rt6i_flags & (RTF_REJECT | RTF_LOCAL))) {
		ret = -ENETUNREACH;
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

/*
 * The next hop of a route of @family for a policy: what @map says, or the
 * path the kernel uses to reach the tunnel endpoint (honouring the
 * template's source address). A host route to the peer itself, or a route
 * of another family than the tunnel's, leaves over the device only.
 */
static int rri_route_resolve(struct rri_net *rn, const struct rri_map *map,
			     const struct rri_policy_info *info, u16 family,
			     enum rri_route_kind kind, struct rri_nh *nh)
{
	int ret;

	memset(nh, 0, sizeof(*nh));
	switch (map->nexthop) {
	case RRI_NEXTHOP_GATEWAY:
		if (map->gateway.family != family)
			return -EAFNOSUPPORT;
		nh->gw = map->gateway.addr;
		nh->has_gw = true;
		fallthrough;
	case RRI_NEXTHOP_DEV:
		nh->oif = map->oif;
		return 0;
	}

	if (info->tunnel.family == AF_INET)
		ret = rri_route_resolve_peer4(rn->net, info, nh);
	else
		ret = rri_route_resolve_peer6(rn->net, info, nh);
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

/* Give an unreferenced route the shape @map gives it now. */
static void rri_route_shape(struct rri_net *rn, struct rri_route *route,
			    const struct rri_map *map,
			    const struct rri_policy_info *info,
			    const struct rri_nh *nh, int resolved)
{
	route->gw = nh->gw;
	route->oif = nh->oif;
	route->has_gw = nh->has_gw;
	route->proto = map->proto;
	route->tag = route->key.family == AF_INET ? map->tag : 0;
	route->peer = info->tunnel.daddr;
	route->peer_family = info->tunnel.family;
	route->map = (struct rri_map *)map;

	if (route->kind == RRI_ROUTE_KIND_PROXY && !route->key.len) {
		rri_route_set_state(route, RRI_ROUTE_STATE_SKIPPED);
	} else if (resolved) {
		rri_route_set_state(route, RRI_ROUTE_STATE_UNRESOLVED);
		atomic64_inc(&rn->stats[RRI_STAT_ROUTE_UNRESOLVED]);
	} else if (!route->installed) {
		/* Pending until the flush says how the FIB took it. */
		route->state = 0;
	}
}

static struct rri_route *rri_route_new(struct rri_net *rn,
				       const struct rri_route_key *key,
				       enum rri_route_kind kind)
{
	struct rri_route *route;

	route = kmem_cache_zalloc(rri_route_cache, GFP_KERNEL);
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
struct rri_route *rri_route_get(struct rri_net *rn, const struct rri_map *map,
				const struct rri_policy_info *info,
				enum rri_route_kind kind)
{
	struct rri_route_key key;
	struct rri_route *route;
	struct rri_nh nh;
	int resolved;

	lockdep_assert_held(&rn->lock);

	rri_route_key_init(&key, map, info, kind);
	route = rri_route_lookup(rn, &key);
	if (route && route->refs) {
		route->refs++;
		return route;
	}

	resolved = rri_route_resolve(rn, map, info, key.family, kind, &nh);
	if (route && route->installed &&
	    (resolved || !rri_route_same_shape(route, &nh, map))) {
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
			atomic64_inc(&rn->stats[RRI_STAT_ROUTE_ERROR]);
			return NULL;
		}
	}

	rri_route_shape(rn, route, map, info, &nh, resolved);
	route->refs = 1;
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

/* One sendmsg worth of route messages, and the route of each. */
struct rri_batch {
	struct sk_buff *skb;
	struct rri_route *route[RRI_BATCH_MAX];
	bool del[RRI_BATCH_MAX];
	unsigned int n;
};

static int rri_route_fill(struct sk_buff *skb, const struct rri_route *route,
			  int type, u32 seq)
{
	const struct rri_route_key *key = &route->key;
	int alen = key->family == AF_INET ? 4 : 16;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	u16 flags = NLM_F_REQUEST | NLM_F_ACK;

	if (type == RTM_NEWROUTE)
		flags |= NLM_F_CREATE | NLM_F_EXCL;

	nlh = nlmsg_put(skb, 0, seq, type, sizeof(*rtm), flags);
	if (!nlh)
		return -EMSGSIZE;

	rtm = nlmsg_data(nlh);
	memset(rtm, 0, sizeof(*rtm));
	rtm->rtm_family = key->family;
	rtm->rtm_dst_len = key->len;
	rtm->rtm_table = key->table < 256 ? key->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = route->proto;
	rtm->rtm_type = RTN_UNICAST;
	if (type == RTM_DELROUTE)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	else
		rtm->rtm_scope = route->has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;

	if (nla_put(skb, RTA_DST, alen, &key->dst) ||
	    nla_put_u32(skb, RTA_TABLE, key->table) ||
	    nla_put_u32(skb, RTA_PRIORITY, key->metric) ||
	    (route->has_gw && nla_put(skb, RTA_GATEWAY, alen, &route->gw)) ||
	    (route->oif && nla_put_u32(skb, RTA_OIF, route->oif)) ||
	    (route->tag && nla_put_u32(skb, RTA_FLOW, route->tag))) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

static int rri_route_sock(struct rri_net *rn)
{
	int ret;

	if (rn->sock)
		return 0;
	ret = sock_create_kern(rn->net, PF_NETLINK, SOCK_RAW, NETLINK_ROUTE,
			       &rn->sock);
	if (ret)
		rn->sock = NULL;
	return ret;
}

static void rri_route_free(struct rri_net *rn, struct rri_route *route)
{
	if (route->hashed)
		rri_htable_remove(&rn->routes, &route->node);
	kmem_cache_free(rri_route_cache, route);
}

/*
 * A message the kernel never answered (no memory, no socket). An addition
 * is an error, retried when the policy is next evaluated; a removal is
 * tried again at the next flush, since rri still holds the route it
 * installed.
 */
static void rri_route_unanswered(struct rri_net *rn, struct rri_route *route,
				 bool del)
{
	atomic64_inc(&rn->stats[RRI_STAT_ROUTE_ERROR]);
	if (del)
		rri_route_dirty(rn, route);
	else
		rri_route_set_state(route, RRI_ROUTE_STATE_ERROR);
}

static void rri_route_ack(struct rri_net *rn, struct rri_batch *b,
			  const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = nlmsg_data(nlh);
	struct rri_route *route;
	u32 slot = nlh->nlmsg_seq - 1;

	if (nlh->nlmsg_type != NLMSG_ERROR ||
	    nlh->nlmsg_len < nlmsg_msg_size(sizeof(*err)) || slot >= b->n)
		return;

	route = b->route[slot];
	b->route[slot] = NULL;
	if (!route)
		return;
	if (b->del[slot]) {
		/* -ESRCH: someone removed it before us. Answered: forget it. */
		if (!err->error)
			atomic64_inc(&rn->stats[RRI_STAT_ROUTE_DEL]);
		else if (err->error != -ESRCH)
			atomic64_inc(&rn->stats[RRI_STAT_ROUTE_ERROR]);
		rri_route_free(rn, route);
		return;
	}

	switch (err->error) {
	case 0:
		route->installed = 1;
		rri_route_set_state(route, RRI_ROUTE_STATE_INSTALLED);
		atomic64_inc(&rn->stats[RRI_STAT_ROUTE_ADD]);
		break;
	case -EEXIST:
		rri_route_set_state(route, RRI_ROUTE_STATE_CONFLICT);
		atomic64_inc(&rn->stats[RRI_STAT_ROUTE_CONFLICT]);
		break;
	default:
		rri_route_set_state(route, RRI_ROUTE_STATE_ERROR);
		atomic64_inc(&rn->stats[RRI_STAT_ROUTE_ERROR]);
		break;
	}
}

/* Send the batch and apply the kernel's answer to each message. */
static void rri_route_send(struct rri_net *rn, struct rri_batch *b)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct msghdr msg = { };
	unsigned int i, acked = 0;
	struct nlmsghdr *nlh;
	struct kvec iov;
	void *buf;
	int len, rem;

	if (!b->n)
		return;

	/* Each ACK comes as a message of its own: one page holds any. */
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf || rri_route_sock(rn))
		goto fail;

	/*
	 * An addressed message: rtnetlink then checks the worker's own
	 * capabilities, as a kernel socket has no file to check.
	 */
	msg.msg_name = &addr;
	msg.msg_namelen = sizeof(addr);
	iov.iov_base = b->skb->data;
	iov.iov_len = b->skb->len;
	if (kernel_sendmsg(rn->sock, &msg, &iov, 1, iov.iov_len) < 0)
		goto fail;

	/* rtnetlink handled the messages in sendmsg: the ACKs are queued. */
	while (acked < b->n) {
		memset(&msg, 0, sizeof(msg));
		iov.iov_base = buf;
		iov.iov_len = PAGE_SIZE;
		len = kernel_recvmsg(rn->sock, &msg, &iov, 1, iov.iov_len,
				     MSG_DONTWAIT);
		if (len <= 0)
			break;
		nlmsg_for_each_msg(nlh, (struct nlmsghdr *)buf, len, rem) {
			rri_route_ack(rn, b, nlh);
			acked++;
		}
	}
fail:
	for (i = 0; i < b->n; i++) {
		if (b->route[i])
			rri_route_unanswered(rn, b->route[i], b->del[i]);
		b->route[i] = NULL;
	}
	kfree(buf);
	b->n = 0;
	skb_trim(b->skb, 0);
}

/* Queue one message; sends the batch first when it is full. */
static void rri_route_queue(struct rri_net *rn, struct rri_batch *b,
			    struct rri_route *route, bool del)
{
	int type = del ? RTM_DELROUTE : RTM_NEWROUTE;

	if (b->n == RRI_BATCH_MAX)
		rri_route_send(rn, b);
	if (rri_route_fill(b->skb, route, type, b->n + 1)) {
		rri_route_send(rn, b);
		if (rri_route_fill(b->skb, route, type, b->n + 1)) {
			rri_route_unanswered(rn, route, del);
			return;
		}
	}
	b->route[b->n] = route;
	b->del[b->n++] = del;
}

/**
 * rri_route_flush() - bring the FIB in line with the routes that changed
 * @rn: the namespace's state
 *
 * Unreferenced routes are removed (if rri installed them) and freed once
 * the kernel answered; a removal it could not be asked is tried again at
 * the next flush. Referenced routes that are resolved and not installed
 * are added. In a namespace that is going away nothing is sent.
 */
void rri_route_flush(struct rri_net *rn)
{
	bool live = check_net(rn->net);
	struct rri_route *route, *next;
	struct rri_batch b = { };

	lockdep_assert_held(&rn->lock);

	route = rn->dirty;
	if (!route)
		return;
	rn->dirty = NULL;
	rn->dirty_tail = &rn->dirty;

	if (live)
		b.skb = alloc_skb(RRI_BATCH_BYTES, GFP_KERNEL);

	for (; route; route = next) {
		next = route->dirty_next;
		route->dirty = 0;
		if (!route->refs) {
			/* Freed once the kernel answered the removal. */
			if (route->installed && b.skb)
				rri_route_queue(rn, &b, route, true);
			else if (route->installed && live)
				rri_route_unanswered(rn, route, true);
			else
				rri_route_free(rn, route);
			continue;
		}
		if (route->installed || route->state == RRI_ROUTE_STATE_SKIPPED ||
		    route->state == RRI_ROUTE_STATE_UNRESOLVED)
			continue;
		if (b.skb)
			rri_route_queue(rn, &b, route, false);
		else
			rri_route_set_state(route, RRI_ROUTE_STATE_ERROR);
	}

	if (b.skb) {
		rri_route_send(rn, &b);
		kfree_skb(b.skb);
	}
	rri_htable_compact(&rn->routes);
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
 * rri_route_net_exit() - free a namespace's route table and socket
 * @rn: the namespace's state, with no route left
 */
void rri_route_net_exit(struct rri_net *rn)
{
	rri_htable_destroy(&rn->routes);
	if (rn->sock)
		sock_release(rn->sock);
}

/**
 * rri_route_cache_init() - create the route cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init rri_route_cache_init(void)
{
	rri_route_cache = KMEM_CACHE(rri_route, 0);
	return rri_route_cache ? 0 : -ENOMEM;
}

/**
 * rri_route_cache_exit() - destroy the route cache
 */
void rri_route_cache_exit(void)
{
	kmem_cache_destroy(rri_route_cache);
}
