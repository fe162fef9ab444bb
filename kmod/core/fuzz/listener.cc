// SPDX-License-Identifier: GPL-2.0
// A listener, its SYN_RECV request entries and its SYN cookies.
//
// Input: two parameter bytes (every syncookies mode, a SYN queue of 1..8,
// abort_on_overflow, ...), a config byte, a backlog byte, then steps.
// Host B listens on port 80; up to eight clients (ports 1000..1007, from
// host A, which answers with resets, or from an address nobody answers
// for) send it SYNs, final ACKs (aimed at the request's numbers, or at the
// cookie of the last SYN+ACK), RSTs, data and anything else, while time
// runs (SYN+ACK retransmissions, request expiry, cookie ageing) and the
// application accepts, reads, closes, changes the backlog or closes the
// listener and listens again.
#include "harness.h"

using namespace fz;

namespace {

struct World {
	sim::App *listener = nullptr;
	int backlog = 1;
};

Target Client(Env &env, uint8_t v)
{
	Target t;

	t.h = env.b;
	t.peer = v & 8 ? C : A;
	t.pport = (uint16_t)(1000 + (v & 7));
	t.lport = kPort;
	return t;
}

// A SYN with the options of a client, or the final ACK of a handshake
// (answering the SYN+ACK or cookie sent last on that tuple).
void Handshake(In &in, Env &env, const Target &t, bool syn)
{
	Edges e = env.EdgesOf(t);
	uint8_t v = in.u8();
	inv::Seg s;
	at_opts o{};

	if (v & 1) {
		o.present |= AT_OPT_TS;
		o.tsval = syn ? in.u32() : e.ts_recent + 1 + (v >> 4);
		o.tsecr = syn ? 0 : e.last_tsval;
	}
	s.window = (uint16_t)(v & 2 ? 65535 : in.u16());
	if (syn) {
		s.flags = AT_SYN;
		s.seq = 0x01000000u * (t.pport & 7) + (uint32_t)in.u16();
		if (v & 4) {
			o.present |= AT_OPT_MSS;
			o.mss = in.u16();
		}
		if (v & 8) {
			o.present |= AT_OPT_WSCALE;
			o.wscale = in.u8() % 16;
		}
		if (v & 16)
			o.present |= AT_OPT_SACK_OK;
	} else {
		s.flags = AT_ACK | (v & 4 ? AT_PSH : 0) | (v & 8 ? AT_FIN : 0);
		s.seq = e.have_last ? e.last_ack : e.rcv_nxt;
		s.ack = e.have_last ? e.last_seq + 1 : e.iss + 1;
		s.len = v & 4 ? in.u8() * 8u : 0;
	}
	s.opts = inv::OptBytes(o);
	Log("  %s from %x:%u seq %u ack %u len %u ts %d\n", syn ? "SYN" : "final ACK", t.peer,
	    t.pport, s.seq, s.ack, s.len, v & 1);
	env.Inject(t, s, Pattern());
}

void Segment(In &in, Env &env, const Target &t)
{
	Edges e = env.EdgesOf(t);
	inv::Seg s = DecodeSeg(in, e);

	Log("  segment from %x:%u flags %#x seq %u ack %u len %u\n", t.peer, t.pport, s.flags,
	    s.seq, s.ack, s.len);
	env.Inject(t, s, Pattern());
}

// The listening socket's own calls.
void ListenerOp(In &in, Env &env, World &w)
{
	uint8_t v = in.u8();
	uint64_t now = env.s.now;
	at_conn *l = w.listener && !w.listener->released ? w.listener->c : nullptr;

	switch (v & 7) {
	case 0:
		if (!l)
			break;
		w.backlog = in.u8() % 6;
		Log("  listen again, backlog %d\n", w.backlog);
		at_listen(l, w.backlog, now);
		break;
	case 1:
		if (!l)
			break;
		Log("  close the listener\n");
		w.listener->Close();
		w.listener = nullptr;
		break;
	case 2:
		if (l)
			break;
		Log("  listen anew, backlog %d\n", w.backlog);
		w.listener = env.b->Listen(kPort, w.backlog);
		break;
	case 3:
		if (!l)
			break;
		Log("  accept\n");
		env.b->Accept(w.listener);
		break;
	case 4:
		Log("  auto accept %d\n", v >> 7);
		env.b->auto_accept = v >> 7;
		break;
	case 5: {
		if (!l)
			break;
		at_overrides o = DecodeOverrides(in);
		Log("  listener overrides\n");
		at_set_overrides(l, &o, now);
		break;
	}
	case 6: {
		struct at_conn_info i;
		Log("  info of everything\n");
		if (l)
			at_conn_info(l, now, &i);
		for (auto &kv : env.b->reqs)
			at_req_info(kv.second, now, &i);
		for (auto &kv : env.b->tws)
			at_tw_info(kv.second, now, &i);
		break;
	}
	default:
		if (!l)
			break;
		Log("  listener nodelay/keepalive %d\n", v >> 3 & 3);
		at_set_nodelay(l, v >> 3 & 1, now);
		at_set_keepalive(l, v >> 4 & 1, now);
		break;
	}
	env.b->Pump(now);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	In in(data, size);
	at_params pb = DecodeParams(in);
	at_params pa = sim::DefaultParams();
	uint8_t cfg = in.u8(), b0 = in.u8();
	World w;
	Env env(1 + (b0 >> 6), pa, pb, DecodeCfg(0), DecodeCfg(cfg));

	w.backlog = b0 & 7;
	env.b->auto_accept = !(b0 & 8);
	w.listener = env.b->Listen(kPort, w.backlog);
	env.Check("listen");
	for (int n = 0; n < 256 && !in.empty(); n++) {
		uint8_t op = in.u8();
		switch (op & 15) {
		case 0: case 1: case 2:
			Handshake(in, env, Client(env, op >> 4), true);
			break;
		case 3: case 4: case 5:
			Handshake(in, env, Client(env, op >> 4), false);
			break;
		case 6: case 7: case 8:
			Segment(in, env, Client(env, op >> 4));
			break;
		case 9: case 10:
			DecodeTime(in, env, env.b);
			break;
		case 11:
			Log("  honest client connects\n");
			env.a->Connect(B, kPort);
			break;
		case 12:
			ListenerOp(in, env, w);
			break;
		case 13: {
			// The application on an accepted connection (or a client).
			sim::Host *h = op & 0x80 ? env.a : env.b;
			size_t k = (op >> 4) & 7;
			if (k < h->apps_.size())
				AppOp(in, env, h->apps_[k].get());
			break;
		}
		case 14:
			if (op >> 4 == 15)
				env.CutAndCheckLiveness();
			else
				DecodeLink(in, env);
			break;
		default: {
			// The next allocation but n fails (requests, children, rings).
			uint8_t k = in.u8();
			env.b->fail_nth = k ? env.b->allocs + 1 + (k & 7) : 0;
			Log("  allocation %ld fails\n", env.b->fail_nth);
			break;
		}
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
	// params f: timestamps on, SACK on, wscale on; cookie mode in bits 4-5.
	for (int cookies = 0; cookies < 3; cookies++) {
		for (int ts = 0; ts < 2; ts++) {
			Enc e;
			e.u8((cookies << 4) | (ts ? 0 : 1)).u8(0x00).u8(0x09).u8(4);
			for (int c = 0; c < 3; c++) {	// three SYNs, then their ACKs
				e.u8(0 | c << 4).u8(0x1f).u32(1000 + c).u16(0).u16(1460).u8(7);
			}
			e.u8(9).u8(0x05);		// 0.5 ms
			for (int c = 0; c < 3; c++)
				e.u8(3 | c << 4).u8(0x01 | 0x06).u8(10);
			e.u8(9).u8(0x45);		// 100 ms
			e.u8(13).u8(0).u8(1);		// an accepted one reads
			e.u8(9).u8(0xc0);		// next timer
			e.u8(12).u8(1);			// close the listener
			e.u8(12).u8(2);			// and listen again
			e.u8(0 | 5 << 4).u8(0x02).u16(77);
			e.u8(9).u8(0x83);		// 3 s: SYN+ACK again
			e.u8(9).u8(0xc0);
			v.push_back({"cookies" + std::to_string(cookies) + "-ts" + std::to_string(ts),
				     e.bytes()});
		}
	}
	{
		Enc e;	// SYN queue of one, backlog one: overflow and drops
		e.u8(0x01).u8(0x00).u8(0x09).u8(1 | 8);
		for (int c = 0; c < 4; c++)
			e.u8(0 | c << 4).u8(0x02).u16(5000 + c);
		for (int c = 0; c < 4; c++)
			e.u8(3 | c << 4).u8(0x02);
		e.u8(11).u8(11).u8(9).u8(0x50).u8(12).u8(3).u8(9).u8(0xc0);
		v.push_back({"overflow", e.bytes()});
	}
	{
		Enc e;	// RST, a SYN again, a bad ACK, data before the ACK
		e.u8(0x10).u8(0x00).u8(0x09).u8(4);
		e.u8(0).u8(0x03).u32(9).u16(0);
		SegSpec rst;
		rst.ssel = 0;
		rst.flags_byte = kFRst;
		e.u8(6);
		EncodeSeg(e, rst);
		e.u8(1).u8(0x02).u16(9);
		e.u8(1).u8(0x02).u16(9);
		SegSpec bad;
		bad.asel = 3;
		bad.ad = 5;
		e.u8(7);
		EncodeSeg(e, bad);
		e.u8(4).u8(0x07).u8(8);
		e.u8(10).u8(0xc0).u8(10).u8(0xc0).u8(10).u8(0xc0);
		v.push_back({"req-edges", e.bytes()});
	}
	return v;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	MaybeWriteSeeds(MakeSeeds());
	return 0;
}
