// An ONNX model under WASI: loads a .onnx file through the ONNX importer (include/portnn-onnx.h;
// in this build pnn_load_onnx decodes with src/onnx/wire-decode.cc, there being no protobuf for
// wasm32), runs it once on an input .npy, writes the output as .npy and compares it with a
// reference .npy (ONNX Runtime's, from bench/models/reference.mjs): max |out - ref| / max |ref|
// must be at most the 1e-4. Also checks that a truncated copy of the file is refused
// with the native decoder's reason and nothing written.
//
//   onnx-run MODEL.onnx INPUT.npy REFERENCE.npy OUTPUT.npy
//
// Files are reached only through the directories the host preopens (tests/wasi/run.mjs --dir):
// a path must start with a preopened directory's name. Emscripten 3.1.6's standalone libc opens
// no files (its open() knows only the standard streams), so this program opens them with WASI's
// path_open on the matching preopen and reads and writes with fd_read / fd_write.
// Exit status 0 when everything holds; the reason of any failure on stderr.
#include <wasi/api.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "npy.h"
#include "portnn-onnx.h"

namespace {

// The preopened directory whose name prefixes `path` ("/models" for "/models/x.onnx"), and the
// rest of the path relative to it. False when no preopen matches.
bool find_preopen(const std::string& path, __wasi_fd_t* dir, std::string* relative) {
  size_t best = 0;
  for (__wasi_fd_t fd = 3;; fd++) {
    __wasi_prestat_t prestat;
    if (__wasi_fd_prestat_get(fd, &prestat) != __WASI_ERRNO_SUCCESS) break;
    if (prestat.pr_type != __WASI_PREOPENTYPE_DIR) continue;
    std::string name(prestat.u.dir.pr_name_len, '\0');
    if (__wasi_fd_prestat_dir_name(fd, reinterpret_cast<uint8_t*>(&name[0]), name.size()) !=
        __WASI_ERRNO_SUCCESS) {
      continue;
    }
    while (name.size() > 1 && name.back() == '/') name.pop_back();
    if (path.size() > name.size() + 1 && path.compare(0, name.size(), name) == 0 &&
        path[name.size()] == '/' && name.size() > best) {
      best = name.size();
      *dir = fd;
      *relative = path.substr(name.size() + 1);
    }
  }
  return best != 0;
}

bool open_file(const std::string& path, bool write, __wasi_fd_t* fd, std::string* error) {
  __wasi_fd_t dir;
  std::string relative;
  if (!find_preopen(path, &dir, &relative)) {
    *error = path + ": not under a preopened directory";
    return false;
  }
  const __wasi_rights_t rights =
      write ? __WASI_RIGHTS_FD_WRITE
            : __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_FILESTAT_GET;
  const __wasi_oflags_t oflags = write ? __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC : 0;
  const __wasi_errno_t e =
      __wasi_path_open(dir, 0, relative.c_str(), relative.size(), oflags, rights, 0, 0, fd);
  if (e != __WASI_ERRNO_SUCCESS) {
    *error = path + ": path_open failed (WASI errno " + std::to_string(e) + ")";
    return false;
  }
  return true;
}

bool read_file(const std::string& path, std::vector<uint8_t>* bytes, std::string* error) {
  __wasi_fd_t fd;
  if (!open_file(path, false, &fd, error)) return false;
  __wasi_filestat_t stat;
  bool ok = __wasi_fd_filestat_get(fd, &stat) == __WASI_ERRNO_SUCCESS;
  if (!ok) *error = path + ": fd_filestat_get failed";
  if (ok) {
    bytes->resize(static_cast<size_t>(stat.size));
    size_t done = 0;
    while (ok && done < bytes->size()) {
      __wasi_iovec_t iov{bytes->data() + done, bytes->size() - done};
      __wasi_size_t n = 0;
      ok = __wasi_fd_read(fd, &iov, 1, &n) == __WASI_ERRNO_SUCCESS && n > 0;
      done += n;
    }
    if (!ok) *error = path + ": fd_read failed";
  }
  (void)__wasi_fd_close(fd);
  return ok;
}

bool write_file(const std::string& path, const std::vector<uint8_t>& bytes, std::string* error) {
  __wasi_fd_t fd;
  if (!open_file(path, true, &fd, error)) return false;
  size_t done = 0;
  bool ok = true;
  while (ok && done < bytes.size()) {
    __wasi_ciovec_t iov{bytes.data() + done, bytes.size() - done};
    __wasi_size_t n = 0;
    ok = __wasi_fd_write(fd, &iov, 1, &n) == __WASI_ERRNO_SUCCESS && n > 0;
    done += n;
  }
  if (!ok) *error = path + ": fd_write failed";
  (void)__wasi_fd_close(fd);
  return ok;
}

bool read_npy(const std::string& path, pnn::npy::Array* array, std::string* error) {
  std::vector<uint8_t> bytes;
  if (!read_file(path, &bytes, error)) return false;
  if (!pnn::npy::Parse(bytes.data(), bytes.size(), array, error)) {
    *error = path + ": " + *error;
    return false;
  }
  if (array->dtype != pnn::npy::DType::kFloat32) {
    *error = path + ": not float32";
    return false;
  }
  return true;
}

int fail(const std::string& what) {
  std::fprintf(stderr, "onnx-run: %s\n", what.c_str());
  return 1;
}

int fail_pnn(const char* what) {
  return fail(std::string(what) + " failed: " + pnn_last_error_message());
}

std::string shape_string(const size_t* dims, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; i++) s += (i ? "x" : "") + std::to_string(dims[i]);
  return s;
}

