// Per-environment settings, fixed at build time from h5/.env.<mode> (never edited in source).
// The centre's phone and 体检须知 are not here: the backend serves them (GET /api/centre, src/centre.ts).
export const config = {
  apiBase: (import.meta.env.VITE_API_BASE ?? '').replace(/\/$/, ''),
  oaAppid: import.meta.env.VITE_OA_APPID ?? '',
  sandbox: import.meta.env.VITE_SANDBOX === '1' || import.meta.env.VITE_SANDBOX === 'true',
}
