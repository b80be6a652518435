/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: what other commands use of route.c.
 */

#ifndef RRICTL_ROUTE_H
#define RRICTL_ROUTE_H

#include <netlink/attr.h>
#include <linux/rri.h>

int route_print(struct nlattr *tb[RRI_A_MAX + 1], const char *key);

#endif /* RRICTL_ROUTE_H */
