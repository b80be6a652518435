/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_REPLAY_H
#define _RRI_REPLAY_H

struct rri_group;
struct rri_replay_dump;
struct xfrm_state;
struct rri_net;
struct rri_sa_ref;

struct rri_policy_info;

void rri_replay_sa(struct rri_net *rn, const struct rri_sa_ref *ref);
void rri_replay_tunnel(struct rri_net *rn, const struct rri_policy_info *info);
void rri_replay_all(struct rri_net *rn);
void rri_replay_group(struct rri_net *rn, const struct rri_group *group);
struct rri_replay_dump *rri_replay_dump_start(void);
void rri_replay_dump_done(struct rri_net *rn, struct rri_replay_dump *d);
bool rri_replay_dump(struct rri_net *rn, struct rri_replay_dump *d,
		     const struct rri_group *group,
		     int (*put)(const struct xfrm_state *x, u8 dir, void *arg),
		     void *arg);

#endif /* _RRI_REPLAY_H */
