/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_DIAG_H
#define _ALTTCP_DIAG_H

#include <net/genetlink.h>
#include <uapi/linux/alttcp.h>

extern const struct nla_policy alttcp_filter_policy[ALTTCP_FILTER_MAX + 1];

int alttcp_conn_dump(struct sk_buff *skb, struct netlink_callback *cb);
int alttcp_conn_kill(struct sk_buff *skb, struct genl_info *info);

#endif /* _ALTTCP_DIAG_H */
