// One output path for text and JSON: commands describe their data to a
// Writer, and the chosen implementation decides how it looks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace alttcpctl {

class Writer {
public:
	virtual ~Writer() = default;
	// A list of records (e.g. connections); objects may nest inside.
	virtual void begin_array() = 0;
	virtual void end_array() = 0;
	// One record.
	virtual void begin_object() = 0;
	virtual void end_object() = 0;
	virtual void field_uint(std::string_view key, uint64_t v) = 0;
	virtual void field_string(std::string_view key, std::string_view v) = 0;
	virtual void field_uint_list(std::string_view key, const std::vector<uint64_t> &v) = 0;
};

// `key value` lines; a list's values are tab-separated, as in /proc/sys.
// With key_width, each key is padded with spaces to that many columns (and
// followed by at least one space), as `nstat` lines up its counters.
std::unique_ptr<Writer> make_text_writer(std::ostream &out, std::size_t key_width = 0);
// Compact JSON on one line, or indented by four spaces when pretty.
std::unique_ptr<Writer> make_json_writer(std::ostream &out, bool pretty);

// s as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

}  // namespace alttcpctl
