// SPDX-License-Identifier: GPL-2.0
/*
 * The policies maps own, and whether each justifies its route.
 *
 * rri keeps a small record of every outbound tunnel policy some map
 * selects (its index, the map, the routes it holds), but no copy of the
 * policy or of the SAs: whether a policy is satisfied (some VALID SA
 * matches its template) is asked of the kernel's own SA database, with the
 * policy as XFRM has it now (fetched by index), whenever something that
 * may change the answer happens. Events may therefore be applied late or
 * twice (an event and a walk of the same change) and the result is still
 * the kernel's current truth.
 *
 * Records are found by index and by tunnel key (template endpoints and
 * reqid), so an SA event looks only at the policies that SA can satisfy:
 * those of its reqid, and those whose template accepts any (reqid 0).
 *
 * Every record holds a reference on its map. All functions here run under
 * rri_net.lock.
 */

#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/slab.h>

#include "event.h"
#include "map.h"
#include "pernet.h"
#include "group.h"
#include "policy.h"
#include "replay.h"
#include "route.h"
#include "sa.h"
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

/* The prefix with its host bits cleared. */
static void rri_prefix_copy(xfrm_address_t *to, const xfrm_address_t *from,
			    u16 family, u8 len)
{
	memset(to, 0, sizeof(*to));
	if (family == AF_INET)
		to->a4 = from->a4 & inet_make_mask(min_t(u8, len, 32));
	else
		ipv6_addr_prefix((struct in6_addr *)to->a6,
				 (const struct in6_addr *)from->a6,
				 min_t(u8, len, 128));
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
	if (!t || (t->encap_family != AF_INET && t->encap_family != AF_INET6))
		return false;

	memset(info, 0, sizeof(*info));
	info->sel_family = xp->selector.family ?: xp->family;
	if (info->sel_family != AF_INET && info->sel_family != AF_INET6)
		return false;
	rri_tunnel_key_set(&info->tunnel, &t->saddr, &t->id.daddr,
			   t->encap_family, t->reqid);
	info->proto = t->id.proto;
	info->dst_len = xp->selector.prefixlen_d;
	info->src_len = xp->selector.prefixlen_s;
	rri_prefix_copy(&info->dst, &xp->selector.daddr, info->sel_family,
			info->dst_len);
	rri_prefix_copy(&info->src, &xp->selector.saddr, info->sel_family,
			info->src_len);
	info->mark = xp->mark;
	info->index = xp->index;
	info->if_id = xp->if_id;
	return true;
}

/**
 * rri_policy_info_larval() - describe a larval (ACQUIRE) state as a policy
 * @info: filled in: the state's endpoints and reqid as the tunnel, the flow
 *	that triggered it as the selector, its mark, if_id and protocol
 * @x: the state (XFRM_STATE_ACQ, or one that was)
 *
 * So that a map's match keys can tell whether the attempt is the map's
 * (rri_map_selects()). Callable in atomic context.
 *
 * Return: true if @x is of a family rri handles.
 */
bool rri_policy_info_larval(struct rri_policy_info *info, const struct xfrm_state *x)
{
	u16 family = x->sel.family ?: x->props.family;

	if ((family != AF_INET && family != AF_INET6) ||
	    (x->props.family != AF_INET && x->props.family != AF_INET6))
		return false;
	memset(info, 0, sizeof(*info));
	rri_tunnel_key_set(&info->tunnel, &x->props.saddr, &x->id.daddr,
			   x->props.family, x->props.reqid);
	info->sel_family = family;
	info->dst_len = x->sel.prefixlen_d;
	info->src_len = x->sel.prefixlen_s;
	rri_prefix_copy(&info->dst, &x->sel.daddr, family, info->dst_len);
	rri_prefix_copy(&info->src, &x->sel.saddr, family, info->src_len);
	info->mark = x->mark;
	info->if_id = x->if_id;
	info->proto = x->id.proto;
	return true;
}

/**
 * rri_policy_ref_fill() - what to find a policy by later
 * @ref: filled in
 * @xp: the policy
 *
 * Callable in atomic context.
 */
