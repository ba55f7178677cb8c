'use strict';
// Interop client: runs one case of grpc's interop test descriptions (doc/interop-test-descriptions.md),
// adapted to okr.testing.v1.InteropService, against 127.0.0.1:<port> with @grpc/grpc-js, an
// independent gRPC implementation. Usage: node client.js <case> <port>. Exit 0 and "PASS" on success.
const path = require('path');
const assert = require('assert');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const protoRoot = path.join(__dirname, '..', '..', 'proto');
const loadOptions = { includeDirs: [protoRoot], keepCase: false, longs: String, enums: String, defaults: true, oneofs: true };
const load = (file) => grpc.loadPackageDefinition(loader.loadSync(file, loadOptions));
const testing = load('okr/testing/v1/interop.proto').okr.testing.v1;
const health = load('grpc/health/v1/health.proto').grpc.health.v1;
const reflectionV1 = load('grpc/reflection/v1/reflection.proto').grpc.reflection.v1;
const reflectionV1alpha = load('grpc/reflection/v1alpha/reflection.proto').grpc.reflection.v1alpha;

const [, , caseName, port] = process.argv;
const address = `127.0.0.1:${port}`;
const insecure = grpc.credentials.createInsecure();
const client = new testing.InteropService(address, insecure);
const gzipClient = new testing.InteropService(address, insecure, { 'grpc.default_compression_algorithm': 2 });

const zeros = (n) => Buffer.alloc(n);
const payload = (n) => ({ type: 'PAYLOAD_TYPE_COMPRESSABLE', body: zeros(n) });
const deadlineIn = (ms) => new Date(Date.now() + ms);

function unary(c, method, request, metadata = new grpc.Metadata(), options = {}) {
  return new Promise((resolve, reject) => {
    let headers = null;
    const call = c[method](request, metadata, options, (err, response) => {
      if (err) { err.headers = headers; reject(err); } else { resolve({ response, headers, call }); }
    });
    call.on('metadata', (m) => { headers = m; });
    call.on('status', (s) => { call.finalStatus = s; });
  });
}

async function expectError(promise, code, check) {
  try {
    await promise;
  } catch (err) {
    assert.strictEqual(err.code, code, `expected status ${code}, got ${err.code}: ${err.details}`);
    if (check) check(err);
    return err;
  }
  throw new Error(`expected status ${code}, but the call succeeded`);
}

function collect(call) {
  return new Promise((resolve, reject) => {
    const messages = [];
    call.on('data', (m) => messages.push(m));
    call.on('error', reject);
    call.on('end', () => resolve(messages));
  });
}

// Minimal protobuf reader for google.rpc.Status {1: int32 code, 2: string message, 3: repeated Any {1: type_url, 2: value}}.
function decodeFields(buf) {
  const fields = [];
  let i = 0;
  const varint = () => { let r = 0, s = 0, b; do { b = buf[i++]; r += (b & 0x7f) * 2 ** s; s += 7; } while (b & 0x80); return r; };
  while (i < buf.length) {
    const key = varint(); const field = Math.floor(key / 8); const wire = key & 7;
    if (wire === 0) fields.push([field, varint()]);
    else if (wire === 2) { const n = varint(); fields.push([field, buf.subarray(i, i + n)]); i += n; }
    else throw new Error(`unexpected wire type ${wire}`);
  }
  return fields;
}
function decodeStatus(buf) {
  const status = { code: 0, message: '', details: [] };
  for (const [f, v] of decodeFields(buf)) {
    if (f === 1) status.code = v;
    else if (f === 2) status.message = v.toString('utf8');
    else if (f === 3) { const any = {}; for (const [g, w] of decodeFields(v)) { if (g === 1) any.typeUrl = w.toString(); } status.details.push(any); }
  }
  return status;
}

function reflect(ctor, requests) {
  const c = new ctor(address, insecure);
  const call = c.ServerReflectionInfo();
  const done = collect(call);
  for (const r of requests) call.write(r);
  call.end();
  return done;
}

