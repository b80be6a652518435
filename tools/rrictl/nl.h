/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rrictl: requests to the rri generic netlink family.
 *
 * A command builds a request with rri_nl_msg(), adds its attributes with the
 * libnl nla_put_*() helpers and hands it to rri_nl_transact() together with a
 * parser that is called once per reply message:
 *
 *	msg = rri_nl_msg(RRI_CMD_FOO_GET, 0);
 *	if (!msg)
 *		return RRICTL_EXIT_FAIL;
 *	if (nla_put_string(msg, RRI_A_FOO_NAME, name) < 0) {
 *		nlmsg_free(msg);
 *		...
 *	}
 *	if (rri_nl_transact(msg, "foo show", foo_reply, &ctx))
 *		return RRICTL_EXIT_FAIL;
 *
 * With NLM_F_DUMP instead of 0 the parser is called for every message of the
 * dump, possibly none.
 *
 * A new top-level reply attribute also needs its type in reply_policy (nl.c).
 *
 * Both functions print their own errors, as "rrictl: ..." on stderr.
 */

#ifndef RRICTL_NL_H
#define RRICTL_NL_H

#include <stdint.h>

#include <netlink/attr.h>
#include <netlink/msg.h>
#include <linux/rri.h>

/*
 * Called with the top-level attributes of one reply message, parsed and checked
 * against their uapi types; attributes this rrictl does not know are left out.
 * Returns 0, or a negative value if the reply is not what the command expects.
 */
typedef int (*rri_reply_fn)(struct nlattr *tb[RRI_A_MAX + 1], void *arg);

struct nl_msg *rri_nl_msg(uint8_t cmd, int flags);
struct nl_msg *rri_nl_group_msg(uint8_t cmd, int flags, const char *name,
				struct nlattr **nest);
int rri_nl_transact(struct nl_msg *msg, const char *what, rri_reply_fn fn, void *arg);
int rri_nl_listen(const char *group, int rcvbuf, rri_reply_fn fn, void *arg);
int rri_nl_subscribe(const char *group, int rcvbuf, rri_reply_fn fn, void *arg);
int rri_nl_events(void);
void rri_nl_close(void);

#endif /* RRICTL_NL_H */
