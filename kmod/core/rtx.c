// SPDX-License-Identifier: GPL-2.0
/*
 * Reliability: what an ACK does to the send side, RTT/RTO (RFC 6298) and
 * the retransmission and persist timeouts.  The send ring is the
 * retransmission queue: bytes stay there until cumulatively acked.
 * Congestion control lives in cc.c, the SACK scoreboard in sack.c.
 */
#include "at_internal.h"

at_u32 at_in_flight(const struct at_conn *c)
{
	return c->snd_nxt - c->snd_una;
}

static at_u32 rto_min(const struct at_conn *c)
{
	return (at_u32)c->ctx->params->rto_min_ms * AT_USEC_PER_MSEC;
}

static at_u32 rto_max(const struct at_conn *c)
{
	return (at_u32)c->ctx->params->rto_max_ms * AT_USEC_PER_MSEC;
}

void at_rto_init(struct at_conn *c)
{
	c->rto = (at_u32)c->ctx->params->rto_initial_ms * AT_USEC_PER_MSEC;
	c->srtt = 0;
	c->rttvar = 0;
}

/* base << n, saturating at rto_max. */
at_u64 at_backoff(const struct at_conn *c, at_u32 base_us, at_u32 n)
{
	at_u64 v = base_us;

	while (n-- && v < rto_max(c))
		v <<= 1;
	return AT_MIN(v, (at_u64)rto_max(c));
}

void at_rtt_sample(struct at_conn *c, at_u32 r)
{
	at_u32 delta, rto;

	if (!r)
		r = 1;
	if (!c->srtt) {
		c->srtt = r;
		c->rttvar = r / 2;
	} else {
		delta = c->srtt > r ? c->srtt - r : r - c->srtt;
		c->rttvar = c->rttvar - c->rttvar / 4 + delta / 4;
		c->srtt = c->srtt - c->srtt / 8 + r / 8;
	}
	rto = c->srtt + AT_MAX(4 * c->rttvar, (at_u32)AT_USEC_PER_MSEC);
	c->rto = AT_MIN(AT_MAX(rto, rto_min(c)), rto_max(c));
}

void at_rearm_rtx(struct at_conn *c, at_u64 now)
{
	c->persist = 0;
	if (at_in_flight(c))
		c->rtx_at = now + at_backoff(c, c->rto, c->retransmits);
	else
		c->rtx_at = 0;
}

/* ---- ACK processing ---- */

static void update_window(struct at_conn *c, const struct at_seg *seg)
{
	if (at_seq_lt(c->snd_wl1, seg->seq) ||
	    (c->snd_wl1 == seg->seq && at_seq_le(c->snd_wl2, seg->ack))) {
		c->snd_wnd = (at_u32)seg->window << c->snd_wscale;
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = seg->ack;
		c->max_window = AT_MAX(c->max_window, c->snd_wnd);
	}
}

static void drop_acked(struct at_conn *c, at_u32 ack)
{
	at_u32 data_end = at_fin_seq(c);
	at_u32 upto = at_seq_min(ack, data_end);
	at_u32 n;

	if (at_seq_gt(upto, c->snd_buf_seq)) {
		n = upto - c->snd_buf_seq;
		at_ring_pop(&c->snd_ring, n);
		c->snd_buf_seq += n;
		c->bytes_acked += n;
	}
	if (c->fin_sent && at_seq_gt(ack, at_fin_seq(c)))
		c->fin_acked = 1;
}

void at_ack_received(struct at_conn *c, const struct at_seg *seg,
		     at_u64 now)
{
	at_u32 ack = seg->ack, acked, old_wnd = c->snd_wnd;

	if (c->sack_ok && seg->opt.nr_sack)
		at_sack_update(c, seg);
	update_window(c, seg);
	/* Any acceptable ACK shows the peer alive (Linux's tcp_ack). */
	c->probes_out = 0;
	if (!at_seq_gt(ack, c->snd_una)) {
		/*
		 * Only data is fast-retransmitted: while our SYN is unacked
		 * (closed in SYN_RECV) it is what is in flight, and the
		 * retransmission timer resends it.
		 */
		if (ack == c->snd_una && !seg->len &&
		    !(seg->flags & (AT_SYN | AT_FIN)) &&
		    c->snd_wnd == old_wnd && at_in_flight(c) && c->syn_acked)
			at_cc_dupack(c, now);
		return;
	}
	acked = ack - c->snd_una;
	c->syn_acked = 1;	/* the SYN is the first thing any ACK covers */
	drop_acked(c, ack);
	c->snd_una = ack;
	if (at_seq_lt(c->snd_nxt, ack))
		c->snd_nxt = ack;
	if (c->rtt_pending && at_seq_gt(ack, c->rtt_seq)) {
		c->rtt_pending = 0;
		at_rtt_sample(c, (at_u32)(now - c->rtt_time));
	}
	c->retransmits = 0;
	c->probes_out = 0;
	c->una_stamp = now;
	at_sack_trim(c);
	at_cc_new_ack(c, acked, now);
	at_rearm_rtx(c, now);
	if (c->snd_ring.len < c->snd_ring.size && !c->shut_wr)
		at_event_conn(c, AT_EV_WRITABLE);
}

/* ---- retransmission timeout ---- */

static int orphan_retries(const struct at_conn *c)
{
	int r = at_conn_get_param(c, c->ov.orphan_retries,
				  c->ctx->params->orphan_retries);

	return r ? r : AT_ORPHAN_RETRIES_WHEN_ZERO;
}


static at_bool user_timed_out(const struct at_conn *c, at_u64 now)
{
	int ut = c->ov.user_timeout_ms;

	return ut != AT_UNSET && ut > 0 &&
	       now - c->una_stamp >= (at_u64)ut * AT_USEC_PER_MSEC;
}

