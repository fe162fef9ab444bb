// SPDX-License-Identifier: GPL-2.0
/*
 * Everything that leaves the core: data and control segments of a
 * connection, ACKs (immediate and delayed), RSTs, challenge ACKs.  The
 * segment is described as header fields plus payload pieces pointing into
 * the send ring; ops->emit turns it into a packet.
 */
#include "at_internal.h"

at_u32 at_ts_now(at_u64 now, at_u32 off)
{
	/* 1 ms ticks, like Linux, offset per connection. */
	return (at_u32)(now / AT_USEC_PER_MSEC) + off;
}

at_u16 at_rcv_window(struct at_conn *c, at_bool syn)
{
	at_u32 free = at_ring_free_space(&c->rcv_ring);
	at_u32 w;

	if (syn)
		return at_syn_window(&c->cfg, c->state == AT_SYN_SENT ?
				     c->adv_mss : at_synack_mss(c->adv_mss, c->ts_ok));
	/*
	 * Receiver SWS avoidance (RFC 9293 3.8.6.2.2): while less than
	 * min(buffer/2, MSS) is free, keep the right edge where it was, so
	 * the window shrinks to zero instead of opening by crumbs.
	 */
	if (free < AT_MIN(c->rcv_ring.size / 2, c->adv_mss))
		free = at_seq_gt(c->rcv_adv, c->rcv_nxt) ?
		       AT_MIN(c->rcv_adv - c->rcv_nxt, free) : 0;
	w = AT_MIN(free >> c->rcv_wscale, 65535U);
	return (at_u16)w;
}

/*
 * Linux's tcp_win_from_space() with tcp_adv_win_scale 1: half of a buffer
 * is window, the rest pays for packet overhead.  alttcp's ring holds bare
 * payload, so later windows use all of it, but the SYN offers what
 * Linux's would.
 */
static at_u32 syn_space(const struct at_conn_cfg *cfg)
{
	return cfg->rcvbuf - cfg->rcvbuf / 2;
}

/*
 * The window of a SYN or SYN-ACK, as Linux's tcp_select_initial_window():
 * that space in whole segments of @mss (the MSS less the timestamp option
 * when it is on), at most 65535.
 */
at_u16 at_syn_window(const struct at_conn_cfg *cfg, at_u32 mss)
{
	at_u32 space = syn_space(cfg);

	if (mss && space > mss)
		space -= space % mss;
	return (at_u16)AT_MIN(space, 65535U);
}

/*
 * Our window scale, as Linux's: one that can offer the most the buffer may
 * grow to, rmem's max or net.core.rmem_max, unless the application fixed
 * SO_RCVBUF, which caps the window at that buffer's space.
 */
at_u8 at_pick_wscale(const struct at_params *p, const struct at_conn_cfg *cfg)
{
	at_u32 space = syn_space(cfg);
	at_u32 clamp = cfg->rcvbuf_locked ? space : AT_MAX_SCALED_WINDOW;
	at_u8 ws = 0;

	space = AT_MAX(space, (at_u32)p->rmem[2]);
	space = AT_MAX(space, cfg->rmem_max);
	space = AT_MIN(space, clamp);
	/* ilog2(space) - 15, within [0, 14] */
	while (ws < AT_MAX_WSCALE && (space >> (ws + 16)))
		ws++;
	return ws;
}

/* Wire segments an output stands for: a GSO super-segment is several. */
at_u32 at_out_segs(const struct at_out *out)
{
	at_u32 len = out->len[0] + out->len[1];

	if (!out->seg_size || len <= out->seg_size)
		return 1;
	return (len + out->seg_size - 1) / out->seg_size;
}

void at_emit(struct at_ctx *ctx, struct at_out *out)
{
	/* OutSegs counts wire segments, as Linux's does with TSO/GSO. */
	AT_ADD(&ctx->mib[AT_MIB_OUT_SEGS], at_out_segs(out));
	if (out->flags & AT_RST)
		AT_INC(ctx, OUT_RSTS);
	ctx->ops->emit(ctx->glue, out);
}

void at_out_init(const struct at_conn *c, struct at_out *out)
{
	at_memset(out, 0, sizeof(*out));
	out->tuple = c->tuple;
	/*
	 * After a timeout snd_nxt goes back to snd_una (go-back-N), but the
	 * peer may already hold more: only snd_max is surely in its window.
	 */
	out->seq = c->snd_max;
	out->ack = c->rcv_nxt;
	out->flags = AT_ACK;
	out->conn_glue = c->glue;
}

