// SPDX-License-Identifier: GPL-2.0
/*
 * replay-interval: Cisco's "crypto map redundancy replay-interval inbound
 * N outbound M" on XFRM.
 *
 * XFRM tells listeners of its async events (XFRMNLGRP_AEVENTS) an SA's
 * replay state when its sequence numbers moved by replay_maxdiff since the
 * last event, and when replay_maxage passed with a change. A sync daemon
 * on the active node of an HA pair listens to them; their granularity is
 * what replay-interval sets: replay_maxdiff of the inbound SAs of a
 * group's maps to the inbound interval, of the outbound SAs to the
 * outbound one. replay_maxage is the namespace's default (sysctl
 * net.core.xfrm_aevent_etime, 1 s), so a quiet SA's last packets are told
 * too; inbound 0 turns an inbound SA's events off.
 *
 * An SA is the group's if it is a VALID tunnel-mode SA of a tunnel whose
 * outbound policy a map of the group owns: outbound if its endpoints are
 * the template's, inbound if they are the template's reversed, with the
 * template's reqid (or any, for a template without one). The thresholds
 * are set for the SAs present when the group's replay-interval or a map
 * of the group is configured, after a resync, for every SA that appears
 * later, as its event is applied, and for the SAs of a tunnel whose
 * policy a map of the group takes after them (IKE daemons add the SAs
 * first). rri never restores the
 * kernel's defaults: an SA keeps the thresholds it was given until it
 * goes (rekeyed SAs are new SAs).
 */

#include <linux/slab.h>
#include <net/xfrm.h>

#include "event.h"
#include "group.h"
#include "pernet.h"
#include "policy.h"
#include "replay.h"
#include "sa.h"

/* SAs copied per pass of a walk. */
#define RRI_REPLAY_WALK_BATCH	128

static bool rri_replay_map(const struct rri_map *map)
{
	return map->group && map->group->replay;
}

/* The group with replay-interval of a map owning a policy of @key, or NULL. */
static struct rri_group *rri_replay_tunnel_group(struct rri_net *rn,
						 struct rri_tunnel_key *key)
{
	struct rri_map *map = rri_policy_tunnel_map(rn, key, rri_replay_map);

	if (!map && key->reqid) {
		u32 reqid = key->reqid;

		key->reqid = 0;
		map = rri_policy_tunnel_map(rn, key, rri_replay_map);
		key->reqid = reqid;
	}
	return map ? map->group : NULL;
}

/*
 * Events every @maxdiff packets, and after the namespace's default time
 * when something changed (the timer runs again if it was off). As
 * XFRM_MSG_NEWAE sets them: under the SA's lock.
 */
static void rri_replay_set(struct xfrm_state *x, u32 maxdiff)
{
	struct net *net = xs_net(x);

	spin_lock_bh(&x->lock);
	x->replay_maxdiff = maxdiff;
	if (!x->replay_maxage) {
		x->replay_maxage = READ_ONCE(net->xfrm.sysctl_aevent_etime) * HZ /
				   XFRM_AE_ETH_M;
		if (x->replay_maxage)
			mod_timer(&x->rtimer, jiffies + x->replay_maxage);
	}
	spin_unlock_bh(&x->lock);
}

/*
 * No events at all. XFRM has no "off": replay_maxdiff 0 means "by time
 * only", and with the timer stopped as well it would announce every
 * packet (XFRM_TIME_DEFER). So: the timer stopped and kept so (no
 * replay_maxage, no run of its handler left), then a threshold never
 * reached and no deferred event.
 */
static void rri_replay_off(struct xfrm_state *x)
{
	spin_lock_bh(&x->lock);
	x->replay_maxage = 0;
	spin_unlock_bh(&x->lock);
	/* Its handler takes the SA's lock: waited for outside it. */
	timer_delete_sync(&x->rtimer);
	spin_lock_bh(&x->lock);
	x->replay_maxdiff = U32_MAX;
	x->xflags &= ~XFRM_TIME_DEFER;
	spin_unlock_bh(&x->lock);
}

/*
 * The group with replay-interval whose map owns the tunnel of a VALID
 * tunnel-mode SA, and which way the SA carries traffic; NULL if none.
 */
