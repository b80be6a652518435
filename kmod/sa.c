// SPDX-License-Identifier: GPL-2.0
/*
 * Whether a VALID SA satisfies a policy's template.
 *
 * For a template with a reqid the kernel's own reqid-keyed lookup
 * (xfrm_stateonly_find()) answers at once. A template with reqid 0 accepts
 * an SA of any reqid, which no XFRM lookup answers; walking the
 * namespace's SAs for each such question would hold XFRM's state lock
 * over every SA of the namespace, per question. While a namespace has such
 * policies, rri therefore keeps an index of its VALID tunnel-mode SAs by
 * tunnel: built by one walk that lets go of the lock every batch, then kept
 * current by the SA events (each SA is looked up again by its id, so late
 * or repeated events still give XFRM's truth), and rebuilt after a flush
 * or a resync. Namespaces whose templates all carry reqids (IKE daemons
 * set them) pay nothing.
 *
 * All functions here run under rri_net.lock.
 */

#include <linux/jhash.h>
#include <linux/slab.h>

#include "event.h"
#include "pernet.h"
#include "sa.h"

/* SAs copied per pass of a walk. */
#define RRI_SA_WALK_BATCH	64

/**
 * struct rri_sa - a VALID tunnel-mode SA of the namespace
 * @by_id: in rri_net.sas_by_id
 * @by_tunnel: in rri_net.sas_by_tunnel
 * @tunnel: its endpoints, with reqid 0 (the key of @by_tunnel)
 * @spi: its SPI
 * @mark: its mark value
 * @mark_mask: its mark mask
 * @if_id: its if_id
 * @proto: its IPsec protocol
 */
struct rri_sa {
	struct rri_hnode by_id;
	struct rri_hnode by_tunnel;
	struct rri_tunnel_key tunnel;
	__be32 spi;
	u32 mark;
	u32 mark_mask;
	u32 if_id;
	u8 proto;
};

static struct kmem_cache *rri_sa_cache __read_mostly;

static u32 rri_sa_id_hash(const xfrm_address_t *daddr, __be32 spi, u8 proto,
			  u32 seed)
{
	return jhash2((const u32 *)daddr, sizeof(*daddr) / sizeof(u32),
		      jhash_2words((__force u32)spi, proto, seed));
}

static u32 rri_sa_id_hashfn(const struct rri_hnode *node, u32 seed)
{
	const struct rri_sa *sa = container_of(node, struct rri_sa, by_id);

	return rri_sa_id_hash(&sa->tunnel.daddr, sa->spi, sa->proto, seed);
}

static u32 rri_sa_tunnel_hash(const struct rri_tunnel_key *key, u32 seed)
{
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), seed);
}

static u32 rri_sa_tunnel_hashfn(const struct rri_hnode *node, u32 seed)
{
	return rri_sa_tunnel_hash(&container_of(node, struct rri_sa, by_tunnel)->tunnel,
				  seed);
}

/* What the index keeps of an SA; false if it does not belong in it. */
static bool rri_sa_fill(struct rri_sa *sa, const struct xfrm_state *x)
{
	u16 family = x->props.family;

	if (x->km.state != XFRM_STATE_VALID || x->props.mode != XFRM_MODE_TUNNEL ||
	    (family != AF_INET && family != AF_INET6))
		return false;
	rri_tunnel_key_set(&sa->tunnel, &x->props.saddr, &x->id.daddr, family, 0);
	sa->spi = x->id.spi;
	sa->proto = x->id.proto;
	sa->mark = x->mark.v;
	sa->mark_mask = x->mark.m;
	sa->if_id = x->if_id;
	return true;
}

static struct rri_sa *rri_sa_find(struct rri_net *rn, const xfrm_address_t *daddr,
				  u16 family, __be32 spi, u8 proto)
{
	struct rri_hnode *node;
	struct rri_sa *sa;

	node = rri_htable_chain(&rn->sas_by_id,
				rri_sa_id_hash(daddr, spi, proto, rn->sas_by_id.seed));
	for (; node; node = node->next) {
		sa = container_of(node, struct rri_sa, by_id);
		if (sa->spi == spi && sa->proto == proto && sa->tunnel.family == family &&
		    !memcmp(&sa->tunnel.daddr, daddr, sizeof(*daddr)))
			return sa;
	}
	return NULL;
}

