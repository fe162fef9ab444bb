// SPDX-License-Identifier: GPL-2.0
// TCP_CORK, MSG_MORE and PSH, as Linux does them: the scenarios of Linux's
// own packetdrill scripts nagle/sendmsg_msg_more.pkt and
// nagle/sockopt_cork_nodelay.pkt, on the simulated network.
#include "helpers.h"

using namespace t;

namespace {

struct CorkNet : Net {
	CorkNet()
	{
		EXPECT_TRUE(Open());
		s.RunFor(kSec);	// the handshake's delayed ACKs are done
	}

	// The client's data segments sent from `since` on.
	std::vector<Cap> Data(uint64_t since)
	{
		return From(A, [&](const Cap &c) { return c.len > 0 && c.t >= since; });
	}

	void Write(size_t len, unsigned int flags = 0)
	{
		cli->send_flags = flags;
		cli->Send(std::string(len, 'x'));
		cli->send_flags = 0;
	}
};

bool Psh(const Cap &c)
{
	return c.flags & AT_PSH;
}

}  // namespace

// MSG_MORE holds a sub-MSS write even with TCP_NODELAY and nothing in
// flight; the persist timer sends it, pushed, one RTO later (Linux's
// 200 ms ceiling).
TEST(Cork, MsgMoreHoldsAPartialWriteForOneRto)
{
	CorkNet n;
	at_set_nodelay(n.cli->c, true, n.s.now);
	uint64_t t0 = n.s.now;

	n.Write(40, AT_SEND_MORE);
	n.s.RunFor(150 * kMs);
	EXPECT_TRUE(n.Data(t0).empty());
	n.s.RunFor(kSec);
	auto d = n.Data(t0);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].len, 40u);
	EXPECT_TRUE(Psh(d[0]));
	EXPECT_GE(d[0].t - t0, 200 * kMs);
	EXPECT_LT(d[0].t - t0, 400 * kMs);
}

// Writes with MSG_MORE wait; the first without it sends them all in one
// pushed segment, at once.
TEST(Cork, APlainWriteReleasesWhatMsgMoreHeld)
{
	CorkNet n;
	at_set_nodelay(n.cli->c, true, n.s.now);
	uint64_t t0 = n.s.now;

	n.Write(100, AT_SEND_MORE);
	n.s.RunFor(5 * kMs);
	n.Write(160, AT_SEND_MORE);
	n.s.RunFor(10 * kMs);
	n.Write(495, AT_SEND_MORE);
	n.s.RunFor(8 * kMs);
	EXPECT_TRUE(n.Data(t0).empty());
	uint64_t t1 = n.s.now;
	n.Write(5);
	auto d = n.Data(t0);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].len, 760u);
	EXPECT_EQ(d[0].t, t1);
	EXPECT_TRUE(Psh(d[0]));
}

// A write of more than an MSS with MSG_MORE sends its full segments and
// holds the tail; an ACK then releases the tail (TCP_NODELAY rules again),
// without PSH: MSG_MORE marked no push.
TEST(Cork, MsgMoreSendsFullSegmentsAndTheAckReleasesTheTail)
{
	CorkNet n;
	at_set_nodelay(n.cli->c, true, n.s.now);
	uint32_t mss = n.cli->Info().snd_mss;
	uint64_t t0 = n.s.now;

	n.Write(3 * mss + 100, AT_SEND_MORE);
	n.Write(50, AT_SEND_MORE);
	auto d = n.Data(t0);
	ASSERT_EQ(d.size(), 3u);
	for (const Cap &c : d) {
		EXPECT_EQ(c.len, mss);
		EXPECT_FALSE(Psh(c));
	}
	n.Run([&] { return n.Data(t0).size() > 3; }, kSec);
	d = n.Data(t0);
	ASSERT_EQ(d.size(), 4u);
	EXPECT_EQ(d[3].len, 150u);
	EXPECT_FALSE(Psh(d[3]));
	EXPECT_LT(d[3].t - t0, 100 * kMs);	// an ACK's round trip, not an RTO
}

// TCP_CORK holds small writes however long; clearing it pushes them, with
// PSH.  TCP_NODELAY pushes what is queued past the cork; later writes are
// corked again.  Writes with MSG_MORE pushed by TCP_NODELAY carry no PSH.
TEST(Cork, CorkHoldsUntilClearedOrNodelayPushes)
{
	CorkNet n;
	uint64_t t0 = n.s.now;

	at_set_cork(n.cli->c, true, n.s.now);
	n.Write(40);
	n.s.RunFor(50 * kMs);
	n.Write(40);
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(n.Data(t0).empty());
	at_set_cork(n.cli->c, false, n.s.now);
	auto d = n.Data(t0);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].len, 80u);
	EXPECT_TRUE(Psh(d[0]));
	n.s.RunFor(kSec);

	t0 = n.s.now;
	at_set_cork(n.cli->c, true, n.s.now);
	n.Write(40);
	n.s.RunFor(50 * kMs);
	n.Write(40);
	EXPECT_TRUE(n.Data(t0).empty());
	at_set_nodelay(n.cli->c, true, n.s.now);
	d = n.Data(t0);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].len, 80u);
	EXPECT_TRUE(Psh(d[0]));
	n.s.RunFor(kSec);

	// still corked: a new write waits (for the persist timer)
	t0 = n.s.now;
	n.Write(40, AT_SEND_MORE);
	n.s.RunFor(50 * kMs);
	n.Write(40, AT_SEND_MORE);
	n.s.RunFor(10 * kMs);
	EXPECT_TRUE(n.Data(t0).empty());
	at_set_nodelay(n.cli->c, true, n.s.now);
	d = n.Data(t0);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].len, 80u);
	EXPECT_FALSE(Psh(d[0]));
}

// The cork never holds the FIN: shutdown sends the corked data with it.
TEST(Cork, ShutdownSendsCorkedDataWithTheFin)
{
	CorkNet n;
	uint64_t t0 = n.s.now;

	at_set_cork(n.cli->c, true, n.s.now);
	n.Write(40);
	EXPECT_TRUE(n.Data(t0).empty());
	at_shutdown(n.cli->c, AT_SHUT_WR, n.s.now);
	auto d = n.Data(t0);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].len, 40u);
	EXPECT_TRUE(d[0].Fin());
	n.s.RunFor(kSec);
	EXPECT_EQ(n.Server()->rx.size(), 40u);
	EXPECT_TRUE(n.Server()->eof);
}
