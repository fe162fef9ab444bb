// SPDX-License-Identifier: GPL-2.0
// One test (at least) per item of shared/spec/behaviors.md, on the
// simulator, with exact timing on the virtual clock.  Links have a 1 ms
// one-way delay unless a test says otherwise.
#include "helpers.h"

using namespace t;

namespace {

at_out SynFrom(uint32_t src, uint16_t sport, uint32_t seq)
{
	at_out o{};
	o.tuple.laddr = src;
	o.tuple.raddr = B;
	o.tuple.lport = sport;
	o.tuple.rport = kPort;
	o.seq = seq;
	o.flags = AT_SYN;
	o.window = 65535;
	o.opt.present = AT_OPT_MSS;
	o.opt.mss = 1460;
	return o;
}

std::vector<uint64_t> Offsets(const std::vector<Cap> &v, uint64_t t0)
{
	std::vector<uint64_t> r;
	for (auto &c : v)
		r.push_back(c.t - t0);
	return r;
}

}  // namespace

/* ---------------- A. Segment and connection basics ---------------- */

TEST(Behaviour, A1_HeaderFieldsAckOnAllButFirstSyn)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Send("hello");
	n.cli->close_on_eof = true;
	n.b.on_accept = nullptr;
	n.Server()->close_on_eof = true;
	n.cli->Close();
	n.s.RunFor(2 * kSec);
	ASSERT_GE(n.s.caps.size(), 7u);
	EXPECT_TRUE(n.s.caps[0].SynOnly());
	EXPECT_EQ(n.s.caps[0].ack, 0u);
	for (size_t i = 1; i < n.s.caps.size(); i++)
		EXPECT_TRUE(n.s.caps[i].Ack()) << n.s.caps[i].Str();
	// Ports, sequence and acknowledgement numbers line up both ways.
	const Cap &syn = n.s.caps[0], &sa = n.s.caps[1];
	EXPECT_EQ(sa.sport, syn.dport);
	EXPECT_EQ(sa.dport, syn.sport);
	EXPECT_EQ(sa.ack, syn.seq + 1);
	EXPECT_GT(sa.window, 0);
	EXPECT_TRUE(syn.opt.present & AT_OPT_MSS);
}

TEST(Behaviour, A2_FourTupleIdentifiesConnection)
{
	Net n;
	n.Listen();
	sim::App *c1 = n.a.Connect(B, kPort);
	sim::App *c2 = n.a.Connect(B, kPort);
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 2; }, kSec));
	EXPECT_NE(c1->Info().tuple.lport, c2->Info().tuple.lport);
	c1->Send("one");
	c2->Send("two");
	n.s.RunFor(kSec);
	for (size_t i = 0; i < 2; i++) {
		sim::App *s = n.Server(i);
		std::string got(s->rx.begin(), s->rx.end());
		std::string want = s->Info().tuple.rport == c1->Info().tuple.lport ? "one" : "two";
		EXPECT_EQ(got, want);
	}
	EXPECT_EQ(n.b.conns.size(), 2u);
}

TEST(Behaviour, A3_ByteStreamHasNoMessageBoundaries)
{
	Net n;
	n.b.cfg.mtu = 576;	// MSS 536: one big write is split
	ASSERT_TRUE(n.Open());
	auto data = Pattern(5000);
	n.cli->Send(data.data(), 3000);
	n.cli->Send(data.data() + 3000, 10);	// small writes may merge
	n.cli->Send(data.data() + 3010, 1990);
	n.s.RunFor(kSec);
	EXPECT_EQ(n.Server()->rx, data);
	auto segs = n.From(A, [](const Cap &c) { return c.len > 0; });
	EXPECT_GT(segs.size(), 3u);
	for (auto &c : segs)
		EXPECT_LE(c.len, 536u - 12u);
}

TEST(Behaviour, A4_SynAndFinConsumeOneSequenceNumber)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Send("abc");
	n.s.RunFor(kSec);
	n.cli->Close();
	n.s.RunFor(kSec);
	auto syn = n.From(A, [](const Cap &c) { return c.SynOnly(); });
	auto data = n.From(A, [](const Cap &c) { return c.len > 0; });
	auto fin = n.From(A, [](const Cap &c) { return c.Fin(); });
	auto acks = n.From(B, [](const Cap &c) { return c.PureAck(); });
	ASSERT_EQ(syn.size(), 1u);
	ASSERT_EQ(data.size(), 1u);
	ASSERT_EQ(fin.size(), 1u);
	EXPECT_EQ(data[0].seq, syn[0].seq + 1);
	EXPECT_EQ(fin[0].seq, data[0].seq + 3);
	EXPECT_EQ(acks.back().ack, fin[0].seq + 1);
	// The client's pure ACK of the SYN+ACK consumed nothing.
	auto third = n.From(A, [](const Cap &c) { return c.PureAck(); });
	EXPECT_EQ(third[0].seq, data[0].seq);
}

/* ---------------- B. Opening ---------------- */

TEST(Behaviour, B1_ThreeWayHandshakeStatesAndNumbers)
{
	Net n;
	ASSERT_TRUE(n.Open());
	ASSERT_GE(n.s.caps.size(), 3u);
	const Cap &c1 = n.s.caps[0], &c2 = n.s.caps[1], &c3 = n.s.caps[2];
	EXPECT_TRUE(c1.SynOnly());
	EXPECT_TRUE(c2.SynAck());
	EXPECT_EQ(c2.ack, c1.seq + 1);
	EXPECT_TRUE(c3.PureAck());
	EXPECT_EQ(c3.seq, c1.seq + 1);
	EXPECT_EQ(c3.ack, c2.seq + 1);
	EXPECT_TRUE(HasTransition(n.a, AT_CLOSED, AT_SYN_SENT, AT_R_APP_CONNECT));
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_ESTABLISHED, AT_R_SYNACK_RECEIVED));
	EXPECT_TRUE(HasTransition(n.b, AT_CLOSED, AT_LISTEN, AT_R_APP_LISTEN));
	EXPECT_TRUE(HasTransition(n.b, AT_LISTEN, AT_SYN_RECV, AT_R_SYN_RECEIVED));
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_RECV, AT_ESTABLISHED, AT_R_HANDSHAKE_COMPLETE));
	EXPECT_EQ(n.a.mib(AT_MIB_ACTIVE_OPENS), 1u);
	EXPECT_EQ(n.b.mib(AT_MIB_PASSIVE_OPENS), 1u);
	EXPECT_EQ(n.a.mib(AT_MIB_CURR_ESTAB), 1u);
	EXPECT_EQ(n.b.mib(AT_MIB_CURR_ESTAB), 1u);
}

TEST(Behaviour, B1_SimultaneousOpen)
{
	Net n;
	sim::App *x = n.a.Connect(B, 2000, 1000);
	sim::App *y = n.b.Connect(A, 1000, 2000);
	ASSERT_TRUE(n.Run([&] { return x->connected && y->connected; }, kSec));
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_SYN_RECV, AT_R_SIMULTANEOUS_OPEN));
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_SENT, AT_SYN_RECV, AT_R_SIMULTANEOUS_OPEN));
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_RECV, AT_ESTABLISHED));
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_RECV, AT_ESTABLISHED));
	x->Send("ping");
	n.s.RunFor(kSec);
	EXPECT_EQ(std::string(y->rx.begin(), y->rx.end()), "ping");
}

TEST(Behaviour, B2_ConnectReturnsOnSynAckAcceptOnThirdSegment)
{
	Net n;
	n.Listen();
	uint64_t t0 = n.s.now;
	ASSERT_TRUE(n.Open());
	EXPECT_EQ(n.cli->established_at - t0, 2 * kMs);	// SYN+ACK arrived
	EXPECT_EQ(n.Server()->established_at - t0, 3 * kMs);	// third segment
}

