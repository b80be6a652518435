// SPDX-License-Identifier: GPL-2.0
/*
 * Preferred peers (Cisco's `set peer A default` / `set peer B`): a map's
 * ordered list of the peers that can reach its remote sites, and which of
 * them is current. The module decides and announces; an agent applies the
 * decision to the IKE daemon (only the current peer's connection is
 * routed). The rules, all run by the namespace's worker under its lock:
 *
 * 1. a VALID SA to a peer makes it current (rri_peer_sa_event());
 * 2. a larval (ACQUIRE) state that expires without an SA between the same
 *    ends is a failed attempt: the next peer becomes current;
 * 3. the last SA to the current peer gone without a replacement makes the
 *    default current, if there is one;
 * 4. idle-time: SAs to the current peer that carried no packet for that
 *    long are expired (rri_peer_idle(), on a tick of the worker), which
 *    leads to rule 3.
 *
 * SAs are expired the way their hard lifetime would (rri_peer_sa_clear()),
 * so the IKE daemon hears of it on its usual expire path.
 */

#include <linux/slab.h>
#include <net/xfrm.h>
#include <linux/string.h>

#include "event.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"
#include "sa.h"

static const struct nla_policy rri_peer_policy[RRI_A_PEER_MAX + 1] = {
	[RRI_A_PEER_ADDR] = { .type = NLA_NESTED },
	[RRI_A_PEER_NAME] = { .type = NLA_NUL_STRING, .len = RRI_PEER_NAME_MAX - 1 },
	[RRI_A_PEER_DYNAMIC] = { .type = NLA_FLAG },
	[RRI_A_PEER_DEFAULT] = { .type = NLA_FLAG },
	[RRI_A_PEER_CONN] = { .type = NLA_NUL_STRING, .len = RRI_PEER_CONN_MAX - 1 },
	[RRI_A_PEER_CURRENT] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_PEER_SAS] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_PEER_FAILURES] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_PEER_ATTEMPTS] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
	[RRI_A_PEER_TIME] = { .type = NLA_REJECT, .reject_message = RRI_NL_READ_ONLY },
};

/* Whether @p is an address of the peers before @peers->n but @skip. */
static bool rri_peers_have(const struct rri_peers *peers,
			   const struct rri_peer *skip, const struct rri_prefix *p)
{
	unsigned int i, j;

	for (i = 0; i < peers->n; i++)
		for (j = 0; j < peers->peer[i].naddr && &peers->peer[i] != skip; j++)
			if (!memcmp(&peers->peer[i].addr[j], p, sizeof(*p)))
				return true;
	return false;
}

/* Parse one RRI_A_PEER nest into @peer. */
static int rri_peer_parse(const struct nlattr *nest, struct rri_peers *peers,
			  struct rri_peer *peer, bool first,
			  struct netlink_ext_ack *extack)
{
	struct rri_prefix p;
	struct nlattr *a;
	int rem, ret;

	ret = nla_validate_nested(nest, RRI_A_PEER_MAX, rri_peer_policy, extack);
	if (ret)
		return ret;
	nla_for_each_nested(a, nest, rem) {
		switch (nla_type(a)) {
		case RRI_A_PEER_ADDR:
			if (peer->naddr == RRI_PEER_ADDRS_MAX) {
				NL_SET_ERR_MSG_ATTR(extack, a, "too many addresses for one peer");
				return -E2BIG;
			}
			ret = rri_nl_prefix_parse(a, &p, false, extack);
			if (ret)
				return ret;
			if (rri_peers_have(peers, NULL, &p)) {
				NL_SET_ERR_MSG_ATTR(extack, a, "a peer address given twice");
				return -EINVAL;
			}
			peer->addr[peer->naddr++] = p;
			break;
		case RRI_A_PEER_NAME:
			nla_strscpy(peer->name, a, sizeof(peer->name));
			break;
		case RRI_A_PEER_CONN:
			nla_strscpy(peer->conn, a, sizeof(peer->conn));
			break;
		case RRI_A_PEER_DYNAMIC:
			peer->dynamic = true;
			break;
		case RRI_A_PEER_DEFAULT:
			if (!first) {
				NL_SET_ERR_MSG_ATTR(extack, a,
						    "only the first peer may be the default");
				return -EINVAL;
			}
			peer->is_default = true;
			break;
		}
	}
	if (!peer->naddr) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "a peer needs an address");
		return -EINVAL;
	}
	if (peer->dynamic && !peer->name[0]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "dynamic needs the peer's DNS name");
		return -EINVAL;
	}
	return 0;
}

