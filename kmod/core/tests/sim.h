// SPDX-License-Identifier: GPL-2.0
/*
 * A deterministic discrete-event network simulator for the alttcp core,
 * after QUICHE's quic/test_tools/simulator: a virtual clock, hosts that run
 * the core (each with its own ctx, params, lookup tables and a fake
 * application), links with delay and bandwidth, drop/loss/reorder/duplicate
 * filters, and a capture of every segment with its virtual timestamp.
 */
#ifndef ALTTCP_SIM_H
#define ALTTCP_SIM_H

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "../at_internal.h"

namespace sim {

constexpr uint64_t kStart = 1000000000ULL;	// 1000 s: the clock starts above 0
constexpr uint64_t kMs = 1000;
constexpr uint64_t kSec = 1000000;

struct Cap {
	uint64_t t;		// emission time at the sender
	uint32_t src, dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t window;
	at_opts opt;
	uint32_t len;
	bool dropped;
	bool retransmit;
	bool gso_last;		// the last wire segment of a GSO super-segment
	bool Syn() const { return flags & AT_SYN; }
	bool Fin() const { return flags & AT_FIN; }
	bool Rst() const { return flags & AT_RST; }
	bool Ack() const { return flags & AT_ACK; }
	bool SynOnly() const { return (flags & (AT_SYN | AT_ACK)) == AT_SYN; }
	bool SynAck() const { return (flags & (AT_SYN | AT_ACK)) == (AT_SYN | AT_ACK); }
	bool PureAck() const { return flags == AT_ACK && !len; }
	std::string Str() const;
};

struct StateEv {
	uint64_t t;
	const void *obj;
	int old_state, new_state, reason;
};

class Host;
class Sim;

// The application side of one connection.
struct App {
	Host *host = nullptr;
	at_conn *c = nullptr;
	std::vector<uint8_t> rx;
	bool eof = false;
	int err = 0;
	std::vector<uint8_t> tx;
	size_t tx_off = 0;
	bool auto_read = true;
	unsigned int send_flags = 0;	// at_send() flags (AT_SEND_MORE)
	bool close_when_sent = false;
	bool shutdown_when_sent = false;
	bool close_on_eof = false;
	bool released = false;
	bool freed = false;	// the core freed the conn
	bool connected = false;	// saw ESTABLISHED
	uint64_t established_at = 0;
	uint64_t closed_at = 0;	// saw CLOSED
	int state() const;
	void Send(const void *p, size_t n);
	void Send(const std::string &s) { Send(s.data(), s.size()); }
	void Close();
	void Shutdown(int how);
	struct at_conn_info Info() const;
};

class Host {
public:
	Host(Sim *sim, uint32_t addr, const at_params &p, uint64_t seed);
	~Host();
	uint32_t addr() const { return addr_; }
	at_params params;
	at_ctx ctx;
	at_conn_cfg cfg{};	// for new connections and listeners

	App *Connect(uint32_t dst, uint16_t dport, uint16_t sport = 0);
	App *Listen(uint16_t port, int backlog = 128);
	// The next connection of a listener's accept queue, as an App (Pump
	// does this itself while auto_accept is set).
	App *Accept(App *listener);
	App *Accepted(size_t i) { return i < accepted_.size() ? accepted_[i] : nullptr; }
	size_t NumAccepted() const { return accepted_.size(); }
	bool auto_accept = true;
	std::function<void(App *)> on_accept;
	std::function<void(at_conn *)> before_connect;

	// lookup tables, as the glue keeps them
	struct Key {
		uint16_t lport;
		uint32_t raddr;
		uint16_t rport;
		bool operator<(const Key &o) const {
			if (lport != o.lport) return lport < o.lport;
			if (raddr != o.raddr) return raddr < o.raddr;
			return rport < o.rport;
		}
	};
	static Key KeyOf(const at_tuple &t) { return Key{t.lport, t.raddr, t.rport}; }
	std::map<Key, at_conn *> conns;
	std::map<Key, at_req *> reqs;
	std::map<Key, at_tw *> tws;
	std::map<uint16_t, at_conn *> listeners;
	std::vector<StateEv> events;
	std::set<uint16_t> used_ports;
	bool loopback_peer = false;
	int route_advice = 0;	// AT_EV_ROUTE_ADVICE seen

