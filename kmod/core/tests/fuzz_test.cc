// SPDX-License-Identifier: GPL-2.0
// Robustness of the input paths against malformed and hostile segments.
// The product rule: a bad segment never crashes, hangs, leaks or corrupts
// the engine; it is dropped, counted or answered per RFC 9293 (RST,
// challenge ACK), and a connection it was not acceptable to keeps working.
//
// ASan and UBSan prove the absence of bad memory accesses; the tests add
// what they cannot see: white-box invariants after every injected segment
// (sequence order, ring bounds, scoreboards, timers, counters, allocation
// accounting), unchanged state after unacceptable segments, byte-exact
// transfers after them, and full reclamation after anything at all.
//
// Everything is seeded.  A failure names its seed: ALTTCP_SEED=<seed>
// replays it; ALTTCP_FUZZ_SEEDS=<n> runs n seeds per test and
// ALTTCP_FUZZ_SEGS=<n> injects n segments per burst, for soak runs.
#include "helpers.h"
#include "invariants.h"

#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <sstream>

using namespace t;
using namespace inv;

namespace {

constexpr uint32_t C = 0x0a000063;	// a peer no host answers for

std::vector<uint64_t> Seeds(uint64_t base, int dflt)
{
	uint64_t only = sim::SeedFromEnv(0);
	const char *many = getenv("ALTTCP_FUZZ_SEEDS");
	int n = many ? atoi(many) : dflt;
	std::vector<uint64_t> v;

	if (only)
		return {only};
	for (int i = 0; i < n; i++)
		v.push_back(base + i);
	return v;
}

int SegsPerBurst(int dflt)
{
	const char *s = getenv("ALTTCP_FUZZ_SEGS");

	return s ? atoi(s) : dflt;
}

std::string SeedTrace(uint64_t seed)
{
	return "seed " + std::to_string(seed) + " (replay with ALTTCP_SEED=" +
	       std::to_string(seed) + ")";
}

// Option bytes that are mostly well formed, so parsing gets deep, with
// every kind of damage mixed in: bogus lengths, truncation, EOL and NOP
// runs, duplicates, unknown kinds, out-of-range values.
std::vector<uint8_t> RandomOptions(std::mt19937_64 &g, size_t n)
{
	static const uint8_t kLens[] = {0, 1, 2, 3, 5, 9, 11, 255};
	std::vector<uint8_t> v;

	auto body = [&](size_t k) {
		for (size_t i = 0; i < k; i++)
			v.push_back((uint8_t)g());
	};
	auto len = [&](uint8_t good) {
		return g() % 4 ? good : kLens[g() % sizeof(kLens)];
	};
	while (v.size() < n) {
		uint8_t l;
		switch (g() % 12) {
		case 0:
			v.push_back(0);
			break;
		case 1:
			for (int k = (int)(g() % 8) + 1; k; k--)
				v.push_back(1);
			break;
		case 2:
			l = len(4);
			v.insert(v.end(), {2, l});
			if (g() % 3 == 0)
				v.insert(v.end(), {0, (uint8_t)(g() % 2)});	// MSS 0 or 1
			else
				body(2);
			break;
		case 3:
			l = len(3);
			v.insert(v.end(), {3, l, (uint8_t)(g() % 2 ? g() % 20 : g())});
			break;
		case 4:
			v.insert(v.end(), {4, len(2)});
			break;
		case 5:
			v.insert(v.end(), {8, len(10)});
			body(8);
			break;
		case 6:
			l = (uint8_t)(g() % 4 ? 2 + 8 * (g() % 5) : g() % 44);
			v.insert(v.end(), {5, l});
			body(l > 2 ? l - 2 : 0);
			break;
		case 7:
			l = (uint8_t)(g() % 14);
			v.insert(v.end(), {(uint8_t)(9 + g() % 247), l});
			body(l > 2 ? l - 2 : 0);
			break;
		default:
			v.push_back((uint8_t)g());
			break;
		}
	}
	v.resize(n);
	return v;
}


/* ---------------- scenarios ---------------- */

enum Scene {
	kListen,	// listener with SYN_RECV requests (or cookies)
	kSynSent,
	kEstablished,	// data in flight both ways
	kFinWait1,	// with data in flight; the peer ESTABLISHED
	kFinWait2,	// and the peer in CLOSE_WAIT, still sending
	kClosing,	// simultaneous close, both sides
	kLastAck,	// and the peer in FIN_WAIT2
	kTimeWait,	// held by the application, then a compact entry
};

enum class Mode {
	kUnacceptable,	// only segments RFC 9293 says to drop
	kAnything,	// anything at all, acceptable or not
};

const char *SceneName(Scene s)
{
	static const char *n[] = {"LISTEN/SYN_RECV", "SYN_SENT", "ESTABLISHED", "FIN_WAIT1",
				  "FIN_WAIT2/CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT"};
	return n[s];
}

// Consecutive seeds cover timestamps off and every syncookies mode.
at_params FuzzParams(uint64_t seed, std::mt19937_64 &g)
{
	at_params p = sim::DefaultParams();

	p.timestamps = seed % 4 != 0;
	p.syncookies = (int)(seed % 3);
	p.sack = g() % 4 != 0;
	p.window_scaling = g() % 2;
	p.rfc1337 = g() % 2;
	p.max_syn_backlog = 16;
	p.tw_timeout = 3;
	p.fin_timeout = 5;
	p.syn_retries = 4;
	p.synack_retries = 3;
	p.retries2 = 6;
	p.orphan_retries = 3;
	return p;
}

// Where an injected segment goes: to host h, as if from peer:pport.
struct Target {
	sim::Host *h;
	uint32_t peer;
	uint16_t pport, lport;
};

// What the segment meets there, as Host::Deliver looks it up.
struct Obj {
	enum { kNone, kConn, kTw, kReq, kListener } kind = kNone;
	const void *p = nullptr;
	const at_conn *conn() const { return static_cast<const at_conn *>(p); }
	const at_tw *tw() const { return static_cast<const at_tw *>(p); }
	const at_req *req() const { return static_cast<const at_req *>(p); }
};

// The sequence landmarks of an object, to aim near its window edges.
struct Edges {
	uint32_t rcv_nxt = 0, wnd = 0, snd_una = 0, snd_max = 0, max_window = 0, iss = 0;
	uint32_t ring = 0;	// bytes that could ever be in the receive window
	bool ts = false;
	uint32_t ts_recent = 0;
};

class Fuzz {
public:
	Fuzz(uint64_t seed, Scene scene, Mode mode)
		: seed_(seed), scene_(scene), mode_(mode), g_(seed * 7919 + scene * 31 + (int)mode),
		  pa_(FuzzParams(seed, g_)), n_(pa_, pa_, seed), ha_(n_.a, errs_), hb_(n_.b, errs_)
	{
		junk_.resize(65536 + 64);
		for (auto &b : junk_)
			b = (uint8_t)g_();
		n_.s.link.delay = 5 * kMs;
		n_.s.link.bandwidth_bps = 0;
		n_.b.on_accept = [this](sim::App *a) { Accept(a); };
		if (seed % 2) {
			// White box: the client's sequence numbers wrap mid-transfer.
			uint32_t iss = 0u - 1 - R(200000);
			n_.a.before_connect = [iss](at_conn *c) {
				c->iss = iss;
				c->iss_set = 1;
			};
		}
	}

	void Run(int segs);

	uint64_t injected = 0, answered = 0, moved = 0, resets = 0;

private:
	void Setup();
	void Finish();
	void Burst(int segs);
	void Recover();
	bool Quiet();
	std::string Check();

	Obj Lookup(const Target &t);
	Edges EdgesOf(const Obj &o);
	std::string Describe(const Obj &o);
	Seg Unacceptable(const Obj &o, const Edges &e);
	Seg Anything(const Edges &e, bool req);
	std::vector<uint8_t> PickOpts(const Edges &e);
	uint32_t PickLen();

