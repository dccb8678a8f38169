# Runtime options of the sanitized builds, sourced by scripts/test-sanitizers and scripts/fuzz.
# Child processes inherit them: the `ultrasearch` servers and CLI runs the tests spawn are the
# sanitized binaries of the same build directory and report the same way.
_sanitizers_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# abort_on_error: a finding ends the process with SIGABRT, which no test mistakes for one of the
# CLI's documented exit codes (1 and 2). Leak checking stays on (LeakSanitizer is part of ASan).
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:check_initialization_order=1:strict_init_order=1:detect_stack_use_after_return=1:strict_string_checks=1:suppressions=${_sanitizers_dir}/asan.supp"
export LSAN_OPTIONS="suppressions=${_sanitizers_dir}/lsan.supp:print_suppressions=0"
# The build uses -fno-sanitize-recover=all, so UBSan already stops at the first finding; the stack
# says where.
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:abort_on_error=1:suppressions=${_sanitizers_dir}/ubsan.supp"
export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=${_sanitizers_dir}/tsan.supp"
# Stacks with function names and lines: the runtimes look for llvm-symbolizer on PATH (package llvm-14).
export PATH="/usr/lib/llvm-14/bin:${PATH}"
unset _sanitizers_dir
