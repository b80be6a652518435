// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl: requests to the rri generic netlink family, with libnl-genl-3.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "nl.h"
#include "rrictl.h"

/* Errors from the kernel are -errno, and errno values stay below this. */
#define MAX_ERRNO	4095

static struct nl_sock *sock;
static struct nl_sock *esock;	/* the socket rri_nl_subscribe() joined */
static struct nl_cb *ecb;
static int family;

/* The type of every top-level attribute the module may send back. */
static struct nla_policy reply_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION]	= { .type = NLA_STRING },
	[RRI_A_STATS]	= { .type = NLA_NESTED },
	[RRI_A_MAP]	= { .type = NLA_NESTED },
	[RRI_A_ROUTE]	= { .type = NLA_NESTED },
	[RRI_A_EVENT]	= { .type = NLA_U8 },
	[RRI_A_TIME]	= { .type = NLA_U64 },
	[RRI_A_GROUP]	= { .type = NLA_NESTED },
	[RRI_A_PEER_SEL] = { .type = NLA_NESTED },
	[RRI_A_SA]	= { .type = NLA_NESTED },
};

struct transaction {
	const char *what;	/* command words, for error messages */
	rri_reply_fn fn;
	void *arg;
	unsigned int replies;
	bool dump;
	bool done;
	bool bad_reply;
	bool intr;
	int error;		/* errno from the kernel, 0 if none */
	char extack[512];	/* the kernel's reason for @error, if it gave one */
};

/**
 * rri_nl_close() - close the socket, if one was opened
 */
void rri_nl_close(void)
{
	nl_socket_free(sock);
	sock = NULL;
	nl_socket_free(esock);
	esock = NULL;
	nl_cb_put(ecb);
	ecb = NULL;
}

static int nl_open(void)
{
	int one = 1;
	int err;

	sock = nl_socket_alloc();
	if (!sock) {
		pr_err("out of memory");
		return -1;
	}
	err = genl_connect(sock);
	if (err < 0) {
		pr_err("cannot open a generic netlink socket: %s", nl_geterror(err));
		goto err_free;
	}

	/*
	 * Ask for the kernel's reason with every error, and for errors that do not
	 * echo the whole request back. Failure only costs the reason (kernels older
	 * than 4.12), so it is not an error.
	 */
	(void)setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	/* rri_nl_msg() decides which requests ask for an ACK, not libnl. */
	nl_socket_disable_auto_ack(sock);

	family = genl_ctrl_resolve(sock, RRI_GENL_NAME);
	if (family == -NLE_OBJ_NOTFOUND) {
		pr_err("the rri module is not loaded (generic netlink family \"%s\" not found)",
		       RRI_GENL_NAME);
		goto err_free;
	}
	if (family < 0) {
		pr_err("cannot look up generic netlink family \"%s\": %s", RRI_GENL_NAME,
		       nl_geterror(family));
		goto err_free;
	}
	return 0;

err_free:
	rri_nl_close();
	return -1;
}

/**
 * rri_nl_msg() - start a request to the rri family
 * @cmd: RRI_CMD_*
 * @flags: NLM_F_DUMP for a dump, else 0
 *
 * The family is filled in by rri_nl_transact(), which opens the socket on first
 * use: nothing touches netlink before rrictl has entered the network namespace
 * given with -n, and a wrong command line is reported as such even where the
 * module is not loaded.
 *
 * Return: the message, or NULL after printing an error.
 */
struct nl_msg *rri_nl_msg(uint8_t cmd, int flags)
{
	struct nl_msg *msg;

	/*
	 * Every other request asks for an ACK, queries included: the ACK or the
	 * error is what tells rri_nl_transact() that the kernel is done answering.
	 * A dump ends with NLMSG_DONE instead, and the kernel sends no ACK for it.
	 */
	if (!(flags & NLM_F_DUMP))
		flags |= NLM_F_ACK;

