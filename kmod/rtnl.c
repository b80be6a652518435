// SPDX-License-Identifier: GPL-2.0
/*
 * The namespace's kernel rtnetlink socket: route programming and the FIB
 * check.
 *
 * The FIB's insert and delete functions are not exported, so rri sends
 * RTM_NEWROUTE/RTM_DELROUTE (and RTM_NEWNEXTHOP/RTM_DELNEXTHOP for the
 * nexthop objects its routes share, nexthop.c) through a kernel socket of
 * the namespace, a batch per sendmsg, and matches each answer to its
 * message by sequence number and port. A message whose answer does not
 * come (the socket had no room, memory ran out) leaves its route unknown;
 * the FIB check below then finds out.
 *
 * The messages ask for an echo (NLM_F_ECHO) and no acknowledgment: the
 * notification the FIB sends of the change comes back to rri alone, with
 * the message's sequence number, and is the answer that it succeeded; a
 * failure is answered with an error, as every failure is. One answer per
 * message to read, where an acknowledgment as well would make two.
 *
 * The same socket listens to the namespace's IPv4 and IPv6 route and
 * nexthop notifications. The echo keeps rri's own changes out of its
 * multicast copy, so whatever notification arrives unasked was caused by
 * someone else: an admin's `ip route del` or `ip nexthop del`, a routing
 * daemon, an address going away. Each one, and every device change
 * (notify.c; IPv4 flushes a downed device's routes, and the kernel a
 * device's nexthop objects with their routes, without a notification),
 * schedules a FIB check: a dump of rri's nexthop objects and of the routes
 * of rri's protocols, compared with what rri believes installed. What the
 * FIB lost is added again; next hops are resolved anew by the worker
 * right after.
 */

#include <linux/moduleparam.h>
#include <linux/netlink.h>
#include <linux/nexthop.h>
#include <linux/rtnetlink.h>
#include <net/ip6_route.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "event.h"
#include "nexthop.h"
#include "pernet.h"
#include "route.h"
#include "rtnl.h"

/*
 * The socket's receive buffer: answers, echoes and others' notifications.
 * Answers that do not fit are lost and their routes checked in the FIB.
 */
static unsigned int rtnl_rcvbuf = 256 * 1024;

static int rri_rtnl_rcvbuf_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, SOCK_MIN_RCVBUF, 64 << 20);
}

static const struct kernel_param_ops rri_rtnl_rcvbuf_ops = {
	.set = rri_rtnl_rcvbuf_set,
	.get = param_get_uint,
};

module_param_cb(rtnl_rcvbuf, &rri_rtnl_rcvbuf_ops, &rtnl_rcvbuf, 0444);
MODULE_PARM_DESC(rtnl_rcvbuf,
		 "receive buffer of each namespace's rtnetlink socket, in bytes (default 262144)");
/* What one recvmsg reads; dump parts are at most this large. */
#define RRI_RTNL_RECV		(16 * 1024)
/* Overruns one exchange reads past: others' notifications flood the socket. */
#define RRI_RTNL_OVERRUNS	16

/*
 * Someone else changed the namespace's routes (or rri's socket overran).
 * rri's own answers and echoes are queued in the sending task, which is
 * reading them anyway.
 */
static void rri_rtnl_data_ready(struct sock *sk)
{
	struct rri_net *rn = rri_net(sock_net(sk));

	if (READ_ONCE(rn->sender) != current)
		rri_net_fib_changed(rn);
}

static int rri_rtnl_setsockopt(struct socket *sock, int opt, int val)
{
	return sock->ops->setsockopt(sock, SOL_NETLINK, opt,
				     KERNEL_SOCKPTR(&val), sizeof(val));
}

