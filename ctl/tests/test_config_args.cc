#include <gtest/gtest.h>

#include "config_args.h"
#include "error.h"

using namespace alttcpctl;

namespace {

std::string error_of(const std::vector<std::string> &args)
{
	try {
		parse_set_args(args);
	} catch (const Error &e) {
		return e.what();
	}
	return "(no error)";
}

bool is_usage_error(const std::vector<std::string> &args)
{
	try {
		parse_set_args(args);
	} catch (const UsageError &) {
		return true;
	} catch (const Error &) {
	}
	return false;
}

int idx(const char *name)
{
	return find_param(name);
}

}  // namespace

TEST(ConfigArgs, OnePair)
{
	Config c = parse_set_args({"syn_retries", "3"});
	EXPECT_EQ(c.values[idx("syn_retries")], 3u);
	for (std::size_t i = 0; i < kNumParams; i++) {
		if (static_cast<int>(i) != idx("syn_retries")) {
			EXPECT_FALSE(c.values[i].has_value()) << kParams[i].name;
		}
	}
	EXPECT_FALSE(c.port_range.has_value());
	EXPECT_FALSE(c.rmem.has_value());
}

TEST(ConfigArgs, SeveralPairsIncludingThePortRange)
{
	Config c = parse_set_args({"rto_min_ms", "50", "local_port_range", "1024-2048", "sack", "0"});
	EXPECT_EQ(c.values[idx("rto_min_ms")], 50u);
	EXPECT_EQ(c.values[idx("sack")], 0u);
	ASSERT_TRUE(c.port_range.has_value());
	EXPECT_EQ(c.port_range->low, 1024);
	EXPECT_EQ(c.port_range->high, 2048);
	EXPECT_FALSE(c.rmem.has_value());
}

TEST(ConfigArgs, SeveralPairsIncludingRmem)
{
	Config c = parse_set_args({"sack", "0", "rmem", "4096 131072 6291456", "local_port_range", "1-2"});
	EXPECT_EQ(c.values[idx("sack")], 0u);
	EXPECT_EQ(c.port_range, (PortRange{1, 2}));
	ASSERT_TRUE(c.rmem.has_value());
	EXPECT_EQ(c.rmem->min, 4096u);
	EXPECT_EQ(c.rmem->def, 131072u);
	EXPECT_EQ(c.rmem->max, 6291456u);
	int present = 0;
	for (const auto &v : c.values)
		present += v.has_value();
	EXPECT_EQ(present, 1);
}

TEST(ConfigArgs, EveryTableNameIsAccepted)
{
	for (const ParamInfo &p : kParams)
		EXPECT_TRUE(parse_set_args({p.name, "1"}).values[idx(p.name)].has_value()) << p.name;
}

TEST(ConfigArgs, UnknownNameSaysOnlyThat)
{
	EXPECT_EQ(error_of({"foo", "1"}), "unknown parameter \"foo\"");
	EXPECT_EQ(error_of({"syn_retries", "1", "foo", "1"}), "unknown parameter \"foo\"");
	// Names are exact: a prefix would change a different knob one day.
	EXPECT_EQ(error_of({"syn", "1"}), "unknown parameter \"syn\"");
	EXPECT_EQ(error_of({"foo"}), "unknown parameter \"foo\"");
}

TEST(ConfigArgs, MissingValueAndOddCount)
{
	EXPECT_EQ(error_of({"syn_retries"}), "missing value for syn_retries");
	EXPECT_EQ(error_of({"syn_retries", "3", "sack"}), "missing value for sack");
	EXPECT_TRUE(is_usage_error({"syn_retries", "3", "sack"}));
	EXPECT_TRUE(is_usage_error({}));
	EXPECT_EQ(error_of({}), "config set needs NAME VALUE pairs");
}

TEST(ConfigArgs, NonNumericValues)
{
	EXPECT_EQ(error_of({"syn_retries", "abc"}), "invalid value \"abc\" for syn_retries");
	EXPECT_EQ(error_of({"syn_retries", "-1"}), "invalid value \"-1\" for syn_retries");
	EXPECT_EQ(error_of({"syn_retries", "+1"}), "invalid value \"+1\" for syn_retries");
	EXPECT_EQ(error_of({"syn_retries", "0x10"}), "invalid value \"0x10\" for syn_retries");
	EXPECT_EQ(error_of({"syn_retries", " 1"}), "invalid value \" 1\" for syn_retries");
	EXPECT_EQ(error_of({"syn_retries", "1.5"}), "invalid value \"1.5\" for syn_retries");
	EXPECT_EQ(error_of({"syn_retries", ""}), "invalid value \"\" for syn_retries");
	EXPECT_FALSE(is_usage_error({"syn_retries", "abc"}));
}

TEST(ConfigArgs, U32LimitIsLocalButBoundsAreNot)
{
	EXPECT_EQ(parse_set_args({"somaxconn", "4294967295"}).values[idx("somaxconn")], 4294967295u);
	EXPECT_EQ(error_of({"somaxconn", "4294967296"}),
		  "value \"4294967296\" for somaxconn is too large (at most 4294967295)");
	EXPECT_NE(error_of({"somaxconn", "99999999999999999999999"}), "(no error)");
	// 1000 is outside syn_retries' [1, 127]: that is for the kernel to say.
	EXPECT_EQ(parse_set_args({"syn_retries", "1000"}).values[idx("syn_retries")], 1000u);
	EXPECT_EQ(parse_set_args({"syn_retries", "0"}).values[idx("syn_retries")], 0u);
	EXPECT_EQ(parse_set_args({"syn_retries", "007"}).values[idx("syn_retries")], 7u);
}

