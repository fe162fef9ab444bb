// SPDX-License-Identifier: GPL-2.0
/*
 * Segment arrival for full connections: RFC 9293 section 3.10.7, in its
 * order (sequence check, RST, SYN, ACK, data, FIN), hardened by RFC 5961
 * (challenge ACKs), RFC 7323 (PAWS) and, for an application-held
 * TIME_WAIT, RFC 1337.
 */
#include "at_internal.h"

static void take_syn_options(struct at_conn *c, const struct at_seg *seg,
			     at_u64 now)
{
	const struct at_opts *o = &seg->opt;

	c->peer_mss = (o->present & AT_OPT_MSS) && o->mss ? o->mss :
		      AT_DEFAULT_MSS;
	c->ts_ok = c->ts_want && (o->present & AT_OPT_TS);
	c->sack_ok = c->sack_want && (o->present & AT_OPT_SACK_OK);
	c->ws_ok = c->ws_want && (o->present & AT_OPT_WSCALE);
	c->snd_wscale = c->ws_ok ? o->wscale : 0;
	if (!c->ws_ok)
		c->rcv_wscale = 0;
	if (c->ts_ok) {
		c->ts_recent = o->tsval;
		c->ts_recent_stamp = now;
	}
	at_conn_init_mss(c);
}

/* RFC 9293 3.10.7.3 */
void at_syn_sent_input(struct at_conn *c, struct at_seg *seg, at_u64 now)
{
	at_bool ack_ok = 0;
	at_u64 sent;

	if (seg->flags & AT_ACK) {
		ack_ok = at_seq_gt(seg->ack, c->iss) &&
			 at_seq_le(seg->ack, c->snd_max);
		if (!ack_ok) {
			/* B4: an old duplicate SYN+ACK gets a reset. */
			at_send_rst_reply(c->ctx, seg);
			return;
		}
	}
	if (seg->flags & AT_RST) {
		if (ack_ok)
			at_conn_done(c, AT_R_RST_RECEIVED, AT_ECONNREFUSED);
		return;
	}
	if (!(seg->flags & AT_SYN))
		return;
	c->irs = seg->seq;
	c->rcv_nxt = seg->seq + 1;
	c->rcv_adv = c->rcv_nxt;
	c->last_rcv = now;
	take_syn_options(c, seg, now);
	c->snd_wnd = seg->window;	/* never scaled in a SYN */
	c->snd_wl1 = seg->seq;
	c->snd_wl2 = seg->ack;
	c->max_window = c->snd_wnd;
	if (!ack_ok) {
		/* Simultaneous open: answer with our SYN, now with ACK. */
		at_set_state(c, AT_SYN_RECV, AT_R_SIMULTANEOUS_OPEN);
		at_send_syn(c, now);
		return;
	}
	c->snd_una = seg->ack;
	c->syn_acked = 1;
	if (!c->retransmits)
		at_rtt_sample(c, (at_u32)(now - c->rtt_time));
	c->retransmits = 0;
	c->rtx_at = 0;
	at_set_state(c, AT_ESTABLISHED, AT_R_SYNACK_RECEIVED);
	at_conn_established(c, now);
	if (seg->len || (seg->flags & AT_FIN))
		at_rcv_data(c, seg, now);
	if (c->state == AT_CLOSED || c->dead)
		return;
	/* B3: data queued during the handshake rides on the third segment. */
	sent = c->segs_out;
	at_output(c, now);
	if (sent == c->segs_out)
		at_send_ack(c, now);
}

/*
 * Linux's tcp_disordered_ack(): a pure duplicate ACK that would change
 * nothing, overtaken on the way by a later one (two CPUs' queues do that),
 * is no old duplicate.  Rejecting it would cost an ACK in answer and one
 * fewer ACK for the sender, which reads missing ACKs as loss.  Accept it
 * while its timestamp is within one RTO of ts_recent.
 */
static at_bool disordered_ack(const struct at_conn *c,
			      const struct at_seg *seg)
{
	at_u32 win = (at_u32)seg->window << c->snd_wscale;
	at_bool may_update_window = at_seq_gt(seg->seq, c->snd_wl1) ||
		(seg->seq == c->snd_wl1 && (win > c->snd_wnd || !win));

	return (seg->flags & (AT_ACK | AT_SYN | AT_FIN | AT_RST)) == AT_ACK &&
	       !seg->len && seg->seq == c->rcv_nxt &&
	       seg->ack == c->snd_una && !may_update_window &&
	       (at_s32)(c->ts_recent - seg->opt.tsval) <=
			(at_s32)(c->rto / AT_USEC_PER_MSEC);
}

