// esbuild bundles imported CSS into app.css; TypeScript only needs to know the import is valid.
declare module '*.css';
