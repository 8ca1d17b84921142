// Per-environment settings, fixed at build time from h5/.env.<mode> (never edited in source).
export const config = {
  apiBase: (import.meta.env.VITE_API_BASE ?? '').replace(/\/$/, ''),
  oaAppid: import.meta.env.VITE_OA_APPID ?? '',
  sandbox: import.meta.env.VITE_SANDBOX === '1' || import.meta.env.VITE_SANDBOX === 'true',
  centrePhone: import.meta.env.VITE_CENTRE_PHONE ?? '',
}
