#include <cstring>

#include <gtest/gtest.h>

#include "config_codec.h"
#include "error.h"
#include "kernel_reply.h"

using namespace alttcpctl;
using namespace alttcpctl::test;

namespace {

// Every field different, so a mixed-up attribute number cannot hide.
Config distinct_config()
{
	Config c;
	for (std::size_t i = 0; i < kNumParams; i++)
		c.values[i] = static_cast<uint32_t>(1000 + i);
	c.port_range = PortRange{40000, 50001};
	c.rmem = BufSizes{70001, 70002, 4000000003u};
	return c;
}

// Little-endian raw attribute, as on x86 and in a capture.
void put_raw(Bytes &b, uint16_t type, const Bytes &payload)
{
	uint16_t len = static_cast<uint16_t>(4 + payload.size());
	b.push_back(len & 0xff);
	b.push_back(len >> 8);
	b.push_back(type & 0xff);
	b.push_back(type >> 8);
	b.insert(b.end(), payload.begin(), payload.end());
	while (b.size() % 4)
		b.push_back(0);
}

Bytes u32le(uint32_t v)
{
	return {uint8_t(v), uint8_t(v >> 8), uint8_t(v >> 16), uint8_t(v >> 24)};
}

struct Parsed {
	std::vector<uint32_t> words;  // keeps the buffer aligned
	nlattr *top[ALTTCP_A_MAX + 1];
	nlattr *cfg[ALTTCP_CFG_MAX + 1];
	nlattr *pr[ALTTCP_PORT_RANGE_MAX + 1];
	nlattr *buf[ALTTCP_BUF_ATTR_MAX + 1];
};

void parse_back(const Bytes &b, Parsed &p)
{
	p.words.assign((b.size() + 3) / 4, 0);
	std::memcpy(p.words.data(), b.data(), b.size());
	auto *head = reinterpret_cast<nlattr *>(p.words.data());
	ASSERT_EQ(nla_parse(p.top, ALTTCP_A_MAX, head, static_cast<int>(b.size()), nullptr), 0);
	ASSERT_NE(p.top[ALTTCP_A_CONFIG], nullptr);
	ASSERT_EQ(nla_parse_nested(p.cfg, ALTTCP_CFG_MAX, p.top[ALTTCP_A_CONFIG], nullptr), 0);
	std::memset(p.pr, 0, sizeof(p.pr));
	if (p.cfg[ALTTCP_CFG_LOCAL_PORT_RANGE]) {
		ASSERT_EQ(nla_parse_nested(p.pr, ALTTCP_PORT_RANGE_MAX,
					   p.cfg[ALTTCP_CFG_LOCAL_PORT_RANGE], nullptr), 0);
	}
	std::memset(p.buf, 0, sizeof(p.buf));
	if (p.cfg[ALTTCP_CFG_RMEM]) {
		ASSERT_EQ(nla_parse_nested(p.buf, ALTTCP_BUF_ATTR_MAX, p.cfg[ALTTCP_CFG_RMEM], nullptr), 0);
	}
}

// A raw reply whose ALTTCP_CFG_RMEM nest holds `buf`.
Bytes reply_with_rmem_nest(const Bytes &buf)
{
	Bytes cfg, msg;
	put_raw(cfg, ALTTCP_CFG_RMEM | NLA_F_NESTED, buf);
	put_raw(msg, ALTTCP_A_CONFIG | NLA_F_NESTED, cfg);
	return msg;
}

std::string decode_error(const Bytes &msg)
{
	try {
		decode_config(msg);
	} catch (const Error &e) {
		return e.what();
	}
	return "(no error)";
}

}  // namespace

