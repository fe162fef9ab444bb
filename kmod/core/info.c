// SPDX-License-Identifier: GPL-2.0
/* The observability snapshot (E2): what ss -tani would print. */
#include "at_internal.h"

static void timer_of(const struct at_conn *c, struct at_conn_info *i)
{
	at_u64 t = at_conn_poll_at(c);

	i->timer_expires = t;
	if (!t)
		i->timer = AT_TIMER_NONE;
	else if (t == c->rtx_at)
		i->timer = c->persist ? AT_TIMER_PERSIST : AT_TIMER_RETRANSMIT;
	else if (t == c->delack_at)
		i->timer = AT_TIMER_DELACK;
	else if (t == c->ka_at)
		i->timer = AT_TIMER_KEEPALIVE;
	else
		i->timer = c->state == AT_TIME_WAIT ? AT_TIMER_TIME_WAIT :
			   AT_TIMER_FIN_WAIT2;
}

void at_conn_info(const struct at_conn *c, at_u64 now,
		  struct at_conn_info *i)
{
	(void)now;
	at_memset(i, 0, sizeof(*i));
	i->tuple = c->tuple;
	i->state = c->state;
	timer_of(c, i);
	if (c->state == AT_LISTEN) {
		i->rx_queue = c->acc_len;
		i->tx_queue = (at_u32)AT_MAX(c->backlog, 0);
		i->syn_queue = c->syn_qlen;
		i->listen_overflows = c->listen_overflows;
		i->listen_drops = c->listen_drops;
	} else {
		i->rx_queue = c->rcv_ring.len;
		i->tx_queue = c->snd_ring.len;
	}
	i->retransmits = c->retransmits;
	i->total_retrans = c->total_retrans;
	i->probes = c->probes_out;
	i->rto_us = c->rto;
	i->rtt_us = c->srtt;
	i->rttvar_us = c->rttvar;
	i->cwnd = c->cwnd;
	i->ssthresh = c->ssthresh;
	i->snd_mss = c->snd_mss;
	i->rcv_mss = c->adv_mss;
	i->snd_wscale = c->snd_wscale;
	i->rcv_wscale = c->rcv_wscale;
	i->ts_ok = c->ts_ok;
	i->sack_ok = c->sack_ok;
	i->orphan = c->orphan;
	i->snd_wnd = c->snd_wnd;
	i->rcv_wnd = at_seq_gt(c->rcv_adv, c->rcv_nxt) ?
		     c->rcv_adv - c->rcv_nxt : 0;
	i->bytes_acked = c->bytes_acked;
	i->bytes_received = c->bytes_received;
	i->segs_in = c->segs_in;
	i->segs_out = c->segs_out;
	i->err = c->err;
}

/* TIME_WAIT entries and requests show up in dumps too (ss -tan). */
void at_tw_info(const struct at_tw *tw, at_u64 now, struct at_conn_info *i)
{
	(void)now;
	at_memset(i, 0, sizeof(*i));
	i->tuple = tw->tuple;
	i->state = AT_TIME_WAIT;
	i->timer = AT_TIMER_TIME_WAIT;
	i->timer_expires = tw->deadline;
	i->ts_ok = tw->ts_ok;
	i->orphan = 1;
}

void at_req_info(const struct at_req *r, at_u64 now, struct at_conn_info *i)
{
	(void)now;
	at_memset(i, 0, sizeof(*i));
	i->tuple = r->tuple;
	i->state = AT_SYN_RECV;
	i->timer = AT_TIMER_RETRANSMIT;
	i->timer_expires = r->deadline;
	i->retransmits = r->retrans;
	i->snd_mss = r->peer_mss;
	i->snd_wscale = r->snd_wscale;
	i->rcv_wscale = r->rcv_wscale;
	i->ts_ok = r->ts_ok;
	i->sack_ok = r->sack_ok;
}