	msg = nlmsg_alloc();
	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0, flags, cmd,
				 RRI_GENL_VERSION)) {
		nlmsg_free(msg);
		pr_err("out of memory");
		return NULL;
	}
	return msg;
}

static void set_error(struct transaction *t, int err)
{
	t->error = err < 0 && err >= -MAX_ERRNO ? -err : EPROTO;
}

/*
 * Copy the extended-ACK message (NLMSGERR_ATTR_MSG), if there is one, to
 * t->extack. The kernel's attributes start at @off in the payload of @nlh.
 */
static void extack_copy(struct transaction *t, const struct nlmsghdr *nlh, size_t off)
{
	size_t payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	struct nlattr *nla;
	const char *str;
	int rem, len;

	off = NLMSG_ALIGN(off);
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= payload)
		return;

	nla_for_each_attr(nla, (struct nlattr *)((char *)nlmsg_data(nlh) + off),
			  (int)(payload - off), rem) {
		if (nla_type(nla) != NLMSGERR_ATTR_MSG)
			continue;
		str = nla_data(nla);
		len = nla_len(nla);
		if (len > 0 && str[len - 1] == '\0')
			snprintf(t->extack, sizeof(t->extack), "%s", str);
		return;
	}
}

/*
 * The attributes of an error follow struct nlmsgerr and, unless the kernel capped
 * the error (NETLINK_CAP_ACK), the copy of our request's payload.
 */
static int error_cb(struct sockaddr_nl *nla __maybe_unused, struct nlmsgerr *e, void *arg)
{
	/* libnl passes nlmsg_data() of the error message; its header precedes it. */
	const struct nlmsghdr *nlh = (const void *)((const char *)e - NLMSG_HDRLEN);
	struct transaction *t = arg;
	size_t payload, off = sizeof(*e);

	set_error(t, e->error);
	t->done = true;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*e)))
		return NL_STOP;
	payload = nlh->nlmsg_len - NLMSG_HDRLEN;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
		    e->msg.nlmsg_len - NLMSG_HDRLEN > payload - off)
			return NL_STOP;
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	}
	extack_copy(t, nlh, off);
	return NL_STOP;
}

/*
 * The end of a dump. It carries the dump's final status, which is an error when
 * the kernel gave up part way, then the reason for it, if it gave one.
 */
static int done_cb(struct nl_msg *msg, void *arg)
{
	const struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct transaction *t = arg;
	int status;

	t->done = true;
	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(status)))
		return NL_STOP;
	memcpy(&status, nlmsg_data(nlh), sizeof(status));
	if (status < 0) {
		set_error(t, status);
		extack_copy(t, nlh, sizeof(status));
	}
	return NL_STOP;
}

/* A dump part that says the table changed since the dump began. */
static int intr_cb(struct nl_msg *msg __maybe_unused, void *arg)
{
	struct transaction *t = arg;

	t->intr = true;
	return NL_OK;
}

static int ack_cb(struct nl_msg *msg __maybe_unused, void *arg)
{
	struct transaction *t = arg;

	t->done = true;
	return NL_STOP;
}

/*
 * tb[] keeps only the last of repeated attributes, so a message that repeats one
 * (several objects in one message, say) is refused rather than read in part.
 */
static bool has_repeats(const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *ghdr = nlmsg_data(nlh);
	uint32_t seen = 0;
	struct nlattr *nla;
	int rem;

	_Static_assert(RRI_A_MAX < 32, "seen has a bit per attribute");
	for (nla = genlmsg_attrdata(ghdr, 0), rem = genlmsg_attrlen(ghdr, 0); nla_ok(nla, rem);
	     nla = nla_next(nla, &rem)) {
		if (nla_type(nla) > RRI_A_MAX)
			continue;
		if (seen & 1U << nla_type(nla))
			return true;
		seen |= 1U << nla_type(nla);
	}
	return false;
}