/* RFC 7323 5.3: returns true when the segment must be dropped. */
static at_bool paws_reject(struct at_conn *c, const struct at_seg *seg,
			   at_u64 now)
{
	if (!c->ts_ok || !(seg->opt.present & AT_OPT_TS) ||
	    (seg->flags & AT_RST))
		return 0;
	/* One tick of slack, as Linux's TCP_PAWS_WINDOW. */
	if ((at_s32)(c->ts_recent - seg->opt.tsval) <= AT_PAWS_WINDOW)
		return 0;
	if (disordered_ack(c, seg))
		return 0;
	/* A connection idle for 24 days may have a wrapped clock. */
	if (now - c->ts_recent_stamp > AT_PAWS_IDLE_US)
		return 0;
	AT_INC(c->ctx, PAWS_REJECTED);
	/* Rate-limited, or two ends that reject each other ACK for ever. */
	at_send_dupack(c, seg, now);
	return 1;
}

static void update_ts_recent(struct at_conn *c, const struct at_seg *seg,
			     at_u64 now)
{
	if (!c->ts_ok || !(seg->opt.present & AT_OPT_TS))
		return;
	if (at_seq_le(seg->seq, c->last_ack_sent) &&
	    (at_s32)(seg->opt.tsval - c->ts_recent) >= 0) {
		c->ts_recent = seg->opt.tsval;
		c->ts_recent_stamp = now;
	}
}

/* RFC 5961 3.2: only an exact-match RST kills; others get a challenge. */
static void rst_input(struct at_conn *c, struct at_seg *seg, at_u64 now)
{
	if (seg->seq != c->rcv_nxt) {
		at_send_challenge_ack(c, now);
		return;
	}
	switch (c->state) {
	case AT_SYN_RECV:
		at_conn_done(c, AT_R_RST_RECEIVED, AT_ECONNREFUSED);
		break;
	case AT_CLOSING:
	case AT_LAST_ACK:
	case AT_TIME_WAIT:
		at_conn_done(c, AT_R_RST_RECEIVED, 0);
		break;
	default:
		at_conn_done(c, AT_R_RST_RECEIVED,
			     c->state == AT_CLOSE_WAIT ? AT_EPIPE :
			     AT_ECONNRESET);
		break;
	}
}

static void fin_acked(struct at_conn *c, at_u64 now)
{
	int linger2;

	switch (c->state) {
	case AT_FIN_WAIT1:
		at_set_state(c, AT_FIN_WAIT2, AT_R_ACK_OF_FIN);
		c->rtx_at = 0;
		if (!c->orphan)
			break;
		linger2 = at_conn_get_param(c, c->ov.linger2,
					    c->ctx->params->fin_timeout);
		if (linger2 < 0) {
			AT_INC(c->ctx, ABORT_ON_LINGER);
			at_conn_done(c, AT_R_FIN_TIMEOUT, 0);
			break;
		}
		c->state_at = now + (at_u64)linger2 * AT_USEC_PER_SEC;
		break;
	case AT_CLOSING:
		at_enter_time_wait(c, AT_R_ACK_OF_FIN, now);
		break;
	case AT_LAST_ACK:
		at_conn_done(c, AT_R_ACK_OF_FIN, 0);
		break;
	default:
		break;
	}
}

/* RFC 9293 3.10.7.4 fifth check; returns false to stop processing. */
static at_bool ack_input(struct at_conn *c, struct at_seg *seg, at_u64 now)
{
	if (c->state == AT_SYN_RECV) {
		if (!at_seq_gt(seg->ack, c->snd_una) ||
		    at_seq_gt(seg->ack, c->snd_max)) {
			at_send_rst_reply(c->ctx, seg);
			return 0;
		}
		c->snd_wl1 = seg->seq;
		c->snd_wl2 = seg->ack;
		c->snd_wnd = (at_u32)seg->window << c->snd_wscale;
		c->max_window = c->snd_wnd;
		at_set_state(c, AT_ESTABLISHED, c->from_cookie ?
			     AT_R_COOKIE_ACK : AT_R_HANDSHAKE_COMPLETE);
		at_conn_established(c, now);
	}
	/*
	 * An ACK of data never sent.  RFC 9293 says to answer it; Linux
	 * does not in ESTABLISHED (tcp_ack()'s ACK_UNSENT_DATA drop), where
	 * an answer would only tell a blind attacker it hit the window, and
	 * sends a rate-limited challenge ACK in the closing states
	 * (tcp_rcv_state_process()).  alttcp does as Linux.
	 */
	if (at_seq_gt(seg->ack, c->snd_max)) {
		if (c->state != AT_ESTABLISHED)
			at_send_challenge_ack(c, now);
		return 0;
	}
	/* RFC 5961 5.2: an ACK far below anything we sent is forged. */
	if (at_seq_lt(seg->ack, c->snd_una - c->max_window - 1)) {
		at_send_challenge_ack(c, now);
		return 0;
	}
	/*
	 * Only now, as Linux's tcp_ack(): a dropped segment must not move
	 * TS.Recent, or one forged TSval would make PAWS drop the peer.
	 */
	update_ts_recent(c, seg, now);
	at_ack_received(c, seg, now);
	if (c->fin_sent && c->fin_acked && !c->dead)
		fin_acked(c, now);
	return c->state != AT_CLOSED;
}

