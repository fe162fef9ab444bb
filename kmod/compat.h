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
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define register_net_sysctl_sz(net, path, table, size) \
	register_net_sysctl(net, path, table)
#endif

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

/* SOCK_REFCNT_DEBUG's counters went away in 6.2. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define sk_refcnt_debug_inc(sk) do { } while (0)
#endif

/*
 * 6.10 passes accept()'s flags in a struct proto_accept_arg.  The glue
 * implements accept as (sock, newsock, flags, kern); this defines the
 * proto_ops entry point around it.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 10, 0)
#define ALTTCP_DEFINE_ACCEPT_OP(name, impl)				\
	static int name(struct socket *sock, struct socket *newsock,	\
			struct proto_accept_arg *arg)			\
	{								\
		return impl(sock, newsock, arg->flags, arg->kern);	\
	}
#else
#define ALTTCP_DEFINE_ACCEPT_OP(name, impl)				\
	static int name(struct socket *sock, struct socket *newsock,	\
			int flags, bool kern)				\
	{								\
		return impl(sock, newsock, flags, kern);		\
	}
#endif

#endif /* _ALTTCP_COMPAT_H */
