// SPDX-License-Identifier: GPL-2.0
/*
 * The policies maps own, and whether each justifies its route.
 *
 * rri keeps a small record of every outbound tunnel policy some map
 * selects (its index, the map, the routes it holds), but no copy of the
 * policy or of the SAs: whether a policy is satisfied (some VALID SA
 * matches its template) is asked of the kernel's own SA database, with the
 * policy as XFRM has it now, whenever an SA of its tunnel changes. Events
 * may therefore be applied late or twice (an event and a walk of the same
 * change) and the result is still the kernel's current truth. All
 * functions here run under rri_net.lock.
 */

#include <linux/jhash.h>
#include <linux/slab.h>

#include "map.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"
#include "xfrm.h"

static struct kmem_cache *rri_policy_cache __read_mostly;

static u32 rri_policy_index_hash(u32 index, u32 seed)
{
	return jhash_1word(index, seed);
}

static u32 rri_policy_index_hashfn(const struct rri_hnode *node, u32 seed)
{
	const struct rri_policy *pol = container_of(node, struct rri_policy, by_index);

	return rri_policy_index_hash(pol->index, seed);
}

static u32 rri_policy_tunnel_hash(const struct rri_tunnel_key *key, u32 seed)
{
	BUILD_BUG_ON(sizeof(*key) % sizeof(u32));
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), seed);
}

static u32 rri_policy_tunnel_hashfn(const struct rri_hnode *node, u32 seed)
{
	return container_of(node, struct rri_policy, by_tunnel)->tunnel_hash;
}

/* The outermost tunnel-mode template: the last one applied on output. */
static const struct xfrm_tmpl *rri_policy_tunnel_tmpl(const struct xfrm_policy *xp)
{
	int i;

	for (i = xp->xfrm_nr - 1; i >= 0; i--)
		if (xp->xfrm_vec[i].mode == XFRM_MODE_TUNNEL)
			return &xp->xfrm_vec[i];
	return NULL;
}

/**
 * rri_policy_info_fill() - copy what rri needs of a policy
 * @info: filled in
 * @xp: the policy
 * @dir: its direction
 *
 * Callable in atomic context.
 *
 * Return: true if @xp is a policy rri considers: outbound, main type,
 * allowing traffic, with a tunnel-mode template.
 */
bool rri_policy_info_fill(struct rri_policy_info *info,
			  const struct xfrm_policy *xp, int dir)
{
	const struct xfrm_tmpl *t;

	if (dir != XFRM_POLICY_OUT || xp->type != XFRM_POLICY_TYPE_MAIN ||
	    xp->action != XFRM_POLICY_ALLOW)
		return false;

	t = rri_policy_tunnel_tmpl(xp);
	if (!t)
		return false;

	memset(info, 0, sizeof(*info));
	info->tunnel.saddr = t->saddr;
	info->tunnel.daddr = t->id.daddr;
	info->tunnel.family = t->encap_family;
	info->proto = t->id.proto;
	info->reqid = t->reqid;
	info->dst = xp->selector.daddr;
	info->dst_len = xp->selector.prefixlen_d;
	info->src = xp->selector.saddr;
	info->src_len = xp->selector.prefixlen_s;
	info->sel_family = xp->selector.family ?: xp->family;
	info->mark = xp->mark;
	info->index = xp->index;
	info->if_id = xp->if_id;
	return true;
}

static struct rri_policy *rri_policy_find(struct rri_net *rn, u32 index)
{
	struct rri_hnode *node;
	struct rri_policy *pol;

	node = rri_htable_chain(&rn->policies,
				rri_policy_index_hash(index, rn->policies.seed));
	for (; node; node = node->next) {
		pol = container_of(node, struct rri_policy, by_index);
		if (pol->index == index)
			return pol;
	}
	return NULL;
}

/*
 * Ask XFRM for the policy as it is now. False if it is gone, or no longer
 * one rri considers; its event is then queued, if not applied already.
 */
static bool rri_policy_fetch(struct rri_net *rn, const struct rri_policy *pol,
			     struct rri_policy_info *info)
{
	struct xfrm_policy *xp;
	bool ok;
	int err;

	xp = xfrm_policy_byid(rn->net, &pol->mark, pol->if_id,
			      XFRM_POLICY_TYPE_MAIN, XFRM_POLICY_OUT, pol->index,
			      0, &err);
	if (!xp)
		return false;
	ok = rri_policy_info_fill(info, xp, XFRM_POLICY_OUT);
	xfrm_pol_put(xp);
	return ok;
}

static bool rri_policy_satisfied(struct rri_net *rn, const struct rri_map *map,
				 const struct rri_policy_info *info)
{
	if (map->mode == RRI_MODE_STATIC)
		return true;
	return rri_xfrm_tunnel_has_sa(rn->net, &info->tunnel, info->proto,
				      info->reqid, info->mark.v & info->mark.m,
				      info->if_id);
}