TEST(Behaviour, B3_ThirdSegmentMayCarryDataFirstTwoDoNot)
{
	Net n;
	n.Listen();
	n.Connect();
	n.cli->Send("early");	// queued in SYN_SENT
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() && !n.Server()->rx.empty(); }, kSec));
	EXPECT_EQ(n.s.caps[0].len, 0u);
	EXPECT_EQ(n.s.caps[1].len, 0u);
	EXPECT_EQ(n.s.caps[2].len, 5u);
	EXPECT_TRUE(n.s.caps[2].Ack());
	EXPECT_EQ(std::string(n.Server()->rx.begin(), n.Server()->rx.end()), "early");
}

TEST(Behaviour, B4_OldDuplicateSynAckGetsReset)
{
	Net n;
	n.s.DropAll([](const Cap &c) { return c.dst == B; });	// server silent
	n.Connect();
	n.s.RunFor(100 * kMs);
	const Cap syn = n.s.caps[0];
	at_out old{};
	old.tuple = {B, A, kPort, syn.sport};
	old.seq = 777;
	old.ack = syn.seq + 1000;	// acks something we never sent
	old.flags = AT_SYN | AT_ACK;
	old.window = 1000;
	n.s.Send(B, A, &old);
	n.s.RunFor(100 * kMs);
	auto rst = n.From(A, [](const Cap &c) { return c.Rst(); });
	ASSERT_EQ(rst.size(), 1u);
	EXPECT_EQ(rst[0].seq, syn.seq + 1000);
	EXPECT_EQ(n.cli->state(), AT_SYN_SENT);
}

TEST(Behaviour, B5_IsnsDifferAndAreUnpredictable)
{
	Net n;
	n.Listen();
	std::vector<uint32_t> isn;
	for (int i = 0; i < 8; i++)
		n.a.Connect(B, kPort);
	n.s.RunFor(kSec);
	for (auto &c : n.From(A, [](const Cap &c) { return c.SynOnly(); }))
		isn.push_back(c.seq);
	ASSERT_EQ(isn.size(), 8u);
	// Same instant, neighbouring ports: a clock alone would give equal ISNs.
	for (size_t i = 1; i < isn.size(); i++)
		EXPECT_NE(isn[i], isn[i - 1]);
	Net other(Params(), Params(), 2);	// another secret
	other.Listen();
	other.Connect();
	other.s.RunFor(kSec);
	EXPECT_NE(other.s.caps[0].seq, isn[0]);
}

TEST(Behaviour, B6_MssAnnouncedAndRespectedPerSegmentRetransmit)
{
	Net n;
	n.b.cfg.mtu = 1000;	// server MSS 960
	n.Listen();
	n.Connect();
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() > 0; }, kSec));
	EXPECT_EQ(n.s.caps[0].opt.mss, 1460);
	EXPECT_EQ(n.s.caps[1].opt.mss, 960);
	n.s.Drop([](const Cap &c) { return c.src == A && c.len > 0; }, 3);
	auto data = Pattern(20000);
	n.cli->Send(data.data(), data.size());
	n.s.RunFor(5 * kSec);
	EXPECT_EQ(n.Server()->rx, data);
	for (auto &c : n.From(A, [](const Cap &c) { return c.len > 0; }))
		EXPECT_LE(c.len, 960u - 12u);
	auto rtx = n.From(A, [](const Cap &c) { return c.retransmit && c.len; });
	ASSERT_GE(rtx.size(), 1u);
	EXPECT_EQ(rtx[0].len, 948u);
}

static void SynRetries(int retries, uint64_t fail_s, bool override_cnt)
{
	Net n(Params([&](at_params &p) { p.syn_retries = override_cnt ? 6 : retries; }));
	if (override_cnt) {
		n.a.before_connect = [&](at_conn *c) {
			at_overrides o;
			at_overrides_unset(&o);
			o.syn_retries = retries;
			at_set_overrides(c, &o, n.s.now);
		};
	}
	n.s.DropAll([](const Cap &c) { return c.dst == B; });
	uint64_t t0 = n.s.now;
	n.Connect();
	ASSERT_TRUE(n.Run([&] { return n.cli->closed_at != 0; }, 1000 * kSec));
	std::vector<uint64_t> want;
	for (int i = 0; i <= retries; i++)
		want.push_back(((1ULL << i) - 1) * kSec);
	EXPECT_EQ(Offsets(n.From(A), t0), want);
	EXPECT_EQ(n.cli->closed_at - t0, fail_s * kSec);
	EXPECT_EQ(n.cli->err, AT_ETIMEDOUT);
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_CLOSED, AT_R_SYN_RETRIES_EXHAUSTED));
	EXPECT_EQ(n.a.mib(AT_MIB_SYN_RETRANSMITS), (uint64_t)retries);
	EXPECT_EQ(n.a.mib(AT_MIB_ATTEMPT_FAILS), 1u);
	EXPECT_EQ(n.a.mib(AT_MIB_ABORT_ON_TIMEOUT), 1u);
}

TEST(Behaviour, B7_SynRetriesBackoff63s)
{
	SynRetries(5, 63, false);
}

TEST(Behaviour, B7_SynRetries6Fails127s)
{
	SynRetries(6, 127, false);
}

TEST(Behaviour, B7_TcpSyncntOverride)
{
	SynRetries(2, 7, true);
}

TEST(Behaviour, B8_SynAckLostBothSidesRetransmit)
{
	Net n;
	n.s.Drop([](const Cap &c) { return c.SynAck(); });
	n.Listen();
	uint64_t t0 = n.s.now;
	ASSERT_TRUE(n.Open(5 * kSec));
	// The client's SYN at 1 s meets the server's own SYN+ACK timer.
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.SynOnly(); }).size(), 2u);
	EXPECT_EQ(n.cli->established_at - t0, 1 * kSec + 2 * kMs);
	EXPECT_GE(n.b.mib(AT_MIB_SYNACK_RETRANSMITS), 1u);
	EXPECT_EQ(n.a.mib(AT_MIB_SYN_RETRANSMITS), 1u);
}

TEST(Behaviour, B8_SynAckRetriesExhaustedDropsHalfOpen)
{
	Net n(Params(), Params([](at_params &p) { p.synack_retries = 5; }));
	n.s.DropAll([](const Cap &c) { return c.dst == A; });
	n.s.DropAll([](const Cap &c) { return c.src == A && c.retransmit; });
	n.Listen();
	uint64_t t0 = n.s.now + kMs;	// SYN arrival
	n.Connect();
	n.s.RunFor(100 * kSec);
	std::vector<uint64_t> want;
	for (int i = 0; i <= 5; i++)
		want.push_back(((1ULL << i) - 1) * kSec);
	EXPECT_EQ(Offsets(n.From(B), t0), want);
	uint64_t when = 0;
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_RECV, AT_CLOSED, AT_R_SYNACK_RETRIES_EXHAUSTED, &when));
	EXPECT_EQ(when - t0, 63 * kSec);
	EXPECT_TRUE(n.b.reqs.empty());
	EXPECT_EQ(n.b.ctx.req_count, 0u);
	EXPECT_EQ(n.b.mib(AT_MIB_SYNACK_RETRANSMITS), 5u);
}

