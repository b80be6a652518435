// SPDX-License-Identifier: GPL-2.0
/*
 * Device changes, which the FIB follows without telling rtnetlink
 * listeners: IPv4 flushes the routes of a device that goes down or away
 * and sends no RTM_DELROUTE for them. A device that comes up, or a new
 * XFRM interface, may also let an unresolved route resolve.
 *
 * Called under RTNL, which the worker takes while holding the namespace's
 * lock: the notifier only flags the namespace and queues its worker, and
 * does nothing at all in a namespace without maps.
 */

#include <linux/netdevice.h>

#include "event.h"
#include "notify.h"
#include "pernet.h"

static int rri_notify_netdev(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);

	switch (event) {
	case NETDEV_REGISTER:
	case NETDEV_UP:
	case NETDEV_DOWN:
	case NETDEV_CHANGE:
	case NETDEV_UNREGISTER:
	case NETDEV_CHANGEUPPER:
		rri_net_fib_changed(rri_net(dev_net(dev)));
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block rri_notify_netdev_nb = {
	.notifier_call = rri_notify_netdev,
};

/**
 * rri_notify_init() - start following device changes
 *
 * Return: 0 or a negative errno.
 */
int __init rri_notify_init(void)
{
	return register_netdevice_notifier(&rri_notify_netdev_nb);
}

/**
 * rri_notify_exit() - stop following device changes
 */
void rri_notify_exit(void)
{
	unregister_netdevice_notifier(&rri_notify_netdev_nb);
}