static bool rri_policy_detach(struct rri_net *rn, struct rri_policy *pol)
{
	if (pol->peer_route) {
		rri_route_put(rn, pol->peer_route);
		pol->peer_route = NULL;
	}
	if (pol->route) {
		rri_route_put(rn, pol->route);
		pol->route = NULL;
	}
	return false;
}

/* Take or drop the policy's routes as @info, its current form, wants. */
static void rri_policy_evaluate(struct rri_net *rn, struct rri_policy *pol,
				const struct rri_policy_info *info)
{
	const struct rri_map *map = pol->map;
	bool want = rri_policy_satisfied(rn, map, info);

	if (want && !pol->route) {
		pol->route = rri_route_get(rn, map, info, RRI_ROUTE_KIND_PROXY);
		if (pol->route && map->remote_peer)
			pol->peer_route = rri_route_get(rn, map, info,
							RRI_ROUTE_KIND_PEER);
	} else if (!want && pol->route) {
		rri_policy_detach(rn, pol);
	}
}

/* The same, with the policy fetched from XFRM; without it if it is gone. */
static bool rri_policy_refresh(struct rri_net *rn, struct rri_policy *pol)
{
	struct rri_policy_info info;

	if (rri_policy_fetch(rn, pol, &info))
		rri_policy_evaluate(rn, pol, &info);
	else
		rri_policy_detach(rn, pol);
	return false;
}

/* Take a policy out of the tables; the caller frees it. */
static bool rri_policy_unlink(struct rri_net *rn, struct rri_policy *pol)
{
	rri_policy_detach(rn, pol);
	rri_htable_remove(&rn->policies, &pol->by_index);
	rri_htable_remove(&rn->tunnels, &pol->by_tunnel);
	return true;
}

static void rri_policy_free(struct rri_policy *pol)
{
	kmem_cache_free(rri_policy_cache, pol);
}

static int rri_policy_link(struct rri_net *rn, struct rri_policy *pol)
{
	int ret;

	ret = rri_htable_insert(&rn->policies, &pol->by_index);
	if (ret)
		return ret;

	ret = rri_htable_insert(&rn->tunnels, &pol->by_tunnel);
	if (ret)
		rri_htable_remove(&rn->policies, &pol->by_index);
	return ret;
}

static struct rri_map *rri_policy_owner(struct rri_net *rn,
					const struct rri_policy_info *info)
{
	struct rri_map *map;

	list_for_each_entry(map, &rn->maps, list)
		if (rri_map_selects(map, info))
			return map;
	return NULL;
}

/* Give the tables time to shrink after policies went. */
static void rri_policy_compact(struct rri_net *rn)
{
	rri_htable_compact(&rn->policies);
	rri_htable_compact(&rn->tunnels);
}

/**
 * rri_policy_upsert() - learn a policy, or what changed about it
 * @rn: the namespace's state
 * @info: the policy as it is now
 *
 * The policy is (re)assigned to the first map that selects it, or
 * forgotten if none does, and its route follows.
 */
void rri_policy_upsert(struct rri_net *rn, const struct rri_policy_info *info)
{
	struct rri_policy *pol = rri_policy_find(rn, info->index);
	struct rri_map *map = rri_policy_owner(rn, info);
	u32 hash = rri_policy_tunnel_hash(&info->tunnel, rn->tunnels.seed);

	lockdep_assert_held(&rn->lock);

	if (pol && pol->map == map) {
		/*
		 * Its selector or template may have changed: let go of the
		 * routes and take them again. A route that stays the same
		 * is not touched in the FIB (see route.c).
		 */
		rri_policy_detach(rn, pol);
		if (pol->tunnel_hash != hash) {
			rri_htable_remove(&rn->tunnels, &pol->by_tunnel);
			pol->tunnel_hash = hash;
			/* Cannot fail: the table has buckets. */
			rri_htable_insert(&rn->tunnels, &pol->by_tunnel);
		}
		pol->mark = info->mark;
		pol->if_id = info->if_id;
		pol->gen = rn->gen;
		rri_policy_evaluate(rn, pol, info);
		return;
	}
	if (pol) {
		rri_policy_unlink(rn, pol);
		rri_policy_free(pol);
		rri_policy_compact(rn);
	}
	if (!map)
		return;

	pol = kmem_cache_zalloc(rri_policy_cache, GFP_KERNEL);
	if (!pol) {
		atomic64_inc(&rn->stats[RRI_STAT_EVENTS_DROPPED]);
		return;
	}
	pol->map = map;
	pol->mark = info->mark;
	pol->index = info->index;
	pol->if_id = info->if_id;
	pol->tunnel_hash = hash;
	pol->gen = rn->gen;
	if (rri_policy_link(rn, pol)) {
		rri_policy_free(pol);
		atomic64_inc(&rn->stats[RRI_STAT_EVENTS_DROPPED]);
		return;
	}
	rri_policy_evaluate(rn, pol, info);
}

/**
 * rri_policy_remove() - forget a policy that is gone
 * @rn: the namespace's state
 * @index: the policy's index
 */
