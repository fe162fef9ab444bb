// A strict little JSON parser, so tests check that output really is JSON
// and can look inside it rather than only compare strings.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace alttcpctl::test {

struct Json {
	enum Kind { Null, Bool, Number, String, Array, Object } kind = Null;
	bool b = false;
	double num = 0;
	std::string str;
	std::vector<Json> items;
	std::vector<std::pair<std::string, Json>> members;  // in document order

	const Json &at(const std::string &key) const
	{
		for (const auto &m : members)
			if (m.first == key)
				return m.second;
		throw std::out_of_range("no key " + key);
	}
};

class JsonParser {
public:
	static Json parse(const std::string &text)
	{
		JsonParser p(text);
		Json v = p.value();
		p.ws();
		if (p.i_ != text.size())
			p.fail("trailing characters");
		return v;
	}

private:
	explicit JsonParser(const std::string &t) : t_(t) {}

	[[noreturn]] void fail(const std::string &why)
	{
		throw std::runtime_error("invalid JSON at " + std::to_string(i_) + ": " + why);
	}
	void ws()
	{
		while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\n' || t_[i_] == '\t' || t_[i_] == '\r'))
			i_++;
	}
	char peek() { return i_ < t_.size() ? t_[i_] : '\0'; }
	void expect(char c)
	{
		if (peek() != c)
			fail(std::string("expected '") + c + "'");
		i_++;
	}
	bool literal(const char *w)
	{
		std::string s(w);
		if (t_.compare(i_, s.size(), s) != 0)
			return false;
		i_ += s.size();
		return true;
	}
	Json value()
	{
		ws();
		Json v;
		char c = peek();
		if (c == '{') {
			v.kind = Json::Object;
			i_++;
			ws();
			if (peek() == '}') {
				i_++;
				return v;
			}
			for (;;) {
				ws();
				std::string k = string();
				for (const auto &m : v.members)
					if (m.first == k)
						fail("duplicate key " + k);
				ws();
				expect(':');
				v.members.emplace_back(k, value());
				ws();
				if (peek() == ',') { i_++; continue; }
				expect('}');
				return v;
			}
		}
		if (c == '[') {
			v.kind = Json::Array;
			i_++;
			ws();
			if (peek() == ']') {
				i_++;
				return v;
			}
			for (;;) {
				v.items.push_back(value());
				ws();
				if (peek() == ',') { i_++; continue; }
				expect(']');
				return v;
			}
		}
		if (c == '"') {
			v.kind = Json::String;
			v.str = string();
			return v;
		}
		if (literal("true")) { v.kind = Json::Bool; v.b = true; return v; }
		if (literal("false")) { v.kind = Json::Bool; return v; }
		if (literal("null")) return v;
		return number();
	}
	Json number()
	{
		std::size_t start = i_;
		if (peek() == '-') i_++;
		if (peek() == '0') {
			i_++;
		} else if (peek() >= '1' && peek() <= '9') {
			while (peek() >= '0' && peek() <= '9') i_++;
		} else {
			fail("expected a value");
		}
		if (peek() == '.') {
			i_++;
			if (!(peek() >= '0' && peek() <= '9')) fail("bad fraction");
			while (peek() >= '0' && peek() <= '9') i_++;
		}
		if (peek() == 'e' || peek() == 'E') {
			i_++;
			if (peek() == '+' || peek() == '-') i_++;
			if (!(peek() >= '0' && peek() <= '9')) fail("bad exponent");
			while (peek() >= '0' && peek() <= '9') i_++;
		}
		Json v;
		v.kind = Json::Number;
		v.num = std::stod(t_.substr(start, i_ - start));
		return v;
	}
	std::string string()
	{
		expect('"');
		std::string s;
		for (;;) {
			if (i_ >= t_.size()) fail("unterminated string");
			unsigned char c = static_cast<unsigned char>(t_[i_++]);
			if (c == '"') return s;
			if (c < 0x20) fail("raw control character in string");
			if (c != '\\') { s += static_cast<char>(c); continue; }
			char e = peek();
			i_++;
			switch (e) {
			case '"': s += '"'; break;
			case '\\': s += '\\'; break;
			case '/': s += '/'; break;
			case 'b': s += '\b'; break;
			case 'f': s += '\f'; break;
			case 'n': s += '\n'; break;
			case 'r': s += '\r'; break;
			case 't': s += '\t'; break;
			case 'u': {
				if (i_ + 4 > t_.size()) fail("short \\u");
				unsigned cp = std::stoul(t_.substr(i_, 4), nullptr, 16);
				i_ += 4;
				if (cp >= 0x80) fail("test parser handles ASCII \\u only");
				s += static_cast<char>(cp);
				break;
			}
			default: fail("bad escape");
			}
		}
	}

	const std::string &t_;
	std::size_t i_ = 0;
};

}  // namespace alttcpctl::test
