// Turning `config set NAME VALUE...` into a Config, without the kernel.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "param_table.h"

namespace alttcpctl {

// Decimal digits only, as the sysctls take them; throws Error naming `param`
// on bad syntax or when the value does not fit in `max` (a type limit of the
// wire format, not a bound: bounds are the kernel's).
uint64_t parse_unsigned(const std::string &text, const std::string &param, uint64_t max);

// "LOW-HIGH" or "LOW:HIGH", each a u16.
PortRange parse_port_range(const std::string &text);

// "MIN DEFAULT MAX" in one argument, as the sysctl takes it: exactly three
// u32s separated by spaces or tabs (leading and trailing ones are allowed).
BufSizes parse_buf_sizes(const std::string &text, const char *param);

// Only names and syntax are checked here; an empty Config never results.
Config parse_set_args(const std::vector<std::string> &args);

}  // namespace alttcpctl
