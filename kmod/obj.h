/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _ALTTCP_OBJ_H
#define _ALTTCP_OBJ_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/timer.h>
#include <linux/types.h>

#include "alttcp_core.h"

struct alttcp_net;
struct alttcp_bind;

/*
 * What the glue prepends to every connection, SYN_RECV request and
 * TIME_WAIT entry that the core allocates: the lookup-table node, the one
 * timer, and the port the object holds.  None of the three needs a struct
 * sock to be found or timed; only connections an application still holds
 * have one.
 */
struct alttcp_obj {
	struct hlist_node hnode;	/* alttcp_net.ehash, RCU readers */
	struct list_head arm_node;	/* alttcp_net.arm_list */
	struct timer_list timer;
	struct rcu_head rcu;
	struct alttcp_net *an;
	struct alttcp_bind *bind;	/* port reference held, or NULL */
	struct at_tuple tuple;		/* lookup key, set when hashed */
	u64 born_us;			/* alttcp_now() at allocation */
	u8 kind;			/* enum at_alloc_kind */
	bool hashed;
	bool dead;			/* freed by the core; memory waits for RCU */
	/* The core's object; the core's alignment is at most 8. */
	u64 core[] __aligned(8);
};

static inline struct alttcp_obj *alttcp_obj_of(const void *core)
{
	return container_of((u64 *)core, struct alttcp_obj, core[0]);
}

int alttcp_obj_caches_create(void);
void alttcp_obj_caches_destroy(void);
void *alttcp_obj_alloc(struct alttcp_net *an, size_t size,
		       enum at_alloc_kind kind);
void alttcp_obj_free(struct alttcp_net *an, void *ptr,
		     enum at_alloc_kind kind);
void alttcp_obj_mark(struct alttcp_obj *obj);
void alttcp_obj_rearm_marked(struct alttcp_net *an);

#endif /* _ALTTCP_OBJ_H */
