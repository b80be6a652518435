/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_PEER_H
#define _RRI_PEER_H

#include <net/netlink.h>
#include <uapi/linux/rri.h>

#include "map.h"
#include "policy.h"

struct rri_net;
struct rri_sa_ref;

/**
 * struct rri_peer - one peer of a map's preferred-peer list
 * @addr: its tunnel endpoint addresses (a DNS name's, all of them)
 * @naddr: entries of @addr
 * @dynamic: @name is resolved again before each new tunnel
 * @is_default: the default peer (only the first may be)
 * @name: the DNS name @addr was resolved from, or ""
 * @conn: the IKE daemon's connection that reaches it, or ""
 * @attempts: connection attempts (ACQUIREs) while it was current
 * @failures: attempts that yielded no SA (and failed resolutions of @name)
 * @sas: outbound SAs to it that were added VALID
 * @time: seconds it was current, up to when it last stopped being so
 * @cleared: some of its SAs were expired by the current rri_peer_sa_clear()
 */
struct rri_peer {
	struct rri_prefix addr[RRI_PEER_ADDRS_MAX];
	u8 naddr;
	bool dynamic;
	bool is_default;
	char name[RRI_PEER_NAME_MAX];
	char conn[RRI_PEER_CONN_MAX];
	u32 attempts;
	u32 failures;
	u32 sas;
	u64 time;
	bool cleared;
};

/**
 * struct rri_peers - a map's preferred-peer list and which peer is current
 * @n: peers in @peer
 * @cur: index of the current peer
 * @since: when it became current (boot time, seconds)
 * @attempting: @larval is the map's attempt to connect, still under way
 * @larval: the larval state of the map's last ACQUIRE
 * @idle_packets: packets of the SAs to and from the current peer at the last look
 * @idle_since: when that count last changed (boot time, seconds)
 * @peer: the peers, in the order given
 */
struct rri_peers {
	u8 n;
	u8 cur;
	time64_t since;
	bool attempting;
	struct rri_policy_info larval;
	u64 idle_packets;
	time64_t idle_since;
	struct rri_peer peer[];
};

int rri_peers_parse(const struct nlattr *nest, struct rri_peers **peers,
		    struct netlink_ext_ack *extack);
int rri_peers_put(struct sk_buff *msg, const struct rri_peers *peers);
struct rri_peers *rri_peers_dup(const struct rri_peers *peers);
void rri_peers_carry(struct rri_peers *peers, const struct rri_peers *old);
void rri_peer_set_current(struct rri_net *rn, struct rri_map *map,
			  unsigned int i, u8 event);
int rri_peer_resolved(struct rri_net *rn, struct rri_map *map,
		      const struct nlattr *sel, struct netlink_ext_ack *extack);
void rri_peers_free(struct rri_peers *peers);
void rri_peer_sa_event(struct rri_net *rn, const struct rri_sa_ref *ref);
void rri_peer_attempt(struct rri_net *rn, const struct rri_policy_info *larval);
void rri_peer_larval_expired(struct rri_net *rn, const struct rri_policy_info *larval);
int rri_peer_sa_clear(struct rri_net *rn, const struct rri_map *map,
		      const struct rri_prefix *peer, u8 event);
int rri_peer_put_id(struct sk_buff *msg, int type, const struct rri_peer *peer);
void rri_peer_idle(struct rri_net *rn);

/* How often maps with idle-time are looked at. */
#define RRI_IDLE_TICK	(10 * HZ)

#endif /* _RRI_PEER_H */
