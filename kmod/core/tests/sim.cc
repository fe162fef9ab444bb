// SPDX-License-Identifier: GPL-2.0
#include "sim.h"

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

namespace sim {

at_params DefaultParams()
{
	at_params p;

	at_params_init(&p, 8ULL << 30);
	return p;
}

uint64_t SeedFromEnv(uint64_t dflt)
{
	const char *s = getenv("ALTTCP_SEED");

	return s && *s ? strtoull(s, nullptr, 0) : dflt;
}

std::string Cap::Str() const
{
	char b[200];

	snprintf(b, sizeof(b), "t=%.6f %x:%u->%x:%u %s%s%s%s%s seq=%u ack=%u len=%u win=%u%s",
		 (double)(t - kStart) / kSec, src, sport, dst, dport,
		 Syn() ? "S" : "", Ack() ? "A" : "", Fin() ? "F" : "",
		 Rst() ? "R" : "", (flags & AT_PSH) ? "P" : "", seq, ack, len,
		 window, dropped ? " DROPPED" : "");
	return b;
}

/* ---- App ---- */

int App::state() const
{
	return c ? at_conn_state(c) : AT_CLOSED;
}

void App::Send(const void *p, size_t n)
{
	const uint8_t *b = static_cast<const uint8_t *>(p);

	tx.insert(tx.end(), b, b + n);
	host->Pump(host->sim_->now);
}

void App::Close()
{
	at_conn *conn = c;

	if (!conn || released)
		return;
	released = true;
	c = nullptr;
	host->app_of_.erase(conn);
	at_close(conn, host->sim_->now);
}

void App::Shutdown(int how)
{
	if (c)
		at_shutdown(c, how, host->sim_->now);
}

struct at_conn_info App::Info() const
{
	struct at_conn_info i;

