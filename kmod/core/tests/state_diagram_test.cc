// SPDX-License-Identifier: GPL-2.0
// Every arrow of the RFC 9293 state diagram (section 3.3.2, figure 5), one
// test each, plus the RST arrows and the RFC 5961 / RFC 7323 hardening.
#include "helpers.h"

using namespace t;

TEST(StateDiagram, Closed_PassiveOpen_Listen)
{
	Net n;
	n.Listen();
	EXPECT_EQ(n.srv->state(), AT_LISTEN);
	EXPECT_TRUE(HasTransition(n.b, AT_CLOSED, AT_LISTEN, AT_R_APP_LISTEN));
	EXPECT_TRUE(n.s.caps.empty());
}

TEST(StateDiagram, Closed_ActiveOpen_SndSyn_SynSent)
{
	Net n;
	n.Connect();
	EXPECT_EQ(n.cli->state(), AT_SYN_SENT);
	ASSERT_EQ(n.s.caps.size(), 1u);
	EXPECT_TRUE(n.s.caps[0].SynOnly());
}

TEST(StateDiagram, Listen_RcvSyn_SndSynAck_SynRecv)
{
	Net n;
	n.s.DropAll([](const Cap &c) { return c.dst == A; });
	n.Listen();
	n.Connect();
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(HasTransition(n.b, AT_LISTEN, AT_SYN_RECV, AT_R_SYN_RECEIVED));
	EXPECT_EQ(n.b.reqs.size(), 1u);
	EXPECT_EQ(n.srv->state(), AT_LISTEN);	// the listener stays
	EXPECT_EQ(n.srv->Info().syn_queue, 1u);
}

TEST(StateDiagram, Listen_Send_IsNotSupportedLikeLinux)
{
	// RFC 9293 allows SEND in LISTEN (to SYN_SENT); Linux and alttcp don't.
	Net n;
	n.Listen();
	EXPECT_EQ(at_send(n.srv->c, "x", 1, 0, n.s.now), -AT_ENOTCONN);
	EXPECT_EQ(n.srv->state(), AT_LISTEN);
}

TEST(StateDiagram, Listen_Close_Closed)
{
	Net n;
	n.s.DropAll([](const Cap &c) { return c.dst == A; });
	n.Listen();
	n.Connect();
	n.s.RunFor(10 * kMs);
	n.srv->Close();
	EXPECT_TRUE(HasTransition(n.b, AT_LISTEN, AT_CLOSED, AT_R_APP_CLOSE));
	EXPECT_TRUE(n.b.reqs.empty());
	EXPECT_TRUE(n.b.listeners.empty());
	EXPECT_EQ(n.b.live, 0);
}

TEST(StateDiagram, SynSent_RcvSyn_SndSynAck_SynRecv)
{
	Net n;
	sim::App *x = n.a.Connect(B, 2000, 1000);
	n.b.Connect(A, 1000, 2000);
	n.s.RunFor(kSec);
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_SYN_RECV, AT_R_SIMULTANEOUS_OPEN));
	auto sa = n.From(A, [](const Cap &c) { return c.SynAck(); });
	ASSERT_EQ(sa.size(), 1u);
	EXPECT_EQ(sa[0].seq, n.s.caps[0].seq);	// the same ISN again
	EXPECT_EQ(x->state(), AT_ESTABLISHED);
}

TEST(StateDiagram, SynSent_RcvSynAck_SndAck_Established)
{
	Net n;
	ASSERT_TRUE(n.Open());
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_ESTABLISHED, AT_R_SYNACK_RECEIVED));
	EXPECT_TRUE(n.s.caps[2].PureAck());
}

TEST(StateDiagram, SynSent_Close_Closed)
{
	Net n;
	n.s.DropAll([](const Cap &c) { return c.dst == B; });
	n.Connect();
	n.cli->Close();
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_CLOSED, AT_R_APP_CLOSE));
	n.s.RunFor(10 * kSec);
	EXPECT_EQ(n.s.caps.size(), 1u);	// no retransmission after close
	EXPECT_EQ(n.a.live, 0);
}