static void add_ts(const struct at_conn *c, struct at_out *out, at_u64 now)
{
	if (!c->ts_ok)
		return;
	out->opt.present |= AT_OPT_TS;
	out->opt.tsval = at_ts_now(now, c->ts_off);
	out->opt.tsecr = c->ts_recent;
}

/* Stamp window, timestamps and SACK blocks, then send. */
/*
 * SACK blocks a segment has room for.  Options and payload share the peer's
 * MSS (RFC 6691), of which snd_mss already leaves the timestamp's share: a
 * full-sized data segment has none left, and one with blocks would exceed
 * the path MTU and, with DF, never arrive.  Linux shrinks the payload
 * instead (tcp_current_mss); leaving the blocks to the next pure ACK keeps
 * the segmentation simple.
 */
static at_u8 sack_room(const struct at_conn *c, const struct at_out *out)
{
	at_u32 ts = c->ts_ok ? AT_TS_OPT_LEN : 0;
	at_u32 limit = c->snd_mss + ts;
	at_u32 used = out->len[0] + out->len[1] + ts;
	at_u32 room = limit > used ? limit - used : 0;

	if (room < AT_SACK_OPT_BASE + AT_SACK_BLOCK_LEN)
		return 0;
	return (at_u8)AT_MIN(c->ts_ok ? 3U : 4U,
			     (room - AT_SACK_OPT_BASE) / AT_SACK_BLOCK_LEN);
}

void at_emit_conn(struct at_conn *c, struct at_out *out, at_u64 now)
{
	at_bool syn = !!(out->flags & AT_SYN);
	at_u32 edge;

	out->window = at_rcv_window(c, syn);
	add_ts(c, out, now);
	if (c->sack_ok && !syn && !(out->flags & AT_RST))
		out->opt.nr_sack = at_sack_blocks(c, out->opt.sack,
						  sack_room(c, out));
	if (out->flags & AT_ACK) {
		edge = c->rcv_nxt + ((at_u32)out->window <<
				     (syn ? 0 : c->rcv_wscale));
		c->rcv_adv = at_seq_max(c->rcv_adv, edge);
		c->last_ack_sent = c->rcv_nxt;
		c->delack_at = 0;
		c->rcv_unacked = 0;
		c->quick_ack = 0;
	}
	c->segs_out += at_out_segs(out);
	at_emit(c->ctx, out);
}

void at_send_ack(struct at_conn *c, at_u64 now)
{
	struct at_out out;

	at_out_init(c, &out);
	at_emit_conn(c, &out, now);
}

void at_schedule_ack(struct at_conn *c, at_u64 now)
{
	/* RFC 5681 4.2: at least every second full-sized segment. */
	at_u32 rcv_mss = c->adv_mss - (c->ts_ok ? AT_TS_OPT_LEN : 0);

	if (c->quick_ack || c->rcv_unacked >= 2 * rcv_mss) {
		at_send_ack(c, now);
		return;
	}
	if (!c->delack_at)
		c->delack_at = now + AT_DELACK_US;
}

static void syn_options(struct at_conn *c, struct at_out *out)
{
	out->opt.present |= AT_OPT_MSS;
	out->opt.mss = (at_u16)c->adv_mss;
	if (c->ws_want && (c->state == AT_SYN_SENT || c->ws_ok)) {
		out->opt.present |= AT_OPT_WSCALE;
		out->opt.wscale = c->rcv_wscale;
	}
	if (c->sack_want && (c->state == AT_SYN_SENT || c->sack_ok))
		out->opt.present |= AT_OPT_SACK_OK;
}

/* SYN (SYN_SENT) or SYN+ACK (simultaneous open, SYN_RECV). */
void at_send_syn(struct at_conn *c, at_u64 now)
{
	struct at_out out;
	at_bool ts = c->state == AT_SYN_SENT ? c->ts_want : c->ts_ok;
	at_bool synack = c->state != AT_SYN_SENT;

	at_out_init(c, &out);
	out.seq = c->iss;
	out.flags = AT_SYN;
	if (c->state != AT_SYN_SENT)
		out.flags |= AT_ACK;
	else
		out.ack = 0;
	syn_options(c, &out);
	out.window = at_rcv_window(c, 1);
	if (ts) {
		out.opt.present |= AT_OPT_TS;
		out.opt.tsval = at_ts_now(now, c->ts_off);
		out.opt.tsecr = synack ? c->ts_recent : 0;
	}
	out.retransmit = c->retransmits > 0;
	c->segs_out++;
	if (c->snd_max == c->iss)
		c->snd_max = c->iss + 1;
	c->snd_nxt = c->iss + 1;
	at_emit(c->ctx, &out);
}

