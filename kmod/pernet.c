// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace state: set up with the namespace, torn down with it or at
 * module unload. What runs on it lives in event.c (the worker), policy.c,
 * route.c and rtnl.c.
 */

#include "event.h"
#include "group.h"
#include "map.h"
#include "nexthop.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"
#include "rtnl.h"
#include "sa.h"

unsigned int rri_net_id __read_mostly;

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
	INIT_LIST_HEAD(&rn->maps);
	INIT_LIST_HEAD(&rn->groups);
	rri_net_stats_reset(rn);
	rri_event_net_init(rn);
	rri_policy_net_init(rn);
	rri_route_net_init(rn);
	rri_nexthop_net_init(rn);
	rri_sa_net_init(rn);
	return 0;
}

static void __net_exit rri_net_exit(struct net *net)
{
	struct rri_net *rn = rri_net(net);
	struct rri_map *map, *tmp;

	/*
	 * Without maps the hooks and the socket's callback leave the
	 * namespace alone. On module unload the routes rri installed are
	 * removed; in a dying namespace they go with it (rri_route_flush()
	 * sends nothing there).
	 */
	mutex_lock(&rn->lock);
	WRITE_ONCE(rn->nmaps, 0);
	rri_policy_remove_all(rn);
	rri_route_remove_all(rn);
	rri_nexthop_remove_all(rn);
	list_for_each_entry_safe(map, tmp, &rn->maps, list) {
		list_del(&map->list);
		map->group = NULL;
		rri_map_put(map);
	}
	rri_group_remove_all(rn);
	mutex_unlock(&rn->lock);

	/*
	 * No callback after this, so only the worker itself may queue the
	 * worker again, which the cancel in rri_event_net_exit() stops.
	 */
	rri_rtnl_net_exit(rn);
	rri_event_net_exit(rn);

	rri_sa_net_exit(rn);
	rri_route_net_exit(rn);
	rri_nexthop_net_exit(rn);
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
 * rri_pernet_init() - set up every namespace's state
 *
 * Return: 0 or a negative errno.
 */
int __init rri_pernet_init(void)
{
	return register_pernet_subsys(&rri_net_ops);
}

/**
 * rri_pernet_exit() - tear down every namespace's state
 */
void rri_pernet_exit(void)
{
	unregister_pernet_subsys(&rri_net_ops);
}
