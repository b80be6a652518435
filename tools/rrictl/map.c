// SPDX-License-Identifier: GPL-2.0
/*
 * rrictl map: the maps that select IPsec policies and turn them into routes.
 *
 * The command line is only checked for syntax. What a value means (host bits in a
 * prefix, table 0, a tag on an IPv6 map, a duplicate name, ...) is the kernel's
 * to judge, and its reason is what the user sees: one source of truth.
 */

#include <inttypes.h>
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
	"HA group (see rrictl group). With nexthop peer, a policy with an\n"
	"if_id is routed into the XFRM interface that has it (route-based VPN), and\n"
	"a policy with a mark gets no route: traffic a route sends would not match it.\n"
	"Defaults: mode dynamic, nexthop peer, table main, metric 0, proto 201 (rri),\n"
	"mark mask 0xffffffff.\n"
	"\n"
	"N, V and M are decimal or 0x hex. PREFIX is ADDR[/LEN]; a bare address is a\n"
	"/32 or /128. ID is a number or main, default or local; proto takes a number\n"
	"or rri. tag is an IPv4 route realm. A namespace has at most 256 maps.\n"
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
	if (print_match(mtb))
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
