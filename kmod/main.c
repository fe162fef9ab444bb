// SPDX-License-Identifier: GPL-2.0
/*
 * alttcp: an alternative, tunable and observable TCP for Linux.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/net.h>
#include <net/genetlink.h>

#include <uapi/linux/alttcp.h>

#include "netlink.h"
#include "netns.h"
#include "obj.h"
#include "sock.h"

static int __init alttcp_init(void)
{
	int err;

	err = alttcp_obj_caches_create();
	if (err)
		return err;
	err = alttcp_netns_register();
	if (err)
		goto err_destroy_caches;
	err = alttcp_genl_register();
	if (err)
		goto err_unregister_netns;
	err = alttcp_socket_register();
	if (err)
		goto err_unregister_genl;

	pr_info("alttcp: version %s loaded\n", ALTTCP_VERSION);
	return 0;

err_unregister_genl:
	alttcp_genl_unregister();
err_unregister_netns:
	alttcp_netns_unregister();
err_destroy_caches:
	alttcp_obj_caches_destroy();
	return err;
}

static void __exit alttcp_exit(void)
{
	alttcp_socket_unregister();
	alttcp_genl_unregister();
	alttcp_netns_unregister();
	alttcp_obj_caches_destroy();
	pr_info("alttcp: unloaded\n");
}

module_init(alttcp_init);
module_exit(alttcp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("alttcp: an alternative, tunable and observable TCP");
MODULE_VERSION(ALTTCP_VERSION);
MODULE_ALIAS_GENL_FAMILY(ALTTCP_GENL_NAME);
/*
 * The first socket(AF_INET, SOCK_STREAM, IPPROTO_ALTTCP) loads the module,
 * as SCTP's does.  Not the -type- alias: SOCK_STREAM is an enum, which
 * __stringify() would spell as its name.
 */
MODULE_ALIAS_NET_PF_PROTO(PF_INET, IPPROTO_ALTTCP);
