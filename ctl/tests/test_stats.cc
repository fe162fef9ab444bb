#include <cerrno>
#include <sstream>

#include <gtest/gtest.h>

#include "cli.h"
#include "error.h"
#include "extack.h"
#include "fake_transport.h"
#include "run_cli.h"
#include "json_check.h"
#include "stats_cmd.h"
#include "stats_codec.h"
#include "stats_reply.h"
#include "writer.h"

using namespace alttcpctl;
using namespace alttcpctl::test;

namespace {

// Every counter different and beyond 32 bits, so a mixed-up id or a
// truncation to u32 cannot hide.
void distinct(uint64_t (&v)[kNumCounters])
{
	for (std::size_t i = 0; i < kNumCounters; i++)
		v[i] = (uint64_t{i + 1} << 40) | (0x1000 + i);
}

void expect_all(const Stats &s, const uint64_t (&v)[kNumCounters])
{
	for (std::size_t i = 0; i < kNumCounters; i++) {
		ASSERT_TRUE(s.values[i].has_value()) << counter_name(i);
		EXPECT_EQ(*s.values[i], v[i]) << counter_name(i);
	}
}

std::string what(const std::function<void()> &f)
{
	try {
		f();
	} catch (const Error &e) {
		return e.what();
	}
	return "(no throw)";
}

// The attributes of an ALTTCP_A_STATS stream, walked by hand: (type,
// offset of the payload in the stream).
std::vector<std::pair<int, std::size_t>> walk_nest(const Bytes &b)
{
	std::vector<std::pair<int, std::size_t>> r;
	for (std::size_t off = NLA_HDRLEN; off + NLA_HDRLEN <= b.size();) {
		uint16_t len, type;
		std::memcpy(&len, &b[off], 2);
		std::memcpy(&type, &b[off + 2], 2);
		r.emplace_back(type, off + NLA_HDRLEN);
		off += NLA_ALIGN(len);
	}
	return r;
}

FakeKernel kernel_with_sample()
{
	FakeKernel k;
	k.replies = {kernel_stats_reply(kSampleCounters)};
	return k;
}

void refuse_with_eperm()
{
	// What NlTransport does with the kernel's NLMSG_ERROR.
	NetlinkError e{EPERM, ""};
	throw KernelError(e.error, describe(e));
}

}  // namespace

// ---- the table ----------------------------------------------------------

TEST(StatsTable, NamesFollowTheUapiIds)
{
	EXPECT_STREQ(counter_name(ALTTCP_MIB_ACTIVE_OPENS), "ActiveOpens");
	EXPECT_STREQ(counter_name(ALTTCP_MIB_CURR_ESTAB), "CurrEstab");
	EXPECT_STREQ(counter_name(ALTTCP_MIB_TW), "TW");
	EXPECT_STREQ(counter_name(ALTTCP_MIB_PAWS_REJECTED), "PAWSRejected");
	EXPECT_EQ(kNumCounters, static_cast<std::size_t>(__ALTTCP_MIB_MAX));
}

TEST(StatsTable, NamesAreUniqueAndFitTheColumn)
{
	for (std::size_t i = 0; i < kNumCounters; i++) {
		EXPECT_LT(std::string(counter_name(i)).size(), kCounterNameWidth) << counter_name(i);
		EXPECT_EQ(find_counter(counter_name(i)), i) << counter_name(i);
	}
}

TEST(StatsTable, FindIgnoresCaseButNotPrefixes)
{
	EXPECT_EQ(find_counter("insegs"), std::optional<std::size_t>(ALTTCP_MIB_IN_SEGS));
	EXPECT_EQ(find_counter("TWREUSED"), std::optional<std::size_t>(ALTTCP_MIB_TW_REUSED));
	EXPECT_EQ(find_counter("tw"), std::optional<std::size_t>(ALTTCP_MIB_TW));
	EXPECT_EQ(find_counter("InSeg"), std::nullopt);
	EXPECT_EQ(find_counter("InSegsX"), std::nullopt);
	EXPECT_EQ(find_counter(""), std::nullopt);
}

