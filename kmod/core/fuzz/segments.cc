// SPDX-License-Identifier: GPL-2.0
// Segments into a connection in every state.
//
// Input: scene, two parameter bytes, two connection-config bytes, a flags
// byte, then steps until the input ends.  The scene drives a connection
// between two simulated hosts (A the client, B the server on port 80) to
// SYN_SENT, SYN_RECV (simultaneous open with a peer no host answers for),
// ESTABLISHED (either side, data in flight both ways), FIN_WAIT1,
// FIN_WAIT2, CLOSING, CLOSE_WAIT, LAST_ACK or TIME_WAIT (held by the
// application), with filters keeping it there.  Each step is a segment
// aimed at that connection's numbers (or the peer's, or a stranger's), a
// flood of one segment (up to 1208 times), a step of time, a change of
// what the network delivers, or an application call on either end.
#include "harness.h"

using namespace fz;

namespace {

enum Scene {
	kSynSent, kSynRecv, kEstabClient, kEstabServer, kFinWait1, kFinWait2,
	kClosing, kCloseWait, kLastAck, kTimeWait, kScenes
};

const char *const kSceneNames[kScenes] = {
	"SYN_SENT", "SYN_RECV", "ESTABLISHED(client)", "ESTABLISHED(server)", "FIN_WAIT1",
	"FIN_WAIT2", "CLOSING", "CLOSE_WAIT", "LAST_ACK", "TIME_WAIT",
};

const int kWant[kScenes] = {
	AT_SYN_SENT, AT_SYN_RECV, AT_ESTABLISHED, AT_ESTABLISHED, AT_FIN_WAIT1,
	AT_FIN_WAIT2, AT_CLOSING, AT_CLOSE_WAIT, AT_LAST_ACK, AT_TIME_WAIT,
};

struct World {
	Target t;		// the connection under fire
	Target peer;		// its other end (peer.h == nullptr: none)
	sim::App *app = nullptr, *peer_app = nullptr;
};

bool Connected(Env &env, sim::App *cli)
{
	return env.RunUntil([&] { return cli->connected && env.b->NumAccepted() > 0; }, kSec) &&
	       env.b->Accepted(0)->c;
}

bool Setup(Env &env, Scene sc, uint8_t flags, World &w)
{
	const uint32_t up = 1000 + (flags & 7) * 3000, down = 500 + ((flags >> 3) & 7) * 4000;
	sim::App *cli, *srv = nullptr;

	env.b->Listen(kPort, 16);
	if (sc == kSynSent)
		env.s.DropAll([](const sim::Cap &c) { return c.src == B; });
	if (sc == kSynRecv) {
		cli = env.a->Connect(C, kPort);
		if (!cli)
			return false;
		inv::Seg s;
		at_opts o{};
		o.present = AT_OPT_MSS | AT_OPT_WSCALE | AT_OPT_SACK_OK | AT_OPT_TS;
		o.mss = 1460;
		o.wscale = 7;
		o.tsval = 12345;
		s.flags = AT_SYN;
		s.seq = 0x10000000u * (flags & 15) + 777;
		s.window = 65535;
		s.opts = inv::OptBytes(o);
		w.t = {env.a, C, kPort, cli->c->tuple.lport};
		w.app = cli;
		env.Inject(w.t, s, nullptr);
		return cli->c && at_conn_state(cli->c) == AT_SYN_RECV;
	}
	cli = env.a->Connect(B, kPort);
	if (!cli)
		return false;
	w.app = cli;
	w.t = {env.a, B, kPort, cli->c->tuple.lport};
	w.peer = {env.b, A, cli->c->tuple.lport, kPort};
	if (sc == kSynSent) {
		env.Run(kMs);
		return cli->c && at_conn_state(cli->c) == AT_SYN_SENT;
	}
	if (!Connected(env, cli))
		return false;
	srv = env.b->Accepted(0);
	w.peer_app = srv;
	switch (sc) {
	case kEstabServer:
		std::swap(w.t, w.peer);
		std::swap(w.app, w.peer_app);
		/* fall through */
	case kEstabClient:
		cli->Send(Pattern(), up);
		srv->Send(Pattern(), down);
		env.Run(kMs + (flags >> 6) * 700);
		break;
	case kFinWait1:
		env.s.DropAll([](const sim::Cap &c) { return c.src == B; });
		cli->Send(Pattern(), up);
		cli->Shutdown(AT_SHUT_WR);
		env.Run(2 * kMs);
		break;
	case kFinWait2:
	case kCloseWait:
		srv->Send(Pattern(), down);
		cli->Shutdown(AT_SHUT_WR);
		env.RunUntil([&] { return cli->state() == AT_FIN_WAIT2 && srv->eof; }, kSec);
		if (sc == kCloseWait) {
			std::swap(w.t, w.peer);
			std::swap(w.app, w.peer_app);
		}
		break;
	case kClosing:
		env.s.DropAll([](const sim::Cap &c) { return c.src == B && !c.Fin(); });
		cli->Shutdown(AT_SHUT_WR);
		srv->Shutdown(AT_SHUT_WR);
		env.RunUntil([&] { return cli->state() == AT_CLOSING; }, kSec);
		break;
	case kLastAck:
		cli->Shutdown(AT_SHUT_WR);
		env.RunUntil([&] { return srv->eof; }, kSec);
		env.s.DropAll([](const sim::Cap &c) { return c.src == A; });
		srv->Send(Pattern(), down);
		srv->Shutdown(AT_SHUT_WR);
		env.Run(kMs / 2);
		std::swap(w.t, w.peer);
		std::swap(w.app, w.peer_app);
		break;
	case kTimeWait:
		cli->Shutdown(AT_SHUT_WR);
		env.RunUntil([&] { return srv->eof; }, kSec);
		srv->Shutdown(AT_SHUT_WR);
		env.RunUntil([&] { return cli->state() == AT_TIME_WAIT; }, kSec);
		break;
	default:
		break;
	}
	return w.app->c && at_conn_state(w.app->c) == kWant[sc];
}

void Inject(In &in, Env &env, const Target &t, const char *what)
{
	Edges e = env.EdgesOf(t);
	inv::Seg s = DecodeSeg(in, e);

	Log("  segment to %s: flags %#x seq %u (rcv_nxt %u) ack %u (snd_una %u snd_max %u) win %u len %u opts %zu\n",
	    what, s.flags, s.seq, e.rcv_nxt, s.ack, e.snd_una, e.snd_max, s.window, s.len, s.opts.size());
	env.Inject(t, s, Pattern());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	In in(data, size);
	Scene sc = (Scene)(in.u8() % kScenes);
	at_params pa = DecodeParams(in);
	at_params pb = pa;
	at_conn_cfg ca = DecodeCfg(in.u8()), cb = DecodeCfg(in.u8());
	uint8_t flags = in.u8();
	Env env(1 + (flags >> 4), pa, pb, ca, cb);
	World w;

	Log("scene %s\n", kSceneNames[sc]);
	if (!Setup(env, sc, flags, w)) {
		// A configuration that cannot get there (a 1000-byte window
		// and so on) is no finding; everything is still reclaimed.
		Log("  (state not reached)\n");
		env.Finish();
		return 0;
	}
	env.Check("setup");
	for (int n = 0; n < 256 && !in.empty(); n++) {
		uint8_t op = in.u8();
		switch (op & 15) {
		case 8: {
			// The other end (or, without one, a stranger).
			Target t = w.peer.h ? w.peer : w.t;
			if (!w.peer.h)
				t.pport = (uint16_t)(t.pport + 1 + (op >> 4));
			Inject(in, env, t, w.peer.h ? "peer" : "stranger");
			break;
		}
		case 7: {
			// A flood of one segment: the challenge ACK budget, the
			// rate limits of the answers.
			Edges e = env.EdgesOf(w.t);
			inv::Seg s = DecodeSeg(in, e);
			int k = 8 * (1 + (op >> 4) * 9);
			Log("  %d times: flags %#x seq %+d ack %+d len %u\n", k, s.flags,
			    (int)(s.seq - e.rcv_nxt), (int)(s.ack - e.snd_una), s.len);
			for (int i = 0; i < k; i++)
				env.Inject(w.t, s, Pattern());
			break;
		}
		case 9: {
			Target t = w.t;	// another port of the same peer
			t.pport = (uint16_t)(t.pport + 1 + (op >> 4));
			if (op & 0x80)
				t.lport = kPort;
			Inject(in, env, t, "stranger");
			break;
		}
		case 10:
		case 11:
			DecodeTime(in, env, w.t.h);
			break;
		case 12:
			if (op >> 4 == 15)
				env.CutAndCheckLiveness();
			else
				DecodeLink(in, env);
			break;
		case 13:
			AppOp(in, env, w.app);
			break;
		case 14:
			AppOp(in, env, w.peer_app);
			break;
		default:
			Inject(in, env, w.t, "target");
			break;
		}
		env.Check("a step");
	}
	env.Finish();
	return 0;
}

namespace {

// Seeds: every scene with an honest exchange and a few classic attacks.
Seeds MakeSeeds()
{
	Seeds v;

	for (int sc = 0; sc < kScenes; sc++) {
		for (int variant = 0; variant < 2; variant++) {
			Enc e;
			e.u8(sc).u8(variant ? 0x31 : 0).u8(variant ? 0x25 : 0x08);
			e.u8(variant ? 0x2b : 0x09).u8(variant ? 0x11 : 0x09).u8(variant ? 0x5a : 0x12);
			SegSpec ack;	// an in-order ACK of all we sent, with data
			ack.ts = !variant;
			ack.asel = 7;
			ack.len_byte = 0x02 | (8 << 2);
			e.u8(0);
			EncodeSeg(e, ack);
			e.u8(10).u8(0x45);		// 100 ms
			SegSpec rst;			// an in-window RST, off by one
			rst.sd = 1;
			rst.flags_byte = kFRst;
			e.u8(1);
			EncodeSeg(e, rst);
			SegSpec syn;			// a SYN in the window
			syn.flags_byte = kFSyn;
			syn.syn_opts = true;
			e.u8(2);
			EncodeSeg(e, syn);
			SegSpec fin;			// data + FIN, then its ACK
			fin.flags_byte = kFFinPshAck;
			fin.ts = !variant;
			fin.len_byte = 0x01 | (20 << 2);
			e.u8(3);
			EncodeSeg(e, fin);
			e.u8(13).u8(0);			// read
			e.u8(11).u8(0xc0);		// to the next timer
			e.u8(12).u8(0);			// the network delivers again
			e.u8(11).u8(0x85);		// 5 s
			e.u8(13).u8(3);			// close
			e.u8(11).u8(0xc0);
			v.push_back({std::string("scene") + std::to_string(sc) + "-" + std::to_string(variant),
				     e.bytes()});
		}
	}
	return v;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
	MaybeWriteSeeds(MakeSeeds());
	return 0;
}
