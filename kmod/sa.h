/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_SA_H
#define _RRI_SA_H

#include <net/xfrm.h>

#include "policy.h"

struct rri_net;

/* An SA, as XFRM finds it (xfrm_state_lookup()), and its tunnel. */
struct rri_sa_ref {
	struct rri_tunnel_key tunnel;
	__be32 spi;
	u32 mark;
	u8 proto;
	u8 added;	/* XFRM_MSG_NEWSA: a new SA, not a change of one */
	u8 pad[2];
};

bool rri_sa_tunnel_has_sa(struct rri_net *rn, const struct rri_tunnel_key *key,
			  u8 proto, u32 mark, u32 if_id);
void rri_sa_changed(struct rri_net *rn, const struct rri_sa_ref *ref);
void rri_sa_index_get(struct rri_net *rn);
void rri_sa_index_put(struct rri_net *rn);
int rri_sa_index_rebuild(struct rri_net *rn);

void rri_sa_net_init(struct rri_net *rn);
void rri_sa_net_exit(struct rri_net *rn);
int rri_sa_cache_init(void);
void rri_sa_cache_exit(void);

#endif /* _RRI_SA_H */