at_u32 at_fin_seq(const struct at_conn *c)
{
	return c->snd_buf_seq + c->snd_ring.len;
}

static void count_retransmit(struct at_conn *c, const struct at_out *out)
{
	AT_INC(c->ctx, RETRANS_SEGS);
	c->total_retrans++;
	if (out->flags & AT_FIN)
		AT_INC(c->ctx, FIN_RETRANSMITS);
}

/*
 * Send the segment starting at seq with at most max payload bytes (FIN
 * added when it fits); returns the sequence space it used.  seg_size != 0
 * makes it one GSO super-segment of max / seg_size segments (see struct
 * at_out): max is then a whole multiple of seg_size, and the caller's.
 */
static at_u32 send_segment(struct at_conn *c, at_u32 seq, at_u32 max,
			   at_u32 seg_size, unsigned int how, at_u64 now)
{
	at_bool retrans = !!(how & AT_SEG_RETRANS);
	at_u32 data_end = at_fin_seq(c);
	at_u32 off = seq - c->snd_buf_seq;
	at_u32 len = 0;
	struct at_out out;

	if (at_seq_lt(seq, data_end))
		len = AT_MIN(data_end - seq, max);
	at_out_init(c, &out);
	out.seq = seq;
	if (len) {
		at_ring_pieces(&c->snd_ring, off, len, out.data, out.len);
		/* As Linux's tcp_push(): a write's end, unless MSG_MORE. */
		if ((seq + len == data_end && !c->send_more) ||
		    (how & AT_SEG_PUSH))
			out.flags |= AT_PSH;
	}
	if (c->shut_wr && seq + len == data_end)
		out.flags |= AT_FIN;
	if (!len && !(out.flags & AT_FIN))
		return 0;
	out.retransmit = retrans;
	/*
	 * Linux's __tcp_transmit_skb() pushes every GSO packet so that the
	 * receiver's GRO flushes it at once; the split keeps PSH on its last
	 * wire segment only.
	 */
	if (len > seg_size) {
		out.seg_size = seg_size;
		if (seg_size)
			out.flags |= AT_PSH;
	}
	if (retrans)
		count_retransmit(c, &out);
	/* Karn: an ACK covering a resent byte cannot time the original. */
	if (retrans && c->rtt_pending && at_seq_le(seq, c->rtt_seq) &&
	    at_seq_lt(c->rtt_seq, seq + len + 1))
		c->rtt_pending = 0;
	if (out.flags & AT_FIN)
		c->fin_sent = 1;
	/* A timeout's go-back-N resend may run past what was ever sent. */
	c->snd_max = at_seq_max(c->snd_max, seq + len + !!(out.flags & AT_FIN));
	at_emit_conn(c, &out, now);
	return len + !!(out.flags & AT_FIN);
}

at_u32 at_send_segment(struct at_conn *c, at_u32 seq, at_u32 max,
		       unsigned int how, at_u64 now)
{
	return send_segment(c, seq, max, 0, how, now);
}

/* As Linux's tcp_send_active_reset(): TSopt, with a fresh TSval, if agreed. */
void at_send_rst_conn(struct at_conn *c, at_u64 now)
{
	struct at_out out;

	at_out_init(c, &out);
	out.flags = AT_RST | AT_ACK;
	add_ts(c, &out, now);
	c->rst_sent = 1;
	c->segs_out++;
	at_emit(c->ctx, &out);
}

/* RFC 9293 3.10.7.1: the reset generated for a segment nobody wants. */
void at_send_rst_reply(struct at_ctx *ctx, const struct at_seg *seg)
{
	struct at_out out;

	if (seg->flags & AT_RST)
		return;
	at_memset(&out, 0, sizeof(out));
	out.tuple = seg->tuple;
	if (seg->flags & AT_ACK) {
		out.seq = seg->ack;
		out.flags = AT_RST;
	} else {
		out.seq = 0;
		out.ack = seg->seq + seg->len + !!(seg->flags & AT_SYN) +
			  !!(seg->flags & AT_FIN);
		out.flags = AT_RST | AT_ACK;
	}
	at_emit(ctx, &out);
}

