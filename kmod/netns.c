// SPDX-License-Identifier: GPL-2.0
/*
 * Per network namespace state: every namespace starts from the defaults,
 * never from its parent's values, as Linux's own per-netns TCP sysctls do.
 */
#include <linux/mm.h>
#include <net/net_namespace.h>

#include "hooks.h"
#include "listener.h"
#include "netns.h"
#include "obj.h"
#include "ops.h"
#include "sysctl.h"
#include "table.h"

unsigned int alttcp_net_id __read_mostly;

static int __net_init alttcp_net_init(struct net *net)
{
	struct alttcp_net *an = alttcp_net(net);
	int err;

	an->net = net;
	at_params_init(&an->params, (u64)totalram_pages() << PAGE_SHIFT);
	mutex_init(&an->params_lock);
	spin_lock_init(&an->lock);
	INIT_LIST_HEAD(&an->arm_list);
	INIT_LIST_HEAD(&an->listener_rules);
	at_ctx_init(&an->ctx, &an->params, &alttcp_core_ops, an);

	err = alttcp_tables_init(an);
	if (err)
		return err;
	err = alttcp_sysctl_net_init(net);
	if (err)
		goto err_free_tables;
	err = alttcp_hooks_net_init(net);
	if (err)
		goto err_unregister_sysctl;
	return 0;

err_unregister_sysctl:
	alttcp_sysctl_net_exit(net);
err_free_tables:
	alttcp_tables_free(an);
	return err;
}

/*
 * Sockets hold their namespace, so by now only connections without one
 * are left: orphans, unaccepted children, requests, TIME_WAIT entries.
 * Drop them without a word on the wire, as Linux does.
 */
static void destroy_objects(struct alttcp_net *an)
{
	struct alttcp_obj *obj;
	struct hlist_node *tmp;
	unsigned int i;

	alttcp_lock(an);
	for (i = 0; i <= an->ehash_mask; i++) {
		hlist_for_each_entry_safe(obj, tmp, &an->ehash[i], hnode) {
			switch (obj->kind) {
			case AT_ALLOC_CONN:
				at_conn_destroy((struct at_conn *)obj->core);
				break;
			case AT_ALLOC_TW:
				at_tw_kill((struct at_tw *)obj->core,
					   AT_R_NONE);
				break;
			default:
				/* Requests go with their listener. */
				alttcp_ehash_del(obj);
				break;
			}
		}
	}
	alttcp_unlock(an);
}

static void __net_exit alttcp_net_exit(struct net *net)
{
	struct alttcp_net *an = alttcp_net(net);

	alttcp_hooks_net_exit(net);
	destroy_objects(an);
	/* Timers that fired meanwhile have seen ->dead; let them finish. */
	synchronize_rcu();
	alttcp_sysctl_net_exit(net);
	alttcp_listener_rules_free(an);
	alttcp_tables_free(an);
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
	/* The objects' memory is freed by RCU callbacks of this module. */
	rcu_barrier();
}
