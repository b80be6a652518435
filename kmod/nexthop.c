// SPDX-License-Identifier: GPL-2.0
/*
 * Nexthop objects: the kernel next hops (RTM_NEWNEXTHOP) rri's routes go
 * through, one per family, gateway and device, shared by every route of
 * that next hop.
 *
 * A route that names a nexthop object (RTA_NH_ID) costs the FIB far less
 * to add than one that carries its own gateway and device: the kernel
 * validates the next hop once, not once per route, and allocates no
 * per-route next-hop state. Where thousands of routes go into the FIB at
 * once (an HA group going active, a map added over many tunnels) that is
 * most of the time it takes.
 *
 * rri chooses the ids itself (from RRI_NEXTHOP_ID_BASE; an id someone
 * else holds is answered -EEXIST and rri moves on to another) and adds a
 * nexthop object before the first route that uses it; it removes it once
 * no route of its own uses it any more. Where the kernel refuses one (a
 * device without carrier, a gateway reachable only through a table that
 * is not a VRF's) or a route needs what a nexthop object cannot carry (an
 * IPv4 realm; no device known), the route carries its next hop itself, as
 * it always did; nothing else differs.
 *
 * The kernel removes a nexthop object, with every route that uses it,
 * when its device goes down, loses its carrier or goes away, and tells
 * rtnetlink listeners nothing of it. The device notifier (notify.c)
 * schedules a FIB check for each of these; the check dumps the nexthop
 * objects as well as the routes, and adds again what is gone. Others'
 * changes to nexthop objects (RTNLGRP_NEXTHOP) schedule one too: one of
 * rri's ids found with another next hop is replaced by rri's own again.
 */

#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "event.h"
#include "nexthop.h"
#include "pernet.h"
#include "rtnl.h"

/*
 * The ids rri gives its nexthop objects. FRR's zebra ignores objects whose
 * id has any of the top four bits set (it keeps them for EVPN) and gives
 * its own and its daemons' ids below 250000000: rri's are in between.
 */
#define RRI_NEXTHOP_ID_BASE	0x0f520000U
#define RRI_NEXTHOP_ID_LAST	0x0fffffffU
/* Rounds of additions one flush makes when ids are someone else's. */
#define RRI_NEXTHOP_ROUNDS	4

static bool nexthop_objects = true;
module_param(nexthop_objects, bool, 0644);
MODULE_PARM_DESC(nexthop_objects,
		 "routes with a device go through shared kernel nexthop objects (default Y); N: each route carries its next hop, as routes added from now on will");

static struct kmem_cache *rri_nexthop_cache __read_mostly;

static u32 rri_nexthop_key_hash(const struct rri_nhobj_key *key, u32 seed)
{
	BUILD_BUG_ON(sizeof(*key) % sizeof(u32));
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), seed);
}

static u32 rri_nexthop_hashfn(const struct rri_hnode *node, u32 seed)
{
	return rri_nexthop_key_hash(&container_of(node, struct rri_nhobj, node)->key,
				    seed);
}

static u32 rri_nexthop_id_hashfn(const struct rri_hnode *node, u32 seed)
{
	return jhash_1word(container_of(node, struct rri_nhobj, id_node)->id, seed);
}

static struct rri_nhobj *rri_nexthop_lookup(struct rri_net *rn,
					    const struct rri_nhobj_key *key)
{
	struct rri_hnode *node;
	struct rri_nhobj *nh;

	node = rri_htable_chain(&rn->nexthops,
				rri_nexthop_key_hash(key, rn->nexthops.seed));
	for (; node; node = node->next) {
		nh = container_of(node, struct rri_nhobj, node);
		if (!memcmp(&nh->key, key, sizeof(*key)))
			return nh;
	}
	return NULL;
}

static struct rri_nhobj *rri_nexthop_by_id(struct rri_net *rn, u32 id)
{
	struct rri_hnode *node;
	struct rri_nhobj *nh;

	node = rri_htable_chain(&rn->nexthop_ids,
				jhash_1word(id, rn->nexthop_ids.seed));
	for (; node; node = node->next) {
		nh = container_of(node, struct rri_nhobj, id_node);
		if (nh->id == id)
			return nh;
	}
	return NULL;
}

