#include <gtest/gtest.h>

#include "colour.h"

using namespace alttcpctl;

TEST(Colour, OnlyOnATtyWithoutNoColor)
{
	EXPECT_TRUE(colour_wanted(true, nullptr));
	EXPECT_FALSE(colour_wanted(false, nullptr));
	EXPECT_FALSE(colour_wanted(true, "1"));
	EXPECT_FALSE(colour_wanted(true, ""));
}

TEST(Colour, PaintWrapsOnlyWhenEnabled)
{
	EXPECT_EQ(paint("ESTAB", Colour::Green, true), "\033[32mESTAB\033[0m");
	EXPECT_EQ(paint("ESTAB", Colour::Green, false), "ESTAB");
	EXPECT_EQ(paint("ESTAB", Colour::None, true), "ESTAB");
}