TEST(Behaviour, B9_ThirdAckLostServerResendsSynAck)
{
	Net n;
	n.s.Drop([](const Cap &c) { return c.src == A && c.PureAck(); });
	n.Listen();
	uint64_t t0 = n.s.now;
	ASSERT_TRUE(n.Open(5 * kSec));
	EXPECT_EQ(n.cli->established_at - t0, 2 * kMs);
	EXPECT_EQ(n.Server()->established_at - t0, 1 * kSec + 3 * kMs);
	auto acks = n.From(A, [](const Cap &c) { return c.PureAck(); });
	ASSERT_EQ(acks.size(), 2u);	// never retransmitted on its own
	EXPECT_EQ(acks[1].t - t0, 1 * kSec + 2 * kMs);
	EXPECT_EQ(n.From(B, [](const Cap &c) { return c.SynAck(); }).size(), 2u);
}

TEST(Behaviour, B10_AcceptQueueFullDropsSynUntilAccept)
{
	Net n;
	n.b.auto_accept = false;
	n.Listen(1);
	uint64_t t0 = n.s.now;
	sim::App *c1 = n.a.Connect(B, kPort);
	n.s.RunFor(100 * kMs);
	ASSERT_TRUE(c1->connected);
	sim::App *c2 = n.a.Connect(B, kPort);
	n.s.RunFor(500 * kMs);
	EXPECT_FALSE(c2->connected);
	EXPECT_EQ(n.b.mib(AT_MIB_LISTEN_OVERFLOWS), 1u);
	EXPECT_EQ(n.b.mib(AT_MIB_LISTEN_DROPS), 1u);
	struct at_conn_info listener = n.srv->Info();	// its own share
	EXPECT_EQ(listener.listen_overflows, 1u);
	EXPECT_EQ(listener.listen_drops, 1u);
	n.b.auto_accept = true;	// the application accepts
	n.b.Pump(n.s.now);
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 2; }, 5 * kSec));
	EXPECT_EQ(c2->established_at - t0, 100 * kMs + 1 * kSec + 2 * kMs);
}

static void AcceptOverflowOnAck(bool abort)
{
	Net n(Params(), Params([&](at_params &p) { p.abort_on_overflow = abort; }));
	n.b.auto_accept = false;
	n.Listen(1);
	sim::App *c1 = n.a.Connect(B, kPort);
	sim::App *c2 = n.a.Connect(B, kPort);
	n.s.RunFor(500 * kMs);
	EXPECT_TRUE(c1->connected);
	EXPECT_TRUE(c2->connected);	// the client thinks it is open
	EXPECT_EQ(n.b.mib(AT_MIB_LISTEN_OVERFLOWS), 1u);
	if (abort) {
		EXPECT_EQ(c2->err, AT_ECONNRESET);
		EXPECT_TRUE(n.b.reqs.empty());
		return;
	}
	EXPECT_EQ(n.b.reqs.size(), 1u);	// dropped ACK, request kept
	n.b.auto_accept = true;
	n.b.Pump(n.s.now);
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 2; }, 5 * kSec));
	EXPECT_EQ(c2->err, 0);
}

TEST(Behaviour, B10_AcceptQueueFullDropsFinalAck)
{
	AcceptOverflowOnAck(false);
}

TEST(Behaviour, B10_AbortOnOverflowResets)
{
	AcceptOverflowOnAck(true);
}

TEST(Behaviour, B10_SynQueueBoundedByMaxSynBacklogWithoutCookies)
{
	Net n(Params(), Params([](at_params &p) {
		p.syncookies = 0;
		p.max_syn_backlog = 2;
	}));
	n.s.DropAll([](const Cap &c) { return c.src == A && !c.SynOnly(); });
	n.Listen();
	for (int i = 0; i < 3; i++)
		n.a.Connect(B, kPort);
	n.s.RunFor(500 * kMs);
	EXPECT_EQ(n.b.reqs.size(), 2u);
	EXPECT_EQ(n.From(B, [](const Cap &c) { return c.SynAck(); }).size(), 2u);
	EXPECT_EQ(n.b.mib(AT_MIB_LISTEN_DROPS), 1u);
	EXPECT_EQ(n.b.mib(AT_MIB_SYNCOOKIES_SENT), 0u);
}

static void Flood(Net &n, int count)
{
	for (int i = 0; i < count; i++) {
		at_out o = SynFrom(0x0b000000 + i, 1024 + i, 1000 * i);
		n.s.Send(0x0b000000 + i, B, &o);
	}
	n.s.RunFor(10 * kMs);
}

TEST(Behaviour, B11_SynFloodCookiesLetLegitimateClientsIn)
{
	Net n(Params(), Params([](at_params &p) {
		p.syncookies = 1;
		p.max_syn_backlog = 16;
	}));
	n.Listen();
	Flood(n, 200);
	EXPECT_EQ(n.b.reqs.size(), 16u);
	EXPECT_EQ(n.b.mib(AT_MIB_SYNCOOKIES_SENT), 200u - 16u);
	std::vector<sim::App *> legit;
	for (int i = 0; i < 5; i++)
		legit.push_back(n.a.Connect(B, kPort));
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 5; }, 2 * kSec));
	EXPECT_EQ(n.b.mib(AT_MIB_SYNCOOKIES_RECV), 5u);
	EXPECT_EQ(n.b.mib(AT_MIB_SYNCOOKIES_FAILED), 0u);
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_RECV, AT_ESTABLISHED, AT_R_COOKIE_ACK));
	// Options survived the stateless round trip through the timestamp.
	auto si = n.Server(0)->Info();
	auto ci = legit[0]->Info();
	EXPECT_TRUE(si.ts_ok);
	EXPECT_TRUE(si.sack_ok);
	EXPECT_EQ(si.snd_wscale, ci.rcv_wscale);
	EXPECT_EQ(si.rcv_wscale, ci.snd_wscale);
	auto data = Pattern(300000);
	legit[0]->Send(data.data(), data.size());
	n.s.RunFor(2 * kSec);
	EXPECT_EQ(n.Server(0)->rx, data);
}

TEST(Behaviour, B11_ForgedCookieAckIsRejected)
{
	Net n(Params(), Params([](at_params &p) { p.max_syn_backlog = 1; }));
	n.Listen();
	Flood(n, 5);
	at_out ack{};
	ack.tuple = {0x0b000003, B, 1027, kPort};
	ack.seq = 3001;
	ack.ack = 0x12345678;
	ack.flags = AT_ACK;
	n.s.Send(0x0b000003, B, &ack);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.b.mib(AT_MIB_SYNCOOKIES_FAILED), 1u);
	EXPECT_EQ(n.From(B, [](const Cap &c) { return c.Rst(); }).size(), 1u);
	EXPECT_EQ(n.b.NumAccepted(), 0u);
}

TEST(Behaviour, B11_Syncookies2AlwaysAndNever0)
{
	Net n(Params(), Params([](at_params &p) { p.syncookies = 2; }));
	ASSERT_TRUE(n.Open());
	EXPECT_EQ(n.b.mib(AT_MIB_SYNCOOKIES_SENT), 1u);
	EXPECT_EQ(n.b.mib(AT_MIB_SYNCOOKIES_RECV), 1u);
	EXPECT_FALSE(HasTransition(n.b, AT_LISTEN, AT_SYN_RECV));

	Net m(Params(), Params([](at_params &p) {
		p.syncookies = 0;
		p.max_syn_backlog = 4;
	}));
	m.Listen();
	Flood(m, 20);
	m.Connect();
	m.s.RunFor(500 * kMs);
	EXPECT_FALSE(m.cli->connected);
	EXPECT_EQ(m.b.mib(AT_MIB_SYNCOOKIES_SENT), 0u);
	EXPECT_EQ(m.b.mib(AT_MIB_LISTEN_DROPS), 17u);
}

/* ---------------- C. Closing ---------------- */

static void CloseBoth(Net &n)
{
	n.Server()->close_on_eof = true;
	n.cli->Close();
}

