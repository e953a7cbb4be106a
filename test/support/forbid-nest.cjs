// Preloaded (`node --require`) into a command that must refuse before it loads the application:
// requiring any NestJS package fails the process instead, with a message naming it.
const Module = require('node:module');

const load = Module._load;
Module._load = function loadUnlessNest(request, ...rest) {
  if (typeof request === 'string' && request.startsWith('@nestjs/')) {
    throw new Error(`${request} was loaded before the command refused`);
  }
  return load.call(this, request, ...rest);
};