/* Next timeout, cut short so a user timeout fires on time. */
static void arm_backoff(struct at_conn *c, at_u64 now)
{
	int ut = c->ov.user_timeout_ms;
	at_u64 at = now + at_backoff(c, c->rto, c->retransmits);
	at_u64 limit;

	if (ut != AT_UNSET && ut > 0) {
		limit = c->una_stamp + (at_u64)ut * AT_USEC_PER_MSEC;
		if (limit > now && limit < at)
			at = limit;
	}
	c->rtx_at = at;
}

static void syn_timeout(struct at_conn *c, at_u64 now)
{
	const struct at_params *p = c->ctx->params;
	int limit = c->state == AT_SYN_SENT ?
		at_conn_get_param(c, c->ov.syn_retries, p->syn_retries) :
		at_conn_get_param(c, c->ov.synack_retries, p->synack_retries);

	if (user_timed_out(c, now) || (int)c->retransmits >= limit) {
		AT_INC(c->ctx, ABORT_ON_TIMEOUT);
		at_conn_done(c, c->state == AT_SYN_SENT ?
			     AT_R_SYN_RETRIES_EXHAUSTED :
			     AT_R_SYNACK_RETRIES_EXHAUSTED, AT_ETIMEDOUT);
		return;
	}
	c->retransmits++;
	c->total_retrans++;
	AT_INC(c->ctx, RETRANS_SEGS);
	if (c->state == AT_SYN_SENT)
		AT_INC(c->ctx, SYN_RETRANSMITS);
	else
		AT_INC(c->ctx, SYNACK_RETRANSMITS);
	at_send_syn(c, now);
	arm_backoff(c, now);
}

static void persist_timeout(struct at_conn *c, at_u64 now)
{
	struct at_out out;
	at_u32 used;

	/*
	 * probes_out counts unanswered probes (any ACK resets it): a dead
	 * peer is given up after retries2.  An orphan is also bounded by
	 * orphan_retries backoffs however live its zero-window peer is, so a
	 * peer that never reads cannot pin our memory (as Linux).
	 */
	if (c->probes_out >= (at_u32)c->ctx->params->retries2 ||
	    (c->orphan && (int)c->retransmits >= orphan_retries(c))) {
		AT_INC(c->ctx, ABORT_ON_TIMEOUT);
		at_conn_done(c, c->orphan ? AT_R_ORPHAN_RETRIES_EXHAUSTED :
			     AT_R_RETRANSMIT_TIMEOUT, AT_ETIMEDOUT);
		return;
	}
	/*
	 * A window too small for the sender's SWS rule: fill it now (as
	 * Linux's tcp_write_wakeup).  A closed one: probe with an old
	 * sequence number, which forces an ACK carrying the window.
	 */
	if (at_seq_gt(c->snd_una + c->snd_wnd, c->snd_nxt) &&
	    at_seq_lt(c->snd_nxt, at_fin_seq(c))) {
		used = at_send_segment(c, c->snd_nxt,
				       AT_MIN(c->snd_una + c->snd_wnd - c->snd_nxt,
					      c->snd_mss), AT_SEG_PUSH, now);
		c->snd_nxt += used;
		c->persist = 0;
		at_rearm_rtx(c, now);
		return;
	}
	at_out_init(c, &out);
	out.seq = c->snd_una - 1;
	at_emit_conn(c, &out, now);
	c->probes_out++;
	c->retransmits++;
	c->rtx_at = now + at_backoff(c, c->rto, c->retransmits);
	c->persist = 1;
}

static void loss_window(struct at_conn *c)
{
	c->ssthresh = AT_MAX(at_in_flight(c) / 2, 2 * c->snd_mss);
	c->cwnd = c->snd_mss;
	c->ca_acked = 0;
	c->in_recovery = 0;
	c->dupacks = 0;
	c->recover = c->snd_max;
	/*
	 * Keep the SACK scoreboard through a first timeout, so go-back-N
	 * resends only the holes; a second one in a row may mean the
	 * receiver reneged (RFC 2018 allows it): then forget it.
	 */
	if (c->retransmits)
		c->nr_sacked = 0;
	c->snd_nxt = c->snd_una;
	c->rtt_pending = 0;	/* Karn */
}

void at_rtx_timeout(struct at_conn *c, at_u64 now)
{
	int limit = c->orphan ? orphan_retries(c) : c->ctx->params->retries2;
	at_u32 used;

	if (c->state == AT_SYN_SENT || c->state == AT_SYN_RECV ||
	    !c->syn_acked) {
		syn_timeout(c, now);
		return;
	}
	if (c->persist) {
		persist_timeout(c, now);
		return;
	}
	if (!at_in_flight(c))
		return;
	if (user_timed_out(c, now) || (int)c->retransmits >= limit) {
		AT_INC(c->ctx, ABORT_ON_TIMEOUT);
		at_conn_done(c, user_timed_out(c, now) ? AT_R_USER_TIMEOUT :
			     c->orphan ? AT_R_ORPHAN_RETRIES_EXHAUSTED :
			     AT_R_RETRANSMIT_TIMEOUT, AT_ETIMEDOUT);
		return;
	}
	if ((int)c->retransmits == c->ctx->params->retries1)
		at_event_conn(c, AT_EV_ROUTE_ADVICE);
	loss_window(c);
	used = at_send_segment(c, c->snd_una, c->snd_mss, AT_SEG_RETRANS,
			      now);
	c->snd_nxt += used;
	c->retransmits++;
	arm_backoff(c, now);
}
