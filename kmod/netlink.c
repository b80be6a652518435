// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family "rri": the only interface to the module. See
 * include/uapi/linux/rri.h for the contract.
 */

#include <net/genetlink.h>
#include <uapi/linux/rri.h>

#include "netlink.h"
#include "pernet.h"
#include "version.h"

/*
 * Commands that take no attribute still get a policy: with a policy every
 * attribute is validated strictly, so anything sent is refused with a
 * message instead of being silently ignored.
 */
#define RRI_NL_NOT_HERE "attribute not accepted by this command"

static const struct nla_policy rri_nl_noattr_policy[RRI_A_MAX + 1] = {
	[RRI_A_VERSION] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
	[RRI_A_STATS] = { .type = NLA_REJECT, .reject_message = RRI_NL_NOT_HERE },
};

static struct genl_family rri_nl_family;

static struct sk_buff *rri_nl_reply_new(struct genl_info *info, u8 cmd,
					void **hdr)
{
	struct sk_buff *skb;

	skb = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!skb)
		return NULL;

	*hdr = genlmsg_put_reply(skb, info, &rri_nl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(skb);
		return NULL;
	}
	return skb;
}

static int rri_nl_version_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = rri_nl_reply_new(info, RRI_CMD_VERSION_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	if (nla_put_string(msg, RRI_A_VERSION, RRI_VERSION)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int rri_nl_stats_fill(struct sk_buff *msg, struct rri_net *rn)
{
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(msg, RRI_A_STATS);
	if (!nest)
		return -EMSGSIZE;

	for (i = 0; i < RRI_STAT_NUM; i++) {
		if (nla_put_u64_64bit(msg, RRI_A_STATS_SA_ADD + i,
				      atomic64_read(&rn->stats[i]),
				      RRI_A_STATS_PAD)) {
			nla_nest_cancel(msg, nest);
			return -EMSGSIZE;
		}
	}

	nla_nest_end(msg, nest);
	return 0;
}

static int rri_nl_stats_get_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = rri_nl_reply_new(info, RRI_CMD_STATS_GET, &hdr);
	if (!msg)
		return -ENOMEM;

	ret = rri_nl_stats_fill(msg, rn);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int rri_nl_stats_reset_doit(struct sk_buff *skb, struct genl_info *info)
{
	struct rri_net *rn = rri_net(genl_info_net(info));

	/* Under the worker's lock so no event is half-counted across it. */
	mutex_lock(&rn->lock);
	rri_net_stats_reset(rn);
	mutex_unlock(&rn->lock);
	return 0;
}

static const struct genl_ops rri_nl_ops[] = {
	{
		.cmd = RRI_CMD_VERSION_GET,
		.doit = rri_nl_version_get_doit,
		.policy = rri_nl_noattr_policy,
		.maxattr = RRI_A_MAX,
	},
	{
		.cmd = RRI_CMD_STATS_GET,
		.doit = rri_nl_stats_get_doit,
		.policy = rri_nl_noattr_policy,
		.maxattr = RRI_A_MAX,
	},
	{
		.cmd = RRI_CMD_STATS_RESET,
		.doit = rri_nl_stats_reset_doit,
		.policy = rri_nl_noattr_policy,
		.maxattr = RRI_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static struct genl_family rri_nl_family __ro_after_init = {
	.name = RRI_GENL_NAME,
	.version = RRI_GENL_VERSION,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = rri_nl_ops,
	.n_ops = ARRAY_SIZE(rri_nl_ops),
};

/**
 * rri_genl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int __init rri_genl_init(void)
{
	return genl_register_family(&rri_nl_family);
}

/**
 * rri_genl_exit() - unregister the generic netlink family
 */
void rri_genl_exit(void)
{
	genl_unregister_family(&rri_nl_family);
}