static struct rri_group *rri_replay_sa_group(struct rri_net *rn,
					     const struct xfrm_state *x, u8 *dir)
{
	struct rri_tunnel_key key;
	struct rri_group *group;

	if (x->km.state != XFRM_STATE_VALID || x->props.mode != XFRM_MODE_TUNNEL)
		return NULL;

	rri_tunnel_key_set(&key, &x->props.saddr, &x->id.daddr,
			   x->props.family, x->props.reqid);
	group = rri_replay_tunnel_group(rn, &key);
	if (group) {
		*dir = RRI_SA_DIR_OUT;
		return group;
	}
	rri_tunnel_key_set(&key, &x->id.daddr, &x->props.saddr,
			   x->props.family, x->props.reqid);
	*dir = RRI_SA_DIR_IN;
	return rri_replay_tunnel_group(rn, &key);
}

/* Set an SA's thresholds, if it is a group's; it is held by the caller. */
static void rri_replay_state(struct rri_net *rn, struct xfrm_state *x)
{
	struct rri_group *group;
	u8 dir;

	group = rri_replay_sa_group(rn, x, &dir);
	if (!group)
		return;
	if (dir == RRI_SA_DIR_OUT)
		rri_replay_set(x, group->replay_out);
	else if (!group->replay_in)
		rri_replay_off(x);
	else
		rri_replay_set(x, group->replay_in);
}

/**
 * rri_replay_tunnel() - a group's map took a policy: its tunnel's SAs
 * @rn: the namespace's state, locked
 * @info: the policy
 *
 * IKE daemons add a tunnel's SAs before its policies: when the SAs'
 * events were applied, no map of a group owned the policy yet. The SAs
 * of the template's reqid, both ways, get the thresholds now (one per
 * direction: a tunnel's second SA comes with a rekey, and its own event).
 */
void rri_replay_tunnel(struct rri_net *rn, const struct rri_policy_info *info)
{
	const struct rri_tunnel_key *key = &info->tunnel;
	xfrm_address_t saddr = key->saddr, daddr = key->daddr;
	u32 mark = info->mark.v & info->mark.m;
	struct xfrm_state *x;

	lockdep_assert_held(&rn->lock);

	if (!rn->nreplay || !key->reqid)
		return;
	x = xfrm_stateonly_find(rn->net, mark, info->if_id, &daddr, &saddr,
				key->family, XFRM_MODE_TUNNEL, info->proto,
				key->reqid);
	if (x) {
		rri_replay_state(rn, x);
		xfrm_state_put(x);
	}
	x = xfrm_stateonly_find(rn->net, mark, info->if_id, &saddr, &daddr,
				key->family, XFRM_MODE_TUNNEL, info->proto,
				key->reqid);
	if (x) {
		rri_replay_state(rn, x);
		xfrm_state_put(x);
	}
}

/**
 * rri_replay_sa() - an SA came or changed: give it its group's thresholds
 * @rn: the namespace's state, locked
 * @ref: the SA, as XFRM finds it
 */
void rri_replay_sa(struct rri_net *rn, const struct rri_sa_ref *ref)
{
	xfrm_address_t daddr = ref->tunnel.daddr;
	struct xfrm_state *x;

	lockdep_assert_held(&rn->lock);

	if (!rn->nreplay)
		return;
	x = xfrm_state_lookup(rn->net, ref->mark, &daddr, ref->spi, ref->proto,
			      ref->tunnel.family);
	if (!x)
		return;
	rri_replay_state(rn, x);
	xfrm_state_put(x);
}

struct rri_replay_batch {
	struct rri_sa_ref ref[RRI_REPLAY_WALK_BATCH];
	unsigned int n;
	unsigned int max;
};

/*
 * Called with XFRM's state lock held, under which an SA's own lock may
 * not be taken (XFRM takes them the other way round): copy what finds
 * the SA again, and stop when the batch is full.
 */
static int rri_replay_walk_one(struct xfrm_state *x, int count, void *ptr)
{
	struct rri_replay_batch *b = ptr;
	struct rri_sa_ref *ref;

	if (x->props.mode != XFRM_MODE_TUNNEL ||
	    (x->props.family != AF_INET && x->props.family != AF_INET6))
		return 0;
	if (b->n == b->max)
		return -ENOBUFS;	/* the walk resumes at this SA */
	ref = &b->ref[b->n++];
	memset(ref, 0, sizeof(*ref));
	rri_tunnel_key_set(&ref->tunnel, &x->props.saddr, &x->id.daddr,
			   x->props.family, x->props.reqid);
	ref->spi = x->id.spi;
	ref->mark = x->mark.v;
	ref->proto = x->id.proto;
	return 0;
}

