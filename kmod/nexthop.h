/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_NEXTHOP_H
#define _RRI_NEXTHOP_H

#include <net/xfrm.h>

#include "htable.h"
#include "rtnl.h"

struct rri_net;

/* A next hop's identity. Compared as bytes: zero it before filling it in. */
struct rri_nhobj_key {
	xfrm_address_t gw;
	int oif;
	u16 family;
	u8 has_gw;
	u8 pad;
};

/**
 * struct rri_nhobj - a kernel nexthop object that rri's routes share
 * @node: in rri_net.nexthops, by @key, until it is freed
 * @id_node: in rri_net.nexthop_ids, by @id
 * @key: family, gateway and device
 * @dirty_next: next on rri_net.nh_dirty, while @dirty
 * @id: its nexthop id, chosen by rri
 * @refs: routes that go, or would go, through it
 * @proto: the protocol it is added with: that of the route that made it
 * @installed: the kernel holds it as rri added it
 * @unknown: a message for it got no answer: the next FIB check finds out
 * @failed: the kernel refused it: routes are added without it until the
 *	next FIB check
 * @wrong: a FIB check found its id with another next hop, and rri's routes
 *	naming it: rri puts its own back (NLM_F_REPLACE)
 * @dirty: it is on rri_net.nh_dirty: to be added, replaced or removed
 * @seen: the FIB check under way found it
 * @mismatch: the FIB check under way found its id with another next hop
 * @named: the FIB check under way found a route of rri's naming it
 */
struct rri_nhobj {
	struct rri_hnode node;
	struct rri_hnode id_node;
	struct rri_nhobj_key key;
	struct rri_nhobj *dirty_next;
	u32 id;
	u32 refs;
	u8 proto;
	u8 installed:1,
	   unknown:1,
	   failed:1,
	   wrong:1,
	   dirty:1,
	   seen:1,
	   mismatch:1,
	   named:1;
};

struct rri_nhobj *rri_nexthop_get(struct rri_net *rn,
				  const struct rri_nhobj_key *key, u8 proto);
void rri_nexthop_put(struct rri_net *rn, struct rri_nhobj *nh);
void rri_nexthop_need(struct rri_net *rn, struct rri_nhobj *nh);
u32 rri_nexthop_id(const struct rri_nhobj *nh);
void rri_nexthop_flush(struct rri_net *rn, struct rri_rtnl_batch *b,
		       bool sending);
void rri_nexthop_answered(struct rri_net *rn, struct rri_nhobj *nh,
			  enum rri_rtnl_op op, int err);
void rri_nexthop_unanswered(struct rri_net *rn, struct rri_nhobj *nh,
			    enum rri_rtnl_op op);
void rri_nexthop_check_start(struct rri_net *rn);
void rri_nexthop_check_one(struct rri_net *rn, u32 id,
			   const struct rri_nhobj_key *key);
void rri_nexthop_check_done(struct rri_net *rn);
void rri_nexthop_remove_all(struct rri_net *rn);

void rri_nexthop_net_init(struct rri_net *rn);
void rri_nexthop_net_exit(struct rri_net *rn);
int rri_nexthop_cache_init(void);
void rri_nexthop_cache_exit(void);

#endif /* _RRI_NEXTHOP_H */
