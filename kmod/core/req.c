// SPDX-License-Identifier: GPL-2.0
/*
 * SYN_RECV request entries: the compact state a listener keeps for a
 * half-open connection (B8, B9), their SYN+ACK and its retransmission,
 * and the arrival of the ACK that turns one into a child connection.
 */
#include "at_internal.h"

static void req_event(struct at_req *r, enum at_event_kind kind, int old,
		      int new, enum at_reason reason, struct at_conn *child)
{
	struct at_conn *l = r->listener;
	struct at_event ev;

	at_memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.req = r;
	ev.listener = l;
	ev.conn = child;
	ev.old_state = (at_u8)old;
	ev.new_state = (at_u8)new;
	ev.reason = (at_u16)reason;
	l->ctx->ops->event(l->ctx->glue, &ev);
}

/* Unlink and free; reason NONE means "became a connection". */
void at_req_free(struct at_req *r, enum at_reason reason)
{
	struct at_conn *l = r->listener;
	struct at_ctx *ctx = l->ctx;

	if (reason != AT_R_NONE)
		req_event(r, AT_EV_STATE, AT_SYN_RECV,
			  reason == AT_R_RST_RECEIVED ? AT_LISTEN : AT_CLOSED,
			  reason, NULL);
	req_event(r, AT_EV_REQ_FREED, AT_SYN_RECV, AT_CLOSED, reason, NULL);
	if (r->prev)
		r->prev->next = r->next;
	else
		l->req_head = r->next;
	if (r->next)
		r->next->prev = r->prev;
	l->syn_qlen--;
	AT_SUB(&ctx->req_count, 1);
	ctx->ops->free(ctx->glue, r, AT_ALLOC_REQ);
}

void at_synack_build(const struct at_req *r, struct at_out *out, at_u64 now)
{
	const struct at_conn *l = r->listener;

	at_memset(out, 0, sizeof(*out));
	out->tuple = r->tuple;
	out->seq = r->iss;
	out->ack = r->irs + 1;
	out->flags = AT_SYN | AT_ACK;
	out->window = at_req_window(r);
	out->opt.present = AT_OPT_MSS;
	out->opt.mss = (at_u16)AT_MIN((at_u32)l->adv_mss, 65535U);
	if (r->ws_ok) {
		out->opt.present |= AT_OPT_WSCALE;
		out->opt.wscale = r->rcv_wscale;
	}
	if (r->sack_ok)
		out->opt.present |= AT_OPT_SACK_OK;
	if (r->ts_ok) {
		out->opt.present |= AT_OPT_TS;
		out->opt.tsval = at_ts_now(now, r->ts_off);
		out->opt.tsecr = r->ts_recent;
	}
}

void at_req_send_synack(struct at_req *r, at_bool retrans, at_u64 now)
{
	struct at_ctx *ctx = r->listener->ctx;
	struct at_out out;

	at_synack_build(r, &out, now);
	out.retransmit = retrans;
	if (retrans) {
		AT_INC(ctx, RETRANS_SEGS);
		AT_INC(ctx, SYNACK_RETRANSMITS);
		r->sent = 0;	/* the ACK may answer either copy */
	}
	at_emit(ctx, &out);
}

/* Fill a request from a SYN: option negotiation happens here. */
void at_req_from_syn(struct at_req *r, struct at_conn *l,
		     const struct at_seg *seg, at_u64 now)
{
	const struct at_opts *o = &seg->opt;

	at_memset(r, 0, sizeof(*r));
	r->listener = l;
	r->tuple = seg->tuple;
	r->irs = seg->seq;
	r->peer_mss = (o->present & AT_OPT_MSS) && o->mss ? o->mss :
		      AT_DEFAULT_MSS;
	r->ts_ok = l->ts_want && (o->present & AT_OPT_TS);
	r->sack_ok = l->sack_want && (o->present & AT_OPT_SACK_OK);
	r->ws_ok = l->ws_want && (o->present & AT_OPT_WSCALE);
	r->snd_wscale = r->ws_ok ? o->wscale : 0;
	r->rcv_wscale = r->ws_ok ? l->rcv_wscale : 0;
	r->ts_recent = o->tsval;
	r->ts_off = at_ts_offset(l->ctx, &seg->tuple);
	r->iss = seg->has_isn_hint ? seg->isn_hint :
		 at_isn(l->ctx, &seg->tuple, now);
}