/* The next id after the last one given that no nexthop object of rri has. */
static u32 rri_nexthop_next_id(struct rri_net *rn)
{
	do {
		if (rn->nh_next_id >= RRI_NEXTHOP_ID_LAST ||
		    rn->nh_next_id < RRI_NEXTHOP_ID_BASE)
			rn->nh_next_id = RRI_NEXTHOP_ID_BASE;
		else
			rn->nh_next_id++;
	} while (rri_nexthop_by_id(rn, rn->nh_next_id));
	return rn->nh_next_id;
}

/* Give up the object's id (someone else's now) for a new one. */
static void rri_nexthop_renumber(struct rri_net *rn, struct rri_nhobj *nh)
{
	rri_htable_remove(&rn->nexthop_ids, &nh->id_node);
	nh->id = rri_nexthop_next_id(rn);
	/* No resize: the table keeps its buckets while it is used. */
	WARN_ON_ONCE(rri_htable_insert(&rn->nexthop_ids, &nh->id_node));
	nh->installed = 0;
	nh->wrong = 0;
}

static void rri_nexthop_dirty(struct rri_net *rn, struct rri_nhobj *nh)
{
	if (nh->dirty)
		return;
	nh->dirty = 1;
	nh->dirty_next = NULL;
	*rn->nh_dirty_tail = nh;
	rn->nh_dirty_tail = &nh->dirty_next;
}

static void rri_nexthop_free(struct rri_net *rn, struct rri_nhobj *nh)
{
	rri_htable_remove(&rn->nexthops, &nh->node);
	rri_htable_remove(&rn->nexthop_ids, &nh->id_node);
	kmem_cache_free(rri_nexthop_cache, nh);
}

/**
 * rri_nexthop_get() - a reference on the nexthop object of a next hop
 * @rn: the namespace's state, locked
 * @key: the next hop; one without a device gets none
 * @proto: the protocol of the route that asks, for a new object
 *
 * Return: the object, or NULL if the route is to carry its next hop
 * itself (nexthop objects are off, there is no device, no memory).
 */
struct rri_nhobj *rri_nexthop_get(struct rri_net *rn,
				  const struct rri_nhobj_key *key, u8 proto)
{
	struct rri_nhobj *nh;

	lockdep_assert_held(&rn->lock);

	if (!READ_ONCE(nexthop_objects) || !key->oif)
		return NULL;
	nh = rri_nexthop_lookup(rn, key);
	if (nh) {
		nh->refs++;
		return nh;
	}
	nh = kmem_cache_zalloc(rri_nexthop_cache, GFP_KERNEL_ACCOUNT);
	if (!nh)
		return NULL;
	nh->key = *key;
	nh->proto = proto;
	nh->refs = 1;
	nh->id = rri_nexthop_next_id(rn);
	if (rri_htable_insert(&rn->nexthops, &nh->node)) {
		kmem_cache_free(rri_nexthop_cache, nh);
		return NULL;
	}
	if (rri_htable_insert(&rn->nexthop_ids, &nh->id_node)) {
		rri_htable_remove(&rn->nexthops, &nh->node);
		kmem_cache_free(rri_nexthop_cache, nh);
		return NULL;
	}
	return nh;
}

/**
 * rri_nexthop_put() - a route no longer goes through a nexthop object
 * @rn: the namespace's state, locked
 * @nh: the object; removed by the next flush if no route is left
 */
void rri_nexthop_put(struct rri_net *rn, struct rri_nhobj *nh)
{
	if (!--nh->refs)
		rri_nexthop_dirty(rn, nh);
}

/**
 * rri_nexthop_need() - a route is about to be added through @nh
 * @rn: the namespace's state, locked
 * @nh: the object: added by rri_nexthop_flush() if the kernel lacks it
 */
void rri_nexthop_need(struct rri_net *rn, struct rri_nhobj *nh)
{
	if (!nh->installed && !nh->unknown && !nh->failed)
		rri_nexthop_dirty(rn, nh);
}

/**
 * rri_nexthop_id() - the id a route is to name now
 * @nh: the route's nexthop object, or NULL
 *
 * Return: its id if the kernel holds it as rri added it, else 0: the
 * route carries its next hop itself.
 */
u32 rri_nexthop_id(const struct rri_nhobj *nh)
{
	return nh && nh->installed && !nh->unknown && !nh->wrong ? nh->id : 0;
}

