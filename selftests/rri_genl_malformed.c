// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed generic netlink requests to the "rri" family.
 *
 * The family validates strictly (include/uapi/linux/rri.h): an attribute a
 * command does not take, an unknown type, the wrong type or length and
 * trailing bytes are refused with -EINVAL and an extended ACK message that
 * points at the attribute where there is one; a value out of range with
 * -ERANGE. This test builds broken requests byte by byte on a raw
 * NETLINK_GENERIC socket (a netlink library would refuse to produce most of
 * them), checks the errno, the extack message and the offset the kernel
 * answers with, and that the module still serves well-formed requests
 * afterwards: for the commands that take no attribute and for the HA group
 * commands (RRI_CMD_GROUP_*, whose RRI_A_GROUP nest is checked by the
 * policy in kmod/netlink.c and then by kmod/nl_group.c), and for a map's
 * RRI_A_MAP_GROUP. A refused group request changes nothing.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rri.h>
#include <linux/xfrm.h>

#include "kselftest_harness.h"
#include "rri_nl.h"

/* Room for any request we build and any answer the kernel sends us. */
#define RRI_BUF_SIZE		8192
/* Where the first attribute of a generic netlink message starts. */
#define RRI_ATTR_OFFS		(NLMSG_HDRLEN + GENL_HDRLEN)
/* The module's own reason for an attribute its command does not take. */
#define RRI_NOT_HERE		"attribute not accepted by this command"
/* ... for a count it reports (kmod/netlink.c). */
#define RRI_READ_ONLY		"attribute is reported, not set"
/* The netlink core's reasons (lib/nlattr.c). */
#define RRI_NL_UNKNOWN		"Unknown attribute type"
#define RRI_NL_LEFTOVER		"bytes leftover after parsing attributes"
#define RRI_NL_POLICY		"Attribute failed policy validation"
#define RRI_NL_LENGTH		"invalid attribute length"
#define RRI_NL_NESTED_MISSING	"NLA_F_NESTED is missing"
#define RRI_NL_NESTED_UNEXP	"NLA_F_NESTED not expected"
#define RRI_NL_RANGE		"integer out of range"
/* kmod/nl_group.c's and kmod/netlink.c's reasons about groups. */
#define RRI_G_MISSING		"missing group (RRI_A_GROUP)"
#define RRI_G_NO_NAME		"missing group name"
#define RRI_G_NO_KIND		"missing group kind: vip or manual"
#define RRI_G_NO_VIP		"a vip group needs its address"
#define RRI_G_MANUAL_VIP	"a manual group has no address"
#define RRI_G_KIND_STAYS	"a group's kind and address stay: delete and add it"
#define RRI_G_VIP_ROLE		"a vip group follows its address: only a manual group's role is set"
#define RRI_G_NO_SUCH		"no such group"
#define RRI_G_EXISTS		"a group of that name exists"
#define RRI_G_BUSY		"maps use the group: take them out of it first (map set NAME no-group)"
#define RRI_G_DUMP_NAMED	"a group dump takes no group: get one by name without NLM_F_DUMP"
#define RRI_G_NAME_LEN		"group name must be 1 to 31 bytes"
#define RRI_G_NO_SYNC_STATE	"missing sync state (RRI_A_SYNC_STATE)"
#define RRI_G_STANDBY_RELEASE	"the group is standby: only an active group is released"
#define RRI_G_NO_REPLAY		"the group has no replay-interval: no SA of it is told"
#define RRI_G_NAME_CHARS	"group name may only hold letters, digits, '_', '-' and '.'"
#define RRI_P_NOT_PREFIX	"an address is expected here, not a prefix"
#define RRI_P_FAMILY		"address family must be AF_INET or AF_INET6"
#define RRI_P_ADDR_LEN		"address length does not match its family"
#define RRI_P_REQUIRED		"address family and address are required"
/* A request left unanswered this long counts as a hang. */
#define RRI_RCV_TIMEOUT_S	5
#define RRI_NUM_STATS		(RRI_A_STATS_MAX - RRI_A_STATS_SA_ADD + 1)

#define RRI_FUZZ_SEED		0x7272692d66757a7aULL	/* "rri-fuzz" */
#define RRI_FUZZ_ROUNDS		1000
#define RRI_FUZZ_MAX_ATTRS	4
#define RRI_FUZZ_MAX_PAYLOAD	32

union rri_msg {
	struct nlmsghdr nlh;
	char buf[RRI_BUF_SIZE];
};

/* What the kernel answered to one request. */
struct rri_ack {
	int error;		/* 0 or a negative errno */
	int offs;		/* NLMSGERR_ATTR_OFFS, -1 if absent */
	int miss_type;		/* NLMSGERR_ATTR_MISS_TYPE, -1 if absent */
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if absent */
	bool done;		/* it was a dump's NLMSG_DONE */
};

static uint32_t rri_seq;

static struct nlmsghdr *rri_msg_init(union rri_msg *m, uint16_t type,
				     uint8_t cmd)
{
	struct genlmsghdr *genl;

	memset(m, 0, sizeof(*m));
	m->nlh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	m->nlh.nlmsg_type = type;
	genl = NLMSG_DATA(&m->nlh);
	genl->cmd = cmd;
	genl->version = RRI_GENL_VERSION;
	return &m->nlh;
}

/* Append one attribute; every caller stays far below RRI_BUF_SIZE. */
static struct nlattr *rri_msg_put(struct nlmsghdr *nlh, uint16_t type,
				  const void *data, uint16_t len)
{
	struct nlattr *nla;

	nla = (struct nlattr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(nla + 1, data, len);
	nlh->nlmsg_len = NLMSG_ALIGN(nlh->nlmsg_len) + NLA_ALIGN(nla->nla_len);
	return nla;
}

/* Open a nest at the end of the message; close it with rri_nest_end(). */
static struct nlattr *rri_nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	return rri_msg_put(nlh, type | NLA_F_NESTED, NULL, 0);
}

static void rri_nest_end(struct nlmsghdr *nlh, struct nlattr *nest)
{
	nest->nla_len = (char *)nlh + nlh->nlmsg_len - (char *)nest;
}

static void rri_msg_put_str(struct nlmsghdr *nlh, uint16_t type, const char *s)
{
	rri_msg_put(nlh, type, s, strlen(s) + 1);
}

static void rri_msg_put_u8(struct nlmsghdr *nlh, uint16_t type, uint8_t v)
{
	rri_msg_put(nlh, type, &v, sizeof(v));
}

static void rri_msg_put_u32(struct nlmsghdr *nlh, uint16_t type, uint32_t v)
{
	rri_msg_put(nlh, type, &v, sizeof(v));
}

/* Where attribute @nla is in the message: what NLMSGERR_ATTR_OFFS says. */
static int rri_off(const struct nlmsghdr *nlh, const struct nlattr *nla)
{
	return (const char *)nla - (const char *)nlh;
}

/* The attributes of a generic netlink reply, NULL if there is no reply. */
static const struct nlattr *rri_reply_attrs(const struct nlmsghdr *nlh,
					    int *len)
{
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return NULL;
	*len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	return (const void *)((const char *)NLMSG_DATA(nlh) + GENL_HDRLEN);
}

/*
 * Decode an NLMSG_ERROR message. Its extack TLVs come after the echoed
 * request, or right after the request's header if the kernel capped the
 * echo (always so for a success, or with NETLINK_CAP_ACK).
 */
static int rri_parse_tlvs(const void *head, int len, struct rri_ack *ack)
{
	const struct nlattr *nla;
	size_t n;
	int rem;

	rri_for_each_attr(nla, head, len, rem) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			n = nla->nla_len - NLA_HDRLEN;
			if (n > sizeof(ack->msg) - 1)
				n = sizeof(ack->msg) - 1;
			n = strnlen(rri_nla_data(nla), n);
			memcpy(ack->msg, rri_nla_data(nla), n);
			ack->msg[n] = '\0';
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla->nla_len != NLA_HDRLEN + sizeof(uint32_t))
				return -EBADMSG;
			memcpy(&ack->offs, rri_nla_data(nla), sizeof(ack->offs));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			if (nla->nla_len != NLA_HDRLEN + sizeof(uint32_t))
				return -EBADMSG;
			memcpy(&ack->miss_type, rri_nla_data(nla), sizeof(ack->miss_type));
			break;
		}
	}
	return rem ? -EBADMSG : 0;
}

/* A dump's NLMSG_DONE: its error, and the extack TLVs after it. */
static int rri_parse_done(const struct nlmsghdr *nlh, struct rri_ack *ack)
{
	uint32_t off = NLMSG_LENGTH(sizeof(int));

	if (nlh->nlmsg_len < off)
		return -EBADMSG;
	ack->done = true;
	memcpy(&ack->error, NLMSG_DATA(nlh), sizeof(int));
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = NLMSG_ALIGN(off);
	if (off > nlh->nlmsg_len)
		return -EBADMSG;
	return rri_parse_tlvs((const char *)nlh + off, nlh->nlmsg_len - off, ack);
}

static int rri_parse_ack(const struct nlmsghdr *nlh, struct rri_ack *ack)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	uint32_t off, echo;

	off = NLMSG_LENGTH(sizeof(*err));
	if (nlh->nlmsg_len < off)
		return -EBADMSG;
	ack->error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;

	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			return -EBADMSG;
		echo = err->msg.nlmsg_len - NLMSG_HDRLEN;
		if (echo > nlh->nlmsg_len - off)
			return -EBADMSG;
		off += NLMSG_ALIGN(echo);
		if (off > nlh->nlmsg_len)
			return -EBADMSG;
	}

	return rri_parse_tlvs((const char *)nlh + off, (int)(nlh->nlmsg_len - off), ack);
}

