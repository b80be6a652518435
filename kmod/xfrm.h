/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_XFRM_H
#define _RRI_XFRM_H

void rri_xfrm_init(void);
void rri_xfrm_exit(void);

#endif /* _RRI_XFRM_H */
