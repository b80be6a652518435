/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rri-syncd: the channel between the two nodes, TLS 1.3 over TCP keyed
 * with a pre-shared key (chan.c).
 */

#ifndef RRI_SYNCD_CHAN_H
#define RRI_SYNCD_CHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

struct chan;

/* Called for each record that arrives; a non-zero return closes the channel. */
typedef int (*chan_record_fn)(struct chan *ch, uint8_t type, const uint8_t *p,
			      size_t len);

int chan_init(const char *keyfile, const char *group);
int chan_parse_addr(const char *text, int port, struct sockaddr_storage *ss,
		    socklen_t *len);
int chan_listen(const struct sockaddr_storage *ss, socklen_t len);
struct chan *chan_accept(int lfd);
struct chan *chan_connect(const struct sockaddr_storage *ss, socklen_t len);
int chan_fd(const struct chan *ch);
short chan_events(const struct chan *ch);
bool chan_up(const struct chan *ch);
const char *chan_peer(const struct chan *ch);
int chan_io(struct chan *ch, chan_record_fn fn);
size_t chan_room(const struct chan *ch);
int chan_send(struct chan *ch, const uint8_t *rec, size_t len);
int chan_push(struct chan *ch);
void chan_close(struct chan *ch);

#endif /* RRI_SYNCD_CHAN_H */
