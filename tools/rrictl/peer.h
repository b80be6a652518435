/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RRICTL_PEER_H
#define RRICTL_PEER_H

int peer_resolve_send(const char *map, const char *host);

#endif /* RRICTL_PEER_H */
