// A Transport that records requests and plays back canned answers.
#pragma once

#include <deque>
#include <functional>
#include <memory>

#include "dispatch.h"
#include "transport.h"

namespace alttcpctl::test {

struct Request {
	int family;
	uint8_t version;
	uint8_t cmd;
	Bytes attrs;
	bool dump = false;
};

struct FakeKernel {
	std::optional<int> family = 42;
	std::vector<Bytes> replies;
	std::function<void()> fail;  // throw from here to refuse a request
	// Answers to successive dump requests; the last one repeats.
	std::vector<DumpReply> dumps;
	// Answers to successive wait_notifications(); once they run out the
	// wait reports a stop, as SIGINT would.
	std::deque<Notifications> notifications;
	std::vector<Request> requests;
	std::vector<std::string> resolved;
	std::vector<uint32_t> joined;
	std::vector<int> stop_fds;
	int connects = 0;
};

class FakeTransport : public Transport {
public:
	explicit FakeTransport(FakeKernel &k) : k_(k) {}
	std::optional<int> resolve_family(const std::string &name) override
	{
		k_.resolved.push_back(name);
		return k_.family;
	}
	std::vector<Bytes> transact(int family, uint8_t version, uint8_t cmd,
				    const Bytes &attrs) override
	{
		k_.requests.push_back({family, version, cmd, attrs});
		if (k_.fail)
			k_.fail();
		return k_.replies;
	}
	DumpReply dump(int family, uint8_t version, uint8_t cmd, const Bytes &attrs) override
	{
		std::size_t n = 0;
		for (const Request &r : k_.requests)
			n += r.dump;
		k_.requests.push_back({family, version, cmd, attrs, true});
		if (k_.fail)
			k_.fail();
		if (k_.dumps.empty())
			return {};
		return k_.dumps[std::min(n, k_.dumps.size() - 1)];
	}
	void join_group(uint32_t group) override { k_.joined.push_back(group); }
	Notifications wait_notifications(int stop_fd) override
	{
		k_.stop_fds.push_back(stop_fd);
		if (k_.notifications.empty()) {
			Notifications stop;
			stop.stopped = true;
			return stop;
		}
		Notifications n = std::move(k_.notifications.front());
		k_.notifications.pop_front();
		return n;
	}

private:
	FakeKernel &k_;
};

inline Connector fake_connector(FakeKernel &k)
{
	return [&k](const Options &) -> std::unique_ptr<Transport> {
		k.connects++;
		return std::make_unique<FakeTransport>(k);
	};
}

}  // namespace alttcpctl::test
