/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_GROUP_H
#define _RRI_GROUP_H

#include <linux/list.h>
#include <uapi/linux/rri.h>

#include "map.h"

struct rri_net;

/**
 * struct rri_group - an HA redundancy group: maps that inject only while
 *	it is active
 * @list: in rri_net.groups, in the order groups were added
 * @name: unique in the namespace
 * @kind: enum rri_group_kind
 * @active: the role: active (routes in the FIB) or standby (held back)
 * @replay: replay-interval is set: @replay_in and @replay_out apply
 * @vip: RRI_GROUP_VIP's address
 * @since: when the role last changed (boot time, seconds)
 * @transitions: role changes since the group was added
 * @replay_in: XFRM aevent threshold (packets) of the group's inbound SAs
 * @replay_out: the same of its outbound SAs
 * @nmaps: maps in the group          } counted when the group is
 * @nroutes: routes its maps hold     } shown or announced
 * @ninstalled: of those, in the FIB  }
 */
struct rri_group {
	struct list_head list;
	char name[RRI_GROUP_NAME_MAX];
	u8 kind;
	bool active;
	bool replay;
	struct rri_prefix vip;
	u32 since;
	u32 transitions;
	u32 replay_in;
	u32 replay_out;

	u32 nmaps;
	u32 nroutes;
	u32 ninstalled;
};

/* Whether a map's routes are held back: its group is on standby. */
static inline bool rri_map_standby(const struct rri_map *map)
{
	return map->group && !map->group->active;
}

struct rri_group *rri_group_find(struct rri_net *rn, const char *name);
struct rri_group *rri_group_alloc(void);
void rri_group_free(struct rri_group *group);
bool rri_addr_assigned(struct net *net, u16 family, const xfrm_address_t *addr);
bool rri_group_vip_present(struct rri_net *rn, const struct rri_group *group);
void rri_group_set_role(struct rri_net *rn, struct rri_group *group,
			bool active);
void rri_group_check(struct rri_net *rn);
void rri_group_count(struct rri_net *rn);
void rri_group_remove_all(struct rri_net *rn);

int rri_group_notify_init(void);
void rri_group_notify_exit(void);

#endif /* _RRI_GROUP_H */
