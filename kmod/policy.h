/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_POLICY_H
#define _RRI_POLICY_H

#include <net/xfrm.h>

#include "htable.h"

struct rri_net;
struct rri_map;
struct rri_route;

/*
 * The tunnel a policy's outermost tunnel-mode template describes, or an SA
 * of it: endpoints and reqid. Keys are hashed and compared as bytes: always
 * zero a key before filling it in.
 */
struct rri_tunnel_key {
	xfrm_address_t saddr;
	xfrm_address_t daddr;
	u32 reqid;
	u16 family;
	u16 pad;
};

/*
 * Fill @key with the endpoints @saddr -> @daddr of @family and @reqid: only
 * the bytes of the address the family has, zero in the rest.
 */
static inline void rri_tunnel_key_set(struct rri_tunnel_key *key,
				      const xfrm_address_t *saddr,
				      const xfrm_address_t *daddr,
				      u16 family, u32 reqid)
{
	memset(key, 0, sizeof(*key));
	key->family = family;
	key->reqid = reqid;
	if (family == AF_INET) {
		key->saddr.a4 = saddr->a4;
		key->daddr.a4 = daddr->a4;
	} else {
		memcpy(key->saddr.a6, saddr->a6, sizeof(key->saddr.a6));
		memcpy(key->daddr.a6, daddr->a6, sizeof(key->daddr.a6));
	}
}

/* What XFRM finds a policy by (xfrm_policy_byid()). */
struct rri_policy_ref {
	struct xfrm_mark mark;
	u32 index;
	u32 if_id;
};

/**
 * struct rri_policy_info - what rri needs of an XFRM policy
 * @tunnel: the outermost tunnel-mode template's endpoints and reqid
 * @dst: the selector's destination: the remote proxy
 * @src: the selector's source
 * @mark: the policy's mark
 * @index: the policy's index
 * @if_id: the policy's if_id
 * @sel_family: the selector's family
 * @dst_len: prefix length of @dst
 * @src_len: prefix length of @src
 * @proto: the tunnel template's IPsec protocol
 *
 * Filled in from a policy in atomic context (the XFRM hook, a policy walk)
 * and used later by the namespace's worker.
 */
struct rri_policy_info {
	struct rri_tunnel_key tunnel;
	xfrm_address_t dst;
	xfrm_address_t src;
	struct xfrm_mark mark;
	u32 index;
	u32 if_id;
	u16 sel_family;
	u8 dst_len;
	u8 src_len;
	u8 proto;
};

/**
 * struct rri_policy - an outbound tunnel policy a map owns
 * @by_index: in rri_net.policies
 * @by_tunnel: in rri_net.tunnels, to find the policies an SA may satisfy
 * @map: the map that owns the policy
 * @route: the route to the remote proxy the policy justifies, or NULL
 * @peer_route: the remote-peer host route it justifies, or NULL
 * @mark: the policy's mark, which XFRM looks it up by with @index
 * @index: the policy's index
 * @if_id: the policy's if_id, also part of the lookup
 * @tunnel_hash: hash of its tunnel key in rri_net.tunnels
 * @gen: resync generation in which the policy was last seen
 * @any: its template accepts an SA of any reqid (sa.c keeps an index)
 *
 * No copy of the policy itself: rri asks XFRM for it by index whenever it
 * needs its selector or template (see rri_policy_fetch()), which keeps the
 * record small and the answer current.
 */
struct rri_policy {
	struct rri_hnode by_index;
	struct rri_hnode by_tunnel;
	struct rri_map *map;
	struct rri_route *route;
	struct rri_route *peer_route;
	struct xfrm_mark mark;
	u32 index;
	u32 if_id;
	u32 tunnel_hash;
	u16 gen;
	u8 any;
};

bool rri_policy_info_fill(struct rri_policy_info *info,
			  const struct xfrm_policy *xp, int dir);
bool rri_policy_info_larval(struct rri_policy_info *info, const struct xfrm_state *x);
void rri_policy_ref_fill(struct rri_policy_ref *ref,
			 const struct xfrm_policy *xp);
void rri_policy_changed(struct rri_net *rn, const struct rri_policy_ref *ref);
void rri_policy_tunnel_changed(struct rri_net *rn,
			       const struct rri_tunnel_key *key);
struct rri_map *rri_policy_tunnel_map(struct rri_net *rn,
				      const struct rri_tunnel_key *key,
				      bool (*want)(const struct rri_map *map));
void rri_policy_reevaluate_all(struct rri_net *rn);
void rri_policy_remove_all(struct rri_net *rn);
int rri_policy_resync(struct rri_net *rn, struct rri_map *map);
void rri_policy_rederive(struct rri_net *rn, const struct rri_map *map);
void rri_policy_map_gone(struct rri_net *rn, struct rri_map *map);

void rri_policy_net_init(struct rri_net *rn);
void rri_policy_net_exit(struct rri_net *rn);
int rri_policy_cache_init(void);
void rri_policy_cache_exit(void);

#endif /* _RRI_POLICY_H */