TEST(Behaviour, C1_ActiveCloserGoesThroughFinWait2AndTimeWait)
{
	Net n(Params([](at_params &p) { p.tw_timeout = 60; }));
	ASSERT_TRUE(n.Open());
	CloseBoth(n);
	uint64_t tw = 0, closed = 0;
	n.s.RunFor(61 * kSec);
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_FIN_WAIT1, AT_R_APP_CLOSE));
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2, AT_R_ACK_OF_FIN));
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_TIME_WAIT, AT_R_FIN_RECEIVED, &tw));
	EXPECT_TRUE(HasTransition(n.a, AT_TIME_WAIT, AT_CLOSED, AT_R_TW_EXPIRED, &closed));
	EXPECT_EQ(closed - tw, 60 * kSec);
	EXPECT_EQ(n.a.mib(AT_MIB_TW), 1u);
}

TEST(Behaviour, C1_FinAckInFinWait1GoesToTimeWait)
{
	Net n;
	ASSERT_TRUE(n.Open());
	// Lose the server's bare ACK of our FIN: its FIN then acks ours.
	n.s.Drop([](const Cap &c) { return c.src == B && c.PureAck(); });
	CloseBoth(n);
	n.s.RunFor(kSec);
	uint64_t t1 = 0, t2 = 0;
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2, AT_R_ACK_OF_FIN, &t1));
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_TIME_WAIT, AT_R_FIN_RECEIVED, &t2));
	EXPECT_EQ(t1, t2);	// one segment did both
	EXPECT_FALSE(HasTransition(n.a, AT_FIN_WAIT1, AT_CLOSING));
}

TEST(Behaviour, C1_SimultaneousCloseGoesThroughClosing)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.Server()->Close();
	n.s.RunFor(kSec);
	for (sim::Host *h : {&n.a, &n.b}) {
		EXPECT_TRUE(HasTransition(*h, AT_FIN_WAIT1, AT_CLOSING, AT_R_FIN_RECEIVED));
		EXPECT_TRUE(HasTransition(*h, AT_CLOSING, AT_TIME_WAIT, AT_R_ACK_OF_FIN));
		EXPECT_EQ(h->tws.size(), 1u);
	}
}

TEST(Behaviour, C2_PassiveCloserReadsEofAfterDataThenLastAck)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Send("tail data");
	n.cli->Close();
	sim::App *s = n.Server();
	n.s.RunFor(kSec);
	EXPECT_EQ(std::string(s->rx.begin(), s->rx.end()), "tail data");
	EXPECT_TRUE(s->eof);
	EXPECT_EQ(s->state(), AT_CLOSE_WAIT);
	EXPECT_TRUE(HasTransition(n.b, AT_ESTABLISHED, AT_CLOSE_WAIT, AT_R_FIN_RECEIVED));
	s->Close();
	n.s.RunFor(kSec);
	EXPECT_TRUE(HasTransition(n.b, AT_CLOSE_WAIT, AT_LAST_ACK, AT_R_APP_CLOSE));
	EXPECT_TRUE(HasTransition(n.b, AT_LAST_ACK, AT_CLOSED, AT_R_ACK_OF_FIN));
	EXPECT_EQ(n.b.mib(AT_MIB_CURR_ESTAB), 0u);
}

TEST(Behaviour, C3_OnlyTheActiveCloserHasTimeWait)
{
	Net n;
	ASSERT_TRUE(n.Open());
	CloseBoth(n);
	n.s.RunFor(kSec);
	EXPECT_EQ(n.a.tws.size(), 1u);
	EXPECT_EQ(n.b.tws.size(), 0u);
	EXPECT_FALSE(HasTransition(n.b, AT_LAST_ACK, AT_TIME_WAIT));
	EXPECT_EQ(n.a.ctx.tw_count, 1u);
	EXPECT_EQ(n.b.ctx.tw_count, 0u);
}

TEST(Behaviour, C4_LostFinIsRetransmitted)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.s.Drop([](const Cap &c) { return c.src == A && c.Fin(); });
	CloseBoth(n);
	n.s.RunFor(5 * kSec);
	auto fins = n.From(A, [](const Cap &c) { return c.Fin(); });
	ASSERT_EQ(fins.size(), 2u);
	EXPECT_TRUE(fins[1].retransmit);
	EXPECT_EQ(fins[1].seq, fins[0].seq);
	EXPECT_EQ(fins[1].t - fins[0].t, 200 * kMs);	// rto_min after a 2 ms RTT
	EXPECT_EQ(n.a.mib(AT_MIB_FIN_RETRANSMITS), 1u);
	EXPECT_EQ(n.a.tws.size(), 1u);
}

TEST(Behaviour, C4_LostAckOfFinMakesFinRetransmit)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.s.Drop([](const Cap &c) { return c.src == B && c.PureAck(); });
	n.cli->Close();	// server keeps its side open
	n.s.RunFor(5 * kSec);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Fin(); }).size(), 2u);
	EXPECT_EQ(n.cli->state(), AT_CLOSED);	// handle released
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2));
}

TEST(Behaviour, C4_OrphanRetriesBoundFinRetransmissions)
{
	Net n(Params([](at_params &p) { p.orphan_retries = 3; }));
	ASSERT_TRUE(n.Open());
	n.s.DropAll([](const Cap &c) { return c.src == A; });
	uint64_t t0 = n.s.now;
	n.cli->Close();
	n.s.RunFor(60 * kSec);
	auto fins = n.From(A, [](const Cap &c) { return c.Fin(); });
	EXPECT_EQ(Offsets(fins, t0), (std::vector<uint64_t>{0, 200 * kMs, 600 * kMs, 1400 * kMs}));
	uint64_t when = 0;
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_CLOSED, AT_R_ORPHAN_RETRIES_EXHAUSTED, &when));
	EXPECT_EQ(when - t0, 3000 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_ABORT_ON_TIMEOUT), 1u);
	EXPECT_TRUE(n.a.conns.empty());
	EXPECT_EQ(n.a.live, 0);	// the orphan was freed
}

TEST(Behaviour, C4_OrphanRetriesZeroMeansEight)
{
	Net n(Params([](at_params &p) { p.orphan_retries = 0; }));
	ASSERT_TRUE(n.Open());
	n.s.DropAll([](const Cap &c) { return c.src == A; });
	n.cli->Close();
	n.s.RunFor(600 * kSec);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Fin(); }).size(), 9u);
}

TEST(Behaviour, C5_OrphanFinWait2LastsFinTimeout)
{
	Net n(Params([](at_params &p) { p.fin_timeout = 30; }));
	ASSERT_TRUE(n.Open());
	n.cli->Close();	// the server never closes
	n.s.RunFor(40 * kSec);
	uint64_t fw2 = 0, closed = 0;
	ASSERT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2, AT_R_ACK_OF_FIN, &fw2));
	ASSERT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_CLOSED, AT_R_FIN_TIMEOUT, &closed));
	EXPECT_EQ(closed - fw2, 30 * kSec);
	EXPECT_EQ(n.a.live, 0);
}

TEST(Behaviour, C5_Linger2OverrideAndShutdownWrWaitsForever)
{
	Net n(Params([](at_params &p) { p.fin_timeout = 30; }));
	ASSERT_TRUE(n.Open());
	at_overrides o;
	at_overrides_unset(&o);
	o.linger2 = 5;
	at_set_overrides(n.cli->c, &o, n.s.now);
	n.cli->Close();
	n.s.RunFor(10 * kSec);
	uint64_t fw2 = 0, closed = 0;
	ASSERT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2, -1, &fw2));
	ASSERT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_CLOSED, AT_R_FIN_TIMEOUT, &closed));
	EXPECT_EQ(closed - fw2, 5 * kSec);

	Net m(Params([](at_params &p) { p.fin_timeout = 30; }));
	ASSERT_TRUE(m.Open());
	m.cli->Shutdown(AT_SHUT_WR);
	m.s.RunFor(600 * kSec);
	EXPECT_EQ(m.cli->state(), AT_FIN_WAIT2);
}

