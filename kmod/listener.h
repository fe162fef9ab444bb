/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_LISTENER_H
#define _ALTTCP_LISTENER_H

#include <net/genetlink.h>
#include <uapi/linux/alttcp.h>

struct alttcp_net;
struct alttcp_sock;

extern const struct nla_policy alttcp_listener_policy[ALTTCP_LISTENER_MAX + 1];

void alttcp_listener_apply(struct alttcp_sock *as);
void alttcp_listener_rules_free(struct alttcp_net *an);
int alttcp_listener_set(struct sk_buff *skb, struct genl_info *info);
int alttcp_listener_get(struct sk_buff *skb, struct genl_info *info);

#endif /* _ALTTCP_LISTENER_H */
