// SPDX-License-Identifier: GPL-2.0
/*
 * rri-syncd: encoding and decoding of the channel's records (wire.h).
 * Decoding checks every length: a record is only read from an
 * authenticated peer, but a bug there must not become one here.
 */

#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "wire.h"

#define STATE_F_ESN	0x01
#define STATE_F_OUT	0x02

struct cursor {
	uint8_t *p;
	const uint8_t *r;
	size_t left;
	bool bad;
};

static void put8(struct cursor *c, uint8_t v)
{
	*c->p++ = v;
}

static void put16(struct cursor *c, uint16_t v)
{
	put8(c, v >> 8);
	put8(c, v);
}

static void put32(struct cursor *c, uint32_t v)
{
	put16(c, v >> 16);
	put16(c, v);
}

static void put64(struct cursor *c, uint64_t v)
{
	put32(c, v >> 32);
	put32(c, v);
}

static void putbytes(struct cursor *c, const void *v, size_t len)
{
	memcpy(c->p, v, len);
	c->p += len;
}

/* Write the header of a record whose payload ends at c->p. */
static size_t finish(uint8_t *buf, struct cursor *c, enum wire_type type)
{
	size_t len = c->p - buf - WIRE_HDR;

	buf[0] = type;
	buf[1] = 0;
	buf[2] = len >> 8;
	buf[3] = len;
	return len + WIRE_HDR;
}

static const uint8_t *take(struct cursor *c, size_t len)
{
	const uint8_t *p = c->r;

	if (c->bad || c->left < len) {
		c->bad = true;
		return NULL;
	}
	c->r += len;
	c->left -= len;
	return p;
}

static uint8_t get8(struct cursor *c)
{
	const uint8_t *p = take(c, 1);

	return p ? p[0] : 0;
}

static uint16_t get16(struct cursor *c)
{
	uint16_t hi = get8(c);

	return hi << 8 | get8(c);
}

static uint32_t get32(struct cursor *c)
{
	uint32_t hi = get16(c);

	return hi << 16 | get16(c);
}

static uint64_t get64(struct cursor *c)
{
	uint64_t hi = get32(c);

	return hi << 32 | get32(c);
}

static void getbytes(struct cursor *c, void *v, size_t len)
{
	const uint8_t *p = take(c, len);

	if (p)
		memcpy(v, p, len);
}

size_t wire_hello(uint8_t *buf, const struct wire_hello *h)
{
	struct cursor c = { .p = buf + WIRE_HDR };

	put32(&c, WIRE_MAGIC);
	put16(&c, WIRE_VERSION);
	put16(&c, h->mode);
	put32(&c, h->replay_out);
	putbytes(&c, h->group, sizeof(h->group));
	return finish(buf, &c, WIRE_HELLO);
}

size_t wire_empty(uint8_t *buf, enum wire_type type)
{
	struct cursor c = { .p = buf + WIRE_HDR };

	return finish(buf, &c, type);
}

size_t wire_count(uint8_t *buf, enum wire_type type, uint32_t n)
{
	struct cursor c = { .p = buf + WIRE_HDR };

	put32(&c, n);
	return finish(buf, &c, type);
}

/* A record whose payload is @raw as it is (SA-copy mode's descriptions). */
size_t wire_raw(uint8_t *buf, enum wire_type type, const uint8_t *raw, size_t len)
{
	struct cursor c = { .p = buf + WIRE_HDR };

	putbytes(&c, raw, len);
	return finish(buf, &c, type);
}

static void put_id(struct cursor *c, const struct sa_id *id)
{
	put16(c, id->family);
	put8(c, id->proto);
	put8(c, 0);
	putbytes(c, &id->spi, 4);
	putbytes(c, &id->daddr, 16);
}

static void get_id(struct cursor *c, struct sa_id *id)
{
	memset(id, 0, sizeof(*id));
	id->family = get16(c);
	id->proto = get8(c);
	get8(c);
	getbytes(c, &id->spi, 4);
	getbytes(c, &id->daddr, 16);
	if (id->family != AF_INET && id->family != AF_INET6)
		c->bad = true;
}

size_t wire_state(uint8_t *buf, const struct sa *sa)
{
	const struct sa_state *st = &sa->st;
	struct cursor c = { .p = buf + WIRE_HDR };
	uint32_t i;

	put_id(&c, &sa->id);
	putbytes(&c, &sa->saddr, 16);
	put32(&c, sa->mark);
	put32(&c, sa->reqid);
	put8(&c, (st->esn ? STATE_F_ESN : 0) | (sa->out ? STATE_F_OUT : 0));
	put8(&c, 0);
	put16(&c, st->bmp_len);
	put32(&c, st->oseq);
	put32(&c, st->seq);
	put32(&c, st->oseq_hi);
	put32(&c, st->seq_hi);
	put32(&c, st->replay_window);
	for (i = 0; i < st->bmp_len; i++)
		put32(&c, st->bmp[i]);
	put64(&c, st->lft.bytes);
	put64(&c, st->lft.packets);
	put64(&c, st->lft.add_time);
	put64(&c, st->lft.use_time);
	return finish(buf, &c, WIRE_STATE);
}

size_t wire_delete(uint8_t *buf, const struct sa_id *id)
{
	struct cursor c = { .p = buf + WIRE_HDR };

	put_id(&c, id);
	return finish(buf, &c, WIRE_DELETE);
}

int wire_parse_hello(const uint8_t *p, size_t len, struct wire_hello *h)
{
	struct cursor c = { .r = p, .left = len };

	if (get32(&c) != WIRE_MAGIC || get16(&c) != WIRE_VERSION)
		return -1;
	h->mode = get16(&c);
	h->replay_out = get32(&c);
	getbytes(&c, h->group, sizeof(h->group));
	h->group[sizeof(h->group) - 1] = '\0';
	return c.bad ? -1 : 0;
}

int wire_parse_state(const uint8_t *p, size_t len, struct sa_id *id, xfrm_address_t *saddr,
		     uint32_t *mark, uint32_t *reqid, bool *out, struct sa_state *st)
{
	struct cursor c = { .r = p, .left = len };
	uint8_t flags;
	uint32_t i;

	memset(st, 0, sizeof(*st));
	get_id(&c, id);
	getbytes(&c, saddr, 16);
	*mark = get32(&c);
	*reqid = get32(&c);
	flags = get8(&c);
	get8(&c);
	st->esn = flags & STATE_F_ESN;
	*out = flags & STATE_F_OUT;
	st->bmp_len = get16(&c);
	if (st->bmp_len > SA_BMP_MAX || (!st->esn && st->bmp_len != 1))
		return -1;
	st->oseq = get32(&c);
	st->seq = get32(&c);
	st->oseq_hi = get32(&c);
	st->seq_hi = get32(&c);
	st->replay_window = get32(&c);
	for (i = 0; i < st->bmp_len; i++)
		st->bmp[i] = get32(&c);
	st->lft.bytes = get64(&c);
	st->lft.packets = get64(&c);
	st->lft.add_time = get64(&c);
	st->lft.use_time = get64(&c);
	return c.bad ? -1 : 0;
}

int wire_parse_delete(const uint8_t *p, size_t len, struct sa_id *id)
{
	struct cursor c = { .r = p, .left = len };

	get_id(&c, id);
	return c.bad ? -1 : 0;
}