TEST(StatsArgs, NamesBecomeIdsInUapiOrderOnce)
{
	EXPECT_EQ(parse_counter_names({}), std::vector<std::size_t>{});
	EXPECT_EQ(parse_counter_names({"TW", "insegs", "ActiveOpens", "tw"}),
		  (std::vector<std::size_t>{ALTTCP_MIB_ACTIVE_OPENS, ALTTCP_MIB_IN_SEGS,
					    ALTTCP_MIB_TW}));
	EXPECT_EQ(what([] { parse_counter_names({"InSegs", "Foo", "Bar"}); }),
		  "unknown counter \"Foo\"");
}

// ---- decoding -----------------------------------------------------------

TEST(DecodeStats, KernelStyleReplyWithPads)
{
	uint64_t v[kNumCounters];
	distinct(v);
	Bytes b = kernel_stats_reply(v);

	// The builder did what nla_put_u64_64bit does: a pad before every u64
	// here (the stream starts 4 bytes off an 8-byte boundary), and every
	// counter's payload 8-byte aligned in the message.
	auto attrs = walk_nest(b);
	ASSERT_EQ(attrs.size(), 2 * kNumCounters);
	for (std::size_t i = 0; i < attrs.size(); i += 2) {
		EXPECT_EQ(attrs[i].first, ALTTCP_STATS_PAD);
		EXPECT_EQ(attrs[i + 1].first, ALTTCP_STATS_ATTR(static_cast<int>(i / 2)));
		EXPECT_EQ((StatsReplyBuilder::kBase + attrs[i + 1].second) % 8, 0u);
	}

	expect_all(decode_stats(b), v);
}

TEST(DecodeStats, WithoutPadsAsOnX86)
{
	uint64_t v[kNumCounters];
	distinct(v);
	Bytes b = kernel_stats_reply(v, false);
	EXPECT_EQ(walk_nest(b).size(), kNumCounters);
	expect_all(decode_stats(b), v);
}

TEST(DecodeStats, UnknownIdsOfANewerKernelAreSkipped)
{
	// A module with two more counters: ids kNumCounters and +1, whose pad
	// type moved up past them, and that happen to come first.
	uint64_t v[kNumCounters];
	distinct(v);
	const int newer_pad = ALTTCP_STATS_ATTR(static_cast<int>(kNumCounters) + 2);
	std::vector<std::pair<int, uint64_t>> attrs = {
		{ALTTCP_STATS_ATTR(static_cast<int>(kNumCounters)), 111},
		{ALTTCP_STATS_ATTR(static_cast<int>(kNumCounters) + 1), 222},
	};
	for (std::size_t i = 0; i < kNumCounters; i++)
		attrs.emplace_back(ALTTCP_STATS_ATTR(static_cast<int>(i)), v[i]);
	attrs.emplace_back(ALTTCP_STATS_ATTR(static_cast<int>(kNumCounters) + 40), 333);
	StatsReplyBuilder sb;
	sb.pad_type = newer_pad;
	Bytes b = sb.build(attrs);
	// This kernel's pad type is a counter id of the newer one: still skipped.
	EXPECT_EQ(ALTTCP_STATS_PAD, ALTTCP_STATS_ATTR(static_cast<int>(kNumCounters)));

	expect_all(decode_stats(b), v);
}

TEST(DecodeStats, OlderKernelLeavesCountersOut)
{
	StatsReplyBuilder sb;
	Stats s = decode_stats(sb.build({{ALTTCP_STATS_ATTR(ALTTCP_MIB_ACTIVE_OPENS), 5},
					 {ALTTCP_STATS_ATTR(ALTTCP_MIB_CURR_ESTAB), 2}}));
	for (std::size_t i = 0; i < kNumCounters; i++) {
		if (i == ALTTCP_MIB_ACTIVE_OPENS)
			EXPECT_EQ(s.values[i], std::optional<uint64_t>(5));
		else if (i == ALTTCP_MIB_CURR_ESTAB)
			EXPECT_EQ(s.values[i], std::optional<uint64_t>(2));
		else
			EXPECT_FALSE(s.values[i].has_value()) << counter_name(i);
	}
}