	sim::App *Connect()
	{
		sim::App *c = n_.a.Connect(B, kPort);
		clients_.push_back(c);
		client_ports_.insert(c->c->tuple.lport);
		return c;
	}
	// A stranger's handshake may complete too (it is acceptable); it is
	// no part of the workload checked after unacceptable segments.
	void Accept(sim::App *a)
	{
		if (!client_ports_.count(a->c->tuple.rport) &&
		    mode_ == Mode::kUnacceptable) {
			a->Close();
			return;
		}
		if (client_ports_.count(a->c->tuple.rport))
			servers_.push_back(a);
		if (server_work_)
			server_work_(a);
	}
	void Workload(sim::App *a, const std::vector<uint8_t> &d, bool shut, bool close)
	{
		a->Send(d.data(), d.size());
		a->shutdown_when_sent = shut;
		a->close_on_eof = close;
	}
	std::vector<sim::App *> Apps()
	{
		std::vector<sim::App *> v = clients_;
		for (size_t i = 0; i < n_.b.NumAccepted(); i++)
			v.push_back(n_.b.Accepted(i));
		return v;
	}
	uint32_t R(uint32_t n) { return n ? (uint32_t)(g_() % n) : 0; }

	uint64_t seed_;
	Scene scene_;
	Mode mode_;
	std::mt19937_64 g_;
	at_params pa_;
	std::vector<std::string> errs_;
	Net n_;
	Hooks ha_, hb_;
	std::vector<uint8_t> junk_, up_, down_;
	std::vector<sim::App *> clients_, servers_;
	std::set<uint16_t> client_ports_;
	std::function<void(sim::App *)> server_work_;
	std::vector<Target> targets_;
	std::map<uint16_t, uint32_t> cookie_iss_;	// client port -> our ISN
};

std::string Fuzz::Check()
{
	return CheckHost(n_.a, ha_) + CheckHost(n_.b, hb_);
}

Obj Fuzz::Lookup(const Target &t)
{
	sim::Host::Key k{t.lport, t.peer, t.pport};
	Obj o;

	if (t.h->conns.count(k)) {
		o.kind = Obj::kConn;
		o.p = t.h->conns[k];
	} else if (t.h->tws.count(k)) {
		o.kind = Obj::kTw;
		o.p = t.h->tws[k];
	} else if (t.h->reqs.count(k)) {
		o.kind = Obj::kReq;
		o.p = t.h->reqs[k];
	} else if (t.h->listeners.count(t.lport)) {
		o.kind = Obj::kListener;
		o.p = t.h->listeners[t.lport];
	}
	return o;
}

Edges Fuzz::EdgesOf(const Obj &o)
{
	Edges e;

	if (o.kind == Obj::kConn) {
		const at_conn *c = o.conn();
		uint32_t adv = at_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
		e.rcv_nxt = c->rcv_nxt;
		e.wnd = std::max(c->rcv_ring.size - c->rcv_ring.len, adv);
		e.ring = std::max(c->rcv_ring.size, c->cfg.rcvbuf);
		e.snd_una = c->snd_una;
		e.snd_max = c->snd_max;
		e.max_window = c->max_window;
		e.iss = c->iss;
		e.ts = c->ts_ok;
		e.ts_recent = c->ts_recent;
	} else if (o.kind == Obj::kTw) {
		const at_tw *tw = o.tw();
		e.rcv_nxt = tw->rcv_nxt;
		e.wnd = tw->rcv_wnd;
		e.ring = 1 << 20;
		e.snd_una = e.snd_max = tw->snd_nxt;
		e.ts = tw->ts_ok;
		e.ts_recent = tw->ts_recent;
	} else if (o.kind == Obj::kReq) {
		const at_req *r = o.req();
		e.rcv_nxt = r->irs + 1;
		e.wnd = 65535;
		e.ring = 65536;
		e.snd_una = r->iss;
		e.snd_max = r->iss + 1;
		e.iss = r->iss;
		e.ts = r->ts_ok;
		e.ts_recent = r->ts_recent;
	} else {
		e.rcv_nxt = (uint32_t)g_();
		e.wnd = 65535;
		e.ring = 65536;
		e.snd_una = (uint32_t)g_();
		e.snd_max = e.snd_una + R(100000);
		e.iss = e.snd_una;
	}
	return e;
}

// What an unacceptable segment must leave exactly as it was.
std::string Fuzz::Describe(const Obj &o)
{
	std::ostringstream s;

	s << o.kind << " " << o.p;
	if (o.kind == Obj::kConn) {
		const at_conn *c = o.conn();
		s << " state " << (int)c->state << " rcv_nxt " << c->rcv_nxt << " snd_una "
		  << c->snd_una << " snd_nxt " << c->snd_nxt << " snd_max " << c->snd_max
		  << " snd_wnd " << c->snd_wnd << " wl " << c->snd_wl1 << "/" << c->snd_wl2
		  << " max_window " << c->max_window << " ts_recent " << c->ts_recent
		  << " rcv_len " << c->rcv_ring.len << " ooo " << (int)c->nr_ooo << " sacked "
		  << (int)c->nr_sacked << " cwnd " << c->cwnd << " ssthresh " << c->ssthresh
		  << " dupacks " << c->dupacks << " recovery " << c->in_recovery << " fin "
		  << c->rcv_fin << c->rcv_fin_pending << c->fin_acked << " err " << c->err
		  << " irs " << c->irs;
	} else if (o.kind == Obj::kTw) {
		s << " rcv_nxt " << o.tw()->rcv_nxt << " snd_nxt " << o.tw()->snd_nxt
		  << " ts_recent " << o.tw()->ts_recent;
	} else if (o.kind == Obj::kReq) {
		s << " iss " << o.req()->iss << " irs " << o.req()->irs << " ts_recent "
		  << o.req()->ts_recent;
	}
	return s.str();
}

uint32_t Fuzz::PickLen()
{
	switch (g_() % 10) {
	case 0: case 1: case 2: case 3:
		return 0;
	case 4: case 5:
		return 1 + R(100);
	case 6: case 7:
		return 100 + R(1400);
	case 8:
		return 1500 + R(64036);
	default:
		return g_() % 2 ? 65535 : 65495;
	}
}

std::vector<uint8_t> Fuzz::PickOpts(const Edges &e)
{
	static const uint16_t kMssVals[] = {0, 1, 11, 12, 13, 64, 536, 1460, 9000, 65535};
	static const uint8_t kWsVals[] = {0, 7, 14, 15, 255};

	switch (g_() % 8) {
	case 0: case 1:
		return {};
	case 2: case 3:
		return RandomOptions(g_, R(41));
	default: {
		at_opts o{};
		o.present = (uint8_t)(g_() & 0xf);
		if (g_() % 2)
			o.present |= AT_OPT_TS;
		o.mss = g_() % 3 ? kMssVals[R(sizeof(kMssVals) / 2)] : (uint16_t)g_();
		o.wscale = g_() % 3 ? kWsVals[R(sizeof(kWsVals))] : (uint8_t)g_();
		static const int32_t kTs[] = {0, 1, -1, -2, 1000, INT32_MIN, INT32_MAX};
		o.tsval = e.ts && g_() % 4 ? e.ts_recent + (uint32_t)kTs[R(7)] : (uint32_t)g_();
		o.tsecr = (uint32_t)g_();
		o.nr_sack = (uint8_t)R(AT_MAX_SACK + 1);
		uint32_t span = e.snd_max - e.snd_una + 2;
		for (auto &b : o.sack) {
			b.start = g_() % 4 ? e.snd_una + R(span) - 1 : (uint32_t)g_();
			b.end = g_() % 4 ? b.start + R(span) : (uint32_t)g_();
		}
		return OptBytes(o);
	}
	}
}

// Any segment, aimed near the landmarks of what it meets.
Seg Fuzz::Anything(const Edges &e, bool req)
{
	static const uint8_t kFlags[] = {
		0, AT_SYN, AT_SYN | AT_ACK, AT_ACK, AT_ACK | AT_PSH, AT_FIN | AT_ACK,
		AT_RST, AT_RST | AT_ACK, AT_SYN | AT_FIN, AT_SYN | AT_RST, 0x3f, AT_FIN,
		AT_URG | AT_ACK, AT_FIN | AT_PSH | AT_ACK, AT_SYN | AT_FIN | AT_ACK,
	};
	Seg s;

	s.flags = g_() % 3 ? kFlags[R(sizeof(kFlags))] : (uint8_t)(g_() & 0x3f);
	s.len = PickLen();
	switch (g_() % 12) {
	case 0: s.seq = e.rcv_nxt; break;
	case 1: s.seq = e.rcv_nxt - 1; break;
	case 2: s.seq = e.rcv_nxt + 1; break;
	case 3: s.seq = e.rcv_nxt + e.wnd; break;
	case 4: s.seq = e.rcv_nxt + e.wnd - 1; break;
	case 5: s.seq = e.rcv_nxt - s.len; break;
	case 6: s.seq = e.rcv_nxt + R(e.wnd + 1); break;
	case 7: s.seq = e.rcv_nxt - R(70000); break;
	case 8: s.seq = e.rcv_nxt + 0x80000000u - R(2); break;
	case 9: s.seq = e.rcv_nxt - 1 - s.len; break;
	default: s.seq = (uint32_t)g_(); break;
	}
	switch (g_() % 12) {
	case 0: s.ack = e.snd_una; break;
	case 1: s.ack = e.snd_una - 1; break;
	case 2: s.ack = e.snd_una + 1; break;
	case 3: s.ack = e.snd_max; break;
	case 4: s.ack = e.snd_max + 1; break;
	case 5: s.ack = e.snd_una + R(e.snd_max - e.snd_una + 1); break;
	case 6: s.ack = e.snd_una - e.max_window - 1 - R(2); break;
	case 7: s.ack = req || g_() % 2 ? e.iss + 1 : e.iss; break;
	case 8: s.ack = e.snd_una + 0x80000000u; break;
	default: s.ack = (uint32_t)g_(); break;
	}
	s.window = g_() % 4 ? (uint16_t)g_() : (uint16_t)(g_() % 2 ? 0 : 65535);
	s.urg = (uint16_t)g_();
	s.opts = PickOpts(e);
	if (g_() % 8 == 0)
		s.junk_bits = (uint8_t)g_();
	return s;
}

// A segment RFC 9293 (with RFC 5961 and RFC 7323) says to drop, shaped for
// what it meets.  Every shape below is unacceptable wherever the receive
// window really is, so the expectation needs no copy of the core's logic.
Seg Fuzz::Unacceptable(const Obj &o, const Edges &e)
{
	Seg s;

	s.len = PickLen();
	s.window = (uint16_t)g_();
	s.urg = (uint16_t)g_();
	s.opts = PickOpts(e);
	s.seq = (uint32_t)g_();
	s.ack = (uint32_t)g_();
	if (g_() % 8 == 0)
		s.junk_bits = (uint8_t)g_();
	uint32_t far = e.ring + 65536 + 2;	// beyond any window we could offer
	uint32_t inwnd = g_() % 2 ? e.rcv_nxt : e.rcv_nxt + R(std::max(e.wnd, 1u));
	uint8_t extra = (uint8_t)(g_() & (AT_PSH | AT_URG | AT_FIN));

	if (o.kind == Obj::kReq || o.kind == Obj::kListener) {
		// A SYN_RECV entry, or a listener that answered with a cookie.
		bool req = o.kind == Obj::kReq;
		switch (g_() % (req ? 7 : 4)) {
		case 0:	// ACK of something we never sent: RST, keep the entry
			s.flags = AT_ACK | extra;
			s.ack = e.iss + 2 + R(0x7fffff00);
			s.seq = g_() % 2 ? e.rcv_nxt : inwnd;
			break;
		case 1:	// SYN+ACK: RST
			s.flags = AT_SYN | AT_ACK | extra;
			s.ack = e.iss + 2 + R(0x7fffff00);
			break;
		case 2:	// neither SYN, ACK nor RST: drop
			s.flags = extra;
			break;
		case 3:	// RST with a sequence number outside the window: drop
			s.flags = AT_RST | (uint8_t)(g_() & AT_ACK) | extra;
			s.seq = g_() % 2 ? e.rcv_nxt - 1 - R(1u << 30) : e.rcv_nxt + far + R(1u << 30);
			break;
		case 4:	// a retransmitted or a different SYN: SYN+ACK again, or drop
			s.flags = AT_SYN | extra;
			s.seq = g_() % 2 ? e.rcv_nxt - 1 : (uint32_t)g_();
			break;
		case 5:	// the right ACK number, the sequence number outside the window
			s.flags = AT_ACK | extra;
			s.ack = e.iss + 1;
			s.seq = g_() % 2 ? e.rcv_nxt - 2 - s.len - R(1u << 30) :
					   e.rcv_nxt + far + R(1u << 30);
			break;
		default:	// the right ACK number with an old timestamp (PAWS)
			if (!e.ts) {
				s.flags = extra & ~AT_FIN;
				break;
			}
			s.flags = AT_ACK | extra;
			s.ack = e.iss + 1;
			s.seq = e.rcv_nxt;
			at_opts ts{};
			ts.present = AT_OPT_TS;
			ts.tsval = e.ts_recent - 2 - R(1u << 30);
			s.opts = OptBytes(ts);
			break;
		}
		return s;
	}
	if (o.kind == Obj::kTw ||
	    (o.kind == Obj::kConn && o.conn()->state == AT_TIME_WAIT)) {
		// Anything but a RST at rcv_nxt (assassination) or a new SYN.
		s = Anything(e, false);
		if ((s.flags & AT_RST) && s.seq == e.rcv_nxt)
			s.seq++;
		if ((s.flags & (AT_SYN | AT_RST | AT_ACK)) == AT_SYN)
			s.flags |= AT_ACK;
		return s;
	}
	if (o.kind == Obj::kConn && o.conn()->state == AT_SYN_SENT) {
		if (g_() % 2) {	// an ACK of anything but our SYN: RST
			s.flags = AT_ACK | (uint8_t)(g_() & (AT_SYN | AT_RST | AT_FIN | AT_PSH | AT_URG));
			s.ack = e.iss + 2 + R(0xfffffffe);
		} else {	// no SYN, no ACK: drop
			s.flags = (uint8_t)(g_() & (AT_RST | AT_FIN | AT_PSH | AT_URG));
		}
		return s;
	}
	// A synchronized connection.
	at_opts ts{};
	switch (g_() % (e.ts ? 8 : 7)) {
	case 0:	// beyond the window, any flags
		s.flags = (uint8_t)(g_() & 0x3f);
		s.seq = e.rcv_nxt + far + R(1u << 30);
		break;
	case 1:	// wholly below rcv_nxt: an old duplicate, any flags
		s.flags = (uint8_t)(g_() & 0x3f);
		s.seq = e.rcv_nxt - s.len - 3 - R(1u << 30);
		break;
	case 2:	// in the window without ACK: drop
		s.flags = extra;
		s.seq = inwnd;
		break;
	case 3:	// RST in the window but not at rcv_nxt: challenge ACK
		s.flags = AT_RST | (uint8_t)(g_() & (AT_ACK | AT_SYN)) | extra;
		s.seq = e.rcv_nxt + 1 + R(std::max(e.wnd, 2u) - 1);
		break;
	case 4:	// SYN in the window: challenge ACK
		s.flags = AT_SYN | (uint8_t)(g_() & AT_ACK) | extra;
		s.seq = inwnd;
		break;
	case 5:	// in the window, ACK of data never sent: ACK, drop
		s.flags = AT_ACK | extra;
		s.seq = inwnd;
		s.ack = e.snd_max + 1 + R(1u << 30);
		if (g_() % 2) {	// with a timestamp that must not be taken
			ts.present = AT_OPT_TS;
			ts.tsval = e.ts_recent + 1 + R(1u << 30);
			s.opts = OptBytes(ts);
		}
		break;
	case 6:	// in the window, ACK below anything in flight (RFC 5961 5.2)
		s.flags = AT_ACK | extra;
		s.seq = inwnd;
		s.ack = e.snd_una - e.max_window - 2 - R(1u << 29);
		if (g_() % 2) {
			ts.present = AT_OPT_TS;
			ts.tsval = e.ts_recent + 1 + R(1u << 30);
			s.opts = OptBytes(ts);
		}
		break;
	default:	// data with an old timestamp (PAWS)
		s.flags = AT_ACK | extra;
		s.seq = inwnd;
		s.ack = e.snd_una + R(e.snd_max - e.snd_una + 1);
		s.len = std::max(s.len, 1u);
		ts.present = AT_OPT_TS;
		ts.tsval = e.ts_recent - 2 - R(1u << 30);
		s.opts = OptBytes(ts);
		break;
	}
	return s;
}

void Fuzz::Setup()
{
	uint32_t s = (uint32_t)seed_;
	sim::App *srv;

	switch (scene_) {
	case kListen:
		up_ = Pattern(30000, s);
		down_ = Pattern(20000, s + 1);
		server_work_ = [this](sim::App *a) { Workload(a, down_, true, true); };
		n_.Listen();
		n_.s.DropAll([](const Cap &c) { return c.src == A && c.PureAck(); });
		for (int i = 0; i < 2; i++)
			Connect();
		n_.s.RunFor(20 * kMs);
		for (sim::App *c : clients_) {
			uint16_t port = c->c->tuple.lport;
			targets_.push_back({&n_.b, A, port, kPort});
			targets_.push_back({&n_.a, B, kPort, port});
			for (const Cap &sa : n_.From(B, [&](const Cap &x) { return x.SynAck() && x.dport == port; }))
				cookie_iss_[port] = sa.seq;
		}
		break;
	case kSynSent:
		up_ = Pattern(30000, s);
		down_ = Pattern(20000, s + 1);
		server_work_ = [this](sim::App *a) { Workload(a, down_, true, true); };
		n_.Listen();
		n_.s.DropAll([](const Cap &c) { return c.src == B; });
		Connect();
		Workload(clients_[0], up_, true, true);
		n_.s.RunFor(10 * kMs);
		ASSERT_EQ(clients_[0]->state(), AT_SYN_SENT);
		targets_.push_back({&n_.a, B, kPort, clients_[0]->c->tuple.lport});
		break;
	case kEstablished:
		up_ = Pattern(300000, s);
		down_ = Pattern(300000, s + 1);
		server_work_ = [this](sim::App *a) { Workload(a, down_, false, false); };
		n_.Listen();
		Connect();
		Workload(clients_[0], up_, false, false);
		ASSERT_TRUE(n_.Run([&] {
			return n_.Server() && clients_[0]->c->bytes_acked > 30000 &&
			       n_.Server()->c->bytes_acked > 30000;
		}, 10 * kSec));
		n_.s.RunFor(R(20) * kMs);
		break;
	case kFinWait1:
		up_ = Pattern(100000, s);
		down_ = Pattern(100000, s + 1);
		server_work_ = [this](sim::App *a) { Workload(a, down_, false, false); };
		n_.Listen();
		Connect();
		Workload(clients_[0], up_, true, false);
		ASSERT_TRUE(n_.Run([&] {
			return n_.Server() && n_.Server()->c->bytes_acked > 10000 &&
			       clients_[0]->state() == AT_FIN_WAIT1;
		}, 10 * kSec));
		break;
	case kFinWait2:
		up_ = Pattern(5000, s);
		down_ = Pattern(400000, s + 1);
		server_work_ = [this](sim::App *a) { Workload(a, down_, false, false); };
		n_.Listen();
		Connect();
		Workload(clients_[0], up_, true, false);
		ASSERT_TRUE(n_.Run([&] {
			return n_.Server() && clients_[0]->state() == AT_FIN_WAIT2 &&
			       n_.Server()->state() == AT_CLOSE_WAIT &&
			       n_.Server()->c->snd_max != n_.Server()->c->snd_una;
		}, 10 * kSec));
		break;
	case kClosing:
		up_ = Pattern(8000, s);
		down_ = Pattern(8000, s + 1);
		n_.Listen();
		Connect();
		ASSERT_TRUE(n_.Run([&] { return clients_[0]->connected && n_.Server(); }, kSec));
		srv = n_.Server();
		Workload(clients_[0], up_, false, false);
		Workload(srv, down_, false, false);
		clients_[0]->Shutdown(AT_SHUT_WR);
		srv->Shutdown(AT_SHUT_WR);
		ASSERT_TRUE(n_.Run([&] {
			return clients_[0]->state() == AT_CLOSING && srv->state() == AT_CLOSING;
		}, kSec));
		break;
	case kLastAck:
		up_ = Pattern(30000, s);
		down_ = Pattern(50000, s + 1);
		n_.Listen();
		Connect();
		Workload(clients_[0], up_, true, false);
		ASSERT_TRUE(n_.Run([&] { return n_.Server() && n_.Server()->eof; }, 10 * kSec));
		Workload(n_.Server(), down_, true, false);
		ASSERT_TRUE(n_.Run([&] { return n_.Server()->state() == AT_LAST_ACK; }, kSec));
		break;
	case kTimeWait:
		up_ = Pattern(20000, s);
		down_ = Pattern(20000, s + 1);
		server_work_ = [this](sim::App *a) { Workload(a, down_, true, true); };
		n_.Listen();
		Connect();
		Workload(clients_[0], up_, true, false);
		ASSERT_TRUE(n_.Run([&] {
			return clients_[0]->state() == AT_TIME_WAIT && clients_[0]->eof &&
			       n_.b.conns.empty();
		}, 10 * kSec));
		break;
	}
	if (targets_.empty()) {
		uint16_t port = clients_[0]->c->tuple.lport;
		targets_.push_back({&n_.a, B, kPort, port});
		if (n_.Server())
			targets_.push_back({&n_.b, A, port, kPort});
	}
	std::string bad = Check();
	ASSERT_TRUE(bad.empty()) << "before the burst:\n" << bad;
}

void Fuzz::Burst(int segs)
{
	for (int i = 0; i < segs; i++) {
		if (scene_ == kTimeWait && i == segs / 2)
			clients_[0]->Close();	// from here on a compact entry
		n_.s.now += R(100);
		if (g_() % 10 == 0) {
			// A stranger: an unused port, whatever it meets.
			sim::Host *h = g_() % 2 ? &n_.a : &n_.b;
			Target t{h, g_() % 2 ? (h == &n_.a ? B : A) : C, (uint16_t)(1024 + R(28000)),
				 (uint16_t)(h == &n_.b && g_() % 2 ? kPort : 1024 + R(28000))};
			Obj o = Lookup(t);
			Seg s = Anything(EdgesOf(o), false);
			h->Deliver(Build(t.pport, t.lport, s, junk_.data()), t.peer, n_.s.now);
		} else {
			const Target &t = targets_[R((uint32_t)targets_.size())];
			Obj o = Lookup(t);
			Edges e = EdgesOf(o);
			bool strict = mode_ == Mode::kUnacceptable;
			if (strict && o.kind == Obj::kListener && cookie_iss_.count(t.pport))
				e.iss = cookie_iss_[t.pport];
			Seg s = strict ? Unacceptable(o, e) : Anything(e, o.kind == Obj::kReq);
			std::string before = Describe(o);
			uint64_t out = ha_.emitted + hb_.emitted;
			t.h->Deliver(Build(t.pport, t.lport, s, junk_.data()), t.peer, n_.s.now);
			answered += ha_.emitted + hb_.emitted != out;
			std::string after = Describe(Lookup(t));
			moved += before != after;
			if (strict) {
				ASSERT_EQ(before, after)
					<< "an unacceptable segment changed " << SceneName(scene_)
					<< ": flags " << (int)s.flags << " seq " << s.seq << " ack "
					<< s.ack << " len " << s.len << " opts " << s.opts.size()
					<< " bytes, segment " << i;
			}
		}
		injected++;
		std::string bad = Check();
		ASSERT_TRUE(bad.empty()) << "after segment " << i << " in " << SceneName(scene_)
					 << ":\n" << bad;
		if (mode_ == Mode::kAnything && i % 64 == 63) {
			// Let the applications and the honest peer react now and then.
			n_.s.RunFor(R(3) * kMs);
			bad = Check();
			ASSERT_TRUE(bad.empty()) << "after running at segment " << i << ":\n" << bad;
		}
	}
}

void Fuzz::Finish()
{
	n_.s.ClearFilters();
	switch (scene_) {
	case kListen:
		for (sim::App *c : clients_)
			Workload(c, up_, true, true);
		break;
	case kEstablished:
	case kFinWait1:
	case kFinWait2:
	case kClosing:
	case kLastAck:
		for (sim::App *a : Apps()) {
			if (!a->released) {
				a->shutdown_when_sent = true;
				a->close_on_eof = true;
			}
		}
		n_.a.Pump(n_.s.now);
		n_.b.Pump(n_.s.now);
		break;
	default:
		break;
	}
}

// Everything the workload opened is done and given back.
bool Fuzz::Quiet()
{
	for (sim::App *a : Apps())
		if (!a->released)
			return false;
	return n_.a.live == 0 && n_.b.live == 1 && n_.b.reqs.empty() && n_.a.tws.empty() &&
	       n_.b.tws.empty();
}

void Fuzz::Recover()
{
	std::string bad;
	auto watch = [&] {
		bad = Check();
		return !bad.empty() || Quiet();
	};

	if (mode_ == Mode::kUnacceptable) {
		// The honest transfer goes on as if nothing had happened.
		bool done = n_.Run(watch, 900 * kSec);
		ASSERT_TRUE(bad.empty()) << "while recovering:\n" << bad;
		ASSERT_TRUE(done) << "the workload did not finish after unacceptable segments\n"
				  << "client:\n" << Events(n_.a) << "server:\n" << Events(n_.b);
		ASSERT_EQ(servers_.size(), clients_.size())
			<< "connections lost to unacceptable segments";
		for (sim::App *c : clients_) {
			EXPECT_EQ(c->err, 0);
			EXPECT_TRUE(c->rx == down_) << "client received " << c->rx.size() << " of "
						    << down_.size() << " bytes, or wrong bytes";
		}
		for (sim::App *a : servers_) {
			EXPECT_EQ(a->err, 0);
			EXPECT_TRUE(a->rx == up_) << "server received " << a->rx.size() << " of "
						  << up_.size() << " bytes, or wrong bytes";
		}
		return;
	}
	// Whatever state the burst left: the applications let go, and the
	// engine must then give everything back within bounded time.
	n_.s.RunUntil(watch, n_.s.now + 120 * kSec);
	ASSERT_TRUE(bad.empty()) << "after the burst:\n" << bad;
	for (sim::App *a : Apps()) {
		resets += a->err != 0;
		a->Close();
	}
	n_.s.RunUntil(watch, n_.s.now + 600 * kSec);
	ASSERT_TRUE(bad.empty()) << "while closing:\n" << bad;
	EXPECT_TRUE(Quiet()) << "not reclaimed: client " << n_.a.live << " allocations, server "
			     << n_.b.live << " (listener 1), " << n_.b.reqs.size() << " requests\n"
			     << "client:\n" << Events(n_.a) << "server:\n" << Events(n_.b);
}

void Fuzz::Run(int segs)
{
	Setup();
	if (::testing::Test::HasFatalFailure())
		return;
	Burst(segs);
	if (::testing::Test::HasFatalFailure())
		return;
	Finish();
	Recover();
	if (::testing::Test::HasFatalFailure())
		return;
	n_.a.Teardown();
	n_.b.Teardown();
	EXPECT_EQ(n_.a.live, 0);
	EXPECT_EQ(n_.b.live, 0);
}

void RunScene(Scene scene, Mode mode, int seeds = 4, int segs = 3000)
{
	uint64_t injected = 0, answered = 0, moved = 0, resets = 0;

	for (uint64_t seed : Seeds(1, seeds)) {
		SCOPED_TRACE(SeedTrace(seed));
		Fuzz f(seed, scene, mode);
		f.Run(SegsPerBurst(segs));
		injected += f.injected;
		answered += f.answered;
		moved += f.moved;
		resets += f.resets;
		if (::testing::Test::HasFatalFailure())
			return;
	}
	printf("%s, %s segments: %lu injected, %lu answered, %lu changed state, "
	       "%lu connections reset\n", SceneName(scene),
	       mode == Mode::kUnacceptable ? "unacceptable" : "any", (unsigned long)injected,
	       (unsigned long)answered, (unsigned long)moved, (unsigned long)resets);
}

}  // namespace

