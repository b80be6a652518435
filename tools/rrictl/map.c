// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl map: the maps that select IPsec policies and turn them into routes.
 *
 * The command line is only checked for syntax. What a value means (host bits in a
 * prefix, table 0, a tag on an IPv6 map, a duplicate name, ...) is the kernel's
 * to judge, and its reason is what the user sees: one source of truth.
 */

#include <inttypes.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "map.h"
#include "nl.h"
#include "print.h"
#include "rrictl.h"

const char map_usage[] =
	"Usage: rrictl [OPTIONS] map [show [NAME]]\n"
	"       rrictl [OPTIONS] map add NAME [MATCH]... [mode dynamic|static]\n"
	"                        [nexthop peer|gateway ADDR [dev DEV]|dev DEV]\n"
	"                        [remote-peer] [table ID|vrf DEV] [metric N] [tag N]\n"
	"                        [proto N] [group NAME]\n"
	"                        [peer ADDR|HOST [dynamic] [default] [conn NAME]]...\n"
	"                        [idle-time SECONDS [default]]\n"
	"       rrictl [OPTIONS] map set NAME OPTIONS...\n"
	"       rrictl [OPTIONS] map del NAME\n"
	"\n"
	"MATCH := reqid N | if_id N | mark V[/M] | remote PREFIX | local PREFIX |\n"
	"         family inet|inet6\n"
	"\n"
	"A map selects the outbound tunnel-mode IPsec policies that match all its\n"
	"MATCH keys (every one if it has none) and routes to the remote network of\n"
	"each: in mode dynamic while an SA is up, in mode static while the policy\n"
	"exists. A policy several maps select belongs to the map added first.\n"
	"map set takes the words of map add and changes only the settings given;\n"
	"no-remote-peer takes remote-peer back, no-group takes the map out of its\n"
	"HA group (see rrictl group), no-peers and no-idle-time remove those; a\n"
	"peer list given to map set replaces the whole list. With nexthop peer, a policy with an\n"
	"if_id is routed into the XFRM interface that has it (route-based VPN), and\n"
	"a policy with a mark gets no route: traffic a route sends would not match it.\n"
	"Defaults: mode dynamic, nexthop peer, table main, metric 0, proto 201 (rri),\n"
	"mark mask 0xffffffff.\n"
	"\n"
	"N, V and M are decimal or 0x hex. PREFIX is ADDR[/LEN]; a bare address is a\n"
	"/32 or /128. ID is a number or main, default or local; proto takes a number\n"
	"or rri. tag is an IPv4 route realm. A namespace has at most 256 maps.\n"
	"peer (Cisco's set peer) lists the peers that reach the map's sites, at\n"
	"most 10, only the first may be the default; a HOST is resolved now, to all\n"
	"its addresses (dynamic: again before each tunnel); conn names the IKE\n"
	"daemon's connection to it. idle-time (60..86400) tears down an idle\n"
	"tunnel (default: and returns to the default peer). WIP: not acted on yet.\n"
	"Every map command needs CAP_NET_ADMIN.\n";

static const struct name_value mode_names[] = {
	{ "dynamic", RRI_MODE_DYNAMIC },
	{ "static", RRI_MODE_STATIC },
	{ NULL, 0 },
};

static const struct name_value nexthop_names[] = {
	{ "peer", RRI_NEXTHOP_PEER },
	{ "gateway", RRI_NEXTHOP_GATEWAY },
	{ "dev", RRI_NEXTHOP_DEV },
	{ NULL, 0 },
};

/* The names iproute2 gives the reserved tables. */
static const struct name_value table_names[] = {
	{ "default", RT_TABLE_DEFAULT },
	{ "main", RT_TABLE_MAIN },
	{ "local", RT_TABLE_LOCAL },
	{ NULL, 0 },
};

static const struct name_value proto_names[] = {
	{ "rri", RRI_RTPROT },
	{ NULL, 0 },
};

static const struct nla_policy map_policy[RRI_A_MAP_MAX + 1] = {
	[RRI_A_MAP_NAME]		= { .type = NLA_STRING },
	[RRI_A_MAP_MATCH_FAMILY]	= { .type = NLA_U16 },
	[RRI_A_MAP_MATCH_REQID]		= { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_IF_ID]		= { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_MARK]		= { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_MARK_MASK]	= { .type = NLA_U32 },
	[RRI_A_MAP_MATCH_REMOTE]	= { .type = NLA_NESTED },
	[RRI_A_MAP_MATCH_LOCAL]		= { .type = NLA_NESTED },
	[RRI_A_MAP_MODE]		= { .type = NLA_U8 },
	[RRI_A_MAP_NEXTHOP]		= { .type = NLA_U8 },
	[RRI_A_MAP_GATEWAY]		= { .type = NLA_NESTED },
	[RRI_A_MAP_OIF]			= { .type = NLA_U32 },
	[RRI_A_MAP_REMOTE_PEER]		= { .type = NLA_FLAG },
	[RRI_A_MAP_TABLE]		= { .type = NLA_U32 },
	[RRI_A_MAP_VRF]			= { .type = NLA_U32 },
	[RRI_A_MAP_METRIC]		= { .type = NLA_U32 },
	[RRI_A_MAP_TAG]			= { .type = NLA_U32 },
	[RRI_A_MAP_PROTO]		= { .type = NLA_U8 },
	[RRI_A_MAP_POLICIES]		= { .type = NLA_U32 },
	[RRI_A_MAP_ROUTES]		= { .type = NLA_U32 },
	[RRI_A_MAP_SHADOWED]		= { .type = NLA_U32 },
	[RRI_A_MAP_GROUP]		= { .type = NLA_STRING },
	[RRI_A_MAP_PEERS]		= { .type = NLA_NESTED },
	[RRI_A_MAP_IDLE_TIME]		= { .type = NLA_U32 },
	[RRI_A_MAP_IDLE_DEFAULT]	= { .type = NLA_FLAG },
};

