// SPDX-License-Identifier: GPL-2.0
/*
 * What the core asks of the kernel (struct at_ops): memory, randomness,
 * the wire, and the events through which it tells the glue to rehash an
 * object or wake a socket.  Called under alttcp_net.lock.
 */
#include <linux/random.h>

#include "events.h"
#include "netns.h"
#include "obj.h"
#include "ops.h"
#include "output.h"
#include "sock.h"
#include "table.h"

static void *ops_alloc(void *glue, at_usize size, enum at_alloc_kind kind)
{
	return alttcp_obj_alloc(glue, size, kind);
}

static void ops_free(void *glue, void *ptr, enum at_alloc_kind kind)
{
	alttcp_obj_free(glue, ptr, kind);
}

static void ops_random(void *glue, void *buf, at_usize len)
{
	get_random_bytes(buf, len);
}

static void ops_emit(void *glue, const struct at_out *out)
{
	alttcp_output(glue, out);
}

/* A connection the core made for a listener: it shares the listener's port. */
static void child_new(struct alttcp_net *an, const struct at_event *ev)
{
	struct alttcp_obj *obj = alttcp_obj_of(ev->conn);
	struct alttcp_sock *ls = at_conn_glue(ev->listener);
	struct at_conn_info info;

	if (ev->req) {
		alttcp_ehash_replace(alttcp_obj_of(ev->req), obj);
	} else {
		at_conn_info(ev->conn, alttcp_now(), &info);
		alttcp_ehash_add(an, obj, &info.tuple);
	}
	if (ls && ls->bind) {
		obj->bind = ls->bind;
		alttcp_bind_hold(obj->bind);
	}
	alttcp_obj_mark(obj);
}

/* The connection's place, port and socket pass to its TIME_WAIT entry. */
static void tw_enter(const struct at_event *ev)
{
	struct alttcp_obj *cobj = alttcp_obj_of(ev->conn);
	struct alttcp_obj *tobj = alttcp_obj_of(ev->tw);

	alttcp_ehash_replace(cobj, tobj);
	tobj->bind = cobj->bind;
	cobj->bind = NULL;
	alttcp_obj_mark(tobj);
}

static void ops_event(void *glue, const struct at_event *ev)
{
	struct alttcp_net *an = glue;
	struct alttcp_sock *as = ev->conn ? at_conn_glue(ev->conn) : NULL;

	switch (ev->kind) {
	case AT_EV_REQ_NEW:
		alttcp_ehash_add(an, alttcp_obj_of(ev->req), at_req_tuple(ev->req));
		alttcp_obj_mark(alttcp_obj_of(ev->req));
		break;
	case AT_EV_REQ_FREED:
		alttcp_ehash_del(alttcp_obj_of(ev->req));
		break;
	case AT_EV_CHILD_NEW:
		child_new(an, ev);
		break;
	case AT_EV_TW_ENTER:
		tw_enter(ev);
		break;
	case AT_EV_TW_FREED:
		alttcp_ehash_del(alttcp_obj_of(ev->tw));
		break;
	case AT_EV_CONN_FREED:
		alttcp_ehash_del(alttcp_obj_of(ev->conn));
		break;
	case AT_EV_ACCEPT_READY:
		as = at_conn_glue(ev->listener);
		break;
	default:
		break;
	}
	if (ev->conn)
		alttcp_obj_mark(alttcp_obj_of(ev->conn));
	if (as)
		alttcp_sock_event(as, ev);
	alttcp_event_notify(an, ev);
}

const struct at_ops alttcp_core_ops = {
	.alloc = ops_alloc,
	.free = ops_free,
	.random = ops_random,
	.emit = ops_emit,
	.event = ops_event,
};

/* Every core call ends here: rearm the timers it touched, then unlock. */
void alttcp_unlock(struct alttcp_net *an)
	__releases(&an->lock)
{
	alttcp_obj_rearm_marked(an);
	spin_unlock_bh(&an->lock);
}
