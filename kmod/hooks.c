// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks through which alttcp sees IPv4 TCP segments.
 *
 * LOCAL_IN is where segments for alttcp sockets will be taken from Linux's
 * path; LOCAL_OUT lets alttcp observe what leaves.  Until the socket layer
 * exists every packet passes through untouched.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <net/net_namespace.h>

#include "hooks.h"

static unsigned int alttcp_local_in(void *priv, struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

static unsigned int alttcp_local_out(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	return NF_ACCEPT;
}

/*
 * Run after conntrack and the filter table have seen the packet, so that a
 * firewall rule dropping a segment also keeps it from alttcp.
 */
static const struct nf_hook_ops alttcp_nf_ops[] = {
	{
		.hook = alttcp_local_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER + 1,
	},
	{
		.hook = alttcp_local_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_FILTER + 1,
	},
};

int alttcp_hooks_net_init(struct net *net)
{
	return nf_register_net_hooks(net, alttcp_nf_ops,
				     ARRAY_SIZE(alttcp_nf_ops));
}

void alttcp_hooks_net_exit(struct net *net)
{
	nf_unregister_net_hooks(net, alttcp_nf_ops, ARRAY_SIZE(alttcp_nf_ops));
}
