// SPDX-License-Identifier: GPL-2.0
// Shared fixtures for the simulator tests.
#ifndef ALTTCP_TEST_HELPERS_H
#define ALTTCP_TEST_HELPERS_H

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "sim.h"

namespace t {

using sim::Cap;
using sim::kMs;
using sim::kSec;

constexpr uint32_t A = 0x0a000001;	// client
constexpr uint32_t B = 0x0a000002;	// server
constexpr uint16_t kPort = 80;

inline at_params Params(std::function<void(at_params &)> f = nullptr)
{
	at_params p = sim::DefaultParams();

	if (f)
		f(p);
	return p;
}

struct Net {
	sim::Sim s;
	sim::Host &a;
	sim::Host &b;
	sim::App *srv = nullptr;
	sim::App *cli = nullptr;

	explicit Net(const at_params &pa = Params(), const at_params &pb = Params(),
		     uint64_t seed = 1)
		: s(seed), a(s.AddHost(A, &pa)), b(s.AddHost(B, &pb)) {}

	sim::App *Listen(int backlog = 128) { return srv = b.Listen(kPort, backlog); }
	sim::App *Connect() { return cli = a.Connect(B, kPort); }
	sim::App *Server(size_t i = 0) { return b.Accepted(i); }

	// Listen, connect and run until both sides are ESTABLISHED.
	bool Open(uint64_t limit = 10 * kSec)
	{
		if (!srv)
			Listen();
		Connect();
		return s.RunUntil([&] { return cli->connected && b.NumAccepted() > 0; },
				  s.now + limit);
	}

	bool Run(std::function<bool()> p, uint64_t limit) { return s.RunUntil(p, s.now + limit); }

	// Segments sent by host `from`.
	std::vector<Cap> From(uint32_t from, std::function<bool(const Cap &)> p = nullptr)
	{
		return s.Caps([&](const Cap &c) { return c.src == from && (!p || p(c)); });
	}
};

inline bool HasTransition(const sim::Host &h, int from, int to, int reason = -1,
			  uint64_t *when = nullptr)
{
	for (auto &e : h.events) {
		if (e.old_state == from && e.new_state == to &&
		    (reason < 0 || e.reason == reason)) {
			if (when)
				*when = e.t;
			return true;
		}
	}
	return false;
}

inline std::string Events(const sim::Host &h)
{
	std::string s;

	for (auto &e : h.events)
		s += std::to_string((e.t - sim::kStart) / 1000) + "ms " +
		     at_state_names[e.old_state] + "->" + at_state_names[e.new_state] +
		     " (" + at_reason_names[e.reason] + ")\n";
	return s;
}

inline std::string Trace(const sim::Sim &s)
{
	std::string r;

	for (auto &c : s.caps)
		r += c.Str() + "\n";
	return r;
}

inline std::vector<uint8_t> Pattern(size_t n, uint32_t seed = 7)
{
	std::vector<uint8_t> v(n);
	uint32_t x = seed * 2654435761u + 1;

	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		v[i] = (uint8_t)x;
	}
	return v;
}

}  // namespace t

#endif
