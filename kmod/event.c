// SPDX-License-Identifier: GPL-2.0
/*
 * The event queue and the namespace's worker.
 *
 * The XFRM key-manager callbacks and the network notifiers run in atomic
 * context or under RTNL. They count what happened, record what the worker
 * needs (XFRM events) or set a flag (network changes), and queue the
 * namespace's worker, which applies everything in order, in process
 * context, under the namespace's mutex.
 *
 * The queue is bounded and costs nothing in a namespace without maps. An
 * event that repeats the last one queued is folded into it. When the queue
 * is full or an event cannot be allocated, the event is dropped and the
 * namespace is marked for a resync: the worker then discards what is
 * queued and derives everything anew from the kernel's state, so no event
 * is lost for good. The same resync repairs the model after any failed
 * allocation in the worker itself.
 *
 * A queued worker holds a reference to the namespace, so a namespace with
 * work pending cannot start to die; its exit only waits for a worker that
 * is still running.
 */

#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "event.h"
#include "group.h"
#include "map.h"
#include "peer.h"
#include "policy.h"
#include "replay.h"
#include "route.h"
#include "rtnl.h"

/* Events one namespace may have queued; past that it is resynced. */
static unsigned int max_events = 4096;

static int rri_max_events_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 1U << 20);
}

static const struct kernel_param_ops rri_max_events_ops = {
	.set = rri_max_events_set,
	.get = param_get_uint,
};

module_param_cb(max_events, &rri_max_events_ops, &max_events, 0644);
MODULE_PARM_DESC(max_events,
		 "XFRM events one namespace may have queued; past that it is resynced instead (1..1048576, default 4096)");
/* How long the worker waits after a network change: they come in bursts. */
#define RRI_FIB_DELAY		(HZ / 20)
/* How long it waits before trying again after memory ran out: doubling. */
#define RRI_RETRY_DELAY		HZ
#define RRI_RETRY_DELAY_MAX	(30 * HZ)

struct rri_event {
	struct list_head list;
	struct rri_event_data data;
};

static struct kmem_cache *rri_event_cache __read_mostly;

/* A burst: this many events applied by one run plus queued meanwhile. */
#define RRI_BURST_EVENTS	3

/*
 * Queue the worker with a reference to the namespace: after @delay, or
 * now (@delay 0) even if it waits on a timer. Each queued worker holds one
 * reference; a call that finds it queued drops its own.
 */
static void rri_net_schedule(struct rri_net *rn, unsigned long delay)
{
	/* A namespace being dismantled has nothing left to apply anything to. */
	if (!maybe_get_net(rn->net))
		return;
	if (queue_delayed_work(system_unbound_wq, &rn->work, delay))
		return;
	/*
	 * Queued already: for the next XFRM event of a burst, to run now,
	 * or for a takeover hold that ends before the tick the worker waits
	 * for; only a worker still waiting on a later timer has to be moved
	 * up. If it left the queue meanwhile, this queues it anew, with our
	 * reference.
	 */
	if (timer_pending(&rn->work.timer) &&
	    time_before(jiffies + delay, READ_ONCE(rn->work.timer.expires)) &&
	    !mod_delayed_work(system_unbound_wq, &rn->work, delay))
		return;
	put_net(rn->net);
}

/**
 * rri_net_kick() - owe a namespace some work and queue its worker
 * @rn: the namespace's state
 * @flag: RRI_NET_*
 * @delay: at the latest after how many jiffies, 0 for now
 *
 * Callable from any context.
 */
void rri_net_kick(struct rri_net *rn, int flag, unsigned long delay)
{
	set_bit(flag, &rn->flags);
	rri_net_schedule(rn, delay);
}

/**
 * rri_net_retry() - repair the model after a failed allocation
 * @rn: the namespace's state, locked
 *
 * The worker resyncs the namespace a second later, or twice as long
 * after the last retry while retries keep failing (memory stays short),
 * up to 30 s.
 */
void rri_net_retry(struct rri_net *rn)
{
	lockdep_assert_held(&rn->lock);

	if (!test_bit(RRI_NET_RESYNC, &rn->flags))
		WRITE_ONCE(rn->retry_delay,
			   clamp(rn->retry_delay * 2, RRI_RETRY_DELAY,
				 RRI_RETRY_DELAY_MAX));
	rri_net_kick(rn, RRI_NET_RESYNC, rn->retry_delay);
}

/**
 * rri_event_queue() - count an XFRM event and record it for the worker
 * @net: the namespace it happened in
 * @kind: what happened
 * @data: what the worker needs to apply it (copied)
 *
 * Called by XFRM's key-manager callbacks, in any context, under RCU.
 */