/**
 * rri_peers_parse() - parse RRI_A_MAP_PEERS
 * @nest: the attribute
 * @peers: set to the new list, or NULL for an empty nest (no list)
 * @extack: for the reason of a refusal
 *
 * Return: 0, or a negative errno (and @peers untouched).
 */
int rri_peers_parse(const struct nlattr *nest, struct rri_peers **peers,
		    struct netlink_ext_ack *extack)
{
	struct rri_peers *list;
	struct nlattr *a;
	int rem, ret = 0;

	if (!nla_len(nest)) {
		*peers = NULL;
		return 0;
	}
	list = kzalloc(struct_size(list, peer, RRI_PEERS_MAX), GFP_KERNEL_ACCOUNT);
	if (!list)
		return -ENOMEM;
	list->since = ktime_get_boottime_seconds();
	nla_for_each_nested(a, nest, rem) {
		if (nla_type(a) != RRI_A_PEER) {
			NL_SET_ERR_MSG_ATTR(extack, a, "a peer list holds peers only");
			ret = -EINVAL;
			break;
		}
		if (list->n == RRI_PEERS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many peers");
			ret = -E2BIG;
			break;
		}
		ret = rri_peer_parse(a, list, &list->peer[list->n], !list->n, extack);
		if (ret)
			break;
		list->n++;
	}
	if (ret) {
		kfree(list);
		return ret;
	}
	*peers = list;
	return 0;
}

/* Add what identifies @peer (as RRI_CMD_MAP_ADD takes it) to @msg. */
static int rri_peer_put_conf(struct sk_buff *msg, const struct rri_peer *peer)
{
	unsigned int j;

	for (j = 0; j < peer->naddr; j++)
		if (rri_nl_put_prefix(msg, RRI_A_PEER_ADDR, peer->addr[j].family,
				      &peer->addr[j].addr, -1))
			return -EMSGSIZE;
	if ((peer->name[0] && nla_put_string(msg, RRI_A_PEER_NAME, peer->name)) ||
	    (peer->conn[0] && nla_put_string(msg, RRI_A_PEER_CONN, peer->conn)) ||
	    (peer->dynamic && nla_put_flag(msg, RRI_A_PEER_DYNAMIC)) ||
	    (peer->is_default && nla_put_flag(msg, RRI_A_PEER_DEFAULT)))
		return -EMSGSIZE;
	return 0;
}

/**
 * rri_peer_put_id() - add a nest of type @type naming @peer to a message
 * @msg: the message
 * @type: the nest's type (RRI_A_PEER_SEL in events)
 * @peer: the peer: its addresses, name, connection and flags
 *
 * Return: 0, or -EMSGSIZE if @msg is full.
 */
int rri_peer_put_id(struct sk_buff *msg, int type, const struct rri_peer *peer)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest)
		return -EMSGSIZE;
	if (rri_peer_put_conf(msg, peer)) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

/**
 * rri_peers_put() - add RRI_A_MAP_PEERS to a map's message
 * @msg: the message
 * @peers: the list, or NULL (nothing is added)
 *
 * Return: 0, or -EMSGSIZE if @msg is full.
 */
int rri_peers_put(struct sk_buff *msg, const struct rri_peers *peers)
{
	time64_t now = ktime_get_boottime_seconds();
	struct nlattr *list, *nest;
	const struct rri_peer *peer;
	unsigned int i;
	u64 time;

	if (!peers)
		return 0;
	list = nla_nest_start(msg, RRI_A_MAP_PEERS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < peers->n; i++) {
		peer = &peers->peer[i];
		time = peer->time + (i == peers->cur ? now - peers->since : 0);
		nest = nla_nest_start(msg, RRI_A_PEER);
		if (!nest || rri_peer_put_conf(msg, peer) ||
		    (i == peers->cur && nla_put_flag(msg, RRI_A_PEER_CURRENT)) ||
		    nla_put_u32(msg, RRI_A_PEER_SAS, peer->sas) ||
		    nla_put_u32(msg, RRI_A_PEER_FAILURES, peer->failures) ||
		    nla_put_u32(msg, RRI_A_PEER_ATTEMPTS, peer->attempts) ||
		    nla_put_u32(msg, RRI_A_PEER_TIME, min_t(u64, time, U32_MAX)))
			goto cancel;
		nla_nest_end(msg, nest);
	}
	nla_nest_end(msg, list);
	return 0;
cancel:
	nla_nest_cancel(msg, list);
	return -EMSGSIZE;
}