void at_input_no_conn(struct at_ctx *ctx, const struct at_seg *seg)
{
	AT_INC(ctx, IN_SEGS);
	at_send_rst_reply(ctx, seg);
}

/* RFC 5961 section 7: a global budget per second keeps us from amplifying. */
at_bool at_challenge_allowed(struct at_ctx *ctx, at_u64 now)
{
	if (now - ctx->challenge_window >= AT_USEC_PER_SEC) {
		ctx->challenge_window = now;
		ctx->challenge_count = 0;
	}
	if (ctx->challenge_count >= ctx->challenge_limit)
		return 0;
	ctx->challenge_count++;
	return 1;
}

/*
 * Answer to an out-of-window segment.  Two confused peers could ACK each
 * other's ACKs forever, so bare segments get at most one answer per
 * AT_OOW_RATELIMIT_US, like Linux's tcp_invalid_ratelimit.
 */
void at_send_dupack(struct at_conn *c, const struct at_seg *seg, at_u64 now)
{
	if (!seg->len && !(seg->flags & (AT_SYN | AT_FIN))) {
		if (c->last_oow_ack && now - c->last_oow_ack < AT_OOW_RATELIMIT_US)
			return;
		c->last_oow_ack = now;
	}
	at_send_ack(c, now);
}

void at_send_challenge_ack(struct at_conn *c, at_u64 now)
{
	if (!at_challenge_allowed(c->ctx, now))
		return;
	AT_INC(c->ctx, CHALLENGE_ACKS);
	at_send_ack(c, now);
}

static at_bool can_send_data(const struct at_conn *c)
{
	/* Closed from SYN_RECV: nothing (not even the FIN) before our SYN. */
	if (!c->syn_acked)
		return 0;
	switch (c->state) {
	case AT_ESTABLISHED:
	case AT_CLOSE_WAIT:
	case AT_FIN_WAIT1:
	case AT_CLOSING:
	case AT_LAST_ACK:
		return 1;
	default:
		return 0;
	}
}

/* How much new data the windows allow at snd_nxt. */
static at_u32 usable_window(const struct at_conn *c)
{
	at_u32 wnd_end = c->snd_una + c->snd_wnd;
	at_u32 flight = at_in_flight(c);
	at_u32 by_wnd, by_cwnd;

	by_wnd = at_seq_gt(wnd_end, c->snd_nxt) ? wnd_end - c->snd_nxt : 0;
	if (c->in_recovery && c->sack_ok)
		flight = at_sack_pipe(c);
	else if (c->nr_sacked)
		flight = at_unsacked_bytes(c, c->snd_una, c->snd_nxt);
	by_cwnd = c->cwnd > flight ? c->cwnd - flight : 0;
	return AT_MIN(by_wnd, by_cwnd);
}

/*
 * Nagle (RFC 896), sender-side SWS avoidance (RFC 9293 3.8.6.2.1) and the
 * cork, as Linux's tcp_nagle_check(): TCP_CORK or this write's MSG_MORE
 * holds a partial last segment even with nothing in flight (the persist
 * timer sends it after an RTO, Linux's 200 ms ceiling); TCP_NODELAY pushes
 * what is queued past the cork.  The FIN is never held.
 */
static at_bool hold_small(const struct at_conn *c, at_u32 len, at_u32 avail,
			  at_bool more)
{
	if (len >= c->snd_mss)
		return 0;
	if (len < avail)
		return at_in_flight(c) || len < c->max_window / 2;
	if (c->shut_wr)
		return 0;
	if (more || (c->cork && !c->cork_pushed))
		return 1;
	return at_in_flight(c) && !c->nodelay;
}

/*
 * The most a GSO packet may carry, as Linux's tcp_tso_autosize(): about
 * 1 ms at the pacing rate Linux would set (tcp_update_pacing_rate(): cwnd
 * per srtt, 200 % in slow start, 120 % after), plus gso_max >> (RTT / 512
 * us), at least tcp_min_tso_segs (2) segments.  A LAN or loopback gets
 * 64 KiB packets; a long path two-segment ones, each pushed (see
 * send_segment()), as Linux's wire shows them.
 */