/* The socket, created on first use. */
static int rri_rtnl_sock(struct rri_net *rn)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct socket *sock;
	int ret;

	if (rn->sock)
		return 0;
	ret = sock_create_kern(rn->net, PF_NETLINK, SOCK_RAW, NETLINK_ROUTE, &sock);
	if (ret)
		return ret;

	/*
	 * Bound first: binding with no groups would drop the memberships.
	 * Answers without the request; dumps filtered by protocol.
	 */
	ret = kernel_bind(sock, (struct sockaddr *)&addr, sizeof(addr)) ?:
	      rri_rtnl_setsockopt(sock, NETLINK_CAP_ACK, 1) ?:
	      rri_rtnl_setsockopt(sock, NETLINK_GET_STRICT_CHK, 1) ?:
	      rri_rtnl_setsockopt(sock, NETLINK_ADD_MEMBERSHIP, RTNLGRP_IPV4_ROUTE) ?:
	      rri_rtnl_setsockopt(sock, NETLINK_ADD_MEMBERSHIP, RTNLGRP_IPV6_ROUTE) ?:
	      rri_rtnl_setsockopt(sock, NETLINK_ADD_MEMBERSHIP, RTNLGRP_NEXTHOP);
	if (!ret)
		ret = kernel_getsockname(sock, (struct sockaddr *)&addr) < 0 ? -EINVAL : 0;
	if (ret) {
		sock_release(sock);
		return ret;
	}
	sock->sk->sk_allocation = GFP_KERNEL;
	sock_set_rcvbuf(sock->sk, READ_ONCE(rtnl_rcvbuf));

	write_lock_bh(&sock->sk->sk_callback_lock);
	sock->sk->sk_data_ready = rri_rtnl_data_ready;
	write_unlock_bh(&sock->sk->sk_callback_lock);

	rn->portid = addr.nl_pid;
	rn->sock = sock;
	return 0;
}

/* Read what the socket holds, without waiting. Return: bytes or -errno. */
static int rri_rtnl_recv(struct rri_net *rn, void *buf, size_t len)
{
	struct msghdr msg = { };
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	int ret;

	ret = kernel_recvmsg(rn->sock, &msg, &iov, 1, len, MSG_DONTWAIT);
	if (ret >= 0 && (msg.msg_flags & MSG_TRUNC))
		return -EMSGSIZE;
	return ret;
}

/* Send @len bytes at @data; rtnetlink handles them before this returns. */
static int rri_rtnl_send(struct rri_net *rn, void *data, size_t len)
{
	struct sockaddr_nl addr = { .nl_family = AF_NETLINK };
	struct msghdr msg = { };
	struct kvec iov = { .iov_base = data, .iov_len = len };

	/*
	 * An addressed message: rtnetlink then checks the worker's own
	 * capabilities, as a kernel socket has no file to check.
	 */
	msg.msg_name = &addr;
	msg.msg_namelen = sizeof(addr);
	return kernel_sendmsg(rn->sock, &msg, &iov, 1, len);
}

/*
 * A message that is neither an answer nor an echo of rri's own: another
 * party's route notification, which the data_ready callback did not see
 * because it arrived while rri was sending.
 */
static void rri_rtnl_other(struct rri_net *rn, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_pid != rn->portid)
		rri_net_fib_changed(rn);
}

