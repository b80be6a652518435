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

struct rri_event {
	struct list_head list;
	enum rri_event_kind kind;
};

/**
 * struct rri_net - rri state of one network namespace
 * @net: the namespace this state belongs to
 * @lock: serialises the worker and configuration requests
 * @event_lock: protects @events; taken in atomic context by the XFRM hook
 * @events: events recorded by the XFRM hook, oldest first; each holds a
 *	reference to @net
 * @work: applies @events in order
 * @stats: counters, see enum rri_stat
 */
struct rri_net {
	struct net *net;
	struct mutex lock;		/* worker vs. configuration */
	spinlock_t event_lock;		/* protects events */
	struct list_head events;
	struct work_struct work;
	atomic64_t stats[RRI_STAT_NUM];
};

extern unsigned int rri_net_id;

static inline struct rri_net *rri_net(const struct net *net)
{
	return net_generic(net, rri_net_id);
}

void rri_net_queue_event(struct net *net, enum rri_event_kind kind);
void rri_net_stats_reset(struct rri_net *rn);

int rri_pernet_init(void);
void rri_pernet_exit(void);

#endif /* _RRI_PERNET_H */