TEST(Behaviour, C6_LastAckRetransmitsFinTimeWaitReAcksAndRestarts)
{
	Net n(Params([](at_params &p) { p.tw_timeout = 10; }));
	ASSERT_TRUE(n.Open());
	n.s.Drop([](const Cap &c) { return c.src == A && c.PureAck() && c.t > 0; }, 0);
	n.s.ClearFilters();
	CloseBoth(n);
	// Lose the client's final ACK (the fourth segment).
	n.s.Drop([&](const Cap &c) {
		return c.src == A && c.PureAck() &&
		       !n.s.Caps([](const Cap &x) { return x.src == B && x.Fin(); }).empty();
	});
	n.s.RunFor(30 * kSec);
	auto fins = n.From(B, [](const Cap &c) { return c.Fin(); });
	ASSERT_EQ(fins.size(), 2u);
	auto acks = n.From(A, [&](const Cap &c) { return c.PureAck() && c.ack == fins[0].seq + 1; });
	ASSERT_EQ(acks.size(), 2u);
	EXPECT_TRUE(acks[0].dropped);
	EXPECT_EQ(acks[1].t, fins[1].t + kMs);
	uint64_t closed = 0;
	ASSERT_TRUE(HasTransition(n.a, AT_TIME_WAIT, AT_CLOSED, AT_R_TW_EXPIRED, &closed));
	EXPECT_EQ(closed, acks[1].t + 10 * kSec);	// restarted by the FIN
	EXPECT_TRUE(HasTransition(n.b, AT_LAST_ACK, AT_CLOSED, AT_R_ACK_OF_FIN));
}

TEST(Behaviour, C7_TimeWaitLastsTwTimeout)
{
	for (int tw : {1, 5, 60, 120}) {
		Net n(Params([&](at_params &p) { p.tw_timeout = tw; }));
		ASSERT_TRUE(n.Open());
		CloseBoth(n);
		n.s.RunFor((tw + 5) * kSec);
		uint64_t in = 0, out = 0;
		ASSERT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_TIME_WAIT, -1, &in));
		ASSERT_TRUE(HasTransition(n.a, AT_TIME_WAIT, AT_CLOSED, AT_R_TW_EXPIRED, &out));
		EXPECT_EQ(out - in, (uint64_t)tw * kSec) << "tw_timeout " << tw;
	}
}

static void RstIntoTimeWait(int rfc1337)
{
	Net n(Params([&](at_params &p) { p.rfc1337 = rfc1337; }));
	ASSERT_TRUE(n.Open());
	CloseBoth(n);
	n.s.RunFor(kSec);
	ASSERT_EQ(n.a.tws.size(), 1u);
	auto fin = n.From(B, [](const Cap &c) { return c.Fin(); })[0];
	at_out rst{};
	rst.tuple = {B, A, kPort, fin.dport};
	rst.seq = fin.seq + 1;	// exactly rcv_nxt of the TIME_WAIT side
	rst.flags = AT_RST;
	n.s.Send(B, A, &rst);
	n.s.RunFor(kSec);
	if (rfc1337) {
		EXPECT_EQ(n.a.tws.size(), 1u);
	} else {
		EXPECT_EQ(n.a.tws.size(), 0u);
		EXPECT_TRUE(HasTransition(n.a, AT_TIME_WAIT, AT_CLOSED, AT_R_TW_KILLED_BY_RST));
	}
}

TEST(Behaviour, C8_Rfc1337ProtectsTimeWaitFromRst)
{
	RstIntoTimeWait(1);
}

TEST(Behaviour, C8_WithoutRfc1337RstKillsTimeWait)
{
	RstIntoTimeWait(0);
}

TEST(Behaviour, C8_OldDuplicateInTimeWaitIsOnlyAcked)
{
	// The closed peer answers our dup ACK with RST: without rfc1337 that
	// RST would assassinate the entry (the RFC 1337 hazard itself).
	Net n(Params([](at_params &p) { p.rfc1337 = 1; }));
	ASSERT_TRUE(n.Open());
	n.Server()->Send("x");
	n.s.RunFor(kSec);
	CloseBoth(n);
	n.s.RunFor(kSec);
	ASSERT_EQ(n.a.tws.size(), 1u);
	auto old = n.From(B, [](const Cap &c) { return c.len == 1; })[0];
	at_out dup{};
	dup.tuple = {B, A, kPort, old.dport};
	dup.seq = old.seq;
	dup.ack = old.ack;
	dup.flags = AT_ACK;
	static const uint8_t x = 'x';
	dup.data[0] = &x;
	dup.len[0] = 1;
	size_t before = n.s.caps.size();
	n.s.Send(B, A, &dup);
	n.s.RunFor(10 * kMs);
	ASSERT_GT(n.s.caps.size(), before + 1);
	EXPECT_EQ(n.s.caps[before + 1].src, A);
	EXPECT_TRUE(n.s.caps[before + 1].PureAck());
	EXPECT_EQ(n.a.tws.size(), 1u);
}

TEST(Behaviour, C9_TimeWaitHoldsEphemeralPortsUntilEaddrnotavail)
{
	Net n(Params([](at_params &p) {
		p.local_port_range[0] = 40000;
		p.local_port_range[1] = 40003;
		p.tw_reuse = 0;
	}));
	n.Listen();
	for (int i = 0; i < 4; i++) {
		sim::App *c = n.a.Connect(B, kPort);
		ASSERT_NE(c, nullptr);
		n.s.RunFor(100 * kMs);
		n.Server(i)->close_on_eof = true;
		c->Close();
		n.s.RunFor(100 * kMs);
	}
	EXPECT_EQ(n.a.tws.size(), 4u);
	EXPECT_EQ(n.a.Connect(B, kPort), nullptr);	// EADDRNOTAVAIL
	n.s.RunFor(61 * kSec);
	EXPECT_NE(n.a.Connect(B, kPort), nullptr);
}

TEST(Behaviour, C10_MaxTwBucketsOverflowSkipsTimeWait)
{
	Net n(Params([](at_params &p) { p.max_tw_buckets = 2; }));
	n.Listen();
	for (int i = 0; i < 3; i++) {
		sim::App *c = n.a.Connect(B, kPort);
		n.s.RunFor(100 * kMs);
		n.Server(i)->close_on_eof = true;
		c->Close();
		n.s.RunFor(100 * kMs);
	}
	EXPECT_EQ(n.a.tws.size(), 2u);
	EXPECT_EQ(n.a.mib(AT_MIB_TW_OVERFLOW), 1u);
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_CLOSED, AT_R_TW_OVERFLOW));
	EXPECT_EQ(n.a.live, 2);	// two compact entries, nothing else
}

static void TwReuse(int mode, bool loopback, bool expect)
{
	Net n(Params([&](at_params &p) {
		p.tw_reuse = mode;
		p.local_port_range[0] = p.local_port_range[1] = 40000;
	}));
	n.a.loopback_peer = loopback;
	n.Listen();
	sim::App *c = n.a.Connect(B, kPort);
	n.s.RunFor(100 * kMs);
	n.Server()->close_on_eof = true;
	c->Close();
	n.s.RunFor(100 * kMs);
	ASSERT_EQ(n.a.tws.size(), 1u);
	EXPECT_EQ(n.a.Connect(B, kPort), nullptr);	// too young (< 1 s)
	n.s.RunFor(1500 * kMs);
	auto fin = n.From(A, [](const Cap &x) { return x.Fin(); })[0];
	sim::App *d = n.a.Connect(B, kPort);
	if (!expect) {
		EXPECT_EQ(d, nullptr);
		return;
	}
	ASSERT_NE(d, nullptr);
	EXPECT_EQ(n.a.mib(AT_MIB_TW_REUSED), 1u);
	auto syn = n.From(A, [](const Cap &x) { return x.SynOnly(); }).back();
	EXPECT_EQ(syn.seq, fin.seq + 1 + 65535 + 2);
	// The server is in LISTEN only (its side is closed): it accepts.
	ASSERT_TRUE(n.Run([&] { return d->connected; }, kSec));
}

