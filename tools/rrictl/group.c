// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl group: HA redundancy groups, whose role decides whether their maps'
 * routes are in the routing table.
 *
 * As for maps, the command line is only checked for syntax; what a value means is
 * the kernel's to judge.
 */

#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "group.h"
#include "nl.h"
#include "print.h"
#include "rrictl.h"

const char group_usage[] =
	"Usage: rrictl [OPTIONS] group [show [NAME]]\n"
	"       rrictl [OPTIONS] group add NAME vip ADDR|manual\n"
	"                          [replay-interval [inbound N] [outbound M]] [hold MS]\n"
	"       rrictl [OPTIONS] group set NAME [active|standby]\n"
	"                          [replay-interval [inbound N] [outbound M]] [hold MS]\n"
	"                          [release]\n"
	"       rrictl [OPTIONS] group del NAME\n"
	"\n"
	"An HA group (Cisco: crypto map ... redundancy) decides whether the routes\n"
	"of the maps in it (map add|set ... group NAME) are in the routing table:\n"
	"only while the group is active. On standby the maps keep their routes\n"
	"(route show: state standby) out of the table and put them back at once\n"
	"when it becomes active. A vip group is active while ADDR is assigned to an\n"
	"interface of the network namespace (keepalived or any VRRP daemon moves\n"
	"it); a manual group starts standby and takes the role group set gives.\n"
	"replay-interval sets the XFRM async-event thresholds of the SAs of the\n"
	"group's tunnels, for a sync daemon: inbound N packets (0..1000, default\n"
	"1000, 0 = no events) for inbound SAs, outbound M (1000..100000, default\n"
	"100000) for outbound SAs. hold MS (0..10000, default 0) keeps the routes\n"
	"back for up to MS milliseconds when the group becomes active (group show:\n"
	"held), so that rri-syncd can move the SAs' counters ahead first; release\n"
	"lets them in at once (rri-syncd does). group show also shows rri-syncd's\n"
	"sync state. A group that maps use cannot be deleted; a namespace has at\n"
	"most 64 groups. Every group command needs CAP_NET_ADMIN.\n";

static const struct name_value kind_names[] = {
	{ "vip", RRI_GROUP_VIP },
	{ "manual", RRI_GROUP_MANUAL },
	{ NULL, 0 },
};

static const struct name_value role_names[] = {
	{ "active", RRI_ROLE_ACTIVE },
	{ "standby", RRI_ROLE_STANDBY },
	{ NULL, 0 },
};

static const struct nla_policy group_policy[RRI_A_GROUP_MAX + 1] = {
	[RRI_A_GROUP_NAME]		= { .type = NLA_STRING },
	[RRI_A_GROUP_KIND]		= { .type = NLA_U8 },
	[RRI_A_GROUP_VIP]		= { .type = NLA_NESTED },
	[RRI_A_GROUP_ROLE]		= { .type = NLA_U8 },
	[RRI_A_GROUP_REPLAY]		= { .type = NLA_FLAG },
	[RRI_A_GROUP_REPLAY_INBOUND]	= { .type = NLA_U32 },
	[RRI_A_GROUP_REPLAY_OUTBOUND]	= { .type = NLA_U32 },
	[RRI_A_GROUP_SINCE]		= { .type = NLA_U64 },
	[RRI_A_GROUP_TRANSITIONS]	= { .type = NLA_U32 },
	[RRI_A_GROUP_MAPS]		= { .type = NLA_U32 },
	[RRI_A_GROUP_ROUTES]		= { .type = NLA_U32 },
	[RRI_A_GROUP_INSTALLED]		= { .type = NLA_U32 },
	[RRI_A_GROUP_HOLD]		= { .type = NLA_U32 },
	[RRI_A_GROUP_HELD]		= { .type = NLA_FLAG },
	[RRI_A_GROUP_HOLD_EXPIRED]	= { .type = NLA_U32 },
	[RRI_A_GROUP_SYNC]		= { .type = NLA_NESTED },
};