TEST(DecodeStats, RawRecordedBytes)
{
	// Written out by hand as a little-endian module that pads (arm64, say)
	// lays it out: nest; pad; ActiveOpens = 2^32 + 1; pad; an unknown id
	// 0x40 = 7; pad; CurrEstab = 3.
	if (__BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__)
		GTEST_SKIP() << "little-endian bytes";
	const Bytes b = {
		0x34, 0x00, 0x02, 0x80,                          // ALTTCP_A_STATS | NLA_F_NESTED
		0x04, 0x00, 0x1f, 0x00,                          // pad (31)
		0x0c, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0x01, 0, 0, 0,
		0x04, 0x00, 0x1f, 0x00,
		0x0c, 0x00, 0x40, 0x00, 0x07, 0, 0, 0, 0, 0, 0, 0,
		0x04, 0x00, 0x1f, 0x00,
		0x0c, 0x00, 0x05, 0x00, 0x03, 0, 0, 0, 0, 0, 0, 0,
	};
	static_assert(ALTTCP_STATS_PAD == 0x1f, "the capture predates a new counter");
	Stats s = decode_stats(b);
	EXPECT_EQ(s.values[ALTTCP_MIB_ACTIVE_OPENS], std::optional<uint64_t>((1ull << 32) + 1));
	EXPECT_EQ(s.values[ALTTCP_MIB_CURR_ESTAB], std::optional<uint64_t>(3));
	int present = 0;
	for (const auto &v : s.values)
		present += v.has_value();
	EXPECT_EQ(present, 2);
}

TEST(DecodeStats, MalformedRepliesThrow)
{
	EXPECT_EQ(what([] { decode_stats({}); }), "malformed reply from kernel: no counters");

	// A GET_CONFIG-shaped reply: no ALTTCP_A_STATS.
	StatsReplyBuilder sb;
	Bytes b = sb.build({{ALTTCP_STATS_ATTR(0), 1}});
	b[2] = ALTTCP_A_CONFIG;
	EXPECT_EQ(what([&] { decode_stats(b); }), "malformed reply from kernel: no counters");

	// A counter of 4 bytes.
	sb.pad = false;
	b = sb.build({{ALTTCP_STATS_ATTR(ALTTCP_MIB_IN_SEGS), 1}});
	b[4] = NLA_HDRLEN + 4;
	b.resize(b.size() - 4);
	b[0] = static_cast<uint8_t>(b.size());
	EXPECT_EQ(what([&] { decode_stats(b); }), "malformed reply from kernel: bad InSegs");

	// The last counter runs past the end of the nest.
	b = sb.build({{ALTTCP_STATS_ATTR(0), 1}, {ALTTCP_STATS_ATTR(1), 2}});
	b[0] = static_cast<uint8_t>(b[0] - 4);
	b.resize(b.size() - 4);
	EXPECT_EQ(what([&] { decode_stats(b); }), "malformed reply from kernel: truncated counters");
}

// ---- output -------------------------------------------------------------

TEST(WriteStats, TextIsNstatLike)
{
	Stats s;
	for (std::size_t i = 0; i < kNumCounters; i++)
		s.values[i] = kSampleCounters[i];
	std::ostringstream t;
	write_stats(*make_text_writer(t, kCounterNameWidth), s);
	EXPECT_EQ(t.str(), kSampleStatsText);

	std::ostringstream j;
	write_stats(*make_json_writer(j, false), s);
	EXPECT_EQ(j.str(), kSampleStatsJson);
}