void rri_event_queue(struct net *net, enum rri_event_kind kind,
		     const struct rri_event_data *data)
{
	struct rri_net *rn = rri_net(net);
	unsigned long flags, delay = 0;
	bool queued = false, wake = false;
	struct rri_event *ev;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "XFRM event outside RCU");
	rri_net_count(rn, (enum rri_stat)kind);

	/* Without maps nothing is derived; a map's resync reads the state. */
	if (data->apply == RRI_APPLY_NONE || !READ_ONCE(rn->nmaps))
		return;
	/* A resync is owed: it reads everything anew, this change included. */
	if (test_bit(RRI_NET_RESYNC, &rn->flags))
		return;
	/*
	 * Dismantled: its exit has freed the queue or is about to. A
	 * namespace whose count reached zero waits for RCU readers before
	 * its exit runs (cleanup_net()), so one seen alive here stays so
	 * until this returns.
	 */
	if (!check_net(net))
		return;

	spin_lock_irqsave(&rn->event_lock, flags);
	ev = list_empty(&rn->events) ? NULL :
	     list_last_entry(&rn->events, struct rri_event, list);
	if (ev && !memcmp(&ev->data, data, sizeof(*data))) {
		/* The same change again: one look at the kernel answers both. */
		queued = true;
	} else if (rn->nevents < READ_ONCE(max_events)) {
		ev = kmem_cache_alloc(rri_event_cache, GFP_ATOMIC | __GFP_NOWARN);
		if (ev) {
			ev->data = *data;
			list_add_tail(&ev->list, &rn->events);
			rn->nevents++;
			queued = true;
		} else {
			/* Memory is short: resync no sooner than the worker would. */
			delay = READ_ONCE(rn->retry_delay) ?: RRI_RETRY_DELAY;
		}
	}
	/*
	 * A worker queued to run now takes the events under this lock after
	 * it left the queue (the workqueue clears its pending bit first):
	 * during a burst most events find it so and need not touch it. In
	 * a burst the worker runs on its own, every tick (rri_net_work()).
	 */
	if (queued && !rn->burst)
		wake = !delayed_work_pending(&rn->work) ||
		       timer_pending(&rn->work.timer);
	spin_unlock_irqrestore(&rn->event_lock, flags);

	if (wake) {
		rri_net_schedule(rn, 0);
	} else if (!queued) {
		/* A full queue: the worker is behind, a resync catches up. */
		rri_net_count(rn, RRI_STAT_EVENTS_DROPPED);
		rri_net_kick(rn, RRI_NET_RESYNC, delay);
	}
}

static void rri_event_apply(struct rri_net *rn, const struct rri_event_data *data)
{
	switch (data->apply) {
	case RRI_APPLY_TUNNEL:
		rri_sa_changed(rn, &data->sa);
		rri_peer_sa_event(rn, &data->sa);
		rri_replay_sa(rn, &data->sa);
		rri_policy_tunnel_changed(rn, &data->sa.tunnel);
		break;
	case RRI_APPLY_SA_FLUSH:
		rri_sa_index_rebuild(rn);
		rri_policy_reevaluate_all(rn);
		break;
	case RRI_APPLY_POLICY:
		rri_policy_changed(rn, &data->policy);
		break;
	case RRI_APPLY_POLICY_FLUSH:
		rri_policy_remove_all(rn);
		break;
	case RRI_APPLY_ACQUIRE:
		rri_peer_attempt(rn, &data->larval);
		break;
	case RRI_APPLY_LARVAL:
		rri_peer_larval_expired(rn, &data->larval);
		break;
	}
}

static unsigned int rri_event_splice(struct rri_net *rn, struct list_head *to)
{
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&rn->event_lock, flags);
	list_splice_init(&rn->events, to);
	n = rn->nevents;
	rn->nevents = 0;
	spin_unlock_irqrestore(&rn->event_lock, flags);
	return n;
}

static void rri_event_free(struct list_head *events)
{
	struct rri_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, events, list)
		kmem_cache_free(rri_event_cache, ev);
}

/*
 * Do what the namespace is owed: resync, events, network changes.
 * Return: how many events were taken from the queue.
 */
