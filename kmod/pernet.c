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

#include "map.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"

unsigned int rri_net_id __read_mostly;
static struct kmem_cache *rri_event_cache __read_mostly;

/**
 * rri_net_queue_event() - record an XFRM event for @net's worker
 * @net: namespace the event happened in
 * @kind: what happened
 * @data: what the worker needs to apply it (copied)
 *
 * Callable from any context. A namespace that is already being dismantled
 * gets no events: its state is about to go and nothing would apply them.
 */
void rri_net_queue_event(struct net *net, enum rri_event_kind kind,
			 const struct rri_event_data *data)
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
	ev->data = *data;

	spin_lock_irqsave(&rn->event_lock, flags);
	list_add_tail(&ev->list, &rn->events);
	spin_unlock_irqrestore(&rn->event_lock, flags);

	/*
	 * Unbound: the worker runs beside whoever is adding SAs instead of
	 * taking turns with it on the same CPU. One work item per namespace
	 * keeps its events in order.
	 */
	queue_work(system_unbound_wq, &rn->work);
}

static void rri_net_apply(struct rri_net *rn, const struct rri_event *ev)
{
	const struct rri_event_data *data = &ev->data;

	lockdep_assert_held(&rn->lock);

	atomic64_inc(&rn->stats[ev->kind]);

	/* Without maps there is nothing to derive: the model stays empty. */
	if (list_empty(&rn->maps))
		return;

	switch (data->apply) {
	case RRI_APPLY_NONE:
		break;
	case RRI_APPLY_TUNNEL:
		rri_policy_tunnel_changed(rn, &data->tunnel);
		break;
	case RRI_APPLY_SA_FLUSH:
		rri_policy_reevaluate_all(rn);
		break;
	case RRI_APPLY_POLICY_UPSERT:
		rri_policy_upsert(rn, &data->policy);
		break;
	case RRI_APPLY_POLICY_REMOVE:
		rri_policy_remove(rn, data->policy.index);
		break;
	case RRI_APPLY_POLICY_FLUSH:
		rri_policy_remove_all(rn);
		break;
	}
}

/**
 * rri_net_resync() - derive routes anew from the kernel's IPsec state
 * @rn: the namespace's state, locked
 *
 * After a map change. Routes that stay the same are not touched.
 *
 * Return: 0 or a negative errno.
 */
int rri_net_resync(struct rri_net *rn)
{
	int ret;

	lockdep_assert_held(&rn->lock);

	ret = rri_policy_resync(rn);
	rri_route_flush(rn);
	return ret;
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
	rri_route_flush(rn);
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
	INIT_LIST_HEAD(&rn->maps);
	rri_net_stats_reset(rn);
	rri_policy_net_init(rn);
	rri_route_net_init(rn);
	return 0;
}

static void __net_exit rri_net_exit(struct net *net)
{
	struct rri_net *rn = rri_net(net);
	struct rri_map *map, *tmp;
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

	/*
	 * On module unload the routes rri installed are removed; in a dying
	 * namespace they go with it (rri_route_flush() sends nothing there).
	 */
	mutex_lock(&rn->lock);
	rri_policy_remove_all(rn);
	rri_route_remove_all(rn);
	list_for_each_entry_safe(map, tmp, &rn->maps, list) {
		list_del(&map->list);
		rri_map_free(map);
	}
	mutex_unlock(&rn->lock);

	rri_route_net_exit(rn);
	rri_policy_net_exit(rn);
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
