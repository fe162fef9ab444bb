#include "inet.h"

#include <arpa/inet.h>
#include <cstring>

#include "error.h"

namespace alttcpctl {

std::optional<uint32_t> parse_ipv4(const std::string &text)
{
	in_addr a;
	if (inet_pton(AF_INET, text.c_str(), &a) != 1)
		return std::nullopt;
	uint32_t v;
	std::memcpy(&v, &a, sizeof(v));
	return v;
}

std::string format_ipv4(uint32_t be_addr)
{
	in_addr a;
	std::memcpy(&a, &be_addr, sizeof(be_addr));
	char buf[INET_ADDRSTRLEN];
	return inet_ntop(AF_INET, &a, buf, sizeof(buf));
}

uint16_t parse_port(const std::string &text, const std::string &what,
		    const std::string &object)
{
	unsigned long v = 0;
	bool ok = !text.empty() && text.size() <= 5;
	for (char c : text) {
		if (c < '0' || c > '9')
			ok = false;
		else
			v = v * 10 + static_cast<unsigned long>(c - '0');
	}
	if (!ok || v < 1 || v > 65535)
		throw UsageError("invalid " + what + " \"" + text + "\" (1-65535)", object);
	return static_cast<uint16_t>(v);
}

Endpoint parse_endpoint(const std::string &text, const std::string &what,
			const std::string &object)
{
	Endpoint e;
	std::string addr = text;
	auto colon = text.rfind(':');
	if (colon != std::string::npos) {
		addr = text.substr(0, colon);
		e.port = parse_port(text.substr(colon + 1), what + " port", object);
	}
	if (addr.empty() || addr == "*") {
		if (!e.port)
			throw UsageError(what + " \"" + text + "\" names neither address nor port",
					 object);
		return e;
	}
	e.addr = parse_ipv4(addr);
	if (!e.addr)
		throw UsageError("invalid " + what + " address \"" + addr + "\"", object);
	if (*e.addr == 0)
		throw UsageError(what + " address 0.0.0.0 cannot be matched; use \"*\" for any",
				 object);
	return e;
}

std::string format_endpoint(uint32_t be_addr, uint16_t port)
{
	return format_ipv4(be_addr) + ":" + (port ? std::to_string(port) : "*");
}

}  // namespace alttcpctl
