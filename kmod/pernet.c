// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace state and the ordered event worker.
 *
 * The XFRM key-manager callbacks run in atomic context, sometimes from
 * timers, with RCU held. They only record what happened and queue it here;
 * the namespace's worker applies the events in order, in process context,
 * under the namespace's mutex. Every queued event pins the namespace, so a
 * namespace with pending events cannot start to die; exit only has to wait
 * for a worker that is still running.
 */

#include <linux/slab.h>

#include "pernet.h"

unsigned int rri_net_id __read_mostly;
static struct kmem_cache *rri_event_cache __read_mostly;

/**
 * rri_net_queue_event() - record an XFRM event for @net's worker
 * @net: namespace the event happened in
 * @kind: what happened
 *
 * Callable from any context. A namespace that is already being dismantled
 * gets no events: its state is about to go and nothing would apply them.
 */
void rri_net_queue_event(struct net *net, enum rri_event_kind kind)
{
	struct rri_net *rn;
	struct rri_event *ev;
	unsigned long flags;

	if (!maybe_get_net(net))
		return;

	rn = rri_net(net);
	ev = kmem_cache_alloc(rri_event_cache, GFP_ATOMIC);
	if (!ev) {
		atomic64_inc(&rn->stats[RRI_STAT_EVENTS_DROPPED]);
		put_net(net);
		return;
	}
	ev->kind = kind;

	spin_lock_irqsave(&rn->event_lock, flags);
	list_add_tail(&ev->list, &rn->events);
	spin_unlock_irqrestore(&rn->event_lock, flags);

	queue_work(system_wq, &rn->work);
}

static void rri_net_apply(struct rri_net *rn, const struct rri_event *ev)
{
	lockdep_assert_held(&rn->lock);

	atomic64_inc(&rn->stats[ev->kind]);
}

/* Free events and drop the namespace references they hold. */
static void rri_net_free_events(struct rri_net *rn, struct list_head *events)
{
	struct rri_event *ev, *tmp;

	list_for_each_entry_safe(ev, tmp, events, list) {
		list_del(&ev->list);
		kmem_cache_free(rri_event_cache, ev);
		put_net(rn->net);
	}
}

static void rri_net_splice_events(struct rri_net *rn, struct list_head *to)
{
	unsigned long flags;

	spin_lock_irqsave(&rn->event_lock, flags);
	list_splice_init(&rn->events, to);
	spin_unlock_irqrestore(&rn->event_lock, flags);
}

static void rri_net_work(struct work_struct *work)
{
	struct rri_net *rn = container_of(work, struct rri_net, work);
	struct rri_event *ev;
	LIST_HEAD(batch);

	rri_net_splice_events(rn, &batch);

	mutex_lock(&rn->lock);
	list_for_each_entry(ev, &batch, list)
		rri_net_apply(rn, ev);
	mutex_unlock(&rn->lock);

	/*
	 * Dropping the references may start the namespace's teardown; its
	 * exit method waits for this work to return before freeing @rn.
	 */
	rri_net_free_events(rn, &batch);
}

/**
 * rri_net_stats_reset() - zero every counter of a namespace
 * @rn: the namespace's state
 */
void rri_net_stats_reset(struct rri_net *rn)
{
	int i;

	for (i = 0; i < RRI_STAT_NUM; i++)
		atomic64_set(&rn->stats[i], 0);
}

static int __net_init rri_net_init(struct net *net)
{
	struct rri_net *rn = rri_net(net);

	rn->net = net;
	mutex_init(&rn->lock);
	spin_lock_init(&rn->event_lock);
	INIT_LIST_HEAD(&rn->events);
	INIT_WORK(&rn->work, rri_net_work);
	rri_net_stats_reset(rn);
	return 0;
}

static void __net_exit rri_net_exit(struct net *net)
{
	struct rri_net *rn = rri_net(net);
	LIST_HEAD(pending);

	/*
	 * A dying namespace has no queued events (each would hold a
	 * reference), but its last worker run may still be finishing. On
	 * module unload, events may still be queued in live namespaces; the
	 * XFRM hook is already gone, so nothing adds more.
	 */
	cancel_work_sync(&rn->work);
	rri_net_splice_events(rn, &pending);
	rri_net_free_events(rn, &pending);
	mutex_destroy(&rn->lock);
}

static struct pernet_operations rri_net_ops = {
	.init = rri_net_init,
	.exit = rri_net_exit,
	.id = &rri_net_id,
	.size = sizeof(struct rri_net),
};

/**
 * rri_pernet_init() - create the event cache and per-namespace state
 *
 * Return: 0 or a negative errno.
 */
int __init rri_pernet_init(void)
{
	int ret;

	rri_event_cache = KMEM_CACHE(rri_event, 0);
	if (!rri_event_cache)
		return -ENOMEM;

	ret = register_pernet_subsys(&rri_net_ops);
	if (ret)
		kmem_cache_destroy(rri_event_cache);
	return ret;
}

/**
 * rri_pernet_exit() - tear down every namespace's state and the event cache
 */
void rri_pernet_exit(void)
{
	unregister_pernet_subsys(&rri_net_ops);
	kmem_cache_destroy(rri_event_cache);
}