TEST(ConfigArgs, PortRangeForms)
{
	EXPECT_EQ(*parse_set_args({"local_port_range", "1024-2048"}).port_range, (PortRange{1024, 2048}));
	EXPECT_EQ(*parse_set_args({"local_port_range", "1024:2048"}).port_range, (PortRange{1024, 2048}));
	EXPECT_EQ(*parse_set_args({"local_port_range", "0-65535"}).port_range, (PortRange{0, 65535}));
	// low > high is a bound, so the kernel's call.
	EXPECT_EQ(*parse_set_args({"local_port_range", "5000-4000"}).port_range, (PortRange{5000, 4000}));
}

TEST(ConfigArgs, BadPortRanges)
{
	const std::string want = "invalid value \"1024\" for local_port_range (expected LOW-HIGH or LOW:HIGH)";
	EXPECT_EQ(error_of({"local_port_range", "1024"}), want);
	EXPECT_NE(error_of({"local_port_range", "1-2-3"}), "(no error)");
	EXPECT_NE(error_of({"local_port_range", "1:2-3"}), "(no error)");
	EXPECT_EQ(error_of({"local_port_range", "1024-"}), "invalid value \"\" for local_port_range");
	EXPECT_EQ(error_of({"local_port_range", "-2048"}), "invalid value \"\" for local_port_range");
	EXPECT_EQ(error_of({"local_port_range", "a-b"}), "invalid value \"a\" for local_port_range");
	EXPECT_EQ(error_of({"local_port_range", "1024-70000"}),
		  "value \"70000\" for local_port_range is too large (at most 65535)");
	// Two separate numbers are not a NAME VALUE pair.
	EXPECT_EQ(error_of({"local_port_range", "1024", "2048"}), want);
}

TEST(ConfigArgs, RmemForms)
{
	auto rmem = [](const std::string &v) { return *parse_set_args({"rmem", v}).rmem; };
	EXPECT_EQ(rmem("4096 131072 6291456"), (BufSizes{4096, 131072, 6291456}));
	// As /proc/sys/net/alttcp/rmem prints it, and with runs of blanks.
	EXPECT_EQ(rmem("4096\t131072\t6291456"), (BufSizes{4096, 131072, 6291456}));
	EXPECT_EQ(rmem("1  \t 2\t\t3"), (BufSizes{1, 2, 3}));
	EXPECT_EQ(rmem("  10 20 30\t "), (BufSizes{10, 20, 30}));
	EXPECT_EQ(rmem("0 0 4294967295"), (BufSizes{0, 0, 4294967295u}));
	// Order and bounds are the kernel's call.
	EXPECT_EQ(rmem("6291456 131072 4096"), (BufSizes{6291456, 131072, 4096}));
}

TEST(ConfigArgs, BadRmem)
{
	auto want = [](const std::string &v) {
		return "invalid value \"" + v + "\" for rmem (expected MIN DEFAULT MAX)";
	};
	for (const char *v : {"4096", "4096 131072", "4096 131072 6291456 1", "", " \t ",
			      "4096,131072,6291456", "4096:131072:6291456", "4096-131072-6291456"})
		EXPECT_EQ(error_of({"rmem", v}), want(v)) << '"' << v << '"';
	EXPECT_EQ(error_of({"rmem", "4096 abc 6291456"}), "invalid value \"abc\" for rmem");
	EXPECT_EQ(error_of({"rmem", "4096 -1 6291456"}), "invalid value \"-1\" for rmem");
	EXPECT_EQ(error_of({"rmem", "4096 131072 0x10"}), "invalid value \"0x10\" for rmem");
	EXPECT_EQ(error_of({"rmem", "4096 131072 6291456\n"}), "invalid value \"6291456\n\" for rmem");
	EXPECT_EQ(error_of({"rmem", "1 2 4294967296"}),
		  "value \"4294967296\" for rmem is too large (at most 4294967295)");
	// Three separate numbers are not a NAME VALUE pair: one argument it is.
	EXPECT_EQ(error_of({"rmem", "4096", "131072", "6291456"}), want("4096"));
	EXPECT_EQ(error_of({"rmem"}), "missing value for rmem");
	EXPECT_TRUE(is_usage_error({"rmem"}));
	EXPECT_FALSE(is_usage_error({"rmem", "1 2"}));
	// Exact names, as for the table.
	EXPECT_EQ(error_of({"rme", "1 2 3"}), "unknown parameter \"rme\"");
	EXPECT_EQ(error_of({"rmem_max", "1"}), "unknown parameter \"rmem_max\"");
}

TEST(ConfigArgs, RepeatedNameIsRejected)
{
	EXPECT_EQ(error_of({"sack", "1", "sack", "0"}), "parameter sack given more than once");
	EXPECT_EQ(error_of({"local_port_range", "1-2", "local_port_range", "3-4"}),
		  "parameter local_port_range given more than once");
	EXPECT_EQ(error_of({"rmem", "1 2 3", "sack", "1", "rmem", "1 2 3"}),
		  "parameter rmem given more than once");
	EXPECT_TRUE(is_usage_error({"rmem", "1 2 3", "rmem", "4 5 6"}));
	// Each nest is counted on its own.
	EXPECT_EQ(error_of({"rmem", "1 2 3", "local_port_range", "1-2"}), "(no error)");
}