/*
 * Send the nlmsg_len bytes at @req as one request with NLM_F_REQUEST |
 * NLM_F_ACK | @flags and a fresh sequence number, and read until the
 * NLMSG_ERROR for that number, or for a dump (NLM_F_DUMP in @flags) its
 * NLMSG_DONE. A data message answering the request is copied to @reply
 * (nlmsg_len stays 0 if none came; a dump's last one is kept). Returns 0
 * with @ack filled in, or a negative errno if the exchange itself failed:
 * socket error, no answer within RRI_RCV_TIMEOUT_S (-EAGAIN), malformed
 * answer.
 */
static int rri_xfer_flags(int fd, struct nlmsghdr *req, uint16_t flags,
			  struct rri_ack *ack, union rri_msg *reply)
{
	uint32_t seq = ++rri_seq;
	struct nlmsghdr *nlh;
	union rri_msg buf;
	ssize_t n;
	int len;

	memset(ack, 0, sizeof(*ack));
	ack->offs = -1;
	ack->miss_type = -1;
	if (reply)
		reply->nlh.nlmsg_len = 0;

	req->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	req->nlmsg_seq = seq;
	n = send(fd, req, req->nlmsg_len, 0);
	if (n < 0)
		return -errno;
	if ((size_t)n != req->nlmsg_len)
		return -EIO;

	for (;;) {
		n = recv(fd, buf.buf, sizeof(buf.buf), MSG_TRUNC);
		if (n < 0)
			return -errno;
		if ((size_t)n > sizeof(buf.buf))
			return -EMSGSIZE;

		len = n;
		for (nlh = &buf.nlh; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != seq)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return rri_parse_ack(nlh, ack);
			if (nlh->nlmsg_type == NLMSG_DONE)
				return rri_parse_done(nlh, ack);
			if (reply)
				memcpy(reply, nlh, nlh->nlmsg_len);
		}
	}
}

static int rri_xfer(int fd, struct nlmsghdr *req, struct rri_ack *ack,
		    union rri_msg *reply)
{
	return rri_xfer_flags(fd, req, 0, ack, reply);
}

/* Look up the id of the "rri" family: -ENOENT if it is not registered. */
static int rri_resolve(int fd, uint16_t *family)
{
	const struct nlattr *attrs, *nla;
	union rri_msg req, reply;
	struct rri_ack ack;
	int len, rem, ret;

	rri_msg_init(&req, GENL_ID_CTRL, CTRL_CMD_GETFAMILY);
	rri_msg_put(&req.nlh, CTRL_ATTR_FAMILY_NAME, RRI_GENL_NAME,
		    sizeof(RRI_GENL_NAME));
	ret = rri_xfer(fd, &req.nlh, &ack, &reply);
	if (ret)
		return ret;
	if (ack.error)
		return ack.error;

	attrs = rri_reply_attrs(&reply.nlh, &len);
	if (!attrs)
		return -EBADMSG;
	rri_for_each_attr(nla, attrs, len, rem) {
		if (nla->nla_type == CTRL_ATTR_FAMILY_ID &&
		    nla->nla_len == NLA_HDRLEN + sizeof(*family)) {
			memcpy(family, rri_nla_data(nla), sizeof(*family));
			return 0;
		}
	}
	return -EBADMSG;
}

FIXTURE(genl) {
	int fd;
	uint16_t family;
};

static int rri_open(FIXTURE_DATA(genl) *self)
{
	self->fd = rri_nl_socket(NETLINK_GENERIC, 0, RRI_RCV_TIMEOUT_S);
	if (self->fd < 0)
		return self->fd;
	return rri_resolve(self->fd, &self->family);
}

/*
 * Move the test into a network namespace of its own, so that resetting
 * counters does not disturb the namespace the test was started in.
 * Needs CAP_SYS_ADMIN (-EPERM otherwise).
 */
static int rri_private_netns(FIXTURE_DATA(genl) *self)
{
	if (unshare(CLONE_NEWNET))
		return -errno;
	close(self->fd);
	return rri_open(self);
}

/*
 * Add an IPv4 "allow" policy without templates to the current namespace,
 * through xfrm_user like an IKE daemon would: it changes no traffic, and
 * the module counts one POLICY_ADD.
 */
static int rri_xfrm_policy_add(void)
{
	struct {
		struct nlmsghdr nlh;
		struct xfrm_userpolicy_info pol;
	} req = {
		.nlh = {
			.nlmsg_len = NLMSG_LENGTH(sizeof(req.pol)),
			.nlmsg_type = XFRM_MSG_NEWPOLICY,
		},
		.pol = {
			.sel.family = AF_INET,
			.lft = {
				.soft_byte_limit = XFRM_INF,
				.hard_byte_limit = XFRM_INF,
				.soft_packet_limit = XFRM_INF,
				.hard_packet_limit = XFRM_INF,
			},
			.dir = XFRM_POLICY_OUT,
			.action = XFRM_POLICY_ALLOW,
		},
	};
	struct rri_ack ack;
	int fd, ret;

	fd = rri_nl_socket(NETLINK_XFRM, 0, RRI_RCV_TIMEOUT_S);
	if (fd < 0)
		return fd;
	ret = rri_xfer(fd, &req.nlh, &ack, NULL);
	close(fd);
	return ret ? ret : ack.error;
}

/*
 * The helpers below report through TH_LOG and a false return rather than
 * ASSERT_*(): the 6.1 harness runs FIXTURE_TEARDOWN again after an ASSERT
 * fails in it, for ever, and the teardown uses them.
 */

static bool rri_version_get(struct __test_metadata *_metadata,
			    FIXTURE_DATA(genl) *self, char *version,
			    size_t size)
{
	const struct nlattr *attrs, *nla;
	union rri_msg req, reply;
	struct rri_ack ack;
	int len, rem, ret;
	size_t plen;

	rri_msg_init(&req, self->family, RRI_CMD_VERSION_GET);
	ret = rri_xfer(self->fd, &req.nlh, &ack, &reply);
	if (ret || ack.error) {
		TH_LOG("VERSION_GET: %s", strerror(-(ret ? ret : ack.error)));
		return false;
	}
	attrs = rri_reply_attrs(&reply.nlh, &len);
	if (!attrs) {
		TH_LOG("VERSION_GET: acknowledged without a reply");
		return false;
	}
	rri_for_each_attr(nla, attrs, len, rem) {
		if ((nla->nla_type & NLA_TYPE_MASK) != RRI_A_VERSION)
			continue;
		/* NLA_NUL_STRING: at least one character and the NUL. */
		plen = nla->nla_len - NLA_HDRLEN;
		if (plen < 2 || size < plen ||
		    strnlen(rri_nla_data(nla), plen) != plen - 1) {
			TH_LOG("VERSION_GET: RRI_A_VERSION: %zu bytes, not a string of 1 to %zu characters",
			       plen, size - 1);
			return false;
		}
		memcpy(version, rri_nla_data(nla), plen);
		return true;
	}
	TH_LOG("VERSION_GET: no RRI_A_VERSION in the reply");
	return false;
}

/* Fill @stats, indexed by RRI_A_STATS_*, with all counters of the reply. */
static bool rri_stats_get(struct __test_metadata *_metadata,
			  FIXTURE_DATA(genl) *self,
			  uint64_t stats[RRI_A_STATS_MAX + 1])
{
	const struct nlattr *attrs, *nla, *cnt;
	bool seen[RRI_A_STATS_MAX + 1] = {};
	union rri_msg req, reply;
	int len, rem, crem, ret;
	struct rri_ack ack;
	int found = 0;
	uint16_t type;

	memset(stats, 0, sizeof(*stats) * (RRI_A_STATS_MAX + 1));
	rri_msg_init(&req, self->family, RRI_CMD_STATS_GET);
	ret = rri_xfer(self->fd, &req.nlh, &ack, &reply);
	if (ret || ack.error) {
		TH_LOG("STATS_GET: %s", strerror(-(ret ? ret : ack.error)));
		return false;
	}
	attrs = rri_reply_attrs(&reply.nlh, &len);
	if (!attrs) {
		TH_LOG("STATS_GET: acknowledged without a reply");
		return false;
	}
	rri_for_each_attr(nla, attrs, len, rem) {
		if ((nla->nla_type & NLA_TYPE_MASK) != RRI_A_STATS)
			continue;
		if (!(nla->nla_type & NLA_F_NESTED)) {
			TH_LOG("STATS_GET: RRI_A_STATS without NLA_F_NESTED");
			return false;
		}
		rri_for_each_attr(cnt, rri_nla_data(nla),
				  nla->nla_len - NLA_HDRLEN, crem) {
			type = cnt->nla_type & NLA_TYPE_MASK;
			/* PAD, and counters added after this test, are fine. */
			if (type < RRI_A_STATS_SA_ADD || type > RRI_A_STATS_MAX)
				continue;
			if (seen[type] ||
			    cnt->nla_len != NLA_HDRLEN + sizeof(uint64_t)) {
				TH_LOG("STATS_GET: counter %u repeated or not a u64",
				       type);
				return false;
			}
			memcpy(&stats[type], rri_nla_data(cnt), sizeof(uint64_t));
			seen[type] = true;
			found++;
		}
	}
	if (found != RRI_NUM_STATS) {
		TH_LOG("STATS_GET: %d of the %d counters in the reply", found,
		       RRI_NUM_STATS);
		return false;
	}
	return true;
}

