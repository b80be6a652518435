/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rri-syncd: the records on the channel. Each is a header (type, a zero
 * byte, the payload's length in network byte order) and a payload whose
 * numbers are in network byte order too.
 *
 *   HELLO       magic, version, mode, the outbound replay-interval, group
 *   SNAP_BEGIN  a full state follows: every SA of the group
 *   STATE       one SA's id, direction and replay state, lifetime counters
 *   SNAP_END    the full state is complete: SAs not in it are gone
 *   DELETE      an SA went
 *   HEARTBEAT   every second while nothing else is sent
 *   SA          SA-copy mode: an SA's description (copy.c), before its STATE
 *   POLICY      SA-copy mode: a policy of the group's tunnels
 *   POLICY_DEL  SA-copy mode: a policy went (its key)
 *
 * The active node sends them all; the standby only its HEARTBEAT, every
 * second. Either side takes a peer silent for 5 s for gone.
 */

#ifndef RRI_SYNCD_WIRE_H
#define RRI_SYNCD_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "syncd.h"

enum wire_type {
	WIRE_HELLO = 1,
	WIRE_SNAP_BEGIN,
	WIRE_STATE,
	WIRE_SNAP_END,
	WIRE_DELETE,
	WIRE_HEARTBEAT,
	WIRE_SA,
	WIRE_POLICY,
	WIRE_POLICY_DEL,
};

/* The modes a HELLO names. */
enum wire_mode {
	WIRE_MODE_COUNTERS,
	WIRE_MODE_SA,
};

#define WIRE_MAGIC	0x52524953	/* "RRIS" */
#define WIRE_VERSION	1
#define WIRE_HDR	4
/* The longest record: an SA's description (a STATE is at most 620 bytes). */
#define WIRE_MAX	(WIRE_HDR + SA_RAW_MAX)

struct wire_hello {
	uint16_t mode;		/* enum wire_mode */
	uint32_t replay_out;
	char group[32];
};

size_t wire_hello(uint8_t *buf, const struct wire_hello *h);
size_t wire_empty(uint8_t *buf, enum wire_type type);
size_t wire_state(uint8_t *buf, const struct sa *sa);
size_t wire_delete(uint8_t *buf, const struct sa_id *id);
size_t wire_count(uint8_t *buf, enum wire_type type, uint32_t n);
size_t wire_raw(uint8_t *buf, enum wire_type type, const uint8_t *raw, size_t len);

int wire_parse_hello(const uint8_t *p, size_t len, struct wire_hello *h);
int wire_parse_state(const uint8_t *p, size_t len, struct sa_id *id, xfrm_address_t *saddr,
		     uint32_t *mark, uint32_t *reqid, bool *out, struct sa_state *st);
int wire_parse_delete(const uint8_t *p, size_t len, struct sa_id *id);

#endif /* RRI_SYNCD_WIRE_H */
