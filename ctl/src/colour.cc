#include "colour.h"

#include <cstdlib>
#include <unistd.h>

namespace alttcpctl {

bool colour_wanted(bool is_tty, const char *no_color_env)
{
	// Any NO_COLOR, even empty, counts: the user asked for none.
	return is_tty && no_color_env == nullptr;
}

bool stdout_wants_colour()
{
	return colour_wanted(isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR"));
}

std::string paint(std::string_view text, Colour c, bool enabled)
{
	static const char *const codes[] = {"", "31", "32", "33", "34", "35", "36"};
	if (!enabled || c == Colour::None)
		return std::string(text);
	return std::string("\033[") + codes[static_cast<int>(c)] + "m" + std::string(text) + "\033[0m";
}

}  // namespace alttcpctl
