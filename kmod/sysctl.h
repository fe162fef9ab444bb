/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_SYSCTL_H
#define _ALTTCP_SYSCTL_H

struct net;

int alttcp_sysctl_net_init(struct net *net);
void alttcp_sysctl_net_exit(struct net *net);

#endif /* _ALTTCP_SYSCTL_H */