TEST(StateDiagram, SynSent_Shutdown_Closed_ConnectionReset)
{
	// As Linux's inet_shutdown(): whatever the direction, a connecting
	// socket is disconnected, sends nothing, and connect() says ECONNRESET.
	for (int how : {AT_SHUT_RD, AT_SHUT_WR, AT_SHUT_RDWR}) {
		Net n;
		n.s.DropAll([](const Cap &c) { return c.dst == B; });
		n.Connect();
		n.cli->Shutdown(how);
		EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_CLOSED, AT_R_APP_SHUTDOWN)) << how;
		EXPECT_EQ(n.cli->err, AT_ECONNRESET) << how;
		n.s.RunFor(10 * kSec);
		EXPECT_EQ(n.s.caps.size(), 1u) << how;	// the SYN, no RST
	}
}

TEST(StateDiagram, SynSent_RcvRst_Closed_ConnectionRefused)
{
	Net n;	// nobody listens on B
	n.Connect();
	n.s.RunFor(kSec);
	EXPECT_EQ(n.cli->err, AT_ECONNREFUSED);
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_SENT, AT_CLOSED, AT_R_RST_RECEIVED));
	EXPECT_EQ(n.a.mib(AT_MIB_ATTEMPT_FAILS), 1u);
	EXPECT_EQ(n.b.mib(AT_MIB_OUT_RSTS), 1u);
}

TEST(StateDiagram, SynRecv_RcvAck_Established)
{
	Net n;
	ASSERT_TRUE(n.Open());
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_RECV, AT_ESTABLISHED, AT_R_HANDSHAKE_COMPLETE));
	EXPECT_TRUE(n.b.reqs.empty());
	EXPECT_EQ(n.b.conns.size(), 1u);
}

TEST(StateDiagram, SynRecv_Close_SndFin_FinWait1)
{
	// Simultaneous open where B's SYN+ACK is lost: A sits in SYN_RECV.
	Net n;
	n.s.DropAll([](const Cap &c) { return c.src == B && !c.SynOnly(); });
	sim::App *x = n.a.Connect(B, 2000, 1000);
	sim::App *y = n.b.Connect(A, 1000, 2000);
	n.s.RunFor(10 * kMs);
	ASSERT_EQ(x->state(), AT_SYN_RECV);
	x->Close();
	n.s.ClearFilters();
	EXPECT_TRUE(HasTransition(n.a, AT_SYN_RECV, AT_FIN_WAIT1, AT_R_APP_CLOSE));
	EXPECT_TRUE(n.From(A, [](const Cap &c) { return c.Fin(); }).empty());	// not before our SYN is acked
	n.s.RunFor(5 * kSec);
	EXPECT_EQ(n.From(A, [](const Cap &c) { return c.Fin(); }).size(), 1u);
	EXPECT_EQ(y->state(), AT_CLOSE_WAIT);
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2, AT_R_ACK_OF_FIN));
}

TEST(StateDiagram, SynRecv_RcvRst_Listen)
{
	Net n;
	n.s.DropAll([](const Cap &c) { return c.src == A && c.PureAck(); });
	n.Listen();
	n.Connect();
	n.s.RunFor(10 * kMs);
	ASSERT_EQ(n.b.reqs.size(), 1u);
	at_set_linger(n.cli->c, 1, 0);
	n.cli->Close();	// the client aborts: RST
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(HasTransition(n.b, AT_SYN_RECV, AT_LISTEN, AT_R_RST_RECEIVED));
	EXPECT_TRUE(n.b.reqs.empty());
	EXPECT_EQ(n.srv->state(), AT_LISTEN);
}

TEST(StateDiagram, Established_Close_SndFin_FinWait1)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_FIN_WAIT1, AT_R_APP_CLOSE));
	EXPECT_TRUE(n.s.caps.back().Fin());
}

TEST(StateDiagram, Established_RcvFin_SndAck_CloseWait)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.Server()->state(), AT_CLOSE_WAIT);
	auto ack = n.From(B).back();
	EXPECT_TRUE(ack.PureAck());
	EXPECT_EQ(ack.ack, n.From(A, [](const Cap &c) { return c.Fin(); })[0].seq + 1);
}

TEST(StateDiagram, Established_RcvRst_Closed)
{
	Net n;
	ASSERT_TRUE(n.Open());
	at_set_linger(n.Server()->c, 1, 0);
	n.Server()->Close();
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED, AT_R_RST_RECEIVED));
	EXPECT_EQ(n.cli->err, AT_ECONNRESET);
	EXPECT_EQ(n.a.mib(AT_MIB_ESTAB_RESETS), 1u);
	EXPECT_EQ(n.a.mib(AT_MIB_CURR_ESTAB), 0u);
}

