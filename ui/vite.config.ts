/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

// Tauri loads the built files from ui/dist (tauri.conf.json frontendDist) and the dev server
// from http://localhost:5173 (devUrl).
export default defineConfig({
  // No hot-reload proxies under test: components render as they do in the built app.
  plugins: [solid({ hot: !process.env.VITEST })],
  // Under test, one copy of Solid for everything (the app's code and the libraries built on it).
  resolve: process.env.VITEST ? { conditions: ["development", "browser"] } : {},
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "safari15",
    // One small bundle; no inline scripts (the CSP forbids them).
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.test.{ts,tsx}"],
    setupFiles: ["src/test-setup.ts"],
  },
});