static int reply_cb(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[RRI_A_MAX + 1];

	if (nlh->nlmsg_type != family ||
	    genlmsg_parse(nlh, 0, tb, RRI_A_MAX, reply_policy) < 0 || has_repeats(nlh) ||
	    !t->fn || t->fn(tb, t->arg) < 0) {
		t->bad_reply = true;
		t->done = true;
		return NL_STOP;
	}
	t->replies++;
	return NL_OK;
}

static int transact_error(const struct transaction *t, int err)
{
	if (t->error && t->extack[0])
		pr_err("%s", t->extack);
	else if (t->error)
		pr_err("%s: %s%s", t->what, strerror(t->error),
		       t->error == EPERM ? " (CAP_NET_ADMIN required)" : "");
	else if (t->bad_reply)
		pr_err("%s: unexpected reply from the kernel", t->what);
	else if (err < 0)
		pr_err("%s: %s", t->what, nl_geterror(err));
	else if (t->fn && !t->dump && !t->replies)
		pr_err("%s: no reply from the kernel", t->what);
	else if (t->intr)
		pr_err("%s: the list changed while it was read and may be incomplete; read it again",
		       t->what);
	else
		return 0;
	return -1;
}

/**
 * rri_nl_transact() - send a request and process the kernel's answer
 * @msg: request from rri_nl_msg(); always freed
 * @what: command words (e.g. "stats reset") for error messages
 * @fn: parser for each reply message, NULL if the command expects none
 * @arg: passed to @fn
 *
 * Waits for the ACK, the end of the dump or the error that ends the answer. A
 * command with a parser must get at least one reply, unless it asked for a dump.
 *
 * Return: 0, or -1 after printing an error.
 */
int rri_nl_transact(struct nl_msg *msg, const char *what, rri_reply_fn fn, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct transaction t = {
		.what = what, .fn = fn, .arg = arg,
		.dump = (nlh->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP,
	};
	struct nl_cb *cb;
	int err;

	if (!sock && nl_open() < 0) {
		nlmsg_free(msg);
		return -1;
	}
	nlh->nlmsg_type = family;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		pr_err("out of memory");
		return -1;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, error_cb, &t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, done_cb, &t);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, reply_cb, &t);
	nl_cb_set(cb, NL_CB_DUMP_INTR, NL_CB_CUSTOM, intr_cb, &t);

	err = nl_send_auto(sock, msg);
	nlmsg_free(msg);
	while (err >= 0 && !t.done)
		err = nl_recvmsgs(sock, cb);
	nl_cb_put(cb);

	return transact_error(&t, err);
}

struct listener {
	rri_reply_fn fn;
	void *arg;
};

static int event_cb(struct nl_msg *msg, void *arg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct nlattr *tb[RRI_A_MAX + 1];
	struct listener *l = arg;

	/* Anything else on the socket is not an event: skip it. */
	if (nlh->nlmsg_type != family || genlmsg_hdr(nlh)->cmd != RRI_CMD_EVENT)
		return NL_SKIP;
	if (genlmsg_parse(nlh, 0, tb, RRI_A_MAX, reply_policy) < 0 || l->fn(tb, l->arg) < 0)
		pr_err("monitor: an event this rrictl cannot read; skipped");
	return NL_OK;
}

static struct listener elistener;

/**
 * rri_nl_subscribe() - join a multicast group of the family on a socket of its own
 * @group: the group's name, e.g. RRI_MCGRP_EVENTS
 * @rcvbuf: the socket's receive buffer, in bytes
 * @fn: called by rri_nl_events() for each message, with its attributes; with
 *	NULL when messages were lost (the socket's buffer overflowed)
 * @arg: passed to @fn
 *
 * Requests (rri_nl_transact()) keep their own socket, so a command may ask
 * the module while it listens.
 *
 * Return: the socket's descriptor (to poll), or -1 after printing an error.
 */
