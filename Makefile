# kclaims: what people type. The kernel build reads Kbuild, not this file.
#
#   make run        build the grafted kernel for UML and run every suite
#   make test       make run + the runner's own tests + the ledger check
#   make help       all targets and variables
PYTHON ?= python3
RUNNER := $(PYTHON) scripts/kclaims.py
ifeq ($(shell command -v $(PYTHON)),)
$(error kclaims: $(PYTHON) is missing; install it with: apt-get install -y python3)
endif

# GNU make turns a failing recipe into its own exit status 2. In question
# mode (-q) it hands a recipe's status back instead, so `make run` and `make
# test` exit 0 (green), 1 (a test failed or crashed) or 2 (setup error), as
# the runner does. Question mode runs only recipe lines marked '+': every
# line here has one. The runner drops MAKEFLAGS before the kernel's make.
MAKEFLAGS += -q

.PHONY: run test mutants soak selftest ledger report compile graft ungraft check clean help

run:
	+@$(RUNNER) run

test:
	+@$(RUNNER) test

mutants:
	+@$(RUNNER) mutants

soak:
	+@$(RUNNER) soak

selftest:
	+@$(PYTHON) -m unittest discover -s tests -t .

ledger:
	+@$(RUNNER) ledger

report:
	+@$(RUNNER) report

compile:
	+@$(RUNNER) compile

graft:
	+@$(RUNNER) graft

ungraft:
	+@$(RUNNER) ungraft

check:
	+@$(RUNNER) checkpatch

clean:
	+@rm -rf out

help:
	+@echo 'kclaims: the claims of kernel notes, checked by KUnit on the real kernel'
	+@echo
	+@echo 'Targets:'
	+@echo '  run        install what is missing, unpack + graft the kernel, build'
	+@echo '             for UML, run the kclaims suites; writes out/'
	+@echo '  test       run + runner self-tests + ledger check (what CI runs)'
	+@echo '  mutants    apply each kernel mutant in mutants/ to a private tree'
	+@echo '             copy, rebuild, run its suites: killed or survived?'
	+@echo '             (MUTANT=names or globs for some; writes out/mutants.json)'
	+@echo '  soak       boot the built kernel RUNS times (default 20) with the'
	+@echo '             other core busy; per-case pass counts (out/soak.json)'
	+@echo '  selftest   only the runner self-tests (no kernel)'
	+@echo '  ledger     check claims/ against the last run in out/'
	+@echo '  report     where the ledger page (out/ledger.html) is, and the counts'
	+@echo '  compile    compile one test file in the warm build: FILE=path.c'
	+@echo '  check      scripts/checkpatch.pl --no-tree -f on every C file'
	+@echo '  graft / ungraft   add / remove kclaims in the kernel tree'
	+@echo '  clean      remove out/ (the kernel cache is kept)'
	+@echo
	+@echo 'Variables (environment or make VAR=value):'
	+@echo '  KSRC=/path/to/linux   use this kernel tree (default: Debian'
	+@echo '                        linux-source-$$KERNEL unpacked in the cache)'
	+@echo '  KERNEL=6.12           Debian kernel series to use (6.1: not yet supported)'
	+@echo "  FILTER='kclaims_slab*' suite or suite.case glob passed to kunit.py"
	+@echo '  ARCH=um               um (default), x86_64 or i386 (QEMU)'
	+@echo '  KCLAIMS_CACHE=DIR     cache for trees and build dirs'
	+@echo '                        (default ~/.cache/kclaims)'
	+@echo '  KUNITCONFIG=FILE      kunitconfig to use (default ./kunitconfig)'
	+@echo '  PROFILE=default       debug: + kunitconfig.debug (KASAN, ODEBUG, kmemleak,'
	+@echo '                        own build dir); lockdep: one boot per lockdep case;'
	+@echo '                        faults: failslab/fail_page_alloc on the command line'
	+@echo '  RUNS=20               make soak: number of boots'
	+@echo '  QEMU_ARGS="-smp 2"    extra QEMU arguments for ARCH=x86_64/i386'
	+@echo '  MUTANT="a b-*"        make mutants: only these names or globs'
	+@echo '  MUTANT_TIMEOUT=S      make mutants: seconds one boot may take (240)'
	+@echo '  MUTANT_JOBS=N         make mutants: N workers, each its own tree copy'
	+@echo '                        (1.7 GB) and build dir (default 1)'
	+@echo '  JOBS=N TIMEOUT=S      build jobs; seconds the kernel may run (600;'
	+@echo '                        the runner kills the boot 30 s later)'
	+@echo
	+@echo 'Exit status: 0 green, 1 a test failed or crashed, 2 setup error.'