TEST(StateDiagram, FinWait1_RcvAckOfFin_FinWait2)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2, AT_R_ACK_OF_FIN));
}

TEST(StateDiagram, FinWait1_RcvFin_SndAck_Closing)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.Server()->Close();
	n.s.RunFor(kMs / 2);
	n.s.RunFor(kMs);
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_CLOSING, AT_R_FIN_RECEIVED));
}

TEST(StateDiagram, FinWait1_RcvFinAck_TimeWait)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.s.Drop([](const Cap &c) { return c.src == B && c.PureAck(); });
	n.Server()->close_on_eof = true;
	n.cli->Close();
	n.s.RunFor(10 * kMs);
	uint64_t a = 0, b = 0;
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT1, AT_FIN_WAIT2, -1, &a));
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_TIME_WAIT, -1, &b));
	EXPECT_EQ(a, b);
}

TEST(StateDiagram, FinWait2_RcvFin_SndAck_TimeWait)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.s.RunFor(10 * kMs);
	n.Server()->Close();
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_TIME_WAIT, AT_R_FIN_RECEIVED));
	EXPECT_TRUE(n.From(A).back().PureAck());
}

TEST(StateDiagram, Closing_RcvAckOfFin_TimeWait)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.Server()->Close();
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(HasTransition(n.a, AT_CLOSING, AT_TIME_WAIT, AT_R_ACK_OF_FIN));
	EXPECT_TRUE(HasTransition(n.b, AT_CLOSING, AT_TIME_WAIT, AT_R_ACK_OF_FIN));
}

TEST(StateDiagram, TimeWait_Timeout2Msl_Closed)
{
	Net n(Params([](at_params &p) { p.tw_timeout = 7; }));
	ASSERT_TRUE(n.Open());
	n.Server()->close_on_eof = true;
	n.cli->Close();
	n.s.RunFor(8 * kSec);
	uint64_t in = 0, out = 0;
	EXPECT_TRUE(HasTransition(n.a, AT_FIN_WAIT2, AT_TIME_WAIT, -1, &in));
	EXPECT_TRUE(HasTransition(n.a, AT_TIME_WAIT, AT_CLOSED, AT_R_TW_EXPIRED, &out));
	EXPECT_EQ(out - in, 7 * kSec);
	EXPECT_EQ(n.a.live, 0);
	EXPECT_EQ(n.a.ctx.tw_count, 0u);
}

TEST(StateDiagram, TimeWait_HeldByApplicationUntilClose)
{
	// shutdown() instead of close(): the full block stays in TIME_WAIT.
	Net n(Params([](at_params &p) { p.tw_timeout = 7; }));
	ASSERT_TRUE(n.Open());
	n.Server()->close_on_eof = true;
	n.cli->Shutdown(AT_SHUT_WR);
	n.s.RunFor(kSec);
	EXPECT_EQ(n.cli->state(), AT_TIME_WAIT);
	EXPECT_EQ(n.a.ctx.tw_count, 1u);
	n.cli->Close();	// now it becomes a compact entry
	EXPECT_EQ(n.a.tws.size(), 1u);
	n.s.RunFor(7 * kSec);
	EXPECT_TRUE(n.a.tws.empty());
	EXPECT_EQ(n.a.ctx.tw_count, 0u);
	EXPECT_EQ(n.a.live, 0);
}

TEST(StateDiagram, CloseWait_Close_SndFin_LastAck)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.cli->Close();
	n.s.RunFor(10 * kMs);
	n.Server()->Close();
	EXPECT_TRUE(HasTransition(n.b, AT_CLOSE_WAIT, AT_LAST_ACK, AT_R_APP_CLOSE));
	EXPECT_TRUE(n.s.caps.back().Fin());
}

TEST(StateDiagram, LastAck_RcvAckOfFin_Closed)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.Server()->close_on_eof = true;
	n.cli->Close();
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(HasTransition(n.b, AT_LAST_ACK, AT_CLOSED, AT_R_ACK_OF_FIN));
	EXPECT_EQ(n.b.conns.size(), 0u);
	EXPECT_EQ(n.b.live, 1);	// only the listener is left
}

