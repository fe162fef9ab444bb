// SPDX-License-Identifier: GPL-2.0
// Unit tests of the building blocks: SipHash, header codec, cookies, rings,
// sequence arithmetic, name tables and object sizes.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "sim.h"

static_assert(sizeof(at_tw) <= 64, "compact TIME_WAIT entry must fit 64 bytes");
static_assert(sizeof(at_req) <= 128, "SYN_RECV entry must fit 128 bytes");
static_assert(AT_MIB_MAX == 30, "30 counters, as enum alttcp_mib");
static_assert(AT_LISTEN == 10 && AT_CLOSING == 11 && AT_ESTABLISHED == 1,
	      "states numbered as Linux's TCP_*");

TEST(SipHash, PaperVectors)
{
	// SipHash-2-4 reference: key 00..0f, message 00..(n-1).
	static const uint64_t expect[] = {
		0x726fdb47dd0e0e31ULL, 0x74f839c593dc67fdULL,
		0x0d6c8009d9a94f5aULL, 0x85676696d7fb7e2dULL,
		0xcf2794e0277187b7ULL, 0x18765564cd99a68dULL,
		0xcbc9466e58fee3ceULL, 0xab0200f58b01d137ULL,
		0x93f5f5799a932462ULL, 0x9e0082df0ba9e4b0ULL,
		0x7a5dbbc594ddb9f3ULL, 0xf4b32f46226bada7ULL,
		0x751e8fbc860ee5fbULL, 0x14ea5627c0843d90ULL,
		0xf723ca908e7af2eeULL, 0xa129ca6149be45e5ULL,
	};
	uint8_t k[16], m[64];
	at_u64 key[2];

	for (int i = 0; i < 16; i++)
		k[i] = (uint8_t)i;
	for (int i = 0; i < 64; i++)
		m[i] = (uint8_t)i;
	memcpy(key, k, 16);	// little-endian host
	for (size_t n = 0; n < sizeof(expect) / sizeof(expect[0]); n++)
		EXPECT_EQ(at_siphash(key, m, n), expect[n]) << "len " << n;
	// The paper's appendix example: 15-byte message.
	EXPECT_EQ(at_siphash(key, m, 15), 0xa129ca6149be45e5ULL);
}

TEST(Header, RoundTripWithAllOptions)
{
	at_out out{};
	uint8_t buf[64];
	at_seg seg;

	out.tuple.lport = 1234;
	out.tuple.rport = 80;
	out.seq = 0xdeadbeef;
	out.ack = 0x01020304;
	out.flags = AT_SYN | AT_ACK;
	out.window = 65535;
	out.opt.present = AT_OPT_MSS | AT_OPT_WSCALE | AT_OPT_TS | AT_OPT_SACK_OK;
	out.opt.mss = 1460;
	out.opt.wscale = 7;
	out.opt.tsval = 111;
	out.opt.tsecr = 222;
	int n = at_write_tcp_header(&out, buf, sizeof(buf));
	ASSERT_EQ(n, 40);
	ASSERT_EQ(at_parse_tcp_header(buf, n, &seg), 0);
	EXPECT_EQ(seg.tuple.rport, 1234);
	EXPECT_EQ(seg.tuple.lport, 80);
	EXPECT_EQ(seg.seq, 0xdeadbeefU);
	EXPECT_EQ(seg.ack, 0x01020304U);
	EXPECT_EQ(seg.flags, AT_SYN | AT_ACK);
	EXPECT_EQ(seg.opt.mss, 1460);
	EXPECT_EQ(seg.opt.wscale, 7);
	EXPECT_EQ(seg.opt.tsval, 111U);
	EXPECT_EQ(seg.opt.tsecr, 222U);
	EXPECT_TRUE(seg.opt.present & AT_OPT_SACK_OK);
	EXPECT_EQ(seg.len, 0U);
}

TEST(Header, SackBlocksRoundTrip)
{
	at_out out{};
	uint8_t buf[64];
	at_seg seg;

	out.flags = AT_ACK;
	out.opt.present = AT_OPT_TS;
	out.opt.nr_sack = 3;
	for (int i = 0; i < 3; i++)
		out.opt.sack[i] = {100u * i + 1, 100u * i + 50};
	int n = at_write_tcp_header(&out, buf, sizeof(buf));
	ASSERT_EQ(n, 60);
	ASSERT_EQ(at_parse_tcp_header(buf, n, &seg), 0);
	ASSERT_EQ(seg.opt.nr_sack, 3);
	EXPECT_EQ(seg.opt.sack[2].start, 201U);
	EXPECT_EQ(seg.opt.sack[2].end, 250U);
}

