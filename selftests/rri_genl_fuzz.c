// SPDX-License-Identifier: GPL-2.0
/*
 * A structure-aware fuzzer for the generic netlink family "rri".
 *
 * Every message starts as a valid request of one of the family's commands
 * (RRI_CMD_VERSION_GET .. RRI_CMD_GROUP_GET), with valid netlink flags
 * (NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP in any mix) and a valid attribute set
 * for it: a whole RRI_A_MAP nest with name, match keys, nested RRI_A_PREFIX
 * nests, mode, next hop, gateway, table or VRF, metric, tag, protocol, an
 * nla_bitfield32 RRI_A_MAP_FLAGS and an HA group (RRI_A_MAP_GROUP: an
 * existing one, one that never exists, or the empty name) for
 * RRI_CMD_MAP_ADD, any subset of them for RRI_CMD_MAP_SET, the name alone
 * where only that is taken; an RRI_A_GROUP nest with name, kind, the VIP
 * (an RRI_A_PREFIX address) of a vip group and replay-interval (flag,
 * inbound and outbound thresholds at and within their bounds) for
 * RRI_CMD_GROUP_ADD, a role and/or replay-interval for RRI_CMD_GROUP_SET,
 * the group's name alone for RRI_CMD_GROUP_DEL and _GET. A quarter of
 * the messages are sent like that; each of the others gets exactly one
 * mutation: a length, a type, a value at a boundary (a threshold just
 * outside its range, a kind that does not fit the VIP), a nest turned flat
 * or hoisted a level up, an extra level of nesting, a truncation at a
 * random byte, a duplicated or dropped attribute, an attribute the command
 * does not take (the other family of commands' nest, a read-only count, a
 * role where a group is added, a kind where it is set), a bit of the
 * bitfield outside RRI_MAP_F_ALL, a reserved nlmsg_flags bit, or a broken
 * generic netlink header.
 *
 * Messages go out in batches (up to RRI_FZ_BATCH in one send(), then a
 * VERSION_GET with NLM_F_ACK as a marker) and the answers are matched to
 * them by sequence number. Each must be answered: an ACK or an error, a
 * reply, or a dump's NLMSG_DONE, within RRI_FZ_RCV_TIMEOUT_S (only a
 * request that takes no reply, sent without NLM_F_ACK, may stay silent,
 * which means it succeeded). The answer is judged against what the
 * message is: what the netlink and genetlink cores refuse on their own
 * (short header, reserved bits, unknown command, missing permission) with
 * their exact errno; a mutation that breaks the contract of
 * include/uapi/linux/rri.h must be refused; an unmutated request may only
 * fail as the module's state allows (EEXIST, ENOENT for a map or a group,
 * pointing at the name that is missing, EBUSY for a second dump or for
 * deleting a group a map is in, EINVAL for the role of a vip group); every
 * refusal by the family says why in the extended ACK (a message, or the
 * missing attribute's type) and points inside the request. The fuzzer
 * tracks which maps and groups exist and which maps are in which group, as
 * far as the answers tell. At the end of a phase the maps and groups agree:
 * every map's group exists, a group counts the maps that name it, and a
 * group on standby has no route in the FIB.
 *
 * Phases (one test each): as root in the current network namespace (a
 * private one if that is the initial namespace); without CAP_NET_ADMIN,
 * then as nobody, where every command but VERSION_GET must fail with EPERM;
 * in a fresh user and network namespace, where CAP_NET_ADMIN over that
 * namespace is enough, while sockets it brought along (one of the
 * namespace it came from, one of the namespace $RRI_FUZZ_CONTROL_NETNS
 * names, opened as root) still get EPERM. The environment sets the size:
 * RRI_FUZZ_COUNT messages in all (default 100000; the root phase sends 80
 * percent of them, the two others 10 percent each), RRI_FUZZ_SEED the
 * seed (printed, for a rerun).
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <pwd.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/rri.h>

#include "kselftest_harness.h"
#include "rri_nl.h"

#define RRI_FZ_DEFAULT_COUNT	100000
/* Largest message we build: a full map nest, duplicated, stays far below. */
#define RRI_FZ_MSG_MAX		2048
#define RRI_FZ_MAX_ATTRS	64
/*
 * Messages per send(). Every answer of a batch is queued before we read
 * any, so the batch must fit the receive buffer an unprivileged socket
 * gets (2 * rmem_max, 416 KiB by default): errors echo their request.
 */
#define RRI_FZ_BATCH		32
#define RRI_FZ_RCVBUF		(1 << 20)
#define RRI_FZ_RCV_TIMEOUT_S	5
/* Names: 0-15 IPv4 maps, 16-31 IPv6, 32-47 no family, 48-63 mutants. */
#define RRI_FZ_POOL		64
#define RRI_FZ_POOL_VALID	48
/*
 * HA group names: 0-3 vip groups of an IPv4 VIP, 4-7 of an IPv6 one, 8-15
 * manual groups. Like the maps', they and the accepted boundary names
 * stay below RRI_GROUPS_MAX, so ENOSPC never comes up.
 */
#define RRI_FZ_GPOOL		16
#define RRI_FZ_GPOOL_VIP	8
#define RRI_FZ_GROUPS_BOUND	(RRI_FZ_GPOOL + (int)ARRAY_SIZE(rri_fz_names))
/* RRI_A_MAP_GROUP names no group ever has: "nogrp-0" .. */
#define RRI_FZ_NEVER		4
/*
 * Maps the fuzzer can leave behind: its pool, the boundary values of
 * RRI_A_MAP_NAME (rri_fz_names) the module accepts, and the names of
 * RRI_A_MAP_GROUP, which a mutation of the type can make a map's name.
 */
#define RRI_FZ_MAPS_BOUND	(RRI_FZ_POOL + (int)ARRAY_SIZE(rri_fz_names) + \
				 RRI_FZ_GPOOL + RRI_FZ_NEVER)
#define RRI_FZ_LOG_FAILURES	16
#define RRI_FZ_NUM_STATS	(RRI_A_STATS_MAX - RRI_A_STATS_SA_ADD + 1)
#define RRI_FZ_ATTR_OFFS	((int)(NLMSG_HDRLEN + GENL_HDRLEN))

/* Netlink answers the kernel may give, by negated errno. */
#define RRI_FZ_ERRNO_MAX	4096

static const struct {
	const char *name;
	bool doit, dumpit, reply;
} rri_fz_cmd[RRI_CMD_MAX + 1] = {
	[RRI_CMD_VERSION_GET]	= { "VERSION_GET", true, false, true },
	[RRI_CMD_STATS_GET]	= { "STATS_GET", true, false, true },
	[RRI_CMD_STATS_RESET]	= { "STATS_RESET", true, false, false },
	[RRI_CMD_MAP_ADD]	= { "MAP_ADD", true, false, false },
	[RRI_CMD_MAP_SET]	= { "MAP_SET", true, false, false },
	[RRI_CMD_MAP_DEL]	= { "MAP_DEL", true, false, false },
	[RRI_CMD_MAP_GET]	= { "MAP_GET", true, true, true },
	[RRI_CMD_ROUTE_GET]	= { "ROUTE_GET", false, true, true },
	/* Only sent by the module, on its event group: no operation. */
	[RRI_CMD_EVENT]		= { "EVENT", false, false, false },
	[RRI_CMD_GROUP_ADD]	= { "GROUP_ADD", true, false, false },
	[RRI_CMD_GROUP_SET]	= { "GROUP_SET", true, false, false },
	[RRI_CMD_GROUP_DEL]	= { "GROUP_DEL", true, false, false },
	[RRI_CMD_GROUP_GET]	= { "GROUP_GET", true, true, true },
};

static bool rri_fz_group_cmd(uint8_t cmd)
{
	return cmd >= RRI_CMD_GROUP_ADD && cmd <= RRI_CMD_GROUP_GET;
}

/* The nest a command takes: RRI_A_GROUP for a group's, else RRI_A_MAP. */
static uint16_t rri_fz_cmd_nest(uint8_t cmd)
{
	return rri_fz_group_cmd(cmd) ? RRI_A_GROUP : RRI_A_MAP;
}

/*
 * Since 6.2 (split operations) genetlink looks up the do or dump operation
 * before it checks permissions; before, it checked permissions on the
 * command first. Set from uname() in main().
 */
static bool rri_fz_split_ops;

/* The policy an attribute is checked against: which enum its type is of. */
enum rri_fz_space {
	RRI_FZ_TOP,		/* enum rri_attr */
	RRI_FZ_MAP,		/* enum rri_map_attr */
	RRI_FZ_PREFIX,		/* enum rri_prefix_attr */
	RRI_FZ_GROUP,		/* enum rri_group_attr */
};

static const int rri_fz_space_max[] = {
	[RRI_FZ_TOP] = RRI_A_MAX,
	[RRI_FZ_MAP] = RRI_A_MAP_MAX,
	[RRI_FZ_PREFIX] = RRI_A_PREFIX_MAX,
	[RRI_FZ_GROUP] = RRI_A_GROUP_MAX,
};

enum rri_fz_kind {
	RRI_FZ_NEST,
	RRI_FZ_U8,
	RRI_FZ_U16,
	RRI_FZ_U32,
	RRI_FZ_STR,
	RRI_FZ_BIN,
	RRI_FZ_FLAG,
	RRI_FZ_BF32,
};

enum rri_fz_mut {
	RRI_FZ_M_NONE,
	RRI_FZ_M_LEN,
	RRI_FZ_M_TYPE,
	RRI_FZ_M_VALUE,
	RRI_FZ_M_FLAT,
	RRI_FZ_M_HOIST,
	RRI_FZ_M_WRAP,
	RRI_FZ_M_TRUNC,
	RRI_FZ_M_DUP,
	RRI_FZ_M_DROP,
	RRI_FZ_M_EXTRA,
	RRI_FZ_M_BITFIELD,
	RRI_FZ_M_NLFLAGS,
	RRI_FZ_M_GENLHDR,
	RRI_FZ_M_NUM,
};

static const char *const rri_fz_mut_name[RRI_FZ_M_NUM] = {
	"none", "length", "type", "value", "nest-flat", "nest-hoist",
	"extra-nest", "truncate", "duplicate", "drop", "extra-attr",
	"bitfield", "nlmsg-flags", "genl-header",
};

struct rri_fz_attr {
	int off;		/* of its header, from the start of the message */
	int parent;		/* index of the enclosing nest, -1 at the top */
	uint16_t type;
	uint8_t kind;
	uint8_t space;
	bool gateway;		/* a prefix nest that is an address */
};

struct rri_fz_msg {
	union {
		struct nlmsghdr nlh;
		char buf[RRI_FZ_MSG_MAX];
	} u;
	struct rri_fz_attr attr[RRI_FZ_MAX_ATTRS];
	int nattr;
	int open[4];		/* nests being built */
	int nopen;
	uint8_t cmd;
	/*
	 * Pool index the request is about, -1 if none: of a map, or for the
	 * group commands of a group.
	 */
	int name;
	int family;		/* of the map's prefixes or the VIP, 0 if none */
	int nexthop;		/* RRI_A_MAP_NEXTHOP given, 0 if none */
	int mgroup;		/* RRI_A_MAP_GROUP: a group's pool index or RRI_FZ_MG_* */
	bool role;		/* RRI_A_GROUP_ROLE given */
	int mut;
	char what[112];		/* the mutation, for the log */
	bool must_fail;		/* the contract refuses the mutated message */
	bool after_dump;	/* an earlier message of the batch may dump */
};

/* What came back for one request. */
struct rri_fz_ans {
	int error;		/* of NLMSG_ERROR or NLMSG_DONE */
	bool acked;		/* NLMSG_ERROR seen */
	bool done;		/* NLMSG_DONE seen */
	int nreplies;
	bool bad;		/* an answer that does not parse */
	char bad_why[96];
	bool has_msg;
	bool has_miss;		/* NLMSGERR_ATTR_MISS_TYPE */
	int offs;		/* NLMSGERR_ATTR_OFFS, -1 if none */
	char msg[160];
	char reply_name[RRI_MAP_NAME_MAX + 1];
};

enum rri_fz_known { RRI_FZ_UNKNOWN, RRI_FZ_ABSENT, RRI_FZ_PRESENT };

/* What RRI_A_MAP_GROUP of a map request holds, if not a pool group. */
enum {
	RRI_FZ_MG_NONE = -1,	/* not given */
	RRI_FZ_MG_EMPTY = -2,	/* "": out of its group */
	RRI_FZ_MG_NEVER = -3,	/* a name no group ever has */
	RRI_FZ_MG_OTHER = -4,	/* mutated: some name outside the pool */
};

struct rri_fz_name {
	uint8_t known;
	/* Changed by an accepted mutated message: its settings may be odd. */
	bool tainted;
};

/*
 * A group of the pool: whether it exists, and which maps of the map pool
 * are in it: surely (@users), perhaps (@maybe, a superset), and whether a
 * map outside the pool may be (@stray). A group added anew is empty.
 */
struct rri_fz_group {
	uint8_t known;
	/* Added by an accepted mutated message: it may be of another kind. */
	bool tainted;
	bool stray;
	uint64_t users, maybe;
};

/* A socket the fuzzer sends on, and what its sender may do there. */
struct rri_fz_sock {
	int fd;
	uint16_t family;
	bool privileged;	/* CAP_NET_ADMIN over the socket's namespace */
	const char *label;
};

struct rri_fz_stats {
	unsigned long sent, batches, failures, silent, dumps;
	unsigned long by_errno[RRI_FZ_ERRNO_MAX];
	unsigned long by_cmd[RRI_CMD_MAX + 2];
	unsigned long ok_by_cmd[RRI_CMD_MAX + 2];	/* answered with success */
	unsigned long mut_sent[RRI_FZ_M_NUM], mut_refused[RRI_FZ_M_NUM];
	unsigned long no_extack_core;	/* core refusals, which give none */
	unsigned long dup_accepted;
	unsigned long miss_only;	/* refused with the missing type only */
	unsigned long logged[16];
	/* Failures by kind, command (RRI_CMD_MAX + 1: unknown), mutation. */
	unsigned long failed[16][RRI_CMD_MAX + 2][RRI_FZ_M_NUM];
};

/* One phase of fuzzing: its generator, sockets and bookkeeping. */
struct rri_fz {
	struct __test_metadata *_metadata;
	const char *phase;
	uint64_t rs;
	uint32_t seq;
	unsigned int oif[3];		/* devices of the namespace */
	int noif;
	unsigned int vrf;		/* a VRF of the namespace, 0 if none */
	struct rri_fz_name names[RRI_FZ_POOL];
	struct rri_fz_group groups[RRI_FZ_GPOOL];
	struct rri_fz_stats st;
	struct rri_fz_msg *batch;
	struct rri_fz_ans *ans;
	char *sbuf, *rbuf;
	bool hung;
	/* Failures already logged, by a hash of what they were. */
	uint64_t seen[256];
	int nseen;
	/* Where rri_fz_xfer() copies the replies' payloads, if set. */
	char *cap;
	size_t caplen, capmax;
	/* Called by rri_fz_xfer() with every reply of the family, if set. */
	void (*hook)(struct rri_fz *fz, const struct nlmsghdr *nlh);
	void *hook_arg;
};

static void rri_fz_log(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static void rri_fz_log(const char *fmt, ...)
{
	char line[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "# %s\n", line);
}

/* xorshift64*: small, and the same sequence with every C library. */
static uint64_t rri_fz_rand(struct rri_fz *fz)
{
	fz->rs ^= fz->rs >> 12;
	fz->rs ^= fz->rs << 25;
	fz->rs ^= fz->rs >> 27;
	return fz->rs * 0x2545f4914f6cdd1dULL;
}

static uint32_t rri_fz_below(struct rri_fz *fz, uint32_t n)
{
	return (rri_fz_rand(fz) >> 32) % n;
}

static bool rri_fz_chance(struct rri_fz *fz, uint32_t num, uint32_t den)
{
	return rri_fz_below(fz, den) < num;
}

#define rri_fz_pick(fz, arr) ((arr)[rri_fz_below(fz, ARRAY_SIZE(arr))])

/* --- sockets ----------------------------------------------------------- */

/* Look up the id of the "rri" family: -ENOENT if it is not registered. */
static int rri_fz_resolve(int fd, uint16_t *family)
{
	struct {
		struct nlmsghdr nlh;
		struct genlmsghdr genl;
		struct nlattr nla;
		char name[NLA_ALIGN(sizeof(RRI_GENL_NAME))];
	} req = {
		.nlh = {
			.nlmsg_len = sizeof(req),
			.nlmsg_type = GENL_ID_CTRL,
			.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
			.nlmsg_seq = 1,
		},
		.genl = { .cmd = CTRL_CMD_GETFAMILY, .version = 1 },
		.nla = {
			.nla_len = NLA_HDRLEN + sizeof(RRI_GENL_NAME),
			.nla_type = CTRL_ATTR_FAMILY_NAME,
		},
		.name = RRI_GENL_NAME,
	};
	const struct nlattr *nla;
	static char buf[16384];
	struct nlmsghdr *nlh;
	bool found = false;
	int len, rem;
	ssize_t n;

	if (send(fd, &req, sizeof(req), 0) != sizeof(req))
		return -errno;
	for (;;) {
		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0)
			return -errno;
		len = n;
		for (nlh = (void *)buf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			if (nlh->nlmsg_seq != 1)
				continue;
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *err = NLMSG_DATA(nlh);

				if (err->error)
					return err->error;
				return found ? 0 : -EBADMSG;
			}
			if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
				continue;
			rri_for_each_attr(nla, (const void *)((char *)NLMSG_DATA(nlh) + GENL_HDRLEN),
					  (int)(nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN)), rem) {
				if (nla->nla_type == CTRL_ATTR_FAMILY_ID &&
				    nla->nla_len == NLA_HDRLEN + sizeof(*family)) {
					memcpy(family, rri_nla_data(nla), sizeof(*family));
					found = true;
				}
			}
		}
	}
}

static int rri_fz_open(struct rri_fz_sock *s, bool privileged,
		       const char *label)
{
	int ret;

	s->fd = rri_nl_socket(NETLINK_GENERIC, RRI_FZ_RCVBUF, RRI_FZ_RCV_TIMEOUT_S);
	if (s->fd < 0)
		return s->fd;
	ret = rri_fz_resolve(s->fd, &s->family);
	if (ret) {
		close(s->fd);
		s->fd = -1;
		return ret;
	}
	s->privileged = privileged;
	s->label = label;
	return 0;
}

/* --- building messages ------------------------------------------------- */

static struct nlattr *rri_fz_nla(struct rri_fz_msg *m, int i)
{
	return (struct nlattr *)(m->u.buf + m->attr[i].off);
}

static void rri_fz_init(struct rri_fz_msg *m, uint16_t family, uint8_t cmd,
			uint16_t flags)
{
	struct genlmsghdr *genl;

	memset(&m->u.buf, 0, RRI_FZ_ATTR_OFFS);
	m->u.nlh.nlmsg_len = RRI_FZ_ATTR_OFFS;
	m->u.nlh.nlmsg_type = family;
	m->u.nlh.nlmsg_flags = flags;
	genl = NLMSG_DATA(&m->u.nlh);
	genl->cmd = cmd;
	genl->version = RRI_GENL_VERSION;
	m->nattr = 0;
	m->nopen = 0;
	m->cmd = cmd;
	m->name = -1;
	m->family = 0;
	m->nexthop = 0;
	m->mgroup = RRI_FZ_MG_NONE;
	m->role = false;
	m->mut = RRI_FZ_M_NONE;
	m->what[0] = '\0';
	m->must_fail = false;
	m->after_dump = false;
}

