/*
 * Read an explorable's bundle: the file mnist_lessons.explore.export.write_bundle makes.
 *
 * "MNX1", a little-endian uint32 n, n bytes of JSON {name, data, arrays}, then each array's
 * bytes (little-endian, C order) from a multiple of 8. Arrays become typed arrays with a
 * .shape; float16 is decoded into a Float32Array.
 */

const TYPED = {
  float64: Float64Array,
  float32: Float32Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int8: Int8Array,
  uint8: Uint8Array,
};

/** The IEEE 754 half-precision number with these 16 bits. */
export function halfToFloat(bits) {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** {name, data, arrays} of a bundle held in an ArrayBuffer. */
export function parseBundle(buffer) {
  const bytes = new Uint8Array(buffer);
  const magic = String.fromCharCode(...bytes.subarray(0, 4));
  if (magic !== "MNX1") {
    throw new Error("this file is not an explorable's bundle (no MNX1 at its start)");
  }
  const n = new DataView(buffer).getUint32(4, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  const start = 8 + n;
  const arrays = {};
  for (const [key, spec] of Object.entries(header.arrays)) {
    const count = spec.shape.reduce((p, d) => p * d, 1);
    const at = start + spec.offset;
    let array;
    if (spec.dtype === "float16") {
      const half = new Uint16Array(buffer.slice(at, at + 2 * count));
      array = Float32Array.from(half, halfToFloat);
    } else {
      const Typed = TYPED[spec.dtype];
      if (!Typed) throw new Error(`array ${key} has dtype ${spec.dtype}, which no page reads`);
      if (at + count * Typed.BYTES_PER_ELEMENT > buffer.byteLength) {
        throw new Error(`the bundle is cut short at array ${key}: build the book again`);
      }
      array = new Typed(buffer.slice(at, at + count * Typed.BYTES_PER_ELEMENT));
    }
    array.shape = spec.shape;
    arrays[key] = array;
  }
  return { name: header.name, data: header.data, arrays };
}

/** The bytes of a gzip file, unzipped by the browser's (or Node's) DecompressionStream. */
export async function gunzip(buffer) {
  const stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Response(stream).arrayBuffer();
}

/**
 * Fetch and parse the bundle at url (a gzipped one too: a server that already unzipped it,
 * with Content-Encoding: gzip, is fine); a failed request says which file and why.
 */
export async function loadBundle(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not fetch ${url} (HTTP ${response.status})`);
  let buffer = await response.arrayBuffer();
  const head = new Uint8Array(buffer, 0, Math.min(2, buffer.byteLength));
  if (head[0] === 0x1f && head[1] === 0x8b) buffer = await gunzip(buffer);
  return parseBundle(buffer);
}
