// SPDX-License-Identifier: GPL-2.0
/*
 * rri-syncd: SA-copy mode (--mode sa), for standbys whose IKE daemon syncs
 * nothing (libreswan, hand-keyed SAs). The active node also sends each of
 * the group's SAs whole (XFRM's own description: keys, algorithms,
 * lifetimes, replay state) and the policies of their tunnels; the standby
 * installs them (XFRM_MSG_NEWSA, XFRM_MSG_UPDPOLICY) and deletes them when
 * the active node's go, so that its data plane carries on at takeover.
 *
 * The records carry XFRM's structures as the kernel lays them out: both
 * nodes must run the same architecture (they do, in an HA pair).
 *
 * The group's policies are those whose outermost tunnel template has the
 * endpoints of one of the group's SAs (an outbound policy those of the
 * outbound SA, inbound and forward policies those of the inbound one) and
 * its reqid, or none.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <linux/netlink.h>

#include "syncd.h"

#define POL_BUCKETS	16384
#define TUN_BUCKETS	16384

/* The attributes of an SA that a copy needs; the others stay behind. */
static const uint16_t sa_attrs[] = {
	XFRMA_ALG_AUTH, XFRMA_ALG_CRYPT, XFRMA_ALG_COMP, XFRMA_ENCAP, XFRMA_ALG_AEAD,
	XFRMA_ALG_AUTH_TRUNC, XFRMA_MARK, XFRMA_REPLAY_VAL, XFRMA_REPLAY_ESN_VAL,
	XFRMA_SA_EXTRA_FLAGS, XFRMA_SET_MARK, XFRMA_SET_MARK_MASK, XFRMA_IF_ID,
	XFRMA_TFCPAD,
};

static const uint16_t pol_attrs[] = {
	XFRMA_TMPL, XFRMA_MARK, XFRMA_IF_ID, XFRMA_POLICY_TYPE,
};

/*
 * A policy: what finds it (direction, selector, mark, if_id, type) and,
 * on the active node, its description to send.
 */
struct pol {
	struct pol *hnext;
	struct pol *dnext;
	struct pol_key key;
	uint8_t *raw;		/* userpolicy_info and attributes */
	uint16_t raw_len;
	bool queued;
	bool sent;		/* the standby has it */
	bool gone;		/* deleted here: the standby deletes it */
	unsigned int gen;	/* standby: the snapshot that last had it */
};

/* A tunnel of the group: the endpoints and reqid of one of its SAs. */
struct tun {
	struct tun *next;
	uint16_t family;
	uint32_t reqid;
	xfrm_address_t saddr, daddr;
};

static struct pol *pols[POL_BUCKETS];
static struct pol *pdhead, **pdtail = &pdhead;
static struct tun *tuns[TUN_BUCKETS];

static unsigned int hash_bytes(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;

	while (len--)
		h = (h ^ *b++) * 16777619u;
	return h;
}

/* ---- the attributes of a message ---- */