/* ---------------- option parser ---------------- */

TEST(FuzzOptions, HeaderIsTakenExactlyWhenTheDataOffsetFits)
{
	for (uint64_t seed : Seeds(1, 1)) {
		SCOPED_TRACE(SeedTrace(seed));
		std::mt19937_64 g(seed);
		for (uint32_t len = 0; len <= 80; len++) {
			for (uint32_t doff = 0; doff < 16; doff++) {
				for (int k = 0; k < 20; k++) {
					// Exactly len bytes: ASan sees any read past them.
					std::vector<uint8_t> buf(len);
					for (auto &b : buf)
						b = (uint8_t)g();
					if (len > 12)
						buf[12] = (uint8_t)(doff << 4 | (buf[12] & 0xf));
					at_seg seg;
					bool fits = len >= 20 && doff * 4 >= 20 && doff * 4 <= len;
					int rc = at_parse_tcp_header(buf.data(), len, &seg);
					ASSERT_EQ(rc == 0, fits) << "len " << len << " doff " << doff;
					if (rc)
						continue;
					ASSERT_EQ(seg.len, len - doff * 4);
					ASSERT_EQ(seg.data, buf.data() + doff * 4);
					ASSERT_EQ(seg.seq, Get32(&buf[4]));
					ASSERT_EQ(seg.ack, Get32(&buf[8]));
					ASSERT_EQ(seg.flags, buf[13] & 0x3f);
					ASSERT_EQ(seg.window, Get16(&buf[14]));
				}
			}
		}
	}
}

