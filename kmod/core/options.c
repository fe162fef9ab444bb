// SPDX-License-Identifier: GPL-2.0
/*
 * TCP header and option (de)serialisation, shared by the glue and the
 * simulator so that both speak exactly the same wire format.  The checksum
 * is left to the glue (it needs the IP pseudo-header and may be offloaded).
 */
#include "at_internal.h"

#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_MSS	2
#define TCPOPT_WSCALE	3
#define TCPOPT_SACK_OK	4
#define TCPOPT_SACK	5
#define TCPOPT_TS	8

static at_u16 get16(const at_u8 *p)
{
	return (at_u16)(p[0] << 8 | p[1]);
}

static at_u32 get32(const at_u8 *p)
{
	return (at_u32)p[0] << 24 | (at_u32)p[1] << 16 | (at_u32)p[2] << 8 |
	       p[3];
}

static void put16(at_u8 *p, at_u16 v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

static void put32(at_u8 *p, at_u32 v)
{
	p[0] = v >> 24;
	p[1] = (v >> 16) & 0xff;
	p[2] = (v >> 8) & 0xff;
	p[3] = v & 0xff;
}

static void parse_sack(const at_u8 *p, at_u32 olen, struct at_opts *o)
{
	at_u32 i, n;

	if (olen < 10 || (olen - 2) % 8)
		return;
	n = AT_MIN((olen - 2) / 8, (at_u32)AT_MAX_SACK);
	for (i = 0; i < n; i++) {
		o->sack[i].start = get32(p + 2 + 8 * i);
		o->sack[i].end = get32(p + 6 + 8 * i);
	}
	o->nr_sack = (at_u8)n;
}

/* One option; returns its length, 0 to stop (malformed or end). */
static at_u32 parse_one(const at_u8 *p, at_u32 left, struct at_opts *o)
{
	at_u32 olen;

	if (p[0] == TCPOPT_EOL)
		return 0;
	if (p[0] == TCPOPT_NOP)
		return 1;
	if (left < 2 || p[1] < 2 || p[1] > left)
		return 0;
	olen = p[1];
	if (p[0] == TCPOPT_MSS && olen == 4) {
		o->present |= AT_OPT_MSS;
		o->mss = get16(p + 2);
	} else if (p[0] == TCPOPT_WSCALE && olen == 3) {
		o->present |= AT_OPT_WSCALE;
		o->wscale = AT_MIN(p[2], AT_MAX_WSCALE);
	} else if (p[0] == TCPOPT_SACK_OK && olen == 2) {
		o->present |= AT_OPT_SACK_OK;
	} else if (p[0] == TCPOPT_TS && olen == 10) {
		o->present |= AT_OPT_TS;
		o->tsval = get32(p + 2);
		o->tsecr = get32(p + 6);
	} else if (p[0] == TCPOPT_SACK) {
		parse_sack(p, olen, o);
	}
	return olen;
}

int at_parse_tcp_header(const at_u8 *buf, at_u32 len, struct at_seg *seg)
{
	at_u32 doff, off, n;

	if (len < 20)
		return -AT_EINVAL;
	doff = (at_u32)(buf[12] >> 4) * 4;
	if (doff < 20 || doff > len)
		return -AT_EINVAL;
	at_memset(seg, 0, sizeof(*seg));
	seg->tuple.rport = get16(buf);
	seg->tuple.lport = get16(buf + 2);
	seg->seq = get32(buf + 4);
	seg->ack = get32(buf + 8);
	seg->flags = buf[13] & 0x3f;
	seg->window = get16(buf + 14);
	seg->urg = get16(buf + 18);
	for (off = 20; off < doff; off += n) {
		n = parse_one(buf + off, doff - off, &seg->opt);
		if (!n)
			break;
	}
	seg->data = buf + doff;
	seg->len = len - doff;
	return 0;
}

static at_u32 sack_blocks_len(const struct at_opts *o)
{
	return o->nr_sack ? 4 + 8 * (at_u32)o->nr_sack : 0;
}

at_u32 at_opts_len(const struct at_opts *o)
{
	at_u32 n = 0;

	if (o->present & AT_OPT_MSS)
		n += 4;
	if (o->present & AT_OPT_TS)
		n += 12;
	else if (o->present & AT_OPT_SACK_OK)
		n += 4;
	if (o->present & AT_OPT_WSCALE)
		n += 4;
	return n + sack_blocks_len(o);
}

static at_u8 *write_ts(at_u8 *p, const struct at_opts *o)
{
	/* SACK_OK rides in the two padding bytes in front of TS, as Linux. */
	if (o->present & AT_OPT_SACK_OK) {
		p[0] = TCPOPT_SACK_OK;
		p[1] = 2;
	} else {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
	}
	p[2] = TCPOPT_TS;
	p[3] = 10;
	put32(p + 4, o->tsval);
	put32(p + 8, o->tsecr);
	return p + 12;
}

static at_u8 *write_opts(at_u8 *p, const struct at_opts *o)
{
	at_u32 i;

	if (o->present & AT_OPT_MSS) {
		p[0] = TCPOPT_MSS;
		p[1] = 4;
		put16(p + 2, o->mss);
		p += 4;
	}
	if (o->present & AT_OPT_TS) {
		p = write_ts(p, o);
	} else if (o->present & AT_OPT_SACK_OK) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
		p[2] = TCPOPT_SACK_OK;
		p[3] = 2;
		p += 4;
	}
	if (o->present & AT_OPT_WSCALE) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_WSCALE;
		p[2] = 3;
		p[3] = o->wscale;
		p += 4;
	}
	if (o->nr_sack) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
		p[2] = TCPOPT_SACK;
		p[3] = (at_u8)(2 + 8 * o->nr_sack);
		p += 4;
		for (i = 0; i < o->nr_sack; i++, p += 8) {
			put32(p, o->sack[i].start);
			put32(p + 4, o->sack[i].end);
		}
	}
	return p;
}

int at_write_tcp_header(const struct at_out *out, at_u8 *buf, at_u32 size)
{
	at_u32 hlen = 20 + at_opts_len(&out->opt);

	if (hlen > 60 || size < hlen)
		return -AT_EINVAL;
	put16(buf, out->tuple.lport);
	put16(buf + 2, out->tuple.rport);
	put32(buf + 4, out->seq);
	put32(buf + 8, out->ack);
	buf[12] = (at_u8)((hlen / 4) << 4);
	buf[13] = out->flags;
	put16(buf + 14, out->window);
	put16(buf + 16, 0);
	put16(buf + 18, 0);
	write_opts(buf + 20, &out->opt);
	return (int)hlen;
}
