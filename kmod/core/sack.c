// SPDX-License-Identifier: GPL-2.0
/*
 * The SACK scoreboard (RFC 2018): the peer's blocks above snd_una, sorted
 * and merged, and what loss recovery asks of them (RFC 6675 in spirit): how
 * much is in the pipe, where the next hole is.  Everything below the
 * highest SACKed byte that is not SACKed counts as lost.
 */
#include "at_internal.h"

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

void at_sack_trim(struct at_conn *c)
{
	while (c->nr_sacked && at_seq_le(c->sacked[0].end, c->snd_una))
		sb_remove(c, 0);
	/*
	 * A SACKed byte at the cumulative ACK point: the receiver threw
	 * away data it had SACKed (reneging, RFC 2018).  Trust nothing.
	 */
	if (c->nr_sacked && at_seq_le(c->sacked[0].start, c->snd_una))
		c->nr_sacked = 0;
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
	at_sack_trim(c);
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
at_u32 at_unsacked_bytes(const struct at_conn *c, at_u32 from, at_u32 to)
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

	return pipe + at_unsacked_bytes(c, c->snd_una, rtx_end);
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