static int rri_rtnl_fill(struct sk_buff *skb, const struct rri_route *route,
			 int type, u32 seq)
{
	const struct rri_route_key *key = &route->key;
	int alen = key->family == AF_INET ? 4 : 16;
	u16 flags = NLM_F_REQUEST | NLM_F_ECHO;
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;

	if (type == RTM_NEWROUTE)
		flags |= NLM_F_CREATE | NLM_F_EXCL;

	nlh = nlmsg_put(skb, 0, seq, type, sizeof(*rtm), flags);
	if (!nlh)
		return -EMSGSIZE;

	rtm = nlmsg_data(nlh);
	memset(rtm, 0, sizeof(*rtm));
	rtm->rtm_family = key->family;
	rtm->rtm_dst_len = key->len;
	rtm->rtm_table = key->table < 256 ? key->table : RT_TABLE_UNSPEC;
	rtm->rtm_protocol = route->proto;
	rtm->rtm_type = RTN_UNICAST;
	if (type == RTM_DELROUTE)
		rtm->rtm_scope = RT_SCOPE_NOWHERE;
	else
		rtm->rtm_scope = route->has_gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK;

	if (nla_put(skb, RTA_DST, alen, &key->dst) ||
	    nla_put_u32(skb, RTA_TABLE, key->table) ||
	    nla_put_u32(skb, RTA_PRIORITY, key->metric) ||
	    (route->nhid && nla_put_u32(skb, RTA_NH_ID, route->nhid)) ||
	    (!route->nhid && route->has_gw &&
	     nla_put(skb, RTA_GATEWAY, alen, &route->gw)) ||
	    (!route->nhid && route->oif && nla_put_u32(skb, RTA_OIF, route->oif)) ||
	    (route->tag && nla_put_u32(skb, RTA_FLOW, route->tag))) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

static int rri_rtnl_fill_nh(struct sk_buff *skb, const struct rri_nhobj *nh,
			    enum rri_rtnl_op op, u32 seq)
{
	const struct rri_nhobj_key *key = &nh->key;
	u16 flags = NLM_F_REQUEST | NLM_F_ECHO;
	int type = RTM_NEWNEXTHOP;
	struct nlmsghdr *nlh;
	struct nhmsg *nhm;

	if (op == RRI_RTNL_NH_DEL)
		type = RTM_DELNEXTHOP;
	else if (op == RRI_RTNL_NH_REPLACE)
		flags |= NLM_F_CREATE | NLM_F_REPLACE;
	else
		flags |= NLM_F_CREATE | NLM_F_EXCL;

	nlh = nlmsg_put(skb, 0, seq, type, sizeof(*nhm), flags);
	if (!nlh)
		return -EMSGSIZE;
	nhm = nlmsg_data(nlh);
	memset(nhm, 0, sizeof(*nhm));
	if (type == RTM_NEWNEXTHOP) {
		nhm->nh_family = key->family;
		nhm->nh_protocol = nh->proto;
	}
	if (nla_put_u32(skb, NHA_ID, nh->id) ||
	    (type == RTM_NEWNEXTHOP &&
	     (nla_put_u32(skb, NHA_OIF, key->oif) ||
	      (key->has_gw && nla_put(skb, NHA_GATEWAY,
				      key->family == AF_INET ? 4 : 16, &key->gw))))) {
		nlmsg_cancel(skb, nlh);
		return -EMSGSIZE;
	}
	nlmsg_end(skb, nlh);
	return 0;
}

/**
 * rri_rtnl_batch_start() - get ready to send route messages
 * @rn: the namespace's state, locked
 * @b: the batch
 *
 * Return: 0, or -errno if there is no socket or no memory.
 */
int rri_rtnl_batch_start(struct rri_net *rn, struct rri_rtnl_batch *b)
{
	int ret;

	lockdep_assert_held(&rn->lock);

	ret = rri_rtnl_sock(rn);
	if (ret)
		return ret;
	memset(b, 0, sizeof(*b));
	b->skb = alloc_skb(SKB_WITH_OVERHEAD(PAGE_SIZE), GFP_KERNEL);
	return b->skb ? 0 : -ENOMEM;
}

/* The echo that answers a message of @op that succeeded. */
static const u16 rri_rtnl_echo[] = {
	[RRI_RTNL_ROUTE_ADD] = RTM_NEWROUTE,
	[RRI_RTNL_ROUTE_DEL] = RTM_DELROUTE,
	[RRI_RTNL_NH_ADD] = RTM_NEWNEXTHOP,
	[RRI_RTNL_NH_REPLACE] = RTM_NEWNEXTHOP,
	[RRI_RTNL_NH_DEL] = RTM_DELNEXTHOP,
};

/* Whether @op is about a struct rri_route (else a struct rri_nhobj). */
static bool rri_rtnl_is_route(enum rri_rtnl_op op)
{
	return op == RRI_RTNL_ROUTE_ADD || op == RRI_RTNL_ROUTE_DEL;
}

/* Hand the answer to message @slot, or its lack (@answered false), on. */
static void rri_rtnl_apply(struct rri_net *rn, struct rri_rtnl_batch *b,
			   unsigned int slot, bool answered, int error)
{
	enum rri_rtnl_op op = b->op[slot];
	void *obj = b->obj[slot];

	b->obj[slot] = NULL;
	if (rri_rtnl_is_route(op)) {
		if (answered)
			rri_route_answered(rn, obj, op == RRI_RTNL_ROUTE_DEL, error);
		else
			rri_route_unanswered(rn, obj, op == RRI_RTNL_ROUTE_DEL);
	} else {
		if (answered)
			rri_nexthop_answered(rn, obj, op, error);
		else
			rri_nexthop_unanswered(rn, obj, op);
	}
}

/*
 * Apply @nlh to its message if it answers one of the batch: the error of
 * a failed message, or the echo of one that succeeded.
 * Return: whether it did.
 */
static bool rri_rtnl_answer(struct rri_net *rn, struct rri_rtnl_batch *b,
			    const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = nlmsg_data(nlh);
	u32 slot = nlh->nlmsg_seq - b->seq;
	int error;

	if (nlh->nlmsg_pid != rn->portid || slot >= b->n || !b->obj[slot])
		return false;
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(*err)))
			return false;
		error = err->error;
	} else if (nlh->nlmsg_type == rri_rtnl_echo[b->op[slot]]) {
		error = 0;
	} else {
		return false;
	}
	rri_rtnl_apply(rn, b, slot, true, error);
	return true;
}