/* A peer of RRI_A_MAP_PEERS, or the one RRI_A_PEER_SEL names. */
const struct nla_policy map_peer_policy[RRI_A_PEER_MAX + 1] = {
	[RRI_A_PEER_ADDR]		= { .type = NLA_NESTED },
	[RRI_A_PEER_NAME]		= { .type = NLA_STRING },
	[RRI_A_PEER_DYNAMIC]		= { .type = NLA_FLAG },
	[RRI_A_PEER_DEFAULT]		= { .type = NLA_FLAG },
	[RRI_A_PEER_CONN]		= { .type = NLA_STRING },
	[RRI_A_PEER_CURRENT]		= { .type = NLA_FLAG },
	[RRI_A_PEER_SAS]		= { .type = NLA_U32 },
	[RRI_A_PEER_FAILURES]		= { .type = NLA_U32 },
	[RRI_A_PEER_ATTEMPTS]		= { .type = NLA_U32 },
	[RRI_A_PEER_TIME]		= { .type = NLA_U32 },
};

/* The words after "map add NAME" or "map set NAME", consumed from the front. */
struct map_args {
	const char *what;	/* "map add" or "map set", for messages */
	struct nl_msg *msg;
	char **argv;
	int argc;
};

struct keyword {
	const char *word;
	int attr;
	int (*parse)(struct map_args *a, const struct keyword *kw);
	const struct name_value *names;	/* words the value may be, if any */
};

/* The word after @word, consumed; NULL, after a usage error, if there is none. */
static const char *take_value(struct map_args *a, const char *word)
{
	if (!a->argc) {
		usage_error("%s: missing value for '%s'", a->what, word);
		return NULL;
	}
	a->argc--;
	return *a->argv++;
}

static int bad_value(const struct map_args *a, const char *word, const char *value)
{
	return usage_error("%s: invalid value '%s' for '%s'", a->what, value, word);
}

/* libnl refuses an attribute only when the request is out of room. */
static int put_done(const struct map_args *a, int err)
{
	if (err >= 0)
		return 0;
	pr_err("%s: %s", a->what, nl_geterror(err));
	return RRICTL_EXIT_FAIL;
}

/* A number up to @max, or one of the keyword's names if it has any. */
static int take_number(struct map_args *a, const struct keyword *kw, uint64_t max,
		       uint64_t *value)
{
	const char *str = take_value(a, kw->word);
	unsigned int named;

	if (!str)
		return RRICTL_EXIT_USAGE;
	if (kw->names && !value_of(kw->names, str, &named)) {
		*value = named;
		return 0;
	}
	if (!parse_number(str, '\0', max, value))
		return bad_value(a, kw->word, str);
	return 0;
}

/* One of the keyword's names, and nothing else. */
static int take_name(struct map_args *a, const struct keyword *kw, unsigned int *value)
{
	const char *str = take_value(a, kw->word);

	if (!str)
		return RRICTL_EXIT_USAGE;
	if (value_of(kw->names, str, value))
		return bad_value(a, kw->word, str);
	return 0;
}

/* DEV, sent as its ifindex. */
static int put_dev(struct map_args *a, const char *word, int attr)
{
	const char *name = take_value(a, word);
	uint32_t ifindex;

	if (!name)
		return RRICTL_EXIT_USAGE;
	if (dev_index(name, &ifindex))
		return RRICTL_EXIT_FAIL;
	return put_done(a, nla_put_u32(a->msg, attr, ifindex));
}

static int parse_u32(struct map_args *a, const struct keyword *kw)
{
	uint64_t value;

	return take_number(a, kw, UINT32_MAX, &value) ?:
	       put_done(a, nla_put_u32(a->msg, kw->attr, (uint32_t)value));
}

static int parse_u8(struct map_args *a, const struct keyword *kw)
{
	uint64_t value;

	return take_number(a, kw, UINT8_MAX, &value) ?:
	       put_done(a, nla_put_u8(a->msg, kw->attr, (uint8_t)value));
}