/* Append an attribute to the nest being built (or the top level). */
static int rri_fz_put(struct rri_fz_msg *m, uint16_t type, int kind,
		      int space, const void *data, int len)
{
	int off = NLMSG_ALIGN(m->u.nlh.nlmsg_len);
	struct rri_fz_attr *a = &m->attr[m->nattr];
	struct nlattr *nla = (struct nlattr *)(m->u.buf + off);

	if (m->nattr == RRI_FZ_MAX_ATTRS ||
	    off + NLA_HDRLEN + NLA_ALIGN(len) > RRI_FZ_MSG_MAX)
		abort();
	nla->nla_type = type | (kind == RRI_FZ_NEST ? NLA_F_NESTED : 0);
	nla->nla_len = NLA_HDRLEN + len;
	if (len)
		memcpy(nla + 1, data, len);
	memset((char *)(nla + 1) + len, 0, NLA_ALIGN(len) - len);
	m->u.nlh.nlmsg_len = off + NLA_HDRLEN + NLA_ALIGN(len);

	a->off = off;
	a->parent = m->nopen ? m->open[m->nopen - 1] : -1;
	a->type = type;
	a->kind = kind;
	a->space = space;
	a->gateway = false;
	return m->nattr++;
}

static void rri_fz_put_u8(struct rri_fz_msg *m, uint16_t type, int space, uint8_t v)
{
	rri_fz_put(m, type, RRI_FZ_U8, space, &v, sizeof(v));
}

static void rri_fz_put_u16(struct rri_fz_msg *m, uint16_t type, int space, uint16_t v)
{
	rri_fz_put(m, type, RRI_FZ_U16, space, &v, sizeof(v));
}

static void rri_fz_put_u32(struct rri_fz_msg *m, uint16_t type, int space, uint32_t v)
{
	rri_fz_put(m, type, RRI_FZ_U32, space, &v, sizeof(v));
}

static void rri_fz_put_str(struct rri_fz_msg *m, uint16_t type, int space, const char *s)
{
	rri_fz_put(m, type, RRI_FZ_STR, space, s, strlen(s) + 1);
}

static int rri_fz_nest_start(struct rri_fz_msg *m, uint16_t type, int space)
{
	int i = rri_fz_put(m, type, RRI_FZ_NEST, space, NULL, 0);

	m->open[m->nopen++] = i;
	return i;
}

static void rri_fz_nest_end(struct rri_fz_msg *m)
{
	int i = m->open[--m->nopen];

	rri_fz_nla(m, i)->nla_len = m->u.nlh.nlmsg_len - m->attr[i].off;
}

/*
 * Replace @del bytes at @off with @ins_len bytes (both multiples of 4;
 * @ins NULL for zeros): the message, the nest @parent and every nest above
 * it grow or shrink with it. Later attributes' offsets move along.
 */
static bool rri_fz_splice(struct rri_fz_msg *m, int off, int del,
			  const void *ins, int ins_len, int parent)
{
	int len = m->u.nlh.nlmsg_len, delta = ins_len - del;
	char tmp[RRI_FZ_MSG_MAX];
	int i;

	if (len + delta > RRI_FZ_MSG_MAX || off + del > len)
		return false;
	if (ins)
		memcpy(tmp, ins, ins_len);
	else
		memset(tmp, 0, ins_len);
	memmove(m->u.buf + off + ins_len, m->u.buf + off + del, len - off - del);
	memcpy(m->u.buf + off, tmp, ins_len);
	m->u.nlh.nlmsg_len += delta;
	for (i = parent; i >= 0; i = m->attr[i].parent)
		rri_fz_nla(m, i)->nla_len += delta;
	for (i = 0; i < m->nattr; i++)
		if (m->attr[i].off >= off + del)
			m->attr[i].off += delta;
	return true;
}

/* Give attribute @i the payload @data of @len bytes. */
static bool rri_fz_set_payload(struct rri_fz_msg *m, int i, const void *data,
			       int len)
{
	struct nlattr *nla = rri_fz_nla(m, i);
	int old = NLA_ALIGN(nla->nla_len - NLA_HDRLEN);
	char tmp[RRI_FZ_MSG_MAX] = {};

	memcpy(tmp, data, len);
	if (!rri_fz_splice(m, m->attr[i].off + NLA_HDRLEN, old, tmp,
			   NLA_ALIGN(len), i))
		return false;
	rri_fz_nla(m, i)->nla_len = NLA_HDRLEN + len;
	return true;
}

static void rri_fz_pool_name(int i, char *buf, size_t size)
{
	static const char *const pfx[] = { "v4-", "v6-", "nf-", "mu-" };

	snprintf(buf, size, "%s%d", pfx[i / 16], i % 16);
}

/* The family of the maps of pool name @i: it never changes while valid. */
static int rri_fz_pool_family(int i)
{
	static const int fam[] = { AF_INET, AF_INET6, 0 };

	return i < RRI_FZ_POOL_VALID ? fam[i / 16] : fam[i % 3];
}

/*
 * Group pool name @i. Five bytes and more with the NUL, so that no u32 or
 * shorter payload whose type a mutation turns into RRI_A_MAP_GROUP can
 * name one.
 */
static void rri_fz_gpool_name(int i, char *buf, size_t size)
{
	static const char *const pfx[] = { "grp4-", "grp6-", "grpm-", "grpm-" };

	snprintf(buf, size, "%s%d", pfx[i / 4], i);
}

/* The kind of the groups of pool name @i. */
static int rri_fz_gpool_kind(int i)
{
	return i < RRI_FZ_GPOOL_VIP ? RRI_GROUP_VIP : RRI_GROUP_MANUAL;
}

/* The family of a vip group's address. */
static int rri_fz_gpool_family(int i)
{
	return i < RRI_FZ_GPOOL_VIP / 2 ? AF_INET : AF_INET6;
}

struct rri_fz_pfx {
	uint16_t family;
	uint8_t len;
	uint8_t addr[16];
};

static const struct rri_fz_pfx rri_fz_remote4[] = {
	{ AF_INET, 16, { 10, 81 } }, { AF_INET, 24, { 10, 81, 1 } },
	{ AF_INET, 12, { 10, 80 } }, { AF_INET, 8, { 10 } },
	{ AF_INET, 0, { 0 } }, { AF_INET, 24, { 10, 84 } },
	{ AF_INET, 16, { 10, 82 } }, { AF_INET, 24, { 10, 83 } },
	{ AF_INET, 32, { 192, 0, 2, 1 } },
};

static const struct rri_fz_pfx rri_fz_remote6[] = {
	{ AF_INET6, 48, { 0x20, 0x01, 0x0d, 0xb8, 0, 0x81 } },
	{ AF_INET6, 32, { 0x20, 0x01, 0x0d, 0xb8 } },
	{ AF_INET6, 0, { 0 } },
	{ AF_INET6, 64, { 0x20, 0x01, 0x0d, 0xb8, 0, 0x81, 0, 1 } },
	{ AF_INET6, 128, { 0x20, 0x01, 0x0d, 0xb8, 0, 0x05, [15] = 7 } },
};

static const struct rri_fz_pfx rri_fz_local[] = {
	{ AF_INET, 24, { 10, 0, 0 } }, { AF_INET, 8, { 10 } },
	{ AF_INET, 0, { 0 } },
	{ AF_INET6, 64, { 0x20, 0x01, 0x0d, 0xb8, 0, 1 } },
	{ AF_INET6, 0, { 0 } },
};

static const struct rri_fz_pfx rri_fz_gateway[] = {
	{ AF_INET, 32, { 198, 51, 100, 254 } },
	{ AF_INET, 32, { 198, 51, 100, 7 } },
	{ AF_INET, 32, { 192, 0, 2, 99 } },
	{ AF_INET6, 128, { 0x20, 0x01, 0x0d, 0xb8, 0, 0x05, [15] = 0xfe } },
	{ AF_INET6, 128, { 0xfe, 0x80, [15] = 1 } },
};

/* VIPs: the first of each family is assigned in the fuzzer's namespace. */
static const struct rri_fz_pfx rri_fz_vip[] = {
	{ AF_INET, 32, { 198, 51, 100, 1 } },
	{ AF_INET, 32, { 198, 51, 100, 77 } },
	{ AF_INET, 32, { 192, 0, 2, 1 } },
	{ AF_INET6, 128, { 0x20, 0x01, 0x0d, 0xb8, 0, 0x05, [15] = 1 } },
	{ AF_INET6, 128, { 0x20, 0x01, 0x0d, 0xb8, 0, 0x05, [15] = 0x77 } },
};

static int rri_fz_alen(int family)
{
	return family == AF_INET ? 4 : 16;
}

static void rri_fz_mask(struct rri_fz_pfx *p)
{
	int i, bits = p->len;

	for (i = 0; i < rri_fz_alen(p->family); i++, bits -= 8) {
		if (bits >= 8)
			continue;
		p->addr[i] &= bits > 0 ? (uint8_t)(0xff << (8 - bits)) : 0;
	}
}

/* A prefix of @family (0: either), from the table or random. */
static struct rri_fz_pfx rri_fz_prefix(struct rri_fz *fz, int family,
				       const struct rri_fz_pfx *tab, int n)
{
	struct rri_fz_pfx p;
	int i, tries;

	for (tries = 0; tries < 16; tries++) {
		p = tab[rri_fz_below(fz, n)];
		if (!family || p.family == family)
			break;
	}
	if (family && p.family != family)
		p.family = family;
	if (rri_fz_chance(fz, 1, 4)) {
		for (i = 0; i < rri_fz_alen(p.family); i++)
			p.addr[i] = rri_fz_rand(fz);
		p.len = rri_fz_below(fz, rri_fz_alen(p.family) * 8 + 1);
	}
	rri_fz_mask(&p);
	return p;
}

/* A prefix nest of a map (@space RRI_FZ_MAP) or a group (RRI_FZ_GROUP). */
static void rri_fz_put_prefix(struct rri_fz *fz, struct rri_fz_msg *m,
			      uint16_t type, int space,
			      const struct rri_fz_pfx *p, bool gateway)
{
	int alen = rri_fz_alen(p->family), i;

	i = rri_fz_nest_start(m, type, space);
	m->attr[i].gateway = gateway;
	rri_fz_put_u16(m, RRI_A_PREFIX_FAMILY, RRI_FZ_PREFIX, p->family);
	rri_fz_put(m, RRI_A_PREFIX_ADDR, RRI_FZ_BIN, RRI_FZ_PREFIX, p->addr, alen);
	/* Without a length, a prefix is the whole address. */
	if (!gateway && (p->len != alen * 8 || rri_fz_chance(fz, 1, 2)))
		rri_fz_put_u8(m, RRI_A_PREFIX_LEN, RRI_FZ_PREFIX, p->len);
	rri_fz_nest_end(m);
}

enum {
	RRI_FZ_G_NAME, RRI_FZ_G_FAMILY, RRI_FZ_G_REQID, RRI_FZ_G_IF_ID,
	RRI_FZ_G_MARK, RRI_FZ_G_REMOTE, RRI_FZ_G_LOCAL, RRI_FZ_G_MODE,
	RRI_FZ_G_NEXTHOP, RRI_FZ_G_PEER_FLAG, RRI_FZ_G_FLAGS, RRI_FZ_G_TABLE,
	RRI_FZ_G_METRIC, RRI_FZ_G_TAG, RRI_FZ_G_PROTO, RRI_FZ_G_HA_GROUP,
	RRI_FZ_G_NUM,
};

static void rri_fz_put_group(struct rri_fz *fz, struct rri_fz_msg *m, int g,
			     const char *name)
{
	static const uint32_t masks[] = { 0xffffffff, 0xff, 0xffff0000, 1, 0 };
	static const uint32_t tables[] = { 254, 100, 101, 1000, 0x7fffffff };
	static const uint32_t reqids[] = { 0, 1, 2, 3, 4, 6 };
	static const uint32_t if_ids[] = { 0, 1, 5 };
	int fam = m->family;
	struct rri_fz_pfx p;
	uint32_t v, mask;
	struct nla_bitfield32 bf;

	switch (g) {
	case RRI_FZ_G_NAME:
		rri_fz_put_str(m, RRI_A_MAP_NAME, RRI_FZ_MAP, name);
		break;
	case RRI_FZ_G_FAMILY:
		rri_fz_put_u16(m, RRI_A_MAP_MATCH_FAMILY, RRI_FZ_MAP, fam);
		break;
	case RRI_FZ_G_REQID:
		v = rri_fz_chance(fz, 3, 4) ? rri_fz_pick(fz, reqids) : rri_fz_rand(fz);
		rri_fz_put_u32(m, RRI_A_MAP_MATCH_REQID, RRI_FZ_MAP, v);
		break;
	case RRI_FZ_G_IF_ID:
		v = rri_fz_chance(fz, 3, 4) ? rri_fz_pick(fz, if_ids) : rri_fz_rand(fz);
		rri_fz_put_u32(m, RRI_A_MAP_MATCH_IF_ID, RRI_FZ_MAP, v);
		break;
	case RRI_FZ_G_MARK:
		mask = rri_fz_chance(fz, 3, 4) ? rri_fz_pick(fz, masks) : rri_fz_rand(fz);
		v = (rri_fz_chance(fz, 1, 2) ? 7 : rri_fz_rand(fz)) & mask;
		rri_fz_put_u32(m, RRI_A_MAP_MATCH_MARK, RRI_FZ_MAP, v);
		if (mask != 0xffffffff || rri_fz_chance(fz, 1, 2))
			rri_fz_put_u32(m, RRI_A_MAP_MATCH_MARK_MASK, RRI_FZ_MAP, mask);
		break;
	case RRI_FZ_G_REMOTE:
		if (fam == AF_INET)
			p = rri_fz_prefix(fz, fam, rri_fz_remote4, ARRAY_SIZE(rri_fz_remote4));
		else
			p = rri_fz_prefix(fz, fam, rri_fz_remote6, ARRAY_SIZE(rri_fz_remote6));
		rri_fz_put_prefix(fz, m, RRI_A_MAP_MATCH_REMOTE, RRI_FZ_MAP, &p, false);
		break;
	case RRI_FZ_G_LOCAL:
		p = rri_fz_prefix(fz, fam, rri_fz_local, ARRAY_SIZE(rri_fz_local));
		rri_fz_put_prefix(fz, m, RRI_A_MAP_MATCH_LOCAL, RRI_FZ_MAP, &p, false);
		break;
	case RRI_FZ_G_MODE:
		rri_fz_put_u8(m, RRI_A_MAP_MODE, RRI_FZ_MAP,
			      RRI_MODE_DYNAMIC + rri_fz_below(fz, 2));
		break;
	case RRI_FZ_G_NEXTHOP:
		/* A next hop comes with what it needs: SET drops the old one's. */
		m->nexthop = RRI_NEXTHOP_PEER + rri_fz_below(fz, 3);
		if (m->nexthop == RRI_NEXTHOP_DEV && !fz->noif)
			m->nexthop = RRI_NEXTHOP_PEER;
		rri_fz_put_u8(m, RRI_A_MAP_NEXTHOP, RRI_FZ_MAP, m->nexthop);
		if (m->nexthop == RRI_NEXTHOP_GATEWAY) {
			p = rri_fz_prefix(fz, fam, rri_fz_gateway, ARRAY_SIZE(rri_fz_gateway));
			p.len = rri_fz_alen(p.family) * 8;
			rri_fz_put_prefix(fz, m, RRI_A_MAP_GATEWAY, RRI_FZ_MAP, &p, true);
		}
		if (fz->noif && (m->nexthop == RRI_NEXTHOP_DEV ||
				 (m->nexthop == RRI_NEXTHOP_GATEWAY && rri_fz_chance(fz, 1, 2))))
			rri_fz_put_u32(m, RRI_A_MAP_OIF, RRI_FZ_MAP,
				       fz->oif[rri_fz_below(fz, fz->noif)]);
		break;
	case RRI_FZ_G_PEER_FLAG:
		rri_fz_put(m, RRI_A_MAP_REMOTE_PEER, RRI_FZ_FLAG, RRI_FZ_MAP, NULL, 0);
		break;
	case RRI_FZ_G_FLAGS:
		bf.selector = rri_fz_below(fz, 2) ? RRI_MAP_F_ALL : 0;
		bf.value = bf.selector & rri_fz_rand(fz);
		rri_fz_put(m, RRI_A_MAP_FLAGS, RRI_FZ_BF32, RRI_FZ_MAP, &bf, sizeof(bf));
		break;
	case RRI_FZ_G_TABLE:
		if (fz->vrf && rri_fz_chance(fz, 1, 3))
			rri_fz_put_u32(m, RRI_A_MAP_VRF, RRI_FZ_MAP, fz->vrf);
		else
			rri_fz_put_u32(m, RRI_A_MAP_TABLE, RRI_FZ_MAP, rri_fz_pick(fz, tables));
		break;
	case RRI_FZ_G_METRIC:
		v = rri_fz_chance(fz, 3, 4) ? rri_fz_below(fz, 4) : rri_fz_rand(fz);
		rri_fz_put_u32(m, RRI_A_MAP_METRIC, RRI_FZ_MAP, v);
		break;
	case RRI_FZ_G_TAG:
		rri_fz_put_u32(m, RRI_A_MAP_TAG, RRI_FZ_MAP, 1 + rri_fz_below(fz, 1000));
		break;
	case RRI_FZ_G_PROTO:
		rri_fz_put_u8(m, RRI_A_MAP_PROTO, RRI_FZ_MAP,
			      rri_fz_chance(fz, 1, 2) ? RRI_RTPROT : 1 + rri_fz_below(fz, 255));
		break;
	case RRI_FZ_G_HA_GROUP: {
		/* A group of the pool, no group, or one that never exists. */
		char group[RRI_GROUP_NAME_MAX];

		v = rri_fz_below(fz, 10);
		if (v < 6) {
			m->mgroup = rri_fz_below(fz, RRI_FZ_GPOOL);
			rri_fz_gpool_name(m->mgroup, group, sizeof(group));
		} else if (v < 8) {
			m->mgroup = RRI_FZ_MG_EMPTY;
			group[0] = '\0';
		} else {
			m->mgroup = RRI_FZ_MG_NEVER;
			snprintf(group, sizeof(group), "nogrp-%u", rri_fz_below(fz, RRI_FZ_NEVER));
		}
		rri_fz_put_str(m, RRI_A_MAP_GROUP, RRI_FZ_MAP, group);
		break;
	}
	}
}

/*
 * The RRI_A_MAP nest of a valid ADD (@full) or SET: its attributes in a
 * random order, consistent with the pool name's family, so a map of a
 * valid name stays valid whatever SETs it gets.
 */
