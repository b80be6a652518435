// SPDX-License-Identifier: GPL-2.0
/*
 * rri-syncd: XFRM over netlink. One socket for requests (the SA dump and
 * XFRM_MSG_NEWAE), one for the multicast events: async events
 * (XFRMNLGRP_AEVENTS) for the replay state, SA and policy events and
 * expiries for the group's SAs coming and going.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "syncd.h"

static int xreq = -1, xev = -1;
static uint32_t xseq;

/* The receive buffer of the event socket: a burst of events from many SAs. */
#define XFRM_EVENT_RCVBUF	(8 << 20)
#define XFRM_BUF		65536

static int nl_socket(bool events)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	int one = 1, fd;

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | (events ? SOCK_NONBLOCK : 0),
		    NETLINK_XFRM);
	if (fd < 0)
		return -1;
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	return fd;
}

/**
 * xfrm_open() - open the request and event sockets
 *
 * Return: 0, or -1 with errno set.
 */
int xfrm_open(void)
{
	static const int groups[] = { XFRMNLGRP_SA, XFRMNLGRP_EXPIRE, XFRMNLGRP_POLICY };
	int size = XFRM_EVENT_RCVBUF;
	unsigned int i;

	xreq = nl_socket(false);
	xev = nl_socket(true);
	if (xreq < 0 || xev < 0)
		return -1;
	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (setsockopt(xev, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &groups[i],
			       sizeof(groups[i])) < 0)
			return -1;
	if (setsockopt(xev, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(xev, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	return 0;
}

int xfrm_events_fd(void)
{
	return xev;
}

/**
 * xfrm_aevents() - listen to the async events, or stop
 * @on: listen
 *
 * Only the active node needs them. While anyone listens, XFRM sends them
 * for every SA of the namespace (for those not the group's at the
 * kernel's default threshold, every 2 packets): the standby does not ask.
 *
 * Return: 0, or -1 with errno set.
 */
int xfrm_aevents(bool on)
{
	int grp = XFRMNLGRP_AEVENTS;

	return setsockopt(xev, SOL_NETLINK, on ? NETLINK_ADD_MEMBERSHIP : NETLINK_DROP_MEMBERSHIP,
			  &grp, sizeof(grp));
}

/* The attribute @type of the attributes from @rta, @len bytes; NULL if absent. */
static const struct nlattr *attr_find(const void *rta, int len, int type)
{
	const struct nlattr *a = rta;

	while (len >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= len) {
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return NULL;
}

static const void *attr_data(const struct nlattr *a)
{
	return (const char *)a + NLA_HDRLEN;
}

static int attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* The replay state and lifetime in the attributes of an SA or async event. */
static int parse_state(const void *rta, int len, struct sa_state *st)
{
	const struct nlattr *esn = attr_find(rta, len, XFRMA_REPLAY_ESN_VAL);
	const struct nlattr *rp = attr_find(rta, len, XFRMA_REPLAY_VAL);
	const struct nlattr *lt = attr_find(rta, len, XFRMA_LTIME_VAL);

	memset(st, 0, sizeof(*st));
	if (esn) {
		const struct xfrm_replay_state_esn *r = attr_data(esn);

		if (attr_len(esn) < (int)sizeof(*r) || r->bmp_len > SA_BMP_MAX ||
		    attr_len(esn) < (int)(sizeof(*r) + r->bmp_len * sizeof(uint32_t)))
			return -1;
		st->esn = true;
		st->oseq = r->oseq;
		st->seq = r->seq;
		st->oseq_hi = r->oseq_hi;
		st->seq_hi = r->seq_hi;
		st->replay_window = r->replay_window;
		st->bmp_len = r->bmp_len;
		memcpy(st->bmp, r->bmp, r->bmp_len * sizeof(uint32_t));
	} else if (rp) {
		const struct xfrm_replay_state *r = attr_data(rp);

		if (attr_len(rp) < (int)sizeof(*r))
			return -1;
		st->oseq = r->oseq;
		st->seq = r->seq;
		st->bmp_len = 1;
		st->bmp[0] = r->bitmap;
	} else {
		return -1;
	}
	if (lt && attr_len(lt) >= (int)sizeof(st->lft))
		memcpy(&st->lft, attr_data(lt), sizeof(st->lft));
	return 0;
}

/* An SA as XFRM_MSG_NEWSA carries it (dump replies, events). */
static int parse_sa(const struct nlmsghdr *nlh, struct sa_id *id, struct sa_state *st)
{
	const struct xfrm_usersa_info *p = NLMSG_DATA(nlh);
	int len = (int)nlh->nlmsg_len - NLMSG_SPACE(sizeof(*p));

	if (len < 0)
		return -1;
	memset(id, 0, sizeof(*id));
	id->daddr = p->id.daddr;
	id->spi = p->id.spi;
	id->proto = p->id.proto;
	id->family = p->family;
	if (parse_state((const char *)p + NLMSG_ALIGN(sizeof(*p)), len, st))
		return -1;
	st->lft = p->curlft;
	return 0;
}

/*
 * Read the answer to request @seq on the request socket: each message to
 * @fn, until the dump's end or the ACK. Return: 0 or -errno.
 */
static int xfrm_answer(uint32_t seq, int (*fn)(const struct nlmsghdr *nlh, void *arg),
		       void *arg)
{
	char *buf = malloc(XFRM_BUF);
	int ret = -ENOMEM;

	while (buf) {
		ssize_t n = recv(xreq, buf, XFRM_BUF, 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = -errno;
			break;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_DONE) {
				ret = 0;
				goto out;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(nlh);

				ret = e->error;
				goto out;
			}
			if (fn)
				fn(nlh, arg);
		}
	}
out:
	free(buf);
	return ret;
}

static int xfrm_send(struct nlmsghdr *nlh)
{
	nlh->nlmsg_seq = ++xseq;
	if (send(xreq, nlh, nlh->nlmsg_len, 0) < 0)
		return -errno;
	return 0;
}

struct dump_ctx {
	xfrm_sa_fn fn;
	void *arg;
};

static int dump_one(const struct nlmsghdr *nlh, void *arg)
{
	struct dump_ctx *d = arg;
	struct sa_state st;
	struct sa_id id;

	if (nlh->nlmsg_type != XFRM_MSG_NEWSA || parse_sa(nlh, &id, &st))
		return 0;
	d->fn(&id, &st, nlh, d->arg);
	return 0;
}

/**
 * xfrm_dump() - every SA of the namespace with its replay state
 * @fn: called for each
 * @arg: for @fn
 *
 * Return: 0 or -errno.
 */
int xfrm_dump(xfrm_sa_fn fn, void *arg)
{
	struct nlmsghdr nlh = {
		.nlmsg_len = NLMSG_LENGTH(0),
		.nlmsg_type = XFRM_MSG_GETSA,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
	};
	struct dump_ctx d = { fn, arg };
	int ret = xfrm_send(&nlh);

	return ret ?: xfrm_answer(nlh.nlmsg_seq, dump_one, &d);
}

struct pdump_ctx {
	void (*fn)(const struct nlmsghdr *nlh, void *arg);
	void *arg;
};

static int pdump_one(const struct nlmsghdr *nlh, void *arg)
{
	struct pdump_ctx *d = arg;

	if (nlh->nlmsg_type == XFRM_MSG_NEWPOLICY)
		d->fn(nlh, d->arg);
	return 0;
}

/**
 * xfrm_dump_policies() - every policy of the namespace
 * @fn: called with each XFRM_MSG_NEWPOLICY
 * @arg: for @fn
 *
 * Return: 0 or -errno.
 */
int xfrm_dump_policies(void (*fn)(const struct nlmsghdr *nlh, void *arg), void *arg)
{
	struct nlmsghdr nlh = {
		.nlmsg_len = NLMSG_LENGTH(0),
		.nlmsg_type = XFRM_MSG_GETPOLICY,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
	};
	struct pdump_ctx d = { fn, arg };
	int ret = xfrm_send(&nlh);

	return ret ?: xfrm_answer(nlh.nlmsg_seq, pdump_one, &d);
}

/**
 * xfrm_request() - a request with a body (header and attributes), acked
 * @type: XFRM_MSG_*
 * @body: the body
 * @len: its length
 *
 * Return: 0 or -errno.
 */
int xfrm_request(uint16_t type, const void *body, size_t len)
{
	struct nlmsghdr *nlh = malloc(NLMSG_SPACE(len));
	int ret;

	if (!nlh)
		return -ENOMEM;
	memset(nlh, 0, NLMSG_HDRLEN);
	nlh->nlmsg_len = NLMSG_LENGTH(len);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	memcpy(NLMSG_DATA(nlh), body, len);
	ret = xfrm_send(nlh);
	if (!ret)
		ret = xfrm_answer(nlh->nlmsg_seq, NULL, NULL);
	free(nlh);
	return ret;
}

static void *put_attr(struct nlmsghdr *nlh, int type, const void *data, size_t len)
{
	struct nlattr *a = (void *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(a->nla_len);
	return a;
}

/**
 * xfrm_apply() - set a local SA's replay state and lifetime counters
 * @sa: the SA
 * @st: the state
 *
 * XFRM_MSG_NEWAE takes whatever it is given, a counter that moves back
 * included: the caller decides. A replay attribute of the wrong kind (ESN
 * or not) would be ignored: the kernel checks an ESN bitmap's length.
 *
 * Return: 0 or -errno (-ESRCH: no such SA here).
 */
int xfrm_apply(const struct sa *sa, const struct sa_state *st)
{
	union {
		struct nlmsghdr nlh;
		char buf[NLMSG_SPACE(sizeof(struct xfrm_aevent_id)) + 512 +
			 SA_BMP_MAX * sizeof(uint32_t)];
	} req;
	struct xfrm_aevent_id *ae;
	int ret;

	memset(&req, 0, sizeof(req));
	req.nlh.nlmsg_len = NLMSG_LENGTH(sizeof(*ae));
	req.nlh.nlmsg_type = XFRM_MSG_NEWAE;
	req.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_REPLACE;
	ae = NLMSG_DATA(&req.nlh);
	ae->sa_id.daddr = sa->id.daddr;
	ae->sa_id.spi = sa->id.spi;
	ae->sa_id.family = sa->id.family;
	ae->sa_id.proto = sa->id.proto;
	ae->saddr = sa->saddr;
	ae->reqid = sa->reqid;
	ae->flags = XFRM_AE_RVAL | XFRM_AE_LVAL;
	if (sa->mark) {
		struct xfrm_mark m = { .v = sa->mark, .m = 0xffffffff };

		put_attr(&req.nlh, XFRMA_MARK, &m, sizeof(m));
	}
	if (st->esn) {
		struct {
			struct xfrm_replay_state_esn r;
			uint32_t bmp[SA_BMP_MAX];
		} esn;

		esn.r.bmp_len = st->bmp_len;
		esn.r.oseq = st->oseq;
		esn.r.seq = st->seq;
		esn.r.oseq_hi = st->oseq_hi;
		esn.r.seq_hi = st->seq_hi;
		esn.r.replay_window = st->replay_window;
		memcpy(esn.bmp, st->bmp, st->bmp_len * sizeof(uint32_t));
		put_attr(&req.nlh, XFRMA_REPLAY_ESN_VAL, &esn,
			 sizeof(esn.r) + st->bmp_len * sizeof(uint32_t));
	} else {
		struct xfrm_replay_state r = {
			.oseq = st->oseq, .seq = st->seq, .bitmap = st->bmp[0],
		};

		put_attr(&req.nlh, XFRMA_REPLAY_VAL, &r, sizeof(r));
	}
	put_attr(&req.nlh, XFRMA_LTIME_VAL, &st->lft, sizeof(st->lft));
	ret = xfrm_send(&req.nlh);
	return ret ?: xfrm_answer(req.nlh.nlmsg_seq, NULL, NULL);
}

/* The id of XFRM_MSG_DELSA's body, or of an expiry's SA. */
static void id_from_usersa(const struct xfrm_usersa_info *p, struct sa_id *id)
{
	memset(id, 0, sizeof(*id));
	id->daddr = p->id.daddr;
	id->spi = p->id.spi;
	id->proto = p->id.proto;
	id->family = p->family;
}

static void event_one(const struct nlmsghdr *nlh, const struct xfrm_ops *ops)
{
	struct sa_state st;
	struct sa_id id;

	switch (nlh->nlmsg_type) {
	case XFRM_MSG_NEWAE: {
		const struct xfrm_aevent_id *ae = NLMSG_DATA(nlh);
		int len = (int)nlh->nlmsg_len - NLMSG_SPACE(sizeof(*ae));

		if (len < 0 || parse_state((const char *)ae + NLMSG_ALIGN(sizeof(*ae)),
					   len, &st))
			return;
		memset(&id, 0, sizeof(id));
		id.daddr = ae->sa_id.daddr;
		id.spi = ae->sa_id.spi;
		id.proto = ae->sa_id.proto;
		id.family = ae->sa_id.family;
		ops->state(&id, &st, NULL);
		return;
	}
	case XFRM_MSG_DELSA: {
		const struct xfrm_usersa_id *p = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*p)))
			return;
		memset(&id, 0, sizeof(id));
		id.daddr = p->daddr;
		id.spi = p->spi;
		id.proto = p->proto;
		id.family = p->family;
		ops->deleted(&id);
		return;
	}
	case XFRM_MSG_EXPIRE: {
		const struct xfrm_user_expire *e = NLMSG_DATA(nlh);

		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)) || !e->hard)
			return;
		id_from_usersa(&e->state, &id);
		ops->deleted(&id);
		return;
	}
	case XFRM_MSG_NEWSA:
	case XFRM_MSG_UPDSA:
		/* A new SA's state comes with it: no async event before traffic. */
		if (!parse_sa(nlh, &id, &st))
			ops->state(&id, &st, nlh);
		ops->changed();
		return;
	case XFRM_MSG_NEWPOLICY:
	case XFRM_MSG_UPDPOLICY:
	case XFRM_MSG_DELPOLICY:
		ops->policy(nlh);
		ops->changed();
		return;
	case XFRM_MSG_FLUSHSA:
	case XFRM_MSG_FLUSHPOLICY:
		ops->changed();
		return;
	}
}

/**
 * xfrm_read_events() - read the events that arrived
 * @ops: what to tell
 *
 * Return: 0, or -1 with errno set if the socket failed.
 */
int xfrm_read_events(const struct xfrm_ops *ops)
{
	static char buf[XFRM_BUF];

	for (;;) {
		ssize_t n = recv(xev, buf, sizeof(buf), 0);
		struct nlmsghdr *nlh;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return 0;
			if (errno == ENOBUFS) {
				ops->lost();
				continue;
			}
			return -1;
		}
		for (nlh = (struct nlmsghdr *)buf; NLMSG_OK(nlh, (size_t)n);
		     nlh = NLMSG_NEXT(nlh, n))
			event_one(nlh, ops);
	}
}