/* The module answers well-formed requests in full. */
static bool rri_healthy(struct __test_metadata *_metadata,
			FIXTURE_DATA(genl) *self)
{
	uint64_t stats[RRI_A_STATS_MAX + 1];
	char version[64];

	return rri_version_get(_metadata, self, version, sizeof(version)) &&
	       rri_stats_get(_metadata, self, stats);
}

/*
 * Send @nlh and require -EINVAL with an extack message: exactly @msg
 * unless that is NULL, pointing at the attribute at offset @offs, or at
 * none if @offs is -1.
 */
static void rri_expect_einval(struct __test_metadata *_metadata,
			      FIXTURE_DATA(genl) *self, struct nlmsghdr *nlh,
			      const char *msg, int offs)
{
	struct rri_ack ack;

	ASSERT_EQ(0, rri_xfer(self->fd, nlh, &ack, NULL));
	TH_LOG("errno %d, extack \"%s\", offset %d", ack.error, ack.msg,
	       ack.offs);
	ASSERT_EQ(-EINVAL, ack.error);
	ASSERT_NE('\0', ack.msg[0]);
	if (msg)
		ASSERT_STREQ(msg, ack.msg);
	ASSERT_EQ(offs, ack.offs);
}

/*
 * Send @nlh and require @error with an extack message: exactly @msg
 * unless that is NULL, pointing at the attribute at offset @offs, or at
 * none if @offs is -1. @what names the case in the log.
 */
static void rri_expect_err(struct __test_metadata *_metadata,
			   FIXTURE_DATA(genl) *self, const char *what,
			   struct nlmsghdr *nlh, int error, const char *msg,
			   int offs)
{
	struct rri_ack ack;

	ASSERT_EQ(0, rri_xfer(self->fd, nlh, &ack, NULL));
	TH_LOG("%s: errno %d, extack \"%s\", offset %d", what, ack.error,
	       ack.msg, ack.offs);
	ASSERT_EQ(error, ack.error);
	ASSERT_NE('\0', ack.msg[0]);
	if (msg)
		ASSERT_STREQ(msg, ack.msg);
	ASSERT_EQ(offs, ack.offs);
}

FIXTURE_SETUP(genl)
{
	int ret;

	ret = rri_open(self);
	/*
	 * The 6.1 harness still runs the test after a SKIP() in the setup;
	 * leave with the exit status it reads as "skipped" instead.
	 */
	if (ret == -ENOENT)
		SKIP(_exit(255),
		     "generic netlink family \"%s\" not registered: is rri.ko loaded?",
		     RRI_GENL_NAME);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(genl)
{
	/* Whatever the test sent, the module must still answer. */
	EXPECT_TRUE(rri_healthy(_metadata, self));
	close(self->fd);
}

TEST_F(genl, unknown_command_eopnotsupp)
{
	union rri_msg m;
	struct rri_ack ack;

	rri_msg_init(&m, self->family, 200);
	ASSERT_EQ(0, rri_xfer(self->fd, &m.nlh, &ack, NULL));
	/* genetlink refuses it before the family's policy is consulted. */
	TH_LOG("errno %d, extack from the genetlink core: %s", ack.error,
	       ack.msg[0] ? ack.msg : "(none)");
	ASSERT_EQ(-EOPNOTSUPP, ack.error);
}

TEST_F(genl, unknown_attribute_type_einval)
{
	uint32_t val = 1;
	union rri_msg m;

	rri_msg_init(&m, self->family, RRI_CMD_STATS_GET);
	rri_msg_put(&m.nlh, 60, &val, sizeof(val));
	rri_expect_einval(_metadata, self, &m.nlh, "Unknown attribute type",
			  RRI_ATTR_OFFS);
}

TEST_F(genl, stats_as_u32_to_stats_get_einval)
{
	uint32_t val = 1;
	union rri_msg m;

	rri_msg_init(&m, self->family, RRI_CMD_STATS_GET);
	rri_msg_put(&m.nlh, RRI_A_STATS, &val, sizeof(val));
	rri_expect_einval(_metadata, self, &m.nlh, RRI_NOT_HERE, RRI_ATTR_OFFS);
}

TEST_F(genl, version_as_u32_to_version_get_einval)
{
	uint32_t val = 1;
	union rri_msg m;

	rri_msg_init(&m, self->family, RRI_CMD_VERSION_GET);
	rri_msg_put(&m.nlh, RRI_A_VERSION, &val, sizeof(val));
	rri_expect_einval(_metadata, self, &m.nlh, RRI_NOT_HERE, RRI_ATTR_OFFS);
}

TEST_F(genl, truncated_attribute_einval)
{
	const uint8_t payload[2] = { 0x61, 0x62 };
	struct nlattr *nla;
	union rri_msg m;

	/*
	 * The attribute header claims 8 bytes of payload, 2 follow, and the
	 * message ends there: netlink itself sees a consistent message.
	 */
	rri_msg_init(&m, self->family, RRI_CMD_VERSION_GET);
	nla = rri_msg_put(&m.nlh, RRI_A_VERSION, payload, sizeof(payload));
	nla->nla_len = NLA_HDRLEN + 8;
	m.nlh.nlmsg_len = RRI_ATTR_OFFS + NLA_HDRLEN + sizeof(payload);
	rri_expect_einval(_metadata, self, &m.nlh,
			  "bytes leftover after parsing attributes", -1);
}

TEST_F(genl, truncated_genl_header_einval)
{
	union rri_msg m;
	struct rri_ack ack;

	rri_msg_init(&m, self->family, RRI_CMD_VERSION_GET);
	m.nlh.nlmsg_len = NLMSG_HDRLEN + 2;
	ASSERT_EQ(0, rri_xfer(self->fd, &m.nlh, &ack, NULL));
	/* Checked by the genetlink core, which gives no reason. */
	TH_LOG("errno %d, extack from the genetlink core: %s", ack.error,
	       ack.msg[0] ? ack.msg : "(none)");
	ASSERT_EQ(-EINVAL, ack.error);
}

TEST_F(genl, reserved_nonzero_einval)
{
	struct genlmsghdr *genl;
	union rri_msg m;

	rri_msg_init(&m, self->family, RRI_CMD_VERSION_GET);
	genl = NLMSG_DATA(&m.nlh);
	genl->reserved = 1;
	rri_expect_einval(_metadata, self, &m.nlh,
			  "genlmsghdr.reserved field is not 0", -1);
}

TEST_F(genl, stats_reset_with_stray_attribute_keeps_counters)
{
	uint64_t before[RRI_A_STATS_MAX + 1], after[RRI_A_STATS_MAX + 1];
	uint32_t zero = 0;
	struct rri_ack ack;
	union rri_msg m;
	int i, ret;

	/* Unchanged counters prove nothing if they are all zero. */
	ret = rri_private_netns(self);
	if (ret == -EPERM)
		SKIP(return, "needs root to count XFRM events in a namespace of its own");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, rri_xfrm_policy_add());
	/* The module counts from a worker: wait for it to catch up. */
	for (i = 0; i < 200; i++) {
		ASSERT_TRUE(rri_stats_get(_metadata, self, before));
		if (before[RRI_A_STATS_POLICY_ADD])
			break;
		usleep(10000);
	}
	ASSERT_EQ(1ULL, before[RRI_A_STATS_POLICY_ADD]);

	/*
	 * A plain attribute, so that the family's policy refuses it: with
	 * NLA_F_NESTED the core's strict flag check would, before the policy.
	 */
	rri_msg_init(&m, self->family, RRI_CMD_STATS_RESET);
	rri_msg_put(&m.nlh, RRI_A_STATS, &zero, sizeof(zero));
	rri_expect_einval(_metadata, self, &m.nlh, RRI_NOT_HERE,
			  RRI_ATTR_OFFS);
	ASSERT_TRUE(rri_stats_get(_metadata, self, after));
	ASSERT_EQ(0, memcmp(before, after, sizeof(before)));

	/* The same request without the attribute does reset them. */
	rri_msg_init(&m, self->family, RRI_CMD_STATS_RESET);
	ASSERT_EQ(0, rri_xfer(self->fd, &m.nlh, &ack, NULL));
	ASSERT_EQ(0, ack.error);
	ASSERT_TRUE(rri_stats_get(_metadata, self, after));
	ASSERT_EQ(0ULL, after[RRI_A_STATS_POLICY_ADD]);
}

/* --- HA groups ---------------------------------------------------------- */

/*
 * The group tests run in a network namespace of their own: a request the
 * module wrongly took would leave nothing behind where the test started.
 */
#define RRI_OWN_NETNS(self) do {					\
	int __ret = rri_private_netns(self);				\
									\
	if (__ret == -EPERM)						\
		SKIP(return, "needs root for a network namespace of its own"); \
	ASSERT_EQ(0, __ret);						\
} while (0)

/*
 * Start a request of @cmd with an RRI_A_GROUP nest holding the name @name
 * (none if NULL); add to it and close it with rri_nest_end().
 */
static struct nlattr *rri_group_start(union rri_msg *m, uint16_t family,
				      uint8_t cmd, const char *name)
{
	struct nlattr *nest;

	rri_msg_init(m, family, cmd);
	nest = rri_nest_start(&m->nlh, RRI_A_GROUP);
	if (name)
		rri_msg_put_str(&m->nlh, RRI_A_GROUP_NAME, name);
	return nest;
}

