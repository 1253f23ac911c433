# -*- Python -*-
# lit configuration of trop's test suite.

import os
import re
import shutil

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "TROP"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".c"]
config.excludes = ["CMakeLists.txt", "README.md", "lit.cfg.py", "lit.site.cfg.py",
                   "Inputs", "lib"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.trop_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

# Sanitizer options, spelled once in scripts/sanitizer-options.sh (why each
# is set is written there): a report exits with 86, never 1, so tests that
# expect a diagnostic cannot mistake one, and test/Robustness counts it as a
# crash. Harmless in a build without sanitizers (TROP_SANITIZERS).
def read_sanitizer_options():
    path = os.path.join(config.trop_src_root, "scripts", "sanitizer-options.sh")
    values = {}
    with open(path) as f:
        for line in f:
            m = re.match(r'(\w+)="?([^"\n]*)"?$', line.strip())
            if m:
                values[m.group(1)] = m.group(2)
    return values


sanitizer_options = read_sanitizer_options()
SANITIZER_EXIT_CODE = int(sanitizer_options["TROP_SANITIZER_EXIT_CODE"])
ASAN_OPTIONS = sanitizer_options["TROP_ASAN_OPTIONS"]
config.environment["ASAN_OPTIONS"] = ASAN_OPTIONS + ":detect_leaks=1"
config.environment["UBSAN_OPTIONS"] = sanitizer_options["TROP_UBSAN_OPTIONS"]
config.environment["LSAN_OPTIONS"] = (
    "suppressions=" + os.path.join(os.path.dirname(__file__), "lsan.supp"))
config.substitutions.append(("%sanitizer_exit_code", str(SANITIZER_EXIT_CODE)))
if config.trop_sanitizers:
    config.available_features.add("sanitizers")

# The JIT tests link the MLIR runner support libraries into the process.
config.substitutions.append(("%shlibext", config.llvm_shlib_ext))
config.substitutions.append(
    ("%mlir_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_runner_utils" + config.llvm_shlib_ext)))
config.substitutions.append(
    ("%mlir_c_runner_utils",
     os.path.join(config.llvm_lib_dir, "libmlir_c_runner_utils" + config.llvm_shlib_ext)))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%trop_src_root", config.trop_src_root))
config.substitutions.append(("%trop_obj_root", config.trop_obj_root))
# libTropCAPI.so and TropPlugin.so, for the plugin tests.
config.substitutions.append(("%trop_libs", config.trop_libs_dir))
# The toolchain this build uses, for the test that builds a project against
# an installed trop.
config.substitutions.append(("%cmake_generator", '"%s"' % config.cmake_generator))
config.substitutions.append(("%cmake_make_program", config.make_program))
config.substitutions.append(("%cmake_build_type", config.cmake_build_type or "Release"))
config.substitutions.append(("%cmake", config.cmake_command))
config.substitutions.append(("%c_compiler", config.c_compiler))
config.substitutions.append(("%cxx_compiler", config.cxx_compiler))
# LLVM's library folder: libomp for programs that link ahead-of-time
# compiled code with more than one thread.
config.substitutions.append(("%llvm_lib_dir", config.llvm_lib_dir))

tool_dirs = [config.trop_tools_dir, config.llvm_tools_dir]
tools = [
    "trop-opt",
    "trop-run",
    "trop-compile",
    "trop-capi-test",
    ToolSubst("mlir-runner", unresolved="ignore"),
    ToolSubst("mlir-opt", unresolved="ignore"),
    ToolSubst("mlir-translate", unresolved="ignore"),
]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# The plugin tests load trop into the mlir-opt of the LLVM installation trop
# was built against (never a trop-built tool), so that they show what a user
# of that installation gets.
# In a sanitizer build LLVM's mlir-opt is not instrumented: it preloads the
# runtime the plugin needs, and its own allocations are not leak-checked.
mlir_opt = os.path.join(config.llvm_tools_dir, "mlir-opt")
if config.trop_sanitizers:
    mlir_opt = (f"env LD_PRELOAD={config.trop_sanitizer_preload} "
                f"ASAN_OPTIONS={ASAN_OPTIONS}:detect_leaks=0 {mlir_opt}")
config.substitutions.append(("%mlir_opt", mlir_opt))

# The style test needs the clang-format of the LLVM release trop builds with
# (scripts/setup.sh installs it).
if shutil.which("clang-format-22"):
    config.available_features.add("clang-format-22")

# Tests that run `cmake --install` on this build tree (both write its
# install_manifest.txt) must not run at the same time.
lit_config.parallelism_groups["trop-cmake-install"] = 1

# The GPU tests assemble the PTX the GPU pipeline emits with NVIDIA's ptxas
# when there is one (PATH, $CUDA_ROOT/bin or /usr/local/cuda/bin); building
# and the other tests never need it, and these are reported unsupported.
ptxas = shutil.which("ptxas")
for cuda_root in [os.environ.get("CUDA_ROOT"), "/usr/local/cuda"]:
    candidate = cuda_root and os.path.join(cuda_root, "bin", "ptxas")
    if not ptxas and candidate and os.access(candidate, os.X_OK):
        ptxas = candidate
if ptxas:
    config.available_features.add("ptxas")
    config.substitutions.append(("%ptxas", ptxas))
