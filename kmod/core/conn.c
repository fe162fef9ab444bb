// SPDX-License-Identifier: GPL-2.0
/*
 * Connection lifetime: allocation, state changes with their reason codes
 * and counters, the way to CLOSED, and the hand-over to TIME_WAIT.
 *
 * A connection that the application has released (an orphan) is freed by
 * the core when it dies; freeing is deferred to the end of the entry point
 * (at_conn_release) so no code path ever touches a freed control block.
 */
#include "at_internal.h"

int at_conn_get_param(const struct at_conn *c, int ov, int param)
{
	(void)c;
	return ov != AT_UNSET ? ov : param;
}

void at_overrides_unset(struct at_overrides *o)
{
	o->syn_retries = AT_UNSET;
	o->synack_retries = AT_UNSET;
	o->orphan_retries = AT_UNSET;
	o->tw_timeout = AT_UNSET;
	o->linger2 = AT_UNSET;
	o->keepalive_time = AT_UNSET;
	o->keepalive_intvl = AT_UNSET;
	o->keepalive_probes = AT_UNSET;
	o->user_timeout_ms = AT_UNSET;
}

void at_event_conn(struct at_conn *c, enum at_event_kind kind)
{
	struct at_event ev;

	at_memset(&ev, 0, sizeof(ev));
	ev.kind = kind;
	ev.conn = c;
	ev.conn_glue = c->glue;
	ev.new_state = c->state;
	ev.err = c->err;
	c->ctx->ops->event(c->ctx->glue, &ev);
}

static int estab_like(int state)
{
	return state == AT_ESTABLISHED || state == AT_CLOSE_WAIT;
}

static void count_transition(struct at_conn *c, int old, int state)
{
	if (state == AT_TIME_WAIT)
		AT_ADD(&c->ctx->tw_count, 1);
	if (!estab_like(old) && estab_like(state))
		AT_INC(c->ctx, CURR_ESTAB);
	if (estab_like(old) && !estab_like(state))
		AT_DEC(c->ctx, CURR_ESTAB);
	if (state == AT_CLOSED && (old == AT_SYN_SENT || old == AT_SYN_RECV))
		AT_INC(c->ctx, ATTEMPT_FAILS);
	if (old == AT_TIME_WAIT)
		AT_SUB(&c->ctx->tw_count, 1);
}

void at_set_state(struct at_conn *c, int state, enum at_reason reason)
{
	struct at_event ev;
	int old = c->state;

	if (old == state)
		return;
	c->state = (at_u8)state;
	count_transition(c, old, state);
	at_memset(&ev, 0, sizeof(ev));
	ev.kind = AT_EV_STATE;
	ev.conn = c;
	ev.conn_glue = c->glue;
	ev.old_state = (at_u8)old;
	ev.new_state = (at_u8)state;
	ev.reason = (at_u16)reason;
	c->ctx->ops->event(c->ctx->glue, &ev);
}

static void stop_timers(struct at_conn *c)
{
	c->rtx_at = 0;
	c->delack_at = 0;
	c->ka_at = 0;
	c->state_at = 0;
}

/* To CLOSED; wakes the application, or schedules the free of an orphan. */
void at_conn_done(struct at_conn *c, enum at_reason reason, int err)
{
	int old = c->state;

	/*
	 * As Linux's EstabResets: ESTABLISHED or CLOSE_WAIT straight to
	 * CLOSED, whoever reset it (a received RST, an abort of ours).
	 */
	if (old == AT_ESTABLISHED || old == AT_CLOSE_WAIT)
		AT_INC(c->ctx, ESTAB_RESETS);
	if (err)
		c->err = err;
	stop_timers(c);
	at_set_state(c, AT_CLOSED, reason);
	if (c->orphan) {
		c->dead = 1;
		return;
	}
	if (err)
		at_event_conn(c, AT_EV_ERROR);
	at_event_conn(c, AT_EV_READABLE);
	at_event_conn(c, AT_EV_WRITABLE);
}

void at_conn_abort(struct at_conn *c, enum at_reason reason, int err,
		   at_bool send_rst, at_u64 now)
{
	if (send_rst && c->state != AT_SYN_SENT && c->state != AT_CLOSED)
		at_send_rst_conn(c, now);
	at_conn_done(c, reason, err);
}

void at_conn_init_mss(struct at_conn *c)
{
	at_u32 mss = AT_MIN(c->peer_mss, c->adv_mss);

	/* A peer's MSS may be smaller than the timestamp option itself. */
	if (c->ts_ok)
		mss = mss > AT_TS_OPT_LEN ? mss - AT_TS_OPT_LEN : 0;
	c->snd_mss = AT_MAX(mss, 64U);
}

static void conn_defaults(struct at_conn *c, struct at_ctx *ctx,
			  const struct at_tuple *t)
{
	const struct at_params *p = ctx->params;

	c->ctx = ctx;
	c->tuple = *t;
	c->state = AT_CLOSED;
	c->loopback = c->cfg.loopback;
	at_overrides_unset(&c->ov);
	c->adv_mss = c->cfg.mtu > 80 ? c->cfg.mtu - 40U : AT_DEFAULT_MSS;
	c->peer_mss = AT_DEFAULT_MSS;
	c->ts_want = p->timestamps != 0;
	c->sack_want = p->sack != 0;
	c->ws_want = p->window_scaling != 0;
	c->rcv_wscale = c->ws_want ? at_pick_wscale(p, &c->cfg) : 0;
	c->ts_off = at_ts_offset(ctx, t);
	c->ssthresh = 0x7fffffff;
	at_rto_init(c);
	at_conn_init_mss(c);
	/*
	 * As Linux's tcp_init_sock(): a connection closed in SYN_RECV never
	 * passes at_conn_established(), and its data must not wait on a
	 * congestion window of 0 once the SYN is acked.
	 */
	c->cwnd = AT_INIT_CWND_SEGS * c->snd_mss;
}

