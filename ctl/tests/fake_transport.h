// A Transport that records requests and plays back canned answers.
#pragma once

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
};

struct FakeKernel {
	std::optional<int> family = 42;
	std::vector<Bytes> replies;
	std::function<void()> fail;  // throw from here to refuse a request
	std::vector<Request> requests;
	std::vector<std::string> resolved;
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