/**
 * rri_rtnl_batch_send() - send the batch and apply the kernel's answers
 * @rn: the namespace's state, locked
 * @b: the batch, started; empty when this returns
 */
void rri_rtnl_batch_send(struct rri_net *rn, struct rri_rtnl_batch *b)
{
	unsigned int i, answered = 0, overruns = 0;
	struct nlmsghdr *nlh;
	void *buf;
	int len, rem;

	if (!b->n)
		return;

	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		goto out;

	WRITE_ONCE(rn->sender, current);
	if (rri_rtnl_send(rn, b->skb->data, b->skb->len) < 0)
		goto out;

	/* rtnetlink handled the messages in sendmsg: the answers are queued. */
	while (answered < b->n) {
		len = rri_rtnl_recv(rn, buf, PAGE_SIZE);
		if (len == -ENOBUFS && overruns++ < RRI_RTNL_OVERRUNS) {
			/* Overrun: notifications, maybe answers, were dropped. */
			rri_net_fib_changed(rn);
			continue;
		}
		if (len <= 0)
			break;
		nlmsg_for_each_msg(nlh, (struct nlmsghdr *)buf, len, rem) {
			if (rri_rtnl_answer(rn, b, nlh))
				answered++;
			else
				rri_rtnl_other(rn, nlh);
		}
	}
out:
	WRITE_ONCE(rn->sender, NULL);
	for (i = 0; i < b->n; i++) {
		if (b->obj[i])
			rri_rtnl_apply(rn, b, i, false, 0);
	}
	kfree(buf);
	b->n = 0;
	skb_trim(b->skb, 0);
}

/* Append the message @op about @obj, sequence number @seq, to @skb. */
static int rri_rtnl_fill_op(struct sk_buff *skb, void *obj, enum rri_rtnl_op op,
			    u32 seq)
{
	if (rri_rtnl_is_route(op))
		return rri_rtnl_fill(skb, obj, op == RRI_RTNL_ROUTE_DEL ?
				     RTM_DELROUTE : RTM_NEWROUTE, seq);
	return rri_rtnl_fill_nh(skb, obj, op, seq);
}

