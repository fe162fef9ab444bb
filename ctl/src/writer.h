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
	virtual void field_bool(std::string_view key, bool v) = 0;
	// A value known to be absent (JSON null).
	virtual void field_null(std::string_view key) = 0;
	// An object as the value of key, closed by end_object().
	virtual void begin_object_field(std::string_view key) = 0;
};

// `key value` lines; a list's values are tab-separated, as in /proc/sys.
// With key_width, each key is padded with spaces to that many columns (and
// followed by at least one space), as `nstat` lines up its counters.
// Booleans are 1 or 0, null is "-", and the fields of a nested object are
// keyed "outer.inner".
std::unique_ptr<Writer> make_text_writer(std::ostream &out, std::size_t key_width = 0);
// Like the text writer but one line per record, `ip`-style:
// "port 8080 addr * synack_retries 1".
std::unique_ptr<Writer> make_line_writer(std::ostream &out);
// Compact JSON on one line, or indented by four spaces when pretty.
std::unique_ptr<Writer> make_json_writer(std::ostream &out, bool pretty);

// s as a JSON string literal, quotes included.
std::string json_quote(std::string_view s);

}  // namespace alttcpctl