/* An RRI_A_GROUP_VIP nest of an IPv4 address. */
static struct nlattr *rri_put_vip4(struct nlmsghdr *nlh, const char *addr4)
{
	struct nlattr *vip = rri_nest_start(nlh, RRI_A_GROUP_VIP);
	uint16_t family = AF_INET;

	rri_msg_put(nlh, RRI_A_PREFIX_FAMILY, &family, sizeof(family));
	rri_msg_put(nlh, RRI_A_PREFIX_ADDR, addr4, 4);
	rri_nest_end(nlh, vip);
	return vip;
}

/* Send a well-formed request and require it to succeed. */
static void rri_expect_ok(struct __test_metadata *_metadata,
			  FIXTURE_DATA(genl) *self, const char *what,
			  struct nlmsghdr *nlh)
{
	struct rri_ack ack;

	ASSERT_EQ(0, rri_xfer(self->fd, nlh, &ack, NULL));
	if (ack.error)
		TH_LOG("%s: errno %d, extack \"%s\"", what, ack.error, ack.msg);
	ASSERT_EQ(0, ack.error);
}

/* Add a manual group, or a vip group of IPv4 address @vip4. */
static void rri_group_add(struct __test_metadata *_metadata,
			  FIXTURE_DATA(genl) *self, const char *name,
			  const char *vip4)
{
	struct nlattr *nest;
	union rri_msg m;

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, name);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, vip4 ? RRI_GROUP_VIP : RRI_GROUP_MANUAL);
	if (vip4)
		rri_put_vip4(&m.nlh, vip4);
	rri_nest_end(&m.nlh, nest);
	rri_expect_ok(_metadata, self, "group add", &m.nlh);
}

/* A group as RRI_CMD_GROUP_GET shows it. */
struct rri_group_info {
	uint8_t kind, role;
	uint32_t transitions, maps;
	bool replay;
	uint32_t replay_in, replay_out;
};

/* RRI_CMD_GROUP_GET of @name: 0 with @gi filled in, or the errno. */
static int rri_group_get(struct __test_metadata *_metadata,
			 FIXTURE_DATA(genl) *self, const char *name,
			 struct rri_group_info *gi)
{
	const struct nlattr *attrs, *nla, *sub;
	union rri_msg m, reply;
	struct nlattr *nest;
	struct rri_ack ack;
	int len, rem, srem;

	memset(gi, 0, sizeof(*gi));
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_GET, name);
	rri_nest_end(&m.nlh, nest);
	if (rri_xfer(self->fd, &m.nlh, &ack, &reply))
		return -EIO;
	if (ack.error)
		return ack.error;
	attrs = rri_reply_attrs(&reply.nlh, &len);
	if (!attrs)
		return -EBADMSG;
	rri_for_each_attr(nla, attrs, len, rem) {
		if ((nla->nla_type & NLA_TYPE_MASK) != RRI_A_GROUP)
			continue;
		rri_for_each_attr(sub, rri_nla_data(nla), nla->nla_len - NLA_HDRLEN, srem) {
			const void *d = rri_nla_data(sub);

			switch (sub->nla_type & NLA_TYPE_MASK) {
			case RRI_A_GROUP_KIND:
				gi->kind = *(const uint8_t *)d;
				break;
			case RRI_A_GROUP_ROLE:
				gi->role = *(const uint8_t *)d;
				break;
			case RRI_A_GROUP_TRANSITIONS:
				memcpy(&gi->transitions, d, sizeof(uint32_t));
				break;
			case RRI_A_GROUP_MAPS:
				memcpy(&gi->maps, d, sizeof(uint32_t));
				break;
			case RRI_A_GROUP_REPLAY:
				gi->replay = true;
				break;
			case RRI_A_GROUP_REPLAY_INBOUND:
				memcpy(&gi->replay_in, d, sizeof(uint32_t));
				break;
			case RRI_A_GROUP_REPLAY_OUTBOUND:
				memcpy(&gi->replay_out, d, sizeof(uint32_t));
				break;
			}
		}
		return 0;
	}
	return -EBADMSG;
}

/*
 * RRI_CMD_MAP_GET of @name: 0 with its group's name (or "") in @group,
 * or the errno.
 */
static int rri_map_group(FIXTURE_DATA(genl) *self, const char *name,
			 char group[RRI_GROUP_NAME_MAX])
{
	const struct nlattr *attrs, *nla, *sub;
	union rri_msg m, reply;
	struct nlattr *nest;
	struct rri_ack ack;
	int len, rem, srem;

	group[0] = '\0';
	rri_msg_init(&m, self->family, RRI_CMD_MAP_GET);
	nest = rri_nest_start(&m.nlh, RRI_A_MAP);
	rri_msg_put_str(&m.nlh, RRI_A_MAP_NAME, name);
	rri_nest_end(&m.nlh, nest);
	if (rri_xfer(self->fd, &m.nlh, &ack, &reply))
		return -EIO;
	if (ack.error)
		return ack.error;
	attrs = rri_reply_attrs(&reply.nlh, &len);
	if (!attrs)
		return -EBADMSG;
	rri_for_each_attr(nla, attrs, len, rem) {
		if ((nla->nla_type & NLA_TYPE_MASK) != RRI_A_MAP)
			continue;
		rri_for_each_attr(sub, rri_nla_data(nla), nla->nla_len - NLA_HDRLEN, srem)
			if ((sub->nla_type & NLA_TYPE_MASK) == RRI_A_MAP_GROUP)
				snprintf(group, RRI_GROUP_NAME_MAX, "%.*s",
					 (int)(sub->nla_len - NLA_HDRLEN),
					 (const char *)rri_nla_data(sub));
		return 0;
	}
	return -EBADMSG;
}

/*
 * A map request: RRI_A_MAP with the name @name and, unless NULL, the
 * group @group (RRI_A_MAP_GROUP), whose attribute @group_attr points to.
 */
static void rri_map_msg(union rri_msg *m, uint16_t family, uint8_t cmd,
			const char *name, const char *group,
			struct nlattr **group_attr)
{
	struct nlattr *nest;

	rri_msg_init(m, family, cmd);
	nest = rri_nest_start(&m->nlh, RRI_A_MAP);
	rri_msg_put_str(&m->nlh, RRI_A_MAP_NAME, name);
	if (group) {
		*group_attr = (struct nlattr *)((char *)&m->nlh + NLMSG_ALIGN(m->nlh.nlmsg_len));
		rri_msg_put_str(&m->nlh, RRI_A_MAP_GROUP, group);
	}
	rri_nest_end(&m->nlh, nest);
}

/* The address of the attribute rri_msg_put() adds next. */
static struct nlattr *rri_next(struct nlmsghdr *nlh)
{
	return (struct nlattr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
}

/*
 * The group commands take RRI_A_GROUP only; no other command takes it. A
 * nest of the other kind, or a plain attribute, is refused by the family's
 * policy; a real nest (NLA_F_NESTED) where the policy has none, by the
 * netlink core's strict flag check, which comes first. Either way the
 * extack points at it.
 */
TEST_F(genl, group_and_map_nests_where_not_taken_einval)
{
	static const uint8_t group_cmds[] = {
		RRI_CMD_GROUP_ADD, RRI_CMD_GROUP_SET, RRI_CMD_GROUP_DEL,
		RRI_CMD_GROUP_GET,
	};
	static const uint8_t other_cmds[] = {
		RRI_CMD_VERSION_GET, RRI_CMD_STATS_GET, RRI_CMD_STATS_RESET,
		RRI_CMD_MAP_ADD, RRI_CMD_MAP_SET, RRI_CMD_MAP_DEL, RRI_CMD_MAP_GET,
	};
	static const uint16_t plain[] = {
		RRI_A_VERSION, RRI_A_STATS, RRI_A_MAP, RRI_A_ROUTE, RRI_A_PAD,
		RRI_A_EVENT, RRI_A_TIME,
	};
	struct nlattr *nest;
	union rri_msg m;
	uint32_t zero = 0;
	size_t i, j;

	RRI_OWN_NETNS(self);
	for (i = 0; i < ARRAY_SIZE(group_cmds); i++) {
		/* A map nest, whole. */
		rri_msg_init(&m, self->family, group_cmds[i]);
		nest = rri_nest_start(&m.nlh, RRI_A_MAP);
		rri_msg_put_str(&m.nlh, RRI_A_MAP_NAME, "m");
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "RRI_A_MAP nest to a group command",
			       &m.nlh, -EINVAL, RRI_NL_NESTED_UNEXP, RRI_ATTR_OFFS);
		/* Every other top-level attribute, plain, before the group. */
		for (j = 0; j < ARRAY_SIZE(plain); j++) {
			rri_msg_init(&m, self->family, group_cmds[i]);
			rri_msg_put(&m.nlh, plain[j], &zero, sizeof(zero));
			nest = rri_nest_start(&m.nlh, RRI_A_GROUP);
			rri_msg_put_str(&m.nlh, RRI_A_GROUP_NAME, "g");
			rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
			rri_nest_end(&m.nlh, nest);
			rri_expect_err(_metadata, self, "plain attribute to a group command",
				       &m.nlh, -EINVAL, RRI_NOT_HERE, RRI_ATTR_OFFS);
		}
	}
	for (i = 0; i < ARRAY_SIZE(other_cmds); i++) {
		rri_msg_init(&m, self->family, other_cmds[i]);
		nest = rri_nest_start(&m.nlh, RRI_A_GROUP);
		rri_msg_put_str(&m.nlh, RRI_A_GROUP_NAME, "g");
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "RRI_A_GROUP nest to another command",
			       &m.nlh, -EINVAL, RRI_NL_NESTED_UNEXP, RRI_ATTR_OFFS);

