// SPDX-License-Identifier: GPL-2.0
/*
 * rri: Reverse Route Injection for Linux IPsec gateways.
 *
 * Watches the kernel's XFRM state in every network namespace and derives
 * routes to the remote sites behind the tunnels from it. This file only
 * brings the parts up and down in order: the caches, the per-namespace
 * state, the XFRM hook, the device and address notifiers, and last the
 * netlink family, so that no map or group can be added before every event
 * reaches rri.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/rri.h>

#include "event.h"
#include "group.h"
#include "map.h"
#include "nexthop.h"
#include "netlink.h"
#include "notify.h"
#include "pernet.h"
#include "policy.h"
#include "route.h"
#include "sa.h"
#include "version.h"
#include "xfrm.h"

static int __init rri_init(void)
{
	int ret;

	ret = rri_map_cache_init();
	if (ret)
		goto err_map;
	ret = rri_policy_cache_init();
	if (ret)
		goto err_policy;
	ret = rri_route_cache_init();
	if (ret)
		goto err_route;
	ret = rri_nexthop_cache_init();
	if (ret)
		goto err_nexthop;
	ret = rri_event_cache_init();
	if (ret)
		goto err_event;
	ret = rri_sa_cache_init();
	if (ret)
		goto err_sa;
	ret = rri_pernet_init();
	if (ret)
		goto err_pernet;

	/* Without maps, events are only counted until the family is up. */
	rri_xfrm_init();
	ret = rri_notify_init();
	if (ret)
		goto err_notify;
	ret = rri_group_notify_init();
	if (ret)
		goto err_group;

	ret = rri_genl_init();
	if (ret)
		goto err_genl;

	pr_info("rri " RRI_VERSION " loaded\n");
	return 0;

err_genl:
	rri_group_notify_exit();
err_group:
	rri_notify_exit();
err_notify:
	rri_xfrm_exit();
	rri_pernet_exit();
err_pernet:
	rri_sa_cache_exit();
err_sa:
	rri_event_cache_exit();
err_event:
	rri_nexthop_cache_exit();
err_nexthop:
	rri_route_cache_exit();
err_route:
	rri_policy_cache_exit();
err_policy:
	rri_map_cache_exit();
err_map:
	return ret;
}

static void __exit rri_exit(void)
{
	rri_genl_exit();
	rri_group_notify_exit();
	rri_notify_exit();
	rri_xfrm_exit();
	rri_pernet_exit();
	rri_sa_cache_exit();
	rri_event_cache_exit();
	rri_nexthop_cache_exit();
	rri_route_cache_exit();
	rri_policy_cache_exit();
	rri_map_cache_exit();
}

module_init(rri_init);
module_exit(rri_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Reverse Route Injection for IPsec gateways");
MODULE_AUTHOR("The rri developers");
MODULE_VERSION(RRI_VERSION);
MODULE_ALIAS_GENL_FAMILY(RRI_GENL_NAME);
