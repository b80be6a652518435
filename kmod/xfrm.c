// SPDX-License-Identifier: GPL-2.0
/*
 * XFRM: the key-manager hook and the ways rri reads XFRM state.
 *
 * rri registers as an XFRM key manager, next to xfrm_user and af_key, to be
 * told about every SA and policy change in every namespace. The callbacks
 * run in atomic context under RCU (and from timers for expiries): they copy
 * what the worker needs, record it for the namespace's worker and return.
 * rri never answers an ACQUIRE or compiles a socket policy; the IKE daemon
 * does. Whether a tunnel has a VALID SA is asked of the kernel's SA
 * database when it matters (sa.c).
 */

#include <linux/slab.h>
#include <net/xfrm.h>

#include "event.h"
#include "pernet.h"
#include "policy.h"
#include "xfrm.h"

/* Policies copied per pass of a policy walk. */
#define RRI_WALK_BATCH	128

static void rri_xfrm_sa_event(struct xfrm_state *x, enum rri_event_kind kind,
			      bool gone_or_changed)
{
	struct rri_event_data data = { };

	/* Only a tunnel-mode SA that appeared, changed or left matters. */
	if (gone_or_changed && x->props.mode == XFRM_MODE_TUNNEL &&
	    (x->props.family == AF_INET || x->props.family == AF_INET6)) {
		data.apply = RRI_APPLY_TUNNEL;
		rri_tunnel_key_set(&data.sa.tunnel, &x->props.saddr,
				   &x->id.daddr, x->props.family,
				   x->props.reqid);
		data.sa.spi = x->id.spi;
		data.sa.mark = x->mark.v;
		data.sa.proto = x->id.proto;
		data.sa.added = kind == RRI_EV_SA_ADD;
	}
	rri_event_queue(xs_net(x), kind, &data);
}

static int rri_xfrm_notify(struct xfrm_state *x, const struct km_event *c)
{
	struct rri_event_data data = { };

	switch (c->event) {
	case XFRM_MSG_NEWSA:
		rri_xfrm_sa_event(x, RRI_EV_SA_ADD, true);
		break;
	case XFRM_MSG_UPDSA:
		rri_xfrm_sa_event(x, RRI_EV_SA_UPDATE, true);
		break;
	case XFRM_MSG_DELSA:
		rri_xfrm_sa_event(x, RRI_EV_SA_DELETE, true);
		break;
	case XFRM_MSG_EXPIRE:
		/*
		 * A soft expiry only warns; a hard one deletes the SA. With no
		 * SPI it is an ACQUIRE's larval state that got no SA in time.
		 */
		if (c->data.hard && !x->id.spi) {
			if (rri_policy_info_larval(&data.larval, x))
				data.apply = RRI_APPLY_LARVAL;
			rri_event_queue(xs_net(x), RRI_EV_SA_EXPIRE, &data);
			break;
		}
		rri_xfrm_sa_event(x, RRI_EV_SA_EXPIRE, c->data.hard);
		break;
	case XFRM_MSG_FLUSHSA:
		/* A flush names no SA: the namespace is in the event. */
		data.apply = RRI_APPLY_SA_FLUSH;
		rri_event_queue(c->net, RRI_EV_SA_FLUSH, &data);
		break;
	default:
		/* Async (replay/lifetime) events change nothing rri tracks. */
		break;
	}
	return 0;
}

static void rri_xfrm_policy_event(struct xfrm_policy *xp, int dir,
				  enum rri_event_kind kind, bool changed)
{
	struct rri_event_data data = { };

	/* The worker fetches the policy by index: gone, changed or new. */
	if (changed && dir == XFRM_POLICY_OUT && xp->type == XFRM_POLICY_TYPE_MAIN) {
		data.apply = RRI_APPLY_POLICY;
		rri_policy_ref_fill(&data.policy, xp);
	}
	rri_event_queue(xp_net(xp), kind, &data);
}

