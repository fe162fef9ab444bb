#include "attrs.h"

#include <cstring>

#include "error.h"

namespace alttcpctl {

namespace {

void check(int rc)
{
	if (rc < 0)
		throw Error("cannot build netlink message: " + std::string(nl_geterror(rc)));
}

template <typename T>
T read(const nlattr *a, const char *what)
{
	if (nla_len(a) < static_cast<int>(sizeof(T)))
		throw Error(std::string("malformed reply from kernel: bad ") + what);
	T v;
	std::memcpy(&v, nla_data(a), sizeof(v));
	return v;
}

}  // namespace

AttrBuilder::AttrBuilder() : msg_(nlmsg_alloc())
{
	if (!msg_)
		check(-NLE_NOMEM);
}

nlattr *AttrBuilder::nest_start(int type)
{
	nlattr *n = nla_nest_start(msg_.get(), type | NLA_F_NESTED);
	if (!n)
		check(-NLE_NOMEM);
	return n;
}

void AttrBuilder::nest_end(nlattr *nest)
{
	check(nla_nest_end(msg_.get(), nest));
}

void AttrBuilder::put_u8(int type, uint8_t v) { check(nla_put_u8(msg_.get(), type, v)); }
void AttrBuilder::put_u16(int type, uint16_t v) { check(nla_put_u16(msg_.get(), type, v)); }
void AttrBuilder::put_u32(int type, uint32_t v) { check(nla_put_u32(msg_.get(), type, v)); }
void AttrBuilder::put_be32(int type, uint32_t v) { check(nla_put(msg_.get(), type, 4, &v)); }
void AttrBuilder::put_string(int type, const std::string &v)
{
	check(nla_put_string(msg_.get(), type, v.c_str()));
}

Bytes AttrBuilder::bytes() const
{
	nlmsghdr *hdr = nlmsg_hdr(msg_.get());
	auto *data = static_cast<const uint8_t *>(nlmsg_data(hdr));
	return Bytes(data, data + nlmsg_datalen(hdr));
}

AttrStream::AttrStream(const Bytes &b) : buf_((b.size() + 7) / 8 + 1), len_(static_cast<int>(b.size()))
{
	if (!b.empty())
		std::memcpy(buf_.data(), b.data(), b.size());
}

uint8_t attr_u8(const nlattr *a, const char *what) { return read<uint8_t>(a, what); }
uint16_t attr_u16(const nlattr *a, const char *what) { return read<uint16_t>(a, what); }
uint32_t attr_u32(const nlattr *a, const char *what) { return read<uint32_t>(a, what); }
uint64_t attr_u64(const nlattr *a, const char *what) { return read<uint64_t>(a, what); }

std::string attr_string(const nlattr *a)
{
	const char *s = static_cast<const char *>(nla_data(a));
	return std::string(s, strnlen(s, static_cast<std::size_t>(nla_len(a))));
}

std::vector<const nlattr *> nested_attrs(const nlattr *nest, const char *what)
{
	std::vector<const nlattr *> out;
	nlattr *a;
	int rem;
	nla_for_each_nested(a, const_cast<nlattr *>(nest), rem)
		out.push_back(a);
	if (rem >= NLA_HDRLEN)
		throw Error(std::string("malformed reply from kernel: truncated ") + what);
	return out;
}

}  // namespace alttcpctl