static int parse_name_u8(struct map_args *a, const struct keyword *kw)
{
	unsigned int value;

	return take_name(a, kw, &value) ?:
	       put_done(a, nla_put_u8(a->msg, kw->attr, (uint8_t)value));
}

static int parse_name_u16(struct map_args *a, const struct keyword *kw)
{
	unsigned int value;

	return take_name(a, kw, &value) ?:
	       put_done(a, nla_put_u16(a->msg, kw->attr, (uint16_t)value));
}

/* A map flag: kw->names is unused, the flag is in the keyword's word. */
static int parse_flag(struct map_args *a, const struct keyword *kw)
{
	struct nla_bitfield32 f = { .selector = RRI_MAP_F_REMOTE_PEER };

	if (strncmp(kw->word, "no-", 3))
		f.value = f.selector;
	return put_done(a, nla_put(a->msg, RRI_A_MAP_FLAGS, sizeof(f), &f));
}

/* group NAME; no-group sends the empty name, which takes the map out of its group. */
static int parse_group(struct map_args *a, const struct keyword *kw)
{
	const char *name = "";

	if (strncmp(kw->word, "no-", 3)) {
		name = take_value(a, kw->word);
		if (!name)
			return RRICTL_EXIT_USAGE;
		if (!*name)
			return bad_value(a, kw->word, name);
	}
	return put_done(a, nla_put_string(a->msg, RRI_A_MAP_GROUP, name));
}

static int parse_dev(struct map_args *a, const struct keyword *kw)
{
	return put_dev(a, kw->word, kw->attr);
}

/*
 * "mark V" means V/0xffffffff, so the mask is always sent: on map set, a mask
 * given before must not silently stay with the new value.
 */
static int parse_mark(struct map_args *a, const struct keyword *kw)
{
	const char *str = take_value(a, kw->word), *end;
	uint64_t value, mask = UINT32_MAX;

	if (!str)
		return RRICTL_EXIT_USAGE;
	end = parse_number(str, '/', UINT32_MAX, &value);
	if (!end || (*end && !parse_number(end + 1, '\0', UINT32_MAX, &mask)))
		return bad_value(a, kw->word, str);
	return put_done(a, nla_put_u32(a->msg, RRI_A_MAP_MATCH_MARK, (uint32_t)value)) ?:
	       put_done(a, nla_put_u32(a->msg, RRI_A_MAP_MATCH_MARK_MASK, (uint32_t)mask));
}

static int parse_prefix(struct map_args *a, const struct keyword *kw)
{
	const char *str = take_value(a, kw->word);
	struct prefix p;

	if (!str)
		return RRICTL_EXIT_USAGE;
	if (prefix_parse(str, true, &p))
		return bad_value(a, kw->word, str);
	return put_done(a, prefix_put(a->msg, kw->attr, &p, true));
}

/* nexthop gateway ADDR [dev DEV] */
static int parse_gateway(struct map_args *a)
{
	const char *str = take_value(a, "gateway");
	struct prefix gw;
	int ret;

	if (!str)
		return RRICTL_EXIT_USAGE;
	if (prefix_parse(str, false, &gw))
		return bad_value(a, "gateway", str);
	ret = put_done(a, prefix_put(a->msg, RRI_A_MAP_GATEWAY, &gw, false));
	if (ret || !a->argc || strcmp(a->argv[0], "dev"))
		return ret;
	a->argv++;
	a->argc--;
	return put_dev(a, "dev", RRI_A_MAP_OIF);
}

/* nexthop peer | nexthop gateway ADDR [dev DEV] | nexthop dev DEV */
static int parse_nexthop(struct map_args *a, const struct keyword *kw)
{
	unsigned int nexthop;
	int ret;

	ret = take_name(a, kw, &nexthop) ?:
	      put_done(a, nla_put_u8(a->msg, kw->attr, (uint8_t)nexthop));
	if (ret)
		return ret;
	if (nexthop == RRI_NEXTHOP_GATEWAY)
		return parse_gateway(a);
	if (nexthop == RRI_NEXTHOP_DEV)
		return put_dev(a, "dev", RRI_A_MAP_OIF);
	return 0;
}

/*
 * The addresses of peer ADDR|HOST: the address, or every address a DNS name
 * has (both families, at most RRI_PEER_ADDRS_MAX), each an RRI_A_PEER_ADDR.
 * @is_name: set if @str is a name (resolved).
 * Return: 0 or an exit code.
 */
static int put_peer_addrs(struct map_args *a, const char *str, bool *is_name)
{
	struct prefix p, addrs[RRI_PEER_ADDRS_MAX];
	const char *why;
	int n, i, err = 0;

	*is_name = false;
	if (!prefix_parse(str, false, &p))
		return put_done(a, prefix_put(a->msg, RRI_A_PEER_ADDR, &p, false));
	*is_name = true;
	n = resolve_host(str, addrs, RRI_PEER_ADDRS_MAX, &why);
	if (n < 0) {
		pr_err("%s: peer %s does not resolve: %s", a->what, str, why);
		return RRICTL_EXIT_FAIL;
	}
	for (i = 0; i < n && !err; i++)
		err = put_done(a, prefix_put(a->msg, RRI_A_PEER_ADDR, &addrs[i], false));
	return err;
}

