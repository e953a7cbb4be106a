import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The service `npm start` runs, which `npm run dev:console` sends the page's API calls to. */
const SERVICE = 'http://localhost:3000';

export default defineConfig({
  // Served by the service at /console (src/console), from dist/console.
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // The service tells a build from the sources by it (src/console/console-files.ts).
    manifest: true,
  },
  server: {
    proxy: { '/api': SERVICE, '/health': SERVICE, '/metrics': SERVICE, '/console/session': SERVICE },
  },
});