// A truncated model must be refused as the native decoder refuses it, leaving model_out alone.
bool check_truncated(const std::vector<uint8_t>& bytes, std::string* error) {
  const size_t size = bytes.size() / 2;
  pnn_onnx_model_t sentinel = reinterpret_cast<pnn_onnx_model_t>(&error);
  pnn_onnx_model_t model = sentinel;
  const pnn_status status = pnn_load_onnx(bytes.data(), size, 0, nullptr, 0, &model);
  const std::string want = "pnn_load_onnx: the " + std::to_string(size) +
                           " bytes are not an ONNX ModelProto (protobuf decoding failed";
  const std::string got = pnn_last_error_message();
  if (status != pnn_status_invalid_parameter || model != sentinel ||
      got.compare(0, want.size(), want) != 0) {
    *error = "the first half of the model: status " + std::to_string(status) + ", reason '" +
             got + "'";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return fail("usage: onnx-run MODEL.onnx INPUT.npy REFERENCE.npy OUTPUT.npy");
  const std::string model_path = argv[1], input_path = argv[2], ref_path = argv[3],
                    out_path = argv[4];
  if (pnn_initialize() != pnn_status_success) return fail_pnn("pnn_initialize");
  std::string error;
  std::vector<uint8_t> bytes;
  if (!read_file(model_path, &bytes, &error)) return fail(error);
  if (!check_truncated(bytes, &error)) return fail(error);
  std::printf("truncated model: refused (%s)\n", pnn_last_error_message());

  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  pnn_onnx_model_t model = nullptr;
  if (pnn_load_onnx(bytes.data(), bytes.size(), 0, nullptr, 0, &model) != pnn_status_success) {
    return fail_pnn("pnn_load_onnx");
  }
  const double load_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  std::vector<uint8_t>().swap(bytes);  // the model holds what it needs
  pnn_graph_t graph = nullptr;
  pnn_runtime_t runtime = nullptr;
  if (pnn_onnx_model_graph(model, &graph) != pnn_status_success) return fail_pnn("model graph");
  if (pnn_create_runtime(graph, 0, &runtime) != pnn_status_success) return fail_pnn("runtime");
  size_t num_inputs = 0, num_outputs = 0;
  pnn_onnx_model_input_count(model, &num_inputs);
  pnn_onnx_model_output_count(model, &num_outputs);
  if (num_inputs != 1 || num_outputs != 1) {
    return fail("the model has " + std::to_string(num_inputs) + " inputs and " +
                std::to_string(num_outputs) + " outputs; this program runs models with one each");
  }
  pnn_onnx_tensor_info in_info, out_info;
  pnn_onnx_model_input_info(model, 0, &in_info);
  pnn_onnx_model_output_info(model, 0, &out_info);
  std::printf("model %s: loaded in %.1f ms (wire decoder, import); input %s %s, output %s %s; "
              "kernels %s\n",
              model_path.c_str(), load_ms, in_info.name,
              shape_string(in_info.dims, in_info.num_dims).c_str(), out_info.name,
              shape_string(out_info.dims, out_info.num_dims).c_str(), pnn_isa_name());

  pnn::npy::Array input, reference;
  if (!read_npy(input_path, &input, &error) || !read_npy(ref_path, &reference, &error)) {
    return fail(error);
  }
  const std::vector<size_t> in_shape(in_info.dims, in_info.dims + in_info.num_dims);
  const std::vector<size_t> out_shape(out_info.dims, out_info.dims + out_info.num_dims);
  if (input.shape != in_shape) return fail(input_path + ": not the input's shape");
  if (reference.shape != out_shape) return fail(ref_path + ": not the output's shape");

  pnn::npy::Array output;
  output.shape = out_shape;
  output.f32.assign(reference.f32.size(), std::nanf(""));
  const pnn_external_value bindings[2] = {{in_info.value_id, input.f32.data()},
                                          {out_info.value_id, output.f32.data()}};
  if (pnn_setup_runtime(runtime, 2, bindings) != pnn_status_success) return fail_pnn("setup");
  const auto t1 = Clock::now();
  if (pnn_invoke_runtime(runtime, nullptr) != pnn_status_success) return fail_pnn("invoke");
  const double run_ms = std::chrono::duration<double, std::milli>(Clock::now() - t1).count();

  std::vector<uint8_t> encoded;
  if (!pnn::npy::Encode(output, &encoded, &error) || !write_file(out_path, encoded, &error)) {
    return fail(error);
  }
  double max_diff = 0, max_ref = 0;
  size_t argmax = 0;
  for (size_t k = 0; k < output.f32.size(); k++) {
    const double d = std::fabs(double{output.f32[k]} - reference.f32[k]);
    if (!(d <= max_diff)) max_diff = d;  // a NaN output counts as the largest difference
    max_ref = std::max(max_ref, std::fabs(double{reference.f32[k]}));
    if (output.f32[k] > output.f32[argmax]) argmax = k;
  }
  const double tolerance = 1e-4;
  const double rel = max_ref > 0 ? max_diff / max_ref : max_diff;
  const bool ok = rel <= tolerance;
  std::printf("run %.1f ms (one invoke, 1 thread); output written to %s; top class %zu\n", run_ms,
              out_path.c_str(), argmax);
  std::printf("check vs %s: max |diff| %.3g / max |ref| %.3g = %.3g (tolerance %.0e) %s\n",
              ref_path.c_str(), max_diff, max_ref, rel, tolerance, ok ? "OK" : "MISMATCH");
  pnn_delete_runtime(runtime);
  pnn_delete_onnx_model(model);
  return ok ? 0 : 1;
}
