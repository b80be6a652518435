// SPDX-License-Identifier: GPL-2.0
/*
 * rri-syncd: the rri module's side, over its generic netlink family (the
 * requests of rrictl's nl.c): the group's role and replay-interval, its
 * SAs, the release of a held group, the sync state reports, and the event
 * stream that says when the role changes.
 *
 * The reports go out on the socket of the requests, which stays open while
 * the daemon runs: when it closes, however the daemon ended, the module
 * sets the group's sync state to down.
 */

#include <string.h>
#include <sys/socket.h>

#include "../rrictl/nl.h"
#include "syncd.h"

static const char *gname;

static const struct nla_policy group_policy[RRI_A_GROUP_MAX + 1] = {
	[RRI_A_GROUP_NAME]		= { .type = NLA_STRING },
	[RRI_A_GROUP_ROLE]		= { .type = NLA_U8 },
	[RRI_A_GROUP_REPLAY]		= { .type = NLA_FLAG },
	[RRI_A_GROUP_REPLAY_OUTBOUND]	= { .type = NLA_U32 },
	[RRI_A_GROUP_HELD]		= { .type = NLA_FLAG },
};

static const struct nla_policy sa_policy[RRI_A_SA_MAX + 1] = {
	[RRI_A_SA_FAMILY]	= { .type = NLA_U16 },
	[RRI_A_SA_SPI]		= { .type = NLA_U32 },
	[RRI_A_SA_PROTO]	= { .type = NLA_U8 },
	[RRI_A_SA_MARK]		= { .type = NLA_U32 },
	[RRI_A_SA_REQID]	= { .type = NLA_U32 },
	[RRI_A_SA_DIR]		= { .type = NLA_U8 },
};

/* A request about the group: its RRI_A_GROUP nest with the name, open. */
static struct nl_msg *group_msg(uint8_t cmd, int flags, struct nlattr **nest)
{
	return rri_nl_group_msg(cmd, flags, gname, nest);
}

/**
 * group_open() - the group the daemon serves
 * @name: its name
 *
 * Return: 0 or -1 after logging why (the module is not there, no such group,
 * no replay-interval).
 */
int group_open(const char *name)
{
	struct group_info gi;

	gname = name;
	if (group_query(&gi))
		return -1;
	if (!gi.replay) {
		pr_err("group %s has no replay-interval: XFRM would not tell its SAs' counters "
		       "(rrictl group set %s replay-interval)", name, name);
		return -1;
	}
	return 0;
}

static int group_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg)
{
	struct nlattr *gtb[RRI_A_GROUP_MAX + 1];
	struct group_info *gi = arg;

	if (!tb[RRI_A_GROUP] ||
	    nla_parse_nested(gtb, RRI_A_GROUP_MAX, tb[RRI_A_GROUP], group_policy) < 0 ||
	    !gtb[RRI_A_GROUP_ROLE])
		return -1;
	gi->active = nla_get_u8(gtb[RRI_A_GROUP_ROLE]) == RRI_ROLE_ACTIVE;
	gi->held = gtb[RRI_A_GROUP_HELD];
	gi->replay = gtb[RRI_A_GROUP_REPLAY];
	gi->replay_out = gtb[RRI_A_GROUP_REPLAY_OUTBOUND] ?
			 nla_get_u32(gtb[RRI_A_GROUP_REPLAY_OUTBOUND]) : 0;
	return 0;
}

/**
 * group_query() - the group's role, hold and replay-interval
 * @gi: filled in
 *
 * Return: 0, or -1 after logging why.
 */
int group_query(struct group_info *gi)
{
	struct nlattr *nest;
	struct nl_msg *msg = group_msg(RRI_CMD_GROUP_GET, 0, &nest);

	if (!msg)
		return -1;
	nla_nest_end(msg, nest);
	memset(gi, 0, sizeof(*gi));
	return rri_nl_transact(msg, "group show", group_reply, gi);
}

struct sas_ctx {
	group_sa_fn fn;
	void *arg;
};

static int sa_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg)
{
	struct nlattr *stb[RRI_A_SA_MAX + 1];
	struct sas_ctx *c = arg;
	xfrm_address_t saddr;
	struct sa_id id;
	int len;

	if (!tb[RRI_A_SA] || nla_parse_nested(stb, RRI_A_SA_MAX, tb[RRI_A_SA], sa_policy) < 0 ||
	    !stb[RRI_A_SA_FAMILY] || !stb[RRI_A_SA_DADDR] || !stb[RRI_A_SA_SADDR] ||
	    !stb[RRI_A_SA_SPI] || !stb[RRI_A_SA_PROTO] || !stb[RRI_A_SA_DIR])
		return -1;
	memset(&id, 0, sizeof(id));
	memset(&saddr, 0, sizeof(saddr));
	id.family = nla_get_u16(stb[RRI_A_SA_FAMILY]);
	len = id.family == AF_INET ? 4 : 16;
	if (nla_len(stb[RRI_A_SA_DADDR]) != len || nla_len(stb[RRI_A_SA_SADDR]) != len)
		return -1;
	memcpy(&id.daddr, nla_data(stb[RRI_A_SA_DADDR]), len);
	memcpy(&saddr, nla_data(stb[RRI_A_SA_SADDR]), len);
	id.spi = nla_get_u32(stb[RRI_A_SA_SPI]);
	id.proto = nla_get_u8(stb[RRI_A_SA_PROTO]);
	c->fn(&id, &saddr, stb[RRI_A_SA_MARK] ? nla_get_u32(stb[RRI_A_SA_MARK]) : 0,
	      stb[RRI_A_SA_REQID] ? nla_get_u32(stb[RRI_A_SA_REQID]) : 0,
	      nla_get_u8(stb[RRI_A_SA_DIR]) == RRI_SA_DIR_OUT, c->arg);
	return 0;
}

