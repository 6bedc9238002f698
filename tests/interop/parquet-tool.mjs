// Independent Parquet implementations for Gordo's interop tests, driven by JSON files:
//
//   node parquet-tool.mjs write <specs.json>   writes every file a spec lists, with DuckDB or arrow-rs
//   node parquet-tool.mjs read <files.json>    reads every file listed with DuckDB, arrow-rs and hyparquet
//                                              and prints, per reader and column, a digest of the values
//                                              (and the values themselves when asked)
//
// Values are generated from formulas shared with the C# tests (exact in float64), so large fixtures
// need no value lists. A digest hashes every value in row order: 0x00 for a null; else 0x01 and the
// value's 8 little-endian bytes (float64 for numbers, int64 nanoseconds since the epoch for timestamps),
// or a 4-byte length and the UTF-8 bytes for strings; FNV-1a 32-bit with two offset bases.
import fs from 'node:fs';
import { DuckDBInstance, DuckDBTimestampMillisecondsValue, DuckDBTimestampNanosecondsValue, DuckDBTimestampTZValue, DuckDBTimestampValue } from '@duckdb/node-api';
import * as arrow from 'apache-arrow';
import * as parquetWasm from 'parquet-wasm/node';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';

const [command, argument] = process.argv.slice(2);

// ---------------------------------------------------------------- values shared with the C# side

function isNull(generator, row) {
  return generator.nullEvery > 0 && row % generator.nullEvery === generator.nullEvery - 1;
}

function grid(row, column) {
  return ((row * 7919 + column * 104729) % 100003);
}

/** The value of a generated column at a row: null, a number, a bigint (timestamps, int64) or a string. */
function valueAt(column, row) {
  if (column.values) {
    const v = column.values[row];
    if (v === null || v === undefined) return null;
    return isTime(column.type) || column.type === 'int64' ? BigInt(v) : v;
  }
  const g = column.generator;
  if (isNull(g, row)) return null;
  switch (column.type) {
    case 'double': return grid(row, g.column) / 64 - 500;
    case 'float': return grid(row, g.column) / 64 - 500; // exact in float32 too (17 significant bits)
    case 'int32': return grid(row, g.column) - 50000;
    case 'int64': return BigInt(grid(row, g.column) - 50000);
    case 'string': return `s${grid(row, g.column)}`;
    default: // timestamps: start + row * step, in the column's unit
      return BigInt(g.start) + BigInt(row) * BigInt(g.step);
  }
}

function isTime(type) { return type.startsWith('timestamp'); }

// ---------------------------------------------------------------- writers

async function writeWithDuckDB(connection, spec) {
  // A table from the generated values, then COPY TO with the spec's options.
  const names = spec.columns.map((c) => c.name);
  const sqlType = (c) => ({
    double: 'DOUBLE', float: 'FLOAT', int32: 'INTEGER', int64: 'BIGINT', string: 'VARCHAR',
    timestamp_ms: c.tz ? 'TIMESTAMPTZ' : 'TIMESTAMP_MS', timestamp_us: c.tz ? 'TIMESTAMPTZ' : 'TIMESTAMP',
    timestamp_ns: c.tz ? 'TIMESTAMPTZ' : 'TIMESTAMP_NS',
  })[c.type];
  await connection.run('DROP TABLE IF EXISTS t');
  await connection.run(`CREATE TABLE t (${spec.columns.map((c) => `${quote(c.name)} ${sqlType(c)}`).join(', ')})`);
  const appender = await connection.createAppender('t');
  for (let row = 0; row < spec.rows; row++) {
    for (const column of spec.columns) {
      const value = valueAt(column, row);
      if (value === null) appender.appendNull();
      else if (column.type === 'double') appender.appendDouble(value);
      else if (column.type === 'float') appender.appendFloat(value);
      else if (column.type === 'int32') appender.appendInteger(value);
      else if (column.type === 'int64') appender.appendBigInt(value);
      else if (column.type === 'string') appender.appendVarchar(value);
      else {
        const micros = column.type === 'timestamp_ms' ? value * 1000n : column.type === 'timestamp_us' ? value : value / 1000n;
        if (column.tz) appender.appendTimestampTZ(new DuckDBTimestampTZValue(micros));
        else if (column.type === 'timestamp_ns') appender.appendTimestampNanoseconds(new DuckDBTimestampNanosecondsValue(value));
        else if (column.type === 'timestamp_ms') appender.appendTimestampMilliseconds(new DuckDBTimestampMillisecondsValue(value));
        else appender.appendTimestamp(new DuckDBTimestampValue(value));
      }
    }
    appender.endRow();
  }
  appender.closeSync();
  const options = [`FORMAT parquet`, `COMPRESSION ${spec.compression ?? 'snappy'}`];
  if (spec.pageVersion === 2) options.push('PARQUET_VERSION V2');
  if (spec.rowGroupSize) options.push(`ROW_GROUP_SIZE ${spec.rowGroupSize}`);
  if (spec.dictionary === false) options.push('DICTIONARY_SIZE_LIMIT 1');
  if (spec.kv) options.push(`KV_METADATA {${Object.entries(spec.kv).map(([k, v]) => `${quote(k)}: ${literal(v)}`).join(', ')}}`);
  await connection.run(`COPY (SELECT ${names.map(quote).join(', ')} FROM t) TO ${literal(spec.path)} (${options.join(', ')})`);
}