/**
 * rri_peers_dup() - a copy of a peer list
 * @peers: the list
 *
 * Return: the copy, or NULL if memory ran out.
 */
struct rri_peers *rri_peers_dup(const struct rri_peers *peers)
{
	return kmemdup(peers, struct_size(peers, peer, RRI_PEERS_MAX),
		       GFP_KERNEL_ACCOUNT);
}

/* Whether @a and @b are the same peer: the same name, or first address. */
static bool rri_peer_same(const struct rri_peer *a, const struct rri_peer *b)
{
	if (a->name[0] || b->name[0])
		return !strcmp(a->name, b->name);
	return !memcmp(&a->addr[0], &b->addr[0], sizeof(a->addr[0]));
}

/**
 * rri_peers_carry() - keep what a new list's peers were in the old one
 * @peers: the new list
 * @old: the list it replaces
 *
 * A peer of both lists (rri_peer_same()) keeps its counters, and stays
 * current if it was; otherwise the first peer is current.
 */
void rri_peers_carry(struct rri_peers *peers, const struct rri_peers *old)
{
	const struct rri_peer *o;
	struct rri_peer *p;
	unsigned int i, j;

	for (i = 0; i < peers->n; i++) {
		p = &peers->peer[i];
		for (j = 0; j < old->n; j++) {
			o = &old->peer[j];
			if (!rri_peer_same(p, o))
				continue;
			p->attempts = o->attempts;
			p->failures = o->failures;
			p->sas = o->sas;
			p->time = o->time;
			if (j == old->cur) {
				peers->cur = i;
				peers->since = old->since;
			}
			break;
		}
	}
}

static const struct nla_policy rri_peer_resolved_policy[RRI_A_PEER_MAX + 1] = {
	[RRI_A_PEER_ADDR] = { .type = NLA_NESTED },
	[RRI_A_PEER_NAME] = { .type = NLA_NUL_STRING, .len = RRI_PEER_NAME_MAX - 1 },
};

/**
 * rri_peer_resolved() - the answer to a resolve request (RRI_CMD_PEER_RESOLVE)
 * @rn: the namespace's state, locked
 * @map: the map
 * @sel: RRI_A_PEER_SEL: RRI_A_PEER_NAME and the addresses it resolved to
 *	(none: it did not resolve)
 * @extack: for the reason of a refusal
 *
 * The peer of that name gets the addresses and keeps the rest; a name that
 * did not resolve is a failed attempt (rule 2).
 *
 * Return: 0, or a negative errno (and nothing changed).
 */
int rri_peer_resolved(struct rri_net *rn, struct rri_map *map,
		      const struct nlattr *sel, struct netlink_ext_ack *extack)
{
	struct rri_prefix addr[RRI_PEER_ADDRS_MAX];
	struct rri_peers *peers = map->peers;
	struct rri_peer *peer = NULL;
	unsigned int i, naddr = 0;
	struct nlattr *a, *name = NULL;
	int rem, ret;

	lockdep_assert_held(&rn->lock);

	ret = nla_validate_nested(sel, RRI_A_PEER_MAX, rri_peer_resolved_policy, extack);
	if (ret)
		return ret;
	nla_for_each_nested(a, sel, rem) {
		if (nla_type(a) == RRI_A_PEER_NAME) {
			name = a;
			continue;
		}
		if (nla_type(a) != RRI_A_PEER_ADDR)
			continue;
		if (naddr == RRI_PEER_ADDRS_MAX) {
			NL_SET_ERR_MSG_ATTR(extack, a, "too many addresses for one peer");
			return -E2BIG;
		}
		ret = rri_nl_prefix_parse(a, &addr[naddr++], false, extack);
		if (ret)
			return ret;
	}
	if (!name) {
		NL_SET_ERR_MSG_ATTR(extack, sel, "missing the peer's name");
		return -EINVAL;
	}
	for (i = 0; peers && i < peers->n; i++)
		if (!nla_strcmp(name, peers->peer[i].name))
			peer = &peers->peer[i];
	if (!peer) {
		NL_SET_ERR_MSG_ATTR(extack, name, "no peer of the map has that name");
		return -ENOENT;
	}
	for (i = 0; i < naddr; i++) {
		if (rri_peers_have(peers, peer, &addr[i])) {
			NL_SET_ERR_MSG_ATTR(extack, sel, "an address of another peer of the map");
			return -EINVAL;
		}
	}
	if (!naddr) {
		peer->failures++;
		if (peer == &peers->peer[peers->cur] && peers->n > 1)
			rri_peer_set_current(rn, map, (peers->cur + 1) % peers->n,
					     RRI_EVENT_PEER_FAILED);
		return 0;
	}
	memcpy(peer->addr, addr, naddr * sizeof(addr[0]));
	peer->naddr = naddr;
	rri_nl_map_event(rn, map, RRI_EVENT_PEER_RESOLVED);
	return 0;
}