/* ---- RFC 5961, RFC 7323 ---- */

static at_out Forge(const Cap &like, uint8_t flags, uint32_t seq, uint32_t ack)
{
	at_out o{};
	o.tuple = {like.src, like.dst, like.sport, like.dport};
	o.seq = seq;
	o.ack = ack;
	o.flags = flags;
	o.window = 1000;
	return o;
}

// Forge()'s segment with TSopt (TSVAL, echoing what LIKE echoed) and a
// payload that must outlive the send.
static at_out ForgeData(const Cap &like, uint8_t flags, uint32_t seq, uint32_t ack,
			uint32_t tsval, const uint8_t *data, uint32_t len)
{
	at_out o = Forge(like, flags, seq, ack);
	o.opt.present = AT_OPT_TS;
	o.opt.tsval = tsval;
	o.opt.tsecr = like.opt.tsecr;
	o.data[0] = data;
	o.len[0] = len;
	return o;
}

// A request answers an out-of-window segment with an ACK whose window,
// past the SYN-ACK, is scaled (Linux's tcp_v4_reqsk_send_ack()).
TEST(Security, RequestAnswersOutOfWindowSegmentWithScaledWindow)
{
	Net n;
	n.b.cfg.rcvbuf = 131072;
	n.s.Drop([](const Cap &c) { return c.src == A && !c.Syn(); });
	n.Listen();
	n.Connect();
	n.s.RunFor(10 * kMs);
	ASSERT_EQ(n.b.reqs.size(), 1u);
	Cap syn = n.From(A).at(0);
	Cap synack = n.From(B).at(0);
	ASSERT_TRUE(synack.SynAck());
	ASSERT_EQ(synack.opt.wscale, 7);
	size_t sent = n.From(B).size();
	at_out far = Forge(syn, AT_ACK, syn.seq + 1 + 10000000, synack.seq + 1);
	n.s.Send(A, B, &far);
	n.s.RunFor(kMs);
	auto out = n.From(B);
	ASSERT_EQ(out.size(), sent + 1);
	EXPECT_TRUE(out.back().PureAck());
	EXPECT_EQ(out.back().window, synack.window >> 7);
}

TEST(Security, Rfc5961_InWindowRstGetsChallengeAck)
{
	Net n;
	ASSERT_TRUE(n.Open());
	Cap last = n.From(B).back();
	at_out rst = Forge(last, AT_RST, last.seq + 100, 0);
	n.s.Send(B, A, &rst);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.cli->state(), AT_ESTABLISHED);
	EXPECT_EQ(n.a.mib(AT_MIB_CHALLENGE_ACKS), 1u);
	EXPECT_TRUE(n.From(A).back().PureAck());
	rst.seq = last.seq + last.len + last.Syn();	// exact: accepted
	n.s.Send(B, A, &rst);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.cli->err, AT_ECONNRESET);
}

TEST(Security, Rfc5961_SynInEstablishedGetsChallengeAck)
{
	Net n;
	ASSERT_TRUE(n.Open());
	Cap last = n.From(B).back();
	at_out syn = Forge(last, AT_SYN, last.seq + 5, 0);
	n.s.Send(B, A, &syn);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.cli->state(), AT_ESTABLISHED);
	EXPECT_EQ(n.a.mib(AT_MIB_CHALLENGE_ACKS), 1u);
}

// RFC 9293 would queue the FIN of a SYN+FIN for later; Linux drops the
// segment in LISTEN (a scanner's probe, no way to open), and so do we.
TEST(Security, Listen_SynFinIsDroppedLikeLinux)
{
	Net n;
	n.Listen();
	at_out sf{};
	sf.tuple = {A, B, 40000, kPort};
	sf.seq = 1000;
	sf.flags = AT_SYN | AT_FIN;
	sf.window = 1000;
	n.s.Send(A, B, &sf);
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(n.From(B).empty());
	EXPECT_TRUE(n.b.reqs.empty());
	sf.flags = AT_SYN;	// the same SYN without the FIN is answered
	n.s.Send(A, B, &sf);
	n.s.RunFor(10 * kMs);
	ASSERT_EQ(n.From(B).size(), 1u);
	EXPECT_TRUE(n.From(B)[0].SynAck());
}

