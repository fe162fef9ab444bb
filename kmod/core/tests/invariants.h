// SPDX-License-Identifier: GPL-2.0
// What the hostile-input tests check, shared by fuzz_test.cc (seeded
// random segments) and the libFuzzer targets in kmod/core/fuzz/: the wire
// helpers that build raw segments, an independent reference parser of the
// TCP options, and the white-box invariants of a simulator host (sequence
// order, ring bounds, scoreboards, timers, counters, allocation
// accounting).  No gtest here: a check returns its findings as text.
#ifndef ALTTCP_TEST_INVARIANTS_H
#define ALTTCP_TEST_INVARIANTS_H

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sim.h"

namespace inv {

constexpr uint32_t kMss = 1460;		// MTU 1500, the simulator's default

/* ---------------- wire helpers ---------------- */

inline void Put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v & 0xff;
}

inline void Put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

inline uint16_t Get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

inline uint32_t Get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

// The wire form of structured options, by the core's own writer (what an
// honest peer sends), raw values included: wscale 255, MSS 0.
inline std::vector<uint8_t> OptBytes(at_opts o)
{
	at_out out{};
	uint8_t buf[64];

	while (at_opts_len(&o) > 40 && o.nr_sack)
		o.nr_sack--;
	if (at_opts_len(&o) > 40)
		o.present &= ~AT_OPT_MSS;
	out.opt = o;
	int n = at_write_tcp_header(&out, buf, sizeof(buf));
	if (n < 20)
		return {};
	return std::vector<uint8_t>(buf + 20, buf + n);
}

/* ---------------- segments ---------------- */

struct Seg {
	uint8_t flags = 0;
	uint32_t seq = 0, ack = 0;
	uint16_t window = 0, urg = 0;
	std::vector<uint8_t> opts;	// at most 40 bytes
	uint32_t len = 0;
	uint8_t junk_bits = 0;		// reserved/ECN bits the core must ignore
};

inline std::vector<uint8_t> Build(uint16_t sport, uint16_t dport, const Seg &s, const uint8_t *payload)
{
	size_t olen = (std::min<size_t>(s.opts.size(), 40) + 3) & ~(size_t)3;
	std::vector<uint8_t> p(20 + olen + s.len, 0);

	Put16(&p[0], sport);
	Put16(&p[2], dport);
	Put32(&p[4], s.seq);
	Put32(&p[8], s.ack);
	p[12] = (uint8_t)(((20 + olen) / 4) << 4 | (s.junk_bits & 0x0f));
	p[13] = (uint8_t)(s.flags | (s.junk_bits & 0xc0));
	Put16(&p[14], s.window);
	Put16(&p[18], s.urg);
	if (!s.opts.empty())
		memcpy(&p[20], s.opts.data(), std::min<size_t>(s.opts.size(), 40));
	if (s.len)
		memcpy(&p[20 + olen], payload, s.len);
	return p;
}

/* ---------------- option parsing ---------------- */

// The option rules of RFC 9293 3.1 / RFC 7323 / RFC 2018 as the core
// documents them, written independently of options.c: EOL ends the list,
// a length below 2 or past the end ends it too (malformed), a known kind
// of the wrong length is skipped, the last duplicate wins, a window shift
// above 14 means 14 (RFC 7323 2.3), at most 4 SACK blocks.
inline at_opts RefParse(const uint8_t *p, size_t n)
{
	at_opts o{};
	size_t i = 0;

	while (i < n) {
		uint8_t kind = p[i];
		if (kind == 0)
			break;
		if (kind == 1) {
			i++;
			continue;
		}
		if (n - i < 2 || p[i + 1] < 2 || p[i + 1] > n - i)
			break;
		uint8_t len = p[i + 1];
		const uint8_t *v = p + i + 2;
		if (kind == 2 && len == 4) {
			o.present |= AT_OPT_MSS;
			o.mss = Get16(v);
		} else if (kind == 3 && len == 3) {
			o.present |= AT_OPT_WSCALE;
			o.wscale = v[0] > 14 ? 14 : v[0];
		} else if (kind == 4 && len == 2) {
			o.present |= AT_OPT_SACK_OK;
		} else if (kind == 8 && len == 10) {
			o.present |= AT_OPT_TS;
			o.tsval = Get32(v);
			o.tsecr = Get32(v + 4);
		} else if (kind == 5 && len >= 10 && (len - 2) % 8 == 0) {
			o.nr_sack = (uint8_t)std::min((len - 2) / 8, AT_MAX_SACK);
			for (int k = 0; k < o.nr_sack; k++) {
				o.sack[k].start = Get32(v + 8 * k);
				o.sack[k].end = Get32(v + 8 * k + 4);
			}
		}
		i += len;
	}
	return o;
}

