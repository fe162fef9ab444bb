// SPDX-License-Identifier: GPL-2.0
// Google Benchmark of the core alone: two ctxs wired back to back (no
// simulator, no loss), so the figures are the engine's own cost.
//
//   core_bench                      the benchmarks
//   core_bench --callgrind N        one N-MiB transfer, for callgrind.sh
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <deque>
#include <vector>

extern "C" {
#include "at_internal.h"
}

namespace {

struct Side;

struct Pkt {
	Side *to;
	uint32_t src;
	std::vector<uint8_t> bytes;
};

struct Pair;

struct Side {
	Pair *pair;
	uint32_t addr;
	at_params params;
	at_ctx ctx;
	at_ops ops;
	at_conn *conn = nullptr;	// the one connection
	at_conn *listener = nullptr;
	at_tw *tw = nullptr;
	at_req *req = nullptr;
	uint64_t rng = 88172645463325252ULL;
	size_t rx = 0;
};

struct Pair {
	Side a, b;
	std::deque<Pkt> q;
	uint64_t now = 1000000000ULL;
	uint64_t segs = 0;
	uint32_t ring = 1 << 20;
	uint8_t buf[65536];

	Side *Peer(Side *s) { return s == &a ? &b : &a; }
};

void *OpAlloc(void *, at_usize n, enum at_alloc_kind) { return malloc(n); }
void OpFree(void *, void *p, enum at_alloc_kind) { free(p); }

void OpRandom(void *g, void *buf, at_usize len)
{
	Side *s = static_cast<Side *>(g);
	uint8_t *b = static_cast<uint8_t *>(buf);

	for (at_usize i = 0; i < len; i++) {
		s->rng ^= s->rng << 13;
		s->rng ^= s->rng >> 7;
		s->rng ^= s->rng << 17;
		b[i] = (uint8_t)s->rng;
	}
}

void OpEmit(void *g, const at_out *out)
{
	Side *s = static_cast<Side *>(g);
	Pkt p;
	uint8_t hdr[64];
	int h = at_write_tcp_header(out, hdr, sizeof(hdr));

	p.to = s->pair->Peer(s);
	p.src = s->addr;
	p.bytes.reserve(h + out->len[0] + out->len[1]);
	p.bytes.assign(hdr, hdr + h);
	for (int i = 0; i < 2; i++)
		if (out->len[i])
			p.bytes.insert(p.bytes.end(), out->data[i], out->data[i] + out->len[i]);
	s->pair->q.push_back(std::move(p));
	s->pair->segs++;
}

void OpEvent(void *g, const at_event *ev)
{
	Side *s = static_cast<Side *>(g);

	switch (ev->kind) {
	case AT_EV_REQ_NEW:
		s->req = ev->req;
		break;
	case AT_EV_REQ_FREED:
		s->req = nullptr;
		break;
	case AT_EV_CHILD_NEW:
		s->conn = ev->conn;
		break;
	case AT_EV_TW_ENTER:
		s->tw = ev->tw;
		s->conn = nullptr;
		break;
	case AT_EV_TW_FREED:
		s->tw = nullptr;
		break;
	case AT_EV_CONN_FREED:
		if (s->conn == ev->conn)
			s->conn = nullptr;
		break;
	default:
		break;
	}
}

void InitSide(Pair *p, Side *s, uint32_t addr)
{
	s->pair = p;
	s->addr = addr;
	at_params_init(&s->params, 8ULL << 30);
	s->ops = at_ops{OpAlloc, OpFree, OpRandom, OpEmit, OpEvent};
	at_ctx_init(&s->ctx, &s->params, &s->ops, s);
}

void Deliver(Pair *p, Pkt &k)
{
	Side *s = k.to;
	at_seg seg;

	if (at_parse_tcp_header(k.bytes.data(), (at_u32)k.bytes.size(), &seg))
		return;
	seg.tuple.laddr = s->addr;
	seg.tuple.raddr = k.src;
	if (s->conn)
		at_conn_input(s->conn, &seg, p->now);
	else if (s->tw)
		at_tw_input(s->tw, &seg, p->now);
	else if (s->req)
		at_req_input(s->req, &seg, p->now);
	else if (s->listener)
		at_conn_input(s->listener, &seg, p->now);
	else
		at_input_no_conn(&s->ctx, &seg);
}

// Deliver everything, reading as it arrives; 5 us of virtual time per hop.
void Drain(Pair *p)
{
	while (!p->q.empty()) {
		Pkt k = std::move(p->q.front());
		p->q.pop_front();
		p->now += 5;
		Deliver(p, k);
		for (Side *s : {&p->a, &p->b}) {
			long n;
			while (s->conn && (n = at_recv(s->conn, p->buf, sizeof(p->buf), 0, p->now)) > 0)
				s->rx += n;
			if (s->conn && at_conn_poll_at(s->conn) && at_conn_poll_at(s->conn) <= p->now)
				at_conn_timer(s->conn, p->now);
		}
	}
}

void Fire(Pair *p, at_conn *c)
{
	if (c && at_conn_poll_at(c)) {
		p->now = std::max<uint64_t>(p->now, at_conn_poll_at(c));
		at_conn_timer(c, p->now);
	}
}

// Only ever jump to the earliest deadline, as a real clock would.
void FireEarliest(Pair *p)
{
	uint64_t ta = p->a.conn ? at_conn_poll_at(p->a.conn) : 0;
	uint64_t tb = p->b.conn ? at_conn_poll_at(p->b.conn) : 0;

	if (ta && (!tb || ta <= tb))
		Fire(p, p->a.conn);
	else if (tb)
		Fire(p, p->b.conn);
}

void Open(Pair *p)
{
	at_tuple ts{p->b.addr, 0, 80, 0}, tc{p->a.addr, p->b.addr, 40000, 80};
	at_conn_cfg cfg{p->ring, p->ring, 1500, 0};

	p->b.listener = at_conn_new(&p->b.ctx, &ts, &cfg, nullptr);
	at_listen(p->b.listener, 128, p->now);
	p->a.conn = at_conn_new(&p->a.ctx, &tc, &cfg, nullptr);
	at_connect(p->a.conn, p->now);
	Drain(p);
	at_conn *c = at_accept(p->b.listener);
	(void)c;
}

// Both sides close; the client ends in TIME_WAIT which we expire.
void Close(Pair *p)
{
	at_conn *srv = p->b.conn;

	at_close(p->a.conn, p->now);
	Drain(p);
	at_close(srv, p->now);
	Drain(p);
	if (p->a.tw)
		at_tw_kill(p->a.tw, AT_R_TW_EXPIRED);
	at_close(p->b.listener, p->now);
	p->b.listener = nullptr;
}

void Send(Pair *p, Side *s, size_t bytes)
{
	static uint8_t chunk[65536];
	size_t left = bytes;

	while (left) {
		long n = at_send(s->conn, chunk, (at_u32)std::min(left, sizeof(chunk)), 0, p->now);
		if (n > 0)
			left -= n;
		Drain(p);
		if (n <= 0)
			FireEarliest(p);
	}
}

void Flush(Pair *p)
{
	for (int i = 0; i < 4; i++) {
		FireEarliest(p);
		Drain(p);
	}
}

void BM_BulkOneWay(benchmark::State &st)
{
	Pair p;
	InitSide(&p, &p.a, 1);
	InitSide(&p, &p.b, 2);
	Open(&p);
	size_t bytes = 16 << 20;
	uint64_t segs0 = p.segs;
	for (auto _ : st) {
		Send(&p, &p.a, bytes);
		Flush(&p);
	}
	st.SetBytesProcessed((int64_t)st.iterations() * bytes);
	st.counters["segments/s"] = benchmark::Counter((double)(p.segs - segs0), benchmark::Counter::kIsRate);
	Close(&p);
}
BENCHMARK(BM_BulkOneWay)->Unit(benchmark::kMillisecond);

void BM_BulkBothWays(benchmark::State &st)
{
	Pair p;
	InitSide(&p, &p.a, 1);
	InitSide(&p, &p.b, 2);
	Open(&p);
	size_t bytes = 8 << 20;
	uint64_t segs0 = p.segs;
	for (auto _ : st) {
		for (size_t off = 0; off < bytes; off += 65536) {
			Send(&p, &p.a, 65536);
			Send(&p, &p.b, 65536);
		}
		Flush(&p);
	}
	st.SetBytesProcessed((int64_t)st.iterations() * bytes * 2);
	st.counters["segments/s"] = benchmark::Counter((double)(p.segs - segs0), benchmark::Counter::kIsRate);
	Close(&p);
}
BENCHMARK(BM_BulkBothWays)->Unit(benchmark::kMillisecond);

void BM_OpenClose(benchmark::State &st)
{
	Pair p;
	InitSide(&p, &p.a, 1);
	InitSide(&p, &p.b, 2);
	p.ring = 64 << 10;
	for (auto _ : st) {
		Open(&p);
		Close(&p);
	}
	st.counters["open+close/s"] = benchmark::Counter((double)st.iterations(), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_OpenClose);

void BM_EntrySizes(benchmark::State &st)
{
	for (auto _ : st)
		benchmark::DoNotOptimize(at_sizeof_conn());
	st.counters["ESTABLISHED_bytes"] = (double)at_sizeof_conn();
	st.counters["TIME_WAIT_bytes"] = (double)at_sizeof_tw();
	st.counters["SYN_RECV_bytes"] = (double)at_sizeof_req();
}
BENCHMARK(BM_EntrySizes)->Iterations(1);

int CallgrindRun(int mib)
{
	Pair p;
	InitSide(&p, &p.a, 1);
	InitSide(&p, &p.b, 2);
	Open(&p);
	uint64_t segs0 = p.segs;
	Send(&p, &p.a, (size_t)mib << 20);
	Flush(&p);
	printf("segments %llu\n", (unsigned long long)(p.segs - segs0));
	Close(&p);
	return 0;
}

}  // namespace

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--callgrind"))
		return CallgrindRun(atoi(argv[2]));
	printf("bytes per entry: ESTABLISHED control block %zu (+ send/receive rings), "
	       "SYN_RECV %zu, TIME_WAIT %zu\n",
	       (size_t)at_sizeof_conn(), (size_t)at_sizeof_req(), (size_t)at_sizeof_tw());
	benchmark::Initialize(&argc, argv);
	benchmark::RunSpecifiedBenchmarks();
	benchmark::Shutdown();
	return 0;
}