/**
 * group_sas() - the group's SAs, as the module names them
 * @fn: called for each
 * @arg: for @fn
 *
 * Return: 0, or -1 after logging why.
 */
int group_sas(group_sa_fn fn, void *arg)
{
	struct sas_ctx c = { fn, arg };
	struct nlattr *nest;
	struct nl_msg *msg = group_msg(RRI_CMD_GROUP_SA_GET, NLM_F_DUMP, &nest);

	if (!msg)
		return -1;
	nla_nest_end(msg, nest);
	return rri_nl_transact(msg, "group sa dump", sa_reply, &c);
}

/**
 * group_release() - let the held routes of the active group in
 *
 * Return: 0, or -1 after logging why.
 */
int group_release(void)
{
	struct nlattr *nest;
	struct nl_msg *msg = group_msg(RRI_CMD_GROUP_SET, 0, &nest);

	if (!msg)
		return -1;
	if (nla_put_flag(msg, RRI_A_GROUP_RELEASE) < 0) {
		nlmsg_free(msg);
		return -1;
	}
	nla_nest_end(msg, nest);
	return rri_nl_transact(msg, "group release", NULL, NULL);
}

/**
 * group_report() - tell the module the group's sync state
 * @state: enum rri_sync_state
 * @peer: the peer node, or NULL
 * @sas: SAs in step
 * @lag: how old the newest state from the peer is (ms)
 * @updates: states sent or applied since the start
 *
 * Return: 0, or -1 after logging why.
 */
int group_report(uint8_t state, const char *peer, uint32_t sas, uint32_t lag,
		 uint64_t updates)
{
	struct nlattr *nest, *sync;
	struct nl_msg *msg = group_msg(RRI_CMD_GROUP_SET, 0, &nest);

	if (!msg)
		return -1;
	sync = nla_nest_start(msg, RRI_A_GROUP_SYNC | NLA_F_NESTED);
	if (!sync || nla_put_u8(msg, RRI_A_SYNC_STATE, state) < 0 ||
	    (peer && nla_put_string(msg, RRI_A_SYNC_PEER, peer) < 0) ||
	    nla_put_u32(msg, RRI_A_SYNC_SAS, sas) < 0 ||
	    nla_put_u32(msg, RRI_A_SYNC_LAG, lag) < 0 ||
	    nla_put_u64(msg, RRI_A_SYNC_UPDATES, updates) < 0) {
		nlmsg_free(msg);
		return -1;
	}
	nla_nest_end(msg, sync);
	nla_nest_end(msg, nest);
	return rri_nl_transact(msg, "group sync report", NULL, NULL);
}

static void (*role_changed)(void);

static int event_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __attribute__((unused)))
{
	struct nlattr *gtb[RRI_A_GROUP_MAX + 1];
	uint8_t ev;

	/* Lost events: the role may have changed meanwhile. */
	if (!tb) {
		role_changed();
		return 0;
	}
	if (!tb[RRI_A_EVENT] || !tb[RRI_A_GROUP])
		return 0;
	ev = nla_get_u8(tb[RRI_A_EVENT]);
	if (ev != RRI_EVENT_GROUP_ACTIVE && ev != RRI_EVENT_GROUP_STANDBY &&
	    ev != RRI_EVENT_GROUP_ADDED && ev != RRI_EVENT_GROUP_DELETED)
		return 0;
	if (nla_parse_nested(gtb, RRI_A_GROUP_MAX, tb[RRI_A_GROUP], group_policy) < 0 ||
	    !gtb[RRI_A_GROUP_NAME] || strcmp(nla_get_string(gtb[RRI_A_GROUP_NAME]), gname))
		return 0;
	role_changed();
	return 0;
}

/**
 * group_events_fd() - subscribe to the module's events
 * @changed: called when the group's role may have changed
 *
 * Return: the descriptor to poll, or -1 after logging why.
 */
int group_events_fd(void (*changed)(void))
{
	role_changed = changed;
	return rri_nl_subscribe(RRI_MCGRP_EVENTS, 1 << 20, event_reply, NULL);
}

/**
 * group_read_events() - read the module's events that arrived
 *
 * Return: 0, or -1 after logging why.
 */
int group_read_events(void)
{
	return rri_nl_events();
}