/**
 * rri_peers_free() - free a peer list
 * @peers: the list, or NULL
 */
void rri_peers_free(struct rri_peers *peers)
{
	kfree(peers);
}

/* The index of the peer of @peers one of whose addresses is @addr, or -1. */
static int rri_peers_find(const struct rri_peers *peers, u16 family,
			  const xfrm_address_t *addr)
{
	int alen = family == AF_INET ? 4 : 16;
	unsigned int i, j;

	for (i = 0; i < peers->n; i++)
		for (j = 0; j < peers->peer[i].naddr; j++)
			if (peers->peer[i].addr[j].family == family &&
			    !memcmp(&peers->peer[i].addr[j].addr, addr, alen))
				return i;
	return -1;
}

/**
 * rri_peer_set_current() - make a map's peer @i current and say why
 * @rn: the namespace's state, locked
 * @map: the map, with a peer list
 * @i: the index of the peer
 * @event: RRI_EVENT_PEER_*, the reason
 *
 * A dynamic peer that becomes current for a new connection (not by an SA
 * of its own) is asked to be resolved again.
 */
void rri_peer_set_current(struct rri_net *rn, struct rri_map *map,
			  unsigned int i, u8 event)
{
	struct rri_peers *peers = map->peers;
	time64_t now = ktime_get_boottime_seconds();

	lockdep_assert_held(&rn->lock);

	/* A larval state of an attempt to another peer says nothing now. */
	peers->attempting = false;
	if (i != peers->cur) {
		peers->peer[peers->cur].time += now - peers->since;
		peers->cur = i;
		peers->since = now;
	}
	rri_nl_map_event(rn, map, event);
	if (event != RRI_EVENT_PEER_UP && peers->peer[i].dynamic)
		rri_nl_peer_event(rn, map, &peers->peer[i], RRI_EVENT_PEER_RESOLVE);
}

/* A VALID SA to @daddr: its peer becomes current in every map that lists it. */
static void rri_peer_sa_up(struct rri_net *rn, u16 family,
			   const xfrm_address_t *daddr, bool added)
{
	struct rri_map *map;
	int i;

	list_for_each_entry(map, &rn->maps, list) {
		if (!map->peers)
			continue;
		i = rri_peers_find(map->peers, family, daddr);
		if (i < 0)
			continue;
		if (added)
			map->peers->peer[i].sas++;
		if (map->peers->cur != i)
			rri_peer_set_current(rn, map, i, RRI_EVENT_PEER_UP);
		else
			map->peers->attempting = false;	/* it succeeded */
	}
}

/*
 * The last SA to @daddr went without a replacement: in every map whose
 * current peer it is, the default peer (if there is one) becomes current;
 * otherwise the peer stays current and, if dynamic, is resolved again.
 */
