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

/* What the listener's SYN-ACK to @r offers, and the child starts from. */
at_u16 at_req_window(const struct at_req *r)
{
	const struct at_conn *l = r->listener;

	return at_syn_window(&l->cfg, at_synack_mss(l->adv_mss, r->ts_ok));
}

static AT_NOINLINE void send_cookie(struct at_conn *l,
				     const struct at_seg *seg, at_u64 now)
{
	struct at_req r;
	struct at_out out;
	at_u16 mss;

	at_req_from_syn(&r, l, seg, now);
	r.iss = at_cookie_make(l->ctx, &seg->tuple, seg->seq, r.peer_mss, now,
			       &mss);
	if (!r.ts_ok) {
		/* Without timestamps there is nowhere to keep these. */
		r.ws_ok = 0;
		r.sack_ok = 0;
		r.rcv_wscale = 0;
	}
	at_synack_build(&r, &out, now);
	if (r.ts_ok)
		out.opt.tsval = at_cookie_ts(now, r.ts_off, &r);
	l->cookie_stamp = now;
	AT_INC(l->ctx, SYNCOOKIES_SENT);
	at_emit(l->ctx, &out);
}

static void syn_input(struct at_conn *l, const struct at_seg *seg,
		      at_u64 now)
{
	const struct at_params *p = l->ctx->params;
	at_bool full = l->syn_qlen >= (at_u32)p->max_syn_backlog;

	if (at_accept_queue_full(l)) {
		AT_LISTEN_OVERFLOW(l);
		AT_LISTEN_DROP(l);
		return;
	}
	if (p->syncookies == 2 || (full && p->syncookies == 1)) {
		send_cookie(l, seg, now);
		return;
	}
	if (full) {
		AT_LISTEN_DROP(l);
		return;
	}
	at_req_queue(l, seg, now);
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
	c->rcv_adv = c->rcv_nxt + at_req_window(r);
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
void at_child_start(struct at_conn *l, struct at_req *r, struct at_conn *c,
		    struct at_seg *seg, at_u64 now)
{
	child_event(l, r, c);
	if (r && r->listener)
		at_req_free(r, AT_R_NONE);
	at_conn_input_sync(c, seg, now);
	at_conn_release(c);
}

at_bool at_overflow_on_ack(struct at_conn *l, const struct at_seg *seg)
{
	if (!at_accept_queue_full(l))
		return 0;
	AT_LISTEN_OVERFLOW(l);
	AT_LISTEN_DROP(l);
	if (l->ctx->params->abort_on_overflow)
		at_send_rst_reply(l->ctx, seg);
	return 1;
}

static AT_NOINLINE void cookie_ack(struct at_conn *l, struct at_seg *seg,
				    at_u64 now)
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
	if (at_overflow_on_ack(l, seg))
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
		AT_LISTEN_DROP(l);
		return;
	}
	c->from_cookie = 1;
	at_child_start(l, NULL, c, seg, now);
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
	/* SYN+FIN is no way to open a connection: Linux drops it too. */
	if ((seg->flags & (AT_SYN | AT_FIN)) == AT_SYN)
		syn_input(l, seg, now);
}


void at_listen_stop(struct at_conn *l, at_u64 now)
{
	struct at_conn *c;

	while (l->req_head)
		at_req_free(l->req_head, AT_R_LISTENER_CLOSED);
	while ((c = at_accept(l))) {
		c->orphan = 1;
		AT_ADD(&l->ctx->orphan_count, 1);
		at_conn_abort(c, AT_R_LISTENER_CLOSED, 0, 1, now);
		c->dead = 1;	/* already CLOSED (reset) children too */
		at_conn_release(c);
	}
}