TEST(Header, RejectsBadDataOffset)
{
	uint8_t buf[40] = {};
	at_seg seg;

	EXPECT_LT(at_parse_tcp_header(buf, 19, &seg), 0);
	buf[12] = 4 << 4;	// 16 bytes < 20
	EXPECT_LT(at_parse_tcp_header(buf, 40, &seg), 0);
	buf[12] = 15 << 4;	// 60 bytes > len
	EXPECT_LT(at_parse_tcp_header(buf, 40, &seg), 0);
	buf[12] = 5 << 4;
	EXPECT_EQ(at_parse_tcp_header(buf, 40, &seg), 0);
	EXPECT_EQ(seg.len, 20U);
	// A malformed option length stops option parsing, not the segment.
	buf[12] = 6 << 4;
	buf[20] = 2;
	buf[21] = 9;
	EXPECT_EQ(at_parse_tcp_header(buf, 40, &seg), 0);
	EXPECT_FALSE(seg.opt.present & AT_OPT_MSS);
}

TEST(SeqArith, WrapsAround)
{
	EXPECT_TRUE(at_seq_lt(0xfffffff0u, 0x10u));
	EXPECT_TRUE(at_seq_gt(0x10u, 0xfffffff0u));
	EXPECT_EQ(at_seq_max(0xfffffff0u, 0x10u), 0x10u);
}

TEST(Names, EveryCounterReasonAndStateHasAName)
{
	for (int i = 0; i < AT_MIB_MAX; i++)
		ASSERT_NE(at_mib_names[i], nullptr);
	for (int i = 0; i < AT_R_MAX; i++)
		ASSERT_NE(at_reason_names[i], nullptr);
	for (int i = 1; i < AT_STATE_MAX; i++)
		ASSERT_NE(at_state_names[i], nullptr);
	EXPECT_STREQ(at_mib_names[AT_MIB_ACTIVE_OPENS], "ActiveOpens");
	EXPECT_STREQ(at_mib_names[AT_MIB_PAWS_REJECTED], "PAWSRejected");
	EXPECT_STREQ(at_reason_names[AT_R_SYN_RETRIES_EXHAUSTED], "syn_retries_exhausted");
	EXPECT_STREQ(at_state_names[AT_TIME_WAIT], "TIME_WAIT");
}

TEST(Sizes, CompactEntries)
{
	printf("bytes per entry: ESTABLISHED conn %zu (+ rings), SYN_RECV %zu, TIME_WAIT %zu\n",
	       (size_t)at_sizeof_conn(), (size_t)at_sizeof_req(), (size_t)at_sizeof_tw());
	EXPECT_LE(at_sizeof_tw(), 64u);
	EXPECT_LE(at_sizeof_req(), 128u);
}

TEST(Cookie, RoundTripAndAging)
{
	sim::Sim s;
	sim::Host &h = s.AddHost(1);
	at_tuple t{1, 2, 80, 40000};
	at_u16 mss;

	at_u32 c = at_cookie_make(&h.ctx, &t, 1000, 1460, s.now, &mss);
	EXPECT_EQ(mss, 1460);
	EXPECT_EQ(at_cookie_check(&h.ctx, &t, 1000, c, s.now), 3);
	EXPECT_EQ(at_cookie_check(&h.ctx, &t, 1000, c, s.now + 60 * sim::kSec), 3);
	EXPECT_EQ(at_cookie_check(&h.ctx, &t, 1000, c, s.now + 180 * sim::kSec), -1);
	EXPECT_EQ(at_cookie_check(&h.ctx, &t, 901000, c, s.now), -1);
	at_tuple t2 = t;
	t2.rport++;
	EXPECT_EQ(at_cookie_check(&h.ctx, &t2, 1000, c, s.now), -1);
	at_cookie_make(&h.ctx, &t, 1000, 600, s.now, &mss);
	EXPECT_EQ(mss, 536);
}

TEST(Cookie, TimestampCarriesOptions)
{
	at_req r{};
	r.ws_ok = 1;
	r.snd_wscale = 7;
	r.sack_ok = 1;
	at_u32 ts = at_cookie_ts(5000000, 12345, &r);
	at_req d{};
	at_cookie_ts_decode(ts, &d);
	EXPECT_TRUE(d.ws_ok);
	EXPECT_EQ(d.snd_wscale, 7);
	EXPECT_TRUE(d.sack_ok);
	EXPECT_LE((int32_t)(ts - (5000 + 12345)), 0);
}