static const struct nla_policy sync_policy[RRI_A_SYNC_MAX + 1] = {
	[RRI_A_SYNC_STATE]	= { .type = NLA_U8 },
	[RRI_A_SYNC_PEER]	= { .type = NLA_STRING },
	[RRI_A_SYNC_SAS]	= { .type = NLA_U32 },
	[RRI_A_SYNC_UPDATES]	= { .type = NLA_U64 },
	[RRI_A_SYNC_LAG]	= { .type = NLA_U32 },
	[RRI_A_SYNC_LAST]	= { .type = NLA_U64 },
};

static const struct name_value sync_names[] = {
	{ "down", RRI_SYNC_DOWN },
	{ "resync", RRI_SYNC_RESYNC },
	{ "up", RRI_SYNC_UP },
	{ NULL, 0 },
};

/* Send a request whose nest is complete; 0 or RRICTL_EXIT_FAIL. */
static int group_send(struct nl_msg *msg, struct nlattr *nest, const char *what)
{
	nla_nest_end(msg, nest);
	return rri_nl_transact(msg, what, NULL, NULL) ? RRICTL_EXIT_FAIL : 0;
}

/*
 * Send a request parsed up to argv[i], unless parsing failed (@ret) or words are
 * left over.
 */
static int group_finish(struct nl_msg *msg, struct nlattr *nest, const char *what,
			int ret, int argc, char *argv[], int i)
{
	if (!ret && i < argc)
		ret = usage_error("%s: unexpected argument '%s'", what, argv[i]);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return group_send(msg, nest, what);
}

/* libnl refuses an attribute only when the request is out of room. */
static int put_done(const char *what, int err)
{
	if (err >= 0)
		return 0;
	pr_err("%s: %s", what, nl_geterror(err));
	return RRICTL_EXIT_FAIL;
}

/*
 * "replay-interval [inbound N] [outbound M]" from argv[*i] on; the kernel fills
 * in the defaults of what is not given.
 */
static int parse_replay(struct nl_msg *msg, int argc, char *argv[], int *i,
			const char *what)
{
	bool seen_in = false, seen_out = false;
	int ret = put_done(what, nla_put_flag(msg, RRI_A_GROUP_REPLAY));

	while (!ret && *i < argc) {
		const char *word = argv[*i];
		bool in = !strcmp(word, "inbound");
		uint64_t value;

		if (!in && strcmp(word, "outbound"))
			break;
		if (in ? seen_in : seen_out)
			return usage_error("%s: '%s' given twice", what, word);
		if (in)
			seen_in = true;
		else
			seen_out = true;
		if (*i + 1 == argc)
			return usage_error("%s: missing value for '%s'", what, word);
		if (!parse_number(argv[*i + 1], '\0', UINT32_MAX, &value))
			return usage_error("%s: invalid value '%s' for '%s'", what,
					   argv[*i + 1], word);
		ret = put_done(what, nla_put_u32(msg, in ? RRI_A_GROUP_REPLAY_INBOUND :
						 RRI_A_GROUP_REPLAY_OUTBOUND,
						 (uint32_t)value));
		*i += 2;
	}
	return ret;
}

/*
 * The options of group add and group set from argv[*i] on: replay-interval,
 * hold, and for set (@set) the role and release, each at most once.
 */
static int parse_options(struct nl_msg *msg, int argc, char *argv[], int *i,
			 const char *what, bool set)
{
	bool seen_role = false, seen_replay = false, seen_hold = false,
	     seen_release = false;
	unsigned int role;
	uint64_t value;
	int ret = 0;

	while (!ret && *i < argc) {
		const char *word = argv[(*i)++];

		if (set && !value_of(role_names, word, &role)) {
			if (seen_role)
				return usage_error("%s: role given twice", what);
			seen_role = true;
			ret = put_done(what, nla_put_u8(msg, RRI_A_GROUP_ROLE,
							(uint8_t)role));
		} else if (!strcmp(word, "replay-interval")) {
			if (seen_replay)
				return usage_error("%s: '%s' given twice", what, word);
			seen_replay = true;
			ret = parse_replay(msg, argc, argv, i, what);
		} else if (!strcmp(word, "hold")) {
			if (seen_hold)
				return usage_error("%s: '%s' given twice", what, word);
			seen_hold = true;
			if (*i == argc)
				return usage_error("%s: missing value for '%s'", what, word);
			if (!parse_number(argv[*i], '\0', UINT32_MAX, &value))
				return usage_error("%s: invalid value '%s' for '%s'", what,
						   argv[*i], word);
			(*i)++;
			ret = put_done(what, nla_put_u32(msg, RRI_A_GROUP_HOLD,
							 (uint32_t)value));
		} else if (set && !strcmp(word, "release")) {
			if (seen_release)
				return usage_error("%s: '%s' given twice", what, word);
			seen_release = true;
			ret = put_done(what, nla_put_flag(msg, RRI_A_GROUP_RELEASE));
		} else {
			return usage_error("%s: unknown keyword '%s'", what, word);
		}
	}
	return ret;
}

