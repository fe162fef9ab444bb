// SPDX-License-Identifier: GPL-2.0
// Allocation failure injection: fail the Nth allocation, for every N of a
// scenario that touches every allocation site (connection blocks and their
// rings, listeners, request entries, children, TIME_WAIT entries), on
// either host.  Every run must end in a consistent state and free
// everything (the hosts count live allocations; ASan checks the rest).
#include "helpers.h"

using namespace t;

namespace {

struct Outcome {
	long allocs_a = 0, allocs_b = 0;
};

// Two clients, one of which talks and closes first (TIME_WAIT), one the
// server closes first; plus a retransmitted SYN so a request entry lives.
Outcome Scenario(long fail_a, long fail_b, bool check)
{
	Net n(Params([](at_params &p) { p.tw_timeout = 5; }),
	      Params([](at_params &p) { p.tw_timeout = 5; }));
	n.a.fail_nth = fail_a;
	n.b.fail_nth = fail_b;
	n.s.Drop([](const Cap &c) { return c.SynAck(); });
	n.b.on_accept = [&](sim::App *s) {
		s->Send("reply");
		s->close_on_eof = true;
	};
	n.Listen();
	sim::App *c1 = n.a.Connect(B, kPort);
	sim::App *c2 = n.a.Connect(B, kPort);
	auto data = Pattern(100000);
	if (c1) {
		c1->Send(data.data(), data.size());
		c1->shutdown_when_sent = true;
		c1->close_on_eof = true;
	}
	if (c2)
		c2->close_on_eof = true;
	n.s.RunFor(30 * kSec);
	if (check) {
		for (sim::Host *h : {&n.a, &n.b}) {
			EXPECT_EQ(h->ctx.tw_count, h->tws.size());
			EXPECT_EQ(h->ctx.req_count, h->reqs.size());
			EXPECT_LE(h->mib(AT_MIB_CURR_ESTAB), 2u);
		}
	}
	Outcome o;
	o.allocs_a = n.a.allocs;
	o.allocs_b = n.b.allocs;
	n.a.Teardown();
	n.b.Teardown();
	EXPECT_EQ(n.a.live, 0) << "fail_a " << fail_a << " fail_b " << fail_b;
	EXPECT_EQ(n.b.live, 0) << "fail_a " << fail_a << " fail_b " << fail_b;
	return o;
}

}  // namespace

TEST(AllocFailure, CleanRunUsesEveryKind)
{
	Outcome o = Scenario(0, 0, true);
	// Rings are allocated on first use: 2 conns, c1's send ring, both
	// receive rings (the replies), c1's TIME_WAIT entry.
	EXPECT_GE(o.allocs_a, 6);
	// Listener, 2 requests, 2 children, both children's send rings
	// (the replies), c1's child's receive ring.
	EXPECT_GE(o.allocs_b, 8);
}

TEST(AllocFailure, FailNthAllocationOnClient)
{
	long total = Scenario(0, 0, false).allocs_a;

	for (long n = 1; n <= total + 1; n++) {
		SCOPED_TRACE("client fails allocation " + std::to_string(n));
		Scenario(n, 0, true);
	}
}

TEST(AllocFailure, FailNthAllocationOnServer)
{
	long total = Scenario(0, 0, false).allocs_b;

	for (long n = 1; n <= total + 1; n++) {
		SCOPED_TRACE("server fails allocation " + std::to_string(n));
		Scenario(0, n, true);
	}
}

TEST(AllocFailure, TimeWaitEntryAllocationFailureCountsOverflow)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.Server()->close_on_eof = true;
	n.a.fail_nth = n.a.allocs + 1;	// the TIME_WAIT entry
	n.cli->Close();
	n.s.RunFor(kSec);
	EXPECT_EQ(n.a.failures, 1);
	EXPECT_TRUE(n.a.tws.empty());
	EXPECT_EQ(n.a.mib(AT_MIB_TW_OVERFLOW), 1u);
	EXPECT_EQ(n.a.live, 0);
}

TEST(AllocFailure, ChildAllocationFailureKeepsRequestForRetry)
{
	Net n;
	n.Listen();
	n.b.fail_nth = n.b.allocs + 2;	// request ok, child block fails
	n.Connect();
	ASSERT_TRUE(n.Run([&] { return n.b.NumAccepted() == 1; }, 5 * kSec));
	EXPECT_EQ(n.b.failures, 1);
	EXPECT_GE(n.b.mib(AT_MIB_LISTEN_DROPS), 1u);
	// The SYN+ACK retransmission brought the ACK back and it worked.
	EXPECT_EQ(n.Server()->established_at - n.cli->established_at, 1 * kSec + kMs);
}

// An idle connection costs its control block only: the rings come with the
// first byte, and a failure then is the sender's ENOMEM or, on receipt, a
// loss the peer repairs.
TEST(AllocFailure, IdleConnectionsAllocateNoRings)
{
	Net n;
	ASSERT_TRUE(n.Open());
	long a = n.a.allocs, b = n.b.allocs;
	n.s.RunFor(10 * kSec);
	EXPECT_EQ(n.a.allocs, a);
	EXPECT_EQ(n.b.allocs, b);
	EXPECT_EQ(a, 1);	// the client's connection
	EXPECT_EQ(b, 3);	// listener, request, child
}
