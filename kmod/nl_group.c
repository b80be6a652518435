// SPDX-License-Identifier: GPL-2.0
/*
 * The HA group commands of the "rri" family: add, set, del, get, and the
 * dump of a group's SAs for its sync daemon. The
 * handlers are in netlink.c's operations table; the contract is in the
 * uapi header; the groups themselves in group.c.
 */

#include <net/genetlink.h>
#include <uapi/linux/rri.h>

#include "compat.h"
#include "group.h"
#include "netlink.h"
#include "pernet.h"
#include "replay.h"
#include "route.h"

/* Parse the RRI_A_GROUP nest of a request; @name gets RRI_A_GROUP_NAME. */
static int rri_nl_group_attrs(struct genl_info *info, struct nlattr **tb,
			      char *name)
{
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, RRI_A_GROUP)) {
		NL_SET_ERR_MSG(info->extack, "missing group (RRI_A_GROUP)");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, RRI_A_GROUP_MAX, info->attrs[RRI_A_GROUP],
			       rri_nl_group_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[RRI_A_GROUP_NAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RRI_A_GROUP],
				    "missing group name");
		return -EINVAL;
	}
	return rri_nl_name(tb[RRI_A_GROUP_NAME], name, true, info->extack);
}

/* Refuse every attribute of the nest but the ones in @allowed (a bit each). */
static int rri_nl_group_only(struct genl_info *info, struct nlattr **tb,
			     u32 allowed)
{
	int i;

	BUILD_BUG_ON(RRI_A_GROUP_MAX >= 32);
	for (i = 1; i <= RRI_A_GROUP_MAX; i++) {
		if (tb[i] && !(allowed & BIT(i))) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[i], RRI_NL_NOT_HERE);
			return -EINVAL;
		}
	}
	return 0;
}

static struct rri_group *rri_nl_group_lookup(struct rri_net *rn,
					     const char *name,
					     struct genl_info *info,
					     struct nlattr **tb)
{
	struct rri_group *group = rri_group_find(rn, name);

	if (!group)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_GROUP_NAME],
				    "no such group");
	return group;
}

/* replay-interval: RRI_A_GROUP_REPLAY and the thresholds, defaults filled in. */
static void rri_nl_group_replay(struct rri_group *group, struct nlattr **tb)
{
	if (!tb[RRI_A_GROUP_REPLAY] && !tb[RRI_A_GROUP_REPLAY_INBOUND] &&
	    !tb[RRI_A_GROUP_REPLAY_OUTBOUND])
		return;
	if (!group->replay) {
		group->replay = true;
		group->replay_in = RRI_REPLAY_INBOUND_DEFAULT;
		group->replay_out = RRI_REPLAY_OUTBOUND_DEFAULT;
	}
	if (tb[RRI_A_GROUP_REPLAY_INBOUND])
		group->replay_in = nla_get_u32(tb[RRI_A_GROUP_REPLAY_INBOUND]);
	if (tb[RRI_A_GROUP_REPLAY_OUTBOUND])
		group->replay_out = nla_get_u32(tb[RRI_A_GROUP_REPLAY_OUTBOUND]);
}

#define RRI_NL_GROUP_REPLAY_ATTRS (BIT(RRI_A_GROUP_REPLAY) | \
				   BIT(RRI_A_GROUP_REPLAY_INBOUND) | \
				   BIT(RRI_A_GROUP_REPLAY_OUTBOUND))

