// SPDX-License-Identifier: GPL-2.0
/*
 * A resizable hash table for tables used under one mutex (see htable.h).
 *
 * The table doubles when it holds more than four entries per bucket and
 * halves, in rri_htable_compact(), when it holds fewer than one: chains
 * stay short and a bucket costs 2 to 8 bytes per entry.
 * Removing never resizes, so a walk may remove the entry it is at.
 */

#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "htable.h"

#define RRI_HTABLE_MIN_SHIFT	4

/**
 * rri_htable_init() - set up an empty table (allocates nothing)
 * @t: the table
 * @hashfn: hash of an entry, given the table's seed
 */
void rri_htable_init(struct rri_htable *t,
		     u32 (*hashfn)(const struct rri_hnode *node, u32 seed))
{
	memset(t, 0, sizeof(*t));
	t->hashfn = hashfn;
	t->seed = get_random_u32();
}

/**
 * rri_htable_destroy() - free an empty table's buckets
 * @t: the table, with no entry left
 */
void rri_htable_destroy(struct rri_htable *t)
{
	WARN_ON(t->count);
	kvfree(t->buckets);
	t->buckets = NULL;
}

/* Move every entry to a bucket array of 1 << @shift; false if no memory. */
static bool rri_htable_rehash(struct rri_htable *t, unsigned int shift)
{
	struct rri_hnode **buckets, *node, *next;
	unsigned int i, mask = (1U << shift) - 1;
	u32 h;

	buckets = kvcalloc(1U << shift, sizeof(*buckets), GFP_KERNEL_ACCOUNT);
	if (!buckets)
		return false;

	for (i = 0; t->buckets && i < (1U << t->shift); i++) {
		for (node = t->buckets[i]; node; node = next) {
			next = node->next;
			h = t->hashfn(node, t->seed) & mask;
			node->next = buckets[h];
			buckets[h] = node;
		}
	}
	kvfree(t->buckets);
	t->buckets = buckets;
	t->shift = shift;
	t->gen++;
	return true;
}

/* Grow to at most four entries per bucket, one step or several. */
static void rri_htable_grow(struct rri_htable *t)
{
	unsigned int shift = t->shift;

	while (t->count > (4U << shift) && shift < 28)
		shift++;
	if (shift != t->shift)
		rri_htable_rehash(t, shift);
}

/**
 * rri_htable_insert() - add an entry
 * @t: the table
 * @node: the entry's link; the entry must not be in @t
 *
 * May sleep. Entries with equal keys may coexist: the caller looks up
 * before inserting when keys must be unique.
 *
 * Return: 0, or -ENOMEM if the table had no buckets and none could be
 * allocated (a table that fails to grow keeps working, with longer chains).
 */
int rri_htable_insert(struct rri_htable *t, struct rri_hnode *node)
{
	struct rri_hnode **head;

	if (!t->buckets && !rri_htable_rehash(t, RRI_HTABLE_MIN_SHIFT))
		return -ENOMEM;
	rri_htable_grow(t);

	head = &t->buckets[t->hashfn(node, t->seed) & ((1U << t->shift) - 1)];
	node->next = *head;
	*head = node;
	t->count++;
	t->gen++;
	return 0;
}

/**
 * rri_htable_remove() - take an entry out
 * @t: the table
 * @node: the entry's link; the entry must be in @t
 *
 * Never resizes, and leaves @node->next as it was, so a walk standing on
 * @node can go on from it.
 */
void rri_htable_remove(struct rri_htable *t, struct rri_hnode *node)
{
	struct rri_hnode **pp;
	u32 h = t->hashfn(node, t->seed) & ((1U << t->shift) - 1);

	for (pp = &t->buckets[h]; *pp; pp = &(*pp)->next) {
		if (*pp == node) {
			*pp = node->next;
			t->count--;
			t->gen++;
			return;
		}
	}
	WARN_ON_ONCE(1);
}

/**
 * rri_htable_compact() - shrink a table that lost most of its entries
 * @t: the table; nobody may be walking it
 */
void rri_htable_compact(struct rri_htable *t)
{
	unsigned int shift = t->shift;

	if (!t->buckets)
		return;
	if (!t->count) {
		kvfree(t->buckets);
		t->buckets = NULL;
		t->shift = 0;
		t->gen++;
		return;
	}
	while (shift > RRI_HTABLE_MIN_SHIFT && t->count < (1U << shift))
		shift--;
	if (shift != t->shift)
		rri_htable_rehash(t, shift);
}

/**
 * rri_htable_next() - the entry after @node in bucket order
 * @t: the table
 * @node: the current entry, or NULL to start
 * @bucket: the bucket @node is in (in), the returned entry's (out)
 *
 * Return: the next entry, or NULL at the end.
 */
struct rri_hnode *rri_htable_next(const struct rri_htable *t,
				  const struct rri_hnode *node,
				  unsigned int *bucket)
{
	unsigned int i = *bucket;

	if (node) {
		if (node->next)
			return node->next;
		i++;
	}
	for (; t->buckets && i < (1U << t->shift); i++) {
		if (t->buckets[i]) {
			*bucket = i;
			return t->buckets[i];
		}
	}
	*bucket = i;
	return NULL;
}
