// SPDX-License-Identifier: GPL-2.0
// The world of the fuzz targets: simulator, hosts, invariants (harness.h).
// Built without the fuzzer's coverage instrumentation, with ASan/UBSan.
#include "harness.h"

namespace fz {

const uint8_t *Pattern()
{
	static std::vector<uint8_t> p;

	if (p.empty()) {
		p.resize(70000);
		uint32_t x = 2463534242u;
		for (auto &b : p) {
			x ^= x << 13;
			x ^= x >> 17;
			x ^= x << 5;
			b = (uint8_t)x;
		}
	}
	return p.data();
}

Env::Env(uint64_t seed, const at_params &pa, const at_params &pb, const at_conn_cfg &ca,
	 const at_conn_cfg &cb)
	: s(seed), a(&s.AddHost(A, &pa)), b(&s.AddHost(B, &pb))
{
	a->cfg = ca;
	b->cfg = cb;
	ha_.reset(new inv::Hooks(*a, errs_));
	hb_.reset(new inv::Hooks(*b, errs_));
	ha_->mss_limit = MssLimit(ca);
	hb_->mss_limit = MssLimit(cb);
	s.link.delay = kMs;
}

Env::~Env()
{
	static const bool stats = getenv("ALTTCP_FUZZ_STATS") != nullptr;

	if (stats)
		fprintf(stderr, "fuzz-stats: %llu steps, %zu segments, %llu us\n",
			(unsigned long long)s.steps, s.caps.size(),
			(unsigned long long)(s.now - sim::kStart));
	// The simulator tears the hosts down with the plain ops.
	ha_.reset();
	hb_.reset();
}

void Env::Check(const char *where)
{
	std::string bad = inv::CheckHost(*a, *ha_) + inv::CheckHost(*b, *hb_);

	if (!bad.empty())
		Die(std::string("after ") + where + " at t=" + std::to_string(s.now - sim::kStart) +
		    "us:\n" + bad + Trace());
}

// Far more simulator steps than any input needs (a few thousand at most):
// two ends that keep each other busy for ever.
static constexpr uint64_t kMaxSteps = 300000;

void Env::Step(const char *where)
{
	if (s.steps > kMaxSteps)
		Die("more than " + std::to_string(kMaxSteps) +
		    " simulator steps in one input: a livelock?\n" + Trace());
	if (Verbose() >= 2)
		for (; traced_ < s.caps.size(); traced_++)
			fprintf(stderr, "    %s\n", s.caps[traced_].Str().c_str());
	Check(where);
}

void Env::Run(uint64_t dt)
{
	s.RunUntil([&] { Step("a simulator step"); return false; }, s.now + dt);
}

bool Env::RunUntil(std::function<bool()> pred, uint64_t dt)
{
	return s.RunUntil([&] { Step("a simulator step"); return pred(); }, s.now + dt);
}

void Env::Inject(const Target &t, const inv::Seg &sg, const uint8_t *payload)
{
	t.h->Deliver(inv::Build(t.pport, t.lport, sg, payload), t.peer, s.now);
	t.h->Pump(s.now);
}

Obj Env::Lookup(const Target &t) const
{
	sim::Host::Key k{t.lport, t.peer, t.pport};
	Obj o;

	if (t.h->conns.count(k)) {
		o.kind = Obj::kConn;
		o.p = t.h->conns.at(k);
	} else if (t.h->tws.count(k)) {
		o.kind = Obj::kTw;
		o.p = t.h->tws.at(k);
	} else if (t.h->reqs.count(k)) {
		o.kind = Obj::kReq;
		o.p = t.h->reqs.at(k);
	} else if (t.h->listeners.count(t.lport)) {
		o.kind = Obj::kListener;
		o.p = t.h->listeners.at(t.lport);
	}
	return o;
}

Edges Env::EdgesOf(const Target &t) const
{
	Obj o = Lookup(t);
	Edges e;

	LastSent(t, e);
	if (o.kind == Obj::kConn) {
		const at_conn *c = o.conn();
		uint32_t adv = at_seq_gt(c->rcv_adv, c->rcv_nxt) ? c->rcv_adv - c->rcv_nxt : 0;
		e.rcv_nxt = c->rcv_nxt;
		e.wnd = std::max(c->rcv_ring.size - c->rcv_ring.len, adv);
		e.irs = c->irs;
		e.snd_una = c->snd_una;
		e.snd_nxt = c->snd_nxt;
		e.snd_max = c->snd_max;
		e.max_window = c->max_window;
		e.iss = c->iss;
		e.ts_recent = c->ts_recent;
		e.mss = c->snd_mss;
	} else if (o.kind == Obj::kTw) {
		const at_tw *tw = o.tw();
		e.rcv_nxt = tw->rcv_nxt;
		e.irs = tw->rcv_nxt;
		e.wnd = tw->rcv_wnd;
		e.snd_una = e.snd_nxt = e.snd_max = e.iss = tw->snd_nxt;
		e.ts_recent = tw->ts_recent;
	} else if (o.kind == Obj::kReq) {
		const at_req *r = o.req();
		e.rcv_nxt = r->irs + 1;
		e.irs = r->irs;
		e.wnd = 65535;
		e.snd_una = e.iss = r->iss;
		e.snd_nxt = e.snd_max = r->iss + 1;
		e.ts_recent = r->ts_recent;
	} else if (e.have_last) {
		// A listener, or nothing: answer what was sent last (a SYN+ACK
		// with a cookie, a RST).
		e.rcv_nxt = e.irs = e.last_ack;
		e.wnd = 65535;
		e.snd_una = e.iss = e.last_seq;
		e.snd_nxt = e.snd_max = e.last_end;
	}
	return e;
}

void Env::LastSent(const Target &t, Edges &e) const
{
	for (size_t i = s.caps.size(); i-- > 0;) {
		const sim::Cap &c = s.caps[i];
		if (c.src != t.h->addr() || c.dst != t.peer || c.dport != t.pport ||
		    c.sport != t.lport)
			continue;
		e.have_last = true;
		e.last_seq = c.seq;
		e.last_end = c.seq + c.len + c.Syn() + c.Fin();
		e.last_ack = c.ack;
		e.last_tsval = c.opt.tsval;
		return;
	}
}

void Env::FireAll(sim::Host *h)
{
	std::set<at_conn *> cs;
	std::vector<at_req *> rs;
	std::vector<at_tw *> ts;

	for (auto &kv : h->conns)
		cs.insert(kv.second);
	for (auto &kv : h->app_of_)
		cs.insert(kv.first);
	for (auto &kv : h->reqs)
		rs.push_back(kv.second);
	for (auto &kv : h->tws)
		ts.push_back(kv.second);
	for (at_conn *c : cs)
		if (h->live_set_.count(c))
			at_conn_timer(c, s.now);
	for (at_req *r : rs)
		if (h->live_set_.count(r))
			at_req_timer(r, s.now);
	for (at_tw *t : ts)
		if (h->live_set_.count(t))
			at_tw_timer(t, s.now);
	h->Pump(s.now);
}

std::string Env::Trace() const
{
	std::string r = "last segments:\n";
	size_t from = s.caps.size() > 40 ? s.caps.size() - 40 : 0;

	for (size_t i = from; i < s.caps.size(); i++)
		r += "  " + s.caps[i].Str() + "\n";
	for (const sim::Host *h : {a, b}) {
		r += "events of host " + std::to_string(h->addr() & 0xff) + ":\n";
		size_t ef = h->events.size() > 30 ? h->events.size() - 30 : 0;
		for (size_t i = ef; i < h->events.size(); i++) {
			const sim::StateEv &e = h->events[i];
			r += "  " + std::to_string(e.t - sim::kStart) + "us " +
			     at_state_names[e.old_state] + "->" + at_state_names[e.new_state] + " (" +
			     at_reason_names[e.reason] + ")\n";
		}
	}
	return r;
}

void Env::Finish()
{
	s.ClearFilters();
	s.loss = s.dup = s.reorder = 0;
	a->fail_nth = b->fail_nth = 0;
	for (sim::Host *h : {a, b}) {
		std::vector<sim::App *> ls;
		for (size_t i = 0; i < h->apps_.size(); i++) {
			sim::App *ap = h->apps_[i].get();
			if (!ap->c || ap->released)
				continue;
			if (at_conn_state(ap->c) == AT_LISTEN)
				ls.push_back(ap);
			else
				ap->Close();
			Check("an application's close");
		}
		for (sim::App *ap : ls) {
			ap->Close();
			Check("a listener's close");
		}
	}
	bool done = RunUntil([&] { return a->live == 0 && b->live == 0; }, 8 * 3600 * kSec);
	if (!done)
		Die("not reclaimed after every application let go: host A " + std::to_string(a->live) +
		    " allocations, host B " + std::to_string(b->live) + " (" +
		    std::to_string(a->tws.size() + b->tws.size()) + " TIME_WAIT entries, " +
		    std::to_string(a->reqs.size() + b->reqs.size()) + " requests)\n" + Trace());
	ha_.reset();
	hb_.reset();
	a->Teardown();
	b->Teardown();
	if (a->live || b->live)
		Die("allocations left after teardown");
}

// What may legitimately wait forever on a silent peer.
static const char *Stuck(const at_conn *c)
{
	switch (c->state) {
	case AT_CLOSED:
	case AT_LISTEN:
		return nullptr;
	case AT_ESTABLISHED:
	case AT_CLOSE_WAIT:
	case AT_FIN_WAIT2:
		if (c->keepalive)
			return "keepalive on";
		if (c->snd_ring.len || c->snd_una != c->snd_max ||
		    (c->shut_wr && !c->fin_acked && c->state != AT_FIN_WAIT2))
			return "data or FIN unacknowledged";
		if (c->state == AT_FIN_WAIT2 && c->orphan)
			return "orphan in FIN_WAIT2";
		return nullptr;
	default:
		return "waits on the peer";
	}
}

void Env::CutAndCheckLiveness()
{
	Log("  network cut for 3 hours\n");
	s.ClearFilters();
	s.loss = s.dup = s.reorder = 0;
	s.DropAll([](const sim::Cap &) { return true; });
	Run(3 * 3600 * kSec);
	for (sim::Host *h : {a, b}) {
		std::ostringstream e;
		for (const at_conn *c : inv::ConnsOf(*h, e)) {
			const char *why = Stuck(c);
			if (why)
				e << "conn " << c << " " << at_state_names[c->state] << " still alive: "
				  << why << " (err " << c->err << ", retransmits " << c->retransmits
				  << ", probes " << c->probes_out << ", poll_at "
				  << (int64_t)(at_conn_poll_at(c) - s.now) << "us from now)\n";
		}
		if (!h->reqs.empty())
			e << h->reqs.size() << " requests still alive\n";
		if (!h->tws.empty())
			e << h->tws.size() << " TIME_WAIT entries still alive\n";
		if (!e.str().empty())
			Die("after three hours without a network, host " +
			    std::to_string(h->addr() & 0xff) + ":\n" + e.str() + Trace());
	}
	s.ClearFilters();
}

void MaybeWriteSeeds(const Seeds &seeds)
{
	const char *dir = getenv("ALTTCP_FUZZ_GEN");

	if (!dir)
		return;
	for (auto &kv : seeds) {
		std::string path = std::string(dir) + "/" + kv.first;
		FILE *f = fopen(path.c_str(), "wb");
		if (!f || fwrite(kv.second.data(), 1, kv.second.size(), f) != kv.second.size()) {
			perror(path.c_str());
			exit(1);
		}
		fclose(f);
	}
	printf("%zu seeds written to %s\n", seeds.size(), dir);
	exit(0);
}

}  // namespace fz
