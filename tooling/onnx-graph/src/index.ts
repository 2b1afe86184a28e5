import onnxProto from "onnx-proto";

const { onnx } = onnxProto;
const DataType = onnx.TensorProto.DataType;

/** Element types that the graphs written here use. */
export type ElementType = "float32" | "float16" | "int8" | "int32" | "int64";

const DATA_TYPES: Readonly<Record<ElementType, number>> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  int8: DataType.INT8,
  int32: DataType.INT32,
  int64: DataType.INT64,
};

/** A constant tensor stored in the model (weights, shapes, axes). */
export interface Initializer {
  readonly name: string;
  readonly type: ElementType;
  readonly dims: readonly number[];
  /** Values in row-major order; float16 values as their raw 16-bit patterns. */
  readonly data:
    Float32Array | Uint16Array | Int8Array | Int32Array | BigInt64Array;
}

/** A graph input or output: a name, an element type and a shape. */
export interface ValueInfo {
  readonly name: string;
  readonly type: ElementType;
  /** Each dimension is a fixed size or the name of a symbolic size. */
  readonly shape: readonly (number | string)[];
}

/** An attribute value of a node, tagged with its ONNX attribute type. */
export type AttributeValue =
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "ints"; readonly value: readonly number[] }
  | { readonly kind: "float"; readonly value: number }
  | { readonly kind: "string"; readonly value: string };

/** One operator of the graph. */
export interface GraphNode {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/** Everything needed to write a model with one graph. */
export interface ModelDescription {
  readonly name: string;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly initializers: readonly Initializer[];
  readonly nodes: readonly GraphNode[];
  /** Version of the default operator set. @default 17 */
  readonly opset?: number;
  /** Name of the program that wrote the model. @default "retrieval-free" */
  readonly producer?: string;
  /** Free-form key and value pairs stored in the model. */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Returns an integer attribute. */
export function int(value: number): AttributeValue {
  return { kind: "int", value };
}

/** Returns an attribute holding a list of integers. */
export function ints(value: readonly number[]): AttributeValue {
  return { kind: "ints", value };
}

/** Returns a floating-point attribute. */
export function float(value: number): AttributeValue {
  return { kind: "float", value };
}

function rawBytes(data: Initializer["data"]): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function valueInfo(value: ValueInfo): onnxProto.onnx.IValueInfoProto {
  return {
    name: value.name,
    type: {
      tensorType: {
        elemType: DATA_TYPES[value.type],
        shape: {
          dim: value.shape.map((dimension) =>
            typeof dimension === "string"
              ? { dimParam: dimension }
              : { dimValue: dimension },
          ),
        },
      },
    },
  };
}

function attribute(
  name: string,
  value: AttributeValue,
): onnxProto.onnx.IAttributeProto {
  const type = onnx.AttributeProto.AttributeType;
  switch (value.kind) {
    case "int":
      return { name, type: type.INT, i: value.value };
    case "ints":
      return { name, type: type.INTS, ints: [...value.value] };
    case "float":
      return { name, type: type.FLOAT, f: value.value };
    case "string":
      return {
        name,
        type: type.STRING,
        s: new TextEncoder().encode(value.value),
      };
  }
}

function checkInitializer(tensor: Initializer): void {
  const expected = tensor.dims.reduce((product, size) => product * size, 1);
  if (tensor.data.length !== expected) {
    throw new RangeError(
      `Initializer "${tensor.name}" has ${tensor.data.length} values but dims [${tensor.dims.join(", ")}] need ${expected}.`,
    );
  }
}

/**
 * Writes a model as ONNX protobuf bytes. Little-endian machines store the
 * tensors' raw bytes as ONNX requires, and the same description always
 * gives the same bytes.
 */
export function encodeModel(description: ModelDescription): Uint8Array {
  description.initializers.forEach(checkInitializer);
  const graph: onnxProto.onnx.IGraphProto = {
    name: description.name,
    input: description.inputs.map(valueInfo),
    output: description.outputs.map(valueInfo),
    initializer: description.initializers.map((tensor) => ({
      name: tensor.name,
      dims: [...tensor.dims],
      dataType: DATA_TYPES[tensor.type],
      rawData: rawBytes(tensor.data),
    })),
    node: description.nodes.map((node, index) => ({
      name: `${node.op}_${index}`,
      opType: node.op,
      input: [...node.inputs],
      output: [...node.outputs],
      attribute: Object.entries(node.attributes ?? {}).map(([name, value]) =>
        attribute(name, value),
      ),
    })),
  };
  const model: onnxProto.onnx.IModelProto = {
    irVersion: 8,
    opsetImport: [{ domain: "", version: description.opset ?? 17 }],
    producerName: description.producer ?? "retrieval-free",
    graph,
    metadataProps: Object.entries(description.metadata ?? {}).map(
      ([key, value]) => ({ key, value }),
    ),
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

export {
  BERT_SPECIALS,
  ROBERTA_SPECIALS,
  tinyBertModel,
  tinyMeanVector,
  tinyTokenizerJson,
  tinyVocabulary,
} from "./tiny-bert.js";
export type { TinyModel, TinyModelOptions, TinySpecials } from "./tiny-bert.js";
export { wordPieceTokenizerJson } from "./wordpiece-tokenizer.js";
export type { WordPieceTokenizerOptions } from "./wordpiece-tokenizer.js";
export {
  initializer,
  removeModelFolder,
  writeModelFolder,
} from "./model-folder.js";
export type { ModelFolderFiles } from "./model-folder.js";
