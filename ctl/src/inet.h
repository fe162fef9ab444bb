// IPv4 addresses and ports as the alttcp API carries them: an address is
// the be32 of the wire (its bytes in network order, kept in a uint32_t as
// they are in memory), a port a host-order u16.  Pure, for filters, rows,
// events and listener rules alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace alttcpctl {

// Dotted quad only ("10.0.0.1"); nullopt on anything else.
std::optional<uint32_t> parse_ipv4(const std::string &text);

std::string format_ipv4(uint32_t be_addr);

// 1..65535, decimal; throws UsageError naming `what` (and `object`).
uint16_t parse_port(const std::string &text, const std::string &what,
		    const std::string &object);

// "ADDR", "ADDR:PORT", "*:PORT" or ":PORT", where "*" (or nothing) is any
// address.  0.0.0.0 is refused: the kernel reads 0 as "any" too, so a
// filter naming it would silently match everything.
struct Endpoint {
	std::optional<uint32_t> addr;
	std::optional<uint16_t> port;
};
Endpoint parse_endpoint(const std::string &text, const std::string &what,
			const std::string &object);

// "10.0.0.1:80"; port 0 (a listener's peer) is "*", as ss prints it.
std::string format_endpoint(uint32_t be_addr, uint16_t port);

}  // namespace alttcpctl
