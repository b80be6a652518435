// SPDX-License-Identifier: GPL-2.0
/*
 * XFRM key-manager hook.
 *
 * rri registers as an XFRM key manager, next to xfrm_user and af_key, to be
 * told about every SA and policy change in every namespace. The callbacks
 * run in atomic context under RCU (and from timers for expiries): they
 * classify the event, record it for the namespace's worker and return.
 * rri never answers an ACQUIRE or compiles a socket policy; the IKE daemon
 * does.
 */

#include <net/xfrm.h>

#include "pernet.h"
#include "xfrm.h"

static int rri_xfrm_notify(struct xfrm_state *x, const struct km_event *c)
{
	enum rri_event_kind kind;

	switch (c->event) {
	case XFRM_MSG_NEWSA:
		kind = RRI_EV_SA_ADD;
		break;
	case XFRM_MSG_UPDSA:
		kind = RRI_EV_SA_UPDATE;
		break;
	case XFRM_MSG_DELSA:
		kind = RRI_EV_SA_DELETE;
		break;
	case XFRM_MSG_EXPIRE:
		kind = RRI_EV_SA_EXPIRE;
		break;
	case XFRM_MSG_FLUSHSA:
		/* A flush names no SA: the namespace is in the event. */
		rri_net_queue_event(c->net, RRI_EV_SA_FLUSH);
		return 0;
	default:
		/* Async (replay/lifetime) events change nothing rri tracks. */
		return 0;
	}

	rri_net_queue_event(xs_net(x), kind);
	return 0;
}

static int rri_xfrm_notify_policy(struct xfrm_policy *xp, int dir,
				  const struct km_event *c)
{
	enum rri_event_kind kind;

	switch (c->event) {
	case XFRM_MSG_NEWPOLICY:
		kind = RRI_EV_POLICY_ADD;
		break;
	case XFRM_MSG_UPDPOLICY:
		kind = RRI_EV_POLICY_UPDATE;
		break;
	case XFRM_MSG_DELPOLICY:
		kind = RRI_EV_POLICY_DELETE;
		break;
	case XFRM_MSG_POLEXPIRE:
		kind = RRI_EV_POLICY_EXPIRE;
		break;
	case XFRM_MSG_FLUSHPOLICY:
		rri_net_queue_event(c->net, RRI_EV_POLICY_FLUSH);
		return 0;
	default:
		return 0;
	}

	rri_net_queue_event(xp_net(xp), kind);
	return 0;
}

static int rri_xfrm_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			    struct xfrm_policy *xp)
{
	rri_net_queue_event(xs_net(x), RRI_EV_ACQUIRE);
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
