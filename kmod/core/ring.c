// SPDX-License-Identifier: GPL-2.0
/*
 * Byte rings for the send and receive buffers.  The send ring doubles as the
 * retransmission queue (bytes stay until acked) and the receive ring as the
 * reassembly buffer (out-of-order bytes are written past the readable part,
 * see reass.c), so neither path allocates per segment.
 */
#include "at_internal.h"

/*
 * A ring gets its size at once but its memory only when the first byte
 * must be stored (at_ring_reserve): an idle connection, of which a server
 * may hold tens of thousands, costs no buffer.  Windows are computed from
 * the size, so the peer sees no difference.
 */
int at_ring_alloc(struct at_ctx *ctx, struct at_ring *r, at_u32 size)
{
	(void)ctx;
	r->buf = NULL;
	r->size = size;
	r->head = 0;
	r->len = 0;
	return 0;
}

int at_ring_reserve(struct at_ctx *ctx, struct at_ring *r)
{
	if (r->buf || !r->size)
		return 0;
	r->buf = ctx->ops->alloc(ctx->glue, r->size, AT_ALLOC_BUF);
	return r->buf ? 0 : -AT_ENOMEM;
}

void at_ring_free(struct at_ctx *ctx, struct at_ring *r)
{
	if (r->buf)
		ctx->ops->free(ctx->glue, r->buf, AT_ALLOC_BUF);
	r->buf = NULL;
	r->size = 0;
	r->len = 0;
}

at_u32 at_ring_free_space(const struct at_ring *r)
{
	return r->size - r->len;
}

void at_ring_write_at(struct at_ring *r, at_u32 off, const void *data,
		      at_u32 len)
{
	at_u32 pos = (r->head + off) % r->size;
	at_u32 first = AT_MIN(len, r->size - pos);

	at_memcpy(r->buf + pos, data, first);
	if (len > first)
		at_memcpy(r->buf, (const at_u8 *)data + first, len - first);
}

at_u32 at_ring_push(struct at_ring *r, const void *data, at_u32 len)
{
	len = AT_MIN(len, at_ring_free_space(r));
	if (len) {
		at_ring_write_at(r, r->len, data, len);
		r->len += len;
	}
	return len;
}

void at_ring_pieces(const struct at_ring *r, at_u32 off, at_u32 len,
		    const at_u8 **p, at_u32 *l)
{
	at_u32 pos = (r->head + off) % r->size;
	at_u32 first = AT_MIN(len, r->size - pos);

	p[0] = r->buf + pos;
	l[0] = first;
	p[1] = len > first ? r->buf : NULL;
	l[1] = len - first;
}

at_u32 at_ring_peek(const struct at_ring *r, at_u32 off, void *buf,
		    at_u32 len)
{
	const at_u8 *p[2];
	at_u32 l[2];

	if (off >= r->len)
		return 0;
	len = AT_MIN(len, r->len - off);
	at_ring_pieces(r, off, len, p, l);
	at_memcpy(buf, p[0], l[0]);
	if (l[1])
		at_memcpy((at_u8 *)buf + l[0], p[1], l[1]);
	return len;
}

void at_ring_pop(struct at_ring *r, at_u32 len)
{
	len = AT_MIN(len, r->len);
	r->head = (r->head + len) % r->size;
	r->len -= len;
}
