'use strict';
// Sends the benchmark request once and prints "<grpc-status> <response body hex> <header names> <trailer names>", so
// that scripts/bench-transport can check every server answers OK with the same bytes and the same headers before
// loading it.
// Usage: node bench-check.js <port> <request-file>
const http2 = require('http2');
const fs = require('fs');

const [, , port, file] = process.argv;
const session = http2.connect(`http://127.0.0.1:${port}`);
const req = session.request({
  ':method': 'POST', ':path': '/okr.testing.v1.InteropService/UnaryCall', 'content-type': 'application/grpc', te: 'trailers',
});
let headers = {};
let trailers = {};
const chunks = [];
req.on('response', (h) => { headers = h; });
req.on('trailers', (t) => { trailers = t; });
req.on('data', (c) => chunks.push(c));
req.on('close', () => {
  session.close();
  const names = (h) => Object.keys(h).filter((k) => k !== 'date').sort().join(',');
  console.log(`${trailers['grpc-status'] ?? headers['grpc-status'] ?? 'none'} ${Buffer.concat(chunks).toString('hex')} ${names(headers)} ${names(trailers)}`);
});
req.on('error', (e) => { console.error(e.message); process.exit(1); });
req.end(fs.readFileSync(file));