TEST(WriteStats, FilterKeepsUapiOrder)
{
	Stats s;
	for (std::size_t i = 0; i < kNumCounters; i++)
		s.values[i] = kSampleCounters[i];
	std::ostringstream t;
	write_stats(*make_text_writer(t, kCounterNameWidth), s,
		    {ALTTCP_MIB_CURR_ESTAB, ALTTCP_MIB_TW});
	EXPECT_EQ(t.str(), "CurrEstab                       3\n"
			   "TW                              9\n");
}

TEST(TextWriter, KeyWidthPadsButNeverJoins)
{
	std::ostringstream t;
	auto w = make_text_writer(t, 8);
	w->begin_object();
	w->field_uint("abc", 1);
	w->field_uint("abcdefgh", 2);
	w->field_uint("abcdefghij", 3);
	w->field_uint_list("r", {4, 5});
	w->end_object();
	EXPECT_EQ(t.str(), "abc     1\nabcdefgh 2\nabcdefghij 3\nr       4\t5\n");
}

// ---- the command line ---------------------------------------------------

TEST(StatsCli, ShowText)
{
	FakeKernel k = kernel_with_sample();
	Result r = run_with(k, {"stats", "show"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.err, "");
	EXPECT_EQ(r.out, kSampleStatsText);
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.resolved, std::vector<std::string>{"alttcp"});
	EXPECT_EQ(k.requests[0].family, 42);
	EXPECT_EQ(k.requests[0].version, ALTTCP_GENL_VERSION);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_STATS);
	EXPECT_TRUE(k.requests[0].attrs.empty());
}

TEST(StatsCli, AloneAndPrefixesMeanShow)
{
	for (auto args : std::vector<std::vector<std::string>>{
		     {"stats"}, {"stat"}, {"s"}, {"stats", "sh"}, {"st", "s"}}) {
		FakeKernel k = kernel_with_sample();
		Result r = run_with(k, args);
		EXPECT_EQ(r.rc, 0) << args[0];
		EXPECT_EQ(r.out, kSampleStatsText) << args[0];
		ASSERT_EQ(k.requests.size(), 1u);
		EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_GET_STATS);
	}
}

TEST(StatsCli, ShowJsonAndPretty)
{
	FakeKernel k = kernel_with_sample();
	EXPECT_EQ(run_with(k, {"-j", "stats"}).out, kSampleStatsJson);
	EXPECT_EQ(run_with(k, {"--json", "stats", "show"}).out, kSampleStatsJson);

	Result r = run_with(k, {"-p", "stats"});
	EXPECT_EQ(r.rc, 0);
	Json j = JsonParser::parse(r.out);
	ASSERT_EQ(j.kind, Json::Object);
	ASSERT_EQ(j.members.size(), kNumCounters);
	for (std::size_t i = 0; i < kNumCounters; i++)
		EXPECT_EQ(j.members[i].first, counter_name(i));
	EXPECT_EQ(j.at("CurrEstab").num, 3);
	EXPECT_NE(r.out.find("\n    \"ActiveOpens\": 12,\n"), std::string::npos);
}

