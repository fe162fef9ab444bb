// Netlink attribute streams both ways, for the codecs: building requests
// with libnl (RAII) and reading kernel replies defensively, so that a short
// or truncated attribute is an Error, never an out-of-bounds read.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <netlink/attr.h>

#include "nl_ptr.h"
#include "transport.h"

namespace alttcpctl {

class AttrBuilder {
public:
	AttrBuilder();  // throws Error when out of memory
	// NLA_F_NESTED is set explicitly: the kernel's strict validation wants
	// it and not every libnl release adds it.
	nlattr *nest_start(int type);
	void nest_end(nlattr *nest);
	void put_u8(int type, uint8_t v);
	void put_u16(int type, uint16_t v);
	void put_u32(int type, uint32_t v);
	// v already in network byte order.
	void put_be32(int type, uint32_t v);
	void put_string(int type, const std::string &v);
	// The attribute stream (what follows the genlmsghdr).
	Bytes bytes() const;

private:
	NlMsgPtr msg_;
};

// An aligned, mutable copy of an attribute stream, as nla_parse wants.
class AttrStream {
public:
	explicit AttrStream(const Bytes &b);
	nlattr *head() { return reinterpret_cast<nlattr *>(buf_.data()); }
	int len() const { return len_; }

private:
	std::vector<uint64_t> buf_;
	int len_;
};

// Fixed-size payload readers: throw Error("malformed reply from kernel: bad
// <what>") when the payload is shorter than the type.  u64 payloads are
// copied out, as nla_put_u64_64bit aligns them only where it padded.
uint8_t attr_u8(const nlattr *a, const char *what);
uint16_t attr_u16(const nlattr *a, const char *what);
uint32_t attr_u32(const nlattr *a, const char *what);
uint64_t attr_u64(const nlattr *a, const char *what);
std::string attr_string(const nlattr *a);

// The nest's children, or Error when one runs past the end of the nest.
std::vector<const nlattr *> nested_attrs(const nlattr *nest, const char *what);

}  // namespace alttcpctl