inline std::string OptsStr(const at_opts &o)
{
	std::ostringstream s;

	s << "present=" << (int)o.present << " mss=" << o.mss << " ws=" << (int)o.wscale
	  << " ts=" << o.tsval << "/" << o.tsecr << " sack=" << (int)o.nr_sack;
	for (int k = 0; k < o.nr_sack && k < AT_MAX_SACK; k++)
		s << " [" << o.sack[k].start << "," << o.sack[k].end << ")";
	return s.str();
}

inline bool SameOpts(const at_opts &a, const at_opts &b)
{
	if (a.present != b.present || a.mss != b.mss || a.wscale != b.wscale ||
	    a.tsval != b.tsval || a.tsecr != b.tsecr || a.nr_sack != b.nr_sack)
		return false;
	for (int k = 0; k < a.nr_sack && k < AT_MAX_SACK; k++)
		if (a.sack[k].start != b.sack[k].start || a.sack[k].end != b.sack[k].end)
			return false;
	return true;
}

/* ---------------- watching the engine ---------------- */

struct ConnCounters {
	uint64_t segs_in, segs_out, bytes_acked, bytes_received, total_retrans;
};

// Wraps a host's emit and event ops: every segment the core emits and
// every event it raises is checked on the way out.
class Hooks {
public:
	Hooks(sim::Host &h, std::vector<std::string> &errs) : h_(h), errs_(errs)
	{
		all()[&h] = this;
		h.ops_.emit = Emit;
		h.ops_.event = Event;
		memcpy(mib_, h.ctx.mib, sizeof(mib_));
	}
	~Hooks()
	{
		h_.ops_.emit = sim::Host::OpEmit;
		h_.ops_.event = sim::Host::OpEvent;
		all().erase(&h_);
	}

	sim::Host &h_;
	std::vector<std::string> &errs_;
	std::map<const at_conn *, ConnCounters> seen_;
	uint64_t mib_[AT_MIB_MAX];
	uint64_t emitted = 0;
	// Payload + options of one wire segment: the MTU's MSS (1500 here),
	// or the core's floor of 64 bytes + a timestamp on a tiny MTU.
	uint32_t mss_limit = kMss;

private:
	static std::map<void *, Hooks *> &all()
	{
		static std::map<void *, Hooks *> m;
		return m;
	}

	static void Emit(void *g, const at_out *out)
	{
		Hooks *k = all().at(g);
		uint8_t buf[64];
		uint32_t payload = out->len[0] + out->len[1];
		uint32_t opts = at_opts_len(&out->opt);

		// A GSO super-segment is judged by the segments it becomes.
		if (out->seg_size)
			payload = out->seg_size;

		k->emitted++;
		if (at_write_tcp_header(out, buf, sizeof(buf)) < 0) {
			k->errs_.push_back("emitted options do not fit a TCP header: " +
					   OptsStr(out->opt));
			return;
		}
		if (out->opt.nr_sack > AT_MAX_SACK ||
		    ((out->opt.present & AT_OPT_TS) && out->opt.nr_sack > 3))
			k->errs_.push_back("emitted too many SACK blocks");
		if ((out->len[0] && !out->data[0]) || (out->len[1] && !out->data[1]))
			k->errs_.push_back("emitted payload without a pointer");
		if (payload && payload + opts > k->mss_limit)
			k->errs_.push_back("emitted segment of " + std::to_string(payload) +
					   " bytes + " + std::to_string(opts) +
					   " of options exceeds MSS " + std::to_string(k->mss_limit));
		if (payload && (out->flags & (AT_SYN | AT_RST)))
			k->errs_.push_back("emitted payload on a SYN or RST");
		sim::Host::OpEmit(g, out);
	}