/* group add NAME vip ADDR|manual [replay-interval ...] [hold MS] */
static int group_add(int argc, char *argv[])
{
	const char *what = "group add";
	struct nlattr *nest;
	struct nl_msg *msg;
	struct prefix vip;
	int i = 4, ret;

	if (argc < 3)
		return usage_error("%s: missing NAME", what);
	if (argc < 4)
		return usage_error("%s: missing vip ADDR or manual", what);
	if (!strcmp(argv[3], "vip")) {
		if (argc < 5)
			return usage_error("%s: missing value for 'vip'", what);
		if (prefix_parse(argv[4], false, &vip))
			return usage_error("%s: invalid value '%s' for 'vip'", what, argv[4]);
		i = 5;
	} else if (strcmp(argv[3], "manual")) {
		return usage_error("%s: unknown keyword '%s' (vip ADDR or manual)", what,
				   argv[3]);
	}

	msg = rri_nl_group_msg(RRI_CMD_GROUP_ADD, 0, argv[2], &nest);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	ret = put_done(what, nla_put_u8(msg, RRI_A_GROUP_KIND, i == 5 ? RRI_GROUP_VIP :
								    RRI_GROUP_MANUAL));
	if (!ret && i == 5)
		ret = put_done(what, prefix_put(msg, RRI_A_GROUP_VIP, &vip, false));
	if (!ret)
		ret = parse_options(msg, argc, argv, &i, what, false);
	return group_finish(msg, nest, what, ret, argc, argv, i);
}

/* group set NAME [active|standby] [replay-interval ...] [hold MS] [release] */
static int group_set(int argc, char *argv[])
{
	const char *what = "group set";
	struct nlattr *nest;
	struct nl_msg *msg;
	int i = 3, ret;

	if (argc < 3)
		return usage_error("%s: missing NAME", what);
	if (argc < 4)
		return usage_error("%s: missing active, standby, replay-interval, hold or release",
				   what);

	msg = rri_nl_group_msg(RRI_CMD_GROUP_SET, 0, argv[2], &nest);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	ret = parse_options(msg, argc, argv, &i, what, true);
	return group_finish(msg, nest, what, ret, argc, argv, i);
}

static int group_del(int argc, char *argv[])
{
	struct nlattr *nest;
	struct nl_msg *msg;

	if (argc < 3)
		return usage_error("group del: missing NAME");
	if (argc > 3)
		return usage_error("group del: unexpected argument '%s'", argv[3]);
	msg = rri_nl_group_msg(RRI_CMD_GROUP_DEL, 0, argv[2], &nest);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	return group_send(msg, nest, "group del");
}

/* The group nest, with a name at least (a deleted group's event has no more). */
static int group_parse(struct nlattr *tb[RRI_A_MAX + 1],
		       struct nlattr *gtb[RRI_A_GROUP_MAX + 1])
{
	return !tb[RRI_A_GROUP] ||
	       nla_parse_nested(gtb, RRI_A_GROUP_MAX, tb[RRI_A_GROUP], group_policy) < 0 ||
	       !gtb[RRI_A_GROUP_NAME] ? -1 : 0;
}

