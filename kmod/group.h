/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_GROUP_H
#define _RRI_GROUP_H

#include <linux/list.h>
#include <uapi/linux/rri.h>

#include "map.h"

struct rri_net;

/**
 * struct rri_group_sync - what a group's sync daemon last reported
 * @state: enum rri_sync_state; 0 while no daemon ever reported
 * @portid: the netlink port of the daemon's socket; 0 once it closed
 * @peer: the peer the daemon names (for display only)
 * @sas: SAs in step
 * @lag: how old (ms) the newest state from the peer is
 * @updates: SA states sent or applied since the daemon started
 * @last: when @updates last grew (boot time, seconds)
 */
struct rri_group_sync {
	u8 state;
	u32 portid;
	char peer[RRI_SYNC_PEER_MAX];
	u32 sas;
	u32 lag;
	u64 updates;
	u32 last;
};

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
 * @hold: how long (ms) an activation holds the routes back for a sync
 *	daemon to prepare the takeover; 0: no hold
 * @held: active, but its routes held back until @hold_until or a release
 * @hold_until: when a hold runs out (jiffies)
 * @hold_expired: holds that ran out without a release
 * @sync: the sync daemon's last report
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
	u32 hold;
	bool held;
	unsigned long hold_until;
	u32 hold_expired;
	struct rri_group_sync sync;

	u32 nmaps;
	u32 nroutes;
	u32 ninstalled;
};

/* Whether a group's routes are in the FIB: active, and not held. */
static inline bool rri_group_injects(const struct rri_group *group)
{
	return group->active && !group->held;
}

/* Whether a map's routes are held back: its group is on standby or held. */
static inline bool rri_map_standby(const struct rri_map *map)
{
	return map->group && !rri_group_injects(map->group);
}

struct rri_group *rri_group_find(struct rri_net *rn, const char *name);
struct rri_group *rri_group_alloc(void);
void rri_group_free(struct rri_group *group);
bool rri_addr_assigned(struct net *net, u16 family, const xfrm_address_t *addr);
bool rri_group_vip_present(struct rri_net *rn, const struct rri_group *group);
void rri_group_set_role(struct rri_net *rn, struct rri_group *group,
			bool active);
void rri_group_release(struct rri_net *rn, struct rri_group *group,
		       bool expired);
void rri_group_check(struct rri_net *rn);
void rri_group_sync_report(struct rri_net *rn, struct rri_group *group,
			   const struct rri_group_sync *sync);
void rri_group_count(struct rri_net *rn);
void rri_group_remove_all(struct rri_net *rn);

int rri_group_notify_init(void);
void rri_group_notify_exit(void);

#endif /* _RRI_GROUP_H */