static void rri_peer_lost(struct rri_net *rn, u16 family,
			  const xfrm_address_t *daddr)
{
	struct rri_peers *peers;
	struct rri_map *map;
	int i;

	list_for_each_entry(map, &rn->maps, list) {
		peers = map->peers;
		if (!peers)
			continue;
		i = rri_peers_find(peers, family, daddr);
		if (i < 0 || i != peers->cur)
			continue;
		if (i > 0 && peers->peer[0].is_default)
			rri_peer_set_current(rn, map, 0, RRI_EVENT_PEER_LOST);
		else if (peers->peer[i].dynamic)
			rri_nl_peer_event(rn, map, &peers->peer[i], RRI_EVENT_PEER_RESOLVE);
	}
}

/**
 * rri_peer_sa_event() - an SA came, changed or went
 * @rn: the namespace's state, locked
 * @ref: the SA; what XFRM holds now decides
 */
void rri_peer_sa_event(struct rri_net *rn, const struct rri_sa_ref *ref)
{
	xfrm_address_t daddr = ref->tunnel.daddr;
	xfrm_address_t saddr = ref->tunnel.saddr;
	struct xfrm_state *x;
	bool valid;

	x = xfrm_state_lookup(rn->net, ref->mark, &daddr, ref->spi, ref->proto,
			      ref->tunnel.family);
	if (!x) {
		/* Gone: if nothing replaced it, the peer is lost. */
		x = xfrm_state_lookup_byaddr(rn->net, ref->mark, &daddr, &saddr,
					     ref->proto, ref->tunnel.family);
		valid = x && x->km.state == XFRM_STATE_VALID;
		if (x)
			xfrm_state_put(x);
		if (!valid)
			rri_peer_lost(rn, ref->tunnel.family, &daddr);
		return;
	}
	valid = x->km.state == XFRM_STATE_VALID;
	xfrm_state_put(x);
	if (valid)
		rri_peer_sa_up(rn, ref->tunnel.family, &daddr, ref->added);
}

/**
 * rri_peer_attempt() - the kernel asked for a tunnel (ACQUIRE)
 * @rn: the namespace's state, locked
 * @larval: the larval state it made: its endpoints, reqid and flow
 *
 * An attempt of every map whose match keys select the flow: counted for its
 * current peer, and remembered until the larval state expires.
 */
void rri_peer_attempt(struct rri_net *rn, const struct rri_policy_info *larval)
{
	struct rri_peers *peers;
	struct rri_map *map;

	lockdep_assert_held(&rn->lock);

	list_for_each_entry(map, &rn->maps, list) {
		peers = map->peers;
		if (!peers || !rri_map_selects(map, larval))
			continue;
		peers->peer[peers->cur].attempts++;
		peers->larval = *larval;
		peers->attempting = true;
	}
}

struct rri_peer_sum {
	const struct rri_peer *peer;
	u64 packets;
	unsigned int sas;
};

/* Called with XFRM's state lock held: add up the VALID SAs of a peer. */
static int rri_peer_sum_one(struct xfrm_state *x, int count, void *ptr)
{
	struct rri_peer_sum *sum = ptr;
	const struct rri_peer *peer = sum->peer;
	u16 family = x->props.family;
	int alen = family == AF_INET ? 4 : 16;
	unsigned int i;

	if (x->km.state != XFRM_STATE_VALID || (family != AF_INET && family != AF_INET6))
		return 0;
	for (i = 0; i < peer->naddr; i++) {
		if (peer->addr[i].family != family)
			continue;
		if (!memcmp(&peer->addr[i].addr, &x->id.daddr, alen) ||
		    !memcmp(&peer->addr[i].addr, &x->props.saddr, alen)) {
			sum->packets += x->curlft.packets;
			sum->sas++;
			break;
		}
	}
	return 0;
}

/* The VALID SAs to and from @peer, and the packets they carried. */
static void rri_peer_sum(struct rri_net *rn, const struct rri_peer *peer,
			 struct rri_peer_sum *sum)
{
	struct xfrm_state_walk walk;

	sum->peer = peer;
	sum->packets = 0;
	sum->sas = 0;
	xfrm_state_walk_init(&walk, 0, NULL);
	xfrm_state_walk(rn->net, &walk, rri_peer_sum_one, sum);
	xfrm_state_walk_done(&walk, rn->net);
}

/**
 * rri_peer_larval_expired() - a larval state expired without an SA
 * @rn: the namespace's state, locked
 * @larval: it, as rri_peer_attempt() was told
 *
 * For every map whose last attempt made it: unless the current peer has an
 * SA by now, the attempt failed and the next peer (after the last, the
 * first) becomes current.
 */