	static void Event(void *g, const at_event *ev)
	{
		Hooks *k = all().at(g);

		if (ev->kind == AT_EV_STATE &&
		    (ev->old_state >= AT_STATE_MAX || ev->new_state < 1 ||
		     ev->new_state >= AT_STATE_MAX || ev->reason >= AT_R_MAX))
			k->errs_.push_back("state event out of range");
		if (ev->kind == AT_EV_CONN_FREED)
			k->seen_.erase(ev->conn);
		sim::Host::OpEvent(g, ev);
	}
};

inline bool Live(const sim::Host &h, const void *p)
{
	return h.live_set_.count(const_cast<void *>(p)) != 0;
}

// Every connection block the glue can reach: tables, the application's
// handles, listeners and their accept queues.
inline std::vector<const at_conn *> ConnsOf(const sim::Host &h, std::ostream &e)
{
	// A sorted vector: a set costs more than the checks, run every step.
	std::vector<const at_conn *> v, live;

	v.reserve(h.conns.size() + h.app_of_.size() + 8);
	for (auto &kv : h.conns)
		v.push_back(kv.second);
	for (auto &kv : h.app_of_)
		v.push_back(kv.first);
	for (auto &kv : h.listeners) {
		v.push_back(kv.second);
		if (!Live(h, kv.second))
			continue;
		int n = 0;
		for (const at_conn *c = kv.second->acc_head; c && n < 100000; c = c->acc_next, n++) {
			if (!Live(h, c)) {
				e << "accept queue holds a freed connection\n";
				break;
			}
			v.push_back(c);
		}
	}
	std::sort(v.begin(), v.end());
	v.erase(std::unique(v.begin(), v.end()), v.end());
	live.reserve(v.size());
	for (const at_conn *c : v) {
		if (Live(h, c))
			live.push_back(c);
		else
			e << "a table holds freed connection " << c << "\n";
	}
	return live;
}

inline void CheckRanges(const char *what, const at_sack_block *b, int n, std::ostream &e)
{
	for (int i = 0; i < n; i++) {
		if (!at_seq_lt(b[i].start, b[i].end))
			e << what << " range " << i << " is empty or inverted\n";
		if (i + 1 < n && !at_seq_lt(b[i].end, b[i + 1].start))
			e << what << " ranges " << i << " and " << i + 1 << " overlap or are unsorted\n";
	}
}

inline void CheckRing(const char *what, const at_ring &r, std::ostream &e)
{
	if (r.len > r.size)
		e << what << " ring holds " << r.len << " bytes in " << r.size << "\n";
	if (r.size && r.head >= r.size)
		e << what << " ring head " << r.head << " outside " << r.size << "\n";
	if (!r.buf && r.len)
		e << what << " ring has bytes but no memory\n";
}

