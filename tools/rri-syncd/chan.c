// SPDX-License-Identifier: GPL-2.0
/*
 * rri-syncd: the channel. TLS 1.3 only, with an external pre-shared key
 * (RFC 8446 section 2.2; OpenSSL's PSK session callbacks) and no
 * certificates: both nodes hold the same key, read from a file, and a node
 * without it completes no handshake, so it neither reads a record nor
 * gets one applied. The PSK's identity names the group, so two pairs that
 * share a key by mistake do not talk either.
 *
 * Sockets are non-blocking; the main loop polls what chan_events() asks
 * for and calls chan_io(). Records to send wait in an output buffer of a
 * fixed size: the sender fills it while chan_room() allows, so memory
 * stays bounded whatever the peer's pace.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "chan.h"
#include "syncd.h"
#include "wire.h"

#define KEY_MIN		16
#define KEY_MAX		64
#define OUT_SIZE	(256 * 1024)
#define IN_SIZE		(2 * WIRE_MAX)

struct chan {
	int fd;
	SSL *ssl;
	bool connecting;	/* TCP connect under way */
	bool up;		/* handshake done */
	uint8_t in[IN_SIZE];
	size_t in_len;
	uint8_t *out;
	size_t out_len;
	char peer[INET6_ADDRSTRLEN + 8];
};

static SSL_CTX *server_ctx, *client_ctx;
static unsigned char key[KEY_MAX];
static size_t key_len;
static char identity[64];

static void log_ssl(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	if (!e) {
		log_msg(LOG_WARNING, "%s", what);
		return;
	}
	ERR_error_string_n(e, buf, sizeof(buf));
	log_msg(LOG_WARNING, "%s: %s", what, buf);
	ERR_clear_error();
}

/* The key as a TLS 1.3 session to resume: AES-256-GCM with SHA-384. */
static SSL_SESSION *psk_session(SSL *ssl)
{
	static const unsigned char suite[] = { 0x13, 0x02 };
	const SSL_CIPHER *cipher = SSL_CIPHER_find(ssl, suite);
	SSL_SESSION *s = SSL_SESSION_new();

	if (!s || !cipher || !SSL_SESSION_set1_master_key(s, key, key_len) ||
	    !SSL_SESSION_set_cipher(s, cipher) ||
	    !SSL_SESSION_set_protocol_version(s, TLS1_3_VERSION)) {
		SSL_SESSION_free(s);
		return NULL;
	}
	return s;
}

static int psk_use(SSL *ssl, const EVP_MD *md, const unsigned char **id, size_t *idlen,
		   SSL_SESSION **sess)
{
	SSL_SESSION *s = psk_session(ssl);

	if (!s)
		return 0;
	if (md && md != SSL_CIPHER_get_handshake_digest(SSL_SESSION_get0_cipher(s))) {
		SSL_SESSION_free(s);
		*sess = NULL;
		return 1;
	}
	*sess = s;
	*id = (const unsigned char *)identity;
	*idlen = strlen(identity);
	return 1;
}

static int psk_find(SSL *ssl, const unsigned char *id, size_t idlen, SSL_SESSION **sess)
{
	if (idlen != strlen(identity) || memcmp(id, identity, idlen)) {
		log_msg(LOG_WARNING, "a peer offered another identity than \"%s\"", identity);
		*sess = NULL;
		return 1;
	}
	*sess = psk_session(ssl);
	return *sess ? 1 : 0;
}