/* Add a message about @obj to the batch, sending the batch first if full. */
static void rri_rtnl_put(struct rri_net *rn, struct rri_rtnl_batch *b,
			 void *obj, enum rri_rtnl_op op)
{
	int ret;

	if (b->n == RRI_BATCH_MAX)
		rri_rtnl_batch_send(rn, b);
	if (!b->n)
		b->seq = rn->seq + 1;
	ret = rri_rtnl_fill_op(b->skb, obj, op, b->seq + b->n);
	if (ret && b->n) {
		/* No room left in the batch: send it and start another. */
		rri_rtnl_batch_send(rn, b);
		b->seq = rn->seq + 1;
		ret = rri_rtnl_fill_op(b->skb, obj, op, b->seq);
	}
	b->obj[b->n] = obj;
	b->op[b->n] = op;
	if (ret) {
		/* It does not fit an empty batch: never sent. */
		rri_rtnl_apply(rn, b, b->n, false, 0);
		return;
	}
	rn->seq = b->seq + b->n++;
}

/**
 * rri_rtnl_queue() - add a route message to the batch
 * @rn: the namespace's state
 * @b: the batch, started
 * @route: the route to add or remove
 * @del: remove it
 *
 * Sends the batch first when it is full.
 */
void rri_rtnl_queue(struct rri_net *rn, struct rri_rtnl_batch *b,
		    struct rri_route *route, bool del)
{
	rri_rtnl_put(rn, b, route, del ? RRI_RTNL_ROUTE_DEL : RRI_RTNL_ROUTE_ADD);
}

/**
 * rri_rtnl_queue_nh() - add a nexthop message to the batch
 * @rn: the namespace's state
 * @b: the batch, started
 * @nh: the nexthop object to add, replace or remove
 * @op: RRI_RTNL_NH_ADD, _REPLACE or _DEL
 *
 * Sends the batch first when it is full.
 */
void rri_rtnl_queue_nh(struct rri_net *rn, struct rri_rtnl_batch *b,
		       struct rri_nhobj *nh, enum rri_rtnl_op op)
{
	rri_rtnl_put(rn, b, nh, op);
}

/**
 * rri_rtnl_batch_end() - send what is left and free the batch
 * @rn: the namespace's state
 * @b: the batch
 */
void rri_rtnl_batch_end(struct rri_net *rn, struct rri_rtnl_batch *b)
{
	rri_rtnl_batch_send(rn, b);
	kfree_skb(b->skb);
	b->skb = NULL;
}

/* Mark the route a dumped RTM_NEWROUTE describes, if it is one of rri's. */
static void rri_rtnl_check_route(struct rri_net *rn, const struct nlmsghdr *nlh)
{
	const struct rtmsg *rtm = nlmsg_data(nlh);
	struct nlattr *tb[RTA_MAX + 1];
	struct rri_route_key key;
	struct rri_route *route;
	int alen;

	if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(*rtm)) ||
	    nlmsg_parse_deprecated(nlh, sizeof(*rtm), tb, RTA_MAX, NULL, NULL))
		return;

	memset(&key, 0, sizeof(key));
	key.family = rtm->rtm_family;
	alen = key.family == AF_INET ? 4 : 16;
	key.len = rtm->rtm_dst_len;
	key.table = tb[RTA_TABLE] && nla_len(tb[RTA_TABLE]) == 4 ?
		    nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	key.metric = tb[RTA_PRIORITY] && nla_len(tb[RTA_PRIORITY]) == 4 ?
		     nla_get_u32(tb[RTA_PRIORITY]) : 0;
	if (tb[RTA_DST]) {
		if (nla_len(tb[RTA_DST]) != alen)
			return;
		nla_memcpy(&key.dst, tb[RTA_DST], alen);
	}

	route = rri_route_lookup(rn, &key);
	if (!route || route->proto != rtm->rtm_protocol)
		return;
	/* The same prefix with another next hop is not the route rri added. */
	if (route->nhid) {
		if (tb[RTA_NH_ID] && nla_len(tb[RTA_NH_ID]) == 4 &&
		    nla_get_u32(tb[RTA_NH_ID]) == route->nhid) {
			route->seen = 1;
			if (route->nh && route->nh->id == route->nhid)
				route->nh->named = 1;
		}
		return;
	}
	if (tb[RTA_NH_ID])
		return;
	if (route->has_gw != !!tb[RTA_GATEWAY] ||
	    (route->has_gw && (nla_len(tb[RTA_GATEWAY]) != alen ||
			       memcmp(nla_data(tb[RTA_GATEWAY]), &route->gw, alen))) ||
	    (route->oif && (!tb[RTA_OIF] || nla_len(tb[RTA_OIF]) != 4 ||
			    nla_get_u32(tb[RTA_OIF]) != route->oif)))
		return;
	route->seen = 1;
}

