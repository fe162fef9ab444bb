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
}

TEST(DecodeGet, RoundTripThroughEncode)
{
	Config want = sample_config();
	Config got = decode_config(encode_config(want));
	EXPECT_EQ(got.values, want.values);
	EXPECT_EQ(got.port_range, want.port_range);
}

TEST(DecodeGet, RawRecordedBytes)
{
	Bytes range, cfg, msg;
	put_raw(range, ALTTCP_PORT_RANGE_LOW, {0x00, 0x80});   // 32768
	put_raw(range, ALTTCP_PORT_RANGE_HIGH, {0x47, 0xee});  // 60999
	put_raw(cfg, ALTTCP_CFG_SYN_RETRIES, u32le(6));
	put_raw(cfg, ALTTCP_CFG_RTO_MAX_MS, u32le(120000));
	put_raw(cfg, ALTTCP_CFG_LOCAL_PORT_RANGE | NLA_F_NESTED, range);
	put_raw(cfg, ALTTCP_CFG_MAX + 7, u32le(99));  // from a newer kernel
	put_raw(msg, ALTTCP_A_CONFIG | NLA_F_NESTED, cfg);

	Config c = decode_config(msg);
	EXPECT_EQ(c.values[find_param("syn_retries")], 6u);
	EXPECT_EQ(c.values[find_param("rto_max_ms")], 120000u);
	EXPECT_FALSE(c.values[find_param("sack")].has_value());
	ASSERT_TRUE(c.port_range.has_value());
	EXPECT_EQ(*c.port_range, (PortRange{32768, 60999}));
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
}
