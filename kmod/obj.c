// SPDX-License-Identifier: GPL-2.0
/*
 * Memory and timers for the core's objects.
 *
 * The core allocates through at_ops.alloc; connections, requests and
 * TIME_WAIT entries get a struct alttcp_obj in front, which holds their
 * table node and their one timer.  Buffers are plain allocations.
 *
 * Everything the core does runs under alttcp_net.lock with bottom halves
 * off, so allocations cannot sleep.  A freed object stays readable until
 * an RCU grace period has passed: the input hook may still be walking its
 * hash chain, or its timer may be waiting for the lock on another CPU (it
 * then sees ->dead and leaves).
 */
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "netns.h"
#include "obj.h"
#include "sock.h"
#include "table.h"

/*
 * One cache per kind: the objects are fixed-size, and /proc/slabinfo then
 * shows how many connections, requests and TIME_WAIT entries exist.
 */
static struct kmem_cache *obj_cache[AT_ALLOC_TW + 1];

static const char *const obj_cache_name[AT_ALLOC_TW + 1] = {
	[AT_ALLOC_CONN] = "alttcp_conn",
	[AT_ALLOC_REQ] = "alttcp_request",
	[AT_ALLOC_TW] = "alttcp_timewait",
};

static size_t core_size(enum at_alloc_kind kind)
{
	switch (kind) {
	case AT_ALLOC_CONN:
		return at_sizeof_conn();
	case AT_ALLOC_REQ:
		return at_sizeof_req();
	case AT_ALLOC_TW:
		return at_sizeof_tw();
	default:
		return 0;
	}
}

int __init alttcp_obj_caches_create(void)
{
	enum at_alloc_kind kind;

	for (kind = AT_ALLOC_CONN; kind <= AT_ALLOC_TW; kind++) {
		if (!obj_cache_name[kind])
			continue;
		obj_cache[kind] = kmem_cache_create(obj_cache_name[kind],
				sizeof(struct alttcp_obj) + core_size(kind),
				0, 0, NULL);
		if (!obj_cache[kind])
			goto err_destroy;
	}
	return 0;

err_destroy:
	alttcp_obj_caches_destroy();
	return -ENOMEM;
}

void alttcp_obj_caches_destroy(void)
{
	enum at_alloc_kind kind;

	for (kind = AT_ALLOC_CONN; kind <= AT_ALLOC_TW; kind++) {
		kmem_cache_destroy(obj_cache[kind]);
		obj_cache[kind] = NULL;
	}
}

static void obj_free_rcu(struct rcu_head *head)
{
	struct alttcp_obj *obj = container_of(head, struct alttcp_obj, rcu);

	kmem_cache_free(obj_cache[obj->kind], obj);
}

static u64 obj_poll_at(struct alttcp_obj *obj)
{
	switch (obj->kind) {
	case AT_ALLOC_CONN:
		return at_conn_poll_at((struct at_conn *)obj->core);
	case AT_ALLOC_REQ:
		return at_req_poll_at((struct at_req *)obj->core);
	case AT_ALLOC_TW:
		return at_tw_poll_at((struct at_tw *)obj->core);
	}
	return 0;
}

static void obj_rearm(struct alttcp_obj *obj, u64 now)
{
	u64 at = obj_poll_at(obj);

	if (obj->kind == AT_ALLOC_CONN) {
		struct alttcp_sock *as = at_conn_glue((struct at_conn *)obj->core);

		if (as)
			alttcp_sock_account(as);
	}

	if (!at) {
		del_timer(&obj->timer);
		return;
	}
	/* usecs_to_jiffies() rounds up: the timer never fires early. */
	mod_timer(&obj->timer,
		  jiffies + usecs_to_jiffies(at > now ? at - now : 0));
}

static void obj_timer(struct timer_list *t)
{
	struct alttcp_obj *obj = from_timer(obj, t, timer);
	struct alttcp_net *an = obj->an;
	u64 now;

	alttcp_lock(an);
	if (obj->dead)
		goto out_unlock;
	now = alttcp_now();
	switch (obj->kind) {
	case AT_ALLOC_CONN:
		at_conn_timer((struct at_conn *)obj->core, now);
		break;
	case AT_ALLOC_REQ:
		at_req_timer((struct at_req *)obj->core, now);
		break;
	case AT_ALLOC_TW:
		at_tw_timer((struct at_tw *)obj->core, now);
		break;
	}
	alttcp_obj_mark(obj);
out_unlock:
	alttcp_unlock(an);
}

void *alttcp_obj_alloc(struct alttcp_net *an, size_t size,
		       enum at_alloc_kind kind)
{
	struct alttcp_obj *obj;

	if (kind == AT_ALLOC_BUF)
		return kmalloc(size, GFP_ATOMIC | __GFP_NOWARN);

	if (WARN_ON_ONCE(kind > AT_ALLOC_TW || size != core_size(kind)))
		return NULL;
	obj = kmem_cache_zalloc(obj_cache[kind], GFP_ATOMIC | __GFP_NOWARN);
	if (!obj)
		return NULL;
	obj->an = an;
	obj->kind = kind;
	obj->born_us = alttcp_now();
	INIT_HLIST_NODE(&obj->hnode);
	INIT_LIST_HEAD(&obj->arm_node);
	timer_setup(&obj->timer, obj_timer, 0);
	return obj->core;
}

void alttcp_obj_free(struct alttcp_net *an, void *ptr,
		     enum at_alloc_kind kind)
{
	struct alttcp_obj *obj;

	if (kind == AT_ALLOC_BUF) {
		kfree(ptr);
		return;
	}
	obj = alttcp_obj_of(ptr);
	WRITE_ONCE(obj->dead, true);
	del_timer(&obj->timer);
	list_del_init(&obj->arm_node);
	alttcp_ehash_del(obj);
	if (obj->bind) {
		alttcp_bind_put(an, obj->bind);
		obj->bind = NULL;
	}
	call_rcu(&obj->rcu, obj_free_rcu);
}

/* Rearm @obj's timer from its poll_at before the lock is dropped. */
void alttcp_obj_mark(struct alttcp_obj *obj)
{
	if (!obj->dead && list_empty(&obj->arm_node))
		list_add_tail(&obj->arm_node, &obj->an->arm_list);
}

void alttcp_obj_rearm_marked(struct alttcp_net *an)
{
	struct alttcp_obj *obj, *tmp;
	u64 now = alttcp_now();

	list_for_each_entry_safe(obj, tmp, &an->arm_list, arm_node) {
		list_del_init(&obj->arm_node);
		obj_rearm(obj, now);
	}
}
