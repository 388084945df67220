// meshrt/inline.h: the inlining and branch hints of the hot path. Generated
// validators mark what a valid message never takes (a null required field,
// a duplicate key, a failed check) as unlikely, so compilers lay the valid
// path out straight.
//
// C++17: generated code includes this header.
#pragma once

#if defined(__GNUC__)
// The few readers every field goes through; GCC otherwise leaves some out of
// line in large generated functions.
#define MESHRT_ALWAYS_INLINE inline __attribute__((always_inline))
#define MESHRT_LIKELY(x) __builtin_expect(!!(x), 1)
#define MESHRT_UNLIKELY(x) __builtin_expect(!!(x), 0)
#else
#define MESHRT_ALWAYS_INLINE inline
#define MESHRT_LIKELY(x) (x)
#define MESHRT_UNLIKELY(x) (x)
#endif
