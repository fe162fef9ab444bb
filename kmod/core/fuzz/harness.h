// SPDX-License-Identifier: GPL-2.0
// The shared half of the libFuzzer targets of the alttcp core.
//
// Each target (one .cc file each) turns its input into a deterministic
// scenario: a reader takes bytes from the front (zeros once they run out),
// a simulator (kmod/core/tests/sim.h) with two hosts carries the segments
// between honest peers, and segments decoded from the input are injected
// into one host, aimed at the numbers of the object they meet (so that
// they often land in the window).  After every step the white-box
// invariants of kmod/core/tests/invariants.h are checked, the same ones
// fuzz_test.cc checks; at the end every application lets go and the
// engine must give back every allocation within bounded (virtual) time.
// Any violation prints what it saw and abort()s, which libFuzzer reports.
//
// No wall clock and no unseeded randomness: the simulator's seed comes from
// the input, so an input replays exactly.
//
// ALTTCP_FUZZ_VERBOSE=1 prints the decoded steps (for reproducing a crash),
// =2 every segment as well;
// ALTTCP_FUZZ_GEN=<dir> makes a target write its seed corpus there and exit;
// ALTTCP_FUZZ_STATS=1 prints the simulator steps and segments of each input.
#ifndef ALTTCP_FUZZ_HARNESS_H
#define ALTTCP_FUZZ_HARNESS_H

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../tests/invariants.h"
#include "../tests/sim.h"