/* Mark the nexthop object a dumped RTM_NEWNEXTHOP describes, if rri's. */
static void rri_rtnl_check_nh(struct rri_net *rn, const struct nlmsghdr *nlh)
{
	const struct nhmsg *nhm = nlmsg_data(nlh);
	struct nlattr *tb[NHA_MAX + 1];
	struct rri_nhobj_key key;
	int alen;

	if (nlh->nlmsg_len < nlmsg_msg_size(sizeof(*nhm)) ||
	    nlmsg_parse_deprecated(nlh, sizeof(*nhm), tb, NHA_MAX, NULL, NULL) ||
	    !tb[NHA_ID] || nla_len(tb[NHA_ID]) != 4)
		return;

	/* A group, a blackhole or an odd one: not a next hop rri adds. */
	memset(&key, 0, sizeof(key));
	alen = nhm->nh_family == AF_INET ? 4 : 16;
	if (!tb[NHA_GROUP] && !tb[NHA_BLACKHOLE] && !tb[NHA_FDB] &&
	    tb[NHA_OIF] && nla_len(tb[NHA_OIF]) == 4 &&
	    (!tb[NHA_GATEWAY] || nla_len(tb[NHA_GATEWAY]) == alen)) {
		key.family = nhm->nh_family;
		key.oif = nla_get_u32(tb[NHA_OIF]);
		key.has_gw = !!tb[NHA_GATEWAY];
		if (key.has_gw)
			nla_memcpy(&key.gw, tb[NHA_GATEWAY], alen);
	}
	rri_nexthop_check_one(rn, nla_get_u32(tb[NHA_ID]), &key);
}

/*
 * Send the dump request @req (@len bytes, its sequence number set) and
 * hand each RTM_NEWROUTE or RTM_NEWNEXTHOP of the answer to the check.
 */
static int rri_rtnl_dump(struct rri_net *rn, struct nlmsghdr *req, size_t len,
			 void *buf)
{
	unsigned int overruns = 0;
	struct nlmsghdr *nlh;
	int rem, ret;
	bool intr = false;

	ret = rri_rtnl_send(rn, req, len);
	if (ret < 0)
		return ret;
	for (;;) {
		ret = rri_rtnl_recv(rn, buf, RRI_RTNL_RECV);
		if (ret == -ENOBUFS && overruns++ < RRI_RTNL_OVERRUNS) {
			rri_net_fib_changed(rn);
			continue;
		}
		if (ret <= 0)
			return ret ?: -EIO;
		nlmsg_for_each_msg(nlh, (struct nlmsghdr *)buf, ret, rem) {
			if (nlh->nlmsg_pid != rn->portid ||
			    nlh->nlmsg_seq != req->nlmsg_seq) {
				rri_rtnl_other(rn, nlh);
				continue;
			}
			/* A table changed under the dump: it may miss a route. */
			intr |= !!(nlh->nlmsg_flags & NLM_F_DUMP_INTR);
			if (nlh->nlmsg_type == NLMSG_DONE)
				return intr ? -EAGAIN : 0;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return -EIO;
			if (nlh->nlmsg_type == RTM_NEWROUTE)
				rri_rtnl_check_route(rn, nlh);
			else if (nlh->nlmsg_type == RTM_NEWNEXTHOP)
				rri_rtnl_check_nh(rn, nlh);
		}
	}
}