void rri_policy_remove(struct rri_net *rn, u32 index)
{
	struct rri_policy *pol = rri_policy_find(rn, index);

	lockdep_assert_held(&rn->lock);

	if (pol) {
		rri_policy_unlink(rn, pol);
		rri_policy_free(pol);
		rri_policy_compact(rn);
	}
}

/**
 * rri_policy_tunnel_changed() - an SA of a tunnel came, went or changed
 * @rn: the namespace's state
 * @key: the SA's source, destination and family
 *
 * Every policy whose template names that tunnel asks the kernel again
 * whether a VALID SA satisfies it. A rekey (new SA, then old one deleted)
 * therefore never leaves a policy unsatisfied in between. A policy that
 * only shares the tunnel's hash is asked too, which changes nothing.
 */
void rri_policy_tunnel_changed(struct rri_net *rn,
			       const struct rri_tunnel_key *key)
{
	u32 hash = rri_policy_tunnel_hash(key, rn->tunnels.seed);
	struct rri_hnode *node;
	struct rri_policy *pol;

	lockdep_assert_held(&rn->lock);

	/* Refreshing changes routes only, never this table. */
	for (node = rri_htable_chain(&rn->tunnels, hash); node; node = node->next) {
		pol = container_of(node, struct rri_policy, by_tunnel);
		if (pol->tunnel_hash == hash)
			rri_policy_refresh(rn, pol);
	}
}

/*
 * Call @fn on every policy. @fn may unlink and free the policy it is
 * given (and then returns true), but not add one.
 */
static void rri_policy_for_each(struct rri_net *rn,
				bool (*fn)(struct rri_net *, struct rri_policy *))
{
	struct rri_hnode *node, *next;
	unsigned int b;

	b = 0;
	for (node = rri_htable_next(&rn->policies, NULL, &b); node; node = next) {
		next = rri_htable_next(&rn->policies, node, &b);
		fn(rn, container_of(node, struct rri_policy, by_index));
	}
}

/**
 * rri_policy_reevaluate_all() - ask again for every policy (after a flush)
 * @rn: the namespace's state
 */
void rri_policy_reevaluate_all(struct rri_net *rn)
{
	lockdep_assert_held(&rn->lock);
	rri_policy_for_each(rn, rri_policy_refresh);
}

static bool rri_policy_drop(struct rri_net *rn, struct rri_policy *pol)
{
	rri_policy_unlink(rn, pol);
	rri_policy_free(pol);
	return true;
}

/**
 * rri_policy_remove_all() - forget every policy
 * @rn: the namespace's state
 */
void rri_policy_remove_all(struct rri_net *rn)
{
	lockdep_assert_held(&rn->lock);
	rri_policy_for_each(rn, rri_policy_drop);
	rri_policy_compact(rn);
}

static bool rri_policy_sweep(struct rri_net *rn, struct rri_policy *pol)
{
	return pol->gen != rn->gen && rri_policy_drop(rn, pol);
}

static void rri_policy_resync_one(struct rri_net *rn,
				  const struct rri_policy_info *info, void *arg)
{
	rri_policy_upsert(rn, info);
}

/**
 * rri_policy_resync() - derive everything anew from the kernel's policies
 * @rn: the namespace's state
 *
 * After the maps changed: every policy lets go of its routes, the kernel's
 * policies are walked and assigned to maps again, and the ones no longer
 * there are forgotten. A route that the same or another policy takes up
 * again within the resync is not touched in the FIB (see route.c).
 *
 * Return: 0, or a negative errno if the walk failed (what was walked is
 * applied).
 */
int rri_policy_resync(struct rri_net *rn)
{
	int ret;

	lockdep_assert_held(&rn->lock);

	rri_policy_for_each(rn, rri_policy_detach);
	rn->gen++;
	ret = rri_xfrm_policy_walk(rn, rri_policy_resync_one, NULL);
	if (ret)
		return ret;
	rri_policy_for_each(rn, rri_policy_sweep);
	rri_policy_compact(rn);
	return 0;
}

/**
 * rri_policy_net_init() - set up a namespace's policy tables
 * @rn: the namespace's state
 */
void rri_policy_net_init(struct rri_net *rn)
{
	rri_htable_init(&rn->policies, rri_policy_index_hashfn);
	rri_htable_init(&rn->tunnels, rri_policy_tunnel_hashfn);
}

/**
 * rri_policy_net_exit() - free a namespace's policy tables
 * @rn: the namespace's state, with no policy left
 */
void rri_policy_net_exit(struct rri_net *rn)
{
	rri_htable_destroy(&rn->tunnels);
	rri_htable_destroy(&rn->policies);
}

/**
 * rri_policy_cache_init() - create the policy cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init rri_policy_cache_init(void)
{
	rri_policy_cache = KMEM_CACHE(rri_policy, 0);
	return rri_policy_cache ? 0 : -ENOMEM;
}

/**
 * rri_policy_cache_exit() - destroy the policy cache
 */
void rri_policy_cache_exit(void)
{
	kmem_cache_destroy(rri_policy_cache);
}
