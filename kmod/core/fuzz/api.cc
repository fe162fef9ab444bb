// SPDX-License-Identifier: GPL-2.0
// Application calls interleaved with segments, time and failures.
//
// Input: two parameter bytes, a config byte per host, a setup byte, then
// steps.  Host B listens on port 80.  The steps open connections (to the
// listener, to a port nobody listens on, to an address nobody answers
// for), open more listeners, make every socket call of the API on any
// application's connection or listener (send, recv, peek, shutdown of
// each kind, close, kill, linger, nodelay, keepalive, every override,
// info, accept, listen again), inject segments aimed at a connection's
// numbers, let time run, change what the network delivers, make an
// allocation of either host fail, or let a host's namespace exit (its
// sockets closed, then what its tables still hold destroyed, as
// kmod/netns.c does).
#include "harness.h"

using namespace fz;

namespace {

constexpr size_t kMaxApps = 12;	// per host

sim::App *AppAt(Env &env, uint8_t v)
{
	sim::Host *h = v & 0x80 ? env.a : env.b;
	size_t n = h->apps_.size();

	return n ? h->apps_[((v >> 4) & 7) % n].get() : nullptr;
}

void Connect(In &in, Env &env, uint8_t op)
{
	uint8_t v = in.u8();
	sim::Host *h = op & 0x80 ? env.b : env.a;
	uint32_t dst = h == env.a ? B : A;
	uint16_t port = kPort;

	if (h->apps_.size() >= kMaxApps)
		return;
	switch (v & 3) {
	case 1:
		port = 81 + (v >> 2 & 3);	// a listener only if one was opened
		break;
	case 2:
		dst = C;			// nobody answers
		break;
	default:
		break;
	}
	Log("  %c connects to %x:%u\n", h == env.a ? 'A' : 'B', dst, port);
	sim::App *ap = h->Connect(dst, port);
	if (ap && ap->c && (v & 0x10))
		ap->Send(Pattern(), 1 + (v >> 5) * 2000);
}

void Listen(In &in, Env &env, uint8_t op)
{
	uint8_t v = in.u8();
	sim::Host *h = op & 0x80 ? env.a : env.b;
	uint16_t port = (uint16_t)(81 + (v & 3));

	if (h->apps_.size() >= kMaxApps || h->listeners.count(port))
		return;
	Log("  %c listens on %u backlog %d\n", h == env.a ? 'A' : 'B', port, (v >> 2) % 5);
	h->Listen(port, (v >> 2) % 5);
}

// A segment from the peer of an application's connection (or, for a
// listener, from a peer that matches nothing else).
void Segment(In &in, Env &env, sim::App *ap)
{
	if (!ap || !ap->c)
		return;
	const at_tuple &tu = ap->c->tuple;
	Target t{ap->host, tu.raddr ? tu.raddr : C, tu.rport ? tu.rport : (uint16_t)4242, tu.lport};
	Edges e = env.EdgesOf(t);
	inv::Seg s = DecodeSeg(in, e);

	Log("  segment to %x:%u flags %#x seq %+d ack %+d len %u\n", t.h->addr(), t.lport, s.flags,
	    (int)(s.seq - e.rcv_nxt), (int)(s.ack - e.snd_una), s.len);
	env.Inject(t, s, Pattern());
}

// A segment handed straight to an application's connection, whatever its
// state (CLOSED, LISTEN too): the glue may still find a socket its table
// no longer holds.
void DirectInput(In &in, Env &env, sim::App *ap)
{
	if (!ap || !ap->c || ap->released)
		return;
	const at_tuple &tu = ap->c->tuple;
	Target t{ap->host, tu.raddr ? tu.raddr : C, tu.rport ? tu.rport : (uint16_t)4242, tu.lport};
	Edges e = env.EdgesOf(t);
	inv::Seg s = DecodeSeg(in, e);
	std::vector<uint8_t> pkt = inv::Build(t.pport, t.lport, s, Pattern());
	at_seg seg;

	// A listener sees only what matches nothing else (a second SYN of a
	// tuple goes to its request entry): that is Deliver's business.
	if (at_conn_state(ap->c) == AT_LISTEN && env.Lookup(t).p != ap->c) {
		env.Inject(t, s, Pattern());
		return;
	}
	if (at_parse_tcp_header(pkt.data(), (uint32_t)pkt.size(), &seg))
		return;
	seg.tuple.laddr = t.h->addr();
	seg.tuple.raddr = t.peer;
	Log("  direct input to a %s connection: flags %#x\n", at_state_names[at_conn_state(ap->c)],
	    s.flags);
	at_conn_input(ap->c, &seg, env.s.now);
	ap->host->Pump(env.s.now);
}

// The namespace of h goes away as kmod/netns.c sees it: its sockets are
// gone first (each holds the namespace), then whatever is still in the
// tables (orphans, TIME_WAIT entries) is destroyed without a word on the
// wire, in table order or TIME_WAIT entries first.
void NetnsExit(Env &env, sim::Host *h, bool tw_first)
{
	Log("  namespace of %c exits\n", h == env.a ? 'A' : 'B');
	std::vector<sim::App *> ls;
	for (auto &ap : h->apps_) {
		if (!ap->c || ap->released)
			continue;
		if (at_conn_state(ap->c) == AT_LISTEN)
			ls.push_back(ap.get());
		else
			ap->Close();
	}
	for (sim::App *ap : ls)
		ap->Close();
	env.Check("closing every socket");
	if (tw_first)
		for (auto &kv : std::map<sim::Host::Key, at_tw *>(h->tws))
			at_tw_kill(kv.second, AT_R_NONE);
	for (auto &kv : std::map<sim::Host::Key, at_conn *>(h->conns))
		if (h->live_set_.count(kv.second))
			at_conn_destroy(kv.second);
	h->Teardown();
	if (h->live)
		Die("allocations left after a namespace exit: " + std::to_string(h->live));
}

void ListenerCalls(In &in, Env &env, sim::App *ap)
{
	uint8_t v = in.u8();

	if (!ap || !ap->c || ap->released)
		return;
	switch (v & 3) {
	case 0:
		Log("  accept\n");
		ap->host->Accept(ap);
		break;
	case 1:
		Log("  listen, backlog %d\n", v >> 2 & 7);
		at_listen(ap->c, v >> 2 & 7, env.s.now);	// EINVAL unless a listener
		break;
	case 2:
		Log("  auto accept %d, auto read %d\n", v >> 2 & 1, v >> 3 & 1);
		ap->host->auto_accept = v >> 2 & 1;
		for (auto &x : ap->host->apps_)
			x->auto_read = v >> 3 & 1;
		break;
	default:
		Log("  close when sent %d, shutdown when sent %d, close on EOF %d\n", v >> 2 & 1,
		    v >> 3 & 1, v >> 4 & 1);
		ap->close_when_sent = v >> 2 & 1;
		ap->shutdown_when_sent = v >> 3 & 1;
		ap->close_on_eof = v >> 4 & 1;
		break;
	}
	ap->host->Pump(env.s.now);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	In in(data, size);
	at_params p = DecodeParams(in);
	at_conn_cfg ca = DecodeCfg(in.u8()), cb = DecodeCfg(in.u8());
	uint8_t setup = in.u8();
	Env env(1 + (setup >> 6), p, p, ca, cb);

	env.b->Listen(kPort, setup & 7);
	env.b->auto_accept = !(setup & 8);
	for (int n = 0; n < 256 && !in.empty(); n++) {
		uint8_t op = in.u8();
		switch (op & 15) {
		case 0:
			Connect(in, env, op);
			break;
		case 1:
			Listen(in, env, op);
			break;
		case 2: case 3: case 4: case 5:
			AppOp(in, env, AppAt(env, op));
			break;
		case 6: case 7:
			DecodeTime(in, env, op & 0x80 ? env.a : env.b);
			break;
		case 8:
			DecodeLink(in, env);
			break;
		case 9: case 10:
			Segment(in, env, AppAt(env, op));
			break;
		case 11: {
			sim::Host *h = op & 0x80 ? env.a : env.b;
			uint8_t k = in.u8();
			h->fail_nth = k ? h->allocs + 1 + (k & 7) : 0;
			Log("  allocation %ld of %c fails\n", h->fail_nth, h == env.a ? 'A' : 'B');
			break;
		}
		case 12:
			ListenerCalls(in, env, AppAt(env, op));
			break;
		case 13:
			if (op >> 4 == 15) {
				env.CutAndCheckLiveness();
			} else if (op >> 4 >= 12) {
				NetnsExit(env, op & 0x10 ? env.a : env.b, op & 0x20);
			} else {
				DecodeTime(in, env, env.a);
			}
			break;
		case 14:
			DirectInput(in, env, AppAt(env, op));
			break;
		default:
			AppOp(in, env, AppAt(env, op));
			break;
		}
		env.Check("a step");
	}
	env.Finish();
	return 0;
}

namespace {

Seeds MakeSeeds()
{
	Seeds v;

	{
		Enc e;	// connect, exchange data both ways, close both ways
		e.u8(0).u8(0).u8(0x09).u8(0x09).u8(4);
		e.u8(0).u8(0x10 | 0x40);	// A connects, sends 4001 bytes
		e.u8(6).u8(0x45);		// 100 ms
		e.u8(2 | 0x10).u8(1).u16(3000);	// B's accepted app sends
		e.u8(6).u8(0x45);
		e.u8(2 | 0x80).u8(0);		// A reads
		e.u8(2 | 0x80).u8(2 | 1 << 4);	// A shuts down writing
		e.u8(6).u8(0x45);
		e.u8(2 | 0x10).u8(3);		// B closes
		e.u8(6).u8(0xc0).u8(6).u8(0xc0);
		v.push_back({"exchange", e.bytes()});
	}
	{
		Enc e;	// every socket option, keepalive with a silent peer
		e.u8(0).u8(0).u8(0x09).u8(0x09).u8(4);
		e.u8(0).u8(0);
		e.u8(6).u8(0x45);
		e.u8(2 | 0x80).u8(5 | 0x80);			// nodelay
		e.u8(2 | 0x80).u8(9).u16(0x01ff);		// every override
		for (int i = 0; i < 9; i++)
			e.u8(i * 7);
		e.u8(2 | 0x80).u8(6 | 0x80);			// keepalive
		e.u8(2 | 0x80).u8(8 | 0x80).u8(3);		// linger 2 s
		e.u8(2 | 0x80).u8(11);				// info
		e.u8(8).u8(3);					// network down
		e.u8(6).u8(0xc0).u8(6).u8(0xbf).u8(6).u8(0xc0);
		e.u8(8).u8(0);
		e.u8(2 | 0x80).u8(3);				// close
		e.u8(6).u8(0xc0);
		v.push_back({"options", e.bytes()});
	}
	{
		Enc e;	// no listener, nobody there, kill, allocation failures
		e.u8(0x10).u8(0).u8(0x09).u8(0x11).u8(1 | 8);
		e.u8(0).u8(1).u8(0).u8(2);
		e.u8(11).u8(2).u8(0).u8(0x10);
		e.u8(6).u8(0x45);
		e.u8(12).u8(0);					// accept
		e.u8(2 | 0x80 | 0x20).u8(10);			// kill
		e.u8(1).u8(0x04);
		e.u8(0 | 0x80).u8(1);
		e.u8(6).u8(0x85).u8(6).u8(0xc0);
		v.push_back({"errors", e.bytes()});
	}
	{
		Enc e;	// a zero window: the receiver does not read
		e.u8(0).u8(0).u8(0x00).u8(0x00).u8(4);
		e.u8(0).u8(0x10 | 0xe0);
		e.u8(12 | 0x10).u8(2);				// nobody reads
		e.u8(6).u8(0x85).u8(6).u8(0xc0).u8(6).u8(0xc0);
		e.u8(12 | 0x10).u8(2 | 8);
		e.u8(2 | 0x10).u8(0);
		e.u8(6).u8(0xc0);
		v.push_back({"zero-window", e.bytes()});
	}
	return v;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	MaybeWriteSeeds(MakeSeeds());
	return 0;
}