/**
 * rri_nl_group_add_doit() - RRI_CMD_GROUP_ADD: add an HA group
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_group_add_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_GROUP_MAX + 1];
	struct rri_group *group;
	int ret;

	group = rri_group_alloc();
	if (!group)
		return -ENOMEM;

	ret = rri_nl_group_attrs(info, tb, group->name) ?:
	      rri_nl_group_only(info, tb, BIT(RRI_A_GROUP_NAME) |
				BIT(RRI_A_GROUP_KIND) | BIT(RRI_A_GROUP_VIP) |
				BIT(RRI_A_GROUP_HOLD) | RRI_NL_GROUP_REPLAY_ATTRS);
	if (ret)
		goto err_free;
	if (!tb[RRI_A_GROUP_KIND]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RRI_A_GROUP],
				    "missing group kind: vip or manual");
		ret = -EINVAL;
		goto err_free;
	}
	group->kind = nla_get_u8(tb[RRI_A_GROUP_KIND]);
	if (group->kind == RRI_GROUP_VIP) {
		if (!tb[RRI_A_GROUP_VIP]) {
			NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RRI_A_GROUP],
					    "a vip group needs its address");
			ret = -EINVAL;
			goto err_free;
		}
		ret = rri_nl_prefix_parse(tb[RRI_A_GROUP_VIP], &group->vip, false,
					  info->extack);
		if (ret)
			goto err_free;
	} else if (tb[RRI_A_GROUP_VIP]) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_GROUP_VIP],
				    "a manual group has no address");
		ret = -EINVAL;
		goto err_free;
	}
	rri_nl_group_replay(group, tb);
	if (tb[RRI_A_GROUP_HOLD])
		group->hold = nla_get_u32(tb[RRI_A_GROUP_HOLD]);

	mutex_lock(&rn->lock);
	if (rri_group_find(rn, group->name)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_GROUP_NAME],
				    "a group of that name exists");
		ret = -EEXIST;
		goto out;
	}
	if (rn->ngroups >= RRI_GROUPS_MAX) {
		NL_SET_ERR_MSG(info->extack, "too many groups: a namespace may have "
			       __stringify(RRI_GROUPS_MAX));
		ret = -ENOSPC;
		goto out;
	}
	list_add_tail(&group->list, &rn->groups);
	WRITE_ONCE(rn->ngroups, rn->ngroups + 1);
	if (group->replay)
		rn->nreplay++;
	if (group->kind == RRI_GROUP_VIP) {
		/* Count it first: an address change from now on is seen. */
		WRITE_ONCE(rn->nvips, rn->nvips + 1);
		group->active = rri_group_vip_present(rn, group);
	}
	rri_group_count(rn);
	rri_nl_group_event(rn, group, RRI_EVENT_GROUP_ADDED);
	group = NULL;
out:
	mutex_unlock(&rn->lock);
err_free:
	rri_group_free(group);
	return ret;
}

/* RRI_A_GROUP_SYNC: a sync daemon's report, from the socket it came on. */
static int rri_nl_group_sync_parse(struct genl_info *info,
				   const struct nlattr *attr,
				   struct rri_group_sync *sync)
{
	struct nlattr *tb[RRI_A_SYNC_MAX + 1];
	int ret;

	ret = nla_parse_nested(tb, RRI_A_SYNC_MAX, attr, rri_nl_sync_policy,
			       info->extack);
	if (ret)
		return ret;
	if (!tb[RRI_A_SYNC_STATE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "missing sync state (RRI_A_SYNC_STATE)");
		return -EINVAL;
	}
	memset(sync, 0, sizeof(*sync));
	sync->state = nla_get_u8(tb[RRI_A_SYNC_STATE]);
	sync->portid = info->snd_portid;
	if (tb[RRI_A_SYNC_PEER])
		nla_strscpy(sync->peer, tb[RRI_A_SYNC_PEER], sizeof(sync->peer));
	if (tb[RRI_A_SYNC_SAS])
		sync->sas = nla_get_u32(tb[RRI_A_SYNC_SAS]);
	if (tb[RRI_A_SYNC_LAG])
		sync->lag = nla_get_u32(tb[RRI_A_SYNC_LAG]);
	if (tb[RRI_A_SYNC_UPDATES])
		sync->updates = nla_get_u64(tb[RRI_A_SYNC_UPDATES]);
	return 0;
}