TEST(EncodeSet, OnlyTheNamedAttributesInOneNest)
{
	Config c;
	c.values[find_param("syn_retries")] = 3;
	c.values[find_param("rto_max_ms")] = 60000;
	Bytes b = encode_config(c);

	Parsed p;
	parse_back(b, p);
	EXPECT_TRUE(p.top[ALTTCP_A_CONFIG]->nla_type & NLA_F_NESTED);
	ASSERT_NE(p.cfg[ALTTCP_CFG_SYN_RETRIES], nullptr);
	EXPECT_EQ(nla_len(p.cfg[ALTTCP_CFG_SYN_RETRIES]), 4);
	EXPECT_EQ(nla_get_u32(p.cfg[ALTTCP_CFG_SYN_RETRIES]), 3u);
	ASSERT_NE(p.cfg[ALTTCP_CFG_RTO_MAX_MS], nullptr);
	EXPECT_EQ(nla_get_u32(p.cfg[ALTTCP_CFG_RTO_MAX_MS]), 60000u);
	int present = 0;
	for (int a = 1; a <= ALTTCP_CFG_MAX; a++)
		present += p.cfg[a] != nullptr;
	EXPECT_EQ(present, 2);
	// One nest, nothing after it.
	EXPECT_EQ(b.size(), static_cast<std::size_t>(NLA_ALIGN(p.top[ALTTCP_A_CONFIG]->nla_len)));
}

TEST(EncodeSet, PortRangeIsANestOfTwoU16)
{
	Config c;
	c.port_range = PortRange{1024, 65000};
	Parsed p;
	parse_back(encode_config(c), p);
	nlattr *nest = p.cfg[ALTTCP_CFG_LOCAL_PORT_RANGE];
	ASSERT_NE(nest, nullptr);
	EXPECT_TRUE(nest->nla_type & NLA_F_NESTED);
	ASSERT_NE(p.pr[ALTTCP_PORT_RANGE_LOW], nullptr);
	ASSERT_NE(p.pr[ALTTCP_PORT_RANGE_HIGH], nullptr);
	EXPECT_EQ(nla_len(p.pr[ALTTCP_PORT_RANGE_LOW]), 2);
	EXPECT_EQ(nla_get_u16(p.pr[ALTTCP_PORT_RANGE_LOW]), 1024);
	EXPECT_EQ(nla_get_u16(p.pr[ALTTCP_PORT_RANGE_HIGH]), 65000);
}

TEST(EncodeSet, RmemIsANestOfThreeU32)
{
	Config c;
	c.rmem = BufSizes{4096, 131072, 6291456};
	Bytes b = encode_config(c);
	Parsed p;
	parse_back(b, p);
	nlattr *nest = p.cfg[ALTTCP_CFG_RMEM];
	ASSERT_NE(nest, nullptr);
	EXPECT_TRUE(nest->nla_type & NLA_F_NESTED);
	for (int a : {ALTTCP_BUF_MIN, ALTTCP_BUF_DEFAULT, ALTTCP_BUF_MAX}) {
		ASSERT_NE(p.buf[a], nullptr) << a;
		EXPECT_EQ(nla_len(p.buf[a]), 4) << a;
	}
	EXPECT_EQ(nla_get_u32(p.buf[ALTTCP_BUF_MIN]), 4096u);
	EXPECT_EQ(nla_get_u32(p.buf[ALTTCP_BUF_DEFAULT]), 131072u);
	EXPECT_EQ(nla_get_u32(p.buf[ALTTCP_BUF_MAX]), 6291456u);
	// Nothing else in the request: the nest is the only config attribute,
	// and it holds exactly the three sizes.
	int present = 0;
	for (int a = 1; a <= ALTTCP_CFG_MAX; a++)
		present += p.cfg[a] != nullptr;
	EXPECT_EQ(present, 1);
	EXPECT_EQ(nla_len(nest), 3 * NLA_HDRLEN + 3 * 4);
}

TEST(EncodeSet, PortRangeAndRmemTogether)
{
	Config c;
	c.port_range = PortRange{1024, 65000};
	c.rmem = BufSizes{1, 2, 4294967295u};
	Parsed p;
	parse_back(encode_config(c), p);
	ASSERT_NE(p.pr[ALTTCP_PORT_RANGE_LOW], nullptr);
	EXPECT_EQ(nla_get_u16(p.pr[ALTTCP_PORT_RANGE_LOW]), 1024);
	ASSERT_NE(p.buf[ALTTCP_BUF_MAX], nullptr);
	EXPECT_EQ(nla_get_u32(p.buf[ALTTCP_BUF_MIN]), 1u);
	EXPECT_EQ(nla_get_u32(p.buf[ALTTCP_BUF_DEFAULT]), 2u);
	EXPECT_EQ(nla_get_u32(p.buf[ALTTCP_BUF_MAX]), 4294967295u);
}

