// SPDX-License-Identifier: GPL-2.0
/*
 * HA groups: the Linux form of Cisco's "crypto map ... redundancy GROUP".
 *
 * A map in a group injects its routes only while the group is active. On
 * standby the map keeps everything it knows (policies, SAs, routes with
 * their next hops, in state standby) and the FIB holds none of its
 * routes; a change of role withdraws or re-injects them at once, in the
 * batches of any route flush, without deriving anything anew.
 *
 * A VIP group is active while its address is assigned to an interface of
 * the namespace, whoever assigns it: keepalived adds the VIP as VRRP
 * master and removes it as backup or on a fault, and so do other VRRP or
 * CARP daemons and an admin's "ip addr". The address notifiers run under
 * RTNL (IPv4) or in atomic context (IPv6): they only flag the namespace,
 * and its worker looks at the addresses the namespace has then, so a VIP
 * removed and added again before the worker runs changes nothing, nor
 * does a VIP added while it is assigned already. A manual group takes its
 * role from RRI_CMD_GROUP_SET.
 *
 * Stateful failover: a group with a hold keeps its routes back for a
 * moment when it becomes active, so that its sync daemon (rri-syncd) can
 * move the SAs' counters ahead before traffic is steered to them; the
 * daemon releases the group, or the hold runs out. The daemon reports the
 * group's sync state here for "group show", and that state falls to down
 * when the daemon's netlink socket closes, however it ended.
 */

#include <linux/inetdevice.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <net/addrconf.h>
#include <net/if_inet6.h>

#include "event.h"
#include "group.h"
#include "netlink.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"

/**
 * rri_group_find() - look a group up by name
 * @rn: the namespace's state, locked
 * @name: the group's name
 *
 * Return: the group, or NULL.
 */
struct rri_group *rri_group_find(struct rri_net *rn, const char *name)
{
	struct rri_group *group;

	lockdep_assert_held(&rn->lock);

	list_for_each_entry(group, &rn->groups, list)
		if (!strcmp(group->name, name))
			return group;
	return NULL;
}

/**
 * rri_group_alloc() - a standby group without settings
 *
 * Return: the group, or NULL.
 */
struct rri_group *rri_group_alloc(void)
{
	struct rri_group *group;

	group = kzalloc(sizeof(*group), GFP_KERNEL_ACCOUNT);
	if (!group)
		return NULL;
	INIT_LIST_HEAD(&group->list);
	group->since = ktime_get_boottime_seconds();
	return group;
}

/**
 * rri_group_free() - free a group no map uses and no list holds
 * @group: the group, or NULL
 */
void rri_group_free(struct rri_group *group)
{
	kfree(group);
}

/* Whether an interface of @net has the IPv4 address @addr. */
static bool rri_group_has_addr4(struct net *net, __be32 addr)
{
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;
	struct net_device *dev;

	for_each_netdev_rcu(net, dev) {
		in_dev = __in_dev_get_rcu(dev);
		if (!in_dev)
			continue;
		in_dev_for_each_ifa_rcu(ifa, in_dev)
			if (ifa->ifa_local == addr)
				return true;
	}
	return false;
}

/*
 * The same for IPv6, VRF slaves included (which ipv6_chk_addr() skips);
 * an address whose duplicate address detection failed is not the
 * namespace's. (Such a failure is seen at the next address change: the
 * kernel tells no notifier of it. keepalived adds its VIPs without DAD.)
 */
static bool rri_group_has_addr6(struct net *net, const struct in6_addr *addr)
{
	const struct inet6_ifaddr *ifa;
	struct inet6_dev *idev;
	struct net_device *dev;
	bool found = false;

	for_each_netdev_rcu(net, dev) {
		idev = __in6_dev_get(dev);
		if (!idev)
			continue;
		read_lock_bh(&idev->lock);
		list_for_each_entry(ifa, &idev->addr_list, if_list) {
			if (ipv6_addr_equal(&ifa->addr, addr) &&
			    !(ifa->flags & IFA_F_DADFAILED)) {
				found = true;
				break;
			}
		}
		read_unlock_bh(&idev->lock);
		if (found)
			break;
	}
	return found;
}

/**
 * rri_addr_assigned() - whether an interface of a namespace has an address
 * @net: the namespace
 * @family: AF_INET or AF_INET6
 * @addr: the address
 *
 * Any interface, VRF slaves included. An IPv6 address counts from when it
 * is added, also while duplicate address detection runs (the kernel tells
 * no notifier when it ends), but not once it failed.
 *
 * Return: true if one has it.
 */
