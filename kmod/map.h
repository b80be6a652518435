/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_MAP_H
#define _RRI_MAP_H

#include <linux/list.h>
#include <linux/refcount.h>
#include <net/xfrm.h>
#include <uapi/linux/rri.h>

struct rri_group;
struct rri_net;
struct rri_peers;
struct rri_policy_info;

/* An address or prefix; family 0 means "not set". */
struct rri_prefix {
	xfrm_address_t addr;
	u16 family;
	u8 len;
};

/* Which match keys a map has. */
enum {
	RRI_MATCH_FAMILY = BIT(0),
	RRI_MATCH_REQID = BIT(1),
	RRI_MATCH_IF_ID = BIT(2),
	RRI_MATCH_MARK = BIT(3),
	RRI_MATCH_REMOTE = BIT(4),
	RRI_MATCH_LOCAL = BIT(5),
};

/**
 * struct rri_map - which policies to turn into routes, and how
 * @list: in rri_net.maps, in the order maps were added (the first owns)
 * @name: unique in the namespace
 * @match: RRI_MATCH_* keys that are set; the fields below them
 * @mode: enum rri_map_mode
 * @nexthop: enum rri_nexthop
 * @gateway: RRI_NEXTHOP_GATEWAY's address
 * @oif: device of RRI_NEXTHOP_DEV or RRI_NEXTHOP_GATEWAY, or 0
 * @table: routing table of the routes (from @vrf if that is set)
 * @vrf: ifindex of the VRF device whose table is used, or 0
 * @group: the HA group whose role decides whether the routes are in the
 *	FIB, or NULL; a group is not deleted while a map on the list uses it
 * @peers: the preferred-peer list (peer.c), owned by this struct, or NULL
 * @idle_time: seconds after which an idle tunnel's SAs are deleted, or 0
 * @idle_default: and the default peer becomes current then
 * @npolicies: policies the map owns } counted when the map is shown
 * @nroutes: routes installed for it  }
 * @nshadowed: policies it selects that an earlier map owns }
 */
struct rri_map {
	struct list_head list;
	refcount_t refs;
	char name[RRI_MAP_NAME_MAX];

	u32 match;
	u16 family;
	u32 reqid;
	u32 if_id;
	u32 mark;
	u32 mark_mask;
	struct rri_prefix remote;
	struct rri_prefix local;

	u8 mode;
	u8 nexthop;
	u8 proto;
	bool remote_peer;
	struct rri_prefix gateway;
	int oif;
	u32 table;
	int vrf;
	u32 metric;
	u32 tag;
	struct rri_group *group;
	struct rri_peers *peers;
	u32 idle_time;
	bool idle_default;

	u32 npolicies;
	u32 nroutes;
	u32 nshadowed;
};

bool rri_prefix_contains(const struct rri_prefix *outer, u16 family,
			 const xfrm_address_t *addr, u8 len);
bool rri_map_selects(const struct rri_map *map,
		     const struct rri_policy_info *info);
struct rri_map *rri_map_find(struct rri_net *rn, const char *name);
struct rri_map *rri_map_alloc(void);
void rri_map_set_conf(struct rri_map *map, const struct rri_map *conf);
void rri_map_swap_conf(struct rri_map *a, struct rri_map *b);
void rri_map_put(struct rri_map *map);

static inline void rri_map_get(struct rri_map *map)
{
	refcount_inc(&map->refs);
}

int rri_map_cache_init(void);
void rri_map_cache_exit(void);

#endif /* _RRI_MAP_H */