TEST(FuzzOptions, RandomOptionBytesOfEveryLengthParseAsTheRfcsSay)
{
	long parsed = 0;

	for (uint64_t seed : Seeds(1, 2)) {
		SCOPED_TRACE(SeedTrace(seed));
		std::mt19937_64 g(seed);
		for (size_t n = 0; n <= 40; n++) {
			for (int k = 0; k < 2000; k++) {
				std::vector<uint8_t> o = k % 4 ? RandomOptions(g, n) :
						         std::vector<uint8_t>(n);
				if (k % 4 == 0)
					for (auto &b : o)
						b = (uint8_t)g();
				// Options pad to whole words; the pad is EOL.
				size_t olen = (n + 3) & ~(size_t)3;
				std::vector<uint8_t> buf(20 + olen, 0);
				buf[12] = (uint8_t)((20 + olen) / 4 << 4);
				if (n)
					memcpy(&buf[20], o.data(), n);
				at_seg seg;
				ASSERT_EQ(at_parse_tcp_header(buf.data(), (uint32_t)buf.size(), &seg), 0);
				at_opts want = RefParse(&buf[20], olen);
				ASSERT_TRUE(SameOpts(seg.opt, want))
					<< "got  " << OptsStr(seg.opt) << "\nwant " << OptsStr(want);
				ASSERT_LE(seg.opt.wscale, 14);
				ASSERT_LE(seg.opt.nr_sack, AT_MAX_SACK);
				ASSERT_EQ(seg.len, 0u);
				parsed++;
			}
		}
	}
	printf("%ld option lists parsed\n", parsed);
}

