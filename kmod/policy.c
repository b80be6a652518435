// SPDX-License-Identifier: GPL-2.0
/*
 * The policies maps own, and whether each justifies its route.
 *
 * rri keeps a record of every outbound tunnel policy some map selects, but
 * no copy of the SAs: whether a policy is satisfied (some VALID SA matches
 * its template) is asked of the kernel's own SA database whenever an SA of
 * its tunnel changes. Events may therefore be applied late or twice (an
 * event and a walk of the same change) and the result is still the
 * kernel's current truth. All functions here run under rri_net.lock.
 */

#include <linux/rhashtable.h>
#include <linux/slab.h>

#include "map.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"
#include "xfrm.h"

static struct kmem_cache *rri_policy_cache __read_mostly;

static const struct rhashtable_params rri_policy_index_params = {
	.key_len = sizeof(u32),
	.key_offset = offsetof(struct rri_policy, index),
	.head_offset = offsetof(struct rri_policy, by_index),
	.automatic_shrinking = true,
};

static const struct rhashtable_params rri_policy_tunnel_params = {
	.key_len = sizeof(struct rri_tunnel_key),
	.key_offset = offsetof(struct rri_policy, tunnel),
	.head_offset = offsetof(struct rri_policy, by_tunnel),
	.automatic_shrinking = true,
};

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
	return rhashtable_lookup_fast(&rn->policies, &index,
				      rri_policy_index_params);
}