TEST(Behaviour, C11_TwReuseTakesOverTupleAfterOneSecond)
{
	TwReuse(1, false, true);
}

TEST(Behaviour, C11_TwReuse2IsLoopbackOnly)
{
	TwReuse(2, false, false);
	TwReuse(2, true, true);
	TwReuse(0, true, false);
}

TEST(Behaviour, C11_NewSynTakesOverTimeWaitOnServerSide)
{
	// The server closed first (it has the TIME_WAIT); the client comes back
	// on the same tuple: a SYN above rcv_nxt takes the entry over.
	Net n(Params([](at_params &p) { p.local_port_range[0] = p.local_port_range[1] = 40000; }));
	ASSERT_TRUE(n.Open());
	n.cli->close_on_eof = true;
	n.Server()->Close();
	n.s.RunFor(kSec);
	ASSERT_EQ(n.b.tws.size(), 1u);
	ASSERT_EQ(n.a.tws.size(), 0u);
	n.s.RunFor(2 * kSec);	// ISN clock moves on
	sim::App *d = n.a.Connect(B, kPort);
	ASSERT_NE(d, nullptr);
	ASSERT_TRUE(n.Run([&] { return d->connected; }, kSec));
	EXPECT_TRUE(n.b.tws.empty());
	EXPECT_TRUE(HasTransition(n.b, AT_TIME_WAIT, AT_CLOSED, AT_R_TW_NEW_SYN));
}

TEST(Behaviour, C12_LingerZeroSendsRstSkipsTimeWait)
{
	Net n;
	ASSERT_TRUE(n.Open());
	at_set_linger(n.cli->c, 1, 0);
	n.cli->Close();
	n.s.RunFor(kSec);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Fin(); }).size(), 0u);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Rst(); }).size(), 1u);
	EXPECT_TRUE(n.a.tws.empty());
	EXPECT_EQ(n.Server()->err, AT_ECONNRESET);
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED, AT_R_LINGER_ABORT));
	EXPECT_EQ(n.b.mib(AT_MIB_ESTAB_RESETS), 1u);
	EXPECT_EQ(n.a.mib(AT_MIB_OUT_RSTS), 1u);
}

TEST(Behaviour, C12_LingerWithTimeoutWaitsForFinAck)
{
	// A blocking close() with l_linger > 0: the glue shuts down the send
	// side and waits on at_conn_linger_done() up to l_linger seconds.
	Net n;
	ASSERT_TRUE(n.Open());
	n.s.DropAll([](const Cap &c) { return c.src == B; });
	auto data = Pattern(10000);
	n.cli->Send(data.data(), data.size());
	at_set_linger(n.cli->c, 1, 2);
	n.cli->Shutdown(AT_SHUT_WR);
	EXPECT_FALSE(at_conn_linger_done(n.cli->c));
	n.s.RunFor(2 * kSec);
	EXPECT_FALSE(at_conn_linger_done(n.cli->c));	// timed out: close anyway
	n.s.ClearFilters();
	n.s.RunFor(5 * kSec);
	EXPECT_TRUE(at_conn_linger_done(n.cli->c));
	EXPECT_EQ(n.Server()->rx, data);
}

TEST(Behaviour, C13_CloseSendsFinOnlyAfterQueuedData)
{
	Net n;
	ASSERT_TRUE(n.Open());
	auto data = Pattern(200000);
	n.cli->Send(data.data(), data.size());
	n.cli->Close();
	n.s.RunFor(5 * kSec);
	EXPECT_EQ(n.Server()->rx, data);
	EXPECT_TRUE(n.Server()->eof);
	auto fin = n.From(A, [](const Cap &c) { return c.Fin(); });
	ASSERT_GE(fin.size(), 1u);
	auto syn = n.s.caps[0];
	EXPECT_EQ(fin[0].seq + fin[0].len, syn.seq + 1 + 200000);
}

TEST(Behaviour, C13_CloseWithUnreadDataSendsRst)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->auto_read = false;
	n.Server()->Send("unread");
	n.s.RunFor(kSec);
	uint64_t closed = n.s.now;
	n.cli->Close();
	n.s.RunFor(kSec);
	auto rsts = n.From(A, [](const Cap &c) { return c.Rst(); });
	ASSERT_EQ(rsts.size(), 1u);
	// TSopt as Linux's tcp_send_active_reset(): TSval of the moment,
	// TSecr the peer's latest.
	ASSERT_TRUE(rsts[0].opt.present & AT_OPT_TS);
	auto data = n.From(B, [](const Cap &c) { return c.len > 0; });
	ASSERT_EQ(data.size(), 1u);
	EXPECT_EQ(rsts[0].opt.tsecr, data[0].opt.tsval);
	auto before = n.From(A, [&](const Cap &c) { return c.t < closed; });
	EXPECT_EQ(rsts[0].opt.tsval - before.back().opt.tsval,
		  (uint32_t)((rsts[0].t - before.back().t) / kMs));
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Fin(); }).size(), 0u);
	EXPECT_EQ(n.a.mib(AT_MIB_ABORT_ON_CLOSE), 1u);
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED, AT_R_CLOSE_UNREAD_DATA));
	EXPECT_EQ(n.Server()->err, AT_ECONNRESET);
}

TEST(Behaviour, C13_ShutdownWrStillReceivesShutdownRdReadsEof)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Shutdown(AT_SHUT_WR);
	n.s.RunFor(kSec);
	EXPECT_EQ(n.cli->state(), AT_FIN_WAIT2);
	EXPECT_TRUE(n.Server()->eof);
	n.Server()->Send("still flowing");
	n.s.RunFor(kSec);
	EXPECT_EQ(std::string(n.cli->rx.begin(), n.cli->rx.end()), "still flowing");
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_FIN_WAIT1, AT_R_APP_SHUTDOWN));

	Net m;
	ASSERT_TRUE(m.Open());
	m.cli->Shutdown(AT_SHUT_RD);
	m.s.RunFor(kSec);
	char b[4];
	EXPECT_EQ(at_recv(m.cli->c, b, 4, 0, m.s.now), 0);
	EXPECT_EQ(m.cli->state(), AT_ESTABLISHED);
	m.cli->Send("w");	// the send side is untouched
	m.s.RunFor(kSec);
	EXPECT_EQ(m.Server()->rx.size(), 1u);
	// As Linux (shutdown/shutdown-rd-wr-close.pkt): data that arrives
	// after SHUT_RD is still ACKed, queued and read.
	m.Server()->Send("late");
	m.s.RunFor(kSec);
	EXPECT_EQ(std::string(m.cli->rx.begin(), m.cli->rx.end()), "late");
	EXPECT_EQ(m.cli->state(), AT_ESTABLISHED);
	EXPECT_EQ(m.From(A, [](const Cap &c) { return c.Rst(); }).size(), 0u);
}

