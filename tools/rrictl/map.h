/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: what other commands use of map.c.
 */

#ifndef RRICTL_MAP_H
#define RRICTL_MAP_H

#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/rri.h>

extern const struct nla_policy map_peer_policy[RRI_A_PEER_MAX + 1];

struct nl_msg *map_msg(uint8_t cmd, int flags, const char *name);
int map_save(void);
int map_print(struct nlattr *tb[RRI_A_MAX + 1], const char *key);

#endif /* RRICTL_MAP_H */
