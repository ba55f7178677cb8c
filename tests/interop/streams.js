'use strict';
// Concurrent streams as another HTTP/2 implementation sees them (Node's own http2 module, no npm packages): the
// server advertises its per-connection stream limit in SETTINGS, and bounds one API key's streams with
// RESOURCE_EXHAUSTED naming the limit, on one connection and across connections, while another key's streams
// still fit on the same connection.
// Usage: node streams.js <port> <key A> <key B> <max streams per connection> <max concurrent streams per key>
// (the per-key limit below the per-connection one).
const http2 = require('http2');
const assert = require('assert');

const [, , port, keyA, keyB, perConnectionText, perKeyText] = process.argv;
const perConnection = Number(perConnectionText);
const perKey = Number(perKeyText);
const path = '/okr.alignment.v1.AlignmentService/WatchRollups';

// WatchRollupsRequest { parent = 1 } in one gRPC frame.
function watchRequest(parent) {
  const text = Buffer.from(parent, 'utf8');
  const message = Buffer.concat([Buffer.from([0x0a, text.length]), text]);
  const header = Buffer.alloc(5);
  header.writeUInt32BE(message.length, 1);
  return Buffer.concat([header, message]);
}

function connect() {
  return new Promise((resolve, reject) => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    session.once('error', reject);
    session.once('remoteSettings', (settings) => resolve({ session, settings }));
  });
}

// Opens a watch; resolves with its response headers (a standing watch sends them at once, a refused one as
// Trailers-Only with grpc-status).
function watch(session, key) {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', authorization: `Bearer ${key}`,
    });
    stream.on('response', (headers) => resolve({ stream, headers }));
    stream.on('error', reject);
    stream.end(watchRequest('tenants/streams'));
  });
}

const refusedByKeyLimit = ({ headers }) => {
  assert.strictEqual(headers['grpc-status'], '8', 'RESOURCE_EXHAUSTED');
  assert.match(decodeURIComponent(headers['grpc-message']), /max_concurrent_streams_per_key/);
};

const standing = ({ headers }) => {
  assert.strictEqual(headers[':status'], 200);
  assert.strictEqual(headers['grpc-status'], undefined, `a watch within the limits was refused: ${headers['grpc-message']}`);
};

async function main() {
  const first = await connect();
  assert.strictEqual(first.settings.maxConcurrentStreams, perConnection, 'SETTINGS_MAX_CONCURRENT_STREAMS');

  // Key A's whole allowance on one connection, then one more on it: refused by the key's limit.
  const open = await Promise.all(Array.from({ length: perKey }, () => watch(first.session, keyA)));
  open.forEach(standing);
  refusedByKeyLimit(await watch(first.session, keyA));

  // Key B fills the rest of the same connection.
  const others = await Promise.all(Array.from({ length: perConnection - perKey }, () => watch(first.session, keyB)));
  others.forEach(standing);

  // Key A on a connection of its own is still over its limit: the bound is per key, not per connection.
  const second = await connect();
  refusedByKeyLimit(await watch(second.session, keyA));
  standing(await watch(second.session, keyB));

  first.session.destroy();
  second.session.destroy();
  console.log('ok');
}

main().catch((e) => { console.error(e); process.exit(1); });
