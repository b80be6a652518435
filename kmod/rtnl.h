/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_RTNL_H
#define _RRI_RTNL_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct rri_net;
struct rri_nhobj;
struct rri_route;

/* Route messages per send; their answers fit a page of the socket. */
#define RRI_BATCH_MAX		32

/* What a message of a batch does. */
enum rri_rtnl_op {
	RRI_RTNL_ROUTE_ADD,
	RRI_RTNL_ROUTE_DEL,
	RRI_RTNL_NH_ADD,
	RRI_RTNL_NH_REPLACE,
	RRI_RTNL_NH_DEL,
};

/**
 * struct rri_rtnl_batch - one sendmsg worth of route and nexthop messages
 * @skb: the messages
 * @obj: the struct rri_route or struct rri_nhobj of each
 * @op: what each does, enum rri_rtnl_op
 * @n: messages in @skb
 * @seq: sequence number of the first
 */
struct rri_rtnl_batch {
	struct sk_buff *skb;
	void *obj[RRI_BATCH_MAX];
	u8 op[RRI_BATCH_MAX];
	unsigned int n;
	u32 seq;
};

int rri_rtnl_batch_start(struct rri_net *rn, struct rri_rtnl_batch *b);
void rri_rtnl_queue(struct rri_net *rn, struct rri_rtnl_batch *b,
		    struct rri_route *route, bool del);
void rri_rtnl_queue_nh(struct rri_net *rn, struct rri_rtnl_batch *b,
		       struct rri_nhobj *nh, enum rri_rtnl_op op);
void rri_rtnl_batch_send(struct rri_net *rn, struct rri_rtnl_batch *b);
void rri_rtnl_batch_end(struct rri_net *rn, struct rri_rtnl_batch *b);
int rri_rtnl_check(struct rri_net *rn);
void rri_rtnl_net_exit(struct rri_net *rn);

#endif /* _RRI_RTNL_H */