/*
 * peer ADDR|HOST [dynamic] [default] [conn NAME], repeated: one RRI_A_MAP_PEERS
 * nest with an RRI_A_PEER per peer, in the order given; no-peers sends it empty.
 */
static int parse_peers(struct map_args *a, const struct keyword *kw)
{
	struct nlattr *list, *peer;
	const char *str;
	bool is_name;
	int ret;

	list = nla_nest_start(a->msg, RRI_A_MAP_PEERS | NLA_F_NESTED);
	if (!list)
		return put_done(a, -NLE_NOMEM);
	/* libnl drops an empty nest unless told not to. */
	if (!strcmp(kw->word, "no-peers"))
		return put_done(a, nla_nest_end_keep_empty(a->msg, list));
	do {
		str = take_value(a, "peer");
		if (!str)
			return RRICTL_EXIT_USAGE;
		peer = nla_nest_start(a->msg, RRI_A_PEER | NLA_F_NESTED);
		if (!peer)
			return put_done(a, -NLE_NOMEM);
		ret = put_peer_addrs(a, str, &is_name);
		if (ret)
			return ret;
		if (is_name && put_done(a, nla_put_string(a->msg, RRI_A_PEER_NAME, str)))
			return RRICTL_EXIT_FAIL;
		while (a->argc) {
			const char *w = a->argv[0];

			ret = 0;
			if (!strcmp(w, "dynamic"))
				ret = put_done(a, nla_put_flag(a->msg, RRI_A_PEER_DYNAMIC));
			else if (!strcmp(w, "default"))
				ret = put_done(a, nla_put_flag(a->msg, RRI_A_PEER_DEFAULT));
			else if (strcmp(w, "conn"))
				break;
			a->argv++;
			a->argc--;
			if (!strcmp(w, "conn")) {
				str = take_value(a, "conn");
				if (!str)
					return RRICTL_EXIT_USAGE;
				ret = put_done(a, nla_put_string(a->msg, RRI_A_PEER_CONN, str));
			}
			if (ret)
				return ret;
		}
		nla_nest_end(a->msg, peer);
		if (!a->argc || strcmp(a->argv[0], "peer"))
			break;
		a->argv++;
		a->argc--;
	} while (1);
	return put_done(a, nla_nest_end(a->msg, list));
}

/* idle-time SECONDS [default]; no-idle-time sends 0. */
static int parse_idle(struct map_args *a, const struct keyword *kw)
{
	uint64_t value = 0;
	int ret;

	if (strcmp(kw->word, "no-idle-time")) {
		ret = take_number(a, kw, RRI_IDLE_TIME_MAX, &value);
		if (ret)
			return ret;
	}
	ret = put_done(a, nla_put_u32(a->msg, RRI_A_MAP_IDLE_TIME, (uint32_t)value));
	if (ret || !a->argc || strcmp(a->argv[0], "default"))
		return ret;
	a->argv++;
	a->argc--;
	return put_done(a, nla_put_flag(a->msg, RRI_A_MAP_IDLE_DEFAULT));
}

/* The MATCH keys and options of map add and map set, in the grammar's order. */
static const struct keyword keywords[] = {
	{ "reqid",		RRI_A_MAP_MATCH_REQID,	parse_u32,	NULL },
	{ "if_id",		RRI_A_MAP_MATCH_IF_ID,	parse_u32,	NULL },
	{ "mark",		RRI_A_MAP_MATCH_MARK,	parse_mark,	NULL },
	{ "remote",		RRI_A_MAP_MATCH_REMOTE,	parse_prefix,	NULL },
	{ "local",		RRI_A_MAP_MATCH_LOCAL,	parse_prefix,	NULL },
	{ "family",		RRI_A_MAP_MATCH_FAMILY,	parse_name_u16,	family_names },
	{ "mode",		RRI_A_MAP_MODE,		parse_name_u8,	mode_names },
	{ "nexthop",		RRI_A_MAP_NEXTHOP,	parse_nexthop,	nexthop_names },
	{ "remote-peer",	RRI_A_MAP_FLAGS,	parse_flag,	NULL },
	{ "no-remote-peer",	RRI_A_MAP_FLAGS,	parse_flag,	NULL },
	{ "table",		RRI_A_MAP_TABLE,	parse_u32,	table_names },
	{ "vrf",		RRI_A_MAP_VRF,		parse_dev,	NULL },
	{ "metric",		RRI_A_MAP_METRIC,	parse_u32,	NULL },
	{ "tag",		RRI_A_MAP_TAG,		parse_u32,	NULL },
	{ "proto",		RRI_A_MAP_PROTO,	parse_u8,	proto_names },
	{ "group",		RRI_A_MAP_GROUP,	parse_group,	NULL },
	{ "no-group",		RRI_A_MAP_GROUP,	parse_group,	NULL },
	{ "peer",		RRI_A_MAP_PEERS,	parse_peers,	NULL },
	{ "no-peers",		RRI_A_MAP_PEERS,	parse_peers,	NULL },
	{ "idle-time",		RRI_A_MAP_IDLE_TIME,	parse_idle,	NULL },
	{ "no-idle-time",	RRI_A_MAP_IDLE_TIME,	parse_idle,	NULL },
};

