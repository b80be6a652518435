/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_RTNL_H
#define _RRI_RTNL_H

#include <linux/skbuff.h>
#include <linux/types.h>

struct rri_net;
struct rri_route;

/* Route messages per send; their answers fit a page of the socket. */
#define RRI_BATCH_MAX		32

/**
 * struct rri_rtnl_batch - one sendmsg worth of route messages
 * @skb: the messages
 * @route: the route of each
 * @del: whether each removes its route
 * @n: messages in @skb
 * @seq: sequence number of the first
 */
struct rri_rtnl_batch {
	struct sk_buff *skb;
	struct rri_route *route[RRI_BATCH_MAX];
	bool del[RRI_BATCH_MAX];
	unsigned int n;
	u32 seq;
};

int rri_rtnl_batch_start(struct rri_net *rn, struct rri_rtnl_batch *b);
void rri_rtnl_queue(struct rri_net *rn, struct rri_rtnl_batch *b,
		    struct rri_route *route, bool del);
void rri_rtnl_batch_end(struct rri_net *rn, struct rri_rtnl_batch *b);
int rri_rtnl_check(struct rri_net *rn);
void rri_rtnl_net_exit(struct rri_net *rn);

#endif /* _RRI_RTNL_H */
