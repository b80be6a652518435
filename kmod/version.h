/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_VERSION_H
#define _RRI_VERSION_H

#define RRI_VERSION "0.1.0"

#endif /* _RRI_VERSION_H */