void at_req_queue(struct at_conn *l, const struct at_seg *seg, at_u64 now)
{
	struct at_ctx *ctx = l->ctx;
	struct at_req *r;

	r = ctx->ops->alloc(ctx->glue, sizeof(*r), AT_ALLOC_REQ);
	if (!r) {
		AT_LISTEN_DROP(l);
		return;
	}
	at_req_from_syn(r, l, seg, now);
	r->deadline = now + (at_u64)ctx->params->rto_initial_ms *
			    AT_USEC_PER_MSEC;
	r->next = l->req_head;
	if (r->next)
		r->next->prev = r;
	l->req_head = r;
	l->syn_qlen++;
	AT_ADD(&ctx->req_count, 1);
	req_event(r, AT_EV_REQ_NEW, AT_LISTEN, AT_SYN_RECV, AT_R_NONE, NULL);
	req_event(r, AT_EV_STATE, AT_LISTEN, AT_SYN_RECV, AT_R_SYN_RECEIVED,
		  NULL);
	r->sent = 1;
	r->sent_us = (at_u32)now;
	at_req_send_synack(r, 0, now);
}

/*
 * As Linux's tcp_check_req(): the ACK must pass the same PAWS and window
 * checks the child would make, or the child would drop it and be left in
 * SYN_RECV with no timer and off the accept queue.
 */
static at_bool req_acceptable(const struct at_req *r, const struct at_seg *seg)
{
	at_u32 wnd = at_req_window(r);
	at_u32 start = r->irs + 1;
	at_u32 len = seg->len + !!(seg->flags & AT_FIN);

	if (r->ts_ok && (seg->opt.present & AT_OPT_TS) &&
	    (at_s32)(r->ts_recent - seg->opt.tsval) > AT_PAWS_WINDOW) {
		AT_INC(r->listener->ctx, PAWS_REJECTED);
		return 0;
	}
	if (seg->seq - start < wnd)
		return 1;
	return len && seg->seq + len - 1 - start < wnd;
}

/* RFC 9293 3.10.7.4: an unacceptable segment is answered with an ACK. */
static void req_send_ack(struct at_req *r, at_u64 now)
{
	struct at_out out;

	at_synack_build(r, &out, now);
	out.seq = r->iss + 1;
	out.flags = AT_ACK;
	out.opt.present &= AT_OPT_TS;
	/* Past the SYN-ACK a window is scaled (Linux: tcp_v4_reqsk_send_ack). */
	out.window >>= r->rcv_wscale;
	at_emit(r->listener->ctx, &out);
}

void at_req_input(struct at_req *r, struct at_seg *seg, at_u64 now)
{
	struct at_conn *l = r->listener;
	struct at_conn *c;

	AT_INC(l->ctx, IN_SEGS);
	if (seg->flags & AT_RST) {
		if (at_seq_ge(seg->seq, r->irs + 1) &&
		    at_seq_lt(seg->seq, r->irs + 1 + at_req_window(r)))
			at_req_free(r, AT_R_RST_RECEIVED);
		return;
	}
	if ((seg->flags & AT_SYN) && !(seg->flags & AT_ACK)) {
		if (seg->seq == r->irs)
			at_req_send_synack(r, 1, now);
		return;
	}
	if (!(seg->flags & AT_ACK))
		return;
	if (seg->ack != r->iss + 1 || (seg->flags & AT_SYN)) {
		at_send_rst_reply(l->ctx, seg);
		return;
	}
	if (!req_acceptable(r, seg)) {
		req_send_ack(r, now);
		return;
	}
	if (at_overflow_on_ack(l, seg)) {
		if (l->ctx->params->abort_on_overflow)
			at_req_free(r, AT_R_LISTEN_OVERFLOW);
		return;
	}
	c = at_child_create(l, seg, r, now);
	if (!c) {
		AT_LISTEN_DROP(l);
		return;
	}
	at_child_start(l, r, c, seg, now);
}

at_u64 at_req_poll_at(const struct at_req *r)
{
	return r->deadline;
}

/* B8: SYN+ACK at 0, 1, 3, 7 .. s; the entry dies one doubling later. */
void at_req_timer(struct at_req *r, at_u64 now)
{
	struct at_conn *l = r->listener;
	const struct at_params *p = l->ctx->params;
	int limit = at_conn_get_param(l, l->ov.synack_retries,
				      p->synack_retries);
	at_u64 base = (at_u64)p->rto_initial_ms * AT_USEC_PER_MSEC;

	if (now < r->deadline)
		return;
	if (r->retrans >= limit) {
		at_req_free(r, AT_R_SYNACK_RETRIES_EXHAUSTED);
		return;
	}
	r->retrans++;
	at_req_send_synack(r, 1, now);
	r->deadline = now + at_backoff(l, (at_u32)base, r->retrans);
}

const struct at_tuple *at_req_tuple(const struct at_req *r)
{
	return &r->tuple;
}

/* close() of a listener: drop half-open entries, reset unaccepted kids. */
