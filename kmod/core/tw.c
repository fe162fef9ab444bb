// SPDX-License-Identifier: GPL-2.0
/*
 * Compact TIME_WAIT entries.  What TIME_WAIT must still do (C6, C8, C11):
 * re-ACK a retransmitted FIN and restart 2MSL, let a new SYN with a higher
 * sequence or timestamp take the tuple over, resist RST assassination when
 * rfc1337 is set, and support tw_reuse.  That needs the tuple, both
 * sequence edges, the timestamp state and the deadline: 56 bytes on LP64
 * instead of Linux's 272 for a tw_sock.
 */
#include "at_internal.h"

static int tw_timeout_of(const struct at_conn *c)
{
	return at_conn_get_param(c, c->ov.tw_timeout,
				 c->ctx->params->tw_timeout);
}

void at_tw_fill(struct at_tw *tw, const struct at_conn *c, at_u64 now)
{
	at_memset(tw, 0, sizeof(*tw));
	tw->ctx = c->ctx;
	tw->deadline = c->state_at ? c->state_at :
		       now + (at_u64)tw_timeout_of(c) * AT_USEC_PER_SEC;
	tw->tuple = c->tuple;
	tw->snd_nxt = c->snd_nxt;
	tw->rcv_nxt = c->rcv_nxt;
	tw->ts_recent = c->ts_recent;
	tw->ts_off = c->ts_off;
	tw->ts_recent_ms = (at_u32)(c->ts_recent_stamp / AT_USEC_PER_MSEC);
	tw->timeout_sec = (at_u32)tw_timeout_of(c);
	tw->rcv_wnd = (at_u16)AT_MIN(at_ring_free_space(&c->rcv_ring) >>
				     c->rcv_wscale, 65535U);
	tw->loopback = c->loopback;
	tw->ts_ok = c->ts_ok;
}

static void tw_event(struct at_tw *tw, enum at_event_kind kind,
		     struct at_conn *c, enum at_reason reason)
{
	struct at_event ev;

	at_memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.tw = tw;
	ev.conn = c;
	ev.conn_glue = c ? c->glue : NULL;
	ev.old_state = AT_TIME_WAIT;
	ev.new_state = kind == AT_EV_TW_ENTER ? AT_TIME_WAIT : AT_CLOSED;
	ev.reason = (at_u16)reason;
	tw->ctx->ops->event(tw->ctx->glue, &ev);
}

struct at_tw *at_tw_create(struct at_conn *c, at_u64 now)
{
	struct at_ctx *ctx = c->ctx;
	struct at_tw *tw;

	tw = ctx->ops->alloc(ctx->glue, sizeof(*tw), AT_ALLOC_TW);
	if (!tw)
		return NULL;
	at_tw_fill(tw, c, now);
	tw_event(tw, AT_EV_TW_ENTER, c, AT_R_NONE);
	return tw;
}

void at_tw_kill(struct at_tw *tw, enum at_reason reason)
{
	struct at_ctx *ctx = tw->ctx;

	tw_event(tw, AT_EV_TW_FREED, NULL, reason);
	AT_SUB(&ctx->tw_count, 1);
	ctx->ops->free(ctx->glue, tw, AT_ALLOC_TW);
}

static void tw_ack(struct at_tw *tw, at_u64 now)
{
	struct at_out out;

	at_memset(&out, 0, sizeof(out));
	out.tuple = tw->tuple;
	out.seq = tw->snd_nxt;
	out.ack = tw->rcv_nxt;
	out.flags = AT_ACK;
	out.window = tw->rcv_wnd;
	if (tw->ts_ok) {
		out.opt.present = AT_OPT_TS;
		out.opt.tsval = at_ts_now(now, tw->ts_off);
		out.opt.tsecr = tw->ts_recent;
	}
	at_emit(tw->ctx, &out);
}