static bool rri_policy_satisfied(struct rri_net *rn,
				 const struct rri_policy *pol)
{
	if (pol->map->mode == RRI_MODE_STATIC)
		return true;
	return rri_xfrm_tunnel_has_sa(rn->net, &pol->tunnel, pol->proto,
				      pol->reqid, pol->mark, pol->if_id);
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

static bool rri_policy_evaluate(struct rri_net *rn, struct rri_policy *pol)
{
	bool want = rri_policy_satisfied(rn, pol);

	if (want && !pol->route) {
		pol->route = rri_route_get(rn, pol, RRI_ROUTE_KIND_PROXY);
		if (pol->route && pol->map->remote_peer)
			pol->peer_route = rri_route_get(rn, pol, RRI_ROUTE_KIND_PEER);
	} else if (!want && pol->route) {
		rri_policy_detach(rn, pol);
	}
	return false;
}

/* Take a policy out of the tables; the caller frees it. */
static bool rri_policy_unlink(struct rri_net *rn, struct rri_policy *pol)
{
	rri_policy_detach(rn, pol);
	rhashtable_remove_fast(&rn->policies, &pol->by_index,
			       rri_policy_index_params);
	rhltable_remove(&rn->tunnels, &pol->by_tunnel,
			rri_policy_tunnel_params);
	return true;
}

static void rri_policy_free(struct rri_policy *pol)
{
	kmem_cache_free(rri_policy_cache, pol);
}

static int rri_policy_link(struct rri_net *rn, struct rri_policy *pol)
{
	int ret;

	ret = rhashtable_insert_fast(&rn->policies, &pol->by_index,
				     rri_policy_index_params);
	if (ret)
		return ret;

	ret = rhltable_insert(&rn->tunnels, &pol->by_tunnel,
			      rri_policy_tunnel_params);
	if (ret)
		rhashtable_remove_fast(&rn->policies, &pol->by_index,
				       rri_policy_index_params);
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

static bool rri_policy_same(const struct rri_policy *pol,
			    const struct rri_policy_info *info,
			    const struct rri_map *map)
{
	return pol->map == map &&
	       !memcmp(&pol->tunnel, &info->tunnel, sizeof(pol->tunnel)) &&
	       !memcmp(&pol->dst, &info->dst, sizeof(pol->dst)) &&
	       pol->dst_len == info->dst_len &&
	       pol->sel_family == info->sel_family &&
	       pol->proto == info->proto && pol->reqid == info->reqid &&
	       pol->if_id == info->if_id &&
	       pol->mark == (info->mark.v & info->mark.m);
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

	lockdep_assert_held(&rn->lock);

	if (pol && rri_policy_same(pol, info, map)) {
		pol->gen = rn->gen;
		rri_policy_evaluate(rn, pol);
		return;
	}
	if (pol) {
		rri_policy_unlink(rn, pol);
		rri_policy_free(pol);
	}
	if (!map)
		return;

	pol = kmem_cache_zalloc(rri_policy_cache, GFP_KERNEL);
	if (!pol) {
		atomic64_inc(&rn->stats[RRI_STAT_EVENTS_DROPPED]);
		return;
	}
	pol->tunnel = info->tunnel;
	pol->map = map;
	pol->dst = info->dst;
	pol->dst_len = info->dst_len;
	pol->sel_family = info->sel_family;
	pol->index = info->index;
	pol->if_id = info->if_id;
	pol->reqid = info->reqid;
	pol->mark = info->mark.v & info->mark.m;
	pol->proto = info->proto;
	pol->gen = rn->gen;
	if (rri_policy_link(rn, pol)) {
		rri_policy_free(pol);
		atomic64_inc(&rn->stats[RRI_STAT_EVENTS_DROPPED]);
		return;
	}
	rri_policy_evaluate(rn, pol);
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
	}
}

/**
 * rri_policy_tunnel_changed() - an SA of a tunnel came, went or changed
 * @rn: the namespace's state
 * @key: the SA's source, destination and family
 *
 * Every policy whose template names that tunnel asks the kernel again
 * whether a VALID SA satisfies it. A rekey (new SA, then old one deleted)
 * therefore never leaves a policy unsatisfied in between.
 */
void rri_policy_tunnel_changed(struct rri_net *rn,
			       const struct rri_tunnel_key *key)
{
	struct rri_policy *batch[16], *pol;
	struct rhlist_head *list, *pos;
	unsigned int i, n, skip = 0;

	lockdep_assert_held(&rn->lock);

	/*
	 * The lookup needs RCU and evaluating may sleep: take the policies a
	 * batch at a time. Only this lock's holder changes the table, and
	 * evaluating does not, so the list is the same on every pass.
	 */
	do {
		n = 0;
		i = 0;
		rcu_read_lock();
		list = rhltable_lookup(&rn->tunnels, key, rri_policy_tunnel_params);
		rhl_for_each_entry_rcu(pol, pos, list, by_tunnel) {
			if (i++ < skip)
				continue;
			if (n == ARRAY_SIZE(batch))
				break;
			batch[n++] = pol;
		}
		rcu_read_unlock();

		for (i = 0; i < n; i++)
			rri_policy_evaluate(rn, batch[i]);
		skip += n;
	} while (n == ARRAY_SIZE(batch));
}

/*
 * Call @fn on every policy. The walk holds RCU; @fn is called outside it
 * when @sleeps (it then must not unlink policies, so the walk can resume
 * at the one it was given). Otherwise @fn may unlink the policy it is
 * given by returning true; that one is freed only once the walk has
 * stepped past it, since the walk reads its successor through it. A table
 * resize makes the walk start over (-EAGAIN), so @fn must be idempotent;
 * no policy is missed.
 */
static void rri_policy_for_each(struct rri_net *rn,
				bool (*fn)(struct rri_net *, struct rri_policy *),
				bool sleeps)
{
	struct rri_policy *pol, *dead = NULL;
	struct rhashtable_iter iter;

	rhashtable_walk_enter(&rn->policies, &iter);
	rhashtable_walk_start(&iter);
	while ((pol = rhashtable_walk_next(&iter))) {
		if (dead) {
			rri_policy_free(dead);
			dead = NULL;
		}
		if (IS_ERR(pol))
			continue;
		if (sleeps) {
			rhashtable_walk_stop(&iter);
			WARN_ON_ONCE(fn(rn, pol));
			rhashtable_walk_start(&iter);
		} else if (fn(rn, pol)) {
			dead = pol;
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	if (dead)
		rri_policy_free(dead);
}

/**
 * rri_policy_reevaluate_all() - ask again for every policy (after a flush)
 * @rn: the namespace's state
 */
void rri_policy_reevaluate_all(struct rri_net *rn)
{
	lockdep_assert_held(&rn->lock);
	rri_policy_for_each(rn, rri_policy_evaluate, true);
}

/**
 * rri_policy_remove_all() - forget every policy
 * @rn: the namespace's state
 */
void rri_policy_remove_all(struct rri_net *rn)
{
	lockdep_assert_held(&rn->lock);
	while (atomic_read(&rn->policies.nelems))
		rri_policy_for_each(rn, rri_policy_unlink, false);
}

static bool rri_policy_sweep(struct rri_net *rn, struct rri_policy *pol)
{
	return pol->gen != rn->gen && rri_policy_unlink(rn, pol);
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

	rri_policy_for_each(rn, rri_policy_detach, false);
	rn->gen++;
	ret = rri_xfrm_policy_walk(rn, rri_policy_resync_one, NULL);
	if (ret)
		return ret;
	rri_policy_for_each(rn, rri_policy_sweep, false);
	return 0;
}

/**
 * rri_policy_net_init() - set up a namespace's policy tables
 * @rn: the namespace's state
 *
 * Return: 0 or a negative errno.
 */
int rri_policy_net_init(struct rri_net *rn)
{
	int ret;

	ret = rhashtable_init(&rn->policies, &rri_policy_index_params);
	if (ret)
		return ret;
	ret = rhltable_init(&rn->tunnels, &rri_policy_tunnel_params);
	if (ret)
		rhashtable_destroy(&rn->policies);
	return ret;
}

/**
 * rri_policy_net_exit() - free a namespace's policy tables
 * @rn: the namespace's state, with no policy left
 */
void rri_policy_net_exit(struct rri_net *rn)
{
	rhltable_destroy(&rn->tunnels);
	rhashtable_destroy(&rn->policies);
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
