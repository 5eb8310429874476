// TEMPORARY (lead's branch): minimal .npy float32 reader/writer until tools/npy.h lands.
#pragma once
#include <cstdio>
#include <string>
#include <vector>
namespace npy {
struct Array {
  std::vector<size_t> shape;
  std::vector<float> data;
};
inline bool read_file(const std::string& path, Array* out, std::string* error) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) { *error = "cannot open"; return false; }
  unsigned char head[10];
  if (std::fread(head, 1, 10, f) != 10) { std::fclose(f); *error = "short"; return false; }
  size_t hl = head[8] | (head[9] << 8);
  std::string h(hl, ' ');
  if (std::fread(&h[0], 1, hl, f) != hl) { std::fclose(f); *error = "short"; return false; }
  if (h.find("'<f4'") == std::string::npos) { std::fclose(f); *error = "not <f4"; return false; }
  size_t a = h.find('(') + 1, b = h.find(')');
  std::string dims = h.substr(a, b - a);
  out->shape.clear();
  size_t count = 1, pos = 0;
  while (pos < dims.size()) {
    size_t c = dims.find(',', pos);
    std::string p = dims.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
    if (p.find_first_of("0123456789") != std::string::npos) { out->shape.push_back(std::stoull(p)); count *= out->shape.back(); }
    if (c == std::string::npos) break;
    pos = c + 1;
  }
  out->data.resize(count);
  bool ok = std::fread(out->data.data(), 4, count, f) == count;
  std::fclose(f);
  if (!ok) *error = "short data";
  return ok;
}
inline bool write_file(const std::string& path, const std::vector<size_t>& shape, const float* data, std::string* error) {
  std::string h = "{'descr': '<f4', 'fortran_order': False, 'shape': (";
  size_t count = 1;
  for (size_t d : shape) { h += std::to_string(d) + ", "; count *= d; }
  h += "), }";
  while ((10 + h.size() + 1) % 64 != 0) h += ' ';
  h += '\n';
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) { *error = "cannot create"; return false; }
  unsigned char head[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(h.size() & 255), (unsigned char)(h.size() >> 8)};
  std::fwrite(head, 1, 10, f);
  std::fwrite(h.data(), 1, h.size(), f);
  std::fwrite(data, 4, count, f);
  std::fclose(f);
  return true;
}
}  // namespace npy