static void tw_restart(struct at_tw *tw, at_u64 now)
{
	tw->deadline = now + (at_u64)tw->timeout_sec * AT_USEC_PER_SEC;
}

static at_bool tw_paws_reject(struct at_tw *tw, const struct at_seg *seg,
			      at_u64 now)
{
	at_u32 idle_ms = (at_u32)(now / AT_USEC_PER_MSEC) - tw->ts_recent_ms;

	/*
	 * RFC 7323 5.5, as input.c: after 24 days idle the peer's clock may
	 * have run half its space, and its timestamps look old.
	 */
	return tw->ts_ok && (seg->opt.present & AT_OPT_TS) &&
	       !(seg->flags & AT_RST) &&
	       (at_s32)(seg->opt.tsval - tw->ts_recent) < 0 &&
	       idle_ms <= AT_PAWS_IDLE_US / AT_USEC_PER_MSEC;
}

static at_bool tw_new_syn(struct at_tw *tw, struct at_seg *seg)
{
	if ((seg->flags & (AT_SYN | AT_RST | AT_ACK)) != AT_SYN)
		return 0;
	if (!at_seq_gt(seg->seq, tw->rcv_nxt) &&
	    !(tw->ts_ok && (seg->opt.present & AT_OPT_TS) &&
	      (at_s32)(tw->ts_recent - seg->opt.tsval) < 0))
		return 0;
	/* Start far above anything the old incarnation used. */
	seg->isn_hint = tw->snd_nxt + 65535 + 2;
	seg->has_isn_hint = 1;
	return 1;
}

/* Linux's tcp_timewait_state_process() for the TIME_WAIT substate. */
enum at_tw_verdict at_tw_input(struct at_tw *tw, struct at_seg *seg,
			       at_u64 now)
{
	at_bool paws = tw_paws_reject(tw, seg, now);

	AT_INC(tw->ctx, IN_SEGS);
	if (!paws && seg->seq == tw->rcv_nxt &&
	    (!seg->len || (seg->flags & AT_RST)) &&
	    !(seg->flags & (AT_SYN | AT_FIN))) {
		if (seg->flags & AT_RST) {
			/* RFC 1337: with rfc1337 set, RST cannot kill us. */
			if (!tw->ctx->params->rfc1337)
				at_tw_kill(tw, AT_R_TW_KILLED_BY_RST);
		} else {
			tw_restart(tw, now);
		}
		return AT_TW_DONE;
	}
	if (!paws && tw_new_syn(tw, seg))
		return AT_TW_SYN_OK;
	if (paws)
		AT_INC(tw->ctx, PAWS_REJECTED);
	if (seg->flags & AT_RST)
		return AT_TW_DONE;
	/* C6: a retransmitted FIN (or anything else) is acked again. */
	if (paws || (seg->flags & AT_ACK))
		tw_restart(tw, now);
	tw_ack(tw, now);
	return AT_TW_DONE;
}

at_u64 at_tw_poll_at(const struct at_tw *tw)
{
	return tw->deadline;
}

void at_tw_timer(struct at_tw *tw, at_u64 now)
{
	if (now < tw->deadline)
		return;
	AT_INC(tw->ctx, TW);
	at_tw_kill(tw, AT_R_TW_EXPIRED);
}

/* C11: tw_reuse 1 = always, 2 = loopback only; needs timestamps, > 1 s. */
at_bool at_tw_can_reuse(const struct at_tw *tw, at_u64 now,
			at_bool loopback)
{
	int reuse = tw->ctx->params->tw_reuse;
	at_u32 now_ms = (at_u32)(now / AT_USEC_PER_MSEC);

	if (!reuse || (reuse == 2 && !loopback && !tw->loopback))
		return 0;
	if (!tw->ts_ok)
		return 0;
	return (at_s32)(now_ms - tw->ts_recent_ms) > 1000;
}

const struct at_tuple *at_tw_tuple(const struct at_tw *tw)
{
	return &tw->tuple;
}
