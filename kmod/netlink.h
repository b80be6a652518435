/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_NETLINK_H
#define _RRI_NETLINK_H

#include <net/genetlink.h>
#include <net/xfrm.h>
#include <uapi/linux/rri.h>

/* The extack message for an attribute only replies carry. */
#define RRI_NL_READ_ONLY "attribute is reported, not set"

struct rri_prefix;

#define RRI_NL_NOT_HERE "attribute not accepted by this command"

/* The family's multicast groups. */
enum {
	RRI_NL_MCGRP_EVENTS,
};

struct rri_group;
struct rri_map;
struct rri_net;
struct rri_route;

extern struct genl_family rri_nl_family;
extern const struct nla_policy rri_nl_map_policy[RRI_A_MAP_MAX + 1];
extern const struct nla_policy rri_nl_sync_policy[RRI_A_SYNC_MAX + 1];
extern const struct nla_policy rri_nl_group_policy[RRI_A_GROUP_MAX + 1];

struct sk_buff *rri_nl_reply_new(struct genl_info *info, u8 cmd, void **hdr);
int rri_nl_reply_send(struct sk_buff *msg, void *hdr, struct genl_info *info,
		      int err);
int rri_nl_prefix_parse(const struct nlattr *nest, struct rri_prefix *p,
			bool is_prefix, struct netlink_ext_ack *extack);
int rri_nl_put_prefix(struct sk_buff *msg, int type, u16 family,
		      const xfrm_address_t *addr, int len);
int rri_nl_name(const struct nlattr *attr, char *name, bool group,
		struct netlink_ext_ack *extack);

/* nl_map.c */
int rri_nl_map_add_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_map_set_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_map_del_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_peer_reset_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_sa_clear_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_peer_resolve_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_map_get_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_map_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int rri_nl_map_put(struct sk_buff *msg, const struct rri_map *map, bool counts);

/* nl_route.c */
int rri_nl_route_get_start(struct netlink_callback *cb);
int rri_nl_route_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int rri_nl_route_get_done(struct netlink_callback *cb);
int rri_nl_route_put(struct sk_buff *msg, const struct rri_route *route);

/* nl_group.c */
int rri_nl_group_add_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_group_sa_get_start(struct netlink_callback *cb);
int rri_nl_group_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int rri_nl_group_sa_get_done(struct netlink_callback *cb);
int rri_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info);
int rri_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb);
int rri_nl_group_put(struct sk_buff *msg, const struct rri_group *group,
		     bool counts);

/* nl_event.c */
void rri_nl_route_event(struct rri_net *rn, const struct rri_route *route, u8 event);
void rri_nl_map_event(struct rri_net *rn, const struct rri_map *map, u8 event);
struct rri_peer;
void rri_nl_peer_event(struct rri_net *rn, const struct rri_map *map,
		       const struct rri_peer *peer, u8 event);
void rri_nl_group_event(struct rri_net *rn, const struct rri_group *group,
			u8 event);
void rri_nl_events_start(void);
void rri_nl_events_stop(void);

int rri_genl_init(void);
void rri_genl_exit(void);

#endif /* _RRI_NETLINK_H */
