// Builds attribute streams byte by byte the way the module's nla_put_*
// calls do, independently of the tool's own encoders and of libnl:
// nla_nest_start (which sets NLA_F_NESTED), nla_put_u8/u16/u32/be32 (a u8
// still takes 8 bytes), nla_put_flag (an empty attribute) and
// nla_put_u64_64bit, which where unaligned access is slow first puts an
// empty pad attribute whenever the u64 payload would not be 8-byte aligned
// relative to the (8-byte aligned) message start.
#pragma once

#include <arpa/inet.h>
#include <cstring>
#include <string>
#include <vector>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "transport.h"

namespace alttcpctl::test {

class KernelMsg {
public:
	// Where the attribute stream starts in the kernel's message.
	static constexpr std::size_t kBase = NLMSG_HDRLEN + GENL_HDRLEN;

	explicit KernelMsg(bool pad64 = true) : pad64_(pad64) {}

	KernelMsg &nest_start(int type)
	{
		nests_.push_back(b_.size());
		hdr(0, static_cast<uint16_t>(type | NLA_F_NESTED));
		return *this;
	}
	KernelMsg &nest_end()
	{
		std::size_t at = nests_.back();
		nests_.pop_back();
		uint16_t len = static_cast<uint16_t>(b_.size() - at);
		std::memcpy(&b_[at], &len, 2);
		return *this;
	}
	KernelMsg &u8(int type, uint8_t v) { return put(type, &v, 1); }
	KernelMsg &u16(int type, uint16_t v) { return put(type, &v, 2); }
	KernelMsg &u32(int type, uint32_t v) { return put(type, &v, 4); }
	// addr a dotted quad, put in network order as nla_put_be32 does.
	KernelMsg &be32(int type, const char *addr)
	{
		in_addr a;
		inet_pton(AF_INET, addr, &a);
		return put(type, &a, 4);
	}
	KernelMsg &flag(int type) { return put(type, nullptr, 0); }
	KernelMsg &str(int type, const std::string &s) { return put(type, s.c_str(), s.size() + 1); }
	KernelMsg &u64(int type, uint64_t v, int pad_type)
	{
		if (pad64_ && (kBase + b_.size() + NLA_HDRLEN) % 8 != 0)
			put(pad_type, nullptr, 0);
		return put(type, &v, 8);
	}
	const Bytes &bytes() const { return b_; }

private:
	void hdr(uint16_t len, uint16_t type)
	{
		uint8_t h[4];
		std::memcpy(h, &len, 2);
		std::memcpy(h + 2, &type, 2);
		b_.insert(b_.end(), h, h + 4);
	}
	KernelMsg &put(int type, const void *p, std::size_t n)
	{
		hdr(static_cast<uint16_t>(NLA_HDRLEN + n), static_cast<uint16_t>(type));
		const auto *c = static_cast<const uint8_t *>(p);
		if (n)
			b_.insert(b_.end(), c, c + n);
		while (b_.size() % 4)
			b_.push_back(0);
		return *this;
	}

	bool pad64_;
	Bytes b_;
	std::vector<std::size_t> nests_;
};

// Walks a stream's attributes at one level: (type without flags, payload).
struct RawAttr {
	uint16_t type;
	bool nested;
	Bytes payload;
};
inline std::vector<RawAttr> raw_attrs(const Bytes &b)
{
	std::vector<RawAttr> r;
	for (std::size_t off = 0; off + NLA_HDRLEN <= b.size();) {
		uint16_t len, type;
		std::memcpy(&len, &b[off], 2);
		std::memcpy(&type, &b[off + 2], 2);
		if (len < NLA_HDRLEN || off + len > b.size())
			break;
		r.push_back({static_cast<uint16_t>(type & NLA_TYPE_MASK), (type & NLA_F_NESTED) != 0,
			     Bytes(b.begin() + off + NLA_HDRLEN, b.begin() + off + len)});
		off += NLA_ALIGN(len);
	}
	return r;
}

inline Bytes le(uint64_t v, std::size_t n)
{
	Bytes b(n);
	std::memcpy(b.data(), &v, n);
	return b;
}

inline Bytes ip(const char *addr)
{
	Bytes b(4);
	inet_pton(AF_INET, addr, b.data());
	return b;
}

}  // namespace alttcpctl::test
