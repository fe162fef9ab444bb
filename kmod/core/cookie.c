// SPDX-License-Identifier: GPL-2.0
/*
 * SYN cookies (B11), in Linux's format so the arithmetic can be checked
 * against tcp_syncookies.c:
 *
 *   cookie = H0(tuple) + client_isn + (count << 24)
 *          + ((H1(tuple, count) + mss_index) & 0xffffff)
 *
 * count is a minute counter; a cookie is valid for two counter values.
 * H0/H1 are SipHash-2-4 under two per-ctx keys.  When the client sends
 * timestamps, the low 6 bits of our TSval carry its window scale (4 bits,
 * 0xf = none) and SACK-permitted (bit 4), so those options survive the
 * stateless round trip.  ECN is not negotiated.
 */
#include "at_internal.h"

#define COOKIE_BITS	24
#define COOKIE_MASK	((1U << COOKIE_BITS) - 1)
#define COOKIE_MAX_AGE	2
#define TS_OPT_BITS	6
#define TS_OPT_MASK	((1U << TS_OPT_BITS) - 1)
#define TS_WSCALE_NONE	0xf
#define TS_SACK_BIT	0x10

const at_u16 at_cookie_mss_table[4] = { 536, 1300, 1440, 1460 };

static at_u32 cookie_hash(struct at_ctx *ctx, const struct at_tuple *t,
			  at_u32 count, int n)
{
	at_u8 b[16];

	at_memcpy(b, &t->laddr, 4);
	at_memcpy(b + 4, &t->raddr, 4);
	at_memcpy(b + 8, &t->lport, 2);
	at_memcpy(b + 10, &t->rport, 2);
	at_memcpy(b + 12, &count, 4);
	return (at_u32)at_siphash(ctx->cookie_key[n], b, sizeof(b));
}

static at_u32 cookie_count(at_u64 now)
{
	return (at_u32)(now / (60 * AT_USEC_PER_SEC));
}

at_u32 at_cookie_make(struct at_ctx *ctx, const struct at_tuple *t,
		      at_u32 irs, at_u16 mss, at_u64 now, at_u16 *mss_out)
{
	at_u32 count = cookie_count(now);
	at_u32 idx = 0;

	while (idx + 1 < 4 && at_cookie_mss_table[idx + 1] <= mss)
		idx++;
	*mss_out = at_cookie_mss_table[idx];
	return cookie_hash(ctx, t, 0, 0) + irs + (count << COOKIE_BITS) +
	       ((cookie_hash(ctx, t, count, 1) + idx) & COOKIE_MASK);
}

/* Returns the MSS index, or -1 if the cookie is forged or too old. */
int at_cookie_check(struct at_ctx *ctx, const struct at_tuple *t,
		    at_u32 irs, at_u32 cookie, at_u64 now)
{
	at_u32 count = cookie_count(now);
	at_u32 diff, idx;

	cookie -= cookie_hash(ctx, t, 0, 0) + irs;
	diff = (count - (cookie >> COOKIE_BITS)) & 0xff;
	if (diff >= COOKIE_MAX_AGE)
		return -1;
	idx = (cookie - cookie_hash(ctx, t, count - diff, 1)) & COOKIE_MASK;
	return idx < 4 ? (int)idx : -1;
}

at_u32 at_cookie_ts(at_u64 now, at_u32 ts_off, const struct at_req *r)
{
	at_u32 ts_now = at_ts_now(now, ts_off);
	at_u32 opts = r->ws_ok ? r->snd_wscale : TS_WSCALE_NONE;
	at_u32 ts;

	if (r->sack_ok)
		opts |= TS_SACK_BIT;
	ts = (ts_now & ~TS_OPT_MASK) | opts;
	/* Never announce a timestamp from the future. */
	if ((at_s32)(ts - ts_now) > 0)
		ts -= 1U << TS_OPT_BITS;
	return ts;
}

void at_cookie_ts_decode(at_u32 tsecr, struct at_req *r)
{
	at_u32 ws = tsecr & 0xf;

	r->ws_ok = ws != TS_WSCALE_NONE;
	r->snd_wscale = r->ws_ok ? (at_u8)AT_MIN(ws, (at_u32)AT_MAX_WSCALE) : 0;
	r->sack_ok = !!(tsecr & TS_SACK_BIT);
}