		rri_msg_init(&m, self->family, other_cmds[i]);
		rri_msg_put(&m.nlh, RRI_A_GROUP, &zero, sizeof(zero));
		rri_expect_err(_metadata, self, "plain RRI_A_GROUP to another command",
			       &m.nlh, -EINVAL, RRI_NOT_HERE, RRI_ATTR_OFFS);
	}
}

/*
 * Inside RRI_A_GROUP, each command takes its own attributes: no role to
 * add, the name alone to delete or get, no kind or address to set (they
 * stay), and never the counts a reply reports. A map's group is no
 * attribute of map del or get.
 */
TEST_F(genl, group_attribute_not_accepted_einval)
{
	static const uint16_t reported[] = {
		RRI_A_GROUP_TRANSITIONS, RRI_A_GROUP_MAPS, RRI_A_GROUP_ROUTES,
		RRI_A_GROUP_INSTALLED,
	};
	static const uint8_t name_only[] = { RRI_CMD_GROUP_DEL, RRI_CMD_GROUP_GET };
	struct nlattr *nest, *bad;
	uint64_t since = 1;
	union rri_msg m;
	size_t i;

	RRI_OWN_NETNS(self);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "add with a role", &m.nlh, -EINVAL,
		       RRI_NOT_HERE, rri_off(&m.nlh, bad));

	for (i = 0; i < ARRAY_SIZE(name_only); i++) {
		nest = rri_group_start(&m, self->family, name_only[i], "g");
		bad = rri_next(&m.nlh);
		rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "del/get with a kind", &m.nlh, -EINVAL,
			       RRI_NOT_HERE, rri_off(&m.nlh, bad));

		nest = rri_group_start(&m, self->family, name_only[i], "g");
		bad = rri_next(&m.nlh);
		rri_msg_put(&m.nlh, RRI_A_GROUP_REPLAY, NULL, 0);
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "del/get with replay-interval", &m.nlh,
			       -EINVAL, RRI_NOT_HERE, rri_off(&m.nlh, bad));

		nest = rri_group_start(&m, self->family, name_only[i], "g");
		bad = rri_next(&m.nlh);
		rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_STANDBY);
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "del/get with a role", &m.nlh, -EINVAL,
			       RRI_NOT_HERE, rri_off(&m.nlh, bad));
	}

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "set with a kind", &m.nlh, -EINVAL,
		       RRI_G_KIND_STAYS, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	rri_msg_put(&m.nlh, RRI_A_GROUP_REPLAY, NULL, 0);
	bad = rri_put_vip4(&m.nlh, "\xc0\x00\x02\x01");
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "set with a VIP", &m.nlh, -EINVAL,
		       RRI_G_KIND_STAYS, rri_off(&m.nlh, bad));

	/* The counts: reported, never taken, by any group command. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_SINCE, &since, sizeof(since));
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "add with RRI_A_GROUP_SINCE", &m.nlh, -EINVAL,
		       RRI_READ_ONLY, rri_off(&m.nlh, bad));
	for (i = 0; i < ARRAY_SIZE(reported); i++) {
		nest = rri_group_start(&m, self->family,
				       i % 2 ? RRI_CMD_GROUP_SET : RRI_CMD_GROUP_GET, "g");
		bad = rri_next(&m.nlh);
		rri_msg_put_u32(&m.nlh, reported[i], 0);
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "a count in a request", &m.nlh, -EINVAL,
			       RRI_READ_ONLY, rri_off(&m.nlh, bad));
	}
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_PAD, NULL, 0);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "add with RRI_A_GROUP_PAD", &m.nlh, -EINVAL,
		       RRI_NOT_HERE, rri_off(&m.nlh, bad));

	rri_map_msg(&m, self->family, RRI_CMD_MAP_DEL, "m", "g", &bad);
	rri_expect_err(_metadata, self, "map del with a group", &m.nlh, -EINVAL,
		       RRI_NOT_HERE, rri_off(&m.nlh, bad));
	rri_map_msg(&m, self->family, RRI_CMD_MAP_GET, "m", "g", &bad);
	rri_expect_err(_metadata, self, "map get with a group", &m.nlh, -EINVAL,
		       RRI_NOT_HERE, rri_off(&m.nlh, bad));
}

/*
 * What a group command cannot go without: the nest (also named in the
 * ACK's missing-attribute type), the name in it; for an add the kind, and
 * a vip group's address, which a manual group must not have.
 */
TEST_F(genl, group_missing_attributes_einval)
{
	static const uint8_t cmds[] = {
		RRI_CMD_GROUP_ADD, RRI_CMD_GROUP_SET, RRI_CMD_GROUP_DEL,
		RRI_CMD_GROUP_GET,
	};
	struct nlattr *nest, *bad;
	struct rri_ack ack;
	union rri_msg m;
	size_t i;

	RRI_OWN_NETNS(self);
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		rri_msg_init(&m, self->family, cmds[i]);
		ASSERT_EQ(0, rri_xfer(self->fd, &m.nlh, &ack, NULL));
		TH_LOG("no RRI_A_GROUP: errno %d, extack \"%s\", missing type %d",
		       ack.error, ack.msg, ack.miss_type);
		ASSERT_EQ(-EINVAL, ack.error);
		ASSERT_STREQ(RRI_G_MISSING, ack.msg);
		ASSERT_EQ(-1, ack.offs);
		ASSERT_EQ(RRI_A_GROUP, ack.miss_type);

		/* An empty nest, and one with all but the name. */
		nest = rri_group_start(&m, self->family, cmds[i], NULL);
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "an empty RRI_A_GROUP", &m.nlh, -EINVAL,
			       RRI_G_NO_NAME, RRI_ATTR_OFFS);
		nest = rri_group_start(&m, self->family, cmds[i], NULL);
		if (cmds[i] == RRI_CMD_GROUP_ADD)
			rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
		if (cmds[i] == RRI_CMD_GROUP_SET)
			rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "no RRI_A_GROUP_NAME", &m.nlh, -EINVAL,
			       RRI_G_NO_NAME, RRI_ATTR_OFFS);
	}

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put(&m.nlh, RRI_A_GROUP_REPLAY, NULL, 0);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "add without a kind", &m.nlh, -EINVAL,
		       RRI_G_NO_KIND, RRI_ATTR_OFFS);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_VIP);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "vip group without its address", &m.nlh, -EINVAL,
		       RRI_G_NO_VIP, RRI_ATTR_OFFS);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	bad = rri_put_vip4(&m.nlh, "\xc0\x00\x02\x01");
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "manual group with an address", &m.nlh, -EINVAL,
		       RRI_G_MANUAL_VIP, rri_off(&m.nlh, bad));
}

/*
 * Attributes of the wrong type or length, by the netlink core's policy
 * check: a name without its NUL, integers of the wrong width, a flag with
 * a payload (-ERANGE: the core's errno for that one), the nested flag
 * missing on a nest or set on a leaf.
 */
TEST_F(genl, group_wrong_types_einval)
{
	struct nlattr *nest, *bad;
	uint16_t family = AF_INET;
	union rri_msg m;

	RRI_OWN_NETNS(self);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, NULL);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_NAME, "abcd", 4);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "name without a NUL", &m.nlh, -EINVAL,
		       RRI_NL_POLICY, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, NULL);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_NAME, NULL, 0);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "name of no byte", &m.nlh, -EINVAL,
		       RRI_NL_POLICY, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "kind as a u32", &m.nlh, -EINVAL,
		       RRI_NL_LENGTH, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_ROLE, &family, sizeof(family));
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "role as a u16", &m.nlh, -EINVAL,
		       RRI_NL_LENGTH, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_REPLAY_INBOUND, 10);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "inbound as a u8", &m.nlh, -EINVAL,
		       RRI_NL_LENGTH, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	bad = rri_next(&m.nlh);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_REPLAY, 1);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "replay flag with a payload", &m.nlh, -ERANGE,
		       RRI_NL_POLICY, rri_off(&m.nlh, bad));

	/* The VIP's prefix attributes, without the nested flag. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_VIP);
	bad = rri_nest_start(&m.nlh, RRI_A_GROUP_VIP);
	bad->nla_type &= ~NLA_F_NESTED;
	rri_msg_put(&m.nlh, RRI_A_PREFIX_FAMILY, &family, sizeof(family));
	rri_msg_put(&m.nlh, RRI_A_PREFIX_ADDR, "\xc0\x00\x02\x01", 4);
	rri_nest_end(&m.nlh, bad);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "VIP without NLA_F_NESTED", &m.nlh, -EINVAL,
		       RRI_NL_NESTED_MISSING, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_GET, NULL);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_NAME | NLA_F_NESTED, "g", 2);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "name with NLA_F_NESTED", &m.nlh, -EINVAL,
		       RRI_NL_NESTED_UNEXP, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_DEL, "g");
	nest->nla_type &= ~NLA_F_NESTED;
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "RRI_A_GROUP without NLA_F_NESTED", &m.nlh,
		       -EINVAL, RRI_NL_NESTED_MISSING, RRI_ATTR_OFFS);

	/* A map's group is a string too. */
	rri_msg_init(&m, self->family, RRI_CMD_MAP_ADD);
	nest = rri_nest_start(&m.nlh, RRI_A_MAP);
	rri_msg_put_str(&m.nlh, RRI_A_MAP_NAME, "m");
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_MAP_GROUP, "grp!", 4);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "map's group without a NUL", &m.nlh, -EINVAL,
		       RRI_NL_POLICY, rri_off(&m.nlh, bad));
}

