#!/usr/bin/env python3
"""Hand-made seeds of the differential decoder target (fuzz-onnx-decoders.cc).

A model writer (onnx-seeds.cc, which uses protobuf itself) never produces the wire forms where a
hand-written decoder is most likely to part from protobuf; these seeds start the fuzzer at each of
them: unknown fields of every wire type at every level, nested and mismatched groups, packed and
unpacked repeated numbers, a packed run of the wrong length, messages that occur twice (merged),
over-long varints and tags, lengths that lie, field number 0, and nesting near the recursion
limit. Each seed is written as <name>.bin into the directory given. Python 3 standard library only.

Usage: make-decoder-seeds.py OUT_DIR
"""
import os
import struct
import sys


def varint(v):
    v &= (1 << 64) - 1
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        if v:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def tag(number, wire):
    return varint(number << 3 | wire)


def ld(number, payload):
    return tag(number, 2) + varint(len(payload)) + payload


def vi(number, value):
    return tag(number, 0) + varint(value)


def f32(number, value):
    return tag(number, 5) + struct.pack('<f', value)


def f64(number, value):
    return tag(number, 1) + struct.pack('<d', value)


def s(number, text):
    return ld(number, text.encode())


# A small valid model: Relu on a 1x2 input, with an initializer and an attribute.
def tensor(name, dims, floats, packed=True):
    body = s(8, name) + vi(2, 1)
    body += b''.join(vi(1, d) for d in dims)
    if packed:
        body += ld(4, b''.join(struct.pack('<f', f) for f in floats))
    else:
        body += b''.join(f32(4, f) for f in floats)
    return body


def value_info(name, dims):
    shape = b''.join(ld(1, vi(1, d)) for d in dims)
    return s(1, name) + ld(2, ld(1, vi(1, 1) + ld(2, shape)))


def attribute(name, ints):
    return s(1, name) + vi(20, 7) + b''.join(vi(8, i) for i in ints)


def node(op, inputs, outputs, attrs=b''):
    return b''.join(s(1, i) for i in inputs) + b''.join(s(2, o) for o in outputs) + s(4, op) + attrs


def model(graph, extra=b''):
    return vi(1, 8) + ld(8, s(1, '') + vi(2, 17)) + ld(7, graph) + extra


BASE_GRAPH = (ld(1, node('Relu', ['x'], ['y'], ld(5, attribute('axes', [1, 2])))) + s(2, 'g') +
              ld(5, tensor('w', [2], [1.0, -2.0])) + ld(11, value_info('x', [1, 2])) +
              ld(12, value_info('y', [1, 2])))

UNKNOWN_ALL = (vi(99, 5) + f64(98, 1.5) + ld(97, b'abc') + f32(96, 2.0) +
               tag(95, 3) + vi(1, 1) + tag(94, 3) + tag(94, 4) + tag(95, 4))


def nested_groups(depth):
    return b''.join(tag(50, 3) for _ in range(depth)) + b''.join(tag(50, 4) for _ in range(depth))


SEEDS = {
    'base': model(BASE_GRAPH),
    'unpacked-floats': model(ld(5, tensor('w', [2, 1], [1.0, 2.0], packed=False))),
    'packed-dims': model(ld(5, s(8, 'w') + ld(1, varint(2) + varint(3)) + ld(7, varint(1) + varint(1 << 40)))),
    'packed-wrong-length': model(ld(5, s(8, 'w') + ld(4, b'\x00\x00\x80'))),
    'packed-ints-attr': model(ld(1, node('Transpose', ['x'], ['y'], ld(5, s(1, 'perm') + ld(8, varint(1) + varint(0)))))),
    'doubles': model(ld(5, s(8, 'd') + vi(2, 11) + f64(10, 0.5) + ld(10, struct.pack('<2d', 1.0, -1.0)))),
    'int32-truncation': model(ld(5, s(8, 'i') + vi(2, 6) + vi(5, (1 << 40) + 7) + vi(5, -1))),
    'unknown-everywhere': model(UNKNOWN_ALL + BASE_GRAPH + ld(1, UNKNOWN_ALL + node('Relu', ['a'], ['b'])),
                                UNKNOWN_ALL),
    'group-mismatch': model(BASE_GRAPH, tag(60, 3) + tag(61, 4)),
    'group-unterminated': model(BASE_GRAPH, tag(60, 3) + vi(1, 1)),
    'groups-99': model(BASE_GRAPH, nested_groups(99)),
    'groups-100': model(BASE_GRAPH, nested_groups(100)),
    'groups-deep-in-segment': model(ld(5, s(8, 'w') + ld(3, vi(1, 0) + nested_groups(95)))),
    'groups-too-deep-in-segment': model(ld(5, s(8, 'w') + ld(3, vi(1, 0) + nested_groups(96)))),
    'merged-graph': model(BASE_GRAPH, ld(7, s(2, 'second') + ld(1, node('Sigmoid', ['y'], ['z'])))),
    'merged-attr-tensor': model(ld(1, node('Constant', [], ['c'], ld(5, s(1, 'value') + vi(20, 4) +
        ld(5, tensor('c', [1], [3.0]) + vi(14, 1)) + ld(5, vi(14, 0) + vi(1, 4)))))),
    'external': model(ld(5, s(8, 'w') + ld(13, s(1, 'location') + s(2, 'file')) + vi(14, 0))),
    'segment': model(ld(5, s(8, 'w') + ld(3, vi(1, 0) + vi(2, 4)))),
    'attribute-graphs': model(ld(1, node('If', ['c'], ['o'], ld(5, s(1, 'then_branch') + ld(6, b'\x01') + ld(11, b'') + ld(10, tensor('t', [1], [1.0])))))),
    'value-info-kinds': model(ld(11, s(1, 'seq') + ld(2, ld(4, b'\x08\x01'))) +
                              ld(11, s(1, 'p') + ld(2, ld(1, vi(1, 1) + ld(2, ld(1, s(2, 'N') + vi(1, 3))))))),
    'counted': model(ld(15, b'xyz') + BASE_GRAPH, ld(25, b'fn')),
    'field-zero': model(BASE_GRAPH, tag(0, 2) + varint(0)),
    'wire-type-6': model(BASE_GRAPH, bytes([0x0E])),
    'tag-zero': model(BASE_GRAPH, b'\x00'),
    'end-group-top': model(BASE_GRAPH, tag(7, 4)),
    'long-varint': vi(1, 0)[:1] + b'\xff' * 9 + b'\x01' + ld(7, BASE_GRAPH),
    'too-long-varint': vi(1, 0)[:1] + b'\xff' * 10 + b'\x01',
    'long-tag': b'\x88\x80\x80\x80\x10' + varint(3),
    'length-lies': tag(7, 2) + varint(1000) + BASE_GRAPH,
    'length-5-bytes': tag(7, 2) + b'\xff\xff\xff\xff\x07',
    'wrong-wire-known': tag(7, 0) + varint(1) + tag(8, 5) + b'\x00\x00\x00\x00' + ld(1, b'xx'),
    'truncated': model(BASE_GRAPH)[:-3],
}


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(out, name + '.bin'), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
