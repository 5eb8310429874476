// Pattern fusion before the node loop: decompositions exporters write for one portnn operator
// are recognized on the ONNX nodes and replaced by that operator, so the graph computes them in
// one pass over the tensor instead of several:
//   x * Sigmoid(x)                                   -> unary silu   (EfficientNet's SiLU)
//   x * HardSigmoid(x) (alpha 1/6, beta 1/2)         -> unary hardswish
//   Mul(Mul(x, Add(Erf(Div(x, sqrt 2)), 1)), 0.5)    -> unary gelu   (torch's exact GELU, ViT)
//     also with Mul(x, 1/sqrt 2) for the Div and the 0.5 applied to x first.
// A pattern is fused only when every intermediate has that one consumer and is no graph output,
// and its constants are the exact ones (to float precision); otherwise the nodes run as written.
// Each fused pattern's last node becomes the fused operator (it keeps its name and output); the
// others are skipped. Conv + BatchNormalization and Clip / Relu after a producer are fused by the
// graph runtime itself (include/portnn-graph.h), so they are not patterns here.
#include <cmath>

#include "onnx/importer.h"

namespace pnn {
namespace onnx {

namespace {

struct Graph {
  const Model& model;
  std::unordered_map<std::string, size_t> producer;  // value -> node index
  std::unordered_map<std::string, size_t> uses;      // value -> consumers (+1 per graph output)