bool rri_addr_assigned(struct net *net, u16 family, const xfrm_address_t *addr)
{
	bool found;

	rcu_read_lock();
	if (family == AF_INET)
		found = rri_group_has_addr4(net, addr->a4);
	else
		found = rri_group_has_addr6(net, (const struct in6_addr *)addr->a6);
	rcu_read_unlock();
	return found;
}

/**
 * rri_group_vip_present() - whether a VIP group's address is assigned
 * @rn: the namespace's state
 * @group: a group of kind RRI_GROUP_VIP
 *
 * Return: true if an interface of the namespace has it.
 */
bool rri_group_vip_present(struct rri_net *rn, const struct rri_group *group)
{
	return rri_addr_assigned(rn->net, group->vip.family, &group->vip.addr);
}

/* The routes of the group's maps follow its role at the next route flush. */
static void rri_group_routes_follow(struct rri_net *rn,
				    const struct rri_group *group)
{
	struct rri_map *map;

	if (!rri_route_group_changed(rn, group))
		return;
	list_for_each_entry(map, &rn->maps, list)
		if (map->group == group)
			rri_policy_rederive(rn, map);
}

/**
 * rri_group_set_role() - make a group active or standby
 * @rn: the namespace's state, locked
 * @group: the group
 * @active: the new role
 *
 * Announces the change and marks the routes of the group's maps: the
 * next route flush re-injects or withdraws them. Routes that did not
 * resolve, conflicted or failed are derived anew on activation. A group
 * with a hold keeps its routes back on activation until it is released
 * (rri_group_release()) or the hold runs out, which the worker sees to.
 */
void rri_group_set_role(struct rri_net *rn, struct rri_group *group,
			bool active)
{
	unsigned long hold = msecs_to_jiffies(group->hold);

	lockdep_assert_held(&rn->lock);

	if (group->active == active)
		return;
	group->active = active;
	group->held = active && group->hold;
	group->since = ktime_get_boottime_seconds();
	group->transitions++;
	if (group->held) {
		group->hold_until = jiffies + hold;
		rri_net_kick(rn, RRI_NET_GROUPS, hold);
	}
	rri_group_count(rn);
	rri_nl_group_event(rn, group, active ? RRI_EVENT_GROUP_ACTIVE :
					       RRI_EVENT_GROUP_STANDBY);
	if (!group->held)
		rri_group_routes_follow(rn, group);
}

/**
 * rri_group_release() - an active group's held routes go in
 * @rn: the namespace's state, locked
 * @group: the group
 * @expired: its hold ran out (no sync daemon released it)
 *
 * The next route flush injects them. Nothing happens to a group that is
 * not held.
 */
void rri_group_release(struct rri_net *rn, struct rri_group *group,
		       bool expired)
{
	lockdep_assert_held(&rn->lock);

	if (!group->held)
		return;
	group->held = false;
	if (expired)
		group->hold_expired++;
	rri_group_count(rn);
	rri_nl_group_event(rn, group, RRI_EVENT_GROUP_RELEASED);
	rri_group_routes_follow(rn, group);
}

/**
 * rri_group_check() - VIP groups take the role their addresses give them,
 *	holds that ran out are released
 * @rn: the namespace's state, locked
 */
void rri_group_check(struct rri_net *rn)
{
	struct rri_group *group;

	lockdep_assert_held(&rn->lock);

	list_for_each_entry(group, &rn->groups, list) {
		if (group->kind == RRI_GROUP_VIP)
			rri_group_set_role(rn, group,
					   rri_group_vip_present(rn, group));
		if (!group->held)
			continue;
		if (time_after_eq(jiffies, group->hold_until))
			rri_group_release(rn, group, true);
		else
			rri_net_kick(rn, RRI_NET_GROUPS,
				     group->hold_until - jiffies);
	}
}

/**
 * rri_group_sync_report() - a sync daemon reports a group's sync state
 * @rn: the namespace's state, locked
 * @group: the group
 * @sync: the report (all but @last)
 *
 * A change of state is announced. When the daemon's socket closes, the
 * state becomes RRI_SYNC_DOWN (rri_group_netlink_release()).
 */
void rri_group_sync_report(struct rri_net *rn, struct rri_group *group,
			   const struct rri_group_sync *sync)
{
	u8 old = group->sync.state;
	u32 last = group->sync.last;

	lockdep_assert_held(&rn->lock);

	if (!old || sync->updates != group->sync.updates)
		last = ktime_get_boottime_seconds();
	group->sync = *sync;
	group->sync.last = last;
	if (old != sync->state) {
		rri_group_count(rn);
		rri_nl_group_event(rn, group, RRI_EVENT_GROUP_SYNC);
	}
}

