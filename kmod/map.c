// SPDX-License-Identifier: GPL-2.0
/*
 * Maps: the admin's selection of IPsec policies and the shape of the
 * routes derived from them. Configuration comes from netlink.c; this file
 * answers "does this map select that policy".
 */

#include <linux/slab.h>

#include "map.h"
#include "peer.h"
#include "pernet.h"
#include "policy.h"

static struct kmem_cache *rri_map_cache __read_mostly;

/**
 * rri_prefix_contains() - whether a prefix lies within another
 * @outer: the enclosing prefix
 * @family: family of the inner prefix
 * @addr: address of the inner prefix
 * @len: length of the inner prefix
 *
 * Return: true if @family matches and @addr/@len is @outer or inside it.
 */
bool rri_prefix_contains(const struct rri_prefix *outer, u16 family,
			 const xfrm_address_t *addr, u8 len)
{
	if (outer->family != family || len < outer->len)
		return false;

	switch (family) {
	case AF_INET:
		return addr4_match(addr->a4, outer->addr.a4, outer->len);
	case AF_INET6:
		return ipv6_prefix_equal((const struct in6_addr *)addr->a6,
					 (const struct in6_addr *)outer->addr.a6,
					 outer->len);
	}
	return false;
}

/**
 * rri_map_selects() - whether every match key of a map holds for a policy
 * @map: the map
 * @info: the policy
 *
 * Return: true if @map selects the policy described by @info.
 */
bool rri_map_selects(const struct rri_map *map,
		     const struct rri_policy_info *info)
{
	if ((map->match & RRI_MATCH_FAMILY) && map->family != info->sel_family)
		return false;
	if ((map->match & RRI_MATCH_REQID) && map->reqid != info->tunnel.reqid)
		return false;
	if ((map->match & RRI_MATCH_IF_ID) && map->if_id != info->if_id)
		return false;
	if ((map->match & RRI_MATCH_MARK) &&
	    (info->mark.v & map->mark_mask) != map->mark)
		return false;
	if ((map->match & RRI_MATCH_REMOTE) &&
	    !rri_prefix_contains(&map->remote, info->sel_family, &info->dst,
				 info->dst_len))
		return false;
	if ((map->match & RRI_MATCH_LOCAL) &&
	    !rri_prefix_contains(&map->local, info->sel_family, &info->src,
				 info->src_len))
		return false;
	return true;
}

/**
 * rri_map_find() - look a map up by name
 * @rn: the namespace's state, locked
 * @name: the map's name
 *
 * Return: the map, or NULL.
 */
struct rri_map *rri_map_find(struct rri_net *rn, const char *name)
{
	struct rri_map *map;

	lockdep_assert_held(&rn->lock);

	list_for_each_entry(map, &rn->maps, list)
		if (!strcmp(map->name, name))
			return map;
	return NULL;
}

/**
 * rri_map_alloc() - a map with the defaults of RRI_CMD_MAP_ADD
 *
 * Return: the map, with one reference, or NULL.
 */
struct rri_map *rri_map_alloc(void)
{
	struct rri_map *map;

	map = kmem_cache_zalloc(rri_map_cache, GFP_KERNEL_ACCOUNT);
	if (!map)
		return NULL;

	INIT_LIST_HEAD(&map->list);
	refcount_set(&map->refs, 1);
	map->mode = RRI_MODE_DYNAMIC;
	map->nexthop = RRI_NEXTHOP_PEER;
	map->proto = RRI_RTPROT;
	map->table = RT_TABLE_MAIN;
	return map;
}

/**
 * rri_map_set_conf() - give a map the settings of another
 * @map: the map, which keeps its place, references and counts
 * @conf: a map holding the settings
 *
 * The peer list is then shared: give @map a copy of its own
 * (rri_peers_dup()) before either map is put.
 */
void rri_map_set_conf(struct rri_map *map, const struct rri_map *conf)
{
	struct list_head list = map->list;
	refcount_t refs = map->refs;

	*map = *conf;
	map->list = list;
	map->refs = refs;
}

/**
 * rri_map_swap_conf() - exchange the settings of two maps
 * @a: a map, which keeps its place, references and counts
 * @b: another, which keeps its own
 */
void rri_map_swap_conf(struct rri_map *a, struct rri_map *b)
{
	swap(*a, *b);
	swap(a->list, b->list);
	swap(a->refs, b->refs);
}

/**
 * rri_map_put() - drop a reference; the last one frees the map
 * @map: the map, on no list once its last reference goes
 */
void rri_map_put(struct rri_map *map)
{
	if (refcount_dec_and_test(&map->refs)) {
		rri_peers_free(map->peers);
		kmem_cache_free(rri_map_cache, map);
	}
}

/**
 * rri_map_cache_init() - create the map cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init rri_map_cache_init(void)
{
	rri_map_cache = KMEM_CACHE(rri_map, SLAB_ACCOUNT);
	return rri_map_cache ? 0 : -ENOMEM;
}

/**
 * rri_map_cache_exit() - destroy the map cache
 */
void rri_map_cache_exit(void)
{
	kmem_cache_destroy(rri_map_cache);
}