/* The sync state rri-syncd reports: sync STATE [peer P] sas N lag MS updates N last T */
static int sync_print(struct nlattr *nest, const char *nl)
{
	struct nlattr *tb[RRI_A_SYNC_MAX + 1];

	if (nla_parse_nested(tb, RRI_A_SYNC_MAX, nest, sync_policy) < 0 ||
	    !tb[RRI_A_SYNC_STATE])
		return -1;
	print_text(nl);
	print_open_object("sync");
	print_name("state", " sync %s", sync_names, nla_get_u8(tb[RRI_A_SYNC_STATE]));
	if (tb[RRI_A_SYNC_PEER])
		print_string("peer", " peer %s", nla_get_string(tb[RRI_A_SYNC_PEER]));
	print_u32_attr("sas", " sas %" PRIu64, tb[RRI_A_SYNC_SAS]);
	print_u32_attr("lag", " lag %" PRIu64 " ms", tb[RRI_A_SYNC_LAG]);
	if (tb[RRI_A_SYNC_UPDATES])
		print_u64("updates", " updates %" PRIu64, nla_get_u64(tb[RRI_A_SYNC_UPDATES]));
	if (tb[RRI_A_SYNC_LAST])
		print_time("last", " last %s", nla_get_u64(tb[RRI_A_SYNC_LAST]));
	print_close_object();
	return 0;
}

/**
 * group_print() - print the group of a reply or event
 * @tb: the message's attributes, with RRI_A_GROUP
 * @key: the object's key in the enclosing object, NULL for a list element
 * @event: for the event stream: one line, without the word "group"
 *
 * As much as the message has, in this order (a deleted group's event only
 * has its name):
 *
 *	group NAME [vip ADDR|manual] role R since T transitions N
 *	    [replay-interval inbound N outbound M]
 *	    [hold MS hold-expired N] [held]
 *	    [sync STATE [peer P] sas N lag MS updates N last T]
 *	    maps N routes N installed N
 *
 * Return: 0, or -1 if the group is malformed.
 */
int group_print(struct nlattr *tb[RRI_A_MAX + 1], const char *key, bool event)
{
	const char *nl = event ? "" : "\n   ";
	struct nlattr *gtb[RRI_A_GROUP_MAX + 1];
	uint8_t kind;

	if (group_parse(tb, gtb))
		return -1;

	print_open_object(key);
	print_string("name", event ? "%s" : "group %s", nla_get_string(gtb[RRI_A_GROUP_NAME]));
	if (gtb[RRI_A_GROUP_KIND]) {
		kind = nla_get_u8(gtb[RRI_A_GROUP_KIND]);
		print_name("kind", kind == RRI_GROUP_VIP ? NULL : " %s", kind_names, kind);
	}
	if (print_prefix_attr("vip", " vip %s", gtb[RRI_A_GROUP_VIP], false))
		return -1;
	if (gtb[RRI_A_GROUP_ROLE])
		print_name("role", " role %s", role_names, nla_get_u8(gtb[RRI_A_GROUP_ROLE]));
	if (gtb[RRI_A_GROUP_SINCE])
		print_time("since", " since %s", nla_get_u64(gtb[RRI_A_GROUP_SINCE]));
	print_u32_attr("transitions", " transitions %" PRIu64, gtb[RRI_A_GROUP_TRANSITIONS]);
	if (gtb[RRI_A_GROUP_REPLAY]) {
		print_text(nl);
		print_text(" replay-interval");
		print_open_object("replay_interval");
		print_u32_attr("inbound", " inbound %" PRIu64, gtb[RRI_A_GROUP_REPLAY_INBOUND]);
		print_u32_attr("outbound", " outbound %" PRIu64,
			       gtb[RRI_A_GROUP_REPLAY_OUTBOUND]);
		print_close_object();
	}
	if (gtb[RRI_A_GROUP_HOLD]) {
		print_text(nl);
		print_u32_attr("hold", " hold %" PRIu64, gtb[RRI_A_GROUP_HOLD]);
		print_u32_attr("hold_expired", " hold-expired %" PRIu64,
			       gtb[RRI_A_GROUP_HOLD_EXPIRED]);
	}
	if (gtb[RRI_A_GROUP_ROLE])
		print_bool("held", " held", gtb[RRI_A_GROUP_HELD]);
	if (gtb[RRI_A_GROUP_SYNC] && sync_print(gtb[RRI_A_GROUP_SYNC], nl))
		return -1;
	if (gtb[RRI_A_GROUP_MAPS]) {
		print_text(nl);
		print_u32_attr("maps", " maps %" PRIu64, gtb[RRI_A_GROUP_MAPS]);
		print_u32_attr("routes", " routes %" PRIu64, gtb[RRI_A_GROUP_ROUTES]);
		print_u32_attr("installed", " installed %" PRIu64, gtb[RRI_A_GROUP_INSTALLED]);
	}
	print_text("\n");
	print_close_object();
	return 0;
}