static unsigned int rri_net_run(struct rri_net *rn, struct list_head *batch)
{
	bool resync, check, groups, idle;
	struct rri_event *ev;
	unsigned int n;

	lockdep_assert_held(&rn->lock);

	/* Flags before events: what is queued after them is applied after. */
	resync = test_and_clear_bit(RRI_NET_RESYNC, &rn->flags);
	check = test_and_clear_bit(RRI_NET_FIB_CHECK, &rn->flags);
	groups = test_and_clear_bit(RRI_NET_GROUPS, &rn->flags);
	idle = test_and_clear_bit(RRI_NET_IDLE, &rn->flags);
	n = rri_event_splice(rn, batch);

	/* Roles first: routes derived below are held back or not by them. */
	if (groups)
		rri_group_check(rn);
	if (!rn->nmaps) {
		/* Removals of the last map's routes that got no answer. */
		if ((resync || check) && rri_rtnl_check(rn))
			rri_net_kick(rn, RRI_NET_FIB_CHECK, RRI_FIB_DELAY);
		rri_route_flush(rn);
		return n;
	}

	/* Routes the FIB lost, or the kernel never answered for, first. */
	if ((resync || check) && rri_rtnl_check(rn))
		rri_net_kick(rn, RRI_NET_FIB_CHECK, RRI_FIB_DELAY);

	if (resync) {
		rri_net_count(rn, RRI_STAT_RESYNC);
		if (rri_sa_index_rebuild(rn) || rri_policy_resync(rn, NULL))
			rri_net_retry(rn);
		else
			rri_replay_all(rn);	/* SAs whose events were lost */
		if (!test_bit(RRI_NET_RESYNC, &rn->flags))
			WRITE_ONCE(rn->retry_delay, 0);	/* it all worked */
	} else {
		list_for_each_entry(ev, batch, list) {
			rri_event_apply(rn, &ev->data);
			cond_resched();
		}
		/* Paths to peers and devices may have changed. */
		if (check)
			rri_policy_rederive(rn, NULL);
	}
	if (idle)
		rri_peer_idle(rn);
	rri_route_flush(rn);
	return n;
}

static void rri_net_work(struct work_struct *work)
{
	struct rri_net *rn = container_of(to_delayed_work(work), struct rri_net,
					  work);
	unsigned int n, pending;
	unsigned long flags;
	bool burst;
	LIST_HEAD(batch);

	mutex_lock(&rn->lock);
	n = rri_net_run(rn, &batch);
	mutex_unlock(&rn->lock);
	rri_event_free(&batch);

	/*
	 * A burst (an IKE daemon starting, a rekey wave, a batch): events
	 * keep coming while the worker applies them. They gather for a tick
	 * then, instead of each waking the worker on another CPU, the cost
	 * that dominates what rri adds to every XFRM event in a burst. A
	 * lone event, as most are, is still applied at once. A resync owed
	 * keeps its own delay.
	 */
	spin_lock_irqsave(&rn->event_lock, flags);
	pending = rn->nevents;
	burst = n + pending >= RRI_BURST_EVENTS &&
		!test_bit(RRI_NET_RESYNC, &rn->flags);
	rn->burst = burst;
	spin_unlock_irqrestore(&rn->event_lock, flags);
	/*
	 * Events queued during a burst woke nobody: the next tick takes
	 * them, or, the burst over, a run now. queue_delayed_work() (in
	 * rri_net_schedule()) rather than mod_delayed_work(): its answer
	 * stays true to whether the worker was queued while a cancel runs.
	 */
	if (burst || pending)
		rri_net_schedule(rn, burst ? 1 : 0);

	/*
	 * The queued worker's reference. Dropping it may start the
	 * namespace's teardown, whose exit waits for this function to return.
	 */
	put_net(rn->net);
}

/**
 * rri_net_fib_changed() - the network of a namespace changed
 * @rn: the namespace's state
 *
 * Routes may have left the FIB, paths to peers or devices may have
 * changed: the worker checks a moment later. Callable from any context.
 */
void rri_net_fib_changed(struct rri_net *rn)
{
	if (READ_ONCE(rn->nmaps))
		rri_net_kick(rn, RRI_NET_FIB_CHECK, RRI_FIB_DELAY);
}

/**
 * rri_event_net_init() - set up a namespace's queue and worker
 * @rn: the namespace's state
 */
void rri_event_net_init(struct rri_net *rn)
{
	spin_lock_init(&rn->event_lock);
	INIT_LIST_HEAD(&rn->events);
	INIT_DELAYED_WORK(&rn->work, rri_net_work);
}

/**
 * rri_event_net_exit() - stop a namespace's worker and free its queue
 * @rn: the namespace's state; nothing but the worker itself may queue
 *	events or kick it anymore
 */
void rri_event_net_exit(struct rri_net *rn)
{
	LIST_HEAD(pending);

	/*
	 * Cancelled while queued: drop the reference the queued worker held.
	 * A running worker that queues itself again (a burst) finds the
	 * queue refusing while the cancel runs and drops its own.
	 */
	if (cancel_delayed_work_sync(&rn->work))
		put_net(rn->net);
	rri_event_splice(rn, &pending);
	rri_event_free(&pending);
}

/**
 * rri_event_cache_init() - create the event cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init rri_event_cache_init(void)
{
	rri_event_cache = KMEM_CACHE(rri_event, SLAB_ACCOUNT);
	return rri_event_cache ? 0 : -ENOMEM;
}

/**
 * rri_event_cache_exit() - destroy the event cache
 */
void rri_event_cache_exit(void)
{
	kmem_cache_destroy(rri_event_cache);
}