void rri_peer_larval_expired(struct rri_net *rn, const struct rri_policy_info *larval)
{
	struct rri_peer_sum sum;
	struct rri_peers *peers;
	struct rri_map *map;

	lockdep_assert_held(&rn->lock);

	list_for_each_entry(map, &rn->maps, list) {
		peers = map->peers;
		if (!peers || !peers->attempting ||
		    memcmp(&peers->larval, larval, sizeof(*larval)))
			continue;
		peers->attempting = false;
		rri_peer_sum(rn, &peers->peer[peers->cur], &sum);
		if (sum.sas)
			continue;
		peers->peer[peers->cur].failures++;
		if (peers->n > 1)
			rri_peer_set_current(rn, map, (peers->cur + 1) % peers->n,
					     RRI_EVENT_PEER_FAILED);
	}
}

/* SAs copied per pass of the walk of rri_peer_sa_clear(). */
#define RRI_CLEAR_BATCH	64

struct rri_clear_batch {
	struct {
		xfrm_address_t daddr;
		xfrm_address_t saddr;
		__be32 spi;
		u32 mark;
		u16 family;
		u8 proto;
	} sa[RRI_CLEAR_BATCH];
	unsigned int n;
};

/* Called with XFRM's state lock held: copy the VALID tunnel-mode SAs. */
static int rri_clear_walk_one(struct xfrm_state *x, int count, void *ptr)
{
	struct rri_clear_batch *b = ptr;

	if (b->n == RRI_CLEAR_BATCH)
		return -ENOBUFS;	/* the walk resumes at this SA */
	if (x->km.state != XFRM_STATE_VALID || x->props.mode != XFRM_MODE_TUNNEL ||
	    (x->id.proto != IPPROTO_ESP && x->id.proto != IPPROTO_AH) ||
	    (x->props.family != AF_INET && x->props.family != AF_INET6))
		return 0;
	b->sa[b->n].daddr = x->id.daddr;
	b->sa[b->n].saddr = x->props.saddr;
	b->sa[b->n].spi = x->id.spi;
	b->sa[b->n].mark = x->mark.v;
	b->sa[b->n].family = x->props.family;
	b->sa[b->n].proto = x->id.proto;
	b->n++;
	return 0;
}

/* The index of the peer of @peers the SA goes to or comes from, or -1. */
static int rri_clear_find(const struct rri_peers *peers, const struct rri_prefix *only,
			  u16 family, const xfrm_address_t *daddr,
			  const xfrm_address_t *saddr)
{
	int alen = family == AF_INET ? 4 : 16;
	int i = rri_peers_find(peers, family, daddr);

	if (i >= 0 && (!only || !memcmp(&only->addr, daddr, alen)))
		return i;
	i = rri_peers_find(peers, family, saddr);
	if (i >= 0 && (!only || !memcmp(&only->addr, saddr, alen)))
		return i;
	return -1;
}

/*
 * Mark the peers of @map (or of every map) that the SA goes to or comes
 * from (only @peer if set) as cleared, if @mark. Return whether any is.
 */
static bool rri_clear_match(struct rri_net *rn, const struct rri_map *only,
			    const struct rri_prefix *peer, u16 family,
			    const xfrm_address_t *daddr, const xfrm_address_t *saddr,
			    bool mark)
{
	struct rri_map *map;
	bool found = false;
	int i;

	if (peer && peer->family != family)
		return false;
	list_for_each_entry(map, &rn->maps, list) {
		if ((only && map != only) || !map->peers)
			continue;
		i = rri_clear_find(map->peers, peer, family, daddr, saddr);
		if (i < 0)
			continue;
		found = true;
		if (mark)
			map->peers->peer[i].cleared = true;
	}
	return found;
}

/*
 * Expire an SA as its hard lifetime would: the IKE daemon hears of it on
 * its usual expire path (XFRM_MSG_EXPIRE, hard) and XFRM deletes it.
 */