  explicit Graph(const Model& m) : model(m) {
    for (size_t i = 0; i < m.nodes.size(); i++) {
      for (const std::string& o : m.nodes[i].outputs) producer[o] = i;
      for (const std::string& in : m.nodes[i].inputs) uses[in]++;
    }
    for (const ValueInfo& o : m.outputs) uses[o.name]++;
  }
  // The node producing `value` with op type `op` and one consumer, or nullptr.
  const Node* single_use(const std::string& value, const char* op) const {
    auto p = producer.find(value);
    if (p == producer.end()) return nullptr;
    const Node& n = model.nodes[p->second];
    if (n.op_type != op || !n.domain.empty() || n.outputs.size() != 1) return nullptr;
    auto u = uses.find(value);
    return u != uses.end() && u->second == 1 ? &n : nullptr;
  }
  size_t index(const Node* n) const { return static_cast<size_t>(n - model.nodes.data()); }
};

}  // namespace

bool Importer::scalar_constant(const std::string& name, double* value) {
  auto it = values_.find(name);
  if (it != values_.end()) {
    if (!it->second.is_constant || it->second.c.count() != 1) return false;
    *value = it->second.c.at(0);
    return true;
  }
  // A Constant node (not evaluated yet: the pre-pass runs before the node loop).
  for (const Node& n : model_.nodes) {
    if (n.op_type != "Constant" || n.outputs.size() != 1 || n.outputs[0] != name) continue;
    for (const Attribute& a : n.attributes) {
      if (a.name == "value_float") {
        *value = a.f;
        return true;
      }
      if (a.name == "value" && a.has_t) {
        Constant c;
        if (convert_tensor(a.t, "constant", &c) != pnn_status_success || c.count() != 1) {
          return false;
        }
        *value = c.at(0);
        return true;
      }
    }
  }
  return false;
}

void Importer::find_fusions() {
  const Graph g(model_);
  auto near = [](double v, double want) { return std::fabs(v - want) <= 1e-6 * std::fabs(want); };
  // The other input of a two-input node, given one.
  auto other = [](const Node& n, const std::string& one) -> const std::string* {
    if (n.inputs.size() != 2) return nullptr;
    if (n.inputs[0] == one) return &n.inputs[1];
    if (n.inputs[1] == one) return &n.inputs[0];
    return nullptr;
  };
  // A two-input node's input that is the scalar `want`; the other input in *rest.
  auto with_scalar = [&](const Node& n, double want, std::string* rest) {
    if (n.inputs.size() != 2) return false;
    for (size_t i = 0; i < 2; i++) {
      double v = 0;
      if (scalar_constant(n.inputs[i], &v) && near(v, want)) {
        *rest = n.inputs[1 - i];
        return true;
      }
    }
    return false;
  };
  for (size_t i = 0; i < model_.nodes.size(); i++) {
    const Node& mul = model_.nodes[i];
    if (mul.op_type != "Mul" || !mul.domain.empty() || mul.inputs.size() != 2 || skip_[i]) continue;
    // x * Sigmoid(x), x * HardSigmoid(x).
    for (size_t side = 0; side < 2; side++) {
      const std::string& gate = mul.inputs[side];
      const std::string& x = mul.inputs[1 - side];
      if (const Node* s = g.single_use(gate, "Sigmoid")) {
        if (s->inputs.size() == 1 && s->inputs[0] == x) {
          skip_[g.index(s)] = true;
          fused_[i] = {"Silu", x};
          break;
        }
      }
      if (const Node* s = g.single_use(gate, "HardSigmoid")) {
        float alpha = 0.2f, beta = 0.5f;
        for (const Attribute& a : s->attributes) {
          if (a.name == "alpha") alpha = a.f;
          if (a.name == "beta") beta = a.f;
        }
        if (s->inputs.size() == 1 && s->inputs[0] == x && near(alpha, 1.0 / 6) && near(beta, 0.5)) {
          skip_[g.index(s)] = true;
          fused_[i] = {"HardSwish", x};
          break;
        }
      }
    }
    if (fused_.count(i) != 0) continue;
    // GELU: mul = half * (x * (1 + erf(x / sqrt2))) in either association.
    std::string inner;
    const Node* m1 = nullptr;  // the Mul holding x and the Add
    std::string x;
    const Node* add = nullptr;
    if (with_scalar(mul, 0.5, &inner)) {
      m1 = g.single_use(inner, "Mul");  // Mul(x, Add(...)) * 0.5
    }
    const Node* half_x = nullptr;
    if (m1 == nullptr) {
      // (x * 0.5) * Add(...): one input of `mul` is Mul(x, 0.5).
      for (size_t side = 0; side < 2 && m1 == nullptr; side++) {
        const Node* h = g.single_use(mul.inputs[side], "Mul");
        std::string hx;
        if (h != nullptr && with_scalar(*h, 0.5, &hx)) {
          half_x = h;
          x = hx;
          add = g.single_use(mul.inputs[1 - side], "Add");
          m1 = &mul;
        }
      }
      if (half_x == nullptr) continue;
    } else {
      for (size_t side = 0; side < 2 && add == nullptr; side++) {
        add = g.single_use(m1->inputs[side], "Add");
        if (add != nullptr) x = m1->inputs[1 - side];
      }
    }
    if (add == nullptr) continue;
    std::string erf_out;
    if (!with_scalar(*add, 1.0, &erf_out)) continue;
    const Node* erf = g.single_use(erf_out, "Erf");
    if (erf == nullptr || erf->inputs.size() != 1) continue;
    const Node* scale = g.single_use(erf->inputs[0], "Div");
    std::string scaled;
    bool ok = scale != nullptr && with_scalar(*scale, std::sqrt(2.0), &scaled) &&
              scale->inputs[0] == scaled;
    if (!ok) {
      scale = g.single_use(erf->inputs[0], "Mul");
      ok = scale != nullptr && with_scalar(*scale, 1.0 / std::sqrt(2.0), &scaled);
    }
    if (!ok || scaled != x) continue;
    if (half_x == nullptr && other(*m1, add->outputs[0]) == nullptr) continue;
    for (const Node* part : {m1 == &mul ? nullptr : m1, add, erf, scale, half_x}) {
      if (part != nullptr) skip_[g.index(part)] = true;
    }
    fused_[i] = {"Gelu", x};
  }
}

}  // namespace onnx
}  // namespace pnn