TEST(Security, Rfc5961_ChallengeAcksAreRateLimitedPerCtx)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.a.ctx.challenge_limit = 10;
	Cap last = n.From(B).back();
	for (int i = 0; i < 50; i++) {
		at_out rst = Forge(last, AT_RST, last.seq + 100 + i, 0);
		n.s.Send(B, A, &rst);
	}
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_CHALLENGE_ACKS), 10u);
	n.s.RunFor(2 * kSec);
	at_out rst = Forge(last, AT_RST, last.seq + 1000, 0);
	n.s.Send(B, A, &rst);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_CHALLENGE_ACKS), 11u);
}

// Linux's tcp_ack() drops an ACK of unsent data without a word in
// ESTABLISHED; upstream packetdrill's ts_recent/invalid_ack.pkt: a forged FIN
// acking 9999 with a huge TSval, then honest data that must be ACKed with the
// honest TSval echoed (the forged one did not become TS.Recent).
TEST(Security, AckOfUnsentDataIsDroppedSilentlyInEstablished)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.Server()->Send("new");
	n.s.RunFor(kSec);
	Cap last = n.From(B, [](const Cap &c) { return c.len > 0; }).back();
	ASSERT_TRUE(last.opt.present & AT_OPT_TS);
	uint32_t next = last.seq + last.len;
	size_t sent = n.From(A).size();
	static const uint8_t d[3] = {1, 2, 3};
	at_out forged = ForgeData(last, AT_ACK | AT_FIN, next, last.ack + 100000,
				  last.opt.tsval + 200000, d, 3);
	n.s.Send(B, A, &forged);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.From(A).size(), sent);
	EXPECT_EQ(std::string(n.cli->rx.begin(), n.cli->rx.end()), "new");
	EXPECT_EQ(n.cli->state(), AT_ESTABLISHED);

	static const uint8_t h[4] = {'r', 'e', 'a', 'l'};
	at_out honest = ForgeData(last, AT_ACK, next, last.ack, last.opt.tsval + 1, h, 4);
	n.s.Send(B, A, &honest);
	n.s.RunFor(kSec);
	EXPECT_EQ(std::string(n.cli->rx.begin(), n.cli->rx.end()), "newreal");
	Cap ack = n.From(A).back();
	EXPECT_EQ(ack.ack, next + 4);
	EXPECT_EQ(ack.opt.tsecr, last.opt.tsval + 1);
	EXPECT_EQ(n.a.mib(AT_MIB_PAWS_REJECTED), 0u);
}

// In the closing states Linux's tcp_rcv_state_process() answers it with a
// challenge ACK, rate-limited.
TEST(Security, AckOfUnsentDataGetsChallengeAckWhenClosing)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.Server()->Send("new");
	n.s.RunFor(kSec);
	Cap last = n.From(B, [](const Cap &c) { return c.len > 0; }).back();
	n.s.DropAll([](const Cap &c) { return c.dst == B; });
	n.cli->Shutdown(AT_SHUT_WR);
	n.s.RunFor(10 * kMs);
	ASSERT_EQ(n.cli->state(), AT_FIN_WAIT1);
	uint64_t challenges = n.a.mib(AT_MIB_CHALLENGE_ACKS);
	at_out forged = Forge(last, AT_ACK, last.seq + last.len, last.ack + 100000);
	n.s.Send(B, A, &forged);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_CHALLENGE_ACKS), challenges + 1);
	EXPECT_EQ(n.cli->state(), AT_FIN_WAIT1);
}

TEST(Security, Paws_OldTimestampIsRejected)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.Server()->Send("new");
	n.s.RunFor(10 * kMs);
	Cap last = n.From(B, [](const Cap &c) { return c.len > 0; }).back();
	ASSERT_TRUE(last.opt.present & AT_OPT_TS);
	static const uint8_t d[4] = {'o', 'l', 'd', '!'};
	// TSval from an old incarnation
	at_out old = ForgeData(last, AT_ACK, last.seq + last.len, last.ack,
			       last.opt.tsval - 1000, d, 4);
	n.s.Send(B, A, &old);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(std::string(n.cli->rx.begin(), n.cli->rx.end()), "new");
	EXPECT_EQ(n.a.mib(AT_MIB_PAWS_REJECTED), 1u);
	EXPECT_TRUE(n.From(A).back().PureAck());
	old.opt.tsval = last.opt.tsval + 5;	// a fresh one is accepted
	n.s.Send(B, A, &old);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(std::string(n.cli->rx.begin(), n.cli->rx.end()), "newold!");
}