// Linux's tcp_recvmsg(): shutdown(SHUT_RD) keeps what is queued readable;
// only an empty queue reads as end of stream.
TEST(Behaviour, C13_ShutdownRdKeepsQueuedDataReadable)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->auto_read = false;
	n.Server()->Send("queued");
	n.s.RunFor(kSec);
	n.cli->Shutdown(AT_SHUT_RD);
	char b[16];
	EXPECT_EQ(at_recv(n.cli->c, b, sizeof(b), 0, n.s.now), 6);
	EXPECT_EQ(std::string(b, 6), "queued");
	EXPECT_EQ(at_recv(n.cli->c, b, sizeof(b), 0, n.s.now), 0);
}

// Linux's tcp_close() counts unread data whatever the shutdown: an RST.
TEST(Behaviour, C13_CloseAfterShutdownRdWithUnreadDataSendsRst)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->auto_read = false;
	n.Server()->Send("unread");
	n.s.RunFor(kSec);
	n.cli->Shutdown(AT_SHUT_RD);
	n.cli->Close();
	n.s.RunFor(kSec);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Rst(); }).size(), 1u);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Fin(); }).size(), 0u);
	EXPECT_EQ(n.Server()->err, AT_ECONNRESET);
}

TEST(Behaviour, C14_ProcessDeathClosesLikeClose)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Send("bye");
	n.cli->Close();	// what the kernel does for a dying process
	n.s.RunFor(kSec);
	EXPECT_TRUE(n.Server()->eof);
	EXPECT_EQ(n.Server()->err, 0);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Rst(); }).size(), 0u);
}

/* ---------------- D. Keepalive ---------------- */

TEST(Behaviour, D1_KeepaliveDetectsDeadPeerIn2h11m15s)
{
	Net n;
	ASSERT_TRUE(n.Open());
	at_set_keepalive(n.cli->c, 1, n.s.now);
	uint64_t idle_from = n.cli->established_at;
	n.s.DropAll([](const Cap &c) { return c.src == B; });	// peer gone
	n.s.RunFor(3 * 3600 * kSec);
	auto probes = n.From(A, [&](const Cap &c) {
		return c.t > idle_from + kSec && !c.Rst();
	});
	std::vector<uint64_t> want;
	for (int i = 0; i < 9; i++)
		want.push_back((7200 + 75 * i) * kSec);
	EXPECT_EQ(Offsets(probes, idle_from), want);
	EXPECT_EQ(n.cli->closed_at - idle_from, (2 * 3600 + 11 * 60 + 15) * kSec);
	EXPECT_EQ(n.cli->err, AT_ETIMEDOUT);
	// As Linux's keepalive timer: an RST, should the peer be alive after
	// all, with TSopt as every segment of the connection.
	auto rsts = n.From(A, [](const Cap &c) { return c.Rst(); });
	ASSERT_EQ(rsts.size(), 1u);
	EXPECT_EQ(rsts[0].t, n.cli->closed_at);
	EXPECT_EQ(rsts[0].flags, AT_RST | AT_ACK);
	EXPECT_TRUE(rsts[0].opt.present & AT_OPT_TS);
	EXPECT_EQ(rsts[0].opt.tsval - probes.back().opt.tsval, 75000u)
		<< "a fresh TSval, 75 s of 1 ms ticks after the last probe's";
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED, AT_R_KEEPALIVE_TIMEOUT));
	EXPECT_EQ(n.a.mib(AT_MIB_KEEPALIVE_PROBES), 9u);
}

TEST(Behaviour, D1_KeepaliveOverridesAndAnsweredProbes)
{
	Net n;
	ASSERT_TRUE(n.Open());
	at_overrides o;
	at_overrides_unset(&o);
	o.keepalive_time = 60;
	o.keepalive_intvl = 10;
	o.keepalive_probes = 3;
	at_set_overrides(n.cli->c, &o, n.s.now);
	at_set_keepalive(n.cli->c, 1, n.s.now);
	n.s.RunFor(3600 * kSec);
	// A live peer answers: one probe per idle minute, never an abort.
	EXPECT_EQ(n.cli->state(), AT_ESTABLISHED);
	EXPECT_EQ(n.a.mib(AT_MIB_KEEPALIVE_PROBES), 59u);
	uint64_t idle_from = n.s.now;
	n.s.DropAll([](const Cap &c) { return c.src == B; });
	n.s.RunFor(3600 * kSec);
	EXPECT_EQ(n.cli->err, AT_ETIMEDOUT);
	auto last_ack = n.From(B, [](const Cap &c) { return !c.dropped; }).back();
	EXPECT_EQ(n.cli->closed_at - (last_ack.t + kMs), (60 + 3 * 10) * kSec);
	(void)idle_from;
}

TEST(Behaviour, D2_RebootedPeerAnswersProbeWithRst)
{
	Net n;
	ASSERT_TRUE(n.Open());
	at_overrides o;
	at_overrides_unset(&o);
	o.keepalive_time = 10;
	at_set_overrides(n.cli->c, &o, n.s.now);
	at_set_keepalive(n.cli->c, 1, n.s.now);
	n.b.Teardown();	// the server reboots and forgets everything
	n.s.RunFor(20 * kSec);
	EXPECT_EQ(n.cli->err, AT_ECONNRESET);
	uint64_t when = 0;
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED, AT_R_RST_RECEIVED, &when));
	EXPECT_EQ(when - n.cli->established_at, 10 * kSec + 2 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_ESTAB_RESETS), 1u);
}

/* ---------------- E. Limits, counters, observability ---------------- */

TEST(Behaviour, E1_DefaultsAreLinuxAndParamsAreReadLive)
{
	at_params p = sim::DefaultParams();
	EXPECT_EQ(p.syn_retries, 6);
	EXPECT_EQ(p.synack_retries, 5);
	EXPECT_EQ(p.fin_timeout, 60);
	EXPECT_EQ(p.tw_timeout, 60);
	EXPECT_EQ(p.keepalive_time, 7200);
	EXPECT_EQ(p.keepalive_intvl, 75);
	EXPECT_EQ(p.keepalive_probes, 9);
	EXPECT_EQ(p.somaxconn, 4096);
	EXPECT_EQ(p.syncookies, 1);
	EXPECT_EQ(p.tw_reuse, 2);
	// A sysctl write takes effect for the next event, no restart.
	Net n;
	n.s.DropAll([](const Cap &c) { return c.dst == B; });
	n.a.params.syn_retries = 1;
	uint64_t t0 = n.s.now;
	n.Connect();
	n.s.RunFor(10 * kSec);
	EXPECT_EQ(n.cli->closed_at - t0, 3 * kSec);
	// somaxconn caps the backlog; timestamps/window_scaling/sack switch off.
	Net m(Params([](at_params &q) { q.timestamps = 0; q.sack = 0; q.window_scaling = 0; }),
	      Params([](at_params &q) { q.somaxconn = 1; }));
	m.Listen(100);
	ASSERT_TRUE(m.Open());
	auto li = m.srv->Info();
	EXPECT_EQ(li.tx_queue, 1u);	// effective backlog
	auto ci = m.cli->Info();
	EXPECT_FALSE(ci.ts_ok);
	EXPECT_FALSE(ci.sack_ok);
	EXPECT_EQ(ci.snd_wscale, 0);
	EXPECT_FALSE(m.s.caps[0].opt.present & (AT_OPT_TS | AT_OPT_SACK_OK | AT_OPT_WSCALE));
}

