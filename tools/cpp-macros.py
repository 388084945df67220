#!/usr/bin/env python3
"""The macros a generated C++ name can run into, from the real headers.

Preprocesses the headers the generated code includes (and, through meshrt's
headers, simdjson's), the C headers a program commonly includes beside them,
and the compilers' predefined macros, with g++ and clang++ in C++17 and C++20
(strict and GNU modes, with and without optimization: some intrinsics are
macros only at -O0), and prints every macro name that a contract name can
spell: names that start with `_` and an uppercase letter or contain `__` are
left out (meshc rewrites those anyway, docs/hardening.md "Hardening II: names
in generated C++").

With --globals, prints instead the names those headers declare in the global
namespace (functions, variables, types, enumerators, namespaces; from clang's
AST dump): a package's first part is a namespace there and must not meet them.

  tools/cpp-macros.py > compiler/codegen/cpp/Macros.inc             (the lists CppGen reserves)
  tools/cpp-macros.py --globals > compiler/codegen/cpp/Globals.inc
  tests/codegen/run.py imports both functions and fails when a list misses a name.
"""
import functools
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What generated code includes (CppGen.cpp: header(), source(), targetsMain()),
# meshrt's public headers, the headers issue 15 names, and common C headers.
HEADERS = [
    "algorithm", "cstdint", "cstring", "iterator", "map", "optional", "string", "string_view", "utility", "vector",
    "meshrt/runtime.h", "meshrt/kafka.h", "meshrt/stream_fields.h", "meshrt/box.h", "meshrt/inline.h",
    "cerrno", "cmath", "climits", "cstdint", "endian.h",
    "cassert", "cctype", "cfloat", "clocale", "csignal", "cstddef", "cstdio", "cstdlib", "ctime", "cwchar",
    "sys/types.h", "sys/sysmacros.h",
]

SPELLABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def reserved_by_pattern(name):
    return (len(name) >= 2 and name[0] == "_" and (name[1].isupper() or name[1] == "_")) or "__" in name


def macros_of(compiler, flags, headers):
    source = "".join(f"#include <{h}>\n" for h in headers)
    out = subprocess.run([compiler, *flags, "-dM", "-E", "-x", "c++", "-I", os.path.join(ROOT, "runtime", "include"),
                          "-"], input=source, capture_output=True, text=True, check=True).stdout
    names = set()
    for line in out.splitlines():
        parts = line.split(maxsplit=2)
        if len(parts) >= 2 and parts[0] == "#define":
            names.add(parts[1].split("(")[0])
    return names


@functools.lru_cache(maxsize=None)
def header_macros(compilers=("g++", "clang++"), headers=tuple(HEADERS)):
    names = set()
    for compiler in compilers:
        for std in ("c++17", "c++20", "gnu++17", "gnu++20"):
            for opt in ("-O0", "-O2"):
                names |= macros_of(compiler, [f"-std={std}", opt], headers)
    return sorted(n for n in names if SPELLABLE.match(n) and not reserved_by_pattern(n))


DECLARING = {"FunctionDecl", "VarDecl", "TypedefDecl", "TypeAliasDecl", "CXXRecordDecl", "RecordDecl", "EnumDecl",
             "EnumConstantDecl", "NamespaceDecl", "NamespaceAliasDecl", "FunctionTemplateDecl", "ClassTemplateDecl",
             "VarTemplateDecl", "UsingDecl"}
AST_LINE = re.compile(r"^((?:[| ] )*)[|`]-(\w+) (.*)$")
AST_NAME = re.compile(r"^0x[0-9a-f]+ (?:(?:prev|parent) 0x[0-9a-f]+ )*<.*?> (?:<invalid sloc>|[^ <]\S*)"
                      r"(?: (?:implicit|used|referenced|invalid|hidden|imported|struct|class|union|enum|constexpr|inline))*"
                      r" ([A-Za-z_][\w:]*)")


def global_names(compiler="clang++", headers=HEADERS):
    """Names declared in the global namespace (directly, in extern "C", or as unscoped enumerators)."""
    names = set()
    source = "".join(f"#include <{h}>\n" for h in headers)
    for std in ("c++17", "gnu++20"):
        dump = subprocess.run([compiler, f"-std={std}", "-fsyntax-only", "-Xclang", "-ast-dump", "-fno-color-diagnostics",
                               "-x", "c++", "-I", os.path.join(ROOT, "runtime", "include"), "-"],
                              input=source, capture_output=True, text=True, check=True).stdout
        scopes = []  # (depth, whether names declared inside it are global)
        for line in dump.splitlines():
            m = AST_LINE.match(line)
            if not m:
                continue
            depth, kind, rest = len(m.group(1)) // 2 + 1, m.group(2), m.group(3)
            while scopes and scopes[-1][0] >= depth:
                scopes.pop()
            at_global = all(g for _, g in scopes)
            transparent = kind == "LinkageSpecDecl" or (kind == "EnumDecl" and " class " not in rest and " struct " not in rest)
            scopes.append((depth, transparent and at_global))
            name = AST_NAME.match(rest) if at_global and kind in DECLARING else None
            if name:
                names.add(name.group(1).split("::")[-1])
    return sorted(n for n in names if not reserved_by_pattern(n))


def main():
    globals_ = "--globals" in sys.argv[1:]
    what = "Names the headers generated C++ includes declare in the global namespace" if globals_ else \
        "Macros of the headers generated C++ includes"
    sys.stdout.write(f"// Generated by tools/cpp-macros.py{' --globals' if globals_ else ''}. DO NOT EDIT.\n"
                     f"// {what} (sorted): CppGen reserves them.\n")
    for name in (global_names() if globals_ else header_macros()):
        sys.stdout.write(f'"{name}",\n')


if __name__ == "__main__":
    main()
