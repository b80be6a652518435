// SPDX-License-Identifier: GPL-2.0
/*
 * Malformed generic netlink requests to the "rri" family.
 *
 * The family validates strictly (include/uapi/linux/rri.h): no command takes
 * an attribute, and whatever is sent is refused with -EINVAL and an extended
 * ACK message. This test builds broken requests byte by byte on a raw
 * NETLINK_GENERIC socket (a netlink library would refuse to produce most of
 * them), checks the errno and the extack message the kernel answers with,
 * and that the module still serves well-formed requests afterwards.
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
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if absent */
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
static int rri_parse_ack(const struct nlmsghdr *nlh, struct rri_ack *ack)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	const struct nlattr *nla;
	uint32_t off, echo;
	size_t len;
	int rem;

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

	rri_for_each_attr(nla, (const void *)((const char *)nlh + off),
			  (int)(nlh->nlmsg_len - off), rem) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			len = nla->nla_len - NLA_HDRLEN;
			if (len > sizeof(ack->msg) - 1)
				len = sizeof(ack->msg) - 1;
			len = strnlen(rri_nla_data(nla), len);
			memcpy(ack->msg, rri_nla_data(nla), len);
			ack->msg[len] = '\0';
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla->nla_len != NLA_HDRLEN + sizeof(uint32_t))
				return -EBADMSG;
			memcpy(&ack->offs, rri_nla_data(nla), sizeof(ack->offs));
			break;
		}
	}
	return rem ? -EBADMSG : 0;
}

/*
 * Send the nlmsg_len bytes at @req as one request with NLM_F_REQUEST |
 * NLM_F_ACK and a fresh sequence number, and read until the NLMSG_ERROR
 * for that number. A data message answering the request is copied to
 * @reply (nlmsg_len stays 0 if none came). Returns 0 with @ack filled in,
 * or a negative errno if the exchange itself failed: socket error, no
 * answer within RRI_RCV_TIMEOUT_S (-EAGAIN), malformed answer.
 */
static int rri_xfer(int fd, struct nlmsghdr *req, struct rri_ack *ack,
		    union rri_msg *reply)
{
	uint32_t seq = ++rri_seq;
	struct nlmsghdr *nlh;
	union rri_msg buf;
	ssize_t n;
	int len;

	memset(ack, 0, sizeof(*ack));
	ack->offs = -1;
	if (reply)
		reply->nlh.nlmsg_len = 0;

	req->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
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
			if (reply)
				memcpy(reply, nlh, nlh->nlmsg_len);
		}
	}
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
