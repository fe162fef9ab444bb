// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: every namespace starts from the defaults,
 * never from its parent's values, as Linux's own per-netns TCP sysctls do.
 */
#include <linux/mm.h>
#include <net/net_namespace.h>

#include "hooks.h"
#include "netns.h"
#include "sysctl.h"

unsigned int alttcp_net_id __read_mostly;

static int __net_init alttcp_net_init(struct net *net)
{
	struct alttcp_net *an = alttcp_net(net);
	int err;

	at_params_init(&an->params, (u64)totalram_pages() << PAGE_SHIFT);
	mutex_init(&an->params_lock);

	err = alttcp_sysctl_net_init(net);
	if (err)
		return err;
	err = alttcp_hooks_net_init(net);
	if (err)
		goto err_unregister_sysctl;
	return 0;

err_unregister_sysctl:
	alttcp_sysctl_net_exit(net);
	return err;
}

static void __net_exit alttcp_net_exit(struct net *net)
{
	alttcp_hooks_net_exit(net);
	alttcp_sysctl_net_exit(net);
}

static struct pernet_operations alttcp_net_ops = {
	.init = alttcp_net_init,
	.exit = alttcp_net_exit,
	.id = &alttcp_net_id,
	.size = sizeof(struct alttcp_net),
};

int alttcp_netns_register(void)
{
	return register_pernet_subsys(&alttcp_net_ops);
}

void alttcp_netns_unregister(void)
{
	unregister_pernet_subsys(&alttcp_net_ops);
}