/* One round of rri_nexthop_flush(). */
static void rri_nexthop_flush_round(struct rri_net *rn, struct rri_rtnl_batch *b,
				    bool sending)
{
	bool live = check_net(rn->net);
	struct rri_nhobj *nh, *next;

	nh = rn->nh_dirty;
	rn->nh_dirty = NULL;
	rn->nh_dirty_tail = &rn->nh_dirty;
	for (; nh; nh = next) {
		next = nh->dirty_next;
		nh->dirty = 0;
		if (!nh->refs) {
			if (!nh->installed && !nh->unknown)
				rri_nexthop_free(rn, nh);
			else if (sending)
				rri_rtnl_queue_nh(rn, b, nh, RRI_RTNL_NH_DEL);
			else if (live)
				rri_nexthop_unanswered(rn, nh, RRI_RTNL_NH_DEL);
			else
				rri_nexthop_free(rn, nh);
			continue;
		}
		if (nh->installed || nh->unknown || nh->failed)
			continue;
		if (sending)
			rri_rtnl_queue_nh(rn, b, nh, nh->wrong ? RRI_RTNL_NH_REPLACE :
								RRI_RTNL_NH_ADD);
		else if (live)
			rri_nexthop_unanswered(rn, nh, RRI_RTNL_NH_ADD);
	}
	if (sending)
		rri_rtnl_batch_send(rn, b);
}

/**
 * rri_nexthop_flush() - add, replace and remove nexthop objects
 * @rn: the namespace's state, locked
 * @b: the batch to use, started, and empty; sent before this returns
 * @sending: whether @b could be started: if not, nothing is sent and
 *	what was to be is retried after the next FIB check
 *
 * Objects routes are about to use are added; objects no route uses are
 * removed, once the kernel answered their routes' removals.
 */
void rri_nexthop_flush(struct rri_net *rn, struct rri_rtnl_batch *b,
		       bool sending)
{
	unsigned int round;

	lockdep_assert_held(&rn->lock);

	/* Ids someone else holds are tried again, a few rounds at most. */
	for (round = 0; rn->nh_dirty && round < RRI_NEXTHOP_ROUNDS; round++) {
		rri_nexthop_flush_round(rn, b, sending);
		if (!sending)
			break;
	}
}

/**
 * rri_nexthop_answered() - apply the kernel's answer to a nexthop message
 * @rn: the namespace's state, locked
 * @nh: the object
 * @op: RRI_RTNL_NH_ADD, _REPLACE or _DEL
 * @err: the answer: 0 or a negative errno
 */
void rri_nexthop_answered(struct rri_net *rn, struct rri_nhobj *nh,
			  enum rri_rtnl_op op, int err)
{
	nh->unknown = 0;
	if (op == RRI_RTNL_NH_DEL) {
		/* -ENOENT: the kernel removed it before us. */
		nh->installed = 0;
		if (!nh->refs && !nh->dirty)
			rri_nexthop_free(rn, nh);
		return;
	}
	if (!err) {
		nh->installed = 1;
		nh->wrong = 0;
		return;
	}
	if (err == -EEXIST && op == RRI_RTNL_NH_ADD) {
		/* Someone else's id: tried again with another. */
		rri_nexthop_renumber(rn, nh);
		rri_nexthop_dirty(rn, nh);
		return;
	}
	nh->failed = 1;
}

/**
 * rri_nexthop_unanswered() - a nexthop message the kernel did not answer
 * @rn: the namespace's state, locked
 * @nh: the object
 * @op: RRI_RTNL_NH_ADD, _REPLACE or _DEL
 *
 * Whether the kernel holds the object is for the FIB check asked for
 * here to say; until then no route names it. A removal is sent again.
 */
void rri_nexthop_unanswered(struct rri_net *rn, struct rri_nhobj *nh,
			    enum rri_rtnl_op op)
{
	rri_net_count(rn, RRI_STAT_ROUTE_ERROR);
	nh->unknown = 1;
	if (op == RRI_RTNL_NH_DEL)
		rri_nexthop_dirty(rn, nh);
	rri_net_kick(rn, RRI_NET_FIB_CHECK, HZ / 10);
}

/**
 * rri_nexthop_check_start() - a FIB check begins: nothing is seen yet
 * @rn: the namespace's state, locked
 */
void rri_nexthop_check_start(struct rri_net *rn)
{
	struct rri_hnode *node;
	struct rri_nhobj *nh;
	unsigned int b = 0;

	for (node = rri_htable_next(&rn->nexthops, NULL, &b); node;
	     node = rri_htable_next(&rn->nexthops, node, &b)) {
		nh = container_of(node, struct rri_nhobj, node);
		nh->seen = 0;
		nh->mismatch = 0;
		nh->named = 0;
	}
}