TEST(Behaviour, E2_ConnectionStateIsObservable)
{
	Net n;
	ASSERT_TRUE(n.Open());
	auto data = Pattern(100000);
	n.cli->Send(data.data(), data.size());
	n.s.RunFor(kSec);
	at_set_keepalive(n.cli->c, 1, n.s.now);
	auto i = n.cli->Info();
	EXPECT_EQ(i.state, AT_ESTABLISHED);
	EXPECT_EQ(i.tuple.raddr, B);
	EXPECT_EQ(i.tuple.rport, kPort);
	EXPECT_EQ(i.timer, AT_TIMER_KEEPALIVE);
	EXPECT_GT(i.timer_expires, n.s.now);
	EXPECT_EQ(i.bytes_acked, 100000u);
	EXPECT_EQ(i.tx_queue, 0u);
	EXPECT_EQ(i.snd_mss, 1448u);
	EXPECT_TRUE(i.ts_ok);
	EXPECT_TRUE(i.sack_ok);
	EXPECT_GT(i.rcv_wscale, 0);
	EXPECT_GE(i.rtt_us, 2000u);
	EXPECT_GE(i.rto_us, 200000u);
	EXPECT_GT(i.cwnd, 0u);
	EXPECT_GT(i.segs_out, 60u);
	auto s = n.Server()->Info();
	EXPECT_EQ(s.bytes_received, 100000u);
	n.Server()->auto_read = false;
	n.cli->Send("abc");
	n.s.RunFor(kSec);
	EXPECT_EQ(n.Server()->Info().rx_queue, 3u);
	auto l = n.srv->Info();
	EXPECT_EQ(l.state, AT_LISTEN);
	EXPECT_EQ(l.syn_queue, 0u);
	// TIME_WAIT is visible through the glue's table of compact entries.
	n.Server()->auto_read = true;
	CloseBoth(n);
	n.s.RunFor(kSec);
	ASSERT_EQ(n.a.tws.size(), 1u);
	EXPECT_EQ(at_tw_poll_at(n.a.tws.begin()->second) > n.s.now, true);
}

TEST(Behaviour, C6_PeerFinLostIsRetransmittedFromLastAck)
{
	// Segment 3 of the close (the passive closer's FIN) is lost.
	Net n(Params([](at_params &p) { p.tw_timeout = 10; }));
	ASSERT_TRUE(n.Open());
	n.s.Drop([](const Cap &c) { return c.src == B && c.Fin(); });
	CloseBoth(n);
	n.s.RunFor(5 * kSec);
	auto fins = n.From(B, [](const Cap &c) { return c.Fin(); });
	ASSERT_EQ(fins.size(), 2u);
	EXPECT_TRUE(fins[0].dropped);
	EXPECT_EQ(fins[1].t - fins[0].t, 200 * kMs);
	uint64_t tw = 0;
	ASSERT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_TIME_WAIT, AT_R_FIN_RECEIVED, &tw));
	EXPECT_EQ(tw, fins[1].t + kMs);
	EXPECT_TRUE(HasTransition(n.b, AT_LAST_ACK, AT_CLOSED, AT_R_ACK_OF_FIN));
	EXPECT_EQ(n.b.mib(AT_MIB_FIN_RETRANSMITS), 1u);
}

TEST(Behaviour, C6_OrphanLastAckBoundedByOrphanRetries)
{
	Net n(Params(), Params([](at_params &p) { p.orphan_retries = 2; }));
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.s.RunFor(kSec);
	n.s.DropAll([](const Cap &c) { return c.src == B && c.Fin(); });
	n.Server()->Close();	// orphaned in LAST_ACK, its FIN never arrives
	n.s.RunFor(60 * kSec);
	EXPECT_EQ(n.From(B, [](const Cap &c) { return c.Fin(); }).size(), 3u);
	EXPECT_TRUE(HasTransition(n.b, AT_LAST_ACK, AT_CLOSED, AT_R_ORPHAN_RETRIES_EXHAUSTED));
}

/* Per-listener overrides: a later issue sets them over netlink. */
TEST(Overrides, ListenerSynackRetriesAndInheritedKeepalive)
{
	Net n;
	n.Listen();
	at_overrides o;
	at_overrides_unset(&o);
	o.synack_retries = 2;
	o.keepalive_time = 30;
	o.keepalive_intvl = 5;
	o.keepalive_probes = 2;
	o.tw_timeout = 3;
	o.orphan_retries = 1;
	at_set_overrides(n.srv->c, &o, n.s.now);
	at_set_keepalive(n.srv->c, 1, n.s.now);
	// synack_retries 2: SYN+ACK at 0, 1, 3 s, entry gone at 7 s.
	n.s.DropAll([](const Cap &c) { return c.dst == A; });
	n.s.DropAll([](const Cap &c) { return c.src == A && c.retransmit; });
	uint64_t t0 = n.s.now + kMs;
	n.Connect();
	n.s.RunFor(20 * kSec);
	EXPECT_EQ(n.From(B, [](const Cap &c) { return c.SynAck(); }).size(), 3u);
	uint64_t when = 0;
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_RECV, AT_CLOSED, AT_R_SYNACK_RETRIES_EXHAUSTED, &when));
	EXPECT_EQ(when - t0, 7 * kSec);
	// A child inherits keepalive (30 + 2 x 5 s) and tw_timeout 3 s.
	n.s.ClearFilters();
	sim::App *c = n.a.Connect(B, kPort);
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 1; }, kSec));
	uint64_t est = n.Server()->established_at;
	n.s.DropAll([](const Cap &x) { return x.src == A; });
	n.s.RunFor(60 * kSec);
	EXPECT_EQ(n.Server()->err, AT_ETIMEDOUT);
	EXPECT_EQ(n.Server()->closed_at - est, 40 * kSec);
	(void)c;
}

TEST(Overrides, ListenerTwTimeoutReachesChildren)
{
	Net n;
	n.Listen();
	at_overrides o;
	at_overrides_unset(&o);
	o.tw_timeout = 3;
	at_set_overrides(n.srv->c, &o, n.s.now);
	n.Connect();
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 1; }, kSec));
	n.cli->close_on_eof = true;
	n.Server()->Close();	// the server closes first: its TIME_WAIT
	n.s.RunFor(10 * kSec);
	uint64_t in = 0, out = 0;
	ASSERT_TRUE(HasTransition(n.b, AT_FIN_WAIT2, AT_TIME_WAIT, -1, &in));
	ASSERT_TRUE(HasTransition(n.b, AT_TIME_WAIT, AT_CLOSED, AT_R_TW_EXPIRED, &out));
	EXPECT_EQ(out - in, 3 * kSec);
}

TEST(Behaviour, E1_MaxOrphansResetsTheExcess)
{
	Net n(Params([](at_params &p) { p.max_orphans = 1; }));
	n.Listen();
	sim::App *c1 = n.a.Connect(B, kPort);
	sim::App *c2 = n.a.Connect(B, kPort);
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 2; }, kSec));
	n.s.DropAll([](const Cap &c) { return c.src == B; });	// FINs never acked
	c1->Close();
	c2->Close();
	n.s.RunFor(100 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_ABORT_ON_MEMORY), 1u);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Rst(); }).size(), 1u);
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_CLOSED, AT_R_NO_MEMORY) ||
		    HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED, AT_R_NO_MEMORY));
	EXPECT_EQ(n.a.ctx.orphan_count, 1u);
}

TEST(Behaviour, C4_EveryRetransmittedFinIsAckedAgain)
{
	Net n;
	ASSERT_TRUE(n.Open());
	int k = 0;
	n.s.DropAll([&k](const Cap &c) { return c.src == B && c.PureAck() && ++k <= 2; });
	n.cli->Close();	// the server stays in CLOSE_WAIT
	n.s.RunFor(5 * kSec);
	auto fins = n.From(A, [](const Cap &c) { return c.Fin(); });
	ASSERT_EQ(fins.size(), 3u);
	EXPECT_EQ(n.From(B, [](const Cap &c) { return c.PureAck(); }).size(), 3u);
	EXPECT_EQ(n.Server()->state(), AT_CLOSE_WAIT);
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2));
}