/* Types the policy does not know, at each level of a group request. */
TEST_F(genl, group_unknown_attribute_type_einval)
{
	static const uint16_t types[] = { 0, RRI_A_GROUP_MAX + 1, 100 };
	struct nlattr *nest, *bad, *vip;
	uint16_t family = AF_INET;
	uint32_t val = 1;
	union rri_msg m;
	size_t i;

	RRI_OWN_NETNS(self);

	rri_msg_init(&m, self->family, RRI_CMD_GROUP_GET);
	rri_msg_put(&m.nlh, RRI_A_MAX + 1, &val, sizeof(val));
	rri_expect_err(_metadata, self, "unknown top-level type", &m.nlh, -EINVAL,
		       RRI_NL_UNKNOWN, RRI_ATTR_OFFS);

	for (i = 0; i < ARRAY_SIZE(types); i++) {
		nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
		rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
		bad = rri_next(&m.nlh);
		rri_msg_put(&m.nlh, types[i], &val, sizeof(val));
		rri_nest_end(&m.nlh, nest);
		rri_expect_err(_metadata, self, "unknown type in RRI_A_GROUP", &m.nlh,
			       -EINVAL, RRI_NL_UNKNOWN, rri_off(&m.nlh, bad));
	}

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_VIP);
	vip = rri_nest_start(&m.nlh, RRI_A_GROUP_VIP);
	rri_msg_put(&m.nlh, RRI_A_PREFIX_FAMILY, &family, sizeof(family));
	rri_msg_put(&m.nlh, RRI_A_PREFIX_ADDR, "\xc0\x00\x02\x01", 4);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_PREFIX_MAX + 1, &val, sizeof(val));
	rri_nest_end(&m.nlh, vip);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "unknown type in the VIP", &m.nlh, -EINVAL,
		       RRI_NL_UNKNOWN, rri_off(&m.nlh, bad));
}

/*
 * Values out of their range: -ERANGE from the policy, pointing at them.
 * The kind, the role, and the replay-interval thresholds one past each
 * bound.
 */
TEST_F(genl, group_values_out_of_range_erange)
{
	static const struct {
		uint8_t cmd;
		uint16_t type;
		uint32_t value;
		bool u8;
	} cases[] = {
		{ RRI_CMD_GROUP_ADD, RRI_A_GROUP_KIND, 0, true },
		{ RRI_CMD_GROUP_ADD, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL + 1, true },
		{ RRI_CMD_GROUP_SET, RRI_A_GROUP_ROLE, 0, true },
		{ RRI_CMD_GROUP_SET, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE + 1, true },
		{ RRI_CMD_GROUP_ADD, RRI_A_GROUP_REPLAY_INBOUND,
		  RRI_REPLAY_INBOUND_MAX + 1, false },
		{ RRI_CMD_GROUP_SET, RRI_A_GROUP_REPLAY_INBOUND, 0xffffffff, false },
		{ RRI_CMD_GROUP_ADD, RRI_A_GROUP_REPLAY_OUTBOUND,
		  RRI_REPLAY_OUTBOUND_MIN - 1, false },
		{ RRI_CMD_GROUP_SET, RRI_A_GROUP_REPLAY_OUTBOUND,
		  RRI_REPLAY_OUTBOUND_MAX + 1, false },
		{ RRI_CMD_GROUP_SET, RRI_A_GROUP_REPLAY_OUTBOUND, 0, false },
	};
	struct nlattr *nest, *bad;
	union rri_msg m;
	size_t i;

	RRI_OWN_NETNS(self);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		nest = rri_group_start(&m, self->family, cases[i].cmd, "g");
		if (cases[i].cmd == RRI_CMD_GROUP_ADD && cases[i].type != RRI_A_GROUP_KIND)
			rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
		bad = rri_next(&m.nlh);
		if (cases[i].u8)
			rri_msg_put_u8(&m.nlh, cases[i].type, cases[i].value);
		else
			rri_msg_put_u32(&m.nlh, cases[i].type, cases[i].value);
		rri_nest_end(&m.nlh, nest);
		TH_LOG("attribute %u = %u", cases[i].type, cases[i].value);
		rri_expect_err(_metadata, self, "out of range", &m.nlh, -ERANGE,
			       RRI_NL_RANGE, rri_off(&m.nlh, bad));
	}
}

/*
 * Trailing bytes: after the nest, after the name inside it, after the
 * address inside the VIP. Said without an attribute to point at.
 */
TEST_F(genl, group_trailing_bytes_einval)
{
	const uint8_t payload[2] = { 0x61, 0x62 };
	struct nlattr *nest, *nla, *vip;
	uint16_t family = AF_INET;
	union rri_msg m;

	RRI_OWN_NETNS(self);

	/* After a whole nest, an attribute that claims more than follows. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_GET, "g");
	rri_nest_end(&m.nlh, nest);
	nla = rri_msg_put(&m.nlh, RRI_A_GROUP, payload, sizeof(payload));
	nla->nla_len = NLA_HDRLEN + 8;
	m.nlh.nlmsg_len = rri_off(&m.nlh, nla) + NLA_HDRLEN + sizeof(payload);
	rri_expect_err(_metadata, self, "bytes after RRI_A_GROUP", &m.nlh, -EINVAL,
		       RRI_NL_LEFTOVER, -1);

	/* Two bytes after the name, inside the nest. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_DEL, "g");
	rri_nest_end(&m.nlh, nest);
	memcpy((char *)&m.nlh + m.nlh.nlmsg_len, payload, sizeof(payload));
	nest->nla_len += sizeof(payload);
	m.nlh.nlmsg_len += NLA_ALIGN(sizeof(payload));
	rri_expect_err(_metadata, self, "bytes after the name", &m.nlh, -EINVAL,
		       RRI_NL_LEFTOVER, -1);

	/* Two bytes after the address, inside the VIP. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_VIP);
	vip = rri_nest_start(&m.nlh, RRI_A_GROUP_VIP);
	rri_msg_put(&m.nlh, RRI_A_PREFIX_FAMILY, &family, sizeof(family));
	rri_msg_put(&m.nlh, RRI_A_PREFIX_ADDR, "\xc0\x00\x02\x01", 4);
	rri_nest_end(&m.nlh, vip);
	memcpy((char *)&m.nlh + m.nlh.nlmsg_len, payload, sizeof(payload));
	vip->nla_len += sizeof(payload);
	m.nlh.nlmsg_len += NLA_ALIGN(sizeof(payload));
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "bytes after the VIP's address", &m.nlh,
		       -EINVAL, RRI_NL_LEFTOVER, -1);
}

/*
 * A group's name, and a map's group, are 1 to 31 bytes of [A-Za-z0-9_.-]:
 * refused otherwise by every command, pointing at the name.
 */
TEST_F(genl, group_bad_names_einval)
{
	static const struct {
		const char *name;
		const char *msg;
	} names[] = {
		{ "", RRI_G_NAME_LEN },
		{ "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", RRI_G_NAME_LEN },
		{ "a b", RRI_G_NAME_CHARS },
		{ "a/b", RRI_G_NAME_CHARS },
		{ "caf\xc3\xa9", RRI_G_NAME_CHARS },
		{ "\xe9t\xe9", RRI_G_NAME_CHARS },
	};
	static const uint8_t cmds[] = {
		RRI_CMD_GROUP_ADD, RRI_CMD_GROUP_SET, RRI_CMD_GROUP_DEL,
		RRI_CMD_GROUP_GET,
	};
	struct nlattr *nest, *bad;
	union rri_msg m;
	size_t i, j;

	RRI_OWN_NETNS(self);
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		for (j = 0; j < ARRAY_SIZE(cmds); j++) {
			nest = rri_group_start(&m, self->family, cmds[j], NULL);
			bad = rri_next(&m.nlh);
			rri_msg_put_str(&m.nlh, RRI_A_GROUP_NAME, names[i].name);
			if (cmds[j] == RRI_CMD_GROUP_ADD)
				rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
			if (cmds[j] == RRI_CMD_GROUP_SET)
				rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
			rri_nest_end(&m.nlh, nest);
			TH_LOG("name %zu, command %u", i, cmds[j]);
			rri_expect_err(_metadata, self, "bad group name", &m.nlh, -EINVAL,
				       names[i].msg, rri_off(&m.nlh, bad));
		}
		/* The empty name is a map's way out of its group. */
		if (!names[i].name[0])
			continue;
		rri_map_msg(&m, self->family, RRI_CMD_MAP_ADD, "m", names[i].name, &bad);
		rri_expect_err(_metadata, self, "bad group name of a map", &m.nlh,
			       -EINVAL, names[i].msg, rri_off(&m.nlh, bad));
	}
}

