// Writes small ONNX models for the importer's tests and fuzz seeds, with the decoder's own
// generated classes (src/onnx/onnx.proto): a model is a few lines, and the bytes are exactly what
// an exporter would write for the fields portnn reads.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "onnx.pb.h"

namespace pnn_test {

class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 17) {
    model_.set_ir_version(8);
    auto* o = model_.add_opset_import();
    o->set_domain("");
    o->set_version(opset);
    model_.mutable_graph()->set_name("test");
  }

  // A float graph input; an empty `dims` declares no shape; a negative dim is symbolic.
  ModelBuilder& input(const std::string& name, std::vector<int64_t> dims, int32_t type = 1) {
    auto* v = model_.mutable_graph()->add_input();
    v->set_name(name);
    auto* t = v->mutable_type()->mutable_tensor_type();
    t->set_elem_type(type);
    if (!dims.empty()) {
      auto* s = t->mutable_shape();
      for (int64_t d : dims) {
        auto* dim = s->add_dim();
        if (d < 0) {
          dim->set_dim_param("batch");
        } else {
          dim->set_dim_value(d);
        }
      }
    }
    return *this;
  }
  ModelBuilder& output(const std::string& name) {
    auto* v = model_.mutable_graph()->add_output();
    v->set_name(name);
    v->mutable_type()->mutable_tensor_type()->set_elem_type(1);
    return *this;
  }
  ModelBuilder& initializer(const std::string& name, std::vector<int64_t> dims,
                            const std::vector<float>& data) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(1);
    for (int64_t d : dims) t->add_dims(d);
    t->set_raw_data(std::string(reinterpret_cast<const char*>(data.data()), data.size() * 4));
    return *this;
  }
  ModelBuilder& int64_initializer(const std::string& name, std::vector<int64_t> dims,
                                  const std::vector<int64_t>& data) {
    auto* t = model_.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(7);
    for (int64_t d : dims) t->add_dims(d);
    for (int64_t v : data) t->add_int64_data(v);
    return *this;
  }
  // A node; attributes are added to the returned proto with the helpers below.
  portnn::onnx::NodeProto& node(const std::string& op, std::vector<std::string> inputs,
                                std::vector<std::string> outputs, const std::string& name = "") {
    auto* n = model_.mutable_graph()->add_node();
    n->set_op_type(op);
    n->set_name(name.empty() ? op + std::to_string(model_.graph().node_size()) : name);
    for (auto& i : inputs) n->add_input(i);
    for (auto& o : outputs) n->add_output(o);
    return *n;
  }
  static void attr(portnn::onnx::NodeProto& n, const std::string& name, int64_t v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(2);
    a->set_i(v);
  }
  static void attr(portnn::onnx::NodeProto& n, const std::string& name, float v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(1);
    a->set_f(v);
  }
  static void attr(portnn::onnx::NodeProto& n, const std::string& name, const std::string& v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(3);
    a->set_s(v);
  }
  static void attr(portnn::onnx::NodeProto& n, const std::string& name,
                   std::initializer_list<int64_t> v) {
    auto* a = n.add_attribute();
    a->set_name(name);
    a->set_type(7);
    for (int64_t x : v) a->add_ints(x);
  }

  portnn::onnx::ModelProto& proto() { return model_; }
  std::string bytes() const { return model_.SerializeAsString(); }

 private:
  portnn::onnx::ModelProto model_;
};

}  // namespace pnn_test
