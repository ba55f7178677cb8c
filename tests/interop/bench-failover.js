'use strict';
// Kills a silo with SIGKILL and calls a unary method through another silo until it answers grpc-status 0: prints
// "<milliseconds from the kill to that answer> <calls made> <statuses of the calls that failed>", for
// scripts/bench-cluster. The connection to the survivor is open before the kill, so the time is the cluster's alone.
// Each call may take up to a second; one that takes longer is cancelled and sent again.
// Usage: node bench-failover.js <pid to kill> <survivor's port> <path> <request file (one framed message)>
const http2 = require('http2');
const fs = require('fs');

const [, , pid, port, path, file] = process.argv;
const body = fs.readFileSync(file);
const session = http2.connect(`http://127.0.0.1:${port}`);

function call() {
  return new Promise((resolve) => {
    const req = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers', 'grpc-timeout': '1000m' });
    let status = 'none';
    const timer = setTimeout(() => { status = 'timeout'; req.close(http2.constants.NGHTTP2_CANCEL); }, 1100);
    req.on('response', (h) => { if (h['grpc-status'] !== undefined) status = h['grpc-status']; });
    req.on('trailers', (t) => { if (t['grpc-status'] !== undefined) status = t['grpc-status']; });
    req.on('data', () => {});
    req.on('close', () => { clearTimeout(timer); resolve(status); });
    req.on('error', () => { status = 'error'; });
    req.end(body);
  });
}

session.on('connect', async () => {
  if (await call() !== '0') { console.error('the survivor does not answer before the kill'); process.exit(1); }
  process.kill(Number(pid), 'SIGKILL');
  const started = process.hrtime.bigint();
  const failed = {};
  for (let calls = 1; ; calls++) {
    const status = await call();
    if (status === '0') {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      console.log(`${ms.toFixed(0)} ${calls} ${JSON.stringify(failed)}`);
      session.close();
      return;
    }
    failed[status] = (failed[status] ?? 0) + 1;
    await new Promise((r) => setTimeout(r, 20));
  }
});
session.on('error', (e) => { console.error(e.message); process.exit(1); });
