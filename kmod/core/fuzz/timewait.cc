// SPDX-License-Identifier: GPL-2.0
// TIME_WAIT: compact entries (at_tw_input) and application-held ones.
//
// Input: two parameter bytes (rfc1337, tw_reuse, timestamps, a table of
// one entry sometimes, ...), a config byte, a setup byte, then steps.
// The setup closes one to three connections so that either the client
// (host A) or the server (host B, which keeps listening on port 80) ends
// in TIME_WAIT: as a compact entry (the application closed after, or
// before, the FIN exchange) or held by the application.  Steps: segments
// aimed at the entry's numbers (retransmitted FINs, RSTs at and off
// rcv_nxt, SYNs above or below it, with older or newer timestamps, PAWS),
// time, a new connection on the same tuple (tw_reuse, SYN over TIME_WAIT
// into the listener with the ISN hint), application calls, dumps.
#include "harness.h"

using namespace fz;

namespace {

struct World {
	Target t;			// the tuple in TIME_WAIT
	std::vector<Target> all;	// every tuple that closed
};

// Close n connections; the side that closes first ends in TIME_WAIT.
void Setup(Env &env, uint8_t v, World &w)
{
	bool server = v & 1;		// the server closes first
	int mode = (v >> 1) % 3;	// 0: close after, 1: before, 2: hold
	int n = 1 + (v >> 3) % 3;
	std::vector<sim::App *> first, second;

	env.b->Listen(kPort, 16);
	for (int i = 0; i < n; i++) {
		sim::App *cli = env.a->Connect(B, kPort);
		if (!cli)
			return;
		if (!env.RunUntil([&] { return env.b->NumAccepted() > (size_t)i && cli->connected; },
				  kSec))
			return;
		sim::App *srv = env.b->Accepted(i);
		uint16_t port = cli->c->tuple.lport;
		Target t = server ? Target{env.b, A, port, kPort} : Target{env.a, B, kPort, port};
		w.all.push_back(t);
		first.push_back(server ? srv : cli);
		second.push_back(server ? cli : srv);
		if (v & 0x20)
			cli->Send(Pattern(), 3000);
	}
	w.t = w.all[0];
	for (sim::App *ap : first) {
		if (mode == 1)
			ap->Close();
		else
			ap->Shutdown(AT_SHUT_WR);
	}
	for (sim::App *ap : second)
		env.RunUntil([&] { return ap->eof; }, kSec);
	for (sim::App *ap : second)
		ap->Close();
	env.Run(50 * kMs);
	if (mode == 0)
		for (sim::App *ap : first)
			ap->Close();
	env.Check("setup");
	Log("setup: %s in TIME_WAIT, %s, %d connections: %zu entries\n", server ? "server" : "client",
	    mode == 0 ? "closed after" : mode == 1 ? "closed before" : "held", n,
	    env.a->tws.size() + env.b->tws.size());
}

// A SYN on the tuple: above or below rcv_nxt, with a newer or older
// timestamp (RFC 6191 / Linux: either lets it take the tuple over).
void NewSyn(In &in, Env &env, const Target &t)
{
	Edges e = env.EdgesOf(t);
	uint8_t v = in.u8();
	inv::Seg s;
	at_opts o{};

	s.flags = AT_SYN | (v & 0x80 ? AT_ACK : 0) | (v & 0x40 ? AT_RST : 0);
	s.seq = e.rcv_nxt + (uint32_t)(int32_t)in.s16();
	s.window = 65535;
	o.present = AT_OPT_MSS;
	o.mss = 1460;
	if (v & 1) {
		o.present |= AT_OPT_TS;
		o.tsval = e.ts_recent + (uint32_t)(int32_t)in.s16();
	}
	s.opts = inv::OptBytes(o);
	Log("  SYN seq %+d ts %+d\n", (int)(s.seq - e.rcv_nxt), (int)(o.tsval - e.ts_recent));
	env.Inject(t, s, nullptr);
}

// A new connection of host A on the tuple, as the glue would pick it.
void Reconnect(In &in, Env &env, const Target &t)
{
	uint8_t v = in.u8();
	uint16_t port = t.h == env.a ? t.lport : t.pport;

	env.a->loopback_peer = v & 1;
	env.a->cfg.loopback = v & 2;
	Log("  reconnect from port %u (loopback %d/%d)\n", port, v & 1, (v >> 1) & 1);
	sim::Host::Key k{port, B, kPort};
	if (env.a->conns.count(k) || env.a->reqs.count(k))
		return;	// the glue's bind would refuse
	auto tw = env.a->tws.find(k);
	if (tw != env.a->tws.end() && !at_tw_can_reuse(tw->second, env.s.now, v & 1)) {
		// The glue's port choice would not take it; if it raced,
		// at_connect_reuse_tw() refuses and the glue destroys the
		// connection it made.
		if (!(v & 4))
			return;
		at_tuple tu{};
		tu.laddr = A;
		tu.raddr = B;
		tu.lport = port;
		tu.rport = kPort;
		at_conn *c = at_conn_new(&env.a->ctx, &tu, &env.a->cfg, nullptr);
		if (!c)
			return;
		if (at_connect_reuse_tw(c, tw->second, env.s.now) != -AT_EADDRNOTAVAIL)
			Die("at_connect_reuse_tw() took an entry at_tw_can_reuse() refuses");
		at_conn_destroy(c);
		return;
	}
	if (tw != env.a->tws.end() && (v & 8)) {
		// A used connection cannot take a tuple over.
		for (auto &kv : env.a->app_of_)
			if (at_conn_state(kv.first) != AT_CLOSED &&
			    at_connect_reuse_tw(kv.first, tw->second, env.s.now) != -AT_EISCONN)
				Die("at_connect_reuse_tw() on a used connection");
	}
	env.a->Connect(B, kPort, port);
}

void Dump(Env &env)
{
	struct at_conn_info i;

	for (sim::Host *h : {env.a, env.b}) {
		for (auto &kv : h->tws) {
			at_tw_info(kv.second, env.s.now, &i);
			(void)at_tw_can_reuse(kv.second, env.s.now, 0);
			(void)at_tw_can_reuse(kv.second, env.s.now, 1);
		}
		for (auto &kv : h->app_of_)
			at_conn_info(kv.first, env.s.now, &i);
	}
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	In in(data, size);
	at_params p = DecodeParams(in);
	uint8_t cfg = in.u8(), setup = in.u8();
	Env env(1 + (setup >> 6), p, p, DecodeCfg(cfg), DecodeCfg(cfg));
	World w;

	Setup(env, setup, w);
	if (w.all.empty()) {
		env.Finish();
		return 0;
	}
	for (int n = 0; n < 256 && !in.empty(); n++) {
		uint8_t op = in.u8();
		const Target &t = w.all[(op >> 4) % w.all.size()];
		switch (op & 15) {
		case 0: case 1: case 2: case 3: case 4: {
			Edges e = env.EdgesOf(t);
			inv::Seg s = DecodeSeg(in, e);
			Log("  segment flags %#x seq %+d ack %+d len %u\n", s.flags,
			    (int)(s.seq - e.rcv_nxt), (int)(s.ack - e.snd_nxt), s.len);
			env.Inject(t, s, Pattern());
			break;
		}
		case 5: case 6:
			NewSyn(in, env, t);
			break;
		case 7: case 8: case 9:
			DecodeTime(in, env, t.h);
			break;
		case 10:
			Reconnect(in, env, t);
			break;
		case 11: {
			sim::Host *h = op & 0x80 ? env.a : env.b;
			size_t k = (op >> 4) & 7;
			if (k < h->apps_.size())
				AppOp(in, env, h->apps_[k].get());
			break;
		}
		case 12:
			DecodeLink(in, env);
			break;
		case 13:
			Dump(env);
			break;
		case 14:
			if (op >> 4 == 15) {
				env.CutAndCheckLiveness();
			} else {
				// The next allocation but n fails (entries, rings).
				sim::Host *h = op & 0x80 ? env.a : env.b;
				uint8_t k = in.u8();
				h->fail_nth = k ? h->allocs + 1 + (k & 3) : 0;
				Log("  allocation %ld fails\n", h->fail_nth);
			}
			break;
		default:
			DecodeTime(in, env, t.h);
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

	for (int setup = 0; setup < 6; setup++) {
		Enc e;
		e.u8(setup & 1 ? 0x08 : 0x00).u8(setup < 3 ? 0x01 : 0x02).u8(0x09);
		e.u8(setup | (setup == 4 ? 0x08 : 0));
		SegSpec fin;			// the FIN again
		fin.ssel = 2;
		fin.flags_byte = kFFinAck;
		fin.ts = true;
		e.u8(0);
		EncodeSeg(e, fin);
		SegSpec rst;			// RST at rcv_nxt
		rst.flags_byte = kFRst;
		e.u8(1);
		EncodeSeg(e, rst);
		e.u8(5).u8(0x01).s16(1000).s16(10);	// SYN above, newer TS
		e.u8(7).u8(0x81);			// 1 s
		e.u8(10).u8(setup & 1);		// reconnect
		e.u8(7).u8(0x42).u8(13);
		e.u8(6).u8(0x01).s16(-10).s16(-5);	// SYN below, older TS
		e.u8(7).u8(0xc0).u8(7).u8(0xc0);
		v.push_back({"setup" + std::to_string(setup), e.bytes()});
	}
	return v;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	MaybeWriteSeeds(MakeSeeds());
	return 0;
}