static SSL_CTX *ctx_new(bool server)
{
	SSL_CTX *ctx = SSL_CTX_new(server ? TLS_server_method() : TLS_client_method());

	if (!ctx || !SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION) ||
	    !SSL_CTX_set_ciphersuites(ctx, "TLS_AES_256_GCM_SHA384")) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	/* One connection at a time, never resumed: no tickets. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE |
			      SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
	if (server)
		SSL_CTX_set_psk_find_session_callback(ctx, psk_find);
	else
		SSL_CTX_set_psk_use_session_callback(ctx, psk_use);
	return ctx;
}

/* A hex digit's value, or -1. */
static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The key file: 16 to 64 bytes in hex, on one line (rri-syncd genkey writes one). */
static int read_key(const char *path)
{
	char text[2 * KEY_MAX + 4];
	size_t i, n;
	FILE *f;

	f = fopen(path, "re");
	if (!f) {
		pr_err("key file %s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' '))
		text[--n] = '\0';
	if (n % 2 || n / 2 < KEY_MIN || n / 2 > KEY_MAX) {
		pr_err("key file %s: want %d to %d bytes in hex on one line", path, KEY_MIN,
		       KEY_MAX);
		return -1;
	}
	for (i = 0; i < n / 2; i++) {
		int hi = hexval(text[2 * i]), lo = hexval(text[2 * i + 1]);

		if (hi < 0 || lo < 0) {
			pr_err("key file %s: not hex", path);
			return -1;
		}
		key[i] = hi << 4 | lo;
	}
	key_len = n / 2;
	return 0;
}

/**
 * chan_init() - read the key and set TLS up
 * @keyfile: the key's file
 * @group: the group's name, the PSK's identity
 *
 * Return: 0, or -1 after logging why.
 */
int chan_init(const char *keyfile, const char *group)
{
	if (read_key(keyfile))
		return -1;
	snprintf(identity, sizeof(identity), "rri-syncd %s", group);
	server_ctx = ctx_new(true);
	client_ctx = ctx_new(false);
	if (!server_ctx || !client_ctx) {
		log_ssl("cannot set TLS up");
		return -1;
	}
	return 0;
}

/**
 * chan_parse_addr() - ADDR, ADDR:PORT or [ADDR6]:PORT
 * @text: the text
 * @port: the port if none is given
 * @ss: the address
 * @len: its length
 *
 * Return: 0, or -1 if @text is no such address.
 */
int chan_parse_addr(const char *text, int port, struct sockaddr_storage *ss,
		    socklen_t *len)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon;
	char *end;

	memset(ss, 0, sizeof(*ss));
	if (text[0] == '[') {
		const char *close = strchr(text, ']');

		if (!close || (size_t)(close - text - 1) >= sizeof(host))
			return -1;
		memcpy(host, text + 1, close - text - 1);
		host[close - text - 1] = '\0';
		colon = close[1] == ':' ? close + 1 : NULL;
		if (close[1] && !colon)
			return -1;
	} else {
		colon = strchr(text, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;	/* a bare IPv6 address */
		if (snprintf(host, sizeof(host), "%.*s",
			     colon ? (int)(colon - text) : (int)strlen(text), text) >=
		    (int)sizeof(host))
			return -1;
	}
	if (colon) {
		long p = strtol(colon + 1, &end, 10);

		if (*end || p < 1 || p > 65535)
			return -1;
		port = (int)p;
	}
	if (inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		*len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		*len = sizeof(*s6);
		return 0;
	}
	return -1;
}

static void addr_str(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char host[INET6_ADDRSTRLEN];
	int port;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, host, sizeof(host));
		port = ntohs(s4->sin_port);
		snprintf(buf, len, "%s:%d", host, port);
	} else {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, host, sizeof(host));
		port = ntohs(s6->sin6_port);
		snprintf(buf, len, "[%s]:%d", host, port);
	}
}

/**
 * chan_listen() - listen for the peer
 * @ss: the address and port to listen on
 * @len: its length
 *
 * Return: the listening socket, or -1 after logging why.
 */