static at_bool wants_data(const struct at_conn *c)
{
	return c->state == AT_ESTABLISHED || c->state == AT_FIN_WAIT1 ||
	       c->state == AT_FIN_WAIT2 || c->state == AT_SYN_RECV;
}

/*
 * Linux (tcp_rcv_state_process()): new data for a closed (orphaned)
 * socket, or for one shut for reading that has sent its FIN, resets the
 * peer.  Shut for reading alone, it still queues and reads data.
 */
static at_bool unwanted_data(struct at_conn *c, const struct at_seg *seg,
			     at_u64 now)
{
	at_bool shut = c->orphan ||
		       (c->shut_rd && (c->state == AT_FIN_WAIT1 ||
				       c->state == AT_FIN_WAIT2));

	if (!shut || !seg->len || !at_seq_gt(seg->seq + seg->len, c->rcv_nxt))
		return 0;
	AT_INC(c->ctx, ABORT_ON_DATA);
	at_conn_abort(c, AT_R_DATA_AFTER_CLOSE, c->orphan ? 0 : AT_ECONNRESET,
		      1, now);
	return 1;
}

/*
 * Simultaneous open (RFC 9293 figure 8): the peer's SYN+ACK reaches us in
 * SYN_RECV.  Its SYN is the one we already have; keep the ACK part.
 */
static void strip_known_syn(struct at_conn *c, struct at_seg *seg)
{
	if (c->state != AT_SYN_RECV || seg->seq != c->irs ||
	    (seg->flags & (AT_SYN | AT_ACK | AT_RST)) != (AT_SYN | AT_ACK))
		return;
	seg->flags &= ~AT_SYN;
	seg->seq++;
}

void at_conn_input_sync(struct at_conn *c, struct at_seg *seg, at_u64 now)
{
	strip_known_syn(c, seg);
	if (paws_reject(c, seg, now))
		return;
	if (!at_seq_acceptable(c, seg)) {
		if (seg->flags & AT_RST)
			return;
		if (seg->flags & AT_SYN)
			at_send_challenge_ack(c, now);
		else
			at_send_dupack(c, seg, now);
		return;
	}
	c->last_rcv = now;
	if (seg->flags & AT_RST) {
		rst_input(c, seg, now);
		return;
	}
	if (seg->flags & AT_SYN) {
		/* RFC 5961 4.2: any SYN in a synchronized state. */
		at_send_challenge_ack(c, now);
		return;
	}
	if (!(seg->flags & AT_ACK))
		return;
	if (!ack_input(c, seg, now))
		return;
	if (wants_data(c) && (seg->len || (seg->flags & AT_FIN))) {
		if (unwanted_data(c, seg, now))
			return;
		at_rcv_data(c, seg, now);
	}
	if (c->state == AT_CLOSED || c->dead)
		return;
	at_arm_keepalive(c, now);
	at_output(c, now);
}

/*
 * TIME_WAIT while the application still holds the connection: the same
 * rules as the compact entry (tw.c), minus SYN reuse.
 */
void at_tw_full_input(struct at_conn *c, struct at_seg *seg, at_u64 now)
{
	int tw_timeout = at_conn_get_param(c, c->ov.tw_timeout,
					   c->ctx->params->tw_timeout);

	if (paws_reject(c, seg, now))
		return;
	if (seg->flags & AT_RST) {
		if (!c->ctx->params->rfc1337 && seg->seq == c->rcv_nxt)
			at_conn_done(c, AT_R_TW_KILLED_BY_RST, 0);
		return;
	}
	if ((seg->flags & AT_FIN) || seg->len || (seg->flags & AT_SYN)) {
		c->state_at = now + (at_u64)tw_timeout * AT_USEC_PER_SEC;
		at_send_ack(c, now);
	}
}

void at_conn_input(struct at_conn *c, struct at_seg *seg, at_u64 now)
{
	AT_INC(c->ctx, IN_SEGS);
	c->segs_in++;
	switch (c->state) {
	case AT_CLOSED:
		at_send_rst_reply(c->ctx, seg);
		break;
	case AT_LISTEN:
		at_listen_input(c, seg, now);
		break;
	case AT_SYN_SENT:
		at_syn_sent_input(c, seg, now);
		break;
	case AT_TIME_WAIT:
		at_tw_full_input(c, seg, now);
		break;
	default:
		at_conn_input_sync(c, seg, now);
		break;
	}
	at_conn_release(c);
}
