/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tunables of one network namespace, as one table.
 *
 * Every knob exists three times: as a field of struct at_params that the
 * core reads, as a sysctl under /proc/sys/net/alttcp/, and as an attribute
 * of the generic netlink config nest.  Keeping the name, default and bounds
 * in one X-macro list means the three can never disagree.
 *
 * X(name, ATTR, default, min, max)
 *   name     field and sysctl name
 *   ATTR     suffix of ALTTCP_CFG_* in include/uapi/linux/alttcp.h (only
 *            expanded by the kernel glue; the core never sees the uapi)
 *   default  value a new namespace starts with (Linux 6.1's where Linux has
 *            the knob); AT_DEFAULT_MEMORY marks memory-derived defaults
 *   min, max inclusive bounds; writes outside them fail with EINVAL
 *
 * local_port_range is a pair and rmem a triple; they are kept out of the
 * list, see AT_PORT_RANGE_* and AT_RMEM_* below.
 *
 * Bounds are written as plain literals on purpose: the glue stringifies
 * them into static extack messages ("syn_retries: out of range [1, 127]").
 */
#ifndef _ALTTCP_CORE_PARAMS_H
#define _ALTTCP_CORE_PARAMS_H

/*
 * The kernel's <net/inet_timewait_sock.h> defines tw_reuse as a macro; the
 * glue may include it before this header.
 */
#pragma push_macro("tw_reuse")
#undef tw_reuse

#ifdef __cplusplus
extern "C" {
#endif

/* Default resolved at namespace creation from the machine's memory. */
#define AT_DEFAULT_MEMORY (-1)

#define AT_PARAMS(X)							\
	X(syn_retries,		SYN_RETRIES,		6,	1, 127)	\
	X(synack_retries,	SYNACK_RETRIES,		5,	0, 127)	\
	X(fin_timeout,		FIN_TIMEOUT,		60,	1, 86400) \
	X(tw_timeout,		TW_TIMEOUT,		60,	1, 3600) \
	X(max_tw_buckets,	MAX_TW_BUCKETS,	AT_DEFAULT_MEMORY, 0, 16777216) \
	X(tw_reuse,		TW_REUSE,		2,	0, 2)	\
	X(timestamps,		TIMESTAMPS,		1,	0, 1)	\
	X(syncookies,		SYNCOOKIES,		1,	0, 2)	\
	X(max_syn_backlog,	MAX_SYN_BACKLOG, AT_DEFAULT_MEMORY, 1, 16777216) \
	X(somaxconn,		SOMAXCONN,		4096,	0, 16777216) \
	X(abort_on_overflow,	ABORT_ON_OVERFLOW,	0,	0, 1)	\
	X(orphan_retries,	ORPHAN_RETRIES,		0,	0, 127)	\
	X(max_orphans,		MAX_ORPHANS,	AT_DEFAULT_MEMORY, 0, 16777216) \
	X(keepalive_time,	KEEPALIVE_TIME,		7200,	1, 32767) \
	X(keepalive_intvl,	KEEPALIVE_INTVL,	75,	1, 32767) \
	X(keepalive_probes,	KEEPALIVE_PROBES,	9,	1, 127)	\
	X(retries1,		RETRIES1,		3,	0, 255)	\
	X(retries2,		RETRIES2,		15,	0, 255)	\
	X(rfc1337,		RFC1337,		0,	0, 1)	\
	X(window_scaling,	WINDOW_SCALING,		1,	0, 1)	\
	X(sack,			SACK,			1,	0, 1)	\
	X(rto_min_ms,		RTO_MIN_MS,		200,	1, 60000) \
	X(rto_max_ms,		RTO_MAX_MS,		120000,	100, 600000) \
	X(rto_initial_ms,	RTO_INITIAL_MS,		1000,	1, 60000)

/* local_port_range: two ports, low <= high, as Linux's ip_local_port_range. */
#define AT_PORT_RANGE_DEFAULT_LOW	32768
#define AT_PORT_RANGE_DEFAULT_HIGH	60999
#define AT_PORT_RANGE_MIN		1
#define AT_PORT_RANGE_MAX		65535

/*
 * rmem: "min default max" bytes of receive buffer, as Linux's tcp_rmem and
 * with its defaults.  default is a new socket's SO_RCVBUF (sk_rcvbuf);
 * max is the most it may grow to, which sizes the window scale (see
 * at_initial_window()); min is what memory pressure leaves a socket.
 * Each is within [AT_BUF_BOUND_MIN, AT_BUF_BOUND_MAX], and min <= default
 * <= max.  The bound is the largest window a scale of 14 can offer.
 */
#define AT_RMEM_DEFAULT_MIN		4096
#define AT_RMEM_DEFAULT_DEFAULT		131072
#define AT_RMEM_DEFAULT_MAX		6291456
#define AT_BUF_BOUND_MIN		1
#define AT_BUF_BOUND_MAX		1073725440

static inline int at_buf_triple_valid(const int v[3])
{
	return v[0] >= AT_BUF_BOUND_MIN && v[2] <= AT_BUF_BOUND_MAX &&
	       v[0] <= v[1] && v[1] <= v[2];
}

/* orphan_retries 0 means 8 for a connection that is still alive, as Linux. */
#define AT_ORPHAN_RETRIES_WHEN_ZERO	8

struct at_params {
#define AT_PARAM_FIELD(name, attr, def, min, max) int name;
	AT_PARAMS(AT_PARAM_FIELD)
#undef AT_PARAM_FIELD
	int local_port_range[2];
	int rmem[3];
};

/*
 * Memory-derived defaults, following Linux's tcp_init(): an established
 * hash of one bucket per 128 KiB of RAM (rounded up to a power of two,
 * clamped to [1024, 1048576]), then max_tw_buckets = max_orphans = half of
 * it and max_syn_backlog = max(128, buckets / 128).
 */
static inline unsigned long at_params_hash_buckets(unsigned long long ram_bytes)
{
	unsigned long want = (unsigned long)(ram_bytes >> 17);
	unsigned long buckets = 1024;

	while (buckets < want && buckets < 1048576)
		buckets <<= 1;
	return buckets;
}

static inline void at_params_init(struct at_params *p,
				  unsigned long long ram_bytes)
{
	unsigned long buckets = at_params_hash_buckets(ram_bytes);
	int by_memory_tw = (int)(buckets / 2);
	int by_memory_syn = (int)(buckets / 128 > 128 ? buckets / 128 : 128);

#define AT_PARAM_DEFAULT(name, attr, def, min, max) p->name = def;
	AT_PARAMS(AT_PARAM_DEFAULT)
#undef AT_PARAM_DEFAULT
	p->max_tw_buckets = by_memory_tw;
	p->max_orphans = by_memory_tw;
	p->max_syn_backlog = by_memory_syn;
	p->local_port_range[0] = AT_PORT_RANGE_DEFAULT_LOW;
	p->local_port_range[1] = AT_PORT_RANGE_DEFAULT_HIGH;
	p->rmem[0] = AT_RMEM_DEFAULT_MIN;
	p->rmem[1] = AT_RMEM_DEFAULT_DEFAULT;
	p->rmem[2] = AT_RMEM_DEFAULT_MAX;
}

#ifdef __cplusplus
}
#endif

#pragma pop_macro("tw_reuse")

#endif /* _ALTTCP_CORE_PARAMS_H */
