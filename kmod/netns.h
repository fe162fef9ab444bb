/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_NETNS_H
#define _ALTTCP_NETNS_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "alttcp_core.h"
#include "params.h"

struct ctl_table_header;

#define ALTTCP_PORT_HASH_SIZE	256

/* Everything alttcp keeps for one network namespace. */
struct alttcp_net {
	struct net *net;
	struct at_params params;
	/*
	 * Serialises writers of params (sysctl and netlink) so that a netlink
	 * set of several values is applied all at once or not at all.  The
	 * protocol reads single ints and needs no lock.
	 */
	struct mutex params_lock;
	struct ctl_table_header *sysctl_hdr;

	/*
	 * The protocol lock: every call into the core for this namespace,
	 * and every change to the tables below, happens under it (with
	 * bottom halves off).  Lookups from the input hook run under RCU
	 * first, so packets that are not alttcp's never touch it.  See
	 * Documentation/alttcp.rst, "Locking".
	 */
	spinlock_t lock;
	struct at_ctx ctx;
	struct list_head arm_list;	/* objects whose timer needs rearming */
	struct list_head listener_rules;	/* listener.c */

	struct hlist_head *ehash;	/* connections, requests, TIME_WAIT */
	unsigned int ehash_mask;
	struct hlist_head lhash[ALTTCP_PORT_HASH_SIZE];	/* listeners */
	struct hlist_head bhash[ALTTCP_PORT_HASH_SIZE];	/* bound ports */
	u32 hash_seed;
	u32 gen;			/* bumped by every table change: dumps */
};

extern unsigned int alttcp_net_id;

static inline struct alttcp_net *alttcp_net(const struct net *net)
{
	return net_generic(net, alttcp_net_id);
}

/*
 * The core sees addresses as opaque 32-bit values in network order, and
 * ports in host order.
 */
static inline at_u32 alttcp_addr(__be32 addr)
{
	return (__force at_u32)addr;
}

static inline __be32 alttcp_be_addr(at_u32 addr)
{
	return (__force __be32)addr;
}

/* The core's clock: monotonic microseconds. */
static inline u64 alttcp_now(void)
{
	return div_u64(ktime_get_ns(), NSEC_PER_USEC);
}

static inline void alttcp_lock(struct alttcp_net *an)
	__acquires(&an->lock)
{
	spin_lock_bh(&an->lock);
}

void alttcp_unlock(struct alttcp_net *an) __releases(&an->lock);

int alttcp_netns_register(void);
void alttcp_netns_unregister(void);

#endif /* _ALTTCP_NETNS_H */