TEST(StatsCli, ShowNamedCounters)
{
	FakeKernel k = kernel_with_sample();
	Result r = run_with(k, {"stats", "show", "tw", "InSegs", "CurrEstab", "TW"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out, "CurrEstab                       3\n"
			 "InSegs                          4294967301\n"
			 "TW                              9\n");
	EXPECT_EQ(run_with(k, {"-j", "stats", "show", "OutSegs"}).out,
		  "{\"OutSegs\":18446744073709551615}\n");
}

TEST(StatsCli, UnknownCounterNeverReachesTheKernel)
{
	FakeKernel k = kernel_with_sample();
	Result r = run_with(k, {"stats", "show", "InSegs", "Foo"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: unknown counter \"Foo\"\n");
	r = run_with(k, {"stats", "show", "InSeg"});
	EXPECT_EQ(r.err, "Error: unknown counter \"InSeg\"\n");
	EXPECT_EQ(k.connects, 0);
}

TEST(StatsCli, ResetSpellings)
{
	for (auto args : std::vector<std::vector<std::string>>{
		     {"stats", "reset"}, {"stats", "-z"}, {"stats", "--zero"}, {"stats", "res"},
		     {"s", "r"}}) {
		FakeKernel k;
		Result r = run_with(k, args);
		EXPECT_EQ(r.rc, 0) << args[1];
		EXPECT_EQ(r.out, "") << args[1];
		EXPECT_EQ(r.err, "") << args[1];
		ASSERT_EQ(k.requests.size(), 1u) << args[1];
		EXPECT_EQ(k.requests[0].family, 42);
		EXPECT_EQ(k.requests[0].version, ALTTCP_GENL_VERSION);
		EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_RESET_STATS) << args[1];
		EXPECT_TRUE(k.requests[0].attrs.empty());
	}
}

TEST(StatsCli, ResetWithoutPermission)
{
	FakeKernel k;
	k.fail = refuse_with_eperm;
	Result r = run_with(k, {"stats", "-z"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "Error: Operation not permitted\n");
	ASSERT_EQ(k.requests.size(), 1u);
	EXPECT_EQ(k.requests[0].cmd, ALTTCP_CMD_RESET_STATS);
}

TEST(StatsCli, ModuleNotLoaded)
{
	FakeKernel k;
	k.family = std::nullopt;
	for (auto args : std::vector<std::vector<std::string>>{{"stats"}, {"stats", "--zero"}}) {
		Result r = run_with(k, args);
		EXPECT_EQ(r.rc, 1);
		EXPECT_EQ(r.out, "");
		EXPECT_EQ(r.err, "Error: alttcp module not loaded\n");
	}
	EXPECT_TRUE(k.requests.empty());
}

TEST(StatsCli, BadArguments)
{
	FakeKernel k;
	const std::string hint = "Try \"alttcpctl stats help\".\n";
	Result r = run_with(k, {"stats", "frob"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unknown stats command \"frob\"\n" + hint);

	// Option-like spellings match only in full: "-" or "--" resets nothing.
	for (std::string a : {"-", "--", "--z", "-zero", "-Z", "-q", "--zeros"}) {
		r = run_with(k, {"stats", a});
		EXPECT_EQ(r.rc, 1) << a;
		EXPECT_EQ(r.err, "Error: unknown stats command \"" + a + "\"\n" + hint) << a;
	}

	r = run_with(k, {"stats", "reset", "now"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unexpected argument \"now\"\n" + hint);
	r = run_with(k, {"stats", "-z", "-j"});
	EXPECT_EQ(r.err, "Error: unexpected argument \"-j\"\n" + hint);

	EXPECT_EQ(k.connects, 0);
	EXPECT_TRUE(k.requests.empty());
}

TEST(StatsCli, KernelReplyOfWrongShape)
{
	FakeKernel k;  // acks GET_STATS with no reply message
	Result r = run_with(k, {"stats"});
	EXPECT_EQ(r.rc, 1);
	EXPECT_EQ(r.err, "Error: unexpected reply from kernel: 0 messages for GET_STATS\n");
}

TEST(StatsCli, Help)
{
	FakeKernel k;
	Result r = run_with(k, {"help"});
	EXPECT_NE(r.out.find("  stats [show [NAME...]]"), std::string::npos);
	EXPECT_NE(r.out.find("  stats { reset | -z | --zero }"), std::string::npos);

	r = run_with(k, {"stats", "help"});
	EXPECT_EQ(r.rc, 0);
	EXPECT_EQ(r.out.rfind("Usage: alttcpctl [OPTIONS] stats", 0), 0u);
	for (std::size_t i = 0; i < kNumCounters; i++)
		EXPECT_NE(r.out.find(std::string("\n  ") + counter_name(i) + "\n"), std::string::npos)
			<< counter_name(i);
	EXPECT_EQ(k.connects, 0);
}
