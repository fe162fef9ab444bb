/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The platform boundary of the alttcp core.
 *
 * The core is compiled twice: into alttcp.ko with the kernel's flags and
 * into userspace for the simulator tests.  It therefore includes nothing at
 * all (no libc, no <linux/...>): integer types come from the compiler's own
 * predefined macros, memory and byte copies from GCC builtins, and
 * everything that touches the outside world (memory, randomness, the wire,
 * wakeups) goes through struct at_ops, which the glue fills in.
 */
#ifndef _ALTTCP_CORE_PLATFORM_H
#define _ALTTCP_CORE_PLATFORM_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Own names so that nothing clashes with the kernel's u32 & co when the glue
 * includes both this header and <linux/types.h>.
 */
typedef unsigned char at_u8;
typedef unsigned short at_u16;
typedef unsigned int at_u32;
typedef unsigned long long at_u64;
typedef signed int at_s32;
typedef signed long long at_s64;
typedef __SIZE_TYPE__ at_usize;
typedef unsigned char at_bool;

#ifndef NULL
#ifdef __cplusplus
#define NULL 0
#else
#define NULL ((void *)0)
#endif
#endif

#define AT_USEC_PER_MSEC	1000ULL
#define AT_USEC_PER_SEC		1000000ULL

/* errno values, numbered as Linux's so the glue can return them as is. */
#define AT_EPIPE		32
#define AT_EAGAIN		11
#define AT_ENOMEM		12
#define AT_EINVAL		22
#define AT_EADDRNOTAVAIL	99
#define AT_ECONNABORTED		103
#define AT_ECONNRESET		104
#define AT_EISCONN		106
#define AT_ENOTCONN		107
#define AT_ETIMEDOUT		110
#define AT_ECONNREFUSED		111

#define at_memcpy(d, s, n)	__builtin_memcpy((d), (s), (n))
#define at_memset(d, c, n)	__builtin_memset((d), (c), (n))

/* Keeps big on-stack structs of rare paths out of their callers' frames. */
#define AT_NOINLINE		__attribute__((__noinline__))

#define AT_MIN(a, b)		((a) < (b) ? (a) : (b))
#define AT_MAX(a, b)		((a) > (b) ? (a) : (b))
#define AT_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Sequence-space comparisons (RFC 9293 section 3.4), wrap-safe. */
static inline int at_seq_lt(at_u32 a, at_u32 b) { return (at_s32)(a - b) < 0; }
static inline int at_seq_le(at_u32 a, at_u32 b) { return (at_s32)(a - b) <= 0; }
static inline int at_seq_gt(at_u32 a, at_u32 b) { return (at_s32)(a - b) > 0; }
static inline int at_seq_ge(at_u32 a, at_u32 b) { return (at_s32)(a - b) >= 0; }
static inline at_u32 at_seq_max(at_u32 a, at_u32 b)
{
	return at_seq_gt(a, b) ? a : b;
}

static inline at_u32 at_seq_min(at_u32 a, at_u32 b)
{
	return at_seq_lt(a, b) ? a : b;
}

/* What an allocation is for; lets the glue use one kmem_cache per kind. */
enum at_alloc_kind {
	AT_ALLOC_CONN,
	AT_ALLOC_BUF,
	AT_ALLOC_REQ,
	AT_ALLOC_TW,
};

struct at_out;
struct at_event;

/*
 * Everything the core needs from its host.  All callbacks get the ctx's
 * glue pointer.  No callback may re-enter the core for the same connection.
 */
struct at_ops {
	/* May fail (return NULL); the core handles every failure. */
	void *(*alloc)(void *glue, at_usize size, enum at_alloc_kind kind);
	void (*free)(void *glue, void *ptr, enum at_alloc_kind kind);
	/* Fill buf with cryptographically strong random bytes. */
	void (*random)(void *glue, void *buf, at_usize len);
	/* Put one segment on the wire; the glue builds the packet. */
	void (*emit)(void *glue, const struct at_out *out);
	/* State changes, wakeups, table changes: see enum at_event_kind. */
	void (*event)(void *glue, const struct at_event *ev);
};

#ifdef __cplusplus
}
#endif

#endif /* _ALTTCP_CORE_PLATFORM_H */
