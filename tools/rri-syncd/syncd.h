/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rri-syncd: stateful failover for an rri HA group.
 *
 * One daemon per gateway namespace and group, on both nodes of the pair.
 * On the active node (the group is active) it follows the replay state of
 * the group's SAs (XFRM async events, at the granularity the group's
 * replay-interval sets) and streams it to the standby over a TLS 1.3
 * connection keyed with a pre-shared key. The standby applies each state to
 * its copy of the same SA (installed there by an IKE daemon's HA sync)
 * with XFRM_MSG_NEWAE, and at takeover, while the module holds the group's
 * routes back, moves the outbound sequence numbers ahead of anything the
 * old active node can have sent, then releases the group.
 *
 * sa.c keeps the SAs (struct sa), xfrm.c talks to XFRM, chan.c is the
 * channel, wire.c its records, group.c the module.
 */

#ifndef RRI_SYNCD_H
#define RRI_SYNCD_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <linux/xfrm.h>

#define SYNCD_PORT		7801
/* The longest replay bitmap XFRM has (XFRMA_REPLAY_ESN_MAX bits), in words. */
#define SA_BMP_MAX		(XFRMA_REPLAY_ESN_MAX / 32)

/* The longest SA or policy description SA-copy mode sends (copy.c). */
#define SA_RAW_MAX		3072

/* Which SA: as XFRM looks one up. */
struct sa_id {
	xfrm_address_t daddr;
	uint32_t spi;		/* network byte order */
	uint16_t family;
	uint8_t proto;
};

/* An SA's replay state and lifetime counters, as XFRM reports them. */
struct sa_state {
	bool esn;
	uint32_t oseq, seq, oseq_hi, seq_hi;
	uint32_t replay_window;	/* ESN: in packets */
	uint32_t bmp_len;	/* ESN: words of bmp; otherwise 1 */
	uint32_t bmp[SA_BMP_MAX];
	struct xfrm_lifetime_cur lft;
};

/**
 * struct sa - an SA of the group
 * @hnext: the next in its bucket of the table by @id
 * @dnext: the next SA whose state is still to be sent (active)
 * @queued: on that list
 * @id: the SA
 * @saddr: its source
 * @mark: its mark value
 * @reqid: its reqid
 * @out: outbound (the module's RRI_SA_DIR_OUT)
 * @member: the module names it the group's (its last dump)
 * @gen: the generation of the snapshot or dump that last saw it
 * @have: @st holds a state
 * @st: active: the newest state; standby: the newest synced one
 * @at: standby: when @st arrived (ms, CLOCK_MONOTONIC)
 * @rate: standby: packets per second the outbound counter moved lately
 * @applied: standby: @st went into the local SA
 * @seen: in the XFRM dump being read
 * @local: at takeover: the local SA's state before it changes
 * @raw: SA-copy mode, active: the SA's description to send (copy.c)
 * @raw_len: its length
 * @raw_sent: the standby has it
 * @copied: SA-copy mode, standby: installed here from @raw
 */
struct sa {
	struct sa *hnext;
	struct sa *dnext;
	bool queued;
	struct sa_id id;
	xfrm_address_t saddr;
	uint32_t mark;
	uint32_t reqid;
	bool out;
	bool member;
	unsigned int gen;
	bool have;
	struct sa_state st;
	uint64_t at;
	uint64_t rate;
	bool applied;
	bool seen;
	struct sa_state *local;
	uint8_t *raw;
	uint16_t raw_len;
	bool raw_sent;
	bool copied;
};

/* What finds a policy: as XFRM_MSG_DELPOLICY takes it. */
struct pol_key {
	struct xfrm_selector sel;
	uint32_t mark_v, mark_m;
	uint32_t if_id;
	uint8_t dir;
	uint8_t type;
	uint8_t pad[2];
};

static inline uint64_t sa_oseq64(const struct sa_state *st)
{
	return (uint64_t)(st->esn ? st->oseq_hi : 0) << 32 | st->oseq;
}

static inline uint64_t sa_seq64(const struct sa_state *st)
{
	return (uint64_t)(st->esn ? st->seq_hi : 0) << 32 | st->seq;
}

/* sa.c */
struct sa *sa_find(const struct sa_id *id);
struct sa *sa_get(const struct sa_id *id);
void sa_del(struct sa *sa);
void sa_for_each(void (*fn)(struct sa *sa, void *arg), void *arg);
unsigned int sa_count(void);
void sa_mark_dirty(struct sa *sa);
struct sa *sa_next_dirty(void);
bool sa_queue_empty(void);
void sa_clear_dirty(void);
void sa_id_str(const struct sa_id *id, char *buf, size_t len);

/* copy.c */
struct pol;
struct nlmsghdr;
void copy_sa_keep(struct sa *sa, const struct nlmsghdr *nlh);
int copy_sa_install(const uint8_t *raw, size_t len, struct sa_id *id);
int copy_sa_remove(const struct sa *sa);
void copy_tunnels_reset(void);
void copy_tunnel_add(const struct sa *sa);
void copy_policy_event(const struct nlmsghdr *nlh, bool up);
int copy_policies_read(bool up);
void copy_policies_resend(void);
void copy_unsent(void);
struct pol *copy_pol_next(void);
const uint8_t *copy_pol_payload(struct pol *p, size_t *len, bool *del);
void copy_pol_sent(struct pol *p);
int copy_policy_install(const uint8_t *raw, size_t len, unsigned int gen);
int copy_policy_remove(const uint8_t *raw, size_t len);
void copy_policies_prune(unsigned int gen);
void copy_forget(void);

/* xfrm.c */
int xfrm_open(void);
int xfrm_events_fd(void);
int xfrm_aevents(bool on);
typedef void (*xfrm_sa_fn)(const struct sa_id *id, const struct sa_state *st,
			   const struct nlmsghdr *nlh, void *arg);
int xfrm_dump(xfrm_sa_fn fn, void *arg);
int xfrm_dump_policies(void (*fn)(const struct nlmsghdr *nlh, void *arg), void *arg);
int xfrm_apply(const struct sa *sa, const struct sa_state *st);
int xfrm_request(uint16_t type, const void *body, size_t len);
/* What xfrm_read_events() saw. */
struct xfrm_ops {
	/* an async event's state, or an SA's with its XFRM_MSG_NEWSA or _UPDSA */
	void (*state)(const struct sa_id *id, const struct sa_state *st,
		      const struct nlmsghdr *nlh);
	void (*policy)(const struct nlmsghdr *nlh);	/* a policy came, changed, went */
	void (*changed)(void);	/* SAs came or went: the group's may differ */
	void (*deleted)(const struct sa_id *id);
	void (*lost)(void);	/* events were dropped */
};
int xfrm_read_events(const struct xfrm_ops *ops);

/* group.c: the module */
struct group_info {
	bool active;
	bool held;
	bool replay;
	uint32_t replay_out;
};
int group_open(const char *name);
int group_events_fd(void (*changed)(void));
int group_query(struct group_info *gi);
typedef void (*group_sa_fn)(const struct sa_id *id, const xfrm_address_t *saddr,
			    uint32_t mark, uint32_t reqid, bool out, void *arg);
int group_sas(group_sa_fn fn, void *arg);
int group_release(void);
int group_report(uint8_t state, const char *peer, uint32_t sas, uint32_t lag,
		 uint64_t updates);
int group_read_events(void);

/* main.c */
uint64_t now_ms(void);
void log_msg(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void pr_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* RRI_SYNCD_H */
