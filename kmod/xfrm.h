/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_XFRM_H
#define _RRI_XFRM_H

#include <linux/types.h>

struct net;
struct rri_net;
struct rri_policy_info;
struct rri_tunnel_key;

typedef void (*rri_policy_fn)(struct rri_net *rn,
			      const struct rri_policy_info *info, void *arg);

int rri_xfrm_policy_walk(struct rri_net *rn, rri_policy_fn fn, void *arg);

void rri_xfrm_init(void);
void rri_xfrm_exit(void);

#endif /* _RRI_XFRM_H */