static void rri_sa_free(struct rri_net *rn, struct rri_sa *sa)
{
	rri_htable_remove(&rn->sas_by_id, &sa->by_id);
	rri_htable_remove(&rn->sas_by_tunnel, &sa->by_tunnel);
	kmem_cache_free(rri_sa_cache, sa);
}

/* Index @copy (a filled-in SA), or update its entry. */
static int rri_sa_upsert(struct rri_net *rn, const struct rri_sa *copy)
{
	struct rri_sa *sa;

	sa = rri_sa_find(rn, &copy->tunnel.daddr, copy->tunnel.family, copy->spi,
			 copy->proto);
	if (sa) {
		/* An SA's id and endpoints do not change; the rest may. */
		sa->mark = copy->mark;
		sa->mark_mask = copy->mark_mask;
		sa->if_id = copy->if_id;
		return 0;
	}
	sa = kmem_cache_alloc(rri_sa_cache, GFP_KERNEL_ACCOUNT);
	if (!sa)
		return -ENOMEM;
	*sa = *copy;
	if (rri_htable_insert(&rn->sas_by_id, &sa->by_id))
		goto err_free;
	if (rri_htable_insert(&rn->sas_by_tunnel, &sa->by_tunnel)) {
		rri_htable_remove(&rn->sas_by_id, &sa->by_id);
		goto err_free;
	}
	return 0;

err_free:
	kmem_cache_free(rri_sa_cache, sa);
	return -ENOMEM;
}

static void rri_sa_clear(struct rri_net *rn)
{
	struct rri_hnode *node, *next;
	unsigned int b = 0;

	for (node = rri_htable_next(&rn->sas_by_id, NULL, &b); node; node = next) {
		next = rri_htable_next(&rn->sas_by_id, node, &b);
		rri_sa_free(rn, container_of(node, struct rri_sa, by_id));
	}
	rri_htable_compact(&rn->sas_by_id);
	rri_htable_compact(&rn->sas_by_tunnel);
	rn->sa_index_ok = false;
}

struct rri_sa_batch {
	struct rri_sa sa[RRI_SA_WALK_BATCH];
	unsigned int n;
};

/* Called with XFRM's state lock held: copy, and stop when the batch is full. */
static int rri_sa_walk_one(struct xfrm_state *x, int count, void *ptr)
{
	struct rri_sa_batch *b = ptr;

	if (b->n == RRI_SA_WALK_BATCH)
		return -ENOBUFS;	/* the walk resumes at this SA */
	if (rri_sa_fill(&b->sa[b->n], x))
		b->n++;
	return 0;
}

/**
 * rri_sa_index_rebuild() - build the SA index anew, if the namespace needs it
 * @rn: the namespace's state
 *
 * A batch at a time: XFRM's state lock is let go between batches. SAs that
 * change meanwhile also produce events, applied after.
 *
 * Return: 0, or -ENOMEM (the index is then empty and not used: a resync
 * is asked for).
 */
int rri_sa_index_rebuild(struct rri_net *rn)
{
	struct xfrm_state_walk walk;
	struct rri_sa_batch *b;
	unsigned int i;
	int ret, err = 0;

	lockdep_assert_held(&rn->lock);

	rri_sa_clear(rn);
	if (!rn->nany)
		return 0;

	b = kvmalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b) {
		rri_net_retry(rn);
		return -ENOMEM;
	}
	xfrm_state_walk_init(&walk, 0, NULL);
	do {
		b->n = 0;
		ret = xfrm_state_walk(rn->net, &walk, rri_sa_walk_one, b);
		for (i = 0; i < b->n && !err; i++)
			err = rri_sa_upsert(rn, &b->sa[i]);
		cond_resched();
	} while (ret == -ENOBUFS && !err);
	xfrm_state_walk_done(&walk, rn->net);
	kvfree(b);

	if (err) {
		rri_sa_clear(rn);
		rri_net_retry(rn);
		return err;
	}
	rn->sa_index_ok = true;
	return 0;
}

/**
 * rri_sa_index_get() - a policy whose template accepts any reqid appeared
 * @rn: the namespace's state
 */
void rri_sa_index_get(struct rri_net *rn)
{
	if (!rn->nany++)
		rri_sa_index_rebuild(rn);
}

/**
 * rri_sa_index_put() - such a policy went
 * @rn: the namespace's state
 */