static const struct keyword *find_keyword(const char *word)
{
	const struct keyword *kw;

	for (kw = keywords; kw < keywords + ARRAY_SIZE(keywords); kw++)
		if (!strcmp(kw->word, word))
			return kw;
	return NULL;
}

static int parse_options(struct map_args *a)
{
	uint32_t seen = 0;

	_Static_assert(ARRAY_SIZE(keywords) <= 32, "seen has a bit per keyword");
	while (a->argc) {
		const char *word = *a->argv++;
		const struct keyword *kw = find_keyword(word);
		uint32_t bit;
		int ret;

		a->argc--;
		if (!kw)
			return usage_error("%s: unknown keyword '%s'", a->what, word);
		bit = 1U << (kw - keywords);
		if (seen & bit)
			return usage_error("%s: '%s' given twice", a->what, word);
		seen |= bit;

		ret = kw->parse(a, kw);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * Start the RRI_A_MAP nest of a request, with the map's name. The kernel's strict
 * validation requires NLA_F_NESTED on every nest, and older libnl does not set it.
 */
static struct nlattr *map_nest_start(struct nl_msg *msg, const char *name)
{
	struct nlattr *nest = nla_nest_start(msg, RRI_A_MAP | NLA_F_NESTED);

	if (!nest || nla_put_string(msg, RRI_A_MAP_NAME, name) < 0)
		return NULL;
	return nest;
}

/**
 * map_msg() - start a request about one map or all of them
 * @cmd: RRI_CMD_*
 * @flags: as for rri_nl_msg()
 * @name: the map's name, for an RRI_A_MAP nest with RRI_A_MAP_NAME; NULL for none
 *
 * Return: the message, or NULL after printing an error.
 */
struct nl_msg *map_msg(uint8_t cmd, int flags, const char *name)
{
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = rri_nl_msg(cmd, flags);
	if (!msg || !name)
		return msg;
	nest = map_nest_start(msg, name);
	if (!nest) {
		nlmsg_free(msg);
		pr_err("out of memory");
		return NULL;
	}
	nla_nest_end(msg, nest);
	return msg;
}

/* map add NAME ..., map set NAME ... */
static int map_change(int argc, char *argv[], uint8_t cmd, const char *what)
{
	struct map_args a = { .what = what };
	struct nlattr *nest;
	int ret;

	if (argc < 3)
		return usage_error("%s: missing NAME", what);

	a.argc = argc - 3;
	a.argv = argv + 3;
	a.msg = rri_nl_msg(cmd, 0);
	if (!a.msg)
		return RRICTL_EXIT_FAIL;
	nest = map_nest_start(a.msg, argv[2]);
	ret = nest ? parse_options(&a) : put_done(&a, -NLE_NOMEM);
	if (ret) {
		nlmsg_free(a.msg);
		return ret;
	}
	nla_nest_end(a.msg, nest);
	return rri_nl_transact(a.msg, what, NULL, NULL) ? RRICTL_EXIT_FAIL : 0;
}

static int map_del(int argc, char *argv[])
{
	struct nl_msg *msg;

	if (argc < 3)
		return usage_error("map del: missing NAME");
	if (argc > 3)
		return usage_error("map del: unexpected argument '%s'", argv[3]);

	msg = map_msg(RRI_CMD_MAP_DEL, 0, argv[2]);
	if (!msg || rri_nl_transact(msg, "map del", NULL, NULL))
		return RRICTL_EXIT_FAIL;
	return 0;
}

/* As map add takes it: "nexthop gateway ADDR dev DEV", "nexthop dev DEV". */
static int print_nexthop(struct nlattr *tb[RRI_A_MAP_MAX + 1])
{
	bool dev_route = false;

	if (tb[RRI_A_MAP_NEXTHOP]) {
		dev_route = nla_get_u8(tb[RRI_A_MAP_NEXTHOP]) == RRI_NEXTHOP_DEV;
		print_name("nexthop", " nexthop %s", nexthop_names,
			   nla_get_u8(tb[RRI_A_MAP_NEXTHOP]));
	}
	if (print_prefix_attr("gateway", " %s", tb[RRI_A_MAP_GATEWAY], false))
		return -1;
	print_dev_attr("dev", dev_route ? " %s" : " dev %s", tb[RRI_A_MAP_OIF]);
	return 0;
}

static int print_match(struct nlattr *tb[RRI_A_MAP_MAX + 1])
{
	int attr;

	print_text("\n    match");
	print_open_object("match");
	print_u32_attr("reqid", " reqid %" PRIu64, tb[RRI_A_MAP_MATCH_REQID]);
	print_u32_attr("if_id", " if_id %" PRIu64, tb[RRI_A_MAP_MATCH_IF_ID]);
	print_u32_attr("mark", " mark 0x%" PRIx64, tb[RRI_A_MAP_MATCH_MARK]);
	print_u32_attr("mark_mask", "/0x%" PRIx64, tb[RRI_A_MAP_MATCH_MARK_MASK]);
	if (print_prefix_attr("remote", " remote %s", tb[RRI_A_MAP_MATCH_REMOTE], true) ||
	    print_prefix_attr("local", " local %s", tb[RRI_A_MAP_MATCH_LOCAL], true))
		return -1;
	if (tb[RRI_A_MAP_MATCH_FAMILY])
		print_name("family", " family %s", family_names,
			   nla_get_u16(tb[RRI_A_MAP_MATCH_FAMILY]));
	print_close_object();

	for (attr = RRI_A_MAP_MATCH_FAMILY; attr <= RRI_A_MAP_MATCH_LOCAL; attr++)
		if (tb[attr])
			return 0;
	print_text(" any");
	return 0;
}

/*
 * The peer list: text " peer ADDR|NAME (ADDR...) [dynamic] [default] [conn C]"
 * per peer and " idle-time N [default]"; JSON "peers" (objects with
 * "addresses", "name", "dynamic", "default", "conn") and "idle_time".
 * Returns 0, or -1 if the list is malformed.
 */
static int print_peers(struct nlattr *mtb[RRI_A_MAP_MAX + 1])
{
	struct nlattr *ptb[RRI_A_PEER_MAX + 1], *peer, *a;
	char buf[PREFIX_STRLEN];
	struct prefix p;
	int rem, rem2;

	if (mtb[RRI_A_MAP_PEERS]) {
		print_open_array("peers");
		nla_for_each_nested(peer, mtb[RRI_A_MAP_PEERS], rem) {
			if (nla_parse_nested(ptb, RRI_A_PEER_MAX, peer, map_peer_policy) < 0)
				return -1;
			print_open_object(NULL);
			print_text(" peer");
			if (ptb[RRI_A_PEER_NAME])
				print_string("name", " %s (", nla_get_string(ptb[RRI_A_PEER_NAME]));
			print_open_array("addresses");
			nla_for_each_nested(a, peer, rem2) {
				if (nla_type(a) != RRI_A_PEER_ADDR)
					continue;
				if (prefix_get(a, &p))
					return -1;
				print_string(NULL, " %s", prefix_str(&p, false, buf));
			}
			print_close_array();
			if (ptb[RRI_A_PEER_NAME])
				print_text(" )");
			print_bool("dynamic", " dynamic", !!ptb[RRI_A_PEER_DYNAMIC]);
			print_bool("default", " default", !!ptb[RRI_A_PEER_DEFAULT]);
			if (ptb[RRI_A_PEER_CONN])
				print_string("conn", " conn %s", nla_get_string(ptb[RRI_A_PEER_CONN]));
			print_bool("current", " (current)", !!ptb[RRI_A_PEER_CURRENT]);
			print_u32_attr("sas", NULL, ptb[RRI_A_PEER_SAS]);
			print_u32_attr("failures", NULL, ptb[RRI_A_PEER_FAILURES]);
			print_close_object();
		}
		print_close_array();
	}
	if (mtb[RRI_A_MAP_IDLE_TIME]) {
		print_u32_attr("idle_time", " idle-time %" PRIu64, mtb[RRI_A_MAP_IDLE_TIME]);
		print_bool("idle_default", " default", !!mtb[RRI_A_MAP_IDLE_DEFAULT]);
	}
	return 0;
}

/*
 * One map, in the order of the grammar:
 *
 *	map NAME mode M nexthop ... [remote-peer] table T [vrf V] metric N [tag N] proto P
 *	    [group G]
 *	    match KEY VALUE... | match any
 *	    policies N routes N shadowed N
 *
 * @key is the object's key in the enclosing JSON object, NULL for a list
 * element. Returns 0, or -1 if the map is malformed.
 */
int map_print(struct nlattr *tb[RRI_A_MAX + 1], const char *key)
{
	struct nlattr *mtb[RRI_A_MAP_MAX + 1];

	if (!tb[RRI_A_MAP] || nla_parse_nested(mtb, RRI_A_MAP_MAX, tb[RRI_A_MAP], map_policy) < 0 ||
	    !mtb[RRI_A_MAP_NAME])
		return -1;

	print_open_object(key);
	print_string("name", "map %s", nla_get_string(mtb[RRI_A_MAP_NAME]));
	if (mtb[RRI_A_MAP_MODE])
		print_name("mode", " mode %s", mode_names, nla_get_u8(mtb[RRI_A_MAP_MODE]));
	if (print_nexthop(mtb))
		return -1;
	print_bool("remote_peer", " remote-peer", !!mtb[RRI_A_MAP_REMOTE_PEER]);
	print_u32_attr("table", " table %" PRIu64, mtb[RRI_A_MAP_TABLE]);
	print_dev_attr("vrf", " vrf %s", mtb[RRI_A_MAP_VRF]);
	print_u32_attr("metric", " metric %" PRIu64, mtb[RRI_A_MAP_METRIC]);
	print_u32_attr("tag", " tag %" PRIu64, mtb[RRI_A_MAP_TAG]);
	if (mtb[RRI_A_MAP_PROTO])
		print_u64("proto", " proto %" PRIu64, nla_get_u8(mtb[RRI_A_MAP_PROTO]));
	if (mtb[RRI_A_MAP_GROUP])
		print_string("group", " group %s", nla_get_string(mtb[RRI_A_MAP_GROUP]));
	if (print_peers(mtb) || print_match(mtb))
		return -1;
	print_text("\n   ");
	print_u32_attr("policies", " policies %" PRIu64, mtb[RRI_A_MAP_POLICIES]);
	print_u32_attr("routes", " routes %" PRIu64, mtb[RRI_A_MAP_ROUTES]);
	print_u32_attr("shadowed", " shadowed %" PRIu64, mtb[RRI_A_MAP_SHADOWED]);
	print_text("\n");
	print_close_object();
	return 0;
}

static int map_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	return map_print(tb, NULL);
}

/* map show [NAME]: one map, or a dump of all of them; JSON is an array either way. */
static int map_show(int argc, char *argv[])
{
	const char *name = argc > 2 ? argv[2] : NULL;
	struct nl_msg *msg;

	if (argc > 3)
		return usage_error("map show: unexpected argument '%s'", argv[3]);

	msg = map_msg(RRI_CMD_MAP_GET, name ? 0 : NLM_F_DUMP, name);
	if (!msg)
		return RRICTL_EXIT_FAIL;

	print_open_array(NULL);
	if (rri_nl_transact(msg, "map show", map_reply, NULL))
		return RRICTL_EXIT_FAIL;
	print_close_array();
	return 0;
}

/*
 * " WORD DEV" for an ifindex attribute; a device without a name is an error.
 * @what: which of the map's devices, for the message
 */
static int save_dev(const char *name, const char *what, const char *word,
		    const struct nlattr *nla)
{
	char buf[IF_NAMESIZE];

	if (!nla)
		return 0;
	if (!if_indextoname(nla_get_u32(nla), buf)) {
		pr_err("save: map %s: its %s device (ifindex %u) has no name in this namespace",
		       name, what, nla_get_u32(nla));
		return -1;
	}
	print_textf(" %s %s", word, buf);
	return 0;
}

static void save_u32(const char *word, const char *fmt, const struct nlattr *nla)
{
	if (nla) {
		print_textf(" %s ", word);
		print_textf(fmt, nla_get_u32(nla));
	}
}

/*
 * One map as the "map add" line that recreates it, every setting spelled out,
 * so that a change of defaults cannot change a restored map.
 */
/*
 * " peer NAME|ADDR [dynamic] [default] [conn C]..." and " idle-time N [default]":
 * a peer given by name is saved by name, to be resolved again when restored.
 */
static int save_peers(struct nlattr *m[RRI_A_MAP_MAX + 1])
{
	struct nlattr *ptb[RRI_A_PEER_MAX + 1], *peer;
	char buf[PREFIX_STRLEN];
	struct prefix p;
	int rem;

	if (m[RRI_A_MAP_PEERS]) {
		nla_for_each_nested(peer, m[RRI_A_MAP_PEERS], rem) {
			if (nla_parse_nested(ptb, RRI_A_PEER_MAX, peer, map_peer_policy) < 0)
				return -1;
			if (ptb[RRI_A_PEER_NAME]) {
				print_textf(" peer %s", nla_get_string(ptb[RRI_A_PEER_NAME]));
			} else {
				if (!ptb[RRI_A_PEER_ADDR] || prefix_get(ptb[RRI_A_PEER_ADDR], &p))
					return -1;
				print_textf(" peer %s", prefix_str(&p, false, buf));
			}
			if (ptb[RRI_A_PEER_DYNAMIC])
				print_text(" dynamic");
			if (ptb[RRI_A_PEER_DEFAULT])
				print_text(" default");
			if (ptb[RRI_A_PEER_CONN])
				print_textf(" conn %s", nla_get_string(ptb[RRI_A_PEER_CONN]));
		}
	}
	if (m[RRI_A_MAP_IDLE_TIME])
		print_textf(" idle-time %u%s", nla_get_u32(m[RRI_A_MAP_IDLE_TIME]),
			    m[RRI_A_MAP_IDLE_DEFAULT] ? " default" : "");
	return 0;
}

static int map_save_reply(struct nlattr *tb[RRI_A_MAX + 1], void *arg __maybe_unused)
{
	struct nlattr *m[RRI_A_MAP_MAX + 1];
	const char *name, *word;
	unsigned int nexthop;

	if (!tb[RRI_A_MAP] || nla_parse_nested(m, RRI_A_MAP_MAX, tb[RRI_A_MAP], map_policy) < 0 ||
	    !m[RRI_A_MAP_NAME] || !m[RRI_A_MAP_MODE] || !m[RRI_A_MAP_NEXTHOP] ||
	    !m[RRI_A_MAP_TABLE] || !m[RRI_A_MAP_METRIC] || !m[RRI_A_MAP_PROTO])
		return -1;
	name = nla_get_string(m[RRI_A_MAP_NAME]);

	print_textf("map add %s", name);
	save_u32("reqid", "%u", m[RRI_A_MAP_MATCH_REQID]);
	save_u32("if_id", "%u", m[RRI_A_MAP_MATCH_IF_ID]);
	if (m[RRI_A_MAP_MATCH_MARK])
		print_textf(" mark 0x%x/0x%x", nla_get_u32(m[RRI_A_MAP_MATCH_MARK]),
			    m[RRI_A_MAP_MATCH_MARK_MASK] ?
			    nla_get_u32(m[RRI_A_MAP_MATCH_MARK_MASK]) : UINT32_MAX);
	/* Text only (save refuses JSON): the keys are not printed. */
	if (print_prefix_attr("remote", " remote %s", m[RRI_A_MAP_MATCH_REMOTE], true) ||
	    print_prefix_attr("local", " local %s", m[RRI_A_MAP_MATCH_LOCAL], true))
		return -1;
	if (m[RRI_A_MAP_MATCH_FAMILY]) {
		word = name_of(family_names, nla_get_u16(m[RRI_A_MAP_MATCH_FAMILY]));
		if (!word)
			return -1;
		print_textf(" family %s", word);
	}

	word = name_of(mode_names, nla_get_u8(m[RRI_A_MAP_MODE]));
	nexthop = nla_get_u8(m[RRI_A_MAP_NEXTHOP]);
	if (!word)
		return -1;
	print_textf(" mode %s", word);
	word = name_of(nexthop_names, nexthop);
	if (!word)
		return -1;
	/* nexthop peer | nexthop gateway ADDR [dev DEV] | nexthop dev DEV */
	if (nexthop == RRI_NEXTHOP_GATEWAY) {
		print_text(" nexthop gateway");
		if (!m[RRI_A_MAP_GATEWAY] ||
		    print_prefix_attr("gateway", " %s", m[RRI_A_MAP_GATEWAY], false) ||
		    save_dev(name, "gateway", "dev", m[RRI_A_MAP_OIF]))
			return -1;
	} else if (nexthop == RRI_NEXTHOP_DEV) {
		if (!m[RRI_A_MAP_OIF] || save_dev(name, "nexthop", "nexthop dev", m[RRI_A_MAP_OIF]))
			return -1;
	} else {
		print_textf(" nexthop %s", word);
	}
	if (m[RRI_A_MAP_REMOTE_PEER])
		print_text(" remote-peer");
	/* A VRF's table follows the VRF: the device is what is configured. */
	if (m[RRI_A_MAP_VRF]) {
		if (save_dev(name, "vrf", "vrf", m[RRI_A_MAP_VRF]))
			return -1;
	} else {
		save_u32("table", "%u", m[RRI_A_MAP_TABLE]);
	}
	save_u32("metric", "%u", m[RRI_A_MAP_METRIC]);
	save_u32("tag", "%u", m[RRI_A_MAP_TAG]);
	print_textf(" proto %u", nla_get_u8(m[RRI_A_MAP_PROTO]));
	if (m[RRI_A_MAP_GROUP])
		print_textf(" group %s", nla_get_string(m[RRI_A_MAP_GROUP]));
	if (save_peers(m))
		return -1;
	print_text("\n");
	return 0;
}

/**
 * map_save() - print every map of the namespace as the command that adds it
 *
 * In the order they were added, which decides which map a policy belongs to.
 *
 * Return: 0, or -1 after printing an error.
 */
int map_save(void)
{
	struct nl_msg *msg = map_msg(RRI_CMD_MAP_GET, NLM_F_DUMP, NULL);

	if (!msg)
		return -1;
	return rri_nl_transact(msg, "save", map_save_reply, NULL);
}

int map_main(int argc, char *argv[])
{
	if (argc == 1 || !strcmp(argv[1], "show"))
		return map_show(argc, argv);
	if (!strcmp(argv[1], "add"))
		return map_change(argc, argv, RRI_CMD_MAP_ADD, "map add");
	if (!strcmp(argv[1], "set"))
		return map_change(argc, argv, RRI_CMD_MAP_SET, "map set");
	if (!strcmp(argv[1], "del"))
		return map_del(argc, argv);
	return usage_error("map: unknown subcommand '%s'", argv[1]);
}
