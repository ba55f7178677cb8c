'use strict';
// Raw HTTP/2 cases: hand-built gRPC requests with Node's http2 module, to check what a real gRPC
// client would never send (bad frames) and what a client cannot observe (flags, header placement).
// Usage: node raw.js <case> <port>. After every case the server must still answer a normal call.
const http2 = require('http2');
const http = require('http');
const assert = require('assert');

const [, , caseName, port] = process.argv;
const origin = `http://127.0.0.1:${port}`;
const service = '/okr.testing.v1.InteropService';

function frame(message, flag = 0, declared = message.length) {
  const header = Buffer.alloc(5);
  header[0] = flag;
  header.writeUInt32BE(declared, 1);
  return Buffer.concat([header, message]);
}

// UnaryCallRequest: response_size = field 2 (varint), response_compressed = field 4 (bool).
function unaryCallRequest({ responseSize = 0, responseCompressed = false } = {}) {
  const bytes = [];
  if (responseSize) { bytes.push(0x10); let v = responseSize; while (v > 0x7f) { bytes.push((v & 0x7f) | 0x80); v >>>= 7; } bytes.push(v); }
  if (responseCompressed) bytes.push(0x20, 0x01);
  return Buffer.from(bytes);
}

// Sends one request; resolves with response headers, body bytes, trailers and whether data came at all.
function call(path, body, { headers = {}, end = true } = {}) {
  return new Promise((resolve, reject) => {
    const session = http2.connect(origin);
    session.on('error', reject);
    const req = session.request({
      ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', ...headers,
    });
    const result = { headers: null, trailers: null, chunks: [], endStreamOnHeaders: false };
    req.on('response', (h, flags) => { result.headers = h; result.endStreamOnHeaders = (flags & 0x1) === 0x1; });
    req.on('trailers', (t) => { result.trailers = t; });
    req.on('data', (c) => result.chunks.push(c));
    req.on('error', (e) => { if (result.headers) resolve(result); else reject(e); });
    req.on('close', () => { session.close(); result.body = Buffer.concat(result.chunks); resolve(result); });
    if (body.length) req.write(body);
    if (end) req.end();
  });
}

const statusOf = (r) => Number((r.trailers && r.trailers['grpc-status']) ?? r.headers['grpc-status']);
const messageOf = (r) => String((r.trailers && r.trailers['grpc-message']) ?? r.headers['grpc-message'] ?? '');

// A request grpc-dotnet cannot read as a message (a length it will not allocate, a flag or gzip data it cannot
// decode) fails while the call is read, before any handler: UNKNOWN, trailers-only, and nothing of the exception.
function assertUnreadableRequest(r) {
  assert.strictEqual(statusOf(r), 2, `expected UNKNOWN, got ${statusOf(r)}`);
  assert.ok(r.endStreamOnHeaders, 'expected a Trailers-Only response');
  assert.ok(!/Exception:|   at /.test(messageOf(r)), `leaked: ${messageOf(r)}`);
}

async function serverStillWorks() {
  const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(0)));
  assert.strictEqual(r.headers[':status'], 200);
  assert.strictEqual(statusOf(r), 0, 'a normal call after the bad one failed');
}

