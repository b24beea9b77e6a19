// What papers uses of undici (src/http/client.ts), the entry scripts/build.mjs bundles into
// dist/undici.cjs. undici's own index.js loads fetch, WebSocket, EventSource, caches, cookies
// and mocks too, and reads globalThis.Headers, which loads node's own copy of undici: about
// 20 ms of every command that goes online, for nothing papers calls. Without the bundle
// (vitest on the sources) papers imports undici itself, which exports the same.
'use strict';
const Dispatcher = require('undici/lib/dispatcher/dispatcher');
// As undici's index.js does: dispatcher.request() and the other calls on every dispatcher.
Object.assign(Dispatcher.prototype, require('undici/lib/api'));

module.exports = {
  EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent'),
  interceptors: { redirect: require('undici/lib/interceptor/redirect') },
};
