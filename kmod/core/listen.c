// SPDX-License-Identifier: GPL-2.0
/*
 * Listeners: SYN queue of compact request entries, SYN cookies when it is
 * full, the accept queue, and the birth of child connections.
 *
 * The SYN-queue rule (B10), documented in DESIGN.md:
 *  - accept queue full (acc_len >= min(backlog, somaxconn), at least 1):
 *    a new SYN is dropped (ListenOverflows + ListenDrops); a final ACK is
 *    dropped too, or answered with RST under abort_on_overflow;
 *  - syncookies = 2: every SYN is answered with a cookie;
 *  - SYN queue at max_syn_backlog (per listener): syncookies = 1 answers
 *    with a cookie (SyncookiesSent), syncookies = 0 drops (ListenDrops);
 *  - otherwise a request entry is queued.
 */
#include "at_internal.h"

static int acc_limit(const struct at_conn *l)
{
	return l->backlog > 0 ? l->backlog : 1;
}

int at_accept_queue_full(const struct at_conn *l)
{
	return (int)l->acc_len >= acc_limit(l);
}

void at_accept_enqueue(struct at_conn *l, struct at_conn *c)
{
	struct at_event ev;

	c->acc_next = NULL;
	if (l->acc_tail)
		l->acc_tail->acc_next = c;
	else
		l->acc_head = c;
	l->acc_tail = c;
	l->acc_len++;
	at_memset(&ev, 0, sizeof(ev));
	ev.kind = AT_EV_ACCEPT_READY;
	ev.conn = c;
	ev.listener = l;
	ev.conn_glue = l->glue;
	l->ctx->ops->event(l->ctx->glue, &ev);
}

struct at_conn *at_accept(struct at_conn *l)
{
	struct at_conn *c = l->acc_head;

	if (!c)
		return NULL;
	l->acc_head = c->acc_next;
	if (!l->acc_head)
		l->acc_tail = NULL;
	l->acc_len--;
	c->acc_next = NULL;
	c->listener = NULL;
	c->accepted = 1;
	return c;
}

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

static at_u16 listener_window(const struct at_conn *l)
{
	return (at_u16)AT_MIN(l->cfg.rcvbuf, 65535U);
}

static AT_NOINLINE void synack_build(const struct at_req *r, struct at_out *out,
			 at_u64 now)
{
	const struct at_conn *l = r->listener;

	at_memset(out, 0, sizeof(*out));
	out->tuple = r->tuple;
	out->seq = r->iss;
	out->ack = r->irs + 1;
	out->flags = AT_SYN | AT_ACK;
	out->window = listener_window(l);
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

	synack_build(r, &out, now);
	out.retransmit = retrans;
	if (retrans) {
		AT_INC(ctx, RETRANS_SEGS);
		AT_INC(ctx, SYNACK_RETRANSMITS);
		r->sent = 0;	/* the ACK may answer either copy */
	}
	at_emit(ctx, &out);
}

