#include "writer.h"

#include <cstdio>

namespace alttcpctl {

namespace {

class TextWriter : public Writer {
public:
	// one_line: each record on one line, its fields separated by spaces.
	TextWriter(std::ostream &out, std::size_t key_width, bool one_line)
		: out_(out), key_width_(key_width), one_line_(one_line) {}
	void begin_array() override { records_ = 0; }
	void end_array() override {}
	// Records of a list are told apart by a blank line, like `ethtool`.
	void begin_object() override
	{
		if (depth_++ == 0) {
			if (records_++ > 0 && !one_line_)
				out_ << '\n';
			fields_ = 0;
		}
	}
	void end_object() override
	{
		if (!prefixes_.empty() && prefix_depths_.back() == depth_) {
			prefixes_.pop_back();
			prefix_depths_.pop_back();
		}
		if (--depth_ == 0 && one_line_)
			out_ << '\n';
	}
	void begin_object_field(std::string_view key) override
	{
		depth_++;
		prefixes_.push_back(full_key(key) + ".");
		prefix_depths_.push_back(depth_);
	}
	void field_uint(std::string_view key, uint64_t v) override
	{
		key_(key);
		out_ << v;
		end_field();
	}
	void field_string(std::string_view key, std::string_view v) override
	{
		key_(key);
		out_ << v;
		end_field();
	}
	void field_uint_list(std::string_view key, const std::vector<uint64_t> &v) override
	{
		key_(key);
		for (std::size_t i = 0; i < v.size(); i++)
			out_ << (i ? (one_line_ ? "," : "\t") : "") << v[i];
		end_field();
	}
	void field_bool(std::string_view key, bool v) override { field_uint(key, v ? 1 : 0); }
	void field_null(std::string_view key) override { field_string(key, "-"); }

private:
	std::string full_key(std::string_view key) const
	{
		return (prefixes_.empty() ? std::string() : prefixes_.back()) + std::string(key);
	}
	void key_(std::string_view key)
	{
		std::string k = full_key(key);
		if (one_line_) {
			out_ << (fields_++ ? " " : "") << k << ' ';
			return;
		}
		out_ << k << std::string(k.size() < key_width_ ? key_width_ - k.size() : 1, ' ');
	}
	void end_field()
	{
		if (!one_line_)
			out_ << '\n';
	}

	std::ostream &out_;
	std::size_t key_width_;
	bool one_line_;
	int records_ = 0;
	int depth_ = 0;
	int fields_ = 0;
	std::vector<std::string> prefixes_;
	std::vector<int> prefix_depths_;
};

class JsonWriter : public Writer {
public:
	JsonWriter(std::ostream &out, bool pretty) : out_(out), pretty_(pretty) {}
	void begin_array() override { open('['); }
	void end_array() override { close(']'); }
	void begin_object() override { open('{'); }
	void end_object() override { close('}'); }
	void begin_object_field(std::string_view key) override
	{
		key_(key);
		out_ << '{';
		firsts_.push_back(true);
	}
	void field_bool(std::string_view key, bool v) override
	{
		key_(key);
		out_ << (v ? "true" : "false");
	}
	void field_null(std::string_view key) override
	{
		key_(key);
		out_ << "null";
	}
	void field_uint(std::string_view key, uint64_t v) override
	{
		key_(key);
		out_ << v;
	}
	void field_string(std::string_view key, std::string_view v) override
	{
		key_(key);
		out_ << json_quote(v);
	}
	void field_uint_list(std::string_view key, const std::vector<uint64_t> &v) override
	{
		key_(key);
		out_ << '[';
		for (std::size_t i = 0; i < v.size(); i++)
			out_ << (i ? (pretty_ ? ", " : ",") : "") << v[i];
		out_ << ']';
	}

private:
	// Starts a value in the current container: comma and indentation.
	void element()
	{
		if (firsts_.empty())
			return;
		if (!firsts_.back())
			out_ << ',';
		firsts_.back() = false;
		newline();
	}
	void newline()
	{
		if (pretty_)
			out_ << '\n' << std::string(4 * firsts_.size(), ' ');
	}
	void key_(std::string_view key)
	{
		element();
		out_ << json_quote(key) << (pretty_ ? ": " : ":");
	}
	void open(char c)
	{
		element();
		out_ << c;
		firsts_.push_back(true);
	}
	void close(char c)
	{
		bool empty = firsts_.back();
		firsts_.pop_back();
		if (!empty)
			newline();
		out_ << c;
		if (firsts_.empty())
			out_ << '\n';
	}

	std::ostream &out_;
	bool pretty_;
	std::vector<bool> firsts_;  // per open container: nothing written yet
};

}  // namespace

std::unique_ptr<Writer> make_text_writer(std::ostream &out, std::size_t key_width)
{
	return std::make_unique<TextWriter>(out, key_width, false);
}

std::unique_ptr<Writer> make_line_writer(std::ostream &out)
{
	return std::make_unique<TextWriter>(out, 0, true);
}

std::unique_ptr<Writer> make_json_writer(std::ostream &out, bool pretty)
{
	return std::make_unique<JsonWriter>(out, pretty);
}

std::string json_quote(std::string_view s)
{
	std::string r = "\"";
	for (unsigned char c : s) {
		switch (c) {
		case '"': r += "\\\""; break;
		case '\\': r += "\\\\"; break;
		case '\b': r += "\\b"; break;
		case '\f': r += "\\f"; break;
		case '\n': r += "\\n"; break;
		case '\r': r += "\\r"; break;
		case '\t': r += "\\t"; break;
		default:
			if (c < 0x20) {
				char buf[8];
				std::snprintf(buf, sizeof(buf), "\\u%04x", c);
				r += buf;
			} else {
				r += static_cast<char>(c);
			}
		}
	}
	return r + "\"";
}

}  // namespace alttcpctl