	uint64_t mib(int id) const { return ctx.mib[id]; }
	void Deliver(const std::vector<uint8_t> &pkt, uint32_t src, uint64_t now);
	void Pump(uint64_t now);
	uint64_t NextTimer() const;
	void FireTimers(uint64_t now);
	int PickPort(uint32_t dst, uint16_t dport);

	// allocation accounting and failure injection
	long allocs = 0, live = 0;
	long fail_nth = 0;	// fail the Nth allocation (1-based); 0 = never
	long failures = 0;

	// ops plumbing
	static void *OpAlloc(void *g, at_usize size, enum at_alloc_kind k);
	static void OpFree(void *g, void *p, enum at_alloc_kind k);
	static void OpRandom(void *g, void *buf, at_usize len);
	static void OpEmit(void *g, const at_out *out);
	static void OpEvent(void *g, const at_event *ev);
	App *AppOf(at_conn *c);
	void Teardown();

	Sim *sim_;
	uint32_t addr_;
	at_ops ops_;
	std::mt19937_64 rng_;
	std::vector<std::unique_ptr<App>> apps_;
	std::map<at_conn *, App *> app_of_;
	std::vector<App *> accepted_;
	std::set<void *> live_set_;
};

struct Link {
	uint64_t delay = 1 * kMs;
	uint64_t bandwidth_bps = 0;	// 0: infinite
	uint64_t next_free = 0;
};

class Sim {
public:
	explicit Sim(uint64_t seed = 1);
	~Sim();
	uint64_t now = kStart;
	uint64_t seed;
	std::mt19937_64 rng;

	Host &AddHost(uint32_t addr, const at_params *p = nullptr);
	Host &host(uint32_t addr) { return *hosts_.at(addr); }
	Link link;	// one link model for every pair (a switch, really)

	// filters
	struct Filter {
		std::function<bool(const Cap &)> pred;
		int nth;	// drop the nth match (1-based); 0 = every match
		int seen = 0;
	};
	void Drop(std::function<bool(const Cap &)> pred, int nth = 1);
	void DropAll(std::function<bool(const Cap &)> pred) { Drop(pred, 0); }
	void ClearFilters() { filters_.clear(); }
	double loss = 0, dup = 0, reorder = 0;
	uint64_t reorder_extra = 5 * kMs;

	std::vector<Cap> caps;
	std::vector<Cap> Caps(std::function<bool(const Cap &)> pred) const;

	bool RunUntil(std::function<bool()> pred, uint64_t deadline);
	void RunFor(uint64_t dt) { RunUntil([] { return false; }, now + dt); }
	void Send(uint32_t src, uint32_t dst, const at_out *out);
	uint64_t steps = 0;
	uint64_t gso_outputs = 0;	// super-segments split by Send()

private:
	struct Pending {
		uint64_t t;
		uint64_t id;
		uint32_t src, dst;
		std::vector<uint8_t> pkt;
		bool operator>(const Pending &o) const {
			return t != o.t ? t > o.t : id > o.id;
		}
	};
	std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> q_;
	uint64_t next_id_ = 0;
	std::map<uint32_t, std::unique_ptr<Host>> hosts_;
	std::vector<Filter> filters_;
	void Step();
	bool ShouldDrop(const Cap &c);
	void SendOne(uint32_t src, uint32_t dst, const at_out *out, bool gso_last = false);
};

at_params DefaultParams();
uint64_t SeedFromEnv(uint64_t dflt);

}  // namespace sim

#endif