function writeWithArrow(spec) {
  const vectors = {};
  for (const column of spec.columns) {
    const n = spec.rows;
    const validity = new Uint8Array(Math.ceil(n / 8));
    const fill = (data, convert) => {
      for (let row = 0; row < n; row++) {
        const value = valueAt(column, row);
        if (value !== null) {
          validity[row >> 3] |= 1 << (row & 7);
          data[row] = convert(value);
        }
      }
      return data;
    };
    let type; let data;
    switch (column.type) {
      case 'double': type = new arrow.Float64(); data = fill(new Float64Array(n), (v) => v); break;
      case 'float': type = new arrow.Float32(); data = fill(new Float32Array(n), (v) => v); break;
      case 'int32': type = new arrow.Int32(); data = fill(new Int32Array(n), (v) => v); break;
      case 'int64': type = new arrow.Int64(); data = fill(new BigInt64Array(n), (v) => v); break;
      case 'timestamp_ms': type = new arrow.TimestampMillisecond(column.tz ?? null); data = fill(new BigInt64Array(n), (v) => v); break;
      case 'timestamp_us': type = new arrow.TimestampMicrosecond(column.tz ?? null); data = fill(new BigInt64Array(n), (v) => v); break;
      case 'timestamp_ns': type = new arrow.TimestampNanosecond(column.tz ?? null); data = fill(new BigInt64Array(n), (v) => v); break;
      case 'string': {
        const values = [];
        for (let row = 0; row < n; row++) values.push(valueAt(column, row));
        vectors[column.name] = arrow.vectorFromArray(values, new arrow.Utf8());
        continue;
      }
      default: throw new Error(`unknown type ${column.type}`);
    }
    vectors[column.name] = arrow.makeVector({ type, data, nullBitmap: validity, length: n });
  }
  const table = new arrow.Table(vectors);
  let builder = new parquetWasm.WriterPropertiesBuilder()
    .setCompression(parquetWasm.Compression[(spec.compression ?? 'snappy').toUpperCase()])
    .setWriterVersion(spec.pageVersion === 2 ? parquetWasm.WriterVersion.V2 : parquetWasm.WriterVersion.V1)
    .setDictionaryEnabled(spec.dictionary !== false);
  // An encoding applies to the columns that can take it (BYTE_STREAM_SPLIT and DELTA_BINARY_PACKED are not for strings).
  for (const column of spec.columns) {
    const encoding = column.encoding ?? (column.type === 'string' ? null : spec.encoding);
    if (encoding) builder = builder.setColumnEncoding(column.name, parquetWasm.Encoding[encoding]);
  }
  if (spec.rowGroupSize) builder = builder.setMaxRowGroupSize(spec.rowGroupSize);
  if (spec.pageSize) builder = builder.setDataPageSizeLimit(spec.pageSize);
  if (spec.kv) builder = builder.setKeyValueMetadata(new Map(Object.entries(spec.kv)));
  const bytes = parquetWasm.writeParquet(parquetWasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream')), builder.build());
  fs.writeFileSync(spec.path, bytes);
}

// ---------------------------------------------------------------- readers

const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);
const encoder = new TextEncoder();

class Digest {
  constructor() { this.a = 0x811c9dc5; this.b = 0x9747b28c; this.count = 0; this.nulls = 0; }
  byte(x) { this.a = Math.imul(this.a ^ x, 16777619) >>> 0; this.b = Math.imul(this.b ^ x, 16777619) >>> 0; }
  bytes(array, length = array.length) { for (let i = 0; i < length; i++) this.byte(array[i]); }
  add(value, kind) {
    this.count++;
    if (value === null || value === undefined) { this.nulls++; this.byte(0); return; }
    this.byte(1);
    if (kind === 'time') { scratch.setBigInt64(0, BigInt(value), true); this.bytes(scratchBytes); }
    else if (kind === 'string') {
      const utf8 = encoder.encode(value);
      scratch.setUint32(0, utf8.length, true);
      this.bytes(scratchBytes, 4); this.bytes(utf8);
    } else { scratch.setFloat64(0, Number(value), true); this.bytes(scratchBytes); }
  }
  result() { return { count: this.count, nulls: this.nulls, hash: this.a.toString(16).padStart(8, '0') + this.b.toString(16).padStart(8, '0') }; }
}

function summarize(names, kinds, valuesOf, rows, withValues) {
  const columns = {};
  for (let c = 0; c < names.length; c++) {
    const digest = new Digest();
    const values = withValues ? [] : null;
    for (let row = 0; row < rows; row++) {
      const value = valuesOf(c, row);
      digest.add(value, kinds[c]);
      if (values) values.push(value === null || value === undefined ? null : typeof value === 'bigint' ? value.toString() : value);
    }
    columns[names[c]] = { kind: kinds[c], ...digest.result(), ...(values ? { values } : {}) };
  }
  return columns;
}

