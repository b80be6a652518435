/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: what other commands use of group.c.
 */

#ifndef RRICTL_GROUP_H
#define RRICTL_GROUP_H

#include <stdbool.h>

#include <netlink/attr.h>
#include <linux/rri.h>

int group_print(struct nlattr *tb[RRI_A_MAX + 1], const char *key, bool event);
int group_save(void);

#endif /* RRICTL_GROUP_H */