/**
 * rri_nexthop_check_one() - the kernel holds nexthop object @id as @key
 * @rn: the namespace's state, locked
 * @id: the object's id
 * @key: what it holds (zeroed, then filled in; family 0 for a group or a
 *	blackhole)
 */
void rri_nexthop_check_one(struct rri_net *rn, u32 id,
			   const struct rri_nhobj_key *key)
{
	struct rri_nhobj *nh = rri_nexthop_by_id(rn, id);

	if (!nh)
		return;
	if (!memcmp(&nh->key, key, sizeof(*key)))
		nh->seen = 1;
	else
		nh->mismatch = 1;
}

/**
 * rri_nexthop_check_done() - the FIB check saw what the kernel holds
 * @rn: the namespace's state, locked
 *
 * Objects the kernel lost are added again when a route needs them (the
 * routes are lost with them); refused ones may be tried again; one of
 * rri's ids with another next hop is replaced by rri's own.
 */
void rri_nexthop_check_done(struct rri_net *rn)
{
	struct rri_hnode *node, *next;
	struct rri_nhobj *nh;
	unsigned int b = 0;

	for (node = rri_htable_next(&rn->nexthops, NULL, &b); node; node = next) {
		next = rri_htable_next(&rn->nexthops, node, &b);
		nh = container_of(node, struct rri_nhobj, node);
		nh->failed = 0;
		nh->unknown = 0;
		nh->installed = nh->seen;
		/*
		 * Its id with another next hop: put back if routes of rri's
		 * name it, else left to whoever has it now (rri takes
		 * another id).
		 */
		nh->wrong = nh->mismatch && nh->refs && nh->named;
		if (nh->mismatch && !nh->wrong)
			rri_nexthop_renumber(rn, nh);
		/* Unused: removed if the kernel holds it, else freed. */
		if (nh->wrong || !nh->refs)
			rri_nexthop_dirty(rn, nh);
	}
}

/**
 * rri_nexthop_remove_all() - remove every nexthop object (no route is left)
 * @rn: the namespace's state, locked
 */
void rri_nexthop_remove_all(struct rri_net *rn)
{
	struct rri_nhobj *nh, *next;
	struct rri_rtnl_batch b;
	bool sending = false;

	lockdep_assert_held(&rn->lock);

	if (rn->nh_dirty && check_net(rn->net))
		sending = !rri_rtnl_batch_start(rn, &b);
	rri_nexthop_flush(rn, &b, sending);
	if (sending)
		rri_rtnl_batch_end(rn, &b);

	/* Removals the kernel did not answer: there is no later flush. */
	nh = rn->nh_dirty;
	rn->nh_dirty = NULL;
	rn->nh_dirty_tail = &rn->nh_dirty;
	for (; nh; nh = next) {
		next = nh->dirty_next;
		if (!WARN_ON_ONCE(nh->refs))
			rri_nexthop_free(rn, nh);
	}
	WARN_ON(rn->nexthops.count);
}

/**
 * rri_nexthop_net_init() - set up a namespace's nexthop objects
 * @rn: the namespace's state
 */
void rri_nexthop_net_init(struct rri_net *rn)
{
	rn->nh_dirty = NULL;
	rn->nh_dirty_tail = &rn->nh_dirty;
	rn->nh_next_id = RRI_NEXTHOP_ID_BASE - 1;
	rri_htable_init(&rn->nexthops, rri_nexthop_hashfn);
	rri_htable_init(&rn->nexthop_ids, rri_nexthop_id_hashfn);
}

/**
 * rri_nexthop_net_exit() - free a namespace's tables
 * @rn: the namespace's state, with no nexthop object left
 */
void rri_nexthop_net_exit(struct rri_net *rn)
{
	rri_htable_destroy(&rn->nexthops);
	rri_htable_destroy(&rn->nexthop_ids);
}

/**
 * rri_nexthop_cache_init() - create the nexthop object cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init rri_nexthop_cache_init(void)
{
	rri_nexthop_cache = KMEM_CACHE(rri_nhobj, SLAB_ACCOUNT);
	return rri_nexthop_cache ? 0 : -ENOMEM;
}

/**
 * rri_nexthop_cache_exit() - destroy the nexthop object cache
 */
void rri_nexthop_cache_exit(void)
{
	kmem_cache_destroy(rri_nexthop_cache);
}
