// Writes the seed corpus of the onnx fuzz target (fuzz-onnx.cc) into argv[1]: small models that
// reach the importer's paths (windows, layouts, folding, views), each well under the target's
// input length limit, written with the tests' model builder (tests/onnx-import/model-builder.h).
#include <cstdio>
#include <string>
#include <vector>

#include "onnx-import/model-builder.h"

namespace {

using pnn_test::ModelBuilder;

bool write(const std::string& dir, const std::string& name, const std::string& bytes) {
  FILE* f = std::fopen((dir + "/" + name).c_str(), "wb");
  if (f == nullptr) return false;
  const bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: onnx-seeds DIR\n");
    return 2;
  }
  const std::string dir = argv[1];
  std::vector<std::pair<std::string, std::string>> seeds;
  {
    ModelBuilder mb;
    mb.input("x", {1, 4}).output("y");
    mb.node("Relu", {"x"}, {"y"});
    seeds.push_back({"relu", mb.bytes()});
  }
  {
    ModelBuilder mb;
    mb.input("x", {1, 2, 5, 5}).output("y");
    mb.initializer("k", {2, 2, 3, 3}, std::vector<float>(36, 0.5f)).initializer("b", {2}, {1, -1});
    auto& c = mb.node("Conv", {"x", "k", "b"}, {"c"});
    ModelBuilder::attr(c, "pads", {1, 1, 1, 1});
    ModelBuilder::attr(c, "strides", {2, 2});
    auto& p = mb.node("MaxPool", {"c"}, {"p"});
    ModelBuilder::attr(p, "kernel_shape", {2, 2});
    ModelBuilder::attr(p, "ceil_mode", int64_t{1});
    mb.node("GlobalAveragePool", {"p"}, {"g"});
    mb.node("Flatten", {"g"}, {"f"});
    mb.initializer("w", {3, 2}, std::vector<float>(6, 0.25f));
    auto& g = mb.node("Gemm", {"f", "w"}, {"y"});
    ModelBuilder::attr(g, "transB", int64_t{1});
    seeds.push_back({"conv-pool-gemm", mb.bytes()});
  }
  {
    ModelBuilder mb;
    mb.input("x", {2, 3, 4}).output("y");
    mb.int64_initializer("zero", {}, {0}).int64_initializer("minus1", {1}, {-1});
    mb.int64_initializer("axes0", {1}, {0});
    mb.node("Shape", {"x"}, {"s"});
    mb.node("Gather", {"s", "zero"}, {"b"});
    mb.node("Unsqueeze", {"b", "axes0"}, {"b1"});
    auto& cat = mb.node("Concat", {"b1", "minus1"}, {"t"});
    ModelBuilder::attr(cat, "axis", int64_t{0});
    mb.node("Reshape", {"x", "t"}, {"r"});
    auto& sm = mb.node("Softmax", {"r"}, {"y"});
    ModelBuilder::attr(sm, "axis", int64_t{1});
    seeds.push_back({"shape-chain", mb.bytes()});
  }
  {
    ModelBuilder mb;
    mb.input("x", {1, 3, 2, 2}).output("y").output("z");
    mb.initializer("k", {3, 3, 1, 1}, std::vector<float>(9, 1.0f));
    mb.node("Conv", {"x", "k"}, {"c"});
    auto& t = mb.node("Transpose", {"c"}, {"t"});
    ModelBuilder::attr(t, "perm", {0, 2, 3, 1});
    mb.int64_initializer("starts", {1}, {1}).int64_initializer("ends", {1}, {2});
    mb.int64_initializer("axes", {1}, {3});
    mb.node("Slice", {"t", "starts", "ends", "axes"}, {"s"});
    auto& cat = mb.node("Concat", {"s", "t"}, {"y"});
    ModelBuilder::attr(cat, "axis", int64_t{3});
    auto& r = mb.node("ReduceMean", {"c"}, {"z"});
    ModelBuilder::attr(r, "axes", {1});
    seeds.push_back({"layouts", mb.bytes()});
  }
  for (const auto& s : seeds) {
    if (!write(dir, s.first, s.second)) {
      std::fprintf(stderr, "onnx-seeds: cannot write %s/%s\n", dir.c_str(), s.first.c_str());
      return 1;
    }
  }
  return 0;
}