inline void CheckConn(const sim::Host &h, const at_conn *c, std::ostream &out)
{
	// One stream for every call: building one costs more than the checks.
	static thread_local std::ostringstream e;

	e.str(std::string());
	e.clear();

	if (c->state < 1 || c->state >= AT_STATE_MAX) {
		out << "conn " << c << ": invalid state " << (int)c->state << "\n";
		return;
	}
	if (c->state == AT_LISTEN) {
		unsigned n = 0, acc = 0;
		for (const at_req *r = c->req_head; r && n < 100000; r = r->next, n++) {
			if (!Live(h, r)) {
				e << "request list holds a freed entry\n";
				break;
			}
			if (r->listener != c)
				e << "request of another listener in the list\n";
		}
		for (const at_conn *a = c->acc_head; a && acc < 100000; a = a->acc_next)
			acc++;
		if (n != c->syn_qlen)
			e << "syn_qlen " << c->syn_qlen << " but " << n << " requests\n";
		if (acc != c->acc_len)
			e << "acc_len " << c->acc_len << " but " << acc << " queued\n";
	} else {
		CheckRing("send", c->snd_ring, e);
		CheckRing("receive", c->rcv_ring, e);
		if (!at_seq_le(c->snd_una, c->snd_nxt) || !at_seq_le(c->snd_nxt, c->snd_max))
			e << "snd_una " << c->snd_una << " <= snd_nxt " << c->snd_nxt
			  << " <= snd_max " << c->snd_max << " broken\n";
		int32_t buf_off = (int32_t)(c->snd_buf_seq - c->snd_una);
		if (buf_off < -1 || buf_off > 1)
			e << "send ring starts at " << c->snd_buf_seq << ", snd_una " << c->snd_una << "\n";
		if (!at_seq_le(c->snd_max, c->snd_buf_seq + c->snd_ring.len + 1))
			e << "snd_max " << c->snd_max << " beyond the data and FIN\n";
		if (c->snd_mss < 64 || c->snd_mss > std::max<uint32_t>(c->adv_mss, 64))
			e << "snd_mss " << c->snd_mss << " outside [64, " << c->adv_mss << "]\n";
		if (c->snd_wscale > 14 || c->rcv_wscale > 14)
			e << "window scale above 14\n";
		if (c->nr_ooo > AT_OOO_MAX || c->nr_sacked > AT_SB_MAX) {
			e << "too many out-of-order or SACK ranges\n";
		} else {
			CheckRanges("out-of-order", c->ooo, c->nr_ooo, e);
			CheckRanges("SACK scoreboard", c->sacked, c->nr_sacked, e);
			uint32_t cap_end = c->rcv_nxt + (c->rcv_ring.size - c->rcv_ring.len);
			for (int i = 0; i < c->nr_ooo; i++)
				if (at_seq_gt(c->ooo[i].end, cap_end))
					e << "out-of-order range past the receive ring\n";
			if (c->nr_ooo && !c->rcv_fin && !at_seq_gt(c->ooo[0].start, c->rcv_nxt))
				e << "out-of-order range at or below rcv_nxt\n";
			if (c->nr_ooo && !c->rcv_ring.buf)
				e << "out-of-order data without a receive ring\n";
			if (c->nr_ooo && c->ooo_recent >= c->nr_ooo)
				e << "ooo_recent out of range\n";
			if (c->nr_sacked && (!at_seq_gt(c->sacked[0].start, c->snd_una) ||
					     at_seq_gt(c->sacked[c->nr_sacked - 1].end, c->snd_max)))
				e << "SACK scoreboard outside (snd_una, snd_max]\n";
		}
		// Every state that waits on the peer needs a timer, or it hangs.
		bool waits = c->state == AT_SYN_SENT || c->state == AT_SYN_RECV ||
			     c->state == AT_FIN_WAIT1 || c->state == AT_CLOSING ||
			     c->state == AT_LAST_ACK || c->state == AT_TIME_WAIT;
		bool sending = c->syn_acked &&
			       (c->state == AT_ESTABLISHED || c->state == AT_CLOSE_WAIT ||
				c->state == AT_FIN_WAIT1 || c->state == AT_CLOSING ||
				c->state == AT_LAST_ACK) &&
			       (c->snd_ring.len || c->snd_una != c->snd_max ||
				(c->shut_wr && !c->fin_sent));
		if ((waits && !at_conn_poll_at(c)) || (sending && !c->rtx_at))
			e << "no timer armed while waiting on the peer\n";
		if (c->orphan && h.app_of_.count(const_cast<at_conn *>(c)))
			e << "orphan still held by the application\n";
	}
	if (e.tellp() > 0)
		out << "conn " << c << " " << at_state_names[c->state] << ":\n" << e.str();
}

