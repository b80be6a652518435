/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_NOTIFY_H
#define _RRI_NOTIFY_H

int rri_notify_init(void);
void rri_notify_exit(void);

#endif /* _RRI_NOTIFY_H */