void rri_sa_index_put(struct rri_net *rn)
{
	if (!--rn->nany)
		rri_sa_clear(rn);
}

/**
 * rri_sa_changed() - an SA came, changed or went: update the index
 * @rn: the namespace's state
 * @ref: the SA, as XFRM finds it
 */
void rri_sa_changed(struct rri_net *rn, const struct rri_sa_ref *ref)
{
	xfrm_address_t daddr = ref->tunnel.daddr;
	struct rri_sa copy, *sa;
	struct xfrm_state *x;
	bool valid = false;

	lockdep_assert_held(&rn->lock);

	if (!rn->sa_index_ok)
		return;
	x = xfrm_state_lookup(rn->net, ref->mark, &daddr, ref->spi, ref->proto,
			      ref->tunnel.family);
	if (x) {
		valid = rri_sa_fill(&copy, x);
		xfrm_state_put(x);
	}
	if (valid) {
		if (rri_sa_upsert(rn, &copy)) {
			rri_sa_clear(rn);
			rri_net_retry(rn);
		}
		return;
	}
	sa = rri_sa_find(rn, &daddr, ref->tunnel.family, ref->spi, ref->proto);
	if (sa)
		rri_sa_free(rn, sa);
}

static bool rri_sa_any_reqid(struct rri_net *rn, const struct rri_tunnel_key *key,
			     u8 proto, u32 mark, u32 if_id)
{
	u32 hash = rri_sa_tunnel_hash(key, rn->sas_by_tunnel.seed);
	struct rri_hnode *node;
	struct rri_sa *sa;

	for (node = rri_htable_chain(&rn->sas_by_tunnel, hash); node; node = node->next) {
		sa = container_of(node, struct rri_sa, by_tunnel);
		if (!memcmp(&sa->tunnel, key, sizeof(*key)) && sa->proto == proto &&
		    (mark & sa->mark_mask) == sa->mark && sa->if_id == if_id)
			return true;
	}
	return false;
}

/**
 * rri_sa_tunnel_has_sa() - whether a VALID SA satisfies a template
 * @rn: the namespace's state
 * @key: the template's tunnel endpoints and reqid (0 accepts any)
 * @proto: the template's IPsec protocol
 * @mark: the policy's mark value under its mask
 * @if_id: the policy's if_id
 *
 * The same test the kernel applies when it looks for an SA for a packet.
 *
 * Return: true if such an SA exists now.
 */
bool rri_sa_tunnel_has_sa(struct rri_net *rn, const struct rri_tunnel_key *key,
			  u8 proto, u32 mark, u32 if_id)
{
	xfrm_address_t daddr = key->daddr, saddr = key->saddr;
	struct xfrm_state *x;

	if (!key->reqid)
		return rn->sa_index_ok && rri_sa_any_reqid(rn, key, proto, mark, if_id);

	x = xfrm_stateonly_find(rn->net, mark, if_id, &daddr, &saddr, key->family,
				XFRM_MODE_TUNNEL, proto, key->reqid);
	if (!x)
		return false;
	xfrm_state_put(x);
	return true;
}

/**
 * rri_sa_net_init() - set up a namespace's SA index (empty)
 * @rn: the namespace's state
 */
void rri_sa_net_init(struct rri_net *rn)
{
	rri_htable_init(&rn->sas_by_id, rri_sa_id_hashfn);
	rri_htable_init(&rn->sas_by_tunnel, rri_sa_tunnel_hashfn);
}

/**
 * rri_sa_net_exit() - free a namespace's SA index
 * @rn: the namespace's state
 */
void rri_sa_net_exit(struct rri_net *rn)
{
	rri_sa_clear(rn);
	rri_htable_destroy(&rn->sas_by_tunnel);
	rri_htable_destroy(&rn->sas_by_id);
}

/**
 * rri_sa_cache_init() - create the SA cache
 *
 * Return: 0 or -ENOMEM.
 */
int __init rri_sa_cache_init(void)
{
	rri_sa_cache = KMEM_CACHE(rri_sa, SLAB_ACCOUNT);
	return rri_sa_cache ? 0 : -ENOMEM;
}

/**
 * rri_sa_cache_exit() - destroy the SA cache
 */
void rri_sa_cache_exit(void)
{
	kmem_cache_destroy(rri_sa_cache);
}
