/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_EVENT_H
#define _RRI_EVENT_H

#include <linux/types.h>

#include "pernet.h"
#include "policy.h"
#include "sa.h"

struct net;

/* The XFRM events the hook records; values are their counters. */
enum rri_event_kind {
	RRI_EV_SA_ADD = RRI_STAT_SA_ADD,
	RRI_EV_SA_UPDATE = RRI_STAT_SA_UPDATE,
	RRI_EV_SA_DELETE = RRI_STAT_SA_DELETE,
	RRI_EV_SA_EXPIRE = RRI_STAT_SA_EXPIRE,
	RRI_EV_SA_FLUSH = RRI_STAT_SA_FLUSH,
	RRI_EV_POLICY_ADD = RRI_STAT_POLICY_ADD,
	RRI_EV_POLICY_UPDATE = RRI_STAT_POLICY_UPDATE,
	RRI_EV_POLICY_DELETE = RRI_STAT_POLICY_DELETE,
	RRI_EV_POLICY_EXPIRE = RRI_STAT_POLICY_EXPIRE,
	RRI_EV_POLICY_FLUSH = RRI_STAT_POLICY_FLUSH,
	RRI_EV_ACQUIRE = RRI_STAT_ACQUIRE,
};

/* What applying an event does to the namespace's model. */
enum rri_apply {
	RRI_APPLY_NONE,		/* only counted */
	RRI_APPLY_TUNNEL,	/* data.sa came, changed or went */
	RRI_APPLY_SA_FLUSH,
	RRI_APPLY_POLICY,	/* data.policy came, changed or went */
	RRI_APPLY_POLICY_FLUSH,
	RRI_APPLY_ACQUIRE,	/* data.larval: a connection attempt began */
	RRI_APPLY_LARVAL,	/* data.larval: it expired without an SA */
};

/* What the XFRM hook copied for the worker. Compared as bytes: zero it. */
struct rri_event_data {
	u32 apply;
	union {
		struct rri_sa_ref sa;
		struct rri_policy_ref policy;
		struct rri_policy_info larval;
	};
};

void rri_event_queue(struct net *net, enum rri_event_kind kind,
		     const struct rri_event_data *data);
void rri_net_kick(struct rri_net *rn, int flag, unsigned long delay);
void rri_net_retry(struct rri_net *rn);
void rri_net_fib_changed(struct rri_net *rn);

void rri_event_net_init(struct rri_net *rn);
void rri_event_net_exit(struct rri_net *rn);
int rri_event_cache_init(void);
void rri_event_cache_exit(void);

#endif /* _RRI_EVENT_H */
