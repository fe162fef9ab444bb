/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_NETLINK_H
#define _ALTTCP_NETLINK_H

#include <net/genetlink.h>

/* Index of the events group in the family's multicast groups. */
#define ALTTCP_MCGRP_EVENTS_ID	0

extern struct genl_family alttcp_genl_family;

int alttcp_genl_reply(struct genl_info *info, u8 cmd,
		      int (*fill)(struct sk_buff *msg, void *arg), void *arg);
int alttcp_genl_register(void);
void alttcp_genl_unregister(void);

#endif /* _ALTTCP_NETLINK_H */
