// The `conn` object: list connections as `ss -tan` does, and kill them as
// `ss -K` does.  Output formats are described in conn_format.h.
#pragma once

#include <ostream>

#include "dispatch.h"

namespace alttcpctl {

const Object &conn_object();

void conn_usage(std::ostream &out);

}  // namespace alttcpctl
