/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * rri: Reverse Route Injection for Linux IPsec gateways.
 *
 * Documentation
 * =============
 *
 * The module is driven over generic netlink, family RRI_GENL_NAME, version
 * RRI_GENL_VERSION. The family is available in every network namespace
 * (netnsok) and every command acts on the namespace of the requesting
 * socket only: each namespace is an independent gateway with its own state
 * and counters.
 *
 * Validation is strict. An attribute a command does not list below ("attribute
 * not accepted by this command"), an unknown attribute type, an attribute of
 * the wrong type or length, and trailing bytes after the attributes are
 * refused with -EINVAL and an extended ACK message saying which, pointing
 * at the attribute where there is one. Commands that change state require
 * CAP_NET_ADMIN in the user namespace that owns the network namespace;
 * without it they fail with -EPERM before their attributes are looked at.
 * Queries are open to any user. An unknown command number is refused with
 * -EOPNOTSUPP by the generic netlink core (which, on 6.1, sets no message).
 *
 * RRI_CMD_VERSION_GET
 * -------------------
 *
 * Takes no attribute. Replies with:
 *
 *    RRI_A_VERSION: NLA_NUL_STRING, the module version, e.g. "0.1.0"
 *
 * RRI_CMD_STATS_GET
 * -----------------
 *
 * Takes no attribute. Replies with the counters of the caller's namespace:
 *
 *    RRI_A_STATS: NLA_NESTED
 *        RRI_A_STATS_SA_ADD: NLA_U64
 *        RRI_A_STATS_SA_UPDATE: NLA_U64
 *        RRI_A_STATS_SA_DELETE: NLA_U64
 *        RRI_A_STATS_SA_EXPIRE: NLA_U64
 *        RRI_A_STATS_SA_FLUSH: NLA_U64
 *        RRI_A_STATS_POLICY_ADD: NLA_U64
 *        RRI_A_STATS_POLICY_UPDATE: NLA_U64
 *        RRI_A_STATS_POLICY_DELETE: NLA_U64
 *        RRI_A_STATS_POLICY_EXPIRE: NLA_U64
 *        RRI_A_STATS_POLICY_FLUSH: NLA_U64
 *        RRI_A_STATS_ACQUIRE: NLA_U64
 *        RRI_A_STATS_EVENTS_DROPPED: NLA_U64
 *
 * Every counter is present; RRI_A_STATS_PAD only aligns the 64-bit values
 * and carries nothing.
 * The XFRM counters count the kernel's IPsec key-manager notifications as
 * the module has processed them: one per SA added (XFRM_MSG_NEWSA), updated
 * (XFRM_MSG_UPDSA, which is also how a larval SA becomes valid), deleted
 * (XFRM_MSG_DELSA), expired soft or hard (XFRM_MSG_EXPIRE), one per SA flush
 * that removed at least one SA (XFRM_MSG_FLUSHSA; flushing an empty table
 * is not notified by the kernel), and likewise for policies, plus one per
 * ACQUIRE (a packet matched a policy that has no SA yet). Events are
 * recorded in the notifier and applied in order by a per-namespace worker,
 * so a counter may lag the XFRM operation that caused it by a few
 * microseconds. EVENTS_DROPPED counts notifications that could not be
 * recorded because memory was short in atomic context.
 *
 * RRI_CMD_STATS_RESET
 * -------------------
 *
 * Takes no attribute. Sets every counter of the caller's namespace to zero.
 * Requires CAP_NET_ADMIN.
 */

#ifndef _UAPI_LINUX_RRI_H
#define _UAPI_LINUX_RRI_H

#define RRI_GENL_NAME		"rri"
#define RRI_GENL_VERSION	1

enum rri_cmd {
	RRI_CMD_UNSPEC,
	RRI_CMD_VERSION_GET,
	RRI_CMD_STATS_GET,
	RRI_CMD_STATS_RESET,

	__RRI_CMD_MAX,
};

#define RRI_CMD_MAX (__RRI_CMD_MAX - 1)

enum rri_attr {
	RRI_A_UNSPEC,
	RRI_A_VERSION,
	RRI_A_STATS,

	__RRI_A_MAX,
};

#define RRI_A_MAX (__RRI_A_MAX - 1)

enum rri_stats_attr {
	RRI_A_STATS_UNSPEC,
	RRI_A_STATS_PAD,
	RRI_A_STATS_SA_ADD,
	RRI_A_STATS_SA_UPDATE,
	RRI_A_STATS_SA_DELETE,
	RRI_A_STATS_SA_EXPIRE,
	RRI_A_STATS_SA_FLUSH,
	RRI_A_STATS_POLICY_ADD,
	RRI_A_STATS_POLICY_UPDATE,
	RRI_A_STATS_POLICY_DELETE,
	RRI_A_STATS_POLICY_EXPIRE,
	RRI_A_STATS_POLICY_FLUSH,
	RRI_A_STATS_ACQUIRE,
	RRI_A_STATS_EVENTS_DROPPED,

	__RRI_A_STATS_MAX,
};

#define RRI_A_STATS_MAX (__RRI_A_STATS_MAX - 1)

#endif /* _UAPI_LINUX_RRI_H */
