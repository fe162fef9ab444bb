// SPDX-License-Identifier: GPL-2.0
/*
 * The receive side: in-order data goes straight into the receive ring,
 * out-of-order data is written where it will belong in the ring and
 * remembered as a sequence range (at most AT_OOO_MAX of them), so filling a
 * hole costs no copy.  The ranges are also the SACK blocks we send.
 */
#include "at_internal.h"

static void ooo_remove(struct at_conn *c, int i)
{
	int j;

	for (j = i; j + 1 < c->nr_ooo; j++)
		c->ooo[j] = c->ooo[j + 1];
	c->nr_ooo--;
	if (c->ooo_recent >= c->nr_ooo)
		c->ooo_recent = 0;
}

/* Remember [s, e) as received; ranges stay sorted and disjoint. */
static void ooo_insert(struct at_conn *c, at_u32 s, at_u32 e)
{
	int i = 0, j;

	while (i < c->nr_ooo && at_seq_lt(c->ooo[i].end, s))
		i++;
	while (i < c->nr_ooo && at_seq_le(c->ooo[i].start, e)) {
		s = at_seq_min(s, c->ooo[i].start);
		e = at_seq_max(e, c->ooo[i].end);
		ooo_remove(c, i);
	}
	if (c->nr_ooo == AT_OOO_MAX)
		return;	/* forgotten: the peer will send it again */
	for (j = c->nr_ooo; j > i; j--)
		c->ooo[j] = c->ooo[j - 1];
	c->ooo[i].start = s;
	c->ooo[i].end = e;
	c->nr_ooo++;
	c->ooo_recent = (at_u8)i;
}

/* Pull ranges that now touch rcv_nxt into the in-order part. */
static void ooo_advance(struct at_conn *c)
{
	while (c->nr_ooo && at_seq_le(c->ooo[0].start, c->rcv_nxt)) {
		if (at_seq_gt(c->ooo[0].end, c->rcv_nxt))
			c->rcv_nxt = c->ooo[0].end;
		ooo_remove(c, 0);
	}
}

at_u8 at_sack_blocks(const struct at_conn *c, struct at_sack_block *b,
		     at_u8 max)
{
	at_u8 n = 0;
	int i;

	if (!c->nr_ooo || !max)
		return 0;
	/* RFC 2018: the block holding the latest segment goes first. */
	b[n++] = c->ooo[c->ooo_recent];
	for (i = c->nr_ooo - 1; i >= 0 && n < max; i--)
		if (i != c->ooo_recent)
			b[n++] = c->ooo[i];
	return n;
}

void at_fin_in(struct at_conn *c, at_u64 now)
{
	c->rcv_nxt++;
	c->rcv_fin = 1;
	c->rcv_fin_pending = 0;
	at_send_ack(c, now);
	switch (c->state) {
	case AT_SYN_RECV:
	case AT_ESTABLISHED:
		at_set_state(c, AT_CLOSE_WAIT, AT_R_FIN_RECEIVED);
		break;
	case AT_FIN_WAIT1:
		at_set_state(c, AT_CLOSING, AT_R_FIN_RECEIVED);
		break;
	case AT_FIN_WAIT2:
		c->state_at = 0;
		at_enter_time_wait(c, AT_R_FIN_RECEIVED, now);
		break;
	default:
		break;
	}
	if (!c->orphan)
		at_event_conn(c, AT_EV_READABLE);
}

/* Keep the part of [seq, seq+len) that is new and fits in the ring. */
static at_u32 trim(struct at_conn *c, at_u32 *seq, const at_u8 **data,
		   at_u32 len, at_bool *fin)
{
	at_u32 skip, cap, off;

	if (at_seq_lt(*seq, c->rcv_nxt)) {
		skip = c->rcv_nxt - *seq;
		c->quick_ack = 1;	/* a duplicate: tell the sender now */
		if (skip >= len) {
			if (skip > len)
				*fin = 0;	/* FIN already seen */
			*seq = c->rcv_nxt;
			return 0;
		}
		*data += skip;
		*seq = c->rcv_nxt;
		len -= skip;
	}
	cap = at_ring_free_space(&c->rcv_ring);
	off = *seq - c->rcv_nxt;
	if (off + len > cap) {
		len = off < cap ? cap - off : 0;
		*fin = 0;	/* the FIN lies beyond what we keep */
	}
	return len;
}

void at_rcv_data(struct at_conn *c, const struct at_seg *seg, at_u64 now)
{
	at_u32 seq = seg->seq + !!(seg->flags & AT_SYN);
	const at_u8 *data = seg->data;
	at_bool fin = !!(seg->flags & AT_FIN);
	at_u32 len, old_nxt = c->rcv_nxt, adv;
	at_u8 had_ooo = c->nr_ooo;

	len = trim(c, &seq, &data, seg->len, &fin);
	if (len && at_ring_reserve(c->ctx, &c->rcv_ring)) {
		/* No memory for the bytes: as if lost, the peer resends. */
		len = 0;
		fin = 0;
	}
	if (fin && !c->rcv_fin) {
		c->rcv_fin_pending = 1;
		c->rcv_fin_seq = seq + len;
	}
	if (len) {
		at_ring_write_at(&c->rcv_ring, c->rcv_ring.len +
				 (seq - c->rcv_nxt), data, len);
		if (seq == c->rcv_nxt)
			c->rcv_nxt += len;
		else
			ooo_insert(c, seq, seq + len);
		ooo_advance(c);
	}
	if (c->nr_ooo || had_ooo)
		c->quick_ack = 1;
	adv = c->rcv_nxt - old_nxt;
	c->rcv_ring.len += adv;
	c->bytes_received += adv;
	c->rcv_unacked += adv;
	if (c->rcv_fin_pending && c->rcv_nxt == c->rcv_fin_seq) {
		at_fin_in(c, now);
		return;
	}
	if (adv && !c->orphan)
		at_event_conn(c, AT_EV_READABLE);
	if (adv || c->quick_ack || seg->len)
		at_schedule_ack(c, now);
}
