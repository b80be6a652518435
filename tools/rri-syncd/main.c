// SPDX-License-Identifier: GPL-2.0
/*
 * rri-syncd: the daemon's loop and its two roles (see syncd.h).
 *
 * The role is the group's, as the rri module has it: the daemon reads it at
 * start and whenever the module announces a change.
 *
 * Active: listens for the standby; once a connection's handshake is done,
 * sends HELLO and a full state (every SA of the group with its replay state,
 * ended by SNAP_END), then each SA's new state as XFRM's async events tell
 * it, each SA queued once however often it changes meanwhile, and a
 * HEARTBEAT each second.
 *
 * Standby: connects to the peer, with backoff; applies each state to the
 * local SA of the same id with XFRM_MSG_NEWAE, never moving a counter back
 * (XFRM would take it); keeps the newest state of each SA.
 *
 * Takeover (the group becomes active; the module holds its routes back if
 * it has a hold): each outbound SA of the group gets a sequence number past
 * what the old active node can have sent (the newest synced or local one,
 * whichever is higher, plus the outbound replay-interval, the margin and
 * twice what the SA sends in a second and a half at the rate last seen),
 * each inbound SA the newest synced state; then the group is released and
 * its routes go in.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/wait.h>

#include "../rrictl/netns.h"
#include "../rrictl/nl.h"
#include "chan.h"
#include "syncd.h"
#include "wire.h"

#ifndef RRI_VERSION
#define RRI_VERSION "0"
#endif

#define HEARTBEAT_MS		1000
/* A peer silent this long (no record, no heartbeat) is taken for gone. */
#define SILENCE_MS		5000
#define REPORT_MS		1000
#define BACKOFF_MIN_MS		250
#define BACKOFF_MAX_MS		5000
#define HANDSHAKE_MS		5000
#define MEMBERS_DELAY_MS	100
/* Maps and policies change without an SA event: the module is asked again. */
#define MEMBERS_EVERY_MS	5000
#define MARGIN_DEFAULT		16384

enum role { ROLE_NONE, ROLE_ACTIVE, ROLE_STANDBY };

static struct {
	const char *group;
	const char *peer_text;
	struct sockaddr_storage peer, listen;
	socklen_t peer_len, listen_len;
	uint32_t margin;
	bool verbose;
	bool copy;			/* --mode sa */
	const char *rekey_cmd;		/* --rekey-on-takeover */
} opt = { .margin = MARGIN_DEFAULT };

static volatile sig_atomic_t stop;
static enum role role = ROLE_NONE;
static bool role_check = true;
static uint32_t replay_out;
static int lfd = -1;
static struct chan *conn;	/* the peer: established, or being set up */
static struct chan *cand;	/* active: an accepted connection in its handshake */
static uint64_t cand_since, conn_since;
static uint64_t next_connect, backoff = BACKOFF_MIN_MS;

/* Sync state, as reported to the module. */
static uint8_t sync_state = RRI_SYNC_DOWN;
static uint64_t updates, last_rx, last_tx, next_report;
static bool report_now = true;

/* Active: the group's SAs as the module names them; their generation. */
static unsigned int gen;
static bool members_dirty = true;
static uint64_t members_due, members_next;
static bool snap_pending;	/* SNAP_END is owed once the queue is sent */

/* Standby: the generation of the snapshot being received. */
static unsigned int snap_gen;

uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void log_msg(int prio, const char *fmt, ...)
{
	va_list ap;

	if (prio == LOG_DEBUG && !opt.verbose)
		return;
	fputs("rri-syncd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* For rrictl's nl.c, which reports the module's errors through it. */
void pr_err(const char *fmt, ...)
{
	va_list ap;

	fputs("rri-syncd: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void set_state(uint8_t state)
{
	if (sync_state != state)
		report_now = true;
	sync_state = state;
}

/* Active: the group's SAs; standby: those in step with the active node. */
static void count_one(struct sa *sa, void *arg)
{
	unsigned int *n = arg;

	if (role == ROLE_ACTIVE ? sa->member : sa->applied)
		(*n)++;
}

static unsigned int count_sas(void)
{
	unsigned int n = 0;

	sa_for_each(count_one, &n);
	return n;
}

static void report(uint64_t now)
{
	uint32_t lag = 0;

	if (!report_now && now < next_report)
		return;
	if (role == ROLE_STANDBY && sync_state != RRI_SYNC_DOWN)
		lag = (uint32_t)(now - last_rx);
	group_report(sync_state, conn ? chan_peer(conn) : opt.peer_text, count_sas(), lag,
		     updates);
	report_now = false;
	next_report = now + REPORT_MS;
}

/* ---- the group's SAs, as the module names them ---- */

static void member_one(const struct sa_id *id, const xfrm_address_t *saddr, uint32_t mark,
		       uint32_t reqid, bool out, void *arg)
{
	struct sa *sa = sa_get(id);

	(void)arg;
	if (!sa) {
		log_msg(LOG_ERR, "out of memory for an SA");
		return;
	}
	sa->saddr = *saddr;
	sa->mark = mark;
	sa->reqid = reqid;
	sa->out = out;
	if (!sa->member && sa->have && conn && chan_up(conn))
		sa_mark_dirty(sa);
	sa->member = true;
	sa->gen = gen;
	if (opt.copy)
		copy_tunnel_add(sa);
}

/*
 * Not in the module's last dump: no longer the group's (or gone). An active
 * node tells the standby to forget it; the entry stays, as one of the
 * namespace's other SAs, until XFRM deletes it.
 */
static void member_prune(struct sa *sa, void *arg)
{
	(void)arg;
	if (sa->gen == gen || !sa->member)
		return;
	sa->member = false;
	if (role == ROLE_ACTIVE && conn && chan_up(conn))
		sa_mark_dirty(sa);
}

/* Read the group's SAs from the module. */
static int members_refresh(void)
{
	members_next = now_ms() + MEMBERS_EVERY_MS;
	gen++;
	if (opt.copy)
		copy_tunnels_reset();
	if (group_sas(member_one, NULL))
		return -1;
	sa_for_each(member_prune, NULL);
	members_dirty = false;
	/* The tunnels may have changed: so may the group's policies. */
	if (opt.copy && role == ROLE_ACTIVE && conn && chan_up(conn))
		copy_policies_resend();
	return 0;
}

/* ---- active ---- */

static void state_store(struct sa *sa, const struct sa_state *st,
			const struct nlmsghdr *nlh)
{
	if (opt.copy && nlh)
		copy_sa_keep(sa, nlh);
	sa->st = *st;
	sa->have = true;
	if (sa->member && conn && chan_up(conn))
		sa_mark_dirty(sa);
}

static void dump_one(const struct sa_id *id, const struct sa_state *st,
		     const struct nlmsghdr *nlh, void *arg)
{
	struct sa *sa = sa_find(id);

	(void)arg;
	if (sa)
		state_store(sa, st, nlh);
}

static void members_soon(void)
{
	if (members_dirty)
		return;
	members_dirty = true;
	members_due = now_ms() + MEMBERS_DELAY_MS;
}

static void xfrm_state_cb(const struct sa_id *id, const struct sa_state *st,
			  const struct nlmsghdr *nlh)
{
	struct sa *sa;

	if (role != ROLE_ACTIVE)
		return;
	sa = sa_find(id);
	if (!sa) {
		/* New here: kept as one of the namespace's SAs until the module says. */
		sa = sa_get(id);
		if (!sa)
			return;
		members_soon();
	}
	state_store(sa, st, nlh);
}

static void xfrm_policy_cb(const struct nlmsghdr *nlh)
{
	if (opt.copy && role == ROLE_ACTIVE)
		copy_policy_event(nlh, conn && chan_up(conn));
}

static void xfrm_changed_cb(void)
{
	/* Active: the group's SAs may differ; standby: a synced SA may be here now. */
	members_soon();
}

static void xfrm_deleted_cb(const struct sa_id *id)
{
	struct sa *sa = sa_find(id);

	if (!sa || role != ROLE_ACTIVE)
		return;
	if (sa->member && conn && chan_up(conn)) {
		sa->member = false;
		sa->have = false;
		sa_mark_dirty(sa);	/* sent as a DELETE, then forgotten */
	} else if (!sa->queued) {
		sa_del(sa);
	} else {
		sa->member = false;
		sa->have = false;
	}
}

static void unsee(struct sa *sa, void *arg)
{
	(void)arg;
	sa->seen = false;
}

static void see(const struct sa_id *id, const struct sa_state *st,
		const struct nlmsghdr *nlh, void *arg)
{
	struct sa *sa = sa_find(id);

	(void)arg;
	if (sa) {
		sa->seen = true;
		state_store(sa, st, nlh);
	}
}

/* Not in XFRM's dump: its DELSA was among the lost events. */
static void unseen_gone(struct sa *sa, void *arg)
{
	(void)arg;
	if (!sa->seen)
		xfrm_deleted_cb(&sa->id);
}

/* Events were lost: read every SA's state again and send them all. */
static void xfrm_lost_cb(void)
{
	log_msg(LOG_WARNING, "XFRM events were lost: reading every SA again");
	if (role != ROLE_ACTIVE)
		return;
	members_refresh();
	sa_for_each(unsee, NULL);
	if (!xfrm_dump(see, NULL))
		sa_for_each(unseen_gone, NULL);
	if (opt.copy)
		copy_policies_read(conn && chan_up(conn));
}

static const struct xfrm_ops xfrm_ops = {
	.state = xfrm_state_cb,
	.policy = xfrm_policy_cb,
	.changed = xfrm_changed_cb,
	.deleted = xfrm_deleted_cb,
	.lost = xfrm_lost_cb,
};

static void queue_all(struct sa *sa, void *arg)
{
	(void)arg;
	sa->raw_sent = false;
	if (sa->member && sa->have)
		sa_mark_dirty(sa);
}

static int send_rec(const uint8_t *rec, size_t len)
{
	if (chan_send(conn, rec, len))
		return -1;
	last_tx = now_ms();
	return 0;
}

/* A standby's handshake is done: HELLO, then the full state. */
static int active_start_stream(void)
{
	struct wire_hello h = {
		.mode = opt.copy ? WIRE_MODE_SA : WIRE_MODE_COUNTERS,
		.replay_out = replay_out,
	};
	uint8_t rec[WIRE_MAX];

	log_msg(LOG_INFO, "standby %s connected: sending the full state", chan_peer(conn));
	snprintf(h.group, sizeof(h.group), "%s", opt.group);
	sa_clear_dirty();
	members_refresh();
	xfrm_dump(dump_one, NULL);
	sa_for_each(queue_all, NULL);
	if (opt.copy) {
		copy_unsent();
		copy_policies_read(true);
	}
	snap_pending = true;
	set_state(RRI_SYNC_RESYNC);
	if (send_rec(rec, wire_hello(rec, &h)) ||
	    send_rec(rec, wire_empty(rec, WIRE_SNAP_BEGIN)))
		return -1;
	return 0;
}

/* Fill the channel from the queue while it has room. */
static int active_fill(void)
{
	uint8_t rec[WIRE_MAX];
	const uint8_t *raw;
	struct pol *p = NULL;
	struct sa *sa;
	size_t len;
	bool del;

	/* SA-copy mode: the group's policies first. */
	while (chan_room(conn) >= WIRE_MAX && (p = copy_pol_next())) {
		raw = copy_pol_payload(p, &len, &del);
		if (send_rec(rec, wire_raw(rec, del ? WIRE_POLICY_DEL : WIRE_POLICY, raw, len)))
			return -1;
		copy_pol_sent(p);
	}
	while (chan_room(conn) >= 2 * WIRE_MAX && (sa = sa_next_dirty())) {
		if (!sa->member) {
			if (send_rec(rec, wire_delete(rec, &sa->id)))
				return -1;
			sa_del(sa);
			continue;
		}
		if (opt.copy && sa->raw && !sa->raw_sent) {
			if (send_rec(rec, wire_raw(rec, WIRE_SA, sa->raw, sa->raw_len)))
				return -1;
			sa->raw_sent = true;
		}
		if (send_rec(rec, wire_state(rec, sa)))
			return -1;
		updates++;
	}
	if (snap_pending && !p && sa_queue_empty() && chan_room(conn) >= WIRE_MAX) {
		snap_pending = false;
		if (send_rec(rec, wire_count(rec, WIRE_SNAP_END, sa_count())))
			return -1;
		set_state(RRI_SYNC_UP);
		log_msg(LOG_INFO, "standby %s has the full state (%u SAs)", chan_peer(conn),
			sa_count());
	}
	if (now_ms() - last_tx >= HEARTBEAT_MS && chan_room(conn) >= WIRE_MAX &&
	    send_rec(rec, wire_count(rec, WIRE_HEARTBEAT, sa_count())))
		return -1;
	return chan_push(conn);
}

/* The active node reads only the standby's heartbeats. */
static int active_record(struct chan *ch, uint8_t type, const uint8_t *p, size_t len)
{
	(void)ch;
	(void)p;
	(void)len;
	if (type == WIRE_HEARTBEAT)
		last_rx = now_ms();
	return 0;
}

/* ---- standby ---- */

static void standby_state(const uint8_t *p, size_t len)
{
	struct sa_state st;
	xfrm_address_t saddr;
	uint32_t mark, reqid;
	char name[80];
	struct sa_id id;
	struct sa *sa;
	uint64_t now = now_ms();
	bool out;
	int ret;

	if (wire_parse_state(p, len, &id, &saddr, &mark, &reqid, &out, &st)) {
		log_msg(LOG_WARNING, "a malformed state record: skipped");
		return;
	}
	sa = sa_get(&id);
	if (!sa)
		return;
	sa_id_str(&id, name, sizeof(name));
	if (sa->have && (sa_oseq64(&st) < sa_oseq64(&sa->st) ||
			 sa_seq64(&st) < sa_seq64(&sa->st))) {
		log_msg(LOG_WARNING, "%s: a state older than the one synced: refused", name);
		return;
	}
	if (sa->have && now > sa->at)
		sa->rate = (sa_oseq64(&st) - sa_oseq64(&sa->st)) * 1000 / (now - sa->at);
	sa->saddr = saddr;
	sa->mark = mark;
	sa->reqid = reqid;
	sa->out = out;
	sa->st = st;
	sa->have = true;
	sa->at = now;
	sa->gen = snap_gen;
	ret = xfrm_apply(sa, &st);
	if (!ret) {
		if (!sa->applied)
			log_msg(LOG_DEBUG, "%s: in step", name);
		sa->applied = true;
		updates++;
	} else {
		/* -ESRCH: the IKE daemon's HA sync has not installed it yet. */
		if (sa->applied || ret != -ESRCH)
			log_msg(ret == -ESRCH ? LOG_DEBUG : LOG_WARNING, "%s: cannot apply: %s",
				name, strerror(-ret));
		sa->applied = false;
	}
}

static void retry_one(struct sa *sa, void *arg)
{
	(void)arg;
	if (sa->have && !sa->applied && !xfrm_apply(sa, &sa->st)) {
		sa->applied = true;
		updates++;
	}
}

/* SAs came: the IKE daemon's HA sync may have installed those synced before. */
static void standby_retry(void)
{
	members_dirty = false;
	sa_for_each(retry_one, NULL);
}

/* Not in the full state: gone on the active node (its copy too). */
static void snap_prune(struct sa *sa, void *arg)
{
	(void)arg;
	if (sa->gen == snap_gen)
		return;
	if (sa->copied)
		copy_sa_remove(sa);
	sa_del(sa);
}

/* SA-copy mode: an SA's description: install it, its state follows. */
static void standby_copy_sa(const uint8_t *p, size_t len)
{
	struct sa_id id;
	char name[80];
	struct sa *sa;
	int ret;

	ret = copy_sa_install(p, len, &id);
	sa_id_str(&id, name, sizeof(name));
	if (ret) {
		log_msg(LOG_WARNING, "%s: cannot install the copy: %s", name, strerror(-ret));
		return;
	}
	sa = sa_get(&id);
	if (!sa)
		return;
	if (!sa->copied)
		log_msg(LOG_DEBUG, "%s: copied", name);
	sa->copied = true;
	sa->gen = snap_gen;
}

static int standby_record(struct chan *ch, uint8_t type, const uint8_t *p, size_t len)
{
	struct wire_hello h;
	struct sa_id id;
	struct sa *sa;

	last_rx = now_ms();
	switch (type) {
	case WIRE_HELLO:
		if (wire_parse_hello(p, len, &h))
			return -1;
		if (strcmp(h.group, opt.group)) {
			log_msg(LOG_WARNING, "%s serves group %s, not %s", chan_peer(ch), h.group,
				opt.group);
			return -1;
		}
		if (h.mode != (opt.copy ? WIRE_MODE_SA : WIRE_MODE_COUNTERS)) {
			log_msg(LOG_WARNING, "%s runs --mode %s, this node --mode %s", chan_peer(ch),
				h.mode == WIRE_MODE_SA ? "sa" : "counters",
				opt.copy ? "sa" : "counters");
			return -1;
		}
		log_msg(LOG_INFO, "connected to the active node %s", chan_peer(ch));
		backoff = BACKOFF_MIN_MS;
		return 0;
	case WIRE_SNAP_BEGIN:
		snap_gen++;
		set_state(RRI_SYNC_RESYNC);
		return 0;
	case WIRE_STATE:
		standby_state(p, len);
		return 0;
	case WIRE_SNAP_END:
		sa_for_each(snap_prune, NULL);
		if (opt.copy)
			copy_policies_prune(snap_gen);
		set_state(RRI_SYNC_UP);
		log_msg(LOG_INFO, "in step with %s: %u SAs", chan_peer(ch), sa_count());
		return 0;
	case WIRE_DELETE:
		if (!wire_parse_delete(p, len, &id) && (sa = sa_find(&id))) {
			if (sa->copied)
				copy_sa_remove(sa);
			sa_del(sa);
		}
		return 0;
	case WIRE_HEARTBEAT:
		return 0;
	case WIRE_SA:
	case WIRE_POLICY:
	case WIRE_POLICY_DEL:
		if (!opt.copy)
			break;
		if (type == WIRE_SA)
			standby_copy_sa(p, len);
		else if (type == WIRE_POLICY && copy_policy_install(p, len, snap_gen))
			log_msg(LOG_WARNING, "cannot install a copied policy");
		else if (type == WIRE_POLICY_DEL)
			copy_policy_remove(p, len);
		return 0;
	}
	log_msg(LOG_WARNING, "%s sent a record of unknown type %u: skipped", chan_peer(ch), type);
	return 0;
}

/* The standby's heartbeat, so that the active node notices a silent one. */
static int standby_heartbeat(void)
{
	uint8_t rec[WIRE_MAX];

	if (now_ms() - last_tx < HEARTBEAT_MS || chan_room(conn) < WIRE_MAX)
		return chan_push(conn);
	return send_rec(rec, wire_count(rec, WIRE_HEARTBEAT, updates)) ?: chan_push(conn);
}

/* ---- takeover ---- */

/* The local state of each of the group's SAs, read before any is changed. */
static void takeover_collect(const struct sa_id *id, const struct sa_state *local,
			     const struct nlmsghdr *nlh, void *arg)
{
	struct sa *sa = sa_find(id);

	(void)nlh;
	(void)arg;
	if (!sa || sa->gen != gen || sa->local)
		return;
	sa->local = malloc(sizeof(*sa->local));
	if (sa->local)
		*sa->local = *local;
	else
		log_msg(LOG_ERR, "out of memory at takeover");
}

static void takeover_one(struct sa *sa, void *arg)
{
	const struct sa_state *local = sa->local;
	uint64_t now = *(uint64_t *)arg;
	struct sa_state st;
	uint64_t seq, jump;
	char name[80];
	int ret;

	if (sa->gen != gen || !local)
		return;
	sa_id_str(&sa->id, name, sizeof(name));
	if (!sa->out) {
		/* Inbound: the newest synced state, unless the SA is past it. */
		if (!sa->have || sa_seq64(&sa->st) < sa_seq64(local))
			goto out;
		st = sa->st;
	} else {
		st = *local;
		seq = sa_oseq64(local);
		if (sa->have && sa_oseq64(&sa->st) > seq)
			seq = sa_oseq64(&sa->st);
		jump = (uint64_t)replay_out + opt.margin;
		if (sa->have) {
			jump += 2 * sa->rate * (now - sa->at + 1500) / 1000;
			st.lft = sa->st.lft;
		}
		seq += jump;
		if (st.esn) {
			st.oseq = (uint32_t)seq;
			st.oseq_hi = (uint32_t)(seq >> 32);
		} else {
			st.oseq = seq > UINT32_MAX ? UINT32_MAX : (uint32_t)seq;
		}
		log_msg(LOG_DEBUG, "%s: outbound sequence %llu -> %llu", name,
			(unsigned long long)sa_oseq64(local), (unsigned long long)seq);
	}
	ret = xfrm_apply(sa, &st);
	if (ret)
		log_msg(LOG_WARNING, "%s: cannot set its counters: %s", name, strerror(-ret));
out:
	free(sa->local);
	sa->local = NULL;
}

static void count_takeover(struct sa *sa, void *arg)
{
	unsigned int *n = arg;

	if (sa->gen != gen)
		return;
	n[sa->out ? 0 : 1]++;
	if (!sa->have)
		n[2]++;
}

/*
 * --rekey-on-takeover: the command that makes the IKE daemon renegotiate
 * the tunnels whose SAs it did not make; run in the background, reaped by
 * the loop.
 */
extern char **environ;

static void rekey_start(void)
{
	char *const argv[] = { "/bin/sh", "-c", (char *)opt.rekey_cmd, NULL };
	pid_t pid;
	int ret;

	ret = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
	if (ret)
		log_msg(LOG_WARNING, "--rekey-on-takeover: %s", strerror(ret));
	else
		log_msg(LOG_INFO, "--rekey-on-takeover: started \"%s\"", opt.rekey_cmd);
}

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			log_msg(LOG_WARNING, "--rekey-on-takeover: the command failed (status %d)",
				status);
}

/* The group became active: move the counters on, then let the routes in. */
static void takeover(bool held)
{
	uint64_t t0 = now_ms();
	unsigned int n[3] = { 0, 0, 0 };

	chan_close(conn);
	conn = NULL;
	members_refresh();
	xfrm_dump(takeover_collect, NULL);
	sa_for_each(takeover_one, &t0);
	sa_for_each(count_takeover, n);
	if (held)
		group_release();
	log_msg(LOG_INFO, "takeover: %u outbound SAs moved ahead, %u inbound set, %u without a "
		"synced state, in %llu ms%s", n[0], n[1], n[2],
		(unsigned long long)(now_ms() - t0), held ? "; group released" : "");
	if (opt.rekey_cmd)
		rekey_start();
}

/* ---- roles ---- */

static void forget(struct sa *sa, void *arg)
{
	(void)arg;
	sa_del(sa);
}

static void become(enum role r, bool held)
{
	if (r == ROLE_ACTIVE) {
		bool took = role == ROLE_STANDBY || held;

		if (took)
			takeover(held);	/* closes conn, reads the group's SAs */
		chan_close(conn);
		conn = NULL;
		sa_clear_dirty();
		if (!took)
			members_refresh();
		log_msg(LOG_INFO, "group %s active: waiting for the standby", opt.group);
	} else {
		chan_close(conn);
		chan_close(cand);
		conn = cand = NULL;
		sa_clear_dirty();
		sa_for_each(forget, NULL);
		next_connect = 0;
		backoff = BACKOFF_MIN_MS;
		log_msg(LOG_INFO, "group %s standby: following %s", opt.group, opt.peer_text);
	}
	if (opt.copy)
		copy_forget();
	if (xfrm_aevents(r == ROLE_ACTIVE))
		log_msg(LOG_WARNING, "cannot %s XFRM's async events: %s",
			r == ROLE_ACTIVE ? "join" : "leave", strerror(errno));
	role = r;
	snap_pending = false;
	set_state(RRI_SYNC_DOWN);
}

static void role_changed(void)
{
	role_check = true;
}

static int check_role(void)
{
	struct group_info gi;

	role_check = false;
	if (group_query(&gi))
		return -1;
	replay_out = gi.replay_out;
	if (gi.active && (role != ROLE_ACTIVE || gi.held))
		become(ROLE_ACTIVE, gi.held);
	else if (!gi.active && role != ROLE_STANDBY)
		become(ROLE_STANDBY, false);
	return 0;
}

static void conn_lost(void)
{
	if (conn)
		log_msg(LOG_WARNING, "lost %s", chan_peer(conn));
	chan_close(conn);
	conn = NULL;
	snap_pending = false;
	sa_clear_dirty();
	set_state(RRI_SYNC_DOWN);
	if (role == ROLE_STANDBY) {
		next_connect = now_ms() + backoff;
		backoff = backoff * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : backoff * 2;
	}
}

/* ---- the loop ---- */

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int run(void)
{
	int gfd = group_events_fd(role_changed), xfd = xfrm_events_fd();

	if (gfd < 0)
		return 1;
	while (!stop) {
		struct pollfd pfd[5];
		uint64_t now = now_ms();
		int n = 0, i_conn = -1, i_cand = -1, timeout = 200;

		if (role_check && check_role())
			return 1;
		reap();
		if (role == ROLE_ACTIVE && ((members_dirty && now >= members_due) ||
					    now >= members_next))
			members_refresh();
		if (role == ROLE_STANDBY && members_dirty && now >= members_due)
			standby_retry();
		if (role == ROLE_STANDBY && !conn && now >= next_connect) {
			conn = chan_connect(&opt.peer, opt.peer_len);
			conn_since = last_rx = now;
			if (!conn)
				conn_lost();
		}
		if (role == ROLE_ACTIVE && conn && chan_up(conn) && active_fill())
			conn_lost();
		if (role == ROLE_STANDBY && conn && chan_up(conn) && standby_heartbeat())
			conn_lost();
		if (conn && chan_up(conn) && now - last_rx > SILENCE_MS) {
			log_msg(LOG_WARNING, "%s silent for %d ms", chan_peer(conn), SILENCE_MS);
			conn_lost();
		} else if (conn && !chan_up(conn) && now - conn_since > HANDSHAKE_MS) {
			log_msg(LOG_DEBUG, "%s: no connection within %d ms", chan_peer(conn),
				HANDSHAKE_MS);
			conn_lost();
		}
		if (cand && now - cand_since > HANDSHAKE_MS) {
			log_msg(LOG_WARNING, "%s: no handshake within %d ms", chan_peer(cand),
				HANDSHAKE_MS);
			chan_close(cand);
			cand = NULL;
		}
		report(now);

		pfd[n++] = (struct pollfd){ .fd = gfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = xfd, .events = POLLIN };
		pfd[n++] = (struct pollfd){ .fd = lfd, .events = POLLIN };
		if (conn) {
			i_conn = n;
			pfd[n++] = (struct pollfd){ .fd = chan_fd(conn), .events = chan_events(conn) };
		}
		if (cand) {
			i_cand = n;
			pfd[n++] = (struct pollfd){ .fd = chan_fd(cand), .events = chan_events(cand) };
		}
		if (poll(pfd, n, timeout) < 0) {
			if (errno == EINTR)
				continue;
			pr_err("poll: %s", strerror(errno));
			return 1;
		}
		if (pfd[0].revents && group_read_events())
			return 1;
		if (pfd[1].revents && xfrm_read_events(&xfrm_ops)) {
			pr_err("XFRM events: %s", strerror(errno));
			return 1;
		}
		if (pfd[2].revents & POLLIN) {
			struct chan *ch = chan_accept(lfd);

			if (ch && role != ROLE_ACTIVE) {
				chan_close(ch);	/* the standby only connects out */
			} else if (ch) {
				chan_close(cand);
				cand = ch;
				cand_since = now_ms();
				i_cand = -1;
			}
		}
		if (i_conn >= 0 && pfd[i_conn].revents && conn) {
			bool was_up = chan_up(conn);

			if (chan_io(conn, role == ROLE_ACTIVE ? active_record : standby_record))
				conn_lost();
			else if (!was_up && chan_up(conn) && role == ROLE_STANDBY)
				log_msg(LOG_DEBUG, "TLS up with %s", chan_peer(conn));
		}
		if (i_cand >= 0 && pfd[i_cand].revents && cand) {
			if (chan_io(cand, active_record)) {
				chan_close(cand);
				cand = NULL;
			} else if (chan_up(cand)) {
				/* The standby (re)connected: it replaces any older connection. */
				chan_close(conn);
				conn = cand;
				cand = NULL;
				conn_since = last_rx = now_ms();
				if (active_start_stream())
					conn_lost();
			}
		}
	}
	return 0;
}

static const char usage[] =
	"Usage: rri-syncd [OPTIONS] --group NAME --peer ADDR[:PORT] --key-file FILE\n"
	"       rri-syncd genkey\n"
	"\n"
	"Stateful failover for an rri HA group: on the active node, streams the\n"
	"replay state of the group's SAs to the standby; on the standby, applies\n"
	"it to the same SAs, and at takeover moves their outbound sequence numbers\n"
	"ahead before the group's routes go in. Run one on each node of the pair.\n"
	"\n"
	"  -g, --group NAME       the rri group (it needs a replay-interval)\n"
	"  -p, --peer ADDR[:PORT] the other node (default port 7801)\n"
	"  -l, --listen ADDR[:PORT] where to wait for the standby (default 0.0.0.0:7801,\n"
	"                         or [::]:7801 for an IPv6 peer)\n"
	"  -k, --key-file FILE    the shared key: 16 to 64 bytes in hex (genkey)\n"
	"  -m, --margin N         packets added to every outbound jump (default 16384)\n"
	"      --mode counters|sa counters: the IKE daemon syncs the SAs (strongSwan's HA\n"
	"                         plugin), rri-syncd their counters (the default); sa:\n"
	"                         rri-syncd copies the SAs and their policies too\n"
	"      --rekey-on-takeover CMD  run CMD (sh -c) after each takeover, e.g. to make\n"
	"                         the IKE daemon renegotiate the copied tunnels\n"
	"  -n, --netns NETNS      run in the network namespace NETNS (/run/netns/NETNS)\n"
	"  -v, --verbose          log every SA as it comes into step\n"
	"  -V, --version          print the version\n"
	"  -h, --help             this text\n"
	"\n"
	"genkey prints a new 32-byte key in hex. Logs go to stderr.\n";

static int genkey(void)
{
	unsigned char k[32];
	size_t i;

	if (getrandom(k, sizeof(k), 0) != sizeof(k)) {
		pr_err("getrandom: %s", strerror(errno));
		return 1;
	}
	for (i = 0; i < sizeof(k); i++)
		printf("%02x", k[i]);
	printf("\n");
	return 0;
}

int main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "group",	required_argument,	NULL, 'g' },
		{ "peer",	required_argument,	NULL, 'p' },
		{ "listen",	required_argument,	NULL, 'l' },
		{ "key-file",	required_argument,	NULL, 'k' },
		{ "margin",	required_argument,	NULL, 'm' },
		{ "mode",	required_argument,	NULL, 'M' },
		{ "rekey-on-takeover", required_argument, NULL, 'R' },
		{ "netns",	required_argument,	NULL, 'n' },
		{ "verbose",	no_argument,		NULL, 'v' },
		{ "version",	no_argument,		NULL, 'V' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *listen_text = NULL, *keyfile = NULL, *netns = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	char *end;
	long v;
	int c, ret;

	while ((c = getopt_long(argc, argv, "g:p:l:k:m:n:vVh", longopts, NULL)) != -1) {
		switch (c) {
		case 'g':
			opt.group = optarg;
			break;
		case 'p':
			opt.peer_text = optarg;
			break;
		case 'l':
			listen_text = optarg;
			break;
		case 'k':
			keyfile = optarg;
			break;
		case 'm':
			errno = 0;
			v = strtol(optarg, &end, 10);
			if (errno || *end || v < 0 || v > (1L << 30)) {
				pr_err("invalid margin '%s' (0..%ld)", optarg, 1L << 30);
				return 2;
			}
			opt.margin = (uint32_t)v;
			break;
		case 'n':
			netns = optarg;
			break;
		case 'M':
			if (strcmp(optarg, "sa") && strcmp(optarg, "counters")) {
				pr_err("invalid mode '%s' (counters or sa)", optarg);
				return 2;
			}
			opt.copy = !strcmp(optarg, "sa");
			break;
		case 'R':
			opt.rekey_cmd = optarg;
			break;
		case 'v':
			opt.verbose = true;
			break;
		case 'V':
			printf("rri-syncd %s\n", RRI_VERSION);
			return 0;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	if (optind < argc && !strcmp(argv[optind], "genkey") && optind + 1 == argc)
		return genkey();
	if (optind < argc) {
		pr_err("unexpected argument '%s'", argv[optind]);
		return 2;
	}
	if (!opt.group || !opt.peer_text || !keyfile) {
		pr_err("--group, --peer and --key-file are required (rri-syncd --help)");
		return 2;
	}
	if (chan_parse_addr(opt.peer_text, SYNCD_PORT, &opt.peer, &opt.peer_len)) {
		pr_err("invalid peer '%s'", opt.peer_text);
		return 2;
	}
	if (!listen_text)
		listen_text = opt.peer.ss_family == AF_INET6 ? "[::]" : "0.0.0.0";
	if (chan_parse_addr(listen_text, SYNCD_PORT, &opt.listen, &opt.listen_len)) {
		pr_err("invalid listen address '%s'", listen_text);
		return 2;
	}
	if (netns && (!netns_name_valid(netns) || enter_netns(netns)))
		return 1;

	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	if (chan_init(keyfile, opt.group) || group_open(opt.group))
		return 1;
	if (xfrm_open()) {
		pr_err("cannot open XFRM netlink sockets: %s", strerror(errno));
		return 1;
	}
	lfd = chan_listen(&opt.listen, opt.listen_len);
	if (lfd < 0)
		return 1;
	log_msg(LOG_INFO, "group %s, peer %s: started", opt.group, opt.peer_text);
	ret = run();
	chan_close(conn);
	chan_close(cand);
	rri_nl_close();
	return ret;
}