TEST(EncodeSet, EveryFieldUsesItsUapiAttribute)
{
	Config c = distinct_config();
	Parsed p;
	parse_back(encode_config(c), p);
	for (std::size_t i = 0; i < kNumParams; i++) {
		ASSERT_NE(p.cfg[kParams[i].attr], nullptr) << kParams[i].name;
		EXPECT_EQ(nla_get_u32(p.cfg[kParams[i].attr]), 1000 + i) << kParams[i].name;
	}
	EXPECT_EQ(ALTTCP_CFG_SYN_RETRIES, kParams[find_param("syn_retries")].attr);
	EXPECT_EQ(ALTTCP_CFG_RTO_INITIAL_MS, kParams[find_param("rto_initial_ms")].attr);
	EXPECT_EQ(ALTTCP_CFG_WINDOW_SCALING, kParams[find_param("window_scaling")].attr);
}

TEST(DecodeGet, KernelStyleReplyEveryField)
{
	Config want = distinct_config();
	Config got = decode_config(kernel_reply(want));
	for (std::size_t i = 0; i < kNumParams; i++)
		EXPECT_EQ(got.values[i], want.values[i]) << kParams[i].name;
	ASSERT_TRUE(got.port_range.has_value());
	EXPECT_EQ(got.port_range->low, 40000);
	EXPECT_EQ(got.port_range->high, 50001);
	ASSERT_TRUE(got.rmem.has_value());
	EXPECT_EQ(got.rmem->min, 70001u);
	EXPECT_EQ(got.rmem->def, 70002u);
	EXPECT_EQ(got.rmem->max, 4000000003u);
}

TEST(DecodeGet, RoundTripThroughEncode)
{
	Config want = sample_config();
	Config got = decode_config(encode_config(want));
	EXPECT_EQ(got.values, want.values);
	EXPECT_EQ(got.port_range, want.port_range);
	EXPECT_EQ(got.rmem, want.rmem);
	EXPECT_EQ(got.rmem, (BufSizes{4096, 131072, 6291456}));
}

TEST(DecodeGet, RawRecordedBytes)
{
	Bytes range, rmem, cfg, msg;
	put_raw(range, ALTTCP_PORT_RANGE_LOW, {0x00, 0x80});   // 32768
	put_raw(range, ALTTCP_PORT_RANGE_HIGH, {0x47, 0xee});  // 60999
	put_raw(rmem, ALTTCP_BUF_MIN, {0x00, 0x10, 0x00, 0x00});      // 4096
	put_raw(rmem, ALTTCP_BUF_DEFAULT, {0x00, 0x00, 0x02, 0x00});  // 131072
	put_raw(rmem, ALTTCP_BUF_MAX, {0x00, 0x00, 0x60, 0x00});      // 6291456
	put_raw(rmem, ALTTCP_BUF_ATTR_MAX + 3, u32le(7));            // from a newer kernel
	put_raw(cfg, ALTTCP_CFG_SYN_RETRIES, u32le(6));
	put_raw(cfg, ALTTCP_CFG_RTO_MAX_MS, u32le(120000));
	put_raw(cfg, ALTTCP_CFG_LOCAL_PORT_RANGE | NLA_F_NESTED, range);
	put_raw(cfg, ALTTCP_CFG_RMEM | NLA_F_NESTED, rmem);
	put_raw(cfg, ALTTCP_CFG_MAX + 7, u32le(99));  // from a newer kernel
	put_raw(msg, ALTTCP_A_CONFIG | NLA_F_NESTED, cfg);

	Config c = decode_config(msg);
	EXPECT_EQ(c.values[find_param("syn_retries")], 6u);
	EXPECT_EQ(c.values[find_param("rto_max_ms")], 120000u);
	EXPECT_FALSE(c.values[find_param("sack")].has_value());
	ASSERT_TRUE(c.port_range.has_value());
	EXPECT_EQ(*c.port_range, (PortRange{32768, 60999}));
	ASSERT_TRUE(c.rmem.has_value());
	EXPECT_EQ(*c.rmem, (BufSizes{4096, 131072, 6291456}));
}

