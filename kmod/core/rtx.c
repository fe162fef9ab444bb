// SPDX-License-Identifier: GPL-2.0
/*
 * Reliability: what an ACK does to the send side, RTT/RTO (RFC 6298),
 * congestion control (RFC 5681 NewReno with RFC 6582 partial ACKs), the
 * SACK scoreboard (RFC 2018, loss recovery after RFC 6675) and the
 * retransmission timeout.  The send ring is the retransmission queue: bytes
 * stay there until cumulatively acked.
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

/* ---- SACK scoreboard ---- */

static void sb_remove(struct at_conn *c, int i)
{
	int j;

	for (j = i; j + 1 < c->nr_sacked; j++)
		c->sacked[j] = c->sacked[j + 1];
	c->nr_sacked--;
}

static void sb_insert(struct at_conn *c, at_u32 s, at_u32 e)
{
	int i = 0, j;

	while (i < c->nr_sacked && at_seq_lt(c->sacked[i].end, s))
		i++;
	/* Merge every block that touches [s, e). */
	while (i < c->nr_sacked && at_seq_le(c->sacked[i].start, e)) {
		s = at_seq_min(s, c->sacked[i].start);
		e = at_seq_max(e, c->sacked[i].end);
		sb_remove(c, i);
	}
	if (c->nr_sacked == AT_SB_MAX)
		return;
	for (j = c->nr_sacked; j > i; j--)
		c->sacked[j] = c->sacked[j - 1];
	c->sacked[i].start = s;
	c->sacked[i].end = e;
	c->nr_sacked++;
}

static void sb_trim(struct at_conn *c)
{
	while (c->nr_sacked && at_seq_le(c->sacked[0].end, c->snd_una))
		sb_remove(c, 0);
	if (c->nr_sacked && at_seq_lt(c->sacked[0].start, c->snd_una))
		c->sacked[0].start = c->snd_una;
}

void at_sack_update(struct at_conn *c, const struct at_seg *seg)
{
	const struct at_sack_block *b;
	int i;

	for (i = 0; i < seg->opt.nr_sack; i++) {
		b = &seg->opt.sack[i];
		/* RFC 2018: ignore D-SACKs and blocks beyond what we sent. */
		if (!at_seq_lt(b->start, b->end) ||
		    at_seq_le(b->end, c->snd_una) ||
		    at_seq_gt(b->end, c->snd_max))
			continue;
		sb_insert(c, at_seq_max(b->start, c->snd_una), b->end);
	}
	sb_trim(c);
}

static at_u32 high_sacked(const struct at_conn *c)
{
	return c->nr_sacked ? c->sacked[c->nr_sacked - 1].end : c->snd_una;
}

at_bool at_seq_sacked(const struct at_conn *c, at_u32 seq, at_u32 *end)
{
	int i;

	for (i = 0; i < c->nr_sacked; i++) {
		if (at_seq_ge(seq, c->sacked[i].start) &&
		    at_seq_lt(seq, c->sacked[i].end)) {
			*end = c->sacked[i].end;
			return 1;
		}
	}
	return 0;
}

/* Unsacked bytes in [from, to). */
static at_u32 hole_bytes(const struct at_conn *c, at_u32 from, at_u32 to)
{
	at_u32 n = 0, s, e;
	int i;

	if (!at_seq_lt(from, to))
		return 0;
	n = to - from;
	for (i = 0; i < c->nr_sacked; i++) {
		s = at_seq_max(c->sacked[i].start, from);
		e = at_seq_min(c->sacked[i].end, to);
		if (at_seq_lt(s, e))
			n -= e - s;
	}
	return n;
}

/*
 * RFC 6675 pipe, simplified: everything below the highest SACK that is not
 * sacked counts as lost unless retransmitted in this recovery.
 */
at_u32 at_sack_pipe(const struct at_conn *c)
{
	at_u32 high = high_sacked(c);
	at_u32 pipe = at_seq_gt(c->snd_nxt, high) ? c->snd_nxt - high : 0;
	at_u32 rtx_end = at_seq_min(at_seq_max(c->rtx_next, c->snd_una), high);

	return pipe + hole_bytes(c, c->snd_una, rtx_end);
}

