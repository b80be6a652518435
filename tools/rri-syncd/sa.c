// SPDX-License-Identifier: GPL-2.0
/*
 * rri-syncd: the group's SAs, by id, and the queue of those whose state is
 * still to be sent. The queue holds each SA once, however often its state
 * changes before the channel takes it: what is queued is bounded by the
 * group's SAs, and the newest state is what is sent.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "syncd.h"

#define SA_BUCKETS	16384

static struct sa *buckets[SA_BUCKETS];
static unsigned int nsas;
static struct sa *dhead, **dtail = &dhead;

static unsigned int sa_hash(const struct sa_id *id)
{
	uint32_t h = id->spi ^ id->proto ^ (uint32_t)id->family << 8;
	unsigned int i;

	for (i = 0; i < 4; i++)
		h = (h ^ id->daddr.a6[i]) * 0x9e3779b1u;
	return (h ^ h >> 16) % SA_BUCKETS;
}

static bool sa_id_eq(const struct sa_id *a, const struct sa_id *b)
{
	return a->spi == b->spi && a->proto == b->proto && a->family == b->family &&
	       !memcmp(&a->daddr, &b->daddr, sizeof(a->daddr));
}

/* The SA with @id, or NULL. */
struct sa *sa_find(const struct sa_id *id)
{
	struct sa *sa;

	for (sa = buckets[sa_hash(id)]; sa; sa = sa->hnext)
		if (sa_id_eq(&sa->id, id))
			return sa;
	return NULL;
}

/* The SA with @id, added if it is new; NULL without memory. */
struct sa *sa_get(const struct sa_id *id)
{
	struct sa *sa = sa_find(id);
	unsigned int h;

	if (sa)
		return sa;
	sa = calloc(1, sizeof(*sa));
	if (!sa)
		return NULL;
	sa->id = *id;
	h = sa_hash(id);
	sa->hnext = buckets[h];
	buckets[h] = sa;
	nsas++;
	return sa;
}

/* Forget an SA (it is taken off the queue too). */
void sa_del(struct sa *sa)
{
	struct sa **p;

	if (sa->queued) {
		for (p = &dhead; *p != sa; p = &(*p)->dnext)
			;
		*p = sa->dnext;
		if (dtail == &sa->dnext)
			dtail = p;
	}
	for (p = &buckets[sa_hash(&sa->id)]; *p != sa; p = &(*p)->hnext)
		;
	*p = sa->hnext;
	nsas--;
	free(sa->local);
	free(sa);
}

/* Call @fn for each SA; @fn may delete the SA it is given. */
void sa_for_each(void (*fn)(struct sa *sa, void *arg), void *arg)
{
	struct sa *sa, *next;
	unsigned int i;

	for (i = 0; i < SA_BUCKETS; i++) {
		for (sa = buckets[i]; sa; sa = next) {
			next = sa->hnext;
			fn(sa, arg);
		}
	}
}

unsigned int sa_count(void)
{
	return nsas;
}

/* Queue an SA's state to be sent, once. */
void sa_mark_dirty(struct sa *sa)
{
	if (sa->queued)
		return;
	sa->queued = true;
	sa->dnext = NULL;
	*dtail = sa;
	dtail = &sa->dnext;
}

/* Take the first queued SA off the queue; NULL if none is. */
struct sa *sa_next_dirty(void)
{
	struct sa *sa = dhead;

	if (!sa)
		return NULL;
	dhead = sa->dnext;
	if (!dhead)
		dtail = &dhead;
	sa->queued = false;
	return sa;
}

bool sa_queue_empty(void)
{
	return !dhead;
}

/* Empty the queue. */
void sa_clear_dirty(void)
{
	while (sa_next_dirty())
		;
}

/* "esp spi 0xc0ffee01 dst 192.0.2.1", for the log. */
void sa_id_str(const struct sa_id *id, char *buf, size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(id->family, &id->daddr, addr, sizeof(addr));
	snprintf(buf, len, "%s spi 0x%08x dst %s",
		 id->proto == IPPROTO_AH ? "ah" : id->proto == IPPROTO_ESP ? "esp" : "proto",
		 ntohl(id->spi), addr);
}
