/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels rri builds for (Debian's 6.1 and 6.12),
 * in one place, gated on the version that changed it.
 */

#ifndef _RRI_COMPAT_H
#define _RRI_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/*
 * The attributes of a dump request: 6.6 gave dumps a struct genl_info
 * (genl_info_dump()); before, struct genl_dumpit_info held them itself.
 */
static inline struct nlattr **rri_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/*
 * The event group must be CAP_NET_ADMIN's only (maps and routes are):
 * 6.7 added the flag, stable 6.1.y took it in; an older kernel lacks it.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "this kernel's genetlink cannot limit a multicast group to CAP_NET_ADMIN"
#endif

#endif /* _RRI_COMPAT_H */