async function readWithDuckDB(connection, path, withValues) {
  const described = (await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${literal(path)})`)).getRowObjects();
  const kinds = described.map((d) => kindOfSql(d.column_type));
  const select = described.map((d, i) => kinds[i] === 'time' ? `epoch_ns(${quote(d.column_name)})` : kinds[i] === 'number' ? `${quote(d.column_name)}::DOUBLE` : quote(d.column_name));
  const result = await connection.runAndReadAll(`SELECT ${select.join(', ')} FROM read_parquet(${literal(path)})`);
  const rows = result.getRows();
  const kv = Object.fromEntries((await connection.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata(${literal(path)})`)).getRowObjects().map((o) => [o.k, o.v]));
  return { kv, columns: summarize(described.map((d) => d.column_name), kinds, (c, r) => rows[r][c], rows.length, withValues) };
}

function kindOfSql(type) {
  if (type.startsWith('TIMESTAMP')) return 'time';
  if (type === 'VARCHAR') return 'string';
  return 'number';
}

function readWithArrow(path, withValues) {
  const table = arrow.tableFromIPC(parquetWasm.readParquet(fs.readFileSync(path)).intoIPCStream());
  const fields = table.schema.fields;
  const kinds = fields.map((f) => arrow.DataType.isTimestamp(f.type) ? 'time' : arrow.DataType.isUtf8(f.type) ? 'string' : 'number');
  const columns = fields.map((f, i) => {
    const vector = table.getChildAt(i);
    const values = new Array(table.numRows);
    let row = 0;
    for (const data of vector.data) {
      for (let j = 0; j < data.length; j++, row++) {
        if (!data.getValid(j)) { values[row] = null; continue; }
        if (kinds[i] === 'time') {
          const scale = { [arrow.TimeUnit.SECOND]: 1000000000n, [arrow.TimeUnit.MILLISECOND]: 1000000n, [arrow.TimeUnit.MICROSECOND]: 1000n, [arrow.TimeUnit.NANOSECOND]: 1n }[f.type.unit];
          values[row] = BigInt(data.values[data.offset + j]) * scale;
        } else if (arrow.DataType.isNull(f.type)) {
          values[row] = null;
        } else {
          values[row] = vector.get(row);
        }
      }
    }
    return values;
  });
  const kv = Object.fromEntries(table.schema.metadata);
  return { kv, columns: summarize(fields.map((f) => f.name), kinds, (c, r) => columns[c][r], table.numRows, withValues) };
}

async function readWithHyparquet(path, withValues) {
  const buffer = fs.readFileSync(path);
  const file = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
  const metadata = parquetMetadata(file);
  const names = metadata.schema.slice(1).map((s) => s.name);
  const kinds = metadata.schema.slice(1).map((s) => s.logical_type?.type === 'TIMESTAMP' || s.type === 'INT96' || (s.converted_type ?? '').startsWith('TIMESTAMP') ? 'time' : s.type === 'BYTE_ARRAY' ? 'string' : 'number');
  const parsers = {
    timestampFromMilliseconds: (v) => BigInt(v) * 1000000n,
    timestampFromMicroseconds: (v) => BigInt(v) * 1000n,
    timestampFromNanoseconds: (v) => BigInt(v),
  };
  const rows = await parquetReadObjects({ file, compressors, parsers });
  const kv = Object.fromEntries((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value]));
  return { kv, columns: summarize(names, kinds, (c, r) => rows[r][names[c]], rows.length, withValues) };
}

// ---------------------------------------------------------------- main

function quote(name) { return `"${name.replaceAll('"', '""')}"`; }
function literal(text) { return `'${text.replaceAll("'", "''")}'`; }
const bigintJson = (_, v) => (typeof v === 'bigint' ? v.toString() : v);

const input = JSON.parse(fs.readFileSync(argument, 'utf8'));
const connection = await (await DuckDBInstance.create(':memory:')).connect();
if (command === 'write') {
  for (const spec of input.files) {
    if (spec.writer === 'duckdb') await writeWithDuckDB(connection, spec);
    else writeWithArrow(spec);
  }
  console.log(JSON.stringify({ written: input.files.length }));
} else if (command === 'read') {
  const output = {};
  for (const path of input.files) {
    const readers = {};
    for (const [name, read] of [['duckdb', () => readWithDuckDB(connection, path, input.values)], ['arrow-rs', () => readWithArrow(path, input.values)], ['hyparquet', () => readWithHyparquet(path, input.values)]]) {
      try {
        readers[name] = await read();
      } catch (error) {
        readers[name] = { error: String(error?.message ?? error) };
      }
    }
    output[path] = readers;
  }
  process.stdout.write(JSON.stringify(output, bigintJson));
} else {
  console.error('usage: node parquet-tool.mjs write|read <input.json>');
  process.exit(2);
}