/**
 * rri_nl_group_set_doit() - RRI_CMD_GROUP_SET: a manual group's role,
 *	a group's replay-interval and hold, a release, a sync report
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_group_set_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_GROUP_MAX + 1];
	char name[RRI_GROUP_NAME_MAX];
	struct rri_group_sync sync;
	struct rri_group *group;
	int ret;

	ret = rri_nl_group_attrs(info, tb, name);
	if (ret)
		return ret;
	if (tb[RRI_A_GROUP_KIND] || tb[RRI_A_GROUP_VIP]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[RRI_A_GROUP_KIND] ?: tb[RRI_A_GROUP_VIP],
				    "a group's kind and address stay: delete and add it");
		return -EINVAL;
	}
	ret = rri_nl_group_only(info, tb, BIT(RRI_A_GROUP_NAME) |
				BIT(RRI_A_GROUP_ROLE) | RRI_NL_GROUP_REPLAY_ATTRS |
				BIT(RRI_A_GROUP_HOLD) | BIT(RRI_A_GROUP_RELEASE) |
				BIT(RRI_A_GROUP_SYNC));
	if (ret)
		return ret;
	if (!tb[RRI_A_GROUP_ROLE] && !tb[RRI_A_GROUP_REPLAY] &&
	    !tb[RRI_A_GROUP_REPLAY_INBOUND] && !tb[RRI_A_GROUP_REPLAY_OUTBOUND] &&
	    !tb[RRI_A_GROUP_HOLD] && !tb[RRI_A_GROUP_RELEASE] &&
	    !tb[RRI_A_GROUP_SYNC]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[RRI_A_GROUP],
				    "nothing to set: give a role, a replay-interval, a hold, a release or a sync state");
		return -EINVAL;
	}
	if (tb[RRI_A_GROUP_SYNC]) {
		ret = rri_nl_group_sync_parse(info, tb[RRI_A_GROUP_SYNC], &sync);
		if (ret)
			return ret;
	}

	mutex_lock(&rn->lock);
	group = rri_nl_group_lookup(rn, name, info, tb);
	if (!group) {
		ret = -ENOENT;
		goto out;
	}
	if (tb[RRI_A_GROUP_ROLE] && group->kind != RRI_GROUP_MANUAL) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_GROUP_ROLE],
				    "a vip group follows its address: only a manual group's role is set");
		ret = -EINVAL;
		goto out;
	}
	if (tb[RRI_A_GROUP_RELEASE] && !group->active &&
	    !(tb[RRI_A_GROUP_ROLE] &&
	      nla_get_u8(tb[RRI_A_GROUP_ROLE]) == RRI_ROLE_ACTIVE)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_GROUP_RELEASE],
				    "the group is standby: only an active group is released");
		ret = -EINVAL;
		goto out;
	}
	if (tb[RRI_A_GROUP_REPLAY] || tb[RRI_A_GROUP_REPLAY_INBOUND] ||
	    tb[RRI_A_GROUP_REPLAY_OUTBOUND] || tb[RRI_A_GROUP_HOLD]) {
		struct rri_group old = *group;

		if (!group->replay && (tb[RRI_A_GROUP_REPLAY] ||
				       tb[RRI_A_GROUP_REPLAY_INBOUND] ||
				       tb[RRI_A_GROUP_REPLAY_OUTBOUND]))
			rn->nreplay++;
		rri_nl_group_replay(group, tb);
		if (tb[RRI_A_GROUP_HOLD])
			group->hold = nla_get_u32(tb[RRI_A_GROUP_HOLD]);
		if (old.replay != group->replay ||
		    old.replay_in != group->replay_in ||
		    old.replay_out != group->replay_out ||
		    old.hold != group->hold) {
			rri_group_count(rn);
			rri_nl_group_event(rn, group, RRI_EVENT_GROUP_CHANGED);
		}
		if (old.replay != group->replay ||
		    old.replay_in != group->replay_in ||
		    old.replay_out != group->replay_out)
			rri_replay_group(rn, group);
	}
	if (tb[RRI_A_GROUP_SYNC])
		rri_group_sync_report(rn, group, &sync);
	if (tb[RRI_A_GROUP_ROLE])
		rri_group_set_role(rn, group, nla_get_u8(tb[RRI_A_GROUP_ROLE]) ==
						 RRI_ROLE_ACTIVE);
	if (tb[RRI_A_GROUP_RELEASE])
		rri_group_release(rn, group, false);
	rri_route_flush(rn);
out:
	mutex_unlock(&rn->lock);
	return ret;
}

/**
 * rri_nl_group_del_doit() - RRI_CMD_GROUP_DEL: delete a group no map uses
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_group_del_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_GROUP_MAX + 1];
	char name[RRI_GROUP_NAME_MAX];
	struct rri_group *group;
	struct rri_map *map;
	int ret;

	ret = rri_nl_group_attrs(info, tb, name) ?:
	      rri_nl_group_only(info, tb, BIT(RRI_A_GROUP_NAME));
	if (ret)
		return ret;

	mutex_lock(&rn->lock);
	group = rri_nl_group_lookup(rn, name, info, tb);
	if (!group) {
		ret = -ENOENT;
		goto out;
	}
	list_for_each_entry(map, &rn->maps, list) {
		if (map->group == group) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[RRI_A_GROUP_NAME],
					    "maps use the group: take them out of it first (map set NAME no-group)");
			ret = -EBUSY;
			goto out;
		}
	}
	list_del(&group->list);
	WRITE_ONCE(rn->ngroups, rn->ngroups - 1);
	if (group->replay)
		rn->nreplay--;
	if (group->kind == RRI_GROUP_VIP)
		WRITE_ONCE(rn->nvips, rn->nvips - 1);
	rri_nl_group_event(rn, group, RRI_EVENT_GROUP_DELETED);
	rri_group_free(group);
out:
	mutex_unlock(&rn->lock);
	return ret;
}

static int rri_nl_group_sync_put(struct sk_buff *msg,
				 const struct rri_group_sync *sync)
{
	struct nlattr *nest = nla_nest_start(msg, RRI_A_GROUP_SYNC);

	if (!nest ||
	    nla_put_u8(msg, RRI_A_SYNC_STATE, sync->state) ||
	    (sync->peer[0] && nla_put_string(msg, RRI_A_SYNC_PEER, sync->peer)) ||
	    nla_put_u32(msg, RRI_A_SYNC_SAS, sync->sas) ||
	    nla_put_u32(msg, RRI_A_SYNC_LAG, sync->lag) ||
	    nla_put_u64_64bit(msg, RRI_A_SYNC_UPDATES, sync->updates,
			      RRI_A_SYNC_PAD) ||
	    nla_put_u64_64bit(msg, RRI_A_SYNC_LAST, rri_since(sync->last),
			      RRI_A_SYNC_PAD)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * rri_nl_group_put() - an RRI_A_GROUP nest with a group's settings and state
 * @msg: the message
 * @group: the group
 * @counts: with the counts of rri_group_count(), called just before
 *
 * Return: 0, or -EMSGSIZE if @msg is full.
 */