/* A VIP is an address of AF_INET or AF_INET6, of its family's length. */
TEST_F(genl, group_vip_not_an_address)
{
	uint16_t inet = AF_INET, unspec = AF_UNSPEC;
	struct nlattr *nest, *vip, *bad;
	uint8_t len = 32;
	union rri_msg m;
	int i;

	RRI_OWN_NETNS(self);
	for (i = 0; i < 5; i++) {
		nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "g");
		rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_VIP);
		vip = rri_nest_start(&m.nlh, RRI_A_GROUP_VIP);
		bad = rri_next(&m.nlh);
		if (i != 3)
			rri_msg_put(&m.nlh, RRI_A_PREFIX_FAMILY, i == 1 ? &unspec : &inet,
				    sizeof(inet));
		if (i == 2)
			bad = rri_next(&m.nlh);
		if (i != 4)
			rri_msg_put(&m.nlh, RRI_A_PREFIX_ADDR,
				    "\xc0\x00\x02\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00",
				    i == 2 ? 16 : 4);
		if (!i) {
			bad = rri_next(&m.nlh);
			rri_msg_put(&m.nlh, RRI_A_PREFIX_LEN, &len, sizeof(len));
		}
		rri_nest_end(&m.nlh, vip);
		rri_nest_end(&m.nlh, nest);
		switch (i) {
		case 0:
			rri_expect_err(_metadata, self, "a VIP with a prefix length", &m.nlh,
				       -EINVAL, RRI_P_NOT_PREFIX, rri_off(&m.nlh, bad));
			break;
		case 1:
			rri_expect_err(_metadata, self, "a VIP of AF_UNSPEC", &m.nlh,
				       -EAFNOSUPPORT, RRI_P_FAMILY, rri_off(&m.nlh, bad));
			break;
		case 2:
			rri_expect_err(_metadata, self, "an AF_INET VIP of 16 bytes", &m.nlh,
				       -EINVAL, RRI_P_ADDR_LEN, rri_off(&m.nlh, bad));
			break;
		default:
			rri_expect_err(_metadata, self, "a VIP without family or address",
				       &m.nlh, -EINVAL, RRI_P_REQUIRED, rri_off(&m.nlh, vip));
			break;
		}
	}
}

/* A group dump takes no group: the dump ends at once, saying so. */
TEST_F(genl, group_dump_with_group_einval)
{
	struct nlattr *nest;
	struct rri_ack ack;
	union rri_msg m;

	RRI_OWN_NETNS(self);
	rri_group_add(_metadata, self, "g", NULL);
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_GET, "g");
	rri_nest_end(&m.nlh, nest);
	ASSERT_EQ(0, rri_xfer_flags(self->fd, &m.nlh, NLM_F_DUMP, &ack, NULL));
	TH_LOG("group dump with a group: %s errno %d, extack \"%s\"",
	       ack.done ? "NLMSG_DONE" : "NLMSG_ERROR", ack.error, ack.msg);
	ASSERT_EQ(-EINVAL, ack.error);
	ASSERT_STREQ(RRI_G_DUMP_NAMED, ack.msg);

	/* Without it, the dump has the group. */
	rri_msg_init(&m, self->family, RRI_CMD_GROUP_GET);
	ASSERT_EQ(0, rri_xfer_flags(self->fd, &m.nlh, NLM_F_DUMP, &ack, NULL));
	ASSERT_TRUE(ack.done);
	ASSERT_EQ(0, ack.error);
}

/*
 * Stateful failover's requests: a sync report needs its state, in range,
 * and may not carry what the module fills in; the hold has a ceiling and
 * is reported, like whether a group is held; a standby group is not
 * released; the SA dump is a dump of an existing group with a
 * replay-interval.
 */
TEST_F(genl, group_sync_requests_einval)
{
	struct nlattr *nest, *sync, *bad;
	struct rri_ack ack;
	uint64_t last = 1;
	union rri_msg m;

	RRI_OWN_NETNS(self);
	rri_group_add(_metadata, self, "g", NULL);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	sync = rri_nest_start(&m.nlh, RRI_A_GROUP_SYNC);
	rri_msg_put_u32(&m.nlh, RRI_A_SYNC_SAS, 1);
	rri_nest_end(&m.nlh, sync);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "a sync report without a state", &m.nlh, -EINVAL,
		       RRI_G_NO_SYNC_STATE, rri_off(&m.nlh, sync));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	sync = rri_nest_start(&m.nlh, RRI_A_GROUP_SYNC);
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_SYNC_STATE, RRI_SYNC_UP + 1);
	rri_nest_end(&m.nlh, sync);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "a sync state out of range", &m.nlh, -ERANGE,
		       RRI_NL_RANGE, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	sync = rri_nest_start(&m.nlh, RRI_A_GROUP_SYNC);
	rri_msg_put_u8(&m.nlh, RRI_A_SYNC_STATE, RRI_SYNC_UP);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_SYNC_LAST, &last, sizeof(last));
	rri_nest_end(&m.nlh, sync);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "a sync report with its time", &m.nlh, -EINVAL,
		       RRI_READ_ONLY, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_HOLD, RRI_GROUP_HOLD_MAX + 1);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "a hold past its ceiling", &m.nlh, -ERANGE,
		       RRI_NL_RANGE, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_HELD, NULL, 0);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "set with RRI_A_GROUP_HELD", &m.nlh, -EINVAL,
		       RRI_READ_ONLY, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_HOLD_EXPIRED, 0);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "set with RRI_A_GROUP_HOLD_EXPIRED", &m.nlh, -EINVAL,
		       RRI_READ_ONLY, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_RELEASE, NULL, 0);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "release a standby group", &m.nlh, -EINVAL,
		       RRI_G_STANDBY_RELEASE, rri_off(&m.nlh, bad));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "h");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	bad = rri_next(&m.nlh);
	rri_msg_put(&m.nlh, RRI_A_GROUP_RELEASE, NULL, 0);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "add with a release", &m.nlh, -EINVAL,
		       RRI_NOT_HERE, rri_off(&m.nlh, bad));

	/* The SA dump: only a dump, of a group, that has a replay-interval. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SA_GET, "g");
	rri_nest_end(&m.nlh, nest);
	ASSERT_EQ(0, rri_xfer(self->fd, &m.nlh, &ack, NULL));
	ASSERT_EQ(-EOPNOTSUPP, ack.error);

	rri_msg_init(&m, self->family, RRI_CMD_GROUP_SA_GET);
	ASSERT_EQ(0, rri_xfer_flags(self->fd, &m.nlh, NLM_F_DUMP, &ack, NULL));
	ASSERT_EQ(-EINVAL, ack.error);
	ASSERT_STREQ(RRI_G_MISSING, ack.msg);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SA_GET, "nosuch");
	rri_nest_end(&m.nlh, nest);
	ASSERT_EQ(0, rri_xfer_flags(self->fd, &m.nlh, NLM_F_DUMP, &ack, NULL));
	ASSERT_EQ(-ENOENT, ack.error);
	ASSERT_STREQ(RRI_G_NO_SUCH, ack.msg);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SA_GET, "g");
	rri_nest_end(&m.nlh, nest);
	ASSERT_EQ(0, rri_xfer_flags(self->fd, &m.nlh, NLM_F_DUMP, &ack, NULL));
	ASSERT_EQ(-EINVAL, ack.error);
	ASSERT_STREQ(RRI_G_NO_REPLAY, ack.msg);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SA_GET, "g");
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	rri_nest_end(&m.nlh, nest);
	ASSERT_EQ(0, rri_xfer_flags(self->fd, &m.nlh, NLM_F_DUMP, &ack, NULL));
	ASSERT_EQ(-EINVAL, ack.error);
	ASSERT_STREQ(RRI_NOT_HERE, ack.msg);
}

/*
 * A refused group request changes nothing: not the role, not the
 * replay-interval, not which groups exist or which map is in which; and
 * a map request refused for its group leaves the map as it was. The same
 * requests without the fault then do what they say.
 */