static at_u32 tso_autosize(const struct at_conn *c, at_u32 gso_max)
{
	at_u32 ratio = c->cwnd < c->ssthresh / 2 ? 200 : 120;
	at_u32 shift = c->srtt >> 9;
	at_u64 bytes;

	if (!c->srtt)
		return gso_max;
	bytes = (at_u64)c->cwnd * ratio * (1000000 / 100) / c->srtt;
	bytes >>= 10;
	if (shift < 32)
		bytes += gso_max >> shift;
	bytes = AT_MAX(bytes, 2 * (at_u64)c->snd_mss);
	return (at_u32)AT_MIN(bytes, (at_u64)gso_max);
}

/*
 * Payload of a GSO super-segment of new data within room bytes: the largest
 * whole number of MSS-sized segments, at least two, the route allows; 0
 * when GSO is off or does not pay.  The sub-MSS rest is left to the next
 * round of at_output(), so Nagle and SWS avoidance judge it as before.
 */
static at_u32 gso_len(const struct at_conn *c, at_u32 room)
{
	at_u32 max = AT_MIN(room, tso_autosize(c, c->cfg.gso_max));

	if (max < 2 * c->snd_mss)
		return 0;
	return max - max % c->snd_mss;
}

static at_bool retransmit_hole(struct at_conn *c, at_u64 now)
{
	at_u32 start, len;

	if (!c->in_recovery || !c->sack_ok || at_sack_pipe(c) >= c->cwnd)
		return 0;
	if (!at_sack_next_hole(c, &start, &len))
		return 0;
	at_send_segment(c, start, len, AT_SEG_RETRANS, now);
	c->rtx_next = start + len;
	return 1;
}

static void arm_persist(struct at_conn *c, at_u64 now)
{
	if (c->rtx_at)
		return;
	c->persist = 1;
	c->rtx_at = now + at_backoff(c, c->rto, c->retransmits);
}

/* Send what the windows, Nagle, the cork and the FIN allow. */
static void output(struct at_conn *c, at_u64 now, at_bool more)
{
	at_u32 data_end, avail, wnd, len, used, sacked_end, seg_size, big;
	at_bool retrans;

	if (!can_send_data(c))
		return;
	for (;;) {
		if (retransmit_hole(c, now))
			continue;
		/* Go-back-N after a timeout skips what the peer SACKed. */
		if (at_seq_lt(c->snd_nxt, c->snd_max) &&
		    at_seq_sacked(c, c->snd_nxt, &sacked_end)) {
			c->snd_nxt = at_seq_min(sacked_end, c->snd_max);
			continue;
		}
		data_end = at_fin_seq(c);
		avail = at_seq_lt(c->snd_nxt, data_end) ?
			data_end - c->snd_nxt : 0;
		if (!avail && !(c->shut_wr && c->snd_nxt == data_end))
			break;
		wnd = usable_window(c);
		len = AT_MIN(AT_MIN(avail, c->snd_mss), wnd);
		if (avail && (!len || hold_small(c, len, avail, more))) {
			/*
			 * Stuck on the peer's window with nothing in flight:
			 * only a probe can learn of a lost window update.
			 */
			if (!at_in_flight(c))
				arm_persist(c, now);
			break;
		}
		/*
		 * Only new data goes out in GSO super-segments: resends
		 * (go-back-N below snd_max, SACK holes above) stay one MSS
		 * each, so Karn, the retransmit counters and the loss
		 * recovery see the segments they always did.
		 */
		retrans = at_seq_lt(c->snd_nxt, c->snd_max);
		seg_size = 0;
		if (!retrans && len == c->snd_mss) {
			big = gso_len(c, AT_MIN(avail, wnd));
			if (big) {
				len = big;
				seg_size = c->snd_mss;
			}
		}
		used = send_segment(c, c->snd_nxt, len, seg_size,
				    retrans ? AT_SEG_RETRANS : 0, now);
		if (!used)
			break;
		/* Time new data only (snd_max has already moved past it). */
		if (!c->rtt_pending && !retrans) {
			c->rtt_pending = 1;
			c->rtt_seq = c->snd_nxt;
			c->rtt_time = now;
		}
		if (!at_in_flight(c))
			c->una_stamp = now;
		c->snd_nxt += used;
		if (!c->rtx_at || c->persist) {
			if (c->persist)
				c->retransmits = 0;	/* window reopened */
			c->persist = 0;
			c->rtx_at = now + at_backoff(c, c->rto, c->retransmits);
		}
	}
}

void at_output(struct at_conn *c, at_u64 now)
{
	output(c, now, 0);
}

/* The push at the end of a MSG_MORE write: its partial tail waits. */
void at_output_more(struct at_conn *c, at_u64 now)
{
	output(c, now, 1);
}