async function reflectionCase(ctor) {
  const [list, byFile, bySymbol, byMethod, missing] = await reflect(ctor, [
    { listServices: '' },
    { fileByFilename: 'okr/testing/v1/interop.proto' },
    { fileContainingSymbol: 'okr.testing.v1.InteropService' },
    { fileContainingSymbol: 'okr.testing.v1.InteropService.UnaryCall' },
    { fileContainingSymbol: 'no.such.Symbol' },
  ]);
  const names = list.listServicesResponse.service.map((s) => s.name);
  for (const expected of ['okr.testing.v1.InteropService', 'grpc.health.v1.Health', 'grpc.reflection.v1.ServerReflection', 'grpc.reflection.v1alpha.ServerReflection']) {
    assert.ok(names.includes(expected), `list_services lacks ${expected}: ${names}`);
  }
  for (const r of [byFile, bySymbol, byMethod]) {
    const files = r.fileDescriptorResponse.fileDescriptorProto;
    assert.ok(files.length >= 1, 'no file descriptors');
    assert.ok(files[0].toString('latin1').includes('okr/testing/v1/interop.proto'), 'first descriptor is not interop.proto');
  }
  assert.strictEqual(missing.errorResponse.errorCode, grpc.status.NOT_FOUND);
}

const cases = {
  async empty_unary() {
    const { response } = await unary(client, 'emptyCall', {});
    assert.deepStrictEqual(response, {});
  },
  async large_unary() {
    const { response } = await unary(client, 'unaryCall', { responseSize: 314159, payload: payload(271828) });
    assert.strictEqual(response.payload.body.length, 314159);
  },
  async client_streaming() {
    const result = await new Promise((resolve, reject) => {
      const call = client.streamingInputCall((err, r) => (err ? reject(err) : resolve(r)));
      for (const n of [27182, 8, 1828, 45904]) call.write({ payload: payload(n) });
      call.end();
    });
    assert.strictEqual(result.aggregatedPayloadSize, 74922);
  },
  async server_streaming() {
    const sizes = [31415, 9, 2653, 58979];
    const messages = await collect(client.streamingOutputCall({ responseParameters: sizes.map((size) => ({ size })) }));
    assert.deepStrictEqual(messages.map((m) => m.payload.body.length), sizes);
  },
  async ping_pong() {
    const requests = [[31415, 27182], [9, 8], [2653, 1828], [58979, 45904]];
    const call = client.fullDuplexCall();
    const received = [];
    let next;
    call.on('data', (m) => { received.push(m); next && next(); });
    const ended = new Promise((resolve, reject) => { call.on('end', resolve); call.on('error', reject); });
    for (const [responseSize, requestSize] of requests) {
      const got = new Promise((resolve) => { next = resolve; });
      call.write({ responseParameters: [{ size: responseSize }], payload: payload(requestSize) });
      await got;
      assert.strictEqual(received[received.length - 1].payload.body.length, responseSize);
    }
    call.end();
    await ended;
    assert.strictEqual(received.length, 4);
  },
  async empty_stream() {
    const call = client.fullDuplexCall();
    const done = collect(call);
    call.end();
    assert.deepStrictEqual(await done, []);
  },
  async timeout_on_sleeping_server() {
    // The interop case: a 1 ms deadline on a duplex call whose server never answers in time.
    const call = client.fullDuplexCall({ deadline: deadlineIn(1) });
    const done = collect(call);
    call.write({ payload: payload(27182) });
    await expectError(done, grpc.status.DEADLINE_EXCEEDED);
    // And a unary call on a server that sleeps past the deadline (the server's own deadline fires).
    await expectError(unary(client, 'unaryCall', { sleepMs: 5000 }, new grpc.Metadata(), { deadline: deadlineIn(300) }), grpc.status.DEADLINE_EXCEEDED);
  },
  async cancel_after_begin() {
    const done = new Promise((resolve, reject) => {
      const call = client.streamingInputCall((err, r) => (err ? reject(err) : resolve(r)));
      call.cancel();
    });
    await expectError(done, grpc.status.CANCELLED);
  },
  async cancel_after_first_response() {
    const call = client.fullDuplexCall();
    const first = new Promise((resolve) => call.once('data', resolve));
    const errored = new Promise((resolve) => call.on('error', resolve));
    call.write({ responseParameters: [{ size: 31415 }], payload: payload(27182) });
    const m = await first;
    assert.strictEqual(m.payload.body.length, 31415);
    call.cancel();
    const err = await errored;
    assert.strictEqual(err.code, grpc.status.CANCELLED);
  },
  async status_code_and_message() {
    const status = { code: 2, message: 'test status message' };
    await expectError(unary(client, 'unaryCall', { responseStatus: status }), 2, (e) => assert.strictEqual(e.details, status.message));
    const call = client.fullDuplexCall();
    const done = collect(call);
    call.write({ responseStatus: status });
    call.end();
    await expectError(done, 2, (e) => assert.strictEqual(e.details, status.message));
  },
  async special_status_message() {
    const message = '\t\ntest with whitespace\r\nand Unicode BMP \u263A and non-BMP \uD83D\uDE08\t\n';
    await expectError(unary(client, 'unaryCall', { responseStatus: { code: 2, message } }), 2, (e) => assert.strictEqual(e.details, message));
  },
  async percent_status_message() {
    const message = '100% done, %41 is not A, %%, %zz and ünïcödé';
    await expectError(unary(client, 'unaryCall', { responseStatus: { code: 9, message } }), 9, (e) => assert.strictEqual(e.details, message));
  },
  async status_details() {
    const err = await expectError(unary(client, 'unaryCall', { responseStatus: { code: 3, message: 'bad field', includeDetails: true } }), 3);
    const raw = err.metadata.get('grpc-status-details-bin');
    assert.strictEqual(raw.length, 1, 'grpc-status-details-bin missing');
    const status = decodeStatus(raw[0]);
    assert.strictEqual(status.code, 3);
    assert.strictEqual(status.message, 'bad field');
    assert.deepStrictEqual(status.details.map((d) => d.typeUrl), ['type.googleapis.com/google.rpc.ErrorInfo', 'type.googleapis.com/google.rpc.BadRequest']);
  },
  async internal_error_hides_exception() {
    // A handler's unhandled exception: UNKNOWN, as grpc-dotnet (and grpc-go, grpc-java) answer it, with nothing of
    // the exception in the message. (The AlignmentService maps its own to INTERNAL: ErrorTests.)
    await expectError(unary(client, 'unaryCall', { throwException: true }), grpc.status.UNKNOWN, (e) => {
      assert.ok(!/secret|hunter2|InvalidOperation|at /.test(e.details), `leaked: ${e.details}`);
    });
  },
  async unimplemented_method() {
    await expectError(unary(client, 'unimplementedCall', {}), grpc.status.UNIMPLEMENTED);
  },
  async unimplemented_service() {
    const done = new Promise((resolve, reject) => {
      client.makeUnaryRequest('/okr.testing.v1.NoSuchService/UnimplementedCall', () => Buffer.alloc(0), (b) => b, {}, (err, r) => (err ? reject(err) : resolve(r)));
    });
    await expectError(done, grpc.status.UNIMPLEMENTED);
  },
  async custom_metadata() {
    const initial = 'test_initial_metadata_value';
    const trailing = Buffer.from([0xab, 0xab, 0xab]);
    const md = () => { const m = new grpc.Metadata(); m.set('x-grpc-test-echo-initial', initial); m.set('x-grpc-test-echo-trailing-bin', trailing); return m; };
    const { headers, call } = await unary(client, 'unaryCall', { responseSize: 314159, payload: payload(271828) }, md());
    assert.deepStrictEqual(headers.get('x-grpc-test-echo-initial'), [initial]);
    await new Promise((r) => setImmediate(r));
    assert.ok(call.finalStatus, 'no status event');
    assert.deepStrictEqual(call.finalStatus.metadata.get('x-grpc-test-echo-trailing-bin'), [trailing]);

    const duplex = client.fullDuplexCall(md());
    let duplexHeaders = null; let duplexStatus = null;
    duplex.on('metadata', (m) => { duplexHeaders = m; });
    duplex.on('status', (s) => { duplexStatus = s; });
    const done = collect(duplex);
    duplex.write({ responseParameters: [{ size: 314159 }], payload: payload(271828) });
    duplex.end();
    await done;
    await new Promise((r) => setImmediate(r));
    assert.deepStrictEqual(duplexHeaders.get('x-grpc-test-echo-initial'), [initial]);
    assert.deepStrictEqual(duplexStatus.metadata.get('x-grpc-test-echo-trailing-bin'), [trailing]);
  },
  async client_compressed_unary() {
    // The server refuses expect_compressed on an uncompressed request (the interop "probe")...
    await expectError(unary(client, 'unaryCall', { responseSize: 314159, payload: payload(271828), expectCompressed: true }), grpc.status.INVALID_ARGUMENT);
    // ...and accepts it compressed.
    const { response } = await unary(gzipClient, 'unaryCall', { responseSize: 314159, payload: payload(271828), expectCompressed: true });
    assert.strictEqual(response.payload.body.length, 314159);
  },
  async server_compressed_unary() {
    for (const responseCompressed of [true, false]) {
      const { response } = await unary(client, 'unaryCall', { responseSize: 314159, payload: payload(271828), responseCompressed });
      assert.strictEqual(response.payload.body.length, 314159);
    }
  },
  async client_compressed_streaming() {
    const result = await new Promise((resolve, reject) => {
      const call = gzipClient.streamingInputCall((err, r) => (err ? reject(err) : resolve(r)));
      call.write({ payload: payload(27182), expectCompressed: true });
      call.write({ payload: payload(45904) });
      call.end();
    });
    assert.strictEqual(result.aggregatedPayloadSize, 73086);
  },
  async server_compressed_streaming() {
    const messages = await collect(client.streamingOutputCall({ responseParameters: [{ size: 31415, compressed: true }, { size: 92653, compressed: false }] }));
    assert.deepStrictEqual(messages.map((m) => m.payload.body.length), [31415, 92653]);
  },
  async max_message_size() {
    // 5 MiB request against the server's 4 MiB default.
    await expectError(unary(client, 'unaryCall', { payload: payload(5 * 1024 * 1024) }), grpc.status.RESOURCE_EXHAUSTED);
    // The server is fine afterwards.
    await unary(client, 'emptyCall', {});
  },
  async health() {
    const c = new health.Health(address, insecure);
    const check = (service) => new Promise((resolve, reject) => c.check({ service }, (e, r) => (e ? reject(e) : resolve(r))));
    assert.strictEqual((await check('')).status, 'SERVING');
    await expectError(check('no.such.Service'), grpc.status.NOT_FOUND);
    const watch = c.watch({ service: '' });
    const first = await new Promise((resolve, reject) => { watch.once('data', resolve); watch.once('error', reject); });
    assert.strictEqual(first.status, 'SERVING');
    watch.on('error', () => {});
    watch.cancel();
    const unknown = c.watch({ service: 'no.such.Service' });
    const second = await new Promise((resolve, reject) => { unknown.once('data', resolve); unknown.once('error', reject); });
    assert.strictEqual(second.status, 'SERVICE_UNKNOWN');
    unknown.on('error', () => {});
    unknown.cancel();
  },
  async reflection_v1() { await reflectionCase(reflectionV1.ServerReflection); },
  async reflection_dynamic_call() {
    // What grpcurl does: no .proto at hand. List the services, fetch the descriptors of one through
    // reflection, build a FileDescriptorSet, load it, and call a method with it.
    const [list] = await reflect(reflectionV1.ServerReflection, [{ listServices: '' }]);
    const name = list.listServicesResponse.service.map((x) => x.name).find((n) => n.startsWith('okr.testing.'));
    const [files] = await reflect(reflectionV1.ServerReflection, [{ fileContainingSymbol: name }]);
    const varint = (n) => { const b = []; while (n > 0x7f) { b.push((n & 0x7f) | 0x80); n >>>= 7; } b.push(n); return Buffer.from(b); };
    const set = Buffer.concat(files.fileDescriptorResponse.fileDescriptorProto.map((f) => Buffer.concat([Buffer.from([0x0a]), varint(f.length), f])));
    const dynamic = grpc.loadPackageDefinition(loader.loadFileDescriptorSetFromBuffer(set, loadOptions));
    const Service = name.split('.').reduce((o, part) => o[part], dynamic);
    const c = new Service(address, insecure);
    // Loaded from descriptors, proto-loader keeps the .proto field names (no camelCase).
    const { response } = await unary(c, 'UnaryCall', { response_size: 7 });
    assert.strictEqual(response.payload.body.length, 7);
  },
  async reflection_v1alpha() { await reflectionCase(reflectionV1alpha.ServerReflection); },
};

(async () => {
  const run = cases[caseName];
  if (!run) { console.error(`unknown case ${caseName}; known: ${Object.keys(cases).join(' ')}`); process.exit(2); }
  const timer = setTimeout(() => { console.error(`case ${caseName} timed out`); process.exit(3); }, 60000);
  try {
    await run();
    clearTimeout(timer);
    console.log(`PASS ${caseName}`);
    process.exit(0);
  } catch (err) {
    console.error(`FAIL ${caseName}: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  }
})();