/**
 * rri_replay_all() - give every SA of the namespace its group's thresholds
 * @rn: the namespace's state, locked
 *
 * A batch at a time: XFRM's state lock is let go between batches. If
 * memory is short, the namespace is resynced a moment later, which
 * comes back here.
 */
void rri_replay_all(struct rri_net *rn)
{
	struct rri_replay_batch *b;
	struct xfrm_state_walk walk;
	unsigned int i;
	int ret;

	lockdep_assert_held(&rn->lock);

	if (!rn->nreplay)
		return;
	b = kvmalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b) {
		rri_net_retry(rn);	/* the resync comes back here */
		return;
	}
	xfrm_state_walk_init(&walk, 0, NULL);
	b->max = RRI_REPLAY_WALK_BATCH;
	do {
		b->n = 0;
		ret = xfrm_state_walk(rn->net, &walk, rri_replay_walk_one, b);
		for (i = 0; i < b->n; i++)
			rri_replay_sa(rn, &b->ref[i]);
		cond_resched();
	} while (ret == -ENOBUFS);
	xfrm_state_walk_done(&walk, rn->net);
	kvfree(b);
}

/**
 * rri_replay_group() - a group's replay-interval was set or changed
 * @rn: the namespace's state, locked
 * @group: the group
 */
void rri_replay_group(struct rri_net *rn, const struct rri_group *group)
{
	struct rri_map *map;

	list_for_each_entry(map, &rn->maps, list) {
		if (map->group == group) {
			rri_replay_all(rn);
			return;
		}
	}
}

/*
 * A dump of a group's SAs: a batch of the walk at a time, each SA looked
 * up again as it is sent; what did not fit into a part of the dump is
 * sent in the next.
 */
struct rri_replay_dump {
	struct xfrm_state_walk walk;
	struct rri_replay_batch batch;
	unsigned int next;
	bool walked;
};

/* SAs a part of the dump takes from the walk: they fit into one part. */
#define RRI_REPLAY_DUMP_BATCH	16

/**
 * rri_replay_dump_start() - begin a dump of a group's SAs
 *
 * Return: the dump's state, or NULL.
 */
struct rri_replay_dump *rri_replay_dump_start(void)
{
	struct rri_replay_dump *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (d) {
		xfrm_state_walk_init(&d->walk, 0, NULL);
		d->batch.max = RRI_REPLAY_DUMP_BATCH;
	}
	return d;
}

/**
 * rri_replay_dump_done() - end a dump of a group's SAs
 * @rn: the namespace's state
 * @d: the dump's state, or NULL
 */
void rri_replay_dump_done(struct rri_net *rn, struct rri_replay_dump *d)
{
	if (!d)
		return;
	xfrm_state_walk_done(&d->walk, rn->net);
	kfree(d);
}

/**
 * rri_replay_dump() - send the next of a group's SAs
 * @rn: the namespace's state, locked
 * @d: the dump's state
 * @group: the group
 * @put: sends one SA; a non-zero return stops this part, and that SA is
 *	sent first in the next one
 * @arg: for @put
 *
 * The group's SAs are the ones rri gives its replay-interval thresholds.
 *
 * Return: true while SAs are left for a next part.
 */
bool rri_replay_dump(struct rri_net *rn, struct rri_replay_dump *d,
		     const struct rri_group *group,
		     int (*put)(const struct xfrm_state *x, u8 dir, void *arg),
		     void *arg)
{
	struct rri_sa_ref *ref;
	struct xfrm_state *x;
	int ret;
	u8 dir;

	lockdep_assert_held(&rn->lock);

	for (;;) {
		if (d->next == d->batch.n) {
			if (d->walked)
				return false;
			d->batch.n = 0;
			d->next = 0;
			ret = xfrm_state_walk(rn->net, &d->walk,
					      rri_replay_walk_one, &d->batch);
			d->walked = ret != -ENOBUFS;
			if (!d->batch.n)
				return false;
		}
		ref = &d->batch.ref[d->next];
		x = xfrm_state_lookup(rn->net, ref->mark, &ref->tunnel.daddr,
				      ref->spi, ref->proto, ref->tunnel.family);
		if (x) {
			ret = rri_replay_sa_group(rn, x, &dir) == group ?
			      put(x, dir, arg) : 0;
			xfrm_state_put(x);
			if (ret)
				return true;
		}
		d->next++;
	}
}
