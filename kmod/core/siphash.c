// SPDX-License-Identifier: GPL-2.0
/*
 * SipHash-2-4 (Aumasson & Bernstein, 2012): the keyed hash behind ISNs,
 * timestamp offsets and SYN cookies.  Bytes are read one at a time so the
 * result is the same on any endianness and alignment.
 */
#include "at_internal.h"

#define ROTL(x, b) (((x) << (b)) | ((x) >> (64 - (b))))

#define SIPROUND(v0, v1, v2, v3) do {					\
	v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);	\
	v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);	\
} while (0)

static at_u64 load_le64(const at_u8 *p, at_usize n)
{
	at_u64 v = 0;
	at_usize i;

	for (i = 0; i < n; i++)
		v |= (at_u64)p[i] << (8 * i);
	return v;
}

at_u64 at_siphash(const at_u64 key[2], const void *data, at_usize len)
{
	const at_u8 *p = data;
	at_u64 v0 = 0x736f6d6570736575ULL ^ key[0];
	at_u64 v1 = 0x646f72616e646f6dULL ^ key[1];
	at_u64 v2 = 0x6c7967656e657261ULL ^ key[0];
	at_u64 v3 = 0x7465646279746573ULL ^ key[1];
	at_u64 m, b = (at_u64)len << 56;
	at_usize left = len;

	for (; left >= 8; left -= 8, p += 8) {
		m = load_le64(p, 8);
		v3 ^= m;
		SIPROUND(v0, v1, v2, v3);
		SIPROUND(v0, v1, v2, v3);
		v0 ^= m;
	}
	b |= load_le64(p, left);
	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return v0 ^ v1 ^ v2 ^ v3;
}
