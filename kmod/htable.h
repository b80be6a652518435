/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_HTABLE_H
#define _RRI_HTABLE_H

#include <linux/types.h>

/*
 * A resizable hash table with singly linked chains, for tables that are
 * only ever used under one mutex (rri_net.lock).
 *
 * rhashtable would cost more than twice as much per entry here: its
 * lockless readers need a bucket array with a header, which kmalloc rounds
 * up to the next power of two, and it grows at 75% load. rri reads and
 * changes its tables under the namespace's mutex only, so a chain link
 * per entry and a bucket per one to four entries is all it needs.
 */

struct rri_hnode {
	struct rri_hnode *next;
};

/**
 * struct rri_htable - the table
 * @buckets: 1 << @shift chain heads, or NULL while the table is empty
 * @hashfn: an entry's hash under @seed; the same the caller looks it up by
 * @count: entries
 * @shift: log2 of the number of buckets
 * @seed: hash seed, random per table
 * @gen: changes with every insertion, removal and resize, so that a walk
 *	resumed later (a netlink dump) can tell whether it missed something
 */
struct rri_htable {
	struct rri_hnode **buckets;
	u32 (*hashfn)(const struct rri_hnode *node, u32 seed);
	unsigned int count;
	unsigned int shift;
	u32 seed;
	u32 gen;
};

void rri_htable_init(struct rri_htable *t,
		     u32 (*hashfn)(const struct rri_hnode *node, u32 seed));
void rri_htable_destroy(struct rri_htable *t);
int rri_htable_insert(struct rri_htable *t, struct rri_hnode *node);
void rri_htable_remove(struct rri_htable *t, struct rri_hnode *node);
void rri_htable_compact(struct rri_htable *t);
struct rri_hnode *rri_htable_next(const struct rri_htable *t,
				  const struct rri_hnode *node,
				  unsigned int *bucket);

/* The chain that entries of hash @hash are on (NULL if empty). */
static inline struct rri_hnode *rri_htable_chain(const struct rri_htable *t,
						 u32 hash)
{
	if (!t->buckets)
		return NULL;
	return t->buckets[hash & ((1U << t->shift) - 1)];
}

#endif /* _RRI_HTABLE_H */
