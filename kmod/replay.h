/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _RRI_REPLAY_H
#define _RRI_REPLAY_H

struct rri_group;
struct rri_net;
struct rri_sa_ref;

struct rri_policy_info;

void rri_replay_sa(struct rri_net *rn, const struct rri_sa_ref *ref);
void rri_replay_tunnel(struct rri_net *rn, const struct rri_policy_info *info);
void rri_replay_all(struct rri_net *rn);
void rri_replay_group(struct rri_net *rn, const struct rri_group *group);

#endif /* _RRI_REPLAY_H */
