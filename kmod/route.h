/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_ROUTE_H
#define _RRI_ROUTE_H

#include <net/xfrm.h>
#include <uapi/linux/rri.h>

#include "htable.h"

struct rri_group;
struct rri_net;
struct rri_map;
struct rri_nhobj;
struct rri_policy_info;

/* A route's identity. Compared as bytes: zero it before filling it in. */
struct rri_route_key {
	xfrm_address_t dst;
	u32 table;
	u32 metric;
	u16 family;
	u8 len;
	u8 pad;
};

/**
 * struct rri_route - a route rri derived, installed or not
 * @node: in rri_net.routes while it is the route of its key
 * @key: family, table, prefix and metric
 * @since: when @state last changed (boot time, seconds)
 * @dirty_next: next on rri_net.dirty, while @dirty
 * @gw: next hop, if @has_gw
 * @peer: tunnel endpoint of the policy that justified the route first
 * @map: that policy's map (a reference), or NULL until the route is shaped
 * @nh: the nexthop object its next hop goes through (a reference), or NULL
 *	if the route carries its next hop itself
 * @nhid: the nexthop object the FIB's entry names (as added), or 0
 * @oif: output device, or 0
 * @tag: IPv4 realm, or 0
 * @refs: policies that justify the route
 * @peer_family: family of @peer
 * @state: enum rri_route_state
 * @announced: the state last announced on the event stream, 0 for none
 * @reason: enum rri_route_reason, why the route is unresolved
 * @proto: route protocol
 * @kind: enum rri_route_kind
 * @has_gw: the route goes via @gw
 * @installed: the FIB holds the route rri added
 * @unknown: a message for the route got no answer: whether the FIB holds
 *	it is asked by the next FIB check
 * @hashed: it is in rri_net.routes
 * @dirty: it is on rri_net.dirty: the FIB may need to follow a change
 * @seen: a FIB check found it
 * @restoring: the FIB lost it and rri adds it again
 */
struct rri_route {
	struct rri_hnode node;
	struct rri_route_key key;
	u32 since;
	struct rri_route *dirty_next;
	xfrm_address_t gw;
	xfrm_address_t peer;
	struct rri_map *map;
	struct rri_nhobj *nh;
	u32 nhid;
	int oif;
	u32 tag;
	u32 refs;
	u8 peer_family;
	u8 state;
	u8 announced;
	u8 reason;
	u8 proto;
	u16 kind:2,
	    has_gw:1,
	    installed:1,
	    unknown:1,
	    hashed:1,
	    dirty:1,
	    seen:1,
	    restoring:1;
};

struct rri_route *rri_route_get(struct rri_net *rn, struct rri_map *map,
				const struct rri_policy_info *info,
				enum rri_route_kind kind);
void rri_route_put(struct rri_net *rn, struct rri_route *route);
void rri_route_pass(struct rri_net *rn, struct rri_route *route,
		    struct rri_map *map);
void rri_route_flush(struct rri_net *rn);
void rri_route_answered(struct rri_net *rn, struct rri_route *route, bool del,
			int err);
void rri_route_unanswered(struct rri_net *rn, struct rri_route *route,
			  bool del);
struct rri_route *rri_route_lookup(struct rri_net *rn,
				   const struct rri_route_key *key);
struct rri_hnode *rri_route_resume(struct rri_net *rn,
				   const struct rri_route_key *key,
				   unsigned int *bucket);
void rri_route_check_start(struct rri_net *rn);
void rri_route_check_done(struct rri_net *rn);
void rri_route_remove_all(struct rri_net *rn);
time64_t rri_route_since(const struct rri_route *route);
time64_t rri_since(u32 boot);
bool rri_route_group_changed(struct rri_net *rn, const struct rri_group *group);
void rri_route_group_count(struct rri_net *rn);
void rri_route_map_regrouped(struct rri_net *rn, const struct rri_map *map);

void rri_route_net_init(struct rri_net *rn);
void rri_route_net_exit(struct rri_net *rn);
int rri_route_cache_init(void);
void rri_route_cache_exit(void);

#endif /* _RRI_ROUTE_H */