/* Fill a request from a SYN: option negotiation happens here. */
static void req_from_syn(struct at_req *r, struct at_conn *l,
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

static AT_NOINLINE void send_cookie(struct at_conn *l, const struct at_seg *seg,
			at_u64 now)
{
	struct at_req r;
	struct at_out out;
	at_u16 mss;

	req_from_syn(&r, l, seg, now);
	r.iss = at_cookie_make(l->ctx, &seg->tuple, seg->seq, r.peer_mss, now,
			       &mss);
	if (!r.ts_ok) {
		/* Without timestamps there is nowhere to keep these. */
		r.ws_ok = 0;
		r.sack_ok = 0;
		r.rcv_wscale = 0;
	}
	synack_build(&r, &out, now);
	if (r.ts_ok)
		out.opt.tsval = at_cookie_ts(now, r.ts_off, &r);
	l->cookie_stamp = now;
	AT_INC(l->ctx, SYNCOOKIES_SENT);
	at_emit(l->ctx, &out);
}

static AT_NOINLINE void queue_req(struct at_conn *l, const struct at_seg *seg,
		      at_u64 now)
{
	struct at_ctx *ctx = l->ctx;
	struct at_req *r;

	r = ctx->ops->alloc(ctx->glue, sizeof(*r), AT_ALLOC_REQ);
	if (!r) {
		AT_INC(ctx, LISTEN_DROPS);
		return;
	}
	req_from_syn(r, l, seg, now);
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

static void syn_input(struct at_conn *l, const struct at_seg *seg,
		      at_u64 now)
{
	const struct at_params *p = l->ctx->params;
	at_bool full = l->syn_qlen >= (at_u32)p->max_syn_backlog;

	if (at_accept_queue_full(l)) {
		AT_INC(l->ctx, LISTEN_OVERFLOWS);
		AT_INC(l->ctx, LISTEN_DROPS);
		return;
	}
	if (p->syncookies == 2 || (full && p->syncookies == 1)) {
		send_cookie(l, seg, now);
		return;
	}
	if (full) {
		AT_INC(l->ctx, LISTEN_DROPS);
		return;
	}
	queue_req(l, seg, now);
}

/* A child in SYN_RECV from a request; the ACK then completes it. */
struct at_conn *at_child_create(struct at_conn *l, const struct at_seg *seg,
				const struct at_req *r, at_u64 now)
{
	struct at_conn *c = at_conn_alloc(l->ctx, &r->tuple, &l->cfg);

	(void)seg;
	if (!c)
		return NULL;
	c->ov = l->ov;
	c->keepalive = l->keepalive;
	c->nodelay = l->nodelay;
	c->iss = r->iss;
	c->snd_una = r->iss;
	c->snd_nxt = r->iss + 1;
	c->snd_max = r->iss + 1;
	c->snd_buf_seq = r->iss + 1;
	c->recover = r->iss;
	c->irs = r->irs;
	c->rcv_nxt = r->irs + 1;
	c->last_ack_sent = c->rcv_nxt;
	c->rcv_adv = c->rcv_nxt + listener_window(l);
	c->peer_mss = r->peer_mss;
	c->ts_ok = r->ts_ok;
	c->ts_recent = r->ts_recent;
	c->ts_recent_stamp = now;
	c->ts_off = r->ts_off;
	c->sack_ok = r->sack_ok;
	c->ws_ok = r->ws_ok;
	c->snd_wscale = r->snd_wscale;
	c->rcv_wscale = r->rcv_wscale;
	c->una_stamp = now;
	at_conn_init_mss(c);
	/* Like Linux's tcp_synack_rtt_meas: Karn forbids it after a resend. */
	if (r->sent && !r->retrans)
		at_rtt_sample(c, (at_u32)now - r->sent_us);
	c->state = AT_SYN_RECV;
	c->listener = l;
	AT_INC(l->ctx, PASSIVE_OPENS);
	return c;
}

static void child_event(struct at_conn *l, struct at_req *r,
			struct at_conn *c)
{
	struct at_event ev;

	at_memset(&ev, 0, sizeof(ev));
	ev.kind = AT_EV_CHILD_NEW;
	ev.listener = l;
	ev.req = r;
	ev.conn = c;
	ev.new_state = AT_SYN_RECV;
	l->ctx->ops->event(l->ctx->glue, &ev);
}

/* Let the child process the completing ACK (and any data or FIN on it). */
static void child_start(struct at_conn *l, struct at_req *r,
			struct at_conn *c, struct at_seg *seg, at_u64 now)
{
	child_event(l, r, c);
	if (r && r->listener)
		at_req_free(r, AT_R_NONE);
	at_conn_input_sync(c, seg, now);
	at_conn_release(c);
}

static at_bool overflow_on_ack(struct at_conn *l, const struct at_seg *seg)
{
	if (!at_accept_queue_full(l))
		return 0;
	AT_INC(l->ctx, LISTEN_OVERFLOWS);
	AT_INC(l->ctx, LISTEN_DROPS);
	if (l->ctx->params->abort_on_overflow)
		at_send_rst_reply(l->ctx, seg);
	return 1;
}

static AT_NOINLINE void cookie_ack(struct at_conn *l, struct at_seg *seg, at_u64 now)
{
	struct at_ctx *ctx = l->ctx;
	struct at_req r;
	struct at_conn *c;
	int idx;

	/* Only look for cookies if we sent some lately (as Linux). */
	if (!ctx->params->syncookies || !l->cookie_stamp ||
	    now - l->cookie_stamp > 2 * 60 * AT_USEC_PER_SEC)
		goto reset;
	idx = at_cookie_check(ctx, &seg->tuple, seg->seq - 1, seg->ack - 1,
			      now);
	if (idx < 0) {
		AT_INC(ctx, SYNCOOKIES_FAILED);
		goto reset;
	}
	AT_INC(ctx, SYNCOOKIES_RECV);
	if (overflow_on_ack(l, seg))
		return;
	at_memset(&r, 0, sizeof(r));
	r.listener = l;
	r.tuple = seg->tuple;
	r.iss = seg->ack - 1;
	r.irs = seg->seq - 1;
	r.peer_mss = at_cookie_mss_table[idx];
	if (l->ts_want && (seg->opt.present & AT_OPT_TS)) {
		r.ts_ok = 1;
		r.ts_recent = seg->opt.tsval;
		r.ts_off = at_ts_offset(ctx, &seg->tuple);
		at_cookie_ts_decode(seg->opt.tsecr, &r);
		r.ws_ok = r.ws_ok && l->ws_want;
		r.sack_ok = r.sack_ok && l->sack_want;
		r.rcv_wscale = r.ws_ok ? l->rcv_wscale : 0;
	}
	c = at_child_create(l, seg, &r, now);
	if (!c) {
		AT_INC(ctx, LISTEN_DROPS);
		return;
	}
	c->from_cookie = 1;
	child_start(l, NULL, c, seg, now);
	return;

reset:
	at_send_rst_reply(ctx, seg);
}

void at_listen_input(struct at_conn *l, struct at_seg *seg, at_u64 now)
{
	if (seg->flags & AT_RST)
		return;
	if (seg->flags & AT_ACK) {
		if (seg->flags & AT_SYN)
			at_send_rst_reply(l->ctx, seg);
		else
			cookie_ack(l, seg, now);
		return;
	}
	if (seg->flags & AT_SYN)
		syn_input(l, seg, now);
}


void at_req_input(struct at_req *r, struct at_seg *seg, at_u64 now)
{
	struct at_conn *l = r->listener;
	struct at_conn *c;

	AT_INC(l->ctx, IN_SEGS);
	if (seg->flags & AT_RST) {
		if (at_seq_ge(seg->seq, r->irs + 1) &&
		    at_seq_lt(seg->seq, r->irs + 1 + listener_window(l)))
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
	if (overflow_on_ack(l, seg)) {
		if (l->ctx->params->abort_on_overflow)
			at_req_free(r, AT_R_LISTEN_OVERFLOW);
		return;
	}
	c = at_child_create(l, seg, r, now);
	if (!c) {
		AT_INC(l->ctx, LISTEN_DROPS);
		return;
	}
	child_start(l, r, c, seg, now);
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
void at_listen_stop(struct at_conn *l, at_u64 now)
{
	struct at_conn *c;

	(void)now;
	while (l->req_head)
		at_req_free(l->req_head, AT_R_LISTENER_CLOSED);
	while ((c = at_accept(l))) {
		c->orphan = 1;
		AT_ADD(&l->ctx->orphan_count, 1);
		at_conn_abort(c, AT_R_LISTENER_CLOSED, 0, 1);
		c->dead = 1;	/* already CLOSED (reset) children too */
		at_conn_release(c);
	}
}
