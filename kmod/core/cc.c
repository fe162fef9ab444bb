// SPDX-License-Identifier: GPL-2.0
/*
 * Congestion control: slow start and congestion avoidance (RFC 5681),
 * fast retransmit and NewReno fast recovery with partial ACKs (RFC 6582).
 * With SACK, recovery is paced by the pipe (sack.c) instead of the
 * inflated window, and output.c fills the holes first.
 */
#include "at_internal.h"

static void enter_recovery(struct at_conn *c, at_u64 now)
{
	at_u32 flight = at_in_flight(c);

	c->ssthresh = AT_MAX(flight / 2, 2 * c->snd_mss);
	c->recover = c->snd_max;
	c->in_recovery = 1;
	c->ca_acked = 0;
	c->rtx_next = c->snd_una;
	if (c->sack_ok) {
		c->cwnd = c->ssthresh;
		at_output(c, now);
		return;
	}
	c->cwnd = c->ssthresh + AT_DUPTHRESH * c->snd_mss;
	at_send_segment(c, c->snd_una, c->snd_mss, AT_SEG_RETRANS, now);
	c->rtt_pending = 0;
}

void at_cc_dupack(struct at_conn *c, at_u64 now)
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

void at_cc_new_ack(struct at_conn *c, at_u32 acked, at_u64 now)
{
	at_u32 grow, steps;

	if (c->in_recovery) {
		if (at_seq_ge(c->snd_una, c->recover)) {
			c->in_recovery = 0;
			c->cwnd = AT_MIN(c->ssthresh,
					 at_in_flight(c) + c->snd_mss);
		} else if (!c->sack_ok) {
			/* Partial ACK: the next hole is at snd_una. */
			at_send_segment(c, c->snd_una, c->snd_mss, AT_SEG_RETRANS, now);
			c->cwnd = c->cwnd > acked ? c->cwnd - acked : 0;
			c->cwnd += c->snd_mss;
		}
		return;
	}
	c->dupacks = 0;
	/* Drag recover along so the RFC 6582 test survives sequence wrap. */
	if (at_seq_lt(c->recover, c->snd_una))
		c->recover = c->snd_una;
	/*
	 * Appropriate byte counting (RFC 3465), as Linux's tcp_slow_start()
	 * and tcp_cong_avoid_ai(): growth follows the bytes an ACK covers,
	 * not the number of ACKs.  A receiver of GSO super-segments ACKs
	 * each once, and one MSS per ACK would then crawl; delayed ACKs
	 * halved it even without GSO.  Slow start takes all of acked up to
	 * ssthresh (Linux sets no L limit either); what is left over counts
	 * toward congestion avoidance: one MSS per cwnd bytes acked.
	 */
	if (c->cwnd < c->ssthresh) {
		grow = AT_MIN(acked, c->ssthresh - c->cwnd);
		c->cwnd += grow;
		acked -= grow;
		if (!acked)
			return;
	}
	c->ca_acked += acked;
	if (c->ca_acked >= c->cwnd) {
		steps = c->ca_acked / c->cwnd;
		c->ca_acked -= steps * c->cwnd;
		c->cwnd += steps * c->snd_mss;
	}
}
