// Preloaded (`node --require`) into the service: when its main thread exits, writes to the file
// LOADED_PACKAGES_FILE names the packages it loaded from node_modules, as a JSON array.
const { writeFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

if (isMainThread) {
  process.on('exit', () => {
    const packages = new Set();
    for (const file of Object.keys(require.cache)) {
      const at = file.lastIndexOf('/node_modules/');
      if (at === -1) continue;
      const [scope, name] = file.slice(at + '/node_modules/'.length).split('/');
      packages.add(scope.startsWith('@') ? `${scope}/${name}` : scope);
    }
    writeFileSync(process.env.LOADED_PACKAGES_FILE, JSON.stringify([...packages].sort()));
  });
}
