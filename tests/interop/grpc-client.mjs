// An independent Open Inference Protocol gRPC client for Gordo's tests: @grpc/grpc-js with the
// service loaded at run time from Gordo's .proto by @grpc/proto-loader (no generated code).
// Usage: node grpc-client.mjs <proto> <host:port> <calls.json>
// calls.json: [{"method": "ModelInfer", "request": {...}, "metadata": {"x-request-id": "..."}}, ...]
// Prints one JSON array: {"ok": response} or {"error": {"code": n, "details": "..."}} per call, with
// bytes as base64 and int64 as strings.
import { readFileSync } from 'node:fs';
import grpc from '@grpc/grpc-js';
import protoLoader from '@grpc/proto-loader';

const [proto, address, callsFile] = process.argv.slice(2);
const definition = protoLoader.loadSync(proto, { keepCase: true, longs: String, enums: String, bytes: String, defaults: true, oneofs: true });
const inference = grpc.loadPackageDefinition(definition).inference;
const client = new inference.GRPCInferenceService(address, grpc.credentials.createInsecure(),
  { 'grpc.max_receive_message_length': 256 * 1024 * 1024, 'grpc.max_send_message_length': 256 * 1024 * 1024 });
const calls = JSON.parse(readFileSync(callsFile, 'utf8'));

function call({ method, request, metadata }) {
  const headers = new grpc.Metadata();
  for (const [key, value] of Object.entries(metadata ?? {})) headers.set(key, value);
  return new Promise((resolve) => {
    client[method](request ?? {}, headers, { deadline: Date.now() + 60_000 }, (error, response) =>
      resolve(error ? { error: { code: error.code, details: error.details } } : { ok: response }));
  });
}

const results = [];
for (const c of calls) results.push(await call(c));
client.close();
process.stdout.write(JSON.stringify(results));