// Global invariants of one host; returns the problems found.
inline std::string CheckHost(const sim::Host &h, Hooks &k)
{
	std::ostringstream e;
	auto conns = ConnsOf(h, e);
	long rings = 0;
	uint32_t tw_conns = 0, estab = 0, orphans = 0;

	for (const at_conn *c : conns) {
		CheckConn(h, c, e);
		rings += !!c->snd_ring.buf + !!c->rcv_ring.buf;
		tw_conns += c->state == AT_TIME_WAIT;
		estab += c->state == AT_ESTABLISHED || c->state == AT_CLOSE_WAIT;
		orphans += c->orphan;
		ConnCounters now{c->segs_in, c->segs_out, c->bytes_acked, c->bytes_received,
				 c->total_retrans};
		auto it = k.seen_.find(c);
		if (it != k.seen_.end()) {
			const ConnCounters &o = it->second;
			if (now.segs_in < o.segs_in || now.segs_out < o.segs_out ||
			    now.bytes_acked < o.bytes_acked ||
			    now.bytes_received < o.bytes_received ||
			    now.total_retrans < o.total_retrans)
				e << "conn " << c << ": a per-connection counter went down\n";
		}
		k.seen_[c] = now;
	}
	uint32_t qlen = 0;
	for (auto &kv : h.listeners)
		if (Live(h, kv.second) && kv.second->state == AT_LISTEN)
			qlen += kv.second->syn_qlen;
	for (auto &kv : h.reqs) {
		const at_req *r = kv.second;
		if (!Live(h, r)) {
			e << "request table holds a freed entry\n";
			continue;
		}
		if (!Live(h, r->listener) || r->listener->state != AT_LISTEN)
			e << "request of a dead listener\n";
	}
	for (auto &kv : h.tws)
		if (!Live(h, kv.second))
			e << "TIME_WAIT table holds a freed entry\n";
	if (qlen != h.reqs.size())
		e << "listeners count " << qlen << " requests, the table " << h.reqs.size() << "\n";
	if (h.ctx.req_count != h.reqs.size())
		e << "req_count " << h.ctx.req_count << " != " << h.reqs.size() << "\n";
	if (h.ctx.tw_count != h.tws.size() + tw_conns)
		e << "tw_count " << h.ctx.tw_count << " != " << h.tws.size() << " + " << tw_conns << "\n";
	if (h.ctx.mib[AT_MIB_CURR_ESTAB] != estab)
		e << "CurrEstab " << h.ctx.mib[AT_MIB_CURR_ESTAB] << " != " << estab << "\n";
	if (h.ctx.orphan_count != orphans)
		e << "orphan_count " << h.ctx.orphan_count << " != " << orphans << "\n";
	// Every allocation is reachable: nothing leaks, even for a moment.
	long reachable = (long)conns.size() + rings + (long)h.reqs.size() + (long)h.tws.size();
	if (h.live != reachable)
		e << h.live << " live allocations, " << reachable << " reachable\n";
	for (int i = 0; i < AT_MIB_MAX; i++) {
		if (i != AT_MIB_CURR_ESTAB && h.ctx.mib[i] < k.mib_[i])
			e << "counter " << at_mib_names[i] << " went down\n";
		k.mib_[i] = h.ctx.mib[i];
	}
	for (auto &s : k.errs_)
		e << s << "\n";
	k.errs_.clear();
	std::string r = e.str();
	return r.empty() ? r : "host " + std::to_string(h.addr() & 0xff) + ": " + r;
}

}  // namespace inv

#endif
