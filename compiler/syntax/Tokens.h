// Tokens: the lexer's tokens and the arena they live in. Internal to
// compiler/syntax (see Recognizers.h).
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "antlr4-runtime.h"

namespace mesh::syntax {

/// A token as the lexer makes it: what the default token factory's
/// CommonToken holds, and reads the same, built by a few stores in an
/// arena (TokenArena) instead of a heap block and CommonToken's out-of-line
/// constructors. Deleting one, as the token stream's unique_ptrs do, runs
/// its destructor and leaves the memory to the arena.
class LexedToken final : public antlr4::WritableToken {
 public:
  LexedToken(antlr4::TokenSource* source, antlr4::CharStream* input, size_t type, size_t channel, size_t start,
             size_t stop, size_t line, size_t column)
      : source_(source),
        input_(input),
        type_(type),
        channel_(channel),
        start_(start),
        stop_(stop),
        line_(line),
        column_(column) {}

  static void* operator new(size_t) = delete;
  static void operator delete(void*) {}

  std::string getText() const override;
  size_t getType() const override { return type_; }
  size_t getLine() const override { return line_; }
  size_t getCharPositionInLine() const override { return column_; }
  size_t getChannel() const override { return channel_; }
  size_t getTokenIndex() const override { return index_; }
  size_t getStartIndex() const override { return start_; }
  size_t getStopIndex() const override { return stop_; }
  antlr4::TokenSource* getTokenSource() const override { return source_; }
  antlr4::CharStream* getInputStream() const override { return input_; }
  std::string toString() const override;

  void setText(const std::string& text) override { text_ = text; }
  void setType(size_t type) override { type_ = type; }
  void setLine(size_t line) override { line_ = line; }
  void setCharPositionInLine(size_t column) override { column_ = column; }
  void setChannel(size_t channel) override { channel_ = channel; }
  void setTokenIndex(size_t index) override { index_ = index; }

 private:
  friend class TokenFields;  // Session.h: the builder reads the fields without the virtual getters

  antlr4::TokenSource* source_;
  antlr4::CharStream* input_;
  size_t type_, channel_, start_, stop_, line_, column_;
  size_t index_ = INVALID_INDEX;
  std::string text_;  // set by error reporting only; empty: the input's
};

/// Room for LexedTokens, a block of them at a time (each block is freed
/// with the arena; the tokens' destructors are run by whoever deletes
/// them). It must outlive its tokens.
class TokenArena {
 public:
  template <typename... Args>
  LexedToken* make(Args&&... args) {
    if (next_ == end_) grow();
    return ::new (next_++) LexedToken(std::forward<Args>(args)...);
  }

 private:
  static constexpr size_t kTokensPerBlock = 256;  // 26 KiB: below malloc's mmap threshold
  struct alignas(LexedToken) Slot {
    std::byte bytes[sizeof(LexedToken)];
  };

  [[gnu::noinline]] void grow() {
    blocks_.emplace_back(new Slot[kTokensPerBlock]);
    next_ = blocks_.back().get();
    end_ = next_ + kTokensPerBlock;
  }

  std::vector<std::unique_ptr<Slot[]>> blocks_;
  Slot* next_ = nullptr;
  Slot* end_ = nullptr;
};

}  // namespace mesh::syntax