/* Dump the routes of @proto of @family and mark rri's. */
static int rri_rtnl_dump_routes(struct rri_net *rn, u8 family, u8 proto,
				void *buf)
{
	struct {
		struct nlmsghdr nlh;
		struct rtmsg rtm;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETROUTE,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = ++rn->seq,
		},
		.rtm = {
			.rtm_family = family,
			.rtm_protocol = proto,
		},
	};

	return rri_rtnl_dump(rn, &req.nlh, sizeof(req), buf);
}

/* Dump the nexthop objects (all: a dump cannot select rri's) and mark rri's. */
static int rri_rtnl_dump_nexthops(struct rri_net *rn, void *buf)
{
	struct {
		struct nlmsghdr nlh;
		struct nhmsg nhm;
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = RTM_GETNEXTHOP,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
			.nlmsg_seq = ++rn->seq,
		},
	};

	return rri_rtnl_dump(rn, &req.nlh, sizeof(req), buf);
}

/**
 * rri_rtnl_check() - find out which of rri's routes the FIB holds
 * @rn: the namespace's state, locked
 *
 * Dumps the nexthop objects (if rri has any) and the routes of the
 * protocols rri's routes use and hands what it finds to nexthop.c and
 * route.c: what the FIB lost is queued to be added again,
 * routes whose messages were not answered take the state the FIB shows.
 * Notifications queued on the socket are read first: they are what made
 * this check necessary.
 *
 * Return: 0, or -errno if the check could not be done (nothing changed).
 */
int rri_rtnl_check(struct rri_net *rn)
{
	DECLARE_BITMAP(protos, 256);
	bool fam4 = false, fam6 = false;
	struct rri_hnode *node;
	struct rri_route *route;
	unsigned int b = 0, i;
	int proto, ret;
	void *buf;

	lockdep_assert_held(&rn->lock);

	if ((!rn->routes.count && !rn->nexthops.count) || !check_net(rn->net))
		return 0;
	ret = rri_rtnl_sock(rn);
	if (ret)
		return ret;
	buf = kvmalloc(RRI_RTNL_RECV, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	/* What is queued is the news that led here: read it, a bounded while. */
	WRITE_ONCE(rn->sender, current);
	for (i = 0; i < 64; i++) {
		ret = rri_rtnl_recv(rn, buf, RRI_RTNL_RECV);
		if (ret <= 0 && ret != -ENOBUFS)
			break;
	}
	ret = 0;

	bitmap_zero(protos, 256);
	for (node = rri_htable_next(&rn->routes, NULL, &b); node;
	     node = rri_htable_next(&rn->routes, node, &b)) {
		route = container_of(node, struct rri_route, node);
		if (!route->installed && !route->unknown)
			continue;
		__set_bit(route->proto, protos);
		fam4 |= route->key.family == AF_INET;
		fam6 |= route->key.family == AF_INET6;
	}

	rri_route_check_start(rn);
	rri_nexthop_check_start(rn);
	if (rn->nexthops.count)
		ret = rri_rtnl_dump_nexthops(rn, buf);
	for_each_set_bit(proto, protos, 256) {
		if (ret)
			break;
		ret = (fam4 ? rri_rtnl_dump_routes(rn, AF_INET, proto, buf) : 0) ?:
		      (fam6 ? rri_rtnl_dump_routes(rn, AF_INET6, proto, buf) : 0);
	}
	if (!ret) {
		rri_nexthop_check_done(rn);
		rri_route_check_done(rn);
	}
	WRITE_ONCE(rn->sender, NULL);
	kvfree(buf);
	return ret;
}

/**
 * rri_rtnl_net_exit() - release a namespace's socket
 * @rn: the namespace's state; nothing sends on the socket any more
 *
 * After this, the socket's callback is never called again.
 */
void rri_rtnl_net_exit(struct rri_net *rn)
{
	if (rn->sock)
		sock_release(rn->sock);
	rn->sock = NULL;
}