TEST(Security, Paws_TimeWaitRejectsOldTimestamp)
{
	Net n(Params([](at_params &p) { p.rfc1337 = 1; }));
	ASSERT_TRUE(n.Open());
	n.Server()->close_on_eof = true;
	n.cli->Close();
	n.s.RunFor(kSec);
	ASSERT_EQ(n.a.tws.size(), 1u);
	Cap fin = n.From(B, [](const Cap &c) { return c.Fin(); })[0];
	at_out old = Forge(fin, AT_ACK, fin.seq + 1, fin.ack);
	old.opt.present = AT_OPT_TS;
	old.opt.tsval = fin.opt.tsval - 50;
	n.s.Send(B, A, &old);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_PAWS_REJECTED), 1u);
}

TEST(Observability, RequestAndTimeWaitEntriesAreDumpable)
{
	Net n(Params([](at_params &p) { p.tw_timeout = 30; }));
	n.s.Drop([](const Cap &c) { return c.src == A && c.PureAck(); });
	n.Listen();
	n.Connect();
	n.s.RunFor(10 * kMs);
	ASSERT_EQ(n.b.reqs.size(), 1u);
	struct at_conn_info i;
	at_req_info(n.b.reqs.begin()->second, n.s.now, &i);
	EXPECT_EQ(i.state, AT_SYN_RECV);
	EXPECT_EQ(i.tuple.raddr, A);
	EXPECT_EQ(i.timer, AT_TIMER_RETRANSMIT);
	EXPECT_EQ(i.timer_expires, n.s.caps[1].t + kSec);
	EXPECT_TRUE(i.sack_ok);
	n.s.RunFor(2 * kSec);
	n.Server()->close_on_eof = true;
	n.cli->Close();
	n.s.RunFor(kSec);
	ASSERT_EQ(n.a.tws.size(), 1u);
	at_tw_info(n.a.tws.begin()->second, n.s.now, &i);
	EXPECT_EQ(i.state, AT_TIME_WAIT);
	EXPECT_EQ(i.tuple.rport, kPort);
	EXPECT_EQ(i.timer, AT_TIMER_TIME_WAIT);
	EXPECT_GT(i.timer_expires, n.s.now + 28 * kSec);
}

// A pure duplicate ACK overtaken on the way by a later one carries an older
// timestamp; it is no old duplicate and must not be PAWS-rejected (nor
// answered), as Linux's tcp_disordered_ack().  The same timestamp on data
// is still rejected.
TEST(Security, Paws_DisorderedPureAckIsAccepted)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.Server()->Send("new");
	n.s.RunFor(500 * kMs);	// past the client's delayed ACK
	Cap last = n.From(B, [](const Cap &c) { return c.len > 0; }).back();
	ASSERT_TRUE(last.opt.present & AT_OPT_TS);
	at_out ack = Forge(last, AT_ACK, last.seq + last.len, last.ack);
	ack.window = last.window;
	ack.opt.present = AT_OPT_TS;
	ack.opt.tsecr = last.opt.tsecr;
	ack.opt.tsval = last.opt.tsval + 5;	// the later ACK, first
	n.s.Send(B, A, &ack);
	n.s.RunFor(10 * kMs);
	size_t sent = n.From(A).size();
	ack.opt.tsval = last.opt.tsval;		// the one it overtook
	n.s.Send(B, A, &ack);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_PAWS_REJECTED), 0u);
	EXPECT_EQ(n.From(A).size(), sent) << "a disordered ACK is not answered";

	static const uint8_t d[2] = {'x', 'y'};
	ack.data[0] = d;
	ack.len[0] = 2;
	n.s.Send(B, A, &ack);
	n.s.RunFor(10 * kMs);
	EXPECT_EQ(n.a.mib(AT_MIB_PAWS_REJECTED), 1u);
	EXPECT_EQ(std::string(n.cli->rx.begin(), n.cli->rx.end()), "new");
}
