// acd/id_map.h: a flat hash map from 64-bit interaction ids to 32-bit indexes (open
// addressing, linear probing, backward-shift deletion). The router looks an id up on every
// event; std::unordered_map costs a node allocation per entry and two cache misses per look-up.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace sb::acd::detail {

class IdMap {
 public:
  static constexpr uint32_t kAbsent = std::numeric_limits<uint32_t>::max();

  IdMap() { rehash(64); }

  uint32_t find(uint64_t key) const {
    for (size_t i = home(key);; i = (i + 1) & mask_) {
      const Entry& e = entries_[i];
      if (e.value == kAbsent) {
        return kAbsent;
      }
      if (e.key == key) {
        return e.value;
      }
    }
  }
  bool contains(uint64_t key) const { return find(key) != kAbsent; }
  size_t size() const { return size_; }

  // Inserts or overwrites. `value` must not be kAbsent.
  void insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > entries_.size()) {
      rehash(entries_.size() * 2);
    }
    size_t i = home(key);
    while (entries_[i].value != kAbsent && entries_[i].key != key) {
      i = (i + 1) & mask_;
    }
    if (entries_[i].value == kAbsent) {
      ++size_;
    }
    entries_[i] = Entry{key, value};
  }

  void erase(uint64_t key) {
    size_t i = home(key);
    while (entries_[i].key != key || entries_[i].value == kAbsent) {
      if (entries_[i].value == kAbsent) {
        return;
      }
      i = (i + 1) & mask_;
    }
    // Backward shift: pull later entries of the probe run into the hole, so look-ups never
    // need tombstones.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_; entries_[j].value != kAbsent; j = (j + 1) & mask_) {
      const size_t h = home(entries_[j].key);
      const bool movable = hole <= j ? (h <= hole || h > j) : (h <= hole && h > j);
      if (movable) {
        entries_[hole] = entries_[j];
        hole = j;
      }
    }
    entries_[hole].value = kAbsent;
    --size_;
  }

  template <typename F>
  void for_each(F f) const {
    for (const Entry& e : entries_) {
      if (e.value != kAbsent) {
        f(e.key, e.value);
      }
    }
  }

 private:
  struct Entry {
    uint64_t key = 0;
    uint32_t value = kAbsent;
  };

  size_t home(uint64_t key) const {
    // splitmix64 finaliser: ids are often sequential, which must not cluster.
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    key ^= key >> 31;
    return static_cast<size_t>(key) & mask_;
  }

  void rehash(size_t capacity) {
    std::vector<Entry> old = std::move(entries_);
    entries_.assign(capacity, Entry{});
    mask_ = capacity - 1;
    size_ = 0;
    for (const Entry& e : old) {
      if (e.value != kAbsent) {
        insert(e.key, e.value);
      }
    }
  }

  std::vector<Entry> entries_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace sb::acd::detail