struct at_conn *at_conn_alloc(struct at_ctx *ctx, const struct at_tuple *t,
			      const struct at_conn_cfg *cfg)
{
	struct at_conn *c;

	c = ctx->ops->alloc(ctx->glue, sizeof(*c), AT_ALLOC_CONN);
	if (!c)
		goto fail;
	at_memset(c, 0, sizeof(*c));
	c->cfg = *cfg;
	if (!c->cfg.sndbuf)
		c->cfg.sndbuf = AT_DEFAULT_BUF;
	if (!c->cfg.rcvbuf)
		c->cfg.rcvbuf = AT_DEFAULT_BUF;
	if (!c->cfg.mtu)
		c->cfg.mtu = 1500;
	if (at_ring_alloc(ctx, &c->snd_ring, c->cfg.sndbuf))
		goto free_conn;
	if (at_ring_alloc(ctx, &c->rcv_ring, c->cfg.rcvbuf))
		goto free_snd;
	conn_defaults(c, ctx, t);
	return c;

free_snd:
	at_ring_free(ctx, &c->snd_ring);
free_conn:
	ctx->ops->free(ctx->glue, c, AT_ALLOC_CONN);
fail:
	return NULL;
}

struct at_conn *at_conn_new(struct at_ctx *ctx, const struct at_tuple *t,
			    const struct at_conn_cfg *cfg, void *glue)
{
	struct at_conn *c = at_conn_alloc(ctx, t, cfg);

	if (c)
		c->glue = glue;
	return c;
}

void at_conn_free(struct at_conn *c)
{
	struct at_ctx *ctx = c->ctx;

	if (c->state == AT_TIME_WAIT)
		AT_SUB(&ctx->tw_count, 1);
	if (estab_like(c->state))
		AT_DEC(ctx, CURR_ESTAB);
	if (c->orphan)
		AT_SUB(&ctx->orphan_count, 1);
	at_event_conn(c, AT_EV_CONN_FREED);
	at_ring_free(ctx, &c->snd_ring);
	at_ring_free(ctx, &c->rcv_ring);
	ctx->ops->free(ctx->glue, c, AT_ALLOC_CONN);
}

void at_conn_release(struct at_conn *c)
{
	if (c->dead)
		at_conn_free(c);
}

void at_conn_set_glue(struct at_conn *c, void *glue)
{
	c->glue = glue;
}

void *at_conn_glue(const struct at_conn *c)
{
	return c->glue;
}

/* RFC 9293 3.10.7.4 first check, against the window we could accept. */
at_bool at_seq_acceptable(const struct at_conn *c, const struct at_seg *seg)
{
	at_u32 edge = c->rcv_nxt + at_ring_free_space(&c->rcv_ring);
	at_u32 wnd, len, end;

	edge = at_seq_max(edge, c->rcv_adv);
	wnd = edge - c->rcv_nxt;
	len = seg->len + !!(seg->flags & AT_SYN) + !!(seg->flags & AT_FIN);
	if (!len)
		return wnd ? at_seq_ge(seg->seq, c->rcv_nxt) &&
			     at_seq_lt(seg->seq, edge) :
			     seg->seq == c->rcv_nxt;
	if (!wnd)
		return 0;
	end = seg->seq + len - 1;
	return (at_seq_ge(seg->seq, c->rcv_nxt) && at_seq_lt(seg->seq, edge)) ||
	       (at_seq_ge(end, c->rcv_nxt) && at_seq_lt(end, edge));
}

void at_conn_established(struct at_conn *c, at_u64 now)
{
	c->cwnd = AT_INIT_CWND_SEGS * c->snd_mss;
	c->last_rcv = now;
	at_arm_keepalive(c, now);
	if (c->listener && !c->accepted)
		at_accept_enqueue(c->listener, c);
	else
		at_event_conn(c, AT_EV_WRITABLE);
}

/*
 * Entering TIME_WAIT: bounded by max_tw_buckets (C10).  An orphan trades
 * its control block for a compact entry at once; a connection the
 * application still holds keeps its block until close() (at_close).
 */
void at_enter_time_wait(struct at_conn *c, enum at_reason reason, at_u64 now)
{
	struct at_ctx *ctx = c->ctx;
	int tw_timeout = at_conn_get_param(c, c->ov.tw_timeout,
					   ctx->params->tw_timeout);

	if (ctx->tw_count >= (at_u32)ctx->params->max_tw_buckets) {
		AT_INC(ctx, TW_OVERFLOW);
		at_conn_done(c, AT_R_TW_OVERFLOW, 0);
		return;
	}
	at_set_state(c, AT_TIME_WAIT, reason);
	c->rtx_at = 0;
	c->delack_at = 0;
	c->ka_at = 0;
	c->state_at = now + (at_u64)tw_timeout * AT_USEC_PER_SEC;
	if (!c->orphan)
		return;
	if (!at_tw_create(c, now)) {
		/* Linux counts a failed TIME_WAIT allocation as overflow. */
		AT_INC(ctx, TW_OVERFLOW);
		at_conn_done(c, AT_R_TW_OVERFLOW, 0);
		return;
	}
	/* The entry carries the TIME_WAIT (and its tw_count) from here. */
	c->state = AT_CLOSED;
	c->dead = 1;
}