TEST(FuzzOptions, MalformedOptionsAreSkippedOrEndTheList)
{
	struct Case {
		const char *what;
		std::vector<uint8_t> opts;
		uint8_t present;
		uint16_t mss;
		uint8_t wscale;
		uint8_t nr_sack;
	};
	std::vector<uint8_t> nops(36, 1);
	nops.insert(nops.end(), {3, 3, 7, 0});
	std::vector<uint8_t> sack4 = {5, 34};
	sack4.resize(36, 9);
	std::vector<uint8_t> unknown40 = {99, 40};
	unknown40.resize(40, 3);
	const std::vector<Case> cases = {
		{"kind with length 0 ends the list", {2, 0, 5, 180, 3, 3, 7, 0}, 0, 0, 0, 0},
		{"kind with length 1 ends the list", {3, 1, 4, 2}, 0, 0, 0, 0},
		{"length beyond the end ends the list", {1, 1, 1, 1, 3, 3, 7, 8, 10, 0, 0, 0}, AT_OPT_WSCALE, 0, 7, 0},
		{"EOL ends the list", {0, 2, 4, 5, 180, 0, 0, 0}, 0, 0, 0, 0},
		{"NOP run", nops, AT_OPT_WSCALE, 0, 7, 0},
		{"MSS 0 is parsed as 0", {2, 4, 0, 0}, AT_OPT_MSS, 0, 0, 0},
		{"the last duplicate wins", {2, 4, 1, 0, 2, 4, 5, 180}, AT_OPT_MSS, 1460, 0, 0},
		{"wscale 15 means 14", {3, 3, 15, 0}, AT_OPT_WSCALE, 0, 14, 0},
		{"wscale 255 means 14", {3, 3, 255, 0}, AT_OPT_WSCALE, 0, 14, 0},
		{"wrong-length wscale is skipped", {3, 4, 7, 0, 4, 2, 0, 0}, AT_OPT_SACK_OK, 0, 0, 0},
		{"wrong-length MSS is skipped", {2, 3, 5, 3, 3, 2, 0, 0}, AT_OPT_WSCALE, 0, 2, 0},
		{"wrong-length TS is skipped", {8, 9, 1, 2, 3, 4, 5, 6, 7, 4, 2, 0}, AT_OPT_SACK_OK, 0, 0, 0},
		{"SACK of one block", {5, 10, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0}, 0, 0, 0, 1},
		{"SACK of a bad length is skipped", {5, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0, 4, 2, 0, 0, 0}, AT_OPT_SACK_OK, 0, 0, 0},
		{"SACK without blocks is skipped", {5, 2, 4, 2}, AT_OPT_SACK_OK, 0, 0, 0},
		{"SACK of four blocks", sack4, 0, 0, 0, 4},
		{"unknown kind is skipped", {99, 2, 3, 3, 2, 0, 0, 0}, AT_OPT_WSCALE, 0, 2, 0},
		{"unknown kind filling the area", unknown40, 0, 0, 0, 0},
	};

	for (const Case &c : cases) {
		SCOPED_TRACE(c.what);
		size_t olen = (c.opts.size() + 3) & ~(size_t)3;
		ASSERT_LE(olen, 40u);
		std::vector<uint8_t> buf(20 + olen, 0);
		buf[12] = (uint8_t)((20 + olen) / 4 << 4);
		memcpy(&buf[20], c.opts.data(), c.opts.size());
		at_seg seg;
		ASSERT_EQ(at_parse_tcp_header(buf.data(), (uint32_t)buf.size(), &seg), 0);
		EXPECT_EQ(seg.opt.present, c.present);
		EXPECT_EQ(seg.opt.mss, c.mss);
		EXPECT_EQ(seg.opt.wscale, c.wscale);
		EXPECT_EQ(seg.opt.nr_sack, c.nr_sack);
	}
}

