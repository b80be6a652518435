// SPDX-License-Identifier: GPL-2.0
/*
 * rri: Reverse Route Injection for Linux IPsec gateways.
 *
 * Watches the kernel's XFRM state in every network namespace and, as later
 * parts of the module grow, derives routes from it. This file only brings
 * the parts up and down in order.
 */

#include <linux/module.h>
#include <net/genetlink.h>
#include <uapi/linux/rri.h>

#include "netlink.h"
#include "pernet.h"
#include "version.h"
#include "xfrm.h"

static int __init rri_init(void)
{
	int ret;

	ret = rri_pernet_init();
	if (ret)
		goto err_pernet;

	ret = rri_genl_init();
	if (ret)
		goto err_genl;

	/* Last: events may arrive as soon as the hook is in place. */
	rri_xfrm_init();

	pr_info("rri " RRI_VERSION " loaded\n");
	return 0;

err_genl:
	rri_pernet_exit();
err_pernet:
	return ret;
}

static void __exit rri_exit(void)
{
	rri_xfrm_exit();
	rri_genl_exit();
	rri_pernet_exit();
}

module_init(rri_init);
module_exit(rri_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Reverse Route Injection for IPsec gateways");
MODULE_AUTHOR("The rri developers");
MODULE_VERSION(RRI_VERSION);
MODULE_ALIAS_GENL_FAMILY(RRI_GENL_NAME);