int rri_nl_group_put(struct sk_buff *msg, const struct rri_group *group,
		     bool counts)
{
	struct nlattr *nest = nla_nest_start(msg, RRI_A_GROUP);

	if (!nest ||
	    nla_put_string(msg, RRI_A_GROUP_NAME, group->name) ||
	    nla_put_u8(msg, RRI_A_GROUP_KIND, group->kind) ||
	    (group->kind == RRI_GROUP_VIP &&
	     rri_nl_put_prefix(msg, RRI_A_GROUP_VIP, group->vip.family,
			       &group->vip.addr, -1)) ||
	    nla_put_u8(msg, RRI_A_GROUP_ROLE,
		       group->active ? RRI_ROLE_ACTIVE : RRI_ROLE_STANDBY) ||
	    (group->replay &&
	     (nla_put_flag(msg, RRI_A_GROUP_REPLAY) ||
	      nla_put_u32(msg, RRI_A_GROUP_REPLAY_INBOUND, group->replay_in) ||
	      nla_put_u32(msg, RRI_A_GROUP_REPLAY_OUTBOUND, group->replay_out))) ||
	    nla_put_u64_64bit(msg, RRI_A_GROUP_SINCE, rri_since(group->since),
			      RRI_A_GROUP_PAD) ||
	    nla_put_u32(msg, RRI_A_GROUP_TRANSITIONS, group->transitions) ||
	    (group->hold &&
	     (nla_put_u32(msg, RRI_A_GROUP_HOLD, group->hold) ||
	      nla_put_u32(msg, RRI_A_GROUP_HOLD_EXPIRED, group->hold_expired))) ||
	    (group->held && nla_put_flag(msg, RRI_A_GROUP_HELD)) ||
	    (group->sync.state && rri_nl_group_sync_put(msg, &group->sync)) ||
	    (counts &&
	     (nla_put_u32(msg, RRI_A_GROUP_MAPS, group->nmaps) ||
	      nla_put_u32(msg, RRI_A_GROUP_ROUTES, group->nroutes) ||
	      nla_put_u32(msg, RRI_A_GROUP_INSTALLED, group->ninstalled)))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * rri_nl_group_get_doit() - RRI_CMD_GROUP_GET: one group
 * @skb: the request
 * @info: its attributes and extack
 *
 * Return: 0 or a negative errno.
 */
int rri_nl_group_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct nlattr *tb[RRI_A_GROUP_MAX + 1];
	char name[RRI_GROUP_NAME_MAX];
	struct rri_group *group;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = rri_nl_group_attrs(info, tb, name) ?:
	      rri_nl_group_only(info, tb, BIT(RRI_A_GROUP_NAME));
	if (ret)
		return ret;

	msg = rri_nl_reply_new(info, RRI_CMD_GROUP_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&rn->lock);
	group = rri_nl_group_lookup(rn, name, info, tb);
	if (!group) {
		ret = -ENOENT;
	} else {
		rri_group_count(rn);
		ret = rri_nl_group_put(msg, group, true);
	}
	mutex_unlock(&rn->lock);
	return rri_nl_reply_send(msg, hdr, info, ret);
}

/**
 * rri_nl_group_get_dumpit() - RRI_CMD_GROUP_GET with NLM_F_DUMP: every group
 * @skb: the part of the dump to fill
 * @cb: the dump, cb->args[0] the groups sent so far
 *
 * Return: the part's length, or a negative errno.
 */
int rri_nl_group_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rri_net *rn = rri_net(sock_net(skb->sk));
	struct nlattr **attrs = rri_dump_attrs(cb);
	struct rri_group *group;
	long i = 0, done = cb->args[0];
	void *hdr;

	if (attrs[RRI_A_GROUP]) {
		NL_SET_ERR_MSG(cb->extack,
			       "a group dump takes no group: get one by name without NLM_F_DUMP");
		return -EINVAL;
	}

	mutex_lock(&rn->lock);
	rri_group_count(rn);
	list_for_each_entry(group, &rn->groups, list) {
		if (i++ < done)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &rri_nl_family, NLM_F_MULTI, RRI_CMD_GROUP_GET);
		if (!hdr)
			break;
		if (rri_nl_group_put(skb, group, true)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	mutex_unlock(&rn->lock);
	return skb->len;
}

/* A dump of a group's SAs (RRI_CMD_GROUP_SA_GET). */
struct rri_nl_group_sa_dump {
	struct rri_replay_dump *walk;
	struct netlink_callback *cb;
	struct sk_buff *skb;
	char name[RRI_GROUP_NAME_MAX];
};

/**
 * rri_nl_group_sa_get_start() - begin a dump of a group's SAs
 * @cb: the dump
 *
 * Return: 0 or -ENOMEM.
 */
int rri_nl_group_sa_get_start(struct netlink_callback *cb)
{
	struct rri_nl_group_sa_dump *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->walk = rri_replay_dump_start();
	if (!d->walk) {
		kfree(d);
		return -ENOMEM;
	}
	cb->args[0] = (long)d;
	return 0;
}

/**
 * rri_nl_group_sa_get_done() - end a dump of a group's SAs
 * @cb: the dump
 *
 * Return: 0.
 */
int rri_nl_group_sa_get_done(struct netlink_callback *cb)
{
	struct rri_nl_group_sa_dump *d = (void *)cb->args[0];

	if (d) {
		rri_replay_dump_done(rri_net(sock_net(cb->skb->sk)), d->walk);
		kfree(d);
	}
	return 0;
}

static int rri_nl_group_sa_put(const struct xfrm_state *x, u8 dir, void *arg)
{
	struct rri_nl_group_sa_dump *d = arg;
	struct sk_buff *skb = d->skb;
	int len = x->props.family == AF_INET ? 4 : 16;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(d->cb->skb).portid,
			  d->cb->nlh->nlmsg_seq, &rri_nl_family, NLM_F_MULTI,
			  RRI_CMD_GROUP_SA_GET);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(skb, RRI_A_SA);
	if (!nest ||
	    nla_put_u16(skb, RRI_A_SA_FAMILY, x->props.family) ||
	    nla_put(skb, RRI_A_SA_DADDR, len, &x->id.daddr) ||
	    nla_put(skb, RRI_A_SA_SADDR, len, &x->props.saddr) ||
	    nla_put_be32(skb, RRI_A_SA_SPI, x->id.spi) ||
	    nla_put_u8(skb, RRI_A_SA_PROTO, x->id.proto) ||
	    nla_put_u32(skb, RRI_A_SA_MARK, x->mark.v) ||
	    nla_put_u32(skb, RRI_A_SA_REQID, x->props.reqid) ||
	    nla_put_u8(skb, RRI_A_SA_DIR, dir)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	return 0;
}

/**
 * rri_nl_group_sa_get_dumpit() - RRI_CMD_GROUP_SA_GET: a group's SAs
 * @skb: the part of the dump to fill
 * @cb: the dump, cb->args[0] its struct rri_nl_group_sa_dump
 *
 * The group is parsed in the first part rather than in .start, whose
 * extack does not reach the requester on 6.1.
 *
 * Return: the part's length, or a negative errno.
 */
int rri_nl_group_sa_get_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rri_net *rn = rri_net(sock_net(skb->sk));
	struct rri_nl_group_sa_dump *d = (void *)cb->args[0];
	struct nlattr **attrs = rri_dump_attrs(cb);
	struct nlattr *tb[RRI_A_GROUP_MAX + 1];
	struct rri_group *group;
	int ret = 0, i;

	if (!d->name[0]) {
		if (!attrs[RRI_A_GROUP]) {
			NL_SET_ERR_MSG(cb->extack, "missing group (RRI_A_GROUP)");
			return -EINVAL;
		}
		ret = nla_parse_nested(tb, RRI_A_GROUP_MAX, attrs[RRI_A_GROUP],
				       rri_nl_group_policy, cb->extack);
		if (ret)
			return ret;
		for (i = 1; i <= RRI_A_GROUP_MAX; i++) {
			if (tb[i] && i != RRI_A_GROUP_NAME) {
				NL_SET_ERR_MSG_ATTR(cb->extack, tb[i], RRI_NL_NOT_HERE);
				return -EINVAL;
			}
		}
		if (!tb[RRI_A_GROUP_NAME]) {
			NL_SET_ERR_MSG_ATTR(cb->extack, attrs[RRI_A_GROUP],
					    "missing group name");
			return -EINVAL;
		}
		ret = rri_nl_name(tb[RRI_A_GROUP_NAME], d->name, true, cb->extack);
		if (ret)
			return ret;
	}

	d->cb = cb;
	d->skb = skb;
	mutex_lock(&rn->lock);
	group = rri_group_find(rn, d->name);
	if (!group) {
		NL_SET_ERR_MSG(cb->extack, "no such group");
		ret = -ENOENT;
	} else if (!group->replay) {
		NL_SET_ERR_MSG(cb->extack,
			       "the group has no replay-interval: no SA of it is told");
		ret = -EINVAL;
	} else {
		rri_replay_dump(rn, d->walk, group, rri_nl_group_sa_put, d);
		ret = skb->len;
	}
	mutex_unlock(&rn->lock);
	return ret;
}