TEST(Isn, DiffersPerTupleAndTicksEvery4us)
{
	sim::Sim s;
	sim::Host &h = s.AddHost(1);
	at_tuple a{1, 2, 1000, 80}, b{1, 2, 1001, 80};

	at_u32 ia = at_isn(&h.ctx, &a, s.now);
	EXPECT_NE(ia, at_isn(&h.ctx, &b, s.now));
	EXPECT_EQ(at_isn(&h.ctx, &a, s.now + 4), ia + 1);
	EXPECT_EQ(at_isn(&h.ctx, &a, s.now + 400), ia + 100);
	sim::Sim s2(99);
	sim::Host &h2 = s2.AddHost(1);
	EXPECT_NE(at_isn(&h2.ctx, &a, s.now), ia);	// another secret
}

// The core never includes the uapi header; the tests check that the glue
// can map counters and states 1:1.
#include "../../../include/uapi/linux/alttcp.h"

TEST(Uapi, CountersAndStatesMapOneToOne)
{
#define CHECK_MIB(id, name) static_assert((int)AT_MIB_##id == (int)ALTTCP_MIB_##id, #id);
	AT_MIBS(CHECK_MIB)
#undef CHECK_MIB
	static_assert((int)AT_MIB_MAX == (int)__ALTTCP_MIB_MAX, "same count");
	static_assert((int)AT_ESTABLISHED == ALTTCP_STATE_ESTABLISHED, "");
	static_assert((int)AT_SYN_SENT == ALTTCP_STATE_SYN_SENT, "");
	static_assert((int)AT_SYN_RECV == ALTTCP_STATE_SYN_RECV, "");
	static_assert((int)AT_FIN_WAIT1 == ALTTCP_STATE_FIN_WAIT1, "");
	static_assert((int)AT_FIN_WAIT2 == ALTTCP_STATE_FIN_WAIT2, "");
	static_assert((int)AT_TIME_WAIT == ALTTCP_STATE_TIME_WAIT, "");
	static_assert((int)AT_CLOSED == ALTTCP_STATE_CLOSE, "");
	static_assert((int)AT_CLOSE_WAIT == ALTTCP_STATE_CLOSE_WAIT, "");
	static_assert((int)AT_LAST_ACK == ALTTCP_STATE_LAST_ACK, "");
	static_assert((int)AT_LISTEN == ALTTCP_STATE_LISTEN, "");
	static_assert((int)AT_CLOSING == ALTTCP_STATE_CLOSING, "");
	SUCCEED();
}

#include "helpers.h"

TEST(Api, ZeroLengthReadIsEofOnlyWhenNothingIsLeft)
{
	t::Net n;
	ASSERT_TRUE(n.Open());
	n.cli->auto_read = false;
	n.Server()->Send("abc");
	n.Server()->Close();
	n.s.RunFor(sim::kSec);
	char b[8];
	EXPECT_EQ(at_recv(n.cli->c, b, 0, 1, n.s.now), -AT_EAGAIN);	// data first
	EXPECT_EQ(at_recv(n.cli->c, b, sizeof(b), 1, n.s.now), 3);	// peek
	EXPECT_EQ(at_recv(n.cli->c, b, sizeof(b), 0, n.s.now), 3);
	EXPECT_EQ(at_recv(n.cli->c, b, 0, 1, n.s.now), 0);		// now EOF
	EXPECT_EQ(at_recv(n.cli->c, b, sizeof(b), 0, n.s.now), 0);
}

// ALTTCP_CMD_KILL_CONN: the peer gets an RST, the application ECONNABORTED;
// a listener cannot be killed.
TEST(Kill, ResetsPeerAndAbortsApplication)
{
	t::Net n;
	ASSERT_TRUE(n.Open());
	sim::App *server = n.Server();

	EXPECT_EQ(at_kill(n.srv->c, n.s.now), -AT_EINVAL);
	ASSERT_EQ(at_kill(n.cli->c, n.s.now), 0);
	EXPECT_EQ(n.cli->state(), AT_CLOSED);
	EXPECT_EQ(at_conn_error(n.cli->c), AT_ECONNABORTED);
	EXPECT_TRUE(t::HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED,
				     AT_R_ADMIN_KILL));
	ASSERT_TRUE(n.Run([&] { return server->state() == AT_CLOSED; }, t::kSec));
	EXPECT_EQ(server->err, AT_ECONNRESET);
	// As Linux's EstabResets: both sides went ESTABLISHED -> CLOSED.
	EXPECT_EQ(n.a.mib(AT_MIB_ESTAB_RESETS), 1u);
	EXPECT_EQ(n.b.mib(AT_MIB_ESTAB_RESETS), 1u);
	EXPECT_EQ(n.From(t::A, [](const sim::Cap &c) { return c.flags & AT_RST; }).size(), 1u);
	EXPECT_EQ(at_kill(n.cli->c, n.s.now), -AT_EINVAL);
}
