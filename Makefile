# lossbook — plain Makefile.  Targets: all report test clean install deps bench
# memcheck fuzz.  `make report` and `make test` install what a fresh Debian
# machine lacks (through `make deps`) before they build.

# No built-in rules or suffixes: every rule is written below, and without
# them make does not try dozens of implicit rules for each of the ~700
# sources and headers it checks (a no-op `make report` then costs a few
# milliseconds, issue 15).
MAKEFLAGS += --no-builtin-rules
.SUFFIXES:

CC       := gcc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
OUT      ?= out

WARN     := -Wall -Wextra -Werror
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT      ?= -O2 -g
CFLAGS   ?=
# Sources live in one folder per pipeline stage (src/*/); includes name the
# folder ("compute/catalog.h").  -iquote, not -I: src/math/math.h (our TeX
# math API) must never shadow <math.h>.
override CFLAGS += $(CSTD) $(WARN) $(OPT) -MMD -MP -iquote src
LDLIBS   := -lhpdf -lmd4c -lcjson -lexpat -lz -lm -pthread

# SANITIZE=1: a separate tree built with ASan+UBSan; every test then runs
# under the sanitizers (issue 7).
ifeq ($(SANITIZE),1)
BUILD    := build-asan
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
override CFLAGS  += $(SANFLAGS)
override LDFLAGS += $(SANFLAGS)
endif

# Debian packages the program, its tests and its handout need.
DEB_PKGS := gcc make gnuplot-nox libhpdf-dev libmd4c-dev libcjson-dev libcmocka-dev \
            libexpat1-dev libpng-dev zlib1g-dev libdeflate0 lmodern fonts-lmodern fonts-katex poppler-utils python3 \
            fonts-arphic-uming fonts-wqy-microhei

# `make deps` runs once per package list: see the deps rule below.
empty :=
space := $(empty) $(empty)
DEPS_STAMP = $(BUILD)/deps/$(subst $(space),+,$(sort $(DEB_PKGS))).ok