// A peer's MSS and window scale go straight into the send path: whatever
// they are (MSS 0 means none, RFC 9293; a shift above 14 means 14, RFC
// 7323), data segments stay within the MSS, never below the core's floor
// of 64 bytes, and never above what the route allows.
TEST(FuzzOptions, HostileMssAndWindowScaleGiveSaneSegmentSizes)
{
	const int mss_vals[] = {-1, 0, 1, 11, 12, 13, 63, 64, 75, 76, 77, 536, 1459, 1460, 1461, 65535};
	const int ws_vals[] = {-1, 0, 14, 15, 255};

	for (bool ts : {false, true})
	for (int mss : mss_vals)
	for (int ws : ws_vals)
	for (bool passive : {true, false}) {
		SCOPED_TRACE(std::string(passive ? "listener" : "connect") + " ts " +
			     std::to_string(ts) + " mss " + std::to_string(mss) + " wscale " +
			     std::to_string(ws));
		Net n;
		at_opts o{};
		if (mss >= 0) {
			o.present |= AT_OPT_MSS;
			o.mss = (uint16_t)mss;
		}
		if (ws >= 0) {
			o.present |= AT_OPT_WSCALE;
			o.wscale = (uint8_t)ws;
		}
		if (ts) {
			o.present |= AT_OPT_TS;
			o.tsval = 1;
		}
		Seg s;
		s.window = 65535;
		sim::App *app;
		if (passive) {
			n.Listen();
			s.flags = AT_SYN;
			s.seq = 1000;
			s.opts = OptBytes(o);
			n.b.Deliver(Build(5000, kPort, s, nullptr), C, n.s.now);
			n.s.RunFor(kMs);
			auto sa = n.From(B, [](const Cap &c) { return c.SynAck(); });
			ASSERT_EQ(sa.size(), 1u);
			s.flags = AT_ACK;
			s.seq = 1001;
			s.ack = sa[0].seq + 1;
			o.present &= AT_OPT_TS;
			o.tsval = 2;
			o.tsecr = sa[0].opt.tsval;
			s.opts = OptBytes(o);
			n.b.Deliver(Build(5000, kPort, s, nullptr), C, n.s.now);
			n.b.Pump(n.s.now);
			app = n.Server();
		} else {
			app = n.a.Connect(C, kPort);
			auto syn = n.From(A);
			ASSERT_EQ(syn.size(), 1u);
			s.flags = AT_SYN | AT_ACK;
			s.seq = 7000;
			s.ack = syn[0].seq + 1;
			o.tsecr = syn[0].opt.tsval;
			s.opts = OptBytes(o);
			n.a.Deliver(Build(kPort, syn[0].sport, s, nullptr), C, n.s.now);
		}
		ASSERT_TRUE(app != nullptr && app->state() == AT_ESTABLISHED);
		uint32_t peer = mss > 0 ? std::min<uint32_t>(mss, kMss) : 536;
		uint32_t want = std::max<uint32_t>(peer > 12u * ts ? peer - 12 * ts : 0, 64);
		EXPECT_EQ(app->c->snd_mss, want);
		EXPECT_EQ(app->c->snd_wscale, ws >= 0 ? std::min(ws, 14) : 0);
		auto data = Pattern(20000);
		app->Send(data.data(), data.size());
		auto segs = n.From(passive ? B : A, [](const Cap &c) { return c.len > 0; });
		ASSERT_FALSE(segs.empty());
		for (const Cap &c : segs)
			ASSERT_LE(c.len, want) << c.Str();
	}
}

/* ---------------- segments in every state ---------------- */