/**
 * rri_group_count() - count what each group holds, for a query or event
 * @rn: the namespace's state, locked
 */
void rri_group_count(struct rri_net *rn)
{
	struct rri_group *group;
	struct rri_map *map;

	lockdep_assert_held(&rn->lock);

	list_for_each_entry(group, &rn->groups, list) {
		group->nmaps = 0;
		group->nroutes = 0;
		group->ninstalled = 0;
	}
	list_for_each_entry(map, &rn->maps, list)
		if (map->group)
			map->group->nmaps++;
	rri_route_group_count(rn);
}

/**
 * rri_group_remove_all() - forget every group (no map may use one)
 * @rn: the namespace's state, locked
 */
void rri_group_remove_all(struct rri_net *rn)
{
	struct rri_group *group, *tmp;

	lockdep_assert_held(&rn->lock);

	WRITE_ONCE(rn->nvips, 0);
	rn->nreplay = 0;
	list_for_each_entry_safe(group, tmp, &rn->groups, list) {
		list_del(&group->list);
		rri_group_free(group);
	}
	WRITE_ONCE(rn->ngroups, 0);
}

/* An address came or went: the worker looks at the VIPs, if any. */
static void rri_group_addr_changed(struct net *net)
{
	struct rri_net *rn = rri_net(net);

	if (READ_ONCE(rn->nvips))
		rri_net_kick(rn, RRI_NET_GROUPS, 0);
}

static int rri_group_inetaddr(struct notifier_block *nb, unsigned long event,
			      void *ptr)
{
	const struct in_ifaddr *ifa = ptr;

	rri_group_addr_changed(dev_net(ifa->ifa_dev->dev));
	return NOTIFY_DONE;
}

static int rri_group_inet6addr(struct notifier_block *nb, unsigned long event,
			       void *ptr)
{
	const struct inet6_ifaddr *ifa = ptr;

	rri_group_addr_changed(dev_net(ifa->idev->dev));
	return NOTIFY_DONE;
}

/*
 * A netlink socket closed: a sync daemon's reports end with it. Runs in
 * process context, for every netlink socket of the system; a namespace
 * without groups pays a read.
 */
static int rri_group_netlink_release(struct notifier_block *nb,
				     unsigned long event, void *ptr)
{
	const struct netlink_notify *n = ptr;
	struct rri_group *group;
	struct rri_net *rn;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !n->portid)
		return NOTIFY_DONE;
	rn = rri_net(n->net);
	if (!READ_ONCE(rn->ngroups))
		return NOTIFY_DONE;

	mutex_lock(&rn->lock);
	list_for_each_entry(group, &rn->groups, list) {
		if (group->sync.portid != n->portid)
			continue;
		group->sync.portid = 0;
		if (group->sync.state == RRI_SYNC_DOWN)
			continue;
		group->sync.state = RRI_SYNC_DOWN;
		rri_group_count(rn);
		rri_nl_group_event(rn, group, RRI_EVENT_GROUP_SYNC);
	}
	mutex_unlock(&rn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block rri_group_netlink_nb = {
	.notifier_call = rri_group_netlink_release,
};

static struct notifier_block rri_group_inetaddr_nb = {
	.notifier_call = rri_group_inetaddr,
};

static struct notifier_block rri_group_inet6addr_nb = {
	.notifier_call = rri_group_inet6addr,
};

/**
 * rri_group_notify_init() - start following address changes
 *
 * Return: 0 or a negative errno.
 */
int __init rri_group_notify_init(void)
{
	int ret = register_inetaddr_notifier(&rri_group_inetaddr_nb);

	if (ret)
		return ret;
	ret = register_inet6addr_notifier(&rri_group_inet6addr_nb);
	if (ret)
		goto err_inet;
	ret = netlink_register_notifier(&rri_group_netlink_nb);
	if (ret)
		goto err_inet6;
	return 0;

err_inet6:
	unregister_inet6addr_notifier(&rri_group_inet6addr_nb);
err_inet:
	unregister_inetaddr_notifier(&rri_group_inetaddr_nb);
	return ret;
}

/**
 * rri_group_notify_exit() - stop following address changes
 */
void rri_group_notify_exit(void)
{
	netlink_unregister_notifier(&rri_group_netlink_nb);
	unregister_inet6addr_notifier(&rri_group_inet6addr_nb);
	unregister_inetaddr_notifier(&rri_group_inetaddr_nb);
}