int chan_listen(const struct sockaddr_storage *ss, socklen_t len)
{
	int one = 1;
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(fd, (const struct sockaddr *)ss, len) || listen(fd, 4)) {
		char addr[INET6_ADDRSTRLEN + 8];

		addr_str(ss, addr, sizeof(addr));
		pr_err("cannot listen on %s: %s", addr, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static struct chan *chan_new(int fd, bool server, const struct sockaddr_storage *ss)
{
	struct chan *ch = calloc(1, sizeof(*ch));
	int one = 1;

	if (!ch)
		goto err;
	ch->out = malloc(OUT_SIZE);
	ch->ssl = SSL_new(server ? server_ctx : client_ctx);
	if (!ch->out || !ch->ssl || !SSL_set_fd(ch->ssl, fd))
		goto err;
	ch->fd = fd;
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	addr_str(ss, ch->peer, sizeof(ch->peer));
	if (server)
		SSL_set_accept_state(ch->ssl);
	else
		SSL_set_connect_state(ch->ssl);
	return ch;
err:
	if (ch) {
		SSL_free(ch->ssl);
		free(ch->out);
		free(ch);
	}
	close(fd);
	log_msg(LOG_ERR, "out of memory for a connection");
	return NULL;
}

/**
 * chan_accept() - take a connection the listening socket has
 * @lfd: the listening socket
 *
 * Return: the channel (its handshake under way), or NULL.
 */
struct chan *chan_accept(int lfd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int fd = accept4(lfd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return NULL;
	return chan_new(fd, true, &ss);
}

/**
 * chan_connect() - connect to the peer
 * @ss: its address
 * @len: the address's length
 *
 * Return: the channel (its connect under way), or NULL after logging why.
 */
struct chan *chan_connect(const struct sockaddr_storage *ss, socklen_t len)
{
	int fd = socket(ss->ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	struct chan *ch;

	if (fd < 0)
		return NULL;
	if (connect(fd, (const struct sockaddr *)ss, len) && errno != EINPROGRESS) {
		log_msg(LOG_DEBUG, "connect: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	ch = chan_new(fd, false, ss);
	if (ch)
		ch->connecting = true;
	return ch;
}

int chan_fd(const struct chan *ch)
{
	return ch->fd;
}

bool chan_up(const struct chan *ch)
{
	return ch->up;
}

const char *chan_peer(const struct chan *ch)
{
	return ch->peer;
}

/* What to poll for. */
short chan_events(const struct chan *ch)
{
	if (ch->connecting || ch->out_len)
		return POLLIN | POLLOUT;
	return POLLIN;
}

/* Whether an SSL call's failure is only "try again later". */
static bool ssl_again(struct chan *ch, int ret)
{
	int err = SSL_get_error(ch->ssl, ret);

	return err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE;
}

/* Hand the records that arrived complete to @fn. */
static int chan_records(struct chan *ch, chan_record_fn fn)
{
	size_t off = 0;
	int ret = 0;

	while (!ret && ch->in_len - off >= WIRE_HDR) {
		const uint8_t *h = ch->in + off;
		size_t len = (size_t)h[2] << 8 | h[3];

		if (len > WIRE_MAX - WIRE_HDR) {
			log_msg(LOG_WARNING, "%s sent a record of %zu bytes", ch->peer, len);
			return -1;
		}
		if (ch->in_len - off < WIRE_HDR + len)
			break;
		ret = fn(ch, h[0], h + WIRE_HDR, len);
		off += WIRE_HDR + len;
	}
	memmove(ch->in, ch->in + off, ch->in_len - off);
	ch->in_len -= off;
	return ret;
}

static int chan_flush(struct chan *ch)
{
	while (ch->out_len) {
		int n = SSL_write(ch->ssl, ch->out, (int)ch->out_len);

		if (n <= 0)
			return ssl_again(ch, n) ? 0 : -1;
		memmove(ch->out, ch->out + n, ch->out_len - n);
		ch->out_len -= n;
	}
	return 0;
}

/**
 * chan_io() - move the channel on: connect, handshake, read, write
 * @ch: the channel
 * @fn: for each record that arrived
 *
 * Return: 0, or -1 if the channel is done for (the caller closes it).
 */
int chan_io(struct chan *ch, chan_record_fn fn)
{
	int n;

	if (ch->connecting) {
		int err = 0;
		socklen_t len = sizeof(err);

		if (getsockopt(ch->fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
			log_msg(LOG_DEBUG, "connect to %s: %s", ch->peer, strerror(err));
			return -1;
		}
		ch->connecting = false;
	}
	if (!ch->up) {
		n = SSL_do_handshake(ch->ssl);
		if (n != 1) {
			if (ssl_again(ch, n))
				return 0;
			log_ssl(ch->peer);
			log_msg(LOG_WARNING, "TLS handshake with %s failed (not the same key?)",
				ch->peer);
			return -1;
		}
		ch->up = true;
	}
	for (;;) {
		n = SSL_read(ch->ssl, ch->in + ch->in_len, (int)(sizeof(ch->in) - ch->in_len));
		if (n <= 0) {
			if (ssl_again(ch, n))
				break;
			return -1;	/* closed, or an error */
		}
		ch->in_len += n;
		if (chan_records(ch, fn))
			return -1;
	}
	return chan_flush(ch);
}

/* Room left in the output buffer. */
size_t chan_room(const struct chan *ch)
{
	return OUT_SIZE - ch->out_len;
}

/**
 * chan_send() - queue a record (chan_push() or chan_io() sends it)
 * @ch: an established channel
 * @rec: the record
 * @len: its length, at most chan_room()
 *
 * Return: 0, or -1 if the channel is done for.
 */
int chan_send(struct chan *ch, const uint8_t *rec, size_t len)
{
	if (len > chan_room(ch))
		return -1;
	memcpy(ch->out + ch->out_len, rec, len);
	ch->out_len += len;
	return 0;
}

/* Flush what is queued (on an established channel). */
int chan_push(struct chan *ch)
{
	return ch->up ? chan_flush(ch) : 0;
}

/* Close the channel and free it. */
void chan_close(struct chan *ch)
{
	if (!ch)
		return;
	if (ch->up)
		SSL_shutdown(ch->ssl);
	SSL_free(ch->ssl);
	close(ch->fd);
	free(ch->out);
	free(ch);
}