void rri_policy_ref_fill(struct rri_policy_ref *ref, const struct xfrm_policy *xp)
{
	memset(ref, 0, sizeof(*ref));
	ref->mark = xp->mark;
	ref->index = xp->index;
	ref->if_id = xp->if_id;
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
static bool rri_policy_fetch(struct rri_net *rn, const struct xfrm_mark *mark,
			     u32 if_id, u32 index, struct rri_policy_info *info)
{
	struct xfrm_policy *xp;
	bool ok;
	int err;

	xp = xfrm_policy_byid(rn->net, mark, if_id, XFRM_POLICY_TYPE_MAIN,
			      XFRM_POLICY_OUT, index, 0, &err);
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
	return rri_sa_tunnel_has_sa(rn, &info->tunnel, info->proto,
				    info->mark.v & info->mark.m, info->if_id);
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

/*
 * Take or drop the policy's routes as @info, its current form, wants. A
 * route that could not be allocated is taken again by the resync this
 * asks for.
 */
static void rri_policy_evaluate(struct rri_net *rn, struct rri_policy *pol,
				const struct rri_policy_info *info)
{
	struct rri_map *map = pol->map;
	bool want = rri_policy_satisfied(rn, map, info);

	if (want && !pol->route) {
		pol->route = rri_route_get(rn, map, info, RRI_ROUTE_KIND_PROXY);
		if (pol->route && map->remote_peer)
			pol->peer_route = rri_route_get(rn, map, info,
							RRI_ROUTE_KIND_PEER);
		if (!pol->route || (map->remote_peer && !pol->peer_route))
			rri_net_retry(rn);
	} else if (!want && pol->route) {
		rri_policy_detach(rn, pol);
	}
}

/* The same, with the policy fetched from XFRM; without it if it is gone. */
static bool rri_policy_refresh(struct rri_net *rn, struct rri_policy *pol)
{
	struct rri_policy_info info;

	if (rri_policy_fetch(rn, &pol->mark, pol->if_id, pol->index, &info))
		rri_policy_evaluate(rn, pol, &info);
	else
		rri_policy_detach(rn, pol);
	return false;
}

/* Whether the policy's template accepts any reqid: sa.c then keeps an index. */
static void rri_policy_set_any(struct rri_net *rn, struct rri_policy *pol,
			       bool any)
{
	if (pol->any == any)
		return;
	pol->any = any;
	if (any)
		rri_sa_index_get(rn);
	else
		rri_sa_index_put(rn);
}

static void rri_policy_set_map(struct rri_policy *pol, struct rri_map *map)
{
	rri_map_get(map);
	if (pol->map)
		rri_map_put(pol->map);
	pol->map = map;
}

/* Take a policy out of the tables and free it. */
static bool rri_policy_drop(struct rri_net *rn, struct rri_policy *pol)
{
	rri_policy_detach(rn, pol);
	rri_htable_remove(&rn->policies, &pol->by_index);
	rri_htable_remove(&rn->tunnels, &pol->by_tunnel);
	rri_policy_set_any(rn, pol, false);
	rri_map_put(pol->map);
	kmem_cache_free(rri_policy_cache, pol);
	return true;
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

/*
 * Learn a policy, or what changed about it: it is (re)assigned to the
 * first map that selects it, or forgotten if none does, and its routes
 * follow. Return: 0 or -ENOMEM (the policy is then forgotten).
 */
static int rri_policy_upsert(struct rri_net *rn,
			     const struct rri_policy_info *info)
{
	struct rri_policy *pol = rri_policy_find(rn, info->index);
	struct rri_map *map = rri_policy_owner(rn, info);
	u32 hash = rri_policy_tunnel_hash(&info->tunnel, rn->tunnels.seed);

	if (pol && !map) {
		rri_policy_drop(rn, pol);
		rri_policy_compact(rn);
		return 0;
	}
	if (pol) {
		/*
		 * Its selector, template or owner may have changed: let go
		 * of the routes and take them again. A route that stays the
		 * same is not touched in the FIB (see route.c).
		 */
		rri_policy_detach(rn, pol);
		if (pol->tunnel_hash != hash) {
			rri_htable_remove(&rn->tunnels, &pol->by_tunnel);
			pol->tunnel_hash = hash;
			/* Cannot fail: the table has buckets. */
			rri_htable_insert(&rn->tunnels, &pol->by_tunnel);
		}
		if (pol->map != map && map->group && map->group->replay)
			rri_replay_tunnel(rn, info);
		rri_policy_set_map(pol, map);
		rri_policy_set_any(rn, pol, !info->tunnel.reqid);
		pol->mark = info->mark;
		pol->if_id = info->if_id;
		pol->gen = rn->gen;
		rri_policy_evaluate(rn, pol, info);
		return 0;
	}
	if (!map)
		return 0;

	pol = kmem_cache_zalloc(rri_policy_cache, GFP_KERNEL_ACCOUNT);
	if (!pol)
		return -ENOMEM;
	pol->mark = info->mark;
	pol->index = info->index;
	pol->if_id = info->if_id;
	pol->tunnel_hash = hash;
	pol->gen = rn->gen;
	if (rri_policy_link(rn, pol)) {
		kmem_cache_free(rri_policy_cache, pol);
		return -ENOMEM;
	}
	rri_policy_set_map(pol, map);
	rri_policy_set_any(rn, pol, !info->tunnel.reqid);
	rri_policy_evaluate(rn, pol, info);
	if (map->group && map->group->replay)
		rri_replay_tunnel(rn, info);
	return 0;
}

/**
 * rri_policy_changed() - a policy came, changed or went
 * @rn: the namespace's state
 * @ref: what XFRM finds it by
 *
 * The policy is fetched from XFRM as it is now, so an event applied late
 * still gives the current truth.
 */
void rri_policy_changed(struct rri_net *rn, const struct rri_policy_ref *ref)
{
	struct rri_policy_info info;
	struct rri_policy *pol;

	lockdep_assert_held(&rn->lock);

	if (rri_policy_fetch(rn, &ref->mark, ref->if_id, ref->index, &info)) {
		if (rri_policy_upsert(rn, &info))
			rri_net_retry(rn);
		return;
	}
	pol = rri_policy_find(rn, ref->index);
	if (pol) {
		rri_policy_drop(rn, pol);
		rri_policy_compact(rn);
	}
}

/* Refresh the policies of one tunnel key's chain. */
static void rri_policy_tunnel_refresh(struct rri_net *rn,
				      const struct rri_tunnel_key *key)
{
	u32 hash = rri_policy_tunnel_hash(key, rn->tunnels.seed);
	struct rri_hnode *node;
	struct rri_policy *pol;

	/* Refreshing changes routes only, never this table. */
	for (node = rri_htable_chain(&rn->tunnels, hash); node; node = node->next) {
		pol = container_of(node, struct rri_policy, by_tunnel);
		if (pol->tunnel_hash == hash)
			rri_policy_refresh(rn, pol);
	}
}

/**
 * rri_policy_tunnel_map() - a map that owns a policy of a tunnel
 * @rn: the namespace's state
 * @key: the tunnel's endpoints and reqid (0: templates that take any)
 * @want: which maps are looked for
 *
 * Policies are kept by the hash of their tunnel key only: a policy of
 * another tunnel with the same 32-bit hash may be found too.
 *
 * Return: the first map for which @want is true, or NULL.
 */
struct rri_map *rri_policy_tunnel_map(struct rri_net *rn,
				      const struct rri_tunnel_key *key,
				      bool (*want)(const struct rri_map *map))
{
	u32 hash = rri_policy_tunnel_hash(key, rn->tunnels.seed);
	struct rri_hnode *node;
	struct rri_policy *pol;

	lockdep_assert_held(&rn->lock);

	for (node = rri_htable_chain(&rn->tunnels, hash); node; node = node->next) {
		pol = container_of(node, struct rri_policy, by_tunnel);
		if (pol->tunnel_hash == hash && want(pol->map))
			return pol->map;
	}
	return NULL;
}

/**
 * rri_policy_tunnel_changed() - an SA came, went or changed
 * @rn: the namespace's state
 * @key: the SA's source, destination, family and reqid
 *
 * The policies whose template that SA can satisfy (same endpoints, and
 * the SA's reqid or any) ask the kernel again whether a VALID SA
 * satisfies them. A rekey (new SA, then old one deleted) therefore never
 * leaves a policy unsatisfied in between. A policy that only shares a
 * hash is asked too, which changes nothing.
 */
void rri_policy_tunnel_changed(struct rri_net *rn,
			       const struct rri_tunnel_key *key)
{
	struct rri_tunnel_key any = *key;

	lockdep_assert_held(&rn->lock);

	rri_policy_tunnel_refresh(rn, key);
	if (key->reqid) {
		any.reqid = 0;
		rri_policy_tunnel_refresh(rn, &any);
	}
}

/*
 * Call @fn on every policy, or only on those of @map. @fn may free the
 * policy it is given, but not add one.
 */
static void rri_policy_for_each(struct rri_net *rn, const struct rri_map *map,
				bool (*fn)(struct rri_net *, struct rri_policy *))
{
	struct rri_hnode *node, *next;
	struct rri_policy *pol;
	unsigned int b = 0;

	for (node = rri_htable_next(&rn->policies, NULL, &b); node; node = next) {
		next = rri_htable_next(&rn->policies, node, &b);
		pol = container_of(node, struct rri_policy, by_index);
		if (!map || pol->map == map)
			fn(rn, pol);
		cond_resched();
	}
}

/**
 * rri_policy_reevaluate_all() - ask again for every policy (after a flush)
 * @rn: the namespace's state
 */
void rri_policy_reevaluate_all(struct rri_net *rn)
{
	lockdep_assert_held(&rn->lock);
	rri_policy_for_each(rn, NULL, rri_policy_refresh);
}

/**
 * rri_policy_rederive() - resolve the routes of policies anew
 * @rn: the namespace's state
 * @map: only this map's policies, or NULL for all
 *
 * After the network changed: every policy lets go of its routes, then
 * takes them again with next hops resolved now. A route whose next hop
 * stays is not touched in the FIB; routes that were unresolved, in
 * conflict or refused are tried again.
 */
void rri_policy_rederive(struct rri_net *rn, const struct rri_map *map)
{
	lockdep_assert_held(&rn->lock);
	rri_policy_for_each(rn, map, rri_policy_detach);
	rri_policy_for_each(rn, map, rri_policy_refresh);
}

/**
 * rri_policy_remove_all() - forget every policy
 * @rn: the namespace's state
 */
void rri_policy_remove_all(struct rri_net *rn)
{
	lockdep_assert_held(&rn->lock);
	rri_policy_for_each(rn, NULL, rri_policy_drop);
	rri_policy_compact(rn);
}

/* A walk's copies of the policies a resync looks at, a page at a time. */
struct rri_info_chunk {
	struct list_head list;
	unsigned int n;
	struct rri_policy_info info[];
};

#define RRI_CHUNK_INFOS	((PAGE_SIZE - sizeof(struct rri_info_chunk)) / \
			 sizeof(struct rri_policy_info))

struct rri_resync {
	struct rri_map *map;
	struct list_head chunks;
	int err;
};

/* A policy a resync of @map must look at: the map owns or now gets it. */
static bool rri_policy_in_scope(struct rri_net *rn, const struct rri_map *map,
				const struct rri_policy_info *info)
{
	struct rri_policy *pol;

	if (!map)
		return true;
	pol = rri_policy_find(rn, info->index);
	return (pol && pol->map == map) || rri_policy_owner(rn, info) == map;
}

static void rri_policy_resync_copy(struct rri_net *rn,
				   const struct rri_policy_info *info, void *arg)
{
	struct rri_resync *rs = arg;
	struct rri_info_chunk *c;

	if (rs->err || !rri_policy_in_scope(rn, rs->map, info))
		return;

	c = list_empty(&rs->chunks) ? NULL :
	    list_last_entry(&rs->chunks, struct rri_info_chunk, list);
	if (!c || c->n == RRI_CHUNK_INFOS) {
		c = kmalloc(PAGE_SIZE, GFP_KERNEL_ACCOUNT);
		if (!c) {
			rs->err = -ENOMEM;
			return;
		}
		c->n = 0;
		list_add_tail(&c->list, &rs->chunks);
	}
	c->info[c->n++] = *info;
}

static bool rri_policy_sweep(struct rri_net *rn, struct rri_policy *pol)
{
	return pol->gen != rn->gen && rri_policy_drop(rn, pol);
}

/**
 * rri_policy_resync() - derive policies and routes anew from XFRM
 * @rn: the namespace's state
 * @map: only what this map owns or may select now (after it was added or
 *	changed), or NULL for everything
 *
 * The kernel's policies are walked and copied first; only when the walk
 * succeeded is the model changed: each policy in scope is assigned to the
 * first map that selects it, and policies in scope that are gone are
 * forgotten. A route that the same or another policy takes up again is
 * not touched in the FIB (see route.c).
 *
 * Return: 0, or -ENOMEM if the walk could not be copied; the model is
 * then as it was. A later failure to allocate a record asks for a resync
 * of the whole namespace instead.
 */
int rri_policy_resync(struct rri_net *rn, struct rri_map *map)
{
	struct rri_resync rs = { .map = map };
	struct rri_info_chunk *c, *tmp;
	bool failed = false;
	unsigned int i;
	int ret;

	lockdep_assert_held(&rn->lock);

	INIT_LIST_HEAD(&rs.chunks);
	ret = rri_xfrm_policy_walk(rn, rri_policy_resync_copy, &rs) ?: rs.err;
	if (!ret) {
		rn->gen++;
		list_for_each_entry(c, &rs.chunks, list) {
			for (i = 0; i < c->n; i++) {
				if (rri_policy_upsert(rn, &c->info[i]))
					failed = true;
				cond_resched();
			}
		}
		rri_policy_for_each(rn, map, rri_policy_sweep);
		rri_policy_compact(rn);
	}
	list_for_each_entry_safe(c, tmp, &rs.chunks, list)
		kfree(c);
	if (failed)
		rri_net_retry(rn);
	return ret;
}

/* Hand a policy of a deleted map to the next map, or forget it. */
static bool rri_policy_pass_on(struct rri_net *rn, struct rri_policy *pol)
{
	struct rri_policy_info info;
	struct rri_map *owner;

	if (!rri_policy_fetch(rn, &pol->mark, pol->if_id, pol->index, &info))
		return rri_policy_drop(rn, pol);
	owner = rri_policy_owner(rn, &info);
	if (!owner)
		return rri_policy_drop(rn, pol);

	rri_policy_detach(rn, pol);
	rri_policy_set_map(pol, owner);
	rri_policy_evaluate(rn, pol, &info);
	return false;
}

/**
 * rri_policy_map_gone() - a map left the list: pass its policies on
 * @rn: the namespace's state
 * @map: the map, no longer on rri_net.maps
 *
 * Each policy the map owned goes to the next map that selects it, or is
 * forgotten. No walk and no allocation: nothing here can fail, and no
 * policy is left pointing at the map. Routes still held by other maps'
 * policies are named after one of those maps.
 */
void rri_policy_map_gone(struct rri_net *rn, struct rri_map *map)
{
	struct rri_hnode *node;
	struct rri_policy *pol;
	unsigned int b = 0;

	lockdep_assert_held(&rn->lock);

	rri_policy_for_each(rn, map, rri_policy_pass_on);
	rri_policy_compact(rn);

	for (node = rri_htable_next(&rn->policies, NULL, &b); node;
	     node = rri_htable_next(&rn->policies, node, &b)) {
		pol = container_of(node, struct rri_policy, by_index);
		if (pol->route && pol->route->map == map)
			rri_route_pass(rn, pol->route, pol->map);
		if (pol->peer_route && pol->peer_route->map == map)
			rri_route_pass(rn, pol->peer_route, pol->map);
		cond_resched();
	}
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
	rri_policy_cache = KMEM_CACHE(rri_policy, SLAB_ACCOUNT);
	return rri_policy_cache ? 0 : -ENOMEM;
}

/**
 * rri_policy_cache_exit() - destroy the policy cache
 */
void rri_policy_cache_exit(void)
{
	kmem_cache_destroy(rri_policy_cache);
}