TEST_F(genl, refused_group_requests_change_nothing)
{
	struct rri_group_info gi;
	char group[RRI_GROUP_NAME_MAX];
	struct nlattr *nest, *bad;
	union rri_msg m;

	RRI_OWN_NETNS(self);
	rri_group_add(_metadata, self, "keep", NULL);
	rri_group_add(_metadata, self, "vipg", "\xc0\x00\x02\x01");

	/* A manual group's role, with something wrong beside it. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "keep");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_REPLAY_INBOUND, 7);
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "role and a kind", &m.nlh, -EINVAL,
		       RRI_G_KIND_STAYS, rri_off(&m.nlh, bad));
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "keep");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_REPLAY_INBOUND, 7);
	bad = rri_next(&m.nlh);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_REPLAY_OUTBOUND, 7);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "role and an outbound out of range", &m.nlh,
		       -ERANGE, RRI_NL_RANGE, rri_off(&m.nlh, bad));
	ASSERT_EQ(0, rri_group_get(_metadata, self, "keep", &gi));
	ASSERT_EQ(RRI_GROUP_MANUAL, gi.kind);
	ASSERT_EQ(RRI_ROLE_STANDBY, gi.role);
	ASSERT_EQ(0U, gi.transitions);
	ASSERT_FALSE(gi.replay);

	/* A vip group's role: refused, its replay-interval not applied. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "vipg");
	rri_msg_put(&m.nlh, RRI_A_GROUP_REPLAY, NULL, 0);
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "a vip group's role", &m.nlh, -EINVAL,
		       RRI_G_VIP_ROLE, rri_off(&m.nlh, bad));
	ASSERT_EQ(0, rri_group_get(_metadata, self, "vipg", &gi));
	ASSERT_EQ(RRI_GROUP_VIP, gi.kind);
	ASSERT_EQ(RRI_ROLE_STANDBY, gi.role);
	ASSERT_EQ(0U, gi.transitions);
	ASSERT_FALSE(gi.replay);

	/* Deletion with a stray attribute; an add that is wrong, or a repeat. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_DEL, "keep");
	bad = rri_next(&m.nlh);
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_STANDBY);
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "del with a role", &m.nlh, -EINVAL,
		       RRI_NOT_HERE, rri_off(&m.nlh, bad));
	ASSERT_EQ(0, rri_group_get(_metadata, self, "keep", &gi));

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "new");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	rri_msg_put(&m.nlh, RRI_A_GROUP_REPLAY, NULL, 0);
	bad = rri_put_vip4(&m.nlh, "\xc0\x00\x02\x01");
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "a manual group with an address", &m.nlh,
		       -EINVAL, RRI_G_MANUAL_VIP, rri_off(&m.nlh, bad));
	ASSERT_EQ(-ENOENT, rri_group_get(_metadata, self, "new", &gi));
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_GET, "new");
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "get of a group that is not there", &m.nlh,
		       -ENOENT, RRI_G_NO_SUCH, RRI_ATTR_OFFS + NLA_HDRLEN);

	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_ADD, "keep");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_KIND, RRI_GROUP_VIP);
	rri_put_vip4(&m.nlh, "\xc0\x00\x02\x02");
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "add of a name that exists", &m.nlh, -EEXIST,
		       RRI_G_EXISTS, RRI_ATTR_OFFS + NLA_HDRLEN);
	ASSERT_EQ(0, rri_group_get(_metadata, self, "keep", &gi));
	ASSERT_EQ(RRI_GROUP_MANUAL, gi.kind);

	/* A map into a group that does not exist: neither added nor moved. */
	rri_map_msg(&m, self->family, RRI_CMD_MAP_ADD, "m", "nosuch", &bad);
	rri_expect_err(_metadata, self, "map add into no group", &m.nlh, -ENOENT,
		       RRI_G_NO_SUCH, rri_off(&m.nlh, bad));
	ASSERT_EQ(-ENOENT, rri_map_group(self, "m", group));
	rri_map_msg(&m, self->family, RRI_CMD_MAP_ADD, "m", "keep", &bad);
	rri_expect_ok(_metadata, self, "map add into keep", &m.nlh);
	rri_map_msg(&m, self->family, RRI_CMD_MAP_SET, "m", "nosuch", &bad);
	rri_expect_err(_metadata, self, "map set into no group", &m.nlh, -ENOENT,
		       RRI_G_NO_SUCH, rri_off(&m.nlh, bad));
	ASSERT_EQ(0, rri_map_group(self, "m", group));
	ASSERT_STREQ("keep", group);
	rri_map_msg(&m, self->family, RRI_CMD_MAP_SET, "m", "a b", &bad);
	rri_expect_err(_metadata, self, "map set into a bad name", &m.nlh, -EINVAL,
		       RRI_G_NAME_CHARS, rri_off(&m.nlh, bad));
	ASSERT_EQ(0, rri_map_group(self, "m", group));
	ASSERT_STREQ("keep", group);

	/* A group a map is in stays. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_DEL, "keep");
	rri_nest_end(&m.nlh, nest);
	rri_expect_err(_metadata, self, "del of a group in use", &m.nlh, -EBUSY,
		       RRI_G_BUSY, RRI_ATTR_OFFS + NLA_HDRLEN);
	ASSERT_EQ(0, rri_group_get(_metadata, self, "keep", &gi));
	ASSERT_EQ(1U, gi.maps);

	/* Without the faults: the role, the replay-interval, out, gone. */
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_SET, "keep");
	rri_msg_put_u8(&m.nlh, RRI_A_GROUP_ROLE, RRI_ROLE_ACTIVE);
	rri_msg_put_u32(&m.nlh, RRI_A_GROUP_REPLAY_INBOUND, 7);
	rri_nest_end(&m.nlh, nest);
	rri_expect_ok(_metadata, self, "set keep active", &m.nlh);
	ASSERT_EQ(0, rri_group_get(_metadata, self, "keep", &gi));
	ASSERT_EQ(RRI_ROLE_ACTIVE, gi.role);
	ASSERT_EQ(1U, gi.transitions);
	ASSERT_TRUE(gi.replay);
	ASSERT_EQ(7U, gi.replay_in);
	ASSERT_EQ((uint32_t)RRI_REPLAY_OUTBOUND_DEFAULT, gi.replay_out);
	rri_map_msg(&m, self->family, RRI_CMD_MAP_SET, "m", "", &bad);
	rri_expect_ok(_metadata, self, "map out of its group", &m.nlh);
	ASSERT_EQ(0, rri_map_group(self, "m", group));
	ASSERT_STREQ("", group);
	nest = rri_group_start(&m, self->family, RRI_CMD_GROUP_DEL, "keep");
	rri_nest_end(&m.nlh, nest);
	rri_expect_ok(_metadata, self, "del keep", &m.nlh);
	ASSERT_EQ(-ENOENT, rri_group_get(_metadata, self, "keep", &gi));
}

/* xorshift64*: small, and the same sequence with every C library. */
static uint64_t rri_rand(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545f4914f6cdd1dULL;
}

static void rri_fuzz_msg(union rri_msg *m, uint16_t family, uint64_t *rs)
{
	uint8_t payload[RRI_FUZZ_MAX_PAYLOAD];
	unsigned int i, j, nattrs;
	struct genlmsghdr *genl;
	struct nlattr *nla;
	uint16_t type, len;
	uint8_t cmd;

	/*
	 * Any command number, but half of the time one the family has, so
	 * that most messages get past genetlink to the family's policy.
	 */
	if (rri_rand(rs) & 1)
		cmd = RRI_CMD_VERSION_GET + rri_rand(rs) % RRI_CMD_MAX;
	else
		cmd = rri_rand(rs);
	rri_msg_init(m, family, cmd);
	genl = NLMSG_DATA(&m->nlh);
	genl->version = rri_rand(rs);
	if (!(rri_rand(rs) % 8))
		genl->reserved = rri_rand(rs);

	nattrs = rri_rand(rs) % (RRI_FUZZ_MAX_ATTRS + 1);
	for (i = 0; i < nattrs; i++) {
		len = rri_rand(rs) % (sizeof(payload) + 1);
		for (j = 0; j < len; j++)
			payload[j] = rri_rand(rs);
		/* Half known types, with or without NLA_F_NESTED. */
		if (rri_rand(rs) & 1)
			type = (rri_rand(rs) % (RRI_A_MAX + 2)) |
			       (rri_rand(rs) & NLA_F_NESTED);
		else
			type = rri_rand(rs);
		nla = rri_msg_put(&m->nlh, type, payload, len);
		/* A quarter of the attributes lie about their length. */
		if (!(rri_rand(rs) % 4))
			nla->nla_len = rri_rand(rs);
	}

	/*
	 * Sometimes cut the message anywhere after the netlink header, into
	 * the generic header too. nlmsg_len always matches what is sent: a
	 * message longer than the datagram is dropped by netlink without an
	 * answer, which is not the family's doing.
	 */
	if (!(rri_rand(rs) % 4))
		m->nlh.nlmsg_len = NLMSG_HDRLEN + rri_rand(rs) %
				   (m->nlh.nlmsg_len - NLMSG_HDRLEN + 1);
}

TEST_F(genl, random_corruption_always_answered)
{
	unsigned int count[4096] = {};
	uint64_t rs = RRI_FUZZ_SEED;
	struct rri_ack ack;
	union rri_msg m;
	int i, ret;

	/* Well-formed STATS_RESETs come up: keep them away from our caller. */
	ret = rri_private_netns(self);
	if (ret == -EPERM)
		TH_LOG("not root: fuzzing in the caller's namespace, where STATS_RESET is refused");
	else
		ASSERT_EQ(0, ret);

	TH_LOG("seed %#llx, %d messages", (unsigned long long)RRI_FUZZ_SEED,
	       RRI_FUZZ_ROUNDS);
	for (i = 0; i < RRI_FUZZ_ROUNDS; i++) {
		rri_fuzz_msg(&m, self->family, &rs);
		ret = rri_xfer(self->fd, &m.nlh, &ack, NULL);
		if (ret || ack.error > 0 || ack.error <= -4096)
			TH_LOG("message %d (%u bytes): exchange: %s, error %d",
			       i, m.nlh.nlmsg_len, strerror(-ret), ack.error);
		ASSERT_EQ(0, ret);
		ASSERT_GE(0, ack.error);
		ASSERT_LT(-4096, ack.error);
		count[-ack.error]++;
	}
	for (i = 0; i < 4096; i++)
		if (count[i])
			TH_LOG("%4u x %s", count[i], i ? strerror(i) : "success");

	ASSERT_TRUE(rri_healthy(_metadata, self));
}

/* Last: everything above ran, and the module still answers in full. */
TEST_F(genl, healthy_after_all)
{
	uint64_t stats[RRI_A_STATS_MAX + 1];
	char version[64];

	ASSERT_TRUE(rri_version_get(_metadata, self, version, sizeof(version)));
	ASSERT_TRUE(rri_stats_get(_metadata, self, stats));
	TH_LOG("rri %s, %d counters", version, RRI_NUM_STATS);
}

TEST_HARNESS_MAIN