TEST(DecodeGet, RmemAbsentFromAnOlderKernel)
{
	Bytes cfg, msg;
	put_raw(cfg, ALTTCP_CFG_SYN_RETRIES, u32le(6));
	put_raw(msg, ALTTCP_A_CONFIG | NLA_F_NESTED, cfg);
	Config c = decode_config(msg);
	EXPECT_EQ(c.values[find_param("syn_retries")], 6u);
	EXPECT_FALSE(c.rmem.has_value());
	EXPECT_FALSE(c.port_range.has_value());
}

TEST(DecodeGet, MalformedRmemThrows)
{
	const std::string bad = "malformed reply from kernel: bad rmem";
	const std::string shrt = "malformed reply from kernel: short rmem";

	Bytes whole;
	put_raw(whole, ALTTCP_BUF_MIN, u32le(4096));
	put_raw(whole, ALTTCP_BUF_DEFAULT, u32le(131072));
	put_raw(whole, ALTTCP_BUF_MAX, u32le(6291456));
	EXPECT_EQ(decode_error(reply_with_rmem_nest(whole)), "(no error)");  // the baseline

	// Each of the three missing in turn.
	for (int missing : {ALTTCP_BUF_MIN, ALTTCP_BUF_DEFAULT, ALTTCP_BUF_MAX}) {
		Bytes buf;
		for (int a : {ALTTCP_BUF_MIN, ALTTCP_BUF_DEFAULT, ALTTCP_BUF_MAX})
			if (a != missing)
				put_raw(buf, static_cast<uint16_t>(a), u32le(4096));
		EXPECT_EQ(decode_error(reply_with_rmem_nest(buf)), bad) << "without " << missing;
	}
	EXPECT_EQ(decode_error(reply_with_rmem_nest({})), bad);  // an empty nest

	// Each of the three cut to two bytes in turn.
	for (int cut : {ALTTCP_BUF_MIN, ALTTCP_BUF_DEFAULT, ALTTCP_BUF_MAX}) {
		Bytes buf;
		for (int a : {ALTTCP_BUF_MIN, ALTTCP_BUF_DEFAULT, ALTTCP_BUF_MAX})
			put_raw(buf, static_cast<uint16_t>(a), a == cut ? Bytes{0x00, 0x10} : u32le(4096));
		EXPECT_EQ(decode_error(reply_with_rmem_nest(buf)), shrt) << "cut " << cut;
	}

	// A nest whose inner attribute claims more than the nest holds.
	Bytes broken = {0x08, 0x00, ALTTCP_BUF_MIN, 0x00};
	EXPECT_EQ(decode_error(reply_with_rmem_nest(broken)), bad);
}

TEST(DecodeGet, MalformedRepliesThrow)
{
	EXPECT_THROW(decode_config({}), Error);

	Bytes other;
	put_raw(other, ALTTCP_A_MAX + 1, u32le(1));
	EXPECT_THROW(decode_config(other), Error);

	Bytes cfg, msg;
	put_raw(cfg, ALTTCP_CFG_SYN_RETRIES, {6, 0});  // u32 cut to two bytes
	put_raw(msg, ALTTCP_A_CONFIG | NLA_F_NESTED, cfg);
	EXPECT_THROW(decode_config(msg), Error);

	Bytes range, cfg2, msg2;
	put_raw(range, ALTTCP_PORT_RANGE_LOW, {0x00, 0x80});
	put_raw(cfg2, ALTTCP_CFG_LOCAL_PORT_RANGE | NLA_F_NESTED, range);
	put_raw(msg2, ALTTCP_A_CONFIG | NLA_F_NESTED, cfg2);
	EXPECT_THROW(decode_config(msg2), Error);  // no HIGH
	EXPECT_EQ(decode_error(msg2), "malformed reply from kernel: bad local_port_range");
}