	memset(&i, 0, sizeof(i));
	if (c)
		at_conn_info(c, host->sim_->now, &i);
	return i;
}

/* ---- Host ---- */

Host::Host(Sim *sim, uint32_t addr, const at_params &p, uint64_t seed)
	: params(p), sim_(sim), addr_(addr), rng_(seed)
{
	ops_.alloc = OpAlloc;
	ops_.free = OpFree;
	ops_.random = OpRandom;
	ops_.emit = OpEmit;
	ops_.event = OpEvent;
	at_ctx_init(&ctx, &params, &ops_, this);
}

Host::~Host()
{
	Teardown();
}

void Host::Teardown()
{
	std::vector<at_conn *> ls, cs;

	for (auto &kv : std::map<Key, at_tw *>(tws))
		at_tw_kill(kv.second, AT_R_NONE);
	for (auto &kv : app_of_)
		if (at_conn_state(kv.first) == AT_LISTEN)
			ls.push_back(kv.first);
	for (auto *l : ls)
		at_conn_destroy(l);
	for (auto &kv : app_of_)
		cs.push_back(kv.first);
	for (auto &kv : conns)
		if (!app_of_.count(kv.second))
			cs.push_back(kv.second);
	std::set<at_conn *> done;
	for (auto *c : cs)
		if (done.insert(c).second && live_set_.count(c))
			at_conn_destroy(c);
	/* Orphans no longer in any table would be leaks: count them. */
}

void *Host::OpAlloc(void *g, at_usize size, enum at_alloc_kind)
{
	Host *h = static_cast<Host *>(g);
	void *p;

	h->allocs++;
	if (h->fail_nth && h->allocs == h->fail_nth) {
		h->failures++;
		return nullptr;
	}
	p = malloc(size);
	h->live++;
	h->live_set_.insert(p);
	return p;
}

void Host::OpFree(void *g, void *p, enum at_alloc_kind)
{
	Host *h = static_cast<Host *>(g);

	if (!h->live_set_.erase(p))
		throw std::logic_error("free of unknown pointer");
	h->live--;
	free(p);
}

void Host::OpRandom(void *g, void *buf, at_usize len)
{
	Host *h = static_cast<Host *>(g);
	uint8_t *b = static_cast<uint8_t *>(buf);

	for (at_usize i = 0; i < len; i++)
		b[i] = (uint8_t)h->rng_();
}

void Host::OpEmit(void *g, const at_out *out)
{
	Host *h = static_cast<Host *>(g);

	h->sim_->Send(h->addr_, out->tuple.raddr, out);
}

App *Host::AppOf(at_conn *c)
{
	auto it = app_of_.find(c);

	return it == app_of_.end() ? nullptr : it->second;
}

template <class M, class V>
static void erase_if_is(M &m, const Host::Key &k, V v)
{
	auto it = m.find(k);

	if (it != m.end() && it->second == v)
		m.erase(it);
}

void Host::OpEvent(void *g, const at_event *ev)
{
	Host *h = static_cast<Host *>(g);
	uint64_t now = h->sim_->now;
	App *a;

	switch (ev->kind) {
	case AT_EV_STATE: {
		const void *obj = ev->conn ? (const void *)ev->conn : (const void *)ev->req;
		h->events.push_back({now, obj, ev->old_state, ev->new_state, ev->reason});
		if (!ev->conn)
			break;
		a = h->AppOf(ev->conn);
		if (a && ev->new_state == AT_ESTABLISHED && !a->connected) {
			a->connected = true;
			a->established_at = now;
		}
		if (a && ev->new_state == AT_CLOSED)
			a->closed_at = now;
		if (ev->new_state == AT_CLOSED)
			erase_if_is(h->conns, KeyOf(ev->conn->tuple), ev->conn);
		break;
	}
	case AT_EV_REQ_NEW:
		h->reqs[KeyOf(*at_req_tuple(ev->req))] = ev->req;
		break;
	case AT_EV_REQ_FREED:
		erase_if_is(h->reqs, KeyOf(*at_req_tuple(ev->req)), ev->req);
		break;
	case AT_EV_CHILD_NEW:
		h->conns[KeyOf(ev->conn->tuple)] = ev->conn;
		break;
	case AT_EV_TW_ENTER:
		erase_if_is(h->conns, KeyOf(ev->conn->tuple), ev->conn);
		h->tws[KeyOf(*at_tw_tuple(ev->tw))] = ev->tw;
		break;
	case AT_EV_TW_FREED:
		h->events.push_back({now, ev->tw, AT_TIME_WAIT, AT_CLOSED, ev->reason});
		erase_if_is(h->tws, KeyOf(*at_tw_tuple(ev->tw)), ev->tw);
		break;
	case AT_EV_CONN_FREED:
		erase_if_is(h->conns, KeyOf(ev->conn->tuple), ev->conn);
		if (h->listeners.count(ev->conn->tuple.lport) &&
		    h->listeners[ev->conn->tuple.lport] == ev->conn)
			h->listeners.erase(ev->conn->tuple.lport);
		a = h->AppOf(ev->conn);
		if (a) {
			a->freed = true;
			a->c = nullptr;
			h->app_of_.erase(ev->conn);
		}
		break;
	case AT_EV_ROUTE_ADVICE:
		h->route_advice++;
		break;
	case AT_EV_ERROR:
		a = h->AppOf(ev->conn);
		if (a)
			a->err = ev->err;
		break;
	default:
		break;
	}
}

int Host::PickPort(uint32_t dst, uint16_t dport)
{
	for (int p = params.local_port_range[0]; p <= params.local_port_range[1]; p++) {
		Key k{(uint16_t)p, dst, dport};
		if (conns.count(k) || reqs.count(k))
			continue;
		auto tw = tws.find(k);
		if (tw != tws.end() &&
		    !at_tw_can_reuse(tw->second, sim_->now, loopback_peer))
			continue;
		return p;
	}
	return -1;
}

App *Host::Connect(uint32_t dst, uint16_t dport, uint16_t sport)
{
	int port = sport ? sport : PickPort(dst, dport);
	at_tuple t{};
	at_conn *c;

	if (port < 0)
		return nullptr;
	t.laddr = addr_;
	t.raddr = dst;
	t.lport = (uint16_t)port;
	t.rport = dport;
	at_conn_cfg cc = cfg;
	cc.loopback = loopback_peer;
	c = at_conn_new(&ctx, &t, &cc, nullptr);
	if (!c)
		return nullptr;
	apps_.push_back(std::make_unique<App>());
	App *a = apps_.back().get();
	a->host = this;
	a->c = c;
	app_of_[c] = a;
	at_conn_set_glue(c, a);
	Key k = KeyOf(t);
	auto tw = tws.find(k);
	conns[k] = c;
	if (before_connect)
		before_connect(c);
	if (tw != tws.end())
		at_connect_reuse_tw(c, tw->second, sim_->now);
	else
		at_connect(c, sim_->now);
	return a;
}

App *Host::Listen(uint16_t port, int backlog)
{
	at_tuple t{};
	at_conn *c;

	t.laddr = addr_;
	t.lport = port;
	c = at_conn_new(&ctx, &t, &cfg, nullptr);
	if (!c)
		return nullptr;
	apps_.push_back(std::make_unique<App>());
	App *a = apps_.back().get();
	a->host = this;
	a->c = c;
	a->auto_read = false;
	app_of_[c] = a;
	at_listen(c, backlog, sim_->now);
	listeners[port] = c;
	return a;
}

void Host::Deliver(const std::vector<uint8_t> &pkt, uint32_t src, uint64_t now)
{
	at_seg seg;

	if (at_parse_tcp_header(pkt.data(), (at_u32)pkt.size(), &seg))
		return;
	seg.tuple.laddr = addr_;
	seg.tuple.raddr = src;
	Key k = KeyOf(seg.tuple);
	auto c = conns.find(k);
	if (c != conns.end()) {
		at_conn_input(c->second, &seg, now);
		return;
	}
	auto tw = tws.find(k);
	if (tw != tws.end()) {
		if (at_tw_input(tw->second, &seg, now) != AT_TW_SYN_OK)
			return;
		at_tw_kill(tw->second, AT_R_TW_NEW_SYN);
	}
	auto r = reqs.find(k);
	if (r != reqs.end()) {
		at_req_input(r->second, &seg, now);
		return;
	}
	auto l = listeners.find(seg.tuple.lport);
	if (l != listeners.end()) {
		at_conn_input(l->second, &seg, now);
		return;
	}
	at_input_no_conn(&ctx, &seg);
}

App *Host::Accept(App *listener)
{
	at_conn *c = listener->c ? at_accept(listener->c) : nullptr;

	if (!c)
		return nullptr;
	apps_.push_back(std::make_unique<App>());
	App *na = apps_.back().get();
	na->host = this;
	na->c = c;
	na->connected = true;
	na->established_at = sim_->now;
	app_of_[c] = na;
	at_conn_set_glue(c, na);
	accepted_.push_back(na);
	if (on_accept)
		on_accept(na);
	return na;
}

void Host::Pump(uint64_t now)
{
	static uint8_t buf[65536];

	for (size_t i = 0; i < apps_.size(); i++) {
		App *a = apps_[i].get();
		at_conn *c = a->c;
		long n;

		if (!c || a->released)
			continue;
		if (at_conn_state(c) == AT_LISTEN) {
			while (auto_accept && Accept(a))
				;
			continue;
		}
		while (a->auto_read && a->c && (n = at_recv(a->c, buf, sizeof(buf), 0, now)) > 0)
			a->rx.insert(a->rx.end(), buf, buf + n);
		if (a->auto_read && a->c && at_recv(a->c, buf, 1, 1, now) == 0)
			a->eof = true;
		if (a->eof && a->close_on_eof && a->c && a->tx_off == a->tx.size()) {
			a->Close();
			continue;
		}
		while (a->c && a->tx_off < a->tx.size()) {
			n = at_send(a->c, a->tx.data() + a->tx_off,
				    (at_u32)std::min<size_t>(a->tx.size() - a->tx_off, 1 << 20),
				    a->send_flags, now);
			if (n <= 0)
				break;
			a->tx_off += n;
		}
		if (a->c && a->tx_off == a->tx.size() &&
		    at_conn_state(a->c) != AT_SYN_SENT &&
		    at_conn_state(a->c) != AT_SYN_RECV) {
			if (a->shutdown_when_sent) {
				a->shutdown_when_sent = false;
				at_shutdown(a->c, AT_SHUT_WR, now);
			}
			if (a->close_when_sent)
				a->Close();
		}
	}
}

uint64_t Host::NextTimer() const
{
	uint64_t t = UINT64_MAX, x;

	for (auto &kv : conns)
		if ((x = at_conn_poll_at(kv.second)) && x < t)
			t = x;
	for (auto &kv : app_of_)
		if ((x = at_conn_poll_at(kv.first)) && x < t)
			t = x;
	for (auto &kv : reqs)
		if ((x = at_req_poll_at(kv.second)) && x < t)
			t = x;
	for (auto &kv : tws)
		if ((x = at_tw_poll_at(kv.second)) && x < t)
			t = x;
	return t;
}

void Host::FireTimers(uint64_t now)
{
	std::set<at_conn *> cs;
	std::vector<at_req *> rs;
	std::vector<at_tw *> ts;
	uint64_t x;

	for (auto &kv : conns)
		if ((x = at_conn_poll_at(kv.second)) && x <= now)
			cs.insert(kv.second);
	for (auto &kv : app_of_)
		if ((x = at_conn_poll_at(kv.first)) && x <= now)
			cs.insert(kv.first);
	for (auto &kv : reqs)
		if (at_req_poll_at(kv.second) <= now)
			rs.push_back(kv.second);
	for (auto &kv : tws)
		if (at_tw_poll_at(kv.second) <= now)
			ts.push_back(kv.second);
	for (auto *c : cs)
		if (live_set_.count(c))
			at_conn_timer(c, now);
	for (auto *r : rs)
		if (live_set_.count(r))
			at_req_timer(r, now);
	for (auto *t : ts)
		if (live_set_.count(t))
			at_tw_timer(t, now);
}

/* ---- Sim ---- */

Sim::Sim(uint64_t s) : seed(s), rng(s) {}

Sim::~Sim()
{
	for (auto &kv : hosts_)
		kv.second->Teardown();
}

Host &Sim::AddHost(uint32_t addr, const at_params *p)
{
	at_params params = p ? *p : DefaultParams();

	hosts_[addr] = std::make_unique<Host>(this, addr, params, seed * 1000003 + addr);
	return *hosts_[addr];
}

void Sim::Drop(std::function<bool(const Cap &)> pred, int nth)
{
	filters_.push_back(Filter{std::move(pred), nth, 0});
}

bool Sim::ShouldDrop(const Cap &c)
{
	for (auto &f : filters_) {
		if (!f.pred(c))
			continue;
		f.seen++;
		if (f.nth == 0 || f.seen == f.nth)
			return true;
	}
	return false;
}

std::vector<Cap> Sim::Caps(std::function<bool(const Cap &)> pred) const
{
	std::vector<Cap> v;

	for (auto &c : caps)
		if (pred(c))
			v.push_back(c);
	return v;
}

/*
 * A GSO super-segment leaves as the kernel's tcp_gso_segment() would cut
 * it: seg_size bytes each, sequence numbers advancing, the same header and
 * options on each, PSH and FIN on the last only.  Everything after this
 * (filters, loss, captures) sees wire segments.
 */
void Sim::Send(uint32_t src, uint32_t dst, const at_out *out)
{
	uint32_t len = out->len[0] + out->len[1];
	uint32_t seg = out->seg_size;

	if (!seg) {
		SendOne(src, dst, out);
		return;
	}
	if (len < 2 * seg || len % seg || (out->flags & (AT_SYN | AT_RST)) ||
	    out->retransmit)
		throw std::logic_error("bad GSO output: len " + std::to_string(len) +
				       " seg_size " + std::to_string(seg));
	gso_outputs++;
	for (uint32_t off = 0; off < len; off += seg) {
		at_out o = *out;
		uint32_t skip = off, want = seg;

		o.seq = out->seq + off;
		o.seg_size = 0;
		if (off + seg < len)
			o.flags &= ~(AT_PSH | AT_FIN);
		for (int i = 0; i < 2; i++) {
			uint32_t from = std::min(skip, out->len[i]);
			uint32_t n = std::min(out->len[i] - from, want);

			o.data[i] = n ? out->data[i] + from : nullptr;
			o.len[i] = n;
			skip -= from;
			want -= n;
		}
		if (!o.len[0] && o.len[1]) {
			o.data[0] = o.data[1];
			o.len[0] = o.len[1];
			o.data[1] = nullptr;
			o.len[1] = 0;
		}
		SendOne(src, dst, &o, off + seg == len);
	}
}

void Sim::SendOne(uint32_t src, uint32_t dst, const at_out *out, bool gso_last)
{
	uint8_t hdr[64];
	int hlen = at_write_tcp_header(out, hdr, sizeof(hdr));
	std::vector<uint8_t> pkt(hdr, hdr + hlen);
	at_seg seg;
	Cap c{};

	for (int i = 0; i < 2; i++)
		if (out->len[i])
			pkt.insert(pkt.end(), out->data[i], out->data[i] + out->len[i]);
	at_parse_tcp_header(pkt.data(), (at_u32)pkt.size(), &seg);
	c.t = now;
	c.src = src;
	c.dst = dst;
	c.sport = seg.tuple.rport;
	c.dport = seg.tuple.lport;
	c.seq = seg.seq;
	c.ack = seg.ack;
	c.flags = seg.flags;
	c.window = seg.window;
	c.opt = seg.opt;
	c.len = seg.len;
	c.retransmit = out->retransmit;
	c.gso_last = gso_last;
	c.dropped = ShouldDrop(c);
	std::uniform_real_distribution<double> u(0, 1);
	if (!c.dropped && loss > 0 && u(rng) < loss)
		c.dropped = true;
	caps.push_back(c);
	if (c.dropped || !hosts_.count(dst))
		return;
	uint64_t t = now;
	if (link.bandwidth_bps) {
		link.next_free = std::max(link.next_free, now) +
				 (pkt.size() + 40) * 8 * kSec / link.bandwidth_bps;
		t = link.next_free;
	}
	t += link.delay;
	int copies = (dup > 0 && u(rng) < dup) ? 2 : 1;
	for (int i = 0; i < copies; i++) {
		uint64_t extra = (reorder > 0 && u(rng) < reorder) ?
				 rng() % reorder_extra : 0;
		q_.push(Pending{t + extra, next_id_++, src, dst, pkt});
	}
}

void Sim::Step()
{
	uint64_t tp = q_.empty() ? UINT64_MAX : q_.top().t;
	uint64_t tt = UINT64_MAX;

	for (auto &kv : hosts_)
		tt = std::min(tt, kv.second->NextTimer());
	if (tp <= tt) {
		Pending p = q_.top();
		q_.pop();
		now = std::max(now, p.t);
		hosts_.at(p.dst)->Deliver(p.pkt, p.src, now);
	} else {
		now = std::max(now, tt);
		for (auto &kv : hosts_)
			kv.second->FireTimers(now);
	}
	for (auto &kv : hosts_)
		kv.second->Pump(now);
	if (++steps > 200000000ULL)
		throw std::runtime_error("simulation does not converge");
}

bool Sim::RunUntil(std::function<bool()> pred, uint64_t deadline)
{
	uint64_t last_now = 0, same = 0;

	for (;;) {
		if (pred())
			return true;
		uint64_t tp = q_.empty() ? UINT64_MAX : q_.top().t;
		uint64_t tt = UINT64_MAX;
		for (auto &kv : hosts_)
			tt = std::min(tt, kv.second->NextTimer());
		uint64_t next = std::min(tp, tt);
		if (next == UINT64_MAX || next > deadline) {
			now = std::max(now, deadline);
			return pred();
		}
		Step();
		same = now == last_now ? same + 1 : 0;
		last_now = now;
		if (same > 1000000)
			throw std::runtime_error("simulation stuck at one instant");
	}
}

}  // namespace sim