static const struct nlattr *next_attr(const struct nlattr *a, int *left)
{
	*left -= NLA_ALIGN(a->nla_len);
	return (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
}

static bool attr_ok(const struct nlattr *a, int left)
{
	return left >= (int)sizeof(*a) && a->nla_len >= sizeof(*a) && a->nla_len <= left;
}

static bool listed(uint16_t type, const uint16_t *types, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (types[i] == type)
			return true;
	return false;
}

/*
 * @hdr bytes of header from @body, then those of the attributes after it
 * that are listed, into a new buffer. Return: its length, 0 on failure.
 */
static size_t filter(const void *body, size_t hdr, const void *rta, int left,
		     const uint16_t *types, size_t n, uint8_t **out)
{
	const struct nlattr *a;
	size_t len = NLMSG_ALIGN(hdr);
	uint8_t *buf = malloc(len + (left > 0 ? left : 0));

	if (!buf)
		return 0;
	memset(buf, 0, len);
	memcpy(buf, body, hdr);
	for (a = rta; attr_ok(a, left); a = next_attr(a, &left)) {
		if (!listed(a->nla_type & NLA_TYPE_MASK, types, n))
			continue;
		memcpy(buf + len, a, a->nla_len);
		len += NLA_ALIGN(a->nla_len);
	}
	*out = buf;
	return len;
}

static const struct nlattr *find(const void *rta, int left, uint16_t type)
{
	const struct nlattr *a;

	for (a = rta; attr_ok(a, left); a = next_attr(a, &left))
		if ((a->nla_type & NLA_TYPE_MASK) == type)
			return a;
	return NULL;
}

/* ---- SAs ---- */

/**
 * copy_sa_keep() - keep an SA's description to send (active node)
 * @sa: the SA
 * @nlh: its XFRM_MSG_NEWSA (a dump's reply or an event)
 *
 * The standby gets it (again) with the SA's next state.
 */
void copy_sa_keep(struct sa *sa, const struct nlmsghdr *nlh)
{
	const struct xfrm_usersa_info *p = NLMSG_DATA(nlh);
	int left = (int)nlh->nlmsg_len - NLMSG_SPACE(sizeof(*p));
	uint8_t *raw;
	size_t len;

	if (left < 0)
		return;
	len = filter(p, sizeof(*p), (const char *)p + NLMSG_ALIGN(sizeof(*p)), left,
		     sa_attrs, sizeof(sa_attrs) / sizeof(sa_attrs[0]), &raw);
	if (!len || len > SA_RAW_MAX) {
		free(len ? raw : NULL);
		return;
	}
	if (sa->raw && sa->raw_len == len && !memcmp(sa->raw, raw, len)) {
		free(raw);
		return;
	}
	free(sa->raw);
	sa->raw = raw;
	sa->raw_len = len;
	sa->raw_sent = false;
}

/**
 * copy_sa_install() - install an SA the active node sent (standby)
 * @raw: its description
 * @len: the description's length
 * @id: filled in with the SA's id
 *
 * Return: 0 (also if the SA is here already), or -errno.
 */
int copy_sa_install(const uint8_t *raw, size_t len, struct sa_id *id)
{
	const struct xfrm_usersa_info *p = (const void *)raw;
	int ret;

	if (len < sizeof(*p))
		return -EINVAL;
	memset(id, 0, sizeof(*id));
	id->daddr = p->id.daddr;
	id->spi = p->id.spi;
	id->proto = p->id.proto;
	id->family = p->family;
	ret = xfrm_request(XFRM_MSG_NEWSA, raw, len);
	return ret == -EEXIST ? 0 : ret;
}

/**
 * copy_sa_remove() - delete a copied SA (standby)
 * @sa: the SA
 *
 * Return: 0 or -errno.
 */
int copy_sa_remove(const struct sa *sa)
{
	struct {
		struct xfrm_usersa_id id;
		struct nlattr a;
		struct xfrm_mark m;
	} req;
	size_t len = NLMSG_ALIGN(sizeof(req.id));

	memset(&req, 0, sizeof(req));
	req.id.daddr = sa->id.daddr;
	req.id.spi = sa->id.spi;
	req.id.family = sa->id.family;
	req.id.proto = sa->id.proto;
	if (sa->mark) {
		req.a.nla_type = XFRMA_MARK;
		req.a.nla_len = NLA_HDRLEN + sizeof(req.m);
		req.m.v = sa->mark;
		req.m.m = 0xffffffff;
		len = sizeof(req);
	}
	return xfrm_request(XFRM_MSG_DELSA, &req, len);
}

/* ---- the group's tunnels (active node) ---- */

static unsigned int tun_hash(uint16_t family, const xfrm_address_t *s, const xfrm_address_t *d)
{
	xfrm_address_t k[2] = { *s, *d };

	return (hash_bytes(k, sizeof(k)) ^ family) % TUN_BUCKETS;
}

/* Forget the tunnels, before copy_tunnel_add() of every SA of the group. */
void copy_tunnels_reset(void)
{
	struct tun *t, *next;
	unsigned int i;

	for (i = 0; i < TUN_BUCKETS; i++) {
		for (t = tuns[i]; t; t = next) {
			next = t->next;
			free(t);
		}
		tuns[i] = NULL;
	}
}

void copy_tunnel_add(const struct sa *sa)
{
	unsigned int h = tun_hash(sa->id.family, &sa->saddr, &sa->id.daddr);
	struct tun *t;

	for (t = tuns[h]; t; t = t->next)
		if (t->family == sa->id.family && t->reqid == sa->reqid &&
		    !memcmp(&t->saddr, &sa->saddr, sizeof(t->saddr)) &&
		    !memcmp(&t->daddr, &sa->id.daddr, sizeof(t->daddr)))
			return;
	t = calloc(1, sizeof(*t));
	if (!t)
		return;
	t->family = sa->id.family;
	t->reqid = sa->reqid;
	t->saddr = sa->saddr;
	t->daddr = sa->id.daddr;
	t->next = tuns[h];
	tuns[h] = t;
}

/* Whether the template is the tunnel of one of the group's SAs. */
static bool tunnel_of_group(const struct xfrm_user_tmpl *tm)
{
	struct tun *t;

	for (t = tuns[tun_hash(tm->family, &tm->saddr, &tm->id.daddr)]; t; t = t->next)
		if (t->family == tm->family && (!tm->reqid || tm->reqid == t->reqid) &&
		    !memcmp(&t->saddr, &tm->saddr, sizeof(t->saddr)) &&
		    !memcmp(&t->daddr, &tm->id.daddr, sizeof(t->daddr)))
			return true;
	return false;
}

/* ---- policies ---- */

static unsigned int pol_hash(const struct pol_key *k)
{
	return hash_bytes(k, sizeof(*k)) % POL_BUCKETS;
}

static struct pol *pol_find(const struct pol_key *k)
{
	struct pol *p;

	for (p = pols[pol_hash(k)]; p; p = p->hnext)
		if (!memcmp(&p->key, k, sizeof(*k)))
			return p;
	return NULL;
}

static struct pol *pol_get(const struct pol_key *k)
{
	struct pol *p = pol_find(k);
	unsigned int h;

	if (p)
		return p;
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->key = *k;
	h = pol_hash(k);
	p->hnext = pols[h];
	pols[h] = p;
	return p;
}

static void pol_free(struct pol *p)
{
	struct pol **pp;

	if (p->queued) {
		for (pp = &pdhead; *pp != p; pp = &(*pp)->dnext)
			;
		*pp = p->dnext;
		if (pdtail == &p->dnext)
			pdtail = pp;
	}
	for (pp = &pols[pol_hash(&p->key)]; *pp != p; pp = &(*pp)->hnext)
		;
	*pp = p->hnext;
	free(p->raw);
	free(p);
}

static void pol_queue(struct pol *p)
{
	if (p->queued)
		return;
	p->queued = true;
	p->dnext = NULL;
	*pdtail = p;
	pdtail = &p->dnext;
}

/* The next policy to send (or to delete on the standby); NULL if none. */
struct pol *copy_pol_next(void)
{
	struct pol *p = pdhead;

	if (!p)
		return NULL;
	pdhead = p->dnext;
	if (!pdhead)
		pdtail = &pdhead;
	p->queued = false;
	return p;
}

/* The key of a policy from its info and attributes. */
static void pol_key_set(struct pol_key *k, const struct xfrm_userpolicy_info *info,
			const void *rta, int left)
{
	const struct nlattr *a;

	memset(k, 0, sizeof(*k));
	k->sel = info->sel;
	k->dir = info->dir;
	a = find(rta, left, XFRMA_MARK);
	if (a && a->nla_len >= NLA_HDRLEN + sizeof(struct xfrm_mark)) {
		const struct xfrm_mark *m = (const void *)((const char *)a + NLA_HDRLEN);

		k->mark_v = m->v;
		k->mark_m = m->m;
	}
	a = find(rta, left, XFRMA_IF_ID);
	if (a && a->nla_len >= NLA_HDRLEN + sizeof(uint32_t))
		memcpy(&k->if_id, (const char *)a + NLA_HDRLEN, sizeof(k->if_id));
	a = find(rta, left, XFRMA_POLICY_TYPE);
	if (a && a->nla_len >= NLA_HDRLEN + sizeof(struct xfrm_userpolicy_type))
		k->type = ((const struct xfrm_userpolicy_type *)
			   ((const char *)a + NLA_HDRLEN))->type;
}

/* Whether a policy's outermost tunnel template is one of the group's. */
static bool pol_of_group(const struct pol *p)
{
	const struct xfrm_userpolicy_info *info = (const void *)p->raw;
	int left = p->raw_len - NLMSG_ALIGN(sizeof(*info));
	const struct nlattr *a = find(p->raw + NLMSG_ALIGN(sizeof(*info)), left, XFRMA_TMPL);
	const struct xfrm_user_tmpl *tm;
	int n;

	if (!a)
		return false;
	tm = (const void *)((const char *)a + NLA_HDRLEN);
	for (n = (a->nla_len - NLA_HDRLEN) / sizeof(*tm); n > 0; n--)
		if (tm[n - 1].mode == XFRM_MODE_TUNNEL)
			return tunnel_of_group(&tm[n - 1]);
	return false;
}

/**
 * copy_policy_event() - a policy came, changed or went (active node)
 * @nlh: XFRM_MSG_NEWPOLICY, _UPDPOLICY (an event or a dump's reply) or
 *	_DELPOLICY
 * @up: the channel to the standby is up: queue what it needs to hear
 */
void copy_policy_event(const struct nlmsghdr *nlh, bool up)
{
	const struct xfrm_userpolicy_info *info;
	const void *rta;
	struct pol_key k;
	struct pol *p;
	uint8_t *raw;
	size_t len;
	int left;

	if (nlh->nlmsg_type == XFRM_MSG_DELPOLICY) {
		const struct xfrm_userpolicy_id *id = NLMSG_DATA(nlh);
		const struct nlattr *a;

		left = (int)nlh->nlmsg_len - NLMSG_SPACE(sizeof(*id));
		rta = (const char *)id + NLMSG_ALIGN(sizeof(*id));
		a = left < 0 ? NULL : find(rta, left, XFRMA_POLICY);
		if (!a || a->nla_len < NLA_HDRLEN + sizeof(*info))
			return;
		info = (const void *)((const char *)a + NLA_HDRLEN);
		pol_key_set(&k, info, rta, left);
		p = pol_find(&k);
		if (!p)
			return;
		if (p->sent && up) {
			p->gone = true;
			pol_queue(p);
		} else if (!p->queued) {
			pol_free(p);
		} else {
			p->gone = true;
		}
		return;
	}

	info = NLMSG_DATA(nlh);
	left = (int)nlh->nlmsg_len - NLMSG_SPACE(sizeof(*info));
	if (left < 0 || info->dir >= XFRM_POLICY_MAX)
		return;
	rta = (const char *)info + NLMSG_ALIGN(sizeof(*info));
	len = filter(info, sizeof(*info), rta, left, pol_attrs,
		     sizeof(pol_attrs) / sizeof(pol_attrs[0]), &raw);
	if (!len)
		return;
	if (len > SA_RAW_MAX) {
		free(raw);
		return;
	}
	/* The standby's kernel picks its own index. */
	((struct xfrm_userpolicy_info *)raw)->index = 0;
	pol_key_set(&k, info, rta, left);
	p = pol_get(&k);
	if (!p) {
		free(raw);
		return;
	}
	if (p->raw && p->raw_len == len && !memcmp(p->raw, raw, len)) {
		free(raw);
	} else {
		free(p->raw);
		p->raw = raw;
		p->raw_len = len;
		p->sent = false;
	}
	p->gone = false;
	if (up && !p->sent && pol_of_group(p))
		pol_queue(p);
}

static void policy_dump_one(const struct nlmsghdr *nlh, void *arg)
{
	copy_policy_event(nlh, *(bool *)arg);
}

/**
 * copy_policies_read() - read every policy of the namespace (active node)
 * @up: queue those of the group for the standby
 *
 * Return: 0 or -errno.
 */
int copy_policies_read(bool up)
{
	return xfrm_dump_policies(policy_dump_one, &up);
}

/**
 * copy_policies_resend() - the standby needs every policy of the group again
 *
 * Also after the group's tunnels changed (copy_tunnel_add()).
 */
void copy_policies_resend(void)
{
	unsigned int i;
	struct pol *p;

	for (i = 0; i < POL_BUCKETS; i++)
		for (p = pols[i]; p; p = p->hnext)
			if (!p->gone && p->raw && pol_of_group(p))
				pol_queue(p);
}

/* Everything to send again, after a new standby connected. */
void copy_unsent(void)
{
	unsigned int i;
	struct pol *p;

	for (i = 0; i < POL_BUCKETS; i++)
		for (p = pols[i]; p; p = p->hnext)
			p->sent = false;
}

/* The policy record's payload, and what to do once it is sent. */
const uint8_t *copy_pol_payload(struct pol *p, size_t *len, bool *del)
{
	*del = p->gone;
	if (p->gone) {
		*len = sizeof(p->key);
		return (const uint8_t *)&p->key;
	}
	*len = p->raw_len;
	return p->raw;
}

/* A policy record went out: a deleted policy is forgotten. */
void copy_pol_sent(struct pol *p)
{
	if (p->gone)
		pol_free(p);
	else
		p->sent = true;
}

/* ---- policies on the standby ---- */

/**
 * copy_policy_install() - install a policy the active node sent (standby)
 * @raw: its description
 * @len: the description's length
 * @gen: the snapshot it came in
 *
 * Return: 0 or -errno.
 */
int copy_policy_install(const uint8_t *raw, size_t len, unsigned int gen)
{
	const struct xfrm_userpolicy_info *info = (const void *)raw;
	int left = (int)len - NLMSG_ALIGN(sizeof(*info));
	struct pol_key k;
	struct pol *p;
	int ret;

	if (left < 0)
		return -EINVAL;
	ret = xfrm_request(XFRM_MSG_UPDPOLICY, raw, len);
	if (ret)
		return ret;
	pol_key_set(&k, info, raw + NLMSG_ALIGN(sizeof(*info)), left);
	p = pol_get(&k);
	if (p)
		p->gen = gen;
	return 0;
}

static int pol_delete(const struct pol_key *k)
{
	struct {
		struct xfrm_userpolicy_id id;
		uint8_t attrs[3 * NLA_HDRLEN + sizeof(struct xfrm_mark) + 4 +
			      sizeof(struct xfrm_userpolicy_type)];
	} req;
	size_t len = NLMSG_ALIGN(sizeof(req.id));
	struct nlattr *a;

	memset(&req, 0, sizeof(req));
	req.id.sel = k->sel;
	req.id.dir = k->dir;
	if (k->mark_v || k->mark_m) {
		struct xfrm_mark m = { .v = k->mark_v, .m = k->mark_m };

		a = (struct nlattr *)((uint8_t *)&req + len);
		a->nla_type = XFRMA_MARK;
		a->nla_len = NLA_HDRLEN + sizeof(m);
		memcpy((uint8_t *)a + NLA_HDRLEN, &m, sizeof(m));
		len += NLA_ALIGN(a->nla_len);
	}
	if (k->if_id) {
		a = (struct nlattr *)((uint8_t *)&req + len);
		a->nla_type = XFRMA_IF_ID;
		a->nla_len = NLA_HDRLEN + sizeof(k->if_id);
		memcpy((uint8_t *)a + NLA_HDRLEN, &k->if_id, sizeof(k->if_id));
		len += NLA_ALIGN(a->nla_len);
	}
	if (k->type) {
		struct xfrm_userpolicy_type t = { .type = k->type };

		a = (struct nlattr *)((uint8_t *)&req + len);
		a->nla_type = XFRMA_POLICY_TYPE;
		a->nla_len = NLA_HDRLEN + sizeof(t);
		memcpy((uint8_t *)a + NLA_HDRLEN, &t, sizeof(t));
		len += NLA_ALIGN(a->nla_len);
	}
	return xfrm_request(XFRM_MSG_DELPOLICY, &req, len);
}

/**
 * copy_policy_remove() - delete a copied policy (standby)
 * @raw: the key the active node sent
 * @len: its length
 *
 * Return: 0 or -errno.
 */
int copy_policy_remove(const uint8_t *raw, size_t len)
{
	struct pol_key k;
	struct pol *p;

	if (len != sizeof(k))
		return -EINVAL;
	memcpy(&k, raw, sizeof(k));
	p = pol_find(&k);
	if (p)
		pol_free(p);
	return pol_delete(&k);
}

/**
 * copy_policies_prune() - delete the copies a full state no longer has
 * @gen: the snapshot's generation
 */
void copy_policies_prune(unsigned int gen)
{
	struct pol *p, *next;
	unsigned int i;

	for (i = 0; i < POL_BUCKETS; i++) {
		for (p = pols[i]; p; p = next) {
			next = p->hnext;
			if (p->gen == gen)
				continue;
			pol_delete(&p->key);
			pol_free(p);
		}
	}
}

/* Forget every policy (a change of role). */
void copy_forget(void)
{
	struct pol *p;
	unsigned int i;

	for (i = 0; i < POL_BUCKETS; i++)
		while ((p = pols[i]))
			pol_free(p);
}
