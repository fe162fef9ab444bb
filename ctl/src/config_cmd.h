// The `config` object: show and set the per-namespace tunables.
#pragma once

#include <ostream>

#include "dispatch.h"
#include "param_table.h"

namespace alttcpctl {

class Writer;

const Object &config_object();

// What `config show` prints, minus the fetching: table order, then
// local_port_range, then rmem; fields the kernel did not send are left out.
void write_config(Writer &w, const Config &c);

void config_usage(std::ostream &out);

}  // namespace alttcpctl