static void rri_fz_put_map(struct rri_fz *fz, struct rri_fz_msg *m, bool full,
			   const char *name)
{
	int order[RRI_FZ_G_NUM], n = 0, i, j, t;

	for (i = 0; i < RRI_FZ_G_NUM; i++) {
		bool fam_only = i == RRI_FZ_G_FAMILY || i == RRI_FZ_G_REMOTE ||
				i == RRI_FZ_G_LOCAL;

		if (fam_only && !m->family)
			continue;
		if (i == RRI_FZ_G_TAG && m->family != AF_INET)
			continue;
		if (i == RRI_FZ_G_NAME || (full && i == RRI_FZ_G_FAMILY) ||
		    rri_fz_chance(fz, 1, full ? 3 : 4))
			order[n++] = i;
	}
	for (i = n - 1; i > 0; i--) {
		j = rri_fz_below(fz, i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	rri_fz_nest_start(m, RRI_A_MAP, RRI_FZ_TOP);
	for (i = 0; i < n; i++)
		rri_fz_put_group(fz, m, order[i], name);
	rri_fz_nest_end(m);
}

enum {
	RRI_FZ_H_NAME, RRI_FZ_H_KIND, RRI_FZ_H_ROLE, RRI_FZ_H_REPLAY,
	RRI_FZ_H_INBOUND, RRI_FZ_H_OUTBOUND, RRI_FZ_H_NUM,
};

static void rri_fz_put_ha_attr(struct rri_fz *fz, struct rri_fz_msg *m, int h,
			       int g)
{
	/* The bounds, their neighbours inside, and anything between. */
	static const uint32_t in[] = { 0, 1, 999, RRI_REPLAY_INBOUND_MAX };
	static const uint32_t out[] = {
		RRI_REPLAY_OUTBOUND_MIN, RRI_REPLAY_OUTBOUND_MIN + 1,
		RRI_REPLAY_OUTBOUND_MAX - 1, RRI_REPLAY_OUTBOUND_MAX,
	};
	char name[RRI_GROUP_NAME_MAX];
	struct rri_fz_pfx p;
	uint32_t v;

	switch (h) {
	case RRI_FZ_H_NAME:
		rri_fz_gpool_name(g, name, sizeof(name));
		rri_fz_put_str(m, RRI_A_GROUP_NAME, RRI_FZ_GROUP, name);
		break;
	case RRI_FZ_H_KIND:
		/* A vip group's address comes with its kind. */
		rri_fz_put_u8(m, RRI_A_GROUP_KIND, RRI_FZ_GROUP, rri_fz_gpool_kind(g));
		if (rri_fz_gpool_kind(g) == RRI_GROUP_VIP) {
			m->family = rri_fz_gpool_family(g);
			p = rri_fz_prefix(fz, m->family, rri_fz_vip, ARRAY_SIZE(rri_fz_vip));
			p.len = rri_fz_alen(p.family) * 8;
			rri_fz_put_prefix(fz, m, RRI_A_GROUP_VIP, RRI_FZ_GROUP, &p, true);
		}
		break;
	case RRI_FZ_H_ROLE:
		m->role = true;
		rri_fz_put_u8(m, RRI_A_GROUP_ROLE, RRI_FZ_GROUP,
			      RRI_ROLE_STANDBY + rri_fz_below(fz, 2));
		break;
	case RRI_FZ_H_REPLAY:
		rri_fz_put(m, RRI_A_GROUP_REPLAY, RRI_FZ_FLAG, RRI_FZ_GROUP, NULL, 0);
		break;
	case RRI_FZ_H_INBOUND:
		v = rri_fz_chance(fz, 1, 2) ? rri_fz_pick(fz, in) :
		    rri_fz_below(fz, RRI_REPLAY_INBOUND_MAX + 1);
		rri_fz_put_u32(m, RRI_A_GROUP_REPLAY_INBOUND, RRI_FZ_GROUP, v);
		break;
	case RRI_FZ_H_OUTBOUND:
		v = rri_fz_chance(fz, 1, 2) ? rri_fz_pick(fz, out) :
		    RRI_REPLAY_OUTBOUND_MIN +
		    rri_fz_below(fz, RRI_REPLAY_OUTBOUND_MAX - RRI_REPLAY_OUTBOUND_MIN + 1);
		rri_fz_put_u32(m, RRI_A_GROUP_REPLAY_OUTBOUND, RRI_FZ_GROUP, v);
		break;
	}
}

/*
 * The RRI_A_GROUP nest of a valid request about pool group @g, its
 * attributes in a random order: for ADD the name, the kind (and a vip
 * group's address) and perhaps replay-interval; for SET a role (of a
 * manual group, of a vip group only now and then: refused) or
 * replay-interval or both; the name alone for DEL and GET.
 */
static void rri_fz_put_ha(struct rri_fz *fz, struct rri_fz_msg *m, int g)
{
	bool manual = rri_fz_gpool_kind(g) == RRI_GROUP_MANUAL;
	int order[RRI_FZ_H_NUM], n = 0, i, j, t;

	order[n++] = RRI_FZ_H_NAME;
	if (m->cmd == RRI_CMD_GROUP_ADD)
		order[n++] = RRI_FZ_H_KIND;
	if (m->cmd == RRI_CMD_GROUP_SET &&
	    (manual ? rri_fz_chance(fz, 2, 3) : rri_fz_chance(fz, 1, 8)))
		order[n++] = RRI_FZ_H_ROLE;
	if (m->cmd == RRI_CMD_GROUP_ADD || m->cmd == RRI_CMD_GROUP_SET) {
		for (i = RRI_FZ_H_REPLAY; i <= RRI_FZ_H_OUTBOUND; i++)
			if (rri_fz_chance(fz, 1, 3))
				order[n++] = i;
		/* A SET with neither sets nothing: the contract asks for one. */
		if (m->cmd == RRI_CMD_GROUP_SET && n == 1)
			order[n++] = manual ? RRI_FZ_H_ROLE :
				     RRI_FZ_H_REPLAY + (int)rri_fz_below(fz, 3);
	}
	for (i = n - 1; i > 0; i--) {
		j = rri_fz_below(fz, i + 1);
		t = order[i];
		order[i] = order[j];
		order[j] = t;
	}
	rri_fz_nest_start(m, RRI_A_GROUP, RRI_FZ_TOP);
	for (i = 0; i < n; i++)
		rri_fz_put_ha_attr(fz, m, order[i], g);
	rri_fz_nest_end(m);
}

static uint8_t rri_fz_pick_cmd(struct rri_fz *fz)
{
	static const uint8_t weighted[] = {
		RRI_CMD_VERSION_GET, RRI_CMD_STATS_GET, RRI_CMD_STATS_RESET,
		RRI_CMD_MAP_ADD, RRI_CMD_MAP_ADD, RRI_CMD_MAP_ADD, RRI_CMD_MAP_ADD,
		RRI_CMD_MAP_SET, RRI_CMD_MAP_SET, RRI_CMD_MAP_SET, RRI_CMD_MAP_SET,
		RRI_CMD_MAP_DEL, RRI_CMD_MAP_DEL, RRI_CMD_MAP_GET, RRI_CMD_MAP_GET,
		RRI_CMD_ROUTE_GET, RRI_CMD_ROUTE_GET,
		RRI_CMD_GROUP_ADD, RRI_CMD_GROUP_ADD, RRI_CMD_GROUP_SET,
		RRI_CMD_GROUP_SET, RRI_CMD_GROUP_DEL, RRI_CMD_GROUP_GET,
		RRI_CMD_GROUP_GET,
	};

	return rri_fz_pick(fz, weighted);
}

/* A valid request for a random command, with valid netlink flags. */
static void rri_fz_valid(struct rri_fz *fz, struct rri_fz_msg *m,
			 uint16_t family, bool mutant_names)
{
	uint8_t cmd = rri_fz_pick_cmd(fz);
	uint16_t flags = NLM_F_REQUEST;
	char name[RRI_MAP_NAME_MAX];
	int dump_in;

	if (rri_fz_chance(fz, 1, 2))
		flags |= NLM_F_ACK;
	if (rri_fz_chance(fz, 1, 4))
		flags |= NLM_F_ECHO;
	/* Out of 16: how often the command is asked for a dump. */
	dump_in = cmd == RRI_CMD_ROUTE_GET ? 14 :
		  cmd == RRI_CMD_MAP_GET || cmd == RRI_CMD_GROUP_GET ? 8 : 1;
	if (rri_fz_chance(fz, dump_in, 16))
		flags |= NLM_F_DUMP;

	rri_fz_init(m, family, cmd, flags);
	if (rri_fz_group_cmd(cmd)) {
		m->name = rri_fz_below(fz, RRI_FZ_GPOOL);
		/* A group dump takes no group. */
		if (cmd == RRI_CMD_GROUP_GET && (flags & NLM_F_DUMP))
			m->name = -1;
		else
			rri_fz_put_ha(fz, m, m->name);
		return;
	}
	m->name = rri_fz_below(fz, mutant_names ? RRI_FZ_POOL : RRI_FZ_POOL_VALID);
	m->family = rri_fz_pool_family(m->name);
	rri_fz_pool_name(m->name, name, sizeof(name));

	switch (cmd) {
	case RRI_CMD_MAP_ADD:
	case RRI_CMD_MAP_SET:
		rri_fz_put_map(fz, m, cmd == RRI_CMD_MAP_ADD, name);
		break;
	case RRI_CMD_MAP_DEL:
		rri_fz_nest_start(m, RRI_A_MAP, RRI_FZ_TOP);
		rri_fz_put_str(m, RRI_A_MAP_NAME, RRI_FZ_MAP, name);
		rri_fz_nest_end(m);
		break;
	case RRI_CMD_MAP_GET:
	case RRI_CMD_ROUTE_GET:
		/* A map dump takes no name; a route dump may. */
		if ((cmd == RRI_CMD_MAP_GET && !(flags & NLM_F_DUMP)) ||
		    (cmd == RRI_CMD_ROUTE_GET && rri_fz_chance(fz, 1, 2))) {
			rri_fz_nest_start(m, RRI_A_MAP, RRI_FZ_TOP);
			rri_fz_put_str(m, RRI_A_MAP_NAME, RRI_FZ_MAP, name);
			rri_fz_nest_end(m);
		} else {
			m->name = -1;
		}
		break;
	default:
		m->name = -1;
	}
}

/* --- mutations --------------------------------------------------------- */

/* A random attribute for which @ok says yes, -1 if there is none. */
static int rri_fz_pick_attr(struct rri_fz *fz, struct rri_fz_msg *m,
			    bool (*ok)(const struct rri_fz_msg *m, int i))
{
	int cand[RRI_FZ_MAX_ATTRS], n = 0, i;

	for (i = 0; i < m->nattr; i++)
		if (!ok || ok(m, i))
			cand[n++] = i;
	return n ? cand[rri_fz_below(fz, n)] : -1;
}

static bool rri_fz_is_nest(const struct rri_fz_msg *m, int i)
{
	return m->attr[i].kind == RRI_FZ_NEST;
}

static bool rri_fz_is_leaf(const struct rri_fz_msg *m, int i)
{
	return m->attr[i].kind != RRI_FZ_NEST && m->attr[i].kind != RRI_FZ_FLAG;
}

/* Where the attributes around @i end: its parent's end, or the message's. */
static int rri_fz_region_end(struct rri_fz_msg *m, int i)
{
	int p = m->attr[i].parent;

	if (p < 0)
		return m->u.nlh.nlmsg_len;
	return m->attr[p].off + rri_fz_nla(m, p)->nla_len;
}

static const char *rri_fz_attr_name(const struct rri_fz_msg *m, int i)
{
	static const char *const top[] = {
		"UNSPEC", "VERSION", "STATS", "MAP", "ROUTE", "PAD", "EVENT",
		"TIME", "GROUP",
	};
	static const char *const map[] = {
		"UNSPEC", "NAME", "MATCH_FAMILY", "MATCH_REQID", "MATCH_IF_ID",
		"MATCH_MARK", "MATCH_MARK_MASK", "MATCH_REMOTE", "MATCH_LOCAL",
		"MODE", "NEXTHOP", "GATEWAY", "OIF", "REMOTE_PEER", "TABLE",
		"VRF", "METRIC", "TAG", "PROTO", "POLICIES", "ROUTES",
		"SHADOWED", "FLAGS", "GROUP",
	};
	static const char *const grp[] = {
		"UNSPEC", "PAD", "G_NAME", "KIND", "VIP", "ROLE", "REPLAY",
		"REPLAY_INBOUND", "REPLAY_OUTBOUND", "SINCE", "TRANSITIONS",
		"MAPS", "G_ROUTES", "INSTALLED",
	};
	static const char *const pfx[] = { "UNSPEC", "FAMILY", "ADDR", "LEN" };
	const struct rri_fz_attr *a = &m->attr[i];

	switch (a->space) {
	case RRI_FZ_TOP:
		return a->type < ARRAY_SIZE(top) ? top[a->type] : "?";
	case RRI_FZ_MAP:
		return a->type < ARRAY_SIZE(map) ? map[a->type] : "?";
	case RRI_FZ_GROUP:
		return a->type < ARRAY_SIZE(grp) ? grp[a->type] : "?";
	default:
		return a->type < ARRAY_SIZE(pfx) ? pfx[a->type] : "?";
	}
}

static bool rri_fz_has(struct rri_fz_msg *m, int space, uint16_t type)
{
	int i;

	for (i = 0; i < m->nattr; i++)
		if (m->attr[i].space == space && m->attr[i].type == type)
			return true;
	return false;
}

static int rri_fz_find(struct rri_fz_msg *m, int space, uint16_t type)
{
	int i;

	for (i = 0; i < m->nattr; i++)
		if (m->attr[i].space == space && m->attr[i].type == type)
			return i;
	return -1;
}

static bool rri_fz_mut_len(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_pick_attr(fz, m, NULL), cur, room, len;
	struct nlattr *nla;
	int choice[12];

	if (i < 0)
		return false;
	nla = rri_fz_nla(m, i);
	cur = nla->nla_len;
	room = rri_fz_region_end(m, i) - m->attr[i].off;
	/* Empty, short of a header, off by one or an alignment, the room, any. */
	memcpy(choice, (const int[]){ 0, 1, 3, 4, cur - 1, cur + 1, cur - 4, cur + 4,
				      cur + 8, room, room + 1,
				      (int)(rri_fz_rand(fz) & 0xffff) }, sizeof(choice));
	do {
		len = rri_fz_pick(fz, choice);
	} while (len == cur || len < 0 || len > 0xffff);
	nla->nla_len = len;
	/*
	 * Refused for sure: a header that does not fit where it is, a
	 * fixed-size attribute of another size, an address that no longer
	 * matches its family, a string that lost its NUL. (A nest may still
	 * parse, and a longer string may take a NUL from its padding.)
	 */
	switch (m->attr[i].kind) {
	case RRI_FZ_NEST:
		m->must_fail = false;
		break;
	case RRI_FZ_STR:
		m->must_fail = len < cur;
		break;
	default:
		m->must_fail = true;
	}
	if (len < NLA_HDRLEN || len > room)
		m->must_fail = true;
	snprintf(m->what, sizeof(m->what), "%s nla_len %d -> %d (room %d)",
		 rri_fz_attr_name(m, i), cur, len, room);
	return true;
}

static bool rri_fz_mut_type(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_pick_attr(fz, m, NULL), max, how;
	struct nlattr *nla;
	uint16_t old, type;

	if (i < 0)
		return false;
	nla = rri_fz_nla(m, i);
	old = nla->nla_type;
	max = rri_fz_space_max[m->attr[i].space];
	how = rri_fz_below(fz, 6);
	switch (how) {
	case 0:		/* RRI_A_*_UNSPEC */
		type = 0;
		break;
	case 1:		/* one past the last the policy knows */
		type = max + 1;
		break;
	case 2:		/* anything up to the flags */
		type = max + 1 + rri_fz_below(fz, NLA_TYPE_MASK - max);
		break;
	case 3:		/* another one the policy knows */
		type = 1 + rri_fz_below(fz, max);
		break;
	default:	/* 4: NLA_F_NESTED flipped; 5: NLA_F_NET_BYTEORDER set */
		type = old & NLA_TYPE_MASK;
		break;
	}
	type |= (old & NLA_F_NESTED) ^ (how == 4 ? NLA_F_NESTED : 0);
	if (how == 5)
		type |= NLA_F_NET_BYTEORDER;
	if (type == old)
		return false;
	nla->nla_type = type;
	/*
	 * Unknown types are refused (strict validation), so is the nested
	 * flag on a leaf or missing on a nest, and a type the policy rejects:
	 * the top level takes only the command's nest (RRI_A_MAP, or
	 * RRI_A_GROUP for a group command), the counts are read-only. Where
	 * only the name goes, anything else is refused, and so is the lack
	 * of the name; a group is not added with a role, nor does its kind
	 * or address change.
	 */
	m->must_fail = how <= 2 || how == 4;
	if (how == 3) {
		uint16_t t = type & NLA_TYPE_MASK;
		bool name_only = m->cmd == RRI_CMD_MAP_DEL || m->cmd == RRI_CMD_MAP_GET ||
				 m->cmd == RRI_CMD_ROUTE_GET || m->cmd == RRI_CMD_GROUP_DEL ||
				 m->cmd == RRI_CMD_GROUP_GET;

		if (m->attr[i].space == RRI_FZ_TOP)
			m->must_fail = t != rri_fz_cmd_nest(m->cmd);
		if (m->attr[i].space == RRI_FZ_MAP &&
		    (name_only || t == RRI_A_MAP_POLICIES || t == RRI_A_MAP_ROUTES ||
		     t == RRI_A_MAP_SHADOWED))
			m->must_fail = true;
		if (m->attr[i].space == RRI_FZ_GROUP &&
		    (name_only || t == RRI_A_GROUP_PAD || t >= RRI_A_GROUP_SINCE ||
		     (m->cmd == RRI_CMD_GROUP_ADD && t == RRI_A_GROUP_ROLE) ||
		     (m->cmd == RRI_CMD_GROUP_SET &&
		      (t == RRI_A_GROUP_KIND || t == RRI_A_GROUP_VIP))))
			m->must_fail = true;
	}
	snprintf(m->what, sizeof(m->what), "%s nla_type %#x -> %#x",
		 rri_fz_attr_name(m, i), old, type);
	return true;
}

struct rri_fz_name_case {
	const char *name;
	bool valid;
};

/* Boundary values of RRI_A_MAP_NAME: 1..31 bytes of [A-Za-z0-9_.-]. */
static const struct rri_fz_name_case rri_fz_names[] = {
	{ "", false },
	{ "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", true },
	{ "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", false },
	{ "-", true }, { ".", true }, { "_", true }, { "Z9", true },
	{ "a b", false }, { "a/b", false }, { "a:b", false }, { "a\tb", false },
	{ "a\nb", false }, { "\x7f", false },
	/* Latin-1 letters are alphanumeric to the kernel's isalnum(). */
	{ "\xc0", false }, { "\xe9t\xe9", false }, { "\xff", false },
	{ "\x80", false }, { "caf\xc3\xa9", false },
};

/* The family of the prefix nest attribute @i is in (as built). */
static int rri_fz_prefix_family(struct rri_fz_msg *m, int i)
{
	int j;

	for (j = 0; j < m->nattr; j++)
		if (m->attr[j].parent == m->attr[i].parent &&
		    m->attr[j].space == RRI_FZ_PREFIX &&
		    m->attr[j].type == RRI_A_PREFIX_FAMILY)
			return *(const uint16_t *)rri_nla_data(rri_fz_nla(m, j));
	return AF_INET;
}

static bool rri_fz_mut_value(struct rri_fz *fz, struct rri_fz_msg *m)
{
	static const uint32_t u32s[] = { 0, 1, 0x7fffffff, 0x80000000, 0xffffffff };
	static const uint16_t u16s[] = { 0, 1, AF_INET, AF_INET6, 3, 0xffff };
	static const uint8_t u8s[] = { 0, 1, 2, 3, 4, 127, 128, 129, 255 };
	static const int alens[] = { 0, 1, 3, 4, 5, 15, 16, 17, 32 };
	/* replay-interval: the bounds, and one past each. */
	static const uint32_t replay[] = {
		0, 1, RRI_REPLAY_INBOUND_MAX - 1, RRI_REPLAY_INBOUND_MAX,
		RRI_REPLAY_INBOUND_MAX + 1, RRI_REPLAY_OUTBOUND_MIN - 1,
		RRI_REPLAY_OUTBOUND_MIN, RRI_REPLAY_OUTBOUND_MIN + 1,
		RRI_REPLAY_OUTBOUND_MAX, RRI_REPLAY_OUTBOUND_MAX + 1,
		0x7fffffff, 0xffffffff,
	};
	const struct rri_fz_attr *a;
	int i = rri_fz_pick_attr(fz, m, rri_fz_is_leaf), alen, len, j;
	uint32_t v = 0, old = 0;
	uint8_t buf[64];

	if (i < 0)
		return false;
	a = &m->attr[i];
	m->must_fail = false;

	if (a->kind == RRI_FZ_STR) {
		const struct rri_fz_name_case *c = &rri_fz_pick(fz, rri_fz_names);
		bool group_ref = a->space == RRI_FZ_MAP && a->type == RRI_A_MAP_GROUP;

		if (!rri_fz_set_payload(m, i, c->name, strlen(c->name) + 1))
			return false;
		/*
		 * A name of a map or group; or the group a map is in, which
		 * may also be empty (no group) and may not exist (ENOENT).
		 */
		m->must_fail = !c->valid && !(group_ref && !c->name[0]);
		if (group_ref)
			m->mgroup = c->name[0] ? RRI_FZ_MG_OTHER : RRI_FZ_MG_EMPTY;
		else
			m->name = -1;
		len = snprintf(m->what, sizeof(m->what), "%s = \"", rri_fz_attr_name(m, i));
		for (j = 0; c->name[j] && len < (int)sizeof(m->what) - 8; j++)
			len += snprintf(m->what + len, sizeof(m->what) - len,
					c->name[j] > ' ' && c->name[j] < 0x7f ? "%c" : "\\x%02x",
					(uint8_t)c->name[j]);
		snprintf(m->what + len, sizeof(m->what) - len, "\"");
		return true;
	}
	if (a->kind == RRI_FZ_BIN) {
		alen = rri_fz_alen(rri_fz_prefix_family(m, i));
		len = rri_fz_chance(fz, 1, 2) ? alen : rri_fz_pick(fz, alens);
		for (j = 0; j < len; j++)
			buf[j] = rri_fz_rand(fz);
		if (!rri_fz_set_payload(m, i, buf, len))
			return false;
		/* Of the right size, it may still have host bits set. */
		m->must_fail = len != alen;
		snprintf(m->what, sizeof(m->what), "ADDR of %d bytes (family's %d)",
			 len, alen);
		return true;
	}

	len = a->kind == RRI_FZ_U8 ? 1 : a->kind == RRI_FZ_U16 ? 2 : 4;
	memcpy(&old, rri_fz_nla(m, i) + 1, len);
	switch (a->space == RRI_FZ_GROUP && a->kind == RRI_FZ_U32 ? -1 : a->kind) {
	case -1:
		v = rri_fz_pick(fz, replay);
		break;
	case RRI_FZ_U8:
		v = rri_fz_pick(fz, u8s);
		break;
	case RRI_FZ_U16:
		v = rri_fz_pick(fz, u16s);
		break;
	case RRI_FZ_U32:
		v = rri_fz_pick(fz, u32s);
		break;
	case RRI_FZ_BF32: {
		/* Valid bitfields only: the bad ones are RRI_FZ_M_BITFIELD's. */
		struct nla_bitfield32 bf = { .selector = rri_fz_below(fz, 2) };

		bf.value = bf.selector & rri_fz_below(fz, 2);
		memcpy(rri_fz_nla(m, i) + 1, &bf, sizeof(bf));
		snprintf(m->what, sizeof(m->what), "FLAGS = %#x/%#x", bf.value,
			 bf.selector);
		return true;
	}
	}
	memcpy(rri_fz_nla(m, i) + 1, &v, len);

	if (a->space == RRI_FZ_PREFIX) {
		switch (a->type) {
		case RRI_A_PREFIX_FAMILY:
			/* The address stays of the old family's length. */
			m->must_fail = v != old;
			break;
		case RRI_A_PREFIX_LEN:
			m->must_fail = v > 8U * rri_fz_alen(rri_fz_prefix_family(m, i));
			break;
		}
	} else if (a->space == RRI_FZ_MAP) {
		switch (a->type) {
		case RRI_A_MAP_MATCH_FAMILY:
			m->must_fail = v != AF_INET && v != AF_INET6;
			break;
		case RRI_A_MAP_MODE:
			m->must_fail = v < RRI_MODE_DYNAMIC || v > RRI_MODE_STATIC;
			break;
		case RRI_A_MAP_NEXTHOP:
			m->must_fail = v < RRI_NEXTHOP_PEER || v > RRI_NEXTHOP_DEV;
			break;
		case RRI_A_MAP_TABLE:
		case RRI_A_MAP_TAG:
		case RRI_A_MAP_PROTO:
		case RRI_A_MAP_OIF:	/* no ifindex 0 */
		case RRI_A_MAP_VRF:
			m->must_fail = v == 0;
			break;
		}
	} else if (a->space == RRI_FZ_GROUP) {
		bool vip = rri_fz_has(m, RRI_FZ_GROUP, RRI_A_GROUP_VIP);

		switch (a->type) {
		case RRI_A_GROUP_KIND:
			/* A vip group needs its address, a manual one has none. */
			m->must_fail = v < RRI_GROUP_VIP || v > RRI_GROUP_MANUAL ||
				       (v == RRI_GROUP_VIP) != vip;
			break;
		case RRI_A_GROUP_ROLE:
			m->must_fail = v < RRI_ROLE_STANDBY || v > RRI_ROLE_ACTIVE;
			break;
		case RRI_A_GROUP_REPLAY_INBOUND:
			m->must_fail = v > RRI_REPLAY_INBOUND_MAX;
			break;
		case RRI_A_GROUP_REPLAY_OUTBOUND:
			m->must_fail = v < RRI_REPLAY_OUTBOUND_MIN ||
				       v > RRI_REPLAY_OUTBOUND_MAX;
			break;
		}
	}
	snprintf(m->what, sizeof(m->what), "%s = %#x", rri_fz_attr_name(m, i), v);
	return true;
}

static bool rri_fz_mut_flat(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_pick_attr(fz, m, rri_fz_is_nest);

	if (i < 0)
		return false;
	rri_fz_nla(m, i)->nla_type &= ~NLA_F_NESTED;
	m->must_fail = true;	/* strict: NLA_F_NESTED is missing */
	snprintf(m->what, sizeof(m->what), "%s without NLA_F_NESTED",
		 rri_fz_attr_name(m, i));
	return true;
}

static bool rri_fz_mut_hoist(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_pick_attr(fz, m, rri_fz_is_nest);
	const char *what;

	if (i < 0)
		return false;
	what = rri_fz_attr_name(m, i);
	/*
	 * The children land in the parent's policy: a map's attributes
	 * are all rejected or unknown at the top level, a prefix's address
	 * is no RRI_A_MAP_MATCH_FAMILY (a u16).
	 */
	if (!rri_fz_splice(m, m->attr[i].off, NLA_HDRLEN, NULL, 0, m->attr[i].parent))
		return false;
	m->must_fail = true;
	snprintf(m->what, sizeof(m->what), "%s's attributes moved up a level", what);
	return true;
}

static bool rri_fz_mut_wrap(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_pick_attr(fz, m, NULL), len;
	struct nlattr hdr;

	if (i < 0)
		return false;
	len = NLA_ALIGN(rri_fz_nla(m, i)->nla_len);
	hdr.nla_len = NLA_HDRLEN + len;
	hdr.nla_type = m->attr[i].type | NLA_F_NESTED;
	if (!rri_fz_splice(m, m->attr[i].off, 0, &hdr, NLA_HDRLEN, m->attr[i].parent))
		return false;
	/*
	 * A leaf with NLA_F_NESTED is refused; a nest inside one of its
	 * own type has a type its policy does not know, or the type of a
	 * leaf.
	 */
	m->must_fail = true;
	snprintf(m->what, sizeof(m->what), "%s inside another %s",
		 rri_fz_attr_name(m, i), rri_fz_attr_name(m, i));
	return true;
}

static bool rri_fz_mut_trunc(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int len = m->u.nlh.nlmsg_len, data_end = RRI_FZ_ATTR_OFFS, i, k;

	for (i = 0; i < m->nattr; i++)
		if (m->attr[i].parent < 0 &&
		    m->attr[i].off + rri_fz_nla(m, i)->nla_len > data_end)
			data_end = m->attr[i].off + rri_fz_nla(m, i)->nla_len;
	k = NLMSG_HDRLEN + rri_fz_below(fz, len - NLMSG_HDRLEN);
	m->u.nlh.nlmsg_len = k;
	/*
	 * Cutting off only the last attribute's padding is fine, and so is
	 * a cut between two top-level attributes: the rest is a shorter
	 * request, e.g. a route dump without its filter.
	 */
	m->must_fail = k < data_end;
	for (i = 0; i < m->nattr; i++)
		if (m->attr[i].parent < 0 && m->attr[i].off == k)
			m->must_fail = false;
	if (k == RRI_FZ_ATTR_OFFS)
		m->must_fail = false;
	snprintf(m->what, sizeof(m->what), "cut at byte %d of %d", k, len);
	return true;
}

static bool rri_fz_mut_dup(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_pick_attr(fz, m, NULL), len, end;

	if (i < 0)
		return false;
	len = NLA_ALIGN(rri_fz_nla(m, i)->nla_len);
	end = m->attr[i].off + len;
	if (!rri_fz_splice(m, end, 0, m->u.buf + m->attr[i].off, len, m->attr[i].parent))
		return false;
	/* Netlink lets the last one win: a duplicate is not an error. */
	m->must_fail = false;
	snprintf(m->what, sizeof(m->what), "%s twice", rri_fz_attr_name(m, i));
	return true;
}

static bool rri_fz_mut_drop(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_pick_attr(fz, m, NULL), p;
	const struct rri_fz_attr *a;
	bool add;
	uint16_t t;

	if (i < 0)
		return false;
	a = &m->attr[i];
	t = a->type;
	add = m->cmd == RRI_CMD_MAP_ADD;
	switch (a->space) {
	case RRI_FZ_TOP:
		/* Only a route dump goes without a map (a group dump has none). */
		m->must_fail = m->cmd != RRI_CMD_ROUTE_GET;
		break;
	case RRI_FZ_GROUP:
		/* A group is added with its kind and, a vip group, address. */
		m->must_fail = t == RRI_A_GROUP_NAME ||
			       (m->cmd == RRI_CMD_GROUP_ADD &&
				(t == RRI_A_GROUP_KIND || t == RRI_A_GROUP_VIP));
		break;
	case RRI_FZ_MAP:
		m->must_fail = t == RRI_A_MAP_NAME ||
			       (t == RRI_A_MAP_GATEWAY && m->nexthop == RRI_NEXTHOP_GATEWAY) ||
			       (t == RRI_A_MAP_OIF && m->nexthop == RRI_NEXTHOP_DEV) ||
			       (add && t == RRI_A_MAP_NEXTHOP &&
				(rri_fz_has(m, RRI_FZ_MAP, RRI_A_MAP_GATEWAY) ||
				 rri_fz_has(m, RRI_FZ_MAP, RRI_A_MAP_OIF))) ||
			       (add && t == RRI_A_MAP_MATCH_MARK &&
				rri_fz_has(m, RRI_FZ_MAP, RRI_A_MAP_MATCH_MARK_MASK));
		break;
	default:
		m->must_fail = t == RRI_A_PREFIX_FAMILY || t == RRI_A_PREFIX_ADDR;
	}
	snprintf(m->what, sizeof(m->what), "%s left out", rri_fz_attr_name(m, i));
	p = a->parent;
	return rri_fz_splice(m, a->off, NLA_ALIGN(rri_fz_nla(m, i)->nla_len),
			     NULL, 0, p);
}

/* Append an attribute at the end of nest @parent (-1: the top level). */
static bool rri_fz_insert(struct rri_fz_msg *m, int parent, uint16_t type,
			  const void *data, int len)
{
	char tmp[256] = {};
	struct nlattr *nla = (struct nlattr *)tmp;
	int end = parent < 0 ? (int)m->u.nlh.nlmsg_len :
		  m->attr[parent].off + NLA_ALIGN(rri_fz_nla(m, parent)->nla_len);

	nla->nla_type = type;
	nla->nla_len = NLA_HDRLEN + len;
	memcpy(nla + 1, data, len);
	return rri_fz_splice(m, end, 0, tmp, NLA_HDRLEN + NLA_ALIGN(len), parent);
}

static bool rri_fz_mut_extra(struct rri_fz *fz, struct rri_fz_msg *m)
{
	static const uint16_t ro[] = {
		RRI_A_MAP_POLICIES, RRI_A_MAP_ROUTES, RRI_A_MAP_SHADOWED,
	};
	static const uint16_t gro[] = {
		RRI_A_GROUP_PAD, RRI_A_GROUP_SINCE, RRI_A_GROUP_TRANSITIONS,
		RRI_A_GROUP_MAPS, RRI_A_GROUP_ROUTES, RRI_A_GROUP_INSTALLED,
	};
	static const uint16_t top[] = {
		RRI_A_VERSION, RRI_A_STATS, RRI_A_ROUTE, RRI_A_PAD, RRI_A_EVENT,
		RRI_A_TIME, 0,
	};
	int map = rri_fz_find(m, RRI_FZ_TOP, RRI_A_MAP), gw, pfx;
	int group = rri_fz_find(m, RRI_FZ_TOP, RRI_A_GROUP);
	bool dump = (m->u.nlh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint32_t zero = 0;
	uint8_t len = 32, one = 1;
	uint16_t t;
	struct {
		struct nlattr nla;
		char name[8];
	} named = { { NLA_HDRLEN + 5, RRI_A_MAP_NAME }, "v4-1" };

	m->must_fail = true;
	switch (rri_fz_below(fz, 6)) {
	case 0:	/* a top-level attribute the command does not take */
		t = rri_fz_pick(fz, top);
		/* 0: the other kind of commands' nest (a map's for a group's) */
		if (!t)
			t = rri_fz_group_cmd(m->cmd) ? RRI_A_MAP : RRI_A_GROUP;
		snprintf(m->what, sizeof(m->what), "top-level attribute %u", t);
		return rri_fz_insert(m, -1, t, &zero, sizeof(zero));
	case 1:	/* a type the top-level policy does not know */
		t = RRI_A_MAX + 1 + rri_fz_below(fz, 100);
		snprintf(m->what, sizeof(m->what), "unknown top-level attribute %u", t);
		return rri_fz_insert(m, -1, t, &zero, sizeof(zero));
	case 2:	/* a read-only count in the map or the group */
		if (group >= 0) {
			t = rri_fz_pick(fz, gro);
			snprintf(m->what, sizeof(m->what), "read-only group attribute %u", t);
			return rri_fz_insert(m, group, t, &zero, sizeof(zero));
		}
		if (map < 0)
			return false;
		t = rri_fz_pick(fz, ro);
		snprintf(m->what, sizeof(m->what), "read-only map attribute %u", t);
		return rri_fz_insert(m, map, t, &zero, sizeof(zero));
	case 3:	/* an attribute beside what the command takes */
		if (rri_fz_group_cmd(m->cmd) && group < 0)
			return false;
		switch (m->cmd) {
		case RRI_CMD_GROUP_ADD:
			snprintf(m->what, sizeof(m->what), "RRI_A_GROUP_ROLE in an add");
			return rri_fz_insert(m, group, RRI_A_GROUP_ROLE, &one, sizeof(one));
		case RRI_CMD_GROUP_SET:
			snprintf(m->what, sizeof(m->what), "RRI_A_GROUP_KIND in a set");
			return rri_fz_insert(m, group, RRI_A_GROUP_KIND, &one, sizeof(one));
		case RRI_CMD_GROUP_DEL:
		case RRI_CMD_GROUP_GET:
			if (rri_fz_chance(fz, 1, 2)) {
				snprintf(m->what, sizeof(m->what), "GROUP_REPLAY by the name");
				return rri_fz_insert(m, group, RRI_A_GROUP_REPLAY, &zero, 0);
			}
			snprintf(m->what, sizeof(m->what), "GROUP_ROLE by the name");
			return rri_fz_insert(m, group, RRI_A_GROUP_ROLE, &one, sizeof(one));
		}
		if (map < 0 || m->cmd == RRI_CMD_MAP_ADD || m->cmd == RRI_CMD_MAP_SET)
			return false;
		if (rri_fz_chance(fz, 1, 2)) {
			snprintf(m->what, sizeof(m->what), "RRI_A_MAP_GROUP beside the name");
			return rri_fz_insert(m, map, RRI_A_MAP_GROUP, "grpm-8", 7);
		}
		snprintf(m->what, sizeof(m->what), "RRI_A_MAP_METRIC beside the name");
		return rri_fz_insert(m, map, RRI_A_MAP_METRIC, &zero, sizeof(zero));
	case 4:	/* a name in a map or group dump */
		if (!dump || map >= 0 || group >= 0 ||
		    (m->cmd != RRI_CMD_MAP_GET && m->cmd != RRI_CMD_GROUP_GET))
			return false;
		/* The nest the command takes, with a name in it. */
		if (m->cmd == RRI_CMD_GROUP_GET) {
			named.nla.nla_type = RRI_A_GROUP_NAME;
			memcpy(named.name, "grpm-9", 7);
			named.nla.nla_len = NLA_HDRLEN + 7;
		}
		snprintf(m->what, sizeof(m->what), "a name in a dump");
		return rri_fz_insert(m, -1, rri_fz_cmd_nest(m->cmd) | NLA_F_NESTED,
				     &named, NLA_ALIGN(named.nla.nla_len));
	default: /* a length in a gateway or VIP, an unknown type in a prefix */
		gw = rri_fz_find(m, RRI_FZ_MAP, RRI_A_MAP_GATEWAY);
		if (gw < 0)
			gw = rri_fz_find(m, RRI_FZ_GROUP, RRI_A_GROUP_VIP);
		pfx = gw >= 0 ? gw : rri_fz_find(m, RRI_FZ_MAP, RRI_A_MAP_MATCH_REMOTE);
		if (pfx < 0)
			return false;
		if (pfx == gw) {
			snprintf(m->what, sizeof(m->what), "RRI_A_PREFIX_LEN in the %s",
				 rri_fz_attr_name(m, gw));
			return rri_fz_insert(m, pfx, RRI_A_PREFIX_LEN, &len, sizeof(len));
		}
		snprintf(m->what, sizeof(m->what), "unknown prefix attribute");
		return rri_fz_insert(m, pfx, RRI_A_PREFIX_MAX + 1, &zero, sizeof(zero));
	}
}

static bool rri_fz_mut_bitfield(struct rri_fz *fz, struct rri_fz_msg *m)
{
	int i = rri_fz_find(m, RRI_FZ_MAP, RRI_A_MAP_FLAGS);
	int map = rri_fz_find(m, RRI_FZ_TOP, RRI_A_MAP);
	struct nla_bitfield32 bf;
	uint32_t bit = 1U << (1 + rri_fz_below(fz, 31));

	switch (rri_fz_below(fz, 3)) {
	case 0:		/* an unknown flag selected */
		bf.selector = RRI_MAP_F_ALL | bit;
		bf.value = rri_fz_chance(fz, 1, 2) ? RRI_MAP_F_REMOTE_PEER : 0;
		break;
	case 1:		/* an unknown flag's value */
		bf.selector = RRI_MAP_F_ALL;
		bf.value = bit | (rri_fz_chance(fz, 1, 2) ? RRI_MAP_F_REMOTE_PEER : 0);
		break;
	default:	/* a known flag's value, not selected */
		bf.selector = 0;
		bf.value = RRI_MAP_F_REMOTE_PEER;
		break;
	}
	m->must_fail = true;
	snprintf(m->what, sizeof(m->what), "FLAGS value %#x selector %#x",
		 bf.value, bf.selector);
	if (i >= 0) {
		memcpy(rri_fz_nla(m, i) + 1, &bf, sizeof(bf));
		return true;
	}
	if (map < 0)
		return false;
	return rri_fz_insert(m, map, RRI_A_MAP_FLAGS, &bf, sizeof(bf));
}

static bool rri_fz_mut_nlflags(struct rri_fz *fz, struct rri_fz_msg *m)
{
	static const uint16_t bits[] = {
		NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_DUMP_FILTERED, NLM_F_ROOT,
		NLM_F_MATCH, NLM_F_ATOMIC, 0x800, 0x1000, 0x8000,
	};
	uint16_t *flags = &m->u.nlh.nlmsg_flags, old = *flags;

	if (rri_fz_chance(fz, 1, 8)) {
		/* Not a request: the core acknowledges it, unprocessed. */
		*flags = (old & ~NLM_F_REQUEST) | NLM_F_ACK;
	} else {
		*flags |= rri_fz_pick(fz, bits);
	}
	if (*flags == old)
		return false;
	/* The verdict is the core's: rri_fz_core() tells it from the bytes. */
	m->must_fail = false;
	snprintf(m->what, sizeof(m->what), "nlmsg_flags %#x -> %#x", old, *flags);
	return true;
}

static bool rri_fz_mut_genlhdr(struct rri_fz *fz, struct rri_fz_msg *m)
{
	struct genlmsghdr *genl = NLMSG_DATA(&m->u.nlh);

	switch (rri_fz_below(fz, 3)) {
	case 0:
		genl->reserved = 1 + rri_fz_below(fz, 0xffff);
		snprintf(m->what, sizeof(m->what), "genl reserved %#x", genl->reserved);
		break;
	case 1:
		genl->cmd = rri_fz_chance(fz, 1, 4) ? 0 :
			    RRI_CMD_MAX + 1 + rri_fz_below(fz, 255 - RRI_CMD_MAX);
		snprintf(m->what, sizeof(m->what), "genl cmd %u", genl->cmd);
		break;
	default:
		/* The family's version is informational: anything goes. */
		genl->version = rri_fz_rand(fz);
		snprintf(m->what, sizeof(m->what), "genl version %u", genl->version);
		break;
	}
	m->must_fail = false;
	return true;
}

/* Apply exactly one mutation, or none for a quarter of the messages. */
static void rri_fz_mutate(struct rri_fz *fz, struct rri_fz_msg *m)
{
	static bool (*const apply[RRI_FZ_M_NUM])(struct rri_fz *, struct rri_fz_msg *) = {
		[RRI_FZ_M_LEN] = rri_fz_mut_len,
		[RRI_FZ_M_TYPE] = rri_fz_mut_type,
		[RRI_FZ_M_VALUE] = rri_fz_mut_value,
		[RRI_FZ_M_FLAT] = rri_fz_mut_flat,
		[RRI_FZ_M_HOIST] = rri_fz_mut_hoist,
		[RRI_FZ_M_WRAP] = rri_fz_mut_wrap,
		[RRI_FZ_M_TRUNC] = rri_fz_mut_trunc,
		[RRI_FZ_M_DUP] = rri_fz_mut_dup,
		[RRI_FZ_M_DROP] = rri_fz_mut_drop,
		[RRI_FZ_M_EXTRA] = rri_fz_mut_extra,
		[RRI_FZ_M_BITFIELD] = rri_fz_mut_bitfield,
		[RRI_FZ_M_NLFLAGS] = rri_fz_mut_nlflags,
		[RRI_FZ_M_GENLHDR] = rri_fz_mut_genlhdr,
	};
	int mut;

	if (rri_fz_chance(fz, 1, 4))
		return;
	/* Not every mutation fits every message: retry; truncation always does. */
	for (;;) {
		mut = RRI_FZ_M_LEN + rri_fz_below(fz, RRI_FZ_M_NUM - RRI_FZ_M_LEN);
		if (apply[mut](fz, m))
			break;
	}
	m->mut = mut;
}

/* --- judging answers --------------------------------------------------- */

/*
 * What the netlink and genetlink cores answer before the family sees the
 * message: 1 if they pass it on, else the errno (0: acknowledged without
 * being processed, for a message that is not a request).
 */
static int rri_fz_core(const struct nlmsghdr *nlh, bool privileged)
{
	const struct genlmsghdr *genl = NLMSG_DATA(nlh);
	uint16_t flags = nlh->nlmsg_flags;
	bool dump = (flags & NLM_F_DUMP) == NLM_F_DUMP;
	bool no_op;

	if (!(flags & NLM_F_REQUEST))
		return 0;
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return -EINVAL;
	if (genl->reserved)
		return -EINVAL;
	if (dump)
		flags &= ~NLM_F_DUMP;
	if (flags & ~(NLM_F_REQUEST | NLM_F_ACK | NLM_F_ECHO))
		return -EINVAL;
	if (!genl->cmd || genl->cmd > RRI_CMD_MAX ||
	    (!rri_fz_cmd[genl->cmd].doit && !rri_fz_cmd[genl->cmd].dumpit))
		return -EOPNOTSUPP;
	no_op = dump ? !rri_fz_cmd[genl->cmd].dumpit : !rri_fz_cmd[genl->cmd].doit;
	if (rri_fz_split_ops && no_op)
		return -EOPNOTSUPP;
	if (genl->cmd != RRI_CMD_VERSION_GET && !privileged)
		return -EPERM;
	if (no_op)
		return -EOPNOTSUPP;
	return 1;
}

/* The errnos the family itself may answer with. */
static bool rri_fz_family_errno(int error)
{
	switch (-error) {
	case EINVAL:		/* malformed, or against the contract */
	case ERANGE:		/* a policy range (mode, next hop, length) */
	case EAFNOSUPPORT:	/* a family other than AF_INET/AF_INET6 */
	case ENOENT:		/* no such map or group */
	case EEXIST:		/* a map or group of that name exists */
	case ENOSPC:		/* too many maps or groups */
	case ENODEV:		/* no such device */
	case EBUSY:		/* a dump runs on the socket, a map is in the group */
		return true;
	}
	return false;
}

/* The attribute of the request the extack points at, -1 if none. */
static int rri_fz_at(const struct rri_fz_msg *m, const struct rri_fz_ans *a)
{
	int i;

	for (i = 0; a->offs >= 0 && i < m->nattr; i++)
		if (m->attr[i].off == a->offs)
			return i;
	return -1;
}

static bool rri_fz_points_at(const struct rri_fz_msg *m,
			     const struct rri_fz_ans *a, int space, uint16_t type)
{
	int i = rri_fz_at(m, a);

	return i >= 0 && m->attr[i].space == space && m->attr[i].type == type;
}

/* Whether an unmutated request may end as @a says, given what we know. */
static bool rri_fz_expected(const struct rri_fz *fz, const struct rri_fz_msg *m,
			    const struct rri_fz_ans *a)
{
	bool group_cmd = rri_fz_group_cmd(m->cmd);
	const struct rri_fz_name *n = !group_cmd && m->name >= 0 ? &fz->names[m->name] : NULL;
	const struct rri_fz_group *g = group_cmd && m->name >= 0 ? &fz->groups[m->name] : NULL;
	const struct rri_fz_group *mg = m->mgroup >= 0 ? &fz->groups[m->mgroup] : NULL;
	bool dump = (m->u.nlh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	uint8_t known = n ? n->known : g ? g->known : RRI_FZ_UNKNOWN;
	bool present = (n || g) && known != RRI_FZ_ABSENT;
	bool absent = (n || g) && known != RRI_FZ_PRESENT;
	/* The group the map request names: perhaps missing, perhaps there. */
	bool mg_absent = m->mgroup == RRI_FZ_MG_NEVER || (mg && mg->known != RRI_FZ_PRESENT);
	bool mg_ok = m->mgroup == RRI_FZ_MG_NONE || m->mgroup == RRI_FZ_MG_EMPTY ||
		     (mg && mg->known != RRI_FZ_ABSENT);
	/* An unknown map or group is named as such: the extack points at it. */
	bool at_name = rri_fz_points_at(m, a, group_cmd ? RRI_FZ_GROUP : RRI_FZ_MAP,
					group_cmd ? RRI_A_GROUP_NAME : RRI_A_MAP_NAME);
	bool at_group = rri_fz_points_at(m, a, RRI_FZ_MAP, RRI_A_MAP_GROUP);
	int error = a->error;

	if (dump && error == -EBUSY)
		return m->after_dump;
	switch (m->cmd) {
	case RRI_CMD_MAP_ADD:
		/* The group is looked up before the name is. */
		if (error == -ENOENT)
			return at_group && mg_absent;
		return mg_ok && ((!error && absent) || (error == -EEXIST && present));
	case RRI_CMD_MAP_SET:
		/* The map is looked up first, the group last. */
		if (error == -ENOENT)
			return (at_name && absent) || (at_group && present && mg_absent);
		if (present && n->tainted && rri_fz_family_errno(error))
			return true;
		return !error && present && mg_ok;
	case RRI_CMD_MAP_DEL:
	case RRI_CMD_MAP_GET:
	case RRI_CMD_ROUTE_GET:
		if (!n)
			return !error;
		return (!error && present) || (error == -ENOENT && absent);
	case RRI_CMD_GROUP_ADD:
		return (!error && absent) || (error == -EEXIST && present);
	case RRI_CMD_GROUP_SET:
		if (error == -ENOENT)
			return at_name && absent;
		if (present && g->tainted && rri_fz_family_errno(error))
			return true;
		/* A vip group follows its address: its role is not set. */
		if (m->role && rri_fz_gpool_kind(m->name) == RRI_GROUP_VIP)
			return error == -EINVAL && present;
		return !error && present;
	case RRI_CMD_GROUP_DEL:
		if (error == -ENOENT)
			return at_name && absent;
		/* Refused while a map is in it. */
		if (error == -EBUSY)
			return present && (g->maybe || g->stray);
		return !error && present && !g->users;
	case RRI_CMD_GROUP_GET:
		if (!g)
			return !error;
		if (error == -ENOENT)
			return at_name && absent;
		return !error && present;
	default:
		return !error;
	}
}

/* Map @k of the pool is in group @g of the pool now, or in none (-1). */
static void rri_fz_join(struct rri_fz *fz, int k, int g)
{
	uint64_t bit = 1ULL << k;
	int i;

	for (i = 0; i < RRI_FZ_GPOOL; i++) {
		fz->groups[i].users &= ~bit;
		fz->groups[i].maybe &= ~bit;
	}
	if (g >= 0) {
		fz->groups[g].users |= bit;
		fz->groups[g].maybe |= bit;
	}
}

/*
 * Map @k of the pool (-1: a map outside it) may have left its group, and
 * may now be in group @g of the pool, if @g is one.
 */
static void rri_fz_may_join(struct rri_fz *fz, int k, int g)
{
	int i;

	if (k >= 0)
		for (i = 0; i < RRI_FZ_GPOOL; i++)
			fz->groups[i].users &= ~(1ULL << k);
	if (g < 0)
		return;
	if (k >= 0)
		fz->groups[g].maybe |= 1ULL << k;
	else
		fz->groups[g].stray = true;
}

/* Group @g of the pool is gone or new: no map is in it. */
static void rri_fz_group_empty(struct rri_fz *fz, int g)
{
	fz->groups[g].users = 0;
	fz->groups[g].maybe = 0;
	fz->groups[g].stray = false;
}

/* Learn from a group command's answer which groups exist. */
static void rri_fz_learn_group(struct rri_fz *fz, const struct rri_fz_msg *m,
			       int error)
{
	struct rri_fz_group *g;

	if (m->name < 0)
		return;
	g = &fz->groups[m->name];
	if (m->mut != RRI_FZ_M_NONE) {
		if (error)
			return;
		g->known = RRI_FZ_UNKNOWN;
		/* If it added the group, of any kind, the group is empty. */
		if (m->cmd == RRI_CMD_GROUP_ADD) {
			g->tainted = true;
			g->users = 0;
		}
		return;
	}
	switch (m->cmd) {
	case RRI_CMD_GROUP_ADD:
		if (!error) {
			g->tainted = false;
			rri_fz_group_empty(fz, m->name);
		}
		if (!error || error == -EEXIST)
			g->known = RRI_FZ_PRESENT;
		break;
	case RRI_CMD_GROUP_DEL:
		if (!error)
			g->tainted = false;
		if (error == -EBUSY)
			g->known = RRI_FZ_PRESENT;
		/* fall through */
	case RRI_CMD_GROUP_SET:
	case RRI_CMD_GROUP_GET:
		if (!error && m->cmd != RRI_CMD_GROUP_DEL) {
			g->known = RRI_FZ_PRESENT;
		} else if (!error || error == -ENOENT) {
			g->known = RRI_FZ_ABSENT;
			rri_fz_group_empty(fz, m->name);
		} else if (error == -EINVAL && m->cmd == RRI_CMD_GROUP_SET) {
			g->known = RRI_FZ_PRESENT;	/* a vip group's role */
		}
		break;
	}
}

/* Learn from the answer which maps and groups exist, and which maps are in which group. */
static void rri_fz_learn(struct rri_fz *fz, const struct rri_fz_msg *m,
			 const struct rri_fz_ans *a)
{
	struct rri_fz_group *mg = m->mgroup >= 0 ? &fz->groups[m->mgroup] : NULL;
	int error = a->error, k = m->name;
	struct rri_fz_name *n;

	if (rri_fz_group_cmd(m->cmd)) {
		rri_fz_learn_group(fz, m, error);
		return;
	}
	if (m->mut != RRI_FZ_M_NONE) {
		/* A refused change changes nothing; an accepted one, who knows. */
		if (error)
			return;
		if (m->cmd == RRI_CMD_MAP_ADD || m->cmd == RRI_CMD_MAP_SET)
			rri_fz_may_join(fz, k, m->mgroup);
		else if (m->cmd == RRI_CMD_MAP_DEL)
			rri_fz_may_join(fz, k, -1);
		if (k < 0)
			return;
		n = &fz->names[k];
		n->known = RRI_FZ_UNKNOWN;
		if (m->cmd == RRI_CMD_MAP_ADD || m->cmd == RRI_CMD_MAP_SET)
			n->tainted = true;
		return;
	}
	if (k < 0)
		return;
	n = &fz->names[k];
	switch (m->cmd) {
	case RRI_CMD_MAP_ADD:
		if (!error) {
			n->tainted = false;
			rri_fz_join(fz, k, m->mgroup);
		}
		if (!error || error == -EEXIST) {
			n->known = RRI_FZ_PRESENT;
			if (mg)
				mg->known = RRI_FZ_PRESENT;
		} else if (error == -ENOENT && mg) {
			mg->known = RRI_FZ_ABSENT;
			rri_fz_group_empty(fz, m->mgroup);
		}
		break;
	case RRI_CMD_MAP_SET:
		if (!error) {
			n->known = RRI_FZ_PRESENT;
			if (m->mgroup != RRI_FZ_MG_NONE)
				rri_fz_join(fz, k, m->mgroup);
			if (mg)
				mg->known = RRI_FZ_PRESENT;
		} else if (error == -ENOENT &&
			   rri_fz_points_at(m, a, RRI_FZ_MAP, RRI_A_MAP_GROUP)) {
			n->known = RRI_FZ_PRESENT;
			if (mg) {
				mg->known = RRI_FZ_ABSENT;
				rri_fz_group_empty(fz, m->mgroup);
			}
		} else if (error == -ENOENT) {
			n->known = RRI_FZ_ABSENT;
			rri_fz_join(fz, k, -1);
		}
		break;
	case RRI_CMD_MAP_DEL:
		if (!error)
			n->tainted = false;
		/* fall through */
	case RRI_CMD_MAP_GET:
	case RRI_CMD_ROUTE_GET:
		if (!error && m->cmd != RRI_CMD_MAP_DEL) {
			n->known = RRI_FZ_PRESENT;
		} else if (!error || error == -ENOENT) {
			n->known = RRI_FZ_ABSENT;
			rri_fz_join(fz, k, -1);
		}
		break;
	}
}

static void rri_fz_hexdump(const void *buf, int len)
{
	const uint8_t *p = buf;
	char line[80];
	int i, o;

	for (i = 0; i < len; i += 16) {
		o = snprintf(line, sizeof(line), "  %04x:", i);
		for (int j = i; j < len && j < i + 16; j++)
			o += snprintf(line + o, sizeof(line) - o, " %02x", p[j]);
		rri_fz_log("%s", line);
	}
}

enum rri_fz_failure {
	RRI_FZ_F_UNANSWERED, RRI_FZ_F_CORE, RRI_FZ_F_ACCEPTED,
	RRI_FZ_F_REFUSED_VALID, RRI_FZ_F_ERRNO, RRI_FZ_F_NO_EXTACK,
	RRI_FZ_F_OFFS, RRI_FZ_F_REPLY, RRI_FZ_F_NUM,
};

static const char *const rri_fz_failure_name[RRI_FZ_F_NUM] = {
	"unanswered", "wrong errno from the core",
	"accepted against the contract", "valid request refused",
	"unexpected errno", "refused without an extack reason",
	"extack offset outside the request", "bad reply",
};

static void rri_fz_fail(struct rri_fz *fz, const struct rri_fz_msg *m,
			const struct rri_fz_ans *a, int kind, const char *detail)
{
	const struct genlmsghdr *genl = NLMSG_DATA(&m->u.nlh);

	uint64_t h = 0xcbf29ce484222325ULL ^ (kind << 8 | genl->cmd);
	const char *c;
	int i;

	fz->st.failures++;
	fz->st.failed[kind][genl->cmd <= RRI_CMD_MAX ? genl->cmd : RRI_CMD_MAX + 1][m->mut]++;
	/* Each distinct failure (kind, command, mutation) once, a few per kind. */
	for (c = m->what; *c; c++)
		h = (h ^ (uint8_t)*c) * 0x100000001b3ULL;
	h ^= m->mut;
	for (i = 0; i < fz->nseen && fz->seen[i] != h; i++)
		;
	if (i < fz->nseen)
		return;
	if (fz->nseen < (int)ARRAY_SIZE(fz->seen))
		fz->seen[fz->nseen++] = h;
	if (fz->st.logged[kind]++ >= RRI_FZ_LOG_FAILURES) {
		if (fz->st.logged[kind] == RRI_FZ_LOG_FAILURES + 1)
			rri_fz_log("%s: %s: more of these, not shown", fz->phase,
				   rri_fz_failure_name[kind]);
		return;
	}
	rri_fz_log("%s: FAIL %s%s%s: cmd %u (%s) flags %#x seq %u, mutation %s%s%s",
		   fz->phase, rri_fz_failure_name[kind], detail ? ": " : "",
		   detail ? detail : "", genl->cmd,
		   genl->cmd && genl->cmd <= RRI_CMD_MAX ? rri_fz_cmd[genl->cmd].name : "?",
		   m->u.nlh.nlmsg_flags, m->u.nlh.nlmsg_seq,
		   rri_fz_mut_name[m->mut], m->what[0] ? ": " : "", m->what);
	rri_fz_log("  answer: %s error %d (%s), %d replies, extack \"%s\"%s, offset %d%s%s",
		   a->acked ? "NLMSG_ERROR" : a->done ? "NLMSG_DONE" : "none",
		   a->error, strerror(-a->error), a->nreplies, a->msg,
		   a->has_miss ? " + missing type" : "", a->offs,
		   a->bad ? ", malformed: " : "", a->bad ? a->bad_why : "");
	rri_fz_hexdump(m->u.buf, m->u.nlh.nlmsg_len);
}

static void rri_fz_judge(struct rri_fz *fz, const struct rri_fz_msg *m,
			 struct rri_fz_ans *a, bool privileged)
{
	bool dump = (m->u.nlh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
	bool ack = m->u.nlh.nlmsg_flags & NLM_F_ACK;
	int core = rri_fz_core(&m->u.nlh, privileged);
	const struct genlmsghdr *genl = NLMSG_DATA(&m->u.nlh);
	char detail[96];
	int error;

	fz->st.sent++;
	fz->st.by_cmd[genl->cmd <= RRI_CMD_MAX ? genl->cmd : RRI_CMD_MAX + 1]++;
	fz->st.mut_sent[m->mut]++;

	if (a->bad) {
		rri_fz_fail(fz, m, a, RRI_FZ_F_REPLY, NULL);
		return;
	}
	if (!a->acked && !a->done) {
		/*
		 * Without NLM_F_ACK, a reply is the whole answer to a request
		 * that has one, and silence is success for one that has none.
		 */
		if (core == 1 && !ack && !dump && rri_fz_cmd[m->cmd].reply == !!a->nreplies) {
			if (!a->nreplies)
				fz->st.silent++;
		} else {
			rri_fz_fail(fz, m, a, RRI_FZ_F_UNANSWERED, NULL);
			return;
		}
	}
	error = a->error;
	fz->st.by_errno[error <= 0 && -error < RRI_FZ_ERRNO_MAX ? -error : 0]++;
	if (!error)
		fz->st.ok_by_cmd[genl->cmd <= RRI_CMD_MAX ? genl->cmd : RRI_CMD_MAX + 1]++;
	if (error)
		fz->st.mut_refused[m->mut]++;

	if (core != 1) {
		if (error != core) {
			snprintf(detail, sizeof(detail), "expected %d", core);
			rri_fz_fail(fz, m, a, RRI_FZ_F_CORE, detail);
		}
		fz->st.no_extack_core += error && !a->has_msg;
		return;
	}

	if (dump && !a->done && !error) {
		rri_fz_fail(fz, m, a, RRI_FZ_F_REPLY, "dump without NLMSG_DONE");
		return;
	}
	if (!error) {
		if (m->must_fail)
			rri_fz_fail(fz, m, a, RRI_FZ_F_ACCEPTED, NULL);
		if (m->mut == RRI_FZ_M_DUP)
			fz->st.dup_accepted++;
		if (!dump && a->nreplies != (rri_fz_cmd[m->cmd].reply ? 1 : 0))
			rri_fz_fail(fz, m, a, RRI_FZ_F_REPLY, "replies to a doit");
		if (!dump && ack && !a->acked)
			rri_fz_fail(fz, m, a, RRI_FZ_F_REPLY, "NLM_F_ACK not acknowledged");
		if (m->mut == RRI_FZ_M_NONE && m->cmd == RRI_CMD_MAP_GET && !dump &&
		    m->name >= 0) {
			char want[RRI_MAP_NAME_MAX];

			rri_fz_pool_name(m->name, want, sizeof(want));
			if (strcmp(want, a->reply_name))
				rri_fz_fail(fz, m, a, RRI_FZ_F_REPLY, "another map's reply");
		}
		if (m->mut == RRI_FZ_M_NONE && m->cmd == RRI_CMD_GROUP_GET && !dump &&
		    m->name >= 0) {
			char want[RRI_GROUP_NAME_MAX];

			rri_fz_gpool_name(m->name, want, sizeof(want));
			if (strcmp(want, a->reply_name))
				rri_fz_fail(fz, m, a, RRI_FZ_F_REPLY, "another group's reply");
		}
	} else {
		if (!rri_fz_family_errno(error))
			rri_fz_fail(fz, m, a, RRI_FZ_F_ERRNO, NULL);
		else if (error == -EBUSY && !(dump && m->after_dump) &&
			 m->cmd != RRI_CMD_GROUP_DEL)
			rri_fz_fail(fz, m, a, RRI_FZ_F_ERRNO, "EBUSY without another dump");
		/* The core's EBUSY for a second dump comes without a reason. */
		if ((error != -EBUSY || !dump) && !a->has_msg) {
			if (a->has_miss)
				fz->st.miss_only++;
			else
				rri_fz_fail(fz, m, a, RRI_FZ_F_NO_EXTACK, NULL);
		}
		if (a->offs >= 0 && (a->offs < RRI_FZ_ATTR_OFFS ||
				     a->offs >= (int)m->u.nlh.nlmsg_len))
			rri_fz_fail(fz, m, a, RRI_FZ_F_OFFS, NULL);
	}
	if (m->mut == RRI_FZ_M_NONE && !rri_fz_expected(fz, m, a)) {
		const struct rri_fz_name *n = &fz->names[m->name >= 0 ? m->name : 0];
		const struct rri_fz_group *g = &fz->groups[m->name >= 0 ? m->name : 0];
		const struct rri_fz_group *mg = &fz->groups[m->mgroup >= 0 ? m->mgroup : 0];

		if (rri_fz_group_cmd(m->cmd))
			snprintf(detail, sizeof(detail),
				 "group %d known %d tainted %d maps %#llx/%#llx%s",
				 m->name, m->name >= 0 ? g->known : -1,
				 m->name >= 0 ? g->tainted : -1,
				 (unsigned long long)g->users, (unsigned long long)g->maybe,
				 g->stray ? " and others" : "");
		else
			snprintf(detail, sizeof(detail),
				 "map %d known %d tainted %d, group %d known %d",
				 m->name, m->name >= 0 ? n->known : -1,
				 m->name >= 0 ? n->tainted : -1, m->mgroup,
				 m->mgroup >= 0 ? mg->known : -1);
		rri_fz_fail(fz, m, a, error ? RRI_FZ_F_REFUSED_VALID : RRI_FZ_F_ACCEPTED,
			    detail);
	}
	rri_fz_learn(fz, m, a);
}

/* Decode the extack TLVs of an NLMSG_ERROR or NLMSG_DONE at @tlv. */
static bool rri_fz_extack(struct rri_fz_ans *a, const void *tlv, int len)
{
	const struct nlattr *nla;
	size_t n;
	int rem;

	rri_for_each_attr(nla, tlv, len, rem) {
		switch (nla->nla_type & NLA_TYPE_MASK) {
		case NLMSGERR_ATTR_MSG:
			n = strnlen(rri_nla_data(nla), nla->nla_len - NLA_HDRLEN);
			if (n > sizeof(a->msg) - 1)
				n = sizeof(a->msg) - 1;
			memcpy(a->msg, rri_nla_data(nla), n);
			a->msg[n] = '\0';
			a->has_msg = n > 0;
			break;
		case NLMSGERR_ATTR_OFFS:
			if (nla->nla_len != NLA_HDRLEN + sizeof(uint32_t))
				return false;
			memcpy(&a->offs, rri_nla_data(nla), sizeof(a->offs));
			break;
		case NLMSGERR_ATTR_MISS_TYPE:
			a->has_miss = true;
			break;
		}
	}
	return rem == 0;
}

static void rri_fz_bad(struct rri_fz_ans *a, const char *why)
{
	if (!a->bad)
		snprintf(a->bad_why, sizeof(a->bad_why), "%s", why);
	a->bad = true;
}

static void rri_fz_error(struct rri_fz_ans *a, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	uint32_t off = NLMSG_LENGTH(sizeof(*err)), echo;

	if (a->acked || a->done)
		rri_fz_bad(a, "a second NLMSG_ERROR");
	a->acked = true;
	if (nlh->nlmsg_len < off) {
		rri_fz_bad(a, "short NLMSG_ERROR");
		return;
	}
	a->error = err->error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		echo = err->msg.nlmsg_len - NLMSG_HDRLEN;
		off += NLMSG_ALIGN(echo);
	}
	if (off > nlh->nlmsg_len ||
	    !rri_fz_extack(a, (const char *)nlh + off, nlh->nlmsg_len - off))
		rri_fz_bad(a, "extack TLVs do not parse");
}

static void rri_fz_done(struct rri_fz_ans *a, const struct nlmsghdr *nlh)
{
	uint32_t off = NLMSG_LENGTH(sizeof(int));

	if (a->acked || a->done)
		rri_fz_bad(a, "NLMSG_DONE after the end");
	a->done = true;
	if (nlh->nlmsg_len < off) {
		rri_fz_bad(a, "short NLMSG_DONE");
		return;
	}
	memcpy(&a->error, NLMSG_DATA(nlh), sizeof(int));
	if ((nlh->nlmsg_flags & NLM_F_ACK_TLVS) &&
	    !rri_fz_extack(a, (const char *)nlh + NLMSG_ALIGN(off),
			   nlh->nlmsg_len - NLMSG_ALIGN(off)))
		rri_fz_bad(a, "NLMSG_DONE's TLVs do not parse");
}

/* Nests parse to their end, and carry NLA_F_NESTED; depth is bounded. */
static bool rri_fz_attrs_ok(const void *head, int len, int depth)
{
	const struct nlattr *nla;
	int rem;

	rri_for_each_attr(nla, head, len, rem) {
		if ((nla->nla_type & NLA_F_NESTED) &&
		    (depth > 2 || !rri_fz_attrs_ok(rri_nla_data(nla),
						   nla->nla_len - NLA_HDRLEN, depth + 1)))
			return false;
	}
	return rem == 0;
}

/* A reply of the family: the command's, with the attributes it sends. */
static void rri_fz_reply(struct rri_fz_ans *a, const struct rri_fz_msg *m,
			 const struct nlmsghdr *nlh, bool dump)
{
	static const uint16_t want[RRI_CMD_MAX + 1] = {
		[RRI_CMD_VERSION_GET] = RRI_A_VERSION,
		[RRI_CMD_STATS_GET] = RRI_A_STATS,
		[RRI_CMD_MAP_GET] = RRI_A_MAP,
		[RRI_CMD_ROUTE_GET] = RRI_A_ROUTE,
		[RRI_CMD_GROUP_GET] = RRI_A_GROUP,
	};
	const struct genlmsghdr *genl = NLMSG_DATA(nlh);
	const struct nlattr *nla, *sub;
	int len, rem, srem, nstats = 0;
	bool found = false;

	a->nreplies++;
	if (a->acked || a->done) {
		rri_fz_bad(a, "a reply after the end");
		return;
	}
	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN) || genl->cmd != m->cmd ||
	    !want[m->cmd] || !!(nlh->nlmsg_flags & NLM_F_MULTI) != dump) {
		rri_fz_bad(a, "a reply of another command or kind");
		return;
	}
	len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	if (!rri_fz_attrs_ok((const char *)genl + GENL_HDRLEN, len, 0)) {
		rri_fz_bad(a, "reply attributes do not parse");
		return;
	}
	rri_for_each_attr(nla, (const void *)((const char *)genl + GENL_HDRLEN), len, rem) {
		if ((nla->nla_type & NLA_TYPE_MASK) != want[m->cmd])
			continue;
		found = true;
		rri_for_each_attr(sub, rri_nla_data(nla), nla->nla_len - NLA_HDRLEN, srem) {
			uint16_t t = sub->nla_type & NLA_TYPE_MASK;

			if ((m->cmd == RRI_CMD_MAP_GET && t == RRI_A_MAP_NAME) ||
			    (m->cmd == RRI_CMD_GROUP_GET && t == RRI_A_GROUP_NAME))
				snprintf(a->reply_name, sizeof(a->reply_name), "%.*s",
					 (int)(sub->nla_len - NLA_HDRLEN),
					 (const char *)rri_nla_data(sub));
			if (m->cmd == RRI_CMD_STATS_GET && t >= RRI_A_STATS_SA_ADD)
				nstats++;
		}
	}
	if (!found)
		rri_fz_bad(a, "the reply lacks its attribute");
	else if (m->cmd == RRI_CMD_STATS_GET && nstats != RRI_FZ_NUM_STATS)
		rri_fz_bad(a, "not every counter in the stats");
}

/*
 * Send @n messages of the batch and a marker in one datagram, and read
 * until the marker is acknowledged and every dump has ended. Returns 0, or
 * a negative errno if the socket failed or nothing came within the
 * receive timeout (-EAGAIN).
 */
static int rri_fz_xfer(struct rri_fz *fz, struct rri_fz_sock *s, int n)
{
	struct rri_fz_msg *marker = &fz->batch[n];
	uint32_t base = fz->seq + 1;
	bool marker_done = false;
	struct nlmsghdr *nlh;
	size_t pos = 0;
	ssize_t got;
	int i, len, idx;

	rri_fz_init(marker, s->family, RRI_CMD_VERSION_GET, NLM_F_REQUEST | NLM_F_ACK);
	for (i = 0; i <= n; i++) {
		struct rri_fz_msg *m = &fz->batch[i];

		m->u.nlh.nlmsg_seq = base + i;
		m->u.nlh.nlmsg_pid = 0;
		/* A truncated message still starts the next at its aligned end. */
		memcpy(fz->sbuf + pos, m->u.buf, NLMSG_ALIGN(m->u.nlh.nlmsg_len));
		pos += NLMSG_ALIGN(m->u.nlh.nlmsg_len);
		memset(&fz->ans[i], 0, sizeof(fz->ans[i]));
		fz->ans[i].offs = -1;
	}
	fz->seq += n + 1;
	if (send(s->fd, fz->sbuf, pos, 0) != (ssize_t)pos)
		return errno ? -errno : -EIO;

	for (;;) {
		bool pending = !marker_done;

		/* A dump that has sent a part but not its end goes on as we read. */
		for (i = 0; i < n && !pending; i++)
			pending = fz->ans[i].nreplies && !fz->ans[i].done &&
				  !fz->ans[i].acked &&
				  (fz->batch[i].u.nlh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
		if (!pending)
			return 0;

		got = recv(s->fd, fz->rbuf, 65536, 0);
		if (got < 0)
			return -errno;
		len = got;
		for (nlh = (void *)fz->rbuf; NLMSG_OK(nlh, len); nlh = NLMSG_NEXT(nlh, len)) {
			idx = nlh->nlmsg_seq - base;
			if (idx < 0 || idx > n) {
				rri_fz_log("%s: an answer of seq %u, not of this batch (%u..%u)",
					   fz->phase, nlh->nlmsg_seq, base, base + n);
				fz->st.failures++;
				continue;
			}
			if (idx == n) {
				if (nlh->nlmsg_type == NLMSG_ERROR)
					marker_done = true;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_ERROR)
				rri_fz_error(&fz->ans[idx], nlh);
			else if (nlh->nlmsg_type == NLMSG_DONE)
				rri_fz_done(&fz->ans[idx], nlh);
			else if (nlh->nlmsg_type == s->family)
				rri_fz_reply(&fz->ans[idx], &fz->batch[idx], nlh,
					     (fz->batch[idx].u.nlh.nlmsg_flags & NLM_F_DUMP) ==
					     NLM_F_DUMP);
			if (nlh->nlmsg_type == s->family && fz->hook)
				fz->hook(fz, nlh);
			if (nlh->nlmsg_type == s->family && fz->cap) {
				size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;

				if (fz->caplen + plen > fz->capmax)
					rri_fz_bad(&fz->ans[idx], "snapshot too large");
				else
					memcpy(fz->cap + fz->caplen, NLMSG_DATA(nlh), plen);
				fz->caplen += plen;
			}
			if (nlh->nlmsg_type != NLMSG_ERROR && nlh->nlmsg_type != NLMSG_DONE &&
			    nlh->nlmsg_type != s->family)
				rri_fz_bad(&fz->ans[idx], "an answer of unknown type");
		}
		if (len)
			rri_fz_log("%s: %d bytes of a datagram are no message", fz->phase, len);
	}
}

static void rri_fz_env(struct rri_fz *fz)
{
	const char *const devs[] = { "fz0", "lo", "fz1" };
	unsigned int idx;
	int i;

	fz->noif = 0;
	for (i = 0; i < (int)ARRAY_SIZE(devs); i++) {
		idx = if_nametoindex(devs[i]);
		if (idx)
			fz->oif[fz->noif++] = idx;
	}
	fz->vrf = if_nametoindex("fzvrf");
}

static struct rri_fz *rri_fz_new(struct __test_metadata *_metadata,
				 const char *phase, uint64_t seed, int known)
{
	struct rri_fz *fz = calloc(1, sizeof(*fz));
	int i;

	if (!fz)
		return NULL;
	fz->_metadata = _metadata;
	fz->phase = phase;
	fz->rs = seed ? seed : 1;
	fz->batch = calloc(RRI_FZ_BATCH + 1, sizeof(*fz->batch));
	fz->ans = calloc(RRI_FZ_BATCH + 1, sizeof(*fz->ans));
	fz->sbuf = malloc((RRI_FZ_BATCH + 1) * RRI_FZ_MSG_MAX);
	fz->rbuf = malloc(65536);
	if (!fz->batch || !fz->ans || !fz->sbuf || !fz->rbuf)
		abort();
	for (i = 0; i < RRI_FZ_POOL; i++)
		fz->names[i].known = known;
	/* In a namespace of unknown state, any map may be in any group. */
	for (i = 0; i < RRI_FZ_GPOOL; i++) {
		fz->groups[i].known = known;
		fz->groups[i].stray = known != RRI_FZ_ABSENT;
	}
	rri_fz_env(fz);
	return fz;
}

static void rri_fz_free(struct rri_fz *fz)
{
	free(fz->batch);
	free(fz->ans);
	free(fz->sbuf);
	free(fz->rbuf);
	free(fz);
}

static double rri_fz_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Send @count messages, each batch on one of the @nsocks sockets (the
 * first one seven times out of eight), and judge every answer.
 */
static void rri_fz_run(struct rri_fz *fz, struct rri_fz_sock *socks, int nsocks,
		       long count)
{
	long sent = 0;
	int n, ret, i;

	while (sent < count && !fz->hung) {
		struct rri_fz_sock *s = &socks[0];
		bool dump = false;

		if (nsocks > 1 && rri_fz_chance(fz, 1, 8))
			s = &socks[1 + rri_fz_below(fz, nsocks - 1)];
		for (n = 0; n < RRI_FZ_BATCH && sent + n < count; n++) {
			struct rri_fz_msg *m = &fz->batch[n];

			rri_fz_valid(fz, m, s->family, rri_fz_chance(fz, 1, 2));
			rri_fz_mutate(fz, m);
			m->after_dump = dump;
			if ((m->u.nlh.nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) {
				dump = true;
				fz->st.dumps++;
				/* Mostly one dump a batch; sometimes a second, for EBUSY. */
				if (rri_fz_chance(fz, 7, 8)) {
					n++;
					break;
				}
			}
		}
		ret = rri_fz_xfer(fz, s, n);
		fz->st.batches++;
		if (ret) {
			rri_fz_log("%s: batch %lu on the %s socket: %s%s", fz->phase,
				   fz->st.batches, s->label, strerror(-ret),
				   ret == -EAGAIN ? " (no answer in time: a hang)" : "");
			fz->st.failures++;
			fz->hung = true;
		}
		for (i = 0; i < n; i++)
			rri_fz_judge(fz, &fz->batch[i], &fz->ans[i], s->privileged);
		sent += n;
	}
}

static void rri_fz_report(struct rri_fz *fz, double secs)
{
	char line[512];
	int i, o;

	rri_fz_log("%s: %lu messages in %lu batches, %.1f s (%.0f/s), %lu dump requests, %lu silent successes",
		   fz->phase, fz->st.sent, fz->st.batches, secs,
		   secs > 0 ? fz->st.sent / secs : 0.0, fz->st.dumps, fz->st.silent);
	o = snprintf(line, sizeof(line), "%s: answers:", fz->phase);
	for (i = 0; i < RRI_FZ_ERRNO_MAX; i++)
		if (fz->st.by_errno[i])
			o += snprintf(line + o, sizeof(line) - o, " %s %lu",
				      i ? strerrorname_np(i) : "ok", fz->st.by_errno[i]);
	rri_fz_log("%s", line);
	o = snprintf(line, sizeof(line), "%s: commands (sent/accepted):", fz->phase);
	for (i = 1; i <= RRI_CMD_MAX + 1; i++)
		o += snprintf(line + o, sizeof(line) - o, " %s %lu/%lu",
			      i <= RRI_CMD_MAX ? rri_fz_cmd[i].name : "unknown",
			      fz->st.by_cmd[i], fz->st.ok_by_cmd[i]);
	rri_fz_log("%s", line);
	o = snprintf(line, sizeof(line), "%s: mutations (sent/refused):", fz->phase);
	for (i = 0; i < RRI_FZ_M_NUM; i++)
		o += snprintf(line + o, sizeof(line) - o, " %s %lu/%lu",
			      rri_fz_mut_name[i], fz->st.mut_sent[i], fz->st.mut_refused[i]);
	rri_fz_log("%s", line);
	rri_fz_log("%s: accepted duplicates %lu; refused with only the missing attribute's type %lu; core refusals without a message %lu; failures %lu",
		   fz->phase, fz->st.dup_accepted, fz->st.miss_only,
		   fz->st.no_extack_core, fz->st.failures);
	for (int k = 0; k < RRI_FZ_F_NUM; k++) {
		for (i = 1; i <= RRI_CMD_MAX + 1; i++) {
			o = 0;
			for (int j = 0; j < RRI_FZ_M_NUM; j++)
				if (fz->st.failed[k][i][j])
					o += snprintf(line + o, sizeof(line) - o, " %s %lu",
						      rri_fz_mut_name[j], fz->st.failed[k][i][j]);
			if (o)
				rri_fz_log("%s: FAILED %s: %s:%s", fz->phase,
					   rri_fz_failure_name[k],
					   i <= RRI_CMD_MAX ? rri_fz_cmd[i].name : "unknown",
					   line);
		}
	}
}

/* One request on its own, for the checks around the fuzzing. */
static int rri_fz_one(struct rri_fz *fz, struct rri_fz_sock *s,
		      struct rri_fz_msg *m, struct rri_fz_ans *a)
{
	int ret;

	fz->batch[0] = *m;
	ret = rri_fz_xfer(fz, s, 1);
	*a = fz->ans[0];
	*m = fz->batch[0];
	return ret;
}

/* The module answers VERSION_GET and (if allowed) STATS_GET in full. */
static bool rri_fz_healthy(struct rri_fz *fz, struct rri_fz_sock *s)
{
	static struct rri_fz_msg m;
	struct rri_fz_ans a;

	rri_fz_init(&m, s->family, RRI_CMD_VERSION_GET, NLM_F_REQUEST | NLM_F_ACK);
	if (rri_fz_one(fz, s, &m, &a) || a.bad || a.error || a.nreplies != 1) {
		rri_fz_log("%s: VERSION_GET on the %s socket: error %d, %d replies%s%s",
			   fz->phase, s->label, a.error, a.nreplies,
			   a.bad ? ", " : "", a.bad ? a.bad_why : "");
		return false;
	}
	if (!s->privileged)
		return true;
	rri_fz_init(&m, s->family, RRI_CMD_STATS_GET, NLM_F_REQUEST | NLM_F_ACK);
	if (rri_fz_one(fz, s, &m, &a) || a.bad || a.error || a.nreplies != 1) {
		rri_fz_log("%s: STATS_GET on the %s socket: error %d, %d replies%s%s",
			   fz->phase, s->label, a.error, a.nreplies,
			   a.bad ? ", " : "", a.bad ? a.bad_why : "");
		return false;
	}
	return true;
}

/* How many maps the socket's namespace has (a map dump), -1 on error. */
static int rri_fz_count_maps(struct rri_fz *fz, struct rri_fz_sock *s)
{
	static struct rri_fz_msg m;
	struct rri_fz_ans a;

	rri_fz_init(&m, s->family, RRI_CMD_MAP_GET,
		    NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	if (rri_fz_one(fz, s, &m, &a) || a.bad || a.error || !a.done)
		return -1;
	return a.nreplies;
}

/* How many groups the socket's namespace has (a group dump), -1 on error. */
static int rri_fz_count_groups(struct rri_fz *fz, struct rri_fz_sock *s)
{
	static struct rri_fz_msg m;
	struct rri_fz_ans a;

	rri_fz_init(&m, s->family, RRI_CMD_GROUP_GET,
		    NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
	if (rri_fz_one(fz, s, &m, &a) || a.bad || a.error || !a.done)
		return -1;
	return a.nreplies;
}

/* What the dumps of maps, groups and routes say, for rri_fz_consistent(). */
struct rri_fz_state {
	int nmaps, ngroups, nroutes;
	bool overflow;
	struct {
		char name[RRI_MAP_NAME_MAX], group[RRI_GROUP_NAME_MAX];
		uint32_t routes;
	} maps[RRI_MAPS_MAX + 8];
	struct {
		char name[RRI_GROUP_NAME_MAX];
		uint8_t role;
		uint32_t maps, routes, installed;
	} groups[RRI_GROUPS_MAX + 8];
	/* routes: their map's name and state, one after the other */
	struct {
		char map[RRI_MAP_NAME_MAX];
		uint8_t state;
	} routes[4096];
};

static void rri_fz_copy_str(char *dst, size_t size, const struct nlattr *nla)
{
	snprintf(dst, size, "%.*s", (int)(nla->nla_len - NLA_HDRLEN),
		 (const char *)rri_nla_data(nla));
}

static uint8_t rri_fz_get_u8(const struct nlattr *nla)
{
	return nla->nla_len == NLA_HDRLEN + 1 ? *(const uint8_t *)rri_nla_data(nla) : 0;
}

static uint32_t rri_fz_get_u32(const struct nlattr *nla)
{
	uint32_t v = 0;

	if (nla->nla_len == NLA_HDRLEN + sizeof(v))
		memcpy(&v, rri_nla_data(nla), sizeof(v));
	return v;
}

/* rri_fz_xfer()'s hook: note the map, group or route of a dump's reply. */
static void rri_fz_state_hook(struct rri_fz *fz, const struct nlmsghdr *nlh)
{
	struct rri_fz_state *st = fz->hook_arg;
	const struct genlmsghdr *genl = NLMSG_DATA(nlh);
	const struct nlattr *nla, *sub;
	int len, rem, srem, i;

	if (nlh->nlmsg_len < NLMSG_LENGTH(GENL_HDRLEN))
		return;
	len = nlh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	rri_for_each_attr(nla, (const void *)((const char *)genl + GENL_HDRLEN), len, rem) {
		uint16_t type = nla->nla_type & NLA_TYPE_MASK;
		const void *head = rri_nla_data(nla);
		int slen = nla->nla_len - NLA_HDRLEN;

		if (genl->cmd == RRI_CMD_MAP_GET && type == RRI_A_MAP) {
			if (st->nmaps == (int)ARRAY_SIZE(st->maps)) {
				st->overflow = true;
				continue;
			}
			i = st->nmaps++;
			rri_for_each_attr(sub, head, slen, srem) {
				switch (sub->nla_type & NLA_TYPE_MASK) {
				case RRI_A_MAP_NAME:
					rri_fz_copy_str(st->maps[i].name, RRI_MAP_NAME_MAX, sub);
					break;
				case RRI_A_MAP_GROUP:
					rri_fz_copy_str(st->maps[i].group, RRI_GROUP_NAME_MAX, sub);
					break;
				case RRI_A_MAP_ROUTES:
					st->maps[i].routes = rri_fz_get_u32(sub);
					break;
				}
			}
		} else if (genl->cmd == RRI_CMD_GROUP_GET && type == RRI_A_GROUP) {
			if (st->ngroups == (int)ARRAY_SIZE(st->groups)) {
				st->overflow = true;
				continue;
			}
			i = st->ngroups++;
			rri_for_each_attr(sub, head, slen, srem) {
				switch (sub->nla_type & NLA_TYPE_MASK) {
				case RRI_A_GROUP_NAME:
					rri_fz_copy_str(st->groups[i].name,
							RRI_GROUP_NAME_MAX, sub);
					break;
				case RRI_A_GROUP_ROLE:
					st->groups[i].role = rri_fz_get_u8(sub);
					break;
				case RRI_A_GROUP_MAPS:
					st->groups[i].maps = rri_fz_get_u32(sub);
					break;
				case RRI_A_GROUP_ROUTES:
					st->groups[i].routes = rri_fz_get_u32(sub);
					break;
				case RRI_A_GROUP_INSTALLED:
					st->groups[i].installed = rri_fz_get_u32(sub);
					break;
				}
			}
		} else if (genl->cmd == RRI_CMD_ROUTE_GET && type == RRI_A_ROUTE) {
			if (st->nroutes == (int)ARRAY_SIZE(st->routes)) {
				st->overflow = true;
				continue;
			}
			i = st->nroutes++;
			rri_for_each_attr(sub, head, slen, srem) {
				switch (sub->nla_type & NLA_TYPE_MASK) {
				case RRI_A_ROUTE_MAP:
					rri_fz_copy_str(st->routes[i].map, RRI_MAP_NAME_MAX, sub);
					break;
				case RRI_A_ROUTE_STATE:
					st->routes[i].state = rri_fz_get_u8(sub);
					break;
				}
			}
		}
	}
}

static int rri_fz_state_group(const struct rri_fz_state *st, const char *name)
{
	int i;

	for (i = 0; name[0] && i < st->ngroups; i++)
		if (!strcmp(st->groups[i].name, name))
			return i;
	return -1;
}

static int rri_fz_state_map(const struct rri_fz_state *st, const char *name)
{
	int i;

	for (i = 0; i < st->nmaps; i++)
		if (!strcmp(st->maps[i].name, name))
			return i;
	return -1;
}

/*
 * The maps, groups and routes of the socket's namespace agree: a map's
 * group exists; a group counts the maps that name it, and its installed
 * routes among its routes; on standby none of its routes is in the FIB
 * (group, maps and routes say so), and a route on standby is one of a
 * group on standby.
 */
static bool rri_fz_consistent(struct rri_fz *fz, struct rri_fz_sock *s)
{
	static const uint8_t cmds[] = {
		RRI_CMD_GROUP_GET, RRI_CMD_MAP_GET, RRI_CMD_ROUTE_GET,
	};
	struct rri_fz_state *st = calloc(1, sizeof(*st));
	static struct rri_fz_msg m;
	struct rri_fz_ans a;
	bool ok = true;
	int i, g, k, n, standby = 0;
	size_t c;

	if (!st)
		return false;
	fz->hook = rri_fz_state_hook;
	fz->hook_arg = st;
	for (c = 0; c < ARRAY_SIZE(cmds) && ok; c++) {
		rri_fz_init(&m, s->family, cmds[c], NLM_F_REQUEST | NLM_F_ACK | NLM_F_DUMP);
		ok = !rri_fz_one(fz, s, &m, &a) && !a.bad && !a.error && a.done;
		if (!ok)
			rri_fz_log("%s: the %s dump failed: error %d", fz->phase,
				   rri_fz_cmd[cmds[c]].name, a.error);
	}
	fz->hook = NULL;
	if (st->overflow) {
		rri_fz_log("%s: more maps, groups or routes than the check holds", fz->phase);
		ok = false;
	}
	for (i = 0; ok && i < st->nmaps; i++) {
		if (st->maps[i].group[0] && rri_fz_state_group(st, st->maps[i].group) < 0) {
			rri_fz_log("%s: map %s is in group \"%s\", which the group dump lacks",
				   fz->phase, st->maps[i].name, st->maps[i].group);
			ok = false;
		}
	}
	for (g = 0; ok && g < st->ngroups; g++) {
		for (i = 0, n = 0; i < st->nmaps; i++)
			n += !strcmp(st->maps[i].group, st->groups[g].name);
		if (st->groups[g].maps != (uint32_t)n ||
		    st->groups[g].installed > st->groups[g].routes ||
		    (st->groups[g].role != RRI_ROLE_ACTIVE &&
		     st->groups[g].role != RRI_ROLE_STANDBY) ||
		    (st->groups[g].role == RRI_ROLE_STANDBY && st->groups[g].installed)) {
			rri_fz_log("%s: group %s: role %u, %u maps (%d in the map dump)",
				   fz->phase, st->groups[g].name, st->groups[g].role,
				   st->groups[g].maps, n);
			rri_fz_log("%s: group %s: %u routes, %u installed", fz->phase,
				   st->groups[g].name, st->groups[g].routes,
				   st->groups[g].installed);
			ok = false;
		}
		standby += st->groups[g].role == RRI_ROLE_STANDBY;
	}
	for (i = 0; ok && i < st->nmaps; i++) {
		g = rri_fz_state_group(st, st->maps[i].group);
		if (g >= 0 && st->groups[g].role == RRI_ROLE_STANDBY && st->maps[i].routes) {
			rri_fz_log("%s: map %s has %u routes installed, its group %s is on standby",
				   fz->phase, st->maps[i].name, st->maps[i].routes,
				   st->groups[g].name);
			ok = false;
		}
	}
	for (i = 0; ok && i < st->nroutes; i++) {
		k = rri_fz_state_map(st, st->routes[i].map);
		g = k >= 0 ? rri_fz_state_group(st, st->maps[k].group) : -1;
		if (st->routes[i].state == RRI_ROUTE_STATE_STANDBY ?
		    g < 0 || st->groups[g].role != RRI_ROLE_STANDBY :
		    st->routes[i].state == RRI_ROUTE_STATE_INSTALLED &&
		    g >= 0 && st->groups[g].role == RRI_ROLE_STANDBY) {
			rri_fz_log("%s: a route of map %s is in state %u, its group %s %s",
				   fz->phase, st->routes[i].map, st->routes[i].state,
				   g >= 0 ? st->groups[g].name : "(none)",
				   g >= 0 && st->groups[g].role == RRI_ROLE_ACTIVE ? "active" :
				   g >= 0 ? "on standby" : "");
			ok = false;
		}
	}
	rri_fz_log("%s: %d maps, %d groups (%d on standby), %d routes: %s", fz->phase,
		   st->nmaps, st->ngroups, standby, st->nroutes,
		   ok ? "consistent" : "NOT consistent");
	free(st);
	return ok;
}

/*
 * What a namespace holds, as its owner sees it: the replies of a map dump,
 * a group dump, a route dump and STATS_GET, back to back.
 */
static bool rri_fz_snapshot(struct rri_fz *fz, struct rri_fz_sock *s,
			    char *buf, size_t max, size_t *len)
{
	static const uint8_t cmds[] = {
		RRI_CMD_MAP_GET, RRI_CMD_GROUP_GET, RRI_CMD_ROUTE_GET,
		RRI_CMD_STATS_GET,
	};
	static struct rri_fz_msg m;
	struct rri_fz_ans a;
	bool ok = true;
	size_t i;

	fz->cap = buf;
	fz->capmax = max;
	fz->caplen = 0;
	for (i = 0; i < ARRAY_SIZE(cmds) && ok; i++) {
		rri_fz_init(&m, s->family, cmds[i], NLM_F_REQUEST | NLM_F_ACK |
			    (cmds[i] == RRI_CMD_STATS_GET ? 0 : NLM_F_DUMP));
		ok = !rri_fz_one(fz, s, &m, &a) && !a.bad && !a.error;
	}
	fz->cap = NULL;
	*len = fz->caplen;
	return ok;
}

/* A snapshot that two readings 100 ms apart agree on. */
static bool rri_fz_settled(struct rri_fz *fz, struct rri_fz_sock *s,
			   char *buf, char *tmp, size_t max, size_t *len)
{
	size_t tlen;
	int i;

	if (!rri_fz_snapshot(fz, s, buf, max, len))
		return false;
	for (i = 0; i < 50; i++) {
		usleep(100000);
		if (!rri_fz_snapshot(fz, s, tmp, max, &tlen))
			return false;
		if (tlen == *len && !memcmp(buf, tmp, tlen))
			return true;
		memcpy(buf, tmp, tlen);
		*len = tlen;
	}
	return false;
}

/* --- the tests --------------------------------------------------------- */

FIXTURE(fuzz) {
	struct rri_fz_sock sock;
	uint64_t seed;
	long count;
};

FIXTURE_SETUP(fuzz)
{
	unsigned int major = 0, minor = 0;
	struct utsname u;
	const char *env;
	int ret;

	if (!uname(&u))
		sscanf(u.release, "%u.%u", &major, &minor);
	rri_fz_split_ops = major > 6 || (major == 6 && minor >= 2);

	env = getenv("RRI_FUZZ_COUNT");
	self->count = env ? strtol(env, NULL, 0) : RRI_FZ_DEFAULT_COUNT;
	ASSERT_LT(0, self->count);
	env = getenv("RRI_FUZZ_SEED");
	self->seed = env ? strtoull(env, NULL, 0) :
		     (uint64_t)time(NULL) << 20 ^ (uint64_t)getpid();
	ret = rri_fz_open(&self->sock, true, "own");
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

FIXTURE_TEARDOWN(fuzz)
{
	if (self->sock.fd >= 0)
		close(self->sock.fd);
}

static bool rri_fz_in_init_netns(void)
{
	struct stat self_ns, init_ns;

	if (stat("/proc/self/ns/net", &self_ns) || stat("/proc/1/ns/net", &init_ns))
		return true;
	return self_ns.st_ino == init_ns.st_ino && self_ns.st_dev == init_ns.st_dev;
}

/* The share of @count one phase sends: 80 percent as root, 10 each else. */
static long rri_fz_share(long count, int percent)
{
	long n = count * percent / 100;

	return n ? n : 1;
}

TEST_F_TIMEOUT(fuzz, as_root, 1800)
{
	struct rri_fz *fz;
	double t0;
	int maps, groups;

	/* Whatever the fuzzer adds or resets must not land on the host. */
	if (rri_fz_in_init_netns()) {
		ASSERT_EQ(0, unshare(CLONE_NEWNET));
		close(self->sock.fd);
		ASSERT_EQ(0, rri_fz_open(&self->sock, true, "own"));
	}
	fz = rri_fz_new(_metadata, "root", self->seed ^ 0x726f6f74, RRI_FZ_UNKNOWN);
	ASSERT_NE(NULL, fz);
	rri_fz_log("root: seed %#llx (RRI_FUZZ_SEED), %ld of RRI_FUZZ_COUNT=%ld messages, %d devices, VRF %s",
		   (unsigned long long)self->seed, rri_fz_share(self->count, 80),
		   self->count, fz->noif, fz->vrf ? "yes" : "no");

	t0 = rri_fz_now();
	rri_fz_run(fz, &self->sock, 1, rri_fz_share(self->count, 80));
	rri_fz_report(fz, rri_fz_now() - t0);

	EXPECT_TRUE(rri_fz_healthy(fz, &self->sock));
	maps = rri_fz_count_maps(fz, &self->sock);
	groups = rri_fz_count_groups(fz, &self->sock);
	rri_fz_log("root: %d maps left (at most %d), %d groups (at most %d)", maps,
		   RRI_FZ_MAPS_BOUND, groups, RRI_FZ_GROUPS_BOUND);
	EXPECT_LE(0, maps);
	EXPECT_GE(RRI_FZ_MAPS_BOUND, maps);
	EXPECT_LE(0, groups);
	EXPECT_GE(RRI_FZ_GROUPS_BOUND, groups);
	EXPECT_TRUE(rri_fz_consistent(fz, &self->sock));
	EXPECT_FALSE(fz->hung);
	EXPECT_EQ(0UL, fz->st.failures);
	rri_fz_free(fz);
}

static int rri_fz_capset_drop(int cap)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -errno;
	data[cap / 32].effective &= ~(1U << (cap % 32));
	data[cap / 32].permitted &= ~(1U << (cap % 32));
	data[cap / 32].inheritable &= ~(1U << (cap % 32));
	if (syscall(SYS_capset, &hdr, data))
		return -errno;
	return 0;
}

static void rri_fz_nobody(uid_t *uid, gid_t *gid)
{
	struct passwd *pw = getpwnam("nobody");

	*uid = pw ? pw->pw_uid : 65534;
	*gid = pw ? pw->pw_gid : 65534;
}

static int rri_fz_become(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid))
		return -errno;
	return 0;
}

#define RRI_FZ_SNAPSHOT_MAX	(4 << 20)

/*
 * Run @fn in a child, which gives up privileges for good, and check as
 * root before and after that the namespace the test runs in is unchanged:
 * none of the child's messages reached it.
 */
static void rri_fz_isolated(struct __test_metadata *_metadata,
			    FIXTURE_DATA(fuzz) *self,
			    void (*fn)(struct __test_metadata *, FIXTURE_DATA(fuzz) *))
{
	char *before = malloc(RRI_FZ_SNAPSHOT_MAX), *after = malloc(RRI_FZ_SNAPSHOT_MAX);
	struct rri_fz *fz = rri_fz_new(_metadata, "snapshot", 1, RRI_FZ_UNKNOWN);
	size_t blen, alen;
	int status;
	pid_t pid;

	ASSERT_TRUE(before && after && fz);
	ASSERT_TRUE(rri_fz_settled(fz, &self->sock, before, after, RRI_FZ_SNAPSHOT_MAX, &blen));
	fflush(stderr);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* An ASSERT in @fn ends the child through the harness, failed. */
		fn(_metadata, self);
		_exit(_metadata->passed ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	ASSERT_TRUE(rri_fz_snapshot(fz, &self->sock, after, RRI_FZ_SNAPSHOT_MAX, &alen));
	rri_fz_log("%s: the test's own namespace: %zu bytes of maps, routes and counters before, %zu after",
		   _metadata->name, blen, alen);
	EXPECT_EQ(blen, alen);
	EXPECT_EQ(0, memcmp(before, after, blen < alen ? blen : alen));
	rri_fz_free(fz);
	free(before);
	free(after);
}

static void rri_fz_unprivileged(struct __test_metadata *_metadata,
				FIXTURE_DATA(fuzz) *self)
{
	struct rri_fz_sock nobody;
	struct rri_fz *fz;
	uid_t uid;
	gid_t gid;
	double t0;
	long n = rri_fz_share(self->count, 10);

	fz = rri_fz_new(_metadata, "no-cap", self->seed ^ 0x6e6f636170, RRI_FZ_UNKNOWN);
	ASSERT_NE(NULL, fz);
	rri_fz_log("no-cap: seed %#llx, %ld messages as uid 0 without CAP_NET_ADMIN, on a socket root opened",
		   (unsigned long long)self->seed, n / 2);
	ASSERT_EQ(0, rri_fz_capset_drop(CAP_NET_ADMIN));
	self->sock.privileged = false;
	t0 = rri_fz_now();
	rri_fz_run(fz, &self->sock, 1, n / 2);
	rri_fz_report(fz, rri_fz_now() - t0);
	EXPECT_TRUE(rri_fz_healthy(fz, &self->sock));
	EXPECT_FALSE(fz->hung);
	EXPECT_EQ(0UL, fz->st.failures);
	rri_fz_free(fz);

	rri_fz_nobody(&uid, &gid);
	ASSERT_EQ(0, rri_fz_become(uid, gid));
	ASSERT_EQ(0, rri_fz_open(&nobody, false, "nobody's"));
	fz = rri_fz_new(_metadata, "nobody", self->seed ^ 0x6e6f626f6479, RRI_FZ_UNKNOWN);
	ASSERT_NE(NULL, fz);
	rri_fz_log("nobody: seed %#llx, %ld messages as uid %u on its own socket",
		   (unsigned long long)self->seed, n - n / 2, uid);
	t0 = rri_fz_now();
	rri_fz_run(fz, &nobody, 1, n - n / 2);
	rri_fz_report(fz, rri_fz_now() - t0);
	EXPECT_TRUE(rri_fz_healthy(fz, &nobody));
	EXPECT_FALSE(fz->hung);
	EXPECT_EQ(0UL, fz->st.failures);
	close(nobody.fd);
	rri_fz_free(fz);
}

TEST_F_TIMEOUT(fuzz, unprivileged, 900)
{
	if (getuid())
		SKIP(return, "needs root to drop privileges from");
	rri_fz_isolated(_metadata, self, rri_fz_unprivileged);
}

static int rri_fz_write(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		ret = -errno;
	close(fd);
	return ret;
}

/* Whether nobody may create a user namespace here (a sysctl may forbid). */
static bool rri_fz_userns_for_nobody(uid_t uid, gid_t gid)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(rri_fz_become(uid, gid) || prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) ||
		      unshare(CLONE_NEWUSER) ||
		      rri_fz_write("/proc/self/setgroups", "deny"));
	return pid > 0 && waitpid(pid, &status, 0) == pid &&
	       WIFEXITED(status) && !WEXITSTATUS(status);
}

/* A socket in the network namespace at @path, opened by the caller. */
static int rri_fz_open_in(struct rri_fz_sock *s, const char *path,
			  const char *label)
{
	int here, there, ret;

	here = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	there = open(path, O_RDONLY | O_CLOEXEC);
	if (here < 0 || there < 0 || setns(there, CLONE_NEWNET)) {
		ret = -errno;
	} else {
		ret = rri_fz_open(s, false, label);
		if (setns(here, CLONE_NEWNET))
			ret = -errno;
	}
	if (here >= 0)
		close(here);
	if (there >= 0)
		close(there);
	return ret;
}

static void rri_fz_userns(struct __test_metadata *_metadata,
			  FIXTURE_DATA(fuzz) *self)
{
	const char *ctl = getenv("RRI_FUZZ_CONTROL_NETNS");
	struct rri_fz_sock socks[3];
	int nsocks = 0, maps, groups;
	struct rri_fz *fz;
	char map[64];
	uid_t uid;
	gid_t gid;
	double t0;

	rri_fz_nobody(&uid, &gid);

	/* Opened as root: its opener could, the sender cannot. */
	if (ctl && *ctl) {
		ASSERT_EQ(0, rri_fz_open_in(&socks[1], ctl, "control namespace's (root's)"));
		nsocks = 1;
	}
	if (rri_fz_userns_for_nobody(uid, gid)) {
		ASSERT_EQ(0, rri_fz_become(uid, gid));
		/* Not dumpable after the change: /proc/self would stay root's. */
		ASSERT_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	} else {
		rri_fz_log("userns: nobody may not create a user namespace here: root does");
		uid = 0;
		gid = 0;
	}
	/* Opened in the namespace the child comes from, by the child. */
	ASSERT_EQ(0, rri_fz_open(&socks[1 + nsocks], false, "former namespace's"));
	nsocks++;

	ASSERT_EQ(0, unshare(CLONE_NEWUSER | CLONE_NEWNET));
	ASSERT_EQ(0, rri_fz_write("/proc/self/setgroups", "deny"));
	snprintf(map, sizeof(map), "0 %u 1", uid);
	ASSERT_EQ(0, rri_fz_write("/proc/self/uid_map", map));
	snprintf(map, sizeof(map), "0 %u 1", gid);
	ASSERT_EQ(0, rri_fz_write("/proc/self/gid_map", map));
	ASSERT_EQ(0, rri_fz_open(&socks[0], true, "own"));

	fz = rri_fz_new(_metadata, "userns", self->seed ^ 0x757365726e73, RRI_FZ_ABSENT);
	ASSERT_NE(NULL, fz);
	rri_fz_log("userns: seed %#llx, %ld messages from a new user namespace (uid %u outside), %d brought sockets",
		   (unsigned long long)self->seed, rri_fz_share(self->count, 10), uid,
		   nsocks);
	t0 = rri_fz_now();
	rri_fz_run(fz, socks, nsocks + 1, rri_fz_share(self->count, 10));
	rri_fz_report(fz, rri_fz_now() - t0);

	EXPECT_TRUE(rri_fz_healthy(fz, &socks[0]));
	maps = rri_fz_count_maps(fz, &socks[0]);
	groups = rri_fz_count_groups(fz, &socks[0]);
	rri_fz_log("userns: %d maps in its namespace (at most %d), %d groups (at most %d)",
		   maps, RRI_FZ_MAPS_BOUND, groups, RRI_FZ_GROUPS_BOUND);
	EXPECT_LE(0, maps);
	EXPECT_GE(RRI_FZ_MAPS_BOUND, maps);
	EXPECT_LE(0, groups);
	EXPECT_GE(RRI_FZ_GROUPS_BOUND, groups);
	EXPECT_TRUE(rri_fz_consistent(fz, &socks[0]));
	EXPECT_FALSE(fz->hung);
	EXPECT_EQ(0UL, fz->st.failures);
	rri_fz_free(fz);
	while (nsocks >= 0)
		close(socks[nsocks--].fd);
}

TEST_F_TIMEOUT(fuzz, own_user_and_net_ns, 900)
{
	if (getuid())
		SKIP(return, "needs root to drop privileges from");
	rri_fz_isolated(_metadata, self, rri_fz_userns);
}

/*
 * The bound the fuzzer stays under: RRI_MAPS_MAX maps, then ENOSPC with
 * the reason; one deleted, one fits again. In a namespace of its own.
 */
TEST_F(fuzz, too_many_maps)
{
	static struct rri_fz_msg m;
	struct rri_fz_ans a;
	struct rri_fz *fz;
	char name[RRI_MAP_NAME_MAX];
	int i;

	if (unshare(CLONE_NEWNET))
		SKIP(return, "needs root for a network namespace of its own");
	close(self->sock.fd);
	ASSERT_EQ(0, rri_fz_open(&self->sock, true, "own"));
	fz = rri_fz_new(_metadata, "max", self->seed, RRI_FZ_ABSENT);
	ASSERT_NE(NULL, fz);

	for (i = 0; i <= RRI_MAPS_MAX; i++) {
		rri_fz_init(&m, self->sock.family, RRI_CMD_MAP_ADD, NLM_F_REQUEST | NLM_F_ACK);
		snprintf(name, sizeof(name), "max-%d", i);
		rri_fz_nest_start(&m, RRI_A_MAP, RRI_FZ_TOP);
		rri_fz_put_str(&m, RRI_A_MAP_NAME, RRI_FZ_MAP, name);
		rri_fz_nest_end(&m);
		ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
		ASSERT_TRUE(a.acked);
		if (i < RRI_MAPS_MAX) {
			ASSERT_EQ(0, a.error);
		}
	}
	rri_fz_log("map %d of %d: error %d, \"%s\"", i, RRI_MAPS_MAX, a.error, a.msg);
	ASSERT_EQ(-ENOSPC, a.error);
	ASSERT_EQ(0, strncmp(a.msg, "too many maps", strlen("too many maps")));
	ASSERT_EQ(RRI_MAPS_MAX, rri_fz_count_maps(fz, &self->sock));

	rri_fz_init(&m, self->sock.family, RRI_CMD_MAP_DEL, NLM_F_REQUEST | NLM_F_ACK);
	rri_fz_nest_start(&m, RRI_A_MAP, RRI_FZ_TOP);
	rri_fz_put_str(&m, RRI_A_MAP_NAME, RRI_FZ_MAP, "max-0");
	rri_fz_nest_end(&m);
	ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
	ASSERT_EQ(0, a.error);
	rri_fz_init(&m, self->sock.family, RRI_CMD_MAP_ADD, NLM_F_REQUEST | NLM_F_ACK);
	rri_fz_nest_start(&m, RRI_A_MAP, RRI_FZ_TOP);
	rri_fz_put_str(&m, RRI_A_MAP_NAME, RRI_FZ_MAP, name);
	rri_fz_nest_end(&m);
	ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
	ASSERT_EQ(0, a.error);
	rri_fz_free(fz);
}

/* A group request about @name, the nest with the name and @extra (or none). */
static void rri_fz_group_req(struct rri_fz_msg *m, uint16_t family, uint8_t cmd,
			     const char *name, uint16_t extra, uint8_t value)
{
	rri_fz_init(m, family, cmd, NLM_F_REQUEST | NLM_F_ACK);
	rri_fz_nest_start(m, RRI_A_GROUP, RRI_FZ_TOP);
	rri_fz_put_str(m, RRI_A_GROUP_NAME, RRI_FZ_GROUP, name);
	if (extra)
		rri_fz_put_u8(m, extra, RRI_FZ_GROUP, value);
	rri_fz_nest_end(m);
}

/*
 * The bound of the groups: RRI_GROUPS_MAX, then ENOSPC with the reason and
 * nothing added; one deleted, one fits again. In a namespace of its own.
 */
TEST_F(fuzz, too_many_groups)
{
	static struct rri_fz_msg m;
	struct rri_fz_ans a;
	struct rri_fz *fz;
	char name[RRI_GROUP_NAME_MAX];
	int i;

	if (unshare(CLONE_NEWNET))
		SKIP(return, "needs root for a network namespace of its own");
	close(self->sock.fd);
	ASSERT_EQ(0, rri_fz_open(&self->sock, true, "own"));
	fz = rri_fz_new(_metadata, "gmax", self->seed, RRI_FZ_ABSENT);
	ASSERT_NE(NULL, fz);

	for (i = 0; i <= RRI_GROUPS_MAX; i++) {
		snprintf(name, sizeof(name), "gmax-%d", i);
		rri_fz_group_req(&m, self->sock.family, RRI_CMD_GROUP_ADD, name,
				 RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
		ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
		ASSERT_TRUE(a.acked);
		if (i < RRI_GROUPS_MAX) {
			ASSERT_EQ(0, a.error);
		}
	}
	rri_fz_log("group %d of %d: error %d, \"%s\"", i, RRI_GROUPS_MAX, a.error, a.msg);
	ASSERT_EQ(-ENOSPC, a.error);
	ASSERT_EQ(0, strncmp(a.msg, "too many groups", strlen("too many groups")));
	ASSERT_EQ(RRI_GROUPS_MAX, rri_fz_count_groups(fz, &self->sock));
	/* The refused one is not there. */
	rri_fz_group_req(&m, self->sock.family, RRI_CMD_GROUP_GET, name, 0, 0);
	ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
	ASSERT_EQ(-ENOENT, a.error);

	rri_fz_group_req(&m, self->sock.family, RRI_CMD_GROUP_DEL, "gmax-0", 0, 0);
	ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
	ASSERT_EQ(0, a.error);
	rri_fz_group_req(&m, self->sock.family, RRI_CMD_GROUP_ADD, name,
			 RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
	ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
	ASSERT_EQ(0, a.error);
	ASSERT_EQ(RRI_GROUPS_MAX, rri_fz_count_groups(fz, &self->sock));
	EXPECT_TRUE(rri_fz_consistent(fz, &self->sock));
	rri_fz_free(fz);
}

/*
 * A group a map is in is not deleted (EBUSY, with the reason), nor is a
 * map let into a group that does not exist (ENOENT); once the map leaves
 * (the empty name) or goes, the group can be deleted. In a namespace of
 * its own.
 */
TEST_F(fuzz, group_in_use)
{
	static struct rri_fz_msg m;
	struct rri_fz_ans a;
	struct rri_fz *fz;
	int leave;

	if (unshare(CLONE_NEWNET))
		SKIP(return, "needs root for a network namespace of its own");
	close(self->sock.fd);
	ASSERT_EQ(0, rri_fz_open(&self->sock, true, "own"));
	fz = rri_fz_new(_metadata, "inuse", self->seed, RRI_FZ_ABSENT);
	ASSERT_NE(NULL, fz);

	/* Into a group that does not exist: refused, and no map is added. */
	rri_fz_init(&m, self->sock.family, RRI_CMD_MAP_ADD, NLM_F_REQUEST | NLM_F_ACK);
	rri_fz_nest_start(&m, RRI_A_MAP, RRI_FZ_TOP);
	rri_fz_put_str(&m, RRI_A_MAP_NAME, RRI_FZ_MAP, "m1");
	rri_fz_put_str(&m, RRI_A_MAP_GROUP, RRI_FZ_MAP, "nosuch");
	rri_fz_nest_end(&m);
	ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
	rri_fz_log("map add into a missing group: error %d, \"%s\", offset %d", a.error,
		   a.msg, a.offs);
	ASSERT_EQ(-ENOENT, a.error);
	ASSERT_TRUE(a.has_msg);
	ASSERT_EQ(m.attr[2].off, a.offs);
	ASSERT_EQ(0, rri_fz_count_maps(fz, &self->sock));

	/* The map leaves its group (the empty name), then: the map goes. */
	for (leave = 0; leave < 2; leave++) {
		rri_fz_group_req(&m, self->sock.family, RRI_CMD_GROUP_ADD, "busy",
				 RRI_A_GROUP_KIND, RRI_GROUP_MANUAL);
		ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
		ASSERT_EQ(0, a.error);

		rri_fz_init(&m, self->sock.family, RRI_CMD_MAP_ADD, NLM_F_REQUEST | NLM_F_ACK);
		rri_fz_nest_start(&m, RRI_A_MAP, RRI_FZ_TOP);
		rri_fz_put_str(&m, RRI_A_MAP_NAME, RRI_FZ_MAP, "m1");
		rri_fz_put_str(&m, RRI_A_MAP_GROUP, RRI_FZ_MAP, "busy");
		rri_fz_nest_end(&m);
		ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
		ASSERT_EQ(0, a.error);

		rri_fz_group_req(&m, self->sock.family, RRI_CMD_GROUP_DEL, "busy", 0, 0);
		ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
		rri_fz_log("group del while a map is in it: error %d, \"%s\"", a.error, a.msg);
		ASSERT_EQ(-EBUSY, a.error);
		ASSERT_TRUE(a.has_msg);
		ASSERT_EQ(1, rri_fz_count_groups(fz, &self->sock));
		EXPECT_TRUE(rri_fz_consistent(fz, &self->sock));

		rri_fz_init(&m, self->sock.family,
			    leave ? RRI_CMD_MAP_DEL : RRI_CMD_MAP_SET, NLM_F_REQUEST | NLM_F_ACK);
		rri_fz_nest_start(&m, RRI_A_MAP, RRI_FZ_TOP);
		rri_fz_put_str(&m, RRI_A_MAP_NAME, RRI_FZ_MAP, "m1");
		if (!leave)
			rri_fz_put_str(&m, RRI_A_MAP_GROUP, RRI_FZ_MAP, "");
		rri_fz_nest_end(&m);
		ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
		ASSERT_EQ(0, a.error);
		EXPECT_TRUE(rri_fz_consistent(fz, &self->sock));

		rri_fz_group_req(&m, self->sock.family, RRI_CMD_GROUP_DEL, "busy", 0, 0);
		ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
		ASSERT_EQ(0, a.error);
		ASSERT_EQ(0, rri_fz_count_groups(fz, &self->sock));
		ASSERT_EQ(1 - leave, rri_fz_count_maps(fz, &self->sock));
		if (!leave) {
			rri_fz_init(&m, self->sock.family, RRI_CMD_MAP_DEL,
				    NLM_F_REQUEST | NLM_F_ACK);
			rri_fz_nest_start(&m, RRI_A_MAP, RRI_FZ_TOP);
			rri_fz_put_str(&m, RRI_A_MAP_NAME, RRI_FZ_MAP, "m1");
			rri_fz_nest_end(&m);
			ASSERT_EQ(0, rri_fz_one(fz, &self->sock, &m, &a));
			ASSERT_EQ(0, a.error);
		}
	}
	rri_fz_free(fz);
}

/* Last: the module still answers in full, in the namespace we run in. */
TEST_F(fuzz, healthy_after_all)
{
	struct rri_fz *fz = rri_fz_new(_metadata, "after", self->seed, RRI_FZ_UNKNOWN);

	ASSERT_NE(NULL, fz);
	ASSERT_TRUE(rri_fz_healthy(fz, &self->sock));
	rri_fz_free(fz);
}

TEST_HARNESS_MAIN