static int group_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	return group_print(tb, NULL, false);
}

/* group show [NAME]: one group, or a dump of all; JSON is an array either way. */
static int group_show(int argc, char *argv[])
{
	const char *name = argc > 2 ? argv[2] : NULL;
	struct nlattr *nest = NULL;
	struct nl_msg *msg;

	if (argc > 3)
		return usage_error("group show: unexpected argument '%s'", argv[3]);

	msg = rri_nl_group_msg(RRI_CMD_GROUP_GET, name ? 0 : NLM_F_DUMP, name, &nest);
	if (!msg)
		return RRICTL_EXIT_FAIL;
	if (nest)
		nla_nest_end(msg, nest);

	print_open_array(NULL);
	if (rri_nl_transact(msg, "group show", group_reply, NULL))
		return RRICTL_EXIT_FAIL;
	print_close_array();
	return 0;
}

/* One group as the "group add" line that recreates it (the role follows). */
static int group_save_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	struct nlattr *gtb[RRI_A_GROUP_MAX + 1];
	const char *name;

	if (group_parse(tb, gtb) || !gtb[RRI_A_GROUP_KIND])
		return -1;
	name = nla_get_string(gtb[RRI_A_GROUP_NAME]);
	print_textf("group add %s", name);
	if (nla_get_u8(gtb[RRI_A_GROUP_KIND]) == RRI_GROUP_VIP) {
		if (!gtb[RRI_A_GROUP_VIP] ||
		    print_prefix_attr("vip", " vip %s", gtb[RRI_A_GROUP_VIP], false))
			return -1;
	} else {
		print_text(" manual");
	}
	if (gtb[RRI_A_GROUP_REPLAY]) {
		if (!gtb[RRI_A_GROUP_REPLAY_INBOUND] || !gtb[RRI_A_GROUP_REPLAY_OUTBOUND])
			return -1;
		print_textf(" replay-interval inbound %u outbound %u",
			    nla_get_u32(gtb[RRI_A_GROUP_REPLAY_INBOUND]),
			    nla_get_u32(gtb[RRI_A_GROUP_REPLAY_OUTBOUND]));
	}
	if (gtb[RRI_A_GROUP_HOLD])
		print_textf(" hold %u", nla_get_u32(gtb[RRI_A_GROUP_HOLD]));
	print_text("\n");
	return 0;
}

/**
 * group_save() - print every group as the command that adds it
 *
 * A manual group's role is not saved: it starts standby, as after a reboot, and
 * whatever decides it (an admin, a script) sets it again.
 *
 * Return: 0, or -1 after printing an error.
 */
int group_save(void)
{
	struct nl_msg *msg = rri_nl_group_msg(RRI_CMD_GROUP_GET, NLM_F_DUMP, NULL, NULL);

	if (!msg)
		return -1;
	return rri_nl_transact(msg, "save", group_save_reply, NULL);
}

int group_main(int argc, char *argv[])
{
	if (argc == 1 || !strcmp(argv[1], "show"))
		return group_show(argc, argv);
	if (!strcmp(argv[1], "add"))
		return group_add(argc, argv);
	if (!strcmp(argv[1], "set"))
		return group_set(argc, argv);
	if (!strcmp(argv[1], "del"))
		return group_del(argc, argv);
	return usage_error("group: unknown subcommand '%s'", argv[1]);
}