int rri_nl_subscribe(const char *group, int rcvbuf, rri_reply_fn fn, void *arg)
{
	int grp, err;

	if (!sock && nl_open() < 0)
		return -1;
	grp = genl_ctrl_resolve_grp(sock, RRI_GENL_NAME, group);
	if (grp < 0) {
		pr_err("monitor: no event group \"%s\" in the rri module: %s", group,
		       nl_geterror(grp));
		return -1;
	}
	esock = nl_socket_alloc();
	ecb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!esock || !ecb) {
		pr_err("out of memory");
		return -1;
	}
	err = nl_connect(esock, NETLINK_GENERIC);
	if (err < 0) {
		pr_err("cannot open a generic netlink socket: %s", nl_geterror(err));
		return -1;
	}
	err = nl_socket_add_membership(esock, grp);
	if (err < 0) {
		pr_err("monitor: cannot join the event group: %s%s", nl_geterror(err),
		       err == -NLE_PERM ? " (CAP_NET_ADMIN required)" : "");
		return -1;
	}
	/* Room for a burst; more than rmem_max only for root. Best effort. */
	if (setsockopt(nl_socket_get_fd(esock), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		(void)setsockopt(nl_socket_get_fd(esock), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				 sizeof(rcvbuf));
	/* Events carry no sequence number to check, and need no ACK. */
	nl_socket_disable_auto_ack(esock);
	elistener.fn = fn;
	elistener.arg = arg;
	nl_cb_set(ecb, NL_CB_VALID, NL_CB_CUSTOM, event_cb, &elistener);
	return nl_socket_get_fd(esock);
}

/**
 * rri_nl_events() - read the messages that arrived on rri_nl_subscribe()'s socket
 *
 * Waits for one if none is there yet.
 *
 * Return: 0, or -1 after printing an error (the socket is unusable).
 */
int rri_nl_events(void)
{
	int err = nl_recvmsgs(esock, ecb);

	/* ENOBUFS: the kernel dropped messages for this socket. */
	if (err == -NLE_NOMEM) {
		elistener.fn(NULL, elistener.arg);
		return 0;
	}
	if (err >= 0)
		return 0;
	pr_err("monitor: %s", nl_geterror(err));
	return -1;
}

/**
 * rri_nl_listen() - join a multicast group of the family and read its messages
 * @group: the group's name, e.g. RRI_MCGRP_EVENTS
 * @rcvbuf: the socket's receive buffer, in bytes
 * @fn: called for each message, with its attributes; with NULL when messages
 *	were lost (the socket's buffer overflowed)
 * @arg: passed to @fn
 *
 * Runs until reading fails.
 *
 * Return: -1 after printing an error.
 */
int rri_nl_listen(const char *group, int rcvbuf, rri_reply_fn fn, void *arg)
{
	if (rri_nl_subscribe(group, rcvbuf, fn, arg) < 0)
		return -1;
	while (!rri_nl_events())
		;
	return -1;
}

/**
 * rri_nl_group_msg() - a request about one group, or about all of them
 * @cmd: RRI_CMD_GROUP_*
 * @flags: 0 or NLM_F_DUMP
 * @name: the group's name, or NULL for a request without RRI_A_GROUP
 * @nest: with @name, the RRI_A_GROUP nest, left open for more attributes
 *
 * Return: the request, or NULL after printing an error.
 */
struct nl_msg *rri_nl_group_msg(uint8_t cmd, int flags, const char *name,
				struct nlattr **nest)
{
	struct nl_msg *msg = rri_nl_msg(cmd, flags);

	if (!msg || !name)
		return msg;
	/* Strict validation wants NLA_F_NESTED, which older libnl does not set. */
	*nest = nla_nest_start(msg, RRI_A_GROUP | NLA_F_NESTED);
	if (!*nest || nla_put_string(msg, RRI_A_GROUP_NAME, name) < 0) {
		nlmsg_free(msg);
		pr_err("out of memory");
		return NULL;
	}
	return msg;
}
