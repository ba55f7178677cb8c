'use strict';
// The grpc-js comparison server for scripts/bench-transport: answers
// okr.testing.v1.InteropService/UnaryCall exactly like our InteropService (a zero-filled payload of
// the requested size). Prints "listening on port N"; usage: node bench-server.js [port].
const path = require('path');
const grpc = require('@grpc/grpc-js');
const loader = require('@grpc/proto-loader');

const definition = loader.loadSync('okr/testing/v1/interop.proto', {
  includeDirs: [path.join(__dirname, '..', '..', 'proto')], keepCase: false, longs: String, enums: String, defaults: true,
});
const testing = grpc.loadPackageDefinition(definition).okr.testing.v1;
const server = new grpc.Server();
server.addService(testing.InteropService.service, {
  unaryCall(call, callback) {
    callback(null, { payload: { type: 'PAYLOAD_TYPE_COMPRESSABLE', body: Buffer.alloc(call.request.responseSize) } });
  },
});
server.bindAsync(`127.0.0.1:${process.argv[2] || 0}`, grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) { console.error(err); process.exit(1); }
  console.log(`listening on port ${port}`);
});
