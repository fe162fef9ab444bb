/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_HOOKS_H
#define _ALTTCP_HOOKS_H

struct net;

int alttcp_hooks_net_init(struct net *net);
void alttcp_hooks_net_exit(struct net *net);

#endif /* _ALTTCP_HOOKS_H */