static int rri_xfrm_notify_policy(struct xfrm_policy *xp, int dir,
				  const struct km_event *c)
{
	struct rri_event_data data = { };

	switch (c->event) {
	case XFRM_MSG_NEWPOLICY:
		rri_xfrm_policy_event(xp, dir, RRI_EV_POLICY_ADD, true);
		break;
	case XFRM_MSG_UPDPOLICY:
		rri_xfrm_policy_event(xp, dir, RRI_EV_POLICY_UPDATE, true);
		break;
	case XFRM_MSG_DELPOLICY:
		rri_xfrm_policy_event(xp, dir, RRI_EV_POLICY_DELETE, true);
		break;
	case XFRM_MSG_POLEXPIRE:
		rri_xfrm_policy_event(xp, dir, RRI_EV_POLICY_EXPIRE, c->data.hard);
		break;
	case XFRM_MSG_FLUSHPOLICY:
		if (c->data.type == XFRM_POLICY_TYPE_MAIN)
			data.apply = RRI_APPLY_POLICY_FLUSH;
		rri_event_queue(c->net, RRI_EV_POLICY_FLUSH, &data);
		break;
	default:
		break;
	}
	return 0;
}

static int rri_xfrm_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			    struct xfrm_policy *xp)
{
	struct rri_event_data data = { };

	if (rri_policy_info_larval(&data.larval, x))
		data.apply = RRI_APPLY_ACQUIRE;
	rri_event_queue(xs_net(x), RRI_EV_ACQUIRE, &data);
	/* Not ours to answer: km_query() succeeds only if an IKE daemon does. */
	return -EOPNOTSUPP;
}

static struct xfrm_policy *rri_xfrm_compile_policy(struct sock *sk, int opt,
						   u8 *data, int len, int *dir)
{
	/*
	 * Socket policies belong to xfrm_user and af_key. *dir still holds
	 * the error of the managers asked before us; leaving it untouched
	 * keeps their answer the one the socket sees.
	 */
	return NULL;
}

static struct xfrm_mgr rri_xfrm_mgr = {
	.notify = rri_xfrm_notify,
	.acquire = rri_xfrm_acquire,
	.compile_policy = rri_xfrm_compile_policy,
	.notify_policy = rri_xfrm_notify_policy,
};

struct rri_walk_batch {
	struct rri_policy_info info[RRI_WALK_BATCH];
	unsigned int n;
};

/* Called with the policy lock held and BHs off: copy and move on. */
static int rri_xfrm_walk_one(struct xfrm_policy *xp, int dir, int count,
			     void *ptr)
{
	struct rri_walk_batch *b = ptr;

	if (b->n == RRI_WALK_BATCH)
		return -ENOBUFS;	/* the walk resumes at this policy */
	if (rri_policy_info_fill(&b->info[b->n], xp, dir))
		b->n++;
	return 0;
}

/**
 * rri_xfrm_policy_walk() - call @fn on every policy rri considers
 * @rn: the namespace's state, locked
 * @fn: called in process context, under @rn's lock, for each policy
 * @arg: passed to @fn
 *
 * The namespace's main-type policies are copied a batch at a time under
 * XFRM's policy lock, then handed to @fn without it. Policies that change
 * during the walk also produce events, applied after it.
 *
 * Return: 0 or -ENOMEM.
 */
int rri_xfrm_policy_walk(struct rri_net *rn, rri_policy_fn fn, void *arg)
{
	struct xfrm_policy_walk walk;
	struct rri_walk_batch *b;
	unsigned int i;
	int ret;

	lockdep_assert_held(&rn->lock);

	b = kvmalloc(sizeof(*b), GFP_KERNEL_ACCOUNT);
	if (!b)
		return -ENOMEM;

	xfrm_policy_walk_init(&walk, XFRM_POLICY_TYPE_MAIN);
	do {
		b->n = 0;
		ret = xfrm_policy_walk(rn->net, &walk, rri_xfrm_walk_one, b);
		for (i = 0; i < b->n; i++)
			fn(rn, &b->info[i], arg);
		cond_resched();
	} while (ret == -ENOBUFS);
	xfrm_policy_walk_done(&walk, rn->net);

	kvfree(b);
	return 0;
}

/**
 * rri_xfrm_init() - start receiving XFRM events
 */
void rri_xfrm_init(void)
{
	xfrm_register_km(&rri_xfrm_mgr);
}

/**
 * rri_xfrm_exit() - stop receiving XFRM events
 *
 * Returns after every callback already running has finished.
 */
void rri_xfrm_exit(void)
{
	xfrm_unregister_km(&rri_xfrm_mgr);
}
