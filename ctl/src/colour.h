// Colour for text output, for objects that want it (conn states, monitor
// events).  Off unless stdout is a terminal and NO_COLOR is unset.
#pragma once

#include <string>
#include <string_view>

namespace alttcpctl {

enum class Colour { None, Red, Green, Yellow, Blue, Magenta, Cyan };

// Pure, so the policy is testable; the caller supplies isatty() and getenv().
bool colour_wanted(bool is_tty, const char *no_color_env);

// The policy applied to this process's stdout.
bool stdout_wants_colour();

// text wrapped in the colour's escape sequence, or unchanged when !enabled.
std::string paint(std::string_view text, Colour c, bool enabled);

}  // namespace alttcpctl