SRCS     := $(sort $(wildcard src/*.c src/*/*.c))
# src/preload/: shared objects lossbook puts on gnuplot's LD_PRELOAD (see
# src/preload/README.md); never part of the library or the binary.
PRELOADSRCS := $(sort $(wildcard src/preload/*.c))
PRELOADS := $(PRELOADSRCS:src/preload/%.c=$(BUILD)/lossbook-%.so)
LIBSRCS  := $(filter-out src/main.c $(PRELOADSRCS),$(SRCS))
LIBOBJS  := $(LIBSRCS:src/%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/liblossbook.a
BIN      := $(BUILD)/lossbook
TESTSRCS := $(sort $(wildcard tests/test_*.c))
TESTBINS := $(TESTSRCS:tests/%.c=$(BUILD)/tests/%)

.PHONY: all report test check clean install uninstall deps bench memcheck fuzz layers
.DELETE_ON_ERROR:

all: $(BIN) $(PRELOADS)

# kernel.c passes GCC vectors between always-inline helpers; GCC still notes
# that the (never used) out-of-line ABI changed in GCC 4.6.
$(BUILD)/obj/compute/kernel.o: override CFLAGS += -Wno-psabi

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c | $(BUILD)/tests
	$(CC) $(CFLAGS) -iquote tests -c -o $@ $<

$(LIB): $(LIBOBJS)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The preload objects are loaded into gnuplot, a program not built with the
# sanitizers: they never get CFLAGS/LDFLAGS (SANITIZE=1 adds ASan there), only
# the language, warning and optimisation flags.  (Make picks this rule over
# the general one: its stem is shorter.)
PRELOAD_CFLAGS := $(CSTD) $(WARN) -O2 -g -fPIC -fvisibility=hidden -MMD -MP
$(BUILD)/obj/preload/%.o: src/preload/%.c
	@mkdir -p $(@D)
	$(CC) $(PRELOAD_CFLAGS) -c -o $@ $<

$(BUILD)/lossbook-%.so: $(BUILD)/obj/preload/%.o
	$(CC) -shared -Wl,-z,defs -o $@ $< -ldl
# kept (not an intermediate file): the layer check reads every object
.SECONDARY: $(PRELOADSRCS:src/%.c=$(BUILD)/obj/%.o)

# Every test binary links the one test helper module (tests/testkit*.c,
# compiled once by the rule above; API in tests/testkit.h, see tests/README.md).
TESTKIT  := $(patsubst tests/%.c,$(BUILD)/tests/%.o,$(sort $(wildcard tests/testkit*.c)))
$(TESTKIT): tests/testkit.h

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TESTKIT) $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka -lpng

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# The main job: install, build, run.  Outputs land in $(OUT)/ only when the
# whole run succeeded (the program stages them).  Make-level stamps (issue
# 15): with nothing changed (binary, templates, examples, installed
# packages) `make report` only stats files; the program itself re-renders
# only the figures whose script, data or gnuplot changed (figure cache).
REPORT_INPUTS := $(wildcard templates/*.md templates/examples/*.json) \
                 $(wildcard /var/lib/dpkg/status)
# One run writes every language's handout: report.pdf and report.zh.pdf.
REPORT_TEMPLATES := templates/handout.md $(wildcard templates/handout.zh.md)
report: $(OUT)/report.pdf
$(OUT)/report.pdf: $(BIN) $(PRELOADS) $(REPORT_INPUTS) | $(DEPS_STAMP)
	$(BIN) --out $(OUT) $(foreach t,$(REPORT_TEMPLATES),--template $(t))
.PRECIOUS: $(OUT)/report.pdf
# Packages before compiling when the goal installs them.
ifneq ($(filter report test bench memcheck,$(MAKECMDGOALS)),)
$(LIBOBJS) $(BUILD)/obj/main.o $(PRELOADSRCS:src/%.c=$(BUILD)/obj/%.o): | $(DEPS_STAMP)
endif

# Every test binary runs even when an earlier one fails; the target fails if
# any did.  Tests find the binary and the sources through LB_BIN / LB_ROOT.
test: deps
	$(MAKE) --no-print-directory $(BIN) $(PRELOADS) $(TESTBINS)
	@fail=0; bash tests/check_layers.sh $(BUILD)/obj || fail=1; \
	for t in $(TESTBINS); do \
	  echo "== $$t"; \
	  LB_BIN=$(CURDIR)/$(BIN) LB_ROOT=$(CURDIR) $$t || fail=1; \
	done; \
	if [ $$fail -ne 0 ]; then echo "make test: some tests FAILED"; exit 1; fi; \
	echo "make test: all test binaries passed"

check: test

# The source tree's rules (src/README.md), checked on the object files.
layers: $(BIN) $(PRELOADS)
	bash tests/check_layers.sh $(BUILD)/obj

clean:
	rm -rf build build-asan build-fuzz

# Nothing about PREFIX is compiled in: the binary finds its templates in
# ../share/lossbook next to itself (src/base/datadir.h), and the objects it
# loads into gnuplot in ../lib/lossbook (src/plot/pngenc.h), so an install
# after any earlier build, into any PREFIX or DESTDIR, works.  Fonts are the
# Debian packages' (make deps), found by absolute paths.
DATADIR := $(DESTDIR)$(PREFIX)/share/lossbook
LIBDIR  := $(DESTDIR)$(PREFIX)/lib/lossbook
install: $(BIN) $(PRELOADS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DATADIR)/templates/examples $(LIBDIR)
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/lossbook
	install -m 644 $(PRELOADS) $(LIBDIR)/
	install -m 644 templates/*.md $(DATADIR)/templates/
	install -m 644 templates/examples/*.json $(DATADIR)/templates/examples/
	@echo "installed $(DESTDIR)$(PREFIX)/bin/lossbook, $(LIBDIR)/ and $(DATADIR)/"

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/lossbook
	rm -rf $(DATADIR) $(LIBDIR)

# Installs only what is missing; `apt-get update` only when an install is
# due.  Checked once per package list: a stamp named after the sorted list
# (build/deps/PKG+PKG+....ok) records that every package was there.
deps: $(DEPS_STAMP)
$(BUILD)/deps/%.ok:
	@missing=""; \
	for p in $(DEB_PKGS); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null 2>&1; then \
	  echo "make deps: these Debian packages are missing:$$missing" >&2; \
	  echo "make deps: no apt-get on this machine; install them by hand and rerun." >&2; \
	  exit 1; \
	fi; \
	SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	echo "make deps: installing:$$missing"; \
	$$SUDO apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y --no-install-recommends $$missing
	@mkdir -p $(@D) && touch $@

# The bench compares with numpy and matplotlib: Debian's, installed here
# only (never by `make report` or `make test`).
BENCH_PKGS := python3-numpy python3-matplotlib
bench: deps
	$(MAKE) --no-print-directory deps DEB_PKGS="$(BENCH_PKGS)"
	$(MAKE) --no-print-directory $(BIN) $(LIB) $(PRELOADS)
	bash bench/run.sh $(BIN) $(BENCH_REPS)
BENCH_REPS ?= 5

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/obj/*/*.d $(BUILD)/tests/*.d)

# --- reliability (issue 7) ---------------------------------------------------
# Sanitizers, valgrind and fuzzing.
#   make test SANITIZE=1          every test under ASan+UBSan (options below)
#   make test-bad [SANITIZE=1]    only the bad-input corpus (tests/bad/)
#   make memcheck                 the end-to-end report under valgrind
#   make fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="math svg"]  libFuzzer targets tests/fuzz/fuzz_*.c
.PHONY: test-bad fuzz-build

# A sanitizer report must fail the test that triggered it, never scroll by.
# `?=` keeps whatever the caller already exported.  No strict_string_checks:
# with it every strcspn/strchr re-measures the whole string, and md4c's
# scans over a 10 MB template become quadratic (the tpl-10mb-success case
# took 270-300 s instead of 15 s under ASan, racing its time bound).
ifeq ($(SANITIZE),1)
export ASAN_OPTIONS  ?= halt_on_error=1:abort_on_error=0:detect_leaks=1:detect_stack_use_after_return=1
export UBSAN_OPTIONS ?= halt_on_error=1:print_stacktrace=1
endif

test-bad: deps
	$(MAKE) --no-print-directory $(BIN) $(PRELOADS) $(BUILD)/tests/test_bad
	LB_BIN=$(CURDIR)/$(BIN) LB_ROOT=$(CURDIR) $(BUILD)/tests/test_bad

# valgrind follows only lossbook itself: gnuplot is a separate program with
# its own (not our) allocations.  Definite leaks and every memory error fail.
MEMCHECK_FLAGS ?= --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
                  --show-leak-kinds=definite --trace-children=no --track-fds=no

memcheck: deps
	@if [ "$(SANITIZE)" = 1 ]; then echo "make memcheck: valgrind cannot run ASan binaries; drop SANITIZE=1" >&2; exit 2; fi
	$(MAKE) --no-print-directory deps DEB_PKGS="valgrind"
	$(MAKE) --no-print-directory $(BIN) $(PRELOADS) $(BUILD)/tests/test_fuzz_regress
	@d=$$(mktemp -d /tmp/lb-memcheck-XXXXXX) || exit 1; \
	echo "valgrind $(MEMCHECK_FLAGS) $(BIN) --out $$d/out"; \
	valgrind $(MEMCHECK_FLAGS) $(BIN) --out $$d/out; rc=$$?; \
	if [ $$rc -eq 0 ]; then \
	  printf '# bad\n\n[x](table:no-such-table)\n' > $$d/bad.md; \
	  echo "valgrind ... $(BIN) --template $$d/bad.md (error path, expect exit 2)"; \
	  valgrind $(MEMCHECK_FLAGS) $(BIN) --quiet --out $$d/out --template $$d/bad.md; rc2=$$?; \
	  if [ $$rc2 -ne 2 ]; then echo "make memcheck: error path exited $$rc2 (expected 2)" >&2; rc=1; fi; \
	fi; \
	rm -rf $$d; \
	if [ $$rc -eq 0 ]; then \
	  echo "valgrind ... $(BUILD)/tests/test_fuzz_regress (md4c is not ASan-instrumented; valgrind sees its reads)"; \
	  LB_ROOT=$(CURDIR) valgrind $(MEMCHECK_FLAGS) $(BUILD)/tests/test_fuzz_regress >/dev/null || rc=99; \
	fi; \
	if [ $$rc -ne 0 ]; then echo "make memcheck: FAILED (exit $$rc; 99 = valgrind error or definite leak)" >&2; exit 1; fi; \
	echo "make memcheck: no memory error, no definite leak"

# libFuzzer with Debian's clang.  The library is rebuilt with clang and
# -fsanitize=fuzzer-no-link so libFuzzer sees coverage of every module; each
# tests/fuzz/fuzz_NAME.c becomes build-fuzz/fuzz_NAME.  -Werror is dropped
# here only: the code is -Werror-clean under gcc (the real build), and a
# clang-only warning must not hide a fuzzing session.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_BUILD   := build-fuzz
FUZZ_PKGS    := clang libclang-rt-14-dev
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
FUZZ_CFLAGS  := $(CSTD) -Wall -Wextra -g -O1 -iquote src -iquote tests $(FUZZ_SAN)
FUZZ_ARGS    ?= -timeout=20 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1
# FUZZ_TARGETS="math svg" runs only those (default: every fuzz_*.c).
FUZZ_TARGETS ?= $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
FUZZ_LIBOBJS := $(LIBSRCS:src/%.c=$(FUZZ_BUILD)/obj/%.o)

$(FUZZ_BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/liblossbook.a: $(FUZZ_LIBOBJS)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/liblossbook.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_BUILD)/liblossbook.a $(LDLIBS)

$(FUZZ_BUILD)/obj:
	mkdir -p $@

fuzz-build: deps
	$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_PKGS)"
	$(MAKE) --no-print-directory $(FUZZ_BINS)

# Each target runs FUZZ_SECONDS from its seed corpus (tests/fuzz/corpus/T,
# read only); new inputs go to build-fuzz/corpus/T, crashes/timeouts to
# build-fuzz/crashes/T/, the log to build-fuzz/logs/T.log.  Every target
# runs even after another one found something; the target fails if any did.
# A finding becomes a regression input under tests/fuzz/regress/T/ (run by
# tests/test_fuzz_regress.c in the ordinary suite).
fuzz: fuzz-build
	@fail=0; for t in $(FUZZ_TARGETS); do b=$(FUZZ_BUILD)/fuzz_$$t; \
	  mkdir -p $(FUZZ_BUILD)/corpus/$$t $(FUZZ_BUILD)/crashes/$$t $(FUZZ_BUILD)/logs; \
	  dict=""; [ -f tests/fuzz/fuzz_$$t.dict ] && dict="-dict=tests/fuzz/fuzz_$$t.dict"; \
	  echo "== fuzz_$$t: $(FUZZ_SECONDS) s"; \
	  LB_ROOT=$(CURDIR) ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
	  $$b $(FUZZ_ARGS) $$dict -max_total_time=$(FUZZ_SECONDS) \
	     -artifact_prefix=$(FUZZ_BUILD)/crashes/$$t/ \
	     $(FUZZ_BUILD)/corpus/$$t $$(ls -d tests/fuzz/corpus/$$t tests/fuzz/corpus_$$t \
	       tests/fuzz/regress/$$t tests/fuzz/regress_$$t 2>/dev/null) \
	     > $(FUZZ_BUILD)/logs/$$t.log 2>&1; rc=$$?; \
	  grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' $(FUZZ_BUILD)/logs/$$t.log; \
	  if [ $$rc -ne 0 ]; then fail=1; echo "== fuzz_$$t: FINDING (exit $$rc), see $(FUZZ_BUILD)/logs/$$t.log"; \
	     grep -E 'ERROR|SUMMARY|contract violated|Test unit written' $(FUZZ_BUILD)/logs/$$t.log | head -5; \
	  else echo "== fuzz_$$t: no finding in $(FUZZ_SECONDS) s"; fi; \
	done; \
	if [ $$fail -ne 0 ]; then echo "make fuzz: findings (see above)"; exit 1; fi; \
	echo "make fuzz: every target ran $(FUZZ_SECONDS) s without a finding"

-include $(wildcard $(FUZZ_BUILD)/obj/*.d $(FUZZ_BUILD)/obj/*/*.d)