static bool rri_clear_expire(struct net *net, u32 mark, xfrm_address_t *daddr,
			     __be32 spi, u8 proto, u16 family)
{
	struct xfrm_state *x;
	bool done = false;

	x = xfrm_state_lookup(net, mark, daddr, spi, proto, family);
	if (!x)
		return false;
	spin_lock_bh(&x->lock);
	if (x->km.state == XFRM_STATE_VALID) {
		x->km.state = XFRM_STATE_EXPIRED;
		hrtimer_start(&x->mtimer, 0, HRTIMER_MODE_REL_SOFT);
		done = true;
	}
	spin_unlock_bh(&x->lock);
	xfrm_state_put(x);
	return done;
}

/**
 * rri_peer_sa_clear() - Cisco's clear crypto sa: expire SAs of peers
 * @rn: the namespace's state, locked
 * @map: only of this map's peers, or NULL for every map's
 * @peer: only to and from this address, or NULL
 * @event: RRI_EVENT_PEER_CLEARED or _IDLE, sent per map and peer whose
 *	SAs were expired
 *
 * Both directions go: the SAs to the peer and from it.
 *
 * Return: how many SAs were expired, or -ENOMEM.
 */
int rri_peer_sa_clear(struct rri_net *rn, const struct rri_map *map,
		      const struct rri_prefix *peer, u8 event)
{
	struct xfrm_state_walk walk;
	struct rri_clear_batch *b;
	struct rri_map *m;
	unsigned int i;
	int ret, n = 0;

	lockdep_assert_held(&rn->lock);

	b = kvmalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return -ENOMEM;
	xfrm_state_walk_init(&walk, 0, NULL);
	do {
		b->n = 0;
		ret = xfrm_state_walk(rn->net, &walk, rri_clear_walk_one, b);
		for (i = 0; i < b->n; i++) {
			if (!rri_clear_match(rn, map, peer, b->sa[i].family, &b->sa[i].daddr,
					     &b->sa[i].saddr, false) ||
			    !rri_clear_expire(rn->net, b->sa[i].mark, &b->sa[i].daddr,
					      b->sa[i].spi, b->sa[i].proto, b->sa[i].family))
				continue;
			rri_clear_match(rn, map, peer, b->sa[i].family, &b->sa[i].daddr,
					&b->sa[i].saddr, true);
			n++;
		}
		cond_resched();
	} while (ret == -ENOBUFS);
	xfrm_state_walk_done(&walk, rn->net);
	kvfree(b);

	list_for_each_entry(m, &rn->maps, list) {
		for (i = 0; m->peers && i < m->peers->n; i++) {
			if (!m->peers->peer[i].cleared)
				continue;
			m->peers->peer[i].cleared = false;
			rri_nl_peer_event(rn, m, &m->peers->peer[i], event);
		}
	}
	return n;
}

/**
 * rri_peer_idle() - tear down tunnels idle for longer than their idle-time
 * @rn: the namespace's state, locked
 *
 * For each map with idle-time: the SAs to and from the current peer that
 * carried no packet since the idle time began are expired (the IKE daemon
 * hears of it as of a hard expiry); with idle-time's default, the default
 * peer becomes current. Looks again after RRI_IDLE_TICK while a map has
 * idle-time.
 */
void rri_peer_idle(struct rri_net *rn)
{
	time64_t now = ktime_get_boottime_seconds();
	struct rri_peer_sum sum;
	struct rri_peers *peers;
	struct rri_map *map;
	bool again = false;
	unsigned int i;

	lockdep_assert_held(&rn->lock);

	list_for_each_entry(map, &rn->maps, list) {
		peers = map->peers;
		if (!peers || !map->idle_time)
			continue;
		again = true;
		rri_peer_sum(rn, &peers->peer[peers->cur], &sum);
		if (!sum.sas || sum.packets != peers->idle_packets || !peers->idle_since) {
			peers->idle_packets = sum.packets;
			peers->idle_since = now;
			continue;
		}
		if (now - peers->idle_since < map->idle_time)
			continue;
		for (i = 0; i < sum.peer->naddr; i++)
			rri_peer_sa_clear(rn, map, &sum.peer->addr[i], RRI_EVENT_PEER_IDLE);
		peers->idle_since = 0;
		if (map->idle_default && peers->cur && peers->peer[0].is_default)
			rri_peer_set_current(rn, map, 0, RRI_EVENT_PEER_LOST);
	}
	if (again)
		rri_net_kick(rn, RRI_NET_IDLE, RRI_IDLE_TICK);
}
