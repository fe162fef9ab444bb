/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_NETLINK_H
#define _ALTTCP_NETLINK_H

int alttcp_genl_register(void);
void alttcp_genl_unregister(void);

#endif /* _ALTTCP_NETLINK_H */