namespace fz {

constexpr uint32_t A = 0x0a000001;	// client host
constexpr uint32_t B = 0x0a000002;	// server host
constexpr uint32_t C = 0x0a000063;	// a peer no host answers for
constexpr uint16_t kPort = 80;
using sim::kMs;
using sim::kSec;

// ALTTCP_FUZZ_VERBOSE=1: the decoded steps; 2: every segment too.
inline int Verbose()
{
	static const int v = getenv("ALTTCP_FUZZ_VERBOSE") ? atoi(getenv("ALTTCP_FUZZ_VERBOSE")) : 0;
	return v;
}

inline void Log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
inline void Log(const char *fmt, ...)
{
	va_list ap;

	if (!Verbose())
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

[[noreturn]] inline void Die(const std::string &what)
{
	fprintf(stderr, "\n*** alttcp fuzz invariant violated ***\n%s\n", what.c_str());
	fflush(stderr);
	abort();
}

/* ---------------- reading the input ---------------- */

class In {
public:
	In(const uint8_t *d, size_t n) : d_(d), n_(n) {}
	bool empty() const { return i_ >= n_; }
	size_t left() const { return n_ - i_; }
	uint8_t u8() { return i_ < n_ ? d_[i_++] : 0; }
	uint16_t u16()
	{
		uint16_t hi = u8();
		return (uint16_t)(hi << 8 | u8());
	}
	uint32_t u32()
	{
		uint32_t hi = u16();
		return hi << 16 | u16();
	}
	int16_t s16() { return (int16_t)u16(); }
	int8_t s8() { return (int8_t)u8(); }
	// Up to n bytes as they are.
	std::vector<uint8_t> bytes(size_t n)
	{
		n = std::min(n, left());
		std::vector<uint8_t> v(d_ + i_, d_ + i_ + n);
		i_ += n;
		return v;
	}

private:
	const uint8_t *d_;
	size_t n_;
	size_t i_ = 0;
};

// The same layout, written: what the seed generators use.
class Enc {
public:
	Enc &u8(unsigned v) { b_.push_back((uint8_t)v); return *this; }
	Enc &u16(unsigned v) { return u8(v >> 8).u8(v); }
	Enc &u32(uint32_t v) { return u16(v >> 16).u16(v & 0xffff); }
	Enc &s16(int v) { return u16((uint16_t)(int16_t)v); }
	Enc &raw(const std::vector<uint8_t> &v)
	{
		b_.insert(b_.end(), v.begin(), v.end());
		return *this;
	}
	const std::vector<uint8_t> &bytes() const { return b_; }

private:
	std::vector<uint8_t> b_;
};

/* ---------------- configuration ---------------- */

// Parameters from two bytes: every option and cookie mode, short retry
// chains (so that everything is reclaimed within few simulator steps).
inline at_params DecodeParams(In &in)
{
	at_params p = sim::DefaultParams();
	uint8_t f = in.u8(), g = in.u8();

	p.timestamps = !(f & 1);
	p.sack = !(f & 2);
	p.window_scaling = !(f & 4);
	p.rfc1337 = !!(f & 8);
	p.syncookies = (f >> 4) % 3;
	p.abort_on_overflow = !!(f & 0x40);
	p.tw_reuse = g % 3;
	p.max_syn_backlog = 1 + (g >> 2) % 8;
	p.syn_retries = 1 + (g >> 5) % 4;
	p.synack_retries = (g >> 5) % 4;
	p.tw_timeout = 1 + (f >> 7) * 59;
	p.fin_timeout = 1 + (g & 3) * 20;
	p.orphan_retries = (f >> 6) & 1 ? 0 : 2;
	p.retries1 = 2;
	p.retries2 = 4 + (g & 1) * 4;
	p.keepalive_time = 10;
	p.keepalive_intvl = 2;
	p.keepalive_probes = 2 + (g >> 7);
	p.max_tw_buckets = (f & 0x80) && (g & 0x80) ? 1 : 64;
	p.max_orphans = (f & 0x40) && (g & 0x40) ? 1 : 64;
	p.rto_max_ms = 10000;
	return p;
}

// Buffer sizes, MTU and GSO of a host's connections from one byte.  The
// default rings (256 KiB, past ASan's size classes: an mmap each, which
// costs more than the rest of a run) only when both sizes say so.
inline at_conn_cfg DecodeCfg(uint8_t v)
{
	static const uint32_t kBuf[] = {4096, 16384, 3000, 65536, 1000, 8192, 100000, 32768};
	static const uint16_t kMtu[] = {1500, 0, 576, 9000, 200, 60, 1280, 1500};
	at_conn_cfg c{};

	c.sndbuf = kBuf[v & 7];
	c.rcvbuf = kBuf[(v >> 3) & 7];
	if ((v & 0x3f) == 0x3f)
		c.sndbuf = c.rcvbuf = 0;
	c.mtu = kMtu[(v >> 6) | ((v & 1) << 2)];
	c.gso_max = (v & 0x20) ? 65536 : 0;
	return c;
}

// What Hooks may let through: payload + options of one wire segment stay
// within our MSS, or the core's 64-byte floor plus a timestamp.
inline uint32_t MssLimit(const at_conn_cfg &c)
{
	uint32_t mtu = c.mtu ? c.mtu : 1500;
	uint32_t adv = mtu > 80 ? mtu - 40 : AT_DEFAULT_MSS;

	return std::max<uint32_t>(adv, 64 + AT_TS_OPT_LEN);
}

/* ---------------- the world ---------------- */

// Where an injected segment goes: to host h, as if from peer:pport.
struct Target {
	sim::Host *h = nullptr;
	uint32_t peer = 0;
	uint16_t pport = 0, lport = 0;
};

// What a segment meets there, looked up as Host::Deliver does.
struct Obj {
	enum Kind { kNone, kConn, kTw, kReq, kListener } kind = kNone;
	void *p = nullptr;
	at_conn *conn() const { return static_cast<at_conn *>(p); }
	at_tw *tw() const { return static_cast<at_tw *>(p); }
	at_req *req() const { return static_cast<at_req *>(p); }
};

// The numbers to aim at.
struct Edges {
	uint32_t rcv_nxt = 0, wnd = 0, irs = 0;
	uint32_t snd_una = 0, snd_nxt = 0, snd_max = 0, max_window = 0, iss = 0;
	uint32_t ts_recent = 0;
	uint32_t mss = 536;
	// The last segment the host sent on the tuple: what to acknowledge
	// and echo (a SYN cookie is only known this way).
	bool have_last = false;
	uint32_t last_seq = 0, last_end = 0, last_ack = 0, last_tsval = 0;
};

// 70 000 bytes of payload that is not all zeros.
const uint8_t *Pattern();

// The simulator, its two hosts and the invariant hooks on both.  Compiled
// in harness.cc without the fuzzer's instrumentation: its containers
// would only add noise to the coverage feedback (and cost).
class Env {
public:
	Env(uint64_t seed, const at_params &pa, const at_params &pb, const at_conn_cfg &ca,
	    const at_conn_cfg &cb);
	~Env();
	Env(const Env &) = delete;
	Env &operator=(const Env &) = delete;

	sim::Sim s;
	sim::Host *a, *b;

	// Every invariant of both hosts, now; Die() on a violation.
	void Check(const char *where);
	// Run the network for dt, checking after every simulator step.
	void Run(uint64_t dt);
	bool RunUntil(std::function<bool()> pred, uint64_t dt);
	// Deliver one raw segment to t.h from t.peer.
	void Inject(const Target &t, const inv::Seg &sg, const uint8_t *payload);
	Obj Lookup(const Target &t) const;
	Edges EdgesOf(const Target &t) const;
	// Every timer entry point of every object of h, due or not (the glue's
	// timers may fire early; each handler checks its own deadline).
	void FireAll(sim::Host *h);
	// The last segments and events, for a report.
	std::string Trace() const;
	// The applications let go of everything (listeners too); the engine
	// must then free every object within bounded time, and nothing may
	// be left once both hosts are torn down.
	void Finish();
	// The network dies for hours: whatever waits on the peer (a
	// handshake, unacknowledged data or FIN, keepalive, TIME_WAIT, a
	// request) must have given up by then; only idle connections
	// without keepalive may stay.  Then the network comes back.
	void CutAndCheckLiveness();

private:
	void LastSent(const Target &t, Edges &e) const;
	void Step(const char *where);

	size_t traced_ = 0;

	std::vector<std::string> errs_;
	std::unique_ptr<inv::Hooks> ha_, hb_;
};

/* ---------------- decoding segments ---------------- */

// Flags: mostly the combinations that matter, sometimes any six bits.
inline uint8_t DecodeFlags(uint8_t v)
{
	static const uint8_t kFlags[] = {
		AT_ACK, AT_ACK | AT_PSH, AT_ACK, AT_FIN | AT_ACK, AT_SYN, AT_SYN | AT_ACK,
		AT_RST, AT_RST | AT_ACK, AT_FIN | AT_PSH | AT_ACK, 0, AT_URG | AT_ACK,
		AT_SYN | AT_FIN, AT_FIN, AT_SYN | AT_RST, AT_ACK | AT_PSH, AT_ACK,
	};

	return v & 0x80 ? v & 0x3f : kFlags[v & 15];
}

// Payload length, at most what fits an IPv4 packet with a bare header.
inline uint32_t DecodeLen(In &in, const Edges &e)
{
	uint8_t v = in.u8();

	switch (v & 3) {
	case 0:
		return 0;
	case 1:
		return v >> 2;					// 0 .. 63
	case 2:
		return std::min((v >> 2) * e.mss / 8, 65495u);	// 0 .. ~8 MSS
	default:
		return std::min<uint32_t>(in.u16(), 65495u);	// anything
	}
}

/*
 * One segment, aimed at e.  Layout (bytes):
 *   flags, seq/ack selector, seq delta (2 or 4), ack delta (2 or 4),
 *   window (2), option selector [+ option fields], length [+ 2]
 */
inline inv::Seg DecodeSeg(In &in, const Edges &e)
{
	inv::Seg s;
	uint8_t sel = in.u8(), ssel = sel & 7, asel = (sel >> 3) & 15;
	uint32_t sd = ssel == 6 ? in.u32() : (uint32_t)(int32_t)in.s16();
	uint32_t ad = asel == 5 ? in.u32() : (uint32_t)(int32_t)in.s16();

	s.flags = DecodeFlags(in.u8());
	s.window = in.u16();
	uint8_t ob = in.u8();
	at_opts o{};
	if (ob & 1) {
		o.present |= AT_OPT_MSS;
		o.mss = in.u16();
	}
	if (ob & 2) {
		o.present |= AT_OPT_WSCALE;
		o.wscale = in.u8();
	}
	if (ob & 4)
		o.present |= AT_OPT_SACK_OK;
	if (ob & 8) {
		uint8_t m = in.u8();
		o.present |= AT_OPT_TS;
		switch (m & 3) {
		case 0: o.tsval = e.ts_recent + (uint32_t)(int32_t)in.s8(); break;
		case 1: o.tsval = e.ts_recent + ((uint32_t)in.u16() << 8); break;
		case 2: o.tsval = in.u32(); break;
		default: o.tsval = e.ts_recent - 0x40000000u - in.u8(); break;
		}
		switch ((m >> 2) & 3) {
		case 0: o.tsecr = e.last_tsval; break;
		case 1: o.tsecr = 0; break;
		case 2: o.tsecr = in.u32(); break;
		default: o.tsecr = e.last_tsval + (uint32_t)(int32_t)in.s8(); break;
		}
	}
	o.nr_sack = (uint8_t)std::min((ob >> 4) & 7, AT_MAX_SACK);
	for (int i = 0; i < o.nr_sack; i++) {
		o.sack[i].start = e.snd_una + (uint32_t)(int32_t)in.s16();
		o.sack[i].end = o.sack[i].start + in.u16();
	}
	if (ob & 0x80)
		s.opts = in.bytes(in.u8() % 41);	// raw option bytes
	else
		s.opts = inv::OptBytes(o);
	s.len = DecodeLen(in, e);
	uint32_t len = s.len + !!(s.flags & AT_SYN) + !!(s.flags & AT_FIN);

	switch (ssel) {
	case 0: s.seq = e.rcv_nxt + sd; break;
	case 1: s.seq = e.rcv_nxt + e.wnd + sd; break;
	case 2: s.seq = e.rcv_nxt - len + sd; break;
	case 3: s.seq = e.irs + sd; break;
	case 4: s.seq = e.rcv_nxt + sd * 1024; break;
	case 5: s.seq = e.rcv_nxt + 0x80000000u + sd; break;
	case 6: s.seq = sd; break;
	default: s.seq = (e.have_last ? e.last_ack : e.rcv_nxt) + sd; break;
	}
	switch (asel) {
	case 0: s.ack = e.snd_una + ad; break;
	case 1: s.ack = e.snd_max + ad; break;
	case 2: s.ack = e.snd_nxt + ad; break;
	case 3: s.ack = e.iss + 1 + ad; break;
	case 4: s.ack = e.snd_una - e.max_window + ad; break;
	case 5: s.ack = ad; break;
	case 6: s.ack = e.snd_una + ad * 1024; break;
	case 7: s.ack = e.last_end + ad; break;
	case 8: case 9: case 10: case 11: s.ack = e.snd_max + ad; break;
	default: s.ack = e.snd_una + ad; break;
	}
	s.urg = 0;
	return s;
}

// The encoder's side of DecodeSeg, for seeds.  sel: ssel | asel << 3.
struct SegSpec {
	uint8_t ssel = 0, asel = 8;
	int32_t sd = 0, ad = 0;
	uint8_t flags_byte = 0;		// see DecodeFlags; 0 = ACK
	uint16_t window = 65535;
	bool ts = false;		// TS, tsval = ts_recent + 1, tsecr = last sent
	bool syn_opts = false;		// MSS 1460, wscale 7, SACK_OK
	uint8_t len_byte = 0;		// see DecodeLen
};

inline void EncodeSeg(Enc &en, const SegSpec &sp)
{
	uint8_t ob = 0;

	en.u8(sp.ssel | sp.asel << 3);
	if (sp.ssel == 6)
		en.u32((uint32_t)sp.sd);
	else
		en.s16(sp.sd);
	if (sp.asel == 5)
		en.u32((uint32_t)sp.ad);
	else
		en.s16(sp.ad);
	en.u8(sp.flags_byte);
	en.u16(sp.window);
	if (sp.syn_opts)
		ob |= 1 | 2 | 4;
	if (sp.ts)
		ob |= 8;
	en.u8(ob);
	if (sp.syn_opts)
		en.u16(1460).u8(7);
	if (sp.ts)
		en.u8(0).u8(1);	/* tsval = ts_recent + 1, tsecr = last sent */
	en.u8(sp.len_byte);
}

// Flag bytes for the encoder: index into DecodeFlags' table.
enum : uint8_t {
	kFAck = 0, kFAckPsh = 1, kFFinAck = 3, kFSyn = 4, kFSynAck = 5, kFRst = 6,
	kFRstAck = 7, kFFinPshAck = 8, kFNone = 9,
};

// A step of virtual time: short, up to a minute, or to the next timer;
// or every timer fired early, or 25 days that nobody ran a timer for.
inline void DecodeTime(In &in, Env &env, sim::Host *h)
{
	uint8_t v = in.u8();
	uint64_t dt;

	switch (v >> 6) {
	case 0:
		dt = (uint64_t)(v & 0x3f) * 100;		// up to 6.3 ms
		break;
	case 1:
		dt = (uint64_t)(v & 0x3f) * 20 * kMs;		// up to 1.26 s
		break;
	case 2:
		if ((v & 0x3f) == 0x3f) {
			Log("  25 days later\n");
			env.s.now += 25 * 24 * 3600 * kSec;
			dt = kMs;
			break;
		}
		dt = (uint64_t)(v & 0x3f) * kSec;		// up to 62 s
		break;
	default: {
		if ((v & 0x3f) == 0x3f) {
			Log("  every timer of %x, early\n", h->addr());
			env.FireAll(h);
			return;
		}
		uint64_t t = h->NextTimer();		// just past the next timer
		dt = t == UINT64_MAX || t < env.s.now ? kMs : t - env.s.now + (v & 0x3f);
		break;
	}
	}
	Log("  time +%llu us\n", (unsigned long long)dt);
	env.Run(dt);
}

// What the network does from now on: deliver, drop one way, or lose.
inline void DecodeLink(In &in, Env &env)
{
	uint8_t v = in.u8();

	env.s.ClearFilters();
	env.s.loss = env.s.dup = env.s.reorder = 0;
	switch (v & 7) {
	case 1:
		env.s.DropAll([](const sim::Cap &c) { return c.src == A; });
		break;
	case 2:
		env.s.DropAll([](const sim::Cap &c) { return c.src == B; });
		break;
	case 3:
		env.s.DropAll([](const sim::Cap &) { return true; });
		break;
	case 4:
		env.s.loss = 0.1;
		env.s.dup = 0.05;
		env.s.reorder = 0.1;
		break;
	case 5:
		env.s.DropAll([](const sim::Cap &c) { return c.PureAck(); });
		break;
	case 6:
		env.s.Drop([](const sim::Cap &c) { return c.len > 0; }, 1 + (v >> 3));
		break;
	default:
		break;
	}
	Log("  link mode %d\n", v & 7);
}

/* ---------------- application calls ---------------- */

// Socket-option overrides: a mask byte, then one byte per field set.
inline at_overrides DecodeOverrides(In &in)
{
	at_overrides o;
	uint16_t m = in.u16();
	auto field = [&](int bit, int lo, int hi) {
		if (!(m & (1 << bit)))
			return (int)AT_UNSET;
		return lo + in.u8() % (hi - lo + 1);
	};

	at_overrides_unset(&o);
	o.syn_retries = field(0, 1, 8);
	o.synack_retries = field(1, 0, 5);
	o.orphan_retries = field(2, 0, 5);
	o.tw_timeout = field(3, 1, 10);
	o.linger2 = field(4, -1, 30);
	o.keepalive_time = field(5, 1, 20);
	o.keepalive_intvl = field(6, 1, 5);
	o.keepalive_probes = field(7, 1, 5);
	o.user_timeout_ms = field(8, 0, 5000);
	if (m & (1 << 9) && o.user_timeout_ms != AT_UNSET)
		o.user_timeout_ms = 0;	// TCP_USER_TIMEOUT 0: off again
	return o;
}

// One socket call on an application's connection (nothing if it has none).
inline void AppOp(In &in, Env &env, sim::App *ap)
{
	static uint8_t buf[70000];
	uint8_t v = in.u8();
	uint64_t now = env.s.now;

	if (!ap || !ap->c || ap->released)
		return;
	at_conn *c = ap->c;
	switch (v & 15) {
	case 0:
		Log("  app recv all\n");
		while (ap->c && at_recv(ap->c, buf, sizeof(buf), 0, now) > 0)
			;
		break;
	case 1: {
		uint32_t n = in.u16() + 1;
		Log("  app send %u\n", n);
		ap->Send(Pattern(), n);
		break;
	}
	case 2:
		Log("  app shutdown %d\n", (v >> 4) % 4);
		at_shutdown(c, (v >> 4) % 4, now);	// 3 is invalid: EINVAL
		break;
	case 3:
		Log("  app close\n");
		ap->Close();
		break;
	case 4:
		Log("  app auto read %d\n", v >> 7);
		ap->auto_read = v >> 7;
		break;
	case 5:
		if (v & 0x20) {
			Log("  app cork %d\n", v >> 7);
			at_set_cork(c, v >> 7, now);
			break;
		}
		Log("  app nodelay %d\n", v >> 7);
		at_set_nodelay(c, v >> 7, now);
		break;
	case 6:
		Log("  app keepalive %d\n", v >> 7);
		at_set_keepalive(c, v >> 7, now);
		break;
	case 7: {
		// The glue's read: peek, then consume what reached the user,
		// which a fault can cut short (to (v >> 4) / 15 of it).
		uint32_t n = in.u8();
		long got = at_recv(c, buf, n, 1, now);
		uint32_t took = got > 0 ? got * (v >> 4) / 15 : 0;

		Log("  app peek %u, consume %u\n", n, took);
		at_recv_consume(c, took, now);
		break;
	}
	case 8: {
		int secs = in.u8() % 8 - 1;
		Log("  app linger %d %d\n", v >> 7, secs);
		at_set_linger(c, v >> 7, secs);
		break;
	}
	case 9: {
		at_overrides o = DecodeOverrides(in);
		Log("  app overrides\n");
		at_set_overrides(c, &o, now);
		break;
	}
	case 10:
		Log("  app kill\n");
		at_kill(c, now);
		break;
	case 11: {
		struct at_conn_info i;
		Log("  app info\n");
		at_conn_info(c, now, &i);
		(void)at_conn_error(c);
		(void)at_conn_readable(c);
		(void)at_conn_send_space(c);
		(void)at_conn_linger_done(c);
		(void)at_conn_glue(c);
		(void)(at_sizeof_conn() + at_sizeof_req() + at_sizeof_tw());
		break;
	}
	case 12:
		Log("  app recv 0\n");
		at_recv(c, buf, 0, 0, now);
		break;
	case 13: {
		uint32_t n = in.u8() * 64;
		unsigned int more = v & 0x10 ? AT_SEND_MORE : 0;

		Log("  app at_send %u%s\n", n, more ? " more" : "");
		at_send(c, Pattern(), n, more, now);
		break;
	}
	case 14: {
		uint32_t n = 1 + in.u8() % 64;
		Log("  app recv %u\n", n);
		at_recv(c, buf, n, 0, now);
		break;
	}
	default:
		// EISCONN (the glue never reconnects a used connection)
		Log("  app connect again\n");
		if (at_conn_state(c) != AT_CLOSED)
			at_connect(c, now);
		break;
	}
	if (ap->host)
		ap->host->Pump(env.s.now);
}

/* ---------------- entry point plumbing ---------------- */

// Seeds: ALTTCP_FUZZ_GEN=<dir> writes them and exits.
using Seeds = std::vector<std::pair<std::string, std::vector<uint8_t>>>;

void MaybeWriteSeeds(const Seeds &seeds);

}  // namespace fz

#endif
