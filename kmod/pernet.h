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

struct rri_nhobj;
struct rri_route;
struct socket;

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
	RRI_STAT_ROUTE_RESTORED,
	RRI_STAT_RESYNC,

	RRI_STAT_NUM,
};

/* Bits of rri_net.flags: work the worker owes the namespace. */
enum {
	RRI_NET_RESYNC,		/* derive everything anew from XFRM */
	RRI_NET_FIB_CHECK,	/* the network changed: check the FIB, re-resolve */
	RRI_NET_GROUPS,		/* an address changed: VIP groups take their role */
	RRI_NET_IDLE,		/* maps with idle-time: look for idle tunnels */
};

/**
 * struct rri_net - rri state of one network namespace
 * @net: the namespace this state belongs to
 * @lock: serialises the worker and configuration requests; protects
 *	everything below but the event queue, @flags, @nmaps' lockless
 *	readers and @stats
 * @event_lock: protects @events, @nevents and @burst; taken in atomic context
 * @events: struct rri_event recorded by the XFRM hook, oldest first
 * @nevents: how many, at most RRI_EVENTS_MAX
 * @burst: events keep arriving while the worker applies them; they gather
 *	until its next tick instead of each waking it
 * @flags: RRI_NET_* work owed, set from any context
 * @work: the namespace's worker (event.c); while queued it holds a
 *	reference to @net
 * @nmaps: entries of @maps; read without @lock by the hooks, which do
 *	nothing for a namespace without maps
 * @maps: struct rri_map, in the order they were added
 * @groups: struct rri_group (group.c), in the order they were added
 * @ngroups: entries of @groups
 * @nvips: groups of kind RRI_GROUP_VIP; read without @lock by the address
 *	notifiers, which do nothing for a namespace without one
 * @nreplay: groups with a replay-interval
 * @policies: struct rri_policy by index
 * @tunnels: struct rri_policy by tunnel and reqid
 * @routes: struct rri_route by key
 * @nexthops: struct rri_nhobj (nexthop.c) by next hop
 * @nexthop_ids: the same by id
 * @sas_by_id: struct rri_sa (sa.c) by SPI, destination and protocol
 * @sas_by_tunnel: the same by tunnel endpoints
 * @nany: policies whose template accepts an SA of any reqid
 * @sa_index_ok: the SA index is complete (only kept while @nany)
 * @dirty: routes whose FIB state may need to change, oldest first
 * @dirty_tail: where the next dirty route is linked in
 * @nh_dirty: nexthop objects to add, replace or remove, oldest first
 * @nh_dirty_tail: where the next one is linked in
 * @nh_next_id: the id given to a nexthop object last
 * @sock: rtnetlink socket the routes are programmed through, once needed
 * @sender: the task programming routes right now, whose own FIB changes
 *	are no news to the namespace
 * @portid: @sock's netlink port
 * @seq: sequence number of the last message sent on @sock
 * @retry_delay: how long the worker waited before its last resync after
 *	a failed allocation, 0 once a resync succeeded; read by the hooks
 * @gen: generation of the current policy resync
 * @stats: counters, see enum rri_stat
 */
struct rri_net {
	struct net *net;
	struct mutex lock;		/* see above */
	spinlock_t event_lock;		/* protects events, nevents, burst */
	struct list_head events;
	unsigned int nevents;
	bool burst;
	unsigned long flags;
	struct delayed_work work;

	unsigned int nmaps;
	struct list_head maps;
	struct list_head groups;
	unsigned int ngroups;
	unsigned int nvips;
	unsigned int nreplay;
	struct rri_htable policies;
	struct rri_htable tunnels;
	struct rri_htable routes;
	struct rri_htable nexthops;
	struct rri_htable nexthop_ids;
	struct rri_htable sas_by_id;
	struct rri_htable sas_by_tunnel;
	unsigned int nany;
	bool sa_index_ok;
	struct rri_route *dirty;
	struct rri_route **dirty_tail;
	struct rri_nhobj *nh_dirty;
	struct rri_nhobj **nh_dirty_tail;
	u32 nh_next_id;
	struct socket *sock;
	struct task_struct *sender;
	u32 portid;
	u32 seq;
	unsigned long retry_delay;
	u16 gen;

	atomic64_t stats[RRI_STAT_NUM];
};

extern unsigned int rri_net_id;

static inline struct rri_net *rri_net(const struct net *net)
{
	return net_generic(net, rri_net_id);
}

static inline void rri_net_count(struct rri_net *rn, enum rri_stat stat)
{
	atomic64_inc(&rn->stats[stat]);
}

void rri_net_stats_reset(struct rri_net *rn);

int rri_pernet_init(void);
void rri_pernet_exit(void);

#endif /* _RRI_PERNET_H */
