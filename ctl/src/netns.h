// `-n NAME`: join a namespace created by `ip netns add NAME`.
#pragma once

#include <string>

namespace alttcpctl {

// Moves the calling thread into /run/netns/NAME; throws Error on failure.
// Must happen before the netlink socket opens: a socket belongs to the
// namespace it was created in.
void enter_netns(const std::string &name);

}  // namespace alttcpctl
