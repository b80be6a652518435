/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RRICTL_NETNS_H
#define RRICTL_NETNS_H

#include <stdbool.h>

bool netns_name_valid(const char *name);
int enter_netns(const char *name);

#endif /* RRICTL_NETNS_H */
