/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_NETNS_H
#define _ALTTCP_NETNS_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "params.h"

struct ctl_table_header;

/* Everything alttcp keeps for one network namespace. */
struct alttcp_net {
	struct at_params params;
	/*
	 * Serialises writers of params (sysctl and netlink) so that a netlink
	 * set of several values is applied all at once or not at all.  The
	 * protocol reads single ints and needs no lock.
	 */
	struct mutex params_lock;
	struct ctl_table_header *sysctl_hdr;
};

extern unsigned int alttcp_net_id;

static inline struct alttcp_net *alttcp_net(const struct net *net)
{
	return net_generic(net, alttcp_net_id);
}

int alttcp_netns_register(void);
void alttcp_netns_unregister(void);

#endif /* _ALTTCP_NETNS_H */
