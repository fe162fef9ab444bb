#include <gtest/gtest.h>

#include "error.h"
#include "options.h"

using namespace alttcpctl;
using V = std::vector<std::string>;

TEST(Options, NoneLeavesEverythingToTheObject)
{
	auto r = parse_options({"config", "show"});
	EXPECT_FALSE(r.opts.json);
	EXPECT_FALSE(r.opts.pretty);
	EXPECT_TRUE(r.opts.netns.empty());
	EXPECT_EQ(r.rest, (V{"config", "show"}));
}

TEST(Options, ShortAndLongJson)
{
	EXPECT_TRUE(parse_options({"-j", "config"}).opts.json);
	EXPECT_TRUE(parse_options({"--json", "config"}).opts.json);
	EXPECT_TRUE(parse_options({"--js", "config"}).opts.json);  // getopt_long prefix
}

TEST(Options, PrettyImpliesJson)
{
	auto r = parse_options({"-p", "config"});
	EXPECT_TRUE(r.opts.pretty);
	EXPECT_TRUE(r.opts.json);
	EXPECT_TRUE(parse_options({"--pretty"}).opts.pretty);
}

TEST(Options, BundledShortOptions)
{
	auto r = parse_options({"-jp", "config"});
	EXPECT_TRUE(r.opts.json);
	EXPECT_TRUE(r.opts.pretty);
	EXPECT_EQ(r.rest, V{"config"});
}

TEST(Options, NetnsForms)
{
	EXPECT_EQ(parse_options({"-n", "blue", "config"}).opts.netns, "blue");
	EXPECT_EQ(parse_options({"-nblue", "config"}).opts.netns, "blue");
	EXPECT_EQ(parse_options({"-jnblue", "config"}).opts.netns, "blue");
	EXPECT_EQ(parse_options({"--netns", "blue", "config"}).opts.netns, "blue");
	EXPECT_EQ(parse_options({"--netns=blue", "config"}).opts.netns, "blue");
	auto r = parse_options({"-n", "blue", "-j", "config"});
	EXPECT_TRUE(r.opts.json);
	EXPECT_EQ(r.rest, V{"config"});
}

TEST(Options, NetnsNeedsAName)
{
	EXPECT_THROW(parse_options({"-n"}), UsageError);
	EXPECT_THROW(parse_options({"--netns"}), UsageError);
	EXPECT_THROW(parse_options({"--netns="}), UsageError);
	try {
		parse_options({"-n"});
	} catch (const UsageError &e) {
		EXPECT_STREQ(e.what(), "option -n needs a namespace NAME");
	}
}

TEST(Options, HelpAndVersion)
{
	EXPECT_TRUE(parse_options({"-h"}).opts.help);
	EXPECT_TRUE(parse_options({"--help"}).opts.help);
	EXPECT_TRUE(parse_options({"-V"}).opts.version);
	EXPECT_TRUE(parse_options({"--version"}).opts.version);
}

TEST(Options, UnknownOptionsAreRejected)
{
	try {
		parse_options({"-x", "config"});
		FAIL() << "no throw";
	} catch (const UsageError &e) {
		EXPECT_STREQ(e.what(), "unknown option \"-x\"");
	}
	try {
		parse_options({"--bogus"});
		FAIL() << "no throw";
	} catch (const UsageError &e) {
		EXPECT_STREQ(e.what(), "unknown option \"--bogus\"");
	}
	EXPECT_THROW(parse_options({"--json=1"}), UsageError);
}

TEST(Options, OptionsStopAtTheObjectAndAtDoubleDash)
{
	EXPECT_EQ(parse_options({"config", "-j"}).rest, (V{"config", "-j"}));
	EXPECT_FALSE(parse_options({"config", "-j"}).opts.json);
	EXPECT_EQ(parse_options({"--", "-weird"}).rest, V{"-weird"});
	EXPECT_EQ(parse_options({"-"}).rest, V{"-"});
}

TEST(Options, ExtendedAndInfoAsInSs)
{
	auto r = parse_options({"-e", "-i", "conn"});
	EXPECT_TRUE(r.opts.extended);
	EXPECT_TRUE(r.opts.info);
	EXPECT_FALSE(r.opts.json);
	r = parse_options({"-jei", "conn"});
	EXPECT_TRUE(r.opts.extended && r.opts.info && r.opts.json);
	r = parse_options({"--extended", "--info", "conn"});
	EXPECT_TRUE(r.opts.extended && r.opts.info);
	EXPECT_TRUE(parse_options({"--ext", "conn"}).opts.extended);
	EXPECT_FALSE(parse_options({"conn"}).opts.extended);
	EXPECT_FALSE(parse_options({"conn"}).opts.info);
	EXPECT_THROW(parse_options({"--info=1", "conn"}), UsageError);
}