const cases = {
  async truncated_frame() {
    // Declares 100 bytes, sends 10, ends the stream.
    const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(10), 0, 100));
    assert.strictEqual(statusOf(r), 13);
  },
  async truncated_header() {
    const r = await call(`${service}/EmptyCall`, Buffer.from([0, 0, 0]));
    assert.strictEqual(statusOf(r), 13);
  },
  async declared_length_4gb() {
    // 0xFFFFFFFF declared, stream left open: the answer must come from the header alone, without
    // waiting for (or allocating) 4 GB.
    const started = Date.now();
    // grpc-dotnet reads a prefix over 2 GiB as a malformed message (it never allocates), not as a size over the
    // limit: UNKNOWN, where RESOURCE_EXHAUSTED was expected of our former transport.
    const r = await call(`${service}/UnaryCall`, frame(Buffer.alloc(16), 0, 0xffffffff), { end: false });
    assertUnreadableRequest(r);
    assert.ok(Date.now() - started < 10000);
  },
  async declared_length_4gb_stream() {
    const r = await call(`${service}/StreamingInputCall`, frame(Buffer.alloc(16), 0, 0xffffffff), { end: false });
    assertUnreadableRequest(r);
  },
  async compressed_flag_without_encoding() {
    const r = await call(`${service}/EmptyCall`, frame(Buffer.from([1, 2, 3]), 1));
    assert.strictEqual(statusOf(r), 13);
  },
  async invalid_compressed_flag() {
    const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(0), 7));
    assertUnreadableRequest(r);
  },
  async invalid_gzip_data() {
    const r = await call(`${service}/EmptyCall`, frame(Buffer.from('not gzip at all'), 1), { headers: { 'grpc-encoding': 'gzip' } });
    assertUnreadableRequest(r);
  },
  async gzip_bomb() {
    // 64 MiB of zeros compresses to ~64 KiB; inflated it is far over the 4 MiB limit.
    const bomb = require('zlib').gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const r = await call(`${service}/EmptyCall`, frame(bomb, 1), { headers: { 'grpc-encoding': 'gzip' } });
    assert.strictEqual(statusOf(r), 8);
  },
  async garbage_after_last_message() {
    const r = await call(`${service}/EmptyCall`, Buffer.concat([frame(Buffer.alloc(0)), Buffer.from('garbage')]));
    assert.strictEqual(statusOf(r), 13);
  },
  async no_message() {
    const r = await call(`${service}/EmptyCall`, Buffer.alloc(0));
    assert.strictEqual(statusOf(r), 13);
  },
  async unknown_encoding() {
    const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(0), 1), { headers: { 'grpc-encoding': 'br' } });
    assert.strictEqual(statusOf(r), 12);
    assert.match(r.headers['grpc-accept-encoding'], /gzip/);
  },
  async wrong_content_type() {
    const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(0)), { headers: { 'content-type': 'application/json' } });
    assert.strictEqual(r.headers[':status'], 415);
  },
  async grpc_json_content_type() {
    // grpc-dotnet takes every application/grpc+* content type as gRPC and reads the messages as protobuf (the
    // JSON codec is not in the wire protocol): an empty message is a valid one, and the call succeeds.
    const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(0)), { headers: { 'content-type': 'application/grpc+json' } });
    assert.strictEqual(r.headers[':status'], 200);
    assert.strictEqual(statusOf(r), 0);
  },
  async grpc_proto_content_type() {
    const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(0)), { headers: { 'content-type': 'application/grpc+proto' } });
    assert.strictEqual(statusOf(r), 0);
  },
  async get_method() {
    const r = await new Promise((resolve, reject) => {
      const session = http2.connect(origin);
      const req = session.request({ ':method': 'GET', ':path': `${service}/EmptyCall` });
      req.on('response', (h) => { resolve(h); session.close(); });
      req.on('error', reject);
      req.end();
    });
    // grpc-dotnet maps gRPC methods for POST only: a GET matches no endpoint (404), where 405 was expected before.
    assert.strictEqual(r[':status'], 404);
  },
  async http1_refused() {
    // The cleartext endpoint speaks HTTP/2 only: an HTTP/1.1 request gets no HTTP/1.1 success.
    const outcome = await new Promise((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `${service}/EmptyCall`, headers: { 'content-type': 'application/grpc' } }, (res) => resolve(`status ${res.statusCode}`));
      req.on('error', (e) => resolve(`error ${e.code}`));
      req.setTimeout(10000, () => { req.destroy(); resolve('timeout'); });
      req.end(frame(Buffer.alloc(0)));
    });
    assert.ok(outcome.startsWith('error') || /status (426|505|400)/.test(outcome), `HTTP/1.1 was not refused: ${outcome}`);
  },
  async trailers_only_on_error() {
    const r = await call(`${service}/UnimplementedCall`, frame(Buffer.alloc(0)));
    assert.strictEqual(r.headers[':status'], 200);
    assert.strictEqual(r.headers['grpc-status'], '12');
    assert.ok(r.endStreamOnHeaders, 'expected END_STREAM on the only HEADERS frame');
    assert.strictEqual(r.body.length, 0);
    assert.strictEqual(r.headers['content-type'], 'application/grpc');
  },
  async normal_response_layout() {
    const r = await call(`${service}/UnaryCall`, frame(unaryCallRequest({ responseSize: 10 })));
    assert.strictEqual(r.headers[':status'], 200);
    assert.strictEqual(r.headers['content-type'], 'application/grpc');
    assert.strictEqual(r.headers['grpc-status'], undefined, 'status must be in the trailers');
    assert.strictEqual(r.trailers['grpc-status'], '0');
    assert.strictEqual(r.body[0], 0);
    assert.strictEqual(r.body.readUInt32BE(1), r.body.length - 5);
  },
  async compressed_response() {
    const r = await call(`${service}/UnaryCall`, frame(unaryCallRequest({ responseSize: 5000, responseCompressed: true })), { headers: { 'grpc-accept-encoding': 'identity,gzip' } });
    assert.strictEqual(r.headers['grpc-encoding'], 'gzip');
    assert.strictEqual(r.body[0], 1, 'compressed flag not set');
    const message = require('zlib').gunzipSync(r.body.subarray(5));
    assert.ok(message.length > 5000);
    assert.ok(r.body.length < 1000, 'zeros should compress');
  },
  async no_compression_unless_accepted() {
    const r = await call(`${service}/UnaryCall`, frame(unaryCallRequest({ responseSize: 5000, responseCompressed: true })), { headers: { 'grpc-accept-encoding': 'identity' } });
    assert.strictEqual(r.body[0], 0);
    assert.strictEqual(statusOf(r), 0);
  },
  async bad_timeout_ignored() {
    const r = await call(`${service}/EmptyCall`, frame(Buffer.alloc(0)), { headers: { 'grpc-timeout': 'soon' } });
    assert.strictEqual(statusOf(r), 0);
  },
  async reset_mid_stream() {
    // A client that resets its stream mid-upload must not disturb the server.
    await new Promise((resolve) => {
      const session = http2.connect(origin);
      const req = session.request({ ':method': 'POST', ':path': `${service}/StreamingInputCall`, 'content-type': 'application/grpc', te: 'trailers' });
      req.on('error', () => {});
      req.write(frame(Buffer.alloc(3), 0, 1000));
      setTimeout(() => { req.close(http2.constants.NGHTTP2_CANCEL); session.close(); resolve(); }, 200);
    });
  },
};

(async () => {
  const run = cases[caseName];
  if (!run) { console.error(`unknown case ${caseName}; known: ${Object.keys(cases).join(' ')}`); process.exit(2); }
  const timer = setTimeout(() => { console.error(`case ${caseName} timed out`); process.exit(3); }, 60000);
  try {
    await run();
    await serverStillWorks();
    clearTimeout(timer);
    console.log(`PASS ${caseName}`);
    process.exit(0);
  } catch (err) {
    console.error(`FAIL ${caseName}: ${err && err.stack ? err.stack : err}`);
    process.exit(1);
  }
})();