at_bool at_sack_next_hole(struct at_conn *c, at_u32 *start, at_u32 *len)
{
	at_u32 high = high_sacked(c);
	at_u32 seq = at_seq_max(c->rtx_next, c->snd_una);
	at_u32 end;
	int i;

	while (at_seq_lt(seq, high) && at_seq_sacked(c, seq, &end))
		seq = end;
	if (!at_seq_lt(seq, high) || !at_seq_lt(seq, c->snd_nxt))
		return 0;
	end = high;
	for (i = 0; i < c->nr_sacked; i++) {
		if (at_seq_gt(c->sacked[i].start, seq)) {
			end = c->sacked[i].start;
			break;
		}
	}
	*start = seq;
	*len = AT_MIN(end - seq, c->snd_mss);
	return 1;
}

/* ---- congestion control ---- */

static void enter_recovery(struct at_conn *c, at_u64 now)
{
	at_u32 flight = at_in_flight(c);

	c->ssthresh = AT_MAX(flight / 2, 2 * c->snd_mss);
	c->recover = c->snd_max;
	c->in_recovery = 1;
	c->rtx_next = c->snd_una;
	if (c->sack_ok) {
		c->cwnd = c->ssthresh;
		at_output(c, now);
		return;
	}
	c->cwnd = c->ssthresh + AT_DUPTHRESH * c->snd_mss;
	at_send_segment(c, c->snd_una, c->snd_mss, 1, now);
	c->rtt_pending = 0;
}

static void on_dupack(struct at_conn *c, at_u64 now)
{
	c->dupacks++;
	if (c->in_recovery) {
		if (!c->sack_ok)
			c->cwnd += c->snd_mss;
		return;
	}
	/* RFC 6582 4.1: no new recovery for dupacks of the previous one. */
	if (c->dupacks == AT_DUPTHRESH && at_seq_ge(c->snd_una, c->recover))
		enter_recovery(c, now);
}

static void on_new_ack(struct at_conn *c, at_u32 acked, at_u64 now)
{
	if (c->in_recovery) {
		if (at_seq_ge(c->snd_una, c->recover)) {
			c->in_recovery = 0;
			c->cwnd = AT_MIN(c->ssthresh,
					 at_in_flight(c) + c->snd_mss);
		} else if (!c->sack_ok) {
			/* Partial ACK: the next hole is at snd_una. */
			at_send_segment(c, c->snd_una, c->snd_mss, 1, now);
			c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
			c->cwnd += c->snd_mss;
		}
		return;
	}
	c->dupacks = 0;
	/* Drag recover along so the RFC 6582 test survives sequence wrap. */
	if (at_seq_lt(c->recover, c->snd_una))
		c->recover = c->snd_una;
	if (c->cwnd < c->ssthresh)
		c->cwnd += AT_MIN(acked, c->snd_mss);
	else
		c->cwnd += AT_MAX(c->snd_mss * c->snd_mss / c->cwnd, 1U);
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
		if (ack == c->snd_una && !seg->len &&
		    !(seg->flags & (AT_SYN | AT_FIN)) &&
		    c->snd_wnd == old_wnd && at_in_flight(c))
			on_dupack(c, now);
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
	sb_trim(c);
	on_new_ack(c, acked, now);
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
	int limit = c->state == AT_SYN_SENT || c->state == AT_CLOSED ?
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

	if (c->probes_out >= (at_u32)c->ctx->params->retries2 &&
	    c->orphan) {
		AT_INC(c->ctx, ABORT_ON_TIMEOUT);
		at_conn_done(c, AT_R_RETRANSMIT_TIMEOUT, AT_ETIMEDOUT);
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
					      c->snd_mss), 0, now);
		c->snd_nxt += used;
		c->persist = 0;
		at_rearm_rtx(c, now);
		return;
	}
	at_out_init(c, &out);
	out.seq = c->snd_una - 1;
	at_emit_conn(c, &out, now);
	c->probes_out++;
	c->rtx_at = now + at_backoff(c, c->rto, c->probes_out);
	c->persist = 1;
}

static void loss_window(struct at_conn *c)
{
	c->ssthresh = AT_MAX(at_in_flight(c) / 2, 2 * c->snd_mss);
	c->cwnd = c->snd_mss;
	c->in_recovery = 0;
	c->dupacks = 0;
	c->recover = c->snd_max;
	c->nr_sacked = 0;	/* RFC 2018: the receiver may have reneged */
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
	used = at_send_segment(c, c->snd_una, c->snd_mss, 1, now);
	c->snd_nxt += used;
	c->retransmits++;
	arm_backoff(c, now);
}
