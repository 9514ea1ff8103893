# lossbook — plain Makefile.  Targets: all report test clean install deps bench
# memcheck fuzz.  `make report` and `make test` install what a fresh Debian
# machine lacks (through `make deps`) before they build.

CC       := gcc
PREFIX   ?= /usr/local
DESTDIR  ?=
BUILD    ?= build
OUT      ?= out

WARN     := -Wall -Wextra -Werror
CSTD     := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
OPT      ?= -O2 -g
CFLAGS   ?=
# -iquote, not -I: src/math.h (our TeX math API) must not shadow <math.h>.
override CFLAGS += $(CSTD) $(WARN) $(OPT) -MMD -MP -iquote src
override CFLAGS += -DLB_DATADIR='"$(PREFIX)/share/lossbook"'
LDLIBS   := -lhpdf -lmd4c -lcjson -lexpat -lm

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
            libexpat1-dev lmodern fonts-lmodern fonts-katex poppler-utils

SRCS     := $(sort $(wildcard src/*.c))
LIBSRCS  := $(filter-out src/main.c,$(SRCS))
LIBOBJS  := $(LIBSRCS:src/%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/liblossbook.a
BIN      := $(BUILD)/lossbook
TESTSRCS := $(sort $(wildcard tests/test_*.c))
TESTBINS := $(TESTSRCS:tests/%.c=$(BUILD)/tests/%)

.PHONY: all report test check clean install deps bench memcheck fuzz
.DELETE_ON_ERROR:

all: $(BIN)

$(BUILD)/obj/%.o: src/%.c | $(BUILD)/obj
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%.o: tests/%.c | $(BUILD)/tests
	$(CC) $(CFLAGS) -iquote tests -c -o $@ $<

$(LIB): $(LIBOBJS)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(LIB)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

$(BUILD)/obj $(BUILD)/tests:
	mkdir -p $@

# The main job: install, build, run.  Outputs land in $(OUT)/ only when the
# whole run succeeded (the program stages them).
report: deps
	$(MAKE) --no-print-directory $(BIN)
	$(BIN) --out $(OUT)

# Every test binary runs even when an earlier one fails; the target fails if
# any did.  Tests find the binary and the sources through LB_BIN / LB_ROOT.
test: deps
	$(MAKE) --no-print-directory $(BIN) $(TESTBINS)
	@fail=0; for t in $(TESTBINS); do \
	  echo "== $$t"; \
	  LB_BIN=$(CURDIR)/$(BIN) LB_ROOT=$(CURDIR) $$t || fail=1; \
	done; \
	if [ $$fail -ne 0 ]; then echo "make test: some tests FAILED"; exit 1; fi; \
	echo "make test: all test binaries passed"

check: test

clean:
	rm -rf build build-asan build-fuzz

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/lossbook/templates/examples
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/lossbook
	install -m 644 templates/*.md $(DESTDIR)$(PREFIX)/share/lossbook/templates/
	install -m 644 templates/examples/*.json $(DESTDIR)$(PREFIX)/share/lossbook/templates/examples/

# Installs only what is missing; `apt-get update` only when an install is due.
deps:
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

bench: deps
	$(MAKE) --no-print-directory $(BIN)
	bash bench/run.sh $(BIN)

-include $(wildcard $(BUILD)/obj/*.d $(BUILD)/tests/*.d)
