// SPDX-License-Identifier: GPL-2.0
/*
 * Initial sequence numbers per RFC 6528: ISN = M + F(4-tuple, secret), M a
 * clock ticking every 4 us, F SipHash keyed by a per-netns secret.  The
 * same construction with another key gives the per-connection timestamp
 * offset (RFC 7323 section 7.1), so timestamps leak no uptime.
 */
#include "at_internal.h"

static at_u64 tuple_hash(const at_u64 key[2], const struct at_tuple *t)
{
	at_u8 b[12];

	/* Serialise by hand: struct padding must not feed the hash. */
	at_memcpy(b, &t->laddr, 4);
	at_memcpy(b + 4, &t->raddr, 4);
	at_memcpy(b + 8, &t->lport, 2);
	at_memcpy(b + 10, &t->rport, 2);
	return at_siphash(key, b, sizeof(b));
}

at_u32 at_isn(struct at_ctx *ctx, const struct at_tuple *t, at_u64 now)
{
	return (at_u32)tuple_hash(ctx->isn_key, t) + (at_u32)(now >> 2);
}

at_u32 at_ts_offset(struct at_ctx *ctx, const struct at_tuple *t)
{
	return (at_u32)tuple_hash(ctx->ts_key, t);
}

void at_ctx_init(struct at_ctx *ctx, const struct at_params *params,
		 const struct at_ops *ops, void *glue)
{
	at_memset(ctx, 0, sizeof(*ctx));
	ctx->params = params;
	ctx->ops = ops;
	ctx->glue = glue;
	ctx->challenge_limit = AT_CHALLENGE_LIMIT;
	ops->random(glue, ctx->isn_key, sizeof(ctx->isn_key));
	ops->random(glue, ctx->ts_key, sizeof(ctx->ts_key));
	ops->random(glue, ctx->cookie_key, sizeof(ctx->cookie_key));
}
