/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_PERNET_H
#define _RRI_PERNET_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "htable.h"
#include "policy.h"

/*
 * Per-namespace counters. The order is the order of RRI_A_STATS_SA_ADD and
 * the attributes after it in the uapi header: the netlink code maps index i
 * to attribute RRI_A_STATS_SA_ADD + i.
 */
enum rri_stat {
	RRI_STAT_SA_ADD,
	RRI_STAT_SA_UPDATE,
	RRI_STAT_SA_DELETE,
	RRI_STAT_SA_EXPIRE,
	RRI_STAT_SA_FLUSH,
	RRI_STAT_POLICY_ADD,
	RRI_STAT_POLICY_UPDATE,
	RRI_STAT_POLICY_DELETE,
	RRI_STAT_POLICY_EXPIRE,
	RRI_STAT_POLICY_FLUSH,
	RRI_STAT_ACQUIRE,
	RRI_STAT_EVENTS_DROPPED,
	RRI_STAT_ROUTE_ADD,
	RRI_STAT_ROUTE_DEL,
	RRI_STAT_ROUTE_CONFLICT,
	RRI_STAT_ROUTE_UNRESOLVED,
	RRI_STAT_ROUTE_ERROR,

	RRI_STAT_NUM,
};

/* The XFRM events a namespace's worker applies, in the order they happened. */
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
	RRI_APPLY_TUNNEL,	/* an SA of data.tunnel changed */
	RRI_APPLY_SA_FLUSH,
	RRI_APPLY_POLICY_UPSERT,
	RRI_APPLY_POLICY_REMOVE,	/* data.policy.index is gone */
	RRI_APPLY_POLICY_FLUSH,
};

/* What the XFRM hook copied for the worker. */
struct rri_event_data {
	enum rri_apply apply;
	union {
		struct rri_tunnel_key tunnel;
		struct rri_policy_info policy;
	};
};

struct rri_event {
	struct list_head list;
	enum rri_event_kind kind;
	struct rri_event_data data;
};

/**
 * struct rri_net - rri state of one network namespace
 * @net: the namespace this state belongs to
 * @lock: serialises the worker and configuration requests; protects
 *	everything below but @event_lock, @events and @stats
 * @event_lock: protects @events; taken in atomic context by the XFRM hook
 * @events: events recorded by the XFRM hook, oldest first; each holds a
 *	reference to @net
 * @work: applies @events in order
 * @maps: struct rri_map, in the order they were added
 * @policies: struct rri_policy by index
 * @tunnels: struct rri_policy by hash of their tunnel's endpoints
 * @routes: struct rri_route by key
 * @dirty: routes whose FIB state may need to change, oldest first
 * @dirty_tail: where the next dirty route is linked in
 * @sock: rtnetlink socket the routes are programmed through, once needed
 * @gen: generation of the current policy resync
 * @stats: counters, see enum rri_stat
 */
struct rri_net {
	struct net *net;
	struct mutex lock;		/* see above */
	spinlock_t event_lock;		/* protects events */
	struct list_head events;
	struct work_struct work;

	struct list_head maps;
	struct rri_htable policies;
	struct rri_htable tunnels;
	struct rri_htable routes;
	struct rri_route *dirty;
	struct rri_route **dirty_tail;
	struct socket *sock;
	u8 gen;

	atomic64_t stats[RRI_STAT_NUM];
};

extern unsigned int rri_net_id;

static inline struct rri_net *rri_net(const struct net *net)
{
	return net_generic(net, rri_net_id);
}

void rri_net_queue_event(struct net *net, enum rri_event_kind kind,
			 const struct rri_event_data *data);
int rri_net_resync(struct rri_net *rn);
void rri_net_stats_reset(struct rri_net *rn);

int rri_pernet_init(void);
void rri_pernet_exit(void);

#endif /* _RRI_PERNET_H */