#define FUZZ_SCENE(name, scene)								\
	TEST(FuzzSegments, name##_UnacceptableSegmentsChangeNothingAndTransferIsByteExact) \
	{										\
		RunScene(scene, Mode::kUnacceptable);					\
	}										\
	TEST(FuzzSegments, name##_AnySegmentsKeepInvariantsAndEverythingIsReclaimed)	\
	{										\
		RunScene(scene, Mode::kAnything);					\
	}

FUZZ_SCENE(ListenWithRequests, kListen)
FUZZ_SCENE(SynSent, kSynSent)
FUZZ_SCENE(EstablishedWithDataBothWays, kEstablished)
FUZZ_SCENE(FinWait1, kFinWait1)
FUZZ_SCENE(FinWait2AndCloseWait, kFinWait2)
FUZZ_SCENE(Closing, kClosing)
FUZZ_SCENE(LastAck, kLastAck)
FUZZ_SCENE(TimeWait, kTimeWait)

/* ---------------- what the fuzzer found ---------------- */

// conn.c:at_conn_init_mss() subtracted the timestamp option from a peer MSS
// smaller than the option and wrapped: a peer announcing MSS 1 got one
// 20000-byte segment instead of 64-byte ones.
TEST(FuzzRegression, PeerMssBelowTimestampOptionKeepsSegmentsAtTheFloor)
{
	Net n;
	n.Listen();
	at_opts o{};
	o.present = AT_OPT_MSS | AT_OPT_TS;
	o.mss = 1;
	o.tsval = 1;
	Seg s;
	s.flags = AT_SYN;
	s.seq = 1000;
	s.window = 65535;
	s.opts = OptBytes(o);
	n.b.Deliver(Build(5000, kPort, s, nullptr), C, n.s.now);
	Cap sa = n.From(B, [](const Cap &c) { return c.SynAck(); }).at(0);
	o.present = AT_OPT_TS;
	o.tsval = 2;
	o.tsecr = sa.opt.tsval;
	s.flags = AT_ACK;
	s.seq = 1001;
	s.ack = sa.seq + 1;
	s.opts = OptBytes(o);
	n.b.Deliver(Build(5000, kPort, s, nullptr), C, n.s.now);
	n.b.Pump(n.s.now);
	ASSERT_NE(n.Server(), nullptr);
	EXPECT_EQ(n.Server()->c->snd_mss, 64u);
	auto data = Pattern(20000);
	n.Server()->Send(data.data(), data.size());
	auto segs = n.From(B, [](const Cap &c) { return c.len > 0; });
	ASSERT_FALSE(segs.empty());
	for (const Cap &c : segs)
		EXPECT_EQ(c.len, 64u) << c.Str();
}

namespace {

// A client whose final ACK was lost: the server holds a request entry.
struct HalfOpen {
	Net n;
	Cap syn, sa;

	HalfOpen()
	{
		n.b.on_accept = [](sim::App *a) { a->close_on_eof = true; };
		n.Listen();
		n.s.DropAll([](const Cap &c) { return c.src == A && c.PureAck(); });
		n.Connect();
		n.s.RunFor(10 * kMs);
		syn = n.From(A, [](const Cap &c) { return c.SynOnly(); }).at(0);
		sa = n.From(B, [](const Cap &c) { return c.SynAck(); }).at(0);
	}

	// The client's final ACK, as the attacker who saw the SYN+ACK forges it.
	Seg FinalAck(uint32_t seq_off, uint32_t tsval)
	{
		Seg s;
		at_opts o{};
		s.flags = AT_ACK;
		s.seq = syn.seq + 1 + seq_off;
		s.ack = sa.seq + 1;
		s.window = 1000;
		o.present = AT_OPT_TS;
		o.tsval = tsval;
		o.tsecr = sa.opt.tsval;
		s.opts = OptBytes(o);
		return s;
	}

	void Inject(const Seg &s)
	{
		n.b.Deliver(Build(syn.sport, kPort, s, nullptr), A, n.s.now);
	}
};

}  // namespace

// req.c:at_req_input() made a child of any ACK with the right number; the
// child then dropped it (PAWS, or outside the window) and stayed in
// SYN_RECV with no timer and off the accept queue, pointing at its
// listener after the listener was gone (a use after free at teardown).
TEST(FuzzRegression, AckWithOldTimestampOrOutsideTheWindowKeepsTheRequest)
{
	for (int paws = 0; paws < 2; paws++) {
		SCOPED_TRACE(paws ? "old timestamp" : "sequence number outside the window");
		HalfOpen h;
		ASSERT_EQ(h.n.b.reqs.size(), 1u);
		ASSERT_TRUE(h.syn.opt.present & AT_OPT_TS);
		size_t before = h.n.From(B).size();
		h.Inject(h.FinalAck(paws ? 0 : 1000000, h.syn.opt.tsval - (paws ? 1000 : 0)));
		EXPECT_EQ(h.n.b.reqs.size(), 1u);
		EXPECT_TRUE(h.n.b.conns.empty());
		EXPECT_EQ(h.n.b.mib(AT_MIB_PAWS_REJECTED), paws ? 1u : 0u);
		// Answered with an ACK of the SYN, per RFC 9293 3.10.7.4.
		auto out = h.n.From(B);
		ASSERT_EQ(out.size(), before + 1);
		EXPECT_EQ(out.back().flags, AT_ACK);
		EXPECT_EQ(out.back().seq, h.sa.seq + 1);
		EXPECT_EQ(out.back().ack, h.syn.seq + 1);
		// The real client still gets through, byte-exact.
		h.n.s.ClearFilters();
		auto data = Pattern(30000);
		h.n.cli->Send(data.data(), data.size());
		h.n.cli->Close();
		ASSERT_TRUE(h.n.Run([&] { return h.n.Server() && h.n.Server()->eof; }, 10 * kSec));
		EXPECT_EQ(h.n.Server()->rx, data);
		h.n.srv->Close();
		h.n.s.RunFor(120 * kSec);
		h.n.a.Teardown();
		h.n.b.Teardown();
		EXPECT_EQ(h.n.a.live, 0);
		EXPECT_EQ(h.n.b.live, 0);
	}
}

// input.c took TS.Recent from an in-window segment before its ACK was
// checked: one forged segment acking unsent data (or far too old) with a
// TSval from the future made PAWS drop every honest segment after it.
TEST(FuzzRegression, DroppedAckDoesNotMoveTsRecent)
{
	for (int old_ack = 0; old_ack < 2; old_ack++) {
		SCOPED_TRACE(old_ack ? "ACK below the window" : "ACK of unsent data");
		Net n;
		ASSERT_TRUE(n.Open());
		at_conn *c = n.cli->c;
		ASSERT_TRUE(c->ts_ok);
		uint32_t ts_recent = c->ts_recent;
		Seg s;
		at_opts o{};
		s.flags = AT_ACK | AT_PSH;
		s.seq = c->rcv_nxt;
		s.ack = old_ack ? c->snd_una - c->max_window - 100 : c->snd_max + 1000;
		s.window = 1000;
		s.len = 10;
		o.present = AT_OPT_TS;
		o.tsval = ts_recent + (1u << 30);
		s.opts = OptBytes(o);
		auto junk = Pattern(10, 99);
		n.a.Deliver(Build(kPort, c->tuple.lport, s, junk.data()), B, n.s.now);
		EXPECT_EQ(c->ts_recent, ts_recent);
		EXPECT_EQ(c->rcv_nxt, s.seq);
		auto up = Pattern(100000, 1), down = Pattern(100000, 2);
		n.cli->Send(up.data(), up.size());
		n.Server()->Send(down.data(), down.size());
		ASSERT_TRUE(n.Run([&] {
			return n.Server()->rx.size() == up.size() && n.cli->rx.size() == down.size();
		}, 10 * kSec));
		EXPECT_EQ(n.Server()->rx, up);
		EXPECT_EQ(n.cli->rx, down);
		EXPECT_EQ(n.a.mib(AT_MIB_PAWS_REJECTED), 0u);
	}
}

/* ---------------- what the libFuzzer targets found (kmod/core/fuzz) ---------------- */

// timer.c:keepalive_timeout() gave up on a silent peer only with
// TCP_USER_TIMEOUT unset or positive.  Set to 0, which means "off" (as in
// Linux, and as the glue stores it), the connection probed a dead peer
// every keepalive_intvl forever.  Found by the fuzz harness's liveness
// check: after hours without a network nothing may still wait on the peer.
TEST(FuzzRegression, KeepaliveGivesUpWithUserTimeoutZero)
{
	for (int ut : {0, -1}) {
		SCOPED_TRACE(ut ? "user timeout unset" : "user timeout 0");
		Net n(Params([](at_params &p) {
			p.keepalive_time = 10;
			p.keepalive_intvl = 2;
			p.keepalive_probes = 3;
		}));
		ASSERT_TRUE(n.Open());
		at_overrides o;
		at_overrides_unset(&o);
		if (!ut)
			o.user_timeout_ms = 0;
		at_set_overrides(n.cli->c, &o, n.s.now);
		at_set_keepalive(n.cli->c, 1, n.s.now);
		uint64_t last = n.cli->c->last_rcv;
		n.s.DropAll([](const Cap &) { return true; });
		uint64_t when = 0;
		ASSERT_TRUE(n.Run([&] { return n.cli->state() == AT_CLOSED; }, 3600 * kSec));
		EXPECT_EQ(n.cli->err, AT_ETIMEDOUT);
		ASSERT_TRUE(HasTransition(n.a, AT_ESTABLISHED, AT_CLOSED, AT_R_KEEPALIVE_TIMEOUT, &when));
		// Probes at 10, 12 and 14 s of silence; the third goes unanswered.
		EXPECT_EQ(when - last, 16 * kSec);
		EXPECT_EQ(n.a.mib(AT_MIB_KEEPALIVE_PROBES), 3u);
	}
}

// rtx.c counted duplicate ACKs while only our SYN was in flight: closed
// in SYN_RECV (simultaneous open), a connection in FIN_WAIT1 took three
// ACKs of its ISN for loss, and fast retransmit sent "data" from snd_una,
// the SYN's own sequence number: a byte from before the send ring (from a
// NULL ring when nothing had been queued).  The SYN is the retransmission
// timer's to resend.  Once it was acked, the queued data then waited on a
// congestion window of 0 (only at_conn_established() set one) until the
// persist and retransmission timers got it out.
TEST(FuzzRegression, NoFastRetransmitOfTheSyn)
{
	for (int queued : {0, 1}) {
		SCOPED_TRACE(queued ? "data queued" : "nothing queued");
		Net n;
		sim::App *cli = n.a.Connect(C, kPort);
		ASSERT_NE(cli, nullptr);
		uint16_t port = cli->c->tuple.lport;
		uint32_t iss = cli->c->iss;
		Seg s;
		s.flags = AT_SYN;
		s.seq = 5000;
		s.window = 65535;
		n.a.Deliver(Build(kPort, port, s, nullptr), C, n.s.now);
		ASSERT_EQ(cli->state(), AT_SYN_RECV);
		auto up = Pattern(3000);
		if (queued)
			cli->Send(up.data(), up.size());
		cli->Shutdown(AT_SHUT_WR);
		ASSERT_EQ(cli->state(), AT_FIN_WAIT1);
		// A window update, then three duplicates, none acking the SYN.
		s.flags = AT_ACK;
		s.seq = 5001;
		s.ack = iss;
		s.window = 0;
		for (int i = 0; i < 4; i++)
			n.a.Deliver(Build(kPort, port, s, nullptr), C, n.s.now);
		EXPECT_TRUE(n.From(A, [](const Cap &c) { return c.len > 0; }).empty())
			<< Trace(n.s);
		EXPECT_EQ(cli->c->in_recovery, 0u);
		// The ACK of the SYN lets the data and the FIN go.
		s.ack = iss + 1;
		s.window = 65535;
		n.a.Deliver(Build(kPort, port, s, nullptr), C, n.s.now);
		auto data = n.From(A, [](const Cap &c) { return c.len > 0 || c.Fin(); });
		ASSERT_FALSE(data.empty());
		EXPECT_EQ(data[0].seq, iss + 1);
		uint32_t bytes = 0;
		for (const Cap &c : data)
			bytes += c.len;
		EXPECT_EQ(bytes, queued ? 3000u : 0u);
		EXPECT_TRUE(data.back().Fin());
	}
}

// output.c armed the RTT measurement only when snd_nxt had reached
// snd_max after send_segment() had already moved snd_max past it: no data
// segment was ever timed, and the RTO kept the handshake's sample for the
// connection's life.  A path whose RTT grew after the handshake saw
// spurious timeouts on every flight.  Found by the line coverage of the
// fuzz corpora (make fuzz-cov): the sampling code never ran.
TEST(FuzzRegression, DataSegmentsAreTimed)
{
	Net n;
	n.s.link.delay = kMs;
	ASSERT_TRUE(n.Open());
	n.s.link.delay = 100 * kMs;
	auto data = Pattern(300000);
	n.cli->Send(data.data(), data.size());
	ASSERT_TRUE(n.Run([&] { return n.Server()->rx.size() == data.size(); }, 60 * kSec));
	EXPECT_EQ(n.Server()->rx, data);
	// One sample per flight, each weighing 1/8 (RFC 6298): from the
	// handshake's 2 ms half way to the new 200 ms after 5 flights.
	auto i = n.cli->Info();
	EXPECT_GT(i.rtt_us, 90000u);
	EXPECT_LE(i.rtt_us, 200000u);
	EXPECT_GE(i.rto_us, 200000u);
	EXPECT_EQ(i.total_retrans, 0u);
	EXPECT_EQ(n.a.mib(AT_MIB_RETRANS_SEGS), 0u);
}

// input.c answered every segment PAWS rejects with an ACK, rate limit or
// none: two ends whose TS.Recent had both run ahead of the other's clock
// (here set so; the fuzzer got there with 25 days in which no timer ran)
// rejected each other's ACKs and answered each, for ever, at line rate.
// Linux rate-limits those answers (tcp_oow_rate_limited) as at_send_dupack
// does out-of-window ones.
TEST(FuzzRegression, PawsRejectsDoNotStartAnAckWar)
{
	Net n;
	ASSERT_TRUE(n.Open());
	at_conn *a = n.cli->c, *b = n.Server()->c;
	ASSERT_TRUE(a->ts_ok && b->ts_ok);
	a->ts_recent += 1u << 30;
	b->ts_recent += 1u << 30;
	a->ts_recent_stamp = b->ts_recent_stamp = n.s.now;
	size_t before = n.s.caps.size();
	n.cli->Send("x");
	n.s.RunFor(10 * kSec);
	size_t sent = n.s.caps.size() - before;
	// The data and its retransmissions, one rate-limited answer to each.
	EXPECT_LT(sent, 100u) << Trace(n.s);
	EXPECT_GT(n.a.mib(AT_MIB_PAWS_REJECTED) + n.b.mib(AT_MIB_PAWS_REJECTED), 0u);
}

// tw.c applied PAWS without RFC 7323's 24-day rule: after a connection
// idle for more than 2^31 ms both ends' timestamps look old to each other.
// A simultaneous close then left two compact TIME_WAIT entries that took
// each other's final ACKs for old duplicates, answered each with an ACK
// and restarted their timers: an ACK ping-pong for ever, and neither entry
// ever expired.  Found by libFuzzer (a timeout: 25 days without timers).
TEST(FuzzRegression, TimeWaitAfterAnIdleOf25DaysExpires)
{
	Net n;
	ASSERT_TRUE(n.Open());
	n.b.Pump(n.s.now);
	n.s.RunFor(kSec);
	ASSERT_TRUE(n.cli->c->ts_ok);
	n.s.now += 25 * 24 * 3600 * kSec;	// idle: no timer runs
	uint16_t port = n.cli->c->tuple.lport;
	n.cli->Close();
	n.Server()->Close();
	ASSERT_TRUE(n.Run([&] { return n.a.tws.size() == 1 && n.b.tws.size() == 1; }, kSec))
		<< Events(n.a) << Events(n.b);
	// B's final ACK once more (a duplicate on the way), into A's entry.
	Cap last = n.From(B).back();
	Seg s;
	s.flags = last.flags;
	s.seq = last.seq;
	s.ack = last.ack;
	s.window = last.window;
	s.opts = OptBytes(last.opt);
	size_t before = n.s.caps.size();
	uint64_t t0 = n.s.now;
	n.a.Deliver(Build(kPort, port, s, nullptr), B, n.s.now);
	ASSERT_TRUE(n.Run([&] { return n.a.live == 0 && n.b.live == 1; }, 600 * kSec))
		<< Events(n.a) << Events(n.b);
	EXPECT_LE(n.s.now - t0, 61 * kSec);
	EXPECT_LT(n.s.caps.size() - before, 20u);
}
