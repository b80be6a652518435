/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_NETLINK_H
#define _RRI_NETLINK_H

int rri_genl_init(void);
void rri_genl_exit(void);

#endif /* _RRI_NETLINK_H */
