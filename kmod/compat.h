/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one home of kernel API differences between the kernels alttcp builds
 * for (Debian 12's 6.1 up to the 6.12 of bookworm-backports and Debian 13).
 * The glue is written against the newest API; older kernels get it here.
 * Prefer testing for the feature itself over a version number where the
 * feature is a macro.
 */
#ifndef _ALTTCP_COMPAT_H
#define _ALTTCP_COMPAT_H

#include <linux/version.h>
#include <linux/sysctl.h>
#include <net/genetlink.h>
#include <net/inet_sock.h>
#include <net/net_namespace.h>
#include <net/sock.h>

/* 6.11 made the table argument of every proc_handler const. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define ALTTCP_PROC_TABLE const struct ctl_table
#else
#define ALTTCP_PROC_TABLE struct ctl_table
#endif

/* 6.6 sized sysctl tables; before it they end at a zeroed entry. */
static inline struct ctl_table_header *
alttcp_register_net_sysctl(struct net *net, const char *path,
			   struct ctl_table *table, size_t size)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 6, 0)
	return register_net_sysctl_sz(net, path, table, size);
#else
	return register_net_sysctl(net, path, table);
#endif
}

/* 6.2 gave dumps a struct genl_info, as doit handlers have. */
static inline struct nlattr **alttcp_dump_attrs(struct netlink_callback *cb)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
	return genl_dumpit_info(cb)->info.attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* 6.6 moved the inet_sock flag bitfields into atomic inet_flags. */
static inline void alttcp_inet_set_mc_loop(struct sock *sk)
{
#ifdef inet_set_bit
	inet_set_bit(MC_LOOP, sk);
#else
	inet_sk(sk)->mc_loop = 1;
#endif
}

static inline bool alttcp_inet_bind_address_no_port(const struct sock *sk)
{
#ifdef inet_test_bit
	return inet_test_bit(BIND_ADDRESS_NO_PORT, sk);
#else
	return inet_sk(sk)->bind_address_no_port;
#endif
}

/* SOCK_REFCNT_DEBUG's counters went away in 6.2. */
static inline void alttcp_sk_refcnt_debug_inc(struct sock *sk)
{
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
	sk_refcnt_debug_inc(sk);
#endif
}

/*
 * 6.10 passes accept()'s flags in a struct proto_accept_arg.  The glue's
 * proto_ops entry point takes ALTTCP_ACCEPT_ARGS and reads them with
 * ALTTCP_ACCEPT_FLAGS and ALTTCP_ACCEPT_KERN.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define ALTTCP_ACCEPT_ARGS	struct proto_accept_arg *accept_arg
#define ALTTCP_ACCEPT_FLAGS	(accept_arg->flags)
#define ALTTCP_ACCEPT_KERN	(accept_arg->kern)
#else
#define ALTTCP_ACCEPT_ARGS	int accept_flags, bool accept_kern
#define ALTTCP_ACCEPT_FLAGS	(accept_flags)
#define ALTTCP_ACCEPT_KERN	(accept_kern)
#endif

#endif /* _ALTTCP_COMPAT_H */
