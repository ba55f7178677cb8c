'use strict';
// One scenario through a real client of another implementation, for ThreeWaysTests: import a tree, check in, read a
// roll-up, simulate, watch. Two ways in: gRPC through @grpc/grpc-js (HTTP/2), and gRPC-Web through
// @connectrpc/connect-node's gRPC-Web transport (HTTP/1.1, binary application/grpc-web+proto). Both load the contract
// as descriptors built from proto/ by buf, and print each answer as canonical protobuf JSON, one line per step:
// {"step":"rollup","message":{...}}. The REST/JSON leg of the same scenario is curl, run by the test.
// Usage: node three-ways.js <grpc|grpc-web> <address> <tenant> <import-file: ImportTreeRequest JSON, one per line>
// (address: 127.0.0.1:PORT for grpc, http://127.0.0.1:PORT for grpc-web). Exit 0 on success.
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const grpc = require('@grpc/grpc-js');
const { createFileRegistry, fromBinary, toBinary, fromJson, toJson } = require('@bufbuild/protobuf');
const { FileDescriptorSetSchema } = require('@bufbuild/protobuf/wkt');
const { createClient } = require('@connectrpc/connect');
const { createGrpcWebTransport } = require('@connectrpc/connect-node');

const [, , way, address, tenant, importFile] = process.argv;
const repo = path.join(__dirname, '..', '..');
const image = execFileSync(path.join(__dirname, 'node_modules', '.bin', 'buf'), ['build', repo, '-o', '-'], { maxBuffer: 64 << 20 });
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, image));
const service = registry.getService('okr.alignment.v1.AlignmentService');
const method = (name) => service.methods.find((m) => m.name === name);
const request = (name, json) => fromJson(method(name).input, json, { registry });
const print = (step, name, message) =>
  console.log(JSON.stringify({ step, message: toJson(method(name).output, message, { registry }) }));

// The same five calls for either client, as { importTree(messages), unary(name, message), firstWatched(message) }.
function grpcJsClient() {
  const definition = {};
  for (const m of service.methods) {
    definition[m.localName] = {
      path: `/${service.typeName}/${m.name}`,
      requestStream: m.methodKind === 'client_streaming' || m.methodKind === 'bidi_streaming',
      responseStream: m.methodKind === 'server_streaming' || m.methodKind === 'bidi_streaming',
      requestSerialize: (message) => Buffer.from(toBinary(m.input, message)),
      requestDeserialize: (bytes) => fromBinary(m.input, bytes),
      responseSerialize: (message) => Buffer.from(toBinary(m.output, message)),
      responseDeserialize: (bytes) => fromBinary(m.output, bytes),
    };
  }
  const Client = grpc.makeGenericClientConstructor(definition, 'AlignmentService');
  const client = new Client(address, grpc.credentials.createInsecure());
  return {
    importTree: (messages) => new Promise((resolve, reject) => {
      const call = client.importTree((err, response) => (err ? reject(err) : resolve(response)));
      for (const message of messages) call.write(message);
      call.end();
    }),
    unary: (name, message) => new Promise((resolve, reject) =>
      client[method(name).localName](message, (err, response) => (err ? reject(err) : resolve(response)))),
    firstWatched: (message) => new Promise((resolve, reject) => {
      const call = client.watchRollups(message);
      call.on('data', (response) => { resolve(response); call.cancel(); });
      call.on('error', (err) => { if (err.code !== grpc.status.CANCELLED) reject(err); });
    }),
    close: () => client.close(),
  };
}

function grpcWebClient() {
  const client = createClient(service, createGrpcWebTransport({ baseUrl: address, httpVersion: '1.1' }));
  return {
    importTree: (messages) => client.importTree((async function* stream() { yield* messages; })()),
    unary: (name, message) => client[method(name).localName](message),
    firstWatched: async (message) => {
      const abort = new AbortController();
      for await (const response of client.watchRollups(message, { signal: abort.signal })) {
        abort.abort();
        return response;
      }
      throw new Error('the watch ended before its first message');
    },
    close: () => {},
  };
}

async function main() {
  const client = way === 'grpc' ? grpcJsClient() : way === 'grpc-web' ? grpcWebClient() : null;
  if (client === null) throw new Error(`way must be grpc or grpc-web, not '${way}'`);
  const parent = `tenants/${tenant}`;
  const messages = fs.readFileSync(importFile, 'utf8').split('\n').filter((line) => line.trim() !== '')
    .map((line, i) => request('ImportTree', i === 0 ? { ...JSON.parse(line), parent } : JSON.parse(line)));
  const imported = await client.importTree(messages);
  print('import', 'ImportTree', imported);
  print('checkIn', 'RecordCheckIns', await client.unary('RecordCheckIns',
    request('RecordCheckIns', { parent, checkIns: [{ goalId: 'SALES.KR2', value: 1 }] })));
  print('rollup', 'GetRollup', await client.unary('GetRollup', request('GetRollup', { name: `${parent}/goals/C1` })));
  print('simulate', 'SimulateChanges', await client.unary('SimulateChanges',
    request('SimulateChanges', { parent, changes: [{ setState: { goalId: 'C1.KR3', state: 'GOAL_STATE_ARCHIVED' } }] })));
  print('watch', 'WatchRollups', await client.firstWatched(
    request('WatchRollups', { parent, sinceVersion: imported.version.toString() })));
  client.close();
}

main().catch((err) => { console.error(err); process.exit(1); });
